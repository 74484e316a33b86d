from django.conf import settings

from youse.core import audit
from youse.core.models import AuditEvent


def client_addr(request) -> str | None:
    """The client's address: behind nginx it arrives in X-Real-IP (docs/deployment.md sets it), which is
    believed only from the proxies of YOUSE_TRUSTED_PROXIES; anyone else could write what they liked in it
    (and pass the /metrics allow-list, dodge sign-in throttling, sign the audit trail with another
    address)."""
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_REAL_IP")
    if forwarded and remote in settings.YOUSE_TRUSTED_PROXIES:
        return forwarded
    return remote


class AuditChannelMiddleware:
    """Marks every change made while serving a request as coming from the web or the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = AuditEvent.Channel.API if request.path.startswith("/api/") else AuditEvent.Channel.WEB
        if request.path.startswith("/admin/"):
            name = AuditEvent.Channel.ADMIN
        with audit.channel(name, client_addr(request)):
            return self.get_response(request)


class ChineseFirstMiddleware:
    """The platform speaks Chinese unless the user chose English with the language switch (a cookie).

    The browser's Accept-Language is set by the operating system, not by the reader: an official on an
    English-language system still expects the province's platform in Chinese. So only the switch decides.
    API clients are programs whose Accept-Language is a deliberate choice: they keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Adds the headers Django's SecurityMiddleware does not send: Content-Security-Policy and
    Permissions-Policy (settings YOUSE_CONTENT_SECURITY_POLICY, YOUSE_PERMISSIONS_POLICY; an empty value
    sends none). A view that sets its own header keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        csp = getattr(settings, "YOUSE_CONTENT_SECURITY_POLICY", "")
        if csp and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = csp
        permissions = getattr(settings, "YOUSE_PERMISSIONS_POLICY", "")
        if permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = permissions
        return response
