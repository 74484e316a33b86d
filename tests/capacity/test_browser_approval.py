"""The other way out of the public notice, in a real browser: a visitor objects to an aluminium scheme in
notice; the department finds the objection unfounded and dismisses it through the decide form; when the
notice has ended it approves the scheme through the approve form, citing its document. The exit tonnes are
consumed in the public ledger and the new line is registered. (Draft → submit → publish and the upheld
objection are walked in test_browser.py.)"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.browser import browser_page, fresh_page, shot, sign_in  # noqa: F401  (the fixture)
from tests.capacity.conftest import Aluminium
from tests.capacity.test_browser import ledger_totals, post_and_reload
from tests.conftest import Personas
from youse.capacity import services
from youse.capacity.models import CapacityIndicator, Objection

FINDING = "经核查，老系列已于2026年停产，拆除计划已列入方案，异议不成立"
DOCUMENT = "陕工信发〔2026〕18号"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_objection_dismissed_and_the_scheme_approved_after_the_notice(browser_page, live_server):  # noqa: F811
    base = live_server.url
    personas = Personas()
    scheme = Aluminium(personas).draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    scheme.refresh_from_db()
    scheme_path = reverse("capacity:scheme-detail", args=[scheme.pk])

    # A visitor objects on the public page of the scheme.
    page = browser_page
    page.goto(f"{base}/public/capacity/schemes/{scheme.code}/")
    page.fill("#id_name", "钱七")
    page.fill("#id_contact", "13700000000")
    page.fill("#id_text", "新系列选址距居民区过近。")
    page.locator("#ys-objection-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/objection-received/(#objection)?$"))
    objection = Objection.objects.get()

    # The department dismisses it: the scheme stays in notice, nothing is cut.
    department = fresh_page(browser_page)
    sign_in(department, base, personas.department.username, scheme_path)
    filed = department.locator(f"[data-objection='{objection.pk}']")
    assert "钱七" in filed.inner_text()
    decide = filed.locator("form[data-decide]")
    decide.locator("input[name=outcome][value=dismissed]").check()
    decide.locator("[name=finding]").fill(FINDING)
    shot(filed, "1-dismiss")
    post_and_reload(department, decide, base, scheme_path)
    filed = department.locator(f"[data-objection='{objection.pk}']")
    assert filed.locator("form[data-decide]").count() == 0 and FINDING in filed.inner_text()
    objection.refresh_from_db()
    scheme.refresh_from_db()
    assert (objection.status, scheme.state) == ("dismissed", "notice")
    # No approval while the notice runs.
    assert department.locator("[data-action-button=approve]").count() == 0

    # The notice ends (the daily duty, the day after its last day); the scheme is up for review.
    assert services.end_notices(scheme.notice_end + dt.timedelta(days=1)) == 1
    department.reload()
    department.locator("[data-action-button=approve]").click()
    department.locator("#act-approve.collapse.show").wait_for()
    approve = department.locator("form[data-action=approve]")
    approve.locator("[name=document]").fill(DOCUMENT)
    approve.locator("[name=unit_name]").fill("500kA电解铝一期")
    shot(department, "2-approve")
    post_and_reload(department, approve, base, scheme_path)
    assert department.locator(".alert-success").count() == 1
    assert department.locator("[data-action-button=approve]").count() == 0
    assert DOCUMENT in department.locator("main").inner_text()
    shot(department, "3-approved")
    scheme.refresh_from_db()
    assert scheme.state == "approved" and scheme.new_unit is not None
    assert scheme.new_unit.name == "500kA电解铝一期"
    old = CapacityIndicator.objects.get(code="CN-A-OLD")
    assert (old.reserved_t, old.consumed_t) == (0, 150000)

    # The public ledger: nothing reserved any more, the 150000 t consumed.
    page.goto(f"{base}/public/capacity/")
    totals = ledger_totals(page)
    assert (totals[2], totals[3]) == (0, 150000)
    shot(page, "4-ledger")
