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
    return out


LP_BACKENDS = _backends("lp")
EXACT_BACKENDS = _backends("exact")


def scenario_files() -> list[Path]:
    """Every runnable scenario (fragments under folders starting with '_' excluded)."""
    return sorted(p for p in SCENARIOS.rglob("*.yaml")
                  if not any(part.startswith("_") for part in p.relative_to(SCENARIOS).parts))
