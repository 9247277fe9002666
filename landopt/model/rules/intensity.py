"""intensity: the metric per unit of `per` (default land) is at least `min` (and/or at most `max`).

A per-mu yield target (亩均税收 >= 30 万元/亩) is an intensity rule.
"""

from __future__ import annotations

from landopt.model.rules.base import Measure, RuleKind
from landopt.model.spec import Rule


def measure(rule: Rule) -> Measure:
    """M_metric(where) over M_per(where)."""
    return Measure(rule.metric, rule.where, rule.per or "land", rule.where)


KIND = RuleKind(
    name="intensity",
    inequality="M_metric(where) >= min * M_per(where)  (and/or <= max * ...)",
    bounds=("min", "max"),
    bound_unit="metric unit per `per` unit (e.g. 万元/亩)",
    violation="min * M_per - M_metric, in the metric's unit (e.g. 万元 of tax short)",
    measure=measure,
)
