"""Online monitoring: the points that report over HJ 212, their readings, the limits that apply, the
packets held in quarantine, alarms and the repeated exceedances handed to enforcement."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from youse.core.models.reference import ReferenceRow
from youse.core.scopes import ScopePaths

POINT_SCOPE = ScopePaths(
    prefecture=("plant__division__prefecture", "plant__enterprise__division__prefecture"),
    enterprise=("plant__enterprise",),
)
# Rows that belong to a point (readings, alarms, repeated exceedances) are seen by whoever sees the point.
VIA_POINT = ScopePaths(
    prefecture=tuple(f"point__{path}" for path in POINT_SCOPE.prefecture),
    enterprise=tuple(f"point__{path}" for path in POINT_SCOPE.enterprise),
)


class Medium(models.TextChoices):
    GAS = "gas", _("Flue gas")
    WATER = "water", _("Wastewater")


class CrcVariant(models.TextChoices):
    HJ212 = "hj212", _("HJ 212 Appendix A")
    MODBUS = "modbus", _("CRC-16/MODBUS")
    MODBUS_SWAPPED = "modbus-swapped", _("CRC-16/MODBUS, bytes swapped")


class MonitoringPoint(models.Model):
    """A data logger at an outlet (排放口) of a plant, known by its MN (设备唯一标识)."""

    mn = models.CharField(_("MN (device id)"), max_length=27, unique=True)
    pw = models.CharField(_("PW (access password)"), max_length=9, default="123456")
    name = models.CharField(_("name"), max_length=80)
    plant = models.ForeignKey(
        "registry.Plant", verbose_name=_("plant"), on_delete=models.PROTECT, related_name="monitoring_points"
    )
    outlet = models.CharField(_("outlet"), max_length=80, help_text=_("For example 电解烟气排放口 DA001"))
    medium = models.CharField(_("medium"), max_length=8, choices=Medium.choices)
    # Which limits apply: rows of Limit with this standard and plant type (special limits where required).
    standard = models.CharField(_("emission standard"), max_length=40, help_text=_("For example GB 25465-2010"))
    plant_type = models.CharField(_("plant type"), max_length=60, help_text=_("As the standard's table names it"))
    special_limits = models.BooleanField(_("special limits apply (特别排放限值)"), default=False)
    accepted_crc = models.JSONField(
        _("accepted CRC variants"),
        default=list,
        blank=True,
        help_text=_("Vendor variants accepted besides the standard's; empty: the standard only"),
    )
    expected_interval_s = models.PositiveIntegerField(
        _("expected interval of minute data (s)"), default=60, help_text=_("Longer gaps raise a missing-data alarm")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope = POINT_SCOPE

    class Meta:
        verbose_name = _("monitoring point (监测点位)")
        verbose_name_plural = _("monitoring points")
        ordering = ["plant__enterprise__name", "name"]

    def __str__(self) -> str:
        return f"{self.plant} · {self.name}"

    def accepts(self, variant: str) -> bool:
        return variant == CrcVariant.HJ212 or variant in (self.accepted_crc or [])


class ReadingKind(models.TextChoices):
    REALTIME = "rtd", _("Real-time (2011)")
    MINUTE = "min", _("Minute (2051)")
    HOUR = "hour", _("Hour (2061)")
    DAY = "day", _("Day (2031)")


class Reading(models.Model):
    """One factor's figures for one period of one point. Idempotent on (point, kind, data time, factor):
    replays and devices that resend add nothing. On PostgreSQL the table is partitioned by month of
    data_time (migration 0002)."""

    pk = models.CompositePrimaryKey("point", "kind", "data_time", "factor")
    point = models.ForeignKey(MonitoringPoint, on_delete=models.PROTECT, related_name="readings", db_constraint=False)
    kind = models.CharField(_("kind"), max_length=4, choices=ReadingKind.choices)
    # The start of the period (HJ 212 DataTime, Beijing time on the wire), stored in UTC.
    data_time = models.DateTimeField(_("data time"))
    factor = models.CharField(_("factor (HJ 212-2017 code)"), max_length=12)
    rtd = models.FloatField(_("real-time value"), null=True, blank=True)
    avg = models.FloatField(_("average"), null=True, blank=True)
    min = models.FloatField(_("minimum"), null=True, blank=True)
    max = models.FloatField(_("maximum"), null=True, blank=True)
    cou = models.FloatField(_("cumulative"), null=True, blank=True)
    zs_rtd = models.FloatField(_("converted real-time value"), null=True, blank=True)
    zs_avg = models.FloatField(_("converted average"), null=True, blank=True)
    zs_min = models.FloatField(_("converted minimum"), null=True, blank=True)
    zs_max = models.FloatField(_("converted maximum"), null=True, blank=True)
    flag = models.CharField(_("data flag"), max_length=2, blank=True)
    eflag = models.CharField(_("device flag"), max_length=8, blank=True)
    # Computed by Youse (Appendix D) rather than reported by the device.
    computed = models.BooleanField(_("computed"), default=False)
    received_at = models.DateTimeField(_("received"))

    scope = VIA_POINT

    class Meta:
        verbose_name = _("reading (监测数据)")
        verbose_name_plural = _("readings")
        indexes = [models.Index(fields=["point", "factor", "kind", "data_time"], name="reading_series_idx")]

    def __str__(self) -> str:
        return f"{self.point_id} {self.kind} {self.data_time:%Y-%m-%d %H:%M} {self.factor}"


class Limit(ReferenceRow):
    """An emission limit of a national or local standard (FACTS.md: values unverified until confirmed)."""

    class Averaging(models.TextChoices):
        HOUR = "hour", _("Hourly average")
        DAY = "day", _("Daily average")

    standard = models.CharField(_("standard"), max_length=40)
    table = models.CharField(_("table"), max_length=40, blank=True)
    plant_type = models.CharField(_("plant type"), max_length=60)
    factor = models.CharField(_("factor (HJ 212-2017 code)"), max_length=12)
    pollutant = models.CharField(_("pollutant"), max_length=40)
    value = models.FloatField(_("limit"))
    unit = models.CharField(_("unit"), max_length=12)
    averaging = models.CharField(_("averaging period"), max_length=5, choices=Averaging.choices, default="hour")
    special = models.BooleanField(_("special limit (特别排放限值)"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("emission limit (排放限值)")
        verbose_name_plural = _("emission limits")
        ordering = ["standard", "plant_type", "factor", "special"]

    def __str__(self) -> str:
        return f"{self.standard} {self.plant_type} {self.pollutant} {self.value} {self.unit}"


class QuarantinedPacket(models.Model):
    """A packet that could not become readings (unknown MN, wrong PW, a CRC variant the point does not
    accept...). Kept for the environment department to review and assign, never dropped."""

    # Why a packet is held (hj212/store.py); codes stay open-ended, so this is a label table, not choices.
    REASONS = {
        "unknown_mn": _("Unknown MN"),
        "wrong_pw": _("Wrong PW"),
        "crc": _("CRC error"),
        "crc_variant": _("CRC variant not accepted for this point"),
        "inactive_point": _("Point not active"),
        "no_datatime": _("No DataTime"),
        "undecodable": _("Undecodable packet"),
    }

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ASSIGNED = "assigned", _("Assigned to a point")
        DISMISSED = "dismissed", _("Dismissed")

    received_at = models.DateTimeField(_("received"), db_index=True)
    peer = models.CharField(_("sender address"), max_length=64, blank=True)
    mn = models.CharField(_("MN"), max_length=40, blank=True, db_index=True)
    cn = models.CharField(_("CN"), max_length=8, blank=True)
    reason = models.CharField(_("reason"), max_length=40)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    raw = models.TextField(_("packet"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    point = models.ForeignKey(
        MonitoringPoint, verbose_name=_("assigned point"), null=True, blank=True, on_delete=models.PROTECT
    )
    reviewed_by = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("quarantined packet (隔离报文)")
        verbose_name_plural = _("quarantined packets")
        ordering = ["-received_at", "-id"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M:%S} {self.mn} {self.reason}"

    @property
    def reason_label(self) -> str:
        return str(self.REASONS.get(self.reason, self.reason))


class AlarmKind(models.TextChoices):
    EXCEEDANCE = "exceedance", _("Exceedance of the limit")
    MISSING = "missing", _("Missing data")
    FLATLINE = "flatline", _("Flat line")
    INSTRUMENT = "instrument", _("Instrument flag (F/M/D/C/B)")
    ABOVE_RANGE = "above_range", _("Above the instrument's range (T)")
    IMPLAUSIBLE = "implausible", _("Outside physical bounds")


class Alarm(models.Model):
    point = models.ForeignKey(MonitoringPoint, verbose_name=_("point"), on_delete=models.PROTECT, related_name="alarms")
    kind = models.CharField(_("kind"), max_length=12, choices=AlarmKind.choices)
    factor = models.CharField(_("factor"), max_length=12, blank=True)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    peak = models.FloatField(_("peak"), null=True, blank=True)
    limit = models.FloatField(_("limit"), null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=12, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    enterprise_ack_at = models.DateTimeField(_("acknowledged by the enterprise"), null=True, blank=True)
    enterprise_ack_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enterprise_note = models.TextField(_("enterprise's explanation"), blank=True)
    authority_ack_at = models.DateTimeField(_("acknowledged by the environment department"), null=True, blank=True)
    authority_ack_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    authority_note = models.TextField(_("environment department's note"), blank=True)

    scope = VIA_POINT

    class Meta:
        verbose_name = _("alarm (报警)")
        verbose_name_plural = _("alarms")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "kind", "factor"], condition=Q(ended_at__isnull=True), name="one_open_alarm_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.get_kind_display()} {self.factor} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration(self):
        return (self.ended_at - self.started_at) if self.ended_at else None


class RepeatedExceedance(models.Model):
    """Exceedances that repeat at one point: an item for the enforcement workflow (clause 二(八))."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REFERRED = "referred", _("Referred to enforcement")
        CLOSED = "closed", _("Closed")

    point = models.ForeignKey(MonitoringPoint, verbose_name=_("point"), on_delete=models.PROTECT, related_name="+")
    factor = models.CharField(_("factor"), max_length=12)
    first_at = models.DateTimeField(_("first exceedance"))
    last_at = models.DateTimeField(_("last exceedance"))
    count = models.PositiveIntegerField(_("exceedances"))
    window_days = models.PositiveSmallIntegerField(_("within days"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    alarms = models.ManyToManyField(Alarm, related_name="+", verbose_name=_("alarms"))
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)

    scope = VIA_POINT

    class Meta:
        verbose_name = _("repeated exceedance (多次超标)")
        verbose_name_plural = _("repeated exceedances")
        ordering = ["-last_at"]

    def __str__(self) -> str:
        return f"{self.point} {self.factor} ×{self.count}"
