"""What the pricing pages share: who may open them, the figures of an assessment as rows and steps."""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from youse.core import scopes
from youse.core.roles import Role
from youse.pricing.models import CATEGORIES, MEASURES, Assessment
from youse.registry.models import Enterprise, ProductionUnit
from youse.stats.facts import ELECTROLYSIS


def viewer(capability: str = "pricing.view", *, staff: bool = False) -> Callable:
    """Signed in (else the login page) with `capability` (else 403); `staff`: not an enterprise."""

    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            scopes.require(request.user, capability)
            if staff and request.user.role == Role.ENTERPRISE:
                raise PermissionDenied("Staff only.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


def render_page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    context.setdefault("is_enterprise", getattr(request.user, "role", None) == Role.ENTERPRISE)
    context.setdefault("can_manage", scopes.can(request.user, "pricing.manage"))
    return render(request, template, context, status=status)


def smelters():
    """Enterprises with an electrolytic aluminium line: the ones the surcharge is about."""
    owners = ProductionUnit.objects.filter(ELECTROLYSIS).values("plant__enterprise")
    return Enterprise.objects.filter(pk__in=owners)


def _d(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def row_of(a: Assessment) -> dict:
    """One line of the list, from the stored computation (the arithmetic that was approved)."""
    c = a.computation or {}
    return {
        "assessment": a,
        "enterprise": a.enterprise,
        "city": a.enterprise.division.prefecture if a.enterprise.division_id else None,
        "reported": a.reported_consumption,
        "audited": a.audited_consumption,
        "months": a.months_operated,
        "excluded": bool(c.get("excluded")),
        "steps": c.get("steps", 0),
        "tier_surcharge": _d(c.get("tier_surcharge")),
        "surcharge": _d(c.get("surcharge_per_kwh")),
        "reduction": _d(c.get("reduction_percent")),
        "differential": _d(c.get("differential_per_kwh")),
        "total": a.surcharge_per_kwh,
        "electricity": a.electricity_kwh,
        "amount": a.amount_yuan,
        "unverified": bool(c.get("unverified")),
    }


def steps_of(c: dict, *, audited: bool | None = None, category: str | None = None) -> list[dict]:
    """The arithmetic of one computation (rules.Computation.as_dict) as numbered steps: what, the figure,
    and how it was reached."""
    measures, categories = dict(MEASURES), dict(CATEGORIES)
    per_kwh = _("元/kWh")
    out: list[dict] = []

    def step(label: str, value: object, unit: str = "", how: str = "", code: str = "") -> None:
        out.append({"n": len(out) + 1, "label": label, "value": value, "unit": unit, "how": how, "code": code})

    source = "" if audited is None else (_("audited by the inspectorate") if audited else _("as reported"))
    step(_("Consumption used"), c["consumption"], "kWh/t", f"{measures.get(c['measure'], c['measure'])}"
         + (f" · {source}" if source else ""), "consumption")  # fmt: skip
    step(_("Rule set"), c["document"], "", _("code %(code)s, in force in %(y)s") % {"code": c["rule_set"],
         "y": c["year"]}, "rule_set")  # fmt: skip
    if c.get("excluded"):
        step(_("Excluded"), _("yes"), "", _("The line %(why)s: no surcharge.") % {"why": c["excluded_reason"]},
             "excluded")  # fmt: skip
    step(pgettext("surcharge", "Threshold"), c.get("threshold") or "—", "kWh/t", "", "threshold")
    step(_("Above the threshold"), c["excess_kwh"], "kWh/t", _("consumption − threshold, not below zero"), "excess")
    if c.get("steps"):
        how = _("kWh/t above ÷ step size, rounded up: a part step counts as a whole")
        step(_("Steps started"), c["steps"], "", how, "steps")
        step(_("Surcharge before reduction"), c["tier_surcharge"], per_kwh, _("steps × surcharge per step"),
             "tier_surcharge")  # fmt: skip
    else:
        step(_("Surcharge before reduction"), c["tier_surcharge"], per_kwh,
             _("the band the consumption falls in") if c["measure"] == "electrolysis_ac" else _("no step started"),
             "tier_surcharge")  # fmt: skip
    if c.get("renewable_base") is None and c["measure"] == "comprehensive_ac":
        step(_("Renewable share"), "—", "%", _("not given: no reduction"), "renewable_share")
        step(_("Renewable reduction"), c["reduction_percent"], "%", "", "reduction")
    if c.get("renewable_base") is not None:
        step(_("Renewable share"), c.get("renewable_share") or "—", "%",
             _("base to exceed: %(base)s%% (15%% or the province's incentive weight, whichever is higher)")
             % {"base": c["renewable_base"]}, "renewable_share")  # fmt: skip
        step(_("Renewable reduction"), c["reduction_percent"], "%",
             _("%(points)s full points above the base × 1%% each") % {"points": c["reduction_points"]},
             "reduction")  # fmt: skip
    step(_("Surcharge after reduction"), c["surcharge_per_kwh"], per_kwh,
         _("surcharge before reduction × (100% − reduction)"), "surcharge_per_kwh")  # fmt: skip
    label = categories.get(category or "normal", category)
    step(
        _("Differential price"),
        c["differential_per_kwh"],
        per_kwh,
        f"{label} · {c['differential_document']}" if c.get("differential_document") else label,
        "differential",
    )
    step(_("Total per kWh"), c["total_per_kwh"], per_kwh, _("surcharge after reduction + differential price"),
         "total_per_kwh")  # fmt: skip
    if c.get("electricity_kwh") is not None:
        step(_("Aluminium liquid electricity"), c["electricity_kwh"], "kWh", "", "electricity")
        step(_("Amount"), c.get("amount_yuan") or "—", _("元"), _("total per kWh × electricity"), "amount")
    return out
