"""cProfile landopt's phases on a gen instance: from_dict (validate + resolve), build,
read-back (Result.solved) and the independent checker, plus Result.to_dict.

    .venv/bin/python benchmarks/profile_engine.py --size 1e6 --backend clp --top 25 \
        --out benchmarks/results/profile_1e6.txt

The solve itself is not profiled (it is native code); it only supplies x and duals.
Each phase is timed once without the profiler, then once under cProfile. With --whole, a
whole `Scenario.solve(canonical=False)` is profiled too (its native solve is one line).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", default="1e6")
    ap.add_argument("--backend", default="clp")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--out", default=None)
    ap.add_argument("--whole", action="store_true", help="also profile a whole Scenario.solve(canonical=False)")
    args = ap.parse_args(argv)

    import gen_scenario

    import landopt
    import solvers
    from landopt.verify.independent import allocation_dict, check_allocation, check_result
    from landopt.engine.readback import Result
    from landopt.engine.readback import shadow_prices
    from landopt.engine.run import RunInfo
    from landopt.input.validate import validate
    from landopt.input.resolve import resolve

    inst = gen_scenario.instance(args.size)
    data = gen_scenario.to_scenario(inst)
    report = io.StringIO()

    def phase(name: str, fn):
        t0 = time.perf_counter()
        fn()
        plain = time.perf_counter() - t0
        pr = cProfile.Profile()
        t0 = time.perf_counter()
        value = pr.runcall(fn)
        prof = time.perf_counter() - t0
        s = io.StringIO()
        st = pstats.Stats(pr, stream=s)
        st.sort_stats("cumulative").print_stats(args.top)
        st.sort_stats("tottime").print_stats(args.top)
        head = f"==== {name}: {plain:.3f} s (under cProfile {prof:.3f} s)"
        print(head, flush=True)
        report.write(head + "\n" + s.getvalue() + "\n")
        return value

    model_v, _ = validate(data, {})
    phase("validate (schema)", lambda: validate(data, {}))
    phase("resolve", lambda: resolve(model_v, {}, source="gen"))
    sc = landopt.from_dict(data, name=f"gen-{args.size}")
    model = phase("build", sc.build)
    t0 = time.perf_counter()
    res = solvers.solve(model.problem, solver=args.backend, options=solvers.SolveOptions(scale=True))
    print(f"==== solve ({args.backend}, not profiled): {time.perf_counter() - t0:.3f} s, {res.status.value}", flush=True)
    info = RunInfo(backend=args.backend, build_seconds=model.build_seconds, solve_seconds=0.0, solves=1)
    phase("shadow_prices", lambda: shadow_prices(model, res.x, res.duals))
    result = phase("read-back (Result.solved)",
                   lambda: Result.solved(model, res.x, res.duals, res.status, res, info))
    phase("checker: allocation_dict", lambda: allocation_dict(result))
    alloc = allocation_dict(result)
    phase("checker: check_allocation", lambda: check_allocation(result.spec, alloc, {}, None, result.objective))
    phase("checker: check_result (all)", lambda: check_result(result))
    print("checker:", result.checker, flush=True)
    phase("Result.to_dict", result.to_dict)
    if args.whole:
        phase(f"Scenario.solve({args.backend}, canonical=False), whole (the native solve shows as one line)",
              lambda: sc.solve(solver=args.backend, canonical=False))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(report.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
