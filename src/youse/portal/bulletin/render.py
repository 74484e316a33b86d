"""The bulletin as a document: the web page (HTML), the PDF (WeasyPrint, from the same HTML with a print
stylesheet) and the Word document (python-docx).

The document is the province's official publication, so its own words are Chinese whatever the reader's
language; the pages around it are translated as usual. A draft carries a visible 草稿 mark in every
format. Published bulletins never change, so their PDF is cached."""

import datetime as dt
import hashlib
import io
import json
import logging
import time

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from youse.portal.bulletin import charts
from youse.portal.bulletin.services import MAX_OVERVIEW, MAX_SECTION
from youse.portal.models import Bulletin

ISSUER = "陕西省工业和信息化厅"
DRAFT_MARK = "草稿 draft"
OVERVIEW_TITLE = "综述"
HEADLINE_TITLE = "主要指标"
STATUS_LABELS = {
    "met": "达标",
    "missed": "未达标",
    "on_track": "进度正常",
    "off_track": "进度滞后",
    "no_data": "暂无数据",
}
HEADLINE_COLUMNS = ("指标", "数值", "单位", "期间", "目标", "状态")
PDF_CACHE_SECONDS = 7 * 24 * 3600


def paragraphs(text: str | None) -> list[str]:
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


# The document is Chinese: comparators as signs, periods as the bulletin's readers write them.
SIGNS = {">=": "≥", "<=": "≤", "gte": "≥", "lte": "≤", "gt": ">", "lt": "<", "rank_lte": "≤"}


def _target(item: dict) -> str:
    target = item.get("target")
    if target in (None, ""):
        return "—"
    if isinstance(target, dict):
        comparator, target = target.get("comparator", ""), target.get("value", "")
    else:
        comparator = item.get("comparator") or ""
    return f"{SIGNS.get(comparator, comparator)} {target}".strip()


def period_label(period: str) -> str:
    """Periods as Chinese readers write them: "2026-09" → 2026年9月, "2026-09-ytd" → 2026年1—9月."""
    parts = period.split("-")
    if len(parts) >= 2 and parts[0].isdigit() and parts[1].isdigit():
        year, month = parts[0], int(parts[1])
        if parts[2:] == ["ytd"]:
            return f"{year}年1—{month}月" if month > 1 else f"{year}年1月"
        if len(parts) == 2:
            return f"{year}年{month}月"
    return period


def _cell(value) -> str:
    if value is None or value == "":
        return "—"
    return str(value)


def _table(block: dict) -> dict:
    columns = block.get("columns") or []
    rows = block.get("rows") or []
    return {
        **block,
        "header": [
            {
                "label": f"{c.get('label', '')}（{c['unit']}）" if c.get("unit") else str(c.get("label", "")),
                "numeric": bool(c.get("unit")),
            }
            for c in columns
        ],
        "cells": [
            [{"text": _cell(r.get(c.get("key"))), "numeric": bool(c.get("unit"))} for c in columns] for r in rows
        ],
    }


def document(bulletin: Bulletin, *, with_charts: bool = True) -> dict:
    """What every format shows, in order: the head, the overview, the headline figures, the sections."""
    data = bulletin.data or {}
    commentary = bulletin.commentary or {}
    sections = []
    for s in data.get("sections") or []:
        blocks = []
        for b in s.get("blocks") or []:
            if b.get("type") == "table":
                blocks.append(_table(b))
            elif b.get("type") == "chart":
                blocks.append({**b, "svg": mark_safe(charts.svg(b)) if with_charts else ""})
        sections.append(
            {
                "key": s.get("key", ""),
                "title": s.get("title", ""),
                "commentary": commentary.get(s.get("key", ""), ""),
                "commentary_paragraphs": paragraphs(commentary.get(s.get("key", ""))),
                "paragraphs": [p for p in s.get("paragraphs") or [] if p],
                "blocks": blocks,
            }
        )
    headline = [
        {
            "label": h.get("label", ""),
            "value": _cell(h.get("value")),
            "unit": h.get("unit") or "",
            "period": period_label(h.get("period") or ""),
            "target": _target(h),
            "status": h.get("status") or "",
            "status_label": STATUS_LABELS.get(h.get("status") or "", "—"),
        }
        for h in data.get("headline") or []
    ]
    when = bulletin.published_at or bulletin.drafted_at
    return {
        "bulletin": bulletin,
        "title": bulletin.title,
        "issuer": ISSUER,
        "issue_label": bulletin.issue_label,
        "date_label": _date_label(timezone.localtime(when).date() if when else None),
        "draft": not bulletin.is_published,
        "draft_mark": DRAFT_MARK,
        "version": bulletin.version,
        "correction_note": bulletin.correction_note,
        "overview": commentary.get("overview", ""),
        "overview_paragraphs": paragraphs(commentary.get("overview")),
        "overview_title": OVERVIEW_TITLE,
        "headline_title": HEADLINE_TITLE,
        "headline_columns": HEADLINE_COLUMNS,
        "headline": headline,
        "sections": sections,
        "generated_at": data.get("generated_at", ""),
        "generated_label": _moment_label(data.get("generated_at")),
        "limits": {"overview": MAX_OVERVIEW, "section": MAX_SECTION},
        "css_title": _css_string(bulletin.title),
    }


def _css_string(text: str) -> str:
    """Text for a CSS string literal (the PDF's running header)."""
    return " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ")


def _moment_label(text: str | None) -> str:
    """An ISO timestamp as local 'YYYY-MM-DD HH:MM' (the figures' computation time)."""
    try:
        moment = dt.datetime.fromisoformat(str(text))
    except ValueError:
        return ""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _date_label(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def html(bulletin: Bulletin, *, for_print: bool = False) -> str:
    """A standalone HTML document (the CLI's html format, and the source of the PDF)."""
    return render_to_string("portal/bulletin/standalone.html", {"doc": document(bulletin), "for_print": for_print})


def _fingerprint(bulletin: Bulletin) -> str:
    payload = json.dumps(
        [bulletin.pk, bulletin.version, bulletin.status, bulletin.data, bulletin.commentary],
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def pdf(bulletin: Bulletin) -> bytes:
    """The PDF (A4, Noto CJK fonts, header with the title and issue, page numbers, charts as SVG)."""
    key = f"youse:bulletin-pdf:{_fingerprint(bulletin)}"
    if bulletin.is_published and bulletin.pk:
        cached = cache.get(key)
        if cached is not None:
            return cached
    from weasyprint import HTML

    source = html(bulletin, for_print=True)
    # WeasyPrint warns about every SVG presentation property its CSS parser does not know (it draws
    # them all the same): keep the log for real errors.
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        content = HTML(string=source).write_pdf()
    finally:
        logger.setLevel(level)
    if bulletin.is_published and bulletin.pk:
        cache.set(key, content, PDF_CACHE_SECONDS)
    return content


def timed_pdf(bulletin: Bulletin) -> tuple[bytes, float]:
    started = time.perf_counter()
    content = pdf(bulletin)
    return content, time.perf_counter() - started


def _east_asian(style_or_run, font: str) -> None:
    from docx.oxml.ns import qn

    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)


def docx(bulletin: Bulletin) -> bytes:
    """The Word document: title, issue line, overview, headline table, then each section's commentary,
    paragraphs, tables and charts (PNG). Cached for published bulletins, like the PDF."""
    key = f"youse:bulletin-docx:{_fingerprint(bulletin)}"
    if bulletin.is_published and bulletin.pk:
        cached = cache.get(key)
        if cached is not None:
            return cached
    content = _docx(bulletin)
    if bulletin.is_published and bulletin.pk:
        cache.set(key, content, PDF_CACHE_SECONDS)
    return content


def _docx(bulletin: Bulletin) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = document(bulletin, with_charts=False)
    word = Document()
    section = word.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    body = word.styles["Normal"]
    body.font.size = Pt(11)
    _east_asian(body, "Noto Serif CJK SC")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = word.styles[name]
        _east_asian(style, "Noto Sans CJK SC")
        style.font.color.rgb = RGBColor(0x1F, 0x2D, 0x3D) if name != "Title" else RGBColor(0x9E, 0x1B, 0x1B)

    if doc["draft"]:
        mark = word.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = mark.add_run(f"【{doc['draft_mark']}】")
        run.bold = True
        run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    issuer = word.add_paragraph(doc["issuer"])
    issuer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = word.add_heading(doc["title"], level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    issue = word.add_paragraph(f"{doc['issue_label']}　　{doc['date_label']}")
    issue.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if doc["correction_note"]:
        note = word.add_paragraph()
        note.add_run(f"更正说明（第{doc['version']}版）：").bold = True
        note.add_run(doc["correction_note"])

    word.add_heading(doc["overview_title"], level=1)
    for text in doc["overview_paragraphs"] or ["（待撰写）"]:
        word.add_paragraph(text).paragraph_format.first_line_indent = Pt(22)

    if doc["headline"]:
        word.add_heading(doc["headline_title"], level=1)
        rows = [
            [h["label"], h["value"], h["unit"], h["period"], h["target"], h["status_label"]] for h in doc["headline"]
        ]
        _word_table(word, list(doc["headline_columns"]), rows, [False, True, False, False, False, False])

    blocks_by_key = {
        s.get("key"): {b.get("key"): b for b in s.get("blocks") or []}
        for s in (bulletin.data or {}).get("sections") or []
    }
    for s in doc["sections"]:
        word.add_heading(s["title"], level=1)
        for text in s["commentary_paragraphs"]:
            p = word.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(22)
            p.add_run(text).italic = False
        for text in s["paragraphs"]:
            word.add_paragraph(text).paragraph_format.first_line_indent = Pt(22)
        for b in s["blocks"]:
            if b.get("type") == "table":
                if b.get("title"):
                    word.add_heading(b["title"], level=2)
                _word_table(
                    word,
                    [h["label"] for h in b["header"]],
                    [[c["text"] for c in row] for row in b["cells"]],
                    [h["numeric"] for h in b["header"]],
                )
                if b.get("note"):
                    word.add_paragraph(str(b["note"])).runs[0].font.size = Pt(9)
            elif b.get("type") == "chart":
                raw = blocks_by_key.get(s["key"], {}).get(b.get("key"), b)
                word.add_picture(io.BytesIO(charts.png(raw)), width=Cm(15.5))
                word.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption = word.add_paragraph(str(b.get("title", "")))
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption.runs[0].font.size = Pt(9)
    footer = section.footer.paragraphs[0]
    footer.text = f"{doc['issuer']}　{doc['title']}"
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for table in word.tables:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    out = io.BytesIO()
    word.core_properties.title = doc["title"]
    word.core_properties.author = doc["issuer"]
    word.save(out)
    return out.getvalue()


def _word_table(word, header: list[str], rows: list[list[str]], numeric: list[bool]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = word.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
        run = cell.paragraphs[0].runs[0]
        run.bold = True
        run.font.size = Pt(9.5)
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, row, strict=True)):
            cell.text = text
            cell.paragraphs[0].runs[0].font.size = Pt(9.5)
            if numeric[i]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def filename(bulletin: Bulletin, extension: str) -> str:
    """陕西省有色金属行业产能监测预警月报-2020-06-v1.pdf (草稿 for drafts)."""
    suffix = "" if bulletin.is_published else "-草稿"
    return f"陕西省有色金属行业产能监测预警月报-{bulletin.month_key}-v{bulletin.version}{suffix}.{extension}"
