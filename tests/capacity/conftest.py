"""An aluminium ledger on top of the shared personas: enterprise A (府谷, Yulin) runs one electrolysis
line and has closed another; enterprise B (Baoji) holds closed capacity it may sell. Built through the
service functions, as everything else."""

import datetime as dt

import pytest

from youse.capacity import services
from youse.registry import services as registry


class Aluminium:
    def __init__(self, p) -> None:
        self.p = p
        dep = p.department
        self.running_unit = registry.create_unit(
            dep,
            p.plant_a,
            {
                "name": "电解铝一系列",
                "metal": "Al",
                "stage": "smelting",
                "product": "电解铝液",
                "main_equipment": "400kA×200",
                "design_capacity": "200000",
                "capacity_unit": "t/a",
            },
            status="operating",
            status_since=dt.date(2012, 6, 1),
            document="陕发改产业〔2011〕100号",
        )
        self.closed_unit = registry.create_unit(
            dep,
            p.plant_a,
            {
                "name": "电解铝老系列",
                "metal": "Al",
                "stage": "smelting",
                "product": "电解铝液",
                "main_equipment": "240kA×160",
                "design_capacity": "150000",
                "capacity_unit": "t/a",
            },
            status="idle",
            status_since=dt.date(2020, 1, 1),
            document="陕发改产业〔2005〕55号",
        )
        self.running = services.register_indicator(
            dep,
            {
                "code": "CN-A-RUN",
                "tonnes": 200000,
                "owner": p.enterprise_a,
                "unit": self.running_unit,
                "origin_document": "陕发改产业〔2011〕100号",
                "basis": "cleanup_2017",
                "basis_reference": "2017年电解铝清理整顿合规名单",
            },
        )
        self.closed = services.register_indicator(
            dep,
            {
                "code": "CN-A-OLD",
                "tonnes": 150000,
                "owner": p.enterprise_a,
                "unit": self.closed_unit,
                "origin_document": "陕发改产业〔2005〕55号",
                "basis": "cleanup_2017",
                "basis_reference": "2017年电解铝清理整顿合规名单",
                "closed_on": dt.date(2020, 1, 1),
            },
            holding="available",
        )
        self.for_sale = services.register_indicator(
            dep,
            {
                "code": "CN-B-SALE",
                "tonnes": 100000,
                "owner": p.enterprise_b,
                "origin_document": "宝发改〔2008〕9号",
                "origin_equipment": "300kA×120",
                "basis": "elimination",
                "announced": True,
                "closed_on": dt.date(2016, 5, 1),
                "basis_reference": "陕西省工业和信息化厅公告2016年第3号",
            },
        )

    def draft(self, actor=None, *, capacity=150000, lines=None, **extra):
        p = self.p
        data = {
            "title": "示范镁业电解铝产能置换项目",
            "applicant": p.enterprise_a.pk,
            "plant": p.plant_a.pk,
            "site": "府谷县新民镇",
            "division": "610822",
            "main_equipment": "500kA×256",
            "capacity_t": capacity,
            "energy_kwh_per_t": "12900",
            "planned_start": dt.date(2027, 3, 1),
            "planned_production": dt.date(2028, 6, 1),
            "route": "own",
            "contact": "陕西省工业和信息化厅原材料处，029-00000000",
            **extra,
        }
        if lines is None:
            lines = [{"indicator": "CN-A-OLD", "tonnes": 150000, "dismantling_start": dt.date(2027, 1, 1),
                      "dismantling_due": dt.date(2027, 12, 31)}]  # fmt: skip
        return services.create_scheme(actor or p.ent_a, data, lines)


@pytest.fixture
def al(personas) -> Aluminium:
    return Aluminium(personas)
