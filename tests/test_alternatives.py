"""`landopt alternatives`: plans within a slack of the optimum that put the land elsewhere
(landopt/explore/alternatives.py): each feasible (the independent checker, and every row recomputed), within
the slack, and distinct; on an LP and on the MILP teaching scenario."""

from __future__ import annotations

import csv
import io
import sys

import numpy as np
import pytest

import landopt
from landopt.explore.alternatives import alternatives
from landopt.explore.plans import OptionError
from support import SCENARIOS


def _rows_hold(model, x: np.ndarray, tol: float = 1e-6) -> bool:
    """Every row and column bound of the model, recomputed at x."""
    p = model.problem
    ax = p.A @ x
    scale = 1.0 + np.abs(ax)
    return bool(np.all(ax >= p.row_lo - tol * scale) and np.all(ax <= p.row_hi + tol * scale)
                and np.all(x >= p.col_lo - tol) and np.all(x <= p.col_hi + tol))


@pytest.mark.parametrize(("name", "optimum"), [("t01_cap.yaml", 2200.0), ("t11_projects.yaml", 3720.0)])
def test_alternatives_are_feasible_within_the_slack_and_distinct(name, optimum):
    spec = landopt.load(SCENARIOS / "teaching" / name).spec
    found = alternatives(spec, slack=0.05, n=4)
    assert found.optimum == pytest.approx(optimum, abs=1e-6)
    assert found.bound == pytest.approx(0.95 * optimum, abs=1e-5)
    assert len(found.plans) == 5  # the optimum and four alternatives
    c = found.model.stage_objective(0)
    for k, plan in enumerate(found.plans):
        assert plan.result.checker["passed"] is True
        assert _rows_hold(found.model, plan.x)
        value = float(c @ plan.x)
        assert value == pytest.approx(plan.objective, abs=1e-9 * optimum)
        assert value >= 0.95 * optimum - 1e-6 * optimum
        assert 0.0 <= found.gap(plan) <= 0.05 + 1e-9
        for other in found.plans[:k]:
            assert float(np.abs(plan.land - other.land).sum()) > 1e-3
    if found.model.problem.is_mip:
        z = found.model.cols.block("z")
        for plan in found.plans:
            assert np.allclose(z.of(plan.x), np.round(z.of(plan.x)), atol=1e-6)


def test_the_first_alternative_avoids_the_pairs_the_optimum_uses():
    """Hop-skip-jump: t01's optimum uses core chips, core textiles and east chips; within 5% of its tax the
    first alternative puts as little land as it can there (east textiles take the rest)."""
    spec = landopt.load(SCENARIOS / "teaching" / "t01_cap.yaml").spec
    found = alternatives(spec, slack=0.05, n=1)
    keys = found.pairs.keys
    used = [k for k, v in zip(keys, found.plans[0].land.tolist(), strict=True) if v > 1e-6]
    assert set(used) == {("core", "chip"), ("core", "textile"), ("east", "chip")}
    first = dict(zip(keys, found.plans[1].land.tolist(), strict=True))
    before = sum(dict(zip(keys, found.plans[0].land.tolist(), strict=True))[k] for k in used)
    assert found.plans[1].how == "hsj"
    assert sum(first[k] for k in used) < before - 1.0
    assert first[("east", "textile")] > 1.0


def test_the_same_alternatives_every_run():
    spec = landopt.load(SCENARIOS / "teaching" / "t01_cap.yaml").spec
    a, b = alternatives(spec, slack=0.05, n=4), alternatives(spec, slack=0.05, n=4)
    assert [p.land.tolist() for p in a.plans] == [p.land.tolist() for p in b.plans]


@pytest.mark.parametrize(("kwargs", "where"), [({"slack": -0.1}, "--slack"), ({"slack": 1.0}, "--slack"),
                                               ({"slack": float("nan")}, "--slack"), ({"n": 0}, "--n")])
def test_bad_values_are_located_bilingual_errors(kwargs, where):
    spec = landopt.load(SCENARIOS / "teaching" / "t01_cap.yaml").spec
    with pytest.raises(OptionError) as e:
        alternatives(spec, **kwargs)
    assert e.value.exit_code == 2
    assert e.value.render("en").startswith(where + ": ") and e.value.render("zh").startswith(where + ": ")
    assert e.value.render("en") != e.value.render("zh")


def test_alternatives_command_writes_each_plan_and_the_table(run_cli, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "alt"
    r = run_cli("alternatives", str(SCENARIOS / "teaching" / "t11_projects.yaml"), "--slack", "0.05", "--n", "3",
                "--out", str(out), "--lang", "zh")
    assert r.code == 0, r.err
    rows = list(csv.DictReader(io.StringIO((out / "alternatives.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == 4 and rows[0]["found_by"] == "optimum"
    assert float(rows[0]["objective"]) == pytest.approx(3720.0)
    for row in rows:
        assert 0.0 <= float(row["gap"]) <= 0.05 + 1e-9
        assert float(row["core"]) + float(row["east"]) > 0.0
        plan = out / row["allocation"]
        assert plan.name == f"plan_{int(row['plan']):02d}.parquet" and plan.exists()
        land = pq.read_table(plan).to_pydict()
        assert set(land) == {"area", "sector", "project", "year", "land"}
        area_land = {a: sum(v for x, v in zip(land["area"], land["land"], strict=True) if x == a)
                     for a in ("core", "east")}
        assert area_land == pytest.approx({a: float(row[a]) for a in area_land}, abs=1e-6)
    assert "最优方案" in r.out and "核心区" in r.out and "比最优值低" in r.out and "亩" in r.out


def test_alternatives_command_bad_slack_exits_2(run_cli, tmp_path):
    r = run_cli("alternatives", str(SCENARIOS / "teaching" / "t01_cap.yaml"), "--slack", "1", "--out",
                str(tmp_path / "o"))
    assert r.code == 2 and r.err.startswith("--slack: 1 is not in [0, 1)") and "Traceback" not in r.err
    assert not (tmp_path / "o").exists()


def test_alternatives_without_pyarrow_write_each_plan_as_csv(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from landopt.cli import cli

    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if the sweep extra were not installed
    out = tmp_path / "alt"
    r = CliRunner().invoke(cli, ["alternatives", str(SCENARIOS / "teaching" / "t02_floor.yaml"), "--slack", "0.05",
                                 "--n", "2", "--out", str(out)], prog_name="landopt")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO((out / "alternatives.csv").read_text(encoding="utf-8-sig"))))
    assert [row["allocation"] for row in rows] == [f"plan_{k:02d}.csv" for k in range(len(rows))]
    assert all((out / row["allocation"]).exists() for row in rows)
