"""English display names (`name_en`): English reports show them where the scenario gives them, `name` otherwise.

The contract example carries `name_en` for its scenario, areas, sectors, resources, metrics, rules and
objective. Its English report then has no Chinese in any column header or in any name; what stays
Chinese by design is the money unit 万元 (units are shown as written, README "Rounding") and the
scenario's region and description, which are not names. The Chinese report never reads `name_en`, and
a scenario without `name_en` shows its `name` in English as before.
"""

from __future__ import annotations

import copy
import json
import re

import pytest
import yaml

import landopt
from landopt.report import compare_report, render, solve_report
from landopt.report.common import display_name, objective_label
from report_helpers import EXAMPLE, SOLVER, solved, teaching_base
from support import SCENARIOS

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KEPT_UNITS = ("万元",)
"""Units English reports keep as written: money in 万元 (an area unit reads mu, energy tce, mass t)."""


def _no_cjk(text: str) -> bool:
    """True when `text` has no Chinese character besides the units English reports keep."""
    for unit in KEPT_UNITS:
        text = text.replace(unit, "")
    return not CJK.search(text)


def _example_data() -> dict:
    with open(EXAMPLE, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    del data["variants"]  # from_dict takes no variants
    return data


def _without_name_en(node):
    """`node` with every `name_en` key removed, at any depth."""
    if isinstance(node, dict):
        return {k: _without_name_en(v) for k, v in node.items() if k != "name_en"}
    if isinstance(node, list):
        return [_without_name_en(v) for v in node]
    return node


@pytest.fixture(scope="module")
def unnamed_result():
    """format_example without any `name_en`."""
    return landopt.from_dict(_without_name_en(_example_data())).solve(solver=SOLVER)


def _header_lines(text: str) -> list[str]:
    """The header row of every table of a `table` rendering (the line after a table's top border)."""
    lines = text.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines[:-1])
            if line.startswith("+") and not lines[i - 1].startswith(("|", "+"))]


def _col(table, key):
    i = table.column(key)
    return [row[i] for row in table.rows]


# ------------------------------------------------------------------ English with name_en
def test_english_headers_of_the_example_have_no_chinese(example_result):
    rep = solve_report(example_result, "en", detail=True)
    headers = _header_lines(render(rep, "table"))
    assert len(headers) >= 10
    for line in headers:
        assert _no_cjk(line), line
    for section in rep.sections:
        for table in section.tables:
            assert _no_cjk(table.title), table.title
            for column in table.columns:
                assert _no_cjk(column.header), (table.key, column.header)


def test_english_names_of_areas_sectors_resources_and_rules(example_result):
    rep = solve_report(example_result, "en", detail=True)
    areas = ["Pujiang Development Zone core area", "Zhengjiawu area"]
    assert _col(rep.table("allocation"), "area") == areas
    assert _col(rep.table("matrix"), "area") == areas
    assert [c.header for c in rep.table("matrix").columns[2:4]] == ["optoelectronics and photovoltaics", "crystal"]
    assert _col(rep.table("resources"), "resource") == [
        "new construction-land quota", "new energy-use quota", "COD emission rights", "NOx emission rights"]
    rules = rep.table("rules")
    assert _col(rules, "name") == ["land quota tilted to the main platform", "tax per mu at least 30 万元",
                                   "tax per mu at least 30 万元"]
    assert _col(rules, "group") == ["", *areas]
    assert "sector demand cap optoelectronics and photovoltaics" in _col(rep.table("shadow"), "limit")
    assert set(_col(rep.table("detail"), "sector")) == {"optoelectronics and photovoltaics", "crystal"}
    items = _col(rep.table("overview"), "item")
    assert "Objective: maximise tax revenue from new land" in items
    assert {"New gross industrial output", "New industrial value added", "New tax revenue"} <= set(items)
    assert rep.title == "Format example (illustrative figures, not Pujiang's data): allocation report"
    texts = [rep.title, *(p for s in rep.sections for p in s.paragraphs)]
    texts += [v for s in rep.sections for t in s.tables for row in t.rows + t.footer for v in row if isinstance(v, str)]
    texts += [x for s in rep.sections for c in s.charts for x in (c.title, *c.categories, *(r.name for r in c.series))]
    for text in texts:
        if "浦江县" not in text:  # the region in the overview is not a name
            assert _no_cjk(text), text


def test_english_shadow_prices_read_in_english_names(example_result):
    paras = solve_report(example_result, "en").section("shadow").paragraphs
    assert paras[0] == ("Raising sector demand cap optoelectronics and photovoltaics (max 600.0 mu) by 1 mu → "
                        "+51.00 万元 tax revenue from new land.")
    assert paras[1].startswith("Lowering land quota tilted to the main platform (min 70.0%) by 1 percentage point")


def test_html_charts_use_the_english_names(example_result):
    html = render(solve_report(example_result, "en"), "html")
    assert "Pujiang Development Zone core area" in html and "optoelectronics and photovoltaics" in html
    assert "浦江开发区核心区" not in html and "光电光伏" not in html


def test_compare_in_english_uses_the_english_names():
    cases = [(v, solved(EXAMPLE, (v,))) for v in ("strict_tilt", "tight_energy")]
    rep = compare_report(cases, "en", detail=True)
    assert _col(rep.table("cmp_areas"), "area") == ["Pujiang Development Zone core area", "Zhengjiawu area"]
    assert _col(rep.table("cmp_resources"), "resource")[0] == "new construction-land quota"
    assert "optoelectronics and photovoltaics" in _col(rep.table("cmp_matrix"), "sector")
    assert "tax revenue (万元/mu)" in _col(rep.table("cmp_per_mu"), "metric")
    assert "land quota tilted to the main platform" in _col(rep.table("cmp_rules"), "limit")
    assert rep.table("variants").columns[4].header == "tax revenue from new land (万元)"
    for line in _header_lines(render(rep, "table")):
        assert _no_cjk(line), line


# ------------------------------------------------------------------ Chinese never changes
def test_chinese_report_ignores_name_en(example_result, unnamed_result):
    for fmt in ("table", "csv", "html"):
        assert render(solve_report(example_result, "zh", detail=True), fmt) == \
            render(solve_report(unnamed_result, "zh", detail=True), fmt)


def test_chinese_compare_ignores_name_en(unnamed_result):
    data = _without_name_en(_example_data())
    data["resources"]["energy"]["budget"] = 12000  # the tight_energy variant
    unnamed = landopt.from_dict(data).solve(solver=SOLVER)
    a = compare_report([("base", solved(EXAMPLE)), ("tight_energy", solved(EXAMPLE, ("tight_energy",)))], "zh",
                       detail=True)
    b = compare_report([("base", unnamed_result), ("tight_energy", unnamed)], "zh", detail=True)
    assert render(a, "table") == render(b, "table")


# ------------------------------------------------------------------ without name_en: as before
def test_without_name_en_english_shows_the_names(unnamed_result):
    rep = solve_report(unnamed_result, "en")
    assert rep.title == "格式示例 (示例数据, 非浦江县实际数据): allocation report"
    assert _col(rep.table("allocation"), "area") == ["浦江开发区核心区", "郑家坞片区"]
    assert [c.header for c in rep.table("matrix").columns[2:4]] == ["光电光伏", "水晶"]
    assert _col(rep.table("rules"), "name")[0] == "用地指标向主平台倾斜"
    items = _col(rep.table("overview"), "item")
    assert "Objective: maximise 税收" in items and "New 工业总产值" in items
    assert rep.table("per_mu_tax").title == "税收 per mu (万元/mu)"


def test_name_en_of_some_things_only():
    """Each thing falls back to its own `name`: a rule with `name_en` next to one without, an area without."""
    d = teaching_base()
    d["areas"]["core"]["name_en"] = "core area"
    d["metrics"]["tax"]["name_en"] = "tax revenue"
    d["rules"] = [{"id": "cap-chip", "name": "芯片用地上限", "name_en": "chip land cap", "kind": "cap",
                   "where": {"sector": "chip"}, "max": 40},
                  {"id": "tilt", "name": "主平台倾斜", "kind": "share", "part": {"role": "main"}, "min": 0.5}]
    rep = solve_report(landopt.from_dict(d).solve(solver=SOLVER), "en")
    assert _col(rep.table("allocation"), "area") == ["core area", "东片区"]
    assert sorted(set(_col(rep.table("rules"), "name"))) == ["chip land cap", "主平台倾斜"]
    assert "Objective: maximise tax revenue" in _col(rep.table("overview"), "item")  # the metric's English name
    assert [c.header for c in rep.table("matrix").columns[2:4]] == ["芯片", "纺织"]


def test_objective_stage_names():
    """A stage's `name_en` comes first in English, then its `name`, then its metric's English name."""
    d = teaching_base()
    d["metrics"]["tax"]["name_en"] = "tax revenue"
    d["metrics"]["value_added"]["name_en"] = "value added"
    d["objective"] = [{"maximize": "tax", "name": "新增税收", "name_en": "new tax"},
                      {"maximize": "value_added", "name": "新增增加值"},
                      {"maximize": "value_added", "name_en": "VA once more"},
                      {"maximize": "tax"}]
    spec = landopt.from_dict(d).spec
    assert [objective_label(spec, "en", k)[0] for k in range(4)] == ["new tax", "新增增加值", "VA once more",
                                                                       "tax revenue"]
    assert [objective_label(spec, "zh", k)[0] for k in range(4)] == ["新增税收", "新增增加值", "工业增加值", "税收"]


def test_display_name_falls_back_to_name():
    spec = landopt.load(EXAMPLE).spec
    core = spec.areas["core"]
    assert display_name(core, "en") == "Pujiang Development Zone core area"
    assert display_name(core, "zh") == "浦江开发区核心区"
    unnamed = landopt.from_dict(_without_name_en(_example_data())).spec.areas["core"]
    assert display_name(unnamed, "en") == "浦江开发区核心区"


# ------------------------------------------------------------------ diagnosis, JSON, checks
def test_diagnosis_shows_the_english_rule_name(infeasible_result):
    d = teaching_base()
    d["scenario"]["name"] = "教学 不可行与诊断"  # as t10_infeasible.yaml, whose Chinese report this one must equal
    d["areas"]["east"]["existing"] = {"land": 100, "tax": 2000}
    d["rules"] = [{"id": "per-mu-tax", "name": "东片区亩均税收不低于32万元 (含存量)",
                   "name_en": "east area tax per mu at least 32 万元 (stock included)", "kind": "intensity",
                   "metric": "tax", "per": "land", "where": {"area": "east"}, "each": "area",
                   "include_existing": True, "min": 32}]
    d["areas"]["east"]["name_en"] = "east area"
    res = landopt.from_dict(d).solve(solver=SOLVER)
    assert res.status == "infeasible"
    diag = solve_report(res, "en").table("diagnosis")
    (row,) = diag.rows
    assert row[diag.column("name")] == "east area tax per mu at least 32 万元 (stock included)"
    assert row[diag.column("group")] == "east area"
    zh = solve_report(res, "zh").table("diagnosis")
    assert zh.rows[0][zh.column("name")] == "东片区亩均税收不低于32万元 (含存量)"
    assert render(solve_report(res, "zh"), "table") == render(solve_report(infeasible_result, "zh"), "table")
    (entry,) = json.loads(res.to_json())["diagnosis"]
    assert entry["name"] == "东片区亩均税收不低于32万元 (含存量)"
    assert entry["name_en"] == "east area tax per mu at least 32 万元 (stock included)"


def test_json_keeps_name_and_adds_name_en_only_when_given(example_result, unnamed_result):
    d = json.loads(example_result.to_json())
    tilt = next(r for r in d["rules"] if r["id"] == "tilt-land")
    assert tilt["name"] == "用地指标向主平台倾斜" and tilt["name_en"] == "land quota tilted to the main platform"
    land = next(r for r in d["resources"] if r["resource"] == "land")
    assert land["name"] == "新增建设用地指标" and land["name_en"] == "new construction-land quota"
    assert d["scenario"]["name_en"] == "Format example (illustrative figures, not Pujiang's data)"
    assert d["stages"][0]["name_en"] == "tax revenue from new land"
    plain = json.loads(unnamed_result.to_json())
    assert all("name_en" not in r for r in plain["rules"] + plain["resources"] + plain["stages"])
    assert "name_en" not in plain["scenario"]
    strip = copy.deepcopy(d)
    for entry in [strip["scenario"], *strip["rules"], *strip["resources"], *strip["stages"]]:
        entry.pop("name_en", None)
    assert strip == plain  # name_en adds keys and changes nothing else


def test_check_labels_use_the_english_check_name(run_cli, tmp_path):
    f = tmp_path / "wrong.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "\n    - {metric: land, where: {area: core, sector: pv}, value: 600,",
        "\n    - {name: 核心区光伏, name_en: core PV, metric: land, where: {area: core, sector: pv}, value: 601,")
    f.write_text(text, encoding="utf-8")
    en = run_cli("check", str(f), "--no-variants")
    assert en.code == 3 and "check core PV: land where" in en.out
    zh = run_cli("check", str(f), "--no-variants", "--lang", "zh")
    assert zh.code == 3 and "核查 核心区光伏: land" in zh.out and "core PV" not in zh.out


def test_name_en_must_be_text(run_cli, tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text(EXAMPLE.read_text(encoding="utf-8").replace(
        "    name_en: crystal\n", "    name_en: [crystal]\n"), encoding="utf-8")
    r = run_cli("validate", str(f))
    assert r.code == 2 and "bad.yaml:44:14 sectors.crystal.name_en: a list is not valid here" in r.err, r.err
    assert "expected the name in English" in r.err
    zh = run_cli("validate", str(f), "--lang", "zh")
    assert zh.code == 2 and "英文名称" in zh.err, zh.err


# ------------------------------------------------------------------ the seed scenarios name everything in English
SEED_FILES = ("hangzhou_17_platforms.yaml", "jiaxing_major_platform.yaml", "jinhua_city.yaml",
              "reform_compilation.yaml")
SEED_KEPT = ("万元", "万tce", "亿元", "标准地")
"""What an English report of a seed scenario keeps in Chinese besides its region, description and source: units
as written (万元, 万tce, 亿元) and the seed term 标准地 (standard land), quoted in the report's own words."""


def _variants_of(path) -> list[str]:
    with open(path, encoding="utf-8") as fh:
        return list(yaml.safe_load(fh).get("variants") or {})


def _named_things(spec) -> list[tuple[str, object]]:
    """Everything of `spec` that has a name a report shows: scenario, metrics, resources, sectors, areas,
    projects, rules, objective stages and expected checks."""
    things = [("scenario", spec)]
    for kind, table in (("metric", spec.metrics), ("resource", spec.resources), ("sector", spec.sectors),
                        ("area", spec.areas), ("project", spec.projects)):
        things += [(f"{kind} {key}", thing) for key, thing in table.items()]
    things += [(f"rule {r.id}", r) for r in spec.rules]
    things += [(f"stage {k}", st) for k, st in enumerate(spec.stages)]
    checks = spec.expect.checks if spec.expect is not None and spec.expect.checks else []
    things += [(f"check {c.name}", c) for c in checks]
    return things


def _missing_name_en(path, variants=()) -> list[str]:
    """What `path` (with `variants`) names only in Chinese: the things whose `name` has no `name_en`."""
    spec = landopt.load(path, tuple(variants)).spec
    return [f"{what}: {thing.name}" for what, thing in _named_things(spec) if CJK.search(thing.name or "")
            and not thing.name_en]


def _chinese_in_english_report(result) -> list[str]:
    """The texts of the English (table) report of `result` that hold Chinese outside its region, its description
    and the header's source / data-year line, the rules' `source` column (quotes of the seed) and `SEED_KEPT`."""
    spec = result.spec
    rep = solve_report(result, "en", detail=True)
    found = []
    for line in rep.header:
        if CJK.search(line) and not (line.startswith(("Region: ", "Source: ")) or line == spec.description):
            found.append(line)
    texts = [rep.title]
    for s in rep.sections:
        texts += [s.title, *s.paragraphs]
        for t in s.tables:
            texts += [t.title, *t.notes, *(c.header for c in t.columns)]
            texts += [v for row in t.rows + t.footer for c, v in zip(t.columns, row, strict=True)
                      if isinstance(v, str) and c.key != "source"]
        texts += [x for c in s.charts for x in (c.title, *c.categories, *(r.name for r in c.series))]
    for text in texts:
        plain = text.replace(spec.region, "") if spec.region else text
        for word in SEED_KEPT:
            plain = plain.replace(word, "")
        if CJK.search(plain):
            found.append(text)
    return found


@pytest.mark.parametrize("name", SEED_FILES)
def test_seed_scenarios_give_every_name_in_english(name):
    """The scenario, every resource, metric, sector, area, project, rule, objective stage and check of the four
    seed scenarios (and of each variant, which renames the scenario and some rules) has a `name_en`."""
    path = SCENARIOS / name
    for variant in ["", *_variants_of(path)]:
        assert _missing_name_en(path, (variant,) if variant else ()) == [], (name, variant)


@pytest.mark.parametrize("name", SEED_FILES)
def test_english_report_of_a_seed_scenario_has_no_chinese_names(name):
    """No area, resource, rule, stage, check or project is shown in Chinese in the English report: what stays
    Chinese is the region, the description, the source line, the seed's words quoted in the rules' source
    column, the units as written and the quoted seed term 标准地."""
    found = _chinese_in_english_report(solved(SCENARIOS / name))
    assert found == [], found[:10]
