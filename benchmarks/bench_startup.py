"""The fixed cost of a run (issue 14, item 5): wall and CPU time of short `landopt` commands, each from a fresh process.

    .venv/bin/python benchmarks/bench_startup.py --revs b08e387 HEAD --reps 10      # before / after, interleaved
    .venv/bin/python benchmarks/bench_startup.py --revs WORKTREE --reps 3           # this checkout as it is, quick

Cases (every `solve` is of scenarios/pujiang_2021_2025_new_land.yaml, the county's new-land plan, an LP):

  help             `landopt --help`
  SOLVER-FORMAT    `landopt solve FILE [--solver SOLVER] --format FORMAT` for SOLVER in clp, highs and default
                   (no --solver: landopt's `auto`) and FORMAT in json and table (the text report)

Each revision is run from its own copy of the tree: `git archive REV` unpacked into a temporary folder (the revision
recorded is the full commit hash), or, for `WORKTREE`, this checkout as it is (HEAD's hash and whether the tree has
uncommitted changes are recorded). `landopt` is `python -m landopt` with that copy first on PYTHONPATH (checked: the
first run of every revision prints where `landopt` and `solvers` were imported from). The runs are interleaved
(rep -> case -> revision), so that a noisy machine disturbs every revision alike.

Bytecode (--bytecode): `cached` (the default) runs every process with Python's bytecode cache on, in a temporary
folder (PYTHONPYCACHEPREFIX; PYTHONDONTWRITEBYTECODE removed), after one untimed warm-up run of every (case,
revision): landopt's modules are then loaded from .pyc files, as from an installed package (pip compiles them).
`as-is` keeps the environment's own setting: with PYTHONDONTWRITEBYTECODE=1 and a source checkout, every process
compiles landopt's modules again (about 0.3 s of a county run on the 2-core machine of issue 14).

Per run, from outside the process: wall time from spawning it to reaping it, the CPU time it used (user and system,
from `wait4`, children included), its peak RSS, its exit code, and the `tail`: from the last byte of its output
(stdout is read through a pipe and time-stamped) to its end, i.e. what the process does after the report is out
(interpreter teardown: module and object finalisation, garbage collection, atexit handlers). The cores other processes
used during the run are recorded too (machine busy time minus the run's own CPU time, over its wall time).

Reported per (case, revision): the medians of wall, user, system and user+sys CPU, the min-max of wall, the median
tail, and whether the outputs are byte-identical (stdout, compared by SHA-256, within a revision from run to run and
across revisions). With `--importtime` every (case, revision) is also run once more with `python -X importtime`: the
sum of the top-level imports and the ten largest of them (cumulative, self included) are recorded (the imports run
slower under -X importtime; the numbers are for comparing, not for adding to the wall times).

Before each rep the orchestrator waits (up to --idle-wait s) until other processes use fewer than --idle-threshold
cores (machine.wait_idle). Writes the raw runs and the summary as JSON (--out, default results/startup.json) and a
markdown table beside it (.md).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
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
SCENARIO = "scenarios/pujiang_2021_2025_new_land.yaml"
SOLVERS = ("clp", "highs", "default")
FORMATS = ("json", "table")
WORKTREE = "WORKTREE"
BYTECODE: dict[str, str | None] = {"prefix": None}
"""The temporary PYTHONPYCACHEPREFIX of `--bytecode cached` (None: the environment as it is)."""


def cases() -> dict[str, list[str]]:
    """Case name -> the arguments after `landopt`."""
    out = {"help": ["--help"]}
    for s in SOLVERS:
        for f in FORMATS:
            out[f"{s}-{f}"] = ["solve", SCENARIO, *(["--solver", s] if s != "default" else []), "--format", f]
    return out


# ------------------------------------------------------------------------------------------------ revisions
def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()


def checkout(rev: str, tmp: Path) -> tuple[Path, dict]:
    """A tree of `rev` to run from (see the module docstring) and what it is."""
    if rev == WORKTREE:
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
        return ROOT, {"rev": WORKTREE, "commit": git("rev-parse", "HEAD"), "dirty": dirty, "path": str(ROOT)}
    commit = git("rev-parse", "--verify", f"{rev}^{{commit}}")
    where = tmp / commit[:10]
    if not where.exists():
        data = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True,
                              check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            tar.extractall(where, filter="data")
    subject = git("log", "-1", "--format=%s", commit)
    return where, {"rev": rev, "commit": commit, "subject": subject, "path": "(git archive)"}


def env_for(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop("LANDOPT_LANG", None)
    env["LANG"] = env["LC_ALL"] = "C.UTF-8"  # the same language (English) and encoding for every run
    return with_bytecode_cache(env, BYTECODE["prefix"])


def where_from(tree: Path) -> dict[str, str]:
    """Where `landopt` and `solvers` are imported from with `tree` first on PYTHONPATH."""
    code = "import landopt, solvers; print(landopt.__file__); print(solvers.__file__)"
    out = subprocess.run([sys.executable, "-c", code], cwd=str(tree), env=env_for(tree), capture_output=True,
                         text=True, check=True).stdout.split()
    return {"landopt": out[0], "solvers": out[1]}


# ------------------------------------------------------------------------------------------------ one process
def run_once(tree: Path, args: list[str]) -> dict:
    """Run `python -m landopt ARGS` from `tree`; wall, CPU (wait4), peak RSS, exit code, stdout, and the tail."""
    cmd = [sys.executable, "-m", "landopt", *args]
    chunks: list[bytes] = []
    last = [0.0]
    busy0 = cpu_busy_seconds()
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=str(tree), env=env_for(tree))
    err: list[bytes] = []

    def read_err() -> None:
        assert proc.stderr is not None
        err.append(proc.stderr.read())

    reader = threading.Thread(target=read_err, daemon=True)
    reader.start()
    assert proc.stdout is not None
    fd = proc.stdout.fileno()
    while True:
        b = os.read(fd, 1 << 16)
        if not b:
            break
        chunks.append(b)
        last[0] = time.perf_counter()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    reader.join()
    proc.stdout.close()
    if proc.stderr:
        proc.stderr.close()
    cpu = ru.ru_utime + ru.ru_stime
    own = max(0.0, (cpu_busy_seconds() - busy0) - cpu)
    out = b"".join(chunks)
    return {"wall": wall, "user": ru.ru_utime, "sys": ru.ru_stime, "cpu": cpu, "rss_mb": ru.ru_maxrss / 1024,
            "rc": proc.returncode, "tail": (wall - (last[0] - t0)) if chunks else None,
            "other_busy_cores": own / wall if wall > 0 else 0.0, "out_bytes": len(out),
            "sha256": hashlib.sha256(out).hexdigest(), "stdout": out,
            "stderr": b"".join(err).decode("utf-8", "replace")[-1500:]}


_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_profile(stderr: str, top: int = 10) -> dict:
    """From `-X importtime` output: the sum of the top-level imports (ms) and the `top` largest of them."""
    rows = []
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
        if m and len(m.group(3)) == 1:  # one space: a top-level import
            rows.append((int(m.group(2)) / 1000, m.group(4)))
    rows.sort(reverse=True)
    return {"total_ms": round(sum(ms for ms, _ in rows), 1), "top": [[name, round(ms, 1)] for ms, name in rows[:top]]}


# ------------------------------------------------------------------------------------------------ summary
def _median(values: list) -> float | None:
    v = [x for x in values if x is not None]
    return statistics.median(v) if v else None


def summarise(runs: list[dict], case_names: list[str], revs: list[str], importtimes: dict) -> list[dict]:
    out = []
    for c in case_names:
        first_hash = None
        for r in revs:
            ok = [x for x in runs if x["case"] == c and x["rev"] == r]
            hashes = sorted({x["sha256"] for x in ok})
            if first_hash is None and hashes:
                first_hash = hashes[0]
            walls = [x["wall"] for x in ok]
            row = {"case": c, "rev": r, "runs": len(ok), "rc": sorted({x["rc"] for x in ok}),
                   "wall": _median(walls), "wall_min": min(walls, default=None), "wall_max": max(walls, default=None),
                   "user": _median([x["user"] for x in ok]), "sys": _median([x["sys"] for x in ok]),
                   "cpu": _median([x["cpu"] for x in ok]), "tail": _median([x["tail"] for x in ok]),
                   "rss_mb": _median([x["rss_mb"] for x in ok]),
                   "other_busy_cores": _median([x["other_busy_cores"] for x in ok]),
                   "out_bytes": ok[0]["out_bytes"] if ok else None, "sha256": hashes,
                   "same_every_run": len(hashes) == 1, "same_as_first_rev": hashes == [first_hash],
                   "importtime": importtimes.get((c, r))}
            out.append(row)
    return out


def _f(v: float | None, d: int = 3) -> str:
    return "-" if v is None else f"{v:.{d}f}"


def markdown(summary: list[dict], meta: dict) -> str:
    revs = meta["revisions"]
    L = [f"# landopt start-up benchmark ({meta['date']})", "",
         (f"Machine: {meta['machine']}. Python {meta['python']}, ortools {meta['ortools']}, "
          f"protobuf {meta['protobuf']}, numpy {meta['numpy']}, scipy {meta['scipy']}. "
          f"Median of {meta['reps']} fresh processes per cell "
          f"(interleaved rep -> case -> revision); `landopt` is `python -m landopt`; "
          f"`solve` is of `{SCENARIO}`. Bytecode: {meta['bytecode']}. Times in seconds (see "
          "benchmarks/bench_startup.py's docstring)."), "",
         "Revisions:", ""]
    for r, info in revs.items():
        extra = " (uncommitted changes)" if info.get("dirty") else ""
        L.append(f"* `{r}`: {info['commit'][:10]}{extra} {info.get('subject', '')}".rstrip())
    L += ["", ("| case | revision | wall (min-max) | user | sys | user+sys | tail | peak RSS MB | exit | "
               "output same (runs / revs) | other procs (cores) | imports (ms, -X importtime) |"),
          "|---|---|---|---:|---:|---:|---:|---:|---|---|---:|---:|"]
    for row in summary:
        it = row["importtime"]
        L.append(f"| {row['case']} | {row['rev']} | {_f(row['wall'])} ({_f(row['wall_min'])}-{_f(row['wall_max'])}) | "
                 f"{_f(row['user'])} | {_f(row['sys'])} | {_f(row['cpu'])} | {_f(row['tail'])} | "
                 f"{_f(row['rss_mb'], 0)} | {','.join(map(str, row['rc']))} | "
                 f"{'yes' if row['same_every_run'] else 'NO'} / {'yes' if row['same_as_first_rev'] else 'NO'} | "
                 f"{_f(row['other_busy_cores'], 2)} | {_f(it['total_ms'], 0) if it else '-'} |")
    if len(revs) > 1:
        first, *rest = list(revs)
        L += ["", "| case | " + " | ".join(f"wall {first} -> {r}" for r in rest) + " | "
              + " | ".join(f"user+sys {first} -> {r}" for r in rest) + " |",
              "|---|" + "---:|" * (2 * len(rest))]
        by = {(row["case"], row["rev"]): row for row in summary}
        for c in dict.fromkeys(row["case"] for row in summary):
            a = by[(c, first)]
            cells = []
            for key in ("wall", "cpu"):
                for r in rest:
                    b = by[(c, r)]
                    cells.append(f"{_f(a[key])} -> {_f(b[key])} ({_f(b[key] - a[key], 3)})"
                                 if a[key] is not None and b[key] is not None else "-")
            L.append(f"| {c} | " + " | ".join(cells) + " |")
    if any(row["importtime"] for row in summary):
        L += ["", "Largest top-level imports (ms, cumulative, under -X importtime), of the json solves:", ""]
        for row in summary:
            if row["importtime"] and row["case"].endswith("-json"):
                top = ", ".join(f"{n} {ms:.0f}" for n, ms in row["importtime"]["top"][:6])
                L.append(f"* {row['case']} @ {row['rev']}: {top}")
    L += ["", ("`tail`: from the last byte of output to the end of the process (teardown). `output same`: stdout "
               "byte-identical from run to run, and to the first revision's.")]
    return "\n".join(L) + "\n"


def meta_info(args, revisions: dict) -> dict:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "machine": f"{os.cpu_count()} cores ({cpu}), "
            f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "ortools": version("ortools"), "protobuf": version("protobuf"), "pandas": version("pandas"),
            "numpy": version("numpy"), "scipy": version("scipy"), "click": version("click"),
            "reps": args.reps, "cases": args.cases,
            "revisions": revisions, "bytecode": args.bytecode,
            "env": {k: os.environ.get(k) for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED",
                                                    "PYTHONPYCACHEPREFIX")},
            "idle_wait": args.idle_wait, "idle_threshold": args.idle_threshold,
            "command": [Path(sys.executable).name, "-m", "landopt"]}


# ------------------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    all_cases = cases()
    ap = argparse.ArgumentParser(description="landopt start-up benchmark (see the module docstring)")
    ap.add_argument("--revs", nargs="+", default=[WORKTREE],
                    help=f"git revisions to compare (the first is the reference); {WORKTREE}: this checkout as it is")
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--cases", nargs="+", default=list(all_cases), choices=list(all_cases))
    ap.add_argument("--bytecode", choices=("cached", "as-is"), default="cached",
                    help="cached: a temporary bytecode cache, warmed up first; as-is: the environment's setting")
    ap.add_argument("--importtime", action="store_true", help="also one -X importtime run per case and revision")
    ap.add_argument("--out", default=str(HERE / "results" / "startup.json"))
    ap.add_argument("--keep-outputs", default=None, metavar="DIR",
                    help="write each (case, revision)'s stdout into DIR (to compare with diff)")
    ap.add_argument("--idle-wait", type=float, default=30.0,
                    help="before each rep, wait up to this many s for other processes to go quiet (0: never)")
    ap.add_argument("--idle-threshold", type=float, default=0.3, help="'quiet' means fewer busy cores than this")
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="landopt-bench-startup-"))
    if args.bytecode == "cached":
        BYTECODE["prefix"] = str(tmp / "pycache")
    runs: list[dict] = []
    importtimes: dict = {}
    revisions: dict[str, dict] = {}
    try:
        trees: dict[str, Path] = {}
        for rev in args.revs:
            tree, info = checkout(rev, tmp)
            info["imports_from"] = where_from(tree)
            if not info["imports_from"]["landopt"].startswith(str(tree)):
                msg = f"{rev}: landopt is imported from {info['imports_from']['landopt']}, not {tree}"
                raise SystemExit(msg)
            trees[rev], revisions[rev] = tree, info
            print(f"{rev}: {info['commit'][:10]}  landopt from {info['imports_from']['landopt']}", flush=True)
        if args.bytecode == "cached":  # compiles every module into the cache; not timed
            for c in args.cases:
                for rev in args.revs:
                    run_once(trees[rev], all_cases[c])
        if args.importtime:
            for c in args.cases:
                for rev in args.revs:
                    importtimes[(c, rev)] = import_profile(importtime_stderr(trees[rev], all_cases[c]))
        for rep in range(args.reps):
            busy = wait_idle(args.idle_threshold, args.idle_wait) if args.idle_wait > 0 else None
            for c in args.cases:
                for rev in args.revs:
                    r = run_once(trees[rev], all_cases[c])
                    stdout = r.pop("stdout")
                    if args.keep_outputs and rep == 0:
                        keep = Path(args.keep_outputs)
                        keep.mkdir(parents=True, exist_ok=True)
                        (keep / f"{c}@{revisions[rev]['commit'][:10]}.out").write_bytes(stdout)
                    r.update(case=c, rev=rev, rep=rep, busy_cores_before=busy)
                    if r["rc"] not in (0, 1):
                        print(f"  {c} @ {rev}: exit code {r['rc']}: {r['stderr'][-400:]}", flush=True)
                    runs.append(r)
                    print(f"rep{rep} {c:<12} {rev:<10} wall {r['wall']:.3f}  cpu {r['cpu']:.3f}  "
                          f"tail {_f(r['tail'])}  rc {r['rc']}  [other procs: {r['other_busy_cores']:.2f}]", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta = meta_info(args, revisions)
    summary = summarise(runs, args.cases, args.revs, importtimes)
    write_results(out, meta, summary, runs, markdown)
    return 0


def importtime_stderr(tree: Path, args: list[str]) -> str:
    """The stderr of `python -X importtime -m landopt ARGS` run from `tree`."""
    cmd = [sys.executable, "-X", "importtime", "-m", "landopt", *args]
    return subprocess.run(cmd, cwd=str(tree), env=env_for(tree), capture_output=True, text=True,
                          check=False).stderr


if __name__ == "__main__":
    sys.exit(main())
