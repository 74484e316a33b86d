"""HJ 212 packets: stream framing, decoding (2005, 2017 and 2025 dialects), encoding and the server's replies.

A packet is ``##`` + four-digit length of the data segment + data segment + four hex digits of CRC + CR LF.
The data segment is ``QN=..;ST=..;CN=..;PW=..;MN=..;Flag=..;[PNUM=..;PNO=..;]CP=&&...&&``.

Framing (`FrameDecoder`) resynchronises on ``##``: a packet ends at the first CR LF after its ``##``; a
candidate that does not check out and contains another ``##`` is cut there, so a good packet behind a
truncated one is never lost. Garbage between packets is counted (`FrameDecoder.garbage`) and dropped.
Every candidate becomes a `Frame`: ``ok=True`` when decoded, else ``ok=False`` with `error` and `raw`.

The CRC variant is identified (see `crc.py`) and reported in `Frame.crc`; a packet with a MODBUS CRC still
decodes ``ok=True``: acceptance of a variant is the gateway's per-device decision. Only a CRC matching no
variant makes the frame ``ok=False``.

Known typos of the standard's Appendix C that devices copy are tolerated and each repair is recorded in
`Frame.repairs`. 2005 factor codes are mapped to 2017 codes; `Frame.legacy_codes` keeps the original.
Pure Python: no Django here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from youse.monitoring.hj212 import crc as crcmod
from youse.monitoring.hj212.codes import FACTORS, LEGACY_TO_2017

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

HEADER_KEYS = ("QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO")
VERSIONS = {0: "2005", 1: "2017", 2: "2025"}
VERSION_BITS = {v: k for k, v in VERSIONS.items()}

# CP field suffix -> key in Frame.values, and back.
FIELDS = {
    "Rtd": "rtd",
    "Avg": "avg",
    "Min": "min",
    "Max": "max",
    "Cou": "cou",
    "ZsRtd": "zs_rtd",
    "ZsAvg": "zs_avg",
    "ZsMin": "zs_min",
    "ZsMax": "zs_max",
    "Flag": "flag",
    "EFlag": "eflag",
    "SampleTime": "sample_time",
    "Data": "data",
    "DayData": "day_data",
    "NightData": "night_data",
    "Info": "info",
    "SN": "sn",
}
FIELD_NAMES = {v: k for k, v in FIELDS.items()}
_FIELDS_CI = {k.lower(): k for k in FIELDS}
NUMERIC = frozenset(
    {"rtd", "avg", "min", "max", "cou", "zs_rtd", "zs_avg", "zs_min", "zs_max", "data", "day_data", "night_data"}
)

_INT = re.compile(r"[+-]?\d+\Z")
_FLOAT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\Z")
_CODE_FIELD = re.compile(r"([A-Za-z0-9]+)-([A-Za-z]+)\Z")
_RUNNING = re.compile(r"SB[0-9A-Za-z]+\Z")


@dataclass
class Frame:
    raw: bytes
    ok: bool
    error: str | None = None
    crc: str = "invalid"
    repairs: list[str] = field(default_factory=list)
    version: str | None = None
    st: str | None = None
    cn: str | None = None
    pw: str | None = None
    mn: str | None = None
    flag: int | None = None
    qn: str | None = None
    pnum: int | None = None
    pno: int | None = None
    data_time: datetime | None = None
    values: dict[str, dict[str, float | str]] = field(default_factory=dict)
    legacy_codes: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    need_ack: bool = False
    subpacket: bool = False
    data_time_ms: bool = False  # DataTime carried milliseconds (17 digits, 2005 loggers)

    def to_json(self) -> dict:
        """The object `youse hj212 decode` prints: absent (None) fields omitted, numbers as numbers."""
        out: dict = {"ok": self.ok}
        if self.error is not None:
            out["error"] = self.error
        out["crc"] = self.crc
        out["repairs"] = list(self.repairs)
        for name in ("version", "st", "cn", "pw", "mn", "flag", "qn", "pnum", "pno"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.data_time is not None:
            out["data_time"] = self.data_time.isoformat(timespec="milliseconds" if self.data_time_ms else "seconds")
        out["values"] = {code: dict(fields) for code, fields in self.values.items()}
        out["legacy_codes"] = dict(self.legacy_codes)
        out["extra"] = dict(self.extra)
        return out


def _number(text: str) -> float | str:
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        value = float(text)
        if math.isfinite(value):
            return value
    return text


def parse_time(text: str) -> tuple[datetime, bool]:
    """YYYYMMDDhhmmss or YYYYMMDDhhmmsszzz, Beijing time -> (aware datetime, had milliseconds)."""
    if not text.isdigit() or len(text) not in (14, 17):
        raise ValueError(f"DataTime {text!r} is not 14 or 17 digits")
    dt = datetime(
        int(text[0:4]),
        int(text[4:6]),
        int(text[6:8]),
        int(text[8:10]),
        int(text[10:12]),
        int(text[12:14]),
        int(text[14:17]) * 1000 if len(text) == 17 else 0,
        tzinfo=BEIJING,
    )
    return dt, len(text) == 17


def format_time(value: datetime | str, ms: bool | None = None) -> str:
    """Aware datetime or ISO 8601 text -> 14 digits (17 with milliseconds), in Beijing time."""
    if isinstance(value, str):
        if ms is None:
            ms = "." in value
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(BEIJING)
    text = value.strftime("%Y%m%d%H%M%S")
    if ms:
        text += f"{value.microsecond // 1000:03d}"
    return text


# ---------------------------------------------------------------------------------------------- decoding


def _split_cp(cp: str) -> list[tuple[str, str]]:
    """CP data area -> [(item, separator before it)]; values between // and // are kept whole."""
    items: list[tuple[str, str]] = []
    i, n, sep = 0, len(cp), ""
    while i < n:
        eq = cp.find("=", i)
        nxt = min((p for p in (cp.find(";", i), cp.find(",", i)) if p >= 0), default=n)
        if eq >= 0 and eq < nxt:
            vstart = eq + 1
            stripped = cp[vstart:].lstrip(" ")
            if stripped.startswith("//"):
                close = cp.find("//", vstart + (len(cp[vstart:]) - len(stripped)) + 2)
                if close >= 0:
                    end = close + 2
                    nxt = min((p for p in (cp.find(";", end), cp.find(",", end)) if p >= 0), default=n)
        items.append((cp[i:nxt], sep))
        if nxt < n:
            sep = cp[nxt]
        i = nxt + 1
    return items


def _parse_segment(frame: Frame, segment: str) -> None:
    """Fill `frame` from the data segment text; raises ValueError with the reason on a fatal error."""
    repairs = frame.repairs
    cp_at = segment.find("CP=")
    if cp_at < 0:
        raise ValueError("no CP= in data segment")
    header, cp = segment[:cp_at], segment[cp_at + 3 :]
    if header and not header.endswith((";", ",")):
        repairs.append("missing ';' before CP")
    # Header: fields separated by ';' (',' tolerated).
    for raw_part in re.split(r"([;,])", header):
        if raw_part in (";", ","):
            continue
        part = raw_part
        if not part.strip():
            continue
        if part != part.strip():
            repairs.append(f"space around {part.strip()!r} removed")
            part = part.strip()
        if "=" not in part:
            raise ValueError(f"header field without '=': {part[:40]!r}")
        key, value = part.split("=", 1)
        key, value = key.strip(), value.strip()
        if key == "QN":
            frame.qn = value
        elif key == "ST":
            frame.st = value
        elif key == "CN":
            frame.cn = value
        elif key == "PW":
            frame.pw = value
        elif key == "MN":
            frame.mn = value
        elif key in ("Flag", "PNUM", "PNO"):
            if not value.isdigit():
                raise ValueError(f"{key}={value!r} is not a number")
            setattr(frame, key.lower(), int(value))
        else:
            frame.extra[key] = value
    for m in re.finditer(r"(\w+)=[^;,]*,", header):
        repairs.append(f"',' instead of ';' after {m.group(1)}")

    # CP=&&...&&
    if not cp.startswith("&&"):
        raise ValueError("CP does not start with &&")
    body = cp[2:]
    if body.endswith("&&"):
        body = body[:-2]
    else:
        repairs.append("CP not closed by &&")
    if body != body.strip(" "):
        repairs.append("space in CP removed")
        body = body.strip(" ")
    _parse_cp(frame, body)

    if frame.flag is not None:
        if frame.flag > 255:
            raise ValueError(f"Flag={frame.flag} out of range")
        frame.version = VERSIONS.get(frame.flag >> 2)
        frame.need_ack = bool(frame.flag & 1)
        frame.subpacket = bool(frame.flag & 2)
    else:
        frame.version = "2005"
    if not frame.cn:
        raise ValueError("no CN")
    if not frame.mn:
        raise ValueError("no MN")


def _parse_cp(frame: Frame, body: str) -> None:
    repairs = frame.repairs
    if not body:
        return
    last_code: str | None = None
    for item, sep in _split_cp(body):
        if not item.strip():
            if item:
                repairs.append("space in CP removed")
            continue
        if "=" not in item:
            repairs.append(f"CP item without '=' ignored: {item[:40]!r}")
            continue
        key, value = item.split("=", 1)
        if key != key.strip() or (value != value.strip() and not value.strip().startswith("//")):
            repairs.append(f"space around {key.strip()!r} removed")
        key, value = key.strip(), value.strip()
        if key == "DataTime":
            frame.data_time, frame.data_time_ms = parse_time(value)
            last_code = None
            continue
        m = _CODE_FIELD.match(key)
        if m is None or _RUNNING.match(m.group(1)):
            if sep == ",":
                repairs.append(f"',' instead of ';' before {key}")
            if key in frame.extra:
                repairs.append(f"duplicate {key}: last value kept")
            frame.extra[key] = value
            last_code = None
            continue
        code, suffix = m.groups()
        fname = FIELDS.get(suffix)
        if fname is None:
            canonical = _FIELDS_CI.get(suffix.lower())
            if canonical is None:
                frame.extra[key] = value
                last_code = None
                continue
            repairs.append(f"{key} → {code}-{canonical}")
            fname = FIELDS[canonical]
        new = _normalise_code(frame, code, suffix)
        if sep == "," and last_code is not None and new != last_code:
            repairs.append(f"',' instead of ';' before {key}")
        fields = frame.values.setdefault(new, {})
        if fname in fields:
            repairs.append(f"duplicate {key}: last value kept")
            del fields[fname]
        fields[fname] = _number(value) if fname in NUMERIC else value
        last_code = new


def _normalise_code(frame: Frame, code: str, suffix: str) -> str:
    if code in FACTORS:
        return code
    new = LEGACY_TO_2017.get(code)
    if new is not None:
        frame.legacy_codes[new] = code
        return new
    if len(code) == 5 and code.isdigit():
        # Appendix C writes "01018-Rtd" for "w01018-Rtd": restore the medium letter the code table knows.
        prefer = ("a", "w") if (frame.st or "").startswith(("31", "51")) else ("w", "a")
        for letter in prefer:
            if letter + code in FACTORS:
                frame.repairs.append(f"{code}-{suffix} → {letter}{code}-{suffix}")
                return letter + code
    return code


def _frame_from(raw: bytes) -> Frame:
    """Decode one candidate packet (from ## to the CRC, CR LF stripped). Never raises."""
    frame = Frame(raw=raw, ok=False)
    try:
        if len(raw) < 10 or raw[:2] != b"##":
            frame.error = "too short for a packet" if raw[:2] == b"##" else "does not start with ##"
            return frame
        length_text = raw[2:6]
        if not length_text.isdigit():
            frame.error = f"bad length field {length_text!r}"
            return frame
        declared = int(length_text)
        data, crc_bytes = raw[6:-4], raw[-4:]
        actual = len(data)
        try:
            crc_text = crc_bytes.decode("ascii")
        except UnicodeDecodeError:
            crc_text = ""
        frame.crc = crcmod.identify(data, crc_text)
        try:
            segment = data.decode("utf-8")
        except UnicodeDecodeError:
            segment = data.decode("utf-8", "replace")
            frame.repairs.append("bytes that are not UTF-8 replaced")
        parse_error = None
        try:
            _parse_segment(frame, segment)
        except ValueError as exc:
            parse_error = str(exc)
        if frame.crc == "invalid":
            frame.error = f"CRC {crc_text!r} matches no variant (Appendix A: {crcmod.crc_text(data)})"
            return frame
        if declared != actual:
            frame.repairs.append(f"length field {declared:04d} but data segment is {actual} bytes")
        if parse_error is not None:
            frame.error = parse_error
            return frame
        frame.ok = True
        return frame
    except Exception as exc:  # noqa: BLE001 - a decoder must never let a packet crash its caller
        frame.ok = False
        frame.error = f"undecodable: {type(exc).__name__}: {exc}"
        return frame


def decode_one(packet: bytes) -> Frame:
    """Decode exactly one packet (``##`` ... CRC, with or without the trailing CR LF)."""
    raw = bytes(packet)
    body = raw[:-2] if raw.endswith(b"\r\n") else raw
    frame = _frame_from(body)
    frame.raw = raw
    if frame.ok and not raw.endswith(b"\r\n"):
        frame.repairs.append("no CR LF at the end")
    return frame


class FrameDecoder:
    """Incremental framing: `feed` bytes as they arrive, get the frames they complete."""

    def __init__(self, max_frame: int = 9999) -> None:
        self.max_frame = max_frame
        self._buf = bytearray()
        self.garbage = 0  # bytes discarded outside any packet

    def pending(self) -> int:
        return len(self._buf)

    def feed(self, data: bytes) -> list[Frame]:
        buf = self._buf
        buf += data
        frames: list[Frame] = []
        limit = self.max_frame + 12  # ## + length + data + CRC + CR LF
        while True:
            start = buf.find(b"##")
            if start < 0:
                keep = 1 if buf.endswith(b"#") else 0
                self.garbage += len(buf) - keep
                del buf[: len(buf) - keep]
                break
            if start:
                self.garbage += start
                del buf[:start]
            end = buf.find(b"\r\n", 2, limit)
            if end < 0:
                if len(buf) >= limit:
                    cut = buf.find(b"##", 1, limit)
                    cut = cut if cut > 0 else limit
                    frames.append(
                        Frame(raw=bytes(buf[:cut]), ok=False, error=f"no CR LF within {self.max_frame} bytes")
                    )
                    del buf[:cut]
                    continue
                break
            candidate = bytes(buf[:end])
            inner = candidate.find(b"##", 1)
            frame = self._candidate(candidate, inner)
            if frame is None:  # truncated packet before another ##: reject the stub, restart at the inner ##
                stub = _frame_from(candidate[:inner])
                if stub.ok:
                    stub.repairs.append("no CR LF at the end")
                else:
                    stub.error = f"truncated packet: {inner} bytes before the next ## ({stub.error})"
                frames.append(stub)
                del buf[:inner]
                continue
            frame.raw = bytes(buf[: end + 2])
            frames.append(frame)
            del buf[: end + 2]
        return frames

    def _candidate(self, candidate: bytes, inner: int) -> Frame | None:
        length_text = candidate[2:6]
        if length_text.isdigit() and int(length_text) > self.max_frame:
            if inner > 0:
                return None
            return Frame(raw=candidate, ok=False, error=f"length {int(length_text)} exceeds maximum {self.max_frame}")
        frame = _frame_from(candidate)
        if not frame.ok and inner > 0:
            return None
        if frame.ok and len(candidate) - 10 > self.max_frame:
            return Frame(raw=candidate, ok=False, error=f"data segment exceeds maximum {self.max_frame}")
        return frame

    def close(self) -> list[Frame]:
        """End of stream: whatever is buffered becomes rejected frames (or a packet lacking only CR LF)."""
        frames: list[Frame] = []
        while self._buf:
            buf = self._buf
            inner = buf.find(b"##", 1)
            piece = bytes(buf[: inner if inner > 0 else len(buf)])
            del buf[: len(piece)]
            frame = _frame_from(piece)
            if frame.ok:
                frame.repairs.append("no CR LF at the end")
            else:
                frame.error = f"truncated packet at end of input ({frame.error})"
            frames.append(frame)
        return frames


# ---------------------------------------------------------------------------------------------- encoding


def _format_value(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "E" in text:
            text = f"{value:.10f}".rstrip("0").rstrip(".")
        return text
    return str(value)


def encode_segment(fields: dict) -> str:
    """The data segment for `fields` (as `Frame.to_json` produces)."""
    head = []
    for key in HEADER_KEYS:
        value = fields.get(key.lower())
        if value is not None:
            head.append(f"{key}={_format_value(value)}")
    cp = []
    if fields.get("data_time") is not None:
        dt = fields["data_time"]
        cp.append("DataTime=" + format_time(dt, fields.get("data_time_ms")))
    for key, value in (fields.get("extra") or {}).items():
        cp.append(f"{key}={value}")
    legacy = fields.get("legacy_codes") or {}
    for code, values in (fields.get("values") or {}).items():
        wire = legacy.get(code, code)
        parts = [f"{wire}-{FIELD_NAMES.get(k, k)}={_format_value(v)}" for k, v in values.items()]
        if parts:
            cp.append(",".join(parts))
    head.append("CP=&&" + ";".join(cp) + "&&")
    return ";".join(head)


def frame_packet(segment: str | bytes, *, crc: str = "hj212") -> bytes:
    """Wrap a data segment: ## + length + segment + CRC + CR LF."""
    data = segment.encode("utf-8") if isinstance(segment, str) else bytes(segment)
    if len(data) > 9999:
        raise ValueError(f"data segment of {len(data)} bytes does not fit the 4-digit length field")
    return b"##%04d" % len(data) + data + crcmod.crc_text(data, crc).encode("ascii") + b"\r\n"


def encode(fields: dict, *, crc: str = "hj212") -> bytes:
    """Build a packet from `fields` (the shape `Frame.to_json` gives; keys not there are ignored)."""
    return frame_packet(encode_segment(fields), crc=crc)


def _reply(frame: Frame, cn: str) -> bytes:
    bits = VERSION_BITS.get(frame.version or "2017", 1) if frame.flag is not None else 1
    fields = {"qn": frame.qn, "st": "91", "cn": cn, "pw": frame.pw, "mn": frame.mn, "flag": bits << 2}
    return encode(fields)


def reply_9014(frame: Frame) -> bytes:
    """Data reply (表 C.14 ff.): QN echoed, ST=91, CN=9014, same PW and MN, Flag = version bits with D=A=0
    (4 for 2017, 8 for 2025), CP=&&&&."""
    return _reply(frame, "9014")


def reply_9013(frame: Frame) -> bytes:
    """Notification reply (表 C.4, C.11, C.13): the notification's QN echoed, ST=91, CN=9013, same PW and MN,
    Flag = version bits (4 for 2017), CP=&&&&."""
    return _reply(frame, "9013")
