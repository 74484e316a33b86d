"""The public portal (mounted at /public/, no sign-in)."""

from django.urls import include, path

app_name = "portal"
urlpatterns = [
    path("bulletins/", include("youse.portal.bulletin.urls_public")),
]
