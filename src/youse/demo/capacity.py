"""The demo's aluminium capacity ledger (clause 二(七)), written through capacity.services as the department.

- Every electrolysis unit of the registry enters the ledger: running lines active (on the 2017 clean-up
  list when they ran before October 2017, else built compliantly), idle ones available. One line is only
  partly covered: Yulin's second potline was filed at 20万t and runs at 25万t, the violation the
  department is meant to find (violations.detect runs at the end).
- Closed capacity that exists only on paper: two old Tongchuan lines in elimination announcements, one
  on the clean-up list, one never compliant (ineligible), and 15万t bought from Inner Mongolia.
- Four schemes: ZH-2023-001 approved, announced and dismantled (with a photo); ZH-2024-001 sent back by
  an upheld objection that cut 2万t; one approved half a year ago whose exit line is overdue for
  dismantling; and one in public notice now (published two working days before the build), so that the
  public can object to it.

Historical steps carry their own dates (the services' `on=`); the open notice and the overdue line are
dated from the day of the build, so that they are open and overdue whenever the demo is built."""

import datetime as dt
import struct
import zlib

from django.core.files.base import ContentFile
from django.utils import timezone

from youse.capacity import rules, services, violations
from youse.capacity.models import CapacityIndicator, CapacityViolation, ReplacementScheme
from youse.core.models import User
from youse.registry import services as registry
from youse.registry.models import Enterprise, Plant, ProductionUnit, UnitStatusChange
from youse.registry.rules import UnitStatus
from youse.stats import facts

YULIN, TONGCHUAN = "yulin-almg", "tongchuan-al"
# The tonnes the ledger covers of the Yulin leader's last potline (its registry says 25万t).
PARTLY_COVERED_T = 200_000
CONTACT = "陕西省工业和信息化厅原材料工业处，西安市新城区省政府大院，029-01234567（示例）"
REASON = "示例数据"


def png() -> bytes:
    """A valid 1×1 grey PNG, the demo's dismantling photo."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")
    )


def _first_operating(unit: ProductionUnit) -> dt.date:
    first = (
        UnitStatusChange.objects.filter(unit=unit, to_status=UnitStatus.OPERATING)
        .order_by("effective_on")
        .values_list("effective_on", flat=True)
        .first()
    )
    return first or unit.status_since


def _register_units(actor: User, enterprises: dict[str, Enterprise]) -> None:
    short = {YULIN: "YL", TONGCHUAN: "TC"}
    key_of = {e.pk: k for k, e in enterprises.items()}
    units = ProductionUnit.objects.filter(facts.ELECTROLYSIS).select_related("plant__enterprise").order_by("pk")
    units = [u for u in units if u.status != UnitStatus.EXITED]
    partly = max((u for u in units if key_of.get(u.plant.enterprise_id) == YULIN), key=lambda u: u.pk, default=None)
    counters: dict[str, int] = {}
    for unit in units:
        owner = unit.plant.enterprise
        prefix = short.get(key_of.get(owner.pk, ""), "SX")
        counters[prefix] = n = counters.get(prefix, 0) + 1
        since = _first_operating(unit)
        compliant = since >= rules.BUILT_COMPLIANT_FROM
        tonnes = int(unit.design_capacity)
        note = ""
        if unit == partly:
            tonnes = min(tonnes, PARTLY_COVERED_T)
            note = "备案产能20万吨；登记设计产能与备案不一致，差额未见置换指标（示例）"
        data = {
            "code": f"CN-{prefix}-{n:02d}",
            "tonnes": tonnes,
            "owner": owner,
            "unit": unit,
            "origin_equipment": unit.main_equipment,
            "origin_document": unit.approval_document or "陕工信登（示例）",
            "basis": rules.BasisKind.BUILT_COMPLIANT if compliant else rules.BasisKind.CLEANUP_2017,
            "basis_reference": (
                "建成投产验收文件（2017年10月后合规建设）" if compliant else "2017年电解铝行业清理整顿合规产能名单"
            ),
            "built_on": since,
            "note": note,
        }
        holding = None
        if unit.status == UnitStatus.IDLE:
            data["closed_on"] = unit.status_since
            holding = rules.Holding.AVAILABLE
        services.register_indicator(actor, data, holding=holding, effective_on=since, reason=REASON)


def _register_closed(actor: User, yulin: Enterprise, tongchuan: Enterprise) -> dict[str, CapacityIndicator]:
    rows = {
        # Sold to the Yulin leader under ZH-2023-001.
        "CN-TC-11": dict(tonnes=120000, owner=tongchuan, origin_equipment="240kA×132", basis="elimination",
                         origin_document="铜经贸发〔2003〕21号", closed_on=dt.date(2015, 6, 30), announced=True,
                         basis_reference="陕西省工业和信息化厅公告2016年第3号（淘汰落后产能）"),
        # Sold to the Yulin leader under the scheme whose dismantling is overdue.
        "CN-TC-12": dict(tonnes=100000, owner=tongchuan, origin_equipment="160kA×140", basis="elimination",
                         origin_document="铜经贸发〔1998〕7号", closed_on=dt.date(2014, 12, 31), announced=True,
                         basis_reference="陕西省工业和信息化厅公告2015年第5号（淘汰落后产能）"),
        # Tongchuan's own, claimed by ZH-2024-001; 2万t of it turned out never compliant.
        "CN-TC-13": dict(tonnes=150000, owner=tongchuan, origin_equipment="200kA×168", basis="cleanup_2017",
                         origin_document="铜发改〔2008〕45号", closed_on=dt.date(2019, 6, 30),
                         basis_reference="2017年电解铝行业清理整顿合规产能名单"),
        # Closed in 2012 and in no announcement: never usable.
        "CN-TC-14": dict(tonnes=50000, owner=tongchuan, origin_equipment="135kA×96", basis="none",
                         origin_document="铜经贸发〔1995〕3号", closed_on=dt.date(2012, 8, 31),
                         note="2013年前关停，未列入淘汰公告"),
        # Bought from another province, with its announcement; claimed by the scheme in notice.
        "CN-NM-01": dict(tonnes=150000, owner=yulin, origin_equipment="240kA×180", basis="transfer_in",
                         origin_province="内蒙古自治区", origin_enterprise="包头示范铝业有限公司（示例）",
                         origin_document="内经信投资字〔2006〕12号", closed_on=dt.date(2021, 12, 31),
                         basis_reference="内蒙古自治区2017年电解铝清理整顿合规名单",
                         transfer_reference="内蒙古自治区工业和信息化厅公告2022年第15号（产能跨省转让，示例）"),
    }  # fmt: skip
    return {
        code: services.register_indicator(actor, {"code": code, **data}, effective_on=data["closed_on"], reason=REASON)
        for code, data in rows.items()
    }


def _scheme(actor: User, applicant: Enterprise, plant: Plant, *, on: dt.date, **fields) -> ReplacementScheme:
    lines = fields.pop("lines")
    data = {
        "applicant": applicant,
        "plant": plant,
        "division": plant.division,
        "site": plant.address or plant.name,
        "route": "own",
        "contact": CONTACT,
        **fields,
    }
    return services.create_scheme(actor, data, lines, reason=REASON, on=on)


def _through_notice(actor: User, scheme: ReplacementScheme, submitted: dt.date, published: dt.date) -> None:
    services.submit_scheme(actor, scheme, reason=REASON, on=submitted)
    services.publish_scheme(actor, scheme, on=published, reason=REASON)
    scheme.refresh_from_db()


def _working_days_back(today: dt.date, n: int) -> dt.date:
    """The working day n working days before today (today itself when n is 0 and it is a working day)."""
    calendar = services.calendar_exceptions(today - dt.timedelta(days=60), today)
    day, counted = today, 0
    while True:
        if rules.is_working_day(day, calendar):
            if counted == n:
                return day
            counted += 1
        day -= dt.timedelta(days=1)


def _schemes(actor: User, enterprises: dict[str, Enterprise], today: dt.date) -> None:
    yulin, tongchuan = enterprises[YULIN], enterprises[TONGCHUAN]
    smelter = yulin.plants.filter(units__in=ProductionUnit.objects.filter(facts.ELECTROLYSIS)).distinct().first()
    tongchuan_plant = tongchuan.plants.order_by("pk").first()

    # 1. Approved in 2023, announced, the Tongchuan line it bought dismantled and photographed.
    a = _scheme(
        actor, yulin, smelter, on=dt.date(2023, 2, 27),
        title="电解铝三系列产能置换项目（12万吨/年）", main_equipment="500kA×88", capacity_t=120000,
        energy_kwh_per_t="12800", planned_start=dt.date(2024, 3, 1), planned_production=dt.date(2026, 12, 31),
        route="purchase",
        lines=[{"indicator": "CN-TC-11", "tonnes": 120000, "dismantling_start": dt.date(2023, 9, 1),
                "dismantling_due": dt.date(2023, 12, 31)}],
    )  # fmt: skip
    _through_notice(actor, a, dt.date(2023, 3, 6), dt.date(2023, 3, 13))
    services.end_notices(a.notice_end + dt.timedelta(days=1))
    services.approve_scheme(
        actor,
        a,
        document="陕工信发〔2023〕58号",
        unit_name="电解铝三系列（置换项目）",
        reason=REASON,
        on=dt.date(2023, 4, 20),
    )
    services.announce_scheme(actor, a, document="陕西省工业和信息化厅公告2023年第9号", on=dt.date(2023, 4, 28))
    a.refresh_from_db()
    registry.change_unit_status(
        actor, a.new_unit, UnitStatus.CONSTRUCTION, effective_on=dt.date(2024, 3, 1),
        document="榆建施〔2024〕16号", reason="置换项目开工建设",
    )  # fmt: skip
    services.confirm_dismantling(
        actor,
        a.exit_lines.get(),
        dismantled_on=dt.date(2023, 11, 20),
        files=[ContentFile(png(), name="铜川240kA系列拆除现场.png")],
        note="电解槽、整流机组已拆除，现场核查（示例）",
    )

    # 2. 2024: an objection shows 2万t of Tongchuan's old line were added in 2016 without approval.
    b = _scheme(
        actor, tongchuan, tongchuan_plant, on=dt.date(2024, 4, 1),
        title="董家河厂区电解铝节能改造产能置换项目（15万吨/年）", main_equipment="500kA×110", capacity_t=150000,
        energy_kwh_per_t="12950", planned_start=dt.date(2024, 9, 1), planned_production=dt.date(2025, 12, 31),
        lines=[{"indicator": "CN-TC-13", "tonnes": 150000, "dismantling_start": dt.date(2024, 7, 1),
                "dismantling_due": dt.date(2024, 12, 31)}],
    )  # fmt: skip
    _through_notice(actor, b, dt.date(2024, 4, 8), dt.date(2024, 4, 15))
    objection = services.file_objection(
        None,
        b,
        {
            "name": "赵明（示例）",
            "organisation": "铜川市某电解铝厂职工",
            "contact": "0919-01234567",
            "text": "该企业200kA系列2016年擅自增加电解槽，新增约2万吨产能未经审批，不在2017年清理整顿合规名单内。",
        },
        on=dt.date(2024, 4, 18),
    )
    services.end_notices(b.notice_end + dt.timedelta(days=1))
    services.decide_objection(
        actor,
        objection,
        upheld=True,
        finding="经现场核查和档案比对，2016年扩建的2万吨未列入合规名单，核减2万吨，方案退回修改。",
        cut_line=b.exit_lines.get(),
        cut_tonnes=20000,
        on=dt.date(2024, 5, 10),
    )

    # 3. Approved half a year ago; the exit line was due dismantled six weeks ago and is not.
    approved = today - dt.timedelta(days=150)
    published = approved - dt.timedelta(days=35)
    d = _scheme(
        actor, yulin, smelter, on=published - dt.timedelta(days=10),
        title="电解铝四系列产能置换项目（10万吨/年）", main_equipment="500kA×74", capacity_t=100000,
        energy_kwh_per_t="12900", planned_start=today + dt.timedelta(days=60),
        planned_production=today + dt.timedelta(days=400), route="purchase",
        lines=[{"indicator": "CN-TC-12", "tonnes": 100000, "dismantling_start": approved + dt.timedelta(days=30),
                "dismantling_due": today - dt.timedelta(days=45)}],
    )  # fmt: skip
    _through_notice(actor, d, published - dt.timedelta(days=5), published)
    services.end_notices(d.notice_end + dt.timedelta(days=1))
    services.approve_scheme(
        actor, d, document=f"陕工信发〔{approved.year}〕112号", unit_name="电解铝四系列（置换项目）", reason=REASON,
        on=approved,
    )  # fmt: skip
    services.announce_scheme(
        actor, d, document=f"陕西省工业和信息化厅公告{approved.year}年第21号", on=approved + dt.timedelta(days=8)
    )
    services.mark_overdue_dismantling(today)

    # 4. In public notice now: published two working days ago, the public may object until its end.
    published = _working_days_back(today, min(2, services.notice_working_days() - 1))
    c = _scheme(
        actor, yulin, smelter, on=published - dt.timedelta(days=7),
        title="电解铝五系列产能置换项目（15万吨/年）", main_equipment="500kA×110", capacity_t=150000,
        energy_kwh_per_t="12850", planned_start=today + dt.timedelta(days=120),
        planned_production=today + dt.timedelta(days=580), route="cross_province",
        lines=[{"indicator": "CN-NM-01", "tonnes": 150000, "dismantling_start": today + dt.timedelta(days=90),
                "dismantling_due": today + dt.timedelta(days=300)}],
    )  # fmt: skip
    _through_notice(actor, c, published - dt.timedelta(days=3), published)


def build(actor: User, enterprises: dict[str, Enterprise], today: dt.date | None = None) -> None:
    """The ledger and its schemes. `enterprises` maps the plan's keys to the enterprises built.

    Approved schemes add their new lines to the registry (at the Yulin smelter, which already has its
    stack), so this runs before the monitoring points and the reports are drawn from the registry."""
    today = today or timezone.localdate()
    _register_units(actor, enterprises)
    _register_closed(actor, enterprises[YULIN], enterprises[TONGCHUAN])
    _schemes(actor, enterprises, today)


def detect() -> dict[str, int]:
    """Find the violations (after the reports, whose output they judge); the counts for DemoDataset."""
    violations.detect(timezone.now())
    return {
        "capacity_indicators": CapacityIndicator.objects.count(),
        "capacity_schemes": ReplacementScheme.objects.count(),
        "capacity_violations": CapacityViolation.objects.filter(status=CapacityViolation.Status.OPEN).count(),
    }
