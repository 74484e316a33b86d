"""Indicator pages: the targets dashboard, drill-down, warnings."""

urlpatterns: list = []
