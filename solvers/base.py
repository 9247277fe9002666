"""The backend contract.

A backend turns a `LinearProblem` into its library's native form, solves it and
maps the answer back into a `SolveResult` (see `solvers.result` for the dual
sign convention every backend must honour). It imports its library lazily,
inside `solve`, and `is_available()` only probes with `importlib.util.find_spec`.
"""

from __future__ import annotations

import enum
import importlib.util
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, ClassVar, Protocol

from solvers.problem import LinearProblem
from solvers.result import SolveOptions, SolveResult

if TYPE_CHECKING:
    from solvers.ranging import Basis


class Capability(str, enum.Enum):
    """What a backend can do."""

    LP = "lp"
    MILP = "milp"
    DUALS = "duals"
    """Exact LP duals and reduced costs."""
    APPROX_DUALS = "approx_duals"
    """Duals to the solver's (first-order) tolerance only."""
    TIME_LIMIT = "time_limit"
    MIP_GAP = "mip_gap"
    INTERRUPT = "interrupt"
    """A Ctrl-C during the solve stops the solver promptly; the backend then re-raises KeyboardInterrupt.

    Backends without it finish the native call first (Python only sees the signal afterwards).
    """


class BackendUnavailable(RuntimeError):
    """The backend's library is missing or broken here."""


class NativeSession(Protocol):
    """A backend's model kept between solves (`Backend.open`, used by `solvers.session.Session`)."""

    def solve(self, problem: LinearProblem, duals: bool = False) -> SolveResult | None:
        """Solve `problem`, which has the loaded problem's shape, sending only what differs from the last
        problem solved (with the row duals and reduced costs of an optimum when `duals`, signed as the backend's
        cold solve signs them); None when this change cannot be sent (then the caller solves cold)."""

    def basis(self) -> Basis | None:
        """Which columns and row activities are basic after the last solve (`solvers.ranging`); None when the
        backend cannot tell, or what it reports is not a basis."""

    def close(self) -> None:
        """Free the backend's model."""


class Backend(ABC):
    """One solver reached through one library. Subclasses set the class variables."""

    name: ClassVar[str]
    """Short name used on the command line (``--solver NAME``)."""
    display_name: ClassVar[str]
    """Human name, e.g. 'HiGHS (OR-Tools MathOpt)'."""
    library: ClassVar[str]
    """The Python distribution that provides it (for messages)."""
    required_modules: ClassVar[tuple[str, ...]]
    capabilities: ClassVar[frozenset[Capability]]
    description: ClassVar[str] = ""
    branch_on_choices: ClassVar[bool] = True
    """Give a MILP's choice groups an aggregate column to branch on (`solvers.branching`); off where it was
    measured to slow the backend down."""
    accuracy: ClassVar[float] = 1e-9
    """Relative accuracy of this backend's answers, as measured (see `solvers.accuracy`): its point may
    miss a row bound, and its objective value the true optimum, by this much relative to the size of
    the terms that meet there (``1 + |bound| + sum |a_ij x_j|``, as `solvers._support.violation`
    measures). Callers compare solver output with tolerances of at least this: a stage value held
    for the next stage, an "active" bound, a zero dual. 1e-9 for exact simplex answers."""

    @classmethod
    def is_available(cls) -> bool:
        """True when every required module can be found (nothing is imported)."""
        try:
            return all(importlib.util.find_spec(m) is not None for m in cls.required_modules)
        except (ImportError, ValueError):
            return False

    @classmethod
    def supports(cls, cap: Capability) -> bool:
        """True when the backend declares `cap`."""
        return cap in cls.capabilities

    @classmethod
    def can_solve(cls, problem: LinearProblem) -> bool:
        """True when the backend handles this problem class (LP or MILP)."""
        return cls.supports(Capability.MILP) if problem.is_mip else cls.supports(Capability.LP)

    @abstractmethod
    def solve(self, problem: LinearProblem, options: SolveOptions) -> SolveResult:
        """Solve `problem` (already validated and, if asked, scaled) and return the result."""

    def open(self, problem: LinearProblem) -> NativeSession | None:
        """Keep `problem`'s model in the library for warm re-solves with a few numbers moved (`solvers.session`);
        None (the default): this backend solves every problem cold."""
        return None
