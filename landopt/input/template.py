"""Workbooks a bureau fills in (`landopt template`): the tables of a scenario as xlsx sheets, and the YAML
that reads them.

`blank` gives a workbook of empty tables, one example row each, and a YAML stub naming its sheets;
`from_scenario` fills the tables with a scenario's entries and gives the YAML with everything else of the
scenario (its `extends` merged in) and those sections replaced by `{from: OUT.xlsx, sheet: ...}`. Either
way there is one sheet per section of `tables.SECTIONS` (a section added there gets its sheet here,
with the headers of `tables.KEYS`, `HEADERS` and `PREFIXES`), named in Chinese (`SHEET_NAMES`); a first
sheet `说明` says in Chinese and English how to fill them in and what each column means.

A column's header is the one `landopt.input.tables` reads back as that key: its Chinese name with the
scenario's unit for it in brackets (`可开发用地(亩)`, `现状税收(万元)`, `亩均用能(tce/亩)`), else the dotted
key (`existing.by_sector.textile.land(亩)`). Each header is read back with `tables.parse_header` before it
is written, and a cell's text is what the reader turns back into the value: lists joined with `、`, a year
map or anything else a cell cannot say plainly as YAML (`{2024: 100, 2025: 120}`), a float that
openpyxl's 16 digits would change as its exact text. `landopt export --lp` of the written YAML is the
same file, byte for byte, as of the scenario it came from (`tests/test_template.py`).

Data validation (openpyxl): a drop-down of the words a key takes (`role`: main, sub, linked, outside; `exit`),
是/否 for a yes/no key (written so too), the ids of the sectors sheet for an area's allowed sectors and a
project's sector, of the areas sheet for a project's sites, the scenario's tags; ids must be unique;
figures are checked to be numbers >= 0 (a message only: a cell may hold `1200 亩` or a year map). The
header row and the id column are frozen; columns are as wide as their text (a Chinese character counting
two).

Nothing is written here: `landopt.cli` writes the bytes and the text atomically.
"""

from __future__ import annotations

import io
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from landopt.errors import InputError, Issue
from landopt.i18n.help import width
from landopt.i18n.text import Bi
from landopt.input import schema, tables
from landopt.input.compose import Composed
from landopt.input.reader import LMap, load_file, parse_text, to_plain
from landopt.model.spec import ROLES, Spec
from landopt.model.units import Dim, UnitError, UnitSystem, parse_unit

SHEET_NAMES = {"resources": "资源", "sectors": "行业", "areas": "片区", "projects": "项目"}
"""Each table section's sheet; a section not named here gets a sheet named by its key."""
NOTES = "说明"
"""The first sheet: how to fill the workbook in, and every column."""
SUFFIX = ".xlsx"
ID_HEADER = "编号"
SEPARATOR = "、"
"""Between the items of a list cell (`tables` splits on `,` `，` `、` `;` `；`)."""
ROWS = 1000
"""Rows below the header that data validation covers (more when the table is longer)."""

BLANK_METRICS = {"existing": ("land", "tax"), "per_mu": ("tax", "energy")}
"""The metrics a blank template gives a column of `existing` and `per_mu` for (the stub defines them)."""
BLANK_UNITS = UnitSystem()
BLANK_DIMS = {"land": Dim("area"), "tax": Dim("money"), "energy": Dim("energy")}
EXAMPLES: dict[str, dict[str, Any]] = {
    "resources": {"id": "land", "name": "新增用地", "name_en": "new land", "unit": "mu", "budget": 500,
                  "note": "示例行, 可改写或删除 / an example: change or delete it"},
    "sectors": {"id": "chip", "name": "集成电路", "name_en": "Integrated circuits", "tags": ["高新技术"],
                "per_mu.tax": 40, "per_mu.energy": 15, "max_land": 300, "projects_only": False,
                "source": "2023 年统计年鉴", "note": "示例行, 可改写或删除 / an example: change or delete it"},
    "areas": {"id": "core", "name": "核心区", "name_en": "Core area", "role": "main", "tags": ["省级"],
              "capacity": 350, "sectors": ["chip"], "existing.land": 5000, "existing.tax": 150000,
              "note": "示例行, 可改写或删除 / an example: change or delete it"},
    "projects": {"id": "p1", "name": "示例项目", "name_en": "Example project", "sector": "chip", "land": 120,
                 "sites.area": ["core"], "must": False,
                 "note": "示例行, 可改写或删除 / an example: change or delete it"},
}
"""The example row of each section's blank sheet, by dotted key (keys a section lacks are left out)."""
STUB_YAML = {
    "resources": "resources:\n  land: {name: 新增用地, name_en: new land, unit: mu, budget: 500}\n",
    "metrics": ("metrics:\n  tax: {name: 税收, name_en: tax, unit: 万元}\n"
                "  energy: {name: 用能, name_en: energy use, unit: tce}\n"),
    "objective": "objective: {maximize: tax}\n",
}
"""The stub's sections that are not tables (`resources` only while it is not one)."""

ROLE_WORDS = Bi("main: the main platform; sub: a sub-area; linked: an area linked to the platform; outside: the "
                "rest of the county", "main: 主平台; sub: 片区 (分区); linked: 关联区; outside: 县域其他区域")
ZH_UNITS = {"mu": "亩", "ha": "公顷", "km2": "平方公里", "km²": "平方公里", "m2": "平方米", "m²": "平方米",
            "yuan": "元", "CNY": "元", "wan_yuan": "万元", "10k_yuan": "万元", "yi_yuan": "亿元", "100m_yuan": "亿元",
            "t": "吨", "tonne": "吨", "kg": "千克", "万t": "万吨", "person": "人", "persons": "人"}
"""A unit's Chinese name for a header (energy keeps `tce`, as Chinese tables write it)."""
_NUMBER_TEXT = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
_LOOKS_NUMERIC = re.compile(r"[-+]?[0-9.,]*(?:[eE][-+]?[0-9]+)?\Z")
_SPLITS = frozenset(",，、;；")


class TemplateError(InputError):
    """The workbook cannot be written (openpyxl missing): exit code 2, in both languages."""


# ------------------------------------------------------------------ what a template is made of
@dataclass
class Column:
    """One column of a sheet: the key path it fills, its header, and the unit its plain numbers are in."""

    path: tuple[str, ...]
    header: str
    unit: str | None = None
    """The unit the header names (its plain numbers are read in it), or None."""
    plain: str | None = None
    """The unit of the scenario's plain numbers under this key (the 说明 sheet names it, also where no unit
    reads back exactly in the header)."""


@dataclass
class Sheet:
    """One table: its section, sheet name, columns (the id first) and rows (id -> dotted path -> cell)."""

    section: str
    name: str
    columns: list[Column]
    rows: list[dict[tuple, Any]]
    example: bool = False
    """The rows are the blank template's example (drawn in grey on yellow)."""


@dataclass
class Template:
    """What `landopt template` writes: the workbook's bytes and the YAML that reads it."""

    xlsx: bytes
    yaml: str
    sheets: list[Sheet] = field(default_factory=list)


@dataclass
class _Context:
    """What the headers and validations of a workbook need to know of its scenario."""

    units: UnitSystem
    dims: dict[str, Dim | None]
    metric_names: dict[str, list[str]]
    """metric -> the names a header may give it, first that reads back first: a common name (`tables.METRIC_NAMES`)
    before the scenario's, which names a resource as a quota (亩均用能, not 亩均新增用能指标)."""
    sector_names: dict[str, list[str]]
    reads: Callable[[str, str], tuple]
    """`reads(header, section)`: (key path, unit) as `tables` reads the header in the written scenario."""
    tags: dict[str, list[str]] = field(default_factory=dict)
    """'area' and 'sector' -> the tags the scenario uses (for drop-downs)."""
    ids: dict[str, list[str]] = field(default_factory=dict)
    """section -> its ids (a drop-down of a section that has no sheet here)."""


def sheet_name(section: str) -> str:
    return SHEET_NAMES.get(section, section)


def needs_openpyxl(out: str | Path) -> None:
    """Raise `TemplateError` naming the `tables` extra when openpyxl is not installed."""
    try:
        import openpyxl  # lazy: an optional library (the `tables` extra), never loaded by --help  # noqa: F401
    except ImportError:
        raise TemplateError([Issue("template_needs_extra", {"path": str(out), "library": "openpyxl"},
                                   file=str(out))]) from None


def reference(xlsx: str | Path, yaml_path: str | Path | None) -> str:
    """The workbook as `from:` names it in the YAML at `yaml_path` (relative to its folder; the file's name
    when the YAML is printed)."""
    if yaml_path is None:
        return Path(xlsx).name
    rel = os.path.relpath(os.path.abspath(xlsx), os.path.dirname(os.path.abspath(yaml_path)))
    return rel.replace(os.sep, "/")


def inputs(composed: Composed) -> list[tuple[Path, str]]:
    """Every file the scenario was read from, with what it is: 'scenario' (the file itself), 'extends' (a file
    of its `extends` chain) or 'table' (a table one of them names with `from:`)."""
    out: list[tuple[Path, str]] = []
    for k, f in enumerate(composed.files):
        out.append((Path(f), "extends" if k else "scenario"))
        root, _issues = load_file(f)
        if not isinstance(root, LMap):
            continue
        for section in tables.SECTIONS:
            node = root.items.get(section)
            if tables.is_table_ref(node):
                out.append((Path(f).parent / str(node.items[tables.FROM].value), "table"))  # type: ignore[union-attr]
    return out


# ------------------------------------------------------------------ the two kinds
def blank(xlsx_ref: str) -> Template:
    """Empty tables with one example row each, and the YAML stub that reads them from `xlsx_ref`."""
    sheets = {s: sheet_name(s) for s in tables.SECTIONS}
    text = _stub(xlsx_ref, sheets)
    tree, _ = parse_text(text, "stub")
    assert isinstance(tree, LMap)
    ctx = _Context(BLANK_UNITS, dict(BLANK_DIMS), {"tax": ["税收"], "energy": ["用能"], "land": ["用地"]}, {},
                   _header_reader(tree))
    out = []
    for section in tables.SECTIONS:
        paths = _blank_paths(section)
        example = {tuple(k.split(".")): v for k, v in EXAMPLES.get(section, {}).items()}
        example = {p: v for p, v in example.items() if p == ("id",) or p in paths}
        out.append(Sheet(section, sheets[section], _columns(section, paths, ctx), [example] if example else [],
                         example=True))
    return Template(_workbook(out, ctx, None, xlsx_ref), text, out)


def from_scenario(composed: Composed, spec: Spec, xlsx_ref: str, source: str) -> Template:
    """The scenario's table sections as sheets, and its YAML with those sections read from `xlsx_ref`.

    `composed` is the scenario as loaded (its `extends` merged in, with any variant applied: then the
    YAML keeps no `variants`); `source` names it in the YAML's first lines."""
    data = composed.plain()
    if composed.variants:
        data.pop("variants", None)
    order = list(schema.SCENARIO_FILE.keys)
    data = dict(sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    sections = [s for s in tables.SECTIONS if isinstance(data.get(s), dict) and data[s]]
    entries = {s: data[s] for s in sections}
    for s in sections:
        data[s] = {tables.FROM: xlsx_ref, tables.SHEET: sheet_name(s)}
    text = _scenario_yaml(data, sections, xlsx_ref, source, composed.variants)
    tree, problems = parse_text(text, "template")
    assert isinstance(tree, LMap) and not problems, problems
    ctx = _Context(spec.units, {m: spec.metrics[m].dim for m in spec.metrics},
                   {m: [*tables.METRIC_NAMES.get(m, ()), spec.metrics[m].name] for m in spec.metrics},
                   {s: [spec.sectors[s].name] for s in spec.sectors},
                   _header_reader(tree, {s: t for s in sections if isinstance(t := composed.tree.items.get(s), LMap)}),
                   _tags(spec, data), {"areas": list(spec.areas), "sectors": list(spec.sectors),
                                       "projects": list(spec.projects), "resources": list(spec.resources)})
    out = []
    for section in sections:
        rows = [{("id",): str(rid), **_flat(entry)} for rid, entry in entries[section].items()]
        paths = sorted(dict.fromkeys(p for r in rows for p in r if p != ("id",)),
                       key=lambda p: tables.KEYS[section].index(p[0]) if p[0] in tables.KEYS[section] else 99)
        out.append(Sheet(section, sheet_name(section), _columns(section, paths, ctx), rows))
    return Template(_workbook(out, ctx, source, xlsx_ref), text, out)


# ------------------------------------------------------------------ the YAML
def _stub(ref: str, sheets: dict[str, str]) -> str:
    names, names_en = "、".join(sheets.values()), ", ".join(sheets)
    head = (f"# landopt 情景文件: 由 `landopt template` 生成, 从工作簿 {ref} 读取 {names}。\n"
            "# 填好工作簿后运行 `landopt validate` 检查本文件, `landopt solve` 求解。\n"
            f"# A landopt scenario written by `landopt template`: it reads {names_en} from the workbook {ref}.\n"
            "# Fill in the workbook, then run `landopt validate` on this file, and `landopt solve`.\n"
            "version: 1\n"
            "scenario: {name: 示例开发区, name_en: example zone}\n")
    body = "".join(STUB_YAML[k] for k in ("resources", "metrics") if k not in sheets)
    body += "".join(f"{s}: {{from: {_yaml_scalar(ref)}, sheet: {sheets[s]}}}\n" for s in sheets)
    return head + body + STUB_YAML["objective"]


def _scenario_yaml(data: dict, sections: list[str], ref: str, source: str, variants: tuple[str, ...]) -> str:
    names = "、".join(sheet_name(s) for s in sections)
    zh_variant = f" (已采用变体 {', '.join(variants)}; 不含其他变体)" if variants else ""
    en_variant = f" (with the variant {', '.join(variants)} applied; no other variants)" if variants else ""
    head = (f"# 由 `landopt template` 生成: {names} 从工作簿 {ref} 的同名工作表读取; 其余内容取自 {source}"
            f"{zh_variant} (已并入 extends 引用的文件)。\n"
            f"# Written by `landopt template`: {', '.join(sections)} are read from the sheets {names} of {ref}; "
            f"everything else comes from {source}{en_variant}, with the files it extends merged in.\n")
    return head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100)


def _yaml_scalar(text: str) -> str:
    return yaml.safe_dump(text, allow_unicode=True, default_flow_style=True).strip().removesuffix("...").strip()


# ------------------------------------------------------------------ columns
def _header_reader(tree: LMap, read: dict[str, LMap] | None = None) -> Callable[[str, str], tuple]:
    """`reads(header, section)`: (key path, unit) as `tables` reads the header in the scenario `tree` (the YAML
    as written, its tables named), the tables before `section` in `tables.SECTIONS` being `read` (as
    `tables.expand` reads them: the names of a sectors table serve the headers of an areas table)."""
    names: dict[str, tables.Names] = {}

    def reads(header: str, section: str) -> tuple:
        if section not in names:
            before = tables.SECTIONS[:tables.SECTIONS.index(section)] if section in tables.SECTIONS else ()
            names[section] = tables.names_in([tree], {s: t for s, t in (read or {}).items() if s in before})
        return tables.parse_header(header, section, names[section])

    return reads


def _blank_paths(section: str) -> list[tuple[str, ...]]:
    """The columns of a blank sheet: every key of the section; a key under a `PREFIXES` word by the metrics
    of `BLANK_METRICS` (none for sectors by name: `renewal`); a nested key by its dotted `HEADERS`."""
    keys = schema.sections()[f"{section}.*"].keys
    prefixed = set(tables.PREFIXES.get(section, {}).values()) - set(tables.YEAR_MAPS.values())
    out: list[tuple[str, ...]] = []
    for key in tables.KEYS[section]:
        nested = isinstance(keys[key].type, (schema.Record, schema.MapOf)) if key in keys else False
        if key in prefixed:
            out += [(key, m) for m in BLANK_METRICS.get(key, ())]
        elif nested:
            out += [tuple(k.split(".")) for k in tables.HEADERS[section] if k.startswith(key + ".")]
        else:
            out.append((key,))
    return out


def _columns(section: str, paths: list[tuple[str, ...]], ctx: _Context) -> list[Column]:
    return [Column(("id",), ID_HEADER), *(_column(section, p, ctx) for p in paths)]


def _column(section: str, path: tuple[str, ...], ctx: _Context) -> Column:
    """The header `tables` reads back as `path`: the first of its Chinese names, a `PREFIXES` word and a
    metric's or sector's name, or the dotted key, that does; with the scenario's unit when it reads back."""
    dotted = ".".join(path)
    names = [*tables.HEADERS[section].get(dotted, ())[:1]]
    for word, key in tables.PREFIXES.get(section, {}).items():
        if len(path) == 2 and path[0] == key:
            pool = ctx.sector_names if key == "renewal" else ctx.metric_names
            names += [word + n for n in pool.get(path[1], ()) if n and not n.isascii()]
    names.append(dotted)
    unit = _unit(section, path, ctx)
    for u in ([unit, None] if unit else [None]):
        for name in names:
            header = f"{name}({u})" if u else name
            got = ctx.reads(header, section)
            if tuple(map(str, got[0] or ())) == path and got[1] == u:
                return Column(path, header, u, unit)
    msg = f"no header reads back as {section}.{dotted}"
    raise ValueError(msg)


def _unit(section: str, path: tuple[str, ...], ctx: _Context) -> str | None:
    """The unit of the scenario's plain numbers under `path`, as a header writes it, or None."""
    dim = _dim(section, path, ctx.dims)
    if dim is None or "ratio" in (dim.num, dim.den):
        return None
    name = ctx.units.unit_name(dim)
    text = "/".join(ZH_UNITS.get(p, p) for p in name.split("/"))
    try:
        got, factor = parse_unit(text)
    except UnitError:
        return None
    return text if got == dim and factor == ctx.units.scale(dim) else None


def _dim(section: str, path: tuple[str, ...], dims: dict[str, Dim | None]) -> Dim | None:
    top, n = path[0], len(path)
    if top in ("capacity", "min_land", "max_land", "planned_area") and n == 1:
        return Dim("area")
    if section == "projects" and top == "land" and n == 1:
        return Dim("area")
    if top == "renewal" and n == 2:
        return Dim("area")
    if top == "existing" and ((n == 2 and path[1] != "by_sector") or (n == 4 and path[1] == "by_sector")):
        return dims.get(path[-1])
    if top == "per_mu" and n == (3 if section == "areas" else 2):
        d = dims.get(path[-1])
        return Dim(d.num, "area") if d is not None and d.den is None else None
    return None


# ------------------------------------------------------------------ cells
def _flat(entry: dict, prefix: tuple = ()) -> dict[tuple, Any]:
    """An entry by dotted key: a mapping of keys is spread over columns; a year map (or any mapping whose
    keys a header cannot name) stays one cell."""
    out: dict[tuple, Any] = {}
    for k, v in entry.items():
        path = (*prefix, str(k))
        if isinstance(v, dict) and v and all(isinstance(x, str) and x and "." not in x and not x.isdigit() for x in v):
            out.update(_flat(v, path))
        else:
            out[path] = v
    return out


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1 << 30, sort_keys=False).strip()
    back, problems = parse_text(text, "cell")
    if problems or back is None or to_plain(back) != value:
        msg = f"{value!r} does not read back from {text!r}"
        raise ValueError(msg)
    return text


def _item(x: Any) -> str | None:
    """A list item as a list cell writes it, or None when the reader would not give it back."""
    if isinstance(x, bool) or not isinstance(x, (int, float, str)):
        return None
    if isinstance(x, (int, float)):
        text = repr(x)
        return text if _NUMBER_TEXT.match(text) else None
    plain = unicodedata.normalize("NFKC", x)
    if not x or x != x.strip() or _SPLITS & set(x) or x[:1] in "[{\uff3b\uff5b" or _LOOKS_NUMERIC.match(plain):
        return None
    return x


def cell(section: str, path: tuple[str, ...], value: Any) -> Any:
    """What to write in a cell so that `tables` reads `value` back under `path`."""
    top = path[0]
    if top in tables.TEXT_KEYS or path == ("id",):
        return value if isinstance(value, str) else repr(value) if isinstance(value, float) else str(value)
    if isinstance(value, list) and top in tables.LIST_KEYS and value:
        items = [_item(x) for x in value]
        if all(i is not None for i in items):
            return SEPARATOR.join(items)  # type: ignore[arg-type]
    if isinstance(value, (dict, list)):
        return _flow(value)
    if isinstance(value, bool) and top in tables.FLAG_KEYS:
        return next(word for word, yes in tables.YES_NO.items() if yes is value)  # 是 / 否
    if isinstance(value, float) and float(f"{value:.16g}") != value:
        return repr(value)  # openpyxl writes 16 digits; the reader reads the text as this number
    if isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _tags(spec: Spec, data: dict) -> dict[str, list[str]]:
    """The area and sector tags the scenario uses: on its entries and in its selectors (`area_tag`)."""
    out = {"area": [t for a in spec.areas.values() for t in a.tags],
           "sector": [t for s in spec.sectors.values() for t in s.tags]}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k in ("area_tag", "sector_tag"):
                    out[k[:-4]] += [str(t) for t in (v if isinstance(v, list) else [v])]
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(data)
    return {k: list(dict.fromkeys(v)) for k, v in out.items()}


# ------------------------------------------------------------------ the workbook
TEXTS = {
    "title": Bi("landopt data template", "landopt 数据填报模板"),
    "from": Bi("Filled in from {source} by `landopt template`.", "由 `landopt template` 根据 {source} 填写。"),
    "how": [
        Bi("Each sheet is one table of the scenario: one row per area, sector, ...; the first column, 编号, is its "
           "id (letters, digits or Chinese; each id once).",
           "每张工作表是情景的一张表: 每个片区、行业……占一行; 第一列“编号”是它的 id (字母、数字或中文, 不得重复)。"),
        Bi("The header row names what each column holds, with its unit in brackets (`现状用地(亩)`): keep it as it "
           "is. Columns not needed may be deleted; docs/format.md, `Tables`, lists the others (`现状产值(万元)`, "
           "`existing.by_sector.textile.land`).",
           "表头行写明每列的内容, 括号内为单位 (如 `现状用地(亩)`), 请勿改动。用不到的列可以删除; 其他可用的列见 "
           "docs/format.md 的 `Tables` 一节 (如 `现状产值(万元)`、`existing.by_sector.textile.land`)。"),
        Bi("An empty cell means not given (not zero). A number may carry its own unit (1200 亩, 80 ha).",
           "空单元格表示“未填写”(不是 0)。数值可以自带单位 (如 1200 亩、80 ha)。"),
        Bi("Lists (allowed sectors, tags, ramp) are separated by 、 or commas; a value by year is written "
           "{{2024: 100, 2025: 120}}.",
           "列表 (允许行业、标签、达产进度) 用顿号“、”或逗号分隔; 按年份给出的数值写成 {{2024: 100, 2025: 120}}。"),
        Bi("Cells with a drop-down take one of the words listed (yes/no: 是 or 否). Roles: {roles}.",
           "带下拉箭头的单元格请从列出的值中选择 (是/否 两项填 是 或 否)。角色: {roles}。"),
        Bi("The grey row on yellow is an example: change it or delete it.",
           "黄底灰字的一行是示例, 可改写或删除。"),
        Bi("The scenario file names each sheet: `areas: {{from: {ref}, sheet: 片区}}`. Check it with `landopt "
           "validate FILE.yaml`, solve it with `landopt solve FILE.yaml`.",
           "情景文件用 `areas: {{from: {ref}, sheet: 片区}}` 指明从哪张工作表读取。填好后用 `landopt validate "
           "情景.yaml` 检查, 用 `landopt solve 情景.yaml` 求解。"),
    ],
    "columns": Bi("Columns", "各列说明"),
    "head": [Bi("Sheet", "工作表"), Bi("Column", "列名"), Bi("Key", "键"), Bi("Unit", "单位"), Bi("Meaning", "说明"),
             Bi("Meaning (English)", "说明 (英文)")],
    "id": Bi("the row's id (unique)", "该行的 id (不得重复)"),
    "unique": Bi("This id is already in the sheet: each id once.", "该编号已在本表中出现: 每个编号只能出现一次。"),
    "number": Bi("A number >= 0 (or a number with its unit, 1200 亩; a year map {2024: 100}).",
                 "应为大于等于 0 的数值 (或带单位的数值, 如 1200 亩; 或按年份的数值 {2024: 100})。"),
    "pick": Bi("Pick one of the listed values.", "请从列出的值中选择。"),
    "several": Bi("Pick from the list; several are separated by 、.", "从列表中选择; 多个值用顿号“、”分隔。"),
}


def _meaning(section: str, path: tuple[str, ...], ctx: _Context) -> Bi:
    """What a column holds, in both languages (the 说明 sheet, a cell's prompt)."""
    if path == ("id",):
        return TEXTS["id"]  # type: ignore[return-value]
    top, n, metric = path[0], len(path), path[-1]
    keys = schema.sections()[f"{section}.*"].keys
    if n == 1 and top in keys:
        return keys[top].expected
    name = _name(ctx, metric)
    if top == "existing" and n == 2:
        return Bi(f"the current total of {metric} (the stock)", f"{name}的现状总量 (存量)")
    if top == "existing" and n == 4 and path[1] == "by_sector":
        return Bi(f"the current {metric} of the sector {path[2]} here", f"本片区 {path[2]} 行业的现状{name}")
    if top == "per_mu" and n == 2:
        return Bi(f"{metric} per mu of new land", f"每亩新增用地的{name}")
    if top == "per_mu" and n == 3:
        return Bi(f"{metric} per mu of the sector {path[1]} here", f"本片区 {path[1]} 行业每亩的{name}")
    if top == "renewal" and n == 2:
        return Bi(f"land of the sector {path[1]}'s stock that may be redeveloped",
                  f"{path[1]} 行业可腾退改造的存量用地")
    nested = schema.sections().get(f"{section}.*.{top}")
    if nested is not None and n == 2 and path[1] in nested.keys:
        return nested.keys[path[1]].expected
    return keys[top].expected if top in keys else Bi(".".join(path), ".".join(path))


def _name(ctx: _Context, metric: str) -> str:
    return next((n for n in ctx.metric_names.get(metric, ()) if n and not n.isascii()), metric)


def _bi(text: Bi) -> str:
    return f"{text.zh} / {text.en}"


def _workbook(sheets: list[Sheet], ctx: _Context, source: str | None, ref: str) -> bytes:
    import openpyxl  # lazy: an optional library (the `tables` extra), never loaded by --help
    from openpyxl.styles import Font, PatternFill  # lazy: as above

    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = NOTES
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    example_fill, example_font = PatternFill("solid", fgColor="FFF2CC"), Font(italic=True, color="808080")
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for c, col in enumerate(sheet.columns, start=1):
            h = ws.cell(1, c, col.header)
            h.font, h.fill = bold, head_fill
        for r, row in enumerate(sheet.rows, start=2):
            for c, col in enumerate(sheet.columns, start=1):
                if col.path not in row or row[col.path] is None:
                    continue
                x = ws.cell(r, c, cell(sheet.section, col.path, row[col.path]))
                if isinstance(x.value, str) and x.value.startswith("="):
                    x.data_type = "s"  # text, never a formula
                if sheet.example:
                    x.fill, x.font = example_fill, example_font
        ws.freeze_panes = "B2"
        _validations(ws, sheet, sheets, ctx)
        _widths(ws, [[col.header, *(_shown(row.get(col.path)) for row in sheet.rows)] for col in sheet.columns])
    _notes(notes, sheets, ctx, source, ref, bold, head_fill)
    wb.properties.creator = "landopt"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _shown(v: Any) -> str:
    return "" if v is None else str(v) if not isinstance(v, list) else SEPARATOR.join(map(str, v))


def _widths(ws: Any, columns: list[list[str]], least: int = 8, most: int = 50) -> None:
    from openpyxl.utils import get_column_letter  # lazy: an optional library (the `tables` extra)

    for c, texts in enumerate(columns, start=1):
        w = max((width(t) for t in texts if t), default=0)
        ws.column_dimensions[get_column_letter(c)].width = min(max(w + 4, least), most)


def _validations(ws: Any, sheet: Sheet, sheets: list[Sheet], ctx: _Context) -> None:
    """Drop-downs, unique ids and numbers >= 0 (see the module docstring)."""
    from openpyxl.utils import get_column_letter  # lazy: an optional library (the `tables` extra)
    from openpyxl.worksheet.datavalidation import DataValidation  # lazy: as above

    last = max(ROWS, len(sheet.rows) + ROWS)
    keys = schema.sections()[f"{sheet.section}.*"].keys
    places = {s.section: s.name for s in sheets}

    def add(c: int, title: str, prompt: Bi, **kw: Any) -> None:
        letter = get_column_letter(c)
        dv = DataValidation(allow_blank=True, showInputMessage=True, showErrorMessage=True, **kw)
        dv.promptTitle = title[:32]
        dv.prompt = _bi(prompt)[:255]
        dv.errorTitle = title[:32]
        dv.error = _bi(TEXTS["unique"] if kw.get("type") == "custom" else
                       TEXTS["number"] if kw.get("type") == "decimal" else TEXTS["pick"])[:255]
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)

    for c, col in enumerate(sheet.columns, start=1):
        path, top = col.path, col.path[0]
        key = keys.get(top)
        what = _meaning(sheet.section, path, ctx)
        if path == ("id",):
            add(c, col.header, TEXTS["id"], type="custom", formula1=f"COUNTIF($A$2:$A${last},A2)=1")
            continue
        if key is not None and len(path) == 1 and isinstance(key.type, schema.Word):
            add(c, col.header, what, type="list", formula1=_listed([str(w) for w in key.type.words]))
            continue
        if key is not None and len(path) == 1 and key.type is schema.FLAG:  # 是/否; true, yes, 1 are read too
            add(c, col.header, what, type="list", formula1=_listed(list(tables.YES_NO)), errorStyle="warning")
            continue
        if path == ("sites", "role"):
            add(c, col.header, TEXTS["several"], type="list", formula1=_listed(list(ROLES)), errorStyle="information")
            continue
        ref = {("sectors",): "sectors", ("sector",): "sectors", ("sites", "area"): "areas"}.get(path) \
            if sheet.section in ("areas", "projects") else None
        if ref is not None:  # one sector (a name is read too), or several ids
            source = f"'{places[ref]}'!$A$2:$A${last}" if ref in places else _listed(ctx.ids.get(ref, []))
            one = path == ("sector",)
            if source:
                add(c, col.header, TEXTS["pick" if one else "several"], type="list", formula1=source,
                    errorStyle="warning" if one else "information")
            continue
        if path[-1] in ("tags", "area_tag", "sector_tag"):
            kind = "sector" if sheet.section == "sectors" or path[-1] == "sector_tag" else "area"
            source = _listed(ctx.tags.get(kind, []))
            if source:
                add(c, col.header, TEXTS["several"], type="list", formula1=source, errorStyle="information")
            continue
        if top in tables.QUANTITY_KEYS:
            add(c, col.header, what, type="decimal", operator="greaterThanOrEqual", formula1="0",
                errorStyle="information")


def _listed(words: list[str]) -> str | None:
    """A drop-down's list as its formula (`"a,b,c"`), or None when there is none or it is too long for Excel."""
    words = [w for w in dict.fromkeys(words) if w and "," not in w and '"' not in w]
    text = '"' + ",".join(words) + '"'
    return text if words and len(text) <= 257 else None


def _notes(ws: Any, sheets: list[Sheet], ctx: _Context, source: str | None, ref: str, bold: Any, fill: Any
           ) -> None:
    """The 说明 sheet: how to fill the workbook in (each point in Chinese, then in English, on lines of their
    own that run over the empty cells to their right), and what every column of every sheet holds."""
    rows: list[list[Any]] = [[_bi(TEXTS["title"])]]  # type: ignore[arg-type]
    if source:
        rows.append([TEXTS["from"].zh.format(source=source)])  # type: ignore[union-attr]
        rows.append([TEXTS["from"].en.format(source=source)])  # type: ignore[union-attr]
    for k, t in enumerate(TEXTS["how"], start=1):  # type: ignore[arg-type]
        rows += [[], [f"{k}. " + t.zh.format(roles=ROLE_WORDS.zh, ref=ref)],
                 [f"{k}. " + t.en.format(roles=ROLE_WORDS.en, ref=ref)]]
    rows += [[], [_bi(TEXTS["columns"])]]  # type: ignore[arg-type]
    head_at = len(rows) + 1
    rows.append([_bi(h) for h in TEXTS["head"]])  # type: ignore[union-attr]
    for sheet in sheets:
        for col in sheet.columns:
            what = _meaning(sheet.section, col.path, ctx)
            rows.append([sheet.name, col.header, ".".join(col.path), col.plain or "", what.zh, what.en])
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row, start=1):
            x = ws.cell(r, c, v)
            if r in (1, head_at - 1, head_at):
                x.font = bold
            if r == head_at:
                x.fill = fill
    _widths(ws, [[str(row[c]) if c < len(row) else "" for row in rows[head_at - 1:]] for c in range(6)], most=60)
