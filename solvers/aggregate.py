"""Interchangeable alternatives solved as one: a MILP's choice groups merged, then split back.

A project that may go to any of eight areas is eight binaries ``z_1 .. z_8`` (one per site) in a
choice group (`LinearProblem.choices`). When the sites differ only in rows that each touch a single
site (the area's capacity, a per-site floor of a screen), the eight columns are the same in every
other row; branch and bound then explores every way of spreading the same plan over the areas
(symmetry), and proving optimality takes minutes where the plan itself takes seconds. Measured on
benchmarks/bench_milp.py's county of 200 projects (HiGHS, gap 1e-9): 137 s for the problem as built,
7-18 s for the merged one.

`merge` builds a **relaxation**: in each choice group, the columns that are equal in every row
touching two or more of the group's columns (and in bounds and integrality) become one column ``y =
sum z_i``. A row touching only one of them keeps a coefficient that cannot cut off a point of the
original problem: the smallest of the merged columns' coefficients (zero for those it does not
touch) in a ``<=`` row, the largest in a ``>=`` row; the objective takes the best of theirs (every
merged column is >= 0). A merged column is binary: its columns are alternatives of one choice, at
most one of them 1 in any feasible point. Rows that no point within the column bounds can violate
are free in the merged problem. Every feasible point of the problem maps onto a feasible point of
the merged one that is at least as good, so the merged optimum bounds the problem's.

`solve` solves the merged problem, then **splits** its answer back: a second, small MILP over the
merged columns only (every other integer column fixed at its merged value; the continuous columns
free; each merged column's parts summing to its value) with the original objective. When the split
is feasible and reaches the merged optimum within the gap asked, it is an optimum of the problem,
proven by the merged bound; otherwise (a capacity binds, the best site of every project cannot be had
at once, a solve fails) `solve` returns None and the caller solves the problem as built. The answer
is therefore never worse than the direct solve's: only faster, or the same after the merged attempt.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from solvers._support import remaining
from solvers.problem import LinearProblem
from solvers.result import SolveOptions, SolveResult, Status

MIN_REDUCTION = 0.2
"""Merge only when it removes at least this share of the integer columns (less is not worth a second
model and a split)."""


SPLIT_SHARE = 0.1
"""Of a time limit, the share kept for the split when the merged solve runs to its own limit (the split of
200 projects takes 0.07 s)."""


@dataclass(frozen=True)
class Merged:
    """The merged problem and how to split its answer back."""

    problem: LinearProblem
    """The relaxation (see the module docstring)."""
    column: np.ndarray
    """For each original column, its merged column."""
    parts: tuple[np.ndarray, ...]
    """The original columns of each merged column of two or more (the groups to split)."""


def merge(problem: LinearProblem) -> Merged | None:
    """The relaxation of `problem` with the interchangeable columns of each choice group merged (see the
    module docstring), or None when there is nothing (or too little) to merge."""
    if not problem.is_mip or not problem.choices:
        return None
    integer = problem.integer
    assert integer is not None  # is_mip
    lo, hi = problem.col_lo, problem.col_hi
    candidate = integer & (lo == 0.0) & (hi == 1.0)
    A = problem.A.tocsc()
    one_sided_hi = np.isinf(problem.row_lo) & np.isfinite(problem.row_hi)
    one_sided_lo = np.isinf(problem.row_hi) & np.isfinite(problem.row_lo)
    one_sided = one_sided_hi | one_sided_lo
    redundant = _redundant_rows(problem)
    taken = np.zeros(problem.n, dtype=bool)
    parts: list[np.ndarray] = []
    # the smallest groups only: a project's sites in one year, not all its (site, year) columns, where a
    # year's land budget touches one column of the rest and would pass for a site's own row
    seen = np.zeros(problem.n, dtype=bool)
    for group in sorted(problem.choices, key=len):
        if seen[group].any():
            continue
        seen[group] = True
        g = group[candidate[group]]
        if g.size < 2:
            continue
        touches: dict[int, int] = {}
        for j in g:
            for r in A.indices[A.indptr[j]:A.indptr[j + 1]]:
                touches[int(r)] = touches.get(int(r), 0) + 1
        keys: dict[bytes, list[int]] = {}
        for j in g:
            rows = A.indices[A.indptr[j]:A.indptr[j + 1]]
            vals = A.data[A.indptr[j]:A.indptr[j + 1]]
            shared = np.array([not redundant[r] and (touches[int(r)] > 1 or not one_sided[r]) for r in rows],
                              dtype=bool)
            order = np.argsort(rows[shared], kind="stable")
            key = rows[shared][order].tobytes() + b"|" + vals[shared][order].tobytes()
            keys.setdefault(key, []).append(int(j))
        for members in keys.values():
            if len(members) >= 2:
                parts.append(np.array(sorted(members), dtype=np.int64))
                taken[members] = True
    merged_away = sum(p.size - 1 for p in parts)
    if not parts or merged_away < MIN_REDUCTION * int(integer.sum()):
        return None
    # column map: each part's first column stands for the part; every other column keeps its own, in order
    first = np.arange(problem.n)
    for p in parts:
        first[p] = p[0]
    keep = first == np.arange(problem.n)
    column = (np.cumsum(keep) - 1)[first]
    k = int(keep.sum())
    # every part's columns are binaries [0, 1] of one choice: its merged column is a binary too (the first's
    # bounds); its objective the best of theirs
    c = problem.c[keep].copy()
    col_lo, col_hi = lo[keep].copy(), hi[keep].copy()
    best = np.max if problem.sense == "max" else np.min
    # the matrix: untouched columns as they are; a merged column's entries per row (see the docstring)
    coo = A.tocoo()
    in_part = taken[coo.col]
    rows_out = [coo.row[~in_part]]
    cols_out = [column[coo.col[~in_part]]]
    vals_out = [coo.data[~in_part]]
    for p in parts:
        c[column[p[0]]] = float(best(problem.c[p]))
        sub = A[:, p].tocsr()
        for r in np.flatnonzero(np.diff(sub.indptr)):
            if redundant[r]:
                continue  # the row is free in the merged problem
            entries = sub.data[sub.indptr[r]:sub.indptr[r + 1]]
            # a site not in the row counts 0; `merge` never groups columns that differ in a two-sided row
            vals = entries if entries.size == p.size else np.append(entries, 0.0)
            assert one_sided[r] or np.all(vals == vals[0]), f"merged columns differ in two-sided row {r}"
            value = float(vals.max() if one_sided_lo[r] else vals.min())
            if value != 0.0:
                rows_out.append(np.array([r]))
                cols_out.append(np.array([column[p[0]]]))
                vals_out.append(np.array([value]))
    M = sp.csr_matrix((np.concatenate(vals_out), (np.concatenate(rows_out), np.concatenate(cols_out))),
                      shape=(problem.m, k))
    M.sum_duplicates()
    M.sort_indices()
    mapped = (np.unique(column[group]) for group in problem.choices)
    choices = tuple({g.tobytes(): g for g in mapped if g.size >= 2}.values())
    names = None
    if problem.col_names is not None:
        given = list(problem.col_names)
        names = [given[j] for j in np.flatnonzero(keep)]
        for p in parts:
            names[column[p[0]]] = f"{given[p[0]]}+{p.size - 1}"
    row_lo = np.where(redundant, -np.inf, problem.row_lo)
    row_hi = np.where(redundant, np.inf, problem.row_hi)
    merged = replace(problem, c=c, A=M, col_lo=col_lo, col_hi=col_hi, integer=integer[keep].copy(),
                     row_lo=row_lo, row_hi=row_hi,
                     col_names=names, choices=choices, name=f"{problem.name} (merged)")
    return Merged(merged, column, tuple(parts))


def _redundant_rows(problem: LinearProblem) -> np.ndarray:
    """Rows that no point within the column bounds can violate (their activity's range from the bounds lies
    within the row's): they neither keep columns apart nor bind in the merged problem."""
    A = problem.A.tocsr()
    lo, hi = problem.col_lo, problem.col_hi
    pos = A.multiply(A > 0).tocsr()
    neg = A.multiply(A < 0).tocsr()
    with np.errstate(invalid="ignore"):
        least = pos @ np.where(np.isinf(lo), -1e300, lo) + neg @ np.where(np.isinf(hi), 1e300, hi)
        most = pos @ np.where(np.isinf(hi), 1e300, hi) + neg @ np.where(np.isinf(lo), -1e300, lo)
    low_ok = np.isinf(problem.row_lo) | ((least > -1e299) & (least >= problem.row_lo))
    high_ok = np.isinf(problem.row_hi) | ((most < 1e299) & (most <= problem.row_hi))
    out: np.ndarray = low_ok & high_ok
    return out


def split_problem(problem: LinearProblem, merged: Merged, y: np.ndarray) -> LinearProblem:
    """`problem` restricted to the points that merge into `y`: every integer column outside the merged
    groups fixed at its value, each group's columns summing to its merged value (an integer). It has no
    choice groups: its choices are made (a split is never merged again)."""
    integer = problem.integer
    assert integer is not None
    x = y[merged.column]
    in_part = np.zeros(problem.n, dtype=bool)
    for p in merged.parts:
        in_part[p] = True
    fixed = integer & ~in_part
    lo, hi = problem.col_lo.copy(), problem.col_hi.copy()
    lo[fixed] = hi[fixed] = np.clip(np.round(x[fixed]), problem.col_lo[fixed], problem.col_hi[fixed])
    total = np.array([round(float(y[merged.column[p[0]]])) for p in merged.parts])
    for p, t in zip(merged.parts, total, strict=True):
        if t == 0:
            hi[p] = 0.0  # members are >= 0: all of them 0
    rows = np.concatenate([np.full(p.size, i) for i, p in enumerate(merged.parts)])
    cols = np.concatenate(merged.parts)
    B = sp.csr_matrix((np.ones(cols.size), (rows, cols)), shape=(len(merged.parts), problem.n))
    names = [f"split{i}" for i in range(len(merged.parts))]
    split = problem.with_rows(B, total.astype(float), total.astype(float), names)
    return replace(split, col_lo=lo, col_hi=hi, choices=(), name=f"{problem.name} (split)")


def solve(problem: LinearProblem, options: SolveOptions,
          inner: Callable[[LinearProblem, SolveOptions], SolveResult]) -> SolveResult | None:
    """`problem` solved through its merged relaxation (see the module docstring), or None when that does
    not give a proven answer as good as the direct solve would (the caller then solves it as built).

    `inner` solves one problem (the merged one, then the split). The result is OPTIMAL when the split
    reaches the merged bound within `options.mip_rel_gap`, TIME_LIMIT (with the merged bound) when the
    merged solve stopped at its limit with a plan that splits; INFEASIBLE when the merged problem is (it is a
    relaxation). Its `x` is in `problem`'s columns."""
    started = time.perf_counter()
    merged = merge(problem)
    if merged is None:
        return None
    first = inner(merged.problem, options if options.time_limit is None else
                  replace(options, time_limit=(1.0 - SPLIT_SHARE) * options.time_limit))
    if first.status is Status.INFEASIBLE:  # a relaxation without a point: the problem has none either
        first.message = f"{first.message} (its relaxation with interchangeable sites merged)".strip()
        first.runtime = time.perf_counter() - started
        return first
    if first.x is None or first.status not in (Status.OPTIMAL, Status.TIME_LIMIT) or first.bound is None:
        return None
    split = split_problem(problem, merged, first.x)
    left = remaining(options.time_limit, started)
    if left is not None and left <= 0:
        return None
    second = inner(split, replace(options, time_limit=left))
    if second.x is None or second.status != Status.OPTIMAL:
        return None
    value = problem.objective_value(second.x)
    bound = float(first.bound)
    s = 1.0 if problem.sense == "max" else -1.0
    gap = max(0.0, s * (bound - value)) / max(abs(value), 1.0)
    if first.status == Status.OPTIMAL and gap > max(options.mip_rel_gap, 1e-12):
        return None  # the split is worse than the merged optimum: the merged plan cannot be had as it is
    groups = len(merged.parts)
    out = SolveResult(first.status if first.status == Status.TIME_LIMIT else Status.OPTIMAL, first.solver,
                      x=second.x, objective=value, bound=bound, runtime=time.perf_counter() - started,
                      message=(f"{first.message} (solved with {groups} groups of interchangeable sites merged; "
                               f"relative gap {gap:.1e})").strip(),
                      native_status=first.native_status, iterations=first.iterations)
    return out
