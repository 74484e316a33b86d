"""The scheme workflow through the service functions, with the ledger checked at each step."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from youse.capacity import ledger, services
from youse.capacity.models import CapacityIndicator, LedgerEntry
from youse.registry.models import ProductionUnit


def held(code: str) -> dict:
    ind = CapacityIndicator.objects.get(code=code)
    assert ledger.replay(ind) == {h: ind.held(h) for h in ledger.rules.Holding}
    return {h["code"]: h["tonnes"] for h in ind.holdings}


def test_it_registers_indicators_in_the_holding_their_unit_implies(al):
    assert held("CN-A-RUN") == {"active": 200000}
    assert held("CN-A-OLD") == {"available": 150000}
    assert held("CN-B-SALE") == {"available": 100000}


def test_it_reserves_on_submission_and_consumes_on_approval(al, personas):
    scheme = al.draft()
    assert held("CN-A-OLD") == {"available": 150000}
    services.submit_scheme(personas.ent_a, scheme)
    assert held("CN-A-OLD") == {"reserved": 150000}
    services.publish_scheme(personas.department, scheme, published_on=dt.date(2026, 9, 21))
    # From Monday 21 September: 25-27 Sep and 1-7 Oct are holidays; Saturday 10 Oct is a working day, the 10th.
    assert (scheme.notice_start, scheme.notice_end) == (dt.date(2026, 9, 21), dt.date(2026, 10, 10))
    assert services.end_notices(dt.date(2026, 10, 10)) == 0
    assert services.end_notices(dt.date(2026, 10, 11)) == 1
    scheme.refresh_from_db()
    services.approve_scheme(personas.department, scheme, document="陕工信发〔2026〕1号")
    assert held("CN-A-OLD") == {"consumed": 150000}
    new = CapacityIndicator.objects.get(scheme=scheme)
    assert held(new.code) == {"active": 150000}
    assert ProductionUnit.objects.get(pk=scheme.new_unit_id).status == "approved"


def test_it_refuses_a_second_scheme_for_the_same_tonnes(al, personas):
    first = al.draft()
    second = al.draft()
    services.submit_scheme(personas.ent_a, first)
    with pytest.raises(ValidationError) as err:
        services.submit_scheme(personas.ent_a, second)
    assert "CN-A-OLD" in str(err.value)
    assert held("CN-A-OLD") == {"reserved": 150000}


def test_withdrawal_releases(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.withdraw_scheme(personas.ent_a, scheme, reason="项目调整")
    assert held("CN-A-OLD") == {"available": 150000}
    assert LedgerEntry.objects.filter(indicator__code="CN-A-OLD").count() == 3


def test_an_upheld_objection_cuts_tonnes_and_sends_the_scheme_back(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    services.publish_scheme(personas.department, scheme)
    objection = services.file_objection(None, scheme, {"name": "张三", "contact": "13800000000", "text": "2万吨不合规"})
    line = scheme.exit_lines.get()
    services.decide_objection(
        personas.department, objection, upheld=True, finding="2万t 未列入清理整顿名单", cut_line=line, cut_tonnes=20000
    )
    scheme.refresh_from_db()
    assert scheme.state == "draft"
    assert held("CN-A-OLD") == {"available": 130000, "ineligible": 20000}
    with pytest.raises(ValidationError):
        services.submit_scheme(personas.ent_a, scheme)  # claims 150000, only 130000 left
    report = services.check_scheme(scheme)
    assert not report.passed and "130,000" in report.failures[0].why or "130,000" in str(report.as_dict())


def test_an_enterprise_cannot_approve(al, personas):
    scheme = al.draft()
    services.submit_scheme(personas.ent_a, scheme)
    with pytest.raises(PermissionDenied):
        services.publish_scheme(personas.ent_a, scheme)


def test_the_journal_refuses_updates(al):
    entry = LedgerEntry.objects.first()
    entry.tonnes = 1
    with pytest.raises(TypeError):
        entry.save()
    from django.db import IntegrityError, connection, transaction

    with pytest.raises((IntegrityError, Exception)), transaction.atomic(), connection.cursor() as cur:
        cur.execute("UPDATE capacity_ledgerentry SET tonnes = 1 WHERE id = %s", [entry.pk])
    assert timezone.now()
