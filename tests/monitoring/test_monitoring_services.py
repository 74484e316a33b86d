"""Monitoring service functions: acknowledging alarms, reviewing the quarantine, managing points."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from youse.core.models import AuditEvent
from youse.core.roles import UNIT_CAPABILITIES
from youse.monitoring import services
from youse.monitoring.hj212 import codec
from youse.monitoring.models import Alarm, MonitoringPoint, QuarantinedPacket, Reading

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 1, 2, 0, tzinfo=UTC)

POINT = {
    "mn": "MN-A-001",
    "name": "还原炉烟气排放口",
    "outlet": "DA001",
    "medium": "gas",
    "standard": "GB 25465-2010",
    "plant_type": "电解铝",
}


def point_of(personas, plant, mn):
    return services.create_point(personas.environment, {**POINT, "mn": mn, "plant": plant})


def alarm_at(point):
    # Alarms are opened by the alarm evaluation from readings (no person opens one).
    return Alarm.objects.create(point=point, kind="exceedance", factor="a21026", started_at=T0, peak=250, limit=200)


def events(obj, action):
    return AuditEvent.objects.filter(content_type__model=obj._meta.model_name, object_id=str(obj.pk), action=action)


@pytest.mark.django_db
def test_the_environment_department_holds_its_capabilities_through_its_unit(personas):
    assert personas.environment.unit.code == "hbt"
    assert {"monitoring.manage", "monitoring.acknowledge"} <= UNIT_CAPABILITIES["hbt"]


@pytest.mark.django_db
def test_an_enterprise_acknowledges_its_own_alarm(personas):
    alarm = alarm_at(point_of(personas, personas.plant_a, "MN-A-001"))
    acked = services.acknowledge_alarm(personas.ent_a, alarm, "脱硫塔循环泵故障，已更换")
    assert acked.enterprise_ack_by == personas.ent_a
    assert acked.enterprise_note == "脱硫塔循环泵故障，已更换"
    assert acked.enterprise_ack_at is not None and acked.authority_ack_at is None
    event = events(alarm, "update").get()
    assert event.actor == personas.ent_a
    assert ("enterprise_note", "", "脱硫塔循环泵故障，已更换") in event.changes
    with pytest.raises(ValidationError):
        services.acknowledge_alarm(personas.ent_a, acked, "again")


@pytest.mark.django_db
def test_an_enterprise_must_explain(personas):
    alarm = alarm_at(point_of(personas, personas.plant_a, "MN-A-001"))
    with pytest.raises(ValidationError) as err:
        services.acknowledge_alarm(personas.ent_a, alarm, "  ")
    assert "note" in err.value.message_dict
    assert not events(alarm, "update").exists()


@pytest.mark.django_db
def test_another_enterprises_alarm_is_a_404(personas):
    alarm = alarm_at(point_of(personas, personas.plant_a, "MN-A-001"))
    with pytest.raises(Http404):
        services.acknowledge_alarm(personas.ent_b, alarm, "不是我们的")
    alarm.refresh_from_db()
    assert alarm.enterprise_ack_at is None
    assert events(alarm, "refused").exists()


@pytest.mark.django_db
def test_the_environment_department_acknowledges_as_the_authority(personas):
    alarm = alarm_at(point_of(personas, personas.plant_b, "MN-B-001"))
    services.acknowledge_alarm(personas.ent_b, alarm, "检修后恢复")
    acked = services.acknowledge_alarm(personas.environment, alarm, "已核实，责令整改")
    assert acked.authority_ack_by == personas.environment
    assert acked.authority_note == "已核实，责令整改"
    assert acked.enterprise_note == "检修后恢复"  # the enterprise's explanation stays
    assert events(alarm, "update").count() == 2


@pytest.mark.django_db
def test_a_city_cannot_acknowledge(personas):
    alarm = alarm_at(point_of(personas, personas.plant_a, "MN-A-001"))
    with pytest.raises(PermissionDenied):
        services.acknowledge_alarm(personas.city, alarm, "")
    alarm.refresh_from_db()
    assert alarm.authority_ack_at is None and alarm.enterprise_ack_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["environment", "department"])
def test_the_regulators_register_and_change_points(personas, who):
    actor = personas.users[who]
    point = services.create_point(actor, {**POINT, "plant": personas.plant_a.pk, "accepted_crc": ["modbus"]})
    assert point.accepts("modbus") and not point.accepts("modbus-swapped")
    assert events(point, "create").get().actor == actor
    point = services.update_point(actor, point, {"expected_interval_s": 600, "special_limits": True})
    assert (point.expected_interval_s, point.special_limits) == (600, True)
    event = events(point, "update").get()
    assert ("expected_interval_s", 60, 600) in event.changes


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ent_a", "city"])
def test_others_cannot_manage_points(personas, who):
    with pytest.raises(PermissionDenied):
        services.create_point(personas.users[who], {**POINT, "plant": personas.plant_a})
    assert not MonitoringPoint.objects.exists()


@pytest.mark.django_db
def test_points_are_validated(personas):
    with pytest.raises(ValidationError) as err:
        services.create_point(
            personas.environment,
            {**POINT, "plant": personas.plant_a, "accepted_crc": ["crc32"], "expected_interval_s": 0},
        )
    assert {"accepted_crc", "expected_interval_s"} <= set(err.value.message_dict)
    services.create_point(personas.environment, {**POINT, "plant": personas.plant_a})
    with pytest.raises(ValidationError) as err:
        services.create_point(personas.environment, {**POINT, "plant": personas.plant_b})
    assert "mn" in err.value.message_dict


def quarantined(mn="UNKNOWN-MN-9", pw="123456"):
    raw = codec.encode(
        {
            "qn": "20260301100000000",
            "st": "22",
            "cn": "2051",
            "pw": pw,
            "mn": mn,
            "flag": 4,
            "data_time": dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
            "values": {"a21026": {"avg": 123.4, "flag": "N"}, "a34013": {"avg": 8.5, "flag": "N"}},
        }
    )
    return QuarantinedPacket.objects.create(
        received_at=T0, mn=mn, cn="2051", reason="unknown_mn", raw=raw.decode().rstrip("\r\n")
    )


@pytest.mark.django_db
def test_assigning_a_packet_stores_its_readings_under_the_point(personas):
    point = point_of(personas, personas.plant_a, "MN-A-001")
    packet = quarantined()
    services.assign_packet(personas.environment, packet, point, "数采仪更换，MN未更新")
    packet.refresh_from_db()
    assert (packet.status, packet.point, packet.reviewed_by) == ("assigned", point, personas.environment)
    readings = {r.factor: r for r in Reading.objects.filter(point=point)}
    assert set(readings) == {"a21026", "a34013"}
    assert readings["a21026"].avg == 123.4
    assert readings["a21026"].kind == "min"
    assert readings["a21026"].data_time == T0  # 10:00 Beijing time
    assert not readings["a21026"].computed
    event = events(packet, "transition").get()
    assert event.after["readings_offered"] == 2
    assert event.reason == "数采仪更换，MN未更新"
    with pytest.raises(ValidationError):
        services.assign_packet(personas.environment, packet, point)


@pytest.mark.django_db
def test_dismissing_a_packet_keeps_it(personas):
    packet = quarantined()
    services.dismiss_packet(personas.environment, packet, "测试报文")
    packet.refresh_from_db()
    assert packet.status == "dismissed" and packet.raw
    assert events(packet, "transition").get().reason == "测试报文"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["ent_a", "city"])
def test_only_the_regulators_review_the_quarantine(personas, who):
    point = point_of(personas, personas.plant_a, "MN-A-001")
    packet = quarantined()
    with pytest.raises(PermissionDenied):
        services.assign_packet(personas.users[who], packet, point)
    with pytest.raises(PermissionDenied):
        services.dismiss_packet(personas.users[who], packet)
    packet.refresh_from_db()
    assert packet.status == "open"
    assert not Reading.objects.exists()
