"""`null` deletes a key through extends and variants, and a null that deletes nothing is still checked."""

from __future__ import annotations

import pytest

import landopt
from landopt.errors import InputError
from support import SCENARIOS

EXAMPLE = SCENARIOS / "format_example.yaml"


def _write(tmp_path, text: str):
    f = tmp_path / "s.yaml"
    f.write_text(f"extends: {EXAMPLE.as_posix()}\n{text}", encoding="utf-8")
    return f


def _codes(f, variants=()):
    with pytest.raises(InputError) as e:
        landopt.load(f, variants)
    return [(i.code, i.path, i.mark.line if i.mark else None) for i in e.value.issues]


def test_null_deletes_through_extends_and_variants(tmp_path):
    f = _write(tmp_path, "scenario: {description: null}\nvariants:\n  noregion: {scenario: {region: null}}\n")
    assert landopt.load(EXAMPLE).spec.description and landopt.load(EXAMPLE).spec.region
    base = landopt.load(f)
    assert base.spec.description == "" and base.spec.region
    assert landopt.load(f, ["noregion"]).spec.region == ""


def test_null_deletes_a_rule_by_id(tmp_path):
    f = _write(tmp_path, "rules: {per-mu-tax: null}\n")
    assert [r.id for r in landopt.load(f).spec.rules] == ["tilt-land"]


def test_a_null_key_the_schema_does_not_know_is_an_error(tmp_path):
    f = _write(tmp_path, "scenario: {descriptoin: null}\nareas:\n  core: {capacty: null}\n"
                         "variants:\n  v: {scenario: {nmae: null}}\n")
    assert _codes(f) == [("unknown_key_empty", "scenario.descriptoin", 2),
                         ("unknown_key_empty", "areas.core.capacty", 4)]
    assert ("unknown_key_empty", "scenario.nmae", 6) in _codes(f, ["v"])


def test_deleting_a_rule_that_does_not_exist_is_an_error(tmp_path):
    f = _write(tmp_path, "rules: {per-mu-taxx: null}\n")
    with pytest.raises(InputError) as e:
        landopt.load(f)
    (issue,) = e.value.issues
    assert issue.code == "unknown_id" and "did you mean 'per-mu-tax'" in issue.format()


def test_null_key_errors_come_with_the_other_errors(tmp_path):
    f = _write(tmp_path, "scenario: {descriptoin: null}\nareas:\n  core: {capacity: -5}\n")
    assert {c for c, _, _ in _codes(f)} == {"unknown_key_empty", "negative"}
