"""Hypothesis invariants on random small scenarios.

* more budget never lowers the optimum;
* a change of area units (mu <-> ha <-> km2) does not change the answer;
* backends agree to 1e-6 relative;
* the independent checker passes on every feasible instance (it runs inside every solve);
* the diagnosis makes every infeasible instance feasible once applied;
* the allocation, priced with the scenario's coefficients, adds up to the objective.
"""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import landopt
from support import EXACT_BACKENDS

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow

ROLES = ["main", "sub", "linked", "outside"]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@st.composite
def scenarios(draw, feasible_bias: bool = True):
    """A random scenario dict: 2-4 areas, 2-4 sectors, budgets, 0-4 rules, 1-3 years."""
    n_a = draw(st.integers(2, 4))
    n_s = draw(st.integers(2, 4))
    n_y = draw(st.sampled_from([1, 1, 2, 3]))
    money = st.floats(1, 120, allow_nan=False).map(lambda v: round(v, 3))
    sectors = {}
    for j in range(n_s):
        sectors[f"s{j}"] = {
            "name": f"行业{j}",
            "tags": ["high_tech"] if j % 2 == 0 else ["traditional"],
            "per_mu": {"tax": draw(money), "value_added": draw(st.floats(10, 400).map(lambda v: round(v, 2))),
                       "energy": draw(st.floats(0.5, 60).map(lambda v: round(v, 3)))},
        }
    areas = {}
    for i in range(n_a):
        role = ROLES[0] if i == 0 else draw(st.sampled_from(ROLES[1:]))
        a = {"name": f"片区{i}", "role": role, "capacity": draw(st.floats(5, 300).map(lambda v: round(v, 2)))}
        if draw(st.booleans()):
            land = draw(st.floats(50, 5000).map(lambda v: round(v, 1)))
            a["existing"] = {"land": land, "tax": round(land * draw(st.floats(5, 60)), 1)}
        if draw(st.booleans()):
            allowed = draw(st.lists(st.sampled_from(list(sectors)), min_size=1, max_size=n_s, unique=True))
            a["sectors"] = sorted(allowed)
        areas[f"a{i}"] = a
    years = list(range(2021, 2021 + n_y))
    resources = {
        "land": {"unit": "mu", "budget": draw(st.floats(20, 400).map(lambda v: round(v, 1)))},
        "energy": {"unit": "tce", "budget": draw(st.floats(100, 8000).map(lambda v: round(v, 1)))},
    }
    rules = []
    if draw(st.booleans()):
        rules.append({"id": "tilt", "kind": "share", "metric": "land", "part": {"role": "main"},
                      "min": draw(st.floats(0.1, 0.9).map(lambda v: round(v, 3)))})
    if draw(st.booleans()):
        rules.append({"id": "per-mu-tax", "kind": "intensity", "metric": "tax", "per": "land", "each": "area",
                      "include_existing": True, "where": {"role": ["main", "sub"]},
                      "min": draw(st.floats(1, 50).map(lambda v: round(v, 2)))})
    if draw(st.booleans()):
        rules.append({"id": "energy-cap", "kind": "cap", "metric": "energy", "where": {"role": "main"},
                      "max": draw(st.floats(10, 5000).map(lambda v: round(v, 1)))})
    if draw(st.booleans()):
        rules.append({"id": "floor", "kind": "floor", "metric": "land", "where": {"sector": "s1"},
                      "min": draw(st.floats(1, 100).map(lambda v: round(v, 1)))})
    if draw(st.booleans()):
        rules.append({"id": "ht-share", "kind": "share", "metric": "value_added",
                      "part": {"sector_tag": "high_tech"}, "min": draw(st.floats(0.1, 0.8).map(lambda v: round(v, 3))),
                      "soft": {"penalty": draw(st.floats(0.1, 50).map(lambda v: round(v, 2)))}})
    d = {
        "version": 1,
        "scenario": {"name": "random"} | ({"years": years} if n_y > 1 else {}),
        "units": {"area": "mu", "money": "万元", "energy": "tce"},
        "resources": resources,
        "metrics": {"tax": {"unit": "万元"}, "value_added": {"unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "rules": rules,
        "objective": {"maximize": "tax"},
    }
    return d


def _solve(d, solver="auto"):
    return landopt.from_dict(copy.deepcopy(d)).solve(solver=solver)


@SETTINGS
@given(scenarios(), st.sampled_from(["land", "energy"]), st.floats(1.05, 3.0))
def test_more_budget_never_lowers_the_optimum(d, resource, factor):
    r0 = _solve(d)
    assume(r0.status == "optimal")
    d2 = copy.deepcopy(d)
    d2["resources"][resource]["budget"] = round(d2["resources"][resource]["budget"] * factor, 3)
    r1 = _solve(d2)
    assert r1.status == "optimal"
    assert r1.objective >= r0.objective - 1e-7 * max(1.0, abs(r0.objective))


AREA_FACTOR = {"mu": 1.0, "ha": 15.0, "km2": 1500.0}  # mu per unit


def _to_area_unit(d: dict, unit: str) -> dict:
    """The same scenario written with plain numbers in another area unit."""
    f = AREA_FACTOR[unit]
    d = copy.deepcopy(d)
    d["units"]["area"] = unit
    d["resources"]["land"]["budget"] /= f
    d["resources"]["land"]["unit"] = unit
    for s in d["sectors"].values():
        s["per_mu"] = {k: v * f for k, v in s["per_mu"].items()}
    for a in d["areas"].values():
        a["capacity"] /= f
        if "existing" in a:
            a["existing"]["land"] /= f
    for r in d["rules"]:
        if r["id"] == "per-mu-tax":
            r["min"] *= f
        if r["id"] == "floor":
            r["min"] /= f
    return d


def _as_quantity_strings(d: dict, unit: str) -> dict:
    """The same scenario in mu, with area figures written as quantity strings in another unit."""
    f = AREA_FACTOR[unit]
    d = copy.deepcopy(d)
    d["resources"]["land"]["budget"] = f"{d['resources']['land']['budget'] / f!r} {unit}"
    for a in d["areas"].values():
        a["capacity"] = f"{a['capacity'] / f!r} {unit}"
        if "existing" in a:
            a["existing"]["land"] = f"{a['existing']['land'] / f!r} {unit}"
    for r in d["rules"]:
        if r["id"] == "per-mu-tax":
            r["min"] = f"{r['min'] * f!r} 万元/{unit}"
    return d


@SETTINGS
@given(scenarios(), st.sampled_from(["ha", "km2"]))
def test_a_change_of_units_does_not_change_the_answer(d, unit):
    r0 = _solve(d)
    for variant in (_to_area_unit(d, unit), _as_quantity_strings(d, unit)):
        r1 = _solve(variant)
        assert r1.status == r0.status
        if r0.status == "optimal":
            assert r1.objective == pytest.approx(r0.objective, rel=1e-6, abs=1e-6)


@SETTINGS
@given(scenarios())
def test_backends_agree(d):
    results = {b: _solve(d, b) for b in EXACT_BACKENDS}
    statuses = {r.status for r in results.values()}
    assert len(statuses) == 1, {b: r.status for b, r in results.items()}
    if statuses == {"optimal"}:
        objs = [r.objective for r in results.values()]
        ref = objs[0]
        for b, r in results.items():
            assert r.objective == pytest.approx(ref, rel=1e-6, abs=1e-6), b


@SETTINGS
@given(scenarios())
def test_checker_passes_and_report_adds_up(d):
    res = _solve(d)
    if res.status != "optimal":
        return
    assert res.checker["passed"] is True and res.checker["checked"] > 0
    # the allocation priced at the scenario's coefficients is the objective (plus penalties)
    spec = res.spec
    years = list(spec.years)
    total = 0.0
    for a in res.allocation_records():
        t = years.index(a["year"])
        total += a["land"] * spec.coef(a["area"], a["sector"], "tax") * (len(years) - t)
    soft = [r for r in res.rows if r.soft]
    penalties = sum(r.violation * next(x.penalty for x in spec.rules if x.id == r.id) for r in soft)
    assert total - penalties == pytest.approx(res.objective, rel=1e-6, abs=1e-5)


@SETTINGS
@given(scenarios())
def test_diagnosis_makes_infeasible_instances_feasible(d):
    sc = landopt.from_dict(copy.deepcopy(d))
    res = sc.solve()
    assume(res.status == "infeasible")
    assert res.diagnosis, "an infeasible scenario must come with a diagnosis"
    fixed = sc.apply_diagnosis(res.diagnosis).solve()
    assert fixed.status == "optimal", [e.text() for e in res.diagnosis]
    # the JSON form applies the same way
    fixed2 = sc.apply_diagnosis([e.to_dict() for e in res.diagnosis]).solve()
    assert fixed2.status == "optimal"


def test_the_generator_yields_both_outcomes():
    """Guard against a generator that never produces infeasible (or never feasible) cases."""
    from hypothesis import find

    find(scenarios(), lambda d: _solve(d).status == "infeasible", settings=settings(max_examples=300,
                                                                                    deadline=None))
    find(scenarios(), lambda d: _solve(d).status == "optimal", settings=settings(max_examples=300, deadline=None))
