"""Reports on a synthetic scenario of about 1e5 nonzeros take less time than its solve.

The scenario mirrors the shape of the engine benchmark's 1e5 case (benchmarks/): 50 areas x 30
sectors x 5 years, area-specific coefficients, per-area per-mu floors with stock, a main-platform
share, a high-tech share and yearly sector caps.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

import landopt
from landopt.report import render, solve_report

AREAS, SECTORS, YEARS = 50, 30, 5
METRICS = {"output": 600.0, "tax": 40.0, "value_added": 150.0, "energy": 60.0, "cod": 0.05, "nox": 0.08}


def synthetic(seed: int = 7) -> dict:
    """A feasible random scenario of the benchmark's 1e5 shape."""
    rng = np.random.default_rng(seed)
    sectors = {f"s{j:02d}": {"name": f"行业{j:02d}", "tags": ["high_tech"] if j % 3 == 0 else [],
                             "per_mu": {m: float(round(v * rng.uniform(0.5, 1.5), 4)) for m, v in METRICS.items()}}
               for j in range(SECTORS)}
    areas = {}
    for i in range(AREAS):
        per_mu = {s: {m: float(round(v * rng.uniform(0.8, 1.2), 4)) for m, v in sec["per_mu"].items()}
                  for s, sec in sectors.items()}
        land = float(rng.integers(500, 3000))
        areas[f"a{i:02d}"] = {"name": f"片区{i:02d}", "role": "main" if i < 10 else "sub",
                              "capacity": float(rng.integers(100, 400)), "per_mu": per_mu,
                              "existing": {"land": land, "output": land * 300, "tax": land * 15}}
    total_cap = sum(a["capacity"] for a in areas.values())
    return {
        "version": 1,
        "scenario": {"name": "合成情景 1e5", "years": f"2021..{2020 + YEARS}"},
        "resources": {"land": {"unit": "mu", "budget": total_cap / YEARS * 0.6},
                      "energy": {"unit": "tce", "budget": total_cap * 60 * 0.5},
                      "cod": {"unit": "t", "budget": total_cap * 0.05 * 0.6},
                      "nox": {"unit": "t", "budget": total_cap * 0.08 * 0.6}},
        "metrics": {"output": {"unit": "万元"}, "tax": {"unit": "万元"}, "value_added": {"unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "rules": [
            {"id": "out-per-mu", "kind": "intensity", "metric": "output", "per": "land", "each": "area",
             "include_existing": True, "min": 250},
            {"id": "tax-per-mu", "kind": "intensity", "metric": "tax", "per": "land", "each": "area",
             "include_existing": True, "min": 12},
            {"id": "tilt", "kind": "share", "metric": "land", "part": {"role": "main"}, "min": 0.3, "flow": True},
            {"id": "hitech", "kind": "share", "metric": "value_added", "part": {"sector_tag": "high_tech"},
             "min": 0.2, "flow": True},
            {"id": "demand", "kind": "cap", "metric": "land", "each": "sector", "max": total_cap / SECTORS / 2,
             "flow": True},
        ],
        "objective": {"maximize": "tax"},
    }


@pytest.mark.slow
def test_report_is_faster_than_the_solve():
    sc = landopt.from_dict(synthetic())
    assert sc.build().problem.nnz > 5e4
    t0 = time.perf_counter()
    res = sc.solve(solver="highs")
    solve_s = time.perf_counter() - t0
    assert res.ok, res.message
    t0 = time.perf_counter()
    rep = solve_report(res, "zh")
    text = render(rep, "table")
    report_s = time.perf_counter() - t0
    assert "合计" in text
    assert report_s < solve_s, (report_s, solve_s)
