"""docs/format.md stays the complete, honest reference of the scenario format (issue 8 §3.1).

- every ```yaml block that is a whole scenario loads (with each of its variants), and the ones with
  `expect` are solved and meet it; a block marked ```yaml fragment must at least be valid YAML;
- every ```json block parses and names only keys that landopt's JSON result has;
- every key of the schema (walking the sections of `landopt.input.schema`) and every allowed word
  (roles, rule kinds, statuses, ...) is named on the page;
- the keys the contract announces but landopt does not implement yet are named only as not implemented,
  and a file using them is refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import landopt
from landopt.verify.regression import check_files
from landopt.errors import InputError
from landopt.input import schema
from landopt.input.reader import parse_text
from support import REPO, SCENARIOS

DOC = REPO / "docs" / "format.md"
TEXT = DOC.read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
FILE_NAME = re.compile(r"^# file: (\S+\.yaml)\s*$")


def _blocks(lang: str) -> list[tuple[int, str, str]]:
    """(line, info after the language, body) of every fenced block of `lang`."""
    out = []
    for m in FENCE.finditer(TEXT):
        if m.group(1) == lang:
            out.append((TEXT.count("\n", 0, m.start()) + 1, m.group(2).strip(), m.group(3)))
    return out


WHOLE = [(line, body) for line, info, body in _blocks("yaml") if info != "fragment"]
FRAGMENTS = [(line, body) for line, info, body in _blocks("yaml") if info == "fragment"]


def test_the_page_is_self_contained():
    assert "SCENARIO_FORMAT.md" not in TEXT  # the contract is not shipped: the page must not send readers to it
    assert len(WHOLE) >= 4 and len(FRAGMENTS) >= 15
    assert {info for _, info, _ in _blocks("yaml")} == {"", "fragment"}, "a yaml block is whole or a fragment"
    for heading in ("## Reading files", "## Units", "## Keys landopt adds", "## Decisions where the contract is silent",
                    "## Numerics, time limits, interruptions", "## Extending, variants and `--set`",
                    "## Infeasibility", "## The JSON result", "## Rule kinds"):  # every section of the earlier page
        assert f"\n{heading}\n" in TEXT, heading


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[int, Path]:
    """Every whole-scenario block written to one folder (a `# file: NAME` first line names it, so that a
    later block can `extends:` it)."""
    folder = tmp_path_factory.mktemp("doc")
    out = {}
    for line, body in WHOLE:
        m = FILE_NAME.match(body.splitlines()[0])
        path = folder / (m.group(1) if m else f"block_{line}.yaml")
        assert not path.exists(), f"two blocks named {path.name}"
        path.write_text(body, encoding="utf-8")
        out[line] = path
    return out


@pytest.mark.parametrize("line", [line for line, _ in WHOLE], ids=lambda line: f"format.md:{line}")
def test_every_whole_scenario_loads_and_meets_its_expect(written, line):
    path = written[line]
    base = landopt.load(path)
    for v in base.variants:
        landopt.load(path, (v,))
    run = check_files([path], echo=None)
    bad = [c for c in run.cases if c.outcome in ("failed", "error")]
    assert not bad, "\n".join(f"{c.label}: {c.diff('en') or c.detail}" for c in bad)
    for c in run.cases:  # a block without expect is fine (a base for extends), one with expect must be checked
        assert c.outcome == "passed" or (landopt.load(path, c.variants).spec.expect is None), c.label


@pytest.mark.parametrize("line,body", FRAGMENTS, ids=[f"format.md:{line}" for line, _ in FRAGMENTS])
def test_every_fragment_is_valid_yaml(line, body):
    root, issues = parse_text(body, f"format.md:{line}")
    assert root is not None and not issues, [i.format() for i in issues]


def _keys(value, prefix: str, into: dict[str, set]) -> None:
    """The keys of every mapping in `value`, by path (list items share their list's path)."""
    if isinstance(value, dict):
        into.setdefault(prefix, set()).update(value)
        for k, v in value.items():
            _keys(v, f"{prefix}.{k}", into)
    elif isinstance(value, list):
        for v in value:
            _keys(v, prefix, into)


def test_every_json_block_parses_and_names_only_keys_landopt_writes():
    real: dict[str, set] = {}
    for path in (SCENARIOS / "format_example.yaml", SCENARIOS / "teaching" / "t10_infeasible.yaml",
                 SCENARIOS / "teaching" / "t11_projects.yaml"):
        _keys(json.loads(landopt.load(path).solve().to_json()), "", real)
    blocks = _blocks("json")
    assert len(blocks) >= 2
    for line, _, body in blocks:
        shown: dict[str, set] = {}
        _keys(json.loads(body), "", shown)
        for path, keys in shown.items():
            if path.endswith((".group", ".units")):
                continue  # data, not keys
            assert keys <= real.get(path, set()), (line, path, keys - real.get(path, set()))


# ---------------------------------------------------------------- schema
def _walk() -> tuple[dict[str, list[str]], set[str]]:
    """{key: [where]} of every key of every section of the schema, and every allowed word (`schema.Word`)."""
    keys: dict[str, list[str]] = {}
    words: set[str] = set()

    def types(t):
        yield t
        for inner in (getattr(t, "value", None), getattr(t, "item", None), *getattr(t, "options", ())):
            if inner is not None:
                yield from types(inner)

    for where, section in schema.sections().items():
        for key, spec in section.keys.items():
            keys.setdefault(key, []).append(f"{where}.{key}" if where else key)
            words.update(str(w) for t in types(spec.type) if isinstance(t, schema.Word) for w in t.words)
    return keys, words


def test_every_schema_key_is_named_on_the_page():
    keys, _ = _walk()
    assert len(keys) > 60
    missing = {k: w for k, w in keys.items() if f"`{k}`" not in TEXT}
    assert not missing, f"docs/format.md does not name these keys (as `key`): {missing}"
    assert "`extends`" in TEXT  # handled before the schema, by landopt.input.compose


def test_every_allowed_word_is_named_on_the_page():
    _, words = _walk()
    assert {"main", "sub", "linked", "outside", "cap", "floor", "share", "intensity", "flow", "level",
            "optimal", "infeasible", "unbounded", "final", "rule", "budget", "min_land", "min", "max"} <= words
    assert not [w for w in words if f"`{w}`" not in TEXT]


def test_roles_and_multi_year_accounting_are_explained():
    roles = TEXT.split("## Roles")[1].split("\n## ")[0]
    assert "implies no rule" in roles and "`outside` does not ban" in roles
    years = TEXT.split("## Several years")[1].split("\n## ")[0]
    for words in ("in total by the final year", "accounting: flow", "{2021: 8000, 2022: 16000, 2023: 24000}",
                  "sums the yearly levels", "`at: final`"):
        assert words in years, words


# ------------------------------------------------------------- additions
IMPLEMENTED = {
    "projects": "projects: {p: {sector: chip, land: 10}}\n",
    "count": "rules: [{id: lead, kind: count, what: sectors, max: 1}]\n",
    "each: area_tag": "rules: [{kind: cap, max: 10, each: area_tag}]\n",
    "each: project": "projects: {p: {sector: chip, land: 10}}\nrules: [{kind: cap, max: 10, each: project}]\n",
    "mip_gap": "solve: {mip_gap: 0.01}\n",
    "placed": "projects: {p: {sector: chip, land: 10}}\nexpect: {placed: [p], not_placed: []}\n",
    "exit": "areas: {east: {exit: candidate}}\n",
    "renewal": "areas: {east: {existing: {by_sector: {textile: {land: 10}}}, renewal: {textile: 5}}}\n",
    "ramp": "sectors: {chip: {ramp: [0.5, 1.0]}}\n",
    "project ramp": "projects: {p: {sector: chip, land: 10, ramp: [0.5]}}\n",
    "reclaim": "resources: {land: {reclaim: 0.5}}\n",
    "count exits": "areas: {east: {exit: candidate}}\nrules: [{id: out, kind: count, what: exits, min: 1}]\n",
    "exits": "areas: {east: {exit: candidate}}\nexpect: {exits: [east]}\n",
    "stays": "areas: {east: {exit: candidate}}\nexpect: {stays: [east]}\n",
}
"""Every key of the contract's "# Additions": each loads and is solved (nothing is refused as not yet modelled)."""


def test_nothing_of_the_contract_is_left_unimplemented():
    assert "\n## Not yet implemented\n" not in TEXT


def test_the_implemented_additions_load_and_are_documented(tmp_path):
    for key, body in IMPLEMENTED.items():
        f = tmp_path / "s.yaml"
        f.write_text(f"extends: {(SCENARIOS / 'teaching' / '_fragments' / 'base.yaml').as_posix()}\n{body}",
                     encoding="utf-8")
        landopt.load(f).solve(solver="highs")
    for heading in ("## Candidate projects (`projects`)", "## The rule kind `count`", "## Solving yes/no decisions",
                    "## Exits (`exit`) and freed quota (`reclaim`)", "## Stock renewal (`renewal`, 腾笼换鸟)",
                    "## Ramp to full production (`ramp`, 达产)"):
        assert f"\n{heading}\n" in TEXT, heading


