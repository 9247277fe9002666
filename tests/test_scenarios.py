"""Every scenario in scenarios/ (and each of its variants) is a regression case on every backend."""

from __future__ import annotations

import pytest

import landopt
from landopt.verify.expectations import compare
from support import SCENARIOS, backends_for, scenario_files

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow


def _cases():
    out = []
    for f in scenario_files():
        rel = f.relative_to(SCENARIOS).as_posix()
        sc = landopt.load(f)
        for v in [None, *sc.variants]:
            for b in backends_for(f, (v,) if v else ()):
                out.append(pytest.param(f, v, b, id=f"{rel}{'[' + v + ']' if v else ''}-{b}"))
    return out


@pytest.mark.parametrize("path,variant,backend", _cases())
def test_scenario_expectations_hold(path, variant, backend):
    sc = landopt.load(path, (variant,) if variant else ())
    assert sc.spec.expect is not None, f"{path} has no expect block"
    res = sc.solve(solver=backend)
    mism = compare(res)
    assert not mism, "\n".join(m.line() for m in mism)
    if res.x is not None:
        assert res.checker["passed"] is True


def test_check_command_passes_on_the_library(run_cli):
    r = run_cli("check", "scenarios")
    assert r.code == 0, r.out + r.err
    assert " 0 failed" in r.out


def test_every_runnable_scenario_has_expect():
    for f in scenario_files():
        assert landopt.load(f).spec.expect is not None, f


def _cases_by_file():
    out = []
    for f in scenario_files():
        rel = f.relative_to(SCENARIOS).as_posix()
        for v in [None, *landopt.load(f).variants]:
            out.append(pytest.param(f, v, id=f"{rel}{'[' + v + ']' if v else ''}"))
    return out


@pytest.mark.parametrize("path,variant", _cases_by_file())
def test_canonical_allocation_is_the_same_on_every_exact_backend(path, variant):
    """Degenerate optima do not make reports flap: every exact backend reports the same allocation."""
    sc = landopt.load(path, (variant,) if variant else ())
    allocs = {}
    for b in backends_for(path, (variant,) if variant else (), exact=True):
        res = sc.solve(solver=b)
        if res.status != "optimal":
            return
        allocs[b] = {(a["area"], a["sector"], a["year"]): a["land"] for a in res.allocation_records()}
    ref_name, ref = next(iter(allocs.items()))
    for b, al in allocs.items():
        for k in set(ref) | set(al):
            assert al.get(k, 0.0) == pytest.approx(ref.get(k, 0.0), rel=1e-6, abs=1e-5), (b, ref_name, k)
