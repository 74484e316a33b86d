"""The demo's support funds (clause 三(四)) and reserves (clause 三(六)), written through support.services.

Funds: the department's 2019 and 2020 calls (陕工信发〔2019〕56号, 〔2020〕38号, both marked 示例) with a
budget per category. The leaders and some cluster enterprises apply in every category; the cities
recommend or return, the department approves within the budgets or rejects, pays in instalments and
accepts the projects. The 2019 projects are finished (accepted, one failed acceptance with its repayment,
one rejected, one returned and never resubmitted); the 2020 ones are at every stage: paid in part, awaiting
payment, accepted, recommended and awaiting the department, submitted and awaiting Yulin, returned, and a
draft never submitted.

Reserves: the department's plans by metal and kind for the three years around the build; government
holdings of 陕西省物资储备局 in the cities' reserve depots and commercial holdings of the leaders (ent-a's and
ent-b's among them), each with a year of movements (an opening 入库, then monthly in, out and rotation
entries), drawn deterministically from the seed."""

import datetime as dt
import random
from decimal import Decimal

from youse.core.models import User
from youse.demo.catalogue import LEADERS
from youse.registry.models import Enterprise
from youse.support import services
from youse.support.models import Application, Disbursement, FundCall, Holding, Movement, ReservePlan

D = Decimal
BODY = "陕西省物资储备局（示例）"
LEADER_KEYS = frozenset(leader.key for leader in LEADERS)

CALLS = {
    2019: {
        "title": "2019年度有色金属产业转型升级专项资金", "document": "陕工信发〔2019〕56号（示例）",
        "opens_on": dt.date(2019, 3, 1), "closes_on": dt.date(2019, 4, 30), "budget": "10000",
        "budgets": {"green": "3000", "intelligent": "2500", "high_end": "3000", "brand": "500", "platform": "1000"},
    },
    2020: {
        "title": "2020年度有色金属产业转型升级专项资金", "document": "陕工信发〔2020〕38号（示例）",
        "opens_on": dt.date(2020, 3, 16), "closes_on": dt.date(2020, 5, 15), "budget": "11500",
        "budgets": {"green": "3000", "intelligent": "3000", "high_end": "3500", "brand": "500", "platform": "1500"},
    },
}  # fmt: skip

# (year, enterprise: leader key or (city code, metal), category, project, investment, requested, outcomes
#  [(indicator, unit, expected, achieved)], final state, approved, payments, repayment)
PROJECTS = [
    (2019, "yulin-almg", "green", "电解槽余热回收及烟气脱硫改造", "12000", "1500",
     [("节能量", "tce", "8000", "8600"), ("二氧化硫减排", "t", "300", "320")],
     "accepted", "1200", ["600", "600"], None),
    (2019, "baoji-ti", "high_end", "航空级钛合金大规格棒材生产线", "18000", "2000",
     [("新增产能", "t/a", "1500", "1500"), ("授权发明专利", "项", "5", "6")],
     "accepted", "1800", ["1000", "800"], None),
    (2019, "weinan-mo", "intelligent", "钼冶炼智能工厂（一期）", "8000", "1000",
     [("劳动生产率提升", "%", "30", "32"), ("单位产品能耗降低", "%", "8", "8.5")], "accepted", "800", ["800"], None),
    (2019, "tongchuan-al", "green", "铝液直供铸轧节能改造", "6000", "800",
     [("节能量", "tce", "5000", "2100")], "failed", "600", ["300"], "300"),
    (2019, ("611000", "V"), "brand", "商洛钒产品品牌培育", "600", "200",
     [("新增注册商标", "件", "3", None)], "rejected", None, [], None),
    (2019, ("610100", "Mo"), "platform", "西安钼材料检测公共服务平台", "3000", "600",
     [("年服务企业", "家", "80", "95"), ("新增检测项目", "项", "40", "42")], "accepted", "500", ["300", "200"], None),
    (2019, ("610300", "Ti"), "intelligent", "钛带卷数字化车间", "4000", "600",
     [("生产效率提升", "%", "25", None)], "returned", None, [], None),
    (2020, "yulin-almg", "intelligent", "电解铝智能化管控平台", "5000", "800",
     [("吨铝交流电耗降低", "kWh/t", "150", None)], "approved", "700", ["350"], None),
    (2020, "baoji-ti", "green", "海绵钛还原蒸馏炉节能改造", "7000", "1000",
     [("节能量", "tce", "6000", "6300")], "accepted", "900", ["500", "400"], None),
    (2020, "mianxian-zn", "green", "锌冶炼渣综合利用", "9000", "1200",
     [("冶炼渣综合利用率", "%", "90", None), ("回收锌金属", "t/a", "3000", None)], "approved", "1000", [], None),
    (2020, ("610800", "Mg"), "green", "皮江法炼镁还原炉余热利用改造", "2500", "400",
     [("节能量", "tce", "3000", None)], "submitted", None, [], None),
    (2020, "fengxian-zn", "brand", "凤县锌锭品牌建设", "300", "100",
     [("品牌产品销量占比", "%", "40", None)], "recommended", None, [], None),
    (2020, ("610100", "Ti"), "high_end", "3D打印钛合金粉末生产线", "6000", "900",
     [("新增产能", "t/a", "300", None), ("授权发明专利", "项", "4", None)], "recommended", None, [], None),
    (2020, ("610300", "Ti"), "platform", "宝鸡钛材质量检测公共服务平台", "2000", "500",
     [("年服务企业", "家", "100", None)], "draft", None, [], None),
    (2020, ("610800", "Al"), "intelligent", "铝型材智能挤压生产线", "3500", "500",
     [("产品合格率提升", "%", "3", None)], "returned", None, [], None),
    (2020, "weinan-mo", "high_end", "大型钼靶材生产线", "12000", "1500",
     [("新增产能", "t/a", "200", "210"), ("进口替代率", "%", "30", "35")], "accepted", "1500", ["1000", "500"], None),
]  # fmt: skip

# Plans: (metal, kind, product, target t). Government holdings: (metal, product, depot, city, opening t).
PLANS = [
    ("Al", "government", "铝锭", "30000"), ("Al", "commercial", "铝锭", "50000"),
    ("Mg", "government", "电解镁", "10000"), ("Mg", "commercial", "电解镁", "20000"),
    ("Ti", "government", "海绵钛", "2000"), ("Ti", "commercial", "钛锭", "3000"),
    ("Zn", "government", "锌锭", "10000"), ("Zn", "commercial", "锌锭", "15000"),
    ("Mo", "government", "钼铁", "2000"), ("Mo", "commercial", "钼精矿", "3000"),
    ("V", "government", "五氧化二钒", "1000"),
]  # fmt: skip
DEPOTS = [
    ("Al", "铝锭", "西安国家物资储备库", "610100", 18000), ("Al", "铝锭", "咸阳物资储备库", "610400", 9000),
    ("Mg", "电解镁", "榆林物资储备库", "610800", 8500), ("Ti", "海绵钛", "宝鸡物资储备库", "610300", 1600),
    ("Zn", "锌锭", "汉中物资储备库", "610700", 9000), ("Mo", "钼铁", "渭南物资储备库", "610500", 1500),
    ("V", "五氧化二钒", "商洛物资储备库", "611000", 700),
]  # fmt: skip
# Commercial holdings: (leader key or (city, metal), metal, product, warehouse, opening t)
STOCKS = [
    ("yulin-almg", "Al", "铝锭", "榆林示范铝镁成品库", 22000), ("tongchuan-al", "Al", "铝锭", "董家河成品库", 12000),
    (("610800", "Mg"), "Mg", "电解镁", "府谷镁锭库", 9000), ("baoji-ti", "Ti", "钛锭", "钛谷熔铸成品库", 2200),
    ("mianxian-zn", "Zn", "锌锭", "勉县冶炼厂成品库", 7000), ("fengxian-zn", "Zn", "锌锭", "凤县冶炼厂成品库", 5000),
    ("weinan-mo", "Mo", "钼精矿", "金堆城精矿库", 2600),
]  # fmt: skip


def _enterprise(by_key: dict[str, Enterprise], ref) -> Enterprise | None:
    """A leader by key, or the first enterprise (by credit code) of a city with a unit of the metal."""
    if isinstance(ref, str):
        return by_key.get(ref)
    city, metal = ref
    leaders = [e.pk for key, e in by_key.items() if key in LEADER_KEYS]
    qs = Enterprise.objects.filter(division__prefecture__code=city, plants__units__metal__code=metal)
    return qs.exclude(pk__in=leaders).distinct().order_by("credit_code").first()


def _build_funds(users: dict[str, User], by_key: dict[str, Enterprise]) -> None:
    dep = users["gxt"]
    calls = {}
    for year, c in CALLS.items():
        data = {k: v for k, v in c.items() if k != "budgets"} | {"year": year}
        call = services.create_call(dep, data, c["budgets"])
        services.open_call(dep, call, on=c["opens_on"])
        calls[year] = call
    for n, (year, ref, category, name, investment, requested, outcomes, state, approved, payments, repay) in enumerate(
        PROJECTS
    ):
        enterprise = _enterprise(by_key, ref)
        if enterprise is None:
            continue
        call, c = calls[year], CALLS[year]
        owner = next((u for u in users.values() if u.enterprise_id == enterprise.pk), dep)
        city = next(
            (u for u in users.values() if u.role == "city" and u.division_id == enterprise.division.prefecture_id), dep
        )
        data = {"category": category, "project_name": name, "total_investment": investment, "requested": requested,
                "content": f"{enterprise.short_name or enterprise.name}实施{name}，建设期两年。"}  # fmt: skip
        rows = [{"indicator": i, "unit": u, "expected": e} for i, u, e, _a in outcomes]
        app = services.create_application(owner, call, enterprise, data, rows)
        if state == "draft":
            continue
        submitted = c["opens_on"] + dt.timedelta(days=10 + 2 * n)
        services.submit(owner, app, on=submitted)
        if state == "submitted":
            continue
        if state == "returned":
            services.return_application(city, app, "可行性研究报告缺少环评批复及投资测算依据，请补充后重新申报。")
            continue
        services.recommend(city, app, "项目符合专项资金支持方向，同意推荐。", on=submitted + dt.timedelta(days=15))
        if state == "recommended":
            continue
        decided = dt.date(year, 7, 10)
        if state == "rejected":
            services.reject(dep, app, "品牌建设方案不具体，预期成效难以量化。", on=decided)
            continue
        services.approve(dep, app, approved, f"陕工信发〔{year}〕{90 + n}号（示例）", on=decided)
        for i, amount in enumerate(payments):
            services.disburse(
                dep, app, amount, dt.date(year + i, 9 if i == 0 else 3, 20), f"陕财拨〔{year + i}〕{n}号（示例）"
            )
        if state in ("accepted", "failed"):
            achieved = {o.pk: a for o, (_i, _u, _e, a) in zip(app.outcomes.order_by("pk"), outcomes, strict=True)}
            report = (
                "项目按期建成，预期成效达到或超过申报目标。"
                if state == "accepted"
                else "节能量未达到申报目标的一半，验收不通过。"
            )
            services.accept(dep, app, passed=state == "accepted", report=report, achieved=achieved,
                            accepted_on=dt.date(year + 1, 6, 18), repayment=repay)  # fmt: skip
            if repay:
                services.record_repayment(dep, app, repay, dt.date(year + 1, 9, 30))
    for year, call in calls.items():
        services.close_call(dep, call, on=CALLS[year]["closes_on"])


def _ledger(actor: User, holding: Holding, opening: int, rng: random.Random, today: dt.date) -> None:
    day = today - dt.timedelta(days=360)
    document = f"RK-{day:%Y%m%d}-{holding.pk:03d}（示例）"
    services.record_movement(
        actor, holding, {"kind": "in", "moved_on": day, "quantity_t": opening, "document": document, "note": "首次收储"}
    )
    stock = D(opening)
    for month in range(1, 12):
        day = today - dt.timedelta(days=360 - 30 * month - rng.randint(0, 5))
        kind = rng.choice(["in", "in", "out", "out", "rotation"])
        qty = D(round(opening * rng.uniform(0.03, 0.12)))
        if kind != "in" and qty > stock:
            kind = "in"
        stock = stock + qty if kind == "in" else stock - qty if kind == "out" else stock
        prefix = {"in": "RK", "out": "CK", "rotation": "LH"}[kind]
        note = {
            "in": "收储",
            "out": "投放市场" if holding.kind == "government" else "销售出库",
            "rotation": "到期轮换",
        }[kind]
        document = f"{prefix}-{day:%Y%m%d}-{holding.pk:03d}（示例）"
        data = {"kind": kind, "moved_on": day, "quantity_t": qty, "note": note, "document": document}
        services.record_movement(actor, holding, data)


def _build_reserves(users: dict[str, User], by_key: dict[str, Enterprise], seed: int, today: dt.date) -> None:
    dep = users["gxt"]
    rng = random.Random(seed * 31 + 6)
    starts, ends = dt.date(today.year - 1, 1, 1), dt.date(today.year + 1, 12, 31)
    for metal, kind, product, target in PLANS:
        document = f"陕工信发〔{starts.year}〕12号（示例）"
        data = {"metal": metal, "kind": kind, "product": product, "target_t": target, "starts_on": starts}
        services.set_plan(dep, data | {"ends_on": ends, "document": document})
    for metal, product, depot, city, opening in DEPOTS:
        h = services.create_holding(dep, {"kind": "government", "metal": metal, "product": product,
                                          "holder_body": BODY, "warehouse": depot, "division": city})  # fmt: skip
        _ledger(dep, h, opening, rng, today)
    for ref, metal, product, warehouse, opening in STOCKS:
        enterprise = _enterprise(by_key, ref)
        if enterprise is None:
            continue
        # The holder records its own reserve; the department enters those of holders without an account.
        actor = next((u for u in users.values() if u.enterprise_id == enterprise.pk), dep)
        h = services.create_holding(actor, {"kind": "commercial", "metal": metal, "product": product,
                                            "enterprise": enterprise, "warehouse": warehouse,
                                            "division": enterprise.division})  # fmt: skip
        _ledger(actor, h, opening, rng, today)


def build(users: dict[str, User], by_key: dict[str, Enterprise], seed: int, today: dt.date) -> None:
    _build_funds(users, by_key)
    _build_reserves(users, by_key, seed, today)


def counts() -> dict[str, int]:
    return {
        "support_calls": FundCall.objects.count(),
        "support_applications": Application.objects.count(),
        "support_disbursements": Disbursement.objects.count(),
        "reserve_plans": ReservePlan.objects.count(),
        "reserve_holdings": Holding.objects.count(),
        "reserve_movements": Movement.objects.count(),
    }
