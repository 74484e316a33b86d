"""The bulletin model: a published version never changes (model, queryset and database trigger on both
engines), one draft a month, the current published version per month, and who sees which rows."""

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from tests.portal.bulletin_sample import sample
from youse.core import scopes
from youse.portal.models import Bulletin, BulletinImmutable, month_of

pytestmark = pytest.mark.django_db

JUNE = dt.date(2020, 6, 1)


def make(month=JUNE, version=1, status="draft", **extra) -> Bulletin:
    published = {"published_at": timezone.now()} if status == "published" else {}
    return Bulletin.objects.create(
        month=month,
        version=version,
        status=status,
        data=sample(month.strftime("%Y-%m")),
        commentary={"overview": "综述"},
        drafted_at=timezone.now(),
        **published,
        **extra,
    )


def test_it_refuses_a_raw_sql_update_of_a_published_row_on_this_engine():
    bulletin = make(status="published")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE portal_bulletin SET commentary = %s WHERE id = %s", ['{"overview": "x"}', bulletin.pk])
    bulletin.refresh_from_db()
    assert bulletin.commentary == {"overview": "综述"}


def test_it_lets_raw_sql_change_a_draft_and_publish_it():
    bulletin = make()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_bulletin SET commentary = %s WHERE id = %s", ['{"overview": "y"}', bulletin.pk])
        cursor.execute(
            "UPDATE portal_bulletin SET status = 'published', published_at = %s WHERE id = %s",
            [timezone.now(), bulletin.pk],
        )
    bulletin.refresh_from_db()
    assert bulletin.is_published and bulletin.commentary == {"overview": "y"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite refuses deletes in the model (migration 0002)")
def test_postgresql_refuses_a_raw_delete_of_a_published_row():
    bulletin = make(status="published")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM portal_bulletin WHERE id = %s", [bulletin.pk])
    assert Bulletin.objects.filter(pk=bulletin.pk).exists()


def test_the_model_and_queryset_refuse_to_change_or_delete_a_published_row():
    bulletin = make(status="published")
    bulletin.commentary = {"overview": "changed"}
    with pytest.raises(BulletinImmutable):
        bulletin.save()
    with pytest.raises(BulletinImmutable):
        bulletin.delete()
    with pytest.raises(BulletinImmutable):
        Bulletin.objects.filter(pk=bulletin.pk).update(commentary={})
    with pytest.raises(BulletinImmutable):
        Bulletin.objects.all().delete()
    assert Bulletin.objects.get(pk=bulletin.pk).commentary == {"overview": "综述"}


def test_a_draft_can_be_changed_and_deleted():
    bulletin = make()
    bulletin.commentary = {"overview": "新"}
    bulletin.save()
    bulletin.delete()
    assert not Bulletin.objects.exists()


def test_one_draft_a_month_and_one_row_per_version():
    make()
    with pytest.raises(IntegrityError), transaction.atomic():
        make(version=2, correction_note="更正")
    with pytest.raises(IntegrityError), transaction.atomic():
        make(version=1, status="published")


def test_a_correction_needs_its_note():
    make(status="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        make(version=2)


def test_current_published_is_the_newest_published_version_of_each_month():
    v1 = make(status="published")
    v2 = make(version=2, status="published", correction_note="更正产量", corrects=v1)
    make(version=3, correction_note="再次更正", corrects=v2)  # a draft
    may = make(month=dt.date(2020, 5, 1), status="published")
    make(month=dt.date(2020, 7, 1))  # a draft only
    assert list(Bulletin.objects.current_published()) == [v2, may]
    assert v2.get_absolute_url() == "/public/bulletins/2020-06/v2/"
    assert v1.issue_label == "2020年第6期"
    assert v1.title == "陕西省有色金属行业产能监测预警月报（2020年第6期）"


@pytest.mark.parametrize(
    ("persona", "sees_draft"),
    [
        ("department", True),
        ("environment", True),
        ("city", True),
        ("ent_a", False),
        ("ent_b", False),
        ("anonymous", False),
    ],
)
def test_regulators_see_drafts_and_everyone_else_published_bulletins_only(personas, persona, sees_draft):
    published = make(status="published")
    draft = make(month=dt.date(2020, 7, 1))
    user = personas.users[persona] if persona != "anonymous" else None
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    seen = set(scopes.visible(user, Bulletin))
    assert published in seen
    assert (draft in seen) is sees_draft


@pytest.mark.parametrize("text", ["2020-13", "2020/06", "june", "", "2020-6-1"])
def test_month_of_refuses_what_is_not_a_month(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        month_of(text)
