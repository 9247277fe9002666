"""`solvers.ranging`: how far a row's bound moves before the optimal basis changes. Over the range it gives,
the optimum moves by the row's dual per unit: checked against solving the moved LP from scratch."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_backends import feasible_bounded_lps

from backend_checks import needs
from solvers import LinearProblem, SolveOptions, Status, make_problem, solve
from solvers.ranging import Ranging
from solvers.session import Session

pytestmark = needs("clp")

DUALS = SolveOptions(duals=True)


def _ranged(p: LinearProblem):
    s = Session(p, "clp")
    res = s.solve(p, DUALS)
    basis = s.basis(p) if res.status is Status.OPTIMAL else None
    return s, res, (Ranging(p, res.x, basis) if basis is not None else None)


def _moved(p: LinearProblem, row: int, upper: bool, shift: float) -> LinearProblem:
    lo, hi = p.row_lo.copy(), p.row_hi.copy()
    (hi if upper else lo)[row] += shift
    if lo[row] > hi[row] and lo[row] - hi[row] <= 1e-12 * max(1.0, abs(hi[row])):  # moved onto the other bound
        (hi if upper else lo)[row] = (lo if upper else hi)[row]
    return make_problem(p.c, p.A, lo, hi, p.col_lo, p.col_hi, sense=p.sense, c0=p.c0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=feasible_bounded_lps(), frac=st.sampled_from([0.25, 0.5, 1.0]))
def test_within_its_range_the_optimum_moves_by_the_dual(problem: LinearProblem, frac: float) -> None:
    """For every row bound and both directions: a move within the range (a fraction of it, at most 2) gives the
    optimum `base + dual * move` (the activity follows the bound) or `base` (it stays), as a cold solve finds."""
    s, res, ranging = _ranged(problem)
    if ranging is None:
        return
    checked = 0
    for i in range(problem.m):
        for upper in (True, False):
            if not np.isfinite(problem.row_hi[i] if upper else problem.row_lo[i]):
                continue
            for direction in (1.0, -1.0):
                room, follows = ranging.step(i, upper, direction)
                if room <= 0.0:
                    continue
                shift = direction * frac * min(room, 2.0)
                moved = _moved(problem, i, upper, shift)
                want = solve(moved, "clp")
                assert want.status is Status.OPTIMAL, (i, upper, direction, room)
                got = res.objective + (res.duals[i] * shift if follows else 0.0)
                assert got == pytest.approx(want.objective, rel=1e-7, abs=1e-7), (i, upper, direction, room, shift)
                checked += 1
    s.close()


def _lp() -> LinearProblem:
    # max 3x + 2y  s.t. x + y <= 4, x + 3y <= 6, x <= 3 : x = 3, y = 1, objective 11
    return make_problem([3.0, 2.0], [[1.0, 1.0], [1.0, 3.0]], [-np.inf, -np.inf], [4.0, 6.0], [0.0, 0.0],
                        [3.0, np.inf], sense="max")


def test_the_range_of_a_small_lp_by_hand():
    """max 3x + 2y, x + y <= 4, x + 3y <= 9, x <= 3: x = 3, y = 1. Raising x + y <= 4 moves y up along x = 3 until
    x + 3y <= 9 binds (y = 2: room 1); lowering it moves y down to 0 (room 1). x + 3y <= 9 is slack by 3: its
    bound may come down by 3 and the activity stays; raising it never matters."""
    p = make_problem([3.0, 2.0], [[1.0, 1.0], [1.0, 3.0]], [-np.inf, -np.inf], [4.0, 9.0], [0.0, 0.0],
                     [3.0, np.inf], sense="max")  # x + 3y = 6 < 9: not degenerate
    _, res, ranging = _ranged(p)
    assert ranging is not None and res.objective == pytest.approx(11.0)
    up, follows = ranging.step(0, True, 1.0)
    assert follows == 1.0 and up == pytest.approx(1.0)  # y from 1 to 2: x + 3y reaches 9
    down, _ = ranging.step(0, True, -1.0)
    assert down == pytest.approx(1.0)  # y from 1 to 0
    loose, moves = ranging.step(1, True, -1.0)  # the slack row: its bound may come down by 3 before it binds
    assert moves == 0.0 and loose == pytest.approx(3.0, abs=1e-6)
    assert ranging.step(1, True, 1.0)[0] == np.inf


def test_what_cannot_be_told_is_a_range_of_zero():
    p = make_problem([3.0, 2.0], [[1.0, 1.0], [1.0, -1.0]], [4.0, -np.inf], [4.0, 1.0], [0.0, 0.0],
                     [3.0, np.inf], sense="max")  # an equality row: moving one side frees it
    s, _, ranging = _ranged(p)
    assert ranging is not None
    assert ranging.step(0, True, 1.0) == (0.0, 0.0) and ranging.step(0, False, -1.0) == (0.0, 0.0)
    assert s.basis(_lp()) is None  # a problem the kept model did not just answer
