"""The gateway's counters and gauges, rendered in the Prometheus text exposition format.

The gateway serves them itself (``--metrics HOST:PORT``) and writes a snapshot file beside the journal
that the web side's ``/metrics`` includes. Pure Python; imports nothing from Django.
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
from collections import Counter, deque
from pathlib import Path

PREFIX = "youse_gateway_"


def _labels(labels: dict[str, str]) -> str:
    if not labels:
        return ""
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in sorted(labels.items()))
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def render(families: list[tuple[str, str, str, list[tuple[dict[str, str], float]]]]) -> str:
    """Prometheus text from (name, type, help, [(labels, value)])."""
    lines: list[str] = []
    for name, kind, help_text, samples in families:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            lines.append(f"{name}{_labels(labels)} {_number(value)}")
    return "\n".join(lines) + "\n"


def _number(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _free_bytes(journal) -> int:
    try:
        return journal.free_bytes()
    except OSError:
        return 0


class Metrics:
    """Updated from the event loop and the writer thread; read by the metrics responder."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.started = time.time()
        self.connections = 0
        self.connections_total = 0
        self.frames = Counter()  # by CN
        self.rejects = Counter()  # by reason, at the gateway and in the store
        self.closed = Counter()  # connections closed, by reason
        self.bytes_in = 0
        self.replies = 0
        self.rows = 0
        self.quarantined = 0
        self.db_errors = 0
        self.db_batches = 0
        self.db_seconds = 0.0
        self.db_last_seconds = 0.0
        self.fsyncs = 0
        self.buffered_bytes = 0
        # Faults, as the health answer reports them: the last failure of each side, "" while it works.
        self.journal_errors = Counter()  # by errno name (ENOSPC, EDQUOT, EIO, ...)
        self.journal_error = ""
        self.db_error = ""
        self._rate: deque[tuple[float, int]] = deque(maxlen=32)
        self.journal = None  # set by the gateway: a Journal

    def frame(self, cn: str) -> None:
        self.frames[cn or "?"] += 1

    def reject(self, reason: str, n: int = 1) -> None:
        with self.lock:
            self.rejects[reason] += n

    def db_batch(self, seconds: float, rows: int, quarantined: int) -> None:
        with self.lock:
            self.db_batches += 1
            self.db_error = ""
            self.db_seconds += seconds
            self.db_last_seconds = seconds
            self.rows += rows
            self.quarantined += quarantined

    def journal_failed(self, exc: OSError) -> None:
        name = errno.errorcode.get(exc.errno or 0, "EIO")
        with self.lock:
            self.journal_errors[name] += 1
            self.journal_error = f"{name}: {exc.strerror or exc}"

    def journal_written(self) -> None:
        if self.journal_error:
            with self.lock:
                self.journal_error = ""

    def db_failed(self, message: str) -> None:
        with self.lock:
            self.db_errors += 1
            self.db_error = message

    def health(self) -> tuple[bool, dict]:
        """(healthy, details): healthy while frames can be journalled and so acknowledged. A database
        that is down does not make the gateway unhealthy (it keeps accepting, the journal holds what
        arrives), but it is reported, with the bytes waiting for it."""
        j = self.journal
        with self.lock:
            journal_error, db_error = self.journal_error, self.db_error
        details = {
            "status": "ok" if not journal_error else "unavailable",
            "journal": journal_error or "ok",
            "database": db_error or "ok",
            "journal_lag_bytes": j.lag if j is not None else 0,
            "uptime_seconds": round(time.time() - self.started),
        }
        if j is not None:
            details["journal_free_bytes"] = _free_bytes(j)
        return not journal_error, details

    def health_json(self) -> tuple[bool, str]:
        ok, details = self.health()
        return ok, json.dumps(details, ensure_ascii=False) + "\n"

    def packets_per_second(self) -> float:
        now, total = time.monotonic(), sum(self.frames.values())
        self._rate.append((now, total))
        while len(self._rate) > 1 and now - self._rate[0][0] > 10:
            self._rate.popleft()
        (t0, n0) = self._rate[0]
        return (total - n0) / (now - t0) if now > t0 else 0.0

    def families(self) -> list[tuple[str, str, str, list[tuple[dict[str, str], float]]]]:
        j = self.journal
        with self.lock:
            rejects = dict(self.rejects)
        fams = [
            ("connections", "gauge", "Open data logger connections", [({}, self.connections)]),
            ("connections_total", "counter", "Connections accepted", [({}, self.connections_total)]),
            (
                "connections_closed_total",
                "counter",
                "Connections closed by the gateway, by reason",
                [({"reason": k}, v) for k, v in sorted(self.closed.items())],
            ),
            ("bytes_received_total", "counter", "Bytes received", [({}, self.bytes_in)]),
            ("buffered_bytes", "gauge", "Bytes held in connection buffers", [({}, self.buffered_bytes)]),
            (
                "frames_total",
                "counter",
                "Frames received with a good CRC, by CN",
                [({"cn": k}, v) for k, v in sorted(self.frames.items())],
            ),
            (
                "packets_per_second",
                "gauge",
                "Frames per second over the last seconds",
                [({}, self.packets_per_second())],
            ),
            (
                "rejects_total",
                "counter",
                "Frames rejected or quarantined, by reason",
                [({"reason": k}, v) for k, v in sorted(rejects.items())],
            ),
            (
                "replies_total",
                "counter",
                "Replies (9013/9014) sent after the journal fsync",
                [({}, self.replies)],
            ),
            ("fsyncs_total", "counter", "Journal fsyncs (group commits)", [({}, self.fsyncs)]),
            ("rows_written_total", "counter", "Reading rows offered to the database", [({}, self.rows)]),
            ("quarantined_total", "counter", "Packets written to the quarantine", [({}, self.quarantined)]),
            ("db_batches_total", "counter", "Batches committed to the database", [({}, self.db_batches)]),
            ("db_errors_total", "counter", "Database batch failures (retried)", [({}, self.db_errors)]),
            (
                "db_up",
                "gauge",
                "1 while the last database batch succeeded (or none has failed), 0 while it fails",
                [({}, 0 if self.db_error else 1)],
            ),
            (
                "journal_errors_total",
                "counter",
                "Journal writes or syncs that failed (frames left unacknowledged), by errno",
                [({"errno": k}, v) for k, v in sorted(self.journal_errors.items())],
            ),
            (
                "journal_writable",
                "gauge",
                "1 while frames can be journalled (and so acknowledged), 0 after a failed write",
                [({}, 0 if self.journal_error else 1)],
            ),
            (
                "db_write_seconds_total",
                "counter",
                "Time spent writing batches",
                [({}, round(self.db_seconds, 6))],
            ),
            (
                "db_write_last_seconds",
                "gauge",
                "Duration of the last batch",
                [({}, round(self.db_last_seconds, 6))],
            ),
            (
                "uptime_seconds",
                "gauge",
                "Seconds since the gateway started",
                [({}, round(time.time() - self.started))],
            ),
        ]
        if j is not None:
            fams += [
                ("journal_offset_bytes", "gauge", "Journal end offset", [({}, j.end)]),
                (
                    "journal_checkpoint_bytes",
                    "gauge",
                    "Journal offset committed to the database",
                    [({}, j.checkpoint)],
                ),
                ("journal_lag_bytes", "gauge", "Journal bytes not yet in the database", [({}, j.lag)]),
                ("journal_disk_bytes", "gauge", "Journal segment bytes on disk", [({}, j.disk_bytes())]),
                (
                    "journal_free_bytes",
                    "gauge",
                    "Free bytes on the journal's file system",
                    [({}, _free_bytes(j))],
                ),
            ]
        return [(PREFIX + name, kind, help_text, samples) for name, kind, help_text, samples in fams]

    def text(self) -> str:
        return render(self.families())

    def write_snapshot(self, path: str | os.PathLike) -> None:
        """Write the current metrics as Prometheus text (atomically) for the web side's /metrics."""
        path = Path(path)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.text())
        os.replace(tmp, path)
