"""Hourly and daily readings computed by Appendix D where the device did not send them."""

import datetime as dt

import pytest

from youse.monitoring import aggregates, services
from youse.monitoring.models import Reading

UTC = dt.UTC
HOUR0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 Beijing time
LATER = dt.datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # long after: every hour settled


def make_point(personas, medium="gas", mn="MN0001", interval=60):
    return services.create_point(
        personas.environment,
        {
            "mn": mn,
            "name": "电解烟气排放口",
            "plant": personas.plant_a,
            "outlet": "DA001",
            "medium": medium,
            "standard": "GB 25465-2010",
            "plant_type": "电解铝",
            "expected_interval_s": interval,
        },
    )


def store(point, kind, start, values, factor="a21026", step=60, flags=None, **fields):
    """Rows as the gateway's store writes them (reported, computed=False)."""
    flags = flags or {}
    Reading.objects.bulk_create(
        [
            Reading(
                point=point,
                kind=kind,
                data_time=start + dt.timedelta(seconds=step * i),
                factor=factor,
                avg=v,
                flag=flags.get(i, "N"),
                received_at=start,
                **fields,
            )
            for i, v in enumerate(values)
        ],
        ignore_conflicts=True,
    )


def rows(point, kind):
    return {
        (r.factor, r.data_time): (r.avg, r.min, r.max, r.cou, r.flag, r.computed)
        for r in Reading.objects.filter(point=point, kind=kind)
    }


@pytest.mark.django_db
def test_it_computes_an_hour_from_valid_minutes_and_marks_it_computed(personas):
    point = make_point(personas)
    store(point, "min", HOUR0, [100.0] * 50 + [900.0] * 10, flags={i: "C" for i in range(50, 60)})
    written = aggregates.compute_hours(point, HOUR0, LATER)
    assert written == 1
    row = Reading.objects.get(point=point, kind="hour", factor="a21026")
    assert row.computed is True
    assert row.data_time == HOUR0
    assert row.avg == pytest.approx(100.0)
    assert row.max == pytest.approx(100.0)  # the calibration minutes count for nothing
    assert row.flag == "N"


@pytest.mark.django_db
def test_it_computes_nothing_for_an_hour_without_enough_valid_minutes(personas):
    point = make_point(personas)
    store(point, "min", HOUR0, [100.0] * 44)
    assert aggregates.compute_hours(point, HOUR0, LATER) == 0
    assert not Reading.objects.filter(kind="hour").exists()


@pytest.mark.django_db
def test_it_is_idempotent(personas):
    point = make_point(personas)
    store(point, "min", HOUR0, [float(i) for i in range(120)])
    store(point, "min", HOUR0, [5.0] * 120, factor="a34013")
    aggregates.compute(point, HOUR0, LATER)
    first = rows(point, "hour")
    assert len(first) == 4
    assert aggregates.compute(point, HOUR0, LATER) == (0, 0)
    assert rows(point, "hour") == first


@pytest.mark.django_db
def test_it_updates_a_computed_hour_when_late_minutes_arrive(personas):
    point = make_point(personas)
    store(point, "min", HOUR0, [10.0] * 45)
    aggregates.compute_hours(point, HOUR0, LATER)
    store(point, "min", HOUR0 + dt.timedelta(minutes=45), [30.0] * 15)  # replayed from a journal
    assert aggregates.compute_hours(point, HOUR0, LATER) == 1
    assert Reading.objects.get(point=point, kind="hour").avg == pytest.approx(15.0)
    assert Reading.objects.filter(point=point, kind="hour").count() == 1


@pytest.mark.django_db
def test_it_never_overwrites_a_reported_hour(personas):
    point = make_point(personas)
    store(point, "min", HOUR0, [10.0] * 120)
    store(point, "hour", HOUR0, [77.0], step=3600)  # the device's own 2061
    aggregates.compute_hours(point, HOUR0, LATER)
    reported = Reading.objects.get(point=point, kind="hour", data_time=HOUR0)
    assert (reported.avg, reported.computed) == (77.0, False)
    computed = Reading.objects.get(point=point, kind="hour", data_time=HOUR0 + dt.timedelta(hours=1))
    assert (computed.avg, computed.computed) == (10.0, True)


@pytest.mark.django_db
def test_it_waits_for_the_device_before_computing_an_hour(personas, settings):
    settings.MONITORING_AGGREGATE_DELAY_S = 900
    point = make_point(personas)
    store(point, "min", HOUR0, [10.0] * 60)
    aggregates.compute(point, HOUR0, HOUR0 + dt.timedelta(minutes=70))
    assert not Reading.objects.filter(kind="hour").exists()
    aggregates.compute(point, HOUR0, HOUR0 + dt.timedelta(minutes=75))
    assert Reading.objects.filter(kind="hour", computed=True).count() == 1


@pytest.mark.django_db
def test_it_computes_days_over_beijing_days(personas):
    point = make_point(personas)
    # Beijing 2026-03-02 runs from 2026-03-01 16:00 to 2026-03-02 16:00 UTC. 22 valid hours at 50 in
    # it, and hours at 900 on either side that belong to the neighbouring days.
    day_start = dt.datetime(2026, 3, 1, 16, tzinfo=UTC)
    store(point, "hour", day_start, [50.0] * 22, step=3600)
    store(point, "hour", day_start - dt.timedelta(hours=1), [900.0], step=3600)
    store(point, "hour", day_start + dt.timedelta(hours=24), [900.0], step=3600)
    aggregates.compute_days(point, [dt.date(2026, 3, 2)])
    day = Reading.objects.get(point=point, kind="day")
    assert day.data_time == day_start
    assert day.avg == pytest.approx(50.0)
    assert day.computed


@pytest.mark.django_db
def test_it_computes_no_day_from_fewer_than_20_hours_of_flue_gas(personas):
    point = make_point(personas)
    day_start = dt.datetime(2026, 3, 1, 16, tzinfo=UTC)
    store(point, "hour", day_start, [50.0] * 19, step=3600)
    assert aggregates.compute_days(point, [dt.date(2026, 3, 2)]) == 0


@pytest.mark.django_db
def test_it_weights_wastewater_by_discharge(personas):
    point = make_point(personas, medium="water", mn="MN-W1", interval=600)
    store(point, "min", HOUR0, [0.1, 0.4], factor="w20123", step=600)
    store(point, "min", HOUR0, [1.0, 3.0], factor="w00000", step=600)
    Reading.objects.filter(point=point, factor="w00000").update(cou=1.0)
    Reading.objects.filter(point=point, factor="w00000", data_time=HOUR0 + dt.timedelta(minutes=10)).update(cou=3.0)
    aggregates.compute_hours(point, HOUR0, LATER)
    zinc = Reading.objects.get(point=point, kind="hour", factor="w20123")
    assert zinc.avg == pytest.approx((0.1 * 1 + 0.4 * 3) / 4)
    flow = Reading.objects.get(point=point, kind="hour", factor="w00000")
    assert flow.cou == pytest.approx(4.0)


@pytest.mark.django_db
def test_the_tick_duty_computes_for_every_active_point(personas):
    from youse.core.tick import DUTIES

    point = make_point(personas)
    other = make_point(personas, mn="MN0002")
    services.update_point(personas.environment, other, {"active": False})
    now = dt.datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    hour = now - dt.timedelta(hours=2, minutes=30)
    store(point, "min", hour, [10.0] * 60)
    store(other, "min", hour, [10.0] * 60)
    summary = DUTIES["monitoring.aggregates"].run(now)
    assert summary.startswith("1 points, 1 hour rows")
    assert Reading.objects.filter(point=point, kind="hour", computed=True).count() == 1
    assert not Reading.objects.filter(point=other, kind="hour").exists()
