"""`compare --help` documents how plans are named (the import lightness of every `--help` is
tested in tests/test_cli.py::test_help_imports_nothing_heavy)."""

from __future__ import annotations

import subprocess
import sys

from support import REPO


def test_compare_help_documents_the_base_rule():
    p = subprocess.run([sys.executable, "-m", "landopt", "compare", "--help"], capture_output=True, text=True,
                       cwd=REPO)
    assert "'base'" in p.stdout and "--variants" in p.stdout and "--detail" in p.stdout
