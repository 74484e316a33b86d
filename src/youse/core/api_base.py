"""The NinjaAPI instance: authentication (personal tokens or the session with CSRF) and the JSON error
bodies that every endpoint shares. Apps add routers in `build_api()`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from youse.core.auth import user_for_token


class BearerToken(HttpBearer):
    openapi_description = "Personal token from `youse token create USERNAME`"

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; Ninja checks the CSRF token on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Youse API",
        version="1",
        description="有色金属产业监测调控平台 REST API. Every answer is limited to the caller's scope.",
        auth=[BearerToken(), SessionAuth()],
        urls_namespace="api",
    )

    def error(request, status: int, detail: str, errors: dict | list | None = None):
        body: dict = {"detail": detail}
        if errors is not None:
            body["errors"] = errors
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return error(request, 400, "Invalid input", errors)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request, exc: NinjaValidationError):
        return error(request, 400, "Invalid input", exc.errors)

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc: PermissionDenied):
        return error(request, 403, str(exc) or "Forbidden")

    @api.exception_handler(Http404)
    def on_not_found(request, exc: Http404):
        return error(request, 404, str(exc) or "Not found")

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc: AuthenticationError):
        return error(request, 401, "Authentication required: send 'Authorization: Bearer <token>'")

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        return error(request, exc.status_code, str(exc))

    from youse.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)
    return api
