"""Solver outcomes: why a solver stopped, what came back, and the options it was given.

Dual convention (every backend normalises to it, whatever its library does):

    duals[i]         = d(optimal objective value) / d(active bound of row i)
    reduced_costs[j] = d(optimal objective value) / d(active bound of column j)

"objective value" is c @ x + c0 in the problem's own sense, so for a max problem
a binding `<=` row has duals[i] >= 0 and a binding `>=` row has duals[i] <= 0;
for a min problem the signs are reversed. Rows and columns whose bounds are not
active have 0 (up to tolerance).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class CoefficientEntry:
    """One matrix entry: position, original value and value after scaling."""

    row: int
    col: int
    value: float
    scaled_value: float


@dataclass(frozen=True)
class ScalingReport:
    """Range of the nonzero |A| before and after scaling, and where the extremes sit.

    `smallest` and `largest` list the entries with the smallest and largest scaled
    magnitude, most extreme first, so that callers can name the offending rows and columns.
    With no nonzero entries every magnitude is 0.0 and both ratios are 1.0.
    """

    nnz: int
    min_abs: float
    max_abs: float
    scaled_min_abs: float
    scaled_max_abs: float
    objective_factor: float
    smallest: tuple[CoefficientEntry, ...]
    largest: tuple[CoefficientEntry, ...]

    @property
    def ratio(self) -> float:
        """The ratio max |a| / min |a| of the original matrix."""
        return self.max_abs / self.min_abs if self.min_abs > 0 else 1.0

    @property
    def scaled_ratio(self) -> float:
        """The ratio max |a| / min |a| after scaling."""
        return self.scaled_max_abs / self.scaled_min_abs if self.scaled_min_abs > 0 else 1.0

    @property
    def extreme_rows(self) -> tuple[int, ...]:
        """Distinct rows of the extreme entries (largest first, then smallest)."""
        return tuple(dict.fromkeys(e.row for e in self.largest + self.smallest))

    @property
    def extreme_cols(self) -> tuple[int, ...]:
        """Distinct columns of the extreme entries (largest first, then smallest)."""
        return tuple(dict.fromkeys(e.col for e in self.largest + self.smallest))


class Status(str, enum.Enum):
    """Why the solver stopped."""

    OPTIMAL = "optimal"
    """A proven optimum (within the solver's tolerances; for a MILP within the gap)."""
    INFEASIBLE = "infeasible"
    """No point satisfies every row and column bound."""
    UNBOUNDED = "unbounded"
    """The objective can improve without limit."""
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    """The solver proved one of the two but not which (presolve often does)."""
    TIME_LIMIT = "time_limit"
    """The time limit ran out; `x` holds the best solution found, if any."""
    ITERATION_LIMIT = "iteration_limit"
    """An iteration or node limit ran out; `x` holds the best solution found, if any."""
    INTERRUPTED = "interrupted"
    """The solve was interrupted (Ctrl-C)."""
    NUMERICAL_ERROR = "numerical_error"
    """The solver gave up for numerical reasons."""
    ERROR = "error"
    """The solver failed or returned something unmapped; see `message`."""

    @property
    def is_limit(self) -> bool:
        """True for time and iteration limits."""
        return self in (Status.TIME_LIMIT, Status.ITERATION_LIMIT)


@dataclass
class SolveOptions:
    """Options every backend understands (backends ignore what they cannot do, see capabilities)."""

    time_limit: float | None = None
    """Wall-clock limit in seconds for the solver call."""
    mip_rel_gap: float = 1e-9
    """Relative MIP gap at which a MILP counts as optimal."""
    threads: int | None = None
    """Thread count, where the solver honours it."""
    verbose: bool = False
    """Let the solver print its log (to stderr where possible)."""
    duals: bool = True
    """Return row duals and reduced costs (LP only)."""
    scale: bool = True
    """Apply geometric row/column scaling before the backend sees the problem."""
    isolate: bool = True
    """With a time limit, solve in a child process killed shortly after the limit (solvers.watchdog)."""
    passthrough: dict[str, object] = field(default_factory=dict)
    """Backend-specific options, passed on unchanged."""


@dataclass
class SolveResult:
    """What came back from one solve, in the un-scaled problem's terms."""

    status: Status
    solver: str
    x: NDArray[np.float64] | None = None
    objective: float | None = None
    duals: NDArray[np.float64] | None = None
    reduced_costs: NDArray[np.float64] | None = None
    bound: float | None = None
    """Best proven bound (MILP), when the solver reports one."""
    runtime: float = 0.0
    """Seconds spent in the backend call, including translation to the native form."""
    message: str = ""
    """The native status and any solver message, for humans."""
    native_status: str = ""
    iterations: int | None = None
    scaling: ScalingReport | None = None
    """Coefficient ranges before and after scaling (see solvers.scaling); set by solvers.solve."""

    @property
    def has_solution(self) -> bool:
        """True when `x` holds a primal point."""
        return self.x is not None
