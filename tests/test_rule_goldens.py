"""Every rule kind has a golden LP file (tests/golden/rules/KIND.lp) built from a small scenario
(KIND.yaml over _base.yaml): the rows a kind makes are reviewed once and then held. A new kind without
its golden fails here. `LANDOPT_UPDATE_GOLDEN=1` rewrites them (review the diff)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import landopt
from landopt.cli import cli
from landopt.model.rules import KINDS
from solvers import to_lp

GOLDEN = Path(__file__).resolve().parent / "golden" / "rules"


def test_every_kind_has_a_golden_lp():
    have = {p.stem for p in GOLDEN.glob("*.lp")}
    assert have == set(KINDS), f"kinds without a golden LP: {sorted(set(KINDS) - have)}"


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_lp_of_each_kind_is_its_golden(kind):
    lp = to_lp(landopt.load(GOLDEN / f"{kind}.yaml").build().problem)
    golden = GOLDEN / f"{kind}.lp"
    if os.environ.get("LANDOPT_UPDATE_GOLDEN"):
        golden.write_text(lp, encoding="utf-8")
    assert lp == golden.read_text(encoding="utf-8")
    assert f"rule(" in lp  # the kind's own rows are there


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_landopt_rules_lists_every_kind(lang):
    r = CliRunner().invoke(cli, ["rules", "--lang", lang])
    assert r.exit_code == 0, r.output
    for kind in KINDS.values():
        assert f"{kind.name}: {kind.summary.pick(lang)}" in r.output
        assert kind.inequality in r.output and kind.violation.pick(lang) in r.output
