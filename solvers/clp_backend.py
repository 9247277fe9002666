"""COIN-OR CLP through OR-Tools' pywraplp proto API.

The `MPModelProto` is filled in one vectorised call (`fill_model_from_sparse_data` of
OR-Tools' pybind11 `model_builder_helper.ModelBuilderHelper`, then its `to_mpmodel_proto`)
instead of one `variable.add` / `constraint.add` per entry, and solved with
`pywraplp.Solver.SolveWithProto`. The helper is used directly, not through
`ortools.linear_solver.python.model_builder` (whose `Model.export_to_proto` is the same
two calls): that module imports pandas, a quarter of a second of a county run's start-up.

Facts this module relies on (checked against ortools 9.15):

* `dual_value` and `reduced_cost` already follow our sign convention, for max and min.
* Rows without a finite bound are left out of `dual_value` (the list is shorter than the
  rows sent), and a model whose rows are all free, or that has no rows, comes back
  MPSOLVER_ABNORMAL. So free rows are not sent at all (their dual is 0), and when no row
  is left a single empty row 0 <= 0 <= 0 is sent instead.
* `solver_time_limit_seconds` is applied in whole milliseconds and 0 means "no limit", so
  limits below a millisecond are sent as one millisecond.
* At the time limit CLP answers MPSOLVER_FEASIBLE with its current iterate, which is
  often not primal feasible (the dual simplex was still running): `x` is returned only if
  it satisfies the bounds.
* CLP has no interrupter on this path and is single-threaded: a Ctrl-C is held until the
  solve ends, then raised as KeyboardInterrupt (see `call_interruptibly`). It takes no
  solver-specific parameters here either, so `SolveOptions.passthrough` is ignored.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from solvers._support import call_interruptibly, canonical_csr, is_feasible, stdout_to_stderr
from solvers.base import Backend, Capability
from solvers.problem import LinearProblem
from solvers.ranging import Basis
from solvers.result import SolveOptions, SolveResult, Status

if TYPE_CHECKING:
    from ortools.linear_solver import linear_solver_pb2, pywraplp

MIN_TIME_LIMIT = 1e-3
_WITH_SOLUTION = frozenset({Status.OPTIMAL, Status.TIME_LIMIT, Status.ITERATION_LIMIT})
"""Statuses for which CLP's point is returned (if it is feasible)."""


class ClpBackend(Backend):
    """CLP dual simplex (bundled with OR-Tools) through pywraplp."""

    name = "clp"
    display_name = "CLP (OR-Tools pywraplp)"
    library = "ortools"
    required_modules = ("ortools",)
    description = "COIN-OR CLP dual simplex bundled with OR-Tools; exact LP duals, fast on large LPs."
    capabilities = frozenset({Capability.LP, Capability.DUALS, Capability.TIME_LIMIT})

    def solve(self, problem: LinearProblem, options: SolveOptions) -> SolveResult:
        """Solve the LP with CLP and map the answer back (see the module docstring)."""
        # lazy: importing solvers imports no solver library
        from ortools.linear_solver import linear_solver_pb2, pywraplp

        started = time.perf_counter()
        bounded = np.flatnonzero(np.isfinite(problem.row_lo) | np.isfinite(problem.row_hi))
        request = linear_solver_pb2.MPModelRequest(
            solver_type=linear_solver_pb2.MPModelRequest.CLP_LINEAR_PROGRAMMING,
            enable_internal_solver_output=options.verbose,
        )
        request.model.CopyFrom(_model_proto(problem, bounded))
        if options.time_limit is not None:
            request.solver_time_limit_seconds = max(options.time_limit, MIN_TIME_LIMIT)
        response = linear_solver_pb2.MPSolutionResponse()
        with stdout_to_stderr():
            call_interruptibly(lambda: pywraplp.Solver.SolveWithProto(request, response))
        result = _result(response, problem, options, bounded)
        result.runtime = time.perf_counter() - started
        return result


    def open(self, problem: LinearProblem) -> ClpSession | None:
        """CLP's model kept in a pywraplp solver for warm re-solves (`solvers.session`)."""
        # lazy: importing solvers imports no solver library
        from ortools.linear_solver import pywraplp

        bounded = np.flatnonzero(np.isfinite(problem.row_lo) | np.isfinite(problem.row_hi))
        if not bounded.size:
            return None
        solver = pywraplp.Solver.CreateSolver("CLP")
        if solver is None or solver.LoadModelFromProto(_model_proto(problem, bounded)):
            return None  # not loaded (an error message): every solve is cold
        return ClpSession(solver, problem, bounded)


class ClpSession:
    """A problem loaded once into a pywraplp CLP solver; each `solve` sends only the bounds, objective
    coefficients and matrix entries that differ from the last problem solved (pywraplp passes them to CLP
    incrementally, and CLP's dual simplex starts from its last basis). Rows without a finite bound are not in
    the model, as in `ClpBackend.solve`: a problem that bounds one of them is not sent (None)."""

    def __init__(self, solver: pywraplp.Solver, problem: LinearProblem, bounded: NDArray[np.intp]) -> None:
        self.solver = solver
        self.bounded = bounded
        self.free = np.ones(problem.m, dtype=bool)
        self.free[bounded] = False
        self.vars = self.solver.variables()
        self.cons = self.solver.constraints()
        self.last = problem
        self.A = canonical_csr(problem.A)[bounded]

    def solve(self, problem: LinearProblem, duals: bool = False) -> SolveResult | None:
        """Send what differs from the last problem and solve (see the class docstring); with `duals`, an optimum
        carries CLP's row duals (rows left out of the model: 0) and reduced costs, as `ClpBackend.solve` reads
        them from its response."""
        started = time.perf_counter()
        last = self.last
        if (np.isfinite(problem.row_lo[self.free]).any() or np.isfinite(problem.row_hi[self.free]).any()
                or problem.is_mip):
            return None
        lo, hi = problem.row_lo[self.bounded], problem.row_hi[self.bounded]
        for k in np.flatnonzero((lo != last.row_lo[self.bounded]) | (hi != last.row_hi[self.bounded])):
            self.cons[k].SetBounds(float(lo[k]), float(hi[k]))
        for j in np.flatnonzero((problem.col_lo != last.col_lo) | (problem.col_hi != last.col_hi)):
            self.vars[j].SetBounds(float(problem.col_lo[j]), float(problem.col_hi[j]))
        objective = self.solver.Objective()
        for j in np.flatnonzero(problem.c != last.c):
            objective.SetCoefficient(self.vars[j], float(problem.c[j]))
        if problem.maximize != last.maximize:
            objective.SetOptimizationDirection(problem.maximize)
        if problem.A is not last.A:
            A = canonical_csr(problem.A)[self.bounded]
            changed = (A - self.A).tocoo()
            keep = changed.data != 0
            for i, j in zip(changed.row[keep].tolist(), changed.col[keep].tolist(), strict=True):
                self.cons[i].SetCoefficient(self.vars[j], float(A[i, j]))  # the entry's new value, exactly
            self.A = A
        self.last = problem
        with stdout_to_stderr():
            code = call_interruptibly(self.solver.Solve)
        # lazy: importing solvers imports no solver library
        from ortools.linear_solver import pywraplp

        pw = pywraplp.Solver
        status = {pw.OPTIMAL: Status.OPTIMAL, pw.INFEASIBLE: Status.INFEASIBLE}.get(code)
        if status is None:
            return None
        result = SolveResult(status=status, solver="clp", native_status=f"pywraplp {code}")
        if status is Status.OPTIMAL:
            result.x = np.fromiter((v.solution_value() for v in self.vars), dtype=float, count=len(self.vars))
            result.objective = problem.objective_value(result.x)
            if duals:
                result.duals = np.zeros(problem.m)
                result.duals[self.bounded] = np.fromiter((c.dual_value() for c in self.cons), dtype=float,
                                                         count=len(self.cons))
                result.reduced_costs = np.fromiter((v.reduced_cost() for v in self.vars), dtype=float,
                                                   count=len(self.vars))
        result.runtime = time.perf_counter() - started
        return result

    def basis(self) -> Basis | None:
        """The basis of the last solve (`solvers.ranging`): which columns and which row activities are basic
        (a row left out of the model is basic); None when CLP reports a status that is not a basis's."""
        from ortools.linear_solver import pywraplp  # lazy: importing solvers imports no solver library

        basic, free = pywraplp.Solver.BASIC, pywraplp.Solver.FREE
        cols = np.fromiter((v.basis_status() for v in self.vars), dtype=np.int64, count=len(self.vars))
        rows = np.fromiter((c.basis_status() for c in self.cons), dtype=np.int64, count=len(self.cons))
        if (cols == free).any() or (rows == free).any():
            return None  # a free nonbasic variable: not a vertex's basis
        row_basic = np.ones(self.free.size, dtype=bool)
        row_basic[self.bounded] = rows == basic
        return Basis(cols == basic, row_basic)

    def close(self) -> None:
        self.solver.Clear()


def _model_proto(problem: LinearProblem, bounded: NDArray[np.intp]) -> linear_solver_pb2.MPModelProto:
    """The LP restricted to the `bounded` rows (or one empty 0 <= 0 <= 0 row if there are none)."""
    # lazy: importing solvers imports no solver library (and not model_builder: it imports pandas)
    from ortools.linear_solver.python import model_builder_helper

    if bounded.size:
        A = canonical_csr(problem.A)[bounded]
        row_lo, row_hi = problem.row_lo[bounded], problem.row_hi[bounded]
    else:
        A = sp.csr_matrix((1, problem.n))
        row_lo, row_hi = np.zeros(1), np.zeros(1)
    helper = model_builder_helper.ModelBuilderHelper()
    # OR-Tools' stub (pybind11-stubgen) declares each vector `ndarray[float64[m, 1]]`, which no ndarray type matches.
    helper.fill_model_from_sparse_data(
        problem.col_lo, problem.col_hi, problem.c, row_lo, row_hi,  # type: ignore[arg-type]
        sp.csr_matrix(A, dtype=float))
    helper.set_maximize(problem.maximize)
    proto: linear_solver_pb2.MPModelProto = model_builder_helper.to_mpmodel_proto(helper)  # the stub says Any
    return proto


def _result(response: linear_solver_pb2.MPSolutionResponse, problem: LinearProblem, options: SolveOptions,
            bounded: NDArray[np.intp]) -> SolveResult:
    """Translate an MPSolutionResponse into a SolveResult."""
    # lazy: importing solvers imports no solver library
    from ortools.linear_solver import linear_solver_pb2 as lp

    native = lp.MPSolverResponseStatus.Name(response.status)
    status = _status(response.status, options)
    result = SolveResult(status=status, solver="clp", native_status=native, message=response.status_str)
    if status is Status.ERROR and not result.message:
        result.message = f"CLP stopped with {native}"
    if len(response.variable_value) != problem.n or status not in _WITH_SOLUTION:
        return result
    x = np.asarray(response.variable_value, dtype=float)
    if status is not Status.OPTIMAL and not is_feasible(problem, x):
        note = "(the iterate CLP stopped at is not primal feasible; no solution returned)"
        result.message = f"{result.message} {note}".strip()
        return result
    result.x = x
    result.objective = problem.objective_value(x)
    if status is Status.OPTIMAL and options.duals and len(response.dual_value) == max(bounded.size, 1):
        result.duals = np.zeros(problem.m)
        result.duals[bounded] = np.asarray(response.dual_value, dtype=float)[:bounded.size]
        result.reduced_costs = np.asarray(response.reduced_cost, dtype=float)
    return result


def _status(native: linear_solver_pb2.MPSolverResponseStatus.ValueType, options: SolveOptions) -> Status:
    """Map every MPSolverResponseStatus.

    MPSOLVER_FEASIBLE means CLP stopped early: at the time limit if one was set, otherwise
    at an iteration limit.
    """
    # lazy: importing solvers imports no solver library
    from ortools.linear_solver import linear_solver_pb2 as lp

    if native == lp.MPSOLVER_FEASIBLE:
        return Status.TIME_LIMIT if options.time_limit is not None else Status.ITERATION_LIMIT
    table = {
        lp.MPSOLVER_OPTIMAL: Status.OPTIMAL,
        lp.MPSOLVER_INFEASIBLE: Status.INFEASIBLE,
        lp.MPSOLVER_UNBOUNDED: Status.UNBOUNDED,
        lp.MPSOLVER_ABNORMAL: Status.ERROR,
        lp.MPSOLVER_NOT_SOLVED: Status.ERROR,
        lp.MPSOLVER_MODEL_IS_VALID: Status.ERROR,
        lp.MPSOLVER_CANCELLED_BY_USER: Status.INTERRUPTED,
        lp.MPSOLVER_UNKNOWN_STATUS: Status.ERROR,
        lp.MPSOLVER_MODEL_INVALID: Status.ERROR,
        lp.MPSOLVER_MODEL_INVALID_SOLUTION_HINT: Status.ERROR,
        lp.MPSOLVER_MODEL_INVALID_SOLVER_PARAMETERS: Status.ERROR,
        lp.MPSOLVER_SOLVER_TYPE_UNAVAILABLE: Status.ERROR,
        lp.MPSOLVER_INCOMPATIBLE_OPTIONS: Status.ERROR,
    }
    return table.get(native, Status.ERROR)
