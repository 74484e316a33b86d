"""`youse indicators --period 2020 [--scope city:610800] [--json]`: every indicator with its inputs."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from youse.stats import indicators
from youse.stats.rules import PeriodError, parse_period
from youse.stats.types import Scope, ScopeError

STATUS_TEXT = {
    "met": "met",
    "on_track": "on track",
    "off_track": "off track",
    "missed": "missed",
    "unknown": "—",
}


class Command(BaseCommand):
    help = (
        "Print every indicator of clause 一(二) for a period and scope: value, unit, target, status and the "
        "sums it was computed from (docs/indicators.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2020, 2020-06, 2020Q2 or 2020-06-ytd")
        parser.add_argument(
            "--scope",
            default="province",
            help="province (default), city:610800, city:zone-<id>, base:CODE, metal:Al or enterprise:ID",
        )
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options) -> None:
        try:
            period = parse_period(options["period"])
        except PeriodError as exc:
            raise CommandError(f"--period {options['period']!r}: {exc}") from None
        try:
            scope = indicators.resolve(Scope.parse(options["scope"]))
        except ScopeError as exc:
            raise CommandError(f"--scope {options['scope']!r}: {exc}") from None
        values = indicators.compute(period, scope)
        if options["json"]:
            data = {
                "period": str(period),
                "scope": str(scope),
                "scope_label": str(scope.label),
                "indicators": [v.as_json() for v in values],
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{scope.label} ({scope}) · {period}")
        for v in values:
            value = "—" if v.value is None else f"{v.value} {v.unit}"
            target = "" if v.target_value is None else f"target {v.comparator} {v.target_value}"
            status = STATUS_TEXT.get(v.check.status, v.check.status) if v.check else ""
            if v.check and v.check.required is not None and v.check.required != v.target_value:
                status += f" (path {v.check.required})"
            self.stdout.write(f"{v.code:<28} {value:>16}  {target:<22} {status}")
            if v.inputs:
                self.stdout.write("    " + ", ".join(f"{k}={val or '—'}" for k, val in v.inputs.items()))
