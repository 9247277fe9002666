"""Golden files of the zh and en table reports: the contract example, a multi-year teaching case, and three seed
plans with the decisions of this round, each reviewed line by line: Pujiang with stock renewal (a diagnosis: the
2025 tax per 亩 stays short), Jiaxing with park exits (`[jx8_exits]`, a MILP) and Hangzhou with counts of leading
industries (`[hz4_count]`, a MILP).

The reports are produced by the command line with an explicit `--solver highs`, so they do
not depend on what `--solver auto` picks here. To regenerate after an intended change::

    LANDOPT_UPDATE_GOLDEN=1 python -m pytest tests/report/test_golden.py

then review `git diff tests/golden/`.
"""

from __future__ import annotations

import os

import pytest

from report_helpers import EXAMPLE, GOLDEN, MULTIYEAR, SOLVER
from support import SCENARIOS

CASES = [(EXAMPLE, "format_example", ()), (MULTIYEAR, "t06_multiyear", ()),
         (SCENARIOS / "pujiang_2021_2025_renewal.yaml", "pujiang_renewal", ()),
         (SCENARIOS / "jiaxing_major_platform.yaml", "jiaxing_exits", ("--variant", "jx8_exits")),
         (SCENARIOS / "hangzhou_17_platforms.yaml", "hangzhou_counts", ("--variant", "hz4_count"))]
UPDATE = bool(os.environ.get("LANDOPT_UPDATE_GOLDEN"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("path", "stem", "args"), CASES, ids=[s for _, s, _ in CASES])
def test_table_report_matches_golden(run_cli, path, stem, args, lang):
    r = run_cli("solve", str(path), *args, "--solver", SOLVER, "--lang", lang)
    assert r.code == (1 if stem == "pujiang_renewal" else 0), r.err  # 1: infeasible, with its diagnosis
    golden = GOLDEN / f"{stem}.{lang}.txt"
    if UPDATE:
        golden.write_text(r.out, encoding="utf-8")
    assert golden.exists(), f"missing {golden}: run with LANDOPT_UPDATE_GOLDEN=1 to create it"
    expected = golden.read_text(encoding="utf-8")
    assert r.out == expected, f"{golden.name} differs; if intended, regenerate (see this module's docstring)"
