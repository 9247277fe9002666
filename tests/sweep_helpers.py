"""Runners for tests/test_sweep.py that worker processes import by name (tests/ is on their sys.path): a point run
as `landopt.explore.sweep.run_point` runs it, each run logged, and one point's first run killing its worker."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from landopt.explore.sweep import Task, run_point


def _log(task: Task) -> None:
    runs = Path(task.file).parent / "runs"
    runs.mkdir(exist_ok=True)
    with open(runs / task.id, "a", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()}\n")


def logged(task: Task) -> dict:
    """`run_point`, with a line per run in runs/ID beside the scenario file."""
    _log(task)
    return run_point(task)


def kill_second_point_once(task: Task) -> dict:
    """The worker running the sweep's second point (index 1) is SIGKILLed the first time it starts it."""
    _log(task)
    if task.index == 1:
        try:
            fd = os.open(Path(task.file).parent / "killed", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)
    return run_point(task)
