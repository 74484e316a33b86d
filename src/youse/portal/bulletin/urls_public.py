"""Public pages of the monthly bulletin (included by portal/urls.py under /public/bulletins/)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
