"""`landopt check`: not checked is not passed, JUnit and JSON output for CI, and `--record` (issue 8 §3.3)."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from types import SimpleNamespace

import pytest
import yaml
from click.testing import CliRunner

from landopt.cli import cli
from landopt.i18n.text import Bi
from support import REPO, SCENARIOS

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow

EXAMPLE = SCENARIOS / "format_example.yaml"
INFEASIBLE = SCENARIOS / "teaching" / "t10_infeasible.yaml"
BOTH = "strict_tilt,tight_energy"


def _without_expect(text: str) -> str:
    """format_example.yaml with no expect block and no variants."""
    return text.split("\nexpect:\n")[0] + "\n"


@pytest.fixture
def cases(tmp_path):
    """A folder with a passing, a failing, an unchecked and a bad file (and an extends fragment)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    (tmp_path / "a_pass.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "b_fail.yaml").write_text(text.replace("objective: {value: 30600.0", "objective: {value: 31000.0"),
                                          encoding="utf-8")
    (tmp_path / "c_none.yaml").write_text(_without_expect(text), encoding="utf-8")
    (tmp_path / "d_bad.yaml").write_text(text.replace("budget: 1200", "budjet: 1200"), encoding="utf-8")
    return tmp_path


# ------------------------------------------------------------ not checked
def test_a_file_without_expect_is_not_checked_not_passed(run_cli, tmp_path):
    f = tmp_path / "plain.yaml"
    f.write_text(_without_expect(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    r = run_cli("check", str(f))
    assert r.code == 0, r.out + r.err
    assert r.out.splitlines() == [
        f"NOT CHECKED {f}: no expect block (`landopt check FILE --record` prints one to paste)",
        "0 passed, 0 failed, 1 not checked"]
    r = run_cli("check", str(f), "--lang", "zh")
    assert r.code == 0 and r.out.splitlines()[-1] == "通过 0 个, 失败 0 个, 未核查 1 个"
    assert r.out.startswith(f"未核查 {f}: 没有 expect 块")


def test_an_expect_block_that_expects_nothing_is_not_checked(run_cli, tmp_path):
    f = tmp_path / "empty.yaml"
    f.write_text(_without_expect(EXAMPLE.read_text(encoding="utf-8")) + "expect: {checks: []}\n", encoding="utf-8")
    r = run_cli("check", str(f))
    assert r.code == 0, r.out + r.err
    assert "NOT CHECKED" in r.out and "expects nothing" in r.out
    assert r.out.splitlines()[-1] == "0 passed, 0 failed, 1 not checked"


def test_counts_and_exit_code_over_a_folder(run_cli, cases):
    r = run_cli("check", str(cases), "--no-variants")
    assert r.code == 3, r.out + r.err  # the worst outcome: a difference (3) over bad input (2)
    assert r.out.splitlines()[-1] == "1 passed, 2 failed, 1 not checked"
    assert f"ok    {cases / 'a_pass.yaml'} [" in r.out
    assert f"FAIL  {cases / 'b_fail.yaml'} [" in r.out and "expected: 31000" in r.out
    assert f"NOT CHECKED {cases / 'c_none.yaml'}" in r.out
    assert f"ERROR {cases / 'd_bad.yaml'}" in r.out and "did you mean 'budget'" in r.out


def test_check_reports_such_a_combination_as_not_checked(run_cli, tmp_path):
    junit = tmp_path / "j.xml"
    for lang, words in (("en", ["NOT CHECKED", "strict_tilt, tight_energy", "0 passed, 0 failed, 1 not checked"]),
                        ("zh", ["未核查", "各有自己的 expect", "通过 0 个, 失败 0 个, 未核查 1 个"])):
        r = run_cli("check", str(EXAMPLE), "--variant", BOTH, "--junit", str(junit), "--lang", lang)
        assert r.code == 0, r.out + r.err
        for w in words:
            assert w in r.out, (w, r.out)
        assert "ok " not in r.out and "通过  " not in r.out
    xml = junit.read_text(encoding="utf-8")
    assert 'skipped="1"' in xml and "<skipped" in xml and 'failures="0"' in xml


def test_one_variant_given_as_a_comma_list_is_checked_alone(run_cli):
    r = run_cli("check", str(EXAMPLE), "--variant", "tight_energy,")
    assert r.code == 0, r.out + r.err
    assert r.out.splitlines()[-1] == "1 passed, 0 failed, 0 not checked" and "28527.27273" in r.out


# ------------------------------------------------------------------ JUnit
def _junit(path):
    root = ET.parse(path).getroot()
    return root, {(tc.get("classname"), tc.get("name")): tc for tc in root.iter("testcase")}


def test_junit_has_one_case_per_file_and_variant_with_failures_errors_and_skips(run_cli, cases):
    out = cases / "reports" / "junit.xml"  # the folder is created
    r = run_cli("check", str(cases), "--junit", str(out))
    assert r.code == 3
    root, tcs = _junit(out)
    assert root.tag == "testsuites"
    # a_pass and b_fail each run base + 2 variants; c_none and d_bad one case each
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("8", "1", "1", "1")
    assert [s.get("name") for s in root.iter("testsuite")] == [str(cases / n) for n in
                                                               ("a_pass.yaml", "b_fail.yaml", "c_none.yaml", "d_bad.yaml")]
    cls = str(cases / "b_fail")
    assert set(n for c, n in tcs if c == cls) == {"base [auto]", "strict_tilt [auto]", "tight_energy [auto]"}
    (fail,) = tcs[(cls, "base [auto]")].findall("failure")
    assert fail.get("type") == "expect_mismatch" and "1 difference" in fail.get("message")
    assert "expected: 31000 (rel_tol 1e-06)" in fail.text and "got:      30600" in fail.text
    assert tcs[(cls, "strict_tilt [auto]")].find("failure") is None  # the variant's own expect holds
    assert "status optimal" in tcs[(cls, "base [auto]")].find("system-out").text
    (skip,) = tcs[(str(cases / "c_none"), "base [auto]")].findall("skipped")
    assert "not checked: no expect block" in skip.get("message")
    (err,) = tcs[(str(cases / "d_bad"), "base [auto]")].findall("error")
    assert err.get("type") == "bad_input" and "did you mean 'budget'" in err.text
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_junit_in_chinese(run_cli, cases):
    out = cases / "j.xml"
    r = run_cli("check", str(cases), "--no-variants", "--junit", str(out), "--lang", "zh")
    assert r.code == 3
    _, tcs = _junit(out)
    fail = tcs[(str(cases / "b_fail"), "base [auto]")].find("failure")
    assert "expect 不符: 1 处差异" == fail.get("message") and "应为: 31000" in fail.text
    assert tcs[(str(cases / "c_none"), "base [auto]")].find("skipped").get("message").startswith("未核查: 没有 expect 块")
    assert tcs[(str(cases / "d_bad"), "base [auto]")].find("error").get("message") == "输入有误"


def test_junit_has_a_case_per_solver(run_cli, tmp_path):
    import solvers

    f = tmp_path / "plain.yaml"
    f.write_text(_without_expect(EXAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    out = tmp_path / "j.xml"
    r = run_cli("check", str(f), str(EXAMPLE), "--no-variants", "--all-solvers", "--junit", str(out))
    assert r.code == 0, r.out + r.err
    lp = [row.name for row in solvers.describe_backends() if row.available and "lp" in row.capabilities]
    _, tcs = _junit(out)
    assert sorted(n for c, n in tcs if c == str(SCENARIOS / "format_example")) == sorted(f"base [{b}]" for b in lp)
    unchecked = [tc for (c, _), tc in tcs.items() if c == str(tmp_path / "plain")]
    assert len(unchecked) == len(lp) and all(tc.find("skipped") is not None for tc in unchecked)


def test_junit_and_json_are_written_even_when_a_check_fails_and_never_half(run_cli, cases):
    out = cases / "j.xml"
    out.write_text("old", encoding="utf-8")
    r = run_cli("check", str(cases / "b_fail.yaml"), "--no-variants", "--junit", str(out), "--json",
                str(cases / "r.json"))
    assert r.code == 3
    assert out.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert json.loads((cases / "r.json").read_text(encoding="utf-8"))["exit_code"] == 3
    r = run_cli("check", str(cases / "b_fail.yaml"), "--junit", str(cases))  # a folder: refused, nothing written
    assert r.code == 2 and "Traceback" not in r.err
    assert not [p for p in cases.iterdir() if p.name.endswith(".tmp")]


# ------------------------------------------------------------------- JSON
def test_json_lists_every_case_and_the_counts(run_cli, cases):
    out = cases / "r.json"
    r = run_cli("check", str(cases), "--no-variants", "--json", str(out))
    assert r.code == 3
    d = json.loads(out.read_text(encoding="utf-8"))
    assert (d["passed"], d["failed"], d["not_checked"], d["exit_code"]) == (1, 2, 1, 3)
    by_file = {c["file"].rsplit("/", 1)[-1]: c for c in d["cases"]}
    assert by_file["a_pass.yaml"]["outcome"] == "passed" and by_file["a_pass.yaml"]["objective"] == 30600.0
    fail = by_file["b_fail.yaml"]
    assert fail["outcome"] == "failed" and fail["differences"] == [
        {"what": "objective", "expected": "31000 (rel_tol 1e-06)", "got": "30600"}]
    assert by_file["c_none.yaml"]["outcome"] == "not_checked" and "no expect block" in by_file["c_none.yaml"]["reason"]
    assert by_file["d_bad.yaml"]["outcome"] == "error" and "budjet" in by_file["d_bad.yaml"]["error"]
    again = cases / "r2.json"
    run_cli("check", str(cases), "--no-variants", "--json", str(again))
    assert again.read_bytes() == out.read_bytes()  # no timings: the same run gives the same bytes


# ----------------------------------------------------------------- record
def test_record_prints_an_expect_block_that_the_file_then_passes(run_cli, tmp_path):
    f = tmp_path / "plain.yaml"
    text = _without_expect(EXAMPLE.read_text(encoding="utf-8"))
    f.write_text(text, encoding="utf-8")
    before = f.read_bytes(), os.stat(f).st_mtime_ns
    r = run_cli("check", str(f), "--record")
    assert r.code == 0, r.out + r.err
    assert (f.read_bytes(), os.stat(f).st_mtime_ns) == before  # the file is never touched
    block = yaml.safe_load(r.out)
    assert block == {"expect": {"status": "optimal", "objective": {"value": 30600, "rel_tol": 1e-6}}}
    assert "# binding: [tilt-land]" in r.out and "landopt never edits the file" in r.out
    pasted = tmp_path / "pasted.yaml"
    pasted.write_text(text + r.out, encoding="utf-8")
    r = run_cli("check", str(pasted))
    assert r.code == 0 and r.out.splitlines()[-1] == "1 passed, 0 failed, 0 not checked", r.out


def test_record_writes_each_variant_under_its_name(run_cli):
    r = run_cli("check", str(EXAMPLE), "--record", "--lang", "zh")
    assert r.code == 0, r.err
    d = yaml.safe_load(r.out)
    assert d["expect"]["objective"]["value"] == 30600
    assert d["variants"]["strict_tilt"]["expect"]["objective"]["value"] == 29100
    assert d["variants"]["tight_energy"]["expect"]["objective"]["value"] == pytest.approx(28527.272727, rel=1e-9)
    assert "landopt 不会修改文件" in r.out
    one = yaml.safe_load(run_cli("check", str(EXAMPLE), "--record", "--variant", "tight_energy").out)
    assert list(one) == ["variants"] and list(one["variants"]) == ["tight_energy"]


def test_record_of_an_infeasible_scenario_lists_the_diagnosis(run_cli, tmp_path):
    r = run_cli("check", str(INFEASIBLE), "--record")
    assert r.code == 0, r.err
    assert yaml.safe_load(r.out)["expect"] == {"status": "infeasible", "diagnosis": [
        {"target": "rule", "id": "per-mu-tax", "group": {"area": "east"}, "bound": "min", "relaxed": 30}]}
    # the file with its own expect replaced by the recorded one passes
    over = tmp_path / "over.yaml"
    (tmp_path / "_fragments").mkdir()
    (tmp_path / "_fragments" / "base.yaml").write_bytes((INFEASIBLE.parent / "_fragments" / "base.yaml").read_bytes())
    body = INFEASIBLE.read_text(encoding="utf-8").split("\nexpect:")[0] + "\n"
    over.write_text(body + r.out, encoding="utf-8")
    r = run_cli("check", str(over))
    assert r.code == 0 and "1 passed" in r.out, r.out


def test_record_refuses_what_it_cannot_record_in_both_languages(run_cli, tmp_path):
    for args, en, zh in (
            (["scenarios"], "give exactly one FILE", "请只给一个文件"),
            ([str(EXAMPLE), "--variant", BOTH], "give at most one --variant", "--variant 至多给一个"),
            ([str(EXAMPLE), "--junit", str(tmp_path / "j.xml")], "does not go with --junit", "不能与 --junit")):
        r = run_cli("check", *args, "--record")
        assert r.code == 2 and en in r.err and "Traceback" not in r.err, r.err
        r = run_cli("check", *args, "--record", "--lang", "zh")
        assert r.code == 2 and zh in r.err and "错误:" in r.err, r.err
    assert not (tmp_path / "j.xml").exists()


def test_record_leaves_out_a_result_expect_cannot_name(monkeypatch):
    """A time limit is not an expectation: the case is left out with the reason, exit code 1."""
    import landopt.scenario

    fake = SimpleNamespace(status="time_limit", solver="clp", objective=None, rows=[], diagnosis=None, message="",
                           explain=Bi("the time limit ran out", "已达时间上限"))
    monkeypatch.setattr(landopt.scenario.Scenario, "solve", lambda self, **kw: fake)
    for lang, want in (("en", "not recorded: the solve ended with status time_limit; the time limit ran out"),
                       ("zh", "未记录: 求解结束状态为 达到时间上限; 已达时间上限")):
        r = CliRunner().invoke(cli, ["check", str(EXAMPLE), "--record", "--no-variants", "--lang", lang])
        assert r.exit_code == 1, r.output
        assert want in r.output and "\nexpect:" not in r.output


def test_check_help_names_the_new_options(run_cli):
    r = run_cli("check", "--help")
    assert r.code == 0 and "--junit" in r.out and "--json" in r.out and "--record" in r.out
    assert "not checked" in r.out


def test_readme_documents_the_check_options():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    for word in ("--junit", "--json", "--record", "not checked", "docs/format.md"):
        assert word in text, word
