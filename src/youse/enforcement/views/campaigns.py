"""The enforcement overview (the latest campaign's dashboard with what needs attention), and the survey
campaigns: their list, the department's form with a live count of the enterprises it would list, and
each campaign's dashboard."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import scopes
from youse.enforcement import services
from youse.enforcement.forms import CampaignForm, add_service_errors, mark_invalid
from youse.enforcement.models import DIMENSION_LABELS, SOURCE_CHOICES, Campaign, Case, Closure, RectificationOrder
from youse.enforcement.rules import CaseStatus, ClosureState, Dimension
from youse.enforcement.views.common import overdue_q, render_page, viewer
from youse.enforcement.views.dashboard import case_list_url, matrix


def _campaigns(user):
    # A city or enterprise sees a campaign through its cases: distinct, since the join repeats it.
    return scopes.visible(user, Campaign).distinct().order_by("-year", "-created_at")


def _campaign_context(request: HttpRequest, campaign: Campaign | None) -> dict:
    user = request.user
    today = timezone.localdate()
    cases = scopes.visible(user, Case).filter(campaign=campaign) if campaign else scopes.visible(user, Case).none()
    labels = [DIMENSION_LABELS[Dimension(d)] for d in campaign.dimensions] if campaign else []
    return {"campaign": campaign, "board": matrix(cases, today, campaign), "today": today, "dimension_labels": labels}


@viewer()
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    campaign = _campaigns(user).first()
    cases = scopes.visible(user, Case)
    by_source = dict(cases.values_list("source").annotate(n=Count("pk")).order_by())
    context = _campaign_context(request, campaign)
    context.update(
        {
            "sources": [
                {"code": code, "label": label, "count": by_source.get(code, 0), "url": case_list_url(source=code)}
                for code, label in SOURCE_CHOICES
            ],
            "case_count": cases.count(),
            "overdue_orders": scopes.visible(user, RectificationOrder)
            .filter(overdue_q(today))
            .select_related("case__enterprise", "case__city")
            .order_by("deadline")[:20],
            "escalated": scopes.visible(user, Case)
            .filter(status=CaseStatus.ESCALATED)
            .select_related("enterprise", "city", "closure")
            .order_by("opened_at")[:20],
            "proposed_closures": scopes.visible(user, Closure).filter(state=ClosureState.PROPOSED).count(),
            "campaigns": _campaigns(user)[:8],
        }
    )
    return render_page(request, "enforcement/overview.html", context)


@viewer()
def campaign_list(request: HttpRequest) -> HttpResponse:
    campaigns = list(_campaigns(request.user).prefetch_related("metals", "cities"))
    counts = dict(
        scopes.visible(request.user, Case)
        .filter(campaign__in=campaigns)
        .values_list("campaign")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for c in campaigns:
        c.visible_cases = counts.get(c.pk, 0)
    return render_page(request, "enforcement/campaign_list.html", {"campaigns": campaigns})


@viewer()
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = scopes.get_visible_or_404(request.user, _campaigns(request.user), pk=pk)
    return render_page(request, "enforcement/campaign_detail.html", _campaign_context(request, campaign))


@viewer("enforcement.campaign")
def campaign_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.create_campaign(user, form.values(), reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            n = campaign.cases.count()
            messages.success(
                request,
                _("Campaign %(name)s created: %(n)s enterprises listed and assigned to their cities.")
                % {"name": campaign.name, "n": n},
            )
            return redirect("enforcement:campaign-detail", pk=campaign.pk)
    return render_page(
        request,
        "enforcement/campaign_form.html",
        {"form": mark_invalid(form), "preview": _preview(form if form.is_bound else CampaignForm({}))},
    )


def _preview(form: CampaignForm) -> dict:
    """The enterprises the campaign would list, counted per city, from whatever the form holds."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    metals, cities = list(data.get("metals") or []), list(data.get("cities") or [])
    enterprises = list(services.campaign_enterprises(metals, cities))
    per_city: dict = {}
    for e in enterprises:
        city = e.division.prefecture or e.division
        per_city[city] = per_city.get(city, 0) + 1
    return {"count": len(enterprises), "per_city": sorted(per_city.items(), key=lambda kv: kv[0].code)}


@viewer("enforcement.campaign")
def campaign_preview(request: HttpRequest) -> HttpResponse:
    """htmx: the count of enterprises as the metals and cities change."""
    form = CampaignForm(request.GET)
    return render(request, "enforcement/_campaign_preview.html", {"preview": _preview(form)})
