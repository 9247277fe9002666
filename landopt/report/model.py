"""The format-neutral report model that every renderer reads.

A `Report` is a title, a few header lines and a list of `Section`s; a section
holds plain-language paragraphs, `Table`s and `Chart`s. Tables carry raw
numbers (never pre-formatted text) plus a `Num` format per column, so every
number is computed once, by `landopt.report.sections` or
`landopt.report.compare`, and each renderer decides only how to show it:
`format_number` for text formats, a real number format for xlsx.

This module is pure Python (no numpy), so renderers stay light.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Union


@dataclass(frozen=True)
class Num:
    """How a numeric column is shown.

    Attributes:
        decimals: Digits after the decimal point.
        percent: The value is a fraction shown as a percentage (0.7 -> 70.0%).
        significant: Show at least two significant digits for values in [1e-6, 1)
            (shadow prices: 51.00, 0.0034); smaller ones are zero to the reader.
    """

    decimals: int = 2
    percent: bool = False
    significant: bool = False


class _Disallowed:
    """Marker of an area x sector cell that the scenario does not allow (not a zero)."""

    def __repr__(self) -> str:
        return "DISALLOWED"


DISALLOWED = _Disallowed()
"""The one disallowed-cell marker; renderers show it as `DISALLOWED_MARK` (or `DISALLOWED_ASCII`)."""

DISALLOWED_MARK = "×"
DISALLOWED_ASCII = "x"
"""Plain-text tables use ASCII: '×' is East-Asian *ambiguous* and misaligns in some terminals."""


@dataclass(frozen=True)
class Cell:
    """A value with its own number format (overrides the column's), e.g. a share in a land column."""

    value: float | None
    num: Num


Value = Union[float, int, str, None, Cell, _Disallowed]


@dataclass
class Column:
    """One column: its header (units included) and, for numbers, their format (None: text)."""

    key: str
    header: str
    num: Num | None = None
    max_width: int | None = None
    """Plain-text tables cut longer cells to this display width (other formats keep them whole)."""

    @property
    def numeric(self) -> bool:
        """True for a numeric column (right-aligned, number format in xlsx)."""
        return self.num is not None


@dataclass
class Table:
    """A table: body rows, then footer rows (合计 / Total and the like) after a rule, then notes."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Value]]
    footer: list[list[Value]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def column(self, key: str) -> int:
        """Index of the column with this key (KeyError when absent)."""
        for i, c in enumerate(self.columns):
            if c.key == key:
                return i
        raise KeyError(key)


@dataclass
class Series:
    """One named series of a chart (one value per category; None for no bar)."""

    name: str
    values: list[float | None]


@dataclass
class Chart:
    """A chart for the html report.

    Attributes:
        kind: 'stacked' (bars stacked by series), 'grouped' (bars side by side),
            or 'hbar' (horizontal bars of one series, shown as percentages).
        title: Caption.
        categories: Labels along the category axis.
        series: Data.
        unit: Unit of the value axis.
        targets: Optional target per category, drawn as a marker line.
        target_label: Legend text of the target marker.
        ordered: How many of the first series are in order (the years of a plan): drawn in shades of one
            colour, light to dark; the series after them take the palette from its second colour.
    """

    key: str
    kind: str
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    targets: list[float | None] | None = None
    target_label: str = ""
    ordered: int = 0

    @property
    def has_data(self) -> bool:
        """True when the chart draws something: a nonzero value of some series or a target (a chart of
        per-mu results without stock would otherwise be an empty 0-1 axis)."""
        def drawn(v: float | None) -> bool:
            return v is not None and math.isfinite(v) and v != 0
        return bool(self.categories) and (any(drawn(v) for s in self.series for v in s.values)
                                          or any(drawn(v) for v in self.targets or []))


@dataclass(frozen=True)
class Figure:
    """A picture drawn elsewhere (a sweep's matplotlib SVG), shown as it is by the html renderer; the other
    renderers leave it out, as they leave out charts."""

    key: str
    title: str
    svg: str


@dataclass
class Section:
    """One part of the report, e.g. 摘要 / Summary."""

    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)


@dataclass
class Report:
    """A whole report: what every renderer takes."""

    title: str
    lang: str
    header: list[str]
    sections: list[Section]

    def section(self, key: str) -> Section:
        """The section with this key (KeyError when absent)."""
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def table(self, key: str) -> Table:
        """The first table with this key in any section (KeyError when absent)."""
        for s in self.sections:
            for t in s.tables:
                if t.key == key:
                    return t
        raise KeyError(key)


def split(value: Value, column: Column) -> tuple[object, Num | None]:
    """(raw value, number format) of a cell: a `Cell` brings its own format."""
    if isinstance(value, Cell):
        return value.value, value.num
    return value, column.num


def _decimals(v: float, num: Num) -> int:
    if num.significant and 1e-6 <= abs(v) < 1:
        return max(num.decimals, 1 - math.floor(math.log10(abs(v))))
    return num.decimals


def _quantize(x: float, num: Num) -> Decimal:
    """`x` (already x100 for a percentage) rounded as shown: half up, never -0."""
    d = _decimals(x, num)
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)  # 2.5 -> 3, as on paper
    return abs(q) if q == 0 else q  # never '-0.0'


def rounded(v: float, num: Num) -> float:
    """`v` rounded as `format_number` shows it (a fraction for a percentage): values that print the
    same compare equal, whatever noise the solver left below the shown precision."""
    if math.isnan(v) or math.isinf(v):
        return v
    scale = 100.0 if num.percent else 1.0
    return float(_quantize(float(v) * scale, num)) / scale


def format_number(v: float | None, num: Num, thousands: bool = True) -> str:
    """Text of a number: rounded as `num` says, never '-0', '' for None or NaN.

    Args:
        v: The value (a fraction when `num.percent`).
        num: The format.
        thousands: Group thousands with ',' (off for CSV).
    """
    if v is None or (isinstance(v, float) and (math.isnan(v) or math.isinf(v))):
        return ""
    x = float(v) * (100.0 if num.percent else 1.0)
    d = _decimals(x, num)
    q = _quantize(x, num)
    text = f"{q:,.{d}f}" if thousands else f"{q:.{d}f}"
    return text + "%" if num.percent else text


def is_number(value: Value, column: Column) -> bool:
    """True when the cell shows a number (or the disallowed marker in a numeric column): right-align it."""
    if value is DISALLOWED:
        return True
    raw, num = split(value, column)
    return num is not None and isinstance(raw, (int, float)) and not isinstance(raw, bool)


def cell_text(value: Value, column: Column, disallowed: str = DISALLOWED_MARK, thousands: bool = True) -> str:
    """The text of one cell for the text formats (table, markdown, csv, html)."""
    if value is DISALLOWED:
        return disallowed
    raw, num = split(value, column)
    if raw is None:
        return ""
    if is_number(value, column):
        return format_number(raw, num, thousands)  # type: ignore[arg-type]
    return str(raw)
