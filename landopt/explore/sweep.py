"""Parameter sweeps: one scenario solved at many points, each point a set of ``--set`` values.

The grid (`parse_vary`, `grid`): each ``--vary PATH=V1,V2,...`` or ``PATH=START:STOP:N`` gives one path's values,
written as ``--set`` takes them (numbers, quantities with a unit such as ``25000 tce``, any YAML value); the
points are their product, or with ``zip`` their values side by side, or with ``samples`` N draws (a range drawn
uniformly between START and STOP, a list by choice) from a seeded generator. A point's id (`point_id`) is a
hash of its sorted ``path=value`` pairs: the same point has the same id in every sweep.

One point (`run_point`, in a worker process) is exactly what ``landopt solve FILE --variant ... --set ...
--set PATH=VALUE ...`` does: the scenario composed with the point's values after the sweep's own ``--set``
options, loaded, built and solved. A worker reads and composes the file once (`_composed`: the file as it
was when the worker started) and each point from that with its own values (`compose.with_sets`). Its summary
(a plain dict, small: never the model) carries the status, the
objective, each resource's use, the top shadow prices, the yes/no decisions of a MILP, the allocation, the
wall time, and the reason of a point that is not optimal (a bad value, an infeasible plan with its diagnosis,
a solver failure, a worker that died).

Each point is resolved and built in full from the composed file (a point is what ``landopt solve`` gives, by
construction: its scenario, its model and the checker's spec are the point's own). Its LPs are solved on the
solver models the worker keeps from its previous point (`landopt.engine.run.Kept`, one per step: the first stage,
the tie-break, the range, a MILP's LP with its decisions fixed; the exact prices start from the first stage's):
the point's LP is sent as the numbers that moved, bounds, right-hand sides, objective and matrix coefficients, and
solved from the last basis; an LP of another shape is loaded afresh, a MILP and a point with a time limit are
solved from scratch, and so is every point with ``--cold`` (`Task.warm`). A point measures what its summary
quotes: the loosening side of its exact prices only (`shadow_price`), and not the range of the preferred land over
the equally good plans (the solve report's). The checks of the file's unchanged sections
are remembered from point to point (`Composed.memo`). Measured on the Pujiang new-land plan (benchmarks/README.md,
"Sweeps"), a point costs about 0.07 s in a worker against 0.10 s with ``--cold``.

The output folder (`SweepDir`): ``sweep.json`` (what was swept, to refuse resuming another sweep),
``points/ID.json`` (each point's summary: a point is done when this file exists) and ``points/ID.parquet``
(its allocation), each written atomically as the point completes, and ``manifest.csv`` (UTF-8 with a BOM, one
row per finished point in grid order), rewritten atomically as points complete and once more at the end or
on an interrupt. ``resume`` runs only the points without a summary.

Executors: in this process (one worker), a local process pool (`run_local`: at most one point per worker in
flight; a worker that dies breaks the pool, and its points run again in a new one, up to `MAX_ATTEMPTS`), or
a dask.distributed cluster (`run_dask`: the scheduler re-runs the points of a dead worker; `retries`).
"""

from __future__ import annotations

import contextlib
import csv
import gc
import hashlib
import io
import json
import math
import multiprocessing
import os
import random
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from landopt.errors import InputError, Issue, LandoptError, SolveError
from landopt.i18n.text import STATUS_ZH, Bi
from landopt.input.compose import Composed, apply_sets, load_composed, path_copy, with_sets
from landopt.input.vary import good_path, read_range, split_values
from landopt.scenario import from_composed, load, resolve_path

MAX_ATTEMPTS = 3
"""A point whose worker dies this many times is recorded as failed (dask's `allowed-failures` is 3 too)."""
MAX_TASKS_PER_WORKER = 200
"""A local worker process is replaced after this many points (memory stays bounded)."""
TOP_PRICES = 3
"""Shadow prices in the manifest: the largest in size."""
MANIFEST = "manifest.csv"
DEFINITION = "sweep.json"
POINTS = "points"
MANIFEST_EVERY = 1.0
"""Seconds between two rewrites of the manifest while a sweep runs (it is rewritten at the end too)."""

WORDS = {
    "progress": Bi("sweep: {done}/{total} points ({pct}%), {bad} not optimal, {seconds:.0f} s",
                   "参数扫描: 已完成 {done}/{total} 个点 ({pct}%), 其中 {bad} 个未得最优解, 用时 {seconds:.0f} 秒"),
    "finished": Bi("{total} points in {out}: {ok} optimal, {bad} not (see {manifest})",
                   "{out} 中共 {total} 个点: {ok} 个最优, {bad} 个未得最优解 (详见 {manifest})"),
    "skipped": Bi("--resume: {done} of {total} points are done already; running the other {left}",
                  "--resume: {total} 个点中已完成 {done} 个; 计算其余 {left} 个"),
    "interrupted": Bi("interrupted: {done} of {total} points are in {out}; run again with --resume to finish",
                      "已中断: {total} 个点中已有 {done} 个写入 {out}; 加 --resume 重新运行即可续算"),
    "worker_died": Bi("the worker process died {n} times while running this point ({error})",
                      "计算该点时计算进程 {n} 次意外终止 ({error})"),
    "bad_point": Bi("this point's values do not make a valid scenario: {error}",
                    "该点的取值不构成有效情景: {error}"),
    "failed_point": Bi("the solve failed: {error}", "求解失败: {error}"),
    "relax": Bi("feasible only with: {entries}", "须放宽以下限额方可行: {entries}"),
    "no_n": Bi("a range without N is for --samples only", "不写 N 的区间仅用于 --samples 随机抽样"),
    "zip_lengths": Bi("--zip pairs the values of the --vary options, but they have {have} values",
                      "--zip 要逐一配对各 --vary 的取值, 但它们的取值个数分别为 {have}"),
    "zip_same": Bi("the same number of values in each --vary", "每个 --vary 的取值个数相同"),
    "zip_samples": Bi("--zip and --samples do not go together", "--zip 与 --samples 不能同时使用"),
    "zip_or_samples": Bi("either --zip or --samples", "--zip 和 --samples 二者选一"),
    "samples_small": Bi("--samples {got} is not a whole number >= 1", "--samples {got} 不是不小于 1 的整数"),
    "samples_n": Bi("a number of points such as --samples 50", "随机抽取的点数, 如 --samples 50"),
    "workers_small": Bi("--workers {got} is not a whole number >= 1", "--workers {got} 不是不小于 1 的整数"),
    "workers_n": Bi("a number of worker processes such as --workers 2", "计算进程数, 如 --workers 2"),
    "seed_small": Bi("--seed {got} is not a whole number >= 0", "--seed {got} 不是非负整数"),
    "seed_n": Bi("a whole number such as --seed 7", "非负整数, 如 --seed 7"),
    "no_vary": Bi("nothing to sweep", "没有要变动的参数"),
    "one_vary": Bi("at least one `--vary PATH=V1,V2,...`", "至少一个 `--vary PATH=V1,V2,...`"),
    "parquet": Bi("writing each point's allocation (Parquet)", "写出各点配置结果 (Parquet 文件)"),
    "dask": Bi("--scheduler (running the points on a dask cluster)", "--scheduler (在 dask 集群上计算)"),
}


def words(key: str, lang: str, **params: object) -> str:
    """One of this module's texts in `lang`."""
    return WORDS[key].pick(lang, **params)


def whole(option: str, text: str | None, least: int) -> int | None:
    """A whole-number option (--samples, --seed, --workers) read from its text; `InputError` (exit code 2) when it
    is not a whole number >= `least`."""
    if text is None:
        return None
    try:
        value: int | None = int(text.strip())
    except ValueError:
        value = None
    if value is None or value < least:
        key = option.lstrip("-")
        problem = Bi(*(t.format(got=repr(text)) for t in WORDS[f"{key}_small"]))
        raise InputError([Issue("sweep_option", {"key": option, "problem": problem, "expected": WORDS[f"{key}_n"]})])
    return value


# --------------------------------------------------------------------------------------------- the grid
@dataclass(frozen=True)
class Vary:
    """One ``--vary``: a path and its values (texts as ``--set`` takes them), or a range START:STOP[:N]."""

    path: str
    arg: str
    """What the user wrote."""
    values: tuple[str, ...] = ()
    lo: float | None = None
    hi: float | None = None
    unit: str = ""
    n: int | None = None
    origin: str = "--vary"
    """Where it was written: ``--vary``, or the place of its entry in the scenario's ``sweep:`` block."""

    @property
    def is_range(self) -> bool:
        return self.lo is not None

    def grid_values(self) -> tuple[str, ...]:
        """The values of the grid: a range's N evenly spaced values, START and STOP included."""
        if not self.is_range:
            return self.values
        assert self.lo is not None and self.hi is not None and self.n is not None
        if self.n == 1:
            return (_with_unit(self.lo, self.unit),)
        step = (self.hi - self.lo) / (self.n - 1)
        return tuple(_with_unit(self.hi if k == self.n - 1 else self.lo + k * step, self.unit)
                     for k in range(self.n))

    def draw(self, rng: random.Random) -> str:
        """One value drawn at random: uniform in a range, one of a list."""
        if self.is_range:
            assert self.lo is not None and self.hi is not None
            return _with_unit(self.lo + (self.hi - self.lo) * rng.random(), self.unit)
        return self.values[rng.randrange(len(self.values))]


def _with_unit(v: float, unit: str) -> str:
    """A number as ``--set`` text: whole numbers without '.0', others to the last digit (repr)."""
    text = str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)
    return f"{text} {unit}" if unit else text


def parse_vary(arg: str, origin: str = "--vary") -> Vary:
    """One ``--vary`` option (or an entry of the scenario's ``sweep:`` block, located at `origin`); raises
    `InputError` (located at `origin`) when it is not PATH=VALUES."""
    path, sep, text = arg.partition("=")
    path = path.strip()
    if not sep or not good_path(path) or not text.strip():
        raise InputError([Issue("vary_syntax", {"got": arg}, file=origin)])
    r = read_range(text)
    if isinstance(r, Bi):
        raise InputError([Issue("vary_range", {"got": arg, "problem": r}, file=origin)])
    if r is not None:
        return Vary(path, arg, lo=r.lo, hi=r.hi, unit=r.unit, n=r.n, origin=origin)
    values = split_values(text)
    if any(not v for v in values):
        raise InputError([Issue("vary_syntax", {"got": arg}, file=origin)])
    return Vary(path, arg, values=tuple(values), origin=origin)


@dataclass(frozen=True)
class Point:
    """One point of a sweep: a value for each varied path, in the order of the ``--vary`` options."""

    values: tuple[tuple[str, str], ...]

    @property
    def id(self) -> str:
        return point_id(self.values)

    @property
    def sets(self) -> tuple[str, ...]:
        """The point as ``--set`` options."""
        return tuple(f"{p}={v}" for p, v in self.values)


def point_id(values: Iterable[tuple[str, str]]) -> str:
    """A stable id of a point: the first 12 hex digits of the SHA-256 of its sorted ``path=value`` lines."""
    text = "\n".join(sorted(f"{p.strip()}={v.strip()}" for p, v in values))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def grid(varies: Sequence[Vary], zip_: bool = False, samples: int | None = None, seed: int = 0) -> list[Point]:
    """The points of a sweep, in grid order (the last --vary changes fastest), each point once; raises
    `InputError` for options that do not fit together."""
    if not varies:
        raise InputError([Issue("sweep_option", {"key": "--vary", "problem": WORDS["no_vary"],
                                                 "expected": WORDS["one_vary"]}, file="--vary")])
    seen: set[str] = set()
    for v in varies:
        if v.path in seen:
            raise InputError([Issue("vary_twice", {"path": v.path}, file=v.origin)])
        seen.add(v.path)
    if samples is not None:
        if zip_:
            raise InputError([Issue("sweep_option", {"key": "--zip", "problem": WORDS["zip_samples"],
                                                     "expected": WORDS["zip_or_samples"]}, file="--zip")])
        if samples < 1:
            problem = Bi(words("samples_small", "en", got=samples), words("samples_small", "zh", got=samples))
            raise InputError([Issue("sweep_option", {"key": "--samples", "problem": problem,
                                                     "expected": WORDS["samples_n"]}, file="--samples")])
        rng = random.Random(seed)
        drawn = [Point(tuple((v.path, v.draw(rng)) for v in varies)) for _ in range(samples)]
        return _unique(drawn)
    for v in varies:
        if v.is_range and v.n is None:
            raise InputError([Issue("vary_range", {"got": v.arg, "problem": WORDS["no_n"]}, file=v.origin)])
    columns = [v.grid_values() for v in varies]
    if zip_:
        lengths = {len(c) for c in columns}
        if len(lengths) > 1:
            have = ", ".join(str(len(c)) for c in columns)
            problem = Bi(*(t.format(have=have) for t in WORDS["zip_lengths"]))
            raise InputError([Issue("sweep_option", {"key": "--zip", "problem": problem, "expected": WORDS["zip_same"]},
                                    file="--zip")])
        rows: list[tuple[str, ...]] = list(zip(*columns, strict=True))
    else:
        rows = [()]
        for c in columns:
            rows = [r + (value,) for r in rows for value in c]
    paths = [v.path for v in varies]
    return _unique([Point(tuple(zip(paths, r, strict=True))) for r in rows])


def _unique(points: list[Point]) -> list[Point]:
    out: dict[str, Point] = {}
    for p in points:
        out.setdefault(p.id, p)
    return list(out.values())


def check_paths(file: str, variants: tuple[str, ...], sets: tuple[str, ...], varies: Sequence[Vary]) -> None:
    """Every varied path exists in the composed scenario and takes each value (as ``--set`` would); raises
    `InputError` naming the --vary option (exit code 2). The whole scenario of each point is checked when
    that point runs: a point whose values do not make a valid scenario is recorded, not fatal."""
    composed = load_composed(resolve_path(file), variants, sets)
    issues: list[Issue] = []
    for v in varies:
        values = v.grid_values() if v.n is not None or not v.is_range else (_with_unit(v.lo or 0.0, v.unit),)
        for value in dict.fromkeys(values):
            found: list[Issue] = []
            apply_sets(path_copy(composed.tree, v.path), (f"{v.path}={value}",), found)
            for i in found:
                code = {"set_path_missing": "vary_path_missing", "set_type": "vary_type",
                        "set_syntax": "vary_syntax"}.get(i.code, i.code)
                params = {**i.params, "path": v.path} if code != "vary_syntax" else {"got": v.arg}
                issues.append(Issue(code, params, file=v.origin, suggest=i.suggest) if code != i.code else
                              Issue(i.code, i.params, path=v.path, file=v.origin, suggest=i.suggest))
            if found:
                break  # one message per --vary
    if issues:
        raise InputError(issues)


# --------------------------------------------------------------------------------------- one point
@dataclass(frozen=True)
class Task:
    """What a worker needs to run one point (small, picklable; a path, never a model)."""

    file: str
    variants: tuple[str, ...]
    sets: tuple[str, ...]
    point: Point
    solver: str | None = None
    time_limit: float | None = None
    index: int = 0
    warm: bool = True
    """Solve on the backend's models kept from the worker's previous point (`landopt.engine.run.Kept`); False:
    every LP of the point from scratch, as a fresh ``landopt solve`` does (``landopt sweep --cold``)."""

    @property
    def id(self) -> str:
        return self.point.id


def _bi_error(key: str, error: LandoptError | BaseException) -> dict[str, str]:
    en = error.render("en") if isinstance(error, LandoptError) else f"{type(error).__name__}: {error}"
    zh = error.render("zh") if isinstance(error, LandoptError) else en
    return {"en": words(key, "en", error=en), "zh": words(key, "zh", error=zh)}


def run_point(task: Task) -> dict[str, Any]:
    """Load, build and solve one point (as ``landopt solve`` would with the point's ``--set`` options after the
    sweep's) and summarise it (`summarise`); a point that cannot be loaded or solved is a summary too.

    The cyclic garbage collector is off while the point runs and collects the point's young objects once it is
    done (as a CLI run has it off, `landopt.cli.main`): reading a large scenario makes a million objects, and the
    collections their allocation triggers walk every object alive, again and again (gen's 1e5 file: a point took
    1.44 s in a sweep against 1.28 s as a fresh `landopt solve`)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_point(task)
    finally:
        gc.collect(0)  # the point's cycles: everything it made is in the youngest generation
        if enabled:
            gc.enable()


_COMPOSED: dict[tuple[str, tuple[str, ...], tuple[str, ...]], Composed] = {}
"""The sweep's scenario as a worker first composed it (file, variants, the sweep's own ``--set`` values), by
(file, variants, sets): each point is composed from it with its own values (`with_sets`), not read again.
One entry per sweep a worker runs (the last few kept)."""
_COMPOSED_KEPT = 2


def _composed(task: Task) -> Composed:
    key = (task.file, task.variants, task.sets)
    base = _COMPOSED.get(key)
    if base is None:
        base = load_composed(resolve_path(task.file), task.variants, task.sets)
        while len(_COMPOSED) >= _COMPOSED_KEPT:
            _COMPOSED.pop(next(iter(_COMPOSED)))
        _COMPOSED[key] = base
    return base


_KEPT = threading.local()
"""The backend's models a worker keeps from point to point (`landopt.engine.run.Kept`) for the sweep it runs
(by file, variants, the sweep's ``--set`` values and solver; another sweep's are freed): one per thread, as a
dask worker may run points in several threads at once and a backend's model serves one solve at a time."""


def _kept(task: Task) -> Any:
    from landopt.engine.run import Kept  # lazy: reading a sweep's options needs no solver

    key = (task.file, task.variants, task.sets, task.solver)
    if getattr(_KEPT, "key", None) != key:
        _drop_kept()
        _KEPT.key, _KEPT.models = key, Kept()
    return _KEPT.models


def _drop_kept() -> None:
    """Free this thread's kept models (after a point that failed: its solver's state is not trusted for the next)."""
    models = getattr(_KEPT, "models", None)
    if models is not None:
        models.close()
    _KEPT.key, _KEPT.models = None, None


def _run_point(task: Task) -> dict[str, Any]:
    t0 = time.perf_counter()
    base = {"id": task.id, "index": task.index, "values": [list(v) for v in task.point.values]}
    try:
        sc = from_composed(with_sets(_composed(task), task.point.sets))
    except InputError as e:
        return {**base, "status": "bad_input", "reason": _bi_error("bad_point", e), "seconds": time.perf_counter() - t0}
    try:
        # the summary quotes a re-solved limit's loosening side alone (`shadow_price`), and no range of the
        # equally good plans: neither the other side nor the range is measured
        res = sc.solve(solver=task.solver, time_limit=task.time_limit, started=t0,
                       kept=_kept(task) if task.warm else None, exact="loosen", ranges=False)
    except LandoptError as e:
        _drop_kept()
        return {**base, "status": "error", "reason": _bi_error("failed_point", e), "seconds": time.perf_counter() - t0}
    except Exception as e:  # noqa: BLE001 - a bug or a solver crash at one point is that point's row, not the sweep's end
        _drop_kept()
        return {**base, "status": "error", "reason": _bi_error("failed_point", e), "seconds": time.perf_counter() - t0}
    except BaseException:  # Ctrl-C: the models may be mid-solve
        _drop_kept()
        raise
    return {**base, **summarise(res), "seconds": time.perf_counter() - t0}


def summarise(res: Any) -> dict[str, Any]:
    """A solved point in a few numbers: status, objective, solver, each budget row's use, the top shadow prices,
    the yes/no decisions taken (a MILP), the allocation records, and why a plan is not optimal."""
    out: dict[str, Any] = {"status": res.status, "objective": res.objective, "solver": res.solver}
    use = []
    prices = []
    for r in res.rows:
        if r.kind == "budget":
            use.append([row_label(r), r.value])
        price = shadow_price(res, r)
        if price is not None and abs(price) > 0.0:
            prices.append([row_label(r), price])
    prices.sort(key=lambda p: -abs(p[1]))
    out["use"] = use
    out["prices"] = prices[:TOP_PRICES]
    out["decisions"] = _decisions(res) if res.mip is not None or res.model.problem.is_mip else None
    out["allocation"] = res.allocation_records() if res.x is not None else None
    if res.status != "optimal":
        if res.diagnosis:
            out["reason"] = {lang: words("relax", lang, entries="; ".join(e.text(lang) for e in res.diagnosis))
                             for lang in ("en", "zh")}
        elif res.explain is not None:
            out["reason"] = {"en": res.explain.en, "zh": res.explain.zh}
        else:
            zh = res.message or STATUS_ZH.get(res.status, res.status)
            out["reason"] = {"en": res.message or res.status, "zh": zh}
    return out


def row_label(row: Any) -> str:
    """A row in the manifest: its id, its group's values in brackets, its year (``nh3n.2023``, ``pj4[a01].2025``)."""
    return row.id + "".join(f"[{v}]" for v in row.group.values()) + (f".{row.year}" if row.year is not None else "")


def shadow_price(res: Any, row: Any) -> float | None:
    """A row's shadow price (objective per unit of its bound): where the engine re-solved the row (a degenerate
    optimum, or a backend without duals), the exact change of one more unit in the loosening direction, as the
    report quotes it, signed as a dual; else the LP's dual."""
    one = res.sensitivity.changes.get(row.row) if res.sensitivity is not None else None
    if one is None or one.loosen is None:
        return row.shadow_price
    sense = 1.0 if res.model.problem.sense == "max" else -1.0
    return sense * (1.0 if row.side == "max" else -1.0) * one.loosen


def _decisions(res: Any) -> list[str] | None:
    """The names of the yes/no columns at yes (projects placed, leading industries, exits), sorted."""
    if res.x is None:
        return None
    cols = res.model.cols
    names = cols.names
    taken = [names[j] for b in cols.blocks.values() if b.var.value == "binary"
             for j in range(b.start, b.stop) if res.x[j] > 0.5]
    return sorted(taken)


def lost(task: Task, attempts: int, error: str) -> dict[str, Any]:
    """The summary of a point whose worker died `attempts` times."""
    return {"id": task.id, "index": task.index, "values": [list(v) for v in task.point.values], "status": "error",
            "reason": {lang: words("worker_died", lang, n=attempts, error=error) for lang in ("en", "zh")},
            "seconds": None}


# ----------------------------------------------------------------------------------- the output folder
class PackageMissing(SolveError):
    """An optional library of the sweep extra is not installed (exit code 1); names the extra."""

    def __init__(self, what: Bi, library: str):
        self.issue = Issue("sweep_needs_package", {"what": what, "library": library})
        super().__init__(self.issue.format("en"))

    def render(self, lang: str = "en") -> str:
        return self.issue.format(lang)


def write_atomic(path: Path, data: bytes) -> None:
    """The whole file or nothing: a temporary file in the same folder, flushed to disk, then renamed over."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def parquet_bytes(records: list[dict[str, Any]], project: bool = False) -> bytes:
    """An allocation (area, sector, with `project` the project's id ('' for plain new land), year, land) as a
    Parquet file; a year that is '' or None (a single-period plan) is null."""
    try:
        import pyarrow as pa  # lazy: an optional library (the sweep extra)
        import pyarrow.parquet as pq  # lazy: an optional library (the sweep extra)
    except ImportError:
        raise PackageMissing(WORDS["parquet"], "pyarrow") from None
    fields = [("area", pa.string()), ("sector", pa.string()), *([("project", pa.string())] if project else []),
              ("year", pa.int64()), ("land", pa.float64())]
    rows = [{**r, "year": None if r.get("year") in ("", None) else r["year"]} for r in records]
    table = pa.Table.from_pylist(rows, schema=pa.schema(fields))
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


@dataclass
class SweepDir:
    """The folder of a sweep (see the module docstring)."""

    path: Path

    @property
    def points(self) -> Path:
        return self.path / POINTS

    def done(self) -> dict[str, dict[str, Any]]:
        """The summaries of the points already done, by id (a summary that does not read is not done)."""
        out = {}
        if self.points.is_dir():
            for f in sorted(self.points.glob("*.json")):
                try:
                    s = json.loads(f.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if isinstance(s, dict) and s.get("id") == f.stem:
                    out[f.stem] = s
        return out

    def definition(self) -> dict[str, Any] | None:
        try:
            d = json.loads((self.path / DEFINITION).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return d if isinstance(d, dict) else None

    def write_definition(self, definition: dict[str, Any]) -> None:
        write_atomic(self.path / DEFINITION, _json(definition).encode("utf-8"))

    def write_point(self, summary: dict[str, Any]) -> None:
        """The point's allocation (Parquet), then its summary: a point is done once its summary is there."""
        records = summary.pop("allocation", None)
        if records is not None:
            write_atomic(self.points / f"{summary['id']}.parquet", parquet_bytes(records))
            summary["allocation"] = f"{POINTS}/{summary['id']}.parquet"
        else:
            summary["allocation"] = None
        write_atomic(self.points / f"{summary['id']}.json", _json(summary).encode("utf-8"))

    def write_manifest(self, points: Sequence[Point], done: dict[str, dict[str, Any]], paths: Sequence[str],
                       lang: str) -> None:
        write_atomic(self.path / MANIFEST, manifest_text(points, done, paths, lang).encode("utf-8-sig"))


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False)


def _num(v: Any) -> str:
    """A number in the manifest: every digit of the float (repr), empty for none."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    return repr(float(v)) if not isinstance(v, bool) else str(v)


def decision_changes(points: Sequence[Point], done: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """For each finished point of a MILP sweep, its yes/no decisions changed from the finished point before it in
    grid order (``+taken -dropped``, sorted); '' for the first point, one without decisions, or no change."""
    out: dict[str, str] = {}
    before: set[str] | None = None
    for p in points:
        s = done.get(p.id)
        if s is None:
            continue
        taken = s.get("decisions")
        now = set(taken) if taken is not None else None
        out[p.id] = ""
        if now is not None and before is not None:
            out[p.id] = " ".join([f"+{d}" for d in sorted(now - before)] + [f"-{d}" for d in sorted(before - now)])
        before = now if now is not None else before
    return out


def manifest_text(points: Sequence[Point], done: dict[str, dict[str, Any]], paths: Sequence[str], lang: str) -> str:
    """The manifest: one row per finished point, in grid order. Columns: variant (the point's id), each varied
    path, status, objective, ``used:`` each budget row, the top shadow prices (``price_K`` names the row,
    ``price_K_value`` gives it), for a MILP the decisions at yes and their changes from the row before, seconds,
    solver, allocation (the Parquet file) and reason (a point that is not optimal; in `lang`)."""
    rows = [done[p.id] for p in points if p.id in done]
    use_keys: dict[str, None] = {}
    for s in rows:
        for k, _ in s.get("use") or []:
            use_keys.setdefault(k, None)
    mip = any(s.get("decisions") is not None for s in rows)
    head = ["variant", *paths, "status", "objective", *(f"used:{k}" for k in use_keys)]
    for k in range(1, TOP_PRICES + 1):
        head += [f"price_{k}", f"price_{k}_value"]
    if mip:
        head += ["decisions", "decision_changes"]
    head += ["seconds", "solver", "allocation", "reason"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    changes = decision_changes(points, done)
    for s in rows:
        values = dict(s["values"])
        use = dict(s.get("use") or [])
        row = [s["id"], *(values.get(p, "") for p in paths), s["status"], _num(s.get("objective")),
               *(_num(use.get(k)) for k in use_keys)]
        prices = s.get("prices") or []
        for k in range(TOP_PRICES):
            row += [prices[k][0], _num(prices[k][1])] if k < len(prices) else ["", ""]
        if mip:
            taken = s.get("decisions")
            row += [" ".join(taken) if taken else "", changes[s["id"]]]
        reason = s.get("reason") or {}
        row += [_num(s.get("seconds")), s.get("solver") or "", s.get("allocation") or "",
                reason.get(lang, reason.get("en", "")) if isinstance(reason, dict) else str(reason)]
        w.writerow(row)
    return buf.getvalue()


# ------------------------------------------------------------------------------------------ progress
class Progress:
    """A bar on a terminal; otherwise a line each time another tenth of the points is done (for logs)."""

    def __init__(self, total: int, lang: str, stream: TextIO | None = None, tty: bool | None = None,
                 done: int = 0, bad: int = 0):
        self.total, self.lang, self.done, self.bad = total, lang, done, bad
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.t0 = time.perf_counter()
        self.decile = (10 * done) // total if total else 10

    def line(self) -> str:
        pct = (100 * self.done) // self.total if self.total else 100
        return words("progress", self.lang, done=self.done, total=self.total, pct=pct, bad=self.bad,
                     seconds=time.perf_counter() - self.t0)

    def advance(self, ok: bool) -> None:
        self.done += 1
        self.bad += 0 if ok else 1
        if self.tty:
            filled = (30 * self.done) // self.total if self.total else 30
            self.stream.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.line()}")
        else:
            decile = (10 * self.done) // self.total if self.total else 10
            if decile > self.decile:
                self.decile = decile
                self.stream.write(self.line() + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.tty and self.done:
            self.stream.write("\n")
            self.stream.flush()


# ------------------------------------------------------------------------------------------ executors
Runner = Callable[[Task], dict[str, Any]]


def _quiet_worker() -> None:
    """A worker ignores Ctrl-C (the terminal sends it to the whole process group): the parent stops the sweep
    and ends its workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_here(tasks: Sequence[Task], runner: Runner, on_done: Callable[[dict[str, Any]], None]) -> None:
    """Every point in this process, in order."""
    for t in tasks:
        on_done(runner(t))


def run_local(tasks: Sequence[Task], workers: int, runner: Runner, on_done: Callable[[dict[str, Any]], None]) -> None:
    """Every point on a pool of `workers` processes, at most one point per worker in flight. A worker that dies
    (SIGKILL, out of memory) breaks the pool: the points in flight run again on a new pool, each up to
    `MAX_ATTEMPTS` times, then it is recorded as failed (`lost`). On an interrupt the workers are ended."""
    queue = list(tasks)
    queue.reverse()  # popped from the end: grid order
    attempts: dict[str, int] = {}
    ctx = multiprocessing.get_context("spawn")
    while queue:
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_quiet_worker,
                                   max_tasks_per_child=MAX_TASKS_PER_WORKER)
        flying: dict[Future[dict[str, Any]], Task] = {}
        broken = False
        try:
            while (queue or flying) and not broken:
                while queue and len(flying) < workers:
                    t = queue.pop()
                    try:
                        flying[pool.submit(runner, t)] = t
                    except BrokenProcessPool:
                        queue.append(t)
                        broken = True
                        break
                if not flying:
                    break
                finished, _ = wait(flying, return_when=FIRST_COMPLETED)
                for f in finished:
                    t = flying.pop(f)
                    try:
                        summary = f.result()
                    except BrokenProcessPool as e:
                        broken = True
                        attempts[t.id] = attempts.get(t.id, 0) + 1
                        if attempts[t.id] >= MAX_ATTEMPTS:
                            on_done(lost(t, attempts[t.id], str(e) or type(e).__name__))
                        else:
                            queue.append(t)
                        continue
                    on_done(summary)
            if broken:  # the points still in flight on the broken pool run again
                for f, t in flying.items():
                    try:
                        on_done(f.result())
                    except BrokenProcessPool as e:
                        attempts[t.id] = attempts.get(t.id, 0) + 1
                        if attempts[t.id] >= MAX_ATTEMPTS:
                            on_done(lost(t, attempts[t.id], str(e) or type(e).__name__))
                        else:
                            queue.append(t)
                flying.clear()
            pool.shutdown(wait=True)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():  # this pool's workers: end them, not their points
                child.terminate()
            raise


def run_dask(tasks: Sequence[Task], address: str, runner: Runner, on_done: Callable[[dict[str, Any]], None]) -> None:
    """Every point on the dask.distributed cluster at `address`, through `Client.submit` and `as_completed`: the
    scheduler re-runs the points of a worker that dies (`distributed.scheduler.allowed-failures`), and a point
    whose task still errs is retried (`retries`), then recorded as failed."""
    try:
        from distributed import Client, as_completed  # lazy: an optional library (the sweep extra)
    except ImportError:
        raise PackageMissing(WORDS["dask"], "distributed") from None
    try:
        client = Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as e:
        raise InputError([Issue("sweep_scheduler", {"path": address, "error": str(e) or type(e).__name__},
                                file="--scheduler")]) from None
    token = os.urandom(4).hex()
    try:
        futures = {client.submit(runner, t, key=f"landopt-sweep-{t.id}-{token}", pure=False,
                                 retries=MAX_ATTEMPTS - 1): t for t in tasks}
        for f in as_completed(list(futures)):
            t = futures.pop(f)
            try:
                summary = f.result()
            except Exception as e:  # noqa: BLE001 - KilledWorker, a lost connection: the point's row says so
                summary = lost(t, MAX_ATTEMPTS, f"{type(e).__name__}: {e}")
            f.release()
            on_done(summary)
    finally:
        client.close()


# ------------------------------------------------------------------------------------------ the sweep
@dataclass
class Sweep:
    """What a sweep runs: the scenario (file, variants, ``--set`` options), the varied paths and the points."""

    file: str
    variants: tuple[str, ...]
    sets: tuple[str, ...]
    varies: tuple[Vary, ...]
    points: list[Point]
    zip: bool = False
    samples: int | None = None
    seed: int = 0
    solver: str | None = None
    time_limit: float | None = None
    cold: bool = False
    """Every point solved from scratch (``--cold``), not on the models a worker keeps (`Task.warm`)."""
    paths: list[str] = field(default_factory=list)
    spec: Any = field(default=None, repr=False, compare=False)
    """The scenario's `Spec` as the sweep's own options leave it (its names and units, for the charts)."""

    def __post_init__(self) -> None:
        self.paths = [v.path for v in self.varies]

    def definition(self) -> dict[str, Any]:
        """What makes two sweeps the same (kept in sweep.json; workers and the scheduler may change)."""
        return {"file": self.file, "variants": list(self.variants), "sets": list(self.sets),
                "vary": [v.arg for v in self.varies], "zip": self.zip, "samples": self.samples,
                "seed": self.seed if self.samples is not None else None, "solver": self.solver,
                "time_limit": self.time_limit, "points": len(self.points)}

    def tasks(self) -> list[Task]:
        return [Task(self.file, self.variants, self.sets, p, self.solver, self.time_limit, k, warm=not self.cold)
                for k, p in enumerate(self.points)]


def prepare(file: str, variants: tuple[str, ...], sets: tuple[str, ...], vary: Sequence[str], zip_: bool = False,
            samples: int | None = None, seed: int = 0, solver: str | None = None,
            time_limit: float | None = None, cold: bool = False) -> Sweep:
    """Parse and check a sweep before anything runs: the --vary options, the scenario itself (with the sweep's
    variants and ``--set`` options) and its ``sweep:`` block, the grid, every varied path against the composed
    scenario. Raises `InputError` (exit code 2) for any of these.

    The block's paths come first, in its order; a --vary of one of them replaces its values, the others follow.
    The block's ``zip: true`` holds unless --samples draws the points."""
    given = tuple(parse_vary(a) for a in vary)
    sc = load(file, variants, sets)  # the scenario the points vary: its own errors first
    block = sc.spec.sweep
    varies = merge_varies(block.vary if block is not None else (), given)
    zipped = zip_ or (block is not None and block.zip and samples is None)
    points = grid(varies, zipped, samples, seed)
    check_paths(file, variants, sets, varies)
    return Sweep(file, variants, sets, varies, points, zipped, samples, seed, solver, time_limit, cold, spec=sc.spec)


def merge_varies(block: Sequence[tuple[str, str, str]], given: Sequence[Vary]) -> tuple[Vary, ...]:
    """The ``sweep:`` block's entries (path, values as --vary writes them, where the entry is) overridden and
    extended by the --vary options `given`."""
    rest = list(given)
    out = []
    for path, text, where in block:
        mine = next((v for v in rest if v.path == path), None)
        if mine is not None:
            rest.remove(mine)  # a second --vary of the path stays, and is refused as given twice
        out.append(mine or parse_vary(f"{path}={text}", origin=where))
    return tuple(out + rest)


def open_dir(sweep: Sweep, out: str | Path, resume: bool) -> tuple[SweepDir, dict[str, dict[str, Any]]]:
    """The output folder and the points done in it: a folder holding a sweep is refused without `resume`, and
    with it, a folder holding another sweep is refused (`InputError`)."""
    d = SweepDir(Path(out))
    done = d.done()
    before = d.definition()
    if before is not None or done:
        if not resume:
            raise InputError([Issue("sweep_dir_taken", {"path": str(out), "value": len(done)}, file="--out")])
        now = sweep.definition()
        for key in now:
            if before is not None and before.get(key) != now[key]:
                raise InputError([Issue("sweep_resume_differs", {"path": str(out), "key": key,
                                                                 "old": json.dumps(before.get(key), ensure_ascii=False),
                                                                 "new": json.dumps(now[key], ensure_ascii=False)},
                                        file="--resume", suggest=None)])
    ids = {p.id for p in sweep.points}
    return d, {k: v for k, v in done.items() if k in ids}


def run_sweep(sweep: Sweep, out: str | Path, workers: int = 1, scheduler: str | None = None, resume: bool = False,
              lang: str = "en", progress: Progress | None = None, runner: Runner = run_point,
              echo: Callable[[str], None] | None = None) -> dict[str, dict[str, Any]]:
    """Run the points of `sweep` not yet in `out` and write each as it completes (see the module docstring);
    returns every point's summary by id. An interrupt (KeyboardInterrupt) leaves every finished point and the
    manifest of them on disk, and propagates."""
    d, done = open_dir(sweep, out, resume)
    d.write_definition(sweep.definition())
    tasks = [t for t in sweep.tasks() if t.id not in done]
    if resume and done and echo is not None:
        echo(words("skipped", lang, done=len(done), total=len(sweep.points), left=len(tasks)))
    if progress is None:
        progress = Progress(len(sweep.points), lang)
    progress.done, progress.bad = len(done), sum(1 for s in done.values() if s.get("status") != "optimal")
    progress.decile = (10 * progress.done) // max(len(sweep.points), 1)
    last = [time.perf_counter()]

    def on_done(summary: dict[str, Any]) -> None:
        d.write_point(summary)
        done[summary["id"]] = summary
        progress.advance(summary.get("status") == "optimal")
        if time.perf_counter() - last[0] >= MANIFEST_EVERY:
            d.write_manifest(sweep.points, done, sweep.paths, lang)
            last[0] = time.perf_counter()

    if tasks and runner is run_point:
        parquet_bytes([])  # pyarrow is there before the first point runs (else: which extra to install)
    try:
        if scheduler:
            run_dask(tasks, scheduler, runner, on_done)
        elif workers <= 1:
            run_here(tasks, runner, on_done)
        else:
            run_local(tasks, workers, runner, on_done)
    finally:
        progress.close()
        d.write_manifest(sweep.points, done, sweep.paths, lang)
    return done
