"""`youse import_stats FILE.xlsx|.csv [--as USERNAME] [--status draft|submitted|accepted] [--dry-run]`

Imports monthly reports from the Excel template (or a CSV with its columns), all or nothing: a file with
any bad cell imports nothing, prints one line per error (sheet, row, column letter and code, message)
and exits with status 1. A progress bar shows while a large file is read."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from youse.core import audit
from youse.core.models import AuditEvent, User
from youse.core.roles import Role
from youse.stats import importer
from youse.stats.models import ReportStatus

STATUSES = (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class Command(BaseCommand):
    help = "Import monthly reports from an Excel workbook or CSV file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the filled-in template (.xlsx) or a CSV file with its columns")
        parser.add_argument(
            "--as",
            dest="username",
            help="the account that files the reports (default: the department's only account)",
        )
        parser.add_argument("--status", choices=[str(s) for s in STATUSES], default=str(ReportStatus.SUBMITTED))
        parser.add_argument("--dry-run", action="store_true", help="check the file and report, import nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = self._user(options["username"])
        username = user.username
        data = path.read_bytes()
        show_progress = not options["no_progress"] and len(data) > 256 * 1024
        try:
            with audit.channel(AuditEvent.Channel.IMPORT), self._progress(show_progress) as report_progress:
                result = importer.import_file(
                    user,
                    data,
                    path.name,
                    status=options["status"],
                    dry_run=options["dry_run"],
                    progress=report_progress,
                )
        except importer.FileRefused as exc:
            raise CommandError(str(exc)) from None
        except (PermissionDenied, Http404) as exc:
            raise CommandError(f"{username}: {exc}") from None
        summary = (
            f"{path.name}: {result.rows} rows, {result.reports} reports, {result.lines} lines"
            if result.rows
            else f"{path.name}: no data rows"
        )
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{summary}; {len(result.errors)} errors: nothing imported.", returncode=1)
        if result.dry_run:
            self.stdout.write(
                f"{summary}; no errors. Would create {result.created} and replace {result.replaced} reports "
                "(dry run: nothing imported)."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary}: imported as {options['status']}, {result.created} reports created, "
                f"{result.replaced} replaced, {result.lines} lines."
            )
        )

    def _user(self, username: str | None) -> User:
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"No active account {username!r}")
            return user
        # Without --as, the department's account when there is exactly one; otherwise say whose.
        department = list(User.objects.filter(role=Role.DEPARTMENT, is_active=True)[:2])
        if len(department) != 1:
            raise CommandError("Say whose reports these are: --as USERNAME")
        return department[0]

    def _progress(self, show: bool):
        return _Bar(self.stderr) if show else _NoBar()


class _NoBar:
    def __enter__(self):
        return None

    def __exit__(self, *exc) -> None:
        return None


class _Bar:
    """A rich progress bar over the rows read, on standard error (standard output stays for the result)."""

    def __init__(self, stream) -> None:
        from rich.console import Console

        self.progress = Progress(
            TextColumn("[bold]reading rows"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(file=getattr(stream, "_out", stream), stderr=True),
            transient=True,
        )
        self.task = None

    def __enter__(self):
        self.progress.start()
        self.task = self.progress.add_task("rows", total=None)
        return self.update

    def update(self, done: int, total: int | None) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __exit__(self, *exc) -> None:
        self.progress.stop()
