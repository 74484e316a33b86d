"""/healthz and handler500 in-process: the gateway's state read from its snapshot, and a database error
answered as 503 while every other error stays a 500. (tests/core/test_availability.py proves the same
against a real crash.)"""

import json
import os
import time

import pytest
from django.db import OperationalError
from django.test import RequestFactory
from django.utils import translation

from youse.core.availability import server_error
from youse.monitoring.hj212.journal import Journal
from youse.monitoring.hj212.metrics import Metrics

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(tmp_path, monkeypatch):
    path = tmp_path / "gateway.prom"
    monkeypatch.setenv("YOUSE_GATEWAY_METRICS_FILE", str(path))
    metrics = Metrics()
    metrics.journal = Journal(tmp_path / "journal")
    return path, metrics


def test_healthz_omits_the_gateway_where_none_writes_a_snapshot(client, monkeypatch, tmp_path):
    monkeypatch.setenv("YOUSE_GATEWAY_METRICS_FILE", str(tmp_path / "absent.prom"))
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and "gateway" not in body


def test_healthz_reports_the_gateway_from_its_snapshot(client, snapshot):
    path, metrics = snapshot
    metrics.write_snapshot(path)
    response = client.get("/healthz")
    gateway = response.json()["gateway"]
    assert response.status_code == 200
    assert gateway["status"] == "ok" and gateway["journal"] == "ok" and gateway["database"] == "ok"
    assert gateway["journal_free_bytes"] > 0

    metrics.db_failed("OperationalError: connection refused")
    metrics.journal.append(_record())
    metrics.write_snapshot(path)
    response = client.get("/healthz")
    gateway = response.json()["gateway"]
    # The web side is fine: it stays in the load balancer. The gateway's trouble is reported, not judged.
    assert response.status_code == 200
    assert gateway["status"] == "degraded" and gateway["database"] == "unreachable"
    assert gateway["journal_lag_bytes"] > 0

    metrics.journal_failed(OSError(28, "No space left on device"))
    metrics.write_snapshot(path)
    assert client.get("/healthz").json()["gateway"]["journal"] == "unwritable"

    old = time.time() - 120
    os.utime(path, (old, old))  # the gateway stopped writing it
    assert client.get("/healthz").json()["gateway"]["status"] == "stale"


def _record():
    from youse.monitoring.hj212.journal import KIND_FRAME, Record

    return Record(KIND_FRAME, 0.0, "127.0.0.1:1", "", b"##0000")


def test_gateway_health_answer_is_503_only_when_the_journal_cannot_take_frames(snapshot):
    _, metrics = snapshot
    assert metrics.health()[0] is True
    metrics.db_failed("OperationalError: the database system is shutting down")
    ok, details = metrics.health()
    assert ok is True and details["database"].startswith("OperationalError")
    metrics.journal_failed(OSError(28, "No space left on device"))
    ok, details = metrics.health()
    assert ok is False and details["journal"] == "ENOSPC: No space left on device"
    metrics.journal_written()
    assert metrics.health()[0] is True
    assert 'youse_gateway_journal_errors_total{errno="ENOSPC"} 1' in metrics.text()


def _answer(exc: Exception, path: str = "/registry/"):
    request = RequestFactory().get(path)
    try:
        raise exc
    except Exception:
        return server_error(request)


def test_a_database_error_is_503_with_retry_after_and_any_other_error_a_500():
    with translation.override("zh-hans"):
        page = _answer(OperationalError("server closed the connection unexpectedly"))
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "数据库暂时不可用" in page.content.decode()
    api = _answer(OperationalError("connection refused"), "/api/v1/registry/enterprises")
    assert api.status_code == 503 and "detail" in json.loads(api.content)
    assert _answer(ValueError("a bug")).status_code == 500
