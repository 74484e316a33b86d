"""The demo's monthly reports (youse.demo.reports), built once at scale 1 for the module."""

import calendar
import datetime as dt
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import F, Sum
from django.test import override_settings
from django.utils import timezone

from youse.core.models import AuditEvent
from youse.demo import reports
from youse.demo.catalogue import LEADERS
from youse.demo.generator import build
from youse.demo.models import DemoDataset
from youse.demo.plan import AS_OF, plan
from youse.registry.models import Enterprise
from youse.stats import checks, facts, overdue, rules
from youse.stats.models import MonthlyReport, ReportLine, ReportRevision

SEED, SCALE = 42, 1


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build(SEED, SCALE)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo")


def _months() -> list[dt.date]:
    return reports.report_months(timezone.localdate())


def _keys() -> dict[int, str]:
    names = {p.name: p.key for p in plan(SEED, SCALE)}
    return {pk: names[name] for pk, name in Enterprise.objects.values_list("pk", "name")}


def _owing(months: list[dt.date]) -> int:
    """Enterprise-months with a unit operating, counted from the plan (not from what was built)."""
    operating = frozenset({"operating"})
    n = 0
    for ent in plan(SEED, SCALE, as_of=min(AS_OF, timezone.localdate())):
        histories = [[(s.on, str(s.status)) for s in u.history] for u in ent.units]
        for m in months:
            end = m.replace(day=calendar.monthrange(m.year, m.month)[1])
            n += any(rules.days_in_status(h, operating, m, end) for h in histories)
    return n


def test_it_files_a_report_for_every_enterprise_month_but_the_missing_ones(db, demo):
    months = _months()
    assert months[0] == dt.date(2015, 1, 1) and dt.date(2020, 12, 1) in months
    assert months[-1] == overdue.latest_due_month(timezone.localdate())
    missing = [o for o in overdue.overdue(timezone.localdate()) if o.status == "missing"]
    assert len(missing) >= 2
    assert MonthlyReport.objects.count() == _owing(months) - len(missing)
    assert set(MonthlyReport.objects.values_list("period", flat=True)) == set(months)
    assert DemoDataset.objects.get().counts["reports"] == MonthlyReport.objects.count()


def test_it_accepts_every_report_but_a_few_of_the_latest_month(db, demo):
    latest = _months()[-1]
    pending = MonthlyReport.objects.exclude(status="accepted")
    assert set(pending.values_list("period", flat=True)) == {latest}
    by_status = defaultdict(int)
    for status in pending.values_list("status", flat=True):
        by_status[status] += 1
    assert by_status["returned"] == 3 and by_status["submitted"] == 2 and by_status["city_accepted"] == 2
    assert by_status["draft"] >= 2
    assert not MonthlyReport.objects.filter(status="accepted").exclude(accepted=F("current")).exists()
    assert not MonthlyReport.objects.filter(status="accepted", accepted=None).exists()
    # The leaders (whose smelters carry the province's figures) are never among them.
    leaders = Enterprise.objects.filter(name__in=[leader.name for leader in LEADERS])
    assert not pending.filter(enterprise__in=leaders).exists()


def test_it_returns_reports_with_their_reasons(db, demo):
    returned = MonthlyReport.objects.filter(status="returned")
    events = AuditEvent.objects.filter(
        content_type__model="monthlyreport",
        object_id__in=[str(pk) for pk in returned.values_list("pk", flat=True)],
        after__status="returned",
    )
    assert events.count() == 3 and all(e.reason for e in events)
    assert {e.actor_username for e in events} == {"yulin", "baoji", "gxt"}


def test_it_files_lines_that_pass_the_checks(db, demo):
    revisions = ReportRevision.objects.filter(report__accepted=F("pk")).values(
        "pk", "report__enterprise_id", "report__period", *checks.ENTERPRISE_FIGURES
    )
    lines = defaultdict(list)
    for ln in ReportLine.objects.filter(revision__report__accepted=F("revision")).values(
        "revision_id", "unit_id", *checks.LINE_FIGURES
    ):
        lines[ln.pop("revision_id")].append({"unit": ln.pop("unit_id"), **ln})
    unit_facts = facts.unit_facts(Enterprise.objects.values_list("pk", flat=True), _months())
    today = timezone.localdate()
    checked = electrolysis = 0
    for rev in revisions:
        figures = {f: rev[f] for f in checks.ENTERPRISE_FIGURES}
        period, ent = rev["report__period"], rev["report__enterprise_id"]
        _parsed, _lines, problems = checks.check_report(
            period, figures, lines[rev["pk"]], unit_facts[period], ent, today
        )
        assert problems == [], (ent, period, problems)
        assert figures["value_added"] < sum(ln["output_value"] for ln in lines[rev["pk"]])
        assert abs(figures["revenue"] / sum(ln["output_value"] for ln in lines[rev["pk"]]) - 1) < Decimal("0.06")
        for ln in lines[rev["pk"]]:
            if ln["al_liquid_t"]:
                electrolysis += 1
                assert Decimal(13200) <= ln["ac_total_kwh_per_t"] <= Decimal(14200)
                assert ln["ac_kwh_per_t"] < ln["ac_total_kwh_per_t"]
        checked += 1
    assert checked > 7000 and electrolysis > 100


def test_it_corrects_one_accepted_report_in_a_second_revision(db, demo):
    corrected = MonthlyReport.objects.filter(revisions__number=2)
    assert corrected.count() == 1
    report = corrected.get()
    assert report.status == "accepted" and report.accepted.number == 2 and report.accepted.reason
    assert (report.enterprise.short_name, report.period) == ("钛谷示范钛业（示例）", dt.date(2020, 6, 1))
    first = report.revisions.get(number=1)
    assert first.superseded and report.accepted.value_added < first.value_added


def test_it_leaves_followers_overdue_for_the_latest_month(db, demo):
    listed = overdue.overdue(timezone.localdate())
    assert {o.status for o in listed} == {"missing", "draft", "returned"}
    assert {o.period for o in listed} == {_months()[-1]}


def _yi(qs) -> Decimal:
    return (qs.aggregate(v=Sum("accepted__value_added"))["v"] or Decimal(0)) / 10000


def test_it_shapes_the_targets_some_met_some_not(db, demo):
    accepted = MonthlyReport.objects.filter(status="accepted")
    # Value added near but below the 1,000 亿元 of 2020.
    assert Decimal(880) < _yi(accepted.filter(period__year=2020)) < Decimal(950)
    # Deep-processing share crosses 50% between 2019 and 2020.
    shares = {}
    for year in (2019, 2020):
        lines = ReportLine.objects.filter(revision__report__accepted=F("revision"), revision__report__period__year=year)
        total = lines.aggregate(v=Sum("output_value"))["v"]
        deep = lines.filter(stage__code="deep_processing").aggregate(v=Sum("output_value"))["v"]
        shares[year] = deep / total * 100
    assert shares[2019] < 50 < shares[2020]
    # Tongchuan's value added falls year on year in 2019 and 2020.
    tongchuan = accepted.filter(enterprise__division__prefecture__code="610200")
    va = [_yi(tongchuan.filter(period__year=y)) for y in (2018, 2019, 2020)]
    assert va[0] > va[1] > va[2] > 0


def test_it_draws_the_same_reports_from_the_same_seed(db, demo):
    enterprises = reports.load_enterprises(_keys())
    months = _months()
    first = dict(reports.monthly_inputs(enterprises, months, SEED, SCALE))
    again = dict(reports.monthly_inputs(enterprises, months, SEED, SCALE))
    june = dt.date(2019, 6, 1)
    assert first[june] == again[june] and first[months[-1]] == again[months[-1]]
    other = dict(reports.monthly_inputs(enterprises, [june], SEED + 1, SCALE))
    assert [i.figures for i in other[june]] != [i.figures for i in first[june]]
    # What was built is what the draw gives.
    built = dict(MonthlyReport.objects.filter(period=june).values_list("enterprise_id", "accepted__value_added"))
    assert {i.enterprise_id: i.figures["value_added"] for i in first[june]} == built
