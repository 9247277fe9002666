"""The independent checker fails when it should.

Every solve runs the checker, and every other test asserts that it passed. These tests take
a solved allocation, break one thing in it, and require that the checker reports exactly
that violation, named after the budget, limit or rule (and its group and year) it breaks:

* format_example.yaml: a share rule (the main-platform tilt), a sector's ``max_land``, a
  disallowed (area, sector) pair, a negative allocation, a budget (the ``tight_energy``
  variant, where energy binds);
* teaching/t06_multiyear.yaml: a per-year level budget (land given in 2022 still uses
  energy in 2023), a per-year flow rule, an area's capacity over all years;
* teaching/t05_intensity_stock.yaml: an intensity rule with ``each: area`` and stock;
* values the result reports (a rule's achievement, the objective) that the allocation
  does not give.

Then the same through `Scenario.solve`: when the solver hands back a point that breaks a
rule and calls it optimal, the solve raises `CheckerError` naming the rule; when the
status is a time limit, the result carries ``checker.passed = false`` and the findings.
"""

from __future__ import annotations

import dataclasses

import pytest

import landopt
import solvers
from landopt.verify.independent import allocation_dict, check_allocation
from landopt.errors import CheckerError
from support import SCENARIOS

EXAMPLE = SCENARIOS / "format_example.yaml"
MULTIYEAR = SCENARIOS / "teaching" / "t06_multiyear.yaml"
INTENSITY_STOCK = SCENARIOS / "teaching" / "t05_intensity_stock.yaml"


def _solved(path, variants=()):
    """(spec, allocation {(area, sector, year): mu}) of the scenario's optimum; the checker passes on it."""
    sc = landopt.load(path, variants)
    res = sc.solve(solver="highs")
    assert res.status == "optimal" and res.checker["passed"] is True
    alloc = allocation_dict(res)
    found, checked, _ = check_allocation(sc.spec, alloc)
    assert found == [] and checked > 0
    return sc.spec, alloc


def _findings(spec, alloc, **kw) -> dict[str, str]:
    """{what: detail} of every finding."""
    found, _, _ = check_allocation(spec, alloc, **kw)
    out = {f.what: f.detail for f in found}
    assert len(out) == len(found), found
    return out


# ------------------------------------------------------------------------------------- format_example
# The optimum (hand-solved in the file): 600 亩 of pv in the core, 257.142857 亩 of crystal in
# Zhengjiawu; the tilt (main platform >= 0.7 of new land) binds.


def test_breaking_the_share_rule_is_reported_by_its_id():
    spec, alloc = _solved(EXAMPLE)
    alloc[("zhengjiawu", "crystal", None)] += 1.0  # 600 / 858.14 = 0.6992 < 0.7; every budget still holds
    found = _findings(spec, alloc)
    assert list(found) == ["rule tilt-land {}"]
    assert "min 0.7" in found["rule tilt-land {}"] and "858.14" in found["rule tilt-land {}"]


def test_exceeding_a_sectors_max_land_is_reported():
    spec, alloc = _solved(EXAMPLE)
    alloc[("zhengjiawu", "pv", None)] += 10.0  # pv: 610 > max_land 600
    alloc[("zhengjiawu", "crystal", None)] -= 20.0  # keeps the tilt: 600 / 847.14 = 0.708
    found = _findings(spec, alloc)
    assert list(found) == ["sector_max_land pv"]
    assert found["sector_max_land pv"] == "610 > max 600"


def test_land_in_a_disallowed_sector_is_reported():
    spec, alloc = _solved(EXAMPLE)
    alloc[("core", "crystal", None)] = 5.0  # the core allows pv only
    found = _findings(spec, alloc)
    assert list(found) == ["disallowed pair"]
    assert found["disallowed pair"] == "x(core,crystal,None) = 5 but crystal is not allowed in core"


def test_negative_land_is_reported():
    spec, alloc = _solved(EXAMPLE)
    alloc[("zhengjiawu", "pv", None)] = -1.0
    assert list(_findings(spec, alloc)) == ["negative allocation"]


def test_exceeding_a_budget_is_reported_by_the_resource():
    # tight_energy: energy (12,000 tce) binds; pv uses 18 tce/亩 in both areas, crystal 11 in Zhengjiawu
    spec, alloc = _solved(EXAMPLE, ("tight_energy",))
    pv = alloc[("core", "pv", None)] + alloc[("zhengjiawu", "pv", None)]
    alloc[("core", "pv", None)], alloc[("zhengjiawu", "pv", None)] = pv - 90.0, 90.0  # the same energy
    alloc[("zhengjiawu", "crystal", None)] += 1.0  # +11 tce; the tilt holds: (pv - 90) / 710.09 > 0.7
    found = _findings(spec, alloc)
    assert list(found) == ["budget energy"]
    assert found["budget energy"] == "12011 > max 12000"


def test_a_relaxed_bound_is_checked_instead_of_the_scenarios():
    """A diagnosis moves bounds; the checker holds the allocation to the moved ones."""
    spec, alloc = _solved(EXAMPLE)
    alloc[("zhengjiawu", "crystal", None)] += 1.0
    moved = {("rule", "tilt-land", (), None, "min"): 0.69}
    assert _findings(spec, alloc, overrides=moved) == {}
    assert list(_findings(spec, alloc, overrides={("rule", "tilt-land", (), None, "min"): 0.6995})) == [
        "rule tilt-land {}"]


def test_reported_values_that_the_allocation_does_not_give_are_reported():
    spec, alloc = _solved(EXAMPLE)
    key = ("rule", "tilt-land", (), None)
    assert _findings(spec, alloc, reported={key: (0.7, None)}, objective=30600.0) == {}
    found = _findings(spec, alloc, reported={key: (0.75, None), ("budget", "land", (), None): (900.0, None)},
                      objective=31000.0)
    assert set(found) == {f"reported value {key}", "reported value ('budget', 'land', (), None)", "objective"}
    assert found["objective"] == "result says 31000, recomputed 30600"
    unknown = _findings(spec, alloc, reported={("rule", "no-such-rule", (), None): (1.0, None)})
    assert list(unknown) == ["unknown row"]


# ------------------------------------------------------------------------------------- multi-year
# t06: land is a flow (40 亩 a year), energy a level (what all land given so far uses: at most
# 400 / 700 / 1000 tce at the end of 2021 / 2022 / 2023, each binding), textiles >= 4 / 6 / 9 亩 a
# year (flow). Chips use 20 tce/亩, textiles 5.


def test_breaking_a_per_year_level_budget_is_reported_for_every_year_it_reaches():
    spec, alloc = _solved(MULTIYEAR)
    alloc[("core", "chip", 2022)] += 1.0  # +20 tce from 2022 on: 720 > 700 and 1020 > 1000
    found = _findings(spec, alloc)
    assert list(found) == ["budget energy 2022", "budget energy 2023"]
    assert found["budget energy 2022"] == "720 > max 700"
    assert found["budget energy 2023"] == "1020 > max 1000"


def test_breaking_a_per_year_flow_rule_is_reported_for_that_year():
    spec, alloc = _solved(MULTIYEAR)
    area = max(("core", "east"), key=lambda a: alloc[(a, "textile", 2023)])  # where the 9 亩 of 2023 went
    alloc[(area, "textile", 2023)] -= 1.0  # 8 < 9 in 2023; energy only falls
    found = _findings(spec, alloc)
    assert list(found) == ["rule textile-floor {} 2023"]
    assert found["rule textile-floor {} 2023"] == "min 9: achieved 8"


def test_exceeding_capacity_over_all_years_is_reported():
    spec, alloc = _solved(MULTIYEAR)
    # 40 亩 of textiles in the core every year: each year's land (40) and energy (200 / 400 / 600 tce)
    # and the textile floor hold, but the core (capacity 80) gets 120 亩 over the three years
    for key in alloc:
        alloc[key] = 40.0 if key[:2] == ("core", "textile") else 0.0
    found = _findings(spec, alloc)
    assert list(found) == ["capacity core"]
    assert found["capacity core"] == "120 > max 80"


def test_breaking_an_intensity_rule_names_its_group():
    # t05: east must keep (2000 + 50 chips + 10 textiles) / (100 + land) >= 25 万元/亩 (stock counted)
    spec, alloc = _solved(INTENSITY_STOCK)
    for key in alloc:
        alloc[key] = 0.0
    alloc[("core", "chip", None)] = 10.0
    alloc[("east", "chip", None)] = 34.0
    alloc[("east", "textile", None)] = 24.0  # energy 1000 tce, land 68 亩: (2000 + 1940) / 158 = 24.94
    found = _findings(spec, alloc)
    assert list(found) == ["rule per-mu-tax {'area': 'east'}"]
    assert found["rule per-mu-tax {'area': 'east'}"] == "min 25: achieved 3940 / 158"


# ------------------------------------------------------------------------------------- through solve
def _solver_returning_a_broken_point(monkeypatch, status=None):
    """Make `solvers.solve` add 1 亩 of crystal in Zhengjiawu to what the backend returns (breaking the
    tilt of format_example) and, if given, report `status` instead of the backend's."""
    real = solvers.solve

    def broken(problem, *args, **kwargs):
        res = real(problem, *args, **kwargs)
        if res.x is None:
            return res
        x = res.x.copy()
        x[problem.col_names.index("x(zhengjiawu,crystal)")] += 1.0
        return dataclasses.replace(res, x=x, status=status or res.status)

    monkeypatch.setattr(solvers, "solve", broken)


def test_solve_raises_when_the_checker_rejects_an_optimal_result(monkeypatch):
    sc = landopt.load(EXAMPLE)
    _solver_returning_a_broken_point(monkeypatch)
    with pytest.raises(CheckerError) as err:
        sc.solve(solver="highs", canonical=False)
    text = str(err.value)
    assert "independent checker rejected the solution" in text
    assert "rule tilt-land {}: min 0.7: achieved 600 / 858.142857" in text


def test_a_non_optimal_result_carries_the_findings_instead(monkeypatch):
    sc = landopt.load(EXAMPLE)
    _solver_returning_a_broken_point(monkeypatch, status=solvers.Status.TIME_LIMIT)
    res = sc.solve(solver="highs", canonical=False)
    assert res.status == "time_limit"
    assert res.checker["passed"] is False
    assert any(f.startswith("rule tilt-land {}: min 0.7") for f in res.checker["findings"])


_ALL_FILES = sorted(p for p in list(SCENARIOS.glob("*.yaml")) + list((SCENARIOS / "teaching").glob("*.yaml")))


@pytest.mark.parametrize("path", _ALL_FILES, ids=lambda p: p.name)
def test_every_year_measured_at_once_is_each_year_measured_alone(path):
    """The checker measures a rule's group in all its years in one walk over the pairs (`_measure_years`): the
    very numbers (bit for bit) of measuring each year alone (`_measure`), for every rule, group and year of every
    scenario, at its optimal plan (projects, exits and renewal included)."""
    from landopt.verify import independent as I

    result = landopt.load(path).solve()
    if result.x is None:
        pytest.skip("no plan")
    rc = I.Recompute(result.spec, I.allocation_dict(result), I.placements_of(result)[0], I.exits_of(result)[0],
                     I.renewal_of(result))
    compared = 0
    for rule in result.spec.rules:
        if rule.kind == "count":
            continue
        years = list(rule.where.years if rule.where.years is not None else result.spec.years)
        for _, gsel in I._groups(result.spec, rule):
            got = I._measure_years(rc, rule, gsel, years)
            want = [I._measure(rc, rule, gsel, y) for y in years]
            assert got == want, (rule.id, gsel)
            compared += len(years)
    assert compared or not [r for r in result.spec.rules if r.kind != "count"]
