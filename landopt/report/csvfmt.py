"""CSV (`--format csv`): one file, UTF-8 with a BOM so that Excel opens the Chinese text.

A CSV holds one grid, so the report's tables follow one another in a single
file: the report title, then for each section a line with its title, its
paragraphs (one cell each), and for each table a title line, the header row,
the body, the footer rows (合计 / Total) and the notes, followed by an empty
line. Numbers are rounded as in the table report but without thousands
separators; percentages keep their '%' sign, which Excel reads as a number.
Lines end with CRLF (RFC 4180).
"""

from __future__ import annotations

import csv
import io

from landopt.report.model import Report, cell_text

BOM = "\ufeff"


def render_csv(report: Report) -> bytes:
    """The whole report as CSV bytes (UTF-8, BOM first)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([report.title])
    for h in report.header:
        w.writerow([h])
    for sec in report.sections:
        w.writerow([])
        w.writerow([sec.title])
        for p in sec.paragraphs:
            w.writerow([p])
        for t in sec.tables:
            w.writerow([])
            w.writerow([t.title])
            w.writerow([c.header for c in t.columns])
            for row in (*t.rows, *t.footer):
                w.writerow([cell_text(v, c, thousands=False) for v, c in zip(row, t.columns)])
            for n in t.notes:
                w.writerow([n])
    return (BOM + buf.getvalue()).encode("utf-8")
