"""Support fixtures: an open call with budgets, and applications of enterprise A (Yulin) and B (Baoji)
brought to a given state through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from youse.support import services
from youse.support.models import Application, FundCall

OUTCOMES = [
    {"indicator": "节能量", "unit": "tce", "expected": "1200"},
    {"indicator": "专利", "unit": "项", "expected": "3"},
]


def open_call(dep, *, budgets=None, budget=None, year=None) -> FundCall:
    today = timezone.localdate()
    call = services.create_call(
        dep,
        {"year": year or today.year, "title": "有色金属产业专项资金", "document": "陕工信发〔2020〕1号",
         "opens_on": today - dt.timedelta(days=10), "closes_on": today + dt.timedelta(days=20), "budget": budget},
        budgets or {"green": "1000", "intelligent": "800", "brand": None},
    )  # fmt: skip
    return services.open_call(dep, call)


def draft(personas, call, who: str = "a", **over) -> Application:
    user, enterprise = {"a": (personas.ent_a, personas.enterprise_a), "b": (personas.ent_b, personas.enterprise_b)}[who]
    data = {"category": "green", "project_name": "余热回收改造", "content": "还原炉余热发电",
            "total_investment": "3000", "requested": "500", **over}  # fmt: skip
    return services.create_application(user, call, enterprise, data, OUTCOMES)


def bring(personas, app: Application, state: str, amount="400") -> Application:
    """Take an application from draft to `state` the usual way."""
    dep, city = personas.department, personas.city
    recommender = city if app.enterprise_id == personas.enterprise_a.pk else dep
    owner = personas.ent_a if app.enterprise_id == personas.enterprise_a.pk else personas.ent_b
    path = ["submitted", "recommended", "approved", "paid", "accepted"]
    if state in ("returned",):
        services.submit(owner, app)
        return services.return_application(recommender, app, "材料不全")
    if state == "rejected":
        bring(personas, app, "recommended")
        return services.reject(dep, app, "不符合支持方向")
    if state == "failed":
        bring(personas, app, "paid", amount)
        outcome_ids = list(app.outcomes.values_list("pk", flat=True))
        return services.accept(dep, app, passed=False, report="未达预期", achieved={pk: "1" for pk in outcome_ids},
                               repayment="100")  # fmt: skip
    for step in path[: path.index(state) + 1]:
        if step == "submitted":
            services.submit(owner, app)
        elif step == "recommended":
            services.recommend(recommender, app, "同意推荐")
        elif step == "approved":
            services.approve(dep, app, amount, "陕工信发〔2020〕9号")
        elif step == "paid":
            services.disburse(dep, app, Decimal(amount) / 2, document="拨付1")
        elif step == "accepted":
            ids = list(app.outcomes.values_list("pk", flat=True))
            services.accept(dep, app, passed=True, report="达到预期", achieved={pk: "1300" for pk in ids})
    app.refresh_from_db()
    return app


@pytest.fixture
def call(personas) -> FundCall:
    return open_call(personas.department)
