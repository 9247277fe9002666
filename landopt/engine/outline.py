"""Solving a scenario, step by step. Each step is a function a caller may run on its own (a sweep
builds once, moves bounds, and solves again):

1. `build` the model (`landopt.model.build`): ``model = build(spec)``;
2. `prepare` a run: choose the backend, start the clock and the run's record;
3. solve the first objective stage (`first`: its duals are the shadow prices);
4. `lexicographic` (`landopt.engine.stages`): hold each stage within its tolerance, optimise the next;
5. `canonical` (`landopt.engine.stages`): among equally good plans, the one fixed weights prefer;
6. `readback` (`landopt.engine.readback`): the plan in the scenario's terms (rows, prices, stages);
7. `exact` (`landopt.engine.sensitivity`): at a degenerate optimum, or without duals, the exact one-sided
   value of each limit the report words, by solving again with its bound moved (within the time limit; a
   sweep's point measures the loosening side alone, `exact="loosen"`);
8. `check` (`landopt.verify.independent`): the independent checker, on whatever allocation is returned.

An infeasible first stage goes to `landopt.engine.diagnose` (the elastic model) instead of 4-7; an
unbounded one says which limit is missing (`landopt.engine.explain`). `solve_model` runs them all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from landopt.engine import sensitivity, stages
from landopt.engine.diagnose import diagnose
from landopt.engine.explain import explain_mip
from landopt.engine.readback import MipInfo, Result, snap_slacks
from landopt.engine.run import Clock, Kept, RunInfo, call, choose, start, status_name, usable
from landopt.errors import Issue
from landopt.model.build import Model, build
from landopt.model.spec import Spec
from landopt.verify.independent import check_result
from solvers import ScalingReport, SolveResult, Status
from solvers.scaling import coefficient_stats, compute_scaling


@dataclass
class Run:
    """One solve of one model: the backend, the clock and the record of what happened."""

    model: Model
    backend: str
    clock: Clock
    info: RunInfo
    canonical: bool


def prepare(model: Model, solver: str | None = None, time_limit: float | None = None, canonical: bool | None = None,
            progress: Callable[..., None] | None = None, started: float | None = None, kept: Kept | None = None,
            ranges: bool = True) -> Run:
    """A run of `model` on `solver` (else the scenario's `solve.solver`, else 'auto'). The time limit (else the
    scenario's) runs from `started` (a `time.perf_counter()` value: the CLI takes it before reading the file),
    or from now. With `kept` (`landopt.engine.run.Kept`), its LPs are solved on the backend's models kept from
    earlier runs; without `ranges`, the range of the preferred land over the equally good plans is not measured
    (`RunInfo.ranges`)."""
    spec = model.spec
    clock = Clock(time_limit if time_limit is not None else spec.time_limit, started)
    backend, duals = choose(model.problem, solver or spec.solver or "auto")
    info = start(backend, duals, model.build_seconds, progress, kept)
    info.ranges = ranges
    if spec.mip_gap is not None:
        info.mip_gap = spec.mip_gap
    p = model.problem
    info.note("built", n=p.n, m=p.m, nnz=p.nnz, seconds=model.build_seconds)
    return Run(model, backend.name, clock, info, spec.canonical if canonical is None else canonical)


def first(run: Run) -> SolveResult:
    """Solve the first objective stage (and warn when the matrix stays badly scaled)."""
    res = call(run.model.problem, run.backend, run.clock, run.info)
    if run.info.scaling is None and run.info.kept is not None:  # solved on a kept model: nothing was scaled
        run.info.scaling = coefficient_stats(run.model.problem, compute_scaling(run.model.problem))
    warn = scaling_warning(run.model, run.info.scaling)
    if warn:
        run.info.warnings.append(warn)
    return res


def check(result: Result, run: Run) -> Result:
    """The independent checker (raises `CheckerError` on a plan that breaks the scenario)."""
    run.info.note("checking")
    check_result(result)
    return result


def solve_model(model: Model, solver: str | None = None, time_limit: float | None = None,
                canonical: bool | None = None, progress: Callable[..., None] | None = None,
                started: float | None = None, exact: bool | str = True, kept: Kept | None = None,
                ranges: bool = True) -> Result:
    """Every step of the module docstring on a built model. `exact` (default) measures the exact one-sided
    prices when the duals cannot be quoted alone ("loosen": their loosening side only; False: none). A model
    with yes/no decisions is solved as a MILP first (`solve_mip`). `kept`, `ranges`: see `prepare`."""
    run = prepare(model, solver, time_limit, canonical, progress, started, kept, ranges)
    if model.problem.is_mip:
        return solve_mip(run, exact)
    return check(solve_lp(run, first(run), exact), run)


def solve_lp(run: Run, res: SolveResult, exact: bool | str) -> Result:
    """Steps 4-7 after the first stage's LP solve `res` (an infeasible one is diagnosed)."""
    model = run.model
    if res.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        diag = diagnose(model, run.backend, run.clock, run.info)
        return Result.from_diagnosis(model, diag, res, run.info)
    if res.status == Status.UNBOUNDED:
        return Result.failed(model, res, run.info, status="unbounded")
    if not res.has_solution or not usable(res):
        # solvers.solve keeps a point at a limit only when it is feasible, and keeps the point of a
        # numerical error only for inspection: that one is never reported as an allocation
        return Result.failed(model, res, run.info, status=status_name(res.status))
    staged = stages.lexicographic(model, res, run.backend, run.clock, run.info)
    x = staged.x
    # first-order backends cannot hold a value exactly: the tie-break would only add noise
    if run.canonical and staged.status == Status.OPTIMAL and not run.info.approximate:
        chosen = stages.canonical(model, staged, run.backend, run.clock, run.info)
        if chosen is None:  # out of time, or the tie-break LP did not finish: say so
            run.info.warnings.append(Issue("canonical_skipped", {}, severity="warning"))
        else:
            x = chosen
    result = Result.solved(model, snap_slacks(model, x), res.duals, staged.status, res, run.info,
                           failed=staged.failed)
    if exact and sensitivity.needs_exact(result):
        result.sensitivity = sensitivity.one_sided(result, run.clock, run.info, tighten=exact != "loosen")
    return result


TIE_BREAK_MIN_SECONDS = 5.0
TIE_BREAK_FACTOR = 3.0
"""A MILP's canonical tie-break may take at most max(TIE_BREAK_MIN_SECONDS, TIE_BREAK_FACTOR x the time its
objective stages took) (and never more than the run has left); measured: CBC proves a 50-project county in
2 s and then spent 121 s on the tie-break."""


def solve_mip(run: Run, exact: bool | str) -> Result:
    """A model with yes/no decisions: the MILP decides them (each objective stage in turn, to the run's gap);
    then, with every decision fixed at its value, the LP steps give the plan its prices ("duals": "fixed"),
    its canonical choice among equally good plans and its exact one-sided prices, without solving the
    MILP again. An infeasible MILP is diagnosed on the elastic model with its decisions kept."""
    model = run.model
    t0 = time.perf_counter()
    res = first(run)
    if res.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        diag = diagnose(model, run.backend, run.clock, run.info)
        return check(Result.from_diagnosis(model, diag, res, run.info), run)
    if res.status == Status.UNBOUNDED:
        return Result.failed(model, res, run.info, status="unbounded")
    if not res.has_solution or not usable(res):
        return Result.failed(model, res, run.info, status=status_name(res.status))
    staged = stages.lexicographic(model, res, run.backend, run.clock, run.info)
    mip = MipInfo.of(staged.last if staged.failed is None else res, staged.status, run.info.mip_gap)
    x = staged.x
    canonical = run.canonical
    if canonical and staged.status == Status.OPTIMAL:
        # among equally good sets of decisions, the one the canonical weights prefer: one more MILP solve
        # it may take far longer than the stages themselves (a MILP over every column): it gets a budget of
        # its own, and when that runs out the decisions stay the stages' with their sites chosen canonically
        # (`stages.canonical_sites`), or the stages' plan as it is (the warning says which)
        budget = max(TIE_BREAK_MIN_SECONDS, TIE_BREAK_FACTOR * (time.perf_counter() - t0))
        left = run.clock.remaining()
        chosen = stages.held_tie_break(model, staged.problem, staged.last, staged.values[-1], run.backend,
                                       Clock(budget if left is None else min(budget, left)), run.info)
        if chosen is None:  # out of its time: at least the sites of the decisions taken, canonically
            chosen = stages.canonical_sites(model, staged.problem, staged.last, staged.values[-1], run.backend,
                                            run.clock, run.info)
            if chosen is not None:
                run.info.warnings.append(Issue("canonical_sites", {}, severity="warning"))
        if chosen is None:
            run.info.warnings.append(Issue("canonical_skipped", {}, severity="warning"))
            canonical = False  # said once: the LP's tie-break below would only say it again
        else:
            x = chosen
    fixed = fix_decisions(model, x)
    lp_run = Run(fixed, run.backend, run.clock, run.info, canonical)
    lp_first = call(fixed.problem, run.backend, run.clock, run.info, label="decisions fixed")
    if lp_first.status != Status.OPTIMAL and staged.status != Status.OPTIMAL:
        # the MILP stopped at its limit and the LP with its decisions fixed did not finish (no time left): the
        # MILP's best plan is still the answer, without prices
        run.info.warnings.append(Issue("fixed_lp_skipped", {}, severity="warning"))
        last = staged.last if staged.failed is None and staged.last.x is not None else res
        result = Result.solved(model, x, None, staged.status, last, run.info)
        result.mip = mip
        result.explain = explain_mip(model, mip, run.backend)
        return check(result, run)
    result = solve_lp(lp_run, lp_first, exact)
    result.mip = mip
    if exact and result.status == "optimal" and staged.status == Status.OPTIMAL and res.objective is not None:
        counts = sensitivity.count_changes(result, model, res.objective, run.clock, run.info)
        if counts.changes or counts.skipped:
            result.sensitivity = sensitivity.merged(result.sensitivity, counts)
    if result.status == "optimal" and staged.status != Status.OPTIMAL:  # the MILP stopped at a limit
        result.status = status_name(staged.status)
        result.explain = explain_mip(model, mip, run.backend)
    return check(result, run)


def fix_decisions(model: Model, x: np.ndarray) -> Model:
    """`model` with every integer column fixed at its value in `x` (rounded): an LP."""
    p = model.problem
    integer = p.integer if p.integer is not None else np.zeros(p.n, dtype=bool)
    value = np.round(x[: p.n])
    lo, hi = p.col_lo.copy(), p.col_hi.copy()
    lo[integer] = value[integer]
    hi[integer] = value[integer]
    return replace(model, problem=replace(p, col_lo=lo, col_hi=hi, integer=None))


def solve_spec(spec: Spec, solver: str | None = None, time_limit: float | None = None,
               canonical: bool | None = None, model: Model | None = None,
               progress: Callable[..., None] | None = None, started: float | None = None,
               kept: Kept | None = None, exact: bool | str = True, ranges: bool = True) -> Result:
    """Build (unless `model` is given) and solve a resolved scenario (see `solve_model`); the time limit
    covers the build."""
    started = time.perf_counter() if started is None else started
    return solve_model(model or build(spec), solver, time_limit, canonical, progress, started, exact, kept,
                       ranges)


SCALING_WARN_RATIO = 1e7
"""Warn when matrix coefficients still span more than this after scaling (docs/format.md)."""


def describe_entry(model: Model, row: int, col: int) -> str:
    """The scenario keys behind one matrix coefficient, e.g. 'rule per-mu-tax (area=core) x core/pv'."""
    if row < model.row_inst.size:
        inst = model.instances[int(model.row_inst[row])]
        who = f"{inst.kind.value} {inst.id}"
        if inst.group:
            who += " (" + ",".join(f"{k}={v}" for k, v in inst.group) + ")"
    else:
        who = "an objective stage"
    if model.x.start <= col < model.x.stop:
        p = (col - model.x.start) // model.T
        who += f" x {model.area_ids[model.pair_area[p]]}/{model.sector_ids[model.pair_sector[p]]}"
    return who


def scaling_warning(model: Model, report: ScalingReport | None) -> Issue | None:
    """A warning naming the offending scenario keys when the scaled range stays too wide."""
    if report is None or report.scaled_ratio <= SCALING_WARN_RATIO:
        return None
    ents = list(report.largest[:2]) + list(report.smallest[:2])
    keys = "; ".join(dict.fromkeys(describe_entry(model, e.row, e.col) for e in ents))
    return Issue("scaling_range", {"ratio": report.scaled_ratio, "limit": SCALING_WARN_RATIO, "keys": keys},
                 severity="warning")


