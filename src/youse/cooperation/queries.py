"""Reading overseas projects: the caller's rows, the filters the list page, the export and the API share
(all by code: country ISO code, metal code, mode, status, risk level, city GB/T 2260 code, registration
state), and the totals and chart figures over a filtered list."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from youse.cooperation.models import MODE_COLOURS, MODE_LABELS, Country, OverseasProject
from youse.cooperation.rules import Filing, Mode, Risk, Status
from youse.core import scopes
from youse.core.models import Division, Metal

FILTERS = ("country", "metal", "mode", "status", "risk", "city", "filing", "enterprise", "flagged", "q")


def projects_of(user) -> QuerySet:
    return scopes.visible(user, OverseasProject).select_related(
        "enterprise__division__prefecture", "country", "metal", "stage"
    )


def _unknown(field: str, value: object) -> ValidationError:
    return ValidationError({field: [_("Unknown %(field)s: %(value)s") % {"field": field, "value": value}]})


def _one_of(field: str, value: str, choices) -> str:
    if value not in {c.value for c in choices}:
        raise _unknown(field, value)
    return value


def filter_projects(qs: QuerySet, params: dict) -> QuerySet:
    """Apply the filters given (blank ones are ignored); an unknown code is a ValidationError naming it."""
    v = {k: str(params.get(k) or "").strip() for k in FILTERS}
    if v["country"]:
        if not Country.objects.filter(code=v["country"].upper()).exists():
            raise _unknown("country", v["country"])
        qs = qs.filter(country__code=v["country"].upper())
    if v["metal"]:
        if not Metal.objects.filter(code=v["metal"]).exists():
            raise _unknown("metal", v["metal"])
        qs = qs.filter(metal__code=v["metal"])
    if v["mode"]:
        qs = qs.filter(mode=_one_of("mode", v["mode"], Mode))
    if v["status"]:
        qs = qs.filter(status=_one_of("status", v["status"], Status))
    if v["risk"]:
        qs = qs.filter(risk_level=_one_of("risk", v["risk"], Risk))
    if v["filing"]:
        qs = qs.filter(filing=_one_of("filing", v["filing"], Filing))
    if v["city"]:
        city = Division.objects.filter(
            code=v["city"], level__in=[Division.Level.CITY, Division.Level.ZONE], valid_to__isnull=True
        ).first()
        if city is None:
            raise _unknown("city", v["city"])
        qs = qs.filter(enterprise__division__prefecture=city)
    if v["enterprise"]:
        if not v["enterprise"].isdigit():
            raise _unknown("enterprise", v["enterprise"])
        qs = qs.filter(enterprise_id=int(v["enterprise"]))
    if v["flagged"] in ("1", "true", "True", "on"):
        qs = qs.filter(flagged=True)
    if v["q"]:
        q = v["q"][:100]
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(code__icontains=q)
            | Q(register_no__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(partners__name__icontains=q)
        ).distinct()
    return qs


def totals(qs: QuerySet) -> dict:
    """Counts over the list, and money over its filed projects (a draft is not yet a registered figure)."""
    filed = qs.filter(filing=Filing.FILED).order_by()
    money = filed.aggregate(
        total=Sum("total_investment"), chinese=Sum("chinese_investment"), invested=Sum("invested"), n=Count("pk")
    )
    return {
        "projects": qs.order_by().count(),
        "filed": money["n"] or 0,
        "waiting": qs.filter(filing=Filing.SUBMITTED).order_by().count(),
        "high_risk": filed.filter(risk_level=Risk.HIGH).count(),
        "flagged": qs.filter(flagged=True).order_by().count(),
        "countries": filed.values("country").distinct().count(),
        "total_investment": money["total"] or Decimal(0),
        "chinese_investment": money["chinese"] or Decimal(0),
        "invested": money["invested"] or Decimal(0),
    }


def chart_data(qs: QuerySet) -> dict:
    """Chinese-side investment of the filed projects by host country (stacked by mode) and by mode."""
    rows = (
        qs.filter(filing=Filing.FILED)
        .order_by()
        .values("country__code", "country__name", "mode")
        .annotate(amount=Sum("chinese_investment"), n=Count("pk"))
    )
    by_country: dict[str, dict] = {}
    by_mode: dict[str, Decimal] = defaultdict(Decimal)
    for r in rows:
        entry = by_country.setdefault(r["country__code"], {"name": r["country__name"], "modes": defaultdict(Decimal)})
        amount = r["amount"] or Decimal(0)
        entry["modes"][r["mode"]] += amount
        by_mode[r["mode"]] += amount
    order = sorted(by_country, key=lambda c: -sum(by_country[c]["modes"].values()))
    series = [
        {
            "name": str(MODE_LABELS[m]),
            "stack": "mode",
            "color": MODE_COLOURS[m],
            "data": [float(by_country[c]["modes"].get(m.value, 0)) for c in order],
        }
        for m in Mode
        if any(by_country[c]["modes"].get(m.value) for c in order)
    ]
    return {
        "countries": {"categories": [by_country[c]["name"] for c in order], "series": series, "unit": "万美元"},
        "modes": {
            "data": [
                {"name": str(MODE_LABELS[m]), "value": float(by_mode[m.value]), "color": MODE_COLOURS[m]}
                for m in Mode
                if by_mode.get(m.value)
            ],
            "unit": "万美元",
        },
    }
