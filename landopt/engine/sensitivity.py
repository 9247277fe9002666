"""Exact one-sided value of a limit, by solving again with the bound moved a small step.

At a degenerate optimum the LP duals are not unique, so "one more 亩 is worth X"
depends on which dual the backend returned. The one-sided derivatives of the
optimal value are unique, though: landopt moves one bound at a time by a small
step ``h`` (loosening, then tightening), solves the first objective stage's LP
again on the same backend, and reports ``Δ objective / h`` each way.

The bound is moved in the built LP (`Probe.moved`; a test checks it against
building the model again with `Spec.overrides`, as a diagnosis applies a bound):

- a budget, capacity or other plain row's bound is its right-hand side, and the
  optimal value is piecewise linear in it, so the quotient is exact as long as
  ``h`` stays within the first piece; ``h = STEP_REL * max(|bound|, 1)``;
- a share or intensity bound multiplies the denominator, so the value is curved
  in it: Richardson's extrapolation ``2 D(h/2) - D(h)`` removes the step's
  first-order error (two more solves).

Only limits that are active at the optimum can have a nonzero derivative (an
inactive one may move a little without changing the optimum of a convex
problem). The report words a limit in a sentence when its price is not zero,
so those are re-solved first, in the report's order (`candidates`): its
sentences then quote re-solved changes; then the binding limits priced at
zero (budgets first), whose tightening may still cost; at most `MAX_ROWS` in
all. A limit left out is worded from its dual as a bound ("at most"), which a
dual of a degenerate optimum still is: loosening a limit by ``h`` gains at
most ``price * h``. The re-solves are plain LP solves (no canonical stage,
checker or diagnosis), so a bound that cannot be tightened reads 'infeasible'.

A move needs no solve when the basis of the first solve (the probes' base, on
a backend that keeps its model and tells its basis: CLP) stays primal feasible
over the whole step: that basis then stays optimal, and the optimum moves by
the row's dual of that basis per unit (`solvers.ranging`; a plain row's bound
only: a ratio bound moves coefficients). A test compares every such value with
solving the step.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

import solvers
from landopt.engine.readback import OneSided, Result, RowOut, Sensitivity
from landopt.engine.run import Clock, RunInfo, call
from landopt.model.build import MAX, Model
from solvers import LinearProblem, SolveResult, Status
from solvers.ranging import Ranging
from solvers.session import Session

STEP_REL = 1e-3
MAX_ROWS = 12


def needs_exact(result: Result) -> bool:
    """True when the duals cannot be quoted alone: a degenerate optimum, or a backend without duals."""
    if result.status != "optimal":
        return False
    no_duals = any(r.shadow_price is None for r in result.rows)
    return bool(result.degenerate) or no_duals


def candidates(result: Result) -> list[RowOut]:
    """Rows to re-solve, in order: the binding limits the report words with a nonzero price (in the
    report's order), then binding budgets, then the other binding limits and rules (all at price 0,
    or without duals)."""
    binding = [r for r in result.rows if r.binding and r.row >= 0 and r.rule_kind != "count"]
    priced = [r for r in binding if priced_nonzero(r)]
    rest = [r for r in binding if not priced_nonzero(r)]
    return priced + [r for r in rest if r.kind == "budget"] + [r for r in rest if r.kind != "budget"]


def priced_nonzero(row: RowOut) -> bool:
    """True when the row has a dual and it is not zero (the report then words it in a sentence)."""
    return row.shadow_price is not None and abs(row.shadow_price) > PRICE_ZERO


PRICE_ZERO = 1e-9
"""A shadow price at or below this is zero (as the report's shadow table takes it)."""


class _Solver:
    """Plain LP solves for the probes: on the result's backend, within the run's clock, counted and shown. The
    probes solve one LP with one bound moved at a time, so they share a `solvers.session.Session` (opened on the
    first problem): a backend that keeps its model (CLP) re-solves from its last basis."""

    def __init__(self, solver: str, clock: Clock | None, info: RunInfo | None) -> None:
        self.solver = solver
        self.clock = clock or Clock(None)
        self.info = info or RunInfo(backend=solver, build_seconds=0.0, solve_seconds=0.0, solves=0)
        self.session: Session | None = None

    def value(self, problem: LinearProblem) -> float | None:
        """Optimum of one LP (None unless optimal)."""
        res = self.solve(problem)
        return res.objective if res.status == Status.OPTIMAL else None

    def solve(self, problem: LinearProblem, duals: bool = False) -> SolveResult:
        """One LP on the probes' session (the run's kept first stage's, or one of their own)."""
        if self.session is None and self.info.kept is None:  # kept models: `call` takes the first stage's
            self.session = Session(problem, self.solver)
        return call(problem, self.solver, self.clock, self.info, label="exact price", duals=duals,
                    session=self.session)

    def gives_duals(self) -> bool:
        """Whether the backend returns exact duals (the ranging reads the optimum's move off them)."""
        cls = solvers.BACKENDS.get(self.solver)
        return cls is not None and cls.supports(solvers.Capability.DUALS)

    def ranging(self, problem: LinearProblem, res: SolveResult) -> Ranging | None:
        """Right-hand-side ranging at the basis the session's model holds after solving `problem` (`res`, with
        its duals), when the backend tells its basis; None otherwise."""
        session = self.session
        if session is None and self.info.kept is not None:
            session = self.info.kept.session("exact price", problem, self.solver)
        if session is None or res.status != Status.OPTIMAL or res.x is None or res.duals is None:
            return None
        basis = session.basis(problem)
        return Ranging(problem, res.x, basis) if basis is not None else None

    def close(self) -> None:
        """Free the backend's kept model."""
        if self.session is not None:
            self.session.close()


def lp_value(problem: LinearProblem, solver: str) -> float | None:
    """Optimum of one LP on `solver` (None unless optimal)."""
    return _Solver(solver, None, None).value(problem)


def one_sided(result: Result, clock: Clock | None = None, info: RunInfo | None = None,
              max_rows: int = MAX_ROWS, tighten: bool = True) -> Sensitivity:
    """Exact one-sided changes of the objective for the binding limits of an optimal `result`, as many as
    `max_rows` and the time limit (`clock`) allow; the solves count in `info` and show on its progress. Without
    `tighten`, only the loosening side is measured (half the solves; `Sensitivity.tightened` says so)."""
    rows = candidates(result)
    changes: dict[int, OneSided] = {}
    lp = _Solver(result.solver, clock, info)
    try:
        problem = result.model.problem
        first = lp.solve(problem, duals=lp.gives_duals())
        if first.status != Status.OPTIMAL or first.objective is None:
            return Sensitivity(changes, len(rows))
        base = first.objective
        ranging = lp.ranging(problem, first)
        ranged = None if ranging is None or first.duals is None else (ranging, first.duals)
        for r in rows[:max_rows]:
            if lp.clock.expired():
                break
            probe = Probe(result, r, base, lp, ranged=ranged)
            changes[r.row] = OneSided(probe.one_way(1.0), probe.one_way(-1.0) if tighten else None, probe.h)
    finally:
        lp.close()
    return Sensitivity(changes, len(rows) - len(changes), tightened=tighten)


def count_changes(result: Result, milp: Model, base: float, clock: Clock | None = None,
                  info: RunInfo | None = None, max_rows: int = MAX_ROWS) -> Sensitivity:
    """What one item more or less is worth for each binding count rule of a MILP `result` (whose first stage's
    optimum is `base`): its bound moved by one item, the first stage's MILP solved again (`milp`, the model with
    its yes/no decisions free). A count's row has no price once the decisions are fixed, so this is its only
    measure. Merged into `result.sensitivity` by the caller."""
    rows = [r for r in result.rows if r.binding and r.row >= 0 and r.rule_kind == "count"]
    changes: dict[int, OneSided] = {}
    solver = _Solver(result.solver, clock, info)
    for r in rows[:max_rows]:
        if solver.clock.expired():
            break
        probe = Probe(result, r, base, solver, model=milp)
        probe.h = 1.0
        changes[r.row] = OneSided(probe.one_way(1.0), probe.one_way(-1.0), probe.h)
    return Sensitivity(changes, len(rows) - len(changes))


class Probe:
    """Moves one row's bound and measures the first stage's optimum."""

    def __init__(self, result: Result, row: RowOut, base: float, lp: _Solver | None = None,
                 model: Model | None = None, ranged: tuple[Ranging, np.ndarray] | None = None) -> None:
        """Probe `row` (a `RowOut`) of `result`, whose first-stage optimum is `base`; `model` (default the
        result's) is the model whose first stage is solved again. With `ranged` (the ranging at the basis of
        the solve that gave `base`, and that solve's duals), a move the basis stays optimal over needs no solve:
        the optimum moves by the row's dual per unit (`solvers.ranging`)."""
        model = model or result.model
        self.model, self.solver, self.base, self.row = model, result.solver, base, row.row
        self.ranged = ranged
        self.lp = lp or _Solver(result.solver, None, None)
        self.side = int(model.row_side[row.row])
        self.inst = model.instances[int(model.row_inst[row.row])]
        self.bound = row.bound
        self.out = 1.0 if self.side == MAX else -1.0  # loosening a max bound raises it
        self.sense = 1.0 if model.problem.sense == "max" else -1.0
        self.h = STEP_REL * max(abs(row.bound), 1.0)

    def value(self, bound: float) -> float | None:
        """The first stage's optimum with this row's bound set to `bound`."""
        return self.lp.value(self.moved(bound - self.bound))

    def moved(self, shift: float) -> LinearProblem:
        """The built LP with this row's bound moved by `shift`.

        The row is the rule's linear form (`landopt.model.build`): ``N x + s_num <= b`` for a plain row,
        ``N x + s_num >= b (D x + s_den)`` for a ratio row, i.e. ``(N - b D) x >= b s_den - s_num``.
        Moving ``b`` by ``δ`` moves the row's bound by ``δ`` (plain) or by ``δ s_den`` and its
        coefficients by ``-δ D`` (ratio).
        """
        p, r = self.model.problem, self.row
        lo, hi = p.row_lo.copy(), p.row_hi.copy()
        rhs = hi if self.side == MAX else lo
        if not self.inst.ratio:
            rhs[r] += shift
            return replace(p, row_lo=lo, row_hi=hi)
        rhs[r] += shift * self.inst.s_den
        d = self.model.D[int(self.model.row_inst[r])].tocoo()
        delta = sp.csr_matrix((-shift * d.data, (np.full(d.nnz, r), d.col)), shape=p.A.shape)
        A = (p.A + delta).tocsr()
        A.sort_indices()
        return replace(p, A=A, row_lo=lo, row_hi=hi)

    def rate(self, direction: float, step: float) -> float | None:
        """Slope of the value in the loosening direction, from a move of `step` that loosens
        (`direction` +1: the improvement per unit) or tightens (-1: the loss per unit); None when
        the moved plan has no optimum (a tightened limit it cannot meet)."""
        v = self.ranged_value(direction * self.out * step)
        if v is None:
            v = self.value(self.bound + direction * self.out * step)
        return None if v is None else self.sense * direction * (v - self.base) / step

    def ranged_value(self, shift: float) -> float | None:
        """The first stage's optimum with this row's bound moved by `shift`, when the basis of the base solve
        stays optimal over the whole move (a plain row's right-hand side: `solvers.ranging`); else None."""
        if self.ranged is None or self.inst.ratio or shift == 0.0:
            return None
        ranging, duals = self.ranged
        room, follows = ranging.step(self.row, self.side == MAX, 1.0 if shift > 0 else -1.0)
        if room < abs(shift) * (1.0 + 1e-9):
            return None
        return self.base + (float(duals[self.row]) * shift if follows else 0.0)

    def one_way(self, direction: float) -> float | None:
        """The exact one-sided change per unit: loosening (+1) or tightening (-1), both >= 0."""
        d = self.rate(direction, self.h)
        if d is not None and self.inst.ratio:
            # the value is curved in a ratio bound: Richardson's extrapolation 2 D(h/2) - D(h)
            d2 = self.rate(direction, self.h / 2)
            d = None if d2 is None else 2 * d2 - d
        return None if d is None else _clean(d)


def _clean(v: float) -> float:
    """Rounded to 6 significant digits (the solves agree to about that); tiny values are 0."""
    if not math.isfinite(v):
        return 0.0
    r = float(f"{v:.6g}")
    return 0.0 if abs(r) < 1e-9 else r


def merged(first: Sensitivity | None, more: Sensitivity) -> Sensitivity:
    """Two sets of re-solved rows as one (rows are disjoint: LP rows and count rows)."""
    if first is None:
        return more
    return Sensitivity({**first.changes, **more.changes}, first.skipped + more.skipped,
                       tightened=first.tightened and more.tightened)
