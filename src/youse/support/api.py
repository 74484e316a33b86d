"""The support API: support fund projects (三(四)) and government and commercial reserves (三(六))."""

from ninja import Router

router = Router(tags=["support"])
