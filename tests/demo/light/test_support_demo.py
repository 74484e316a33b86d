"""The demo's support funds and reserves (youse.demo.support), built once at scale 1 without the monthly
reports (they do not bear on it) and rolled back after the module."""

import io
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.test import Client
from openpyxl import load_workbook

from youse.core import services as core_services
from youse.core.models import User
from youse.support.models import Application, FundCall, Holding, Movement, ReservePlan
from youse.support.rules import AppState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def client(username: str) -> Client:
    """Signed in for the pages and with a token for the API."""
    user = User.objects.get(username=username)
    _, raw = core_services.issue_token(None, user, name="tests")
    c = Client(headers={"Accept-Language": "en", "Authorization": f"Bearer {raw}"})
    c.force_login(user)
    return c


def test_it_has_two_calls_with_projects_in_every_state_and_category():
    assert sorted(FundCall.objects.values_list("year", flat=True)) == [2019, 2020]
    assert set(FundCall.objects.values_list("state", flat=True)) == {"closed"}
    assert set(Application.objects.values_list("state", flat=True)) == {s.value for s in AppState}
    assert set(Application.objects.values_list("category", flat=True)) == {
        "green", "intelligent", "high_end", "brand", "platform"}  # fmt: skip


def test_its_figures_hold_together():
    for call in FundCall.objects.all():
        for budget in call.budgets.all():
            approved = Application.objects.filter(call=call, category=budget.category).aggregate(s=Sum("approved"))
            assert (approved["s"] or 0) <= budget.budget
    for app in Application.objects.filter(approved__isnull=False):
        paid = app.disbursements.aggregate(s=Sum("amount"))["s"] or 0
        assert app.approved <= app.requested and paid <= app.approved
    failed = Application.objects.get(state="failed")
    assert failed.repayment_required and failed.repaid == failed.repayment_required
    accepted = Application.objects.filter(state="accepted")
    assert accepted.count() >= 4 and all(o.achieved is not None for a in accepted for o in a.outcomes.all())


def test_its_reserves_follow_their_ledgers():
    assert ReservePlan.objects.count() >= 10
    kinds = set(Holding.objects.values_list("kind", flat=True))
    assert kinds == {"government", "commercial"}
    for h in Holding.objects.all():
        moves = list(h.movements.order_by("moved_on", "pk"))
        assert len(moves) == 12 and moves[-1].balance_t == h.quantity_t >= 0
        assert (moves[-1].moved_on - moves[0].moved_on).days > 300
    assert Movement.objects.filter(kind="rotation").exists() and Movement.objects.filter(kind="out").exists()


def test_the_personas_see_their_own(settings):
    settings.DEBUG = True  # demo personas sign in to the API only on a demo (DEBUG) installation
    ent_a = User.objects.get(username="ent-a")
    ent_rows = client("ent-a").get("/api/v1/support/applications").json()["results"]
    assert ent_rows and {r["enterprise"]["id"] for r in ent_rows} == {ent_a.enterprise_id}
    city_rows = client("yulin").get("/api/v1/support/applications?state=submitted").json()["results"]
    assert city_rows and {r["city"]["code"] for r in city_rows} == {"610800"}
    holdings = client("ent-a").get("/api/v1/support/holdings").json()["results"]
    assert holdings and all(h["enterprise"]["id"] == ent_a.enterprise_id for h in holdings)
    for path in ("/support/", "/support/calls/", "/support/reserves/", "/support/reserves/holdings/"):
        assert client("gxt").get(path).status_code == 200


def test_the_export_carries_every_project(settings):
    settings.DEBUG = True
    response = client("gxt").get("/support/applications/export/")
    rows = [r for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)]
    codes = [r[0] for r in rows if r and str(r[0]).startswith("ZX-")]
    assert len(codes) == Application.objects.count()
    approved = sum((Decimal(str(r[10])) for r in rows if r and str(r[0]).startswith("ZX-") and r[10]), Decimal(0))
    assert approved == Application.objects.aggregate(s=Sum("approved"))["s"]
