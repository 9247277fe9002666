"""Geometric scaling: exactness of the round trip, and badly scaled LPs solved either way."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend_checks import assert_close, backend_params, gives_duals, needs, needs_any_backend, tolerance
from reference_problems import BY_NAME
from solvers import (
    BACKENDS,
    LinearProblem,
    Scaling,
    SolveOptions,
    SolveResult,
    Status,
    coefficient_stats,
    get_backend,
    make_problem,
    scale,
    solve,
)
from solvers._support import violation

INF = np.inf


def badly_scaled_lp() -> LinearProblem:
    """lp_max_le with rows scaled by (1e3, 1e-2, 1) and x = 1e3 x', y = 1e-2 y'.

    Coefficients span 2e-4 .. 1e6. The optimum maps over: x' = (2/1e3, 6/1e-2) =
    (2e-3, 600), objective 36, duals y'_i = y_i / r_i = (0, 1.5/1e-2, 1) = (0, 150, 1).
    """
    A = np.array([[1e6, 0.0], [0.0, 2e-4], [3e3, 2e-2]])
    return make_problem([3e3, 5e-2], A, [-INF] * 3, [4e3, 0.12, 18.0], sense="max")


def is_power_of_two(values: np.ndarray) -> bool:
    """True when every value is a positive power of two."""
    mantissa, _ = np.frexp(values)
    return bool(np.all(values > 0) and np.all(mantissa == 0.5))


@pytest.mark.parametrize("scaled", [True, False], ids=["scaled", "unscaled"])
@pytest.mark.parametrize("name", backend_params())
def test_badly_scaled_lp_gives_the_same_answer_either_way(name: str, scaled: bool) -> None:
    cls = BACKENDS[name]
    result = solve(badly_scaled_lp(), name, SolveOptions(scale=scaled, duals=gives_duals(cls)))
    assert result.status is Status.OPTIMAL
    assert_close(result.objective, 36.0, 1e-6, "objective")
    assert_close(result.x, [2e-3, 600.0], tolerance(cls), "x")
    if gives_duals(cls):
        assert_close(result.duals, [0.0, 150.0, 1.0], tolerance(cls), "duals")


def test_scaling_shrinks_the_coefficient_range() -> None:
    problem = badly_scaled_lp()
    _, scaling = scale(problem)
    report = coefficient_stats(problem, scaling)
    assert report.min_abs == 2e-4 and report.max_abs == 1e6
    assert report.ratio == pytest.approx(5e9)
    assert report.scaled_ratio < 10.0
    assert is_power_of_two(scaling.row_factors) and is_power_of_two(scaling.col_factors)


def test_report_names_the_rows_and_columns_that_stay_extreme() -> None:
    # Row 2 holds both 1e-6 and 1e3, which no row/column scaling can reconcile.
    problem = make_problem([1, 1, 1], [[1, 1, 1], [1, 1, 1], [1e-6, 1e3, 1]], [-INF] * 3, [1, 1, 1])
    report = coefficient_stats(problem)
    assert report.ratio == pytest.approx(1e9)
    assert report.scaled_ratio < report.ratio
    assert report.extreme_rows[0] == 2
    assert (2, 0) in {(e.row, e.col) for e in report.smallest}
    assert (2, 1) in {(e.row, e.col) for e in report.largest}
    entry = report.largest[0]
    assert entry.value == problem.A[entry.row, entry.col]


def test_report_of_an_empty_matrix() -> None:
    report = coefficient_stats(BY_NAME["lp_empty"].problem)
    assert (report.nnz, report.ratio, report.scaled_ratio) == (0, 1.0, 1.0)
    assert report.extreme_rows == () and report.extreme_cols == ()


@needs_any_backend
def test_solve_attaches_the_report() -> None:
    result = solve(badly_scaled_lp(), "auto")
    assert result.scaling is not None and result.scaling.scaled_ratio < result.scaling.ratio
    unscaled = solve(badly_scaled_lp(), "auto", SolveOptions(scale=False))
    assert unscaled.scaling is not None and unscaled.scaling.scaled_ratio == unscaled.scaling.ratio


@needs("highs")
def test_dual_mapping_through_a_scaled_solve() -> None:
    ref = BY_NAME["lp_equality_and_range"]
    scaled_problem, scaling = scale(ref.problem)
    raw = get_backend("highs").solve(scaled_problem, SolveOptions())
    result = scaling.unscale(raw)
    assert_close(result.x, ref.x, 1e-9, "x")
    assert_close(result.duals, ref.duals, 1e-9, "duals")
    assert_close(result.reduced_costs, ref.reduced_costs, 1e-9, "reduced costs")
    assert_close(result.objective, ref.objective, 1e-12, "objective")


def test_identity_scaling_changes_nothing() -> None:
    problem = badly_scaled_lp()
    same = Scaling.identity(problem).apply(problem)
    assert np.array_equal(same.A.toarray(), problem.A.toarray())
    assert np.array_equal(same.c, problem.c) and np.array_equal(same.row_hi, problem.row_hi)


# ------------------------------------------------------------------------- round trip
MAGNITUDES = st.sampled_from([0.0, 1e-5, 3e-3, 0.7, 1.0, 2.5, 40.0, 8e3, 1e6])


@st.composite
def problems(draw: st.DrawFn) -> LinearProblem:
    """Random problems with wildly scaled coefficients, finite and infinite bounds, integers."""
    n = draw(st.integers(1, 6))
    m = draw(st.integers(0, 6))
    signs = st.sampled_from([-1.0, 1.0])
    A = np.array([[draw(MAGNITUDES) * draw(signs) for _ in range(n)] for _ in range(m)]).reshape(m, n)
    bound = st.sampled_from([-INF, -7.5, 0.0, 1e-3, 3.0, 2e5])
    lo = np.array([draw(bound) for _ in range(m + n)])
    hi = np.maximum(lo, [draw(st.sampled_from([0.0, 1.0, 50.0, 1e7, INF])) for _ in range(m + n)])
    integer = [draw(st.booleans()) for _ in range(n)]
    return make_problem([draw(MAGNITUDES) * draw(signs) for _ in range(n)], A, lo[:m], hi[:m], lo[m:], hi[m:],
                        sense=draw(st.sampled_from(["max", "min"])), c0=draw(MAGNITUDES), integer=integer)


@settings(max_examples=60, deadline=None)
@given(problem=problems(), seed=st.integers(0, 2**32 - 1))
def test_unscale_inverts_scale_exactly(problem: LinearProblem, seed: int) -> None:
    scaled, scaling = scale(problem)
    R, C, sigma = scaling.row_factors, scaling.col_factors, scaling.objective_factor
    assert is_power_of_two(R) and is_power_of_two(C) and is_power_of_two(np.array([sigma]))
    assert np.all(C[problem.integer] == 1.0)
    assert np.array_equal(scaled.row_lo / R, problem.row_lo) and np.array_equal(scaled.row_hi / R, problem.row_hi)
    assert np.array_equal(scaled.col_lo * C, problem.col_lo) and np.array_equal(scaled.col_hi * C, problem.col_hi)
    assert np.array_equal(scaled.c / (sigma * C), problem.c) and scaled.c0 / sigma == problem.c0
    assert np.array_equal(np.diag(1 / R) @ scaled.A.toarray() @ np.diag(1 / C), problem.A.toarray())
    unscaled_ratio = coefficient_stats(problem, Scaling.identity(problem)).ratio
    assert coefficient_stats(problem, scaling).scaled_ratio <= unscaled_ratio

    rng = np.random.default_rng(seed)
    x, y, d = rng.normal(size=problem.n), rng.normal(size=problem.m), rng.normal(size=problem.n)
    objective, bound = float(rng.normal()), float(rng.normal())
    in_scaled_terms = SolveResult(Status.OPTIMAL, "test", x=x / C, duals=y * sigma / R, reduced_costs=d * sigma * C,
                                  objective=objective * sigma, bound=bound * sigma)
    back = scaling.unscale(in_scaled_terms)
    assert np.array_equal(back.x, x) and np.array_equal(back.duals, y) and np.array_equal(back.reduced_costs, d)
    assert back.objective == objective and back.bound == bound


def huge_penalty_lp() -> LinearProblem:
    """A lexicographic second stage found by landopt's fuzzer (soft-rule penalty 8.5e10).

    The last row keeps the first stage's optimum: tax - 8.5e10 (s1 + s2) >= 3475 with
    slacks s >= 0. Scaled, CLP and CBC returned s1 = -3.9e-8 (within their tolerance on
    the scaled column), which "pays" 3331 of that row; the true optimum is 56.79.
    """
    A = np.zeros((17, 10))
    A[0, [0, 2, 4, 6]] = [20, 5, 20, 5]
    A[1, :8] = [20, 20, 5, 5, 20, 20, 5, 5]
    A[2, [0, 2, 4, 6]] = 1
    A[3, [1, 3, 5, 7]] = 1
    A[4, :4] = 1
    A[5, 4:8] = 1
    A[6, [0, 2, 4, 6]] = [0.5, 0.5, -0.5, -0.5]
    A[7, :8] = [0.5] * 4 + [-0.5] * 4
    A[8, [0, 2]] = [35, -5]
    A[9, :4] = [33.5, 33.5, -6.5, -6.5]
    A[10, [4, 6]] = [35, -5]
    A[11, 4:8] = [33.5, 33.5, -6.5, -6.5]
    A[12, [4, 6]] = [20, 5]
    A[13, 4:8] = [20, 20, 5, 5]
    A[14, [2, 6, 8]] = 1
    A[15, [2, 3, 6, 7, 9]] = 1
    A[16] = [100, 50, 20, 10, 100, 50, 20, 10, -85268027180.0, -85268027180.0]
    lo = [-INF] * 6 + [0, 0, -500, -350, 0, 0, -INF, -INF, 5, 5, 3475]
    hi = [500, 900, 100, 100, 75, 60] + [INF] * 6 + [300, 300, INF, INF, INF]
    c = [1.3090169943749475, 1.118033988749895, 1.4270509831248424, 1.2360679774997898, 1.0450849718747373,
         1.3541019662496847, 1.1631189606246322, 1.4721359549995796, 1.281152949374527, 1.0901699437494745]
    return make_problem(c, A, lo, hi, sense="min")


@pytest.mark.parametrize("scaled", [True, False], ids=["scaled", "unscaled"])
@pytest.mark.parametrize("name", backend_params())
def test_tolerance_overstep_on_a_huge_coefficient_is_caught(name: str, scaled: bool) -> None:
    problem = huge_penalty_lp()
    result = solve(problem, name, SolveOptions(scale=scaled, duals=False))
    assert np.all(result.x >= problem.col_lo)  # clipped onto the column bounds
    if name == "scip" and result.status is Status.NUMERICAL_ERROR:
        # SCIP oversteps s1 >= 0 even unscaled; the point is kept but not called optimal.
        assert "violates the original bounds" in result.message
        return
    assert result.status is Status.OPTIMAL
    assert violation(problem, result.x) <= 1e-6
    assert_close(result.objective, 56.791065483586586, 1e-6, "objective")


def test_a_matrix_scaled_again_reuses_its_factors(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine solves one matrix several times (stage, tie-break on its optimal face, ranges): its row and
    column factors are computed once (an equal matrix built again too); the objective factor follows each
    objective; another matrix, or the same one with other integer columns, gets its own."""
    from dataclasses import replace

    from solvers import scaling as scaling_module

    calls: list[int] = []
    real = scaling_module._rounded_centres

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(scaling_module, "_rounded_centres", counted)
    problem = badly_scaled_lp()
    first = scaling_module.compute_scaling(problem)
    n_first = len(calls)
    assert n_first > 0
    face = replace(problem, col_lo=np.array([0.0, 1.0]), c=np.array([1.0, 1.0]))  # same matrix object
    again = scaling_module.compute_scaling(face)
    assert len(calls) == n_first  # nothing computed
    assert np.array_equal(again.row_factors, first.row_factors) and np.array_equal(again.col_factors,
                                                                                  first.col_factors)
    assert again.objective_factor == scaling_module._objective_factor(face.c * again.col_factors)
    with pytest.raises(ValueError, match="read-only"):
        again.row_factors[0] = 3.0  # shared: read-only
    copy = replace(problem, A=problem.A.copy())
    scaling_module.compute_scaling(copy)
    assert len(calls) == n_first  # an equal matrix built anew (a sweep's next point): its digest is known
    other = problem.A.copy()
    other.data[0] *= 2.0
    scaling_module.compute_scaling(replace(problem, A=other))
    assert len(calls) > n_first  # another matrix: computed
    n_copy = len(calls)
    scaling_module.compute_scaling(replace(copy, integer=np.array([True, False])))
    assert len(calls) > n_copy  # other integer columns: computed
    # a reused set gives the same answers as a fresh one
    for name in [n for n in ("clp", "highs") if BACKENDS[n].is_available()]:
        a = solve(face, name)
        monkeypatch.setattr(scaling_module, "_MATRIX_FACTORS", [])
        b = solve(face, name)
        assert a.status is b.status is Status.OPTIMAL and a.objective == b.objective
