"""landopt engine benchmark: each phase of a landopt solve against the same backend's floor.

    .venv/bin/python benchmarks/bench_engine.py --sizes 1e5 1e6 --reps 3 --backends highs clp \
        --out benchmarks/results/engine.json

Every (size, rep, backend) runs in a fresh subprocess (imports cold, peak RSS per run),
interleaved size -> rep -> backend, with a wall-clock limit per run (--limit, default
300 s; the whole process group is killed when it runs over). Before each run the
orchestrator waits (up to --idle-wait s) until other processes use fewer than
--idle-threshold cores, and it records how many cores other processes used during the
run (`other_busy_cores`: machine busy time minus the run's own CPU time, over its wall
time), so runs disturbed by other work can be told apart. In the worker, in order:

  import       numpy, scipy, landopt's modules, solvers, the backend's OR-Tools modules,
               plus one 1-row warm-up solve so that no later phase pays lazy loading
  instance     gen.generate (not part of any ratio)
  floor_build  gen.csr: the canonical CSR with numpy/scipy
  floor_solve  solvers.solve(gen's CSR problem, backend, SolveOptions(scale=False)), wall
  floor_scaled the same with SolveOptions(scale=True) (landopt's default): the scaling effect alone
  to_scenario  gen Instance -> scenario dict (benchmarks/gen_scenario.py; stands in for YAML reading)
  from_dict    landopt.from_dict: schema validation + resolution
  build        Scenario.build(): the vectorised LinearProblem
  solve        solvers.solve(model.problem, backend, SolveOptions(scale=True)), wall
  full         Scenario.solve(solver=backend, canonical=False): build + solve + read-back + checker
  full_canon   Scenario.solve(solver=backend, canonical=True): the same plus the tie-break LP

Ratios use floor_solve (this machine, same backend) and PERF.md's HiGHS floor (highspy
1.14 `run()` on the same CSR: 0.19 s at 1e5, 5.6 s at 1e6):

  (build+solve)/floor     = (build + solve) / floor_solve
  total/floor             = (from_dict + full) / floor_solve
  total_canon/floor       = (from_dict + full_canon) / floor_solve

Writes the raw runs and the medians as JSON (--out) and a markdown table beside it (.md).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from machine import children_cpu, cpu_busy_seconds, rss_mb, wait_idle, write_results  # benchmarks/ is the script's folder

HERE = Path(__file__).resolve().parent
PERF_HIGHS_FLOOR = {"1e3": 0.003, "1e4": 0.015, "1e5": 0.19, "1e6": 5.6, "5e6": 110.0}
"""PERF.md's floor-solve (HiGHS 1.14 via highspy, median of 3, same machine type)."""


# ------------------------------------------------------------------------------- worker
def worker(size: str, backend: str, rep: int) -> dict:
    """One run; returns the JSON record (printed by the caller as one RESULT line)."""
    rec: dict = {"size": size, "backend": backend, "rep": rep, "t": {}, "rss_mb": {}, "pid": os.getpid()}
    t, rss = rec["t"], rec["rss_mb"]

    def mark(name: str, t0: float) -> None:
        t[name] = time.perf_counter() - t0
        rss[name] = rss_mb()["self"]

    t0 = time.perf_counter()
    import numpy as np
    import scipy.sparse  # noqa: F401

    import landopt
    import landopt.model.build  # noqa: F401
    import landopt.verify.independent  # noqa: F401
    import landopt.engine.readback  # noqa: F401
    import landopt.scenario  # noqa: F401
    import landopt.engine.outline  # noqa: F401
    import solvers
    from ortools.linear_solver import linear_solver_pb2, pywraplp  # noqa: F401
    from ortools.linear_solver.python import model_builder_helper  # noqa: F401  (CLP; not model_builder: pandas)
    if backend in ("highs", "glop", "pdlp", "scip"):
        from ortools.math_opt.core.python import solver as _mo  # noqa: F401
        from ortools.math_opt.python import parameters as _mp  # noqa: F401

    sys.path.insert(0, str(HERE))
    import gen_scenario

    gen = gen_scenario.load_gen()
    warm = solvers.make_problem([1.0], [[1.0]], [-np.inf], [1.0], sense="max")
    solvers.solve(warm, solver=backend, options=solvers.SolveOptions(scale=False))
    mark("import", t0)

    t0 = time.perf_counter()
    A, S, T = gen.SIZES[size]
    inst = gen.generate(A, S, T, seed=1)
    mark("instance", t0)
    rec.update(dims=inst.sdim, n=inst.n, m=inst.m, nnz=inst.nnz)

    # ---- floor: gen's canonical CSR straight into the backend, no scaling
    t0 = time.perf_counter()
    M, lo, hi = gen.csr(inst)
    floor = solvers.LinearProblem(c=np.ascontiguousarray(inst.obj.ravel(), dtype=float), A=M, row_lo=lo, row_hi=hi,
                                  col_lo=np.zeros(inst.n), col_hi=np.full(inst.n, np.inf), sense="max")
    mark("floor_build", t0)
    t0 = time.perf_counter()
    rf = solvers.solve(floor, solver=backend, options=solvers.SolveOptions(scale=False))
    mark("floor_solve", t0)
    t["floor_backend"] = rf.runtime
    rec["floor_status"] = rf.status.value
    rec["floor_objective"] = rf.objective
    # the same CSR with landopt's default scaling: separates the scaling effect from landopt's own cost
    t0 = time.perf_counter()
    rfs = solvers.solve(floor, solver=backend, options=solvers.SolveOptions(scale=True))
    mark("floor_scaled", t0)
    t["floor_scaled_backend"] = rfs.runtime
    rec["floor_scaled_objective"] = rfs.objective
    del floor, M, rf, rfs

    # ---- landopt phases
    t0 = time.perf_counter()
    data = gen_scenario.to_scenario(inst)
    mark("to_scenario", t0)
    t0 = time.perf_counter()
    sc = landopt.from_dict(data, name=f"gen-{size}")
    mark("from_dict", t0)
    t0 = time.perf_counter()
    model = sc.build()
    mark("build", t0)
    P = model.problem
    rec["landopt_nnz"] = int(P.nnz)
    rec["landopt_shape"] = [int(P.m), int(P.n)]
    t0 = time.perf_counter()
    rs = solvers.solve(P, solver=backend, options=solvers.SolveOptions(scale=True))
    mark("solve", t0)
    t["solve_backend"] = rs.runtime
    rec["solve_status"] = rs.status.value
    rec["solve_objective"] = rs.objective
    del model, P, rs

    for label, canonical in (("full", False), ("full_canon", True)):
        t0 = time.perf_counter()
        res = sc.solve(solver=backend, canonical=canonical)
        mark(label, t0)
        info = res.info
        t[f"{label}_build"] = info.build_seconds
        t[f"{label}_solve"] = info.solve_seconds
        t[f"{label}_post"] = t[label] - info.build_seconds - info.solve_seconds
        rec[f"{label}_solves"] = info.solves
        rec[f"{label}_status"] = res.status
        rec[f"{label}_objective"] = res.objective
        rec[f"{label}_checker"] = res.checker
        del res

    ref = rec["floor_objective"]
    for k in ("floor_scaled_objective", "solve_objective", "full_objective", "full_canon_objective"):
        v = rec.get(k)
        rec[k.replace("objective", "rel_diff")] = (None if v is None or ref is None
                                                   else abs(v - ref) / max(1.0, abs(ref)))
    rec["peak_rss_mb"] = rss_mb()
    return rec


# ------------------------------------------------------------------------- orchestrator
def run_one(size: str, backend: str, rep: int, limit: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", size, backend, str(rep)]
    t0 = time.perf_counter()
    busy0, cpu0 = cpu_busy_seconds(), children_cpu()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=str(HERE.parent))
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the run's own process group only
        out, err = proc.communicate()
        return {"size": size, "backend": backend, "rep": rep, "error": f"timed out after {limit:.0f} s",
                "timed_out": True, "wall": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    # cores used by *other* processes during the run: machine busy time minus this run's own CPU time
    other = max(0.0, (cpu_busy_seconds() - busy0) - (children_cpu() - cpu0)) / wall
    for line in out.splitlines():
        if line.startswith("RESULT "):
            rec = json.loads(line[7:])
            rec["wall"] = wall
            rec["other_busy_cores"] = other
            return rec
    return {"size": size, "backend": backend, "rep": rep, "error": f"rc={proc.returncode}: {err[-2000:]}",
            "wall": wall, "other_busy_cores": other}


PHASES = ["import", "instance", "floor_build", "floor_solve", "floor_backend", "floor_scaled", "floor_scaled_backend",
          "to_scenario", "from_dict", "build",
          "solve", "solve_backend", "full", "full_build", "full_solve", "full_post", "full_canon", "full_canon_build",
          "full_canon_solve", "full_canon_post"]


def summarise(runs: list[dict], sizes: list[str], backends: list[str]) -> list[dict]:
    out = []
    for size in sizes:
        for backend in backends:
            ok = [r for r in runs if r["size"] == size and r["backend"] == backend and "error" not in r]
            failed = [r for r in runs if r["size"] == size and r["backend"] == backend and "error" in r]
            row: dict = {"size": size, "backend": backend, "runs": len(ok), "failed": len(failed)}
            if failed:
                row["errors"] = [r["error"][:300] for r in failed]
            if not ok:
                out.append(row)
                continue
            med = {p: statistics.median(r["t"][p] for r in ok) for p in PHASES if all(p in r["t"] for r in ok)}
            row["median_s"] = med
            row["min_s"] = {p: min(r["t"][p] for r in ok) for p in med}
            row["max_s"] = {p: max(r["t"][p] for r in ok) for p in med}
            row["dims"], row["nnz"], row["landopt_nnz"] = ok[0]["dims"], ok[0]["nnz"], ok[0]["landopt_nnz"]
            row["peak_rss_mb"] = statistics.median(r["peak_rss_mb"]["self"] for r in ok)
            row["rss_after_phase_mb"] = {p: statistics.median(r["rss_mb"][p] for r in ok) for p in ok[0]["rss_mb"]}
            row["max_rel_diff"] = max(max(r[k] for k in ("floor_scaled_rel_diff", "solve_rel_diff", "full_rel_diff",
                                                         "full_canon_rel_diff")
                                          if r.get(k) is not None) for r in ok)
            row["checker_passed"] = all(r["full_checker"].get("passed") and r["full_canon_checker"].get("passed")
                                        for r in ok)
            row["statuses"] = sorted({r[k] for r in ok for k in ("floor_status", "solve_status", "full_status",
                                                                  "full_canon_status")})
            row["solves_canon"] = ok[0].get("full_canon_solves")
            row["other_busy_cores_max"] = max(r.get("other_busy_cores", 0.0) for r in ok)
            bs = med["build"] + med["solve"]
            total = med["from_dict"] + med["full"]
            total_c = med["from_dict"] + med["full_canon"]
            fl = med["floor_solve"]
            fs = med["floor_scaled"]
            row["ratios"] = {"build_solve_over_floor": bs / fl, "total_over_floor": total / fl,
                             "total_canon_over_floor": total_c / fl, "floor_scaled_over_floor": fs / fl,
                             "build_solve_over_floor_scaled": bs / fs, "total_over_floor_scaled": total / fs}
            pf = PERF_HIGHS_FLOOR.get(size)
            if pf:
                row["ratios_perf_highs"] = {"floor_over_perf": fl / pf, "build_solve_over_perf": bs / pf,
                                            "total_over_perf": total / pf, "total_canon_over_perf": total_c / pf}
            out.append(row)
    return out


def _f(v: float | None, d: int = 3) -> str:
    if v is None:
        return "–"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.{d}f}" if v < 1 else f"{v:.2f}"


def markdown(summary: list[dict], meta: dict) -> str:
    L = [f"# landopt engine benchmark ({meta['date']})", "",
         f"Machine: {meta['machine']}. Python {meta['python']}, ortools {meta['ortools']}, numpy {meta['numpy']}, "
         f"scipy {meta['scipy']}. Median of {meta['reps']} fresh-process runs per cell; per-run limit "
         f"{meta['limit']:.0f} s. Times in seconds (see benchmarks/README.md for the columns).", "",
         "## Ratios", "",
         "| size | dims | backend | floor-solve (this machine) | (build+solve)/floor | total/floor | "
         "total_canon/floor | floor / PERF HiGHS | (build+solve)/PERF | total/PERF | total_canon/PERF | "
         "floor scaled / floor | (build+solve)/floor scaled | total/floor scaled |",
         "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in summary:
        if "median_s" not in r:
            L.append(f"| {r['size']} | | {r['backend']} | failed: {'; '.join(r.get('errors', []))} |||||||| ")
            continue
        q, p = r["ratios"], r.get("ratios_perf_highs", {})
        L.append(f"| {r['size']} | {r['dims']} | {r['backend']} | {_f(r['median_s']['floor_solve'])} | "
                 f"{q['build_solve_over_floor']:.2f} | {q['total_over_floor']:.2f} | {q['total_canon_over_floor']:.2f} | "
                 f"{_f(p.get('floor_over_perf'), 2)} | {_f(p.get('build_solve_over_perf'), 2)} | "
                 f"{_f(p.get('total_over_perf'), 2)} | {_f(p.get('total_canon_over_perf'), 2)} | "
                 f"{q['floor_scaled_over_floor']:.2f} | {q['build_solve_over_floor_scaled']:.2f} | "
                 f"{q['total_over_floor_scaled']:.2f} |")
    L += ["", "## Phases (median s)", "",
          "| size | backend | import | floor_build | floor_solve (backend) | floor_scaled (backend) | to_scenario | "
          "from_dict | build | "
          "solve (backend) | full | full: build / solve / post | full_canon | full_canon: solve / post | peak RSS MB |",
          "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|"]
    for r in summary:
        if "median_s" not in r:
            continue
        m = r["median_s"]
        L.append(f"| {r['size']} | {r['backend']} | {_f(m['import'])} | {_f(m['floor_build'])} | "
                 f"{_f(m['floor_solve'])} ({_f(m['floor_backend'])}) | "
                 f"{_f(m['floor_scaled'])} ({_f(m['floor_scaled_backend'])}) | {_f(m['to_scenario'])} | {_f(m['from_dict'])} | "
                 f"{_f(m['build'])} | {_f(m['solve'])} ({_f(m['solve_backend'])}) | {_f(m['full'])} | "
                 f"{_f(m['full_build'])} / {_f(m['full_solve'])} / {_f(m['full_post'])} | {_f(m['full_canon'])} | "
                 f"{_f(m['full_canon_solve'])} / {_f(m['full_canon_post'])} | {r['peak_rss_mb']:.0f} |")
    L += ["", "## Checks", "",
          "| size | backend | runs ok / failed | nnz gen | nnz landopt | max obj rel. diff vs floor | checker | statuses | "
          "other processes (max cores) |",
          "|---|---|---|---:|---:|---:|---|---|---:|"]
    for r in summary:
        if "median_s" not in r:
            L.append(f"| {r['size']} | {r['backend']} | 0 / {r['failed']} | | | | | | |")
            continue
        L.append(f"| {r['size']} | {r['backend']} | {r['runs']} / {r['failed']} | {r['nnz']:,} | {r['landopt_nnz']:,} | "
                 f"{r['max_rel_diff']:.1e} | {'passed' if r['checker_passed'] else 'FAILED'} | "
                 f"{', '.join(r['statuses'])} | {r['other_busy_cores_max']:.2f} |")
    return "\n".join(L) + "\n"


def meta_info(args) -> dict:
    import numpy
    import scipy

    try:
        from importlib.metadata import version
        ortools_v = version("ortools")
    except Exception:  # noqa: BLE001
        ortools_v = "?"
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores ({cpu}), {mem} RAM, "
            f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "ortools": ortools_v, "numpy": numpy.__version__, "scipy": scipy.__version__, "reps": args.reps,
            "limit": args.limit, "sizes": args.sizes, "backends": args.backends,
            "perf_highs_floor": PERF_HIGHS_FLOOR}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        size, backend, rep = argv[1], argv[2], int(argv[3])
        rec = worker(size, backend, rep)
        print("RESULT " + json.dumps(rec, default=str), flush=True)
        return 0
    ap = argparse.ArgumentParser(description="landopt engine benchmark (see the module docstring)")
    ap.add_argument("--sizes", nargs="+", default=["1e5", "1e6"])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--backends", nargs="+", default=["highs", "clp"])
    ap.add_argument("--limit", type=float, default=300.0, help="wall-clock limit per run, s")
    ap.add_argument("--out", default=str(HERE / "results" / "engine.json"))
    ap.add_argument("--idle-wait", type=float, default=120.0,
                    help="before each run, wait up to this many s for other processes to go quiet (0: never)")
    ap.add_argument("--idle-threshold", type=float, default=0.3, help="'quiet' means fewer busy cores than this")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    runs: list[dict] = []
    skip: set[tuple[str, str]] = set()
    for size in args.sizes:
        for rep in range(args.reps):
            for backend in args.backends:
                if (size, backend) in skip:
                    continue
                before = wait_idle(args.idle_threshold, args.idle_wait) if args.idle_wait > 0 else None
                rec = run_one(size, backend, rep, args.limit)
                rec["busy_cores_before"] = before
                runs.append(rec)
                if rec.get("timed_out"):
                    skip.add((size, backend))
                msg = rec.get("error") or (f"floor {rec['t']['floor_solve']:.3f} build {rec['t']['build']:.3f} "
                                            f"solve {rec['t']['solve']:.3f} full {rec['t']['full']:.3f} "
                                            f"canon {rec['t']['full_canon']:.3f} rss {rec['peak_rss_mb']['self']:.0f} MB")
                print(f"{size} rep{rep} {backend:<6} wall {rec['wall']:.1f}s  {msg}  "
                      f"[other procs: {rec.get('other_busy_cores', float('nan')):.2f} cores]", flush=True)
    meta = meta_info(args)
    summary = summarise(runs, args.sizes, args.backends)
    write_results(out, meta, summary, runs, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
