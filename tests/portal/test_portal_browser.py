"""A citizen with a phone (390 px wide, no sign-in) reads the latest bulletin and objects to an aluminium
scheme in public notice, in the system Chromium."""

import re

import pytest

from tests.browser import browser_page, shot  # noqa: F401  (the fixture)
from youse.capacity.models import Objection

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_citizen_reads_the_latest_bulletin_and_objects_on_a_phone(browser_page, live_server, world):  # noqa: F811
    page = browser_page
    page.set_viewport_size(PHONE)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(live_server.url + "/")
    assert fits_the_screen(page)
    shot(page, "1-home")
    page.locator("[data-latest-bulletin]").click()
    page.wait_for_url(re.compile(r"/public/bulletins/2020-06/"))
    assert "2020年第6期" in page.locator("h1").inner_text()
    assert fits_the_screen(page)
    shot(page, "2-bulletin")

    page.goto(live_server.url + "/")
    page.locator(f"[data-notice='capacity-notice-{world.notice.code}'] a", has_text="→").click()
    page.wait_for_url(re.compile(rf"/public/capacity/schemes/{world.notice.code}/"))
    page.fill("#id_name", "赵六")
    page.fill("#id_contact", "13600000000")
    page.fill("#id_text", "老系列电解槽仍在生产，未见拆除。")
    shot(page, "3-objection")
    page.locator("#ys-objection-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/objection-received/(#objection)?$"))
    objection = Objection.objects.get()
    assert page.locator("#ys-receipt").inner_text().endswith(f"-{objection.pk:05d}")
    assert (objection.scheme_id, objection.name) == (world.notice.pk, "赵六")
    assert errors == []
