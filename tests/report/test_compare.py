"""`landopt compare`: plans side by side with changes against the first (hand arithmetic in the scenario)."""

from __future__ import annotations

import json

import pytest

from landopt.report import compare_report, render
from landopt.report.model import Cell
from report_helpers import EXAMPLE, MULTIYEAR, SOLVER, solved

VARIANTS = ("base", "strict_tilt", "tight_energy")


def _raw(v):
    return v.value if isinstance(v, Cell) else v


@pytest.fixture(scope="module")
def report():
    cases = [(v, solved(EXAMPLE, () if v == "base" else (v,))) for v in VARIANTS]
    return compare_report(cases, "en", detail=True)


def test_sections_in_order(report):
    assert [s.key for s in report.sections] == ["variants", "resources", "areas", "matrix", "per_mu", "rules",
                                                "shadow"]


def test_objectives_and_deltas_against_the_first(report):
    t = report.table("variants")
    assert [r[t.column("objective")] for r in t.rows] == pytest.approx([30600.0, 29100.0, 28527.272727])
    assert t.rows[0][t.column("change")] is None
    assert t.rows[1][t.column("change")] == pytest.approx(-1500.0)
    assert t.rows[2][t.column("change_pct")] == pytest.approx((28527.272727 - 30600) / 30600)


def test_resource_totals_with_absolute_and_relative_changes(report):
    t = report.table("cmp_resources")
    energy = next(r for r in t.rows if r[1] == "new energy-use quota")
    # base 18*600 + 11*257.14; strict_tilt 10800 + 11*150; tight_energy exactly its 12000 budget
    assert [_raw(energy[t.column(f"v{k}")]) for k in range(3)] == pytest.approx(
        [10800 + 11 * 1800 / 7, 12450.0, 12000.0])
    assert _raw(energy[t.column("d2")]) == pytest.approx(12000 - (10800 + 11 * 1800 / 7))
    assert energy[t.column("p1")] == pytest.approx((12450 - (10800 + 11 * 1800 / 7)) / (10800 + 11 * 1800 / 7))


def test_land_by_area_and_detail(report):
    t = report.table("cmp_areas")
    assert [t.footer[0][t.column(f"v{k}")] for k in range(3)] == pytest.approx([6000 / 7, 750.0, 7800 / 11])
    m = report.table("cmp_matrix")
    crystal = next(r for r in m.rows if r[2] == "crystal")
    assert [crystal[m.column(f"v{k}")] for k in range(3)] == pytest.approx([1800 / 7, 150.0, 1200 / 11])


def test_rules_whose_status_or_bound_changed(report):
    t = report.table("cmp_rules")
    rows = {r[t.column("limit")]: [r[t.column(f"s{k}")] for k in range(3)] for r in t.rows}
    # strict_tilt raises the tilt from 70% to 80%: the row is shown although it binds in every plan
    assert rows == {"land quota tilted to the main platform": ["binding", "binding", "binding"],
                    "new energy-use quota": ["met", "met", "binding"]}


def test_shadow_prices_that_moved(report):
    t = report.table("cmp_shadow")
    rows = {r[t.column("limit")]: [r[t.column(f"v{k}")] for k in range(3)] for r in t.rows}
    # hand arithmetic in format_example.yaml: PV demand 51 / 48.5 / 45 - 18*14/11; energy 0 / 0 / 14/11;
    # tilt per percentage point 171.43 / 131.25 / 0
    assert rows["sector demand cap optoelectronics and photovoltaics"] == pytest.approx([51.0, 48.5, 45 - 18 * 14 / 11])
    assert rows["new energy-use quota"] == pytest.approx([0.0, 0.0, 14 / 11])
    assert rows["land quota tilted to the main platform"] == pytest.approx([171.428571, 131.25, 0.0], abs=1e-4)
    assert "new construction-land quota" not in rows  # did not move


def test_compare_files_and_variants_from_the_cli(run_cli, tmp_path):
    r = run_cli("compare", str(EXAMPLE), "--variants", "base,tight_energy", "--solver", SOLVER, "--lang", "zh")
    assert r.code == 0, r.err
    assert "方案比选" in r.out and "tight_energy - base" in r.out and "约束状态或界限变化" in r.out
    # two files
    r2 = run_cli("compare", str(EXAMPLE), str(MULTIYEAR), "--solver", SOLVER)
    assert r2.code == 0, r2.err
    assert "format_example" in r2.out and "t06_multiyear" in r2.out
    # one file alone: the file and each of its variants
    r3 = run_cli("compare", str(EXAMPLE), "--solver", SOLVER, "--format", "json")
    d = json.loads(r3.out)
    assert [p["label"] for p in d["plans"]] == list(VARIANTS)
    assert d["plans"][1]["variants"] == ["strict_tilt"]
    assert d["plans"][1]["result"]["objective"] == pytest.approx(29100.0)


def test_compare_set_applies_to_every_plan(run_cli):
    r = run_cli("compare", str(EXAMPLE), "--variants", "base,strict_tilt", "--solver", SOLVER, "--format", "json",
                "--set", "sectors.pv.max_land=500")
    d = json.loads(r.out)
    # 500 亩 of PV: base 45*500 + 14*(500/0.7 - 500) = 25500; strict tilt 22500 + 14*125 = 24250
    assert [p["result"]["objective"] for p in d["plans"]] == pytest.approx([25500.0, 24250.0])


@pytest.mark.parametrize("args,message", [
    (["--variants", "base"], "two or more names"),
    (["--variants", "a,b", str(MULTIYEAR)], "exactly one"),
])
def test_compare_usage_errors(run_cli, args, message):
    r = run_cli("compare", str(EXAMPLE), *args)
    assert r.code == 2 and message in r.err


def test_compare_unknown_variant_is_bad_input(run_cli):
    r = run_cli("compare", str(EXAMPLE), "--variants", "base,nope")
    assert r.code == 2 and "nope" in r.err and "strict_tilt" in r.err


def test_compare_single_file_without_variants_is_an_error(run_cli):
    r = run_cli("compare", str(MULTIYEAR))
    assert r.code == 2 and "defines no variants" in r.err


@pytest.mark.parametrize("fmt", ["markdown", "csv", "html"])
def test_compare_takes_the_same_formats(report, fmt):
    data = render(report, fmt)
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    assert "tight_energy - base" in text and "strict_tilt" in text


def test_compare_xlsx(run_cli, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = tmp_path / "c.xlsx"
    r = run_cli("compare", str(EXAMPLE), "--solver", SOLVER, "--format", "xlsx", "--out", str(out), "--lang", "zh")
    assert r.code == 0, r.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == ["方案概况", "要素总量", "分区域新增用地"]
    values = [c.value for row in wb["方案概况"].iter_rows() for c in row]
    assert 29100 in values and 30600 in values


def test_set_with_a_missing_path_is_bad_input_on_compare(run_cli):
    r = run_cli("compare", str(EXAMPLE), "--variants", "base,strict_tilt", "--set", "sectors.pv.max_lnd=500")
    assert r.code == 2 and "max_lnd" in r.err


def test_set_works_on_check(run_cli):
    r = run_cli("check", str(EXAMPLE), "--solver", SOLVER, "--no-variants", "--set", "sectors.pv.max_land=500")
    assert r.code == 3 and "expected: 30600" in r.out and "got:      25500" in r.out
