"""`landopt sweep` (issue 13, part 1): the grid, point ids, one point equal to its individual solve, the
manifest and the per-point files, failures as rows, --resume, interrupts, and workers that die."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import landopt
from landopt.cli import cli
from landopt.errors import InputError
from landopt.explore import sweep as S
from support import REPO, SCENARIOS

pq = pytest.importorskip("pyarrow.parquet")

TEACH = SCENARIOS / "teaching"
PUJIANG = SCENARIOS / "pujiang_2021_2025_new_land.yaml"


def _copy_teaching(tmp_path: Path, name: str) -> Path:
    """A teaching scenario and its fragments in `tmp_path` (the kill markers and run logs go beside it)."""
    shutil.copytree(TEACH / "_fragments", tmp_path / "_fragments")
    shutil.copy(TEACH / name, tmp_path / name)
    return tmp_path / name


def _manifest(out: Path) -> list[dict[str, str]]:
    raw = (out / "manifest.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def _cli(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, list(args), prog_name="landopt")
    return r.exit_code, r.output


# ------------------------------------------------------------------------------------------ the grid
def test_the_grid_is_the_product_in_order_the_last_vary_fastest():
    points = S.grid([S.parse_vary("resources.land.budget=60:100:3"), S.parse_vary("resources.energy.budget=800,1000")])
    assert [p.values for p in points] == [
        (("resources.land.budget", a), ("resources.energy.budget", b))
        for a in ("60", "80", "100") for b in ("800", "1000")]


def test_zip_pairs_and_ranges_keep_their_unit():
    points = S.grid([S.parse_vary("resources.land.budget=600 mu:700 mu:3"), S.parse_vary("a.b=1,2,3")], zip_=True)
    assert [p.sets for p in points] == [("resources.land.budget=600 mu", "a.b=1"),
                                        ("resources.land.budget=650 mu", "a.b=2"),
                                        ("resources.land.budget=700 mu", "a.b=3")]


def test_values_split_at_commas_outside_brackets():
    assert S.parse_vary("x.y=[1, 2],{a: 1, b: 2},'p,q'").values == ("[1, 2]", "{a: 1, b: 2}", "'p,q'")


def test_samples_are_seeded_within_their_ranges():
    varies = [S.parse_vary("a.b=10:20"), S.parse_vary("c.d=x,y")]
    one, two = S.grid(varies, samples=40, seed=7), S.grid(varies, samples=40, seed=7)
    assert one == two and len(one) == 40
    assert S.grid(varies, samples=40, seed=8) != one
    assert all(10 <= float(dict(p.values)["a.b"]) <= 20 and dict(p.values)["c.d"] in ("x", "y") for p in one)


def test_a_point_id_is_a_hash_of_its_sorted_pairs():
    a = S.point_id([("a.b", "1"), ("c.d", "2")])
    assert a == S.point_id([("c.d", "2"), ("a.b", "1")]) and len(a) == 12
    assert a != S.point_id([("a.b", "1"), ("c.d", "3")])
    # stable across runs and machines: `printf 'resources.land.budget=650' | sha256sum`
    assert S.point_id([("resources.land.budget", "650")]) == "5b7f320cacb5"


@pytest.mark.parametrize(("varies", "kw", "code"), [
    (["nothing"], {}, "vary_syntax"),
    (["a.b="], {}, "vary_syntax"),
    (["a.b=1,,2"], {}, "vary_syntax"),
    (["a.b=1:5:0"], {}, "vary_range"),
    (["a.b=1 mu:5 ha:3"], {}, "vary_range"),
    (["a.b=1:5"], {}, "vary_range"),
    (["a.b=1,2", "a.b=3"], {}, "vary_twice"),
    (["a.b=1,2", "c.d=3"], {"zip_": True}, "sweep_option"),
    (["a.b=1,2"], {"zip_": True, "samples": 3}, "sweep_option"),
    ([], {}, "sweep_option"),
])
def test_bad_vary_options_are_input_errors(varies, kw, code):
    with pytest.raises(InputError) as e:
        S.grid([S.parse_vary(v) for v in varies], **kw)
    assert [i.code for i in e.value.issues] == [code]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_unknown_path_is_located_in_both_languages(tmp_path, lang):
    code, out = _cli("--lang", lang, "sweep", str(TEACH / "t01_cap.yaml"), "--vary", "resources.energy.budgt=1,2",
                     "--out", str(tmp_path / "o"))
    assert code == 2
    want = ("--vary: --vary resources.energy.budgt: 'budgt' does not exist under resources.energy; expected one of: "
            "name, unit, budget; did you mean 'budget'?") if lang == "en" else \
        ("--vary: --vary resources.energy.budgt: resources.energy 下不存在 'budgt'; 应为以下之一: name, unit, budget; "
         "是否想写 'budget'?")
    assert out.strip() == want
    assert not (tmp_path / "o").exists()  # nothing ran, nothing written


@pytest.mark.parametrize(("args", "en", "zh"), [
    (["--vary", "resources.land.budget"], "is not `PATH=V1,V2,...`", "不是 `PATH=V1,V2,...`"),
    (["--vary", "resources.land.budget=1:2:x"], "N must be a whole number", "不小于 1 的整数"),
    (["--vary", "resources.land.budget=true"], "changes a number into a boolean", "把 数值 改成了 布尔值"),
    (["--vary", "resources.land.budget=1", "--samples", "0"], "--samples '0' is not a whole number",
     "--samples '0' 不是不小于 1 的整数"),
    (["--vary", "resources.land.budget=1", "--workers", "two"], "--workers 'two' is not", "--workers 'two' 不是"),
    (["--vary", "resources.land.budget=1", "--seed", "-1"], "--seed '-1' is not", "--seed '-1' 不是非负整数"),
    (["--vary", "resources.land.budget=1,2", "--vary", "resources.energy.budget=1", "--zip"],
     "they have 2, 1 values", "分别为 2, 1"),
])
def test_bad_sweep_options_exit_2_in_both_languages(tmp_path, args, en, zh):
    for lang, text in (("en", en), ("zh", zh)):
        code, out = _cli("--lang", lang, "sweep", str(TEACH / "t01_cap.yaml"), *args, "--out", str(tmp_path / "o"))
        assert code == 2 and text in out and "Traceback" not in out, out


# ------------------------------------------------------------------------------- results, exactly
def test_sweep_points_equal_individual_solves(tmp_path):
    """Each point's objective, budget use and allocation are those of `landopt solve FILE --set ...` (to 1e-9)."""
    sets = ("resources.land.budget=600",)
    out = tmp_path / "o"
    code, text = _cli("sweep", str(PUJIANG), "--set", *sets, "--vary", "resources.energy.budget.2025=18,25",
                      "--vary", "rules.pj10-tilt-land.min=0.6:0.7:2", "--workers", "1", "--out", str(out))
    assert code == 0, text
    rows = _manifest(out)
    assert len(rows) == 4
    assert list(rows[0])[:3] == ["variant", "resources.energy.budget.2025", "rules.pj10-tilt-land.min"]
    for row in rows:
        point = (f"resources.energy.budget.2025={row['resources.energy.budget.2025']}",
                 f"rules.pj10-tilt-land.min={row['rules.pj10-tilt-land.min']}")
        res = landopt.load(PUJIANG, (), sets + point).solve()
        assert row["status"] == res.status == "optimal"
        assert float(row["objective"]) == pytest.approx(res.objective, rel=1e-9, abs=1e-9)
        for r in res.resource_records():
            assert float(row[f"used:{r['resource']}.{r['year']}"]) == pytest.approx(r["used"], rel=1e-9, abs=1e-9)
        prices = {S.row_label(r): r for r in res.rows}
        assert row["price_1"]
        for k in range(1, S.TOP_PRICES + 1):
            if row[f"price_{k}"]:
                r = prices[row[f"price_{k}"]]
                one = res.sensitivity.changes.get(r.row) if res.sensitivity is not None else None
                want_price = r.shadow_price if one is None else one.loosen  # re-solved: the exact value
                assert abs(float(row[f"price_{k}_value"])) == pytest.approx(abs(want_price), rel=1e-9)
        table = pq.read_table(out / row["allocation"]).to_pylist()
        want = res.allocation_records()
        assert [(a["area"], a["sector"], a["year"]) for a in table] == \
            [(a["area"], a["sector"], a["year"]) for a in want]
        assert all(a["land"] == pytest.approx(b["land"], rel=1e-9, abs=1e-9) for a, b in zip(table, want, strict=True))


def test_warm_points_equal_cold_ones_and_the_kept_models_answer(tmp_path):
    """A worker keeps the solver's models from point to point (each LP sent as the numbers that moved, solved
    from the last basis): the manifest is that of `--cold` (every point from scratch), with a budget and a ratio
    rule's bound (which moves matrix coefficients) varied; in a worker, the kept models answer the later points."""
    manifests = []
    for cold in ((), ("--cold",)):
        out = tmp_path / ("cold" if cold else "warm")
        code, text = _cli("sweep", str(PUJIANG), "--vary", "resources.land.budget=560,650,740",
                          "--vary", "rules.pj10-tilt-land.min=0.6,0.7", "--workers", "1", "--out", str(out), *cold)
        assert code == 0, text
        manifests.append(_manifest(out))
    warm, cold_rows = manifests
    assert len(warm) == len(cold_rows) == 6
    for a, b in zip(warm, cold_rows, strict=True):
        assert a["variant"] == b["variant"] and a["status"] == b["status"] == "optimal"
        for key in a:
            if key.startswith("used:") or key == "objective" or (key.startswith("price_") and key.endswith("value")):
                assert float(a[key]) == pytest.approx(float(b[key]), rel=1e-9, abs=1e-9), key
            elif key.startswith(("price_", "decision")):
                assert a[key] == b[key], key
    tasks = S.prepare(str(PUJIANG), (), (), ["resources.land.budget=600,620,640"]).tasks()
    S._drop_kept()
    summaries = [S.run_point(t) for t in tasks]
    assert all(s["status"] == "optimal" for s in summaries)
    kept = S._KEPT.models
    assert kept is not None and kept.warm >= 2 * len(tasks)  # more than the first stage and its probes' base
    cold = S.run_point(S.prepare(str(PUJIANG), (), (), ["resources.land.budget=620"], cold=True).tasks()[0])
    assert cold["objective"] == pytest.approx(summaries[1]["objective"], rel=1e-9)
    assert cold["prices"] == [[label, pytest.approx(v, rel=1e-9)] for label, v in summaries[1]["prices"]]
    S._drop_kept()


def test_a_failing_point_is_a_row_with_its_reason(tmp_path):
    """An infeasible point (its diagnosis as the reason) and a point whose value is not valid (the input message)
    are rows like the others; the exit code says not every point is optimal."""
    out = tmp_path / "o"
    code, _ = _cli("sweep", str(TEACH / "t02_floor.yaml"), "--vary", "rules.keep-textile.min=40,70,-5",
                   "--workers", "1", "--out", str(out))
    assert code == 1
    rows = {r["rules.keep-textile.min"]: r for r in _manifest(out)}
    assert list(rows) == ["40", "70", "-5"]
    assert rows["40"]["status"] == "optimal" and rows["40"]["reason"] == ""
    assert rows["70"]["status"] == "infeasible" and rows["70"]["reason"].startswith("feasible only with: ")
    assert rows["-5"]["status"] == "bad_input" and "-5 is negative" in rows["-5"]["reason"]
    assert rows["70"]["objective"] == "" and rows["-5"]["allocation"] == ""
    zh = _manifest_lang(tmp_path, "zh")
    assert zh["70"]["reason"].startswith("须放宽以下限额方可行: ")


def _manifest_lang(tmp_path: Path, lang: str) -> dict[str, dict[str, str]]:
    out = tmp_path / f"o-{lang}"
    _cli("--lang", lang, "sweep", str(TEACH / "t02_floor.yaml"), "--vary", "rules.keep-textile.min=70",
         "--workers", "1", "--out", str(out))
    return {r["rules.keep-textile.min"]: r for r in _manifest(out)}


def test_a_milp_sweep_lists_the_decisions_and_their_changes(tmp_path):
    out = tmp_path / "o"
    _, text = _cli("sweep", str(TEACH / "t11_projects.yaml"), "--vary", "resources.energy.budget=1000,400",
                      "--workers", "1", "--out", str(out))
    rows = _manifest(out)
    assert [r["status"] for r in rows] == ["optimal", "optimal"], text
    first, second = (set(r["decisions"].split()) for r in rows)
    assert first != second  # less energy changes what is placed
    assert rows[0]["decision_changes"] == ""
    assert rows[1]["decision_changes"].split() == [f"+{d}" for d in sorted(second - first)] + \
        [f"-{d}" for d in sorted(first - second)]
    res = landopt.load(TEACH / "t11_projects.yaml", (), ("resources.energy.budget=400",)).solve()
    assert float(rows[1]["objective"]) == pytest.approx(res.objective, rel=1e-9)


# ----------------------------------------------------------------------------------------- resume
def test_resume_runs_only_the_missing_points(tmp_path):
    scenario = _copy_teaching(tmp_path, "t01_cap.yaml")
    plan = S.prepare(str(scenario), (), (), ["resources.land.budget=60:100:5"])
    out = tmp_path / "o"
    S.run_sweep(plan, out, workers=1, runner=_counting)
    points = sorted((out / "points").glob("*.json"))
    assert len(points) == 5
    gone = points[1:3]  # as if the sweep had been stopped before these two
    for p in gone:
        p.unlink()
    kept = {p.name: p.stat().st_ino for p in points if p not in gone}
    _RUNS.clear()
    with pytest.raises(InputError) as e:
        S.run_sweep(plan, out, workers=1, runner=_counting)  # without --resume: refused, nothing run
    assert e.value.issues[0].code == "sweep_dir_taken" and _RUNS == []
    S.run_sweep(plan, out, workers=1, runner=_counting, resume=True)
    assert sorted(_RUNS) == sorted(p.stem for p in gone)
    assert {p.name: p.stat().st_ino for p in out.glob("points/*.json") if p.name in kept} == kept
    rows = _manifest(out)
    assert [r["variant"] for r in rows] == [p.id for p in plan.points]  # each point once, in grid order


def test_resume_refuses_another_sweep(tmp_path):
    out = tmp_path / "o"
    plan = S.prepare(str(TEACH / "t01_cap.yaml"), (), (), ["resources.land.budget=60,80"])
    S.run_sweep(plan, out, workers=1)
    other = S.prepare(str(TEACH / "t01_cap.yaml"), (), ("resources.energy.budget=900",),
                      ["resources.land.budget=60,80"])
    with pytest.raises(InputError) as e:
        S.run_sweep(other, out, workers=1, resume=True)
    assert e.value.issues[0].code == "sweep_resume_differs"
    assert "sets was [], now [\"resources.energy.budget=900\"]" in e.value.render("en")


_RUNS: list[str] = []


def _counting(task: S.Task) -> dict:
    _RUNS.append(task.id)
    return S.run_point(task)


@pytest.mark.slow
def test_ctrl_c_keeps_finished_points_and_resume_completes_the_sweep(tmp_path):
    """A real interrupt of `landopt sweep` (SIGINT once two points are on disk): exit code 130, every finished point
    kept; --resume then runs the rest, and the manifest has every point exactly once."""
    out = tmp_path / "o"
    args = [sys.executable, "-m", "landopt", "sweep", str(TEACH / "t01_cap.yaml"), "--vary",
            "resources.land.budget=50:100:40", "--workers", "1", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120  # a guard against a hang, not a timing assertion
        while len(list(out.glob("points/*.json"))) < 2 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    finished = {p.name: p.stat().st_ino for p in out.glob("points/*.json")}
    if proc.returncode == 0:
        pytest.skip("the sweep finished before the interrupt arrived")
    assert proc.returncode == 130, err
    assert "run again with --resume to finish" in err and 2 <= len(finished) < 40
    assert len(_manifest(out)) == len(finished)
    done = subprocess.run(args + ["--resume"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{len(finished)} of 40 points are done already" in done.stderr
    rows = _manifest(out)
    assert len(rows) == 40 and len({r["variant"] for r in rows}) == 40
    assert {p.name: p.stat().st_ino for p in out.glob("points/*.json") if p.name in finished} == finished


# ------------------------------------------------------------------------------------ dying workers
@pytest.mark.slow
def test_a_killed_local_worker_loses_no_point(tmp_path):
    from sweep_helpers import kill_second_point_once

    scenario = _copy_teaching(tmp_path, "t01_cap.yaml")
    plan = S.prepare(str(scenario), (), (), ["resources.land.budget=60:100:6"])
    done = S.run_sweep(plan, tmp_path / "o", workers=2, runner=kill_second_point_once)
    assert (tmp_path / "killed").exists()  # the worker was killed
    assert len((tmp_path / "runs" / plan.points[1].id).read_text().split()) == 2  # and its point ran again
    assert sorted(done) == sorted(p.id for p in plan.points)
    rows = _manifest(tmp_path / "o")
    assert [r["variant"] for r in rows] == [p.id for p in plan.points]
    assert {r["status"] for r in rows} == {"optimal"}


@pytest.mark.slow
def test_a_killed_dask_worker_loses_no_point(tmp_path):
    distributed = pytest.importorskip("distributed")
    from sweep_helpers import kill_second_point_once

    scenario = _copy_teaching(tmp_path, "t01_cap.yaml")
    plan = S.prepare(str(scenario), (), (), ["resources.land.budget=60:100:6"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  worker_dashboard_address=None) as cluster:
        done = S.run_sweep(plan, tmp_path / "o", scheduler=cluster.scheduler_address, runner=kill_second_point_once)
    assert (tmp_path / "killed").exists()
    assert len((tmp_path / "runs" / plan.points[1].id).read_text().split()) >= 2
    assert sorted(done) == sorted(p.id for p in plan.points)
    rows = _manifest(tmp_path / "o")
    assert [r["variant"] for r in rows] == [p.id for p in plan.points]
    assert {r["status"] for r in rows} == {"optimal"}


def test_a_missing_pyarrow_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed: importing it raises ImportError
    plan = S.prepare(str(TEACH / "t01_cap.yaml"), (), (), ["resources.land.budget=60"])
    with pytest.raises(S.PackageMissing) as e:
        S.run_sweep(plan, tmp_path / "o", workers=1)
    assert "pip install 'landopt[sweep]'" in e.value.render("en") and "本机未安装" in e.value.render("zh")
    assert not list((tmp_path / "o").glob("points/*"))  # said before any point ran


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_located_error(tmp_path):
    pytest.importorskip("distributed")
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out = _cli("sweep", str(TEACH / "t01_cap.yaml"), "--vary", "resources.land.budget=60",
                     "--scheduler", f"tcp://127.0.0.1:{port}", "--out", str(tmp_path / "o"))
    assert code == 2 and out.startswith(f"--scheduler: --scheduler tcp://127.0.0.1:{port}: cannot connect"), out


# ------------------------------------------------------------------------------------------ charts
CHARTS = ("objective.png", "objective.svg", "prices.png", "prices.svg")
SAMPLED = ("--vary", "resources.land.budget=60:100", "--vary", "resources.energy.budget=900:1100",
           "--vary", "rules.chip-cap.max=20:30", "--samples", "24", "--seed", "3")


def test_a_grid_sweep_draws_the_objective_and_the_prices_and_no_tornado(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "o"
    code, text = _cli("sweep", str(TEACH / "t01_cap.yaml"), "--vary", "resources.land.budget=60:100:3",
                      "--vary", "resources.energy.budget=800,1000", "--workers", "1", "--out", str(out))
    assert code == 0, text
    for name in CHARTS:
        data = (out / name).read_bytes()
        assert data.startswith(b"\x89PNG" if name.endswith(".png") else b"<?xml"), name
    assert not (out / "tornado.png").exists() and not (out / "tornado.svg").exists()


def test_sweep_charts_are_the_same_bytes_from_two_runs(tmp_path):
    """Two sweeps of the same points (one worker, then two: other timings, another finishing order) give charts
    equal byte for byte, with no date or software version in them."""
    pytest.importorskip("matplotlib")
    runs = []
    for k, workers in enumerate(("1", "2")):
        out = tmp_path / f"o{k}"
        code, text = _cli("--lang", "zh", "sweep", str(TEACH / "t01_cap.yaml"), *SAMPLED, "--workers", workers,
                          "--out", str(out))
        assert code == 0, text
        runs.append({n: (out / n).read_bytes() for n in (*CHARTS, "tornado.png", "tornado.svg")})
    assert runs[0] == runs[1]
    for name, data in runs[0].items():
        assert b"tIME" not in data and b"Software" not in data and b"<dc:date>" not in data, name


def _svg_bars(svg: bytes) -> list[str]:
    return re.findall(r'id="tornado:([^"]+)"', svg.decode("utf-8"))


def test_the_tornado_is_sorted_by_the_objectives_range_over_each_path(tmp_path):
    """The ranges recomputed from the manifest (the mean objective of the third of the samples with the lowest
    values of a path, and of the third with the highest): the bars are in the order of their widths, widest on
    top, and `tornado_ranges` gives the same figures."""
    pytest.importorskip("matplotlib")
    from landopt.explore.sweep_charts import tornado_ranges

    out = tmp_path / "o"
    code, text = _cli("sweep", str(TEACH / "t01_cap.yaml"), *SAMPLED, "--workers", "1", "--out", str(out))
    assert code == 0, text
    rows = _manifest(out)
    assert len(rows) == 24
    paths = ["resources.land.budget", "resources.energy.budget", "rules.chip-cap.max"]
    want = {}
    for path in paths:
        ranked = sorted(range(len(rows)), key=lambda i: (float(rows[i][path]), i))
        third = len(rows) // 3
        low = sum(float(rows[i]["objective"]) for i in ranked[:third]) / third
        high = sum(float(rows[i]["objective"]) for i in ranked[-third:]) / third
        want[path] = (low, high)
    order = sorted(paths, key=lambda p: (-abs(want[p][1] - want[p][0]), p))
    # t01 by hand: more land or a looser chip cap raise the tax; energy binds only at a few draws
    assert order[-1] == "resources.energy.budget"
    assert _svg_bars((out / "tornado.svg").read_bytes()) == order
    plan = S.prepare(str(TEACH / "t01_cap.yaml"), (), (), list(SAMPLED[1:6:2]), samples=24, seed=3)
    ranges = tornado_ranges(plan, S.SweepDir(out).done())
    assert [r.path for r in ranges] == order
    for r in ranges:
        assert (r.low, r.high) == pytest.approx(want[r.path], rel=1e-12)
        assert (r.n_low, r.n_high) == (8, 8)


def test_a_short_list_compares_the_points_at_its_lowest_and_highest_value():
    from landopt.explore.sweep_charts import tornado_ranges

    plan = S.Sweep("f.yaml", (), (), (S.parse_vary("a.b=x,y,z"), S.parse_vary("c.d=1:9")), [], samples=6)
    plan.points = [S.Point((("a.b", a), ("c.d", c))) for a, c in
                   (("z", "1"), ("x", "2"), ("y", "3"), ("x", "4"), ("z", "5"), ("y", "6"))]
    objective = [10.0, 1.0, 5.0, 3.0, 20.0, 7.0]
    done = {p.id: {"status": "optimal", "objective": v} for p, v in zip(plan.points, objective, strict=True)}
    by = {r.path: r for r in tornado_ranges(plan, done)}
    assert (by["a.b"].low, by["a.b"].high, by["a.b"].n_low) == (2.0, 15.0, 2)  # 'x' listed first, 'z' last
    assert (by["c.d"].low, by["c.d"].high, by["c.d"].n_low) == (5.5, 13.5, 2)  # 1,2 against 5,6
    assert [r.path for r in tornado_ranges(plan, done)] == ["a.b", "c.d"]  # 13 wide before 8


def test_without_matplotlib_the_sweep_runs_and_names_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    for lang, words in (("en", "pip install 'landopt[explore]'"), ("zh", "请安装 pip install 'landopt[explore]'")):
        out = tmp_path / lang
        code, text = _cli("--lang", lang, "sweep", str(TEACH / "t01_cap.yaml"), "--vary", "resources.land.budget=60,80",
                          "--workers", "1", "--out", str(out))
        assert code == 0 and words in text and "Traceback" not in text, text
        assert len(_manifest(out)) == 2 and not list(out.glob("*.png")) and not list(out.glob("*.svg"))


def test_without_a_chinese_font_the_labels_are_english_and_a_note_says_so(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from landopt.explore import front_chart

    monkeypatch.setattr(front_chart, "cjk_font", lambda: None)
    out = tmp_path / "o"
    code, text = _cli("--lang", "zh", "sweep", str(TEACH / "t01_cap.yaml"), "--vary", "resources.land.budget=60,80",
                      "--workers", "1", "--out", str(out))
    assert code == 0 and "本机没有可显示中文的字体" in text, text
    assert all((out / n).exists() for n in CHARTS)
    english = (out / "objective.svg").read_bytes()
    monkeypatch.undo()
    if front_chart.cjk_font() is not None:  # with the font, the Chinese labels draw other glyphs
        code, _ = _cli("--lang", "zh", "sweep", str(TEACH / "t01_cap.yaml"), "--vary", "resources.land.budget=60,80",
                       "--workers", "1", "--out", str(tmp_path / "zh"))
        assert code == 0 and (tmp_path / "zh" / "objective.svg").read_bytes() != english


# --------------------------------------------------------------------------------- the sweep: block
def _with_block(tmp_path: Path, block: str) -> Path:
    f = tmp_path / "swept.yaml"
    f.write_text(f"extends: {(TEACH / 't01_cap.yaml').as_posix()}\n{block}", encoding="utf-8")
    return f


def test_a_sweep_block_gives_the_points_its_vary_options_give(tmp_path):
    f = _with_block(tmp_path, "sweep:\n  vary:\n    resources.land.budget: [60, 80.5, '100 mu']\n"
                              "    rules.chip-cap.max: '20:30:3'\n")
    from_block = S.prepare(str(f), (), (), [])
    from_options = S.prepare(str(TEACH / "t01_cap.yaml"), (), (),
                             ["resources.land.budget=60,80.5,100 mu", "rules.chip-cap.max=20:30:3"])
    assert [p.values for p in from_block.points] == [p.values for p in from_options.points]
    assert len(from_block.points) == 9
    assert from_block.definition()["vary"] == from_options.definition()["vary"]  # --resume sees the same sweep


def test_vary_options_replace_and_extend_the_block_and_its_zip_holds(tmp_path):
    f = _with_block(tmp_path, "sweep:\n  vary:\n    resources.land.budget: [60, 80]\n"
                              "    rules.chip-cap.max: [20, 30]\n  zip: true\n")
    plan = S.prepare(str(f), (), (), ["rules.chip-cap.max=10,25"])
    assert [p.sets for p in plan.points] == [("resources.land.budget=60", "rules.chip-cap.max=10"),
                                             ("resources.land.budget=80", "rules.chip-cap.max=25")]
    plan = S.prepare(str(f), (), (), ["resources.energy.budget=900,1000"])
    with pytest.raises(InputError) as e:  # zipped: three paths of 2, 2 and 2 values pair up; 2, 2 and 3 do not
        S.prepare(str(f), (), (), ["resources.energy.budget=900,950,1000"])
    assert e.value.issues[0].code == "sweep_option"
    assert [p.sets[2] for p in plan.points] == ["resources.energy.budget=900", "resources.energy.budget=1000"]
    sampled = S.prepare(str(f), (), (), [], samples=5, seed=1)  # --samples draws; the block's zip does not apply
    assert not sampled.zip and any(p.sets in (("resources.land.budget=60", "rules.chip-cap.max=30"),
                                              ("resources.land.budget=80", "rules.chip-cap.max=20"))
                                   for p in sampled.points)  # a pair that zipping would not make
    assert all(dict(p.values)["resources.land.budget"] in ("60", "80") for p in sampled.points)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_path_in_the_block_is_located_at_its_entry(tmp_path, lang):
    f = _with_block(tmp_path, "sweep:\n  vary:\n    resources.land.budget: [60, 80]\n"
                              "    resources.energy.budgt: [900]\n")
    code, out = _cli("--lang", lang, "sweep", str(f), "--out", str(tmp_path / "o"))
    assert code == 2 and "Traceback" not in out
    assert out.startswith(f"{f}:5:5 sweep.vary.resources.energy.budgt: "), out
    assert ("did you mean 'budget'?" if lang == "en" else "是否想写 'budget'?") in out
    assert not (tmp_path / "o").exists()


def test_a_bad_block_is_bad_input_for_every_command(tmp_path):
    f = _with_block(tmp_path, "sweep:\n  vary:\n    resources.land.budget: []\n")
    for command in ("validate", "solve"):
        code, out = _cli(command, str(f))
        assert code == 2 and f"{f}:4:28 sweep.vary.resources.land.budget: an empty list of values" in out, out
    assert landopt.load(_with_block(tmp_path, "sweep: {vary: {resources.land.budget: 70}}\n")).solve().objective == \
        pytest.approx(2200.0)  # a good block changes nothing of the plan itself (t01: 2,200 万元, not 1,900)


# ------------------------------------------------------------------------------------------ the html report
def _page_text(path: Path) -> str:
    """The report's visible text: no style, no drawn charts, no tags."""
    page = path.read_text(encoding="utf-8")
    page = re.sub(r"<style>.*?</style>|<svg.*?</svg>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("3 points: 1 optimal, 2 not optimal.", "rules.keep-textile.min takes 3 values: 40, 70, -5.",
            "feasible only with: ", "bad_input", "Points not optimal", "infeasible")),
    ("zh", ("共 3 个点: 1 个得到最优解, 2 个未得最优解。", "rules.keep-textile.min 取 3 个值: 40, 70, -5。",
            "须放宽以下限额方可行: ", "输入有误", "未得最优解的点", "不可行")),
])
def test_the_sweep_report_gives_every_point_and_why_one_failed(tmp_path, lang, words):
    """DIR/report.html: the overview in the reader's words, one row per point, each point that is not optimal
    with its reason, in English and in Chinese."""
    out = tmp_path / "o"
    code, text = _cli("--lang", lang, "sweep", str(TEACH / "t02_floor.yaml"), "--vary",
                      "rules.keep-textile.min=40,70,-5", "--workers", "1", "--out", str(out))
    assert code == 1, text
    page = _page_text(out / "report.html")
    for w in words:
        assert w in page, (w, page)
    manifest = _manifest(out)
    for row in manifest:
        assert row["variant"] in page
    ok = next(r for r in manifest if r["status"] == "optimal")
    assert f"{float(ok['objective']):,.2f}" in page  # the objective as the report rounds it


def test_the_sweep_report_draws_the_charts_and_names_the_binding_limit(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "o"
    code, text = _cli("--lang", "zh", "sweep", str(TEACH / "t01_cap.yaml"), "--vary", "resources.land.budget=60:100:3",
                      "--workers", "1", "--out", str(out))
    assert code == 0, text
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "<?xml" not in page  # objective and prices, inline
    assert "目标值随参数取值的变化" in page and "影子价格随参数取值的变化" in page
    spec = landopt.load(TEACH / "t01_cap.yaml").spec
    top = _manifest(out)[0]["price_1"].split(".")[0].split("[")[0]
    named = {**spec.resources, **{r.id: r for r in spec.rules}}
    assert named[top].name in _page_text(out / "report.html")  # the limit by its name, not its id


def test_a_milp_sweep_report_lists_the_decision_changes(tmp_path):
    out = tmp_path / "o"
    _cli("sweep", str(TEACH / "t11_projects.yaml"), "--vary", "resources.energy.budget=1000,400",
         "--workers", "1", "--out", str(out))
    rows = _manifest(out)
    page = _page_text(out / "report.html")
    assert "yes/no decisions changed from the point before" in page
    assert rows[1]["decision_changes"] and rows[1]["decision_changes"] in page


@pytest.mark.parametrize(("sense", "side", "sign"), [("max", "max", 1.0), ("max", "min", -1.0),
                                                     ("min", "max", -1.0), ("min", "min", 1.0)])
def test_a_re_solved_row_is_priced_by_its_exact_gain_signed_as_a_dual(sense, side, sign):
    """Objective per unit of the bound: loosening a cap raises its bound, loosening a floor lowers it; the
    loosening gain (>= 0) improves a maximum upwards and a minimum downwards."""
    from types import SimpleNamespace as NS

    from landopt.engine.readback import OneSided, Sensitivity

    row = NS(row=4, side=side, shadow_price=99.0)
    res = NS(model=NS(problem=NS(sense=sense)), sensitivity=Sensitivity({4: OneSided(2.5, 7.0, 0.1)}, 0))
    assert S.shadow_price(res, row) == sign * 2.5
    res.sensitivity = Sensitivity({}, 0)
    assert S.shadow_price(res, row) == 99.0  # not re-solved: the dual


@pytest.mark.parametrize("text", ["industrial value added of new land (summed over 2021-2025) (万元)",
                                  "新增用地工业增加值 (2021-2025逐年累计) (万元) 与其他很长的说明文字",
                                  "short"])
def test_long_axis_labels_are_wrapped_within_the_width(text):
    from landopt.explore.front_chart import wrapped
    from landopt.report.text import width

    lines = wrapped(text, 34).split("\n")
    assert all(width(line) <= 34 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert (len(lines) == 1) == (width(text) <= 34)


def test_decision_changes_compare_each_point_with_the_finished_one_before_it():
    # the manifest and the html report take their "decision changes" from this one function: grid order, points
    # not finished skipped, a point without decisions (failed) neither compared nor the new reference
    from landopt.explore.sweep import Point, decision_changes

    pts = [Point((("p", str(i)),)) for i in range(5)]
    done = {pts[0].id: {"decisions": ["a", "b"]}, pts[2].id: {"decisions": ["b", "c"]},
            pts[3].id: {"decisions": None}, pts[4].id: {"decisions": ["c"]}}
    assert decision_changes(pts, done) == {pts[0].id: "", pts[2].id: "+c -a", pts[3].id: "", pts[4].id: "-b"}
