"""Monthly reports through the API, for enterprises' own systems."""

from ninja import Router

router = Router(tags=["stats"])
