"""The NinjaAPI instance: authentication (personal tokens or the session with CSRF) and the JSON error
bodies that every endpoint shares. Apps add routers in `build_api()`.

Every failure answers {"detail": "...", "errors": {field: [messages]}}: 400 for bad input (schema
errors, unknown codes, rule violations), 401 without valid credentials, 403 when the role lacks the
capability (or the CSRF token is missing), 404 for missing rows and rows outside the caller's scope.
Nothing a client sends should produce a 500."""

import logging

from django.apps import apps
from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.db import DataError, IntegrityError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import re_path
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.renderers import JSONRenderer
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from youse.core.auth import user_for_token
from youse.core.availability import database_unavailable

logger = logging.getLogger(__name__)

ErrorDict = dict[str, list[str]]


class ErrorOut(Schema):
    detail: str
    errors: ErrorDict = Field(default_factory=dict, description="Messages by request field; __all__ for the whole")


# The failures every endpoint may answer with, for the OpenAPI schema: response={200: X, **ERRORS}.
ERRORS: dict[int, type[Schema]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class BearerToken(HttpBearer):
    """`Authorization: Bearer ys_...`: a personal token from `youse token create USERNAME`."""

    openapi_description = "Personal token from `youse token create USERNAME`"

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token.strip())
        if user is None:
            # A token was sent and is wrong, expired or revoked: say so, rather than falling back to the
            # session and acting as someone the client did not mean.
            raise AuthenticationError(401, _("Invalid, expired or revoked token"))
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods need the CSRF token, as on the pages."""

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            # No session to abuse: answer 401 (not a CSRF 403) to anonymous clients.
            return None
        if self.csrf and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header with a session"))
        return request.COOKIES.get(self.param_name) or "session"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        return user if key and user is not None and user.is_authenticated else None


class UnicodeJSONRenderer(JSONRenderer):
    # Chinese names as text rather than escapes: readable in curl and half the size.
    json_dumps_params = {"ensure_ascii": False}


def schema_errors(errors: list[dict]) -> ErrorDict:
    """Ninja/pydantic errors keyed by the request field they concern.

    Locations read ("body", "payload", field, ...), ("query", field) or ("path", field); the field is
    the first element after the source (and, for bodies, the parameter name)."""
    out: ErrorDict = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        rest = loc[2:] if loc[:1] == ["body"] else loc[1:]
        field = rest[0] if rest else "__all__"
        # Request bodies here are flat, so deeper locations only name a union's member ("int", "str"):
        # the message says enough without it.
        message = str(error.get("msg", "Invalid value"))
        out.setdefault(field, [])
        if message not in out[field]:
            out[field].append(message)
    return out


class YouseAPI(NinjaAPI):
    def _get_urls(self) -> list:
        # Last: a path no endpoint matches answers in JSON like every other failure, not Django's page.
        return [*super()._get_urls(), re_path(r"^", self._unknown_endpoint, name="unknown-endpoint")]

    def _unknown_endpoint(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.create_response(request, {"detail": _("No such API endpoint"), "errors": {}}, status=404)


def build_api() -> NinjaAPI:
    # Ninja's docs page loads Swagger UI from its own static files when the `ninja` app is installed,
    # and from a CDN otherwise; intranets are offline, so without the app there is no docs page (the
    # OpenAPI schema is always served).
    docs_url = "/docs" if apps.is_installed("ninja") else None
    api = YouseAPI(
        title="Youse API",
        version="1",
        description=(
            "有色金属产业监测调控平台 REST API. Every answer is limited to the caller's scope. "
            "Authenticate with `Authorization: Bearer <token>` (`youse token create USERNAME`) or, from the "
            "browser, the signed-in session with its CSRF token."
        ),
        auth=[BearerToken(), SessionAuth()],
        urls_namespace="api",
        docs_url=docs_url,
        renderer=UnicodeJSONRenderer(),
    )

    def error(request: HttpRequest, status: int, detail: str, errors: ErrorDict | None = None) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "errors": errors or {}}, status=status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return error(request, 400, _("Invalid input"), errors)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc: NinjaValidationError):
        return error(request, 400, _("Invalid input"), schema_errors(exc.errors))

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc: PermissionDenied):
        return error(request, 403, str(exc) or _("Forbidden"))

    @api.exception_handler(Http404)
    def on_not_found(request, exc: Http404):
        return error(request, 404, str(exc) or _("Not found"))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc: AuthenticationError):
        detail = str(exc) if str(exc) != "Unauthorized" else _("Authentication required")
        response = error(request, 401, _("%(detail)s: send 'Authorization: Bearer <token>'") % {"detail": detail})
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        # Ninja's own 400 is an unreadable body (malformed JSON): it concerns the request as a whole.
        errors = {"__all__": [str(exc)]} if exc.status_code == 400 else None
        return error(request, exc.status_code, str(exc), errors)

    @api.exception_handler(RequestDataTooBig)
    def on_too_big(request, exc: RequestDataTooBig):
        return error(request, 413, _("Request body too large"))

    @api.exception_handler(IntegrityError)
    def on_conflict(request, exc: IntegrityError):
        # Services validate uniqueness first; this is the race where two requests pass together.
        logger.warning("API integrity error: %s", exc)
        return error(request, 400, _("The change conflicts with existing data; reload and try again"))

    @api.exception_handler(DataError)
    def on_data_error(request, exc: DataError):
        logger.warning("API data error: %s", exc)
        return error(request, 400, _("A value does not fit the database column"))

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def on_database_down(request, exc: Exception):
        # The database is unreachable (restarting, failing over): a reason to retry, not a server bug.
        logger.warning("API request while the database is unavailable: %s", exc)
        return database_unavailable(request)

    @api.exception_handler(Exception)
    def on_unexpected(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return error(request, 500, _("Internal error; the administrators have the details"))

    from youse.core.api import router as reference_router
    from youse.registry.api import router as registry_router

    api.add_router("/reference/", reference_router)
    api.add_router("/registry/", registry_router)
    from youse.stats.api import router as stats_router

    api.add_router("/stats/", stats_router)
    from youse.monitoring.api import router as monitoring_router

    api.add_router("/monitoring/", monitoring_router)
    from youse.capacity.api import router as capacity_router

    api.add_router("/capacity/", capacity_router)
    from youse.enforcement.api import router as enforcement_router

    api.add_router("/enforcement/", enforcement_router)
    from youse.cooperation.api import router as cooperation_router
    from youse.credit.api import router as credit_router
    from youse.portal.api import router as portal_router
    from youse.support.api import router as support_router

    api.add_router("/cooperation/", cooperation_router)
    api.add_router("/support/", support_router)
    api.add_router("/credit/", credit_router)
    api.add_router("/public/", portal_router)
    return api
