"""The admin: reference data editable by the department's staff and audited; the registry view-only."""

import pytest
from django.contrib.contenttypes.models import ContentType

from youse.core import services as core_services
from youse.core.models import AuditEvent, ClauseResponsibility, Metal, PolicyClause, ResponsibleUnit, User
from youse.core.roles import Role
from youse.registry.models import Enterprise, ProductionUnit

PASSWORD = "youse-test-password"


def metal_form(metal: Metal, **changes) -> dict:
    data = {
        "name": metal.name,
        "name_en": metal.name_en,
        "source": metal.source,
        "code": metal.code,
        "symbol": metal.symbol,
        "color": metal.color,
        "order": metal.order,
        "audit_reason": "",
    }
    if metal.policy_metal:
        data["policy_metal"] = "on"
    if metal.verified:
        data["verified"] = "on"
    data.update(changes)
    return data


def events_for(obj) -> list[AuditEvent]:
    ct = ContentType.objects.get_for_model(type(obj))
    return list(AuditEvent.objects.filter(content_type=ct, object_id=str(obj.pk)))


def test_it_audits_an_admin_edit_of_a_metal(personas):
    metal = Metal.objects.get(code="V")
    client = personas.client("department")
    response = client.post(
        f"/admin/core/metal/{metal.pk}/change/",
        metal_form(metal, name_en="Vanadium (V)", audit_reason="English name per the 2024 catalogue"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    metal.refresh_from_db()
    assert metal.name_en == "Vanadium (V)"
    [event] = events_for(metal)
    assert event.action == AuditEvent.Action.UPDATE
    assert event.channel == AuditEvent.Channel.ADMIN
    assert event.actor == personas.department
    assert event.reason == "English name per the 2024 catalogue"
    assert event.changes == [("name_en", "Vanadium", "Vanadium (V)")]


def test_it_writes_no_audit_event_when_nothing_changed(personas):
    metal = Metal.objects.get(code="Mo")
    response = personas.client("department").post(f"/admin/core/metal/{metal.pk}/change/", metal_form(metal))
    assert response.status_code == 302
    assert events_for(metal) == []


def test_it_audits_admin_creation_and_deletion(personas):
    client = personas.client("department")
    response = client.post(
        "/admin/core/metal/add/",
        {
            "name": "锡",
            "name_en": "Tin",
            "source": "test",
            "code": "Sn",
            "symbol": "Sn",
            "color": "#777777",
            "order": 20,
        },
    )
    assert response.status_code == 302
    tin = Metal.objects.get(code="Sn")
    pk = tin.pk
    [created] = events_for(tin)
    assert created.action == AuditEvent.Action.CREATE and created.after["name_en"] == "Tin"
    response = client.post(f"/admin/core/metal/{pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Metal.objects.filter(pk=pk).exists()
    deleted = AuditEvent.objects.get(action=AuditEvent.Action.DELETE, object_id=str(pk))
    assert deleted.before["code"] == "Sn" and deleted.after is None


def test_it_audits_clause_responsibilities_edited_inline(personas):
    clause = PolicyClause.objects.get(number="三(八)")
    [resp] = clause.responsibilities.all()
    fgw = ResponsibleUnit.objects.get(code="fgw")
    data = {
        "number": clause.number,
        "title": clause.title,
        "title_en": clause.title_en,
        "requires": clause.requires,
        "platform_duty": clause.platform_duty,
        "module": clause.module,
        "order": clause.order,
        "source": clause.source,
        "verified": "on",
        "audit_reason": "",
        "responsibilities-TOTAL_FORMS": "2",
        "responsibilities-INITIAL_FORMS": "1",
        "responsibilities-MIN_NUM_FORMS": "0",
        "responsibilities-MAX_NUM_FORMS": "1000",
        "responsibilities-0-id": resp.pk,
        "responsibilities-0-clause": clause.pk,
        "responsibilities-0-unit": resp.unit_id,
        "responsibilities-0-lead": "on",
        "responsibilities-0-order": "0",
        "responsibilities-1-clause": clause.pk,
        "responsibilities-1-unit": fgw.pk,
        "responsibilities-1-order": "1",
    }
    response = personas.client("department").post(f"/admin/core/policyclause/{clause.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ClauseResponsibility.objects.filter(clause=clause, unit=fgw, lead=False).exists()
    [event] = events_for(clause)
    [(field, before, after)] = event.changes
    assert field == "responsibilities"
    assert len(before) == 1 and len(after) == 2
    assert after[1] == {"unit": fgw.pk, "lead": False, "order": 1}


def test_it_audits_user_role_and_scope_changes(personas):
    target = personas.environment
    data = {
        "username": target.username,
        "role": Role.CITY,
        "division": personas.division["610300"].pk,
        "display_name": "宝鸡市工信局",
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
        "audit_reason": "调任宝鸡",
    }
    response = personas.client("department").post(f"/admin/core/user/{target.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    target.refresh_from_db()
    assert target.role == Role.CITY and target.division.code == "610300"
    event = [e for e in events_for(target) if e.channel == AuditEvent.Channel.ADMIN][0]
    changes = {f: (b, a) for f, b, a in event.changes}
    assert changes["role"] == (Role.PROVINCIAL_UNIT, Role.CITY)
    assert changes["division"] == (None, personas.division["610300"].pk)
    assert "password" not in event.after
    assert event.reason == "调任宝鸡"


def test_it_refuses_a_city_user_without_a_city_in_the_admin(personas):
    target = personas.environment
    data = {
        "username": target.username,
        "role": Role.CITY,
        "is_active": "on",
        "date_joined_0": "2024-01-01",
        "date_joined_1": "00:00:00",
    }
    response = personas.client("department").post(f"/admin/core/user/{target.pk}/change/", data)
    assert response.status_code == 200  # the form comes back with the error
    target.refresh_from_db()
    assert target.role == Role.PROVINCIAL_UNIT
    assert not [e for e in events_for(target) if e.channel == AuditEvent.Channel.ADMIN]


def test_it_keeps_superuser_rights_away_from_department_staff(personas):
    response = personas.client("department").get(f"/admin/core/user/{personas.city.pk}/change/")
    assert response.status_code == 200
    assert 'name="is_superuser"' not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/registry/enterprise/add/",
        "/admin/registry/plant/add/",
        "/admin/registry/productionunit/add/",
        "/admin/registry/unitstatuschange/add/",
    ],
)
def test_it_offers_no_registry_additions_in_the_admin(personas, url):
    assert personas.client("department").get(url).status_code == 403


def test_it_shows_registry_rows_read_only_in_the_admin(personas):
    client = personas.client("department")
    ent = personas.enterprise_a
    page = client.get(f"/admin/registry/enterprise/{ent.pk}/change/")
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # no input: read-only
    response = client.post(f"/admin/registry/enterprise/{ent.pk}/change/", {"name": "改名企业"})
    assert response.status_code == 403
    ent.refresh_from_db()
    assert ent.name == "府谷示范镁业有限公司"
    unit = personas.unit_a
    assert client.post(f"/admin/registry/productionunit/{unit.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ProductionUnit.objects.filter(pk=unit.pk).exists()
    assert Enterprise.objects.count() == 2


def test_it_keeps_the_audit_trail_read_only_in_the_admin(personas):
    event = AuditEvent.objects.first()
    client = personas.client("department")
    assert client.get("/admin/core/auditevent/").status_code == 200
    assert client.post(f"/admin/core/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_it_keeps_other_staff_out_of_the_admin(personas):
    city_staff = core_services.create_user(
        None, "yulin-staff", Role.CITY, password=PASSWORD, division=personas.division["610800"], is_staff=True
    )
    from django.test import Client

    client = Client()
    client.force_login(city_staff)
    assert client.get("/admin/core/metal/").status_code == 403
    assert User.objects.filter(username="yulin-staff").exists()


def test_it_titles_the_admin_with_the_platform(personas):
    html = personas.client("department", language="zh-hans").get("/admin/").content.decode()
    assert "陕西省" in html
    assert "/admin/core/metal/" in html
