"""`youse demo --seed N --scale K`: build the synthetic Shaanxi data set into an empty database."""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from youse.demo.generator import DemoRefused, build, refusal
from youse.demo.progress import progress_bar


class Command(BaseCommand):
    help = "Build the deterministic synthetic (示例) Shaanxi data set and the demo personas."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=42, help="same seed and scale, same data (default 42)")
        parser.add_argument("--scale", type=int, default=1, help="about 200 × scale enterprises (default 1)")
        parser.add_argument(
            "--no-reports",
            action="store_true",
            help="leave out the monthly statistical reports",
        )

    def handle(self, *args, seed: int, scale: int, no_reports: bool = False, **options) -> None:
        if scale < 1:
            raise CommandError("--scale must be at least 1")
        why = refusal()
        if why:
            raise CommandError(why)
        console = Console(file=self.stdout._out, stderr=False)
        try:
            with progress_bar(console, f"Synthetic data set (seed {seed}, scale {scale})") as update:
                result = build(seed, scale, progress=update, reports=not no_reports)
        except DemoRefused as exc:
            raise CommandError(str(exc)) from None
        figures = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in result.counts.items())
        console.print(f"Built in {result.seconds:.1f} s: {figures}. All of it is synthetic (示例数据).")
