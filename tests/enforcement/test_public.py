"""The public announcement pages (/public/enforcement/): only what was published, the latest version's text,
the corrections and earlier versions, and the Atom feed. No draft or working text ever reaches them."""

import pytest
from django.test import Client
from django.urls import reverse

from youse.enforcement import services

WORKING_TEXT = "尚未发布的工作稿文字"


@pytest.fixture
def campaign_with_orders(enf):
    campaign = enf.campaign()
    enf.order(enf.inspect(enf.case_a(campaign), passed=False))
    return campaign


@pytest.fixture
def corrected(personas, campaign_with_orders):
    """A rectification list published, corrected once, then edited again without publishing."""
    dept = personas.department
    ann = services.draft_announcement(dept, "rectification_list", campaign=campaign_with_orders)
    services.publish_announcement(dept, ann)
    first_body = ann.body
    services.edit_announcement(dept, ann, title=ann.title, body=first_body + "\n整改期限以通知书为准。")
    services.publish_announcement(dept, ann, correction_note="补充整改期限说明")
    services.edit_announcement(dept, ann, title=ann.title, body=WORKING_TEXT)
    ann.first_body = first_body
    return ann


def public(name: str, *args) -> str:
    return reverse(f"enforcement_public:{name}", args=args)


def test_drafts_are_not_public(personas, campaign_with_orders):
    draft = services.draft_announcement(personas.department, "survey_result", campaign=campaign_with_orders)
    for client in (Client(), personas.client("department")):
        assert client.get(public("detail", draft.pk)).status_code == 404
        assert client.get(public("version", draft.pk, 1)).status_code == 404
        html = client.get(public("index")).content.decode()
        assert draft.title not in html and f'data-announcement="{draft.pk}"' not in html
    assert draft.title not in Client().get(public("feed")).content.decode()


def test_a_published_announcement_shows_its_latest_version_and_the_corrections(corrected):
    html = Client().get(public("detail", corrected.pk)).content.decode()
    assert "整改期限以通知书为准。" in html
    assert "补充整改期限说明" in html and 'id="correction-note"' in html
    assert 'data-history="1"' in html and 'data-history="2"' in html
    assert public("version", corrected.pk, 1) in html
    assert WORKING_TEXT not in html


def test_an_earlier_version_is_readable_at_its_own_address(corrected):
    client = Client()
    html = client.get(public("version", corrected.pk, 1)).content.decode()
    assert 'id="superseded"' in html and 'data-version="1"' in html
    assert "整改期限以通知书为准。" not in html
    # The current version lives at the announcement's own address; no version 3 exists yet.
    assert client.get(public("version", corrected.pk, 2))["Location"] == public("detail", corrected.pk)
    assert client.get(public("version", corrected.pk, 3)).status_code == 404


def test_the_list_filters_by_kind_and_marks_corrections(personas, corrected, campaign_with_orders):
    survey = services.draft_announcement(personas.department, "survey_result", campaign=campaign_with_orders)
    services.publish_announcement(personas.department, survey)
    client = personas.client("anonymous")  # in English
    html = client.get(public("index")).content.decode()
    assert f'data-announcement="{corrected.pk}"' in html and f'data-announcement="{survey.pk}"' in html
    assert "corrected (version 2)" in html
    only = client.get(public("index"), {"kind": "survey_result"}).content.decode()
    assert f'data-announcement="{survey.pk}"' in only and f'data-announcement="{corrected.pk}"' not in only
    assert WORKING_TEXT not in html


def test_the_feed_carries_the_latest_published_text_only(corrected):
    response = Client().get(public("feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "整改期限以通知书为准。" in feed and "补充整改期限说明" in feed
    assert f"/public/enforcement/{corrected.pk}/v2/" in feed  # a correction is a new entry for subscribers
    assert WORKING_TEXT not in feed


def test_public_pages_are_chinese_first_and_linked_from_the_landing_page(corrected):
    client = Client()
    html = client.get(public("detail", corrected.pk)).content.decode()
    assert '<html lang="zh-hans">' in html
    landing = client.get(reverse("home"))
    assert public("index") in landing.content.decode()
