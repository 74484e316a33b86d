"""The shapes in which indicators travel from the engine (stats/indicators.py) to pages, the CLI, the
API, warnings and the bulletin."""

from dataclasses import dataclass, field
from decimal import Decimal

from youse.stats.rules import Period, TargetCheck

SCOPE_KINDS = ("province", "city", "base", "metal", "enterprise")


class ScopeError(ValueError):
    pass


@dataclass(frozen=True)
class Scope:
    """Where an indicator is computed: the province, a city (GB/T 2260 code; zones without a code by
    "zone-<id>"), an industrial base (its code), a metal (its code) or one enterprise (its id)."""

    kind: str = "province"
    code: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ScopeError(f"unknown scope kind {self.kind!r}: use one of {', '.join(SCOPE_KINDS)}")
        if self.kind != "province" and not self.code:
            raise ScopeError(f"a {self.kind} scope needs a code, e.g. {self.kind}:CODE")

    @classmethod
    def parse(cls, text: str | None) -> "Scope":
        """'province', 'city:610800', 'base:yulin-almg', 'metal:Al', 'enterprise:42'."""
        if not text or text == "province":
            return cls()
        kind, _, code = text.partition(":")
        return cls(kind=kind.strip(), code=code.strip())

    def __str__(self) -> str:
        return "province" if self.kind == "province" else f"{self.kind}:{self.code}"


@dataclass
class IndicatorValue:
    code: str  # stats.models.Indicator value
    label: str
    value: Decimal | None  # None: no data for this scope and period
    unit: str  # "亿元", "%", "名" (rank)
    period: Period
    scope: Scope
    target_code: str = ""  # PolicyTarget.code, when the indicator has a target
    target_value: Decimal | None = None
    comparator: str = ""
    check: TargetCheck | None = None
    # The sums the value was computed from, as strings, so anyone can recompute it.
    inputs: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "indicator": self.code,
            "label": str(self.label),
            "period": str(self.period),
            "scope": str(self.scope),
            "scope_label": str(self.scope.label),
            "value": None if self.value is None else str(self.value),
            "unit": self.unit,
            "target": None
            if self.target_value is None
            else {"code": self.target_code, "comparator": self.comparator, "value": str(self.target_value)},
            "status": self.check.status if self.check else None,
            "required": None if not self.check or self.check.required is None else str(self.check.required),
            "gap": None if not self.check or self.check.gap is None else str(self.check.gap),
            "inputs": self.inputs,
        }
