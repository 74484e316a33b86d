"""Lists and feeds read a bulletin's title and headline out of its frozen data in the database: they neither
load the whole data (hundreds of KB a month at scale 10) nor ask for it bulletin by bulletin."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.portal.portal_fixtures import bulletin
from youse.portal import listing, published

pytestmark = pytest.mark.django_db


def test_heads_carry_title_and_headline_without_the_data():
    b = bulletin("2026-03", title="三月月报")
    [head] = published.current_bulletin_heads()
    assert "data" in head.get_deferred_fields()
    assert head.data_title == "三月月报"
    assert head.data_headline == b.data["headline"]
    assert published.bulletin_summary(head.data_headline) == published.bulletin_summary(b.data["headline"])


def queries_for_items() -> tuple[int, list]:
    with CaptureQueriesContext(connection) as q:
        items = listing.bulletin_items()
    return len(q), items


def test_bulletin_items_cost_the_same_queries_whatever_their_number():
    bulletin("2026-01")
    one, items = queries_for_items()
    assert len(items) == 1 and items[0].summary
    for month in ("2026-02", "2026-03", "2026-04", "2026-05"):
        bulletin(month)
    many, items = queries_for_items()
    assert len(items) == 5
    assert many == one
