"""The audit trail refuses changes in the database itself (core migration 0005), whatever code or SQL
prompt tries; only a deleted user's events lose their link to the account (and keep the name)."""

import pytest
from django.db import DatabaseError, connection, transaction

from youse.core import audit
from youse.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _event(personas) -> AuditEvent:
    audit.record(personas.department, AuditEvent.Action.UPDATE, personas.enterprise_a, reason="复核")
    return AuditEvent.objects.latest("id")


def _refused(fn) -> str:
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        fn()
    return str(refused.value)


def test_an_event_cannot_be_changed_through_the_orm_or_sql(personas):
    event = _event(personas)
    assert "append-only" in _refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(reason="改写"))
    event.actor_username = "someone-else"
    assert "append-only" in _refused(lambda: event.save())

    def by_sql():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditevent SET actor_id = NULL, reason = %s WHERE id = %s", ["x", event.pk])

    assert "append-only" in _refused(by_sql)  # clearing the actor does not cover other changes
    assert AuditEvent.objects.get(pk=event.pk).reason == "复核"


def test_deleting_a_user_keeps_the_events_with_the_name(personas):
    from youse.core import services as cs
    from youse.core.roles import Role

    clerk = cs.create_user(personas.department, "clerk-to-go", Role.DEPARTMENT, password="Clerk-password-2026")
    audit.record(clerk, AuditEvent.Action.UPDATE, personas.enterprise_a, reason="任职期间")
    event = AuditEvent.objects.filter(actor=clerk).latest("id")
    clerk.delete()
    event.refresh_from_db()
    assert event.actor_id is None and event.actor_username == "clerk-to-go" and event.reason == "任职期间"


def test_an_event_cannot_be_deleted_on_postgresql(personas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for Django's test flushes (see the migration); PostgreSQL refuses it")
    event = _event(personas)
    assert "append-only" in _refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())
    assert AuditEvent.objects.filter(pk=event.pk).exists()
