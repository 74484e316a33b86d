"""The public portal (mounted at /public/, no sign-in): home, announcements with their feed, open data,
and the monthly bulletins (portal/bulletin/urls_public.py)."""

from django.urls import include, path, re_path

from youse.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/feed/", views.PortalFeed(), name="feed"),
    path("data/", views.open_data, name="open-data"),
    path("data/dictionary/", views.dictionary, name="dictionary"),
    re_path(r"^data/(?P<key>[a-z0-9-]+)\.(?P<extension>csv|xlsx)$", views.download, name="download"),
    path("bulletins/", include("youse.portal.bulletin.urls_public")),
]
