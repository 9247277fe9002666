"""Tables in a scenario: the rows of `resources`, `sectors`, `areas` or `projects` from a CSV file or an xlsx sheet.

A scenario names a table where the section's entries would be::

    areas: {from: data/parks.xlsx, sheet: 园区, core: {capacity: 950}}
    projects: {from: 项目库.xlsx, sheet: 项目库}

`from` is a path relative to the YAML file that names it; `sheet` (xlsx only) a sheet's name or its
place (1 = the first sheet; default the first). Any other key of the mapping is an ordinary entry,
merged over the table's rows as a file is merged over the files it `extends`: the YAML wins.

`expand` turns the table into the located tree the YAML reader gives (`landopt.input.reader`): one
`LMap` per row keyed by its id, one `LScalar` per cell whose `Mark` names the cell
(`parks.csv:17:D`, `parks.xlsx:园区!D17`). Composing, `--set`, variants, validation and resolution
then work on it unchanged, and a problem with a cell is reported at the cell.

The header row names each column by a key of the section, dotted for nested keys
(`existing.tax`, `per_mu.crystal.energy`, `existing.by_sector.locks.land`, `sites.area`, `budget.2024`),
or by its Chinese name (`HEADERS`, `PREFIXES`, `METRIC_NAMES`; `现状税收`, `亩均用能`, `可选址片区`, and the
`name` of any metric, resource or sector the scenario defines), with an optional unit in brackets
(`现状用地(亩)`, `亩均税收（万元/亩）`): a plain number under such a header is read as that quantity. A
resource's budget by year is one column per year (`budget.2024`, `2024`, `2024年`, `预算2024`), read as
the YAML year map `{2024: ...}`. Rows above the header (a title) are skipped; the header is the first
row with an id column (`id`, `编号`, `代码`). The sections are read in the order of `SECTIONS`, so that
the names given by a `resources` or `sectors` table serve the headers and cells of the tables after it.

How a bureau's sheet is read (docs/format.md, "Tables"): empty rows are skipped; a thousands separator
(`1,234`) and full-width digits are read as the number they show; list cells (`tags`, `sectors`, `ramp`,
`sites.*`) are split on `,` `，` `、` `;` `；`; a cell in `[ ]` or `{ }` is read as YAML (a year map
`{2021: 100, 2022: 120}`); `是`/`否` under a yes/no key are true/false; `2023年` under `year` is 2023; a
project's `sector` and `sites.area` cells may give a sector's or an area's `name` instead of its id. CSV:
UTF-8 with or without BOM, else GBK/GB18030 (what Excel writes for "CSV" on Chinese Windows). xlsx
(openpyxl, the `tables` extra): a formula's value as Excel last saved it (a warning says so; a formula
never calculated is an error), a merged range takes its top-left value, hidden rows are skipped with a
warning, an error cell (`#DIV/0!`) is an error.

Why the standard `csv` module and openpyxl's full (not read-only) mode: a message must name the row and
column of every cell as the writer sees them, empty rows included; pyarrow's CSV reader drops empty
lines and infers types (so `007` would lose its zeros), and openpyxl's read-only mode gives neither
merged ranges nor hidden rows. Bureau tables are hundreds of rows: both read them in milliseconds.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from landopt.errors import Issue, Mark
from landopt.i18n.messages import closest
from landopt.input.reader import MAX_FILE_BYTES, LMap, LNode, LScalar, LSeq, parse_text
from landopt.model import units

SECTIONS = ("resources", "sectors", "areas", "projects")
"""The sections whose rows may come from a table (issue 14, part 1), in the order they are read: the names a
`resources` or `sectors` table gives are known to the headers and cells of the tables after it."""
FROM, SHEET = "from", "sheet"
SUFFIXES = (".csv", ".xlsx", ".xlsm")

ID_HEADERS = ("id", "ID", "编号", "代码", "编码")
KEYS: dict[str, tuple[str, ...]] = {
    "resources": ("name", "name_en", "unit", "budget", "accounting", "offset", "price", "price_basis", "estimate",
                  "reclaim", "note"),
    "sectors": ("name", "name_en", "tags", "per_mu", "max_land", "min_land", "projects_only", "ramp", "source", "note"),
    "areas": ("name", "name_en", "role", "tags", "capacity", "min_land", "max_land", "sectors", "existing", "per_mu",
              "planned_area", "exit", "renewal", "note"),
    "projects": ("name", "name_en", "sector", "land", "per_mu", "sites", "year", "must", "ramp", "source", "note"),
}
"""The keys of each section (landopt.input.schema's RESOURCE, SECTOR, AREA and PROJECT; tests/test_tables.py
keeps them equal)."""
HEADERS: dict[str, dict[str, tuple[str, ...]]] = {
    "resources": {
        "name": ("名称", "资源名称", "指标名称"), "name_en": ("英文名称",), "unit": ("单位", "计量单位"),
        "budget": ("预算", "指标总量", "可用总量"), "accounting": ("核算方式",), "offset": ("替代比例",),
        "price": ("单价", "价格"), "price_basis": ("计价方式",), "estimate": ("估计值",),
        "reclaim": ("返还比例", "退出返还比例"), "note": ("备注",),
    },
    "sectors": {
        "name": ("名称", "行业名称"), "name_en": ("英文名称",), "tags": ("标签",),
        "max_land": ("用地需求", "新增用地上限"), "min_land": ("新增用地下限",), "projects_only": ("仅限项目",),
        "ramp": ("达产进度",), "source": ("来源", "数据来源"), "note": ("备注",),
    },
    "areas": {
        "name": ("名称", "片区名称", "园区名称", "平台名称"), "name_en": ("英文名称",), "role": ("角色", "定位"),
        "tags": ("标签",), "capacity": ("可开发用地", "新增用地容量"), "min_land": ("新增用地下限",),
        "max_land": ("新增用地上限",), "sectors": ("允许行业",), "planned_area": ("规划面积",), "exit": ("退出",),
        "note": ("备注",),
    },
    "projects": {
        "name": ("名称", "项目名称"), "name_en": ("英文名称",), "sector": ("行业", "所属行业", "产业类别"),
        "land": ("用地", "用地面积", "用地规模", "拟用地"), "sites.area": ("可选址片区", "选址片区", "拟选址"),
        "sites.role": ("可选址定位",), "sites.area_tag": ("可选址标签",),
        "year": ("最早开工年份", "开工年份"), "must": ("必须落地",), "ramp": ("达产进度",),
        "source": ("来源", "数据来源"), "note": ("备注",),
    },
}
"""Chinese names of the section's own keys, dotted for a nested key (docs/format.md, "Tables", keeps the same
table)."""
PREFIXES: dict[str, dict[str, str]] = {
    "resources": {"预算": "budget"},
    "sectors": {"亩均": "per_mu"},
    "areas": {"现状": "existing", "可改造": "renewal"},
    "projects": {"亩均": "per_mu"},
}
"""A Chinese header that starts with one of these words names a key under that key: `现状税收` is
`existing.tax`, `可改造水晶` is `renewal.crystal`, `亩均用能` is `per_mu.energy`, `预算2024` is `budget.2024`
(what follows is a metric's name, a sector's name (`renewal`) or a year (`YEAR_MAPS`))."""
YEAR_MAPS: dict[str, str] = {"resources": "budget"}
"""The key of a section that a column per year fills (`budget.2024`, `2024`, `2024年`, `2024年预算`, `预算2024`):
the year map `{2024: ...}`, beside or instead of a column of that key for a single value."""
METRIC_NAMES: dict[str, tuple[str, ...]] = {
    "land": ("用地", "用地面积", "土地"), "output": ("产值", "工业总产值"), "value_added": ("增加值", "工业增加值"),
    "tax": ("税收",), "investment": ("投资", "项目投资"), "energy": ("用能", "能耗"), "cod": ("化学需氧量", "COD"),
    "nh3n": ("氨氮",), "so2": ("二氧化硫",), "nox": ("氮氧化物",), "jobs": ("就业", "就业人数"),
    "hitech_va": ("高新技术产业增加值",),
}
"""Common metric ids by their Chinese names; the scenario's own `metrics`/`resources` names count as well."""
TEXT_KEYS = frozenset({"name", "name_en", "role", "exit", "note", "source", "sector", "unit", "accounting",
                       "price_basis"})
LIST_KEYS = frozenset({"tags", "sectors", "ramp", "sites"})
QUANTITY_KEYS = frozenset({"capacity", "min_land", "max_land", "planned_area", "existing", "per_mu", "renewal",
                           "land", "budget", "price"})
"""Keys whose cells are numbers (or quantities): anything else there is `table_not_number`."""
NUMBER_KEYS = frozenset({"offset", "reclaim"})
"""Keys whose cells are plain numbers: a cell that is no number is `table_not_number` too."""
FLAG_KEYS = frozenset({"projects_only", "must", "estimate"})
YES_NO = {"是": True, "否": False}
"""Under a yes/no key (`FLAG_KEYS`), the words a Chinese sheet writes (true/false, yes/no, 1/0 are read as in YAML)."""
YEAR_KEYS = frozenset({"year"})
"""Keys whose cell is a year: `2023年` is 2023."""
CELL_PROBLEMS = frozenset({"table_not_number", "table_cell_error", "table_formula_no_value", "table_value_twice"})
"""Problems of one cell: the cell is left out and the rest is checked in the same run."""

_SPLIT = re.compile(r"\s*[,，、;；]\s*")
_NUMBER = re.compile(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)?(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?\Z")
_QTY_HEAD = re.compile(r"([-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|[-+]?\.[0-9]+)([eE][-+]?[0-9]+)?"
                       r"\s*([^\s0-9,.].*)\Z")
_UNIT = re.compile(r"(.*?)\s*[(\[]([^()\[\]]*)[)\]]\s*\Z")
_YEAR_HEAD = re.compile(r"(?:预算\s*)?([0-9]{4})\s*年?\s*(?:预算)?\Z")
_YEAR_CELL = re.compile(r"([0-9]{4})\s*年?\Z")


@dataclass
class Grid:
    """A table as read: rows of cell values (None for empty), with the place of every cell."""

    display: str
    sheet: str | None = None
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    """(row number as the writer sees it, the cells' values); hidden rows left out."""
    issues: list[Issue] = field(default_factory=list)
    """Problems found while reading (cells with errors, formulas without values), and warnings."""
    bad: set[tuple[int, int]] = field(default_factory=set)
    """(row, column) of the cells already reported (an error value, a formula without a value)."""

    def mark(self, row: int, col: int) -> Mark:
        letters = column_letters(col)
        label = f"{self.display}:{self.sheet}!{letters}{row}" if self.sheet is not None \
            else f"{self.display}:{row}:{letters}"
        return Mark(self.display, row, col, label)


def column_letters(col: int) -> str:
    """1 -> A, 27 -> AA (Excel's column names)."""
    out = ""
    while col:
        col, r = divmod(col - 1, 26)
        out = chr(65 + r) + out
    return out


def is_table_ref(node: LNode | None) -> bool:
    """True for a section written as a table reference (`{from: FILE, ...}`)."""
    return isinstance(node, LMap) and isinstance(node.items.get(FROM), LScalar) \
        and isinstance(node.items[FROM].value, str)  # type: ignore[union-attr]


# ------------------------------------------------------------------ reading files
def read_csv(path: Path, display: str) -> Grid:
    """A CSV file's rows (see the module docstring for encodings)."""
    grid = Grid(display)
    data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    if len(data) > MAX_FILE_BYTES:
        grid.issues.append(Issue("table_unreadable", {"path": display, "error": f"> {MAX_FILE_BYTES:,} bytes"},
                                 file=display))
        return grid
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")  # Excel's "CSV" on Chinese Windows
        except UnicodeDecodeError:
            grid.issues.append(Issue("table_unreadable", {"path": display, "error": "not UTF-8 or GBK text"},
                                     file=display))
            return grid
    if "\x00" in text:
        grid.issues.append(Issue("table_unreadable", {"path": display, "error": "NUL bytes: not a text file"},
                                 file=display))
        return grid
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        grid.issues.append(Issue("table_unreadable", {"path": display, "error": str(e)}, file=display))
        return grid
    grid.rows = [(n, [c if c.strip() else None for c in row]) for n, row in enumerate(rows, start=1)]
    return grid


def read_xlsx(path: Path, display: str, sheet: LScalar | None, issues: list[Issue], where: str = "sheet"
              ) -> Grid | None:
    """One sheet's rows, or None (the problem is in `issues`)."""
    try:
        import openpyxl  # lazy: an optional library (the `tables` extra), never loaded by --help
    except ImportError:
        issues.append(Issue("table_needs_extra", {"path": display, "library": "openpyxl"},
                            mark=sheet.mark if sheet else None, file=display))
        return None
    try:
        with warnings.catch_warnings():  # openpyxl warns about extensions it does not read (data validation)
            warnings.simplefilter("ignore")
            values = openpyxl.load_workbook(path, data_only=True)
            formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as e:  # noqa: BLE001 - a damaged or foreign file: zipfile, XML and openpyxl's own errors
        issues.append(Issue("table_unreadable", {"path": display, "error": type(e).__name__}, file=display))
        return None
    names = values.sheetnames
    index = 0
    if sheet is not None:
        want = sheet.value
        if isinstance(want, int) and not isinstance(want, bool) and 1 <= want <= len(names):
            index = want - 1
        elif isinstance(want, str) and want in names:
            index = names.index(want)
        else:
            issues.append(Issue("table_sheet_missing", {"got": want, "path": display, "known": ", ".join(names)},
                                path=where, mark=sheet.mark, suggest=closest(str(want), names)))
            return None
    ws, wf = values[names[index]], formulas[names[index]]
    grid = Grid(display, names[index])
    fill: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:  # a merged range shows its top-left value in every cell
        top = ws.cell(rng.min_row, rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                fill[(r, c)] = top
    hidden: list[int] = []
    formula_cells: list[str] = []
    for r, row in enumerate(ws.iter_rows(), start=1):
        if ws.row_dimensions[r].hidden:
            if any(c.value is not None for c in row):
                hidden.append(r)
            continue
        cells: list[Any] = []
        for c, cell in enumerate(row, start=1):
            v = fill.get((r, c), cell.value)
            f = wf.cell(r, c).value
            if isinstance(f, str) and f.startswith("=") and (r, c) not in fill:
                if v is None:
                    grid.issues.append(Issue("table_formula_no_value", {"formula": f[:60]}, mark=grid.mark(r, c)))
                    grid.bad.add((r, c))
                else:
                    formula_cells.append(f"{column_letters(c)}{r}")
            if cell.data_type == "e" and v is not None:
                grid.issues.append(Issue("table_cell_error", {"raw": v}, mark=grid.mark(r, c)))
                grid.bad.add((r, c))
                v = None
            if isinstance(v, str) and not v.strip():
                v = None
            cells.append(v)
        grid.rows.append((r, cells))
    where = f"{display}:{grid.sheet}"
    if formula_cells:
        shown = ", ".join(formula_cells[:8]) + (" …" if len(formula_cells) > 8 else "")
        grid.issues.append(Issue("table_formulas_read", {"n": len(formula_cells), "cells": shown}, file=where,
                                 severity="warning"))
    if hidden:
        grid.issues.append(Issue("table_hidden_rows", {"rows": ", ".join(map(str, hidden))}, file=where,
                                 severity="warning"))
    return grid


# ------------------------------------------------------------------ headers
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


@dataclass
class Names:
    """What the scenario's names stand for, in headers (metrics, sectors) and in cells (sectors, areas): a
    name -> its id, an id -> itself. A name that two ids share stands for neither."""

    metrics: dict[str, str] = field(default_factory=dict)
    sectors: dict[str, str] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)

    def of(self, key: str) -> dict[str, str]:
        """The names a header's `PREFIXES` word may be followed by: `renewal`: sectors; a year map's key: none
        (a year follows, `_YEAR_HEAD`); else metrics."""
        return self.sectors if key == "renewal" else {} if key in YEAR_MAPS.values() else self.metrics


def _entries(section: LMap) -> dict[Any, LNode]:
    return {k: v for k, v in section.items.items() if not (is_table_ref(section) and k in (FROM, SHEET))}


def names_in(trees: list[LMap], read: dict[str, LMap] | None = None) -> Names:
    """The names of the `metrics`, `resources`, `sectors` and `areas` of `trees` (the file and what it
    extends) and of the tables already `read` from the file, beside `METRIC_NAMES`."""
    found: dict[str, dict[str, set[str]]] = {"metrics": {}, "sectors": {}, "areas": {}}
    ids: dict[str, set[str]] = {"metrics": set(), "sectors": set(), "areas": set()}
    for section, kind in (("resources", "metrics"), ("metrics", "metrics"), ("sectors", "sectors"),
                          ("areas", "areas")):
        sources = [t.items.get(section) for t in trees]
        if read and section in read:
            sources.append(read[section])
        for sec in sources:
            if not isinstance(sec, LMap):
                continue
            for k, v in _entries(sec).items():
                ids[kind].add(str(k))
                name = v.items.get("name") if isinstance(v, LMap) else None
                if isinstance(name, LScalar) and isinstance(name.value, str):
                    found[kind].setdefault(_nfkc(name.value), set()).add(str(k))
    out = Names(metrics={n: mid for mid, ns in METRIC_NAMES.items() for n in ns})
    for kind in found:
        table = getattr(out, kind)
        table.update({n: next(iter(k)) for n, k in found[kind].items() if len(k) == 1})
        table.update({n: n for n in ids[kind]})
    return out


def header_key(text: str, section: str, names: Names) -> tuple | None:
    """The key path a header names (without its unit), or None."""
    if text in ID_HEADERS:
        return ("id",)
    parts = text.split(".")
    if len(parts) > 1 and all(parts) and parts[0] in KEYS[section] and not _UNIT.match(text):  # no unit: below
        if parts[0] == YEAR_MAPS.get(section) and len(parts) == 2 and parts[1].isdigit():
            return (parts[0], int(parts[1]))  # a year, as the YAML reader reads the key of a year map
        return tuple(parts)
    if text in KEYS[section]:
        return (text,)
    for key, zh in HEADERS[section].items():
        if text in zh:
            return tuple(key.split("."))
    year = _YEAR_HEAD.match(text) if section in YEAR_MAPS else None
    if year is not None:
        return (YEAR_MAPS[section], int(year.group(1)))
    for word, key in PREFIXES[section].items():
        rest = text[len(word):].strip()
        if text.startswith(word) and rest:
            found = names.of(key).get(rest)
            return (key, found) if found else None
    return None


def parse_header(raw: Any, section: str, names: Names) -> tuple[tuple | None, str | None]:
    """(key path, unit or None) of a header cell; the path is None when it names no key. A bracketed
    end is a unit unless the whole text is a name (`用能 (等价值)`)."""
    text = _nfkc(str(raw))
    path = header_key(text, section, names)
    if path is not None:
        return path, None
    m = _UNIT.match(text)
    if m and m.group(1):
        return header_key(m.group(1), section, names), m.group(2).strip()
    return None, None


def known_headers(section: str, names: Names) -> list[str]:
    """Every header word of a section (for the did-you-mean)."""
    out = [*ID_HEADERS, *KEYS[section], *(w for zh in HEADERS[section].values() for w in zh)]
    for word, key in PREFIXES[section].items():
        out += [word + n for n in names.of(key) if not n.isascii()]
    return out


# ------------------------------------------------------------------ cells
def _number(text: str) -> int | float | None:
    if not text or not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        return None
    plain = text.replace(",", "")
    try:
        return int(plain) if re.fullmatch(r"[-+]?[0-9]+", plain) else float(plain)
    except ValueError:
        return None


def _plain_number(v: float) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else str(v)


class _Cells:
    """Turns cells into located values for one table."""

    def __init__(self, grid: Grid, issues: list[Issue], section: str, names: Names):
        self.grid = grid
        self.issues = issues
        self.section = section
        self.ids = {("sector",): names.sectors, ("sites", "area"): names.areas} if section == "projects" else {}
        """Cells that may give a name for an id: a project's sector and the areas of its sites."""

    def value(self, v: Any, path: tuple, unit: str | None, mark: Mark, where: str) -> LNode | None:
        """The located value of a cell under the key `path` (None: left out, and reported). Text is kept as
        written (stripped); only figures are read through NFKC (full-width digits) and without thousands
        separators."""
        top = path[0]
        ids = self.ids.get(path, {})
        if isinstance(v, str):
            v = v.strip()
        if top in TEXT_KEYS:
            text = _plain_number(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else str(v)
            return LScalar(ids.get(_nfkc(text), text) if ids else text, mark, text, True)
        if isinstance(v, str) and v[:1] in "[{\uff3b\uff5b":
            return self.flow(_nfkc(v), mark, where)
        if top in LIST_KEYS:
            items = _SPLIT.split(v) if isinstance(v, str) else [v]
            out: list[LNode] = []
            for item in items:
                if isinstance(item, str) and ids and _nfkc(item) in ids:
                    out.append(LScalar(ids[_nfkc(item)], mark, item, True))
                    continue
                n = _number(_nfkc(item)) if isinstance(item, str) else item
                out.append(LScalar(item if n is None else n, mark, str(item), n is None))
            return LSeq(out, mark)
        if isinstance(v, str) and top in FLAG_KEYS and v in YES_NO:
            return LScalar(YES_NO[v], mark, v)
        if isinstance(v, str) and top in YEAR_KEYS and (year := _YEAR_CELL.match(_nfkc(v))):
            return LScalar(int(year.group(1)), mark, v)
        if isinstance(v, bool):
            return LScalar(v, mark, str(v).lower())
        if isinstance(v, (int, float)):
            number: Any = v
        elif isinstance(v, str):
            figure = _nfkc(v)
            number = _number(figure)
            if number is None:
                head = _QTY_HEAD.match(figure)
                if head is not None and top not in NUMBER_KEYS:  # a number with its own unit: '1,200 亩'
                    text = head.group(1).replace(",", "") + (head.group(2) or "") + " " + head.group(3)
                    return LScalar(text, mark, v, True)
                if top in QUANTITY_KEYS or top in NUMBER_KEYS:
                    self.issues.append(Issue("table_not_number", {"raw": v}, mark=mark, path=where))
                    return None
                return LScalar(v, mark, v, False)
        else:  # a date, a time: never a figure
            if top in QUANTITY_KEYS or top in NUMBER_KEYS:
                self.issues.append(Issue("table_not_number", {"raw": str(v)}, mark=mark, path=where))
                return None
            return LScalar(str(v), mark, str(v), True)
        if unit and top in QUANTITY_KEYS:
            text = f"{number!r} {unit}"
            return LScalar(text, mark, text, True)
        return LScalar(number, mark, str(number))

    def flow(self, text: str, mark: Mark, where: str) -> LNode | None:
        """A cell written as YAML (`{2021: 100, 2022: 120}`, `[0.3, 0.7, 1.0]`): every value placed at the cell."""
        node, problems = parse_text(text, mark.label)
        if problems or node is None:
            for p in problems:
                p.mark, p.path = mark, where
            self.issues.extend(problems)
            return None
        return _relocate(node, mark)


def _relocate(node: LNode, mark: Mark) -> LNode:
    if isinstance(node, LMap):
        return LMap({k: _relocate(v, mark) for k, v in node.items.items()}, mark, dict.fromkeys(node.items, mark))
    if isinstance(node, LSeq):
        return LSeq([_relocate(v, mark) for v in node.items], mark)
    return LScalar(node.value, mark, node.raw, node.quoted)


# ------------------------------------------------------------------ the tree
def grid_tree(grid: Grid, section: str, anchor: Mark, names: Names, issues: list[Issue],
              cell_issues: list[Issue]) -> LMap | None:
    """The section's located tree from a table's rows, or None when the table's shape is wrong (a header,
    an id: in `issues`); problems of single cells go to `cell_issues` (the cell is left out)."""
    rows = [(n, row) for n, row in grid.rows if any(c is not None for c in row)]
    if not rows:
        issues.append(Issue("table_empty", {"path": grid.display}, path=section, mark=anchor))
        return None
    head_at = next((i for i, (_n, row) in enumerate(rows)
                    if any(c is not None and _nfkc(str(c)) in ID_HEADERS for c in row)), None)
    if head_at is None:
        n, first = rows[0]
        shown = ", ".join(_nfkc(str(c)) for c in first if c is not None)
        issues.append(Issue("table_no_id", {"got": shown[:120]}, mark=grid.mark(n, 1), path=section))
        return None
    head_row, head = rows[head_at]
    columns: dict[int, tuple[tuple, str | None, Mark]] = {}
    seen: dict[tuple, Mark] = {}
    structural = False
    known = known_headers(section, names)
    for c, raw in enumerate(head, start=1):
        if raw is None:
            continue
        mark = grid.mark(head_row, c)
        path, unit = parse_header(raw, section, names)
        if path is None:
            issues.append(Issue("table_header_unknown", {"got": _nfkc(str(raw)), "section": section,
                                                          "allowed": ", ".join(("id", *KEYS[section]))},
                                mark=mark, path=section, suggest=closest(_nfkc(str(raw)), known)))
            structural = True
            continue
        if unit is not None:
            problem = None
            if path[0] not in QUANTITY_KEYS:
                problem = "table_header_unit_not_here"
            else:
                try:
                    units.parse_unit(unit)
                except units.UnitError:
                    problem = "table_header_unit"
            if problem:
                issues.append(Issue(problem, {"got": _nfkc(str(raw)), "unit": unit, "key": ".".join(path)},
                                    mark=mark, path=section))
                structural = True
                continue
        clash = next((m for p, m in seen.items() if (p[: len(path)] == path or path[: len(p)] == p)
                      and not _year_and_total(section, p, path)), None)
        if clash is not None:
            issues.append(Issue("table_duplicate_column", {"key": ".".join(path), "first": str(clash)},
                                mark=mark, path=section))
            structural = True
            continue
        seen[path] = mark
        columns[c] = (path, unit, mark)
    id_col = next(c for c, (p, _u, _m) in columns.items() if p == ("id",))
    cells = _Cells(grid, cell_issues, section, names)
    before = len(issues)
    items: dict[Any, LNode] = {}
    key_marks: dict[Any, Mark] = {}
    for n, row in rows[head_at + 1:]:
        raw_id = row[id_col - 1] if id_col <= len(row) else None
        id_mark = grid.mark(n, id_col)
        if raw_id is None:
            issues.append(Issue("table_row_no_id", {"row": n}, mark=id_mark, path=section))
            continue
        rid = _plain_number(raw_id) if isinstance(raw_id, float) else str(raw_id).strip()
        if rid in items:  # its cells are still read (and their problems reported), the row is not kept
            issues.append(Issue("table_duplicate_id", {"id": rid, "first": key_marks[rid].line}, mark=id_mark,
                                path=f"{section}.{rid}"))
        entry = LMap({}, id_mark)
        filled: dict[tuple, Mark] = {}
        under: dict[tuple, Mark] = {}  # every proper prefix of a filled path: the first cell under it
        for c, (path, unit, hmark) in columns.items():
            if c == id_col or c > len(row) or row[c - 1] is None or (n, c) in grid.bad:
                continue
            where = ".".join(map(str, (section, rid, *path)))
            here = grid.mark(n, c)
            # a filled path that is this one's prefix, or one that this path is a prefix of (dict lookups: a
            # province's row has hundreds of cells)
            twice = next((filled[path[:k]] for k in range(1, len(path) + 1) if path[:k] in filled),
                         None) or under.get(path)
            if twice is not None:  # a year map's key: its single value and a year's value in one row
                cell_issues.append(Issue("table_value_twice", {"key": path[0], "first": twice.label}, mark=here,
                                         path=where))
                continue
            node = cells.value(row[c - 1], path, unit, here, where)
            if node is None:
                continue
            filled[path] = here
            for k in range(1, len(path)):
                under.setdefault(path[:k], here)
            at = entry
            for k in path[:-1]:
                nxt = at.items.get(k)
                if not isinstance(nxt, LMap):
                    nxt = at.items[k] = LMap({}, hmark)
                    at.key_marks[k] = hmark
                at = nxt
            at.items[path[-1]] = node
            at.key_marks[path[-1]] = hmark
        if rid not in items:
            items[rid] = entry
            key_marks[rid] = id_mark
    if structural or len(issues) > before:
        return None
    return LMap(items, anchor, key_marks)


def _year_and_total(section: str, a: tuple, b: tuple) -> bool:
    """True for two columns of a year map's key, one for its single value and one for a year (`budget` and
    `2024`): a row may fill either."""
    key = YEAR_MAPS.get(section)
    return key is not None and a[0] == b[0] == key and sorted((len(a), len(b))) == [1, 2]


def expand(root: LMap, base: LMap | None, yaml_path: Path, display: Any, allowed: tuple[Path, ...],
           issues: list[Issue], cell_issues: list[Issue], notes: list[Issue]) -> dict[str, tuple[LMap, LMap]]:
    """Read the tables `root` names; return section -> (the table's tree, the YAML's own entries).

    Problems that leave a table unread, or a column unknown, go to `issues` (loading stops after every
    table is read); problems of single cells go to `cell_issues` (the cell is left out and checking goes
    on); warnings go to `notes`. `display` turns a path into the name messages show.
    """
    out: dict[str, tuple[LMap, LMap]] = {}
    for section in SECTIONS:
        node = root.items.get(section)
        if not is_table_ref(node):
            continue
        assert isinstance(node, LMap)
        ref = node.items[FROM]
        assert isinstance(ref, LScalar)
        sheet = node.items.get(SHEET)
        own = LMap({k: v for k, v in node.items.items() if k not in (FROM, SHEET)}, node.mark,
                   {k: m for k, m in node.key_marks.items() if k not in (FROM, SHEET)})
        where = f"{section}.{FROM}"
        target = (yaml_path.parent / ref.value)
        try:
            real = target.resolve()
        except (RuntimeError, OSError):
            issues.append(Issue("table_missing", {"target": ref.value, "path": str(target)}, path=where, mark=ref.mark))
            continue
        shown = display(real)
        if not real.is_file():
            issues.append(Issue("table_missing", {"target": ref.value, "path": shown}, path=where, mark=ref.mark))
            continue
        if not any(real == f or f in real.parents for f in allowed):
            issues.append(Issue("extends_outside", {"target": ref.value, "folder": display(allowed[0])},
                                path=where, mark=ref.mark))
            continue
        suffix = real.suffix.lower()
        if suffix not in SUFFIXES:
            issues.append(Issue("table_kind", {"target": ref.value, "suffix": suffix or "(none)"}, path=where,
                                mark=ref.mark))
            continue
        if suffix == ".csv":
            if sheet is not None:
                issues.append(Issue("table_sheet_csv", {"target": ref.value}, path=f"{section}.{SHEET}",
                                    mark=sheet.mark))
                continue
            grid: Grid | None = read_csv(real, shown)
        else:
            if sheet is not None and not isinstance(sheet, LScalar):
                issues.append(Issue("table_sheet_missing", {"got": "…", "path": shown, "known": "…"},
                                    path=f"{section}.{SHEET}", mark=sheet.mark))
                continue
            grid = read_xlsx(real, shown, sheet, issues, f"{section}.{SHEET}")
        if grid is None:
            continue
        unreadable = [i for i in grid.issues if i.code == "table_unreadable"]
        if unreadable:
            issues.extend(unreadable)
            continue
        cell_issues.extend(i for i in grid.issues if i.severity == "error")
        notes.extend(i for i in grid.issues if i.severity != "error")
        names = names_in([t for t in (base, root) if t is not None], {s: t for s, (t, _own) in out.items()})
        tree = grid_tree(grid, section, ref.mark, names, issues, cell_issues)
        if tree is None:
            continue
        out[section] = (tree, own)
    return out
