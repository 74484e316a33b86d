"""`youse up` (behind `make run`): the whole platform on one machine with one command.

Migrates the database, builds the synthetic data set when the registry is empty, then starts the
platform's processes as children and supervises them: the web server, the ticker (`youse tick`
every minute), the HJ 212 gateway and a simulator playing the demo's data loggers against it; the worker
joins `processes()` when its module adds it. Ctrl-C (SIGINT) or SIGTERM stops every child it started; if
a child dies on its own, the others are stopped too, so nothing is left running half-way."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from rich.console import Console
from rich.table import Table

from youse.demo.generator import DemoRefused, build, refusal
from youse.demo.personas import sign_ins
from youse.demo.progress import progress_bar
from youse.monitoring.models import MonitoringPoint
from youse.registry.models import Enterprise

DEMO_SEED, DEMO_SCALE = 42, 1
TICK_EVERY = 60  # seconds between two runs of `youse tick`
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@dataclass(frozen=True)
class ChildProcess:
    """One process `youse up` starts: a name for messages and the command line."""

    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)


def youse_command(*args: str) -> list[str]:
    """A `youse` subcommand run with the same interpreter and environment as this one."""
    return [sys.executable, "-m", "youse.cli", *args]


# The ticker: a plain loop that runs `youse tick` in a fresh process every TICK_EVERY seconds, as cron or a
# systemd timer does in production. A failing duty makes that one run fail, not the loop; stopping the
# loop's process group stops a tick under way too.
TICK_LOOP = """
import subprocess, sys, time
while True:
    started = time.monotonic()
    subprocess.run(sys.argv[1:], check=False)
    time.sleep(max(1.0, {every} - (time.monotonic() - started)))
"""


GATEWAY_LISTEN = "127.0.0.1:2120"
GATEWAY_METRICS = "127.0.0.1:9120"
SIMULATOR_RATE = 0.2  # packets per second per point: a real-time packet every 5 s, minute data each minute


def processes(
    host: str,
    port: int,
    *,
    reload: bool = False,
    tick_every: int = TICK_EVERY,
    gateway: str | None = GATEWAY_LISTEN,
    metrics: str | None = GATEWAY_METRICS,
    simulate: bool = True,
) -> list[ChildProcess]:
    """Every process of the platform, in start order. Later modules append theirs here.

    The HJ 212 gateway listens on `gateway` (None: not started); the simulator plays the registered
    monitoring points' data loggers against it, so the demo's monitoring board is live."""
    web = youse_command("runserver", f"{host}:{port}", *([] if reload else ["--noreload"]))
    ticker = [sys.executable, "-c", TICK_LOOP.format(every=tick_every), *youse_command("tick")]
    children = [ChildProcess("web", web), ChildProcess("ticker", ticker)]
    if gateway:
        argv = youse_command("gateway", "--listen", gateway, *(["--metrics", metrics] if metrics else []))
        children.append(ChildProcess("gateway", argv))
        if simulate:
            children.append(
                ChildProcess(
                    "simulator",
                    youse_command(
                        "hj212",
                        "simulate",
                        "--target",
                        gateway,
                        "--from-database",
                        "--points",
                        "0",
                        "--rate",
                        str(SIMULATOR_RATE),
                        "--duration",
                        "0",
                        # The demo's history was drawn with the demo's seed: the live figures continue it.
                        "--seed",
                        str(DEMO_SEED),
                    ),
                )
            )
    return children


def _address_free(address: str | None) -> bool:
    if not address:
        return True
    host, _, port = address.rpartition(":")
    return port.isdigit() and port_free(host.strip("[]"), int(port))


class Supervisor:
    """Starts children in process groups of their own and stops them all, whatever they spawned."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.running: list[tuple[ChildProcess, subprocess.Popen[bytes]]] = []

    def start(self, child: ChildProcess) -> None:
        # A session of its own: the terminal's Ctrl-C reaches only `youse up`, which then stops each
        # child's whole group (runserver's autoreloader runs the server in a grandchild).
        proc = subprocess.Popen(child.argv, env={**os.environ, **child.env}, start_new_session=True)
        self.running.append((child, proc))
        self.console.print(f"[dim]started {child.name} (pid {proc.pid})[/dim]")

    def exited(self) -> tuple[ChildProcess, int] | None:
        for child, proc in self.running:
            code = proc.poll()
            if code is not None:
                return child, code
        return None

    def stop(self, timeout: float = 10.0) -> None:
        for _child, proc in reversed(self.running):
            if proc.poll() is None:
                self._signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child, proc in reversed(self.running):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.console.print(f"[yellow]{child.name} did not stop in {timeout:.0f} s; killing it[/yellow]")
                self._signal_group(proc, signal.SIGKILL)
                proc.wait()
            # Members of the group that outlived their leader (a reloader's server) go too.
            self._signal_group(proc, signal.SIGKILL)
            self.console.print(f"[dim]stopped {child.name} (pid {proc.pid})[/dim]")
        self.running.clear()

    @staticmethod
    def _signal_group(proc: subprocess.Popen[bytes], sig: int) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # a response, even 503 (migrations pending), means the server is up
    except (urllib.error.URLError, OSError):
        return False


class Command(BaseCommand):
    help = "Migrate, load the synthetic data set into an empty database, and run the platform until Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="web port (default 8000)")
        parser.add_argument("--no-demo", action="store_true", help="do not build the demo data set")
        parser.add_argument("--reload", action="store_true", help="restart the web server when code changes")
        parser.add_argument(
            "--gateway", default=GATEWAY_LISTEN, help=f"HOST:PORT of the HJ 212 gateway (default {GATEWAY_LISTEN})"
        )
        parser.add_argument(
            "--metrics",
            default=GATEWAY_METRICS,
            help=f"HOST:PORT of the gateway's /metrics (default {GATEWAY_METRICS})",
        )
        parser.add_argument("--no-gateway", action="store_true", help="start neither the gateway nor the simulator")
        parser.add_argument("--no-simulator", action="store_true", help="start the gateway without the simulator")

    def handle(self, *args, host: str, port: int, no_demo: bool, reload: bool, **options) -> None:
        console = Console(file=self.stdout._out)
        self.stopping = False
        if not port_free(host, port):
            raise CommandError(f"Port {port} on {host} is in use: stop what uses it or choose another with --port.")
        gateway = None if options["no_gateway"] else options["gateway"]
        metrics = options["metrics"]
        for address, flag in ((gateway, "--gateway"), (metrics if gateway else None, "--metrics")):
            if not _address_free(address):
                raise CommandError(
                    f"{address} is in use (is another Youse running?): choose another with {flag}, or --no-gateway."
                )

        console.rule("[bold]Youse (有色)[/bold]")
        console.print("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        why = None if no_demo else refusal()
        if why and not Enterprise.objects.exists():
            console.print(f"[yellow]The synthetic data set was not built: {why}[/]")
        if not no_demo and why is None:
            try:
                with progress_bar(console, "Building the synthetic data set (示例数据)") as update:
                    result = build(DEMO_SEED, DEMO_SCALE, progress=update)
            except DemoRefused as exc:
                raise CommandError(str(exc)) from None
            console.print(f"Synthetic data set built in {result.seconds:.1f} s.")
        rows = sign_ins()
        # Nothing to play without registered points (--no-demo on an empty database).
        simulate = not options["no_simulator"] and MonitoringPoint.objects.filter(active=True).exists()
        # Children open their own connections; none of ours should be inherited.
        connections.close_all()

        for sig in STOP_SIGNALS:
            signal.signal(sig, self._on_signal)
        supervisor = Supervisor(console)
        code = 0
        try:
            children = processes(host, port, reload=reload, gateway=gateway, metrics=metrics, simulate=simulate)
            for child in children:
                supervisor.start(child)
            base_url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
            if self._wait_until_up(supervisor, base_url + "healthz"):
                self._banner(console, base_url, rows)
            while not self.stopping:
                dead = supervisor.exited()
                if dead:
                    child, code = dead
                    console.print(f"[red]{child.name} exited with code {code}; stopping the others.[/red]")
                    code = code or 1
                    break
                time.sleep(0.2)
        finally:
            supervisor.stop()
            for sig in STOP_SIGNALS:
                signal.signal(sig, signal.SIG_DFL)
        console.print("Youse stopped.")
        if code:
            sys.exit(code)

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    def _wait_until_up(self, supervisor: Supervisor, url: str, timeout: float = 60.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not self.stopping:
            if supervisor.exited():
                return False
            if answers(url):
                return True
            time.sleep(0.2)
        return False

    def _banner(self, console: Console, base_url: str, rows: list[dict[str, str]]) -> None:
        console.print(f"\nYouse is running at [bold link={base_url}]{base_url}[/]  (Ctrl-C stops everything)")
        if rows:
            table = Table(title="Demo sign-ins (synthetic data, 示例数据)", title_justify="left")
            for column in ("username", "role", "scope", "password"):
                table.add_column(column, overflow="fold")
            for row in rows:
                table.add_row(row["username"], row["role"], row["scope"], row["password"])
            console.print(table)
            if not settings.DEBUG:
                console.print(
                    "[yellow]DEBUG is off: demo personas cannot sign in (set YOUSE_DEBUG=1, as `make run` does).[/]"
                )
