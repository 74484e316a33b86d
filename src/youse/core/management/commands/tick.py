"""Run every registered time-based duty once (see youse.core.tick)."""

import traceback

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from youse.core import audit
from youse.core.models import AuditEvent
from youse.core.tick import DUTIES


class Command(BaseCommand):
    help = "Run the platform's time-based duties once (idempotent; for cron or a systemd timer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--only", action="append", default=[], help="run only this duty (repeatable)")
        parser.add_argument("--list", action="store_true", help="list the duties and exit")

    def handle(self, *args, **options) -> None:
        if options["list"]:
            for d in DUTIES.values():
                self.stdout.write(f"{d.name}\t{d.description}")
            return
        unknown = [name for name in options["only"] if name not in DUTIES]
        if unknown:
            raise CommandError(f"Unknown duty: {', '.join(unknown)} (see youse tick --list)")
        now = timezone.now()
        failed = []
        with audit.channel(AuditEvent.Channel.SYSTEM):
            for d in DUTIES.values():
                if options["only"] and d.name not in options["only"]:
                    continue
                try:
                    with transaction.atomic():
                        summary = d.run(now)
                    self.stdout.write(f"{d.name}: {summary}")
                except Exception:  # one duty's failure must not stop the others
                    failed.append(d.name)
                    self.stderr.write(f"{d.name}: FAILED\n{traceback.format_exc()}")
        if failed:
            raise CommandError(f"Duties failed: {', '.join(failed)}")
