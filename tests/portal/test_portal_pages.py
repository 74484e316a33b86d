"""The portal's pages: the home with published figures only, the list of everything published with its
filters, the feed, open data and the dictionary."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.portal_fixtures import UNPUBLISHED
from youse.portal import listing

ATOM = "{http://www.w3.org/2005/Atom}"


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def test_it_shows_the_latest_published_bulletin_and_its_headline(world):
    html = english().get(reverse("portal:home")).content.decode()
    assert 'data-latest-bulletin="2020-06"' in html
    assert "76.52" in html and 'data-headline="value_added"' in html
    assert "999.99" not in html  # the July draft's figure
    assert "corrected (version 2)" in html
    assert reverse("portal:bulletin-pdf", args=["2020-06", 2]) in html


def test_it_is_what_anonymous_visitors_see_at_the_root(world):
    html = Client().get("/").content.decode()
    assert '<html lang="zh-hans">' in html
    assert 'data-latest-bulletin="2020-06"' in html
    assert reverse("capacity_public:index") in html and reverse("enforcement_public:index") in html


def test_it_lists_notices_open_for_objections(world):
    html = english().get(reverse("portal:home")).content.decode()
    notices = html.split('id="open-notices"')[1].split("</section>")[0]
    assert world.notice.code in notices and "until " in notices
    assert world.submitted.code not in html and world.draft_scheme.code not in html


def test_it_without_any_bulletin_shows_the_targets_and_says_so(personas):
    html = english().get(reverse("portal:home")).content.decode()
    assert "No bulletin has been published yet" in html
    assert 'data-table="targets"' in html


def test_the_list_gathers_every_kind_newest_first(world):
    items = listing.gather()
    kinds = {i.kind for i in items}
    assert {listing.NOTICE, listing.ANNOUNCEMENT, listing.BULLETIN, listing.CREDIT_LIST} <= kinds
    assert [i.published for i in items] == sorted((i.published for i in items), reverse=True)
    bulletins = [i for i in items if i.kind == listing.BULLETIN]
    assert [b.uid for b in bulletins] == ["bulletin-2020-06", "bulletin-2020-05"]  # v2 replaces v1
    assert bulletins[0].corrected and bulletins[0].url.endswith("/v2/")


@pytest.mark.parametrize(
    "query, present, absent",
    [
        ({"kind": "notice"}, ["notice"], ["announcement", "bulletin"]),
        ({"kind": "bulletin"}, ["bulletin"], ["notice", "announcement"]),
        ({"metal": "Al"}, ["notice"], ["bulletin"]),
        ({"city": "610800"}, ["notice"], ["bulletin"]),
        ({"city": "610300"}, [], ["notice", "bulletin"]),
        ({"since": "2020-05-01", "until": "2020-06-30"}, ["bulletin"], ["notice"]),
    ],
)
def test_the_list_filters(world, query, present, absent):
    html = english().get(reverse("portal:announcements"), query).content.decode()
    uids = {
        "notice": f'data-item="capacity-notice-{world.notice.code}"',
        "announcement": f'data-item="enforcement-{world.announcement.pk}"',
        "bulletin": 'data-item="bulletin-2020-06"',
    }
    for name in present:
        assert uids[name] in html, name
    for name in absent:
        assert uids[name] not in html, name


def test_the_list_refuses_an_inverted_date_range(world):
    html = english().get(reverse("portal:announcements"), {"since": "2020-07-01", "until": "2020-06-01"})
    assert "The end date is before the start date." in html.content.decode()


def test_the_feed_is_valid_atom_with_every_published_item(world):
    response = Client().get(reverse("portal:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None
    entries = root.findall(f"{ATOM}entry")
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)) == len(listing.gather())
    for e in entries:
        for name in ("id", "title", "updated", "link"):
            assert e.find(f"{ATOM}{name}") is not None, name
    body = response.content.decode()
    assert UNPUBLISHED not in body and world.notice.code in body


def test_the_feed_takes_the_lists_filters(world):
    body = Client().get(reverse("portal:feed"), {"kind": "bulletin"}).content.decode()
    assert "2020年第6期" in body and world.notice.code not in body


def test_the_pages_read_without_javascript_on_a_phone(world):
    """Semantic landmarks and headings, and no table that is not in a scrolling wrapper."""
    for name in ("portal:home", "portal:announcements", "portal:open-data", "portal:dictionary"):
        html = Client().get(reverse(name)).content.decode()
        assert '<main id="main"' in html and "<h1" in html, name
        assert 'name="viewport"' in html
        body = html.split('<main id="main"')[1]
        assert body.count("<table") <= body.count("table-responsive"), name


def test_the_list_costs_the_same_queries_whatever_the_number_of_items(world, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.enforcement.conftest import Enforcement
    from youse.enforcement import services

    def publish_survey(name: str, cities: list[str]) -> None:
        campaign = Enforcement(personas).campaign(name=name, cities=cities)
        announcement = services.draft_announcement(personas.department, "survey_result", campaign=campaign)
        services.publish_announcement(personas.department, announcement)

    publish_survey("榆林市专项检查", ["610800"])  # an announcement naming its cities
    with CaptureQueriesContext(connection) as before:
        first = len(listing.gather())
    publish_survey("榆林宝鸡专项检查", ["610800", "610300"])
    services.publish_announcement(personas.department, world.draft_announcement)
    with CaptureQueriesContext(connection) as after:
        assert len(listing.gather()) == first + 2
    assert len(after.captured_queries) == len(before.captured_queries)
