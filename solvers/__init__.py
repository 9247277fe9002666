"""Solver backends on a solver-neutral LP/MILP form.

Typical use::

    from solvers import make_problem, solve, SolveOptions
    result = solve(problem, solver="auto", options=SolveOptions(time_limit=60))

`solve` validates the problem, picks a backend, scales (unless told not to), solves,
unscales and reports the result in the original problem's terms; see `solvers.result`
for the dual sign convention. This package never imports `landopt`, and importing it
imports no solver library: each backend imports its own lazily.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from solvers import aggregate, branching, watchdog
from solvers._support import FEASIBILITY_TOL, is_feasible, remaining, sigint_calls, violation
from solvers.base import Backend, BackendUnavailable, Capability
from solvers.clp_backend import ClpBackend
from solvers.lpfile import legal_names, to_lp, to_mps
from solvers.mathopt_backend import GlopBackend, HighsBackend, PdlpBackend, ScipBackend
from solvers.problem import LinearProblem, ProblemError, make_problem
from solvers.pulp_backend import CbcBackend
from solvers.result import CoefficientEntry, ScalingReport, SolveOptions, SolveResult, Status
from solvers.scaling import Scaling, coefficient_stats, compute_scaling, scale

__all__ = [
    "BACKENDS", "Backend", "BackendInfo", "BackendUnavailable", "Capability", "CoefficientEntry",
    "IncompatibleSolver", "LinearProblem", "ProblemError", "Scaling", "ScalingReport", "SolveOptions",
    "SolveResult", "Status", "UnknownSolver", "accuracy", "available_backends", "choose_backend", "coefficient_stats",
    "describe_backends", "fitting_backends", "get_backend", "legal_names", "make_problem", "scale", "solve", "to_lp",
    "to_mps",
]

BACKENDS: dict[str, type[Backend]] = {
    cls.name: cls for cls in (ClpBackend, HighsBackend, CbcBackend, GlopBackend, ScipBackend, PdlpBackend)
}
"""Every backend, in the order `auto` tries them.

LPs: CLP first (the fastest exact-dual solver on landopt's LPs at 1e5 nonzeros and up),
then HiGHS, CBC (a child process: slow to start), GLOP; SCIP gives no LP duals and PDLP
only approximate ones, so they come last. MILPs: the first MILP-capable backend in this
order, i.e. HiGHS, then CBC, then SCIP.
"""


class UnknownSolver(ValueError):
    """A solver name that is not in BACKENDS."""


class IncompatibleSolver(ValueError):
    """A named backend cannot solve this problem as asked (a MILP on an LP solver, duals...)."""


class BackendInfo(NamedTuple):
    """One row of `describe_backends`."""

    name: str
    display_name: str
    library: str
    available: bool
    capabilities: tuple[str, ...]
    description: str


def available_backends() -> list[str]:
    """Names of the backends whose library is installed here, in auto preference order."""
    return [name for name, cls in BACKENDS.items() if cls.is_available()]


def accuracy(name: str) -> float:
    """The declared relative accuracy of the backend called `name` (`Backend.accuracy`).

    Measured, not guessed: on 93 LPs (landopt's scenarios and variants, 60 random lexicographic ones,
    gen.py's 1e3 and 1e4 nonzeros; PDLP and CBC also on 1e5) against HiGHS, the largest relative row
    violation and objective error were 8e-16 and 8e-15 for CLP and GLOP, 6e-13 and 1e-12 for SCIP,
    2.2e-13 and 2.2e-13 for CBC (its binary solution; 2.2e-8 and 6.8e-9 from its 8-digit text
    file), all declared 1e-9, the exact-simplex floor; and 4.4e-7 and 2.9e-8 for PDLP (declared 1e-6).

    Raises:
        UnknownSolver: see `get_backend`.
    """
    return type(get_backend(name)).accuracy


def get_backend(name: str) -> Backend:
    """A fresh instance of the backend called `name` (case-insensitive).

    Raises:
        UnknownSolver: no backend has that name; the message lists the known and available ones.
    """
    cls = BACKENDS.get(name.strip().lower())
    if cls is None:
        known = ", ".join(BACKENDS)
        here = ", ".join(available_backends()) or "none"
        msg = f"unknown solver {name!r}; known solvers: {known} (available here: {here}), or 'auto'"
        raise UnknownSolver(msg)
    return cls()


def choose_backend(problem: LinearProblem, name: str = "auto", need_duals: bool = True) -> Backend:
    """The backend to use for `problem`.

    `auto` takes the first available backend (in BACKENDS order) that solves the problem
    class and, for an LP with `need_duals`, returns exact duals. A named backend is
    returned if it can solve the problem (it need not be installed: `solve` reports that).

    Raises:
        UnknownSolver: `name` is neither 'auto' nor a known backend.
        IncompatibleSolver: the named backend cannot solve this problem class, or gives no
            duals for an LP when they are needed; the message names alternatives.
        BackendUnavailable: `auto` found no installed backend that fits.
    """
    if name.strip().lower() == "auto":
        return _auto(problem, need_duals)
    backend = get_backend(name)
    kind = "MILP" if problem.is_mip else "LP"
    if not backend.can_solve(problem):
        msg = f"solver {backend.name!r} cannot solve a {kind}; {_suggest(fitting_backends(problem))}"
        raise IncompatibleSolver(msg)
    if need_duals and not problem.is_mip and not _gives_duals(type(backend), approximate_ok=True):
        msg = (f"solver {backend.name!r} returns no duals for an LP; "
               f"{_suggest(fitting_backends(problem, need_duals=True))}, or do not ask for duals")
        raise IncompatibleSolver(msg)
    return backend


def solve(problem: LinearProblem, solver: str = "auto", options: SolveOptions | None = None) -> SolveResult:
    """Solve `problem` and return the result in its own terms.

    Validates, chooses the backend (`choose_backend`), scales if `options.scale`, solves,
    unscales, clips `x` onto the column bounds and recomputes `objective` from it in the
    original problem. The point is then checked against the original bounds (relative
    tolerance FEASIBILITY_TOL): if a scaled solve misses them, or ends unbounded,
    infeasible-or-unbounded, in a numerical error or an error, the original problem is
    solved again without scaling and the better answer kept; a point that still misses
    the bounds turns OPTIMAL into NUMERICAL_ERROR (and is dropped from a limit status).
    A crash inside the solver library becomes a result with status ERROR and the
    exception in `message`; KeyboardInterrupt propagates once the backend has cleaned up.

    With a time limit (and `options.isolate`), the solve runs in a forked child process that
    is killed `WATCHDOG_GRACE` seconds after the limit if it has not answered (solvers honour
    their own limits only loosely, see `solvers.watchdog`); the result is then TIME_LIMIT
    with no point. A native crash in the child becomes an ERROR result.

    Raises:
        ProblemError: the problem is malformed.
        UnknownSolver, IncompatibleSolver: see `choose_backend`.
        BackendUnavailable: the backend's library is missing or broken; the message names
            the installed alternatives.
    """
    options = options or SolveOptions()
    problem.validate()
    backend = choose_backend(problem, solver, need_duals=options.duals)
    if not backend.is_available():
        raise BackendUnavailable(_unavailable_message(backend, problem, options))
    if options.time_limit is None or not options.isolate or not watchdog.available():
        return _solve_here(backend, problem, options)
    started = time.perf_counter()
    try:
        outcome = watchdog.call(lambda: _solve_here(backend, problem, options),
                                max(0.0, options.time_limit) + WATCHDOG_GRACE)
    except watchdog.Crashed as exc:
        result = SolveResult(Status.ERROR, backend.name, message=f"{backend.display_name} failed: {exc}",
                             runtime=time.perf_counter() - started)
        result.scaling = coefficient_stats(problem, Scaling.identity(problem))
        return result
    if outcome[0]:  # answered in time (indexing, not unpacking, lets mypy narrow outcome[1])
        return outcome[1]
    waited = time.perf_counter() - started
    result = SolveResult(Status.TIME_LIMIT, backend.name, runtime=waited, message=(
        f"{backend.display_name} did not stop at the {options.time_limit:.3g} s time limit; "
        f"stopped after {waited:.1f} s, no solution kept"))
    result.scaling = coefficient_stats(problem, Scaling.identity(problem))
    return result


WATCHDOG_GRACE = 0.5
"""Seconds a solver may overrun its time limit before the watchdog kills it."""


def _solve_here(backend: Backend, problem: LinearProblem, options: SolveOptions) -> SolveResult:
    """The solve itself, in this process (see `solve`): a MILP whose choice groups have interchangeable
    alternatives first through its merged relaxation (`solvers.aggregate`), then as built when that gives
    no proven answer."""
    started = time.perf_counter()
    if problem.is_mip and problem.choices:
        merged = aggregate.solve(problem, options, lambda p, o: _solve_plain(backend, p, o))
        if merged is not None:
            if merged.x is not None and (worst := violation(problem, merged.x)) > FEASIBILITY_TOL:
                _distrust(merged, worst)
            # the range a plain solve of the problem would report (the merged and split solves scaled their own)
            merged.scaling = coefficient_stats(problem, compute_scaling(problem) if options.scale
                                               else Scaling.identity(problem))
            return _say_limit(merged, backend)
        options = replace(options, time_limit=remaining(options.time_limit, started))
    return _solve_plain(backend, problem, options)


def _solve_plain(backend: Backend, problem: LinearProblem, options: SolveOptions) -> SolveResult:
    """One problem solved as it is, in this process."""
    started = time.perf_counter()
    scaling = scale(problem)[1] if options.scale else Scaling.identity(problem)
    result = _within_column_bounds(problem, scaling.unscale(
        _run(backend, scaling.apply(problem) if options.scale else problem, options)))
    if options.scale and _suspect(problem, result):
        result, scaling = _resolve_unscaled(backend, problem, options, result, scaling, started)
    if result.x is not None and (worst := violation(problem, result.x)) > FEASIBILITY_TOL:
        _distrust(result, worst)
    result.objective = problem.objective_value(result.x) if result.x is not None else None
    result.scaling = coefficient_stats(problem, scaling)
    return _say_limit(result, backend)


def _say_limit(result: SolveResult, backend: Backend) -> SolveResult:
    """Make a time-limit result's message say so (libraries often leave it empty)."""
    if result.status is Status.TIME_LIMIT and "time limit" not in result.message:
        result.message = f"{backend.display_name} stopped at its time limit {result.message}".strip()
    return result


def describe_backends() -> list[BackendInfo]:
    """One row per backend (in auto preference order) for a `landopt solvers` listing."""
    return [
        BackendInfo(cls.name, cls.display_name, cls.library, cls.is_available(),
                    tuple(sorted(cap.value for cap in cls.capabilities)), cls.description)
        for cls in BACKENDS.values()
    ]


# ------------------------------------------------------------------------------ helpers
def _gives_duals(cls: type[Backend], *, approximate_ok: bool) -> bool:
    """True when the backend returns LP duals (exact, or approximate if allowed)."""
    return cls.supports(Capability.DUALS) or (approximate_ok and cls.supports(Capability.APPROX_DUALS))


def fitting_backends(problem: LinearProblem | None = None, *, need_duals: bool = False) -> list[str]:
    """Available backends, in auto preference order, that can solve `problem` (with exact LP duals
    if needed); without a problem, those that solve LPs."""
    return [
        name for name, cls in BACKENDS.items()
        if cls.is_available() and (cls.can_solve(problem) if problem is not None else cls.supports(Capability.LP))
        and (problem is None or problem.is_mip or not need_duals or _gives_duals(cls, approximate_ok=False))
    ]


def _auto(problem: LinearProblem, need_duals: bool) -> Backend:
    """The first available backend that fits (see choose_backend)."""
    fitting = fitting_backends(problem, need_duals=need_duals)
    if fitting:
        return BACKENDS[fitting[0]]()
    kind = "MILP" if problem.is_mip else ("LP with duals" if need_duals else "LP")
    libraries = sorted({cls.library for cls in BACKENDS.values()})
    msg = f"no installed solver can solve this {kind}; install one of: {', '.join(libraries)}"
    raise BackendUnavailable(msg)


def _run(backend: Backend, problem: LinearProblem, options: SolveOptions) -> SolveResult:
    """`backend.solve`, with library failures turned into results or BackendUnavailable."""
    try:
        # A Ctrl-C while the backend converts the model is held until the backend returns (or it
        # would be lost: raised inside a C-extension callback, such as protobuf's, it is only
        # printed as "Exception ignored"); the native solve does not start once one is pending.
        with sigint_calls(None):
            work = branching.augment(problem) if backend.branch_on_choices else problem  # see solvers.branching
            return branching.restrict(backend.solve(work, options), problem.n, problem.m)
    except (KeyboardInterrupt, BackendUnavailable):
        raise
    except ImportError as exc:
        msg = f"{_unavailable_message(backend, problem, options)} ({exc})"
        raise BackendUnavailable(msg) from exc
    except Exception as exc:  # noqa: BLE001 - a crash inside the library becomes a result, not a traceback
        return SolveResult(Status.ERROR, backend.name,
                           message=f"{backend.display_name} failed: {type(exc).__name__}: {exc}")


def _within_column_bounds(problem: LinearProblem, result: SolveResult) -> SolveResult:
    """Clip `x` onto the column bounds (solvers may overstep them by their tolerance).

    Besides giving callers exact bounds (no -1e-9 areas), this exposes rows that were only
    met through such an overstep on a column with a huge coefficient.
    """
    if result.x is not None:
        result.x = np.clip(result.x, problem.col_lo, problem.col_hi)
    return result


def _distrust(result: SolveResult, worst: float) -> None:
    """Downgrade a result whose point misses the original bounds by `worst` (relative).

    An "optimal" point becomes NUMERICAL_ERROR (the point is kept for diagnosis); a point
    returned at a limit is dropped.
    """
    note = f"(the point violates the original bounds by {worst:.1e} relative)"
    result.message = f"{result.message} {note}".strip()
    if result.status is Status.OPTIMAL:
        result.status = Status.NUMERICAL_ERROR
    else:
        result.x = None


_SUSPECT_STATUSES = frozenset({Status.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED, Status.NUMERICAL_ERROR,
                               Status.ERROR})
"""Outcomes of a scaled solve that are checked by solving the original problem again.

INFEASIBLE is trusted: re-proving infeasibility (often slow for a MILP) would double the
cost of a common outcome.
"""


def _suspect(problem: LinearProblem, result: SolveResult) -> bool:
    """True when a scaled solve's answer is worth checking without scaling."""
    return result.status in _SUSPECT_STATUSES or (result.x is not None and not is_feasible(problem, result.x))


def _rank(problem: LinearProblem, result: SolveResult) -> tuple[int, float]:
    """Sort key, best first: a feasible optimum, then any point (least violated first), then none."""
    if result.x is None:
        return 2, 0.0
    worst = violation(problem, result.x)
    return (0 if result.status is Status.OPTIMAL and worst <= FEASIBILITY_TOL else 1), worst


def _resolve_unscaled(backend: Backend, problem: LinearProblem, options: SolveOptions, scaled: SolveResult,
                      scaling: Scaling, started: float) -> tuple[SolveResult, Scaling]:
    """Solve the original problem again when the scaled solve's answer is suspect.

    The solver's tolerances apply to the scaled problem: a column scaled by 2^-k may be
    off its bound 2^k times more in original units, and a row scaled down likewise; and a
    solver may misjudge a scaled problem (HiGHS has called one unbounded). The unscaled
    answer (solved within what is left of the time limit) is kept, with the identity
    scaling, when it ranks better (see `_rank`).
    """
    retry = _within_column_bounds(problem, _run(backend, problem, replace(
        options, time_limit=remaining(options.time_limit, started))))
    if _rank(problem, retry) >= _rank(problem, scaled):
        return scaled, scaling
    what = (f"its point violated the original bounds by {violation(problem, scaled.x):.1e}"
            if scaled.x is not None else f"it ended {scaled.status.value}")
    retry.message = f"{retry.message} (solved again without scaling: {what})".strip()
    retry.runtime += scaled.runtime
    return retry, Scaling.identity(problem)


def _unavailable_message(backend: Backend, problem: LinearProblem, options: SolveOptions) -> str:
    """Why `backend` cannot run, and which installed backends could."""
    alternatives = [name for name in fitting_backends(problem, need_duals=options.duals) if name != backend.name]
    return (f"solver {backend.name!r} needs the Python package {backend.library!r}, which is not usable here; "
            f"{_suggest(alternatives)}")


def _suggest(alternatives: list[str]) -> str:
    """'use one of: a, b', or a hint to install a library when there is no alternative."""
    if alternatives:
        return f"use one of: {', '.join(alternatives)}"
    libraries = sorted({cls.library for cls in BACKENDS.values()})
    return f"no installed solver fits (install {' or '.join(libraries)})"
