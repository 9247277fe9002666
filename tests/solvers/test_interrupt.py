"""Ctrl-C during a solve: KeyboardInterrupt comes out, nothing is left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from backend_checks import backend_params
from solvers import BACKENDS, Capability
from solvers._support import call_interruptibly

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parents[1]

pytestmark = pytest.mark.slow  # subprocesses, every backend: run with -m slow

SCRIPT = r"""
import json, os, signal, sys, threading, time
sys.path.insert(0, sys.argv[2])
import numpy as np
from backend_checks import packing_lp
from solvers import SolveOptions, make_problem, solve
import solvers.mathopt_backend as mathopt_backend
import solvers.pulp_backend as pulp_backend

name = sys.argv[1]
evidence = []  # MathOpt limits and CBC kills, recorded by the spies below

if name == "cbc":
    # A market-split MILP: CBC needs far longer than the test's timeout to finish it.
    rng = np.random.default_rng(0)
    A = rng.integers(0, 100, size=(5, 40)).astype(float)
    b = np.floor(A.sum(axis=1) / 2)
    problem = make_problem(np.zeros(40), A, b, b, np.zeros(40), np.ones(40), integer=np.ones(40, bool))
elif name in ("glop", "pdlp"):
    # Over half a minute uninterrupted, so only the interrupt can end it early, even on a busy machine.
    problem = packing_lp(m=1500, n=12000)
else:
    # Not interruptible: the solve (about a second) runs to its end before KeyboardInterrupt.
    problem = packing_lp()

run_in_worker = mathopt_backend.call_interruptibly
def worker_spy(fn, on_interrupt=None):
    def recording():
        from ortools.math_opt import result_pb2
        proto = fn()
        evidence.append(result_pb2.LimitProto.Name(proto.termination.limit))
        return proto
    return run_in_worker(recording, on_interrupt)
mathopt_backend.call_interruptibly = worker_spy

kill = pulp_backend._kill
def kill_spy(child):
    evidence.append("killed")
    kill(child)
pulp_backend._kill = kill_spy


def children():
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            if ppid == os.getpid():
                found.append(int(entry))
    return found


def press_ctrl_c_once_cbc_runs():
    deadline = time.monotonic() + 60
    while not children() and time.monotonic() < deadline:
        time.sleep(0.002)
    os.kill(os.getpid(), signal.SIGINT)


def ctrl_c_on_entry(native):
    # Press Ctrl-C from inside the worker, as the native solve starts: deterministic even
    # for CLP, whose SWIG call keeps the GIL (a watcher thread could not run meanwhile).
    def pressed(*args):
        os.kill(os.getpid(), signal.SIGINT)
        return native(*args)
    return pressed


if name == "cbc":
    threading.Thread(target=press_ctrl_c_once_cbc_runs, daemon=True).start()
elif name == "clp":
    from ortools.linear_solver import pywraplp
    pywraplp.Solver.SolveWithProto = staticmethod(ctrl_c_on_entry(pywraplp.Solver.SolveWithProto))
else:
    from ortools.math_opt.core.python import solver
    solver.solve = ctrl_c_on_entry(solver.solve)
outcome = "returned"
try:
    solve(problem, name, SolveOptions(duals=False))
except KeyboardInterrupt:
    outcome = "KeyboardInterrupt"
print(json.dumps({"outcome": outcome, "children": children(), "leftovers": os.listdir(os.environ["TMPDIR"]),
                  "evidence": evidence}))
"""


@pytest.mark.parametrize("name", backend_params())
def test_ctrl_c_raises_keyboard_interrupt_and_cleans_up(name: str, tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, name, str(TESTS)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (report["outcome"], report["children"], report["leftovers"]) == ("KeyboardInterrupt", [], [])
    if name == "cbc":
        assert report["evidence"] == ["killed"]
    elif BACKENDS[name].supports(Capability.INTERRUPT):
        assert report["evidence"] == ["LIMIT_INTERRUPTED"]


def test_interrupt_is_delivered_while_the_worker_runs() -> None:
    calls: list[str] = []

    def work() -> int:
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.2)  # the handler runs in this thread's caller meanwhile
        calls.append("finished")
        return 1

    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        call_interruptibly(work, lambda: calls.append("interrupt"))
    assert calls == ["interrupt", "finished"]
    assert signal.getsignal(signal.SIGINT) is before


def test_worker_result_and_errors_come_back() -> None:
    assert call_interruptibly(lambda: 42) == 42

    def fail() -> None:
        msg = "from the worker"
        raise ValueError(msg)

    with pytest.raises(ValueError, match="from the worker"):
        call_interruptibly(fail)


def test_ctrl_c_while_the_model_is_handed_over_is_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    """A SIGINT during a backend's conversion (before its native solve) ends the solve at once.

    Without the hold in `solvers.solve`, the KeyboardInterrupt could fire inside a C-extension
    callback (protobuf's), be printed as "Exception ignored" and be lost: the solve ran to the end.
    """
    import solvers
    from backend_checks import packing_lp

    started: list[str] = []

    def converting_then_solving(self, problem, options):  # what every backend does, in brief
        try:
            os.kill(os.getpid(), signal.SIGINT)  # arrives while "converting"
            time.sleep(0.05)
        except KeyboardInterrupt:
            pass  # what a C-extension callback does with it: "Exception ignored", then dropped
        return call_interruptibly(lambda: started.append("native solve"))

    monkeypatch.setattr(BACKENDS["glop"], "solve", converting_then_solving)
    before = signal.getsignal(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        solvers.solve(packing_lp(), "glop", solvers.SolveOptions(duals=False))
    assert started == []  # the native solve never started
    assert signal.getsignal(signal.SIGINT) is before


def test_ctrl_c_while_waiting_for_cbc_kills_it_at_once() -> None:
    """A SIGINT after CBC has started (the wait, under `solvers.solve`'s hold) kills the child and
    comes out as KeyboardInterrupt at once, not when CBC finishes."""
    import threading

    from solvers import SolveOptions
    from solvers._support import sigint_calls
    from solvers.pulp_backend import _run

    threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT)).start()  # well after Popen returned
    t = time.monotonic()
    with pytest.raises(KeyboardInterrupt), sigint_calls(None):  # the hold `solvers.solve` puts around a backend
        _run(["sleep", "30"], SolveOptions())
    assert time.monotonic() - t < 5
