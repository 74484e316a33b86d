"""API authentication: personal tokens (valid, wrong, revoked, expired, demo personas), the session with
CSRF, the JSON bodies of 401/403, the reference endpoints, and the OpenAPI schema served offline."""

import datetime as dt
import json

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone

from youse.core import services as core_services
from youse.core.models import ApiToken
from youse.core.roles import Role
from youse.core.tokens import revoke_token
from youse.registry.rules import make_credit_code

ENTERPRISES = "/api/v1/registry/enterprises"


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


def new_enterprise(serial: str = "0000020") -> str:
    return json.dumps(
        {
            "name": f"令牌测试企业{serial}",
            "credit_code": make_credit_code(f"91610822MA{serial}"),
            "division": "610822",
            "ownership": "private",
        }
    )


@pytest.fixture
def token(personas):
    row, raw = core_services.issue_token(None, personas.city, name="tests")
    return row, raw


def test_it_accepts_a_valid_token_and_notes_its_use(personas, token):
    row, raw = token
    response = bearer(raw).get(ENTERPRISES)
    assert response.status_code == 200
    assert response.json()["count"] == 1  # Yulin's scope: enterprise A only
    row.refresh_from_db()
    assert row.last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer ", "Bearer ys_not-a-real-token", "Bearer not-even-prefixed", "Bearer ys_\x01"],
)
def test_it_answers_401_in_json_without_valid_credentials(personas, header):
    client = Client(headers={"Authorization": header}) if header is not None else Client()
    response = client.get(ENTERPRISES)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail", "errors"}
    assert response["WWW-Authenticate"] == "Bearer"


def test_it_refuses_a_revoked_token(personas, token):
    row, raw = token
    assert bearer(raw).get(ENTERPRISES).status_code == 200
    revoke_token(None, row)
    assert bearer(raw).get(ENTERPRISES).status_code == 401


def test_it_refuses_an_expired_token(personas):
    row, raw = core_services.issue_token(None, personas.city, valid_days=30)
    assert bearer(raw).get(ENTERPRISES).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert bearer(raw).get(ENTERPRISES).status_code == 401


def test_it_refuses_the_token_of_a_deactivated_user(personas, token):
    _, raw = token
    personas.city.is_active = False
    personas.city.save(update_fields=["is_active"])
    assert bearer(raw).get(ENTERPRISES).status_code == 401


def test_it_refuses_demo_persona_tokens_unless_debug(personas, settings):
    demo = core_services.create_user(None, "demo-gxt", Role.DEPARTMENT, demo_persona=True)
    _, raw = core_services.issue_token(None, demo)
    settings.DEBUG = False
    assert bearer(raw).get(ENTERPRISES).status_code == 401
    settings.DEBUG = True
    assert bearer(raw).get(ENTERPRISES).status_code == 200


def test_it_does_not_fall_back_to_the_session_on_a_bad_token(personas):
    client = personas.client("department")
    assert client.get(ENTERPRISES).status_code == 200
    response = client.get(ENTERPRISES, headers={"Authorization": "Bearer ys_wrong"})
    assert response.status_code == 401


def test_it_answers_403_when_the_role_lacks_the_capability(personas):
    citizen = core_services.create_user(None, "citizen", Role.PUBLIC)
    _, raw = core_services.issue_token(None, citizen)
    for url in (ENTERPRISES, "/api/v1/reference/metals"):
        response = bearer(raw).get(url)
        assert response.status_code == 403
        assert set(response.json()) == {"detail", "errors"}


# --- Sessions and CSRF -------------------------------------------------------------------------------


def csrf_client(personas, name: str) -> Client:
    client = Client(enforce_csrf_checks=True, headers={"Accept-Language": "en"})
    client.force_login(personas.users[name])
    return client


def test_it_requires_the_csrf_token_for_session_writes(personas):
    client = csrf_client(personas, "department")
    response = client.post(ENTERPRISES, new_enterprise(), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    secret = _get_new_csrf_string()
    client.cookies["csrftoken"] = secret
    response = client.post(
        ENTERPRISES, new_enterprise(), content_type="application/json", headers={"X-CSRFToken": secret}
    )
    assert response.status_code == 201, response.content


def test_it_lets_session_reads_through_without_csrf(personas):
    assert csrf_client(personas, "department").get(ENTERPRISES).status_code == 200


def test_it_needs_no_csrf_with_a_token(personas):
    _, raw = core_services.issue_token(None, personas.department)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    response = client.post(ENTERPRISES, new_enterprise(), content_type="application/json")
    assert response.status_code == 201, response.content


def test_it_answers_401_not_403_to_an_anonymous_write(personas):
    client = Client(enforce_csrf_checks=True)
    response = client.post(ENTERPRISES, new_enterprise(), content_type="application/json")
    assert response.status_code == 401


# --- Reference data ----------------------------------------------------------------------------------

REFERENCE = ["divisions", "metals", "stages", "bases", "clauses", "targets", "units"]


@pytest.mark.parametrize("endpoint", REFERENCE)
@pytest.mark.parametrize("persona", ["department", "environment", "city", "ent_a", "ent_b", "anonymous"])
def test_it_serves_reference_data_to_every_signed_in_role(personas, endpoint, persona):
    response = personas.client(persona).get(f"/api/v1/reference/{endpoint}")
    if persona == "anonymous":
        assert response.status_code == 401
    else:
        assert response.status_code == 200
        assert len(response.json()) > 0


def test_it_describes_the_reference_rows(personas):
    client = personas.client("city")
    metals = {m["code"]: m for m in client.get("/api/v1/reference/metals").json()}
    assert set(metals) >= {"Ti", "Mo", "Al", "Mg", "V", "Pb", "Zn"}
    bases = client.get("/api/v1/reference/bases").json()
    assert len(bases) == 6
    assert all(b["metals"] and b["divisions"] and b["clause"] == "二(四)" for b in bases)
    clauses = client.get("/api/v1/reference/clauses").json()
    assert any(c["units"] for c in clauses)
    assert all(isinstance(u["lead"], bool) and u["code"] for c in clauses for u in c["units"])
    cities = client.get("/api/v1/reference/divisions?level=city").json()
    assert {d["code"] for d in cities} >= {"610800", "610300"}
    assert {d["level"] for d in cities} == {"city"}
    targets = client.get("/api/v1/reference/targets").json()
    assert targets and all(t["clause"] for t in targets)


def test_it_names_an_unknown_division_level(personas):
    response = personas.client("city").get("/api/v1/reference/divisions?level=galaxy")
    assert response.status_code == 400
    assert "level" in response.json()["errors"]


# --- The schema and the docs -------------------------------------------------------------------------


def test_it_serves_the_openapi_schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/v1/registry/enterprises",
        "/api/v1/registry/enterprises/{enterprise_id}",
        "/api/v1/registry/units/{unit_id}/status",
        "/api/v1/registry/units/{unit_id}/history",
        "/api/v1/reference/clauses",
    ):
        assert path in paths, path
    assert {"BearerToken", "SessionAuth"} <= set(schema["components"]["securitySchemes"])


def test_it_never_loads_the_docs_from_the_internet(client, db):
    response = client.get("/api/v1/docs")
    # Served from the installed package's static files, or not at all.
    assert response.status_code in (200, 404)
    if response.status_code == 200:
        page = response.content.decode()
        assert "cdn." not in page and "unpkg" not in page and "https://" not in page
