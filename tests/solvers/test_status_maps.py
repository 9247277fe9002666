"""Every native status of every library maps to a Status (unknown ones to ERROR)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from solvers import SolveOptions, Status

TIMED = SolveOptions(time_limit=10.0)
UNTIMED = SolveOptions()


# ---------------------------------------------------------------------------- MathOpt
def termination(reason: int, limit: int = 0, primal: int = 0) -> SimpleNamespace:
    """A stand-in for a MathOpt TerminationProto."""
    return SimpleNamespace(reason=reason, limit=limit, problem_status=SimpleNamespace(primal_status=primal))


def test_mathopt_every_reason_and_limit_maps() -> None:
    result_pb2 = pytest.importorskip("ortools.math_opt.result_pb2")
    from solvers.mathopt_backend import _status

    for reason in result_pb2.TerminationReasonProto.values():
        for limit in result_pb2.LimitProto.values():
            for options in (TIMED, UNTIMED):
                assert isinstance(_status(termination(reason, limit), options), Status)
    assert _status(termination(12345), UNTIMED) is Status.ERROR


@pytest.mark.parametrize(("reason", "limit", "options", "expected"), [
    ("OPTIMAL", "UNSPECIFIED", UNTIMED, Status.OPTIMAL),
    ("INFEASIBLE", "UNSPECIFIED", UNTIMED, Status.INFEASIBLE),
    ("UNBOUNDED", "UNSPECIFIED", UNTIMED, Status.UNBOUNDED),
    ("IMPRECISE", "UNSPECIFIED", UNTIMED, Status.NUMERICAL_ERROR),
    ("NUMERICAL_ERROR", "UNSPECIFIED", UNTIMED, Status.NUMERICAL_ERROR),
    ("OTHER_ERROR", "UNSPECIFIED", UNTIMED, Status.ERROR),
    ("UNSPECIFIED", "UNSPECIFIED", UNTIMED, Status.ERROR),
    ("FEASIBLE", "TIME", TIMED, Status.TIME_LIMIT),
    ("NO_SOLUTION_FOUND", "TIME", TIMED, Status.TIME_LIMIT),
    ("FEASIBLE", "ITERATION", UNTIMED, Status.ITERATION_LIMIT),
    ("FEASIBLE", "NODE", UNTIMED, Status.ITERATION_LIMIT),
    ("FEASIBLE", "SOLUTION", UNTIMED, Status.ITERATION_LIMIT),
    ("NO_SOLUTION_FOUND", "INTERRUPTED", UNTIMED, Status.INTERRUPTED),
    ("NO_SOLUTION_FOUND", "SLOW_PROGRESS", UNTIMED, Status.NUMERICAL_ERROR),
    ("NO_SOLUTION_FOUND", "NORM", UNTIMED, Status.NUMERICAL_ERROR),
    ("NO_SOLUTION_FOUND", "MEMORY", UNTIMED, Status.ERROR),
    ("NO_SOLUTION_FOUND", "OTHER", UNTIMED, Status.ERROR),
    ("NO_SOLUTION_FOUND", "UNDETERMINED", TIMED, Status.TIME_LIMIT),  # GLOP's time limit
    ("NO_SOLUTION_FOUND", "UNDETERMINED", UNTIMED, Status.ERROR),
])
def test_mathopt_mapping(reason: str, limit: str, options: SolveOptions, expected: Status) -> None:
    result_pb2 = pytest.importorskip("ortools.math_opt.result_pb2")
    from solvers.mathopt_backend import _status

    term = termination(result_pb2.TerminationReasonProto.Value(f"TERMINATION_REASON_{reason}"),
                       result_pb2.LimitProto.Value(f"LIMIT_{limit}"))
    assert _status(term, options) is expected


@pytest.mark.parametrize(("primal", "expected"), [
    ("FEASIBILITY_STATUS_INFEASIBLE", Status.INFEASIBLE),
    ("FEASIBILITY_STATUS_FEASIBLE", Status.UNBOUNDED),
    ("FEASIBILITY_STATUS_UNDETERMINED", Status.INFEASIBLE_OR_UNBOUNDED),
])
def test_mathopt_infeasible_or_unbounded_uses_the_problem_status(primal: str, expected: Status) -> None:
    result_pb2 = pytest.importorskip("ortools.math_opt.result_pb2")
    from solvers.mathopt_backend import _status

    term = termination(result_pb2.TERMINATION_REASON_INFEASIBLE_OR_UNBOUNDED,
                       primal=result_pb2.FeasibilityStatusProto.Value(primal))
    assert _status(term, UNTIMED) is expected


# -------------------------------------------------------------------------------- CLP
def test_clp_every_response_status_maps() -> None:
    lp = pytest.importorskip("ortools.linear_solver.linear_solver_pb2")
    from solvers.clp_backend import _status

    expected = {
        "MPSOLVER_OPTIMAL": Status.OPTIMAL, "MPSOLVER_INFEASIBLE": Status.INFEASIBLE,
        "MPSOLVER_UNBOUNDED": Status.UNBOUNDED, "MPSOLVER_CANCELLED_BY_USER": Status.INTERRUPTED,
    }
    for name, value in lp.MPSolverResponseStatus.items():
        assert _status(value, UNTIMED) is expected.get(name, Status.ERROR if name != "MPSOLVER_FEASIBLE"
                                                       else Status.ITERATION_LIMIT), name
    assert _status(lp.MPSOLVER_FEASIBLE, TIMED) is Status.TIME_LIMIT
    assert _status(12345, UNTIMED) is Status.ERROR


# -------------------------------------------------------------------------------- CBC
@pytest.mark.parametrize(("headline", "timed", "expected", "has_solution"), [
    ("Optimal - objective value 36.00000000", False, Status.OPTIMAL, True),
    ("Optimal (within gap tolerance) - objective value 306679.0", False, Status.OPTIMAL, True),
    ("Infeasible - objective value 5.00000000", False, Status.INFEASIBLE, False),
    ("Integer infeasible - objective value 0.50000000", False, Status.INFEASIBLE, False),
    ("Unbounded - objective value 0.00000000", False, Status.UNBOUNDED, False),
    ("Stopped on time - objective value 65.0", True, Status.TIME_LIMIT, True),
    ("Stopped on time (no integer solution - continuous used) - objective value 12.0", True,
     Status.TIME_LIMIT, False),
    ("Stopped on iterations - objective value 31355637.77", True, Status.TIME_LIMIT, True),
    ("Stopped on iterations - objective value 31355637.77", False, Status.ITERATION_LIMIT, True),
    ("Stopped on nodes - objective value 3.0", False, Status.ITERATION_LIMIT, True),
    ("Stopped on gap - objective value 12.0", False, Status.OPTIMAL, True),
    ("Stopped on ctrl-c - objective value 3.0", False, Status.INTERRUPTED, True),
    ("Stopped on difficulties - objective value 3.0", False, Status.NUMERICAL_ERROR, False),
    ("Stopped on whatever - objective value 3.0", False, Status.ERROR, False),
    ("Stopped on something new", False, Status.ERROR, False),
    ("Dual infeasible - objective value 40.75", False, Status.ERROR, False),
])
def test_cbc_mapping_through_pulps_own_status_reader(headline: str, timed: bool, expected: Status,
                                                     has_solution: bool, tmp_path: Path) -> None:
    pulp = pytest.importorskip("pulp")
    from solvers.pulp_backend import _status

    path = tmp_path / "model.sol"
    path.write_text(headline + "\n")
    pulp_status, sol_status = pulp.PULP_CBC_CMD(msg=False).get_status(str(path))
    assert _status(pulp_status, sol_status, headline, timed=timed) == (expected, has_solution)
