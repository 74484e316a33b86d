"""Roles of DESIGN.md and what each may do. One table, so that who-may-do-what is read in one place."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DEPARTMENT = "department", _("Department (省工信厅)")
    PROVINCIAL_UNIT = "provincial_unit", _("Provincial unit")
    CITY = "city", _("City")
    ENTERPRISE = "enterprise", _("Enterprise")
    PUBLIC = "public", _("Public")


D, U, C, E = Role.DEPARTMENT, Role.PROVINCIAL_UNIT, Role.CITY, Role.ENTERPRISE

# capability -> roles that hold it. Object-level scope is checked separately (core.scopes).
CAPABILITIES: dict[str, frozenset[str]] = {
    "registry.view": frozenset({D, U, C, E}),
    "registry.create_enterprise": frozenset({D, C}),
    "registry.edit": frozenset({D, C}),
    # An enterprise keeps its own contact details current; the rest of its record is the regulators'.
    "registry.edit_contact": frozenset({D, C, E}),
    "registry.change_status": frozenset({D, C}),
    "audit.search": frozenset({D}),
    # Monthly statistical reports (stats): an enterprise files its own; a city files for and reviews its
    # enterprises; the department accepts. Provincial units read the figures.
    "stats.view": frozenset({D, U, C, E}),
    "stats.file": frozenset({D, C, E}),
    "stats.review": frozenset({D, C}),
    "stats.accept": frozenset({D}),
    "stats.manage_rules": frozenset({D}),
    # Online monitoring (monitoring): everyone in scope reads; the environment department (a provincial
    # unit, see UNIT_CAPABILITIES) manages points, limits, the quarantine and acknowledges alarms as the
    # authority; an enterprise acknowledges (explains) its own alarms.
    "monitoring.view": frozenset({D, U, C, E}),
    "monitoring.manage": frozenset({D}),
    "monitoring.acknowledge": frozenset({D, E}),
    # Aluminium capacity (capacity, clause 二(七)): the department keeps the ledger and decides schemes; an
    # enterprise applies for itself; the city where an exit line stands confirms its dismantling.
    "capacity.view": frozenset({D, U, C, E}),
    "capacity.ledger": frozenset({D}),
    "capacity.apply": frozenset({D, E}),
    "capacity.decide": frozenset({D}),
    "capacity.dismantling": frozenset({D, C}),
    "capacity.violations": frozenset({D, C}),
    # Enforcement (enforcement, clauses 二(八) 三(三) 三(七)): a city inspects and orders rectification in its
    # city; the department runs campaigns, decides closures and publishes; an enterprise answers its orders
    # and, with its city, keeps the staff resettlement plan of its closure.
    "enforcement.view": frozenset({D, U, C, E}),
    "enforcement.campaign": frozenset({D}),
    "enforcement.open_case": frozenset({D, C}),
    "enforcement.inspect": frozenset({D, C}),
    "enforcement.order": frozenset({D, C}),
    "enforcement.respond": frozenset({D, C, E}),
    "enforcement.decide": frozenset({D}),
    "enforcement.resettlement": frozenset({D, C, E}),
    "enforcement.land": frozenset({D, C}),
    "enforcement.publish": frozenset({D}),
    # Electricity surcharges (pricing, clause 三(一)): the department drafts, adjusts and approves the
    # year's list; the development and reform commission (a provincial unit) and the cities read it; each
    # smelter reads its own assessment with the arithmetic.
    "pricing.view": frozenset({D, U, C, E}),
    "pricing.manage": frozenset({D}),
    # Supervision (supervision, closing paragraph 组织实施): the department breaks the tasks into sub-tasks,
    # reviews the cities' plans, comments, marks major problems and writes the report for the provincial
    # government; provincial units report on the sub-tasks they own; a city keeps its own plan and reports
    # on its milestones and sub-tasks. Enterprises are supervised through the other modules, not here.
    "supervision.view": frozenset({D, U, C}),
    "supervision.manage": frozenset({D}),
    "supervision.plan": frozenset({D, C}),
    "supervision.progress": frozenset({D, U, C}),
    "supervision.review": frozenset({D}),
    "supervision.report": frozenset({D}),
    # The monthly capacity monitoring and early-warning bulletin (portal, clause 三(八)): the department
    # reviews the draft, writes its commentary and publishes; provincial units and cities read drafts.
    "bulletin.view": frozenset({D, U, C}),
    "bulletin.manage": frozenset({D}),
    # International capacity cooperation (cooperation, clause 二(六)): an enterprise (or its city) reports
    # its overseas projects; the department files and reviews them.
    "cooperation.view": frozenset({D, U, C, E}),
    "cooperation.report": frozenset({D, C, E}),
    "cooperation.review": frozenset({D}),
    # Support funds and reserves (support, clauses 三(四) 三(六)): the department opens fund calls, decides
    # and disburses; an enterprise applies, its city recommends; holders record their reserves.
    "support.view": frozenset({D, U, C, E}),
    "support.apply": frozenset({D, C, E}),
    "support.recommend": frozenset({D, C}),
    "support.manage": frozenset({D}),
    "support.reserves": frozenset({D, E}),
    # The credit support list (credit, clause 三(五)): derived by rules the department keeps as data;
    # the department publishes it; everyone in scope reads the reasons.
    "credit.view": frozenset({D, U, C, E}),
    "credit.manage": frozenset({D}),
    "reference.view": frozenset({D, U, C, E}),
}

# Fields of an enterprise that its own users may change (registry.edit_contact).
ENTERPRISE_CONTACT_FIELDS = ("contact_person", "contact_phone", "contact_email", "address", "website")


# Capabilities that belong to one provincial unit rather than to a role: the environment department
# (省环境保护厅, unit code "hbt") manages monitoring limits, points and the quarantine (clause 二(五)).
UNIT_CAPABILITIES: dict[str, frozenset[str]] = {
    "hbt": frozenset({"monitoring.manage", "monitoring.acknowledge"}),
}


def role_has(role: str | None, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return role in CAPABILITIES[capability]
