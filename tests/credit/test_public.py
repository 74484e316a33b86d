"""The public credit list at /public/credit/: published editions only, included enterprises only, with
name, city and metal; no exclusion reasons; drafts and superseded editions are not shown, whoever asks."""

import pytest
from django.urls import reverse

from youse.credit import services

pytestmark = pytest.mark.django_db


def test_it_lists_published_editions_only(edition, cast):
    client = cast.p.client("anonymous")
    assert edition.title not in client.get(reverse("credit_public:index")).content.decode()
    assert client.get(reverse("credit_public:detail", args=[edition.pk])).status_code == 404
    services.publish_edition(cast.department, edition, document="陕工信函〔2021〕1号")
    body = client.get(reverse("credit_public:index")).content.decode()
    assert edition.title in body and "陕工信函〔2021〕1号" in body


@pytest.mark.parametrize("who", ["anonymous", "department", "ent_b", "city"])
def test_it_shows_the_included_enterprises_and_no_reasons(published, cast, who):
    page = cast.p.client(who).get(reverse("credit_public:detail", args=[published.pk])).content.decode()
    body = page[page.index("<main") :]  # the header names a signed-in enterprise user's own enterprise
    assert "府谷示范镁业有限公司" in body and "Yulin" in body and "Magnesium" in body
    for excluded in (cast.p.enterprise_b, cast.ordered, cast.smoky, cast.closing):
        assert excluded.name not in body
    assert "HZ-2020-001" not in body and "亿元" not in body and "exceedance" not in body


def test_it_drops_a_superseded_edition_and_a_withdrawn_enterprise(published, cast):
    second = services.derive_edition(cast.department, year=2020, as_of=published.as_of)
    a = second.entries.get(enterprise=cast.p.enterprise_a)
    services.override_entry(cast.department, a, included=False, reason="经核查存在违规行为")
    services.override_entry(
        cast.department, second.entries.get(enterprise=cast.p.enterprise_b), included=True, reason="会商列入"
    )
    services.publish_edition(cast.department, second, document="陕工信函〔2021〕2号")
    client = cast.p.client("anonymous")
    assert client.get(reverse("credit_public:detail", args=[published.pk])).status_code == 404
    body = client.get(reverse("credit_public:detail", args=[second.pk])).content.decode()
    assert cast.p.enterprise_b.name in body and "府谷示范镁业有限公司" not in body
    assert "经核查存在违规行为" not in body and "会商列入" not in body
