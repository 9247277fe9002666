"""Excel (`--format xlsx`) through XlsxWriter: one sheet per section.

Each sheet starts with the section's title and paragraphs; its tables follow,
each with a title row, a bold header row, the body, the footer rows (合计 /
Total, bold, with a top border) and the notes. Numbers are written as numbers
with real number formats (`#,##0.0` for 亩, `0.0%` for shares, ...), so a
bureau can sum them again; the panes are frozen under the first table's
header. Sheet names are made acceptable to Excel by `safe_sheet_name`.

Text is always written with `write_string` (and the workbook is opened with
``strings_to_formulas`` off), so a name such as ``=HYPERLINK(...)`` is a string cell, never
a formula; control characters and bidi overrides are shown as escapes
(`landopt.report.text.visible_report`).

The file is byte-identical from run to run: the document properties carry a
fixed creation date (`FIXED_DATE`) and XlsxWriter writes fixed timestamps into
the zip container.
"""

from __future__ import annotations

import io
from datetime import datetime

from landopt.report.model import (
    DISALLOWED, DISALLOWED_MARK, Num, Report, Table, cell_text, is_number, rounded, split,
)
from landopt.report.text import visible_report, width

FIXED_DATE = datetime(2000, 1, 1)
MAX_SHEET_NAME = 31
_BAD_SHEET_CHARS = str.maketrans({"[": "【", "]": "】", ":": "：", "*": "＊", "?": "？", "/": "／", "\\": "＼"})
MAX_COL_WIDTH = 60


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts, unique among `taken` (compared case-insensitively).

    Replaces ``[]:*?/\\`` with their full-width forms, strips leading and trailing
    apostrophes, truncates to 31 characters and appends ' (2)', ' (3)', ... to
    a duplicate. `taken` is updated.
    """
    base = name.translate(_BAD_SHEET_CHARS).strip("'").strip() or "Sheet"
    cand = base[:MAX_SHEET_NAME]
    k = 1
    while cand.lower() in taken or cand.lower() == "history":
        k += 1
        suffix = f" ({k})"
        cand = base[: MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(cand.lower())
    return cand


def number_format(num: Num) -> str:
    """The Excel number format of a `Num`: '#,##0.0', '0.0%', '#,##0.00##' (significant)."""
    if num.percent:
        return "0." + "0" * num.decimals + "%" if num.decimals else "0%"
    base = "#,##0" + ("." + "0" * num.decimals if num.decimals else "")
    return base + "##" if num.significant else base


def excel_value(v: float, num: Num) -> float:
    """The number written to a cell: the full value (Excel sums and divides it exactly, and its number
    format rounds it for display), but 0 where the report shows 0: solver noise such as -1.1e-16 would
    show as -0.0% or -0.0. Never -0."""
    return 0.0 if rounded(v, num) == 0 else v


class _Formats:
    """Cached XlsxWriter formats (one object per distinct look)."""

    def __init__(self, wb) -> None:
        self.wb = wb
        self.cache: dict[tuple, object] = {}

    def get(self, num: str | None = None, bold: bool = False, top: bool = False, header: bool = False,
            italic: bool = False, center: bool = False, size: int | None = None):
        key = (num, bold, top, header, italic, center, size)
        if key not in self.cache:
            spec: dict[str, object] = {"font_name": "Microsoft YaHei", "valign": "top"}
            if num:
                spec["num_format"] = num
            if bold or header:
                spec["bold"] = True
            if header:
                spec.update({"bg_color": "#DDE5F0", "text_wrap": True, "bottom": 1})
            if top:
                spec["top"] = 1
            if italic:
                spec.update({"italic": True, "font_color": "#555555"})
            if center:
                spec["align"] = "center"
            if size:
                spec["font_size"] = size
            self.cache[key] = self.wb.add_format(spec)
        return self.cache[key]


def _write_table(ws, fm: _Formats, t: Table, row: int, widths: dict[int, int]) -> tuple[int, int]:
    """Write one table at `row`; returns (next free row, header row)."""
    ws.write_string(row, 0, t.title, fm.get(bold=True))
    row += 1
    header_row = row
    for j, c in enumerate(t.columns):
        ws.write_string(row, j, c.header, fm.get(header=True))
        widths[j] = max(widths.get(j, 0), min(MAX_COL_WIDTH, width(c.header) + 2))
    row += 1
    for i, r in enumerate([*t.rows, *t.footer]):
        foot = i >= len(t.rows)
        top = foot and i == len(t.rows)
        for j, (v, c) in enumerate(zip(r, t.columns)):
            raw, num = split(v, c)
            if v is DISALLOWED:
                ws.write_string(row, j, DISALLOWED_MARK, fm.get(bold=foot, top=top, center=True))
            elif is_number(v, c):
                ws.write_number(row, j, excel_value(float(raw), num), fm.get(number_format(num), bold=foot, top=top))
            elif isinstance(raw, int) and not isinstance(raw, bool):  # a year or an id number: a number in Excel
                ws.write_number(row, j, raw, fm.get("0", bold=foot, top=top))
            elif raw is None or raw == "":
                ws.write_blank(row, j, None, fm.get(bold=foot, top=top))
            else:
                ws.write_string(row, j, str(raw), fm.get(bold=foot, top=top))
            widths[j] = max(widths.get(j, 0), min(MAX_COL_WIDTH, width(cell_text(v, c)) + 2))
        row += 1
    for n in t.notes:
        ws.write_string(row, 0, n, fm.get(italic=True))
        row += 1
    return row + 1, header_row


def _print_setup(ws, title: str) -> None:
    """A4 landscape, one page wide, centred, the report's title in the page header and 'page n / N' in the
    footer (a bureau prints these sheets)."""
    ws.set_paper(9)  # A4
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.set_header("&C" + title.replace("&", "&&")[:200])
    ws.set_footer("&C&P / &N")


def render_xlsx(report: Report) -> bytes:
    """The whole report as an .xlsx workbook (bytes)."""
    import xlsxwriter  # lazy: xlsxwriter only for xlsx output

    report = visible_report(report)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": report.title, "author": "landopt", "created": FIXED_DATE})
    fm = _Formats(wb)
    taken: set[str] = set()
    for k, sec in enumerate(report.sections):
        ws = wb.add_worksheet(safe_sheet_name(sec.title, taken))
        row = 0
        if k == 0:
            ws.write_string(row, 0, report.title, fm.get(bold=True, size=14))
            row += 1
            for h in report.header:
                ws.write_string(row, 0, h)
                row += 1
        ws.write_string(row, 0, sec.title, fm.get(bold=True, size=12))
        row += 1
        for p in sec.paragraphs:
            ws.write_string(row, 0, p)
            row += 1
        row += 1
        widths: dict[int, int] = {}
        first_header = None
        for t in sec.tables:
            row, header_row = _write_table(ws, fm, t, row, widths)
            first_header = header_row if first_header is None else first_header
        if first_header is not None:
            ws.freeze_panes(first_header + 1, 0)
            ws.repeat_rows(first_header)  # printed: the first table's header on every page
        _print_setup(ws, report.title)
        for j, w in sorted(widths.items()):
            ws.set_column(j, j, max(w, 6))
    wb.close()
    return buf.getvalue()
