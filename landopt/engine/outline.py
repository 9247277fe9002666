"""Solving a scenario: stages, canonical tie-break, diagnosis, independent check.

The outline:

1. build the model (`landopt.model.build`);
2. solve stage 1 (its duals are the shadow prices reported);
3. for a lexicographic objective, keep each stage within its tolerance and
   solve the next;
4. canonical stage (unless disabled): among the optimal allocations, take the
   one minimising ``sum w_j x_j`` with fixed weights ``w_j in [1, 1.5)`` hashed
   from each column's name, so degenerate optima do not make reports flap
   between runs or backends;
5. infeasible: solve the elastic model and return a diagnosis
   (`landopt.engine.diagnose`); unbounded: say which limit is missing;
6. run the independent checker on whatever allocation is returned.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

import numpy as np
import scipy.sparse as sp

import solvers
from solvers import LinearProblem, SolveOptions, SolveResult, Status

from landopt.model.build import MAX, Model, build
from landopt.errors import Issue, SolveError
from landopt.model.spec import Spec

if TYPE_CHECKING:  # pragma: no cover
    from landopt.engine.readback import Result

CANONICAL_TOL = 0.0
"""Relative slack on the last stage's value when the canonical stage holds it (backends without duals):
none; if that LP fails, it is held within the backend's accuracy (`hold_slack`); if that fails too,
the stage solution is kept."""


@dataclass
class RunInfo:
    """How a solve went (kept out of the JSON by default, so output stays byte-identical)."""

    backend: str
    build_seconds: float
    solve_seconds: float
    solves: int
    scaling: object | None = None
    duals: bool = True
    """Whether the backend returns LP duals (shadow prices are None otherwise)."""
    approximate: bool = False
    """Whether the backend is a first-order method (answers to about 1e-6 relative)."""
    accuracy: float = 1e-9
    """The backend's declared relative accuracy (`solvers.accuracy`): every tolerance that judges its
    answers (a held stage value, an active bound, a zero dual, a relaxation) is at least this."""
    warnings: list = field(default_factory=list)
    """`landopt.errors.Issue` warnings (rendered in the report's language)."""
    progress: Callable[..., None] | None = field(default=None, repr=False)
    """Called as progress(event, **details) around each step: built, solving, solved, checking."""

    def note(self, event: str, **details: object) -> None:
        """Report progress, if anyone listens."""
        if self.progress is not None:
            self.progress(event, **details)


def canonical_weights(names: list[str]) -> np.ndarray:
    """Fixed tie-break weights in [1, 1.5), one per column, from a hash of the column's name.

    A column keeps its weight when other columns come or go (an area is added), and the weights
    carry no arithmetic structure: evenly spread weights such as frac(j * golden ratio) satisfy
    w(a) + w(b) = w(c) + w(d) whenever a + b = c + d, which ties exactly the exchanges around
    an (area, sector) cycle that degenerate allocations consist of.
    """
    import hashlib

    out = np.empty(len(names))
    for j, name in enumerate(names):
        h = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
        out[j] = 1.0 + 0.5 * (int.from_bytes(h, "big") / 2.0**64)
    return out


def stage_objective(model: Model, k: int) -> np.ndarray:
    """Objective vector of stage k over every column (stage 1 carries the soft-rule penalties)."""
    n = model.problem.n
    c = np.zeros(n)
    c[: model.n_x] = model.stage_c[k]
    if k == 0:
        soft = model.row_slack >= 0
        pen = model.row_penalty[soft]
        c[model.row_slack[soft]] = -pen if model.spec.stages[0].sense == "max" else pen
    return c


def hold_slack(c: np.ndarray, x: np.ndarray, value: float, tolerance: float, accuracy: float) -> float:
    """How far a held stage may fall short of its optimum `value` (reached at `x`).

    The stage's own relative `tolerance` times ``|value|``, but never less than the backend's
    `accuracy` relative to the size of the stage's terms, ``1 + sum_j |c_j x_j|`` (which also
    floors a stage whose value is 0): a backend whose answer is good to 1e-8 may read an optimum
    back 1e-8 high, and holding that exactly would make the next stage infeasible.
    """
    size = 1.0 + float(np.abs(c) @ np.abs(x))
    return max(tolerance * abs(value), accuracy * size)


def _stage_row(c: np.ndarray, sense: str, value: float, slack: float
               ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    row = sp.csr_matrix(c.reshape(1, -1))
    if sense == "max":
        return row, np.array([value - slack]), np.array([np.inf])
    return row, np.array([-np.inf]), np.array([value + slack])


class _Clock:
    def __init__(self, limit: float | None, started: float | None = None):
        self.limit = limit
        self.t0 = time.perf_counter() if started is None else started

    def remaining(self) -> float | None:
        if self.limit is None:
            return None
        return max(self.limit - (time.perf_counter() - self.t0), 0.01)

    def expired(self) -> bool:
        """True when (nearly) no time is left for another solve."""
        return self.limit is not None and self.limit - (time.perf_counter() - self.t0) <= 0.05


def run_lp(problem: LinearProblem, solver: str, clock: _Clock, info: RunInfo, label: str = "stage 1") -> SolveResult:
    """One backend call with the remaining time; counts it in `info` and reports progress."""
    opts = SolveOptions(time_limit=clock.remaining(), duals=info.duals)
    info.note("solving", step=label, solver=solver, n=problem.n, m=problem.m)
    t = time.perf_counter()
    try:
        res = solvers.solve(problem, solver=solver, options=opts)
    except solvers.BackendUnavailable as e:
        raise SolveError(str(e)) from None
    info.solve_seconds += time.perf_counter() - t
    info.solves += 1
    info.note("solved", step=label, status=res.status.value, seconds=time.perf_counter() - t)
    if res.scaling is not None and info.scaling is None:
        info.scaling = res.scaling
    return res


def solve_spec(spec: Spec, solver: str | None = None, time_limit: float | None = None,
               canonical: bool | None = None, model: Model | None = None,
               progress: Callable[..., None] | None = None, started: float | None = None) -> "Result":
    """Solve a resolved scenario and check the answer independently.

    The time limit runs from `started` (a `time.perf_counter()` value; the CLI takes it before
    reading the file, so the limit covers reading, the build and every solve), or from now.
    """
    from landopt.verify.independent import check_result
    from landopt.engine.diagnose import diagnose
    from landopt.engine.readback import Result

    clock = _Clock(time_limit if time_limit is not None else spec.time_limit, started)  # covers the build
    model = model or build(spec)
    problem = model.problem
    name = solver or spec.solver or "auto"
    duals = True
    try:
        try:
            backend = solvers.choose_backend(problem, name, need_duals=True)
        except solvers.IncompatibleSolver:
            backend = solvers.choose_backend(problem, name, need_duals=False)
            duals = False
    except (solvers.UnknownSolver, solvers.IncompatibleSolver, solvers.BackendUnavailable) as e:
        raise SolveError(str(e)) from None
    caps = type(backend).capabilities
    info = RunInfo(backend=backend.name, build_seconds=model.build_seconds, solve_seconds=0.0, solves=0,
                   duals=duals, approximate=solvers.Capability.APPROX_DUALS in caps,
                   accuracy=type(backend).accuracy, progress=progress)
    info.note("built", n=problem.n, m=problem.m, nnz=problem.nnz, seconds=model.build_seconds)
    if not duals:
        info.warnings.append(Issue("no_duals", {"solver": backend.name}, severity="warning"))
    canonical = spec.canonical if canonical is None else canonical

    first = run_lp(problem, backend.name, clock, info)
    warn = scaling_warning(model, info.scaling)
    if warn:
        info.warnings.append(warn)
    status = first.status
    if status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        diag = diagnose(model, backend.name, clock, info)
        result = Result.from_diagnosis(model, diag, first, info)
        info.note("checking")
        check_result(result)
        return result
    if status == Status.UNBOUNDED:
        return Result.failed(model, first, info, status="unbounded")
    if not first.has_solution or not _usable(first):
        # solvers.solve keeps a point at a limit only when it is feasible, and keeps the point of a
        # numerical error only for inspection: that one is never reported as an allocation
        return Result.failed(model, first, info, status=_status_name(status))

    duals = first.duals
    x = first.x
    last_solve = first
    stage_values = [first.objective]
    final_status = status
    stage_problem = problem
    failed: tuple[int, SolveResult] | None = None
    # lexicographic stages
    for k in range(1, len(spec.stages)):
        if final_status != Status.OPTIMAL:
            break
        if clock.expired():
            final_status = Status.TIME_LIMIT
            break
        prev = spec.stages[k - 1]
        c_prev = stage_objective(model, k - 1)
        slack = hold_slack(c_prev, x, stage_values[-1], prev.tolerance, info.accuracy)
        row, lo, hi = _stage_row(c_prev, prev.sense, stage_values[-1], slack)
        held = stage_problem.with_rows(row, lo, hi, [f"stage({prev.name})"])
        held = held.with_objective(stage_objective(model, k), spec.stages[k].sense)
        res = run_lp(held, backend.name, clock, info, label=f"stage {k + 1}")
        if res.status == Status.UNBOUNDED:  # a later stage can grow without limit: so can the objective
            final_status = res.status
            break
        if res.status.is_limit and not res.has_solution:  # the earlier stages' plan, "stopped at the limit"
            final_status = res.status
            break
        if not _usable(res):
            # every earlier stage was solved, so the scenario is feasible: a later stage the backend
            # calls infeasible (or fails on) is its failure, never the scenario's; the plan of the
            # earlier stages is kept and the result says so (status numerical_error or error, exit 1)
            final_status = Status.ERROR if res.status == Status.ERROR else Status.NUMERICAL_ERROR
            failed = (k, res)
            break
        stage_problem = held
        x, final_status, last_solve = res.x, res.status, res
        stage_values.append(res.objective)
    # canonical tie-break among optimal allocations
    # first-order backends cannot hold a value exactly: the tie-break would only add noise
    if canonical and final_status == Status.OPTIMAL and not info.approximate:
        chosen = None if clock.expired() else _canonical(model, stage_problem, last_solve, stage_values[-1],
                                                         backend.name, clock, info)
        if chosen is None:  # out of time, or the tie-break LP did not finish: say so
            info.warnings.append(Issue("canonical_skipped", {}, severity="warning"))
        else:
            x = chosen
    result = Result.solved(model, snap_slacks(model, x), duals, final_status, first, info, failed=failed)
    info.note("checking")
    check_result(result)
    return result


SCALING_WARN_RATIO = 1e7
"""Warn when matrix coefficients still span more than this after scaling (docs/format.md)."""


def describe_entry(model: Model, row: int, col: int) -> str:
    """The scenario keys behind one matrix coefficient, e.g. 'rule per-mu-tax (area=core) x core/pv'."""
    if row < model.row_inst.size:
        inst = model.instances[int(model.row_inst[row])]
        who = f"{'rule' if inst.kind == 'rule' else inst.kind} {inst.id}"
        if inst.group:
            who += " (" + ",".join(f"{k}={v}" for k, v in inst.group) + ")"
    else:
        who = "an objective stage"
    if col < model.n_x:
        p = col // model.T
        who += f" x {model.area_ids[model.pair_area[p]]}/{model.sector_ids[model.pair_sector[p]]}"
    return who


def scaling_warning(model: Model, report) -> Issue | None:
    """A warning naming the offending scenario keys when the scaled range stays too wide."""
    if report is None or report.scaled_ratio <= SCALING_WARN_RATIO:
        return None
    ents = list(report.largest[:2]) + list(report.smallest[:2])
    keys = "; ".join(dict.fromkeys(describe_entry(model, e.row, e.col) for e in ents))
    return Issue("scaling_range", {"ratio": report.scaled_ratio, "limit": SCALING_WARN_RATIO, "keys": keys},
                 severity="warning")


def _usable(res: SolveResult) -> bool:
    """True when `res` carries a point that may be reported: an optimum, or a point kept at a limit
    (`solvers.solve` keeps one only when it meets the bounds); not a numerical error's point."""
    return res.x is not None and (res.status == Status.OPTIMAL or res.status.is_limit
                                  or res.status == Status.INTERRUPTED)


def _status_name(status: Status) -> str:
    return {
        Status.TIME_LIMIT: "time_limit", Status.ITERATION_LIMIT: "iteration_limit",
        Status.INTERRUPTED: "interrupted", Status.NUMERICAL_ERROR: "numerical_error",
    }.get(status, "error")


FACE_TOL = 1e-11
"""Duals and reduced costs smaller than this (relative to the largest) count as zero in `optimal_face`."""


def _canonical(model: Model, stage_problem: LinearProblem, last: SolveResult, value: float, backend: str,
               clock: _Clock, info: RunInfo) -> np.ndarray | None:
    """The canonical allocation (see the module docstring), or None when it cannot be had.

    With duals, the tie-break runs on the last stage's optimal face (`tie_break`). Without
    duals, the last stage's value is held exactly instead.
    """
    if last.duals is not None and last.reduced_costs is not None:
        return tie_break(stage_problem, last, backend, clock, info)
    weights = canonical_weights([stage_problem.col_name(j) for j in range(stage_problem.n)])
    k = len(model.spec.stages) - 1
    c = stage_objective(model, k)
    # the tie-break must not trade the optimum for weights: the value is held exactly, and only if
    # the backend cannot hold its own answer that exactly, within its accuracy
    for slack in (CANONICAL_TOL * abs(value), hold_slack(c, last.x, value, CANONICAL_TOL, info.accuracy)):
        if clock.expired():
            return None
        row, lo, hi = _stage_row(c, model.spec.stages[k].sense, value, slack)
        held = stage_problem.with_rows(row, lo, hi, [f"stage({model.spec.stages[k].name})"])
        res = run_lp(held.with_objective(weights, "min"), backend, clock, info, label="canonical")
        if res.status == Status.OPTIMAL:
            return res.x
    return None


def tie_break(problem: LinearProblem, last: SolveResult, backend: str, clock: _Clock,
              info: RunInfo) -> np.ndarray | None:
    """Among the optimal points of `problem` (last solved as `last`), the one minimising the
    canonical weights; None when the last solve gave no duals or the tie-break LP fails.

    The LP runs on the optimal face (`optimal_face`): every point of it is optimal, so no row has
    to hold the optimum's value (which a solver whose answer is only 8 digits exact, like CBC's,
    could not hold).
    """
    face = optimal_face(problem, last, info.accuracy)
    if face is None:
        return None
    weights = canonical_weights([problem.col_name(j) for j in range(problem.n)])
    res = run_lp(face.with_objective(weights, "min"), backend, clock, info, label="canonical")
    return res.x if res.status == Status.OPTIMAL else None


def optimal_face(problem: LinearProblem, last: SolveResult, accuracy: float = FACE_TOL) -> LinearProblem | None:
    """`problem` restricted to the optimal face of its last solve, using that solve's duals.

    By complementary slackness, a feasible point is optimal exactly when it keeps every column
    with a nonzero reduced cost at its bound and every row with a nonzero dual at its active
    bound (this holds for any optimal dual, not only a strictly complementary one). Fixing
    those also makes the tie-break LP much smaller: the solver's presolve removes them.
    A dual or reduced cost counts as nonzero above ``max(FACE_TOL, accuracy)`` (the backend's declared
    accuracy) relative to the largest. Returns None when the last solve gave no duals.
    """
    if last.duals is None or last.reduced_costs is None or last.x is None:
        return None
    cp = problem
    m_stage = problem.m
    d, y, x = last.reduced_costs, last.duals[:m_stage], last.x
    col_lo, col_hi = cp.col_lo.copy(), cp.col_hi.copy()
    zero = max(FACE_TOL, accuracy)
    fix_col = np.abs(d) > zero * max(1.0, float(np.max(np.abs(d), initial=0.0)))
    at_lo = fix_col & (np.abs(x - col_lo) <= np.abs(x - col_hi))
    at_hi = fix_col & ~at_lo
    col_hi[at_lo] = col_lo[at_lo]
    col_lo[at_hi] = col_hi[at_hi]
    row_lo, row_hi = cp.row_lo.copy(), cp.row_hi.copy()
    fix_row = np.zeros(cp.m, dtype=bool)
    fix_row[:m_stage] = np.abs(y) > zero * max(1.0, float(np.max(np.abs(y), initial=0.0)))
    ax = cp.A[:m_stage] @ x
    lo_side = np.abs(ax - row_lo[:m_stage]) <= np.abs(ax - row_hi[:m_stage])
    rows = np.flatnonzero(fix_row[:m_stage])
    to_lo = rows[lo_side[rows] & np.isfinite(row_lo[rows])]
    to_hi = rows[~lo_side[rows] & np.isfinite(row_hi[rows])]
    row_hi[to_lo] = row_lo[to_lo]
    row_lo[to_hi] = row_hi[to_hi]
    from dataclasses import replace

    return replace(cp, col_lo=col_lo, col_hi=col_hi, row_lo=row_lo, row_hi=row_hi)


def snap_slacks(model: Model, x: np.ndarray) -> np.ndarray:
    """Zero soft-rule violations within the solver's tolerance.

    A violation of 1e-13 is noise, but times a penalty of 1e14 it would move the objective;
    any violation below 1e-9 of the row's size is set to 0 (the checker uses the same rule).
    """
    cols = model.row_slack[model.row_slack >= 0]
    if cols.size == 0:
        return x
    rows = np.flatnonzero(model.row_slack >= 0)
    scale = np.maximum(1.0, np.abs(model.problem.row_lo[rows]), where=np.isfinite(model.problem.row_lo[rows]),
                       out=np.ones(rows.size))
    scale = np.maximum(scale, np.abs(np.where(np.isfinite(model.problem.row_hi[rows]), model.problem.row_hi[rows], 0)))
    x = x.copy()
    tiny = x[cols] <= 1e-9 * scale
    x[cols[tiny]] = 0.0
    return x


def least_soft_slacks(model: Model, x: np.ndarray) -> np.ndarray:
    """`x` with every soft rule's violation column set to the least its allocation needs.

    A soft row reads ``a x + s >= lo`` (or ``a x - s <= hi``): for a given allocation the violation
    is ``max(0, lo - a x)`` (or ``max(0, a x - hi)``). A solve that prices the violation returns
    that anyway; the diagnosis' first phase does not (its objective is the relaxation alone), so
    its violations may be anything above it, and a report must not show 71 亩 short where the
    allocation is 30 short.
    """
    rows = np.flatnonzero(model.row_slack >= 0)
    if rows.size == 0:
        return x
    cols = model.row_slack[rows]
    p = model.problem
    x = x.copy()
    x[cols] = 0.0
    ax = p.A[rows] @ x
    need = np.where(model.row_side[rows] == MAX, ax - p.row_hi[rows], p.row_lo[rows] - ax)
    x[cols] = np.maximum(need, 0.0)
    return x


def shadow_prices(model: Model, x: np.ndarray, duals: np.ndarray | None) -> np.ndarray:
    """Per-row shadow price per unit of the row's own bound, positive when loosening helps.

    ``duals[r] = dv/d rhs_r``. For a ratio row ``N x + s_num >= b (D x + s_den)`` the bound
    ``b`` moves the row by ``P = D x + s_den``, so ``dv/db = dual * P``; otherwise
    ``dv/db = dual``. Loosening a max-side bound raises it, a min-side bound lowers
    it; for a minimisation, improving means lowering the objective.
    """
    m = model.row_inst.size
    if duals is None or m == 0:
        return np.full(m, np.nan)
    _, den = model.measured(x)
    ratio = np.array([model.instances[k].ratio for k in model.row_inst.tolist()], dtype=bool)
    dvdb = duals[:m] * np.where(ratio, den[model.row_inst], 1.0)
    sense = 1.0 if model.problem.sense == "max" else -1.0
    side = np.where(model.row_side == MAX, 1.0, -1.0)
    out = sense * side * dvdb
    out[np.abs(out) < 1e-12] = 0.0
    return out
