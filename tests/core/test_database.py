"""The embedded database: SQLite in WAL mode with foreign keys enforced."""

import copy

import pytest
from django.conf import settings
from django.db import connection
from django.db.utils import load_backend


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite settings")
def test_it_opens_sqlite_in_wal_mode_with_foreign_keys(tmp_path, django_db_blocker):
    params = copy.deepcopy(settings.DATABASES["default"])
    params["NAME"] = str(tmp_path / "youse.sqlite3")
    backend = load_backend(params["ENGINE"])
    wrapper = backend.DatabaseWrapper(params, alias="wal-check")
    with django_db_blocker.unblock():
        try:
            with wrapper.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA foreign_keys")
                assert cursor.fetchone()[0] == 1
        finally:
            wrapper.close()
