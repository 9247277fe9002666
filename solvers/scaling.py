"""Geometric-mean scaling of a LinearProblem, its exact inverse, and a coefficient report.

The scaled problem is, with R = diag(row_factors), C = diag(col_factors) and sigma the
objective factor (all powers of two, so every product below is exact in floating point)::

    A~ = R A C        row bounds  R b          column bounds  l / C, u / C
    c~ = sigma C c    c0~ = sigma c0           x = C x~

Its optimal value is f~ = sigma f. Mapping a solution back (`Scaling.unscale`):

    x      = C x~
    f      = f~ / sigma                       (likewise the MILP bound)
    duals  y_i = d f / d b_i = (1/sigma) (d f~ / d b~_i) (d b~_i / d b_i) = R_i y~_i / sigma
    reduced costs d_j = d f / d l_j = (1/sigma) d~_j (1 / C_j)      = d~_j / (sigma C_j)

Integer columns are never scaled (C_j = 1), so integrality is untouched. Row factors are
computed from the matrix only; the objective factor brings the nonzero |c~| to a geometric
mean near 1.
"""

from __future__ import annotations

import hashlib
import weakref
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from solvers._support import canonical_csr, row_indices
from solvers.problem import LinearProblem
from solvers.result import CoefficientEntry, ScalingReport, SolveResult

MAX_EXPONENT = 64
"""Scaling factors are kept within 2**-64 .. 2**64."""


@dataclass(frozen=True, eq=False)
class Scaling:
    """Power-of-two row, column and objective factors (see the module docstring)."""

    row_factors: NDArray[np.float64]
    col_factors: NDArray[np.float64]
    objective_factor: float = 1.0

    @classmethod
    def identity(cls, problem: LinearProblem) -> Scaling:
        """The scaling that changes nothing."""
        return cls(np.ones(problem.m), np.ones(problem.n), 1.0)

    def apply(self, problem: LinearProblem) -> LinearProblem:
        """The scaled copy of `problem`."""
        R, C, sigma = self.row_factors, self.col_factors, self.objective_factor
        A = canonical_csr(problem.A)
        scaled_A = sp.csr_matrix(
            (A.data * R[row_indices(A)] * C[A.indices], A.indices.copy(), A.indptr.copy()),
            shape=A.shape,
        )
        return replace(
            problem,
            c=problem.c * C * sigma,
            c0=problem.c0 * sigma,
            A=scaled_A,
            row_lo=problem.row_lo * R,
            row_hi=problem.row_hi * R,
            col_lo=problem.col_lo / C,
            col_hi=problem.col_hi / C,
        )

    def unscale(self, result: SolveResult) -> SolveResult:
        """Map a result of the scaled problem back to the original problem's terms."""
        R, C, sigma = self.row_factors, self.col_factors, self.objective_factor
        return replace(
            result,
            x=None if result.x is None else result.x * C,
            objective=None if result.objective is None else result.objective / sigma,
            bound=None if result.bound is None else result.bound / sigma,
            duals=None if result.duals is None else result.duals * R / sigma,
            reduced_costs=None if result.reduced_costs is None else result.reduced_costs / (C * sigma),
        )


def scale(problem: LinearProblem, *, passes: int = 6, objective: bool = True) -> tuple[LinearProblem, Scaling]:
    """Scale `problem` and return the scaled copy with the factors to undo it.

    Args:
        problem: the problem to scale (not modified).
        passes: at most this many alternating row/column passes.
        objective: also scale the objective by a power of two.
    """
    scaling = compute_scaling(problem, passes=passes, objective=objective)
    return scaling.apply(problem), scaling


_MATRIX_FACTORS: list[tuple[weakref.ref[Any], bytes, NDArray[np.bool_] | None, int, NDArray[np.float64],
                            NDArray[np.float64]]] = []
"""The row and column factors of the last few matrices scaled: the engine solves one matrix several times (the
stage LP, the tie-break on its optimal face, the ranges; only bounds and the objective change), and at 1e6
nonzeros computing them takes about 0.2 s a solve; a sweep's points build the same matrix again and again.
Kept by the matrix object itself (a weak reference: a matrix no longer in use drops out) and by a digest of its
entries (`_digest`: an equal matrix built anew), its integer columns and the passes asked."""
_MATRIX_FACTORS_KEPT = 4


def _digest(A: Any) -> bytes:
    """A 128-bit BLAKE2 digest of a CSR matrix's shape and entries (about 3 ms at 1e6 nonzeros)."""
    A = canonical_csr(A)
    h = hashlib.blake2b(digest_size=16)
    h.update(np.asarray(A.shape, dtype=np.int64).tobytes())
    for a in (A.indptr.astype(np.int64, copy=False), A.indices.astype(np.int64, copy=False),
              A.data.astype(np.float64, copy=False)):
        h.update(np.ascontiguousarray(a).data)
    return h.digest()


def _matrix_factors(problem: LinearProblem, passes: int) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """The cached row and column factors of `problem`'s matrix (see `_MATRIX_FACTORS`), or None."""
    integer = problem.integer
    digest: bytes | None = None
    for ref, kept_digest, kept_integer, kept_passes, rows, cols in _MATRIX_FACTORS:
        same_integer = integer is kept_integer or (
            integer is not None and kept_integer is not None and np.array_equal(integer, kept_integer))
        if kept_passes != passes or not same_integer:
            continue
        if ref() is problem.A:
            return rows, cols
        if digest is None:
            digest = _digest(problem.A)
        if digest == kept_digest:
            return rows, cols
    return None


def _keep_matrix_factors(problem: LinearProblem, passes: int, rows: NDArray[np.float64],
                         cols: NDArray[np.float64]) -> None:
    try:
        ref = weakref.ref(problem.A)
    except TypeError:  # a matrix type without weak references: not cached
        return
    integer = None if problem.integer is None else problem.integer.copy()
    for a in (rows, cols):
        a.setflags(write=False)  # shared by every Scaling made from the cache
    _MATRIX_FACTORS[:] = _MATRIX_FACTORS[-(_MATRIX_FACTORS_KEPT - 1):]
    _MATRIX_FACTORS.append((ref, _digest(problem.A), integer, passes, rows, cols))


def compute_scaling(problem: LinearProblem, *, passes: int = 6, objective: bool = True) -> Scaling:
    """Geometric-mean factors for `problem`, rounded to powers of two.

    Each pass sets every row factor to 1/sqrt(min|a| max|a|) over the row, then every
    continuous column likewise. Passes stop as soon as one fails to shrink max|a|/min|a|;
    that pass is discarded, so the result is never worse than no scaling. The row and column
    factors depend on the matrix only: a matrix scaled a moment ago reuses them (`_MATRIX_FACTORS`);
    any power-of-two factors give an exact copy of the problem, so a reused set can never change an answer.
    """
    kept = _matrix_factors(problem, passes)
    if kept is not None:
        rows, col_factors = kept
        sigma = _objective_factor(problem.c * col_factors) if objective else 1.0
        return Scaling(rows, col_factors, sigma)
    A = canonical_csr(problem.A)
    layout = _Layout.of(A)
    scalable = np.ones(problem.n, dtype=bool) if problem.integer is None else ~problem.integer
    log_a = np.log2(np.abs(A.data), where=A.data != 0, out=np.full(A.data.shape, np.nan))
    row_exp, col_exp = np.zeros(problem.m), np.zeros(problem.n)
    best = _log_spread(log_a)
    for _ in range(passes):
        new_row = row_exp - _rounded_centres(log_a + row_exp[layout.rows] + col_exp[A.indices],
                                             layout.row_starts, problem.m)
        current = log_a + new_row[layout.rows] + col_exp[A.indices]
        new_col = col_exp - np.where(
            scalable, _rounded_centres(current[layout.by_col], layout.col_starts, problem.n), 0.0)
        new_row = np.clip(new_row, -MAX_EXPONENT, MAX_EXPONENT)
        new_col = np.clip(new_col, -MAX_EXPONENT, MAX_EXPONENT)
        spread = _log_spread(log_a + new_row[layout.rows] + new_col[A.indices])
        if spread >= best - 1e-9:
            break
        row_exp, col_exp, best = new_row, new_col, spread
    col_factors = np.exp2(col_exp)
    row_factors = np.exp2(row_exp)
    _keep_matrix_factors(problem, passes, row_factors, col_factors)
    sigma = _objective_factor(problem.c * col_factors) if objective else 1.0
    return Scaling(row_factors, col_factors, sigma)


def coefficient_stats(problem: LinearProblem, scaling: Scaling | None = None, *, top: int = 3) -> ScalingReport:
    """Report the coefficient range of `problem` before and after `scaling`.

    Args:
        problem: the original (unscaled) problem.
        scaling: the factors applied; None computes those `scale` would use.
        top: how many smallest and largest scaled entries to list (at least one).
    """
    scaling = compute_scaling(problem) if scaling is None else scaling
    A = canonical_csr(problem.A)
    keep = A.data != 0
    rows = row_indices(A)[keep]
    cols = A.indices[keep]
    values = A.data[keep]
    scaled = values * scaling.row_factors[rows] * scaling.col_factors[cols]
    if values.size == 0:
        return ScalingReport(0, 0.0, 0.0, 0.0, 0.0, scaling.objective_factor, (), ())
    mag = np.abs(scaled)
    smallest, largest = _extremes(mag, max(1, min(top, mag.size)))

    def entries(idx: NDArray[np.intp]) -> tuple[CoefficientEntry, ...]:
        return tuple(
            CoefficientEntry(int(rows[i]), int(cols[i]), float(values[i]), float(scaled[i])) for i in idx
        )

    return ScalingReport(
        nnz=int(values.size),
        min_abs=float(np.abs(values).min()),
        max_abs=float(np.abs(values).max()),
        scaled_min_abs=float(mag[smallest[0]]),
        scaled_max_abs=float(mag[largest[0]]),
        objective_factor=scaling.objective_factor,
        smallest=entries(smallest),
        largest=entries(largest),
    )


def _extremes(mag: NDArray[np.float64], k: int) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Indices of the k smallest (ascending) and k largest (descending) magnitudes.

    O(nnz) with no full sort; within each list equal magnitudes are ordered by position.
    """
    low = np.argpartition(mag, k - 1)[:k] if k < mag.size else np.arange(mag.size)
    high = np.argpartition(mag, mag.size - k)[mag.size - k:] if k < mag.size else np.arange(mag.size)
    low = low[np.lexsort((low, mag[low]))]
    high = high[np.lexsort((high, -mag[high]))]
    return low, high


@dataclass(frozen=True)
class _Layout:
    """Row index per entry, and a column-major permutation of the entries with its segment starts."""

    rows: NDArray[np.int64]
    row_starts: NDArray[np.integer[Any]]
    by_col: NDArray[np.intp]
    col_starts: NDArray[np.intp]

    @classmethod
    def of(cls, A: sp.csr_matrix) -> _Layout:
        by_col = np.argsort(A.indices, kind="stable")
        col_counts = np.bincount(A.indices, minlength=A.shape[1])
        col_starts = np.concatenate([[0], np.cumsum(col_counts)])
        return cls(row_indices(A), A.indptr, by_col, col_starts)


def _rounded_centres(log_values: NDArray[np.float64], starts: NDArray[np.integer[Any]],
                     size: int) -> NDArray[np.float64]:
    """Per segment, round((min + max) / 2) of the finite log2 magnitudes (0 for empty segments).

    `log_values` holds NaN for explicit zeros, which are ignored.
    """
    lo_vals = np.where(np.isnan(log_values), np.inf, log_values)
    hi_vals = np.where(np.isnan(log_values), -np.inf, log_values)
    nonempty = starts[1:] > starts[:-1]
    centres = np.zeros(size)
    if not nonempty.any():
        return centres
    seg = starts[:-1][nonempty]
    lo = np.minimum.reduceat(lo_vals, seg)
    hi = np.maximum.reduceat(hi_vals, seg)
    mid = np.where(np.isfinite(lo) & np.isfinite(hi), np.round((lo + hi) / 2.0), 0.0)
    centres[nonempty] = mid
    return centres


def _log_spread(log_values: NDArray[np.float64]) -> float:
    """log2(max |a| / min |a|) over the nonzero entries (0 when there are none)."""
    finite = log_values[~np.isnan(log_values)]
    return float(finite.max() - finite.min()) if finite.size else 0.0


def _objective_factor(c: NDArray[np.float64]) -> float:
    """The power of two that brings the geometric mean of min and max |c| (nonzero) near 1."""
    mag = np.abs(c[c != 0])
    if mag.size == 0:
        return 1.0
    exponent = -np.round((np.log2(mag.min()) + np.log2(mag.max())) / 2.0)
    return float(np.exp2(np.clip(exponent, -MAX_EXPONENT, MAX_EXPONENT)))
