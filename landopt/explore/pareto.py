"""Pareto fronts of two or three objectives by AUGMECON2 (Mavrotas and Florios 2013, "An improved version of
the augmented epsilon-constraint method (AUGMECON2) for finding the exact Pareto set in multi-objective
integer programming problems", Applied Mathematics and Computation 219: 9652-9669).

An objective is a metric with a sign: ``tax`` is maximised, ``-energy`` minimised; its vector over the columns
is the builder's own objective vector of a stage of that metric (`objective_spec`), counted as the scenario's
first stage counts (every year's level, or the final year's with ``at: final``). In what follows every
objective is written to be maximised (``f_k = sign_k c_k x``):

1. The **payoff table**: each objective optimised first, the others after it in turn, each held at its
   optimum (`landopt.engine.stages.lexicographic` with tolerance 0): row k is the lexicographic optimum of
   objective k. Its column k gives objective k's range: best ``ub_k`` on the diagonal, worst ``lb_k``.
2. The **grid**: ``points`` values of each constrained objective k >= 2 from ``lb_k`` to ``ub_k``; at each
   grid point ``max f_1 + eps r_1 sum_k 10^-(k-2) s_k / r_k`` subject to ``f_k - s_k = e_k``, ``s_k >= 0``
   (the slack is not a column: ``s_k = f_k - e_k``, so the reward is a term of the objective and the grid
   value a row ``f_k >= e_k``).
3. The **bypass**: when the innermost slack ``s_2`` is at least ``b`` grid steps, the next ``b`` grid points
   would give the same plan and are skipped; an infeasible grid point ends its loop (every later one is
   tighter), and one infeasible at the loosest inner value ends the outer loop too.

The front is the non-dominated, distinct points among the payoff table's rows and the grid's plans, each a
full plan checked by the independent checker. Soft rules may be broken no more than in the scenario's own
optimum (their violation columns are bounded there): a penalty is in the units of the scenario's objective,
which need not be any of these. A MILP works the same way: the rows are added to the MILP.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from landopt.engine import stages
from landopt.engine.outline import Run, first, prepare, solve_model
from landopt.engine.readback import Result
from landopt.engine.run import Clock, call, status_name
from landopt.explore.plans import OptionError, checked_plan, scenario_failed
from landopt.i18n.messages import closest, render
from landopt.i18n.text import Bi
from landopt.model.build import Model, build
from landopt.model.spec import Selector, Spec, Stage
from solvers import LinearProblem, SolveResult, Status

EPS = 1e-3
"""The slack reward's weight relative to the primary objective's range (AUGMECON's eps): a plan may give up
a unit of ``f_1 / r_1`` for more than 1,000 units of ``s_k / r_k``."""
LP_TOL = 1e-9
MIP_TOL = 1e-7
"""How far (relative to the size of an objective's values) a grid row may be missed, and within which two
points count as one: the backend's accuracy for an LP; for a MILP, 1e-7 (`stages.CANONICAL_MIP_TOL`)."""


@dataclass(frozen=True)
class Objective:
    """A metric to maximise (``sense`` max) or minimise."""

    metric: str
    sense: str

    @property
    def sign(self) -> float:
        """+1 for a maximised objective, -1 for a minimised one."""
        return 1.0 if self.sense == "max" else -1.0

    @property
    def text(self) -> str:
        """As written on the command line: ``tax`` or ``-energy``."""
        return self.metric if self.sense == "max" else "-" + self.metric


def parse_objectives(spec: Spec, text: str, option: str = "--objectives") -> list[Objective]:
    """``tax,-energy`` as objectives; two or three distinct metrics the scenario knows (land, a resource or a
    metric), else an `OptionError`."""
    out: list[Objective] = []
    for raw in text.split(","):
        word = raw.strip()
        name = word[1:].strip() if word.startswith(("-", "+")) else word
        if not name:
            raise OptionError(option, Bi(f"{text!r} has an empty objective; expected metrics separated by commas, "
                                         "such as tax,-energy", f"{text!r} 中有空的目标; 应为以逗号分隔的指标, "
                                         "如 tax,-energy"))
        if name not in spec.metrics:
            known = sorted(spec.metrics)
            params = {"got": name, "known": ", ".join(known)}
            suggest = closest(name, known)
            raise OptionError(option, Bi(render("unknown_metric", params, "en", suggest),
                                         render("unknown_metric", params, "zh", suggest)))
        if any(o.metric == name for o in out):
            raise OptionError(option, Bi(f"{name!r} is named twice; expected two or three different metrics",
                                         f"{name!r} 出现了两次; 应为两个或三个不同的指标"))
        out.append(Objective(name, "min" if word.startswith("-") else "max"))
    if not 2 <= len(out) <= 3:
        raise OptionError(option, Bi(f"{len(out)} objective(s) given; expected two or three, such as tax,-energy "
                                     "(a leading '-' minimises)",
                                     f"给出了 {len(out)} 个目标; 应为两个或三个, 如 tax,-energy (前加 '-' 表示求最小)"))
    return out


def check_points(points: int, option: str = "--points") -> None:
    """At least two grid points (the two ends), else an `OptionError`."""
    if points < 2:
        raise OptionError(option, Bi(f"{points} grid points; expected at least 2 (the two ends of the front), "
                                     "such as 21", f"网格点数为 {points}; 至少应为 2 (前沿的两端), 如 21"))


def objective_spec(spec: Spec, objectives: list[Objective], lead: int = 0) -> Spec:
    """`spec` whose objective stages are `objectives`, objective `lead` first and the others after it in turn,
    each counted over the whole plan as the scenario's first stage counts (its `at: final`)."""
    order = objectives[lead:] + objectives[:lead]
    at_final = spec.stages[0].at_final
    return replace(spec, stages=[Stage(o.sense, {o.metric: 1.0}, 0.0, at_final, Selector(), o.metric)
                                 for o in order])


@dataclass
class Point:
    """One plan of the front: each objective's value (in its own terms, as the objectives are listed)."""

    values: tuple[float, ...]
    x: np.ndarray
    result: Result
    source: str
    """'payoff' (a lexicographic optimum, row of the payoff table) or 'grid'."""


@dataclass
class Front:
    """A Pareto front (see the module docstring)."""

    objectives: list[Objective]
    points: list[Point]
    payoff: np.ndarray
    """``payoff[k, j]``: objective j (own terms) at the lexicographic optimum of objective k."""
    model: Model
    solved: int = 0
    """Grid points solved."""
    bypassed: int = 0
    """Grid points skipped by the bypass or after an infeasible one."""
    status: str = "optimal"
    """'optimal', or 'time_limit' when the time ran out before the grid was done."""
    unsolved: list[str] = field(default_factory=list)
    """The status of each grid point that ended without an optimum (a limit, a solver failure)."""


def _held_soft(model: Model, viol_hi: np.ndarray | None) -> Model:
    """`model` whose soft rules may be broken at most `viol_hi` (their violation columns' upper bounds)."""
    if viol_hi is None:
        return model
    block = model.cols.block("viol")
    hi = model.problem.col_hi.copy()
    hi[block.slice] = viol_hi
    return replace(model, problem=replace(model.problem, col_hi=hi))


def soft_bounds(spec: Spec, model: Model, solver: str | None, clock: Clock) -> np.ndarray | None:
    """The violation of each soft rule in the scenario's own optimum (a little above, for the backend's
    accuracy), or None without soft rules."""
    block = model.cols.block("viol")
    if not block.size:
        return None
    res = solve_model(build(spec), solver, clock.remaining(), canonical=False, exact=False)
    if res.status != "optimal" or res.x is None:
        raise scenario_failed(res.status)
    v = block.of(res.x)
    out: np.ndarray = v + 1e-9 * (1.0 + np.abs(v))
    return out


def _lexicographic(model: Model, run: Run) -> tuple[np.ndarray, SolveResult]:
    """The lexicographic optimum of `model`'s stages (its plan and last solve), or an `ExploreError`."""
    res = first(run)
    if res.status != Status.OPTIMAL:
        raise scenario_failed("infeasible" if res.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED)
                               else "unbounded" if res.status == Status.UNBOUNDED else status_name(res.status))
    staged = stages.lexicographic(model, res, run.backend, run.clock, run.info)
    if staged.status != Status.OPTIMAL:
        raise scenario_failed(status_name(staged.status))
    return staged.x, staged.last


def _polished(prob: LinearProblem, res: SolveResult, run: Run, clock: Clock) -> SolveResult:
    """A MILP's answer `res` to `prob` with its decisions fixed (rounded) and the rest solved again as an LP: the
    same plan, its continuous part free of the MILP's tolerances (as `landopt.engine.outline.solve_mip` does);
    `res` itself when that LP does not solve."""
    assert res.x is not None and prob.integer is not None
    value = np.round(res.x)
    lo = np.where(prob.integer, value, prob.col_lo)
    hi = np.where(prob.integer, value, prob.col_hi)
    lp = replace(prob, col_lo=lo, col_hi=hi, integer=None)
    fixed = call(lp, run.backend, clock, run.info, label="decisions fixed", duals=False)
    return fixed if fixed.status == Status.OPTIMAL and fixed.x is not None else res


def pareto_front(spec: Spec, objectives: list[Objective], points: int = 21, solver: str | None = None,
                 time_limit: float | None = None, eps: float = EPS, bypass: bool = True) -> Front:
    """The Pareto front of `objectives` (two or three) on the scenario `spec` (see the module docstring);
    without `bypass` every grid point is solved (the same front, more solves)."""
    check_points(points)
    p = len(objectives)
    clock = Clock(time_limit if time_limit is not None else spec.time_limit)
    model = build(objective_spec(spec, objectives))
    viol_hi = soft_bounds(spec, model, solver, clock)
    model = _held_soft(model, viol_hi)
    run = prepare(model, solver, canonical=False)
    run = replace(run, clock=clock)
    info = run.info
    sign = np.array([o.sign for o in objectives])
    C = [sign[j] * model.stage_c[j] for j in range(p)]  # every objective to be maximised
    mip = model.problem.is_mip

    # 1. the payoff table, lexicographically
    payoff_x: list[tuple[np.ndarray, SolveResult]] = []
    for k in range(p):
        mk = model if k == 0 else _held_soft(build(objective_spec(spec, objectives, k)), viol_hi)
        payoff_x.append(_lexicographic(mk, run if k == 0 else replace(run, model=mk)))
    P = np.array([[float(C[j] @ x) for j in range(p)] for x, _ in payoff_x])  # maximised terms
    lp_tol = max(info.accuracy, LP_TOL) * (1.0 + np.abs(P).max(axis=0))
    tol = max(info.accuracy, MIP_TOL if mip else LP_TOL) * (1.0 + np.abs(P).max(axis=0))
    ub, lb = np.diag(P).copy(), P.min(axis=0)
    r = ub - lb
    front = Front(objectives, [], sign[None, :] * P, model)
    candidates: list[tuple[np.ndarray, SolveResult, str]] = [(x, res, "payoff") for x, res in payoff_x]

    # 2. the grid, with the slack reward and 3. the bypass
    g = points - 1
    steps = [r[j] / g if r[j] > tol[j] else 0.0 for j in range(p)]
    counts = [g + 1 if steps[j] > 0 else 1 for j in range(p)]
    scale0 = r[0] if r[0] > tol[0] else 1.0 + abs(ub[0])
    c_aug = C[0].astype(float).copy()
    for j in range(1, p):
        if steps[j] > 0:
            c_aug = c_aug + eps * scale0 * 10.0 ** -(j - 1) * C[j] / r[j]
    A = sp.csr_matrix(np.vstack(C[1:]))
    names = [f"pareto({o.metric})" for o in objectives[1:]]
    outer = counts[2] if p == 3 else 1
    stopped = False
    for i3 in range(outer):
        i2 = 0
        while i2 < counts[1]:
            if clock.expired():
                stopped = True
                break
            e = np.array([min(lb[j] + (i2 if j == 1 else i3) * steps[j], ub[j]) for j in range(1, p)])
            prob = model.problem.with_rows(A, e - tol[1:], np.full(p - 1, np.inf), names).with_objective(c_aug,
                                                                                                          "max")
            res = call(prob, run.backend, clock, info, label=f"pareto {front.solved + 1}")
            front.solved += 1
            if res.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
                front.bypassed += counts[1] - i2 - 1
                break
            if res.status != Status.OPTIMAL or res.x is None:
                front.unsolved.append(status_name(res.status))
                i2 += 1
                continue
            if mip:  # the decisions as the MILP took them, the rest solved as an LP, its rows held as an LP's
                exact = model.problem.with_rows(A, e - lp_tol[1:], np.full(p - 1, np.inf), names)
                res = _polished(exact.with_objective(c_aug, "max"), res, run, clock)
            assert res.x is not None
            candidates.append((res.x, res, "grid"))
            s2 = float(C[1] @ res.x) - e[0]
            b = math.floor((max(s2, 0.0) + tol[1]) / steps[1]) if steps[1] > 0 else 0
            b = min(b, counts[1] - i2 - 1) if bypass else 0
            front.bypassed += b
            i2 += 1 + b
        if stopped:
            break
        if i2 == 0 and p == 3:  # infeasible at the loosest inner value: every tighter outer one is too
            front.bypassed += (outer - i3 - 1) * counts[1]
            break
    if stopped:
        front.status = "time_limit"

    # the distinct, non-dominated points, each checked; points closer than a millionth of each range (and the
    # tolerance a grid row may be missed by) are one point
    same = tol + 1e-6 * r
    kept: list[tuple[np.ndarray, np.ndarray, SolveResult, str]] = []
    for x, res, source in candidates:
        f = np.array([float(C[j] @ x) for j in range(p)])
        if any(np.all(np.abs(f - g_) <= same) for g_, _, _, _ in kept):
            continue
        kept.append((f, x, res, source))
    out = []
    for f, x, res, source in kept:
        if any(np.all(g_ >= f - same) and np.any(g_ > f + same) for g_, _, _, _ in kept):
            continue
        out.append(Point(tuple((sign * f).tolist()), x, checked_plan(model, x, res, info), source))
    out.sort(key=lambda pt: tuple(-s * v for s, v in zip(sign.tolist(), pt.values, strict=True)))
    front.points = out
    info.note("pareto", points=len(out), solved=front.solved, bypassed=front.bypassed,
              seconds=time.perf_counter() - clock.t0)
    return front
