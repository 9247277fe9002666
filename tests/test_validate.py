"""Suggestions carried as data, and the YAML parser's problems told in landopt's own words (each is one of
landopt's codes, with its own message in both languages; the parser's text decides the code and is never
shown)."""

from __future__ import annotations

import pytest

import landopt
from landopt.errors import InputError
from landopt.input.reader import PARSER_PROBLEMS, parse_text
from support import SCENARIOS

EXAMPLE = SCENARIOS / "format_example.yaml"
BASE = EXAMPLE.read_text(encoding="utf-8")


def _issues(tmp_path, text: str) -> list:
    f = tmp_path / "s.yaml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        landopt.load(f)
    return e.value.issues


def _with(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


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
