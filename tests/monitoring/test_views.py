"""Monitoring pages per persona: the board (scoped, live, against limits), a point's series, alarms with
acknowledgement, the quarantine (environment department), items for enforcement, the limits table."""

import datetime as dt

import pytest
from django.utils import timezone

from youse.core import services as core_services
from youse.core.models import AuditEvent, ResponsibleUnit
from youse.core.roles import Role
from youse.monitoring import services
from youse.monitoring.hj212 import codec
from youse.monitoring.models import Alarm, QuarantinedPacket, Reading, RepeatedExceedance

pytestmark = pytest.mark.django_db


def make_point(actor, plant, mn: str, **extra):
    data = {
        "mn": mn,
        "pw": "123456",
        "name": "电解烟囱",
        "outlet": "电解烟气净化排放口 DA001",
        "medium": "gas",
        "standard": "GB 25465-2010",
        "plant_type": "电解铝",
        **extra,
    }
    return services.create_point(actor, {**data, "plant": plant})


def add_readings(point, when, values: dict, kind="rtd", flag="N"):
    for code, value in values.items():
        field = "rtd" if kind == "rtd" else "avg"
        Reading.objects.create(
            point=point, kind=kind, data_time=when, factor=code, flag=flag, received_at=when, **{field: value}
        )


@pytest.fixture
def setup(personas):
    now = timezone.now().replace(microsecond=0)
    a = make_point(personas.environment, personas.plant_a, "61082201YS0001AAAAAAAAAA")
    b = make_point(personas.environment, personas.plant_b, "61030001YS0002BBBBBBBBBB", name="还原炉烟囱")
    add_readings(a, now - dt.timedelta(seconds=30), {"a21026": 250.0, "a34013": 8.5})
    add_readings(b, now - dt.timedelta(seconds=30), {"a21026": 50.0})
    for m in range(5):
        t = now - dt.timedelta(minutes=5 - m)
        add_readings(a, t, {"a21026": 100.0 + 40 * m}, kind="min", flag="M" if m == 2 else "N")
    alarm = Alarm.objects.create(
        point=a,
        kind="exceedance",
        factor="a21026",
        started_at=now - dt.timedelta(hours=2),
        peak=260,
        limit=200,
        unit="mg/m3",
    )
    return {"a": a, "b": b, "alarm": alarm, "now": now}


def test_it_shows_the_enterprise_only_its_own_points_with_values_against_the_limit(personas, setup):
    response = personas.client("ent_a").get("/monitoring/")
    assert response.status_code == 200
    html = response.content.decode()
    assert setup["a"].mn in html and setup["b"].mn not in html
    # SO2 250 mg/m³ against the 200 mg/m³ hourly limit of GB 25465-2010: marked as exceeding.
    assert 'data-factor="a21026" class="table-danger" data-exceeds="1"' in html
    assert 'data-factor="a34013" class="table-danger"' not in html
    assert "mg/m" in html
    assert 'hx-trigger="every 10s"' in html


def test_it_shows_a_city_its_citys_points_and_the_department_all(personas, setup):
    city = personas.client("city").get("/monitoring/").content.decode()
    assert setup["a"].mn in city and setup["b"].mn not in city
    dept = personas.client("department").get("/monitoring/").content.decode()
    assert setup["a"].mn in dept and setup["b"].mn in dept


def test_the_board_filters_by_city_medium_and_alarm_state(personas, setup):
    client = personas.client("department")
    assert setup["b"].mn not in client.get("/monitoring/?city=610800").content.decode()
    assert setup["b"].mn in client.get("/monitoring/?city=610300").content.decode()
    html = client.get("/monitoring/?alarm=open").content.decode()
    assert setup["a"].mn in html and setup["b"].mn not in html
    html = client.get("/monitoring/?alarm=none").content.decode()
    assert setup["a"].mn not in html and setup["b"].mn in html
    assert "No monitoring points match" in client.get("/monitoring/?medium=water").content.decode()


def test_the_live_fragment_shows_new_data_without_a_reload(personas, setup):
    client = personas.client("ent_a")
    before = client.get("/monitoring/live/").content.decode()
    assert "<html" not in before and 'id="board-cards"' in before
    assert 'data-factor="a01012"' not in before
    add_readings(setup["a"], setup["now"], {"a01012": 95.5, "a21026": 120.0})
    after = client.get("/monitoring/live/").content.decode()
    assert 'data-factor="a01012"' in after and "95.5" in after
    assert 'data-factor="a21026" class="table-danger"' not in after  # the newest value is within the limit


def test_the_point_page_plots_the_series_with_the_limit_and_the_flagged_points(personas, setup):
    client = personas.client("ent_a")
    response = client.get(f"/monitoring/points/{setup['a'].pk}/?factor=a21026&kind=min&window=6h")
    assert response.status_code == 200
    chart = response.context["chart"]
    assert [s["v"] for s in chart["series"]] == [100.0, 140.0, 180.0, 220.0, 260.0]
    assert chart["limit"] == 200.0 and chart["unit"]
    assert [s["flag"] for s in chart["series"]].count("M") == 1
    assert 'id="series-data"' in response.content.decode()
    # Another enterprise's point is not found, and the attempt is audited.
    assert personas.client("ent_b").get(f"/monitoring/points/{setup['a'].pk}/").status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REFUSED, actor=personas.ent_b).exists()


def test_the_alarm_list_is_scoped_and_shows_peak_limit_and_duration(personas, setup):
    html = personas.client("city").get("/monitoring/alarms/").content.decode()
    assert f'data-alarm="{setup["alarm"].pk}"' in html and "260" in html and "2 h 00 min" in html
    assert (
        f'data-alarm="{setup["alarm"].pk}"' not in personas.client("ent_b").get("/monitoring/alarms/").content.decode()
    )


def test_the_enterprise_and_the_environment_department_acknowledge_an_alarm(personas, setup):
    alarm = setup["alarm"]
    url = f"/monitoring/alarms/{alarm.pk}/acknowledge/"
    assert personas.client("ent_b").post(url, {"note": "x"}).status_code == 404
    assert personas.client("city").post(url, {"note": "x"}).status_code in (302, 403)
    response = personas.client("ent_a").post(url, {"note": "脱硫塔检修"})
    assert response.status_code == 302
    response = personas.client("environment").post(url, {"note": "已核实"})
    alarm.refresh_from_db()
    assert alarm.enterprise_note == "脱硫塔检修" and alarm.enterprise_ack_at is not None
    assert alarm.authority_note == "已核实" and alarm.authority_ack_by == personas.environment


def _packet(mn="UNKNOWN00000000000000001"):
    raw = codec.encode(
        {
            "qn": "20260701143000001",
            "st": "22",
            "cn": "2011",
            "pw": "123456",
            "mn": mn,
            "flag": 5,
            "data_time": "2026-07-01T14:30:00+08:00",
            "values": {"a21026": {"rtd": 88.5, "flag": "N"}},
        }
    )
    return QuarantinedPacket.objects.create(
        received_at=timezone.now(), peer="127.0.0.1:5000", mn=mn, cn="2011", reason="unknown_mn", raw=raw.decode()
    )


def test_the_environment_department_assigns_and_dismisses_quarantined_packets(personas, setup):
    first, second = _packet(), _packet("UNKNOWN00000000000000002")
    client = personas.client("environment")
    html = client.get("/monitoring/quarantine/").content.decode()
    assert f'data-packet="{first.pk}"' in html
    response = client.post(f"/monitoring/quarantine/{first.pk}/assign/", {"point": setup["a"].pk, "reason": "MN 录错"})
    assert response.status_code == 302
    client.post(f"/monitoring/quarantine/{second.pk}/dismiss/", {"reason": "测试设备"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.point, first.reviewed_by) == ("assigned", setup["a"], personas.environment)
    assert second.status == "dismissed"
    # The assigned packet's figures became readings of the point.
    assert Reading.objects.get(point=setup["a"], kind="rtd", factor="a21026", rtd=88.5)
    assert AuditEvent.objects.filter(actor=personas.environment, object_id=str(first.pk), reason="MN 录错").exists()
    # Reviewed packets leave the open list.
    assert f'data-packet="{first.pk}"' not in client.get("/monitoring/quarantine/").content.decode()


def test_the_quarantine_is_closed_to_other_units_cities_and_enterprises(personas, setup):
    packet = _packet()
    fgw = core_services.create_user(
        None, "fgw", Role.PROVINCIAL_UNIT, password="x-long-password", unit=ResponsibleUnit.objects.get(code="fgw")
    )
    from django.test import Client

    client = Client()
    client.force_login(fgw)
    assert client.get("/monitoring/quarantine/").status_code == 403
    assert client.post(f"/monitoring/quarantine/{packet.pk}/dismiss/").status_code == 403
    assert client.get("/monitoring/").status_code == 200  # provincial units read the board
    for name in ("city", "ent_a"):
        assert personas.client(name).get("/monitoring/quarantine/").status_code == 403
        assert personas.client(name).get("/monitoring/enforcement/").status_code == 403
    packet.refresh_from_db()
    assert packet.status == "open"


def test_items_for_enforcement_list_repeated_exceedances_for_the_department(personas, setup):
    item = RepeatedExceedance.objects.create(
        point=setup["a"],
        factor="a21026",
        first_at=setup["now"] - dt.timedelta(days=5),
        last_at=setup["now"],
        count=4,
        window_days=30,
    )
    for name in ("department", "environment"):
        html = personas.client(name).get("/monitoring/enforcement/").content.decode()
        assert f'data-item="{item.pk}"' in html


def test_the_limits_table_is_read_only_and_lists_the_reference_rows(personas, setup):
    html = personas.client("ent_a").get("/monitoring/limits/").content.decode()
    assert "GB 25465-2010" in html and "unverified" in html
    assert "admin/monitoring/limit" not in html
    assert personas.client("anonymous").get("/monitoring/limits/").status_code == 302


def test_the_board_answers_in_chinese_by_default(personas, setup):
    html = personas.client("ent_a", language="zh-hans").get("/monitoring/").content.decode()
    assert "在线监测" in html or "Online monitoring" in html  # the catalogue is filled centrally


def test_it_selects_no_city_on_the_unfiltered_board(personas):
    html = personas.client("department").get("/monitoring/").content.decode()
    select = html.split('id="f-city"')[1].split("</select>")[0]
    assert " selected" not in select.split('value=""')[1].split("</option>", 1)[1]
