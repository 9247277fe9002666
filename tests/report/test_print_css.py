"""The html report's print form: A4 pages, and a table sent to a smaller font or a landscape page only when it
does not fit (`landopt.report.html.fit`). Chromium's own check of the printed pages is in test_chromium.py."""

from __future__ import annotations

import re

from report_helpers import EXAMPLE, solved

from landopt.report import render, solve_report
from landopt.report.html import FITS, LANDSCAPE_PX, PORTRAIT_PX, fit, least_width_px
from landopt.report.model import Column, Num, Report, Section, Table


def _table(n_columns: int, header: str = "第{i}列") -> Table:
    cols = [Column("area", "区域")] + [Column(f"c{i}", header.format(i=i), Num(2)) for i in range(n_columns)]
    return Table("t", "表", cols, [["浦江开发区核心区", *(1_234_567.89 for _ in range(n_columns))]])


def test_printable_widths_are_a4_less_the_margins():
    assert round(PORTRAIT_PX) == 703 and round(LANDSCAPE_PX) == 1032  # 186 mm and 273 mm at 96 px per inch


def test_a_table_gets_the_first_print_form_it_fits():
    assert fit(_table(3)) == FITS[0]  # 9 pt, portrait
    widths = [least_width_px(_table(n), FITS[0].font_pt) for n in (3, 6)]
    assert widths[1] > widths[0] > 0
    forms = [fit(_table(n)).css_class for n in (3, 7, 9, 13, 40)]
    assert forms == ["", "small", "wide", "wide smallest", "wide smallest"]


def test_numbers_never_wrap_but_headers_do():
    # a long Chinese header breaks between any two characters; a number is as wide as its whole text
    long_header = least_width_px(_table(1, header="配置后高新技术产业增加值占比第{i}列"), 9)
    assert long_header == least_width_px(_table(1), 9)
    small = _table(1)
    small.rows[0][1] = 1.0
    assert least_width_px(small, 9) < long_header  # "1.00" against "1,234,567.89"
    assert "td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }" in render(
        Report("r", "zh", [], [Section("s", "节", [], [small])]), "html")
    english = least_width_px(_table(1, header="Utilisation_of_the_budget_{i}"), 9)  # one unbreakable word
    assert english > long_header


def test_html_declares_a4_pages_and_repeats_table_headers():
    html = render(solve_report(solved(EXAMPLE), "zh"), "html")
    assert "@page { size: A4; margin: 15mm 12mm; }" in html
    assert "@page landscape { size: A4 landscape;" in html
    css = html[html.index("@media print"):html.index("</style>")]
    for rule in ("thead { display: table-header-group; }", "tfoot { display: table-row-group; }",
                 ".scroll { overflow: visible; }", ".scroll.wide { page: landscape; }", "break-inside: avoid"):
        assert rule in css, rule
    assert "svg { max-width: 100%; height: auto; }" in html


def test_a_wide_table_is_marked_for_a_landscape_page_with_its_notes():
    table = _table(12)
    table.notes.append("注：试验")
    html = render(Report("r", "zh", [], [Section("s", "节", [], [table])]), "html")
    m = re.search(r'<div class="scroll wide[^"]*"><table id="t-t">.*?</table>\n<p class="note">注：试验</p>\n</div>',
                  html, re.DOTALL)
    assert m, html
