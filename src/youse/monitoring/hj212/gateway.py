"""The HJ 212 receiving gateway: an asyncio TCP server, one connection per data logger.

Every frame whose CRC checks (in any variant; whether the device may use it is the store's decision) is
appended to the journal; replies (9014 to uploads with A = 1, 9013 to notifications) are written only
after the fsync that makes the frame durable. Frames arriving together share one fsync (group commit).
Frames with a CRC error get no reply and are journalled for the quarantine, as are undecodable ones.
A writer thread drains the journal into the database in batches through ``store.py``, then records the
committed offset in the checkpoint file; a restart replays from there (readings are idempotent).

Limits: maximum frame size, idle timeout, a deadline for an incomplete frame, per-connection and
global buffer bounds, a maximum number of connections, and a journal lag bound past which reading from
the sockets pauses (data loggers keep their data and resend).

Imports nothing from Django itself; ``main`` (called by ``youse gateway``) builds the Django store.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import threading
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TextIO

from youse.monitoring.hj212.journal import KIND_FRAME, KIND_REJECT, Journal, Record
from youse.monitoring.hj212.metrics import Metrics

log = logging.getLogger("youse.gateway")

NOTIFICATION_CNS = frozenset({"1013"})  # 现场机时间校准请求: answered with 9013 (6.5.3, table C.4)


class BatchStore(Protocol):
    def write(self, records: list[Record], decoded: dict | None = None): ...


@dataclass
class Limits:
    max_frame: int = 9999
    idle_timeout: float = 300.0
    frame_timeout: float = 60.0  # an incomplete frame must complete within this time
    max_connections: int = 20000
    connection_buffer: int = 32 << 10  # undecoded bytes per connection (beyond max_frame + 12 the decoder cuts)
    global_buffer: int = 256 << 20
    max_rejects: int = 100  # rejected frames on one connection before it is closed
    journal_max_lag: int = 2 << 30  # journal bytes not yet in the database before reading pauses
    group_commit_delay: float = 0.002
    batch_records: int = 5000
    decoded_cache: int = 50000  # decoded frames kept for the writer (beyond, it decodes them again)


class JournalInUse(SystemExit):
    pass


_CLAIMS: list = []  # open lock files: closing one would release its journal


def claim_journal(directory: Path):
    """Take the journal directory for this gateway alone: two gateways writing one journal would
    interleave records and checkpoints. The lock is released by the kernel when the process ends, kill -9
    included, so a restart after a crash finds it free."""
    import fcntl

    directory.mkdir(parents=True, exist_ok=True)
    handle = open(directory / "gateway.lock", "a+")  # noqa: SIM115 - kept open to hold the lock
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise JournalInUse(
            f"journal {directory} is used by another gateway: give each gateway its own --journal directory"
        ) from None
    handle.truncate(0)
    handle.write(str(os.getpid()))
    handle.flush()
    _CLAIMS.append(handle)
    return handle


def parse_address(text: str, default_port: int = 2120) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return (host or "127.0.0.1").strip("[]"), int(port or default_port)


def reject_reason(frame) -> str:
    error = frame.error or ""
    if error.startswith("CRC"):
        return "crc"
    if "exceeds maximum" in error or "no CR LF within" in error:
        return "oversize"
    return "undecodable"


class Connection(asyncio.Protocol):
    def __init__(self, gateway: Gateway) -> None:
        from youse.monitoring.hj212.codec import FrameDecoder

        self.gw = gateway
        self.decoder = FrameDecoder(gateway.limits.max_frame)
        self.transport: asyncio.Transport | None = None
        self.peer = ""
        self.last_seen = time.monotonic()
        self.partial_since: float | None = None
        self.unframed = 0  # bytes held by the decoder (an incomplete frame)
        self.rejects = 0
        self.paused = False
        self.closed = False

    # --- asyncio callbacks ------------------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if peer else ""
        gw = self.gw
        if len(gw.connections) >= gw.limits.max_connections:
            gw.metrics.closed["max_connections"] += 1
            self.closed = True
            transport.abort()
            return
        gw.connections.add(self)
        gw.metrics.connections = len(gw.connections)
        gw.metrics.connections_total += 1
        if gw.reading_paused:
            self.pause()

    def connection_lost(self, exc) -> None:
        self.closed = True
        self.gw.release(self)

    def pause_writing(self) -> None:  # the peer does not read its replies: stop reading from it
        self.pause()

    def resume_writing(self) -> None:
        if not self.gw.reading_paused:
            self.resume()

    def data_received(self, data: bytes) -> None:
        gw = self.gw
        now = time.monotonic()
        self.last_seen = now
        gw.metrics.bytes_in += len(data)
        try:
            frames = self.decoder.feed(data)
        except Exception as exc:  # a codec bug must not take the gateway down
            log.exception("decoder failed for %s", self.peer)
            self.close(f"decoder:{type(exc).__name__}")
            return
        self._account(len(data), bool(frames), now)
        for frame in frames:
            if self.closed:
                return
            gw.on_frame(self, frame)
        if self.closed:
            return
        limits = gw.limits
        if self.unframed > limits.connection_buffer:
            self.close("buffer")
        elif gw.buffered > limits.global_buffer and self.unframed:
            self.close("memory")

    # --- bookkeeping ------------------------------------------------------------------------------------
    def _account(self, n: int, framed: bool, now: float) -> None:
        """Track the bytes this connection holds undecoded (its buffer, bounded) and since when."""
        gw = self.gw
        before = self.unframed
        self.unframed = self.decoder.pending()
        gw.buffered += self.unframed - before
        if self.unframed and (framed or self.partial_since is None):
            self.partial_since = now
        elif not self.unframed:
            self.partial_since = None

    def pause(self) -> None:
        if not self.paused and self.transport and not self.closed:
            self.paused = True
            self.transport.pause_reading()

    def resume(self) -> None:
        if self.paused and self.transport and not self.closed:
            self.paused = False
            self.transport.resume_reading()

    def close(self, reason: str) -> None:
        if self.closed:
            return
        self.closed = True
        self.gw.metrics.closed[reason.split(":")[0]] += 1
        if self.transport:
            self.transport.abort()
        self.gw.release(self)


class Gateway:
    def __init__(self, journal: Journal, store: BatchStore | None, limits: Limits, metrics: Metrics | None = None):
        self.journal = journal
        self.store = store
        self.limits = limits
        self.metrics = metrics or Metrics()
        self.metrics.journal = journal
        self.connections: set[Connection] = set()
        self.buffered = 0
        self.reading_paused = False
        self._waiting: deque[tuple[int, Connection, bytes]] = deque()
        self._dirty = asyncio.Event()
        self._drain = threading.Event()
        self._stop = threading.Event()  # drain what is durable, then end
        self._abort = threading.Event()  # end now (the database is down at shutdown)
        self._writer: threading.Thread | None = None
        self._tasks: list[asyncio.Task] = []
        self.servers: list[asyncio.base_events.Server] = []
        self.decoded: dict[int, object] = {}  # journal end offset -> frame, until the writer stores it

    # --- frames -----------------------------------------------------------------------------------------
    def on_frame(self, conn: Connection, frame) -> None:
        from youse.monitoring.hj212.codec import reply_9013, reply_9014

        now = time.time()
        if frame.crc == "invalid" or not frame.ok:
            reason = reject_reason(frame)
            self.metrics.reject(reason)
            self._append(Record(KIND_REJECT, now, conn.peer, f"{reason}: {frame.error or ''}", frame.raw))
            self._dirty.set()
            conn.rejects += 1
            if conn.rejects > self.limits.max_rejects:
                conn.close("rejects")
            return
        self.metrics.frame(frame.cn)
        end = self._append(Record(KIND_FRAME, now, conn.peer, "", frame.raw))
        if end is None:  # not journalled, so not acknowledged: the data logger keeps it and sends it again
            return
        if len(self.decoded) < self.limits.decoded_cache:  # spares the writer a second decoding
            self.decoded[end] = frame
        reply = None
        if frame.cn in NOTIFICATION_CNS:
            reply = reply_9013(frame)
        elif frame.need_ack:
            reply = reply_9014(frame)
        if reply:
            self._waiting.append((end, conn, reply))
        self._dirty.set()

    def _append(self, record: Record) -> int | None:
        """Journal a record; None when the journal cannot take it (a full disk): the gateway goes on
        receiving, answers nothing it could not journal, and takes records again once there is room."""
        try:
            end = self.journal.append(record)
        except OSError as exc:
            if not self.metrics.journal_error:
                log.error("journal write failed, frames go unacknowledged until it works again: %s", exc)
            self.metrics.journal_failed(exc)
            return None
        if self.metrics.journal_error:
            log.warning("journal writable again")
            self.metrics.journal_written()
        return end

    def release(self, conn: Connection) -> None:
        if conn in self.connections:
            self.connections.discard(conn)
            self.buffered -= conn.unframed
            conn.unframed = 0
            self.metrics.connections = len(self.connections)

    # --- group commit -----------------------------------------------------------------------------------
    async def committer(self) -> None:
        while True:
            await self._dirty.wait()
            if self.limits.group_commit_delay:
                await asyncio.sleep(self.limits.group_commit_delay)
            self._dirty.clear()
            try:
                durable = await asyncio.to_thread(self.journal.sync)
            except OSError as exc:
                # What waited for this fsync may not be on disk: it is never acknowledged (its senders
                # send it again). Whatever did reach the disk is stored all the same, which is harmless.
                log.error("journal fsync failed, %d replies withheld: %s", len(self._waiting), exc)
                self.metrics.journal_failed(exc)
                self._waiting.clear()
                continue
            self.metrics.fsyncs += 1
            self._release_replies(durable)
            self._drain.set()

    def _release_replies(self, durable: int) -> None:
        waiting = self._waiting
        while waiting and waiting[0][0] <= durable:
            _, conn, reply = waiting.popleft()
            if not conn.closed and conn.transport and not conn.transport.is_closing():
                conn.transport.write(reply)
                self.metrics.replies += 1

    # --- the writer thread ------------------------------------------------------------------------------
    def writer_loop(self) -> None:
        offset = self.journal.checkpoint
        backoff = 0.2
        while True:
            try:
                records = self.journal.read(offset, max_records=self.limits.batch_records)
            except OSError as exc:  # an unreadable journal: report it and try again, never end the thread
                self.metrics.journal_failed(exc)
                log.error("journal read failed at offset %d: %s", offset, exc)
                if self._abort.wait(5.0):
                    return
                continue
            if not records:
                if self._stop.is_set():
                    return
                self._drain.wait(0.2)
                self._drain.clear()
                continue
            if self.store is None:
                self.journal.commit(records[-1].end)
                offset = records[-1].end
                continue
            started = time.perf_counter()
            decoded = self.decoded
            try:
                result = self.store.write(records, {r.end: decoded.get(r.end) for r in records})
            except Exception as exc:
                message = f"{type(exc).__name__}: {exc}"
                self.metrics.db_failed(message.splitlines()[0][:200])
                log.warning("database write failed (retrying in %.1fs): %s", backoff, message)
                reset = getattr(self.store, "reset", None)
                if reset:
                    reset()
                if self._abort.wait(backoff):
                    return
                backoff = min(backoff * 2, 10.0)
                continue
            backoff = 0.2
            self.metrics.db_batch(time.perf_counter() - started, result.rows, result.quarantined)
            for reason, n in result.reasons.items():
                if reason not in ("crc", "undecodable", "oversize"):  # those were counted at the gateway
                    self.metrics.reject(reason, n)
            try:
                self.journal.commit(records[-1].end)
            except OSError as exc:
                # The rows are in the database; only the checkpoint is behind. A restart before the next
                # successful commit replays these records, which the store's idempotence absorbs.
                self.metrics.journal_failed(exc)
                log.error("journal checkpoint failed (rows are stored; a restart replays them): %s", exc)
            offset = records[-1].end
            for r in records:
                decoded.pop(r.end, None)

    # --- housekeeping -----------------------------------------------------------------------------------
    async def sweeper(self, snapshot: Path | None) -> None:
        last_snapshot = 0.0
        while True:
            await asyncio.sleep(0.5)
            now = time.monotonic()
            limits = self.limits
            for conn in list(self.connections):
                if now - conn.last_seen > limits.idle_timeout:
                    conn.close("idle")
                elif conn.partial_since is not None and now - conn.partial_since > limits.frame_timeout:
                    conn.close("slow")
            lagging = self.journal.lag > limits.journal_max_lag
            if lagging != self.reading_paused:
                self.reading_paused = lagging
                for conn in list(self.connections):
                    conn.pause() if lagging else conn.resume()
            self.metrics.buffered_bytes = self.buffered
            if snapshot and now - last_snapshot > 2.0:
                last_snapshot = now
                with contextlib.suppress(OSError):
                    self.metrics.write_snapshot(snapshot)

    async def metrics_handler(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
            path = request.split(b" ", 2)[1] if request.count(b" ") >= 2 else b"/"
            content_type = b"text/plain; version=0.0.4; charset=utf-8"
            if path.split(b"?")[0] in (b"/metrics", b"/"):
                body, status = self.metrics.text().encode(), b"200 OK"
            elif path.split(b"?")[0] == b"/healthz":
                ok, text = self.metrics.health_json()
                body, status = text.encode(), b"200 OK" if ok else b"503 Service Unavailable"
                content_type = b"application/json"
            else:
                body, status = b"not found\n", b"404 Not Found"
            writer.write(
                b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type + b"\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body
            )
            await writer.drain()
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        finally:
            writer.close()

    # --- life cycle -------------------------------------------------------------------------------------
    async def start(self, listen: tuple[str, int], metrics: tuple[str, int] | None = None, snapshot=None):
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: Connection(self), listen[0], listen[1], backlog=4096)
        self.servers.append(server)
        if metrics:
            self.servers.append(await asyncio.start_server(self.metrics_handler, metrics[0], metrics[1]))
        self._tasks = [asyncio.create_task(self.committer()), asyncio.create_task(self.sweeper(snapshot))]
        self._writer = threading.Thread(target=self.writer_loop, name="journal-writer", daemon=True)
        self._writer.start()
        if self.journal.lag:
            self._drain.set()  # replay what the last run left
        return [s.sockets[0].getsockname()[:2] for s in self.servers]

    async def stop(self, drain_timeout: float = 10.0) -> None:
        for server in self.servers:
            server.close()
        for conn in list(self.connections):
            conn.close("shutdown")
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.to_thread(self.journal.sync)
        self._stop.set()
        self._drain.set()
        if self._writer:
            await asyncio.to_thread(self._writer.join, drain_timeout)
            if self._writer.is_alive():  # the database is down: what is left stays in the journal
                self._abort.set()
                await asyncio.to_thread(self._writer.join, 1.0)


class DjangoStore:
    """The store with the database connection reset after a failure (imports Django lazily)."""

    def __init__(self) -> None:
        from youse.monitoring.hj212.store import Store

        self._store = Store()

    def write(self, records: list[Record], decoded: dict | None = None):
        return self._store.write(records, decoded)

    def reset(self) -> None:
        from django.db import connections

        with contextlib.suppress(Exception):  # the connection is already broken
            connections[self._store.alias].close()


def main(options: dict, stdout: TextIO) -> None:
    """``youse gateway``: run until SIGTERM or SIGINT."""
    from django.conf import settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    journal_dir = Path(options.get("journal") or Path(settings.VAR_DIR) / "journal")
    defaults = Limits()
    limits = Limits(
        **{
            name: options[name] if options.get(name) is not None else getattr(defaults, name)
            for name in (
                "max_frame",
                "idle_timeout",
                "frame_timeout",
                "max_connections",
                "connection_buffer",
                "global_buffer",
                "journal_max_lag",
                "batch_records",
            )
        }
    )
    limits.frame_timeout = min(limits.frame_timeout, limits.idle_timeout)
    claim_journal(journal_dir)
    journal = Journal(journal_dir)
    if journal.truncated_bytes:
        log.warning("journal: %d bytes of an unfinished record truncated", journal.truncated_bytes)
    gateway = Gateway(journal, DjangoStore(), limits)
    metrics_addr = parse_address(options["metrics"], 9120) if options.get("metrics") else None
    snapshot = Path(os.environ.get("YOUSE_GATEWAY_METRICS_FILE") or journal_dir / "metrics.prom")

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        addresses = await gateway.start(
            parse_address(options.get("listen") or "127.0.0.1:2120"), metrics_addr, snapshot
        )
        stdout.write(f"listening on {addresses[0][0]}:{addresses[0][1]}\n")
        if metrics_addr:
            stdout.write(f"metrics on http://{addresses[1][0]}:{addresses[1][1]}/metrics\n")
        stdout.write(f"journal {journal_dir} (replaying {journal.lag} bytes)\n")
        stdout.flush()
        await stop.wait()
        await gateway.stop()
        journal.close()
        stdout.write("stopped\n")
        stdout.flush()

    asyncio.run(run())
