"""`--help` imports none of the heavy libraries (checked in sys.modules, not with a timer)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import REPO

ISSUE_LIST = ("pandas", "ortools", "pulp", "matplotlib", "xlsxwriter")


@pytest.mark.parametrize("argv", [["--help"], ["solve", "--help"], ["compare", "--help"]])
def test_help_imports_none_of_the_issues_list(argv):
    code = (
        "import sys\nfrom landopt.cli import cli\n"
        f"try:\n    cli.main({argv!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        f"print(sorted(set({ISSUE_LIST!r}) & {{m.split('.')[0] for m in sys.modules}}))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().endswith("[]"), p.stdout
    assert "Usage" in p.stdout


def test_compare_help_documents_the_base_rule():
    p = subprocess.run([sys.executable, "-m", "landopt", "compare", "--help"], capture_output=True, text=True,
                       cwd=REPO)
    assert "'base'" in p.stdout and "--variants" in p.stdout and "--detail" in p.stdout
