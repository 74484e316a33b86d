"""The indicators' cache key follows the audited acts that change data, not sign-ins: a sign-in used to
make every cached figure stale (the load test's department dashboard took seconds while users signed in)."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from youse.core import audit
from youse.core.models import AuditEvent
from youse.stats.indicators import data_version

pytestmark = pytest.mark.django_db


def test_a_sign_in_leaves_the_data_version_alone(personas):
    before = data_version()
    response = Client().post("/accounts/login/", {"username": "gxt", "password": PASSWORD})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).exists()
    assert data_version() == before


def test_a_refused_act_or_a_token_leaves_it_alone(personas):
    before = data_version()
    for action in (AuditEvent.Action.REFUSED, AuditEvent.Action.TOKEN, AuditEvent.Action.SIGN_IN_FAILED):
        audit.record(personas.department, action, personas.department)
    assert data_version() == before


def test_a_change_moves_it(personas):
    before = data_version()
    event = audit.record(personas.department, AuditEvent.Action.UPDATE, personas.enterprise_a)
    assert data_version() == event.pk != before
