"""A cast for the credit list: the personas' two enterprises and one more enterprise for each criterion,
each failing exactly that criterion as of 2020-12-31 (and the fixture's own helper to add more).

Facts are written directly as rows (the enforcement, monitoring, capacity and statistics workflows are
tested in their own modules); what matters here is that the list reads them right."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from youse.capacity.models import CapacityViolation
from youse.credit import services
from youse.enforcement.models import Case, Closure, Inspection, RectificationOrder
from youse.monitoring.models import Alarm, MonitoringPoint
from youse.registry import services as registry_services
from youse.registry.models import Enterprise
from youse.registry.rules import make_credit_code
from youse.stats.models import MonthlyReport, ReportRevision

AS_OF = dt.date(2020, 12, 31)


def aware(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


class Cast:
    def __init__(self, personas) -> None:
        self.p = personas
        self.serial = itertools.count(100)
        self.department = personas.department
        div = personas.division
        self.div = div
        a, b = personas.enterprise_a, personas.enterprise_b
        # A (Yulin, magnesium): meets every criterion. B (Baoji, titanium): too small to be a backbone.
        self.revenue(a, 6000)
        self.inspect(a, dt.date(2019, 9, 1), "pass")
        self.revenue(b, 1000)
        self.inspect(b, dt.date(2019, 9, 2), "pass")
        self.closed = self.enterprise("关停示范铝业有限公司", "610200", "Al", status="closed")
        self.not_inspected = self.enterprise("未检查示范钼业有限公司", "610500", "Mo", inspect=None)
        self.failed = self.enterprise("不合规示范锌业有限公司", "610700", "Zn", inspect="fail")
        self.ordered = self.enterprise("整改示范铅业有限公司", "610700", "Pb")
        case = self.case(self.ordered)
        failing = Inspection.objects.create(
            case=case, dimensions=["environment"], inspecting_unit="汉中市工信局", inspectors="王建华",
            inspected_on=dt.date(2020, 3, 1), verdict="fail",
        )  # fmt: skip
        self.order = RectificationOrder.objects.create(
            code="HZ-2020-001", case=case, inspection=failing, issued_on=dt.date(2020, 3, 10),
            deadline=dt.date(2020, 6, 30), responsible_person="李明", state="issued",
        )  # fmt: skip
        # A later, passing inspection (another case): the order is what keeps it off the list.
        self.inspect(self.ordered, dt.date(2020, 9, 1), "pass")
        self.smoky = self.enterprise("超标示范铝业有限公司", "610800", "Al")
        point = MonitoringPoint.objects.create(
            mn="CREDIT00000000000000000001", name="电解烟气", plant=self.smoky.plants.get(), outlet="DA001",
            medium="gas", standard="GB 25465-2010", plant_type="电解铝",
        )  # fmt: skip
        for day in (dt.date(2020, 7, 3), dt.date(2020, 8, 15)):
            Alarm.objects.create(
                point=point, kind="exceedance", factor="SO2", started_at=aware(day), ended_at=aware(day), peak=300
            )
        # An old exceedance, outside the twelve months: no effect.
        Alarm.objects.create(point=point, kind="exceedance", factor="NOx", started_at=aware(dt.date(2019, 6, 1)))
        self.violator = self.enterprise("超产示范铝业有限公司", "610800", "Al")
        CapacityViolation.objects.create(
            key=f"output_above_ledger:{self.violator.pk}:2020-05", kind="output_above_ledger",
            enterprise=self.violator, detail="产量超出指标", status="open",
            first_detected_at=aware(dt.date(2020, 5, 20)), last_detected_at=aware(dt.date(2020, 6, 20)),
        )  # fmt: skip
        self.closing = self.enterprise("关停退出示范钒业有限公司", "610200", "V")
        Closure.objects.create(
            case=self.case(self.closing), state="decided", reason="不符合规范", basis="二(八)",
            document="陕工信发〔2020〕99号", decided_on=dt.date(2020, 10, 20), effective_on=dt.date(2021, 3, 1),
        )  # fmt: skip
        # Not candidates: no unit of a policy metal; founded after the date.
        self.copper = self.enterprise("示范铜业有限公司", "610800", "Cu")
        self.young = self.enterprise("新建示范镁业有限公司", "610800", "Mg", established=dt.date(2021, 5, 1))

    # --- builders -----------------------------------------------------------------------------------

    def enterprise(self, name, city, metal, *, status="active", inspect="pass", established=None, revenue=6000):
        n = next(self.serial)
        ent = registry_services.create_enterprise(
            self.department,
            {
                "name": name,
                "credit_code": make_credit_code(f"91{city}MA0000{n:03d}"[:17]),
                "division": self.div[city],
                "ownership": "private",
                "established_on": established,
            },
        )
        plant = registry_services.create_plant(self.department, ent, {"name": "一厂", "division": self.div[city]})
        registry_services.create_unit(
            self.department,
            plant,
            {"name": f"{metal}一线", "metal": metal, "stage": "smelting", "product": metal,
             "design_capacity": "10000", "capacity_unit": "t/a"},
            status="operating",
            status_since=dt.date(2015, 1, 1),
        )  # fmt: skip
        if status != "active":
            Enterprise.objects.filter(pk=ent.pk).update(status=status)
            ent.refresh_from_db()
        if revenue:
            self.revenue(ent, revenue)
        if inspect:
            self.inspect(ent, dt.date(2019, 10, 1), inspect)
        return ent

    def case(self, ent: Enterprise) -> Case:
        return Case.objects.create(
            code=f"TEST-{next(self.serial)}", enterprise=ent, source="complaint",
            city=ent.division.prefecture or ent.division, opened_at=aware(dt.date(2019, 1, 1)),
        )  # fmt: skip

    def inspect(self, ent: Enterprise, on: dt.date, verdict: str) -> Inspection:
        return Inspection.objects.create(
            case=self.case(ent), dimensions=["environment"], inspecting_unit="市工信局", inspectors="张三",
            inspected_on=on, verdict=verdict,
        )  # fmt: skip

    def revenue(self, ent: Enterprise, per_month_wan: int, year: int = 2020) -> None:
        """Twelve accepted monthly reports of `year` with this revenue (万元) each."""
        for month in range(1, 13):
            report = MonthlyReport.objects.create(enterprise=ent, period=dt.date(year, month, 1), status="accepted")
            rev = ReportRevision.objects.create(
                report=report, number=1, value_added=Decimal(1), revenue=Decimal(per_month_wan), profit=Decimal(1),
                energy_tce=Decimal(1), electricity_kwh=Decimal(1), employees=10,
            )  # fmt: skip
            report.current = report.accepted = rev
            report.save(update_fields=["current", "accepted"])


@pytest.fixture
def cast(personas) -> Cast:
    return Cast(personas)


@pytest.fixture
def edition(cast):
    """The 2020 list derived as of 2020-12-31 (a draft)."""
    return services.derive_edition(cast.department, year=2020, as_of=AS_OF)


@pytest.fixture
def published(edition, cast):
    return services.publish_edition(cast.department, edition, document="陕工信函〔2021〕1号")
