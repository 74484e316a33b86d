"""`youse hj212 decode` and `youse hj212 encode` (called by management/commands/hj212.py). No Django."""

from __future__ import annotations

import json
from typing import IO, BinaryIO, TextIO

from youse.monitoring.hj212.codec import FrameDecoder, encode

CHUNK = 65536


def decode_main(options: dict, stdin: BinaryIO, stdout: IO[str]) -> int:
    """Raw bytes from options["file"] (or `stdin`) -> one JSON object per frame on `stdout`.
    Rejected frames are printed too (ok false, error); the exit code is 0 unless the input cannot be read."""
    decoder = FrameDecoder(max_frame=options.get("max_frame") or 9999)
    path = options.get("file")
    source = open(path, "rb") if path and path != "-" else stdin  # noqa: SIM115 - closed below
    try:
        while chunk := source.read(CHUNK):
            for frame in decoder.feed(chunk):
                stdout.write(json.dumps(frame.to_json(), ensure_ascii=False) + "\n")
        for frame in decoder.close():
            stdout.write(json.dumps(frame.to_json(), ensure_ascii=False) + "\n")
    finally:
        if source is not stdin:
            source.close()
    return 0


def encode_main(options: dict, stdin: TextIO, stdout: BinaryIO) -> int:
    """JSON objects (one per line, as decode prints) from options["file"] (or `stdin`) -> packets on `stdout`.
    Exit code 2 on a line that is not a JSON object or cannot be encoded (the packets before it are written)."""
    crc = options.get("crc") or "hj212"
    path = options.get("file")
    source = open(path, encoding="utf-8") if path and path != "-" else stdin  # noqa: SIM115 - closed below
    try:
        for number, line in enumerate(source, 1):
            if not line.strip():
                continue
            try:
                fields = json.loads(line)
                if not isinstance(fields, dict):
                    raise ValueError("not a JSON object")
                packet = encode(fields, crc=crc)
            except (ValueError, TypeError) as exc:
                import sys

                print(f"line {number}: {exc}", file=sys.stderr)
                return 2
            stdout.write(packet)
        stdout.flush()
    finally:
        if source is not stdin:
            source.close()
    return 0
