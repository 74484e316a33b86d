"""The demo's monitoring points: a stack per smelting plant of the metals with emission standards, a
wastewater outlet at lead and zinc smelters, registered by the environment department, deterministic."""

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count, Max, Min
from django.test import override_settings
from django.utils import timezone

from youse.core.models import AuditEvent, User
from youse.core.scopes import visible
from youse.demo import monitoring as demo_monitoring
from youse.demo.generator import build
from youse.demo.models import DemoDataset
from youse.monitoring.hj212 import simulator
from youse.monitoring.models import Alarm, AlarmKind, Limit, MonitoringPoint, Reading, ReadingKind
from youse.registry.models import ProductionUnit


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build(42, 1, reports=False)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = pytest.mark.usefixtures("demo")


def test_it_registers_a_stack_at_every_smelting_plant_of_the_covered_metals(db):
    smelting = set(
        ProductionUnit.objects.filter(stage__code="smelting", metal__code__in=list(demo_monitoring.OUTLETS))
        .exclude(status__in=["planned", "exited"])
        .values_list("plant_id", flat=True)
    )
    gas = set(MonitoringPoint.objects.filter(medium="gas").values_list("plant_id", flat=True))
    assert smelting and gas == smelting
    assert MonitoringPoint.objects.filter(medium="gas").count() == len(smelting)  # one stack per plant
    water = MonitoringPoint.objects.filter(medium="water")
    assert water.exists() and all(p.standard == "GB 25466-2010" for p in water)
    assert DemoDataset.objects.get().counts["monitoring_points"] == MonitoringPoint.objects.count()


def test_its_points_name_limit_rows_that_exist_for_aluminium_and_lead_zinc(db):
    for standard in ("GB 25465-2010", "GB 25466-2010"):
        points = MonitoringPoint.objects.filter(standard=standard)
        assert points.exists()
        for p in points:
            assert Limit.objects.filter(standard=p.standard, plant_type=p.plant_type).exists(), p


def test_its_mns_are_24_characters_unique_and_some_loggers_sign_with_modbus(db):
    mns = list(MonitoringPoint.objects.values_list("mn", flat=True))
    assert all(len(mn) == 24 for mn in mns) and len(set(mns)) == len(mns)
    assert all(p.pw.isdigit() and len(p.pw) == 6 for p in MonitoringPoint.objects.all())
    modbus = [p for p in MonitoringPoint.objects.all() if p.accepted_crc == ["modbus"]]
    assert 0 < len(modbus) < len(mns)


def test_its_mns_follow_from_the_seed(db):
    point = MonitoringPoint.objects.select_related("plant__division").order_by("pk").first()
    assert demo_monitoring.mn_for(42, point.plant, 1) == point.mn
    assert demo_monitoring.mn_for(43, point.plant, 1) != point.mn


def test_the_environment_department_registered_them_and_each_persona_enterprise_has_one(db):
    hbt = User.objects.get(username="hbt")
    assert (
        AuditEvent.objects.filter(
            actor=hbt, action=AuditEvent.Action.CREATE, content_type__model="monitoringpoint"
        ).count()
        == MonitoringPoint.objects.count()
    )
    for username in ("ent-a", "ent-b"):
        user = User.objects.get(username=username)
        own = visible(user, MonitoringPoint)
        assert own.exists() and all(p.plant.enterprise_id == user.enterprise_id for p in own)


def test_every_point_has_the_hourly_data_of_seven_days_and_the_minute_data_of_three_hours(db):
    points = MonitoringPoint.objects.count()
    for kind, per_point, step in (
        (ReadingKind.HOUR, 7 * 24, dt.timedelta(hours=1)),
        (ReadingKind.MINUTE, 180, dt.timedelta(minutes=1)),
    ):
        spans = (
            Reading.objects.filter(kind=kind)
            .values("point")
            .annotate(times=Count("data_time", distinct=True), first=Min("data_time"), last=Max("data_time"))
        )
        assert len(spans) == points
        for span in spans:
            assert span["times"] == per_point, (kind, span)
            assert span["last"] - span["first"] == (per_point - 1) * step  # no gaps
    hours = Reading.objects.filter(kind=ReadingKind.HOUR)
    last_hour = hours.aggregate(m=Max("data_time"))["m"]
    assert last_hour.minute == 0
    # The minute data reaches past the last whole hour: it runs up to the build.
    assert Reading.objects.filter(kind=ReadingKind.MINUTE, data_time__gt=last_hour).exists()


def test_the_history_is_reported_by_loggers_never_computed_and_never_in_the_future(db):
    now = timezone.now()
    assert Reading.objects.exists()
    assert not Reading.objects.filter(computed=True).exists()
    assert not Reading.objects.filter(data_time__gt=now).exists()
    assert not Reading.objects.filter(received_at__gt=now).exists()
    # A logger uploads a period after it ends.
    hour = Reading.objects.filter(kind=ReadingKind.HOUR).order_by("data_time").first()
    assert hour.received_at >= hour.data_time + dt.timedelta(hours=1)
    assert None not in (hour.avg, hour.min, hour.max) and hour.min <= hour.avg <= hour.max


def test_the_history_figures_are_the_simulated_loggers_for_the_seed(db):
    point = MonitoringPoint.objects.filter(standard="GB 25466-2010", medium="gas").order_by("pk").first()
    reading = Reading.objects.filter(point=point, kind=ReadingKind.HOUR, factor="a21026").order_by("data_time")[3]
    device = demo_monitoring.device_for(point)
    fields = simulator.fields_for(42, device, "2061", reading.data_time, qn_ms=1)
    expected = fields["values"]["a21026"]
    assert (reading.avg, reading.min, reading.max, reading.flag) == (
        expected["avg"],
        expected["min"],
        expected["max"],
        expected["flag"],
    )
    # Another seed gives other figures: not at every hour (two seeds can meet, or sit on the same clamp),
    # but over a day of hours.
    day = Reading.objects.filter(point=point, kind=ReadingKind.HOUR, factor="a21026").order_by("data_time")[:24]
    others = [simulator.fields_for(43, device, "2061", r.data_time, qn_ms=1)["values"]["a21026"]["avg"] for r in day]
    assert others != [r.avg for r in day]


def test_the_demo_starts_with_exceedance_alarms_that_have_a_start_an_end_and_a_peak(db):
    exceedances = Alarm.objects.filter(kind=AlarmKind.EXCEEDANCE)
    closed = exceedances.exclude(ended_at=None)
    assert closed.exists()
    for alarm in closed:
        assert alarm.started_at < alarm.ended_at <= timezone.now()
        assert alarm.peak is not None and alarm.limit is not None and alarm.peak > alarm.limit
    assert Alarm.objects.exclude(kind=AlarmKind.EXCEEDANCE).exists()  # instrument flags in the minute data
