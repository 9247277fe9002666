"""Fixtures of the report tests: solved results, shared by every test of the session.

Golden files live in tests/golden/. Regenerate them after an intended change of the
report with::

    LANDOPT_UPDATE_GOLDEN=1 python -m pytest tests/report/test_golden.py tests/report/test_readme.py

(the second file refreshes the `landopt compare` output shown in README.md) and review the diff.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_helpers import EXAMPLE, INFEASIBLE, MULTIYEAR, solved  # noqa: E402


@pytest.fixture(scope="session")
def example_result():
    """format_example.yaml solved by HiGHS."""
    return solved(EXAMPLE)


@pytest.fixture(scope="session")
def multiyear_result():
    """t06_multiyear.yaml solved by HiGHS."""
    return solved(MULTIYEAR)


@pytest.fixture(scope="session")
def infeasible_result():
    """t10_infeasible.yaml (diagnosed) solved by HiGHS."""
    return solved(INFEASIBLE)
