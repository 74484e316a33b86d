"""The gateway survives kill -9 and an unreachable database with nothing lost and nothing doubled.

Real processes (`youse gateway`) on real TCP sockets of 127.0.0.1, each test on its own database: a
SQLite file always, and a scratch PostgreSQL database as well when DATABASE_URL names PostgreSQL.
"""

import datetime as dt
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.monitoring.conftest import fill
from tests.pgcluster import PrivateCluster, require_private_cluster, wait_backend_gone, wait_for_lock_waiter
from youse.monitoring.hj212.codec import FrameDecoder, encode

pytestmark = pytest.mark.slow

YOUSE = str(Path(sys.executable).with_name("youse"))
MN = "61082200000001"
PW = "123456"
BEIJING = dt.timezone(dt.timedelta(hours=8))
BASE = dt.datetime(2026, 11, 1, 0, 0, tzinfo=BEIJING)
CLOSED_URL = "postgresql://postgres@127.0.0.1:{port}/nowhere?connect_timeout=2"

SETUP = """
from youse.core import services as cs
from youse.core.models import Division
from youse.core.roles import Role
from youse.registry import services as rs
from youse.registry.rules import make_credit_code
from youse.monitoring.services import create_point
div = {d.code: d for d in Division.objects.exclude(code="")}
gxt = cs.create_user(None, "gxt", Role.DEPARTMENT, password="youse-test-password", is_staff=True)
ent = rs.create_enterprise(gxt, {"name": "府谷示范镁业有限公司", "short_name": "示范镁业",
    "credit_code": make_credit_code("91610822MA0000001"), "division": div["610822"], "ownership": "private"})
plant = rs.create_plant(gxt, ent, {"name": "一厂", "division": div["610822"]})
create_point(gxt, {"plant": plant, "mn": "__MN__", "pw": "__PW__", "name": "1# 烟囱", "outlet": "DA001",
    "medium": "gas",
    "standard": "GB 25465-2010", "plant_type": "镁冶炼"})
""".replace("__MN__", MN).replace("__PW__", PW)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _databases() -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    return ["sqlite", "postgresql"] if url.startswith(("postgres://", "postgresql://")) else ["sqlite"]


class Database:
    """A migrated database with one registered point, reachable from other processes."""

    def __init__(self, kind: str, tmp: Path, admin: str | None = None) -> None:
        self.kind = kind
        self.tmp = tmp
        self.admin = admin or os.environ.get("DATABASE_URL", "")
        if kind == "sqlite":
            self.url = f"sqlite:///{tmp / 'youse.sqlite3'}"
        else:
            import psycopg

            self.name = f"youse_faults_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {self.name}")
            base, _, query = self.admin.partition("?")
            self.url = base.rsplit("/", 1)[0] + "/" + self.name + (f"?{query}" if query else "")
        self.env = {**os.environ, "DATABASE_URL": self.url, "YOUSE_VAR_DIR": str(tmp / "var")}
        subprocess.run([YOUSE, "migrate", "-v0"], env=self.env, check=True, timeout=300)
        subprocess.run([YOUSE, "shell", "-c", SETUP], env=self.env, check=True, timeout=120)

    def query(self, sql: str) -> list[tuple]:
        if self.kind == "sqlite":
            with sqlite3.connect(self.tmp / "youse.sqlite3") as conn:
                return conn.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as conn:
            return conn.execute(sql).fetchall()

    def minutes(self) -> list[str]:
        """Data times of the point's minute readings, one entry per row."""
        rows = self.query(
            "SELECT r.data_time FROM monitoring_reading r "
            "JOIN monitoring_monitoringpoint p ON p.id = r.point_id "
            f"WHERE p.mn = '{MN}' AND r.kind = 'min' AND r.factor = 'a21026'"
        )
        return [_utc(v) for (v,) in rows]

    def drop(self) -> None:
        if self.kind == "postgresql":
            import psycopg

            with psycopg.connect(self.admin, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


def _utc(value) -> str:
    if isinstance(value, str):  # SQLite: 'YYYY-MM-DD HH:MM:SS' in UTC
        value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def _packet(i: int, base: dt.datetime = BASE) -> tuple[bytes, str, str]:
    """Minute upload i (A = 1): the packet, its QN and its data time in UTC."""
    when = base + dt.timedelta(minutes=i)
    qn = when.strftime("%Y%m%d%H%M%S") + f"{i % 1000:03d}"
    values = {"a21026": {"avg": 20.0 + i % 7, "min": 18.0, "max": 25.0, "flag": "N"}}
    fields = {
        "qn": qn,
        "st": "31",
        "cn": "2051",
        "pw": PW,
        "mn": MN,
        "flag": 5,
        "data_time": when,
        "values": values,
    }
    return encode(fields), qn, when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


class Gateway:
    def __init__(self, db_env: dict, journal: Path, database_url: str | None = None) -> None:
        env = dict(db_env)
        if database_url:
            env["DATABASE_URL"] = database_url
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
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        lines = [self.proc.stdout.readline() for _ in range(2)]
        listen = re.search(r"listening on ([\d.]+):(\d+)", lines[0])
        assert listen, lines
        self.address = (listen.group(1), int(listen.group(2)))
        self.metrics_url = re.search(r"(http://\S+)", lines[1]).group(1)

    def metric(self, name: str) -> float:
        text = urllib.request.urlopen(self.metrics_url, timeout=5).read().decode()
        match = re.search(rf"^youse_gateway_{re.escape(name)} (\S+)$", text, re.M)
        return float(match.group(1)) if match else 0.0

    def health(self) -> tuple[int, dict]:
        url = self.metrics_url.replace("/metrics", "/healthz")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())

    def wait_for(self, condition, what: str, deadline: float = 60.0) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if condition():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def terminate(self) -> None:
        """SIGTERM: the gateway stops as systemd stops it (drains what it can, then exits)."""
        self.proc.send_signal(signal.SIGTERM)
        assert self.proc.wait(30) == 0
        self.proc.stdout.close()

    def wait_drained(self, frames: int, deadline: float = 90.0) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.metric("journal_lag_bytes") == 0 and self.metric("db_batches_total") > 0:
                return
            time.sleep(0.1)
        raise AssertionError("the journal was not drained")

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        if not self.proc.stdout.closed:
            self.proc.stdout.close()


class Client:
    """A data logger: sends packets, collects the QNs of the 9014 replies it receives."""

    def __init__(self, address) -> None:
        self.sock = socket.create_connection(address, timeout=30)
        self.acked: list[str] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        decoder = FrameDecoder()
        while True:
            try:
                data = self.sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            for frame in decoder.feed(data):
                if frame.ok and frame.cn == "9014":
                    with self.lock:
                        self.acked.append(frame.qn)

    def send(self, data: bytes) -> bool:
        try:
            self.sock.sendall(data)
            return True
        except OSError:
            return False

    def count(self) -> int:
        with self.lock:
            return len(self.acked)

    def wait_acks(self, n: int, deadline: float = 60.0) -> None:
        end = time.monotonic() + deadline
        while self.count() < n and time.monotonic() < end and self.thread.is_alive():
            time.sleep(0.01)

    def close(self) -> None:
        self.sock.close()
        self.thread.join(5)


@pytest.fixture(params=_databases())
def database(request, tmp_path):
    db = Database(request.param, tmp_path)
    try:
        yield db
    finally:
        db.drop()


@pytest.fixture
def processes():
    started: list[Gateway] = []
    try:
        yield started
    finally:
        for gw in started:
            gw.kill()


def test_it_loses_no_acknowledged_packet_when_killed_and_doubles_none_on_replay(database, processes, tmp_path):
    journal = tmp_path / "journal"
    n = 600
    packets = [_packet(i) for i in range(n)]
    first = Gateway(database.env, journal)
    processes.append(first)
    client = Client(first.address)

    killed = threading.Event()

    def sender():  # at most 20 packets in flight, like a logger that waits for its replies
        for i, (pkt, _, _) in enumerate(packets):
            while client.count() < i - 20 and not killed.is_set():
                time.sleep(0.001)
            if not client.send(pkt):
                return

    thread = threading.Thread(target=sender, daemon=True)
    thread.start()
    client.wait_acks(n // 3)  # kill -9 in the middle of the stream
    first.kill()
    killed.set()
    thread.join(30)
    client.close()
    acked = set(client.acked)
    assert n // 3 <= len(acked) < n  # the kill did cut the stream

    second = Gateway(database.env, journal)
    processes.append(second)
    second.wait_drained(len(acked))
    by_qn = {qn: when for _, qn, when in packets}
    stored = database.minutes()
    assert len(stored) == len(set(stored))  # nothing doubled
    assert {by_qn[qn] for qn in acked} <= set(stored)  # every acknowledged packet is there

    # The logger resends everything (it never saw some replies): still one row per packet.
    again = Client(second.address)
    for pkt, _, _ in packets:
        again.send(pkt)
    again.wait_acks(n)
    assert again.count() == n
    again.close()
    second.wait_drained(n)
    stored = database.minutes()
    assert sorted(stored) == sorted(when for _, _, when in packets)


def test_it_keeps_accepting_while_the_database_is_down_and_drains_when_it_returns(database, processes, tmp_path):
    journal = tmp_path / "journal"
    n = 200
    packets = [_packet(i) for i in range(n)]
    down = Gateway(database.env, journal, CLOSED_URL.format(port=_free_port()))
    processes.append(down)
    client = Client(down.address)
    client.send(b"".join(pkt for pkt, _, _ in packets))
    client.wait_acks(n)
    assert sorted(client.acked) == sorted(qn for _, qn, _ in packets)  # journalled and replied
    end = time.monotonic() + 60
    while down.metric("db_errors_total") < 2 and time.monotonic() < end:
        time.sleep(0.1)
    assert down.metric("db_errors_total") >= 2  # the writer kept retrying
    assert down.metric("journal_lag_bytes") > 0
    assert database.minutes() == []
    client.close()
    down.kill()

    up = Gateway(database.env, journal)  # the database is back
    processes.append(up)
    up.wait_drained(n)
    assert sorted(database.minutes()) == sorted(when for _, _, when in packets)

    resend = Client(up.address)  # the same packets again
    resend.send(b"".join(pkt for pkt, _, _ in packets))
    resend.wait_acks(n)
    resend.close()
    up.wait_drained(n)
    assert sorted(database.minutes()) == sorted(when for _, _, when in packets)
    assert not list(journal.glob("*.seg"))[1:]  # spent segments deleted


def _paced(client: Client, packets, first: int, last: int, in_flight: int = 20) -> None:
    """Send packets[first:last] like a data logger that waits for its replies (at most in_flight open)."""
    for i in range(first, last):
        while client.count() < i - in_flight and client.thread.is_alive():
            time.sleep(0.001)
        client.send(packets[i][0])


@pytest.fixture(scope="module")
def cluster():
    require_private_cluster()
    server = PrivateCluster()
    try:
        yield server
    finally:
        server.destroy()


def test_it_acknowledges_through_a_postgresql_crash_and_drains_by_itself_when_it_is_back(cluster, processes, tmp_path):
    database = Database("postgresql", tmp_path, admin=cluster.url())
    try:
        journal = tmp_path / "journal"
        n = 300
        packets = [_packet(i) for i in range(n)]
        gw = Gateway(database.env, journal)
        processes.append(gw)
        client = Client(gw.address)
        _paced(client, packets, 0, 100)
        client.wait_acks(100)
        gw.wait_for(lambda: gw.metric("journal_lag_bytes") == 0, "the first hundred stored")

        cluster.stop("immediate")  # a crash: every backend killed, the writer's connection broken
        _paced(client, packets, 100, n)
        client.wait_acks(n)
        assert sorted(client.acked) == sorted(qn for _, qn, _ in packets)  # journalled, so acknowledged
        gw.wait_for(lambda: gw.metric("db_up") == 0, "db_up 0")
        assert gw.metric("db_errors_total") >= 1 and gw.metric("journal_lag_bytes") > 0
        status, health = gw.health()
        assert status == 200  # still accepting: the journal holds what arrives
        assert health["journal"] == "ok" and health["database"] != "ok" and health["journal_lag_bytes"] > 0

        cluster.start()  # the same gateway process, never restarted
        gw.wait_for(lambda: gw.metric("journal_lag_bytes") == 0, "the journal drained after recovery", 90)
        assert gw.metric("db_up") == 1 and gw.health()[1]["database"] == "ok"
        stored = database.minutes()
        assert sorted(stored) == sorted(when for _, _, when in packets)  # every one, once

        # Restart everything: the gateway (as systemd stops it), the database (a clean stop), then both.
        client.close()
        gw.terminate()
        cluster.stop("fast")
        cluster.start()
        again = Gateway(database.env, journal)
        processes.append(again)
        resend = Client(again.address)  # a logger that never saw some replies sends everything again
        _paced(resend, packets, 0, n)
        resend.wait_acks(n)
        resend.close()
        again.wait_for(lambda: again.metric("journal_lag_bytes") == 0, "the resent packets stored")
        assert sorted(database.minutes()) == sorted(when for _, _, when in packets)
    finally:
        if cluster.running():
            database.drop()


def test_a_full_journal_disk_leaves_frames_unacknowledged_until_there_is_room(database, processes, small_disk):
    journal = small_disk / "journal"
    n = 120
    packets = [_packet(i) for i in range(n)]
    gw = Gateway(database.env, journal)
    processes.append(gw)
    client = Client(gw.address)
    _paced(client, packets, 0, 20)
    client.wait_acks(20)
    gw.wait_drained(20)

    ballast = small_disk / "ballast"
    fill(ballast)  # something else took the disk
    client.send(b"".join(pkt for pkt, _, _ in packets[20:]))
    gw.wait_for(lambda: gw.metric("journal_writable") == 0, "the journal refusing a write")
    time.sleep(1.0)  # replies that were going to come have come
    acked = set(client.acked)
    assert len(acked) < n  # the disk refused some: those got no reply
    assert gw.metric('journal_errors_total{errno="ENOSPC"}') >= 1
    status, health = gw.health()
    assert status == 503 and health["journal"].startswith("ENOSPC")
    by_qn = {qn: when for _, qn, when in packets}
    # Stored, though the checkpoint that would say so cannot be written yet (the lag stays until then).
    gw.wait_for(lambda: {by_qn[qn] for qn in acked} <= set(database.minutes()), "what was journalled stored")
    stored = database.minutes()
    assert {by_qn[qn] for qn in acked} <= set(stored)  # every acknowledged one is in the database
    assert len(stored) == len(set(stored))

    ballast.unlink()  # room again; the logger resends what it got no reply for
    missing = [pkt for pkt, qn, _ in packets if qn not in acked]
    client.send(b"".join(missing))
    client.wait_acks(n)
    assert set(client.acked) == set(by_qn)
    assert gw.health()[0] == 200 and gw.metric("journal_writable") == 1
    gw.wait_for(lambda: gw.metric("journal_lag_bytes") == 0, "the resent packets stored")
    assert sorted(database.minutes()) == sorted(when for _, _, when in packets)  # all, each once
    client.close()


def test_a_tick_killed_in_the_middle_of_a_duty_leaves_nothing_and_the_next_tick_does_it_once(
    cluster, processes, tmp_path
):
    database = Database("postgresql", tmp_path, admin=cluster.url())
    try:
        # Three whole hours of minute data, ending well before now: the aggregates duty's work.
        start = dt.datetime.now(BEIJING).replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=4)
        packets = [_packet(i, start) for i in range(180)]
        gw = Gateway(database.env, tmp_path / "journal")
        processes.append(gw)
        client = Client(gw.address)
        client.send(b"".join(pkt for pkt, _, _ in packets))
        client.wait_acks(len(packets))
        client.close()
        gw.wait_for(lambda: len(database.minutes()) == len(packets), "the minutes stored")
        gw.kill()
        hours_sql = "SELECT count(*), count(DISTINCT (factor, data_time)) FROM monitoring_reading WHERE kind = 'hour'"
        tick = [YOUSE, "tick", "--only", "monitoring.aggregates"]

        import psycopg

        blocker = psycopg.connect(database.url)
        blocker.execute("LOCK TABLE monitoring_reading IN SHARE MODE")  # reads pass, the duty's writes wait
        running = subprocess.Popen(tick, env=database.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        waiter = wait_for_lock_waiter(database.admin, database.name, "the duty never reached its writes")
        running.send_signal(signal.SIGKILL)  # kill -9 in the middle of the duty
        running.wait(10)
        blocker.rollback()
        blocker.close()
        wait_backend_gone(database.admin, waiter, "the killed tick's transaction")
        assert database.query(hours_sql) == [(0, 0)]  # nothing half-written

        subprocess.run(tick, env=database.env, check=True, timeout=120, capture_output=True)
        ((rows, distinct),) = database.query(hours_sql)
        assert rows >= 3 and rows == distinct  # the next tick did the work
        subprocess.run(tick, env=database.env, check=True, timeout=120, capture_output=True)
        assert database.query(hours_sql) == [(rows, rows)]  # and a further one changes nothing
        assert len(database.minutes()) == len(packets)
    finally:
        database.drop()
