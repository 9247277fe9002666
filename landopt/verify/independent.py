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


class Recompute:
    """Plain-Python measurements of an allocation {(area, sector, year): mu}.

    Lookups that every measurement repeats are prepared once (per-mu coefficients by
    area and sector, land given and land held by area, sector and year position, each
    area's allowed sectors as a set, land given by area and by sector), so a measurement
    walks only the pairs its selection can match, and its work grows with the pairs it
    sums, not with the whole scenario; the sums still run in area and sector order, as
    plain loops.
    """

    def __init__(self, spec: Spec, alloc: dict[tuple[str, str, Year], float]):
        self.spec = spec
        self.years = list(spec.years)
        self.alloc = alloc
        self.level: dict[tuple[str, str, Year], float] = {}
        # the same numbers by area, sector and year position, for the measurement loops
        self._year_pos = {y: t for t, y in enumerate(self.years)}
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

    def metric(self, m: str, sels: list[Selector], y: Year, flow: bool, stock: bool) -> float:
        """Metric m over the pairs every selector in `sels` matches, in year y."""
        total = 0.0
        t = self._year_pos.get(y)
        if t is None:  # a year the scenario does not have: look pairs up one by one
            return self._metric_by_key(m, sels, y, flow, stock)
        src = self._flow_by if flow else self._level_by
        coefs = self.coefs(m)
        by_sector = any(sel.sectors is not None for sel in sels)
        if by_sector:
            sectors = [s for s in self._candidates(self.spec.sectors, self._sector_pos, [sel.sectors for sel in sels])
                       if all(sel.has_sector(s) for sel in sels)]  # sector order
            sector_set = set(sectors)
        else:  # no sector key: every sector matches
            sectors, sector_set = self._all_sectors, self._all_sector_set
        by_area = any(sel.areas is not None for sel in sels)
        for a in self._candidates(self.spec.areas, self._area_pos, [sel.areas for sel in sels]):
            if by_area and not all(sel.has_area(a) for sel in sels):
                continue
            area = self.spec.areas[a]
            ca = coefs[a]
            sa = src[a]
            # the selected allowed sectors, in sector order, from whichever list is shorter
            if not by_sector:
                pairs = area.allowed
            elif len(sectors) < len(area.allowed):
                allowed = self.allowed[a]
                pairs = [s for s in sectors if s in allowed]
            else:
                pairs = [s for s in area.allowed if s in sector_set]
            for s in pairs:
                total += ca[s] * sa[s][t]
            if stock:
                if by_sector:
                    for s, row in area.by_sector.items():
                        if s in sector_set:
                            total += row.get(m, 0.0)
                else:
                    total += area.existing.get(m, 0.0)
        return total

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
                   if (area is None or a == area) and (sector is None or s == sector))


def _groups(spec: Spec, rule: Rule) -> list[tuple[tuple[tuple[str, str], ...], list[Selector]]]:
    areas: list = [None]
    sectors: list = [None]
    if "area" in rule.each:
        areas = [a for a in spec.areas if rule.where.has_area(a)]
    if "sector" in rule.each:
        sectors = [s for s in spec.sectors if rule.where.has_sector(s)]
    out = []
    for a in areas:
        for s in sectors:
            key: tuple = ()
            extra: list[Selector] = []
            if a is not None:
                key += (("area", a),)
                extra.append(Selector(areas=frozenset([a])))
            if s is not None:
                key += (("sector", s),)
                extra.append(Selector(sectors=frozenset([s])))
            out.append((key, extra))
    return out


def _measure(rc: Recompute, rule: Rule, group: list[Selector], y: Year) -> tuple[float, float | None]:
    """(numerator, denominator or None) of a rule for one group and year."""
    stock = rule.include_existing and not rule.flow
    where = [rule.where] + group
    if rule.kind in ("cap", "floor"):
        return rc.metric(rule.metric, where, y, rule.flow, stock), None
    if rule.kind == "share":
        whole = where + ([rule.of] if rule.of is not None else [])
        part = whole + ([rule.part] if rule.part is not None else [])
        return (rc.metric(rule.metric, part, y, rule.flow, stock),
                rc.metric(rule.metric, whole, y, rule.flow, stock))
    return (rc.metric(rule.metric, where, y, rule.flow, stock),
            rc.metric(rule.per or "land", where, y, rule.flow, stock))


def _tol(*vals: float) -> float:
    return ABS_TOL + REL_TOL * max([1.0] + [abs(v) for v in vals])


def check_allocation(spec: Spec, alloc: dict[tuple[str, str, Year], float], overrides: dict | None = None,
                     reported: dict | None = None, objective: float | None = None, accuracy: float = 0.0
                     ) -> tuple[list[Finding], int, dict]:
    """Check an allocation against every limit and rule of `spec`.

    `overrides` maps bound keys (target, id, group, year, side) to relaxed bounds.
    `reported` maps (kind, id, group, year) -> (value, violation) as the result
    claims them. The relative tolerance is REL_TOL, or the backend's declared `accuracy`
    (`solvers.accuracy`) if larger: an answer is not held to more than its backend promises.
    Returns (findings, number of bounds checked, recomputed values).
    """
    rel = max(REL_TOL, accuracy)

    def _tol(*vals: float) -> float:
        return ABS_TOL + rel * max([1.0] + [abs(v) for v in vals])

    ov = dict(spec.overrides)
    ov.update(overrides or {})
    rc = Recompute(spec, alloc)
    found: list[Finding] = []
    checked = 0
    values: dict[tuple, tuple[float, float, float]] = {}

    for (a, s, y), v in alloc.items():
        if v < -ABS_TOL:
            found.append(Finding("negative allocation", f"x({a},{s},{y}) = {v:g}"))
        if s not in rc.allowed[a] and abs(v) > ABS_TOL:
            found.append(Finding("disallowed pair", f"x({a},{s},{y}) = {v:g} but {s} is not allowed in {a}"))

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
        for y in spec.years:
            used = r.offset * rc.metric(r.id, [], y, r.accounting == "flow", False)
            values[("budget", r.id, (), y)] = (used, 0.0, used)
            hard(f"budget {r.id} {y or ''}".strip(), used, None, bound(("budget", r.id, (), y, "max"), r.budget[y]),
                 used)
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
        years = rule.where.years if rule.where.years is not None else spec.years
        for gkey, gsel in _groups(spec, rule):
            for y in years:
                num, den = _measure(rc, rule, gsel, y)
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
            if not st.where.has_area(a):
                continue
            for s in area.allowed:
                if not st.where.has_sector(s):
                    continue
                w = sum(wt * _coef(spec, a, s, m) for m, wt in st.weights.items())
                for t, y in enumerate(spec.years):
                    mult = 1 if st.at_final else n_years - t
                    mine += w * mult * alloc.get((a, s, y), 0.0)
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
    found, checked, _ = check_allocation(result.spec, allocation_dict(result), overrides, reported, objective,
                                         getattr(result.info, "accuracy", 0.0))
    result.checker = {"passed": not found, "checked": checked}
    if found and result.status in ("optimal", "infeasible"):
        lines = [f"  {f.what}: {f.detail}" for f in found[:20]]
        more = f"\n  ... and {len(found) - 20} more" if len(found) > 20 else ""
        raise CheckerError(
            "internal error: the independent checker rejected the solution; this is a bug in landopt, "
            "please report it with the scenario file\n" + "\n".join(lines) + more)
    if found:
        result.checker["findings"] = [f"{f.what}: {f.detail}" for f in found[:20]]
