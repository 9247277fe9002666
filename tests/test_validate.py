"""Validation in one pass (landopt.input.validate): the schema's tables walked once, a wrong item skipped while
the rest of the file is still checked, suggestions carried as data, and the YAML parser's problems told in
landopt's own words."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

import landopt
import landopt.scenario
from landopt.errors import InputError
from landopt.input import schema
from landopt.input.reader import PARSER_PROBLEMS, parse_text
from landopt.model.rules import KINDS
from support import REPO, SCENARIOS

EXAMPLE = SCENARIOS / "format_example.yaml"


def _issues(tmp_path, text: str, **kw) -> list:
    f = tmp_path / "s.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        landopt.load(f, **kw)
    return e.value.issues


def _with(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


BASE = EXAMPLE.read_text(encoding="utf-8")


# ------------------------------------------------------------------ one pass
def test_a_file_is_validated_once_and_resolved_once(monkeypatch, tmp_path):
    """No validate -> repair -> validate loop: one walk, one resolution, every problem."""
    calls = {"validate": 0, "resolve": 0}
    real_validate, real_resolve = landopt.scenario.validate, landopt.scenario.resolve

    def validate(*a, **k):
        calls["validate"] += 1
        return real_validate(*a, **k)

    def resolve(*a, **k):
        calls["resolve"] += 1
        return real_resolve(*a, **k)

    monkeypatch.setattr(landopt.scenario, "validate", validate)
    monkeypatch.setattr(landopt.scenario, "resolve", resolve)
    text = _with(BASE, "role: sub", "rol: subb")
    text = _with(text, "mu,  budget: 1200", "mu,  budjet: 1200")
    issues = _issues(tmp_path, text)
    assert calls == {"validate": 1, "resolve": 1}
    assert {i.code for i in issues} >= {"misspelt_required_key", "bad_role", "unknown_key"}


def test_a_wrong_list_item_is_skipped_and_the_rest_is_checked(tmp_path):
    """A rule that is not a mapping does not hide the problems of the next rule (the items keep their places)."""
    text = _with(BASE, "rules:\n", "rules:\n  - 5\n")
    issues = _issues(tmp_path, _with(text, "metric: tax\n    per: land", "metric: taxx\n    per: land"))
    got = {(i.code, i.path) for i in issues}
    assert ("wrong_type", "rules.0") in got and ("unknown_metric", "rules.2.metric") in got, got


def test_a_wrong_value_reads_as_absent_and_its_consequence_is_not_reported(tmp_path):
    """`budget: [1200]` is one problem: the resource is not also said to have no budget."""
    issues = _issues(tmp_path, _with(BASE, "mu,  budget: 1200", "mu,  budget: [1200]"))
    assert [(i.code, i.path) for i in issues] == [("wrong_type", "resources.land.budget")]


def test_a_rule_of_an_unknown_kind_is_checked_for_what_does_not_depend_on_the_kind(tmp_path):
    text = _with(BASE, "kind: share", "kind: ceiling")
    issues = _issues(tmp_path, _with(text, "part: {role: main}\n    min: 0.7", "part: {role: main}\n    min: eighty"))
    got = {(i.code, i.path) for i in issues}
    assert ("unknown_rule_kind", "rules.0.kind") in got and ("bad_quantity", "rules.0.min") in got, got
    kind = next(i for i in issues if i.code == "unknown_rule_kind")
    assert kind.suggest == "cap"
    assert not {"rule_bound_wrong", "rule_key_not_for_kind", "rule_bound_missing"} & {c for c, _ in got}


def test_a_kind_requires_its_own_keys(tmp_path):
    """`part` is required of a share rule only (the kinds' metadata says so)."""
    issues = _issues(tmp_path, _with(BASE, "    part: {role: main}\n", ""))
    (issue,) = issues
    assert (issue.code, issue.path) == ("missing_key", "rules.0.part")
    assert issue.params["expected"] == KINDS["share"].key("part").expected
    assert set(schema.RULE.keys) == {k for kind in KINDS.values() for k in kind.allowed_keys}


# ------------------------------------------------------------ suggestions as data
def test_a_suggestion_is_data_and_is_shown_in_either_language(tmp_path):
    (issue,) = _issues(tmp_path, _with(BASE, "mu,  budget: 1200", "mu,  budjet: 1200"))
    assert issue.code == "unknown_key" and issue.suggest == "budget"
    assert not any("did you mean" in str(v) for v in issue.params.values())
    assert issue.format("en").endswith("did you mean 'budget'?")
    assert issue.format("zh").endswith("是否想写 'budget'?")


def test_a_misspelt_required_key_names_the_key_it_stands_for(tmp_path):
    (issue,) = _issues(tmp_path, _with(BASE, "role: sub", "rol: sub"))
    assert issue.code == "misspelt_required_key" and issue.suggest == "role" and issue.params["required"] == "role"


# ---------------------------------------------------------------- from Python
def test_none_from_python_means_not_given_where_absent_is_the_default():
    data = yaml.safe_load(BASE)
    data["areas"]["core"]["capacity"] = None
    data["scenario"]["description"] = None
    sc = landopt.from_dict(data)
    assert sc.spec.areas["core"].capacity is None and sc.spec.description == ""


def test_version_must_be_one_not_true():
    data = yaml.safe_load(BASE)
    data["version"] = True
    with pytest.raises(InputError) as e:
        landopt.from_dict(data)
    assert [i.code for i in e.value.issues] == ["bad_version"]


# ------------------------------------------------------------------- parser
BROKEN = {
    # one file per row of PARSER_PROBLEMS, and the fallback
    "yaml_unclosed": ["a: 'x\nb: 2\n", "a: [1, 2\nb: 3\n", "a: {b: 1, c\n"],
    "yaml_indent": ["a: b: c\n", "a:\n  b: 1\n c: 2\n", "a:\n  - 1\n  b: 2\n"],
    "yaml_missing_colon": ["a:\n  b: 1\n  c d\n  e: 2\n"],
    "yaml_bad_char": ["a: @x\n", "a: `x\n", "a: \x07\n"],
    "yaml_stray_bracket": ["a: ]\n", "{a: 1}}\n"],
    "yaml_bad_escape": ['a: "\\q"\n', 'a: "\\x4"\n', 'a: "\\uZZZZ"\n'],
    "yaml_bad_anchor": ["a: & x\n", "a: *\n"],
    "yaml_undefined_alias": ["a: *nowhere\n"],
    "yaml_tab": ["a:\n\tb: 1\n"],
    "yaml_syntax": ["%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "a: 1\n...\nb: 2\n"],
}


@pytest.mark.parametrize("code,text", [(c, t) for c, ts in BROKEN.items() for t in ts],
                         ids=lambda v: repr(v)[:24])
def test_a_parser_problem_is_one_of_landopts_codes_in_landopts_words(code, text):
    root, issues = parse_text(text, "y.yaml")
    assert root is None and [i.code for i in issues] == [code], [i.format() for i in issues]
    (issue,) = issues
    assert issue.mark is not None and issue.mark.line >= 1
    for lang in ("en", "zh"):
        shown = issue.format(lang)
        assert not any(needle in shown for needle, _, _ in PARSER_PROBLEMS), shown  # never the parser's own words
        assert "found" not in shown and "while " not in shown, shown


def test_every_parser_code_is_exercised():
    assert {c for _, _, c in PARSER_PROBLEMS} <= set(BROKEN)


# ------------------------------------------------------------------- imports
def test_the_input_stage_imports_no_pydantic():
    code = "import sys, landopt.scenario; print(sorted(m for m in sys.modules if m.split('.')[0] == 'pydantic'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True).stdout
    assert out.strip() == "[]"
