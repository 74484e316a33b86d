"""The demo's supervision (closing paragraph 组织实施), written through supervision.services.

- Every task clause (二(一)…(八), 三(一)…(八)) is broken into two sub-tasks: one for its lead unit and one
  for a co-responsible unit (a clause shared with the cities gives its second to Yulin or Baoji). Their
  deadlines are spread around the day of the build, so that the board shows sub-tasks done, on track, at
  risk and overdue.
- Every city's plan for 2026–2030 with targets, two tasks and their milestones; most are accepted, Baoji's
  is submitted and awaits review, Xianyang's was returned with the department's comments. Yulin and Baoji
  write their own plans; the department enters those of cities without a persona, as it does for paper
  submissions.
- Progress reports by the owners (fgw, hbt, the city personas; the department records those of units
  without a persona), with evidence on some; one major problem for the provincial government.
- Finally the ticker's duties flag the overdue items and the silent owners as of the day of the build.

Dates are counted from the day of the build, inside the plan's period, so that the story holds whenever the
demo is built during the period."""

import datetime as dt

from django.core.files.base import ContentFile

from youse.core.models import Division, PolicyClause, User
from youse.demo.capacity import png
from youse.supervision import services
from youse.supervision.models import CityPlan, Milestone, ProgressReport, Remark, SubTask
from youse.supervision.report import task_clauses

START_YEAR, END_YEAR = 2026, 2030
PERIOD_START, PERIOD_END = dt.date(START_YEAR, 1, 1), dt.date(END_YEAR, 12, 31)
# Offsets in days from the day of the build: (start, deadline, percent reported, days since the report).
SCHEDULES = (
    (-300, -120, 100, 130),  # done before its deadline
    (-300, -40, 60, 50),  # overdue
    (-200, 20, 40, 30),  # at risk: close to its deadline
    (-100, 400, 30, 20),  # on track
    (-200, 300, 10, 120),  # on track but its owner is silent
    (-60, 500, None, None),  # started, nothing reported yet
)
CITY_PERSONAS = {"610800": "yulin", "610300": "baoji"}
SUBMITTED, RETURNED = "610300", "610400"
CITY_TASKS = (
    ("推进产业集聚和延链补链", "二(四)", "建成有色金属精深加工园区", "引进精深加工项目"),
    ("淘汰落后产能和环保改造", "二(八)", "完成落后产能退出", "完成重点企业超低排放改造"),
)
TARGETS = (("value_added", "120", 2028), ("deep_processing_share", "55", 2030), ("al_utilisation", "85", 2030))


def _inside(day: dt.date) -> dt.date:
    return min(max(day, PERIOD_START), PERIOD_END)


def _evidence(name: str) -> ContentFile:
    return ContentFile(png(), name=name)


def _report(actor: User, item, percent: int, day: dt.date, text: str, files=()) -> None:
    services.report_progress(actor, item, {"text": text, "percent": percent, "reported_on": day}, files)


def _subtasks(users: dict[str, User], today: dt.date) -> list[SubTask]:
    dep = users["gxt"]
    cities = [Division.objects.get(code=c, valid_to__isnull=True) for c in CITY_PERSONAS]
    made, n = [], 0
    for clause in task_clauses():
        resp = list(clause.responsibilities.select_related("unit"))
        lead = next((r.unit for r in resp if r.lead), None)
        partner = next((r.unit for r in resp if not r.lead), None)
        for i, unit in enumerate((lead, partner)):
            if i and unit is None:
                continue
            owner = {"unit": unit}
            if unit is None or unit.kind == "cities":
                owner = {"division": cities[n % 2]}
            start, due, percent, ago = SCHEDULES[n % len(SCHEDULES)]
            st = services.create_subtask(
                dep,
                clause,
                {
                    "title": f"{clause.title}：{'牵头' if i == 0 else '配合'}推进年度重点工作",
                    "starts_on": today + dt.timedelta(days=start),
                    "deadline": today + dt.timedelta(days=due),
                    "indicator": "deep_processing_share" if clause.number == "二(三)" else "",
                    "measure": "按期完成年度任务并报送佐证材料",
                    **owner,
                },
                reason="示例数据",
            )
            if percent is not None:
                reporter = _reporter(users, st)
                _report(
                    reporter,
                    st,
                    percent,
                    today - dt.timedelta(days=ago),
                    "已按计划推进，形成阶段性成果。" if percent < 100 else "任务已完成，佐证材料已上传。",
                    [_evidence("佐证材料.png")] if percent in (100, 60) else (),
                )
            made.append(st)
            n += 1
    return made


def _reporter(users: dict[str, User], item) -> User:
    """The owner's persona where there is one; otherwise the department records the owner's report."""
    if isinstance(item, SubTask) and item.unit_id:
        return users.get(item.unit.code, users["gxt"])
    division = item.division if isinstance(item, SubTask) else item.task.plan.division
    return users.get(CITY_PERSONAS.get(division.code, ""), users["gxt"])


def _plans(users: dict[str, User], today: dt.date) -> list[CityPlan]:
    dep = users["gxt"]
    plans = []
    for k, div in enumerate(Division.objects.filter(level=Division.Level.CITY, valid_to__isnull=True).order_by("code")):
        actor = users.get(CITY_PERSONAS.get(div.code, ""), dep)
        plan = services.create_plan(
            actor,
            div,
            {
                "start_year": START_YEAR,
                "end_year": END_YEAR,
                "title": f"{div.name}有色金属工业转型升级实施方案（{START_YEAR}—{END_YEAR}年）",
                "summary": "落实全省实施方案，明确目标任务、时间表和路线图。",
            },
            reason="示例数据",
        )
        for indicator, value, year in TARGETS[: 2 + k % 2]:
            services.add_target(actor, plan, {"indicator": indicator, "value": value, "year": year})
        for j, (title, clause, first, second) in enumerate(CITY_TASKS):
            task = services.add_plan_task(
                actor, plan, {"title": title, "clause": PolicyClause.objects.get(number=clause)}
            )
            early = services.add_milestone(
                actor,
                task,
                {
                    "title": first,
                    "starts_on": _inside(today - dt.timedelta(days=300)),
                    "deadline": _inside(today - dt.timedelta(days=30 + 10 * j)),
                },
            )
            services.add_milestone(
                actor,
                task,
                {
                    "title": second,
                    "starts_on": _inside(today - dt.timedelta(days=60)),
                    "deadline": dt.date(2028, 12, 31),
                },
            )
            # Every other city finished its early milestones; the rest are late (overdue after the tick).
            if (k + j) % 2 == 0:
                _report(actor, early, 100, today - dt.timedelta(days=45), "已完成。", [_evidence("验收材料.png")])
            else:
                _report(actor, early, 50, today - dt.timedelta(days=20), "因用地审批滞后，进度落后于计划。")
        plans.append(plan)
    return plans


def _review(dep: User, users: dict[str, User], plans: list[CityPlan]) -> None:
    for plan in plans:
        actor = users.get(CITY_PERSONAS.get(plan.division.code, ""), dep)
        services.submit_plan(actor, plan)
        if plan.division.code == SUBMITTED:
            continue
        if plan.division.code == RETURNED:
            services.return_plan(dep, plan, "目标偏低，请补充分年度节点和资金保障措施后重新报送。")
        else:
            services.accept_plan(dep, plan, "同意。")


def build(users: dict[str, User], today: dt.date) -> None:
    dep = users["gxt"]
    subtasks = _subtasks(users, today)
    plans = _plans(users, today)
    _review(dep, users, plans)
    late = next(st for st in subtasks if st.clause.number == "二(八)")
    services.comment(dep, late, "请加快推进，按期报送佐证材料。")
    milestone = Milestone.objects.filter(task__plan__division__code="610800", percent__lt=100).first() or (
        Milestone.objects.filter(percent__lt=100).first()
    )
    services.comment(dep, milestone, "项目用地审批滞后，需省政府协调自然资源部门解决。", major=True)
    services.mark_overdue(today)
    services.mark_silent(today)


def counts() -> dict[str, int]:
    return {
        "subtasks": SubTask.objects.count(),
        "city_plans": CityPlan.objects.count(),
        "milestones": Milestone.objects.count(),
        "progress_reports": ProgressReport.objects.count(),
        "major_problems": Remark.objects.filter(major=True).count(),
    }
