"""`youse hj212 simulate`: data loggers of smelter stacks and wastewater outlets, for the demo and for load.

Each simulated logger holds its own TCP connection to the gateway and, `rate` times a second, uploads a
2011 real-time packet; when a minute (an hour) has passed it also uploads the 2051 minute (2061 hourly)
packet of the period just ended, as real loggers do. Every upload asks for an answer (Flag A = 1) and the
9014 replies that come back are counted.

The figures are a pure function of (seed, MN, factor, data time): a diurnal cycle around a level typical
of the outlet, noise, now and then an exceedance episode, a maintenance hour (flag M) or an instrument
fault (flag D). Two runs with the same seed send the same figures for the same data times. Field habits
are played too: resends of a packet already sent, two packets stuck together in one write; with
`--faults`, garbage before a packet, packets split across writes and packets with a broken CRC. Points
registered with CRC-16/MODBUS among their accepted variants sign with it, as the vendors' devices do.

Pure asyncio and the codec; Django is touched only by `--from-database` (the registered points' MN and
PW, read through the ORM)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import hashlib
import math
import random
import re
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO

from youse.monitoring.hj212 import codec

BEIJING = dt.timezone(dt.timedelta(hours=8))

# (2017 code, 2005 code, typical level, relative diurnal amplitude, decimals, limit used for exceedances)
Profile = tuple[tuple[str, str, float, float, int, float | None], ...]

# Typical levels of a smelter stack's CEMS (mg/m³ unless the code table says otherwise), against the limits
# of the smelting standards (FACTS.md): an episode pushes a pollutant above its limit.
GAS: dict[str, Profile] = {
    "aluminium": (
        ("a34013", "01", 8.0, 0.25, 2, 20.0),
        ("a21026", "02", 70.0, 0.2, 1, 200.0),
        ("a21018", "06", 1.1, 0.3, 3, 3.0),
        ("a21002", "03", 45.0, 0.15, 1, None),
        ("a00000", "B02", 180.0, 0.1, 2, None),
        ("a19001", "S01", 18.5, 0.03, 2, None),
        ("a01012", "S03", 95.0, 0.08, 1, None),
    ),
    "lead-zinc": (
        ("a34013", "01", 25.0, 0.3, 2, 80.0),
        ("a21026", "02", 160.0, 0.25, 1, 400.0),
        ("a21002", "03", 90.0, 0.2, 1, None),
        ("a00000", "B02", 60.0, 0.1, 2, None),
        ("a19001", "S01", 12.0, 0.05, 2, None),
        ("a01012", "S03", 65.0, 0.1, 1, None),
    ),
    "default": (
        ("a34013", "01", 12.0, 0.3, 2, 30.0),
        ("a21026", "02", 150.0, 0.2, 1, 400.0),
        ("a21002", "03", 110.0, 0.2, 1, 240.0),
        ("a00000", "B02", 40.0, 0.1, 2, None),
        ("a19001", "S01", 14.0, 0.05, 2, None),
        ("a01012", "S03", 80.0, 0.1, 1, None),
    ),
}
# Wastewater outlet: pH, COD (mg/L), total Pb and Cd (µg/L), flow (L/s).
WATER: Profile = (
    ("w01001", "001", 7.4, 0.03, 2, None),
    ("w01018", "011", 32.0, 0.25, 1, 60.0),
    ("w20120", "027", 180.0, 0.3, 1, 500.0),
    ("w20115", "022", 18.0, 0.3, 2, 50.0),
    ("w00000", "B01", 12.0, 0.35, 2, None),
)
CUMULATIVE = {"a00000", "w00000"}  # flows carry a cumulative volume (Cou) in minute and hour data


@dataclass(frozen=True)
class Device:
    """One simulated data logger."""

    mn: str
    pw: str = "123456"
    medium: str = "gas"
    kind: str = "default"  # key of GAS for stacks
    crc: str = "hj212"

    @property
    def profile(self) -> Profile:
        return WATER if self.medium == "water" else GAS.get(self.kind, GAS["default"])


@dataclass
class Summary:
    points: int = 0
    connections: int = 0
    sent: int = 0  # packets written (resends and sticky ones included)
    resent: int = 0
    faulty: int = 0  # packets sent with a broken CRC
    acked: int = 0  # 9014 replies received
    errors: int = 0  # failed connections and writes
    by_cn: dict[str, int] = field(default_factory=dict)

    def line(self) -> str:
        cns = ", ".join(f"{cn}: {n}" for cn, n in sorted(self.by_cn.items()))
        return (
            f"points {self.points}, sent {self.sent} ({cns}), resent {self.resent}, bad CRC {self.faulty}, "
            f"acked {self.acked}, errors {self.errors}"
        )


# --- Devices ------------------------------------------------------------------------------------------


def kind_of_standard(standard: str) -> str:
    if "25465" in standard:
        return "aluminium"
    if "25466" in standard:
        return "lead-zinc"
    return "default"


def make_mn(prefix: str, index: int, seed: int) -> str:
    """A 24-character MN, deterministic in (prefix, index, seed)."""
    digest = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest().upper()
    head = (prefix or "8861SIM")[:14]
    return (head + f"{index:06d}" + digest)[:24]


def planned_devices(count: int, seed: int, prefix: str = "") -> list[Device]:
    """`count` loggers: three stacks for each wastewater outlet, every seventh signing with MODBUS CRC."""
    devices = []
    for i in range(count):
        water = i % 4 == 3
        devices.append(
            Device(
                mn=make_mn(prefix, i, seed),
                pw=f"{(seed * 7919 + i) % 1_000_000:06d}",
                medium="water" if water else "gas",
                kind=("aluminium", "lead-zinc", "default")[i % 3],
                crc="modbus" if i % 7 == 6 else "hj212",
            )
        )
    return devices


def registered_devices(limit: int | None = None, prefix: str = "") -> list[Device]:
    """The active registered points (needs Django set up)."""
    from youse.monitoring.models import MonitoringPoint

    qs = MonitoringPoint.objects.filter(active=True).order_by("pk")
    if prefix:
        qs = qs.filter(mn__startswith=prefix)
    devices = [
        Device(
            mn=p.mn,
            pw=p.pw,
            medium=p.medium,
            kind=kind_of_standard(p.standard),
            crc="modbus" if "modbus" in (p.accepted_crc or []) else "hj212",
        )
        for p in qs
    ]
    return devices[:limit] if limit else devices


# --- Figures: a pure function of (seed, MN, factor, time) ---------------------------------------------


def _rng(seed: int, *parts: object) -> random.Random:
    key = ":".join(str(p) for p in (seed, *parts))
    return random.Random(int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big"))


def _uniforms(seed: int, *parts: object) -> tuple[float, float]:
    """Two uniform numbers in (0, 1) drawn from a hash of the parts: cheaper than seeding a Random per
    sample, and as deterministic."""
    digest = hashlib.blake2b(":".join(str(p) for p in (seed, *parts)).encode(), digest_size=16).digest()
    return (int.from_bytes(digest[:8], "big") + 1) / (2**64 + 2), (int.from_bytes(digest[8:], "big") + 1) / (2**64 + 2)


def _gauss(sigma: float, seed: int, *parts: object) -> float:
    a, b = _uniforms(seed, *parts)
    return sigma * math.sqrt(-2 * math.log(a)) * math.cos(2 * math.pi * b)  # Box–Muller


@functools.lru_cache(maxsize=65536)
def _hour_state_of(seed: int, mn: str, hour_key: str) -> str:
    r = _uniforms(seed, mn, "hour", hour_key)[0]
    if r < 0.06:
        return "E"
    if r < 0.08:
        return "M"
    if r < 0.09:
        return "D"
    return "N"


def _hour_state(seed: int, device: Device, hour: dt.datetime) -> str:
    """What the logger's hour is: "N" normal, "E" exceedance episode, "M" maintenance, "D" fault."""
    return _hour_state_of(seed, device.mn, hour.strftime("%Y%m%d%H"))


def value_at(seed: int, device: Device, factor: tuple, when: dt.datetime) -> tuple[float, str]:
    """One instantaneous value and its data flag at `when` (Beijing time)."""
    code, _old, level, amplitude, decimals, limit = factor
    hour = when.replace(minute=0, second=0, microsecond=0)
    state = _hour_state(seed, device, hour)
    phase = (when.hour + when.minute / 60 - 9) / 24 * 2 * math.pi  # production peaks in the afternoon
    value = level * (1 + amplitude * math.sin(phase))
    value *= 1 + _gauss(0.04, seed, device.mn, code, when.isoformat())
    flag = "N"
    if state == "E" and limit is not None:
        value = limit * (1.15 + 0.5 * _uniforms(seed, device.mn, code, "episode", hour.isoformat())[0])
    elif state == "M":
        flag = "M"
    elif state == "D" and limit is not None:
        flag = "D"
        value = 0.0
    if code == "w01001":
        value = min(max(value, 0.0), 14.0)
    return round(max(value, 0.0), decimals), flag


def period_values(seed: int, device: Device, start: dt.datetime, minutes: int) -> dict[str, dict]:
    """Avg/Min/Max (and Cou for flows) over `minutes` from `start`, sampled each minute."""
    values = {}
    for factor in device.profile:
        code, decimals = factor[0], factor[4]
        # An hour or a day is summarised from samples every five minutes: the same shape as every minute
        # at a fifth of the cost (the demo writes a week of hours for every point).
        step = 1 if minutes < 60 else 5
        samples = [value_at(seed, device, factor, start + dt.timedelta(minutes=m)) for m in range(0, minutes, step)]
        numbers = [v for v, _f in samples]
        flags = [f for _v, f in samples]
        avg = sum(numbers) / len(numbers)
        entry: dict[str, object] = {
            "avg": round(avg, decimals),
            "min": min(numbers),
            "max": max(numbers),
            "flag": max(set(flags), key=flags.count),
        }
        if code in CUMULATIVE:
            per_second = avg  # m³/s, L/s
            volume = per_second * 60 * minutes / (1000 if code == "w00000" else 1)
            entry["cou"] = round(volume, 2)
        values[code] = entry
    return values


def realtime_values(seed: int, device: Device, when: dt.datetime) -> dict[str, dict]:
    values = {}
    for factor in device.profile:
        value, flag = value_at(seed, device, factor, when)
        values[factor[0]] = {"rtd": value, "flag": flag}
    return values


def fields_for(seed: int, device: Device, cn: str, when: dt.datetime, dialect: str = "2017", qn_ms: int = 0) -> dict:
    """The fields of one upload, in the shape `youse hj212 decode` prints and codec.encode takes."""
    when = when.astimezone(BEIJING)
    if cn == "2011":
        values = realtime_values(seed, device, when)
    elif cn == "2051":
        values = period_values(seed, device, when, 1)
    else:
        values = period_values(seed, device, when, 60)
    if dialect == "2005":
        legacy = {f[0]: f[1] for f in device.profile}
        values = {legacy[code]: v for code, v in values.items()}
        # 2005-era loggers: no QN, no Flag, 17-digit DataTime (milliseconds).
        return {
            "st": "22" if device.medium == "gas" else "32",
            "cn": cn,
            "pw": device.pw,
            "mn": device.mn,
            "data_time": when.isoformat(timespec="milliseconds"),
            "values": values,
        }
    qn_time = dt.datetime.now(BEIJING) if not qn_ms else when
    return {
        "qn": qn_time.strftime("%Y%m%d%H%M%S") + f"{(qn_ms or qn_time.microsecond // 1000) % 1000:03d}",
        "st": "31" if device.medium == "gas" else "32",
        "cn": cn,
        "pw": device.pw,
        "mn": device.mn,
        "flag": 5,  # version 1 (2017), A = 1: answer with 9014
        "data_time": when.isoformat(),
        "values": values,
    }


def packet(fields: dict, crc: str = "hj212") -> bytes:
    return codec.encode(fields, crc=crc)


def break_crc(data: bytes) -> bytes:
    """The same packet with its CRC changed: a receiver must not answer it."""
    body, crc = data[:-6], data[-6:-2]
    wrong = f"{(int(crc, 16) ^ 0x5A5A):04X}".encode()
    return body + wrong + b"\r\n"


# --- The connection of one logger ----------------------------------------------------------------------

REPLY = re.compile(rb"CN=9014")


class Logger:
    def __init__(self, device: Device, options: dict, summary: Summary, index: int) -> None:
        self.device = device
        self.seed = int(options.get("seed") or 1)
        self.rate = float(options.get("rate") or 1.0)
        self.dialect = str(options.get("dialect") or "2017")
        self.faults = bool(options.get("faults"))
        self.summary = summary
        self.rng = _rng(self.seed, device.mn, "habits")
        self.index = index
        self.last_minute: dt.datetime | None = None
        self.last_hour: dt.datetime | None = None
        self.previous: bytes | None = None

    def uploads(self, now: dt.datetime) -> list[tuple[str, bytes]]:
        """The packets due at `now`: a real-time packet and any minute or hour that just ended."""
        now = now.astimezone(BEIJING).replace(microsecond=0)
        minute = now.replace(second=0) - dt.timedelta(minutes=1)
        hour = now.replace(minute=0, second=0) - dt.timedelta(hours=1)
        due = [("2011", now)]
        if self.last_minute is None or minute > self.last_minute:
            due.append(("2051", minute))
            self.last_minute = minute
        if self.last_hour is None or hour > self.last_hour:
            due.append(("2061", hour))
            self.last_hour = hour
        out = []
        for cn, when in due:
            out.append((cn, packet(fields_for(self.seed, self.device, cn, when, self.dialect), self.device.crc)))
        return out

    def writes(self, packets: list[tuple[str, bytes]]) -> list[bytes]:
        """How the packets go on the wire: resends, sticky pairs and, with faults, garbage and splits."""
        chunks: list[bytes] = []
        data = [p for _cn, p in packets]
        if self.previous is not None and self.rng.random() < 0.03:
            data.insert(0, self.previous)  # the logger did not see our answer and sends again
            self.summary.resent += 1
        if self.faults:
            for i, p in enumerate(data):
                if self.rng.random() < 0.05:
                    data[i] = break_crc(p)
                    self.summary.faulty += 1
        self.previous = data[-1]
        i = 0
        while i < len(data):
            if i + 1 < len(data) and self.rng.random() < 0.3:
                chunks.append(data[i] + data[i + 1])  # two packets in one write
                i += 2
                continue
            chunks.append(data[i])
            i += 1
        if self.faults:
            if self.rng.random() < 0.1:
                chunks.insert(0, bytes(self.rng.randrange(256) for _ in range(self.rng.randrange(1, 12))))
            split = []
            for c in chunks:
                if len(c) > 8 and self.rng.random() < 0.2:
                    cut = self.rng.randrange(1, len(c) - 1)
                    split += [c[:cut], c[cut:]]
                else:
                    split.append(c)
            chunks = split
        self.summary.sent += len(data)
        for cn, _p in packets:
            self.summary.by_cn[cn] = self.summary.by_cn.get(cn, 0) + 1
        return chunks

    async def run(self, host: str, port: int, deadline: float | None, stop: asyncio.Event) -> None:
        """Connect, upload until the deadline or stop; reconnect (with backoff) when the gateway is not
        there yet or drops the connection, as data loggers do."""
        # Stagger the start so a thousand loggers do not all connect in one instant.
        await self._pause(min(1.0 / max(self.rate, 0.001), 5.0) * self.rng.random(), deadline, stop)
        backoff = 0.5
        while not stop.is_set() and (deadline is None or time.monotonic() < deadline):
            try:
                reader, writer = await asyncio.open_connection(host, port)
            except OSError:
                self.summary.errors += 1
                await self._pause(backoff, deadline, stop)
                backoff = min(backoff * 2, 10.0)
                continue
            backoff = 0.5
            self.summary.connections += 1
            await self._session(reader, writer, deadline, stop)

    async def _pause(self, seconds: float, deadline: float | None, stop: asyncio.Event) -> None:
        if deadline is not None:
            seconds = min(seconds, deadline - time.monotonic())
        if seconds > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), seconds)

    async def _session(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, deadline: float | None, stop: asyncio.Event
    ) -> None:
        acks = asyncio.create_task(self._read_acks(reader))
        interval = 1.0 / max(self.rate, 0.001)
        next_at = time.monotonic()
        try:
            while not stop.is_set() and (deadline is None or time.monotonic() < deadline):
                for chunk in self.writes(self.uploads(dt.datetime.now(BEIJING))):
                    writer.write(chunk)
                    await writer.drain()
                next_at += interval
                await self._pause(next_at - time.monotonic(), deadline, stop)
                if acks.done():  # the gateway hung up
                    self.summary.errors += 1
                    return
        except (OSError, ConnectionError):
            self.summary.errors += 1
        finally:
            # Give the gateway a moment to answer the last packets before hanging up.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.shield(acks), 1.0)
            acks.cancel()
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _read_acks(self, reader: asyncio.StreamReader) -> None:
        buffer = b""
        with contextlib.suppress(OSError, ConnectionError, asyncio.CancelledError):
            while data := await reader.read(4096):
                buffer += data
                *complete, buffer = buffer.split(b"\r\n")
                self.summary.acked += sum(1 for line in complete if REPLY.search(line))


async def simulate(
    devices: Iterable[Device], host: str, port: int, options: dict, stop: asyncio.Event | None = None
) -> Summary:
    devices = list(devices)
    summary = Summary(points=len(devices))
    stop = stop or asyncio.Event()
    duration = float(options.get("duration") or 0)
    deadline = time.monotonic() + duration if duration > 0 else None
    loggers = [Logger(d, options, summary, i) for i, d in enumerate(devices)]
    await asyncio.gather(*(lg.run(host, port, deadline, stop) for lg in loggers))
    return summary


def parse_target(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"--target must be HOST:PORT, not {target!r}")
    return host.strip("[]"), int(port)


def main(options: dict, stdout: IO[str]) -> int:
    """Entry point of `youse hj212 simulate`; returns the exit code."""
    try:
        host, port = parse_target(options["target"])
    except ValueError as exc:
        stdout.write(f"{exc}\n")
        return 2
    prefix = options.get("mn_prefix") or ""
    if options.get("from_database"):
        devices = registered_devices(prefix=prefix)
        # The ORM is done with: the loop below must not hold a connection for hours.
        from django.db import connections

        connections.close_all()
        if options.get("points") and options["points"] < len(devices):
            devices = devices[: options["points"]]
    else:
        devices = planned_devices(int(options.get("points") or 1), int(options.get("seed") or 1), prefix)
    if not devices:
        stdout.write("No monitoring points to simulate.\n")
        return 1
    duration = float(options.get("duration") or 0)
    stdout.write(
        f"Simulating {len(devices)} data loggers against {host}:{port} at {options.get('rate')} packets/s each"
        f"{f' for {duration:g} s' if duration else ' until stopped'} (dialect {options.get('dialect') or '2017'}"
        f"{', faults' if options.get('faults') else ''}).\n"
    )
    stdout.flush()

    async def run() -> Summary:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, stop.set)
        return await simulate(devices, host, port, options, stop)

    summary = asyncio.run(run())
    stdout.write(f"Summary: {summary.line()}\n")
    return 0 if summary.connections or not duration else 1
