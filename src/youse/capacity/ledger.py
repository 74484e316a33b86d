"""The one function that moves tonnes: `move()`. Everything else in the capacity app calls it.

A move is one conditional UPDATE of the indicator's holding columns,

    UPDATE capacity_capacityindicator SET available_t = available_t - 1000, reserved_t = reserved_t + 1000
    WHERE id = 7 AND available_t >= 1000

followed by the journal entry, both in the caller's transaction. The UPDATE is the claim: on PostgreSQL
the row lock makes a concurrent claim wait and then re-read the row (READ COMMITTED re-evaluates the
WHERE on the new version), so of two transactions claiming the same tonnes one updates a row and the
other none; on SQLite, IMMEDIATE transactions take the write lock first. The CHECK constraints on the
columns (non-negative, summing to the indicator's tonnes) are the backstop that no code path can skip.
Callers must already hold a transaction; `move()` refuses to run outside one."""

import datetime as dt

from django.db import connection, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.capacity import rules
from youse.capacity.models import CapacityIndicator, LedgerEntry


class LedgerConflict(Exception):
    """The tonnes are no longer where the move expected them (another scheme claimed them first)."""

    def __init__(self, indicator: CapacityIndicator, source: str, wanted: int, present: int):
        self.indicator, self.source, self.wanted, self.present = indicator, source, wanted, present
        super().__init__(
            _("%(code)s: %(wanted)s t wanted from %(source)s, but only %(present)s t are there now")
            % {"code": indicator.code, "wanted": f"{wanted:,}", "source": source, "present": f"{present:,}"}
        )


def move(
    indicator: CapacityIndicator,
    kind: str,
    source: str | None,
    target: str,
    tonnes: int,
    *,
    actor=None,
    scheme=None,
    exit_line=None,
    effective_on: dt.date | None = None,
    document: str = "",
    note: str = "",
) -> LedgerEntry:
    rules.check_move(kind, source, target, tonnes)
    if not connection.in_atomic_block:
        raise RuntimeError("capacity.ledger.move() must run inside the caller's transaction")
    fields = CapacityIndicator.HOLDING_FIELDS
    target_field = fields[rules.Holding(target)]
    qs = CapacityIndicator.objects.filter(pk=indicator.pk)
    changes = {target_field: F(target_field) + tonnes}
    if source:
        source_field = fields[rules.Holding(source)]
        qs = qs.filter(**{f"{source_field}__gte": tonnes})
        changes[source_field] = F(source_field) - tonnes
    changes["updated_at"] = timezone.now()
    if qs.update(**changes) != 1:
        present = CapacityIndicator.objects.filter(pk=indicator.pk).values_list(source_field, flat=True).first()
        raise LedgerConflict(indicator, source or "", tonnes, present or 0)
    # The row is now locked by this transaction, so the next sequence number is ours alone.
    last = LedgerEntry.objects.filter(indicator=indicator).aggregate(m=Max("seq"))["m"] or 0
    entry = LedgerEntry.objects.create(
        indicator=indicator,
        seq=last + 1,
        kind=kind,
        source=source or "",
        target=target,
        tonnes=tonnes,
        scheme=scheme,
        exit_line=exit_line,
        effective_on=effective_on or timezone.localdate(),
        document=document,
        note=note,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    indicator.refresh_from_db(fields=list(fields.values()) + ["updated_at"])
    return entry


def replay(indicator: CapacityIndicator) -> dict[rules.Holding, int]:
    """The holdings as the journal tells them (for checks and tests; the columns must agree)."""
    entries = LedgerEntry.objects.filter(indicator=indicator).order_by("seq").values_list("source", "target", "tonnes")
    return rules.holdings_from_journal(rules.Entry(s or None, t, n) for s, t, n in entries)


def discrepancies() -> list[str]:
    """Indicators whose columns disagree with their journal: empty on a sound ledger (`youse capacity audit`)."""
    problems = []
    with transaction.atomic():
        for ind in CapacityIndicator.objects.all().iterator():
            journal = replay(ind)
            columns = {h: ind.held(h) for h in rules.Holding}
            if journal != columns:
                diff = {h.value: (columns[h], journal[h]) for h in rules.Holding if columns[h] != journal[h]}
                problems.append(f"{ind.code}: columns vs journal {diff}")
    return problems
