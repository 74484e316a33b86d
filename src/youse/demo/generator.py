"""Writing the synthetic data set through the service functions (DESIGN.md principle 2).

`build()` draws the plan (plan.py), then creates the department persona, every enterprise, plant and
production unit with its status history, the other personas, and finally the DemoDataset row that labels
the database as synthetic. Every row goes through registry.services / core.services with the department
persona as actor and the audit channel "demo", exactly as a person would make it. Unless asked not to,
it then files the monthly statistical reports (reports.py) through stats.services. The aluminium capacity
ledger with its replacement schemes (capacity.py) is kept through capacity.services, before the reports;
the violations it leaves are found after them.

The whole build is one transaction: a failure leaves the database as it was, so the next run starts
again from an empty registry instead of refusing a half-built one."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from youse.core import audit
from youse.core.models import AuditEvent, Division, IndustrialBase, Metal, User, ValueChainStage
from youse.demo import bulletins as demo_bulletins
from youse.demo import capacity as demo_capacity
from youse.demo import cooperation as demo_cooperation
from youse.demo import credit as demo_credit
from youse.demo import enforcement as demo_enforcement
from youse.demo import monitoring as demo_monitoring
from youse.demo import personas
from youse.demo import pricing as demo_pricing
from youse.demo import reports as demo_reports
from youse.demo import supervision as demo_supervision
from youse.demo import support as demo_support
from youse.demo.catalogue import LEADERS, PERSONA_ENTERPRISES
from youse.demo.models import DemoDataset
from youse.demo.places import ZONE_NAMES
from youse.demo.plan import AS_OF, EnterprisePlan, plan
from youse.demo.services import record_dataset
from youse.monitoring.models import MonitoringPoint
from youse.registry import services as registry
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange
from youse.stats.models import MonthlyReport

Progress = Callable[[int, int], None]


class DemoRefused(Exception):
    """The database is not empty: the demo builds only into an empty registry."""


@dataclass
class BuildResult:
    dataset: DemoDataset
    seconds: float

    @property
    def counts(self) -> dict[str, int]:
        return self.dataset.counts


def refusal() -> str | None:
    """Why the demo may not be built into this database, or None when it may."""
    enterprises = Enterprise.objects.count()
    if enterprises:
        return (
            f"The database already holds {enterprises} enterprises. The synthetic data set is built only into "
            "an empty registry, so that it is never mixed with real data: use a fresh database "
            "(for the embedded one, remove var/youse.sqlite3) and run the command again."
        )
    taken = sorted(User.objects.filter(username__in=personas.USERNAMES).values_list("username", flat=True))
    if taken:
        return f"Users named like the demo personas already exist ({', '.join(taken)}); use a fresh database."
    return None


class _References:
    """Reference rows by the keys the plan uses, loaded once."""

    def __init__(self) -> None:
        current = Division.objects.filter(valid_to__isnull=True)
        self.divisions: dict[str, Division] = {d.code: d for d in current.exclude(code="")}
        zones = {d.name: d for d in current.filter(level=Division.Level.ZONE)}
        for key, name in ZONE_NAMES.items():
            self.divisions[key] = zones[name]
        self.bases = {b.code: b for b in IndustrialBase.objects.all()}
        self.metals = {m.code: m for m in Metal.objects.all()}
        self.stages = {s.code: s for s in ValueChainStage.objects.all()}


def _write_enterprise(actor: User, p: EnterprisePlan, refs: _References) -> Enterprise:
    ent = registry.create_enterprise(
        actor,
        {
            "name": p.name,
            "short_name": p.short_name,
            "credit_code": p.credit_code,
            "division": refs.divisions[p.place],
            "base": refs.bases[p.base] if p.base else None,
            "ownership": p.ownership,
            "status": p.status,
            "legal_representative": p.legal_representative,
            "contact_person": p.contact_person,
            "contact_phone": p.contact_phone,
            "contact_email": p.contact_email,
            "address": p.address,
            "established_on": p.established_on,
            "employees": p.employees,
        },
        reason="示例数据",
    )
    for pp in p.plants:
        plant = registry.create_plant(
            actor,
            ent,
            {
                "name": pp.name,
                "address": pp.address,
                "division": refs.divisions[pp.place],
                "base": refs.bases[pp.base] if pp.base else None,
                "latitude": pp.latitude,
                "longitude": pp.longitude,
            },
            reason="示例数据",
        )
        for up in pp.units:
            first, *rest = up.history
            unit = registry.create_unit(
                actor,
                plant,
                {
                    "name": up.name,
                    "metal": refs.metals[up.metal],
                    "stage": refs.stages[up.stage],
                    "product": up.product,
                    "process": up.process,
                    "main_equipment": up.equipment,
                    "design_capacity": up.capacity,
                    "capacity_unit": up.capacity_unit,
                    "approval_document": up.approval_document,
                },
                status=first.status,
                status_since=first.on,
                document=first.document,
                reason=first.reason,
            )
            for step in rest:
                registry.change_unit_status(
                    actor, unit, step.status, effective_on=step.on, document=step.document, reason=step.reason
                )
    return ent


def build(seed: int = 42, scale: int = 1, *, progress: Progress | None = None, reports: bool = True) -> BuildResult:
    """Build the synthetic data set; raises DemoRefused when the database already holds a registry.

    `reports=False` leaves out the monthly statistical reports (the slowest step at large scales)."""
    started = time.perf_counter()
    # The data set is dated AS_OF; on a machine whose clock is earlier, status changes cannot be in the
    # future, so the plan is drawn as of today instead (names and codes do not depend on it).
    today = timezone.localdate()
    plans = plan(seed, scale, as_of=min(AS_OF, today))
    months = demo_reports.report_months(today) if reports else []
    total = len(plans) + len(months)
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total)

    with audit.channel(AuditEvent.Channel.DEMO), transaction.atomic():
        why = refusal()
        if why:
            raise DemoRefused(why)
        refs = _References()
        department = personas.create_department()
        by_key: dict[str, Enterprise] = {}
        for p in plans:
            by_key[p.key] = _write_enterprise(department, p, refs)
            step()
        users = personas.create_others(department, {k: by_key[v] for k, v in PERSONA_ENTERPRISES.items()})
        # The capacity ledger's approved schemes add units: before the stacks and the reports are drawn.
        demo_capacity.build(department, by_key, today)
        # The environment department registers the smelters' monitoring points.
        environment = next((u for u in users if u.username == "hbt"), department)
        demo_monitoring.build(environment, seed)
        # Enforcement answers a repeated exceedance, and its closures exit units: after the monitoring
        # points, before the reports (which follow the units' histories).
        demo_enforcement.build({u.username: u for u in [department, *users]}, by_key, seed, today)
        if reports:
            demo_reports.build(
                department,
                {u.username: u for u in [department, *users]},
                {ent.pk: key for key, ent in by_key.items()},
                {leader.key for leader in LEADERS},
                seed,
                scale,
                today,
                progress=step,
            )
        # Capacity violations judge the reports' output, so they are found after them.
        capacity = demo_capacity.detect()
        enforcement = demo_enforcement.finish(department)
        # Surcharge lists are drafted from the accepted reports of the year before: after the reports.
        demo_pricing.build(department, by_key, today)
        # Supervision follows the policy's tasks and the cities' plans: it needs only the personas.
        demo_supervision.build({u.username: u for u in [department, *users]}, today)
        # Support funds and reserves: the enterprises' projects and holdings, with the personas' steps.
        demo_support.build({u.username: u for u in [department, *users]}, by_key, seed, today)
        # Overseas projects of the leader enterprises, registered by their personas, the city or the department.
        demo_cooperation.build({u.username: u for u in [department, *users]}, by_key, today)
        # The credit support list reads inspections, orders, closures, alarms, violations and the reports.
        credit = demo_credit.build(department, today)
        # The monthly bulletins read every module: last.
        bulletins = demo_bulletins.build(department, today)
        counts = {
            "enterprises": Enterprise.objects.count(),
            "plants": Plant.objects.count(),
            "units": ProductionUnit.objects.count(),
            "status_changes": UnitStatusChange.objects.count(),
            "personas": 1 + len(users),
            "monitoring_points": MonitoringPoint.objects.count(),
            "reports": MonthlyReport.objects.count(),
            **capacity,
            **enforcement,
            **demo_pricing.counts(),
            **demo_supervision.counts(),
            **bulletins,
            **demo_support.counts(),
            **demo_cooperation.counts(),
            **credit,
        }
        dataset = record_dataset(department, seed, scale, counts)
    return BuildResult(dataset, time.perf_counter() - started)
