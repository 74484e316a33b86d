"""Smelters with accepted monthly reports, filed through the statistics services.

Enterprise A (府谷, Yulin) runs an electrolysis line of 150,000 t/a all through 2021: January to June
9,000 t of aluminium liquid a month at 13,600 kWh/t (comprehensive AC), July to December 11,000 t at
13,700 kWh/t, so its output-weighted 2021 consumption is 13,655.0 kWh/t. Enterprise B (Baoji) started
its line in August 2021: five months, under six, so it is listed and excluded. Their 铝液电解 AC figures
are 400 kWh/t lower (the 2530号 measure)."""

import datetime as dt
from decimal import Decimal

import pytest

from youse.registry import services as registry
from youse.stats import services as stats

A_WEIGHTED = Decimal("13655.0")
A_ELECTRICITY = Decimal(9000 * 6 * 13600 + 11000 * 6 * 13700)  # kWh: Σ kWh/t × t


def electrolysis_unit(dep, plant, name: str, capacity: str = "150000"):
    return registry.create_unit(
        dep,
        plant,
        {
            "name": name,
            "metal": "Al",
            "stage": "smelting",
            "product": "电解铝液",
            "design_capacity": capacity,
            "capacity_unit": "t/a",
        },
        status="operating",
        status_since=dt.date(2015, 1, 1),
        document="陕发改产业〔2014〕1号",
    )


def figures() -> dict:
    return {
        "value_added": "1200",
        "revenue": "5200",
        "profit": "100",
        "energy_tce": "5400",
        "electricity_kwh": "3100000",
        "employees": 320,
    }


def line(unit, tonnes: str, total_kwh: str) -> dict:
    return {
        "unit": unit.pk,
        "output_t": tonnes,
        "output_value": str(Decimal(tonnes) * Decimal("1.5")),
        "al_liquid_t": tonnes,
        "ac_kwh_per_t": str(Decimal(total_kwh) - 400),
        "ac_total_kwh_per_t": total_kwh,
    }


class Smelters:
    def __init__(self, p, year: int = 2021) -> None:
        self.p = p
        self.year = year
        self.unit_a = electrolysis_unit(p.department, p.plant_a, "电解铝一系列")
        self.unit_b = electrolysis_unit(p.department, p.plant_b, "电解铝新系列")
        inputs = []
        for month in range(1, 13):
            period = dt.date(year, month, 1)
            tonnes, kwh = ("9000", "13600") if month <= 6 else ("11000", "13700")
            inputs.append(stats.ReportInput(p.enterprise_a.pk, period, figures(), [line(self.unit_a, tonnes, kwh)]))
            if month >= 8:
                inputs.append(
                    stats.ReportInput(p.enterprise_b.pk, period, figures(), [line(self.unit_b, "10000", "13500")])
                )
        result = stats.file_reports(p.department, inputs, status="accepted")
        assert not result.problems, result.problems


@pytest.fixture
def smelters(personas) -> Smelters:
    return Smelters(personas)
