"""Section 四: online monitoring in the month, by city and by metal. Exceedance alarms that started in the
month, the hours spent above the limits inside the month (an alarm still open runs to the month's end or
to now), data-quality alarms, and repeated exceedances whose last exceedance fell in the month.

A point belongs to the city of its plant and to the metal of its plant's smelting line (the largest unit
at the smelting stage, else the largest unit). Four queries."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.monitoring.models import Alarm, AlarmKind, MonitoringPoint, RepeatedExceedance
from youse.portal.bulletin import content_format as f
from youse.portal.bulletin import content_text as text
from youse.portal.bulletin.content_indicators import Figures
from youse.registry.models import ProductionUnit


def plant_metals(units: list[tuple[int, int, str, Decimal]]) -> dict[int, int]:
    """plant → metal of its smelting line: the largest unit at the smelting stage, else the largest unit.
    `units`: (plant id, metal id, stage code, design capacity)."""
    best: dict[int, tuple[bool, Decimal, int]] = {}
    for plant, metal, stage, capacity in units:
        rank = (stage == "smelting", Decimal(capacity), -metal)
        if plant not in best or rank > best[plant]:
            best[plant] = rank
    return {plant: -rank[2] for plant, rank in best.items()}


COLUMNS = [
    ("points", _("Monitoring points"), "个"),
    ("exceedance_alarms", _("Exceedance alarms"), "次"),
    ("exceedance_hours", _("Hours above the limits"), "小时"),
    ("quality_alarms", _("Data-quality alarms"), "次"),
    ("repeated_exceedances", _("Repeated exceedances"), "起"),
]


def monitoring_section(figures: Figures) -> dict:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(figures.month.start, dt.time(0), tzinfo=tz)
    hi = dt.datetime.combine(figures.month.end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    until = min(hi, max(lo, timezone.now()))
    points = {
        p["id"]: p
        for p in MonitoringPoint.objects.order_by().values(
            "id", "plant_id", "plant__division__prefecture_id", "created_at"
        )
    }
    units = ProductionUnit.objects.filter(plant_id__in={p["plant_id"] for p in points.values()}).order_by()
    metal_of = plant_metals(list(units.values_list("plant_id", "metal_id", "stage__code", "design_capacity")))
    cells: dict[tuple[str, object], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))

    def keys(point_id: int) -> list[tuple[str, object]]:
        p = points[point_id]
        city, metal = p["plant__division__prefecture_id"], metal_of.get(p["plant_id"])
        return [("province", None), ("city", city), ("metal", metal)]

    # A point counts from its registration, or from its first alarm where the logger's history reached
    # back further than that.
    counted = {pk for pk, p in points.items() if p["created_at"] < hi}
    alarms = Alarm.objects.filter(started_at__lt=hi).filter(Q(ended_at__isnull=True) | Q(ended_at__gt=lo))
    for point_id, kind, started, ended in alarms.order_by().values_list("point_id", "kind", "started_at", "ended_at"):
        counted.add(point_id)
        started_here = lo <= started < hi
        for key in keys(point_id):
            if kind == AlarmKind.EXCEEDANCE:
                cells[key]["exceedance_hours"] += f.overlap_hours(started, ended, lo, until)
                if started_here:
                    cells[key]["exceedance_alarms"] += 1
            elif started_here:
                cells[key]["quality_alarms"] += 1
    for pk in counted:
        for key in keys(pk):
            cells[key]["points"] += 1
    repeated = RepeatedExceedance.objects.filter(last_at__gte=lo, last_at__lt=hi).order_by()
    for (point_id,) in repeated.values_list("point_id"):
        for key in keys(point_id):
            cells[key]["repeated_exceedances"] += 1

    def row(kind: str, scope, key) -> dict | None:
        cell = cells.get((kind, key))
        if not cell or not cell["points"]:
            return None
        out = {f"{kind}_code": scope.code, kind: str(scope.label)}
        for col, _label, _unit in COLUMNS:
            out[col] = f.hours(cell[col]) if col == "exceedance_hours" else int(cell[col])
        return out

    blocks, tables = [], {}
    for kind, title in (("city", _("Online monitoring by city")), ("metal", _("Online monitoring by metal"))):
        rows = [r for scope, key in figures.scopes[kind] if (r := row(kind, scope, key))]
        tables[kind] = rows
        columns = [f.column(f"{kind}_code", _("Code")), f.column(kind, _("City") if kind == "city" else _("Metal"))]
        columns += [f.column(col, label, unit) for col, label, unit in COLUMNS]
        note = _(
            "Exceedance alarms and data-quality alarms (missing data, flat lines, instrument flags, implausible "
            "values) that started in the month; hours above the limits inside the month."
        )
        blocks.append(f.table(f"monitoring_by_{kind}", title, columns, rows, note))
    cities = tables["city"]
    blocks.append(
        f.chart(
            "exceedance_hours_by_city",
            _("Hours above the emission limits by city"),
            "bar",
            "小时",
            [r["city"] for r in cities],
            [(_("Hours above the limits"), [r["exceedance_hours"] for r in cities])],
        )
    )
    total = cells.get(("province", None), {})
    worst = sorted(
        (r for r in cities if Decimal(r["exceedance_hours"]) > 0), key=lambda r: -Decimal(r["exceedance_hours"])
    )
    paragraphs = text.monitoring(
        int(total.get("points", 0)),
        int(total.get("exceedance_alarms", 0)),
        f.hours(total.get("exceedance_hours", Decimal(0))),
        int(total.get("quality_alarms", 0)),
        int(total.get("repeated_exceedances", 0)),
        [(r["city"], r["exceedance_hours"]) for r in worst[:5]],
    )
    return f.section("monitoring", _("4. Online monitoring"), paragraphs, blocks)
