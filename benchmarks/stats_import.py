# ruff: noqa: E501  (the child script is kept as one readable block)
"""How long a 100,000-row monthly-report import takes: parse + validate + file (youse.stats.importer),
on a fresh SQLite file and, when DATABASE_URL names a PostgreSQL server, on a fresh database there.

    .venv/bin/python benchmarks/stats_import.py [--rows 100000]
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/stats_import.py

Each run is a child process: migrate, create synthetic enterprises (one operating unit each, through the
registry's service functions), write a CSV of one row per enterprise and month, then time
`importer.import_file` (parse, the service's checks, one transaction). A new section is appended to
benchmarks/RESULTS.md. Not part of the test suite."""

import argparse
import datetime as dt
import json
import os
import platform
import sqlite3
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"

CHILD = r"""
import csv, datetime as dt, io, json, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youse.settings")
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings
call_command("migrate", interactive=False, verbosity=0)
from youse.core import services as core_services
from youse.core.models import Division
from youse.core.roles import Role
from youse.registry import services as reg
from youse.registry.rules import make_credit_code
from youse.stats import importer
rows = int(os.environ["BENCH_ROWS"])
months = 50  # 2015-01 .. 2019-02
n_ent = rows // months
user = core_services.create_user(None, "bench", Role.DEPARTMENT, password="x" * 12)
county = Division.objects.get(code="610822")
units = []
t0 = time.perf_counter()
for i in range(n_ent):
    ent = reg.create_enterprise(user, {"name": f"基准企业{i:05d}", "credit_code": make_credit_code(f"91610822MB{i:07d}"),
                                       "division": county, "ownership": "private"})
    plant = reg.create_plant(user, ent, {"name": "一厂", "division": county})
    unit = reg.create_unit(user, plant, {"name": "镁冶炼线", "metal": "Mg", "stage": "smelting", "product": "原镁",
                                         "design_capacity": "50000", "capacity_unit": "t/a"},
                           status="operating", status_since=dt.date(2014, 1, 1))
    units.append((ent.credit_code, unit.pk))
setup_s = time.perf_counter() - t0
out = io.StringIO()
w = csv.writer(out)
w.writerow([c.code for c in importer.COLUMNS])
for m in range(months):
    month = f"{2015 + m // 12}-{m % 12 + 1:02d}"
    for code, unit_id in units:
        w.writerow([code, month, unit_id, "", "", "3000", "5400", "", "", "", "1000", "5000", "200", "4000",
                    "2500000", "300", "", "", ""])
data = out.getvalue().encode("utf-8")
with override_settings(YOUSE_IMPORT_MAX_BYTES=len(data) + 1):
    t0 = time.perf_counter()
    parsed = importer.parse(user, data, "bench.csv")
    parse_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = importer.import_file(user, data, "bench.csv", status="accepted")
    total_s = time.perf_counter() - t0
assert not result.errors, result.errors[:5]
print(json.dumps({"vendor": connection.vendor, "rows": result.rows, "reports": result.created, "lines": result.lines,
                  "bytes": len(data), "setup_s": setup_s, "parse_s": parse_s, "total_s": total_s}))
"""


def machine() -> str:
    mem_kb = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return (
        f"{os.cpu_count()} CPUs (nproc), {mem_kb / 1024 / 1024:.1f} GiB RAM, {cpu}; Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def run(database_url: str, rows: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BENCH_ROWS": str(rows),
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_db(url: str):
    import psycopg

    name = f"youse_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    return name, urlunsplit(parts._replace(path=f"/{name}"))


def drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(("SQLite", run(f"sqlite:///{tmp}/bench.sqlite3", args.rows)))
    pg = os.environ.get("DATABASE_URL", "")
    if pg.startswith("postgres"):
        name, url = postgres_db(pg)
        try:
            results.append(("PostgreSQL", run(url, args.rows)))
        finally:
            drop(pg, name)
    lines = [
        "",
        "## Monthly report import (100,000 rows)",
        "",
        "What: `youse.stats.importer.import_file` on a CSV of one row per enterprise and month (2,000 synthetic",
        "enterprises with one operating unit each × 50 months), filed as accepted: parsing, every plausibility",
        "check of `services.file_reports`, then one transaction of bulk inserts with one audit event per report.",
        "Parse is the reading alone (included in the total). Setup (creating the enterprises) is not timed.",
        "",
        f"Command: `{'DATABASE_URL=' + pg + ' ' if pg else ''}.venv/bin/python benchmarks/stats_import.py`",
        "",
        f"Machine: {machine()}",
        "",
        f"Date: {dt.date.today().isoformat()}",
        "",
        "| database | rows | reports | lines | file MB | parse s | parse+check+file s | rows/s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for db, r in results:
        lines.append(
            f"| {db} | {r['rows']} | {r['reports']} | {r['lines']} | {r['bytes'] / 1e6:.1f} | {r['parse_s']:.1f} "
            f"| **{r['total_s']:.1f}** | {r['rows'] / r['total_s']:.0f} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    with RESULTS.open("a") as f:
        f.write(text)


if __name__ == "__main__":
    main()
