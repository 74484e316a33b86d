"""The bulletin's content (portal/bulletin/content*.py): the pure helpers table-driven, then documents built
from small hand-made data: indicators equal to the engine's, production and capacity, capacity changes,
monitoring, enforcement and warnings, an empty month, and a fixed number of queries."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.enforcement.conftest import Enforcement
from tests.monitoring.test_views import make_point
from tests.stats.test_indicators import accept, electrolysis, figures, make_enterprise, make_unit
from youse.enforcement import services as enforcement
from youse.monitoring.models import Alarm
from youse.portal.bulletin import content, content_capacity, content_format, content_monitoring, content_text
from youse.portal.bulletin.content_production import status_on
from youse.registry import services as registry
from youse.stats import indicators
from youse.stats.models import EarlyWarning, WarningRule
from youse.stats.rules import Period
from youse.stats.types import Scope

MAY20 = Period("month", 2020, 5)
BEIJING = dt.timezone(dt.timedelta(hours=8))


# --- Pure helpers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "exp", "expected"),
    [
        (None, None, None),
        (Decimal("85.30"), None, "85.30"),
        (Decimal("85.25"), content_format.TENTH, "85.3"),
        (Decimal("-0.04"), content_format.TENTH, "0.0"),
        (Decimal("123456.500"), content_format.TONNE, "123457"),
        (Decimal("1E+3"), None, "1000"),
        (7, None, "7"),
    ],
)
def test_it_formats_numbers_plainly(value, exp, expected):
    assert content_format.num(value, exp) == expected


@pytest.mark.parametrize(
    ("fn", "value", "expected"),
    [
        (content_format.tonnes, Decimal("3500.000"), "3500"),
        (content_format.tonnes, None, None),
        (content_format.yi, Decimal("12345.00"), "1.23"),
        (content_format.yi, Decimal("5000"), "0.50"),
        (content_format.hours, Decimal("2.25"), "2.3"),
        (content_format.plain, Decimal("80.00"), "80"),
        (content_format.plain, Decimal("1000"), "1000"),
        (content_format.plain, Decimal("7.50"), "7.5"),
        (content_format.plain, None, None),
        (content_format.comparator, "gte", ">="),
        (content_format.comparator, "rank_lte", "<="),
        (content_format.comparator, "lt", "<"),
    ],
)
def test_it_formats_units_targets_and_comparators(fn, value, expected):
    assert fn(value) == expected


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        (Period("month", 2020, 5), ["2020-05"]),
        (Period("month", 2020, 6), ["2020-06", "2020Q2"]),
        (Period("month", 2020, 12), ["2020-12", "2020Q4", "2020"]),
    ],
)
def test_it_knows_the_periods_ending_with_a_month(month, expected):
    assert [str(p) for p in content_format.ending_in(month)] == expected


def test_it_takes_thirteen_months_oldest_first_across_the_new_year():
    months = content_format.trend(Period("month", 2020, 2))
    assert [str(p) for p in months][:3] == ["2019-02", "2019-03", "2019-04"]
    assert str(months[-1]) == "2020-02" and len(months) == 13


T = dt.datetime(2020, 6, 1, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (T - dt.timedelta(hours=2), T + dt.timedelta(hours=3), Decimal(3)),  # began the month before
        (T + dt.timedelta(hours=1), T + dt.timedelta(hours=1, minutes=30), Decimal("0.5")),
        (T + dt.timedelta(days=29, hours=23), None, Decimal(1)),  # still open: runs to the month's end
        (T - dt.timedelta(hours=5), T - dt.timedelta(hours=1), Decimal(0)),  # over before the month
        (T + dt.timedelta(days=31), None, Decimal(0)),  # after it
    ],
)
def test_it_counts_the_hours_of_an_alarm_inside_the_month(start, end, expected):
    assert content_format.overlap_hours(start, end, T, T + dt.timedelta(days=30)) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ("", "operating", "commissioned"),
        ("construction", "operating", "commissioned"),
        ("construction", "idle", "commissioned"),
        ("idle", "operating", "restarted"),
        ("operating", "idle", "idled"),
        ("operating", "exited", "exited"),
        ("idle", "exited", "exited"),
        ("planned", "exited", "abandoned"),
        ("construction", "exited", "abandoned"),
        ("planned", "approved", None),
        ("approved", "construction", None),
    ],
)
def test_it_classifies_status_changes_by_what_they_do_to_capacity(before, after, expected):
    assert content_capacity.classify(before, after) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2019, 12, 31), None),
        (dt.date(2020, 1, 1), "construction"),
        (dt.date(2020, 3, 1), "idle"),  # two changes that day: the last recorded holds
        (dt.date(2020, 6, 30), "operating"),
    ],
)
def test_it_finds_the_status_held_on_a_day(day, expected):
    history = [
        (dt.date(2020, 5, 1), 4, "operating"),
        (dt.date(2020, 1, 1), 1, "construction"),
        (dt.date(2020, 3, 1), 2, "operating"),
        (dt.date(2020, 3, 1), 3, "idle"),
    ]
    assert status_on(history, day) == expected


def test_it_gives_a_plant_the_metal_of_its_smelting_line():
    units = [
        (1, 10, "mining", Decimal(900000)),
        (1, 11, "smelting", Decimal(50000)),
        (2, 12, "deep_processing", Decimal(5000)),
        (2, 13, "processing", Decimal(8000)),
    ]
    assert content_monitoring.plant_metals(units) == {1: 11, 2: 13}


def test_it_says_so_when_a_month_has_nothing_to_report():
    assert content_text.production(
        "5/2020", "1–5/2020", None, None, None, None, None, None, None, None, [], "0", 0
    ) == [
        "No accepted monthly report covers 5/2020.",
        "No production unit was operating or idle at the end of the month.",
    ]
    assert content_text.utilisation("5/2020", "1–5/2020", None, None, None, "80", "gte", None, []) == [
        "No electrolytic aluminium output was reported for 5/2020."
    ]
    assert content_text.capacity_changes(0, "0", 0, "0", 0, "0", 0, 0, "0", "5/2020") == [
        "No capacity changed in 5/2020."
    ]
    assert content_text.monitoring(0, 0, "0.0", 0, 0, []) == [
        "No online monitoring point was registered at the end of the month."
    ]
    assert content_text.warnings(0, 0) == ["No early warning fired in the month, and none is open."]


@pytest.mark.parametrize(
    ("status", "verdict"),
    [("met", "meets the target"), ("off_track", "falls short of the target"), ("unknown", "cannot yet be judged")],
)
def test_it_judges_the_utilisation_against_its_target(status, verdict):
    text = content_text.utilisation(
        "5/2020", "1–5/2020", "78.2", "81.0", "83.5", "80", "gte", status, [("铜川市", "67.0")]
    )
    assert text[0] == (
        "Electrolytic aluminium capacity utilisation was 78.2% in 5/2020 and 81.0% in 1–5/2020. "
        "A year earlier it was 83.5%."
    )
    assert verdict in text[1] and "(>= 80%)" in text[1]
    assert text[2] == "By city, in the month: 铜川市 67.0%."


def test_it_states_the_production_figures():
    text = content_text.production(
        "5/2020",
        "1–5/2020",
        "4000",
        "33.3",
        "4000",
        None,
        "0.15",
        "50.0",
        "0.60",
        "12.5",
        [("镁", "3500")],
        "58000",
        2,
    )
    assert text[0] == (
        "In 5/2020 the enterprises' accepted reports give an output of 4000 t (33.3% year on year); in 1–5/2020"
        ", 4000 t (no comparable figure a year earlier)."
    )
    assert "0.15 亿元 (50.0% year on year)" in text[1] and "12.5%" in text[1]
    assert text[2] == "By metal, the month's largest outputs were: 镁 3500 t."
    assert text[3] == "At the end of the month 2 production units were operating or idle, with 58000 t/yr of capacity."


# --- Documents from hand-built data ----------------------------------------------------------------------


@pytest.fixture
def may(personas):
    """As tests/stats/test_indicators.py: Yulin's magnesium smelter (A) and Baoji's titanium sheet maker
    (B), May 2019 and May 2020, accepted."""
    p = personas
    accept(p.department, p.enterprise_a, dt.date(2019, 5, 1), figures(1000, 4500), [
        {"unit": p.unit_a.pk, "output_t": "3000", "output_value": "5400"}
    ])  # fmt: skip
    accept(p.department, p.enterprise_a, MAY20.start, figures(1200, 5200), [
        {"unit": p.unit_a.pk, "output_t": "3500", "output_value": "6300"}
    ])  # fmt: skip
    accept(p.department, p.enterprise_b, MAY20.start, figures(300, 800), [
        {"unit": p.unit_b.pk, "output_t": "500", "output_value": "900"}
    ])  # fmt: skip
    return p


def block(doc: dict, key: str) -> dict:
    return next(b for s in doc["sections"] for b in s["blocks"] if b["key"] == key)


def section(doc: dict, key: str) -> dict:
    return next(s for s in doc["sections"] if s["key"] == key)


def test_it_publishes_the_engines_indicators_for_every_scope_but_enterprises(may):
    doc = content.build(MAY20)
    assert json.loads(json.dumps(doc)) == doc
    assert doc["schema"] == 1 and doc["month"] == "2020-05"
    assert [s["key"] for s in doc["sections"]] == list(content.SECTION_KEYS)
    published = {(v["period"], v["scope"], v["indicator"]): v for v in doc["indicators"]}
    with translation.override("zh-hans"):  # the bulletin is written in Chinese
        scopes = [Scope()] + [s for kind in ("city", "base", "metal") for s in indicators.scopes_of(kind)]
        for period in (MAY20, Period("ytd", 2020, 5)):
            for scope in scopes:
                for value in indicators.compute(period, scope):
                    expected = json.loads(json.dumps(value.as_json()))
                    # Bases go by their short names, as across() labels them (compute() gives the full name).
                    if scope.kind == "base":
                        expected["scope_label"] = str(scope.label)
                    assert published.pop((str(period), str(scope), value.code)) == expected
    assert not published  # nothing else: no enterprise, no other period
    assert not any(v["scope"].startswith("enterprise") for v in doc["indicators"])


def test_its_headline_is_the_provinces_with_targets(may):
    doc = content.build(MAY20)
    heads = {(h["code"], h["period"]): h for h in doc["headline"]}
    province = {v.code: v for v in indicators.compute(Period("ytd", 2020, 5), Scope())}
    va = heads[("value_added", "2020-05-ytd")]
    assert va["value"] == str(province["value_added"].value) == "0.15"
    assert va["unit"] == "亿元" and va["comparator"] == ">="
    assert va["target"] == content_format.plain(province["value_added"].target_value)
    assert va["status"] == province["value_added"].check.status
    assert heads[("al_utilisation", "2020-05")]["value"] is None  # no electrolysis: no figure, not 0 %
    assert set(heads[("revenue", "2020-05-ytd")]) == {
        "code",
        "label",
        "value",
        "unit",
        "period",
        "target",
        "comparator",
        "status",
    }
    assert heads[("revenue", "2020-05-ytd")]["target"] is None


def test_it_tabulates_production_and_capacity_by_metal_city_and_base(may):
    doc = content.build(MAY20)
    cities = {r["city_code"]: r for r in block(doc, "production_by_city")["rows"]}
    assert set(cities) == {"610800", "610300"}
    assert cities["610800"]["output_t"] == "3500" and cities["610800"]["output_growth_pct"] == "16.7"
    assert cities["610800"]["capacity_t"] == "50000" and cities["610800"]["capacity_units"] == 1
    assert cities["610300"]["output_growth_pct"] is None and cities["610300"]["value_added_ytd_yi"] == "0.03"
    metals = {r["metal_code"]: r for r in block(doc, "production_by_metal")["rows"]}
    assert metals["Mg"]["output_value_ytd_yi"] == "0.63" and metals["Ti"]["capacity_t"] == "8000"
    columns = [c["key"] for c in block(doc, "production_by_metal")["columns"]]
    assert columns[:3] == ["metal_code", "metal", "output_t"]
    chart = block(doc, "output_by_metal")
    assert chart["type"] == "chart" and dict(zip(chart["categories"], chart["series"][0]["values"], strict=True)) == {
        metals["Mg"]["metal"]: "3500",
        metals["Ti"]["metal"]: "500",
    }
    assert "4000吨（同比33.3%）" in section(doc, "production")["paragraphs"][0]  # the bulletin is in Chinese
    # Before unit B started (March 2020), Baoji has no capacity and no output: no row.
    earlier = content.build(Period("month", 2020, 2))
    assert [r["city_code"] for r in block(earlier, "production_by_city")["rows"]] == ["610800"]


def test_a_month_without_data_still_gives_a_valid_document(db):
    doc = content.build(Period("month", 2012, 1))
    assert json.loads(json.dumps(doc)) == doc
    assert [s["key"] for s in doc["sections"]] == list(content.SECTION_KEYS)
    for s in doc["sections"]:
        assert s["paragraphs"], s["key"]
        for b in s["blocks"]:
            assert b["rows" if b["type"] == "table" else "series"] is not None
            if b["type"] == "table":
                assert b["rows"] == [] and b["columns"]
    assert all(v["value"] is None for v in doc["indicators"] if v["indicator"] != "revenue_rank")
    assert doc["warnings"] == []
    assert section(doc, "production")["paragraphs"][0] == "2012年1月无已审核通过的统计月报。"
    assert block(doc, "al_utilisation_trend")["categories"][0] == "2011-01"


def test_it_refuses_a_period_that_is_not_a_month(db):
    with pytest.raises(ValueError, match="not a quarter"):
        content.build(Period("quarter", 2020, 2))


def test_it_lists_the_capacity_changes_of_the_month(personas):
    p = personas
    registry.change_unit_status(p.department, p.unit_a, "idle", effective_on=dt.date(2020, 5, 10), document="停产报告")
    registry.change_unit_status(
        p.department, p.unit_a, "exited", effective_on=dt.date(2020, 6, 20), document="拆除验收"
    )
    march = content.build(Period("month", 2020, 3))
    (baoji,) = block(march, "unit_changes_by_city")["rows"]
    assert (baoji["city_code"], baoji["commissioned_units"], baoji["commissioned_t"]) == ("610300", 1, "8000")
    assert not any(b["key"] == "unit_changes" for b in section(march, "capacity_changes")["blocks"])  # no unit list
    (ti,) = block(march, "unit_changes_by_metal")["rows"]
    assert ti["metal_code"] == "Ti" and ti["commissioned_units"] == 1 and ti["commissioned_t"] == "8000"
    may_ = block(content.build(MAY20), "unit_changes_by_metal")["rows"]
    assert [(r["metal_code"], r["idled_units"], r["exited_units"]) for r in may_] == [("Mg", 1, 0)]
    june = content.build(Period("month", 2020, 6))
    (mg,) = block(june, "unit_changes_by_metal")["rows"]
    assert mg["exited_units"] == 1 and mg["exited_t"] == "50000"
    (yulin,) = block(june, "unit_changes_by_city")["rows"]
    assert yulin["city_code"] == "610800" and yulin["exited_t"] == "50000"
    chart = block(june, "capacity_changes_by_metal")
    assert chart["series"][1]["values"] == ["50000"]
    assert "本月投产生产单元0个（0吨/年），退出1个（50000吨/年）" in section(june, "capacity_changes")["paragraphs"][1]
    # Capacity at the month's end follows the history: idle still counts, exited does not.
    assert {r["city_code"]: r["capacity_t"] for r in block(content.build(MAY20), "production_by_city")["rows"]}[
        "610800"
    ] == "50000"
    assert "610800" not in {r["city_code"] for r in block(june, "production_by_city")["rows"]}


def test_it_counts_alarms_and_exceedance_hours_by_city_and_metal(personas):
    p = personas
    point = make_point(p.environment, p.plant_a, "61082201YS0001AAAAAAAAAA")
    point.created_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    point.save(update_fields=["created_at"])
    may_end = dt.datetime(2020, 6, 1, tzinfo=BEIJING)
    Alarm.objects.create(
        point=point, kind="exceedance", factor="a21026", started_at=may_end - dt.timedelta(hours=2),
        ended_at=may_end + dt.timedelta(hours=3), peak=250, limit=200, unit="mg/m3",
    )  # fmt: skip
    Alarm.objects.create(
        point=point, kind="missing", started_at=may_end - dt.timedelta(days=3), ended_at=may_end - dt.timedelta(days=2)
    )
    may_doc = content.build(MAY20)
    (yulin,) = block(may_doc, "monitoring_by_city")["rows"]
    assert (yulin["city_code"], yulin["points"], yulin["exceedance_alarms"], yulin["exceedance_hours"]) == (
        "610800",
        1,
        1,
        "2.0",
    )
    assert yulin["quality_alarms"] == 1
    (mg,) = block(may_doc, "monitoring_by_metal")["rows"]
    assert mg["metal_code"] == "Mg" and mg["exceedance_hours"] == "2.0"
    (june,) = block(content.build(Period("month", 2020, 6)), "monitoring_by_city")["rows"]
    assert (june["exceedance_alarms"], june["exceedance_hours"], june["quality_alarms"]) == (0, "3.0", 0)
    assert "超标报警1次，累计超标2.0小时" in section(may_doc, "monitoring")["paragraphs"][0]
    # Before the point was registered there is nothing to monitor.
    assert block(content.build(Period("month", 2019, 12)), "monitoring_by_city")["rows"] == []


def test_it_follows_enforcement_in_the_month_and_to_its_end(personas):
    p = personas
    enf = Enforcement(p)
    campaign = enf.campaign()
    case_a = enf.case_a(campaign)
    case_b = campaign.cases.get(enterprise=p.enterprise_b)
    failed_a = enf.inspect(case_a, passed=False, on=dt.date(2026, 4, 1))
    failed_b = enf.inspect(case_b, p.department, passed=False, on=dt.date(2026, 4, 1))
    enf.order(failed_a, deadline=dt.date(2026, 4, 30))
    order_b = enforcement.issue_order(
        p.department,
        failed_b,
        {"issued_on": dt.date(2026, 4, 2), "deadline": dt.date(2026, 6, 30), "responsible_person": "张总"},
        [{"text": "更换检测仪表", "basis": "《计量法》"}],
    )
    enforcement.mark_overdue_orders(on=dt.date(2026, 5, 2))
    enforcement.report_done(p.ent_b, order_b, report="已更换", reported_on=dt.date(2026, 5, 20))
    enf.inspect(None, p.department, passed=True, on=dt.date(2026, 6, 5), order=order_b)

    def rows(month: int, key: str) -> dict:
        doc = content.build(Period("month", 2026, month))
        return {r["city_code"]: r for r in block(doc, key)["rows"]}

    april = rows(4, "enforcement_month_by_city")
    assert (
        april["610800"]["inspections"],
        april["610800"]["inspections_failed"],
        april["610800"]["orders_issued"],
    ) == (1, 1, 1)
    assert april["610300"]["orders_issued"] == 1
    may_total = rows(5, "enforcement_cumulative_by_city")
    assert may_total["610800"]["orders_overdue"] == 1 and may_total["610300"]["orders_overdue"] == 0
    june = rows(6, "enforcement_month_by_city")
    assert june["610300"]["orders_rectified"] == 1 and june["610300"]["inspections"] == 1
    june_total = rows(6, "enforcement_cumulative_by_city")
    assert june_total["610300"]["orders_rectified_total"] == 1 and june_total["610800"]["orders_overdue"] == 1
    assert rows(3, "enforcement_cumulative_by_city") == {}
    # Cases are counted from the day they were opened (the campaign listed them today).
    now = timezone.localdate()
    cases = rows(now.month, "enforcement_cumulative_by_city") if now.year == 2026 else {}
    if cases:
        assert cases["610800"]["cases_total"] == 1 and cases["610800"]["cases_open"] == 1


def test_it_lists_the_warnings_of_the_month_with_their_evidence(db):
    rule = WarningRule.objects.get(code="al-utilisation-city")

    def warn(period: str, status="open", code="610200"):
        return EarlyWarning.objects.create(
            rule=rule,
            scope_kind="city",
            scope_code=code,
            scope_label="铜川市",
            period=period,
            value=Decimal("70.1"),
            message=f"铜川市电解铝产能利用率连续3个月低于75%（{period}）",
            evidence=[
                {"period": "2020-03", "value": "72.0"},
                {"period": "2020-04", "value": "71.0"},
                {"period": period, "value": "70.1"},
            ],
            status=status,
        )

    warn("2020-05")
    warn("2020-02", code="610800")  # earlier, still open
    warn("2020-01", status="cleared", code="610300")  # earlier, cleared: not listed
    warn("2020-07", code="610100")  # later than the bulletin: not listed
    doc = content.build(MAY20)
    assert [(w["scope"], w["period"]) for w in doc["warnings"]] == [
        ("city:610200", "2020-05"),
        ("city:610800", "2020-02"),
    ]
    fired = doc["warnings"][0]
    assert fired["rule"] == "al-utilisation-city" and fired["indicator"] == "al_utilisation"
    assert fired["evidence"][-1] == {"period": "2020-05", "value": "70.1", "unit": "%"}
    assert fired["status"] == "open" and fired["fired_at"]
    assert [r["scope_label"] for r in block(doc, "warnings_fired")["rows"]] == ["铜川市"]
    assert len(block(doc, "warnings_open")["rows"]) == 1
    assert section(doc, "warnings")["paragraphs"] == [
        "依据本月数据触发预警1项。",
        "此前发出的预警中仍有1项尚未解除。",
    ]


def test_it_takes_a_fixed_number_of_queries_whatever_the_number_of_enterprises(may):
    p = may
    with CaptureQueriesContext(connection) as few:
        content.build(MAY20)
    for i in range(3):
        ent = make_enterprise(p, f"榆林示范铝业{i}有限公司", f"91610822MA00001{i}0", "610822")
        unit = make_unit(p, ent, "610822", electrolysis("100000"), dt.date(2019, 1, 1))
        accept(p.department, ent, MAY20.start, figures(100, 200), [
            {"unit": unit.pk, "output_t": "8000", "output_value": "10000", "al_liquid_t": "8000",
             "ac_kwh_per_t": "13200", "ac_total_kwh_per_t": "13600"}
        ])  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        doc = content.build(MAY20)
    assert len(many) == len(few)
    assert block(doc, "al_utilisation_by_city")["rows"][0]["city_code"] == "610800"
