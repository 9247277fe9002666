"""Rules with `each`: one row per group, built at once.

A rule with ``each: [area, sector]`` (the 标准地 floors) has one group per (area, sector)
pair its `where` matches. The builder makes all of a rule's groups in one pass over the
pairs; these tests hold that

* every group's rows are exactly the rows of the same rule written out once per group
  (``where: {area: a, sector: s}``), coefficients, bounds and stock included, in the
  documented order (groups by area, then sector, in file order; years within a group);
* the rows keep their stable names (``rule(ID,area=A,sector=S,YEAR):min``);
* the work done over the pairs does not grow with the number of groups: the pair masks
  built for a rule are as many with 1,200 groups as with one.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import landopt
import landopt.model.build
from landopt.model.build import build

YEARS = [2021, 2022, 2023]


def _base(n_areas: int = 4, n_sectors: int = 3) -> dict:
    """Areas with different roles, allowed sectors, stock by sector and own coefficients; three years."""
    sectors = {f"s{j}": {"tags": ["high_tech"] if j % 2 == 0 else ["traditional"],
                         "per_mu": {"tax": 10.0 + 7 * j, "value_added": 60.0 + 11 * j, "energy": 3.0 + j}}
               for j in range(n_sectors)}
    areas = {}
    for i in range(n_areas):
        a: dict = {"role": ["main", "sub", "linked", "sub"][i % 4], "capacity": 100.0 + i,
                   "existing": {"land": 1000.0 + 10 * i, "tax": 2.0e4 + 100 * i, "value_added": 6.0e4,
                                "by_sector": {f"s{(i + j) % n_sectors}": {"land": 50.0 + j, "tax": 900.0 + 13 * i + j,
                                                                          "value_added": 3000.0 + j}
                                              for j in range(min(2, n_sectors))}}}
        if i % 3 == 1:  # an area that does not allow every sector: its other groups have stock only
            a["sectors"] = [f"s{j}" for j in range(0, n_sectors, 2)]
        a["per_mu"] = {s: {"tax": 12.5 + i + j} for j, s in enumerate(a.get("sectors", sectors))}
        areas[f"a{i}"] = a
    return {"version": 1, "scenario": {"name": "groups", "years": YEARS},
            "resources": {"land": {"unit": "mu", "budget": 300}, "energy": {"unit": "tce", "budget": 2000}},
            "metrics": {"tax": {"unit": "万元"}, "value_added": {"unit": "万元"}},
            "sectors": sectors, "areas": areas, "rules": [], "objective": {"maximize": "tax"}}


# Rules with `each`, as the scenario format allows them; `where` narrows the groups.
RULES = {
    "intensity-area-sector-stock": {"kind": "intensity", "metric": "tax", "per": "land", "each": ["area", "sector"],
                                    "where": {"role": ["main", "sub"]}, "include_existing": True,
                                    "min": {2021: 15, 2022: 16, 2023: 17}},
    "intensity-area-sector-flow": {"kind": "intensity", "metric": "tax", "per": "land", "each": ["area", "sector"],
                                   "flow": True, "min": 14, "max": 40},
    "share-sector-part": {"kind": "share", "metric": "value_added", "part": {"role": "main"}, "each": "sector",
                          "include_existing": True, "min": 0.1},
    "cap-area-years": {"kind": "cap", "metric": "energy", "each": "area", "where": {"year": [2022, 2023],
                                                                                       "sector_tag": "high_tech"},
                       "max": 700},
    "floor-sector-area-soft": {"kind": "floor", "metric": "land", "each": ["sector", "area"], "flow": True,
                               "min": 1, "soft": {"penalty": 50}},
}


def _groups_of(d: dict, rule: dict) -> list[tuple[str | None, str | None]]:
    """The (area, sector) groups of `rule` in the documented order, from the scenario data."""
    sc = landopt.from_dict({**d, "rules": [{"id": "probe", **rule}]})
    where = sc.spec.rules[0].where
    each = rule["each"] if isinstance(rule["each"], list) else [rule["each"]]
    areas = [a for a in sc.spec.areas if where.has_area(a)] if "area" in each else [None]
    sectors = [s for s in sc.spec.sectors if where.has_sector(s)] if "sector" in each else [None]
    return [(a, s) for a in areas for s in sectors]


def _written_out(d: dict, rule: dict) -> tuple[dict, list[str]]:
    """`d` with `rule` written once per group (no `each`), and the ids of those rules in group order."""
    out = copy.deepcopy(d)
    ids = []
    for a, s in _groups_of(d, rule):
        one = {k: copy.deepcopy(v) for k, v in rule.items() if k != "each"}
        where = dict(one.get("where", {}))
        if a is not None:
            where["area"] = [a]
        if s is not None:
            where["sector"] = [s]
        one["where"] = where
        one["id"] = f"g-{a}-{s}"
        ids.append(one["id"])
        out["rules"].append(one)
    return out, ids


def _rows_of(model, rule_ids: list[str]) -> np.ndarray:
    """Positions of the LP rows of the given rules, in the order of `rule_ids` (then row order)."""
    inst = model.instances
    by_rule: dict[str, list[int]] = {}
    for r, k in enumerate(model.row_inst.tolist()):
        by_rule.setdefault(inst[k].id, []).append(r)
    return np.array([r for i in rule_ids for r in by_rule[i]], dtype=np.int64)


@pytest.mark.parametrize("name", list(RULES))
def test_a_rule_with_each_builds_the_rows_of_its_groups_written_out(name):
    rule = RULES[name]
    d = _base()
    grouped = build(landopt.from_dict({**d, "rules": [{"id": "r", **rule}]}).spec)
    d_out, ids = _written_out(d, rule)
    explicit = build(landopt.from_dict(d_out).spec)

    rows_g = _rows_of(grouped, ["r"])
    rows_e = _rows_of(explicit, ids)
    assert rows_g.size == rows_e.size > 0
    P, Q = grouped.problem, explicit.problem
    n_x = grouped.x.size
    assert n_x == explicit.x.size
    assert np.array_equal(P.A[rows_g][:, :n_x].toarray(), Q.A[rows_e][:, :n_x].toarray())
    assert np.array_equal(P.row_lo[rows_g], Q.row_lo[rows_e])
    assert np.array_equal(P.row_hi[rows_g], Q.row_hi[rows_e])
    assert np.array_equal(grouped.row_penalty[rows_g], explicit.row_penalty[rows_e], equal_nan=True)
    assert np.array_equal(grouped.row_slack[rows_g] >= 0, explicit.row_slack[rows_e] >= 0)
    # the measured quantities (stock included) of every instance, in the same order
    ig = [grouped.instances[k] for k in dict.fromkeys(grouped.row_inst[rows_g].tolist())]
    ie = [explicit.instances[k] for k in dict.fromkeys(explicit.row_inst[rows_e].tolist())]
    assert [(i.year, i.s_num, i.s_den, i.ratio) for i in ig] == [(i.year, i.s_num, i.s_den, i.ratio) for i in ie]
    x = np.linspace(0.5, 3.0, grouped.x.size)
    num_g, den_g = grouped.measured(np.concatenate([x, np.zeros(P.n - n_x)]))
    num_e, den_e = explicit.measured(np.concatenate([x, np.zeros(Q.n - n_x)]))
    kg = [grouped.instances.index(i) for i in ig]
    ke = [explicit.instances.index(i) for i in ie]
    assert np.allclose(num_g[kg], num_e[ke], rtol=1e-14, atol=0) and np.allclose(den_g[kg], den_e[ke], rtol=1e-14,
                                                                                   atol=0)
    # and every other row (budgets, limits) is the same too
    others_g = np.setdiff1d(np.arange(P.m), rows_g)
    others_e = np.setdiff1d(np.arange(Q.m), rows_e)
    assert [P.row_names[r] for r in others_g] == [Q.row_names[r] for r in others_e]
    assert np.array_equal(P.A[others_g][:, :n_x].toarray(), Q.A[others_e][:, :n_x].toarray())


def test_group_rows_keep_their_names_and_order():
    rule = RULES["intensity-area-sector-stock"]
    d = _base()
    m = build(landopt.from_dict({**d, "rules": [{"id": "std", **rule}]}).spec)
    names = [n for n in m.problem.row_names if n.startswith("rule(")]
    expected = [f"rule(std,area={a},sector={s},{y}):min" for a, s in _groups_of(d, rule) for y in YEARS]
    assert names == expected
    # areas a0 (main), a1 and a3 (sub) match `where`; a2 (linked) does not
    assert [a for a, _ in _groups_of(d, rule)][::3] == ["a0", "a1", "a3"]
    both = build(landopt.from_dict({**d, "rules": [{"id": "b", **RULES["intensity-area-sector-flow"]}]}).spec)
    b_names = [n for n in both.problem.row_names if n.startswith("rule(")]
    assert b_names[:4] == ["rule(b,area=a0,sector=s0,2021):min", "rule(b,area=a0,sector=s0,2021):max",
                           "rule(b,area=a0,sector=s0,2022):min", "rule(b,area=a0,sector=s0,2022):max"]
    soft = build(landopt.from_dict({**d, "rules": [{"id": "f", **RULES["floor-sector-area-soft"]}]}).spec)
    viol = [n for n in soft.problem.col_names if n.startswith("viol(")]
    # a violation column is named after its instance (without the instance name's closing parenthesis)
    assert viol[:2] == ["viol(rule(f,area=a0,sector=s0,2021)", "viol(rule(f,area=a0,sector=s0,2022)"]


def test_diagnosis_overrides_move_the_bound_of_one_group_only():
    rule = RULES["intensity-area-sector-flow"]
    sc = landopt.from_dict({**_base(), "rules": [{"id": "r", **rule}]})
    base = build(sc.spec)
    key = ("rule", "r", (("area", "a3"), ("sector", "s1")), 2022, "max")
    moved = build(sc.with_overrides({key: 55.0}).spec)
    names = base.problem.row_names
    changed = np.flatnonzero(base.row_bound != moved.row_bound)
    assert [names[r] for r in changed] == ["rule(r,area=a3,sector=s1,2022):max"]
    assert moved.row_bound[changed[0]] == 55.0


def test_the_pair_masks_of_a_rule_do_not_grow_with_its_groups(monkeypatch):
    """The builder does not walk every pair once per group (which made 30,000 groups take seconds)."""
    d = _base(n_areas=40, n_sectors=30)
    calls = {"n": 0, "pairs": 0}
    real = landopt.model.build._Builder.mask

    def counting(self, sel):
        out = real(self, sel)
        calls["n"] += 1
        calls["pairs"] += out.size
        return out

    monkeypatch.setattr(landopt.model.build._Builder, "mask", counting)
    work = {}
    for each in (None, ["area", "sector"]):
        rule = {k: v for k, v in RULES["intensity-area-sector-flow"].items() if k != "each"}
        if each:
            rule["each"] = each
        spec = landopt.from_dict({**d, "rules": [{"id": "r", **rule}]}).spec
        calls.update(n=0, pairs=0)
        m = build(spec)
        work[bool(each)] = dict(calls)
    assert len([i for i in m.instances if i.id == "r"]) == 40 * 30 * len(YEARS)
    assert work[True] == work[False]
