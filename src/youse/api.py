"""The REST API under /api/v1/ (Django Ninja); each app contributes its router."""

from youse.core.api_base import build_api

api = build_api()
