"""PuLP and OR-Tools in one process, imported in either order, with every backend solving.

(highspy must never be installed: it ships its own libhighs and breaks OR-Tools in the
same process.) Each case runs in a fresh interpreter.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from solvers import BACKENDS

REPO = Path(__file__).resolve().parents[2]
pytest.importorskip("ortools")
pytest.importorskip("pulp")

SOLVE_ALL = """
import json
import solvers
from solvers import BACKENDS, SolveOptions, make_problem, solve
lp = make_problem([3, 5], [[1, 0], [0, 2], [3, 2]], [float("-inf")] * 3, [4, 12, 18], sense="max")
milp = make_problem([10, 13, 7, 8], [[3, 4, 2, 3]], [float("-inf")], [7], [0] * 4, [1] * 4, integer=[True] * 4)
out = {}
for name, cls in BACKENDS.items():
    duals = cls.supports(solvers.Capability.DUALS) or cls.supports(solvers.Capability.APPROX_DUALS)
    r = solve(lp, name, SolveOptions(duals=duals))
    out[name] = [r.status.value, r.objective]
    if cls.supports(solvers.Capability.MILP):
        r = solve(milp, name)
        out[name + "/milp"] = [r.status.value, r.objective]
print(json.dumps(out))
"""

ORDERS = {
    "pulp_first": "import pulp\nimport ortools.math_opt.python.mathopt\nimport ortools.linear_solver.pywraplp\n",
    "ortools_first": "import ortools.math_opt.python.mathopt\nimport ortools.linear_solver.pywraplp\nimport pulp\n",
    "solvers_only": "",
}


@pytest.mark.parametrize("order", ORDERS, ids=list(ORDERS))
def test_every_backend_solves_whatever_the_import_order(order: str) -> None:
    proc = subprocess.run([sys.executable, "-c", ORDERS[order] + SOLVE_ALL], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    results = json.loads(proc.stdout)
    expected = {name for name, cls in BACKENDS.items() if cls.is_available()}
    assert expected <= {key.split("/")[0] for key in results}
    for key, (status, objective) in results.items():
        assert status == "optimal", f"{key}: {status}"
        assert objective == pytest.approx(23.0 if key.endswith("/milp") else 36.0, rel=1e-6), key


def test_highspy_is_not_installed() -> None:
    import importlib.util

    assert importlib.util.find_spec("highspy") is None, "highspy breaks OR-Tools in the same process"
