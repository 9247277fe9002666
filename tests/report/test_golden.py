"""Golden files of the zh and en table reports (one single-year, one multi-year scenario).

The reports are produced by the command line with an explicit `--solver highs`, so they do
not depend on what `--solver auto` picks here. To regenerate after an intended change::

    LANDOPT_UPDATE_GOLDEN=1 python -m pytest tests/report/test_golden.py

then review `git diff tests/golden/`.
"""

from __future__ import annotations

import os

import pytest

from report_helpers import EXAMPLE, GOLDEN, MULTIYEAR, SOLVER

CASES = [(EXAMPLE, "format_example"), (MULTIYEAR, "t06_multiyear")]
UPDATE = bool(os.environ.get("LANDOPT_UPDATE_GOLDEN"))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path,stem", CASES, ids=[s for _, s in CASES])
def test_table_report_matches_golden(run_cli, path, stem, lang):
    r = run_cli("solve", str(path), "--solver", SOLVER, "--lang", lang)
    assert r.code == 0, r.err
    golden = GOLDEN / f"{stem}.{lang}.txt"
    if UPDATE:
        golden.write_text(r.out, encoding="utf-8")
    assert golden.exists(), f"missing {golden}: run with LANDOPT_UPDATE_GOLDEN=1 to create it"
    expected = golden.read_text(encoding="utf-8")
    assert r.out == expected, f"{golden.name} differs; if intended, regenerate (see this module's docstring)"
