"""Report defects found by the audit: each test failed before its fix."""

from __future__ import annotations

import pytest

import landopt
from landopt.report import compare_report, render, solve_report
from landopt.report.facts import Facts
from landopt.report.model import Cell, Series
from report_helpers import EXAMPLE, SOFT, SOLVER, solved
from support import REPO


def _raw(v):
    return v.value if isinstance(v, Cell) else v


# ---------------------------------------------------------- the whole zone per mu
def test_zone_per_mu_is_blank_when_an_area_with_land_lacks_the_stock(example_result):
    # 郑家坞 has stock land (3,100 亩) but no stock value added: the zone's stock is unknown, so 全区
    # before/after would otherwise be the core's 88.24 / 92.73
    for lang in ("zh", "en"):
        t = solve_report(example_result, lang).table("per_mu_value_added")
        zone = t.footer[0]
        assert zone[t.column("before")] is None and zone[t.column("after")] is None
        assert zone[t.column("new")] == pytest.approx((220 * 600 + 60 * 1800 / 7) / (600 + 1800 / 7))
    zh = solve_report(example_result, "zh").table("per_mu_value_added")
    assert any("郑家坞片区无现状工业增加值" in n for n in zh.notes)
    # tax has a stock in every area: the zone row stays
    tax = solve_report(example_result, "en").table("per_mu_tax")
    assert tax.footer[0][tax.column("before")] == pytest.approx((5.3e5 + 1.0e5) / (17000 + 3100))


def test_compare_leaves_out_the_zone_per_mu_without_every_stock():
    cases = [(v, solved(EXAMPLE, () if v == "base" else (v,))) for v in ("base", "strict_tilt")]
    t = compare_report(cases, "en").table("cmp_per_mu")
    zone = [r[t.column("metric")] for r in t.rows if r[t.column("area")] == "All areas"]
    assert zone == ["gross industrial output (万元/mu)", "tax revenue (万元/mu)"]


# ---------------------------------------------------------- soft-rule penalties
def test_objective_with_soft_rules_is_labelled_net_of_penalties_with_the_penalty_row():
    # t07_soft.yaml: tax 2,500, 30 亩 short of the soft textile floor at 2 万元 per 亩: objective 2,440
    res = solved(SOFT)
    for lang, net, pen in (("zh", "目标：最大化税收 (扣除软约束罚项后)", "软约束罚项合计"),
                           ("en", "Objective: maximise 税收 (net of soft-rule penalties)",
                            "Soft-rule penalties")):
        t = solve_report(res, lang).table("overview")
        items = {r[t.column("item")]: _raw(r[t.column("value")]) for r in t.rows}
        assert items[net] == pytest.approx(2440.0)
        assert items[pen] == pytest.approx(60.0)


def test_objective_without_soft_rules_has_no_penalty_row(example_result):
    t = solve_report(example_result, "en").table("overview")
    items = [r[t.column("item")] for r in t.rows]
    assert "Soft-rule penalties" not in items and not any("net of" in i for i in items)


# ---------------------------------------------------------- warnings in the report
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html", "xlsx"])
def test_result_warnings_appear_in_the_summary_in_every_format(example_result, fmt, tmp_path):
    import dataclasses

    from landopt.errors import Issue
    warned = dataclasses.replace(example_result, warnings=[
        Issue("no_duals", {"solver": "scip"}, severity="warning"),
        Issue("canonical_skipped", {}, severity="warning")])
    for lang in ("zh", "en"):
        rep = solve_report(warned, lang)
        summary = next(s for s in rep.sections if s.key == "summary")
        expected = [w.format(lang) for w in warned.warnings]
        assert all(e in summary.paragraphs for e in expected)
        data = render(rep, fmt)
        if fmt == "xlsx":
            import io
            openpyxl = pytest.importorskip("openpyxl")
            wb = openpyxl.load_workbook(io.BytesIO(data))
            text = "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                             if c.value is not None)
        else:
            text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        for e in expected:
            assert (e.replace("'", "&#x27;") if fmt == "html" else e) in text or e in text


# ---------------------------------------------------------- xlsx rounding
def test_xlsx_writes_zero_for_what_shows_as_zero_never_minus_zero():
    import io
    import math

    openpyxl = pytest.importorskip("openpyxl")
    from landopt.report.model import Column, Num, Report, Section, Table
    pct, one = Num(1, percent=True), Num(1)
    t = Table("t", "t", [Column("a", "a (%)", pct), Column("b", "b (tce)", one), Column("c", "c (万元/亩)",
                                                                                     Num(2, significant=True))],
              [[-1.1e-16, -3.6e-12, -4e-9], [0.12345, 12.3456, 0.0012345]])
    data = render(Report("r", "en", [], [Section("s", "s", [], [t])]), "xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows() if isinstance(row[0].value, (int, float))]
    assert values[0] == [0, 0, 0]
    assert all(math.copysign(1.0, v) > 0 for v in values[0])
    assert values[1] == pytest.approx([0.12345, 12.3456, 0.0012345])  # full values; the format rounds them


def test_xlsx_of_a_report_has_no_negative_zero(example_result):
    import io
    import math

    openpyxl = pytest.importorskip("openpyxl")
    cases = [(v, solved(EXAMPLE, () if v == "base" else (v,))) for v in ("base", "tight_energy")]
    for rep in (solve_report(example_result, "zh"), compare_report(cases, "zh")):
        wb = openpyxl.load_workbook(io.BytesIO(render(rep, "xlsx")))
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if isinstance(c.value, float) and c.value == 0:
                        assert math.copysign(1.0, c.value) > 0, (ws.title, c.coordinate)
                    if isinstance(c.value, float) and c.value < 0:
                        assert abs(c.value) >= 1e-6, (ws.title, c.coordinate, c.value)


# ---------------------------------------------------------- html charts without data
PUJIANG = EXAMPLE.parent / "pujiang_2021_2025.yaml"
NEW_LAND = EXAMPLE.parent / "pujiang_2021_2025_new_land.yaml"


def test_html_skips_charts_with_nothing_to_draw():
    # a per-mu chart of a metric no new land carries and no rule targets: no empty axes (the table stays)
    rep = solve_report(solved(PUJIANG), "zh")
    chart = rep.section("performance").charts[0]
    chart.series = [Series(s.name, [None] * len(s.values)) for s in chart.series]
    chart.targets = [None] * len(chart.categories)
    html = render(rep, "html")
    assert f'id="c-{chart.key}"' not in html and f'id="t-{chart.key}"' in html
    assert 'id="c-per_mu_tax"' in html and 'id="c-land_by_area"' in html
    # new land carries investment per mu (no stock figure): drawn, new land only
    investment = next(c for c in rep.section("performance").charts if c.key == "per_mu_investment")
    assert investment.has_data and 'id="c-per_mu_investment"' in html


# ---------------------------------------------------------- the quota-cost note
@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html"])
def test_quota_cost_note_uses_times_and_keeps_one_off_and_annual_apart(fmt):
    res = solved(PUJIANG)
    for lang, words in (("zh", ["使用量 × 情景给定的单价", "每吨每年", "不相加", "一次性要素成本 (万元)",
                                "年度要素成本 (万元/年)", "化学需氧量排污权：单价 2.07 万元/t·年，按年支付。",
                                "工业用地增量指标：单价 9.6 万元/亩，一次性支付。"]),
                        ("en", ["use × the scenario's price", "per tonne per year", "never added", "One-off quota cost",
                                "Annual quota cost (万元/yr)", "COD emission rights: price 2.07 万元/t/yr, paid every year.",
                                "paid once"])):
        data = render(solve_report(res, lang), fmt)
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
        if fmt == "html":
            import html as html_mod
            text = html_mod.unescape(text)
        for w in words:
            assert w in text, (lang, fmt, w)
        assert "使用量 x" not in text and "use x" not in text


def test_one_off_and_annual_costs_are_summed_apart():
    """The one-off column sums land and energy prices only, the annual one the emission rights only (the
    Pujiang prices: land 9.6 万元/亩 and energy 3,000 元/tce once, emission rights 元/吨·年)."""
    res = solved(PUJIANG)
    rep = solve_report(res, "en")
    table = next(t for s in rep.sections for t in s.tables if t.key == "allocation")
    keys = [c.key for c in table.columns]
    assert "cost_one_off" in keys and "cost_annual" in keys and "cost_unstated" not in keys
    spec, f = res.spec, Facts(res)
    once = 9.6 * f.by_area("land") + spec.resources["energy"].price * f.by_area("energy")
    yearly = sum(spec.resources[r].price * f.by_area(r) for r in ("cod", "nh3n", "so2", "nox"))
    for i, row in enumerate(table.rows):
        assert row[keys.index("cost_one_off")] == pytest.approx(once[i], rel=1e-9, abs=1e-9)
        assert row[keys.index("cost_annual")] == pytest.approx(yearly[i], rel=1e-9, abs=1e-9)


def test_a_price_without_its_basis_gets_a_column_of_its_own(tmp_path):
    """A price whose file does not say once or every year is not added to either: its own column, and the
    price line says the file does not say."""
    src = (REPO / "scenarios" / "format_example.yaml").read_text(encoding="utf-8")
    src = src.replace("budget: 1200}", "budget: 1200, price: 9.6 万元/亩}")
    src = src.replace("budget: 60}", "budget: 60, price: 5290 元/t, price_basis: annual}")
    f = tmp_path / "priced.yaml"
    f.write_text(src, encoding="utf-8")
    rep = solve_report(landopt.load(f).solve(solver="highs"), "zh")
    table = next(t for s in rep.sections for t in s.tables if t.key == "allocation")
    assert [c.key for c in table.columns if c.key.startswith("cost")] == ["cost_annual", "cost_unstated"]
    notes = "\n".join(table.notes)
    assert "方案未注明一次性或按年支付" in notes and "按年支付" in notes


# ---------------------------------------------------------- headers
def test_headers_do_not_run_words_together_and_shares_carry_their_unit():
    rep = solve_report(solved(PUJIANG), "zh")
    headers = [c.header for s in rep.sections for t in s.tables for c in t.columns]
    assert "用能 (等价值) 累计 (万tce)" in headers
    assert not any(")累计" in h or ")变化" in h for h in headers)
    assert any(h.endswith(") 变化 (万元)") for h in headers)
    structure = rep.table("structure")
    assert structure.columns[structure.column("ht_new")].header == "新增工业增加值高新技术占比 (%)"
    assert structure.columns[structure.column("ht_after")].header == "配置后高新技术占比 (%)"
    en = solve_report(solved(PUJIANG), "en").table("structure")
    assert en.columns[en.column("ht_new")].header.endswith(" (%)")


# ---------------------------------------------------------- shadow-price sentences quote the table
def test_shadow_sentences_quote_the_tables_price_when_the_resolves_agree():
    from landopt.report.common import PRICE
    from landopt.report.model import format_number
    rep = solve_report(solved(NEW_LAND), "zh")
    sec = next(s for s in rep.sections if s.key == "shadow")
    t = sec.tables[0]
    text = "\n".join(sec.paragraphs)
    checked = 0
    for r in t.rows:
        price, loosen = r[t.column("price")], r[t.column("loosen")]
        if price is None or loosen is None or abs(price) < 1:
            continue
        if abs(loosen - price) <= 1e-5 * abs(price):
            checked += 1
            assert f"+{format_number(price, PRICE)} 万元" in text, r[t.column("limit")]
    assert checked >= 2
    assert "21,132.08" in text and "+21,132.10" not in text
    assert "10,980.39" in text and "+10,980.40" not in text


def test_unique_duals_are_quoted_as_in_the_table(example_result):
    sec = next(s for s in solve_report(example_result, "en").sections if s.key == "shadow")
    t = sec.tables[0]
    text = "\n".join(sec.paragraphs)
    from landopt.report.common import PRICE
    from landopt.report.model import format_number
    for r in t.rows:
        if r[t.column("price")] and abs(r[t.column("price")]) > 1e-6:
            assert format_number(abs(r[t.column("price")]), PRICE) in text


# ---------------------------------------------------------- totals in their written unit
def test_a_total_written_in_another_unit_shows_in_that_unit():
    # PJ-9: min "1017.2 亿元" of 2025 output, in a scenario whose money unit is 万元 (hard in `hard_reading`, so
    # the diagnosis moves it)
    rep = solve_report(solved(PUJIANG, ("hard_reading",)), "zh")
    d = rep.table("diagnosis")
    row = next(r for r in d.rows if r[d.column("id")] == "pj9-output-double")
    assert row[d.column("unit")] == "亿元"
    assert _raw(row[d.column("value")]) == pytest.approx(1017.2)
    assert 800 < _raw(row[d.column("relaxed")]) < 1017.2
    c = rep.table("rules")
    row = next(r for r in c.rows if r[c.column("id")] == "pj9-output-double")
    assert row[c.column("unit")] == "亿元" and _raw(row[c.column("required")]) == pytest.approx(1017.2)
