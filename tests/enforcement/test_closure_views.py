"""Closure, resettlement, land and announcement pages per persona: what each sees, which forms it gets, and
that every change reaches the services (the resettlement gate refuses execution until the plan passes)."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from youse.enforcement import services
from youse.enforcement.models import Announcement, Closure, ResettlementOutcome
from youse.registry.models import ProductionUnit

PERSONAS = ("department", "environment", "city", "ent_a", "ent_b", "anonymous")
DECISION = {
    "basis": "复查仍不合格，依据二(八)",
    "document": "陕工信发〔2026〕9号",
    "decided_on": "2026-05-20",
    "effective_on": "2026-06-30",
}
PLAN = {
    "headcount_contract": "120",
    "headcount_dispatched": "",
    "headcount_near_retirement": "15",
    "headcount_other": "",
    "measures": "内部转岗、协议保留劳动关系",
    "cost": "800",
    "schedule": "2026年6月底前完成",
    "funding_amount": "850",
    "funding_source": "企业自筹及省级专项奖补资金",
    "congress_date": "2026-06-01",
    "votes_for": "101",
    "votes_total": "130",
}


def proposed_closure(enf, personas) -> Closure:
    """Inspected, ordered, reported done, failed again at re-inspection: the case escalates to a closure."""
    case = enf.case_a()
    order = enf.order(enf.inspect(case, passed=False))
    services.start_order(personas.ent_a, order)
    services.report_done(personas.ent_a, order, report="已补办", reported_on=dt.date(2026, 5, 1))
    enf.inspect(case, passed=False, on=dt.date(2026, 5, 10), order=order)
    return Closure.objects.get(case=case)


def decided_closure(enf, personas) -> Closure:
    closure = proposed_closure(enf, personas)
    data = {**DECISION, "decided_on": dt.date(2026, 5, 20), "effective_on": dt.date(2026, 6, 30)}
    return services.decide_closure(personas.department, closure, {**data, "units": [personas.unit_a.pk]})


def minutes_pdf(name="职代会决议.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4\n%minutes of the workers' congress\n", content_type="application/pdf")


def executed_closure(enf, personas) -> Closure:
    closure = decided_closure(enf, personas)
    plan = {
        "headcount": {"contract": 120, "near_retirement": 15},
        **{k: PLAN[k] for k in ("measures", "cost", "schedule", "funding_amount", "funding_source")},
        "congress_date": dt.date(2026, 6, 1),
        "votes_for": 101,
        "votes_total": 130,
    }
    services.save_resettlement_plan(personas.ent_a, closure, plan, minutes=[minutes_pdf()])
    return services.execute_closure(personas.department, closure, executed_on=dt.date(2026, 7, 1))


def url(name: str, *args) -> str:
    return reverse(f"enforcement:{name}", args=args)


def checks(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-check="(\w+)" data-passed="(true|false)"', html))


# --- Who sees what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "listed", "detail"),
    [
        ("department", True, 200),
        ("environment", True, 200),
        ("city", True, 200),
        ("ent_a", True, 200),
        ("ent_b", False, 404),
    ],
)
def test_closure_pages_per_persona(enf, personas, persona, listed, detail):
    closure = decided_closure(enf, personas)
    client = personas.client(persona)
    page = client.get(url("closure-list"))
    assert page.status_code == 200
    assert (f'data-closure="{closure.pk}"' in page.content.decode()) is listed
    assert client.get(url("closure-detail", closure.pk)).status_code == detail
    assert client.get(url("closure-plan", closure.pk)).status_code == detail
    assert client.get(url("announcement-list")).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(enf, personas):
    closure = proposed_closure(enf, personas)
    client = personas.client("anonymous")
    for target in (url("closure-list"), url("closure-detail", closure.pk), url("closure-plan", closure.pk),
                   url("announcement-list")):  # fmt: skip
        response = client.get(target)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.post(url("closure-action", closure.pk, "decide"), DECISION).status_code == 302
    assert Closure.objects.get(pk=closure.pk).state == "proposed"


@pytest.mark.parametrize("persona", ["environment", "city", "ent_a"])
def test_only_the_department_gets_the_decide_form(enf, personas, persona):
    closure = proposed_closure(enf, personas)
    html = personas.client(persona).get(url("closure-detail", closure.pk)).content.decode()
    assert 'id="decide-form"' not in html and 'id="withdraw-form"' not in html
    assert 'id="decide-form"' in personas.client("department").get(url("closure-detail", closure.pk)).content.decode()


def test_the_environment_department_reads_but_changes_nothing(enf, personas):
    closure = decided_closure(enf, personas)
    client = personas.client("environment")
    html = client.get(url("closure-detail", closure.pk)).content.decode()
    assert 'id="resettlement-gate"' in html
    assert 'id="plan-edit"' not in html and 'id="execute-form"' not in html
    assert 'id="plan-form"' not in client.get(url("closure-plan", closure.pk)).content.decode()
    assert client.post(url("closure-plan", closure.pk), PLAN).status_code == 403
    assert client.post(url("closure-action", closure.pk, "execute"), {"executed_on": "2026-07-01"}).status_code == 403


# --- Deciding -----------------------------------------------------------------------------------------------


def test_the_department_decides_through_the_form(enf, personas):
    closure = proposed_closure(enf, personas)
    client = personas.client("department")
    html = client.get(url("closure-detail", closure.pk)).content.decode()
    assert f'value="{personas.unit_a.pk}"' in html and "皮江法炼镁一线" in html
    # A magnesium unit: no aluminium capacity to exclude from replacement, so no such checkbox.
    assert "capacity_ineligible" not in html
    response = client.post(url("closure-action", closure.pk, "decide"), {**DECISION, "units": [personas.unit_a.pk]})
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.state == "decided" and closure.document == DECISION["document"]
    assert list(closure.units.values_list("pk", flat=True)) == [personas.unit_a.pk]
    assert closure.case.status == "closing"


def test_the_decide_form_shows_the_services_refusal(enf, personas):
    closure = proposed_closure(enf, personas)
    response = personas.client("department").post(
        url("closure-action", closure.pk, "decide"),
        {**DECISION, "units": [personas.unit_a.pk], "decided_on": "2026-06-01", "effective_on": "2026-05-01"},
    )
    assert response.status_code == 400
    assert "Units cannot close before the decision" in response.content.decode()
    assert Closure.objects.get(pk=closure.pk).state == "proposed"


def test_a_unit_of_another_enterprise_cannot_be_chosen(enf, personas):
    closure = proposed_closure(enf, personas)
    response = personas.client("department").post(
        url("closure-action", closure.pk, "decide"), {**DECISION, "units": [personas.unit_b.pk]}
    )
    assert response.status_code == 400
    assert Closure.objects.get(pk=closure.pk).state == "proposed"


def test_a_city_cannot_decide(enf, personas):
    closure = proposed_closure(enf, personas)
    response = personas.client("city").post(
        url("closure-action", closure.pk, "decide"), {**DECISION, "units": [personas.unit_a.pk]}
    )
    assert response.status_code == 403
    assert Closure.objects.get(pk=closure.pk).state == "proposed"


def test_the_department_withdraws_with_a_reason(enf, personas):
    closure = proposed_closure(enf, personas)
    client = personas.client("department")
    assert client.post(url("closure-action", closure.pk, "withdraw"), {"reason": ""}).status_code == 400
    assert client.post(url("closure-action", closure.pk, "withdraw"), {"reason": "复查后已整改"}).status_code == 302
    assert Closure.objects.get(pk=closure.pk).state == "withdrawn"


def test_the_department_sees_proposals_first(enf, personas):
    decided = executed_closure(enf, personas)
    other = services.propose_closure(
        personas.department,
        services.open_case(
            personas.department,
            {"enterprise": personas.enterprise_b, "source": "complaint", "dimensions": ["safety"],
             "summary": "拒绝检查"},
        ),
        reason="拒不接受检查",
    )  # fmt: skip
    html = personas.client("department").get(url("closure-list")).content.decode()
    assert html.index(f'data-closure="{other.pk}"') < html.index(f'data-closure="{decided.pk}"')


# --- The resettlement gate -----------------------------------------------------------------------------------


def test_the_gate_fails_three_ways_and_execution_is_refused(enf, personas):
    closure = decided_closure(enf, personas)
    client = personas.client("department")
    html = client.get(url("closure-detail", closure.pk)).content.decode()
    assert 'data-gate="failed"' in html
    assert checks(html) == {"funding": "false", "complete": "false", "approved": "false"}
    assert html.count("No staff resettlement plan has been recorded.") >= 3
    execute = re.search(r'<form[^>]*id="execute-form".*?</form>', html, re.S).group(0)
    assert re.search(r'<button class="btn btn-danger btn-sm" type="submit" disabled', execute)
    # The button is only a hint: the service refuses anyway, and the page says why.
    response = client.post(url("closure-action", closure.pk, "execute"), {"executed_on": "2026-07-01"})
    assert response.status_code == 400
    assert "No staff resettlement plan has been recorded." in response.content.decode()
    assert Closure.objects.get(pk=closure.pk).state == "decided"
    assert ProductionUnit.objects.get(pk=personas.unit_a.pk).status == "operating"


def test_the_plan_form_completes_the_gate_and_the_closure_executes(enf, personas):
    closure = decided_closure(enf, personas)
    ent = personas.client("ent_a")
    assert 'id="plan-form"' in ent.get(url("closure-plan", closure.pk)).content.decode()
    # Without the minutes two checks pass; the third names what is missing.
    assert ent.post(url("closure-plan", closure.pk), PLAN).status_code == 302
    html = ent.get(url("closure-detail", closure.pk)).content.decode()
    assert checks(html) == {"funding": "true", "complete": "true", "approved": "false"}
    assert "The minutes of the vote are not uploaded." in html
    assert ent.post(url("closure-plan", closure.pk), {**PLAN, "minutes": minutes_pdf()}).status_code == 302
    html = personas.client("department").get(url("closure-detail", closure.pk)).content.decode()
    assert 'data-gate="passed"' in html and set(checks(html).values()) == {"true"}
    assert "职代会决议.pdf" in html and "Staff on labour contracts" in html
    response = personas.client("department").post(
        url("closure-action", closure.pk, "execute"), {"executed_on": "2026-07-01"}
    )
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.state == "executed" and closure.executed_on == dt.date(2026, 7, 1)
    assert ProductionUnit.objects.get(pk=personas.unit_a.pk).status == "exited"


def test_the_minutes_are_served_to_those_who_see_the_closure(enf, personas):
    closure = decided_closure(enf, personas)
    personas.client("ent_a").post(url("closure-plan", closure.pk), {**PLAN, "minutes": minutes_pdf()})
    ev = closure.case.evidence.get(purpose="minutes")
    response = personas.client("city").get(url("closure-file", closure.pk, ev.pk))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert personas.client("ent_b").get(url("closure-file", closure.pk, ev.pk)).status_code == 404


def test_minutes_are_judged_by_content_not_name(enf, personas):
    closure = decided_closure(enf, personas)
    fake = SimpleUploadedFile("纪要.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = personas.client("ent_a").post(url("closure-plan", closure.pk), {**PLAN, "minutes": fake})
    assert response.status_code == 400
    assert "is not a JPEG, PNG or PDF file" in response.content.decode()
    assert not closure.case.evidence.exists()


def test_an_enterprise_fills_its_own_plan_but_not_anothers(enf, personas):
    closure = decided_closure(enf, personas)
    assert personas.client("ent_b").post(url("closure-plan", closure.pk), PLAN).status_code == 404
    assert not hasattr(Closure.objects.get(pk=closure.pk), "resettlement")
    assert personas.client("ent_a").post(url("closure-plan", closure.pk), PLAN).status_code == 302
    assert Closure.objects.get(pk=closure.pk).resettlement.headcount == {"contract": 120, "near_retirement": 15}


def test_a_city_records_the_plan_of_its_enterprise(enf, personas):
    closure = decided_closure(enf, personas)
    assert personas.client("city").post(url("closure-plan", closure.pk), PLAN).status_code == 302
    assert Closure.objects.get(pk=closure.pk).resettlement.funding_source == PLAN["funding_source"]


# --- Outcomes and land ------------------------------------------------------------------------------------------


def test_outcomes_are_recorded_and_charted_against_the_plan(enf, personas):
    closure = executed_closure(enf, personas)
    client = personas.client("ent_a")
    response = client.post(
        url("closure-action", closure.pk, "outcome"),
        {"as_of": "2026-08-31", "reemployed": "80", "retrained": "20", "retired": "15", "supported": "0"},
    )
    assert response.status_code == 302
    html = client.get(url("closure-detail", closure.pk)).content.decode()
    assert 'id="outcome-table"' in html and "85%" in html  # 115 of 135
    assert re.search(r'id="ys-outcome-data"[^>]*>.*"data": \[135\]', html)
    refused = client.post(
        url("closure-action", closure.pk, "outcome"),
        {"as_of": "2026-09-30", "reemployed": "200", "retrained": "0", "retired": "0", "supported": "0"},
    )
    assert refused.status_code == 400 and "More people than the plan" in refused.content.decode()
    assert ResettlementOutcome.objects.count() == 1


def test_land_is_disposed_of_after_execution_with_the_transition_date(enf, personas):
    closure = executed_closure(enf, personas)
    client = personas.client("city")
    assert 'id="land-form"' in client.get(url("closure-detail", closure.pk)).content.decode()
    assert 'id="land-form"' not in personas.client("ent_a").get(url("closure-detail", closure.pk)).content.decode()
    land = {"route": "conversion", "area_m2": "52000", "decided_on": "2026-07-10", "new_use": "物流园区"}
    response = client.post(url("closure-action", closure.pk, "land"), land)
    assert response.status_code == 400 and "A conversion needs its date." in response.content.decode()
    response = client.post(url("closure-action", closure.pk, "land"), {**land, "converted_on": "2026-08-01"})
    assert response.status_code == 302
    html = client.get(url("closure-detail", closure.pk)).content.decode()
    assert re.search(r"data-transition-until>2031-08-01<", html)
    assert personas.client("ent_a").post(url("closure-action", closure.pk, "land"), land).status_code == 403


def test_no_land_form_before_execution(enf, personas):
    closure = decided_closure(enf, personas)
    html = personas.client("department").get(url("closure-detail", closure.pk)).content.decode()
    assert 'id="land-form"' not in html
    land = {"route": "transfer", "decided_on": "2026-07-10"}
    response = personas.client("department").post(url("closure-action", closure.pk, "land"), land)
    assert response.status_code == 400


# --- Announcements ----------------------------------------------------------------------------------------------


def test_announcements_are_drafted_edited_and_published_by_the_department(enf, personas):
    closure = decided_closure(enf, personas)
    client = personas.client("department")
    html = client.get(url("announcement-list")).content.decode()
    assert f'data-draft-closure="{closure.pk}"' in html and 'data-kind="survey_result"' in html
    response = client.post(url("announcement-draft"), {"kind": "closure", "closure": closure.pk})
    ann = Announcement.objects.get(closure=closure)
    assert response.status_code == 302 and response["Location"] == url("announcement-detail", ann.pk)
    assert "陕工信发〔2026〕9号" in ann.body
    edited = {"title": ann.title, "body": ann.body + "\n特此公告。"}
    assert client.post(url("announcement-detail", ann.pk), edited).status_code == 302
    assert client.post(url("announcement-publish", ann.pk), {"correction_note": ""}).status_code == 302
    ann.refresh_from_db()
    assert ann.published_at is not None and ann.versions.count() == 1
    # A correction needs a note and a change.
    changed = {"title": ann.title, "body": ann.body.replace("2026-06-30", "2026-07-31")}
    client.post(url("announcement-detail", ann.pk), changed)
    refused = client.post(url("announcement-publish", ann.pk), {"correction_note": ""})
    assert refused.status_code == 400 and "A correction must say what it corrects." in refused.content.decode()
    assert client.post(url("announcement-publish", ann.pk), {"correction_note": "更正关停期限"}).status_code == 302
    html = client.get(url("announcement-detail", ann.pk)).content.decode()
    assert 'data-version="1"' in html and 'data-version="2"' in html and "更正关停期限" in html
    listed = client.get(url("announcement-list")).content.decode()
    assert re.search(rf'data-announcement="{ann.pk}">.*?<td class="text-end">2</td>', listed, re.S)


def test_campaign_announcements_are_drafted_from_the_campaign(enf, personas):
    campaign = enf.campaign()
    enf.order(enf.inspect(enf.case_a(campaign), passed=False))
    client = personas.client("department")
    client.post(url("announcement-draft"), {"kind": "rectification_list", "campaign": campaign.pk})
    client.post(url("announcement-draft"), {"kind": "survey_result", "campaign": campaign.pk})
    kinds = set(Announcement.objects.filter(campaign=campaign).values_list("kind", flat=True))
    assert kinds == {"rectification_list", "survey_result"}


@pytest.mark.parametrize("persona", ["environment", "city", "ent_a"])
def test_only_the_department_drafts_and_publishes(enf, personas, persona):
    closure = decided_closure(enf, personas)
    ann = services.draft_announcement(personas.department, "closure", closure=closure)
    client = personas.client(persona)
    assert client.post(url("announcement-draft"), {"kind": "closure", "closure": closure.pk}).status_code == 403
    assert client.post(url("announcement-publish", ann.pk), {}).status_code == 403
    page = client.get(url("announcement-detail", ann.pk))
    assert page.status_code == 200 and 'id="publish-form"' not in page.content.decode()
    assert client.post(url("announcement-detail", ann.pk), {"title": "x", "body": "y"}).status_code == 403
    assert Announcement.objects.get(pk=ann.pk).published_at is None


def test_an_enterprise_never_sees_anothers_announcement_drafts(enf, personas):
    closure = decided_closure(enf, personas)
    ann = services.draft_announcement(personas.department, "closure", closure=closure)
    assert personas.client("ent_b").get(url("announcement-detail", ann.pk)).status_code == 404
    assert ann.title not in personas.client("ent_b").get(url("announcement-list")).content.decode()
