"""The public notice end to end in a real browser: a visitor finds the scheme in notice, reads its tables,
objects and gets a receipt; the department upholds the objection; the public page then says the scheme
left the notice for revision."""

import re

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser import browser_page  # noqa: F401  (the fixture)
from tests.capacity.conftest import Aluminium
from tests.conftest import PASSWORD, Personas
from youse.capacity import services
from youse.capacity.models import Objection

SCREENSHOTS = "/tmp/capacity-public-{}.png"


def signed_in_scheme_url(scheme) -> str | None:
    """The department's own page of the scheme, when the signed-in capacity pages exist."""
    for kwargs in ({"pk": scheme.pk}, {"code": scheme.code}):
        try:
            return reverse("capacity:scheme", kwargs=kwargs)
        except NoReverseMatch:
            continue
    return None


# serialized_rollback: the flush after a transactional test would otherwise take the reference data
# (divisions, ratios, calendar) from the tests that run after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_notice_end_to_end(browser_page, live_server):  # noqa: F811
    page = browser_page
    personas = Personas()
    al = Aluminium(personas)
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    scheme = services.publish_scheme(personas.department, scheme)

    # A visitor without a language cookie reads Chinese and finds the scheme among the notices.
    page.goto(f"{live_server.url}/public/capacity/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    notices = page.locator("#pub-notice").locator("xpath=..")
    assert notices.get_by_role("link", name=scheme.title).count() == 1
    # Chinese figures carry no thousands separator; English ones do.
    totals = page.locator("#ys-ledger-table tfoot td").all_inner_texts()
    assert [int(t.replace(",", "")) for t in totals] == [200000, 100000, 150000, 0]
    page.screenshot(path=SCREENSHOTS.format("index"), full_page=True)
    notices.get_by_role("link", name=scheme.title).click()
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
    assert scheme.contact in page.content()

    # The honeypot is out of sight; the visitor fills what is visible and files the objection.
    trap = page.locator("#id_website").bounding_box()
    assert trap["x"] + trap["width"] < 0
    page.fill("#id_name", "赵六")
    page.fill("#id_organisation", "府谷县新民镇居民")
    page.fill("#id_contact", "13600000000")
    page.fill("#id_text", "老系列电解槽仍在生产，未见拆除。")
    page.screenshot(path=SCREENSHOTS.format("form"), full_page=True)
    page.locator("#ys-objection-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/objection-received/(#objection)?$"))
    objection = Objection.objects.get()
    assert page.locator("#ys-receipt").inner_text().endswith(f"-{objection.pk:05d}")
    page.screenshot(path=SCREENSHOTS.format("receipt"), full_page=True)
    assert (objection.scheme_id, objection.name, objection.contact) == (scheme.pk, "赵六", "13600000000")
    assert objection.remote_addr == "127.0.0.1" and objection.status == "pending"

    # The department signs in through the real form; where its scheme page exists, the objection is on it.
    department_page = signed_in_scheme_url(scheme)
    if department_page:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", personas.department.username)
        page.fill("#id_password", PASSWORD)
        page.locator("form button").last.click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}{department_page}")
        assert "赵六" in page.content()
    services.decide_objection(
        personas.department, objection, upheld=True, finding="经现场核查，老系列尚未拆除，退回申请单位修改"
    )

    # The public page now says the scheme left the notice; no objection form, no objector's name.
    page.goto(f"{live_server.url}/public/capacity/schemes/{scheme.code}/")
    assert page.locator("#ys-withdrawn-notice").is_visible()
    assert page.locator("#ys-objection-form").count() == 0
    assert "赵六" not in page.content() and "13600000000" not in page.content()
    page.screenshot(path=SCREENSHOTS.format("withdrawn"), full_page=True)
    page.goto(f"{live_server.url}/public/capacity/")
    assert page.locator("#pub-notice").locator("xpath=..").get_by_role("link", name=scheme.title).count() == 0
