"""`youse bulletin`: write a month's bulletin as a web page, a PDF or a Word document.

    youse bulletin --month 2020-06 --format pdf --out 2020-06.pdf

The published bulletin of the month (its newest version) when there is one; otherwise the document is
built fresh from the data as it stands and rendered as a draft (marked 草稿), which stderr says. Nothing
is written to the database."""

import datetime as dt
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from youse.portal.bulletin import render, services
from youse.portal.bulletin.charts import ChartFontMissing
from youse.portal.models import Bulletin, month_of

FORMATS = ("html", "pdf", "docx")


class Command(BaseCommand):
    help = "Write a month's capacity monitoring and early-warning bulletin as html, pdf or docx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="the month, YYYY-MM (e.g. 2020-06)")
        parser.add_argument("--format", dest="fmt", required=True, help="html, pdf or docx")
        parser.add_argument("--out", required=True, help="the file to write ('-' for standard output)")

    def handle(self, *args, **options) -> None:
        fmt = str(options["fmt"]).lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(f"--format must be one of {', '.join(FORMATS)}, not {options['fmt']!r}")
        try:
            month = month_of(options["month"])
        except ValueError as exc:
            raise CommandError(f"--month: {exc}") from None
        if month > timezone.localdate().replace(day=1):
            raise CommandError(f"--month: {month:%Y-%m} has not begun yet")
        bulletin = services.current(month)
        if bulletin is None:
            bulletin = self._fresh(month)
        else:
            self.stderr.write(f"{month:%Y-%m}: the published bulletin, version {bulletin.version}")
        started = time.perf_counter()
        try:
            content = {"html": lambda b: render.html(b).encode(), "pdf": render.pdf, "docx": render.docx}[fmt](bulletin)
        except ChartFontMissing as exc:
            raise CommandError(str(exc)) from None
        out = options["out"]
        if out == "-":
            sys.stdout.buffer.write(content)
        else:
            path = Path(out)
            if not path.parent.exists():
                raise CommandError(f"--out: the folder {path.parent} does not exist")
            path.write_bytes(content)
        self.stderr.write(f"wrote {len(content):,} bytes of {fmt} to {out} in {time.perf_counter() - started:.1f} s")

    def _fresh(self, month: dt.date) -> Bulletin:
        if not services.has_accepted_reports(month):
            raise CommandError(f"{month:%Y-%m}: no report has been accepted for this month; there is nothing to report")
        draft = Bulletin.objects.drafts().filter(month=month).first()
        self.stderr.write(
            f"{month:%Y-%m}: no published bulletin; rendering a draft built from the data as it stands"
            + (" (with the commentary of the department's draft)" if draft else "")
        )
        return Bulletin(
            month=month,
            version=draft.version if draft else 1,
            data=services.build_content(month),
            commentary=dict(draft.commentary) if draft else {},
            drafted_at=timezone.now(),
            correction_note=draft.correction_note if draft else "",
        )
