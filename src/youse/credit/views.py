"""Pages of the credit support list: the editions, one edition with its counts and entries, one entry with
every criterion's result, an enterprise's entries across editions, the criteria, and the department's
steps (derive, override, publish) and the Excel export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from youse.core import scopes
from youse.core.history import history_events
from youse.core.modules import synthetic_data_loaded
from youse.core.pages import messages_of, page_of, requires
from youse.core.roles import Role
from youse.credit import excel, queries, services
from youse.credit.forms import DeriveForm, OverrideForm, PublishForm, add_service_errors, mark_invalid
from youse.credit.models import Criterion, Edition, Entry
from youse.enforcement.models import CLOSURE_LABELS, ORDER_LABELS, Inspection
from youse.registry.models import Enterprise

FILTERS = ("included", "city", "metal", "failing", "q")


def _render(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("is_enterprise", getattr(request.user, "role", None) == Role.ENTERPRISE)
    context.setdefault("can_manage", scopes.can(request.user, "credit.manage"))
    return render(request, template, context, status=status)


def _edition(request: HttpRequest, pk: int) -> Edition:
    return scopes.get_visible_or_404(request.user, queries.editions(request.user), pk=pk)


@requires("credit.view")
def editions(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == Role.ENTERPRISE and user.enterprise_id:
        return redirect("credit:enterprise", pk=user.enterprise_id)
    rows = list(queries.editions(user))
    visible = queries.entries(user).filter(edition__in=rows)
    tallies = {
        r["edition"]: r
        for r in visible.values("edition")
        .annotate(n_in=Count("pk", filter=Q(included=True)), n_out=Count("pk", filter=Q(included=False)))
        .order_by()
    }
    for e in rows:
        t = tallies.get(e.pk, {})
        e.n_in, e.n_out = t.get("n_in", 0), t.get("n_out", 0)
    form = DeriveForm(auto_id="id_derive_%s") if scopes.can(user, "credit.manage") else None
    return _render(request, "credit/editions.html", {"editions": rows, "form": form})


@requires("credit.manage")
@require_POST
def derive(request: HttpRequest) -> HttpResponse:
    form = DeriveForm(request.POST, auto_id="id_derive_%s")
    if form.is_valid():
        try:
            edition = services.derive_edition(
                request.user,
                year=form.cleaned_data["year"],
                as_of=form.cleaned_data["as_of"],
                title=form.cleaned_data["title"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = _("%(title)s (edition %(n)s) derived: %(i)s included, %(x)s excluded.")
            n_in = edition.entries.filter(included=True).count()
            figures = {"title": edition.title, "n": edition.number, "i": n_in, "x": edition.entries.count() - n_in}
            messages.success(request, text % figures)
            return redirect("credit:edition", pk=edition.pk)
    mark_invalid(form)
    rows = list(queries.editions(request.user))
    return _render(request, "credit/editions.html", {"editions": rows, "form": form}, status=400)


def _chart(counts: dict) -> dict:
    def series(rows):
        return {
            "integer": True,
            "categories": [str(r["object"] or "—") for r in rows],
            "series": [
                {"name": _("Included"), "data": [r["included"] for r in rows], "color": "#198754", "stack": "n"},
                {"name": _("Excluded"), "data": [r["excluded"] for r in rows], "color": "#adb5bd", "stack": "n"},
            ],
        }

    return {"city": series(counts["by_city"]), "metal": series(counts["by_metal"])}


@requires("credit.view")
def edition(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    ed = _edition(request, pk)
    scoped = queries.entries(user, ed)
    values = {k: (request.GET.get(k) or "").strip()[:60] for k in FILTERS}
    filtered = queries.filter_entries(scoped, **values)
    counts = queries.counts(scoped)
    criteria = ed.criteria or []
    failures = counts["failures"]
    for c in criteria:
        c["failures"] = failures.get(c["code"], 0)
    cities = [r["object"] for r in counts["by_city"] if r["object"]]
    metals = [r["object"] for r in counts["by_metal"] if r["object"]]
    can_publish = scopes.can(user, "credit.manage") and ed.status == Edition.Status.DRAFT
    query = "&".join(f"{k}={v}" for k, v in values.items() if v)
    return _render(
        request,
        "credit/edition.html",
        {
            "edition": ed,
            "page": page_of(request, filtered.order_by("-included", "city__code", "name")),
            "counts": counts,
            "chart": _chart(counts),
            "criteria": criteria,
            "cities": cities,
            "metals": metals,
            "values": values,
            "query": query,
            "publish_form": PublishForm(auto_id="id_publish_%s") if can_publish else None,
            "history": history_events(user, ed) if scopes.can(user, "credit.manage") else [],
        },
    )


@requires("credit.manage")
@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    ed = _edition(request, pk)
    form = PublishForm(request.POST, auto_id="id_publish_%s")
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
        return redirect("credit:edition", pk=ed.pk)
    try:
        services.publish_edition(request.user, ed, document=form.cleaned_data["document"])
    except ValidationError as exc:
        for message in messages_of(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("Published under %(doc)s.") % {"doc": ed.document})
    return redirect("credit:edition", pk=ed.pk)


@requires("credit.view")
def export(request: HttpRequest, pk: int) -> HttpResponse:
    ed = _edition(request, pk)
    rows = queries.entries(request.user, ed).order_by("-included", "city__code", "name")
    return excel.response(ed, list(rows), synthetic=synthetic_data_loaded())


def _entry_context(request: HttpRequest, entry: Entry, form: OverrideForm | None) -> dict:
    user = request.user
    can_override = scopes.can(user, "credit.manage") and entry.edition.status == Edition.Status.DRAFT
    if can_override and form is None:
        form = OverrideForm(
            auto_id="id_override_%s", initial={"decision": "exclude" if entry.derived_included else "include"}
        )
    return {
        "entry": entry,
        "edition": entry.edition,
        "form": form if can_override else None,
        "history": history_events(user, entry),
        "facts": entry.facts or {},
        "labels": _labels(entry.facts or {}),
    }


def _labels(facts: dict) -> dict:
    """The frozen facts' codes (status, verdict, order and closure states) as people read them."""
    orders = {s.value: label for s, label in ORDER_LABELS.items()}
    closures = {s.value: label for s, label in CLOSURE_LABELS.items()}
    inspection = facts.get("latest_inspection") or {}
    return {
        "status": dict(Enterprise.Status.choices).get(facts.get("status"), facts.get("status", "")),
        "verdict": dict(Inspection.Verdict.choices).get(inspection.get("verdict"), inspection.get("verdict", "")),
        "orders": [{**o, "state_label": orders.get(o["state"], o["state"])} for o in facts.get("open_orders", [])],
        "closures": [{**c, "state_label": closures.get(c["state"], c["state"])} for c in facts.get("closures", [])],
    }


@requires("credit.view")
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    obj = scopes.get_visible_or_404(request.user, queries.entries(request.user), pk=pk)
    return _render(request, "credit/entry.html", _entry_context(request, obj, None))


@requires("credit.manage")
@require_POST
def override(request: HttpRequest, pk: int) -> HttpResponse:
    obj = scopes.get_visible_or_404(request.user, queries.entries(request.user), pk=pk)
    form = OverrideForm(request.POST, auto_id="id_override_%s")
    if form.is_valid():
        try:
            services.override_entry(request.user, obj, included=form.included(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The entry is overridden; the reason is shown with it."))
            return redirect("credit:entry", pk=obj.pk)
    mark_invalid(form)
    return _render(request, "credit/entry.html", _entry_context(request, obj, form), status=400)


@requires("credit.view")
def enterprise(request: HttpRequest, pk: int) -> HttpResponse:
    ent = scopes.get_visible_or_404(request.user, Enterprise, pk=pk)
    rows = queries.entries(request.user).filter(enterprise=ent).order_by("-edition__year", "-edition__number")
    return _render(request, "credit/enterprise.html", {"enterprise": ent, "entries": list(rows)})


@requires("credit.view")
def criteria(request: HttpRequest) -> HttpResponse:
    rows = list(Criterion.objects.order_by("order", "code"))
    admin_url = reverse("admin:credit_criterion_changelist") if request.user.is_staff else ""
    return _render(request, "credit/criteria.html", {"criteria": rows, "admin_url": admin_url})
