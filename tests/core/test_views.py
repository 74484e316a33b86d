"""The home dashboard, the policy page, the audit search, sign-in and the error pages."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from youse.core import audit, dashboard
from youse.core.models import AuditEvent, Division, User
from youse.registry import services as registry_services
from youse.registry.models import Enterprise
from youse.registry.rules import make_credit_code

ENT_A = "府谷示范镁业有限公司"
ENT_B = "宝鸡示范钛业有限公司"


def kpi(html: str, name: str) -> int:
    match = re.search(rf'data-kpi="{name}">.*?class="ys-figure">(?:<a[^>]*>)?(\d+)', html, re.S)
    assert match, f"no KPI {name}"
    return int(match.group(1))


def matrix_cell(board: dashboard.Dashboard, metal: str, city_key: str) -> int:
    row = next(r for r in board.matrix if r.metal.code == metal)
    idx = [c.key for c in board.cities].index(city_key)
    return row.cells[idx].count


def add_unit(personas, plant, metal: str, status: str = "operating", capacity: str = "1000", unit: str = "t/a"):
    return registry_services.create_unit(
        personas.department,
        plant,
        {
            "name": f"{metal}-{status}-{capacity}-{unit}",
            "metal": metal,
            "stage": "smelting",
            "product": metal,
            "design_capacity": capacity,
            "capacity_unit": unit,
        },
        status=status,
        status_since=dt.date(2021, 1, 1),
    )


def add_enterprise(personas, n: int, division_code: str, metal: str = "Mg"):
    ent = registry_services.create_enterprise(
        personas.department,
        {
            "name": f"测试企业{n:03d}有限公司",
            "credit_code": make_credit_code(f"91{division_code}MC{n:07d}"),
            "division": personas.division[division_code],
            "ownership": "private",
        },
    )
    plant = registry_services.create_plant(
        personas.department, ent, {"name": "厂区", "division": personas.division[division_code]}
    )
    add_unit(personas, plant, metal)
    return ent


# --- Home --------------------------------------------------------------------------------------------


def test_it_shows_the_department_both_enterprises(personas):
    response = personas.client("department").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert kpi(html, "enterprises") == 2
    assert kpi(html, "plants") == 2
    assert kpi(html, "operating") == 2
    assert 'id="ys-home-data"' in html
    assert "vendor/echarts/echarts.min.js" in html and "youse/charts.js" in html


def test_it_shows_an_enterprise_only_its_own_record(personas):
    html = personas.client("ent_a").get("/").content.decode()
    assert ENT_A in html
    assert ENT_B not in html
    assert "皮江法炼镁一线" in html
    assert "钛合金板材线" not in html
    assert kpi(html, "operating") == 1


def test_it_shows_the_city_only_its_enterprises(personas):
    board = dashboard.build(personas.city)
    assert board.kpis["enterprises"] == 1
    assert [c.key for c in board.cities] == ["610800"]
    assert matrix_cell(board, "Mg", "610800") == 1
    assert all(row.total.count == 0 for row in board.matrix if row.metal.code == "Ti")
    html = personas.client("city").get("/").content.decode()
    assert kpi(html, "enterprises") == 1
    assert "宝鸡市" not in html.split('data-table="metal-city"')[1].split("</table>")[0]


def test_it_gives_anonymous_visitors_the_landing_page(personas):
    response = personas.client("anonymous", language="zh-hans").get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "有色金属工业增加值" in html  # a target of 一(二)
    assert "宝鸡钛谷" in html  # a base
    assert "/accounts/login/" in html
    assert ENT_A not in html and ENT_B not in html
    assert "data-kpi" not in html


def test_it_counts_enterprises_by_metal_and_city(personas):
    # Enterprise A (Yulin) gains an aluminium unit and an exited lead unit; B (Baoji) a second titanium unit.
    add_unit(personas, personas.plant_a, "Al")
    add_unit(personas, personas.plant_a, "Pb", status="exited")
    add_unit(personas, personas.plant_b, "Ti", capacity="200")
    board = dashboard.build(personas.department)
    assert matrix_cell(board, "Mg", "610800") == 1
    assert matrix_cell(board, "Al", "610800") == 1
    assert matrix_cell(board, "Ti", "610300") == 1  # two units, one enterprise
    assert matrix_cell(board, "Ti", "610800") == 0
    assert matrix_cell(board, "Pb", "610800") == 0  # exited units do not count
    totals = dict(zip([c.key for c in board.cities], [c.count for c in board.matrix_city_totals], strict=True))
    assert totals["610800"] == 1  # A counts once though it has Mg and Al
    assert totals["610300"] == 1
    assert board.matrix_total == 2
    assert board.kpis["exited"] == 1
    # Every city and zone has a column for the department; zones are keyed by pk and are not on the map.
    zone = Division.objects.get(name="杨凌示范区")
    assert str(zone.pk) in [c.key for c in board.cities]
    assert str(zone.pk) not in [r["code"] for r in board.chart_data["map"]["regions"]]
    yulin = next(r for r in board.chart_data["map"]["regions"] if r["code"] == "610800")
    assert yulin["value"] == 1
    assert yulin["url"] == "/registry/?city=610800"


def test_it_links_matrix_cells_to_the_filtered_registry(personas):
    html = personas.client("department").get("/").content.decode()
    assert 'href="/registry/?metal=Mg&amp;city=610800"' in html


def test_it_agrees_with_the_registry_list_it_links_to(personas):
    add_unit(personas, personas.plant_b, "Mg")  # Baoji enterprise B now also counts under magnesium
    client = personas.client("department")
    board = dashboard.build(personas.department)
    row = next(r for r in board.matrix if r.metal.code == "Mg")
    for city, cell in zip(board.cities, row.cells, strict=True):
        if cell.count:
            listed = client.get(cell.url).context["page"].paginator.count
            assert listed == cell.count, (city.label, cell.url)


def test_it_sums_capacity_only_within_one_unit(personas):
    add_unit(personas, personas.plant_a, "Mg", capacity="20000")
    add_unit(personas, personas.plant_a, "Mg", capacity="3000", unit="t ore/d")
    add_unit(personas, personas.plant_a, "Mg", status="construction", capacity="99999")
    board = dashboard.build(personas.department)
    metal, cells = next((m, c) for m, c in board.capacity if m.code == "Mg")
    smelting = cells[[s.code for s in board.stages].index("smelting")]
    assert sorted(smelting.amounts) == [("3,000", "t ore/d"), ("70,000", "t/a")]


def test_it_counts_enterprises_by_base(personas):
    Enterprise.objects.filter(pk=personas.enterprise_b.pk).update(base=personas.enterprise_b.division.bases.first())
    board = dashboard.build(personas.department)
    baoji = next(b for b in board.bases if b["base"].code == "baoji-ti")
    assert baoji["enterprises"] == 1
    assert baoji["operating_units"] == 1
    assert baoji["url"] == "/registry/?base=baoji-ti"


def test_it_keeps_the_home_query_count_constant(personas):
    client = personas.client("department")
    client.get("/")  # warm caches (synthetic-data flag, content types)
    cache.clear()  # ... but compute the indicators afresh in both measurements
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    for n in range(18):
        add_enterprise(personas, n, "610800" if n % 2 else "610300", metal="Mg" if n % 3 else "Ti")
    assert Enterprise.objects.count() == 20
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get("/")
    assert kpi(response.content.decode(), "enterprises") == 20
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Policy ------------------------------------------------------------------------------------------


def test_it_lists_the_policy_with_lead_units(personas):
    response = personas.client("anonymous", language="zh-hans").get("/policy/")
    html = response.content.decode()
    assert response.status_code == 200
    row = html.split('data-clause="二(七)"')[1].split("</tr>")[0]
    units = re.findall(r'data-(lead|unit)="(\w+)"', row)
    assert units[0] == ("lead", "fgw")  # 省发展改革委 leads, listed first
    assert ("unit", "gxt") in units
    assert "省发展改革委" in row
    assert 'data-target="al_utilisation"' in html
    assert 'data-base="shangluo-v"' in html


# --- Audit search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["environment", "city", "ent_a", "ent_b"])
def test_it_refuses_the_audit_search_to_others(personas, persona):
    response = personas.client(persona).get("/audit/")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, reason__contains="audit.search").exists()


def test_it_sends_anonymous_visitors_to_sign_in_for_the_audit(personas):
    response = personas.client("anonymous").get("/audit/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_it_filters_audit_events(personas):
    client = personas.client("department")
    registry_services.update_enterprise(
        personas.department, personas.enterprise_a, {"contact_person": "王工"}, reason="年度核对联系人"
    )
    response = client.get("/audit/", {"reason": "年度核对"})
    html = response.content.decode()
    assert response.status_code == 200
    rows = re.findall(r'data-event="(\d+)"', html)
    assert len(rows) == 1
    assert "王工" in html  # before → after of the changed field
    assert f'href="/registry/enterprises/{personas.enterprise_a.pk}/"' in html

    by_action = client.get("/audit/", {"action": "create", "object": "示范钛业"}).content.decode()
    assert ENT_B in by_action and ENT_A not in by_action

    by_actor = client.get("/audit/", {"actor": "nobody-such"}).content.decode()
    assert re.findall(r'data-event="(\d+)"', by_actor) == []

    today = timezone.localdate()
    future = client.get("/audit/", {"date_from": (today + dt.timedelta(days=1)).isoformat()}).content.decode()
    assert re.findall(r'data-event="(\d+)"', future) == []
    now = client.get("/audit/", {"date_from": today.isoformat(), "date_to": today.isoformat()}).content.decode()
    assert len(re.findall(r'data-event="(\d+)"', now)) > 1


def test_it_filters_audit_events_by_channel_and_object_type(personas):
    from django.contrib.contenttypes.models import ContentType

    from youse.core.models import Metal

    with audit.channel(AuditEvent.Channel.CLI):
        audit.record(personas.department, AuditEvent.Action.UPDATE, Metal.objects.get(code="V"), reason="cli edit")
    client = personas.client("department")
    ct = ContentType.objects.get_for_model(Metal)
    html = client.get("/audit/", {"channel": "cli", "object_type": ct.pk}).content.decode()
    assert len(re.findall(r'data-event="(\d+)"', html)) == 1
    assert "cli edit" in html


def test_it_paginates_the_audit_trail(personas):
    AuditEvent.objects.bulk_create(
        [AuditEvent(channel="system", action="update", object_repr=f"row {i}", reason="bulk") for i in range(60)]
    )
    client = personas.client("department")
    first = client.get("/audit/", {"reason": "bulk"}).content.decode()
    second = client.get("/audit/", {"reason": "bulk", "page": 2}).content.decode()
    assert len(re.findall(r'data-event="(\d+)"', first)) == 50
    assert len(re.findall(r'data-event="(\d+)"', second)) == 10
    assert "reason=bulk&amp;page=2" in first


def test_it_exports_the_filtered_audit_events_as_csv(personas):
    registry_services.update_enterprise(
        personas.department, personas.enterprise_a, {"contact_person": "王工"}, reason="年度核对联系人"
    )
    response = personas.client("department").get("/audit/", {"object": "府谷", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all("府谷" in r["object"] for r in rows)
    update = next(r for r in rows if r["action"] == "update")
    assert "contact_person: — → 王工" in update["changes"]
    assert update["reason"] == "年度核对联系人"
    assert update["object_type"] == "registry.enterprise"


def test_it_refuses_the_csv_export_to_others(personas):
    assert personas.client("city").get("/audit/", {"format": "csv"}).status_code == 403


# --- Sign-in and error pages -------------------------------------------------------------------------


def test_it_renders_the_sign_in_page(personas):
    response = personas.client("anonymous").get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


@pytest.mark.parametrize("debug", [True, False])
def test_it_lists_demo_sign_ins_only_while_debug_is_on(personas, settings, debug):
    settings.DEBUG = debug
    User.objects.filter(username="gxt").update(demo_persona=True)
    html = personas.client("anonymous").get("/accounts/login/").content.decode()
    assert ("data-demo-personas" in html) is debug
    assert ("<code>gxt</code>" in html) is debug


def test_it_throttles_sign_ins(personas, settings):
    settings.YOUSE_LOGIN_ATTEMPTS = 2
    client = personas.client("anonymous")
    for _ in range(2):
        assert client.post("/accounts/login/", {"username": "gxt", "password": "wrong"}).status_code == 200
    blocked = client.post("/accounts/login/", {"username": "gxt", "password": "youse-test-password"})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_renders_404_in_the_platform_layout(personas, settings):
    settings.DEBUG = False
    response = personas.client("department").get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "ys-header" in html and "404" in html


def test_it_renders_403_in_the_platform_layout(personas, settings):
    settings.DEBUG = False
    response = personas.client("city").get("/audit/")
    assert response.status_code == 403
    assert "ys-header" in response.content.decode()
