"""share: the part's share of the metric within the selection is at least `min` (and/or at most `max`)."""

from __future__ import annotations

from landopt.i18n.text import Bi
from landopt.model.rules.base import KeySpec, Measure, RuleKind
from landopt.model.spec import Rule

SELECTOR = Bi("a selector such as {role: main}", "选择器, 如 {role: main}")


def measure(rule: Rule) -> Measure:
    """M(where ∩ of ∩ part) over M(where ∩ of)."""
    whole = rule.where.intersect(rule.of)
    return Measure(rule.metric, whole.intersect(rule.part), rule.metric, whole)


KIND = RuleKind(
    name="share",
    summary=Bi("a lower or upper limit on the fraction of a total that goes to a part (a tilt)",
               "某部分占总量比例的下限或上限 (倾斜)"),
    inequality="M(where ∩ of ∩ part) >= min * M(where ∩ of)  (and/or <= max * ...)",
    bounds=("min", "max"),
    bound_unit=Bi("a fraction in [0, 1]", "[0, 1] 之间的比例"),
    violation=Bi("min * M(of) - M(part), in the metric's unit", "min * M(of) - M(part), 以该指标的单位计"),
    measure=measure,
    keys=(KeySpec("part", SELECTOR, selector=True), KeySpec("of", SELECTOR, selector=True)),
    required=("part",),
    ratio=True,
    fraction=True,
    example="{id: tilt-land, kind: share, metric: land, part: {role: main}, min: 0.7}",
)
