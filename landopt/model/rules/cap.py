"""cap: the metric summed over the selection stays at or below `max` (`max: 0` is a ban)."""

from __future__ import annotations

from landopt.i18n.text import Bi
from landopt.model.rules.base import Measure, RuleKind
from landopt.model.spec import Rule


def measure(rule: Rule) -> Measure:
    """M(where)."""
    return Measure(rule.metric, rule.where)


KIND = RuleKind(
    name="cap",
    summary=Bi("an upper limit on a metric over a selection; max: 0 is a ban",
               "对所选范围内某指标的上限; max: 0 即禁止"),
    inequality="M(where) <= max",
    bounds=("max",),
    bound_unit=Bi("the metric's unit (e.g. 亩, tce, t)", "该指标的单位 (如 亩, tce, t)"),
    violation=Bi("M(where) - max, in the metric's unit", "M(where) - max, 以该指标的单位计"),
    measure=measure,
    example="{id: no-chem, kind: cap, metric: land, where: {role: main, sector_tag: heavy_chem}, max: 0}",
)
