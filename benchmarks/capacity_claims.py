# ruff: noqa: E501  (the child script is kept as one readable block)
"""What claiming capacity costs, and what contention for the same tonnes adds: scheme submissions per
second through `capacity.services.submit_scheme` from several threads at once, on a fresh PostgreSQL
database (DATABASE_URL) and on a fresh SQLite file.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/capacity_claims.py [--schemes 200] [--threads 4]

Baseline: each scheme claims tonnes of its own indicator (no two claims touch the same row).
Contended: every scheme claims 1,000 t of one indicator holding half of what all of them ask for, so
exactly half must win and the rest be refused, all on one row. After each run the script checks the
ledger: winners × 1,000 t reserved, the journal replaying to the columns. A section is appended to
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
import datetime as dt, json, os, threading, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youse.settings")
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections, OperationalError
call_command("migrate", interactive=False, verbosity=0)
from youse.capacity import ledger, services
from youse.capacity.models import CapacityIndicator
from youse.core import services as core_services
from youse.core.models import Division
from youse.core.roles import Role
from youse.registry import services as reg
from youse.registry.rules import make_credit_code

n, threads = int(os.environ["BENCH_SCHEMES"]), int(os.environ["BENCH_THREADS"])
user = core_services.create_user(None, "bench", Role.DEPARTMENT, password="x" * 12)
county = Division.objects.get(code="610822")
ent = reg.create_enterprise(user, {"name": "基准铝业", "credit_code": make_credit_code("91610822MB0000001"),
                                   "division": county, "ownership": "private"})
plant = reg.create_plant(user, ent, {"name": "一厂", "division": county})

def indicator(code, tonnes):
    return services.register_indicator(user, {"code": code, "tonnes": tonnes, "owner": ent, "origin_document": "基准",
                                             "basis": "cleanup_2017"}, holding="available")

def scheme(code):
    return services.create_scheme(user, {"title": "基准方案", "applicant": ent.pk, "plant": plant.pk, "site": "府谷",
        "division": "610822", "main_equipment": "500kA×256", "capacity_t": 1000, "energy_kwh_per_t": "12900",
        "planned_start": dt.date(2027, 3, 1), "planned_production": dt.date(2028, 6, 1), "route": "own",
        "contact": "029-00000000"},
        [{"indicator": code, "tonnes": 1000, "dismantling_start": dt.date(2027, 1, 1), "dismantling_due": dt.date(2027, 12, 31)}])

def submit_all(schemes):
    won, refused, errors = [], [], []
    chunks = [schemes[i::threads] for i in range(threads)]
    barrier = threading.Barrier(threads)
    def work(chunk):
        barrier.wait()
        for s in chunk:
            for attempt in range(50):
                try:
                    services.submit_scheme(user, s)
                    won.append(s.pk)
                    break
                except ValidationError:
                    refused.append(s.pk)
                    break
                except OperationalError as exc:  # SQLite: database is locked beyond the busy timeout
                    errors.append(str(exc))
                    time.sleep(0.01)
        connections.close_all()
    ts = [threading.Thread(target=work, args=(c,)) for c in chunks]
    t0 = time.perf_counter()
    for t in ts: t.start()
    for t in ts: t.join()
    return time.perf_counter() - t0, won, refused, errors

out = {"vendor": connection.vendor}
base_schemes = []
for i in range(n):
    indicator(f"B-{i:05d}", 1000)
    base_schemes.append(scheme(f"B-{i:05d}"))
s, won, refused, errors = submit_all(base_schemes)
out["baseline"] = {"seconds": s, "won": len(won), "refused": len(refused), "retries": len(errors)}
shared = indicator("SHARED", 1000 * n // 2)
cont_schemes = [scheme("SHARED") for _ in range(n)]
s, won, refused, errors = submit_all(cont_schemes)
shared.refresh_from_db()
out["contended"] = {"seconds": s, "won": len(won), "refused": len(refused), "retries": len(errors),
                    "reserved_t": shared.reserved_t, "available_t": shared.available_t}
out["discrepancies"] = ledger.discrepancies()
print(json.dumps(out))
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


def run(database_url: str, schemes: int, threads: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "BENCH_SCHEMES": str(schemes),
        "BENCH_THREADS": str(threads),
        "PYTHONPATH": str(ROOT / "src"),
    }
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def postgres_db(url: str) -> tuple[str, str]:
    import psycopg

    name = f"youse_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def drop(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--schemes", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(("SQLite", run(f"sqlite:///{tmp}/bench.sqlite3", args.schemes, args.threads)))
    pg = os.environ.get("DATABASE_URL", "")
    if pg.startswith("postgres"):
        name, url = postgres_db(pg)
        try:
            results.append(("PostgreSQL", run(url, args.schemes, args.threads)))
        finally:
            drop(pg, name)
    for db, r in results:
        c = r["contended"]
        if r["discrepancies"] or c["won"] != args.schemes // 2 or c["reserved_t"] != 1000 * (args.schemes // 2):
            sys.exit(f"{db}: the ledger is wrong after the run: {r}")
    lines = [
        "",
        "## Capacity claims: scheme submissions, without and with contention",
        "",
        "What: `capacity.services.submit_scheme` (rule check, then the ledger's conditional UPDATE and journal",
        f"entry, audit event, one transaction) for {args.schemes} schemes from {args.threads} threads started together.",
        "Baseline: each scheme claims 1,000 t of its own indicator. Contended: every scheme claims 1,000 t of one",
        "indicator holding half of what they ask for; exactly half must win. After each run the script checks",
        "that the winners' tonnes are reserved and that the journal replays to the columns (it did).",
        "",
        f"Command: `{'DATABASE_URL=' + pg + ' ' if pg else ''}.venv/bin/python benchmarks/capacity_claims.py --schemes {args.schemes} --threads {args.threads}`",
        "",
        f"Machine: {machine()}",
        "",
        f"Date: {dt.date.today().isoformat()}",
        "",
        "| database | run | won | refused | lock retries | seconds | submissions/s | ratio to baseline |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for db, r in results:
        base = r["baseline"]
        for label, x in (("baseline (own indicators)", base), ("contended (one indicator)", r["contended"])):
            rate = (x["won"] + x["refused"]) / x["seconds"]
            base_rate = (base["won"] + base["refused"]) / base["seconds"]
            lines.append(
                f"| {db} | {label} | {x['won']} | {x['refused']} | {x['retries']} | {x['seconds']:.2f} "
                f"| **{rate:.0f}** | {rate / base_rate:.2f} |"
            )
    text = "\n".join(lines) + "\n"
    print(text)
    with RESULTS.open("a") as f:
        f.write(text)


if __name__ == "__main__":
    main()
