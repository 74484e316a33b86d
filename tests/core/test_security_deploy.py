"""`youse check --deploy` with the production environment (deploy/systemd/youse.env.example plus a secret
key) reports no issues, and reports the ones that matter when a production setting is missing. Runs the
command as a subprocess: settings are read once per process, from the environment."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_deploy_config import ENV_EXAMPLE, read_env


def check_deploy(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess:
    env = {**read_env(ENV_EXAMPLE), "YOUSE_SECRET_KEY": secrets.token_urlsafe(50)}
    # settings.py creates these directories on import: keep them under the test's directory.
    env.update(
        YOUSE_VAR_DIR=str(tmp_path),
        YOUSE_STATIC_ROOT=str(tmp_path / "static"),
        YOUSE_MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(overrides)
    env = {k: v for k, v in env.items() if v is not None}
    full = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        **env,
        "DJANGO_SETTINGS_MODULE": "youse.settings",
    }
    for key in ("YOUSE_BASE_DIR", "YOUSE_NODE_MODULES"):
        full.pop(key, None)  # the checkout's own node_modules, not /opt/youse/app
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "INFO"],
        env=full,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_it_reports_no_issues_in_production(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("override", "check"),
    [
        ({"YOUSE_HSTS_SECONDS": "0"}, "security.W004"),
        ({"YOUSE_SSL_REDIRECT": "0"}, "security.W008"),
        ({"YOUSE_SECURE_COOKIES": "0"}, "security.W012"),
        ({"YOUSE_DEBUG": "1"}, "security.W018"),
        ({"YOUSE_SECRET_KEY": "", "YOUSE_REQUIRE_SECRET": "0"}, "security.W009"),
    ],
    ids=["hsts", "ssl-redirect", "secure-cookies", "debug", "development-key"],
)
def test_it_names_what_a_production_setting_left_out(tmp_path, override, check):
    result = check_deploy(tmp_path, **override)
    assert result.returncode != 0
    assert check in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = check_deploy(tmp_path, YOUSE_SECRET_KEY="")
    assert result.returncode != 0
    assert "YOUSE_SECRET_KEY must be set in production" in result.stderr
