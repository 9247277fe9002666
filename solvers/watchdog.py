"""Run a solve in a child process that can be stopped at a deadline.

Solvers honour their own time limits only loosely: on a 1e6-nonzero LP with a 2 s limit,
measured here, HiGHS returned after 8-10 s, GLOP after 3-4 s, and CLP and CBC ignored the
limit for LPs altogether. So when a time limit is given, `solvers.solve` runs the whole
solve in a forked child process (its own process group, so a CBC grandchild goes too) and
kills it if it has not answered by the deadline. The same isolation turns a native crash
(a segfault inside a solver library) into an error result instead of killing the caller,
and a Ctrl-C in the parent kills the child cleanly before the KeyboardInterrupt goes on.

On platforms without `fork` the call runs in-process (the solver's own limit applies).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import traceback
from typing import Any, Callable

_FORK_OK = "fork" in multiprocessing.get_all_start_methods()


class Crashed(RuntimeError):
    """The child process died without answering (a native crash) or raised."""


def available() -> bool:
    """True where a solve can be isolated in a forked child process."""
    return _FORK_OK


def _child(fn: Callable[[], Any], conn: Any) -> None:
    try:
        os.setpgid(0, 0)  # own process group: killpg takes solver grandchildren (CBC) along
    except OSError:
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what a Ctrl-C means
    try:
        value = fn()
        conn.send(("ok", value))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as text
        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"))
    finally:
        conn.close()


def _kill(proc: multiprocessing.process.BaseProcess) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        try:
            proc.kill()
        except (ProcessLookupError, OSError):
            pass
    proc.join(timeout=5)


def call(fn: Callable[[], Any], timeout: float) -> tuple[bool, Any]:
    """Run `fn()` in a forked child; return (True, value), or (False, None) at the deadline.

    Raises:
        Crashed: the child raised (message and traceback inside) or died without answering.
        KeyboardInterrupt: after killing the child, when the parent is interrupted.
    """
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, send), daemon=True)
    proc.start()
    send.close()
    try:
        if not recv.poll(max(0.0, timeout)):
            _kill(proc)
            return False, None
        try:
            kind, payload = recv.recv()
        except EOFError:
            proc.join(timeout=5)
            raise Crashed(f"the solver process died without answering (exit code {proc.exitcode})") from None
        proc.join(timeout=5)
        if kind == "error":
            raise Crashed(payload)
        return True, payload
    except KeyboardInterrupt:
        _kill(proc)
        raise
    finally:
        recv.close()
        if proc.is_alive():
            _kill(proc)
