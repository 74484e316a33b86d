"""The indicator engine's figures for one bulletin month: every indicator for the month and the year to
date at the province, every city, base and metal (never an enterprise: their figures are confidential),
and the aluminium utilisation over the trend months.

The figures come from the engine itself (youse.stats.indicators): one evaluation context per scope kind
for all the periods at once, which is what `across()` does for one indicator and one period. Each value
is therefore the one `compute(period, scope)` returns (tests/portal/test_bulletin_content_demo.py checks
it for every month of the demo), from four sets of grouped queries whatever the number of scopes."""

from dataclasses import dataclass, field

from youse.stats import indicators
from youse.stats.indicators import Book
from youse.stats.rules import Period
from youse.stats.types import IndicatorValue, Scope

KINDS = ("province", "city", "base", "metal")


@dataclass
class Figures:
    month: Period
    ytd: Period
    trend: list[Period]
    scopes: dict[str, list[tuple[Scope, object]]] = field(default_factory=dict)  # kind → (scope, row key)
    books: dict[str, Book] = field(default_factory=dict)
    values: dict[tuple[str, str, str], IndicatorValue] = field(default_factory=dict)  # (scope, period, code)
    evaluated: dict[tuple[str, str], list[IndicatorValue]] = field(default_factory=dict)  # (scope, period)

    def get(self, code: str, period: Period, scope: Scope | str) -> IndicatorValue:
        return self.values[(str(scope), str(period), code)]

    def published(self) -> list[IndicatorValue]:
        """The month's and the year to date's indicators at every scope: province, cities, bases, metals."""
        out = []
        for period in (self.month, self.ytd):
            for kind in KINDS:
                for scope, _key in self.scopes[kind]:
                    out.extend(self.evaluated[(str(scope), str(period))])
        return out


def gather(month: Period, trend: list[Period]) -> Figures:
    ytd = Period("ytd", month.year, month.number)
    periods = list(dict.fromkeys([month, ytd, month.shifted(-1), *trend]))
    figures = Figures(month, ytd, trend)
    for kind in KINDS:
        scoped = indicators._scopes_with_keys(kind)
        ctx = indicators._Context.build(kind, periods)
        figures.scopes[kind] = scoped
        figures.books[kind] = ctx.book
        for scope, key in scoped:
            for period in periods:
                values = indicators._evaluate(ctx, key, period, scope)
                figures.evaluated[(str(scope), str(period))] = values
                for value in values:
                    figures.values[(str(scope), str(period), value.code)] = value
    return figures
