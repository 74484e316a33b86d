"""Drawing the synthetic data set: a pure function from (seed, scale) to a list of enterprise plans.

No ORM here, so determinism (same seed and scale, same data) is a property of this module alone and
is tested without a database. generator.py writes the plans through the service functions.

Every name carries the suffix （示例） ("example") and is built from invented word stems, so no synthetic
firm can be taken for a real one; phone numbers start with 0 after the area code, which no Chinese
landline does, and e-mail addresses use the reserved .example domain."""

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from youse.demo.catalogue import CLUSTERS, LEADERS, Cluster, Leader, UnitTemplate
from youse.demo.places import PLACES, Place
from youse.registry.rules import CREDIT_CODE_CHARSET, UnitStatus, check_transition, make_credit_code

# The data set describes the industry as of this date, whatever the day it is built: same seed, same data.
AS_OF = dt.date(2025, 12, 31)
SYNTHETIC_SUFFIX = "（示例）"

S = UnitStatus
# Final statuses of follower units (weights): most operate; some idle, exited, or still projects.
STATUS_WEIGHTS = ((S.OPERATING, 72), (S.IDLE, 9), (S.EXITED, 8), (S.CONSTRUCTION, 4), (S.APPROVED, 3), (S.PLANNED, 4))
OWNERSHIP_WEIGHTS = (("private", 70), ("mixed", 12), ("local_soe", 10), ("collective", 3), ("foreign", 3))

STEMS = "鸿岚瑞泰丰华晟嘉禾源鑫恒宏盛隆昌达通远峰岳川河溪翔宇辰星晖曜锦绣祥和安康宁兴旺德信诚润泽秦渭汉塬"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌宁博浩然晨阳鹏飞志远海峰立新红梅小龙"
FORMS = (("有限公司", 6), ("有限责任公司", 3), ("股份有限公司", 1))
PARKS = ("工业园区", "经济技术开发区", "循环经济产业园", "高新技术产业开发区", "新材料产业园")
CHINESE_NUMERALS = "一二三四五六七八九十"
# Telephone area codes by city (the first four digits of the division code); zones dial Xi'an's 029.
AREA_CODES = {
    "6101": "029", "6102": "0919", "6103": "0917", "6104": "029", "6105": "0913", "6106": "0911",
    "6107": "0916", "6108": "0912", "6109": "0915", "6110": "0914",
}  # fmt: skip


@dataclass(frozen=True)
class Step:
    status: str
    on: dt.date
    document: str
    reason: str


@dataclass
class UnitPlan:
    name: str
    metal: str
    stage: str
    product: str
    process: str
    equipment: str
    capacity: Decimal
    capacity_unit: str
    approval_document: str
    history: list[Step]

    @property
    def status(self) -> str:
        return self.history[-1].status


@dataclass
class PlantPlan:
    name: str
    place: str
    base: str | None
    longitude: Decimal
    latitude: Decimal
    address: str
    units: list[UnitPlan] = field(default_factory=list)


@dataclass
class EnterprisePlan:
    key: str
    name: str
    short_name: str
    credit_code: str
    place: str
    base: str | None
    ownership: str
    status: str
    legal_representative: str
    contact_person: str
    contact_phone: str
    contact_email: str
    address: str
    established_on: dt.date
    employees: int
    plants: list[PlantPlan] = field(default_factory=list)

    @property
    def units(self) -> list[UnitPlan]:
        return [u for p in self.plants for u in p.units]


def plan(seed: int, scale: int = 1, as_of: dt.date = AS_OF) -> list[EnterprisePlan]:
    """The whole data set for `seed` at `scale` (about 200 × scale enterprises)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    drawer = _Drawer(random.Random(f"youse-demo:{seed}:{scale}"), as_of)
    plans = [drawer.leader(leader) for leader in LEADERS]
    for cluster in CLUSTERS:
        for i in range(round(cluster.count * scale)):
            plans.append(drawer.follower(cluster, i))
    return plans


def history_is_consistent(history: list[Step], as_of: dt.date = AS_OF) -> bool:
    """Each step a legal transition from the one before, dated in order and not after `as_of`."""
    for before, after in zip(history, history[1:], strict=False):
        if after.on < before.on:
            return False
        try:
            check_transition(before.status, after.status)
        except ValueError:
            return False
    return bool(history) and history[-1].on <= as_of


def _weighted(rng: random.Random, options: tuple[tuple[object, int], ...]) -> object:
    values, weights = zip(*options, strict=True)
    return rng.choices(values, weights=weights)[0]


def _date_between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    if hi <= lo:
        return hi
    return lo + dt.timedelta(days=rng.randint(0, (hi - lo).days))


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _place_prefix(place: Place) -> str:
    name = place.name
    for suffix in ("示范区", "新区", "市", "县", "区"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


class _Drawer:
    def __init__(self, rng: random.Random, as_of: dt.date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.names: set[str] = set()
        self.codes: set[str] = set()
        self.doc_numbers: dict[tuple[str, int], int] = {}
        self.serial = 0

    # --- identities --------------------------------------------------------------------------
    def _stem(self) -> str:
        a, b = self.rng.sample(STEMS, 2)
        return a + b

    def _person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.choice((1, 2))))

    def _name(self, place: Place, trades: tuple[str, ...]) -> tuple[str, str]:
        while True:
            stem, trade = self._stem(), self.rng.choice(trades)
            form = _weighted(self.rng, FORMS)
            name = f"{_place_prefix(place)}{stem}{trade}{form}{SYNTHETIC_SUFFIX}"
            if name not in self.names:
                self.names.add(name)
                return name, f"{stem}{trade}{SYNTHETIC_SUFFIX}"

    def _credit_code(self, place: Place, established: int) -> str:
        while True:
            if established >= 2015:  # codes issued since the 2015 reform: "MA" + 7 characters
                org = "MA" + "".join(self.rng.choices(CREDIT_CODE_CHARSET, k=7))
            else:  # older firms keep their 9-character organisation code
                org = "".join(self.rng.choices("0123456789", k=8)) + self.rng.choice("0123456789X")
            code = make_credit_code(f"91{place.code_area}{org}")
            if code not in self.codes:
                self.codes.add(code)
                return code

    def _contact(self, place: Place) -> tuple[str, str]:
        self.serial += 1
        area = AREA_CODES.get(place.code_area[:4], "029")
        return f"{area}-0{self.rng.randint(1000000, 9999999)}", f"contact{self.serial:05d}@demo.example"

    def _coordinates(self, place: Place) -> tuple[Decimal, Decimal]:
        lon = place.lon + self.rng.uniform(-place.west, place.east)
        lat = place.lat + self.rng.uniform(-place.dlat, place.dlat)
        return Decimal(f"{lon:.6f}"), Decimal(f"{lat:.6f}")

    def _address(self, place: Place) -> str:
        return f"陕西省{place.name}{self.rng.choice(PARKS)}{self.rng.randint(1, 99)}号"

    def _doc(self, abbr: str, kind: str, on: dt.date) -> str:
        key = (abbr + kind, on.year)
        self.doc_numbers[key] = self.doc_numbers.get(key, 0) + 1
        return f"{abbr}{kind}〔{on.year}〕{self.doc_numbers[key]}号"

    # --- status histories --------------------------------------------------------------------
    def _project_chain(self, abbr: str, end: S, end_on: dt.date) -> list[Step]:
        """planned → approved → construction (→ operating), months apart, the last step on `end_on`."""
        chain = [(S.PLANNED, "发改备", "项目备案", 0), (S.APPROVED, "环审批", "环评及核准批复", 120),
                 (S.CONSTRUCTION, "建施", "开工建设", 90), (S.OPERATING, "验", "竣工验收，投入生产", 300)]  # fmt: skip
        chain = chain[: [c[0] for c in chain].index(end) + 1]
        gaps = [gap + self.rng.randint(0, gap) for _s, _k, _r, gap in chain]
        steps, on = [], end_on - _days(sum(gaps))
        for (status, kind, reason, _gap), gap in zip(chain, gaps, strict=True):
            on = on + _days(gap)
            steps.append(Step(status, on, self._doc(abbr, kind, on), reason))
        return steps

    def history(self, abbr: str, final: S, start_year: int) -> list[Step]:
        """A dated life cycle ending in `final`. `start_year` is the year of first operation, or of the
        project's latest step for units that never operated."""
        rng, as_of = self.rng, self.as_of
        year = min(start_year, as_of.year)
        if final in (S.PLANNED, S.APPROVED, S.CONSTRUCTION):
            # Projects not yet operating are recent: a plan stays a plan only a few years.
            year = max(year, as_of.year - 3)
            return self._project_chain(abbr, final, _date_between(rng, dt.date(year, 1, 1), as_of))
        op_on = min(_date_between(rng, dt.date(year, 1, 1), dt.date(year, 12, 28)), as_of - _days(400))
        if op_on.year < 2017:
            # Existing capacity, registered as operating with the document that put it on record.
            steps = [Step(S.OPERATING, op_on, self._doc(abbr, "工信登", op_on), "在产存量产能登记")]
        else:
            steps = self._project_chain(abbr, S.OPERATING, op_on)
        last = op_on
        if final == S.OPERATING:
            if rng.random() < 0.12 and (as_of - last).days > 900:
                idle_on = _date_between(rng, last + _days(200), as_of - _days(500))
                back_on = idle_on + _days(rng.randint(120, 400))
                steps.append(Step(S.IDLE, idle_on, self._doc(abbr, "停产报", idle_on), "停产检修"))
                steps.append(Step(S.OPERATING, back_on, self._doc(abbr, "复产", back_on), "整改验收后复产"))
        elif final == S.IDLE:
            idle_on = _date_between(rng, last + _days(60), as_of)
            reason = rng.choice(("市场低迷，停产", "环保整治停产", "原料供应不足停产"))
            steps.append(Step(S.IDLE, idle_on, self._doc(abbr, "停产报", idle_on), reason))
        elif final == S.EXITED:
            if rng.random() < 0.5:
                idle_on = _date_between(rng, last + _days(60), as_of - _days(200))
                steps.append(Step(S.IDLE, idle_on, self._doc(abbr, "停产报", idle_on), "停产"))
                last = idle_on
            exit_on = _date_between(rng, last + _days(90), as_of)
            reason = rng.choice(("淘汰落后产能，设备已拆除", "环保不达标关停退出", "产能置换退出，设备已拆除"))
            steps.append(Step(S.EXITED, exit_on, self._doc(abbr, "关停", exit_on), reason))
        return steps

    # --- units, plants, enterprises ----------------------------------------------------------
    def _unit(self, t: UnitTemplate, n: int, abbr: str, final: S, start_year: int, capacity: int | None = None,
              equipment: str | None = None) -> UnitPlan:  # fmt: skip
        history = self.history(abbr, final, start_year)
        if equipment is None:
            equipment = self.rng.choice(t.equipment) if t.equipment else ""
        return UnitPlan(
            name=t.name.format(n=CHINESE_NUMERALS[min(n, 9)]),
            metal=t.metal,
            stage=t.stage,
            product=t.product,
            process=t.process,
            equipment=equipment,
            capacity=Decimal(capacity if capacity is not None else self.rng.choice(t.capacities)),
            capacity_unit=t.unit,
            approval_document=history[0].document,
            history=history,
        )

    def _enterprise(self, key: str, name: str, short: str, place: Place, base: str | None, ownership: str,
                    established: int, employees: int) -> EnterprisePlan:  # fmt: skip
        phone, email = self._contact(place)
        return EnterprisePlan(
            key=key,
            name=name,
            short_name=short,
            credit_code=self._credit_code(place, established),
            place=place.key,
            base=base,
            ownership=ownership,
            status="active",
            legal_representative=self._person(),
            contact_person=self._person(),
            contact_phone=phone,
            contact_email=email,
            address=self._address(place),
            established_on=_date_between(self.rng, dt.date(established, 1, 1), dt.date(established, 12, 28)),
            employees=employees,
        )

    def _plant(self, name: str, place: Place, base: str | None) -> PlantPlan:
        lon, lat = self._coordinates(place)
        return PlantPlan(name, place.key, base, lon, lat, self._address(place))

    def leader(self, leader: Leader) -> EnterprisePlan:
        place = PLACES[leader.place]
        ent = self._enterprise(leader.key, leader.name, leader.short_name, place, leader.base, leader.ownership,
                               leader.established, leader.employees)  # fmt: skip
        self.names.add(leader.name)
        for lp in leader.plants:
            plant_place = PLACES[lp.place]
            plant = self._plant(lp.name, plant_place, lp.base)
            counter: dict[str, int] = {}
            for lu in lp.units:
                counter[lu.template.name] = n = counter.get(lu.template.name, -1) + 1
                plant.units.append(
                    self._unit(lu.template, n, plant_place.abbr, S(lu.status), lu.since, lu.capacity, lu.equipment)
                )
            ent.plants.append(plant)
        return self._close_if_exited(ent)

    def follower(self, cluster: Cluster, index: int) -> EnterprisePlan:
        rng = self.rng
        place = PLACES[_weighted(rng, cluster.places)]
        profile = rng.choices(cluster.profiles, weights=[p.weight for p in cluster.profiles])[0]
        modern = any(t.modern for t in profile.units)
        established = rng.randint(2015, 2021) if modern else rng.randint(1993, 2018)
        base = cluster.base if cluster.base and rng.random() < cluster.base_share else None
        name, short = self._name(place, cluster.trades)
        ownership = str(_weighted(rng, OWNERSHIP_WEIGHTS))
        ent = self._enterprise(f"{cluster.key}-{index:04d}", name, short, place, base, ownership, established,
                               rng.randint(*cluster.employees))  # fmt: skip
        two_sites = len(profile.units) > 1 and rng.random() < 0.3
        plants = [self._plant("一号厂区" if two_sites else "主厂区", place, base)]
        if two_sites:
            plants.append(self._plant("二号厂区", place, base))
        counter: dict[str, int] = {}
        for i, t in enumerate(profile.units):
            final = S(_weighted(rng, STATUS_WEIGHTS))
            first_year = max(established, 2017 if t.modern else 1998)
            start_year = rng.randint(first_year, max(first_year, self.as_of.year - 2))
            plant = plants[i % len(plants)]
            counter[plant.name + t.name] = n = counter.get(plant.name + t.name, -1) + 1
            plant.units.append(self._unit(t, n, place.abbr, final, start_year))
        ent.plants = plants
        return self._close_if_exited(ent)

    @staticmethod
    def _close_if_exited(ent: EnterprisePlan) -> EnterprisePlan:
        units = ent.units
        if units and all(u.status == S.EXITED for u in units):
            ent.status = "closed"
        return ent
