"""The solver-neutral linear problem.

`LinearProblem` is the only thing a backend sees::

    optimise   c @ x + c0                  (sense: "max" or "min")
    subject to row_lo <= A @ x <= row_hi   (A: scipy CSR, m x n)
               col_lo <=     x <= col_hi
               x[j] integer where integer[j]

`choices` (optional) names groups of binary columns of which at most one is 1 in every
feasible point (the rows say so; `choices` only tells the solver layer): a MILP solve then
branches on "one of the group" before "which one" (see `solvers.branching`).

Infinite bounds are written as +-inf. Rows and columns carry stable names (used
by the LP/MPS writers and in error messages). This module knows nothing about
land, areas or rules: it must never import `landopt`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, TypeAlias

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

_Reals: TypeAlias = Sequence[float] | NDArray[np.floating[Any] | np.integer[Any]]
"""Real numbers that `make_problem` converts to a float64 array."""


class ProblemError(ValueError):
    """A LinearProblem is malformed (shape mismatch, NaN, inverted bounds...)."""


@dataclass(frozen=True, eq=False)
class LinearProblem:
    """An LP or MILP in row-range form. See the module docstring."""

    c: NDArray[np.float64]
    A: sp.csr_matrix
    row_lo: NDArray[np.float64]
    row_hi: NDArray[np.float64]
    col_lo: NDArray[np.float64]
    col_hi: NDArray[np.float64]
    sense: str = "max"
    c0: float = 0.0
    integer: NDArray[np.bool_] | None = None
    row_names: Sequence[str] | None = None
    col_names: Sequence[str] | None = None
    name: str = "problem"
    choices: tuple[NDArray[np.int64], ...] = ()
    """Groups of binary columns at most one of which is 1 (alternatives of one yes/no, such as the sites
    and years of one project); the rows must already imply it. Ignored when the problem is an LP
    (``integer`` None). See `solvers.branching`."""

    # ------------------------------------------------------------------ shape
    @property
    def n(self) -> int:
        """Number of columns (variables)."""
        return int(self.c.shape[0])

    @property
    def m(self) -> int:
        """Number of rows (constraints)."""
        return int(self.A.shape[0])

    @property
    def nnz(self) -> int:
        """Number of stored nonzeros of A."""
        return int(self.A.nnz)

    @property
    def is_mip(self) -> bool:
        """True when at least one column is integer."""
        return self.integer is not None and bool(np.any(self.integer))

    @property
    def maximize(self) -> bool:
        """True for a maximisation problem."""
        return self.sense == "max"

    def row_name(self, i: int) -> str:
        """Name of row `i` (generated when the problem has none)."""
        return self.row_names[i] if self.row_names is not None else f"r{i}"

    def col_name(self, j: int) -> str:
        """Name of column `j` (generated when the problem has none)."""
        return self.col_names[j] if self.col_names is not None else f"x{j}"

    # ------------------------------------------------------------- validation
    def validate(self) -> LinearProblem:
        """Check shapes, finiteness and bound order once, centrally.

        Returns the problem itself (with A in canonical CSR form) so that the
        call can be chained. Raises ProblemError naming the first bad row or
        column.
        """
        if self.sense not in ("max", "min"):
            msg = f"sense must be 'max' or 'min', got {self.sense!r}"
            raise ProblemError(msg)
        n, m = self.n, self.A.shape[0]
        if self.A.shape[1] != n:
            msg = f"A has {self.A.shape[1]} columns but c has {n} entries"
            raise ProblemError(msg)
        for label, arr, size in (
            ("row_lo", self.row_lo, m), ("row_hi", self.row_hi, m),
            ("col_lo", self.col_lo, n), ("col_hi", self.col_hi, n),
        ):
            if arr.shape != (size,):
                msg = f"{label} has shape {arr.shape}, expected ({size},)"
                raise ProblemError(msg)
            if np.isnan(arr).any():
                i = int(np.flatnonzero(np.isnan(arr))[0])
                who = self.row_name(i) if label.startswith("row") else self.col_name(i)
                msg = f"{label} of {who} is NaN"
                raise ProblemError(msg)
        if self.integer is not None and self.integer.shape != (n,):
            msg = f"integer has shape {self.integer.shape}, expected ({n},)"
            raise ProblemError(msg)
        if not np.isfinite(self.c).all():
            j = int(np.flatnonzero(~np.isfinite(self.c))[0])
            msg = f"objective coefficient of {self.col_name(j)} is not finite"
            raise ProblemError(msg)
        if not math.isfinite(self.c0):
            msg = "objective constant is not finite"
            raise ProblemError(msg)
        if not np.isfinite(self.A.data).all():
            k = int(np.flatnonzero(~np.isfinite(self.A.data))[0])
            i = int(np.searchsorted(self.A.indptr, k, side="right") - 1)
            msg = f"row {self.row_name(i)} has a non-finite coefficient"
            raise ProblemError(msg)
        bad = np.flatnonzero(self.row_lo > self.row_hi)
        if bad.size:
            i = int(bad[0])
            msg = f"row {self.row_name(i)}: lower bound {self.row_lo[i]:g} > upper bound {self.row_hi[i]:g}"
            raise ProblemError(msg)
        bad = np.flatnonzero(self.col_lo > self.col_hi)
        if bad.size:
            j = int(bad[0])
            msg = f"column {self.col_name(j)}: lower bound {self.col_lo[j]:g} > upper bound {self.col_hi[j]:g}"
            raise ProblemError(msg)
        if np.isposinf(self.row_lo).any() or np.isneginf(self.row_hi).any():
            msg = "a row has lower bound +inf or upper bound -inf"
            raise ProblemError(msg)
        if np.isposinf(self.col_lo).any() or np.isneginf(self.col_hi).any():
            msg = "a column has lower bound +inf or upper bound -inf"
            raise ProblemError(msg)
        if self.row_names is not None and len(self.row_names) != m:
            msg = f"{len(self.row_names)} row names for {m} rows"
            raise ProblemError(msg)
        if self.col_names is not None and len(self.col_names) != n:
            msg = f"{len(self.col_names)} column names for {n} columns"
            raise ProblemError(msg)
        for k, group in enumerate(self.choices):
            if group.size and (group.min() < 0 or group.max() >= n):
                msg = f"choice group {k} names a column outside 0..{n - 1}"
                raise ProblemError(msg)
            if group.size and self.integer is not None and (
                    not self.integer[group].all() or (self.col_lo[group] < 0).any() or (self.col_hi[group] > 1).any()):
                j = int(group[0])
                msg = f"choice group {k} (with column {self.col_name(j)}) holds a column that is not binary"
                raise ProblemError(msg)
        return self

    # -------------------------------------------------------------- helpers
    def with_rows(
        self,
        A_new: sp.spmatrix,
        lo: NDArray[np.float64],
        hi: NDArray[np.float64],
        names: Sequence[str] | None = None,
    ) -> LinearProblem:
        """A copy with extra rows appended below A."""
        A = sp.vstack([self.A, sp.csr_matrix(A_new)], format="csr")
        rn = None
        if self.row_names is not None or names is not None:
            old = list(self.row_names) if self.row_names is not None else [f"r{i}" for i in range(self.m)]
            new = list(names) if names is not None else [f"r{i}" for i in range(self.m, A.shape[0])]
            rn = old + new
        return replace(
            self, A=A, row_lo=np.concatenate([self.row_lo, lo]),
            row_hi=np.concatenate([self.row_hi, hi]), row_names=rn,
        )

    def with_objective(self, c: NDArray[np.float64], sense: str, c0: float = 0.0) -> LinearProblem:
        """A copy with another objective."""
        return replace(self, c=np.asarray(c, dtype=float), sense=sense, c0=float(c0))

    def objective_value(self, x: NDArray[np.float64]) -> float:
        """c @ x + c0."""
        return float(self.c @ x + self.c0)


def make_problem(
    c: _Reals,
    A: sp.spmatrix | NDArray[np.floating[Any] | np.integer[Any]] | Sequence[Sequence[float]],
    row_lo: _Reals,
    row_hi: _Reals,
    col_lo: _Reals | None = None,
    col_hi: _Reals | None = None,
    *,
    sense: str = "max",
    c0: float = 0.0,
    integer: Sequence[bool] | NDArray[np.bool_] | None = None,
    row_names: Sequence[str] | None = None,
    col_names: Sequence[str] | None = None,
    name: str = "problem",
) -> LinearProblem:
    """Build and validate a LinearProblem from plain sequences (tests, small models).

    Column bounds default to 0 <= x < inf.
    """
    c_arr = np.asarray(c, dtype=float)
    n = c_arr.shape[0]
    A_csr = sp.csr_matrix(np.asarray(A, dtype=float).reshape(-1, n) if not sp.issparse(A) else A, dtype=float)
    A_csr.sum_duplicates()
    A_csr.sort_indices()
    return LinearProblem(
        c=c_arr,
        A=A_csr,
        row_lo=np.asarray(row_lo, dtype=float).reshape(-1),
        row_hi=np.asarray(row_hi, dtype=float).reshape(-1),
        col_lo=np.zeros(n) if col_lo is None else np.asarray(col_lo, dtype=float),
        col_hi=np.full(n, np.inf) if col_hi is None else np.asarray(col_hi, dtype=float),
        sense=sense,
        c0=float(c0),
        integer=None if integer is None else np.asarray(integer, dtype=bool),
        row_names=list(row_names) if row_names is not None else None,
        col_names=list(col_names) if col_names is not None else None,
        name=name,
    ).validate()
