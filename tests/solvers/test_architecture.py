"""`solvers` stays solver-neutral and cheap to import."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "solvers"
SOLVER_LIBRARIES = {"ortools", "pulp", "highspy", "pybind11_abseil"}


def imported_modules(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    """(top-level module name, node) for every import statement in a module."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name.split(".")[0], node) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module.split(".")[0], node))
    return found


def modules() -> list[Path]:
    """Every Python module of the package."""
    files = sorted(PACKAGE.rglob("*.py"))
    assert files
    return files


def test_no_module_imports_landopt() -> None:
    offenders = [f"{path.name}:{node.lineno}" for path in modules()
                 for name, node in imported_modules(ast.parse(path.read_text())) if name == "landopt"]
    assert offenders == []


def test_solver_libraries_are_imported_only_inside_functions() -> None:
    offenders = []
    for path in modules():
        tree = ast.parse(path.read_text())
        lazy = {id(node) for func in ast.walk(tree) if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
                for node in ast.walk(func)}
        type_only = {id(node) for block in ast.walk(tree) if isinstance(block, ast.If)
                     and ast.unparse(block.test) == "TYPE_CHECKING" for node in ast.walk(block)}
        offenders += [f"{path.name}:{node.lineno}" for name, node in imported_modules(tree)
                      if name in SOLVER_LIBRARIES and id(node) not in lazy | type_only]
    assert offenders == []


def test_nothing_imports_highspy() -> None:
    offenders = [path.name for path in modules()
                 for name, _ in imported_modules(ast.parse(path.read_text())) if name == "highspy"]
    assert offenders == []


def test_importing_solvers_loads_no_solver_library_or_pandas() -> None:
    code = ("import json, sys, solvers\n"
            "print(json.dumps(sorted({m.split('.')[0] for m, mod in sys.modules.items() if mod is not None})))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    loaded = set(json.loads(proc.stdout))
    assert loaded.isdisjoint(SOLVER_LIBRARIES | {"pandas", "landopt"})


def test_availability_probe_imports_nothing() -> None:
    code = ("import json, sys, solvers\n"
            "solvers.available_backends(); solvers.describe_backends()\n"
            "print(json.dumps(sorted({m.split('.')[0] for m, mod in sys.modules.items() if mod is not None})))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert set(json.loads(proc.stdout)).isdisjoint(SOLVER_LIBRARIES | {"pandas"})


def test_solving_loads_no_pandas() -> None:
    """A solve on every available backend leaves pandas unloaded: it costs a quarter of a second of a CLI run's
    start-up (OR-Tools' `model_builder` imports it; the CLP backend uses the pybind11 helper underneath instead)."""
    code = ("import json, sys, solvers\n"
            "from solvers import BACKENDS, Capability, SolveOptions, make_problem, solve\n"
            "lp = make_problem([3, 5], [[1, 0], [0, 2], [3, 2]], [float('-inf')] * 3, [4, 12, 18], sense='max')\n"
            "out = {}\n"
            "for name, cls in BACKENDS.items():\n"
            "    if cls.is_available():\n"
            "        r = solve(lp, name, SolveOptions(duals=cls.supports(Capability.DUALS)))\n"
            "        out[name] = [r.status.value, 'pandas' in sys.modules]\n"
            "print(json.dumps(out))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out, "no backend available"
    assert {name: status for name, (status, _) in out.items()} == dict.fromkeys(out, "optimal")
    assert [name for name, (_, pandas) in out.items() if pandas] == []
