"""floor: the metric summed over the selection reaches at least `min`."""

from __future__ import annotations

from landopt.i18n.text import Bi
from landopt.model.rules.base import Measure, RuleKind
from landopt.model.spec import Rule


def measure(rule: Rule) -> Measure:
    """M(where)."""
    return Measure(rule.metric, rule.where)


KIND = RuleKind(
    name="floor",
    summary=Bi("a lower limit on a metric over a selection", "对所选范围内某指标的下限"),
    inequality="M(where) >= min",
    bounds=("min",),
    bound_unit=Bi("the metric's unit (e.g. 亩, 万元)", "该指标的单位 (如 亩, 万元)"),
    violation=Bi("min - M(where), in the metric's unit", "min - M(where), 以该指标的单位计"),
    measure=measure,
    example="{id: textile-floor, kind: floor, metric: land, where: {sector: textile}, min: 100}",
)
