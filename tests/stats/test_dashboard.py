"""The targets dashboard, its drill-down and scopes, the aluminium view, Excel exports and early warnings.

Figures: accepted reports for 2020 filed through services.file_reports. Enterprise A (Yulin) has an
electrolysis line of 120,000 t/a making 9,000 t of aluminium liquid a month (90%); enterprise B (Baoji)
one of 200,000 t/a making 10,000 t a month (60%). The province: 228,000 ÷ 320,000 = 71.3%."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from youse.core.models import AuditEvent
from youse.registry import services as registry_services
from youse.registry.rules import make_credit_code
from youse.stats import services, warning_services
from youse.stats.models import EarlyWarning, WarningRule

ENT_A = "府谷示范镁业有限公司"
ENT_B = "宝鸡示范钛业有限公司"
MONTHS = [dt.date(2020, m, 1) for m in range(1, 13)]


def figures(value_added: str = "1200") -> dict:
    return {
        "value_added": value_added,
        "revenue": "5200",
        "profit": "100",
        "energy_tce": "5400",
        "electricity_kwh": "3100000",
        "employees": 320,
    }


def electrolysis(personas, plant, capacity: str):
    return registry_services.create_unit(
        personas.department,
        plant,
        {
            "name": f"电解铝{capacity}",
            "metal": "Al",
            "stage": "smelting",
            "product": "原铝",
            "process": "预焙阳极电解",
            "design_capacity": capacity,
            "capacity_unit": "t/a",
        },
        status="operating",
        status_since=dt.date(2018, 1, 1),
        document="陕发改产业〔2017〕1号",
    )


def al_line(unit, liquid: str) -> dict:
    return {
        "unit": unit.pk,
        "output_t": liquid,
        "output_value": str(Decimal(liquid) * Decimal("1.5")),
        "al_liquid_t": liquid,
        "ac_kwh_per_t": "12900",
        "ac_total_kwh_per_t": "13350",
    }


@pytest.fixture
def reports(personas):
    """Accepted 2020 reports of both persona enterprises."""
    p = personas
    al_a = electrolysis(p, p.plant_a, "120000")
    al_b = electrolysis(p, p.plant_b, "200000")
    inputs = []
    for month in MONTHS:
        lines_a = [{"unit": p.unit_a.pk, "output_t": "3500", "output_value": "6300"}, al_line(al_a, "9000")]
        lines_b = [al_line(al_b, "10000")]
        if month >= dt.date(2020, 3, 1):  # B's titanium line operates from March 2020
            lines_b.append({"unit": p.unit_b.pk, "output_t": "500", "output_value": "9000"})
        inputs.append(services.ReportInput(p.enterprise_a.pk, month, figures(), lines_a))
        inputs.append(services.ReportInput(p.enterprise_b.pk, month, figures("1500"), lines_b))
    result = services.file_reports(p.department, inputs, status="accepted")
    assert not result.problems and result.created == 24
    return p


def add_reporting_enterprise(personas, n: int, division_code: str) -> None:
    p = personas
    ent = registry_services.create_enterprise(
        p.department,
        {
            "name": f"测试镁业{n:03d}有限公司",
            "credit_code": make_credit_code(f"91{division_code}MD{n:07d}"),
            "division": p.division[division_code],
            "ownership": "private",
        },
    )
    plant = registry_services.create_plant(p.department, ent, {"name": "厂区", "division": p.division[division_code]})
    unit = registry_services.create_unit(
        p.department,
        plant,
        {
            "name": "炼镁线",
            "metal": "Mg",
            "stage": "smelting",
            "product": "原镁",
            "design_capacity": "20000",
            "capacity_unit": "t/a",
        },
        status="operating",
        status_since=dt.date(2018, 1, 1),
        document="备案",
    )
    inputs = [
        services.ReportInput(ent.pk, m, figures("300"), [{"unit": unit.pk, "output_t": "1000", "output_value": "1800"}])
        for m in MONTHS
    ]
    assert not services.file_reports(p.department, inputs, status="accepted").problems


def table_values(html: str, name: str) -> list[list[str]]:
    """The numeric cells (data-value) of a table on the page, row by row."""
    body = html.split(f'data-table="{name}"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1].split("</tbody>")[0], re.S)
    return [re.findall(r'data-value="([^"]*)"', row) for row in rows]


def sheet_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    return list(book.worksheets[0].iter_rows(values_only=True))


# --- Dashboard and scopes -------------------------------------------------------------------------------


def test_it_shows_the_department_the_five_targets_of_the_province(reports):
    response = reports.client("department").get("/stats/?period=2020")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-scope="province"' in html
    for code in ("value_added", "revenue_rank", "deep_processing_share", "al_utilisation", "production_growth"):
        assert f'data-target="{code}"' in html
    # Utilisation 71.3% against ≥ 80%: off track, and its card links to the aluminium view.
    card = html.split('data-target="al_utilisation"')[1].split("</dl>")[0]
    assert 'data-status="off_track"' in html.split('data-target="al_utilisation"')[1][:40]
    assert "71.3" in card
    assert "/stats/aluminium/?period=2020" in html
    assert 'id="ys-indicators-data"' in html
    assert "vendor/echarts/echarts.min.js" in html and "youse/indicators.js" in html
    for table in ("targets", "trend", "cities", "base", "metal"):
        assert f'data-table="{table}"' in html


def test_it_defaults_to_the_latest_complete_year(reports):
    html = reports.client("department").get("/stats/").content.decode()
    assert "Period 2020;" in html


def test_it_reads_the_period_picker(reports):
    html = reports.client("department").get("/stats/?kind=quarter&year=2020&n=2").content.decode()
    assert "Period 2020Q2;" in html
    html = reports.client("department").get("/stats/?period=nonsense").content.decode()
    assert "is not a period" in html and "Period 2020;" in html


def test_it_drills_down_from_the_province_to_a_city_and_its_enterprises(reports):
    client = reports.client("department")
    html = client.get("/stats/?period=2020").content.decode()
    assert "scope=city%3A610800" in html  # the city table (and map) link to the city
    html = client.get("/stats/?period=2020&scope=city:610800").content.decode()
    assert 'data-scope="city:610800"' in html
    enterprises = html.split('data-table="enterprises"')[1].split("</table>")[0]
    assert ENT_A in enterprises and ENT_B not in enterprises
    # A's value added: 12 × 1,200 万元 = 1.44 亿元.
    assert table_values(html, "enterprises")[0][:2] == ["12", "1.44"]
    link = f"scope=enterprise%3A{reports.enterprise_a.pk}"
    assert link in enterprises
    html = client.get(f"/stats/?period=2020&scope=enterprise:{reports.enterprise_a.pk}").content.decode()
    assert 'data-table="peers"' in html and str(reports.division["610800"]) in html.split("</nav>")[1].split("</ol>")[0]


def test_it_holds_a_city_user_to_its_city(reports):
    client = reports.client("city")
    html = client.get("/stats/?period=2020").content.decode()
    assert 'data-scope="city:610800"' in html
    assert 'data-table="cities"' not in html and 'data-table="base"' not in html
    assert ENT_B not in html
    assert client.get("/stats/?scope=city:610300").status_code == 404
    assert client.get("/stats/?scope=base:baoji-ti").status_code == 404
    assert client.get(f"/stats/?scope=enterprise:{reports.enterprise_b.pk}").status_code == 404
    assert client.get(f"/stats/?scope=enterprise:{reports.enterprise_a.pk}").status_code == 200
    # Utilisation is a yearly target: the city is judged against it too (90% ≥ 80%).
    assert 'data-target="al_utilisation" data-status="met"' in html


def test_it_shows_an_enterprise_its_own_figures_against_its_peers(reports):
    client = reports.client("ent_b")
    html = client.get("/stats/?period=2020").content.decode()
    assert f'data-scope="enterprise:{reports.enterprise_b.pk}"' in html
    assert ENT_A not in html
    peers = table_values(html, "peers")
    # Value added: own 1.80 亿元 (12 × 1,500 万元). Both enterprises' main metal is aluminium (their
    # largest output value), so the average per enterprise is (1.44 + 1.80) ÷ 2 = 1.62 亿元.
    assert peers[0][:2] == ["1.80", "1.62"]
    assert "(2 enterprises)" in html
    assert client.get(f"/stats/?scope=enterprise:{reports.enterprise_a.pk}").status_code == 404
    assert client.get("/stats/?scope=city:610300").status_code == 404
    assert client.get("/stats/aluminium/").status_code == 403


def test_it_sends_anonymous_visitors_to_sign_in(reports):
    for url in ("/stats/", "/stats/aluminium/", "/stats/warnings/"):
        response = reports.client("anonymous").get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_answers_which_city_holds_aluminium_utilisation_back(reports):
    html = reports.client("department").get("/stats/aluminium/?period=2020").content.decode()
    baoji, yulin = str(reports.division["610300"]), str(reports.division["610800"])
    body = html.split('data-table="aluminium"')[1].split("</tbody>")[0]
    assert body.index(baoji) < body.index(yulin)  # lowest utilisation first
    values = table_values(html, "aluminium")
    # utilisation, gap, liquid, capacity, share, contribution
    assert values[0] == ["60.0", "-20.0", "120000.000", "200000.000", "62.5", "-12.5"]
    assert values[1][:2] == ["90.0", "10.0"] and values[1][5] == "3.8"
    assert "71.3" in html.split('data-kpi="province"')[1][:300]
    assert baoji in html.split('data-kpi="holding-back"')[1][:400]


def test_it_shows_a_city_user_only_its_city_in_the_aluminium_view(reports):
    html = reports.client("city").get("/stats/aluminium/?period=2020").content.decode()
    body = html.split('data-table="aluminium"')[1].split("</table>")[0]
    assert str(reports.division["610800"]) in body and str(reports.division["610300"]) not in body


# --- Excel ------------------------------------------------------------------------------------------------


def test_it_exports_the_aluminium_table_with_the_numbers_of_the_page(reports):
    client = reports.client("department")
    html = client.get("/stats/aluminium/?period=2020").content.decode()
    rows = sheet_rows(client.get("/stats/aluminium/?period=2020&format=xlsx&table=aluminium"))
    assert "2020" in rows[0][0] and "Electrolytic aluminium" in rows[0][0]
    header = rows[1]
    assert header[1] == "Utilisation (%)" and header[4] == "Available capacity (t)"
    baoji, yulin = str(reports.division["610300"]), str(reports.division["610800"])
    data = [r for r in rows[2:] if r[0] in (baoji, yulin)]
    assert [r[0] for r in data] == [baoji, yulin]
    assert isinstance(data[0][1], int | float)  # numbers as numbers
    page = table_values(html, "aluminium")
    for sheet_row, page_row in zip(data, page, strict=False):
        assert [Decimal(str(v)) for v in sheet_row[1:]] == [Decimal(v) for v in page_row]


def test_it_exports_every_dashboard_table_and_notes_synthetic_data(reports, monkeypatch):
    from youse.core import modules

    monkeypatch.setattr(modules, "synthetic_data_loaded", lambda: True)
    client = reports.client("department")
    response = client.get("/stats/?period=2020&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) >= 5
    first = list(book.worksheets[0].iter_rows(values_only=True))
    assert "Synthetic" in first[1][0]
    rows = sheet_rows(client.get("/stats/?period=2020&scope=city:610800&format=xlsx&table=enterprises"))
    ent = next(r for r in rows if r[0] == ENT_A)
    assert Decimal(str(ent[2])) == Decimal("1.44")
    assert client.get("/stats/?format=xlsx&table=nonsense").status_code == 404


# --- Early warnings ---------------------------------------------------------------------------------------


@pytest.fixture
def warnings(personas):
    rule = WarningRule.objects.create(
        code="al-low",
        name="电解铝产能利用率连续偏低",
        indicator="al_utilisation",
        scope_kind="city",
        period_kind="month",
        comparison="lt",
        threshold=Decimal(75),
        consecutive=3,
        message="{scope}电解铝产能利用率连续{n}个月低于{threshold}%",
        source="test",
    )
    evidence = [{"period": f"2020-{m:02d}", "value": "61.2"} for m in (4, 5, 6)]
    baoji = EarlyWarning.objects.create(
        rule=rule,
        scope_kind="city",
        scope_code="610300",
        scope_label="宝鸡市",
        period="2020-06",
        value=Decimal("61.2"),
        message="宝鸡市电解铝产能利用率连续3个月低于75%",
        evidence=evidence,
        division=personas.division["610300"],
    )
    yulin = EarlyWarning.objects.create(
        rule=rule,
        scope_kind="city",
        scope_code="610800",
        scope_label="榆林市",
        period="2020-05",
        value=Decimal("70.1"),
        message="榆林市电解铝产能利用率连续3个月低于75%",
        evidence=evidence,
        division=personas.division["610800"],
    )
    return baoji, yulin


def test_it_lists_warnings_with_their_evidence_and_filters(personas, warnings):
    client = personas.client("department")
    html = client.get("/stats/warnings/").content.decode()
    assert "宝鸡市电解铝" in html and "榆林市电解铝" in html and "2020-04" in html and "61.2" in html
    html = client.get("/stats/warnings/?period=2020-06").content.decode()
    assert "宝鸡市电解铝" in html and "榆林市电解铝" not in html
    html = client.get("/stats/warnings/?status=cleared").content.decode()
    assert "宝鸡市电解铝" not in html
    # A city sees its own city's warnings only, and cannot handle them.
    html = personas.client("city").get("/stats/warnings/").content.decode()
    assert "榆林市电解铝" in html and "宝鸡市电解铝" not in html and "/acknowledge/" not in html


def test_it_acknowledges_and_clears_a_warning_with_audit(personas, warnings):
    baoji, _yulin = warnings
    client = personas.client("department")
    response = client.post(f"/stats/warnings/{baoji.pk}/acknowledge/", {"reason": "已约谈宝鸡市工信局"})
    assert response.status_code == 302
    baoji.refresh_from_db()
    assert baoji.status == "acknowledged"
    client.post(f"/stats/warnings/{baoji.pk}/clear/", {"reason": ""})
    baoji.refresh_from_db()
    assert baoji.status == "acknowledged"  # clearing needs a reason
    client.post(f"/stats/warnings/{baoji.pk}/clear/", {"reason": "二季度复产后恢复"})
    baoji.refresh_from_db()
    assert baoji.status == "cleared"
    events = AuditEvent.objects.filter(content_type__model="earlywarning", object_id=str(baoji.pk)).order_by("pk")
    assert [(e.before, e.after, e.reason) for e in events if e.action == "transition"] == [
        ({"status": "open"}, {"status": "acknowledged"}, "已约谈宝鸡市工信局"),
        ({"status": "acknowledged"}, {"status": "cleared"}, "二季度复产后恢复"),
    ]
    with pytest.raises(Exception, match="cannot become"):
        warning_services.acknowledge_warning(personas.department, baoji)


def test_it_refuses_warning_actions_outside_the_department(personas, warnings):
    baoji, yulin = warnings
    with pytest.raises(PermissionDenied):
        warning_services.acknowledge_warning(personas.city, yulin)
    assert personas.client("city").post(f"/stats/warnings/{baoji.pk}/acknowledge/").status_code == 404
    assert personas.client("city").post(f"/stats/warnings/{yulin.pk}/acknowledge/").status_code == 403
    yulin.refresh_from_db()
    assert yulin.status == "open"


def test_it_shows_open_warnings_on_the_dashboard(reports, warnings):
    html = reports.client("department").get("/stats/?period=2020").content.decode()
    assert "宝鸡市电解铝" in html.split('id="warnings"')[1]
    html = reports.client("city").get("/stats/?period=2020").content.decode()
    section = html.split('id="warnings"')[1]
    assert "榆林市电解铝" in section and "宝鸡市电解铝" not in section


# --- Home and query counts ------------------------------------------------------------------------------


def test_it_puts_the_target_cards_on_the_departments_home(reports):
    html = reports.client("department").get("/").content.decode()
    assert 'data-section="targets"' in html
    assert html.index('data-section="targets"') < html.index('data-kpi="enterprises"')
    assert 'data-target="al_utilisation" data-status="off_track"' in html
    assert "/stats/aluminium/" in html
    assert 'data-section="targets"' not in reports.client("ent_a").get("/").content.decode()


@pytest.mark.parametrize("scope", ["", "&scope=city:610800"])
def test_it_keeps_the_dashboard_query_count_constant(reports, scope):
    client = reports.client("department")
    url = f"/stats/?period=2020{scope}"
    client.get(url)  # warm caches (content types, templates)
    cache.clear()  # ... but compute the indicators afresh in both measurements
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(8):
        add_reporting_enterprise(reports, n, "610800" if n % 2 else "610300")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_serves_repeat_views_from_the_cache_until_the_data_change(reports):
    client = reports.client("department")
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get("/stats/?period=2020")
    with CaptureQueriesContext(connection) as again:
        client.get("/stats/?period=2020")
    assert len(again.captured_queries) < len(first.captured_queries) / 2
    # Any audited change (here: a registry edit) makes the cached figures stale.
    registry_services.update_enterprise(reports.department, reports.enterprise_a, {"employees": 999})
    with CaptureQueriesContext(connection) as after_change:
        client.get("/stats/?period=2020")
    assert len(after_change.captured_queries) > len(again.captured_queries)
