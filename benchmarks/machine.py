"""What the benchmark scripts measure about the machine, shared by bench_engine.py, bench_milp.py,
bench_stock.py, bench_sweep.py and bench_startup.py: peak memory, busy cores (to wait for a quiet machine and to
record contention), library versions, the spread of values the backends report, and writing the results (JSON and
its markdown table)."""

from __future__ import annotations

import json
import os
import resource
import time
from pathlib import Path


def rss_mb() -> dict:
    """Peak RSS (MB) of this process and of its largest waited-for child (forked solves, CBC)."""
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self": me, "children": kids, "peak": max(me, kids)}


def version(dist: str) -> str:
    """The installed version of distribution `dist`, or '?'."""
    try:
        from importlib.metadata import version as _v

        return _v(dist)
    except Exception:  # noqa: BLE001  (a missing distribution only leaves the version unknown)
        return "?"


def cpu_busy_seconds() -> float:
    """CPU-seconds the whole machine has spent busy (all cores), from /proc/stat."""
    try:
        f = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return float("nan")
    v = [int(x) for x in f]
    idle = v[3] + (v[4] if len(v) > 4 else 0)
    return (sum(v[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    """CPU-seconds used by the waited-for children of this process."""
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def busy_cores(seconds: float = 1.0) -> float:
    """Average number of busy cores over `seconds` (everything on the machine)."""
    a = cpu_busy_seconds()
    time.sleep(seconds)
    return (cpu_busy_seconds() - a) / seconds


def wait_idle(threshold: float, max_wait: float) -> float:
    """Wait (up to max_wait s) until other processes use less than `threshold` cores; return the last reading."""
    t0 = time.perf_counter()
    b = busy_cores()
    while b > threshold and time.perf_counter() - t0 < max_wait:
        time.sleep(4.0)
        b = busy_cores()
    return b


def spread(values: list) -> float | None:
    """Largest relative difference between any two of `values` (None values left out), over max(1, |v|)."""
    v = [float(x) for x in values if x is not None]
    if not v:
        return None
    hi, lo = max(v), min(v)
    return (hi - lo) / max(1.0, abs(hi), abs(lo))


def write_results(out: Path, meta: dict, summary, runs: list, markdown) -> None:
    """`out` (JSON: meta, summary, runs) and beside it `out.md` (`markdown(summary, meta)`), which is printed."""
    out.write_text(json.dumps({"meta": meta, "summary": summary, "runs": runs}, indent=1, default=str) + "\n")
    md = out.with_suffix(".md")
    md.write_text(markdown(summary, meta))
    print(md.read_text())


def with_bytecode_cache(env: dict[str, str], prefix: str | None) -> dict[str, str]:
    """`env` with Python's bytecode cache on, in `prefix` (PYTHONPYCACHEPREFIX; PYTHONDONTWRITEBYTECODE removed),
    as an installed package loads its .pyc files; unchanged when `prefix` is None. This environment sets
    PYTHONDONTWRITEBYTECODE=1, so without it every process compiles landopt's modules from a checkout (~0.3 s)."""
    if prefix:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = prefix
    return env
