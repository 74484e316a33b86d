"""The bulletin's renderings parse back with their sections: PDF (pypdf), Word (python-docx), the charts
as SVG with their title and as PNG."""

import datetime as dt
import io

import pytest
from django.utils import timezone

from tests.portal.bulletin_sample import SECTION_TITLES, sample
from youse.portal.bulletin import charts, render
from youse.portal.models import Bulletin

COMMENTARY = {"overview": "6月，全省有色金属行业运行总体平稳。", "utilisation": "电解铝产能利用率保持高位。"}


def bulletin(status: str = "published", **extra) -> Bulletin:
    now = timezone.now()
    return Bulletin(
        pk=None,
        month=dt.date(2020, 6, 1),
        status=status,
        data=sample(),
        commentary=COMMENTARY,
        drafted_at=now,
        published_at=now if status == "published" else None,
        **extra,
    )


def text_of_pdf(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_the_pdf_parses_back_with_the_title_every_section_and_the_commentary():
    content, seconds = render.timed_pdf(bulletin())
    assert content.startswith(b"%PDF")
    text = squeeze(text_of_pdf(content))
    assert squeeze(sample()["title"]) in text
    for title in [*SECTION_TITLES.values(), "综述", "主要指标"]:
        assert squeeze(title) in text, title
    assert squeeze(COMMENTARY["overview"]) in text
    assert "第1页" in text  # page numbers
    assert "草稿" not in text
    assert seconds < 30


def test_a_draft_pdf_is_marked_as_a_draft():
    text = squeeze(text_of_pdf(render.pdf(bulletin(status="draft"))))
    assert "草稿draft" in text


def test_the_word_document_has_the_headings_tables_and_charts():
    from docx import Document

    word = Document(io.BytesIO(render.docx(bulletin(version=2, correction_note="宝鸡市产量更正。"))))
    headings = [p.text for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == sample()["title"]
    assert [h for h in headings if h in SECTION_TITLES.values()] == list(SECTION_TITLES.values())
    assert "综述" in headings and "主要指标" in headings
    body = "\n".join(p.text for p in word.paragraphs)
    assert COMMENTARY["overview"] in body and COMMENTARY["utilisation"] in body
    assert "2020年第6期" in body and "宝鸡市产量更正。" in body
    # The headline table, the cities' table and the warnings' table, with their header rows.
    assert len(word.tables) == 3
    assert word.tables[1].rows[0].cells[1].text == "产量（万吨）"
    assert word.tables[1].rows[1].cells[0].text == "榆林市"
    assert len(word.inline_shapes) == 2  # the two charts as pictures
    assert word.core_properties.title == sample()["title"]


def test_the_html_is_a_standalone_document_with_inline_svg_charts():
    page = render.html(bulletin())
    assert page.startswith("<!doctype html>") and 'lang="zh-Hans"' in page
    assert page.count("<svg") == 2 and "<script" not in page
    assert "电解铝产能利用率" in page and COMMENTARY["overview"] in page


def chart_block() -> dict:
    return next(b for b in charts.chart_blocks(sample()) if b["key"] == "al_utilisation")


def test_a_chart_is_svg_with_its_title_as_text_and_png_bytes():
    block = chart_block()
    svg = charts.svg(block)
    assert svg.startswith("<svg") and "<title>电解铝产能利用率</title>" in svg
    assert ">电解铝产能利用率<" in svg.split("</title>", 1)[1]  # drawn as text, not paths
    assert "目标 80" in svg and 'width="100%"' in svg
    assert charts.png(block).startswith(b"\x89PNG\r\n\x1a\n")


def test_charts_on_one_page_do_not_share_ids():
    import re

    first, second = (charts.svg(b) for b in charts.chart_blocks(sample()))
    assert not set(re.findall(r'id="([^"]+)"', first)) & set(re.findall(r'id="([^"]+)"', second))


def test_a_chart_with_missing_values_and_no_series_still_draws():
    block = {"type": "chart", "key": "k", "title": "空", "kind": "line", "unit": "", "categories": ["a"], "series": []}
    assert "<title>空</title>" in charts.svg(block)
    block = {**block, "kind": "bar", "series": [{"name": "x", "values": [None]}], "target": None}
    assert charts.png(block)


def test_without_a_cjk_font_the_chart_names_the_package(monkeypatch):
    from matplotlib import font_manager

    charts.cjk_font.cache_clear()
    monkeypatch.setattr(
        font_manager.fontManager,
        "ttflist",
        [
            f
            for f in font_manager.fontManager.ttflist
            if "CJK" not in f.name and "Hei" not in f.name and "Song" not in f.name
        ],
    )
    try:
        with pytest.raises(charts.ChartFontMissing, match="fonts-noto-cjk"):
            charts.cjk_font()
    finally:
        monkeypatch.undo()
        charts.cjk_font.cache_clear()


def test_filenames_name_the_month_and_version():
    assert render.filename(bulletin(version=2), "pdf") == "陕西省有色金属行业产能监测预警月报-2020-06-v2.pdf"
    assert render.filename(bulletin(status="draft"), "docx").endswith("-v1-草稿.docx")


def test_a_published_bulletins_pdf_and_word_are_rendered_once(monkeypatch):
    published = bulletin()
    published.pk = 4242
    calls = []
    real_html, real_docx = render.html, render._docx
    monkeypatch.setattr(render, "html", lambda b, **kw: calls.append("pdf") or real_html(b, **kw))
    monkeypatch.setattr(render, "_docx", lambda b: calls.append("docx") or real_docx(b))
    assert render.pdf(published) == render.pdf(published)
    assert render.docx(published) == render.docx(published)
    draft = bulletin(status="draft")
    draft.pk = 4243
    render.docx(draft), render.docx(draft)
    assert calls == ["pdf", "docx", "docx", "docx"]


@pytest.mark.parametrize(
    "period, label",
    [("2026-09", "2026年9月"), ("2026-09-ytd", "2026年1—9月"), ("2026-01-ytd", "2026年1月"), ("2026Q2", "2026Q2")],
)
def test_periods_read_as_chinese_readers_write_them(period, label):
    from youse.portal.bulletin.render import period_label

    assert period_label(period) == label


def test_targets_carry_the_sign_not_the_code():
    from youse.portal.bulletin.render import _target

    assert _target({"target": "80", "comparator": ">="}) == "≥ 80"
    assert _target({"target": {"comparator": "lte", "value": "10"}}) == "≤ 10"
    assert _target({"target": None}) == "—"
