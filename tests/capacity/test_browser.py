"""The public notice end to end in a real browser. Enterprise A submits its draft and the department
publishes it through their signed-in pages; a visitor finds the scheme in notice, reads its tables, objects
and gets a receipt; the department reads the objection, upholds it and cuts tonnes through the decide form;
the scheme is back in draft, and the public page says it left the notice, without the objector's data."""

import re

import pytest
from django.urls import reverse

from tests.browser import browser_page, fresh_page, shot, sign_in  # noqa: F401  (the fixture)
from tests.capacity.conftest import Aluminium
from tests.conftest import Personas
from youse.capacity.models import CapacityIndicator, Objection, ReplacementScheme

CONTACT = "陕西省工业和信息化厅原材料处，029-86000000"
FINDING = "经现场核查，老系列尚未拆除，其中50000吨不符合置换条件，退回申请单位修改"


def post_and_reload(page, form, base: str, then: str) -> None:
    """Submit `form`; the view answers with a redirect back to the same page, so wait for that load."""
    with page.expect_navigation(url=f"{base}{then}"):
        form.locator("button[type=submit]").click()


def public_notice_links(page, scheme: ReplacementScheme):
    return page.locator("#pub-notice").locator("xpath=..").get_by_role("link", name=scheme.title)


def ledger_totals(page) -> list[int]:
    # Chinese figures carry no thousands separator; English ones do.
    return [int(t.replace(",", "")) for t in page.locator("#ys-ledger-table tfoot td").all_inner_texts()]


# serialized_rollback: the flush after a transactional test would otherwise take the reference data
# (divisions, ratios, calendar) from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_notice_end_to_end(browser_page, live_server):  # noqa: F811
    base = live_server.url
    personas = Personas()
    al = Aluminium(personas)
    scheme = al.draft()
    scheme_path = reverse("capacity:scheme-detail", args=[scheme.pk])

    # Enterprise A opens its draft, reads the rule report and submits it.
    enterprise = fresh_page(browser_page)
    sign_in(enterprise, base, personas.ent_a.username, scheme_path)
    assert enterprise.locator("#ys-check-report").get_attribute("data-report") == "passed"
    assert enterprise.locator("#ys-check-report [data-rule]").count() > 0
    assert enterprise.locator("#ys-check-report [data-passed=false]").count() == 0
    shot(enterprise, "1-draft")
    post_and_reload(enterprise, enterprise.locator("form[data-action=submit]"), base, scheme_path)
    assert enterprise.locator("form[data-action=submit]").count() == 0
    assert enterprise.locator("a[href$='/edit/']").count() == 0
    scheme.refresh_from_db()
    assert scheme.state == "submitted"

    # The department signs in and publishes it, giving the notice's contact in the publish form.
    department = fresh_page(browser_page)
    sign_in(department, base, personas.department.username, scheme_path)
    department.locator("[data-action-button=publish]").click()
    # Bootstrap's collapse: wait until the form has finished opening (no longer `.collapsing`).
    department.locator("#act-publish.collapse.show").wait_for()
    publish = department.locator("form[data-action=publish]")
    publish.locator("[name=contact]").fill(CONTACT)
    shot(department, "2-publish")
    post_and_reload(department, publish, base, scheme_path)
    assert department.locator("[data-action-button=publish]").count() == 0
    assert CONTACT in department.locator("#new-side").locator("xpath=..").inner_text()
    scheme.refresh_from_db()
    assert (scheme.state, scheme.contact, scheme.notice_round) == ("notice", CONTACT, 1)

    # A visitor without a language cookie reads Chinese and finds the scheme among the notices.
    page = browser_page
    page.goto(f"{base}/public/capacity/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert public_notice_links(page, scheme).count() == 1
    assert ledger_totals(page) == [200000, 100000, 150000, 0]
    shot(page, "3-index")
    public_notice_links(page, scheme).click()
    page.wait_for_url(re.compile(rf"/public/capacity/schemes/{scheme.code}/$"))

    # The scheme's tables: the new line and its exit line.
    assert "500kA×256" in page.locator("#ys-new-side").inner_text()
    exit_rows = page.locator("#ys-exit-lines tbody tr")
    assert exit_rows.count() == 1
    row = exit_rows.first.inner_text()
    assert (
        "府谷示范镁业有限公司" in row
        and "240kA×160" in row
        and "150000" in row.replace(",", "")
        and "2027-12-31" in row
    )
    assert page.locator("#ys-ratio").inner_text() == "1.00 : 1"
    assert CONTACT in page.content()

    # The honeypot is out of sight; the visitor fills what is visible and files the objection.
    trap = page.locator("#id_website").bounding_box()
    assert trap["x"] + trap["width"] < 0
    page.fill("#id_name", "赵六")
    page.fill("#id_organisation", "府谷县新民镇居民")
    page.fill("#id_contact", "13600000000")
    page.fill("#id_text", "老系列电解槽仍在生产，未见拆除。")
    shot(page, "4-form")
    page.locator("#ys-objection-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/objection-received/(#objection)?$"))
    objection = Objection.objects.get()
    assert page.locator("#ys-receipt").inner_text().endswith(f"-{objection.pk:05d}")
    shot(page, "5-receipt")
    assert (objection.scheme_id, objection.name, objection.contact) == (scheme.pk, "赵六", "13600000000")
    assert objection.remote_addr == "127.0.0.1" and objection.status == "pending"

    # The department reads the objection, with the objector's name and contact, on its scheme page.
    department.reload()
    filed = department.locator(f"[data-objection='{objection.pk}']")
    assert "赵六" in filed.inner_text() and "13600000000" in filed.inner_text()
    assert "老系列电解槽仍在生产" in filed.inner_text()

    # It upholds it, cutting 50000 t of the exit line as ineligible.
    line = scheme.exit_lines.get()
    decide = filed.locator("form[data-decide]")
    decide.locator("input[name=outcome][value=upheld]").check()
    decide.locator("[name=finding]").fill(FINDING)
    decide.locator("[name=cut_line]").select_option(str(line.pk))
    decide.locator("[name=cut_tonnes]").fill("50000")
    shot(filed, "6-decide")
    post_and_reload(department, decide, base, scheme_path)

    # Back in draft: the page says why, the objection is upheld with its finding, nothing is left to decide.
    filed = department.locator(f"[data-objection='{objection.pk}']")
    assert filed.locator("form[data-decide]").count() == 0
    assert FINDING in filed.inner_text()
    assert FINDING in department.locator(".alert-warning").inner_text()
    assert department.locator("[data-action-button=publish]").count() == 0
    # The live report sees the cut: the 150000 t claimed are no longer all eligible.
    assert department.locator("#ys-check-report").get_attribute("data-report") == "failed"
    assert "100,000" in department.locator("#ys-check-report [data-passed=false]").inner_text()
    shot(department, "7-decided")
    scheme.refresh_from_db()
    objection.refresh_from_db()
    assert (scheme.state, scheme.returned_reason) == ("draft", FINDING)
    assert (objection.status, objection.cut_tonnes) == ("upheld", 50000)
    old = CapacityIndicator.objects.get(code="CN-A-OLD")
    assert (old.available_t, old.reserved_t, old.ineligible_t) == (100000, 0, 50000)

    # The applicant finds its draft sent back and editable again.
    enterprise.reload()
    assert FINDING in enterprise.locator(".alert-warning").inner_text()
    assert enterprise.locator(f"a[href='{reverse('capacity:scheme-edit', args=[scheme.pk])}']").count() == 1

    # Anyone else now reads that the scheme left the notice; no objection form, no objector's data.
    public = fresh_page(browser_page)
    public.goto(f"{base}/public/capacity/schemes/{scheme.code}/")
    assert public.locator("#ys-withdrawn-notice").is_visible()
    assert public.locator("#ys-objection-form").count() == 0
    content = public.content()
    assert "赵六" not in content and "13600000000" not in content and "府谷县新民镇居民" not in content
    shot(public, "8-withdrawn")
    public.goto(f"{base}/public/capacity/")
    assert public_notice_links(public, scheme).count() == 0
    # The released tonnes are available again, less the 50000 t found ineligible.
    assert ledger_totals(public) == [200000, 200000, 0, 0]
