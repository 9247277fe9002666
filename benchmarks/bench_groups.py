"""Build time of a rule with many groups: a 标准地 floor with ``each: [area, sector]``.

    .venv/bin/python benchmarks/bench_groups.py --groups 2000 12000 30000 60000 --reps 3 \
        --out benchmarks/results/groups.json

A rule with ``each: [area, sector]`` makes one group per (area, sector) pair that its
`where` matches, so its number of groups is areas x sectors; the 标准地 floors of
scenarios/pujiang_2021_2025.yaml (``pj13-*``) are such rules. This benchmark builds a
synthetic scenario whose main rule is the per-mu tax floor of 标准地 over every pair
(`groups_scenario`), at several numbers of groups, and times `Scenario.build()` only
(validation and resolution are timed apart as `from_dict`). Every size runs in a fresh
subprocess, `--reps` builds each (the median is reported), and the cores other processes
used during the run are recorded as in bench_engine.py.

The scenario (``n_areas x n_sectors`` pairs, every sector allowed everywhere, 3 years):

==========================  ====================================================================
block                       scenario
==========================  ====================================================================
``std-tax``                 intensity, tax per land >= 15 万元/亩, ``each: [area, sector]``,
                            ``include_existing: true`` (stock by sector), levels: 3 rows a group
``std-invest``              intensity, investment per land >= 200 万元/亩, ``each: [area, sector]``,
                            ``where: {role: main}``, ``flow: true``
``energy-per-va``           intensity, energy per value added <= 0.6 tce/万元, ``each: area``
budgets, capacity           land, energy and COD per year (flow); capacity per area
objective                   ``maximize: tax``
==========================  ====================================================================

`--solve BACKEND` also solves each size once (build + solve + independent checker) and
records the status and the checker's verdict, to show that the scenario is a sound LP.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_YEAR = 2021


def shape(groups: int) -> tuple[int, int]:
    """(areas, sectors) with areas x sectors >= groups and about 4 areas for every 3 sectors."""
    sectors = max(1, round((groups * 3 / 4) ** 0.5))
    areas = -(-groups // sectors)
    return areas, sectors


def groups_scenario(n_areas: int, n_sectors: int, n_years: int = 3, seed: int = 1) -> dict:
    """A feasible scenario (x = 0 meets every rule) whose rules have n_areas x n_sectors groups."""
    import numpy as np

    rng = np.random.default_rng(seed)
    years = list(range(FIRST_YEAR, FIRST_YEAR + n_years))
    sid = [f"s{j:04d}" for j in range(n_sectors)]
    sectors = {s: {"name": f"sector {j}", "tags": ["high_tech"] if rng.random() < 0.35 else ["traditional"],
                   "per_mu": {"tax": float(rng.uniform(8, 60)), "investment": float(rng.uniform(150, 500)),
                              "value_added": float(rng.uniform(40, 300)), "energy": float(rng.uniform(2, 60)),
                              "cod": float(rng.uniform(1e-3, 5e-2))}}
               for j, s in enumerate(sid)}
    areas = {}
    for i in range(n_areas):
        land = float(rng.uniform(2000, 40000))
        stock_sectors = rng.choice(n_sectors, size=min(3, n_sectors), replace=False).tolist()
        by_sector = {sid[j]: {"land": land / 10, "tax": land / 10 * float(rng.uniform(16, 40))} for j in stock_sectors}
        # every area scales the sectors' tax by its own factor, so some pairs miss the floor
        factor = float(rng.uniform(0.6, 1.4))
        per_mu = {s: {"tax": sectors[s]["per_mu"]["tax"] * factor} for s in sid}
        areas[f"a{i:04d}"] = {"role": "main" if i % 4 == 0 else "sub", "capacity": float(land * rng.uniform(0.05, 0.2)),
                              "existing": {"land": land, "tax": land * 20, "by_sector": by_sector}, "per_mu": per_mu}
    budget = {y: float(n_areas * 40 * (k + 1)) for k, y in enumerate(years)}
    return {
        "version": 1,
        "scenario": {"name": f"groups {n_areas}x{n_sectors}x{n_years}", "years": years},
        "units": {"area": "mu", "money": "万元", "energy": "tce", "mass": "t"},
        "resources": {"land": {"unit": "mu", "budget": budget, "accounting": "flow"},
                      "energy": {"unit": "tce", "budget": {y: v * 20 for y, v in budget.items()}, "accounting": "flow"},
                      "cod": {"unit": "t", "budget": {y: v * 0.02 for y, v in budget.items()}, "accounting": "flow"}},
        "metrics": {"tax": {"unit": "万元"}, "investment": {"unit": "万元"}, "value_added": {"unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "rules": [
            {"id": "std-tax", "name": "标准地 亩均税收不低于15万元", "kind": "intensity", "metric": "tax", "per": "land",
             "each": ["area", "sector"], "include_existing": True, "min": 15},
            {"id": "std-invest", "name": "标准地 主平台亩均投资不低于200万元", "kind": "intensity",
             "metric": "investment", "per": "land", "where": {"role": "main"}, "each": ["area", "sector"],
             "flow": True, "min": 200},
            {"id": "energy-per-va", "kind": "intensity", "metric": "energy", "per": "value_added", "each": "area",
             "flow": True, "max": 0.6},
        ],
        "objective": {"maximize": "tax"},
    }


def worker(groups: int, reps: int, solve: str | None) -> dict:
    """Build the scenario of `groups` groups `reps` times in this process; the JSON record."""
    sys.path.insert(0, str(HERE))
    from bench_engine import _cpu_busy_seconds

    import landopt
    import landopt.model.build

    a, s = shape(groups)
    data = groups_scenario(a, s)
    t0 = time.perf_counter()
    sc = landopt.from_dict(data, name=f"groups-{groups}")
    from_dict = time.perf_counter() - t0
    builds = []
    busy0, cpu0, wall0 = _cpu_busy_seconds(), time.process_time(), time.perf_counter()
    for _ in range(reps):
        t0 = time.perf_counter()
        model = sc.build()
        builds.append(time.perf_counter() - t0)
    wall = time.perf_counter() - wall0
    other = max(0.0, (_cpu_busy_seconds() - busy0) - (time.process_time() - cpu0)) / wall
    P = model.problem
    rec = {"groups": groups, "areas": a, "sectors": s, "pairs": a * s,
           "rule_groups": {r.id: sum(1 for i in model.instances if i.id == r.id and i.year == model.years[0])
                           for r in sc.spec.rules},
           "m": int(P.m), "n": int(P.n), "nnz": int(P.nnz), "from_dict_s": from_dict, "build_s": builds,
           "build_median_s": statistics.median(builds), "other_busy_cores": other}
    if solve:
        t0 = time.perf_counter()
        res = sc.solve(solver=solve)
        rec["solve"] = {"backend": solve, "status": res.status, "checker": res.checker,
                        "seconds": time.perf_counter() - t0}
    return rec


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        rec = worker(int(argv[1]), int(argv[2]), argv[3] if len(argv) > 3 else None)
        print("RESULT " + json.dumps(rec, default=str), flush=True)
        return 0
    ap = argparse.ArgumentParser(description="build time of a rule with many groups (see the module docstring)")
    ap.add_argument("--groups", nargs="+", type=int, default=[2000, 12000, 30000, 60000])
    ap.add_argument("--reps", type=int, default=3, help="builds per size (the median is reported)")
    ap.add_argument("--solve", metavar="BACKEND", help="also solve each size once and run the checker")
    ap.add_argument("--limit", type=float, default=600.0, help="wall-clock limit per size, s")
    ap.add_argument("--label", default="", help="a label stored with the results (e.g. 'before', 'after')")
    ap.add_argument("--out", help="write the records as JSON here")
    args = ap.parse_args(argv)
    recs = []
    for g in args.groups:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(g), str(args.reps)]
        if args.solve:
            cmd.append(args.solve)
        p = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=args.limit,
                           cwd=str(HERE.parent))
        line = next((x for x in p.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            print(f"{g} groups: failed (rc={p.returncode}): {p.stderr[-2000:]}", flush=True)
            return 1
        rec = json.loads(line[7:])
        rec["label"] = args.label
        recs.append(rec)
        extra = f"  solve: {rec['solve']['status']}, checker {rec['solve']['checker']}" if args.solve else ""
        print(f"{g:>7} groups ({rec['areas']} areas x {rec['sectors']} sectors): rows {rec['m']:,} nnz {rec['nnz']:,} "
              f"build median {rec['build_median_s']:.3f} s (runs {', '.join(f'{b:.3f}' for b in rec['build_s'])}) "
              f"from_dict {rec['from_dict_s']:.2f} s [other procs: {rec['other_busy_cores']:.2f} cores]{extra}",
              flush=True)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps({"label": args.label, "date": time.strftime("%Y-%m-%d %H:%M"),
                                              "records": recs}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
