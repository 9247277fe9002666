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
    """An unknown --solver is bad input (exit code 2), checked before the file is read, in every command."""
    r = run_cli("solve", EXAMPLE, "--solver", "gurobi")
    assert r.code == 2, r.err
    assert r.err.startswith("--solver: unknown solver 'gurobi'") and "highs" in r.err and "auto" in r.err
    r = run_cli("solve", EXAMPLE, "--solver", "hihgs", "--lang", "zh")
    assert r.code == 2 and "未知的求解器 'hihgs'" in r.err and "是否想写 'highs'?" in r.err
    for args in (("check", EXAMPLE), ("compare", EXAMPLE, EXAMPLE)):
        r = run_cli(*args, "--solver", "foo")
        assert r.code == 2 and "unknown solver 'foo'" in r.err, (args, r.err)


def test_solve_section_of_the_file_is_validated(run_cli, tmp_path):
    """`solve: {solver: gurobi, time_limit: -3}` is bad input at its line, for validate and for solve."""
    f = tmp_path / "s.yaml"
    f.write_text((SCENARIOS / "format_example.yaml").read_text(encoding="utf-8").replace(
        "objective:\n  maximize: tax", "solve: {solver: gurobi, time_limit: -3}\nobjective:\n  maximize: tax"),
        encoding="utf-8")
    for cmd in ("validate", "solve"):
        r = run_cli(cmd, str(f))
        assert r.code == 2, (cmd, r.err)
        assert "s.yaml:87:17 solve.solver: unknown solver 'gurobi'" in r.err
        assert "s.yaml:87:37 solve.time_limit: time limit -3 is not a positive number of seconds" in r.err


@pytest.mark.parametrize("value", ["-1", "0", "abc", "nan", "inf"])
def test_time_limit_must_be_a_positive_number(run_cli, value):
    r = run_cli("solve", EXAMPLE, "--time-limit", value)
    assert r.code == 2, r.err
    assert "Usage: landopt solve" in r.err and f"--time-limit: time limit {value} is not a positive number" in r.err
    r = run_cli("compare", EXAMPLE, "--time-limit", value, "--lang", "zh")
    assert r.code == 2 and "用法: landopt compare" in r.err and f"错误: --time-limit: 时间上限 {value} 不是正的秒数" in r.err
    assert "Usage" not in r.err and "Error" not in r.err


def test_time_limit_in_the_api_is_checked():
    import landopt
    from landopt.errors import InputError

    sc = landopt.load(EXAMPLE)
    with pytest.raises(InputError) as e:
        sc.solve(time_limit=-1)
    assert e.value.issues[0].code == "bad_time_limit" and "time_limit: time limit -1" in e.value.render()


def test_a_known_solver_that_is_not_installed_names_the_others(monkeypatch):
    """Exit code 1 (the input is fine, this machine lacks the library), with the usable solvers named."""
    from click.testing import CliRunner

    import solvers
    from landopt.cli import cli

    monkeypatch.setattr(solvers.BACKENDS["highs"], "is_available", classmethod(lambda cls: False))
    for lang, want in (("en", "solver 'highs' is not usable here"), ("zh", "求解器 'highs' 在本机不可用")):
        r = CliRunner().invoke(cli, ["solve", EXAMPLE, "--solver", "highs", "--lang", lang])
        assert r.exit_code == 1, r.output
        assert want in r.output and "--solver clp" in r.output and "highs |" not in r.output


def test_check_reports_unknown_expect_ids_as_bad_input(run_cli, tmp_path):
    """Unknown ids in expect.binding and expect.diagnosis are exit code 2 with a did-you-mean, not a mismatch."""
    f = tmp_path / "e.yaml"
    f.write_text((SCENARIOS / "format_example.yaml").read_text(encoding="utf-8").replace(
        "expect:\n  status: optimal",
        "expect:\n  binding: [tilt-lnd, enrgy]\n  diagnosis: [{target: rule, id: nope}]\n  status: optimal"),
        encoding="utf-8")
    r = run_cli("validate", str(f))
    assert r.code == 2
    assert "e.yaml:92:13 expect.binding.0: unknown rule or resource 'tilt-lnd'" in r.err
    assert "did you mean 'tilt-land'?" in r.err and "did you mean 'energy'?" in r.err
    assert "e.yaml:93:34 expect.diagnosis.0.id: unknown rule 'nope'" in r.err
    r = run_cli("check", str(f))
    assert r.code == 2 and "did you mean 'tilt-land'?" in r.out and "FAIL" not in r.out


def test_check_diff_in_chinese(run_cli, tmp_path):
    f = tmp_path / "wrong.yaml"
    f.write_text((SCENARIOS / "format_example.yaml").read_text(encoding="utf-8").replace(
        "objective: {value: 30600.0", "objective: {value: 31000.0"), encoding="utf-8")
    r = run_cli("check", str(f), "--no-variants", "--lang", "zh")
    assert r.code == 3
    assert r.out.splitlines() == [f"不符  {f} [{r.out.split('[')[1].split(']')[0]}]", "  目标函数值",
                                  "    应为: 31000 (rel_tol 1e-06)", "    实际: 30600", "通过 0 个, 失败 1 个, 未核查 0 个"]


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
"""Includes the issue's list (pandas, ortools, pulp, matplotlib, xlsxwriter)."""


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
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr
    assert "Usage" in proc.stdout


def test_validate_names_the_variants_it_checked(run_cli):
    r = run_cli("validate", str(REPO / "scenarios" / "format_example.yaml"))
    assert r.code == 0 and "valid, with its 2 variants (strict_tilt, tight_energy)" in r.out
    r = run_cli("validate", str(REPO / "scenarios" / "format_example.yaml"), "--lang", "zh")
    assert r.code == 0 and "有效，含全部 2 个变体" in r.out


def test_the_library_path_keeps_garbage_collection_and_the_usual_exit():
    """`cli` run in-process (click's CliRunner, as the tests and a library user do) leaves the interpreter as it was:
    garbage collection on, no os._exit; only the console entry point (`main`) turns them off (see its docstring)."""
    import gc

    from click.testing import CliRunner

    from landopt import cli as cli_module

    assert gc.isenabled()
    for args in (["solve", EXAMPLE, "--format", "json"], ["sweep", EXAMPLE, "--vary", "x", "--out", "unused"]):
        result = CliRunner().invoke(cli_module.cli, args)
        assert result.exit_code in (0, 2), result.output
        assert gc.isenabled() and not cli_module._Entry.active
