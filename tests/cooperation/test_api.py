"""The cooperation API under /api/v1/cooperation/: what each persona sees, filters and totals, the
actions through the services with capability and scope, and the OpenAPI schema."""

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from youse.core import services as core_services
from youse.core.models import AuditEvent

API = "/api/v1/cooperation"
# A project filed without dates starts its history today; progress is not dated before it.
TODAY = timezone.localdate().isoformat()
pytestmark = pytest.mark.django_db


def api_client(personas, name: str) -> Client:
    user = personas.users[name]
    if user is None:
        return Client(headers={"Accept-Language": "en"})
    _, raw = core_services.issue_token(None, user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def post(client: Client, url: str, data: dict | None = None, method: str = "post"):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


NEW = {
    "name": "几内亚铝土矿项目",
    "country": "GN",
    "metal": "Al",
    "stage": "mining",
    "mode": "stake",
    "equity_share": "30",
    "total_investment_10k_usd": "50000",
    "chinese_investment_10k_usd": "15000",
    "partners": [{"side": "foreign", "name": "Société Minière de Boké", "role": "控股方"}],
}


def test_without_credentials_it_answers_401(projects):
    client = Client()
    for path in ("/projects", f"/projects/{projects.a.pk}", "/countries"):
        assert client.get(API + path).status_code == 401, path
    assert post(client, f"{API}/projects", NEW).status_code == 401


@pytest.mark.parametrize(
    ("name", "sees"),
    [
        ("department", {"a", "b", "draft"}),
        ("environment", {"a", "b", "draft"}),
        ("city", {"a", "draft"}),
        ("ent_a", {"a", "draft"}),
        ("ent_b", {"b"}),
    ],
)
def test_each_persona_sees_the_projects_of_its_scope(projects, personas, name, sees):
    client = api_client(personas, name)
    body = client.get(f"{API}/projects").json()
    ids = {r["id"] for r in body["results"]}
    assert ids == {getattr(projects, k).pk for k in sees}
    assert body["totals"]["projects"] == len(sees)
    for key in ("a", "b"):
        status = client.get(f"{API}/projects/{getattr(projects, key).pk}").status_code
        assert status == (200 if key in sees else 404)


def test_the_detail_carries_partners_history_and_the_currency(projects, personas):
    body = api_client(personas, "ent_a").get(f"{API}/projects/{projects.a.pk}").json()
    assert body["currency"] == "USD" and body["total_investment_10k_usd"] == "12000.00"
    assert body["country"]["code"] == "KZ" and body["mode"] == "holding"
    assert [p["side"] for p in body["partners"]] == ["foreign", "domestic"]
    assert body["status_history"][0]["status_to"] == "planned"
    assert body["register_no"].startswith("SXJW-")


def test_filters_totals_and_unknown_filters(projects, personas):
    client = api_client(personas, "department")
    assert [r["id"] for r in client.get(f"{API}/projects?country=VN").json()["results"]] == [projects.b.pk]
    body = client.get(f"{API}/projects?metal=Al&filing=filed").json()
    assert [r["id"] for r in body["results"]] == [projects.a.pk]
    assert Decimal(body["totals"]["total_investment_10k_usd"]) == Decimal(12000)
    assert client.get(f"{API}/projects?city=610300").json()["count"] == 1
    for bad in ("country=ZZ", "mode=merger", "status=closed", "risk=extreme", "colour=red"):
        response = client.get(f"{API}/projects?{bad}")
        assert response.status_code == 400, bad
        assert bad.split("=")[0] in response.json()["errors"]


def test_the_enterprise_creates_submits_and_the_department_files(personas):
    ent = api_client(personas, "ent_a")
    response = post(ent, f"{API}/projects", {**NEW, "enterprise": personas.enterprise_a.pk})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["filing"] == "draft" and response.json()["partners"][0]["role"] == "控股方"
    response = post(ent, f"{API}/projects/{pk}", {"equity_share": "55"}, method="patch")
    assert response.status_code == 400 and "equity_share" in response.json()["errors"]
    assert (
        post(ent, f"{API}/projects/{pk}", {"mode": "holding", "equity_share": "55"}, method="patch").status_code == 200
    )
    assert post(ent, f"{API}/projects/{pk}/submit").json()["filing"] == "submitted"
    assert post(ent, f"{API}/projects/{pk}/file").status_code == 403
    dep = api_client(personas, "department")
    body = post(dep, f"{API}/projects/{pk}/file", {"note": "材料齐全"}).json()
    assert body["filing"] == "filed"
    response = post(ent, f"{API}/projects/{pk}/status", {"status": "construction", "on": TODAY})
    assert response.status_code == 400 and "status" in response.json()["errors"]
    response = post(ent, f"{API}/projects/{pk}/status", {"status": "exited", "on": TODAY, "note": "撤出"})
    assert response.json()["status"] == "exited"
    review = {"year": 2024, "reviewed_on": TODAY, "reviewer": "对外合作处", "risk_level": "low", "findings": "已退出"}
    assert post(ent, f"{API}/projects/{pk}/reviews", review).status_code == 403
    assert post(dep, f"{API}/projects/{pk}/reviews", review).status_code == 201
    assert post(dep, f"{API}/projects/{pk}/flag", {"flagged": True, "reason": "退出后清算"}).json()["flagged"]
    assert AuditEvent.objects.filter(object_id=str(pk), actor=personas.ent_a).count() >= 4


def test_scope_and_capability_on_actions(projects, personas):
    assert post(api_client(personas, "ent_b"), f"{API}/projects/{projects.draft.pk}/submit").status_code == 404
    assert (
        post(api_client(personas, "city"), f"{API}/projects/{projects.b.pk}/flag", {"flagged": True}).status_code == 404
    )
    env = api_client(personas, "environment")
    assert post(env, f"{API}/projects/{projects.draft.pk}/submit").status_code == 403
    response = post(api_client(personas, "ent_b"), f"{API}/projects", {**NEW, "enterprise": personas.enterprise_a.pk})
    assert response.status_code == 404
    response = post(api_client(personas, "department"), f"{API}/projects/{projects.a.pk}/return", {"reason": "x"})
    assert response.status_code == 400 and "filing" in response.json()["errors"]
    response = post(api_client(personas, "ent_a"), f"{API}/projects", {**NEW, "enterprise": personas.enterprise_a.pk,
                                                                        "colour": "red"})  # fmt: skip
    assert response.status_code == 400 and "colour" in response.json()["errors"]


def test_countries_and_the_openapi_schema(personas):
    codes = [c["code"] for c in api_client(personas, "ent_b").get(f"{API}/countries").json()]
    assert {"KZ", "ID", "VN", "LA", "GN", "MY", "RU", "MN", "PK", "TJ", "SA", "AE"} <= set(codes)
    schema = api_client(personas, "department").get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith(API)]
    assert f"{API}/projects/{{project_id}}/status" in paths and f"{API}/projects" in paths
