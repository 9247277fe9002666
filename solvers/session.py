"""One LP solved again and again with a few numbers moved: the backend keeps its model and its last basis.

The exact one-sided prices (a bound moved a small step each way, the LP solved again) and a sweep's points
solve the same LP many times with a bound, a right-hand side, an objective coefficient or a row's
coefficients changed. A cold `solvers.solve` rebuilds the backend's model and starts the simplex from
scratch each time; a `Session` hands the backend only what changed, and the backend starts from the basis it
ended with (a warm start: on a county plan a re-solve takes about 1 ms of CLP's time against about 10 ms
cold).

    session = Session(problem, "clp")
    base = session.solve(problem)       # the first solve loads the model
    moved = session.solve(problem2)      # the same shape: only the differences are sent

A backend that can keep its model says so by returning a `NativeSession` from `Backend.open`; for any other,
for a MILP, a problem of another shape, a solve with a time limit (those run isolated in a child process,
`solvers.watchdog`), and whenever a warm answer is not a clean optimum or infeasibility (another status, a
point that misses the moved problem's bounds), the session solves that problem cold with `solvers.solve`,
with its scaling and checks. So a session answers what `solvers.solve` answers, within the backend's
accuracy; it never scales (the backend scales internally). With `options.duals` a warm optimum carries the
backend's row duals and reduced costs (at a degenerate optimum they may be another optimal dual than a cold
solve's: the duals of an optimum are unique only when it is not degenerate). A warm result has no
`scaling` report (nothing was scaled).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from solvers._support import FEASIBILITY_TOL, violation
from solvers.problem import LinearProblem
from solvers.result import SolveOptions, SolveResult, Status

if TYPE_CHECKING:
    from solvers.base import Backend, NativeSession
    from solvers.ranging import Basis


class Session:
    """Solves of LPs of one shape on one backend, warm where the backend allows it (module docstring)."""

    def __init__(self, problem: LinearProblem, solver: str = "auto", options: SolveOptions | None = None) -> None:
        from solvers import choose_backend  # lazy: solvers/__init__ imports this module

        self.options = options or SolveOptions()
        self.backend: Backend = choose_backend(problem, solver, need_duals=False)
        self.solver = self.backend.name
        self.shape = (problem.n, problem.m)
        self.native: NativeSession | None = None
        self._opened = problem.is_mip  # a MILP is never solved warm here
        self.warm = 0
        """Solves answered by the kept model."""
        self._answered: LinearProblem | None = None
        """The last problem the kept model answered (its basis is the model's, `basis`)."""
        self.cold = 0
        """Solves answered by `solvers.solve`."""

    def solve(self, problem: LinearProblem, options: SolveOptions | None = None) -> SolveResult:
        """The answer of `solvers.solve(problem, self.solver, options)` (module docstring)."""
        from solvers import solve as cold  # lazy: solvers/__init__ imports this module

        opts = options or self.options
        if opts.time_limit is None and not problem.is_mip and (problem.n, problem.m) == self.shape:
            res = self._warm(problem, opts.duals)
            if res is not None:
                self.warm += 1
                self._answered = problem if res.status is Status.OPTIMAL else None
                return res
        self.cold += 1
        self._answered = None
        return cold(problem, self.solver, opts)

    def basis(self, problem: LinearProblem) -> Basis | None:
        """The optimal basis of `problem` when the kept model's last answer was its optimum (`solvers.ranging`);
        None otherwise (solved cold, another problem since, or a backend that does not tell)."""
        if problem is not self._answered or self.native is None:
            return None
        return self.native.basis()

    def _warm(self, problem: LinearProblem, duals: bool) -> SolveResult | None:
        if not self._opened:
            self._opened = True
            problem.validate()
            self.native = self.backend.open(problem)
        if self.native is None:
            return None
        res = self.native.solve(problem, duals)
        if res is None or res.status not in (Status.OPTIMAL, Status.INFEASIBLE):
            return None
        if res.status is Status.OPTIMAL:
            if res.x is None or (duals and (res.duals is None or res.reduced_costs is None)):
                return None
            res.x = np.clip(res.x, problem.col_lo, problem.col_hi)
            if violation(problem, res.x) > FEASIBILITY_TOL:
                return None
            res.objective = problem.objective_value(res.x)
        return res

    def close(self) -> None:
        """Free the backend's model (the session still answers, cold)."""
        if self.native is not None:
            self.native.close()
            self.native = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
