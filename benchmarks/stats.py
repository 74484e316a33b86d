"""Statistics on the demo at scale 10: building the reports, computing indicators for every city and metal
and every month, and the department's home page against a baseline page.

    .venv/bin/python benchmarks/stats.py                      # a fresh SQLite file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/stats.py

With a PostgreSQL DATABASE_URL a throw-away database is created on that server for the run. The figures
replace the "Statistics" section of benchmarks/RESULTS.md (--no-write prints them instead). Not part of
the test suite."""

import argparse
import datetime as dt
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
SECTION = "## Statistics: demo reports, indicators, department home"
sys.path.insert(0, str(ROOT / "benchmarks"))

from demo_build import FreshPostgres, machine, redact, server_version  # noqa: E402


class QueryCount:
    """Counts the queries run on a connection inside the block (CaptureQueriesContext keeps only the
    last 9,000, too few here)."""

    def __init__(self, connection) -> None:
        self.connection = connection
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)

    def __enter__(self) -> "QueryCount":
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._wrapper.__exit__(*exc)

    def __len__(self) -> int:
        return self.n


def timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - started


def measure(scale: int, seed: int, repeat: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youse.settings")
    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from youse.core.models import User
    from youse.demo import generator
    from youse.demo import reports as demo_reports
    from youse.stats.models import MonthlyReport, ReportLine

    out: dict = {"vendor": connection.vendor}
    call_command("migrate", interactive=False, verbosity=0)
    original = demo_reports.build

    def timed_reports(*args, **kwargs):
        result, out["reports_s"] = timed(original, *args, **kwargs)
        return result

    generator.demo_reports.build = timed_reports
    result = generator.build(seed, scale)
    out["build_s"] = result.seconds
    out["counts"] = dict(result.counts)
    out["lines"] = ReportLine.objects.count()
    out["reports"] = MonthlyReport.objects.count()

    try:
        from youse.stats import indicators
    except ImportError:
        out["indicators"] = None
    else:
        from youse.stats.rules import parse_period

        months = [parse_period(f"{y}-{m:02d}") for y in range(2015, 2021) for m in range(1, 13)]
        scopes = indicators.scopes_of("city") + indicators.scopes_of("metal")
        figures: dict = {"months": len(months), "scopes": len(scopes)}
        with QueryCount(connection) as queries:
            started = time.perf_counter()
            values = 0
            for period in months:
                for scope in scopes:
                    values += len(indicators.compute(period, scope))
            figures["compute_s"] = time.perf_counter() - started
        figures["compute_calls"] = len(months) * len(scopes)
        figures["compute_values"] = values
        figures["compute_queries"] = len(queries)
        codes = ("value_added", "deep_processing_share", "al_utilisation", "production_growth")
        with QueryCount(connection) as queries:
            started = time.perf_counter()
            for period in months:
                for kind in ("city", "metal"):
                    for code in codes:
                        indicators.across(code, period, kind)
            figures["across_s"] = time.perf_counter() - started
        figures["across_calls"] = len(months) * 2 * len(codes)
        figures["across_queries"] = len(queries)
        with QueryCount(connection) as queries:
            started = time.perf_counter()
            for scope in scopes:
                for code in codes:
                    indicators.series(code, scope, months)
            figures["series_s"] = time.perf_counter() - started
        figures["series_calls"] = len(scopes) * len(codes)
        figures["series_queries"] = len(queries)
        out["indicators"] = figures

    setup_test_environment()
    settings.DEBUG = True  # demo personas sign in only with DEBUG on (core/auth.py)
    client = Client()
    client.force_login(User.objects.get(username="gxt"))

    def page(path: str) -> dict:
        status = client.get(path).status_code  # the first request warms caches and templates
        cache.clear()  # one request with the indicator cache empty: what the first viewer waits
        _response, cold = timed(client.get, path)
        times = []
        for _ in range(repeat):
            with QueryCount(connection) as queries:
                _response, seconds = timed(client.get, path)
            times.append(seconds)
        return {
            "status": status,
            "cold_s": cold,
            "median_s": statistics.median(times),
            "max_s": max(times),
            "queries": len(queries),
        }

    out["healthz"] = page("/healthz")
    out["home"] = page("/")
    out["pages"] = {
        "/stats/?period=2020": page("/stats/?period=2020"),
        "/stats/?period=2020&scope=city:610800": page("/stats/?period=2020&scope=city:610800"),
        "/stats/aluminium/?period=2020": page("/stats/aluminium/?period=2020"),
        "/stats/reports/": page("/stats/reports/"),
    }
    return out


def section(out: dict, scale: int, seed: int, database: str, env_prefix: str, repeat: int) -> str:
    c = out["counts"]
    ind = out["indicators"]
    if ind is None:
        indicator_text = "youse.stats.indicators was not importable in this checkout: only the report build is timed."
    else:
        indicator_text = f"""| what | calls | values | queries | seconds | ms per call |
|---|---|---|---|---|---|
| `compute(month, scope)` for every month 2015-01…2020-12 × every city/zone and metal ({ind["months"]} × {ind["scopes"]}) | {ind["compute_calls"]} | {ind["compute_values"]} | {ind["compute_queries"]} | **{ind["compute_s"]:.1f}** | {1000 * ind["compute_s"] / ind["compute_calls"]:.0f} |
| `across(code, month, kind)` for 4 indicators × city and metal × every month | {ind["across_calls"]} | | {ind["across_queries"]} | **{ind["across_s"]:.1f}** | {1000 * ind["across_s"] / ind["across_calls"]:.0f} |
| `series(code, scope, 72 months)` for 4 indicators × every city/zone and metal | {ind["series_calls"]} | | {ind["series_queries"]} | **{ind["series_s"]:.1f}** | {1000 * ind["series_s"] / ind["series_calls"]:.0f} |"""  # noqa: E501
    h, home = out["healthz"], out["home"]
    extra_rows = "\n".join(
        f"| `{path}` | {p['status']} | {1000 * p['cold_s']:.1f} | **{1000 * p['median_s']:.1f}** "
        f"| {1000 * p['max_s']:.1f} | {p['queries']} |"
        for path, p in out.get("pages", {}).items()
    )
    return f"""{SECTION}

What: the demo at scale {scale} (seed {seed}) built into {database}, then, in the same process: the
indicator engine (youse.stats.indicators) for every city and zone and every metal, every month of
2015-2020; and the department's pages (home `/`, the targets dashboard `/stats/`, the aluminium view, the
report list; signed in as gxt) through the Django test client with
`/healthz` as the baseline, each the median of {repeat} requests after one warm-up request.

Command: `{env_prefix}.venv/bin/python benchmarks/stats.py`

Machine: {machine()}

Date: {dt.date.today().isoformat()}

Demo build: {c["enterprises"]} enterprises, {out["reports"]} monthly reports with {out["lines"]} lines
(2015-01…2020-12 and this year up to the latest month due). Whole build **{out["build_s"]:.1f} s**, of
which the reports step (drawing, calibrating, filing month by month through
stats.services.file_reports, the few returned/draft/corrected ones through the single-report services)
**{out["reports_s"]:.1f} s** ({out["reports"] / out["reports_s"]:.0f} reports/s).

{indicator_text}

Pages: "cold" is one request with the indicator cache emptied first (what the first viewer after a change
waits); the median and max are over {repeat} repeat requests, served from the cache (stats.indicators.cached).

| page | status | cold ms | median ms | max ms | queries (repeat) |
|---|---|---|---|---|---|
| `/healthz` (baseline) | {h["status"]} | {1000 * h["cold_s"]:.1f} | {1000 * h["median_s"]:.1f} | {1000 * h["max_s"]:.1f} | {h["queries"]} |
| `/` department home | {home["status"]} | {1000 * home["cold_s"]:.1f} | **{1000 * home["median_s"]:.1f}** | {1000 * home["max_s"]:.1f} | {home["queries"]} |
{extra_rows}
"""  # noqa: E501


def write_results(text: str) -> None:
    current = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(current)
    current = pattern.sub(lambda _m: text, current) if found else current.rstrip("\n") + "\n\n" + text
    RESULTS.write_text(current)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=7, help="requests per page (median)")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()
    pg_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory() as tmp:
        if pg_url.startswith(("postgres://", "postgresql://")):
            version = server_version(pg_url)
            with FreshPostgres(pg_url) as url:
                os.environ["DATABASE_URL"] = url
                out = measure(args.scale, args.seed, args.repeat)
                from django.db import connections

                connections.close_all()
            database = f"a fresh database on PostgreSQL {version} ({redact(pg_url)})"
            env_prefix = "DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres "
        else:
            os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/stats.sqlite3"
            os.environ.setdefault("YOUSE_VAR_DIR", tmp)
            out = measure(args.scale, args.seed, args.repeat)
            database, env_prefix = "a fresh SQLite file (WAL)", ""
    text = section(out, args.scale, args.seed, database, env_prefix, args.repeat)
    if args.no_write:
        print(text)
    else:
        write_results(text)
        print(text)
        print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
