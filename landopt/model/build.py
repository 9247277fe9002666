"""Scenario -> solver-neutral `LinearProblem`, vectorised.

Columns are registered in named blocks (`landopt.model.columns`): block ``x`` holds ``x[p, t]`` for
every allowed (area, sector) pair ``p`` (areas in file order, sectors in file order) and every year
index ``t``, at ``p * T + t`` within the block; block ``viol`` one violation column per soft-rule row.

Rows come from *instances*: a measured quantity ``M = N @ v + s_num`` (with a denominator
``P = D @ v + s_den`` for share and intensity rules) for one budget, limit or rule, one group of
`each` and one year, where ``v`` is the vector of every column. A measure is affine in all the model's
columns, so a quantity whose "constant" depends on a decision (stock ``c`` of an area that may exit
is ``c (1 - e)``: ``s_num += c`` and ``-c`` on column ``e``) is one more term. Each instance gives one
LP row per bound side, tagged with its `LimitKey`. Keeping N and D (not just the LP row) lets the
solution report the achieved value in the rule's own units and convert duals to shadow prices per
unit of the rule's own bound.

Built-in limits: a budget per resource and year (`flow`: what is given that
year; `level`: everything given up to that year), area capacity and
min/max land over all years, sector min/max land over all years.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from landopt.model.columns import Block, Columns
from landopt.model.limits import Limit, LimitKey
from landopt.model.rules import KINDS, Measure
from landopt.model.spec import Rule, Selector, Spec, Stage, Year
from solvers import LinearProblem

MAX = 1
MIN = -1


@dataclass
class Instance:
    """One measured quantity (a budget, a limit or a rule, for one group and year)."""

    kind: Limit
    id: str
    group: tuple[tuple[str, str], ...]
    year: Year
    ratio: bool
    s_num: float
    s_den: float
    unit: str
    rule: Rule | None = None

    @property
    def group_dict(self) -> dict[str, str]:
        """The group as a mapping, e.g. {'area': 'core'}."""
        return dict(self.group)

    def key(self, side: int) -> LimitKey:
        """The identity of one bound side (diagnosis entries and overrides are keyed by it)."""
        return LimitKey(self.kind, self.id, self.group, self.year, "max" if side == MAX else "min")


@dataclass
class Model:
    """The built LP with everything needed to read a solution back in the scenario's terms."""

    spec: Spec
    problem: LinearProblem
    cols: Columns
    """The model's columns, block by block (``x``, ``viol``, ...)."""
    area_ids: list[str]
    sector_ids: list[str]
    pair_area: np.ndarray
    pair_sector: np.ndarray
    years: tuple[Year, ...]
    instances: list[Instance]
    N: sp.csr_matrix
    D: sp.csr_matrix
    row_inst: np.ndarray
    row_side: np.ndarray
    row_bound: np.ndarray
    row_relax: np.ndarray
    row_slack: np.ndarray
    """Column of the row's violation variable (in block ``viol``), or -1."""
    row_penalty: np.ndarray
    stage_c: list[np.ndarray]
    """Objective of each stage over every column (no penalties)."""
    build_seconds: float = 0.0
    coef: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def T(self) -> int:
        """Number of years (1 for a single-year scenario)."""
        return len(self.years)

    @property
    def x(self) -> Block:
        """The block of new land by (area, sector) pair and year."""
        return self.cols.block("x")

    def allocation(self, v: np.ndarray) -> np.ndarray:
        """New land of a solution `v` (every column), as (pairs, years)."""
        return self.x.of(v).reshape(-1, self.T)

    def stage_objective(self, k: int) -> np.ndarray:
        """Objective vector of stage k over every column (stage 1 carries the soft-rule penalties)."""
        c = self.stage_c[k].copy()
        if k == 0:
            soft = self.row_slack >= 0
            pen = self.row_penalty[soft]
            c[self.row_slack[soft]] = -pen if self.spec.stages[0].sense == "max" else pen
        return c

    def measured(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(numerator, denominator) of every instance at the solution `v` (every column), stock included."""
        v = self.cols.own(v)
        num = self.N @ v + np.array([i.s_num for i in self.instances])
        den = self.D @ v + np.array([i.s_den for i in self.instances])
        return num, den


class _Builder:
    def __init__(self, spec: Spec):
        self.spec = spec
        self.area_ids = list(spec.areas)
        self.sector_ids = list(spec.sectors)
        a_index = {a: i for i, a in enumerate(self.area_ids)}
        s_index = {s: i for i, s in enumerate(self.sector_ids)}
        pa, ps = [], []
        for a in self.area_ids:
            for s in spec.areas[a].allowed:
                pa.append(a_index[a])
                ps.append(s_index[s])
        self.pair_area = np.array(pa, dtype=np.int64)
        self.pair_sector = np.array(ps, dtype=np.int64)
        self.P = self.pair_area.size
        self.years = spec.years
        self.T = len(self.years)
        self.year_index = {y: i for i, y in enumerate(self.years)}
        self.cols = Columns()
        ys = [("" if y is None else f",{y}") for y in self.years]
        self.cols.add("x", [f"x({self.area_ids[a]},{self.sector_ids[s]}{y})"
                            for a, s in zip(self.pair_area.tolist(), self.pair_sector.tolist(), strict=True)
                            for y in ys])
        self.coef_cache: dict[str, np.ndarray] = {}
        self.instances: list[Instance] = []
        self.n_rows: list[np.ndarray] = []
        self.n_cols: list[np.ndarray] = []
        self.n_vals: list[np.ndarray] = []
        self.d_rows: list[np.ndarray] = []
        self.d_cols: list[np.ndarray] = []
        self.d_vals: list[np.ndarray] = []
        # LP rows
        self.r_inst: list[int] = []
        self.r_side: list[int] = []
        self.r_bound: list[float] = []
        self.r_relax: list[bool] = []
        self.r_penalty: list[float] = []

    # ---------------------------------------------------------- coefficients
    def coef(self, metric: str) -> np.ndarray:
        """Per-pair coefficient of `metric` (per mu of new land)."""
        if metric not in self.coef_cache:
            if metric == "land":
                v = np.ones(self.P)
            else:
                spec = self.spec
                v = np.fromiter((spec.coef(self.area_ids[a], self.sector_ids[s], metric)
                                 for a, s in zip(self.pair_area, self.pair_sector, strict=True)),
                                dtype=float, count=self.P)
            self.coef_cache[metric] = v
        return self.coef_cache[metric]

    def mask(self, sel: Selector) -> np.ndarray:
        """Boolean mask over pairs."""
        m = np.ones(self.P, dtype=bool)
        if sel.areas is not None:
            ok = np.array([a in sel.areas for a in self.area_ids], dtype=bool)
            m &= ok[self.pair_area] if self.P else m
        if sel.sectors is not None:
            ok = np.array([s in sel.sectors for s in self.sector_ids], dtype=bool)
            m &= ok[self.pair_sector] if self.P else m
        return m

    def pairs(self, mask: np.ndarray, metric: str, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(pairs, coefficients) of the metric over the masked pairs, zero coefficients dropped."""
        sel = np.flatnonzero(mask)
        c = self.coef(metric)[sel] * scale
        keep = c != 0.0
        return sel[keep], c[keep]

    def expand(self, pc: tuple[np.ndarray, np.ndarray], t: int | None, flow: bool) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of `pairs` output: year t (flow), years <= t (level), or all (None)."""
        sel, c = pc
        T = self.T
        if t is None:
            years = np.arange(T)
        elif flow:
            years = np.array([t])
        else:
            years = np.arange(t + 1)
        cols = (sel[:, None] * T + years[None, :]).ravel()
        vals = np.repeat(c, years.size)
        return cols, vals

    def terms(self, mask: np.ndarray, metric: str, t: int | None, flow: bool, scale: float = 1.0
              ) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of the metric over the masked pairs: year t (flow), years <= t (level), or all (None)."""
        return self.expand(self.pairs(mask, metric, scale), t, flow)

    # --------------------------------------------------------------- records
    def add_instance(self, inst: Instance, num: tuple[np.ndarray, np.ndarray],
                     den: tuple[np.ndarray, np.ndarray] | None = None) -> int:
        k = len(self.instances)
        self.instances.append(inst)
        self.n_rows.append(np.full(num[0].size, k, dtype=np.int64))
        self.n_cols.append(num[0])
        self.n_vals.append(num[1])
        if den is not None:
            self.d_rows.append(np.full(den[0].size, k, dtype=np.int64))
            self.d_cols.append(den[0])
            self.d_vals.append(den[1])
        return k

    def add_row(self, k: int, side: int, bound: float, relax: bool, penalty: float | None = None) -> None:
        inst = self.instances[k]
        bound = self.spec.overrides.get(inst.key(side), bound)
        self.r_inst.append(k)
        self.r_side.append(side)
        self.r_bound.append(float(bound))
        self.r_relax.append(relax)
        self.r_penalty.append(np.nan if penalty is None else float(penalty))

    # ---------------------------------------------------------------- blocks
    def budgets(self) -> None:
        every = np.ones(self.P, dtype=bool)
        for r in self.spec.resources.values():
            unit = self.spec.unit_of(r.id)
            pc = self.pairs(every, r.id, scale=r.offset)  # the same for every year
            for y in self.years:
                t = self.year_index[y]
                flow = r.accounting == "flow"
                num = self.expand(pc, t, flow)
                k = self.add_instance(Instance(Limit.BUDGET, r.id, (), y, False, 0.0, 0.0, unit), num)
                self.add_row(k, MAX, r.budget[y], relax=True)

    def land_limits(self) -> None:
        unit = self.spec.units.unit_name(self.spec.metrics["land"].dim)  # type: ignore[arg-type]
        for a in self.area_ids:
            area = self.spec.areas[a]
            limits: tuple[tuple[Limit, float | None, int, bool], ...] = (
                (Limit.CAPACITY, area.capacity, MAX, False), (Limit.AREA_MAX_LAND, area.max_land, MAX, False),
                      (Limit.AREA_MIN_LAND, area.min_land, MIN, True))
            if all(v is None for _, v, _, _ in limits):
                continue
            mask = self.pair_area == self.area_ids.index(a)
            num = self.terms(mask, "land", None, False)
            for kind, v, side, relax in limits:
                if v is not None:
                    k = self.add_instance(Instance(kind, a, (), None, False, 0.0, 0.0, unit), num)
                    self.add_row(k, side, v, relax)
        for s in self.sector_ids:
            sec = self.spec.sectors[s]
            limits = ((Limit.SECTOR_MAX_LAND, sec.max_land, MAX, False),
                      (Limit.SECTOR_MIN_LAND, sec.min_land, MIN, True))
            if all(v is None for _, v, _, _ in limits):
                continue
            mask = self.pair_sector == self.sector_ids.index(s)
            num = self.terms(mask, "land", None, False)
            for kind, v, side, relax in limits:
                if v is not None:
                    k = self.add_instance(Instance(kind, s, (), None, False, 0.0, 0.0, unit), num)
                    self.add_row(k, side, v, relax)

    def groups(self, rule: Rule) -> tuple[list[tuple[tuple[str, str], ...]], np.ndarray, np.ndarray]:
        """The groups of `each` and where each area and sector falls in them.

        Returns (keys, area_part, sector_part). `keys` lists the group keys in row order:
        areas in file order (those `where` matches), sectors in file order within each area;
        one group of everything, key ``()``, when `each` is absent. The group of a pair of
        area index i and sector index j is ``area_part[i] + sector_part[j]``; a part is -1
        for an area or sector in no group, and 0 on a side that `each` does not split.
        """
        A, S = len(self.area_ids), len(self.sector_ids)
        areas = [i for i, a in enumerate(self.area_ids) if rule.where.has_area(a)] if "area" in rule.each else None
        sectors = ([j for j, s in enumerate(self.sector_ids) if rule.where.has_sector(s)]
                   if "sector" in rule.each else None)
        n_s = 1 if sectors is None else len(sectors)
        area_part = np.zeros(A, dtype=np.int64)
        sector_part = np.zeros(S, dtype=np.int64)
        if areas is not None:
            area_part[:] = -1
            area_part[areas] = np.arange(len(areas), dtype=np.int64) * n_s
        if sectors is not None:
            sector_part[:] = -1
            sector_part[sectors] = np.arange(len(sectors), dtype=np.int64)
        a_keys = [()] if areas is None else [(("area", self.area_ids[i]),) for i in areas]
        s_keys = [()] if sectors is None else [(("sector", self.sector_ids[j]),) for j in sectors]
        keys = [ak + sk for ak in a_keys for sk in s_keys]
        return keys, area_part, sector_part

    def group_stock(self, sel: Selector, metric: str, by_sector: bool, area_part: np.ndarray,
                    sector_part: np.ndarray, n_groups: int) -> list[float]:
        """Existing stock of `metric` in `sel` for every group (see the contract's 'Existing stock').

        `by_sector` says whether the groups' selections name sectors (then stock counts
        `by_sector` rows, else the area's `existing`). One pass over the areas in file order
        (and each area's `by_sector` rows in their order) adds every term to its group, so
        each group's total is summed in the same order as a sum over that group alone.
        """
        total = [0.0] * n_groups
        s_index = {s: j for j, s in enumerate(self.sector_ids)}
        a_part = area_part.tolist()
        s_part = sector_part.tolist()
        for i, a in enumerate(self.area_ids):
            ga = a_part[i]
            if ga < 0 or not sel.has_area(a):
                continue
            area = self.spec.areas[a]
            if by_sector:
                for s, row in area.by_sector.items():
                    j = s_index.get(s)
                    if j is None or s_part[j] < 0 or not sel.has_sector(s):
                        continue
                    total[ga + s_part[j]] += row.get(metric, 0.0)
            else:
                total[ga] += area.existing.get(metric, 0.0)
        return total

    def group_terms(self, sel: Selector, metric: str, pair_group: np.ndarray, k0: int, years: list[int],
                    flow: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(instance rows, columns, values) of the metric over `sel` for every group and year at once.

        The instance of group g and the rule's j-th year is ``k0 + g * len(years) + j``;
        `years` are the years' positions. A year's terms are those of `expand` (year t for
        a flow, years <= t for a level).
        """
        sel_p, c = self.pairs(self.mask(sel) & (pair_group >= 0), metric)
        g = pair_group[sel_p]
        T, Y = self.T, len(years)
        rows, cols, vals = [], [], []
        for j, t in enumerate(years):
            span = np.array([t]) if flow else np.arange(t + 1)
            cols.append((sel_p[:, None] * T + span[None, :]).ravel())
            rows.append(np.repeat(k0 + g * Y + j, span.size))
            vals.append(np.repeat(c, span.size))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def rules(self) -> None:
        """The instances and rows of every rule: one instance per group of `each` and year, in that order.

        Every group of a rule is built at once (no loop over groups touches the pairs): each
        pair's group is looked up from its area and sector (`groups`), and the numerator and
        denominator terms of all groups and years come as one block (`group_terms`).
        """
        for rule in self.spec.rules:
            meas: Measure = KINDS[rule.kind].measure(rule)
            years = list(rule.where.years if rule.where.years is not None else self.years)
            keys, area_part, sector_part = self.groups(rule)
            G, Y = len(keys), len(years)
            if G == 0 or Y == 0:
                continue
            ga = area_part[self.pair_area]
            gs = sector_part[self.pair_sector]
            pair_group = np.where((ga >= 0) & (gs >= 0), ga + gs, -1)
            stock = rule.include_existing and not rule.flow
            split_sectors = "sector" in rule.each
            zero = [0.0] * G
            s_num = (self.group_stock(meas.num_sel, meas.num_metric, split_sectors or meas.num_sel.filters_sectors,
                                      area_part, sector_part, G) if stock else zero)
            s_den = zero
            if stock and meas.den_sel is not None:
                s_den = self.group_stock(meas.den_sel, meas.den_metric,  # type: ignore[arg-type]
                                         split_sectors or meas.den_sel.filters_sectors, area_part, sector_part, G)
            k0 = len(self.instances)
            t_of = [self.year_index[y] for y in years]
            r, c, v = self.group_terms(meas.num_sel, meas.num_metric, pair_group, k0, t_of, rule.flow)
            self.n_rows.append(r)
            self.n_cols.append(c)
            self.n_vals.append(v)
            if meas.is_ratio:
                r, c, v = self.group_terms(meas.den_sel, meas.den_metric, pair_group, k0, t_of,  # type: ignore[arg-type]
                                           rule.flow)
                self.d_rows.append(r)
                self.d_cols.append(c)
                self.d_vals.append(v)
            self.instances.extend(Instance(Limit.RULE, rule.id, key, y, meas.is_ratio, s_num[g], s_den[g], rule.unit,
                                           rule)
                                  for g, key in enumerate(keys) for y in years)
            sides = [(side, b) for side, b in ((MIN, rule.lo), (MAX, rule.hi)) if b is not None]
            if not sides:
                continue
            # rows: instance by instance, MIN before MAX
            n_inst = G * Y
            self.r_inst.extend(np.repeat(np.arange(k0, k0 + n_inst), len(sides)).tolist())
            self.r_side.extend([side for side, _ in sides] * n_inst)
            bounds = [float(b[y]) for y in years for _, b in sides] * G
            if self.spec.overrides:
                pos = 0
                for k in range(k0, k0 + n_inst):
                    for side, _ in sides:
                        bounds[pos] = float(self.spec.overrides.get(self.instances[k].key(side), bounds[pos]))
                        pos += 1
            self.r_bound.extend(bounds)
            self.r_relax.extend([not rule.soft] * (n_inst * len(sides)))
            self.r_penalty.extend([np.nan if rule.penalty is None else float(rule.penalty)] * (n_inst * len(sides)))

    def stage_vector(self, stage: Stage) -> np.ndarray:
        """The stage's objective over every column (its terms on the ``x`` block)."""
        full = np.zeros(self.cols.n)
        c = np.zeros(self.P * self.T)
        mask = self.mask(stage.where)
        T = self.T
        mult = np.ones(T) if stage.at_final else (T - np.arange(T)).astype(float)
        for m, w in stage.weights.items():
            v = np.where(mask, self.coef(m), 0.0) * w
            c += (v[:, None] * mult[None, :]).ravel()
        full[self.cols.block("x").slice] = c
        return full

    # ----------------------------------------------------------------- finish
    def finish(self, t0: float) -> Model:
        n_inst = len(self.instances)
        row_inst = np.array(self.r_inst, dtype=np.int64)
        row_side = np.array(self.r_side, dtype=np.int64)
        row_bound = np.array(self.r_bound, dtype=float)
        row_relax = np.array(self.r_relax, dtype=bool)
        row_penalty = np.array(self.r_penalty, dtype=float)
        m = row_inst.size
        soft = ~np.isnan(row_penalty)
        n_soft = int(soft.sum())
        viol = self.cols.add("viol", ["viol(" + _inst_name(self.instances[k])[:-1] + ")"
                                      for k in row_inst[soft].tolist()])
        row_slack = np.full(m, -1, dtype=np.int64)
        row_slack[soft] = viol.columns()
        n = self.cols.n  # every block is registered: every measure spans every column

        def csr(rows: list[np.ndarray], cols: list[np.ndarray], vals: list[np.ndarray]) -> sp.csr_matrix:
            if rows:
                r, c, v = np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
            else:
                r = c = np.zeros(0, dtype=np.int64)
                v = np.zeros(0)
            out = sp.csr_matrix((v, (r, c)), shape=(n_inst, n))
            out.sum_duplicates()
            return out

        N = csr(self.n_rows, self.n_cols, self.n_vals)
        D = csr(self.d_rows, self.d_cols, self.d_vals)
        s_num = np.array([i.s_num for i in self.instances]) if n_inst else np.zeros(0)
        s_den = np.array([i.s_den for i in self.instances]) if n_inst else np.zeros(0)
        ratio = np.array([i.ratio for i in self.instances], dtype=bool) if n_inst else np.zeros(0, dtype=bool)
        # A = N[inst] - bound * D[inst] (ratio rows); rhs = bound * s_den - s_num (ratio) or bound - s_num
        Nr = N[row_inst] if m else sp.csr_matrix((0, n))
        Dr = D[row_inst] if m else sp.csr_matrix((0, n))
        rr = ratio[row_inst] if m else np.zeros(0, dtype=bool)
        b_ratio = np.where(rr, row_bound, 0.0)
        A = (Nr - sp.diags(b_ratio) @ Dr).tocsr() if m else Nr
        rhs = np.where(rr, row_bound * (s_den[row_inst] if m else 0.0), row_bound) - (s_num[row_inst] if m else 0.0)
        if n_soft:  # the violation column of a soft row moves it the way it may give
            A = A + sp.csr_matrix((np.where(row_side[soft] == MIN, 1.0, -1.0), (np.flatnonzero(soft),
                                                                                  row_slack[soft])), shape=(m, n))
        A = sp.csr_matrix(A, shape=(m, n))
        A.sum_duplicates()
        A.eliminate_zeros()
        A.sort_indices()
        row_lo = np.where(row_side == MIN, rhs, -np.inf)
        row_hi = np.where(row_side == MAX, rhs, np.inf)
        stage_c = [self.stage_vector(st) for st in self.spec.stages]
        first = self.spec.stages[0]
        c = stage_c[0].copy()
        c[viol.slice] = -row_penalty[soft] if first.sense == "max" else row_penalty[soft]
        problem = LinearProblem(
            c=c, A=A, row_lo=row_lo, row_hi=row_hi, col_lo=self.cols.lo, col_hi=self.cols.hi,
            sense=first.sense, row_names=_row_names(self.instances, row_inst, row_side),
            col_names=self.cols.names, name=self.spec.name,
            integer=self.cols.integer if self.cols.is_mip else None,
        )
        return Model(
            spec=self.spec, problem=problem, cols=self.cols, area_ids=self.area_ids, sector_ids=self.sector_ids,
            pair_area=self.pair_area, pair_sector=self.pair_sector, years=self.years, instances=self.instances,
            N=N, D=D, row_inst=row_inst, row_side=row_side, row_bound=row_bound, row_relax=row_relax,
            row_slack=row_slack, row_penalty=row_penalty, stage_c=stage_c,
            build_seconds=time.perf_counter() - t0, coef=self.coef_cache,
        )


def _inst_name(inst: Instance) -> str:
    parts = [inst.id] + [f"{k}={v}" for k, v in inst.group]
    if inst.year is not None:
        parts.append(str(inst.year))
    return f"{inst.kind.value}({','.join(parts)})"


def _row_names(instances: list[Instance], row_inst: np.ndarray, row_side: np.ndarray) -> list[str]:
    return [f"{_inst_name(instances[k])}:{'max' if s == MAX else 'min'}"
            for k, s in zip(row_inst.tolist(), row_side.tolist(), strict=True)]


def build(spec: Spec) -> Model:
    """Build the model of a resolved scenario (see the module docstring)."""
    t0 = time.perf_counter()
    b = _Builder(spec)
    b.budgets()
    b.land_limits()
    b.rules()
    return b.finish(t0)
