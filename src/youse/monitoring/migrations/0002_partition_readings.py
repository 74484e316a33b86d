"""On PostgreSQL, monitoring_reading becomes a table range-partitioned by month of data_time, with a
DEFAULT partition so that no row is ever refused (the gateway's store creates the month partitions
that rows need). On SQLite this migration does nothing; the model state is unchanged either way."""

import datetime as dt

from django.db import migrations

TABLE = "monitoring_reading"


def _month_bounds(year, month):
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
    return start.isoformat(), end.isoformat()


def _indexes(cur, table):
    """The table's secondary index definitions and its primary key constraint's name, to be rebuilt
    under the same names (Django's later migrations refer to them by name)."""
    cur.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'", [table])
    pkey = cur.fetchone()[0]
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s",
        [table],
    )
    return [(name, definition) for name, definition in cur.fetchall() if name != pkey], pkey


def _restore(cur, indexes, pkey):
    cur.execute(f"ALTER TABLE {TABLE} ADD CONSTRAINT {pkey} PRIMARY KEY (point_id, kind, data_time, factor)")
    for _name, definition in indexes:
        cur.execute(definition.replace(" ON ONLY ", " ON "))


def partition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        if cur.fetchone():
            return
        indexes, pkey = _indexes(cur, TABLE)
        cur.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_unpartitioned")
        cur.execute(
            f"CREATE TABLE {TABLE} (LIKE {TABLE}_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
            "PARTITION BY RANGE (data_time)"
        )
        cur.execute(f"CREATE TABLE {TABLE}_default PARTITION OF {TABLE} DEFAULT")
        today = dt.date.today()
        index = today.year * 12 + today.month - 1
        for i in range(index - 1, index + 3):
            year, month = divmod(i, 12)
            start, end = _month_bounds(year, month + 1)
            cur.execute(
                f"CREATE TABLE {TABLE}_p{year:04d}{month + 1:02d} PARTITION OF {TABLE} "
                f"FOR VALUES FROM ('{start}') TO ('{end}')"
            )
        cur.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_unpartitioned")
        cur.execute(f"DROP TABLE {TABLE}_unpartitioned")
        _restore(cur, indexes, pkey)


def unpartition(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [TABLE])
        if not cur.fetchone():
            return
        indexes, pkey = _indexes(cur, TABLE)
        cur.execute(f"ALTER TABLE {TABLE} RENAME TO {TABLE}_partitioned")
        cur.execute(
            f"CREATE TABLE {TABLE} (LIKE {TABLE}_partitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cur.execute(f"INSERT INTO {TABLE} SELECT * FROM {TABLE}_partitioned")
        cur.execute(f"DROP TABLE {TABLE}_partitioned CASCADE")
        _restore(cur, indexes, pkey)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(partition, unpartition, elidable=False)]
