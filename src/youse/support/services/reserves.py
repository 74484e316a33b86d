"""Reserves (三(六)): the department sets the target per metal and kind; holdings are registered for a
holder and a warehouse; each movement (in, out, rotation) changes the holding's stock in the same
transaction, and an out-movement the stock cannot bear is refused. A commercial holder records its own
movements (the department may enter them from the holder's paper return); the department records the
government's."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from youse.core import scopes
from youse.core.models import Division, Metal
from youse.core.roles import Role
from youse.registry.models import Enterprise
from youse.support import rules
from youse.support.models import Holding, Movement, ReservePlan
from youse.support.rules import MovementKind, ReserveKind
from youse.support.services.common import collect, date, decimal, event, text, today, user_or_none


def _metal(value) -> Metal:
    metal = value if isinstance(value, Metal) else Metal.objects.filter(code=str(value or "")).first()
    if metal is None:
        raise ValidationError({"metal": [_("Unknown metal: %(m)s") % {"m": value}]})
    return metal


def _kind(value) -> str:
    if value not in {k.value for k in ReserveKind}:
        raise ValidationError({"kind": [_("Choose government or commercial.")]})
    return str(value)


def _tonnes(value, field: str) -> Decimal:
    number = decimal(value, field, places=3)
    if number <= 0:
        raise ValidationError({field: [_("Enter a quantity above zero.")]})
    return number


def set_plan(actor, data: dict) -> ReservePlan:
    """The target reserve of a metal of one kind for a period; periods of the same metal and kind must not
    overlap."""
    scopes.require(actor, "support.manage")
    metal, kind, product, target, starts_on, ends_on, document = collect(
        lambda: _metal(data.get("metal")),
        lambda: _kind(data.get("kind")),
        lambda: text(data, "product", max_length=40),
        lambda: _tonnes(data.get("target_t"), "target_t"),
        lambda: date(data.get("starts_on"), "starts_on"),
        lambda: date(data.get("ends_on"), "ends_on"),
        lambda: text(data, "document", required=False, max_length=120),
    )
    problem = rules.period_problem(starts_on, ends_on)
    if problem:
        raise ValidationError({"ends_on": [problem]})
    with transaction.atomic():
        for other in ReservePlan.objects.select_for_update().filter(metal=metal, kind=kind):
            if rules.periods_overlap((starts_on, ends_on), (other.starts_on, other.ends_on)):
                raise ValidationError({"starts_on": [_("The plan of %(y1)s–%(y2)s covers part of this period.") % {
                    "y1": other.starts_on, "y2": other.ends_on}]})  # fmt: skip
        plan = ReservePlan.objects.create(
            metal=metal, kind=kind, product=product, target_t=target, starts_on=starts_on, ends_on=ends_on,
            document=document, created_by=user_or_none(actor),
        )  # fmt: skip
        event(actor, plan, "set", after={"target_t": str(target), "period": f"{starts_on}–{ends_on}"})
    return plan


def create_holding(actor, data: dict) -> Holding:
    """A holding: government ones by the department with the reserve body's name; commercial ones by the
    department or the holding enterprise itself."""
    kind = _kind(data.get("kind"))
    enterprise = data.get("enterprise")
    if kind == ReserveKind.GOVERNMENT:
        scopes.require(actor, "support.manage")
    else:
        if not isinstance(enterprise, Enterprise):
            raise ValidationError({"enterprise": [_("Name the enterprise that holds the commercial reserve.")]})
        scopes.require(actor, "support.reserves", enterprise)
    metal, product, warehouse, division, body = collect(
        lambda: _metal(data.get("metal")),
        lambda: text(data, "product", max_length=40),
        lambda: text(data, "warehouse", max_length=120),
        lambda: _division(data.get("division")),
        lambda: text(data, "holder_body", required=kind == ReserveKind.GOVERNMENT, max_length=120),
    )
    with transaction.atomic():
        fields = {"kind": kind, "metal": metal, "product": product, "warehouse": warehouse}
        fields |= {"enterprise": enterprise, "holder_body": ""} if kind == ReserveKind.COMMERCIAL else {
            "enterprise": None, "holder_body": body}  # fmt: skip
        if Holding.objects.filter(**fields).exists():
            raise ValidationError({"warehouse": [_("This holder already keeps this product at this warehouse.")]})
        holding = Holding.objects.create(division=division, **fields)
        event(actor, holding, "registered", after={"warehouse": warehouse, "division": division.pk})
    return holding


def _division(value) -> Division:
    division = value if isinstance(value, Division) else None
    if division is None and value not in (None, ""):
        division = Division.objects.filter(code=str(value), valid_to__isnull=True).first()
    if division is None or division.prefecture_id is None:
        raise ValidationError({"division": [_("Choose the city or county where the warehouse is.")]})
    return division


def can_move(user, holding: Holding) -> bool:
    """Who records a holding's movements: the department a government reserve; the holder its commercial
    one, or the department on the holder's paper return."""
    role = getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None
    if scopes.can(user, "support.manage"):
        return True
    return (
        holding.kind == ReserveKind.COMMERCIAL
        and role == Role.ENTERPRISE
        and user.enterprise_id == holding.enterprise_id
    )


def record_movement(actor, holding: Holding, data: dict) -> Movement:
    """One ledger entry: in, out or rotation, with its date, quantity and document; the holding's stock
    follows. Refused when it would take the stock below zero or out of date order."""
    capability = "support.reserves" if holding.kind == ReserveKind.COMMERCIAL else "support.manage"
    scopes.require(actor, capability, holding)
    if not can_move(actor, holding):
        scopes.refuse(actor, "support.reserves", holding, "not the holder of this commercial reserve")
        raise PermissionDenied(_("The holding enterprise records the movements of its commercial reserve."))
    kind, moved_on, quantity, document, note = collect(
        lambda: _movement_kind(data.get("kind")),
        lambda: date(data.get("moved_on"), "moved_on", required=False) or today(),
        lambda: _tonnes(data.get("quantity_t"), "quantity_t"),
        lambda: text(data, "document", max_length=120),
        lambda: text(data, "note", required=False),
    )
    with transaction.atomic():
        obj = Holding.objects.select_for_update().get(pk=holding.pk)
        problem = rules.movement_date_problem(moved_on, obj.last_moved_on, today())
        if problem:
            raise ValidationError({"moved_on": [problem]})
        try:
            balance = rules.balance_after(kind, obj.quantity_t, quantity)
        except rules.LedgerError as exc:
            raise ValidationError({"quantity_t": [str(exc)]}) from None
        movement = Movement.objects.create(
            holding=obj, kind=kind, moved_on=moved_on, quantity_t=quantity, balance_t=balance, document=document,
            note=note, recorded_by=user_or_none(actor),
        )  # fmt: skip
        before = obj.quantity_t
        obj.quantity_t, obj.last_moved_on = balance, moved_on
        obj.save(update_fields=["quantity_t", "last_moved_on"])
        event(actor, obj, f"moved_{kind}", before={"quantity_t": str(before)},
              after={"quantity_t": str(balance), "moved": str(quantity), "moved_on": moved_on.isoformat(),
                     "document": document})  # fmt: skip
    holding.refresh_from_db()
    return movement


def _movement_kind(value) -> str:
    if value not in {k.value for k in MovementKind}:
        raise ValidationError({"kind": [_("Choose in, out or rotation.")]})
    return str(value)
