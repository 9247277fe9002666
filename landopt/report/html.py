"""HTML (`--format html`): one self-contained file, tables plus inline SVG charts.

No scripts, no external style sheets, fonts or images: the page renders offline
and prints. Chinese text is rendered by the reader's own fonts (the CSS lists
CJK-capable ones). The output is byte-identical from run to run.

Every text is HTML-escaped (`html.escape`, quotes included; the SVG charts escape their
labels too), so a name from the scenario such as ``<img src=x onerror=...>`` shows as
text; control characters and bidi overrides are shown as escapes
(`landopt.report.text.visible_report`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from landopt.report.model import DISALLOWED, Report, Table, cell_text, is_number
from landopt.report.svg import render_svg
from landopt.report.text import visible_report, width

FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", '
         '"WenQuanYi Micro Hei", "Noto Sans", Arial, sans-serif')

PAGE_SIZE_MM = (210.0, 297.0)
"""A4, portrait (width, height)."""
PAGE_MARGIN_MM = (15.0, 12.0)
"""Top and bottom, left and right margins of a printed page."""
PX_PER_MM = 96 / 25.4
"""CSS pixels per millimetre (a CSS px is 1/96 inch, on paper too)."""
PORTRAIT_PX = (PAGE_SIZE_MM[0] - 2 * PAGE_MARGIN_MM[1]) * PX_PER_MM
"""Printable width of a portrait A4 page in CSS px (186 mm, 703 px)."""
LANDSCAPE_PX = (PAGE_SIZE_MM[1] - 2 * PAGE_MARGIN_MM[1]) * PX_PER_MM
"""Printable width of a landscape A4 page in CSS px (273 mm, 1032 px)."""
PT_PX = 96 / 72
"""CSS px per typographic point."""


@dataclass(frozen=True)
class Fit:
    """How a table is printed: its class (none for the plain case), font size and page width."""

    css_class: str
    font_pt: float
    page_px: float


FITS = (Fit("", 9.0, PORTRAIT_PX), Fit("small", 7.5, PORTRAIT_PX), Fit("wide", 7.5, LANDSCAPE_PX),
        Fit("wide smallest", 6.5, LANDSCAPE_PX))
"""In order of preference: 小五 (9 pt) on a portrait page, 六号 (7.5 pt) on a portrait page, 六号 on a landscape
page, 小六 (6.5 pt) on a landscape page. A table wider still prints in the last form and overflows (no scenario
here comes near: that is some 40 numeric columns)."""
FIT_SLACK = 0.92
"""A table's estimated least width must be within this share of the page width (the estimate is approximate)."""

CSS = f"""
body {{ font-family: {FONTS}; margin: 2em auto; max-width: 80em; padding: 0 1em; color: #222; }}
h1 {{ font-size: 1.5em; border-bottom: 2px solid #2F4B7C; padding-bottom: .3em; }}
h2 {{ font-size: 1.2em; margin-top: 2em; color: #2F4B7C; }}
table {{ border-collapse: collapse; margin: .8em 0; font-size: .9em; }}
caption {{ text-align: left; font-weight: bold; padding: .3em 0; }}
th, td {{ border: 1px solid #bbb; padding: .25em .6em; }}
th {{ background: #DDE5F0; }}
td.n {{ text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }}
td.x {{ text-align: center; color: #888; }}
tfoot td {{ font-weight: bold; }}
tfoot tr:first-child td {{ border-top: 2px solid #555; }}
p.note {{ font-size: .85em; color: #555; margin: .2em 0; }}
figure {{ margin: 1em 0; }}
figcaption {{ font-size: .9em; color: #333; }}
svg {{ max-width: 100%; height: auto; }}
svg text {{ font-family: {FONTS}; }}
.scroll {{ overflow-x: auto; }}
@page {{ size: A4; margin: {PAGE_MARGIN_MM[0]:g}mm {PAGE_MARGIN_MM[1]:g}mm; }}
@page landscape {{ size: A4 landscape; margin: {PAGE_MARGIN_MM[0]:g}mm {PAGE_MARGIN_MM[1]:g}mm; }}
@media print {{
  body {{ margin: 0; padding: 0; max-width: none; font-size: 10.5pt; }}
  h1 {{ font-size: 16pt; margin-top: 0; }}
  h2 {{ font-size: 13pt; margin-top: 1.2em; break-after: avoid; }}
  .scroll {{ overflow: visible; }}
  .scroll.wide {{ page: landscape; }}
  table {{ font-size: {FITS[0].font_pt:g}pt; table-layout: auto; max-width: 100%; }}
  .small table {{ font-size: {FITS[1].font_pt:g}pt; }}
  .wide table {{ font-size: {FITS[2].font_pt:g}pt; }}
  .wide.smallest table {{ font-size: {FITS[3].font_pt:g}pt; }}
  th, td {{ padding: .15em .3em; }}
  th {{ font-weight: bold; -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
  caption {{ break-after: avoid; }}
  thead {{ display: table-header-group; }}
  tfoot {{ display: table-row-group; }}
  tr, figure, p.note {{ break-inside: avoid; }}
  figure {{ margin: .6em 0; }}
}}
"""


_BREAK = re.compile(r"[\s]+|(?<=[-/])")
"""Where a line of Latin text may break: at spaces and after a hyphen or slash (each wide character is a
place of its own)."""
NARROW_EM = 0.62
"""Width of a narrow character in em (Noto Sans digits are 0.55, capitals up to 0.7; bold a little wider)."""
CELL_EM = 0.6
"""Horizontal padding of a printed cell in em (.3em on each side), plus one px of border."""


def _least_em(text: str, nowrap: bool) -> float:
    """The least width `text` can take in a cell, in em: the whole text for a number (never wrapped), else
    its widest unbreakable piece (a run of Latin letters and digits; a Chinese character breaks anywhere)."""
    pieces = [text] if nowrap else [p for w in _BREAK.split(text) for p in re.split(r"([^\x00-\u2e7f])", w) if p]
    return max([sum(1.0 if width(ch) == 2 else NARROW_EM for ch in p) for p in pieces] + [0.0])


def least_width_px(table: Table, font_pt: float) -> float:
    """An estimate of the narrowest the table can be laid out (its min-content width) at `font_pt`, in CSS px."""
    em = font_pt * PT_PX
    total = 1.0
    for i, c in enumerate(table.columns):
        cells = [_least_em(c.header, False)]
        for row in (*table.rows, *table.footer):
            v = row[i]
            cells.append(_least_em(cell_text(v, c), is_number(v, c)))
        total += (max(cells) + CELL_EM) * em + 1
    return total


def fit(table: Table) -> Fit:
    """The first print form (`FITS`) in which the table fits its page width."""
    for f in FITS:
        if least_width_px(table, f.font_pt) <= FIT_SLACK * f.page_px:
            return f
    return FITS[-1]


def _cells(row: list, table: Table) -> str:
    out = []
    for v, c in zip(row, table.columns, strict=False):
        cls = ' class="x"' if v is DISALLOWED else (' class="n"' if is_number(v, c) else "")
        out.append(f"<td{cls}>{escape(cell_text(v, c))}</td>")
    return "<tr>" + "".join(out) + "</tr>"


def table_html(table: Table) -> str:
    """One `<table>` with caption, header, body, footer, then its notes, in a box whose class says how it
    prints (`fit`): a smaller font, a landscape page."""
    head = "".join(f'<th scope="col">{escape(c.header)}</th>' for c in table.columns)
    box = " ".join(["scroll", *fit(table).css_class.split()])
    parts = [f'<div class="{box}"><table id="t-{escape(table.key)}"><caption>{escape(table.title)}</caption>',
             f"<thead><tr>{head}</tr></thead>", "<tbody>", *(_cells(r, table) for r in table.rows), "</tbody>"]
    if table.footer:
        parts += ["<tfoot>", *(_cells(r, table) for r in table.footer), "</tfoot>"]
    parts.append("</table>")
    parts += [f'<p class="note">{escape(n)}</p>' for n in table.notes]
    parts.append("</div>")
    return "\n".join(parts)


def inline_svg(svg: str) -> str:
    """An SVG file's text as an element of the page: from `<svg` on (no XML declaration or doctype)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else ""


def render_html(report: Report) -> str:
    """The whole report as one HTML document."""
    report = visible_report(report)
    lang = "zh-CN" if report.lang == "zh" else "en"
    out = ["<!DOCTYPE html>", f'<html lang="{lang}">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(report.title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
           f"<h1>{escape(report.title)}</h1>"]
    out += [f"<p>{escape(h)}</p>" for h in report.header]
    for sec in report.sections:
        out.append(f'<section id="{escape(sec.key)}">')
        out.append(f"<h2>{escape(sec.title)}</h2>")
        out += [f"<p>{escape(p)}</p>" for p in sec.paragraphs]
        out += [table_html(t) for t in sec.tables]
        for ch in sec.charts:
            if not ch.has_data:  # nothing to draw: no empty axes
                continue
            out.append(f'<figure id="c-{escape(ch.key)}">{render_svg(ch, report.lang)}<figcaption>{escape(ch.title)}'
                       "</figcaption></figure>")
        for fig in sec.figures:
            out.append(f'<figure id="f-{escape(fig.key)}" class="drawn">{inline_svg(fig.svg)}'
                       f"<figcaption>{escape(fig.title)}</figcaption></figure>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
