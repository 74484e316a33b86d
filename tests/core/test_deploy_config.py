"""The example deployment files (deploy/) agree with each other and with the settings.

docs/deployment.md tells operators to copy these files; a port, a path or a variable name that differs
between the systemd units (web, HJ 212 gateway, ticker), the nginx site and the environment file gives a
platform that does not start, serves no static files or loses the gateway's journal on a reboot. These
tests read the files as systemd, nginx and the settings would."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "systemd" / "youse-web.service"
GATEWAY_UNIT = DEPLOY / "systemd" / "youse-gateway.service"
TICK_UNIT = DEPLOY / "systemd" / "youse-tick.service"
TICK_TIMER = DEPLOY / "systemd" / "youse-tick.timer"
ENV_EXAMPLE = DEPLOY / "systemd" / "youse.env.example"
NGINX = DEPLOY / "nginx" / "youse.conf"
ADMIN = DEPLOY / "bin" / "youse-admin"


# --- readers ------------------------------------------------------------------------------------------


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """A systemd unit as {section: {key: [values]}}: comments dropped, backslash continuations joined."""
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        key, _, value = line.partition("=")
        assert current is not None, f"{path}: {line!r} outside a section"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def read_env(path: Path) -> dict[str, str]:
    env = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z_][A-Z0-9_]*", key), f"{path}: not KEY=value: {line!r}"
        assert value == value.strip() and not value.startswith(('"', "'")), f"{path}: quote or space in {key}"
        env[key] = value
    return env


class Block:
    """An nginx directive: name, arguments and, for blocks, the directives inside."""

    def __init__(self, name: str, args: list[str], children: list["Block"] | None = None) -> None:
        self.name, self.args, self.children = name, args, children or []

    def all(self, name: str) -> list["Block"]:
        return [c for c in self.children if c.name == name]

    def one(self, name: str) -> "Block":
        found = self.all(name)
        assert len(found) == 1, f"expected one {name!r}, found {len(found)}"
        return found[0]

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()


def read_nginx(path: Path) -> Block:
    text = path.read_text(encoding="utf-8")
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|#[^\n]*|[{};]|[^\s{};]+', text)
    root = Block("root", [])
    stack, words = [root], []
    for token in tokens:
        if token.startswith("#"):
            continue
        if token == ";":
            stack[-1].children.append(Block(words[0], words[1:]))
            words = []
        elif token == "{":
            block = Block(words[0], words[1:])
            stack[-1].children.append(block)
            stack.append(block)
            words = []
        elif token == "}":
            assert not words, f"unterminated directive {words}"
            stack.pop()
        else:
            words.append(token.strip("\"'"))
    assert len(stack) == 1 and not words, "unbalanced braces in the nginx config"
    return root


def gunicorn_argv() -> list[str]:
    (exec_start,) = read_unit(UNIT)["Service"]["ExecStart"]
    return shlex.split(exec_start)


def gunicorn_option(argv: list[str], name: str) -> str:
    assert argv.count(name) == 1, f"{name} given {argv.count(name)} times"
    return argv[argv.index(name) + 1]


def tls_server(conf: Block) -> Block:
    (server,) = [s for s in conf.all("server") if any("ssl" in listen.args for listen in s.all("listen"))]
    return server


# --- the systemd unit ---------------------------------------------------------------------------------


def test_it_runs_gunicorn_on_youse_wsgi():
    argv = gunicorn_argv()
    assert Path(argv[0]).name == "gunicorn" and Path(argv[0]).is_absolute()
    assert argv[1] in ("youse.wsgi", "youse.wsgi:application")


def test_it_gives_gunicorn_only_options_it_knows():
    from gunicorn.config import Config

    args = Config().parser().parse_args(gunicorn_argv()[1:])  # exits on an unknown option
    assert args.args == [gunicorn_argv()[1]]
    assert args.bind == [gunicorn_option(gunicorn_argv(), "--bind")]


def test_it_binds_gunicorn_to_the_loopback():
    # The middleware trusts X-Real-IP: only nginx may reach gunicorn.
    bind = gunicorn_option(gunicorn_argv(), "--bind")
    assert bind.startswith(("127.0.0.1:", "unix:")), bind


def test_it_reads_the_environment_file_and_runs_as_a_dedicated_user():
    service = read_unit(UNIT)["Service"]
    assert service["EnvironmentFile"] == ["/etc/youse/youse.env"]
    assert service["User"] == ["youse"] and service["Group"] == ["youse"]
    assert service["Restart"] == ["on-failure"]
    assert service["Type"] == ["notify"]
    for option in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "ProtectKernelTunables"):
        assert service[option] == ["true"], option
    assert service["ProtectSystem"] == ["strict"]
    assert read_unit(UNIT)["Install"]["WantedBy"] == ["multi-user.target"]


def test_it_gives_the_service_a_writable_state_directory_matching_the_var_dir():
    service = read_unit(UNIT)["Service"]
    env = read_env(ENV_EXAMPLE)
    # ProtectSystem=strict leaves only StateDirectory= writable: it must be YOUSE_VAR_DIR.
    assert "/var/lib/" + service["StateDirectory"][0] == env["YOUSE_VAR_DIR"]
    assert Path(env["YOUSE_STATIC_ROOT"]).is_relative_to(env["YOUSE_VAR_DIR"])


# --- nginx --------------------------------------------------------------------------------------------


def test_it_proxies_to_the_address_gunicorn_binds():
    conf = read_nginx(NGINX)
    bind = gunicorn_option(gunicorn_argv(), "--bind")
    upstreams = {u.args[0]: [s.args[0] for s in u.all("server")] for u in conf.all("upstream")}
    passes = [d.args[0] for d in conf.walk() if d.name == "proxy_pass"]
    assert passes, "no proxy_pass"
    for target in passes:
        name = target.removeprefix("http://").rstrip("/")
        assert name in upstreams, f"proxy_pass to {target}, which is no upstream"
        assert bind.removeprefix("unix:") in [s.removeprefix("unix:") for s in upstreams[name]]


def test_it_serves_static_files_from_the_static_root_of_the_environment_file():
    server = tls_server(read_nginx(NGINX))
    env = read_env(ENV_EXAMPLE)
    static_url = "/" + settings.STATIC_URL.strip("/") + "/"
    (static,) = [loc for loc in server.all("location") if loc.args == [static_url]]
    assert static.one("alias").args == [env["YOUSE_STATIC_ROOT"].rstrip("/") + "/"]
    assert static.one("gzip_static").args == ["on"]


def test_it_sends_the_headers_the_settings_and_middleware_read():
    server = tls_server(read_nginx(NGINX))
    headers = {h.args[0].lower(): h.args[1] for h in server.all("proxy_set_header")}
    assert headers["x-real-ip"] == "$remote_addr"  # core.middleware.client_addr
    assert headers["x-forwarded-proto"] == "$scheme"  # YOUSE_BEHIND_PROXY
    assert headers["host"] == "$host"
    # Locations that set their own proxy_set_header would drop all of the server's: none may.
    assert not [d for loc in server.all("location") for d in loc.walk() if d.name == "proxy_set_header"]


def test_it_terminates_tls_and_redirects_plain_http():
    conf = read_nginx(NGINX)
    server = tls_server(conf)
    assert server.one("ssl_certificate").args and server.one("ssl_certificate_key").args
    assert "TLSv1" not in server.one("ssl_protocols").args and "TLSv1.1" not in server.one("ssl_protocols").args
    plain = [s for s in conf.all("server") if s is not server]
    assert [s.one("return").args for s in plain] == [["301", "https://$host$request_uri"]]


def test_it_waits_at_least_as_long_as_gunicorn():
    server = tls_server(read_nginx(NGINX))
    read_timeout = server.one("proxy_read_timeout").args[0]
    assert read_timeout.endswith("s")
    assert int(read_timeout[:-1]) >= int(gunicorn_option(gunicorn_argv(), "--timeout"))
    size = server.one("client_max_body_size").args[0]
    assert re.fullmatch(r"\d+[mM]", size) and int(size[:-1]) >= 10


def test_it_routes_the_health_check_to_the_application():
    server = tls_server(read_nginx(NGINX))
    (health,) = [loc for loc in server.all("location") if loc.args == ["=", "/healthz"]]
    path = health.args[1]
    assert resolve(path).url_name == "healthz"
    assert health.one("proxy_pass").args[0].startswith("http://")


def test_it_names_the_host_the_settings_allow():
    server = tls_server(read_nginx(NGINX))
    env = read_env(ENV_EXAMPLE)
    allowed = env["YOUSE_ALLOWED_HOSTS"].split(",")
    for name in server.one("server_name").args:
        assert name in allowed
        assert f"https://{name}" in env["YOUSE_CSRF_TRUSTED_ORIGINS"].split(",")


# --- the environment file -----------------------------------------------------------------------------


def variables_read() -> set[str]:
    """Environment variables the code reads: settings.py, and the few modules that read os.environ."""
    pattern = re.compile(r"""(?:environ\.get|environ\[|env_bool)\(?\s*["']([A-Z0-9_]+)["']""")
    return {
        name
        for module in (ROOT / "src" / "youse").rglob("*.py")
        for name in pattern.findall(module.read_text(encoding="utf-8"))
    } - {"DJANGO_SETTINGS_MODULE"}


def test_it_sets_only_variables_the_settings_read():
    read = variables_read()
    env = read_env(ENV_EXAMPLE)
    commented = set(re.findall(r"^#([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M))
    assert {"YOUSE_BEHIND_PROXY", "DATABASE_URL", "YOUSE_METRICS_ALLOW"} <= read
    assert sorted((set(env) | commented) - read) == []


def test_it_names_a_postgresql_database():
    url = dj_database_url.parse(read_env(ENV_EXAMPLE)["DATABASE_URL"])
    assert url["ENGINE"] == "django.db.backends.postgresql"
    assert url["NAME"] == "youse"


def _settings_under(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.STATIC_ROOT, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_SECURE,"
        " s.DATABASES['default']['ENGINE'], s.STORAGES['staticfiles']['BACKEND'], s.CACHES['default']['BACKEND'])"
    )
    # settings.py creates YOUSE_VAR_DIR on import: point it at the test's directory.
    full = {**os.environ, **env, "YOUSE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "youse.settings"}
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=120)


def test_it_refuses_to_start_until_a_secret_key_is_set(tmp_path):
    env = read_env(ENV_EXAMPLE)
    assert env["YOUSE_SECRET_KEY"] == "" and env["YOUSE_REQUIRE_SECRET"] == "1"
    result = _settings_under(env, tmp_path)
    assert result.returncode != 0
    assert "YOUSE_SECRET_KEY must be set" in result.stderr


def test_it_gives_production_settings(tmp_path):
    env = {**read_env(ENV_EXAMPLE), "YOUSE_SECRET_KEY": "x" * 50}
    result = _settings_under(env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        env["YOUSE_STATIC_ROOT"],
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "django.db.backends.postgresql",
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "django.core.cache.backends.db.DatabaseCache",
    ]


# --- youse-admin --------------------------------------------------------------------------------------


def test_it_runs_management_commands_like_the_unit():
    text = ADMIN.read_text(encoding="utf-8")
    service = read_unit(UNIT)["Service"]
    defaults = dict(re.findall(r': "\$\{(YOUSE_[A-Z_]+):=([^}]+)\}"', text))
    assert defaults["YOUSE_USER"] == service["User"][0]
    assert defaults["YOUSE_ENV_FILE"] == service["EnvironmentFile"][0]
    assert Path(defaults["YOUSE_BIN"]).parent == Path(gunicorn_argv()[0]).parent


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell script")
def test_it_exports_the_environment_file_to_the_command(tmp_path):
    fake = tmp_path / "youse"
    fake.write_text('#!/bin/sh\necho "args=$* db=$DATABASE_URL proxy=$YOUSE_BEHIND_PROXY"\n')
    fake.chmod(0o755)
    env_file = tmp_path / "youse.env"
    env_file.write_text(ENV_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    import getpass

    result = subprocess.run(
        [str(ADMIN), "migrate", "--noinput"],
        env={
            "PATH": os.environ["PATH"],
            "YOUSE_USER": getpass.getuser(),
            "YOUSE_ENV_FILE": str(env_file),
            "YOUSE_BIN": str(fake),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    expected = f"args=migrate --noinput db={read_env(ENV_EXAMPLE)['DATABASE_URL']} proxy=1"
    assert result.stdout.strip() == expected


# --- what collectstatic must find ---------------------------------------------------------------------


def test_it_finds_every_static_file_the_templates_name():
    # With YOUSE_MANIFEST_STATIC=1 a {% static %} path that no finder knows is a 500 on every page using it.
    pattern = re.compile(r"""\{%\s*static\s+["']([^"']+)["']""")
    named = {
        match
        for template in (ROOT / "src" / "youse").rglob("templates/**/*.html")
        for match in pattern.findall(template.read_text(encoding="utf-8"))
    }
    assert named, "no {% static %} found: is the pattern right?"
    missing = sorted(path for path in named if finders.find(path) is None)
    assert missing == [], f"no static finder has {missing}: collectstatic would leave them out"


# --- the HJ 212 gateway and the ticker ----------------------------------------------------------------


def unit_argv(path: Path) -> list[str]:
    (exec_start,) = read_unit(path)["Service"]["ExecStart"]
    return shlex.split(exec_start)


def command_options(argv: list[str]) -> dict:
    """The options `youse SUBCOMMAND ...` would get: parsed by the command's own parser (which exits on an
    unknown option, as the service would)."""
    from django.core.management import get_commands, load_command_class

    name = argv[1].replace("-", "_")
    command = load_command_class(get_commands()[name], name)
    return vars(command.create_parser("youse", name).parse_args(argv[2:]))


def writable_paths(service: dict[str, list[str]]) -> list[Path]:
    """What ProtectSystem=strict leaves writable: the state directories and ReadWritePaths."""
    state = [Path("/var/lib") / d for value in service.get("StateDirectory", []) for d in value.split()]
    extra = [Path(p.lstrip("-")) for value in service.get("ReadWritePaths", []) for p in value.split()]
    return state + extra


@pytest.mark.parametrize("path", [UNIT, GATEWAY_UNIT, TICK_UNIT, TICK_TIMER], ids=lambda p: p.name)
def test_it_gives_units_that_parse(path):
    unit = read_unit(path)
    kind = path.suffix.lstrip(".").capitalize()
    assert "Unit" in unit and kind in unit, f"{path.name}: no [Unit] or [{kind}]"
    assert set(unit) <= {"Unit", kind, "Install"}, sorted(unit)
    assert unit["Unit"]["Description"][0]


@pytest.mark.parametrize("path", [GATEWAY_UNIT, TICK_UNIT], ids=lambda p: p.name)
def test_it_runs_every_youse_process_like_the_web_server(path):
    service, web = read_unit(path)["Service"], read_unit(UNIT)["Service"]
    assert service["EnvironmentFile"] == web["EnvironmentFile"] == ["/etc/youse/youse.env"]
    assert service["User"] == web["User"] and service["Group"] == web["Group"]
    assert service["ProtectSystem"] == ["strict"] and service["NoNewPrivileges"] == ["true"]
    argv = unit_argv(path)
    # The youse of the same virtualenv as gunicorn (and as youse-admin's YOUSE_BIN).
    assert Path(argv[0]) == Path(gunicorn_argv()[0]).parent / "youse"
    # /var/lib/youse is YOUSE_VAR_DIR, as for the web server.
    assert Path("/var/lib/youse") in writable_paths(service)


def test_it_runs_the_gateway_with_a_durable_journal_of_its_own():
    service = read_unit(GATEWAY_UNIT)["Service"]
    argv = unit_argv(GATEWAY_UNIT)
    assert argv[1] == "gateway"
    options = command_options(argv)
    assert options["listen"] == "0.0.0.0:2120"
    assert options["metrics"].startswith("127.0.0.1:")  # the gateway's own /metrics: loopback only
    journal = Path(options["journal"])
    assert journal.is_absolute() and journal.parts[:3] == ("/", "var", "lib")  # durable, not /run or /tmp
    # Writable under ProtectSystem=strict, and created by systemd (ReadWritePaths= of a missing directory
    # fails the start).
    assert journal in [Path(p) for value in service["ReadWritePaths"] for p in value.split()]
    assert journal in writable_paths({"StateDirectory": service["StateDirectory"]})
    assert service["Restart"] == ["always"]
    assert int(service["LimitNOFILE"][0]) > options["max_connections"]
    assert read_unit(GATEWAY_UNIT)["Install"]["WantedBy"] == ["multi-user.target"]


def test_it_puts_the_journal_where_the_web_reads_the_gateways_metrics_snapshot():
    # The web's /metrics appends <YOUSE_VAR_DIR>/journal/metrics.prom, which the gateway writes beside its
    # journal (unless YOUSE_GATEWAY_METRICS_FILE says otherwise in both).
    env = read_env(ENV_EXAMPLE)
    journal = Path(command_options(unit_argv(GATEWAY_UNIT))["journal"])
    if "YOUSE_GATEWAY_METRICS_FILE" not in env:
        assert journal == Path(env["YOUSE_VAR_DIR"]) / "journal"


def test_it_runs_youse_tick_every_minute_from_the_timer():
    timer = read_unit(TICK_TIMER)
    service = read_unit(TICK_UNIT)
    (target,) = timer["Timer"]["Unit"]
    assert target == TICK_UNIT.name
    assert timer["Timer"]["OnCalendar"] in (["*-*-* *:*:00"], ["minutely"], ["*:*:00"])
    assert timer["Install"]["WantedBy"] == ["timers.target"]
    argv = unit_argv(TICK_UNIT)
    assert argv[1:] == ["tick"]
    command_options(argv)
    # One run at a time: the timer does not start a oneshot that is still running. Enabled through the
    # timer only.
    assert service["Service"]["Type"] == ["oneshot"]
    assert "Install" not in service


def test_it_opens_metrics_to_the_scraper_only():
    server = tls_server(read_nginx(NGINX))
    (loc,) = [loc for loc in server.all("location") if loc.args == ["=", "/metrics"]]
    assert resolve("/metrics").url_name == "metrics"
    rules = [(d.name, d.args[0]) for d in loc.children if d.name in ("allow", "deny")]
    assert rules[-1] == ("deny", "all")
    allowed = {address for name, address in rules if name == "allow"}
    # nginx passes the scraper's address in X-Real-IP, which the view checks against YOUSE_METRICS_ALLOW.
    assert allowed == set(read_env(ENV_EXAMPLE)["YOUSE_METRICS_ALLOW"].split(","))
    assert loc.one("proxy_pass").args[0].startswith("http://")


def test_it_limits_the_request_rate_of_what_needs_no_sign_in():
    conf = read_nginx(NGINX)
    (zone,) = conf.all("limit_req_zone")
    assert zone.args[0] == "$binary_remote_addr" and zone.args[1].startswith("zone=youse_public:")
    server = tls_server(conf)
    limited = {loc.args[-1] for loc in server.all("location") if loc.all("limit_req")}
    assert limited == {"/public/", "/api/v1/public/"}
    (root,) = [loc for loc in server.all("location") if loc.args == ["/"]]
    for loc in server.all("location"):
        if loc.args[-1] in limited:
            assert loc.one("limit_req").args[0] == "zone=youse_public"
            assert loc.one("limit_req_status").args == ["429"]
            assert loc.one("proxy_pass").args == root.one("proxy_pass").args
    # Every public address of the application falls under one of them.
    assert resolve("/public/").url_name and resolve("/api/v1/public/datasets").url_name


# --- backups: youse-backup, youse-restore and their timer ---------------------------------------------

BACKUP_UNIT = DEPLOY / "systemd" / "youse-backup.service"
BACKUP_TIMER = DEPLOY / "systemd" / "youse-backup.timer"
BACKUP = DEPLOY / "bin" / "youse-backup"
RESTORE = DEPLOY / "bin" / "youse-restore"
PGENV = DEPLOY / "bin" / "youse-pgenv"
PG_CONF = DEPLOY / "postgresql" / "youse.conf"
DOCS = ROOT / "docs" / "deployment.md"


def script_defaults(path: Path) -> dict[str, str]:
    return dict(re.findall(r': "\$\{(YOUSE_[A-Z_]+):=([^}]+)\}"', path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", [BACKUP_UNIT, BACKUP_TIMER], ids=lambda p: p.name)
def test_it_gives_backup_units_that_parse(path):
    test_it_gives_units_that_parse(path)


def test_it_runs_the_backup_nightly_from_the_timer():
    timer = read_unit(BACKUP_TIMER)
    service = read_unit(BACKUP_UNIT)["Service"]
    assert timer["Timer"]["Unit"] == [BACKUP_UNIT.name]
    assert re.fullmatch(r"\*-\*-\* \d\d:\d\d:00", timer["Timer"]["OnCalendar"][0])
    assert timer["Timer"]["Persistent"] == ["true"]
    assert timer["Install"]["WantedBy"] == ["timers.target"]
    assert service["Type"] == ["oneshot"] and "Install" not in read_unit(BACKUP_UNIT)
    assert service["User"] == read_unit(UNIT)["Service"]["User"]
    assert service["ProtectSystem"] == ["strict"] and service["NoNewPrivileges"] == ["true"]


def test_it_backs_up_with_the_environment_file_and_user_of_the_services():
    web = read_unit(UNIT)["Service"]
    service = read_unit(BACKUP_UNIT)["Service"]
    environment = dict(value.split("=", 1) for value in service["Environment"])
    for script in (BACKUP, RESTORE):
        defaults = script_defaults(script)
        assert defaults["YOUSE_ENV_FILE"] == web["EnvironmentFile"][0], script.name
        assert defaults["YOUSE_USER"] == web["User"][0], script.name
    assert environment == {"YOUSE_ENV_FILE": web["EnvironmentFile"][0], "YOUSE_USER": web["User"][0]}
    # The scripts take the database and the media folder from that file, as the settings do.
    env = read_env(ENV_EXAMPLE)
    assert "DATABASE_URL" in env and "YOUSE_MEDIA_ROOT" in env
    assert "${DATABASE_URL" in PGENV.read_text() and "$YOUSE_MEDIA_ROOT" in BACKUP.read_text()


def test_it_writes_backups_where_the_unit_may_write():
    service = read_unit(BACKUP_UNIT)["Service"]
    argv = unit_argv(BACKUP_UNIT)
    assert Path(argv[0]) == Path("/usr/local/bin") / BACKUP.name
    options = dict(zip(argv[1::2], argv[2::2], strict=True))
    assert set(options) == {"--dir", "--keep"} and int(options["--keep"]) > 0
    assert Path(options["--dir"]) in writable_paths(service)
    # Not under the service's state directory: a backup must not share the fate of what it backs up.
    assert not Path(options["--dir"]).is_relative_to(read_env(ENV_EXAMPLE)["YOUSE_VAR_DIR"])


@pytest.mark.parametrize("path", [ADMIN, BACKUP, RESTORE, PGENV], ids=lambda p: p.name)
def test_it_gives_scripts_the_shell_accepts(path):
    shell = "bash" if "bash" in path.read_text(encoding="utf-8").splitlines()[0] or path == PGENV else "sh"
    result = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    if path != PGENV:
        assert os.access(path, os.X_OK), f"{path.name} is not executable"


@pytest.mark.skipif(os.name != "posix", reason="a shell script")
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "postgresql://youse:p%40ss%3Aw%2Fd@127.0.0.1:5433/youse",
            {
                "PGHOST": "127.0.0.1",
                "PGPORT": "5433",
                "PGUSER": "youse",
                "PGPASSWORD": "p@ss:w/d",
                "PGDATABASE": "youse",
            },
        ),
        (
            "postgresql://youse@%2Fvar%2Frun%2Fpostgresql/youse",
            {"PGHOST": "/var/run/postgresql", "PGUSER": "youse", "PGDATABASE": "youse"},
        ),
        (
            "postgres://u:it's@[::1]/my%20db?sslmode=require&conn_max_age=60",
            {"PGHOST": "::1", "PGUSER": "u", "PGPASSWORD": "it's", "PGDATABASE": "my db", "PGSSLMODE": "require"},
        ),
    ],
)
def test_it_turns_database_url_into_libpq_variables(url, expected, tmp_path):
    # The password goes to PGPASSWORD, never on pg_dump's command line.
    code = f'. {shlex.quote(str(PGENV))}; youse_use_database_url test "$1"; env | grep "^PG" | sort'
    result = subprocess.run(
        ["bash", "-c", code, "test", url],
        env={"PATH": os.environ["PATH"], "YOUSE_PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert dict(line.split("=", 1) for line in result.stdout.splitlines()) == expected


# --- PostgreSQL settings ------------------------------------------------------------------------------


def read_pg_conf(path: Path) -> dict[str, str]:
    settings_ = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip() if not raw.strip().startswith("log_line_prefix") else raw.strip()
        if not line:
            continue
        name, sep, value = line.partition("=")
        assert sep, f"{path.name}: not name = value: {raw!r}"
        settings_[name.strip()] = value.strip()
    return settings_


def test_it_explains_every_postgresql_setting():
    # Each setting belongs to a paragraph (lines without a blank between them) that has a comment.
    lines = PG_CONF.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.strip() and not line.startswith("#"):
            paragraph = []
            for text in reversed(lines[:number]):
                if not text.strip():
                    break
                paragraph.append(text)
            assert any(text.startswith("#") for text in paragraph), f"no comment above {line!r}"


def test_it_sizes_max_connections_for_every_process():
    conf = read_pg_conf(PG_CONF)
    workers = int(gunicorn_option(gunicorn_argv(), "--workers"))
    # Old and new workers overlap during a reload; one gateway writer, one ticker, the reserved slots.
    needed = 2 * workers + 1 + 1 + int(conf["superuser_reserved_connections"])
    assert int(conf["max_connections"]) >= needed + 5
    assert conf["wal_level"] == "replica"  # streaming replicas and pg_basebackup without a restart
    assert conf["log_min_duration_statement"].endswith("ms")
    for name in ("shared_buffers", "effective_cache_size", "work_mem", "maintenance_work_mem", "max_wal_size"):
        assert re.fullmatch(r"\d+(MB|GB)", conf[name]), name


def test_it_names_only_settings_postgresql_knows():
    try:
        result = subprocess.run(
            ["psql", "-X", "-A", "-t", "-q", "-c", "SELECT lower(name) FROM pg_settings"],
            env={**os.environ, "PGHOST": "127.0.0.1", "PGUSER": "postgres", "PGDATABASE": "postgres"},
            capture_output=True,
            text=True,
            timeout=30,
        )
    except OSError:
        pytest.skip("psql is not installed")
    if result.returncode != 0:
        pytest.skip(f"no PostgreSQL server at 127.0.0.1:5432: {result.stderr.strip()}")
    known = set(result.stdout.split())
    assert sorted(set(read_pg_conf(PG_CONF)) - known) == []


# --- the runbook --------------------------------------------------------------------------------------


def test_it_documents_every_deployment_file():
    docs = DOCS.read_text(encoding="utf-8")
    for path in sorted(DEPLOY.rglob("*")):
        if path.is_file():
            assert path.name in docs, f"docs/deployment.md does not mention {path.relative_to(ROOT)}"
            assert f"{path.parent.relative_to(ROOT)}/" in docs, f"docs/deployment.md names no {path.parent.name}/"
    assert "/etc/postgresql/15/main/conf.d/" in docs
    for unit in ("youse-backup.timer", "youse-tick.timer", "youse-web", "youse-gateway"):
        assert f"systemctl enable --now {unit}" in docs, unit
