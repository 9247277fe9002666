"""The bad-input catalogue: every case in tests/data/bad/ gives exit code 2 and a located message.

`tests/data/bad/index.json` says, for each file: the issue `code`, the `line` and `col` it must point
at, text the message must contain, extra CLI `args`, the exit code, and (`all`) every code expected
when one file holds several problems. The messages come from `landopt.i18n.messages.CATALOGUE`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import landopt
from landopt.cli import cli
from landopt.errors import InputError
from landopt.i18n.messages import CATALOGUE, render
from support import BAD

INDEX = json.loads((BAD / "index.json").read_text(encoding="utf-8"))


def _api_issues(path: Path, args: list[str]):
    variants, sets = [], []
    it = iter(args)
    for a in it:
        (variants if a == "--variant" else sets).append(next(it))
    try:
        landopt.load(path, tuple(v for x in variants for v in x.split(",")), tuple(sets))
    except InputError as e:
        return e.issues
    return []


def _cli(args: list[str]):
    result = CliRunner().invoke(cli, args, catch_exceptions=True)
    return result.exit_code, result.output, result.exception


_WHOLE_FILE = {"top_not_mapping", "yaml_alias_bomb", "yaml_multiple_documents", "yaml_syntax", "yaml_tab",
               "yaml_too_deep", "fullwidth_colon", "yaml_indent", "yaml_unclosed", "yaml_missing_colon", "yaml_bad_char",
               "yaml_stray_bracket", "yaml_bad_escape", "yaml_bad_anchor", "yaml_undefined_alias"}
"""Problems of the file as a whole, or found before its keys are known: they have a place but no key path."""


@pytest.mark.parametrize("name", sorted(INDEX))
def test_catalogue_case(name):
    case = INDEX[name]
    path = BAD / name
    code, out, exc = _cli(["validate", str(path), *case.get("args", [])])
    assert "Traceback" not in out
    assert exc is None or isinstance(exc, SystemExit), repr(exc)
    assert code == case["exit"], out
    if case["exit"] == 0:
        return
    issues = _api_issues(path, case.get("args", []))
    codes = [i.code for i in issues]
    assert case["code"] in codes, (codes, out)
    issue = next(i for i in issues if i.code == case["code"])
    if "line" in case:
        assert issue.mark is not None and issue.mark.line == case["line"], (issue.format(), case)
        assert f":{case['line']}:" in out
    if "col" in case:
        assert issue.mark.col == case["col"], (issue.format(), case)
    for text in case.get("contains", []):
        assert text in out, (text, out)
    # inside the document, every message names the key path (the whole file's problems cannot)
    for i in issues:
        if i.code not in _WHOLE_FILE and not i.code.startswith(("encoding_", "file_", "set_")):
            assert i.path and f" {i.path}:" in i.format(), (i.code, i.format())
    for c in case.get("all", []):
        assert c in codes, (c, codes)
    if "all" in case:
        assert len([i for i in issues if i.severity == "error"]) >= len(case["all"])
    # the path and the file name lead every line that names a location (the table's, for a cell of a table)
    assert str(path.name) in out or issue.file in ("--set", "--variant") or "--set" in out \
        or (issue.mark is not None and Path(issue.mark.file).name in out)


def test_missing_file():
    code, out, _ = _cli(["validate", str(BAD / "does_not_exist.yaml")])
    assert code == 2 and "file not found" in out and "does_not_exist.yaml" in out


def test_directory_instead_of_file():
    code, out, _ = _cli(["validate", str(BAD)])
    assert code == 2 and "is a directory" in out


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_device_file_is_refused_without_reading_it(tmp_path, device):
    if not Path(device).exists():
        pytest.skip(f"{device} does not exist here")
    code, out, _ = _cli(["validate", device])
    assert code == 2 and "not a regular file" in out
    f = tmp_path / "s.yaml"  # through extends too, where a file received from outside could point
    f.write_text(f"extends: {device}\n", encoding="utf-8")
    code, out, _ = _cli(["validate", str(f)])
    assert code == 2 and "not a regular file" in out and device in out


def test_a_foreign_file_named_by_extends_is_not_echoed(tmp_path):
    secret = tmp_path / "id_rsa"
    secret.write_text("-----BEGIN OPENSSH PRIVATE KEY-----b3BlbnNzaC1rZXktdjEAAAAABG5vbmU\n", encoding="utf-8")
    f = tmp_path / "s.yaml"
    f.write_text(f"extends: {secret.name}\n", encoding="utf-8")
    code, out, _ = _cli(["validate", str(f)])
    assert code == 2 and "top level" in out and "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU" not in out


def test_file_too_large(tmp_path):
    from landopt.input.reader import MAX_FILE_BYTES

    big = tmp_path / "big.yaml"
    with big.open("w") as fh:
        fh.write("version: 1\n")
        line = "# " + "x" * 1000 + "\n"
        for _ in range(MAX_FILE_BYTES // len(line) + 2):
            fh.write(line)
    code, out, _ = _cli(["validate", str(big)])
    assert code == 2 and "larger than the limit" in out


def test_every_error_code_is_exercised():
    """Each message in the catalogue is produced by at least one real input in the suite."""
    produced = {c["code"] for c in INDEX.values() if "code" in c}
    produced |= {c for v in INDEX.values() for c in v.get("all", [])}
    produced |= {"file_missing", "file_is_directory", "file_too_large", "file_not_regular"}  # tests above
    produced |= {"stock_metric_missing", "scaling_range", "no_duals", "canonical_skipped",  # tests/test_warnings.py
                 "fixed_lp_skipped", "canonical_sites"}  # tests/test_projects.py
    produced |= {"yaml_too_many_nodes", "file_link_loop", "extends_link_loop", "extends_too_deep", "file_unreadable",
                 "extends_outside", "extends_not_scenario"}  # tests/test_hostile.py (generated files, links)
    produced |= {"resource_unused", "empty_value", "area_no_sectors", "share_part_empty", "rule_selects_nothing",
                 "metric_zero_in_rule"}  # warnings: tests/test_slips.py
    produced |= {"solver_unavailable"}  # at solve time, exit code 1: tests/test_cli.py
    produced |= {"vary_syntax", "vary_range", "vary_path_missing", "vary_type", "vary_twice", "sweep_option",
                 "sweep_dir_taken", "sweep_resume_differs", "sweep_needs_package", "sweep_scheduler"}  # tests/test_sweep.py
    produced |= {"table_missing", "table_kind", "table_sheet_csv", "table_sheet_missing", "table_needs_extra",
                 "table_unreadable", "table_empty", "table_no_id", "table_header_unknown", "table_header_unit",
                 "table_header_unit_not_here", "table_duplicate_column", "table_row_no_id", "table_duplicate_id",
                 "table_not_number", "table_cell_error", "table_formula_no_value", "table_formulas_read",
                 "table_hidden_rows"}  # tests/test_tables.py (tables written by the tests, CSV and xlsx)
    produced |= {"template_needs_extra"}  # tests/test_template.py (openpyxl made missing)
    missing = sorted(set(CATALOGUE) - produced)
    assert not missing, f"no bad-input case produces: {missing}"


@pytest.mark.parametrize("code", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_message_renders(code, lang):
    """Templates render with the parameters their producers give (no KeyError fallback)."""
    params = {k: "x" for k in ("path", "encoding", "size", "limit", "byte", "got", "problem", "hint", "key", "first", "nodes",
                                "tag", "raw", "unit", "known", "expected", "metric", "allowed", "what", "rule",
                                "kind", "lo", "hi", "missing", "target", "cycle", "a", "b", "parent", "value", "old",
                                "new", "sector", "area", "rid", "other", "have", "ratio", "keys", "solver",
                                "required", "here", "library", "alternatives", "fixed", "head", "name", "char", "stock", "also",
                                "meaning", "role", "year", "folder", "error",
                                "code", "opener", "closer", "line", "escape", "project", "last",
                                "suffix", "section", "row", "id", "formula", "cells", "rows")}
    params.update({"n": 2, "size": 1, "limit": 2, "nodes": 3, "value": 1.5, "lo": 1.0, "hi": 2.0, "ratio": 1e9, "percent": 150.0,
                   "fixed": 0.015, "min": 0.7, "least": 0.01})
    text = render(code, params, lang)
    assert not text.startswith(code + ":"), text
    assert ";" in text  # what is wrong; expected ...; fix


@pytest.mark.parametrize("code", sorted(CATALOGUE))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_message_has_a_fix(code, lang):
    """What is wrong; what was expected; how to fix it: three parts even when no did-you-mean was found."""
    params = {k: "x" for k in ("path", "encoding", "got", "problem", "key", "first", "tag", "raw", "unit", "known", "expected",
                                "metric", "allowed", "what", "rule", "kind", "missing", "target", "cycle", "a", "b",
                                "parent", "old", "new", "sector", "area", "rid", "other", "have", "keys", "solver",
                                "required", "here", "library", "alternatives", "byte", "fixed", "head", "name", "char", "stock", "also",
                                "meaning", "role", "year", "folder", "error",
                                "code", "opener", "closer", "line", "escape", "project", "last",
                                "suffix", "section", "row", "id", "formula", "cells", "rows")}
    params.update({"n": 2, "size": 1, "limit": 2, "nodes": 3, "value": 1.5, "lo": 1.0, "hi": 2.0, "ratio": 1e9,
                   "suggest": "", "hint": "", "example": "", "percent": 150.0, "fixed": 0.015, "min": 0.7, "least": 0.01})
    parts = [p.strip() for p in render(code, params, lang).split("; ")]
    assert len(parts) >= 3 and all(parts), parts


def _issues(path: Path) -> list:
    try:
        landopt.load(path)
    except InputError as e:
        return e.issues
    return []


def test_a_misspelt_required_key_is_one_message(tmp_path):
    """`rol:` for `role:` is one problem: no separate "required key 'role' is missing"."""
    issues = _issues(BAD / "misspelt_required_keys.yaml")
    assert [i.code for i in issues] == ["misspelt_required_key"] * 3
    assert not any(i.code == "missing_key" for i in issues)
    code, out, _ = _cli(["validate", str(BAD / "misspelt_required_keys.yaml")])
    assert code == 2 and out.count("'role' is missing") == 1 and "add it" not in out
    # a key that is missing without a look-alike keeps its own message
    assert [i.code for i in _issues(BAD / "missing_role.yaml")] == ["missing_key"]
    # the renamed value is still checked, at its own line and column
    f = tmp_path / "s.yaml"
    f.write_text((BAD / "misspelt_required_keys.yaml").read_text(encoding="utf-8").replace("rol: sub", "rol: subb"),
                 encoding="utf-8")
    issues = _issues(f)
    role = next(i for i in issues if i.code == "bad_role")
    assert (role.mark.line, role.mark.col) == (13, 15) and "did you mean 'sub'" in role.format()
    # an empty misspelt key (`rol:` deleted as a null) is merged the same way
    f.write_text((BAD / "missing_role.yaml").read_text(encoding="utf-8").replace(
        "east: {capacity: 60}", "east: {rol: , capacity: 60}"), encoding="utf-8")
    assert [i.code for i in _issues(f)] == ["misspelt_required_key"]


def test_unknown_rule_kind_and_role_name_a_fix():
    code, out, _ = _cli(["validate", str(BAD / "unknown_rule_kind.yaml")])
    assert code == 2 and "did you mean 'cap'?" in out
    text = render("unknown_rule_kind", {"got": "xyz", "suggest": ""}, "en")
    assert "write one of them: cap for an upper limit" in text
    assert "请改为其中之一" in render("unknown_rule_kind", {"got": "xyz", "suggest": ""}, "zh")
    assert "sub (a sub-area)" in render("bad_role", {"got": "xyz", "suggest": ""}, "en")


def test_expect_ids_are_checked_in_variants_too(tmp_path):
    """An unknown id in a variant's expect is reported at the variant's line."""
    f = tmp_path / "s.yaml"
    f.write_text((BAD / "solve_section.yaml").read_text(encoding="utf-8").replace(
        "solve: {solver: gurobi, time_limit: -3}\n",
        "rules: [{id: cap-chip, kind: cap, metric: land, where: {sector: chip}, max: 30}]\n"
        "variants:\n  v1:\n    expect: {binding: [cap-chp]}\n"), encoding="utf-8")
    code, out, _ = _cli(["validate", str(f)])
    assert code == 2 and "s.yaml:18:24 expect.binding.0: unknown rule or resource 'cap-chp'" in out, out
    assert "did you mean 'cap-chip'?" in out
