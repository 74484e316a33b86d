"""The survey campaign in a real browser: the department creates a campaign through the form (the count of
enterprises it would list follows the choices) and reads the per-city matrix; the Yulin city records a
failing inspection against the checklist and issues a rectification order; the dashboard then shows
Yulin rectifying, with the order's deadline."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser import browser_page, fresh_page, shot, sign_in  # noqa: F401  (the fixture)
from tests.conftest import Personas
from youse.enforcement.models import Campaign, Case, ChecklistItem, RectificationOrder

NAME = "2026年有色金属企业专项检查"


def cell(page, city: str, column: str) -> str:
    return page.locator(f"#ys-matrix tr[data-city='{city}'] [data-col='{column}']").inner_text().strip()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_campaign_from_the_browser_to_the_citys_rectification(browser_page, live_server):  # noqa: F811
    base = live_server.url
    personas = Personas()
    today = timezone.localdate()

    # The department fills in the campaign form; the preview counts the enterprises as metals change.
    department = fresh_page(browser_page)
    create = reverse("enforcement:campaign-create")
    sign_in(department, base, personas.department.username, create)
    assert department.locator("#ys-campaign-preview").get_attribute("data-count") == "2"
    department.check("input[name=metals][value=Mg]")
    department.locator("#ys-campaign-preview[data-count='1']").wait_for()
    department.uncheck("input[name=metals][value=Mg]")
    department.locator("#ys-campaign-preview[data-count='2']").wait_for()
    department.fill("#id_name", NAME)
    department.fill("#id_starts_on", (today - dt.timedelta(days=30)).isoformat())
    department.fill("#id_due_on", (today + dt.timedelta(days=60)).isoformat())
    shot(department, "1-campaign-form")
    with department.expect_navigation():
        department.locator("[data-submit]").click()
    campaign = Campaign.objects.get(name=NAME)
    assert department.url == f"{base}{reverse('enforcement:campaign-detail', args=[campaign.pk])}"
    # The per-city matrix: Yulin and Baoji each list one enterprise, neither inspected yet.
    assert cell(department, "610800", "listed") == "1" and cell(department, "610300", "listed") == "1"
    assert cell(department, "610800", "inspected") == "0"
    department.locator("#ys-enforcement-chart canvas").wait_for()
    shot(department, "2-campaign-matrix")

    # Yulin's city inspects enterprise A: the safety licence item is not met.
    case = Case.objects.get(campaign=campaign, enterprise=personas.enterprise_a)
    city = fresh_page(browser_page)
    case_path = reverse("enforcement:case-detail", args=[case.pk])
    sign_in(city, base, personas.city.username, case_path)
    city.locator("[data-action-button=inspect]").click()
    city.wait_for_url(f"{base}{reverse('enforcement:case-inspect', args=[case.pk])}")
    saf = ChecklistItem.objects.get(code="SAF-GEN-1")
    city.fill("#id_inspectors", "王五、赵六")
    city.check(f"input[name=item_{saf.pk}][value=no]")
    city.fill("#id_finding-0-text", "熔融金属作业区未设置安全警示")
    shot(city, "3-inspection-form")
    with city.expect_navigation(url=f"{base}{case_path}"):
        city.locator("#ys-inspection-form button[type=submit]").click()
    assert city.locator("[data-entry=inspection] [data-verdict=fail]").count() == 1

    # It issues the order from the failed inspection: the requirements are prefilled from the findings.
    city.locator("[data-action-button=order]").click()
    city.locator("#ys-order-form").wait_for()
    assert "安全生产许可证" in city.locator("#id_req-0-text").input_value()
    deadline = today + dt.timedelta(days=45)
    assert city.locator("#id_req-1-basis").input_value() == ""  # a free-text finding names no norm
    city.fill("#id_req-1-basis", "《冶金企业和有色金属企业安全生产规定》")
    city.fill("#id_deadline", deadline.isoformat())
    city.fill("#id_responsible_person", "李总经理")
    shot(city, "4-order-form")
    with city.expect_navigation(url=f"{base}{case_path}"):
        city.locator("#ys-order-form button[type=submit]").click()
    order = RectificationOrder.objects.get(case=case)
    assert order.deadline == deadline and order.requirements.count() == 2
    assert city.locator("[data-entry=order] [data-deadline]").inner_text() == deadline.isoformat()
    shot(city, "5-case")

    # The department's dashboard shows Yulin rectifying by that deadline.
    department.goto(f"{base}{reverse('enforcement:overview')}")
    assert cell(department, "610800", "rectifying") == "1"
    assert cell(department, "610800", "inspected") == "1"
    assert cell(department, "610800", "earliest") == deadline.isoformat()
    assert department.locator("[data-earliest]").inner_text() == deadline.isoformat()
    shot(department, "6-overview")
    # The number links to the filtered case list with Yulin's case alone.
    department.locator("#ys-matrix tr[data-city='610800'] [data-col='rectifying'] a").click()
    department.wait_for_url(lambda url: "status=rectifying" in url)
    assert department.locator("#ys-cases tbody tr[data-case]").count() == 1
    assert department.locator(f"#ys-cases tr[data-case='{case.code}']").count() == 1
