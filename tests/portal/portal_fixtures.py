"""Published and unpublished rows of every kind the portal reads, for the portal's tests. Bulletins are
inserted as rows with the sample document (the bulletin's own tests cover drafting and publishing);
schemes and announcements go through their services."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.capacity.conftest import Aluminium
from tests.enforcement.conftest import Enforcement
from tests.portal.bulletin_sample import sample
from youse.capacity import services as capacity
from youse.credit import services as credit
from youse.enforcement import services as enforcement
from youse.portal.models import Bulletin

UNPUBLISHED = "未发布工作稿"  # in the title or text of every unpublished row


def bulletin(month: str, *, version: int = 1, published: bool = True, corrects=None, title: str = "") -> Bulletin:
    data = sample(month)
    if title:
        data["title"] = title
    if not published:
        data["headline"][0]["value"] = "999.99"
    when = timezone.make_aware(dt.datetime.fromisoformat(f"{month}-15 09:00"))
    return Bulletin.objects.create(
        month=dt.date.fromisoformat(f"{month}-01"),
        version=version,
        status=Bulletin.Status.PUBLISHED if published else Bulletin.Status.DRAFT,
        data=data,
        commentary={"overview": "综述"},
        drafted_at=when,
        published_at=when + dt.timedelta(days=version) if published else None,
        corrects=corrects,
        correction_note="更正榆林市产量" if version > 1 else "",
    )


def lines() -> list[dict]:
    return [
        {
            "indicator": "CN-A-OLD",
            "tonnes": 50000,
            "dismantling_start": dt.date(2027, 1, 1),
            "dismantling_due": dt.date(2027, 12, 31),
        }
    ]


class World:
    """One of each: published and not."""

    def __init__(self, personas) -> None:
        dept = personas.department
        al = Aluminium(personas)
        self.draft_scheme = al.draft(title=f"{UNPUBLISHED}方案", capacity=50000, lines=lines())
        self.notice = al.draft(title="榆林公示方案", capacity=50000, lines=lines())
        capacity.submit_scheme(personas.ent_a, self.notice)
        capacity.publish_scheme(dept, self.notice)
        self.submitted = al.draft(title=f"{UNPUBLISHED}已报送方案", capacity=50000, lines=lines())
        capacity.submit_scheme(personas.ent_a, self.submitted)

        enf = Enforcement(personas)
        campaign = enf.campaign()
        enf.order(enf.inspect(enf.case_a(campaign), passed=False))
        self.announcement = enforcement.draft_announcement(dept, "rectification_list", campaign=campaign)
        enforcement.publish_announcement(dept, self.announcement)
        enforcement.edit_announcement(dept, self.announcement, title=self.announcement.title, body=UNPUBLISHED)
        self.draft_announcement = enforcement.draft_announcement(dept, "survey_result", campaign=campaign)
        enforcement.edit_announcement(
            dept, self.draft_announcement, title=f"{UNPUBLISHED}公告", body=self.draft_announcement.body
        )

        self.credit_list = credit.derive_edition(dept, year=2025, as_of=dt.date(2025, 12, 31))
        credit.publish_edition(dept, self.credit_list, document="陕工信发〔2026〕3号")
        self.credit_draft = credit.derive_edition(
            dept, year=2026, as_of=dt.date(2026, 6, 30), title=f"{UNPUBLISHED}信贷名单"
        )

        self.may = bulletin("2020-05")
        self.june = bulletin("2020-06")
        self.june_v2 = bulletin("2020-06", version=2, corrects=self.june)
        self.july_draft = bulletin("2020-07", published=False, title=f"{UNPUBLISHED}月报")


@pytest.fixture
def world(personas) -> World:
    return World(personas)
