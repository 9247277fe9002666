"""share: the part's share of the metric within the selection is at least `min` (and/or at most `max`)."""

from __future__ import annotations

from landopt.model.rules.base import Measure, RuleKind
from landopt.model.spec import Rule


def measure(rule: Rule) -> Measure:
    """M(where ∩ of ∩ part) over M(where ∩ of)."""
    whole = rule.where.intersect(rule.of)
    return Measure(rule.metric, whole.intersect(rule.part), rule.metric, whole)


KIND = RuleKind(
    name="share",
    inequality="M(where ∩ of ∩ part) >= min * M(where ∩ of)  (and/or <= max * ...)",
    bounds=("min", "max"),
    bound_unit="a fraction in [0, 1]",
    violation="min * M(of) - M(part), in the metric's unit",
    measure=measure,
)
