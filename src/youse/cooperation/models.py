"""Models of the cooperation app: overseas projects of the province's enterprises (二(六))."""

from django.db import models  # noqa: F401
