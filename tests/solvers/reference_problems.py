"""Small LPs and MILPs with hand-derived answers, for every backend.

Each `Reference` carries the expected status, objective, primal point, row duals and
reduced costs in the convention of `solvers.result` (the derivative of the optimal
objective, in the problem's own sense, with respect to the active bound). `None` means
"not asserted" (not unique, or not meaningful for that status).

Dual arithmetic: at an optimum c = A^T y + d, with y_i nonzero only on rows at a bound and
d_j nonzero only on columns at a bound; the derivations below solve that system on the
active set and confirm the sign by moving the bound.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solvers import LinearProblem, Status, make_problem

INF = np.inf


@dataclass(frozen=True)
class Reference:
    """A problem and what every backend must answer."""

    name: str
    problem: LinearProblem
    status: Status
    objective: float | None = None
    x: tuple[float, ...] | None = None
    duals: tuple[float, ...] | None = None
    reduced_costs: tuple[float, ...] | None = None


def _lp_max_le() -> Reference:
    # max 3x + 5y  s.t.  x <= 4,  2y <= 12,  3x + 2y <= 18,  x, y >= 0.
    # Rows 2 and 3 bind: y = 6, x = (18 - 12) / 3 = 2; objective 6 + 30 = 36.
    # c = A^T y on rows 2, 3: x: 3 y3 = 3 -> y3 = 1;  y: 2 y2 + 2 y3 = 5 -> y2 = 1.5.
    # Check: 2y <= 12 + t gives y = 6 + t/2, x = 2 - t/3, objective 36 + 1.5 t.
    return Reference(
        "lp_max_le",
        make_problem([3, 5], [[1, 0], [0, 2], [3, 2]], [-INF] * 3, [4, 12, 18], sense="max",
                     row_names=["x_cap", "y_cap", "joint"], col_names=["x", "y"]),
        Status.OPTIMAL, 36.0, (2.0, 6.0), (0.0, 1.5, 1.0), (0.0, 0.0),
    )


def _lp_min_ge_diet() -> Reference:
    # Diet: min 2x + 3y  s.t.  x + y >= 4 (energy),  x + 3y >= 6 (protein),  x, y >= 0.
    # Both bind: 2y = 2 -> y = 1, x = 3; cost 6 + 3 = 9.
    # y1 + y2 = 2, y1 + 3 y2 = 3 -> y2 = 0.5, y1 = 1.5 (raising a >= floor raises the cost).
    return Reference(
        "lp_min_ge_diet",
        make_problem([2, 3], [[1, 1], [1, 3]], [4, 6], [INF, INF], sense="min",
                     row_names=["energy", "protein"], col_names=["bread", "beans"]),
        Status.OPTIMAL, 9.0, (3.0, 1.0), (1.5, 0.5), (0.0, 0.0),
    )


def _lp_equality_and_range() -> Reference:
    # max x + 2y  s.t.  x + y = 4,  1 <= x - y <= 2,  x, y >= 0.
    # On x + y = 4 the objective is 4 + y, so y is as large as x - y >= 1 allows:
    # x = 2.5, y = 1.5, objective 5.5.
    # x: u + v = 1, y: u - v = 2 -> u = 1.5 (equality), v = -0.5 (range, at its lower end).
    # Check: x - y = 1 + t gives y = (3 - t)/2, x = (5 + t)/2, objective 5.5 - t/2.
    return Reference(
        "lp_equality_and_range",
        make_problem([1, 2], [[1, 1], [1, -1]], [4, 1], [4, 2], sense="max"),
        Status.OPTIMAL, 5.5, (2.5, 1.5), (1.5, -0.5), (0.0, 0.0),
    )


def _lp_free_columns_with_constant() -> Reference:
    # min x + 2y + 10  s.t.  x + y >= 3,  x - y <= 1,  x free,  -5 <= y <= 5.
    # Bounded: a ray d needs d_y >= |d_x|, so d_x + 2 d_y >= 0.
    # Both rows bind: x = 2, y = 1, objective 2 + 2 + 10 = 14.
    # x: y1 + y2 = 1, y: y1 - y2 = 2 -> y1 = 1.5 (>= row), y2 = -0.5 (<= row, min: relaxing lowers cost).
    return Reference(
        "lp_free_columns_with_constant",
        make_problem([1, 2], [[1, 1], [1, -1]], [3, -INF], [INF, 1], [-INF, -5], [INF, 5],
                     sense="min", c0=10.0),
        Status.OPTIMAL, 14.0, (2.0, 1.0), (1.5, -0.5), (0.0, 0.0),
    )


def _lp_upper_bound_active() -> Reference:
    # max 2x + y  s.t.  x + y <= 10,  0 <= x <= 3,  y >= 0.
    # x is worth more: x = 3 (its upper bound), y = 7; objective 13.
    # y: y1 = 1; x: y1 + d_x = 2 -> d_x = 1 (x <= 3 + t gives objective 13 + t).
    return Reference(
        "lp_upper_bound_active",
        make_problem([2, 1], [[1, 1]], [-INF], [10], [0, 0], [3, INF], sense="max"),
        Status.OPTIMAL, 13.0, (3.0, 7.0), (1.0,), (1.0, 0.0),
    )


def _lp_lower_bound_active_min() -> Reference:
    # min 3x + y  s.t.  x + y >= 4,  1 <= x <= 5,  0 <= y <= 10.
    # y is cheaper: x = 1 (its lower bound), y = 3; cost 3 + 3 = 6.
    # y: y1 = 1; x: y1 + d_x = 3 -> d_x = 2 (x >= 1 + t gives y = 3 - t, cost 6 + 2t).
    return Reference(
        "lp_lower_bound_active_min",
        make_problem([3, 1], [[1, 1]], [4], [INF], [1, 0], [5, 10], sense="min"),
        Status.OPTIMAL, 6.0, (1.0, 3.0), (1.0,), (2.0, 0.0),
    )


def _lp_degenerate() -> Reference:
    # max x + y  s.t.  x <= 1,  y <= 1,  x + y <= 2: three rows bind at (1, 1), so the
    # duals are not unique (any y with y1 + y3 = 1, y2 + y3 = 1, y >= 0).
    return Reference(
        "lp_degenerate",
        make_problem([1, 1], [[1, 0], [0, 1], [1, 1]], [-INF] * 3, [1, 1, 2], sense="max"),
        Status.OPTIMAL, 2.0, (1.0, 1.0), None, None,
    )


def _lp_free_and_empty_rows() -> Reference:
    # max x  s.t.  x + y free (no bounds),  an empty row <= 5,  x + y <= 2,  x, y >= 0.
    # x = 2, y = 0, objective 2; only the last row binds: dual 1.
    # y: 1 + d_y = 0 -> d_y = -1 (y >= t gives x = 2 - t).
    A = np.array([[1, 1], [0, 0], [1, 1]], dtype=float)
    return Reference(
        "lp_free_and_empty_rows",
        make_problem([1, 0], A, [-INF, -INF, -INF], [INF, 5, 2], sense="max"),
        Status.OPTIMAL, 2.0, (2.0, 0.0), (0.0, 0.0, 1.0), (0.0, -1.0),
    )


def _lp_empty() -> Reference:
    # No rows: max x - 2y + 5 with 0 <= x <= 3, -1 <= y <= 4 -> x = 3, y = -1, objective 10.
    # Reduced costs are the objective coefficients: 1 at x's upper bound, -2 at y's lower bound.
    return Reference(
        "lp_empty",
        make_problem([1, -2], np.zeros((0, 2)), [], [], [0, -1], [3, 4], sense="max", c0=5.0),
        Status.OPTIMAL, 10.0, (3.0, -1.0), (), (1.0, -2.0),
    )


def _milp_knapsack() -> Reference:
    # max 10a + 13b + 7c + 8d  s.t.  3a + 4b + 2c + 3d <= 7,  binary.
    # Weight-7 subsets: {a,b} = 23, {b,d} = 21; lighter: {b,c} = 20, {a,d} = 18, {a,c} = 17,
    # {c,d} = 15; no three items fit (lightest three weigh 8). Optimum {a,b} = 23.
    return Reference(
        "milp_knapsack",
        make_problem([10, 13, 7, 8], [[3, 4, 2, 3]], [-INF], [7], [0] * 4, [1] * 4,
                     sense="max", integer=[True] * 4),
        Status.OPTIMAL, 23.0, (1.0, 1.0, 0.0, 0.0),
    )


def _milp_mixed() -> Reference:
    # max 3x + 2y, x integer in [0, 10], y >= 0 continuous, x + y <= 4.5, x - y <= 0.5.
    # LP relaxation: x = 2.5, y = 2 (11.5). x = 3 needs y >= 2.5 and y <= 1.5: infeasible.
    # x = 2: y <= 2.5 -> objective 6 + 5 = 11.
    return Reference(
        "milp_mixed",
        make_problem([3, 2], [[1, 1], [1, -1]], [-INF, -INF], [4.5, 0.5], [0, 0], [10, INF],
                     sense="max", integer=[True, False]),
        Status.OPTIMAL, 11.0, (2.0, 2.5),
    )


def _lp_infeasible() -> Reference:
    # x + y >= 5 and x + y <= 3.
    return Reference(
        "lp_infeasible",
        make_problem([1, 1], [[1, 1], [1, 1]], [5, -INF], [INF, 3], sense="max"),
        Status.INFEASIBLE,
    )


def _lp_unbounded() -> Reference:
    # max x + y  s.t.  x - y <= 1,  x, y >= 0: y (and x with it) can grow without limit.
    return Reference(
        "lp_unbounded",
        make_problem([1, 1], [[1, -1]], [-INF], [1], sense="max"),
        Status.UNBOUNDED,
    )


def _milp_infeasible() -> Reference:
    # 2x + 2y = 1 has no integer solution (the left side is even).
    return Reference(
        "milp_infeasible",
        make_problem([1, 1], [[2, 2]], [1], [1], sense="max", integer=[True, True]),
        Status.INFEASIBLE,
    )


REFERENCES: tuple[Reference, ...] = (
    _lp_max_le(),
    _lp_min_ge_diet(),
    _lp_equality_and_range(),
    _lp_free_columns_with_constant(),
    _lp_upper_bound_active(),
    _lp_lower_bound_active_min(),
    _lp_degenerate(),
    _lp_free_and_empty_rows(),
    _lp_empty(),
    _milp_knapsack(),
    _milp_mixed(),
    _lp_infeasible(),
    _lp_unbounded(),
    _milp_infeasible(),
)
BY_NAME: dict[str, Reference] = {ref.name: ref for ref in REFERENCES}
