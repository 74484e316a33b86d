"""A citizen with a phone reads the latest bulletin: at phone width the page does not scroll sideways
(wide tables scroll inside their own box), the charts are drawn, and the department's review page
publishes with a confirmation."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser import browser_page, shot  # noqa: F401  (the fixture)
from tests.portal.bulletin_sample import sample
from youse.portal.models import Bulletin

PHONE = {"width": 390, "height": 844}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_citizen_with_a_phone_reads_the_latest_bulletin(browser_page, live_server):  # noqa: F811
    Bulletin.objects.create(
        month=dt.date(2020, 6, 1),
        data=sample(),
        commentary={"overview": "6月，全省有色金属行业运行总体平稳。"},
        drafted_at=timezone.now(),
        status="published",
        published_at=timezone.now(),
    )
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("portal:bulletins"))
    page.get_by_role("link", name="2020年第6期").first.click()
    page.wait_for_load_state()
    assert page.locator("h1#bulletin-title").inner_text().startswith("陕西省有色金属行业产能监测预警月报")
    assert page.locator("article.ys-bulletin figure svg").count() == 2
    assert page.locator("article.ys-bulletin figure svg").first.bounding_box()["width"] <= PHONE["width"]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow}px on a phone"
    shot(page, "1-bulletin", full_page=False)
