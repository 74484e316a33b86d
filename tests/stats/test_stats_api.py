"""The monthly-report API under /api/v1/stats/: the life cycle for an enterprise's own system, scoping,
and 400/403/404 answers with JSON bodies that name the field."""

import json

from django.test import Client

from youse.core import services as core_services
from youse.stats.models import MonthlyReport

API = "/api/v1/stats"


def api_client(personas, name: str) -> Client:
    user = personas.users[name]
    if user is None:
        return Client()
    _, raw = core_services.issue_token(None, user, name="tests")
    return Client(headers={"Authorization": f"Bearer {raw}", "Accept-Language": "en"})


def send(client: Client, method: str, url: str, data=None):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def body(personas, **overrides) -> dict:
    data = {
        "credit_code": personas.enterprise_a.credit_code,
        "month": "2024-05",
        "figures": {"value_added": "1200", "revenue": "5200", "profit": "-30", "energy_tce": "5400",
                    "electricity_kwh": "3100000", "employees": 320},
        "lines": [{"unit": personas.unit_a.pk, "output_t": "3500", "output_value": "6300"}],
    }  # fmt: skip
    data.update(overrides)
    return data


def test_it_files_submits_and_accepts_a_report_through_the_api(personas):
    ent = api_client(personas, "ent_a")
    response = send(ent, "put", f"{API}/reports", body(personas))
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["status"] == "draft" and report["current"]["value_added"] == "1200.00"
    assert report["current"]["lines"][0]["output_t"] == "3500.000" and report["units"]["value_added"] == "万元"
    pk = report["id"]
    assert send(ent, "post", f"{API}/reports/{pk}/submit").json()["status"] == "submitted"
    assert send(api_client(personas, "city"), "post", f"{API}/reports/{pk}/accept").json()["status"] == "city_accepted"
    accepted = send(api_client(personas, "department"), "post", f"{API}/reports/{pk}/accept").json()
    assert accepted["status"] == "accepted" and accepted["accepted_revision"] == 1
    corrected = send(ent, "post", f"{API}/reports/{pk}/correction", {"reason": "口径调整"}).json()
    assert corrected["current"]["number"] == 2 and corrected["accepted_revision"] == 1
    listed = ent.get(f"{API}/reports", {"month": "2024-05"}).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == pk


def test_it_lists_only_the_reports_in_scope(personas):
    send(api_client(personas, "ent_a"), "put", f"{API}/reports", body(personas))
    for persona, count in {"department": 1, "environment": 1, "city": 1, "ent_a": 1, "ent_b": 0}.items():
        assert api_client(personas, persona).get(f"{API}/reports").json()["count"] == count, persona
    assert api_client(personas, "anonymous").get(f"{API}/reports").status_code == 401


def test_it_answers_400_with_the_field_of_each_problem(personas):
    ent = api_client(personas, "ent_a")
    line = {"unit": personas.unit_a.pk, "output_t": "-1", "output_value": "6300"}
    response = send(ent, "put", f"{API}/reports", body(personas, lines=[line]))
    assert response.status_code == 400 and "lines[0].output_t" in response.json()["errors"]
    response = send(ent, "put", f"{API}/reports", body(personas, month="2024-13"))
    assert response.status_code == 400 and "month" in response.json()["errors"]
    # Another enterprise's credit code reads as unknown.
    response = send(ent, "put", f"{API}/reports", body(personas, credit_code=personas.enterprise_b.credit_code))
    assert response.status_code == 400 and "credit_code" in response.json()["errors"]
    response = send(ent, "put", f"{API}/reports", body(personas, surprise=1))
    assert response.status_code == 400 and "surprise" in response.json()["errors"]
    assert ent.get(f"{API}/reports", {"status": "lost"}).status_code == 400
    assert not MonthlyReport.objects.exists()
    pk = send(ent, "put", f"{API}/reports", body(personas)).json()["id"]
    send(ent, "post", f"{API}/reports/{pk}/submit")
    response = send(api_client(personas, "department"), "post", f"{API}/reports/{pk}/return", {"reason": " "})
    assert response.status_code == 400 and "reason" in response.json()["errors"]


def test_it_answers_403_to_roles_without_the_capability_and_404_outside_the_scope(personas):
    pk = send(api_client(personas, "ent_a"), "put", f"{API}/reports", body(personas)).json()["id"]
    hbt = api_client(personas, "environment")
    assert send(hbt, "put", f"{API}/reports", body(personas)).status_code == 403
    assert hbt.get(f"{API}/reports/{pk}").status_code == 200
    assert send(hbt, "post", f"{API}/reports/{pk}/submit").status_code == 403
    send(api_client(personas, "ent_a"), "post", f"{API}/reports/{pk}/submit")
    assert send(api_client(personas, "ent_a"), "post", f"{API}/reports/{pk}/accept").status_code == 403
    ent_b = api_client(personas, "ent_b")
    response = ent_b.get(f"{API}/reports/{pk}")
    assert response.status_code == 404 and "detail" in response.json()
    assert send(ent_b, "post", f"{API}/reports/{pk}/return", {"reason": "x"}).status_code == 404
    assert api_client(personas, "department").get(f"{API}/reports/999999").status_code == 404
