"""The bulletin's pages: the department drafts, writes and publishes in a few clicks; the public reads
published bulletins (any version, PDF and Word with proper filenames) and never a draft."""

import datetime as dt
from urllib.parse import unquote

import pytest
from django.urls import reverse

from tests.portal.bulletin_sample import accept_reports, sample_content  # noqa: F401  (fixture)
from youse.portal.bulletin import services
from youse.portal.models import Bulletin

pytestmark = pytest.mark.django_db

JUNE = dt.date(2020, 6, 1)


@pytest.fixture
def ready(personas, sample_content):  # noqa: F811
    accept_reports(personas, JUNE)
    return personas


def published(p, month=JUNE) -> Bulletin:
    bulletin = services.draft_bulletin(p.department, month)
    services.edit_commentary(p.department, bulletin, {"overview": "全省有色金属行业运行平稳。"})
    return services.publish_bulletin(p.department, bulletin)


def test_the_department_publishes_the_monthly_bulletin_in_a_few_clicks(ready):
    client = ready.client("department")
    listing = client.get(reverse("bulletins:list"))
    assert listing.status_code == 200 and "2020-06" in listing.text
    # 1. Draft (the button of the month).
    response = client.post(reverse("bulletins:draft"), {"month": "2020-06"})
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bulletins:review", args=[bulletin.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'name="text"' in page.text and "草稿 draft" in page.text and "<svg" in page.text
    assert f"At most {services.MAX_OVERVIEW} characters" in page.text
    # Publishing without the overview is refused with the reason.
    refused = client.post(reverse("bulletins:publish", args=[bulletin.pk]), follow=True)
    assert "Write the overview" in refused.text
    # 2. The overview, inline (htmx swaps the block in place).
    fragment = client.post(
        reverse("bulletins:commentary", args=[bulletin.pk]),
        {"key": "overview", "text": "6月全省运行平稳。"},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200 and "Saved" in fragment.text and "6月全省运行平稳。" in fragment.text
    assert "<html" not in fragment.text
    # 3. Publish.
    done = client.post(reverse("bulletins:publish", args=[bulletin.pk]), follow=True)
    assert "Published" in done.text
    bulletin.refresh_from_db()
    assert bulletin.is_published and bulletin.commentary == {"overview": "6月全省运行平稳。"}
    public = client.get(reverse("portal:bulletin", args=["2020-06"]))
    assert public.status_code == 200 and "6月全省运行平稳。" in public.text and "草稿" not in public.text


def test_commentary_without_javascript_redirects_and_errors_are_shown(ready):
    client = ready.client("department")
    bulletin = services.draft_bulletin(ready.department, JUNE)
    response = client.post(reverse("bulletins:commentary", args=[bulletin.pk]), {"key": "production", "text": "增长。"})
    assert response.status_code == 302 and response["Location"].endswith("#commentary-production")
    too_long = client.post(
        reverse("bulletins:commentary", args=[bulletin.pk]),
        {"key": "production", "text": "长" * (services.MAX_SECTION + 5)},
        headers={"HX-Request": "true"},
    )
    assert "At most" in too_long.text and "is-invalid" in too_long.text
    bulletin.refresh_from_db()
    assert bulletin.commentary == {"production": "增长。"}


def test_a_bad_month_is_refused_with_a_message(ready):
    client = ready.client("department")
    response = client.post(reverse("bulletins:draft"), {"month": "2019-01"}, follow=True)
    assert "No report for 2019-01 has been accepted" in response.text
    response = client.post(reverse("bulletins:draft"), {"month": "june"}, follow=True)
    assert "YYYY-MM" in response.text
    assert not Bulletin.objects.exists()


def test_the_correction_flow_from_the_pages(ready):
    client = ready.client("department")
    v1 = published(ready)
    page = client.get(reverse("bulletins:review", args=[v1.pk]))
    assert "Start a correction" in page.text and 'name="text"' not in page.text
    empty = client.post(reverse("bulletins:correct", args=[v1.pk]), {"note": ""})
    assert empty.status_code == 400
    response = client.post(reverse("bulletins:correct", args=[v1.pk]), {"note": "宝鸡市产量按核定数更正。"})
    v2 = Bulletin.objects.get(version=2)
    assert response["Location"] == reverse("bulletins:review", args=[v2.pk])
    # Until the correction is published, the public sees version 1 only.
    public = ready.client("anonymous")
    assert "宝鸡市产量按核定数更正" not in public.get(reverse("portal:bulletin", args=["2020-06"])).text
    assert public.get(reverse("portal:bulletin-version", args=["2020-06", 2])).status_code == 404
    client.post(reverse("bulletins:publish", args=[v2.pk]))
    current = public.get(reverse("portal:bulletin", args=["2020-06"]))
    assert "第2版" in current.text and "宝鸡市产量按核定数更正。" in current.text
    assert reverse("portal:bulletin-version", args=["2020-06", 1]) in current.text
    old = public.get(reverse("portal:bulletin-version", args=["2020-06", 1]))
    assert old.status_code == 200 and "since corrected" in old.text


def test_drafts_never_appear_publicly(ready):
    draft = services.draft_bulletin(ready.department, JUNE)
    for persona in ("anonymous", "department", "ent_a"):
        client = ready.client(persona)
        for name, args in (
            ("portal:bulletin", ["2020-06"]),
            ("portal:bulletin-version", ["2020-06", 1]),
            ("portal:bulletin-pdf", ["2020-06", 1]),
            ("portal:bulletin-docx", ["2020-06", 1]),
        ):
            assert client.get(reverse(name, args=args)).status_code == 404, (persona, name)
        listing = client.get(reverse("portal:bulletins"))
        assert listing.status_code == 200 and "2020年第6期" not in listing.text
    assert ready.client("anonymous").get(reverse("portal:bulletin", args=["2020-99"])).status_code == 404
    assert draft.is_draft


def test_the_public_list_and_downloads(ready):
    published(ready)
    client = ready.client("anonymous")
    listing = client.get(reverse("portal:bulletins"))
    assert "2020年第6期" in listing.text and reverse("portal:bulletin", args=["2020-06"]) in listing.text
    pdf = client.get(reverse("portal:bulletin-pdf", args=["2020-06", 1]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "陕西省有色金属行业产能监测预警月报-2020-06-v1.pdf" in unquote(pdf["Content-Disposition"])
    docx = client.get(reverse("portal:bulletin-docx", args=["2020-06", 1]))
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    assert "2020-06-v1.docx" in unquote(docx["Content-Disposition"])


def test_the_public_page_reads_without_javascript_and_fits_a_phone(ready):
    published(ready)
    page = ready.client("anonymous").get(reverse("portal:bulletin", args=["2020-06"])).text
    article = page[page.index('<article class="ys-bulletin"') : page.index("</article>")]
    assert "<script" not in article and article.count("<svg") == 2
    assert 'class="ys-bulletin-scroll"' in article  # tables scroll sideways on a narrow screen
    assert 'name="viewport"' in page
    assert "<h1" in article and "<h2" in article and 'scope="col"' in article


@pytest.mark.parametrize("persona", ["environment", "city"])
def test_provincial_units_and_cities_read_drafts_but_do_not_act(ready, persona):
    draft = services.draft_bulletin(ready.department, JUNE)
    client = ready.client(persona)
    page = client.get(reverse("bulletins:review", args=[draft.pk]))
    assert page.status_code == 200 and 'name="text"' not in page.text and "publish-button" not in page.text
    assert client.post(reverse("bulletins:publish", args=[draft.pk])).status_code == 403
    assert client.get(reverse("bulletins:pdf", args=[draft.pk])).status_code == 200


def test_previews_of_a_draft_are_marked(ready):
    draft = services.draft_bulletin(ready.department, JUNE)
    client = ready.client("department")
    pdf = client.get(reverse("bulletins:pdf", args=[draft.pk]))
    assert pdf.status_code == 200 and "inline" in pdf["Content-Disposition"]
    assert "草稿" in unquote(pdf["Content-Disposition"])
    docx = client.get(reverse("bulletins:docx", args=[draft.pk]))
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
