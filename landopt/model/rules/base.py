"""What every rule kind declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from landopt.model.spec import Rule, Selector


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
class RuleKind:
    """Metadata and math of one rule kind."""

    name: str
    inequality: str
    """The constraint in plain text, as in the contract."""
    bounds: tuple[str, ...]
    """Which of min/max the kind takes."""
    bound_unit: str
    """What unit the bound is in, in words."""
    violation: str
    """How a soft violation is measured (its linear form)."""
    measure: Callable[[Rule], Measure]
