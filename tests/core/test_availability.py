"""The web side through faults: a PostgreSQL crash answers 503 (never a 500) and heals by itself, a worker
killed in the middle of a change leaves nothing half-written, and /healthz and /metrics say what is down.

Real processes: gunicorn (the production server, two workers, persistent connections as in production)
on a PostgreSQL server of the test's own (tests/pgcluster.py), which the tests crash and restart.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
import pytest

from tests.pgcluster import (
    PrivateCluster,
    free_port,
    require_private_cluster,
    wait_backend_gone,
    wait_for_lock_waiter,
)
from youse.registry.rules import make_credit_code

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
PASSWORD = "Faults-test-password-2026"


def _call(url: str, method: str = "GET", body: dict | None = None, token: str = "") -> tuple[int, dict, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


class Platform:
    """A migrated database on the private server, a department user with a token, and gunicorn."""

    def __init__(self, cluster: PrivateCluster, tmp: Path) -> None:
        self.cluster = cluster
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE youse")
        self.db_url = cluster.url("youse")
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "YOUSE_DEBUG"},
            "DATABASE_URL": self.db_url,
            "YOUSE_VAR_DIR": str(tmp / "var"),
            "YOUSE_CONN_MAX_AGE": "60",
            "YOUSE_GATEWAY_METRICS_FILE": str(tmp / "gateway.prom"),
        }
        subprocess.run([BIN / "youse", "migrate", "-v0"], env=self.env, check=True, timeout=300)
        subprocess.run(
            [BIN / "youse", "user", "create", "gxt", "--role", "department", "--password-stdin"],
            input=PASSWORD + "\n",
            env=self.env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        made = subprocess.run(
            [BIN / "youse", "token", "create", "gxt"],
            env=self.env,
            check=True,
            timeout=120,
            capture_output=True,
            text=True,
        )
        self.token = made.stdout.strip().splitlines()[-1]
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.server = subprocess.Popen(
            [BIN / "gunicorn", "youse.wsgi:application", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", "2", "--timeout", "60", "--graceful-timeout", "5"],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp / "gunicorn.log", "w"),  # noqa: SIM115 (closed with the process)
        )
        self.wait_healthy()

    def wait_healthy(self, deadline: float = 60.0) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            try:
                if _call(self.base + "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("gunicorn did not answer /healthz with 200")

    def get(self, path: str, token: str = "") -> tuple[int, dict, str]:
        return _call(self.base + path, token=token)

    def post(self, path: str, body: dict) -> tuple[int, dict, str]:
        return _call(self.base + path, "POST", body, token=self.token)

    def query(self, sql: str, *args) -> list[tuple]:
        with psycopg.connect(self.db_url) as conn:
            return conn.execute(sql, args).fetchall()

    def workers(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def stop(self) -> None:
        self.server.send_signal(signal.SIGTERM)
        self.server.wait(30)


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    require_private_cluster()
    cluster = PrivateCluster()
    try:
        running = Platform(cluster, tmp_path_factory.mktemp("platform"))
        try:
            yield running
        finally:
            running.stop()
    finally:
        cluster.destroy()


def _enterprise(serial: str) -> dict:
    return {
        "name": f"故障测试企业{serial}",
        "credit_code": make_credit_code(f"91610822MA{serial}"),
        "division": "610822",
        "ownership": "private",
    }


def test_a_database_crash_answers_503_and_the_workers_recover_by_themselves(platform):
    assert platform.get("/public/")[0] == 200
    assert platform.get("/api/v1/registry/enterprises", platform.token)[0] == 200

    platform.cluster.stop("immediate")  # every worker's kept connection is now broken
    try:
        status, headers, body = platform.get("/public/")
        assert status == 503 and headers["Retry-After"] == "30"
        assert "数据库暂时不可用" in body  # the users' language, from a page that needs no database
        status, headers, body = platform.get("/api/v1/registry/enterprises", platform.token)
        assert status == 503 and "detail" in json.loads(body)
        status, _, body = platform.post("/api/v1/registry/enterprises", _enterprise("0000101"))
        assert status == 503
        status, _, body = platform.get("/healthz")
        health = json.loads(body)
        assert status == 503 and health["database"].startswith("error") and health["status"] == "unavailable"
        status, _, body = platform.get("/metrics")  # the scraper still gets its figures
        assert status == 200 and "youse_web_database_up 0" in body
    finally:
        platform.cluster.start()

    # The same gunicorn workers, never restarted: each replaces its broken connection at the next request.
    for _ in range(4):  # enough requests to reach both workers
        assert platform.get("/public/")[0] == 200
    assert platform.get("/healthz")[0] == 200
    assert "youse_web_database_up 1" in platform.get("/metrics")[2]
    name = _enterprise("0000101")["name"]
    assert platform.query("SELECT count(*) FROM registry_enterprise WHERE name = %s", name) == [(0,)]
    assert platform.post("/api/v1/registry/enterprises", _enterprise("0000101"))[0] == 201
    assert platform.query("SELECT count(*) FROM registry_enterprise WHERE name = %s", name) == [(1,)]


def test_a_worker_killed_in_the_middle_of_a_change_leaves_nothing_half_written(platform):
    payload = _enterprise("0000202")
    audit_before = platform.query("SELECT count(*) FROM core_auditevent")[0][0]
    workers = platform.workers()
    assert len(workers) == 2

    # Hold the audit trail: the change writes its enterprise, then waits to write its audit event.
    blocker = psycopg.connect(platform.db_url)
    blocker.execute("LOCK TABLE core_auditevent IN ACCESS EXCLUSIVE MODE")
    answers: list = []
    import threading

    def attempt():
        try:
            answers.append(platform.post("/api/v1/registry/enterprises", payload)[0])
        except OSError as exc:  # the worker died under the request
            answers.append(type(exc).__name__)

    thread = threading.Thread(target=attempt)
    thread.start()
    waiter = wait_for_lock_waiter(platform.cluster.url(), "youse", "the change never reached its audit event")
    inserted = platform.query(
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
        "WHERE l.pid = %s AND c.relname = 'registry_enterprise' AND l.mode = 'RowExclusiveLock'",
        waiter,
    )
    assert inserted == [(1,)]  # it did write to the enterprise table, in its open transaction

    for pid in workers:  # kill -9 the workers, the one in the middle of the change among them
        os.kill(pid, signal.SIGKILL)
    thread.join(30)
    blocker.rollback()  # release the audit trail: the orphaned transaction can never commit
    blocker.close()
    assert answers and answers[0] != 201

    platform.wait_healthy()  # gunicorn's arbiter started new workers
    assert set(platform.workers()).isdisjoint(workers) and len(platform.workers()) == 2
    name = payload["name"]
    wait_backend_gone(platform.cluster.url(), waiter, "the killed worker's transaction")
    assert platform.query("SELECT count(*) FROM registry_enterprise WHERE name = %s", name) == [(0,)]
    assert platform.query("SELECT count(*) FROM core_auditevent")[0][0] == audit_before

    assert platform.post("/api/v1/registry/enterprises", payload)[0] == 201  # sent again: once
    assert platform.query("SELECT count(*) FROM registry_enterprise WHERE name = %s", name) == [(1,)]
    assert platform.query("SELECT count(*) FROM core_auditevent")[0][0] == audit_before + 1
