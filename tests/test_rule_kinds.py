"""The rule kinds' metadata drives the docs, and every kind is exercised by a hand-solved scenario."""

from __future__ import annotations

import landopt
from landopt.model.rules import KINDS
from support import REPO, SCENARIOS


def rule_table() -> str:
    lines = ["| kind | constraint | bounds | bound unit | soft violation |", "| --- | --- | --- | --- | --- |"]
    for k in KINDS.values():
        lines.append(f"| {k.name} | {k.inequality} | {', '.join(k.bounds)} | {k.bound_unit} | {k.violation} |")
    return "\n".join(lines)


def test_docs_rule_table_is_generated_from_the_metadata():
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    block = text.split("<!-- rule-kinds:begin -->\n")[1].split("\n<!-- rule-kinds:end -->")[0]
    assert block == rule_table(), "regenerate the table in docs/format.md from landopt.model.rules.KINDS"


def test_every_rule_kind_has_a_hand_solved_teaching_scenario():
    used = set()
    for f in (SCENARIOS / "teaching").glob("t*.yaml"):
        sc = landopt.load(f)
        if sc.spec.expect and sc.spec.expect.objective is not None:
            used |= {r.kind for r in sc.spec.rules}
    assert used >= set(KINDS), set(KINDS) - used


def test_contract_keys_documented():
    text = (REPO / "docs" / "format.md").read_text(encoding="utf-8")
    for key in ("offset", "factor", "variants", "expect.diagnosis", "canonical", "--set"):
        assert key in text
