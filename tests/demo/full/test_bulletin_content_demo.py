"""The bulletin's content on the demo (seed 42, scale 1), built once for the module and rolled back after
it: for every month with accepted reports, the published indicators are the engine's for every scope, the
headline is the province's, the document is JSON and has every section; and the figures tell what the
demo is known to hold (youse/demo/reports.py: Tongchuan's potline below 75% in the first half of 2016 and
from 2019, Yulin's near 90%, the deep-processing share below 50% until 2019, value added of about 918
亿元 in 2020), with the early warnings the stats tick raises on them."""

import datetime as dt
import json
import re
import time
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from youse.capacity.models import ExitLine, ReplacementScheme
from youse.enforcement.models import Case, Closure, Inspection
from youse.monitoring.models import Alarm
from youse.portal.bulletin import content
from youse.stats import indicators
from youse.stats import warnings as stats_warnings
from youse.stats.models import MonthlyReport
from youse.stats.rules import Period
from youse.stats.types import Scope

TONGCHUAN, YULIN = "city:610200", "city:610800"


@pytest.fixture(scope="module")
def bulletins(demo, django_db_blocker) -> dict[str, dict]:
    """Every month with accepted reports, built once."""
    with django_db_blocker.unblock():
        # The stats tick as it ran in July 2016 and July 2020 (the demo does not run the tick).
        stats_warnings.evaluate_rules(dt.date(2016, 7, 15))
        stats_warnings.evaluate_rules(dt.date(2020, 7, 15))
        months = sorted(set(MonthlyReport.objects.filter(accepted__isnull=False).values_list("period", flat=True)))
        started = time.perf_counter()
        docs = {f"{m:%Y-%m}": content.build(Period("month", m.year, m.month)) for m in months}
        print(f"\n{len(docs)} bulletins built in {time.perf_counter() - started:.1f} s")
    return docs


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def block(doc: dict, key: str) -> dict:
    return next(b for s in doc["sections"] for b in s["blocks"] if b["key"] == key)


def rows_by(doc: dict, key: str, column: str) -> dict:
    return {r[column]: r for r in block(doc, key)["rows"]}


def indicator(doc: dict, code: str, period: str, scope: str = "province") -> str | None:
    (value,) = [
        v["value"]
        for v in doc["indicators"]
        if v["indicator"] == code and v["period"] == period and v["scope"] == scope
    ]
    return value


def test_every_months_indicators_are_the_engines(bulletins):
    """The province's figures in every month; every city's, base's and metal's in each June and December
    and the latest month (all scopes in all 82 months is 4,600 engine calls: minutes, not more proof)."""
    assert len(bulletins) >= 72  # 2015-2020, and the current year
    latest = max(bulletins)
    with translation.override("zh-hans"):
        every = [Scope()] + [s for kind in ("city", "base", "metal") for s in indicators.scopes_of(kind)]
        for month, doc in bulletins.items():
            sampled = month[5:] in ("06", "12") or month == latest
            scopes = every if sampled else [Scope()]
            assert json.loads(json.dumps(doc)) == doc, month
            assert [s["key"] for s in doc["sections"]] == list(content.SECTION_KEYS), month
            published = {(v["period"], v["scope"], v["indicator"]): v for v in doc["indicators"]}
            m = Period("month", int(month[:4]), int(month[5:]))
            province = {}
            for period in (m, Period("ytd", m.year, m.number)):
                for scope in scopes:
                    for value in indicators.compute(period, scope):
                        expected = json.loads(json.dumps(value.as_json()))
                        if scope.kind == "base":  # short names, as across() gives them
                            expected["scope_label"] = str(scope.label)
                        assert published.pop((str(period), str(scope), value.code)) == expected, (month, scope)
                        if scope.kind == "province":
                            province[(value.code, str(period))] = expected
            assert not sampled or not published, month
            for head in doc["headline"]:
                assert head["value"] == province[(head["code"], head["period"])]["value"], (month, head)
                assert head["status"] == province[(head["code"], head["period"])]["status"], (month, head)


def test_the_tables_add_up_to_the_indicators(bulletins):
    for month, doc in bulletins.items():
        ytd = f"{month}-ytd"
        for kind in ("city", "base", "metal"):
            for row in block(doc, f"production_by_{kind}")["rows"]:
                scope = f"{kind}:{row[f'{kind}_code']}"
                assert row["value_added_ytd_yi"] == indicator(doc, "value_added", ytd, scope), (month, scope)
                assert row["output_growth_ytd_pct"] == indicator(doc, "production_growth", ytd, scope)
        for row in block(doc, "al_utilisation_by_city")["rows"]:
            scope = f"city:{row['city_code']}"
            assert row["utilisation_pct"] == indicator(doc, "al_utilisation", month, scope), (month, scope)
        trend = block(doc, "al_utilisation_trend")
        assert trend["categories"][-1] == month and len(trend["categories"]) == 13
        assert trend["series"][0]["values"][-1] == indicator(doc, "al_utilisation", month)
        assert trend["target"] == "80"


def test_it_tells_what_the_demo_holds(bulletins):
    # Tongchuan's old potline: below 75% through the first half of 2016 and again from 2019.
    for month in [f"2016-{m:02d}" for m in range(1, 7)] + ["2019-06", "2020-06", "2020-12"]:
        utilisation = rows_by(bulletins[month], "al_utilisation_by_city", "city_code")
        assert Decimal(utilisation["610200"]["utilisation_pct"]) < 75, month
    # Yulin's new potlines run at about 90%; the province holds the 80% target in 2020.
    assert (
        Decimal(rows_by(bulletins["2020-06"], "al_utilisation_by_city", "city_code")["610800"]["utilisation_pct"]) > 85
    )
    assert "610800" not in rows_by(bulletins["2016-06"], "al_utilisation_by_city", "city_code")
    # The deep-processing share stays below 50% for every whole year until 2019, above it in 2020.
    for year in range(2015, 2020):
        assert Decimal(indicator(bulletins[f"{year}-12"], "deep_processing_share", f"{year}-12-ytd")) < 50, year
    assert Decimal(indicator(bulletins["2020-12"], "deep_processing_share", "2020-12-ytd")) > 50
    # Value added: about 918 亿元 in 2020, short of 1,000; Tongchuan's falls in 2019 and 2020.
    heads = {(h["code"], h["period"]): h for h in bulletins["2020-12"]["headline"]}
    va = heads[("value_added", "2020-12-ytd")]
    assert abs(Decimal(va["value"]) - 918) < 1 and va["target"] == "1000" and va["status"] == "off_track"
    for year in (2019, 2020):
        growth = indicator(bulletins[f"{year}-12"], "value_added_growth", f"{year}-12-ytd", TONGCHUAN)
        assert Decimal(growth) < 0, year
    # The production tables cover the whole province: cities and metals add up to its output (each row
    # rounded to the tonne).
    doc = bulletins["2020-06"]
    sums = {}
    for kind in ("city", "metal"):
        rows = block(doc, f"production_by_{kind}")["rows"]
        sums[kind] = (sum(Decimal(r["output_t"]) for r in rows), len(rows))
    assert abs(sums["city"][0] - sums["metal"][0]) <= (sums["city"][1] + sums["metal"][1]) / 2
    # The opening paragraph (in Chinese, as published) gives the same total, whatever its wording.
    numbers = [Decimal(n) for n in re.findall(r"\d+(?:\.\d+)?", doc["sections"][0]["paragraphs"][0])]
    assert any(abs(n - sums["metal"][0]) <= sums["metal"][1] / 2 for n in numbers), doc["sections"][0]["paragraphs"][0]


def test_it_carries_the_warnings_with_the_values_that_fired_them(bulletins):
    doc = bulletins["2016-06"]
    fired = {(w["rule"], w["scope"]): w for w in doc["warnings"]}
    tongchuan = fired[("al-utilisation-city", TONGCHUAN)]
    assert [e["period"] for e in tongchuan["evidence"]] == ["2016-04", "2016-05", "2016-06"]
    for evidence in tongchuan["evidence"]:
        utilisation = rows_by(bulletins[evidence["period"]], "al_utilisation_by_city", "city_code")["610200"]
        assert evidence["value"] == utilisation["utilisation_pct"] and evidence["unit"] == "%"
    assert tongchuan["status"] == "open" and tongchuan["scope_label"] == "铜川市"
    assert ("al-utilisation-city", "铜川市") in {
        (r["rule"], r["scope_label"]) for r in block(doc, "warnings_fired")["rows"]
    }
    # A month later it is listed among those raised earlier and still open; never before its period.
    later = bulletins["2016-07"]
    assert ("al-utilisation-city", TONGCHUAN, "2016-06") in {
        (w["rule"], w["scope"], w["period"]) for w in later["warnings"]
    }
    assert all(r["period"] != "2016-06" for r in block(later, "warnings_fired")["rows"])
    assert any(r["period"] == "2016-06" for r in block(later, "warnings_open")["rows"])
    assert all(w["period"] < "2016-06" for w in bulletins["2016-05"]["warnings"])


def test_it_follows_capacity_monitoring_and_enforcement_in_any_month(demo):
    """Months without reports too: the capacity ledger's history, and the current month's monitoring."""
    approved = ReplacementScheme.objects.filter(decided_at__isnull=False, state__in=["approved", "announced"])
    for scheme in approved:
        day = timezone.localtime(scheme.decided_at).date()
        doc = content.build(Period("month", day.year, day.month))
        assert scheme.code in rows_by(doc, "schemes_approved", "code")
        assert rows_by(doc, "schemes_approved", "code")[scheme.code]["capacity_t"] == str(scheme.capacity_t)
    for line in ExitLine.objects.filter(dismantled_on__isnull=False):
        doc = content.build(Period("month", line.dismantled_on.year, line.dismantled_on.month))
        assert str(line.tonnes) in {r["tonnes_t"] for r in block(doc, "dismantling_confirmed")["rows"]}
    for closure in Closure.objects.filter(state="executed"):
        doc = content.build(Period("month", closure.executed_on.year, closure.executed_on.month))
        assert closure.case.code in rows_by(doc, "closures_executed", "case")
    # Monitoring: the demo's loggers report the last week; the alarms of this month and the last.
    today = timezone.localdate()
    this = Period("month", today.year, today.month)
    docs = [content.build(this.previous()), content.build(this)]
    started = {"exceedance_alarms": 0, "quality_alarms": 0}
    for doc in docs:
        for row in block(doc, "monitoring_by_city")["rows"]:
            for key in started:
                started[key] += row[key]
        assert sum(r["exceedance_alarms"] for r in block(doc, "monitoring_by_metal")["rows"]) == sum(
            r["exceedance_alarms"] for r in block(doc, "monitoring_by_city")["rows"]
        )
    since = timezone.make_aware(dt.datetime.combine(this.previous().start, dt.time(0)))
    alarms = Alarm.objects.filter(started_at__gte=since)
    assert started["exceedance_alarms"] == alarms.filter(kind="exceedance").count() > 0
    assert started["quality_alarms"] == alarms.exclude(kind="exceedance").count()
    hours = sum(Decimal(r["exceedance_hours"]) for r in block(docs[1], "monitoring_by_city")["rows"])
    assert hours > 0
    # Enforcement to the end of this month: every case and inspection so far.
    cumulative = block(docs[1], "enforcement_cumulative_by_city")["rows"]
    assert sum(r["cases_total"] for r in cumulative) == Case.objects.count()
    assert (
        sum(r["inspections_total"] for r in cumulative) == Inspection.objects.filter(inspected_on__lte=this.end).count()
    )
