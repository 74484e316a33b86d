"""Models of the credit app: the list of backbone enterprises eligible for credit support (三(五))."""

from django.db import models  # noqa: F401
