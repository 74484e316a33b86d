"""The supervision report as a Word document in the form of a Chinese government report (公文): a title
in 小标宋 style, the issuing unit and date, sections numbered 一、二、三… with (一)(二) subsections, tables
for the tasks and the cities, A4 with the usual margins, and East Asian fonts set on every run (w:eastAsia),
so that Word on the reader's machine uses 仿宋 / 黑体 / 宋体 whatever fonts the server has.

The text is Chinese whatever the page language: the document goes to the provincial government."""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from youse.supervision.report import Report
from youse.supervision.rules import Status, section, subsection

BODY, HEADING, TITLE, TABLE = "仿宋_GB2312", "黑体", "方正小标宋简体", "宋体"
STATUS_ZH = {
    Status.DONE: "已完成",
    Status.ON_TRACK: "正常推进",
    Status.AT_RISK: "存在滞后风险",
    Status.OVERDUE: "逾期未完成",
}
PLAN_ZH = {"draft": "编制中", "submitted": "已报送待审", "accepted": "已审核通过", "returned": "已退回修改"}
ISSUER = "陕西省工业和信息化厅"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    fonts.set(qn("w:ascii"), name)
    fonts.set(qn("w:hAnsi"), name)


def _para(doc, text: str, font: str = BODY, size: float = 16, bold=False, align=None, indent=True):
    p = doc.add_paragraph()
    if align is not None:
        p.alignment = align
    if indent:
        p.paragraph_format.first_line_indent = Pt(size * 2)
    p.paragraph_format.line_spacing = Pt(28)
    _font(p.add_run(text), font, size, bold)
    return p


def _table(doc, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING, 10.5)
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), TABLE, 10.5)


def _status(value) -> str:
    return STATUS_ZH.get(value, "未分解") if value else "未分解"


def _pct(value) -> str:
    return "—" if value is None else f"{value}%"


def render(report: Report) -> bytes:
    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY)

    _para(doc, report.title, TITLE, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(
        doc,
        f"{ISSUER}　{report.as_of.year}年{report.as_of.month}月{report.as_of.day}日",
        BODY,
        16,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    t = report.tally
    n = 1
    _para(doc, f"{section(n)}总体情况", HEADING, 16, indent=False)
    _para(
        doc,
        f"按照《{report.province}有色金属工业转型升级实施方案》关于组织实施的要求，对{report.period}年度各项重点任务"
        f"和各市实施方案落实情况进行了督查。全省共分解任务{t.total}项，其中已完成{t.done}项、正常推进{t.on_track}项、"
        f"存在滞后风险{t.at_risk}项、逾期未完成{t.overdue}项。各市实施方案已审核通过"
        f"{report.plan_counts.get('accepted', 0)}个、待审{report.plan_counts.get('submitted', 0)}个、"
        f"退回修改{report.plan_counts.get('returned', 0)}个。",
    )
    n += 1
    _para(doc, f"{section(n)}重点任务落实情况", HEADING, 16, indent=False)
    _table(
        doc,
        ["序号", "任务", "牵头单位", "分解任务", "已完成", "逾期", "平均进度", "状态"],
        [
            [
                str(i),
                f"{ts.clause.number} {ts.clause.title}",
                "、".join(ts.lead),
                str(ts.tally.total),
                str(ts.tally.done),
                str(ts.tally.overdue),
                _pct(ts.percent),
                _status(ts.status),
            ]
            for i, ts in enumerate(report.tasks, start=1)
        ],
    )
    for i, ts in enumerate(report.tasks, start=1):
        _para(doc, f"{subsection(i)}{ts.clause.number} {ts.clause.title}", "楷体_GB2312", 16, bold=True, indent=False)
        partners = f"，配合单位：{'、'.join(ts.partners)}" if ts.partners else ""
        _para(doc, f"牵头单位：{'、'.join(ts.lead) or '—'}{partners}。")
        if not ts.rows:
            _para(doc, "本期未分解具体任务。")
            continue
        _table(
            doc,
            ["分解任务", "责任单位", "完成时限", "进度", "状态", "指标最新值"],
            [
                [
                    r.obj.title,
                    r.obj.owner_name,
                    r.obj.deadline.isoformat(),
                    f"{r.obj.percent}%",
                    _status(r.status),
                    r.latest.text if r.latest else "—",
                ]
                for r in ts.rows
            ],
        )
    n += 1
    _para(doc, f"{section(n)}各市实施方案落实情况", HEADING, 16, indent=False)
    _table(
        doc,
        ["序号", "城市", "方案状态", "目标", "节点", "已完成", "逾期", "平均进度", "状态"],
        [
            [
                str(i),
                cs.division.name,
                PLAN_ZH.get(cs.plan.state, cs.plan.state) if cs.plan else "未报送",
                str(len(cs.targets)),
                str(cs.tally.total),
                str(cs.tally.done),
                str(cs.tally.overdue),
                _pct(cs.percent),
                _status(cs.status) if cs.plan else "—",
            ]
            for i, cs in enumerate(report.cities, start=1)
        ],
    )
    late = [cs for cs in report.cities if cs.tally.overdue]
    for i, cs in enumerate(late, start=1):
        _para(doc, f"{subsection(i)}{cs.division.name}", "楷体_GB2312", 16, bold=True, indent=False)
        items = "；".join(
            f"{r.obj.title}（时限{r.obj.deadline.isoformat()}，进度{r.obj.percent}%）"
            for r in cs.rows
            if r.status == Status.OVERDUE
        )
        _para(doc, f"逾期节点：{items}。")
    n += 1
    _para(doc, f"{section(n)}主要指标完成情况", HEADING, 16, indent=False)
    if report.indicators:
        _table(
            doc,
            ["指标", "最新值", "统计期"],
            [
                [lv.label or lv.code, f"{lv.value if lv.value is not None else '—'} {lv.unit}", lv.period]
                for lv in report.indicators
            ],
        )
    else:
        _para(doc, "本期分解任务未关联统计指标。")
    n += 1
    _para(doc, f"{section(n)}存在的主要问题", HEADING, 16, indent=False)
    if report.problems:
        for i, remark in enumerate(report.problems, start=1):
            item = remark.item
            where = (
                f"{item.clause.number} {item.title}"
                if remark.subtask_id
                else f"{item.task.plan.division.name} {item.title}"
            )
            _para(doc, f"{i}. {where}：{remark.text}")
    else:
        _para(doc, "本期未发现需报告省政府的重大问题。")
    if report.silent:
        _para(doc, f"超过规定期限未报送进展的责任单位：{'、'.join(report.silent)}。")
    n += 1
    _para(doc, f"{section(n)}下一步工作建议", HEADING, 16, indent=False)
    _para(
        doc,
        "对逾期未完成和存在滞后风险的任务，由牵头单位会同配合单位制定整改措施、明确完成时限；"
        "对长期未报送进展的责任单位进行督办；各市按审核意见完善实施方案，按节点推进落实。",
    )
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
