"""The steps after the first solve: holding each objective stage while the next is optimised
(`lexicographic`), and the canonical tie-break among equally good plans (`canonical`).

Canonical stage: among the optimal allocations landopt takes the one minimising ``sum w_j x_j``: fixed weights
``w_j in [1, 1.5)`` hashed from each column's name, so degenerate optima do not make reports flap between runs or
backends, less `POLICY_WEIGHT` per 亩 of new land in the preferred areas (`Model.policy_c`): the plans' own
preference, elements go "preferentially to the main platform" (要素优先向主平台配置), or to the group a land tilt
rule favours when every area is a main platform. With duals it runs on the last stage's optimal face
(`optimal_face`), where the range of the preferred areas' land and of all new land over the equally good plans is
measured too (`Alternatives`, for the report's "另有同样好的方案"); without, the last stage's value is held
(`held_tie_break`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from landopt.engine.run import Clock, RunInfo, call, usable
from landopt.model.build import Model
from solvers import LinearProblem, SolveResult, Status, aggregate

CANONICAL_TOL = 0.0
"""Relative slack on the last stage's value when the canonical stage holds it (backends without duals):
none; if that LP fails, it is held within the backend's accuracy (`hold_slack`); for a MILP, then
within `CANONICAL_MIP_TOL`; if that fails too, the stage solution is kept."""
CANONICAL_MIP_TOL = 1e-7
"""The last hold of a MILP's canonical tie-break, relative to the stage's terms: CBC reads a model back with
about 8 significant digits, so holding its own optimum within 1e-9 can read as infeasible; the chosen
decisions are then within 1e-7 of the optimum (the report's figures show 6)."""


@dataclass
class Staged:
    """Where the objective stages left a run: the plan, its status, each stage's optimum, the last LP
    solved (with every earlier stage held) and its answer, and the stage that failed, if one did."""

    x: np.ndarray
    status: Status
    values: list[float]
    problem: LinearProblem
    last: SolveResult
    failed: tuple[int, SolveResult] | None = None


def lexicographic(model: Model, first: SolveResult, backend: str, clock: Clock, info: RunInfo) -> Staged:
    """Optimise each later stage while every earlier one keeps its optimum within its tolerance (never
    tighter than the backend's accuracy: `hold_slack`). A later stage that fails leaves the plan of the
    stages before it: every earlier stage was solved, so the scenario is feasible, and the failure is the
    backend's (status numerical_error or error), never the scenario's."""
    spec = model.spec
    assert first.x is not None and first.objective is not None
    run = Staged(first.x, first.status, [first.objective], model.problem, first)
    for k in range(1, len(spec.stages)):
        if run.status != Status.OPTIMAL:
            break
        if clock.expired():
            run.status = Status.TIME_LIMIT
            break
        prev = spec.stages[k - 1]
        c_prev = model.stage_objective(k - 1)
        slack = hold_slack(c_prev, run.x, run.values[-1], prev.tolerance, info.accuracy)
        row, lo, hi = stage_row(c_prev, prev.sense, run.values[-1], slack)
        held = run.problem.with_rows(row, lo, hi, [f"stage({prev.name})"])
        held = held.with_objective(model.stage_objective(k), spec.stages[k].sense)
        res = call(held, backend, clock, info, label=f"stage {k + 1}")
        if res.status == Status.UNBOUNDED:  # a later stage can grow without limit: so can the objective
            run.status = res.status
            break
        if res.status.is_limit and not res.has_solution:  # the earlier stages' plan, "stopped at the limit"
            run.status = res.status
            break
        if not usable(res):
            run.status = Status.ERROR if res.status == Status.ERROR else Status.NUMERICAL_ERROR
            run.failed = (k, res)
            break
        assert res.x is not None and res.objective is not None
        run.problem, run.x, run.status, run.last = held, res.x, res.status, res
        run.values.append(res.objective)
    return run


@dataclass(frozen=True)
class Alternatives:
    """Over every plan as good as the optimum (the last stage's optimal face, decisions fixed for a MILP): the
    least and most new land of the main platforms, and of all areas (in the model's area unit, all years)."""

    main_land: tuple[float, float]
    land: tuple[float, float]


def canonical(model: Model, run: Staged, backend: str, clock: Clock, info: RunInfo) -> np.ndarray | None:
    """The canonical allocation of an optimal run (see the module docstring), or None when it cannot be
    had (out of time, or the tie-break LP did not finish)."""
    if clock.expired():
        return None
    if run.last.duals is not None and run.last.reduced_costs is not None:
        return tie_break(run.problem, run.last, backend, clock, info, model.policy_c, model.land_c)
    return held_tie_break(model, run.problem, run.last, run.values[-1], backend, clock, info)


def _padded(c: np.ndarray, n: int) -> np.ndarray:
    """`c` over the model's columns, as long as a problem with `n` columns (later columns weigh 0)."""
    return c if c.size == n else np.concatenate([c, np.zeros(n - c.size)])


def preferring(weights: np.ndarray, policy: np.ndarray | None) -> np.ndarray:
    """The canonical weights with the preferred areas' new land (`policy`, 亩 per unit of each column) made
    `POLICY_WEIGHT` lighter per 亩: the tie-break then takes the most land there first, the name order after."""
    if policy is None:
        return weights
    return weights - POLICY_WEIGHT * _padded(policy, weights.size)


def measure_alternatives(face: LinearProblem, chosen: np.ndarray, policy: np.ndarray | None, land: np.ndarray | None,
                         backend: str, clock: Clock, info: RunInfo) -> None:
    """The least and most new land of the preferred areas, and of all areas, over `face` (every point optimal),
    kept in `info.alternatives` for the report; nothing when there is no preference, a step does not finish, or
    the run does not ask for it (`RunInfo.ranges`).

    The most is the canonical plan's (`chosen`: its weights take the most preferred land there is), so it takes
    one LP for the least, and two more for all land only when the preferred land can move (the report words the
    range as a share when all land is the same in every plan, else in 亩); none when the face fixes every column
    that carries land."""
    if policy is None or land is None or clock.expired() or not info.ranges:
        return
    pol, tot = _padded(policy, face.n), _padded(land, face.n)
    hi_m, t = float(pol @ chosen), float(tot @ chosen)
    carries = (pol != 0) | (tot != 0)
    if np.all(face.col_lo[carries] == face.col_hi[carries]):
        info.alternatives = Alternatives((hi_m, hi_m), (t, t))
        return
    least = call(face.with_objective(pol, "min"), backend, clock, info, label="range", duals=False)
    if least.status != Status.OPTIMAL or least.x is None:
        return
    lo_m = min(float(pol @ least.x), hi_m)
    totals = [t]
    if hi_m - lo_m > 1e-6 * max(1.0, abs(hi_m)):  # the preferred land moves: does all land move with it?
        more = [call(face.with_objective(tot, sense), backend, clock, info, label="range", duals=False)
                for sense in ("min", "max")]
        if not all(e.status == Status.OPTIMAL and e.x is not None for e in more):
            return
        totals = [float(tot @ np.asarray(e.x)) for e in more]
    info.alternatives = Alternatives((lo_m, hi_m), (min(totals), max(totals)))


def canonical_weights(names: list[str]) -> np.ndarray:
    """Fixed tie-break weights in [1, 1.5), one per column, from a hash of the column's name.

    A column keeps its weight when other columns come or go (an area is added), and the weights
    carry no arithmetic structure: evenly spread weights such as frac(j * golden ratio) satisfy
    w(a) + w(b) = w(c) + w(d) whenever a + b = c + d, which ties exactly the exchanges around
    an (area, sector) cycle that degenerate allocations consist of.
    """
    out = np.empty(len(names))
    for j, name in enumerate(names):
        h = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
        out[j] = 1.0 + 0.5 * (int.from_bytes(h, "big") / 2.0**64)
    return out


def hold_slack(c: np.ndarray, x: np.ndarray, value: float, tolerance: float, accuracy: float) -> float:
    """How far a held stage may fall short of its optimum `value` (reached at `x`).

    The stage's own relative `tolerance` times ``|value|``, but never less than the backend's
    `accuracy` relative to the size of the stage's terms, ``1 + sum_j |c_j x_j|`` (which also
    floors a stage whose value is 0): a backend whose answer is good to 1e-8 may read an optimum
    back 1e-8 high, and holding that exactly would make the next stage infeasible.
    """
    size = 1.0 + float(np.abs(c) @ np.abs(x))
    return max(tolerance * abs(value), accuracy * size)


def stage_row(c: np.ndarray, sense: str, value: float, slack: float
               ) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    row = sp.csr_matrix(c.reshape(1, -1))
    if sense == "max":
        return row, np.array([value - slack]), np.array([np.inf])
    return row, np.array([-np.inf]), np.array([value + slack])


POLICY_WEIGHT = 1000.0
"""How much less a 亩 of the preferred areas' new land weighs in the canonical objective than any other column
(whose weights lie in [1, 1.5)): moving land to the preferred areas always wins, and so does adding land there
unless it takes more than 1,000 亩 elsewhere... which a plan as good as the optimum cannot do without changing the
objective."""

FACE_TOL = 1e-11
"""Duals and reduced costs smaller than this (relative to the largest) count as zero in `optimal_face`."""


def held_tie_break(model: Model, stage_problem: LinearProblem, last: SolveResult, value: float, backend: str,
                   clock: Clock, info: RunInfo) -> np.ndarray | None:
    """The canonical allocation (see the module docstring), or None when it cannot be had.

    With duals, the tie-break runs on the last stage's optimal face (`tie_break`). Without
    duals, the last stage's value is held exactly instead.
    """
    if last.duals is not None and last.reduced_costs is not None:
        return tie_break(stage_problem, last, backend, clock, info)
    weights = canonical_weights([stage_problem.col_name(j) for j in range(stage_problem.n)])
    if not stage_problem.is_mip:  # a MILP's land is the LP's with its decisions fixed: the preference comes there
        weights = preferring(weights, model.policy_c)
    slacks = held_slacks(model, stage_problem, last, value, info)
    if stage_problem.is_mip:  # binaries that no plan as good as `value` can flip are fixed first
        k = len(model.spec.stages) - 1
        assert last.x is not None  # the run is optimal
        stage_problem = fixed_by_reduced_costs(stage_problem, model.stage_objective(k), model.spec.stages[k].sense,
                                               last.x, max(slacks), backend, clock, info)
    for slack in slacks:
        if clock.expired():
            return None
        held = held_stage(model, stage_problem, value, slack).with_objective(weights, "min")
        res = call(held, backend, clock, info, label="canonical")
        if res.status == Status.OPTIMAL:
            return res.x
    return None


def held_slacks(model: Model, stage_problem: LinearProblem, last: SolveResult, value: float,
                info: RunInfo) -> list[float]:
    """How far the canonical stage may let the last stage fall short of its optimum `value`, tried in turn: the
    tie-break must not trade the optimum for weights, so the value is held exactly, and only if the backend
    cannot hold its own answer that exactly, within its accuracy (a MILP: then within `CANONICAL_MIP_TOL`)."""
    c = model.stage_objective(len(model.spec.stages) - 1)
    assert last.x is not None  # the run is optimal
    slacks = [CANONICAL_TOL * abs(value), hold_slack(c, last.x, value, CANONICAL_TOL, info.accuracy)]
    if stage_problem.is_mip:
        slacks.append(hold_slack(c, last.x, value, CANONICAL_TOL, max(info.accuracy, CANONICAL_MIP_TOL)))
    return slacks


def held_stage(model: Model, problem: LinearProblem, value: float, slack: float) -> LinearProblem:
    """`problem` with a row holding the last stage within `slack` of its optimum `value`."""
    k = len(model.spec.stages) - 1
    row, lo, hi = stage_row(model.stage_objective(k), model.spec.stages[k].sense, value, slack)
    return problem.with_rows(row, lo, hi, [f"stage({model.spec.stages[k].name})"])


def canonical_sites(model: Model, stage_problem: LinearProblem, last: SolveResult, value: float, backend: str,
                    clock: Clock, info: RunInfo) -> np.ndarray | None:
    """The stage plan's own decisions with their sites chosen canonically, or None when there is nothing to
    choose this way (no interchangeable sites) or the small MILP does not finish.

    When a MILP's canonical tie-break runs out of its time (`held_tie_break`), the plan would keep whichever
    of the interchangeable sites (areas whose capacity does not bind) the solver happened to take, and those
    are the ties that make plans flap between runs and backends. This keeps every yes/no decision the stages
    took (each project placed or not, in its year) and picks its site by the canonical weights, with the stage
    held as in `held_tie_break`: the split of `solvers.aggregate` with the weights for objective, a MILP over
    the sites of the placed projects only (county of 50 projects: 0.05 s where the whole tie-break did not
    finish in 5 s). Ties between different sets of decisions stay the solver's (the warning says so)."""
    if clock.expired() or last.x is None or stage_problem.integer is None:
        return None
    weights = canonical_weights([stage_problem.col_name(j) for j in range(stage_problem.n)])
    for slack in held_slacks(model, stage_problem, last, value, info):
        held = held_stage(model, stage_problem, value, slack).with_objective(weights, "min")
        merged = aggregate.merge(held)
        if merged is None or clock.expired():
            return None
        y = np.zeros(merged.problem.n)
        np.add.at(y, merged.column, last.x)
        res = call(aggregate.split_problem(held, merged, y), backend, clock, info, label="canonical sites")
        if res.status == Status.OPTIMAL and res.x is not None:
            return res.x
    return None


def fixed_by_reduced_costs(problem: LinearProblem, c: np.ndarray, sense: str, x_opt: np.ndarray, slack: float,
                           backend: str, clock: Clock, info: RunInfo) -> LinearProblem:
    """`problem` (a MILP whose optimum of objective `c` is reached at `x_opt`) with every binary fixed that no
    point within `slack` of that optimum can move: reduced-cost fixing from the LP relaxation.

    With the relaxation's optimum ``z_LP`` at ``x*`` and its reduced costs ``d`` (d objective / d active
    bound), every point meeting the rows has ``c x <= z_LP + sum_j d_j (x_j - x*_j)`` for a max problem, and
    each term is <= 0. A binary at 0 in ``x*`` with ``-d_j`` above ``gap = z_LP - c x_opt + slack`` (plus the
    backend's accuracy relative to the terms) is 0 in every point the canonical stage may choose; one at 1
    with ``d_j`` above it is 1. The canonical MILP keeps the same answer and has far fewer columns (county
    of 50 projects, HiGHS: 282 of 678 binaries fixed, tie-break 10.3 s -> 4.7 s). A backend without duals,
    or a relaxation that does not solve, leaves `problem` as it is.
    """
    if clock.expired() or problem.integer is None or not info.duals:
        return problem
    relax = replace(problem, integer=None).with_objective(c, sense)
    res = call(relax, backend, clock, info, label="canonical bound", duals=True)
    if res.status != Status.OPTIMAL or res.x is None or res.reduced_costs is None:
        return problem
    s = 1.0 if sense == "max" else -1.0
    x_lp, d = res.x, res.reduced_costs
    size = 1.0 + float(np.abs(c) @ np.abs(x_lp))
    gap = max(0.0, s * float(c @ x_lp - c @ x_opt)) + slack + max(info.accuracy, FACE_TOL) * size
    binary = problem.integer & (problem.col_lo == 0.0) & (problem.col_hi == 1.0)
    at0 = binary & (x_lp <= FACE_TOL) & (-s * d > gap)
    at1 = binary & (x_lp >= 1.0 - FACE_TOL) & (s * d > gap)
    if not (at0.any() or at1.any()):
        return problem
    return replace(problem, col_lo=np.where(at1, 1.0, problem.col_lo), col_hi=np.where(at0, 0.0, problem.col_hi))


def tie_break(problem: LinearProblem, last: SolveResult, backend: str, clock: Clock,
              info: RunInfo, policy: np.ndarray | None = None, land: np.ndarray | None = None) -> np.ndarray | None:
    """Among the optimal points of `problem` (last solved as `last`), the one minimising the canonical weights with
    the preferred areas' land made lighter (`preferring`); None when the last solve gave no duals or the tie-break
    LP fails. The range over those points is measured on the way (`measure_alternatives`).

    The LP runs on the optimal face (`optimal_face`): every point of it is optimal, so no row has
    to hold the optimum's value (which a solver whose answer is only 8 digits exact, like CBC's,
    could not hold).
    """
    face = optimal_face(problem, last, info.accuracy)
    if face is None:
        return None
    weights = preferring(canonical_weights([problem.col_name(j) for j in range(problem.n)]), policy)
    res = call(face.with_objective(weights, "min"), backend, clock, info, label="canonical", duals=False)
    if res.status != Status.OPTIMAL or res.x is None:
        return None
    measure_alternatives(face, res.x, policy, land, backend, clock, info)
    return res.x


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
    return replace(cp, col_lo=col_lo, col_hi=col_hi, row_lo=row_lo, row_hi=row_hi)


