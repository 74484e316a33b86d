"""The registry API under /api/v1/registry/: who sees and changes what (persona × endpoint), filters and
pagination, and bad input answering 4xx with a JSON body naming the field, with nothing written."""

import json

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from youse.core import services as core_services
from youse.core.models import AuditEvent
from youse.registry.models import Enterprise, Plant, ProductionUnit
from youse.registry.rules import make_credit_code

API = "/api/v1/registry"
PERSONAS = ["department", "environment", "city", "ent_a", "ent_b", "anonymous"]


def api_client(personas, name: str) -> Client:
    """A client that authenticates as the persona with a personal token, as API clients do."""
    user = personas.users[name]
    if user is None:
        return Client()
    _, raw = core_services.issue_token(None, user, name="tests")
    # English messages, so that assertions on them hold whatever the catalogue says.
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def post(client: Client, url: str, data) -> object:
    body = data if isinstance(data, str) else json.dumps(data)
    return client.post(url, body, content_type="application/json")


def patch(client: Client, url: str, data) -> object:
    return client.patch(url, json.dumps(data), content_type="application/json")


def new_enterprise(division: str = "610822", serial: str = "0000010", **extra) -> dict:
    return {
        "name": f"测试企业{serial}",
        "credit_code": make_credit_code(f"91{division}MA{serial}"),
        "division": division,
        "ownership": "private",
        **extra,
    }


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# --- Reads: who sees what -------------------------------------------------------------------------

LIST_VISIBILITY = {
    # persona: (status, enterprises seen) — "a" and "b" for the two enterprises.
    "department": (200, {"a", "b"}),
    "environment": (200, {"a", "b"}),
    "city": (200, {"a"}),
    "ent_a": (200, {"a"}),
    "ent_b": (200, {"b"}),
    "anonymous": (401, None),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["enterprises", "plants", "units"])
def test_it_lists_only_rows_in_the_callers_scope(personas, persona, kind):
    status, seen = LIST_VISIBILITY[persona]
    rows = {
        "enterprises": {"a": personas.enterprise_a.pk, "b": personas.enterprise_b.pk},
        "plants": {"a": personas.plant_a.pk, "b": personas.plant_b.pk},
        "units": {"a": personas.unit_a.pk, "b": personas.unit_b.pk},
    }[kind]
    response = api_client(personas, persona).get(f"{API}/{kind}")
    assert response.status_code == status
    if seen is None:
        assert response.json()["detail"]
        return
    assert ids(response) == {rows[k] for k in seen}
    assert response.json()["count"] == len(seen)


DETAIL_STATUS = {
    # persona: (status for A's rows, status for B's rows)
    "department": (200, 200),
    "environment": (200, 200),
    "city": (200, 404),
    "ent_a": (200, 404),
    "ent_b": (404, 200),
    "anonymous": (401, 401),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", ["enterprises", "plants", "units"])
def test_it_answers_404_for_rows_outside_the_scope(personas, persona, kind):
    obj_a, obj_b = {
        "enterprises": (personas.enterprise_a, personas.enterprise_b),
        "plants": (personas.plant_a, personas.plant_b),
        "units": (personas.unit_a, personas.unit_b),
    }[kind]
    client = api_client(personas, persona)
    for obj, expected in zip((obj_a, obj_b), DETAIL_STATUS[persona], strict=True):
        response = client.get(f"{API}/{kind}/{obj.pk}")
        assert response.status_code == expected, (kind, obj)
        body = response.json()
        if expected == 200:
            assert body["id"] == obj.pk
        else:
            assert set(body) == {"detail", "errors"}
            assert "name" not in body


def test_it_audits_an_attempt_to_read_another_enterprise(personas):
    response = api_client(personas, "ent_a").get(f"{API}/enterprises/{personas.enterprise_b.pk}")
    assert response.status_code == 404
    refusal = AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=personas.ent_a).get()
    assert refusal.object_id == str(personas.enterprise_b.pk)
    assert refusal.channel == AuditEvent.Channel.API


def test_it_exposes_references_by_code(personas):
    body = api_client(personas, "department").get(f"{API}/units/{personas.unit_a.pk}").json()
    assert body["metal"]["code"] == "Mg"
    assert body["stage"]["code"] == "smelting"
    assert body["enterprise"]["id"] == personas.enterprise_a.pk
    assert body["design_capacity"] == 50000
    assert body["capacity_unit"] == "t/a"
    assert [c["to_status"] for c in body["status_changes"]] == ["operating"]
    assert body["status_changes"][0]["document"] == "府发改备〔2018〕12号"
    ent = api_client(personas, "department").get(f"{API}/enterprises/{personas.enterprise_a.pk}").json()
    assert ent["division"]["code"] == "610822"
    assert ent["division"]["name"] == "府谷县"
    assert ent["city"]["code"] == "610800"
    assert [p["id"] for p in ent["plants"]] == [personas.plant_a.pk]


# --- Filters and pagination -----------------------------------------------------------------------

FILTERS = [
    # (endpoint, query, rows expected: "a", "b")
    ("enterprises", "city=610800", {"a"}),
    ("enterprises", "city=610300", {"b"}),
    ("enterprises", "city=610100", set()),
    ("enterprises", "division=610822", {"a"}),
    ("enterprises", "division=610000", {"a", "b"}),
    ("enterprises", "metal=Mg", {"a"}),
    ("enterprises", "metal=Ti", {"b"}),
    ("enterprises", "stage=deep_processing", {"b"}),
    ("enterprises", "status=active", {"a", "b"}),
    ("enterprises", "status=closed", set()),
    ("enterprises", "unit_status=operating", {"a", "b"}),
    ("enterprises", "unit_status=idle", set()),
    ("enterprises", "ownership=local_soe", {"b"}),
    ("enterprises", "q=示范镁", {"a"}),
    ("enterprises", "q=91610300", {"b"}),
    ("enterprises", "metal=Mg&city=610300", set()),
    ("plants", "city=610300", {"b"}),
    ("plants", "metal=Mg", {"a"}),
    ("plants", "status=operating", {"a", "b"}),
    ("plants", "q=钛材", {"b"}),
    ("units", "metal=Ti", {"b"}),
    ("units", "stage=smelting", {"a"}),
    ("units", "status=operating", {"a", "b"}),
    ("units", "status=planned", set()),
    ("units", "city=610800", {"a"}),
    ("units", "capacity_unit=t/a", {"a", "b"}),
    ("units", "q=皮江", {"a"}),
]


@pytest.mark.parametrize(("kind", "query", "expected"), FILTERS)
def test_it_filters(personas, kind, query, expected):
    rows = {
        "enterprises": {"a": personas.enterprise_a.pk, "b": personas.enterprise_b.pk},
        "plants": {"a": personas.plant_a.pk, "b": personas.plant_b.pk},
        "units": {"a": personas.unit_a.pk, "b": personas.unit_b.pk},
    }[kind]
    response = api_client(personas, "department").get(f"{API}/{kind}?{query}")
    assert response.status_code == 200, response.json()
    assert ids(response) == {rows[k] for k in expected}


def test_it_filters_by_base(personas):
    client = api_client(personas, "department")
    response = post(client, f"{API}/enterprises", new_enterprise(division="610300", base="baoji-ti"))
    assert response.status_code == 201, response.json()
    assert response.json()["base"]["code"] == "baoji-ti"
    assert ids(client.get(f"{API}/enterprises?base=baoji-ti")) == {response.json()["id"]}


def test_it_filters_within_the_scope_only(personas):
    # Yulin's user asking for Baoji gets nothing, not Baoji's rows.
    response = api_client(personas, "city").get(f"{API}/enterprises?city=610300")
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_it_paginates(personas):
    client = api_client(personas, "department")
    first = client.get(f"{API}/enterprises?page_size=1").json()
    second = client.get(f"{API}/enterprises?page_size=1&page=2").json()
    beyond = client.get(f"{API}/enterprises?page_size=1&page=3").json()
    assert (first["count"], first["page"], first["page_size"]) == (2, 1, 1)
    assert len(first["results"]) == len(second["results"]) == 1
    assert first["results"][0]["id"] != second["results"][0]["id"]
    assert beyond["results"] == [] and beyond["count"] == 2


# --- Writes: who may change what ------------------------------------------------------------------

CREATE_IN_YULIN = {"department": 201, "environment": 403, "city": 201, "ent_a": 403, "ent_b": 403, "anonymous": 401}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_regulators_register_enterprises(personas, persona):
    before = Enterprise.objects.count()
    response = post(api_client(personas, persona), f"{API}/enterprises", new_enterprise())
    assert response.status_code == CREATE_IN_YULIN[persona], response.json()
    created = response.status_code == 201
    assert Enterprise.objects.count() == before + created
    if created:
        assert response.json()["division"]["code"] == "610822"
        assert response.json()["credit_code"] == new_enterprise()["credit_code"]


def test_it_refuses_a_city_registering_in_another_city(personas):
    before = Enterprise.objects.count()
    response = post(api_client(personas, "city"), f"{API}/enterprises", new_enterprise(division="610300"))
    assert response.status_code == 400
    assert "division" in response.json()["errors"]
    assert Enterprise.objects.count() == before
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=personas.city).exists()


UPDATE_A = {"department": 200, "environment": 403, "city": 200, "ent_a": 403, "ent_b": 404, "anonymous": 401}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_regulators_in_scope_edit_an_enterprise(personas, persona):
    url = f"{API}/enterprises/{personas.enterprise_a.pk}"
    response = patch(api_client(personas, persona), url, {"legal_representative": "王五"})
    assert response.status_code == UPDATE_A[persona]
    personas.enterprise_a.refresh_from_db()
    assert (personas.enterprise_a.legal_representative == "王五") == (response.status_code == 200)


def test_it_lets_a_city_edit_only_its_own_enterprises(personas):
    response = patch(api_client(personas, "city"), f"{API}/enterprises/{personas.enterprise_b.pk}", {"address": "x"})
    assert response.status_code == 404


def test_it_lets_an_enterprise_keep_its_contact_details(personas):
    client = api_client(personas, "ent_a")
    response = patch(client, f"{API}/enterprises/{personas.enterprise_a.pk}", {"contact_phone": "0912-1234567"})
    assert response.status_code == 200
    assert response.json()["contact_phone"] == "0912-1234567"
    # A partial update leaves the other fields alone.
    assert response.json()["name"] == personas.enterprise_a.name
    assert response.json()["division"]["code"] == "610822"


def test_it_writes_api_audit_events_for_changes(personas):
    client = api_client(personas, "city")
    created = post(client, f"{API}/enterprises", new_enterprise(reason="新登记"))
    assert created.status_code == 201
    ent_id = created.json()["id"]
    assert patch(client, f"{API}/enterprises/{ent_id}", {"short_name": "测试"}).status_code == 200
    events = list(AuditEvent.objects.filter(object_id=str(ent_id), content_type__model="enterprise").order_by("id"))
    assert [(e.action, e.channel, e.actor_id) for e in events] == [
        ("create", "api", personas.city.pk),
        ("update", "api", personas.city.pk),
    ]
    assert events[0].reason == "新登记"
    assert (events[1].before["short_name"], events[1].after["short_name"]) == ("", "测试")


def test_it_registers_plants_and_units(personas):
    client = api_client(personas, "city")
    plant = post(
        client,
        f"{API}/plants",
        {
            "enterprise": personas.enterprise_a.pk,
            "name": "二厂",
            "division": "610881",
            "latitude": "38.8",
            "longitude": 110.5,
        },
    )
    assert plant.status_code == 201, plant.json()
    assert plant.json()["city"]["code"] == "610800"
    unit = post(
        client,
        f"{API}/units",
        {
            "plant": plant.json()["id"],
            "name": "电解铝一系列",
            "metal": "Al",
            "stage": "smelting",
            "product": "电解铝",
            "main_equipment": "500kA×256",
            "design_capacity": 400000,
            "capacity_unit": "t/a",
            "status": "construction",
            "document": "陕发改产业〔2021〕1号",
        },
    )
    assert unit.status_code == 201, unit.json()
    body = unit.json()
    assert (body["metal"]["code"], body["status"], body["main_equipment"]) == ("Al", "construction", "500kA×256")
    assert body["status_changes"][0]["document"] == "陕发改产业〔2021〕1号"
    edited = patch(client, f"{API}/units/{body['id']}", {"design_capacity": "420000.5"})
    assert edited.status_code == 200
    assert edited.json()["design_capacity"] == 420000.5
    assert AuditEvent.objects.filter(channel="api", content_type__model="productionunit", action="update").exists()


def test_it_refuses_a_plant_for_an_enterprise_outside_the_scope(personas):
    before = Plant.objects.count()
    response = post(
        api_client(personas, "city"),
        f"{API}/plants",
        {"enterprise": personas.enterprise_b.pk, "name": "越界厂", "division": "610822"},
    )
    assert response.status_code == 400
    assert "enterprise" in response.json()["errors"]
    assert Plant.objects.count() == before


TRANSITION = {"department": 200, "environment": 403, "city": 200, "ent_a": 403, "ent_b": 404, "anonymous": 401}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_changes_a_units_status_for_regulators_only(personas, persona):
    url = f"{API}/units/{personas.unit_a.pk}/status"
    payload = {"to_status": "idle", "effective_on": "2024-01-15", "document": "府工信发〔2024〕3号", "reason": "停产"}
    response = post(api_client(personas, persona), url, payload)
    assert response.status_code == TRANSITION[persona]
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.status == ("idle" if response.status_code == 200 else "operating")
    if response.status_code == 200:
        assert response.json()["status"] == "idle"
        assert response.json()["status_changes"][0]["document"] == "府工信发〔2024〕3号"
        event = AuditEvent.objects.get(action=AuditEvent.Action.TRANSITION)
        assert (event.channel, event.before["status"], event.after["status"]) == ("api", "operating", "idle")


def test_it_shows_the_history_of_a_unit_and_an_enterprise(personas):
    client = api_client(personas, "department")
    post(client, f"{API}/units/{personas.unit_a.pk}/status", {"to_status": "idle"})
    unit_history = client.get(f"{API}/units/{personas.unit_a.pk}/history").json()
    assert [e["action"] for e in unit_history["results"]] == ["transition", "create"]
    assert unit_history["results"][0]["channel"] == "api"
    ent_history = client.get(f"{API}/enterprises/{personas.enterprise_a.pk}/history").json()
    assert {(e["object_type"], e["action"]) for e in ent_history["results"]} >= {
        ("enterprise", "create"),
        ("plant", "create"),
        ("productionunit", "transition"),
    }
    assert api_client(personas, "ent_b").get(f"{API}/enterprises/{personas.enterprise_a.pk}/history").status_code == 404


def test_it_keeps_refusals_out_of_an_enterprises_own_history(personas):
    api_client(personas, "ent_b").get(f"{API}/enterprises/{personas.enterprise_a.pk}")  # refused, audited
    own = api_client(personas, "ent_a").get(f"{API}/enterprises/{personas.enterprise_a.pk}/history").json()
    assert "refused" not in {e["action"] for e in own["results"]}
    full = api_client(personas, "department").get(f"{API}/enterprises/{personas.enterprise_a.pk}/history").json()
    assert "refused" in {e["action"] for e in full["results"]}


# --- Bad input ------------------------------------------------------------------------------------


def test_it_names_an_invalid_credit_code_and_writes_nothing(personas):
    client = api_client(personas, "department")
    events = AuditEvent.objects.count()
    data = new_enterprise()
    data["credit_code"] = data["credit_code"][:-1] + ("0" if data["credit_code"][-1] != "0" else "1")
    response = post(client, f"{API}/enterprises", data)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["credit_code"]
    assert "check character" in response.json()["errors"]["credit_code"][0]
    assert not Enterprise.objects.filter(name=data["name"]).exists()
    assert AuditEvent.objects.count() == events


def test_it_names_an_unknown_division(personas):
    response = post(api_client(personas, "department"), f"{API}/enterprises", new_enterprise(division="619999"))
    assert response.status_code == 400
    assert "division" in response.json()["errors"]
    assert not Enterprise.objects.filter(name=new_enterprise()["name"]).exists()


def test_it_refuses_a_capacity_without_its_unit(personas):
    before = ProductionUnit.objects.count()
    data = {"plant": personas.plant_a.pk, "name": "新线", "metal": "Mg", "stage": "smelting", "product": "原镁"}
    response = post(api_client(personas, "department"), f"{API}/units", {**data, "design_capacity": 1000})
    assert response.status_code == 400
    assert "capacity_unit" in response.json()["errors"]
    assert ProductionUnit.objects.count() == before


def test_it_refuses_an_illegal_transition(personas):
    url = f"{API}/units/{personas.unit_a.pk}/status"
    response = post(api_client(personas, "department"), url, {"to_status": "planned"})
    assert response.status_code == 400
    assert "not allowed" in response.json()["errors"]["to_status"][0]
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.status == "operating"
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.TRANSITION).exists()


def test_it_refuses_a_status_edit_outside_the_life_cycle(personas):
    response = patch(api_client(personas, "department"), f"{API}/units/{personas.unit_a.pk}", {"status": "exited"})
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.status == "operating"


BAD_BODIES = [
    # (endpoint, body, field named in the errors or None)
    ("enterprises", "{not json", None),
    ("enterprises", "", None),
    ("enterprises", "[]", None),
    ("enterprises", "null", None),
    ("enterprises", '"text"', None),
    ("enterprises", {"name": 12, "credit_code": "x", "division": "610822", "ownership": "private"}, "name"),
    ("enterprises", {**new_enterprise(), "employees": "many"}, "employees"),
    ("enterprises", {**new_enterprise(), "employees": -1}, "employees"),
    ("enterprises", {**new_enterprise(), "division": {"code": "610822"}}, "division"),
    ("enterprises", {**new_enterprise(), "division": 10**30}, "division"),
    ("enterprises", {**new_enterprise(), "established_on": "yesterday"}, "established_on"),
    ("enterprises", {**new_enterprise(), "ownership": "martian"}, "ownership"),
    ("enterprises", {**new_enterprise(), "contact_email": "not-an-email"}, "contact_email"),
    ("enterprises", {**new_enterprise(), "name": "零\x00字节"}, "name"),
    ("enterprises", {**new_enterprise(), "name": "长" * 500}, "name"),
    ("enterprises", {**new_enterprise(), "unknown_field": 1}, "unknown_field"),
    ("enterprises", {**new_enterprise(), "base": "atlantis"}, "base"),
    ("plants", {"enterprise": 10**30, "name": "x", "division": "610822"}, "enterprise"),
    ("plants", {"enterprise": 1, "name": "x", "division": "610822", "latitude": 91, "longitude": 0}, "latitude"),
    ("plants", {"enterprise": 1, "name": "x", "division": "610822", "latitude": "NaN", "longitude": 0}, "latitude"),
    ("plants", {"enterprise": 1, "name": "x", "division": "610822", "latitude": 30}, "longitude"),
    ("units", {"plant": 1, "name": "x", "metal": "Xx", "stage": "smelting", "product": "p"}, "metal"),
    ("units", {"plant": 1, "name": "x", "metal": "Mg", "stage": "s", "product": "p", "design_capacity": -5}, None),
    ("units", {"plant": 1, "name": "x", "metal": "Mg", "stage": "s", "product": "p", "design_capacity": "1e400"}, None),
    ("units", {"plant": 1, "name": "x", "metal": "Mg", "stage": "smelting", "product": "p", "status": "x"}, "status"),
]


@pytest.mark.parametrize(("kind", "body", "field"), BAD_BODIES)
def test_it_answers_400_to_bad_bodies(personas, kind, body, field):
    counts = (Enterprise.objects.count(), Plant.objects.count(), ProductionUnit.objects.count())
    if kind == "plants" and isinstance(body, dict) and body.get("enterprise") == 1:
        body = {**body, "enterprise": personas.enterprise_a.pk}
    if kind == "units" and isinstance(body, dict):
        body = {**body, "plant": personas.plant_a.pk}
    response = post(api_client(personas, "department"), f"{API}/{kind}", body)
    assert response.status_code == 400, response.content
    payload = response.json()
    assert set(payload) == {"detail", "errors"}
    assert payload["errors"], payload
    if field is not None:
        assert field in payload["errors"], payload
    assert (Enterprise.objects.count(), Plant.objects.count(), ProductionUnit.objects.count()) == counts


@pytest.mark.parametrize(
    ("kind", "field"),
    [("enterprises", "division"), ("enterprises", "name"), ("plants", "division"), ("units", "metal")],
)
def test_it_refuses_to_null_a_required_field(personas, kind, field):
    obj = {"enterprises": personas.enterprise_a, "plants": personas.plant_a, "units": personas.unit_a}[kind]
    response = patch(api_client(personas, "department"), f"{API}/{kind}/{obj.pk}", {field: None})
    assert response.status_code == 400
    assert field in response.json()["errors"]


BAD_QUERIES = [
    ("enterprises?page=0", "page"),
    ("enterprises?page=-3", "page"),
    ("enterprises?page=99999999999999999999999999", "page"),
    ("enterprises?page=abc", "page"),
    ("enterprises?page_size=-1", "page_size"),
    ("enterprises?page_size=0", "page_size"),
    ("enterprises?page_size=100000", "page_size"),
    ("enterprises?city=999999", "city"),
    ("enterprises?city=610822", "city"),  # a county is not a city
    ("enterprises?metal=Xx", "metal"),
    ("enterprises?stage=mystery", "stage"),
    ("enterprises?status=sleeping", "status"),
    ("enterprises?unit_status=sleeping", "unit_status"),
    ("enterprises?base=atlantis", "base"),
    ("enterprises?metals=Mg", "metals"),
    ("enterprises?q=%00", "q"),
    ("plants?enterprise=-1", "enterprise"),
    ("plants?enterprise=99999999999999999999", "enterprise"),
    ("units?status=sleeping", "status"),
    ("units?capacity_unit=kg", "capacity_unit"),
    ("units?plant=abc", "plant"),
    ("units/abc", "unit_id"),
    ("units/0", "unit_id"),
    ("units/99999999999999999999999", "unit_id"),
]


@pytest.mark.parametrize(("path", "field"), BAD_QUERIES)
def test_it_answers_400_to_bad_queries(personas, path, field):
    response = api_client(personas, "department").get(f"{API}/{path}")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]


def test_it_answers_an_empty_page_far_past_the_end(personas):
    response = api_client(personas, "department").get(f"{API}/units?page=1000000&page_size=500")
    assert response.status_code == 200
    assert response.json()["results"] == []


def test_it_answers_404_in_json_for_missing_rows_and_endpoints(personas):
    client = api_client(personas, "department")
    for url in (f"{API}/enterprises/987654", f"{API}/no-such-thing", "/api/v1/nope"):
        response = client.get(url)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=3),
    max_leaves=8,
)
FIELDS = st.sampled_from(["name", "credit_code", "division", "base", "ownership", "employees", "website", "status"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(FIELDS, JSON_VALUES, max_size=6) | JSON_VALUES)
def test_it_never_answers_500_to_arbitrary_json(personas, body):
    client = Client()
    client.force_login(personas.department)
    response = client.post(f"{API}/enterprises", json.dumps(body), content_type="application/json")
    assert response.status_code in (201, 400), response.content
    response = client.patch(
        f"{API}/enterprises/{personas.enterprise_a.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code in (200, 400), response.content


QUERY_NAMES = st.sampled_from(["city", "division", "base", "metal", "stage", "status", "unit_status", "q", "page"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(QUERY_NAMES | st.text(max_size=8), st.text(max_size=40), max_size=4))
def test_it_never_answers_500_to_arbitrary_filters(personas, params):
    client = Client()
    client.force_login(personas.city)
    response = client.get(f"{API}/enterprises", params)
    assert response.status_code in (200, 400), response.content
    assert set(response.json()) in ({"count", "page", "page_size", "results"}, {"detail", "errors"})
