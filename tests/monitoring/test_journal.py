"""The gateway's journal: records survive reopening, a torn tail is cut, checkpoints drop segments."""

import os

import pytest

from youse.monitoring.hj212.journal import HEADER, KIND_FRAME, KIND_REJECT, Journal, Record


def _rec(i: int, kind: int = KIND_FRAME) -> Record:
    return Record(kind, 1_700_000_000.0 + i, "127.0.0.1:5000", "crc: bad" if kind == KIND_REJECT else "", b"##%04d" % i)


def test_it_round_trips_records(tmp_path):
    j = Journal(tmp_path)
    ends = [j.append(_rec(i)) for i in range(10)]
    j.append(_rec(99, KIND_REJECT))
    assert j.read(0) == []  # nothing is durable before sync
    j.sync()
    got = j.read(0)
    assert [r.raw for r in got] == [b"##%04d" % i for i in range(10)] + [b"##0099"]
    assert [r.end for r in got[:10]] == ends
    assert got[-1].kind == KIND_REJECT and got[-1].reason == "crc: bad" and got[-1].peer == "127.0.0.1:5000"
    assert [r.raw for r in j.read(ends[4])] == [b"##%04d" % i for i in range(5, 10)] + [b"##0099"]
    assert len(j.read(0, max_records=3)) == 3


def test_it_replays_from_the_checkpoint_after_reopening(tmp_path):
    j = Journal(tmp_path)
    ends = [j.append(_rec(i)) for i in range(6)]
    j.sync()
    j.commit(ends[2])
    j.close()
    again = Journal(tmp_path)
    assert again.checkpoint == ends[2]
    assert [r.raw for r in again.read(again.checkpoint)] == [b"##%04d" % i for i in range(3, 6)]
    assert again.lag == ends[5] - ends[2]


def test_it_truncates_a_torn_tail(tmp_path):
    j = Journal(tmp_path)
    ends = [j.append(_rec(i)) for i in range(3)]
    j.close()
    seg = next(tmp_path.glob("*.seg"))
    with open(seg, "ab") as f:  # a record cut short by a crash, then garbage
        f.write(HEADER.pack(50, 0) + b"partial")
    again = Journal(tmp_path)
    assert again.truncated_bytes == HEADER.size + len(b"partial")
    assert again.end == ends[-1]
    assert [r.raw for r in again.read(0)] == [b"##%04d" % i for i in range(3)]
    again.append(_rec(3))
    again.sync()
    assert [r.raw for r in again.read(0)][-1] == b"##0003"


def test_it_cuts_a_record_whose_checksum_fails(tmp_path):
    j = Journal(tmp_path)
    ends = [j.append(_rec(i)) for i in range(3)]
    j.close()
    seg = next(tmp_path.glob("*.seg"))
    data = bytearray(seg.read_bytes())
    data[-1] ^= 0xFF  # flip a bit in the last record
    seg.write_bytes(bytes(data))
    again = Journal(tmp_path)
    assert again.end == ends[1]
    assert len(again.read(0)) == 2


def test_it_rolls_segments_and_deletes_those_fully_committed(tmp_path):
    j = Journal(tmp_path, segment_bytes=200)
    ends = [j.append(_rec(i)) for i in range(40)]
    j.sync()
    assert len(j.segments()) > 3
    assert [r.raw for r in j.read(0, max_records=1000)] == [b"##%04d" % i for i in range(40)]
    before = j.segments()
    j.commit(ends[20])
    after = j.segments()
    assert after[0] > before[0] and after[0] <= ends[20]
    assert [r.raw for r in j.read(ends[20], max_records=1000)] == [b"##%04d" % i for i in range(21, 40)]
    j.commit(ends[-1])
    assert len(j.segments()) == 1
    j.close()
    again = Journal(tmp_path, segment_bytes=200)
    assert again.lag == 0 and again.read(again.checkpoint) == []


def test_it_refuses_a_record_larger_than_the_bound(tmp_path):
    j = Journal(tmp_path)
    with pytest.raises(ValueError):
        j.append(Record(KIND_FRAME, 0.0, "", "", os.urandom(2 << 20)))


def test_it_gives_a_journal_to_one_gateway_at_a_time(tmp_path):
    """A second gateway process on the same journal directory is refused; the claim dies with its process."""
    import subprocess
    import sys

    from youse.monitoring.hj212.gateway import JournalInUse, claim_journal

    claim_journal(tmp_path)
    code = (
        "import sys; from pathlib import Path; from youse.monitoring.hj212.gateway import claim_journal; "
        f"claim_journal(Path({str(tmp_path)!r}))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert other.returncode != 0 and "used by another gateway" in other.stderr
    free = tmp_path / "other"
    assert (
        subprocess.run(
            [sys.executable, "-c", code.replace(repr(str(tmp_path)), repr(str(free)))], timeout=60
        ).returncode
        == 0
    )
    assert issubclass(JournalInUse, SystemExit)


def test_a_full_disk_refuses_a_record_whole_and_the_journal_goes_on_once_there_is_room(small_disk):
    from tests.monitoring.conftest import fill

    j = Journal(small_disk / "journal")
    j.append(_rec(0))  # the segment's first page is partly used: the next records half fit in it
    appended = [0]
    ballast = small_disk / "ballast"
    fill(ballast)
    # The disk writes what fits of a record into the page's rest, then refuses the next page.
    with pytest.raises(OSError) as refused:
        for i in range(1, 10_000):
            j.append(_rec(i, KIND_FRAME) if i % 2 else Record(KIND_FRAME, 0.0, "p", "", b"x" * 3000))
            appended.append(i)
    assert refused.value.errno == 28  # ENOSPC
    size = j._segment_path(0).stat().st_size
    assert size == j.end  # only whole records are in the file: the refused one left nothing behind
    j.sync()
    assert len(j.read(0, max_records=100_000)) == len(appended)

    ballast.unlink()  # room again: the next record follows the last good one
    j.append(_rec(7777))
    j.sync()
    j.close()
    again = Journal(small_disk / "journal")
    assert again.truncated_bytes == 0
    got = again.read(0, max_records=100_000)
    assert len(got) == len(appended) + 1
    assert got[-1].raw == _rec(7777).raw
