"""What the web side says while something it depends on is down.

A database that stops answering (restarted, failed over, its disk full) turns every page that reads it
into an exception. Django would answer those with a bare 500, which tells neither a user nor nginx
that trying again shortly is the remedy. ``server_error`` (the project's handler500) answers them with
503 and Retry-After instead, in a page that needs no database to render; anything else stays a 500.
Nothing is half-written meanwhile: each change is one transaction, which the database rolls back when
the connection is lost before COMMIT.

``gateway_health`` reads the HJ 212 gateway's last metrics snapshot (written beside its journal every
two seconds) for /healthz, so one address tells an operator whether readings are being received and
stored.
"""

import re
import sys
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.defaults import server_error as default_server_error

RETRY_AFTER_SECONDS = 30
# The gateway rewrites its snapshot every 2 s; older than this, it is not running (or cannot write).
GATEWAY_SNAPSHOT_STALE_SECONDS = 30


def database_unavailable(request: HttpRequest) -> HttpResponse:
    message = _("The database is unavailable for a moment. Nothing you sent was half-saved: try again shortly.")
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=503)
    else:
        # Rendered without the request: context processors would read the database (the user, counts).
        context = {"message": message, "retry_after": RETRY_AFTER_SECONDS, "site_title": settings.YOUSE_SITE_TITLE}
        html = loader.get_template("503.html").render(context)
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: called while the exception is being handled, so sys.exc_info() names it."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return default_server_error(request)


_SAMPLE = re.compile(r"^youse_gateway_(journal_writable|db_up|journal_lag_bytes|journal_free_bytes) (\S+)$", re.M)


def gateway_health() -> dict | None:
    """The gateway's state from its snapshot, or None where no gateway writes one (not deployed here)."""
    from youse.monitoring.views_metrics import gateway_snapshot_path

    path = gateway_snapshot_path()
    try:
        age = time.time() - path.stat().st_mtime
        text = path.read_text()
    except OSError:
        return None
    values = {name: float(value) for name, value in _SAMPLE.findall(text)}
    journal_ok = values.get("journal_writable", 1) == 1
    database_ok = values.get("db_up", 1) == 1
    if age > GATEWAY_SNAPSHOT_STALE_SECONDS:
        status = "stale"
    elif journal_ok and database_ok:
        status = "ok"
    else:
        status = "degraded"
    health = {
        "status": status,
        "snapshot_age_seconds": round(age),
        "journal": "ok" if journal_ok else "unwritable",
        "database": "ok" if database_ok else "unreachable",
        "journal_lag_bytes": int(values.get("journal_lag_bytes", 0)),
    }
    if "journal_free_bytes" in values:
        health["journal_free_bytes"] = int(values["journal_free_bytes"])
    return health
