"""Reassembly of sub-packets (Flag D bit, PNUM/PNO).

Sub-packets of one upload each carry their own QN (表 C.49, C.50), so they are grouped by (MN, CN,
DataTime), never by QN. Pure Python: no Django."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from youse.monitoring.hj212.codec import Frame

Key = tuple


@dataclass
class _Partial:
    first_seen: float
    total: int
    parts: dict[int, Frame] = field(default_factory=dict)


class Reassembler:
    """Collects sub-packets; `add` returns the merged frame once every PNO of PNUM has arrived.

    A frame that is not a sub-packet (or PNUM <= 1) is returned unchanged. A repeated PNO replaces the
    earlier one (devices resend). `expire` hands back, as merged incomplete frames, groups older than
    `max_age` seconds so that what did arrive is not lost."""

    def __init__(self, max_age: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_age = max_age
        self.clock = clock
        self._partials: dict[Key, _Partial] = {}

    def __len__(self) -> int:
        return len(self._partials)

    @staticmethod
    def key(frame: Frame) -> Key:
        return (frame.mn, frame.cn, frame.data_time)

    def add(self, frame: Frame) -> Frame | None:
        if not frame.subpacket or not frame.pnum or frame.pnum <= 1:
            return frame
        key = self.key(frame)
        partial = self._partials.get(key)
        if partial is None:
            partial = self._partials[key] = _Partial(self.clock(), frame.pnum)
        partial.total = max(partial.total, frame.pnum)
        partial.parts[frame.pno or 0] = frame
        if all(n in partial.parts for n in range(1, partial.total + 1)):
            del self._partials[key]
            return merge([partial.parts[n] for n in sorted(partial.parts)])
        return None

    def expire(self, now: float | None = None) -> list[Frame]:
        """Incomplete groups older than max_age, merged and marked with a repair saying what is missing."""
        now = self.clock() if now is None else now
        out = []
        for key, partial in list(self._partials.items()):
            if now - partial.first_seen >= self.max_age:
                del self._partials[key]
                merged = merge([partial.parts[n] for n in sorted(partial.parts)])
                missing = [n for n in range(1, partial.total + 1) if n not in partial.parts]
                merged.repairs.append(f"incomplete: sub-packets {missing} of {partial.total} never arrived")
                out.append(merged)
        return out


def merge(parts: list[Frame]) -> Frame:
    """One frame from sub-packets in PNO order: values, legacy codes, extra and repairs combined; header of
    the first; D bit cleared, PNUM/PNO dropped; raw is the concatenation of the packets."""
    first = parts[0]
    values: dict[str, dict[str, float | str]] = {}
    legacy: dict[str, str] = {}
    extra: dict[str, str] = {}
    repairs: list[str] = []
    for part in parts:
        for code, fields in part.values.items():
            values.setdefault(code, {}).update(fields)
        legacy.update(part.legacy_codes)
        extra.update(part.extra)
        repairs.extend(r for r in part.repairs if r not in repairs)
    return replace(
        first,
        raw=b"".join(p.raw for p in parts),
        ok=all(p.ok for p in parts),
        repairs=repairs,
        values=values,
        legacy_codes=legacy,
        extra=extra,
        flag=None if first.flag is None else first.flag & ~2,
        pnum=None,
        pno=None,
        subpacket=False,
        need_ack=any(p.need_ack for p in parts),
    )
