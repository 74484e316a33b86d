"""Public pages of the capacity module (mounted at /public/capacity/): schemes in notice with the
objection form, announced results, the province's ledger totals. Anonymous visitors are welcome."""

from django.urls import path

from youse.capacity import views_public as views

app_name = "capacity_public"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", views.NoticeFeed(), name="feed"),
    path("schemes/<str:code>/", views.scheme_detail, name="scheme"),
    path("schemes/<str:code>/objection-received/", views.objection_received, name="objection-received"),
]
