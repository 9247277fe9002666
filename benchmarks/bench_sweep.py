"""Sweep benchmark (issue 13): points per minute of `landopt sweep` against a shell loop of `landopt solve`.

    .venv/bin/python benchmarks/bench_sweep.py --points 200 --reps 3 --out benchmarks/results/sweep.json
    .venv/bin/python benchmarks/bench_sweep.py --quick --reps 1 --scenarios pujiang     # smoke run, seconds

For each scenario, one path is varied over N evenly spaced values (`START:STOP:N`, the sweep's own grid, so the
loop and the sweeps solve the same points):

  pujiang   scenarios/pujiang_2021_2025_new_land.yaml, `resources.land.budget` 500..800 亩 (the plan: 650)
  1e5       gen's 1e5 instance (benchmarks/gen_scenario.py: `to_scenario(instance("1e5"))`, 120,000 nonzeros)
            written to a temporary YAML file with its yearly land budgets replaced by one number, their mean
            (`--set` does not replace a mapping by a number), `resources.land.budget` from 0.9x to 1.1x that
            mean; any other gen size label (1e3, 1e4, ...) works the same way

and five methods are timed, each end to end from a fresh process (wall time from spawning it to reaping it):

  loop      N fresh `landopt solve FILE --set PATH=V --format json` processes one after the other: the cold
            baseline, what a shell loop over the values costs (`--loop-points K` times only the first K points
            and scales the wall time to N; the table says so)
  sweep-1   `landopt sweep FILE --vary PATH=START:STOP:N --workers 1 --out DIR` (every point in the process)
  sweep-2   the same with `--workers 2` (a pool of two spawned worker processes)
  cold-1    `sweep-1` with `--cold`: every point's LPs solved from scratch, none on the models a worker keeps
  cold-2    `sweep-2` with `--cold`

`landopt` is `python -m landopt` run with this checkout first on PYTHONPATH (`--landopt CMD` to time another
command, e.g. an installed `landopt` script). A sweep's wall time includes everything the command does: the
check of the grid, the points, the manifest and, with matplotlib installed, the charts (`tail`: from the last
point's file to the process's end).

Reported per (scenario, method), median of `--reps` runs (interleaved rep -> scenario -> method): wall time,
seconds per point, points per minute, peak RSS (the largest single process of the run's process tree: `wait4`'s
`ru_maxrss`, which covers the sweep's reaped pool workers; not their sum), points not optimal, and the cores
used by other processes during the run (machine busy time minus the run's own CPU time, over its wall time).

Cold and warm points: by default a sweep's worker keeps the solver's model of each LP step from point to point
and sends each point's LP as the numbers that moved, solved from the last basis (see the docstring of
landopt/explore/sweep.py); `--cold` (cold-1, cold-2) solves every point's LPs from scratch. Within a sweep, the
first point a worker process runs also pays the lazy imports and the backend's initialisation; the table gives
the points' own `seconds` (from points/ID.json) as `first` (the first `workers` points in grid order, one per
worker: the pool takes them first) against the median of the others (`later`, a worker's steady state). The
loop's points are all cold processes.

Ratios per scenario: loop/sweep-1 (seconds per point of the loop over those of `--workers 1`; issue 13's aim:
>= 10x at the county scale), cold-1/sweep-1 (what the kept models save), sweep-1/sweep-2 and cold-1/cold-2 (the
speed-up from 1 to 2 workers on the whole run; aim >= 1.8x on cold points), and the same speed-up on the later
points' throughput (workers / median seconds of a later point). The loop's and the sweeps' objectives are
compared point by point (largest relative difference).

Before each run the orchestrator waits (up to --idle-wait s) until other processes use fewer than
--idle-threshold cores (machine.wait_idle). Writes the raw runs and the summary as JSON (--out) and a markdown
table beside it (.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from machine import (  # benchmarks/ is the script's folder
    cpu_busy_seconds,
    version,
    wait_idle,
    with_bytecode_cache,
    write_results,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # this checkout's landopt (its grid), not an installed one

PUJIANG = ROOT / "scenarios" / "pujiang_2021_2025_new_land.yaml"
PATH = "resources.land.budget"
PUJIANG_SPAN = (500.0, 800.0)
GEN_SPAN = (0.9, 1.1)
"""The synthetic scenario's land budget: this share of gen's mean yearly land budget (rounded to whole mu)."""
METHODS = ("loop", "sweep-1", "sweep-2", "cold-1", "cold-2")
SWEEPS = METHODS[1:]
QUICK_POINTS = 6


# ------------------------------------------------------------------------------------------------ scenarios
def scenario_file(name: str, tmp: Path) -> tuple[Path, tuple[float, float], dict]:
    """The scenario file of `name` ('pujiang' or a gen size label), the land budget's span, and what it is."""
    if name == "pujiang":
        return PUJIANG, PUJIANG_SPAN, {"file": str(PUJIANG.relative_to(ROOT))}
    import gen_scenario
    import yaml

    inst = gen_scenario.instance(name)
    data = gen_scenario.to_scenario(inst)
    mean = float(inst.budget[0].mean())
    # `--set` does not turn a per-year mapping into a number: the file's land budget is one number, the mean
    data["resources"]["land"]["budget"] = float(round(mean))
    path = tmp / f"gen_{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    span = (float(round(GEN_SPAN[0] * mean)), float(round(GEN_SPAN[1] * mean)))
    return path, span, {"file": f"(temporary) {path.name}", "gen": inst.sdim, "nnz": int(inst.nnz),
                        "yaml_bytes": path.stat().st_size, "land_budget_mean": mean}


def vary_arg(span: tuple[float, float], n: int) -> str:
    lo, hi = span
    return f"{PATH}={lo:g}:{hi:g}:{n}"


def grid_values(arg: str) -> list[str]:
    """The values the sweep will use (landopt's own grid: the loop solves exactly the same points)."""
    from landopt.explore.sweep import parse_vary

    return list(parse_vary(arg).grid_values())


BYTECODE: dict[str, str | None] = {"prefix": None}
"""The temporary PYTHONPYCACHEPREFIX of `--bytecode cached` (None: the environment as it is)."""


# ------------------------------------------------------------------------------------------------ one process
def run_process(cmd: list[str], limit: float, stdout_path: Path | None = None) -> dict:
    """Run `cmd` in its own session; wall time from spawn to reaping, its tree's peak RSS (wait4), exit code.
    Over `limit` s, its process group is killed."""
    env = with_bytecode_cache(dict(os.environ), BYTECODE["prefix"])
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    timed_out = threading.Event()
    t0 = time.perf_counter()
    try:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, cwd=str(ROOT), env=env,
                                start_new_session=True)

        def kill() -> None:
            timed_out.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the run's own process group only

        timer = threading.Timer(limit, kill)
        timer.start()
        err = proc.stderr.read() if proc.stderr else b""
        if proc.stderr:
            proc.stderr.close()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    finally:
        if stdout_path:
            out.close()
    return {"wall": wall, "rc": proc.returncode, "rss_mb": ru.ru_maxrss / 1024, "cpu": ru.ru_utime + ru.ru_stime,
            "timed_out": timed_out.is_set(), "stderr": err.decode("utf-8", "replace")[-1500:]}


def contention(busy0: float, wall: float, own_cpu: float) -> float:
    """Cores used by other processes during a run: machine busy time minus the run's own CPU time, over wall."""
    return max(0.0, (cpu_busy_seconds() - busy0) - own_cpu) / wall if wall > 0 else 0.0


def run_loop(landopt: list[str], file: Path, values: list[str], n_total: int, solver: str | None, limit: float,
             tmp: Path) -> dict:
    """The shell loop: one fresh `landopt solve` process per value, one after the other."""
    per_point, objectives, statuses, rss, cpu, errors = [], [], [], [], 0.0, []
    busy0 = cpu_busy_seconds()
    t0 = time.perf_counter()
    for v in values:
        cmd = [*landopt, "solve", str(file), "--set", f"{PATH}={v}", "--format", "json"]
        if solver:
            cmd += ["--solver", solver]
        out = tmp / "solve.json"
        r = run_process(cmd, limit, out)
        per_point.append(r["wall"])
        rss.append(r["rss_mb"])
        cpu += r["cpu"]
        try:
            doc = json.loads(out.read_text(encoding="utf-8"))
            statuses.append(doc.get("status"))
            objectives.append(doc.get("objective"))
        except (OSError, ValueError):
            statuses.append("error")
            objectives.append(None)
            errors.append(f"{v}: rc={r['rc']}{' (timed out)' if r['timed_out'] else ''} {r['stderr'][-300:]}")
    wall = time.perf_counter() - t0
    k = len(values)
    return {"wall_measured": wall, "points_measured": k, "wall": wall * n_total / k, "points": n_total,
            "extrapolated": k < n_total, "point_walls": per_point, "objectives": objectives, "statuses": statuses,
            "not_optimal": sum(1 for s in statuses if s != "optimal"), "rss_mb": max(rss) if rss else None,
            "other_busy_cores": contention(busy0, wall, cpu), "errors": errors[:5]}


def run_sweep(landopt: list[str], file: Path, arg: str, workers: int, solver: str | None, limit: float,
              tmp: Path, cold: bool = False) -> dict:
    """`landopt sweep --workers W [--cold]` into an empty folder; the points' own seconds from points/ID.json."""
    out = tmp / f"sweep-w{workers}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [*landopt, "sweep", str(file), "--vary", arg, "--workers", str(workers), "--out", str(out)]
    if cold:
        cmd.append("--cold")
    if solver:
        cmd += ["--solver", solver]
    busy0 = cpu_busy_seconds()
    start_epoch = time.time()
    r = run_process(cmd, limit)
    end_epoch = start_epoch + r["wall"]
    points = []
    last_mtime = None
    for p in sorted((out / "points").glob("*.json")) if (out / "points").is_dir() else []:
        points.append(json.loads(p.read_text(encoding="utf-8")))
        m = p.stat().st_mtime
        last_mtime = m if last_mtime is None else max(last_mtime, m)
    points.sort(key=lambda s: s["index"])
    secs = [s.get("seconds") for s in points]
    first = [x for x in secs[:workers] if x is not None]
    warm = [x for x in secs[workers:] if x is not None]
    rec = {"wall": r["wall"], "rc": r["rc"], "timed_out": r["timed_out"], "points": len(points),
           "rss_mb": r["rss_mb"], "other_busy_cores": contention(busy0, r["wall"], r["cpu"]),
           "point_seconds": secs, "first_seconds": first, "warm_median_s": statistics.median(warm) if warm else None,
           "points_sum_s": sum(x for x in secs if x is not None),
           "tail_s": (end_epoch - last_mtime) if last_mtime is not None else None,
           "objectives": [s.get("objective") for s in points], "statuses": [s.get("status") for s in points],
           "not_optimal": sum(1 for s in points if s.get("status") != "optimal")}
    if r["rc"] not in (0, 1) or r["timed_out"]:
        rec["error"] = f"rc={r['rc']}{' (timed out)' if r['timed_out'] else ''}: {r['stderr'][-800:]}"
    shutil.rmtree(out, ignore_errors=True)
    return rec


# ------------------------------------------------------------------------------------------------ summary
def rel_diff(a: list, b: list) -> float | None:
    d = [abs(x - y) / max(1.0, abs(x), abs(y)) for x, y in zip(a, b, strict=False) if x is not None and y is not None]
    return max(d) if d else None


def summarise(runs: list[dict], scenarios: list[str], n: int) -> list[dict]:
    out = []
    for sc in scenarios:
        row: dict = {"scenario": sc, "points": n, "methods": {}}
        for m in METHODS:
            ok = [r for r in runs if r["scenario"] == sc and r["method"] == m and "error" not in r]
            bad = [r for r in runs if r["scenario"] == sc and r["method"] == m and "error" in r]
            cell: dict = {"runs": len(ok), "failed": len(bad)}
            if bad:
                cell["errors"] = [r["error"][:300] for r in bad]
            if ok:
                walls = [r["wall"] for r in ok]
                wall = statistics.median(walls)
                cell.update(wall_s=wall, wall_min=min(walls), wall_max=max(walls), s_per_point=wall / n,
                            points_per_min=60.0 * n / wall,
                            rss_mb=statistics.median(r["rss_mb"] for r in ok if r["rss_mb"] is not None),
                            not_optimal=max(r["not_optimal"] for r in ok),
                            other_busy_cores_max=max(r["other_busy_cores"] for r in ok),
                            extrapolated=any(r.get("extrapolated") for r in ok))
                if m == "loop":
                    cell["point_wall_median_s"] = statistics.median(x for r in ok for x in r["point_walls"])
                else:
                    firsts = [x for r in ok for x in r["first_seconds"]]
                    warms = [r["warm_median_s"] for r in ok if r["warm_median_s"] is not None]
                    cell["first_point_s"] = statistics.median(firsts) if firsts else None
                    cell["warm_point_s"] = statistics.median(warms) if warms else None
                    tails = [r["tail_s"] for r in ok if r["tail_s"] is not None]
                    cell["tail_s"] = statistics.median(tails) if tails else None
            row["methods"][m] = cell
        M = row["methods"]
        w = {m: M[m].get("wall_s") for m in METHODS}

        def ratio(a: str, b: str, w: dict = w) -> float | None:
            return w[a] / w[b] if w[a] and w[b] else None

        row["loop_over_sweep1"] = ratio("loop", "sweep-1")
        row["cold_over_warm"] = ratio("cold-1", "sweep-1")
        row["speedup_1_to_2"] = ratio("sweep-1", "sweep-2")
        row["speedup_1_to_2_cold"] = ratio("cold-1", "cold-2")
        for one, two, key in (("sweep-1", "sweep-2", "speedup_1_to_2_later"), ("cold-1", "cold-2",
                                                                             "speedup_1_to_2_cold_later")):
            a, b = M[one].get("warm_point_s"), M[two].get("warm_point_s")
            row[key] = 2.0 * a / b if a and b else None  # throughput: workers / seconds per point
        objs = {m: next((r["objectives"] for r in runs if r["scenario"] == sc and r["method"] == m
                         and "error" not in r), None) for m in METHODS}
        diffs = [rel_diff(objs["loop"], objs[m]) for m in SWEEPS if objs["loop"] and objs[m]]
        diffs += [rel_diff(objs["sweep-1"], objs[m]) for m in SWEEPS[1:] if objs["sweep-1"] and objs[m]]
        row["objective_max_rel_diff"] = max((d for d in diffs if d is not None), default=None)
        out.append(row)
    return out


def _f(v: float | None, d: int = 2) -> str:
    if v is None:
        return "-"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    return f"{v:.{d}f}"


def markdown(summary: list[dict], meta: dict) -> str:
    L = [f"# landopt sweep benchmark ({meta['date']})", "",
         (f"Machine: {meta['machine']}. Python {meta['python']}, ortools {meta['ortools']}, landopt {meta['commit']}. "
         f"{meta['points']} points per scenario; median of {meta['reps']} runs per cell, each from a fresh process; "
         f"solver: {meta['solver'] or 'landopt default'}; command: `{meta['landopt']}`. Times in seconds "
         "(see benchmarks/bench_sweep.py's docstring)."), ""]
    if meta.get("quick"):
        L += ["**Smoke run (--quick): not a result.**", ""]
    L += [("| scenario | method | wall (min-max) | s / point | points / min | point: first / later | tail | "
          "peak RSS MB | not optimal | other procs (max cores) |"),
          "|---|---|---|---:|---:|---|---:|---:|---:|---:|"]
    for r in summary:
        for m in METHODS:
            c = r["methods"][m]
            if "wall_s" not in c:
                L.append(f"| {r['scenario']} | {m} | failed: {'; '.join(c.get('errors', []))[:200]} |||||||| ")
                continue
            star = " (extrapolated)" if c.get("extrapolated") else ""
            point = (f"{_f(c['point_wall_median_s'])} (process)" if m == "loop"
                     else f"{_f(c.get('first_point_s'))} / {_f(c.get('warm_point_s'), 3)}")
            L.append(f"| {r['scenario']} | {m} | {_f(c['wall_s'])} ({_f(c['wall_min'])}-{_f(c['wall_max'])}){star} | "
                     f"{_f(c['s_per_point'], 3)} | {_f(c['points_per_min'])} | {point} | "
                     f"{_f(c.get('tail_s')) if m != 'loop' else '-'} | {_f(c['rss_mb'])} | {c['not_optimal']} | "
                     f"{c['other_busy_cores_max']:.2f} |")
    L += ["", ("| scenario | loop / sweep-1 (per point; aim >= 10) | cold-1 / sweep-1 (kept models) | "
          "cold-1 / cold-2 (aim >= 1.8) | sweep-1 / sweep-2 | 1 -> 2 workers, later points: cold / kept | "
          "objectives: max rel. diff |"), "|---|---:|---:|---:|---:|---|---:|"]
    for r in summary:
        d = r["objective_max_rel_diff"]
        L.append(f"| {r['scenario']} | {_f(r['loop_over_sweep1'])} | {_f(r.get('cold_over_warm'))} | "
                 f"{_f(r.get('speedup_1_to_2_cold'))} | {_f(r['speedup_1_to_2'])} | "
                 f"{_f(r.get('speedup_1_to_2_cold_later'))} / {_f(r.get('speedup_1_to_2_later'))} | "
                 f"{'-' if d is None else f'{d:.1e}'} |")
    L += ["", ("`point: first / later`: the points' own seconds (points/ID.json) of the first point of each worker "
          "and the median of the others; for the loop, the median wall time of one `landopt solve` process. "
          "`tail`: from the last point's file to the end of the command (manifest, charts, exit).")]
    return "\n".join(L) + "\n"


def meta_info(args, landopt: list[str], scen_meta: dict) -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, check=False).stdout.strip() or "?"
    except OSError:
        commit = "?"
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores ({cpu}), "
            f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "ortools": version("ortools"), "pyarrow": version("pyarrow"), "matplotlib": version("matplotlib"),
            "commit": commit, "points": args.points, "reps": args.reps, "quick": args.quick,
            "loop_points": args.loop_points, "solver": args.solver, "landopt": shlex.join(landopt),
            "limit": args.limit, "idle_wait": args.idle_wait, "idle_threshold": args.idle_threshold,
            "bytecode": args.bytecode, "scenarios": scen_meta}


# ------------------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="landopt sweep benchmark (see the module docstring)")
    ap.add_argument("--scenarios", nargs="+", default=["pujiang", "1e5"],
                    help="'pujiang' and/or gen size labels (1e3, 1e4, 1e5, ...)")
    ap.add_argument("--points", type=int, default=200, help="points per scenario (N values of the land budget)")
    ap.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_POINTS} points")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    ap.add_argument("--loop-points", type=int, default=None,
                    help="time the loop on only the first K points and scale its wall time to all of them")
    ap.add_argument("--solver", default=None, help="--solver for every command (default: landopt's)")
    ap.add_argument("--landopt", default=None,
                    help="the landopt command (default: this Python with -m landopt, this checkout first)")
    ap.add_argument("--limit", type=float, default=3600.0, help="wall-clock limit of one process, s")
    ap.add_argument("--out", default=str(HERE / "results" / "sweep.json"))
    ap.add_argument("--idle-wait", type=float, default=120.0,
                    help="before each run, wait up to this many s for other processes to go quiet (0: never)")
    ap.add_argument("--idle-threshold", type=float, default=0.3, help="'quiet' means fewer busy cores than this")
    ap.add_argument("--bytecode", choices=("cached", "as-is"), default="cached",
                    help="cached: a temporary bytecode cache, filled by an untimed warm-up (as an installed package "
                         "loads .pyc files); as-is: the environment's setting")
    args = ap.parse_args(argv)
    if args.quick:
        args.points = QUICK_POINTS
    if args.points < 3:
        ap.error("--points: at least 3 (two workers, and a warm point after each worker's first)")
    landopt = shlex.split(args.landopt) if args.landopt else [sys.executable, "-m", "landopt"]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="landopt-bench-sweep-"))
    runs: list[dict] = []
    scen: dict[str, tuple[Path, str, list[str]]] = {}
    scen_meta: dict[str, dict] = {}
    spans: dict[str, tuple[float, float]] = {}
    try:
        for name in args.scenarios:
            file, span, info = scenario_file(name, tmp)
            spans[name] = span
            arg = vary_arg(span, args.points)
            scen[name] = (file, arg, grid_values(arg))
            scen_meta[name] = {**info, "vary": arg}
        if args.bytecode == "cached":  # compiles every module a solve and a sweep import into the cache; not timed
            BYTECODE["prefix"] = str(tmp / "pycache")
            name = args.scenarios[0]
            file, arg, values = scen[name]
            run_loop(landopt, file, values[:1], 1, args.solver, args.limit, tmp)
            run_sweep(landopt, file, vary_arg(spans[name], 3), 2, args.solver, args.limit, tmp)
        for rep in range(args.reps):
            for name in args.scenarios:
                file, arg, values = scen[name]
                for m in args.methods:
                    before = wait_idle(args.idle_threshold, args.idle_wait) if args.idle_wait > 0 else None
                    if m == "loop":
                        k = min(args.loop_points or len(values), len(values))
                        rec = run_loop(landopt, file, values[:k], len(values), args.solver, args.limit, tmp)
                    else:
                        rec = run_sweep(landopt, file, arg, int(m[-1]), args.solver, args.limit, tmp,
                                        cold=m.startswith("cold"))
                    rec.update(scenario=name, method=m, rep=rep, busy_cores_before=before)
                    runs.append(rec)
                    msg = rec.get("error") or (f"wall {rec['wall']:.2f}s  {60 * rec['points'] / rec['wall']:.1f} "
                                               f"points/min  rss {rec['rss_mb']:.0f} MB  "
                                               f"not optimal {rec['not_optimal']}")
                    print(f"{name} rep{rep} {m:<8} {msg}  [other procs: {rec['other_busy_cores']:.2f} cores]",
                          flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta = meta_info(args, landopt, scen_meta)
    summary = summarise(runs, args.scenarios, args.points)
    write_results(out, meta, summary, runs, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
