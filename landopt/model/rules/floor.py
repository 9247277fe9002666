"""floor: the metric summed over the selection reaches at least `min`."""

from __future__ import annotations

from landopt.model.rules.base import Measure, RuleKind
from landopt.model.spec import Rule


def measure(rule: Rule) -> Measure:
    """M(where)."""
    return Measure(rule.metric, rule.where)


KIND = RuleKind(
    name="floor",
    inequality="M(where) >= min",
    bounds=("min",),
    bound_unit="the metric's unit (e.g. 亩, 万元)",
    violation="min - M(where), in the metric's unit",
    measure=measure,
)
