"""The portal API: the monthly bulletin (三(八))."""

from ninja import Router

router = Router(tags=["portal"])
