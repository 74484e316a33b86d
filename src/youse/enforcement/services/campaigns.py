"""Survey campaigns (clause 二(八)): the department lists every enterprise of chosen metals and cities and
assigns each to its city for inspection along the chosen dimensions."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from youse.core import audit, scopes
from youse.core.models import AuditEvent, Division, Metal
from youse.enforcement.models import Campaign, Case
from youse.enforcement.rules import CaseStatus, Source
from youse.enforcement.services.common import dimensions, next_code, user_or_none
from youse.registry.models import Enterprise


def campaign_enterprises(metals: list[Metal], cities: list[Division]):
    """Enterprises in business with a unit of the metals (all metals when none) that has not exited."""
    qs = Enterprise.objects.filter(status=Enterprise.Status.ACTIVE)
    units = Q(plants__units__status__in=["planned", "approved", "construction", "operating", "idle"])
    if metals:
        units &= Q(plants__units__metal__in=metals)
    qs = qs.filter(units)
    if cities:
        qs = qs.filter(division__prefecture__in=cities)
    return qs.distinct().select_related("division__prefecture").order_by("division__prefecture__code", "name")


def create_campaign(actor, data: dict, reason: str = "") -> Campaign:
    """Create a campaign and its inspection list: one planned case per enterprise, assigned to its city."""
    scopes.require(actor, "enforcement.campaign")
    errors: dict[str, list[str]] = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    elif Campaign.objects.filter(name=name).exists():
        errors["name"] = [_("A campaign of this name exists.")]
    try:
        dims = dimensions(data.get("dimensions"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    metals, cities = [], []
    for code in data.get("metals") or []:
        m = Metal.objects.filter(code=str(code)).first()
        if m is None:
            errors.setdefault("metals", []).append(_("Unknown metal: %(v)s") % {"v": code})
        metals.append(m)
    for code in data.get("cities") or []:
        d = Division.objects.filter(
            Q(code=str(code)) | Q(pk=int(code) if str(code).isdigit() and len(str(code)) < 6 else 0),
            level__in=[Division.Level.CITY, Division.Level.ZONE],
            valid_to__isnull=True,
        ).first()
        if d is None:
            errors.setdefault("cities", []).append(_("Unknown city: %(v)s") % {"v": code})
        cities.append(d)
    starts_on, due_on = data.get("starts_on"), data.get("due_on")
    if not isinstance(starts_on, dt.date):
        errors["starts_on"] = [_("Enter a date.")]
    if not isinstance(due_on, dt.date):
        errors["due_on"] = [_("Enter a date.")]
    elif isinstance(starts_on, dt.date) and due_on < starts_on:
        errors["due_on"] = [_("Inspections cannot be due before the campaign starts.")]
    if errors:
        raise ValidationError(errors)
    enterprises = list(campaign_enterprises(metals, cities))
    if not enterprises:
        raise ValidationError({"metals": [_("No enterprise in business matches these metals and cities.")]})
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            year=int(data.get("year") or starts_on.year),
            dimensions=dims,
            starts_on=starts_on,
            due_on=due_on,
            created_by=user_or_none(actor),
        )
        campaign.metals.set(metals)
        campaign.cities.set(cities)
        now = timezone.now()
        for ent in enterprises:
            case = Case.objects.create(
                code=next_code("ZF", Case, starts_on.year),
                enterprise=ent,
                source=Source.CAMPAIGN,
                campaign=campaign,
                city=ent.division.prefecture or ent.division,
                dimensions=dims,
                status=CaseStatus.PLANNED,
                opened_at=now,
                created_by=user_or_none(actor),
                summary=name,
            )
            audit.record(actor, AuditEvent.Action.CREATE, case, after={"campaign": campaign.pk, "city": case.city_id})
        audit.record(
            actor,
            AuditEvent.Action.CREATE,
            campaign,
            after={"name": name, "dimensions": dims, "cases": len(enterprises)},
            reason=reason,
        )
    return campaign
