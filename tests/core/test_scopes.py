"""The one scoping function: who sees which rows."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from youse.core import scopes
from youse.core.models import AuditEvent
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange

# persona -> which of the two test enterprises (a in Yulin, b in Baoji) its scope holds
EXPECTED = {
    "department": {"a", "b"},
    "environment": {"a", "b"},
    "city": {"a"},
    "ent_a": {"a"},
    "ent_b": {"b"},
    "anonymous": set(),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
@pytest.mark.parametrize("model", [Enterprise, Plant, ProductionUnit, UnitStatusChange])
def test_it_scopes_every_registry_model(personas, persona, model):
    user = personas.users[persona] or AnonymousUser()
    owners = {
        personas.enterprise_a.pk: "a",
        personas.enterprise_b.pk: "b",
    }
    path = {
        Enterprise: "pk",
        Plant: "enterprise_id",
        ProductionUnit: "plant__enterprise_id",
        UnitStatusChange: "unit__plant__enterprise_id",
    }[model]
    seen = {owners[v] for v in scopes.visible(user, model).values_list(path, flat=True)}
    assert seen == EXPECTED[persona]


def test_it_lets_a_city_see_a_plant_on_its_ground_of_an_enterprise_registered_elsewhere(personas):
    from youse.registry import services

    plant = services.create_plant(
        personas.department, personas.enterprise_b, {"name": "榆林分厂", "division": "610881"}
    )
    assert scopes.visible(personas.city, Plant).filter(pk=plant.pk).exists()
    # ... but not the enterprise itself, which is Baoji's.
    assert not scopes.visible(personas.city, Enterprise).filter(pk=personas.enterprise_b.pk).exists()


def test_it_turns_another_scopes_row_into_a_404_and_audits_it(personas):
    with pytest.raises(Http404):
        scopes.get_visible_or_404(personas.ent_a, Enterprise, pk=personas.enterprise_b.pk)
    event = AuditEvent.objects.get(action="refused", actor=personas.ent_a)
    assert event.object_id == str(personas.enterprise_b.pk)


def test_it_sees_nothing_for_inactive_users(personas):
    personas.department.is_active = False
    assert not scopes.visible(personas.department, Enterprise).exists()


def test_it_gives_a_city_its_counties(personas):
    # enterprise_a is registered in 府谷县 (610822), a county of 榆林 (610800).
    assert personas.enterprise_a.division.code == "610822"
    assert scopes.visible(personas.city, Enterprise).filter(pk=personas.enterprise_a.pk).exists()


def test_it_gives_the_environment_department_the_monitoring_capabilities_of_its_unit(personas):
    from youse.core import services
    from youse.core.models import ResponsibleUnit
    from youse.core.roles import Role

    fgw = services.create_user(None, "fgw-x", Role.PROVINCIAL_UNIT, unit=ResponsibleUnit.objects.get(code="fgw"))
    assert scopes.can(personas.environment, "monitoring.manage")
    assert not scopes.can(fgw, "monitoring.manage")
    assert not scopes.can(personas.city, "monitoring.manage")
    scopes.require(personas.environment, "monitoring.manage")
    with pytest.raises(PermissionDenied):
        scopes.require(fgw, "monitoring.manage")
