"""The support API under /api/v1/support/: each persona's view (a city its own enterprises' projects and
the holdings in it, an enterprise its own; another's row is a 404), filters and refused unknown filters,
every step through the services, refusals with their figures, and the OpenAPI schema."""

import json

import pytest
from django.test import Client

from tests.support.conftest import bring, draft
from youse.core import services as core_services
from youse.support import services

API = "/api/v1/support"


def api_client(personas, name: str) -> Client:
    user = personas.users[name]
    if user is None:
        return Client(headers={"Accept-Language": "en"})
    _, raw = core_services.issue_token(None, user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def apps(personas, call):
    return {"a": bring(personas, draft(personas, call), "submitted"), "b": draft(personas, call, "b")}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [("department", {"a", "b"}), ("environment", {"a", "b"}), ("city", {"a"}), ("ent_a", {"a"}), ("ent_b", {"b"})],
)
def test_it_lists_applications_in_scope(personas, apps, persona, seen):
    client = api_client(personas, persona)
    body = client.get(f"{API}/applications").json()
    assert {r["code"] for r in body["results"]} == {apps[k].code for k in seen}
    for key, app in apps.items():
        expected = 200 if key in seen else 404
        assert client.get(f"{API}/applications/{app.pk}").status_code == expected


def test_it_filters_and_refuses_unknown_filters(personas, apps):
    client = api_client(personas, "department")
    assert client.get(f"{API}/applications?city=610300").json()["count"] == 1
    assert client.get(f"{API}/applications?state=submitted").json()["count"] == 1
    assert client.get(f"{API}/applications?category=brand").json()["count"] == 0
    response = client.get(f"{API}/applications?category=gold")
    assert response.status_code == 400 and "category" in response.json()["errors"]
    assert client.get(f"{API}/applications?colour=red").status_code == 400
    totals = client.get(f"{API}/applications/totals").json()
    assert [r["key"] for r in totals["by_category"]] == ["green"] and totals["by_category"][0]["count"] == 2


def test_it_needs_credentials(personas):
    assert api_client(personas, "anonymous").get(f"{API}/applications").status_code == 401


def test_it_runs_the_workflow_through_the_api(personas, call):
    ent = api_client(personas, "ent_a")
    body = {"call": call.pk, "category": "green", "project_name": "余热发电", "total_investment": "2000",
            "requested": "600", "outcomes": [{"indicator": "节能量", "unit": "tce", "expected": "900"}]}  # fmt: skip
    created = post(ent, f"{API}/applications", body)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["enterprise"]["id"] == personas.enterprise_a.pk
    assert post(ent, f"{API}/applications/{pk}/submit").json()["state"] == "submitted"
    assert post(ent, f"{API}/applications/{pk}/recommend", {"opinion": "自荐"}).status_code == 403
    city = api_client(personas, "city")
    assert post(city, f"{API}/applications/{pk}/recommend", {"opinion": "同意"}).json()["state"] == "recommended"
    dep = api_client(personas, "department")
    refused = post(dep, f"{API}/applications/{pk}/approve", {"amount": "1200"})
    assert refused.status_code == 400 and "amount" in refused.json()["errors"]
    assert post(dep, f"{API}/applications/{pk}/approve", {"amount": "500"}).json()["approved"] == "500.00"
    paid = post(dep, f"{API}/applications/{pk}/disbursements", {"amount": "300", "document": "陕财拨1号"})
    assert paid.json()["disbursed"] == "300.00"
    over = post(dep, f"{API}/applications/{pk}/disbursements", {"amount": "300"})
    assert over.status_code == 400 and "200" in over.json()["errors"]["amount"][0]
    outcome = paid.json()["outcomes"][0]["id"]
    accepted = post(
        dep,
        f"{API}/applications/{pk}/acceptance",
        {
            "passed": False,
            "report": "未达标",
            "achieved": [{"outcome": outcome, "achieved": "300"}],
            "repayment": "100",
        },
    )
    assert accepted.json()["state"] == "failed" and accepted.json()["outcomes"][0]["share"] == "33.3"
    repaid = post(dep, f"{API}/applications/{pk}/repayment", {"amount": "100"}).json()
    assert repaid["repaid"] == "100.00"
    assert [s["event"] for s in repaid["timeline"]] == [
        "drafted", "submitted", "recommended", "approved", "disbursed", "failed", "repaid"]  # fmt: skip


def test_a_city_applies_for_its_enterprise_but_not_another_citys(personas, call):
    city = api_client(personas, "city")
    body = {"call": call.pk, "category": "green", "project_name": "p", "total_investment": "10", "requested": "5",
            "outcomes": [{"indicator": "x", "unit": "t", "expected": "1"}]}  # fmt: skip
    assert post(city, f"{API}/applications", {**body, "enterprise": personas.enterprise_a.pk}).status_code == 201
    assert post(city, f"{API}/applications", {**body, "enterprise": personas.enterprise_b.pk}).status_code == 404
    assert post(api_client(personas, "environment"), f"{API}/applications", body).status_code == 403


def test_it_returns_and_lets_the_enterprise_edit(personas, apps):
    city = api_client(personas, "city")
    pk = apps["a"].pk
    assert post(city, f"{API}/applications/{pk}/return", {"reason": "缺材料"}).json()["state"] == "returned"
    ent = api_client(personas, "ent_a")
    body = {"category": "intelligent", "project_name": "改", "total_investment": "900", "requested": "100",
            "outcomes": [{"indicator": "x", "unit": "t", "expected": "1"}]}  # fmt: skip
    response = ent.put(f"{API}/applications/{pk}", json.dumps(body), content_type="application/json")
    assert response.json()["category"] == "intelligent"
    other = api_client(personas, "ent_b").put(
        f"{API}/applications/{pk}", json.dumps(body), content_type="application/json"
    )
    assert other.status_code == 404


def test_calls_are_province_wide_and_drafts_the_departments(personas, call):
    draft_call = services.create_call(
        personas.department,
        {"year": 2030, "title": "草稿", "document": "d", "opens_on": "2030-01-01", "closes_on": "2030-02-01"},
        {"brand": "5"},
    )
    for persona, n in (("department", 2), ("city", 1), ("ent_b", 1)):
        assert api_client(personas, persona).get(f"{API}/calls").json()["count"] == n
    assert api_client(personas, "ent_b").get(f"{API}/calls/{draft_call.pk}").status_code == 404
    detail = api_client(personas, "ent_b").get(f"{API}/calls/{call.pk}").json()
    assert {b["category"] for b in detail["budgets"]} == {"green", "intelligent", "brand"}
    assert post(api_client(personas, "city"), f"{API}/calls/{call.pk}/close").status_code == 403
    assert post(api_client(personas, "department"), f"{API}/calls/{call.pk}/close").json()["state"] == "closed"
    created = post(api_client(personas, "department"), f"{API}/calls", {
        "year": 2031, "title": "t", "document": "d", "opens_on": "2031-03-01", "closes_on": "2031-02-01",
        "budgets": [{"category": "green", "budget": "10"}]})  # fmt: skip
    assert created.status_code == 400 and "closes_on" in created.json()["errors"]


def test_reserves_through_the_api(personas):
    dep, ent = api_client(personas, "department"), api_client(personas, "ent_a")
    plan = post(dep, f"{API}/plans", {"metal": "Mg", "kind": "commercial", "product": "电解镁", "target_t": "1000",
                                      "starts_on": "2020-01-01", "ends_on": "2099-12-31"})  # fmt: skip
    assert plan.status_code == 201
    other = {"metal": "Mg", "kind": "government", "product": "x", "target_t": "1", "starts_on": "2020-01-01",
             "ends_on": "2020-12-31"}  # fmt: skip
    assert post(ent, f"{API}/plans", other).status_code == 403
    created = post(ent, f"{API}/holdings", {"kind": "commercial", "metal": "Mg", "product": "电解镁",
                                            "warehouse": "成品库", "division": "610822"})  # fmt: skip
    assert created.status_code == 201 and created.json()["enterprise"]["id"] == personas.enterprise_a.pk
    pk = created.json()["id"]
    moved = post(ent, f"{API}/holdings/{pk}/movements", {"kind": "in", "quantity_t": "800", "document": "RK-1"})
    assert moved.json()["quantity_t"] == "800.000"
    refused = post(ent, f"{API}/holdings/{pk}/movements", {"kind": "out", "quantity_t": "900", "document": "CK-1"})
    assert refused.status_code == 400 and "800" in refused.json()["errors"]["quantity_t"][0]
    assert post(api_client(personas, "ent_b"), f"{API}/holdings/{pk}/movements",
                {"kind": "out", "quantity_t": "1", "document": "x"}).status_code == 404  # fmt: skip
    assert api_client(personas, "city").get(f"{API}/holdings?city=610800").json()["count"] == 1
    assert api_client(personas, "ent_b").get(f"{API}/holdings").json()["count"] == 0
    summary = api_client(personas, "department").get(f"{API}/reserves").json()
    assert summary == [{"metal": "Mg", "metal_name": summary[0]["metal_name"], "kind": "commercial",
                        "kind_label": summary[0]["kind_label"], "target_t": "1000.000", "held_t": "800.000",
                        "fill_rate": "80.0", "holdings": 1}]  # fmt: skip
    assert api_client(personas, "department").get(f"{API}/holdings?metal=Xx").status_code == 400


def test_the_openapi_schema_lists_the_support_endpoints(personas):
    schema = api_client(personas, "department").get("/api/v1/openapi.json").json()
    paths = {p for p in schema["paths"] if p.startswith(API)}
    assert {f"{API}/applications/{{app_id}}/approve", f"{API}/holdings/{{holding_id}}/movements", f"{API}/reserves",
            f"{API}/calls", f"{API}/applications/totals"} <= paths  # fmt: skip
