"""The rule kinds, one module each, each with its metadata.

A rule instance (one rule, one group of `each`, one year) is a *measured
quantity* `M = N @ x + s_num`, optionally over a denominator
`P = D @ x + s_den`, compared with a bound:

==========  =====================================  ==========================================
kind        meaning                                LP row(s)
==========  =====================================  ==========================================
cap         M(where) <= max                        N x <= max - s_num
floor       M(where) >= min                        N x >= min - s_num
share       M(part) >= min * M(of)  (and/or <=)    (N - min D) x >= min s_den - s_num
intensity   M(metric) >= min * M(per) (and/or <=)  (N - min D) x >= min s_den - s_num
==========  =====================================  ==========================================

Each module declares a `KIND` (a `RuleKind`: meaning, keys, bounds, dimension, how it shows) that
validation, resolution, the builder, the checker, the report, `landopt rules` and the tests read.
The math of each kind lives in its module's `measure` function, which says which selection and
metric form the numerator and the denominator. A new kind is a new module here, listed in `KINDS`,
with its golden LP file in tests/golden/rules/ and its tests.
"""

from __future__ import annotations

from landopt.model.rules import cap, count, floor, intensity, share
from landopt.model.rules.base import COMMON_KEYS, KeySpec, Measure, RuleKind

KINDS: dict[str, RuleKind] = {k.KIND.name: k.KIND for k in (cap, floor, share, intensity, count)}
"""Every rule kind by name, in the order `landopt rules` lists them."""
ALL_KINDS = KINDS
"""Every rule kind by name, in the order `landopt rules` lists them."""

__all__ = ["ALL_KINDS", "COMMON_KEYS", "KINDS", "KeySpec", "Measure", "RuleKind"]
