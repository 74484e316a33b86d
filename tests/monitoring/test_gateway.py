"""The HJ 212 gateway in process (replies after durability, quarantine records, limits, metrics) and the
store that turns journal records into readings and quarantined packets."""

import asyncio
import datetime as dt
import time

import pytest

from youse.monitoring.hj212.codec import decode_one, encode
from youse.monitoring.hj212.gateway import Gateway, Limits
from youse.monitoring.hj212.journal import KIND_FRAME, KIND_REJECT, Journal, Record
from youse.monitoring.hj212.store import Store
from youse.monitoring.models import QuarantinedPacket, Reading
from youse.monitoring.services import create_point, update_point

MN = "88888880000001"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def packet(cn="2051", flag=5, qn="20240601085857223", mn=MN, pw="123456", when="20240601080000", crc="hj212", **kw):
    values = kw.pop("values", {"a21026": {"avg": 12.5, "min": 10.0, "max": 15.0, "flag": "N"}})
    when = dt.datetime.strptime(when, "%Y%m%d%H%M%S").replace(tzinfo=BEIJING)
    fields = {
        "qn": qn,
        "st": "31",
        "cn": cn,
        "pw": pw,
        "mn": mn,
        "flag": flag,
        "data_time": when,
        "values": values,
    }
    fields.update(kw)
    return encode(fields, crc=crc)


def corrupt(pkt: bytes) -> bytes:
    """The same packet with a CRC that matches no variant."""
    body, crc = pkt[:-6], pkt[-6:-2]
    return body + (b"0000" if crc != b"0000" else b"1111") + b"\r\n"


class RecordingStore:
    def __init__(self):
        self.records = []

    def write(self, records, decoded=None):
        from youse.monitoring.hj212.store import BatchResult

        self.records.extend(records)
        return BatchResult(frames=len(records))


async def _start(tmp_path, limits=None, store=None, metrics=False):
    journal = Journal(tmp_path / "journal")
    gw = Gateway(journal, store or RecordingStore(), limits or Limits())
    addrs = await gw.start(("127.0.0.1", 0), ("127.0.0.1", 0) if metrics else None)
    return gw, journal, addrs


async def _read_replies(reader, n):
    out = []
    while len(out) < n:
        line = await asyncio.wait_for(reader.readuntil(b"\r\n"), 10)
        out.append(decode_one(line))
    return out


def test_it_replies_9014_to_acknowledged_uploads_only_after_the_frame_is_on_disk(tmp_path):
    async def run():
        gw, journal, addrs = await _start(tmp_path)
        try:
            reader, writer = await asyncio.open_connection(*addrs[0])
            writer.write(packet(qn="20240601085857001", flag=4))  # A = 0: no reply
            writer.write(packet(qn="20240601085857002", flag=5, when="20240601080100"))
            writer.write(corrupt(packet(qn="20240601085857003")))  # CRC error: no reply
            writer.write(packet(cn="1013", qn="20240601085857004", flag=5, values={}))  # notification
            await writer.drain()
            replies = await _read_replies(reader, 2)
            # When the reply arrives, the frame is durable: a fresh reader of the journal finds it on disk.
            on_disk = [r.raw for r in Journal(tmp_path / "journal").read(0)]
            writer.close()
            return replies, on_disk
        finally:
            await gw.stop()
            journal.close()

    replies, on_disk = asyncio.run(run())
    assert [(r.cn, r.qn, r.st, r.flag, r.mn, r.pw, r.crc) for r in replies] == [
        ("9014", "20240601085857002", "91", 4, MN, "123456", "hj212"),
        ("9013", "20240601085857004", "91", 4, MN, "123456", "hj212"),
    ]
    assert packet(qn="20240601085857002", flag=5, when="20240601080100") in on_disk
    assert corrupt(packet(qn="20240601085857003")) in on_disk  # kept for the quarantine
    assert len(on_disk) == 4


def test_it_drains_the_journal_to_the_store_and_checkpoints(tmp_path):
    store = RecordingStore()

    async def run():
        gw, journal, addrs = await _start(tmp_path, store=store)
        try:
            reader, writer = await asyncio.open_connection(*addrs[0])
            pkts = [packet(qn=f"2024060108585{i:04d}", when=f"2024060108{i:02d}00") for i in range(20)]
            writer.write(b"".join(pkts) + corrupt(pkts[0]))
            await writer.drain()
            await _read_replies(reader, 20)
            writer.close()
        finally:
            await gw.stop()
        return journal

    journal = asyncio.run(run())
    assert [r.kind for r in store.records] == [KIND_FRAME] * 20 + [KIND_REJECT]
    assert store.records[-1].reason.startswith("crc")
    assert journal.checkpoint == journal.end  # everything handed over, checkpoint written
    journal.close()
    assert Journal(tmp_path / "journal").lag == 0


def test_it_closes_idle_slow_and_excess_connections(tmp_path):
    limits = Limits(idle_timeout=1.5, frame_timeout=0.3, max_connections=2)

    async def run():
        gw, journal, addrs = await _start(tmp_path, limits=limits)
        try:
            r1, w1 = await asyncio.open_connection(*addrs[0])  # silent
            r2, w2 = await asyncio.open_connection(*addrs[0])
            w2.write(packet()[:30])  # an incomplete frame, never finished
            await w2.drain()
            while len(gw.connections) < 2:
                await asyncio.sleep(0.01)
            r3, w3 = await asyncio.open_connection(*addrs[0])  # one too many
            eof3 = await asyncio.wait_for(r3.read(), 10)
            eof1 = await asyncio.wait_for(r1.read(), 10)
            eof2 = await asyncio.wait_for(r2.read(), 10)
            for w in (w1, w2, w3):
                w.close()
            return eof1, eof2, eof3, dict(gw.metrics.closed), len(gw.connections)
        finally:
            await gw.stop()
            journal.close()

    eof1, eof2, eof3, closed, open_after = asyncio.run(run())
    assert (eof1, eof2, eof3) == (b"", b"", b"")
    assert closed["max_connections"] == 1
    assert closed.get("idle") == 1 and closed.get("slow") == 1
    assert open_after == 0


def test_it_rejects_frames_above_the_maximum_size_and_keeps_the_next(tmp_path):
    big = packet(values={f"a{i:05d}": {"rtd": 1.5} for i in range(60)})
    limits = Limits(max_frame=len(big) - 100)
    store = RecordingStore()

    async def run():
        gw, journal, addrs = await _start(tmp_path, limits=limits, store=store)
        try:
            reader, writer = await asyncio.open_connection(*addrs[0])
            writer.write(big + packet(qn="20240601085857999"))
            await writer.drain()
            replies = await _read_replies(reader, 1)
            writer.close()
        finally:
            await gw.stop()
            journal.close()
        return replies

    replies = asyncio.run(run())
    assert replies[0].qn == "20240601085857999"
    assert [r.kind for r in store.records] == [KIND_REJECT, KIND_FRAME]
    assert store.records[0].reason.startswith("oversize")


def test_it_serves_metrics_in_prometheus_text(tmp_path):
    async def run():
        gw, journal, addrs = await _start(tmp_path, metrics=True)
        try:
            reader, writer = await asyncio.open_connection(*addrs[0])
            writer.write(packet() + packet(cn="2011", when="20240601080001") + corrupt(packet()))
            await writer.drain()
            await _read_replies(reader, 2)
            mr, mw = await asyncio.open_connection(*addrs[1])
            mw.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            await mw.drain()
            response = await asyncio.wait_for(mr.read(), 10)
            writer.close()
            mw.close()
            return response.decode()
        finally:
            await gw.stop()
            journal.close()

    text = asyncio.run(run())
    assert text.startswith("HTTP/1.1 200 OK")
    assert "# TYPE youse_gateway_frames_total counter" in text
    assert 'youse_gateway_frames_total{cn="2051"} 1' in text
    assert 'youse_gateway_frames_total{cn="2011"} 1' in text
    assert 'youse_gateway_rejects_total{reason="crc"} 1' in text
    assert "youse_gateway_connections 1" in text
    assert "youse_gateway_journal_lag_bytes" in text


# --- the store -----------------------------------------------------------------------------------------


@pytest.fixture
def point(personas):
    return create_point(
        personas.department,
        {
            "plant": personas.plant_a,
            "mn": MN,
            "pw": "123456",
            "name": "1# 电解烟气",
            "outlet": "DA001",
            "medium": "gas",
            "standard": "GB 25465-2010",
            "plant_type": "电解铝",
        },
    )


def _record(pkt: bytes, kind=KIND_FRAME, reason="") -> Record:
    return Record(kind, time.time(), "10.0.0.7:40000", reason, pkt)


def test_it_stores_readings_in_utc_and_ignores_replays(db, point):
    store = Store()
    batch = [
        _record(packet(cn="2051", when="20240601080000")),
        _record(packet(cn="2011", when="20240601080030", values={"a21026": {"rtd": 13.25, "flag": "N"}})),
        _record(packet(cn="2061", when="20240601080000", values={"a21026": {"avg": 12.0, "zs_avg": 14.0}})),
        _record(packet(cn="2031", when="20240601000000", values={"w00000": {"cou": 1234.5}})),
        _record(packet(cn="9015", values={})),  # heartbeat: nothing to store
    ]
    result = store.write(batch)
    assert result.rows == 4 and result.quarantined == 0
    rows = {(r.kind, r.factor): r for r in Reading.objects.filter(point=point)}
    minute = rows[("min", "a21026")]
    assert minute.data_time == dt.datetime(2024, 6, 1, 0, 0, tzinfo=dt.UTC)  # 08:00 Beijing
    assert (minute.avg, minute.min, minute.max, minute.flag) == (12.5, 10.0, 15.0, "N")
    assert rows[("rtd", "a21026")].rtd == 13.25
    assert rows[("rtd", "a21026")].data_time == dt.datetime(2024, 6, 1, 0, 0, 30, tzinfo=dt.UTC)
    assert rows[("hour", "a21026")].zs_avg == 14.0
    assert rows[("day", "w00000")].data_time == dt.datetime(2024, 5, 31, 16, 0, tzinfo=dt.UTC)
    # A replay of the journal and a device's resend with another value add nothing.
    store.write(batch)
    store.write([_record(packet(cn="2051", when="20240601080000", values={"a21026": {"avg": 99.0}}))])
    assert Reading.objects.filter(point=point).count() == 4
    assert Reading.objects.get(point=point, kind="min", factor="a21026").avg == 12.5


def test_it_quarantines_what_cannot_become_readings(db, point):
    store = Store()
    bad_crc = corrupt(packet())
    store.write(
        [
            _record(packet(mn="99999990000009")),
            _record(packet(pw="654321")),
            _record(packet(crc="modbus")),
            _record(bad_crc, KIND_REJECT, "crc: CRC mismatch"),
            _record(b"##0010garbage!!!!0000\r\n", KIND_REJECT, "undecodable: bad length"),
        ]
    )
    assert Reading.objects.count() == 0
    got = {q.reason: q for q in QuarantinedPacket.objects.all()}
    assert set(got) == {"unknown_mn", "wrong_pw", "crc_variant", "crc", "undecodable"}
    assert got["unknown_mn"].mn == "99999990000009" and got["unknown_mn"].cn == "2051"
    assert got["unknown_mn"].peer == "10.0.0.7:40000"
    assert got["crc"].raw == bad_crc.decode().rstrip("\r\n")
    assert got["crc"].detail == "CRC mismatch" and got["crc"].mn == MN
    assert all(q.status == "open" for q in got.values())


def test_it_accepts_a_crc_variant_the_point_allows(db, point, personas):
    update_point(personas.department, point, {"accepted_crc": ["modbus"]})
    Store().write([_record(packet(crc="modbus")), _record(packet(crc="modbus-swapped", when="20240601080100"))])
    assert Reading.objects.filter(point=point).count() == 1
    assert QuarantinedPacket.objects.get().detail.startswith("CRC variant modbus-swapped")


def test_it_stores_sub_packets_of_one_upload_as_one_set_of_readings(db, point):
    parts = [
        packet(flag=7, qn=f"2024060108585700{i}", PNUM=2, PNO=i + 1, values={code: {"avg": 1.0 + i}})
        for i, code in enumerate(["a21026", "a21002"])
    ]
    Store().write([_record(p) for p in parts])  # together in one batch
    Store().write([_record(parts[0]), _record(packet(flag=7, PNUM=2, PNO=2, values={"a34013": {"avg": 3.0}}))])
    assert sorted(Reading.objects.filter(point=point).values_list("factor", "avg")) == [
        ("a21002", 2.0),
        ("a21026", 1.0),
        ("a34013", 3.0),
    ]


def test_it_creates_month_partitions_on_postgresql(db, point):
    from django.db import connection

    from youse.monitoring.hj212.store import existing_partitions, is_partitioned

    if connection.vendor != "postgresql":
        pytest.skip("partitions exist on PostgreSQL only")
    assert is_partitioned(connection)
    now = dt.datetime.now(BEIJING)
    Store().write([_record(packet(when=now.strftime("%Y%m%d%H%M00"))), _record(packet(when="20010101000000"))])
    months = existing_partitions(connection)
    nxt = (now.year + now.month // 12, now.month % 12 + 1)
    assert nxt in months and (2001, 1) not in months
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM monitoring_reading_default")
        assert cur.fetchone()[0] == 1  # the 2001 reading, from a device with a wrong clock
    assert Reading.objects.filter(point=point).count() == 2


# --- /metrics on the web side -------------------------------------------------------------------------


def test_it_serves_web_metrics_with_the_gateway_snapshot(db, point, personas, tmp_path, monkeypatch):
    from django.test import Client

    snapshot = tmp_path / "metrics.prom"
    snapshot.write_text("# TYPE youse_gateway_connections gauge\nyouse_gateway_connections 42\n")
    monkeypatch.setenv("YOUSE_GATEWAY_METRICS_FILE", str(snapshot))
    Store().write([_record(packet()), _record(packet(mn="99999990000009")), _record(packet(pw="000000"))])
    assert Client(REMOTE_ADDR="10.1.2.3").get("/metrics").status_code == 403
    response = Client().get("/metrics")  # from loopback, where the scraper runs
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain; version=0.0.4")
    text = response.content.decode()
    assert 'youse_monitoring_quarantine_open{reason="unknown_mn"} 1' in text
    assert 'youse_monitoring_quarantine_open{reason="wrong_pw"} 1' in text
    assert "youse_gateway_connections 42" in text
    staff = personas.client("department").get("/metrics", REMOTE_ADDR="10.1.2.3")
    assert staff.status_code == 200
    if "estimate" not in text:
        assert "youse_monitoring_readings_rows 1" in text


def test_it_retries_a_failing_database_and_checkpoints_only_after_the_commit(tmp_path):
    class FlakyStore(RecordingStore):
        failures = 2

        def write(self, records, decoded=None):
            if self.failures:
                self.failures -= 1
                self.checkpoint_seen = journal_ref[0].checkpoint
                raise ConnectionError("database unreachable")
            return super().write(records, decoded)

    store = FlakyStore()
    journal_ref = []

    async def run():
        gw, journal, addrs = await _start(tmp_path, store=store)
        journal_ref.append(journal)
        try:
            reader, writer = await asyncio.open_connection(*addrs[0])
            writer.write(packet() + packet(when="20240601080100"))
            await writer.drain()
            replies = await _read_replies(reader, 2)  # replied although the database is down
            while not store.records:
                await asyncio.sleep(0.05)
            writer.close()
            return replies, gw.metrics.db_errors
        finally:
            await gw.stop()
            journal.close()

    replies, errors = asyncio.run(run())
    assert [r.cn for r in replies] == ["9014", "9014"]
    assert errors == 2 and store.failures == 0
    assert store.checkpoint_seen == 0  # nothing was marked committed while the database failed
    assert len(store.records) == 2
    assert Journal(tmp_path / "journal").lag == 0


def test_it_lets_a_reported_hour_replace_a_computed_one_but_never_a_reported_one(db, personas):
    """Youse computes an hour from minute data when the device has not sent it; the device's own figure,
    arriving later, wins; a second report of the same hour changes nothing."""
    import datetime as _dt

    from django.utils import timezone as _tz

    from youse.monitoring import services as monitoring_services
    from youse.monitoring.hj212.codec import encode
    from youse.monitoring.hj212.journal import KIND_FRAME, Record
    from youse.monitoring.hj212.store import Store
    from youse.monitoring.models import Reading

    point = monitoring_services.create_point(
        personas.department,
        {
            "mn": "REPLACE00000000000000001",
            "name": "烟囱",
            "plant": personas.plant_a,
            "outlet": "DA001",
            "medium": "gas",
            "standard": "GB 25465-2010",
            "plant_type": "电解铝",
        },
    )
    hour = _dt.datetime(2024, 5, 1, 10, tzinfo=_dt.timezone(_dt.timedelta(hours=8)))
    Reading.objects.create(
        point=point, kind="hour", data_time=hour, factor="a21026", avg=10.0, computed=True, received_at=_tz.now()
    )

    def packet(avg):
        return encode(
            {
                "qn": "20240501110000000",
                "st": "22",
                "cn": "2061",
                "pw": point.pw,
                "mn": point.mn,
                "flag": 4,
                "data_time": hour.isoformat(),
                "values": {"a21026": {"avg": avg, "flag": "N"}},
            }
        )

    store = Store()
    store.write([Record(KIND_FRAME, _tz.now().timestamp(), "t", "", packet(12.5))])
    row = Reading.objects.get(point=point, kind="hour", factor="a21026")
    assert (row.avg, row.computed) == (12.5, False)
    store.write([Record(KIND_FRAME, _tz.now().timestamp(), "t", "", packet(99.0))])
    row = Reading.objects.get(point=point, kind="hour", factor="a21026")
    assert (row.avg, row.computed) == (12.5, False)
