"""`solvers.session.Session`: the same LP solved again with a few numbers moved answers what a cold `solve`
answers; CLP re-solves its kept model (warm), the other backends and the cases a warm solve cannot take are
solved cold."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_backends import feasible_bounded_lps

from backend_checks import needs
from solvers import LinearProblem, SolveOptions, Status, make_problem, solve
from solvers.session import Session

pytestmark = needs("clp")


def _moved(p: LinearProblem, rng: np.random.Generator) -> LinearProblem:
    """`p` with one kind of change: a row bound, a column bound, an objective coefficient or a row's
    coefficients (as a ratio rule's probe moves them)."""
    kind = rng.integers(4)
    lo, hi, clo, chi, c, A = p.row_lo.copy(), p.row_hi.copy(), p.col_lo.copy(), p.col_hi.copy(), p.c.copy(), p.A
    if kind == 0 and p.m:
        i = rng.integers(p.m)
        if np.isfinite(hi[i]):
            hi[i] += float(rng.choice([-0.5, 0.25, 1.0]))
        if np.isfinite(lo[i]):
            lo[i] -= float(rng.choice([0.5, -0.25]))
        lo[i] = min(lo[i], hi[i])
    elif kind == 1:
        j = rng.integers(p.n)
        chi[j] = max(clo[j], chi[j] + float(rng.choice([-1.0, 0.5, 2.0])))
    elif kind == 2:
        c[rng.integers(p.n)] += float(rng.choice([-1.0, 1.5]))
    elif p.m:
        i = rng.integers(p.m)
        delta = sp.csr_matrix((rng.choice([-0.5, 0.5], size=p.n), (np.full(p.n, i), np.arange(p.n))), shape=p.A.shape)
        A = (p.A + delta).tocsr()
    return make_problem(c, A, lo, hi, clo, chi, sense=p.sense, c0=p.c0)


def _same(a, b) -> None:
    assert a.status == b.status, (a.status, b.status, a.message, b.message)
    if b.status is Status.OPTIMAL:
        assert a.objective == pytest.approx(b.objective, rel=1e-9, abs=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=feasible_bounded_lps(), seed=st.integers(0, 2**16))
def test_a_session_answers_what_cold_solves_answer(problem: LinearProblem, seed: int) -> None:
    """Each of several moves in turn (changes pile up, as a sweep's points and a probe's steps do): the same
    status and objective as `solve` of the moved problem."""
    rng = np.random.default_rng(seed)
    with Session(problem, "clp") as s:
        _same(s.solve(problem), solve(problem, "clp"))
        if np.isfinite(problem.row_lo).any() or np.isfinite(problem.row_hi).any():
            assert s.warm == 1  # the kept model answered (a problem without a bounded row keeps none)
        current = problem
        for _ in range(4):
            current = _moved(current, rng)
            _same(s.solve(current), solve(current, "clp"))
        assert s.warm + s.cold == 5


def _lp() -> LinearProblem:
    # max 3x + 2y  s.t. x + y <= 4, x + 3y <= 6, x <= 3 : x = 3, y = 1, objective 11
    return make_problem([3.0, 2.0], [[1.0, 1.0], [1.0, 3.0]], [-np.inf, -np.inf], [4.0, 6.0], [0.0, 0.0],
                        [3.0, np.inf], sense="max")


def test_clp_re_solves_its_kept_model_warm():
    p = _lp()
    s = Session(p, "clp")
    assert s.solve(p).objective == pytest.approx(11.0)
    q = make_problem(p.c, p.A, p.row_lo, [5.0, 6.0], p.col_lo, p.col_hi, sense="max")  # x + y <= 5: x=3, y=1
    assert s.solve(q).objective == pytest.approx(11.0)
    r = make_problem(p.c, p.A, p.row_lo, [5.0, 9.0], p.col_lo, p.col_hi, sense="max")  # y = 2: 13
    assert s.solve(r).objective == pytest.approx(13.0)
    assert (s.warm, s.cold) == (3, 0)


def test_an_infeasible_move_is_infeasible_warm_too():
    p = _lp()
    s = Session(p, "clp")
    s.solve(p)
    q = make_problem(p.c, p.A, [5.0, -np.inf], [np.inf, 6.0], p.col_lo, p.col_hi, sense="max")  # x + y >= 5
    assert s.solve(q).status is Status.INFEASIBLE
    assert s.solve(p).objective == pytest.approx(11.0)  # and back


@pytest.mark.parametrize("case", ["time_limit", "shape", "free_row_bounded"])
def test_what_a_warm_solve_cannot_take_is_solved_cold(case):
    p = make_problem([3.0, 2.0], [[1.0, 1.0], [1.0, 3.0], [1.0, -1.0]], [-np.inf, -np.inf, -np.inf],
                     [4.0, 6.0, np.inf], [0.0, 0.0], [3.0, np.inf], sense="max")
    s = Session(p, "clp")
    s.solve(p)
    options = None
    if case == "time_limit":
        q, options = p, SolveOptions(time_limit=30.0)
    elif case == "shape":
        q = make_problem([3.0, 2.0], [[1.0, 1.0]], [-np.inf], [4.0], [0.0, 0.0], [3.0, np.inf], sense="max")
    else:  # the kept model does not hold the free row
        q = make_problem(p.c, p.A, p.row_lo, [4.0, 6.0, 1.0], p.col_lo, p.col_hi, sense="max")
    got = s.solve(q, options)
    assert (s.warm, s.cold) == (1, 1)
    _same(got, solve(q, "clp"))


@needs("highs")
def test_a_milp_is_solved_cold():
    p = _lp()
    q = make_problem(p.c, p.A, p.row_lo, [4.5, 6.5], p.col_lo, p.col_hi, sense="max", integer=[True, True])
    s = Session(q, "highs")
    _same(s.solve(q), solve(q, "highs"))
    _same(s.solve(q), solve(q, "highs"))
    assert (s.warm, s.cold) == (0, 2)


@needs("highs")
def test_a_backend_that_keeps_no_model_solves_every_problem_cold():
    p = _lp()
    s = Session(p, "highs")
    assert s.solve(p).objective == pytest.approx(11.0)
    assert (s.warm, s.cold) == (0, 1)


def _optimal_dual(p: LinearProblem, res) -> None:
    """`res` carries an optimal dual in `solvers.result`'s convention: the objective's gradient is the rows' and
    columns' duals (c = A^T y + d), each nonzero only at an active bound, with the sign of that bound's side."""
    x, y, d = res.x, res.duals, res.reduced_costs
    assert y is not None and d is not None and y.shape == (p.m,) and d.shape == (p.n,)
    tol = 1e-6 * (1.0 + float(np.abs(p.c).max(initial=0.0)))
    assert np.allclose(p.c, p.A.T @ y + d, atol=tol)
    s = 1.0 if p.sense == "max" else -1.0  # a max problem gains by raising an upper bound
    ax = p.A @ x
    for v, at_lo, at_hi in [(y, np.isclose(ax, p.row_lo, atol=1e-7), np.isclose(ax, p.row_hi, atol=1e-7)),
                            (d, np.isclose(x, p.col_lo, atol=1e-7), np.isclose(x, p.col_hi, atol=1e-7))]:
        big = np.abs(v) > tol
        assert np.all(at_lo[big] | at_hi[big])  # complementary slackness
        assert np.all((s * v[big] >= -tol) | at_lo[big]) and np.all((s * v[big] <= tol) | at_hi[big])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=feasible_bounded_lps(), seed=st.integers(0, 2**16))
def test_a_warm_solve_gives_an_optimal_dual_when_asked(problem: LinearProblem, seed: int) -> None:
    """With `duals`, each warm answer (a sweep's next point, solved from the last basis) carries row duals and
    reduced costs that prove its optimum, signed as a cold solve signs them."""
    rng = np.random.default_rng(seed)
    opts = SolveOptions(duals=True)
    with Session(problem, "clp") as s:
        current = problem
        for _ in range(4):
            got = s.solve(current, opts)
            cold = solve(current, "clp", opts)
            _same(got, cold)
            if got.status is Status.OPTIMAL:
                _optimal_dual(current, got)
                _optimal_dual(current, cold)  # the convention checked is the cold solve's too
            current = _moved(current, rng)


def test_warm_duals_are_the_cold_ones_at_a_unique_dual():
    p = _lp()
    s = Session(p, "clp")
    s.solve(p)
    # x = 3, y = 1: x + y <= 4 and x <= 3 bind, alone (x + 3y = 6 < 9): the first row is worth 2, x's bound 1
    q = make_problem(p.c, p.A, p.row_lo, [4.0, 9.0], p.col_lo, p.col_hi, sense="max")
    got, cold = s.solve(q, SolveOptions(duals=True)), solve(q, "clp", SolveOptions(duals=True))
    assert s.warm == 2
    assert got.duals == pytest.approx(cold.duals) and got.duals == pytest.approx([2.0, 0.0])
    assert got.reduced_costs == pytest.approx(cold.reduced_costs) and got.reduced_costs == pytest.approx([1.0, 0.0])
