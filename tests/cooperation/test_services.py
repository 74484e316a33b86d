"""The services of overseas projects: who may do what, the rules applied, the audit trail, nothing
half-written."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tests.cooperation.conftest import PARTNERS, filed, project_data
from youse.cooperation import services
from youse.cooperation.models import OverseasProject, Partner, Review, StatusChange
from youse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def events(project, action=None):
    qs = AuditEvent.objects.filter(object_id=str(project.pk), content_type__model="overseasproject")
    return qs.filter(action=action) if action else qs


def test_it_registers_a_draft_with_partners_and_audits_it(personas):
    p = services.create_project(personas.ent_a, personas.enterprise_a, project_data(), PARTNERS)
    assert p.filing == "draft" and p.status == "planned" and p.currency == "USD"
    assert p.code.startswith("JW-")
    assert list(p.partners.values_list("side", "name")) == [(x["side"], x["name"]) for x in PARTNERS]
    event = events(p, AuditEvent.Action.CREATE).get()
    assert event.actor == personas.ent_a and event.after["partners"][0]["name"] == "Kazakh Aluminium JSC"


def test_the_city_registers_for_its_own_enterprises_only(personas):
    p = services.create_project(personas.city, personas.enterprise_a, project_data())
    assert p.enterprise == personas.enterprise_a
    with pytest.raises(Http404):
        services.create_project(personas.city, personas.enterprise_b, project_data())
    assert not OverseasProject.objects.filter(enterprise=personas.enterprise_b).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=personas.city).exists()


def test_an_enterprise_cannot_register_for_another(personas):
    with pytest.raises(Http404):
        services.create_project(personas.ent_a, personas.enterprise_b, project_data())


def test_a_provincial_unit_may_not_register(personas):
    with pytest.raises(PermissionDenied):
        services.create_project(personas.environment, personas.enterprise_a, project_data())


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"mode": "holding", "equity_share": "50"}, "equity_share"),
        ({"mode": "stake", "equity_share": "51"}, "equity_share"),
        ({"total_investment": "-1"}, "total_investment"),
        ({"chinese_investment": "13000"}, "chinese_investment"),
        ({"construction_started_on": dt.date(2022, 1, 1)}, "construction_started_on"),
        ({"country": "XX"}, "country"),
        ({"metal": "Unobtainium"}, "metal"),
        ({"status": "approved"}, "ndrc_filing_no"),
        ({"status": "exited"}, "status"),
        ({"equity_share": "abc"}, "equity_share"),
        ({"name": ""}, "name"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_writes_nothing(personas, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.create_project(personas.ent_a, personas.enterprise_a, project_data(**overrides), PARTNERS)
    assert field in exc.value.message_dict
    assert not OverseasProject.objects.exists() and not Partner.objects.exists()


def test_a_partner_needs_a_side(personas):
    with pytest.raises(ValidationError) as exc:
        services.create_project(personas.ent_a, personas.enterprise_a, project_data(), [{"name": "X", "side": ""}])
    assert "partners[1]" in exc.value.message_dict
    assert not OverseasProject.objects.exists()


def test_it_runs_the_registration_draft_submit_return_submit_file(personas):
    dep = personas.department
    p = services.create_project(personas.ent_a, personas.enterprise_a, project_data(chinese_investment=""))
    services.update_project(personas.ent_a, p, {"chinese_investment": "7000"}, PARTNERS)
    p.refresh_from_db()
    assert p.chinese_investment == Decimal("7000") and p.partners.count() == 2
    services.submit_project(personas.ent_a, p)
    with pytest.raises(ValidationError):
        services.update_project(personas.ent_a, p, {"name": "改名"})
    with pytest.raises(ValidationError) as exc:
        services.return_project(dep, p, "")
    assert "reason" in exc.value.message_dict
    services.return_project(dep, p, "缺少发改委备案通知书")
    p.refresh_from_db()
    assert p.filing == "returned" and p.return_reason == "缺少发改委备案通知书"
    services.update_project(personas.ent_a, p, {"status": "approved", "ndrc_filing_no": "陕发改外资备〔2024〕7号"})
    services.submit_project(personas.ent_a, p)
    services.file_project(dep, p)
    p.refresh_from_db()
    assert p.filing == "filed" and p.register_no.startswith("SXJW-") and p.return_reason == ""
    first = StatusChange.objects.get(project=p)
    assert first.status_from == "" and first.status_to == "approved"
    names = [e.after.get("event") for e in events(p, AuditEvent.Action.TRANSITION).order_by("id")]
    assert names == ["submitted", "returned", "submitted", "filed"]


def test_only_the_department_files_and_returns(personas):
    p = services.create_project(personas.ent_a, personas.enterprise_a, project_data())
    services.submit_project(personas.ent_a, p)
    for user in (personas.city, personas.ent_a, personas.environment):
        with pytest.raises(PermissionDenied):
            services.file_project(user, p)
        with pytest.raises(PermissionDenied):
            services.return_project(user, p, "x")
    p.refresh_from_db()
    assert p.filing == "submitted"


def test_a_submission_needs_the_investment(personas):
    p = services.create_project(personas.ent_a, personas.enterprise_a, project_data(total_investment=""))
    with pytest.raises(ValidationError) as exc:
        services.submit_project(personas.ent_a, p)
    assert "total_investment" in exc.value.message_dict
    p.refresh_from_db()
    assert p.filing == "draft"


def test_progress_moves_the_status_along_allowed_transitions(personas):
    p = filed(
        personas, personas.enterprise_a, personas.ent_a, status="approved", ndrc_filing_no="陕发改外资备〔2023〕3号"
    )
    services.report_progress(
        personas.ent_a, p, {"status": "construction", "on": dt.date(2024, 2, 1), "invested": "3000"}
    )
    p.refresh_from_db()
    assert p.status == "construction" and p.construction_started_on == dt.date(2024, 2, 1)
    assert p.invested == Decimal("3000")
    with pytest.raises(ValidationError) as exc:
        services.report_progress(personas.ent_a, p, {"status": "planned", "on": dt.date(2024, 3, 1)})
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.report_progress(personas.ent_a, p, {"status": "operating", "on": dt.date(2024, 1, 1)})
    assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.report_progress(personas.ent_a, p, {"on": dt.date(2024, 3, 1), "invested": "-5"})
    assert "invested" in exc.value.message_dict
    services.report_progress(personas.city, p, {"status": "operating", "on": dt.date(2024, 12, 1), "note": "投产"})
    p.refresh_from_db()
    assert p.status == "operating" and p.operation_started_on == dt.date(2024, 12, 1)
    assert list(p.status_changes.values_list("status_to", flat=True)) == ["approved", "construction", "operating"]
    assert events(p).filter(after__event="progress").count() == 2


def test_progress_needs_a_filed_project_in_scope(personas, projects):
    with pytest.raises(ValidationError):
        services.report_progress(personas.ent_a, projects.draft, {"status": "approved", "on": dt.date(2024, 1, 1)})
    with pytest.raises(Http404):
        services.report_progress(personas.ent_b, projects.a, {"note": "x", "on": dt.date(2024, 1, 1)})
    with pytest.raises(Http404):
        services.report_progress(personas.city, projects.b, {"note": "x", "on": dt.date(2024, 1, 1)})
    with pytest.raises(PermissionDenied):
        services.report_progress(personas.environment, projects.a, {"note": "x", "on": dt.date(2024, 1, 1)})


def test_a_review_sets_the_risk_level_once_a_year(personas, projects):
    p = projects.a
    data = {
        "year": 2024,
        "reviewed_on": dt.date(2025, 3, 1),
        "reviewer": "省工信厅对外合作处",
        "risk_level": "high",
        "findings": "东道国出台资源出口限制",
    }
    review = services.record_review(personas.department, p, data)
    p.refresh_from_db()
    assert review.year == 2024 and p.risk_level == "high"
    with pytest.raises(ValidationError) as exc:
        services.record_review(personas.department, p, data)
    assert "year" in exc.value.message_dict
    # An older year's review does not overwrite the latest level.
    services.record_review(personas.department, p, {**data, "year": 2023, "risk_level": "low"})
    p.refresh_from_db()
    assert p.risk_level == "high" and Review.objects.filter(project=p).count() == 2
    with pytest.raises(PermissionDenied):
        services.record_review(personas.city, p, {**data, "year": 2022})
    with pytest.raises(ValidationError):
        services.record_review(personas.department, projects.draft, data)


def test_the_department_flags_with_a_reason(personas, projects):
    p = projects.b
    with pytest.raises(ValidationError):
        services.flag_project(personas.department, p, True, "")
    services.flag_project(personas.department, p, True, "东道国政局变化")
    p.refresh_from_db()
    assert p.flagged and p.flag_reason == "东道国政局变化"
    with pytest.raises(PermissionDenied):
        services.flag_project(personas.ent_b, p, False)
    services.flag_project(personas.department, p, False)
    p.refresh_from_db()
    assert not p.flagged and events(p).filter(after__event="unflagged").exists()
