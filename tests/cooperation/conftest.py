"""Overseas projects of enterprise A (府谷, Yulin) and B (Baoji), built through the services."""

import datetime as dt

import pytest

from youse.cooperation import services


def project_data(**overrides) -> dict:
    data = {
        "name": "哈萨克斯坦铝土矿项目",
        "country": "KZ",
        "location": "科斯塔奈州",
        "metal": "Al",
        "stage": "mining",
        "mode": "holding",
        "equity_share": "60",
        "total_investment": "12000",
        "chinese_investment": "7200",
        "product": "铝土矿",
        "capacity": "1500000",
        "signed_on": dt.date(2023, 3, 1),
        "risk_level": "medium",
        "risk_political": "东道国资源民族主义抬头",
    }
    return {**data, **overrides}


PARTNERS = [
    {"side": "foreign", "name": "Kazakh Aluminium JSC", "role": "合资方"},
    {"side": "domestic", "name": "国家开发银行陕西分行", "role": "融资"},
]


def filed(personas, enterprise, user, **overrides):
    project = services.create_project(user, enterprise, project_data(**overrides), PARTNERS)
    services.submit_project(user, project)
    return services.file_project(personas.department, project)


@pytest.fixture
def projects(personas):
    """A's project filed, B's filed, A's draft."""

    class P:
        a = filed(personas, personas.enterprise_a, personas.ent_a)
        b = filed(personas, personas.enterprise_b, personas.ent_b, name="越南钛精矿项目", country="VN", metal="Ti")
        draft = services.create_project(personas.ent_a, personas.enterprise_a, project_data(name="印尼氧化铝项目"))

    return P
