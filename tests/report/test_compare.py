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
    # strict_tilt raises the tilt from 70% to 80%; in tight_energy every equally good plan has 600 亩 of PV and
    # 109.09 亩 of crystal, and the canonical plan puts all the PV in the core (要素优先向主平台: 84.6% > 70%, met)
    # where the name hash used to move 103.6 亩 of it to Zhengjiawu, down to the tilt's 70%
    assert rows == {"land quota tilted to the main platform": ["binding", "binding", "met"],
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


def _example_in_wan_tce(tmp_path, objective=None):
    """format_example.yaml with energy written in 万tce (budgets and coefficients divided by 1e4)."""
    import yaml
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["units"]["energy"] = "万tce"
    data["resources"]["energy"].update(unit="万tce", budget=3.0)
    data["sectors"]["pv"]["per_mu"]["energy"] = 0.0018
    data["sectors"]["crystal"]["per_mu"]["energy"] = 0.0009
    data["areas"]["zhengjiawu"]["per_mu"]["crystal"]["energy"] = 0.0011
    data["variants"]["tight_energy"]["resources"]["energy"]["budget"] = 1.2
    if objective is not None:
        data["objective"] = objective
    data.pop("expect", None)
    for v in data["variants"].values():
        v.pop("expect", None)
    path = tmp_path / "wan_tce.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_compare_converts_every_plan_into_the_first_plans_units(tmp_path):
    import landopt
    wan = _example_in_wan_tce(tmp_path)
    cases = [("tce", solved(EXAMPLE)), ("wan", landopt.load(wan).solve(solver=SOLVER)),
             ("wan_tight", landopt.load(wan, ("tight_energy",)).solve(solver=SOLVER))]
    report = compare_report(cases, "en")
    t = report.table("cmp_resources")
    energy = next(r for r in t.rows if r[1] == "new energy-use quota")
    assert energy[t.column("unit")] == "tce"
    base = 10800 + 11 * 1800 / 7  # 13,628.6 tce in both plans: no change
    assert [_raw(energy[t.column(f"v{k}")]) for k in range(3)] == pytest.approx([base, base, 12000.0])
    assert _raw(energy[t.column("d1")]) == pytest.approx(0.0, abs=1e-6)
    # the energy budget: 30,000 tce in both, 12,000 tce in the tight plan (bound in tce, not 1.2)
    r = report.table("cmp_rules")
    row = next(x for x in r.rows if x[r.column("limit")] == "new energy-use quota")
    assert row[r.column("unit")] == "tce"
    assert [_raw(row[r.column(f"b{k}")]) for k in range(3)] == pytest.approx([30000.0, 30000.0, 12000.0])
    # the energy shadow price: 14/11 万元 per tce (not per 万tce)
    s = report.table("cmp_shadow")
    row = next(x for x in s.rows if x[s.column("limit")] == "new energy-use quota")
    assert _raw(row[s.column("v2")]) == pytest.approx(14 / 11)
    assert "Every quantity is shown in the first plan's units." in report.header
    assert "13,628.6 | 1.4" not in render(report, "table").replace(" ", "").replace("|", " | ")


def test_compare_different_objectives_are_not_subtracted(tmp_path):
    import landopt
    va = _example_in_wan_tce(tmp_path, {"maximize": "value_added", "name_en": "value added of new land"})
    cases = [("tax", solved(EXAMPLE)), ("va", landopt.load(va).solve(solver=SOLVER))]
    report = compare_report(cases, "en")
    t = report.table("variants")
    assert t.rows[1][t.column("change")] is None and t.rows[1][t.column("change_pct")] is None
    names = [r[t.column("objective_name")] for r in t.rows]
    assert names == ["maximise tax revenue from new land (万元)", "maximise value added of new land (万元)"]
    note = next(n for n in t.notes if "different objectives" in n)
    assert "tax: maximise tax revenue from new land" in note and "va: maximise value added of new land" in note
    s = report.table("cmp_shadow")
    assert all(r[s.column("d1")] is None or _raw(r[s.column("d1")]) is None for r in s.rows)
    zh = compare_report(cases, "zh")
    assert any("优化目标不同" in n for n in zh.table("variants").notes)


NEW_LAND = EXAMPLE.parent / "pujiang_2021_2025_new_land.yaml"


@pytest.fixture(scope="module")
def realisation_cases():
    return [(v, solved(NEW_LAND, () if v == "base" else (v,))) for v in ("base", "realisation_0_7")]


def test_compare_condenses_a_rule_with_many_changed_rows(realisation_cases):
    report = compare_report(realisation_cases, "en")
    t = report.table("cmp_rules")
    full = compare_report(realisation_cases, "en", detail=True).table("cmp_rules")
    assert len(full.rows) > 500  # the 标准地 floors per area, sector and year
    assert len(t.rows) < 20
    ids = [r[t.column("limit")] for r in t.rows]
    assert len(ids) == len(set(ids))  # one row per rule
    condensed = [r for r in t.rows if "changed (" in r[t.column("group")]]
    assert condensed
    for r in condensed:
        n = int(r[t.column("group")].split()[0])
        assert n > 12 and n == sum(x[t.column("limit")] == r[t.column("limit")] for x in full.rows)
    assert any("tightest changed instance" in n for n in t.notes)
    zh = compare_report(realisation_cases, "zh").table("cmp_rules")
    assert any("最紧" in r[zh.column("group")] for r in zh.rows)
