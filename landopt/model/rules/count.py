"""count: how many yes/no decisions come out yes, at least `min` and/or at most `max`.

`what: projects` counts the placed projects that `where` selects (area keys match the site, sector
keys the project's sector, `project` the id); `what: sectors` counts the (area, sector) pairs `where`
selects that receive new land (plain new land and projects, all years together): a pair counts when it
gets at least `at_least` (default 1 mu), and a pair under such a rule gets either none or at least that
(a binary ``y`` per pair, linked to its land: ``at_least * y <= L <= M * y``, where ``M`` is the tightest
finite bound on the pair's land); `what: exits` counts the exited areas among those the area keys select.

`min_share` / `max_share` are fractions of the items selected, whether or not each could be counted
(every project the `project` and sector keys select; every allowed pair selected; every area the area
keys select), rounded exactly: up for a minimum (``ceil(0.28 * 25) = 7``), down for a maximum. A count
holds over the whole plan (no years); `soft` puts the slack, in items, on its bound.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import numpy as np

from landopt.i18n.text import Bi
from landopt.model.rules.base import KeySpec, Measure, RuleKind
from landopt.model.spec import Rule

WHAT = ("projects", "sectors", "exits")
MIN, MAX = -1, 1  # the builder's sides


def measure(rule: Rule) -> Measure:
    """What a count selects (its items are counted by `build`, not measured as a metric)."""
    return Measure("land", rule.where)


def share_bound(share: float, n: int, up: bool) -> int:
    """``share * n`` rounded exactly (decimal arithmetic): up for a minimum, down for a maximum."""
    v = Decimal(repr(float(share))) * n
    return int(v.to_integral_value(rounding=ROUND_CEILING if up else ROUND_FLOOR))


def bounds(rule: Rule, n: int) -> tuple[float | None, float | None]:
    """The count's (least, most) for a group of `n` items: the tighter of `min`/`min_share` and of
    `max`/`max_share`."""
    lo = [next(iter(rule.lo.values()))] if rule.lo else []
    hi = [next(iter(rule.hi.values()))] if rule.hi else []
    if rule.min_share is not None:
        lo.append(share_bound(rule.min_share, n, up=True))
    if rule.max_share is not None:
        hi.append(share_bound(rule.max_share, n, up=False))
    return (max(lo) if lo else None), (min(hi) if hi else None)


def build(b: Any, rule: Rule, prefix: tuple[tuple[str, str], ...]) -> None:
    """The rows of one count rule (one per group of `each`), on the builder `b` (`landopt.model.build`)."""
    for key, cols, n in _groups(b, rule):
        k = b.rule_instance(rule, prefix + key, np.asarray(cols, dtype=np.int64))
        lo, hi = bounds(rule, n)
        for side, v in ((MIN, lo), (MAX, hi)):
            if v is not None:
                b.add_row(k, side, float(v), relax=not rule.soft, penalty=rule.penalty)


def _groups(b: Any, rule: Rule) -> list[tuple[tuple[tuple[str, str], ...], list[int], int]]:
    """(group key, the columns counted, the number of items selected) for each group of `each`."""
    where = rule.where
    by_area = "area" in rule.each
    by_sector = "sector" in rule.each
    areas = [a for a in b.area_ids if where.has_area(a)]
    out: list[tuple[tuple[tuple[str, str], ...], list[int], int]] = []
    if rule.what == "projects":
        projects = [p for p in b.spec.projects.values() if where.has_project(p.id) and where.has_sector(p.sector)]
        sectors = [s for s in b.sector_ids if any(p.sector == s for p in projects)] if by_sector else [None]
        for a in (areas if by_area else [None]):
            for s in sectors:
                cols = b.site_columns(lambda p, site, a=a, s=s: (where.has_project(p.id) and where.has_sector(p.sector)
                                                                 and where.has_area(site) and a in (None, site)
                                                                 and s in (None, p.sector)))
                n = sum(1 for p in projects if s in (None, p.sector))
                out.append((_key(a, s), cols, n))
        return out
    if rule.what == "sectors":
        pairs = [(a, s) for a in areas for s in b.spec.areas[a].allowed if where.has_sector(s)]
        for a in (areas if by_area else [None]):
            for s in ([s for s in b.sector_ids if any(p[1] == s for p in pairs)] if by_sector else [None]):
                group = [p for p in pairs if a in (None, p[0]) and s in (None, p[1])]
                out.append((_key(a, s), [b.y_column(*p) for p in group], len(group)))
        return out
    # exits
    for a in (areas if by_area else [None]):
        group = [x for x in areas if a in (None, x)]
        out.append((_key(a, None), [c for x in group if (c := b.exit_column(x)) is not None], len(group)))
    return out


def _key(area: str | None, sector: str | None) -> tuple[tuple[str, str], ...]:
    return ((("area", area),) if area is not None else ()) + ((("sector", sector),) if sector is not None else ())


KIND = RuleKind(
    name="count",
    summary=Bi("how many yes/no decisions come out yes: projects placed, (area, sector) pairs given land, areas "
               "that exit; at least min and/or at most max, or a share of those selected",
               "计数: 选址落地的项目数、获得新增用地的 (片区, 行业) 组合数 (主导产业数)、退出的片区数; "
               "不少于 min 和/或不多于 max, 或所选项目中的比例"),
    inequality="count(what, where) >= min  (and/or <= max; min_share/max_share of the items selected)",
    bounds=("min", "max"),
    bound_unit=Bi("a number of items (min_share/max_share: a fraction of those selected)",
                  "项数 (min_share/max_share: 所选项的比例)"),
    violation=Bi("min - count, in items", "min - 计数, 以项计"),
    measure=measure,
    keys=(KeySpec("what", Bi("projects, sectors or exits", "projects, sectors 或 exits"), value="word", words=WHAT),
          KeySpec("at_least", Bi("an area: the least new land for a pair to count, e.g. '30 亩'",
                                 "面积: 一个组合计入所需的最少新增用地, 如 '30 亩'"), value="quantity"),
          KeySpec("min_share", Bi("a fraction such as 0.3", "比例, 如 0.3"), value="number"),
          KeySpec("max_share", Bi("a fraction such as 0.5", "比例, 如 0.5"), value="number")),
    required=("what",),
    other_bounds=("min_share", "max_share"),
    example="{id: lead-3, kind: count, what: sectors, where: {role: main, sector_tag: industrial}, each: area, max: 3}",
    build=build,
)
