"""Choice groups (`LinearProblem.choices`): one aggregate binary per group for the MILP backends to branch on,
the answer unchanged and in the original problem's terms (`solvers.branching`)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend_checks import milp_backend_params
from solvers import BACKENDS, LinearProblem, ProblemError, SolveOptions, Status, aggregate, make_problem, solve
from solvers._support import is_feasible
from solvers.branching import augment, restrict
from solvers.result import SolveResult


def siting(values: list[float], sizes: list[float], sites: int, capacity: list[float]) -> LinearProblem:
    """Items each placed at one of `sites` sites at most (binary per item and site), a knapsack over all
    sites and a capacity per site; each item's sites are one choice group."""
    k = len(values)
    n = k * sites
    rows, cols, vals = [], [], []
    r = 0
    for i in range(k):  # placed once at most
        for s in range(sites):
            rows.append(r)
            cols.append(i * sites + s)
            vals.append(1.0)
        r += 1
    for s in range(sites):  # capacity of each site
        for i in range(k):
            rows.append(r)
            cols.append(i * sites + s)
            vals.append(sizes[i])
        r += 1
    A = sp.csr_matrix((vals, (rows, cols)), shape=(r, n))
    hi = np.concatenate([np.ones(k), np.asarray(capacity, dtype=float)])
    c = np.repeat(np.asarray(values, dtype=float), sites)
    p = make_problem(c, A, np.full(r, -np.inf), hi, np.zeros(n), np.ones(n), integer=np.ones(n, dtype=bool))
    return replace(p, choices=tuple(np.arange(i * sites, (i + 1) * sites, dtype=np.int64) for i in range(k)))


def test_augment_adds_one_binary_and_one_row_per_group() -> None:
    p = siting([5, 4, 3], [2, 2, 2], sites=3, capacity=[2, 2, 2])
    q = augment(p)
    assert (q.n, q.m) == (p.n + 3, p.m + 3)
    assert q.integer is not None and q.integer[p.n:].all()
    assert (q.col_lo[p.n:] == 0).all() and (q.col_hi[p.n:] == 1).all()
    assert (q.row_lo[p.m:] == 0).all() and (q.row_hi[p.m:] == 0).all()
    B = q.A[p.m:].toarray()
    assert np.array_equal(B[0, :3], np.ones(3)) and B[0, p.n] == -1.0 and B[0].sum() == 2.0
    assert q.choices == () and (q.c[p.n:] == 0).all()
    assert q.col_names is None or len(q.col_names) == q.n


def test_augment_leaves_lps_single_columns_and_closed_columns_alone() -> None:
    p = siting([5, 4], [2, 2], sites=2, capacity=[2, 2])
    lp = replace(p, integer=None)
    assert augment(lp) is lp  # an LP: the groups are ignored
    closed = replace(p, col_hi=np.array([1.0, 0.0, 0.0, 0.0]))  # item 0 keeps one site, item 1 none
    assert augment(closed) is closed
    single = replace(p, choices=(np.array([0], dtype=np.int64),))
    assert augment(single) is single


def test_restrict_drops_the_added_columns_and_rows() -> None:
    res = SolveResult(Status.OPTIMAL, "x", x=np.arange(7.0), duals=np.arange(5.0), reduced_costs=np.arange(7.0))
    out = restrict(res, 4, 3)
    assert out.x is not None and out.x.tolist() == [0, 1, 2, 3]
    assert out.duals is not None and out.duals.tolist() == [0, 1, 2]
    assert out.reduced_costs is not None and out.reduced_costs.size == 4


def test_a_group_that_is_not_binary_is_refused() -> None:
    p = siting([5, 4], [2, 2], sites=2, capacity=[2, 2])
    with pytest.raises(ProblemError, match="not binary"):
        replace(p, integer=np.array([True, False, True, True])).validate()
    with pytest.raises(ProblemError, match="outside"):
        replace(p, choices=(np.array([0, 9], dtype=np.int64),)).validate()
    # an LP (the decisions fixed) keeps its groups without complaint
    replace(p, integer=None, col_lo=np.zeros(4), col_hi=np.zeros(4)).validate()


def test_highs_and_scip_branch_on_choices_and_cbc_does_not() -> None:
    assert BACKENDS["highs"].branch_on_choices and BACKENDS["scip"].branch_on_choices
    assert not BACKENDS["cbc"].branch_on_choices


@pytest.mark.parametrize("name", milp_backend_params())
def test_the_backend_sees_the_aggregates_and_the_caller_does_not(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    p = siting([5, 4, 3, 3], [2, 2, 1, 1], sites=3, capacity=[2, 2, 2])
    monkeypatch.setattr(aggregate, "merge", lambda problem: None)  # the sites would merge (solvers.aggregate)
    seen: list[int] = []
    cls = BACKENDS[name]
    original = cls.solve

    def spy(self, problem: LinearProblem, options: SolveOptions):  # type: ignore[no-untyped-def]
        seen.append(problem.n)
        return original(self, problem, options)

    monkeypatch.setattr(cls, "solve", spy)
    res = solve(p, name)
    assert seen and seen[0] == (p.n + 4 if cls.branch_on_choices else p.n)  # CBC: off, as measured
    assert res.status is Status.OPTIMAL and res.x is not None and res.x.size == p.n
    assert res.objective == pytest.approx(5 + 4 + 3 + 3)  # sizes 2, 2, 1+1 fill the three sites
    assert is_feasible(p, res.x)


AVAILABLE_MILP = [n for n in ("highs", "scip", "cbc") if BACKENDS[n].is_available()]


@pytest.mark.skipif(not AVAILABLE_MILP, reason="no MILP backend installed")
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_groups_never_change_the_optimum(data: st.DataObject) -> None:
    """The same siting problem with and without choice groups: the same optimum on every MILP backend."""
    k = data.draw(st.integers(1, 6))
    sites = data.draw(st.integers(1, 4))
    values = data.draw(st.lists(st.integers(1, 20).map(float), min_size=k, max_size=k))
    sizes = data.draw(st.lists(st.integers(1, 9).map(float), min_size=k, max_size=k))
    capacity = data.draw(st.lists(st.integers(0, 15).map(float), min_size=sites, max_size=sites))
    p = siting(values, sizes, sites, capacity)
    plain = replace(p, choices=())
    for name in AVAILABLE_MILP:
        a, b = solve(p, name), solve(plain, name)
        assert a.status is Status.OPTIMAL and b.status is Status.OPTIMAL, (a.message, b.message)
        assert a.objective == pytest.approx(b.objective, abs=1e-6)
        assert a.x is not None and a.x.size == p.n and is_feasible(p, a.x)
