"""Models of the support app: support fund projects (三(四)) and government and commercial reserves (三(六))."""

from django.db import models  # noqa: F401
