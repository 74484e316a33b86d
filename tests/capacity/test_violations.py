"""Violation detection (capacity/violations.py): each kind found, found once however often it runs, and
resolved when the condition goes away."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from youse.capacity import services, violations
from youse.capacity.models import CapacityViolation
from youse.core.models import AuditEvent
from youse.registry import services as registry
from youse.stats import services as stats

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JULY, AUGUST = dt.date(2025, 7, 1), dt.date(2025, 8, 1)


def open_cases(kind: str | None = None) -> dict[str, CapacityViolation]:
    qs = CapacityViolation.objects.filter(status="open")
    if kind:
        qs = qs.filter(kind=kind)
    return {c.key: c for c in qs}


def smelter(personas, capacity: int, *, status: str = "operating", since=dt.date(2020, 1, 1)):
    """An electrolysis line of enterprise B (Baoji), which holds no active capacity in the ledger."""
    return registry.create_unit(
        personas.department,
        personas.plant_b,
        {
            "name": f"电解铝{capacity // 10000}万吨系列",
            "metal": "Al",
            "stage": "smelting",
            "product": "电解铝液",
            "main_equipment": "400kA×200",
            "design_capacity": str(capacity),
            "capacity_unit": "t/a",
        },
        status=status,
        status_since=since,
        document="宝发改〔2019〕7号",
    )


def cover(personas, unit, tonnes: int, code: str):
    return services.register_indicator(
        personas.department,
        {
            "code": code,
            "tonnes": tonnes,
            "owner": personas.enterprise_b,
            "unit": unit,
            "origin_document": "宝发改〔2019〕7号",
            "basis": "built_compliant",
            "built_on": dt.date(2019, 12, 1),
        },
    )


def report(personas, unit, month: dt.date, aluminium: str):
    data = {
        "value_added": "100",
        "revenue": "1000",
        "profit": "10",
        "energy_tce": "5000",
        "electricity_kwh": "100000000",
        "employees": 300,
    }
    line = {
        "unit": unit.pk,
        "output_t": aluminium,
        "output_value": "20000",
        "al_liquid_t": aluminium,
        "ac_kwh_per_t": "13000",
        "ac_total_kwh_per_t": "13400",
    }
    r = stats.save_report(personas.ent_b, personas.enterprise_b, month, data, [line])
    stats.submit_report(personas.ent_b, r)
    return stats.accept_report(personas.department, r)


def test_it_finds_a_unit_whose_capacity_the_ledger_does_not_cover(al, personas):
    unit = smelter(personas, 250000)
    cover(personas, unit, 200000, "CN-B-PART")
    summary = violations.detect()
    cases = open_cases("uncovered_unit")
    assert list(cases) == [f"uncovered_unit:unit-{unit.pk}"]
    case = cases[f"uncovered_unit:unit-{unit.pk}"]
    assert (case.tonnes, case.unit, case.enterprise) == (Decimal(50000), unit, personas.enterprise_b)
    assert "50,000" in case.detail
    assert summary.new == [case.key]
    # The fixture's own lines are covered (CN-A-RUN) or idle (the old line): not cases.
    assert not CapacityViolation.objects.filter(unit=al.running_unit).exists()
    assert not CapacityViolation.objects.filter(unit=al.closed_unit).exists()


def test_it_counts_units_under_construction_but_not_projects_on_paper(personas):
    building = smelter(personas, 100000, status="construction")
    smelter(personas, 120000, status="approved")
    violations.detect()
    assert list(open_cases()) == [f"uncovered_unit:unit-{building.pk}"]


def test_a_second_run_changes_nothing(personas):
    smelter(personas, 250000)
    first = violations.detect()
    events = AuditEvent.objects.count()
    second = violations.detect()
    assert (len(first.new), second.new, second.resolved, second.reopened) == (1, [], [], [])
    assert CapacityViolation.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_it_resolves_a_case_once_the_ledger_covers_the_unit_and_reopens_it_if_it_recurs(personas):
    unit = smelter(personas, 250000)
    violations.detect()
    ind = cover(personas, unit, 250000, "CN-B-FULL")
    summary = violations.detect()
    case = CapacityViolation.objects.get()
    assert (case.status, case.resolution, summary.resolved) == ("resolved", "condition no longer detected", [case.key])
    assert case.resolved_at is not None
    trail = AuditEvent.objects.filter(content_type__model="capacityviolation", object_id=str(case.pk)).order_by("pk")
    assert [e.after.get("event") for e in trail] == ["detected", "resolved"]
    assert all(e.actor is None for e in trail)
    # The unit's capacity is found ineligible: the same case opens again, not a second one.
    services.disqualify(personas.department, ind, tonnes=30000, holding="active", reason="未列入合规名单")
    again = violations.detect()
    case.refresh_from_db()
    assert (case.status, case.resolved_at, case.tonnes, again.reopened) == ("open", None, Decimal(30000), [case.key])
    assert CapacityViolation.objects.count() == 1


def test_it_finds_output_above_the_capacity_the_ledger_covers(personas):
    unit = smelter(personas, 250000)
    cover(personas, unit, 100000, "CN-B-SMALL")
    report(personas, unit, JULY, "20000")  # 20000 × 365 / 31 = 235,484 t/yr against 100,000 t (+10%)
    violations.detect()
    case = open_cases("output_above_ledger")[f"output_above_ledger:enterprise-{personas.enterprise_b.pk}:2025-07"]
    assert case.period == JULY
    assert case.tonnes == Decimal("125483.9")  # 235,483.9 − 110,000
    assert "235,484" in case.detail


def test_output_within_the_tolerance_is_no_case(personas, settings):
    unit = smelter(personas, 250000)
    cover(personas, unit, 200000, "CN-B-MOST")
    report(personas, unit, JULY, "18500")  # 217,823 t/yr ≤ 200,000 × 1.10
    violations.detect()
    assert not open_cases("output_above_ledger")
    settings.YOUSE_OUTPUT_TOLERANCE = "0.05"  # ≤ 210,000 now
    violations.detect()
    assert list(open_cases("output_above_ledger")) == [
        f"output_above_ledger:enterprise-{personas.enterprise_b.pk}:2025-07"
    ]


def test_capacity_closed_after_the_month_still_covered_it(personas):
    unit = smelter(personas, 250000)
    ind = cover(personas, unit, 250000, "CN-B-ALL")
    report(personas, unit, JULY, "20000")
    services.close_capacity(personas.department, ind, closed_on=dt.date(2025, 9, 15), document="宝工信〔2025〕3号")
    violations.detect()
    assert not open_cases("output_above_ledger")
    # The line is closed in the ledger but still registered as operating: that is a case of its own.
    assert list(open_cases()) == [f"uncovered_unit:unit-{unit.pk}"]


def test_output_cases_are_resolved_when_the_ledger_covers_the_month(personas):
    unit = smelter(personas, 250000)
    cover(personas, unit, 100000, "CN-B-SMALL")
    report(personas, unit, JULY, "20000")
    report(personas, unit, AUGUST, "20000")
    violations.detect()
    assert len(open_cases("output_above_ledger")) == 2
    cover(personas, unit, 150000, "CN-B-REST")
    summary = violations.detect()
    assert not open_cases()
    assert len(summary.resolved) == 3  # two months and the unit


def test_it_judges_only_the_latest_reported_months(personas):
    unit = smelter(personas, 250000)
    cover(personas, unit, 100000, "CN-B-SMALL")
    for month in (4, 5, 6, 7):
        report(personas, unit, dt.date(2025, month, 1), "20000")
    violations.detect()
    months = sorted(c.period.month for c in open_cases("output_above_ledger").values())
    assert months == [5, 6, 7]
    assert violations.latest_output_months() == [dt.date(2025, 7, 1), dt.date(2025, 6, 1), dt.date(2025, 5, 1)]


@pytest.fixture
def overdue_scheme(al, personas, settings, tmp_path):
    """An approved scheme whose exit line (enterprise A's old, idle line) was due dismantled in June 2025."""
    settings.MEDIA_ROOT = tmp_path
    lines = [{"indicator": "CN-A-OLD", "tonnes": 150000, "dismantling_start": dt.date(2025, 3, 1),
              "dismantling_due": dt.date(2025, 6, 30)}]  # fmt: skip
    scheme = al.draft(lines=lines)
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme, published_on=dt.date(2025, 3, 3))
    services.end_notices(scheme.notice_end + dt.timedelta(days=1))
    services.approve_scheme(personas.department, scheme, document="陕工信发〔2025〕9号")
    return scheme


def test_it_finds_an_exit_line_producing_after_its_dismantling_date(al, personas, overdue_scheme):
    violations.detect()
    assert not open_cases("producing_after_dismantling")  # overdue, but the line is idle
    registry.change_unit_status(
        personas.department, al.closed_unit, "operating", effective_on=dt.date(2025, 8, 1), document="府工信〔2025〕8号"
    )
    violations.detect()
    line = overdue_scheme.exit_lines.get()
    case = open_cases("producing_after_dismantling")[f"producing_after_dismantling:exit-line-{line.pk}"]
    assert (case.exit_line, case.unit, case.enterprise) == (line, al.closed_unit, personas.enterprise_a)
    assert overdue_scheme.code in case.detail and "2025-06-30" in case.detail
    assert not violations.detect().new


def test_confirmed_dismantling_resolves_it(al, personas, overdue_scheme):
    registry.change_unit_status(
        personas.department, al.closed_unit, "operating", effective_on=dt.date(2025, 8, 1), document="府工信〔2025〕8号"
    )
    violations.detect()
    line = overdue_scheme.exit_lines.get()
    services.confirm_dismantling(
        personas.department,
        line,
        dismantled_on=timezone.localdate(),
        files=[SimpleUploadedFile("拆除.png", PNG, content_type="image/png")],
    )
    summary = violations.detect()
    # The restarted line ran on consumed capacity, so it was uncovered too; exited now, it is neither.
    assert set(summary.resolved) == {
        f"producing_after_dismantling:exit-line-{line.pk}",
        f"uncovered_unit:unit-{al.closed_unit.pk}",
    }
    assert not open_cases()


def test_the_tick_duty_runs_detection(personas):
    from youse.core.tick import DUTIES

    smelter(personas, 250000)
    message = DUTIES["capacity.violations"].run(timezone.now())
    assert message.startswith("1 open capacity violations (1 new")
