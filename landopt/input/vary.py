"""The values of a sweep as the user writes them, in ``--vary PATH=VALUES`` or in the scenario's ``sweep:`` block:
a list ``V1,V2,...`` (each as ``--set`` takes it) or a range ``START:STOP[:N]`` (two numbers, each perhaps with one
unit, and N >= 1 evenly spaced values). Read here, in the input stage, so that the block is checked where it is
written; `landopt.explore.sweep` builds the grid from the same reading.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from landopt.i18n.text import Bi

NUM = r"[+-]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
UNIT = r"[^\d\s:,+\-.][^:,]*?"
RANGE = re.compile(rf"^\s*(?P<a>{NUM})\s*(?P<ua>{UNIT})?\s*:\s*(?P<b>{NUM})\s*(?P<ub>{UNIT})?\s*"
                   rf"(?::\s*(?P<n>[^:]*?)\s*)?$")
VALUE = re.compile(rf"^\s*(?P<a>{NUM})\s*(?P<u>{UNIT})?\s*$")

WORDS = {
    "bad_n": Bi("N must be a whole number >= 1 of points, not {n!r}", "取点个数 N 须为不小于 1 的整数, 不能是 {n!r}"),
    "units_differ": Bi("`START` and `STOP` are in different units ({a}, {b})",
                       "`START` 与 `STOP` 的单位不同 ({a}, {b})"),
    "empty_value": Bi("{got!r} has an empty value", "{got!r} 中有空的取值"),
    "empty_list": Bi("an empty list of values", "取值列表为空"),
    "null_value": Bi("a value is null (~)", "有取值为空 (~)"),
    "bad_path": Bi("{got!r} is not a dotted path such as resources.land.budget",
                   "{got!r} 不是以点分隔的路径, 如 resources.land.budget"),
}


@dataclass(frozen=True)
class Range:
    """``START:STOP[:N]`` read: its ends, its unit ('' for none) and N (None when left out)."""

    lo: float
    hi: float
    unit: str
    n: int | None


def value_number(text: str) -> float | None:
    """The number of a value as written (``650``, ``20 万tce``), or None for any other value."""
    m = VALUE.match(text)
    return float(m["a"].replace("_", "")) if m else None


def read_range(text: str) -> Range | Bi | None:
    """`text` as a range: the `Range`, a `Bi` saying what is wrong with it, or None when it is not a range."""
    m = RANGE.match(text)
    if not m:
        return None
    ua, ub = (m["ua"] or "").strip(), (m["ub"] or "").strip()
    if ua and ub and ua != ub:
        return Bi(*(t.format(a=ua, b=ub) for t in WORDS["units_differ"]))
    n: int | None = None
    if m["n"] is not None:
        raw = m["n"].strip()
        if not raw.isdigit() or int(raw) < 1:
            return Bi(*(t.format(n=raw) for t in WORDS["bad_n"]))
        n = int(raw)
    return Range(float(m["a"].replace("_", "")), float(m["b"].replace("_", "")), ua or ub, n)


def split_values(text: str) -> list[str]:
    """`text` split at the commas outside brackets and quotes (a value may be a YAML list or mapping)."""
    out: list[str] = []
    cur: list[str] = []
    depth, quote = 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            out.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    out.append("".join(cur).strip())
    return out


def good_path(path: str) -> bool:
    """A dotted path with no empty part."""
    return bool(path.strip()) and all(p.strip() for p in path.split("."))


def set_text(value: Any) -> str:
    """A value of the scenario's ``sweep:`` block as ``--set`` takes it: a number to its last digit (whole numbers
    without '.0'), true/false, text as written, a list or mapping in YAML's flow form."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and math.isfinite(value) and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def block_problem(path: str, value: Any) -> Bi | None:
    """What is wrong with one entry ``PATH: VALUES`` of the ``sweep.vary`` block, or None; VALUES is a list, a
    number, or text read as ``--vary`` reads what follows '='."""
    if not good_path(path):
        return Bi(*(t.format(got=path) for t in WORDS["bad_path"]))
    if isinstance(value, list):
        if not value:
            return WORDS["empty_list"]
        if any(v is None for v in value):
            return WORDS["null_value"]
        return None
    if isinstance(value, str):
        r = read_range(value)
        if isinstance(r, Bi):
            return r
        if r is None and (not value.strip() or any(not v for v in split_values(value))):
            return Bi(*(t.format(got=value) for t in WORDS["empty_value"]))
    return None


def block_text(value: Any) -> str:
    """One entry of the ``sweep.vary`` block as the text after '=' in ``--vary PATH=...``."""
    if isinstance(value, list):
        return ",".join(json.dumps(v, ensure_ascii=False) if isinstance(v, str) and "," in v else set_text(v)
                        for v in value)
    return set_text(value)
