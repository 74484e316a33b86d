"""The demo's enforcement cases (clauses 二(八), 三(三), 三(七)), written through enforcement.services: the
department runs campaigns, decides closures and publishes; a city with a persona (Yulin, Baoji) inspects
and orders in its own city, and the department does so where the city has none; the enterprise personas
answer their own orders, the city records the others' answers.

- 2017年有色金属行业专项检查: every enterprise in business, all metals and cities, five dimensions. Those in
  business by mid-2017 were inspected from August to November 2017 (those founded since, a year before
  the build); most passed. Three failed and rectified in 2018: Tongchuan's potline on energy (AC
  consumption above 13,700 kWh/t), the Mianxian lead-zinc smelter on particulate, a Weinan molybdenum mine
  on its safety licence.
- The past year's follow-up (回头看) re-inspects some who passed in 2017. A zinc mine without a valid safety
  licence failed its re-inspection and was closed three days before the build behind a complete
  resettlement plan, its land converted to a service use (kept five years). A Yulin magnesium smelter
  found below 15,000 t/a failed its re-inspection: its closure is decided but blocked on a resettlement
  plan short of funding and without the congress minutes. Other orders are issued, in progress,
  reported done, rectified, or overdue (escalated by mark_overdue_orders on the day of the build).
- Cases from other sources: an open repeated exceedance at a monitoring point, a complaint, and (after the
  violations are detected, see `finish`) the open capacity violation.
- Announcements: the executed closure, the rectification list (with a correction as version 2) and the
  survey results are published; the blocked closure's announcement is left as a draft.

Historical steps carry their own dates; the past year's are dated back from the day of the build, so that the
orders due later are still running and the overdue ones overdue whenever the demo is built. The closure
executes three days before the build, so the mine still ran in every month whose report is owed, and the
monthly reports (drawn from the plan's unit histories) stay as they were. Enterprises are chosen by what they
run and where; another seed or scale that lacks one falls back to a similar enterprise elsewhere. No
electrolysis line is closed: the capacity ledger keeps its own story."""

import datetime as dt
import random

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone, translation

from youse.capacity.models import CapacityViolation
from youse.core.models import User
from youse.demo.capacity import png
from youse.enforcement import services
from youse.enforcement.models import (
    Announcement,
    AnnouncementVersion,
    Campaign,
    Case,
    ChecklistItem,
    Closure,
    Inspection,
    RectificationOrder,
)
from youse.monitoring.models import MonitoringPoint, RepeatedExceedance
from youse.registry.models import Enterprise, ProductionUnit
from youse.registry.rules import UnitStatus
from youse.stats import facts

CAMPAIGN = "2017年有色金属行业专项检查"
CAMPAIGN_STARTS, CAMPAIGN_DUE = dt.date(2017, 8, 1), dt.date(2017, 12, 31)
# Enterprises in business by then were inspected in 2017; those founded later in this year's follow-up.
FOUNDED_BY = dt.date(2017, 6, 30)
DIMENSIONS = ["environment", "energy", "quality", "safety", "technology"]
CITY_PERSONAS = {"610800": "yulin", "610300": "baoji"}
ENTERPRISE_PERSONAS = {"yulin-almg": "ent-a", "baoji-ti": "ent-b"}
PROVINCE_UNIT = "陕西省工业和信息化厅"
INSPECTORS = ("王建华", "李秀兰", "张志强", "刘海燕", "陈立新", "杨文斌", "赵晓明", "周丽娟", "吴国平", "孙红梅")
POLICY = "《陕西省有色金属工业转型升级实施方案》二(八)（示例）"
REASON = "示例数据"


def pdf(title: str) -> bytes:
    """A minimal PDF standing in for a scanned document (the congress minutes, a rectification report)."""
    return f"%PDF-1.4\n% {title} (synthetic)\n%%EOF\n".encode()


class _Story:
    """The actors, the campaign's cases and a seeded generator for the measured values."""

    def __init__(self, users: dict[str, User], enterprises: dict[str, Enterprise], seed: int, today: dt.date):
        self.users, self.enterprises, self.today = users, enterprises, today
        self.department = users["gxt"]
        self.key_of = {e.pk: k for k, e in enterprises.items()}
        self.rng = random.Random(f"youse-demo-enforcement:{seed}")
        self.items = {i.code: i for i in ChecklistItem.objects.select_related("norm")}
        self.monitored = set(MonitoringPoint.objects.values_list("plant__enterprise_id", flat=True))
        self.cases: dict[int, Case] = {}
        self.taken: set[int] = set()

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    # --- who acts -----------------------------------------------------------------------------------

    def city(self, case: Case) -> User:
        """The city inspects in its own city; the department where the city has no persona."""
        return self.users.get(CITY_PERSONAS.get(case.city.code, ""), self.department)

    def respondent(self, case: Case) -> User:
        persona = ENTERPRISE_PERSONAS.get(self.key_of.get(case.enterprise_id, ""))
        return self.users.get(persona or "", self.city(case))

    def inspecting_unit(self, case: Case) -> str:
        if case.city.code in CITY_PERSONAS:
            return f"{case.city.name}工业和信息化局"
        return f"{PROVINCE_UNIT}、{case.city.name}工业和信息化局（联合检查）"

    def inspectors(self) -> str:
        return "、".join(self.rng.sample(INSPECTORS, 2)) + "（示例）"

    # --- checklists ---------------------------------------------------------------------------------

    def results(self, ent: Enterprise, failing: dict[str, dict] | None = None) -> list[dict]:
        """One checklist item per dimension, plus the measured limits that apply to the enterprise's
        smelting units; `failing` replaces the answer for the items found wanting."""
        units = list(ProductionUnit.objects.filter(plant__enterprise=ent).exclude(status=UnitStatus.EXITED))
        smelts = {u.metal.code for u in units if u.stage.code == "smelting"}
        rows = {code: {"met": True} for code in ("ENV-GEN-1", "ENE-GEN-1", "QUA-GEN-1", "SAF-GEN-1", "TEC-GEN-1")}
        if "Al" in smelts:
            rows["ENV-AL-1"] = {"measured": f"{self.rng.uniform(8, 17):.1f}"}
            rows["ENE-AL-1"] = {"measured": f"{self.rng.randint(13150, 13600)}"}
        if smelts & {"Pb", "Zn"}:
            rows["ENV-PBZN-1"] = {"measured": f"{self.rng.uniform(18, 60):.1f}"}
            rows["ENV-PBZN-2"] = {"measured": f"{self.rng.uniform(0.4, 4):.2f}"}
        if "Mg" in smelts:
            mg = max(u.design_capacity for u in units if u.metal.code == "Mg" and u.stage.code == "smelting")
            rows["TEC-MG-1"] = {"measured": f"{mg:.0f}"}
        if ent.pk in self.monitored:
            rows["ENV-MON-1"] = {"met": True}
        for code, answer in (failing or {}).items():
            rows[code] = answer
        return [{"item": code, **answer} for code, answer in rows.items()]

    def inspect(self, case: Case, on: dt.date, failing: dict[str, dict] | None = None, **kw) -> Inspection:
        data = {
            "inspecting_unit": self.inspecting_unit(case),
            "inspectors": self.inspectors(),
            "inspected_on": on,
            "dimensions": case.dimensions,
            "notes": kw.pop("notes", ""),
        }
        return services.record_inspection(
            self.city(case), case, data, self.results(case.enterprise, failing), kw.pop("findings", ()), **kw
        )

    def reinspect(self, order: RectificationOrder, on: dt.date, results: list[dict], notes: str) -> Inspection:
        data = {
            "inspecting_unit": self.inspecting_unit(order.case),
            "inspectors": self.inspectors(),
            "inspected_on": on,
            "dimensions": order.case.dimensions,
            "notes": notes,
        }
        return services.reinspect(self.city(order.case), order, data, results)

    def order(self, inspection: Inspection, issued_on: dt.date, deadline: dt.date, requirement: str):
        """An order whose requirements answer each failed finding, citing the finding's norm."""
        findings = list(inspection.findings.select_related("item__norm"))
        reqs = []
        for finding in findings:
            norm = finding.item.norm if finding.item else None
            basis = f"{norm.title}（{norm.document}）；{POLICY}" if norm else POLICY
            text = requirement if len(findings) == 1 or not finding.item else f"{requirement}：{finding.item.text}"
            reqs.append({"text": text, "basis": basis, "finding": finding})
        person = inspection.case.enterprise.legal_representative or "企业法定代表人"
        return services.issue_order(
            self.city(inspection.case),
            inspection,
            {"issued_on": issued_on, "deadline": deadline, "responsible_person": f"{person}（法定代表人）"},
            reqs,
            reason=REASON,
        )

    def answer(self, order: RectificationOrder, reported_on: dt.date | None, report: str = "") -> None:
        """The enterprise starts work and, with a date, reports it done with its report as a PDF."""
        who = self.respondent(order.case)
        services.start_order(who, order, note=REASON)
        if reported_on:
            files = [ContentFile(pdf(f"{order.code} report"), name=f"{order.code}整改报告.pdf")]
            services.report_done(who, order, report=report, reported_on=reported_on, files=files)

    # --- choosing the enterprises -------------------------------------------------------------------

    def pick(self, *tests, key: str | None = None) -> Case:
        """A leader by its key; else the first follower's campaign case (in the plan's key order) not yet in
        the story that passes the first of `tests` (each `test(enterprise, units not exited)`) that any
        passes, founded by mid-2017 so that it passed the 2017 survey first. Other seeds and scales draw
        other enterprises: when none fits, enterprises founded later are tried, then any follower with a
        running unit takes the part."""
        if key in self.enterprises:
            ent = self.enterprises[key]
            self.taken.add(ent.pk)
            return self.cases[ent.pk]
        followers = [self.enterprises[k] for k in sorted(self.enterprises) if k[-4:].isdigit()]
        followers = [e for e in followers if e.pk in self.cases and e.pk not in self.taken]
        founded = [e for e in followers if e.established_on and e.established_on <= FOUNDED_BY]
        tries = [(pool, test) for test in tests for pool in (founded, followers)] + [(followers, _running)]
        for pool, fits in tries:
            for ent in pool:
                units = ProductionUnit.objects.filter(plant__enterprise=ent).exclude(status=UnitStatus.EXITED)
                if fits(ent, list(units.select_related("metal", "stage"))):
                    self.taken.add(ent.pk)
                    return self.cases[ent.pk]
        raise LookupError("no enterprise in the demo can play this part of the enforcement story")


def _running(ent: Enterprise, units: list[ProductionUnit]) -> bool:
    """A unit running (or idle), and no electrolysis line: the ledger keeps its own demo story."""
    return any(u.status in (UnitStatus.OPERATING, UnitStatus.IDLE) for u in units) and not any(
        facts.is_electrolysis(u) for u in units
    )


def _campaign(story: _Story) -> Campaign:
    campaign = services.create_campaign(
        story.department,
        {
            "name": CAMPAIGN,
            "year": 2017,
            "dimensions": DIMENSIONS,
            "metals": [],
            "cities": [],
            "starts_on": CAMPAIGN_STARTS,
            "due_on": CAMPAIGN_DUE,
        },
        reason=REASON,
    )
    story.cases = {c.enterprise_id: c for c in Case.objects.filter(campaign=campaign).select_related("city")}
    return campaign


def _in(city: str | None, metal: str | None = None, stage: str | None = None, among: set[int] | None = None):
    """An enterprise of `city` (any when None) running a unit of `metal` at `stage` (each when given),
    with `among` one of those enterprises (by id)."""

    def test(ent: Enterprise, units: list[ProductionUnit]) -> bool:
        if city and not (ent.division.prefecture and ent.division.prefecture.code == city):
            return False
        if among is not None and ent.pk not in among:
            return False
        return _running(ent, units) and any(
            u.status in (UnitStatus.OPERATING, UnitStatus.IDLE)
            and metal in (None, u.metal.code)
            and stage in (None, u.stage.code)
            for u in units
        )

    return test


def _closed_in_2018(story: _Story) -> None:
    """2017 failures rectified in 2018: energy, particulate, a safety licence."""
    steps = [
        (
            story.pick(key="tongchuan-al"),
            {"ENE-AL-1": {"measured": "13850", "note": "铝液综合交流电耗超过能耗限额（示例）"}},
            "对电解槽实施节能改造，铝液综合交流电耗降至能耗限额以内",
            dt.date(2017, 9, 12),
            [{"item": "ENE-AL-1", "measured": "13620"}],
        ),
        (
            story.pick(key="mianxian-zn"),
            {"ENV-PBZN-1": {"measured": "96.5", "note": "制酸尾气颗粒物超标（示例）"}},
            "更换除尘设施滤袋并增设湿式电除尘，颗粒物稳定达标排放",
            dt.date(2017, 10, 17),
            [{"item": "ENV-PBZN-1", "measured": "38.2"}],
        ),
        (
            story.pick(_in("610500", "Mo", "mining"), _in(None, None, "mining")),
            {"SAF-GEN-1": {"met": False, "note": "安全生产许可证已于2017年5月过期（示例）"}},
            "办理安全生产许可证延续手续，未取得前停止井下作业",
            dt.date(2017, 9, 26),
            [{"item": "SAF-GEN-1", "met": True}],
        ),
    ]
    for case, failing, requirement, on, after in steps:
        inspection = story.inspect(case, on, failing)
        order = story.order(inspection, on + dt.timedelta(days=6), dt.date(2018, 6, 30), requirement)
        story.answer(order, dt.date(2018, 6, 8), "已按整改要求完成整改，附整改报告及检测报告（示例）")
        story.reinspect(order, dt.date(2018, 7, 10), after, "复查合格，整改完成（示例）")


def _executed_closure(story: _Story) -> Closure:
    """A zinc mine that passed in 2017 is found this year without a safety licence and with a dangerous
    tailings pond, fails its re-inspection and is closed behind a complete resettlement plan.

    Executed three days before the build: the monthly reports, drawn from the plan's histories, are owed
    up to a month that has ended, and the mine ran in it, so the closure leaves the reports as they were."""
    case = story.pick(_in("610300", "Zn", "mining"), _in(None, None, "mining"))
    photo = [ContentFile(png(), name="尾矿库现场照片.png")]
    failing = {
        "SAF-GEN-1": {"met": False, "note": "安全生产许可证过期未延续（示例）"},
        "SAF-GEN-2": {"met": False, "note": "尾矿库坝体渗水，存在重大事故隐患（示例）"},
    }
    inspection = story.inspect(case, story.ago(300), failing, files=photo, notes="专项检查回头看（示例）")
    order = story.order(inspection, story.ago(295), story.ago(200), "取得安全生产许可证，完成尾矿库隐患治理")
    story.answer(order, story.ago(205), "已提交安全生产许可证延续申请，尾矿库治理方案编制中（示例）")
    story.reinspect(
        order,
        story.ago(190),
        [{"item": "SAF-GEN-1", "met": False, "note": "仍未取得安全生产许可证"}, {"item": "SAF-GEN-2", "met": False}],
        "复查不合格，建议关停退出（示例）",
    )
    closure = Closure.objects.get(case=case)
    units = ProductionUnit.objects.filter(
        plant__enterprise=case.enterprise, status__in=[UnitStatus.OPERATING, UnitStatus.IDLE]
    )
    dept = story.department
    decided, executed = story.ago(170), story.ago(3)
    services.decide_closure(
        dept,
        closure,
        {
            "units": [u.pk for u in units],
            "basis": f"{POLICY}；《安全生产法》第二十条（示例）",
            "document": f"陕工信发〔{decided.year}〕76号（示例）",
            "decided_on": decided,
            "effective_on": executed,
        },
    )
    staff = case.enterprise.employees or 60
    near, dispatched = max(1, staff // 9), max(1, staff // 12)
    services.save_resettlement_plan(
        story.city(case),
        closure,
        {
            "headcount": {"contract": staff - near - dispatched, "dispatched": dispatched, "near_retirement": near},
            "measures": "县内企业转岗安置、技能培训后推荐就业、临近退休人员内部退养、困难职工纳入就业援助（示例）",
            "cost": "320",
            "schedule": "关停前完成职工安置方案公示和经济补偿，关停后三个月内完成转岗安置（示例）",
            "funding_amount": "350",
            "funding_source": "企业自筹200万元，县财政专项奖补150万元（示例）",
            "congress_date": story.ago(60),
            "votes_for": max(1, staff - 6),
            "votes_total": staff,
        },
        minutes=[ContentFile(pdf("workers' congress minutes"), name="职工代表大会决议.pdf")],
    )
    services.execute_closure(dept, closure, executed_on=executed)
    retired = near
    reemployed = (staff - retired) * 2 // 3
    services.record_outcome(
        story.city(case),
        closure,
        {
            "as_of": story.ago(1),
            "reemployed": reemployed,
            "retrained": max(0, staff - retired - reemployed - 2),
            "retired": retired,
            "supported": min(2, staff - retired - reemployed),
        },
    )
    # The county had the site's new use agreed with the closure: it converts as soon as the mine is shut.
    services.record_land(
        story.city(case),
        closure,
        {
            "route": "conversion",
            "decided_on": story.ago(2),
            "converted_on": story.ago(1),
            "new_use": "工矿遗址文化旅游及研学基地（示例）",
            "area_m2": "42000",
            "notes": "矿区土地转产发展文化旅游服务业，五年内保留原用途和权利类型（示例）",
        },
    )
    return closure


def _blocked_closure(story: _Story) -> Closure:
    """A Yulin magnesium smelter below the 15,000 t/a of the entry conditions fails its re-inspection this
    year; its closure is decided, but its resettlement plan is short of funding and lacks the minutes."""
    case = story.pick(_in("610800", "Mg", "smelting"), _in(None, "Mg", "smelting"))
    failing = {"TEC-MG-1": {"measured": "12000", "note": "实际形成产能1.2万吨/年，低于准入规模（示例）"}}
    inspection = story.inspect(case, story.ago(230), failing, notes="专项检查回头看（示例）")
    order = story.order(
        inspection,
        story.ago(225),
        story.ago(135),
        "按《镁行业准入条件》将冶炼规模提升至1.5万吨/年以上，或制定退出方案",
    )
    story.answer(order, story.ago(140), "新增还原炉两座已开工建设（示例）")
    story.reinspect(
        order,
        story.ago(130),
        [{"item": "TEC-MG-1", "measured": "12000", "note": "新增还原炉未建成"}],
        "复查不合格，规模仍未达到准入条件（示例）",
    )
    closure = Closure.objects.get(case=case)
    running = ProductionUnit.objects.filter(
        plant__enterprise=case.enterprise, status__in=[UnitStatus.OPERATING, UnitStatus.IDLE]
    )
    units = running.filter(metal__code="Mg", stage__code="smelting") or running
    decided = story.ago(100)
    services.decide_closure(
        story.department,
        closure,
        {
            "units": [u.pk for u in units],
            "basis": f"{POLICY}；《镁行业准入条件》（工信部公告2011年第7号）（示例）",
            "document": f"陕工信发〔{decided.year}〕131号（示例）",
            "decided_on": decided,
            "effective_on": story.today + dt.timedelta(days=90),
        },
    )
    staff = case.enterprise.employees or 110
    services.save_resettlement_plan(
        story.city(case),
        closure,
        {
            "headcount": {"contract": staff * 3 // 4, "dispatched": staff // 10, "near_retirement": staff // 12},
            "measures": "园区内镁合金深加工企业吸纳转岗、职业技能培训、公益性岗位托底安置（示例）",
            "cost": "1450",
            "schedule": "关停前完成经济补偿和社会保险接续，关停后六个月内完成转岗安置（示例）",
            "funding_amount": "900",
            "funding_source": "企业自筹（示例）",
            "congress_date": story.ago(40),
            "votes_for": staff * 3 // 5,
            "votes_total": staff * 4 // 5,
        },
    )
    return closure


def _follow_up(story: _Story) -> None:
    """The follow-up's orders that still run: issued, in progress, reported done, rectified, overdue."""
    t = story.today
    later = [
        # (case, failing, requirement, inspected days ago, deadline days from today, answer)
        # answer: None (untouched), "start", ("report", days ago), ("close", reported, reinspected days ago)
        (
            story.pick(_in("610500", "Mo", "mining"), _in(None, None, "mining")),
            {"SAF-GEN-1": {"met": False, "note": "安全生产许可证过期未延续（示例）"}},
            "办理安全生产许可证延续，未取得前停止生产",
            110,
            -20,
            None,
        ),
        (
            story.pick(_in("611000", "V", "smelting"), _in(None, "V", "smelting")),
            {"ENE-GEN-2": {"met": False, "note": "仍在使用国家明令淘汰的高耗能变压器（示例）"}},
            "淘汰高耗能变压器，更换为能效二级以上产品",
            95,
            -10,
            "start",
        ),
        (
            story.pick(_in("611000", "V", "smelting", story.monitored), _in(None, None, "smelting", story.monitored)),
            {"ENV-MON-1": {"met": False, "note": "焙烧窑烟气自动监控设施未按 HJ 212 联网（示例）"}},
            "完成自动监控设施联网并通过验收",
            30,
            65,
            None,
        ),
        (
            story.pick(_in("610300", "Ti"), key="baoji-ti"),
            {"SAF-GEN-3": {"met": False, "note": "熔铸车间熔融金属作业区未设置防护隔离（示例）"}},
            "完善熔融金属作业区隔离防护和应急处置措施",
            60,
            35,
            "start",
        ),
        (
            story.pick(_in("610300", "Ti", "deep_processing"), _in(None, "Ti")),
            {"QUA-GEN-1": {"met": False, "note": "钛合金棒材抽检力学性能不合格（示例）"}},
            "查明不合格原因，完成质量整改并经抽检合格",
            90,
            5,
            ("report", 7),
        ),
        (
            story.pick(_in("610800", "Mg", "smelting"), _in(None, "Mg")),
            {"SAF-GEN-2": {"met": False, "note": "还原车间煤气管道泄漏隐患未整改（示例）"}},
            "完成煤气管道更换和泄漏报警装置安装",
            70,
            25,
            ("report", 3),
        ),
        (
            story.pick(_in("610200")),
            {"ENV-GEN-1": {"met": False, "note": "排污许可证超期未重新申领（示例）"}},
            "重新申领排污许可证，按证排污",
            120,
            -40,
            ("close", 50, 45),
        ),
    ]
    for case, failing, requirement, inspected, due, answer in later:
        inspection = story.inspect(case, story.ago(inspected), failing, notes="专项检查回头看（示例）")
        order = story.order(inspection, story.ago(inspected - 5), t + dt.timedelta(days=due), requirement)
        if answer == "start":
            story.answer(order, None)
        elif answer and answer[0] == "report":
            story.answer(order, story.ago(answer[1]), "已完成整改，附整改报告（示例）")
        elif answer:
            story.answer(order, story.ago(answer[1]), "已重新申领排污许可证（示例）")
            item = next(iter(failing))
            story.reinspect(order, story.ago(answer[2]), [{"item": item, "met": True}], "复查合格（示例）")


def _survey(story: _Story) -> None:
    """Every case not yet in the story: inspected (in 2017, or this year when founded since) and passed."""
    start, span = CAMPAIGN_STARTS + dt.timedelta(days=6), (dt.date(2017, 11, 30) - CAMPAIGN_STARTS).days - 6
    for case in sorted(story.cases.values(), key=lambda c: c.code):
        if case.enterprise_id in story.taken:
            continue
        founded = case.enterprise.established_on
        if founded and founded > FOUNDED_BY:
            on = story.ago(310 + story.rng.randint(0, 50))
        else:
            on = start + dt.timedelta(days=story.rng.randint(0, span))
        story.inspect(case, on)


def _other_sources(story: _Story) -> None:
    """A repeated exceedance at a monitoring point, and a complaint."""
    exceedance = (
        RepeatedExceedance.objects.filter(status=RepeatedExceedance.Status.OPEN)
        .select_related("point__plant__enterprise")
        .order_by("point__plant__enterprise__pk", "pk")
        .first()
    )
    if exceedance is not None:
        case = services.open_case(
            story.department,
            {
                "source": "monitoring",
                "exceedance": exceedance,
                "dimensions": ["environment"],
                "summary": f"{exceedance.point.name}多次超标，转交执法核查（示例）",
            },
            reason=REASON,
        )
        ent = case.enterprise
        measured = {"ENV-AL-1": "27.4"} if "ENV-AL-1" in {r["item"] for r in story.results(ent)} else {}
        failing = {
            k: {"measured": v, "note": "在线监测多次超标，现场监测复核超标（示例）"} for k, v in measured.items()
        }
        findings = [] if failing else [{"dimension": "environment", "text": "在线监测多次超标，现场复核属实（示例）"}]
        inspection = story.inspect(case, story.ago(4), failing, findings=findings)
        order = story.order(inspection, story.ago(3), story.today + dt.timedelta(days=60), "查明超标原因，完成治理")
        story.answer(order, None)
    # A complaint from residents near a Fengxian zinc mine's tailings pond.
    complained = story.pick(_in("610300", "Zn", "mining"), _in(None, None, "mining"))
    case = services.open_case(
        story.city(complained),
        {
            "source": "complaint",
            "enterprise": complained.enterprise,
            "dimensions": ["environment", "safety"],
            "summary": "群众来信反映尾矿库扬尘严重、坝体有渗水（示例）",
        },
        reason=REASON,
    )
    inspection = story.inspect(
        case,
        story.ago(15),
        findings=[{"dimension": "environment", "text": "尾矿库干滩未覆盖，扬尘明显（示例）", "failed": True}],
    )
    story.order(inspection, story.ago(12), story.today + dt.timedelta(days=48), "尾矿库干滩覆盖抑尘，完成坝体渗水排查")


def _announcements(story: _Story, campaign: Campaign, executed: Closure, blocked: Closure) -> None:
    dept = story.department
    closure = services.draft_announcement(dept, Announcement.Kind.CLOSURE, closure=executed)
    services.publish_announcement(dept, closure)
    listing = services.draft_announcement(dept, Announcement.Kind.RECTIFICATION_LIST, campaign=campaign)
    services.publish_announcement(dept, listing)
    listing.refresh_from_db()
    services.edit_announcement(
        dept,
        listing,
        title=listing.title,
        body=listing.body + "\n\n监督举报电话：029-01234567（示例）",
    )
    services.publish_announcement(dept, listing, correction_note="补充监督举报电话（示例）")
    survey = services.draft_announcement(dept, Announcement.Kind.SURVEY_RESULT, campaign=campaign)
    services.publish_announcement(dept, survey)
    # The blocked closure is announced once it can execute: its text waits as a draft.
    services.draft_announcement(dept, Announcement.Kind.CLOSURE, closure=blocked)


def build(
    users: dict[str, User], enterprises: dict[str, Enterprise], seed: int = 42, today: dt.date | None = None
) -> None:
    """The campaign, its orders and closures, cases from monitoring and a complaint, the announcements.

    Runs after the monitoring points (a case answers a repeated exceedance) and before the monthly reports,
    which follow the units' histories: the executed closure's units stop reporting when they exit."""
    story = _Story(users, enterprises, seed, today or timezone.localdate())
    # Findings and announcements are stored as written: in the platform's language, as the public reads them.
    with translation.override(settings.LANGUAGE_CODE):
        campaign = _campaign(story)
        _closed_in_2018(story)
        # Everyone else passes the 2017 survey (or a later one, when founded since); this year's follow-up
        # (回头看) then finds fault with some who passed in 2017.
        _survey(story)
        executed = _executed_closure(story)
        blocked = _blocked_closure(story)
        _follow_up(story)
        _other_sources(story)
        services.mark_overdue_orders(story.today)
        _announcements(story, campaign, executed, blocked)


def finish(department: User) -> dict[str, int]:
    """After the capacity violations are found: the open one becomes a case. The counts for DemoDataset."""
    with translation.override(settings.LANGUAGE_CODE):
        _violation_case(department)
    orders = RectificationOrder.objects
    return {
        "enforcement_cases": Case.objects.count(),
        "enforcement_inspections": Inspection.objects.count(),
        "enforcement_orders": orders.count(),
        "enforcement_orders_overdue": orders.filter(overdue_since__isnull=False).count(),
        "enforcement_closures": Closure.objects.count(),
        "enforcement_announcements": AnnouncementVersion.objects.values("announcement").distinct().count(),
    }


def _violation_case(department: User) -> None:
    violation = CapacityViolation.objects.filter(status=CapacityViolation.Status.OPEN).order_by("pk").first()
    if violation is not None and not Case.objects.filter(violation=violation).exists():
        services.open_case(
            department,
            {
                "source": "capacity",
                "violation": violation,
                "dimensions": ["technology"],
                "summary": f"{violation.unit or violation.enterprise}运行产能超出置换指标，立案核查（示例）",
            },
            reason=REASON,
        )
