"""The bulletin's charts: each chart block of the document drawn by matplotlib, as SVG (the web page and
the PDF, inline) and PNG (the Word document).

A restrained government style: one blue palette, light grid, the unit on the value axis, a target as a
dashed red line. Text is Chinese, so a CJK font is required (Noto Sans CJK SC, from Debian's
fonts-noto-cjk); without one the drawing stops with a message naming the package. matplotlib is imported
only when a chart is drawn, and through its object API (no pyplot state), so it is safe in a web worker.
Rendered SVG is cached by the chart's content: a published bulletin's charts are drawn once."""

import hashlib
import html
import io
import json
import math
import re
from functools import lru_cache

from django.core.cache import cache

PALETTE = ("#1f4e79", "#2e75b6", "#6fa8dc", "#9dc3e6", "#0b2f4f", "#5b7fa3")
TARGET_COLOUR = "#c00000"
PREFERRED_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK", "Source Han Sans SC", "WenQuanYi Zen Hei", "Noto Serif CJK SC")
CACHE_SECONDS = 7 * 24 * 3600
FIGSIZE = (7.2, 3.6)


class ChartFontMissing(RuntimeError):
    """No CJK font is installed: Chinese labels would come out as boxes."""


@lru_cache(maxsize=1)
def cjk_font() -> str:
    """The family name of an installed CJK font, preferring Noto Sans CJK SC."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for preferred in PREFERRED_FONTS:
        for name in sorted(names):
            if name.startswith(preferred):
                return name
    for name in sorted(names):
        if "CJK" in name or "Hei" in name or "Song" in name:
            return name
    raise ChartFontMissing(
        "No CJK font found for the bulletin's charts: install Debian's fonts-noto-cjk "
        "(apt-get install fonts-noto-cjk), then remove matplotlib's font cache (~/.cache/matplotlib)."
    )


def _number(value) -> float:
    if value is None or value == "":
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def digest(block: dict) -> str:
    return hashlib.sha256(json.dumps(block, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]


def _figure(block: dict):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    font = cjk_font()
    fig = Figure(figsize=FIGSIZE, dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    categories = [str(c) for c in block.get("categories") or []]
    series = block.get("series") or []
    x = list(range(len(categories)))
    kind = block.get("kind") or "line"
    if kind == "bar":
        n = max(len(series), 1)
        width = 0.8 / n
        for i, s in enumerate(series):
            offset = (i - (n - 1) / 2) * width
            ax.bar(
                [v + offset for v in x],
                [_number(v) for v in s.get("values") or []][: len(x)],
                width=width * 0.92,
                label=str(s.get("name", "")),
                color=PALETTE[i % len(PALETTE)],
                zorder=2,
            )
    else:
        for i, s in enumerate(series):
            ax.plot(
                x,
                [_number(v) for v in s.get("values") or []][: len(x)],
                label=str(s.get("name", "")),
                color=PALETTE[i % len(PALETTE)],
                linewidth=2,
                marker="o",
                markersize=3.5,
                zorder=3,
            )
    target = _number(block.get("target"))
    if not math.isnan(target):
        ax.axhline(target, color=TARGET_COLOUR, linestyle=(0, (5, 3)), linewidth=1.3, zorder=4)
        ax.annotate(
            f"目标 {block.get('target')}",
            xy=(1, target),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color=TARGET_COLOUR,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 1, "alpha": 0.85},
        )
    ax.set_xticks(x, categories, fontsize=8)
    if len(categories) > 8:
        for label in ax.get_xticklabels():
            label.set_rotation(45)
            label.set_ha("right")
    ax.tick_params(axis="y", labelsize=8)
    if block.get("unit"):
        ax.set_ylabel(str(block["unit"]), fontsize=9)
    ax.set_title(str(block.get("title", "")), fontsize=11, fontweight="bold", color="#1a1a1a", loc="left")
    ax.grid(axis="y", color="#d9d9d9", linewidth=0.6, zorder=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#7f7f7f")
    if len(series) > 1 or (series and series[0].get("name")):
        ax.legend(fontsize=8, frameon=False, loc="best")
    for text in fig.findobj(match=lambda a: hasattr(a, "set_fontfamily")):
        text.set_fontfamily([font, "DejaVu Sans"])
    return fig


def _rc(block: dict) -> dict:
    return {"svg.fonttype": "none", "svg.hashsalt": digest(block), "axes.unicode_minus": False}


def svg(block: dict) -> str:
    """The chart as an inline <svg> element (text kept as text: searchable, and the title is in it),
    scaled to its container."""
    key = f"youse:bulletin-chart:svg:{digest(block)}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    from matplotlib import rc_context

    with rc_context(_rc(block)):
        fig = _figure(block)
        out = io.StringIO()
        fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r'<svg\1 width="100%"', text, count=1)
    # Several charts share a page: every id gets the chart's own prefix.
    prefix = f"c{digest(block)[:8]}-"
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}{m[1]}"', text)
    text = re.sub(r'(url\(#|href="#)([^")]+)', lambda m: f"{m[1]}{prefix}{m[2]}", text)
    # Escaped for an attribute value as well as for text: a quote must not end aria-label.
    title = html.escape(str(block.get("title", "")), quote=True)
    text = text.replace(">", f' role="img" aria-label="{title}"><title>{title}</title>', 1)
    cache.set(key, text, CACHE_SECONDS)
    return text


def png(block: dict, dpi: int = 150) -> bytes:
    """The chart as PNG bytes (for the Word document)."""
    from matplotlib import rc_context

    with rc_context(_rc(block)):
        fig = _figure(block)
        out = io.BytesIO()
        fig.savefig(out, format="png", dpi=dpi, metadata={"Software": None})
    return out.getvalue()


def chart_blocks(data: dict) -> list[dict]:
    return [b for s in data.get("sections") or [] for b in s.get("blocks") or [] if b.get("type") == "chart"]
