"""The clause table of scenarios/README.md (issue 12): every quantitative clause of the five seeds, one row
each, clause -> DOMAIN rule id -> how encoded -> why.

The section "## Clause by clause" holds one sub-heading per seed (naming the seed file) and one table under
it. A row is `| 「quote」 ... | rule id(s) or — | how encoded | why |`:

- every 「…」 fragment of the clause cell is the seed's own words (compared with the OCR text's whitespace
  dropped on both sides);
- the rule-id cell names DOMAIN.md §2 ids of that seed's family (PJ / JH / HZ / CX / JX), or is "—";
- in the how-encoded cell, a backticked `name.yaml` names a file of scenarios/, and the backticked words after
  it name that file's rule ids (its rules, its variants' rules, or an extended file's), or its variants as
  `[variant]`; a row that is not encoded says **not encoded**, every other row names a file.

Checked here: every DOMAIN §2 id has a row; every named rule id and variant exists in the named file; every
rule of a seed scenario whose `source` cites a DOMAIN id is named by a row with that id; no cell is empty;
the row count per seed is pinned, so a row dropped by mistake fails (a clause added means raising it here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml

from support import REPO, SCENARIOS

README = SCENARIOS / "README.md"
DOMAIN = REPO.parent / "shared" / "DOMAIN.md"
SEED_DIR = REPO.parent / "shared" / "seeds"

SECTION = "## Clause by clause"
SEED_FILE = re.compile(r"(\d{3}_[0-9a-f]{16}\.txt)")
RULE_ID = re.compile(r"\b(PJ|JH|HZ|JX|CX)-\d+\b")
FAMILY = {"000": "PJ", "001": "JH", "002": "HZ", "003": "CX", "004": "JX"}
QUOTE = re.compile(r"「([^」]*)」")
TICK = re.compile(r"`([^`]+)`")
NOT_ENCODED = "**not encoded**"

# Rows per seed. A row removed by mistake fails here; a clause added (or split) means raising its count.
ROWS = {"000": 32, "001": 15, "002": 20, "003": 52, "004": 29}


@dataclass(frozen=True)
class Row:
    seed: str  # "000" .. "004"
    line: int
    clause: str
    ids: str
    how: str
    why: str

    def where(self) -> str:
        return f"scenarios/README.md line {self.line}"


def _section(text: str) -> list[tuple[int, str]]:
    lines = text.splitlines()
    start = next((i for i, s in enumerate(lines) if s.strip() == SECTION), None)
    if start is None:
        return []  # test_one_table_per_seed_with_the_pinned_row_count says so
    out = []
    for i in range(start + 1, len(lines)):
        if lines[i].startswith("## "):
            break
        out.append((i + 1, lines[i]))
    return out


def _rows() -> list[Row]:
    rows, seed = [], None
    for n, line in _section(README.read_text(encoding="utf-8")):
        if line.startswith("### "):
            m = SEED_FILE.search(line)
            assert m, f"line {n}: a seed sub-heading must name its seed file"
            seed = m.group(1)[:3]
            continue
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "clause" or set("".join(cells)) <= set("-: "):
            continue  # header or separator
        assert seed is not None, f"line {n}: a table row before any seed sub-heading"
        assert len(cells) == 4, f"line {n}: {len(cells)} cells, not 4 (a '|' inside a cell?)"
        rows.append(Row(seed, n, *cells))
    return rows


ALL_ROWS = _rows()


HAVE_SHARED = DOMAIN.is_file() and SEED_DIR.is_dir()
"""DOMAIN.md and the seeds sit next to the checkout on the development machines, not in a clean clone (CI): there the
quotes cannot be checked against the seeds, and the DOMAIN ids come from `DOMAIN_IDS` (kept equal to DOMAIN.md by
`test_the_frozen_domain_ids_match_domain_md` wherever DOMAIN.md is present)."""

DOMAIN_IDS = frozenset(
    [f"CX-{i}" for i in range(1, 16)] + [f"HZ-{i}" for i in range(1, 11)] + [f"JH-{i}" for i in range(1, 11)]
    + [f"JX-{i}" for i in range(1, 16)] + [f"PJ-{i}" for i in range(1, 22)])
"""DOMAIN.md §2's rule ids (71), frozen for a clean clone."""


@cache
def _domain_ids() -> set[str]:
    if not DOMAIN.is_file():
        return set(DOMAIN_IDS)
    text = DOMAIN.read_text(encoding="utf-8")
    part = text[text.index("## 2."):text.index("## 3.")]
    return {m.group(1) for m in re.finditer(r"^\| ((?:PJ|JH|HZ|JX|CX)-\d+) \|", part, re.M)}


def test_the_frozen_domain_ids_match_domain_md():
    if not DOMAIN.is_file():
        pytest.skip("DOMAIN.md is not next to this checkout (a clean clone): the frozen list stands in for it")
    assert _domain_ids() == DOMAIN_IDS


@cache
def _seed_text(seed: str) -> str:
    (path,) = SEED_DIR.glob(f"{seed}_*.txt")
    return "".join(path.read_text(encoding="utf-8").split())


# ---- the scenario files, read as YAML (extends followed by hand: the named ids are the file's words) ----

@cache
def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _own_rules(rules) -> dict:
    """id -> rule (None when the file removes it) of one `rules:` block, a list or an override mapping."""
    if isinstance(rules, list):
        return {r["id"]: r for r in rules}
    return dict(rules or {})


def _chain(path: Path) -> list[Path]:
    """The file, then the files it extends."""
    path = path.resolve()
    out = [path]
    data = _yaml(path)
    ext = data.get("extends")
    for e in [ext] if isinstance(ext, str) else (ext or []):
        out += _chain((path.parent / e).resolve())
    return out


@cache
def _names(path: Path) -> tuple[set[str], set[str]]:
    """(rule ids, variant names) the file has: its own, its variants', and what it extends and keeps."""
    rules, variants = set(), set()
    for p in reversed(_chain(path)):  # the base first, so the extending file can drop what it removes
        data = _yaml(p)
        for rid, rule in _own_rules(data.get("rules")).items():
            (rules.add if rule is not None else rules.discard)(rid)
        for name, var in (data.get("variants") or {}).items():
            if var is None:
                variants.discard(name)
                continue
            variants.add(name)
            rules.update(rid for rid, rule in _own_rules(var.get("rules")).items() if rule is not None)
    return rules, variants


def _cited_rules(path: Path):
    """(rule id, DOMAIN ids its `source` cites) for every rule written in the file, variants included."""
    data = _yaml(path)
    blocks = [data.get("rules")] + [(v or {}).get("rules") for v in (data.get("variants") or {}).values()]
    for block in blocks:
        for rid, rule in _own_rules(block).items():
            if isinstance(rule, dict) and rule.get("source"):
                cited = {m.group(0) for m in RULE_ID.finditer(rule["source"])}
                if cited:
                    yield rid, cited


def _named(how: str) -> list[tuple[str, str]]:
    """(file, token) pairs of a how-encoded cell; a token is a rule id or `[variant]`; ("file", "") for a file."""
    out, current = [], None
    for tok in TICK.findall(how):
        if tok.endswith(".yaml"):
            current = tok
            out.append((tok, ""))
        else:
            out.append((current, tok))
    return out


SEED_SCENARIOS = sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "format_example.yaml")


# ---- the tests ----

def test_one_table_per_seed_with_the_pinned_row_count():
    assert SECTION in README.read_text(encoding="utf-8").splitlines(), f"scenarios/README.md has no {SECTION!r}"
    counts = {s: sum(r.seed == s for r in ALL_ROWS) for s in FAMILY}
    assert counts == ROWS, "rows per seed changed: a row dropped? (a clause added: raise ROWS)"


@pytest.mark.parametrize("row", ALL_ROWS, ids=lambda r: f"line{r.line}")
def test_row_cells(row: Row):
    assert all((row.clause, row.ids, row.how, row.why)), f"{row.where()}: an empty cell"
    # the rule-id cell: DOMAIN ids of the seed's family, or a dash
    ids = {m.group(0) for m in RULE_ID.finditer(row.ids)}
    if not ids:
        assert row.ids in ("—", "-"), f"{row.where()}: rule id cell {row.ids!r} is neither ids nor —"
    assert all(i.startswith(FAMILY[row.seed] + "-") for i in ids), f"{row.where()}: {ids} not of seed {row.seed}"
    assert ids <= _domain_ids(), f"{row.where()}: {ids - _domain_ids()} not in DOMAIN.md §2"
    # the clause: the seed's own words
    quotes = QUOTE.findall(row.clause)
    assert quotes, f"{row.where()}: the clause cell quotes no seed words in 「」"
    if HAVE_SHARED:  # the seeds are not in a clean clone: the quotes are checked where they are
        seed = _seed_text(row.seed)
        for q in quotes:
            assert "".join(q.split()) in seed, f"{row.where()}: 「{q}」 is not in seed {row.seed}"
    # encoded rows name a file; every named file, rule and variant exists
    named = _named(row.how)
    if NOT_ENCODED not in row.how:
        assert any(f for f, t in named if not t), f"{row.where()}: encoded, but names no scenario file"
    for f, tok in named:
        assert f is not None, f"{row.where()}: `{tok}` named before any file"
        path = SCENARIOS / f
        assert path.is_file(), f"{row.where()}: no file scenarios/{f}"
        if not tok:
            continue
        rules, variants = _names(path)
        if tok.startswith("["):
            assert tok.strip("[]") in variants, f"{row.where()}: {f} has no variant {tok}"
        else:
            assert tok in rules, f"{row.where()}: {f} has no rule {tok!r}"


def test_every_domain_rule_has_a_row():
    listed = {m.group(0) for r in ALL_ROWS for m in RULE_ID.finditer(r.ids)}
    missing = sorted(_domain_ids() - listed, key=lambda s: (s[:2], int(s[3:])))
    assert not missing, f"DOMAIN.md §2 ids with no row in the clause table: {missing}"


@pytest.mark.parametrize("path", SEED_SCENARIOS, ids=lambda p: p.name)
def test_every_cited_rule_is_covered(path: Path):
    """A rule whose source cites PJ-6 is named (with its file, or a file extending it) by a PJ-6 row."""
    covered: dict[str, set[tuple[str, str]]] = {}
    for r in ALL_ROWS:
        for i in {m.group(0) for m in RULE_ID.finditer(r.ids)}:
            covered.setdefault(i, set()).update(_named(r.how))
    for rid, cited in _cited_rules(path):
        for i in sorted(cited):
            ok = any(tok == rid and f and path.resolve() in _chain(SCENARIOS / f) for f, tok in covered.get(i, ()))
            assert ok, f"{path.name} rule {rid} cites {i}, but no {i} row names it"
