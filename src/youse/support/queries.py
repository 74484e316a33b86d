"""Reads shared by the pages, the API and the Excel exports: applications and holdings in the reader's
scope with their filters, totals by category and city, a call's budgets, an application's timeline and
the reserves by metal and kind against the plans. Every query starts from scopes.visible()."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent, Division, Metal
from youse.support import rules
from youse.support.models import Application, Disbursement, FundCall, Holding, ReservePlan
from youse.support.models.funds import APP_STATES, CALL_STATES, CATEGORY_CHOICES, STEP_LABELS
from youse.support.models.reserves import KIND_CHOICES
from youse.support.rules import AppState, CallState

ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=14, decimal_places=2))


def _choice(field: str, value: str | None, choices: list) -> str | None:
    if value in (None, ""):
        return None
    codes = [c for c, _label in choices]
    if value not in codes:
        raise ValidationError(
            {field: [_("Unknown %(f)s: %(v)s (one of %(c)s)") % {"f": field, "v": value, "c": ", ".join(codes)}]}
        )
    return value


def city_of(code: str | None) -> Division | None:
    if code in (None, ""):
        return None
    city = Division.objects.filter(
        code=code, valid_to__isnull=True, level__in=[Division.Level.CITY, Division.Level.ZONE]
    ).first()
    if city is None:
        raise ValidationError({"city": [_("Unknown city: %(v)s") % {"v": code}]})
    return city


def calls(user) -> QuerySet:
    """Calls are province-wide: every signed-in reader sees the open and closed ones, the department drafts."""
    scopes.require(user, "support.view")
    qs = FundCall.objects.all()
    if not scopes.can(user, "support.manage"):
        qs = qs.exclude(state=CallState.DRAFT)
    return qs


def applications(user) -> QuerySet:
    scopes.require(user, "support.view")
    paid = Disbursement.objects.filter(application=OuterRef("pk")).values("application").annotate(s=Sum("amount"))
    return (
        scopes.visible(user, Application)
        .select_related("call", "enterprise__division__prefecture")
        .annotate(paid=Coalesce(Subquery(paid.values("s")), ZERO))
    )


def filter_applications(qs: QuerySet, **f) -> QuerySet:
    """Filters by year, call, category, city, state, enterprise; an unknown code names its filter."""
    if f.get("year"):
        qs = qs.filter(call__year=f["year"])
    if f.get("call"):
        qs = qs.filter(call_id=f["call"])
    if category := _choice("category", f.get("category"), CATEGORY_CHOICES):
        qs = qs.filter(category=category)
    if state := _choice("state", f.get("state"), APP_STATES):
        qs = qs.filter(state=state)
    if city := city_of(f.get("city")):
        qs = qs.filter(enterprise__division__prefecture=city)
    if f.get("enterprise"):
        qs = qs.filter(enterprise_id=f["enterprise"])
    return qs


def money(value) -> Decimal:
    """An amount in 万元 with its two places (SQLite's sums of decimals come back without them)."""
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _sums(rows: list[Application], key, label) -> list[dict]:
    out: dict[str, dict] = {}
    for a in rows:
        k = key(a)
        row = out.setdefault(k, {"key": k, "label": label(a), "count": 0, "requested": Decimal(0),
                                 "approved": Decimal(0), "disbursed": Decimal(0)})  # fmt: skip
        row["count"] += 1
        row["requested"] += a.requested
        row["approved"] += a.approved or 0
        row["disbursed"] += a.paid or 0
    for row in out.values():
        for key in ("requested", "approved", "disbursed"):
            row[key] = money(row[key])
    return list(out.values())


def totals(qs: QuerySet) -> dict:
    """Counts and sums (万元) by category (in the policy's order) and by city (by code)."""
    rows = list(qs)
    order = [c for c, _label in CATEGORY_CHOICES]
    labels = dict(CATEGORY_CHOICES)
    by_category = sorted(_sums(rows, lambda a: a.category, lambda a: str(labels[a.category])),
                         key=lambda r: order.index(r["key"]))  # fmt: skip

    def city(a):
        return a.enterprise.division.prefecture

    by_city = sorted(
        _sums(rows, lambda a: city(a).code or str(city(a).pk), lambda a: city(a).name), key=lambda r: r["key"]
    )
    grand = {k: sum((r[k] for r in by_category), Decimal(0)) for k in ("requested", "approved", "disbursed")}
    return {"by_category": by_category, "by_city": by_city, "count": len(rows), **grand}


def budgets_of(call: FundCall) -> list[dict]:
    """Each category of the call: its budget, what is requested (past the draft) and approved."""
    labels = dict(CATEGORY_CHOICES)
    apps = Application.objects.filter(call=call).exclude(state=AppState.DRAFT)
    committed = [s.value for s in (AppState.APPROVED, AppState.ACCEPTED, AppState.FAILED)]
    out = []
    for b in call.budgets.all():
        sums = apps.filter(category=b.category).aggregate(
            requested=Sum("requested"), approved=Sum("approved", filter=Q(state__in=committed))
        )
        approved = sums["approved"] or Decimal(0)
        out.append({
            "category": b.category, "category_label": str(labels[b.category]), "budget": b.budget,
            "requested": sums["requested"] or Decimal(0), "approved": approved,
            "left": (b.budget - approved) if b.budget is not None else None,
            "rate": rules.fill_rate(b.budget, approved),
        })  # fmt: skip
    return out


def call_state_label(state: str) -> str:
    return str(dict(CALL_STATES).get(state, state))


def timeline(obj) -> list[dict]:
    """The object's steps, oldest first, from its audit trail (refusals left out)."""
    events = audit.history(obj).exclude(action=AuditEvent.Action.REFUSED).order_by("time", "pk")
    out = []
    for e in events:
        name = (e.after or {}).get("event", e.action)
        on = (e.after or {}).get("on")
        out.append({
            "time": e.time, "on": dt.date.fromisoformat(on) if on else None, "event": name,
            "label": str(STEP_LABELS.get(name, name)),
            "actor": e.actor.display_name if e.actor and getattr(e.actor, "display_name", "") else e.actor_username,
            "role": e.actor_role, "reason": e.reason, "after": e.after or {},
        })  # fmt: skip
    return out


# --- Reserves ---------------------------------------------------------------------------------------


def holdings(user) -> QuerySet:
    scopes.require(user, "support.view")
    return scopes.visible(user, Holding).select_related("metal", "enterprise", "division__prefecture")


def filter_holdings(qs: QuerySet, **f) -> QuerySet:
    if f.get("metal"):
        metal = Metal.objects.filter(code=f["metal"]).first()
        if metal is None:
            raise ValidationError({"metal": [_("Unknown metal: %(v)s") % {"v": f["metal"]}]})
        qs = qs.filter(metal=metal)
    if kind := _choice("kind", f.get("kind"), KIND_CHOICES):
        qs = qs.filter(kind=kind)
    if city := city_of(f.get("city")):
        qs = qs.filter(division__prefecture=city)
    if f.get("enterprise"):
        qs = qs.filter(enterprise_id=f["enterprise"])
    return qs


def current_plans(on: dt.date) -> QuerySet:
    return ReservePlan.objects.filter(starts_on__lte=on, ends_on__gte=on).select_related("metal")


def summary(user, on: dt.date) -> list[dict]:
    """Stock held by metal and kind (in the reader's scope) against the plan in force on `on`."""
    kinds = dict(KIND_CHOICES)
    held = {
        (r["metal"], r["kind"]): r
        for r in holdings(user).values("metal", "kind").annotate(t=Sum("quantity_t"), n=Sum(Value(1)))
    }
    plans = {(p.metal_id, p.kind): p for p in current_plans(on)}
    metals = Metal.objects.in_bulk({m for m, _k in held} | {m for m, _k in plans})
    out = []
    for metal_id, kind in sorted(set(held) | set(plans), key=lambda k: (metals[k[0]].order, k[1] != "government")):
        plan, row = plans.get((metal_id, kind)), held.get((metal_id, kind), {})
        t = Decimal(row.get("t") or 0).quantize(Decimal("0.001"))
        out.append({
            "metal": metals[metal_id].code, "metal_name": metals[metal_id].name, "kind": kind,
            "kind_label": str(kinds[kind]), "product": plan.product if plan else "",
            "target_t": plan.target_t if plan else None, "held_t": t, "fill_rate": rules.fill_rate(
                plan.target_t if plan else None, t), "holdings": row.get("n") or 0, "plan": plan,
        })  # fmt: skip
    return out
