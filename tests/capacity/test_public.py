"""The public side of capacity replacement: notices, the objection form, announced results and the
ledger totals, as an anonymous visitor (and a signed-in official) sees them."""

import datetime as dt
import re

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from youse.capacity import services
from youse.capacity.models import CalendarDay, CapacityIndicator, Objection
from youse.capacity.views_public import OBJECTIONS_PER_HOUR, working_days_left

INDEX = "/public/capacity/"


def scheme_url(scheme) -> str:
    return reverse("capacity_public:scheme", kwargs={"code": scheme.code})


def english() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def in_notice(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    return services.publish_scheme(personas.department, scheme)


def objection_data(**extra) -> dict:
    return {"name": "李四", "organisation": "府谷县居民", "contact": "13900000000", "text": "退出产能未拆除。", **extra}


def test_it_lists_a_published_scheme_and_shows_its_tables_to_anyone(in_notice):
    html = english().get(INDEX).content.decode()
    assert in_notice.code in html and scheme_url(in_notice) in html
    page = english().get(scheme_url(in_notice))
    assert page.status_code == 200
    html = page.content.decode()
    # New side and exit side, with totals and the ratio.
    for text in ("府谷示范镁业有限公司", "府谷县新民镇", "500kA×256", "150,000", "2027-03-01", "2028-06-01"):
        assert text in html
    assert "240kA×160" in html and "2027-12-31" in html and "1.00 : 1" in html
    assert in_notice.contact in html
    assert 'name="csrfmiddlewaretoken"' in html and 'id="ys-objection-form"' in html
    assert "Replacement ratio" in html  # the rules it passed


def test_it_answers_404_for_a_draft_even_to_the_department(al, personas):
    draft = al.draft()
    assert english().get(scheme_url(draft)).status_code == 404
    assert personas.client("department").get(scheme_url(draft)).status_code == 404
    assert draft.code not in english().get(INDEX).content.decode()
    services.submit_scheme(personas.ent_a, draft)
    assert english().get(scheme_url(draft)).status_code == 404


def test_a_signed_in_official_sees_what_the_public_sees(in_notice, personas):
    public = english().get(INDEX).content.decode()
    official = personas.client("department").get(INDEX).content.decode()
    assert in_notice.code in official
    assert re.findall(r"ZH-\d{4}-\d{3}", public) == re.findall(r"ZH-\d{4}-\d{3}", official)


def test_an_anonymous_objection_lands_with_the_remote_address_and_a_receipt(in_notice):
    client = english()
    response = client.post(scheme_url(in_notice), objection_data(), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.scheme, objection.name, objection.remote_addr) == (in_notice, "李四", "203.0.113.7")
    assert objection.status == "pending" and objection.notice_round == 1
    receipt = client.get(response["Location"])
    html = receipt.content.decode()
    assert receipt.status_code == 200 and f"-{objection.pk:05d}" in html and "What happens next" in html
    # Another browser has no receipt to show: it is sent to the scheme.
    assert english().get(response["Location"]).status_code == 302


def test_it_keeps_the_address_nginx_passes_on(in_notice):
    english().post(scheme_url(in_notice), objection_data(), HTTP_X_REAL_IP="198.51.100.4")
    assert Objection.objects.get().remote_addr == "198.51.100.4"


def test_it_names_missing_fields_and_files_nothing(in_notice):
    response = english().post(scheme_url(in_notice), objection_data(name="", contact=""))
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 2
    assert not Objection.objects.exists()


def test_the_honeypot_refuses_scripts(in_notice):
    response = english().post(scheme_url(in_notice), objection_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "could not be accepted" in response.content.decode()
    assert not Objection.objects.exists()


def test_it_limits_objections_per_address(in_notice):
    client = english()
    for _ in range(OBJECTIONS_PER_HOUR):
        assert client.post(scheme_url(in_notice), objection_data(), REMOTE_ADDR="192.0.2.1").status_code == 302
    refused = client.post(scheme_url(in_notice), objection_data(), REMOTE_ADDR="192.0.2.1")
    assert refused.status_code == 429
    assert "Too many objections" in refused.content.decode()
    assert Objection.objects.count() == OBJECTIONS_PER_HOUR
    # Another address is not held back.
    assert english().post(scheme_url(in_notice), objection_data(), REMOTE_ADDR="192.0.2.2").status_code == 302


def test_it_refuses_objections_after_the_notice(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    scheme = services.publish_scheme(personas.department, scheme, published_on=dt.date(2026, 9, 21))
    # Last day of the notice is Saturday 10 October 2026 (an adjusted working day); it then ends.
    services.end_notices(dt.date(2026, 10, 11))
    page = english().get(scheme_url(scheme))
    html = page.content.decode()
    assert page.status_code == 200 and 'id="ys-objection-form"' not in html
    assert "The public notice ended on 2026-10-10" in html and "Notice ended; under review" in html
    refused = english().post(scheme_url(scheme), objection_data())
    assert refused.status_code == 409 and "objections are no longer accepted" in refused.content.decode()
    assert not Objection.objects.exists()


def test_it_closes_the_form_after_the_last_day_even_before_the_tick(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    scheme = services.publish_scheme(personas.department, scheme, published_on=dt.date(2026, 9, 21))
    assert scheme.state == "notice" and scheme.notice_end < timezone.localdate()
    assert english().post(scheme_url(scheme), objection_data()).status_code == 409
    assert not Objection.objects.exists()


def test_objectors_names_and_contacts_never_appear_on_public_pages(in_notice, personas):
    services.file_objection(None, in_notice, objection_data(name="王秘密", contact="13712345678"))
    objection = Objection.objects.get()
    pages = [INDEX, scheme_url(in_notice), reverse("capacity_public:feed")]
    for url in pages:
        html = english().get(url).content.decode()
        assert "王秘密" not in html and "13712345678" not in html
    services.decide_objection(personas.department, objection, upheld=False, finding="经核查，王秘密所述不属实")
    for url in pages:
        html = english().get(url).content.decode()
        assert "王秘密" not in html and "13712345678" not in html


def test_an_upheld_objection_shows_the_scheme_withdrawn_from_notice(in_notice, personas):
    objection = services.file_objection(None, in_notice, objection_data())
    services.decide_objection(personas.department, objection, upheld=True, finding="退出产能中2万吨无合规依据")
    page = english().get(scheme_url(in_notice))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Withdrawn from notice for revision" in html and 'id="ys-withdrawn-notice"' in html
    assert 'id="ys-objection-form"' not in html and "objections will be accepted again" in html
    # The finding is the department's internal record; the public is told the outcome only.
    assert "无合规依据" not in html
    assert in_notice.code not in english().get(INDEX).content.decode().split('id="pub-announced"')[0]


def test_an_announced_scheme_shows_its_announcement(in_notice, personas):
    services.end_notices(in_notice.notice_end + dt.timedelta(days=1))
    in_notice.refresh_from_db()
    services.approve_scheme(personas.department, in_notice, document="陕工信发〔2026〕1号")
    services.announce_scheme(personas.department, in_notice, document="陕西省工业和信息化厅公告2026年第9号")
    html = english().get(scheme_url(in_notice)).content.decode()
    assert "陕西省工业和信息化厅公告2026年第9号" in html and "陕工信发〔2026〕1号" in html
    assert "Announced" in html and 'id="ys-objection-form"' not in html
    index = english().get(INDEX).content.decode()
    announced = index.split('id="pub-announced"')[1]
    assert in_notice.code in announced and "陕西省工业和信息化厅公告2026年第9号" in announced


def test_the_ledger_totals_equal_the_ledgers_sums(in_notice):
    html = english().get(INDEX).content.decode()
    footer = html.split('id="ys-ledger-table"')[1].split("<tfoot>")[1].split("</tfoot>")[0]
    shown = [int(v) for v in re.findall(r'data-total="(\d+)"', footer)]
    holdings = ("active_t", "available_t", "reserved_t", "consumed_t")
    sums = CapacityIndicator.objects.aggregate(*(Sum(f) for f in holdings))
    assert shown == list(sums.values()) == [200000, 100000, 150000, 0]
    # By city: Yulin holds enterprise A's capacity, Baoji enterprise B's.
    table = html.split('id="ys-ledger-table"')[1].split("</table>")[0]
    assert re.search(r"Yulin</th><td[^>]*>200,000</td><td[^>]*>0</td><td[^>]*>150,000</td>", table)
    assert re.search(r"Baoji</th><td[^>]*>0</td><td[^>]*>100,000</td>", table)
    assert '"ys-capacity-data"' in html


def test_it_shows_the_national_ceiling_for_reference(db, client):
    html = english().get(INDEX).content.decode()
    assert "45,000,000" in html and "National ceiling" in html


def test_it_counts_working_days_left_with_the_calendar(in_notice):
    in_notice.notice_start, in_notice.notice_end = dt.date(2026, 9, 21), dt.date(2026, 10, 10)
    CalendarDay.objects.get_or_create(date=dt.date(2026, 10, 1), defaults={"working": False, "name": "国庆节"})
    # From Wednesday 30 September: the 30th, then the holiday week, then 8, 9 and Saturday 10 October.
    assert working_days_left(in_notice, dt.date(2026, 9, 30)) == 4
    assert working_days_left(in_notice, dt.date(2026, 10, 10)) == 1
    assert working_days_left(in_notice, dt.date(2026, 10, 11)) == 0


def test_it_speaks_chinese_by_default(in_notice, client):
    page = client.get(INDEX)
    html = page.content.decode()
    assert page["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in html and "登录" in html and "Sign in" not in html
    assert '<html lang="zh-hans">' in client.get(scheme_url(in_notice)).content.decode()


def test_the_feed_lists_notices_and_announcements(in_notice):
    feed = english().get(reverse("capacity_public:feed"))
    assert feed.status_code == 200 and feed["Content-Type"].startswith("application/atom+xml")
    body = feed.content.decode()
    assert in_notice.code in body and scheme_url(in_notice) in body
