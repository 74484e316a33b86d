"""The pure monitoring rules: Appendix D aggregation, exceedance episodes, data-quality conditions."""

import datetime as dt

import pytest

from youse.monitoring import rules
from youse.monitoring.rules import Sample

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 Beijing time


def minutes(values, flags=None, start=T0, step=60, **extra):
    flags = flags or {}
    return [
        Sample(start + dt.timedelta(seconds=step * i), v, flag=flags.get(i, "N"), **extra) for i, v in enumerate(values)
    ]


@pytest.mark.parametrize(
    ("medium", "interval", "required"),
    [
        ("gas", 60, 45),  # D.2.2 formula (24): 45 ≤ k
        ("gas", 600, 5),  # 10-minute data: the same three quarters of the hour, rounded up
        ("gas", 300, 9),
        ("gas", 3600, 1),
        ("water", 600, 1),  # D.1.3: 1 ≤ m ≤ 6
        ("water", 60, 1),
    ],
)
def test_it_requires_the_share_of_valid_minutes_of_appendix_d(medium, interval, required):
    assert rules.required_per_hour(medium, interval) == required


@pytest.mark.parametrize(
    ("values", "flags", "expected_avg", "expected_n"),
    [
        ([10.0] * 60, {}, 10.0, 60),
        # Flagged minutes are not measurements: 15 minutes of calibration at 500 leave the mean alone.
        ([10.0] * 45 + [500.0] * 15, {i: "C" for i in range(45, 60)}, 10.0, 45),
        ([10.0] * 50 + [99.0] * 10, {i: f for i, f in zip(range(50, 60), "FMSDTBFMDC", strict=True)}, 10.0, 50),
        ([1.0] * 30 + [3.0] * 30, {}, 2.0, 60),
        # Exactly 45 valid minutes is enough.
        ([4.0] * 60, {i: "M" for i in range(15)}, 4.0, 45),
    ],
)
def test_it_averages_valid_minutes_only(values, flags, expected_avg, expected_n):
    agg = rules.hourly(minutes(values, flags), "gas", 60)
    assert agg is not None
    assert agg.avg == pytest.approx(expected_avg)
    assert agg.valid_periods == expected_n
    assert agg.method == "arithmetic"


@pytest.mark.parametrize(
    ("n_valid", "flag"),
    [(44, "F"), (30, "C"), (0, "D"), (44, "T")],
)
def test_it_gives_no_hourly_figure_without_45_valid_minutes(n_valid, flag):
    samples = minutes([10.0] * 60, {i: flag for i in range(n_valid, 60)})
    assert rules.hourly(samples, "gas", 60) is None


def test_it_gives_no_hourly_figure_when_minutes_are_missing():
    assert rules.hourly(minutes([10.0] * 44), "gas", 60) is None
    assert rules.hourly(minutes([10.0] * 45), "gas", 60) is not None


def test_it_takes_extremes_and_sums_cumulative_figures_over_valid_minutes():
    samples = [
        Sample(T0, 10.0, min=8.0, max=12.0, cou=1.0, flag="N"),
        Sample(T0 + dt.timedelta(minutes=1), 20.0, min=15.0, max=30.0, cou=2.0, flag="N"),
        Sample(T0 + dt.timedelta(minutes=2), 900.0, min=1.0, max=999.0, cou=50.0, flag="D"),
    ]
    agg = rules.aggregate(samples, 1)
    assert (agg.avg, agg.min, agg.max, agg.cou) == (15.0, 8.0, 30.0, 3.0)


def test_it_weights_wastewater_concentrations_by_discharge():
    # D.1.2.3: C_h = G_h / D_h; 10 mg/L over 1 m³ and 40 mg/L over 3 m³ → 130 g / 4 m³ = 32.5 mg/L.
    conc = minutes([10.0, 40.0], step=600)
    weights = {conc[0].start: 1.0, conc[1].start: 3.0}
    agg = rules.hourly(conc, "water", 600, weights=weights)
    assert agg.avg == pytest.approx(32.5)
    assert agg.method == "flow-weighted"
    # Without the discharge of every period: the arithmetic mean of D.1.3.
    agg = rules.hourly(conc, "water", 600, weights={conc[0].start: 1.0})
    assert agg.avg == pytest.approx(25.0)
    assert agg.method == "arithmetic"
    # Flue gas concentrations are never flow-weighted (D.2.2).
    assert rules.hourly(minutes([10.0, 40.0] * 30), "gas", 60, weights=weights).avg == pytest.approx(25.0)


def test_it_computes_the_hourly_emission_from_the_flow_when_none_was_reported():
    # Formula (33): G_h = C_h × Q_snh × 10⁻⁶ kg; 200 mg/m³ × 360,000 m³ = 72 kg.
    agg = rules.hourly(minutes([200.0] * 60), "gas", 60, flow=360_000.0)
    assert agg.cou == pytest.approx(72.0)


def test_it_averages_converted_values_alongside():
    agg = rules.hourly(minutes([10.0] * 60, zs_avg=12.0), "gas", 60)
    assert agg.zs_avg == pytest.approx(12.0)
    assert rules.judged_value(Sample(T0, 10.0, zs_avg=12.0)) == 12.0
    assert rules.judged_value(Sample(T0, 10.0)) == 10.0
    assert rules.judged_value(Sample(T0, 10.0, flag="C")) is None


@pytest.mark.parametrize(
    ("medium", "hours", "valid"),
    [("gas", 20, True), ("gas", 19, False), ("water", 1, True), ("water", 0, False)],
)
def test_it_requires_valid_hours_for_a_day(medium, hours, valid):
    samples = [Sample(T0 + dt.timedelta(hours=i), 5.0) for i in range(hours)]
    assert (rules.daily(samples, medium) is not None) is valid


@pytest.mark.parametrize(
    ("utc", "day"),
    [
        (dt.datetime(2026, 3, 1, 15, 59, tzinfo=UTC), dt.date(2026, 3, 1)),  # 23:59 Beijing
        (dt.datetime(2026, 3, 1, 16, 0, tzinfo=UTC), dt.date(2026, 3, 2)),  # 00:00 Beijing next day
        (dt.datetime(2026, 2, 28, 16, 0, tzinfo=UTC), dt.date(2026, 3, 1)),
        (dt.datetime(2025, 12, 31, 16, 30, tzinfo=UTC), dt.date(2026, 1, 1)),
    ],
)
def test_it_counts_days_in_beijing_time(utc, day):
    assert rules.beijing_day(utc) == day
    start, end = rules.beijing_day_bounds(day)
    assert start <= utc < end
    assert end - start == dt.timedelta(days=1)
    assert start.hour == 16 and start.tzinfo is not None


def test_it_lists_only_whole_hours():
    start = dt.datetime(2026, 3, 1, 2, 30, tzinfo=UTC)
    end = dt.datetime(2026, 3, 1, 5, 15, tzinfo=UTC)
    assert rules.hours_between(start, end) == [
        dt.datetime(2026, 3, 1, 3, tzinfo=UTC),
        dt.datetime(2026, 3, 1, 4, tzinfo=UTC),
    ]


def h(n):
    return T0 + dt.timedelta(hours=n)


def at(minute):
    return T0 + dt.timedelta(minutes=minute)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # (start hour, end hour or None, peak, periods)
        ([150, 250, 300, 180], [(1, 3, 300, 2)]),
        ([250, 150, 260, 150], [(0, 1, 250, 1), (2, 3, 260, 1)]),
        ([200, 200], []),  # equal to the limit complies
        ([150, 210, 220], [(1, None, 220, 2)]),  # still open at the last hour
        # Missing hours neither close nor count: the episode spans them, ends after the last excess.
        ([250, None, 270, 100], [(0, 3, 270, 2)]),
        ([250, None, None, 100], [(0, 1, 250, 1)]),
    ],
)
def test_it_finds_exceedance_episodes_across_hours(values, expected):
    series = [(h(i), v) for i, v in enumerate(values)]
    episodes = rules.exceedances(series, 200.0, rules.HOUR)
    got = [(e.start, e.end, e.peak, e.periods) for e in episodes]
    assert got == [(h(s), None if e is None else h(e), p, n) for s, e, p, n in expected]
    for e in episodes:
        if e.end is not None:
            assert e.duration == e.end - e.start


@pytest.mark.parametrize(
    ("values", "n", "expected"),
    [
        ([5, 5, 5, 5, 6], 4, [(0, 4, 5.0)]),
        ([5, 5, 5, 6], 4, []),
        ([1, 5, 5, 5, 5], 4, [(1, None, 5.0)]),
        ([5, 5, None, 5, 5], 3, []),  # a gap breaks the run
        ([0, 0, 0, 0, 0, 0], 6, [(0, None, 0.0)]),
    ],
)
def test_it_finds_flat_lines(values, n, expected):
    series = [(T0 + dt.timedelta(minutes=i), None if v is None else float(v)) for i, v in enumerate(values)]
    got = [(e.start, e.end, e.peak) for e in rules.flat_lines(series, n)]
    assert got == [(at(s), None if e is None else at(e), p) for s, e, p in expected]


def test_it_finds_runs_of_flags():
    flags = ["N", "T", "T", "N", "T"]
    values = [10, 999, 1200, 20, 990]
    series = [(T0 + dt.timedelta(minutes=i), f == "T", v) for i, (f, v) in enumerate(zip(flags, values, strict=True))]
    eps = rules.runs(series)
    assert [(e.start, e.end, e.peak) for e in eps] == [
        (T0 + dt.timedelta(minutes=1), T0 + dt.timedelta(minutes=3), 1200),
        (T0 + dt.timedelta(minutes=4), None, 990),
    ]


@pytest.mark.parametrize(
    ("factor", "value", "outside"),
    [
        ("a21026", -1.0, True),
        ("a21026", 0.0, False),
        ("a21026", 5000.0, False),
        ("w01001", 14.5, True),
        ("w01001", 7.0, False),
        ("a19001", 22.0, True),
        ("a19001", 20.9, False),
        ("a21026", None, False),
    ],
)
def test_it_recognises_values_outside_physical_bounds(factor, value, outside):
    assert rules.out_of_bounds(factor, value) is outside


@pytest.mark.parametrize(
    ("last_minute", "now_minute", "missing_from"),
    [
        (0, 3, None),  # covered until 1; due within 1 + 1 min + 2 min grace
        (0, 4, None),
        (0, 5, 1),
        (None, 5, 0),  # no data since registration at minute 0
        (None, 3, None),
    ],
)
def test_it_detects_missing_data(last_minute, now_minute, missing_from):
    last = None if last_minute is None else at(last_minute)
    got = rules.missing_since(last, 60, at(now_minute), 120, T0)
    assert got == (None if missing_from is None else at(missing_from))


@pytest.mark.parametrize(
    ("units", "value", "expected"),
    [
        (("µg/L", "mg/L"), 500.0, 0.5),
        (("mg/L", "µg/L"), 0.05, 50.0),
        (("mg/m³", "mg/m3"), 200.0, 200.0),
        (("µg/m3", "mg/m³"), 30.0, 0.03),
    ],
)
def test_it_converts_concentration_units(units, value, expected):
    assert rules.convert(value, *units) == expected


def test_it_refuses_to_compare_different_quantities():
    with pytest.raises(ValueError):
        rules.convert(1.0, "mg/L", "mg/m3")


@pytest.mark.parametrize(
    ("days_ago", "count", "expected"),
    [
        ([0, 10, 20], 3, 3),
        ([0, 10, 31], 3, 0),  # the third is outside the 30 days
        ([0, 10], 3, 0),
        ([0, 1, 2, 3], 3, 4),
    ],
)
def test_it_decides_repeated_exceedances(days_ago, count, expected):
    at = dt.datetime(2026, 3, 31, tzinfo=UTC)
    starts = [at - dt.timedelta(days=d) for d in days_ago]
    assert len(rules.repeated(starts, at, count, 30)) == expected
