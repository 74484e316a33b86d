"""The supervision report: built from the sub-tasks and plans, and its Word document parsed back."""

import datetime as dt
import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from youse.supervision import document, report, services
from youse.supervision.report import city_divisions, task_clauses

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(sup):
    sup.subtask(deadline=dt.date(2026, 3, 31), indicator="deep_processing_share")
    plan = sup.plan(milestone_due=dt.date(2026, 3, 31))
    services.submit_plan(sup.p.city, plan)
    services.accept_plan(sup.dept, plan)
    services.comment(sup.dept, sup.milestone, "用地指标未落实", major=True)
    return report.build(2026, 2030, dt.date(2026, 6, 1))


def text_of(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_the_report_judges_tasks_and_cities_on_its_day(built):
    by_clause = {t.clause.number: t for t in built.tasks}
    assert by_clause["二(一)"].status == "overdue" and by_clause["二(一)"].lead == ["工信厅"]
    assert by_clause["二(二)"].status is None  # not broken down yet
    yulin = next(c for c in built.cities if c.division.code == "610800")
    assert yulin.plan.state == "accepted" and yulin.tally.overdue == 1
    assert built.plan_counts == {"accepted": 1}
    assert [m.text for m in built.problems] == ["用地指标未落实"]


def test_the_word_report_opens_and_names_every_task_and_every_city(built):
    data = document.render(built)
    doc = Document(io.BytesIO(data))
    text = text_of(doc)
    assert doc.paragraphs[0].text == "陕西省有色金属工业转型升级实施方案落实情况督查报告"
    assert "陕西省工业和信息化厅" in doc.paragraphs[1].text
    for clause in task_clauses():
        assert f"{clause.number} {clause.title}" in text
    for division in city_divisions():
        assert division.name in text
    for heading in ("一、总体情况", "二、重点任务落实情况", "三、各市实施方案落实情况", "（一）二(一) 加强技术创新"):
        assert heading in text
    assert "用地指标未落实" in text and "逾期未完成" in text
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    fonts = doc.paragraphs[0].runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    assert len(doc.tables) >= 3
