"""Early warnings: the active WarningRules evaluated over the last complete periods (a `youse tick` duty).

A rule watches one indicator for every scope of a kind; when the indicator compares to the threshold in
each of the last `consecutive` periods, a warning is raised for the newest of them, with the values as
evidence. Raising is idempotent: one warning per rule, scope and period, whatever the number of ticks,
and a warning the department has acknowledged or cleared stays as it was."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from youse.core import audit
from youse.core.models import AuditEvent, Division
from youse.core.tick import duty
from youse.stats import indicators, rules
from youse.stats.models import EarlyWarning, Indicator, WarningRule
from youse.stats.rules import Period

# Reports for a month are due by this day of the next month (the overdue reminders use the same rule).
DUE_DAY = 10


def last_due_month(today: dt.date) -> Period:
    """The last month whose reports are due by `today`: on 11 July, June; on 10 July, still May."""
    first = today.replace(day=1)
    back = 1 if today.day > DUE_DAY else 2
    year, month = first.year, first.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return Period("month", year, month)


def last_complete(kind: str, today: dt.date) -> Period:
    """The newest period of a kind whose every month's reports are due."""
    month = last_due_month(today)
    if kind == "month":
        return month
    if kind == "quarter":
        if month.number % 3 == 0:
            return Period("quarter", month.year, month.number // 3)
        quarter = (month.number - 1) // 3  # the one before the quarter in progress
        return Period("quarter", month.year, quarter) if quarter else Period("quarter", month.year - 1, 4)
    if kind == "year":
        return Period("year", month.year if month.number == 12 else month.year - 1)
    raise ValueError(f"unknown period kind {kind!r}")


def run_of(last: Period, n: int) -> list[Period]:
    """The n periods ending with `last`, oldest first."""
    periods = [last]
    while len(periods) < n:
        periods.append(periods[-1].previous())
    return list(reversed(periods))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def message(rule: WarningRule, label: str, values: list[tuple[Period, object]], unit: str) -> str:
    newest = values[-1][1]
    text = rule.message.format_map(
        _Blank(
            scope=label,
            indicator=str(Indicator(rule.indicator).label),
            value=newest,
            threshold=format(rule.threshold.normalize(), "f"),
            unit=unit,
            periods="、".join(str(p) for p, _v in values),
            n=len(values),
        )
    )
    return text[:400]


def evaluate_rule(rule: WarningRule, today: dt.date) -> int:
    """Raise the warnings of one rule; returns how many were new."""
    periods = run_of(last_complete(rule.period_kind, today), max(rule.consecutive, 1))
    by_scope: dict[str, list[tuple[Period, object]]] = {}
    labels: dict[str, str] = {}
    unit = indicators.UNITS[rule.indicator]
    for period in periods:
        for value in indicators.across(rule.indicator, period, rule.scope_kind):
            by_scope.setdefault(value.scope.code, []).append((period, value.value))
            labels[value.scope.code] = value.scope.label
    cities = {}
    if rule.scope_kind == "city":
        for div in Division.objects.filter(level__in=[Division.Level.CITY, Division.Level.ZONE]):
            cities[div.code or f"zone-{div.pk}"] = div
    new = 0
    for code, values in by_scope.items():
        newest_first = [v for _p, v in reversed(values)]
        if rules.run_length(newest_first, rule.comparison, rule.threshold) < len(periods):
            continue
        last = periods[-1]
        if EarlyWarning.objects.filter(
            rule=rule, scope_kind=rule.scope_kind, scope_code=code, period=str(last)
        ).exists():
            continue  # raised before: left as it is (open, acknowledged or cleared)
        try:
            with transaction.atomic():
                warning = EarlyWarning.objects.create(
                    rule=rule,
                    scope_kind=rule.scope_kind,
                    scope_code=code,
                    scope_label=str(labels[code])[:120],
                    period=str(last),
                    value=values[-1][1],
                    message=message(rule, labels[code], values, unit),
                    evidence=[{"period": str(p), "value": None if v is None else str(v)} for p, v in values],
                    division=cities.get(code),
                )
                audit.record(
                    None,
                    AuditEvent.Action.CREATE,
                    warning,
                    after={"rule": rule.code, "scope": f"{rule.scope_kind}:{code}", "period": str(last)},
                    reason=warning.message,
                )
        except IntegrityError:  # a concurrent tick raised it first
            continue
        new += 1
    return new


def evaluate_rules(today: dt.date) -> tuple[int, int]:
    """Evaluate every active rule; returns (rules evaluated, new warnings). Stored warnings are written
    in Chinese, the platform's language, whatever language the caller speaks (a rule's message
    template is Chinese and scope names join it)."""
    rules_run, raised = 0, 0
    with translation.override("zh-hans"):
        for rule in WarningRule.objects.filter(active=True).order_by("code"):
            raised += evaluate_rule(rule, today)
            rules_run += 1
    return rules_run, raised


@duty("stats.warnings", "Evaluate the early-warning rules over the last complete months, quarters and years")
def evaluate(now: dt.datetime) -> str:
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    rules_run, raised = evaluate_rules(today)
    return f"{rules_run} rules evaluated up to {last_due_month(today)}, {raised} new warnings"
