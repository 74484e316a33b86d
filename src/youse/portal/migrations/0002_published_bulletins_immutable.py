"""A published bulletin is never changed, by any code: the database refuses an UPDATE of a published row
on both engines (and a DELETE on PostgreSQL; on SQLite the model refuses, for the reason given in capacity
migration 0002). Drafts stay editable: publishing is the UPDATE of a draft row."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER portal_bulletin_published_no_update BEFORE UPDATE ON portal_bulletin
       WHEN OLD.status = 'published'
       BEGIN SELECT RAISE(ABORT, 'published bulletins are never changed'); END""",
]
SQLITE_DROP = ["DROP TRIGGER portal_bulletin_published_no_update"]
POSTGRES = [
    """CREATE FUNCTION portal_bulletin_published_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.status = 'published' THEN
           RAISE EXCEPTION 'published bulletins are never changed';
         END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER portal_bulletin_published_immutable BEFORE UPDATE OR DELETE
       ON portal_bulletin FOR EACH ROW EXECUTE FUNCTION portal_bulletin_published_immutable()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER portal_bulletin_published_immutable ON portal_bulletin",
    "DROP FUNCTION portal_bulletin_published_immutable()",
]


def forwards(apps, schema_editor):
    for sql in POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
