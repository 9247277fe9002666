"""Shadow prices of the hand-solved teaching scenarios, on every backend with exact duals.

Convention (README, "Shadow prices"): objective change per unit of the limit, in the limit's own
units, positive where loosening helps. The values are derived in each scenario's header comment.
"""

from __future__ import annotations

import pytest

import landopt
from support import EXACT_BACKENDS, SCENARIOS

T = SCENARIOS / "teaching"

CASES = [
    # (file, kind, id, group, year, expected shadow price)
    ("t01_cap.yaml", "rule", "chip-cap", {}, None, 40.0),
    ("t01_cap.yaml", "budget", "land", {}, None, 10.0),
    ("t01_cap.yaml", "budget", "energy", {}, None, 0.0),
    ("t02_floor.yaml", "rule", "keep-textile", {}, None, 2.5),
    ("t02_floor.yaml", "budget", "energy", {}, None, 2.5),
    ("t03_share.yaml", "rule", "keep-traditional", {}, None, 50000 / (20 + 5 * 2 / 3) ** 2 / 0.36),
    ("t04_intensity.yaml", "rule", "energy-per-mu", {}, None, 1000 / 15 * 50 / 144),
    ("t06_multiyear.yaml", "rule", "textile-floor", {}, 2021, 7.5),
    ("t06_multiyear.yaml", "rule", "textile-floor", {}, 2022, 5.0),
    ("t06_multiyear.yaml", "rule", "textile-floor", {}, 2023, 2.5),
    ("t06_multiyear.yaml", "budget", "energy", {}, 2021, 2.5),
    ("t06_multiyear.yaml", "budget", "energy", {}, 2023, 2.5),
    ("format_example.yaml", "rule", "tilt-land", {}, None, 14 * 600 / 0.49),
    ("format_example.yaml", "rule", "per-mu-tax", {"area": "core"}, None, 0.0),
]


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@pytest.mark.parametrize("fname,kind,rid,group,year,expected", CASES)
def test_shadow_price(backend, fname, kind, rid, group, year, expected):
    path = T / fname if (T / fname).exists() else SCENARIOS / fname
    res = landopt.load(path).solve(solver=backend)
    assert res.status == "optimal"
    rows = [r for r in res.rows if r.kind == kind and r.id == rid and r.group == group and r.year == year]
    assert rows, f"no row {kind} {rid} {group} {year}"
    assert rows[0].shadow_price == pytest.approx(expected, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
def test_shadow_price_matches_a_finite_difference(backend):
    """One more tce in t02 is worth what re-solving with 1 more tce says."""
    base = landopt.load(T / "t02_floor.yaml")
    v0 = base.solve(solver=backend).objective
    v1 = landopt.load(T / "t02_floor.yaml", sets=("resources.energy.budget=1001",)).solve(solver=backend).objective
    res = base.solve(solver=backend)
    price = next(r.shadow_price for r in res.rows if r.kind == "budget" and r.id == "energy")
    assert v1 - v0 == pytest.approx(price, rel=1e-6)


EXACT_CASES = [(p, ()) for p in sorted(list(SCENARIOS.glob("*.yaml")) + list(T.glob("*.yaml")))] + [
    (SCENARIOS / "pujiang_2021_2025_new_land.yaml", sets) for sets in [
        ("resources.land.budget=500",), ("resources.land.budget=800", "rules.pj10-tilt-land.min=0.7"),
        ("resources.energy.budget.2025=18",), ("resources.nh3n.budget.2023=8",)]]


@pytest.mark.parametrize(("path", "sets"), EXACT_CASES, ids=lambda v: v.name if hasattr(v, "name") else ",".join(v))
def test_exact_prices_read_off_the_basis_equal_the_re_solves(path, sets, monkeypatch):
    """Where the basis of the first stage stays optimal over a probe's whole step, the exact one-sided price is
    read off it (`solvers.ranging`) instead of solving again: the same values as solving every step, in fewer
    solves."""
    from landopt.engine import sensitivity
    from landopt.engine.run import RunInfo

    sc = landopt.load(path, (), sets)
    if sc.build().problem.is_mip:
        pytest.skip("a MILP: its prices come from HiGHS, which tells no basis")
    result = sc.solve(solver="clp")
    if result.status != "optimal" or not sensitivity.needs_exact(result):
        pytest.skip("no exact prices measured")
    ranged_info = RunInfo(backend="clp", build_seconds=0.0, solve_seconds=0.0, solves=0)
    ranged = sensitivity.one_sided(result, info=ranged_info)
    monkeypatch.setattr(sensitivity._Solver, "ranging", lambda self, problem, res: None)
    solved_info = RunInfo(backend="clp", build_seconds=0.0, solve_seconds=0.0, solves=0)
    solved = sensitivity.one_sided(result, info=solved_info)
    assert ranged.changes.keys() == solved.changes.keys() and ranged.skipped == solved.skipped
    for row, want in solved.changes.items():
        got = ranged.changes[row]
        for a, b in ((got.loosen, want.loosen), (got.tighten, want.tighten)):
            assert (a is None) == (b is None) and (a is None or a == pytest.approx(b, rel=1e-5, abs=1e-9)), row
    assert ranged_info.solves <= solved_info.solves
