"""`landopt pareto`: AUGMECON2 fronts (landopt/explore/pareto.py). On a scenario solvable by hand the front is
the line tax = 2.5 energy, its ends are the lexicographic optima landopt's own stages give, and no point
dominates another; on the MILP teaching scenario too."""

from __future__ import annotations

import csv
import importlib.util
import io
import shutil
import subprocess
import sys

import pytest

import landopt
from landopt.explore.pareto import pareto_front, parse_objectives
from landopt.explore.plans import OptionError
from support import REPO, SCENARIOS

# One area, two sectors. Chips: 50 万元 of tax for 20 tce per 亩 (2.5 万元/tce); textiles 10 for 5 (2 万元/tce).
# Energy (1000 tce) binds before land (100 亩). For each energy use E in [0, 1000] the most tax is all chips:
# tax = 2.5 E; so the front of (max tax, min energy) is that line, from (0, 0) to (2500, 1000).
HAND = {
    "version": 1,
    "scenario": {"name": "pareto by hand"},
    "units": {"area": "mu", "money": "万元", "energy": "tce"},
    "resources": {"land": {"name": "land", "unit": "mu", "budget": 100},
                  "energy": {"name": "energy", "unit": "tce", "budget": 1000}},
    "metrics": {"tax": {"name": "tax", "unit": "万元"}},
    "sectors": {"chip": {"name": "chips", "per_mu": {"tax": 50, "energy": 20}},
                "textile": {"name": "textiles", "per_mu": {"tax": 10, "energy": 5}}},
    "areas": {"core": {"name": "core", "role": "main", "capacity": 100}},
    "objective": {"maximize": "tax"},
}


def _with_objective(objective: list[dict]) -> landopt.Scenario:
    return landopt.from_dict({**HAND, "objective": objective})


def _stages(result) -> dict[str, float]:
    return {s["name"]: s["value"] for s in result.stages}


def _non_dominated(values: list[tuple[float, ...]], signs: list[float], tol: float = 1e-7) -> bool:
    """No point at least as good in every objective and better in one (each written to be maximised)."""
    for a in values:
        for b in values:
            fa = [s * v for s, v in zip(signs, a, strict=True)]
            fb = [s * v for s, v in zip(signs, b, strict=True)]
            if all(x >= y - tol for x, y in zip(fb, fa, strict=True)) and \
                    any(x > y + tol for x, y in zip(fb, fa, strict=True)):
                return False
    return True


def test_the_front_by_hand_is_the_line_and_its_ends_are_the_lexicographic_optima():
    spec = landopt.from_dict(HAND).spec
    front = pareto_front(spec, parse_objectives(spec, "tax,-energy"), points=11)
    assert front.status == "optimal"
    values = [p.values for p in front.points]
    assert len(values) == 11  # one per grid value: every energy use 0, 100, ..., 1000 tce is its own plan
    for tax, energy in values:
        assert tax == pytest.approx(2.5 * energy, abs=1e-6)
    assert sorted(round(e) for _, e in values) == list(range(0, 1001, 100))
    assert _non_dominated(values, [1.0, -1.0])
    best_tax = _stages(_with_objective([{"maximize": "tax", "tolerance": 0}, {"minimize": "energy"}]).solve())
    least_energy = _stages(_with_objective([{"minimize": "energy", "tolerance": 0}, {"maximize": "tax"}]).solve())
    assert values[0] == pytest.approx((best_tax["tax"], best_tax["energy"]), abs=1e-6)
    assert values[0] == pytest.approx((2500.0, 1000.0), abs=1e-5)
    assert values[-1] == pytest.approx((least_energy["tax"], least_energy["energy"]), abs=1e-6)
    assert values[-1] == pytest.approx((0.0, 0.0), abs=1e-5)
    for p in front.points:
        assert p.result.checker["passed"] is True


def test_a_second_objective_that_rises_with_the_first_on_part_of_the_front():
    """(max tax, max land): all chips up to 50 亩 (tax 2,500), then chips traded for textiles up to 100 亩 with
    energy at 1,000 tce: 33.3 亩 of chips and 66.7 of textiles, tax 2,333.3; the front is that segment."""
    spec = landopt.from_dict(HAND).spec
    front = pareto_front(spec, parse_objectives(spec, "tax,land"), points=5)
    values = [p.values for p in front.points]
    assert values[0] == pytest.approx((2500.0, 50.0), abs=1e-5)
    assert values[-1] == pytest.approx((7000.0 / 3.0, 100.0), abs=1e-5)
    for tax, land in values:  # c + t = land, 20 c + 5 t = 1000: tax = 50 c + 10 t = 8000 / 3 - 10 land / 3
        assert tax == pytest.approx(8000.0 / 3.0 - 10.0 * land / 3.0, abs=1e-6)
    assert _non_dominated(values, [1.0, 1.0])


def test_the_bypass_skips_grid_points_without_changing_the_front():
    """t11's projects make the front a staircase: many energy grid values give the same plan, and the bypass
    skips them (AUGMECON2); solving every grid point finds the same front."""
    spec = landopt.load(SCENARIOS / "teaching" / "t11_projects.yaml").spec
    objectives = parse_objectives(spec, "tax,-energy")
    quick = pareto_front(spec, objectives, points=21)
    every = pareto_front(spec, objectives, points=21, bypass=False)
    assert quick.bypassed > 0 and quick.solved + quick.bypassed == 21
    assert every.bypassed == 0 and every.solved == 21
    assert len(quick.points) == len(every.points)
    flat = [v for p in quick.points for v in p.values]
    assert flat == pytest.approx([v for p in every.points for v in p.values], abs=1e-6)


def test_three_objectives_give_a_non_dominated_front():
    spec = landopt.from_dict(HAND).spec
    front = pareto_front(spec, parse_objectives(spec, "tax,-energy,land"), points=4)
    values = [p.values for p in front.points]
    assert len(values) >= 3 and _non_dominated(values, [1.0, -1.0, 1.0])
    assert max(v[0] for v in values) == pytest.approx(2500.0, abs=1e-5)
    assert max(v[2] for v in values) == pytest.approx(100.0, abs=1e-5)


def test_a_milp_front_holds_the_hand_computed_plans(tmp_path):
    """t11 (projects): best tax 3,720 at 1,000 tce; the fab alone 3,200 for 800 tce; nothing for nothing."""
    folder = tmp_path / "teaching"
    shutil.copytree(SCENARIOS / "teaching", folder)
    front_file = folder / "t11_projects.yaml"
    spec = landopt.load(front_file).spec
    front = pareto_front(spec, parse_objectives(spec, "tax,-energy"), points=6)
    values = [p.values for p in front.points]
    assert _non_dominated(values, [1.0, -1.0])
    assert any(v == pytest.approx((3200.0, 800.0), abs=1e-5) for v in values)

    def lexicographic(first: str, then: str) -> dict[str, float]:
        path = folder / f"lex_{first}.yaml"
        path.write_text(front_file.read_text(encoding="utf-8").replace("expect:", "objective:\n  - " + first +
                                                                       "\n  - " + then + "\nexpect_was:"),
                        encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("expect_was:")], encoding="utf-8")
        return _stages(landopt.load(path).solve())

    best_tax = lexicographic("{maximize: tax, tolerance: 0}", "{minimize: energy}")
    least_energy = lexicographic("{minimize: energy, tolerance: 0}", "{maximize: tax}")
    assert values[0] == pytest.approx((best_tax["tax"], best_tax["energy"]), abs=1e-5)
    assert values[0] == pytest.approx((3720.0, 1000.0), abs=1e-5)
    assert values[-1] == pytest.approx((least_energy["tax"], least_energy["energy"]), abs=1e-5)
    for p in front.points:
        assert p.result.checker["passed"] is True


@pytest.mark.parametrize(("text", "words"), [
    ("tax,-enrgy", ["'enrgy'", "energy"]),  # a slip: the known metrics and the likely one
    ("tax", ["1 objective(s)", "two or three"]),
    ("tax,,energy", ["empty objective"]),
    ("tax,-tax", ["named twice"]),
])
def test_bad_objectives_are_located_bilingual_errors(text, words):
    spec = landopt.from_dict(HAND).spec
    with pytest.raises(OptionError) as e:
        parse_objectives(spec, text)
    assert e.value.exit_code == 2
    en, zh = e.value.render("en"), e.value.render("zh")
    assert en.startswith("--objectives: ") and zh.startswith("--objectives: ")
    assert all(w in en for w in words)
    assert en != zh


def test_fewer_than_two_points_is_an_error():
    spec = landopt.from_dict(HAND).spec
    with pytest.raises(OptionError, match="--points: 1 grid points"):
        pareto_front(spec, parse_objectives(spec, "tax,-energy"), points=1)


# ----------------------------------------------------------------- the command line
def test_pareto_command_writes_the_front_each_plan_and_a_table(run_cli, tmp_path):
    out = tmp_path / "front"
    r = run_cli("pareto", str(SCENARIOS / "teaching" / "t11_projects.yaml"), "--objectives", "tax,-energy",
                "--points", "11", "--out", str(out), "--lang", "zh")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO((out / "front.csv").read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == ["point", "tax", "-energy", "source", "status", "allocation"]
    assert float(rows[0]["tax"]) == pytest.approx(3720.0, abs=1e-5)
    assert any(float(row["tax"]) == pytest.approx(3200.0) and float(row["-energy"]) == pytest.approx(800.0)
               for row in rows)
    assert (out / "front.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    parquet = importlib.util.find_spec("pyarrow") is not None
    for k in range(1, len(rows) + 1):
        name = f"point_{k:02d}.parquet" if parquet else f"point_{k:02d}.csv"
        other = f"point_{k:02d}.csv" if parquet else f"point_{k:02d}.parquet"
        assert rows[k - 1]["allocation"] == name and not (out / other).exists()
        plan = _plan(out / name)
        land = sum(float(row["land"]) for row in plan)
        assert (land > 0.0) == (float(rows[k - 1]["tax"]) > 1e-6)  # a plan with tax has land, the empty one none
        assert ("fab" in {row["project"] for row in plan}) == (float(rows[k - 1]["tax"]) >= 3200.0 - 1e-5)
    assert "字典序最优" in r.out and "税收" in r.out and f"前沿上共 {len(rows)} 个点" in r.out
    if importlib.util.find_spec("matplotlib") is None:
        assert "landopt[explore]" in r.err and not (out / "front.png").exists()
    else:
        assert (out / "front.png").read_bytes().startswith(b"\x89PNG") and (out / "front.svg").exists()
        assert b'id="front-line"' not in (out / "front.svg").read_bytes()  # a MILP: points only


def _plan(path):
    """A plan's rows (area, sector, project, year, land) from its Parquet or CSV file."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _here(*args: str):
    """`landopt ARGS` in this process (so that a library hidden by the test stays hidden)."""
    from click.testing import CliRunner

    from landopt.cli import cli

    r = CliRunner().invoke(cli, list(args), prog_name="landopt")
    return r.exit_code, r.output


def test_without_pyarrow_each_point_is_a_csv_file(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if not installed
    out = tmp_path / "front"
    code, text = _here("pareto", str(SCENARIOS / "teaching" / "t01_cap.yaml"), "--objectives", "tax,-energy",
                "--points", "3", "--out", str(out))
    assert code == 0, text
    rows = list(csv.DictReader(io.StringIO((out / "front.csv").read_text(encoding="utf-8-sig"))))
    assert [row["allocation"] for row in rows] == [f"point_{k:02d}.csv" for k in range(1, len(rows) + 1)]
    assert not list(out.glob("*.parquet"))
    first = _plan(out / "point_01.csv")
    assert {row["sector"] for row in first} == {"chip", "textile"}


def test_the_parquet_plan_is_the_csv_plan(tmp_path, monkeypatch):
    """The same front written twice, with and without pyarrow: each point's Parquet rows are its CSV rows."""
    pytest.importorskip("pyarrow")
    args = ["pareto", str(SCENARIOS / "teaching" / "t11_projects.yaml"), "--objectives", "tax,-energy", "--points",
            "4"]
    assert _here(*args, "--out", str(tmp_path / "pq"))[0] == 0
    with monkeypatch.context() as m:
        m.setitem(sys.modules, "pyarrow", None)
        assert _here(*args, "--out", str(tmp_path / "csv"))[0] == 0
    files = sorted((tmp_path / "pq").glob("point_*.parquet"))
    assert files
    for f in files:
        a, b = _plan(f), _plan(tmp_path / "csv" / f.with_suffix(".csv").name)
        assert [(r["area"], r["sector"], r["project"], r["year"]) for r in a] == \
            [(r["area"], r["sector"], r["project"], int(r["year"]) if r["year"] else None) for r in b]
        assert [r["land"] for r in a] == pytest.approx([float(r["land"]) for r in b], rel=1e-12)


@pytest.mark.parametrize(("args", "words"), [
    (["--objectives", "tax,-enrgy"], ["--objectives: ", "'energy'"]),
    (["--objectives", "tax,-energy", "--points", "1"], ["--points: 1 grid points"]),
])
def test_pareto_command_bad_input_exits_2_without_a_traceback(run_cli, tmp_path, args, words):
    r = run_cli("pareto", str(SCENARIOS / "teaching" / "t01_cap.yaml"), *args, "--out", str(tmp_path / "o"))
    assert r.code == 2 and all(w in r.err for w in words) and "Traceback" not in r.err
    zh = run_cli("pareto", str(SCENARIOS / "teaching" / "t01_cap.yaml"), *args, "--out", str(tmp_path / "o"),
                 "--lang", "zh")
    assert zh.code == 2 and ("未定义" in zh.err or "至少应为 2" in zh.err)
    assert not (tmp_path / "o").exists()


@pytest.mark.slow
@pytest.mark.parametrize("command", ["pareto", "alternatives"])
def test_explore_help_imports_nothing_heavy(command):
    heavy = {"pandas", "numpy", "scipy", "pulp", "ortools", "highspy", "matplotlib", "xlsxwriter", "yaml"}
    code = ("import sys\nfrom landopt.cli import cli\n"
            f"try:\n    cli.main([{command!r}, '--help'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            f"print(sorted(set({sorted(heavy)!r}) & {{m.split('.')[0] for m in sys.modules}}))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("[]") and "Usage" in proc.stdout


def test_the_chart_is_the_same_bytes_every_time():
    pytest.importorskip("matplotlib")
    from landopt.explore.front_chart import draw_front

    values = [(2500.0, 1000.0), (1250.0, 500.0), (0.0, 0.0)]
    one = draw_front(values, ["tax (max)", "energy (min)"], ["tax", "energy"], "front")
    two = draw_front(values, ["tax (max)", "energy (min)"], ["tax", "energy"], "front")
    assert one == two
    assert one[0].startswith(b"\x89PNG") and b"<svg" in one[1]
    assert b"<dc:date>" not in one[1] and b"Matplotlib v" not in one[0]


def test_an_lp_front_is_a_line_and_a_milp_front_points_only():
    pytest.importorskip("matplotlib")
    from landopt.explore.front_chart import draw_front

    values = [(2500.0, 1000.0), (1250.0, 500.0), (0.0, 0.0)]
    lp = draw_front(values, ["tax", "energy"], ["tax", "energy"], "front")
    mip = draw_front(values, ["tax", "energy"], ["tax", "energy"], "front", lines=False)
    assert b'id="front-line"' in lp[1] and b'id="front-line"' not in mip[1]
    assert mip[1].count(b"<use ") == lp[1].count(b"<use ")  # the same points drawn
