"""Every change to enforcement cases (DESIGN.md, principle 2): each function checks the actor's authority
(a city inspects and orders in its city; the department runs campaigns, decides closures and publishes),
validates the whole step (contradicting dates are refused with the reason), writes it with its audit event
in one transaction, and changes other modules only through their own service functions.

The functions live in small modules by subject and are imported from here."""

from youse.enforcement.services.announcements import (
    draft_announcement,
    edit_announcement,
    publish_announcement,
)
from youse.enforcement.services.campaigns import campaign_enterprises, create_campaign
from youse.enforcement.services.cases import open_case, record_inspection
from youse.enforcement.services.closures import (
    decide_closure,
    execute_closure,
    plan_facts,
    propose_closure,
    record_land,
    record_outcome,
    resettlement_checks,
    save_resettlement_plan,
    withdraw_closure,
)
from youse.enforcement.services.orders import (
    escalate,
    issue_order,
    mark_overdue_orders,
    reinspect,
    report_done,
    start_order,
)

__all__ = [
    "campaign_enterprises",
    "create_campaign",
    "decide_closure",
    "draft_announcement",
    "edit_announcement",
    "escalate",
    "execute_closure",
    "issue_order",
    "mark_overdue_orders",
    "open_case",
    "plan_facts",
    "propose_closure",
    "publish_announcement",
    "record_inspection",
    "record_land",
    "record_outcome",
    "reinspect",
    "report_done",
    "resettlement_checks",
    "save_resettlement_plan",
    "start_order",
    "withdraw_closure",
]
