# ruff: noqa: E501  (the setup script is kept as one readable block)
"""End-to-end ingest of the HJ 212 gateway: packets per second from many data-logger connections to
committed reading rows, with the journal on (fsync before every reply), on SQLite and, when DATABASE_URL
names a PostgreSQL server, on a scratch database there; against a null receiver that reads and discards
the same stream on the same machine; and the gateway's memory at 5,000 idle connections.

    .venv/bin/python benchmarks/gateway_ingest.py [--points 1000] [--connections 200] [--seconds 15]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/gateway_ingest.py

Loopback only; every phase is bounded in time. The load generator (asyncio, this process) and the
gateway (`youse gateway`, its own process) share the machine's cores, as do the null receiver and the
same generator. Each packet is a 2017 minute upload (CN 2051, A = 1) of a smelter stack with nine
factors, i.e. nine reading rows. A logger keeps at most --window packets unacknowledged. A new section
is appended to benchmarks/RESULTS.md. Not part of the test suite."""

import argparse
import asyncio
import datetime as dt
import os
import platform
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
YOUSE = str(Path(sys.executable).with_name("youse"))
BEIJING = dt.timezone(dt.timedelta(hours=8))

from youse.monitoring.hj212.codec import encode  # noqa: E402

SETUP = r"""
from youse.core import services as cs
from youse.core.models import Division
from youse.core.roles import Role
from youse.monitoring.models import MonitoringPoint
from youse.registry import services as rs
from youse.registry.rules import make_credit_code
div = {d.code: d for d in Division.objects.exclude(code="")}
gxt = cs.create_user(None, "gxt", Role.DEPARTMENT, password="youse-bench-password", is_staff=True)
ent = rs.create_enterprise(gxt, {"name": "府谷示范镁业有限公司", "short_name": "示范镁业",
    "credit_code": make_credit_code("91610822MA0000001"), "division": div["610822"], "ownership": "private"})
plant = rs.create_plant(gxt, ent, {"name": "一厂", "division": div["610822"]})
# Benchmark fixtures: many points at once (the service registers one at a time with its audit event).
MonitoringPoint.objects.bulk_create([MonitoringPoint(plant=plant, mn=f"BENCH{i:09d}", pw="123456", name=f"{i}# 烟囱",
    outlet=f"DA{i:03d}", medium="gas", standard="GB 25465-2010", plant_type="镁冶炼") for i in range(POINTS)])
"""

FACTORS = {
    "a21026": (35.0, "mg/m3"),
    "a21002": (80.0, "mg/m3"),
    "a34013": (8.0, "mg/m3"),
    "a21018": (1.5, "mg/m3"),
    "a19001": (12.0, "%"),
    "a01012": (95.0, "°C"),
    "a01011": (12.0, "m/s"),
    "a01013": (-0.2, "kPa"),
    "a00000": (210000.0, "m3/h"),
}


def packet(point: int, i: int) -> bytes:
    when = dt.datetime(2026, 11, 1, tzinfo=BEIJING) + dt.timedelta(minutes=i)
    values = {}
    for k, (code, (base, _unit)) in enumerate(FACTORS.items()):
        v = round(base * (1 + 0.1 * (((point * 7 + i * 13 + k) % 21) - 10) / 10), 3)
        values[code] = {"avg": v, "min": round(v * 0.9, 3), "max": round(v * 1.1, 3), "flag": "N"}
    fields = {
        "qn": when.strftime("%Y%m%d%H%M%S") + f"{i % 1000:03d}",
        "st": "31",
        "cn": "2051",
        "pw": "123456",
        "mn": f"BENCH{point:09d}",
        "flag": 5,
        "data_time": when,
        "values": values,
    }
    return encode(fields)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# --- load ---------------------------------------------------------------------------------------------------


async def logger(address, pool: list[bytes], seconds: float, window: int, counts: dict, ack: bool) -> None:
    reader, writer = await asyncio.open_connection(*address)
    deadline = time.monotonic() + seconds
    sent = acked = 0
    outstanding = asyncio.Semaphore(window)

    async def replies():
        nonlocal acked
        while True:
            line = await reader.readuntil(b"\r\n")
            if b"CN=9014" in line:
                acked += 1
                counts["acked"] += 1
                outstanding.release()

    task = asyncio.create_task(replies()) if ack else None
    try:
        if ack:
            while time.monotonic() < deadline and sent < len(pool):
                await outstanding.acquire()
                writer.write(pool[sent])
                sent += 1
                counts["sent"] += 1
                if sent % 8 == 0:
                    await writer.drain()
            end = time.monotonic() + 30  # wait for the last replies
            while acked < sent and time.monotonic() < end:
                await asyncio.sleep(0.01)
        else:  # null receiver: the same bytes, 16 packets a write, as fast as the socket takes them
            chunks = [b"".join(pool[i : i + 16]) for i in range(0, len(pool), 16)]
            i = 0
            while time.monotonic() < deadline:
                chunk = chunks[i % len(chunks)]
                writer.write(chunk)
                await writer.drain()
                counts["sent"] += chunk.count(b"##")
                i += 1
    finally:
        if task:
            task.cancel()
        writer.close()


async def load(address, pools: list[list[bytes]], seconds: float, window: int, ack: bool) -> dict:
    counts = {"sent": 0, "acked": 0}
    started = time.monotonic()
    await asyncio.gather(*(logger(address, pool, seconds, window, counts, ack) for pool in pools))
    counts["seconds"] = time.monotonic() - started
    return counts


def make_pools(points: int, connections: int, total: int) -> list[list[bytes]]:
    """Packets generated before the clock starts: each connection plays one point, minute after minute."""
    per = max(1, total // connections)
    return [[packet((c * 7919) % points, i) for i in range(per)] for c in range(connections)]


# --- null receiver ----------------------------------------------------------------------------------------------

NULL_SERVER = r"""
import asyncio, sys
total = 0
class Sink(asyncio.Protocol):
    def data_received(self, data):
        global total
        total += len(data)
async def main():
    server = await asyncio.get_running_loop().create_server(Sink, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    print(total, flush=True)
asyncio.run(main())
"""


def null_receiver(pools, seconds: float, window: int) -> dict:
    proc = subprocess.Popen(
        [sys.executable, "-c", NULL_SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        port = int(proc.stdout.readline())
        counts = asyncio.run(load(("127.0.0.1", port), pools, seconds, window, ack=False))
        time.sleep(0.5)
        proc.stdin.write("\n")
        proc.stdin.flush()
        received = int(proc.stdout.readline())
        size = sum(len(packet(0, i)) for i in range(100)) / 100
        counts["packets_received"] = received / size
        return counts
    finally:
        proc.kill()
        proc.wait()


# --- gateway --------------------------------------------------------------------------------------------------


class Gateway:
    def __init__(self, env: dict, journal: Path) -> None:
        self.proc = subprocess.Popen(
            [
                YOUSE,
                "gateway",
                "--listen",
                "127.0.0.1:0",
                "--metrics",
                "127.0.0.1:0",
                "--journal",
                str(journal),
                "--max-connections",
                "20000",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        first, second = self.proc.stdout.readline(), self.proc.stdout.readline()
        m = re.search(r"listening on ([\d.]+):(\d+)", first)
        self.address = (m.group(1), int(m.group(2)))
        self.metrics_url = re.search(r"(http://\S+)", second).group(1)

    def metrics(self) -> dict[str, float]:
        text = urllib.request.urlopen(self.metrics_url, timeout=10).read().decode()
        out: dict[str, float] = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                out[name] = float(value)
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def run_database(kind: str, args, pools, tmp: Path) -> dict:
    if kind == "sqlite":
        url, drop = f"sqlite:///{tmp / 'bench.sqlite3'}", None
    else:
        import psycopg

        admin = os.environ["DATABASE_URL"]
        name = f"youse_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        url = admin.rsplit("/", 1)[0] + "/" + name

        def drop():
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    env = {**os.environ, "DATABASE_URL": url, "YOUSE_VAR_DIR": str(tmp / f"var-{kind}")}
    try:
        subprocess.run([YOUSE, "migrate", "-v0"], env=env, check=True, timeout=600)
        subprocess.run(
            [YOUSE, "shell", "-c", SETUP.replace("POINTS", str(args.points))],
            env=env,
            check=True,
            timeout=600,
        )
        gw = Gateway(env, tmp / f"journal-{kind}")
        try:
            started = time.monotonic()
            counts = asyncio.run(load(gw.address, pools, args.seconds, args.window, True))
            acked_at = time.monotonic()
            deadline = acked_at + 180
            while time.monotonic() < deadline:
                m = gw.metrics()
                if m.get("youse_gateway_journal_lag_bytes", 1) == 0:
                    break
                time.sleep(0.05)
            drained = time.monotonic()
            m = gw.metrics()
            rss = rss_kib(gw.proc.pid)
        finally:
            gw.stop()
        if kind == "sqlite":
            import sqlite3

            with sqlite3.connect(tmp / "bench.sqlite3") as conn:
                rows = conn.execute("SELECT count(*) FROM monitoring_reading").fetchone()[0]
        else:
            import psycopg

            with psycopg.connect(url) as conn:
                rows = conn.execute("SELECT count(*) FROM monitoring_reading").fetchone()[0]
        return {
            "kind": kind,
            "sent": counts["sent"],
            "acked": counts["acked"],
            "load_seconds": acked_at - started,
            "total_seconds": drained - started,
            "rows": rows,
            "fsyncs": m.get("youse_gateway_fsyncs_total", 0),
            "batches": m.get("youse_gateway_db_batches_total", 0),
            "db_seconds": m.get("youse_gateway_db_write_seconds_total", 0),
            "rss_mib": rss / 1024,
        }
    finally:
        if drop:
            drop()


async def idle_connections(address, n: int) -> list:
    conns = []
    for i in range(0, n, 500):
        conns += await asyncio.gather(*(asyncio.open_connection(*address) for _ in range(min(500, n - i))))
    return conns


def idle_memory(tmp: Path, n: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
        "YOUSE_VAR_DIR": str(tmp / "var-idle"),
    }
    gw = Gateway(env, tmp / "journal-idle")
    try:
        time.sleep(1)
        before = rss_kib(gw.proc.pid)

        async def hold():
            conns = await idle_connections(gw.address, n)
            end = time.monotonic() + 30
            while gw.metrics().get("youse_gateway_connections", 0) < n and time.monotonic() < end:
                await asyncio.sleep(0.2)
            await asyncio.sleep(1)
            open_now = gw.metrics().get("youse_gateway_connections", 0)
            after = rss_kib(gw.proc.pid)
            for _, w in conns:
                w.close()
            return open_now, after

        open_now, after = asyncio.run(hold())
        return {
            "connections": open_now,
            "before_mib": before / 1024,
            "after_mib": after / 1024,
            "per_conn_kib": (after - before) / max(open_now, 1),
        }
    finally:
        gw.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--window", type=int, default=16, help="unacknowledged packets per logger")
    parser.add_argument("--idle", type=int, default=5000)
    parser.add_argument("--packets", type=int, default=150000, help="packets generated in advance (a bound)")
    parser.add_argument("--no-write", action="store_true", help="print, do not append to RESULTS.md")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.idle)), hard))
    kinds = ["sqlite"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        kinds.append("postgresql")
    results = []
    with tempfile.TemporaryDirectory(prefix="youse-gw-bench-") as tmpdir:
        tmp = Path(tmpdir)
        pools = make_pools(args.points, args.connections, args.packets)
        null = null_receiver(pools, args.seconds, args.window)
        null_rate = null["packets_received"] / null["seconds"]
        print(f"null receiver: {null_rate:,.0f} packets/s")
        for kind in kinds:
            r = run_database(kind, args, pools, tmp)
            r["rate"] = r["rows"] / len(FACTORS) / r["total_seconds"]
            r["ack_rate"] = r["acked"] / r["load_seconds"]
            results.append(r)
            print(kind, r)
        idle = idle_memory(tmp, args.idle)
        print("idle", idle)

    lines = [
        "",
        "## HJ 212 gateway ingest",
        "",
        "What: `benchmarks/gateway_ingest.py`: "
        f"{args.connections} data-logger connections over loopback (of {args.points} registered points), each "
        f"sending 2017 minute uploads (CN 2051, A = 1, 9 factors = 9 reading rows, ≈{len(packet(0, 0))} bytes) with at most "
        f"{args.window} unacknowledged, for {args.seconds:g} s; the gateway journals each frame, fsyncs in group commits, "
        "replies 9014 after the fsync, and its writer drains the journal into the database (executemany on SQLite, COPY + "
        "INSERT … ON CONFLICT on PostgreSQL). End-to-end rate = packets whose rows are committed ÷ time from the first "
        "packet until the journal lag is 0. Null receiver: an asyncio server that reads and discards the same stream "
        "(no replies, so the generator does not wait). The generator and the server share the machine.",
        "",
        f"Command: `{' '.join(['.venv/bin/python', 'benchmarks/gateway_ingest.py', *sys.argv[1:]])}`"
        + (" with DATABASE_URL=postgresql://…" if "postgresql" in kinds else ""),
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "",
        f"Date: {dt.date.today().isoformat()}",
        "",
        "| receiver | packets sent | acknowledged | rows committed | fsyncs | DB batches | end-to-end packets/s | rows/s | ratio to null |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| null receiver (read and discard) | {null['sent']:,} | – | – | – | – | {null_rate:,.0f} | – | 1 |",
    ]
    for r in results:
        lines.append(
            f"| gateway → {r['kind']} | {r['sent']:,} | {r['acked']:,} | {r['rows']:,} | {r['fsyncs']:,.0f} | "
            f"{r['batches']:,.0f} | **{r['rate']:,.0f}** | {r['rate'] * len(FACTORS):,.0f} | {r['rate'] / null_rate:.3f} |"
        )
    lines += [
        "",
        f"Memory: gateway RSS {idle['before_mib']:.1f} MiB at start, {idle['after_mib']:.1f} MiB with "
        f"{idle['connections']:,.0f} idle connections open (≈ {idle['per_conn_kib']:.1f} KiB per connection).",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        with RESULTS.open("a") as f:
            f.write(text)


if __name__ == "__main__":
    main()
