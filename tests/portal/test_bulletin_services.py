"""The bulletin's services: capabilities, audit events, refusals with their reasons, the correction flow."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.portal.bulletin_sample import accept_reports, sample_content  # noqa: F401  (fixture)
from youse.core.models import AuditEvent
from youse.portal.bulletin import services
from youse.portal.models import Bulletin

pytestmark = pytest.mark.django_db

JUNE = dt.date(2020, 6, 1)


@pytest.fixture
def ready(personas, sample_content):  # noqa: F811
    accept_reports(personas, JUNE)
    return personas


def events(bulletin: Bulletin) -> list[str]:
    return [
        (e.after or {}).get("event", e.action)
        for e in AuditEvent.objects.filter(object_id=str(bulletin.pk), content_type__model="bulletin").order_by("pk")
    ]


def publish(p, bulletin: Bulletin, overview: str = "6月全省有色金属行业运行平稳。") -> Bulletin:
    services.edit_commentary(p.department, bulletin, {"overview": overview})
    return services.publish_bulletin(p.department, bulletin)


def test_the_department_drafts_writes_and_publishes_with_an_audit_event_for_each_step(ready):
    p = ready
    bulletin = services.draft_bulletin(p.department, "2020-06")
    assert bulletin.is_draft and bulletin.version == 1 and bulletin.drafted_by == p.department
    assert bulletin.data["title"] == "陕西省有色金属行业产能监测预警月报（2020年第6期）"
    services.edit_commentary(p.department, bulletin, {"overview": "  全省运行平稳。 ", "production": "产量增长。"})
    bulletin = services.refresh_draft(p.department, bulletin)
    published = services.publish_bulletin(p.department, bulletin)
    assert published.is_published and published.published_by == p.department and published.published_at
    assert published.commentary == {"overview": "全省运行平稳。", "production": "产量增长。"}
    assert events(published) == ["drafted", "commentary", "refreshed", "published"]
    assert AuditEvent.objects.get(after__event="drafted", object_id=str(published.pk)).actor == p.department


@pytest.mark.parametrize("persona", ["environment", "city", "ent_a"])
def test_only_the_department_manages_bulletins_and_a_refusal_is_audited(ready, persona):
    p = ready
    with pytest.raises(PermissionDenied):
        services.draft_bulletin(p.users[persona], JUNE)
    assert not Bulletin.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=p.users[persona]).exists()
    bulletin = services.draft_bulletin(p.department, JUNE)
    for call in (
        lambda: services.edit_commentary(p.users[persona], bulletin, {"overview": "x"}),
        lambda: services.publish_bulletin(p.users[persona], bulletin),
        lambda: services.discard_draft(p.users[persona], bulletin),
    ):
        # An enterprise does not even see a draft: 404, not 403.
        with pytest.raises(Exception) as caught:
            call()
        assert caught.type.__name__ in ("PermissionDenied", "Http404")
    bulletin.refresh_from_db()
    assert bulletin.is_draft and bulletin.commentary == {}


def test_it_refuses_a_month_without_accepted_reports(personas, sample_content):  # noqa: F811
    with pytest.raises(ValidationError) as caught:
        services.draft_bulletin(personas.department, "2020-06")
    assert "No report for 2020-06 has been accepted" in str(caught.value.message_dict["month"])
    assert sample_content == []  # nothing was computed


def test_it_refuses_a_second_draft_and_a_fresh_draft_of_a_published_month(ready):
    p = ready
    bulletin = services.draft_bulletin(p.department, JUNE)
    with pytest.raises(ValidationError, match="already has a draft"):
        services.draft_bulletin(p.department, JUNE)
    publish(p, bulletin)
    with pytest.raises(ValidationError, match="start a correction"):
        services.draft_bulletin(p.department, JUNE)
    assert Bulletin.objects.count() == 1


def test_it_refuses_to_publish_without_an_overview_and_leaves_the_draft(ready):
    p = ready
    bulletin = services.draft_bulletin(p.department, JUNE)
    services.edit_commentary(p.department, bulletin, {"production": "只有分节评述。"})
    with pytest.raises(ValidationError) as caught:
        services.publish_bulletin(p.department, bulletin)
    assert "overview" in caught.value.message_dict
    bulletin.refresh_from_db()
    assert bulletin.is_draft and bulletin.published_at is None


def test_commentary_refuses_unknown_sections_and_long_text_naming_the_key(ready):
    p = ready
    bulletin = services.draft_bulletin(p.department, JUNE)
    with pytest.raises(ValidationError) as caught:
        services.edit_commentary(
            p.department, bulletin, {"nonsense": "x", "production": "长" * (services.MAX_SECTION + 1)}
        )
    assert set(caught.value.message_dict) == {"nonsense", "production"}
    services.edit_commentary(p.department, bulletin, {"overview": "综述" * 10})
    services.edit_commentary(p.department, bulletin, {"overview": ""})  # empty text removes it
    bulletin.refresh_from_db()
    assert bulletin.commentary == {}


def test_a_published_bulletin_refuses_every_change(ready):
    p = ready
    bulletin = publish(p, services.draft_bulletin(p.department, JUNE))
    for call in (
        lambda: services.edit_commentary(p.department, bulletin, {"overview": "改"}),
        lambda: services.refresh_draft(p.department, bulletin),
        lambda: services.publish_bulletin(p.department, bulletin),
        lambda: services.discard_draft(p.department, bulletin),
    ):
        with pytest.raises(ValidationError, match="published"):
            call()
    bulletin.refresh_from_db()
    assert bulletin.commentary == {"overview": "6月全省有色金属行业运行平稳。"}


def test_a_correction_is_the_next_version_and_the_published_one_stays_until_it_is_published(ready):
    p = ready
    v1 = publish(p, services.draft_bulletin(p.department, JUNE))
    with pytest.raises(ValidationError) as caught:
        services.start_correction(p.department, v1, "  ")
    assert "correction_note" in caught.value.message_dict
    v2 = services.start_correction(p.department, v1, "宝鸡市6月产量按核定数更正。")
    assert (v2.version, v2.status, v2.corrects, v2.data, v2.commentary) == (2, "draft", v1, v1.data, v1.commentary)
    assert services.current(JUNE) == v1
    with pytest.raises(ValidationError, match="already has a draft"):
        services.start_correction(p.department, v1, "again")
    services.edit_commentary(p.department, v2, {"overview": "更正后的综述。"})
    services.publish_bulletin(p.department, v2)
    assert services.current(JUNE) == v2
    assert list(Bulletin.objects.current_published()) == [v2]
    with pytest.raises(ValidationError, match="newest version"):
        services.start_correction(p.department, v1, "from the old one")
    assert events(v2) == ["correction", "commentary", "published"]
    v1.refresh_from_db()
    assert v1.is_published and v1.commentary == {"overview": "6月全省有色金属行业运行平稳。"}


def test_discarding_a_correction_draft_leaves_the_published_version(ready):
    p = ready
    v1 = publish(p, services.draft_bulletin(p.department, JUNE))
    v2 = services.start_correction(p.department, v1, "更正")
    services.discard_draft(p.department, v2)
    assert list(Bulletin.objects.all()) == [v1]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, object_id=str(v2.pk)).exists()
    assert services.start_correction(p.department, v1, "更正").version == 2


def test_a_failing_computation_leaves_no_draft(ready, monkeypatch):
    p = ready

    def broken(month):
        raise RuntimeError("figures unavailable")

    monkeypatch.setattr(services, "build_content", broken)
    with pytest.raises(RuntimeError):
        services.draft_bulletin(p.department, JUNE)
    assert not Bulletin.objects.exists()
    assert not AuditEvent.objects.filter(after__event="drafted").exists()
