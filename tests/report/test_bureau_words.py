"""Issue 12, the report a bureau would file: one wording rule per test.

- the summary names what limits the plan (budgets and rules with a value, the most valuable first), by name,
  never by id, and never a rule that sits at its bound with no value;
- the source line is printed once per report (test_sections.py::test_source_and_data_year_once_per_report);
- no OR jargon in the summary (影子价格, 对偶, 规范解);
- the language follows the locale when neither --lang nor $LANDOPT_LANG says otherwise.
"""

from __future__ import annotations

import copy
import os
import re

import pytest

import landopt
from landopt.report import render, solve_report
from report_helpers import EXAMPLE, MULTIYEAR, SOLVER, degenerate_scenario, solved, teaching_base
from support import SCENARIOS


def overview(res, lang: str) -> dict[str, str]:
    rep = solve_report(res, lang)
    table = next(t for s in rep.sections for t in s.tables if t.key == "overview")
    return {str(r[1]): str(r[2]) for r in table.rows}


def limits_item(lang: str) -> str:
    return "制约方案的限额 (按边际效益排序)" if lang == "zh" else "What limits the plan (most valuable first)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_names_what_limits_the_plan_by_name(lang):
    # the teaching base: chips pay 50 万元 for 20 tce per 亩; energy (1,000 tce) binds, land (100 亩) does not
    res = landopt.from_dict(copy.deepcopy(teaching_base())).solve(solver=SOLVER)
    limits = overview(res, lang)[limits_item(lang)]
    energy = res.spec.resources["energy"]
    assert limits == (energy.name if lang == "zh" or not energy.name_en else energy.name_en)


def test_limits_are_ordered_by_what_the_whole_limit_is_worth():
    # Pujiang (new land): several budgets bind; the list is ordered by |price x bound|, largest first
    res = solved(SCENARIOS / "pujiang_2021_2025_new_land.yaml")
    text = overview(res, "zh")[limits_item("zh")]
    assert text.endswith(" (预算均为估计值)")  # every Pujiang pool is the plan's estimate (estimate: true), said once
    shown = text.removesuffix(" (预算均为估计值)").split("、")
    worth: dict[str, float] = {}
    for x in res.rows:
        if x.kind in ("budget", "rule") and x.binding and x.shadow_price:
            worth[x.name] = max(worth.get(x.name, 0.0), abs(x.shadow_price * x.bound))
    assert len(shown) >= 2
    assert [worth[n] for n in shown] == sorted((worth[n] for n in shown), reverse=True)
    assert all(not re.fullmatch(r"[a-z0-9_-]+", n) for n in shown)  # names, not ids


@pytest.mark.parametrize("solver", ["highs", "clp", "glop"])
def test_a_rule_at_its_bound_with_no_value_does_not_limit_the_plan(solver):
    # degenerate: 50 亩 of chips use exactly the 50 亩 and the 1,000 tce, and a cap "chips <= 50 亩" sits at its
    # bound too. Loosening any one of the three alone adds nothing (the other two still hold chips at 50 亩, and
    # textiles are not worth their land), so none of them limits the plan on its own, whatever dual the backend
    # picks (GLOP prices the cap at 40 万元/亩, HiGHS and CLP at 0)
    d = degenerate_scenario()
    d["rules"] = [{"id": "chips-cap", "name": "芯片用地不超过50亩", "kind": "cap", "metric": "land",
                   "where": {"sector": "chip"}, "max": 50}]
    res = landopt.from_dict(d).solve(solver=solver)
    assert next(x for x in res.rows if x.id == "chips-cap").binding
    assert overview(res, "zh")[limits_item("zh")] == "无"
    # without the cap, loosening the energy budget alone still gains nothing (the land is all used): same answer
    del d["rules"]
    res = landopt.from_dict(d).solve(solver=solver)
    assert overview(res, "zh")[limits_item("zh")] == "无"


@pytest.mark.parametrize("path", [EXAMPLE, MULTIYEAR, SCENARIOS / "pujiang_2021_2025_renewal.yaml"],
                         ids=lambda p: p.stem)
def test_no_or_jargon_and_no_rule_ids_in_the_zh_summary(path):
    res = solved(path)
    rep = solve_report(res, "zh")
    summary = next(s for s in rep.sections if s.key == "summary")
    text = render(type(rep)(rep.title, rep.lang, rep.header, [summary]), "table")
    for word in ("影子价格", "对偶", "规范解", "紧约束"):
        assert word not in text, word
    ids = [r.id for r in res.spec.rules]
    rows = overview(res, "zh")
    for item in (limits_item("zh"), "违反的软约束", "诊断放宽的约束"):
        for rid in ids:
            assert rid not in rows.get(item, ""), (item, rid)


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LANDOPT_LANG": "en"}, "en"),
    ({"LANG": "C.UTF-8", "LANDOPT_LANG": "zh_CN"}, "zh"),
    ({"LANG": "C.UTF-8"}, "en"),
])
def test_the_language_follows_the_locale(monkeypatch, env, lang):
    from landopt.cli import _lang_default

    for var in ("LANDOPT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert _lang_default() == lang


def test_a_chinese_locale_gives_a_chinese_report(run_cli):
    r = run_cli("solve", str(EXAMPLE), "--solver", SOLVER, env={"LANG": "zh_CN.UTF-8", "LC_ALL": ""})
    assert r.code == 0, r.err
    assert "要素配置报告" in r.out and "allocation report" not in r.out


@pytest.mark.parametrize(("lang", "by", "on"), [("zh", "编制单位：浦江县自然资源和规划局", "编制日期：2026-12-05"),
                                                ("en", "Prepared by: 浦江县自然资源和规划局", "Prepared on: 2026-12-05")])
def test_prepared_by_and_on_head_the_report(lang, by, on):
    d = copy.deepcopy(teaching_base())
    d["scenario"].update({"prepared_by": "浦江县自然资源和规划局", "prepared_on": "2026-12-05"})
    rep = solve_report(landopt.from_dict(d).solve(solver=SOLVER), lang)
    assert by in rep.header and on in rep.header
    for fmt in ("table", "markdown", "html"):
        text = render(rep, fmt)
        assert text.count(by) == 1 and text.count(on) == 1, fmt


def test_prepared_by_may_come_from_set_and_a_yaml_date_reads_as_written(run_cli, tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(EXAMPLE.read_text(encoding="utf-8").replace("scenario:\n", "scenario:\n  prepared_on: 2026-12-05\n", 1),
                 encoding="utf-8")
    r = run_cli("solve", str(f), "--solver", SOLVER, "--lang", "zh", "--set", "scenario.prepared_by=金华市资源局")
    assert r.code == 0, r.err
    assert "编制单位：金华市资源局" in r.out and "编制日期：2026-12-05" in r.out


def test_xlsx_prints_on_a4_with_years_as_numbers(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    rep = solve_report(solved(MULTIYEAR), "zh")
    path = tmp_path / "r.xlsx"
    path.write_bytes(render(rep, "xlsx"))
    wb = openpyxl.load_workbook(path)
    years = set()
    for ws in wb.worksheets:
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1), ws.title  # 1 is the default
        assert ws.page_setup.fitToHeight == 0, ws.title  # as many pages down as it takes
        assert "&P" in (ws.oddFooter.center.text or ""), ws.title
        if ws.freeze_panes:
            assert ws.print_title_rows, ws.title  # the frozen header repeats on every printed page
        for row in ws.iter_rows():
            heads = [c for c in row if c.value in ("年份", "年度")]
            for h in heads:
                below = ws.cell(row=h.row + 1, column=h.column).value
                if below is not None:
                    years.add(type(below))
    assert years == {int}


SEEDS = sorted(p for p in SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem)
def test_no_rule_id_in_a_chinese_sentence(path):
    # ids belong in the 编号 column of a table; sentences (paragraphs, notes under tables) use the rule's name
    res = solved(path)
    rep = solve_report(res, "zh")
    ids = {r.id for r in res.spec.rules}
    sentences = [*rep.header] + [p for s in rep.sections for p in s.paragraphs] + \
        [n for s in rep.sections for t in s.tables for n in t.notes]
    for text in sentences:
        words = set(re.findall(r"[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]", text))
        assert not (words & ids), (text, words & ids)
        assert "存量 (累计)" not in text and "存量（累计）" not in text


def test_stock_not_given_is_blank_not_zero_and_left_out_of_totals(tmp_path):
    # Jinhua with the stock of the two strategic platforms only (the file gives every platform's): the other
    # twelve and the three outside areas show blanks, not 0, and the totals are those of the two (40,000 亩
    # of stock land: 22,000 + 18,000)
    keep = ("jh_etdz", "yiwu_etdz")
    areas = [a for a in landopt.load(SCENARIOS / "jinhua_city.yaml").spec.areas if a not in keep]
    path = tmp_path / "jinhua_partial_stock.yaml"
    path.write_text(f"extends: {(SCENARIOS / 'jinhua_city.yaml').as_posix()}\nvariants: null\nexpect: null\nareas:\n"
                    + "".join(f"  {a}: {{existing: null}}\n" for a in areas), encoding="utf-8")
    res = landopt.load(path).solve(solver=SOLVER)
    rep = solve_report(res, "zh")
    t = rep.table("perf_totals")
    given = {a for a, area in res.spec.areas.items() if area.existing or area.by_sector}
    assert len(given) == 2
    for r, a in zip(t.rows, res.spec.areas, strict=True):
        cells = r[3:]
        if a in given:
            assert r[t.column("land_before")] is not None and r[t.column("tax_before")] is not None
        else:
            assert all(c is None for c in cells), (a, cells)  # never 0 for a stock nobody gave
    land = t.column("land_before")
    assert t.footer[0][land] == pytest.approx(40000.0)
    assert any(n.startswith("未提供现状数据的区域：金华高新技术产业园区 (E)") for n in t.notes)


def test_a_new_area_says_so_with_existing_land_zero():
    d = copy.deepcopy(teaching_base())
    d["areas"]["core"]["existing"] = {"land": 1000, "tax": 20000}
    d["areas"]["east"]["existing"] = {"land": 0}
    rep = solve_report(landopt.from_dict(d).solve(solver=SOLVER), "en")
    t = rep.table("perf_totals")
    east = t.rows[1]
    assert east[t.column("land_before")] == 0.0 and east[t.column("tax_before")] == 0.0  # a known zero
    assert not any(n.startswith("Existing stock not given for") for n in t.notes)


def test_a_platform_total_beside_the_county_total():
    # Pujiang: the platform (一区三片: main, sub-areas, linked areas) holds 17,800 亩 of the county's 21,300 亩 of
    # stock and 1,066,700 万元 of its VA (the 2020 blend PJ-6 grows from); the outside area is left out
    res = solved(SCENARIOS / "pujiang_2021_2025_new_land.yaml")
    rep = solve_report(res, "zh")
    t = rep.table("perf_totals")
    total, platform = t.footer[0], t.footer[1]
    assert platform[1] == "平台合计 (主平台、分区、关联区)"
    assert total[t.column("land_before")] == pytest.approx(21300.0)
    assert platform[t.column("land_before")] == pytest.approx(17800.0)
    assert platform[t.column("value_added_before")] == pytest.approx(1066700.0)
    a = rep.table("allocation")
    row = next(r for r in a.footer if r[1] == "平台合计 (主平台、分区、关联区)")
    outside = sum(r[a.column("land")] for r, area in zip(a.rows, res.spec.areas.values(), strict=True)
                  if area.role == "outside")
    assert row[a.column("land")] == pytest.approx(a.footer[0][a.column("land")] - outside)
    # no platform row where every area is on the platform
    assert all(r[1] != "平台合计 (主平台、分区、关联区)" for r in solve_report(solved(EXAMPLE), "zh").table(
        "allocation").footer)


def _table(rep, key: str):
    return next(t for s in rep.sections for t in s.tables if t.key == key)


def _value(cell) -> float:
    return float(getattr(cell, "value", cell))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_multi_year_objective_says_it_sums_the_years_and_shows_the_final_year(lang):
    # t06 maximises tax summed over 2021-2023 (every year's level); the 2023 figure sits beside it, and the
    # money rows below are the 2023 levels, labelled so: "目标 5,168" and "新增税收 2,453" no longer contradict
    res = solved(MULTIYEAR)
    rows = {str(r[1]): r[2] for r in _table(solve_report(res, lang), "overview").rows}
    objective = next(k for k in rows if k.startswith(("目标", "Objective")))
    assert ("2021-2023各年合计" if lang == "zh" else "summed over the years 2021-2023") in objective
    final_key = "  其中2023年当年税收" if lang == "zh" else "  of which in 2023 alone: 税收"  # t06 names tax in zh only
    tax_key = "新增税收 (2023年)" if lang == "zh" else "New 税收 (2023)"
    from landopt.report.facts import Facts
    final_tax = Facts(res).total("tax")  # the 2023 level of every new 亩, from the allocation
    assert _value(rows[final_key]) == pytest.approx(final_tax, rel=1e-9)
    assert _value(rows[tax_key]) == pytest.approx(final_tax, rel=1e-9)
    assert _value(rows[objective]) == pytest.approx(res.objective, rel=1e-12)
    assert _value(rows[objective]) > _value(rows[final_key]) * 1.5  # three years of levels, not one


def test_a_single_year_objective_has_no_final_year_row():
    rows = [str(r[1]) for r in _table(solve_report(solved(EXAMPLE), "zh"), "overview").rows]
    assert not any("当年" in r or "各年合计" in r for r in rows)


def test_the_summary_shows_each_tilt_groups_share_not_a_trivial_main_share():
    # Hangzhou: all 17 platforms are main platforms, so "主平台占比 100%" says nothing; the tilt group is the six
    # strategic platforms (tag strategic), and the summary shows the share each tilt rule achieves
    res = solved(SCENARIOS / "hangzhou_17_platforms.yaml")
    rep = solve_report(res, "zh")
    rows = {str(r[1]): r[2] for r in _table(rep, "overview").rows}
    assert "新增用地主平台占比" not in rows
    assert "main_share" not in [c.key for c in _table(rep, "resources").columns]
    from landopt.report.facts import Facts
    f = Facts(res)
    for metric, rid in (("land", "hz-tilt-land"), ("energy", "hz-tilt-energy")):
        rule = next(r for r in res.spec.rules if r.id == rid)
        by = f.by_area(metric)
        strategic = sum(by[i] for i, a in enumerate(f.area_ids) if "strategic" in res.spec.areas[a].tags)
        assert _value(rows[f"{rule.name}：实际占比"]) == pytest.approx(strategic / by.sum(), rel=1e-9)
        assert _value(rows[f"{rule.name}：实际占比"]) >= 0.6 - 1e-9


def test_a_plan_with_a_main_platform_keeps_its_main_share():
    rows = {str(r[1]) for r in _table(solve_report(solved(EXAMPLE), "zh"), "overview").rows}
    assert "新增用地主平台占比" in rows


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_estimated_budgets_are_flagged_next_to_what_they_are_worth(lang):
    # every Pujiang pool is the plan's estimate (estimate: true): the shadow table's note names them, and the
    # summary says so once after what limits the plan; the contract example marks none and says nothing
    rep = solve_report(solved(SCENARIOS / "pujiang_2021_2025_new_land.yaml"), lang)
    name, words = ("氨氮排污权", "的预算为本方案估计值") if lang == "zh" else ("NH3-N emission rights", "are this plan's estimates")
    note = next(n for n in _table(rep, "shadow").notes if words in n)
    assert name in note.split(words)[0]
    rep = solve_report(solved(EXAMPLE), lang)
    assert not any("估计值" in n or "estimates" in n for n in _table(rep, "shadow").notes)
    text = str(overview(solved(EXAMPLE), lang)[limits_item(lang)])
    assert "估计" not in text and "estimated" not in text
