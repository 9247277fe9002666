"""The scenario file's schema: a small table per section, read in one pass by `landopt.input.validate`.

Design
------
A section (a mapping with fixed keys: an area, a rule, `units:`) is a `Section`: a table from each of
its keys to a `Key`, which says what type of value the key holds, what is expected there in both
languages (`Key.expected`, a `Bi`: the "expected ..." of the message a user reads when the value is
wrong), whether it is required, what it stands for when it is absent (`default`) and, for the keys
where an empty value changes the plan, what leaving it unset means (`unset`, shown in the
`empty_value` warning). The order of a table is the order in which messages list the allowed keys.

A type is a small declarative value, never code that checks:

* `Scalar` for a plain value, named by how it is read: text, a number, a quantity (a number or a
  string with a unit), a quantity or a mapping from year to quantity, one id or a list of ids, a
  yes/no flag, a year, or anything;
* `Word` for one word out of a fixed list (roles, rule kinds, statuses), with the message code used
  when another word is written and the synonyms a planner may write instead (for the did-you-mean);
* `Record` for a nested section, `MapOf` for a mapping from ids (or metric names) to one type,
  `ListOf` for a list, `OneOf` for a value that may take one of several shapes (a metric or a mapping
  of weights).

`landopt.input.validate` walks the data once along these tables, reports each problem where it is
and returns what it read (`Fields`, one attribute per key) to `landopt.input.resolve`, which checks
what needs the whole scenario (ids, units, bounds). The rule section's kind-specific keys and which
of them a kind requires come from the rule kinds' metadata (`landopt.model.rules.KINDS`); the roles
from `landopt.model.spec.ROLES`.

Keys added to the contract (see docs/format.md): `scenario.years` forms,
`areas.*.tags`, `areas.*.max_land`, `resources.*.offset`, `metrics.*.factor`,
`rules[].note/source`, `objective.where`, `objective.name`, `expect.checks[].per/flow/rel_tol/name`,
`expect.diagnosis`, `expect.binding`, `variants`, `solve`, `sweep`, and `name_en` beside every `name`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping, Union

from landopt.i18n.text import Bi
from landopt.model.rules import COMMON_KEYS, KINDS
from landopt.model.rules import KINDS as ALL_KINDS
from landopt.model.spec import ROLES


# ----------------------------------------------------------------- types
@dataclass(frozen=True)
class Scalar:
    """A plain value; `how` names the reader in `landopt.input.validate` (text, number, quantity,
    year_quantity, ids, flag, year, any). `expected` is what a message says where no key says more
    (an entry of `existing`)."""

    how: str
    expected: Bi


@dataclass(frozen=True)
class Word:
    """One of a few fixed words. Another word is reported with `code` (and a did-you-mean among
    `words` and `synonyms` when `suggest`), or as `wrong_type` when `code` is None."""

    words: tuple[Any, ...]
    code: str | None = None
    synonyms: Mapping[str, str] = field(default_factory=dict)
    suggest: bool = False


@dataclass(frozen=True)
class Record:
    """A nested section."""

    section: "Section"


@dataclass(frozen=True)
class MapOf:
    """A mapping from text keys (ids, metric names, variant names) to values of one type."""

    value: "Type"


@dataclass(frozen=True)
class ListOf:
    """A list of values of one type."""

    item: "Type"


@dataclass(frozen=True)
class OneOf:
    """A value of one of several shapes; the first option whose shape (a mapping, a list or a plain
    value) fits the value reads it."""

    options: tuple["Type", ...]


Type = Union[Scalar, Word, Record, MapOf, ListOf, OneOf]

TEXT = Scalar("text", Bi("text", "文本"))
NUMBER = Scalar("number", Bi("a number", "数值"))
QUANTITY = Scalar("quantity", Bi("a number or a quantity string such as '1200 亩'", "数值或带单位的量, 如 '1200 亩'"))
YEAR_QUANTITY = Scalar("year_quantity", Bi("a number, or a mapping from year to number such as {2021: 100, 2022: 120}",
                                           "数值, 或年份到数值的映射, 如 {2021: 100, 2022: 120}"))
IDS = Scalar("ids", Bi("an id or a list of ids", "一个 id 或 id 列表"))
FLAG = Scalar("flag", Bi("true or false", "true 或 false"))
YEAR = Scalar("year", Bi("a whole number", "整数"))
ANY = Scalar("any", Bi("a value", "一个值"))


# --------------------------------------------------------------- sections
FILLED = object()
"""A `Key.default` for a nested section: an absent key reads as the section with every key absent."""


@dataclass(frozen=True)
class Key:
    """One key of a section."""

    type: Type
    expected: Bi
    """What its value must be (the "expected ..." of a message about it, or about a value inside it)."""
    required: bool = False
    default: Any = None
    """Its value when absent: a value, a zero-argument factory (`list`, `dict`), or `FILLED`."""
    unset: Bi | None = None
    """What leaving it empty means for the plan (the `empty_value` warning), when that needs saying."""


@dataclass(frozen=True)
class Section:
    """A mapping with fixed keys; `extra`, when given, is the type of any other key (then no key is
    unknown)."""

    keys: Mapping[str, Key]
    extra: Type | None = None
    kinds: bool = False
    """True for a rule: its `kind` adds required keys (`RuleKind.required`)."""

    @property
    def allowed(self) -> list[str]:
        """The keys, in message order."""
        return list(self.keys)

    @property
    def required(self) -> list[str]:
        """The keys every such section must give."""
        return [k for k, key in self.keys.items() if key.required]


class Fields:
    """What was read from one section: one attribute per key of its table (the key's default when it
    was absent or wrong) and, for a section with `extra` keys, those in `extra`."""

    def __init__(self, values: dict[str, Any], extra: dict[str, Any] | None = None):
        self.__dict__.update(values)
        self.extra = extra if extra is not None else {}

    def __repr__(self) -> str:
        return f"Fields({self.__dict__!r})"


def _section(**keys: Key) -> Section:
    return Section(MappingProxyType(keys))


def text(expected: Bi) -> Key:
    """An optional text key."""
    return Key(TEXT, expected)


NAME_EN = text(Bi("the name in English, shown by English reports instead of `name` (text)",
                  "英文名称, 英文报告用它代替 `name` (文本)"))
"""Every `name_en` key (scenario, resources, metrics, sectors, areas, rules, objective stages, expect checks)."""
NOTE = text(Bi("a note (text)", "备注 (文本)"))
AREA_BOUND = Bi("an area (mu)", "面积 (亩)")
NO_UPPER = Bi(": no upper limit", ": 不设上限")
NO_LOWER = Bi(": no lower limit", ": 不设下限")
WHOLE_ZONE = Bi(": the whole zone is selected", ": 选中全部范围")
NO_STOCK = Bi(": stock does not count", ": 不计存量")
SELECTOR_MAPPING = Bi("a selector mapping", "选择器映射")
METRIC_NAME = Bi("a metric name", "指标名")
RELATIVE_TOLERANCE = Bi("a relative tolerance", "相对容差")
ABSOLUTE_TOLERANCE = Bi("an absolute tolerance", "绝对容差")
YES_NO = Bi("true or false", "true 或 false")
A_NUMBER = Bi("a number", "数值")

ROLE_SYNONYMS = MappingProxyType({
    # words a planner may write for a role (lower case): the did-you-mean offers the role
    "core": "main", "primary": "main", "main_platform": "main", "platform": "main", "主平台": "main",
    "核心区": "main", "sub-area": "sub", "subarea": "sub", "secondary": "sub", "分区": "sub",
    "片区": "sub", "related": "linked", "link": "linked", "关联": "linked", "关联区": "linked",
    "other": "outside", "rest": "outside", "county": "outside", "其他": "outside", "县域": "outside",
})
KIND_SYNONYMS = MappingProxyType({
    # words a planner may write for a rule kind (lower case): the did-you-mean offers the kind
    "ceiling": "cap", "max": "cap", "maximum": "cap", "limit": "cap", "upper": "cap", "ban": "cap",
    "上限": "cap", "限额": "cap", "min": "floor", "minimum": "floor", "lower": "floor",
    "下限": "floor", "ratio": "share", "proportion": "share", "percent": "share", "percentage": "share",
    "fraction": "share", "tilt": "share", "比例": "share", "占比": "share", "倾斜": "share",
    "per_mu": "intensity", "per-mu": "intensity", "density": "intensity", "yield": "intensity",
    "亩均": "intensity", "强度": "intensity",
})
ROLE = Word(tuple(ROLES), "bad_role", ROLE_SYNONYMS, suggest=True)
KIND = Word(tuple(ALL_KINDS), "unknown_rule_kind", KIND_SYNONYMS, suggest=True)

SCENARIO = _section(
    name=text(Bi("the scenario's name (text)", "情景名称 (文本)")),
    name_en=NAME_EN,
    region=text(Bi("the region, e.g. 浦江县", "地区, 如 浦江县")),
    description=text(Bi("a description (text)", "说明 (文本)")),
    years=Key(ANY, Bi("a list of years or 'first..last' such as 2021..2025",
                      "年份列表或 'first..last', 如 2021..2025")),
    data_year=Key(ANY, Bi("the year of the data (shown under tables)", "数据年份 (显示在表格下方)")),
    source=text(Bi("where the figures come from (text)", "数据来源 (文本)")),
    prepared_by=text(Bi("who prepared the plan, shown in the report's header (text)", "编制单位, 显示在报告开头 (文本)")),
    prepared_on=Key(ANY, Bi("when the plan was prepared, e.g. 2026-12-05 (shown in the report's header)",
                            "编制日期, 如 2026-12-05 (显示在报告开头)")),
)
UNITS = _section(
    area=text(Bi("an area unit: mu/亩, ha/公顷, km2/平方公里, m2", "面积单位: mu/亩, ha/公顷, km2/平方公里, m2")),
    money=text(Bi("a money unit: 元, 万元, 亿元", "金额单位: 元, 万元, 亿元")),
    energy=text(Bi("an energy unit: tce/吨标准煤, 万tce, kgce", "能源单位: tce/吨标准煤, 万tce, kgce")),
    mass=text(Bi("a mass unit: t/吨, kg, 万t", "质量单位: t/吨, kg, 万t")),
    count=text(Bi("a count unit: 人, 个", "计数单位: 人, 个")),
)
RESOURCE = _section(
    name=text(Bi("the resource's name (text)", "资源名称 (文本)")),
    name_en=NAME_EN,
    unit=text(Bi("a unit such as mu, tce, t", "单位, 如 mu, tce, t")),
    budget=Key(YEAR_QUANTITY, Bi("a number, or a mapping from year to number", "数值, 或年份到数值的映射")),
    accounting=Key(Word(("flow", "level"), "bad_accounting"), Bi("flow or level", "flow 或 level")),
    offset=Key(NUMBER, Bi("an offset ratio >= 1, e.g. 2 for 2:1 offsetting", "大于等于 1 的替代比例, 如 2:1 替代写 2")),
    price=Key(QUANTITY, Bi("a price per unit of the resource, e.g. '3000 元/tce' or '9.6 万元/亩', for cost reports",
                           "资源单价, 如 '3000 元/tce' 或 '9.6 万元/亩', 用于成本报表")),
    price_basis=Key(Word(("one_off", "annual"), "bad_price_basis", synonyms={"一次性": "one_off", "每年": "annual", "年": "annual"},
                         suggest=True),
                    Bi("one_off (paid once, e.g. a land price) or annual (paid every year, e.g. emission rights "
                       "in 元/吨·年)", "one_off (一次性支付, 如土地价格) 或 annual (按年支付, 如排污权 元/吨·年)")),
    estimate=Key(FLAG, Bi("true when the budget is this plan's estimate, not an issued figure (reports flag it)",
                          "预算为本方案估计值而非下达数时写 true (报告中标注)"), default=False),
    reclaim=Key(NUMBER, Bi("the share of an exited area's use returned to the budget, e.g. 0.5",
                           "退出片区的用量返还预算的比例, 如 0.5"), default=0.0),
    note=NOTE,
)
METRIC = _section(
    name=text(Bi("the metric's name (text)", "指标名称 (文本)")),
    name_en=NAME_EN,
    unit=text(Bi("a unit such as 万元, 人", "单位, 如 万元, 人")),
    factor=Key(NUMBER, Bi("a factor applied to every per_mu value of this metric (e.g. 0.7 as a realisation factor)",
                          "乘到该指标每个 per_mu 值上的系数 (如实现系数 0.7)")),
    note=NOTE,
)
TAGS = Key(IDS, Bi("a list of tags", "标签列表"), default=list)
RAMP = Key(ListOf(NUMBER), Bi("a list of shares of full production by year after the land is given, such as "
                              "[0.3, 0.7, 1.0]", "按用地后年份的达产比例列表, 如 [0.3, 0.7, 1.0]"))
SECTOR = _section(
    name=text(Bi("the sector's name (text)", "行业名称 (文本)")),
    name_en=NAME_EN,
    tags=TAGS,
    per_mu=Key(MapOf(QUANTITY), Bi("a mapping metric -> value per mu", "映射 指标 -> 每亩数值"), default=dict),
    max_land=Key(QUANTITY, AREA_BOUND, unset=NO_UPPER),
    min_land=Key(QUANTITY, AREA_BOUND, unset=NO_LOWER),
    projects_only=Key(FLAG, YES_NO, default=False),
    ramp=RAMP,
    source=text(Bi("the source of the coefficients (text)", "系数来源 (文本)")),
    note=NOTE,
)
EXISTING = Section(MappingProxyType({
    "by_sector": Key(MapOf(MapOf(QUANTITY)), Bi("a mapping sector -> {metric: value}", "映射 行业 -> {指标: 数值}"),
                     default=dict),
}), extra=QUANTITY)
"""Current stock: metric -> total (the `extra` keys), plus an optional breakdown by sector."""
AREA = _section(
    name=text(Bi("the area's name (text)", "片区名称 (文本)")),
    name_en=NAME_EN,
    role=Key(ROLE, Bi("main, sub, linked or outside", "main, sub, linked 或 outside"), required=True),
    tags=TAGS,
    capacity=Key(QUANTITY, Bi("developable new land, e.g. 900 or '0.6 km2'", "可开发新增用地, 如 900 或 '0.6 km2'"),
                 unset=Bi(": the area's new land has no upper limit", ": 该片区新增用地不设上限")),
    min_land=Key(QUANTITY, AREA_BOUND, unset=NO_LOWER),
    max_land=Key(QUANTITY, AREA_BOUND, unset=NO_UPPER),
    sectors=Key(IDS, Bi("a list of sector ids allowed here", "此处允许的行业 id 列表"),
                unset=Bi(": every sector is allowed here", ": 此处允许全部行业")),
    existing=Key(Record(EXISTING), Bi("a mapping metric -> current total", "映射 指标 -> 现状总量")),
    per_mu=Key(MapOf(MapOf(QUANTITY)),
               Bi("a mapping sector -> {metric: value per mu}", "映射 行业 -> {指标: 每亩数值}"), default=dict),
    planned_area=Key(QUANTITY, Bi("the planned area after integration, e.g. '17.24 km2'",
                                  "整合后的规划面积, 如 '17.24 km2'")),
    exit=Key(Word(("candidate", "required")), Bi("candidate or required", "candidate 或 required")),
    renewal=Key(MapOf(QUANTITY), Bi("a mapping sector -> mu of its stock that may be redeveloped",
                                    "映射 行业 -> 可腾退改造的存量亩数"), default=dict),
    note=NOTE,
)
SELECTOR = _section(
    area=Key(IDS, Bi("an area id or a list of them", "片区 id 或其列表")),
    role=Key(IDS, Bi("main, sub, linked, outside, or a list of them", "main, sub, linked, outside 或其列表")),
    area_tag=Key(IDS, Bi("an area tag or a list of them", "片区标签或其列表")),
    sector=Key(IDS, Bi("a sector id or a list of them", "行业 id 或其列表")),
    sector_tag=Key(IDS, Bi("a sector tag or a list of them", "行业标签或其列表")),
    project=Key(IDS, Bi("a project id or a list of them", "项目 id 或其列表")),
    year=Key(IDS, Bi("a year or a list of years", "年份或年份列表")),
)
WHERE = Key(Record(SELECTOR), SELECTOR_MAPPING, unset=WHOLE_ZONE)
SOFT = _section(
    penalty=Key(NUMBER, Bi("a penalty per unit of violation (objective units)", "每单位违反量的罚金 (目标函数单位)"),
                required=True),
)
BOUND = Bi("a number, or a mapping from year to number", "数值, 或年份到数值的映射")
_RULE_KEYS: dict[str, Key] = {
    "id": text(Bi("a unique id (text)", "唯一的 id (文本)")),
    "name": text(Bi("the rule's name (text)", "规则名称 (文本)")),
    "name_en": NAME_EN,
    "kind": Key(KIND, Bi(", ".join(ALL_KINDS), ", ".join(ALL_KINDS)), required=True),
    "metric": Key(TEXT, METRIC_NAME, default="land"),
    "where": WHERE,
    "each": Key(IDS, Bi("area, sector, year, project or area_tag, or a list of them",
                        "area, sector, year, project 或 area_tag, 或其列表")),
    "include_existing": Key(FLAG, YES_NO, default=False, unset=NO_STOCK),
    "flow": Key(FLAG, YES_NO, default=False),
    "min": Key(YEAR_QUANTITY, BOUND, unset=NO_LOWER),
    "max": Key(YEAR_QUANTITY, BOUND, unset=NO_UPPER),
    "growth": Key(NUMBER, Bi("a yearly growth rate such as 0.15", "年增长率, 如 0.15")),
    "soft": Key(Record(SOFT), Bi("a mapping {penalty: P}", "映射 {penalty: P}")),
    "source": text(Bi("the clause of the plan this rule encodes (text)", "本规则对应的规划条文 (文本)")),
    "note": NOTE,
}
assert tuple(_RULE_KEYS) == COMMON_KEYS, "the rule table lists the common keys of landopt.model.rules"
RULE_ORDER = ("id", "name", "name_en", "kind", "what", "metric", "per", "where", "part", "of", "each",
              "include_existing", "flow", "min", "max", "min_share", "max_share", "at_least", "growth", "soft", "source",
              "note")
"""The order in which messages list a rule's keys: the common keys with each kind's own keys among them."""
def _kind_key_type(spec: Any) -> Type:
    """The schema type of a kind's own key (`landopt.model.rules.KeySpec`)."""
    if spec.selector:
        return Record(SELECTOR)
    return {"quantity": QUANTITY, "number": NUMBER}.get(spec.value) or (
        Word(spec.words, "bad_what") if spec.value == "word" else TEXT)


_KIND_KEYS = {spec.name: Key(_kind_key_type(spec), spec.expected)
              for kind in ALL_KINDS.values() for spec in kind.keys}
RULE = Section(MappingProxyType({k: {**_RULE_KEYS, **_KIND_KEYS}[k] for k in RULE_ORDER}), kinds=True)
"""A rule: the keys every kind takes and the keys of each kind (`landopt.model.rules`); which apply to a
rule, and which its kind requires, is checked by `landopt.input.validate` from the rule's `kind`."""
assert set(RULE.keys) == set(COMMON_KEYS) | set(_KIND_KEYS)

SITES = _section(
    area=Key(IDS, Bi("an area id or a list of them", "片区 id 或其列表")),
    role=Key(IDS, Bi("main, sub, linked, outside, or a list of them", "main, sub, linked, outside 或其列表")),
    area_tag=Key(IDS, Bi("an area tag or a list of them", "片区标签或其列表")),
)
PROJECT = _section(
    name=text(Bi("the project's name (text)", "项目名称 (文本)")),
    name_en=NAME_EN,
    sector=Key(TEXT, Bi("the id of the sector its land belongs to", "其用地所属行业的 id"), required=True),
    land=Key(QUANTITY, Bi("its land, all or nothing, e.g. 120 or '8 ha'", "其用地 (全部或不安排), 如 120 或 '8 ha'"),
             required=True),
    per_mu=Key(MapOf(QUANTITY), Bi("a mapping metric -> its own value per mu", "映射 指标 -> 本项目每亩数值"),
               default=dict),
    sites=Key(Record(SITES), Bi("an area selector (area, role, area_tag) of where it may go",
                                "可选址范围的片区选择器 (area, role, area_tag)")),
    year=Key(YEAR, Bi("the earliest year it may start", "最早可开工的年份")),
    must=Key(FLAG, YES_NO, default=False),
    ramp=RAMP,
    source=text(Bi("where its figures come from (text)", "数据来源 (文本)")),
    note=NOTE,
)

WEIGHTS = OneOf((TEXT, MapOf(NUMBER)))
STAGE = _section(
    maximize=Key(WEIGHTS, Bi("a metric, or metric -> weight", "指标, 或 指标 -> 权重")),
    minimize=Key(WEIGHTS, Bi("a metric, or metric -> weight", "指标, 或 指标 -> 权重")),
    tolerance=Key(NUMBER, Bi("a relative tolerance such as 1e-6", "相对容差, 如 1e-6"), default=1e-6),
    at=Key(Word(("final",)), Bi("final", "final")),
    where=WHERE,
    name=text(Bi("the stage's name (text)", "阶段名称 (文本)")),
    name_en=NAME_EN,
)
OBJECTIVE_EXPECT = _section(
    value=Key(QUANTITY, A_NUMBER, required=True),
    rel_tol=Key(NUMBER, RELATIVE_TOLERANCE),
    abs_tol=Key(NUMBER, ABSOLUTE_TOLERANCE),
)
CHECK = _section(
    name=text(Bi("a label for the check (text)", "核查项名称 (文本)")),
    name_en=NAME_EN,
    metric=Key(TEXT, METRIC_NAME, default="land"),
    per=Key(TEXT, Bi("a metric name: check the ratio metric/per", "指标名: 核查 指标/per 的比值")),
    where=WHERE,
    include_existing=Key(FLAG, YES_NO, default=False, unset=NO_STOCK),
    flow=Key(FLAG, YES_NO, default=False),
    min=Key(QUANTITY, A_NUMBER, unset=NO_LOWER),
    max=Key(QUANTITY, A_NUMBER, unset=NO_UPPER),
    value=Key(QUANTITY, A_NUMBER),
    abs_tol=Key(NUMBER, ABSOLUTE_TOLERANCE),
    rel_tol=Key(NUMBER, RELATIVE_TOLERANCE),
)
DIAGNOSIS_EXPECT = _section(
    target=Key(Word(("rule", "budget", "min_land")), Bi("rule, budget or min_land", "rule, budget 或 min_land"),
               default="rule"),
    id=Key(TEXT, Bi("the rule or resource id", "规则或资源的 id"), required=True),
    group=Key(MapOf(ANY), Bi("a mapping such as {area: core}", "映射, 如 {area: core}")),
    year=Key(YEAR, Bi("a year", "年份")),
    bound=Key(Word(("min", "max")), Bi("min or max", "min 或 max")),
    relaxed=Key(QUANTITY, A_NUMBER),
    rel_tol=Key(NUMBER, RELATIVE_TOLERANCE),
)
EXPECT = _section(
    status=Key(Word(("optimal", "infeasible", "unbounded"), "expect_bad_status"),
               Bi("optimal, infeasible or unbounded", "optimal, infeasible 或 unbounded")),
    objective=Key(OneOf((Record(OBJECTIVE_EXPECT), QUANTITY)),
                  Bi("a number or {value, rel_tol, abs_tol}", "数值或 {value, rel_tol, abs_tol}")),
    checks=Key(ListOf(Record(CHECK)), Bi("a list of checks", "核查项列表"), default=list),
    diagnosis=Key(ListOf(Record(DIAGNOSIS_EXPECT)), Bi("a list of expected diagnosis entries", "预期诊断条目列表")),
    binding=Key(IDS, Bi("a list of rule or resource ids expected to bind", "预期取紧的规则或资源 id 列表")),
    placed=Key(IDS, Bi("a list of project ids expected to be placed", "预期落地的项目 id 列表")),
    not_placed=Key(IDS, Bi("a list of project ids expected not to be placed", "预期不落地的项目 id 列表")),
    exits=Key(IDS, Bi("a list of area ids expected to exit", "预期退出的片区 id 列表")),
    stays=Key(IDS, Bi("a list of area ids expected to stay", "预期保留的片区 id 列表")),
)
SOLVE = _section(
    solver=text(Bi("a solver name, see `landopt solvers`", "求解器名称, 见 `landopt solvers`")),
    time_limit=Key(NUMBER, Bi("seconds", "秒数")),
    canonical=Key(FLAG, YES_NO),
    mip_gap=Key(NUMBER, Bi("a relative gap at which a plan with yes/no decisions counts as optimal, e.g. 0.001",
                           "含是/否决策的方案视为最优的相对差距, 如 0.001")),
)
SWEEP = _section(
    vary=Key(MapOf(OneOf((ListOf(ANY), QUANTITY))),
             Bi("a mapping PATH -> a list of values, one value, or a range such as '0.6:0.8:3'",
                "映射 路径 -> 取值列表、单个取值或区间 (如 '0.6:0.8:3')"), default=dict),
    zip=Key(FLAG, YES_NO, default=False),
)
SCENARIO_FILE = _section(
    version=Key(Word((1,), "bad_version"), Bi("1", "1"), required=True),
    scenario=Key(Record(SCENARIO), Bi("a mapping with name, region, years", "含 name, region, years 的映射"),
                 default=FILLED),
    units=Key(Record(UNITS), Bi("a mapping such as {area: mu, money: 万元}", "映射, 如 {area: mu, money: 万元}"),
              default=FILLED),
    resources=Key(MapOf(Record(RESOURCE)), Bi("a mapping id -> resource", "映射 id -> 资源"), default=dict),
    metrics=Key(MapOf(Record(METRIC)), Bi("a mapping id -> metric", "映射 id -> 指标"), default=dict),
    sectors=Key(MapOf(Record(SECTOR)), Bi("a mapping id -> sector", "映射 id -> 行业"), required=True),
    areas=Key(MapOf(Record(AREA)), Bi("a mapping id -> area", "映射 id -> 片区"), required=True),
    projects=Key(MapOf(Record(PROJECT)), Bi("a mapping id -> candidate project", "映射 id -> 候选项目"),
                 default=dict),
    rules=Key(ListOf(Record(RULE)), Bi("a list of rules", "规则列表"), default=list),
    objective=Key(OneOf((Record(STAGE), ListOf(Record(STAGE)))),
                  Bi("maximize: or minimize: a metric, or a list", "maximize: 或 minimize: 加指标, 或其列表"),
                  required=True),
    expect=Key(Record(EXPECT), Bi("a mapping with status, objective, checks", "含 status, objective, checks 的映射")),
    variants=Key(MapOf(MapOf(ANY)), Bi("a mapping name -> overrides", "映射 名称 -> 覆盖项")),
    solve=Key(Record(SOLVE),
              Bi("a mapping with solver, time_limit, canonical", "含 solver, time_limit, canonical 的映射")),
    sweep=Key(Record(SWEEP), Bi("a mapping with vary and zip", "含 vary 与 zip 的映射")),
)
"""A whole scenario file (after `extends`, variants and ``--set``)."""
ROOT = Key(Record(SCENARIO_FILE), Bi("a mapping", "映射"), required=True)
"""The file itself: a mapping of the sections above."""

ID_MAPS = {"areas": "area", "sectors": "sector", "resources": "resource", "metrics": "metric", "projects": "project"}
"""Top-level mappings keyed by ids, and the kind of id each holds (a null under them deletes an id)."""


def sections() -> dict[str, Section]:
    """Every section of the schema by its place ('areas.*', 'rules[]', ...), for tests and docs."""
    out: dict[str, Section] = {}

    def visit(t: Type, where: str) -> None:
        if isinstance(t, Record) and where not in out:
            out[where] = t.section
            for k, key in t.section.keys.items():
                visit(key.type, f"{where}.{k}" if where else k)
        elif isinstance(t, MapOf):
            visit(t.value, f"{where}.*")
        elif isinstance(t, ListOf):
            visit(t.item, f"{where}[]")
        elif isinstance(t, OneOf):
            for o in t.options:
                visit(o, where)

    visit(ROOT.type, "")
    return out
