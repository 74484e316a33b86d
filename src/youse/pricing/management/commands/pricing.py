"""`youse pricing surcharge`: one smelter-year's electricity surcharge with the whole arithmetic.

    youse pricing surcharge --year 2022 --consumption 13700 [--renewable-share 20 --incentive-weight 16]
                            [--electricity-kwh N] [--category restricted] [--months 12] [--json]

`--year` is the year in which the price applies (执行年度); `--consumption` the audited kWh/t that year's
rule set is applied to (the year before's 铝液电解 or 铝液综合 AC consumption, as the rule set says);
shares in percent. The JSON holds `surcharge_per_kwh` (元/kWh, after any renewable reduction) beside every
intermediate figure and the documents applied. Nothing is written."""

import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from youse.pricing import rules, services


def _decimal(value: str) -> Decimal:
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValueError(f"not a number: {value!r}") from None


class Command(BaseCommand):
    help = "Compute an electrolytic aluminium smelter's electricity surcharge for a year, with its arithmetic."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{surcharge}")
        s = actions.add_parser("surcharge", help="One smelter-year's surcharge with every intermediate figure")
        s.add_argument("--year", type=int, required=True, help="year in which the price applies (执行年度)")
        s.add_argument("--consumption", type=_decimal, required=True, help="audited kWh/t of aluminium liquid")
        s.add_argument("--renewable-share", type=_decimal, help="non-hydro renewable share, percent")
        s.add_argument("--incentive-weight", type=_decimal, help="province's previous-year incentive weight, percent")
        s.add_argument("--electricity-kwh", type=_decimal, help="aluminium liquid electricity, kWh (for the amount)")
        s.add_argument("--category", choices=[c.value for c in rules.Category], default=rules.Category.NORMAL.value)
        s.add_argument("--months", type=int, default=12, help="months the line ran in the year (under 6: excluded)")
        s.add_argument("--json", dest="as_json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options) -> None:
        if options["consumption"] <= 0:
            raise CommandError("--consumption must be a positive number of kWh/t")
        for name in ("renewable_share", "incentive_weight"):
            value = options.get(name)
            if value is not None and not (0 <= value <= 100):
                raise CommandError(f"--{name.replace('_', '-')} is a percentage between 0 and 100")
        inputs = rules.Inputs(
            year=options["year"],
            consumption=options["consumption"],
            renewable_share=options.get("renewable_share"),
            incentive_weight=options.get("incentive_weight"),
            electricity_kwh=options.get("electricity_kwh"),
            category=options["category"],
            months_operated=options["months"],
        )
        try:
            result = services.compute(inputs)
        except ValidationError as exc:
            raise CommandError("; ".join(m for ms in exc.message_dict.values() for m in ms)) from None
        data = result.as_dict()
        if options["as_json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        table = Table(title=f"{result.year}: {result.document}", show_header=False)
        for key, value in data.items():
            table.add_row(key, "" if value is None else str(value))
        Console(file=self.stdout._out, width=120).print(table)
