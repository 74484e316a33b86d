"""Many submissions claiming the same tonnes at the same moment, on PostgreSQL: exactly as many win as the
tonnes allow, every loser is told which indicator ran out, a loser keeps nothing it claimed on the way,
and the journal still replays to the holding columns.

Each submission runs in its own thread with its own database connection, all released together by a
barrier, so the claims really meet at the row lock. SQLite serialises writers at BEGIN (IMMEDIATE
transactions), so there is no race there to test: the module is skipped on it."""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from youse.capacity import ledger, services
from youse.capacity.models import CapacityIndicator, LedgerEntry, ReplacementScheme
from youse.capacity.rules import Holding

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent claims need PostgreSQL (run with DATABASE_URL=postgresql://..., as make test does)",
    ),
    # Transactional: each thread's connection must see the committed ledger, and the winners' commits.
    # serialized_rollback: the flush afterwards would otherwise take the reference data with it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DUE = "2027-12-31"


def race(actor, schemes: list[ReplacementScheme]) -> dict[int, object]:
    """Submit every scheme at once, one thread each; the outcome per scheme: "ok" or the exception."""
    barrier = threading.Barrier(len(schemes))
    outcome: dict[int, object] = {}

    def submit(scheme: ReplacementScheme) -> None:
        try:
            barrier.wait(timeout=60)
            services.submit_scheme(actor, scheme)
            outcome[scheme.pk] = "ok"
        except Exception as exc:  # kept for the assertions, whatever it is
            outcome[scheme.pk] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=submit, args=(s,)) for s in schemes]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a submission hung: a lock was never released"
    return outcome


def assert_ledger_sound() -> None:
    for ind in CapacityIndicator.objects.all():
        assert ledger.replay(ind) == {h: ind.held(h) for h in Holding}, ind.code
    assert ledger.discrepancies() == []


def split(outcome: dict[int, object]) -> tuple[list[int], dict[int, Exception]]:
    winners = [pk for pk, result in outcome.items() if result == "ok"]
    losers = {pk: result for pk, result in outcome.items() if result != "ok"}
    unexpected = {pk: repr(exc) for pk, exc in losers.items() if not isinstance(exc, ValidationError)}
    assert not unexpected, f"submissions failed otherwise than by refusal: {unexpected}"
    return winners, losers


def assert_losers_hold_nothing(losers: dict[int, Exception]) -> None:
    for scheme in ReplacementScheme.objects.filter(pk__in=losers):
        assert scheme.state == "draft"
        assert [line.reserved_t for line in scheme.exit_lines.all()] == [0] * scheme.exit_lines.count()
    assert not LedgerEntry.objects.filter(scheme_id__in=losers).exists()


def test_eight_claims_on_the_same_150000_t_leave_exactly_one_winner(al, personas):
    schemes = [al.draft() for _ in range(8)]  # each claims all 150000 t of CN-A-OLD
    outcome = race(personas.ent_a, schemes)
    winners, losers = split(outcome)
    assert len(winners) == 1, outcome
    assert len(losers) == 7
    for exc in losers.values():
        assert "CN-A-OLD" in str(exc)
    old = CapacityIndicator.objects.get(code="CN-A-OLD")
    assert (old.reserved_t, old.available_t) == (150000, 0)
    winner = ReplacementScheme.objects.get(pk=winners[0])
    assert winner.state == "submitted"
    assert [line.reserved_t for line in winner.exit_lines.all()] == [old.reserved_t]
    reserve = LedgerEntry.objects.filter(indicator=old, kind="reserve")
    assert [(e.scheme_id, e.tonnes) for e in reserve] == [(winner.pk, 150000)]
    assert_losers_hold_nothing(losers)
    assert_ledger_sound()


def test_five_claims_of_60000_t_on_150000_t_leave_exactly_two_winners(al, personas):
    line = {"indicator": "CN-A-OLD", "tonnes": 60000, "dismantling_due": DUE}
    schemes = [al.draft(capacity=60000, lines=[line]) for _ in range(5)]
    winners, losers = split(race(personas.ent_a, schemes))
    assert len(winners) == 2 and len(losers) == 3
    for exc in losers.values():
        assert "CN-A-OLD" in str(exc)
    old = CapacityIndicator.objects.get(code="CN-A-OLD")
    assert (old.reserved_t, old.available_t) == (120000, 30000)
    held_by_winners = sum(x.reserved_t for x in ReplacementScheme.objects.get(pk=winners[0]).exit_lines.all()) + sum(
        x.reserved_t for x in ReplacementScheme.objects.get(pk=winners[1]).exit_lines.all()
    )
    assert held_by_winners == old.reserved_t
    assert_losers_hold_nothing(losers)
    assert_ledger_sound()


def test_a_claim_on_two_indicators_is_all_or_nothing(al, personas):
    # 50000 t from each: CN-B-SALE (100000 t) allows two schemes, CN-A-OLD (150000 t) three. A loser may
    # reserve CN-A-OLD first and then find CN-B-SALE gone: its first claim must roll back with it.
    lines = [
        {"indicator": "CN-A-OLD", "tonnes": 50000, "dismantling_due": DUE},
        {"indicator": "CN-B-SALE", "tonnes": 50000, "dismantling_due": DUE},
    ]
    schemes = [al.draft(capacity=100000, lines=lines, route="purchase") for _ in range(6)]
    winners, losers = split(race(personas.ent_a, schemes))
    assert len(winners) == 2 and len(losers) == 4
    for exc in losers.values():
        assert "CN-B-SALE" in str(exc) or "CN-A-OLD" in str(exc)
    old, sale = CapacityIndicator.objects.get(code="CN-A-OLD"), CapacityIndicator.objects.get(code="CN-B-SALE")
    assert (old.reserved_t, old.available_t) == (100000, 50000)
    assert (sale.reserved_t, sale.available_t) == (100000, 0)
    reserved_by = Counter(LedgerEntry.objects.filter(kind="reserve").values_list("scheme_id", flat=True))
    assert reserved_by == {pk: 2 for pk in winners}
    assert_losers_hold_nothing(losers)
    assert_ledger_sound()
