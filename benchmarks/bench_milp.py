"""Yes/no decisions (MILP): time to proven optimality on two generated families, every MILP backend.

    .venv/bin/python benchmarks/bench_milp.py --instances county-200 city-14x30 --reps 3 \
        --backends highs scip cbc --out benchmarks/results/milp.json

Two families of scenarios, generated here from a seed (numpy ``default_rng``; no external data):

``county-N`` (``county-NxAxY`` for A areas and Y years; default 8 areas, 3 years)
    N candidate projects (招商项目) over A areas and the years 2024.. (``scenario.years``); 10 sectors,
    4 of them ``projects_only``, the others also take plain new land ``x``; land (flow), energy (level) and
    COD (level) budgets per year that bind, so that only part of the projects fits; about a third of the
    projects restricted to 1-3 ``sites``, about a quarter with an earliest start ``year``, 4 ``must``;
    an area capacity on every area, two areas allowing 7 of the 10 sectors; a 标准地 screen (``kind:
    intensity, metric: investment, per: land, where: {role: main}, each: project, min: 300``);
    ``objective: {maximize: tax}``.

``city-PxS``
    P platforms x S sectors (single period): every platform allows every sector, except every fifth
    platform, which allows 80 % of them; a capacity on every platform (the count's link needs a finite
    bound); city budgets of land and energy; each platform has its own value added per 亩 for each
    sector; a count of leading industries ``{kind: count, what: sectors, where: {role: [main, sub,
    linked]}, each: area, min: 2, max: 3, at_least: 50}``; a share rule (high-tech value added >= 45 %
    of value added); ``objective: {maximize: value_added}``.

Each (instance, backend, rep) runs in a fresh subprocess (`run_one`) that generates the scenario,
loads it (`landopt.from_dict`), builds it once to count its columns, rows and binaries, then times one
whole ``Scenario.solve(solver=backend, time_limit=limit)``: the first-stage MILP to the default gap
(1e-9, proven optimal), the canonical tie-break MILP, the LP with every decision fixed (prices), the
exact one-sided changes (LP re-solves, and for a count the MILP re-solved with its bound moved one item),
read-back and the independent checker. The time of each backend call is recorded by step (from the
solve's `progress` events), so the first MILP (``stage 1``) is also reported alone. The subprocess is
killed (its own process group) at ``limit + --grace`` seconds; landopt's own time limit makes a MILP
that cannot be proven optimal in time come back as ``time_limit`` with its gap and bound.

Recorded per run: wall time of the ``solve`` call, the result and MILP status, gap, bound, objective,
the checker's outcome (``Result.checker``), projects placed, binaries / columns / rows / nonzeros of the
built model, peak RSS (this process and its children: landopt runs a timed solve in a forked child,
and CBC is a child process), and the cores other processes used meanwhile. Per instance, the
objectives of the backends are compared (relative difference <= 1e-6 when all are optimal), and so are
the sets of placed projects and of counted pairs (landopt's canonical tie-break should make them equal).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from machine import children_cpu, cpu_busy_seconds, rss_mb, spread, version, wait_idle, write_results  # benchmarks/ is the script's folder

HERE = Path(__file__).resolve().parent
AGREE_REL = 1e-6
FIRST_YEAR = 2024
LAND_SHARE, ENERGY_SHARE, COD_SHARE = 0.52, 0.47, 0.45
"""County budgets over all years, as fractions of what every project together would need."""


# ------------------------------------------------------------------------------------ instances
def county_scenario(n_projects: int = 200, n_areas: int = 8, n_years: int = 3, n_sectors: int = 10,
                    seed: int = 1) -> dict:
    """A county with `n_projects` candidate projects, `n_areas` areas and `n_years` years (see the docstring)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    years = list(range(FIRST_YEAR, FIRST_YEAR + n_years))
    sid = [f"s{j:02d}" for j in range(n_sectors)]
    only = set(rng.choice(n_sectors, size=min(4, n_sectors), replace=False).tolist())
    sectors = {}
    for j, s in enumerate(sid):
        hi = rng.random() < 0.5
        sectors[s] = {"name": f"行业{j:02d}", "tags": ["industrial", "high_tech" if hi else "traditional"],
                      "per_mu": {"tax": round(float(rng.uniform(10, 45)), 2),
                                 "investment": round(float(rng.uniform(200, 500)), 1),
                                 "value_added": round(float(rng.uniform(60, 300)), 1),
                                 "energy": round(float(rng.uniform(5, 60)), 2),
                                 "cod": round(float(rng.uniform(0.002, 0.03)), 4)}}
        if j in only:
            sectors[s]["projects_only"] = True
    roles = ["main", "main", "sub", "sub", "sub", "sub", "linked", "outside"]
    aid = [f"a{i:02d}" for i in range(n_areas)]
    areas: dict[str, dict] = {}
    for i, a in enumerate(aid):
        areas[a] = {"name": f"片区{i:02d}", "role": roles[i % len(roles)],
                    "capacity": round(float(rng.uniform(500, 1200)) * n_projects / 200, 1)}
        if i in (3, 5):  # two areas allow 7 of the 10 sectors
            areas[a]["sectors"] = sorted(rng.choice(sid, size=max(1, round(0.7 * n_sectors)), replace=False).tolist())
    allowed = {a: set(areas[a].get("sectors", sid)) for a in aid}

    projects: dict[str, dict] = {}
    must_left = 4
    for k in range(n_projects):
        s = sid[int(rng.integers(n_sectors))]
        base = sectors[s]["per_mu"]
        land = float(np.clip(rng.lognormal(np.log(30), 0.6), 5, 200))
        inv = float(rng.uniform(150, 700))
        p: dict = {"name": f"项目{k:03d}", "sector": s, "land": round(land, 1),
                   "per_mu": {"tax": round(base["tax"] * float(rng.uniform(1.0, 2.0)), 2),
                              "investment": round(inv, 1),
                              "energy": round(base["energy"] * float(rng.uniform(0.6, 1.4)), 2),
                              "cod": round(base["cod"] * float(rng.uniform(0.6, 1.4)), 5)}}
        if rng.random() < 0.35:
            ok = [a for a in aid if s in allowed[a]]
            n_sites = min(len(ok), int(rng.integers(1, 4)))
            p["sites"] = {"area": sorted(rng.choice(ok, size=n_sites, replace=False).tolist())}
        elif must_left and inv >= 300 and land <= 60:
            p["must"] = True
            must_left -= 1
        if n_years > 1 and rng.random() < 0.25:
            p["year"] = int(rng.choice(years[1:]))
        projects[f"p{k:03d}"] = p

    # budgets: a fraction of what every project together would need, so that about half of them fit
    land_all = sum(p["land"] for p in projects.values())
    energy_all = sum(p["land"] * p["per_mu"]["energy"] for p in projects.values())
    cod_all = sum(p["land"] * p["per_mu"]["cod"] for p in projects.values())
    land_budget = {y: round(LAND_SHARE * land_all / n_years * (0.8 + 0.2 * t), 1) for t, y in enumerate(years)}
    level = [(t + 1) / n_years for t in range(n_years)]
    energy_budget = {y: round(ENERGY_SHARE * energy_all * f, 1) for y, f in zip(years, level, strict=True)}
    cod_budget = {y: round(COD_SHARE * cod_all * f, 3) for y, f in zip(years, level, strict=True)}
    return {
        "version": 1,
        "scenario": {"name": f"bench county {n_projects} projects x {n_areas} areas x {n_years} years",
                     "years": years if n_years > 1 else years[0]},
        "units": {"area": "mu", "money": "万元", "energy": "tce", "mass": "t"},
        "resources": {"land": {"name": "新增建设用地指标", "unit": "mu", "budget": land_budget},
                      "energy": {"name": "新增用能指标", "unit": "tce", "budget": energy_budget},
                      "cod": {"name": "化学需氧量排污权", "unit": "t", "budget": cod_budget}},
        "metrics": {"tax": {"name": "税收", "unit": "万元"}, "investment": {"name": "固定资产投资", "unit": "万元"},
                    "value_added": {"name": "工业增加值", "unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "projects": projects,
        "rules": [{"id": "std-invest", "name": "主平台标准地投资强度不低于300万元/亩", "kind": "intensity",
                   "metric": "investment", "per": "land", "where": {"role": "main"}, "each": "project",
                   "min": 300}],
        "objective": {"maximize": "tax"},
    }


def city_scenario(n_platforms: int = 14, n_sectors: int = 30, seed: int = 1) -> dict:
    """A city of `n_platforms` platforms x `n_sectors` sectors with a count of leading industries per platform."""
    import numpy as np

    rng = np.random.default_rng(seed)
    sid = [f"s{j:02d}" for j in range(n_sectors)]
    sectors = {}
    for j, s in enumerate(sid):
        hi = rng.random() < 0.4
        sectors[s] = {"name": f"行业{j:02d}", "tags": ["industrial", "high_tech" if hi else "traditional"],
                      "per_mu": {"value_added": round(float(rng.uniform(60, 320 if hi else 220)), 1),
                                 "tax": round(float(rng.uniform(8, 50)), 2),
                                 "energy": round(float(rng.uniform(5, 90)), 2)}}
    roles = ["main"] * 3 + ["sub"] * 8 + ["linked"] * 3
    areas: dict[str, dict] = {}
    for i in range(n_platforms):
        a: dict = {"name": f"平台{i:02d}", "role": roles[i % len(roles)],
                   "capacity": round(float(rng.uniform(300, 1200)), 1)}
        if i % 5 == 4:  # most platforms allow every sector; every fifth allows 80 % of them
            a["sectors"] = sorted(rng.choice(sid, size=round(0.8 * n_sectors), replace=False).tolist())
        allowed = a.get("sectors", sid)
        # the platform's own value added per 亩 of each sector (its strengths)
        a["per_mu"] = {s: {"value_added": round(sectors[s]["per_mu"]["value_added"] * float(rng.uniform(0.6, 1.5)),
                                                1)} for s in allowed}
        areas[f"p{i:02d}"] = a
    cap_all = sum(a["capacity"] for a in areas.values())
    mean_energy = float(np.mean([sectors[s]["per_mu"]["energy"] for s in sid]))
    return {
        "version": 1,
        "scenario": {"name": f"bench city {n_platforms} platforms x {n_sectors} sectors"},
        "units": {"area": "mu", "money": "万元", "energy": "tce", "mass": "t"},
        "resources": {"land": {"name": "新增建设用地指标", "unit": "mu", "budget": round(0.55 * cap_all, 1)},
                      "energy": {"name": "新增用能指标", "unit": "tce",
                                 "budget": round(0.35 * cap_all * mean_energy, 1)}},
        "metrics": {"tax": {"name": "税收", "unit": "万元"}, "value_added": {"name": "工业增加值", "unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "rules": [
            {"id": "lead", "name": "每个平台主导产业2-3个 (每个不少于50亩)", "kind": "count", "what": "sectors",
             "where": {"role": ["main", "sub", "linked"]}, "each": "area", "min": 2, "max": 3, "at_least": 50},
            {"id": "hitech-va", "name": "高新技术产业增加值占比不低于45%", "kind": "share", "metric": "value_added",
             "part": {"sector_tag": "high_tech"}, "min": 0.45},
        ],
        "objective": {"maximize": "value_added"},
    }


def instance(name: str, seed: int = 1) -> dict:
    """The scenario dict of an instance name: ``county-N``, ``county-NxAxY``, ``city-PxS``; a suffix ``@G``
    (``county-200@1e-4``) sets ``solve: {mip_gap: G}`` (default: landopt's 1e-9, proven optimal)."""
    name, _, gap = name.partition("@")
    if gap:
        data = instance(name, seed)
        data["solve"] = {"mip_gap": float(gap)}
        return data
    m = re.fullmatch(r"county-(\d+)(?:x(\d+)x(\d+))?", name)
    if m:
        n, a, y = int(m[1]), int(m[2] or 8), int(m[3] or 3)
        return county_scenario(n, a, y, seed=seed)
    m = re.fullmatch(r"city-(\d+)x(\d+)", name)
    if m:
        return city_scenario(int(m[1]), int(m[2]), seed=seed)
    msg = f"unknown instance {name!r}: county-N, county-NxAxY or city-PxS"
    raise ValueError(msg)


def family_size(name: str) -> tuple[str, str]:
    """('county', '200 projects / 8 areas / 3 years') or ('city', '14 platforms x 30 sectors'), and the gap."""
    name, _, gap = name.partition("@")
    fam, size = _family_size(name)
    return fam, size + (f", mip_gap {gap}" if gap else "")


def _family_size(name: str) -> tuple[str, str]:
    m = re.fullmatch(r"county-(\d+)(?:x(\d+)x(\d+))?", name)
    if m:
        return "county", f"{m[1]} projects / {m[2] or 8} areas / {m[3] or 3} years"
    m = re.fullmatch(r"city-(\d+)x(\d+)", name)
    if m:
        return "city", f"{m[1]} platforms x {m[2]} sectors"
    return name, ""


# ------------------------------------------------------------------------------------ worker
def worker(name: str, backend: str, rep: int, seed: int, time_limit: float | None, warmup: bool = True) -> dict:
    """One run in this (fresh) process: generate, load, build, solve; the JSON record."""
    t0 = time.perf_counter()
    import numpy as np

    import landopt
    import landopt.engine.outline  # imported before the clock starts: no lazy loading inside `solve`
    import solvers

    rec: dict = {"instance": name, "backend": backend, "rep": rep, "seed": seed, "time_limit": time_limit,
                 "warmup": warmup, "t": {}}
    t = rec["t"]
    if warmup:
        # one tiny MILP and one tiny LP in this process, so that no timed call pays the backend's first-use
        # initialisation (with a time limit every call runs in a forked child, which would pay it each time)
        milp = solvers.make_problem([1.0, 1.0], [[1.0, 1.0]], [-np.inf], [1.5], col_hi=[1.0, 1.0], sense="max",
                                    integer=[True, False])
        solvers.solve(milp, solver=backend, options=solvers.SolveOptions(scale=False))
        lp = solvers.make_problem([1.0], [[1.0]], [-np.inf], [1.0], sense="max")
        solvers.solve(lp, solver=backend, options=solvers.SolveOptions(scale=False, duals=False))
    t["import"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    data = instance(name, seed)
    t["generate"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    sc = landopt.from_dict(data, name=name)
    t["from_dict"] = time.perf_counter() - t0
    rec["warnings"] = [str(getattr(w, "code", w)) for w in sc.warnings]
    t0 = time.perf_counter()
    model = sc.build()
    t["build"] = time.perf_counter() - t0
    P = model.problem
    integer = P.integer if P.integer is not None else np.zeros(P.n, dtype=bool)
    open_ = integer & (P.col_hi > P.col_lo)
    rec["dims"] = {"rows": int(P.m), "cols": int(P.n), "nnz": int(P.nnz), "binaries": int(integer.sum()),
                   "binaries_open": int(open_.sum()), "projects": len(data.get("projects", {})),
                   "y_pairs": len(model.y_pairs), "screened_pairs": len(model.screened)}
    del model, P

    steps: list[dict] = []
    mark = {"t": time.perf_counter()}

    def progress(event: str, **d: object) -> None:
        now = time.perf_counter()
        if event == "solving":
            steps.append({"step": d.get("step"), "n": d.get("n"), "m": d.get("m")})
        elif event == "solved" and steps:
            steps[-1].update(status=d.get("status"), seconds=d.get("seconds"))
        elif event == "checking":
            mark["checking"] = now

    t0 = time.perf_counter()
    try:
        res = sc.solve(solver=backend, time_limit=time_limit, progress=progress)
    except landopt.CheckerError as e:  # the checker rejected an optimal plan: a landopt bug, recorded
        t["solve"] = time.perf_counter() - t0
        rec["error"] = f"CheckerError: {e}"[:3000]
        rec["steps"] = steps
        rec["peak_rss_mb"] = rss_mb()
        return rec
    t_end = time.perf_counter()
    t["solve"] = t_end - t0
    t["checker"] = t_end - mark["checking"] if "checking" in mark else None
    by_step: dict[str, float] = {}
    for s in steps:
        by_step[str(s["step"])] = by_step.get(str(s["step"]), 0.0) + float(s.get("seconds") or 0.0)
    rec["steps"] = steps
    rec["step_seconds"] = by_step
    t["first_milp"] = by_step.get("stage 1")
    rec["first_milp_status"] = next((s.get("status") for s in steps if s["step"] == "stage 1"), None)
    rec["canonical_statuses"] = [s.get("status") for s in steps if s["step"] == "canonical"]
    rec["status"] = res.status
    rec["message"] = res.message
    rec["objective"] = res.objective
    rec["mip"] = res.mip.to_dict() if res.mip is not None else None
    if res.mip is not None:
        rec["mip"]["objective"] = res.mip.objective
    rec["checker"] = res.checker
    rec["solves"] = res.info.solves
    rec["solve_seconds_in_backends"] = res.info.solve_seconds
    rec["result_warnings"] = [str(getattr(w, "code", w)) for w in res.warnings]
    projects = res.project_records()
    rec["placed"] = sorted(p["project"] for p in projects if p["placed"])
    rec["placed_land"] = sum(p["land"] for p in projects if p["placed"])
    rec["projects_land"] = sum(p["land"] for p in projects)
    # (area, sector) pairs with new land: what a count of sectors counts
    counted = set()
    for a in res.allocation_records():
        if a["land"] > 1e-6:
            counted.add(f"{a['area']}/{a['sector']}")
    rec["pairs_with_land"] = sorted(counted)
    rec["solver_version"] = {"ortools": version("ortools"), "pulp": version("pulp")}
    rec["backends_available"] = solvers.available_backends()
    rec["landopt_file"] = landopt.__file__
    rec["peak_rss_mb"] = rss_mb()
    return rec


# ------------------------------------------------------------------------------------ orchestrator
def run_one(name: str, backend: str, rep: int, seed: int, limit: float, grace: float, time_limit: bool = True,
            warmup: bool = True) -> dict:
    """One run in a fresh subprocess (its own session), killed at `limit` + `grace` s. `time_limit`: pass `limit`
    to landopt as the solve's time limit; `warmup`: one tiny solve before the timed one (see `worker`)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, backend, str(rep), str(seed),
           repr(limit if time_limit else 0.0), "warm" if warmup else "cold"]
    t0 = time.perf_counter()
    busy0, cpu0 = cpu_busy_seconds(), children_cpu()
    # the landopt of this checkout (not whichever one the environment has installed in editable mode)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, cwd=str(HERE.parent), env=env)
    try:
        out, err = proc.communicate(timeout=limit + grace)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the run's own process group only
        out, err = proc.communicate()
        return {"instance": name, "backend": backend, "rep": rep, "timed_out": True,
                "error": f"killed after {limit + grace:.0f} s"
                         + (f" (landopt's time limit {limit:.0f} s did not stop it)" if time_limit else ""),
                "wall": time.perf_counter() - t0}
    wall = time.perf_counter() - t0
    other = max(0.0, (cpu_busy_seconds() - busy0) - (children_cpu() - cpu0)) / wall
    for line in out.splitlines():
        if line.startswith("RESULT "):
            rec = json.loads(line[7:])
            rec["wall"] = wall
            rec["other_busy_cores"] = other
            return rec
    return {"instance": name, "backend": backend, "rep": rep, "error": f"rc={proc.returncode}: {err[-3000:]}",
            "wall": wall, "other_busy_cores": other}


def summarise(runs: list[dict], names: list[str], backends: list[str]) -> list[dict]:
    """One row per (instance, backend): median/min/max of the solve call, statuses, gaps, agreement."""
    out = []
    for name in names:
        fam, size = family_size(name)
        rows = []
        for backend in backends:
            mine = [r for r in runs if r["instance"] == name and r["backend"] == backend]
            done = [r for r in mine if "error" not in r]
            row: dict = {"instance": name, "family": fam, "size": size, "backend": backend, "runs": len(done),
                         "failed": len(mine) - len(done)}
            if len(mine) > len(done):
                row["errors"] = sorted({r["error"][:400] for r in mine if "error" in r})
            if done:
                solve = [r["t"]["solve"] for r in done]
                first = [r["t"]["first_milp"] for r in done if r["t"].get("first_milp") is not None]
                row.update({
                    "dims": done[0]["dims"],
                    "median_s": statistics.median(solve), "min_s": min(solve), "max_s": max(solve),
                    "first_milp_median_s": statistics.median(first) if first else None,
                    "first_milp_min_s": min(first) if first else None,
                    "first_milp_max_s": max(first) if first else None,
                    "step_seconds_median": {k: statistics.median(r["step_seconds"].get(k, 0.0) for r in done)
                                            for k in done[0]["step_seconds"]},
                    "solves": sorted({r["solves"] for r in done}),
                    "statuses": sorted({r["status"] for r in done}),
                    "first_milp_statuses": sorted({str(r.get("first_milp_status")) for r in done}),
                    "canonical_statuses": sorted({str(x) for r in done for x in r.get("canonical_statuses", [])}),
                    "mip_statuses": sorted({(r["mip"] or {}).get("status") for r in done}, key=str),
                    "gap_max": max((g for r in done if (g := (r["mip"] or {}).get("gap")) is not None), default=None),
                    "objectives": [r["objective"] for r in done],
                    "mip_objectives": [(r["mip"] or {}).get("objective") for r in done],
                    "bounds": [(r["mip"] or {}).get("bound") for r in done],
                    "checker_passed": all(r["checker"].get("passed") for r in done),
                    "checker_outcomes": sorted({str(r["checker"].get("passed")) for r in done}),
                    "plan_returned": [r["objective"] is not None for r in done],
                    "checked": sorted({r["checker"].get("checked") for r in done}),
                    "placed": len(done[0]["placed"]),
                    "placed_land_share": (done[0]["placed_land"] / done[0]["projects_land"]
                                          if done[0]["projects_land"] else None),
                    "plans_equal_across_reps": len({(tuple(r["placed"]), tuple(r["pairs_with_land"]))
                                                    for r in done}) == 1,
                    "peak_rss_mb": statistics.median(r["peak_rss_mb"]["peak"] for r in done),
                    "rss_self_mb": statistics.median(r["peak_rss_mb"]["self"] for r in done),
                    "rss_children_mb": statistics.median(r["peak_rss_mb"]["children"] for r in done),
                    "wall_median_s": statistics.median(r["wall"] for r in done),
                    "import_median_s": statistics.median(r["t"]["import"] for r in done),
                    "build_median_s": statistics.median(r["t"]["build"] for r in done),
                    "from_dict_median_s": statistics.median(r["t"]["from_dict"] for r in done),
                    "other_busy_cores_max": max(r.get("other_busy_cores", 0.0) for r in done),
                    "warnings": sorted({w for r in done for w in r.get("result_warnings", [])}),
                })
            rows.append(row)
        # agreement across backends (and reps): objectives of optimal runs, placed sets, counted pairs
        opt = [(row["backend"], o) for row in rows if row.get("runs") and row["statuses"] == ["optimal"]
               for o in row["objectives"]]
        all_optimal = bool(rows) and all(row.get("runs") and row["statuses"] == ["optimal"] and not row["failed"]
                                         for row in rows)
        rel = spread([o for _, o in opt])
        # every plan the backends found (the MILP's incumbent where the result carries no plan)
        rel_all = spread([o if o is not None else m for row in rows if row.get("runs")
                           for o, m in zip(row["objectives"], row["mip_objectives"], strict=True)])
        plans = {(tuple(r["placed"]), tuple(r["pairs_with_land"])) for r in runs
                 if r["instance"] == name and "error" not in r and r.get("status") == "optimal"}
        for row in rows:
            row["all_backends_optimal"] = all_optimal
            row["objective_max_rel_diff"] = rel
            row["objective_max_rel_diff_all"] = rel_all
            row["agree"] = (rel is not None and rel <= AGREE_REL) if all_optimal else None
            row["same_plan_all_backends"] = len(plans) == 1 if plans else None
        out += rows
    return out


def _f(v: float | None) -> str:
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}" if v >= 1 else f"{v:.3f}"


def _checker(r: dict) -> str:
    """The checker column: passed, FAILED, or 'no plan' when the result carried no allocation to check."""
    out = r["checker_outcomes"]
    if out == ["True"]:
        return "passed"
    if "False" in out:
        return "FAILED"
    return "no plan to check" if out == ["None"] else "passed / no plan"


def _agree(r: dict) -> str:
    """The agree column: yes/NO with the largest relative difference, or why it is not judged."""
    if r["agree"] is None:
        d = r.get("objective_max_rel_diff_all")
        return "n/a: not all optimal" + (f" (objectives differ by {d:.1e})" if d is not None else "")
    return f"{'yes' if r['agree'] else 'NO'} ({r['objective_max_rel_diff']:.1e})"


def markdown(summary: list[dict], meta: dict) -> str:
    limit = (f"landopt time limit {meta['limit']:.0f} s per run" if meta["landopt_time_limit"]
             else "no landopt time limit")
    warm = "one tiny warm-up solve in each process first" if meta["warmup"] else "no warm-up solve"
    L = [f"# landopt MILP benchmark ({meta['date']})", "",
         (f"Machine: {meta['machine']}. Python {meta['python']}, ortools {meta['ortools']} (HiGHS and SCIP via "
          f"MathOpt), PuLP {meta['pulp']} (CBC). {meta['reps']} fresh-process runs per cell, seed {meta['seed']}; "
          f"{limit} (process killed at {meta['limit'] + meta['grace']:.0f} s); {warm}. MILP gap asked: 1e-9 "
          "(landopt's default, proven optimal) unless the size says otherwise. Seconds are the wall time of the "
          "whole `Scenario.solve` call (first-stage MILP, canonical tie-break MILP, LP with the decisions fixed, "
          "exact one-sided changes, read-back, checker); `first MILP` is the first-stage MILP alone. A cell whose "
          "first run ends at the limit is not repeated."), "",
         ("| family | size | binaries (open) | rows | backend | median s | min s | max s | first MILP median s | "
          "solves | status | MILP gap | objective | bound | agree | checker | placed | peak RSS MB |"),
         "|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---|---|---:|---:|"]
    for r in summary:
        if not r.get("runs"):
            why = f"failed: {'; '.join(r.get('errors', []))[:200]}" if r.get("failed") else "not run"
            L.append(f"| {r['family']} | {r['size']} | | | {r['backend']} | - | - | - | - | | {why} | | | | | | | |")
            continue
        d = r["dims"]
        objs = r["objectives"]
        if all(o is not None for o in objs):
            obj = f"{statistics.median(objs):,.2f}"
        else:  # no plan in the result: the MILP's incumbent, marked
            inc = [m for m in r["mip_objectives"] if m is not None]
            obj = f"none (MILP incumbent {statistics.median(inc):,.2f})" if inc else "none"
        bnds = [b for b in r["bounds"] if b is not None]
        bound = f"{statistics.median(bnds):,.2f}" if bnds else "-"
        agree = _agree(r)
        status = ", ".join(r["statuses"])
        if r["failed"]:
            status += f"; {r['failed']} failed"
        placed = f"{r['placed']} / {d['projects']}" if d["projects"] else "-"
        L.append(f"| {r['family']} | {r['size']} | {d['binaries']:,} ({d['binaries_open']:,}) | {d['rows']:,} | "
                 f"{r['backend']} | {_f(r['median_s'])} | {_f(r['min_s'])} | {_f(r['max_s'])} | "
                 f"{_f(r['first_milp_median_s'])} | {'/'.join(map(str, r['solves']))} | {status} | "
                 f"{'-' if r['gap_max'] is None else format(r['gap_max'], '.1e')} | {obj} | {bound} | {agree} | "
                 f"{_checker(r)} | {placed} | {r['peak_rss_mb']:.0f} |")
    L += ["", "## Steps (median seconds in backend calls, by step)", "",
          ("| instance | backend | steps | first MILP status | canonical MILP / LP statuses | result warnings | "
           "other processes (max cores) | same plan on every backend |"),
          "|---|---|---|---|---|---|---:|---|"]
    for r in summary:
        if not r.get("runs"):
            continue
        st = ", ".join(f"{k} {_f(v)}" for k, v in r["step_seconds_median"].items())
        L.append(f"| {r['instance']} | {r['backend']} | {st} | {', '.join(r['first_milp_statuses'])} | "
                 f"{', '.join(r['canonical_statuses']) or '-'} | {', '.join(r['warnings']) or '-'} | "
                 f"{r['other_busy_cores_max']:.2f} | "
                 f"{ {True: 'yes', False: 'NO', None: '-'}[r['same_plan_all_backends']] } |")
    failed = [r for r in summary if r.get("errors")]
    if failed:
        L += ["", "## Failures", ""]
        L += [f"* {r['instance']} / {r['backend']}: {e}" for r in failed for e in r["errors"]]
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
            "numpy": numpy.__version__,
            "reps": args.reps, "limit": args.limit, "grace": args.grace, "seed": args.seed,
            "landopt_time_limit": None if args.no_time_limit else args.limit, "warmup": not args.no_warmup,
            "instances": args.instances, "backends": args.backends, "agree_rel": AGREE_REL}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "--worker":
        name, backend, rep, seed, limit = argv[1], argv[2], int(argv[3]), int(argv[4]), float(argv[5])
        warm = len(argv) < 7 or argv[6] != "cold"
        rec = worker(name, backend, rep, seed, limit if limit > 0 else None, warm)
        print("RESULT " + json.dumps(rec, default=str), flush=True)
        return 0
    ap = argparse.ArgumentParser(description="landopt MILP benchmark (see the module docstring)")
    ap.add_argument("--instances", nargs="+", default=["county-200", "city-14x30"],
                    help="county-N, county-NxAxY (projects x areas x years), city-PxS (platforms x sectors)")
    ap.add_argument("--backends", nargs="+", default=["highs", "scip", "cbc"])
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1, help="numpy default_rng seed of the generated instances")
    ap.add_argument("--limit", type=float, default=300.0,
                    help="wall limit per run, s: landopt's time limit of the whole solve call, and the run's process "
                         "is killed at limit + grace")
    ap.add_argument("--grace", type=float, default=60.0, help="the run's process is killed at limit + grace s")
    ap.add_argument("--no-time-limit", action="store_true",
                    help="do not give landopt the time limit (every solve runs in-process; only the kill at "
                         "limit + grace stops a run, and a killed run reports no gap)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="no tiny warm-up solve before the timed one (what a fresh `landopt solve` process pays)")
    ap.add_argument("--out", default=str(HERE / "results" / "milp.json"))
    ap.add_argument("--idle-wait", type=float, default=120.0,
                    help="before each run, wait up to this many s for other processes to go quiet (0: never)")
    ap.add_argument("--idle-threshold", type=float, default=0.3, help="'quiet' means fewer busy cores than this")
    ap.add_argument("--dump", metavar="DIR", help="also write each instance as YAML into DIR (and run nothing)")
    ap.add_argument("--resummarise", metavar="JSON", help="recompute the summary and the markdown of a result file "
                    "written by this script (in place; nothing is run)")
    args = ap.parse_args(argv)
    if args.resummarise:
        path = Path(args.resummarise)
        old = json.loads(path.read_text())
        meta = old["meta"]
        summary = summarise(old["runs"], meta["instances"], meta["backends"])
        path.write_text(json.dumps({"meta": meta, "summary": summary, "runs": old["runs"]}, indent=1, default=str)
                        + "\n")
        path.with_suffix(".md").write_text(markdown(summary, meta))
        print(path.with_suffix(".md").read_text())
        return 0
    if args.dump:
        import yaml

        d = Path(args.dump)
        d.mkdir(parents=True, exist_ok=True)
        for name in args.instances:
            (d / f"{name}.yaml").write_text(yaml.safe_dump(instance(name, args.seed), allow_unicode=True,
                                                           sort_keys=False))
            print(d / f"{name}.yaml")
        return 0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    runs: list[dict] = []
    skip: set[tuple[str, str]] = set()
    for name in args.instances:
        for rep in range(args.reps):
            for backend in args.backends:
                if (name, backend) in skip:
                    continue
                before = wait_idle(args.idle_threshold, args.idle_wait) if args.idle_wait > 0 else None
                rec = run_one(name, backend, rep, args.seed, args.limit, args.grace, not args.no_time_limit,
                              not args.no_warmup)
                rec["busy_cores_before"] = before
                runs.append(rec)
                if rec.get("timed_out") or (rec.get("status") not in (None, "optimal") and "error" not in rec):
                    skip.add((name, backend))  # a run at the limit: the next reps would only hit it again
                if "error" in rec:
                    msg = rec["error"][:300]
                else:
                    mip = rec.get("mip") or {}
                    msg = (f"solve {rec['t']['solve']:.2f}s (first MILP {rec['t'].get('first_milp') or 0:.2f}s, "
                           f"{rec['solves']} solves) {rec['status']} gap {mip.get('gap')} obj {rec['objective']} "
                           f"checker {rec['checker'].get('passed')} placed {len(rec['placed'])} "
                           f"rss {rec['peak_rss_mb']['peak']:.0f} MB")
                print(f"{name} rep{rep} {backend:<6} wall {rec['wall']:.1f}s  {msg}  "
                      f"[other procs: {rec.get('other_busy_cores', float('nan')):.2f} cores]", flush=True)
                # the runs so far, in case the benchmark is stopped before the end
                out.with_suffix(".partial.json").write_text(json.dumps({"runs": runs}, default=str) + "\n")
    out.with_suffix(".partial.json").unlink(missing_ok=True)
    meta = meta_info(args)
    summary = summarise(runs, args.instances, args.backends)
    write_results(out, meta, summary, runs, markdown)
    return 0


if __name__ == "__main__":
    sys.exit(main())
