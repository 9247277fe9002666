"""One backend call at a time: the clock a run keeps, what it knows of its backend, and the call.

Every solve landopt makes (a stage, the tie-break, an elastic phase, a re-solve for an exact price)
goes through `call`, so every one of them obeys the time limit, counts in `RunInfo`, and shows on the
progress line.

Runs of one scenario at many points (a sweep's worker) may keep the backend's models from run to run
(`Kept`): each step's LP (the first stage, the tie-break, the range, the LP with a MILP's decisions fixed; the
exact prices re-solve the first stage's) stays loaded in the backend, and the next run's LP of that step is sent
as the numbers that differ (bounds, right-hand sides, objective and matrix coefficients) and solved from the
last basis (`solvers.session`). A step whose LP has another shape loads it afresh; a MILP, a solve with a time
limit and the elastic model of a diagnosis are always solved cold.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import solvers
from landopt.errors import Issue, SolveError
from solvers import Backend, LinearProblem, ScalingReport, SolveOptions, SolveResult, Status
from solvers.session import Session


class Clock:
    """The time limit of a run, from `started` (a `time.perf_counter()` value) or from now."""

    def __init__(self, limit: float | None, started: float | None = None):
        self.limit = limit
        self.t0 = time.perf_counter() if started is None else started

    def remaining(self) -> float | None:
        """Seconds left (at least 0.01), or None without a limit."""
        if self.limit is None:
            return None
        return max(self.limit - (time.perf_counter() - self.t0), 0.01)

    def expired(self) -> bool:
        """True when (nearly) no time is left for another solve."""
        return self.limit is not None and self.limit - (time.perf_counter() - self.t0) <= 0.05


STEP_MODEL = {"exact price": "stage 1"}
"""Steps that solve the LP another step keeps (a probe moves one bound of the first stage's LP)."""
WARM_STEPS = ("stage", "canonical", "range", "decisions fixed", "exact price")
"""The steps whose LPs `Kept` keeps (by the start of their label: "stage 2", "canonical")."""


class Kept:
    """The backend's models kept across runs, one per step (module docstring); `close` frees them."""

    def __init__(self) -> None:
        self.sessions: dict[tuple[str, str], Session] = {}

    def session(self, label: str, problem: LinearProblem, solver: str) -> Session | None:
        """The session of `label`'s step on `solver` (a new one when the step's LP changed shape); None for a
        step that is solved cold."""
        if problem.is_mip or not label.startswith(WARM_STEPS):
            return None
        key = (STEP_MODEL.get(label, label), solver)
        s = self.sessions.get(key)
        if s is None or s.shape != (problem.n, problem.m):
            if s is not None:
                s.close()
            s = self.sessions[key] = Session(problem, solver)
        return s

    @property
    def warm(self) -> int:
        """Solves answered by a kept model so far."""
        return sum(s.warm for s in self.sessions.values())

    def close(self) -> None:
        for s in self.sessions.values():
            s.close()
        self.sessions.clear()


@dataclass
class RunInfo:
    """How a solve went (kept out of the JSON by default, so output stays byte-identical)."""

    backend: str
    build_seconds: float
    solve_seconds: float
    solves: int
    scaling: ScalingReport | None = None
    duals: bool = True
    """Whether the backend returns LP duals (shadow prices are None otherwise)."""
    approximate: bool = False
    """Whether the backend is a first-order method (answers to about 1e-6 relative)."""
    accuracy: float = 1e-9
    """The backend's declared relative accuracy (`solvers.accuracy`): every tolerance that judges its
    answers (a held stage value, an active bound, a zero dual, a relaxation) is at least this."""
    mip_gap: float = 1e-9
    """Relative gap at which a MILP counts as optimal (`solve.mip_gap`; proven optimal by default)."""
    warnings: list[Issue] = field(default_factory=list)
    """Warnings about the run (rendered in the report's language)."""
    alternatives: Any = None
    """`stages.Alternatives`: the range of the main platforms' land over the equally good plans, when measured."""
    progress: Callable[..., None] | None = field(default=None, repr=False)
    """Called as progress(event, **details) around each step: built, solving, solved, checking, ..."""
    kept: Kept | None = field(default=None, repr=False)
    """The backend's models kept from earlier runs (a sweep's worker), or None: every solve cold."""
    ranges: bool = True
    """Measure the range of the preferred areas' land over the equally good plans (`alternatives`; the solve
    report words it; a sweep's point, whose summary does not, leaves it out)."""

    def note(self, event: str, **details: object) -> None:
        """Report progress, if anyone listens."""
        if self.progress is not None:
            self.progress(event, **details)


def choose(problem: LinearProblem, name: str) -> tuple[Backend, bool]:
    """The backend for `problem` ('auto' or a name) and whether it gives duals; a `SolveError` names
    the alternatives when none fits."""
    try:
        try:
            backend = solvers.choose_backend(problem, name, need_duals=True)
        except solvers.IncompatibleSolver:
            return solvers.choose_backend(problem, name, need_duals=False), False
        # a MILP's prices come from its LP with the decisions fixed, on the same backend
        caps = type(backend).capabilities
        return backend, not problem.is_mip or bool({solvers.Capability.DUALS,
                                                     solvers.Capability.APPROX_DUALS} & set(caps))
    except (solvers.UnknownSolver, solvers.IncompatibleSolver, solvers.BackendUnavailable) as e:
        raise SolveError(str(e)) from None


def start(backend: Backend, duals: bool, build_seconds: float,
          progress: Callable[..., None] | None = None, kept: Kept | None = None) -> RunInfo:
    """The `RunInfo` of a run on `backend` (with the models `kept` from earlier runs, if any)."""
    cls = type(backend)
    info = RunInfo(backend=backend.name, build_seconds=build_seconds, solve_seconds=0.0, solves=0, duals=duals,
                   approximate=solvers.Capability.APPROX_DUALS in cls.capabilities, accuracy=cls.accuracy,
                   progress=progress, kept=kept)
    if not duals:
        info.warnings.append(Issue("no_duals", {"solver": backend.name}, severity="warning"))
    return info


def call(problem: LinearProblem, solver: str, clock: Clock, info: RunInfo, label: str = "stage 1",
         duals: bool | None = None, session: Session | None = None) -> SolveResult:
    """One backend call with the remaining time; counts it in `info` and reports progress. A MILP is solved to
    the run's gap (`RunInfo.mip_gap`). With a `session` (`solvers.session`: the same LP again with a few numbers
    moved), or the session `info.kept` keeps for this step, the backend re-solves its kept model where it can."""
    if session is None and info.kept is not None:
        session = info.kept.session(label, problem, solver)
    opts = SolveOptions(time_limit=clock.remaining(), duals=info.duals if duals is None else duals,
                        mip_rel_gap=info.mip_gap)
    info.note("solving", step=label, solver=solver, n=problem.n, m=problem.m)
    t = time.perf_counter()
    try:
        res = session.solve(problem, opts) if session is not None else solvers.solve(problem, solver=solver,
                                                                                     options=opts)
    except solvers.BackendUnavailable as e:
        raise SolveError(str(e)) from None
    info.solve_seconds += time.perf_counter() - t
    info.solves += 1
    info.note("solved", step=label, status=res.status.value, seconds=time.perf_counter() - t)
    if res.scaling is not None and info.scaling is None:
        info.scaling = res.scaling
    return res


def usable(res: SolveResult) -> bool:
    """True when `res` carries a point that may be reported: an optimum, or a point kept at a limit
    (`solvers.solve` keeps one only when it meets the bounds); not a numerical error's point."""
    return res.x is not None and (res.status == Status.OPTIMAL or res.status.is_limit
                                  or res.status == Status.INTERRUPTED)


def status_name(status: Status) -> str:
    """The result status (JSON `status`) of a solve that ended without an optimum."""
    return {
        Status.TIME_LIMIT: "time_limit", Status.ITERATION_LIMIT: "iteration_limit",
        Status.INTERRUPTED: "interrupted", Status.NUMERICAL_ERROR: "numerical_error",
    }.get(status, "error")
