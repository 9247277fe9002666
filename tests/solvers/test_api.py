"""The public entry points: registry, backend choice, and `solve`'s error handling."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import solvers
from backend_checks import backend_params, needs, needs_any_backend
from reference_problems import BY_NAME
from solvers import (
    BACKENDS,
    BackendUnavailable,
    Capability,
    IncompatibleSolver,
    LinearProblem,
    ProblemError,
    ScalingReport,
    SolveOptions,
    SolveResult,
    Status,
    UnknownSolver,
    choose_backend,
    describe_backends,
    get_backend,
    solve,
)
from solvers.mathopt_backend import HighsBackend

LP = BY_NAME["lp_max_le"].problem
MILP = BY_NAME["milp_knapsack"].problem


@pytest.fixture
def nothing_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend no solver library is installed."""
    for cls in BACKENDS.values():
        monkeypatch.setattr(cls, "is_available", classmethod(lambda cls: False))


def test_registry_is_consistent() -> None:
    assert list(BACKENDS) == ["clp", "highs", "cbc", "glop", "scip", "pdlp"]
    for name, cls in BACKENDS.items():
        assert cls.name == name and cls.display_name and cls.library and cls.description
        assert Capability.LP in cls.capabilities
        assert not (Capability.DUALS in cls.capabilities and Capability.APPROX_DUALS in cls.capabilities)


def test_get_backend_is_case_insensitive() -> None:
    assert isinstance(get_backend(" HiGHS "), HighsBackend)


def test_unknown_solver_lists_known_and_available_names() -> None:
    with pytest.raises(UnknownSolver) as info:
        get_backend("gurobi")
    message = str(info.value)
    assert "'gurobi'" in message and "available here" in message
    for name in BACKENDS:
        assert name in message
    assert isinstance(info.value, ValueError)


def test_auto_prefers_the_first_available_exact_dual_backend() -> None:
    available = solvers.available_backends()
    exact = [n for n in available if BACKENDS[n].supports(Capability.DUALS)]
    milp = [n for n in available if BACKENDS[n].supports(Capability.MILP)]
    if not exact or not milp:
        pytest.skip("needs OR-Tools or PuLP")
    assert choose_backend(LP).name == exact[0]
    assert choose_backend(MILP).name == milp[0]
    assert choose_backend(LP, need_duals=False).name == available[0]


def test_auto_skips_unavailable_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("clp", "highs"):
        monkeypatch.setattr(BACKENDS[name], "is_available", classmethod(lambda cls: False))
    if not BACKENDS["cbc"].is_available():
        pytest.skip("needs PuLP")
    assert choose_backend(LP).name == "cbc"
    assert choose_backend(MILP).name == "cbc"


def test_auto_without_any_library(nothing_installed: None) -> None:
    with pytest.raises(BackendUnavailable, match="install one of: ortools, pulp"):
        choose_backend(LP)


def suggestion(kind: Capability) -> str:
    """The alternatives part of an IncompatibleSolver message for backends with `kind`."""
    names = [n for n in solvers.available_backends() if BACKENDS[n].supports(kind)]
    return f"use one of: {', '.join(names)}" if names else "no installed solver fits (install ortools or pulp)"


def test_named_lp_solver_on_a_milp_names_alternatives() -> None:
    with pytest.raises(IncompatibleSolver) as info:
        choose_backend(MILP, "clp")
    assert str(info.value) == f"solver 'clp' cannot solve a MILP; {suggestion(Capability.MILP)}"


def test_named_solver_without_duals_is_refused_only_when_duals_are_needed() -> None:
    with pytest.raises(IncompatibleSolver) as info:
        choose_backend(LP, "scip")
    expected = f"solver 'scip' returns no duals for an LP; {suggestion(Capability.DUALS)}, or do not ask for duals"
    assert str(info.value) == expected
    assert choose_backend(LP, "scip", need_duals=False).name == "scip"
    assert choose_backend(MILP, "scip").name == "scip"
    assert choose_backend(LP, "pdlp").name == "pdlp"  # approximate duals were asked for by name


@needs("highs")
def test_missing_library_is_reported_with_alternatives(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(HighsBackend, "is_available", classmethod(lambda cls: False))
    with pytest.raises(BackendUnavailable, match=r"'highs' needs the Python package 'ortools'.*use one of"):
        solve(LP, "highs")


@needs("highs")
def test_import_error_inside_a_backend_becomes_backend_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, problem: LinearProblem, options: SolveOptions) -> None:
        msg = "libortools.so: cannot open shared object file"
        raise ImportError(msg)

    monkeypatch.setattr(HighsBackend, "solve", broken)
    with pytest.raises(BackendUnavailable, match="cannot open shared object"):
        solve(LP, "highs")


@needs("highs")
def test_library_crash_becomes_an_error_result(monkeypatch: pytest.MonkeyPatch) -> None:
    def crash(self: object, problem: LinearProblem, options: SolveOptions) -> None:
        msg = "segfault averted"
        raise RuntimeError(msg)

    monkeypatch.setattr(HighsBackend, "solve", crash)
    result = solve(LP, "highs")
    assert result.status is Status.ERROR and result.solver == "highs"
    assert "RuntimeError: segfault averted" in result.message
    assert result.x is None and result.objective is None


@needs("highs")
def test_keyboard_interrupt_propagates(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(self: object, problem: LinearProblem, options: SolveOptions) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(HighsBackend, "solve", interrupted)
    with pytest.raises(KeyboardInterrupt):
        solve(LP, "highs")


def test_malformed_problem_is_rejected_before_solving() -> None:
    bad = dataclasses.replace(LP, row_hi=np.array([4.0, np.nan, 18.0]))
    with pytest.raises(ProblemError, match="row_hi of y_cap is NaN"):
        solve(bad)


@needs_any_backend
def test_objective_is_recomputed_in_the_original_problem() -> None:
    ref = BY_NAME["lp_free_columns_with_constant"]
    result = solve(ref.problem)
    assert result.objective == pytest.approx(ref.problem.c @ result.x + 10.0, rel=1e-15)
    assert isinstance(result.scaling, ScalingReport)


def test_describe_backends_rows() -> None:
    rows = describe_backends()
    assert [row.name for row in rows] == list(BACKENDS)
    for row in rows:
        assert row.available == BACKENDS[row.name].is_available()
        assert "lp" in row.capabilities and row.description


@pytest.mark.parametrize("name", backend_params())
def test_huge_finite_bounds_give_a_result_and_no_stdout(name: str, capfd: pytest.CaptureFixture[str]) -> None:
    # Some solvers refuse |bound| > 1e50; that must come back as a result, silently.
    problem = dataclasses.replace(LP, row_lo=np.full(3, -1e300))
    result = solve(problem, name, SolveOptions(duals=False))
    assert result.status in (Status.OPTIMAL, Status.ERROR)
    assert capfd.readouterr().out == ""


def fake_solves(monkeypatch: pytest.MonkeyPatch, *answers: SolveResult) -> list[LinearProblem]:
    """Make HighsBackend.solve return `answers` in turn; returns the problems it was given."""
    seen: list[LinearProblem] = []

    def fake(self: object, problem: LinearProblem, options: SolveOptions) -> SolveResult:
        seen.append(problem)
        return dataclasses.replace(answers[len(seen) - 1])

    monkeypatch.setattr(HighsBackend, "solve", fake)
    return seen


@needs("highs")
def test_suspect_scaled_answer_is_checked_without_scaling(monkeypatch: pytest.MonkeyPatch) -> None:
    good = SolveResult(Status.OPTIMAL, "highs", x=np.array([2.0, 6.0]))
    seen = fake_solves(monkeypatch, SolveResult(Status.INFEASIBLE_OR_UNBOUNDED, "highs"), good)
    result = solve(LP, "highs")
    assert len(seen) == 2 and seen[1] is LP
    assert result.status is Status.OPTIMAL and result.objective == 36.0
    assert "solved again without scaling: it ended infeasible_or_unbounded" in result.message
    assert result.scaling.scaled_ratio == result.scaling.ratio  # the answer came from the unscaled problem


@needs("highs")
def test_infeasible_is_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = fake_solves(monkeypatch, SolveResult(Status.INFEASIBLE, "highs"))
    assert solve(LP, "highs").status is Status.INFEASIBLE
    assert len(seen) == 1


@needs("highs")
def test_point_is_clipped_onto_column_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_solves(monkeypatch, SolveResult(Status.OPTIMAL, "highs", x=np.array([2.0 + 1e-12, -1e-9])))
    problem = dataclasses.replace(LP, c=np.array([3.0, 1e6]))
    result = solve(problem, "highs", SolveOptions(scale=False))
    assert result.x[1] == 0.0 and result.objective == pytest.approx(6.0, rel=1e-12)


@needs("highs")
def test_point_that_misses_the_bounds_is_not_called_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_solves(monkeypatch, SolveResult(Status.OPTIMAL, "highs", x=np.array([4.0, 7.0])))  # 3x + 2y = 26 > 18
    result = solve(LP, "highs", SolveOptions(scale=False))
    assert result.status is Status.NUMERICAL_ERROR
    assert "violates the original bounds by 1.8e-01" in result.message  # (26 - 18) / (1 + 18 + 3*4 + 2*7)
    limited = SolveResult(Status.TIME_LIMIT, "highs", x=np.array([4.0, 7.0]))
    fake_solves(monkeypatch, limited)
    assert solve(LP, "highs", SolveOptions(scale=False)).x is None
