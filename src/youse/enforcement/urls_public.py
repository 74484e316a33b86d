"""Public pages of the enforcement module (mounted at /public/enforcement/): published announcements."""

from django.urls import path

from youse.enforcement import views_public as views

app_name = "enforcement_public"
urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", views.AnnouncementFeed(), name="feed"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/v<int:number>/", views.version, name="version"),
]
