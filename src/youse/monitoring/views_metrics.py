"""`/metrics`: the web side's figures of online monitoring in Prometheus text format, followed by the
gateway's last metrics snapshot (written beside its journal) when there is one.

Open to staff users and to the addresses of YOUSE_METRICS_ALLOW (default: loopback), where a Prometheus
scraper runs; the figures are province-wide counts, no rows of any enterprise."""

import os
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden

from youse.core.middleware import client_addr
from youse.monitoring.hj212.metrics import render
from youse.monitoring.models import Alarm, QuarantinedPacket, Reading

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _allowed(request: HttpRequest) -> bool:
    allow = os.environ.get("YOUSE_METRICS_ALLOW", "127.0.0.1,::1")
    # Behind nginx every request comes from loopback: judge the client's own address (X-Real-IP, which
    # the deployment's nginx sets), never the proxy's. Asked first: it needs no database, so the scraper
    # still gets its figures while the database is down.
    if (client_addr(request) or "") in {a.strip() for a in allow.split(",") if a.strip()}:
        return True
    return request.user.is_authenticated and request.user.is_staff


def _reading_rows() -> tuple[float, bool]:
    """Rows of monitoring_reading: an estimate from the planner's statistics on PostgreSQL (a count
    over a partitioned table of billions of rows is not a scrape's work), exact on SQLite."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT coalesce(sum(greatest(c.reltuples, 0)), 0) FROM pg_class c WHERE c.oid = "
                "'monitoring_reading'::regclass OR c.oid IN "
                "(SELECT inhrelid FROM pg_inherits WHERE inhparent = 'monitoring_reading'::regclass)"
            )
            return float(cur.fetchone()[0]), True
    return float(Reading.objects.count()), False


def gateway_snapshot_path() -> Path:
    return Path(os.environ.get("YOUSE_GATEWAY_METRICS_FILE") or Path(settings.VAR_DIR) / "journal" / "metrics.prom")


def metrics(request: HttpRequest) -> HttpResponse:
    if not _allowed(request):
        return HttpResponseForbidden("forbidden\n", content_type="text/plain")
    try:
        text = _database_figures()
        up = 1
    except (OperationalError, InterfaceError):  # the database is down: say so, and keep the gateway's part
        text, up = "", 0
    text = render([("youse_web_database_up", "gauge", "1 while the web side's database answers", [({}, up)])]) + text
    snapshot = gateway_snapshot_path()
    if snapshot.is_file():
        text += snapshot.read_text()
    return HttpResponse(text, content_type=CONTENT_TYPE)


def _database_figures() -> str:
    rows, estimated = _reading_rows()
    open_alarms: dict[str, int] = {}
    for kind in Alarm.objects.filter(ended_at__isnull=True).values_list("kind", flat=True):
        open_alarms[kind] = open_alarms.get(kind, 0) + 1
    quarantine: dict[str, int] = {}
    for reason in QuarantinedPacket.objects.filter(status=QuarantinedPacket.Status.OPEN).values_list(
        "reason", flat=True
    ):
        quarantine[reason] = quarantine.get(reason, 0) + 1
    return render(
        [
            (
                "youse_monitoring_readings_rows",
                "gauge",
                "Rows of readings" + (" (planner estimate)" if estimated else ""),
                [({}, rows)],
            ),
            (
                "youse_monitoring_open_alarms",
                "gauge",
                "Alarms not yet ended, by kind",
                [({"kind": k}, v) for k, v in sorted(open_alarms.items())] or [({}, 0)],
            ),
            (
                "youse_monitoring_quarantine_open",
                "gauge",
                "Quarantined packets awaiting review, by reason",
                [({"reason": k}, v) for k, v in sorted(quarantine.items())] or [({}, 0)],
            ),
        ]
    )
