"""The support pages as each persona: lists in scope with their filters and totals, the application page
with the steps the reader may take, the forms, the holding's ledger, and the Excel exports read back."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.support.conftest import bring, draft
from tests.support.test_services_reserves import commercial, government, move
from youse.core.models import AuditEvent
from youse.support.models import Application, Holding


@pytest.fixture
def world(personas, call):
    a = bring(personas, draft(personas, call), "paid", amount="400")
    b = bring(personas, draft(personas, call, "b", category="intelligent", project_name="钛材智能车间"), "submitted")
    return {"a": a, "b": b}


@pytest.mark.parametrize(
    ("persona", "seen"),
    [("department", {"a", "b"}), ("environment", {"a", "b"}), ("city", {"a"}), ("ent_a", {"a"}), ("ent_b", {"b"})],
)
def test_the_list_shows_what_is_in_scope(personas, world, persona, seen):
    response = personas.client(persona).get(reverse("support:applications"))
    assert response.status_code == 200
    body = response.content.decode()
    for key, app in world.items():
        assert (f'data-application="{app.code}"' in body) is (key in seen)


def test_the_list_filters_and_totals(personas, world):
    client = personas.client("department")
    body = client.get(reverse("support:applications") + "?category=intelligent").content.decode()
    assert world["b"].code in body and world["a"].code not in body
    body = client.get(reverse("support:applications")).content.decode()
    assert 'data-total="approved">400' in body and 'data-category="green"' in body and 'data-city="610800"' in body
    assert "ys-support-data" in body


def test_the_city_recommends_from_the_page_and_the_step_is_audited(personas, call):
    app = bring(personas, draft(personas, call), "submitted")
    client = personas.client("city")
    page = client.get(reverse("support:application-detail", args=[app.pk])).content.decode()
    assert 'data-action="recommend"' in page and 'data-action="approve"' not in page
    response = client.post(reverse("support:application-action", args=[app.pk]), {"action": "recommend",
                                                                                 "opinion": "同意推荐"})  # fmt: skip
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "recommended" and app.city_opinion == "同意推荐"
    assert AuditEvent.objects.filter(object_id=str(app.pk), after__event="recommended", actor=personas.city).exists()


def test_a_refused_step_is_shown_and_changes_nothing(personas, call):
    app = bring(personas, draft(personas, call), "recommended")
    client = personas.client("department")
    response = client.post(reverse("support:application-action", args=[app.pk]), {"action": "approve", "amount": "501"},
                           follow=True)  # fmt: skip
    assert "more than the 500" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "recommended"
    # A step the role lacks is a 403, another city's project a 404.
    assert personas.client("ent_a").post(reverse("support:application-action", args=[app.pk]),
                                         {"action": "approve", "amount": "1"}).status_code == 403  # fmt: skip
    assert personas.client("ent_b").post(reverse("support:application-action", args=[app.pk]),
                                         {"action": "submit"}).status_code == 404  # fmt: skip


def test_the_department_accepts_from_the_page(personas, world):
    app = world["a"]
    client = personas.client("department")
    data = {"action": "accept", "passed": "0", "report": "未达标", "repayment": "100"}
    data |= {f"achieved_{o.pk}": "1" for o in app.outcomes.all()}
    client.post(reverse("support:application-action", args=[app.pk]), data)
    app.refresh_from_db()
    assert app.state == "failed" and app.repayment_required == Decimal(100)
    page = client.get(reverse("support:application-detail", args=[app.pk])).content.decode()
    assert 'data-action="repay"' in page and 'data-step="failed"' in page


def test_an_enterprise_applies_through_the_form(personas, call):
    client = personas.client("ent_a")
    assert 'name="enterprise"' not in client.get(reverse("support:application-create")).content.decode()
    data = {"call": call.pk, "category": "green", "project_name": "镁渣综合利用", "total_investment": "800",
            "requested": "200", "indicator_1": "镁渣利用量", "unit_1": "t/a", "expected_1": "50000"}  # fmt: skip
    response = client.post(reverse("support:application-create"), data)
    app = Application.objects.get(project_name="镁渣综合利用")
    assert response.status_code == 302 and app.enterprise == personas.enterprise_a and app.outcomes.count() == 1
    bad = client.post(reverse("support:application-create"), {**data, "requested": "900"})
    assert bad.status_code == 200 and "cannot exceed" in bad.content.decode()
    assert Application.objects.count() == 1


def test_the_department_drafts_and_opens_a_call(personas):
    client = personas.client("department")
    today = timezone.localdate()
    data = {"year": today.year, "title": "年度专项", "document": "陕工信发〔2026〕1号", "opens_on": today.isoformat(),
            "closes_on": today.isoformat(), "budget": "1000", "open_green": "on", "budget_green": "600",
            "open_brand": "on"}  # fmt: skip
    response = client.post(reverse("support:call-create"), data)
    assert response.status_code == 302
    pk = int(response["Location"].rstrip("/").split("/")[-1])
    client.post(reverse("support:call-action", args=[pk]), {"action": "open"})
    page = client.get(reverse("support:call-detail", args=[pk])).content.decode()
    assert 'data-state="open"' in page and 'data-category="brand"' in page
    assert (
        personas.client("city").post(reverse("support:call-action", args=[pk]), {"action": "close"}).status_code == 403
    )


def test_the_holding_page_shows_the_ledger_and_takes_movements(personas):
    h = commercial(personas)
    client = personas.client("ent_a")
    data = {"kind": "in", "moved_on": timezone.localdate().isoformat(), "quantity_t": "500", "document": "RK-1"}
    assert client.post(reverse("support:holding-move", args=[h.pk]), data).status_code == 302
    refused = client.post(reverse("support:holding-move", args=[h.pk]), {**data, "kind": "out", "quantity_t": "600"})
    assert refused.status_code == 400 and "600" in refused.content.decode()
    h.refresh_from_db()
    assert h.quantity_t == Decimal(500)
    page = personas.client("city").get(reverse("support:holding-detail", args=[h.pk])).content.decode()
    assert 'data-movement="in"' in page and 'data-action="move"' not in page
    assert personas.client("ent_b").get(reverse("support:holding-detail", args=[h.pk])).status_code == 404


def test_the_reserves_overview_and_the_plan_form(personas):
    h = government(personas)
    move(personas.department, h, "in", "2500")
    client = personas.client("department")
    data = {"metal": "Al", "kind": "government", "product": "铝锭", "target_t": "5000", "starts_on": "2020-01-01",
            "ends_on": "2099-12-31"}  # fmt: skip
    assert client.post(reverse("support:plan-create"), data).status_code == 302
    assert client.post(reverse("support:plan-create"), data).status_code == 400  # overlapping
    body = client.get(reverse("support:reserves")).content.decode()
    assert 'data-summary="Al-government"' in body and "50.0%" in body
    assert 'data-action="plan"' not in personas.client("ent_a").get(reverse("support:reserves")).content.decode()


def test_an_enterprise_registers_its_own_commercial_reserve(personas):
    client = personas.client("ent_b")
    page = client.get(reverse("support:holding-create")).content.decode()
    assert 'value="government"' not in page
    data = {"kind": "commercial", "metal": "Ti", "product": "钛锭", "warehouse": "熔铸库",
            "division": personas.division["610300"].pk}  # fmt: skip
    assert client.post(reverse("support:holding-create"), data).status_code == 302
    assert Holding.objects.get().enterprise == personas.enterprise_b


def test_the_excel_exports_read_back(personas, world):
    response = personas.client("city").get(reverse("support:applications-export"))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if r and r[0]]
    codes = [r[0] for r in rows if str(r[0]).startswith("ZX-")]
    assert codes == [world["a"].code]  # the city's only
    line = next(r for r in rows if r[0] == world["a"].code)
    assert line[9] == 500 and line[10] == 400 and line[11] == 200
    assert book.worksheets[1].max_row > 3
    h = commercial(personas)
    move(personas.ent_a, h, "in", "123.5")
    response = personas.client("department").get(reverse("support:holdings-export") + "?metal=Mg")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [r for r in sheet.iter_rows(values_only=True) if r and r[0] == "镁"]
    assert values and values[0][8] == 123.5 and values[0][3] == personas.enterprise_a.name
