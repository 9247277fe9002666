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

from html import escape

from landopt.report.model import DISALLOWED, Report, Table, cell_text, is_number
from landopt.report.svg import render_svg
from landopt.report.text import visible_report

FONTS = ('"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "Hiragino Sans GB", '
         '"WenQuanYi Micro Hei", "Noto Sans", Arial, sans-serif')

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
svg text {{ font-family: {FONTS}; }}
.scroll {{ overflow-x: auto; }}
"""


def _cells(row: list, table: Table) -> str:
    out = []
    for v, c in zip(row, table.columns):
        cls = ' class="x"' if v is DISALLOWED else (' class="n"' if is_number(v, c) else "")
        out.append(f"<td{cls}>{escape(cell_text(v, c))}</td>")
    return "<tr>" + "".join(out) + "</tr>"


def table_html(table: Table) -> str:
    """One `<table>` with caption, header, body, footer, then its notes."""
    head = "".join(f'<th scope="col">{escape(c.header)}</th>' for c in table.columns)
    parts = [f'<div class="scroll"><table id="t-{escape(table.key)}"><caption>{escape(table.title)}</caption>',
             f"<thead><tr>{head}</tr></thead>", "<tbody>", *(_cells(r, table) for r in table.rows), "</tbody>"]
    if table.footer:
        parts += ["<tfoot>", *(_cells(r, table) for r in table.footer), "</tfoot>"]
    parts.append("</table></div>")
    parts += [f'<p class="note">{escape(n)}</p>' for n in table.notes]
    return "\n".join(parts)


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
            out.append(f'<figure id="c-{escape(ch.key)}">{render_svg(ch)}<figcaption>{escape(ch.title)}'
                       "</figcaption></figure>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
