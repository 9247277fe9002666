"""A province from tables, end to end: `landopt solve` of gen_province's files against the backend's own solve.

    .venv/bin/python benchmarks/bench_province.py --sizes 1e5 1e6 --backends clp highs --reps 3 \
        --out benchmarks/results/province.json

Sizes (counties x sectors x years, gen's LP; nnz = N*S*T*(T+11)):

* ``1e5``: 50 x 30 x 5 (120,000 nonzeros: gen's own 1e5 instance);
* ``1e6``: 90 x 50 x 10 (945,000 nonzeros: the issue's 90 counties x 50 sectors, ten years).

For each size, benchmarks/gen_province.py writes the scenario once (province.yaml naming counties.csv,
sectors.csv and resources.csv). Each (size, rep, backend) then runs two fresh processes, interleaved:

* ``floor``: gen's canonical CSR of the same instance built with numpy and solved by `solvers.solve(...,
  SolveOptions(scale=False))` on the backend: the backend's own solve of the same matrix (as bench_engine's
  floor_solve); its time is the solve call alone;
* ``landopt``: ``python -m landopt solve province.yaml --solver B --format json --out plan.json``, wall time from
  spawn to exit (imports, reading the tables, building, solving, the tie-break, prices, the checker, the JSON).

The ratio is landopt's median wall over the floor's median solve; peak RSS of each process (wait4) too. With
``--bytecode cached`` (default) the processes load compiled bytecode, as an installed package does.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
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
SIZES = {"1e5": (50, 30, 5), "1e6": (90, 50, 10), "1e4": (20, 15, 3)}
FLOOR = r"""
import sys, time, json
sys.path.insert(0, {here!r})
import numpy as np
import solvers
from gen_scenario import load_gen
gen = load_gen()
inst = gen.generate({n}, {s}, {t}, seed={seed})
M, lo, hi = gen.csr(inst)
p = solvers.LinearProblem(c=np.ascontiguousarray(inst.obj.ravel(), dtype=float), A=M, row_lo=lo, row_hi=hi,
                          col_lo=np.zeros(inst.n), col_hi=np.full(inst.n, np.inf), sense="max")
warm = solvers.make_problem([1.0], [[1.0]], [-np.inf], [1.0], sense="max")
solvers.solve(warm, solver={backend!r}, options=solvers.SolveOptions(scale=False))
t0 = time.perf_counter()
r = solvers.solve(p, solver={backend!r}, options=solvers.SolveOptions(scale=False))
print(json.dumps({{"solve": time.perf_counter() - t0, "status": r.status.value, "objective": r.objective,
                  "nnz": int(inst.nnz)}}))
"""


def run_rss(cmd: list[str], env: dict[str, str], limit: float) -> dict:
    """One fresh process: wall time from spawn to reaping, exit code, output, peak RSS (wait4), and the cores
    other processes used meanwhile."""
    t0 = time.perf_counter()
    busy0 = cpu_busy_seconds()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(ROOT), env=env)
    timer = threading.Timer(limit, proc.kill)
    timer.start()
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _, status, ru = os.wait4(proc.pid, 0)
    timer.cancel()
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    own = ru.ru_utime + ru.ru_stime
    return {"wall": wall, "rc": proc.returncode, "rss_mb": ru.ru_maxrss / 1024, "over_limit": wall > limit,
            "stdout": out.decode("utf-8", "replace"), "stderr": err.decode("utf-8", "replace")[-1500:],
            "other_busy_cores": max(0.0, (cpu_busy_seconds() - busy0 - own) / wall)}


def summarise(runs: list[dict], sizes: list[str], backends: list[str]) -> list[dict]:
    out = []
    for size in sizes:
        for b in backends:
            floor = [r for r in runs if r["size"] == size and r["backend"] == b and r["what"] == "floor"
                     and r["rc"] == 0]
            lo = [r for r in runs if r["size"] == size and r["backend"] == b and r["what"] == "landopt"]
            ok = [r for r in lo if r["rc"] == 0]
            if not floor or not ok:
                out.append({"size": size, "backend": b, "error": "no run finished"})
                continue
            f = statistics.median(r["solve"] for r in floor)
            w = statistics.median(r["wall"] for r in ok)
            out.append({
                "size": size, "backend": b, "nnz": floor[0]["nnz"], "floor_solve": f, "floor_process_wall":
                statistics.median(r["wall"] for r in floor), "landopt_wall": w, "ratio": w / f,
                "landopt_min": min(r["wall"] for r in ok), "landopt_max": max(r["wall"] for r in ok),
                "rss_floor": statistics.median(r["rss_mb"] for r in floor),
                "rss_landopt": statistics.median(r["rss_mb"] for r in ok), "reps": len(ok),
                "objective_rel_diff": max(abs(r["objective"] - floor[0]["objective"]) / max(1.0, abs(
                    floor[0]["objective"])) for r in ok),
                "other_busy_cores": max(r["other_busy_cores"] for r in ok + floor),
            })
    return out


def markdown(summary: list[dict], meta: dict) -> str:
    L = [f"# landopt: a province from tables, end to end ({meta['date']})", "",
         (f"Machine: {meta['machine']}. Python {meta['python']}, ortools {meta['ortools']}, landopt {meta['commit']}. "
          f"Median of {meta['reps']} fresh processes per cell; bytecode: {meta['bytecode']}. `floor`: the backend's "
          "own solve of gen's CSR of the same instance (`solvers.solve`, no scaling), the solve call alone; "
          "`landopt`: `python -m landopt solve province.yaml --solver B --format json --out plan.json` from spawn to "
          "exit (reading the tables included). See benchmarks/bench_province.py."), "",
         ("| size | counties x sectors x years | nonzeros | backend | floor solve s | landopt end to end s (min-max) "
          "| ratio | peak RSS MB floor / landopt | objective rel. diff | other procs (max cores) |"),
         "|---|---|---:|---|---:|---|---:|---|---:|---:|"]
    for s in summary:
        dims = " x ".join(map(str, SIZES[s["size"]]))
        if "error" in s:
            L.append(f"| {s['size']} | {dims} | | {s['backend']} | {s['error']} | | | | | |")
            continue
        L.append(f"| {s['size']} | {dims} | {s['nnz']:,} | {s['backend']} | {s['floor_solve']:.3f} | "
                 f"{s['landopt_wall']:.2f} ({s['landopt_min']:.2f}-{s['landopt_max']:.2f}) | {s['ratio']:.2f} | "
                 f"{s['rss_floor']:.0f} / {s['rss_landopt']:.0f} | {s['objective_rel_diff']:.1e} | "
                 f"{s['other_busy_cores']:.2f} |")
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=["1e5", "1e6"], choices=list(SIZES))
    ap.add_argument("--backends", nargs="+", default=["clp", "highs"])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=float, default=900.0)
    ap.add_argument("--bytecode", choices=("cached", "as-is"), default="cached")
    ap.add_argument("--idle-wait", type=float, default=60.0)
    ap.add_argument("--idle-threshold", type=float, default=0.3)
    ap.add_argument("--out", default=str(HERE / "results" / "province.json"))
    args = ap.parse_args(argv)
    sys.path.insert(0, str(HERE))
    import gen_province

    tmp = Path(tempfile.mkdtemp(prefix="landopt-bench-province-"))
    env = with_bytecode_cache(dict(os.environ), str(tmp / "pycache") if args.bytecode == "cached" else None)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("LANDOPT_LANG", None)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"
    runs: list[dict] = []
    try:
        files = {}
        for size in args.sizes:
            n, s, t = SIZES[size]
            files[size] = gen_province.write(gen_province.province(n, s, t, args.seed), tmp / size)
        for b in args.backends:  # untimed warm-up: compiles the bytecode, loads the libraries once
            run_rss([sys.executable, "-m", "landopt", "solve", str(files[args.sizes[0]]), "--solver", b, "--format",
                     "json", "--out", str(tmp / "warm.json")], env, args.limit)
        for rep in range(args.reps):
            for size in args.sizes:
                n, s, t = SIZES[size]
                for b in args.backends:
                    if args.idle_wait > 0:
                        wait_idle(args.idle_threshold, args.idle_wait)
                    code = FLOOR.format(here=str(HERE), n=n, s=s, t=t, seed=args.seed, backend=b)
                    r = run_rss([sys.executable, "-c", code], env, args.limit)
                    rec = {"size": size, "backend": b, "rep": rep, "what": "floor", **r}
                    if r["rc"] == 0:
                        rec.update(json.loads(r["stdout"].strip().splitlines()[-1]))
                    runs.append(rec)
                    plan = tmp / f"plan-{size}-{b}.json"
                    r = run_rss([sys.executable, "-m", "landopt", "solve", str(files[size]), "--solver", b, "--format",
                                 "json", "--out", str(plan)], env, args.limit)
                    rec = {"size": size, "backend": b, "rep": rep, "what": "landopt", **r}
                    if r["rc"] == 0:
                        rec["objective"] = json.loads(plan.read_text(encoding="utf-8"))["objective"]
                    runs.append(rec)
                    print(f"{size} {b} rep{rep}: floor {runs[-2].get('solve', float('nan')):.3f} s, landopt "
                          f"{r['wall']:.2f} s (rc {r['rc']})", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    for r in runs:
        r.pop("stdout", None)
    commit = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                            check=False).stdout.strip()
    meta = {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores, {platform.system()} "
            f"{platform.release()}", "python": platform.python_version(), "ortools": version("ortools"),
            "commit": commit, "reps": args.reps, "bytecode": args.bytecode, "sizes": {k: SIZES[k] for k in args.sizes}}
    write_results(Path(args.out), meta, summarise(runs, args.sizes, args.backends), runs, markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
