"""Inline SVG charts for the html report, written by hand (no plotting library).

Charts are deterministic: fixed sizes, fixed palette, numbers printed with a
fixed precision, `<text>` elements for every label (so the reader's own CJK
font renders them and the text stays searchable). Three kinds:

- ``stacked``: vertical bars per category, stacked by series (land by area and sector);
- ``grouped``: bars side by side per category, with an optional target marker
  per category (per-mu before/after against the target);
- ``hbar``: one horizontal bar per category, as a percentage, with a 100% line
  (resource utilisation).
"""

from __future__ import annotations

import math
from html import escape

from landopt.report.common import PCT
from landopt.report.model import Chart, format_number
from landopt.report.text import width

PALETTE = ("#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F",
           "#BAB0AC", "#2F4B7C", "#A05195")
TARGET_COLOUR = "#D62728"
FONT = 12
PLOT_H = 220
MARGIN_L = 64
MARGIN_T = 28
BAR_SLOT = 56
LEGEND_ROW = 18
ANGLE = 35
"""Category labels are rotated by this many degrees."""


def _text_px(text: str) -> float:
    """Approximate rendered width of `text` in pixels (a wide character is one em)."""
    return width(text) * FONT * 0.55


def _f(v: float) -> str:
    """A coordinate with two decimals (fixed, so output is byte-identical)."""
    r = round(v, 2)
    return f"{0.0 if r == 0 else r:.2f}".rstrip("0").rstrip(".")


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (about `n` of them)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / n
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    k = math.ceil(top / step - 1e-9)
    return [i * step for i in range(k + 1)]


def _tick_text(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.2f}".rstrip("0").rstrip(".")


def _label(x: float, y: float, text: str, anchor: str = "middle", size: int = FONT, rotate: bool = False,
           colour: str = "#333") -> str:
    rot = f' transform="rotate(-{ANGLE} {_f(x)} {_f(y)})"' if rotate else ""
    return (f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" fill="{colour}"{rot}>'
            f"{escape(text)}</text>")


def _legend(items: list[tuple[str, str]], x0: float, y0: float, max_w: float) -> tuple[list[str], float]:
    """Legend swatches flowing left to right; returns (elements, height used)."""
    out, x, y = [], x0, y0
    for name, colour in items:
        w = 18 + _text_px(name) + 14
        if x + w > x0 + max_w and x > x0:
            x, y = x0, y + LEGEND_ROW
        out.append(f'<rect x="{_f(x)}" y="{_f(y - 10)}" width="12" height="12" fill="{colour}"/>')
        out.append(_label(x + 16, y, name, anchor="start"))
        x += w
    return out, y - y0 + LEGEND_ROW


def _axis(left: float, top: float, plot_w: float, unit: str) -> tuple[list[str], float]:
    """Y axis at x = `left` with grid lines up to `top`; returns (elements, scale: value -> pixels)."""
    ticks = nice_ticks(top)
    scale = PLOT_H / ticks[-1]
    out = []
    for t in ticks:
        y = MARGIN_T + PLOT_H - t * scale
        out.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_w)}" y2="{_f(y)}" stroke="#ddd"/>')
        out.append(_label(left - 6, y + 4, _tick_text(t), anchor="end"))
    out.append(_label(left - 6, MARGIN_T - 14, unit, anchor="end"))
    return out, scale


def _frame(w: float, h: float, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_f(w)}" height="{_f(h)}" '
            f'viewBox="0 0 {_f(w)} {_f(h)}"><title>{escape(title)}</title>' + "".join(body) + "</svg>")


def _bars_chart(chart: Chart, stacked: bool) -> str:
    cats, series = chart.categories, chart.series
    n = max(1, len(cats))
    k = max(1, len(series))
    slot = BAR_SLOT if stacked else max(BAR_SLOT, 14 * k + 20)
    plot_w = n * slot
    vals = [[v or 0.0 for v in s.values] for s in series]
    if stacked:
        top = max([sum(max(0.0, vs[i]) for vs in vals) for i in range(len(cats))] + [0.0])
    else:
        top = max([max(vs, default=0.0) for vs in vals] + [0.0])
    targets = [t for t in (chart.targets or []) if t is not None]
    top = max([top, *targets]) * 1.05 or 1.0
    rad = math.radians(ANGLE)
    longest = max([_text_px(c) for c in cats] + [0.0])
    left = max(MARGIN_L, longest * math.cos(rad) - slot / 2 + 8)
    label_h = longest * math.sin(rad) + 24
    body, scale = _axis(left, top, plot_w, chart.unit)
    base_y = MARGIN_T + PLOT_H
    for i, cat in enumerate(cats):
        x0 = left + i * slot
        if stacked:
            y = base_y
            for j, vs in enumerate(vals):
                h = max(0.0, vs[i]) * scale
                if h > 0:
                    body.append(f'<rect x="{_f(x0 + 10)}" y="{_f(y - h)}" width="{_f(slot - 20)}" height="{_f(h)}" '
                                f'fill="{PALETTE[j % len(PALETTE)]}"/>')
                    y -= h
        else:
            bw = (slot - 20) / k
            for j, vs in enumerate(vals):
                h = max(0.0, vs[i]) * scale
                body.append(f'<rect x="{_f(x0 + 10 + j * bw)}" y="{_f(base_y - h)}" width="{_f(bw - 2)}" '
                            f'height="{_f(h)}" fill="{PALETTE[j % len(PALETTE)]}"/>')
            t = (chart.targets or [None] * len(cats))[i]
            if t is not None:
                ty = base_y - t * scale
                body.append(f'<line x1="{_f(x0 + 4)}" y1="{_f(ty)}" x2="{_f(x0 + slot - 4)}" y2="{_f(ty)}" '
                            f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="5 3"/>')
        body.append(_label(x0 + slot / 2, base_y + 14, cat, anchor="end", rotate=True))
    body.append(f'<line x1="{_f(left)}" y1="{base_y}" x2="{_f(left + plot_w)}" y2="{base_y}" stroke="#333"/>')
    items = [(s.name, PALETTE[j % len(PALETTE)]) for j, s in enumerate(series)]
    if chart.targets and targets:
        items.append((chart.target_label, TARGET_COLOUR))
    total_w = left + max(plot_w, 360) + 16
    legend, lh = _legend(items, left, base_y + label_h, total_w - left - 8)
    return _frame(total_w, base_y + label_h + lh + 4, chart.title, body + legend)


def _hbar_chart(chart: Chart) -> str:
    cats = chart.categories
    values = chart.series[0].values if chart.series else []
    label_w = max([_text_px(c) for c in cats] + [24.0]) + 16
    plot_w = 360.0
    top = max([1.0, *(v for v in values if v is not None)])
    scale = plot_w / top
    row_h = 24
    body = []
    for i, (cat, v) in enumerate(zip(cats, values)):
        y = MARGIN_T + i * row_h
        body.append(_label(label_w - 6, y + 15, cat, anchor="end"))
        if v is not None:
            colour = PALETTE[0] if v <= 1.0 + 1e-9 else TARGET_COLOUR
            body.append(f'<rect x="{_f(label_w)}" y="{_f(y + 4)}" width="{_f(max(0.0, v) * scale)}" height="16" '
                        f'fill="{colour}"/>')
            body.append(_label(label_w + max(0.0, v) * scale + 4, y + 16, format_number(v, PCT), anchor="start"))
    full_x = label_w + scale
    h = MARGIN_T + len(cats) * row_h + 8
    body.append(f'<line x1="{_f(full_x)}" y1="{MARGIN_T}" x2="{_f(full_x)}" y2="{_f(h - 4)}" stroke="#333" '
                f'stroke-dasharray="4 3"/>')
    body.append(_label(full_x, MARGIN_T - 4, "100%"))
    return _frame(label_w + plot_w + 70, h, chart.title, body)


def render_svg(chart: Chart) -> str:
    """The chart as one `<svg>` element."""
    if chart.kind == "hbar":
        return _hbar_chart(chart)
    return _bars_chart(chart, stacked=chart.kind == "stacked")
