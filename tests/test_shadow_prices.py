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
