"""A PostgreSQL server of the test's own (initdb, pg_ctl), so that a fault test can stop, kill and restart
it without touching the shared server the rest of the suite runs on.

PostgreSQL refuses to run as root; as root (CI) its commands run as the ``postgres`` system user. The
fault tests run in the PostgreSQL pass of the suite (DATABASE_URL names PostgreSQL) and are skipped,
saying why, where the server binaries are missing.
"""

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_private_cluster() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("PostgreSQL fault tests run in the PostgreSQL pass (DATABASE_URL names PostgreSQL)")
    if _bindir() is None:
        pytest.skip("initdb/pg_ctl not found: a private PostgreSQL server cannot be started")


class PrivateCluster:
    """One data directory, one port on 127.0.0.1, trust authentication, user postgres."""

    def __init__(self) -> None:
        self.bin = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="youse-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        settings = (
            f"port = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
            # fsync off: the tests stop and kill the server's processes, never the machine, so what a
            # committed transaction wrote is in the page cache all the same.
            "fsync = off\nshared_buffers = 32MB\nmax_connections = 40\n"
        )
        with open(self.data / "postgresql.conf", "a") as f:
            f.write(settings)
        self.start()

    def _run(self, tool: str, *args: str) -> None:
        argv = [str(self.bin / tool), *args]
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}?connect_timeout=3"

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self, mode: str = "immediate") -> None:
        """``immediate`` is a crash (every backend killed, recovery at the next start); ``fast`` a clean stop."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self) -> bool:
        argv = [str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]
        if self._as_postgres:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        return subprocess.run(argv, capture_output=True).returncode == 0

    def destroy(self) -> None:
        if self.running():
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def _rows(url: str, sql: str, *args) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, args).fetchall()


def wait_for_lock_waiter(url: str, database: str, what: str, deadline: float = 60.0) -> int:
    """The pid of a backend of `database` waiting for a lock (a process the test is holding up)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        found = _rows(url, "SELECT pid FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'", database)
        if found:
            return found[0][0]
        time.sleep(0.05)
    raise AssertionError(f"{what}: no backend of {database} ever waited for a lock")


def wait_backend_gone(url: str, pid: int, what: str, deadline: float = 30.0) -> None:
    """Until backend `pid` has ended: an orphaned one ends once it finds its client gone, rolling back."""
    end = time.monotonic() + deadline
    while _rows(url, "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", pid)[0][0]:
        assert time.monotonic() < end, f"{what}: backend {pid} is still open"
        time.sleep(0.1)
