"""Deriving, overriding and publishing the list: each criterion excludes the enterprise it should, for the
reason it should; published editions are final; every step is audited and all-or-nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.credit.conftest import AS_OF, Cast
from youse.core import audit
from youse.core.models import AuditEvent
from youse.credit import services
from youse.credit.models import Criterion, Edition, Entry

pytestmark = pytest.mark.django_db


def _events(obj, **kwargs):
    return audit.history(obj).filter(**kwargs)


def _entry(edition, enterprise) -> Entry:
    return edition.entries.get(enterprise=enterprise)


def _reason(entry: Entry, code: str) -> str:
    return next(r["reason"] for r in entry.results if r["code"] == code)


def test_it_includes_the_enterprise_that_meets_every_criterion(edition, cast):
    a = _entry(edition, cast.p.enterprise_a)
    assert a.included and a.derived_included and a.failed == ""
    assert [r["code"] for r in a.results] == list(Criterion.objects.values_list("code", flat=True))
    assert _reason(a, "backbone") == "2020 main business revenue 7.20 亿元 ≥ 5 亿元 (12 accepted monthly reports)"
    assert a.city.code == "610800" and a.metal.code == "Mg"


@pytest.mark.parametrize(
    ("who", "code", "reason"),
    [
        ("enterprise_b", "backbone", "2020 main business revenue 1.20 亿元 < 5 亿元 (12 accepted monthly reports)"),
        ("closed", "in-business", "Closed in the registry"),
        ("not_inspected", "norms", "Not inspected against the industry norms"),
        ("failed", "norms", "Latest inspection on 2019-10-01"),
        ("ordered", "no-open-order", "Rectification order HZ-2020-001 overdue, not rectified (deadline 2020-06-30)"),
        ("smoky", "no-exceedance", "2 exceedance alarms since 2019-12-31 (SO2 ×2)"),
        ("violator", "no-capacity-violation", "Open capacity violation since 2020-05-20"),
        ("closing", "no-closure", "decided on 2020-10-20 陕工信发〔2020〕99号"),
    ],
)
def test_it_excludes_each_enterprise_for_the_criterion_it_fails(edition, cast, who, code, reason):
    enterprise = getattr(cast.p, who, None) or getattr(cast, who)
    entry = _entry(edition, enterprise)
    assert not entry.included and not entry.derived_included
    assert entry.failed_codes() == [code]
    assert reason in _reason(entry, code)


def test_it_leaves_out_enterprises_without_a_policy_metal_or_founded_later(edition, cast):
    names = set(edition.entries.values_list("name", flat=True))
    assert cast.copper.name not in names and cast.young.name not in names
    assert edition.entries.count() == 9


def test_it_judges_facts_as_of_the_date_only(cast):
    # As of mid-2020 the order was still within its deadline, the closure and the alarms still to come.
    ed = services.derive_edition(cast.department, year=2020, as_of=dt.date(2020, 6, 1))
    assert "open (deadline 2020-06-30)" in _reason(_entry(ed, cast.ordered), "no-open-order")
    assert _entry(ed, cast.closing).results[-1]["passed"]
    assert _reason(_entry(ed, cast.smoky), "no-exceedance") == "No exceedance alarm since 2019-06-01"
    # Revenue is judged by the last full year of statistics, 2019 here: none were filed.
    assert _reason(_entry(ed, cast.p.enterprise_a), "backbone") == "No accepted annual statistics to judge revenue by"


def test_it_passes_an_order_rectified_before_the_date(cast):
    reinspection = cast.inspect(cast.ordered, dt.date(2020, 7, 15), "pass")
    reinspection.order = cast.order
    reinspection.save()
    cast.order.state = "closed"
    cast.order.save()
    ed = services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert _entry(ed, cast.ordered).included


def test_it_counts_a_key_group_as_a_backbone(cast):
    b = cast.p.enterprise_b
    type(b).objects.filter(pk=b.pk).update(group_name="宝鸡钛业集团")
    Criterion.objects.filter(code="backbone").update(params={"min_revenue_yi": 5, "key_groups": ["宝鸡钛业集团"]})
    ed = services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert _entry(ed, b).included
    assert "宝鸡钛业集团" in _reason(_entry(ed, b), "backbone")


def test_it_applies_only_active_criteria_and_records_them(cast):
    Criterion.objects.filter(code="backbone").update(active=False)
    ed = services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert "backbone" not in [c["code"] for c in ed.criteria]
    assert _entry(ed, cast.p.enterprise_b).included


def test_it_derives_with_a_fixed_number_of_queries(personas):
    cast = Cast(personas)

    def derive(year: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.derive_edition(cast.department, year=year, as_of=dt.date(year, 12, 31))
        return len(ctx.captured_queries)

    few = derive(2020)
    for i in range(12):
        cast.enterprise(f"扩展示范铝业{i}有限公司", "610800", "Al")
    many = derive(2021)
    assert few == many, (few, many)


def test_it_stays_within_its_query_budget(cast, django_assert_max_num_queries):
    with django_assert_max_num_queries(30):
        services.derive_edition(cast.department, year=2020, as_of=AS_OF)


def test_it_audits_the_derivation(edition, cast):
    event = _events(edition, action=AuditEvent.Action.CREATE).get()
    assert event.after["entries"] == 9 and event.after["included_count"] == 1


def test_it_refuses_dates_that_contradict(cast):
    with pytest.raises(ValidationError) as exc:
        services.derive_edition(cast.department, year=2020, as_of=dt.date(2018, 12, 31))
    assert "as_of" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.derive_edition(cast.department, year=2099, as_of=dt.date(2099, 1, 1))
    assert "as_of" in exc.value.message_dict
    assert not Edition.objects.exists()


def test_it_refuses_to_derive_without_criteria(cast):
    Criterion.objects.update(active=False)
    with pytest.raises(ValidationError) as exc:
        services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert "criteria" in exc.value.message_dict


@pytest.mark.parametrize("who", ["city", "ent_a", "environment"])
def test_it_lets_only_the_department_derive(cast, who):
    with pytest.raises(PermissionDenied):
        services.derive_edition(cast.p.users[who], year=2020, as_of=AS_OF)
    assert not Edition.objects.exists()


def test_it_overrides_an_entry_with_a_reason(edition, cast):
    b = _entry(edition, cast.p.enterprise_b)
    with pytest.raises(ValidationError) as exc:
        services.override_entry(cast.department, b, included=True, reason=" ")
    assert "reason" in exc.value.message_dict
    services.override_entry(cast.department, b, included=True, reason="省金融办意见：高端钛材重点企业")
    b.refresh_from_db()
    assert b.included and not b.derived_included and b.override_reason.startswith("省金融办")
    event = _events(b, action=AuditEvent.Action.UPDATE).get()
    assert event.before["included"] is False and event.after["included"] is True
    assert event.reason.startswith("省金融办")
    # Back to the rules' result.
    services.override_entry(cast.department, b, included=None, reason="意见撤回")
    b.refresh_from_db()
    assert not b.included and b.override_included is None


def test_it_refuses_an_override_that_changes_nothing(edition, cast):
    a = _entry(edition, cast.p.enterprise_a)
    with pytest.raises(ValidationError):
        services.override_entry(cast.department, a, included=True, reason="重复")


def test_it_keeps_overrides_when_the_draft_is_derived_again(edition, cast):
    b = _entry(edition, cast.p.enterprise_b)
    services.override_entry(cast.department, b, included=True, reason="保留")
    again = services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert again.pk == edition.pk and again.number == 1
    b2 = _entry(again, cast.p.enterprise_b)
    assert b2.included and b2.override_reason == "保留"


def test_it_publishes_and_then_refuses_every_change(published, cast):
    assert published.status == "published" and published.document == "陕工信函〔2021〕1号"
    assert published.published_at is not None
    b = _entry(published, cast.p.enterprise_b)
    with pytest.raises(ValidationError) as exc:
        services.override_entry(cast.department, b, included=True, reason="晚了")
    assert "edition" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.publish_edition(cast.department, published, document="再发")
    b.refresh_from_db()
    assert not b.included
    assert _events(published, action=AuditEvent.Action.TRANSITION).count() == 1


def test_it_requires_a_document_to_publish(edition, cast):
    with pytest.raises(ValidationError) as exc:
        services.publish_edition(cast.department, edition, document="")
    assert "document" in exc.value.message_dict
    edition.refresh_from_db()
    assert edition.status == "draft"


def test_it_withdraws_an_enterprise_only_by_a_new_edition(published, cast):
    a = _entry(published, cast.p.enterprise_a)
    second = services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert second.pk != published.pk and second.number == 2 and second.status == "draft"
    services.override_entry(cast.department, _entry(second, cast.p.enterprise_a), included=False, reason="发现违规")
    services.publish_edition(cast.department, second, document="陕工信函〔2021〕2号")
    published.refresh_from_db()
    second.refresh_from_db()
    assert published.status == "superseded" and second.supersedes_id == published.pk
    a.refresh_from_db()
    assert a.included  # the first edition stays as it was published
    assert not _entry(second, cast.p.enterprise_a).included


def test_it_carries_the_overrides_into_a_new_edition(edition, cast):
    services.override_entry(cast.department, _entry(edition, cast.p.enterprise_b), included=True, reason="保留")
    services.publish_edition(cast.department, edition, document="一号")
    second = services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert _entry(second, cast.p.enterprise_b).override_reason == "保留"


def test_it_leaves_nothing_half_written_when_publishing_fails(edition, cast, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError):
        services.publish_edition(cast.department, edition, document="一号")
    edition.refresh_from_db()
    assert edition.status == "draft" and edition.document == ""


def test_it_refuses_to_derive_with_a_criterion_whose_parameters_are_wrong(cast):
    Criterion.objects.filter(code="no-exceedance").update(params={"months": "soon"})
    with pytest.raises(ValidationError) as exc:
        services.derive_edition(cast.department, year=2020, as_of=AS_OF)
    assert "no-exceedance" in exc.value.message_dict["criteria"][0]
