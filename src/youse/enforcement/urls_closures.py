"""Closures, resettlement, land and announcements (merged into the "enforcement" namespace by urls.py)."""

from django.urls import path

from youse.enforcement.views import closures as views

urlpatterns = [
    path("closures/", views.closure_list, name="closure-list"),
    path("closures/<int:pk>/", views.closure_detail, name="closure-detail"),
    path("closures/<int:pk>/plan/", views.closure_plan, name="closure-plan"),
    path("closures/<int:pk>/files/<int:file_pk>/", views.closure_file, name="closure-file"),
    path("closures/<int:pk>/<slug:action>/", views.closure_action, name="closure-action"),
    path("announcements/", views.announcement_list, name="announcement-list"),
    path("announcements/draft/", views.announcement_draft, name="announcement-draft"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement-detail"),
    path("announcements/<int:pk>/publish/", views.announcement_publish, name="announcement-publish"),
]
