"""What the report checks need to know about production units, gathered in a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

from youse.registry.models import ProductionUnit, UnitStatusChange
from youse.registry.rules import CAPACITY_STATUSES
from youse.stats import checks, rules

# Electrolytic aluminium lines: aluminium units at the smelting stage rated in tonnes a year
# (docs/indicators.md, capacity utilisation). Alumina refining is registered under stage "smelting" only
# when it is part of an electrolysis plant, so the product is checked too.
ELECTROLYSIS = Q(metal__code="Al", stage__code="smelting", capacity_unit="t/a")


def is_electrolysis(unit: ProductionUnit) -> bool:
    return unit.metal.code == "Al" and unit.stage.code == "smelting" and unit.capacity_unit == "t/a"


def unit_histories(unit_ids: Iterable[int]) -> dict[int, list[tuple[dt.date, str]]]:
    history: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    rows = UnitStatusChange.objects.filter(unit_id__in=list(unit_ids)).values_list(
        "unit_id", "effective_on", "to_status"
    )
    for unit_id, on, status in rows.order_by("unit_id", "effective_on", "id"):
        history[unit_id].append((on, status))
    return history


def unit_facts(enterprise_ids: Iterable[int], periods: Iterable[dt.date]) -> dict[dt.date, dict[int, checks.UnitFacts]]:
    """For each month, the facts of every unit of the given enterprises."""
    units = list(
        ProductionUnit.objects.filter(plant__enterprise_id__in=list(enterprise_ids)).values(
            "id", "name", "plant__enterprise_id", "design_capacity", "capacity_unit", "metal__code", "stage__code"
        )
    )
    histories = unit_histories(u["id"] for u in units)
    statuses = frozenset(str(s) for s in CAPACITY_STATUSES)
    result: dict[dt.date, dict[int, checks.UnitFacts]] = {}
    for period in set(periods):
        end = dt.date(period.year, period.month, checks.month_days(period))
        facts = {}
        for u in units:
            days = rules.days_in_status(histories.get(u["id"], []), statuses, period, end)
            facts[u["id"]] = checks.UnitFacts(
                id=u["id"],
                name=u["name"],
                enterprise_id=u["plant__enterprise_id"],
                annual_capacity_t=u["design_capacity"] if u["capacity_unit"] == "t/a" else None,
                electrolysis=u["metal__code"] == "Al"
                and u["stage__code"] == "smelting"
                and u["capacity_unit"] == "t/a",
                operating_or_idle=days > 0,
            )
        result[period] = facts
    return result
