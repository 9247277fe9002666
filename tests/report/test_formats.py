"""Every format: csv with a BOM, xlsx read back, markdown, self-contained html, json unchanged, determinism."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import sys

import pytest

from landopt.report import FORMATS, render, solve_report
from landopt.report.model import Cell, Num
from landopt.report.svg import nice_ticks
from landopt.report.xlsx import number_format, safe_sheet_name
from report_helpers import EXAMPLE, INFEASIBLE, MULTIYEAR, SOLVER, solved
from support import REPO


def _raw(v):
    return v.value if isinstance(v, Cell) else v


# ------------------------------------------------------------------------ csv
def test_csv_is_utf8_with_bom_and_holds_every_table(example_result):
    data = render(solve_report(example_result, "zh"), "csv")
    assert isinstance(data, bytes) and data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    titles = {r[0] for r in rows if len(r) == 1}
    for title in ("摘要", "分区域要素配置表", "分区分行业新增用地 (亩)", "政策约束", "各项限额的边际效益"):
        assert title in titles
    header = next(r for r in rows if r[:2] == ["序号", "区域"] and "新增用地 (亩)" in r)
    i = header.index("新增用地 (亩)")
    total = next(r for r in rows[rows.index(header):] if r[1] == "合计")
    assert total[i] == "857.1"  # no thousands separator in CSV
    assert "\r\n" in text


# ----------------------------------------------------------------------- xlsx
def test_xlsx_reads_back_with_the_report_numbers(example_result, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    rep = solve_report(example_result, "zh")
    path = tmp_path / "r.xlsx"
    path.write_bytes(render(rep, "xlsx"))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [s.title for s in rep.sections]
    ws = wb["分区域要素配置"]
    assert ws.freeze_panes is not None
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    header = cells["新增用地 (亩)"]
    total_label = cells["合计"]
    total = ws.cell(row=total_label.row, column=header.column)
    alloc = rep.table("allocation")
    assert total.value == pytest.approx(alloc.footer[0][alloc.column("land")], rel=1e-12)
    assert total.number_format == "#,##0.0"
    share = ws.cell(row=total_label.row + 2, column=header.column)  # the utilisation row
    assert share.number_format == "0.0%"
    assert share.value == pytest.approx(_raw(alloc.footer[2][alloc.column("land")]), rel=1e-12)
    # every number of every table is in the workbook as a number
    for sec in rep.sections:
        ws = wb[sec.title]
        found = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, (int, float))]
        for t in sec.tables:
            for r in (*t.rows, *t.footer):
                for v in r:
                    v = _raw(v)
                    if isinstance(v, float):
                        assert any(abs(v - f) <= 1e-9 * max(1, abs(v)) for f in found), (sec.key, t.key, v)
    # disallowed cells are marked, not 0
    ws = wb["分区分行业用地"]
    assert "×" in [c.value for row in ws.iter_rows() for c in row]


def test_sheet_names_are_sanitised_and_unique():
    taken: set[str] = set()
    names = [safe_sheet_name(n, taken) for n in ("面积/亩", "方案[1]", "结果:A", "a*b?c\\d", "'引号'",
                                                  "很" * 40, "很" * 40, "History", "摘要", "摘要")]
    for n in names:
        assert len(n) <= 31 and not set(n) & set("[]:*?/\\") and not n.startswith("'")
    assert len({n.lower() for n in names}) == len(names)
    assert names[0] == "面积／亩" and names[-1] == "摘要 (2)"


def test_number_formats():
    assert number_format(Num(1)) == "#,##0.0" and number_format(Num(0)) == "#,##0"
    assert number_format(Num(1, percent=True)) == "0.0%"
    assert number_format(Num(2, significant=True)) == "#,##0.00##"


# ------------------------------------------------------------------- markdown
def test_markdown_has_headings_and_pipe_tables(example_result):
    md = render(solve_report(example_result, "zh"), "markdown")
    assert md.startswith("# 格式示例 (示例数据, 非浦江县实际数据) 要素配置报告\n")
    assert "\n## 摘要\n" in md and "\n### 分区域要素配置表\n" in md
    assert "| 序号 | 区域 | 定位 | 新增用地 (亩) |" in md
    assert "| **合计** |" in md or "| | **合计** |" in md


# ----------------------------------------------------------------------- html
@pytest.mark.parametrize("path", [EXAMPLE, MULTIYEAR, INFEASIBLE], ids=["example", "multiyear", "infeasible"])
def test_html_is_self_contained_with_inline_svg(path):
    html = render(solve_report(solved(path), "zh"), "html")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert not re.search(r"(src|href)\s*=|https?://(?!www\.w3\.org/2000/svg)|<script|@import|url\(", html)
    assert html.count("<table") >= 3
    if path is not INFEASIBLE:
        assert html.count("<svg") >= 3  # land stacked by sector, utilisation, per-mu charts
        assert "<text" in html and "Noto Sans CJK SC" in html


def test_nice_ticks():
    assert nice_ticks(857.1) == [0, 200, 400, 600, 800, 1000]
    assert nice_ticks(0.0) == [0.0, 1.0]
    assert nice_ticks(1.05)[-1] >= 1.05


# ----------------------------------------------------------------------- json
def test_json_format_is_the_engine_json(run_cli, example_result):
    out = run_cli("solve", str(EXAMPLE), "--solver", SOLVER, "--format", "json").out
    assert out == example_result.to_json() + "\n"


# ---------------------------------------------------------------- determinism
def _bytes_in_fresh_process(fmt: str, path, tmp_path, tag: str, *extra: str) -> bytes:
    out = tmp_path / f"{tag}.{fmt}"
    cmd = [sys.executable, "-m", "landopt", "solve", str(path), "--solver", SOLVER, "--format", fmt,
           "--lang", "zh", "--out", str(out), *extra]
    p = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    return out.read_bytes()


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_byte_identical_across_runs(fmt, tmp_path):
    a = _bytes_in_fresh_process(fmt, MULTIYEAR, tmp_path, "a", "--detail")
    b = _bytes_in_fresh_process(fmt, MULTIYEAR, tmp_path, "b", "--detail")
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    assert len(a) > 500


def test_out_writes_atomically_with_normal_permissions(run_cli, tmp_path):
    import os
    import stat

    out = tmp_path / "sub" / "r.html"
    r = run_cli("solve", str(EXAMPLE), "--solver", SOLVER, "--format", "html", "--out", str(out))
    assert r.code == 0 and r.out == ""
    mode = stat.S_IMODE(out.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
    assert [p.name for p in out.parent.iterdir()] == ["r.html"]


def test_xlsx_needs_out(run_cli):
    r = run_cli("solve", str(EXAMPLE), "--format", "xlsx")
    assert r.code == 2 and "give --out" in r.err


def test_csv_on_stdout_keeps_the_bom(tmp_path):
    p = subprocess.run([sys.executable, "-m", "landopt", "solve", str(EXAMPLE), "--solver", SOLVER, "--format",
                        "csv"], cwd=REPO, capture_output=True, timeout=300)
    assert p.returncode == 0 and p.stdout.startswith(b"\xef\xbb\xbf")
    out = tmp_path / "r.csv"
    _ = subprocess.run([sys.executable, "-m", "landopt", "solve", str(EXAMPLE), "--solver", SOLVER, "--format",
                        "csv", "--out", str(out)], cwd=REPO, capture_output=True, timeout=300)
    assert out.read_bytes() == p.stdout


def test_infeasible_report_still_exits_1(run_cli):
    r = run_cli("solve", str(INFEASIBLE), "--solver", SOLVER, "--format", "html")
    assert r.code == 1 and "<table" in r.out
    assert json.loads(run_cli("solve", str(INFEASIBLE), "--format", "json").out)["status"] == "infeasible"
