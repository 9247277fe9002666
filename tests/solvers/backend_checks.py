"""Shared test helpers: backend parametrisation, tolerances, dual certificates, generated LPs."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from solvers import BACKENDS, Capability, LinearProblem, SolveResult
from solvers.base import Backend

EXACT_TOL = 1e-6
APPROX_TOL = 1e-4
"""Tolerance for backends that declare APPROX_DUALS (PDLP)."""


def backend_params() -> list:
    """One pytest.param per backend, skipped when its library is missing."""
    params = []
    for name, cls in BACKENDS.items():
        marks = pytest.mark.skipif(not cls.is_available(), reason=f"{cls.library} is not installed")
        params.append(pytest.param(name, marks=marks, id=name))
    return params


def needs(name: str) -> pytest.MarkDecorator:
    """Skip unless the backend called `name` is installed."""
    cls = BACKENDS[name]
    return pytest.mark.skipif(not cls.is_available(), reason=f"{name} needs {cls.library}")


needs_any_backend = pytest.mark.skipif(not any(cls.is_available() for cls in BACKENDS.values()),
                                       reason="no solver library is installed")


def milp_backend_params() -> list:
    """backend_params restricted to MILP-capable backends."""
    return [p for p in backend_params() if BACKENDS[p.values[0]].supports(Capability.MILP)]


def gives_duals(cls: type[Backend]) -> bool:
    """True when the backend returns LP duals, exact or approximate."""
    return cls.supports(Capability.DUALS) or cls.supports(Capability.APPROX_DUALS)


def tolerance(cls: type[Backend]) -> float:
    """Absolute/relative tolerance for a backend's primal and dual values."""
    return EXACT_TOL if cls.supports(Capability.DUALS) or not cls.supports(Capability.APPROX_DUALS) else APPROX_TOL


def assert_close(actual: np.ndarray | float, expected: np.ndarray | float, tol: float, what: str) -> None:
    """|actual - expected| <= tol * (1 + |expected|), elementwise."""
    a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    err = np.abs(a - e) - tol * (1.0 + np.abs(e))
    assert np.all(err <= 0), f"{what}: got {a.tolist()}, expected {e.tolist()}"


def assert_dual_certificate(problem: LinearProblem, result: SolveResult, tol: float) -> None:
    """Check duals and reduced costs against the convention and strong duality.

    At an optimum c = A^T y + d; for a max problem y_i > 0 only at row i's upper bound and
    y_i < 0 only at its lower bound (reversed for min), likewise d_j for column bounds;
    and objective = c0 + sum_i y_i b_i + sum_j d_j l_j over the active bounds b, l.
    """
    y, d, x = result.duals, result.reduced_costs, result.x
    assert y is not None and d is not None and x is not None
    scale = 1.0 + float(np.abs(problem.c).max(initial=0.0))
    assert_close(problem.A.T @ y + d, problem.c, tol * scale, "stationarity c = A^T y + d")
    sign = 1.0 if problem.maximize else -1.0
    row_bound = _active_bounds(sign * y, problem.row_lo, problem.row_hi, problem.A @ x, tol, "row")
    col_bound = _active_bounds(sign * d, problem.col_lo, problem.col_hi, x, tol, "column")
    dual_objective = problem.c0 + float(y @ row_bound) + float(d @ col_bound)
    assert_close(dual_objective, result.objective, 10 * tol, "strong duality")


def _active_bounds(signed: np.ndarray, lo: np.ndarray, hi: np.ndarray, activity: np.ndarray,
                   tol: float, kind: str) -> np.ndarray:
    """The bound each multiplier refers to (0 where the multiplier is 0), checking activity."""
    upper = signed > tol
    lower = signed < -tol
    assert np.all(np.isfinite(hi[upper])), f"{kind} multiplier says upper bound active, but it is infinite"
    assert np.all(np.isfinite(lo[lower])), f"{kind} multiplier says lower bound active, but it is infinite"
    assert_close(activity[upper], hi[upper], 10 * tol, f"{kind}s at their upper bound")
    assert_close(activity[lower], lo[lower], 10 * tol, f"{kind}s at their lower bound")
    return np.where(upper, hi, np.where(lower, lo, 0.0))


def packing_lp(m: int = 400, n: int = 3000, per_col: int = 8, seed: int = 0) -> LinearProblem:
    """A feasible, bounded LP that takes the solvers a noticeable moment (about 0.5 s here).

    m packing rows A x <= b with A > 0 (every column in `per_col` of them), plus m/4
    mixed-sign rows with -1 <= a x <= 1; x >= 0, maximise a positive c.
    """
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, m, size=n * per_col)
    cols = np.repeat(np.arange(n), per_col)
    packing = sp.csr_matrix((rng.uniform(0.5, 2.0, n * per_col), (rows, cols)), shape=(m, n))
    mixed = sp.random(m // 4, n, density=per_col / m, random_state=seed, format="csr",
                      data_rvs=lambda k: rng.uniform(-1.0, 1.0, k))
    A = sp.vstack([packing, mixed], format="csr")
    A.sum_duplicates()
    return LinearProblem(
        c=rng.uniform(1.0, 10.0, n), A=A,
        row_lo=np.concatenate([np.full(m, -np.inf), np.full(m // 4, -1.0)]),
        row_hi=np.concatenate([rng.uniform(50.0, 100.0, m), np.full(m // 4, 1.0)]),
        col_lo=np.zeros(n), col_hi=np.full(n, np.inf), sense="max", name="packing",
    ).validate()
