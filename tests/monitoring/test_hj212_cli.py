"""`youse hj212 decode` / `youse hj212 encode` from the shell."""

import io
import json
import subprocess
import sys
from pathlib import Path

from django.core.management import call_command

from youse.monitoring.hj212.cli import decode_main, encode_main
from youse.monitoring.hj212.codec import frame_packet

GOOD = (
    b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;"
    b"CP=&&RtdInterval=30&&1C80\r\n"
)
MINUTE = frame_packet(
    "QN=20160801085000001;ST=32;CN=2051;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20160801084000;"
    "w00000-Cou=10.5,w00000-Min=16.4,w00000-Avg=17.5,w00000-Max=20.1,w00000-Flag=N;011-Avg=40&&"
)


def test_it_prints_one_json_object_per_frame_in_the_issue_shape(tmp_path: Path) -> None:
    raw = tmp_path / "traffic.bin"
    raw.write_bytes(b"junk" + GOOD + MINUTE[:30] + MINUTE + GOOD.replace(b"1C80", b"0000"))
    out = io.StringIO()
    call_command("hj212", "decode", str(raw), stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [obj["ok"] for obj in lines] == [True, False, True, False]
    first, _, minute, bad = lines
    assert first == {
        "ok": True, "crc": "hj212", "repairs": [], "version": "2017", "st": "32", "cn": "1062", "pw": "100000",
        "mn": "010000A8900016F000169DC0", "flag": 5, "qn": "20160801085857223", "values": {},
        "legacy_codes": {}, "extra": {"RtdInterval": "30"},
    }  # fmt: skip
    assert minute["data_time"] == "2016-08-01T08:40:00+08:00"
    assert minute["values"]["w00000"] == {"cou": 10.5, "min": 16.4, "avg": 17.5, "max": 20.1, "flag": "N"}
    assert minute["values"]["w01018"] == {"avg": 40} and minute["legacy_codes"] == {"w01018": "011"}
    assert "pnum" not in minute and "error" not in minute
    assert bad["crc"] == "invalid" and bad["error"]


def test_it_encodes_what_decode_prints_back_to_the_same_bytes() -> None:
    decoded = io.StringIO()
    decode_main({"file": None, "max_frame": 9999}, io.BytesIO(GOOD + MINUTE), decoded)
    packets = io.BytesIO()
    assert encode_main({"file": None, "crc": "hj212"}, io.StringIO(decoded.getvalue()), packets) == 0
    assert packets.getvalue() == GOOD + MINUTE
    swapped = io.BytesIO()
    encode_main({"file": None, "crc": "modbus-swapped"}, io.StringIO(decoded.getvalue()), swapped)
    again = io.StringIO()
    decode_main({"file": None, "max_frame": 9999}, io.BytesIO(swapped.getvalue()), again)
    assert [json.loads(x)["crc"] for x in again.getvalue().splitlines()] == ["modbus-swapped"] * 2
    assert encode_main({"file": None, "crc": "hj212"}, io.StringIO("[1]\n"), io.BytesIO()) == 2


def test_it_runs_as_youse_hj212_decode_from_stdin() -> None:
    youse = Path(sys.executable).with_name("youse")
    result = subprocess.run([str(youse), "hj212", "decode"], input=GOOD, capture_output=True, check=True, timeout=120)
    (obj,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert obj["ok"] and obj["mn"] == "010000A8900016F000169DC0"
    encoded = subprocess.run(
        [str(youse), "hj212", "encode"], input=result.stdout, capture_output=True, check=True, timeout=120
    )
    assert encoded.stdout == GOOD
