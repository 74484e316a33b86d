"""The latest value of a statistics indicator, for a sub-task or a city target that names one.

"Latest" is the stats pages' default period: the latest complete year, or the year to date of the latest
month with accepted figures. The values come from the memoised engine (stats.indicators.cached), so a
board of many sub-tasks costs the engine's few grouped queries once per data version."""

from dataclasses import dataclass
from decimal import Decimal

from youse.stats import indicators
from youse.stats.types import Scope


@dataclass(frozen=True)
class Latest:
    code: str
    value: Decimal | None
    unit: str
    period: str
    label: str = ""

    @property
    def text(self) -> str:
        return "—" if self.value is None else f"{self.value:,} {self.unit} ({self.period})"


class Measures:
    """Latest values for the province and every city, computed on first use and kept for one page."""

    def __init__(self) -> None:
        from youse.stats.views.common import default_period

        self.period = default_period()
        self._compute = indicators.cached(indicators.compute)
        self._across = indicators.cached(indicators.across)
        self._province: dict[str, Latest] | None = None
        self._cities: dict[str, dict[str, Latest]] = {}

    def _latest(self, iv) -> Latest:
        return Latest(iv.code, iv.value, iv.unit, str(self.period), str(iv.label))

    def province(self, code: str) -> Latest | None:
        if not code:
            return None
        if self._province is None:
            self._province = {iv.code: self._latest(iv) for iv in self._compute(self.period, Scope())}
        return self._province.get(code)

    def city(self, code: str, division) -> Latest | None:
        """`division`: a city-level Division; zones without a code go by "zone-<pk>" as in the engine."""
        if not code:
            return None
        if code not in self._cities:
            self._cities[code] = {iv.scope.code: self._latest(iv) for iv in self._across(code, self.period, "city")}
        return self._cities[code].get(division.code or f"zone-{division.pk}")
