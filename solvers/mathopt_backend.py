"""HiGHS, GLOP, PDLP and SCIP through OR-Tools MathOpt.

MathOpt is used (not pywraplp or model_builder) because it is the only OR-Tools route
whose HiGHS returns real duals: the other two hand back row activities as duals and zero
reduced costs. The model goes in as a `ModelProto` filled straight from numpy, and the
solver core is called directly, skipping MathOpt's Python modelling layer.

Facts this module relies on (checked against ortools 9.15, HiGHS 1.12):

* MathOpt's duals and reduced costs already follow our convention (the derivative of the
  optimal objective, in the problem's own sense, with respect to the active bound).
* MathOpt rejects duplicate names, so no names are passed (they are optional).
* Some solvers print to stdout even with output off (GLOP's "invalid input" notice), so
  the native call runs with stdout redirected to stderr.
* HiGHS ignores the solve interrupter and rejects the `threads` parameter, so neither is
  used for it; GLOP and PDLP stop promptly when interrupted. SCIP prints errors when
  interrupted through MathOpt, so it is not offered either. Every solve runs through
  `call_interruptibly`, so a Ctrl-C always ends in KeyboardInterrupt (for HiGHS and SCIP
  once the solve has finished).
* GLOP and PDLP may answer INFEASIBLE_OR_UNBOUNDED from presolve (PDLP from its
  infeasibility detector). The problem status often decides it; otherwise HiGHS, GLOP and
  SCIP solve again with presolve off, within what is left of the time limit.
* PDLP's default tolerances (1e-6 relative objective error, rows off by 1e-4) are too
  loose for landopt, so it runs with eps_optimal_absolute/relative = 1e-8.

`SolveOptions.passthrough` entries are extra `SolveParameters` fields, by name (for
example {"lp_algorithm": LPAlgorithm.BARRIER}); they override the ones set here.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from solvers._support import (
    call_interruptibly,
    canonical_csr,
    remaining,
    row_indices,
    stderr_lines,
    stdout_to_stderr,
)
from solvers.base import Backend, Capability
from solvers.problem import LinearProblem
from solvers.result import SolveOptions, SolveResult, Status

if TYPE_CHECKING:
    from ortools.math_opt import model_pb2, result_pb2, sparse_containers_pb2
    from ortools.math_opt.python.parameters import SolveParameters

PDLP_TOLERANCE = 1e-8
_WITH_SOLUTION = frozenset({Status.OPTIMAL, Status.TIME_LIMIT, Status.ITERATION_LIMIT, Status.INTERRUPTED})
"""Statuses for which a primal point marked feasible is returned."""


class MathOptBackend(Backend):
    """Shared implementation; subclasses name the MathOpt solver type and its quirks."""

    library: ClassVar[str] = "ortools"
    required_modules: ClassVar[tuple[str, ...]] = ("ortools",)
    solver_type: ClassVar[str]
    """Member name of `ortools.math_opt.python.parameters.SolverType`."""
    accepts_threads: ClassVar[bool] = True
    presolve_retry: ClassVar[bool] = True
    """Re-solve with presolve off to settle INFEASIBLE_OR_UNBOUNDED."""

    def solve(self, problem: LinearProblem, options: SolveOptions) -> SolveResult:
        """Solve with MathOpt and map the result back (see the module docstring)."""
        started = time.perf_counter()
        model = _model_proto(problem)
        proto = self._run(model, problem, options, time_limit=options.time_limit, presolve=True)
        result = self._result(proto, problem, options)
        if result.status is Status.INFEASIBLE_OR_UNBOUNDED and self.presolve_retry:
            result = self._settle_without_presolve(model, problem, options, started, result)
        result.runtime = time.perf_counter() - started
        return result

    # ------------------------------------------------------------------ running
    def _run(self, model: model_pb2.ModelProto, problem: LinearProblem, options: SolveOptions,
             *, time_limit: float | None, presolve: bool) -> result_pb2.SolveResultProto:
        """One call of the MathOpt solver core."""
        # lazy: importing solvers imports no solver library
        from ortools.math_opt.core.python import solver
        from ortools.math_opt.python import callback, init_arguments, model_parameters, parameters
        from ortools.util.python import solve_interrupter

        params = self._parameters(problem, options, time_limit=time_limit, presolve=presolve)
        interrupter = solve_interrupter.SolveInterrupter() if self.supports(Capability.INTERRUPT) else None
        args = (
            model,
            parameters.SolverType[self.solver_type].value,
            init_arguments.StreamableSolverInitArguments().to_proto(),
            params.to_proto(),
            model_parameters.ModelSolveParameters().to_proto(),
            stderr_lines if options.verbose else None,
            callback.CallbackRegistration().to_proto(),
            None,
            interrupter.pybind_interrupter if interrupter is not None else None,
        )
        with stdout_to_stderr():
            proto: result_pb2.SolveResultProto = call_interruptibly(  # the stub leaves solve() untyped
                lambda: solver.solve(*args), interrupter.interrupt if interrupter is not None else None)
        return proto

    def _parameters(self, problem: LinearProblem, options: SolveOptions, *, time_limit: float | None,
                    presolve: bool) -> SolveParameters:
        """The `SolveParameters` for this backend and these options."""
        # lazy: importing solvers imports no solver library
        from ortools.math_opt.python import parameters

        kwargs: dict[str, Any] = {"enable_output": False}
        if time_limit is not None:
            kwargs["time_limit"] = timedelta(seconds=max(0.0, time_limit))
        if options.threads is not None and self.accepts_threads:
            kwargs["threads"] = options.threads
        if problem.is_mip:
            kwargs["relative_gap_tolerance"] = options.mip_rel_gap
        if not presolve:
            kwargs["presolve"] = parameters.Emphasis.OFF
        kwargs.update(self._specific_parameters())
        kwargs.update(options.passthrough)
        return parameters.SolveParameters(**kwargs)

    def _specific_parameters(self) -> dict[str, Any]:
        """Solver-specific `SolveParameters` fields (none by default)."""
        return {}

    def _settle_without_presolve(self, model: model_pb2.ModelProto, problem: LinearProblem,
                                 options: SolveOptions, started: float, first: SolveResult) -> SolveResult:
        """Solve again with presolve off; keep `first` if that fails or stays ambiguous."""
        # lazy: importing solvers imports no solver library
        from pybind11_abseil.status import StatusNotOk

        try:
            proto = self._run(model, problem, options, presolve=False,
                              time_limit=remaining(options.time_limit, started))
        except StatusNotOk:
            return first
        second = self._result(proto, problem, options)
        if second.status not in (Status.INFEASIBLE, Status.UNBOUNDED):
            return first
        second.message = f"{second.message} (settled by re-solving with presolve off)".strip()
        return second

    # ------------------------------------------------------------------ results
    def _result(self, proto: result_pb2.SolveResultProto, problem: LinearProblem,
                options: SolveOptions) -> SolveResult:
        """Translate a `SolveResultProto` into a SolveResult (scaled-problem terms)."""
        # lazy: importing solvers imports no solver library
        from ortools.math_opt import result_pb2, solution_pb2

        term = proto.termination
        native = result_pb2.TerminationReasonProto.Name(term.reason)
        if term.limit != result_pb2.LIMIT_UNSPECIFIED:
            native += f", {result_pb2.LimitProto.Name(term.limit)}"
        status = _status(term, options)
        result = SolveResult(status=status, solver=self.name, native_status=native,
                             message=term.detail, iterations=_iterations(proto.solve_stats))
        solution = proto.solutions[0] if proto.solutions else None
        feasible = solution_pb2.SOLUTION_STATUS_FEASIBLE
        if status in _WITH_SOLUTION and solution is not None and solution.HasField("primal_solution") \
                and solution.primal_solution.feasibility_status == feasible:
            result.x = _dense(solution.primal_solution.variable_values, problem.n)
            result.objective = problem.objective_value(result.x)
        if problem.is_mip and result.x is not None and np.isfinite(term.objective_bounds.dual_bound):
            result.bound = float(term.objective_bounds.dual_bound)
        if (status is Status.OPTIMAL and not problem.is_mip and options.duals and solution is not None
                and solution.HasField("dual_solution")
                and solution.dual_solution.feasibility_status == feasible):
            result.duals = _dense(solution.dual_solution.dual_values, problem.m)
            result.reduced_costs = _dense(solution.dual_solution.reduced_costs, problem.n)
        return result


class HighsBackend(MathOptBackend):
    """HiGHS 1.12 as bundled with OR-Tools, through MathOpt."""

    name = "highs"
    display_name = "HiGHS (OR-Tools MathOpt)"
    description = "HiGHS dual simplex / branch-and-cut bundled with OR-Tools; exact LP duals."
    solver_type = "HIGHS"
    accepts_threads = False
    capabilities = frozenset({Capability.LP, Capability.MILP, Capability.DUALS,
                              Capability.TIME_LIMIT, Capability.MIP_GAP})


class GlopBackend(MathOptBackend):
    """Google's GLOP simplex, through MathOpt."""

    name = "glop"
    display_name = "GLOP (OR-Tools MathOpt)"
    description = "Google's primal/dual simplex LP solver; exact LP duals, Ctrl-C stops it."
    solver_type = "GLOP"
    capabilities = frozenset({Capability.LP, Capability.DUALS, Capability.TIME_LIMIT,
                              Capability.INTERRUPT})


class PdlpBackend(MathOptBackend):
    """Google's PDLP first-order LP solver, through MathOpt, at tightened tolerances."""

    name = "pdlp"
    display_name = "PDLP (OR-Tools MathOpt)"
    description = (f"First-order primal-dual LP solver for very large LPs; "
                   f"solutions and duals to about {PDLP_TOLERANCE:g} relative.")
    solver_type = "PDLP"
    presolve_retry = False
    capabilities = frozenset({Capability.LP, Capability.APPROX_DUALS, Capability.TIME_LIMIT,
                              Capability.INTERRUPT})
    accuracy = 1e-6
    """At eps_optimal 1e-8 (norms over the whole problem), single rows are looser: measured on the same
    96 LPs as CBC's, points miss row bounds by up to 4.4e-7 (gen.py 1e4 and 1e5) and objectives the
    optimum by up to 2.9e-8 (relative)."""

    def _specific_parameters(self) -> dict[str, Any]:
        """Tighten PDLP's optimality tolerances to PDLP_TOLERANCE."""
        # lazy: importing solvers imports no solver library
        from ortools.pdlp import solvers_pb2

        pdlp = solvers_pb2.PrimalDualHybridGradientParams()
        criteria = pdlp.termination_criteria.simple_optimality_criteria
        criteria.eps_optimal_absolute = PDLP_TOLERANCE
        criteria.eps_optimal_relative = PDLP_TOLERANCE
        return {"pdlp": pdlp}


class ScipBackend(MathOptBackend):
    """SCIP (through OR-Tools' gSCIP), through MathOpt; no LP duals."""

    name = "scip"
    display_name = "SCIP (OR-Tools MathOpt)"
    description = "SCIP branch-and-cut bundled with OR-Tools; MILPs and LPs, but no duals."
    solver_type = "GSCIP"
    capabilities = frozenset({Capability.LP, Capability.MILP, Capability.TIME_LIMIT,
                              Capability.MIP_GAP})


# ----------------------------------------------------------------------------- helpers
def _model_proto(problem: LinearProblem) -> model_pb2.ModelProto:
    """The problem as a MathOpt ModelProto (ids 0..n-1 and 0..m-1, no names)."""
    # lazy: importing solvers imports no solver library
    from ortools.math_opt import model_pb2

    A = canonical_csr(problem.A)
    model = model_pb2.ModelProto()
    ids_n = np.arange(problem.n).tolist()
    variables = model.variables
    variables.ids.extend(ids_n)
    variables.lower_bounds.extend(problem.col_lo.tolist())
    variables.upper_bounds.extend(problem.col_hi.tolist())
    integer = problem.integer if problem.integer is not None else np.zeros(problem.n, dtype=bool)
    variables.integers.extend(integer.tolist())
    model.objective.maximize = problem.maximize
    model.objective.offset = problem.c0
    model.objective.linear_coefficients.ids.extend(ids_n)
    model.objective.linear_coefficients.values.extend(problem.c.tolist())
    rows = model.linear_constraints
    rows.ids.extend(np.arange(problem.m).tolist())
    rows.lower_bounds.extend(problem.row_lo.tolist())
    rows.upper_bounds.extend(problem.row_hi.tolist())
    matrix = model.linear_constraint_matrix
    matrix.row_ids.extend(row_indices(A).tolist())
    matrix.column_ids.extend(A.indices.tolist())
    matrix.coefficients.extend(A.data.tolist())
    return model


def _dense(vector: sparse_containers_pb2.SparseDoubleVectorProto, size: int) -> NDArray[np.float64]:
    """Scatter a MathOpt sparse vector (ids, values; zeros omitted) into a dense array."""
    out = np.zeros(size)
    if len(vector.ids):
        out[np.asarray(vector.ids, dtype=np.int64)] = np.asarray(vector.values, dtype=float)
    return out


def _iterations(stats: result_pb2.SolveStatsProto) -> int:
    """Simplex + barrier + first-order iterations."""
    return int(stats.simplex_iterations + stats.barrier_iterations + stats.first_order_iterations)


def _status(term: result_pb2.TerminationProto, options: SolveOptions) -> Status:
    """Map a MathOpt TerminationProto to a Status."""
    # lazy: importing solvers imports no solver library
    from ortools.math_opt import result_pb2

    reason = term.reason
    if reason == result_pb2.TERMINATION_REASON_INFEASIBLE_OR_UNBOUNDED:
        return _infeasible_or_unbounded(term)
    if reason in (result_pb2.TERMINATION_REASON_FEASIBLE, result_pb2.TERMINATION_REASON_NO_SOLUTION_FOUND):
        return _limit_status(term.limit, options)
    simple = {
        result_pb2.TERMINATION_REASON_OPTIMAL: Status.OPTIMAL,
        result_pb2.TERMINATION_REASON_INFEASIBLE: Status.INFEASIBLE,
        result_pb2.TERMINATION_REASON_UNBOUNDED: Status.UNBOUNDED,
        result_pb2.TERMINATION_REASON_IMPRECISE: Status.NUMERICAL_ERROR,
        result_pb2.TERMINATION_REASON_NUMERICAL_ERROR: Status.NUMERICAL_ERROR,
        result_pb2.TERMINATION_REASON_OTHER_ERROR: Status.ERROR,
    }
    return simple.get(reason, Status.ERROR)


def _infeasible_or_unbounded(term: result_pb2.TerminationProto) -> Status:
    """Use the problem status to settle INFEASIBLE_OR_UNBOUNDED when it can."""
    # lazy: importing solvers imports no solver library
    from ortools.math_opt import result_pb2

    primal = term.problem_status.primal_status
    if primal == result_pb2.FEASIBILITY_STATUS_INFEASIBLE:
        return Status.INFEASIBLE
    if primal == result_pb2.FEASIBILITY_STATUS_FEASIBLE:
        return Status.UNBOUNDED
    return Status.INFEASIBLE_OR_UNBOUNDED


def _limit_status(limit: result_pb2.LimitProto.ValueType, options: SolveOptions) -> Status:
    """Map the MathOpt limit that stopped a solve.

    GLOP reports LIMIT_UNDETERMINED for its time limit, so an undetermined limit counts
    as the time limit when one was set.
    """
    # lazy: importing solvers imports no solver library
    from ortools.math_opt import result_pb2

    table = {
        result_pb2.LIMIT_TIME: Status.TIME_LIMIT,
        result_pb2.LIMIT_ITERATION: Status.ITERATION_LIMIT,
        result_pb2.LIMIT_NODE: Status.ITERATION_LIMIT,
        result_pb2.LIMIT_SOLUTION: Status.ITERATION_LIMIT,
        result_pb2.LIMIT_INTERRUPTED: Status.INTERRUPTED,
        result_pb2.LIMIT_NORM: Status.NUMERICAL_ERROR,
        result_pb2.LIMIT_SLOW_PROGRESS: Status.NUMERICAL_ERROR,
    }
    if limit == result_pb2.LIMIT_UNDETERMINED and options.time_limit is not None:
        return Status.TIME_LIMIT
    return table.get(limit, Status.ERROR)
