"""Pages of the credit module (mounted at /credit/)."""

from django.urls import path

from youse.credit import views

app_name = "credit"
urlpatterns = [
    path("", views.editions, name="editions"),
    path("derive/", views.derive, name="derive"),
    path("criteria/", views.criteria, name="criteria"),
    path("editions/<int:pk>/", views.edition, name="edition"),
    path("editions/<int:pk>/publish/", views.publish, name="publish"),
    path("editions/<int:pk>/export/", views.export, name="export"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("entries/<int:pk>/override/", views.override, name="override"),
    path("enterprises/<int:pk>/", views.enterprise, name="enterprise"),
]
