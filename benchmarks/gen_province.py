"""A province from tables: write a scenario of N counties x S sectors x T years as YAML plus CSV tables.

    .venv/bin/python benchmarks/gen_province.py --out /tmp/province            # 90 x 50 x 10: ~9.5e5 nonzeros
    .venv/bin/python benchmarks/gen_province.py --out /tmp/p --counties 90 --sectors 50 --years 5 --check
    landopt solve /tmp/province/province.yaml --solver clp --format json --out /tmp/province/plan.json

The LP is the shared generator's (`gen.py` beside PERF.md, through `gen_scenario.to_scenario`: budgets per
year, area capacities, per-mu output and tax floors per county with its stock, the main-platform and
high-tech shares, sector demand caps; nnz = N*S*T*(T+11)), so its floor is PERF.md's and bench_engine's. What
a bureau keeps in sheets comes as tables, as a bureau would hand them over:

* ``counties.csv``: one row per county (区县): name, role, capacity, its stock (existing land, output, tax) and
  its per-mu figures by sector (``per_mu.s000.output`` ...: S x 8 columns);
* ``sectors.csv``: one row per sector: name, tags;
* ``resources.csv``: one row per resource, its budget by year (``2021年`` ... columns);
* ``province.yaml``: what stays in YAML (units, metrics, rules, objective), naming the three tables.

``--check`` also builds the scenario from the plain dict and from the files and asserts the two LP files are
the same bytes (the tables mean what the dict means).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

from gen_scenario import load_gen, to_scenario  # benchmarks/ is the script's folder

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from landopt.input.tables_out import write_csv  # noqa: E402 - the checkout's landopt when run from benchmarks/

TABLES = {"areas": "counties.csv", "sectors": "sectors.csv", "resources": "resources.csv"}


def province(counties: int, sectors: int, years: int, seed: int = 1) -> dict:
    """The scenario dict of a province (gen's LP), counties named as a bureau names them."""
    data = to_scenario(load_gen().generate(counties, sectors, years, seed=seed))
    data["scenario"]["name"] = f"示例省 {counties} 个区县 x {sectors} 个行业 x {years} 年 (合成数据)"
    data["scenario"]["name_en"] = f"Example province, {counties} counties x {sectors} sectors x {years} years " \
                                  "(synthetic)"
    for k, area in enumerate(data["areas"].values()):
        area["name"] = f"区县{k:03d}"
    return data


def write(data: dict, out: Path) -> Path:
    """The scenario as province.yaml plus the tables (`TABLES`) in `out`; returns the YAML's path."""
    out.mkdir(parents=True, exist_ok=True)
    rest = dict(data)
    for section, name in TABLES.items():
        write_csv(data[section], out / name)
        rest[section] = {"from": name}
    path = out / "province.yaml"
    path.write_text(yaml.safe_dump(rest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def check(data: dict, path: Path) -> tuple[int, int, int]:
    """Assert the files give the LP the dict gives (byte-identical LP files); returns (columns, rows, nonzeros)."""
    import landopt  # lazy: only --check builds the model
    from solvers.lpfile import to_lp  # lazy: as above

    a, b = landopt.from_dict(data).build(), landopt.load(path).build()
    assert to_lp(a.problem) == to_lp(b.problem), "the tables do not give the dict's LP"
    p = a.problem
    return p.n, p.m, p.nnz


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder to write province.yaml and its tables into")
    ap.add_argument("--counties", type=int, default=90)
    ap.add_argument("--sectors", type=int, default=50)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--check", action="store_true", help="assert the files give the same LP as the plain dict")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    data = province(args.counties, args.sectors, args.years, args.seed)
    path = write(data, Path(args.out))
    nnz = args.counties * args.sectors * args.years * (args.years + 11)
    sizes = {f.name: f.stat().st_size for f in sorted(Path(args.out).iterdir())}
    print(f"wrote {path} ({', '.join(f'{k} {v / 1e6:.1f} MB' for k, v in sizes.items())}); "
          f"about {nnz:,} nonzeros; {time.perf_counter() - t0:.1f} s")
    if args.check:
        n, m, z = check(data, path)
        print(f"the tables give the dict's LP: {n:,} columns, {m:,} rows, {z:,} nonzeros")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
