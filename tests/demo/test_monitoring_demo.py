"""The demo's monitoring points: a stack per smelting plant of the metals with emission standards, a
wastewater outlet at lead and zinc smelters, registered by the environment department, deterministic."""

import pytest
from django.db import transaction
from django.test import override_settings

from youse.core.models import AuditEvent, User
from youse.core.scopes import visible
from youse.demo import monitoring as demo_monitoring
from youse.demo.generator import build
from youse.demo.models import DemoDataset
from youse.monitoring.models import Limit, MonitoringPoint
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
