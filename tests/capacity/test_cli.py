"""`youse capacity check|audit|summary`: the rule report as JSON and as a table with its exit status, and the
journal audit on a sound ledger and on one whose holdings were changed behind the journal's back."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.db import connection, connections, transaction

from youse.capacity.models import CapacityIndicator


def run(*args: str) -> tuple[str, int]:
    """Run `youse capacity ...` and return its standard output and its exit status."""
    out = StringIO()
    try:
        call_command("capacity", *args, stdout=out)
    except CommandError as exc:
        return out.getvalue(), exc.returncode
    return out.getvalue(), 0


def exit_status(capsys, monkeypatch, *args: str) -> int:
    """The status the shell sees: through Django's command line, as `youse` runs it."""
    # The command line closes every connection when a command ends; here that would end the test's own
    # transaction (on PostgreSQL), so the connection is left open.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["youse", "capacity", *args])
        raise SystemExit(0)
    capsys.readouterr()
    return exc.value.code


def test_check_json_prints_the_report_and_exits_0_when_every_rule_passes(al):
    scheme = al.draft()
    out, status = run("check", str(scheme.pk), "--json")
    assert status == 0
    report = json.loads(out)
    assert report["scheme"] == scheme.code and report["id"] == scheme.pk and report["state"] == "draft"
    assert report["passed"] is True
    assert {"ratio", "energy"} <= {r["code"] for r in report["results"]}
    assert all({"code", "title", "citation", "passed", "why"} <= set(r) for r in report["results"])


def test_check_finds_a_scheme_by_its_number(al):
    scheme = al.draft()
    out, status = run("check", scheme.code, "--json")
    assert status == 0 and json.loads(out)["id"] == scheme.pk


def test_check_exits_1_with_the_failing_rule_when_a_rule_fails(al):
    scheme = al.draft(capacity=200000)  # 150000 t of exits for 200000 t new: below one for one
    out, status = run("check", scheme.code, "--json")
    assert status == 1
    report = json.loads(out)
    assert report["passed"] is False
    failed = [r for r in report["results"] if not r["passed"]]
    assert [r["code"] for r in failed] == ["ratio"]
    assert failed[0]["why"] and failed[0]["citation"]


def test_check_prints_a_table_by_default(al):
    scheme = al.draft(energy_kwh_per_t="13600")
    out, status = run("check", str(scheme.pk))
    assert status == 1
    assert scheme.code in out
    assert "FAIL" in out and "pass" in out
    assert "Energy threshold for new lines" in out and "13600" in out


def test_check_says_all_rules_pass(al):
    out, status = run("check", str(al.draft().pk))
    assert status == 0 and "rules pass" in out and "FAIL" not in out


@pytest.mark.parametrize("ref", ["999999", "ZH-1999-001", "nonsense"])
def test_check_exits_2_for_an_unknown_scheme(al, ref):
    out, status = run("check", ref, "--json")
    assert status == 2 and out == ""


def test_the_shell_sees_the_exit_statuses(al, capsys, monkeypatch):
    good, bad = al.draft(), al.draft(capacity=200000)
    assert exit_status(capsys, monkeypatch, "check", good.code, "--json") == 0
    assert exit_status(capsys, monkeypatch, "check", bad.code, "--json") == 1
    assert exit_status(capsys, monkeypatch, "check", "ZH-0000-000") == 2


def test_audit_of_a_sound_ledger_prints_one_ok_line(al):
    out, status = run("audit")
    assert status == 0
    assert out.strip().splitlines() == ["OK: 3 indicators; every journal replays to its holdings."]


def test_audit_finds_tonnes_moved_behind_the_journals_back(al):
    # The CHECK constraints hold (the holdings still sum to the indicator's tonnes): only the journal knows.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE capacity_capacityindicator SET available_t = available_t - 50000, reserved_t = reserved_t + 50000"
            " WHERE code = %s",
            ["CN-A-OLD"],
        )
    ind = CapacityIndicator.objects.get(code="CN-A-OLD")
    assert (ind.available_t, ind.reserved_t) == (100000, 50000)
    out, status = run("audit")
    assert status == 1
    lines = out.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("CN-A-OLD:")
    assert "available" in lines[0] and "reserved" in lines[0]


def test_summary_prints_the_totals_per_holding(al):
    out, status = run("summary", "--json")
    assert status == 0
    totals = json.loads(out)
    assert totals["indicators"] == 3 and totals["tonnes"] == 450000
    assert (totals["active"], totals["available"], totals["reserved"]) == (200000, 250000, 0)
    out, _ = run("summary")
    assert "250,000" in out and "450,000" in out and "transferred_out" in out
