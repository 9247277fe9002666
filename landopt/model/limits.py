"""What a row of the model limits, with one typed identity.

Budgets, capacities and the areas' and sectors' land limits are built-in rules of the scenario: each
is a `Limit` kind. One bound of one instance (a limit or a rule, a group of `each`, a year, a side) is
a `LimitKey`. The builder tags rows with it, a diagnosis entry and a bound override (`Spec.overrides`)
are keyed by it, the reader and the independent checker name rows by it: no string kinds mapped back
and forth. `Limit` is a `str` enum, so a key still reads as the plain tuple of the JSON's words.
"""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

Year = int | None


class Limit(str, enum.Enum):
    """The kinds of limit a row may be."""

    BUDGET = "budget"
    CAPACITY = "capacity"
    AREA_MIN_LAND = "area_min_land"
    AREA_MAX_LAND = "area_max_land"
    SECTOR_MIN_LAND = "sector_min_land"
    SECTOR_MAX_LAND = "sector_max_land"
    RULE = "rule"
    PROJECT = "project"
    """A candidate project is placed once at most (exactly once when it `must`)."""
    LINK = "link"
    """A yes/no linked to the amount it stands for (a pair counts only with at least `at_least` of new land;
    an area that exits gets no new land, project or renewal)."""
    RENEWAL = "renewal"
    """An area's renewal allowance for one sector's stock (mu that may be redeveloped, all years)."""

    def __str__(self) -> str:  # the JSON's word, in f-strings and str() alike
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def owner(self) -> str:
        """What the limit belongs to: 'resource', 'area', 'sector' or 'rule'."""
        if self is Limit.BUDGET:
            return "resource"
        if self in (Limit.RULE, Limit.LINK):
            return "rule"
        if self is Limit.PROJECT:
            return "project"
        return "area" if self in (Limit.CAPACITY, Limit.AREA_MIN_LAND, Limit.AREA_MAX_LAND, Limit.RENEWAL) \
            else "sector"

    @property
    def internal(self) -> bool:
        """True for rows that hold the model together (a project placed once, a yes/no's link) rather than
        limit the plan: they are not reported as limits, and never relaxed."""
        return self in (Limit.PROJECT, Limit.LINK)

    @property
    def relaxable(self) -> bool:
        """True when a diagnosis may move it: rules, budgets and min_land; never capacity or max_land,
        which are physical or demand limits."""
        return self in (Limit.BUDGET, Limit.RULE, Limit.AREA_MIN_LAND, Limit.SECTOR_MIN_LAND)

    @property
    def target(self) -> str:
        """The word a diagnosis entry (and `expect.diagnosis`) uses: 'rule', 'budget' or 'min_land'."""
        if self in (Limit.AREA_MIN_LAND, Limit.SECTOR_MIN_LAND):
            return "min_land"
        return str(self.value)


class LimitKey(NamedTuple):
    """One bound of one instance: what it limits, whose it is, its group, its year and its side."""

    kind: Limit
    id: str
    group: tuple[tuple[str, str], ...]
    year: Year
    side: str
    """'min' or 'max'."""

    @classmethod
    def of_entry(cls, d: dict[str, Any]) -> LimitKey:
        """The key of a diagnosis entry given as its JSON dict (`DiagnosisEntry.to_dict`)."""
        group = tuple((str(k), str(v)) for k, v in (d.get("group") or {}).items())
        target, rid, year, side = d["target"], d["id"], d.get("year"), d.get("bound") or "max"
        if target == "min_land":
            kind = Limit.SECTOR_MIN_LAND if group and group[0][0] == "sector" else Limit.AREA_MIN_LAND
            return cls(kind, rid, (), None, "min")
        if target == "budget":
            return cls(Limit.BUDGET, rid, (), year, "max")
        return cls(Limit(target), rid, group, year, side)

    def entry_group(self) -> dict[str, str]:
        """The group a diagnosis entry shows: a min_land limit is grouped by its area or sector."""
        if self.kind is Limit.AREA_MIN_LAND:
            return {"area": self.id}
        if self.kind is Limit.SECTOR_MIN_LAND:
            return {"sector": self.id}
        return dict(self.group)
