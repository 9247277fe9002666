"""Units: a small own table, NFKC-normalised, with dimension checks.

A quantity is written ``"<number> <unit>"``, where the unit is a name from
`UNITS` or ``"<unit>/<unit>"`` (at most one slash): ``"17.24 km2"``,
``"2.3 亿元"``, ``"500 万元/亩"``, ``"1.2 万tce"``, ``"70%"``. Full-width
characters (``５``, ``／``) are normalised first (NFKC), so ``"５ 万元／亩"``
reads as ``"5 万元/亩"``.

Conversions: 1 mu (亩) = 10000/15 m2 (666.67), 1 ha = 15 mu, 1 km2 = 1500 mu,
1 万元 = 10^4 元, 1 亿元 = 10^4 万元, 1 万tce = 10^4 tce, 1 kg = 10^-3 t.
Each dimension has a base unit (m2, 元, tce, t, 1); a scenario's `units:` block
picks the unit that plain numbers are written in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MU_M2 = 10000.0 / 15.0

# name -> (dimension, factor to the dimension's base unit)
UNITS: dict[str, tuple[str, float]] = {}


def _add(dim: str, factor: float, *names: str) -> None:
    for n in names:
        UNITS[n] = (dim, factor)


_add("area", 1.0, "m2", "m²", "平方米")
_add("area", MU_M2, "mu", "亩")
_add("area", MU_M2 * 1e4, "万亩")
_add("area", 1e4, "ha", "公顷")
_add("area", 1e6, "km2", "km²", "平方公里", "平方千米")
_add("money", 1.0, "元", "yuan", "CNY")
_add("money", 1e4, "万元", "wan_yuan", "10k_yuan")
_add("money", 1e8, "亿元", "yi_yuan", "100m_yuan")
_add("energy", 1.0, "tce", "吨标准煤", "吨标煤")
_add("energy", 1e-3, "kgce", "千克标准煤")
_add("energy", 1e4, "万tce", "万吨标准煤", "万吨标煤", "10k_tce")
_add("mass", 1.0, "t", "吨", "tonne")
_add("mass", 1e-3, "kg", "千克", "公斤")
_add("mass", 1e4, "万t", "万吨")
_add("count", 1.0, "人", "person", "persons", "个", "家", "项")
_add("ratio", 1.0, "1", "ratio")
_add("ratio", 0.01, "%")

DEFAULT_UNITS = {"area": "mu", "money": "万元", "energy": "tce", "mass": "t", "count": "人"}

DIM_LABEL = {
    "en": {"area": "area", "money": "money", "energy": "energy", "mass": "mass", "count": "a count",
           "ratio": "a ratio"},
    "zh": {"area": "面积", "money": "金额", "energy": "能源", "mass": "质量", "count": "计数", "ratio": "比例"},
}

EXAMPLES = {
    "area": "'1200 亩', '17.24 km2', '80 ha'",
    "money": "'500 万元', '2.3 亿元'",
    "energy": "'30000 tce', '1.2 万tce'",
    "mass": "'40 t', '500 kg'",
    "ratio": "0.7 or '70%'",
}

MIN_ABS_NUMBER = 1e-12
"""Smallest nonzero magnitude of a quantity (in the scenario's units): below it a solver reads the
number as 0, or its scaling breaks (a coefficient of 1e-300 made CLP call a bounded plan unbounded)."""
MAX_ABS_NUMBER = 1e18
"""The largest magnitude accepted for any number, plain or in a quantity string (before units)."""

_QTY = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


class UnitError(ValueError):
    """A quantity could not be read; `code` and `params` describe why (for `Issue`)."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(f"{code}: {params}")


@dataclass(frozen=True)
class Dim:
    """A dimension, possibly a ratio of two: ('money', 'area') is money per area."""

    num: str
    den: str | None = None

    def __str__(self) -> str:
        return self.num if self.den is None else f"{self.num}/{self.den}"

    def label(self, lang: str = "en") -> str:
        """Human name, e.g. 'money per area' / '金额/面积'."""
        t = DIM_LABEL["zh" if lang == "zh" else "en"]
        if self.den is None:
            return t.get(self.num, self.num)
        sep = "/" if lang == "zh" else " per "
        return f"{t.get(self.num, self.num)}{sep}{t.get(self.den, self.den)}"


def normalise(text: str) -> str:
    """NFKC-normalise (full-width digits and slashes become ASCII) and trim."""
    return unicodedata.normalize("NFKC", text).strip()


def lookup(name: str) -> tuple[str, float]:
    """(dimension, factor to base) of one unit name; raises UnitError."""
    key = normalise(name)
    if key in UNITS:
        return UNITS[key]
    low = key.lower()
    for n, v in UNITS.items():
        if n.lower() == low:
            return v
    raise UnitError("unknown_unit", unit=name, raw=name, known=known_units())


def known_units() -> str:
    """The unit names, grouped by dimension, for messages."""
    groups: dict[str, list[str]] = {}
    for n, (d, _) in UNITS.items():
        if d != "ratio" or n == "%":
            groups.setdefault(d, []).append(n)
    return "; ".join(f"{d}: {', '.join(ns)}" for d, ns in groups.items())


def parse_unit(unit: str) -> tuple[Dim, float]:
    """'万元/亩' -> (Dim('money', 'area'), factor to base units)."""
    u = normalise(unit)
    parts = [p.strip() for p in u.split("/")]
    if len(parts) > 2 or any(not p for p in parts):
        raise UnitError("unknown_unit", unit=unit, raw=unit, known=known_units())
    dn, fn = lookup(parts[0])
    if len(parts) == 1:
        return Dim(dn), fn
    dd, fd = lookup(parts[1])
    if dn == "ratio" and fn == 1.0:  # '1/亩' is not meaningful here
        raise UnitError("unknown_unit", unit=unit, raw=unit, known=known_units())
    return Dim(dn, dd), fn / fd


def split_quantity(text: str) -> tuple[float, str]:
    """'17.24 km2' -> (17.24, 'km2'); '70%' -> (70.0, '%'); raises UnitError."""
    t = normalise(text)
    m = _QTY.match(t)
    if not m:
        raise UnitError("bad_quantity", raw=text)
    number = float(m.group(1))
    if not abs(number) <= MAX_ABS_NUMBER:  # also catches inf from '1e400'
        raise UnitError("number_overflow", raw=text)
    if re.match(r"^(?:[,_，:.]\d|\s*\d)", m.group(2)):  # '1,000 亩', '1_000', '1 000': a separator, not a unit
        raise UnitError("bad_quantity", raw=text)
    return number, m.group(2)


class UnitSystem:
    """The units plain numbers are written in (a scenario's `units:` block)."""

    def __init__(self, names: dict[str, str] | None = None):
        self.names = dict(DEFAULT_UNITS)
        self.names.update(names or {})
        self.factor: dict[str, float] = {"ratio": 1.0}
        for dim, name in self.names.items():
            d, f = parse_unit(name)
            if d.den is not None or d.num != dim:
                raise UnitError("wrong_dimension", raw=name, got=d.label(), expected=Dim(dim).label(),
                                example="")
            self.factor[dim] = f

    def unit_name(self, dim: Dim) -> str:
        """Display name of `dim` in this system, e.g. '万元/亩'."""
        def one(d: str) -> str:
            return "" if d == "ratio" else self.names.get(d, d)
        if dim.den is None:
            return one(dim.num)
        return f"{one(dim.num) or '1'}/{one(dim.den)}"

    def scale(self, dim: Dim) -> float:
        """Factor from this system's unit of `dim` to base units."""
        f = self.factor.get(dim.num, 1.0)
        if dim.den is not None:
            f /= self.factor.get(dim.den, 1.0)
        return f

    def convert(self, value: object, dim: Dim | None) -> float:
        """A YAML value (number, or quantity string) in this system's units of `dim`.

        `dim` None means the quantity's dimension is unknown: only plain numbers
        are accepted. Raises UnitError (codes: bad_quantity, unknown_unit,
        wrong_dimension, no_unit_known).

        A quantity in the unit plain numbers are written in (`'350 亩'` where `units.area` is mu) is
        exactly the plain number: `number * f / scale` may differ from it in the last bit (for 亩, about
        one number in six), which would make `capacity: 350 亩` and `capacity: 350` two models, and a table
        whose header names the scenario's unit (`可开发用地(亩)`) not the YAML it was written from.
        """
        if isinstance(value, bool):
            raise UnitError("bad_quantity", raw=value)
        out = self._convert(value, dim)
        if not abs(out) <= MAX_ABS_NUMBER:  # a huge number times a large unit, or inf/nan from Python data
            raise UnitError("number_overflow", raw=value)
        if out != 0.0 and abs(out) < MIN_ABS_NUMBER:
            raise UnitError("number_underflow", raw=value, limit=MIN_ABS_NUMBER)
        return out

    def _convert(self, value: object, dim: Dim | None) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        if not isinstance(value, str):
            raise UnitError("bad_quantity", raw=value)
        number, unit = split_quantity(value)
        if not unit:
            return number
        if dim is None:
            raise UnitError("no_unit_known", raw=value)
        try:
            got, f = parse_unit(unit)
        except UnitError as e:
            raise UnitError(e.code, **{**e.params, "raw": value}) from None
        if got == Dim("ratio") and dim == Dim("ratio"):
            return number * f
        if got != dim:
            raise UnitError("wrong_dimension", raw=value, got=got.label(), expected=dim.label(),
                            example=f" (e.g. {EXAMPLES[str(dim)]})" if str(dim) in EXAMPLES else "")
        scale = self.scale(dim)
        return number if f == scale else number * f / scale  # in the scenario's own unit: the number, exactly
