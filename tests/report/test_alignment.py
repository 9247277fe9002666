"""Chinese tables align: every line of a table has the same display width (wcwidth)."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

from landopt.report import compare_report, render, solve_report
from landopt.report.text import table_lines
from report_helpers import EXAMPLE, INFEASIBLE, MULTIYEAR, solved


def _reports():
    yield "example", solve_report(solved(EXAMPLE), "zh", detail=True)
    yield "multiyear", solve_report(solved(MULTIYEAR), "zh", detail=True)
    yield "infeasible", solve_report(solved(INFEASIBLE), "zh")
    cases = [(v, solved(EXAMPLE, () if v == "base" else (v,))) for v in ("base", "strict_tilt", "tight_energy")]
    yield "compare", compare_report(cases, "zh", detail=True)


@pytest.mark.parametrize("name,report", list(_reports()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_line_of_a_chinese_table_has_one_width(name, report):
    n = 0
    for sec in report.sections:
        for t in sec.tables:
            lines = table_lines(t)
            widths = {wcswidth(line) for line in lines}
            assert len(widths) == 1, (t.key, sorted(widths))
            assert any(wcswidth(ch) == 2 for line in lines for ch in line), t.key  # really Chinese
            n += 1
    assert n >= 2


def test_tables_in_the_rendered_report_align(example_result):
    """The same holds in the text as printed: each block of '+'/'|' lines has one width."""
    text = render(solve_report(example_result, "zh"), "table")
    blocks, cur = [], []
    for line in text.splitlines():
        if line.startswith(("+", "|")):
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    assert len(blocks) >= 8
    for b in blocks:
        assert len({wcswidth(line) for line in b}) == 1, b[1]
