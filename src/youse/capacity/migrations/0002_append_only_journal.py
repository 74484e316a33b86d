"""The journal is append-only in the database itself: an UPDATE of a ledger entry aborts on both engines,
and on PostgreSQL so does a DELETE, whatever code (or person at a SQL prompt) tries it.

SQLite gets no DELETE trigger: Django empties SQLite tables with DELETE FROM (test flushes, in no fixed
order), where PostgreSQL uses TRUNCATE, which row triggers do not see. On SQLite, deletes are refused
by the model and its queryset (capacity/models.py); PostgreSQL is the production database."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER capacity_ledgerentry_no_update BEFORE UPDATE ON capacity_ledgerentry
       BEGIN SELECT RAISE(ABORT, 'capacity ledger entries are append-only'); END""",

]
SQLITE_DROP = ["DROP TRIGGER capacity_ledgerentry_no_update"]

POSTGRES = [
    """CREATE FUNCTION capacity_ledgerentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'capacity ledger entries are append-only'; END $$""",
    """CREATE TRIGGER capacity_ledgerentry_append_only BEFORE UPDATE OR DELETE ON capacity_ledgerentry
       FOR EACH ROW EXECUTE FUNCTION capacity_ledgerentry_append_only()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER capacity_ledgerentry_append_only ON capacity_ledgerentry",
    "DROP FUNCTION capacity_ledgerentry_append_only()",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = POSTGRES_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("capacity", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
