"""`youse gateway --listen HOST:PORT`: the HJ 212 receiving gateway (its own process)."""

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Receive HJ 212 traffic from data loggers: journal, reply, store readings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--listen", default="127.0.0.1:2120", help="HOST:PORT to listen on")
        parser.add_argument("--journal", default=None, help="journal directory (default var/journal)")
        parser.add_argument("--metrics", default=None, help="HOST:PORT for the Prometheus /metrics endpoint")
        parser.add_argument("--max-frame", type=int, default=9999)
        parser.add_argument("--idle-timeout", type=float, default=300.0, help="seconds of silence before closing")
        parser.add_argument("--max-connections", type=int, default=20000)
        parser.add_argument("--frame-timeout", type=float, default=None, help="seconds an incomplete frame may take")
        parser.add_argument("--connection-buffer", type=int, default=None, help="undecoded bytes per connection")
        parser.add_argument("--global-buffer", type=int, default=None, help="undecoded bytes across connections")
        parser.add_argument(
            "--journal-max-lag", type=int, default=None, help="journal bytes not yet stored before reading pauses"
        )
        parser.add_argument("--batch-records", type=int, default=None, help="journal records per database batch")

    def handle(self, *args, **options) -> None:
        from youse.monitoring.hj212 import gateway

        gateway.main(options, self.stdout)
