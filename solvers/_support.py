"""Helpers shared by the backends: matrix layout, feasibility checks, signals and output.

Nothing here imports a solver library; backends import those lazily themselves.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from types import FrameType
from typing import TypeVar

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from solvers.problem import LinearProblem

T = TypeVar("T")

FEASIBILITY_TOL = 1e-6
"""Relative tolerance used to decide whether a point returned at a limit is feasible."""


def canonical_csr(A: sp.csr_matrix) -> sp.csr_matrix:
    """Return A with sorted column indices and no duplicate entries (copying only when needed)."""
    if A.has_canonical_format:
        return A
    B = A.copy()
    B.sum_duplicates()
    return B


def row_indices(A: sp.csr_matrix) -> NDArray[np.int64]:
    """The row index of every stored entry of a CSR matrix, in storage order."""
    return np.repeat(np.arange(A.shape[0], dtype=np.int64), np.diff(A.indptr))


def violation(problem: LinearProblem, x: NDArray[np.float64]) -> float:
    """Largest relative violation of any bound, or of integrality, by `x` (inf if x is unusable).

    A row bound b is violated by excess / (1 + |b| + sum_j |a_ij x_j|): relative to the size
    of the terms that meet in the row, so that a share row `sum (a_j - 0.7 d_j) x_j >= 0` is
    judged against the magnitude of its terms, not against its zero right-hand side. A column
    bound by excess / (1 + |b|); an integer column by its distance to the nearest integer over
    (1 + |x_j|).
    """
    if x.shape != (problem.n,) or not np.isfinite(x).all():
        return np.inf
    ax = problem.A @ x
    size = abs(problem.A) @ np.abs(x)
    worst = 0.0
    for excess, bound, extra in ((problem.row_lo - ax, problem.row_lo, size),
                                 (ax - problem.row_hi, problem.row_hi, size),
                                 (problem.col_lo - x, problem.col_lo, 0.0), (x - problem.col_hi, problem.col_hi, 0.0)):
        finite = np.isfinite(bound)
        scale = 1.0 + np.abs(bound[finite]) + (extra[finite] if isinstance(extra, np.ndarray) else 0.0)
        worst = max(worst, float(np.max(excess[finite] / scale, initial=0.0)))
    if problem.integer is not None and problem.is_mip:
        xi = x[problem.integer]
        worst = max(worst, float(np.max(np.abs(xi - np.round(xi)) / (1.0 + np.abs(xi)), initial=0.0)))
    return worst


def is_feasible(problem: LinearProblem, x: NDArray[np.float64], tol: float = FEASIBILITY_TOL) -> bool:
    """True when `x` meets every bound and integrality to the relative `tol` (see `violation`)."""
    return violation(problem, x) <= tol


def remaining(time_limit: float | None, started: float) -> float | None:
    """Seconds left of `time_limit` since `started` (a perf_counter reading), never negative."""
    if time_limit is None:
        return None
    return max(0.0, time_limit - (time.perf_counter() - started))


@contextlib.contextmanager
def sigint_deferred(on_interrupt: Callable[[], None] | None = None) -> Iterator[threading.Event]:
    """While active, a SIGINT only sets the yielded event (and calls `on_interrupt`, if given).

    The previous handler is restored on exit; raising KeyboardInterrupt is left to the
    caller. Signal handlers can only be installed from the main thread; elsewhere (or when
    SIGINT is ignored) this installs nothing and Python's usual handling applies.
    """
    fired = threading.Event()
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is signal.SIG_IGN:
        yield fired
        return

    def handler(signum: int, frame: FrameType | None) -> None:
        fired.set()
        if on_interrupt is not None:
            on_interrupt()

    signal.signal(signal.SIGINT, handler)
    _ACTIVE.append(fired)
    try:
        yield fired
    finally:
        _ACTIVE.remove(fired)
        signal.signal(signal.SIGINT, previous)


_ACTIVE: list[threading.Event] = []
"""The events of the `sigint_deferred` blocks now active (main thread only), outermost first."""


def interrupt_pending() -> bool:
    """True when a SIGINT has arrived inside an active `sigint_deferred` block and is still to be raised."""
    return any(e.is_set() for e in _ACTIVE)


@contextlib.contextmanager
def sigint_calls(on_interrupt: Callable[[], None] | None) -> Iterator[None]:
    """Like `sigint_deferred`, then raise KeyboardInterrupt on exit if a SIGINT arrived."""
    with sigint_deferred(on_interrupt) as fired:
        yield
    if fired.is_set():
        raise KeyboardInterrupt


def call_interruptibly(fn: Callable[[], T], on_interrupt: Callable[[], None] | None = None) -> T:
    """Run the native solve `fn` in a worker thread while the calling thread handles SIGINT.

    Python runs signal handlers only in the main thread, between bytecodes, so a handler
    cannot run while the main thread sits inside a long native call; worse, the pending
    KeyboardInterrupt then fires inside the library's result conversion, which turns it
    into an unrelated error (seen with OR-Tools: a TypeError about SolveResultProto).
    Waiting on a worker thread keeps the main thread where handlers run (the solver
    libraries release the GIL while they solve). A SIGINT calls `on_interrupt` (which
    should ask the solver to stop, when it can); once `fn` has returned, KeyboardInterrupt
    is raised (see `sigint_calls`). Exceptions from `fn` are re-raised here.
    """
    value: list[T] = []  # fn's result, or
    error: list[BaseException] = []  # what it raised

    def target() -> None:
        try:
            value.append(fn())
        except BaseException as exc:  # noqa: BLE001 - handed back to the calling thread, which re-raises it
            error.append(exc)

    if interrupt_pending():  # Ctrl-C came while the model was being handed over: do not start the solve
        raise KeyboardInterrupt
    worker = threading.Thread(target=target, name="solvers-solve", daemon=True)
    with sigint_calls(on_interrupt):
        worker.start()
        worker.join()
    if error:
        raise error[0]
    return value[0]


class _StdoutRedirect:
    """Process-wide, reference-counted redirection of file descriptor 1 to descriptor 2.

    Solves may run in several threads at once: the first one in redirects, the last one
    out restores, so no thread can restore the other's redirection by mistake.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._saved = -1

    def enter(self) -> None:
        """Redirect (if no other thread already has) and count this user."""
        with self._lock:
            if self._depth == 0:
                sys.stdout.flush()
                self._saved = os.dup(1)
                os.dup2(2, 1)
            self._depth += 1

    def leave(self) -> None:
        """Uncount this user; the last one restores descriptor 1."""
        with self._lock:
            self._depth -= 1
            if self._depth == 0:
                sys.stdout.flush()
                os.dup2(self._saved, 1)
                os.close(self._saved)


_STDOUT_REDIRECT = _StdoutRedirect()


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """While active, file descriptor 1 points at descriptor 2.

    landopt reserves stdout for its JSON, but native solver code writes there with printf
    (CLP's log, GLOP's "invalid input" notice even with output off), so every native solve
    runs inside this guard; solver logs then land on stderr.
    """
    _STDOUT_REDIRECT.enter()
    try:
        yield
    finally:
        _STDOUT_REDIRECT.leave()


def stderr_lines(lines: Sequence[str]) -> None:
    """Write solver log lines to stderr (used as a log callback)."""
    sys.stderr.write("".join(f"{line}\n" for line in lines))
    sys.stderr.flush()
