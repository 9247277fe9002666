"""Semantic checks and unit conversion: what `landopt.input.validate` read becomes a `Spec`.

Everything that needs the whole scenario happens here: ids and tags named in
selectors must exist, metrics must be defined, quantities are converted into
the scenario's units with their dimension checked, per-year mappings must
cover every year, shares lie in [0, 1], min <= max. Every problem is
collected, with its location, and reported together with the problems the
walk found: it runs on what the walk read even when that had problems (a
wrong value reads as absent, a rule whose kind is wrong is checked for what
does not depend on its kind), and a problem at or above a path where the walk
found one (`Fields.skipped`) is a consequence of that one, not reported again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Callable, Iterator

from landopt.errors import Issue, Mark
from landopt.i18n.messages import closest
from landopt.i18n.text import Bi
from landopt.model.rules import KINDS
from landopt.input.schema import ROLE_SYNONYMS, Fields
from landopt.input.vary import block_problem, block_text, good_path
from landopt.model.spec import (
    Project,
    ROLES, Area, Check, Expect, ExpectedDiagnosis, Metric, Resource, Rule, Sector, Selector, Spec, Stage, Year,
    SweepBlock,
)
from landopt.model.units import (DEFAULT_UNITS, DIM_LABEL, EXAMPLES, MAX_ABS_NUMBER, UNITS, Dim, UnitError,
                                 UnitSystem, normalise, parse_unit, split_quantity)

_YEARS_RANGE = re.compile(r"^\s*(\d{4})\s*\.\.\s*(\d{4})\s*$")


class _Ctx:
    """Collects issues and finds marks for paths."""

    def __init__(self, marks: Mapping[tuple, tuple[Mark, Mark | None]], skipped: frozenset[tuple] = frozenset()):
        self.marks = marks
        self.skipped = skipped
        self.issues: list[Issue] = []

    def mark(self, path: tuple, key: bool = False) -> Mark | None:
        p = path
        while True:
            if p in self.marks:
                vm, km = self.marks[p]
                return (km or vm) if key else vm
            if not p:
                return None
            p = p[:-1]

    def add(self, code: str, path: tuple, at_key: bool = False, severity: str = "error", suggest: str | None = None,
            **params: Any) -> None:
        """Record a problem at `path`, unless it is at or above one the walk found (its consequence)."""
        path = tuple(path)
        if severity == "error" and path in self.skipped:
            return
        params = {k: _dim_words(v) if isinstance(v, Dim) else v for k, v in params.items()}
        self.issues.append(Issue(code, params, path=".".join(map(str, path)), mark=self.mark(path, at_key),
                                 severity=severity, loc=path, suggest=suggest))

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]


def resolve(f: Fields, marks: Mapping[tuple, tuple[Mark, Mark | None]], source: str | None = None,
            solver_issue: Callable[[str], Issue | None] | None = None) -> tuple[Spec | None, list[Issue]]:
    """Resolve what `landopt.input.validate.validate` read. Returns (spec, issues); spec is None when any
    issue is an error (or the walk found one: see the module docstring).

    `solver_issue` judges `solve.solver` (the caller knows the backends; the input stage imports no solver)."""
    ctx = _Ctx(marks, getattr(f, "skipped", frozenset()))
    units = _units(f, ctx)
    years = _years(f, ctx)
    sector_ids = list(f.sectors)

    metrics = _metrics(f, units, ctx)
    resources = _resources(f, units, years, metrics, ctx)
    sectors = {sid: _sector(sid, s, units, metrics, ctx) for sid, s in f.sectors.items()}
    areas = {aid: _area(aid, a, units, metrics, sector_ids, ctx) for aid, a in f.areas.items()}
    if not ctx.errors and not any(a.allowed for a in areas.values()):
        ctx.add("no_allowed_pairs", ("areas",), at_key=True)
    tags = _Tags(areas, sectors, [str(p) for p in (f.projects or {})])
    tags.resources = resources
    projects = _projects(f, units, years, metrics, tags, ctx)
    rules = _rules(f, units, years, metrics, tags, ctx, projects)
    stages = _stages(f, metrics, tags, years, ctx)
    expect = _expect(f, units, metrics, tags, years, rules, ctx)
    _solve_section(f, ctx, solver_issue)
    sweep = _sweep_section(f, ctx)
    if rules:
        _stock_warnings(rules, areas, ctx)
    if not ctx.errors:
        _vacuous_warnings(rules, areas, sectors, metrics, ctx, projects)
        _near_miss_ids(f, areas, sectors, rules, stages, ctx)
    if ctx.errors:
        return None, ctx.issues
    solve = f.solve
    spec = Spec(
        name=f.scenario.name or source or "scenario",
        region=f.scenario.region or "",
        description=f.scenario.description or "",
        units=units,
        years=years,
        metrics=metrics,
        resources=resources,
        sectors=sectors,
        areas=areas,
        rules=rules,
        stages=stages,
        expect=expect,
        solver=solve.solver if solve else None,
        time_limit=solve.time_limit if solve else None,
        canonical=True if solve is None or solve.canonical is None else solve.canonical,
        source=f.scenario.source,
        data_year=None if f.scenario.data_year is None else str(f.scenario.data_year),
        prepared_by=f.scenario.prepared_by,
        prepared_on=None if f.scenario.prepared_on is None else str(f.scenario.prepared_on),
        name_en=f.scenario.name_en,
        projects=projects,
        reclaim={rid: float(r.reclaim or 0.0) for rid, r in f.resources.items() if rid in resources},
        mip_gap=None if solve is None else solve.mip_gap,
        sweep=sweep,
    )
    _exits_bounded(spec, ctx)
    if ctx.errors:
        return None, ctx.issues
    return spec, ctx.issues


# ------------------------------------------------------------------- basics
def _units(f: Fields, ctx: _Ctx) -> UnitSystem:
    names = dict(DEFAULT_UNITS)
    for dim in DEFAULT_UNITS:
        v = getattr(f.units, dim)
        if v is None:
            continue
        try:
            UnitSystem({dim: v})
            names[dim] = v
        except UnitError as e:
            ctx.add(e.code, ("units", dim), **_unit_params(e, v, Dim(dim)))
    return UnitSystem(names)


def _dim_words(d: Dim) -> Bi:
    """A dimension in words: 'money per area' / '金额/面积'."""
    return Bi(d.label("en"), d.label("zh"))


def _unit_params(e: UnitError, raw: Any, dim: Dim | None = None) -> dict:
    """The message parameters of a unit error: the dimensions (what was written, what `dim` expects),
    an example and the known units, in both languages."""
    p = dict(e.params)
    p["raw"] = p.get("raw", raw)
    p.setdefault("unit", raw)
    p.setdefault("metric", "")
    if e.code == "wrong_dimension":
        got = _written_dim(p["raw"])
        p["got"] = _dim_words(got) if got is not None else p.get("got", "")
        p["expected"] = _dim_words(dim) if dim is not None else p.get("expected", "")
        example = EXAMPLES.get(str(dim)) if dim is not None and p.get("example") else None
        p["example"] = Bi(f" (e.g. {example})", f" (如 {example.replace(' or ', ' 或 ')})") if example else ""
    if e.code == "unknown_unit":
        p["known"] = _KNOWN_UNITS
    p.setdefault("known", "")
    p.setdefault("got", "")
    p.setdefault("expected", "")
    return p


def _written_dim(raw: Any) -> Dim | None:
    """The dimension of the unit a quantity string ('80 万元') or a unit name ('万元') is written in, or None."""
    if not isinstance(raw, str):
        return None
    try:
        unit = split_quantity(raw)[1]
    except UnitError:
        unit = raw  # a unit alone, as in `units:`
    try:
        return parse_unit(unit)[0] if unit else None
    except UnitError:
        return None


def _known_units() -> Bi:
    """The unit names grouped by dimension ('area: m2, ...; money: 元, ...'), in both languages."""
    groups: dict[str, list[str]] = {}
    for n, (d, _) in UNITS.items():
        if d != "ratio" or n == "%":
            groups.setdefault(d, []).append(n)
    return Bi("; ".join(f"{d}: {', '.join(ns)}" for d, ns in groups.items()),
              "; ".join(f"{DIM_LABEL['zh'][d]}: {', '.join(ns)}" for d, ns in groups.items()))


_KNOWN_UNITS = _known_units()


def _years(f: Fields, ctx: _Ctx) -> tuple[Year, ...]:
    y = f.scenario.years
    path = ("scenario", "years")
    if y is None:
        return (None,)
    out: list[int] = []
    if isinstance(y, bool):
        out = []
    elif isinstance(y, int):
        out = [y]
    elif isinstance(y, str) and _YEARS_RANGE.match(y):
        m = _YEARS_RANGE.match(y)
        assert m
        a, b = int(m.group(1)), int(m.group(2))
        out = list(range(a, b + 1)) if b >= a else []
    elif isinstance(y, list) and all(isinstance(v, int) and not isinstance(v, bool) for v in y):
        out = list(y)
    ok = bool(out) and all(1900 <= v <= 2200 for v in out) and all(b > a for a, b in zip(out, out[1:]))
    if not ok:
        ctx.add("bad_years", path, got=y)
        return (None,)
    return tuple(out)


def _dim_of_unit(unit: str | None, path: tuple, ctx: _Ctx) -> Dim | None:
    if unit is None:
        return None
    try:
        return parse_unit(unit)[0]
    except UnitError as e:
        ctx.add(e.code, path, **_unit_params(e, unit))
        return None


def _metrics(f: Fields, units: UnitSystem, ctx: _Ctx) -> dict[str, Metric]:
    out: dict[str, Metric] = {"land": Metric("land", "新增用地", Dim("area"), name_en="new land")}
    for rid, r in f.resources.items():
        dim = Dim("area") if rid == "land" and r.unit is None else _dim_of_unit(r.unit, ("resources", rid, "unit"), ctx)
        out[rid] = Metric(rid, r.name or rid, dim, name_en=r.name_en)
    for mid, m in f.metrics.items():
        dim = _dim_of_unit(m.unit, ("metrics", mid, "unit"), ctx)
        if mid in out:
            if dim is not None and out[mid].dim is not None and dim != out[mid].dim:
                ctx.add("wrong_dimension", ("metrics", mid, "unit"), raw=m.unit, got=dim, expected=out[mid].dim)
            out[mid].dim = out[mid].dim or dim
            if m.name:  # the metric's own names replace the resource's (an English name goes with its name)
                out[mid].name, out[mid].name_en = m.name, m.name_en
            elif m.name_en:
                out[mid].name_en = m.name_en
        else:
            out[mid] = Metric(mid, m.name or mid, dim, name_en=m.name_en)
        if m.factor is not None:
            if m.factor < 0:
                ctx.add("negative", ("metrics", mid, "factor"), value=m.factor)
            out[mid].factor = m.factor
    if out["land"].dim != Dim("area"):
        ctx.add("wrong_dimension", ("resources", "land", "unit"), raw=f.resources["land"].unit,
                got=out["land"].dim or "?", expected=Dim("area"))
        out["land"].dim = Dim("area")
    return out


def _qty(value: Any, dim: Dim | None, path: tuple, units: UnitSystem, ctx: _Ctx, *,
         nonneg: bool = True, metric: str = "") -> float | None:
    """Convert one quantity; record an issue and return None when it is bad."""
    try:
        v = units.convert(value, dim)
    except UnitError as e:
        p = _unit_params(e, value, dim)
        p["metric"] = metric
        ctx.add(e.code, path, **p)
        return None
    if nonneg and v < 0:
        ctx.add("negative", path, value=v)
        return None
    return v


def _per_year(value: Any, dim: Dim | None, path: tuple, units: UnitSystem, years: tuple[Year, ...],
              ctx: _Ctx, *, nonneg: bool = True, metric: str = "") -> dict[Year, float] | None:
    """A number (every year) or a mapping year -> number covering every year."""
    if isinstance(value, dict):
        if years == (None,):
            ctx.add("year_map_single", path)
            return None
        out: dict[Year, float] = {}
        for y, v in value.items():
            if y not in years:
                ctx.add("year_unknown", path + (y,), at_key=True, got=y, known=", ".join(map(str, years)))
                continue
            q = _qty(v, dim, path + (y,), units, ctx, nonneg=nonneg, metric=metric)
            if q is not None:
                out[y] = q
        missing = [y for y in years if y not in value]
        if missing:
            ctx.add("years_missing", path, missing=", ".join(map(str, missing)),
                    known=", ".join(map(str, years)))
            return None
        return out if len(out) == len(years) else None
    q = _qty(value, dim, path, units, ctx, nonneg=nonneg, metric=metric)
    return None if q is None else {y: q for y in years}


def _resources(f: Fields, units: UnitSystem, years: tuple[Year, ...], metrics: dict[str, Metric],
               ctx: _Ctx) -> dict[str, Resource]:
    out = {}
    for rid, r in f.resources.items():
        path = ("resources", rid)
        if r.budget is None:
            ctx.add("resource_no_budget", path, at_key=True, rid=rid)
            continue
        budget = _per_year(r.budget, metrics[rid].dim, path + ("budget",), units, years, ctx, metric=rid)
        if r.offset is not None and r.offset < 1:
            ctx.add("wrong_type", path + ("offset",), got=repr(r.offset),
                    expected=Bi("an offset ratio >= 1", "大于等于 1 的替代比例"))
        price = None
        if r.price is not None:
            price = _qty(r.price, Dim("money", metrics[rid].dim.num), path + ("price",), units, ctx)
        if budget is None:
            continue
        acc = r.accounting or ("flow" if rid == "land" else "level")
        out[rid] = Resource(rid, r.name or rid, budget, acc, r.offset or 1.0, price, name_en=r.name_en,
                            price_basis=r.price_basis, estimate=bool(r.estimate))
        if r.reclaim is not None and r.reclaim < 0:
            ctx.add("negative", path + ("reclaim",), value=r.reclaim)
    return out


def _per_mu_table(table: dict[str, Any], path: tuple, units: UnitSystem, metrics: dict[str, Metric],
                  ctx: _Ctx) -> dict[str, float]:
    out = {}
    for m, v in table.items():
        if m == "land":
            ctx.add("land_in_per_mu", path + (m,), at_key=True)
            continue
        if not _metric_key(m, path + (m,), metrics, ctx):
            continue
        dim = metrics[m].dim
        q = _qty(v, Dim(dim.num, "area") if dim is not None and dim.den is None else None, path + (m,), units, ctx,
                 metric=m)
        if q is not None:
            out[m] = q
    return out


def _sector(sid: str, s: Any, units: UnitSystem, metrics: dict[str, Metric], ctx: _Ctx) -> Sector:
    path = ("sectors", sid)
    per_mu = _per_mu_table(s.per_mu, path + ("per_mu",), units, metrics, ctx)
    mx = None if s.max_land is None else _qty(s.max_land, Dim("area"), path + ("max_land",), units, ctx)
    mn = None if s.min_land is None else _qty(s.min_land, Dim("area"), path + ("min_land",), units, ctx)
    if mx is not None and mn is not None and mn > mx:
        ctx.add("min_above_max", path + ("min_land",), lo=mn, hi=mx)
    ramp = _ramp(s.ramp, path + ("ramp",), ctx)
    return Sector(sid, s.name or sid, tuple(map(str, s.tags)), per_mu, mx, mn, s.source, name_en=s.name_en,
                  projects_only=bool(s.projects_only), ramp=ramp or (1.0,))


def _ramp(value: Any, path: tuple, ctx: _Ctx) -> tuple[float, ...] | None:
    """A ramp to full production: a non-empty list of numbers >= 0 (values above 1 allowed)."""
    if value is None:
        return None
    if not value or any(v is None or v < 0 for v in value):
        ctx.add("bad_ramp", path, got=repr(value))
        return None
    return tuple(float(v) for v in value)


def _area(aid: str, a: Any, units: UnitSystem, metrics: dict[str, Metric], sector_ids: list[str],
          ctx: _Ctx) -> Area:
    path = ("areas", aid)
    area_dim = Dim("area")
    if a.sectors is None:
        allowed = tuple(sector_ids)
    else:
        names = [str(x) for x in a.sectors]
        for i, s in enumerate(names):
            if s not in sector_ids:
                ctx.add("unknown_id", path + ("sectors", i), what="sector", got=s, known=", ".join(sector_ids),
                        suggest=closest(s, sector_ids))
        allowed = tuple(s for s in sector_ids if s in names)
    cap = None if a.capacity is None else _qty(a.capacity, area_dim, path + ("capacity",), units, ctx)
    mn = None if a.min_land is None else _qty(a.min_land, area_dim, path + ("min_land",), units, ctx)
    mx = None if a.max_land is None else _qty(a.max_land, area_dim, path + ("max_land",), units, ctx)
    planned = None if a.planned_area is None else _qty(a.planned_area, area_dim, path + ("planned_area",), units, ctx)
    if cap is not None and mn is not None and mn > cap:
        ctx.add("capacity_below_min", path + ("min_land",), lo=mn, hi=cap)
    existing: dict[str, float] = {}
    by_sector: dict[str, dict[str, float]] = {}
    if a.existing is not None:
        for m, v in a.existing.extra.items():
            if not _metric_key(m, path + ("existing", m), metrics, ctx):
                continue
            q = _qty(v, metrics[m].dim, path + ("existing", m), units, ctx, metric=m)
            if q is not None:
                existing[m] = q
        for s, tab in a.existing.by_sector.items():
            if s not in sector_ids:
                ctx.add("unknown_id", path + ("existing", "by_sector", s), at_key=True, what="sector", got=s,
                        known=", ".join(sector_ids), suggest=closest(s, sector_ids))
                continue
            row = {}
            for m, v in tab.items():
                if not _metric_key(m, path + ("existing", "by_sector", s, m), metrics, ctx):
                    continue
                q = _qty(v, metrics[m].dim, path + ("existing", "by_sector", s, m), units, ctx, metric=m)
                if q is not None:
                    row[m] = q
            by_sector[s] = row
    per_mu: dict[str, dict[str, float]] = {}
    for s, tab in a.per_mu.items():
        if s not in sector_ids:
            ctx.add("unknown_id", path + ("per_mu", s), at_key=True, what="sector", got=s, known=", ".join(sector_ids),
                    suggest=closest(s, sector_ids))
            continue
        if s not in allowed:
            ctx.add("sector_not_allowed", path + ("per_mu", s), at_key=True, sector=s, area=aid,
                    known=", ".join(allowed))
            continue
        per_mu[s] = _per_mu_table(tab, path + ("per_mu", s), units, metrics, ctx)
    renewal: dict[str, float] = {}
    for s, v in (a.renewal or {}).items():
        if s not in sector_ids:
            ctx.add("unknown_id", path + ("renewal", s), at_key=True, what="sector", got=s,
                    known=", ".join(sector_ids), suggest=closest(s, sector_ids))
            continue
        q = _qty(v, area_dim, path + ("renewal", s), units, ctx)
        if q is None:
            continue
        stock = by_sector.get(s, {}).get("land")
        if stock is None or q > stock + 1e-9 * max(1.0, stock):
            ctx.add("renewal_above_stock", path + ("renewal", s), at_key=True, sector=s, area=aid, value=q,
                    stock="—" if stock is None else f"{stock:g}")
            continue
        renewal[s] = q
    return Area(aid, a.name or aid, a.role, tuple(map(str, a.tags)), allowed, cap, mn, mx, existing, by_sector,
                per_mu, planned, name_en=a.name_en, exit=a.exit, renewal=renewal)


# ---------------------------------------------------------------- selectors
class _Tags:
    def __init__(self, areas: dict[str, Area], sectors: dict[str, Sector], projects: list[str] | None = None):
        self.areas = areas
        self.sectors = sectors
        self.projects = projects or []
        self.resources: dict[str, Resource] = {}
        self.area_tags = sorted({t for a in areas.values() for t in a.tags})
        self.sector_tags = sorted({t for s in sectors.values() for t in s.tags})


def _selector(sel: Fields | None, path: tuple, tags: _Tags, years: tuple[Year, ...], ctx: _Ctx,
              allow_year: bool = True) -> Selector:
    if sel is None:
        return Selector()
    raw: list[tuple[str, tuple]] = []
    area_sets: list[set[str]] = []
    sector_sets: list[set[str]] = []

    def check(key: str, values: list, known: list[str], what: str) -> list[str]:
        out = []
        for i, v in enumerate(values):
            sv = str(v)
            if sv not in known:
                p = path + (key, i) if (path + (key, i)) in ctx.marks else path + (key,)
                if key == "role":
                    ctx.add("bad_role", p, got=sv, suggest=closest(sv, list(ROLES), ROLE_SYNONYMS))
                else:
                    ctx.add("unknown_id", p, what=what, got=sv, known=", ".join(known) or _NONE_DECLARED,
                            suggest=closest(sv, known))
            else:
                out.append(sv)
        return out

    if sel.area is not None:
        v = check("area", sel.area, list(tags.areas), "area")
        area_sets.append(set(v))
        raw.append(("area", tuple(v)))
    if sel.role is not None:
        v = check("role", sel.role, list(ROLES), "role")
        area_sets.append({a.id for a in tags.areas.values() if a.role in v})
        raw.append(("role", tuple(v)))
    if sel.area_tag is not None:
        v = check("area_tag", sel.area_tag, tags.area_tags, "area tag")
        area_sets.append({a.id for a in tags.areas.values() if set(a.tags) & set(v)})
        raw.append(("area_tag", tuple(v)))
    if getattr(sel, "sector", None) is not None:
        v = check("sector", sel.sector, list(tags.sectors), "sector")
        sector_sets.append(set(v))
        raw.append(("sector", tuple(v)))
    if getattr(sel, "sector_tag", None) is not None:
        v = check("sector_tag", sel.sector_tag, tags.sector_tags, "sector tag")
        sector_sets.append({s.id for s in tags.sectors.values() if set(s.tags) & set(v)})
        raw.append(("sector_tag", tuple(v)))
    projects = None
    if getattr(sel, "project", None) is not None:
        v = check("project", sel.project, tags.projects, "project")
        projects = frozenset(v)
        raw.append(("project", tuple(v)))
    yrs = None
    if getattr(sel, "year", None) is not None:
        if not allow_year:
            ctx.add("year_selector_place", path + ("year",), at_key=True)
        else:
            ys = []
            for i, y in enumerate(sel.year):
                if not isinstance(y, int) or y not in years:
                    ctx.add("year_unknown", path + ("year",), got=y,
                            known=", ".join(str(x) for x in years if x is not None)
                            or _SINGLE_YEAR)
                else:
                    ys.append(y)
            yrs = tuple(y for y in years if y in ys)
            raw.append(("year", yrs))
    areas = frozenset(set.intersection(*area_sets)) if area_sets else None
    sectors = frozenset(set.intersection(*sector_sets)) if sector_sets else None
    return Selector(areas, sectors, yrs, tuple(raw), projects)


_NONE_DECLARED = Bi("(none declared)", "(未声明任何)")
_SINGLE_YEAR = Bi("(none: a single-year scenario)", "(无: 单年情景)")


def _metric_key(name: str, path: tuple, metrics: dict[str, Metric], ctx: _Ctx) -> bool:
    """A key of a per_mu or existing table must be land, a resource or a metrics: entry: a typo such
    as `enrgy` would otherwise be a new metric that nothing limits (the sector would use no energy)."""
    if name in metrics:
        return True
    known = sorted(metrics)
    ctx.add("unknown_metric_key", path, at_key=True, got=name, known=", ".join(known),
            suggest=closest(name, known))
    return False


def _metric_ref(name: str, path: tuple, metrics: dict[str, Metric], ctx: _Ctx) -> bool:
    if name in metrics:
        return True
    known = sorted(metrics)
    ctx.add("unknown_metric", path, got=name, known=", ".join(known), suggest=closest(name, known))
    return False


# ----------------------------------------------------------------- projects
def _projects(f: Fields, units: UnitSystem, years: tuple[Year, ...], metrics: dict[str, Metric], tags: _Tags,
              ctx: _Ctx) -> dict[str, Project]:
    """Candidate projects: a sector the scenario declares, its land, its own per-mu figures (not `land`), the areas
    it may go to (area keys only), its earliest year (a year of a multi-year scenario), `must`, its ramp."""
    out: dict[str, Project] = {}
    for pid, p in (f.projects or {}).items():
        if p is None:
            continue
        path = ("projects", pid)
        if p.sector is None:
            continue  # the walk reported the missing key
        if p.sector not in tags.sectors:
            known = list(tags.sectors)
            ctx.add("unknown_id", path + ("sector",), what="sector", got=p.sector, known=", ".join(known),
                    suggest=closest(str(p.sector), known))
            continue
        land = None if p.land is None else _qty(p.land, Dim("area"), path + ("land",), units, ctx)
        if land is None:
            continue
        if land <= 0:
            ctx.add("project_land", path + ("land",), value=land)
            continue
        per_mu = _per_mu_table(p.per_mu, path + ("per_mu",), units, metrics, ctx)
        sites = _selector(p.sites, path + ("sites",), tags, years, ctx, allow_year=False)
        year: Year = None
        if p.year is not None:
            if years == (None,):
                ctx.add("project_year_single", path + ("year",), got=p.year)
                continue
            if p.year > years[-1]:  # a year between or before the scenario's years is an earliest start
                ctx.add("project_year_late", path + ("year",), got=p.year, last=years[-1])
                continue
            year = p.year
        elif years != (None,):
            year = years[0]
        eligible = [a.id for a in tags.areas.values() if sites.has_area(a.id) and p.sector in a.allowed]
        if p.must and not eligible:
            ctx.add("project_no_site", path + ("must",), at_key=True, project=pid, sector=p.sector)
            continue
        ramp = _ramp(p.ramp, path + ("ramp",), ctx)
        out[str(pid)] = Project(str(pid), p.name or str(pid), p.sector, land, per_mu, sites, year, bool(p.must),
                                ramp, name_en=p.name_en)
    return out


def _exits_bounded(spec: Spec, ctx: _Ctx) -> None:
    """An area that may exit needs a finite bound on its new land (the big-M of its link): its capacity or
    max_land, a land budget, or a max_land on every sector it allows."""
    if "land" in spec.resources:
        return
    for a in spec.areas.values():
        if a.exit is None or a.capacity is not None or a.max_land is not None:
            continue
        if all(spec.sectors[s].max_land is not None for s in a.allowed):
            continue
        ctx.add("exit_unbounded", ("areas", a.id, "exit"), at_key=True, area=a.id)


# -------------------------------------------------------------------- rules
EACH = ("area", "sector", "year", "project", "area_tag")
"""What a rule's `each` may name."""


def _rules(f: Fields, units: UnitSystem, years: tuple[Year, ...], metrics: dict[str, Metric], tags: _Tags,
           ctx: _Ctx, projects: dict[str, Project] | None = None) -> list[Rule]:
    out: list[Rule] = []
    seen: dict[str, int] = {}
    first_year = years[0]
    for i, r in enumerate(f.rules):
        if r is None:  # not a mapping: the walk reported it
            continue
        path = ("rules", i)
        rid = _rule_id(r, i)
        if rid in seen:
            ctx.add("duplicate_rule_id", path + ("id",), got=rid, other=seen[rid] + 1)
        seen.setdefault(rid, i)
        kind = KINDS.get(r.kind)  # None: a wrong or missing kind (reported); what depends on it is not checked
        ok = _metric_ref(r.metric, path + ("metric",), metrics, ctx)
        per = None
        if kind is not None and kind.key("per") is not None:
            per = r.per or kind.defaults.get("per", "land")
            ok = _metric_ref(per, path + ("per",), metrics, ctx) and ok
        each = []
        for j, e in enumerate(r.each or []):
            if e not in EACH:
                ctx.add("bad_each", path + ("each",), got=e)
            elif e not in each:
                each.append(e)
        where = _selector(r.where, path + ("where",), tags, years, ctx)
        if r.kind == "count":
            rule = _count_rule(r, i, rid, where, each, path, units, tags, ctx)
            if rule is not None:
                out.append(rule)
            continue
        if r.growth is not None and r.growth <= -1:
            ctx.add("wrong_type", path + ("growth",), got=repr(r.growth),
                    expected=Bi("a growth rate above -1, e.g. 0.15", "大于 -1 的增长率, 如 0.15"))
        elif r.growth is not None and r.growth > 1:  # `growth: 15` meant as 15% is 1500% a year
            ctx.add("growth_too_large", path + ("growth",), value=r.growth, percent=r.growth * 100,
                    fixed=r.growth / 100)
        if r.soft is not None and r.soft.penalty is not None and r.soft.penalty < 0:
            ctx.add("negative", path + ("soft", "penalty"), value=r.soft.penalty)
        if kind is None:
            _bounds_readable(r, path, ctx)
            continue
        selectors = {k.name: _selector(getattr(r, k.name), path + (k.name,), tags, years, ctx, allow_year=False)
                     for k in kind.keys if k.selector}
        allowed = kind.bounds
        dim = None
        unit = ""
        if ok:
            dim = kind.bound_dim(metrics[r.metric].dim, metrics[per].dim if per else None)
            unit = units.unit_name(dim) if dim is not None and dim != Dim("ratio") else ""
        bounds: dict[str, dict[Year, float] | None] = {}
        for side in ("min", "max"):
            v = getattr(r, side)
            if v is None or side not in allowed:
                bounds[side] = None
                continue
            if isinstance(v, dict) and r.growth is not None:
                ctx.add("growth_with_map", path + (side,))
                bounds[side] = None
                continue
            b = _per_year(v, dim, path + (side,), units, years, ctx, metric=r.metric)
            if b is not None and kind.fraction:
                for y, val in b.items():
                    if not 0.0 <= val <= 1.0:
                        ctx.add("share_range", path + (side,) + ((y,) if isinstance(v, dict) else ()), value=val)
            if b is not None and r.growth is not None and first_year is not None and -1 < r.growth <= 1:
                b = {y: val * (1.0 + r.growth) ** (y - first_year) for y, val in b.items()}  # type: ignore[operator]
                big = [(y, val) for y, val in b.items() if not abs(val) < MAX_ABS_NUMBER]
                if big:
                    ctx.add("bound_overflow", path + (side,), rule=str(rid), year=big[0][0], value=big[0][1])
                    b = None
            bounds[side] = b
        lo, hi = bounds["min"], bounds["max"]
        if lo is not None and hi is not None:
            for y in lo:
                if lo[y] > hi[y] + 1e-12:
                    ctx.add("min_above_max", path + ("min",), lo=lo[y], hi=hi[y])
                    break
        out.append(Rule(
            id=str(rid), name=r.name or str(rid), kind=r.kind, metric=r.metric, per=per, where=where,
            part=selectors.get("part"), of=selectors.get("of"), each=tuple(each), include_existing=r.include_existing, flow=r.flow, lo=lo, hi=hi,
            penalty=None if r.soft is None else r.soft.penalty, index=i, source=r.source, unit=unit,
            written_unit=_written_unit([getattr(r, side) for side in ("min", "max") if bounds[side] is not None]),
            name_en=r.name_en,
        ))
    return out


AT_LEAST_MIN = 0.01
"""The least `at_least` of a count of sectors, in 亩: below it a pair's land is within the solvers' tolerance of none,
so "none or at least at_least" could not be told apart (and 0 would count every pair)."""


def _count_rule(r: Fields, i: int, rid: str, where: Selector, each: list[str], path: tuple, units: UnitSystem,
                tags: _Tags, ctx: _Ctx) -> Rule | None:
    """A count: what it counts, which keys that allows, its bounds in items or as shares, `at_least` in area units."""
    what = r.what
    if what is None:
        return None  # the walk reported the missing key
    if "year" in each:
        ctx.add("count_each", path + ("each",), got="year")
    if "project" in each:
        ctx.add("count_each", path + ("each",), got="project")
    keys = {k for k, _ in where.raw}
    allowed = {"exits": {"area", "role", "area_tag"}, "sectors": {"area", "role", "area_tag", "sector", "sector_tag"},
               "projects": {"area", "role", "area_tag", "sector", "sector_tag", "project"}}[what]
    for k in sorted(keys - allowed):
        ctx.add("count_key_not_for_what", path + ("where", k), at_key=True, key=k, what=what)
    at_least = None
    if r.at_least is not None:
        if what != "sectors":
            ctx.add("count_key_not_for_what", path + ("at_least",), at_key=True, key="at_least", what=what)
        else:
            at_least = _qty(r.at_least, Dim("area"), path + ("at_least",), units, ctx)
            least = units.convert(f"{AT_LEAST_MIN} 亩", Dim("area"))
            if at_least is not None and at_least < least * (1 - 1e-12):
                ctx.add("count_at_least_small", path + ("at_least",), value=r.at_least, least=AT_LEAST_MIN)
                at_least = None
    elif what == "sectors":
        at_least = units.convert("1 亩", Dim("area"))
    bounds: dict[str, dict[Year, float] | None] = {"min": None, "max": None}
    for side in ("min", "max"):
        v = getattr(r, side)
        if v is None:
            continue
        if isinstance(v, dict):
            ctx.add("count_bound", path + (side,), got=repr(v))
            continue
        q = _qty(v, None, path + (side,), units, ctx)
        if q is not None and (q < 0 or q != int(q)):
            ctx.add("count_bound", path + (side,), got=repr(v))
            continue
        if q is not None:
            bounds[side] = {None: float(q)}
    shares: dict[str, float | None] = {}
    for side in ("min_share", "max_share"):
        v = getattr(r, side)
        shares[side] = None
        if v is not None:
            if not 0.0 <= v <= 1.0:
                ctx.add("share_range", path + (side,), value=v)
            else:
                shares[side] = float(v)
    if all(v is None for v in (r.min, r.max, r.min_share, r.max_share)):
        ctx.add("rule_bound_missing", path, at_key=True, rule=rid, kind="count",
                expected=Bi("min, max, min_share or max_share", "min、max、min_share 或 max_share"))
    if what == "sectors":
        _count_pairs_bounded(where, tags, path, ctx)
    return Rule(id=str(rid), name=r.name or str(rid), kind="count", metric="land", per=None, where=where, part=None,
                of=None, each=tuple(each), include_existing=False, flow=False, lo=bounds["min"], hi=bounds["max"],
                penalty=None if r.soft is None else r.soft.penalty, index=i, source=r.source, unit="items",
                name_en=r.name_en, what=what, at_least=at_least, min_share=shares["min_share"],
                max_share=shares["max_share"])


def _count_pairs_bounded(where: Selector, tags: _Tags, path: tuple, ctx: _Ctx) -> None:
    """A count of sectors links each pair's yes/no to its land by a finite bound on that land: the area's capacity or
    max_land, the sector's max_land, or a land budget. A pair without one is bad input, named with the bound to add."""
    land = tags.resources.get("land")
    for a in tags.areas.values():
        if not where.has_area(a.id):
            continue
        for s in a.allowed:
            sec = tags.sectors[s]
            if not where.has_sector(s):
                continue
            if a.capacity is None and a.max_land is None and sec.max_land is None and land is None \
                    and not sec.projects_only:
                ctx.add("count_no_bound", path, at_key=True, area=a.id, sector=s)
                return


def _rule_id(r: Fields, i: int) -> str:
    """A rule's id: its own, or `<kind>-<position>`."""
    return str(r.id) if r.id is not None else f"{r.kind or 'rule'}-{i + 1}"


def _bounds_readable(r: Fields, path: tuple, ctx: _Ctx) -> None:
    """The bounds of a rule whose kind is not known: what they mean depends on the kind, but a bound that is
    no number at all ('eighty', '1,000 亩') is wrong whatever the kind."""
    for side in ("min", "max"):
        v = getattr(r, side)
        for y, q in (v.items() if isinstance(v, dict) else [(None, v)]):
            if isinstance(q, str):
                try:
                    split_quantity(q)
                except UnitError as e:
                    ctx.add(e.code, path + (side,) + ((y,) if y is not None else ()), **_unit_params(e, q))


def _written_unit(values: list[Any]) -> str:
    """The one unit the bounds are written in ('500 万元/亩' -> '万元/亩'), '' for plain numbers or mixed units."""
    found = set()
    for v in values:
        for q in (v.values() if isinstance(v, dict) else (v,)):
            if isinstance(q, str):
                try:
                    unit = split_quantity(q)[1]
                except UnitError:
                    continue
                found.add(normalise(unit).replace(" ", "") if unit else "")
            else:
                found.add("")
    return found.pop() if len(found) == 1 else ""


def _stock_warnings(rules: list[Rule], areas: dict[str, Area], ctx: _Ctx) -> None:
    """Warn when a rule counts stock of a metric that an area with stock does not give."""
    for r in rules:
        if not r.include_existing or not KINDS[r.kind].ratio:
            continue
        pair = KINDS[r.kind].stock_metrics(r)
        for a in areas.values():
            if not r.where.has_area(a.id) or r.where.filters_sectors:
                continue
            have = [m for m in pair if m in a.existing]
            missing = [m for m in pair if m and m not in a.existing]
            if have and missing:
                ctx.add("stock_metric_missing", ("areas", a.id, "existing"), severity="warning", rule=r.id,
                        area=a.id, have=have[0], missing=missing[0])


def _near_miss_ids(f: Fields, areas: dict[str, Area], sectors: dict[str, Sector], rules: list[Rule],
                   stages: list[Stage], ctx: _Ctx) -> None:
    """A resource or sector that nothing uses, named almost like one that is used, is a typo: in a file that
    extends another (or a variant), ``enrgy: {budget: ...}`` would add a resource that limits nothing and
    leave the base's `energy` budget in force. Refused with the did-you-mean; an unused resource with a
    name of its own is only a warning (a pool declared before its coefficients are known)."""
    used: set[str] = set()
    for sec in sectors.values():
        used.update(sec.per_mu)
    for a in areas.values():
        used.update(a.existing)
        for tab in (*a.per_mu.values(), *a.by_sector.values()):
            used.update(tab)
    named = {r.metric for r in rules} | {r.per for r in rules if r.per} | \
        {m for st in stages for m in st.weights}
    for rid in f.resources:
        if rid in used or rid == "land":
            continue
        others = [r for r in f.resources if r != rid and (r in used or r == "land")]
        hint = closest(str(rid), others)
        if hint:
            ctx.add("near_miss_id", ("resources", rid), at_key=True, what="resource", got=rid, suggest=hint)
        elif rid not in named:
            ctx.add("resource_unused", ("resources", rid), at_key=True, severity="warning", rid=rid)
    with_figures = {s for s, sec in sectors.items() if sec.per_mu} | \
        {s for a in areas.values() for s in a.per_mu}
    mentioned = {s for a in f.areas.values() for s in (a.sectors or [])}
    for sid in f.sectors:
        if sid in with_figures or sid in mentioned or f.sectors[sid].name:
            continue  # a land-only sector with a name of its own is deliberate
        hint = closest(str(sid), [s for s in f.sectors if s != sid and s in with_figures])
        if hint:
            ctx.add("near_miss_id", ("sectors", sid), at_key=True, what="sector", got=sid, suggest=hint)


def _vacuous_warnings(rules: list[Rule], areas: dict[str, Area], sectors: dict[str, Sector],
                      metrics: dict[str, Metric], ctx: _Ctx, projects: dict[str, Project] | None = None) -> None:
    """Warn about rules and areas that cannot mean what their writer meant: a selection with no land the
    plan can give (a role no area has, an area that allows no sector), a share whose part is empty, a
    limit on a metric that is zero everywhere it looks. Each is reported, not refused: it may be a
    deliberate placeholder. Placed projects are land the plan can give, with their own figures."""
    for a in areas.values():
        if not a.allowed and a.role == "main":  # elsewhere a deliberate policy (no new industry in town)
            ctx.add("area_no_sectors", ("areas", a.id, "sectors"), at_key=True, severity="warning", area=a.id,
                    role=a.role)
    candidates = list((projects or {}).values())

    def pairs(sel: Selector) -> Iterator[tuple[str, str, Project | None]]:
        """The (area, sector, project or None) contributions that may receive land and that `sel` selects,
        lazily (callers stop at the first that settles their question: at 1e6 nonzeros there are 7,500
        pairs and 350 rules)."""
        if sel.projects is None:
            for a in areas.values():
                if sel.has_area(a.id):
                    for s in a.allowed:
                        if sel.has_sector(s) and not sectors[s].projects_only:
                            yield a.id, s, None
        for p in candidates:
            if sel.has_project(p.id) and sel.has_sector(p.sector):
                for a in areas.values():
                    if p.sites.has_area(a.id) and sel.has_area(a.id) and p.sector in a.allowed:
                        yield a.id, p.sector, p

    def coef(a: str, s: str, p: Project | None, m: str) -> float:
        if m == "land":
            return 1.0
        if p is not None and m in p.per_mu:
            return p.per_mu[m]
        v = areas[a].per_mu.get(s, {}).get(m)
        return sectors[s].per_mu.get(m, 0.0) if v is None else v

    def stock(sel: Selector, m: str | None) -> bool:
        if m is None or sel.projects is not None:  # a `project` key selects no stock
            return False
        for a in areas.values():
            if not sel.has_area(a.id):
                continue
            if sel.filters_sectors:
                if any(sel.has_sector(s) and tab.get(m) for s, tab in a.by_sector.items()):
                    return True
            elif a.existing.get(m):
                return True
        return False

    for r in rules:
        if r.kind == "count":  # counts yes/no outcomes, not a metric
            continue
        path = ("rules", r.index)
        kind = KINDS[r.kind]
        meas = kind.measure(r)
        where = meas.den_sel if meas.den_sel is not None else meas.num_sel  # the whole the rule looks at
        counted = r.include_existing and not r.flow and stock(where, r.metric)
        stock_note = Bi(" and no stock", " 且无存量") if r.include_existing else Bi("", "")
        if not counted and next(pairs(where), None) is None:
            also = Bi(" and of:", " 和 of:") if r.of is not None else Bi("", "")
            ctx.add("rule_selects_nothing", path, at_key=True, severity="warning", rule=r.id, stock=stock_note,
                    also=also)
            continue
        if kind.fraction:
            part = meas.num_sel
            lo = max((v for v in (r.lo or {}).values()), default=0.0)
            if lo > 0 and next(pairs(part), None) is None and not (r.include_existing and stock(part, r.metric)):
                ctx.add("share_part_empty", path + ("part",), at_key=True, severity="warning", rule=r.id, min=lo)
            continue
        upper_or_ratio = kind.bounds == ("max",) or (kind.ratio and not kind.fraction)  # floors are diagnosed
        if upper_or_ratio and r.metric != "land" and not counted \
                and all(coef(a, s, p, r.metric) == 0.0 for a, s, p in pairs(where)):
            ctx.add("metric_zero_in_rule", path + ("metric",), severity="warning", rule=r.id, metric=r.metric,
                    stock=stock_note)


# ---------------------------------------------------------------- objective
def _stages(f: Fields, metrics: dict[str, Metric], tags: _Tags, years: tuple[Year, ...],
            ctx: _Ctx) -> list[Stage]:
    if f.objective is None:  # missing or wrong: the walk reported it
        return []
    specs = f.objective if isinstance(f.objective, list) else [f.objective]
    if not specs:
        ctx.add("objective_empty", ("objective",))
    out = []
    for i, st in enumerate(specs):
        if st is None:  # a stage that is not a mapping
            continue
        path = ("objective", i) if isinstance(f.objective, list) else ("objective",)
        if st.maximize is not None and st.minimize is not None:
            ctx.add("objective_both", path)
            continue
        target = st.maximize if st.maximize is not None else st.minimize
        if target is None or target == {}:
            ctx.add("objective_empty", path)
            continue
        sense = "max" if st.maximize is not None else "min"
        key = "maximize" if sense == "max" else "minimize"
        weights = {target: 1.0} if isinstance(target, str) else dict(target)
        for m in weights:
            _metric_ref(m, path + (key,) + (() if isinstance(target, str) else (m,)), metrics, ctx)
        if st.tolerance < 0:
            ctx.add("negative", path + ("tolerance",), value=st.tolerance)
        where = _selector(st.where, path + ("where",), tags, years, ctx, allow_year=False)
        name = st.name or ("+".join(weights) if len(weights) > 1 else next(iter(weights)))
        out.append(Stage(sense, weights, st.tolerance, st.at == "final", where, name, name_en=st.name_en))
    return out


# ------------------------------------------------------------------- expect
def _tolerances(item: Any, path: tuple, ctx: _Ctx) -> None:
    """A negative `rel_tol` or `abs_tol` would make an expectation fail whatever the result."""
    for key in ("rel_tol", "abs_tol"):
        v = getattr(item, key, None)
        if v is not None and v < 0:
            ctx.add("negative", path + (key,), value=v)


def _expect(f: Fields, units: UnitSystem, metrics: dict[str, Metric], tags: _Tags, years: tuple[Year, ...],
            rules: list[Rule], ctx: _Ctx) -> Expect | None:
    e = f.expect
    if e is None:
        return None
    obj = rel = ab = None
    if e.objective is not None:
        if isinstance(e.objective, Fields):
            if e.objective.value is not None:
                obj = _qty(e.objective.value, None, ("expect", "objective", "value"), units, ctx, nonneg=False)
            rel, ab = e.objective.rel_tol, e.objective.abs_tol
            _tolerances(e.objective, ("expect", "objective"), ctx)
        else:
            obj = _qty(e.objective, None, ("expect", "objective"), units, ctx, nonneg=False)
    checks = []
    for i, c in enumerate(e.checks):
        if c is None:  # not a mapping: the walk reported it
            continue
        path = ("expect", "checks", i)
        ok = _metric_ref(c.metric, path + ("metric",), metrics, ctx)
        if c.per is not None:
            ok = _metric_ref(c.per, path + ("per",), metrics, ctx) and ok
        dim = None
        if ok:
            md = metrics[c.metric].dim
            if c.per is None:
                dim = md
            else:
                pd = metrics[c.per].dim
                dim = Dim(md.num, pd.num) if md and pd and md.den is None and pd.den is None else None
        where = _selector(c.where, path + ("where",), tags, years, ctx)
        vals = {}
        for side in ("min", "max", "value"):
            v = getattr(c, side)
            vals[side] = None if v is None else _qty(v, dim, path + (side,), units, ctx, nonneg=False,
                                                     metric=c.metric)
        _tolerances(c, path, ctx)
        if vals["min"] is not None and vals["max"] is not None and vals["min"] > vals["max"]:
            ctx.add("min_above_max", path + ("min",), lo=vals["min"], hi=vals["max"])
        checks.append(Check(c.name or f"check-{i + 1}", c.metric, c.per, where, c.include_existing, c.flow,
                            vals["min"], vals["max"], vals["value"], c.abs_tol, c.rel_tol, name_en=c.name_en))
    rule_ids = list(dict.fromkeys(_rule_id(r, i) for i, r in enumerate(f.rules) if r is not None))
    rules_whole = all(r is not None for r in f.rules)  # else an id may belong to the rule that is not a mapping
    resource_ids = [str(r) for r in f.resources]
    diag = None
    if e.diagnosis is not None:
        diag = []
        for i, d in enumerate(e.diagnosis):
            if d is None or d.id is None:  # not a mapping, or no id: the walk reported it
                continue
            path = ("expect", "diagnosis", i)
            relaxed = None if d.relaxed is None else _qty(d.relaxed, None, path + ("relaxed",), units, ctx,
                                                          nonneg=False)
            group = None if d.group is None else {str(k): str(v) for k, v in d.group.items()}
            _expected_entry(d, path, rule_ids if rules_whole else None, resource_ids, tags, years, ctx)
            _tolerances(d, path, ctx)
            diag.append(ExpectedDiagnosis(d.target, d.id, group, d.year, d.bound, relaxed, d.rel_tol))
    binding = None
    if e.binding is not None:
        binding = [str(b) for b in e.binding]
        known = rule_ids + [r for r in resource_ids if r not in rule_ids]
        for i, b in enumerate(binding if rules_whole else ()):
            path = ("expect", "binding", i) if ("expect", "binding", i) in ctx.marks else ("expect", "binding")
            _known_id(b, known, "rule or resource", path, ctx)
    lists: dict[str, list[str] | None] = {}
    for key, known, what in (("placed", tags.projects, "project"), ("not_placed", tags.projects, "project"),
                             ("exits", list(tags.areas), "area"), ("stays", list(tags.areas), "area")):
        given = getattr(e, key, None)
        lists[key] = None if given is None else [str(x) for x in given]
        for i, x in enumerate(lists[key] or []):
            p = ("expect", key, i) if ("expect", key, i) in ctx.marks else ("expect", key)
            _known_id(x, known, what, p, ctx)
    return Expect(e.status, obj, rel, ab, checks, diag, binding, placed=lists["placed"],
                  not_placed=lists["not_placed"], exits=lists["exits"], stays=lists["stays"])


def _known_id(got: str, known: list[str], what: str, path: tuple, ctx: _Ctx) -> bool:
    """True when `got` is one of `known`; else record `unknown_id` (with a did-you-mean) at `path`."""
    if got in known:
        return True
    ctx.add("unknown_id", path, what=what, got=got, known=", ".join(known) or _NONE_DECLARED,
            suggest=closest(got, known))
    return False


def _expected_entry(d: Any, path: tuple, rule_ids: list[str] | None, resource_ids: list[str], tags: _Tags,
                    years: tuple[Year, ...], ctx: _Ctx) -> None:
    """An `expect.diagnosis` entry must name a bound the scenario has: its id, group and year (`rule_ids` is
    None when a rule could not be read: then no rule id can be judged)."""
    sid = str(d.id)
    if d.target == "rule" and rule_ids is None:
        pass
    elif d.target == "rule":
        _known_id(sid, rule_ids, "rule", path + ("id",), ctx)
    elif d.target == "budget":
        _known_id(sid, resource_ids, "resource", path + ("id",), ctx)
    else:  # min_land: an area's or a sector's
        owners = [a.id for a in tags.areas.values() if a.min_land is not None] + \
                 [s.id for s in tags.sectors.values() if s.min_land is not None]
        _known_id(sid, owners, "area or sector with min_land", path + ("id",), ctx)
    for k, v in (d.group or {}).items():
        gpath = path + ("group", k)
        if str(k) not in ("area", "sector"):
            ctx.add("unknown_key", gpath, at_key=True, key=str(k), allowed="area, sector",
                    suggest=closest(str(k), ["area", "sector"]))
            continue
        known = list(tags.areas) if k == "area" else list(tags.sectors)
        _known_id(str(v), known, str(k), gpath, ctx)
    if d.year is not None and d.year not in years:
        ctx.add("year_unknown", path + ("year",), got=d.year,
                known=", ".join(str(y) for y in years if y is not None)
                or _SINGLE_YEAR)


def _sweep_section(f: Fields, ctx: _Ctx) -> SweepBlock | None:
    """`sweep:` read: each entry of `vary` as ``--vary`` would take it, located (whether each path exists is
    checked by `landopt sweep`, against the scenario as its options leave it)."""
    block = getattr(f, "sweep", None)
    if block is None:
        return None
    entries = []
    for path, value in (block.vary or {}).items():
        where = ("sweep", "vary", path)
        problem = block_problem(path, value)
        if problem is not None:
            ctx.add("sweep_vary", where, at_key=not good_path(path), problem=problem)
            continue
        mark = ctx.mark(where, True)
        entries.append((path, block_text(value), f"{mark} sweep.vary.{path}" if mark else f"sweep.vary.{path}"))
    return SweepBlock(tuple(entries), bool(block.zip))


def _solve_section(f: Fields, ctx: _Ctx, solver_issue: Callable[[str], Issue | None] | None) -> None:
    if f.solve is not None and f.solve.mip_gap is not None and not 0 <= f.solve.mip_gap < 1:
        ctx.add("wrong_type", ("solve", "mip_gap"), got=repr(f.solve.mip_gap),
                expected=Bi("a relative gap from 0 to 1, e.g. 0.001", "0 到 1 之间的相对差距, 如 0.001"))
    """`solve:` must name a solver landopt knows and a positive time limit."""
    if f.solve is None:
        return
    if f.solve.solver is not None and solver_issue is not None:
        issue = solver_issue(f.solve.solver)
        if issue is not None:
            ctx.add(issue.code, ("solve", "solver"), suggest=issue.suggest, **issue.params)
    t = f.solve.time_limit
    if t is not None and not t > 0:
        ctx.add("bad_time_limit", ("solve", "time_limit"), value=f"{t:g}")
