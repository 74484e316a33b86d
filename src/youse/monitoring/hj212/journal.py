"""The gateway's durable journal: append-only segment files of length-prefixed, checksummed records.

A record is appended (buffered write) and becomes durable at the next :meth:`Journal.sync` (one fsync
shared by every record appended since the last one: group commit). Offsets are logical byte positions
over the whole journal; a segment file is named after the offset of its first byte. The committed
offset (everything before it is in the database) lives in the ``checkpoint`` file, written atomically
after the database commit; segments entirely before it are deleted.

On opening, a torn tail (a record cut by a crash before its fsync, or failing its checksum) is
truncated away: such a record was never acknowledged to its sender.

A failed append (the disk is full, a quota is reached) raises OSError after cutting off whatever part of
the record reached the file: the journal stays a sequence of whole records, and the next append, once
there is room again, follows the last good one.

Pure Python; imports nothing from Django.
"""

from __future__ import annotations

import contextlib
import errno
import os
import struct
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

HEADER = struct.Struct(">II")  # payload length, CRC-32 of the payload
RECORD_META = struct.Struct(">BdH")  # kind, received_at (epoch seconds), peer length
SEGMENT_SUFFIX = ".seg"
MAX_RECORD = 1 << 20

KIND_FRAME = 1  # a frame whose CRC checked (in any variant): the store decides what becomes of it
KIND_REJECT = 2  # a frame rejected at the gateway (CRC error, undecodable): for the quarantine


@dataclass(frozen=True, slots=True)
class Record:
    kind: int
    received_at: float
    peer: str
    reason: str
    raw: bytes
    end: int = 0  # journal offset just after this record

    def pack(self) -> bytes:
        peer = self.peer.encode()[:255]
        reason = self.reason.encode()[:255]
        return b"".join(
            (
                RECORD_META.pack(self.kind, self.received_at, len(peer)),
                peer,
                bytes([len(reason)]),
                reason,
                self.raw,
            )
        )

    @classmethod
    def unpack(cls, payload: bytes, end: int = 0) -> Record:
        kind, received_at, peer_len = RECORD_META.unpack_from(payload)
        pos = RECORD_META.size
        peer = payload[pos : pos + peer_len].decode(errors="replace")
        pos += peer_len
        reason_len = payload[pos]
        pos += 1
        reason = payload[pos : pos + reason_len].decode(errors="replace")
        pos += reason_len
        return cls(kind, received_at, peer, reason, payload[pos:], end)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Journal:
    """Append from one thread (the event loop), sync from one, read and checkpoint from another."""

    def __init__(self, directory: str | os.PathLike, segment_bytes: int = 64 << 20) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.segment_bytes = segment_bytes
        self._lock = threading.Lock()
        self._retired: list[int] = []
        self.checkpoint = self._read_checkpoint()
        self.truncated_bytes = 0
        segments = self.segments()
        if not segments:
            start = self.checkpoint
            self._open_segment(start)
        else:
            last = segments[-1]
            valid = self._scan_valid_end(last)
            size = self._segment_path(last).stat().st_size
            if valid < size:
                self.truncated_bytes = size - valid
                with open(self._segment_path(last), "r+b") as f:
                    f.truncate(valid)
                    f.flush()
                    os.fsync(f.fileno())
            self._seg_start = last
            self._fd = os.open(self._segment_path(last), os.O_WRONLY | os.O_APPEND)
            self._seg_size = valid
        self.end = self._seg_start + self._seg_size  # appended (maybe not yet durable)
        self.durable = self.end  # fsynced
        if self.checkpoint > self.end:  # checkpoint beyond a truncated tail: never acknowledged data
            self.checkpoint = self.end

    # --- files -------------------------------------------------------------------------------------
    def _segment_path(self, start: int) -> Path:
        return self.dir / f"{start:020d}{SEGMENT_SUFFIX}"

    def segments(self) -> list[int]:
        return sorted(int(p.name[: -len(SEGMENT_SUFFIX)]) for p in self.dir.glob(f"*{SEGMENT_SUFFIX}"))

    def _open_segment(self, start: int) -> None:
        path = self._segment_path(start)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            _fsync_dir(self.dir)
        except OSError:
            # No half-made segment: an empty file named after this offset would end the current
            # segment there for the reader, while appends still go to the current one.
            os.close(fd)
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        self._seg_start, self._fd, self._seg_size = start, fd, 0

    def _scan_valid_end(self, start: int) -> int:
        """Bytes of the segment made of whole records with good checksums."""
        data = self._segment_path(start).read_bytes()
        pos = 0
        while pos + HEADER.size <= len(data):
            length, crc = HEADER.unpack_from(data, pos)
            body = data[pos + HEADER.size : pos + HEADER.size + length]
            if length > MAX_RECORD or len(body) < length or zlib.crc32(body) != crc:
                break
            pos += HEADER.size + length
        return pos

    def _read_checkpoint(self) -> int:
        try:
            return int((self.dir / "checkpoint").read_text().strip() or 0)
        except (FileNotFoundError, ValueError):
            segments = self.segments()
            return segments[0] if segments else 0

    # --- writing (event loop thread) -------------------------------------------------------------------
    def append(self, record: Record) -> int:
        """Append one record (not yet durable); return the offset just after it."""
        payload = record.pack()
        if len(payload) > MAX_RECORD:
            raise ValueError("record too large")
        data = HEADER.pack(len(payload), zlib.crc32(payload)) + payload
        with self._lock:
            if self._seg_size and self._seg_size + len(data) > self.segment_bytes:
                os.fsync(self._fd)  # rare: a segment is full
                old = self._fd
                self._open_segment(self.end)  # on failure the old segment stays the current one
                self._retired.append(old)  # closed by sync(), which may be fsyncing it right now
            try:
                written = os.write(self._fd, data)
                if written != len(data):  # a full disk writes what fits, then refuses the rest
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self._segment_path(self._seg_start)))
            except OSError:
                # Cut off the part that did reach the file: a torn record in the middle would stop the
                # reader there, and everything appended after it would never reach the database.
                with contextlib.suppress(OSError):
                    os.ftruncate(self._fd, self._seg_size)
                raise
            self._seg_size += len(data)
            self.end += len(data)
            return self.end

    def sync(self) -> int:
        """Make everything appended so far durable (one fsync); return the durable offset."""
        with self._lock:
            target, fd = self.end, self._fd
            retired, self._retired = self._retired, []
        os.fsync(fd)  # a segment switch fsyncs the old file before retiring it
        for old in retired:
            if old != fd:
                os.close(old)
        with self._lock:
            if target > self.durable:
                self.durable = target
        return target

    def close(self) -> None:
        with self._lock:
            os.fsync(self._fd)
            self.durable = self.end
            for fd in [*self._retired, self._fd]:
                os.close(fd)
            self._retired = []

    # --- reading and checkpointing (writer thread) ------------------------------------------------------
    def read(self, offset: int, max_records: int = 5000, max_bytes: int = 8 << 20) -> list[Record]:
        """Durable records from ``offset`` on (the offset must be a record boundary)."""
        limit = self.durable
        out: list[Record] = []
        if offset >= limit:
            return out
        segments = self.segments()
        taken = 0
        for i, start in enumerate(segments):
            seg_end = segments[i + 1] if i + 1 < len(segments) else limit
            if seg_end <= offset:
                continue
            with open(self._segment_path(start), "rb") as f:
                f.seek(max(offset, start) - start)
                pos = max(offset, start)
                while pos < min(seg_end, limit) and len(out) < max_records and taken < max_bytes:
                    head = f.read(HEADER.size)
                    if len(head) < HEADER.size:
                        break
                    length, crc = HEADER.unpack(head)
                    payload = f.read(length)
                    if len(payload) < length or zlib.crc32(payload) != crc:
                        raise OSError(f"journal corrupt at offset {pos}")
                    pos += HEADER.size + length
                    taken += HEADER.size + length
                    out.append(Record.unpack(payload, pos))
            if len(out) >= max_records or taken >= max_bytes or pos >= limit:
                break
        return out

    def commit(self, offset: int) -> None:
        """Record durably that everything before ``offset`` is in the database; drop spent segments."""
        tmp = self.dir / "checkpoint.tmp"
        with open(tmp, "w") as f:
            f.write(str(offset))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.dir / "checkpoint")
        _fsync_dir(self.dir)
        self.checkpoint = offset
        segments = self.segments()
        for i, start in enumerate(segments[:-1]):
            if segments[i + 1] <= offset:
                self._segment_path(start).unlink(missing_ok=True)

    @property
    def lag(self) -> int:
        return self.end - self.checkpoint

    def disk_bytes(self) -> int:
        return sum(self._segment_path(s).stat().st_size for s in self.segments())

    def free_bytes(self) -> int:
        """Bytes an unprivileged process may still write on the journal's file system."""
        st = os.statvfs(self.dir)
        return st.f_bavail * st.f_frsize
