"""Enforcement on top of the shared personas: a survey campaign over every enterprise, and helpers that
walk a case through inspection, order, re-inspection and closure with the service functions."""

import datetime as dt

import pytest

from youse.enforcement import services
from youse.enforcement.models import Case


class Enforcement:
    def __init__(self, p) -> None:
        self.p = p

    def campaign(self, **extra):
        data = {
            "name": "2017年有色金属企业专项检查",
            "year": 2017,
            "dimensions": ["environment", "energy", "quality", "safety", "technology"],
            "metals": [],
            "cities": [],
            "starts_on": dt.date(2026, 3, 1),
            "due_on": dt.date(2026, 6, 30),
            **extra,
        }
        return services.create_campaign(self.p.department, data)

    def case_a(self, campaign=None) -> Case:
        campaign = campaign or self.campaign()
        return Case.objects.get(campaign=campaign, enterprise=self.p.enterprise_a)

    def inspect(self, case, actor=None, *, passed: bool, on=dt.date(2026, 4, 1), order=None):
        data = {"inspecting_unit": "榆林市工业和信息化局", "inspectors": "王五、赵六", "inspected_on": on}
        results = [
            {"item": "SAF-GEN-1", "met": passed},
            {"item": "TEC-MG-1", "measured": "20000" if passed else "9000"},
        ]
        if order is not None:
            return services.reinspect(actor or self.p.city, order, data, results)
        return services.record_inspection(actor or self.p.city, case, data, results)

    def order(self, inspection, *, deadline=dt.date(2026, 6, 30), issued_on=dt.date(2026, 4, 2)):
        return services.issue_order(
            self.p.city,
            inspection,
            {"issued_on": issued_on, "deadline": deadline, "responsible_person": "李总经理"},
            [{"text": "补办安全生产许可证", "basis": "《安全生产法》第二十条"}],
        )


@pytest.fixture
def enf(personas) -> Enforcement:
    return Enforcement(personas)
