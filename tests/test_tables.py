"""Tables in a scenario (issue 14, part 1): `resources`, `sectors`, `areas` and `projects` from a CSV file
or an xlsx sheet.

What a table means (the same tree as the YAML it replaces, merged under the file's own entries), every
located problem of a table on CSV and xlsx, in both languages and all at once, and the round trip: each
scenario of scenarios/ (teaching ones included) with its resources, sectors, areas and projects written to
CSV tables exports a byte-identical LP.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import landopt
from landopt.cli import cli
from landopt.errors import InputError
from landopt.input import schema, tables
from landopt.input.reader import load_file, to_plain
from landopt.input.tables_out import write_csv
from support import REPO, SCENARIOS, scenario_files

HEAD = """version: 1
scenario: {name: 表格示例}
resources:
  land: {unit: mu, budget: 500}
  energy: {unit: tce, budget: 6000}
metrics:
  tax: {name: 税收, unit: 万元}
sectors:
  chip: {name: 集成电路, per_mu: {tax: 40, energy: 15}, max_land: 300}
  textile: {name: 纺织, per_mu: {tax: 12, energy: 10}}
objective: {maximize: tax}
"""
YAML_AREAS = """areas:
  core: {name: 核心区, role: main, capacity: 350, sectors: [chip, textile], existing: {land: 5000, tax: 150000}}
  east: {name: 东片区, role: sub, capacity: 300, existing: {land: 2000, tax: 36000,
         by_sector: {textile: {land: 800, tax: 9000}}}}
"""
CSV_AREAS = ("浦江示例县 园区现状表,,,,,,,\n"  # a title row above the header
             "编号,名称,角色,可开发用地(亩),允许行业,现状用地,现状税收(万元),existing.by_sector.textile.land\n"
             "core,核心区,main,350,\"chip, textile\",\"5,000\",\"150,000\",\n"
             ",,,,,,,\n"  # an empty row
             "east,东片区,sub,\uff13\uff10\uff10,,2000,36000,800\n")  # 300 in full-width digits


def _run(args: list[str]):
    r = CliRunner().invoke(cli, args, catch_exceptions=True)
    assert "Traceback" not in r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r.exit_code, r.output


def _scenario(tmp_path: Path, areas: str, csv_text: str | None = None, name: str = "parks.csv",
              encoding: str = "utf-8") -> Path:
    if csv_text is not None:
        (tmp_path / name).write_bytes(csv_text.encode(encoding))
    f = tmp_path / "s.yaml"
    f.write_text(HEAD + areas, encoding="utf-8")
    return f


def _at(mark) -> str:
    """A place as shown, without the folder (tables outside the current folder are named by full path)."""
    return str(mark).rsplit("/", 1)[-1]


def _issues(path: Path, sets: tuple[str, ...] = ()) -> list:
    with pytest.raises(InputError) as e:
        landopt.load(path, sets=sets)
    return e.value.issues


def _export(path: Path, out: Path, *more: str) -> bytes:
    code, text = _run(["export", str(path), "--lp", str(out), *more])
    assert code == 0, text
    return out.read_bytes()


# ------------------------------------------------------------------ meaning
SCHEMA = {"resources": schema.RESOURCE, "sectors": schema.SECTOR, "areas": schema.AREA, "projects": schema.PROJECT}


def _kind(t) -> str:
    """How a table's cell under a key of this schema type is read (the sets of landopt.input.tables)."""
    if isinstance(t, schema.Word):
        return "text"
    if isinstance(t, schema.Scalar):
        return {"quantity": "quantity", "year_quantity": "quantity", "ids": "list"}.get(t.how, t.how)
    if isinstance(t, schema.MapOf):
        return _kind(t.value)
    if isinstance(t, schema.ListOf):
        return "list"
    assert isinstance(t, schema.Record), t
    kinds = {_kind(k.type) for k in t.section.keys.values() if isinstance(k.type, schema.Scalar)}
    kinds |= {_kind(t.section.extra)} if t.section.extra else set()
    assert len(kinds) == 1, (t, kinds)  # existing (quantities), sites (lists of ids)
    return kinds.pop()


def test_table_keys_are_the_schema_keys():
    assert set(tables.SECTIONS) == set(SCHEMA) == set(tables.KEYS) == set(tables.HEADERS) == set(tables.PREFIXES)
    sets = {"text": tables.TEXT_KEYS, "list": tables.LIST_KEYS, "quantity": tables.QUANTITY_KEYS,
            "number": tables.NUMBER_KEYS, "flag": tables.FLAG_KEYS, "year": tables.YEAR_KEYS}
    for section, sec in SCHEMA.items():
        assert tables.KEYS[section] == tuple(sec.keys), section
        for key, spec in sec.keys.items():  # each key is read as its type says
            assert {k for k, keys in sets.items() if key in keys} == {_kind(spec.type)}, (section, key)
        for key in tables.HEADERS[section]:  # Chinese headers name keys (dotted: a key of a nested section)
            top, *rest = key.split(".")
            assert top in sec.keys and (not rest or rest[0] in sec.keys[top].type.section.keys), key
        for key in [*tables.PREFIXES[section].values(), *([tables.YEAR_MAPS[section]] if section in
                                                         tables.YEAR_MAPS else [])]:
            assert key in sec.keys, key


def test_a_csv_table_means_what_the_yaml_means(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = _scenario(tmp_path / "a", YAML_AREAS)
    b = _scenario(tmp_path / "b", "areas: {from: parks.csv}\n", CSV_AREAS)
    yaml_areas = landopt.load(a).composed.plain()["areas"]
    table_areas = landopt.load(b).composed.plain()["areas"]
    # a header's unit makes a quantity of a plain number; 5,000 and full-width 300 are the numbers they show
    assert table_areas["core"]["existing"]["tax"] == "150000 万元" and table_areas["east"]["capacity"] == "300 亩"
    for t, y in ((table_areas, yaml_areas),):
        for rid in ("core", "east"):
            t[rid]["existing"]["tax"] = y[rid]["existing"]["tax"] = t[rid]["capacity"] = y[rid]["capacity"] = None
    del yaml_areas["east"]["existing"]["by_sector"]["textile"]["tax"]
    assert table_areas == yaml_areas
    assert _export(a, tmp_path / "a.lp") == _export(b, tmp_path / "b.lp")


def test_yaml_entries_win_over_the_table_and_add_rows(tmp_path):
    f = _scenario(tmp_path, "areas:\n  from: parks.csv\n  core: {capacity: 200}\n  east: null\n"
                            "  west: {role: outside, capacity: 10}\n", CSV_AREAS)
    areas = landopt.load(f).composed.plain()["areas"]
    assert areas["core"]["capacity"] == 200 and areas["core"]["name"] == "核心区"
    assert "east" not in areas and areas["west"]["role"] == "outside"


def test_set_and_variants_address_table_rows_by_id(tmp_path):
    f = _scenario(tmp_path, "areas: {from: parks.csv}\nvariants:\n  small: {areas: {east: {capacity: 50}}}\n",
                  CSV_AREAS)
    sc = landopt.load(f, sets=("areas.core.capacity=500",))
    assert sc.composed.plain()["areas"]["core"]["capacity"] == 500
    assert landopt.load(f, "small").composed.plain()["areas"]["east"]["capacity"] == 50
    issues = _issues(f, ("areas.cor.capacity=500",))
    assert issues[0].code == "set_path_missing" and issues[0].suggest == "core"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_encodings(tmp_path, encoding):
    f = _scenario(tmp_path, "areas: {from: parks.csv}\n", CSV_AREAS, encoding=encoding)
    assert landopt.load(f).composed.plain()["areas"]["core"]["name"] == "核心区"


def test_sectors_from_a_table_with_chinese_headers_and_lists(tmp_path):
    (tmp_path / "sectors.csv").write_text(
        "代码,行业名称,标签,亩均税收(万元/亩),per_mu.energy,用地需求,达产进度\n"
        "chip,集成电路,\"high_tech、industrial\",40,15,300,\"0.5, 1\"\n"
        "textile,纺织,traditional,12,10,,\n", encoding="utf-8")
    text = HEAD.replace("sectors:\n  chip: {name: 集成电路, per_mu: {tax: 40, energy: 15}, max_land: 300}\n"
                        "  textile: {name: 纺织, per_mu: {tax: 12, energy: 10}}\n", "sectors: {from: sectors.csv}\n")
    f = tmp_path / "s.yaml"
    f.write_text(text + YAML_AREAS, encoding="utf-8")
    sectors = landopt.load(f).composed.plain()["sectors"]
    assert sectors["chip"] == {"name": "集成电路", "tags": ["high_tech", "industrial"], "per_mu": {
        "tax": "40 万元/亩", "energy": 15}, "max_land": 300, "ramp": [0.5, 1]}
    assert sectors["textile"]["tags"] == ["traditional"]


def test_the_table_is_read_relative_to_the_yaml_that_names_it(tmp_path, monkeypatch):
    (tmp_path / "data").mkdir()
    f = _scenario(tmp_path, "areas: {from: data/parks.csv}\n", CSV_AREAS, name="data/parks.csv")
    monkeypatch.chdir(REPO)
    assert set(landopt.load(f).composed.plain()["areas"]) == {"core", "east"}


def test_renewal_columns_by_key_and_by_a_name_from_a_sectors_table(tmp_path):
    """`renewal.<sector>` and `可改造<name>`, where the name is given by the sectors table (read before areas)."""
    (tmp_path / "sectors.csv").write_text("id,name,per_mu.tax,per_mu.energy\nchip,集成电路,40,15\n"
                                          "textile,纺织,12,10\n", encoding="utf-8")
    (tmp_path / "parks.csv").write_text(
        "编号,角色,可开发用地,现状用地,existing.by_sector.textile.land,existing.by_sector.chip.land,"
        "可改造纺织(亩),renewal.chip\n"
        "core,main,350,5000,,500,,100\neast,sub,300,2000,800,,300,\n", encoding="utf-8")
    sectors = ("sectors:\n  chip: {name: 集成电路, per_mu: {tax: 40, energy: 15}, max_land: 300}\n"
               "  textile: {name: 纺织, per_mu: {tax: 12, energy: 10}}\n")
    years = ("scenario: {name: 表格示例}", "scenario: {name: 表格示例, years: [2024, 2025]}")
    text = HEAD.replace(sectors, "sectors: {from: sectors.csv}\n").replace(*years)
    f = tmp_path / "s.yaml"
    f.write_text(text + "areas: {from: parks.csv}\n", encoding="utf-8")
    areas = landopt.load(f).composed.plain()["areas"]
    assert areas["core"]["renewal"] == {"chip": 100} and areas["east"]["renewal"] == {"textile": "300 亩"}
    (tmp_path / "y").mkdir()
    y = tmp_path / "y" / "s.yaml"
    y.write_text(HEAD.replace(sectors, sectors.replace(", max_land: 300", "")).replace(*years)
        + "areas:\n  core: {role: main, capacity: 350, existing: {land: 5000, by_sector: {chip: {land: 500}}},"
          " renewal: {chip: 100}}\n"
          "  east: {role: sub, capacity: 300, existing: {land: 2000, by_sector: {textile: {land: 800}}},"
          " renewal: {textile: 300}}\n", encoding="utf-8")
    assert _export(f, tmp_path / "t.lp") == _export(y, tmp_path / "y.lp")
    assert b"r(" in (tmp_path / "t.lp").read_bytes()  # the renewal columns are in the model


MULTI_RESOURCES = """resources:
  land: {name: 新增建设用地指标, unit: mu, budget: {2024: 100, 2025: 120}}
  energy: {name: 新增用能指标, unit: tce, budget: 6000, reclaim: 0.5}
"""
MULTI = """version: 1
scenario: {name: 项目库示例, years: [2024, 2025]}
""" + MULTI_RESOURCES + """metrics:
  tax: {name: 税收, unit: 万元}
  investment: {name: 投资, unit: 万元}
sectors:
  chip: {name: 集成电路, per_mu: {tax: 40, energy: 15}, projects_only: true}
  textile: {name: 纺织, per_mu: {tax: 12, energy: 10}}
areas:
  core: {name: 核心区, role: main, capacity: 350}
  east: {name: 东片区, role: sub, capacity: 300}
objective: {maximize: tax}
"""
YAML_PROJECTS = """projects:
  p01: {name: 晶圆厂, sector: chip, land: 40 亩, per_mu: {tax: 80, investment: 400}, sites: {area: [core, east]},
        year: 2025, must: true}
  p02: {name: 封测厂, sector: chip, land: 35 亩, per_mu: {tax: 60}, sites: {role: [main]}, must: false}
  p03: {name: 纺织厂, sector: textile, land: 30 亩, per_mu: {tax: 12, energy: 4}, ramp: [0.5, 1]}
"""
CSV_PROJECTS = ("浦江示例县 招商项目库,,,,,,,,,,,\n"
                "编号,项目名称,所属行业,用地面积(亩),亩均税收,亩均投资,per_mu.energy,可选址片区,sites.role,最早开工年份,"
                "必须落地,达产进度\n"
                "p01,晶圆厂,集成电路,40,80,400,,\"核心区、east\",,2025年,是,\n"  # names for ids: 集成电路, 核心区
                "p02,封测厂,chip,35,60,,,,main,,否,\n"
                "p03,纺织厂,纺织,30,12,,4,,,,,\"0.5, 1\"\n")


def test_projects_from_a_bureau_table_mean_what_the_yaml_means(tmp_path):
    (tmp_path / "y").mkdir()
    y = tmp_path / "y" / "s.yaml"
    y.write_text(MULTI + YAML_PROJECTS, encoding="utf-8")
    (tmp_path / "项目库.csv").write_text(CSV_PROJECTS, encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_text(MULTI + "projects: {from: 项目库.csv, p02: {land: 36}}\n", encoding="utf-8")
    table = landopt.load(f).composed.plain()["projects"]
    expected = landopt.load(y).composed.plain()["projects"]
    assert table["p01"] == expected["p01"]  # 2025年 is 2025, 是 is true, the names are the ids
    assert table["p02"]["land"] == 36  # the YAML wins
    table["p02"]["land"] = "35 亩"
    assert table == expected
    assert _export(f, tmp_path / "t.lp", "--set", "projects.p02.land=35") == _export(y, tmp_path / "y.lp")
    sc = landopt.load(f)
    assert sc.is_mip


@pytest.mark.parametrize("years", [("budget.2024", "2025年(亩)"), ("2024", "预算2025"), ("2024年预算", "budget.2025")])
def test_resources_from_a_table_with_a_column_per_year(tmp_path, years):
    (tmp_path / "res.csv").write_text(
        f"编号,资源名称,单位,预算,{years[0]},{years[1]},返还比例,估计值\n"
        "land,新增建设用地指标,mu,,100,120,,否\n"  # a year map
        "energy,新增用能指标,tce,6000,,,0.5,\n",  # one budget for every year, beside it
        encoding="utf-8")
    f = tmp_path / "s.yaml"
    text = MULTI.replace(MULTI_RESOURCES, "resources: {from: res.csv}\n")
    f.write_text(text + YAML_PROJECTS, encoding="utf-8")
    resources = landopt.load(f).composed.plain()["resources"]
    land = {2024: 100, 2025: "120 亩" if "(亩)" in years[1] else 120}
    assert resources == {"land": {"name": "新增建设用地指标", "unit": "mu", "budget": land, "estimate": False},
                         "energy": {"name": "新增用能指标", "unit": "tce", "budget": 6000, "reclaim": 0.5}}
    (tmp_path / "y").mkdir()
    y = tmp_path / "y" / "s.yaml"
    y.write_text(MULTI + YAML_PROJECTS, encoding="utf-8")
    assert _export(f, tmp_path / "t.lp") == _export(y, tmp_path / "y.lp")
    # a year of the table's map is addressed as in YAML: the year is a number there too
    f.write_text(text.replace("resources: {from: res.csv}", "resources: {from: res.csv, land: {budget: {2025: 130}}}")
                 + YAML_PROJECTS, encoding="utf-8")
    assert landopt.load(f).composed.plain()["resources"]["land"]["budget"] == {2024: 100, 2025: 130}
    sc = landopt.load(f, sets=("resources.land.budget.2024=90",))
    assert sc.composed.plain()["resources"]["land"]["budget"] == {2024: 90, 2025: 130}


def test_a_name_two_sectors_share_stands_for_neither(tmp_path):
    (tmp_path / "p.csv").write_text("id,sector,land\np01,电子,10\n", encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_text(MULTI.replace("集成电路", "电子").replace("纺织", "电子") + "projects: {from: p.csv}\n",
                 encoding="utf-8")
    assert any(i.code == "unknown_id" and i.path == "projects.p01.sector" and _at(i.mark) == "p.csv:2:B"
               for i in _issues(f))


# ------------------------------------------------------------------ located errors, CSV
BAD_CSV = ("编号,名称,角色,可开发用地,现状税收,rol\n"
           "core,核心区,main,n/a,150000,x\n")


def test_csv_problems_are_located_at_the_cell_with_the_yaml_problems(tmp_path):
    f = _scenario(tmp_path, "areas: {from: parks.csv}\n",
                  "编号,名称,角色,可开发用地,现状税收(万元)\ncore,核心区,main,n/a,\"1,5\"\neast,东片区,sub,—,36000\n")
    f.write_text(f.read_text(encoding="utf-8").replace("budget: 500", "budget: lots"), encoding="utf-8")
    issues = _issues(f)
    got = {(i.code, _at(i.mark)) for i in issues}
    assert ("table_not_number", "parks.csv:2:D") in got
    assert ("table_not_number", "parks.csv:2:E") in got  # 1,5 is no thousands grouping
    assert ("table_not_number", "parks.csv:3:D") in got
    assert any(i.code != "table_not_number" and "s.yaml" in str(i.mark) for i in issues)  # the YAML's, too
    code, out = _run(["validate", str(f)])
    assert code == 2 and "parks.csv:2:D areas.core.capacity: 'n/a' is not a number" in out, out
    code, out = _run(["validate", str(f), "--lang", "zh"])
    assert code == 2 and "parks.csv:2:D areas.core.capacity: 'n/a' 不是数值" in out


@pytest.mark.parametrize(("text", "code", "where", "suggest"), [
    ("编号,名称,角色,现状税收x\ncore,a,main,1\n", "table_header_unknown", "parks.csv:1:D", "现状税收"),
    ("编号,名称,role\ncore,a,main\n", None, None, None),
    ("名称,角色\na,main\n", "table_no_id", "parks.csv:1:A", None),
    ("编号,角色\ncore,main\ncore,sub\n", "table_duplicate_id", "parks.csv:3:A", None),
    ("编号,角色\ncore,main\n,sub\n", "table_row_no_id", "parks.csv:3:A", None),
    ("编号,角色,role\ncore,main,main\n", "table_duplicate_column", "parks.csv:1:C", None),
    ("编号,角色,可开发用地(斤)\ncore,main,1\n", "table_header_unit", "parks.csv:1:C", None),
    ("编号,角色(亩)\ncore,main\n", "table_header_unit_not_here", "parks.csv:1:B", None),
    (",,\n,,\n", "table_empty", "s.yaml", None),
])
def test_csv_shape_problems(tmp_path, text, code, where, suggest):
    f = _scenario(tmp_path, "areas: {from: parks.csv}\n", text)
    if code is None:
        landopt.load(f)  # a header alone is an empty section: the schema's problem, if any
        return
    issues = _issues(f)
    issue = next(i for i in issues if i.code == code)
    assert _at(issue.mark).startswith(where), issue.format()
    assert issue.suggest == suggest
    for lang in ("en", "zh"):
        assert len(issue.format(lang).split("; ")) >= 3


def test_every_problem_of_a_table_at_once(tmp_path):
    f = _scenario(tmp_path, "areas: {from: parks.csv}\n",
                  "编号,名称,角色,容量,现状税收\ncore,a,main,1,x\ncore,b,sub,2,y\n")
    codes = sorted(i.code for i in _issues(f))
    assert codes == ["table_duplicate_id", "table_header_unknown", "table_not_number", "table_not_number"]


BAD_PROJECTS = ("浦江示例县 招商项目库,,,,,\n"
                "编号,项目名称,所属行业,用地面积(亩),亩均税手,必须落地\n"  # 亩均税手: a slip for 亩均税收
                "p01,晶圆厂,chip,40,80,是\n"
                "p02,封测厂,chip,35,60,\n"
                "p03,纺织厂,textile,n/a,12,\n"
                "p02,封测厂二期,chip,20,60,\n")


def test_project_table_problems_at_their_cells_in_both_languages(tmp_path):
    (tmp_path / "projects.csv").write_text(BAD_PROJECTS, encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_text(MULTI + "projects: {from: projects.csv}\n", encoding="utf-8")
    issues = {i.code: i for i in _issues(f)}
    assert set(issues) == {"table_header_unknown", "table_not_number", "table_duplicate_id"}  # all at once
    assert _at(issues["table_header_unknown"].mark) == "projects.csv:2:E"
    assert issues["table_header_unknown"].suggest == "亩均税收"
    assert _at(issues["table_duplicate_id"].mark) == "projects.csv:6:A"
    code, out = _run(["validate", str(f)])
    assert code == 2 and "projects.csv:5:D projects.p03.land: 'n/a' is not a number" in out, out
    assert "projects.csv:6:A projects.p02: the id 'p02' is given twice (first in row 4)" in out
    assert "names no key of projects" in out and "did you mean '亩均税收'?" in out
    code, out = _run(["validate", str(f), "--lang", "zh"])
    assert code == 2 and "projects.csv:5:D projects.p03.land: 'n/a' 不是数值" in out, out
    assert "projects.csv:6:A projects.p02: id 'p02' 出现两次 (第一次在第 4 行)" in out
    assert "不对应 projects 的任何键" in out and "是否想写 '亩均税收'?" in out


def test_resource_table_problems_at_their_cells(tmp_path):
    (tmp_path / "res.csv").write_text("id,name,unit,budget,2024,2025年,reclaim,核算方式,estimate\n"
                                      "land,用地,mu,500,100,,一半,flow,\n"  # 500 and 100: budget twice
                                      "energy,用能,tce,,6000,6500,0.5,leve,也许\n", encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_text(MULTI.replace(MULTI_RESOURCES, "resources: {from: res.csv}\n"), encoding="utf-8")
    got = {(i.code, _at(i.mark), i.path) for i in _issues(f)}
    assert got == {("table_value_twice", "res.csv:2:E", "resources.land.budget.2024"),
                   ("table_not_number", "res.csv:2:G", "resources.land.reclaim"),
                   # a problem of a cell leaves the cell out; the rest is checked in the same run
                   ("bad_accounting", "res.csv:3:H", "resources.energy.accounting"),
                   ("wrong_type", "res.csv:3:I", "resources.energy.estimate")}, got
    code, out = _run(["validate", str(f), "--lang", "zh"])
    assert code == 2 and "res.csv:2:E resources.land.budget.2024: 该行两次给出 budget" in out, out


@pytest.mark.parametrize(("areas", "files", "code"), [
    ("areas: {from: nowhere.csv}\n", {}, "table_missing"),
    ("areas: {from: parks.ods}\n", {"parks.ods": b"x"}, "table_kind"),
    ("areas: {from: parks.xls}\n", {"parks.xls": b"x"}, "table_kind"),
    ("areas: {from: parks.csv, sheet: 园区}\n", {"parks.csv": "编号,角色\na,main\n".encode()}, "table_sheet_csv"),
    ("areas: {from: parks.csv}\n", {"parks.csv": b"\xff\xfe\x00\x00\xff"}, "table_unreadable"),
    ("areas: {from: parks.xlsx}\n", {"parks.xlsx": b"not a zip"}, "table_unreadable"),
    ("areas: {from: ../outside.csv}\n", {"../outside.csv": "编号,角色\na,main\n".encode()}, "extends_outside"),
])
def test_file_problems_point_at_from(tmp_path, areas, files, code):
    (tmp_path / "in").mkdir()
    for name, data in files.items():
        (tmp_path / "in" / name).write_bytes(data)
    f = _scenario(tmp_path / "in", areas)
    issue = next(i for i in _issues(f) if i.code == code)
    if issue.mark is not None:  # at the `from:` that names the file
        assert issue.mark.file.endswith("s.yaml") and issue.path in ("areas.from", "areas.sheet"), issue.format()
    else:  # the file itself could not be read: named, with no place inside it
        assert issue.file.endswith(next(iter(files))), issue.format()
    code_, out = _run(["validate", str(f), "--lang", "zh"])
    assert code_ == 2 and issue.format("zh").split("; ")[0].rsplit("/", 1)[-1] in out


# ------------------------------------------------------------------ xlsx
def _workbook(path: Path, rows: list[list], sheet: str = "园区", hidden: tuple[int, ...] = (),
              merge: str | None = None, formulas: dict[str, tuple[str, object]] | None = None) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    wb.add_worksheet("说明").write(0, 0, "填表说明")
    ws = wb.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    for r in hidden:
        ws.set_row(r - 1, None, None, {"hidden": True})
    if merge:
        from xlsxwriter.utility import xl_cell_to_rowcol

        r, c = xl_cell_to_rowcol(merge.split(":")[0])
        ws.merge_range(merge, rows[r][c])
    for cell, (formula, value) in (formulas or {}).items():
        ws.write_formula(cell, formula, None, value)
    wb.close()


XLSX_ROWS = [["浦江示例县 园区现状表"],
             ["编号", "名称", "角色", "可开发用地(亩)", "允许行业", "现状用地", "现状税收(万元)",
              "existing.by_sector.textile.land"],
             ["core", "核心区", "main", 350, "chip, textile", 5000, 150000],
             ["east", "东片区", "sub", 300, None, 2000, None, 800],
             ["ghost", "隐藏", "sub", 1]]


def test_xlsx_sheet_formulas_merged_and_hidden_rows(tmp_path):
    _workbook(tmp_path / "parks.xlsx", XLSX_ROWS, hidden=(5,), merge="A1:H1", formulas={"G4": ("=18000*2", 36000)})
    f = _scenario(tmp_path, "areas: {from: parks.xlsx, sheet: 园区}\n")
    sc = landopt.load(f)
    areas = sc.composed.plain()["areas"]
    assert set(areas) == {"core", "east"}  # the hidden row is skipped; the merged title is not a header
    assert areas["east"]["existing"]["tax"] == "36000 万元"  # the formula's saved value
    notes = {i.code: i for i in sc.warnings if i.code.startswith("table_")}
    assert set(notes) == {"table_formulas_read", "table_hidden_rows"}
    assert "G4" in notes["table_formulas_read"].format() and "5" in notes["table_hidden_rows"].format("zh")
    # by its place (the second sheet), the same table
    f2 = _scenario(tmp_path, "areas: {from: parks.xlsx, sheet: 2}\n")
    assert landopt.load(f2).composed.plain()["areas"] == areas
    # the YAML and the sheet give the same LP
    (tmp_path / "y").mkdir()
    y = _scenario(tmp_path / "y", YAML_AREAS)
    assert _export(f, tmp_path / "x.lp") == _export(y, tmp_path / "y.lp")


def test_xlsx_merged_cells_fill_their_range(tmp_path):
    rows = [["编号", "角色", "可开发用地"], ["core", "sub", 100], ["east", None, 200]]
    _workbook(tmp_path / "parks.xlsx", rows, sheet="Sheet1", merge="B2:B3")
    f = _scenario(tmp_path, "areas: {from: parks.xlsx, sheet: Sheet1}\n")
    areas = landopt.load(f).composed.plain()["areas"]
    assert areas["core"]["role"] == areas["east"]["role"] == "sub"


def test_xlsx_problems_are_located_as_sheet_cells(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "园区"
    rows = (["编号", "角色", "可开发用地", "现状税收"], ["core", "main", "n/a", "=1/0"], ["east", "sub", "#DIV/0!", 5])
    for row in rows:
        ws.append(row)
    wb.save(tmp_path / "parks.xlsx")  # openpyxl saves no values for formulas
    f = _scenario(tmp_path, "areas: {from: parks.xlsx, sheet: 园区}\n")
    got = {(i.code, _at(i.mark)) for i in _issues(f)}
    assert got >= {("table_not_number", "parks.xlsx:园区!C2"), ("table_formula_no_value", "parks.xlsx:园区!D2"),
                   ("table_cell_error", "parks.xlsx:园区!C3")}
    code, out = _run(["validate", str(f), "--lang", "zh"])
    assert code == 2 and "parks.xlsx:园区!C2 areas.core.capacity: 'n/a' 不是数值" in out
    f2 = _scenario(tmp_path, "areas: {from: parks.xlsx, sheet: 园}\n")
    issue = next(i for i in _issues(f2) if i.code == "table_sheet_missing")
    assert issue.suggest == "园区" and issue.path == "areas.sheet"


def test_projects_from_an_xlsx_sheet(tmp_path):
    rows = [["浦江示例县 招商项目库"],
            ["编号", "项目名称", "所属行业", "用地面积(亩)", "亩均税收", "per_mu.energy", "可选址片区", "最早开工年份",
             "必须落地", "达产进度"],
            ["p01", "晶圆厂", "集成电路", 40, 80, None, "核心区、east", 2025, "是"],
            ["p02", "封测厂", "chip", 35, 60, None, None, None, "否"],
            ["p03", "纺织厂", "纺织", "—", 12, 4, None, None, None, "0.5, 1"]]
    _workbook(tmp_path / "项目库.xlsx", rows, sheet="项目库")
    f = tmp_path / "s.yaml"
    f.write_text(MULTI + "projects: {from: 项目库.xlsx, sheet: 项目库}\n", encoding="utf-8")
    issue = next(i for i in _issues(f) if i.code == "table_not_number")
    assert _at(issue.mark) == "项目库.xlsx:项目库!D5" and issue.path == "projects.p03.land"
    code, out = _run(["validate", str(f)])
    assert code == 2 and "项目库.xlsx:项目库!D5 projects.p03.land: '—' is not a number" in out, out
    code, out = _run(["validate", str(f), "--lang", "zh"])
    assert code == 2 and "项目库.xlsx:项目库!D5 projects.p03.land: '—' 不是数值" in out, out
    rows[4][3] = 30
    _workbook(tmp_path / "项目库.xlsx", rows, sheet="项目库")
    projects = landopt.load(f).composed.plain()["projects"]
    assert projects["p01"] == {"name": "晶圆厂", "sector": "chip", "land": "40 亩", "per_mu": {"tax": 80},
                               "sites": {"area": ["core", "east"]}, "year": 2025, "must": True}
    assert projects["p03"]["ramp"] == [0.5, 1] and projects["p03"]["sector"] == "textile"


def test_xlsx_without_openpyxl_names_the_extra(tmp_path, monkeypatch):
    _workbook(tmp_path / "parks.xlsx", XLSX_ROWS)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    f = _scenario(tmp_path, "areas: {from: parks.xlsx}\n")
    code, out = _run(["validate", str(f)])
    assert code == 2 and "pip install 'landopt[tables]'" in out


def test_help_and_the_reader_import_no_table_library():
    code = ("import sys\nfrom landopt.cli import cli\nimport landopt.input.tables\n"
            "try:\n    cli.main(['--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "print(sorted({'pandas', 'pyarrow', 'openpyxl'} & {m.split('.')[0] for m in sys.modules}))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("[]"), proc.stdout


# ------------------------------------------------------------------ round trip
def _has_null(v) -> bool:
    return v is None or (isinstance(v, dict) and any(_has_null(x) for x in v.values()))


def _to_tables(folder: Path) -> None:
    for f in sorted(folder.rglob("*.yaml")):
        root, issues = load_file(f)
        assert not issues, issues
        data = to_plain(root)
        changed = False
        for section in tables.SECTIONS:
            entries = data.get(section)
            rows = {k: e for k, e in (entries or {}).items() if isinstance(e, dict) and not _has_null(e)}
            if rows:  # an entry that deletes a key (`capacity: null`) stays in the YAML, beside `from:`
                name = f"{f.stem}_{section}.csv"
                write_csv(rows, f.parent / name)
                data[section] = {"from": name, **{k: e for k, e in entries.items() if k not in rows}}
                changed = True
        if changed:
            f.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


ROUND_TRIP = sorted(str(p.relative_to(SCENARIOS)) for p in scenario_files())


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    base = tmp_path_factory.mktemp("tables")
    shutil.copytree(SCENARIOS, base / "yaml")
    shutil.copytree(SCENARIOS, base / "csv")
    _to_tables(base / "csv")
    return base


@pytest.mark.slow
@pytest.mark.parametrize("name", ROUND_TRIP)
def test_scenarios_as_tables_export_the_same_lp(converted, name):
    table = converted / "csv" / name
    own = to_plain(load_file(converted / "yaml" / name)[0])
    assert "from:" in table.read_text(encoding="utf-8") or not any(own.get(s) for s in tables.SECTIONS)
    lp = name.replace("/", "_")
    original = _export(converted / "yaml" / name, converted / f"{lp}.yaml.lp")
    assert original == _export(table, converted / f"{lp}.csv.lp")
    for v in landopt.load(converted / "yaml" / name).variants:
        a = _export(converted / "yaml" / name, converted / f"{lp}.{v}.yaml.lp", "--variant", v)
        assert a == _export(table, converted / f"{lp}.{v}.csv.lp", "--variant", v), v


def test_headers_by_sector_name_square_brackets_and_a_metric_name_with_brackets(tmp_path):
    text = HEAD.replace("metrics:\n  tax: {name: 税收, unit: 万元}\n",
                        "metrics:\n  tax: {name: 税收 (含地方留成), unit: 万元}\n")
    (tmp_path / "parks.csv").write_text(
        "id,role,capacity [ha],可改造纺织(亩),现状税收 (含地方留成)(亿元),现状用地,existing.by_sector.textile.land\n"
        "core,main,20,100,1.5,5000,800\n", encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_text(text + "areas: {from: parks.csv}\n", encoding="utf-8")
    core = landopt.load(f).composed.plain()["areas"]["core"]
    assert core == {"role": "main", "capacity": "20 ha", "renewal": {"textile": "100 亩"},
                    "existing": {"tax": "1.5 亿元", "land": 5000, "by_sector": {"textile": {"land": 800}}}}


def test_a_dotted_header_takes_a_unit(tmp_path):
    (tmp_path / "parks.csv").write_text(
        "id,role,existing.tax(亿元),existing.by_sector.textile.land [ha],per_mu.chip.tax（万元/亩）\n"
        "core,main,1.5,8,40\n", encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_text(HEAD + "areas: {from: parks.csv}\n", encoding="utf-8")
    core = landopt.load(f).composed.plain()["areas"]["core"]
    assert core == {"role": "main", "existing": {"tax": "1.5 亿元", "by_sector": {"textile": {"land": "8 ha"}}},
                    "per_mu": {"chip": {"tax": "40 万元/亩"}}}
