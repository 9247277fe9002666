"""Helpers shared by the solve report and the comparison: number formats, labels, row status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from landopt.report.words import tr, unit_label
from landopt.report.model import Num
from landopt.model.rules import KINDS
from landopt.model.spec import Rule, Spec, display_name, metric_name, stage_name  # noqa: F401 (used here and re-exported)
from landopt.model.units import UnitError, parse_unit

if TYPE_CHECKING:  # pragma: no cover
    from landopt.engine.readback import DiagnosisEntry, RowOut

PCT = Num(1, percent=True)
PRICE = Num(2, significant=True)
INTENSITY = Num(2, significant=True)
"""Per-unit values: two decimals, and at least two significant digits below 1 (0.6 tce/万元 in 万tce is 0.00006)."""
ENERGY_PER_MONEY = Num(3)
INT = Num(0)

_DECIMALS = {
    "mu": 1, "亩": 1, "ha": 2, "公顷": 2, "km2": 4, "平方公里": 4, "平方千米": 4, "m2": 0, "平方米": 0,
    "元": 0, "yuan": 0, "万元": 0, "亿元": 2, "tce": 1, "吨标准煤": 1, "吨标煤": 1, "kgce": 0, "千克标准煤": 0,
    "items": 0, "个": 0, "万tce": 4, "万吨标准煤": 4, "t": 2, "吨": 2, "kg": 0, "千克": 0, "公斤": 0, "万t": 4, "万吨": 4,
    "人": 0, "个": 0, "家": 0, "项": 0,
}


def num_for_unit(unit: str) -> Num:
    """Sensible rounding for a quantity in `unit`: 亩 to 0.1, 万元 to 1, 亿元 to 0.01, tce to 0.1, t to 0.01.

    A compound unit (万元/亩, tce/万元) is an intensity: two decimals.
    """
    if "/" in unit:
        return INTENSITY
    return Num(_DECIMALS.get(unit, 2))


def metric_num(spec: Spec, metric: str) -> Num:
    """Rounding of a metric in the scenario's units."""
    return num_for_unit(spec.unit_of(metric))


def metric_unit(spec: Spec, metric: str, lang: str) -> str:
    """Display unit of a metric ('亩' for land in Chinese)."""
    return unit_label(spec.unit_of(metric), lang)


def land_unit(spec: Spec, lang: str) -> str:
    """Display unit of land."""
    return metric_unit(spec, "land", lang)


def metric_label(spec: Spec, metric: str, lang: str) -> str:
    """Display name of a metric as a column names it ('New land' / '新增用地' for land)."""
    if metric == "land":
        return "New land" if lang != "zh" else "新增用地"
    return metric_name(spec, metric, lang)


def area_name(spec: Spec, area: str, lang: str) -> str:
    """The area's display name."""
    return display_name(spec.areas[area], lang)


def sector_name(spec: Spec, sector: str, lang: str) -> str:
    """The sector's display name."""
    return display_name(spec.sectors[sector], lang)


def resource_name(spec: Spec, resource: str, lang: str) -> str:
    """The resource's display name."""
    return display_name(spec.resources[resource], lang)


def group_text(spec: Spec, group: dict[str, str], lang: str) -> str:
    """Names of a rule instance's group, e.g. '浦江开发区核心区 / 光电光伏' ('' for the whole zone)."""
    parts = []
    for k, v in group.items():
        if k == "area" and v in spec.areas:
            parts.append(area_name(spec, v, lang))
        elif k == "sector" and v in spec.sectors:
            parts.append(sector_name(spec, v, lang))
        elif k == "project" and v in spec.projects:
            parts.append(display_name(spec.projects[v], lang))
        elif k == "area_tag":
            parts.append(tr("tag_group", lang, tag=v))
        else:
            parts.append(str(v))
    return " / ".join(parts)


def role_label(role: str, lang: str) -> str:
    """'主平台' / 'main platform' and so on."""
    return tr(f"role_{role}", lang)


def status_label(status: str, lang: str) -> str:
    """A solve status in words."""
    key = f"st_{status}"
    try:
        return tr(key, lang)
    except KeyError:
        return status


def row_status(row: "RowOut") -> str:
    """met | binding | violated | relaxed | not_placed (a screen of a project left out) | outside (a screen of a
    project placed where the rule does not apply), for one `landopt.engine.readback.RowOut`."""
    if "project" in row.group and row.value is None and row.violation <= 0:
        return "outside" if row.placed else "not_placed"
    if row.relaxed is not None:
        return "relaxed"
    if row.violation > 0:
        return "violated"
    if row.binding:
        return "binding"
    return "met"


@dataclass(frozen=True)
class Shown:
    """How the bound of a row (and everything measured against it) is shown.

    Attributes:
        factor: Shown value = factor x value in the scenario's units (1e4 for 万tce/万元 shown in tce/万元).
        unit: Display unit ('%' for a share).
        num: Number format (a percentage for a share).
        step: One unit of the shown bound in the scenario's units (0.01 for a percentage point): the
            step a shadow price is quoted for, i.e. price per shown unit = price x step.
    """

    factor: float
    unit: str
    num: Num
    step: float

    @property
    def percent(self) -> bool:
        """True for a share shown in %."""
        return self.num.percent

    def __call__(self, v: float | None) -> float | None:
        """`v` (in the scenario's units) as shown."""
        return None if v is None else v * self.factor

    def step_text(self, lang: str) -> str:
        """'1 个百分点', '1 tce/万元': what a shadow price is quoted per."""
        if self.percent:
            return tr("pct_point", lang)
        return tr("one_unit", lang, unit="item" if self.unit == "items" else self.unit)


def is_fraction(spec: Spec, rule: Rule) -> bool:
    """True when the rule bounds a fraction, shown in % (the kind says: a share, or a ratio of like
    quantities such as high-tech value added per value added, 万元/万元)."""
    a = spec.metrics.get(rule.metric)
    b = spec.metrics.get(rule.per) if rule.per else None
    return KINDS[rule.kind].shown_in_percent(a.dim if a else None, b.dim if b else None)


class RowUnits:
    """The display units of a result's rows: each rule in the unit its bound was written in.

    Shares and same-dimension intensities show as percentages; a rule whose bound the file wrote in
    another unit of the same dimension than the scenario's shows in the written unit: an intensity
    (``max: "0.6 tce/万元"`` with energy in 万tce: 0.60 tce/万元, not 0.000060 万tce/万元) or a total
    (``min: "1017.2 亿元"``: 1,017.2 亿元, not 10,172,000 万元); everything else in the row's unit.
    """

    def __init__(self, spec: Spec, lang: str) -> None:
        self.spec = spec
        self.lang = lang
        self.rules = {r.id: r for r in spec.rules}
        self.cache: dict[tuple[str, str, str], Shown] = {}

    def row(self, x: "RowOut") -> Shown:
        """How the row `x` is shown."""
        return self.of(x.kind, x.id, x.unit)

    def rule(self, rule: Rule) -> Shown:
        """How rule `rule`'s bound and value are shown."""
        return self.of("rule", rule.id, rule.unit)

    def rule_value(self, rule: Rule, v: float | None) -> float | None:
        """`v` (in the scenario's units) as rule `rule` shows it."""
        return self.rule(rule)(v)

    def rule_unit(self, rule: Rule) -> str:
        """The unit rule `rule` is shown in ('%' for a share)."""
        return self.rule(rule).unit

    def entry(self, d: "DiagnosisEntry") -> Shown:
        """How a diagnosis entry is shown (the same as its row)."""
        return self.of("rule" if d.target == "rule" else d.target, d.id, d.unit)

    def of(self, kind: str, rid: str, unit: str) -> Shown:
        """How a row of `kind` and id `rid`, measured in `unit` (the scenario's), is shown."""
        key = (kind, rid, unit)
        if key not in self.cache:
            self.cache[key] = self._shown(self.rules.get(rid) if kind == "rule" else None, unit)
        return self.cache[key]

    def _shown(self, rule: Rule | None, unit: str) -> Shown:
        plain = Shown(1.0, unit_label(unit, self.lang), num_for_unit(unit), 1.0)
        if rule is None:
            return plain
        if is_fraction(self.spec, rule):
            return Shown(1.0, "%", PCT, 0.01)
        written = rule.written_unit
        if not written or written == unit:
            return plain
        try:
            dim, to_base = parse_unit(written)
            own_dim, own_to_base = parse_unit(unit)
        except UnitError:  # a unit-less row ('' for a count), or one resolve wrote differently
            return plain
        if dim != own_dim:  # e.g. a total written per another dimension: keep the row's unit
            return plain
        factor = own_to_base / to_base
        if abs(factor - 1.0) < 1e-12:
            return Shown(1.0, unit_label(written, self.lang), num_for_unit(written), 1.0)
        return Shown(factor, unit_label(written, self.lang), num_for_unit(written), 1.0 / factor)


def row_label(row: "RowOut", lang: str) -> str:
    """What a row limits, in words: the rule's or resource's name, or e.g. 'capacity 郑家坞片区'."""
    name = display_name(row, lang)
    if row.kind in ("rule", "budget"):
        return name
    return f"{tr('lk_' + row.kind, lang)} {name}"


def row_key(row: "RowOut") -> tuple:
    """Identity of a row across plans: kind, id, group, year, side."""
    return (row.kind, row.id, tuple(row.group.items()), row.year, row.side)


def objective_label(spec: Spec, lang: str, stage: int = 0) -> tuple[str, str]:
    """(name, unit) of an objective stage, e.g. ('税收', '万元'); the unit is '' when it mixes units.

    The name is the stage's `name` (or in English its `name_en`) when the scenario gives one (e.g. that
    the objective sums 2021-2025), else the name of its metric.
    """
    st = spec.stages[stage]
    name = stage_name(spec, stage, lang)
    units = {spec.unit_of(m) for m in st.weights}
    unit = units.pop() if len(units) == 1 else ""
    return name, unit_label(unit, lang)


def years_text(spec: Spec) -> str:
    """'2021-2025' (or the list when not consecutive); '' for a single-year scenario."""
    ys = [y for y in spec.years if y is not None]
    if not ys:
        return ""
    if ys == list(range(ys[0], ys[-1] + 1)) and len(ys) > 1:
        return f"{ys[0]}-{ys[-1]}"
    return ", ".join(map(str, ys))


def source_notes(spec: Spec, lang: str) -> list[str]:
    """The 'source; data year' line of the report's header (once per report), when the scenario gives them."""
    parts = []
    if spec.source:
        parts.append(tr("hdr_source", lang, source=spec.source))
    if spec.data_year:
        parts.append(tr("hdr_data_year", lang, year=spec.data_year))
    return [("；" if lang == "zh" else "; ").join(parts)] if parts else []
