"""A fixed bulletin document in the shape `bulletin.content.build` returns (decimals as strings), for the
bulletin's tests: rendering, services and pages do not depend on the figures' computation."""

import copy
import datetime as dt

import pytest

SECTION_TITLES = {
    "production": "一、生产与产能",
    "utilisation": "二、产能利用",
    "capacity_changes": "三、产能变动",
    "monitoring": "四、在线监测",
    "enforcement": "五、执法检查",
    "warnings": "六、预警提示",
}

MONTHS = [f"2020-{m:02d}" for m in range(1, 7)]

_SAMPLE = {
    "schema": 1,
    "month": "2020-06",
    "title": "陕西省有色金属行业产能监测预警月报（2020年第6期）",
    "generated_at": "2020-07-15T09:00:00+08:00",
    "headline": [
        {
            "code": "value_added",
            "label": "工业增加值",
            "value": "76.52",
            "unit": "亿元",
            "period": "2020-06",
            "target": "1000",
            "comparator": ">=",
            "status": "off_track",
        },
        {
            "code": "al_utilisation",
            "label": "电解铝产能利用率",
            "value": "88.40",
            "unit": "%",
            "period": "2020-06",
            "target": "80",
            "comparator": ">=",
            "status": "met",
        },
    ],
    "indicators": [
        {
            "indicator": "al_utilisation",
            "label": "电解铝产能利用率",
            "period": "2020-06",
            "scope": "province",
            "scope_label": "陕西省",
            "value": "88.40",
            "unit": "%",
            "target": None,
            "status": None,
            "required": None,
            "gap": None,
            "inputs": {},
        },
    ],
    "sections": [
        {
            "key": "production",
            "title": SECTION_TITLES["production"],
            "paragraphs": ["6月全省有色金属产量42.3万吨，同比增长5.1%。"],
            "blocks": [
                {
                    "type": "table",
                    "key": "by_city",
                    "title": "分市产量",
                    "columns": [
                        {"key": "city", "label": "市", "unit": ""},
                        {"key": "output", "label": "产量", "unit": "万吨"},
                    ],
                    "rows": [
                        {"city": "榆林市", "output": "18.20"},
                        {"city": "宝鸡市", "output": "9.75"},
                        {"city": "铜川市", "output": "6.10"},
                    ],
                    "note": "不含停产企业。",
                },
                {
                    "type": "chart",
                    "key": "output_trend",
                    "title": "全省有色金属产量走势",
                    "kind": "bar",
                    "unit": "万吨",
                    "categories": MONTHS,
                    "series": [{"name": "全省", "values": ["38.1", "30.2", "40.5", "41.0", None, "42.3"]}],
                    "target": None,
                },
            ],
        },
        {
            "key": "utilisation",
            "title": SECTION_TITLES["utilisation"],
            "paragraphs": ["电解铝产能利用率88.4%，高于80%的目标。"],
            "blocks": [
                {
                    "type": "chart",
                    "key": "al_utilisation",
                    "title": "电解铝产能利用率",
                    "kind": "line",
                    "unit": "%",
                    "categories": MONTHS,
                    "series": [
                        {"name": "全省", "values": ["84.0", "80.5", "85.2", "86.0", "87.1", "88.4"]},
                        {"name": "榆林市", "values": ["90.1", "88.0", "91.2", "92.0", "92.5", "93.0"]},
                    ],
                    "target": "80",
                },
            ],
        },
        {
            "key": "capacity_changes",
            "title": SECTION_TITLES["capacity_changes"],
            "paragraphs": ["本月无新增电解铝产能。"],
            "blocks": [],
        },
        {
            "key": "monitoring",
            "title": SECTION_TITLES["monitoring"],
            "paragraphs": ["在线监测点位在线率98.2%。"],
            "blocks": [],
        },
        {
            "key": "enforcement",
            "title": SECTION_TITLES["enforcement"],
            "paragraphs": ["本月立案2件，完成整改1件。"],
            "blocks": [],
        },
        {
            "key": "warnings",
            "title": SECTION_TITLES["warnings"],
            "paragraphs": ["铜川市工业增加值连续三个月同比下降。"],
            "blocks": [
                {
                    "type": "table",
                    "key": "warnings",
                    "title": "预警清单",
                    "columns": [
                        {"key": "scope", "label": "范围", "unit": ""},
                        {"key": "message", "label": "预警内容", "unit": ""},
                    ],
                    "rows": [{"scope": "铜川市", "message": "工业增加值连续3个月同比下降"}],
                    "note": "",
                },
            ],
        },
    ],
    "warnings": [
        {
            "rule": "decline_3m",
            "scope": "city:610200",
            "scope_label": "铜川市",
            "indicator": "value_added",
            "message": "工业增加值连续3个月同比下降",
            "fired_at": "2020-07-12T02:00:00+00:00",
            "status": "open",
            "evidence": [{"period": "2020-06", "value": "-3.1", "unit": "%"}],
        },
    ],
}


def sample(month: str = "2020-06") -> dict:
    data = copy.deepcopy(_SAMPLE)
    year, number = month.split("-")
    data["month"] = month
    data["title"] = f"陕西省有色金属行业产能监测预警月报（{year}年第{int(number)}期）"
    return data


@pytest.fixture
def sample_content(monkeypatch):
    """Drafts get the fixed sample document instead of the computed figures."""
    from youse.portal.bulletin import services

    calls: list = []

    def build(month):
        calls.append(month)
        return sample(month.strftime("%Y-%m"))

    monkeypatch.setattr(services, "build_content", build)
    return calls


FIGURES = {
    "value_added": "10",
    "revenue": "50",
    "profit": "1",
    "energy_tce": "5",
    "electricity_kwh": "100",
    "employees": 10,
}


def accept_reports(personas, month: dt.date, which: tuple[str, ...] = ("a", "b")) -> None:
    """File the month's reports of enterprises A and/or B as accepted figures (the department's door)."""
    from youse.stats import services

    inputs = [
        services.ReportInput(
            getattr(personas, f"enterprise_{w}").pk,
            month,
            dict(FIGURES),
            [{"unit": getattr(personas, f"unit_{w}").pk, "output_t": "100", "output_value": "60"}],
        )
        for w in which
    ]
    result = services.file_reports(personas.department, inputs, status="accepted")
    assert not result.problems, [str(p) for _i, p in result.problems]
