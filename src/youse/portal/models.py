"""Models of the portal app: the monthly bulletin (三(八))."""

from django.db import models  # noqa: F401
