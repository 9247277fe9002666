"""The YAML parser's problems told in landopt's own words: each is one of landopt's codes, with its own message in
both languages; the parser's text decides the code and is never shown."""

from __future__ import annotations

import pytest

from landopt.input.reader import PARSER_PROBLEMS, parse_text


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
