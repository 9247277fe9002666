"""The command line: exit codes, formats, export, check diffs, and a light `--help`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from support import REPO, SCENARIOS

EXAMPLE = str(SCENARIOS / "format_example.yaml")
INFEASIBLE = str(SCENARIOS / "teaching" / "t10_infeasible.yaml")


def test_exit_0_on_optimal(run_cli):
    r = run_cli("solve", EXAMPLE)
    assert r.code == 0, r.err
    assert "30,600" in r.out


def test_exit_1_on_infeasible_with_diagnosis(run_cli):
    r = run_cli("solve", INFEASIBLE)
    assert r.code == 1
    assert "infeasible" in r.out and "per-mu-tax" in r.out
    d = json.loads(run_cli("solve", INFEASIBLE, "--format", "json").out)
    assert d["status"] == "infeasible"
    (entry,) = d["diagnosis"]
    assert entry["target"] == "rule" and entry["id"] == "per-mu-tax" and entry["group"] == {"area": "east"}
    assert entry["bound"] == "min" and entry["value"] == 32.0
    assert entry["relaxed"] == pytest.approx(30.0, rel=1e-4)
    assert entry["unit"] in ("万元/mu", "万元/亩")
    assert entry["text"].startswith("per-mu-tax @ east: min 32 → 30")


def test_exit_1_on_unbounded(run_cli, tmp_path):
    f = tmp_path / "unbounded.yaml"
    f.write_text("version: 1\nresources: {energy: {unit: tce, budget: 10}}\nmetrics: {tax: {unit: 万元}}\n"
                 "sectors: {a: {per_mu: {tax: 5}}}\nareas: {x: {role: main}}\nobjective: {maximize: tax}\n",
                 encoding="utf-8")
    r = run_cli("solve", str(f), "--format", "json")
    assert r.code == 1
    d = json.loads(r.out)
    assert d["status"] == "unbounded"
    assert "capacity" in d["message"]


def test_exit_2_on_bad_input(run_cli):
    r = run_cli("solve", str(REPO / "tests" / "data" / "bad" / "misspelt_key.yaml"))
    assert r.code == 2
    assert "did you mean 'budget'" in r.err and "Traceback" not in r.err


def test_exit_3_on_expect_mismatch_with_a_readable_diff(run_cli, tmp_path):
    f = tmp_path / "wrong.yaml"
    text = (SCENARIOS / "format_example.yaml").read_text(encoding="utf-8")
    f.write_text(text.replace("extends", "extends").replace("objective: {value: 30600.0", "objective: {value: 31000.0"),
                 encoding="utf-8")
    r = run_cli("check", str(f))
    assert r.code == 3
    assert "FAIL" in r.out and "objective" in r.out
    assert "expected: 31000" in r.out and "got:      30600" in r.out


def test_json_is_byte_identical_across_runs(run_cli):
    a = run_cli("solve", EXAMPLE, "--format", "json").out
    b = run_cli("solve", EXAMPLE, "--format", "json").out
    assert a == b


def test_out_writes_the_same_bytes(run_cli, tmp_path):
    out = tmp_path / "r.json"
    r = run_cli("solve", EXAMPLE, "--format", "json", "--out", str(out))
    assert r.code == 0 and r.out == ""
    assert out.read_text(encoding="utf-8") == run_cli("solve", EXAMPLE, "--format", "json").out
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_lp_and_mps(run_cli, tmp_path):
    lp, mps = tmp_path / "m.lp", tmp_path / "m.mps"
    r = run_cli("export", EXAMPLE, "--lp", str(lp), "--mps", str(mps))
    assert r.code == 0, r.err
    assert "columns" in r.out
    text = lp.read_text()
    assert text.lower().startswith(("\\", "max", "maximize"))
    assert "ROWS" in mps.read_text()


def test_export_round_trip_through_cbc(run_cli, tmp_path):
    """The exported MPS, solved by CBC on its own, gives the scenario's optimum."""
    pulp = pytest.importorskip("pulp")
    mps = tmp_path / "m.mps"
    assert run_cli("export", EXAMPLE, "--mps", str(mps)).code == 0
    _, prob = pulp.LpProblem.fromMPS(str(mps), sense=pulp.LpMaximize)
    prob.solve(pulp.PULP_CBC_CMD(msg=False))
    assert pulp.value(prob.objective) == pytest.approx(30600.0, rel=1e-6)


def test_solvers_lists_backends(run_cli):
    r = run_cli("solvers")
    assert r.code == 0
    for name in ("highs", "clp", "glop", "cbc", "pdlp"):
        assert name in r.out
    assert "--solver auto picks for an LP" in r.out


def test_unknown_solver_names_alternatives(run_cli):
    r = run_cli("solve", EXAMPLE, "--solver", "gurobi")
    assert r.code == 1
    assert "unknown solver 'gurobi'" in r.err and "highs" in r.err


def test_set_and_variant_options(run_cli, tmp_path):
    r = run_cli("solve", EXAMPLE, "--format", "json", "--set", "sectors.pv.max_land=500")
    d = json.loads(r.out)
    # 500 亩 of PV in the core allows 500/0.7 - 500 = 214.29 亩 of crystal: 45*500 + 14*214.2857 = 25500
    assert d["objective"] == pytest.approx(25500.0, rel=1e-6)


def test_validate_reports_valid(run_cli):
    r = run_cli("validate", EXAMPLE)
    assert r.code == 0 and "valid" in r.out


HEAVY = {"pandas", "numpy", "scipy", "pulp", "ortools", "highspy", "matplotlib", "xlsxwriter", "openpyxl",
         "pydantic", "yaml", "tabulate"}


@pytest.mark.parametrize("args", [[], ["solve"], ["compare"], ["check"], ["validate"], ["export"], ["solvers"]],
                         ids=lambda a: " ".join(a) or "landopt")
def test_help_imports_nothing_heavy(args):
    """`landopt --help` and every subcommand's `--help` import none of the heavy libraries (sys.modules)."""
    code = (
        "import sys\nfrom landopt.cli import cli\n"
        f"try:\n    cli.main({args + ['--help']!r}, standalone_mode=False)\nexcept SystemExit:\n    pass\n"
        f"print(sorted(set({sorted(HEAVY)!r}) & {{m.split('.')[0] for m in sys.modules}}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr
