"""The ticker drafts the latest due month's bulletin once every expected report is accepted, once."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.portal.bulletin_sample import accept_reports, sample_content  # noqa: F401  (fixture)
from youse.core.models import AuditEvent
from youse.core.tick import DUTIES
from youse.portal.bulletin import duties
from youse.portal.models import Bulletin

pytestmark = pytest.mark.django_db

MAY = dt.date(2024, 5, 1)
# On 11 June, May's reports are due (stats.warnings.last_due_month).
NOW = timezone.make_aware(dt.datetime(2024, 6, 11, 3, 0))


def test_it_is_registered_with_the_ticker():
    assert DUTIES["bulletin.draft"].run is duties.draft_due


def test_it_waits_for_every_expected_report_then_drafts_exactly_once(personas, sample_content):  # noqa: F811
    assert "no enterprise" in duties.draft_due(NOW) or "waiting" in duties.draft_due(NOW)
    accept_reports(personas, MAY, which=("a",))
    if duties.missing_acceptances(MAY):
        assert "waiting for 1 reports" in duties.draft_due(NOW)
        assert not Bulletin.objects.exists()
    accept_reports(personas, MAY, which=("b",))
    assert duties.missing_acceptances(MAY) == 0
    assert duties.draft_due(NOW) == "bulletin 2024-05 drafted"
    assert duties.draft_due(NOW) == "bulletin 2024-05 already drafted"
    assert duties.draft_due(NOW + dt.timedelta(days=3)) == "bulletin 2024-05 already drafted"
    bulletin = Bulletin.objects.get()
    assert (bulletin.month, bulletin.version, bulletin.status, bulletin.drafted_by) == (MAY, 1, "draft", None)
    event = AuditEvent.objects.get(after__event="drafted")
    assert event.actor is None
    assert sample_content == [MAY]


def test_a_published_month_is_not_drafted_again(personas, sample_content):  # noqa: F811
    from youse.portal.bulletin import services

    accept_reports(personas, MAY)
    bulletin = services.draft_bulletin(personas.department, MAY)
    services.edit_commentary(personas.department, bulletin, {"overview": "综述"})
    services.publish_bulletin(personas.department, bulletin)
    assert duties.draft_due(NOW) == "bulletin 2024-05 already drafted"
    assert Bulletin.objects.count() == 1
