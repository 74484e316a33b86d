"""Pages of the capacity module for signed-in users (mounted at /capacity/)."""

from django.urls import path  # noqa: F401

app_name = "capacity"
urlpatterns: list = []
