"""The demo's monthly bulletins (youse.demo.bulletins), built once with the whole demo and rolled back
after the module: 2020 and this year published with commentary from their figures, June 2020 corrected,
the latest due month a draft; the public reads the latest bulletin, and its PDF and Word parse back."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from youse.portal.bulletin import render
from youse.portal.models import Bulletin
from youse.stats.warnings import last_due_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_2020_and_this_year_are_published_and_the_latest_due_month_is_a_draft(demo):
    due = last_due_month(timezone.localdate()).start
    current = {b.month: b for b in Bulletin.objects.current_published()}
    expected = [dt.date(2020, m, 1) for m in range(1, 13)] + [dt.date(due.year, m, 1) for m in range(1, due.month)]
    assert sorted(current) == expected
    draft = Bulletin.objects.drafts().get()
    assert draft.month == due and draft.commentary["overview"]
    assert demo.counts["bulletins_published"] == len(expected) + 1  # with June 2020's correction
    for b in current.values():
        assert b.published_at.date() > b.month  # published after its month
        assert f"{b.month.month}月" in b.commentary["overview"]
        assert {s["key"] for s in b.data["sections"]} >= {"production", "utilisation", "warnings"}


def test_june_2020_is_corrected_with_its_note_and_both_versions_stay(demo):
    june = dt.date(2020, 6, 1)
    v1, v2 = Bulletin.objects.filter(month=june).order_by("version")
    assert (v1.status, v2.status, v2.corrects) == ("published", "published", v1)
    assert "更正" in v2.correction_note
    page = Client().get(reverse("portal:bulletin", args=["2020-06"]))
    assert page.status_code == 200 and v2.correction_note in page.text
    assert reverse("portal:bulletin-version", args=["2020-06", 1]) in page.text


def test_a_citizen_reads_the_latest_bulletin_and_downloads_it(demo):
    client = Client()
    listing = client.get(reverse("portal:bulletins"))
    latest = Bulletin.objects.current_published().first()
    assert listing.status_code == 200 and latest.title in listing.text
    page = client.get(reverse("portal:bulletin", args=[latest.month_key]))
    assert page.status_code == 200 and "<svg" in page.text and "草稿" not in page.text
    draft = Bulletin.objects.drafts().get()
    assert client.get(reverse("portal:bulletin", args=[draft.month_key])).status_code == 404


def test_the_pdf_and_word_of_a_demo_month_parse_back_with_every_section(demo):
    from docx import Document
    from pypdf import PdfReader

    bulletin = Bulletin.objects.current_published().filter(month__year=2020).first()
    content, seconds = render.timed_pdf(bulletin)
    text = "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).split())
    for s in bulletin.data["sections"]:
        assert "".join(s["title"].split()) in text
    assert "".join(bulletin.title.split()) in text
    assert seconds < 60
    word = Document(io.BytesIO(render.docx(bulletin)))
    headings = {p.text for p in word.paragraphs if p.style.name.startswith("Heading")}
    assert {s["title"] for s in bulletin.data["sections"]} <= headings
    assert word.tables
