"""LP/MPS export: time of `solvers.lpfile`'s writers against OR-Tools' exporter, and how faithful each is.

For each size, gen.py's instance is encoded as a landopt scenario and built, so the problem is
exactly the `model.problem` that ``landopt export FILE --lp OUT`` writes (landopt's own row and
column names, all renamed and listed in the header). Then, best and median of ``--reps`` runs:

* ``lpfile``: `solvers.lpfile.to_lp` / `to_mps` of this tree;
* ``baseline`` (with ``--baseline REV``): the writers of `solvers/lpfile.py` at git revision
  REV, loaded from ``git show``; their text is checked to be byte-identical to this tree's;
* ``ortools``: a `model_builder` model filled from the arrays (``fill_model_from_sparse_data``,
  as `solvers.clp_backend` does, plus integrality, objective offset, sense and legal names),
  then ``export_to_lp_string`` / ``export_to_mps_string`` with ``show_unused_variables`` and
  ``max_line_length=250``; the model build is timed separately.

Faithfulness: each MPS text is read back by OR-Tools' MPS reader (``import_from_mps_string``) and
every objective coefficient, matrix entry and bound is compared with the problem's: the count
that differ and the largest relative difference. With ``--solve``, the read-back model is also
solved (GLOP through model_builder) and its optimum compared with CLP's on the problem itself.
LP texts are timed only: OR-Tools' LP reader reads lp_solve's format, not CPLEX LP.

Run nothing else heavy at the same time (2 cores)::

    python benchmarks/bench_lpfile.py --sizes 1e5 1e6 --reps 3 --baseline 2c136a7 --solve 1e5 \\
        --out /tmp/lpfile.json
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Callable

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

LINE_WIDTH = 250


def timed(fn: Callable[[], Any], reps: int) -> tuple[dict, Any]:
    """Best and median wall time of `reps` calls, and the last result."""
    times, value = [], None
    for _ in range(reps):
        value = None
        gc.collect()
        t0 = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t0)
    return {"best": min(times), "median": statistics.median(times), "runs": times}, value


def load_baseline(rev: str) -> ModuleType:
    """`solvers/lpfile.py` as it was at git revision `rev`, as a separate module."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:solvers/lpfile.py"],
                            check=True, capture_output=True, text=True).stdout
    spec = importlib.util.spec_from_loader(f"lpfile_{rev}", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    exec(compile(source, f"{rev}:solvers/lpfile.py", "exec"), module.__dict__)  # noqa: S102 (our own history)
    return module


def ortools_model(problem):
    """A model_builder model of `problem` with legal, unique names (none of OR-Tools' own reserved)."""
    from ortools.linear_solver.python import model_builder

    from solvers._support import canonical_csr
    from solvers.lpfile import legal_names

    reserved = ["obj", "Obj", "COST", "Constant"]  # OR-Tools' objective names and offset variable
    model = model_builder.Model()
    helper = model.helper
    helper.fill_model_from_sparse_data(problem.col_lo, problem.col_hi, problem.c, problem.row_lo, problem.row_hi,
                                       canonical_csr(problem.A).astype(float))
    helper.set_maximize(problem.maximize)
    helper.set_objective_offset(problem.c0)
    helper.set_name(legal_names([problem.name])[0])
    if problem.integer is not None:
        for j in np.flatnonzero(problem.integer).tolist():
            helper.set_var_integrality(j, True)
    for i, name in enumerate(legal_names((problem.row_name(i) for i in range(problem.m)), taken=reserved)):
        helper.set_constraint_name(i, name)
    for j, name in enumerate(legal_names((problem.col_name(j) for j in range(problem.n)), taken=reserved)):
        helper.set_var_name(j, name)
    return model


def export_options():
    """MPModelExportOptions keeping every column, lines as short as lpfile's."""
    from ortools.linear_solver.python import model_builder_helper

    options = model_builder_helper.MPModelExportOptions()
    options.show_unused_variables = True
    options.max_line_length = LINE_WIDTH
    return options


def faithfulness(text: str, problem, solve: bool, direct: float | None) -> dict:
    """How the problem OR-Tools' MPS reader finds in `text` differs from `problem`."""
    import scipy.sparse as sp
    from ortools.linear_solver.python import model_builder

    from solvers._support import canonical_csr
    from solvers.lpfile import legal_names

    model = model_builder.Model()
    if not model.import_from_mps_string(text):
        return {"read": False}
    proto = model.export_to_proto()
    where = {var.name: k for k, var in enumerate(proto.variable)}
    names = legal_names(problem.col_name(j) for j in range(problem.n))
    order = np.array([where[name] for name in names])
    position = np.empty_like(order)
    position[order] = np.arange(order.size)
    var = proto.variable
    read_c = np.array([var[k].objective_coefficient for k in order])
    read_lo = np.array([var[k].lower_bound for k in order])
    read_hi = np.array([var[k].upper_bound for k in order])
    rows, cols, vals = [], [], []
    row_lo, row_hi = [], []
    for i, row in enumerate(proto.constraint):
        rows.extend([i] * len(row.var_index))
        cols.extend(position[list(row.var_index)].tolist())
        vals.extend(row.coefficient)
        row_lo.append(row.lower_bound)
        row_hi.append(row.upper_bound)
    read_A = sp.csr_matrix((vals, (rows, cols)), shape=(problem.m, problem.n))
    read_A.sum_duplicates()
    read_A.eliminate_zeros()
    A = canonical_csr(problem.A).copy()
    A.eliminate_zeros()
    same_pattern = np.array_equal(read_A.indptr, A.indptr) and np.array_equal(read_A.indices, A.indices)
    exact_rows = ~(np.isfinite(problem.row_lo) & np.isfinite(problem.row_hi) & (problem.row_lo != problem.row_hi))
    pairs = [(read_c, problem.c), (read_lo, problem.col_lo), (read_hi, problem.col_hi),
             (np.array(row_hi, dtype=float), problem.row_hi),
             (np.array(row_lo, dtype=float)[exact_rows], problem.row_lo[exact_rows]),
             (read_A.data if same_pattern else np.full(A.nnz, np.nan), A.data),
             (np.array([proto.objective_offset]), np.array([problem.c0]))]
    differ, worst = 0, 0.0
    for got, want in pairs:
        finite = np.isfinite(want)
        bad = (got != want) & ~(np.isinf(got) & np.isinf(want) & (np.sign(got) == np.sign(want)))
        differ += int(bad.sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.abs(got[finite] - want[finite]) / np.maximum(np.abs(want[finite]), 1e-300)
        if rel.size:
            worst = max(worst, float(np.nanmax(np.where(np.isfinite(rel), rel, np.inf))))
    out: dict[str, Any] = {"read": True, "numbers_compared": int(sum(want.size for _, want in pairs)),
                           "numbers_differing": differ, "max_rel_diff": worst}
    if solve:
        solver = model_builder.Solver("glop")
        status = solver.solve(model)
        out["status"] = str(status)
        if status == model_builder.SolveStatus.OPTIMAL and direct is not None:
            out["objective"] = solver.objective_value
            out["objective_rel_diff"] = abs(solver.objective_value - direct) / max(abs(direct), 1e-300)
    return out


def run_size(size: str, reps: int, baseline: ModuleType | None, solve: bool) -> dict:
    """Every measurement for one gen size."""
    import gen_scenario
    import landopt

    import solvers
    from solvers import lpfile

    inst = gen_scenario.instance(size)
    problem = landopt.from_dict(gen_scenario.to_scenario(inst), name=f"gen-{size}").build().problem
    rec: dict[str, Any] = {"size": size, "dims": inst.sdim, "m": problem.m, "n": problem.n, "nnz": problem.nnz}
    print(f"== {size}: {problem.m} rows, {problem.n} columns, {problem.nnz} nonzeros", flush=True)
    direct = solvers.solve(problem, "clp").objective if solve else None
    rec["direct_objective_clp"] = direct
    texts: dict[str, str] = {}
    for fmt in ("lp", "mps"):
        rec[f"lpfile_{fmt}"], texts[fmt] = timed(lambda f=fmt: getattr(lpfile, f"to_{f}")(problem), reps)
        rec[f"lpfile_{fmt}"]["mbytes"] = len(texts[fmt]) / 1e6
        if baseline is not None:
            rec[f"baseline_{fmt}"], old = timed(lambda f=fmt: getattr(baseline, f"to_{f}")(problem), reps)
            rec[f"baseline_{fmt}"]["identical"] = old == texts[fmt]
            del old
    rec["ortools_build"], model = timed(lambda: ortools_model(problem), reps)
    options = export_options()
    ortools_mps = ""
    for fmt in ("lp", "mps"):
        export = getattr(model.helper, f"export_to_{fmt}_string")
        rec[f"ortools_{fmt}"], text = timed(lambda e=export: e(options), reps)
        rec[f"ortools_{fmt}"]["mbytes"] = len(text) / 1e6
        if fmt == "mps":
            ortools_mps = text
        del text
    del model
    rec["faithful_lpfile_mps"] = faithfulness(texts["mps"], problem, solve, direct)
    rec["faithful_ortools_mps"] = faithfulness(ortools_mps, problem, solve, direct)
    return rec


def report(records: list[dict]) -> str:
    """A plain-text table of the records."""
    lines = ["size  format  baseline s  lpfile s  (ratio)  ortools build+export s  identical"]
    for rec in records:
        for fmt in ("lp", "mps"):
            base = rec.get(f"baseline_{fmt}")
            new = rec[f"lpfile_{fmt}"]["best"]
            ort = rec["ortools_build"]["best"] + rec[f"ortools_{fmt}"]["best"]
            lines.append(
                f"{rec['size']:5} {fmt:6}  "
                + (f"{base['best']:10.3f}  {new:8.3f}  ({base['best'] / new:4.2f}x)" if base else f"{'-':>10}  {new:8.3f}  {'':8}")
                + f"  {ort:8.3f} ({rec['ortools_build']['best']:.3f} + {rec[f'ortools_{fmt}']['best']:.3f})"
                + (f"  {base['identical']}" if base else ""))
    for rec in records:
        for who in ("lpfile", "ortools"):
            f = rec[f"faithful_{who}_mps"]
            extra = f", optimum rel. diff {f['objective_rel_diff']:.1e}" if "objective_rel_diff" in f else ""
            lines.append(f"{rec['size']:5} {who:8} MPS read back: {f.get('numbers_differing')} of "
                         f"{f.get('numbers_compared')} numbers differ, max rel. diff {f.get('max_rel_diff', 0):.1e}{extra}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", default=["1e5", "1e6"])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--baseline", default=None, help="git revision whose solvers/lpfile.py to time as 'before'")
    parser.add_argument("--solve", nargs="*", default=[], help="sizes at which the read-back models are solved")
    parser.add_argument("--out", type=Path, default=None, help="write the records as JSON here")
    args = parser.parse_args(argv)
    import ortools

    baseline = load_baseline(args.baseline) if args.baseline else None
    records = [run_size(size, args.reps, baseline, size in args.solve) for size in args.sizes]
    meta = {"python": platform.python_version(), "ortools": ortools.__version__, "numpy": np.__version__,
            "cores": os.cpu_count(), "load_average": os.getloadavg(), "baseline": args.baseline}
    print(report(records))
    if args.out:
        args.out.write_text(json.dumps({"meta": meta, "records": records}, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
