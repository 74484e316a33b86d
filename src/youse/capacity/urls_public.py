"""Public pages of the capacity module (mounted at /public/capacity/): schemes in notice with the
objection form, announced results, the province's ledger totals. Anonymous visitors are welcome."""

from django.urls import path  # noqa: F401

app_name = "capacity_public"
urlpatterns: list = []
