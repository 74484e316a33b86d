"""From journal records to the database: the one module of ``hj212`` that imports Django.

For each journalled frame the store decides: the MN must name a registered point, the PW must match,
the CRC variant must be one the point accepts; otherwise the packet goes to the quarantine with the
reason (never dropped). Data uploads (2011 real-time, 2051 minute, 2061 hour, 2031 day) become
readings, idempotent on (point, kind, data time, factor): the first write wins and replays or resends
add nothing, except that a device's own figures replace a row Youse computed before they arrived. SQLite:
``INSERT ... ON CONFLICT ... DO UPDATE ... WHERE computed`` with executemany. PostgreSQL: COPY into a
temporary staging table, then ``INSERT ... SELECT ...`` with the same conflict clause; the store creates the
month partitions (migration 0002) that the rows need.

Sub-packets (D bit) are reassembled by (MN, CN, DataTime) within a batch; parts whose siblings are not
in the batch are stored as they are, which loses nothing since each reading is one factor.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from dataclasses import dataclass, field

from django.db import connections, transaction
from django.utils import timezone

from youse.monitoring.hj212.journal import KIND_FRAME, Record

log = logging.getLogger("youse.gateway")

KIND_BY_CN = {"2011": "rtd", "2051": "min", "2061": "hour", "2031": "day"}
NUMERIC_FIELDS = ("rtd", "avg", "min", "max", "cou", "zs_rtd", "zs_avg", "zs_min", "zs_max")
COLUMNS = (
    "point_id",
    "kind",
    "data_time",
    "factor",
    *NUMERIC_FIELDS,
    "flag",
    "eflag",
    "computed",
    "received_at",
)
TABLE = "monitoring_reading"
KEY = ("point_id", "kind", "data_time", "factor")
# A device's own figures replace one that Youse computed (Appendix D) before they arrived; a reported
# row is never overwritten, so replays and resends change nothing (the first report wins).
UPSERT = (
    f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c not in KEY)
    + f" WHERE {TABLE}.computed"
)
STAGE = "youse_reading_stage"
POINT_CACHE_SECONDS = 30.0
UNKNOWN_REFRESH_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class PointInfo:
    id: int
    pw: str
    accepted: frozenset[str]
    active: bool


@dataclass
class BatchResult:
    rows: int = 0  # reading rows offered (duplicates are ignored by the database)
    quarantined: int = 0
    frames: int = 0
    reasons: dict[str, int] = field(default_factory=dict)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace").replace("\x00", "\\x00").rstrip("\r\n")


def _number(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


class Store:
    """Writes batches of journal records; used from one thread (the gateway's writer)."""

    def __init__(self, alias: str = "default") -> None:
        self.alias = alias
        self._points: dict[str, PointInfo] = {}
        self._points_at = float("-inf")
        self._partitioned: bool | None = None
        self._months: set[tuple[int, int]] = set()

    @property
    def connection(self):
        return connections[self.alias]

    # --- points -----------------------------------------------------------------------------------------
    def _load_points(self) -> None:
        from youse.monitoring.models import MonitoringPoint

        rows = MonitoringPoint.objects.using(self.alias).values_list("mn", "id", "pw", "accepted_crc", "active")
        self._points = {
            mn: PointInfo(pk, pw, frozenset(["hj212", *(acc or [])]), active) for mn, pk, pw, acc, active in rows
        }
        self._points_at = time.monotonic()

    def point(self, mn: str) -> PointInfo | None:
        now = time.monotonic()
        if now - self._points_at > POINT_CACHE_SECONDS:
            self._load_points()
        info = self._points.get(mn)
        if info is None and now - self._points_at > UNKNOWN_REFRESH_SECONDS:
            self._load_points()
            info = self._points.get(mn)
        return info

    # --- one batch --------------------------------------------------------------------------------------
    def write(self, records: list[Record], decoded: dict | None = None) -> BatchResult:
        """Store a batch in one transaction. Raises on database errors (the caller retries).

        ``decoded`` maps a record's end offset to the frame the gateway already decoded from it (the
        same bytes); records not in it (a replay after a restart) are decoded again."""
        from youse.monitoring.hj212.codec import decode_one

        try:
            from youse.monitoring.hj212.reassembly import Reassembler
        except ImportError:  # without it, each sub-packet is stored as it is (see the module docstring)
            Reassembler = None  # noqa: N806

        result = BatchResult()
        quarantine: list[dict] = []
        rows: list[tuple] = []
        reassembler = Reassembler() if Reassembler else None
        pending: dict[tuple, list] = {}  # sub-packets fed to the reassembler, by (MN, CN, DataTime)

        def reject(rec: Record, reason: str, detail: str = "", mn: str = "", cn: str = "") -> None:
            quarantine.append(
                {
                    "received_at": dt.datetime.fromtimestamp(rec.received_at, dt.UTC),
                    "peer": rec.peer[:64],
                    "mn": (mn or "")[:40],
                    "cn": (cn or "")[:8],
                    "reason": reason[:40],
                    "detail": (detail or "")[:300],
                    "raw": _text(rec.raw),
                }
            )
            result.reasons[reason] = result.reasons.get(reason, 0) + 1

        if time.monotonic() - self._points_at > POINT_CACHE_SECONDS:
            self._load_points()  # registrations and changed passwords are seen within this period
        for rec in records:
            result.frames += 1
            if rec.kind != KIND_FRAME:
                reason, _, detail = rec.reason.partition(":")
                try:
                    seen = decode_one(rec.raw)
                    mn, cn = seen.mn or "", seen.cn or ""
                except Exception:  # the reason recorded at the gateway is what matters
                    mn = cn = ""
                reject(rec, reason or "undecodable", detail.strip(), mn, cn)
                continue
            try:
                frame = decoded.get(rec.end) if decoded else None
                if frame is None or frame.raw != rec.raw:
                    frame = decode_one(rec.raw)
            except Exception as exc:  # a codec bug must not stop the journal
                reject(rec, "undecodable", f"{type(exc).__name__}: {exc}")
                continue
            mn, cn = frame.mn or "", frame.cn or ""
            if frame.crc == "invalid":
                reject(rec, "crc", frame.error or "", mn, cn)
                continue
            if not frame.ok:
                reject(rec, "undecodable", frame.error or "", mn, cn)
                continue
            info = self.point(mn)
            if info is None:
                reject(rec, "unknown_mn", "", mn, cn)
                continue
            if frame.pw != info.pw:
                reject(rec, "wrong_pw", "", mn, cn)
                continue
            if frame.crc not in info.accepted:
                reject(rec, "crc_variant", f"CRC variant {frame.crc} not accepted for this point", mn, cn)
                continue
            if not info.active:
                reject(rec, "inactive_point", "", mn, cn)
                continue
            kind = KIND_BY_CN.get(cn)
            if kind is None:
                continue  # heartbeats, notifications, status: replied to, nothing to store
            if frame.data_time is None:
                reject(rec, "no_datatime", "data upload without DataTime", mn, cn)
                continue
            if frame.subpacket:
                key = (mn, cn, frame.data_time)
                pending.setdefault(key, []).append((frame, rec, info.id, kind))
                merged = reassembler.add(frame) if reassembler else None
                if merged is None:
                    continue
                pending.pop(key, None)
                rows += self._rows(merged, info.id, kind, rec.received_at)
            else:
                rows += self._rows(frame, info.id, kind, rec.received_at)
        for parts in pending.values():  # incomplete within this batch: store the parts we have
            for frame, rec, point_id, kind in parts:
                rows += self._rows(frame, point_id, kind, rec.received_at)

        self._write(rows, quarantine)
        result.rows = len(rows)
        result.quarantined = len(quarantine)
        return result

    def write_frame(self, frame, point_id: int, received_at: float) -> int:
        """Store one decoded upload as readings of `point_id`, whatever MN and PW it carried (a reviewer
        assigned it from the quarantine). Returns the rows offered; 0 for a frame with no data upload."""
        kind = KIND_BY_CN.get(frame.cn or "")
        if kind is None or frame.data_time is None:
            return 0
        rows = self._rows(frame, point_id, kind, received_at)
        self._write(rows, [])
        return len(rows)

    def _rows(self, frame, point_id: int, kind: str, received_at: float) -> list[tuple]:
        when = frame.data_time.astimezone(dt.UTC)
        received = dt.datetime.fromtimestamp(received_at, dt.UTC)
        out = []
        for code, fields in (frame.values or {}).items():
            if not code:
                continue
            nums = tuple(_number(fields.get(name)) for name in NUMERIC_FIELDS)
            flag = str(fields.get("flag") or "")[:2]
            eflag = str(fields.get("eflag") or "")[:8]
            if all(n is None for n in nums) and not flag and not eflag:
                continue
            out.append((point_id, kind, when, str(code)[:12], *nums, flag, eflag, False, received))
        return out

    def _write(self, rows: list[tuple], quarantine: list[dict]) -> None:
        from youse.monitoring.models import QuarantinedPacket

        conn = self.connection
        postgres = conn.vendor == "postgresql"
        if postgres and rows:
            self._ensure_partitions({(r[2].year, r[2].month) for r in rows})
        # One row per key within the batch (a resend inside the batch): an upsert may touch a row once.
        unique: dict[tuple, tuple] = {}
        for r in rows:
            unique.setdefault(r[:4], r)
        rows = list(unique.values())
        with transaction.atomic(using=self.alias):
            if rows:
                if postgres:
                    self._copy_rows(rows)
                else:
                    ops = conn.ops
                    prepared = [
                        (
                            *r[:2],
                            ops.adapt_datetimefield_value(r[2]),
                            *r[3:-1],
                            ops.adapt_datetimefield_value(r[-1]),
                        )
                        for r in rows
                    ]
                    cols = ", ".join(COLUMNS)
                    marks = ", ".join(["%s"] * len(COLUMNS))
                    with conn.cursor() as cur:
                        cur.executemany(f"INSERT INTO {TABLE} ({cols}) VALUES ({marks}) {UPSERT}", prepared)
            if quarantine:
                QuarantinedPacket.objects.using(self.alias).bulk_create([QuarantinedPacket(**q) for q in quarantine])

    # --- PostgreSQL -------------------------------------------------------------------------------------
    def _copy_rows(self, rows: list[tuple]) -> None:
        cols = ", ".join(COLUMNS)
        with self.connection.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} (LIKE {TABLE} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
            cur.execute(f"TRUNCATE {STAGE}")
            with cur.cursor.copy(f"COPY {STAGE} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cur.execute(f"INSERT INTO {TABLE} ({cols}) SELECT {cols} FROM {STAGE} {UPSERT}")

    def _ensure_partitions(self, months: set[tuple[int, int]]) -> None:
        """Create month partitions for recent and next months as rows need them; rows of months far
        from now (a device with a wrong clock) go to the DEFAULT partition."""
        if self._partitioned is None:
            self._partitioned = is_partitioned(self.connection)
            if self._partitioned:
                self._months = existing_partitions(self.connection)
        if not self._partitioned:
            return
        today = timezone.now()
        now_index = today.year * 12 + today.month - 1
        wanted = {(y, m) for y, m in months if now_index - 13 <= y * 12 + m - 1 <= now_index + 2}
        nxt = divmod(now_index + 1, 12)
        wanted.add((nxt[0], nxt[1] + 1))
        for year, month in sorted(wanted - self._months):
            try:
                with transaction.atomic(using=self.alias):
                    create_partition(self.connection, year, month)
            except Exception as exc:  # DEFAULT already holds rows of that month: they stay there
                if "default partition" not in str(exc).lower():
                    raise
                log.warning("month %04d-%02d stays in the default partition: %s", year, month, exc)
            self._months.add((year, month))


def partition_name(year: int, month: int) -> str:
    return f"{TABLE}_p{year:04d}{month:02d}"


def create_partition(connection, year: int, month: int) -> None:
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
    with connection.cursor() as cur:
        cur.execute(
            f"CREATE TABLE IF NOT EXISTS {partition_name(year, month)} PARTITION OF {TABLE} "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
        )


def is_partitioned(connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        return cur.fetchone() is not None


def existing_partitions(connection) -> set[tuple[int, int]]:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass",
            [TABLE],
        )
        names = [r[0] for r in cur.fetchall()]
    out = set()
    prefix = f"{TABLE}_p"
    for name in names:
        if name.startswith(prefix) and name[len(prefix) :].isdigit():
            digits = name[len(prefix) :]
            out.add((int(digits[:4]), int(digits[4:6])))
    return out
