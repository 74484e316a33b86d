"""The department's targets dashboard in a real browser: gxt signs in through the form, reads the five target
cards on its home page, follows one to the targets dashboard (figures, chart and map drawn), opens Yulin from
the city table and then enterprise A from Yulin's list of enterprises."""

import re

import pytest
from django.urls import reverse

from tests.browser import browser_page, shot, sign_in  # noqa: F401  (the fixture)
from tests.stats.test_dashboard import ENT_A, ENT_B, reports  # noqa: F401  (the fixture)

TARGETS = ("value_added", "revenue_rank", "deep_processing_share", "al_utilisation", "production_growth")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_department_drills_down_from_its_home_to_an_enterprise(browser_page, live_server, reports):  # noqa: F811
    base = live_server.url
    page = browser_page
    sign_in(page, base, reports.department.username, reverse("home"))

    # Home: the five targets of the province for 2020; utilisation 71.3 % against ≥ 80 % is off track.
    cards = page.locator("[data-section=targets] a[data-target]")
    assert sorted(cards.evaluate_all("els => els.map(e => e.dataset.target)")) == sorted(TARGETS)
    utilisation = page.locator("[data-section=targets] a[data-target=al_utilisation]")
    assert utilisation.get_attribute("data-status") == "off_track"
    assert "71.3" in utilisation.inner_text()
    shot(page, "1-home")

    # The value-added card opens the targets dashboard at its trend.
    page.locator("[data-section=targets] a[data-target=value_added]").click()
    page.wait_for_url(re.compile(r"/stats/\?.*period=2020.*#trend-value_added$"))
    assert page.locator("[data-scope=province]").count() >= 1
    for table in ("targets", "trend", "cities", "base", "metal"):
        assert page.locator(f"table[data-table={table}]").count() == 1
    # ECharts has drawn the map of Shaanxi.
    page.locator("#ys-map canvas").first.wait_for()
    cities = page.locator("table[data-table=cities] tbody tr")
    yulin = cities.filter(has=page.locator("a[href*='scope=city%3A610800']"))
    assert yulin.count() == 1
    assert [v for v in yulin.locator("td[data-value]").evaluate_all("els => els.map(e => e.dataset.value)") if v]
    shot(page, "2-dashboard")

    # Yulin from the city table: the city's dashboard lists its own enterprise, not Baoji's.
    yulin.locator("a").first.click()
    page.wait_for_url(re.compile(r"scope=city%3A610800"))
    assert page.locator("[data-scope='city:610800']").count() >= 1
    enterprises = page.locator("table[data-table=enterprises]")
    assert ENT_A in enterprises.inner_text() and ENT_B not in enterprises.inner_text()
    # A's value added: 12 months × 1,200 万元 = 1.44 亿元.
    row = enterprises.locator("tbody tr").filter(has_text=ENT_A)
    assert row.locator("td[data-value]").evaluate_all("els => els.map(e => e.dataset.value)")[:2] == ["12", "1.44"]
    shot(page, "3-yulin")

    # The enterprise from the city's list: its figures against its peers.
    row.locator("a").first.click()
    page.wait_for_url(re.compile(rf"scope=enterprise%3A{reports.enterprise_a.pk}"))
    assert page.locator("table[data-table=peers]").count() == 1
    assert ENT_A in page.locator("h1").inner_text() or ENT_A in page.content()
    shot(page, "4-enterprise")
