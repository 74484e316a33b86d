"""The demo's overseas projects (youse.demo.cooperation), built once per module and rolled back after."""

import pytest
from django.test import Client

from youse.cooperation.models import OverseasProject, Review
from youse.core.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_the_projects_cover_modes_statuses_risks_and_the_registration(demo):
    projects = OverseasProject.objects.all()
    assert projects.count() == 12 == demo.dataset.counts["overseas_projects"]
    assert set(projects.values_list("mode", flat=True)) == {"holding", "stake", "acquisition", "share_swap"}
    filed = projects.filter(filing="filed")
    assert {"approved", "construction", "operating", "suspended", "exited"} <= set(
        filed.values_list("status", flat=True)
    )
    assert set(projects.values_list("risk_level", flat=True)) == {"low", "medium", "high"}
    assert {f: projects.filter(filing=f).count() for f in ("draft", "returned", "submitted")} == {
        "draft": 1,
        "returned": 1,
        "submitted": 1,
    }
    assert Review.objects.filter(project__in=filed).count() >= 10 and filed.filter(flagged=True).exists()
    # Each filed project's status is the last of its history.
    for p in filed:
        assert p.status_changes.order_by("on", "id").last().status_to == p.status


def test_the_enterprise_persona_sees_its_own_projects_only(settings):
    settings.DEBUG = True  # demo personas' sessions hold only while DEBUG is on
    user = User.objects.get(username="ent-a")
    client = Client()
    client.force_login(user)
    response = client.get("/cooperation/")
    assert response.status_code == 200
    shown = {p.enterprise_id for p in response.context["projects"]}
    assert shown == {user.enterprise_id}
