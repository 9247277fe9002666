"""The architecture, enforced (docs/architecture.md): which stage may import what, no import cycle, imports
inside functions only with a reason, and the report runs no solve."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

import landopt
import solvers
from support import REPO, SCENARIOS

ROOTS = ("landopt", "solvers")


def _modname(p: Path) -> str:
    parts = list(p.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_modname(p): p for r in ROOTS for p in (REPO / r).rglob("*.py")}


def _targets(mod: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The project modules an import statement loads (a `from pkg import name` of a submodule counts it)."""
    names: list[str] = []
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = node.module or ""
        if node.level:
            pkg = mod.split(".") if MODULES[mod].name == "__init__.py" else mod.split(".")[:-1]
            pkg = pkg[: len(pkg) - node.level + 1]
            base = ".".join(pkg + ([base] if base else []))
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    out = []
    for t in names:
        while t and t not in MODULES and "." in t:
            t = t.rsplit(".", 1)[0]
        if t in MODULES or t.split(".")[0] in ROOTS:
            out.append(t)
    return out


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports under `if TYPE_CHECKING:` (they never run)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    lines.add(sub.lineno)
    return lines


def imports(include_type_checking: bool = False) -> dict[str, set[str]]:
    """module -> the project modules it imports (anywhere in it: module level or inside a function)."""
    graph: dict[str, set[str]] = {}
    for mod, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = set() if include_type_checking else _type_checking_only(tree)
        graph[mod] = {t for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                      and node.lineno not in skip for t in _targets(mod, node) if t != mod}
    return graph


GRAPH = imports()


def _in(mod: str, *packages: str) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in packages)


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import that breaks a contract of docs/architecture.md."""
    solving = ("landopt.engine.outline", "landopt.engine.run", "landopt.engine.stages", "landopt.engine.diagnose",
               "landopt.engine.sensitivity")
    rules = [
        ("solvers", ("landopt",), "solvers/ is a neutral library: it imports nothing of landopt"),
        ("landopt.report", ("solvers",) + solving, "the report imports no solver and nothing that solves"),
        ("landopt.input", ("solvers", "landopt.engine", "landopt.verify", "landopt.report"),
         "the input stage imports no solver and nothing after it in the pipeline"),
        ("landopt.model", ("landopt.input", "landopt.engine", "landopt.verify", "landopt.report"),
         "the model imports only the neutral LP form of solvers, and no later stage"),
        ("landopt.engine", ("landopt.input", "landopt.report"), "the engine imports no input stage and no report"),
        ("landopt.verify.independent", ("solvers", "landopt.engine.outline", "landopt.engine.run"),
         "the independent checker recomputes in plain Python: it imports no solver"),
        ("landopt.i18n", ("landopt.input", "landopt.model", "landopt.engine", "landopt.verify", "landopt.report"),
         "text is a leaf: it imports no stage"),
    ]
    out = []
    for mod, targets in sorted(graph.items()):
        for owner, forbidden, why in rules:
            if _in(mod, owner):
                out += [f"{mod} imports {t}: {why}" for t in sorted(targets) if _in(t, *forbidden)]
    return out


def test_import_contracts_hold():
    assert violations(GRAPH) == []


def test_the_contract_test_fails_when_a_report_module_imports_solvers():
    """The contract is not vacuous: a report module importing `solvers` is caught (shown in the closing note)."""
    graph = {k: set(v) for k, v in GRAPH.items()}
    graph["landopt.report.sections"].add("solvers")
    assert violations(graph) == ["landopt.report.sections imports solvers: the report imports no solver and "
                                 "nothing that solves"]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:  # Tarjan's strongly connected components, iteratively deep enough here
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_cycle_anywhere():
    """Counting imports inside functions too (they hid the cycles solve <-> result <-> diagnose)."""
    assert _cycles(GRAPH) == []


def test_no_import_cycle_even_for_type_checkers():
    assert _cycles(imports(include_type_checking=True)) == []


def _function_imports() -> list[tuple[str, int, str]]:
    """(file, line, the comment on the line or the line before) of every import inside a function."""
    out = []
    for mod, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for sub in ast.walk(node):
                    if isinstance(sub, (ast.Import, ast.ImportFrom)):
                        line = lines[sub.lineno - 1]
                        k = sub.lineno - 2  # else the comment above the block of imports it opens
                        while k >= 0 and lines[k].strip().startswith(("import ", "from ")):
                            k -= 1
                        before = lines[k].strip() if k >= 0 else ""
                        comment = line.split("#", 1)[1] if "#" in line else (before[1:] if before.startswith("#")
                                                                              else "")
                        out.append((str(path.relative_to(REPO)), sub.lineno, comment.strip()))
    return out


def test_imports_inside_functions_say_why():
    """An import inside a function is there for start-up time (`landopt --help` imports no numpy, pandas,
    ortools...) or for an optional library; each says which, in a comment starting `lazy:`."""
    missing = [f"{f}:{n}" for f, n, comment in _function_imports() if not comment.startswith("lazy:")]
    assert missing == []


# ----------------------------------------------------------------- the report solves nothing
@pytest.fixture
def count_solves(monkeypatch):
    calls = []
    real = solvers.solve

    def counted(*args, **kwargs):
        calls.append(args[1] if len(args) > 1 else kwargs.get("solver"))
        return real(*args, **kwargs)

    monkeypatch.setattr(solvers, "solve", counted)
    return calls


@pytest.mark.parametrize("name", ["teaching/t01_cap.yaml", "jinhua_city.yaml"])
def test_the_report_runs_no_solve_and_the_json_carries_the_prices_it_words(count_solves, name):
    """A degenerate optimum: the engine re-solves (counted), the report re-solves nothing, and every exact
    change the report quotes is in the JSON (`one_sided`)."""
    from landopt.report import render, solve_report

    res = landopt.load(SCENARIOS / name).solve(solver="highs")
    assert res.degenerate and res.sensitivity is not None and res.sensitivity.changes
    engine_solves = len(count_solves)
    assert engine_solves > 2
    for lang in ("en", "zh"):
        for fmt in ("table", "json", "html"):
            render(solve_report(res, lang=lang), fmt) if fmt != "json" else res.to_json()
    assert len(count_solves) == engine_solves, "the report solved something"
    data = json.loads(res.to_json())
    carried = [r["one_sided"] for key in ("rules", "resources", "limits") for r in data[key] if "one_sided" in r]
    assert len(carried) >= 1
    for one in res.sensitivity.changes.values():
        assert {"loosen": one.loosen, "tighten": one.tighten, "step": one.step} in carried
