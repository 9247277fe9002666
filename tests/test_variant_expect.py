"""Variants that each carry `expect` combine for `solve`; the combination has no `expect` (issue 8 §3.2)."""

from __future__ import annotations

import json
import re

import pytest

import landopt
from landopt.errors import InputError
from support import SCENARIOS

EXAMPLE = SCENARIOS / "format_example.yaml"
BOTH = "strict_tilt,tight_energy"

SMALL = """version: 1
resources:
  land: {unit: mu, budget: 100}
  energy: {unit: tce, budget: 1000}
metrics:
  tax: {unit: 万元}
sectors:
  chip: {per_mu: {tax: 50, energy: 20}}
  textile: {per_mu: {tax: 10, energy: 5}}
areas:
  core: {role: main, capacity: 80}
  east: {role: sub, capacity: 60}
objective: {maximize: tax}
expect: {status: optimal, objective: 2500}
variants:
"""


def test_solve_combines_two_variants_that_each_carry_expect(run_cli):
    r = run_cli("solve", str(EXAMPLE), "--variant", BOTH, "--format", "json")
    assert r.code == 0, r.err
    assert "variant_conflict" not in r.err and "both set" not in r.err
    # tilt 0.8 and 12000 tce: PV keeps 600 亩 (10800 tce), crystal gets 1200/11 亩: 27000 + 14 * 1200/11
    assert json.loads(r.out)["objective"] == pytest.approx(28527.272727, rel=1e-6)


def test_the_combination_carries_no_expect_and_says_which_variants_had_one():
    sc = landopt.load(EXAMPLE, BOTH)
    assert sc.spec.expect is None
    assert sc.composed.expect_dropped == ("strict_tilt", "tight_energy")
    assert [r.lo[None] for r in sc.spec.rules if r.id == "tilt-land"] == [0.8]
    assert sc.spec.resources["energy"].budget[None] == 12000
    # each variant alone keeps its own expectations
    assert landopt.load(EXAMPLE, "strict_tilt").spec.expect.objective == 29100
    assert landopt.load(EXAMPLE, "tight_energy").composed.expect_dropped == ()


def test_a_conflict_on_any_other_key_is_still_an_error_and_expect_is_not_named(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(SMALL + "  a: {resources: {energy: {budget: 500}}, expect: {objective: 1250}}\n"
                         "  b: {resources: {energy: {budget: 700}}, expect: {objective: 1750}}\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        landopt.load(f, "a,b")
    (issue,) = e.value.issues
    assert issue.code == "variant_conflict" and issue.params["key"] == "resources.energy.budget"
    for lang in ("en", "zh"):
        assert not re.search(r"\bexpect\b", issue.format(lang)), issue.format(lang)


def test_expect_set_by_one_selected_variant_only_is_kept(tmp_path):
    """Only two or more variants with `expect` lose it; one variant's expect merges as any key does."""
    f = tmp_path / "s.yaml"
    f.write_text(SMALL + "  a: {resources: {energy: {budget: 500}}, expect: {objective: 1250}}\n"
                         "  b: {areas: {east: {capacity: 50}}}\n", encoding="utf-8")
    sc = landopt.load(f, "a,b")
    assert sc.spec.expect is not None and sc.spec.expect.objective == 1250
    assert sc.composed.expect_dropped == ()


def test_a_null_expect_counts_as_setting_expect(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text(SMALL + "  a: {resources: {energy: {budget: 500}}, expect: {objective: 1250}}\n"
                         "  b: {areas: {east: {capacity: 50}}, expect: null}\n", encoding="utf-8")
    sc = landopt.load(f, "a,b")
    assert sc.spec.expect is None and sc.composed.expect_dropped == ("a", "b")

