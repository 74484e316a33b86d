"""The credit API under /api/v1/credit/: what each persona sees (drafts only the department; a city its
city's entries, an enterprise its own; another's row is a 404), filters and refused unknown filters, the
department's steps and who may not take them, and the OpenAPI schema."""

import json

import pytest
from django.test import Client

from youse.core import services as core_services
from youse.credit.models import Edition

API = "/api/v1/credit"
pytestmark = pytest.mark.django_db


def api_client(personas, name: str) -> Client:
    user = personas.users[name]
    if user is None:
        return Client(headers={"Accept-Language": "en"})
    _, raw = core_services.issue_token(None, user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_without_credentials_every_endpoint_answers_401(published):
    client = Client()
    for path in ("/criteria", "/editions", f"/editions/{published.pk}", "/entries"):
        assert client.get(API + path).status_code == 401, path
    assert post(client, f"{API}/editions/derive", {"year": 2020, "as_of": "2020-12-31"}).status_code == 401


def test_it_lists_the_criteria(cast):
    rows = api_client(cast.p, "ent_a").get(f"{API}/criteria").json()
    assert [r["code"] for r in rows][:2] == ["in-business", "backbone"]
    assert rows[1]["params"]["min_revenue_yi"] == 5


@pytest.mark.parametrize(
    ("name", "entries"),
    [("department", 9), ("environment", 9), ("city", 3), ("ent_a", 1), ("ent_b", 1)],
)
def test_it_scopes_the_entries(published, cast, name, entries):
    client = api_client(cast.p, name)
    body = client.get(f"{API}/entries", {"edition": published.pk, "page_size": 100}).json()
    assert body["count"] == entries
    own = {"ent_a": cast.p.enterprise_a.pk, "ent_b": cast.p.enterprise_b.pk}.get(name)
    if own:
        assert {r["enterprise"] for r in body["results"]} == {own}
    detail = client.get(f"{API}/editions/{published.pk}").json()
    assert detail["included"] + detail["excluded"] == entries


def test_it_gives_404_for_another_s_entry(published, cast):
    b = published.entries.get(enterprise=cast.p.enterprise_b)
    assert api_client(cast.p, "ent_a").get(f"{API}/entries/{b.pk}").status_code == 404
    assert api_client(cast.p, "city").get(f"{API}/entries/{b.pk}").status_code == 404
    body = api_client(cast.p, "ent_b").get(f"{API}/entries/{b.pk}").json()
    assert body["failed"] == ["backbone"] and body["included"] is False
    assert "1.20 亿元 < 5 亿元" in next(r["reason"] for r in body["results"] if r["code"] == "backbone")


def test_it_hides_drafts_except_from_the_department(edition, cast):
    assert api_client(cast.p, "department").get(f"{API}/editions").json()["count"] == 1
    for name in ("environment", "city", "ent_a"):
        client = api_client(cast.p, name)
        assert client.get(f"{API}/editions").json()["count"] == 0
        assert client.get(f"{API}/editions/{edition.pk}").status_code == 404
        assert client.get(f"{API}/entries").json()["count"] == 0


def test_it_filters_entries_and_refuses_unknown_filters(published, cast):
    client = api_client(cast.p, "department")
    failing = client.get(f"{API}/entries", {"failing": "no-exceedance"}).json()
    assert [r["name"] for r in failing["results"]] == [cast.smoky.name]
    assert client.get(f"{API}/entries", {"included": "yes"}).json()["count"] == 1
    assert client.get(f"{API}/entries", {"city": "610700"}).json()["count"] == 2
    assert client.get(f"{API}/entries", {"metal": "V"}).json()["count"] == 1
    bad = client.get(f"{API}/entries", {"fail": "x"})
    assert bad.status_code == 400 and "fail" in bad.json()["errors"]
    assert client.get(f"{API}/entries", {"included": "maybe"}).status_code == 400
    assert client.get(f"{API}/editions", {"status": "secret"}).status_code == 400


def test_the_department_derives_overrides_and_publishes(cast):
    client = api_client(cast.p, "department")
    bad = post(client, f"{API}/editions/derive", {"year": 2020, "as_of": "2016-01-01"})
    assert bad.status_code == 400 and "as_of" in bad.json()["errors"]
    ed = post(client, f"{API}/editions/derive", {"year": 2020, "as_of": "2020-12-31"}).json()
    assert ed["status"] == "draft" and ed["counts"]["failures"]["no-open-order"] == 1
    assert {r["code"] for r in ed["counts"]["by_city"]} >= {"610800", "610300"}
    entry = client.get(f"{API}/entries", {"edition": ed["id"], "failing": "backbone"}).json()["results"][0]
    refused = post(client, f"{API}/entries/{entry['id']}/override", {"included": True, "reason": ""})
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    done = post(client, f"{API}/entries/{entry['id']}/override", {"included": True, "reason": "会商意见"}).json()
    assert done["included"] is True and done["override_reason"] == "会商意见"
    pub = post(client, f"{API}/editions/{ed['id']}/publish", {"document": "陕工信函〔2021〕5号"}).json()
    assert pub["status"] == "published" and pub["document"] == "陕工信函〔2021〕5号"
    again = post(client, f"{API}/entries/{entry['id']}/override", {"included": None, "reason": "撤回"})
    assert again.status_code == 400


@pytest.mark.parametrize("name", ["environment", "city", "ent_a"])
def test_others_may_not_take_the_department_s_steps(edition, cast, name):
    client = api_client(cast.p, name)
    assert post(client, f"{API}/editions/derive", {"year": 2020, "as_of": "2020-12-31"}).status_code == 403
    assert post(client, f"{API}/editions/{edition.pk}/publish", {"document": "x"}).status_code == 403
    entry = edition.entries.get(enterprise=cast.p.enterprise_a)
    assert post(client, f"{API}/entries/{entry.pk}/override", {"included": False, "reason": "x"}).status_code == 403
    assert Edition.objects.get().status == "draft"


def test_it_documents_its_endpoints_in_the_openapi_schema(db):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/credit/")]
    assert {"/api/v1/credit/editions/derive", "/api/v1/credit/entries/{entry_id}/override"} <= set(paths)
    assert "EntryOut" in schema["components"]["schemas"]
