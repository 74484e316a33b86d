"""Reserves (clause 三(六)): the department's target per metal and kind (government 政府储备, commercial
商业储备) for a period, the holdings (a holder storing a metal at a warehouse) and each holding's ledger of
movements. A holding's quantity is never typed: the ledger's service keeps it, and the database refuses
a negative one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from youse.core.scopes import ScopePaths
from youse.support.rules import MovementKind, ReserveKind

KIND_CHOICES = [
    (ReserveKind.GOVERNMENT.value, _("Government reserve (政府储备)")),
    (ReserveKind.COMMERCIAL.value, _("Commercial reserve (商业储备)")),
]
MOVEMENT_CHOICES = [
    (MovementKind.IN.value, _("In (入库)")),
    (MovementKind.OUT.value, _("Out (出库)")),
    (MovementKind.ROTATION.value, _("Rotation (轮换)")),
]
TONNES = {"max_digits": 14, "decimal_places": 3}


class ReservePlan(models.Model):
    """The target reserve of a metal of one kind over a period; province-wide, read by every signed-in user."""

    metal = models.ForeignKey("core.Metal", verbose_name=_("metal"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES)
    product = models.CharField(_("product"), max_length=40, help_text=_("e.g. 铝锭, 电解镁, 海绵钛"))
    target_t = models.DecimalField(_("target (t)"), **TONNES)
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    document = models.CharField(_("document reference (文号)"), max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("reserve plan (储备计划)")
        verbose_name_plural = _("reserve plans")
        ordering = ["metal__order", "kind", "-starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(target_t__gt=0), name="reserve_target_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="reserve_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.metal} {self.get_kind_display()} {self.starts_on:%Y}–{self.ends_on:%Y}"


class Holding(models.Model):
    """A holder's stock of one metal at one warehouse. Commercial: a registry enterprise holds it;
    government: a named reserve body (e.g. 陕西省物资储备局)."""

    kind = models.CharField(_("kind"), max_length=12, choices=KIND_CHOICES)
    metal = models.ForeignKey("core.Metal", verbose_name=_("metal"), on_delete=models.PROTECT, related_name="+")
    product = models.CharField(_("product"), max_length=40)
    enterprise = models.ForeignKey(
        "registry.Enterprise",
        verbose_name=_("holding enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reserve_holdings",
    )
    holder_body = models.CharField(_("government reserve body"), max_length=120, blank=True)
    warehouse = models.CharField(_("warehouse"), max_length=120)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("location"), on_delete=models.PROTECT, related_name="+"
    )
    quantity_t = models.DecimalField(_("quantity (t)"), default=0, editable=False, **TONNES)
    last_moved_on = models.DateField(_("last movement"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    scope = ScopePaths(
        prefecture=("division__prefecture", "enterprise__division__prefecture"), enterprise=("enterprise",)
    )
    label_related = ("enterprise",)
    history_labels = {"event": _("step"), "moved": _("quantity moved (t)"), "moved_on": _("date")}

    class Meta:
        verbose_name = _("reserve holding (储备库存)")
        verbose_name_plural = _("reserve holdings")
        ordering = ["metal__order", "kind", "warehouse"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_t__gte=0), name="holding_never_negative"),
            models.CheckConstraint(
                condition=Q(kind="commercial", enterprise__isnull=False)
                | (Q(kind="government", enterprise__isnull=True) & ~Q(holder_body="")),
                name="holding_holder_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["kind", "metal", "product", "enterprise", "holder_body", "warehouse"], name="holding_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder} · {self.product} · {self.warehouse}"

    @property
    def holder(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.holder_body


class Movement(models.Model):
    """One entry of a holding's ledger, with the balance after it."""

    holding = models.ForeignKey(Holding, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(pgettext_lazy("reserves", "movement"), max_length=10, choices=MOVEMENT_CHOICES)
    moved_on = models.DateField(_("date"))
    quantity_t = models.DecimalField(_("quantity (t)"), **TONNES)
    balance_t = models.DecimalField(_("balance after (t)"), **TONNES)
    document = models.CharField(_("document reference"), max_length=120)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope = ScopePaths(
        prefecture=("holding__division__prefecture", "holding__enterprise__division__prefecture"),
        enterprise=("holding__enterprise",),
    )

    class Meta:
        verbose_name = _("reserve movement (出入库)")
        verbose_name_plural = _("reserve movements")
        ordering = ["holding", "moved_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_t__gt=0), name="movement_positive"),
            models.CheckConstraint(condition=Q(balance_t__gte=0), name="movement_balance_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.holding_id} {self.moved_on} {self.kind} {self.quantity_t}"
