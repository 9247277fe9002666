"""How far one row's bound can move before an LP's optimal basis changes (right-hand-side ranging).

An optimal basis stays optimal while it stays primal feasible: its duals do not depend on the bounds. Over
that range the optimum moves linearly, by the row's dual per unit (`solvers.result`'s convention), so the
optimum at a moved bound needs no solve at all. `Ranging` takes a basis (which columns and which row
activities are basic: `Session.basis`, read from the backend after a warm solve) and, for one row and one
side, gives the largest move that keeps every basic variable within its bounds.

The basis is written as the backend holds it: variables x (n columns) and row activities r = A x (m rows).
Nonbasic variables sit at a bound; moving the bound of a row whose activity is nonbasic at that bound moves
that activity, and the basic columns follow by the square system of the nonbasic rows over the basic
columns (``A[K, C] dx_C = e_i``); the basic rows' activities follow by ``A[:, C] dx_C``. A row whose
activity is basic, or nonbasic at its other bound, moves nothing.

Whatever cannot be told for sure gives a range of 0 (the caller then solves): a basis whose counts do not
add up, a square system that is singular, ill-conditioned or larger than `MAX_SQUARE`, an equality row
(moving one of its bounds frees the row, which changes which duals are optimal), a row whose activity is not
where its status says. Tolerances are tight (`TOL` relative): a basic variable at a bound that the move pushes
outward even slightly stops the range.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from solvers._support import canonical_csr
from solvers.problem import LinearProblem

TOL = 1e-9
"""Relative tolerance: a value within it of a bound is at the bound; a rate below it (relative) is 0."""
MAX_SQUARE = 400
"""The largest square system (nonbasic rows over basic columns) solved, densely (numpy's inverse: no scipy
solver to import, which would cost a short run more than the solves it saves); beyond it the caller solves."""


@dataclass(frozen=True)
class Basis:
    """Which columns and which row activities an optimal basis holds (the others sit at a bound)."""

    col_basic: NDArray[np.bool_]
    row_basic: NDArray[np.bool_]
    """Per row of the problem; a row the backend left out of its model (no finite bound) is basic."""


class Ranging:
    """Right-hand-side ranging of one LP at one optimal basis (module docstring)."""

    def __init__(self, problem: LinearProblem, x: NDArray[np.float64], basis: Basis) -> None:
        self.problem = problem
        self.A = canonical_csr(problem.A)
        self.x = np.asarray(x, dtype=float)
        self.r = self.A @ self.x
        self.basis = basis
        self.cols = np.flatnonzero(basis.col_basic)
        self.rows_out = np.flatnonzero(~basis.row_basic)  # rows whose activity is nonbasic
        self.pos = {int(i): k for k, i in enumerate(self.rows_out)}
        self.square: NDArray[np.float64] | None = None
        self.inverse: NDArray[np.float64] | None = None
        self.ok = (basis.col_basic.shape == (problem.n,) and basis.row_basic.shape == (problem.m,)
                   and self.cols.size == self.rows_out.size and self.cols.size <= MAX_SQUARE)
        if self.ok and self.cols.size:
            self.square = self.A[self.rows_out][:, self.cols].toarray()
            try:
                self.inverse = np.linalg.inv(self.square)
            except np.linalg.LinAlgError:  # singular: not a basis we can use
                self.ok = False
            else:
                self.ok = bool(np.isfinite(self.inverse).all())

    def step(self, row: int, upper: bool, direction: float) -> tuple[float, float]:
        """(how far row `row`'s upper (`upper`) or lower bound may move in `direction` (+1 up, -1 down) with the
        basis primal feasible, how far the row's activity moves per unit of that move: 1 when the activity
        follows the bound, 0 when it stays). A range of 0: it cannot be told."""
        p = self.problem
        lo, hi = p.row_lo[row], p.row_hi[row]
        bound = hi if upper else lo
        if not self.ok or not np.isfinite(bound) or lo == hi:
            return 0.0, 0.0
        r = self.r[row]
        near = TOL * max(1.0, abs(bound))
        if self.basis.row_basic[row]:  # the activity stays; the bound must not cross it
            room = (bound - r) if upper else (r - bound)  # >= 0 when the activity is within the bound
            moving_in = (direction < 0) if upper else (direction > 0)
            return (np.inf if not moving_in else max(0.0, room - near)), 0.0
        if abs(r - bound) > near:  # nonbasic at its other bound: this bound is free to move away
            other = lo if upper else hi
            if not np.isfinite(other) or abs(r - other) > TOL * max(1.0, abs(other)):
                return 0.0, 0.0  # not where a nonbasic activity sits
            room = (bound - r) if upper else (r - bound)
            moving_in = (direction < 0) if upper else (direction > 0)
            return (np.inf if not moving_in else max(0.0, room - near)), 0.0
        # the activity follows the bound, and must not cross its own other bound
        other = lo if upper else hi
        own = (r - other) if (upper and direction < 0) else (other - r) if (not upper and direction > 0) else np.inf
        return min(self._follow(row, direction), max(0.0, own)), 1.0

    def _follow(self, row: int, direction: float) -> float:
        """The range of a move of `direction` of a nonbasic activity's bound that the activity follows."""
        if self.inverse is None or self.square is None:  # no basic column: nothing else moves with it
            return np.inf
        e = np.zeros(self.rows_out.size)
        e[self.pos[row]] = direction
        d = self.inverse[:, self.pos[row]] * direction
        if np.abs(self.square @ d - e).max() > TOL * max(1.0, float(np.abs(d).max())):
            return 0.0  # the square system is too ill-conditioned to tell
        dx = np.zeros(self.problem.n)
        dx[self.cols] = d
        dr = self.A @ dx
        p = self.problem
        limits = [_room(self.x[self.cols], dx[self.cols], p.col_lo[self.cols], p.col_hi[self.cols])]
        basic_rows = np.flatnonzero(self.basis.row_basic)
        limits.append(_room(self.r[basic_rows], dr[basic_rows], p.row_lo[basic_rows], p.row_hi[basic_rows]))
        return float(min(limits))


def _room(z: NDArray[np.float64], dz: NDArray[np.float64], lo: NDArray[np.float64],
          hi: NDArray[np.float64]) -> float:
    """The largest t >= 0 with lo <= z + t dz <= hi (within `TOL`) for every entry; inf when nothing limits it."""
    if not z.size:
        return np.inf
    scale = np.maximum(1.0, np.abs(z))
    dz = np.where(np.abs(dz) <= TOL * scale * 1e-3, 0.0, dz)
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(dz > 0, (hi - z) / dz, np.inf)
        down = np.where(dz < 0, (lo - z) / dz, np.inf)
    t = np.minimum(up, down)
    t = np.where(np.isnan(t), np.inf, t)
    return max(0.0, float(t.min()))
