"""Explaining infeasibility with an elastic model.

Every relaxable row (rules, budgets, min_land; never non-negativity,
capacity or max_land, which are physical or demand limits) gets an elastic
column ``e_r >= 0`` that moves it the wrong way. Phase 1 minimises
``sum_r w_r e_r`` with ``w_r = 1 / (max(|bound_r|, 1) * P_r)``, where ``P_r`` is
1 for plain rows and the denominator of a ratio rule, so each relaxation is
weighed by its size relative to its bound. Ratio rows are re-weighted once
with the denominator found by the first pass. Phase 2 keeps that total
relaxation and optimises the scenario's first objective stage, so the report
can still show an allocation.

Each relaxed row becomes a `DiagnosisEntry` whose `relaxed` bound is what the
phase-2 allocation achieves, nudged outward and rounded to 6 significant
digits, so applying every entry makes the scenario feasible.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from landopt.engine.readback import Diagnosis, DiagnosisEntry, least_soft_slacks
from landopt.engine.run import Clock, RunInfo, call
from landopt.engine.stages import tie_break
from landopt.model.build import MAX, Model
from landopt.model.limits import Limit, LimitKey
from solvers import LinearProblem, Status

RELAX_TOL = 1e-7
"""An elastic column below this (relative to its row's bound), or below the backend's accuracy relative
to the row's terms, moved nothing."""
PHASE2_SLACK = 1e-6
"""Relative slack on the total relaxation held in phase 2 (at least the backend's accuracy)."""


def _elastic(model: Model, weights: np.ndarray) -> tuple[LinearProblem, np.ndarray]:
    """The model with one elastic column per relaxable row; returns (problem, elastic rows)."""
    p = model.problem
    rows = np.flatnonzero(model.row_relax & (model.row_slack < 0))
    k = rows.size
    sign = np.where(model.row_side[rows] == MAX, -1.0, 1.0)
    E = sp.csr_matrix((sign, (rows, np.arange(k))), shape=(p.m, k))
    A, row_hi = _loosened_links(model)
    A = sp.hstack([A, E], format="csr")
    c = np.concatenate([np.zeros(p.n), weights[rows]])
    prob = type(p)(
        c=c, A=A, row_lo=p.row_lo, row_hi=row_hi, col_lo=np.concatenate([p.col_lo, np.zeros(k)]),
        col_hi=np.concatenate([p.col_hi, np.full(k, np.inf)]), sense="min",
        row_names=p.row_names, col_names=list(p.col_names or [f"x{j}" for j in range(p.n)])
        + [f"elastic({p.row_name(r)})" for r in rows.tolist()], name=p.name + "-elastic",
        integer=None if p.integer is None else np.concatenate([p.integer, np.zeros(k, dtype=bool)]),
        choices=p.choices,
    )
    return prob, rows


LINK_SLACK = 1e3
"""How much further a yes/no's big-M link reaches in the elastic model: the model takes M from the land budgets
among others, and a diagnosis that relaxes a land budget may need land beyond that M in an area that may exit
(or a pair under a count); the elastic model multiplies those M by this."""


def _loosened_links(model: Model) -> tuple[sp.csr_matrix, np.ndarray]:
    """The model's matrix and row upper bounds with every big-M link (`Limit.LINK` rows of an exit or of a
    counted pair, the `M` side) reaching `LINK_SLACK` times further: the elastic model may relax a land budget
    that M was taken from, and its answer must not depend on M."""
    p = model.problem
    A = p.A.tocsr(copy=True)
    row_hi = p.row_hi.copy()
    binaries = np.zeros(p.n, dtype=bool)
    for name in ("e", "y"):
        binaries[model.cols.block(name).slice] = True
    if not binaries.any():
        return A, row_hi
    for r in range(p.m):
        inst = model.instances[int(model.row_inst[r])]
        if inst.kind is not Limit.LINK or model.row_side[r] != MAX or inst.id.count("/") != 1:
            continue  # an exit's land link ('exit/a') or a counted pair's upper link ('a/s'), not a renewal's
        lo, hi = A.indptr[r], A.indptr[r + 1]
        on = binaries[A.indices[lo:hi]]
        A.data[lo:hi][on] *= LINK_SLACK
        if np.isfinite(row_hi[r]) and row_hi[r] != 0.0:
            row_hi[r] *= LINK_SLACK
    return A, row_hi


def _weights(model: Model, den: np.ndarray | None) -> np.ndarray:
    ratio = np.array([model.instances[k].ratio for k in model.row_inst.tolist()], dtype=bool)
    inst_den = np.array([model.instances[k].s_den for k in model.row_inst.tolist()]) if den is None \
        else den[model.row_inst]
    P = np.where(ratio, np.maximum(np.abs(inst_den), 1.0), 1.0)
    w: np.ndarray = 1.0 / (np.maximum(np.abs(model.row_bound), 1.0) * P)
    return w


def _outward(v: float, side: int) -> float:
    """Round a relaxed bound to 6 significant digits, outward (up for a max side, down for a min side).

    A value within 1e-9 of its 6-digit rounding is taken as that rounding (30.0000000001 -> 30,
    not 30.0001), since the solvers' feasibility tolerance covers the difference.
    """
    if v == 0 or not math.isfinite(v):
        return v
    mag = 10 ** (math.floor(math.log10(abs(v))) - 5)
    near = round(v / mag) * mag
    if abs(near - v) <= 1e-9 * max(1.0, abs(v)):
        return float(f"{near:.6g}")
    out = (math.ceil(v / mag) if side == MAX else math.floor(v / mag)) * mag
    return float(f"{out:.6g}")


def _noise(model: Model, x: np.ndarray, erows: np.ndarray, accuracy: float) -> np.ndarray:
    """Per elastic row: the relaxation below which it moved nothing, ``RELAX_TOL`` relative to the bound
    or the backend's `accuracy` relative to the row's terms (``1 + |bound| + sum |a_ij x_j|``), the larger."""
    p = model.problem
    bound = np.abs(model.row_bound[erows])
    rhs = np.where(np.isfinite(p.row_lo[erows]), p.row_lo[erows], p.row_hi[erows])
    size = 1.0 + np.abs(rhs) + abs(p.A[erows]) @ np.abs(x)
    noise: np.ndarray = np.maximum(RELAX_TOL * np.maximum(1.0, bound), accuracy * size)
    return noise


def diagnose(model: Model, backend: str, clock: Clock, info: RunInfo) -> Diagnosis:
    """Solve the elastic model (see the module docstring)."""
    accuracy = getattr(info, "accuracy", 1e-9)

    w = _weights(model, None)
    prob, erows = _elastic(model, w)
    res = call(prob, backend, clock, info, label="elastic")
    if res.status != Status.OPTIMAL or res.x is None:
        return Diagnosis([], None, res.status, res.message or "the elastic model could not be solved")
    ratio_rows = np.array([model.instances[k].ratio for k in model.row_inst[erows].tolist()], dtype=bool)
    if ratio_rows.any():
        _, den = model.measured(res.x)
        w = _weights(model, den)
        prob, erows = _elastic(model, w)
        res2 = call(prob, backend, clock, info, label="elastic, re-weighted")
        if res2.status == Status.OPTIMAL and res2.x is not None:
            res = res2
    total = float(res.objective or 0.0)
    if total <= max(RELAX_TOL, accuracy):
        return Diagnosis([], None, Status.OPTIMAL, "feasible: nothing to relax")
    # phase 2: keep the relaxation, optimise the first stage; only the rows phase 1 moved may move
    x = res.x
    assert x is not None and res.x is not None
    n = model.problem.n
    moved = res.x[n:] > _noise(model, res.x[:n], erows, accuracy)
    slack = max(PHASE2_SLACK, 10 * accuracy)
    c1 = np.concatenate([model.stage_objective(0), np.zeros(erows.size)])
    keep = sp.csr_matrix(prob.c.reshape(1, -1))
    p2 = prob.with_rows(keep, np.array([-np.inf]), np.array([total * (1 + slack) + 1e-9]), ["elastic-total"])
    p2 = p2.with_objective(c1, model.problem.sense)
    p2 = replace(p2, col_hi=np.concatenate([p2.col_hi[:n], np.where(moved, np.inf, 0.0)]))
    # first-order backends (PDLP) converge very slowly on this phase (30 s on a 180-column plan):
    # they report the phase-1 allocation, which already carries the minimal relaxation
    if not info.approximate:
        r2 = call(p2, backend, clock, info, label="elastic, objective")
        if r2.status == Status.OPTIMAL and r2.x is not None:
            chosen = tie_break(p2, r2, backend, clock, info)  # the canonical one among them
            x = r2.x if chosen is None else chosen
    if model.problem.is_mip:
        x = _with_decisions_fixed(p2, x, backend, clock, info)
    # phase 1 leaves soft rules' violations free (they cost nothing there): give each the least it needs
    xs = least_soft_slacks(model, x[:n])
    e = x[n:]
    noise = _noise(model, xs, erows, accuracy)
    num, den = model.measured(xs)
    entries = []
    for j, r in enumerate(erows.tolist()):
        if e[j] <= noise[j]:
            continue
        k = int(model.row_inst[r])
        inst = model.instances[k]
        side = int(model.row_side[r])
        achieved = num[k] / den[k] if inst.ratio and den[k] > 0 else num[k]
        if inst.ratio and den[k] <= 0:
            continue
        relaxed = _outward(float(achieved), side)
        key = inst.key(side)
        named = inst.rule if inst.rule is not None else (
            model.spec.resources[inst.id] if inst.kind is Limit.BUDGET else None)
        name = named.name if named is not None else inst.id  # a min_land entry is named by its area or sector id
        entries.append(DiagnosisEntry(
            target=key.kind.target, id=inst.id, name=name, group=key.entry_group(), year=inst.year,
            bound=key.side, value=float(model.row_bound[r]), relaxed=relaxed,
            unit=inst.unit, key=key, name_en=None if named is None else named.name_en))
    return Diagnosis(entries, xs, Status.OPTIMAL, "")


def _with_decisions_fixed(p2: LinearProblem, x: np.ndarray, backend: str, clock: Clock, info: RunInfo
                          ) -> np.ndarray:
    """The phase-2 point again with every yes/no decision fixed at its rounded value and the rest solved as an LP:
    a MILP solver's yes/no may be off by its integrality tolerance, and through a big-M link that lets a little
    land into an area that exits. `x` itself when that LP does not solve."""
    integer = p2.integer if p2.integer is not None else np.zeros(p2.n, dtype=bool)
    value = np.round(x)
    lo, hi = p2.col_lo.copy(), p2.col_hi.copy()
    lo[integer] = value[integer]
    hi[integer] = value[integer]
    res = call(replace(p2, col_lo=lo, col_hi=hi, integer=None), backend, clock, info, label="elastic, decisions fixed")
    return res.x if res.status == Status.OPTIMAL and res.x is not None else x


def entry_key(d: dict[str, Any]) -> LimitKey:
    """The key of a diagnosis entry given as a JSON dict (see `DiagnosisEntry.to_dict`)."""
    return LimitKey.of_entry(d)
