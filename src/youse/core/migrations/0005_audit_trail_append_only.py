"""The audit trail is append-only in the database itself, as the capacity journal is: whatever code, or
person at a SQL prompt, tries to change an event is refused, on both engines; on PostgreSQL a DELETE is
refused too.

One UPDATE stays allowed: setting the actor to NULL and nothing else, which is what the database does when
a user is deleted (the actor's foreign key is SET_NULL; users are normally deactivated, not deleted). The
event keeps the actor's user name and role in columns of its own.

SQLite gets no DELETE trigger: Django empties SQLite tables with DELETE FROM (test flushes), where
PostgreSQL uses TRUNCATE, which row triggers do not see. The admin refuses deletes on both.

A later migration that must rewrite events (it should not) drops and recreates these triggers."""

from django.db import migrations

MESSAGE = "audit events are append-only"

POSTGRES = [
    f"""CREATE FUNCTION core_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
            AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
           RETURN NEW;  -- the user was deleted (on_delete=SET_NULL)
         END IF;
         RAISE EXCEPTION '{MESSAGE}';
       END $$""",
    """CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
       FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER core_auditevent_append_only ON core_auditevent",
    "DROP FUNCTION core_auditevent_append_only()",
]
SQLITE_DROP = ["DROP TRIGGER core_auditevent_no_update"]


def _sqlite(apps) -> list[str]:
    model = apps.get_model("core", "AuditEvent")
    others = [f.column for f in model._meta.concrete_fields if f.column != "actor_id"]
    unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in others)
    return [
        f"""CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
           WHEN NOT (NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL AND {unchanged})
           BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
    ]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else _sqlite(apps)
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_target_base_year")]

    operations = [migrations.RunPython(forwards, backwards)]
