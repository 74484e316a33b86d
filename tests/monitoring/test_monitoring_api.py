"""/api/v1/monitoring/: points, readings with units, aggregates and alarms, all scoped to the caller."""

import datetime as dt

import pytest

from tests.monitoring.test_views import add_readings, make_point
from youse.monitoring.models import Alarm, Reading

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)


@pytest.fixture
def data(personas):
    a = make_point(personas.environment, personas.plant_a, "61082201YS0001AAAAAAAAAA")
    b = make_point(
        personas.environment, personas.plant_b, "61030001YS0002BBBBBBBBBB", medium="water", name="废水总排口"
    )
    for h in range(4):
        add_readings(a, T0 + dt.timedelta(hours=h), {"a21026": 100.0 + h, "a34013": 5.0}, kind="hour")
    add_readings(a, T0, {"a21026": 101.5}, kind="day")
    add_readings(b, T0, {"w20120": 180.0, "w00000": 12.0}, kind="min")
    Reading.objects.filter(point=b, factor="w00000").update(cou=0.72)
    Alarm.objects.create(point=a, kind="exceedance", factor="a21026", started_at=T0, peak=250, limit=200, unit="mg/m3")
    Alarm.objects.create(point=b, kind="missing", started_at=T0, ended_at=T0 + dt.timedelta(hours=1))
    return {"a": a, "b": b}


def get(personas, who, url):
    return personas.client(who).get("/api/v1/monitoring" + url)


def test_it_lists_only_the_callers_points(personas, data):
    assert [p["mn"] for p in get(personas, "ent_a", "/points").json()["results"]] == [data["a"].mn]
    assert [p["mn"] for p in get(personas, "city", "/points").json()["results"]] == [data["a"].mn]
    assert get(personas, "department", "/points").json()["count"] == 2
    assert get(personas, "department", "/points?medium=water").json()["results"][0]["mn"] == data["b"].mn
    assert get(personas, "department", "/points?city=610300").json()["count"] == 1
    assert get(personas, "ent_b", f"/points/{data['a'].pk}").status_code == 404
    assert get(personas, "ent_a", f"/points/{data['a'].pk}").json()["standard"] == "GB 25465-2010"
    assert "pw" not in get(personas, "ent_a", f"/points/{data['a'].pk}").json()


def test_readings_filter_by_point_kind_factor_and_window_with_units(personas, data):
    body = get(
        personas,
        "ent_a",
        f"/readings?point={data['a'].pk}&kind=hour&factor=a21026&start=2026-03-01T09:00:00&end=2026-03-01T11:00:00",
    ).json()
    # A time without an offset is Beijing time: 09:00–11:00 +08:00 is 01:00–03:00 UTC.
    assert [r["avg"] for r in body["results"]] == [101.0, 102.0]
    assert all(r["unit"].startswith("mg/m") for r in body["results"])
    assert body["results"][0]["factor_name"] == "二氧化硫"
    water = get(personas, "ent_b", "/readings?factor=w20120").json()["results"]
    assert water[0]["unit"] in ("µg/L", "μg/L", "ug/L") and water[0]["rtd"] is None and water[0]["avg"] == 180.0
    flow = get(personas, "ent_b", "/readings?factor=w00000").json()["results"][0]
    assert flow["cou"] == 0.72 and flow["cou_unit"]


def test_readings_are_paginated_and_scoped(personas, data):
    body = get(personas, "department", "/readings?kind=hour&page_size=3").json()
    assert body["count"] == 8 and len(body["results"]) == 3
    assert get(personas, "ent_b", "/readings?kind=hour").json()["count"] == 0
    response = get(personas, "ent_b", f"/readings?point={data['a'].pk}")
    assert response.status_code == 404 and response.json()["detail"]


def test_bad_filters_answer_400_naming_the_field(personas, data):
    response = get(personas, "department", "/readings?kind=week")
    assert response.status_code == 400 and "kind" in response.json()["errors"]
    response = get(personas, "department", "/readings?pont=1")
    assert response.status_code == 400 and "pont" in response.json()["errors"]
    response = get(personas, "department", "/readings?start=2026-03-02T00:00:00&end=2026-03-01T00:00:00")
    assert response.status_code == 400 and "end" in response.json()["errors"]
    assert get(personas, "department", "/aggregates?period=month").status_code == 400


def test_aggregates_give_hourly_or_daily_figures(personas, data):
    hours = get(personas, "ent_a", f"/aggregates?point={data['a'].pk}&factor=a21026").json()
    assert hours["count"] == 4 and {r["kind"] for r in hours["results"]} == {"hour"}
    days = get(personas, "ent_a", "/aggregates?period=day").json()
    assert [r["avg"] for r in days["results"]] == [101.5]
    assert "computed" in days["results"][0]


def test_alarms_are_scoped_and_filtered(personas, data):
    body = get(personas, "department", "/alarms").json()
    assert body["count"] == 2
    assert [a["kind"] for a in get(personas, "department", "/alarms?state=open").json()["results"]] == ["exceedance"]
    ended = get(personas, "department", "/alarms?state=ended").json()["results"][0]
    assert ended["duration_s"] == 3600
    assert [a["point"] for a in get(personas, "ent_b", "/alarms").json()["results"]] == [data["b"].pk]
    assert get(personas, "city", "/alarms?kind=missing").json()["count"] == 0


def test_anonymous_callers_are_refused(personas, data):
    response = get(personas, "anonymous", "/readings")
    assert response.status_code == 401 and response.json()["detail"]
