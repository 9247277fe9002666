"""The independent checker.

After every solve, this recomputes every budget, limit and rule from the
allocation and the scenario, in plain Python loops over areas, sectors and
years. It never reads the LP matrix, the builder's masks or its instance
table; the only thing it shares with the builder is the resolved scenario
(`Spec`). It then

* checks every hard bound (with the diagnosis' relaxed bounds when the
  scenario was infeasible);
* compares every reported value (budget use, rule achievement, soft-rule
  violation, the objective) with its own recomputation.

A disagreement beyond tolerance is a bug in landopt, not a result: for an
optimal solve it raises `CheckerError` listing what failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from landopt.errors import CheckerError
from landopt.model.spec import Rule, Selector, Spec, Year

REL_TOL = 1e-6
ABS_TOL = 1e-6


@dataclass
class Finding:
    what: str
    detail: str


def _coef(spec: Spec, a: str, s: str, m: str) -> float:
    """Per-mu coefficient, looked up independently of Spec.coef."""
    if m == "land":
        return 1.0
    own = spec.areas[a].per_mu.get(s)
    if own is not None and m in own:
        v = own[m]
    else:
        v = spec.sectors[s].per_mu.get(m, 0.0)
    metric = spec.metrics.get(m)
    return v * (metric.factor if metric is not None else 1.0)


def _project_coef(spec: Spec, pid: str, a: str, m: str) -> float:
    """Per-mu figure of project `pid` placed in `a`: its own, else the area's for its sector, else the sector's."""
    if m == "land":
        return 1.0
    p = spec.projects[pid]
    if m in p.per_mu:
        metric = spec.metrics.get(m)
        return p.per_mu[m] * (metric.factor if metric is not None else 1.0)
    return _coef(spec, a, p.sector, m)


def _ramp_share(ramp: tuple[float, ...], y: Year, g: Year) -> float:
    """The share of its figures land given in year g yields in year y (calendar years; the last value holds)."""
    lag = (0 if y is None else y) - (0 if g is None else g)
    return ramp[min(lag, len(ramp) - 1)]


def _avg(spec: Spec, a: str, f: str, m: str) -> float:
    """Sector f's average stock figure per mu in area a (1 for land; 0 for a metric it does not give)."""
    if m == "land":
        return 1.0
    row = spec.areas[a].by_sector.get(f, {})
    land = row.get("land", 0.0)
    return row.get(m, 0.0) / land if land > 0 else 0.0


class Recompute:
    """Plain-Python measurements of an allocation {(area, sector, year): mu}.

    Lookups that every measurement repeats are prepared once (per-mu coefficients by
    area and sector, land given and land held by area, sector and year position, each
    area's allowed sectors as a set, land given by area and by sector), so a measurement
    walks only the pairs its selection can match, and its work grows with the pairs it
    sums, not with the whole scenario; the sums still run in area and sector order, as
    plain loops.
    """

    def __init__(self, spec: Spec, alloc: dict[tuple[str, str, Year], float],
                 placements: dict[str, tuple[str, Year]] | None = None, exits: set[str] | None = None,
                 renewal: dict[tuple[str, str, str, Year], float] | None = None):
        self.spec = spec
        self.years = list(spec.years)
        self.alloc = alloc
        self.placements = placements or {}
        """project -> (area, start year) of every placed project."""
        self.exits = set(exits or ())
        """The areas that exit (their stock is gone)."""
        self.renewal = {k: v for k, v in (renewal or {}).items() if v}
        """(area, from sector, to sector, year) -> mu redeveloped."""
        self.ramped = any(sec.ramp != (1.0,) for sec in spec.sectors.values()) or \
            any(p.ramp is not None for p in spec.projects.values())
        self.level: dict[tuple[str, str, Year], float] = {}
        # the same numbers by area, sector and year position, for the measurement loops
        self._year_pos = {y: t for t, y in enumerate(self.years)}
        self._selections: dict[tuple, tuple[bool, frozenset[str], list[tuple[str, list[str]]]]] = {}
        self._by_ids: dict[tuple[int, ...], tuple[tuple[Selector, ...], bool,
                                                 tuple[bool, frozenset[str], list[tuple[str, list[str]]]] | None]] = {}
        """`_selection` and whether a selector names projects, by the selectors' identities (a rule measures the
        same selector objects in every year; hashing them each time cost more than the sum): the selectors are
        kept in the entry, so their identities stay theirs."""
        self._flow_by: dict[str, dict[str, list[float]]] = {}
        self._level_by: dict[str, dict[str, list[float]]] = {}
        for a, area in spec.areas.items():
            fa = self._flow_by[a] = {}
            la = self._level_by[a] = {}
            for s in area.allowed:
                run = 0.0
                fs = fa[s] = []
                ls = la[s] = []
                for y in self.years:
                    v = alloc.get((a, s, y), 0.0)
                    run += v
                    self.level[(a, s, y)] = run
                    fs.append(v)
                    ls.append(run)
        self.allowed = {a: frozenset(area.allowed) for a, area in spec.areas.items()}
        self._area_pos = {a: i for i, a in enumerate(spec.areas)}
        self._sector_pos = {s: i for i, s in enumerate(spec.sectors)}
        self._all_sectors = list(spec.sectors)
        self._all_sector_set = set(spec.sectors)
        self._coefs: dict[str, dict[str, dict[str, float]]] = {}
        # land given over all years, in the allocation's own order (as a filtered sum would add it)
        self._land_area: dict[str, float] = {}
        self._land_sector: dict[str, float] = {}
        for (a, s, _), v in alloc.items():
            self._land_area[a] = self._land_area.get(a, 0) + v
            self._land_sector[s] = self._land_sector.get(s, 0) + v
        for pid, (a, _) in self.placements.items():
            p = spec.projects[pid]
            self._land_area[a] = self._land_area.get(a, 0) + p.land
            self._land_sector[p.sector] = self._land_sector.get(p.sector, 0) + p.land

    def projects_in(self, m: str, sels: list[Selector], y: Year, flow: bool, ramp: bool = True) -> float:
        """What the placed projects the selectors match bring of metric m in year y: in the year they start
        (flow), or every year from it (level, at its ramp's share unless `ramp` is False)."""
        total = 0.0
        for pid, (a, start) in self.placements.items():
            p = self.spec.projects[pid]
            if not all(sel.has_area(a) and sel.has_sector(p.sector) and sel.has_project(pid) for sel in sels):
                continue
            t, t0 = self._year_pos.get(y), self._year_pos.get(start)
            if t is None or t0 is None or (t != t0 if flow else t < t0):
                continue
            share = 1.0
            if ramp and not flow and m != "land":
                share = _ramp_share(p.ramp if p.ramp is not None else self.spec.sectors[p.sector].ramp, y, start)
            total += p.land * _project_coef(self.spec, pid, a, m) * share
        return total

    def ramped_level(self, a: str, s: str, t: int) -> float:
        """Land of (a, s) given up to year position t, each year's grant at its ramp's share in year t."""
        ramp = self.spec.sectors[s].ramp
        y = self.years[t]
        return sum(self.alloc.get((a, s, g), 0.0) * _ramp_share(ramp, y, g) for g in self.years[: t + 1])

    def stock_changes(self, m: str, sels: list[Selector], y: Year, ramp: bool = True) -> float:
        """What the plan's decisions on the stock change of metric m in year y over the selection: the stock of
        the areas that exit leaves, and renewal moves stock from one sector to another from its year on (the
        gain with the target's figures for new land, ramped; the loss with the source's average figures)."""
        spec = self.spec
        by_sector = any(sel.sectors is not None for sel in sels)
        total = 0.0
        for a in self.exits:
            if not all(sel.has_area(a) for sel in sels):
                continue
            area = spec.areas[a]
            if by_sector:
                total -= sum(row.get(m, 0.0) for f, row in area.by_sector.items()
                             if all(sel.has_sector(f) for sel in sels))
            else:
                total -= area.existing.get(m, 0.0)
        t = self._year_pos.get(y)
        for (a, f, s, g), v in self.renewal.items():
            if t is None or self._year_pos[g] > t or not all(sel.has_area(a) for sel in sels):
                continue
            if not by_sector or all(sel.has_sector(s) for sel in sels):
                share = _ramp_share(spec.sectors[s].ramp, y, g) if ramp and m != "land" else 1.0
                total += v * _coef(spec, a, s, m) * share
            if not by_sector or all(sel.has_sector(f) for sel in sels):
                total -= v * _avg(spec, a, f, m)
        return total

    def amount(self, a: str, s: str, y: Year, flow: bool) -> float:
        """Land of (a, s) given in year y (flow) or up to and including y (level)."""
        return self.alloc.get((a, s, y), 0.0) if flow else self.level.get((a, s, y), 0.0)

    def coefs(self, m: str) -> dict[str, dict[str, float]]:
        """{area: {allowed sector: per-mu coefficient of m}}, looked up once per metric."""
        table = self._coefs.get(m)
        if table is None:
            table = {a: {s: _coef(self.spec, a, s, m) for s in area.allowed} for a, area in self.spec.areas.items()}
            self._coefs[m] = table
        return table

    @staticmethod
    def _candidates(ids: dict, pos: dict[str, int], sets: list) -> list[str]:
        """`ids` in file order, or only the smallest explicit selection among `sets`, in file order."""
        given = [x for x in sets if x is not None]
        if not given:
            return list(ids)
        smallest = min(given, key=len)
        return sorted((x for x in smallest if x in pos), key=pos.__getitem__)

    def metric(self, m: str, sels: list[Selector], y: Year, flow: bool, stock: bool, ramp: bool = True) -> float:
        """Metric m over the pairs (and placed projects) every selector in `sels` matches, in year y. A selector
        with a `project` key matches those projects alone: no new land of pairs, no stock. Levels of a metric
        other than land follow the ramps (unless `ramp` is False); with `stock`, exits and renewal change it."""
        hit = self._selected(sels)
        if hit[1]:
            return self.projects_in(m, sels, y, flow, ramp)
        total = self._pairs_metric(m, sels, y, flow, stock, ramp, hit[2]) + (self.projects_in(m, sels, y, flow, ramp)
                                                                    if self.placements else 0.0)
        if stock and not flow and (self.exits or self.renewal):
            total += self.stock_changes(m, sels, y, ramp)
        return total

    def _selected(self, sels: list[Selector]) -> tuple[tuple[Selector, ...], bool,
                                                       tuple[bool, frozenset[str], list[tuple[str, list[str]]]] | None]:
        """(the selectors, whether one names projects, `_selection` unless it does), by the selectors' identities
        (`_by_ids`)."""
        key = tuple(map(id, sels))
        hit = self._by_ids.get(key)
        if hit is None:
            only = any(sel.only_projects for sel in sels)
            hit = self._by_ids[key] = (tuple(sels), only, None if only else self._selection(sels))
        return hit

    def metric_years(self, m: str, sels: list[Selector], years: list[Year], flow: bool, stock: bool,
                     ramp: bool = True) -> list[float]:
        """`metric` in each of `years`, the same numbers: each year's sum runs over the same pairs in the same
        order, walked once for all the years (a rule measures every year of a group)."""
        hit = self._selected(sels)
        ts = [self._year_pos.get(y) for y in years]
        if hit[1] or hit[2] is None or any(t is None for t in ts):
            return [self.metric(m, sels, y, flow, stock, ramp) for y in years]
        pairs = self._pairs_metric_years(m, ts, flow, stock, ramp, hit[2])  # type: ignore[arg-type]
        totals = [p + (self.projects_in(m, sels, y, flow, ramp) if self.placements else 0.0)
                  for p, y in zip(pairs, years, strict=True)]
        if stock and not flow and (self.exits or self.renewal):
            totals = [t + self.stock_changes(m, sels, y, ramp) for t, y in zip(totals, years, strict=True)]
        return totals

    def _pairs_metric_years(self, m: str, ts: list[int], flow: bool, stock: bool, ramp: bool,
                            selection: tuple[bool, frozenset[str], list[tuple[str, list[str]]]]) -> list[float]:
        """`_pairs_metric` at each year position of `ts`: the same additions, in the same order, per year."""
        totals = [0.0] * len(ts)
        span = range(len(ts))
        ramped = ramp and self.ramped and not flow and m != "land"
        src = self._flow_by if flow else self._level_by
        coefs = self.coefs(m)
        by_sector, sector_set, selected = selection
        for a, pairs in selected:
            area = self.spec.areas[a]
            ca = coefs[a]
            sa = src[a]
            for s in pairs:
                c = ca[s]
                if ramped and self.spec.sectors[s].ramp != (1.0,):
                    for k in span:
                        totals[k] += c * self.ramped_level(a, s, ts[k])
                else:
                    row = sa[s]
                    for k in span:
                        totals[k] += c * row[ts[k]]
            if stock:
                if by_sector:
                    for s, stock_row in area.by_sector.items():
                        if s in sector_set:
                            v = stock_row.get(m, 0.0)
                            for k in span:
                                totals[k] += v
                else:
                    v = area.existing.get(m, 0.0)
                    for k in span:
                        totals[k] += v
        return totals

    def _selection(self, sels: list[Selector]) -> tuple[bool, frozenset[str], list[tuple[str, list[str]]]]:
        """(whether a selector names sectors, the sectors selected, [(area, its selected allowed sectors)]) in
        file order: which pairs `sels` select, worked out once per selection (a rule measures the same
        selection in every year)."""
        key = tuple(sels)
        try:
            hit = self._selections.get(key)
        except TypeError:  # a selector that does not hash: work it out each time
            key, hit = None, None
        if hit is not None:
            return hit
        by_sector = any(sel.sectors is not None for sel in sels)
        if by_sector:
            sectors = [s for s in self._candidates(self.spec.sectors, self._sector_pos, [sel.sectors for sel in sels])
                       if all(sel.has_sector(s) for sel in sels)]  # sector order
            sector_set = frozenset(sectors)
        else:  # no sector key: every sector matches
            sectors, sector_set = self._all_sectors, frozenset(self._all_sector_set)
        by_area = any(sel.areas is not None for sel in sels)
        selected = []
        for a in self._candidates(self.spec.areas, self._area_pos, [sel.areas for sel in sels]):
            if by_area and not all(sel.has_area(a) for sel in sels):
                continue
            area = self.spec.areas[a]
            # the selected allowed sectors, in sector order, from whichever list is shorter
            if not by_sector:
                pairs = list(area.allowed)
            elif len(sectors) < len(area.allowed):
                allowed = self.allowed[a]
                pairs = [s for s in sectors if s in allowed]
            else:
                pairs = [s for s in area.allowed if s in sector_set]
            selected.append((a, pairs))
        out = (by_sector, sector_set, selected)
        if key is not None:
            self._selections[key] = out
        return out

    def _pairs_metric(self, m: str, sels: list[Selector], y: Year, flow: bool, stock: bool,
                      ramp: bool = True, selection: tuple[bool, frozenset[str], list[tuple[str, list[str]]]] | None
                      = None) -> float:
        """Metric m over the (area, sector) pairs every selector matches (new land and stock), in year y
        (`selection`: `_selection(sels)`, if the caller has it)."""
        t = self._year_pos.get(y)
        if t is None:  # a year the scenario does not have: look pairs up one by one
            return self._metric_by_key(m, sels, y, flow, stock)
        return self._pairs_metric_years(m, [t], flow, stock, ramp,
                                        selection if selection is not None else self._selection(sels))[0]

    def _metric_by_key(self, m: str, sels: list[Selector], y: Year, flow: bool, stock: bool) -> float:
        """`metric` by (area, sector, year) keys, for a year outside the scenario's years."""
        total = 0.0
        for a, area in self.spec.areas.items():
            if not all(sel.has_area(a) for sel in sels):
                continue
            for s in area.allowed:
                if all(sel.has_sector(s) for sel in sels):
                    total += _coef(self.spec, a, s, m) * self.amount(a, s, y, flow)
            if stock:
                if any(sel.sectors is not None for sel in sels):
                    for s, row in area.by_sector.items():
                        if all(sel.has_sector(s) for sel in sels):
                            total += row.get(m, 0.0)
                else:
                    total += area.existing.get(m, 0.0)
        return total

    def land_total(self, area: str | None = None, sector: str | None = None) -> float:
        """Land given over all years to an area or a sector."""
        if area is not None and sector is None:
            return self._land_area.get(area, 0)
        if sector is not None and area is None:
            return self._land_sector.get(sector, 0)
        return sum(v for (a, s, _), v in self.alloc.items()
                   if (area is None or a == area) and (sector is None or s == sector)) + \
            sum(self.spec.projects[pid].land for pid, (a, _) in self.placements.items()
                if (area is None or a == area) and (sector is None or self.spec.projects[pid].sector == sector))


def _groups(spec: Spec, rule: Rule) -> list[tuple[tuple[tuple[str, str], ...], list[Selector]]]:
    """(group key, extra selectors) of every group of `each`: area_tag, then area, sector, project."""
    tags: list = [(None, None)]
    if "area_tag" in rule.each:
        seen: dict[str, list[str]] = {}
        for a, area in spec.areas.items():
            if rule.where.has_area(a):
                for tag in area.tags:
                    seen.setdefault(tag, []).append(a)
        tags = list(seen.items())
    areas: list = [None]
    sectors: list = [None]
    projects: list = [None]
    if "area" in rule.each:
        areas = [a for a in spec.areas if rule.where.has_area(a)]
    if "sector" in rule.each:
        sectors = [s for s in spec.sectors if rule.where.has_sector(s)]
    if "project" in rule.each:
        projects = [p for p, proj in spec.projects.items()
                    if rule.where.has_project(p) and rule.where.has_sector(proj.sector)]
    out = []
    for tag, tagged in tags:
        for a in areas:
            if tag is not None and a is not None and a not in tagged:
                continue
            for s in sectors:
                for p in projects:
                    key: tuple = ()
                    extra: list[Selector] = []
                    if tag is not None:
                        key += (("area_tag", tag),)
                        extra.append(Selector(areas=frozenset(tagged)))
                    if a is not None:
                        key += (("area", a),)
                        extra.append(Selector(areas=frozenset([a])))
                    if s is not None:
                        key += (("sector", s),)
                        extra.append(Selector(sectors=frozenset([s])))
                    if p is not None:
                        key += (("project", p),)
                        extra.append(Selector(projects=frozenset([p])))
                    out.append((key, extra))
    return out


def _measure(rc: Recompute, rule: Rule, group: list[Selector], y: Year) -> tuple[float, float | None]:
    """(numerator, denominator or None) of a rule for one group and year (a 标准地 screen, `each: project`,
    at full production)."""
    return _measure_years(rc, rule, group, [y])[0]


def _measure_years(rc: Recompute, rule: Rule, group: list[Selector], years: list[Year]
                   ) -> list[tuple[float, float | None]]:
    """`_measure` in each of `years` (`Recompute.metric_years`: the same numbers, the pairs walked once)."""
    stock = rule.include_existing and not rule.flow and "project" not in rule.each
    ramp = "project" not in rule.each
    where = [rule.where] + group
    if rule.kind in ("cap", "floor"):
        return [(v, None) for v in rc.metric_years(rule.metric, where, years, rule.flow, stock, ramp)]
    if rule.kind == "share":
        whole = where + ([rule.of] if rule.of is not None else [])
        part = whole + ([rule.part] if rule.part is not None else [])
        return list(zip(rc.metric_years(rule.metric, part, years, rule.flow, stock, ramp),
                        rc.metric_years(rule.metric, whole, years, rule.flow, stock, ramp), strict=True))
    return list(zip(rc.metric_years(rule.metric, where, years, rule.flow, stock, ramp),
                    rc.metric_years(rule.per or "land", where, years, rule.flow, stock, ramp), strict=True))


def _count_pairs(spec: Spec, rule: Rule, extra: list[Selector] = ()) -> list[tuple[str, str]]:
    """The allowed (area, sector) pairs a count of sectors selects (with a group's extra selectors)."""
    sels = [rule.where, *extra]
    return [(a, s) for a, area in spec.areas.items() for s in area.allowed
            if all(sel.has_area(a) and sel.has_sector(s) for sel in sels)]


def _count(spec: Spec, rc: Recompute, rule: Rule, extra: list[Selector]) -> tuple[int, int]:
    """(items counted, items selected) of a count rule for one group."""
    sels = [rule.where, *extra]
    if rule.what == "projects":
        chosen = [p for p in spec.projects.values()
                  if all(sel.has_project(p.id) and sel.has_sector(p.sector) for sel in sels)]
        placed = [p for p in chosen if p.id in rc.placements
                  and all(sel.has_area(rc.placements[p.id][0]) for sel in sels)]
        return len(placed), len(chosen)
    if rule.what == "sectors":
        pairs = _count_pairs(spec, rule, extra)
        least = rule.at_least or 1.0
        got = sum(1 for a, s in pairs if rc.land_total(area=a, sector=s) >= least - _tol(least))
        return got, len(pairs)
    areas = [a for a in spec.areas if all(sel.has_area(a) for sel in sels)]
    return sum(1 for a in areas if a in rc.exits), len(areas)


def _count_bounds(rule: Rule, n: int) -> tuple[float | None, float | None]:
    """A count's (least, most) for n items selected: min/max and the shares rounded exactly (up, down)."""
    from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal  # lazy: only scenarios with counts use it

    lo = [next(iter(rule.lo.values()))] if rule.lo else []
    hi = [next(iter(rule.hi.values()))] if rule.hi else []
    if rule.min_share is not None:
        lo.append(int((Decimal(repr(rule.min_share)) * n).to_integral_value(rounding=ROUND_CEILING)))
    if rule.max_share is not None:
        hi.append(int((Decimal(repr(rule.max_share)) * n).to_integral_value(rounding=ROUND_FLOOR)))
    return (max(lo) if lo else None), (min(hi) if hi else None)


def _tol(*vals: float) -> float:
    return ABS_TOL + REL_TOL * max([1.0] + [abs(v) for v in vals])


def check_allocation(spec: Spec, alloc: dict[tuple[str, str, Year], float], overrides: dict | None = None,
                     reported: dict | None = None, objective: float | None = None, accuracy: float = 0.0,
                     placements: dict[str, tuple[str, Year]] | None = None, exits: set[str] | None = None,
                     renewal: dict[tuple[str, str, str, Year], float] | None = None
                     ) -> tuple[list[Finding], int, dict]:
    """Check an allocation against every limit and rule of `spec`.

    `overrides` maps bound keys (target, id, group, year, side) to relaxed bounds.
    `reported` maps (kind, id, group, year) -> (value, violation) as the result
    claims them. The relative tolerance is REL_TOL, or the backend's declared `accuracy`
    (`solvers.accuracy`) if larger: an answer is not held to more than its backend promises.
    `placements` maps each placed project to its (area, start year); `exits` names the areas that exit;
    `renewal` maps (area, from sector, to sector, year) to the mu redeveloped.
    Returns (findings, number of bounds checked, recomputed values).
    """
    rel = max(REL_TOL, accuracy)

    def _tol(*vals: float) -> float:
        big = 1.0
        for v in vals:
            big = max(big, abs(v))
        return ABS_TOL + rel * big

    ov = dict(spec.overrides)
    ov.update(overrides or {})
    placements = placements or {}
    exits = set(exits or ())
    renewal = renewal or {}
    rc = Recompute(spec, alloc, placements, exits, renewal)
    found: list[Finding] = []
    checked = 0
    values: dict[tuple, tuple[float, float, float]] = {}

    for (a, s, y), v in alloc.items():
        if v < -ABS_TOL:
            found.append(Finding("negative allocation", f"x({a},{s},{y}) = {v:g}"))
        if s not in rc.allowed[a] and abs(v) > ABS_TOL:
            found.append(Finding("disallowed pair", f"x({a},{s},{y}) = {v:g} but {s} is not allowed in {a}"))

    for pid, p in spec.projects.items():  # each project: placed once at most, where and when it may be
        if pid not in placements:
            if p.must:
                found.append(Finding("project", f"{pid} must be placed and is not"))
            continue
        a, start = placements[pid]
        if a not in spec.areas or p.sector not in spec.areas[a].allowed or not p.sites.has_area(a):
            found.append(Finding("project", f"{pid} placed in {a}, which its sites or sector rule out"))
        first = p.year if p.year is not None else spec.years[0]
        if start is not None and first is not None and start < first:
            found.append(Finding("project", f"{pid} starts in {start}, before its year {first}"))
    for a, area in spec.areas.items():  # exits: only areas that may; required ones do; nothing comes to them
        if a in exits and area.exit is None:
            found.append(Finding("exit", f"{a} exits but may not"))
        if area.exit == "required" and a not in exits:
            found.append(Finding("exit", f"{a} must exit and does not"))
        if a in exits:
            land = rc.land_total(area=a)
            if land > ABS_TOL:
                found.append(Finding("exit", f"{a} exits but gets {land:.10g} of new land"))
    for (a, f, s_, y), v in renewal.items():
        if v < -ABS_TOL:
            found.append(Finding("renewal", f"r({a},{f}->{s_},{y}) = {v:g}"))
        if f not in spec.areas[a].renewal or s_ == f or s_ not in rc.allowed[a]:
            found.append(Finding("renewal", f"r({a},{f}->{s_},{y}) = {v:g} is not a renewal the area allows"))
        if a in exits and v > ABS_TOL:
            found.append(Finding("renewal", f"{a} exits but renews {v:.10g} of {f}"))
    for a, area in spec.areas.items():
        for f, allowance in area.renewal.items():
            done = sum(v for (a_, f_, _, _), v in renewal.items() if a_ == a and f_ == f)
            values[("renewal", a, (("sector", f),), None)] = (done, 0.0, done)
            checked += 1
            if done > allowance + _tol(allowance):
                found.append(Finding("renewal", f"{a}: {done:.10g} mu of {f} renewed, above its {allowance:g}"))
    for s_id, sec in spec.sectors.items():
        if sec.projects_only:
            for (a, s_, y), v in alloc.items():
                if s_ == s_id and abs(v) > ABS_TOL:
                    found.append(Finding("projects only", f"x({a},{s_},{y}) = {v:g} but {s_} takes projects only"))

    def bound(key: tuple, default: float) -> float:
        return ov.get(key, default)

    def hard(what: str, value: float, lo: float | None, hi: float | None, scale: float) -> None:
        nonlocal checked
        checked += 1
        if lo is not None and value < lo - _tol(lo, scale):
            found.append(Finding(what, f"{value:.10g} < min {lo:.10g}"))
        if hi is not None and value > hi + _tol(hi, scale):
            found.append(Finding(what, f"{value:.10g} > max {hi:.10g}"))

    for r in spec.resources.values():
        flow = r.accounting == "flow"
        rho = spec.reclaim.get(r.id, 0.0)
        back = rho * sum(spec.areas[a].existing.get(r.id, 0.0) for a in exits)
        for t, y in enumerate(spec.years):
            used = r.offset * rc.metric(r.id, [], y, flow, False)
            if r.id != "land":  # renewal: the new use (ramped in a level), less what `reclaim` returns of the old
                for (a, f, s_, g), v in renewal.items():
                    tg = list(spec.years).index(g)
                    if (tg != t) if flow else (tg > t):
                        continue
                    share = 1.0 if flow else _ramp_share(spec.sectors[s_].ramp, y, g)
                    used += v * (r.offset * _coef(spec, a, s_, r.id) * share - rho * _avg(spec, a, f, r.id))
            plus = back if (not flow or t == 0) else 0.0
            values[("budget", r.id, (), y)] = (used, 0.0, used)
            hard(f"budget {r.id} {y or ''}".strip(), used, None,
                 bound(("budget", r.id, (), y, "max"), r.budget[y]) + plus, used)
    for a, area in spec.areas.items():
        land = rc.land_total(area=a)
        for kind, v, side in (("capacity", area.capacity, "max"), ("area_max_land", area.max_land, "max"),
                              ("area_min_land", area.min_land, "min")):
            if v is not None:
                b = bound((kind, a, (), None, side), v)
                values[(kind, a, (), None)] = (land, 0.0, land)
                hard(f"{kind} {a}", land, b if side == "min" else None, b if side == "max" else None, land)
    for s, sec in spec.sectors.items():
        land = rc.land_total(sector=s)
        for kind, v, side in (("sector_max_land", sec.max_land, "max"), ("sector_min_land", sec.min_land, "min")):
            if v is not None:
                b = bound((kind, s, (), None, side), v)
                values[(kind, s, (), None)] = (land, 0.0, land)
                hard(f"{kind} {s}", land, b if side == "min" else None, b if side == "max" else None, land)

    penalty_total = 0.0
    for rule in spec.rules:
        if rule.kind == "count":
            for gkey, gsel in _groups(spec, rule):
                count, n = _count(spec, rc, rule, gsel)
                lo, hi = _count_bounds(rule, n)
                viol = 0.0
                for side, b0 in (("min", lo), ("max", hi)):
                    if b0 is None:
                        continue
                    b = bound(("rule", rule.id, gkey, None, side), b0)
                    v = max(0.0, (b - count) if side == "min" else (count - b))
                    checked += 1
                    if rule.soft:
                        viol = max(viol, v)
                        penalty_total += rule.penalty * v  # type: ignore[operator]
                    elif v > 1e-6:
                        found.append(Finding(f"rule {rule.id} {dict(gkey)}", f"{side} {b:g}: counted {count:g}"))
                values[("rule", rule.id, gkey, None)] = (float(count), viol, max(1.0, float(count)))
            if rule.what == "sectors":
                for a, s_ in _count_pairs(spec, rule):
                    land = rc.land_total(area=a, sector=s_) if True else 0.0
                    least = max((r.at_least or 1.0) for r in spec.rules if r.kind == "count" and r.what == "sectors"
                                and r.where.has_area(a) and r.where.has_sector(s_))
                    if land > _tol(land) and land < least - _tol(least):
                        found.append(Finding(f"rule {rule.id} ({a}, {s_})",
                                             f"gets {land:.10g}, neither none nor at least {least:g}"))
            continue
        years = rule.where.years if rule.where.years is not None else spec.years
        years = list(years)
        for gkey, gsel in _groups(spec, rule):
            for y, (num, den) in zip(years, _measure_years(rc, rule, gsel, years), strict=True):
                viol = 0.0
                row_scale = abs(num)
                for side, bounds in (("min", rule.lo), ("max", rule.hi)):
                    if bounds is None:
                        continue
                    b = bound(("rule", rule.id, gkey, y, side), bounds[y])
                    ref = b * den if den is not None else b
                    lin = (ref - num) if side == "min" else (num - ref)
                    scale = max(abs(num), abs(ref))
                    row_scale = max(row_scale, scale)
                    v = max(0.0, lin)
                    if v <= _tol(scale):
                        v = 0.0  # within the solver's feasibility tolerance
                    if rule.soft:
                        viol = max(viol, v)
                        penalty_total += rule.penalty * v  # type: ignore[operator]
                        checked += 1
                    elif v > _tol(scale):
                        checked += 1
                        found.append(Finding(f"rule {rule.id} {dict(gkey)} {y or ''}".rstrip(),
                                             f"{side} {b:.10g}: achieved {num:.10g}"
                                             + (f" / {den:.10g}" if den is not None else "")))
                    else:
                        checked += 1
                value = (num / den if den else float("nan")) if den is not None else num
                values[("rule", rule.id, gkey, y)] = (value, viol, row_scale)

    if reported:
        for key, (value, violation) in reported.items():
            if key not in values:
                found.append(Finding("unknown row", f"the result reports {key} which the scenario does not define"))
                continue
            mine, my_viol, scale = values[key]
            if value is not None and mine == mine and abs(value - mine) > _tol(mine, value) * 10:
                found.append(Finding(f"reported value {key}", f"result says {value:.10g}, recomputed {mine:.10g}"))
            if violation is not None and abs(violation - my_viol) > _tol(scale) * 10:
                found.append(Finding(f"reported violation {key}",
                                     f"result says {violation:.10g}, recomputed {my_viol:.10g}"))

    if objective is not None and spec.stages:
        st = spec.stages[0]
        mine = 0.0
        n_years = len(spec.years)
        for a, area in spec.areas.items():
            if not st.where.has_area(a) or st.where.only_projects:  # a `project` key selects those projects alone
                continue
            for s in area.allowed:
                if not st.where.has_sector(s):
                    continue
                ramp = spec.sectors[s].ramp
                for t, y in enumerate(spec.years):
                    counted = [spec.years[-1]] if st.at_final else list(spec.years)[t:]
                    for m, wt in st.weights.items():
                        shares = len(counted) if m == "land" else sum(_ramp_share(ramp, yy, y) for yy in counted)
                        mine += wt * _coef(spec, a, s, m) * shares * alloc.get((a, s, y), 0.0)
        for pid, (a, start) in placements.items():
            p = spec.projects[pid]
            if not (st.where.has_area(a) and st.where.has_sector(p.sector) and st.where.has_project(pid)):
                continue
            ramp = p.ramp if p.ramp is not None else spec.sectors[p.sector].ramp
            t0 = list(spec.years).index(start)  # placed in year t0: like land given that year
            counted = [spec.years[-1]] if st.at_final else list(spec.years)[t0:]
            for m, wt in st.weights.items():
                f = p.land * _project_coef(spec, pid, a, m)
                mine += wt * f * sum(1.0 if m == "land" else _ramp_share(ramp, y, start) for y in counted)
        if (exits or renewal) and not st.where.only_projects:
            counted = [spec.years[-1]] if st.at_final else list(spec.years)
            for m, wt in st.weights.items():
                for y in counted:
                    mine += wt * rc.stock_changes(m, [st.where], y)
        mine = mine - penalty_total if st.sense == "max" else mine + penalty_total
        if abs(mine - objective) > _tol(mine, objective) * 10:
            found.append(Finding("objective", f"result says {objective:.10g}, recomputed {mine:.10g}"))
    return found, checked, values


def allocation_dict(result) -> dict[tuple[str, str, Year], float]:
    """{(area, sector, year): land} of a result (every allowed pair, zeros included)."""
    m = result.model
    X = m.allocation(result.x).tolist()
    out = {}
    for p, (ai, si) in enumerate(zip(m.pair_area.tolist(), m.pair_sector.tolist())):
        a = m.area_ids[ai]
        s = m.sector_ids[si]
        row = X[p]
        for t, y in enumerate(m.years):
            out[(a, s, y)] = float(row[t])
    return out


def placements_of(result) -> tuple[dict[str, tuple[str, Year]], list[Finding]]:
    """{project: (area, start year)} of a result's placed projects, and findings on its yes/no columns: every
    one must be 0 or 1, and a project placed at most once."""
    m = result.model
    spec = result.spec
    out: dict[str, tuple[str, Year]] = {}
    found: list[Finding] = []
    names = list(spec.projects)
    z = m.cols.block("z")
    if not z.size:
        return out, found
    Z = z.of(result.x).reshape(-1, m.T)
    for q in range(Z.shape[0]):
        for t in range(m.T):
            v = float(Z[q, t])
            if min(abs(v), abs(v - 1.0)) > 1e-6:
                found.append(Finding("integrality", f"z(site {q}, year {m.years[t]}) = {v:g}"))
            if v > 0.5:
                pid = names[int(m.site_project[q])]
                if pid in out:
                    found.append(Finding("project", f"{pid} placed twice"))
                out[pid] = (m.area_ids[int(m.site_area[q])], m.years[t])
    return out, found


def exits_of(result) -> tuple[set[str], list[Finding]]:
    """The areas that exit in a result, and findings on its exit columns (each must be 0 or 1)."""
    m = result.model
    e = m.cols.block("e")
    found: list[Finding] = []
    out: set[str] = set()
    if not e.size:
        return out, found
    for a, v in zip(m.exit_areas, e.of(result.x).tolist(), strict=True):
        if min(abs(v), abs(v - 1.0)) > 1e-6:
            found.append(Finding("integrality", f"e({a}) = {v:g}"))
        if v > 0.5:
            out.add(a)
    return out, found


def renewal_of(result) -> dict[tuple[str, str, str, Year], float]:
    """{(area, from sector, to sector, year): mu} of a result's renewal."""
    m = result.model
    if not m.renewal_keys:
        return {}
    R = m.renewal(result.x)
    return {(a, f, s, y): float(R[q, t]) for q, (a, f, s) in enumerate(m.renewal_keys)
            for t, y in enumerate(m.years)}


def check_result(result) -> None:
    """Run the checker on a result; record the outcome in `result.checker`, raise on a bug."""
    if result.x is None:
        result.checker = {"passed": None, "checked": 0, "note": "no allocation to check"}
        return
    overrides = {e.key: e.relaxed for e in (result.diagnosis or [])}
    reported = {}
    for r in result.rows:
        key = (r.kind, r.id, tuple(r.group.items()), r.year)
        violation = r.violation if r.soft else None
        prev = reported.get(key)
        if prev is not None and violation is not None and prev[1] is not None:
            violation = max(violation, prev[1])
        reported[key] = (r.value, violation)
    objective = result.objective if result.status == "optimal" else None
    placements, integrality = placements_of(result)
    exits, exit_int = exits_of(result)
    found, checked, _ = check_allocation(result.spec, allocation_dict(result), overrides, reported, objective,
                                         getattr(result.info, "accuracy", 0.0), placements, exits,
                                         renewal_of(result))
    found = integrality + exit_int + found
    result.checker = {"passed": not found, "checked": checked}
    if found and result.status in ("optimal", "infeasible"):
        lines = [f"  {f.what}: {f.detail}" for f in found[:20]]
        more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
        raise CheckerError(
            "internal error: the independent checker rejected the solution; this is a bug in landopt, "
            "please report it with the scenario file\n" + "\n".join(lines) + more)
    if found:
        result.checker["findings"] = [f"{f.what}: {f.detail}" for f in found[:20]]
