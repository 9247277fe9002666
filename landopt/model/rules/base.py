"""What every rule kind declares: its meaning and its metadata.

A kind owns everything that is particular to it: the keys it takes beyond the common ones (`keys`,
and which of them it needs, `required`), which bounds it takes (`bounds`) and in what dimension and
range, how its measured quantity is formed (`measure`), whether its value is a ratio (then a
violation is measured on the linear form and shown in the bound's units) and whether a report
shows it in %. Validation, resolution, the builder, the checker, the report and `landopt rules`
read these; adding a kind touches its own module and its tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from landopt.i18n.text import Bi
from landopt.model.spec import Rule, Selector
from landopt.model.units import Dim

COMMON_KEYS = ("id", "name", "name_en", "kind", "metric", "where", "each", "include_existing", "flow", "min", "max",
               "growth", "soft", "source", "note")
"""Keys every rule takes (each kind declares the rest, and which of min/max it takes)."""


@dataclass(frozen=True)
class Measure:
    """Numerator and (for ratio kinds) denominator of a rule: metric over a selection."""

    num_metric: str
    num_sel: Selector
    den_metric: str | None = None
    den_sel: Selector | None = None

    @property
    def is_ratio(self) -> bool:
        """True when the rule compares a ratio (share, intensity)."""
        return self.den_metric is not None


@dataclass(frozen=True)
class KeySpec:
    """A key particular to one kind."""

    name: str
    expected: Bi
    """What its value must be (the "expected ..." of a message)."""
    selector: bool = False
    """True for a selector (like `where`)."""
    metric: bool = False
    """True for a metric name (checked against the scenario's metrics)."""
    value: str = "text"
    """How its value is read when it is neither a selector nor a metric: 'text', 'quantity' (a number or a
    quantity string), 'number', or 'word' (one of `words`)."""
    words: tuple[str, ...] = ()
    """The words it takes, for `value` 'word'."""


@dataclass(frozen=True)
class RuleKind:
    """Metadata and math of one rule kind."""

    name: str
    summary: Bi
    """What the kind is for, in a planner's words."""
    inequality: str
    """The constraint in plain text, as in docs/format.md."""
    bounds: tuple[str, ...]
    """Which of min/max the kind takes."""
    bound_unit: Bi
    """What unit the bound is in, in words."""
    violation: Bi
    """How a soft violation is measured (its linear form)."""
    measure: Callable[[Rule], Measure]
    keys: tuple[KeySpec, ...] = ()
    """Keys this kind takes beyond `COMMON_KEYS`."""
    required: tuple[str, ...] = ()
    """Of `keys`, those a rule of this kind must give."""
    ratio: bool = False
    """True when the value is a ratio (share, intensity): a violation is measured on the linear form, and
    shown in the bound's units as the gap between bound and value."""
    other_bounds: tuple[str, ...] = ()
    """Keys of its own that bound it too (a count's `min_share`, `max_share`): a rule needs one of these or of
    `bounds`."""
    fraction: bool = False
    """True when the bound is a fraction of a whole (a share): dimensionless, 0 to 1, shown in %."""
    defaults: dict[str, str] = field(default_factory=dict)
    """Defaults of its keys (`per: land` for an intensity)."""
    example: str = ""
    """A one-line YAML example (for `landopt rules`)."""
    build: Callable[[Any, Rule, tuple[tuple[str, str], ...]], None] | None = None
    """For a kind whose rows are not a metric over a selection (a count): builds them, given the model's
    builder, the rule and the key prefix of its group (`each: area_tag`)."""

    def key(self, name: str) -> KeySpec | None:
        """The spec of one of this kind's own keys, or None."""
        return next((k for k in self.keys if k.name == name), None)

    @property
    def allowed_keys(self) -> tuple[str, ...]:
        """Every key a rule of this kind may carry."""
        own = tuple(k.name for k in self.keys)
        return tuple(k for k in COMMON_KEYS if k not in ("min", "max") or k in self.bounds) + own

    def bound_dim(self, metric: Dim | None, per: Dim | None) -> Dim | None:
        """The dimension of this kind's bound for a rule over `metric` (per `per` for a ratio of metrics);
        None when it cannot be known (a metric without a unit)."""
        if self.fraction:
            return Dim("ratio")
        if self.ratio:  # metric per per
            if metric is None or per is None or metric.den is not None or per.den is not None:
                return None
            return Dim(metric.num, per.num)
        return metric

    def shown_in_percent(self, metric: Dim | None, per: Dim | None) -> bool:
        """True when a report shows this kind's value in %: a share, or a ratio of like quantities (high-tech
        value added per value added, 万元/万元)."""
        if self.fraction:
            return True
        return self.ratio and metric is not None and metric == per and metric.den is None

    def stock_metrics(self, rule: Rule) -> tuple[str, ...]:
        """The metrics whose stock this rule counts (with `include_existing`): numerator and denominator."""
        m = self.measure(rule)
        return (m.num_metric,) if m.den_metric in (None, m.num_metric) else (m.num_metric, m.den_metric)
