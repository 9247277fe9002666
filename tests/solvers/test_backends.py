"""Every available backend on every reference problem, plus properties on generated LPs."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend_checks import (
    assert_close,
    assert_dual_certificate,
    backend_params,
    gives_duals,
    milp_backend_params,
    needs,
    packing_lp,
    tolerance,
)
from reference_problems import BY_NAME, REFERENCES, Reference
from solvers import BACKENDS, Capability, LinearProblem, SolveOptions, Status, make_problem, solve
from solvers._support import is_feasible

OBJECTIVE_TOL = 1e-6
AMBIGUOUS_INFEASIBLE_OR_UNBOUNDED = {"pdlp"}
"""Backends documented to answer INFEASIBLE_OR_UNBOUNDED where others decide (PDLP has no presolve to turn off)."""


@pytest.mark.parametrize("scaled", [True, False], ids=["scaled", "unscaled"])
@pytest.mark.parametrize("ref", REFERENCES, ids=lambda r: r.name)
@pytest.mark.parametrize("name", backend_params())
def test_reference_problem(name: str, ref: Reference, scaled: bool) -> None:
    cls = BACKENDS[name]
    if not cls.can_solve(ref.problem):
        pytest.skip(f"{name} does not solve this problem class")
    result = solve(ref.problem, name, SolveOptions(scale=scaled, duals=gives_duals(cls)))
    tol = tolerance(cls)
    if ref.status is not Status.OPTIMAL:
        allowed = {ref.status}
        if name in AMBIGUOUS_INFEASIBLE_OR_UNBOUNDED:
            allowed.add(Status.INFEASIBLE_OR_UNBOUNDED)
        assert result.status in allowed, result.message
        assert result.x is None and result.objective is None and result.duals is None
        return
    assert result.status is Status.OPTIMAL, f"{result.status}: {result.message}"
    assert result.solver == name
    assert_close(result.objective, ref.objective, OBJECTIVE_TOL, "objective")
    assert is_feasible(ref.problem, result.x, tol=tol)
    if ref.x is not None:
        assert_close(result.x, ref.x, tol, "x")
    if ref.problem.is_mip or not gives_duals(cls):
        assert result.duals is None and result.reduced_costs is None
        return
    if ref.duals is not None:
        assert_close(result.duals, ref.duals, tol, "duals")
    if ref.reduced_costs is not None:
        assert_close(result.reduced_costs, ref.reduced_costs, tol, "reduced costs")
    assert_dual_certificate(ref.problem, result, tol)


@pytest.mark.parametrize("name", backend_params())
def test_no_duals_when_not_asked(name: str) -> None:
    result = solve(BY_NAME["lp_max_le"].problem, name, SolveOptions(duals=False))
    assert result.status is Status.OPTIMAL
    assert result.duals is None and result.reduced_costs is None


@pytest.mark.parametrize("name", milp_backend_params())
def test_milp_reports_a_consistent_bound(name: str) -> None:
    result = solve(BY_NAME["milp_mixed"].problem, name)
    assert result.status is Status.OPTIMAL
    if result.bound is not None:  # CBC does not report one
        assert result.bound >= result.objective - 1e-6


@pytest.mark.parametrize("name", backend_params())
def test_time_limit_zero_stops_with_a_feasible_point_or_none(name: str) -> None:
    problem = packing_lp()
    result = solve(problem, name, SolveOptions(time_limit=0.0, duals=False))
    assert result.status is Status.TIME_LIMIT, result.message
    assert "time limit" in result.message  # every backend says why it stopped, whatever its library said
    assert result.duals is None
    if result.x is not None:
        assert is_feasible(problem, result.x)
        assert result.objective == pytest.approx(problem.objective_value(result.x))


@pytest.mark.parametrize("name", milp_backend_params())
def test_loose_mip_gap_still_counts_as_optimal(name: str) -> None:
    ref = BY_NAME["milp_knapsack"]
    result = solve(ref.problem, name, SolveOptions(mip_rel_gap=0.5))
    assert result.status is Status.OPTIMAL
    assert is_feasible(ref.problem, result.x)
    assert result.objective >= 0.5 * ref.objective - 1e-9


@pytest.mark.parametrize("name", backend_params())
def test_solve_writes_nothing_to_stdout(name: str, capfd: pytest.CaptureFixture[str]) -> None:
    cls = BACKENDS[name]
    problems = [BY_NAME["lp_max_le"], BY_NAME["lp_infeasible"]]
    if cls.supports(Capability.MILP):
        problems.append(BY_NAME["milp_knapsack"])
    for ref in problems:
        solve(ref.problem, name, SolveOptions(duals=gives_duals(cls)))
    assert capfd.readouterr().out == ""


@pytest.mark.parametrize("name", backend_params())
def test_verbose_logs_go_to_stderr(name: str, capfd: pytest.CaptureFixture[str]) -> None:
    cls = BACKENDS[name]
    result = solve(BY_NAME["lp_max_le"].problem, name, SolveOptions(verbose=True, duals=gives_duals(cls)))
    assert result.status is Status.OPTIMAL
    captured = capfd.readouterr()
    assert captured.out == ""
    assert captured.err.strip() != ""


# ------------------------------------------------------------------------- properties
COEFFICIENTS = st.sampled_from([-3.0, -2.0, -1.0, -0.5, 0.0, 0.0, 0.0, 0.5, 1.0, 2.0, 3.0])


@st.composite
def feasible_bounded_lps(draw: st.DrawFn) -> LinearProblem:
    """Small LPs with finite column bounds, built so that a reference point is feasible."""
    n = draw(st.integers(1, 5))
    m = draw(st.integers(0, 5))
    A = np.array(draw(st.lists(st.lists(COEFFICIENTS, min_size=n, max_size=n), min_size=m, max_size=m)),
                 dtype=float).reshape(m, n)
    lower = np.array(draw(st.lists(st.sampled_from([0.0, 0.0, -1.0, -4.0]), min_size=n, max_size=n)))
    width = np.array(draw(st.lists(st.sampled_from([1.0, 2.0, 5.0, 10.0]), min_size=n, max_size=n)))
    where = np.array(draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=n, max_size=n)))
    x_ref = lower + where * width
    activity = A @ x_ref
    row_lo, row_hi = np.full(m, -np.inf), np.full(m, np.inf)
    for i in range(m):
        kind = draw(st.sampled_from(["le", "ge", "eq", "range", "free"]))
        slack = draw(st.sampled_from([0.0, 0.5, 1.0, 3.0]))
        if kind in ("le", "range"):
            row_hi[i] = activity[i] + slack
        if kind in ("ge", "range"):
            row_lo[i] = activity[i] - draw(st.sampled_from([0.0, 0.5, 2.0]))
        if kind == "eq":
            row_lo[i] = row_hi[i] = activity[i]
    c = draw(st.lists(st.integers(-4, 4).map(float), min_size=n, max_size=n))
    return make_problem(c, A, row_lo, row_hi, lower, lower + width,
                        sense=draw(st.sampled_from(["max", "min"])), c0=draw(st.sampled_from([0.0, 2.5])))


AVAILABLE = [name for name, cls in BACKENDS.items() if cls.is_available()]


@pytest.mark.skipif(len(AVAILABLE) < 1, reason="no solver library installed")
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problem=feasible_bounded_lps(), scaled=st.booleans())
def test_backends_agree_and_duals_certify_optimality(problem: LinearProblem, scaled: bool) -> None:
    objectives = {}
    for name in AVAILABLE:
        cls = BACKENDS[name]
        result = solve(problem, name, SolveOptions(scale=scaled, duals=gives_duals(cls)))
        assert result.status is Status.OPTIMAL, f"{name}: {result.status} {result.message}"
        objectives[name] = result.objective
        if cls.supports(Capability.DUALS):
            assert_dual_certificate(problem, result, OBJECTIVE_TOL)
    reference = objectives[AVAILABLE[0]]
    for name, value in objectives.items():
        assert_close(value, reference, OBJECTIVE_TOL, f"objective of {name} vs {AVAILABLE[0]}")


@needs("highs")
def test_passthrough_reaches_mathopt() -> None:
    from ortools.math_opt.python import parameters

    ref = BY_NAME["lp_max_le"]
    options = SolveOptions(passthrough={"lp_algorithm": parameters.LPAlgorithm.BARRIER})
    assert_close(solve(ref.problem, "highs", options).objective, ref.objective, OBJECTIVE_TOL, "objective")
    broken = solve(ref.problem, "glop", options)  # GLOP has no barrier: the refusal is a result
    assert broken.status is Status.ERROR and "lp_algorithm" in broken.message


@needs("cbc")
def test_passthrough_reaches_cbc() -> None:
    ref = BY_NAME["lp_max_le"]
    result = solve(ref.problem, "cbc", SolveOptions(passthrough={"presolve": "off"}))
    assert result.status is Status.OPTIMAL
    assert_close(result.duals, ref.duals, OBJECTIVE_TOL, "duals")


def test_concurrent_solves_restore_stdout(capfd: pytest.CaptureFixture[str]) -> None:
    names = [n for n in ("highs", "clp", "glop") if BACKENDS[n].is_available()]
    if not names:
        pytest.skip("needs OR-Tools")
    before = os.fstat(1)
    problem = packing_lp(m=100, n=600)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda name: solve(problem, name), names * 3))
    assert {r.status for r in results} == {Status.OPTIMAL}
    after = os.fstat(1)
    assert (after.st_dev, after.st_ino) == (before.st_dev, before.st_ino)
    assert capfd.readouterr().out == ""
