"""Shared fixtures: a CLI runner; `support.py` (put on sys.path here) holds paths and backend lists."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

import solvers  # noqa: E402,F401  (import the real package before tests/ is on sys.path: tests/solvers/ must not shadow it)

sys.path.append(str(Path(__file__).resolve().parent))

# A suite started in the background (`.ci/run &`, a non-interactive shell's job) inherits SIGINT ignored, and
# so would every process it starts: the Ctrl-C tests need it delivered, here and in their subprocesses (an
# ignored signal stays ignored across exec; a handler does not).
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

from support import REPO  # noqa: E402

# Hypothesis profiles: `ci` is derandomised (a CI run never flaps), `fuzz` runs long.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.register_profile("fuzz", deadline=None, max_examples=10_000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("LANDOPT_CI") else "dev"))


@dataclass
class CliRun:
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli():
    """Run `python -m landopt ARGS` in a subprocess; returns code, stdout, stderr."""
    def run(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 300) -> CliRun:
        e = dict(os.environ)
        e.pop("LANDOPT_LANG", None)
        for var in ("LC_ALL", "LC_MESSAGES", "LANG"):  # a Chinese locale would make zh the default language
            if e.get(var, "").lower().startswith("zh"):
                e[var] = "C.UTF-8"
        e.update(env or {})
        p = subprocess.run([sys.executable, "-m", "landopt", *args], cwd=cwd or REPO, env=e,
                           capture_output=True, text=True, timeout=timeout)
        return CliRun(p.returncode, p.stdout, p.stderr)
    return run


def pytest_collection_modifyitems(config, items):
    """A test that starts landopt in a fresh process (the `run_cli` fixture) is slow: about a second of
    start-up each. `python -m pytest -m "not slow"` is the quick unit run (under a minute on 2 cores)."""
    for item in items:
        if "run_cli" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
