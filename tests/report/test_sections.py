"""The solve report's content: sections, headings, units, rounding, markers, shadow prices, diagnosis."""

from __future__ import annotations

import copy

import pytest

import landopt
from landopt.report import render, solve_report
from landopt.report.common import num_for_unit
from landopt.report.words import TEXTS, tr, unit_label
from landopt.report.model import DISALLOWED, Cell, Num, format_number
from landopt.engine.sensitivity import one_sided
from report_helpers import EXAMPLE, LEXICO, REPO, SOFT, degenerate_scenario, solved, teaching_base

SOLVE_ORDER = ["summary", "allocation", "matrix", "performance", "compliance", "shadow"]


def _col(table, key):
    i = table.column(key)
    return [row[i] for row in table.rows]


def _raw(v):
    return v.value if isinstance(v, Cell) else v


# ------------------------------------------------------------------ structure
def test_sections_follow_the_issue_order(example_result):
    rep = solve_report(example_result, "en")
    assert [s.key for s in rep.sections] == SOLVE_ORDER


def test_multiyear_adds_the_path_and_detail_adds_the_list(multiyear_result):
    rep = solve_report(multiyear_result, "en", detail=True)
    assert [s.key for s in rep.sections] == [*SOLVE_ORDER, "path", "detail"]


def test_infeasible_puts_the_diagnosis_first_then_what_could_be_computed(infeasible_result):
    rep = solve_report(infeasible_result, "en")
    keys = [s.key for s in rep.sections]
    assert keys[0] == "diagnosis"
    assert keys[1:] == ["summary", "allocation", "matrix", "performance", "compliance"]  # no shadow prices
    diag = rep.table("diagnosis")
    (row,) = diag.rows
    assert row[diag.column("id")] == "per-mu-tax"
    assert row[diag.column("name")] == "东片区亩均税收不低于32万元 (含存量)"
    assert _raw(row[diag.column("value")]) == 32.0
    assert _raw(row[diag.column("relaxed")]) == pytest.approx(30.0, rel=1e-4)
    assert row[diag.column("unit")] == "万元/mu"
    # the relaxed allocation is what the later sections show (50 亩 of chips in the east, hand arithmetic)
    alloc = rep.table("allocation")
    assert alloc.footer[0][alloc.column("land")] == pytest.approx(50.0, rel=1e-6)
    rules = rep.table("rules")
    assert _col(rules, "status") == ["relaxed"]


def test_diagnosis_in_chinese_keeps_the_rule_name_and_units(infeasible_result):
    text = render(solve_report(infeasible_result, "zh"), "table")
    assert text.index("不可行诊断") < text.index("摘要")
    assert "东片区亩均税收不低于32万元" in text and "万元/亩" in text and "已放宽" in text


@pytest.mark.parametrize("lang,headings", [
    ("zh", ["摘要", "分区域要素配置", "分区分行业用地", "效益测算", "政策约束核查", "边际效益"]),
    ("en", ["Summary", "Allocation by area", "Area x sector land matrix", "Performance by area",
            "Rule compliance", "Shadow prices"]),
])
def test_headings_in_the_chosen_language(example_result, lang, headings):
    rep = solve_report(example_result, lang)
    assert [s.title for s in rep.sections] == headings


def test_units_in_headers_and_area_as_mu_in_chinese(example_result):
    zh = solve_report(example_result, "zh").table("allocation")
    headers = [c.header for c in zh.columns]
    assert "新增用地 (亩)" in headers and "新增用能指标 (tce)" in headers and "化学需氧量排污权 (t)" in headers
    assert headers[0] == "序号"
    en = solve_report(example_result, "en").table("allocation")
    assert "New land (mu)" in [c.header for c in en.columns]
    assert unit_label("万元/mu", "zh") == "万元/亩" and unit_label("万元/亩", "en") == "万元/mu"


def test_total_row_and_numbering(example_result):
    alloc = solve_report(example_result, "zh").table("allocation")
    assert _col(alloc, "no") == [1, 2]
    total, budget, util = alloc.footer
    assert total[1] == "合计" and budget[1] == "预算" and util[1] == "利用率"
    # hand arithmetic of the scenario: 600 + 257.14 亩, energy 18*600 + 11*257.14
    assert total[alloc.column("land")] == pytest.approx(857.142857, rel=1e-6)
    assert total[alloc.column("energy")] == pytest.approx(13628.5714, rel=1e-6)
    assert _raw(util[alloc.column("land")]) == pytest.approx(857.142857 / 1200, rel=1e-6)
    assert _col(alloc, "role") == ["主平台", "分区"]


def test_disallowed_cells_are_marked_not_zero(example_result):
    m = solve_report(example_result, "en").table("matrix")
    core, zhengjiawu = m.rows
    assert core[m.column("crystal")] is DISALLOWED  # the core allows PV only
    assert zhengjiawu[m.column("pv")] == 0.0  # allowed, given nothing
    text = render(solve_report(example_result, "en"), "table")
    assert "|       x |" in text and "x = the sector may not receive land in this area." in text
    assert "×" in render(solve_report(example_result, "en"), "html")


def test_performance_before_after_and_targets(example_result):
    rep = solve_report(example_result, "en")
    tax = rep.table("per_mu_tax")
    core = tax.rows[0]
    # before 5.3e5 / 17000 = 31.18; after (5.3e5 + 45*600) / 17600 = 31.65; target 30 with stock
    assert core[tax.column("before")] == pytest.approx(5.3e5 / 17000)
    assert core[tax.column("after")] == pytest.approx(557000 / 17600)
    assert core[tax.column("target")] == 30.0
    assert core[tax.column("status")] == "met"
    totals = rep.table("perf_totals")
    assert totals.footer[0][totals.column("tax_after")] == pytest.approx(630000 + 30600, rel=1e-9)
    # Zhengjiawu has stock land but no stock value added: unknown, not zero
    assert totals.rows[1][totals.column("value_added_before")] is None
    assert totals.rows[1][totals.column("value_added_after")] is None
    structure = rep.table("structure")
    assert structure.rows[0][structure.column("ht_new")] == 1.0  # PV is high-tech
    assert structure.rows[0][structure.column("energy_va")] == pytest.approx(18 / 220)


def test_compliance_in_each_rules_own_units(example_result):
    rules = solve_report(example_result, "en").table("rules")
    assert _col(rules, "id") == ["tilt-land", "per-mu-tax", "per-mu-tax"]
    assert _col(rules, "status") == ["binding", "met", "met"]
    tilt = rules.rows[0]
    assert _raw(tilt[rules.column("required")]) == 0.7 and tilt[rules.column("required")].num.percent
    assert tilt[rules.column("unit")] == "%"
    assert rules.rows[1][rules.column("unit")] == "万元/mu"
    assert _raw(rules.rows[1][rules.column("achieved")]) == pytest.approx(557000 / 17600)


def test_soft_rule_shows_violated():
    rep = solve_report(solved(SOFT), "en")
    rules = rep.table("rules")
    assert _col(rules, "status") == ["violated"]
    assert _raw(rules.rows[0][rules.column("violation")]) == pytest.approx(30.0)


def test_lexicographic_stages_are_listed():
    text = render(solve_report(solved(LEXICO), "en"), "table")
    assert "Objective: maximise 税收" in text and "Stage 2: maximise 工业增加值" in text
    assert "10,200" in text  # stage 2 value, hand arithmetic in the scenario


# --------------------------------------------------------------- shadow prices
def test_shadow_prices_in_plain_words(example_result):
    zh = solve_report(example_result, "zh").section("shadow").paragraphs
    assert zh == ["行业需求上限 光电光伏 (上限 600.0 亩) 每提高1 亩 → 税收 +51.00 万元。",
                  "用地指标向主平台倾斜 (下限 70.0%) 每降低1个百分点 → 税收 +171.43 万元。",
                  "另有 4 项限额放宽或收紧均无边际效益，只列在下表中。"]  # the budgets, worth 0.00: table only
    en = solve_report(example_result, "en").section("shadow").paragraphs
    assert ("Raising sector demand cap optoelectronics and photovoltaics (max 600.0 mu) by 1 mu → +51.00 万元 "
            "tax revenue from new land.") in en
    assert not any("+0.00" in p for p in en)
    assert len(solve_report(example_result, "en").table("shadow").rows) == 6


def test_degenerate_optimum_reports_exact_one_sided_changes():
    res = landopt.from_dict(degenerate_scenario()).solve(solver="highs")
    assert res.degenerate
    sens = one_sided(res)
    by_id = {r.id: sens.changes[r.row] for r in res.rows if r.row in sens.changes}
    assert by_id["land"].loosen == 0.0 and by_id["land"].tighten == pytest.approx(50.0, rel=1e-6)
    assert by_id["energy"].loosen == 0.0 and by_id["energy"].tighten == pytest.approx(2.5, rel=1e-6)
    sec = solve_report(res, "en").section("shadow")
    assert sec.paragraphs[0].startswith("The optimum is degenerate: the shadow prices are not unique")
    assert ("One more mu of 新增建设用地指标 → 税收 unchanged. Tightening by 1 mu → -50.00 万元 税收 "
            "(exact, by solving again).") in sec.paragraphs
    table = sec.tables[0]
    assert [c.key for c in table.columns][-2:] == ["loosen", "tighten"]


def test_one_sided_changes_do_not_depend_on_the_backend():
    sc = landopt.from_dict(degenerate_scenario())
    seen = set()
    for backend in ("highs", "clp", "glop"):
        res = sc.solve(solver=backend)
        sens = one_sided(res)
        seen.add(tuple(sorted((r.id, sens.changes[r.row].loosen, sens.changes[r.row].tighten)
                              for r in res.rows if r.row in sens.changes)))
    assert len(seen) == 1


def test_backend_without_duals_gets_exact_changes_by_resolving():
    res = solved(EXAMPLE, (), "scip")
    assert all(r.shadow_price is None for r in res.rows)
    table = solve_report(res, "en").table("shadow")
    rows = {row[table.column("limit")]: row for row in table.rows}
    pv = rows["sector demand cap optoelectronics and photovoltaics"]
    assert pv[table.column("loosen")] == pytest.approx(51.0, rel=1e-5)  # 45 + 14 (1/0.7 - 1), hand arithmetic
    tilt = rows["land quota tilted to the main platform"]
    # 14 * 600 / 0.7^2 per unit of share = 171.43 per percentage point, from both sides (Richardson)
    assert tilt[table.column("loosen")] == pytest.approx(171.428571, rel=1e-5)
    assert tilt[table.column("tighten")] == pytest.approx(-171.428571, rel=1e-5)
    assert rows["new energy-use quota"][table.column("price")] == 0.0  # slack: worth nothing at the margin


# ------------------------------------------------------------------- rounding
@pytest.mark.parametrize("value,num,text", [
    (857.142857, Num(1), "857.1"),
    (30600.4, Num(0), "30,600"),
    (2452.5, Num(0), "2,453"),  # half up, as on paper
    (0.714285, Num(1, percent=True), "71.4%"),
    (-1e-9, Num(1), "0.0"),  # never '-0.0'
    (-0.00004, Num(1, percent=True), "0.0%"),
    (17142.857, Num(2, significant=True), "17,142.86"),
    (0.003456, Num(2, significant=True), "0.0035"),
    (None, Num(1), ""),
])
def test_format_number(value, num, text):
    assert format_number(value, num) == text


def test_no_negative_zero_anywhere(example_result, multiyear_result, infeasible_result):
    for res in (example_result, multiyear_result, infeasible_result):
        for lang in ("zh", "en"):
            text = render(solve_report(res, lang), "table")
            assert "-0.0" not in text and "-0%" not in text and "| -0 " not in text


def test_rounding_by_unit():
    assert num_for_unit("mu") == Num(1) and num_for_unit("亩") == Num(1)
    assert num_for_unit("万元") == Num(0) and num_for_unit("tce") == Num(1) and num_for_unit("t") == Num(2)
    assert num_for_unit("万元/亩") == Num(2, significant=True)  # 0.6 tce/万元 written in 万tce is 0.00006


def test_small_intensities_keep_two_significant_digits():
    from landopt.report.model import Cell, Column, cell_text

    col = Column("v", "v", num_for_unit("万tce/万元"))
    assert cell_text(Cell(0.00006, col.num), col, "x") == "0.000060"
    assert cell_text(Cell(31.6478, col.num), col, "x") == "31.65"


def test_source_and_data_year_once_per_report():
    # issue 12: "sources once per report, not under every table"
    from landopt.report import render

    d = copy.deepcopy(teaching_base())
    d["scenario"].update({"source": "浦江县整合提升方案 (征求意见稿)", "data_year": 2021})
    res = landopt.from_dict(d).solve(solver="highs")
    rep = solve_report(res, "zh")
    line = "资料来源：浦江县整合提升方案 (征求意见稿)；数据年份：2021"
    assert line in rep.header
    for sec in rep.sections:
        for t in sec.tables:
            assert not any("资料来源" in n for n in t.notes), t.key
    for fmt in ("table", "markdown", "html"):
        assert render(rep, fmt).count("资料来源") == 1, fmt


def test_both_languages_define_the_same_placeholders():
    import string

    for key, (en, zh) in TEXTS.items():
        fields = [{f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (en, zh)]
        assert fields[0] == fields[1], key
    assert tr("col_total", "zh") == "合计" and tr("col_no", "zh") == "序号"


def test_multiyear_path_per_area_and_year(multiyear_result):
    rep = solve_report(multiyear_result, "en")
    path = rep.table("path")
    years = _col(path, "year")
    assert years == [2021, 2022, 2023] * 2
    # the zone's yearly land, hand arithmetic in t06: chips 19 + textiles 4; 13.5 + 6; 12.75 + 9
    zone = {row[path.column("year")]: row[path.column("land")] for row in path.footer}
    assert zone == pytest.approx({2021: 23.0, 2022: 19.5, 2023: 21.75})
    tax_level = {row[path.column("year")]: row[path.column("tax")] for row in path.footer}
    assert tax_level == pytest.approx({2021: 990.0, 2022: 1725.0, 2023: 2452.5})
    budgets = rep.table("budget_years")
    assert len(budgets.rows) == 6


@pytest.mark.parametrize("kind", ["budget", "share"])
def test_moving_a_bound_in_the_lp_equals_rebuilding_with_the_override(kind):
    """The fast path (move the row in the built LP) agrees with `Spec.overrides` + build."""
    from landopt.model.build import build
    from landopt.engine.sensitivity import Probe, lp_value

    res = solved(EXAMPLE, (), "highs")
    wanted = (lambda r: r.kind == "budget" and r.id == "land") if kind == "budget" else \
        (lambda r: r.rule_kind == "share")
    row = next(r for r in res.rows if wanted(r))
    probe = Probe(res, row, lp_value(res.model.problem, "highs"))
    new = 350.0 if kind == "budget" else 0.75  # land budget below the 857 亩 used; tilt from 70% to 75%
    spec = copy.copy(res.spec)
    spec.overrides = {probe.inst.key(probe.side): new}
    assert probe.value(new) == pytest.approx(lp_value(build(spec).problem, "highs"), rel=1e-9)
    if kind == "share":  # hand arithmetic: 600 亩 of PV, crystal 600/0.75 - 600 = 200 亩
        assert probe.value(new) == pytest.approx(27000 + 14 * 200, rel=1e-9)


def test_rules_with_many_instances_are_summarised_unless_detail():
    """标准地 floors per area and sector make hundreds of rows; the table shows the tightest of each."""
    res = landopt.load(REPO / "scenarios" / "pujiang_2021_2025_new_land.yaml").solve(solver="highs")
    per_rule = {}
    for x in res.rows:
        if x.kind == "rule":
            per_rule[x.id] = per_rule.get(x.id, 0) + 1
    big = [rid for rid, n in per_rule.items() if n > 12]
    assert big, "the scenario should have rules with many instances"
    short = solve_report(res, "en").section("compliance").tables[0]
    full = solve_report(res, "en", detail=True).section("compliance").tables[0]
    assert len(full.rows) == sum(per_rule.values())
    ids = [row[short.column("id")] for row in short.rows]
    for rid in big:
        assert ids.count(rid) <= 2  # one row per side
    n = per_rule[big[0]]
    summary_row = next(row for row in short.rows if row[short.column("id")] == big[0])
    assert f"{n} instances; tightest:" in summary_row[short.column("group")]
    assert any("--detail lists every row" in note for note in short.notes)


def test_a_ratio_over_an_empty_group_is_not_called_binding():
    """0 >= 30 x 0 holds trivially: binding only when its shadow price says it keeps land out."""
    res = landopt.load(REPO / "scenarios" / "pujiang_2021_2025_new_land.yaml").solve(solver="highs")
    empty = [x for x in res.rows if x.kind == "rule" and x.rule_kind == "intensity" and x.value is None]
    assert empty
    for x in empty:
        assert x.binding == (x.shadow_price is not None and abs(x.shadow_price) > 1e-9)
