"""Meaningful request bodies for the unsafe operations whose minimal schema-valid body would only earn a
400 from every caller; each is a function of the test's path objects (apiclient.Objects)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from youse.registry.rules import make_credit_code


def _report(objs) -> dict:
    p = objs.personas
    return {
        "enterprise": p.enterprise_a.pk,
        "month": "2024-06",
        "figures": {
            "value_added": "10",
            "revenue": "50",
            "profit": "1",
            "energy_tce": "5",
            "electricity_kwh": "100",
            "employees": 10,
        },
        "lines": [{"unit": p.unit_a.pk, "output_t": "100", "output_value": "60"}],
    }


def _application(objs) -> dict:
    return {
        "call": objs.get("support_call", "a").pk,
        "enterprise": objs.personas.enterprise_a.pk,
        "category": "green",
        "project_name": "余热回收改造",
        "total_investment": "100",
        "requested": "50",
        "outcomes": [{"indicator": "节能量", "unit": "tce", "expected": "10"}],
    }


BODIES: dict[tuple[str, str], Callable[[Any], dict]] = {
    ("POST", "/registry/enterprises"): lambda objs: {
        "name": "府谷新设镁业有限公司",
        "credit_code": make_credit_code("91610822MA0000009"),
        "division": "610822",
        "ownership": "private",
    },
    ("POST", "/registry/plants"): lambda objs: {
        "enterprise": objs.personas.enterprise_a.pk,
        "name": "二厂",
        "division": "610822",
    },
    ("POST", "/registry/units"): lambda objs: {
        "plant": objs.personas.plant_a.pk,
        "name": "硅铁炉",
        "metal": "Mg",
        "stage": "smelting",
        "product": "原镁",
        "design_capacity": "10000",
        "capacity_unit": "t/a",
    },
    ("POST", "/registry/units/{unit_id}/status"): lambda objs: {
        "to_status": "idle",
        "effective_on": "2026-01-15",
        "reason": "检修",
    },
    ("PUT", "/stats/reports"): _report,
    ("PUT", "/support/applications/{app_id}"): lambda objs: {
        key: value for key, value in _application(objs).items() if key not in ("call", "enterprise")
    },
    ("POST", "/cooperation/projects"): lambda objs: {
        "enterprise": objs.personas.enterprise_a.pk,
        "name": "哈萨克斯坦铝土矿项目",
        "country": "KZ",
        "metal": "Al",
        "stage": "mining",
        "mode": "holding",
        "equity_share": "60",
    },
    ("POST", "/cooperation/projects/{project_id}/status"): lambda objs: {"on": "2026-01-15", "note": "试生产"},
    ("POST", "/capacity/schemes/{scheme_id}/approve"): lambda objs: {"document": "陕工信发〔2026〕1号"},
    ("POST", "/capacity/schemes/{scheme_id}/publish"): lambda objs: {},
    ("POST", "/capacity/schemes/{scheme_id}/objections"): lambda objs: {
        "name": "张三",
        "contact": "13800000000",
        "text": "新址距居民区过近",
    },
    ("POST", "/support/calls"): lambda objs: {
        "year": dt.date.today().year,
        "title": "专项资金",
        "document": "陕工信发〔2026〕2号",
        "opens_on": str(dt.date.today()),
        "closes_on": str(dt.date.today() + dt.timedelta(days=30)),
        "budgets": [{"category": "green", "budget": "1000"}],
    },
    ("POST", "/support/applications"): _application,
    ("POST", "/support/plans"): lambda objs: {
        "metal": "Mg",
        "kind": "government",
        "product": "电解镁",
        "target_t": "1000",
        "starts_on": "2026-01-01",
        "ends_on": "2026-12-31",
    },
    ("POST", "/support/holdings"): lambda objs: {
        "kind": "commercial",
        "metal": "Mg",
        "product": "电解镁",
        "enterprise": objs.personas.enterprise_a.pk,
        "warehouse": "成品库",
        "division": "610822",
    },
    ("POST", "/support/holdings/{holding_id}/movements"): lambda objs: {
        "kind": "in",
        "quantity_t": "10",
        "document": "入库单 1 号",
    },
    ("POST", "/credit/editions/derive"): lambda objs: {"year": 2026, "as_of": "2026-01-15"},
}
