"""`youse export-stats --period 2020 --csv [--out FILE]`: the accepted figures the indicators use.

One CSV, one row per record, the first column saying which record it is (docs/indicators.md, "Export"):
report (an accepted report's enterprise-level figures), line (one line of it), unit (an electrolytic
aluminium unit and its capacity), unit_status (its dated status changes) and province_revenue (other
provinces' revenue, for the rank). From these rows alone every indicator can be recomputed."""

import csv

from django.core.management.base import BaseCommand, CommandError, CommandParser

from youse.registry.models import ProductionUnit, UnitStatusChange
from youse.stats import facts, indicators
from youse.stats.models import MonthlyReport, ProvinceRevenue, ReportLine
from youse.stats.rules import PeriodError, parse_period

COLUMNS = [
    "record",
    "period",
    "enterprise_id",
    "enterprise",
    "credit_code",
    "city_code",
    "base_code",
    "main_metal",
    "revision",
    "value_added_wan",
    "revenue_wan",
    "unit_id",
    "unit_city_code",
    "unit_base_code",
    "metal",
    "stage",
    "deep_processing",
    "electrolysis",
    "product",
    "output_t",
    "output_value_wan",
    "al_liquid_t",
    "design_capacity_t_per_year",
    "effective_on",
    "status",
    "year",
    "province",
    "revenue_yi",
]


def _city(code: str | None, pk: int | None) -> str:
    if pk is None:
        return ""
    return code or f"zone-{pk}"


def _s(value: object) -> str:
    return "" if value is None else str(value)


def rows(period) -> tuple[list[dict], dict[str, int]]:
    """The export's rows for a period (and the comparison periods its indicators read)."""
    months = indicators.months_used([period])
    out: list[dict] = []
    counts = {"report": 0, "line": 0, "unit": 0, "unit_status": 0, "province_revenue": 0}
    ent = "enterprise__"
    reports = (
        MonthlyReport.objects.filter(accepted__isnull=False, period__in=months)
        .order_by("period", "enterprise__name")
        .values(
            "period",
            "enterprise_id",
            ent + "name",
            ent + "credit_code",
            ent + "division__prefecture__code",
            ent + "division__prefecture_id",
            ent + "base__code",
            "accepted__main_metal__code",
            "accepted__number",
            "accepted__value_added",
            "accepted__revenue",
        )
    )
    for r in reports.iterator(chunk_size=2000):
        out.append(
            {
                "record": "report",
                "period": f"{r['period']:%Y-%m}",
                "enterprise_id": r["enterprise_id"],
                "enterprise": r[ent + "name"],
                "credit_code": r[ent + "credit_code"],
                "city_code": _city(r[ent + "division__prefecture__code"], r[ent + "division__prefecture_id"]),
                "base_code": _s(r[ent + "base__code"]),
                "main_metal": _s(r["accepted__main_metal__code"]),
                "revision": r["accepted__number"],
                "value_added_wan": r["accepted__value_added"],
                "revenue_wan": r["accepted__revenue"],
            }
        )
        counts["report"] += 1
    electrolysis = set(ProductionUnit.objects.filter(facts.ELECTROLYSIS).values_list("pk", flat=True))
    rev = "revision__report__"
    lines = (
        ReportLine.objects.filter(indicators.ACCEPTED_LINE, revision__report__period__in=months)
        .order_by(rev + "period", rev + "enterprise__name", "unit_id")
        .values(
            rev + "period",
            rev + "enterprise_id",
            rev + "enterprise__name",
            rev + "enterprise__credit_code",
            rev + "enterprise__division__prefecture__code",
            rev + "enterprise__division__prefecture_id",
            rev + "enterprise__base__code",
            "revision__number",
            "unit_id",
            "unit__plant__division__prefecture__code",
            "unit__plant__division__prefecture_id",
            "unit__plant__base__code",
            "metal__code",
            "stage__code",
            "stage__deep_processing",
            "product",
            "output_t",
            "output_value",
            "al_liquid_t",
        )
    )
    for r in lines.iterator(chunk_size=2000):
        out.append(
            {
                "record": "line",
                "period": f"{r[rev + 'period']:%Y-%m}",
                "enterprise_id": r[rev + "enterprise_id"],
                "enterprise": r[rev + "enterprise__name"],
                "credit_code": r[rev + "enterprise__credit_code"],
                "city_code": _city(
                    r[rev + "enterprise__division__prefecture__code"],
                    r[rev + "enterprise__division__prefecture_id"],
                ),
                "base_code": _s(r[rev + "enterprise__base__code"]),
                "revision": r["revision__number"],
                "unit_id": r["unit_id"],
                "unit_city_code": _city(
                    r["unit__plant__division__prefecture__code"], r["unit__plant__division__prefecture_id"]
                ),
                "unit_base_code": _s(r["unit__plant__base__code"]),
                "metal": r["metal__code"],
                "stage": r["stage__code"],
                "deep_processing": int(r["stage__deep_processing"]),
                "electrolysis": int(r["unit_id"] in electrolysis),
                "product": r["product"],
                "output_t": r["output_t"],
                "output_value_wan": r["output_value"],
                "al_liquid_t": _s(r["al_liquid_t"]),
            }
        )
        counts["line"] += 1
    units = (
        ProductionUnit.objects.filter(facts.ELECTROLYSIS)
        .order_by("pk")
        .values(
            "pk",
            "plant__enterprise_id",
            "plant__enterprise__name",
            "plant__enterprise__credit_code",
            "plant__enterprise__division__prefecture__code",
            "plant__enterprise__division__prefecture_id",
            "plant__enterprise__base__code",
            "plant__division__prefecture__code",
            "plant__division__prefecture_id",
            "plant__base__code",
            "metal__code",
            "stage__code",
            "product",
            "design_capacity",
        )
    )
    for u in units:
        out.append(
            {
                "record": "unit",
                "enterprise_id": u["plant__enterprise_id"],
                "enterprise": u["plant__enterprise__name"],
                "credit_code": u["plant__enterprise__credit_code"],
                "city_code": _city(
                    u["plant__enterprise__division__prefecture__code"],
                    u["plant__enterprise__division__prefecture_id"],
                ),
                "base_code": _s(u["plant__enterprise__base__code"]),
                "unit_id": u["pk"],
                "unit_city_code": _city(u["plant__division__prefecture__code"], u["plant__division__prefecture_id"]),
                "unit_base_code": _s(u["plant__base__code"]),
                "metal": u["metal__code"],
                "stage": u["stage__code"],
                "electrolysis": 1,
                "product": u["product"],
                "design_capacity_t_per_year": u["design_capacity"],
            }
        )
        counts["unit"] += 1
    changes = (
        UnitStatusChange.objects.filter(unit_id__in=electrolysis)
        .order_by("unit_id", "effective_on", "id")
        .values_list("unit_id", "effective_on", "to_status")
    )
    for unit_id, on, status in changes:
        out.append({"record": "unit_status", "unit_id": unit_id, "effective_on": on.isoformat(), "status": status})
        counts["unit_status"] += 1
    years = sorted({m.year for m in months})
    for year, province, revenue in (
        ProvinceRevenue.objects.filter(year__in=years)
        .order_by("year", "province")
        .values_list("year", "province", "revenue")
    ):
        out.append({"record": "province_revenue", "year": year, "province": province, "revenue_yi": revenue})
        counts["province_revenue"] += 1
    return out, counts


class Command(BaseCommand):
    help = (
        "Write the accepted figures that the indicators of a period use (the period, the same period a year "
        "earlier and the base year), as CSV: anyone can recompute every indicator from it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2020, 2020-06, 2020Q2 or 2020-06-ytd")
        parser.add_argument("--csv", action="store_true", help="CSV output (the only format, and the default)")
        parser.add_argument("--out", help="write to this file (UTF-8 with BOM, for Excel) instead of stdout")

    def handle(self, *args, **options) -> None:
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(f"--period {options['period']!r}: {exc}") from None
        data, counts = rows(period)
        if options["out"]:
            try:
                handle = open(options["out"], "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
            except OSError as exc:
                raise CommandError(f"--out {options['out']!r}: {exc.strerror}") from None
        else:
            handle = self.stdout._out
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in data:
            writer.writerow({k: _s(v) for k, v in row.items()})
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        if options["out"]:
            handle.close()
            self.stdout.write(f"{period}: wrote {summary} rows to {options['out']}")
        else:
            self.stderr.write(f"{period}: {summary} rows")
