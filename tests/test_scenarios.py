"""Every scenario in scenarios/ (and each of its variants) is a regression case on every backend."""

from __future__ import annotations

import pytest

import landopt
from landopt.expect import compare
from support import LP_BACKENDS, SCENARIOS, scenario_files


def _cases():
    out = []
    for f in scenario_files():
        rel = f.relative_to(SCENARIOS).as_posix()
        sc = landopt.load(f)
        for v in [None, *sc.variants]:
            for b in LP_BACKENDS:
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
