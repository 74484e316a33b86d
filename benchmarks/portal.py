"""The public portal and the monthly bulletin on the demo: building a bulletin's content for every month,
rendering one month as a web page, PDF and Word document, and the public pages an anonymous visitor opens,
against /healthz on the same server in the same run.

    .venv/bin/python benchmarks/portal.py                      # a fresh SQLite file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/portal.py

With a PostgreSQL DATABASE_URL a throw-away database is created on that server for the run. The figures
replace the "Public portal" section of benchmarks/RESULTS.md (--no-write prints them instead). Not part of
the test suite."""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Public portal and monthly bulletin"
sys.path.insert(0, str(ROOT / "benchmarks"))

from demo_build import FreshPostgres, machine, redact, replace_section, server_version  # noqa: E402

from stats import QueryCount, timed  # noqa: E402

PAGES = [
    "/public/",
    "/public/announcements/",
    "/public/announcements/feed/",
    "/public/data/",
    "/public/data/indicators.csv",
    "/api/v1/public/datasets/indicators",
    "/public/bulletins/",
    "{bulletin}",
]


def measure(seed: int, repeat: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youse.settings")
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from youse.demo import generator
    from youse.portal.bulletin import content, render
    from youse.portal.models import Bulletin
    from youse.stats.models import MonthlyReport
    from youse.stats.rules import Period

    out: dict = {"vendor": connection.vendor}
    call_command("migrate", interactive=False, verbosity=0)
    result, out["build_s"] = timed(generator.build, seed, 1)
    out["enterprises"] = result.counts["enterprises"]

    months = sorted(set(MonthlyReport.objects.filter(accepted__isnull=False).values_list("period", flat=True)))
    times, queries = [], []
    for m in months:
        with QueryCount(connection) as q:
            _doc, seconds = timed(content.build, Period("month", m.year, m.month))
        times.append(seconds)
        queries.append(len(q))
    out["content"] = {"months": len(months), "total_s": sum(times), "median_s": statistics.median(times)}
    out["content"].update(max_s=max(times), queries=max(queries))

    latest = Bulletin.objects.current_published().first()
    out["month"] = latest.month_key
    renders = {}
    for name, fn in (("html", render.html), ("pdf", render.pdf), ("docx", render.docx)):
        cache.clear()  # charts and published files are cached: time the first reader's wait
        _body, cold = timed(fn, latest)
        _body, warm = timed(fn, latest)
        renders[name] = {"cold_s": cold, "warm_s": warm, "bytes": len(_body)}
    out["render"] = renders

    setup_test_environment()
    client = Client()

    def page(path: str) -> dict:
        status = client.get(path).status_code  # warm templates and caches
        times, n = [], 0
        for _ in range(repeat):
            with QueryCount(connection) as q:
                _response, seconds = timed(client.get, path)
            times.append(seconds)
            n = len(q)
        return {"status": status, "median_s": statistics.median(times), "max_s": max(times), "queries": n}

    out["healthz"] = page("/healthz")
    paths = [latest.get_absolute_url() if p == "{bulletin}" else p for p in PAGES]
    out["pages"] = {p: page(p) for p in paths}
    return out


def section(out: dict, seed: int, database: str, env_prefix: str, repeat: int) -> str:
    c, r, h = out["content"], out["render"], out["healthz"]
    base = h["median_s"]
    rows = "\n".join(
        f"| `{path}` | {p['status']} | **{1000 * p['median_s']:.1f}** | {1000 * p['max_s']:.1f} "
        f"| {p['median_s'] / base:.0f}× | {p['queries']} |"
        for path, p in out["pages"].items()
    )
    renders = "\n".join(
        f"| {name} | **{v['cold_s']:.2f}** | {v['warm_s']:.3f} | {v['bytes'] / 1024:.0f} KiB |" for name, v in r.items()
    )
    return f"""{SECTION}

What: the demo at scale 1 (seed {seed}, {out["enterprises"]} enterprises, built in {out["build_s"]:.0f} s)
in {database}; then, in the same process: `bulletin.content.build` for every month with accepted reports;
the latest published bulletin ({out["month"]}) rendered as a web page, PDF (WeasyPrint) and Word document
(python-docx), first with the cache emptied (charts drawn by matplotlib, document laid out) and again
(cached); and the public pages as an anonymous visitor through the Django test client, each the median
of {repeat} requests after one warm-up request, beside `/healthz` in the same run.

Command: `{env_prefix}.venv/bin/python benchmarks/portal.py`

Machine: {machine()}

Date: {dt.date.today().isoformat()}

Bulletin content: {c["months"]} months in **{c["total_s"]:.1f} s** (median **{1000 * c["median_s"]:.0f} ms**,
max {1000 * c["max_s"]:.0f} ms per month; at most {c["queries"]} queries for a month, whatever the number of
enterprises).

| rendering of {out["month"]} | first (s) | cached (s) | size |
|---|---|---|---|
{renders}

| page (anonymous) | status | median ms | max ms | × /healthz | queries |
|---|---|---|---|---|---|
| `/healthz` (baseline) | {h["status"]} | {1000 * h["median_s"]:.1f} | {1000 * h["max_s"]:.1f} | 1× | {h["queries"]} |
{rows}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=7, help="requests per page (median)")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()
    pg_url = os.environ.get("DATABASE_URL", "")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("YOUSE_VAR_DIR", tmp)
        if pg_url.startswith(("postgres://", "postgresql://")):
            version = server_version(pg_url)
            with FreshPostgres(pg_url) as url:
                os.environ["DATABASE_URL"] = url
                out = measure(args.seed, args.repeat)
                from django.db import connections

                connections.close_all()
            database = f"a fresh database on PostgreSQL {version} ({redact(pg_url)})"
            env_prefix = "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres "
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/portal.sqlite3"
            out = measure(args.seed, args.repeat)
            database, env_prefix = "a fresh SQLite file (WAL)", ""
    text = section(out, args.seed, database, env_prefix, args.repeat)
    print(text)
    if not args.no_write:
        replace_section(SECTION, text)
        print(f"wrote benchmarks/RESULTS.md ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
