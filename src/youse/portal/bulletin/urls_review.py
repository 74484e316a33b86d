"""Department pages of the monthly bulletin (mounted at /bulletins/)."""

from django.urls import path  # noqa: F401

app_name = "bulletins"
urlpatterns: list = []
