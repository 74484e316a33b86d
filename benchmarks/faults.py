"""Fault drill: the platform's real processes on a PostgreSQL server of the drill's own, through faults,
with what each fault cost measured. Proof that nothing is lost or doubled is the fault tests'
(tests/monitoring/test_faults.py, tests/core/test_availability.py); this script measures the times.

    .venv/bin/python benchmarks/faults.py [--points 50] [--rate 1] [--outage 10] [--no-write]

Runs: a private PostgreSQL (initdb/pg_ctl, as the postgres user when root), gunicorn (4 workers, kept
database connections as in production), the HJ 212 gateway with the simulator playing --points data
loggers at --rate packets/s each, one more logger whose every acknowledged packet is checked, and a
prober requesting a public page and /healthz every 50 ms. Then, one after the other:

1. PostgreSQL crashes (pg_ctl stop -m immediate) for --outage seconds and starts again;
2. every gunicorn worker is killed with -9;
3. the gateway is killed with -9 and started again on its journal;
4. everything is stopped and started again (gateway and gunicorn with SIGTERM, PostgreSQL cleanly).

For each: what the prober saw (answers by status, the longest answer, time to the first 200 after the
fault ended), what the gateway acknowledged meanwhile, and how long until its journal was drained. At the
end: the checked logger's acknowledged packets against the database (lost, doubled). The figures replace
the "Fault drill" section of benchmarks/RESULTS.md (--no-write prints them instead).
"""

import argparse
import collections
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from demo_build import machine, replace_section  # noqa: E402
from tests.monitoring.test_faults import MN, SETUP, Client, _packet  # noqa: E402
from tests.pgcluster import PrivateCluster, free_port  # noqa: E402

SECTION = "## Fault drill"
BIN = Path(sys.executable).parent

MORE_POINTS = """
from youse.core.models import User
from youse.monitoring.services import create_point
from youse.registry.models import Plant
gxt, plant = User.objects.get(username="gxt"), Plant.objects.get()
for i in range(__N__):
    create_point(gxt, {"plant": plant, "mn": f"6108230000{i:04d}", "pw": "123456", "name": f"{i}# 烟囱",
        "outlet": f"DA{i:03d}", "medium": "gas", "standard": "GB 25465-2010", "plant_type": "镁冶炼"})
"""


class Prober(threading.Thread):
    """Requests `paths` in turn every `every` seconds; keeps (time, path, status or error, seconds)."""

    def __init__(self, base: str, paths: list[str], every: float = 0.05) -> None:
        super().__init__(daemon=True)
        self.base, self.paths, self.every = base, paths, every
        self.log: list[tuple[float, str, str, float]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        i = 0
        while not self.stop.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + path, timeout=30) as r:
                    outcome = str(r.status)
            except urllib.error.HTTPError as e:
                outcome = str(e.code)
            except OSError as e:
                outcome = type(e).__name__
            self.log.append((started, path, outcome, time.monotonic() - started))
            self.stop.wait(self.every)

    def window(self, start: float, end: float) -> list[tuple[float, str, str, float]]:
        return [row for row in self.log if start <= row[0] < end]

    def first_ok_after(self, t: float, path: str) -> float | None:
        for started, p, outcome, seconds in self.log:
            if started >= t and p == path and outcome == "200":
                return started + seconds - t
        return None


class Drill:
    def __init__(self, points: int, rate: float, tmp: Path) -> None:
        self.tmp = tmp
        self.cluster = PrivateCluster()
        import psycopg

        with psycopg.connect(self.cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE youse")
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "YOUSE_DEBUG"},
            "DATABASE_URL": self.cluster.url("youse"),
            "YOUSE_VAR_DIR": str(tmp / "var"),
            "YOUSE_CONN_MAX_AGE": "60",
            "YOUSE_GATEWAY_METRICS_FILE": str(tmp / "gateway.prom"),
        }
        self.youse("migrate", "-v0")
        self.youse("shell", "-c", SETUP)
        self.youse("shell", "-c", MORE_POINTS.replace("__N__", str(points)))
        self.journal = tmp / "journal"
        self.web_port, self.gw_port, self.metrics_port = free_port(), free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.points, self.rate = points, rate
        self.web = self.gateway = self.simulator = None

    def youse(self, *args: str) -> None:
        subprocess.run([str(BIN / "youse"), *args], env=self.env, check=True, capture_output=True, timeout=600)

    # --- processes ---------------------------------------------------------------------------------------
    def start_web(self) -> None:
        argv = [str(BIN / "gunicorn"), "youse.wsgi:application", "--bind", f"127.0.0.1:{self.web_port}"]
        argv += ["--workers", "4", "--timeout", "60", "--graceful-timeout", "5"]
        self.web = subprocess.Popen(argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start_gateway(self) -> None:
        argv = [str(BIN / "youse"), "gateway", "--listen", f"127.0.0.1:{self.gw_port}"]
        argv += ["--metrics", f"127.0.0.1:{self.metrics_port}", "--journal", str(self.journal)]
        self.gateway = subprocess.Popen(argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.wait(lambda: self.metric("uptime_seconds") is not None, "the gateway")

    def start_simulator(self) -> None:
        argv = [str(BIN / "youse"), "hj212", "simulate", "--target", f"127.0.0.1:{self.gw_port}"]
        argv += ["--from-database", "--points", "0", "--rate", str(self.rate), "--duration", "0", "--seed", "42"]
        self.simulator = subprocess.Popen(argv, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def workers(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.web.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def metric(self, name: str) -> float | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics", timeout=5) as r:
                text = r.read().decode()
        except OSError:
            return None
        match = re.search(rf"^youse_gateway_{re.escape(name)} (\S+)$", text, re.M)
        return float(match.group(1)) if match else 0.0

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=5) as r:
                return r.status == 200
        except OSError:
            return False

    @staticmethod
    def wait(condition, what: str, deadline: float = 120.0) -> float:
        started = time.monotonic()
        while time.monotonic() - started < deadline:
            if condition():
                return time.monotonic() - started
            time.sleep(0.05)
        raise SystemExit(f"timed out waiting for {what}")

    def drained(self) -> bool:
        return self.metric("journal_lag_bytes") == 0

    def stop_all(self) -> None:
        for proc in (self.simulator, self.gateway, self.web):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(60)


def summarise(rows: list[tuple[float, str, str, float]]) -> str:
    counts = collections.Counter(outcome for _, _, outcome, _ in rows)
    return ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "none"


def run(points: int, rate: float, outage: float) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="youse-drill-"))
    drill = Drill(points, rate, tmp)
    results: dict = {"points": points, "rate": rate, "outage": outage, "faults": []}
    logger_packets = [
        _packet(i, dt.datetime.now(dt.timezone(dt.timedelta(hours=8))) - dt.timedelta(days=2)) for i in range(2400)
    ]
    try:
        drill.start_web()
        drill.wait(drill.healthy, "gunicorn")
        drill.start_gateway()
        drill.start_simulator()
        prober = Prober(drill.base, ["/public/", "/healthz"])
        prober.start()
        logger = Client(("127.0.0.1", drill.gw_port))
        sent = 0

        def send(until: int) -> None:  # the checked logger: at most 20 packets unanswered
            nonlocal sent
            while sent < until:
                if logger.count() >= sent - 20:
                    logger.send(logger_packets[sent][0])
                    sent += 1
                else:
                    time.sleep(0.002)

        send(200)
        time.sleep(3)

        # 1. PostgreSQL crashes
        replies0 = drill.metric("replies_total")
        t0 = time.monotonic()
        drill.cluster.stop("immediate")
        sender = threading.Thread(target=send, args=(800,))
        sender.start()
        time.sleep(outage)
        t1 = time.monotonic()
        drill.cluster.start()
        sender.join(60)
        acked_in_outage = drill.metric("replies_total") - replies0
        drain = drill.wait(drill.drained, "the journal drained after the crash")
        results["faults"].append(
            {
                "fault": f"PostgreSQL crash (pg_ctl stop -m immediate), {outage:.0f} s",
                "answers": summarise(prober.window(t0, t1)),
                "longest": max((s for _, _, _, s in prober.window(t0, t1)), default=0),
                "first_ok": prober.first_ok_after(t1, "/public/"),
                "gateway": f"{acked_in_outage:.0f} frames acknowledged during the outage; journal drained "
                f"{drain:.1f} s after PostgreSQL was back",
            }
        )

        # 2. every gunicorn worker killed
        time.sleep(2)
        t0 = time.monotonic()
        for pid in drill.workers():
            os.kill(pid, signal.SIGKILL)
        respawn = drill.wait(lambda: len(drill.workers()) == 4 and drill.healthy(), "new workers")
        time.sleep(1)
        t1 = time.monotonic()
        results["faults"].append(
            {
                "fault": "every gunicorn worker killed (-9)",
                "answers": summarise(prober.window(t0, t1)),
                "longest": max((s for _, _, _, s in prober.window(t0, t1)), default=0),
                "first_ok": prober.first_ok_after(t0, "/public/"),
                "gateway": f"not concerned; 4 new workers answering /healthz after {respawn:.1f} s",
            }
        )

        # 3. the gateway killed and started again on its journal
        send(1400)
        t0 = time.monotonic()
        drill.gateway.send_signal(signal.SIGKILL)
        drill.gateway.wait(10)
        logger.close()
        drill.start_gateway()
        back = time.monotonic() - t0
        drain = drill.wait(drill.drained, "the journal replayed")
        logger = Client(("127.0.0.1", drill.gw_port))
        sent_before, sent = sent, 0
        send(sent_before)  # the logger resends what it may not have seen answered: everything
        results["faults"].append(
            {
                "fault": "the gateway killed (-9) and started again",
                "answers": "web not concerned",
                "longest": 0.0,
                "first_ok": None,
                "gateway": f"listening again {back:.1f} s after the kill, journal replayed in {drain:.1f} s; "
                "the data loggers reconnect and resend",
            }
        )

        # 4. everything stopped and started again
        send(2400)
        logger.wait_acks(2400)
        logger.close()
        drill.wait(drill.drained, "the journal drained before the restart")
        t0 = time.monotonic()
        drill.stop_all()
        stopped = time.monotonic() - t0
        drill.cluster.stop("fast")
        t1 = time.monotonic()
        drill.cluster.start()
        drill.start_web()
        drill.start_gateway()
        drill.start_simulator()
        up = drill.wait(drill.healthy, "the platform after the restart")
        healthy = time.monotonic() - t1
        time.sleep(3)
        prober.stop.set()
        prober.join(30)
        results["faults"].append(
            {
                "fault": "everything stopped (SIGTERM, PostgreSQL -m fast) and started again",
                "answers": summarise(prober.window(t0, t1 + healthy)),
                "longest": max((s for _, _, _, s in prober.window(t1, time.monotonic())), default=0),
                "first_ok": prober.first_ok_after(t1, "/public/"),
                "gateway": f"processes stopped in {stopped:.1f} s; healthy {healthy:.1f} s after the "
                f"start began (web {up:.1f} s after gunicorn started)",
            }
        )

        import psycopg

        with psycopg.connect(drill.cluster.url("youse")) as conn:
            stored = [
                row[0].astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
                for row in conn.execute(
                    "SELECT r.data_time FROM monitoring_reading r JOIN monitoring_monitoringpoint p "
                    "ON p.id = r.point_id WHERE p.mn = %s AND r.kind = 'min' AND r.factor = 'a21026'",
                    (MN,),
                )
            ]
            results["readings"] = conn.execute("SELECT count(*) FROM monitoring_reading").fetchone()[0]
        # The simulator plays the checked logger's point too, at the present time: count its two days ago.
        expected = {when for _, _, when in logger_packets}
        stored = [when for when in stored if when in expected]
        results["logger"] = {
            "sent": len(logger_packets),
            "stored": len(stored),
            "lost": len(expected - set(stored)),
            "doubled": len(stored) - len(set(stored)),
        }
        results["probes"] = len(prober.log)
        results["server_errors"] = sum(
            1 for _, _, outcome, _ in prober.log if outcome.startswith("5") and outcome != "503"
        )
    finally:
        drill.stop_all()
        drill.cluster.destroy()
    return results


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def section(r: dict) -> str:
    rows = "\n".join(
        f"| {f['fault']} | {f['answers']} | {f['longest'] * 1000:.0f} | {_seconds(f['first_ok'])} | {f['gateway']} |"
        for f in r["faults"]
    )
    lg = r["logger"]
    return f"""{SECTION}

What: the platform's processes on a PostgreSQL server of the drill's own: gunicorn (4 workers, kept
connections), the HJ 212 gateway with the simulator playing {r["points"]} registered data loggers at
{r["rate"]} packets/s each, one more logger whose packets are checked one by one (at most 20 unanswered,
resending everything after a reconnection), and a prober requesting `/public/` and `/healthz` in turn every
50 ms. The faults one after the other; "answers" are the prober's during the fault (a 503 is the
designed answer while the database is down: a page needing no database, with Retry-After; 500 would be
a failure); "first 200" counts from the fault's end (the database started again, the workers killed).

Command: `.venv/bin/python benchmarks/faults.py --points {r["points"]} --rate {r["rate"]} --outage {r["outage"]:.0f}`

Machine: {machine()}

Date: {dt.date.today().isoformat()}

| fault | web answers during it | longest answer ms | first 200 after s | gateway |
|---|---|---|---|---|
{rows}

The checked logger: {lg["sent"]} packets sent, **{lg["stored"]} stored, {lg["lost"]} lost, {lg["doubled"]}
doubled**. The prober made {r["probes"]} requests; answers 500 or other 5xx than 503: **{r["server_errors"]}**.
Readings in the database at the end: {r["readings"]}.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1.0)
    parser.add_argument("--outage", type=float, default=10.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = run(args.points, args.rate, args.outage)
    text = section(results)
    print(text)
    print(json.dumps(results, indent=1, default=str), file=sys.stderr)
    if not args.no_write:
        replace_section(SECTION, text)
    bad = results["logger"]["lost"] or results["logger"]["doubled"] or results["server_errors"]
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
