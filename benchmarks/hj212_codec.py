"""HJ 212 codec throughput: frames decoded per second on a realistic mix of traffic, against a null decoder
that only splits the same bytes into frames on ``##`` and CR LF (the ceiling for pure Python framing).

The mix (per 100 packets): 60 minute/real-time uploads of a smelter stack (2017, 9 gas factors with Avg/
Min/Max/ZsAvg/Flag), 15 hourly uploads of a wastewater outlet (2017, 8 water factors with Cou), 10 real-time
packets of a 2005 logger (2005 codes, 17-digit DataTime, no QN/Flag), 6 sub-packets (Flag=7), 4 heartbeats,
2 with a MODBUS CRC, 1 with a bad CRC, 1 truncated, 1 run of garbage; fed in 4 KiB reads.

Run: .venv/bin/python benchmarks/hj212_codec.py [--packets N]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))

from youse.monitoring.hj212.codec import FrameDecoder, frame_packet  # noqa: E402

GAS = ["a21026", "a21002", "a34013", "a19001", "a01012", "a01011", "a01013", "a01014", "a00000"]
WATER = ["w00000", "w01001", "w01018", "w21003", "w20120", "w20115", "w20119", "w20111"]
OLD = ["B02", "02", "03", "01", "S01", "S03", "S02", "S08"]


def _mix(n: int, seed: int = 1) -> bytes:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        k = i % 100
        mn = f"0100{rng.randrange(16**20):020X}"
        qn = f"20240301{i % 24:02d}{i % 60:02d}{i % 60:02d}{i % 1000:03d}"
        dt = f"20240301{i % 24:02d}{i % 60:02d}00"
        crc = "hj212"
        if k < 60 or k in (96, 97):
            cp = ";".join(
                f"{c}-Avg={rng.uniform(0, 200):.2f},{c}-Min={rng.uniform(0, 50):.2f},"
                f"{c}-Max={rng.uniform(100, 300):.2f},{c}-ZsAvg={rng.uniform(0, 250):.2f},{c}-Flag=N"
                for c in GAS
            )
            seg = f"QN={qn};ST=31;CN=2051;PW=123456;MN={mn};Flag=5;CP=&&DataTime={dt};{cp}&&"
            crc = "modbus-swapped" if k in (96, 97) else "hj212"
        elif k < 75:
            cp = ";".join(
                f"{c}-Cou={rng.uniform(0, 900):.1f},{c}-Avg={rng.uniform(0, 50):.3f},{c}-Flag=N" for c in WATER
            )
            seg = f"QN={qn};ST=32;CN=2061;PW=123456;MN={mn};Flag=5;CP=&&DataTime={dt};{cp}&&"
        elif k < 85:
            cp = ";".join(f"{c}-Rtd={rng.uniform(0, 200):.2f},{c}-Flag=N" for c in OLD)
            seg = f"ST=31;CN=2011;PW=123456;MN=88888880{i % 1000000:06d};CP=&&DataTime={dt}123;{cp}&&"
        elif k < 91:
            part = 1 + k % 2
            cp = ";".join(f"{c}-Avg={rng.uniform(0, 200):.2f},{c}-Flag=N" for c in GAS[part * 4 - 4 : part * 4])
            seg = f"QN={qn}{part};ST=31;CN=2061;PW=123456;MN={mn};Flag=7;PNUM=2;PNO={part};CP=&&DataTime={dt};{cp}&&"
        elif k < 95:
            seg = f"QN={qn};ST=31;CN=9015;PW=123456;MN={mn};Flag=4;CP=&&&&"
        else:
            seg = f"QN={qn};ST=31;CN=2011;PW=123456;MN={mn};Flag=5;CP=&&DataTime={dt};a21026-Rtd=1.5&&"
        packet = frame_packet(seg, crc=crc)
        if k == 98:
            packet = packet[:-6] + b"0000\r\n"
        elif k == 99:
            packet = b"\x00\x01AT+OK\r\n" + packet[: len(packet) // 2]
        out.append(packet)
    return b"".join(out)


def null_split(stream: bytes, chunk: int) -> int:
    """Frames found by splitting on ## and CR LF only, in the same reads."""
    buf = bytearray()
    frames = 0
    for i in range(0, len(stream), chunk):
        buf += stream[i : i + chunk]
        while True:
            start = buf.find(b"##")
            if start < 0:
                break
            end = buf.find(b"\r\n", start)
            if end < 0:
                break
            frames += 1
            del buf[: end + 2]
    return frames


def decode(stream: bytes, chunk: int) -> tuple[int, int]:
    dec = FrameDecoder()
    good = bad = 0
    for i in range(0, len(stream), chunk):
        for frame in dec.feed(stream[i : i + chunk]):
            if frame.ok:
                good += 1
            else:
                bad += 1
    return good, bad


def best(fn, *args, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packets", type=int, default=20000)
    parser.add_argument("--chunk", type=int, default=4096)
    args = parser.parse_args()
    stream = _mix(args.packets)
    t_null, n_null = best(null_split, stream, args.chunk)
    t_dec, (good, bad) = best(decode, stream, args.chunk)
    frames = good + bad
    print(f"stream: {args.packets} packets, {len(stream) / 1e6:.1f} MB, reads of {args.chunk} bytes")
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.processor() or platform.machine()}")
    print(f"null splitter: {n_null} frames in {t_null:.3f} s = {n_null / t_null:,.0f} frames/s")
    print(
        f"codec: {good} decoded + {bad} rejected in {t_dec:.3f} s = {frames / t_dec:,.0f} frames/s, "
        f"{len(stream) / t_dec / 1e6:.1f} MB/s"
    )
    print(f"ratio codec/null: {(frames / t_dec) / (n_null / t_null):.3f}")


if __name__ == "__main__":
    main()
