"""Reference data: the divisions, metals, value-chain stages, industrial bases and the policy itself.

Principle 3 of DESIGN.md: these are rows with their source and a verified flag, editable in the admin,
never constants in code. They are loaded by data migrations (core/reference_data.py)."""

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ReferenceRow(models.Model):
    source = models.CharField(_("source"), max_length=300, help_text=_("Document or table this row comes from"))
    verified = models.BooleanField(
        _("verified"), default=False, help_text=_("Confirmed by the department against the source document")
    )

    class Meta:
        abstract = True


class BilingualName(models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=160, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Division(BilingualName, ReferenceRow):
    """An administrative division (GB/T 2260). Codes change over time, so each row has validity dates."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        ZONE = "zone", _("Special zone")

    code = models.CharField(
        _("GB/T 2260 code"), max_length=6, blank=True, help_text=_("Blank for zones that have no code of their own")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # The city-level scope a division belongs to: itself for cities and zones, its city for counties,
    # none for the province. Scoping compares against this, so a city user sees its counties' rows too.
    prefecture = models.ForeignKey(
        "self",
        verbose_name=_("city-level scope"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    located_in = models.CharField(_("located in"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("administrative division (行政区划)")
        verbose_name_plural = _("administrative divisions")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "valid_from"], condition=~models.Q(code=""), name="division_code_version"
            )
        ]

    @property
    def is_city_scope(self) -> bool:
        return self.level in (self.Level.CITY, self.Level.ZONE)


class Metal(BilingualName, ReferenceRow):
    code = models.CharField(_("code"), max_length=8, unique=True)
    symbol = models.CharField(_("symbol"), max_length=8, blank=True)
    policy_metal = models.BooleanField(_("named in the policy"), default=True)
    color = models.CharField(_("colour"), max_length=7, default="#607d8b")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("metal (金属品种)")
        verbose_name_plural = _("metals")
        ordering = ["order"]


class ValueChainStage(BilingualName, ReferenceRow):
    code = models.CharField(_("code"), max_length=20, unique=True)
    # Clause 二(三): the deep-processing and recycled shares are computed from these flags.
    deep_processing = models.BooleanField(_("counts as deep processing"), default=False)
    recycling = models.BooleanField(_("counts as recycling"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("value-chain stage (产业链环节)")
        verbose_name_plural = _("value-chain stages")
        ordering = ["order"]


class PolicyClause(ReferenceRow):
    class Module(models.TextChoices):
        REGISTRY = "registry", _("Registry")
        STATS = "stats", _("Statistics and targets")
        MONITORING = "monitoring", _("Online monitoring")
        CAPACITY = "capacity", _("Aluminium capacity")
        ENFORCEMENT = "enforcement", _("Enforcement")
        PRICING = "pricing", _("Electricity surcharges")
        SUPERVISION = "supervision", _("Supervision")
        PORTAL = "portal", _("Public portal")

    number = models.CharField(
        _("clause"), max_length=12, unique=True, help_text=_("The policy's own number, e.g. 二(七)")
    )
    title = models.CharField(_("title"), max_length=60)
    title_en = models.CharField(_("English title"), max_length=120, blank=True)
    requires = models.TextField(_("what it requires"))
    platform_duty = models.TextField(_("what the platform does"))
    module = models.CharField(_("module"), max_length=20, choices=Module.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    units = models.ManyToManyField(
        "ResponsibleUnit", through="ClauseResponsibility", related_name="clauses", verbose_name=_("responsible units")
    )

    class Meta:
        verbose_name = _("policy clause (政策条款)")
        verbose_name_plural = _("policy clauses")
        ordering = ["order"]

    def __str__(self) -> str:
        title = self.title_en if translation.get_language() == "en" and self.title_en else self.title
        return f"{self.number} {title}"


class ResponsibleUnit(BilingualName, ReferenceRow):
    class Kind(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial department")
        CENTRAL_BRANCH = "central_branch", _("Central agency in the province")
        COMPANY = "company", _("State-owned company")
        CITIES = "cities", _("City governments")

    code = models.SlugField(_("code"), max_length=30, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("responsible unit (责任单位)")
        verbose_name_plural = _("responsible units")
        ordering = ["order"]


class ClauseResponsibility(models.Model):
    clause = models.ForeignKey(PolicyClause, on_delete=models.CASCADE, related_name="responsibilities")
    unit = models.ForeignKey(ResponsibleUnit, on_delete=models.PROTECT, related_name="responsibilities")
    lead = models.BooleanField(_("lead unit"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("clause responsibility (条款责任分工)")
        verbose_name_plural = _("clause responsibilities")
        ordering = ["clause__order", "order"]
        constraints = [models.UniqueConstraint(fields=["clause", "unit"], name="clause_unit_once")]

    def __str__(self) -> str:
        return f"{self.clause.number} · {self.unit}"


class PolicyTarget(BilingualName, ReferenceRow):
    """A target of clause 一(二). Quantitative ones are computed by the statistics module; qualitative
    ones are tracked as supervision milestones."""

    class Kind(models.TextChoices):
        QUANTITATIVE = "quantitative", _("Quantitative")
        QUALITATIVE = "qualitative", _("Qualitative")

    class Comparator(models.TextChoices):
        AT_LEAST = "gte", "≥"
        ABOVE = "gt", ">"
        AT_MOST = "lte", "≤"
        RANK_WITHIN = "rank_lte", _("rank within")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    clause = models.ForeignKey(PolicyClause, on_delete=models.PROTECT, related_name="targets")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    comparator = models.CharField(_("comparator"), max_length=10, choices=Comparator.choices, blank=True)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    # The plan's starting year: progress towards a target year is measured along the path from it.
    base_year = models.PositiveSmallIntegerField(_("base year"), default=2015)
    per_year = models.BooleanField(_("holds every year"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("policy target (发展目标)")
        verbose_name_plural = _("policy targets")
        ordering = ["order"]

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.QUANTITATIVE and (self.value is None or not self.unit or not self.comparator):
            raise ValidationError(_("A quantitative target needs a comparator, a value and a unit."))


class IndustrialBase(BilingualName, ReferenceRow):
    """One of the six industrial bases of clause 二(四): a first-class scope for every indicator."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    short_name = models.CharField(_("short name"), max_length=30)
    metals = models.ManyToManyField(Metal, related_name="bases", verbose_name=_("metals"))
    divisions = models.ManyToManyField(Division, related_name="bases", verbose_name=_("divisions"))
    clause = models.ForeignKey(PolicyClause, on_delete=models.PROTECT, related_name="bases")
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("industrial base (产业基地)")
        verbose_name_plural = _("industrial bases")
        ordering = ["order"]
