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

The existing stock (see the contract's "# Additions"): block ``e`` holds one yes/no per area that may
exit (its stock ``c`` counts as ``c (1 - e)``, it gets no new land, project or renewal, and resources
with `reclaim` return ``reclaim * existing`` to their budgets); block ``r`` holds ``r[a, f, s, t]``,
mu of sector f's stock in area a redeveloped into sector s in year t (its gain with s's figures for new
land in a, its loss with f's average stock figures, where stock counts). A `ramp` scales the figures
(not land) of new land, projects and renewal gains wherever a metric counts as a level.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from landopt.model.columns import Block, Columns, Var
from landopt.model.limits import Limit, LimitKey
from landopt.model.rules import KINDS, Measure
from landopt.model.spec import Project, Rule, Selector, Spec, Stage, Year
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


@dataclass(frozen=True)
class Screened:
    """A (project, site) pair a 标准地 screen keeps out: the project's own figure misses the rule's bound."""

    rule: str
    project: str
    area: str
    years: tuple[Year, ...]
    """The start years it is kept out of (all of them when the bound does not change)."""
    figure: float
    """The project's own ratio at that site (e.g. 万元 of investment per mu)."""
    bound: float
    side: str
    """'min' or 'max'."""


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
    policy_c: np.ndarray | None = None
    """The preferred areas' new land over all years, by column: the policy preference among equally good plans
    (elements go "preferentially to the main platform"; `preferred`); None without a preference."""
    policy_rule: str | None = None
    """The land tilt rule whose part is the preferred group when it is not the main platforms (`preferred`)."""
    land_c: np.ndarray | None = None
    """All new land over all years, by column (with `policy_c`, the main platform's share among equally good
    plans)."""
    final_c: list[np.ndarray | None] = field(default_factory=list)
    """Each stage's objective counted in the final year only, for a stage that sums every year's level of a
    multi-year plan (None otherwise): the report quotes it beside the sum."""
    build_seconds: float = 0.0
    coef: dict[str, np.ndarray] = field(default_factory=dict)
    """Per-contributor coefficients of the metrics the builder used (x pairs, then project sites)."""
    site_project: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """The project (index into `Spec.projects`) of each project site (block ``z``, by site then year)."""
    site_area: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """The area (index into `area_ids`) of each project site."""
    screened: list[Screened] = field(default_factory=list)
    """The (project, site) pairs 标准地 screens kept out, for the report."""
    y_pairs: list[tuple[str, str]] = field(default_factory=list)
    """The (area, sector) pair of each column of block ``y`` (a pair that counts in a count of sectors)."""
    c_area: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """The area of each contributor: the x pairs, then the project sites (see `land`)."""
    c_sector: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """The sector of each contributor."""
    site_land: np.ndarray = field(default_factory=lambda: np.zeros(0))
    """The land of each project site's project."""
    exit_areas: list[str] = field(default_factory=list)
    """The areas that may exit, in file order: one column each in block ``e``."""
    renewal_keys: list[tuple[str, str, str]] = field(default_factory=list)
    """(area, from sector, to sector) of each run of block ``r`` (one column per year)."""
    ramp_tab: np.ndarray = field(default_factory=lambda: np.ones((1, 1, 1)))
    """``ramp_tab[i, t, g]``: the share of its figures land given in year g yields in year t under ramp i."""
    ramp_id: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Each contributor's ramp (an index into `ramp_tab`)."""
    sector_ramp: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    """Each sector's ramp (an index into `ramp_tab`)."""

    def levels(self, flows: np.ndarray, ramp: np.ndarray) -> np.ndarray:
        """Levels by year of yearly grants `flows` (rows x years), each row at its ramp `ramp` (rows): in year t,
        the sum over g <= t of ``flows[:, g] * ramp_tab[ramp, t, g]``."""
        out: np.ndarray = np.einsum("rg,rtg->rt", flows, self.ramp_tab[ramp])
        return out

    def land(self, v: np.ndarray) -> np.ndarray:
        """New land of a solution by contributor and year, shape (contributors, years): the x pairs' land, then
        each project site's (its land where it is placed)."""
        out = [self.allocation(v)]
        z = self.cols.block("z")
        if z.size:
            out.append(z.of(v).reshape(-1, self.T) * self.site_land[:, None])
        return np.vstack(out) if len(out) > 1 else out[0]

    def per_mu(self, metric: str) -> np.ndarray | None:
        """Per-mu coefficient of `metric` by contributor (a project's own figure at its site), or None when the
        builder did not use the metric."""
        c = self.coef.get(metric)
        if c is None:
            return None
        n_x = self.pair_area.size
        return np.concatenate([c[:n_x], c[n_x:] / np.where(self.site_land > 0, self.site_land, 1.0)])

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

    def exited(self, v: np.ndarray) -> list[str]:
        """The areas that exit in a solution `v` (every column)."""
        e = self.cols.block("e")
        if not e.size:
            return []
        return [a for a, val in zip(self.exit_areas, e.of(v).tolist(), strict=True) if val > 0.5]

    def reclaimed(self, v: np.ndarray) -> dict[tuple[str, Year], float]:
        """(resource, year) -> the quota that `reclaim` returns to that budget from the areas that exit in `v`:
        in every year for a `level` resource, in the first for a `flow` one."""
        spec = self.spec
        gone = self.exited(v)
        out: dict[tuple[str, Year], float] = {}
        for rid, rho in spec.reclaim.items():
            if not rho or rid not in spec.resources or not gone:
                continue
            back = rho * sum(spec.areas[a].existing.get(rid, 0.0) for a in gone)
            years = self.years if spec.resources[rid].accounting == "level" else self.years[:1]
            for y in years:
                out[(rid, y)] = back
        return out

    def renewal(self, v: np.ndarray) -> np.ndarray:
        """Renewal of a solution `v` as (runs, years): mu redeveloped per `renewal_keys` entry and year."""
        return self.cols.block("r").of(v).reshape(-1, self.T)

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
    """Builds a `Model`. Its *contributors* are what new land comes from: one per allowed (area, sector) pair
    whose sector takes plain new land (columns of block ``x``), then one per eligible (project, area) site
    (block ``z``, binary). Both blocks span every year, so contributor ``c`` in year ``t`` is column
    ``c * T + t`` (``z`` follows ``x``); every measure is written over contributors, so a placed project
    counts wherever new land of its sector in its area counts, with its own figures."""

    def __init__(self, spec: Spec):
        self.spec = spec
        self.area_ids = list(spec.areas)
        self.sector_ids = list(spec.sectors)
        self.project_ids = list(spec.projects)
        a_index = {a: i for i, a in enumerate(self.area_ids)}
        self.s_index = {s: j for j, s in enumerate(self.sector_ids)}
        pa, ps = [], []
        for a in self.area_ids:
            for s in spec.areas[a].allowed:
                if not spec.sectors[s].projects_only:
                    pa.append(a_index[a])
                    ps.append(self.s_index[s])
        self.pair_area = np.array(pa, dtype=np.int64)
        self.pair_sector = np.array(ps, dtype=np.int64)
        self.P = self.pair_area.size
        self.years = spec.years
        self.T = len(self.years)
        self.year_index = {y: i for i, y in enumerate(self.years)}
        sp_, sa_ = [], []
        for j, p in enumerate(spec.projects.values()):
            for a in self.area_ids:
                if p.sites.has_area(a) and p.sector in spec.areas[a].allowed:
                    sp_.append(j)
                    sa_.append(a_index[a])
        self.site_project = np.array(sp_, dtype=np.int64)
        self.site_area = np.array(sa_, dtype=np.int64)
        self.Q = self.site_project.size
        proj_sector = np.array([self.s_index[p.sector] for p in spec.projects.values()], dtype=np.int64)
        # contributors: the x pairs, then the project sites
        self.C = self.P + self.Q
        self.c_area = np.concatenate([self.pair_area, self.site_area])
        self.c_sector = np.concatenate([self.pair_sector, proj_sector[self.site_project]]).astype(np.int64)
        self.c_project = np.concatenate([np.full(self.P, -1, dtype=np.int64), self.site_project])
        self.cols = Columns()
        ys = [("" if y is None else f",{y}") for y in self.years]
        self.cols.add("x", [f"x({self.area_ids[a]},{self.sector_ids[s]}{y})"
                            for a, s in zip(self.pair_area.tolist(), self.pair_sector.tolist(), strict=True)
                            for y in ys])
        self.screened: list[Screened] = []
        z_hi = np.ones((self.Q, self.T))
        for q, j in enumerate(self.site_project.tolist()):  # a project starts no earlier than its year
            start = self.project(j).year
            if start is not None:
                z_hi[q, [t for t, y in enumerate(self.years) if y is not None and y < start]] = 0.0
        self.z_hi = z_hi
        self.kept_open: set[tuple[int, int]] = set()  # (site, year) a screen fails but leaves open (a `must`)
        if self.Q:
            self.cols.add("z", [f"z({self.project_ids[j]},{self.area_ids[a]}{y})"
                                for j, a in zip(self.site_project.tolist(), self.site_area.tolist(), strict=True)
                                for y in ys], Var.BINARY)
        self._ramps()
        self._stock_blocks()
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

    def project(self, j: int) -> Project:
        """The j-th project of the scenario (file order)."""
        return self.spec.projects[self.project_ids[j]]

    # ----------------------------------------------------------- ramp, stock
    def _ramps(self) -> None:
        """Ramp factors: ``ramp_tab[i, t, g]`` is the share of its figures that land given in year g yields
        in year t under the i-th distinct ramp (0 for t < g; calendar years count, the last value holds);
        ``ramp_id`` gives each contributor's ramp (a project's own, else its sector's). ``ramped`` is False
        when every ramp is full production at once (then nothing is scaled)."""
        spec = self.spec
        ramps: dict[tuple[float, ...], int] = {(1.0,): 0}
        def rid(r: tuple[float, ...]) -> int:
            return ramps.setdefault(tuple(r), len(ramps))
        ids = [rid(spec.sectors[self.sector_ids[j]].ramp) for j in self.pair_sector.tolist()]
        for j in self.site_project.tolist():
            p = self.project(j)
            ids.append(rid(p.ramp if p.ramp is not None else spec.sectors[p.sector].ramp))
        self.sector_ramp = np.array([rid(spec.sectors[s].ramp) for s in self.sector_ids], dtype=np.int64)
        self.ramp_id = np.array(ids, dtype=np.int64)
        cal = [0 if y is None else int(y) for y in self.years]
        T = self.T
        tab = np.zeros((len(ramps), T, T))
        for r, i in ramps.items():
            for t in range(T):
                for g in range(t + 1):
                    tab[i, t, g] = r[min(cal[t] - cal[g], len(r) - 1)]
        self.ramp_tab = tab
        self.ramped = len(ramps) > 1 or any(r != (1.0,) for r in ramps)
        # what a grant in year g brings to the objective: every later year's level, or the final year's
        self.ramp_sum = tab.sum(axis=1)  # [i, g] = sum over t >= g
        self.ramp_final = tab[:, T - 1, :]

    def _stock_blocks(self) -> None:
        """Block ``e`` (a yes/no per area that may exit; fixed at 1 when its exit is required) and block ``r``
        (mu of one sector's stock redeveloped into another, per area, from-sector, to-sector and year)."""
        spec = self.spec
        self.exit_areas = [a for a in self.area_ids if spec.areas[a].exit is not None]
        self.e_index = {a: i for i, a in enumerate(self.exit_areas)}
        if self.exit_areas:
            lo = np.array([1.0 if spec.areas[a].exit == "required" else 0.0 for a in self.exit_areas])
            self.cols.add("e", [f"e({a})" for a in self.exit_areas], Var.BINARY, lo=lo)
        keys = [(a, f, s) for a in self.area_ids for f in spec.areas[a].renewal
                for s in spec.areas[a].allowed if s != f]
        self.renewal_keys = keys
        if keys:
            ys = [("" if y is None else f",{y}") for y in self.years]
            self.cols.add("r", [f"r({a},{f}->{s}{y})" for a, f, s in keys for y in ys])

    def exit_column(self, area: str) -> int | None:
        """The column of area `area`'s exit, or None when it may not exit."""
        i = self.e_index.get(area)
        return None if i is None else self.cols.block("e").start + i

    def avg_stock(self, area: str, sector: str, metric: str) -> float:
        """Sector `sector`'s average stock figure per mu in `area` (0 for a metric its stock does not give)."""
        row = self.spec.areas[area].by_sector.get(sector, {})
        land = row.get("land", 0.0)
        if metric == "land":
            return 1.0
        return row.get(metric, 0.0) / land if land > 0 else 0.0

    def stock_terms(self, sel: Selector, metric: str, by_sector: bool, area_part: np.ndarray,
                    sector_part: np.ndarray, k0: int, t_of: list[int], flow: bool = False,
                    ramp: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(instance rows, columns, values) of the decisions on the stock in `sel`, for every group and year of
        a rule whose instances start at `k0` (group g, j-th year: ``k0 + g * len(t_of) + j``): an area that
        may exit takes its stock away (``-c`` on its ``e``), and renewal moves stock from sector f to sector s
        from its year on (``+r`` with s's figures for new land, ramped; ``-r`` with f's average stock
        figures), each part in its own (area, sector) group. `by_sector` as in `group_stock`."""
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        if sel.only_projects or flow:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        Y = len(t_of)
        a_part, s_part = area_part.tolist(), sector_part.tolist()
        spec = self.spec
        for a in self.exit_areas:
            i = self.area_ids.index(a)
            if a_part[i] < 0 or not sel.has_area(a):
                continue
            area = spec.areas[a]
            col = self.exit_column(a)
            if by_sector:
                terms = [(a_part[i] + s_part[self.s_index[f]], row.get(metric, 0.0))
                         for f, row in area.by_sector.items()
                         if f in self.s_index and s_part[self.s_index[f]] >= 0 and sel.has_sector(f)]
            else:
                terms = [(a_part[i], area.existing.get(metric, 0.0))]
            for g, c in terms:
                if c:
                    for j in range(Y):
                        rows.append(k0 + g * Y + j)
                        cols.append(col)  # type: ignore[arg-type]
                        vals.append(-c)
        if self.renewal_keys:
            r0 = self.cols.block("r").start
            T = self.T
            for q, (a, f, s) in enumerate(self.renewal_keys):
                i = self.area_ids.index(a)
                if a_part[i] < 0 or not sel.has_area(a):
                    continue
                parts = []  # (group, gain?, coefficient)
                if by_sector:
                    if sel.has_sector(s) and s_part[self.s_index[s]] >= 0:
                        parts.append((a_part[i] + s_part[self.s_index[s]], True, spec.coef(a, s, metric)))
                    if sel.has_sector(f) and s_part[self.s_index[f]] >= 0:
                        parts.append((a_part[i] + s_part[self.s_index[f]], False, -self.avg_stock(a, f, metric)))
                else:
                    parts = [(a_part[i], True, spec.coef(a, s, metric)),
                             (a_part[i], False, -self.avg_stock(a, f, metric))]
                for g, gain, c in parts:
                    if not c:
                        continue
                    for j, t in enumerate(t_of):
                        for tp in range(t + 1):
                            f_ = (self.ramp_tab[self.sector_ramp[self.s_index[s]], t, tp]
                                  if gain and ramp and metric != "land" else 1.0)
                            if f_:
                                rows.append(k0 + g * Y + j)
                                cols.append(r0 + q * T + tp)
                                vals.append(c * f_)
        return np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64), np.array(vals, dtype=float)

    # ---------------------------------------------------------- coefficients
    def coef(self, metric: str) -> np.ndarray:
        """Per-contributor coefficient of `metric`: per mu of new land for an x pair; for a project site, what
        the project brings there in all (its land times its own figure, else the area's, else the sector's)."""
        if metric not in self.coef_cache:
            spec = self.spec
            if metric == "land":
                v = np.ones(self.P)
            else:
                v = np.fromiter((spec.coef(self.area_ids[a], self.sector_ids[s], metric)
                                 for a, s in zip(self.pair_area, self.pair_sector, strict=True)),
                                dtype=float, count=self.P)
            w = np.fromiter((spec.project_coef(self.project_ids[j], self.area_ids[a], metric)
                             for j, a in zip(self.site_project, self.site_area, strict=True)),
                            dtype=float, count=self.Q)
            self.coef_cache[metric] = np.concatenate([v, w])
        return self.coef_cache[metric]

    def mask(self, sel: Selector) -> np.ndarray:
        """Boolean mask over contributors: the area and sector keys match the site; a `project` key selects
        those projects' sites and no x pair."""
        m = np.ones(self.C, dtype=bool)
        if not self.C:
            return m
        if sel.areas is not None:
            ok = np.array([a in sel.areas for a in self.area_ids], dtype=bool)
            m &= ok[self.c_area]
        if sel.sectors is not None:
            ok = np.array([s in sel.sectors for s in self.sector_ids], dtype=bool)
            m &= ok[self.c_sector]
        if sel.projects is not None:
            ok = np.array([p in sel.projects for p in self.project_ids] + [False], dtype=bool)
            m &= ok[self.c_project]  # index -1 (an x pair) reads the appended False
        return m

    def pairs(self, mask: np.ndarray, metric: str, scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """(contributors, coefficients) of the metric over the masked contributors, zero coefficients dropped."""
        sel = np.flatnonzero(mask)
        c = self.coef(metric)[sel] * scale
        keep = c != 0.0
        return sel[keep], c[keep]

    def expand(self, pc: tuple[np.ndarray, np.ndarray], t: int | None, flow: bool, ramp: bool = False
               ) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of contributors' output: year t (flow), years <= t (level), or all (None). With
        `ramp`, a level in year t counts land given in year g at its ramp's share for t - g (达产)."""
        sel, c = pc
        T = self.T
        if t is None:
            years = np.arange(T)
        elif flow:
            years = np.array([t])
        else:
            years = np.arange(t + 1)
        cols = (sel[:, None] * T + years[None, :]).ravel()
        if ramp and self.ramped and t is not None and not flow:
            vals = (c[:, None] * self.ramp_tab[self.ramp_id[sel]][:, t, : t + 1]).ravel()
        else:
            vals = np.repeat(c, years.size)
        return cols, vals

    def terms(self, mask: np.ndarray, metric: str, t: int | None, flow: bool, scale: float = 1.0
              ) -> tuple[np.ndarray, np.ndarray]:
        """(columns, values) of the metric over the masked contributors: year t (flow), years <= t (level),
        or all (None); levels of a metric other than land follow the ramps."""
        return self.expand(self.pairs(mask, metric, scale), t, flow, ramp=metric != "land")

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
        """A budget per resource and year: what new land and projects use (`flow`: granted that year; `level`:
        everything granted so far, ramped), plus renewal's net use (not for land); less what `reclaim` returns
        when an area exits (`level`: in every year; `flow`: in the first)."""
        every = np.ones(self.C, dtype=bool)
        spec = self.spec
        for r in spec.resources.values():
            unit = spec.unit_of(r.id)
            pc = self.pairs(every, r.id, scale=r.offset)  # the same for every year
            flow = r.accounting == "flow"
            rho = spec.reclaim.get(r.id, 0.0)
            for y in self.years:
                t = self.year_index[y]
                cols, vals = self.expand(pc, t, flow, ramp=r.id != "land")
                extra_c: list[int] = []
                extra_v: list[float] = []
                if rho and (not flow or t == 0):
                    for a in self.exit_areas:
                        back = rho * spec.areas[a].existing.get(r.id, 0.0)
                        if back:
                            extra_c.append(self.exit_column(a))  # type: ignore[arg-type]
                            extra_v.append(-back)
                if r.id != "land" and self.renewal_keys:
                    r0, T = self.cols.block("r").start, self.T
                    for q, (a, f, s_) in enumerate(self.renewal_keys):
                        use = spec.coef(a, s_, r.id) * r.offset
                        back = rho * self.avg_stock(a, f, r.id)
                        for tp in ([t] if flow else range(t + 1)):
                            ramp = 1.0 if flow else self.ramp_tab[self.sector_ramp[self.s_index[s_]], t, tp]
                            v = use * ramp - back
                            if v:
                                extra_c.append(r0 + q * T + tp)
                                extra_v.append(v)
                if extra_c:
                    cols = np.concatenate([cols, np.array(extra_c, dtype=np.int64)])
                    vals = np.concatenate([vals, np.array(extra_v)])
                k = self.add_instance(Instance(Limit.BUDGET, r.id, (), y, False, 0.0, 0.0, unit), (cols, vals))
                self.add_row(k, MAX, r.budget[y], relax=True)

    def land_budget_total(self) -> float | None:
        """All the new land the land budgets allow over the plan (a flow: the sum of the years'; a level: the
        final year's), with the run's bound overrides (a relaxed budget); None without a land budget."""
        spec = self.spec
        land = spec.resources.get("land")
        if land is None:
            return None
        def budget(y: Year) -> float:
            return float(spec.overrides.get(LimitKey(Limit.BUDGET, "land", (), y, "max"), land.budget[y]))
        return sum(budget(y) for y in self.years) if land.accounting == "flow" else budget(self.years[-1])

    def land_bound(self, area: str) -> float | None:
        """The tightest finite bound on an area's new land over all years: its capacity and max_land, the land
        budgets with what `reclaim` can add, the sum of its sectors' max_land; None when none is finite."""
        spec = self.spec
        a = spec.areas[area]
        found = [v for v in (a.capacity, a.max_land) if v is not None]
        land = self.land_budget_total()
        if land is not None:
            back = spec.reclaim.get("land", 0.0) * sum(spec.areas[x].existing.get("land", 0.0)
                                                       for x in self.exit_areas)
            found.append(land + back)
        caps = [spec.sectors[s].max_land for s in a.allowed]
        if caps and all(c is not None for c in caps):
            found.append(sum(caps))  # type: ignore[arg-type]
        return min(found) if found else None

    def exit_links(self) -> None:
        """An area that exits gets no new land and no project (``land <= M (1 - e)``, M its `land_bound`) and no
        renewal (each allowance becomes ``renewal[f] (1 - e)``); the renewal allowances themselves."""
        spec = self.spec
        unit = spec.units.unit_name(spec.metrics["land"].dim)  # type: ignore[arg-type]
        for a in self.exit_areas:
            big = self.land_bound(a)
            if big is None:
                msg = f"no finite bound on the new land of area {a}, which may exit"
                raise ValueError(msg)  # the input stage refuses such a scenario first, naming the bound to add
            mask = self.c_area == self.area_ids.index(a)
            cols, vals = self.terms(mask, "land", None, False)
            e = self.exit_column(a)
            assert e is not None  # `a` may exit
            k = self.add_instance(Instance(Limit.LINK, f"exit/{a}", (("area", a),), None, False, 0.0, 0.0, unit),
                                  (np.append(cols, e), np.append(vals, big)))
            self.add_row(k, MAX, big, relax=False)
        if not self.renewal_keys:
            return
        r0, T = self.cols.block("r").start, self.T
        runs: dict[tuple[str, str], list[int]] = {}
        for q, (a, f, _) in enumerate(self.renewal_keys):
            runs.setdefault((a, f), []).extend(range(r0 + q * T, r0 + (q + 1) * T))
        for (a, f), cols_ in runs.items():
            allowance = spec.areas[a].renewal[f]
            cols = np.array(cols_, dtype=np.int64)
            vals = np.ones(cols.size)
            k = self.add_instance(Instance(Limit.RENEWAL, a, (("sector", f),), None, False, 0.0, 0.0, unit),
                                  (cols, vals))
            self.add_row(k, MAX, allowance, relax=False)
            e = self.exit_column(a)
            if e is not None and allowance > 0:
                k = self.add_instance(Instance(Limit.LINK, f"exit/{a}/{f}", (("area", a), ("sector", f)), None,
                                               False, 0.0, 0.0, unit),
                                      (np.append(cols, e), np.append(vals, allowance)))
                self.add_row(k, MAX, allowance, relax=False)

    def land_limits(self) -> None:
        unit = self.spec.units.unit_name(self.spec.metrics["land"].dim)  # type: ignore[arg-type]
        for a in self.area_ids:
            area = self.spec.areas[a]
            limits: tuple[tuple[Limit, float | None, int, bool], ...] = (
                (Limit.CAPACITY, area.capacity, MAX, False), (Limit.AREA_MAX_LAND, area.max_land, MAX, False),
                (Limit.AREA_MIN_LAND, area.min_land, MIN, True))
            if all(v is None for _, v, _, _ in limits):
                continue
            mask = self.c_area == self.area_ids.index(a)
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
            mask = self.c_sector == self.s_index[s]
            num = self.terms(mask, "land", None, False)
            for kind, v, side, relax in limits:
                if v is not None:
                    k = self.add_instance(Instance(kind, s, (), None, False, 0.0, 0.0, unit), num)
                    self.add_row(k, side, v, relax)

    def placed_once(self) -> None:
        """Each project is placed once at most (exactly once when it `must`): over its sites and years."""
        if not self.Q:
            return
        z = self.cols.block("z")
        for j, p in enumerate(self.spec.projects.values()):
            sites = np.flatnonzero(self.site_project == j)
            cols = (z.start + sites[:, None] * self.T + np.arange(self.T)[None, :]).ravel()
            k = self.add_instance(Instance(Limit.PROJECT, p.id, (), None, False, 0.0, 0.0, ""),
                                  (cols, np.ones(cols.size)))
            self.add_row(k, MAX, 1.0, relax=False)
            if p.must:
                self.add_row(k, MIN, 1.0, relax=False)

    def groups(self, rule: Rule) -> tuple[list[tuple[tuple[str, str], ...]], np.ndarray, np.ndarray, np.ndarray]:
        """The groups of `each` and where each contributor falls in them.

        Returns (keys, area_part, sector_part, contributor_group). `keys` lists the group keys in row
        order: areas in file order (those `where` matches), then sectors in file order within each area,
        then projects in file order within each sector; one group of everything, key ``()``, when `each`
        is absent. `area_part` and `sector_part` give, for each area and sector, its offset in the group
        index (-1: in no group; 0 on a side `each` does not split), for the stock; `contributor_group` is
        each contributor's group, or -1 (an x pair under `each: project`, which counts projects alone).
        """
        A, S = len(self.area_ids), len(self.sector_ids)
        where = rule.where
        areas = [i for i, a in enumerate(self.area_ids) if where.has_area(a)] if "area" in rule.each else None
        sectors = ([j for j, s in enumerate(self.sector_ids) if where.has_sector(s)]
                   if "sector" in rule.each else None)
        projects = ([j for j, p in enumerate(self.spec.projects.values())
                     if where.has_project(p.id) and where.has_sector(p.sector)] if "project" in rule.each else None)
        n_p = 1 if projects is None else len(projects)
        n_s = (1 if sectors is None else len(sectors)) * n_p
        area_part = np.zeros(A, dtype=np.int64)
        sector_part = np.zeros(S, dtype=np.int64)
        project_part = np.zeros(len(self.project_ids) + 1, dtype=np.int64)  # the last entry: an x pair
        if areas is not None:
            area_part[:] = -1
            area_part[areas] = np.arange(len(areas), dtype=np.int64) * n_s
        if sectors is not None:
            sector_part[:] = -1
            sector_part[sectors] = np.arange(len(sectors), dtype=np.int64) * n_p
        if projects is not None:
            project_part[:] = -1
            project_part[projects] = np.arange(len(projects), dtype=np.int64)
        a_keys = [()] if areas is None else [(("area", self.area_ids[i]),) for i in areas]
        s_keys = [()] if sectors is None else [(("sector", self.sector_ids[j]),) for j in sectors]
        p_keys = [()] if projects is None else [(("project", self.project_ids[j]),) for j in projects]
        keys = [ak + sk + pk for ak in a_keys for sk in s_keys for pk in p_keys]
        ga, gs, gp = area_part[self.c_area], sector_part[self.c_sector], project_part[self.c_project]
        group = np.where((ga >= 0) & (gs >= 0) & (gp >= 0), ga + gs + gp, -1)
        return keys, area_part, sector_part, group

    def group_stock(self, sel: Selector, metric: str, by_sector: bool, area_part: np.ndarray,
                    sector_part: np.ndarray, n_groups: int) -> list[float]:
        """Existing stock of `metric` in `sel` for every group (see the contract's 'Existing stock').

        `by_sector` says whether the groups' selections name sectors (then stock counts
        `by_sector` rows, else the area's `existing`). One pass over the areas in file order
        (and each area's `by_sector` rows in their order) adds every term to its group, so
        each group's total is summed in the same order as a sum over that group alone. A
        selection of projects (a `project` key) counts no stock.
        """
        total = [0.0] * n_groups
        if sel.only_projects:
            return total
        a_part = area_part.tolist()
        s_part = sector_part.tolist()
        for i, a in enumerate(self.area_ids):
            ga = a_part[i]
            if ga < 0 or not sel.has_area(a):
                continue
            area = self.spec.areas[a]
            if by_sector:
                for s, row in area.by_sector.items():
                    j = self.s_index.get(s)
                    if j is None or s_part[j] < 0 or not sel.has_sector(s):
                        continue
                    total[ga + s_part[j]] += row.get(metric, 0.0)
            else:
                total[ga] += area.existing.get(metric, 0.0)
        return total

    def group_terms(self, sel: Selector, metric: str, group: np.ndarray, k0: int, years: list[int],
                    flow: bool, ramp: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(instance rows, columns, values) of the metric over `sel` for every group and year at once.

        The instance of group g and the rule's j-th year is ``k0 + g * len(years) + j``;
        `years` are the years' positions. A year's terms are those of `expand` (year t for
        a flow, years <= t for a level).
        """
        sel_p, c = self.pairs(self.mask(sel) & (group >= 0), metric)
        g = group[sel_p]
        T, Y = self.T, len(years)
        ramped = ramp and self.ramped and not flow and metric != "land"
        rows, cols, vals = [], [], []
        for j, t in enumerate(years):
            span = np.array([t]) if flow else np.arange(t + 1)
            cols.append((sel_p[:, None] * T + span[None, :]).ravel())
            rows.append(np.repeat(k0 + g * Y + j, span.size))
            if ramped:
                vals.append((c[:, None] * self.ramp_tab[self.ramp_id[sel_p]][:, t, : t + 1]).ravel())
            else:
                vals.append(np.repeat(c, span.size))
        if not rows:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)
        return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)

    def tag_groups(self, rule: Rule) -> list[tuple[tuple[tuple[str, str], ...], Rule]]:
        """`each: area_tag`: one rule per tag that an area selected by `where` carries (an area with two tags
        joins two groups), tags in the order the areas first carry them; each as (key prefix, rule over that
        tag's areas). A rule without it is itself, with no prefix."""
        if "area_tag" not in rule.each:
            return [((), rule)]
        out: list[tuple[tuple[tuple[str, str], ...], Rule]] = []
        order: dict[str, list[str]] = {}
        for a in self.area_ids:
            if rule.where.has_area(a):
                for tag in self.spec.areas[a].tags:
                    order.setdefault(tag, []).append(a)
        rest = tuple(e for e in rule.each if e != "area_tag")
        for tag, areas in order.items():
            where = rule.where.intersect(Selector(areas=frozenset(areas)))
            out.append(((("area_tag", tag),), replace(rule, where=where, each=rest)))
        return out

    def rules(self) -> None:
        """The instances and rows of every rule: one instance per group of `each` and year, in that order.

        A kind with rows of its own (a count) builds them (`RuleKind.build`); the others are a metric over
        a selection (`metric_rule`).
        """
        for rule in self.spec.rules:
            kind = KINDS[rule.kind]
            for prefix, sub in self.tag_groups(rule):
                if kind.build is not None:
                    kind.build(self, sub, prefix)
                else:
                    self.metric_rule(sub, prefix)

    def metric_rule(self, rule: Rule, prefix: tuple[tuple[str, str], ...] = ()) -> None:
        """Every group of a metric rule at once (no loop over groups touches the contributors): each
        contributor's group is looked up from its area, sector and project (`groups`), and the numerator and
        denominator terms of all groups and years come as one block (`group_terms`)."""
        meas: Measure = KINDS[rule.kind].measure(rule)
        years = list(rule.where.years if rule.where.years is not None else self.years)
        keys, area_part, sector_part, group = self.groups(rule)
        G, Y = len(keys), len(years)
        if G == 0 or Y == 0:
            return
        stock = rule.include_existing and not rule.flow and "project" not in rule.each
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
        full = "project" in rule.each  # a 标准地 screen judges a project at full production
        r, c, v = self.group_terms(meas.num_sel, meas.num_metric, group, k0, t_of, rule.flow, ramp=not full)
        self.n_rows.append(r)
        self.n_cols.append(c)
        self.n_vals.append(v)
        if stock:
            r, c, v = self.stock_terms(meas.num_sel, meas.num_metric, split_sectors or meas.num_sel.filters_sectors,
                                       area_part, sector_part, k0, t_of)
            self.n_rows.append(r)
            self.n_cols.append(c)
            self.n_vals.append(v)
        if meas.is_ratio:
            r, c, v = self.group_terms(meas.den_sel, meas.den_metric, group, k0, t_of,  # type: ignore[arg-type]
                                       rule.flow, ramp=not full)
            self.d_rows.append(r)
            self.d_cols.append(c)
            self.d_vals.append(v)
            if stock:
                r, c, v = self.stock_terms(meas.den_sel, meas.den_metric,  # type: ignore[arg-type]
                                           split_sectors or meas.den_sel.filters_sectors,  # type: ignore[union-attr]
                                           area_part, sector_part, k0, t_of)
                self.d_rows.append(r)
                self.d_cols.append(c)
                self.d_vals.append(v)
        self.instances.extend(Instance(Limit.RULE, rule.id, prefix + key, y, meas.is_ratio, s_num[g], s_den[g],
                                       rule.unit, rule)
                              for g, key in enumerate(keys) for y in years)
        sides = [(side, b) for side, b in ((MIN, rule.lo), (MAX, rule.hi)) if b is not None]
        if not sides:
            return
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
        if "project" in rule.each and meas.is_ratio and not rule.soft:
            self.screen(rule, meas, years)

    def screen(self, rule: Rule, meas: Measure, years: list[Year]) -> None:
        """A hard ratio rule with `each: project` judges each project by its own figures at its site (标准地):
        a (project, site, start year) whose figure misses a bound it would be held to is never placed there.
        Its column is fixed at 0 before solving, and the pair is recorded for the report."""
        num_ok, den_ok = self.mask(meas.num_sel), self.mask(meas.den_sel)  # type: ignore[arg-type]
        num_c, den_c = self.coef(meas.num_metric), self.coef(meas.den_metric)  # type: ignore[arg-type]
        t_of = {y: self.year_index[y] for y in years}
        for q in range(self.Q):
            c = self.P + q
            if not (rule.where.has_area(self.area_ids[self.c_area[c]])):
                continue
            num = num_c[c] if num_ok[c] else 0.0
            den = den_c[c] if den_ok[c] else 0.0
            if den <= 0.0:
                continue
            figure = num / den
            for y in years:
                for side, bounds in (("min", rule.lo), ("max", rule.hi)):
                    if bounds is None:
                        continue
                    b = float(self.spec.overrides.get(LimitKey(Limit.RULE, rule.id, (("project", self.project_ids[
                        self.site_project[q]]),), y, side), bounds[y]))
                    tol = 1e-9 * max(1.0, abs(b))
                    fails = figure < b - tol if side == "min" else figure > b + tol
                    if not fails:
                        continue
                    # placed at year t', the project counts in every year y >= t' (a level) or in t' alone (a flow)
                    ts = [t_of[y]] if rule.flow else list(range(t_of[y] + 1))
                    newly = [t for t in ts if self.z_hi[q, t] > 0 and (q, t) not in self.kept_open]
                    if newly:
                        if self.project(int(self.site_project[q])).must:
                            # a project that must be placed keeps its columns: its screen row holds it out all
                            # the same, and if that leaves the plan infeasible the diagnosis can move the bound
                            self.kept_open.update((q, t) for t in newly)
                        else:
                            self.z_hi[q, newly] = 0.0
                        self.screened.append(Screened(rule.id, self.project_ids[self.site_project[q]],
                                                      self.area_ids[self.site_area[q]],
                                                      tuple(self.years[t] for t in newly), figure, b, side))

    # ------------------------------------------------------------ yes/no counts
    def rule_instance(self, rule: Rule, key: tuple[tuple[str, str], ...], cols: np.ndarray) -> int:
        """An instance of `rule` that adds up `cols` (one each): a count. Returns its index."""
        return self.add_instance(Instance(Limit.RULE, rule.id, key, None, False, 0.0, 0.0, rule.unit, rule),
                                 (cols, np.ones(cols.size)))

    def site_columns(self, selected: Callable[[Project, str], bool]) -> list[int]:
        """Every column (site and year) of the project sites `selected(project, area)` keeps."""
        if not self.Q:
            return []
        z = self.cols.block("z")
        out: list[int] = []
        for q, (j, a) in enumerate(zip(self.site_project.tolist(), self.site_area.tolist(), strict=True)):
            if selected(self.project(j), self.area_ids[a]):
                out.extend(range(z.start + q * self.T, z.start + (q + 1) * self.T))
        return out

    def y_column(self, area: str, sector: str) -> int:
        """The column of the yes/no "pair (area, sector) receives new land" (block ``y``)."""
        return self.y_start + self.y_index[(area, sector)]

    def pair_bound(self, area: str, sector: str) -> float | None:
        """The tightest finite bound on the new land of one (area, sector) pair over all years: the area's
        capacity and max_land, the sector's max_land, the land budgets, and (for a pair only projects can
        give land to) the land of those projects; None when none is finite."""
        spec = self.spec
        a, s = spec.areas[area], spec.sectors[sector]
        found = [v for v in (a.capacity, a.max_land, s.max_land) if v is not None]
        land = self.land_budget_total()
        if land is not None:
            found.append(land + spec.reclaim.get("land", 0.0) * sum(spec.areas[x].existing.get("land", 0.0)
                                                                     for x in self.exit_areas))
        if s.projects_only or not any(a_ == area and s_ == sector for a_, s_ in zip(
                (self.area_ids[i] for i in self.pair_area), (self.sector_ids[j] for j in self.pair_sector),
                strict=True)):
            found.append(sum(p.land for j, p in enumerate(spec.projects.values()) if p.sector == sector
                             and any(self.site_area[q] == self.area_ids.index(area)
                                     for q in np.flatnonzero(self.site_project == j))))
        return min(found) if found else None

    def count_indicators(self) -> None:
        """Block ``y``: one yes/no per (area, sector) pair under a count of sectors, linked to the pair's new
        land L (plain new land and projects, all years): ``at_least * y <= L <= M * y`` (hard rows, never
        relaxed; a pair under several such counts needs the largest `at_least`)."""
        need: dict[tuple[str, str], float] = {}
        for rule in self.spec.rules:
            if rule.kind != "count" or rule.what != "sectors":
                continue
            for a in self.area_ids:
                if rule.where.has_area(a):
                    for s in self.spec.areas[a].allowed:
                        if rule.where.has_sector(s):
                            need[(a, s)] = max(need.get((a, s), 0.0), rule.at_least if rule.at_least else 1.0)
        self.y_pairs = list(need)
        self.y_index = {p: i for i, p in enumerate(self.y_pairs)}
        self.y_start = self.cols.n
        if not need:
            return
        self.cols.add("y", [f"y({a},{s})" for a, s in self.y_pairs], Var.BINARY)
        unit = self.spec.units.unit_name(self.spec.metrics["land"].dim)  # type: ignore[arg-type]
        for (a, s), least in need.items():
            bound = self.pair_bound(a, s)
            if bound is None:
                msg = f"no finite bound on the new land of ({a}, {s}) for a count of sectors"
                raise ValueError(msg)  # the input stage refuses such a scenario first, naming the bound to add
            mask = (self.c_area == self.area_ids.index(a)) & (self.c_sector == self.s_index[s])
            cols, vals = self.terms(mask, "land", None, False)
            y = self.y_column(a, s)
            for side, big in ((MIN, least), (MAX, bound)):
                k = self.add_instance(Instance(Limit.LINK, f"{a}/{s}", (("area", a), ("sector", s)), None, False,
                                               0.0, 0.0, unit), (np.append(cols, y), np.append(vals, -big)))
                self.add_row(k, side, 0.0, relax=False)

    def stage_vector(self, stage: Stage) -> np.ndarray:
        """The stage's objective over every column: every change the plan makes, in every year's level (or the
        final year's): new land and projects (ramped), the stock exits take away, renewal's gain less its
        loss."""
        full = np.zeros(self.cols.n)
        c = np.zeros(self.C * self.T)
        mask = self.mask(stage.where)
        T = self.T
        mult = np.ones(T) if stage.at_final else (T - np.arange(T)).astype(float)
        table = self.ramp_final if stage.at_final else self.ramp_sum
        for m, w in stage.weights.items():
            v = np.where(mask, self.coef(m), 0.0) * w
            if m != "land" and self.ramped:
                c += (v[:, None] * table[self.ramp_id]).ravel()
            else:
                c += (v[:, None] * mult[None, :]).ravel()
        full[: self.C * T] = c  # x then z: the contributors' columns come first
        if self.exit_areas or self.renewal_keys:
            a_part = np.zeros(len(self.area_ids), dtype=np.int64)
            s_part = np.zeros(len(self.sector_ids), dtype=np.int64)
            years = [T - 1] if stage.at_final else list(range(T))
            for m, w in stage.weights.items():
                _, cols, vals = self.stock_terms(stage.where, m, stage.where.filters_sectors, a_part, s_part, 0,
                                                 years)
                np.add.at(full, cols, w * vals)
        return full

    def preferred(self) -> tuple[Selector, str | None] | None:
        """The areas the plan prefers among equally good plans, and the rule that names them: the main platforms
        (要素优先向主平台), or, when every area (or none) is one, the part a land tilt rule favours (Hangzhou's six
        strategic platforms: `share` of land with a `part`, the first in the file); None when there is neither."""
        mains = frozenset(a for a in self.area_ids if self.spec.areas[a].role == "main")
        if mains and len(mains) < len(self.area_ids):
            return Selector(areas=mains), None
        for rule in self.spec.rules:
            if rule.kind == "share" and rule.metric == "land" and rule.part is not None and not rule.each \
                    and rule.what is None and not rule.include_existing:
                return rule.part, rule.id
        return None

    def land_vector(self, sel: Selector) -> np.ndarray:
        """New land over all years by column, of the pairs and project sites `sel` selects (the stock exits take
        is no new land)."""
        v = np.where(self.mask(sel), self.coef("land"), 0.0)
        full = np.zeros(self.cols.n)
        full[: self.C * self.T] = np.repeat(v, self.T)
        return full

    def choices(self) -> tuple[np.ndarray, ...]:
        """The alternatives of each project, for the solver to branch on the choice before the site
        (`solvers.branching`): its sites in each year it may start, and all its (site, year) columns."""
        if not self.Q:
            return ()
        z = self.cols.block("z")
        out: list[np.ndarray] = []
        for j in range(len(self.project_ids)):
            cols = z.start + np.flatnonzero(self.site_project == j)[:, None] * self.T + np.arange(self.T)[None, :]
            if self.T > 1:
                out.extend(cols[:, t].astype(np.int64) for t in range(self.T))
            out.append(cols.ravel().astype(np.int64))
        return tuple(out)

    # ----------------------------------------------------------------- finish
    def finish(self, t0: float) -> Model:
        n_inst = len(self.instances)
        row_inst = np.array(self.r_inst, dtype=np.int64)
        row_side = np.array(self.r_side, dtype=np.int64)
        row_bound = np.array(self.r_bound, dtype=float)
        row_relax = np.array(self.r_relax, dtype=bool)
        row_penalty = np.array(self.r_penalty, dtype=float)
        m = row_inst.size
        if self.Q:  # start years and 标准地 screens close some (project, site, year) columns
            self.cols.set_hi("z", self.z_hi.ravel())
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
        pref = self.preferred()  # the areas the canonical plan prefers, once: their land and all land by column
        first = self.spec.stages[0]
        c = stage_c[0].copy()
        c[viol.slice] = -row_penalty[soft] if first.sense == "max" else row_penalty[soft]
        problem = LinearProblem(
            c=c, A=A, row_lo=row_lo, row_hi=row_hi, col_lo=self.cols.lo, col_hi=self.cols.hi,
            sense=first.sense, row_names=_row_names(self.instances, row_inst, row_side),
            col_names=self.cols.names, name=self.spec.name,
            integer=self.cols.integer if self.cols.is_mip else None, choices=self.choices(),
        )
        return Model(
            spec=self.spec, problem=problem, cols=self.cols, area_ids=self.area_ids, sector_ids=self.sector_ids,
            pair_area=self.pair_area, pair_sector=self.pair_sector, years=self.years, instances=self.instances,
            N=N, D=D, row_inst=row_inst, row_side=row_side, row_bound=row_bound, row_relax=row_relax,
            row_slack=row_slack, row_penalty=row_penalty, stage_c=stage_c,
            policy_c=None if pref is None else self.land_vector(pref[0]),
            land_c=None if pref is None else self.land_vector(Selector()),
            policy_rule=None if pref is None else pref[1],
            final_c=[self.stage_vector(replace(st, at_final=True)) if self.T > 1 and not st.at_final else None
                     for st in self.spec.stages],
            build_seconds=time.perf_counter() - t0, coef=self.coef_cache, site_project=self.site_project,
            site_area=self.site_area, screened=self.screened, y_pairs=self.y_pairs, c_area=self.c_area,
            c_sector=self.c_sector,
            site_land=np.array([self.project(int(j)).land for j in self.site_project], dtype=float),
            exit_areas=self.exit_areas, renewal_keys=self.renewal_keys, ramp_tab=self.ramp_tab,
            ramp_id=self.ramp_id, sector_ramp=self.sector_ramp,
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
    b.count_indicators()
    b.budgets()
    b.land_limits()
    b.placed_once()
    b.exit_links()
    b.rules()
    return b.finish(t0)
