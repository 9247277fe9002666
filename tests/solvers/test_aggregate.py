"""Interchangeable alternatives merged, then split back (`solvers.aggregate`): the merged problem is a
relaxation, a split that reaches its optimum is an optimum of the problem, and anything else falls back to
the problem as built, so `solve` answers the same with or without it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solvers import BACKENDS, LinearProblem, SolveOptions, Status, aggregate, make_problem, solve
from solvers._support import is_feasible
from solvers.aggregate import merge, split_problem
from solvers.result import SolveResult

AVAILABLE_MILP = [n for n in ("highs", "scip", "cbc") if BACKENDS[n].is_available()]
needs_milp = pytest.mark.skipif(not AVAILABLE_MILP, reason="no MILP backend installed")


def siting(values: list[list[float]], sizes: list[float], capacity: list[float], budget: float,
           floors: list[float] | None = None, pair: bool = False) -> LinearProblem:
    """Items each placed at one site at most (binary per item and site, `values[i][s]` per placement), one
    budget over all sites (every placement takes `sizes[i]`), a capacity per site (a row touching one column
    of each item: relaxable) and, optionally, a floor per site (a >= row of the same kind) and a two-sided row
    that sets sites 0 and 1 apart (same count in both: not relaxable)."""
    k, sites = len(values), len(capacity)
    n = k * sites
    rows, cols, vals, lo, hi = [], [], [], [], []

    def row(entries: list[tuple[int, float]], low: float, high: float) -> None:
        r = len(lo)
        for j, v in entries:
            rows.append(r)
            cols.append(j)
            vals.append(v)
        lo.append(low)
        hi.append(high)

    for i in range(k):
        row([(i * sites + s, 1.0) for s in range(sites)], -np.inf, 1.0)
    row([(i * sites + s, sizes[i]) for i in range(k) for s in range(sites)], -np.inf, budget)
    for s in range(sites):
        row([(i * sites + s, sizes[i]) for i in range(k)], -np.inf, capacity[s])
    if floors is not None:
        for s in range(sites):
            row([(i * sites + s, sizes[i]) for i in range(k)], floors[s], np.inf)
    if pair and sites >= 2:
        row([(i * sites, 1.0) for i in range(k)] + [(i * sites + 1, -1.0) for i in range(k)], 0.0, 0.0)
    A = sp.csr_matrix((vals, (rows, cols)), shape=(len(lo), n))
    c = np.asarray(values, dtype=float).ravel()
    p = make_problem(c, A, np.array(lo), np.array(hi), np.zeros(n), np.ones(n), integer=np.ones(n, dtype=bool))
    return replace(p, choices=tuple(np.arange(i * sites, (i + 1) * sites, dtype=np.int64) for i in range(k)))


def test_sites_that_differ_only_in_their_own_rows_merge_into_one_column() -> None:
    p = siting([[5, 5, 5], [4, 4, 4]], [2, 3], capacity=[2, 9, 9], budget=4)
    m = merge(p)
    assert m is not None
    q = m.problem
    assert q.n == 2 and [part.tolist() for part in m.parts] == [[0, 1, 2], [3, 4, 5]]
    assert m.column.tolist() == [0, 0, 0, 1, 1, 1]
    assert q.col_hi.tolist() == [1.0, 1.0] and q.integer is not None and q.integer.all()
    A = q.A.toarray()
    assert A[0].tolist() == [1, 0] and A[1].tolist() == [0, 1]  # placed once at most: kept
    assert A[2].tolist() == [2, 3]  # the budget touches every site alike: kept
    assert np.abs(A[3:6]).sum() == 0  # each capacity touches one site per item: relaxed to nothing
    assert q.choices == ()  # each group is one column now


def test_the_objective_of_a_merged_column_is_its_best_site() -> None:
    p = siting([[5, 7, 6]], [2], capacity=[9, 9, 9], budget=4)
    m = merge(p)
    assert m is not None and m.problem.c.tolist() == [7.0]
    low = merge(p.with_objective(p.c, "min"))
    assert low is not None and low.problem.c.tolist() == [5.0]


def test_a_floor_keeps_its_largest_coefficient_and_a_two_sided_row_keeps_sites_apart() -> None:
    p = siting([[5, 5, 5, 5], [4, 4, 4, 4]], [2, 3], capacity=[9, 9, 9, 9], budget=9, pair=True)
    m = merge(p)
    assert m is not None  # sites 0 and 1 differ in the two-sided row; 2 and 3 merge
    assert [part.tolist() for part in m.parts] == [[2, 3], [6, 7]]
    p2 = siting([[5, 5, 5]], [2], capacity=[9, 9, 9], budget=9, floors=[-1, -1, 1])
    m2 = merge(p2)
    assert m2 is not None
    q = m2.problem
    # the floors of sites 0 and 1 are redundant (no activity is below -1): free in the merged problem; site 2's
    # touches one site of the item: its >= row keeps the largest coefficient, max(2, 0) = 2
    assert np.isinf(q.row_lo[-3]) and np.isinf(q.row_lo[-2]) and q.row_lo[-1] == 1.0
    assert q.A.toarray()[-1, 0] == 2.0


def test_nothing_to_merge_gives_none() -> None:
    p = siting([[5], [4]], [2, 3], capacity=[9], budget=4)  # one site each
    assert merge(p) is None
    assert merge(replace(p, choices=())) is None
    assert merge(replace(p, integer=None)) is None


def test_the_split_fixes_the_rest_and_sums_each_group_to_its_merged_value() -> None:
    p = siting([[5, 5, 5], [4, 4, 4]], [2, 3], capacity=[2, 9, 9], budget=9)
    m = merge(p)
    assert m is not None
    s = split_problem(p, m, np.array([1.0, 0.0]))
    assert s.m == p.m + 2
    assert s.row_lo[-2:].tolist() == [1.0, 0.0] and s.row_hi[-2:].tolist() == [1.0, 0.0]
    assert s.col_hi[3:].tolist() == [0.0, 0.0, 0.0]  # the second item is not placed: all its sites closed


@needs_milp
@pytest.mark.parametrize("name", AVAILABLE_MILP)
def test_a_merged_solve_is_proven_by_its_split(name: str) -> None:
    p = siting([[5, 5, 5], [4, 4, 4], [3, 3, 3]], [2, 3, 4], capacity=[3, 4, 9], budget=7)
    res = solve(p, name)
    assert res.status is Status.OPTIMAL and res.x is not None and is_feasible(p, res.x)
    assert res.objective == pytest.approx(9.0)  # budget 7: items 0 and 1 (sizes 2 + 3, worth 5 + 4); 0 and 2: 8
    assert "interchangeable" in res.message


@needs_milp
@pytest.mark.parametrize("name", AVAILABLE_MILP)
def test_a_split_that_cannot_be_had_falls_back_to_the_problem_as_built(name: str) -> None:
    # the budget allows both items (2 + 2), but each site holds one: the merged problem places both at
    # their best site (worth 10 + 10), which no split can do; the problem as built gets 10 + 1
    p = siting([[10, 1], [10, 1]], [2, 2], capacity=[2, 2], budget=4)
    assert aggregate.solve(p, SolveOptions(isolate=False), lambda q, o: solve(q, name, o)) is None
    res = solve(p, name)
    assert res.status is Status.OPTIMAL and res.objective == pytest.approx(11.0)
    assert "interchangeable" not in res.message


def test_a_merged_solve_at_its_time_limit_keeps_the_merged_bound() -> None:
    p = siting([[5, 5], [4, 4]], [2, 3], capacity=[9, 9], budget=5)
    calls: list[LinearProblem] = []

    def inner(q: LinearProblem, o: SolveOptions) -> SolveResult:
        calls.append(q)
        if len(calls) == 1:  # the merged problem: stopped at its limit with item 0 placed, bound 9.5
            return SolveResult(Status.TIME_LIMIT, "fake", x=np.array([1.0, 0.0]), objective=5.0, bound=9.5)
        x = np.zeros(q.n)
        x[0] = 1.0
        return SolveResult(Status.OPTIMAL, "fake", x=x, objective=5.0, bound=5.0)

    res = aggregate.solve(p, SolveOptions(time_limit=10.0), inner)
    assert res is not None and res.status is Status.TIME_LIMIT
    assert res.bound == 9.5 and res.objective == 5.0 and res.x is not None and res.x.tolist() == [1, 0, 0, 0]
    assert calls[1].m == p.m + 2


def test_a_merged_problem_that_is_infeasible_makes_the_problem_infeasible() -> None:
    p = siting([[5, 5], [4, 4]], [2, 3], capacity=[9, 9], budget=5)

    def inner(q: LinearProblem, o: SolveOptions) -> SolveResult:
        return SolveResult(Status.INFEASIBLE, "fake")

    res = aggregate.solve(p, SolveOptions(), inner)
    assert res is not None and res.status is Status.INFEASIBLE and res.x is None


@needs_milp
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_merging_never_changes_the_answer(data: st.DataObject) -> None:
    """Random sitings (values per site or not, capacities that bind or not, floors, a two-sided row): the
    merged problem's optimum bounds the problem's, and `solve` gives the problem's optimum with a feasible
    plan on every MILP backend, merged or not."""
    k = data.draw(st.integers(1, 5))
    sites = data.draw(st.integers(2, 4))
    alike = data.draw(st.booleans())
    if alike:
        base = data.draw(st.lists(st.integers(1, 20), min_size=k, max_size=k))
        values = [[float(v)] * sites for v in base]
    else:
        values = [data.draw(st.lists(st.integers(1, 20).map(float), min_size=sites, max_size=sites)) for _ in range(k)]
    sizes = data.draw(st.lists(st.integers(1, 9).map(float), min_size=k, max_size=k))
    capacity = data.draw(st.lists(st.integers(0, 20).map(float), min_size=sites, max_size=sites))
    budget = float(data.draw(st.integers(0, 40)))
    floors = data.draw(st.none() | st.lists(st.integers(-1, 4).map(float), min_size=sites, max_size=sites))
    pair = data.draw(st.booleans())
    p = siting(values, sizes, capacity, budget, floors, pair)
    plain = replace(p, choices=())
    for name in AVAILABLE_MILP:
        ref = solve(plain, name)
        res = solve(p, name)
        assert res.status is ref.status, (res.message, ref.message)
        if ref.status is not Status.OPTIMAL:
            continue
        assert res.x is not None and is_feasible(p, res.x)
        assert res.objective == pytest.approx(ref.objective, abs=1e-6)
        m = merge(p)
        if m is not None:
            relaxed = solve(m.problem, name)
            assert relaxed.status is Status.OPTIMAL and relaxed.objective is not None
            assert relaxed.objective >= ref.objective - 1e-6


def test_rows_no_point_can_violate_are_found_with_infinite_bounds_too() -> None:
    from solvers.aggregate import _redundant_rows

    A = sp.csr_matrix(np.array([[1.0, 1.0], [1.0, -1.0], [2.0, 0.0], [0.0, 1.0], [1.0, 0.0]]))
    p = make_problem(np.zeros(2), A, np.array([-np.inf, -5.0, 0.0, -np.inf, -np.inf]),
                     np.array([3.0, np.inf, 2.0, np.inf, np.inf]), np.array([0.0, 0.0]), np.array([1.0, np.inf]))
    # x0 in [0, 1], x1 in [0, inf): x0 + x1 <= 3 can be violated; x0 - x1 >= -5 can (x1 large); 0 <= 2 x0 <= 2
    # cannot; x1 and x0 with no finite side cannot
    assert _redundant_rows(p).tolist() == [False, False, True, True, True]


@needs_milp
def test_a_merged_solve_reports_the_scaling_a_plain_solve_would(monkeypatch: pytest.MonkeyPatch) -> None:
    # the coefficient report (and the scaling_range warning built on it) describes the problem as given, not
    # the merged or split problems actually handed to the backend
    p = siting([[5, 5, 5], [4, 4, 4], [3, 3, 3]], [2, 3, 4], capacity=[3, 4, 9], budget=7)
    f = np.ones(p.m)
    f[3] = 1e4  # the budget row written in other units: a range that row scaling takes out
    p = replace(p, A=sp.csr_matrix(sp.diags(f) @ p.A), row_hi=p.row_hi * f)
    name = AVAILABLE_MILP[0]
    merged = solve(p, name)
    assert "interchangeable" in merged.message
    monkeypatch.setattr(aggregate, "merge", lambda problem: None)
    plain = solve(p, name)
    assert merged.scaling is not None and plain.scaling is not None
    assert (merged.scaling.ratio, merged.scaling.scaled_ratio) == (plain.scaling.ratio, plain.scaling.scaled_ratio)
    assert merged.scaling.scaled_ratio < merged.scaling.ratio
