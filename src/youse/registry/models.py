"""Who produces what where: enterprises, their plants, and the plants' production units."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from youse.core.scopes import ScopePaths
from youse.registry.rules import UnitStatus


class Ownership(models.TextChoices):
    CENTRAL_SOE = "central_soe", _("Central state-owned")
    LOCAL_SOE = "local_soe", _("Provincial or local state-owned")
    PRIVATE = "private", _("Private")
    MIXED = "mixed", _("Mixed ownership")
    FOREIGN = "foreign", _("Foreign or Hong Kong/Macao/Taiwan invested")
    COLLECTIVE = "collective", _("Collective")


class Enterprise(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("In business")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("registered division"), on_delete=models.PROTECT, related_name="enterprises"
    )
    base = models.ForeignKey(
        "core.IndustrialBase",
        verbose_name=_("industrial base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    ownership = models.CharField(_("ownership"), max_length=20, choices=Ownership.choices)
    group_name = models.CharField(
        _("group (所属集团)"), max_length=120, blank=True, help_text=_("The group the enterprise belongs to, if any")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    legal_representative = models.CharField(_("legal representative"), max_length=40, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    established_on = models.DateField(_("established"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope = ScopePaths(prefecture=("division__prefecture",), enterprise=("pk",))

    class Meta:
        verbose_name = _("enterprise (企业)")
        verbose_name_plural = _("enterprises")
        ordering = ["name"]
        indexes = [models.Index(fields=["division", "name"], name="enterprise_division_idx")]

    def __str__(self) -> str:
        return self.name


class Plant(models.Model):
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="plants"
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("site address"), max_length=200, blank=True)
    division = models.ForeignKey(
        "core.Division", verbose_name=_("division"), on_delete=models.PROTECT, related_name="plants"
    )
    base = models.ForeignKey(
        "core.IndustrialBase",
        verbose_name=_("industrial base"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plants",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Its name shows its enterprise's: histories that name plants load that with them.
    label_related = ("enterprise",)
    # A city sees the plants on its ground and the plants of enterprises registered in it.
    scope = ScopePaths(
        prefecture=("division__prefecture", "enterprise__division__prefecture"), enterprise=("enterprise",)
    )

    class Meta:
        verbose_name = _("plant (厂区)")
        verbose_name_plural = _("plants")
        ordering = ["enterprise__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "name"], name="plant_name_per_enterprise"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90), name="plant_latitude_range"
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="plant_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise.short_name or self.enterprise.name} · {self.name}"


class CapacityUnit(models.TextChoices):
    TONNES_PER_YEAR = "t/a", _("t/yr")
    TONNES_ORE_PER_DAY = "t ore/d", _("t ore/day")


STATUS_LABELS = {
    UnitStatus.PLANNED: _("Planned"),
    UnitStatus.APPROVED: _("Approved"),
    UnitStatus.CONSTRUCTION: _("Under construction"),
    UnitStatus.OPERATING: _("Operating"),
    UnitStatus.IDLE: _("Idle"),
    UnitStatus.EXITED: _("Exited (dismantled)"),
}
STATUS_COLOURS = {
    UnitStatus.PLANNED: "secondary",
    UnitStatus.APPROVED: "info",
    UnitStatus.CONSTRUCTION: "primary",
    UnitStatus.OPERATING: "success",
    UnitStatus.IDLE: "warning",
    UnitStatus.EXITED: "dark",
}


UNIT_STATUS_CHOICES = [(s.value, STATUS_LABELS[s]) for s in UnitStatus]


class ProductionUnit(models.Model):
    STATUS_LABELS = STATUS_LABELS
    STATUS_COLOURS = STATUS_COLOURS

    plant = models.ForeignKey(Plant, verbose_name=_("plant"), on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=120)
    metal = models.ForeignKey("core.Metal", verbose_name=_("metal"), on_delete=models.PROTECT, related_name="units")
    stage = models.ForeignKey(
        "core.ValueChainStage", verbose_name=_("value-chain stage"), on_delete=models.PROTECT, related_name="units"
    )
    product = models.CharField(_("product"), max_length=80)
    process = models.CharField(_("process"), max_length=120, blank=True)
    main_equipment = models.CharField(
        _("main equipment"), max_length=120, blank=True, help_text=_('For example "500kA×256"')
    )
    design_capacity = models.DecimalField(_("design capacity"), max_digits=14, decimal_places=2)
    capacity_unit = models.CharField(_("capacity unit"), max_length=10, choices=CapacityUnit.choices)
    status = models.CharField(_("status"), max_length=15, choices=UNIT_STATUS_CHOICES, default="planned")
    status_since = models.DateField(_("status since"))
    approval_document = models.CharField(_("filing / approval document"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope = ScopePaths(
        prefecture=("plant__division__prefecture", "plant__enterprise__division__prefecture"),
        enterprise=("plant__enterprise",),
    )

    class Meta:
        verbose_name = _("production unit (生产单元)")
        verbose_name_plural = _("production units")
        ordering = ["plant__enterprise__name", "plant__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["plant", "name"], name="unit_name_per_plant"),
            models.CheckConstraint(condition=Q(design_capacity__gt=0), name="unit_capacity_positive"),
        ]
        indexes = [models.Index(fields=["metal", "status"], name="unit_metal_status_idx")]

    def __str__(self) -> str:
        return f"{self.plant} · {self.name}"

    @property
    def status_colour(self) -> str:
        return self.STATUS_COLOURS[UnitStatus(self.status)]


class UnitStatusChange(models.Model):
    """The dated status history of a production unit, with the document that changed it."""

    unit = models.ForeignKey(ProductionUnit, on_delete=models.PROTECT, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=15, blank=True)
    to_status = models.CharField(_("to"), max_length=15)
    effective_on = models.DateField(_("effective date"))
    document = models.CharField(_("document"), max_length=120, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    scope = ScopePaths(
        prefecture=("unit__plant__division__prefecture", "unit__plant__enterprise__division__prefecture"),
        enterprise=("unit__plant__enterprise",),
    )

    class Meta:
        verbose_name = _("status change (状态变更)")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_on", "-id"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.from_status or '—'} → {self.to_status} ({self.effective_on})"

    @property
    def to_label(self) -> str:
        return ProductionUnit.STATUS_LABELS[UnitStatus(self.to_status)]

    @property
    def from_label(self) -> str:
        return ProductionUnit.STATUS_LABELS[UnitStatus(self.from_status)] if self.from_status else ""
