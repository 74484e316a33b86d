"""Every change to surcharge lists and power trading records (DESIGN.md, principle 2), and the reading
of the statistics the lists are drafted from.

A list is drafted for the year in which the price applies (执行年度) from the accepted monthly reports of
the year before: per smelter, the output-weighted consumption of its electrolysis lines that ran at least
six months, and the electricity those lines used. The department adjusts an assessment with a reason
(an inspectorate's audited figure, the renewable share, the category), then approves the list."""

import datetime as dt
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent
from youse.pricing import rules
from youse.pricing.models import Assessment, DifferentialPrice, DirectTrading, SurchargeList, SurchargeRuleSet
from youse.registry.models import Enterprise
from youse.stats.facts import ELECTROLYSIS
from youse.stats.models import MonthlyReport, ReportLine


def _rule_set(row: SurchargeRuleSet) -> rules.RuleSet:
    tiers = tuple(
        rules.Tier(Decimal(str(t["above"])), Decimal(str(t["surcharge"])))
        for t in sorted(row.tiers or [], key=lambda t: Decimal(str(t["above"])))
    )
    return rules.RuleSet(
        code=row.code,
        document=row.document,
        measure=row.measure,
        method=row.method,
        tiers=tiers,
        threshold=row.threshold,
        step_kwh=row.step_kwh,
        step_surcharge=row.step_surcharge,
        renewable_base_share=row.renewable_base_share,
        reduction_per_point=row.reduction_per_point,
        verified=row.verified,
    )


def rule_set_for(year: int) -> rules.RuleSet:
    rows = [(r.first_year, r.last_year, _rule_set(r)) for r in SurchargeRuleSet.objects.all()]
    try:
        return rules.rule_set_for(year, rows)
    except rules.NoRuleSet:
        raise ValidationError({"year": [_("No surcharge rule set is in force in %(y)s.") % {"y": year}]}) from None


def differentials_for(year: int) -> dict[str, rules.Differential]:
    out = {}
    for row in DifferentialPrice.objects.filter(first_year__lte=year).order_by("first_year"):
        if row.last_year is None or year <= row.last_year:
            out[row.category] = rules.Differential(row.category, row.surcharge, row.document, row.verified)
    return out


def compute(inputs: rules.Inputs) -> rules.Computation:
    """The computation for one smelter-year with the rule set and differential prices in force."""
    return rules.compute(inputs, rule_set_for(inputs.year), differentials_for(inputs.year))


def smelter_figures(audited_year: int, measure: str) -> dict[int, dict]:
    """Per smelter (enterprise id): consumption weighted by aluminium liquid over its electrolysis lines
    that ran at least six months of `audited_year`, their electricity, tonnes and months, from accepted
    reports. Lines that ran less are left out; a smelter all of whose lines ran less is reported with
    its longest line's months, so the list shows it excluded rather than silently missing."""
    field = "ac_kwh_per_t" if measure == "electrolysis_ac" else "ac_total_kwh_per_t"
    # The accepted revision of each report is the one the figures count from (stats/models.py).
    accepted = MonthlyReport.objects.filter(period__year=audited_year, accepted__isnull=False).values("accepted_id")
    lines = ReportLine.objects.filter(
        revision_id__in=accepted, unit__in=_electrolysis_units(), al_liquid_t__gt=0
    ).values_list("revision__report__enterprise_id", "unit_id", "revision__report__period", field, "al_liquid_t")
    by_unit: dict[tuple[int, int], list[tuple[Decimal, Decimal]]] = defaultdict(list)
    for ent, unit, _period, kwh, tonnes in lines:
        if kwh is not None:
            by_unit[(ent, unit)].append((kwh, tonnes))
    out: dict[int, dict] = {}
    for (ent, _unit), months in by_unit.items():
        row = out.setdefault(ent, {"pairs": [], "months": 0, "longest": 0})
        row["longest"] = max(row["longest"], len(months))
        if len(months) >= rules.MIN_MONTHS:
            row["pairs"].extend(months)
            row["months"] = max(row["months"], len(months))
    result = {}
    for ent, row in out.items():
        pairs = row["pairs"]
        tonnes = sum((t for _k, t in pairs), Decimal(0))
        result[ent] = {
            "consumption": rules.weighted_consumption(pairs),
            "al_liquid_t": tonnes,
            "electricity_kwh": sum((k * t for k, t in pairs), Decimal(0)).quantize(Decimal(1)),
            "months": row["months"] or row["longest"],
        }
    return result


def _electrolysis_units():
    from youse.registry.models import ProductionUnit

    return ProductionUnit.objects.filter(ELECTROLYSIS)


def _assess(a: Assessment, year: int) -> None:
    consumption = a.consumption
    inputs = rules.Inputs(
        year=year,
        consumption=consumption if consumption is not None else Decimal(0),
        renewable_share=a.renewable_share,
        incentive_weight=a.incentive_weight,
        electricity_kwh=a.electricity_kwh,
        category=a.category,
        # Without a consumption (every line ran under six months) the smelter stays excluded, with the
        # months it did run named in the reason.
        months_operated=a.months_operated if consumption is not None else min(a.months_operated, rules.MIN_MONTHS - 1),
    )
    result = compute(inputs)
    a.computation = result.as_dict()
    a.surcharge_per_kwh = result.total_per_kwh
    a.amount_yuan = result.amount_yuan


def draft_list(actor, year: int, reason: str = "") -> SurchargeList:
    """Draft (or redraft) the year's list from the accepted reports of the year before. An approved list
    is final; redrafting keeps the department's adjustments (audited figures, shares, categories)."""
    scopes.require(actor, "pricing.manage")
    rs = rule_set_for(year)
    figures = smelter_figures(year - 1, rs.measure)
    if not figures:
        raise ValidationError(
            {"year": [_("No accepted reports of electrolytic aluminium output in %(y)s.") % {"y": year - 1}]}
        )
    with transaction.atomic():
        lst, created = SurchargeList.objects.select_for_update().get_or_create(year=year)
        if lst.status == SurchargeList.Status.APPROVED:
            raise ValidationError({"year": [_("The %(y)s list is approved and final.") % {"y": year}]})
        kept = {a.enterprise_id: a for a in lst.assessments.all()}
        for ent_id, f in sorted(figures.items()):
            a = kept.pop(ent_id, None) or Assessment(surcharge_list=lst, enterprise_id=ent_id)
            a.reported_consumption = f["consumption"]
            a.al_liquid_t, a.electricity_kwh, a.months_operated = f["al_liquid_t"], f["electricity_kwh"], f["months"]
            _assess(a, year)
            a.save()
        for stale in kept.values():
            stale.delete()
        audit.record(
            actor,
            AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE,
            lst,
            after={"event": "drafted", "year": year, "rule_set": rs.code, "smelters": len(figures)},
            reason=reason,
        )
    return lst


ADJUSTABLE = ("audited_consumption", "renewable_share", "incentive_weight", "category")


def _decimal(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: [_("Enter a number.")]}) from None
    if d < 0:
        raise ValidationError({field: [_("Enter a number that is not negative.")]})
    return d


def adjust_assessment(actor, assessment: Assessment, changes: dict, *, reason: str) -> Assessment:
    """Replace reported figures with audited ones (or set the renewable share, incentive weight,
    category), with the reason; the computation is redone."""
    scopes.require(actor, "pricing.manage", assessment)
    unknown = sorted(set(changes) - set(ADJUSTABLE))
    if unknown:
        raise ValidationError({k: [_("This field cannot be set here.")] for k in unknown})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the figures are adjusted (e.g. the inspectorate's audit).")]})
    values = {}
    for field in ("audited_consumption", "renewable_share", "incentive_weight"):
        if field in changes:
            values[field] = _decimal(changes[field], field)
    for field in ("renewable_share", "incentive_weight"):
        if values.get(field) is not None and values[field] > 100:
            raise ValidationError({field: [_("A share is at most 100%.")]})
    if "category" in changes:
        if changes["category"] not in {c.value for c in rules.Category}:
            raise ValidationError({"category": [_("Unknown category.")]})
        values["category"] = changes["category"]
    with transaction.atomic():
        a = Assessment.objects.select_for_update().select_related("surcharge_list").get(pk=assessment.pk)
        if a.surcharge_list.status == SurchargeList.Status.APPROVED:
            raise ValidationError({"status": [_("The list is approved and final.")]})
        before = {f: str(getattr(a, f)) for f in (*ADJUSTABLE, "surcharge_per_kwh")}
        for field, value in values.items():
            setattr(a, field, value)
        a.adjustment_reason = reason.strip()
        _assess(a, a.surcharge_list.year)
        a.save()
        after = {f: str(getattr(a, f)) for f in (*ADJUSTABLE, "surcharge_per_kwh")}
        audit.record(actor, AuditEvent.Action.UPDATE, a, before=before, after=after, reason=reason)
    assessment.refresh_from_db()
    return assessment


def approve_list(actor, lst: SurchargeList, *, document: str) -> SurchargeList:
    scopes.require(actor, "pricing.manage")
    if not document.strip():
        raise ValidationError({"document": [_("Cite the approval document (文号).")]})
    with transaction.atomic():
        obj = SurchargeList.objects.select_for_update().get(pk=lst.pk)
        if obj.status == SurchargeList.Status.APPROVED:
            raise ValidationError({"status": [_("The list is already approved.")]})
        if not obj.assessments.exists():
            raise ValidationError({"status": [_("An empty list cannot be approved.")]})
        obj.status, obj.approved_at, obj.document = SurchargeList.Status.APPROVED, timezone.now(), document.strip()
        obj.approved_by = actor if getattr(actor, "pk", None) else None
        obj.save()
        audit.record(
            actor, AuditEvent.Action.TRANSITION, obj, before={"status": "draft"},
            after={"event": "approved", "status": obj.status, "document": obj.document},
        )  # fmt: skip
    lst.refresh_from_db()
    return lst


def record_trading(actor, enterprise: Enterprise, year: int, data: dict) -> DirectTrading:
    """Direct power trading and power-smelting integration of an enterprise in a year."""
    scopes.require(actor, "pricing.manage", enterprise)
    if not (2000 <= int(year) <= dt.date.today().year + 1):
        raise ValidationError({"year": [_("Enter a year.")]})
    share = _decimal(data.get("direct_share"), "direct_share")
    if share is not None and share > 100:
        raise ValidationError({"direct_share": [_("A share is at most 100%.")]})
    trades = bool(data.get("trades_directly"))
    if share and not trades:
        raise ValidationError({"direct_share": [_("A share traded directly needs direct trading ticked.")]})
    with transaction.atomic():
        row, created = DirectTrading.objects.update_or_create(
            enterprise=enterprise,
            year=int(year),
            defaults={
                "trades_directly": trades,
                "direct_share": share,
                "integrated": bool(data.get("integrated")),
                "note": str(data.get("note") or "")[:200],
            },
        )
        audit.record(
            actor, AuditEvent.Action.CREATE if created else AuditEvent.Action.UPDATE, row, after=audit.snapshot(row)
        )
    return row
