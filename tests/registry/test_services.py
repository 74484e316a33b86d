"""The registry's service functions: validation naming the field, nothing half-written, scope, audit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from youse.core.models import AuditEvent
from youse.registry import services
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange
from youse.registry.rules import make_credit_code


def enterprise_data(**overrides):
    data = {
        "name": "神木示范铝业有限公司",
        "credit_code": make_credit_code("91610881MA0000009"),
        "division": "610881",
        "ownership": "private",
    }
    data.update(overrides)
    return data


def errors_of(exc_info) -> dict:
    return exc_info.value.message_dict


def test_it_creates_an_enterprise_with_its_audit_event(personas):
    ent = services.create_enterprise(personas.department, enterprise_data(), reason="new registration")
    event = AuditEvent.objects.get(object_id=str(ent.pk), content_type__model="enterprise")
    assert event.action == "create"
    assert event.actor == personas.department
    assert event.after["credit_code"] == ent.credit_code
    assert event.reason == "new registration"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"credit_code": "91610881MA000000912"}, "credit_code", "18 characters"),
        ({"credit_code": make_credit_code("91610881MA0000009")[:-1] + "0"}, "credit_code", "check character"),
        ({"division": "619999"}, "division", "Unknown division"),
        ({"ownership": "pirate"}, "ownership", "not a valid choice"),
        ({"name": ""}, "name", "cannot be blank"),
        ({"colour": "red"}, "colour", "cannot be set"),
    ],
)
def test_it_rejects_bad_enterprise_input_naming_the_field(personas, overrides, field, message):
    before = Enterprise.objects.count()
    with pytest.raises(ValidationError) as exc_info:
        services.create_enterprise(personas.department, enterprise_data(**overrides))
    assert field in errors_of(exc_info)
    assert message in " ".join(errors_of(exc_info)[field])
    assert Enterprise.objects.count() == before


def test_it_refuses_a_duplicate_credit_code(personas):
    with pytest.raises(ValidationError) as exc_info:
        services.create_enterprise(personas.department, enterprise_data(credit_code=personas.enterprise_a.credit_code))
    assert "credit_code" in errors_of(exc_info)


def test_it_lets_a_city_register_only_on_its_own_ground(personas):
    ent = services.create_enterprise(personas.city, enterprise_data())
    assert ent.division.prefecture.code == "610800"
    with pytest.raises(ValidationError) as exc_info:
        services.create_enterprise(
            personas.city,
            enterprise_data(name="宝鸡另一家", credit_code=make_credit_code("91610300MA0000008"), division="610300"),
        )
    assert "division" in errors_of(exc_info)
    assert AuditEvent.objects.filter(action="refused", actor=personas.city).exists()


def test_it_refuses_enterprises_and_provincial_units_creating_enterprises(personas):
    for user in (personas.ent_a, personas.environment):
        with pytest.raises(PermissionDenied):
            services.create_enterprise(user, enterprise_data())
    assert AuditEvent.objects.filter(action="refused", actor=personas.ent_a).count() == 1


def test_it_lets_an_enterprise_edit_only_its_own_contact_details(personas):
    services.update_enterprise(personas.ent_a, personas.enterprise_a, {"contact_phone": "0912-1234567"})
    personas.enterprise_a.refresh_from_db()
    assert personas.enterprise_a.contact_phone == "0912-1234567"
    with pytest.raises(PermissionDenied):
        services.update_enterprise(personas.ent_a, personas.enterprise_a, {"name": "改名"})
    with pytest.raises(Http404):
        services.update_enterprise(personas.ent_a, personas.enterprise_b, {"contact_phone": "1"})
    refused = AuditEvent.objects.filter(action="refused", actor=personas.ent_a)
    assert refused.count() == 2
    assert any("outside the user's scope" in e.reason for e in refused)


def test_it_records_before_and_after_on_update(personas):
    services.update_enterprise(personas.department, personas.enterprise_a, {"employees": 321}, reason="年报")
    event = AuditEvent.objects.filter(action="update").latest("id")
    assert event.before["employees"] is None
    assert event.after["employees"] == 321
    assert ("employees", None, 321) in event.changes


def test_it_writes_no_event_when_nothing_changes(personas):
    count = AuditEvent.objects.count()
    services.update_enterprise(personas.department, personas.enterprise_a, {"name": personas.enterprise_a.name})
    assert AuditEvent.objects.count() == count


def test_it_requires_a_unit_for_every_capacity(personas):
    data = {"name": "二线", "metal": "Mg", "stage": "smelting", "product": "原镁", "design_capacity": "20000"}
    with pytest.raises(ValidationError) as exc_info:
        services.create_unit(personas.department, personas.plant_a, data)
    assert "capacity_unit" in errors_of(exc_info)
    with pytest.raises(ValidationError) as exc_info:
        services.create_unit(
            personas.department, personas.plant_a, {**data, "capacity_unit": "kg", "design_capacity": "-5"}
        )
    assert {"capacity_unit", "design_capacity"} <= set(errors_of(exc_info))
    assert ProductionUnit.objects.filter(plant=personas.plant_a).count() == 1


def test_it_requires_both_coordinates_or_neither(personas):
    with pytest.raises(ValidationError) as exc_info:
        services.create_plant(
            personas.department, personas.enterprise_a, {"name": "二厂", "division": "610822", "latitude": "39"}
        )
    assert "longitude" in errors_of(exc_info)
    with pytest.raises(ValidationError) as exc_info:
        services.create_plant(
            personas.department,
            personas.enterprise_a,
            {"name": "二厂", "division": "610822", "latitude": "139", "longitude": "111"},
        )
    assert "latitude" in errors_of(exc_info)
    assert Plant.objects.filter(enterprise=personas.enterprise_a).count() == 1


def test_it_moves_a_unit_along_its_life_cycle_with_history(personas):
    unit = personas.unit_a
    services.change_unit_status(
        personas.city, unit, "idle", effective_on=dt.date(2024, 1, 1), document="府工信〔2024〕3号", reason="停产检修"
    )
    unit.refresh_from_db()
    assert (unit.status, unit.status_since) == ("idle", dt.date(2024, 1, 1))
    change = UnitStatusChange.objects.filter(unit=unit).first()
    assert (change.from_status, change.to_status, change.document) == ("operating", "idle", "府工信〔2024〕3号")
    event = AuditEvent.objects.filter(action="transition").latest("id")
    assert event.before["status"] == "operating" and event.after["status"] == "idle"


@pytest.mark.parametrize(
    ("to_status", "effective_on", "field"),
    [
        ("planned", dt.date(2024, 1, 1), "status"),
        ("operating", dt.date(2024, 1, 1), "status"),
        ("idle", dt.date(2018, 1, 1), "effective_on"),
        ("idle", dt.date(2999, 1, 1), "effective_on"),
    ],
)
def test_it_refuses_illegal_transitions_and_writes_nothing(personas, to_status, effective_on, field):
    unit = personas.unit_a
    history = UnitStatusChange.objects.filter(unit=unit).count()
    with pytest.raises(ValidationError) as exc_info:
        services.change_unit_status(personas.department, unit, to_status, effective_on=effective_on)
    assert field in errors_of(exc_info)
    unit.refresh_from_db()
    assert unit.status == "operating"
    assert UnitStatusChange.objects.filter(unit=unit).count() == history


def test_it_keeps_exited_units_exited(personas):
    services.change_unit_status(
        personas.department, personas.unit_b, "exited", effective_on=dt.date(2024, 6, 1), document="宝工信〔2024〕9号"
    )
    with pytest.raises(ValidationError, match="final"):
        services.change_unit_status(personas.department, personas.unit_b, "operating", effective_on=dt.date(2024, 7, 1))


def test_it_refuses_status_edits_outside_transitions(personas):
    with pytest.raises(ValidationError) as exc_info:
        services.update_unit(personas.department, personas.unit_a, {"status": "exited"})
    assert "status" in errors_of(exc_info)


def test_it_refuses_another_citys_unit_as_not_found(personas):
    with pytest.raises(Http404):
        services.change_unit_status(personas.city, personas.unit_b, "idle")
    personas.unit_b.refresh_from_db()
    assert personas.unit_b.status == "operating"


def test_it_requires_the_deciding_document_for_approval_and_exit(personas):
    with pytest.raises(ValidationError) as exc_info:
        services.change_unit_status(personas.department, personas.unit_a, "exited", effective_on=dt.date(2024, 6, 1))
    assert "document" in errors_of(exc_info)
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.status == "operating"


def test_it_explains_an_illegal_transition_in_the_users_language(personas):
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as exc_info:
        services.change_unit_status(personas.department, personas.unit_a, "planned", effective_on=dt.date(2024, 6, 1))
    message = errors_of(exc_info)["status"][0]
    assert "运行" in message and "Operating" not in message


def test_it_names_the_field_when_a_required_reference_is_cleared(personas):
    for update, obj in ((services.update_enterprise, personas.enterprise_a), (services.update_plant, personas.plant_a)):
        with pytest.raises(ValidationError) as exc_info:
            update(personas.city, obj, {"division": None})
        assert "division" in errors_of(exc_info)
