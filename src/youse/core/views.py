from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import LoginView
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from youse.core import audit
from youse.core.auth import clear_failed_sign_ins, note_failed_sign_in, sign_in_blocked
from youse.core.middleware import client_addr
from youse.core.models import AuditEvent, IndustrialBase, PolicyClause, PolicyTarget


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {})


def policy(request: HttpRequest) -> HttpResponse:
    """The policy as the platform holds it: clauses, responsible units, targets and bases (public)."""
    clauses = PolicyClause.objects.prefetch_related("responsibilities__unit").all()
    targets = PolicyTarget.objects.all()
    bases = IndustrialBase.objects.prefetch_related("metals", "divisions")
    return render(request, "core/policy.html", {"clauses": clauses, "targets": targets, "bases": bases})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and systemd: the database answers and every migration is applied."""
    status = {"database": "ok", "migrations": "ok"}
    code = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            status["migrations"] = f"{len(pending)} pending"
            code = 503
    except Exception as exc:  # any database failure is the answer here, not a 500
        status["database"] = f"error: {exc.__class__.__name__}"
        code = 503
    status["status"] = "ok" if code == 200 else "unavailable"
    return JsonResponse(status, status=code)


class SignInView(LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        username = request.POST.get("username", "")
        if sign_in_blocked(username, client_addr(request)):
            form = self.get_form()
            form.errors.clear()
            messages.error(request, _("Too many failed sign-ins. Wait a few minutes and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        note_failed_sign_in(self.request.POST.get("username", ""), client_addr(self.request))
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        clear_failed_sign_ins(user.username, client_addr(self.request))
        audit.record(user, AuditEvent.Action.SIGN_IN, user)
        return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("home")
