"""Plausibility checks of a monthly report: pure functions shared by the form, the API and the import.

Each problem names the field (and, for lines, the unit) so that a form marks the field and an import
names the row and column. No ORM: callers pass what the checks need about the enterprise's units."""

import calendar
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Translation marks only: messages are shown in the reader's language. No ORM, no I/O here.
from django.utils.translation import gettext as _

ENTERPRISE_FIGURES = {
    # field: (unit, may be negative)
    "value_added": ("万元", False),
    "revenue": ("万元", False),
    "profit": ("万元", True),
    "energy_tce": ("tce", False),
    "electricity_kwh": ("kWh", False),
    "employees": ("人", False),
    "fly_ash_used_t": ("t", False),
    "slag_used_t": ("t", False),
    "tailings_used_t": ("t", False),
}
LINE_FIGURES = {
    "output_t": ("t", False),
    "output_value": ("万元", False),
    "al_liquid_t": ("t", False),
    "ac_kwh_per_t": ("kWh/t", False),
    "ac_total_kwh_per_t": ("kWh/t", False),
}
REQUIRED_FIGURES = ("value_added", "revenue", "profit", "energy_tce", "electricity_kwh", "employees")
# Physical bounds for electrolysis: no cell runs below ~11,000 kWh/t or above ~17,000 kWh/t of liquid.
AC_KWH_RANGE = (Decimal(11000), Decimal(17000))
# Output may exceed design capacity a little (creep, overtime) but not by more than this factor.
CAPACITY_TOLERANCE = Decimal("1.10")


@dataclass(frozen=True)
class UnitFacts:
    """What the checks need to know about a production unit of the reporting enterprise."""

    id: int
    name: str
    enterprise_id: int
    annual_capacity_t: Decimal | None  # None when the capacity is not in tonnes per year
    electrolysis: bool
    operating_or_idle: bool  # in the month reported


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    line: int | None = None  # index of the line, None for enterprise figures

    def __str__(self) -> str:
        where = f"line {self.line + 1}, " if self.line is not None else ""
        return f"{where}{self.field}: {self.message}"


def number(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        result = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValueError(_("not a number: %(value)s") % {"value": repr(value)}) from None
    if not result.is_finite():
        raise ValueError(_("not a number: %(value)s") % {"value": repr(value)})
    return result


def month_days(period: dt.date) -> int:
    return calendar.monthrange(period.year, period.month)[1]


def check_report(
    period: dt.date,
    figures: dict[str, object],
    lines: list[dict[str, object]],
    units: dict[int, UnitFacts],
    enterprise_id: int,
    today: dt.date,
) -> tuple[dict[str, Decimal | None], list[dict[str, object]], list[Problem]]:
    """Parse and check a report. Returns the parsed figures, the parsed lines and every problem found."""
    problems: list[Problem] = []
    if period.day != 1:
        problems.append(Problem("period", _("a report covers a calendar month: give its first day")))
    if period > today.replace(day=1):
        problems.append(
            Problem("period", _("%(month)s has not begun: a report covers a past month") % {"month": f"{period:%Y-%m}"})
        )
    parsed: dict[str, Decimal | None] = {}
    for field, (unit, signed) in ENTERPRISE_FIGURES.items():
        try:
            value = number(figures.get(field))
        except ValueError as exc:
            problems.append(Problem(field, str(exc)))
            continue
        if value is None and field in REQUIRED_FIGURES:
            problems.append(Problem(field, _("required (%(unit)s)") % {"unit": unit}))
        elif value is not None and value < 0 and not signed:
            problems.append(
                Problem(field, _("cannot be negative (%(value)s %(unit)s)") % {"value": value, "unit": unit})
            )
        parsed[field] = value
    if parsed.get("employees") is not None and parsed["employees"] != parsed["employees"].to_integral_value():
        problems.append(Problem("employees", _("a whole number of people")))

    parsed_lines: list[dict[str, object]] = []
    seen: set[int] = set()
    total_value = Decimal(0)
    for i, line in enumerate(lines):
        out: dict[str, object] = {}
        unit_id = line.get("unit")
        unit = units.get(unit_id) if isinstance(unit_id, int) else None
        if unit is None or unit.enterprise_id != enterprise_id:
            problems.append(Problem("unit", _("no production unit %(unit)s of this enterprise") % {"unit": unit_id}, i))
        elif unit_id in seen:
            problems.append(Problem("unit", _("%(unit)s is reported twice") % {"unit": unit.name}, i))
        else:
            seen.add(unit_id)
        out["unit"] = unit_id
        for field, (u, _signed) in LINE_FIGURES.items():
            try:
                value = number(line.get(field))
            except ValueError as exc:
                problems.append(Problem(field, str(exc), i))
                continue
            if value is not None and value < 0:
                problems.append(
                    Problem(field, _("cannot be negative (%(value)s %(unit)s)") % {"value": value, "unit": u}, i)
                )
            out[field] = value
        for field in ("output_t", "output_value"):
            if out.get(field) is None and not any(p.line == i and p.field == field for p in problems):
                problems.append(Problem(field, _("required (%(unit)s)") % {"unit": LINE_FIGURES[field][0]}, i))
        if unit is not None:
            problems.extend(_check_line(period, out, unit, i))
        if isinstance(out.get("output_value"), Decimal):
            total_value += out["output_value"]
        parsed_lines.append(out)
    va = parsed.get("value_added")
    if lines and va is not None and total_value and va > total_value:
        problems.append(
            Problem(
                "value_added",
                _("value added %(va)s 万元 exceeds the output value of the lines (%(total)s 万元)")
                % {"va": va, "total": total_value},
            )
        )
    return parsed, parsed_lines, problems


def _check_line(period: dt.date, line: dict[str, object], unit: UnitFacts, i: int) -> list[Problem]:
    problems = []
    output = line.get("output_t")
    if not unit.operating_or_idle and isinstance(output, Decimal) and output > 0:
        problems.append(
            Problem(
                "output_t",
                _("%(unit)s was not operating in %(month)s") % {"unit": unit.name, "month": f"{period:%Y-%m}"},
                i,
            )
        )
    if unit.annual_capacity_t and isinstance(output, Decimal):
        monthly = unit.annual_capacity_t * month_days(period) / (366 if calendar.isleap(period.year) else 365)
        limit = (monthly * CAPACITY_TOLERANCE).quantize(Decimal("0.001"))
        checked = line.get("al_liquid_t") if unit.electrolysis and line.get("al_liquid_t") is not None else output
        if isinstance(checked, Decimal) and checked > limit:
            field = "al_liquid_t" if checked is line.get("al_liquid_t") else "output_t"
            problems.append(
                Problem(
                    field,
                    _("%(amount)s t exceeds what %(unit)s can make in the month (%(limit)s t at most)")
                    % {"amount": checked, "unit": unit.name, "limit": limit},
                    i,
                )
            )
    if unit.electrolysis:
        for field in ("ac_kwh_per_t", "ac_total_kwh_per_t"):
            value = line.get(field)
            if isinstance(value, Decimal) and not AC_KWH_RANGE[0] <= value <= AC_KWH_RANGE[1]:
                problems.append(
                    Problem(
                        field,
                        _("%(value)s kWh/t is outside what electrolysis can use (%(low)s–%(high)s)")
                        % {"value": value, "low": AC_KWH_RANGE[0], "high": AC_KWH_RANGE[1]},
                        i,
                    )
                )
        if (
            isinstance(line.get("al_liquid_t"), Decimal)
            and line["al_liquid_t"] > 0
            and line.get("ac_total_kwh_per_t") is None
        ):
            problems.append(Problem("ac_total_kwh_per_t", _("required for an electrolysis line with output"), i))
    else:
        for field in ("al_liquid_t", "ac_kwh_per_t", "ac_total_kwh_per_t"):
            if line.get(field) is not None:
                problems.append(
                    Problem(field, _("only for electrolytic aluminium lines, not %(unit)s") % {"unit": unit.name}, i)
                )
    return problems
