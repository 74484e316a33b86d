"""The credit pages as every persona: the department derives, overrides and publishes; a city sees its
own city's entries, an enterprise its own entry, the public the published list's included enterprises
only; the Excel export parses back."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from youse.credit.models import Edition, Entry

pytestmark = pytest.mark.django_db


def _entry(edition, enterprise) -> Entry:
    return edition.entries.get(enterprise=enterprise)


def test_it_lists_the_editions_with_their_counts(published, cast):
    response = cast.p.client("department").get(reverse("credit:editions"))
    assert response.status_code == 200
    body = response.content.decode()
    assert published.title in body and 'data-action="derive"' in body


def test_it_sends_an_enterprise_to_its_own_entries(published, cast):
    response = cast.p.client("ent_a").get(reverse("credit:editions"))
    assert response["Location"] == reverse("credit:enterprise", args=[cast.p.enterprise_a.pk])
    page = cast.p.client("ent_a").get(response["Location"]).content.decode()
    assert "府谷示范镁业有限公司" in page and cast.p.enterprise_b.name not in page


def test_it_shows_the_department_every_entry_with_reasons_and_filters(published, cast):
    client = cast.p.client("department")
    url = reverse("credit:edition", args=[published.pk])
    body = client.get(url).content.decode()
    assert 'data-total="included">1<' in body and 'data-total="excluded">8<' in body
    assert "Rectification order HZ-2020-001 overdue" in body
    only = client.get(url, {"failing": "no-open-order"}).content.decode()
    assert cast.ordered.name in only and cast.smoky.name not in only
    yulin = client.get(url, {"city": "610800", "included": "no"}).content.decode()
    assert cast.smoky.name in yulin and cast.closing.name not in yulin and "府谷示范镁业有限公司" not in yulin
    zinc = client.get(url, {"metal": "Zn"}).content.decode()
    assert cast.failed.name in zinc and cast.ordered.name not in zinc


def test_it_shows_a_city_only_its_own_entries(published, cast):
    client = cast.p.client("city")
    body = client.get(reverse("credit:edition", args=[published.pk])).content.decode()
    assert cast.smoky.name in body and "府谷示范镁业有限公司" in body
    assert cast.p.enterprise_b.name not in body and cast.closing.name not in body
    other = _entry(published, cast.p.enterprise_b)
    assert client.get(reverse("credit:entry", args=[other.pk])).status_code == 404
    assert client.get(reverse("credit:entry", args=[_entry(published, cast.smoky).pk])).status_code == 200


def test_it_shows_an_enterprise_only_its_own_entry(published, cast):
    client = cast.p.client("ent_b")
    mine = _entry(published, cast.p.enterprise_b)
    body = client.get(reverse("credit:entry", args=[mine.pk])).content.decode()
    assert "1.20 亿元 &lt; 5 亿元" in body or "1.20 亿元 < 5 亿元" in body
    assert client.get(reverse("credit:entry", args=[_entry(published, cast.p.enterprise_a).pk])).status_code == 404
    edition = client.get(reverse("credit:edition", args=[published.pk])).content.decode()
    assert cast.p.enterprise_a.name not in edition and cast.smoky.name not in edition


def test_it_hides_drafts_from_everyone_but_the_department(edition, cast):
    for who in ("city", "ent_a", "environment"):
        client = cast.p.client(who)
        assert client.get(reverse("credit:edition", args=[edition.pk])).status_code == 404
        entry = _entry(edition, cast.p.enterprise_a)
        assert client.get(reverse("credit:entry", args=[entry.pk])).status_code == 404


def test_it_derives_overrides_and_publishes_through_the_pages(cast):
    client = cast.p.client("department")
    response = client.post(reverse("credit:derive"), {"year": 2020, "as_of": "2020-12-31"})
    edition = Edition.objects.get()
    assert response["Location"] == reverse("credit:edition", args=[edition.pk])
    b = _entry(edition, cast.p.enterprise_b)
    refused = client.post(reverse("credit:override", args=[b.pk]), {"decision": "include", "reason": ""})
    assert refused.status_code == 400
    client.post(reverse("credit:override", args=[b.pk]), {"decision": "include", "reason": "省金融办会商意见"})
    b.refresh_from_db()
    assert b.included and b.override_reason == "省金融办会商意见"
    page = client.get(reverse("credit:entry", args=[b.pk])).content.decode()
    assert "data-override" in page and "省金融办会商意见" in page
    client.post(reverse("credit:publish", args=[edition.pk]), {"document": "陕工信函〔2021〕3号"})
    edition.refresh_from_db()
    assert edition.status == "published"
    # Published: no override form, and a post is refused.
    assert 'data-action="override"' not in client.get(reverse("credit:entry", args=[b.pk])).content.decode()
    again = client.post(reverse("credit:override", args=[b.pk]), {"decision": "clear", "reason": "撤回"})
    assert again.status_code == 400
    b.refresh_from_db()
    assert b.included


def test_it_refuses_contradicting_dates_on_the_form(cast):
    response = cast.p.client("department").post(reverse("credit:derive"), {"year": 2020, "as_of": "2018-01-01"})
    assert response.status_code == 400 and not Edition.objects.exists()


@pytest.mark.parametrize("who", ["city", "ent_a", "environment"])
def test_it_refuses_the_department_steps_to_others(published, cast, who):
    client = cast.p.client(who)
    assert client.post(reverse("credit:derive"), {"year": 2020, "as_of": "2020-12-31"}).status_code == 403
    assert client.post(reverse("credit:publish", args=[published.pk]), {"document": "x"}).status_code == 403


def test_it_exports_an_edition_that_parses_back(published, cast):
    response = cast.p.client("department").get(reverse("credit:export", args=[published.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == published.title
    header = next(i for i, r in enumerate(rows) if r[0] == "No.")
    data = [r for r in rows[header + 1 :] if r[0]]
    assert len(data) == 9
    by_name = {r[1]: r for r in data}
    a = by_name["府谷示范镁业有限公司"]
    assert a[5] == "yes" and a[3] == "Yulin" and a[4] == "Magnesium"
    ordered = by_name[cast.ordered.name]
    assert ordered[5] == "no"
    column = rows[header].index("无未整改完毕的整改通知")
    assert ordered[column].startswith("fail: Rectification order HZ-2020-001 overdue")
    criteria = [r[0] for r in book["Criteria"].iter_rows(min_row=2, values_only=True)]
    assert criteria == [c["code"] for c in published.criteria]


def test_it_exports_only_the_city_s_rows_to_a_city(published, cast):
    response = cast.p.client("city").get(reverse("credit:export", args=[published.pk]))
    names = {r[1] for r in load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)}
    assert cast.smoky.name in names and cast.p.enterprise_b.name not in names


def test_it_shows_the_criteria(cast):
    body = cast.p.client("city").get(reverse("credit:criteria")).content.decode()
    assert "无未整改完毕的整改通知" in body and "min_revenue_yi" in body
