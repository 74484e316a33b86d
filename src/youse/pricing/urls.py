"""Pages of the pricing module (mounted at /pricing/)."""

from django.urls import path

from youse.pricing.views import lists, tools

app_name = "pricing"
urlpatterns = [
    path("", lists.surcharge_list, name="list"),
    path("draft/", lists.draft, name="draft"),
    path("lists/<int:pk>/approve/", lists.approve, name="approve"),
    path("lists/<int:pk>/export/", lists.export, name="export"),
    path("assessments/<int:pk>/", lists.assessment, name="assessment"),
    path("mine/", lists.mine, name="mine"),
    path("trading/", tools.trading, name="trading"),
    path("calculator/", tools.calculator, name="calculator"),
]
