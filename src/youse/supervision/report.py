"""The supervision report for a period (督查报告): per task and per city, status, progress, delays and
problems, with the indicators' latest values. One structure read by the page and by the Word document
(document.py), so both say the same thing."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch, Q

from youse.core.models import ClauseResponsibility, Division, PolicyClause
from youse.supervision import rules
from youse.supervision.measures import Latest, Measures
from youse.supervision.models import CityPlan, Milestone, PlanTarget, Remark, SubTask
from youse.supervision.rules import Status

DEFAULT_PERIODS = ((2026, 2030), (2021, 2025), (2017, 2020))


def task_clauses():
    """The policy's tasks: the clauses of parts 二 (main tasks) and 三 (safeguards)."""
    return PolicyClause.objects.filter(Q(number__startswith="二(") | Q(number__startswith="三(")).order_by("order")


def city_divisions():
    return Division.objects.filter(
        level__in=[Division.Level.CITY, Division.Level.ZONE], valid_to__isnull=True
    ).order_by("order", "code")


@dataclass
class ItemRow:
    obj: SubTask | Milestone
    status: Status
    latest: Latest | None = None


@dataclass
class TaskSection:
    clause: PolicyClause
    lead: list[str]
    partners: list[str]
    rows: list[ItemRow]
    status: Status | None
    percent: int | None
    tally: rules.Tally


@dataclass
class CitySection:
    division: Division
    plan: CityPlan | None
    targets: list[tuple[PlanTarget, Latest | None]]
    rows: list[ItemRow]
    status: Status | None
    percent: int | None
    tally: rules.Tally


@dataclass
class Report:
    start_year: int
    end_year: int
    as_of: dt.date
    province: str
    tasks: list[TaskSection]
    cities: list[CitySection]
    indicators: list[Latest]
    problems: list[Remark]
    silent: list[str]
    plan_counts: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.province}有色金属工业转型升级实施方案落实情况督查报告"

    @property
    def period(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def tally(self) -> rules.Tally:
        return rules.tally(r.status for t in self.tasks for r in t.rows)

    @property
    def overdue(self) -> list[ItemRow]:
        rows = [r for t in self.tasks for r in t.rows] + [r for c in self.cities for r in c.rows]
        return [r for r in rows if r.status == Status.OVERDUE]


def _mean(values: list[int]) -> int | None:
    return round(sum(values) / len(values)) if values else None


def build(start_year: int, end_year: int, as_of: dt.date, measures: Measures | None = None) -> Report:
    measures = measures or Measures()
    # Statuses are judged on the report's day, or at the end of a period already over.
    day = min(as_of, dt.date(end_year, 12, 31))
    in_period = Q(starts_on__year__lte=end_year, deadline__year__gte=start_year)
    subtasks = SubTask.objects.filter(in_period).select_related("unit", "division", "clause")
    tasks = []
    clauses = task_clauses().prefetch_related(
        Prefetch("responsibilities", ClauseResponsibility.objects.select_related("unit")),
        Prefetch("subtasks", subtasks, to_attr="period_subtasks"),
    )
    for clause in clauses:
        rows = [
            ItemRow(st, st.status_on(day, st.starts_on), measures.province(st.indicator))
            for st in clause.period_subtasks
        ]
        resp = list(clause.responsibilities.all())
        tasks.append(
            TaskSection(
                clause,
                [r.unit.short_name or r.unit.name for r in resp if r.lead],
                [r.unit.short_name or r.unit.name for r in resp if not r.lead],
                rows,
                rules.worst(r.status for r in rows),
                _mean([r.obj.percent for r in rows]),
                rules.tally(r.status for r in rows),
            )
        )
    plans = {
        p.division_id: p
        for p in CityPlan.objects.filter(start_year=start_year, end_year=end_year).prefetch_related("targets")
    }
    milestones = Milestone.objects.filter(task__plan__in=list(plans.values())).select_related("task__plan")
    by_plan: dict[int, list[Milestone]] = {}
    for ms in milestones:
        by_plan.setdefault(ms.task.plan_id, []).append(ms)
    cities = []
    for div in city_divisions():
        plan = plans.get(div.pk)
        rows = [ItemRow(ms, ms.status_on(day, ms.starts_on)) for ms in by_plan.get(plan.pk, [])] if plan else []
        targets = [(t, measures.city(t.indicator, div)) for t in plan.targets.all()] if plan else []
        cities.append(
            CitySection(
                div,
                plan,
                targets,
                rows,
                rules.worst(r.status for r in rows),
                _mean([r.obj.percent for r in rows]),
                rules.tally(r.status for r in rows),
            )
        )
    codes = sorted({st.indicator for st in subtasks if st.indicator})
    problems = list(
        Remark.objects.filter(major=True)
        .filter(Q(subtask__in=subtasks) | Q(milestone__in=milestones))
        .select_related("subtask__clause", "subtask__unit", "subtask__division", "milestone__task__plan__division")
        .order_by("created_at")
    )
    silent = sorted(
        {st.owner_name for st in subtasks if st.silent_since and st.done_on is None}
        | {ms.task.plan.division.name for ms in milestones if ms.silent_since and ms.done_on is None}
    )
    counts: dict[str, int] = {}
    for p in plans.values():
        counts[p.state] = counts.get(p.state, 0) + 1
    return Report(
        start_year,
        end_year,
        as_of,
        getattr(settings, "YOUSE_PROVINCE_NAME", "陕西省"),
        tasks,
        cities,
        [lv for lv in (measures.province(c) for c in codes) if lv is not None],
        problems,
        silent,
        counts,
    )
