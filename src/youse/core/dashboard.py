"""The queries behind the home page: the registry's headline figures within the user's scope.

Everything is aggregated in the database (GROUP BY), so the number of queries and the rows brought
into Python depend on the number of metals, stages, cities and bases, never on the number of
enterprises. Figures count the enterprises registered in the user's scope and their plants and units,
so that each number agrees with the registry list it links to (/registry/?city=...&metal=...).

An enterprise counts under a metal when it has a production unit of that metal that is not exited."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext

from youse.core import scopes
from youse.core.models import Division, IndustrialBase, Metal, ValueChainStage
from youse.core.roles import Role
from youse.registry.models import Enterprise, Plant, ProductionUnit
from youse.registry.rules import UnitStatus

EXITED = UnitStatus.EXITED.value
UNIT_LIST = "registry:unit-list"  # unit counts link to the unit list, enterprise counts to the enterprise list


def city_key(division: Division) -> str:
    """The registry list's `city` parameter: the GB/T 2260 code, or the pk for zones that have none."""
    return division.code or str(division.pk)


def registry_url(_list: str = "registry:enterprise-list", **params: object) -> str:
    """A link to the registry's enterprise list (or unit list) with filters. The parameter names are the
    registry's: metal (code), city (city-level code; zones by pk), base (code), stage (code), status."""
    base = reverse(_list)
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(query)}" if query else base


def format_quantity(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


@dataclass
class Cell:
    count: int
    url: str


@dataclass
class MatrixRow:
    metal: Metal
    cells: list[Cell]
    total: Cell


@dataclass
class CityColumn:
    division: Division | None  # None: enterprises registered at province level (no city)
    key: str
    label: str
    on_map: bool


@dataclass
class CapacityCell:
    amounts: list[tuple[str, str]]  # (formatted total, capacity unit), one per capacity unit present
    units: int
    url: str


@dataclass
class Dashboard:
    scope_label: str
    scoped_to_enterprise: Enterprise | None
    kpis: dict[str, int]
    kpi_urls: dict[str, str | None]
    cities: list[CityColumn]
    matrix: list[MatrixRow]
    matrix_city_totals: list[Cell]
    matrix_total: int
    enterprises_by_city: list[tuple[CityColumn, Cell]]
    stages: list[ValueChainStage]
    capacity: list[tuple[Metal, list[CapacityCell]]]
    bases: list[dict]
    chart_data: dict = field(default_factory=dict)


def _scoped(user) -> tuple:
    """The user's enterprises, and the plants and units that belong to them (each through visible())."""
    enterprises = scopes.visible(user, Enterprise)
    plants = scopes.visible(user, Plant)
    units = scopes.visible(user, ProductionUnit)
    if scopes.scope_filter(user, Enterprise):
        # A city also sees plants on its ground owned by other cities' enterprises; the home page counts
        # what its own enterprises hold, as the registry list filtered by city does.
        plants = plants.filter(enterprise__in=enterprises)
        units = units.filter(plant__enterprise__in=enterprises)
    return enterprises, plants, units


def _city_columns(user, present: set[int | None]) -> list[CityColumn]:
    divisions = Division.objects.filter(
        level__in=(Division.Level.CITY, Division.Level.ZONE), valid_to__isnull=True
    ).order_by("order", "code")
    province_wide = not scopes.scope_filter(user, Enterprise)
    columns = []
    for d in divisions:
        if province_wide or d.pk in present or (getattr(user, "division_id", None) == d.pk):
            columns.append(CityColumn(d, city_key(d), str(d), on_map=bool(d.code)))
    if None in present:
        columns.append(CityColumn(None, "", gettext("Province level"), on_map=False))
    return columns


def build(user) -> Dashboard:
    enterprises, plants, units = _scoped(user)
    live_units = units.exclude(status=EXITED)

    metals = list(Metal.objects.all())
    stages = list(ValueChainStage.objects.all())

    # 1. Enterprises per city (the map and the city totals of the KPI).
    by_city = {
        row["division__prefecture"]: row["n"]
        for row in enterprises.values("division__prefecture").annotate(n=Count("pk")).order_by()
    }
    # 2. Units per status.
    by_status = {row["status"]: row["n"] for row in units.values("status").annotate(n=Count("pk")).order_by()}
    # 3. Enterprises per metal and city (an enterprise is in one city, so sums over cities are exact).
    pair_counts = {
        (row["metal"], row["plant__enterprise__division__prefecture"]): row["n"]
        for row in live_units.values("metal", "plant__enterprise__division__prefecture")
        .annotate(n=Count("plant__enterprise", distinct=True))
        .order_by()
    }
    # 4. Enterprises per city with a unit of any metal (a column total may not add up the metals: an
    #    enterprise with magnesium and aluminium counts once).
    any_metal_by_city = {
        row["plant__enterprise__division__prefecture"]: row["n"]
        for row in live_units.values("plant__enterprise__division__prefecture")
        .annotate(n=Count("plant__enterprise", distinct=True))
        .order_by()
    }
    # 5. Operating capacity per metal, stage and capacity unit (tonnes of metal and tonnes of ore are
    #    never added together).
    capacity_rows = (
        units.filter(status=UnitStatus.OPERATING.value)
        .values("metal", "stage", "capacity_unit")
        .annotate(total=Sum("design_capacity"), n=Count("pk"))
        .order_by("capacity_unit")
    )
    capacity_map: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in capacity_rows:
        capacity_map[(row["metal"], row["stage"])].append(row)
    # 6. Per industrial base: enterprises and operating units.
    ents_by_base = {row["base"]: row["n"] for row in enterprises.values("base").annotate(n=Count("pk")).order_by()}
    operating_by_base = {
        row["plant__enterprise__base"]: row["n"]
        for row in units.filter(status=UnitStatus.OPERATING.value)
        .values("plant__enterprise__base")
        .annotate(n=Count("pk"))
        .order_by()
    }
    plant_count = plants.count()

    present = set(by_city) | set(any_metal_by_city)
    cities = _city_columns(user, present)

    matrix = []
    for metal in metals:
        cells = [
            Cell(
                pair_counts.get((metal.pk, c.division.pk if c.division else None), 0),
                registry_url(metal=metal.code, city=c.key),
            )
            for c in cities
        ]
        total = sum(pair_counts.get((metal.pk, k), 0) for k in present)
        matrix.append(MatrixRow(metal, cells, Cell(total, registry_url(metal=metal.code))))
    city_totals = [
        Cell(any_metal_by_city.get(c.division.pk if c.division else None, 0), registry_url(city=c.key)) for c in cities
    ]
    matrix_total = sum(any_metal_by_city.values())
    enterprises_by_city = [
        (c, Cell(by_city.get(c.division.pk if c.division else None, 0), registry_url(city=c.key))) for c in cities
    ]

    capacity = []
    for metal in metals:
        row_cells = []
        for stage in stages:
            found = capacity_map.get((metal.pk, stage.pk), [])
            row_cells.append(
                CapacityCell(
                    amounts=[(format_quantity(r["total"]), r["capacity_unit"]) for r in found],
                    units=sum(r["n"] for r in found),
                    url=registry_url(UNIT_LIST, metal=metal.code, stage=stage.code, status=UnitStatus.OPERATING.value),
                )
            )
        if any(c.units for c in row_cells):
            capacity.append((metal, row_cells))

    bases = []
    for base in IndustrialBase.objects.prefetch_related("metals", "divisions"):
        bases.append(
            {
                "base": base,
                "metals": list(base.metals.all()),
                "divisions": list(base.divisions.all()),
                "enterprises": ents_by_base.get(base.pk, 0),
                "operating_units": operating_by_base.get(base.pk, 0),
                "url": registry_url(base=base.code),
            }
        )

    kpis = {
        "enterprises": sum(by_city.values()),
        "plants": plant_count,
        "operating": by_status.get(UnitStatus.OPERATING.value, 0),
        "construction": by_status.get(UnitStatus.CONSTRUCTION.value, 0),
        "exited": by_status.get(EXITED, 0),
    }
    kpi_urls = {
        "enterprises": registry_url(),
        "plants": None,
        "operating": registry_url(UNIT_LIST, status=UnitStatus.OPERATING.value),
        "construction": registry_url(UNIT_LIST, status=UnitStatus.CONSTRUCTION.value),
        "exited": registry_url(UNIT_LIST, status=EXITED),
    }

    role = getattr(user, "role", None)
    scoped_enterprise = user.enterprise if role == Role.ENTERPRISE and user.enterprise_id else None
    dashboard = Dashboard(
        scope_label=user.scope_label,
        scoped_to_enterprise=scoped_enterprise,
        kpis=kpis,
        kpi_urls=kpi_urls,
        cities=cities,
        matrix=matrix,
        matrix_city_totals=city_totals,
        matrix_total=matrix_total,
        enterprises_by_city=enterprises_by_city,
        stages=stages,
        capacity=capacity,
        bases=bases,
    )
    dashboard.chart_data = _chart_data(dashboard)
    return dashboard


def _chart_data(d: Dashboard) -> dict:
    """What charts.js draws; the page's tables carry the same numbers."""
    used_metals = [row for row in d.matrix if row.total.count]
    return {
        "byMetal": {
            "categories": [str(row.metal) for row in used_metals],
            "series": [
                {
                    "name": gettext("Enterprises"),
                    "data": [
                        {"value": row.total.count, "itemStyle": {"color": row.metal.color}} for row in used_metals
                    ],
                }
            ],
        },
        "byCity": {
            "categories": [c.label for c in d.cities],
            "series": [
                {
                    "name": str(row.metal),
                    "data": [cell.count for cell in row.cells],
                    "color": row.metal.color,
                    "stack": "metal",
                }
                for row in used_metals
            ],
        },
        "map": {
            "regions": [
                {"code": c.division.code, "name": c.label, "value": cell.count, "url": cell.url}
                for c, cell in d.enterprises_by_city
                if c.on_map
            ]
        },
    }


def enterprise_units(user, enterprise: Enterprise) -> list[ProductionUnit]:
    """The units of an enterprise user's own enterprise, for its home page summary."""
    return list(
        scopes.visible(user, ProductionUnit)
        .filter(plant__enterprise=enterprise)
        .select_related("plant", "metal", "stage")
        .order_by("plant__name", "name")
    )
