"""Inline SVG charts for the html report, written by hand (no plotting library).

Charts are deterministic: fixed sizes, fixed palette, numbers printed with a
fixed precision, `<text>` elements for every label (so the reader's own CJK
font renders them and the text stays searchable). Three kinds:

- ``stacked``: vertical bars per category, stacked by series (land by area and sector, or by year);
- ``grouped``: bars side by side per category, with an optional target per category
  (per-mu figures of new land against the rules' targets);
- ``hbar``: one horizontal bar per category, as a percentage, with a 100% line
  (resource utilisation).

Every chart fits the A4 text width (`PAGE_W`, within the 703 px of a printed page): with many
categories the bars get narrower and the labels steeper; a label longer than `LABEL_MAX` display
columns is cut (its whole text stays in the SVG's `<title>`). A target shared by every category is
one line across the plot, labelled with its value; targets that differ are one dashed mark per
category. A grouped chart with targets whose values and targets all lie in the upper half of the axis
starts its value axis above zero (a bar's length then shows the difference from the target, not the whole
value) and says so: the axis carries a break mark and the note "纵轴自 N 起" / "axis starts at N".
Series in order (`Chart.ordered`: the years of a plan) are drawn in shades of one colour, light to dark.
"""

from __future__ import annotations

import math
from html import escape

from landopt.i18n.text import Bi
from landopt.report.common import PCT
from landopt.report.model import Chart, format_number
from landopt.report.text import clip, width

PALETTE = ("#4E79A7", "#F28E2B", "#59A14F", "#E15759", "#76B7B2", "#EDC948", "#B07AA1", "#FF9DA7", "#9C755F",
           "#BAB0AC", "#2F4B7C", "#A05195")
SHADES = ((0x9E, 0xCA, 0xE1), (0x08, 0x30, 0x6B))
"""The lightest and darkest blue of series in order (years)."""
TARGET_COLOUR = "#D62728"
FONT = 12
SMALL = 10
PLOT_H = 220
MARGIN_L = 64
MARGIN_T = 34
BAR_SLOT = 56
LEGEND_ROW = 18
PAGE_W = 680
"""The widest a chart is drawn, in px: the A4 text width (703 px) less a margin."""
LABEL_MAX = 24
"""Category labels longer than this many display columns (12 Chinese characters) are cut."""
TRUNCATE_SHARE = 0.5
"""A grouped chart whose smallest value or target is at least this share of its largest starts its axis above 0."""
AXIS_FROM = Bi("axis starts at {v}, not 0", "纵轴自 {v} 起 (未从 0 开始)")


def _text_px(text: str, size: int = FONT) -> float:
    """Approximate rendered width of `text` in pixels (a wide character is one em)."""
    return width(text) * size * 0.55


def _f(v: float) -> str:
    """A coordinate with two decimals (fixed, so output is byte-identical)."""
    r = round(v, 2)
    return f"{0.0 if r == 0 else r:.2f}".rstrip("0").rstrip(".")


def _step(raw: float) -> float:
    """The round step (1, 2, 2.5 or 5 times a power of ten) at least `raw`."""
    mag = 10 ** math.floor(math.log10(raw))
    return next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)


def nice_ticks(top: float, n: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top` (about `n` of them)."""
    if top <= 0:
        return [0.0, 1.0]
    step = _step(top / n)
    k = math.ceil(top / step - 1e-9)
    return [i * step for i in range(k + 1)]


def axis_ticks(values: list[float], truncate: bool, n: int = 5) -> list[float]:
    """Ticks of a value axis showing `values` (bars and targets): from 0, or, with `truncate` when every value
    is at least `TRUNCATE_SHARE` of the largest, from a round value below the smallest, so that the smallest
    bar keeps about a third of the height over the axis and the differences show."""
    vals = [v for v in values if v is not None and math.isfinite(v)]
    hi = max(vals + [0.0])
    lo = min(vals + [hi])
    if not truncate or lo <= 0 or lo < TRUNCATE_SHARE * hi:
        return nice_ticks(hi * 1.05 or 1.0, n)
    span = hi - lo or 0.1 * hi
    low = lo - 0.5 * span
    step = _step((hi * 1.02 - low) / n)
    base = math.floor(low / step) * step
    k = math.ceil((hi * 1.02 - base) / step - 1e-9)
    return [base + i * step for i in range(k + 1)]


def _tick_text(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 10 or v == 0 else f"{v:,.2f}".rstrip("0").rstrip(".")


def _value_text(v: float) -> str:
    """A bar's value above it: whole numbers from 100, one decimal from 10, else two."""
    return f"{v:,.0f}" if abs(v) >= 100 else (f"{v:,.1f}" if abs(v) >= 10 else f"{v:,.2f}")


def _label(x: float, y: float, text: str, anchor: str = "middle", size: int = FONT, angle: float = 0,
           colour: str = "#333", full: str | None = None) -> str:
    rot = f' transform="rotate(-{_f(angle)} {_f(x)} {_f(y)})"' if angle else ""
    tip = f"<title>{escape(full)}</title>" if full is not None and full != text else ""
    return (f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" fill="{colour}"{rot}>'
            f"{tip}{escape(text)}</text>")


def _legend(items: list[tuple[str, str, bool]], x0: float, y0: float, max_w: float) -> tuple[list[str], float]:
    """Legend swatches (a box, or a dashed line for a target) flowing left to right; returns (elements, height)."""
    out, x, y = [], x0, y0
    for name, colour, line in items:
        w = 18 + _text_px(name) + 14
        if x + w > x0 + max_w and x > x0:
            x, y = x0, y + LEGEND_ROW
        if line:
            out.append(f'<line x1="{_f(x)}" y1="{_f(y - 4)}" x2="{_f(x + 12)}" y2="{_f(y - 4)}" stroke="{colour}" '
                       'stroke-width="2" stroke-dasharray="4 2"/>')
        else:
            out.append(f'<rect x="{_f(x)}" y="{_f(y - 10)}" width="12" height="12" fill="{colour}"/>')
        out.append(_label(x + 16, y, name, anchor="start"))
        x += w
    return out, y - y0 + LEGEND_ROW


def _colours(chart: Chart) -> list[str]:
    """One colour per series: shades of blue, light to dark, for the first `chart.ordered` (years), then the
    palette (from its second colour when shades come first)."""
    k, n = len(chart.series), min(chart.ordered, len(chart.series))
    (r0, g0, b0), (r1, g1, b1) = SHADES
    out = []
    for j in range(n):
        t = j / (n - 1) if n > 1 else 1.0
        rgb = (round(a + t * (b - a)) for a, b in ((r0, r1), (g0, g1), (b0, b1)))
        out.append("#" + "".join(f"{c:02X}" for c in rgb))
    first = 1 if n else 0
    out += [PALETTE[(first + j) % len(PALETTE)] for j in range(k - n)]
    return out


def _axis(left: float, plot_w: float, ticks: list[float], unit: str, note: str) -> tuple[list[str], float]:
    """Y axis at x = `left` with a grid line per tick; returns (elements, scale: value -> pixels). An axis not
    starting at 0 is drawn with a break mark at its foot and `note` over the plot."""
    base = ticks[0]
    scale = PLOT_H / (ticks[-1] - base)
    out = []
    for t in ticks:
        y = MARGIN_T + PLOT_H - (t - base) * scale
        out.append(f'<line x1="{_f(left)}" y1="{_f(y)}" x2="{_f(left + plot_w)}" y2="{_f(y)}" stroke="#ddd"/>')
        out.append(_label(left - 6, y + 4, _tick_text(t), anchor="end"))
    out.append(_label(left - 6, MARGIN_T - 16, unit, anchor="end"))
    if base > 0:
        foot = MARGIN_T + PLOT_H
        out.append(f'<line x1="{_f(left)}" y1="{MARGIN_T}" x2="{_f(left)}" y2="{_f(foot)}" stroke="#333"/>')
        for dy in (-14, -8):  # two slanted strokes across the axis: the axis is broken below the first tick
            out.append(f'<line class="axis-break" x1="{_f(left - 6)}" y1="{_f(foot + dy + 3)}" x2="{_f(left + 6)}" '
                       f'y2="{_f(foot + dy - 3)}" stroke="#333" stroke-width="1.5"/>')
        out.append(_label(left, MARGIN_T - 16, note, anchor="start", size=SMALL, colour="#555"))
    return out, scale


def _frame(w: float, h: float, title: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{_f(w)}" height="{_f(h)}" '
            f'viewBox="0 0 {_f(w)} {_f(h)}"><title>{escape(title)}</title>' + "".join(body) + "</svg>")


def _bars_chart(chart: Chart, stacked: bool, lang: str) -> str:
    cats, series = chart.categories, chart.series
    labels = [clip(c, LABEL_MAX) for c in cats]
    n = max(1, len(cats))
    k = max(1, len(series))
    colours = _colours(chart)
    vals = [[v if v is not None and math.isfinite(v) else None for v in s.values] for s in series]
    targets = list(chart.targets or [None] * len(cats))
    shown = [t for t in targets if t is not None]
    if stacked:
        tops = [sum(max(0.0, vs[i] or 0.0) for vs in vals) for i in range(len(cats))]
        ticks = axis_ticks(tops + shown, truncate=False)
    else:
        ticks = axis_ticks([v for vs in vals for v in vs if v is not None] + shown, truncate=bool(shown))
    base = ticks[0]
    longest = max([_text_px(c) for c in labels] + [0.0])
    left = float(MARGIN_L)
    # slots: as wide as wanted, narrower to fit the page; labels steeper when slots are narrow
    want = BAR_SLOT if stacked else max(BAR_SLOT, 36 * k + 24)
    slot = max(min(want, (PAGE_W - left - 16) / n), 6.0 + (2.0 if stacked else 4.0 * k))
    angle = 35.0 if slot >= 36 else 60.0
    rad = math.radians(angle)
    left = max(MARGIN_L, longest * math.cos(rad) - slot / 2 + 8)
    if left > MARGIN_L:  # room for the first label's slant: the slots share what is left
        slot = max(min(want, (PAGE_W - left - 16) / n), 6.0 + (2.0 if stacked else 4.0 * k))
    pad = min(10.0, slot * 0.18)
    plot_w = n * slot
    label_h = longest * math.sin(rad) + 24
    note = AXIS_FROM.pick(lang, v=_tick_text(base))
    body, scale = _axis(left, plot_w, ticks, chart.unit, note)
    base_y = MARGIN_T + PLOT_H

    def y_of(v: float) -> float:
        return base_y - (v - base) * scale

    common = shown[0] if shown and len(shown) == len(cats) and all(t == shown[0] for t in shown) else None
    for i, label in enumerate(labels):
        x0 = left + i * slot
        if stacked:
            y = float(base_y)
            for j, vs in enumerate(vals):
                h = max(0.0, vs[i] or 0.0) * scale
                if h > 0:
                    body.append(f'<rect class="bar" x="{_f(x0 + pad)}" y="{_f(y - h)}" width="{_f(slot - 2 * pad)}" '
                                f'height="{_f(h)}" fill="{colours[j]}"/>')
                    y -= h
        else:
            bw = (slot - 2 * pad) / k
            for j, vs in enumerate(vals):
                v = vs[i]
                if v is None or v <= base:
                    continue
                body.append(f'<rect class="bar" x="{_f(x0 + pad + j * bw)}" y="{_f(y_of(v))}" '
                            f'width="{_f(max(1.0, bw - 2))}" '
                            f'height="{_f((v - base) * scale)}" fill="{colours[j]}"/>')
                if bw >= 24:
                    body.append(_label(x0 + pad + j * bw + (bw - 2) / 2, y_of(v) - 3, _value_text(v), size=SMALL))
            t = targets[i] if i < len(targets) else None
            if t is not None and common is None:
                body.append(f'<line class="target" x1="{_f(x0 + 2)}" y1="{_f(y_of(t))}" x2="{_f(x0 + slot - 2)}" '
                            f'y2="{_f(y_of(t))}" stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="5 3"/>')
        body.append(_label(x0 + slot / 2, base_y + 14, label, anchor="end", angle=angle, full=cats[i]))
    if common is not None:  # one target for every category: one line across the plot, with its value
        ty = y_of(common)
        body.append(f'<line class="target" x1="{_f(left)}" y1="{_f(ty)}" x2="{_f(left + plot_w)}" y2="{_f(ty)}" '
                    f'stroke="{TARGET_COLOUR}" stroke-width="2" stroke-dasharray="6 3"/>')
        body.append(_label(left + plot_w + 4, ty + 4, f"{chart.target_label} {_tick_text(common)}", anchor="start",
                           size=SMALL, colour=TARGET_COLOUR))
    body.append(f'<line x1="{_f(left)}" y1="{base_y}" x2="{_f(left + plot_w)}" y2="{base_y}" stroke="#333"/>')
    items = [(s.name, colours[j], False) for j, s in enumerate(series)]
    if shown:
        items.append((chart.target_label, TARGET_COLOUR, True))
    tail = _text_px(f"{chart.target_label} {_tick_text(common)}", SMALL) + 8 if common is not None else 0.0
    total_w = max(left + plot_w + 16 + tail, min(PAGE_W, left + 360 + 16))
    legend, lh = _legend(items, left, base_y + label_h, total_w - left - 8)
    return _frame(total_w, base_y + label_h + lh + 4, chart.title, body + legend)


def _hbar_chart(chart: Chart) -> str:
    cats = chart.categories
    labels = [clip(c, LABEL_MAX) for c in cats]
    values = chart.series[0].values if chart.series else []
    label_w = max([_text_px(c) for c in labels] + [24.0]) + 16
    plot_w = min(360.0, PAGE_W - label_w - 70)
    top = max([1.0, *(v for v in values if v is not None)])
    scale = plot_w / top
    row_h = 24
    body = []
    for i, (label, v) in enumerate(zip(labels, values, strict=False)):
        y = MARGIN_T + i * row_h
        body.append(_label(label_w - 6, y + 15, label, anchor="end", full=cats[i]))
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


def render_svg(chart: Chart, lang: str = "zh") -> str:
    """The chart as one `<svg>` element (`lang`: the language of the axis note)."""
    if chart.kind == "hbar":
        return _hbar_chart(chart)
    return _bars_chart(chart, stacked=chart.kind == "stacked", lang=lang)
