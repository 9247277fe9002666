"""Helpers shared by the test modules (importable as `support` thanks to conftest.py)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = REPO / "scenarios"
BAD = Path(__file__).resolve().parent / "data" / "bad"


def _backends(kind: str) -> list[str]:
    import solvers

    out = []
    for row in solvers.describe_backends():
        if not row.available:
            continue
        caps = set(row.capabilities)
        if kind == "lp" and "lp" in caps:
            out.append(row.name)
        elif kind == "exact" and "lp" in caps and "duals" in caps:
            out.append(row.name)
        elif kind == "milp" and "milp" in caps:
            out.append(row.name)
    return out


LP_BACKENDS = _backends("lp")
EXACT_BACKENDS = _backends("exact")
MILP_BACKENDS = _backends("milp")


def backends_for(path: Path, variants: tuple[str, ...] = (), exact: bool = False) -> list[str]:
    """The backends that solve this scenario's problem class: MILP ones for a scenario with yes/no
    decisions, else the LP (with `exact`: exact LP) ones."""
    import landopt

    if landopt.load(path, variants).is_mip:
        return MILP_BACKENDS
    return EXACT_BACKENDS if exact else LP_BACKENDS


def scenario_files() -> list[Path]:
    """Every runnable scenario (fragments under folders starting with '_' excluded)."""
    return sorted(p for p in SCENARIOS.rglob("*.yaml")
                  if not any(part.startswith("_") for part in p.relative_to(SCENARIOS).parts))


def synthetic_scenario(n_areas: int, n_sectors: int, n_years: int, seed: int = 1) -> dict:
    """A large random scenario (feasible: x = 0 satisfies every rule), for time-limit and interrupt tests.

    nnz is about n_areas * n_sectors * n_years * (n_years + 7).
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    years = list(range(2021, 2021 + n_years))
    sectors = {f"s{j}": {"tags": ["high_tech"] if rng.random() < 0.35 else ["traditional"],
                         "per_mu": {"tax": float(rng.uniform(10, 80)), "energy": float(rng.uniform(2, 60)),
                                    "cod": float(rng.uniform(1e-3, 5e-2))}} for j in range(n_sectors)}
    areas = {}
    rules = []
    for i in range(n_areas):
        land = float(rng.uniform(2000, 40000))
        tax = land * float(rng.uniform(15, 50))
        per_mu = {s: {"tax": float(sectors[s]["per_mu"]["tax"] * rng.uniform(0.85, 1.15)),
                      "energy": float(sectors[s]["per_mu"]["energy"] * rng.uniform(0.8, 1.2))} for s in sectors}
        areas[f"a{i}"] = {"role": "main" if i % 3 == 0 else "sub", "capacity": float(land * rng.uniform(0.1, 0.3)),
                          "existing": {"land": land, "tax": tax}, "per_mu": per_mu}
        rules.append({"id": f"tax-per-mu-{i}", "kind": "intensity", "metric": "tax", "per": "land",
                      "where": {"area": f"a{i}"}, "include_existing": True,
                      "min": {y: float(tax / land * 0.98 * 1.01 ** k) for k, y in enumerate(years)}})
    budget = {y: float(n_areas * 500 * (k + 1)) for k, y in enumerate(years)}
    return {
        "version": 1,
        "scenario": {"name": f"synthetic {n_areas}x{n_sectors}x{n_years}", "years": years},
        "resources": {"land": {"unit": "mu", "budget": float(n_areas * 300)},
                      "energy": {"unit": "tce", "budget": {y: v * 20 for y, v in budget.items()}},
                      "cod": {"unit": "t", "budget": {y: v * 0.02 for y, v in budget.items()}}},
        "metrics": {"tax": {"unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "rules": rules + [
            {"id": "tilt", "kind": "share", "metric": "land", "part": {"role": "main"}, "flow": True, "min": 0.3},
            {"id": "ht", "kind": "share", "metric": "tax", "part": {"sector_tag": "high_tech"}, "flow": True,
             "min": 0.2},
        ],
        "objective": {"maximize": "tax"},
    }
