"""`landopt template` (issue 14, part 3): workbooks a bureau fills in.

A blank template (one sheet per table section, Chinese headers with units that `landopt.input.tables`
reads back, drop-downs, a frozen header, an example row, the 说明 sheet) and its YAML stub, read back as a
scenario; a template filled from a scenario whose YAML exports the same LP file, byte for byte, for every
scenario of scenarios/ (teaching ones included) and each variant; clean errors (exit code 2, both
languages) for a missing openpyxl, an OUT that is not .xlsx or an output onto an input; atomic writes.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import landopt
import landopt.cli
from landopt.cli import cli
from landopt.i18n.help import width
from landopt.input import tables
from landopt.input import template as T
from landopt.input.reader import parse_text
from support import SCENARIOS


def _run(*args: str, lang: str = "en"):
    r = CliRunner().invoke(cli, [*args, "--lang", lang], catch_exceptions=True)
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r.exit_code, r.output


def _export(path: Path, out: Path, *more: str) -> bytes:
    code, text = _run("export", str(path), "--lp", str(out), *more)
    assert code == 0, text
    return out.read_bytes()


def _header(ws) -> list[str]:
    return [c.value for c in ws[1]]


def _validations(ws) -> dict[str, object]:
    """Column letter -> its data validation."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            out[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    return out


def _names(yaml_path: Path):
    tree, _ = parse_text(yaml_path.read_text(encoding="utf-8"), str(yaml_path))
    return T._header_reader(tree)


# ------------------------------------------------------------------ the blank template
@pytest.fixture
def blank(tmp_path):
    code, out = _run("template", str(tmp_path / "parks.xlsx"), "--yaml", str(tmp_path / "parks.yaml"))
    assert code == 0, out
    assert "parks.xlsx" in out and "parks.yaml" in out
    return tmp_path


def test_blank_template_sheets_headers_and_widths(blank):
    wb = openpyxl.load_workbook(blank / "parks.xlsx")
    assert wb.sheetnames == ["说明", *(T.sheet_name(s) for s in tables.SECTIONS)]
    assert T.sheet_name("areas") == "片区" and T.sheet_name("sectors") == "行业"
    areas, sectors = _header(wb["片区"]), _header(wb["行业"])
    assert areas[0] == sectors[0] == "编号"
    assert {"名称", "角色", "可开发用地(亩)", "允许行业", "现状用地(亩)", "现状税收(万元)", "退出"} <= set(areas)
    assert {"名称", "亩均税收(万元/亩)", "亩均用能(tce/亩)", "用地需求(亩)", "仅限项目", "达产进度"} <= set(sectors)
    reads = _names(blank / "parks.yaml")
    for section in tables.SECTIONS:
        ws = wb[T.sheet_name(section)]
        assert ws.freeze_panes == "B2"
        for c, head in enumerate(_header(ws), start=1):
            path, _unit = reads(head, section)
            assert path is not None and path[0] in ("id", *tables.KEYS[section]), head
            letter = openpyxl.utils.get_column_letter(c)
            assert ws.column_dimensions[letter].width >= width(head), head  # wide enough for its Chinese header
        example = [c.value for c in ws[2]]
        assert ws.max_row == 2 and example[0], example  # one example row
    notes = wb["说明"]
    text = "\n".join(str(c.value) for row in notes.iter_rows() for c in row if c.value)
    assert "每张工作表是情景的一张表" in text and "Each sheet is one table of the scenario" in text
    assert "可开发用地(亩)" in text and "developable new land" in text  # the columns, in both languages


def test_blank_template_validations(blank):
    wb = openpyxl.load_workbook(blank / "parks.xlsx")
    areas = wb["片区"]
    head = _header(areas)
    dv = _validations(areas)
    col = {h: openpyxl.utils.get_column_letter(k) for k, h in enumerate(head, start=1)}
    assert dv[col["角色"]].type == "list" and dv[col["角色"]].formula1 == '"main,sub,linked,outside"'
    assert dv[col["退出"]].formula1 == '"candidate,required"'
    assert dv[col["允许行业"]].formula1.startswith("'行业'!$A$2")  # the ids of the sectors sheet
    assert dv[col["允许行业"]].errorStyle == "information"  # several, separated by 、
    assert dv[col["编号"]].type == "custom" and "COUNTIF" in dv[col["编号"]].formula1
    assert dv[col["可开发用地(亩)"]].type == "decimal" and dv[col["可开发用地(亩)"]].operator == "greaterThanOrEqual"
    assert "角色" in dv[col["角色"]].promptTitle and "main" in dv[col["角色"]].prompt
    sectors = wb["行业"]
    col = {h: openpyxl.utils.get_column_letter(k) for k, h in enumerate(_header(sectors), start=1)}
    assert _validations(sectors)[col["仅限项目"]].formula1 == '"是,否"'  # yes/no


def test_blank_template_reads_back_as_a_scenario_once_filled(blank):
    f = blank / "parks.yaml"
    text = f.read_text(encoding="utf-8")
    assert "areas: {from: parks.xlsx, sheet: 片区}" in text and "sectors: {from: parks.xlsx, sheet: 行业}" in text
    sc = landopt.load(f)  # the example rows as they are
    assert set(sc.spec.areas) == {"core"} and set(sc.spec.sectors) == {"chip"}
    wb = openpyxl.load_workbook(blank / "parks.xlsx")
    areas, sectors = wb["片区"], wb["行业"]
    a = {h: k for k, h in enumerate(_header(areas), start=1)}
    s = {h: k for k, h in enumerate(_header(sectors), start=1)}
    areas.cell(2, a["可开发用地(亩)"], 250)  # the example row, changed
    for key, v in {"编号": "east", "名称": "东片区", "角色": "sub", "可开发用地(亩)": "8 ha",
                   "允许行业": "chip、textile", "现状用地(亩)": 2000, "现状税收(万元)": "3.6 亿元"}.items():
        areas.cell(3, a[key], v)
    for key, v in {"编号": "textile", "名称": "纺织", "亩均税收(万元/亩)": 12, "亩均用能(tce/亩)": 10,
                   "仅限项目": False, "标签": "传统、industrial"}.items():
        sectors.cell(3, s[key], v)
    wb.save(blank / "parks.xlsx")
    sc = landopt.load(f)
    plain = sc.composed.plain()
    east = {"name": "东片区", "role": "sub", "capacity": "8 ha", "sectors": ["chip", "textile"],
            "existing": {"land": "2000 亩", "tax": "3.6 亿元"}}
    assert plain["areas"]["east"] == east
    assert plain["areas"]["core"]["capacity"] == "250 亩"
    assert plain["sectors"]["textile"]["tags"] == ["传统", "industrial"]
    assert sc.spec.areas["east"].capacity == pytest.approx(120.0)  # 8 ha in mu
    res = sc.solve()
    assert res.ok
    code, out = _run("validate", str(f))
    assert code == 0, out


def test_the_stub_is_printed_without_yaml(tmp_path):
    r = CliRunner().invoke(cli, ["template", str(tmp_path / "t.xlsx"), "--lang", "zh"])
    assert r.exit_code == 0, r.output
    assert "areas: {from: t.xlsx, sheet: 片区}" in r.stdout and "version: 1" in r.stdout
    assert "已写出" in r.stderr and "t.xlsx" in r.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]
    (tmp_path / "t.yaml").write_text(r.stdout, encoding="utf-8")
    assert landopt.load(tmp_path / "t.yaml").solve().ok


# ------------------------------------------------------------------ from a scenario
MULTI = """version: 1
scenario: {name: 多年示例, years: 2024..2026}
resources:
  land: {unit: mu, budget: {2024: 100, 2025: 100, 2026: 100}}
  energy: {name: 新增用能指标, unit: tce, budget: 9000}
metrics:
  tax: {name: 税收 (含地方留成), unit: 万元}
sectors:
  chip: {name: 集成电路, per_mu: {tax: 40.123456789012345, energy: 15}, max_land: 300, ramp: [0.3, 0.7, 1.0],
         tags: [高新, "2024"]}
  textile: {name: 纺织, per_mu: {tax: 12, energy: 10}, projects_only: false}
areas:
  core: {name: 核心区, role: main, capacity: 350, sectors: [chip, textile], note: "=1+1", tags: [省级],
         existing: {land: 5000, tax: "15 亿元", by_sector: {textile: {land: 800, tax: 9000}}}, renewal: {textile: 200}}
  east: {name: 东片区, role: sub, capacity: "20 ha", tags: [省级, 新区]}
rules:
  - {id: tilt, kind: share, metric: land, part: {role: main}, min: 0.6, where: {area_tag: [省级], sector_tag: 高新}}
objective: {maximize: tax}
variants:
  tight: {resources: {energy: {budget: 5000}}, areas: {east: null}}
"""


@pytest.fixture
def multi(tmp_path):
    f = tmp_path / "multi.yaml"
    f.write_text(MULTI, encoding="utf-8")
    code, out = _run("template", str(tmp_path / "out" / "book.xlsx"), "--from", str(f))
    assert code == 0, out
    return f, tmp_path / "out" / "book.xlsx", tmp_path / "out" / "book.yaml"


def test_from_fills_the_sheets_as_the_reader_reads_them(multi):
    f, book, _y = multi
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames[0] == "说明" and {"片区", "行业"} <= set(wb.sheetnames)
    rows = {ws.title: [dict(zip(_header(ws), (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
            for ws in wb.worksheets[1:]}
    chip, textile = rows["行业"]
    assert chip["编号"] == "chip" and chip["达产进度"] == "0.3、0.7、1.0"
    assert chip["亩均税收(万元/亩)"] == repr(40.123456789012345)  # more digits than openpyxl writes: its exact text
    assert chip["标签"] == "[高新, '2024']"  # 2024 would read as a number: the list as YAML
    assert textile["亩均用能(tce/亩)"] == 10 and textile["仅限项目"] == "否"
    core, east = rows["片区"]
    assert core["允许行业"] == "chip、textile" and core["现状税收(万元)"] == "15 亿元" and core["现状用地(亩)"] == 5000
    assert core["existing.by_sector.textile.land(亩)"] == 800  # no Chinese name: the dotted key, with its unit
    assert core["可改造纺织(亩)"] == 200  # the sector's name, from the 行业 sheet read before this one
    assert core["备注"] == "=1+1"  # text, not a formula (below)
    assert east["可开发用地(亩)"] == "20 ha" and east["标签"] == "省级、新区"
    for ws in wb.worksheets[1:]:
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # no formula anywhere
    dv = _validations(wb["片区"])
    col = {h: openpyxl.utils.get_column_letter(k) for k, h in enumerate(_header(wb["片区"]), start=1)}
    assert dv[col["标签"]].formula1 == '"省级,新区"'  # the scenario's area tags
    notes = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert str(f) in notes and "renewal.textile" in notes


def test_from_writes_the_rest_of_the_scenario_beside_the_workbook(multi):
    f, book, y = multi
    text = y.read_text(encoding="utf-8")
    assert "sectors: {from: book.xlsx, sheet: 行业}" in text and "areas: {from: book.xlsx, sheet: 片区}" in text
    assert "rules:" in text and "variants:" in text and "objective:" in text and "核心区" not in text
    assert _export(f, book.parent / "a.lp") == _export(y, book.parent / "b.lp")
    tight = ("--variant", "tight")
    assert _export(f, book.parent / "a.lp", *tight) == _export(y, book.parent / "b.lp", *tight)


def test_from_with_a_variant_applies_it_and_keeps_no_variants(multi, tmp_path):
    f, _book, _y = multi
    code, out = _run("template", str(tmp_path / "tight.xlsx"), "--from", str(f), "--variant", "tight")
    assert code == 0, out
    text = (tmp_path / "tight.yaml").read_text(encoding="utf-8")
    assert "variants:" not in text and "tight" in text.splitlines()[0]
    assert set(landopt.load(tmp_path / "tight.yaml").spec.areas) == {"core"}
    assert _export(f, tmp_path / "a.lp", "--variant", "tight") == _export(tmp_path / "tight.yaml", tmp_path / "b.lp")


def test_cells_say_what_the_reader_reads_back():
    assert T.cell("resources", ("budget",), {2024: 100, 2025: 120.5}) == "{2024: 100, 2025: 120.5}"  # a year map
    assert T.cell("areas", ("sectors",), ["chip", "textile"]) == "chip、textile"
    assert T.cell("areas", ("sectors",), ["a,b"]) == "['a,b']"
    assert T.cell("sectors", ("ramp",), [0.3, 1.0, 1]) == "0.3、1.0、1"
    assert T.cell("areas", ("tags",), []) == "[]"
    assert T.cell("areas", ("capacity",), 0.1) == 0.1
    assert T.cell("areas", ("capacity",), 0.1 + 0.2) == "0.30000000000000004"  # 17 digits: the exact text
    assert T.cell("areas", ("name",), 2024) == "2024" and T.cell("sectors", ("projects_only",), True) == "是"


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_without_openpyxl_names_the_extra(tmp_path, monkeypatch, lang):
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    code, out = _run("template", str(tmp_path / "t.xlsx"), "--yaml", str(tmp_path / "t.yaml"), lang=lang)
    assert code == 2 and "pip install 'landopt[tables]'" in out and "openpyxl" in out
    assert ("写出工作簿" if lang == "zh" else "writing the workbook") in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("args", "words"), [
    (["t.csv"], {"en": "name it with .xlsx, e.g. t.xlsx", "zh": "文件名须以 .xlsx 结尾, 例如 t.xlsx"}),
    (["t.xls"], {"en": "name it with .xlsx", "zh": ".xlsx 结尾"}),
    (["t.xlsx", "--yaml", "t.txt"], {"en": "--yaml t.txt", "zh": "--yaml t.txt"}),
    (["t.xlsx", "--variant", "tight"], {"en": "--variant needs --from", "zh": "--variant 须与 --from 同用"}),
])
def test_usage_errors_exit_2_in_both_languages(tmp_path, monkeypatch, lang, args, words):
    monkeypatch.chdir(tmp_path)
    code, out = _run("template", *args, lang=lang)
    assert code == 2 and words[lang] in out, out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_output_onto_an_input_is_refused(tmp_path, monkeypatch, lang):
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text(MULTI, encoding="utf-8")
    before = Path("s.yaml").read_bytes()
    code, out = _run("template", "s.xlsx", "--from", "s.yaml", lang=lang)  # OUT.yaml would be s.yaml itself
    assert code == 2 and "--yaml s.tables.yaml" in out and Path("s.yaml").read_bytes() == before
    assert not Path("s.xlsx").exists()
    code, out = _run("template", "t.xlsx", "--from", "s.yaml")
    assert code == 0, out
    code, out = _run("template", "t.xlsx", "--from", "t.yaml", "--yaml", "u.yaml", lang=lang)  # t.xlsx is read
    assert code == 2 and "t.template.xlsx" in out and ("from:" in out)


def test_outputs_are_written_atomically(tmp_path, monkeypatch):
    written = []
    real = landopt.cli.write_atomic
    monkeypatch.setattr(landopt.cli, "write_atomic", lambda path, data: written.append(Path(path)) or real(path, data))
    code, out = _run("template", str(tmp_path / "t.xlsx"), "--yaml", str(tmp_path / "t.yaml"))
    assert code == 0 and written == [tmp_path / "t.xlsx", tmp_path / "t.yaml"]
    old = (tmp_path / "t.xlsx").read_bytes()

    def fail(src, dst):
        msg = "disk full"
        raise OSError(msg)

    monkeypatch.setattr(os, "replace", fail)
    code, out = _run("template", str(tmp_path / "t.xlsx"), "--yaml", str(tmp_path / "t.yaml"))
    assert code == 1 and "disk full" in out
    assert (tmp_path / "t.xlsx").read_bytes() == old  # the file is whole: the old one, not half a new one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx", "t.yaml"]  # no temporary file left


# ------------------------------------------------------------------ the round trip
def _cases() -> list[tuple[str, str | None]]:
    files = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "teaching").glob("*.yaml"))
    out: list[tuple[str, str | None]] = []
    for f in files:
        rel = str(f.relative_to(SCENARIOS))
        out += [(rel, None), *((rel, v) for v in landopt.load(f).variants)]
    return out


@pytest.fixture(scope="module")
def copied(tmp_path_factory):
    base = tmp_path_factory.mktemp("template")
    shutil.copytree(SCENARIOS, base / "scenarios")
    return base / "scenarios"


@pytest.mark.slow
@pytest.mark.parametrize(("name", "variant"), _cases(), ids=lambda v: str(v))
def test_scenarios_through_a_template_export_the_same_lp(copied, name, variant):
    """YAML -> `landopt template --from` -> the YAML it writes and the workbook -> `landopt export --lp`: the
    same file as the original's, byte for byte; with --variant the template applies it (and keeps no variants),
    without it the written YAML keeps the variants, which then apply over the workbook's tables."""
    f = copied / name
    stem = f"{f.stem}.{variant or 'base'}"
    book = f.parent / "templates" / f"{stem}.xlsx"
    code, out = _run("template", str(book), "--from", str(f), *(["--variant", variant] if variant else []))
    assert code == 0, out
    assert "from: " in book.with_suffix(".yaml").read_text(encoding="utf-8")
    more = ("--variant", variant) if variant else ()
    original = _export(f, book.with_suffix(".orig.lp"), *more)
    assert original == _export(book.with_suffix(".yaml"), book.with_suffix(".lp")), "template --from"
    if variant:
        base = f.parent / "templates" / f"{f.stem}.base.yaml"
        if not base.exists():
            assert _run("template", str(base.with_suffix(".xlsx")), "--from", str(f))[0] == 0
        assert original == _export(base, book.with_suffix(".v.lp"), *more), "a variant over the tables"
