"""A published announcement version is never changed, by any code: the database refuses an UPDATE of
one on both engines (and a DELETE on PostgreSQL; on SQLite the model refuses, for the reason given in
capacity migration 0002)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER enforcement_announcementversion_no_update BEFORE UPDATE ON enforcement_announcementversion
       BEGIN SELECT RAISE(ABORT, 'published announcement versions are never changed'); END""",
]
SQLITE_DROP = ["DROP TRIGGER enforcement_announcementversion_no_update"]
POSTGRES = [
    """CREATE FUNCTION enforcement_announcementversion_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'published announcement versions are never changed'; END $$""",
    """CREATE TRIGGER enforcement_announcementversion_immutable BEFORE UPDATE OR DELETE
       ON enforcement_announcementversion FOR EACH ROW EXECUTE FUNCTION enforcement_announcementversion_immutable()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER enforcement_announcementversion_immutable ON enforcement_announcementversion",
    "DROP FUNCTION enforcement_announcementversion_immutable()",
]


def forwards(apps, schema_editor):
    for sql in POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    for sql in POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
