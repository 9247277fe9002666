"""CSV (`--format csv`): one file, UTF-8 with a BOM so that Excel opens the Chinese text.

A CSV holds one grid, so the report's tables follow one another in a single
file: the report title, then for each section a line with its title, its
paragraphs (one cell each), and for each table a title line, the header row,
the body, the footer rows (合计 / Total) and the notes, followed by an empty
line. Numbers are rounded as in the table report but without thousands
separators; percentages keep their '%' sign, which Excel reads as a number.
Lines end with CRLF (RFC 4180).

No text cell becomes a formula when a spreadsheet opens the file: a text cell (a name from
the scenario, a title, a note) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'`` (the OWASP advice against CSV injection), so
``=HYPERLINK(...)`` or a DDE call stays text. Numbers are never touched: -573 stays a
number. Control characters are shown as escapes (`landopt.report.text.visible_report`).
"""

from __future__ import annotations

import csv
import io

from landopt.report.model import Report, cell_text, is_number
from landopt.report.text import visible_report

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula (or a DDE call)."""


def inert(text: str) -> str:
    """A text cell that no spreadsheet evaluates: a leading ``'`` when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(report: Report) -> bytes:
    """The whole report as CSV bytes (UTF-8, BOM first)."""
    report = visible_report(report)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")

    def line(*cells: str) -> None:
        w.writerow([inert(c) for c in cells])

    line(report.title)
    for h in report.header:
        line(h)
    for sec in report.sections:
        w.writerow([])
        line(sec.title)
        for p in sec.paragraphs:
            line(p)
        for t in sec.tables:
            w.writerow([])
            line(t.title)
            line(*(c.header for c in t.columns))
            for row in (*t.rows, *t.footer):
                w.writerow([cell_text(v, c, thousands=False) if is_number(v, c) else inert(cell_text(v, c))
                            for v, c in zip(row, t.columns)])
            for n in t.notes:
                line(n)
    return (BOM + buf.getvalue()).encode("utf-8")
