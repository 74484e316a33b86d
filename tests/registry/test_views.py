"""The registry's pages: lists with filters, detail pages, forms through the services, scoping."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from youse.core.models import AuditEvent, Division
from youse.registry import services
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange
from youse.registry.rules import make_credit_code

ENT_A = "府谷示范镁业有限公司"
ENT_B = "宝鸡示范钛业有限公司"


def html(response) -> str:
    return response.content.decode()


def list_names(response) -> set[str]:
    """Enterprise names linked from the enterprise list's table."""
    return set(re.findall(r'<a href="/registry/enterprises/\d+/">([^<]+)</a>', html(response)))


def json_data(response, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html(response), re.S)
    assert match, f"no json_script {element_id}"
    return json.loads(match.group(1))


def pages(p) -> dict[str, tuple[str, str]]:
    """Every registry page with a piece of content that shows it rendered the right object."""
    return {
        "enterprise list": (reverse("registry:enterprise-list"), ENT_B),
        "enterprise detail": (reverse("registry:enterprise-detail", args=[p.enterprise_a.pk]), "皮江法炼镁一线"),
        "enterprise create": (reverse("registry:enterprise-create"), 'name="credit_code"'),
        "enterprise edit": (reverse("registry:enterprise-edit", args=[p.enterprise_a.pk]), ENT_A),
        "plant detail": (reverse("registry:plant-detail", args=[p.plant_a.pk]), "皮江法炼镁一线"),
        "plant create": (reverse("registry:plant-create", args=[p.enterprise_a.pk]), 'name="latitude"'),
        "plant edit": (reverse("registry:plant-edit", args=[p.plant_a.pk]), "一厂"),
        "unit list": (reverse("registry:unit-list"), "钛合金板材线"),
        "unit detail": (reverse("registry:unit-detail", args=[p.unit_a.pk]), "府发改备〔2018〕12号"),
        "unit create": (reverse("registry:unit-create", args=[p.plant_a.pk]), 'name="status_since"'),
        "unit edit": (reverse("registry:unit-edit", args=[p.unit_a.pk]), "皮江法炼镁一线"),
        "map": (reverse("registry:plant-map"), "钛材厂"),
    }


def test_it_renders_every_page_for_the_department(personas):
    client = personas.client("department")
    for name, (url, expected) in pages(personas).items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = html(response)
        assert expected in body, name
        assert 'class="breadcrumb' in body, name
        assert 'name="viewport"' in body, name


def test_it_redirects_anonymous_visitors_to_sign_in(personas):
    client = personas.client("anonymous")
    for name, (url, _expected) in pages(personas).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


# --- Enterprise list -----------------------------------------------------------------------------


def test_it_lists_enterprises_with_their_figures(personas):
    response = personas.client("department", language="zh-hans").get(reverse("registry:enterprise-list"))
    body = html(response)
    assert list_names(response) == {ENT_A, ENT_B}
    row = body[body.index(ENT_A) :].split("</tr>")[0]
    assert "榆林市" in row and "镁" in row and personas.enterprise_a.credit_code in row
    assert re.findall(r'<td class="text-end">(\d+)</td>', row) == ["1", "1"]


def test_it_searches_by_name_short_name_and_credit_code(personas):
    client = personas.client("department")
    url = reverse("registry:enterprise-list")
    assert list_names(client.get(url, {"q": "宝鸡"})) == {ENT_B}
    assert list_names(client.get(url, {"q": "示范镁业"})) == {ENT_A}
    assert list_names(client.get(url, {"q": personas.enterprise_b.credit_code[-8:].lower()})) == {ENT_B}
    assert list_names(client.get(url, {"q": "不存在"})) == set()


def test_it_filters_enterprises_by_city_base_ownership_and_unit(personas):
    p = personas
    services.update_enterprise(p.department, p.enterprise_b, {"base": "baoji-ti"})
    services.change_unit_status(p.department, p.unit_b, "idle", effective_on=dt.date(2024, 1, 1))
    client = p.client("department")
    url = reverse("registry:enterprise-list")
    # Cities and bases go by their codes, as every link on the platform names them.
    assert list_names(client.get(url, {"city": "610800"})) == {ENT_A}
    assert list_names(client.get(url, {"city": "610300"})) == {ENT_B}
    assert list_names(client.get(url, {"base": "baoji-ti"})) == {ENT_B}
    assert list_names(client.get(url, {"ownership": "private"})) == {ENT_A}
    assert list_names(client.get(url, {"metal": "Ti"})) == {ENT_B}
    assert list_names(client.get(url, {"stage": "smelting"})) == {ENT_A}
    assert list_names(client.get(url, {"status": "idle"})) == {ENT_B}
    assert list_names(client.get(url, {"status": "operating"})) == {ENT_A}
    # The unit conditions hold for one and the same unit: no Ti unit of A's is smelting.
    assert list_names(client.get(url, {"metal": "Ti", "stage": "smelting"})) == set()
    # Unknown filter values are ignored rather than failing the page.
    assert list_names(client.get(url, {"metal": "Xx"})) == {ENT_A, ENT_B}


def test_it_filters_by_a_zone_without_a_code_by_its_id(personas):
    zone = Division.objects.get(name="西咸新区")
    zoned = services.create_enterprise(
        personas.department,
        {
            "name": "西咸示范新材料有限公司",
            "credit_code": make_credit_code("91610100MA0000077"),
            "division": zone,
            "ownership": "private",
        },
    )
    client = personas.client("department")
    assert list_names(client.get(reverse("registry:enterprise-list"), {"city": str(zone.pk)})) == {zoned.name}


def test_it_lists_an_enterprise_once_however_many_units_match(personas):
    p = personas
    for i in range(3):
        services.create_unit(
            p.department,
            p.plant_a,
            {
                "name": f"镁线{i}",
                "metal": "Mg",
                "stage": "smelting",
                "product": "原镁",
                "design_capacity": "10000",
                "capacity_unit": "t/a",
            },
            status="operating",
            status_since=dt.date(2020, 1, 1),
        )
    response = p.client("department").get(reverse("registry:enterprise-list"), {"metal": "Mg"})
    assert html(response).count(f'href="/registry/enterprises/{p.enterprise_a.pk}/"') == 1
    assert response.context["page"].paginator.count == 1
    row = html(response)[html(response).index(ENT_A) :].split("</tr>")[0]
    assert re.findall(r'<td class="text-end">(\d+)</td>', row) == ["1", "4"]


def _add_enterprises(department, count: int, start: int) -> None:
    yulin = Division.objects.get(code="610881")
    for i in range(start, start + count):
        ent = services.create_enterprise(
            department,
            {
                "name": f"测试企业{i:03d}",
                "credit_code": make_credit_code(f"91610881MA{i:07d}"),
                "division": yulin,
                "ownership": "private",
            },
        )
        plant = services.create_plant(department, ent, {"name": "厂区", "division": yulin})
        services.create_unit(
            department,
            plant,
            {
                "name": "一线",
                "metal": "Al" if i % 2 else "Mg",
                "stage": "smelting",
                "product": "原铝",
                "design_capacity": "1000",
                "capacity_unit": "t/a",
            },
            status="operating",
            status_since=dt.date(2020, 1, 1),
        )


@pytest.mark.parametrize("url_name", ["registry:enterprise-list", "registry:unit-list", "registry:plant-map"])
def test_it_lists_with_a_query_count_independent_of_the_number_of_rows(personas, url_name):
    client = personas.client("department")
    url = reverse(url_name)
    client.get(url)  # warm the caches (content types, synthetic-data flag)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _add_enterprises(personas.department, 18, start=100)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert "测试企业117" in html(response)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_paginates_the_enterprise_list(personas):
    _add_enterprises(personas.department, 50, start=200)
    client = personas.client("department")
    url = reverse("registry:enterprise-list")
    first = client.get(url)
    second = client.get(url, {"page": 2})
    assert len(list_names(first)) == 50
    assert len(list_names(second)) == 2
    assert not list_names(first) & list_names(second)
    assert "page=2" in html(first)


def test_it_offers_new_enterprise_only_to_roles_that_may_create(personas):
    url = reverse("registry:enterprise-list")
    create = reverse("registry:enterprise-create")
    assert create in html(personas.client("department").get(url))
    assert create in html(personas.client("city").get(url))
    assert create not in html(personas.client("ent_a").get(url))
    assert create not in html(personas.client("environment").get(url))
    assert personas.client("ent_a").get(create).status_code == 403


# --- Scoping -------------------------------------------------------------------------------------


def test_it_gives_an_enterprise_404_on_another_enterprises_pages(personas):
    p = personas
    client = p.client("ent_a")
    for url in (
        reverse("registry:enterprise-detail", args=[p.enterprise_b.pk]),
        reverse("registry:enterprise-edit", args=[p.enterprise_b.pk]),
        reverse("registry:plant-detail", args=[p.plant_b.pk]),
        reverse("registry:unit-detail", args=[p.unit_b.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(reverse("registry:unit-transition", args=[p.unit_b.pk]), {"to_status": "idle"}).status_code == 404
    )
    assert client.get(reverse("registry:enterprise-detail", args=[p.enterprise_a.pk])).status_code == 200
    assert list_names(client.get(reverse("registry:enterprise-list"))) == {ENT_A}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=p.ent_a).exists()


def test_it_shows_the_city_its_own_rows_only(personas):
    p = personas
    client = p.client("city")
    assert list_names(client.get(reverse("registry:enterprise-list"))) == {ENT_A}
    units = html(client.get(reverse("registry:unit-list")))
    assert "皮江法炼镁一线" in units and "钛合金板材线" not in units
    map_page = client.get(reverse("registry:plant-map"))
    assert "一厂" in html(map_page) and "钛材厂" not in html(map_page)
    assert [r["code"] for r in json_data(map_page, "plant-map-data")["regions"]] == ["610800"]
    assert client.get(reverse("registry:enterprise-detail", args=[p.enterprise_b.pk])).status_code == 404
    assert client.get(reverse("registry:plant-detail", args=[p.plant_b.pk])).status_code == 404
    assert client.get(reverse("registry:unit-detail", args=[p.unit_b.pk])).status_code == 404


# --- Detail pages --------------------------------------------------------------------------------


def test_it_shows_an_enterprise_with_plants_units_map_and_history(personas):
    p = personas
    services.update_enterprise(p.department, p.enterprise_a, {"contact_person": "王工"}, reason="年度核对")
    response = p.client("department", language="zh-hans").get(
        reverse("registry:enterprise-detail", args=[p.enterprise_a.pk])
    )
    body = html(response)
    assert "一厂" in body and "皮江法炼镁一线" in body and '50000<span class="ys-unit">' in body
    assert 'badge text-bg-success">' in body  # the operating unit's status colour
    assert "府发改备〔2018〕12号" in body  # the unit's status history
    assert "年度核对" in body and "王工" in body  # the audit history with reason and after-value
    points = json_data(response, "plant-map-data")["points"]
    assert [(pt["lat"], pt["lng"], pt["color"]) for pt in points] == [(39.03, 111.07, "#3fa66b")]
    assert "vendor/echarts/echarts.min.js" in body and "youse/charts.js" in body


def test_it_hides_refusals_from_the_history_of_those_who_may_not_search_the_audit(personas):
    p = personas
    p.client("ent_b").get(reverse("registry:enterprise-detail", args=[p.enterprise_a.pk]))
    url = reverse("registry:enterprise-detail", args=[p.enterprise_a.pk])
    assert "ent-b" in html(p.client("department").get(url))
    assert "ent-b" not in html(p.client("ent_a").get(url))


def test_it_shows_the_map_of_plants_coloured_by_their_largest_unit(personas):
    p = personas
    services.create_unit(
        p.department,
        p.plant_b,
        {
            "name": "海绵钛线",
            "metal": "Al",
            "stage": "smelting",
            "product": "原铝",
            "design_capacity": "90000",
            "capacity_unit": "t/a",
        },
        status="operating",
        status_since=dt.date(2020, 1, 1),
    )
    client = p.client("department")
    response = client.get(reverse("registry:plant-map"))
    data = json_data(response, "plant-map-data")
    colours = {pt["name"]: pt["color"] for pt in data["points"]}
    assert colours == {"一厂": "#3fa66b", "钛材厂": "#2f7ed8"}  # Mg; Al outweighs the Ti unit
    assert {r["code"]: r["value"] for r in data["regions"]} == {"610800": 1, "610300": 1}
    assert "钛材厂" in html(response)  # the table carries the same data
    filtered = client.get(reverse("registry:plant-map"), {"metal": "Mg"})
    assert [pt["name"] for pt in json_data(filtered, "plant-map-data")["points"]] == ["一厂"]
    assert "钛材厂" not in html(filtered)


def test_it_sums_unit_capacity_only_within_one_unit_of_measure(personas):
    p = personas
    services.create_unit(
        p.department,
        p.plant_a,
        {
            "name": "白云石矿",
            "metal": "Mg",
            "stage": "smelting",
            "product": "白云石",
            "design_capacity": "1200",
            "capacity_unit": "t ore/d",
        },
        status="planned",
        status_since=dt.date(2024, 1, 1),
    )
    client = p.client("department")
    response = client.get(reverse("registry:unit-list"), {"metal": "Mg"})
    summary = response.context["summary"]
    rows = {
        (r["metal__code"], r["stage__code"], r["capacity_unit"]): (r["units"], r["total"], r["existing"])
        for r in summary
    }
    assert rows == {
        ("Mg", "smelting", "t/a"): (1, 50000, 50000),
        ("Mg", "smelting", "t ore/d"): (1, 1200, None),
    }
    assert "钛合金板材线" not in html(response)
    yulin = Division.objects.get(code="610800")
    by_city = html(client.get(reverse("registry:unit-list"), {"city": yulin.pk}))
    assert "皮江法炼镁一线" in by_city and "钛合金板材线" not in by_city
    by_status = html(client.get(reverse("registry:unit-list"), {"status": "planned"}))
    assert "白云石矿" in by_status and "皮江法炼镁一线" not in by_status


# --- Forms ---------------------------------------------------------------------------------------


def enterprise_post(**overrides) -> dict:
    data = {
        "name": "榆林新建铝业有限公司",
        "short_name": "新建铝业",
        "credit_code": make_credit_code("91610800MA0000077"),
        "division": Division.objects.get(code="610881").pk,
        "ownership": "private",
        "status": "active",
        "reason": "新项目登记",
    }
    data.update(overrides)
    return data


def test_it_creates_an_enterprise_through_the_form(personas):
    response = personas.client("department").post(reverse("registry:enterprise-create"), enterprise_post())
    ent = Enterprise.objects.get(name="榆林新建铝业有限公司")
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:enterprise-detail", args=[ent.pk])
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(ent.pk), object_repr=ent.name)
    assert event.actor == personas.department and event.channel == "web" and event.reason == "新项目登记"


def test_it_shows_a_bad_credit_code_on_its_field_and_writes_nothing(personas):
    events = AuditEvent.objects.count()
    bad = make_credit_code("91610800MA0000077")[:-1] + "0"
    if bad == make_credit_code("91610800MA0000077"):
        bad = bad[:-1] + "1"
    response = personas.client("department").post(
        reverse("registry:enterprise-create"), enterprise_post(credit_code=bad)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["credit_code"]
    assert "check character" in html(response)
    assert 'id="id_credit_code"' in html(response) and "is-invalid" in html(response)
    assert not Enterprise.objects.filter(name="榆林新建铝业有限公司").exists()
    assert AuditEvent.objects.count() == events


def test_it_shows_a_duplicate_name_on_the_name_field(personas):
    response = personas.client("department").post(reverse("registry:enterprise-create"), enterprise_post(name=ENT_B))
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert Enterprise.objects.filter(name=ENT_B).count() == 1


def test_it_refuses_the_registry_to_a_public_account(personas):
    from youse.core import services as core_services
    from youse.core.roles import Role

    public = core_services.create_user(None, "visitor", Role.PUBLIC, password="x-long-password-1")
    client = personas.client("anonymous")
    client.force_login(public)
    assert client.get(reverse("registry:enterprise-list")).status_code == 403
    assert client.get(reverse("registry:enterprise-detail", args=[personas.enterprise_a.pk])).status_code == 403


def test_it_keeps_a_city_to_its_own_divisions(personas):
    baoji = Division.objects.get(code="610300")
    response = personas.client("city").post(reverse("registry:enterprise-create"), enterprise_post(division=baoji.pk))
    assert response.status_code == 200
    assert "division" in response.context["form"].errors
    assert not Enterprise.objects.filter(name="榆林新建铝业有限公司").exists()
    ok = personas.client("city").post(reverse("registry:enterprise-create"), enterprise_post())
    assert ok.status_code == 302


def test_it_edits_an_enterprise_with_a_reason(personas):
    p = personas
    url = reverse("registry:enterprise-edit", args=[p.enterprise_a.pk])
    form = p.client("department").get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(employees="350", reason="年报更新")
    response = p.client("department").post(url, data)
    assert response.status_code == 302
    p.enterprise_a.refresh_from_db()
    assert p.enterprise_a.employees == 350
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE, object_id=str(p.enterprise_a.pk)).get()
    assert event.reason == "年报更新"
    assert event.changes == [("employees", None, 350)]


def test_it_lets_an_enterprise_edit_its_contact_fields_only(personas):
    """Chosen behaviour: an enterprise user's form holds only the contact fields; anything else it
    posts is not read, so it cannot change the regulators' part of its record."""
    p = personas
    client = p.client("ent_a")
    url = reverse("registry:enterprise-edit", args=[p.enterprise_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["form"].fields) == {
        "contact_person",
        "contact_phone",
        "contact_email",
        "address",
        "website",
        "reason",
    }
    response = client.post(
        url,
        {"contact_person": "李经理", "contact_phone": "0912-1234567", "name": "改名公司", "ownership": "central_soe"},
    )
    assert response.status_code == 302
    ent = Enterprise.objects.get(pk=p.enterprise_a.pk)
    assert (ent.name, ent.ownership, ent.contact_person) == (ENT_A, "private", "李经理")
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(ent.pk))
    assert event.actor == p.ent_a and set(event.after) >= {"contact_person"}
    assert {k for k, _b, _a in event.changes} == {"contact_person", "contact_phone"}


def test_it_refuses_an_enterprise_the_regulators_forms(personas):
    p = personas
    client = p.client("ent_a")
    assert client.get(reverse("registry:plant-create", args=[p.enterprise_a.pk])).status_code == 403
    assert client.get(reverse("registry:plant-edit", args=[p.plant_a.pk])).status_code == 403
    assert client.get(reverse("registry:unit-edit", args=[p.unit_a.pk])).status_code == 403
    response = client.post(
        reverse("registry:unit-transition", args=[p.unit_a.pk]), {"to_status": "idle", "effective_on": "2024-01-01"}
    )
    assert response.status_code == 403
    assert ProductionUnit.objects.get(pk=p.unit_a.pk).status == "operating"
    assert 'action="/registry/units/' not in html(client.get(reverse("registry:unit-detail", args=[p.unit_a.pk])))


def test_it_creates_and_edits_a_plant_through_the_forms(personas):
    p = personas
    client = p.client("department")
    fugu = Division.objects.get(code="610822")
    response = client.post(
        reverse("registry:plant-create", args=[p.enterprise_a.pk]),
        {"name": "二厂", "division": fugu.pk, "latitude": "39.1", "longitude": "111.1", "reason": "扩建"},
    )
    plant = Plant.objects.get(enterprise=p.enterprise_a, name="二厂")
    assert response["Location"] == reverse("registry:plant-detail", args=[plant.pk])
    assert AuditEvent.objects.filter(action="create", object_id=str(plant.pk), reason="扩建").exists()

    half = client.post(
        reverse("registry:plant-edit", args=[plant.pk]),
        {"name": "二厂", "division": fugu.pk, "latitude": "39.2", "longitude": "", "reason": ""},
    )
    assert half.status_code == 200 and "longitude" in half.context["form"].errors
    moved = client.post(
        reverse("registry:plant-edit", args=[plant.pk]),
        {"name": "二厂", "division": fugu.pk, "latitude": "39.2", "longitude": "111.2", "reason": "复测坐标"},
    )
    assert moved.status_code == 302
    plant.refresh_from_db()
    assert str(plant.latitude) == "39.200000"
    assert AuditEvent.objects.get(action="update", object_id=str(plant.pk)).reason == "复测坐标"


def unit_post(**overrides) -> dict:
    data = {
        "name": "铝电解一系列",
        "metal": "",
        "stage": "",
        "product": "原铝",
        "process": "预焙阳极电解",
        "main_equipment": "500kA×256",
        "design_capacity": "300000",
        "capacity_unit": "t/a",
        "approval_document": "",
        "status": "approved",
        "status_since": "2023-06-01",
        "document": "陕发改产业〔2023〕8号",
        "reason": "",
    }
    data.update(overrides)
    return data


def test_it_creates_and_edits_a_unit_through_the_forms(personas):
    from youse.core.models import Metal, ValueChainStage

    p = personas
    al, smelting = Metal.objects.get(code="Al").pk, ValueChainStage.objects.get(code="smelting").pk
    client = p.client("department")
    response = client.post(reverse("registry:unit-create", args=[p.plant_a.pk]), unit_post(metal=al, stage=smelting))
    unit = ProductionUnit.objects.get(plant=p.plant_a, name="铝电解一系列")
    assert response["Location"] == reverse("registry:unit-detail", args=[unit.pk])
    assert (unit.status, unit.status_since, unit.main_equipment) == ("approved", dt.date(2023, 6, 1), "500kA×256")
    assert unit.status_changes.get().document == "陕发改产业〔2023〕8号"
    assert AuditEvent.objects.filter(action="create", object_id=str(unit.pk)).exists()

    edit_url = reverse("registry:unit-edit", args=[unit.pk])
    form = client.get(edit_url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(design_capacity="350000", reason="技改扩能")
    assert client.post(edit_url, data).status_code == 302
    unit.refresh_from_db()
    assert unit.design_capacity == 350000
    event = AuditEvent.objects.get(action="update", object_id=str(unit.pk))
    assert event.reason == "技改扩能" and event.changes == [("design_capacity", "300000.00", "350000")]


def test_it_refuses_a_unit_without_a_capacity_unit(personas):
    from youse.core.models import Metal, ValueChainStage

    p = personas
    al, smelting = Metal.objects.get(code="Al").pk, ValueChainStage.objects.get(code="smelting").pk
    response = p.client("department").post(
        reverse("registry:unit-create", args=[p.plant_a.pk]), unit_post(metal=al, stage=smelting, capacity_unit="")
    )
    assert response.status_code == 200
    assert "capacity_unit" in response.context["form"].errors
    assert not ProductionUnit.objects.filter(name="铝电解一系列").exists()


# --- Status transitions --------------------------------------------------------------------------


def test_it_offers_only_the_allowed_transitions(personas):
    response = personas.client("department").get(reverse("registry:unit-detail", args=[personas.unit_a.pk]))
    choices = [value for value, _label in response.context["form"].fields["to_status"].choices]
    assert sorted(choices) == ["exited", "idle"]


def test_it_changes_a_units_status_through_the_form(personas):
    p = personas
    client = p.client("city")
    response = client.post(
        reverse("registry:unit-transition", args=[p.unit_a.pk]),
        {"to_status": "idle", "effective_on": "2024-03-01", "document": "", "reason": "市场低迷停产"},
    )
    assert response.status_code == 302
    unit = ProductionUnit.objects.get(pk=p.unit_a.pk)
    assert (unit.status, unit.status_since) == ("idle", dt.date(2024, 3, 1))
    change = UnitStatusChange.objects.filter(unit=unit).first()
    assert (change.from_status, change.to_status, change.reason, change.actor) == (
        "operating",
        "idle",
        "市场低迷停产",
        p.city,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSITION, object_id=str(unit.pk))
    assert event.after["status"] == "idle" and event.channel == "web"
    page = html(client.get(reverse("registry:unit-detail", args=[unit.pk])))
    assert "市场低迷停产" in page and "2024-03-01" in page


def test_it_refuses_an_illegal_transition_with_a_message(personas):
    p = personas
    url = reverse("registry:unit-transition", args=[p.unit_a.pk])
    response = p.client("department").post(
        url, {"to_status": "approved", "effective_on": "2024-03-01", "document": "x"}
    )
    assert response.status_code == 200
    assert "to_status" in response.context["form"].errors
    assert "The status was not changed" in html(response)
    assert ProductionUnit.objects.get(pk=p.unit_a.pk).status == "operating"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITION).exists()


def test_it_shows_the_services_date_error_on_the_date_field(personas):
    p = personas
    url = reverse("registry:unit-transition", args=[p.unit_a.pk])
    response = p.client("department").post(url, {"to_status": "idle", "effective_on": "2010-01-01"})
    assert response.status_code == 200
    assert "effective_on" in response.context["form"].errors
    assert UnitStatusChange.objects.filter(unit=p.unit_a).count() == 1


def test_it_requires_a_document_to_exit_a_unit(personas):
    p = personas
    url = reverse("registry:unit-transition", args=[p.unit_a.pk])
    client = p.client("department")
    refused = client.post(url, {"to_status": "exited", "effective_on": "2024-03-01", "document": ""})
    assert "document" in refused.context["form"].errors
    assert ProductionUnit.objects.get(pk=p.unit_a.pk).status == "operating"
    done = client.post(url, {"to_status": "exited", "effective_on": "2024-03-01", "document": "府工信发〔2024〕3号"})
    assert done.status_code == 302
    assert ProductionUnit.objects.get(pk=p.unit_a.pk).status == "exited"
    # Exit is final: the page no longer offers a transition form.
    assert client.get(reverse("registry:unit-detail", args=[p.unit_a.pk])).context["form"] is None
