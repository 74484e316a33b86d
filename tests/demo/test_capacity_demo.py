"""The demo's aluminium capacity ledger (youse.demo.capacity), built once at scale 1 without the monthly
reports (they do not change the ledger), and rolled back after the module."""

import struct
import zlib

import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from youse.capacity import ledger, services
from youse.capacity.models import (
    CapacityIndicator,
    CapacityViolation,
    DismantlingEvidence,
    ExitLine,
    Objection,
    ReplacementScheme,
)
from youse.core.models import AuditEvent
from youse.demo import capacity as demo_capacity
from youse.demo import generator
from youse.demo.models import DemoDataset
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats import facts


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media)
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generator.build(42, 1, reports=False)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_a_failure_after_the_ledger_leaves_the_database_as_it_was(db, monkeypatch, settings, tmp_path):
    # First in the module: it needs the empty database, before the module's demo is built.
    settings.MEDIA_ROOT = tmp_path
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    real = demo_capacity.build

    def build_then_fail(*args, **kwargs):
        real(*args, **kwargs)
        assert CapacityIndicator.objects.exists() and ReplacementScheme.objects.exists()
        raise RuntimeError("disk full")

    monkeypatch.setattr(generator.demo_capacity, "build", build_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        generator.build(42, 1, reports=False)
    assert not Enterprise.objects.exists()
    assert not CapacityIndicator.objects.exists() and not ReplacementScheme.objects.exists()
    assert not AuditEvent.objects.exists() and not DemoDataset.objects.exists()


def test_every_electrolysis_unit_is_in_the_ledger_and_the_ledger_balances(db, demo):
    assert ledger.discrepancies() == []
    units = ProductionUnit.objects.filter(facts.ELECTROLYSIS, status__in=["operating", "construction"])
    assert units.count() >= 3
    for unit in units:
        assert CapacityIndicator.objects.filter(unit=unit, active_t__gt=0).exists(), unit.name
    for ind in CapacityIndicator.objects.all():
        assert ledger.replay(ind) == {h: ind.held(h) for h in ledger.rules.Holding}
    held = {h: sum(ind.held(h) for ind in CapacityIndicator.objects.all()) for h in ledger.rules.Holding}
    # Something in every holding the story needs: running, free, claimed, used, cut or never compliant.
    assert all(held[h] > 0 for h in ("active", "available", "reserved", "consumed", "ineligible"))


def test_closed_capacity_includes_an_elimination_announcement_and_a_transfer_in(db, demo):
    assert CapacityIndicator.objects.filter(basis="elimination", announced=True, unit=None).count() >= 2
    transferred = CapacityIndicator.objects.get(basis="transfer_in")
    assert transferred.transfer_reference and transferred.origin_province == "内蒙古自治区"


def test_a_scheme_is_in_public_notice_now(db, demo):
    scheme = ReplacementScheme.objects.get(state="notice")
    assert services.notice_open(scheme)
    assert scheme.notice_start <= timezone.localdate() <= scheme.notice_end
    assert {line.indicator.code: line.reserved_t for line in scheme.exit_lines.all()} == {"CN-NM-01": 150000}


def test_an_upheld_objection_cut_2万t_and_sent_its_scheme_back(db, demo):
    objection = Objection.objects.get(status="upheld")
    assert objection.cut_tonnes == 20000
    assert objection.filed_at.date() < objection.decided_at.date()
    scheme = objection.scheme
    assert scheme.state == "draft" and scheme.returned_reason
    assert scheme.code.startswith("ZH-2024-")
    held = {h["code"]: h["tonnes"] for h in objection.cut_line.indicator.holdings}
    assert held == {"available": 130000, "ineligible": 20000}


def test_a_historical_scheme_was_approved_announced_and_dismantled(db, demo):
    scheme = ReplacementScheme.objects.get(code__startswith="ZH-2023-")
    assert scheme.state == "announced"
    assert scheme.decided_at.year == scheme.announced_at.year == 2023
    line = scheme.exit_lines.get()
    assert line.dismantled_on and line.status == "consumed"
    evidence = DismantlingEvidence.objects.get(exit_line=line)
    assert evidence.content_type == "image/png"
    new = CapacityIndicator.objects.get(scheme=scheme)
    assert new.active_t == scheme.capacity_t and new.unit.status == "construction"


def test_one_exit_line_is_overdue_for_dismantling(db, demo):
    overdue = ExitLine.objects.filter(overdue_since__isnull=False, dismantled_on=None)
    assert overdue.count() == 1
    line = overdue.get()
    assert line.scheme.state in ("approved", "announced")
    assert line.dismantling_due < timezone.localdate()


def test_the_department_has_a_violation_to_answer(db, demo):
    case = CapacityViolation.objects.get(status="open")
    assert case.kind == "uncovered_unit"
    assert case.tonnes == 50000
    assert case.enterprise.name.startswith("榆林示范铝镁")


def test_the_counts_and_the_audit_trail_include_the_ledger(db, demo):
    counts = DemoDataset.objects.get().counts
    assert counts["capacity_indicators"] == CapacityIndicator.objects.count()
    assert counts["capacity_schemes"] == ReplacementScheme.objects.count() == 4
    assert counts["capacity_violations"] == 1
    assert counts["units"] == ProductionUnit.objects.count()
    assert not AuditEvent.objects.exclude(channel=AuditEvent.Channel.DEMO).exists()


def test_the_dismantling_photo_is_a_well_formed_png():
    data = demo_capacity.png()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, kinds = 8, []
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        if kind == b"IDAT":
            assert len(zlib.decompress(body)) == 2  # one row: filter byte and one grey pixel
        kinds.append(kind)
        pos += 12 + length
    assert kinds == [b"IHDR", b"IDAT", b"IEND"]
