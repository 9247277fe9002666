"""cap: the metric summed over the selection stays at or below `max` (`max: 0` is a ban)."""

from __future__ import annotations

from landopt.model.rules.base import Measure, RuleKind
from landopt.model.spec import Rule


def measure(rule: Rule) -> Measure:
    """M(where)."""
    return Measure(rule.metric, rule.where)


KIND = RuleKind(
    name="cap",
    inequality="M(where) <= max",
    bounds=("max",),
    bound_unit="the metric's unit (e.g. 亩, tce, t)",
    violation="M(where) - max, in the metric's unit",
    measure=measure,
)
