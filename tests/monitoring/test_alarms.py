"""Alarms from readings: exceedances of the applicable limit, data-quality conditions, repeated
exceedances for enforcement."""

import datetime as dt

import pytest

from youse.core.models import AuditEvent
from youse.monitoring import alarms, services
from youse.monitoring.models import Alarm, Limit, Reading, RepeatedExceedance

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)


def make_point(personas, special=False, mn="MN-AL-1", medium="gas", standard="GB 25465-2010", plant_type="电解铝"):
    return services.create_point(
        personas.environment,
        {
            "mn": mn,
            "name": "电解烟气排放口",
            "plant": personas.plant_a,
            "outlet": "DA001",
            "medium": medium,
            "standard": standard,
            "plant_type": plant_type,
            "special_limits": special,
        },
    )


def hours(point, values, start=T0, factor="a21026", flags=None, **fields):
    flags = flags or {}
    Reading.objects.bulk_create(
        [
            Reading(
                point=point,
                kind="hour",
                data_time=start + dt.timedelta(hours=i),
                factor=factor,
                avg=v,
                flag=flags.get(i, "N"),
                received_at=start,
                **fields,
            )
            for i, v in enumerate(values)
            if v is not None
        ],
        ignore_conflicts=True,
    )


def minutes(point, values, start=T0, factor="a21026", flags=None):
    flags = flags or {}
    Reading.objects.bulk_create(
        [
            Reading(
                point=point,
                kind="min",
                data_time=start + dt.timedelta(minutes=i),
                factor=factor,
                avg=v,
                flag=flags.get(i, "N"),
                received_at=start,
            )
            for i, v in enumerate(values)
        ],
        ignore_conflicts=True,
    )


def h(n):
    return T0 + dt.timedelta(hours=n)


@pytest.mark.django_db
def test_limits_of_facts_are_loaded_unverified():
    limits = Limit.objects.all()
    assert limits.count() == 21
    assert not limits.filter(verified=True).exists()
    so2 = Limit.objects.get(standard="GB 25465-2010", plant_type="电解铝", factor="a21026", special=False)
    assert (so2.value, so2.unit, so2.averaging, so2.pollutant) == (200.0, "mg/m3", "hour", "二氧化硫")
    assert so2.table and so2.source
    assert Limit.objects.get(standard="GB 25466-2010", factor="w20120").value == 0.5


@pytest.mark.django_db
def test_it_picks_the_special_limit_where_it_applies(personas):
    ordinary = make_point(personas)
    special = make_point(personas, special=True, mn="MN-AL-2")
    on = dt.date(2026, 3, 1)
    assert alarms.applicable_limits(ordinary, on)["a21026"].value == 200.0
    assert alarms.applicable_limits(special, on)["a21026"].value == 100.0
    # Fluoride has no special limit: the ordinary one applies.
    assert alarms.applicable_limits(special, on)["a21018"].value == 3.0


@pytest.mark.django_db
def test_it_opens_an_exceedance_alarm_once_and_closes_it_below_the_limit(personas):
    point = make_point(personas)
    hours(point, [150, 250, 320])
    out = alarms.evaluate_point(point, h(3), start=T0)
    assert len(out.opened) == 1
    alarm = Alarm.objects.get(kind="exceedance")
    assert (alarm.factor, alarm.started_at, alarm.ended_at, alarm.peak, alarm.limit) == ("a21026", h(1), None, 320, 200)
    assert alarm.unit == "mg/m3"

    # Evaluating again opens nothing new.
    assert alarms.evaluate_point(point, h(3), start=T0).opened == []
    hours(point, [None, None, None, 280, 190], start=T0)
    out = alarms.evaluate_point(point, h(5), start=h(4))
    assert out.opened == [] and len(out.closed) == 1
    alarm.refresh_from_db()
    assert (alarm.started_at, alarm.ended_at, alarm.peak) == (h(1), h(4), 320)
    assert alarm.duration == dt.timedelta(hours=3)
    assert Alarm.objects.filter(kind="exceedance").count() == 1
    assert AuditEvent.objects.filter(object_id=str(alarm.pk), action="transition").count() == 1

    # Re-evaluating the whole history changes nothing.
    assert alarms.evaluate_point(point, h(5), start=T0).opened == []
    assert Alarm.objects.filter(kind="exceedance").count() == 1


@pytest.mark.django_db
def test_it_judges_the_converted_value_and_ignores_flagged_hours(personas):
    point = make_point(personas)
    hours(point, [150], zs_avg=230)  # converted above the limit
    hours(point, [None, 900], flags={1: "C"})  # calibration: not a measurement
    alarms.evaluate_point(point, h(2), start=T0)
    alarm = Alarm.objects.get(kind="exceedance")
    assert (alarm.peak, alarm.ended_at) == (230, None)


@pytest.mark.django_db
def test_it_converts_units_before_comparing(personas):
    point = make_point(personas, medium="water", mn="MN-W", standard="GB 25466-2010", plant_type="铅锌冶炼")
    hours(point, [400.0, 600.0, 500.0], factor="w20120")  # µg/L on the wire, limit 0.5 mg/L
    alarms.evaluate_point(point, h(3), start=T0)
    alarm = Alarm.objects.get(kind="exceedance", factor="w20120")
    assert (alarm.started_at, alarm.ended_at, alarm.peak, alarm.unit) == (h(1), h(2), 0.6, "mg/L")


@pytest.mark.django_db
def test_it_opens_a_repeated_exceedance_at_the_threshold(personas, settings):
    settings.MONITORING_REPEATED_EXCEEDANCE_COUNT = 3
    settings.MONITORING_REPEATED_EXCEEDANCE_DAYS = 30
    point = make_point(personas)
    for day in (0, 5):
        hours(point, [250, 100], start=T0 + dt.timedelta(days=day))
        alarms.evaluate_point(point, T0 + dt.timedelta(days=day, hours=2), start=T0 + dt.timedelta(days=day))
    assert Alarm.objects.filter(kind="exceedance").count() == 2
    assert not RepeatedExceedance.objects.exists()

    hours(point, [250, 100], start=T0 + dt.timedelta(days=10))
    out = alarms.evaluate_point(point, T0 + dt.timedelta(days=10, hours=2), start=T0 + dt.timedelta(days=10))
    assert len(out.repeated) == 1
    item = RepeatedExceedance.objects.get()
    assert (item.factor, item.count, item.window_days, item.status) == ("a21026", 3, 30, "open")
    assert (item.first_at, item.last_at) == (T0, T0 + dt.timedelta(days=10))
    assert item.alarms.count() == 3
    assert AuditEvent.objects.filter(content_type__model="repeatedexceedance", action="create").count() == 1

    # A fourth joins the open item rather than opening another.
    hours(point, [250, 100], start=T0 + dt.timedelta(days=12))
    alarms.evaluate_point(point, T0 + dt.timedelta(days=12, hours=2), start=T0 + dt.timedelta(days=12))
    item.refresh_from_db()
    assert RepeatedExceedance.objects.count() == 1
    assert item.count == 4


@pytest.mark.django_db
def test_exceedances_spread_beyond_the_window_are_not_repeated(personas):
    point = make_point(personas)
    for day in (0, 20, 40):
        hours(point, [250, 100], start=T0 + dt.timedelta(days=day))
        alarms.evaluate_point(point, T0 + dt.timedelta(days=day, hours=2), start=T0 + dt.timedelta(days=day))
    assert Alarm.objects.filter(kind="exceedance").count() == 3
    assert not RepeatedExceedance.objects.exists()


@pytest.mark.django_db
def test_it_raises_instrument_and_range_alarms_from_flags(personas):
    point = make_point(personas)
    flags = {2: "C", 3: "C", 4: "M", 7: "T", 8: "T"}
    minutes(point, [10, 11, 0, 0, 0, 12, 13, 999, 1500, 14], flags=flags)
    alarms.evaluate_point(point, T0 + dt.timedelta(minutes=10), start=T0)
    instrument = Alarm.objects.get(kind="instrument")
    assert (instrument.started_at, instrument.ended_at) == (T0 + dt.timedelta(minutes=2), T0 + dt.timedelta(minutes=5))
    assert instrument.detail == "Flag=CM"
    above = Alarm.objects.get(kind="above_range")
    assert (above.started_at, above.ended_at, above.peak) == (
        T0 + dt.timedelta(minutes=7),
        T0 + dt.timedelta(minutes=9),
        1500,
    )
    # T is the instrument's range, not an emission: no exceedance without an hourly average.
    assert not Alarm.objects.filter(kind="exceedance").exists()


@pytest.mark.django_db
def test_it_raises_flat_line_and_out_of_bounds_alarms(personas, settings):
    settings.MONITORING_FLATLINE_INTERVALS = 5
    point = make_point(personas)
    minutes(point, [42.0] * 8 + [43.0, 44.0])
    minutes(point, [20.9, 20.8, 23.5, 24.0, 20.7], factor="a19001")
    alarms.evaluate_point(point, T0 + dt.timedelta(minutes=10), start=T0)
    flat = Alarm.objects.get(kind="flatline")
    assert (flat.factor, flat.started_at, flat.ended_at) == ("a21026", T0, T0 + dt.timedelta(minutes=8))
    bad = Alarm.objects.get(kind="implausible")
    assert (bad.factor, bad.started_at, bad.ended_at, bad.peak) == (
        "a19001",
        T0 + dt.timedelta(minutes=2),
        T0 + dt.timedelta(minutes=4),
        24.0,
    )


@pytest.mark.django_db
def test_it_raises_a_missing_data_alarm_and_closes_it_when_data_return(personas, settings):
    settings.MONITORING_MISSING_GRACE_S = 120
    point = make_point(personas)
    minutes(point, [10.0, 11.0, 12.0])  # minutes 0..2: covered until minute 3

    def at(minutes):
        return T0 + dt.timedelta(minutes=minutes)

    assert alarms.evaluate_point(point, at(5), start=T0).opened == []
    out = alarms.evaluate_point(point, at(7), start=T0)
    assert [a.kind for a in out.opened] == ["missing"]
    assert alarms.evaluate_point(point, at(9), start=T0).opened == []
    minutes(point, [13.0, 14.0], start=at(20))
    out = alarms.evaluate_point(point, at(22), start=T0)
    missing = Alarm.objects.get(kind="missing")
    assert (missing.started_at, missing.ended_at) == (at(3), at(20))
    assert out.closed == [missing]


@pytest.mark.django_db
def test_the_tick_duty_evaluates_every_active_point(personas):
    from youse.core.tick import DUTIES

    point = make_point(personas)
    now = dt.datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    hours(point, [250.0, 260.0], start=now - dt.timedelta(hours=3, minutes=30))
    minutes(point, [10.0 + i for i in range(3)], start=now - dt.timedelta(minutes=3))
    summary = DUTIES["monitoring.alarms"].run(now)
    assert summary.startswith("1 alarms opened")
    assert Alarm.objects.get().kind == "exceedance"
