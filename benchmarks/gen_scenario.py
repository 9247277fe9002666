"""Turn a synthetic `gen.py` Instance into a landopt scenario dict that encodes the same LP.

`gen.py` lives in the shared benchmark folder (``/work/shared/bench`` by default, or
``$LANDOPT_BENCH_GEN``, a folder or the file itself). It is imported by path, never copied.

Mapping (gen's row blocks -> scenario keys; see gen.py's docstring for the LP):

==================  ==========================================================================
gen block           scenario
==================  ==========================================================================
variables           areas ``a000..`` (role main/sub from ``inst.main``) x sectors ``s000..``
                    (tag ``high_tech`` from ``inst.hitech``), years 2021.. (T of them)
coefficients        per-area ``per_mu`` override for every (area, sector): output, tax,
                    value_added, energy, so2, nox, cod, nh3n (from out/tax/va/res)
1 budgets           resources land/energy/so2/nox/cod/nh3n, per-year budget, ``accounting: flow``
2 area capacity     ``capacity`` = cap (over all years)
3 output / mu       one intensity rule per area: output per land, ``include_existing: true``
                    (``existing`` land/output = L0/O0), per-year ``min`` = tgt_out[a]
4 tax / mu          the same with tax, X0 and tgt_tax
5 main platform     flow share rule: land of ``{role: main}`` >= 0.7 of all land, every year
6 high-tech VA      flow share rule: value_added of ``{sector_tag: high_tech}`` >= 0.45, every year
7 sector demand     one flow cap rule per sector: land <= demand[s] (per-year max)
objective           ``maximize: tax`` (landopt sums yearly levels: tax * (T - t), as gen)
==================  ==========================================================================

Rules are listed in gen's row order, so landopt's rows and columns come out in gen's
canonical order too (budgets r-major, capacity, output (a,t), tax (a,t), main, high-tech,
demand (s,t); columns (a*S + s)*T + t).

Run as a script to verify the encoding on small sizes::

    .venv/bin/python benchmarks/gen_scenario.py --sizes 1e3 1e4 --backends highs clp
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

DEFAULT_GEN_DIR = Path("/work/shared/bench")
FIRST_YEAR = 2021
_GEN: ModuleType | None = None


def load_gen() -> ModuleType:
    """Import the shared `gen.py` by path (cached); a clear error when it is missing."""
    global _GEN
    if _GEN is not None:
        return _GEN
    where = Path(os.environ.get("LANDOPT_BENCH_GEN", DEFAULT_GEN_DIR))
    path = where if where.suffix == ".py" else where / "gen.py"
    if not path.is_file():
        raise FileNotFoundError(
            f"the synthetic LP generator {path} is missing: these benchmarks import it from the shared "
            f"benchmark folder (default {DEFAULT_GEN_DIR}); point $LANDOPT_BENCH_GEN at gen.py or its folder")
    spec = importlib.util.spec_from_file_location("landopt_bench_gen", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses need the module registered
    spec.loader.exec_module(mod)
    _GEN = mod
    return mod


def instance(size: str, seed: int = 1):
    """gen's instance for a size label ('1e3' ... '5e6'), seed 1 as in PERF.md."""
    gen = load_gen()
    A, S, T = gen.SIZES[size]
    return gen.generate(A, S, T, seed=seed)


def _f(v: Any) -> float:
    return float(v)


def to_scenario(inst) -> dict:
    """The landopt scenario (plain data, as `landopt.from_dict` takes) of a gen Instance."""
    gen = load_gen()
    A, S, T = inst.A, inst.S, inst.T
    years = list(range(FIRST_YEAR, FIRST_YEAR + T))
    aid = [f"a{a:03d}" for a in range(A)]
    sid = [f"s{s:03d}" for s in range(S)]
    res_ids = list(gen.RESOURCES)
    assert res_ids == ["land", "energy", "so2", "nox", "cod", "nh3n"], res_ids
    res_units = {"land": "mu", "energy": "tce", "so2": "t", "nox": "t", "cod": "t", "nh3n": "t"}
    # .tolist() gives Python floats with the same bits as the numpy values
    out, tax, va, res = inst.out.tolist(), inst.tax.tolist(), inst.va.tolist(), inst.res.tolist()
    budget = inst.budget.tolist()
    resources = {
        r: {"name": r, "unit": res_units[r], "accounting": "flow",
            "budget": {y: budget[i][t] for t, y in enumerate(years)}}
        for i, r in enumerate(res_ids)
    }
    sectors = {
        sid[s]: {"name": f"sector {s}", "tags": ["high_tech"] if inst.hitech[s] else ["traditional"]}
        for s in range(S)
    }
    cap, L0, O0, X0 = inst.cap.tolist(), inst.L0.tolist(), inst.O0.tolist(), inst.X0.tolist()
    areas = {}
    for a in range(A):
        per_mu = {}
        for s in range(S):
            row = {"output": out[a][s], "tax": tax[a][s], "value_added": va[a][s]}
            for i, r in enumerate(res_ids[1:], start=1):
                row[r] = res[i][a][s]
            per_mu[sid[s]] = row
        areas[aid[a]] = {
            "name": f"area {a}", "role": "main" if inst.main[a] else "sub", "capacity": cap[a],
            "existing": {"land": L0[a], "output": O0[a], "tax": X0[a]}, "per_mu": per_mu,
        }
    tgt_out, tgt_tax, demand = inst.tgt_out.tolist(), inst.tgt_tax.tolist(), inst.demand.tolist()
    rules: list[dict] = []
    for metric, tgt in (("output", tgt_out), ("tax", tgt_tax)):
        for a in range(A):
            rules.append({"id": f"{metric}-per-mu-{aid[a]}", "kind": "intensity", "metric": metric, "per": "land",
                          "where": {"area": aid[a]}, "include_existing": True,
                          "min": {y: tgt[a][t] for t, y in enumerate(years)}})
    rules.append({"id": "main-platform-share", "kind": "share", "metric": "land", "part": {"role": "main"},
                  "flow": True, "min": gen.MAIN_SHARE})
    rules.append({"id": "high-tech-va-share", "kind": "share", "metric": "value_added",
                  "part": {"sector_tag": "high_tech"}, "flow": True, "min": gen.HITECH_SHARE})
    for s in range(S):
        rules.append({"id": f"demand-{sid[s]}", "kind": "cap", "metric": "land", "where": {"sector": sid[s]},
                      "flow": True, "max": {y: demand[s][t] for t, y in enumerate(years)}})
    return {
        "version": 1,
        "scenario": {"name": f"gen {inst.sdim} seed {inst.seed}", "years": years},
        "units": {"area": "mu", "money": "万元", "energy": "tce", "mass": "t"},
        "resources": resources,
        "metrics": {"output": {"name": "output", "unit": "万元"}, "tax": {"name": "tax", "unit": "万元"},
                    "value_added": {"name": "value added", "unit": "万元"}},
        "sectors": sectors,
        "areas": areas,
        "rules": rules,
        "objective": {"maximize": "tax"},
    }


def floor_problem(inst):
    """gen's canonical CSR as a `solvers.LinearProblem` (the floor)."""
    import solvers

    gen = load_gen()
    M, lo, hi = gen.csr(inst)
    n = inst.n
    return solvers.LinearProblem(c=np.ascontiguousarray(inst.obj.ravel(), dtype=float), A=M, row_lo=lo, row_hi=hi,
                                 col_lo=np.zeros(n), col_hi=np.full(n, np.inf), sense="max", name=f"gen {inst.sdim}")


def compare_matrices(P, Q) -> dict:
    """How landopt's problem P and gen's problem Q differ (same row/column order expected)."""
    A, B = P.A.tocsr(), Q.A.tocsr()
    out: dict[str, Any] = {"shape_landopt": list(A.shape), "shape_gen": list(B.shape),
                           "nnz_landopt": int(A.nnz), "nnz_gen": int(B.nnz)}
    if A.shape == B.shape:
        D = (A - B).tocsr()
        scale = max(float(abs(B).max()), 1.0)
        out["max_abs_coef_diff"] = float(abs(D).max()) if D.nnz else 0.0
        out["max_rel_coef_diff"] = out["max_abs_coef_diff"] / scale
        D.eliminate_zeros()
        out["n_coef_diff"] = int(D.nnz)
        rows = sorted(set(np.repeat(np.arange(D.shape[0]), np.diff(D.indptr)).tolist()))
        names = P.row_names or []
        out["coef_diff_rows"] = sorted({names[i].split("(")[1].split(",")[0].split(")")[0] if names else str(i)
                                        for i in rows})
        out["same_pattern"] = bool((A != 0).astype(int).sum() == (B != 0).astype(int).sum()
                                   and ((A != 0) != (B != 0)).nnz == 0)
        for name, a, b in (("row_lo", P.row_lo, Q.row_lo), ("row_hi", P.row_hi, Q.row_hi), ("c", P.c, Q.c)):
            fa, fb = np.isfinite(a), np.isfinite(b)
            same_inf = bool(np.array_equal(fa, fb) and np.array_equal(a[~fa], b[~fb]))
            d = float(np.max(np.abs(a[fa] - b[fb]) / np.maximum(1.0, np.abs(b[fb])), initial=0.0)) if same_inf else None
            out[f"{name}_max_rel_diff"] = d
    return out


def verify(sizes: list[str], backends: list[str]) -> list[dict]:
    """Solve landopt's build and gen's CSR with each backend; compare optimum and matrix."""
    import landopt
    import solvers

    rows = []
    for size in sizes:
        inst = instance(size)
        sc = landopt.from_dict(to_scenario(inst), name=f"gen-{size}")
        model = sc.build()
        P = model.problem
        Q = floor_problem(inst)
        mat = compare_matrices(P, Q)
        for backend in backends:
            ra = solvers.solve(P, solver=backend, options=solvers.SolveOptions(scale=True))
            rb = solvers.solve(Q, solver=backend, options=solvers.SolveOptions(scale=True))
            rc = solvers.solve(Q, solver=backend, options=solvers.SolveOptions(scale=False))
            full = sc.solve(solver=backend, canonical=False)
            ref = rb.objective
            rel = lambda v: None if v is None or ref is None else abs(v - ref) / max(1.0, abs(ref))  # noqa: E731
            rows.append({
                "size": size, "dims": inst.sdim, "backend": backend, **mat, "nnz_formula": inst.nnz,
                "status_landopt": ra.status.value, "status_gen": rb.status.value,
                "obj_landopt_problem": ra.objective, "obj_gen_scaled": rb.objective, "obj_gen_unscaled": rc.objective,
                "obj_scenario_solve": full.objective, "checker": full.checker,
                "rel_diff_problem": rel(ra.objective), "rel_diff_gen_unscaled": rel(rc.objective),
                "rel_diff_scenario_solve": rel(full.objective),
                "x_ref_obj": float((inst.obj * inst.x_ref).sum()),
            })
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["1e3", "1e4"])
    ap.add_argument("--backends", nargs="+", default=["highs", "clp"])
    ap.add_argument("--tol", type=float, default=1e-7, help="relative objective tolerance")
    ap.add_argument("--json", help="write the rows as JSON here")
    args = ap.parse_args(argv)
    rows = verify(args.sizes, args.backends)
    bad = 0
    for r in rows:
        ok = (r["rel_diff_problem"] is not None and r["rel_diff_problem"] <= args.tol
              and r["rel_diff_scenario_solve"] is not None and r["rel_diff_scenario_solve"] <= args.tol
              and r["nnz_landopt"] == r["nnz_gen"])
        bad += not ok
        print(f"{'ok ' if ok else 'BAD'} {r['size']:>4} {r['dims']:>9} {r['backend']:<6} "
              f"obj landopt={r['obj_landopt_problem']!r} gen={r['obj_gen_scaled']!r} "
              f"rel={r['rel_diff_problem']:.1e} scenario.solve rel={r['rel_diff_scenario_solve']:.1e} "
              f"gen(unscaled) rel={r['rel_diff_gen_unscaled']:.1e} | nnz {r['nnz_landopt']} vs {r['nnz_gen']} "
              f"(formula {r['nnz_formula']}) max coef diff {r.get('max_rel_coef_diff', float('nan')):.1e} "
              f"in {r.get('n_coef_diff')} entries of {r.get('coef_diff_rows')} "
              f"same pattern {r.get('same_pattern')} checker {r['checker'].get('passed')}")
    if args.json:
        import json

        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(rows, indent=1, default=str) + "\n")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
