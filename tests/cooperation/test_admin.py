"""The host countries are reference data: the department's staff edit them in the admin, audited;
projects are view-only there."""

import pytest
from django.urls import reverse

from youse.cooperation.models import Country, OverseasProject
from youse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_country_change_in_the_admin_is_audited(personas):
    kz = Country.objects.get(code="KZ")
    client = personas.client("department")
    data = {
        "name": "哈萨克斯坦共和国",
        "name_en": kz.name_en,
        "code": "KZ",
        "region": kz.region,
        "belt_and_road": "on",
        "order": kz.order,
        "source": kz.source,
        "verified": "on",
        "audit_reason": "按外交部国家名称更正",
    }
    response = client.post(reverse("admin:cooperation_country_change", args=[kz.pk]), data)
    assert response.status_code == 302, response.content[:2000]
    kz.refresh_from_db()
    assert kz.name == "哈萨克斯坦共和国"
    event = AuditEvent.objects.get(object_id=str(kz.pk), content_type__model="country")
    assert event.before["name"] == "哈萨克斯坦" and event.reason == "按外交部国家名称更正"


def test_projects_are_view_only_in_the_admin(personas, projects):
    client = personas.client("department")
    assert client.get(reverse("admin:cooperation_overseasproject_changelist")).status_code == 200
    assert client.get(reverse("admin:cooperation_overseasproject_add")).status_code == 403
    assert OverseasProject.objects.count() == 3
