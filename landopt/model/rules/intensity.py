"""intensity: the metric per unit of `per` (default land) is at least `min` (and/or at most `max`).

A per-mu yield target (亩均税收 >= 30 万元/亩) is an intensity rule.
"""

from __future__ import annotations

from landopt.i18n.text import Bi
from landopt.model.rules.base import KeySpec, Measure, RuleKind
from landopt.model.spec import Rule


def measure(rule: Rule) -> Measure:
    """M_metric(where) over M_per(where)."""
    return Measure(rule.metric, rule.where, rule.per or "land", rule.where)


KIND = RuleKind(
    name="intensity",
    summary=Bi("a per-unit target: a metric per mu (亩均) or per another metric, at least min and/or at most max",
               "强度指标: 每亩 (亩均) 或每单位另一指标的某指标, 不低于 min 和/或不高于 max"),
    inequality="M_metric(where) >= min * M_per(where)  (and/or <= max * ...)",
    bounds=("min", "max"),
    bound_unit=Bi("metric unit per `per` unit (e.g. 万元/亩)", "指标单位 / per 的单位 (如 万元/亩)"),
    violation=Bi("min * M_per - M_metric, in the metric's unit (e.g. 万元 of tax short)",
                 "min * M_per - M_metric, 以该指标的单位计 (如 税收短缺的万元数)"),
    measure=measure,
    keys=(KeySpec("per", Bi("a metric name (intensity denominator)", "指标名 (强度的分母)"), metric=True),),
    ratio=True,
    defaults={"per": "land"},
    example="{id: per-mu-tax, kind: intensity, metric: tax, per: land, each: area, include_existing: true, min: 30}",
)
