"""Paths and helpers of the report tests (importable because conftest.py puts this folder on sys.path)."""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path

import yaml

import landopt
from support import REPO, SCENARIOS

GOLDEN = REPO / "tests" / "golden"
EXAMPLE = SCENARIOS / "format_example.yaml"
MULTIYEAR = SCENARIOS / "teaching" / "t06_multiyear.yaml"
INFEASIBLE = SCENARIOS / "teaching" / "t10_infeasible.yaml"
SOFT = SCENARIOS / "teaching" / "t07_soft.yaml"
LEXICO = SCENARIOS / "teaching" / "t08_lexicographic.yaml"
SOLVER = "highs"
"""Every report test names its backend, so the goldens do not depend on what `auto` picks."""


@cache
def solved(path: Path, variants: tuple[str, ...] = (), solver: str = SOLVER):
    """The result of a scenario file (cached for the session; results are not modified by reports)."""
    return landopt.load(path, variants).solve(solver=solver)


def teaching_base() -> dict:
    """The teaching fragment as plain data (two areas, two sectors; chips bind energy first)."""
    with open(SCENARIOS / "teaching" / "_fragments" / "base.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def degenerate_scenario() -> dict:
    """Teaching base with 50 亩 of land: chips take exactly 50 亩 and 1000 tce, so both budgets bind.

    Hand arithmetic (tax, 万元): the optimum is 50 亩 of chips, 2500. Loosening either budget adds
    nothing (more land has no energy; more energy has no land, and textiles pay less per tce).
    Tightening land by one 亩 loses a 亩 of chips: -50; tightening energy by one tce loses 1/20 亩
    of chips: -2.5. Both budgets bind at one point, so the duals are not unique (land's may be
    anywhere in [0, 50] with energy's in [0, 2.5] accordingly).
    """
    d = copy.deepcopy(teaching_base())
    d["scenario"]["name"] = "退化最优"
    d["resources"]["land"]["budget"] = 50
    return d
