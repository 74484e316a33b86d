"""What the modules' pages share: the sign-in-and-capability guard, paging, a refusal's messages, and
serving an uploaded evidence file to those who may see it."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import FileResponse, HttpRequest, HttpResponse

from youse.core import scopes

PAGE_SIZE = 50


def requires(capability: str) -> Callable:
    """Signed in (else the login page), and a role holding `capability` (else 403)."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            scopes.require(request.user, capability)
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def page_of(request: HttpRequest, qs, size: int = PAGE_SIZE) -> Page:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return list(exc.messages)


def serve_evidence(request: HttpRequest, evidence) -> FileResponse:
    """An uploaded file (with `file`, `content_type`, `original_name`), already found in the caller's
    scope. MEDIA is never public; the headers keep a browser from running what was uploaded."""
    response = FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=evidence.original_name,
        as_attachment=request.GET.get("download") == "1",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, max-age=0"
    return response
