"""The scenario file schema (pydantic v2, `extra="forbid"`).

This checks shape and types only: which keys exist, what kind of value each
holds. Units, cross-references (ids, tags, metrics) and bound checks happen
in `landopt.input.resolve`, which knows the whole scenario. Every field's
`description` is the "expected ..." text of the message a user sees when the
value is wrong, so keep them short and concrete.

Keys added to the contract (see docs/format.md): `scenario.years` forms,
`areas.*.tags`, `areas.*.max_land`, `resources.*.offset`, `metrics.*.factor`,
`rules[].note/source`, `objective.where`, `objective.name`, `expect.checks[].per/flow/rel_tol/name`,
`expect.diagnosis`, `expect.binding`, `variants`, `solve`, and `name_en` beside every `name`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError
from pydantic.functional_validators import PlainValidator


# ------------------------------------------------------------ value types
def _qty(v: Any) -> Any:
    if isinstance(v, bool) or not isinstance(v, (int, float, str)):
        raise PydanticCustomError("quantity", "expected a number or a quantity string")
    return v


def _year_qty(v: Any) -> Any:
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if isinstance(k, bool) or not isinstance(k, (int, str)) or not str(k).lstrip("-").isdigit():
                raise PydanticCustomError("year_map_key", "expected years as keys")
            out[int(k)] = _qty(x)
        return out
    return _qty(v)


def _id_list(v: Any) -> list:
    items = v if isinstance(v, list) else [v]
    out = []
    for x in items:
        if isinstance(x, bool) or not isinstance(x, (str, int)):
            raise PydanticCustomError("id_list", "expected an id or a list of ids")
        out.append(x)
    return out


def _text(v: Any) -> str:
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise PydanticCustomError("text", "expected text")
    return str(v)


def _number(v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise PydanticCustomError("number", "expected a number")
    return float(v)


Qty = Annotated[Any, PlainValidator(_qty)]
YearQty = Annotated[Any, PlainValidator(_year_qty)]
IdList = Annotated[list, PlainValidator(_id_list)]
Text = Annotated[str, PlainValidator(_text)]
Number = Annotated[float, PlainValidator(_number)]

NAME_EN = "the name in English, shown by English reports instead of `name` (text)"
"""The description of every `name_en` key (scenario, resources, metrics, sectors, areas, rules, objective
stages, expect checks)."""

EXPECTED_BY_TYPE = {
    "quantity": "a number or a quantity string such as '1200 亩'",
    "year_map_key": "a number, or a mapping from year to number such as {2021: 100, 2022: 120}",
    "id_list": "an id or a list of ids",
    "text": "text",
    "number": "a number",
}


class Strict(BaseModel):
    """Base of every schema model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# ---------------------------------------------------------------- sections
class ScenarioMeta(Strict):
    name: Text | None = Field(None, description="the scenario's name (text)")
    name_en: Text | None = Field(None, description=NAME_EN)
    region: Text | None = Field(None, description="the region, e.g. 浦江县")
    description: Text | None = Field(None, description="a description (text)")
    years: Any = Field(None, description="a list of years or 'first..last' such as 2021..2025")
    data_year: Any = Field(None, description="the year of the data (shown under tables)")
    source: Text | None = Field(None, description="where the figures come from (text)")


class UnitsSpec(Strict):
    area: Text | None = Field(None, description="an area unit: mu/亩, ha/公顷, km2/平方公里, m2")
    money: Text | None = Field(None, description="a money unit: 元, 万元, 亿元")
    energy: Text | None = Field(None, description="an energy unit: tce/吨标准煤, 万tce, kgce")
    mass: Text | None = Field(None, description="a mass unit: t/吨, kg, 万t")
    count: Text | None = Field(None, description="a count unit: 人, 个")


class ResourceSpec(Strict):
    name: Text | None = Field(None, description="the resource's name (text)")
    name_en: Text | None = Field(None, description=NAME_EN)
    unit: Text | None = Field(None, description="a unit such as mu, tce, t")
    budget: YearQty = Field(None, description="a number, or a mapping from year to number")
    accounting: Literal["flow", "level"] | None = Field(None, description="flow or level")
    offset: Number | None = Field(None, description="an offset ratio >= 1, e.g. 2 for 2:1 offsetting")
    price: Qty | None = Field(None, description="a price per unit of the resource, e.g. '3000 元/tce' or '9.6 万元/亩', for cost reports")
    note: Text | None = Field(None, description="a note (text)")


class MetricSpec(Strict):
    name: Text | None = Field(None, description="the metric's name (text)")
    name_en: Text | None = Field(None, description=NAME_EN)
    unit: Text | None = Field(None, description="a unit such as 万元, 人")
    factor: Number | None = Field(None, description="a factor applied to every per_mu value of this metric "
                                                     "(e.g. 0.7 as a realisation factor)")
    note: Text | None = Field(None, description="a note (text)")


class SectorSpec(Strict):
    name: Text | None = Field(None, description="the sector's name (text)")
    name_en: Text | None = Field(None, description=NAME_EN)
    tags: IdList = Field(default_factory=list, description="a list of tags")
    per_mu: dict[str, Qty] = Field(default_factory=dict, description="a mapping metric -> value per mu")
    max_land: Qty | None = Field(None, description="an area (mu)")
    min_land: Qty | None = Field(None, description="an area (mu)")
    source: Text | None = Field(None, description="the source of the coefficients (text)")
    note: Text | None = Field(None, description="a note (text)")


class ExistingSpec(Strict):
    """Current stock: metric -> total, plus an optional breakdown by sector."""

    model_config = ConfigDict(extra="allow")
    __pydantic_extra__: dict[str, Qty] = Field(init=False)
    by_sector: dict[str, dict[str, Qty]] = Field(default_factory=dict,
                                                 description="a mapping sector -> {metric: value}")


class AreaSpec(Strict):
    name: Text | None = Field(None, description="the area's name (text)")
    name_en: Text | None = Field(None, description=NAME_EN)
    role: Literal["main", "sub", "linked", "outside"] = Field(description="main, sub, linked or outside")
    tags: IdList = Field(default_factory=list, description="a list of tags")
    capacity: Qty | None = Field(None, description="developable new land, e.g. 900 or '0.6 km2'")
    min_land: Qty | None = Field(None, description="an area (mu)")
    max_land: Qty | None = Field(None, description="an area (mu)")
    sectors: IdList | None = Field(None, description="a list of sector ids allowed here")
    existing: ExistingSpec | None = Field(None, description="a mapping metric -> current total")
    per_mu: dict[str, dict[str, Qty]] = Field(default_factory=dict,
                                              description="a mapping sector -> {metric: value per mu}")
    planned_area: Qty | None = Field(None, description="the planned area after integration, e.g. '17.24 km2'")
    note: Text | None = Field(None, description="a note (text)")


class Selector(Strict):
    area: IdList | None = Field(None, description="an area id or a list of them")
    role: IdList | None = Field(None, description="main, sub, linked, outside, or a list of them")
    area_tag: IdList | None = Field(None, description="an area tag or a list of them")
    sector: IdList | None = Field(None, description="a sector id or a list of them")
    sector_tag: IdList | None = Field(None, description="a sector tag or a list of them")
    year: IdList | None = Field(None, description="a year or a list of years")


class SoftSpec(Strict):
    penalty: Number = Field(description="a penalty per unit of violation (objective units)")


class RuleSpec(Strict):
    id: Text | None = Field(None, description="a unique id (text)")
    name: Text | None = Field(None, description="the rule's name (text)")
    name_en: Text | None = Field(None, description=NAME_EN)
    kind: Literal["cap", "floor", "share", "intensity"] = Field(description="cap, floor, share or intensity")
    metric: Text = Field("land", description="a metric name")
    per: Text | None = Field(None, description="a metric name (intensity denominator)")
    where: Selector | None = Field(None, description="a selector mapping")
    part: Selector | None = Field(None, description="a selector mapping")
    of: Selector | None = Field(None, description="a selector mapping")
    each: IdList | None = Field(None, description="area, sector or year, or a list of them")
    include_existing: bool = Field(False, description="true or false")
    flow: bool = Field(False, description="true or false")
    min: YearQty = Field(None, description="a number, or a mapping from year to number")
    max: YearQty = Field(None, description="a number, or a mapping from year to number")
    growth: Number | None = Field(None, description="a yearly growth rate such as 0.15")
    soft: SoftSpec | None = Field(None, description="a mapping {penalty: P}")
    source: Text | None = Field(None, description="the clause of the plan this rule encodes (text)")
    note: Text | None = Field(None, description="a note (text)")


class StageSpec(Strict):
    maximize: Union[Text, dict[str, Number], None] = Field(None, description="a metric, or metric -> weight")
    minimize: Union[Text, dict[str, Number], None] = Field(None, description="a metric, or metric -> weight")
    tolerance: Number = Field(1e-6, description="a relative tolerance such as 1e-6")
    at: Literal["final"] | None = Field(None, description="final")
    where: Selector | None = Field(None, description="a selector mapping")
    name: Text | None = Field(None, description="the stage's name (text)")
    name_en: Text | None = Field(None, description=NAME_EN)


class ObjectiveExpect(Strict):
    value: Qty = Field(description="a number")
    rel_tol: Number | None = Field(None, description="a relative tolerance")
    abs_tol: Number | None = Field(None, description="an absolute tolerance")


class CheckSpec(Strict):
    name: Text | None = Field(None, description="a label for the check (text)")
    name_en: Text | None = Field(None, description=NAME_EN)
    metric: Text = Field("land", description="a metric name")
    per: Text | None = Field(None, description="a metric name: check the ratio metric/per")
    where: Selector | None = Field(None, description="a selector mapping")
    include_existing: bool = Field(False, description="true or false")
    flow: bool = Field(False, description="true or false")
    min: Qty | None = Field(None, description="a number")
    max: Qty | None = Field(None, description="a number")
    value: Qty | None = Field(None, description="a number")
    abs_tol: Number | None = Field(None, description="an absolute tolerance")
    rel_tol: Number | None = Field(None, description="a relative tolerance")


class DiagnosisExpect(Strict):
    target: Literal["rule", "budget", "min_land"] = Field("rule", description="rule, budget or min_land")
    id: Text = Field(description="the rule or resource id")
    group: dict[str, Any] | None = Field(None, description="a mapping such as {area: core}")
    year: int | None = Field(None, description="a year")
    bound: Literal["min", "max"] | None = Field(None, description="min or max")
    relaxed: Qty | None = Field(None, description="a number")
    rel_tol: Number | None = Field(None, description="a relative tolerance")


class ExpectSpec(Strict):
    status: Literal["optimal", "infeasible", "unbounded"] | None = Field(
        None, description="optimal, infeasible or unbounded")
    objective: Union[ObjectiveExpect, Qty, None] = Field(None, description="a number or {value, rel_tol, abs_tol}")
    checks: list[CheckSpec] = Field(default_factory=list, description="a list of checks")
    diagnosis: list[DiagnosisExpect] | None = Field(None, description="a list of expected diagnosis entries")
    binding: IdList | None = Field(None, description="a list of rule or resource ids expected to bind")


class SolveSpec(Strict):
    solver: Text | None = Field(None, description="a solver name, see `landopt solvers`")
    time_limit: Number | None = Field(None, description="seconds")
    canonical: bool | None = Field(None, description="true or false")


class ScenarioFile(Strict):
    version: Literal[1] = Field(description="1")
    scenario: ScenarioMeta = Field(default_factory=ScenarioMeta, description="a mapping with name, region, years")
    units: UnitsSpec = Field(default_factory=UnitsSpec, description="a mapping such as {area: mu, money: 万元}")
    resources: dict[str, ResourceSpec] = Field(default_factory=dict, description="a mapping id -> resource")
    metrics: dict[str, MetricSpec] = Field(default_factory=dict, description="a mapping id -> metric")
    sectors: dict[str, SectorSpec] = Field(description="a mapping id -> sector")
    areas: dict[str, AreaSpec] = Field(description="a mapping id -> area")
    rules: list[RuleSpec] = Field(default_factory=list, description="a list of rules")
    objective: Union[StageSpec, list[StageSpec]] = Field(description="maximize: or minimize: a metric, or a list")
    expect: ExpectSpec | None = Field(None, description="a mapping with status, objective, checks")
    variants: dict[str, dict[str, Any]] | None = Field(None, description="a mapping name -> overrides")
    solve: SolveSpec | None = Field(None, description="a mapping with solver, time_limit, canonical")
