"""Load test: the demo at scale 10 on PostgreSQL behind gunicorn (production settings, several workers),
with the HJ 212 gateway taking the simulator's traffic at the same time, and locust playing department,
city, enterprise and public users (benchmarks/load/locustfile.py) in stages of increasing users.

    .venv/bin/pip install -e '.[dev,load]'
    .venv/bin/python benchmarks/load.py                              # 5,10,20,40,80 users, 60 s each
    .venv/bin/python benchmarks/load.py --stages 5,10 --stage-seconds 15 --no-write    # a smoke run

The demo is built once into the database of --database-url (default youse_load on the local server) and
reused; --rebuild drops and builds it again. The figures replace the "Load test" section of
benchmarks/RESULTS.md (--no-write prints them instead); --save keeps a run's figures as JSON and --before
puts such a file beside the new run (before/after a fix). Not part of the test suite."""

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Load test (gunicorn, PostgreSQL, demo at scale 10)"
LOCUSTFILE = ROOT / "benchmarks" / "load" / "locustfile.py"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from demo_build import machine, redact, replace_section, server_version  # noqa: E402

SEED, SCALE = 42, 10
PASSWORD = "load-test-" + "x" * 8  # load-test accounts of a throw-away database: not a secret
ACCOUNTS = {
    "department": {"username": "load-dept", "role": "department"},
    "city": {"username": "load-city", "role": "city", "division": "610800"},
    "enterprise": {"username": "load-ent", "role": "enterprise"},
}
HEALTH = "health: /healthz"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def youse(env: dict, *args: str, stdin: str | None = None) -> None:
    subprocess.run([str(BIN / "youse"), *args], env=env, check=True, input=stdin, text=True, cwd=ROOT)


# --- The database and the demo -------------------------------------------------------------------------


def admin_sql(url: str, sql: str) -> list[tuple]:
    import psycopg

    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as conn:
        cur = conn.execute(sql)
        return cur.fetchall() if cur.description else []


def demo_present(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not admin_sql(url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        return False
    with psycopg.connect(url) as conn:
        if conn.execute("SELECT to_regclass('demo_demodataset')").fetchone()[0] is None:
            return False
        row = conn.execute("SELECT scale FROM demo_demodataset ORDER BY id DESC LIMIT 1").fetchone()
        return row is not None and row[0] == SCALE


def ensure_demo(url: str, env: dict, rebuild: bool) -> float | None:
    """Build the demo unless the database already holds it; the build's seconds, None when reused."""
    if demo_present(url) and not rebuild:
        youse(env, "migrate", "-v", "0")  # a fix's migration applies to the kept demo
        return None
    name = url.rsplit("/", 1)[1]
    admin_sql(url, f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(url, f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    youse(env, "migrate", "-v", "0")
    youse(env, "demo", "--seed", str(SEED), "--scale", str(SCALE))
    return time.perf_counter() - started


def prepare(env: dict) -> dict:
    """Load-test accounts (the demo personas sign in only with DEBUG on) and the ids the users visit."""
    os.environ.update(env)
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youse.settings")
    django.setup()
    from django.db import connection

    from youse.core.models import User
    from youse.core.scopes import scope_filter
    from youse.monitoring.models import MonitoringPoint
    from youse.portal.models import Bulletin
    from youse.registry.models import Enterprise

    city_user = User.objects.filter(role="city", division__code="610800").first()
    city_enterprises = list(
        Enterprise.objects.filter(scope_filter(city_user, Enterprise)).values_list("pk", "credit_code")
    )
    own = city_enterprises[0]
    for key, spec in ACCOUNTS.items():
        if User.objects.filter(username=spec["username"]).exists():
            continue
        args = ["user", "create", spec["username"], "--role", spec["role"], "--password-stdin"]
        if key == "department":
            args.append("--staff")
        if "division" in spec:
            args += ["--division", spec["division"]]
        if key == "enterprise":
            args += ["--enterprise", own[1]]
        youse(env, *args, stdin=PASSWORD + "\n")
    own_pk = User.objects.get(username=ACCOUNTS["enterprise"]["username"]).enterprise_id
    targets = {
        "accounts": {k: {"username": v["username"], "password": PASSWORD} for k, v in ACCOUNTS.items()},
        "enterprises": list(Enterprise.objects.order_by("?").values_list("pk", flat=True)[:200]),
        "city_enterprises": [pk for pk, _code in city_enterprises][:200],
        "own_enterprise": own_pk,
        "bulletins": [b.get_absolute_url() for b in Bulletin.objects.current_published()[:12]],
    }
    counts = {
        "enterprises": Enterprise.objects.count(),
        "city_enterprises": len(city_enterprises),
        "points": MonitoringPoint.objects.count(),
    }
    connection.close()
    return {"targets": targets, "counts": counts}


# --- The processes ---------------------------------------------------------------------------------------


class Processes:
    """gunicorn, the gateway and the simulator, each in a process group of its own, stopped together."""

    def __init__(self, logdir: Path) -> None:
        self.logdir = logdir
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict) -> None:
        log = open(self.logdir / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        self.running.append((name, proc))

    def check(self) -> None:
        for name, proc in self.running:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}); see {self.logdir / name}.log")

    def stop(self) -> None:
        for _name, proc in reversed(self.running):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for _name, proc in reversed(self.running):
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def gateway_metrics(url: str) -> dict[str, float]:
    """The gateway's counters, summed over labels: frames, rows, rejects, batches, journal lag."""
    with urllib.request.urlopen(url, timeout=10) as r:
        text = r.read().decode()
    out: dict[str, float] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, value = line.rpartition(" ")
        name = name.split("{", 1)[0].removeprefix("youse_gateway_")
        out[name] = out.get(name, 0.0) + float(value)
    return out


# --- Locust ----------------------------------------------------------------------------------------------


def run_stage(host: str, users: int, seconds: int, outdir: Path, env: dict) -> dict:
    prefix = outdir / f"u{users}"
    argv = [
        str(BIN / "locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        host,
        "--users",
        str(users + 1),  # the probe is one of them
        "--spawn-rate",
        str(max(1, users // 5)),
        "--run-time",
        f"{seconds}s",
        "--reset-stats",  # figures from the moment every user has started
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(outdir / f"locust-u{users}.log", "wb") as log:
        subprocess.run(argv, env=env, cwd=ROOT, check=False, stdout=log, stderr=subprocess.STDOUT)
    return read_stats(Path(f"{prefix}_stats.csv"))


def read_stats(path: Path) -> dict:
    kinds = {}
    with path.open() as f:
        for row in csv.DictReader(f):
            if row["Request Count"] == "0":
                continue  # no percentiles for a kind nobody asked for in the stage
            name = "Aggregated" if row["Name"] == "Aggregated" else row["Name"]
            kinds[name] = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": float(row["Requests/s"]),
                "p50": float(row["50%"]),
                "p95": float(row["95%"]),
                "p99": float(row["99%"]),
                "mean": float(row["Average Response Time"]),
            }
    return kinds


def without_probe(kinds: dict) -> dict:
    """The users' traffic alone: the probe's requests are a constant one per second, not load."""
    total, probe = kinds["Aggregated"], kinds.get(HEALTH, {"requests": 0, "rps": 0.0})
    return {**total, "requests": total["requests"] - probe["requests"], "rps": total["rps"] - probe["rps"]}


def grows(a: dict, b: dict) -> float:
    """How much of the users' growth from stage a to stage b the throughput followed (1: all of it)."""
    return (b["rps"] / a["rps"] - 1) / (b["users"] / a["users"] - 1) if a["rps"] else 1.0


def knee(stages: list[dict]) -> int | None:
    """Index of the first stage where p95 more than doubles from the stage before: queueing starts."""
    return next((i for i in range(1, len(stages)) if stages[i]["p95"] > 2 * stages[i - 1]["p95"]), None)


def saturation(stages: list[dict]) -> int | None:
    """Index of the first stage where throughput follows less than half of the users' growth: the server
    is full, and more users only wait longer."""
    return next((i for i in range(1, len(stages)) if grows(stages[i - 1], stages[i]) < 0.5), None)


# --- The run ---------------------------------------------------------------------------------------------


def run(args: argparse.Namespace, var: Path) -> dict:
    url = args.database_url
    env = {
        **os.environ,
        "DATABASE_URL": url,
        # Production settings (deploy/systemd/youse.env.example) minus TLS: locust speaks plain HTTP to
        # gunicorn on the loopback, so no proxy header, no HTTPS redirect and no secure-only cookies.
        "YOUSE_DEBUG": "0",
        "YOUSE_REQUIRE_SECRET": "1",
        "YOUSE_SECRET_KEY": secrets.token_urlsafe(50),
        "YOUSE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "YOUSE_CONN_MAX_AGE": "60",
        "YOUSE_DB_CACHE": "1",
        "YOUSE_MANIFEST_STATIC": "1",
        "YOUSE_VAR_DIR": str(var),
        # Collected once and kept (var/ is not versioned): hashing and compressing every file takes minutes
        # on two cores, and an unchanged file is skipped the next time.
        "YOUSE_STATIC_ROOT": str(ROOT / "var" / "load-static"),
        "YOUSE_LOG_LEVEL": "WARNING",
    }
    env.pop("YOUSE_DEBUG_TOOLBAR", None)
    built = ensure_demo(url, env, args.rebuild)
    print("demo:", f"built in {built:.0f} s" if built else "reused", flush=True)
    youse(env, "createcachetable")
    youse(env, "collectstatic", "--noinput", "-v", "0")
    prep = prepare(env)
    targets = var / "targets.json"
    targets.write_text(json.dumps(prep["targets"]))

    web, gw, gw_metrics = free_port(), free_port(), free_port()
    host = f"http://127.0.0.1:{web}"
    procs = Processes(var)
    stages: list[dict] = []
    try:
        procs.start(
            "gunicorn",
            [
                str(BIN / "gunicorn"),
                "youse.wsgi:application",
                "--bind",
                f"127.0.0.1:{web}",
                "--workers",
                str(args.workers),
                "--timeout",
                "60",
                "--max-requests",
                "2000",
                "--max-requests-jitter",
                "200",
                "--access-logfile",
                str(var / "access.log"),
            ],
            env,
        )
        procs.start(
            "gateway",
            [
                str(BIN / "youse"),
                "gateway",
                "--listen",
                f"127.0.0.1:{gw}",
                "--metrics",
                f"127.0.0.1:{gw_metrics}",
                "--journal",
                str(var / "journal"),
            ],
            env,
        )
        wait_http(f"{host}/healthz")
        metrics_url = f"http://127.0.0.1:{gw_metrics}/metrics"
        wait_http(metrics_url)
        procs.start(
            "simulator",
            [
                str(BIN / "youse"),
                "hj212",
                "simulate",
                "--target",
                f"127.0.0.1:{gw}",
                "--from-database",
                "--points",
                "0",
                "--rate",
                str(args.sim_rate),
                "--duration",
                "0",
                "--seed",
                str(SEED),
            ],
            env,
        )
        time.sleep(args.settle)  # the simulator connects every point before the first stage
        locust_env = {**env, "LOAD_TARGETS": str(targets)}
        for users in args.stages:
            procs.check()
            before, t0 = gateway_metrics(metrics_url), time.monotonic()
            kinds = run_stage(host, users, args.stage_seconds, var, locust_env)
            after, t1 = gateway_metrics(metrics_url), time.monotonic()
            total = without_probe(kinds)
            seconds = t1 - t0
            stage = {"users": users, **{k: total[k] for k in ("rps", "p50", "p95", "p99", "requests", "failures")}}
            stage["kinds"] = kinds
            stage["gateway"] = {
                "frames_per_s": (after.get("frames_total", 0) - before.get("frames_total", 0)) / seconds,
                "rows_per_s": (after.get("rows_written_total", 0) - before.get("rows_written_total", 0)) / seconds,
                "rejects": after.get("rejects_total", 0) - before.get("rejects_total", 0),
                "db_errors": after.get("db_errors_total", 0) - before.get("db_errors_total", 0),
                "lag_bytes": after.get("journal_lag_bytes", 0),
                "connections": after.get("connections", 0),
            }
            stages.append(stage)
            g = stage["gateway"]
            print(
                f"{users:>4} users: {stage['rps']:6.1f} req/s  p50 {stage['p50']:6.0f}  p95 {stage['p95']:6.0f}  "
                f"p99 {stage['p99']:6.0f} ms  failures {stage['failures']}  | gateway {g['frames_per_s']:.0f} "
                f"frames/s, {g['rows_per_s']:.0f} rows/s, lag {g['lag_bytes']:.0f} B",
                flush=True,
            )
        procs.check()
    finally:
        procs.stop()
    return {
        "date": dt.date.today().isoformat(),
        "built_s": built,
        "counts": prep["counts"],
        "workers": args.workers,
        "stage_seconds": args.stage_seconds,
        "sim_rate": args.sim_rate,
        "stages": stages,
    }


# --- The section -----------------------------------------------------------------------------------------


def same_stage(out: dict | None, users: int) -> dict | None:
    return next((s for s in out["stages"] if s["users"] == users), None) if out else None


def chosen_stage(out: dict, users: int | None) -> dict:
    stages = out["stages"]
    if users is not None:
        return next(s for s in stages if s["users"] == users)
    b = saturation(stages)
    return stages[(b - 1) if b else -1]  # the highest load the server still carried


def kind_rows(stage: dict, before: dict | None, compare: bool) -> str:
    kinds = stage["kinds"]
    base = kinds.get(HEALTH, {}).get("p50") or 1.0
    old = before["kinds"] if before else {}
    rows = []
    order = sorted((k for k in kinds if k not in ("Aggregated", HEALTH)), key=lambda k: -kinds[k]["p50"])
    for name in [HEALTH, *order]:
        k = kinds[name]
        was = f" | {old[name]['p50']:.0f} / {old[name]['p95']:.0f}" if name in old else (" | –" if compare else "")
        rows.append(
            f"| {name} | **{k['p50']:.0f}** | {k['p95']:.0f} | {k['p99']:.0f} | {k['rps']:.2f} | {k['requests']} "
            f"| {k['failures']} | {k['p50'] / base:.1f}×{was} |"
        )
    return "\n".join(rows)


def stage_rows(out: dict) -> str:
    k, b = knee(out["stages"]), saturation(out["stages"])
    rows = []
    for i, s in enumerate(out["stages"]):
        g = s["gateway"]
        mark = " ← p95 bends" if i == k else ""
        mark += " ← saturated" if i == b else ""
        rows.append(
            f"| {s['users']}{mark} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} "
            f"| {s['failures']} | {g['frames_per_s']:.0f} | {g['rows_per_s']:.0f} | {g['lag_bytes']:.0f} "
            f"| {g['rejects']:.0f} / {g['db_errors']:.0f} |"
        )
    return "\n".join(rows)


def section(out: dict, database: str, command: str, report_users: int | None, before: dict | None) -> str:
    stage = chosen_stage(out, report_users)
    stages, k, b = out["stages"], knee(out["stages"]), saturation(out["stages"])
    parts = []
    if k is not None:
        parts.append(
            f"p95 bends at **{stages[k]['users']} users** ({stages[k - 1]['p95']:.0f} → {stages[k]['p95']:.0f} ms, "
            f"more than doubled) while throughput still follows the users"
        )
    if b is not None:
        parts.append(
            f"throughput falls behind the users at **{stages[b]['users']} users** (less than half their growth, "
            f"{stages[b - 1]['rps']:.1f} → "
            f"{stages[b]['rps']:.1f} req/s): the capacity of this setup is about {max(s['rps'] for s in stages):.0f} "
            f"req/s of this mix, and beyond it more users only wait longer"
        )
    bend_text = "; ".join(parts) if parts else "latency did not bend within the stages run"
    c = out["counts"]
    before_head = " | before: p50 / p95 ms" if before else ""
    before_sep = "|---" if before else ""
    old = same_stage(before, stage["users"])
    before_note = ""
    if before:
        before_note = (
            f"\nBefore the fixes (run of {before['date']}, same stages), per stage:\n\n"
            "| users | req/s | p50 ms | p95 ms | p99 ms |\n|---|---|---|---|---|\n"
            + "\n".join(
                f"| {s['users']} | {s['rps']:.1f} | {s['p50']:.0f} | {s['p95']:.0f} | {s['p99']:.0f} |"
                for s in before["stages"]
            )
            + "\n"
        )
    built = f"built in {out['built_s']:.0f} s for this run" if out["built_s"] else "built once and reused"
    return f"""{SECTION}

What: the demo at scale {SCALE} (seed {SEED}: {c["enterprises"]} enterprises, {c["points"]} monitoring points;
{built}) in {database}, served by gunicorn with {out["workers"]} sync workers and the production settings
(DEBUG off, database cache, hashed static files through whitenoise, persistent connections); plain HTTP on
the loopback. At the same time the HJ 212 gateway takes the simulator's traffic: every monitoring point's
data logger at {out["sim_rate"]} packets/s. locust (benchmarks/load/locustfile.py) plays department, city
(Yulin, {c["city_enterprises"]} enterprises), enterprise and anonymous public users, weighted 1 : 2 : 3 : 6,
thinking 2–6 s (public 2–8 s) between pages, plus one probe asking `/healthz` every second as the baseline
of the same server in the same run. Stages of {out["stage_seconds"]} s at increasing numbers of users; the
statistics are reset once every user has started (sign-ins are not counted).

**locust, gunicorn, PostgreSQL, the gateway and the simulator share the same 2 cores**: the figures are those
of the whole platform on one small machine, with locust's own CPU taken from the server's.

Command: `{command}`

Machine: {machine()}

Date: {out["date"]}

Per stage (the users' requests; the probe's one per second left out):

| users | req/s | p50 ms | p95 ms | p99 ms | failures | gateway frames/s | rows/s | lag (B) | rejects / db err. |
|---|---|---|---|---|---|---|---|---|---|
{stage_rows(out)}

Where it bends: {bend_text}.

Per page kind at {stage["users"]} users (ms; × /healthz is the kind's p50 over the probe's p50 in the same stage):

| page kind | p50 | p95 | p99 | req/s | requests | failures | × /healthz{before_head} |
|---|---|---|---|---|---|---|---{before_sep}|
{kind_rows(stage, old, before is not None)}
{before_note}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/youse_load")
    parser.add_argument("--rebuild", action="store_true", help="drop the database and build the demo again")
    parser.add_argument("--stages", default="5,10,20,40,80", help="users per stage")
    parser.add_argument("--stage-seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--sim-rate", type=float, default=0.2, help="simulator packets/s per point")
    parser.add_argument("--settle", type=float, default=10.0, help="seconds between the simulator and stage 1")
    parser.add_argument("--report-users", type=int, default=None, help="stage of the per-kind table")
    parser.add_argument("--save", type=Path, default=None, help="write the run's figures to this JSON file")
    parser.add_argument("--before", type=Path, default=None, help="a --save file to compare with")
    parser.add_argument("--replay", type=Path, default=None, help="write the section from a --save file")
    parser.add_argument("--workdir", type=Path, default=None, help="keep logs and locust CSVs here")
    parser.add_argument("--note", default="", help="a paragraph appended to the section (what changed, anomalies)")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave RESULTS.md alone")
    args = parser.parse_args()
    args.stages = [int(s) for s in args.stages.split(",")]
    if args.replay:
        out = json.loads(args.replay.read_text())
    elif args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
        out = run(args, args.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="youse-load-") as tmp:
            out = run(args, Path(tmp))
    if args.save and not args.replay:
        args.save.write_text(json.dumps(out, indent=1))
    before = json.loads(args.before.read_text()) if args.before else None
    database = f"PostgreSQL {server_version(args.database_url)} ({redact(args.database_url)})"
    stages = ",".join(str(s["users"]) for s in out["stages"])
    command = f".venv/bin/python benchmarks/load.py --stages {stages} --stage-seconds {out['stage_seconds']}"
    text = section(out, database, command, args.report_users, before)
    if args.note:
        text = text.rstrip("\n") + "\n\n" + args.note.strip() + "\n"
    print(text)
    if not args.no_write:
        replace_section(SECTION, text)
        print("wrote benchmarks/RESULTS.md")


if __name__ == "__main__":
    main()
