"""The cooperation API: overseas projects of the province's enterprises (二(六))."""

from ninja import Router

router = Router(tags=["cooperation"])
