"""Exits and renewal (MILP): time to proven optimality of a county with town parks that may exit, every MILP backend.

    .venv/bin/python benchmarks/bench_stock.py --reps 3 --backends highs scip cbc \
        --out benchmarks/results/stock.json

One generated county (numpy ``default_rng(seed)``; no external data), years 2021..2025, built as a
scenario dict and solved through ``landopt.from_dict(d, name=...).solve(solver=..., time_limit=...)``:

==========================  ==============================================================================
block                       scenario
==========================  ==============================================================================
sectors (12)                chips, PV, new materials, biotech, CNC, smart hardware (``high_tech``); auto
                            parts, textiles, garments, hardware, chemical fibre, paper (``traditional``);
                            ``per_mu`` output, value added, tax, energy (tce), NH3-N and COD (t); a ramp to
                            full production (达产) ``[0.5, 0.8, 1.0]``, ``[0.3, 0.7, 1.0]`` or ``[0.6, 1.0]``;
                            ``max_land`` (demand over the five years)
platform (8 areas)          2 ``main`` + 6 ``sub``, each with a ``capacity``, 6-10 allowed sectors, its own
                            value added per 亩 of each, and ``existing`` stock (land, output, value added, tax,
                            energy) with ``by_sector`` rows for 5 sectors (4 traditional, 1 high-tech)
renewal (40 candidates)     ``renewal: {sector: mu}`` on those 40 (area, from sector) pairs: 20-50 % of the
                            row's stock land (腾笼换鸟): continuous ``r[a, from, to, year]``
town parks (60)             ``role: outside``, ``exit: candidate`` (a binary each), tagged with one of 6
                            county tags (7 or more parks a county), stock of 200-1,500 亩 with output, value
                            added, tax, energy (tce) and NH3-N (t); 20-80 亩 of capacity for two traditional
                            sectors (an exit closes it: the link row new land <= M (1 - e))
pools                       land: a flow, 810..990 亩 a year, ``reclaim: 0.5`` (增存挂钩); energy (tce, level,
                            +12,000 a year), ``reclaim: 1.0``; NH3-N (+40 t a year) and COD (+200 t a year),
                            levels
``exit-30``                 ``{kind: count, what: exits, where: {role: outside}, each: area_tag,
                            min_share: 0.3}``: at least ceil(0.3 n) parks of each county exit
``va-per-mu``               value added per 亩 of the platform, stock included, >= the 2020 blend x 1.15 in
                            2021, ``growth: 0.15`` (PJ-6's 年均增幅 15 %)
``tax-per-mu-main``         tax per 亩 of each main area (``each: area``), stock included, ``growth: 0.08``
``energy-per-va``           energy per value added of the platform, stock included, ``growth: -0.03``
``county-energy-per-va``    energy per value added of the whole county in 2025, stock included (the parks'
                            stock leaves it when they exit): 40 % below the 2020 blend
``tilt-main``               share of new land in the main areas >= 0.5
``outside-cap``             share of new land outside the platform <= 0.1
objective                   ``maximize: value_added`` (the yearly levels summed; an exit's stock counts
                            negatively in every year)
==========================  ==============================================================================

Two cases: ``exits`` (the MILP above) and ``no-exits``, the same county with every ``exit`` key and the
count removed: an LP (the ``reclaim`` keys stay; they also return the energy of renewed stock), timed
as the reference.

Each (case, backend, mode, rep) runs in a fresh subprocess that generates the scenario, loads it, builds it
once to count its binaries, columns and rows, then times one whole ``Scenario.solve(solver=backend,
time_limit=...)``: the first-stage MILP to landopt's default gap (1e-9, proven optimal), the canonical
tie-break MILP, the LP with every yes/no decision fixed (prices), the exact one-sided changes (LP
re-solves of the binding limits, and the MILP re-solved with each binding count group moved one item),
read-back and the independent checker. The time of each backend call is recorded by step (from the
solve's ``progress`` events), so the first MILP (``stage 1``) is also reported alone. Modes:

``timed``    ``time_limit=--limit`` is passed to landopt (as ``landopt solve --time-limit`` would): every
             backend call then runs in a forked child process (landopt's watchdog)
``untimed``  no time limit: every backend call runs in the worker process

Each process first makes one tiny MILP (case ``exits``) and one tiny LP solve (``--no-warmup`` leaves them
out), so that no timed call pays the backend's first-use initialisation. The subprocess is killed (its own process
group) at ``--limit`` + ``--grace`` s.

Recorded per run: wall time of the ``solve`` call, the result status, the MILP status, gap and bound
(``result.mip``), the objective, the parks that exit, the renewal (mu, and rows), binaries / columns /
rows / nonzeros of the built model and its column blocks, peak RSS (this process and its largest
child: forked solves, CBC), the checker's verdict (``result.checker``), and the cores other processes
used meanwhile. Per case, the objectives of the backends are compared (relative difference <= 1e-6
when all are optimal), and so are the sets of parks that exit (the canonical tie-break should make them
equal).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from machine import children_cpu, cpu_busy_seconds, rss_mb, spread, version, wait_idle, write_results  # benchmarks/ is the script's folder

HERE = Path(__file__).resolve().parent
AGREE_REL = 1e-6
FIRST_YEAR = 2021
CASES = ("exits", "no-exits")
SECTORS = (  # id, name, high-tech?
    ("chip", "集成电路", True), ("pv", "光伏", True), ("newmat", "新材料", True), ("biotech", "生物医药", True),
    ("cnc", "数控机床", True), ("smart_hw", "智能硬件", True), ("auto_parts", "汽车零部件", False),
    ("textiles", "纺织", False), ("garments", "服装", False), ("hardware", "五金", False),
    ("chem_fibre", "化纤", False), ("paper", "造纸", False))
RAMPS = ([0.5, 0.8, 1.0], [0.3, 0.7, 1.0], [0.6, 1.0], [0.5, 0.8, 1.0])
# pools (per year) and targets; calibrated on seed 1 so that land, energy and COD bind in the MILP and the
# LP reference (no exits) is feasible too
LAND_YEAR, ENERGY_YEAR, NH3N_YEAR, COD_YEAR = 900.0, 12000.0, 40.0, 200.0
VA_GROWTH, TAX_GROWTH, PLATFORM_ENERGY_GROWTH, COUNTY_ENERGY_CUT = 0.15, 0.08, -0.03, 0.4


# ------------------------------------------------------------------------------------ instance
def _r(v: float, d: int = 1) -> float:
    return round(float(v), d)


def stock_scenario(seed: int = 1, n_parks: int = 60, n_renewal: int = 40, n_areas: int = 8, n_tags: int = 6,
                   n_years: int = 5, exits: bool = True) -> dict:
    """The county of the module docstring as a scenario dict; `exits=False` leaves out every `exit` key and the
    count of exits (an LP)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    years = list(range(FIRST_YEAR, FIRST_YEAR + n_years))
    sid_all = [s for s, _, _ in SECTORS]
    hi_ids = [s for s, _, h in SECTORS if h]
    trad_ids = [s for s, _, h in SECTORS if not h]
    sectors: dict[str, dict] = {}
    for j, (sid, name, hi) in enumerate(SECTORS):
        if hi:
            pm = {"output": rng.uniform(500, 1200), "value_added": rng.uniform(130, 300), "tax": rng.uniform(20, 55),
                  "energy": rng.uniform(8, 45), "nh3n": rng.uniform(0.001, 0.006), "cod": rng.uniform(0.01, 0.04)}
        else:
            pm = {"output": rng.uniform(250, 600), "value_added": rng.uniform(60, 130), "tax": rng.uniform(8, 25),
                  "energy": rng.uniform(15, 60), "nh3n": rng.uniform(0.004, 0.02), "cod": rng.uniform(0.03, 0.15)}
        sectors[sid] = {"name": name, "tags": ["industrial", "high_tech" if hi else "traditional"],
                        "per_mu": {k: _r(v, 4 if k in ("nh3n", "cod") else 1) for k, v in pm.items()},
                        "ramp": RAMPS[j % len(RAMPS)],
                        "max_land": _r(rng.uniform(1600, 5000) if hi else rng.uniform(800, 2400), 0)}

    # ---- the platform: main and sub areas, with stock by sector and renewal allowances
    roles = ["main", "main"] + ["sub"] * (n_areas - 2)
    per_area = [n_renewal // n_areas + (1 if i < n_renewal % n_areas else 0) for i in range(n_areas)]
    areas: dict[str, dict] = {}
    for i in range(n_areas):
        role = roles[i]
        n_allow = int(rng.integers(8, 11)) if role == "main" else int(rng.integers(6, 9))
        allowed = sorted(rng.choice(sid_all, size=n_allow, replace=False).tolist(), key=sid_all.index)
        k = min(per_area[i], len(sid_all))
        # the renewable stock: mostly traditional sectors, below the area's average per 亩
        n_trad = min(len(trad_ids), max(k - 1, 0) if k > 1 else k)
        froms = rng.choice(trad_ids, size=n_trad, replace=False).tolist()
        froms += rng.choice(hi_ids, size=k - n_trad, replace=False).tolist()
        by_sector: dict[str, dict] = {}
        renewal: dict[str, float] = {}
        tot = dict.fromkeys(("land", "output", "value_added", "tax", "energy"), 0.0)
        for f in froms:
            land = _r(rng.uniform(300, 1500) * (1.6 if role == "main" else 1.0), 0)
            out = land * rng.uniform(100, 260)
            va = out * rng.uniform(0.16, 0.23)
            row = {"land": land, "output": _r(out, 0), "value_added": _r(va, 0),
                   "tax": _r(land * rng.uniform(3, 12), 0), "energy": _r(va * rng.uniform(0.3, 0.9), 0)}
            by_sector[f] = row
            renewal[f] = _r(land * rng.uniform(0.2, 0.5), 0)
            for m in tot:
                tot[m] += row[m]
        other = rng.uniform(4000, 9000) if role == "main" else rng.uniform(1000, 3500)  # the efficient rest
        out_o = other * rng.uniform(300, 520)
        va_o = out_o * rng.uniform(0.19, 0.24)
        rest = {"land": other, "output": out_o, "value_added": va_o, "tax": other * rng.uniform(14, 26),
                "energy": va_o * rng.uniform(0.2, 0.4)}
        existing: dict = {m: _r(tot[m] + rest[m], 0) for m in tot}
        existing["by_sector"] = by_sector
        per_mu = {s: {"value_added": _r(sectors[s]["per_mu"]["value_added"] * rng.uniform(0.85, 1.15))}
                  for s in allowed}
        aid = f"{'m' if role == 'main' else 's'}{i:02d}"
        areas[aid] = {"name": f"{'主平台' if role == 'main' else '分区'}{i:02d}", "role": role,
                      "capacity": _r(rng.uniform(5000, 10000) if role == "main" else rng.uniform(1600, 4000), 0),
                      "sectors": allowed, "existing": existing, "per_mu": per_mu, "renewal": renewal}

    # ---- the town parks outside the platform: each may exit
    counts = 7 + rng.multinomial(n_parks - 7 * n_tags, [1 / n_tags] * n_tags) if n_parks >= 7 * n_tags else \
        np.array([n_parks // n_tags + (1 if t < n_parks % n_tags else 0) for t in range(n_tags)])
    tag_of = rng.permutation(np.repeat(np.arange(n_tags), counts))
    # each county's parks have their own energy intensity: some counties exit no more than the count asks
    county_energy = rng.uniform(0.25, 1.5, n_tags)
    for k in range(n_parks):
        land = _r(rng.uniform(200, 1500), 0)
        out = land * rng.uniform(80, 260)
        va = out * rng.uniform(0.15, 0.24)
        park: dict = {"name": f"镇街园区{k:02d}", "role": "outside", "tags": [f"county_{int(tag_of[k]) + 1}"],
                      "capacity": _r(rng.uniform(20, 80), 0),
                      "sectors": sorted(rng.choice(trad_ids, size=2, replace=False).tolist(), key=sid_all.index),
                      "existing": {"land": land, "output": _r(out, 0), "value_added": _r(va, 0),
                                   "tax": _r(land * rng.uniform(2, 12), 0),
                                   "energy": _r(va * rng.uniform(0.05, 0.6) * county_energy[tag_of[k]], 0),
                                   "nh3n": _r(land * rng.uniform(0.002, 0.02), 2)}}
        if exits:
            park["exit"] = "candidate"
        areas[f"park{k:02d}"] = park

    # ---- pools and rules
    plat = [a for a in areas.values() if a["role"] in ("main", "sub")]
    land0 = sum(a["existing"]["land"] for a in plat)
    va0 = sum(a["existing"]["value_added"] for a in plat)
    en0 = sum(a["existing"]["energy"] for a in plat)
    en_all = sum(a["existing"]["energy"] for a in areas.values())
    va_all = sum(a["existing"]["value_added"] for a in areas.values())
    tax_main = min(a["existing"]["tax"] / a["existing"]["land"] for a in plat if a["role"] == "main")
    flow = [0.9 + 0.05 * t for t in range(n_years)]
    level = [t + 1 for t in range(n_years)]
    resources = {
        "land": {"name": "新增建设用地指标", "unit": "mu", "accounting": "flow", "reclaim": 0.5,
                 "budget": {y: _r(LAND_YEAR * f, 0) for y, f in zip(years, flow, strict=True)}},
        "energy": {"name": "新增用能指标", "unit": "tce", "reclaim": 1.0,
                   "budget": {y: _r(ENERGY_YEAR * f, 0) for y, f in zip(years, level, strict=True)}},
        "nh3n": {"name": "氨氮排污权", "unit": "t",
                 "budget": {y: _r(NH3N_YEAR * f, 2) for y, f in zip(years, level, strict=True)}},
        "cod": {"name": "化学需氧量排污权", "unit": "t",
                "budget": {y: _r(COD_YEAR * f, 1) for y, f in zip(years, level, strict=True)}},
    }
    rules: list[dict] = [
        {"id": "va-per-mu", "name": "重大平台亩均增加值年均增幅15%以上 (含存量)", "kind": "intensity",
         "metric": "value_added", "per": "land", "where": {"role": ["main", "sub"]}, "include_existing": True,
         "min": _r(va0 / land0 * (1 + VA_GROWTH), 3), "growth": VA_GROWTH},
        {"id": "tax-per-mu-main", "name": "主平台亩均税收年均增长8% (含存量)", "kind": "intensity", "metric": "tax",
         "per": "land", "where": {"role": "main"}, "each": "area", "include_existing": True, "min": _r(tax_main, 3),
         "growth": TAX_GROWTH},
        {"id": "energy-per-va", "name": "重大平台单位增加值能耗逐年下降3% (含存量)", "kind": "intensity",
         "metric": "energy", "per": "value_added", "where": {"role": ["main", "sub"]}, "include_existing": True,
         "max": _r(en0 / va0, 4), "growth": PLATFORM_ENERGY_GROWTH},
        {"id": "county-energy-per-va", "name": "全县单位工业增加值能耗2025年比基期下降40% (含存量)",
         "kind": "intensity", "metric": "energy", "per": "value_added", "where": {"year": years[-1]},
         "include_existing": True, "max": _r(en_all / va_all * (1 - COUNTY_ENERGY_CUT), 4)},
        {"id": "tilt-main", "name": "新增用地向主平台倾斜 (不低于50%)", "kind": "share", "metric": "land",
         "part": {"role": "main"}, "min": 0.5},
        {"id": "outside-cap", "name": "重大平台外新增用地不超过10%", "kind": "share", "metric": "land",
         "part": {"role": "outside"}, "max": 0.1},
    ]
    if exits:
        rules.append({"id": "exit-30", "name": "每县至少退出30%的镇街园区", "kind": "count", "what": "exits",
                      "where": {"role": "outside"}, "each": "area_tag", "min_share": 0.3})
    return {
        "version": 1,
        "scenario": {"name": f"bench stock: {n_parks} parks, {n_renewal} renewal candidates, {n_years} years"
                             + ("" if exits else " (no exits)"),
                     "years": years},
        "units": {"area": "mu", "money": "万元", "energy": "tce", "mass": "t"},
        "resources": resources,
        "metrics": {"output": {"name": "工业总产值", "unit": "万元"},
                    "value_added": {"name": "工业增加值", "unit": "万元"},
                    "tax": {"name": "税收", "unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "rules": rules,
        "objective": {"maximize": "value_added"},
    }


def instance(case: str, seed: int = 1, parks: int = 60, renewal: int = 40) -> dict:
    """The scenario dict of a case: ``exits`` (the MILP) or ``no-exits`` (the LP reference)."""
    if case not in CASES:
        msg = f"unknown case {case!r}: one of {', '.join(CASES)}"
        raise ValueError(msg)
    return stock_scenario(seed, n_parks=parks, n_renewal=renewal, exits=case == "exits")


# ------------------------------------------------------------------------------------ worker
def worker(case: str, backend: str, rep: int, seed: int, time_limit: float | None, warmup: bool, parks: int,
           renewal: int) -> dict:
    """One run in this (fresh) process: generate, load, build, solve; the JSON record."""
    t0 = time.perf_counter()
    import numpy as np

    import landopt
    import landopt.engine.outline  # imported before the clock starts: no lazy loading inside `solve`
    import solvers

    rec: dict = {"case": case, "backend": backend, "rep": rep, "seed": seed, "time_limit": time_limit,
                 "mode": "timed" if time_limit else "untimed", "warmup": warmup, "parks": parks, "renewal": renewal,
                 "t": {}, "landopt_file": landopt.__file__}
    t = rec["t"]
    if warmup:
        # one tiny MILP (for the MILP case) and one tiny LP in this process, so that no timed call pays the
        # backend's first-use initialisation (with a time limit every call runs in a forked child, which would
        # pay it each time)
        if case == "exits":
            milp = solvers.make_problem([1.0, 1.0], [[1.0, 1.0]], [-np.inf], [1.5], col_hi=[1.0, 1.0], sense="max",
                                        integer=[True, False])
            solvers.solve(milp, solver=backend, options=solvers.SolveOptions(scale=False))
        lp = solvers.make_problem([1.0], [[1.0]], [-np.inf], [1.0], sense="max")
        solvers.solve(lp, solver=backend, options=solvers.SolveOptions(scale=False, duals=False))
    t["import"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = instance(case, seed, parks, renewal)
    t["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sc = landopt.from_dict(data, name=f"bench-stock-{case}")
    t["from_dict"] = time.perf_counter() - t0
    rec["warnings"] = [str(getattr(w, "code", w)) for w in sc.warnings]
    t0 = time.perf_counter()
    model = sc.build()
    t["build"] = time.perf_counter() - t0
    P = model.problem
    integer = P.integer if P.integer is not None else np.zeros(P.n, dtype=bool)
    open_ = integer & (P.col_hi > P.col_lo)
    rec["dims"] = {"rows": int(P.m), "cols": int(P.n), "nnz": int(P.nnz), "binaries": int(integer.sum()),
                   "binaries_open": int(open_.sum()),
                   "blocks": {k: {"size": b.size, "var": b.var.value} for k, b in model.cols.blocks.items()},
                   "exit_areas": len(model.exit_areas), "renewal_runs": len(model.renewal_keys)}
    relax = P if P.integer is None else dataclasses.replace(P, integer=None)
    del model, P

    steps: list[dict] = []
    mark: dict[str, float] = {}

    def progress(event: str, **d: object) -> None:
        if event == "solving":
            steps.append({"step": d.get("step"), "n": d.get("n"), "m": d.get("m")})
        elif event == "solved" and steps:
            steps[-1].update(status=d.get("status"), seconds=d.get("seconds"))
        elif event == "checking":
            mark["checking"] = time.perf_counter()

    t0 = time.perf_counter()
    try:
        res = sc.solve(solver=backend, time_limit=time_limit, progress=progress)
    except landopt.CheckerError as e:  # the checker rejected the plan: a landopt bug, recorded
        t["solve"] = time.perf_counter() - t0
        rec["error"] = f"CheckerError: {e}"[:3000]
        rec["steps"] = steps
        rec["peak_rss_mb"] = rss_mb()
        return rec
    t_end = time.perf_counter()
    t["solve"] = t_end - t0
    t["checker"] = t_end - mark["checking"] if "checking" in mark else None
    by_step: dict[str, float] = {}
    n_step: dict[str, int] = {}
    for s in steps:
        by_step[str(s["step"])] = by_step.get(str(s["step"]), 0.0) + float(s.get("seconds") or 0.0)  # type: ignore[arg-type]
        n_step[str(s["step"])] = n_step.get(str(s["step"]), 0) + 1
    rec["steps"] = steps
    rec["step_seconds"] = by_step
    rec["step_calls"] = n_step
    t["first_solve"] = by_step.get("stage 1")
    rec["first_solve_status"] = next((s.get("status") for s in steps if s["step"] == "stage 1"), None)
    rec["status"] = res.status
    rec["objective"] = res.objective
    rec["mip"] = res.mip.to_dict() if res.mip is not None else None
    if res.mip is not None:
        rec["mip"]["objective"] = res.mip.objective
    rec["checker"] = res.checker
    rec["solves"] = res.info.solves
    rec["solve_seconds_in_backends"] = res.info.solve_seconds
    rec["result_warnings"] = [str(getattr(w, "code", w)) for w in res.warnings]
    rec["exits"] = sorted(e["area"] for e in res.exit_records() if e["exit"])
    ren = res.renewal_records()
    rec["renewal_mu"] = sum(float(r["land"]) for r in ren)
    rec["renewal_rows"] = len(ren)
    rec["renewal_plan"] = sorted(f"{r['area']}/{r['from']}>{r['to']}@{r['year']}:{float(r['land']):.3f}" for r in ren)
    rec["new_land_mu"] = sum(float(a["land"]) for a in res.allocation_records())
    rec["binding"] = sorted({str(r["id"]) for r in res.rule_records() if r["binding"]}
                            | {str(r["resource"]) for r in res.resource_records() if r["binding"]})
    # what the result carries: after a MILP, `result.model` is the LP with every decision fixed
    RP = res.model.problem
    rec["result_model"] = {"rows": int(RP.m), "cols": int(RP.n),
                           "integer": None if RP.integer is None else int(np.asarray(RP.integer).sum())}
    rec["solver_version"] = {"ortools": version("ortools"), "pulp": version("pulp")}
    rec["peak_rss_mb"] = rss_mb()  # before the relaxation below, which is not part of the timed call
    # the LP relaxation of the first stage (every yes/no decision continuous), after the timed call: how far
    # the MILP's optimum is from it (the root gap before any cut or branching)
    t0 = time.perf_counter()
    rr = solvers.solve(relax, solver=backend, options=solvers.SolveOptions(duals=False))
    t["relaxation"] = time.perf_counter() - t0
    rec["relaxation"] = {"status": rr.status.value, "objective": rr.objective,
                         "gap": (abs(rr.objective - res.objective) / max(1.0, abs(rr.objective))
                                 if rr.objective is not None and res.objective is not None else None)}
    return rec


# ------------------------------------------------------------------------------------ orchestrator
def run_one(case: str, backend: str, rep: int, args: argparse.Namespace, mode: str) -> dict:
    """One run in a fresh subprocess (its own session), killed at `--limit` + `--grace` s."""
    limit = args.limit if mode == "timed" else 0.0
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", case, backend, str(rep), str(args.seed),
           repr(limit), "cold" if args.no_warmup else "warm", str(args.parks), str(args.renewal)]
    t0 = time.perf_counter()
    busy0, cpu0 = cpu_busy_seconds(), children_cpu()
    # the landopt of this checkout (not whichever one the environment has installed in editable mode)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=str(HERE.parent), env=env)
    kill_at = args.limit + args.grace
    try:
        out, err = proc.communicate(timeout=kill_at)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the run's own process group only
        out, err = proc.communicate()
        return {"case": case, "backend": backend, "rep": rep, "mode": mode, "timed_out": True,
                "error": f"killed after {kill_at:.0f} s"
                         + (f" (landopt's time limit {args.limit:.0f} s did not stop it)" if mode == "timed" else ""),
                "wall": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    other = max(0.0, (cpu_busy_seconds() - busy0) - (children_cpu() - cpu0)) / wall
    for line in out.splitlines():
        if line.startswith("RESULT "):
            rec = json.loads(line[7:])
            rec["wall"] = wall
            rec["other_busy_cores"] = other
            return rec
    return {"case": case, "backend": backend, "rep": rep, "mode": mode, "error": f"rc={proc.returncode}: {err[-3000:]}",
            "wall": wall, "other_busy_cores": other}


def summarise(runs: list[dict], cases: list[str], backends_of: dict[str, list[str]], modes: list[str]) -> list[dict]:
    """One row per (case, mode, backend): median/min/max of the solve call, statuses, gaps, agreement."""
    out = []
    for case in cases:
        case_rows = []
        for mode in modes:
            for backend in backends_of[case]:
                mine = [r for r in runs if r["case"] == case and r["backend"] == backend and r["mode"] == mode]
                if not mine:
                    continue
                done = [r for r in mine if "error" not in r]
                row: dict = {"case": case, "mode": mode, "backend": backend, "runs": len(done),
                             "failed": len(mine) - len(done)}
                if len(mine) > len(done):
                    row["errors"] = sorted({r["error"][:400] for r in mine if "error" in r})
                if done:
                    solve = [r["t"]["solve"] for r in done]
                    first = [r["t"]["first_solve"] for r in done if r["t"].get("first_solve") is not None]
                    mips = [r["mip"] or {} for r in done]
                    row.update({
                        "dims": done[0]["dims"],
                        "median_s": statistics.median(solve), "min_s": min(solve), "max_s": max(solve),
                        "first_solve_median_s": statistics.median(first) if first else None,
                        "first_solve_min_s": min(first) if first else None,
                        "first_solve_max_s": max(first) if first else None,
                        "step_seconds_median": {k: statistics.median(r["step_seconds"].get(k, 0.0) for r in done)
                                                for k in done[0]["step_seconds"]},
                        "step_calls": done[0]["step_calls"],
                        "solves": sorted({r["solves"] for r in done}),
                        "statuses": sorted({r["status"] for r in done}),
                        "first_solve_statuses": sorted({str(r.get("first_solve_status")) for r in done}),
                        "mip_statuses": sorted({str(m.get("status")) for m in mips}) if any(mips) else [],
                        "gap_max": max((m.get("gap") or 0.0) for m in mips) if any(mips) else None,
                        "gaps": [m.get("gap") for m in mips] if any(mips) else [],
                        "bounds": [m.get("bound") for m in mips] if any(mips) else [],
                        "mip_objectives": [m.get("objective") for m in mips] if any(mips) else [],
                        "objectives": [r["objective"] for r in done],
                        "checker_passed": all(r["checker"].get("passed") for r in done),
                        "checked": sorted({r["checker"].get("checked") for r in done}),
                        "exits": len(done[0]["exits"]),
                        "renewal_mu": statistics.median(r["renewal_mu"] for r in done),
                        "new_land_mu": statistics.median(r["new_land_mu"] for r in done),
                        "plans_equal_across_reps": len({(tuple(r["exits"]), tuple(r["renewal_plan"]))
                                                        for r in done}) == 1,
                        "peak_rss_mb": statistics.median(r["peak_rss_mb"]["peak"] for r in done),
                        "rss_self_mb": statistics.median(r["peak_rss_mb"]["self"] for r in done),
                        "rss_children_mb": statistics.median(r["peak_rss_mb"]["children"] for r in done),
                        "wall_median_s": statistics.median(r["wall"] for r in done),
                        "build_median_s": statistics.median(r["t"]["build"] for r in done),
                        "from_dict_median_s": statistics.median(r["t"]["from_dict"] for r in done),
                        "other_busy_cores_max": max(r.get("other_busy_cores", 0.0) for r in done),
                        "binding": done[0]["binding"],
                        "result_model": done[0]["result_model"],
                        "warnings": sorted({w for r in done for w in r.get("result_warnings", [])}),
                    })
                case_rows.append(row)
        # agreement across backends, modes and reps: objectives of optimal runs, sets of exits, renewal plans
        ok = [r for r in runs if r["case"] == case and "error" not in r]
        all_optimal = bool(case_rows) and all(row.get("runs") and row["statuses"] == ["optimal"] and not row["failed"]
                                              for row in case_rows)
        rel = spread([r["objective"] for r in ok if r["status"] == "optimal"])
        rel_all = spread([r["objective"] for r in ok])
        exit_sets = {tuple(r["exits"]) for r in ok if r["status"] == "optimal"}
        renewals = [r["renewal_mu"] for r in ok if r["status"] == "optimal"]
        for row in case_rows:
            row["all_optimal"] = all_optimal
            row["objective_max_rel_diff"] = rel
            row["objective_max_rel_diff_all"] = rel_all
            row["agree"] = (rel is not None and rel <= AGREE_REL) if all_optimal else None
            row["same_exits_all_backends"] = len(exit_sets) == 1 if exit_sets else None
            row["renewal_mu_spread"] = (max(renewals) - min(renewals)) if renewals else None
        out += case_rows
    return out


def _f(v: float | None) -> str:
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}" if v >= 1 else f"{v:.3f}"


def _agree(r: dict) -> str:
    if r["agree"] is None:
        d = r.get("objective_max_rel_diff_all")
        return "n/a: not all optimal" + (f" (objectives differ by {d:.1e})" if d is not None else "")
    return f"{'yes' if r['agree'] else 'NO'} ({r['objective_max_rel_diff']:.1e})"


def _gap(r: dict) -> str:
    if not r["gaps"]:
        return "- (LP)"
    if any(g is None for g in r["gaps"]):
        return "none reported"
    return f"{r['gap_max']:.1e}"


def _bound(r: dict) -> str:
    b = [x for x in r["bounds"] if x is not None]
    if not r["bounds"]:
        return "- (LP)"
    return f"{statistics.median(b):,.2f}" if b else "none reported"


def markdown(summary: list[dict], meta: dict) -> str:
    warm = "one tiny warm-up solve in each process first" if meta["warmup"] else "no warm-up solve"
    L = [f"# landopt exits and renewal benchmark ({meta['date']})", "",
         (f"Machine: {meta['machine']}. Python {meta['python']}, ortools {meta['ortools']} (HiGHS and SCIP via "
          f"MathOpt), PuLP {meta['pulp']} (CBC). landopt {meta['landopt_commit'][:10]}. Instance: seed "
          f"{meta['seed']}, {meta['parks']} town parks that may exit, {meta['renewal']} renewal candidates, "
          f"2021-2025 (see benchmarks/bench_stock.py). {meta['reps']} fresh-process runs per cell; "
          f"`timed`: landopt time limit {meta['limit']:.0f} s (every backend call in a forked child), "
          f"`untimed`: none (calls in-process); a run's process is killed at {meta['limit'] + meta['grace']:.0f} "
          f"s; {warm}. Gap asked: 1e-9 (landopt's default, proven optimal). Seconds are the wall time of the "
          "whole `Scenario.solve` call (first MILP, canonical tie-break MILP, LP with the decisions fixed, exact "
          "one-sided changes, read-back, checker); `first solve` is the first-stage MILP (LP) alone."), "",
         ("| case | mode | backend | binaries (open) | columns | rows | median s | min s | max s | first solve "
          "median s | solves | status | MILP status | gap | objective | bound | agree | exits | renewal mu | "
          "checker | peak RSS MB |"),
         "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---|---:|---:|---|---:|"]
    for r in summary:
        if not r.get("runs"):
            L.append(f"| {r['case']} | {r['mode']} | {r['backend']} | | | | - | - | - | - | | failed: "
                     f"{'; '.join(r.get('errors', []))[:200]} | | | | | | | | | |")
            continue
        d = r["dims"]
        objs = r["objectives"]
        obj = f"{statistics.median(objs):,.2f}" if all(o is not None for o in objs) else str(objs)
        status = ", ".join(r["statuses"])
        if r["failed"]:
            status += f"; {r['failed']} failed"
        L.append(f"| {r['case']} | {r['mode']} | {r['backend']} | {d['binaries']:,} ({d['binaries_open']:,}) | "
                 f"{d['cols']:,} | {d['rows']:,} | {_f(r['median_s'])} | {_f(r['min_s'])} | {_f(r['max_s'])} | "
                 f"{_f(r['first_solve_median_s'])} | {'/'.join(map(str, r['solves']))} | {status} | "
                 f"{', '.join(r['mip_statuses']) or '- (LP)'} | {_gap(r)} | {obj} | {_bound(r)} | {_agree(r)} | "
                 f"{r['exits'] if r['dims']['exit_areas'] else '-'} | {r['renewal_mu']:,.1f} | "
                 f"{'passed' if r['checker_passed'] else 'FAILED'} ({'/'.join(map(str, r['checked']))}) | "
                 f"{r['peak_rss_mb']:.0f} |")
    L += ["", "## Steps (median seconds in backend calls, by step; calls in brackets)", "",
          ("| case | mode | backend | steps | first solve status | result warnings | other processes (max cores) "
           "| same exits on every backend | same plan every rep |"),
          "|---|---|---|---|---|---|---:|---|---|"]
    for r in summary:
        if not r.get("runs"):
            continue
        st = ", ".join(f"{k} {_f(v)} ({r['step_calls'].get(k, 1)})" for k, v in r["step_seconds_median"].items())
        L.append(f"| {r['case']} | {r['mode']} | {r['backend']} | {st} | {', '.join(r['first_solve_statuses'])} | "
                 f"{', '.join(r['warnings']) or '-'} | {r['other_busy_cores_max']:.2f} | "
                 f"{ {True: 'yes', False: 'NO', None: '-'}[r['same_exits_all_backends']] } | "
                 f"{'yes' if r['plans_equal_across_reps'] else 'NO'} |")
    done = [r for r in summary if r.get("runs")]
    if done:
        L += ["", "## What binds (first run of each cell)", ""]
        seen = set()
        for r in done:
            key = (r["case"], tuple(r["binding"]))
            if key in seen:
                continue
            seen.add(key)
            L.append(f"* {r['case']} ({r['backend']}, {r['mode']}): {', '.join(r['binding'])}")
    failed = [r for r in summary if r.get("errors")]
    if failed:
        L += ["", "## Failures", ""]
        L += [f"* {r['case']} / {r['mode']} / {r['backend']}: {e}" for r in failed for e in r["errors"]]
    return "\n".join(L) + "\n"


def meta_info(args: argparse.Namespace) -> dict:
    import numpy

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
    try:
        commit = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=False).stdout.strip() or "?"
    except OSError:
        commit = "?"
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "landopt_commit": commit,
            "machine": f"{os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}",
            "python": platform.python_version(), "ortools": version("ortools"), "pulp": version("pulp"),
            "numpy": numpy.__version__, "reps": args.reps, "limit": args.limit, "grace": args.grace,
            "seed": args.seed, "parks": args.parks, "renewal": args.renewal, "warmup": not args.no_warmup,
            "cases": args.cases, "modes": args.modes, "backends": args.backends, "lp_backends": args.lp_backends,
            "agree_rel": AGREE_REL, "idle_threshold": args.idle_threshold, "idle_wait": args.idle_wait}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        case, backend, rep, seed, limit = argv[1], argv[2], int(argv[3]), int(argv[4]), float(argv[5])
        rec = worker(case, backend, rep, seed, limit if limit > 0 else None, argv[6] != "cold", int(argv[7]),
                     int(argv[8]))
        print("RESULT " + json.dumps(rec, default=str), flush=True)
        return 0
    ap = argparse.ArgumentParser(description="landopt exits and renewal benchmark (see the module docstring)")
    ap.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES),
                    help="exits: the MILP; no-exits: the same county without exits and the count (an LP)")
    ap.add_argument("--backends", nargs="+", default=["highs", "scip", "cbc"], help="backends of the MILP")
    ap.add_argument("--lp-backends", nargs="+", default=["highs", "scip", "cbc", "clp"],
                    help="backends of the LP reference (no-exits)")
    ap.add_argument("--modes", nargs="+", choices=("timed", "untimed"), default=["timed", "untimed"],
                    help="timed: pass --limit to landopt as the time limit (forked solves); untimed: no limit")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1, help="numpy default_rng seed of the generated county")
    ap.add_argument("--parks", type=int, default=60, help="town parks that may exit")
    ap.add_argument("--renewal", type=int, default=40, help="renewal candidates ((area, from sector) pairs)")
    ap.add_argument("--limit", type=float, default=300.0,
                    help="wall limit per run, s: landopt's time limit in mode timed; the run's process is killed "
                         "at limit + grace")
    ap.add_argument("--grace", type=float, default=60.0, help="the run's process is killed at limit + grace s")
    ap.add_argument("--no-warmup", action="store_true",
                    help="no tiny warm-up solve before the timed one (what a fresh `landopt solve` process pays)")
    ap.add_argument("--out", default=str(HERE / "results" / "stock.json"))
    ap.add_argument("--idle-wait", type=float, default=120.0,
                    help="before each run, wait up to this many s for other processes to go quiet (0: never)")
    ap.add_argument("--idle-threshold", type=float, default=0.3, help="'quiet' means fewer busy cores than this")
    ap.add_argument("--dump", metavar="DIR", help="also write each case as YAML into DIR (and run nothing)")
    args = ap.parse_args(argv)
    if args.dump:
        import yaml

        d = Path(args.dump)
        d.mkdir(parents=True, exist_ok=True)
        for case in args.cases:
            path = d / f"stock-{case}.yaml"
            path.write_text(yaml.safe_dump(instance(case, args.seed, args.parks, args.renewal), allow_unicode=True,
                                           sort_keys=False))
            print(path)
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    backends_of = {"exits": args.backends, "no-exits": args.lp_backends}
    runs: list[dict] = []
    skip: set[tuple[str, str, str]] = set()
    for case in args.cases:
        for rep in range(args.reps):
            for mode in args.modes:
                for backend in backends_of[case]:
                    if (case, mode, backend) in skip:
                        continue
                    before = wait_idle(args.idle_threshold, args.idle_wait) if args.idle_wait > 0 else None
                    rec = run_one(case, backend, rep, args, mode)
                    rec["busy_cores_before"] = before
                    runs.append(rec)
                    if rec.get("timed_out") or (rec.get("status") not in (None, "optimal") and "error" not in rec):
                        skip.add((case, mode, backend))  # a run at the limit: the next reps would only hit it again
                    if "error" in rec:
                        msg = rec["error"][:300]
                    else:
                        mip = rec.get("mip") or {}
                        msg = (f"solve {rec['t']['solve']:.2f}s (first {rec['t'].get('first_solve') or 0:.2f}s, "
                               f"{rec['solves']} solves) {rec['status']} gap {mip.get('gap')} obj {rec['objective']} "
                               f"checker {rec['checker'].get('passed')} exits {len(rec['exits'])} "
                               f"renewal {rec['renewal_mu']:.1f} rss {rec['peak_rss_mb']['peak']:.0f} MB")
                    print(f"{case} rep{rep} {mode:<7} {backend:<6} wall {rec['wall']:.1f}s  {msg}  "
                          f"[other procs: {rec.get('other_busy_cores', math.nan):.2f} cores, before "
                          f"{before if before is None else round(before, 2)}]", flush=True)
                    # the runs so far, in case the benchmark is stopped before the end
                    out.with_suffix(".partial.json").write_text(json.dumps({"runs": runs}, default=str) + "\n")
    out.with_suffix(".partial.json").unlink(missing_ok=True)
    meta = meta_info(args)
    summary = summarise(runs, args.cases, backends_of, args.modes)
    write_results(out, meta, summary, runs, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
