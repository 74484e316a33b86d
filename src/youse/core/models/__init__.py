from .accounts import ApiToken, User
from .audit import AuditEvent
from .reference import (
    ClauseResponsibility,
    Division,
    IndustrialBase,
    Metal,
    PolicyClause,
    PolicyTarget,
    ResponsibleUnit,
    ValueChainStage,
)

__all__ = [
    "ApiToken",
    "AuditEvent",
    "ClauseResponsibility",
    "Division",
    "IndustrialBase",
    "Metal",
    "PolicyClause",
    "PolicyTarget",
    "ResponsibleUnit",
    "User",
    "ValueChainStage",
]
