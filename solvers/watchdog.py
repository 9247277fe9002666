"""Run a solve in a child process that can be stopped at a deadline.

Solvers honour their own time limits only loosely: on a 1e6-nonzero LP with a 2 s limit,
measured here, HiGHS returned after 8-10 s, GLOP after 3-4 s, and CLP and CBC ignored the
limit for LPs altogether. So when a time limit is given, `solvers.solve` runs the whole
solve in a forked child process (its own process group, so a CBC grandchild goes too) and
kills it if it has not answered by the deadline. The same isolation turns a native crash
(a segfault inside a solver library) into an error result instead of killing the caller,
and a Ctrl-C in the parent kills the child cleanly before the KeyboardInterrupt goes on.

The child never outlives its parent. On Linux it asks the kernel for SIGKILL when the
parent dies (`prctl(PR_SET_PDEATHSIG)`, right after the fork, then checks that the parent
is still the one that forked it, which closes the race of a parent dying before the
`prctl`), so a parent killed outright (SIGKILL, an OOM kill, a CI timeout) takes its
solver child along instead of leaving it running on its own (~380 MB on a large model).
The child also closes the read end of its answer pipe, which it inherits from the fork:
holding it, a child whose parent is gone would block forever writing a large answer.
SIGTERM is left to the caller (the command line treats it as a Ctrl-C, see `landopt.cli`);
in the child it has its default action.

On platforms without `fork` the call runs in-process (the solver's own limit applies).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

T = TypeVar("T")

_FORK_OK = "fork" in multiprocessing.get_all_start_methods()


class Crashed(RuntimeError):
    """The child process died without answering (a native crash) or raised."""


def available() -> bool:
    """True where a solve can be isolated in a forked child process."""
    return _FORK_OK


_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """In the child (Linux): get SIGKILL when the parent dies; exit now if it already has.

    The death signal is tied to the thread that forked, which waits in `call` until the child
    is done. Elsewhere (no prctl) this does nothing.
    """
    try:
        import ctypes  # lazy: only on Linux, in the child (prctl)

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died between the fork and the prctl: nobody waits for us
        os._exit(1)


def _child(fn: Callable[[], object], conn: Connection, unused: Connection, parent: int) -> None:
    _die_with_parent(parent)
    unused.close()  # the parent's read end: holding it, a send to a dead parent would block forever
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (the command line's)
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)  # own process group: killpg takes solver grandchildren (CBC) along
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what a Ctrl-C means
    try:
        try:
            value = fn()
            conn.send(("ok", value))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as text
            conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
    except OSError:  # the parent has gone (broken pipe): nobody to answer
        os._exit(1)
    finally:
        conn.close()


def _kill(proc: multiprocessing.process.BaseProcess) -> None:
    if proc.pid is None:  # never started
        return
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        with contextlib.suppress(ProcessLookupError, OSError):
            proc.kill()
    proc.join(timeout=5)


def call(fn: Callable[[], T], timeout: float) -> tuple[Literal[True], T] | tuple[Literal[False], None]:
    """Run `fn()` in a forked child; return (True, value), or (False, None) at the deadline.

    Raises:
        Crashed: the child raised (message and traceback inside) or died without answering.
        KeyboardInterrupt: after killing the child, when the parent is interrupted.
    """
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, send, recv, os.getpid()), daemon=True)
    try:
        proc.start()  # inside the try: an interrupt right after the fork still kills the child
        send.close()
        if not recv.poll(max(0.0, timeout)):
            _kill(proc)
            return False, None
        try:
            kind, payload = recv.recv()
        except EOFError:
            proc.join(timeout=5)
            msg = f"the solver process died without answering (exit code {proc.exitcode})"
            raise Crashed(msg) from None
        proc.join(timeout=5)
        if kind == "error":
            raise Crashed(payload)
        return True, payload
    except KeyboardInterrupt:
        _kill(proc)
        raise
    finally:
        send.close()
        recv.close()
        if proc.is_alive():
            _kill(proc)
