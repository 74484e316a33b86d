"""The `sup` fixture: a sub-task of 二(一) owned by the provincial unit fgw, one of 二(八) owned by Yulin, and
a Yulin plan for 2026–2030 with a target, a task and a milestone, all made through the services."""

import datetime as dt

import pytest

from youse.core import services as core_services
from youse.core.models import Division, PolicyClause, ResponsibleUnit
from youse.core.roles import Role
from youse.supervision import services

PASSWORD = "youse-test-password"


class Sup:
    def __init__(self, personas) -> None:
        self.p = personas
        self.dept = personas.department
        self.fgw = core_services.create_user(
            None, "fgw", Role.PROVINCIAL_UNIT, password=PASSWORD, unit=ResponsibleUnit.objects.get(code="fgw")
        )
        self.yulin = Division.objects.get(code="610800", valid_to__isnull=True)
        self.baoji = Division.objects.get(code="610300", valid_to__isnull=True)
        self.innovation = PolicyClause.objects.get(number="二(一)")
        self.exit = PolicyClause.objects.get(number="二(八)")

    def subtask(self, owner="fgw", clause=None, **fields):
        data = {
            "title": fields.pop("title", "建设有色金属新材料创新中心"),
            "starts_on": fields.pop("starts_on", dt.date(2026, 1, 1)),
            "deadline": fields.pop("deadline", dt.date(2026, 12, 31)),
            "indicator": fields.pop("indicator", ""),
        }
        if owner in ("yulin", "baoji"):
            data["division"] = {"yulin": self.yulin, "baoji": self.baoji}[owner]
        else:
            data["unit"] = ResponsibleUnit.objects.get(code=owner)
        return services.create_subtask(self.dept, clause or self.innovation, data)

    def plan(self, actor=None, division=None, milestone_due=dt.date(2026, 6, 30)):
        actor = actor or self.p.city
        plan = services.create_plan(
            actor,
            division or self.yulin,
            {"start_year": 2026, "end_year": 2030, "title": "榆林市有色金属工业转型升级实施方案"},
        )
        services.add_target(actor, plan, {"indicator": "al_utilisation", "value": "85", "year": 2030})
        task = services.add_plan_task(actor, plan, {"title": "镁产业延链", "clause": self.exit})
        self.milestone = services.add_milestone(
            actor, task, {"title": "完成镁合金项目备案", "starts_on": dt.date(2026, 1, 1), "deadline": milestone_due}
        )
        return plan


@pytest.fixture
def sup(personas) -> Sup:
    return Sup(personas)
