from django.urls import path

from youse.monitoring import views

app_name = "monitoring"
urlpatterns = [
    path("", views.board, name="board"),
    path("live/", views.board_live, name="board-live"),
    path("points/<int:pk>/", views.point_detail, name="point"),
    path("alarms/", views.alarm_list, name="alarms"),
    path("alarms/<int:pk>/acknowledge/", views.alarm_acknowledge, name="alarm-acknowledge"),
    path("quarantine/", views.quarantine, name="quarantine"),
    path("quarantine/<int:pk>/<str:action>/", views.quarantine_action, name="quarantine-action"),
    path("enforcement/", views.enforcement_items, name="enforcement"),
    path("limits/", views.limits, name="limits"),
]
