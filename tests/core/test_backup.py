"""deploy/bin/youse-backup and youse-restore against the local PostgreSQL: a real backup and restore.

A scratch database is migrated and filled with the synthetic data set (without the monthly reports), its
media folder holds the demo's evidence files and one file with an awkward name; youse-backup dumps it
into a dated folder, youse-restore puts it into a second scratch database and another media folder, and
every table (the readings partitions too), every sequence and every file must come back the same. Both
databases are dropped at the end. The scripts run as the current user with an environment file of the
test's own, as they would under systemd with /etc/youse/youse.env.

Skipped, with the reason, when pg_dump, pg_restore or psql are missing, the server does not answer, or
the client programs are not the server's major version (pg_dump refuses a newer server)."""

import getpass
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
BACKUP = ROOT / "deploy" / "bin" / "youse-backup"
RESTORE = ROOT / "deploy" / "bin" / "youse-restore"

_server = urlsplit(os.environ.get("TEST_DATABASE_URL") or "postgresql://postgres@127.0.0.1:5432/postgres")
PG = {
    "PGHOST": _server.hostname or "127.0.0.1",
    "PGPORT": str(_server.port or 5432),
    "PGUSER": _server.username or "postgres",
    **({"PGPASSWORD": _server.password} if _server.password else {}),
}
SUFFIX = f"{os.getpid()}"
SOURCE = f"youse_backup_src_{SUFFIX}"
TARGET = f"youse_backup_dst_{SUFFIX}"
AWKWARD = '证据 it\'s a "file" $(true).txt'


def db_url(name: str) -> str:
    auth = PG["PGUSER"] + (f":{PG['PGPASSWORD']}" if "PGPASSWORD" in PG else "")
    return f"postgresql://{auth}@{PG['PGHOST']}:{PG['PGPORT']}/{name}"


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c", sql],
        env={**os.environ, **PG},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def why_not() -> str | None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        # The scripts back up PostgreSQL only; the suite's PostgreSQL pass (make test-postgres) runs this
        # once rather than both passes building a demo database for it.
        return "backup and restore are tested in the PostgreSQL pass (DATABASE_URL=postgresql://...)"
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt-get install postgresql-client)"
    try:
        server = int(psql("SHOW server_version_num")) // 10000
    except (AssertionError, OSError, subprocess.TimeoutExpired) as exc:
        return f"no PostgreSQL server at {PG['PGHOST']}:{PG['PGPORT']}: {exc}"
    version = subprocess.run(["pg_dump", "--version"], capture_output=True, text=True).stdout
    client = int(re.search(r"(\d+)", version).group(1))
    if client != server:
        return f"pg_dump is version {client}, the server {server}: pg_dump needs the server's major version"
    return None


REASON = why_not()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def youse(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "django", *command], env=env, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]


def run_script(script: Path, args: list[str], env_file: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(script), *args],
        env={
            "PATH": os.environ["PATH"],
            "YOUSE_USER": getpass.getuser(),
            "YOUSE_ENV_FILE": str(env_file),
            "YOUSE_PYTHON": sys.executable,
        },
        capture_output=True,
        text=True,
        timeout=900,
    )


def write_env(path: Path, database: str, var_dir: Path) -> Path:
    path.write_text(
        "# the test's /etc/youse/youse.env\n"
        f"DATABASE_URL={db_url(database)}\n"
        f"YOUSE_VAR_DIR={var_dir}\n"
        f"YOUSE_MEDIA_ROOT={var_dir / 'media'}\n",
        encoding="utf-8",
    )
    return path


def tables(database: str) -> list[str]:
    return psql(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1",
        database,
    ).splitlines()


def contents(database: str) -> dict[str, str]:
    """Every table's row count and a digest of its rows in a fixed order."""
    parts = [
        f"SELECT '{name}', count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM \"{name}\" t"
        for name in tables(database)
    ]
    rows = psql(" UNION ALL ".join(parts), database).splitlines()
    return {row.split("|")[0]: row.split("|", 1)[1] for row in rows}


def files(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A migrated database with the demo data and its evidence files, and its environment file."""
    var = tmp_path_factory.mktemp("source-var")
    env_file = write_env(var / "youse.env", SOURCE, var)
    psql(f'CREATE DATABASE "{SOURCE}" TEMPLATE template0 ENCODING UTF8')
    try:
        env = {
            **os.environ,
            "DATABASE_URL": db_url(SOURCE),
            "YOUSE_VAR_DIR": str(var),
            "YOUSE_MEDIA_ROOT": str(var / "media"),
            "YOUSE_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "youse.settings",
        }
        youse(["migrate", "--noinput", "-v0"], env)
        youse(["demo", "--no-reports"], env)
        odd = var / "media" / "evidence" / "with space"
        odd.mkdir(parents=True)
        (odd / AWKWARD).write_text("陕西 — evidence\n", encoding="utf-8")
        yield env_file, var
    finally:
        for name in (SOURCE, TARGET):
            psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_it_restores_every_row_sequence_and_file(source, tmp_path):
    env_file, var = source
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "2020-01-01T000000Z").mkdir()  # a dated folder older than --keep: deleted after success
    (backups / "not-a-backup").mkdir()  # anything else in the directory is left alone

    result = run_script(BACKUP, ["--dir", str(backups), "--keep", "14"], env_file)
    assert result.returncode == 0, result.stderr
    (folder,) = [p for p in backups.iterdir() if re.fullmatch(r"\d{4}-\d\d-\d\dT\d{6}Z", p.name)]
    assert sorted(p.name for p in backups.iterdir() if not p.name.startswith(".")) == sorted(
        [folder.name, "not-a-backup"]
    )
    assert {"youse.dump", "media.tar.gz", "MANIFEST", "SHA256SUMS"} <= {p.name for p in folder.iterdir()}
    assert f"database={SOURCE}" in (folder / "MANIFEST").read_text()
    assert oct(folder.stat().st_mode & 0o777) == "0o700"

    psql(f'CREATE DATABASE "{TARGET}" TEMPLATE template0 ENCODING UTF8')
    restored_media = tmp_path / "restored media"
    result = run_script(
        RESTORE, ["--database-url", db_url(TARGET), "--media-root", str(restored_media), str(folder)], env_file
    )
    assert result.returncode == 0, result.stderr

    before, after = contents(SOURCE), contents(TARGET)
    assert len(before) > 100 and "monitoring_reading_default" in before
    assert sorted(after) == sorted(before)
    assert [t for t in before if before[t] != after[t]] == []
    assert int(before["monitoring_reading"].split("|")[0]) > 1000  # the readings partitions came back
    # A few rows by value, and the sequences (a new row after the restore must not collide).
    query = "SELECT username, is_staff FROM core_user WHERE username IN ('gxt', 'yulin') ORDER BY 1"
    assert psql(query, TARGET) == psql(query, SOURCE) != ""
    query = "SELECT credit_code, name FROM registry_enterprise ORDER BY id LIMIT 3"
    assert psql(query, TARGET) == psql(query, SOURCE) != ""
    query = "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
    assert psql(query, TARGET) == psql(query, SOURCE) != ""

    assert files(restored_media) == files(var / "media")
    assert f"evidence/with space/{AWKWARD}" in files(restored_media)

    # Django finds every migration applied in the restored database.
    env = {**os.environ, "DATABASE_URL": db_url(TARGET), "YOUSE_VAR_DIR": str(tmp_path), "YOUSE_DEBUG": "1"}
    youse(["migrate", "--check", "--settings=youse.settings"], env)

    # A second restore into the now full database is refused and changes nothing...
    result = run_script(RESTORE, ["--database-url", db_url(TARGET), "--no-media", str(folder)], env_file)
    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert contents(TARGET) == before
    # ... unless forced; a non-empty media folder is moved aside, not merged into.
    (restored_media / "left over.txt").write_text("x")
    result = run_script(
        RESTORE,
        ["--force", "--database-url", db_url(TARGET), "--media-root", str(restored_media), str(folder)],
        env_file,
    )
    assert result.returncode == 0, result.stderr
    assert contents(TARGET) == before
    assert files(restored_media) == files(var / "media")
    (aside,) = [p for p in tmp_path.iterdir() if p.name.startswith("restored media.before-restore-")]
    assert (aside / "left over.txt").read_text() == "x"


def test_it_refuses_a_folder_changed_since_the_backup(source, tmp_path):
    env_file, _ = source
    result = run_script(BACKUP, ["--dir", str(tmp_path), "--keep", "0"], env_file)
    assert result.returncode == 0, result.stderr
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    with (folder / "media.tar.gz").open("ab") as archive:
        archive.write(b"\0")
    result = run_script(RESTORE, ["--database-url", db_url(TARGET + "_none"), "--no-media", str(folder)], env_file)
    assert result.returncode != 0
    assert "does not match its SHA256SUMS" in result.stderr


def test_it_fails_and_leaves_no_folder_when_the_database_is_unreachable(tmp_path):
    env_file = write_env(tmp_path / "youse.env", f"youse_backup_missing_{SUFFIX}", tmp_path)
    backups = tmp_path / "backups"
    backups.mkdir()
    result = run_script(BACKUP, ["--dir", str(backups)], env_file)
    assert result.returncode != 0
    assert "cannot connect" in result.stderr
    assert [p.name for p in backups.iterdir() if p.name != ".lock"] == []


def test_it_refuses_a_url_that_names_no_postgresql_database(tmp_path):
    env_file = tmp_path / "youse.env"
    env_file.write_text(f"DATABASE_URL=sqlite:///{tmp_path}/youse.sqlite3\n", encoding="utf-8")
    result = run_script(BACKUP, ["--dir", str(tmp_path)], env_file)
    assert result.returncode != 0
    assert "names no PostgreSQL database" in result.stderr
