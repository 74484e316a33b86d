"""The monthly report's life cycle through its service functions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from youse.core.models import AuditEvent
from youse.stats import services
from youse.stats.models import MonthlyReport, ReportRevision

MAY = dt.date(2024, 5, 1)


def figures(**overrides):
    data = {
        "value_added": "1200",
        "revenue": "5200",
        "profit": "-30",
        "energy_tce": "5400",
        "electricity_kwh": "3100000",
        "employees": 320,
    }
    data.update(overrides)
    return data


def line(unit, **overrides):
    data = {"unit": unit.pk, "output_t": "3500", "output_value": "6300"}
    data.update(overrides)
    return data


def test_it_walks_a_report_from_draft_to_accepted(personas):
    p = personas
    report = services.save_report(p.ent_a, p.enterprise_a, MAY, figures(), [line(p.unit_a)])
    assert report.status == "draft" and report.current.main_metal.code == "Mg"
    services.submit_report(p.ent_a, report)
    services.accept_report(p.city, report)
    assert report.status == "city_accepted" and report.accepted is None
    services.accept_report(p.department, report)
    assert report.status == "accepted" and report.accepted == report.current
    actions = list(AuditEvent.objects.filter(content_type__model="monthlyreport").values_list("action", flat=True))
    assert actions.count("transition") == 3


def test_it_returns_a_report_with_its_reason_and_lets_the_enterprise_resubmit(personas):
    p = personas
    report = services.save_report(p.ent_a, p.enterprise_a, MAY, figures(), [line(p.unit_a)])
    services.submit_report(p.ent_a, report)
    with pytest.raises(ValidationError):
        services.return_report(p.city, report, "  ")
    services.return_report(p.city, report, "产值与上月差异过大，请核实")
    assert report.status == "returned"
    services.save_report(p.ent_a, p.enterprise_a, MAY, figures(value_added="1100"), [line(p.unit_a)])
    services.submit_report(p.ent_a, report)
    report.refresh_from_db()
    assert report.status == "submitted" and report.current.value_added == Decimal("1100")


def test_it_keeps_the_accepted_figures_counting_while_a_correction_is_open(personas):
    p = personas
    report = services.save_report(p.ent_a, p.enterprise_a, MAY, figures(), [line(p.unit_a)])
    services.submit_report(p.ent_a, report)
    services.accept_report(p.department, report)
    with pytest.raises(ValidationError):
        services.save_report(p.ent_a, p.enterprise_a, MAY, figures(value_added="999"), [line(p.unit_a)])
    services.start_correction(p.ent_a, report, "增加值口径调整")
    services.save_report(p.ent_a, p.enterprise_a, MAY, figures(value_added="999"), [line(p.unit_a)])
    report.refresh_from_db()
    assert report.accepted.value_added == Decimal("1200") and report.current.value_added == Decimal("999")
    services.submit_report(p.ent_a, report)
    services.accept_report(p.department, report)
    report.refresh_from_db()
    assert report.accepted.value_added == Decimal("999") and report.accepted.number == 2
    assert ReportRevision.objects.get(report=report, number=1).superseded


@pytest.mark.parametrize(
    ("fig", "lines_for", "field"),
    [
        ({"value_added": "-5"}, None, "value_added"),
        ({"employees": None}, None, "employees"),
        ({"revenue": "abc"}, None, "revenue"),
        ({"value_added": "9000"}, None, "value_added"),  # above the lines' output value
        ({}, {"output_t": "999999"}, "lines[0].output_t"),  # above the unit's monthly capacity
        ({}, {"al_liquid_t": "10"}, "lines[0].al_liquid_t"),  # not an electrolysis line
    ],
)
def test_it_refuses_implausible_figures_naming_the_field(personas, fig, lines_for, field):
    p = personas
    with pytest.raises(ValidationError) as exc_info:
        services.save_report(p.ent_a, p.enterprise_a, MAY, figures(**fig), [line(p.unit_a, **(lines_for or {}))])
    assert field in exc_info.value.message_dict
    assert not MonthlyReport.objects.exists()


def test_it_refuses_another_enterprises_unit_and_scope(personas):
    p = personas
    with pytest.raises(ValidationError) as exc_info:
        services.save_report(p.ent_a, p.enterprise_a, MAY, figures(), [line(p.unit_b)])
    assert "lines[0].unit" in exc_info.value.message_dict
    with pytest.raises(Http404):
        services.save_report(p.ent_a, p.enterprise_b, MAY, figures(), [line(p.unit_b)])
    report = services.save_report(p.ent_a, p.enterprise_a, MAY, figures(), [line(p.unit_a)])
    services.submit_report(p.ent_a, report)
    with pytest.raises(PermissionDenied):
        services.accept_report(p.ent_a, report)


def test_it_files_a_batch_all_or_nothing(personas):
    p = personas
    good = services.ReportInput(p.enterprise_a.pk, MAY, figures(), [line(p.unit_a)], source="rows 2-3")
    bad = services.ReportInput(
        p.enterprise_b.pk, MAY, figures(revenue="-1"), [line(p.unit_b, output_t="500")], source="rows 4-5"
    )
    result = services.file_reports(p.department, [good, bad])
    assert result.created == 0 and [(i.source, pr.field) for i, pr in result.problems] == [("rows 4-5", "revenue")]
    assert not MonthlyReport.objects.exists()
    ok = services.ReportInput(p.enterprise_b.pk, MAY, figures(), [line(p.unit_b, output_t="500")], source="rows 4-5")
    result = services.file_reports(p.department, [good, ok], status="accepted")
    assert (result.created, result.problems) == (2, [])
    report = MonthlyReport.objects.get(enterprise=p.enterprise_b)
    assert report.status == "accepted" and report.accepted.lines.get().output_t == Decimal("500")
    assert AuditEvent.objects.filter(content_type__model="monthlyreport", action="create").count() == 2


def test_it_lets_only_the_department_file_accepted_figures(personas):
    p = personas
    item = services.ReportInput(p.enterprise_a.pk, MAY, figures(), [line(p.unit_a)])
    with pytest.raises(PermissionDenied):
        services.file_reports(p.city, [item], status="accepted")
    result = services.file_reports(p.ent_b, [item])
    assert result.problems and result.problems[0][1].field == "enterprise"


def test_it_lets_the_department_edit_province_revenue_in_the_admin_with_an_audit_event(personas):
    from youse.stats.models import ProvinceRevenue

    client = personas.client("department")
    response = client.post(
        "/admin/stats/provincerevenue/add/",
        {
            "year": 2020,
            "province": "云南省",
            "revenue": "3600.50",
            "source": "中国有色金属工业年鉴 2021",
            "verified": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    row = ProvinceRevenue.objects.get(province="云南省")
    assert AuditEvent.objects.filter(
        content_type__model="provincerevenue", object_id=str(row.pk), action="create"
    ).exists()
    assert client.get("/admin/stats/monthlyreport/add/").status_code == 403
