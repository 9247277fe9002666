"""A section's entries written as a table that `landopt.input.tables` reads back to the same entries.

One row per id, one dotted column per key (`existing.tax`, `per_mu.crystal.energy`), a resource's budget by year
as one column per year (`2021年`), lists joined with ", ", a year map anywhere else as a `{2021: 100}` cell, a
float written with every digit (`repr`), so the table gives the very numbers the YAML gave (tests/test_tables.py
exports the same LP from every scenario converted this way). Used by the round-trip tests and by
benchmarks/gen_province.py; pure Python, no table library.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any


def cell_text(v: Any) -> str:
    """A value as a cell the reader reads back to it."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, list):
        return ", ".join(cell_text(x) for x in v) if v else "[]"
    if isinstance(v, dict):  # a year map
        return "{" + ", ".join(f"{k}: {cell_text(x)}" for k, x in v.items()) + "}"
    return str(v)


def flat_row(entry: Mapping[str, Any], prefix: tuple[str, ...] = ()) -> dict[str, Any]:
    """An entry as {dotted column: value}; a top-level `budget` year map as one `YEAR年` column per year."""
    out: dict[str, Any] = {}
    for k, v in entry.items():
        if prefix == () and k == "budget" and isinstance(v, dict):
            out.update({f"{y}年": x for y, x in v.items()})
        elif isinstance(v, dict) and v and not all(str(x).isdigit() for x in v):
            out.update(flat_row(v, (*prefix, str(k))))
        else:
            out[".".join((*prefix, str(k)))] = v
    return out


def csv_text(rows: Mapping[str, Mapping[str, Any]]) -> str:
    """The entries `rows` (id -> entry) as CSV text: an `id` column, then every column any row has."""
    flat = {rid: flat_row(entry) for rid, entry in rows.items()}
    columns = list(dict.fromkeys(c for f in flat.values() for c in f))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["id", *columns])
    for rid, f in flat.items():
        w.writerow([rid, *(cell_text(f[c]) if c in f else "" for c in columns)])
    return buf.getvalue()


def write_csv(rows: Mapping[str, Mapping[str, Any]], path: Path) -> None:
    """`csv_text(rows)` in UTF-8 with a BOM (as Excel writes "CSV UTF-8")."""
    Path(path).write_text(csv_text(rows), encoding="utf-8-sig", newline="")
