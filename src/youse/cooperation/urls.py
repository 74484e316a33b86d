"""Pages of the cooperation app (mounted at /cooperation/)."""

from django.urls import path

from youse.cooperation import views

app_name = "cooperation"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("export/", views.project_export, name="export"),
    path("new/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/submit/", views.project_submit, name="submit"),
    path("<int:pk>/file/", views.project_file, name="file"),
    path("<int:pk>/return/", views.project_return, name="return"),
    path("<int:pk>/progress/", views.project_progress, name="progress"),
    path("<int:pk>/review/", views.project_review, name="review"),
    path("<int:pk>/flag/", views.project_flag, name="flag"),
]
