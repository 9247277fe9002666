"""Helpers shared by the solve report and the comparison: number formats, labels, row status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from landopt.report.i18n import tr, unit_label
from landopt.report.model import Num
from landopt.spec import Spec

if TYPE_CHECKING:  # pragma: no cover
    from landopt.result import RowOut

PCT = Num(1, percent=True)
PRICE = Num(2, significant=True)
INTENSITY = Num(2, significant=True)
"""Per-unit values: two decimals, and at least two significant digits below 1 (0.6 tce/万元 in 万tce is 0.00006)."""
ENERGY_PER_MONEY = Num(3)
INT = Num(0)

_DECIMALS = {
    "mu": 1, "亩": 1, "ha": 2, "公顷": 2, "km2": 4, "平方公里": 4, "平方千米": 4, "m2": 0, "平方米": 0,
    "元": 0, "yuan": 0, "万元": 0, "亿元": 4, "tce": 1, "吨标准煤": 1, "吨标煤": 1, "kgce": 0, "千克标准煤": 0,
    "万tce": 4, "万吨标准煤": 4, "t": 2, "吨": 2, "kg": 0, "千克": 0, "公斤": 0, "万t": 4, "万吨": 4,
    "人": 0, "个": 0, "家": 0, "项": 0,
}


def num_for_unit(unit: str) -> Num:
    """Sensible rounding for a quantity in `unit`: 亩 to 0.1, 万元 to 1, tce to 0.1, t to 0.01.

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
    """Display name of a metric ('New land' / '新增用地' for land)."""
    if metric == "land":
        return "New land" if lang != "zh" else "新增用地"
    return spec.metric_name(metric)


def area_name(spec: Spec, area: str) -> str:
    """The area's display name."""
    return spec.areas[area].name


def group_text(spec: Spec, group: dict[str, str]) -> str:
    """Names of a rule instance's group, e.g. '浦江开发区核心区 / 光电光伏' ('' for the whole zone)."""
    parts = []
    for k, v in group.items():
        if k == "area" and v in spec.areas:
            parts.append(spec.areas[v].name)
        elif k == "sector" and v in spec.sectors:
            parts.append(spec.sectors[v].name)
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
    """met | binding | violated | relaxed, for one `landopt.result.RowOut`."""
    if row.relaxed is not None:
        return "relaxed"
    if row.violation > 0:
        return "violated"
    if row.binding:
        return "binding"
    return "met"


def row_num(row: "RowOut") -> Num:
    """Rounding of a row's bound and achieved value: shares as %, intensities 2 decimals."""
    if row.rule_kind == "share":
        return PCT
    return num_for_unit(row.unit)


def row_unit(row: "RowOut", lang: str) -> str:
    """Display unit of a row's bound ('%' for a share)."""
    if row.rule_kind == "share":
        return "%"
    return unit_label(row.unit, lang)


def row_label(spec: Spec, row: "RowOut", lang: str) -> str:
    """What a row limits, in words: the rule's name, or e.g. 'capacity 郑家坞片区'."""
    if row.kind == "rule":
        return row.name
    if row.kind == "budget":
        return row.name
    return f"{tr('lk_' + row.kind, lang)} {row.name}"


def row_key(row: "RowOut") -> tuple:
    """Identity of a row across plans: kind, id, group, year, side."""
    return (row.kind, row.id, tuple(row.group.items()), row.year, row.side)


def objective_label(spec: Spec, lang: str, stage: int = 0) -> tuple[str, str]:
    """(name, unit) of an objective stage, e.g. ('税收', '万元'); the unit is '' when it mixes units."""
    st = spec.stages[stage]
    name = st.name
    if len(st.weights) == 1:
        (m, w), = st.weights.items()
        if w == 1:
            name = spec.metric_name(m)
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
    """The 'source; data year' line shown under every table, when the scenario gives them."""
    parts = []
    if spec.source:
        parts.append(tr("hdr_source", lang, source=spec.source))
    if spec.data_year:
        parts.append(tr("hdr_data_year", lang, year=spec.data_year))
    return ["; ".join(parts)] if parts else []
