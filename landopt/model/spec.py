"""The resolved scenario: every id checked, every number in the scenario's units.

`landopt.input.resolve` produces these from a validated file. The model builder
(`landopt.model.build`) and the independent checker (`landopt.verify.independent`) both read
them; neither reads YAML.

Years: a single-year scenario has ``years == (None,)`` and every per-year
mapping is keyed by ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from landopt.model.units import Dim, UnitSystem

Year = int | None
ROLES = ("main", "sub", "linked", "outside")


@dataclass(frozen=True)
class Selector:
    """A resolved selection of (area, sector) pairs and years.

    `areas`/`sectors` are None when no key of that side was given (everything
    matches); `years` is None when no year was given.
    """

    areas: frozenset[str] | None = None
    sectors: frozenset[str] | None = None
    years: tuple[int, ...] | None = None
    raw: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    projects: frozenset[str] | None = None
    """Projects named by the selector's `project` key: then it selects those projects' contributions only
    (no new land `x`, no stock, no renewal). None when the key is absent."""

    @property
    def only_projects(self) -> bool:
        """True when the selector has a `project` key."""
        return self.projects is not None

    def has_project(self, p: str) -> bool:
        """True when project `p`'s contributions are selected (its site and sector are checked apart)."""
        return self.projects is None or p in self.projects

    @property
    def filters_sectors(self) -> bool:
        """True when the selection names sectors or sector tags (then stock counts by sector)."""
        return self.sectors is not None

    def has_area(self, a: str) -> bool:
        """True when area `a` is selected."""
        return self.areas is None or a in self.areas

    def has_sector(self, s: str) -> bool:
        """True when sector `s` is selected."""
        return self.sectors is None or s in self.sectors

    def describe(self) -> str:
        """Compact text such as 'role=main,sub; sector_tag=high_tech' ('all' when empty)."""
        if not self.raw:
            return "all"
        return "; ".join(f"{k}={','.join(map(str, v))}" for k, v in self.raw)

    def intersect(self, other: Selector | None) -> Selector:
        """The selection matching both."""
        if other is None:
            return self
        def both(x: frozenset[str] | None, y: frozenset[str] | None) -> frozenset[str] | None:
            if x is None:
                return y
            if y is None:
                return x
            return x & y
        years = self.years if other.years is None else (
            other.years if self.years is None else tuple(y for y in self.years if y in other.years))
        return Selector(both(self.areas, other.areas), both(self.sectors, other.sectors), years,
                        self.raw + other.raw, both(self.projects, other.projects))


@dataclass
class Metric:
    """A quantity with a name and unit: land, a resource, or another metric."""

    id: str
    name: str
    dim: Dim | None
    factor: float = 1.0
    """Multiplier on per_mu coefficients of new land (e.g. a realisation factor)."""
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""


@dataclass
class Resource:
    """A rationed metric with a budget per year."""

    id: str
    name: str
    budget: dict[Year, float]
    accounting: str  # flow | level
    offset: float = 1.0
    price: float | None = None
    """Price per unit in the scenario's money unit, when given (for cost reports)."""
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""
    price_basis: str | None = None
    """'one_off' or 'annual' (`price_basis`): how the price is paid; None when the file does not say."""
    estimate: bool = False
    """The budget is the plan's estimate, not an issued figure (`estimate: true`): reports flag its value."""


@dataclass
class Sector:
    id: str
    name: str
    tags: tuple[str, ...]
    per_mu: dict[str, float]
    max_land: float | None = None
    min_land: float | None = None
    source: str | None = None
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""
    projects_only: bool = False
    """New land of this sector comes from candidate projects alone (no `x` columns)."""
    ramp: tuple[float, ...] = (1.0,)
    """Share of the per-mu figures new land yields in the year it is given, the year after, ...; the last
    value holds from then on (达产). Default: full production at once."""


@dataclass
class Area:
    id: str
    name: str
    role: str
    tags: tuple[str, ...]
    allowed: tuple[str, ...]
    """Sectors that may receive land here, in sector order."""
    capacity: float | None = None
    min_land: float | None = None
    max_land: float | None = None
    existing: dict[str, float] = field(default_factory=dict)
    by_sector: dict[str, dict[str, float]] = field(default_factory=dict)
    per_mu: dict[str, dict[str, float]] = field(default_factory=dict)
    planned_area: float | None = None
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""
    exit: str | None = None
    """'candidate' (a yes/no decision: the area exits before the first year), 'required', or None (stays)."""
    renewal: dict[str, float] = field(default_factory=dict)
    """Sector -> mu of its stock here that may be redeveloped into another allowed sector (腾笼换鸟)."""


@dataclass
class Project:
    """A candidate investment project (招商项目): all of its land, in one area, from one year on, or not at all."""

    id: str
    name: str
    sector: str
    land: float
    per_mu: dict[str, float]
    """Its own figures per mu (metric -> value); a metric it does not give comes from the area, else the sector."""
    sites: Selector
    """The areas it may go to (area keys only); every area when the file gives no `sites`."""
    year: Year
    """The earliest year it may start (the first year when the file gives none; None in a single-year scenario)."""
    must: bool = False
    """It has to be placed."""
    ramp: tuple[float, ...] | None = None
    """Its own ramp to full production; None follows its sector's."""
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""


@dataclass
class Rule:
    """One rule of the scenario, with bounds per year (growth already applied)."""

    id: str
    name: str
    kind: str
    metric: str
    per: str | None
    where: Selector
    part: Selector | None
    of: Selector | None
    each: tuple[str, ...]
    include_existing: bool
    flow: bool
    lo: dict[Year, float] | None
    hi: dict[Year, float] | None
    penalty: float | None
    index: int
    source: str | None = None
    unit: str = ""
    """Display unit of the bound, e.g. '万元/亩' or '' for a share."""
    written_unit: str = ""
    """The unit the file wrote the bound in, e.g. 'tce/万元' for ``max: "0.6 tce/万元"`` in a scenario
    counting energy in 万tce ('' for plain numbers, or when the years' bounds name different units).
    The bound itself is converted to `unit`; reports show intensities in this unit."""
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""
    what: str | None = None
    """A count rule's items: 'projects', 'sectors' or 'exits' (None for the other kinds)."""
    at_least: float | None = None
    """A count of sectors: the least new land (in the area unit) for a pair to count (default 1 mu)."""
    min_share: float | None = None
    """A count: the least fraction of the items selected (of each group) that must count (rounded up, exactly)."""
    max_share: float | None = None
    """A count: the largest fraction of the items selected (of each group) that may count (rounded down)."""

    @property
    def soft(self) -> bool:
        """True when the rule may be violated at a penalty."""
        return self.penalty is not None


@dataclass
class Stage:
    """One stage of a (possibly lexicographic) objective."""

    sense: str  # max | min
    weights: dict[str, float]
    tolerance: float
    at_final: bool
    where: Selector
    name: str
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""


@dataclass
class Check:
    name: str
    metric: str
    per: str | None
    where: Selector
    include_existing: bool
    flow: bool
    lo: float | None
    hi: float | None
    value: float | None
    abs_tol: float | None
    rel_tol: float | None
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""


@dataclass
class ExpectedDiagnosis:
    target: str
    id: str
    group: dict[str, str] | None
    year: Year
    bound: str | None
    relaxed: float | None
    rel_tol: float | None


@dataclass
class Expect:
    status: str | None
    objective: float | None
    rel_tol: float | None
    abs_tol: float | None
    checks: list[Check]
    diagnosis: list[ExpectedDiagnosis] | None
    binding: list[str] | None
    placed: list[str] | None = None
    """Project ids expected to be placed."""
    not_placed: list[str] | None = None
    """Project ids expected not to be placed."""
    exits: list[str] | None = None
    """Area ids expected to exit."""
    stays: list[str] | None = None
    """Area ids expected to stay."""


@dataclass(frozen=True)
class SweepBlock:
    """The scenario's `sweep:` block: each varied path with its values as ``--vary PATH=...`` writes them and
    where the entry is written (``file:line:col sweep.vary.PATH``), and whether the values are zipped."""

    vary: tuple[tuple[str, str, str], ...]
    zip: bool = False


@dataclass
class Spec:
    """A resolved scenario."""

    name: str
    region: str
    description: str
    units: UnitSystem
    years: tuple[Year, ...]
    metrics: dict[str, Metric]
    resources: dict[str, Resource]
    sectors: dict[str, Sector]
    areas: dict[str, Area]
    rules: list[Rule]
    stages: list[Stage]
    expect: Expect | None
    solver: str | None = None
    time_limit: float | None = None
    canonical: bool = True
    source: str | None = None
    data_year: str | None = None
    prepared_by: str | None = None
    """Who prepared the plan (编制单位), for the report's header."""
    prepared_on: str | None = None
    """When it was prepared (编制日期), as written, for the report's header."""
    name_en: str | None = None
    """The English name (`name_en` in the file), shown by English reports when given."""
    overrides: dict[Any, float] = field(default_factory=dict)
    """Bound overrides applied by a diagnosis: `LimitKey` -> value."""
    projects: dict[str, Project] = field(default_factory=dict)
    """Candidate projects, in file order."""
    reclaim: dict[str, float] = field(default_factory=dict)
    """Resource -> the share of an exited area's (or renewed stock's) use returned to its budget."""
    mip_gap: float | None = None
    """Relative gap at which a mixed-integer plan counts as optimal (`solve.mip_gap`; default 1e-9)."""
    sweep: SweepBlock | None = None
    """The scenario's `sweep:` block (what `landopt sweep` varies when no --vary replaces it)."""

    @property
    def multi_year(self) -> bool:
        """True when the scenario has several years."""
        return self.years != (None,)

    @property
    def has_decisions(self) -> bool:
        """True when the scenario makes yes/no decisions (projects, counts, exits): it is a MILP."""
        return (bool(self.projects) or any(r.kind == "count" for r in self.rules)
                or any(a.exit is not None for a in self.areas.values()))

    def coef(self, area: str, sector: str, metric: str) -> float:
        """Per-mu coefficient of `metric` for new land of `sector` in `area` (realisation factor applied)."""
        if metric == "land":
            return 1.0
        a = self.areas[area]
        v = a.per_mu.get(sector, {}).get(metric)
        if v is None:
            v = self.sectors[sector].per_mu.get(metric, 0.0)
        m = self.metrics.get(metric)
        return v * (m.factor if m else 1.0)

    def project_coef(self, project: str, area: str, metric: str) -> float:
        """What project `project` brings of `metric` in all, placed in `area`: its land times its own per-mu figure
        (realisation factor applied), else the area's coefficient for its sector, else the sector's."""
        p = self.projects[project]
        if metric == "land":
            return p.land
        if metric in p.per_mu:
            m = self.metrics.get(metric)
            return p.land * p.per_mu[metric] * (m.factor if m else 1.0)
        return p.land * self.coef(area, p.sector, metric)

    def unit_of(self, metric: str) -> str:
        """Display unit of a metric in this scenario's units ('' when unknown)."""
        m = self.metrics.get(metric)
        if m is None or m.dim is None:
            return ""
        return self.units.unit_name(m.dim)

    def metric_name(self, metric: str) -> str:
        """Display name of a metric."""
        m = self.metrics.get(metric)
        return m.name if m else metric


# ------------------------------------------------------------------ names a reader sees
class Named(Protocol):
    """Anything a report names: the scenario, a resource, metric, sector, area, rule or objective stage,
    and a result's rows and diagnosis entries (which carry the names of what they limit)."""

    name: str
    name_en: str | None


def display_name(obj: Named, lang: str) -> str:
    """The name a reader of `lang` sees: the scenario's `name_en` in English when it gives one, else `name`
    (always `name` in Chinese). Every name a report shows goes through here."""
    if lang != "zh" and obj.name_en:
        return obj.name_en
    return obj.name


def metric_name(spec: Spec, metric: str, lang: str) -> str:
    """A metric's display name ('税收' / 'tax revenue'); its id when the scenario does not know it."""
    m = spec.metrics.get(metric)
    return display_name(m, lang) if m is not None else metric


def stage_name(spec: Spec, stage: int, lang: str) -> str:
    """The name of objective stage `stage`: its `name` (or in English its `name_en`) when the scenario gives
    one, else the name of its metric."""
    st = spec.stages[stage]
    name = display_name(st, lang)
    if name == st.name == "+".join(st.weights) and len(st.weights) == 1:  # unnamed: resolve used the metric id
        (m, w), = st.weights.items()
        if w == 1:
            name = metric_name(spec, m, lang)
    return name
