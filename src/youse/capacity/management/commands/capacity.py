"""`youse capacity check|audit|summary`: the aluminium capacity ledger from the shell.

    youse capacity check ZH-2026-001 [--json]   the rule report of a scheme (by id or number); exit status 0
                                                when every rule passes, 1 when one fails, 2 for no such scheme
    youse capacity audit                        replays every indicator's journal against its holdings;
                                                exit status 1 when any disagree
    youse capacity summary [--json]             tonnes per holding across the province

All three only read; nothing here changes the ledger."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce
from rich.console import Console
from rich.table import Table

from youse.capacity import ledger, services
from youse.capacity.models import HOLDING_LABELS, CapacityIndicator, ReplacementScheme
from youse.capacity.rules import Holding, Report
from youse.core import audit
from youse.core.models import AuditEvent

UNKNOWN_SCHEME = 2


class Command(BaseCommand):
    help = "Check a replacement scheme against the rules, audit the ledger's journal, or print its totals."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{check,audit,summary}")
        check = actions.add_parser("check", help="Print a scheme's rule report (exit 1 when a rule fails)")
        check.add_argument("scheme", metavar="SCHEME_ID|CODE", help="Scheme id or number, e.g. ZH-2026-001")
        check.add_argument("--json", dest="as_json", action="store_true", help="machine-readable output")
        actions.add_parser("audit", help="Replay every indicator's journal against its holdings (exit 1 if any differ)")
        summary = actions.add_parser("summary", help="Tonnes per holding across the province")
        summary.add_argument("--json", dest="as_json", action="store_true", help="machine-readable output")

    def handle(self, *args, **options) -> None:
        with audit.channel(AuditEvent.Channel.CLI):
            getattr(self, f"handle_{options['action']}")(**options)

    def _console(self) -> Console:
        # Wide enough for the reasons; plain text when the output is not a terminal (pipes, tests).
        return Console(file=self.stdout._out, width=160, soft_wrap=False)

    # --- check ----------------------------------------------------------------------------------------

    def _scheme(self, ref: str) -> ReplacementScheme:
        ref = ref.strip()
        scheme = ReplacementScheme.objects.filter(code=ref).first()
        if scheme is None and ref.isdigit():
            scheme = ReplacementScheme.objects.filter(pk=int(ref)).first()
        if scheme is None:
            raise CommandError(f"No replacement scheme {ref!r} (give its id or number).", returncode=UNKNOWN_SCHEME)
        return scheme

    def handle_check(self, scheme: str, as_json: bool, **_) -> None:
        obj = self._scheme(scheme)
        report = services.check_scheme(obj)
        if as_json:
            self._check_json(obj, report)
        else:
            self._check_table(obj, report)
        failed = len(report.failures)
        if failed:
            raise CommandError(f"{obj.code}: {failed} of {len(report.results)} rules fail.", returncode=1)

    def _check_json(self, scheme: ReplacementScheme, report: Report) -> None:
        data = {"scheme": scheme.code, "id": scheme.pk, "state": scheme.state, **report.as_dict()}
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def _check_table(self, scheme: ReplacementScheme, report: Report) -> None:
        console = self._console()
        table = Table(title=f"{scheme.code} {scheme.title} ({scheme.state})", title_justify="left")
        for column in ("rule", "result", "why", "citation"):
            table.add_column(column, overflow="fold")
        for r in report.results:
            verdict = "[green]pass[/]" if r.passed else "[bold red]FAIL[/]"
            if r.unverified:
                verdict += " (unverified data)"
            table.add_row(f"{r.code}: {r.title}", verdict, r.why, r.citation)
        console.print(table)
        if report.passed:
            console.print(f"All {len(report.results)} rules pass.")

    # --- audit ----------------------------------------------------------------------------------------

    def handle_audit(self, **_) -> None:
        problems = ledger.discrepancies()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(
                f"{len(problems)} indicator(s) disagree with their journal: tonnes moved outside the ledger.",
                returncode=1,
            )
        count = CapacityIndicator.objects.count()
        self.stdout.write(f"OK: {count} indicators; every journal replays to its holdings.")

    # --- summary --------------------------------------------------------------------------------------

    def handle_summary(self, as_json: bool, **_) -> None:
        sums = {h.value: Coalesce(Sum(CapacityIndicator.HOLDING_FIELDS[h]), 0) for h in Holding}
        totals = CapacityIndicator.objects.aggregate(indicators=Count("pk"), tonnes=Coalesce(Sum("tonnes"), 0), **sums)
        if as_json:
            self.stdout.write(json.dumps(totals, indent=2))
            return
        console = self._console()
        table = Table(title=f"Capacity ledger: {totals['indicators']} indicators", title_justify="left")
        table.add_column("holding")
        table.add_column("t/yr", justify="right")
        for h in Holding:
            table.add_row(f"{h.value} ({HOLDING_LABELS[h]})", f"{totals[h.value]:,}")
        table.add_row("[bold]total[/]", f"[bold]{totals['tonnes']:,}[/]")
        console.print(table)
