"""Reports of the seed scenarios (Jiaxing, Pujiang) read as a resource bureau reads them.

Per-mu targets over a selection of areas, intensities in their written units, shares in %, the
scenario's own high-tech measure, the objective's name, violations in the rule's units, the
tightest instance chosen the same way on every backend, planned areas, and each plan's bound in
a comparison. Hand figures come from the scenarios' comments and `expect` blocks.
"""

from __future__ import annotations

import copy
import csv
import io
import re

import pytest

import landopt
from landopt.report import compare_report, render, solve_report
from landopt.report.model import Cell
from report_helpers import SOLVER, solved, teaching_base
from support import EXACT_BACKENDS, SCENARIOS

JIAXING = SCENARIOS / "jiaxing_major_platform.yaml"
PUJIANG = SCENARIOS / "pujiang_2021_2025.yaml"
PUJIANG_NEW = SCENARIOS / "pujiang_2021_2025_new_land.yaml"


def _raw(v):
    return v.value if isinstance(v, Cell) else v


def _rule_row(table, rule_id, year=None):
    rows = [r for r in table.rows if r[table.column("id")] == rule_id
            and (year is None or r[table.column("year")] == year)]
    assert rows, rule_id
    return rows[-1]


# ------------------------------------------------------ 1. per-mu targets of a selection
def test_per_mu_table_shows_the_blend_a_rule_measures_over_a_selection():
    """Jiaxing JX-6: 500 万元/亩 output and 30 万元/亩 tax over main platform + sub-areas, stock included."""
    rep = solve_report(solved(JIAXING), "zh")
    out = rep.table("per_mu_output")
    zone, jx6 = out.footer
    assert zone[out.column("area")] == "全区"
    assert jx6[out.column("area")] == "重大平台规上工业亩均产出500万元以上 (jx6-output-per-mu)"
    # stock of main + park_a + park_b: (576 + 90 + 87.5) 亿元 over 17,500 亩
    assert jx6[out.column("before")] == pytest.approx(7_535_000 / 17_500)
    assert jx6[out.column("after")] == pytest.approx(500.0, rel=1e-6)  # binding (expect block)
    assert jx6[out.column("target")] == 500.0
    assert jx6[out.column("basis")] == "含存量" and jx6[out.column("status")] == "紧约束"
    tax = rep.table("per_mu_tax").footer[1]
    assert tax[1] == "重大平台亩均税收30万元以上 (jx6-tax-per-mu)"
    assert tax[4] == pytest.approx(30.143354, rel=1e-5) and tax[5] == 30.0 and tax[7] == "满足"
    # the area rows are unchanged: no area has a per-area per-mu rule here
    assert all(r[out.column("target")] is None for r in out.rows)
    assert "jx6-output-per-mu" in render(rep, "table")


def test_per_mu_table_of_pujiang_shows_the_pj6_path_target_of_the_final_year():
    res = solved(PUJIANG)
    rep = solve_report(res, "en")
    va = rep.table("per_mu_value_added")
    row = next(r for r in va.footer if "pj6-va-per-mu" in r[va.column("area")])
    pj6 = next(x for x in res.rows if x.id == "pj6-va-per-mu" and x.year == 2025)
    assert row[va.column("target")] == pytest.approx(pj6.bound) == pytest.approx(120.54)  # 59.927 x 1.15^5, up
    assert row[va.column("after")] == pytest.approx(pj6.value, rel=1e-9)  # the blend the rule measures
    spec = res.spec
    platform = [a for a in spec.areas.values() if a.role in ("main", "sub", "linked")]
    before = sum(a.existing["value_added"] for a in platform) / sum(a.existing["land"] for a in platform)
    assert row[va.column("before")] == pytest.approx(before)  # 59.93 万元/亩, the 2020 blend
    assert row[va.column("status")] == "relaxed"


# ------------------------------------------------ 2. intensities in their written unit
def test_energy_intensity_rules_show_in_their_written_unit():
    """0.6 tce/万元 written in a scenario counting energy in 万tce: 0.60, not 0.000060 万tce/万元."""
    res = solved(JIAXING)
    rules = solve_report(res, "en").table("rules")
    row = _rule_row(rules, "jx11-no-high-energy")
    assert row[rules.column("unit")] == "tce/万元"
    assert _raw(row[rules.column("required")]) == pytest.approx(0.6)
    assert _raw(row[rules.column("achieved")]) == pytest.approx(135 / 450)  # chips, the tightest
    text = render(solve_report(res, "zh"), "table")
    assert "万tce/万元" not in text and "0.000060" not in text


def test_energy_per_value_added_column_is_in_tce_per_wan_yuan(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    res = solved(JIAXING)
    rep = solve_report(res, "zh")
    st = rep.table("structure")
    header = st.columns[st.column("energy_va")].header
    assert header == "新增单位工业增加值能耗 (tce/万元)"
    spec = res.spec
    alloc = res.allocation_records()
    energy = sum(a["land"] * spec.coef(a["area"], a["sector"], "energy") for a in alloc) * 1e4  # 万tce -> tce
    va = sum(a["land"] * spec.coef(a["area"], a["sector"], "value_added") for a in alloc)
    assert _raw(st.footer[0][st.column("energy_va")]) == pytest.approx(energy / va)  # 0.202, not 0.000
    # xlsx: the same numbers, in the same unit
    path = tmp_path / "jx.xlsx"
    path.write_bytes(render(rep, "xlsx"))
    ws = openpyxl.load_workbook(path)["政策约束核查"]
    cells = {c.value: c for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    rule = cells["jx11-no-high-energy"]
    head = {c.value: c.column for c in ws[cells["编号"].row] if c.value}
    assert ws.cell(row=rule.row, column=head["要求值"]).value == pytest.approx(0.6)
    assert ws.cell(row=rule.row, column=head["单位"]).value == "tce/万元"


# --------------------------------------------------------------- 3. high-tech share
def test_high_tech_share_uses_the_scenarios_metric_as_pj4_does():
    res = solved(PUJIANG_NEW)
    rep = solve_report(res, "zh")
    st = rep.table("structure")
    pj4 = next(x for x in res.rows if x.id == "pj4-hitech-45" and x.year == 2025)
    # new land 2025 (the file's hand check): high-tech VA 646,200 of 814,800 万元
    assert _raw(st.footer[0][st.column("ht_new")]) == pytest.approx(646200 / 814800, rel=1e-6)
    # since issue 12 every area gives its stock hitech_va (E), so the share after allocation is known: the
    # county's, outside included (3,500 亩 at 5%: 4,025 of 80,500 万元), beside PJ-4's platform-only 51.4%
    after = (319975 + 4025 + 646200) / (1066700 + 80500 + 814800)
    assert _raw(st.footer[0][st.column("ht_after")]) == pytest.approx(after, rel=1e-6)  # 49.4%
    assert pj4.value == pytest.approx((319975 + 646200) / (1066700 + 814800), rel=1e-6)  # 51.4%
    assert all(r[st.column("ht_after")] is not None for r in st.rows)


def test_high_tech_share_after_uses_a_stock_split_when_there_is_one():
    d = copy.deepcopy(teaching_base())
    d["areas"]["east"]["sectors"] = ["textile"]
    d["areas"]["east"]["existing"] = {"land": 0}  # a new area: no stock (not "not given")
    d["areas"]["core"]["existing"] = {"land": 1000, "value_added": 50000,
                                      "by_sector": {"chip": {"land": 200, "value_added": 20000},
                                                    "textile": {"land": 800, "value_added": 30000}}}
    rep = solve_report(landopt.from_dict(d).solve(solver=SOLVER), "en")
    st = rep.table("structure")
    # 50 亩 of chips in the core (energy 1000 / 20): (20000 + 50 x 200) / (50000 + 50 x 200)
    assert st.rows[0][st.column("ht_after")] == pytest.approx(0.5)
    assert st.rows[1][st.column("ht_after")] is None  # the east gets nothing and has no stock
    assert st.footer[0][st.column("ht_after")] == pytest.approx(0.5)


def test_stock_without_a_high_tech_split_is_not_zero_percent(example_result):
    st = solve_report(example_result, "en").table("structure")
    assert st.rows[0][st.column("ht_new")] == 1.0  # PV is tagged high_tech
    assert st.rows[0][st.column("ht_after")] is None  # 17,000 亩 of stock, no split by sector


# ----------------------------------------------------------------- 4. objective name
def test_objective_name_from_the_scenario_in_summary_and_sentences():
    for path, name in ((JIAXING, "新增用地税收"), (PUJIANG_NEW, "新增用地工业增加值 (2021-2025逐年累计)")):
        rep = solve_report(solved(path), "zh")
        ov = rep.table("overview")
        items = [r[ov.column("item")] for r in ov.rows]  # Jiaxing's JX-6 is soft: "net of penalties"
        assert f"目标：最大化{name}" in items or f"目标：最大化{name} (扣除软约束罚项后)" in items
        sentences = [p for p in rep.section("shadow").paragraphs if "→" in p]
        assert sentences and all(f"{name} +" in p or f"{name} -" in p or "不可行" in p for p in sentences)
        shadow = rep.table("shadow")
        sep = " " if name.endswith(")") else ""  # '… (2021-2025逐年累计) 变化', not '…累计)变化'
        assert shadow.columns[shadow.column("price")].header == f"{name}{sep}变化 (万元)"


def test_unnamed_objective_keeps_the_metric_name(example_result):
    ov = solve_report(example_result, "zh").table("overview")
    assert "目标：最大化税收" in [r[ov.column("item")] for r in ov.rows]  # the example names its objective in English only


# ------------------------------------------------------- 5. violation in the rule's units
def test_relaxed_ratio_rule_violation_is_in_the_rules_own_units(infeasible_result):
    """t10: per-mu tax of the east (stock included) relaxed from 32 to 30 万元/亩: 2 万元/亩 short."""
    rules = solve_report(infeasible_result, "zh").table("rules")
    (row,) = rules.rows
    assert row[rules.column("unit")] == "万元/亩"
    assert _raw(row[rules.column("violation")]) == pytest.approx(2.0, rel=1e-4)
    assert _raw(row[rules.column("violation")]) == pytest.approx(
        _raw(row[rules.column("required")]) - _raw(row[rules.column("achieved")]))
    assert _raw(row[rules.column("slack")]) == pytest.approx(-2.0, rel=1e-4)


def test_pujiang_relaxed_rows_agree_with_their_slack():
    rules = solve_report(solved(PUJIANG), "zh", detail=True).table("rules")
    relaxed = [r for r in rules.rows if r[rules.column("status")] == "已放宽"
               and r[rules.column("unit")] == "万元/亩"]
    assert relaxed
    for r in relaxed:
        assert _raw(r[rules.column("violation")]) == pytest.approx(-_raw(r[rules.column("slack")]), abs=1e-9)
        assert _raw(r[rules.column("violation")]) < _raw(r[rules.column("required")])


# ------------------------------------------------------------------ 6. shares in %
def test_share_like_rules_show_as_percentages_in_every_format(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    rep = solve_report(solved(JIAXING), "zh")
    rules = rep.table("rules")
    row = _rule_row(rules, "jx4-hitech-45")
    assert row[rules.column("unit")] == "%"
    assert row[rules.column("required")].num.percent and _raw(row[rules.column("required")]) == 0.45
    text = render(rep, "table")
    line = next(ln for ln in text.splitlines() if "jx4-hitech-45" in ln)
    assert "45.0%" in line and "万元/万元" not in text
    rows = list(csv.reader(io.StringIO(render(rep, "csv").decode("utf-8-sig"))))
    line = next(r for r in rows if r[1:2] == ["jx4-hitech-45"])
    assert "45.0%" in line and "79.2%" in line
    assert re.search(r"<td[^>]*>45\.0%</td>", render(rep, "html"))
    path = tmp_path / "jx.xlsx"
    path.write_bytes(render(rep, "xlsx"))
    ws = openpyxl.load_workbook(path)["政策约束核查"]
    cells = {c.value: c for r in ws.iter_rows() for c in r if isinstance(c.value, str)}
    head = {c.value: c.column for c in ws[cells["编号"].row] if c.value}
    required = ws.cell(row=cells["jx4-hitech-45"].row, column=head["要求值"])
    assert required.value == pytest.approx(0.45) and required.number_format == "0.0%"


# ------------------------------------------------------- 7. shadow-price sentences
def test_chinese_sentences_use_chinese_punctuation_and_skip_zero_prices():
    rep = solve_report(solved(JIAXING), "zh")
    paras = rep.section("shadow").paragraphs
    for p in paras:
        assert not re.search(r"[.;,:](\s|$)", p), p
        assert "+0.00" not in p and "-0.00" not in p, p
        # the outside ban is a cap at 0: tightening it means nothing (a count's minimum may say it)
        assert not ("重大平台以外" in p and "不可行" in p), p
    assert paras[-1] == "另有 6 项限额放宽或收紧均无边际效益，只列在下表中。"
    table = rep.table("shadow")
    assert len(table.rows) == 12  # the table keeps every limit (with the three JX-5 counts re-solved)


def test_more_sentences_than_shown_point_to_the_table_below():
    """25 areas of 2 亩 each, land and energy plentiful: every capacity binds at 50 万元/亩 (chips)."""
    d = copy.deepcopy(teaching_base())
    d["resources"]["energy"]["budget"] = 10_000
    d["areas"] = {f"a{i:02d}": {"name": f"片区{i:02d}", "role": "main" if i < 5 else "sub", "capacity": 2}
                  for i in range(25)}
    rep = solve_report(landopt.from_dict(d).solve(solver=SOLVER), "zh")
    paras = rep.section("shadow").paragraphs
    assert paras[0] == "可开发容量 片区00 (上限 2.0 亩) 每提高1 亩 → 税收 +50.00 万元。"
    assert "…… 其余 5 项见下表。" in paras  # the table comes after the sentences
    assert paras[-1] == "另有 2 项限额放宽或收紧均无边际效益，只列在下表中。"  # land and energy budgets
    assert len(rep.table("shadow").rows) == 27


def test_chinese_texts_end_sentences_with_chinese_punctuation():
    from landopt.report.words import TEXTS

    for key, (_, zh) in TEXTS.items():
        assert not re.search(r"[.;,](\s|$)", zh), key
        assert not re.search(r"[\u4e00-\u9fff]: ", zh), key


# -------------------------------------------------------- 8. determinism across backends
def test_reports_are_the_same_on_every_exact_backend():
    backends = [b for b in ("clp", "highs", "glop") if b in EXACT_BACKENDS]
    assert len(backends) >= 2
    texts = []
    for backend in backends:
        res = landopt.load(PUJIANG_NEW).solve(solver=backend)
        data = render(solve_report(res, "zh"), "csv").decode("utf-8-sig")
        texts.append(data.replace(f",{backend},", ",<solver>,"))
    assert all(t == texts[0] for t in texts[1:])
    assert "最紧" in texts[0]


# ------------------------------------------------------------------ 9. planned areas
def test_planned_area_in_the_allocation_table():
    res = solved(PUJIANG_NEW)
    zh = solve_report(res, "zh").table("allocation")
    i = zh.column("planned_area")
    assert zh.columns[i].header == "规划面积 (平方公里)"
    assert zh.rows[0][i] == pytest.approx(17.24)  # core, entered as "17.24 km2"
    assert zh.rows[-1][i] is None  # the rest of the county has no planned area
    assert zh.footer[0][i] == pytest.approx(42.20)  # 附件1 total
    en = solve_report(res, "en").table("allocation")
    assert en.columns[en.column("planned_area")].header == "Planned area (km2)"
    assert "| 规划面积 (平方公里) |" in render(solve_report(res, "zh"), "table")


def test_no_planned_area_column_without_planned_areas(example_result):
    with pytest.raises(KeyError):
        solve_report(example_result, "en").table("allocation").column("planned_area")


# --------------------------------------------------------- 10. each plan's bound in compare
def test_compare_shows_each_plans_bound_and_name():
    cases = [(v, solved(PUJIANG_NEW, () if v == "base" else (v,))) for v in ("base", "stricter_tilt")]
    rep = compare_report(cases, "zh")
    t = rep.table("cmp_rules")
    rows = [r for r in t.rows if r[t.column("limit")].startswith("新增用地指标向主平台倾斜")]
    assert len(rows) == 5  # one per year: the bound moved in each, whatever the status
    for r in rows:
        assert _raw(r[t.column("b0")]) == pytest.approx(0.6) and _raw(r[t.column("b1")]) == pytest.approx(0.75)
        assert r[t.column("b0")].num.percent and r[t.column("unit")] == "%"
        assert "不低于60%" in r[t.column("limit")] and "不低于75%" in r[t.column("limit")]
    assert [c.header for c in t.columns][-4:] == ["界限值 (base)", "base", "界限值 (stricter_tilt)", "stricter_tilt"]
