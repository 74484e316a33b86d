"""The data-logger simulator against a tiny receiver on loopback: what it sends decodes with the codec,
uploads ask for answers and the 9014 replies are counted, figures are deterministic in the seed."""

import asyncio
import datetime as dt
import io
import socket

import pytest

from youse.monitoring.hj212 import codec, simulator
from youse.monitoring.hj212.simulator import BEIJING, Device

AT = dt.datetime(2026, 7, 1, 14, 30, tzinfo=BEIJING)


class Receiver:
    """Decodes whatever arrives and answers 9014 to uploads that ask for it (unless told to stay mute)."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.frames: list[codec.Frame] = []
        self.connections = 0
        self.writes = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        decoder = codec.FrameDecoder(9999)
        while data := await reader.read(65536):
            self.writes += 1
            for frame in decoder.feed(data):
                self.frames.append(frame)
                if self.answer and frame.ok and frame.need_ack:
                    writer.write(codec.reply_9014(frame))
                    await writer.drain()
        writer.close()


def _run(receiver: Receiver, options: dict, devices: list[Device]) -> simulator.Summary:
    async def go() -> simulator.Summary:
        server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await simulator.simulate(devices, "127.0.0.1", port, options)

    return asyncio.run(go())


def test_it_sends_realtime_minute_and_hour_packets_that_decode_and_counts_the_acks():
    receiver = Receiver()
    devices = simulator.planned_devices(4, seed=3)
    summary = _run(receiver, {"rate": 20, "duration": 1.0, "seed": 3}, devices)

    assert receiver.connections == 4 and summary.connections == 4
    good = [f for f in receiver.frames if f.ok]
    assert len(good) == summary.sent  # no faults asked for: every packet decodes
    assert {f.mn for f in good} == {d.mn for d in devices}
    assert {f.cn for f in good} == {"2011", "2051", "2061"}
    assert all(f.flag == 5 and f.need_ack and f.version == "2017" for f in good)
    # Each logger sends the minute and the hour that just ended once on connecting.
    assert sum(1 for f in good if f.cn == "2061") >= 4
    assert summary.acked == summary.sent
    assert summary.errors == 0
    water = next(d for d in devices if d.medium == "water")
    minute = next(f for f in good if f.mn == water.mn and f.cn == "2051")
    assert set(minute.values) == {"w01001", "w01018", "w20120", "w20115", "w00000"}
    assert "cou" in {k.lower() for k in minute.values["w00000"]}


def test_it_signs_with_modbus_crc_where_the_device_does():
    receiver = Receiver()
    devices = [Device("8861SIM000001AAAAAAAAAAA", crc="modbus"), Device("8861SIM000002BBBBBBBBBBB")]
    _run(receiver, {"rate": 5, "duration": 0.5, "seed": 1}, devices)
    by_mn = {f.mn: f.crc for f in receiver.frames}
    assert by_mn == {devices[0].mn: "modbus", devices[1].mn: "hj212"}


def test_it_plays_the_2005_dialect_without_qn_or_flag_and_with_17_digit_times():
    receiver = Receiver()
    _run(receiver, {"rate": 5, "duration": 0.5, "seed": 1, "dialect": "2005"}, simulator.planned_devices(1, 1))
    frames = [f for f in receiver.frames if f.ok]
    assert frames
    assert all(f.qn is None and f.flag is None and f.data_time_ms for f in frames)
    realtime = next(f for f in frames if f.cn == "2011")
    # 2005 codes on the wire, mapped to 2017 codes by the decoder, the original kept.
    assert "a21026" in realtime.values and realtime.legacy_codes.get("a21026") == "02"


def test_it_breaks_crcs_and_adds_garbage_with_faults_yet_every_good_packet_still_arrives():
    receiver = Receiver()
    summary = _run(receiver, {"rate": 50, "duration": 1.0, "seed": 7, "faults": True}, simulator.planned_devices(3, 7))
    good = [f for f in receiver.frames if f.ok]
    bad_crc = [f for f in receiver.frames if not f.ok and f.crc == "invalid"]
    assert summary.faulty > 0
    assert len(bad_crc) == summary.faulty
    assert len(good) == summary.sent - summary.faulty
    assert summary.acked == len(good)  # a broken CRC gets no answer


def test_it_counts_no_acks_from_a_mute_receiver():
    receiver = Receiver(answer=False)
    summary = _run(receiver, {"rate": 10, "duration": 0.5, "seed": 1}, simulator.planned_devices(2, 1))
    assert summary.sent > 0 and summary.acked == 0


def test_it_draws_the_same_figures_for_the_same_seed_and_time():
    device = simulator.planned_devices(1, 9)[0]
    a = simulator.fields_for(9, device, "2051", AT, qn_ms=1)
    b = simulator.fields_for(9, device, "2051", AT, qn_ms=1)
    c = simulator.fields_for(10, device, "2051", AT, qn_ms=1)
    assert simulator.packet(a) == simulator.packet(b)
    assert a["values"] != c["values"]


def test_it_has_diurnal_cycles_exceedances_and_instrument_flags_over_a_month():
    device = Device("8861SIM000003CCCCCCCCCCC", kind="aluminium")
    so2 = next(f for f in device.profile if f[0] == "a21026")
    hours = [AT + dt.timedelta(hours=h) for h in range(24 * 30)]
    values = [simulator.value_at(1, device, so2, t) for t in hours]
    normal = [(t, v) for t, (v, flag) in zip(hours, values, strict=True) if flag == "N" and v < so2[5]]
    afternoon = [v for t, v in normal if 13 <= t.hour <= 17]
    night = [v for t, v in normal if 1 <= t.hour <= 5]
    assert sum(afternoon) / len(afternoon) > sum(night) / len(night)
    assert any(v > so2[5] for v, _flag in values)  # some exceedance episodes
    assert {"M", "D"} & {flag for _v, flag in values}


def test_main_refuses_a_malformed_target_and_reports_a_summary(capsys):
    out = io.StringIO()
    assert simulator.main({"target": "nowhere", "points": 1}, out) == 2
    assert "HOST:PORT" in out.getvalue()


@pytest.mark.django_db
def test_main_plays_the_registered_points_from_the_database(personas):
    from youse.monitoring import services

    point = services.create_point(
        personas.environment,
        {
            "plant": personas.plant_a,
            "mn": "88888880000001AAAAAAAAAA",
            "pw": "654321",
            "name": "还原炉烟囱",
            "outlet": "DA001",
            "medium": "gas",
            "standard": "GB 25468-2010",
            "plant_type": "镁冶炼企业",
            "accepted_crc": ["modbus"],
        },
    )
    devices = simulator.registered_devices()
    assert devices == [Device(point.mn, "654321", "gas", "default", "modbus")]


def test_it_reconnects_when_the_gateway_comes_up_late():
    receiver = Receiver()

    async def go() -> simulator.Summary:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        task = asyncio.create_task(
            simulator.simulate(simulator.planned_devices(1, 1), "127.0.0.1", port, {"rate": 10, "duration": 3.0})
        )
        await asyncio.sleep(0.8)  # the logger finds nobody listening at first
        server = await asyncio.start_server(receiver.handle, "127.0.0.1", port)
        async with server:
            return await task

    summary = asyncio.run(go())
    assert summary.errors >= 1 and summary.connections == 1
    assert receiver.frames and summary.acked > 0
