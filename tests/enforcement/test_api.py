"""The enforcement API under /api/v1/enforcement/: what each persona sees (a city its own cases, an
enterprise its own; another's row is a 404), filters and refused unknown filters, the enterprise answering
its order, who may not, the closure's resettlement gate, and 401 without credentials."""

import datetime as dt
import json

import pytest
from django.test import Client

from youse.core import services as core_services
from youse.enforcement import services
from youse.enforcement.models import Case

API = "/api/v1/enforcement"
PERSONAS = ["department", "environment", "city", "ent_a", "ent_b"]


def api_client(personas, name: str) -> Client:
    user = personas.users[name]
    if user is None:
        return Client(headers={"Accept-Language": "en"})
    _, raw = core_services.issue_token(None, user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def post(client: Client, url: str, data: dict | None = None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def world(enf, personas):
    """A campaign over both enterprises; A's case failed its inspection and has an order running."""
    campaign = enf.campaign()
    case_a = enf.case_a(campaign)
    case_b = Case.objects.get(campaign=campaign, enterprise=personas.enterprise_b)
    inspection = enf.inspect(case_a, passed=False)
    # Due well after today, whatever today is: "overdue" is counted against the clock.
    order = enf.order(inspection, deadline=dt.date.today() + dt.timedelta(days=60))
    return {"campaign": campaign, "a": case_a, "b": case_b, "order": order}


def test_without_credentials_every_endpoint_answers_401(world):
    client = Client()
    for path in ("/campaigns", "/cases", f"/cases/{world['a'].pk}", "/orders", "/closures", "/announcements"):
        response = client.get(API + path)
        assert response.status_code == 401, path
        assert "detail" in response.json()
    assert post(client, f"{API}/orders/{world['order'].pk}/start").status_code == 401


@pytest.mark.parametrize(
    ("name", "sees_a", "sees_b"),
    [
        ("department", True, True),
        ("environment", True, True),
        ("city", True, False),
        ("ent_a", True, False),
        ("ent_b", False, True),
    ],
)
def test_each_persona_sees_the_cases_of_its_scope(world, personas, name, sees_a, sees_b):
    client = api_client(personas, name)
    listed = {row["id"] for row in client.get(f"{API}/cases").json()["results"]}
    assert (world["a"].pk in listed, world["b"].pk in listed) == (sees_a, sees_b)
    assert client.get(f"{API}/cases/{world['a'].pk}").status_code == (200 if sees_a else 404)
    assert client.get(f"{API}/cases/{world['b'].pk}").status_code == (200 if sees_b else 404)
    orders = {row["id"] for row in client.get(f"{API}/orders").json()["results"]}
    assert (world["order"].pk in orders) == sees_a
    assert client.get(f"{API}/orders/{world['order'].pk}").status_code == (200 if sees_a else 404)


def test_the_case_detail_carries_inspections_findings_and_orders(world, personas):
    body = api_client(personas, "ent_a").get(f"{API}/cases/{world['a'].pk}").json()
    assert body["status"] == "rectifying" and body["city"]["code"] == "610800"
    (inspection,) = body["inspections"]
    assert inspection["verdict"] == "fail"
    assert len(inspection["findings"]) == 2 and {r["item"] for r in inspection["results"]} == {
        "SAF-GEN-1",
        "TEC-MG-1",
    }
    (order,) = body["orders"]
    assert order["requirements"] == [{"text": "补办安全生产许可证", "basis": "《安全生产法》第二十条", "finding": None}]
    assert body["closure"] is None


def test_campaign_counts_by_city_follow_the_callers_scope(world, personas):
    url = f"{API}/campaigns/{world['campaign'].pk}"
    by_city = {r["city"]["code"]: r for r in api_client(personas, "department").get(url).json()["by_city"]}
    assert set(by_city) == {"610800", "610300"}
    yulin = by_city["610800"]
    assert (yulin["listed"], yulin["inspected"], yulin["rectifying"], yulin["overdue"]) == (1, 1, 1, 0)
    assert by_city["610300"]["listed"] == 1 and by_city["610300"]["inspected"] == 0
    city_view = api_client(personas, "city").get(url).json()["by_city"]
    assert [r["city"]["code"] for r in city_view] == ["610800"]
    assert api_client(personas, "ent_b").get(url).json()["by_city"][0]["city"]["code"] == "610300"
    listed = api_client(personas, "city").get(f"{API}/campaigns").json()
    assert listed["count"] == 1 and listed["results"][0]["name"] == world["campaign"].name


def test_case_filters_and_unknown_filters(world, personas):
    client = api_client(personas, "department")

    def ids(query: str) -> set[int]:
        response = client.get(f"{API}/cases?{query}")
        assert response.status_code == 200, response.content
        return {row["id"] for row in response.json()["results"]}

    a, b = world["a"].pk, world["b"].pk
    assert ids("city=610800") == {a}
    assert ids("status=planned") == {b}
    assert ids(f"campaign={world['campaign'].pk}&source=campaign") == {a, b}
    assert ids("source=complaint") == set()
    response = client.get(f"{API}/cases?colour=red")
    assert response.status_code == 400 and "colour" in response.json()["errors"]
    response = client.get(f"{API}/cases?status=lost")
    assert response.status_code == 400 and "status" in response.json()["errors"]
    assert client.get(f"{API}/cases?city=999999").status_code == 400
    assert client.get(f"{API}/orders?state=issued&city=610800").json()["count"] == 1
    assert client.get(f"{API}/orders?overdue=true").json()["count"] == 0
    assert client.get(f"{API}/orders?overdue=false").json()["count"] == 1
    assert client.get(f"{API}/orders?late=1").status_code == 400


def test_an_order_past_its_deadline_is_overdue(enf, personas):
    order = enf.order(enf.inspect(enf.case_a(), passed=False), deadline=dt.date(2026, 4, 20))
    client = api_client(personas, "city")
    assert [row["id"] for row in client.get(f"{API}/orders?overdue=true").json()["results"]] == [order.pk]


def test_the_enterprise_starts_and_reports_its_order_done(world, personas):
    client = api_client(personas, "ent_a")
    url = f"{API}/orders/{world['order'].pk}"
    response = post(client, f"{url}/start", {"note": "已安排整改"})
    assert response.status_code == 200 and response.json()["state"] == "in_progress"
    response = post(client, f"{url}/report-done", {"report": "", "reported_on": "2026-05-01"})
    assert response.status_code == 400 and "report" in response.json()["errors"]
    response = post(client, f"{url}/report-done", {"report": "已补办许可证", "reported_on": "2026-05-01"})
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["reported_on"]) == ("submitted", "2026-05-01")
    # Reported once: the order waits for its re-inspection.
    assert post(client, f"{url}/report-done", {"report": "再报", "reported_on": "2026-05-02"}).status_code == 400
    assert post(client, f"{url}/start", {"surprise": 1}).status_code == 400


def test_who_may_answer_an_order_is_what_the_roles_say(world, personas):
    url = f"{API}/orders/{world['order'].pk}/start"
    # Another enterprise cannot learn the order exists; the environment department may only read.
    assert post(api_client(personas, "ent_b"), url).status_code == 404
    assert post(api_client(personas, "environment"), url).status_code == 403
    # enforcement.respond includes the department and the city (for an enterprise that cannot).
    response = post(api_client(personas, "department"), url)
    assert response.status_code == 200 and response.json()["state"] == "in_progress"


def test_the_closure_carries_its_resettlement_gate(world, enf, personas):
    order = world["order"]
    services.report_done(personas.ent_a, order, report="已补办", reported_on=dt.date(2026, 5, 1))
    enf_case = world["a"]
    enf.inspect(enf_case, passed=False, on=dt.date(2026, 5, 10), order=order)
    closure = Case.objects.get(pk=enf_case.pk).closure
    for name, status in (("department", 200), ("city", 200), ("ent_a", 200), ("ent_b", 404)):
        assert api_client(personas, name).get(f"{API}/closures/{closure.pk}").status_code == status, name
    body = api_client(personas, "city").get(f"{API}/closures/{closure.pk}").json()
    assert body["state"] == "proposed" and body["gate_passed"] is False
    assert [c["code"] for c in body["resettlement_gate"]] == ["funding", "complete", "approved"]
    assert all(not c["passed"] and c["why"] for c in body["resettlement_gate"])
    case = api_client(personas, "ent_a").get(f"{API}/cases/{enf_case.pk}").json()
    assert case["closure"]["id"] == closure.pk and case["status"] == "escalated"
    assert api_client(personas, "ent_b").get(f"{API}/closures").json()["count"] == 0
    assert api_client(personas, "department").get(f"{API}/closures?state=proposed").json()["count"] == 1
    assert api_client(personas, "department").get(f"{API}/closures?state=gone").status_code == 400


def test_announcements_list_drafts_in_scope_and_published_versions(world, personas):
    ann = services.draft_announcement(personas.department, "rectification_list", campaign=world["campaign"])
    assert api_client(personas, "city").get(f"{API}/announcements").json()["count"] == 0
    body = api_client(personas, "department").get(f"{API}/announcements?published=false").json()
    assert [a["id"] for a in body["results"]] == [ann.pk] and body["results"][0]["versions"] == []
    services.publish_announcement(personas.department, ann)
    for name in PERSONAS:
        results = api_client(personas, name).get(f"{API}/announcements").json()["results"]
        assert [len(a["versions"]) for a in results] == [1], name
    assert api_client(personas, "city").get(f"{API}/announcements?kind=memo").status_code == 400
