"""The support API under /api/v1/support/: fund calls and project applications with every step of their
life cycle (三(四)), reserve plans, holdings and movements (三(六)). Reads go through scopes.visible();
writes through youse.support.services, which check capability and scope and write the audit event."""

from ninja import Router

from youse.support.api_funds import router as funds_router
from youse.support.api_reserves import router as reserves_router

router = Router(tags=["support"])
router.add_router("", funds_router)
router.add_router("", reserves_router)
