"""Time limits are kept, and Ctrl-C leaves nothing behind (slow: ~1e6-nonzero models)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

import landopt
from support import REPO, synthetic_scenario

pytestmark = pytest.mark.slow

MARGIN = 1.5
"""Seconds allowed beyond the limit: the watchdog's 0.5 s grace plus read-back and checking."""


@pytest.fixture(scope="module")
def big():
    return landopt.from_dict(synthetic_scenario(150, 50, 8))  # ~1.05e6 nonzeros; CLP needs ~1.5 s, HiGHS more


@pytest.mark.parametrize("backend", ["highs", "clp"])
def test_time_limit_returns_within_the_limit_plus_a_margin(big, backend):
    limit = 0.4  # the limit covers the build (~0.2 s); CLP needs ~1.5 s here, HiGHS longer
    t = time.perf_counter()
    res = big.solve(solver=backend, time_limit=limit)
    elapsed = time.perf_counter() - t
    assert elapsed <= limit + MARGIN, elapsed
    if res.status == "optimal":  # it finished within the watchdog's grace period (seen with CLP): still right
        assert res.checker["passed"] is True
    else:
        assert res.status == "time_limit", res.status
        assert "time limit" in res.message
        assert res.x is None or res.checker.get("passed") is not False


def test_time_limit_keeps_an_optimum_found_in_time():
    res = landopt.load(REPO / "scenarios" / "format_example.yaml").solve(time_limit=30)
    assert res.status == "optimal" and res.objective == pytest.approx(30600.0)


def _big_file(tmp_path):
    f = tmp_path / "big.yaml"
    f.write_text(yaml.safe_dump(synthetic_scenario(150, 50, 8), allow_unicode=True), encoding="utf-8")
    return f


@pytest.mark.parametrize("extra", [[], ["--time-limit", "120"]], ids=["in-process", "watchdog"])
def test_ctrl_c_leaves_no_partial_output(tmp_path, extra):
    f = _big_file(tmp_path)
    out = tmp_path / "report.json"
    env = dict(os.environ)
    proc = subprocess.Popen([sys.executable, "-m", "landopt", "solve", str(f), "--solver", "glop", "--format",
                             "json", "--out", str(out), "--progress", *extra], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    for line in proc.stderr:  # wait until the solve has started (GLOP needs seconds on this model)
        seen.append(line)
        if "solving stage 1" in line:
            break
    time.sleep(0.3)
    assert proc.poll() is None, seen
    t = time.perf_counter()
    proc.send_signal(signal.SIGINT)
    stdout, rest = proc.communicate(timeout=60)
    stderr = "".join(seen) + rest
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert time.perf_counter() - t < 30
    assert not out.exists()
    assert not [p.name for p in tmp_path.iterdir() if p.name not in ("big.yaml",)]


def _cbc_children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if ppid == pid and b"cbc" in cmd:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_cbc_dies_with_a_killed_parent():
    """A landopt process killed outright (CI timeout, OOM) leaves no CBC running on its own."""
    script = (
        "import numpy as np\nfrom solvers import make_problem, solve, SolveOptions\n"
        "rng = np.random.default_rng(0)\nA = rng.integers(0, 100, size=(5, 40)).astype(float)\n"
        "b = np.floor(A.sum(axis=1) / 2)\n"
        "p = make_problem(np.zeros(40), A, b, b, np.zeros(40), np.ones(40), integer=np.ones(40, bool))\n"
        "solve(p, 'cbc', SolveOptions(duals=False))\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO)
    deadline = time.monotonic() + 30
    kids: list[int] = []
    while not kids and time.monotonic() < deadline:
        time.sleep(0.05)
        kids = _cbc_children_of(proc.pid)
    assert kids, "CBC never started"
    proc.kill()
    proc.wait()
    time.sleep(0.5)
    def alive(pid: int) -> bool:
        try:
            with open(f"/proc/{pid}/stat") as f:
                return f.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    assert not [k for k in kids if alive(k)]
