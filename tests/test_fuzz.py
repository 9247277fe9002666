"""Fuzzing the whole input path: every mutated scenario either solves (and passes the checker) or
fails with a clean `InputError`; nothing else (no traceback, no other exception type).

Scenarios are generated, written as YAML text (or mutated as text), and loaded from a file, so the
reader, the schema, the resolver, the builder, the solver and the checker all run. Mutations:
deleting keys, swapping value types, inserting odd numbers and Unicode, duplicating keys, tabs,
truncation. The CI profile runs `FUZZ_EXAMPLES` (>= 500) examples; the `fuzz` Hypothesis profile
(`HYPOTHESIS_PROFILE=fuzz`) runs 10,000 (see benchmarks/README.md for the counts of the last run).
"""

from __future__ import annotations

import pytest

import copy
import os

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import landopt
from landopt.errors import InputError, LandoptError

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow

FUZZ_EXAMPLES = int(os.environ.get("LANDOPT_FUZZ_EXAMPLES", "500"))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "")
N = 10_000 if PROFILE == "fuzz" else FUZZ_EXAMPLES

BASE = {
    "version": 1,
    "scenario": {"name": "模糊测试", "years": [2021, 2022]},
    "units": {"area": "mu", "money": "万元"},
    "resources": {"land": {"name": "用地", "unit": "mu", "budget": 100},
                  "energy": {"name": "用能", "unit": "tce", "budget": {2021: 500, 2022: 900}}},
    "metrics": {"tax": {"unit": "万元"}, "value_added": {"unit": "万元"}},
    "sectors": {"chip": {"tags": ["high_tech"], "per_mu": {"tax": 50, "value_added": 200, "energy": 20}},
                "textile": {"tags": ["traditional"], "per_mu": {"tax": 10, "value_added": 60, "energy": "5 tce/亩"}}},
    "areas": {"core": {"role": "main", "capacity": "0.05 km2", "existing": {"land": 100, "tax": 2000}},
              "east": {"role": "sub", "capacity": 60, "sectors": ["textile", "chip"]}},
    "rules": [
        {"id": "tilt", "kind": "share", "metric": "land", "part": {"role": "main"}, "min": 0.5},
        {"id": "per-mu", "kind": "intensity", "metric": "tax", "per": "land", "each": "area",
         "include_existing": True, "min": 15, "growth": 0.1},
        {"id": "cap", "kind": "cap", "metric": "energy", "where": {"area": "east"}, "max": 300},
        {"id": "soft", "kind": "floor", "metric": "land", "where": {"sector": "textile"}, "min": 5,
         "soft": {"penalty": 3}},
    ],
    "objective": {"maximize": "tax"},
}

ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["1e400", "-5", "5 ¥", "12 万元/亩", "3 km2", "70%", "abc", "",
                                           "２０ 亩", "1e-300", "NaN", "∞", "亩", "0x1F", "2021..2020"]),
    st.lists(st.integers(0, 3), max_size=3), st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


def _get_parent(d, path):
    node = d
    for k in path[:-1]:
        node = node[k]
    return node


@st.composite
def mutated_text(draw) -> str:
    d = copy.deepcopy(BASE)
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 2, 3, 4]))):
        paths = [p for p in _paths(d) if p]
        if not paths:
            break
        p = draw(st.sampled_from(paths))
        try:
            parent = _get_parent(d, p)
        except (KeyError, IndexError, TypeError):
            continue
        op = draw(st.sampled_from(["delete", "odd", "odd", "number", "rename", "swap"]))
        key = p[-1]
        if op == "delete":
            if isinstance(parent, dict):
                parent.pop(key, None)
            elif isinstance(parent, list) and key < len(parent):
                parent.pop(key)
        elif op == "odd":
            parent[key] = draw(ODD)
        elif op == "number":
            parent[key] = draw(st.floats(-10, 1e5, allow_nan=False))
        elif op == "rename" and isinstance(parent, dict) and key in parent:
            parent[draw(st.text(min_size=1, max_size=8))] = parent.pop(key)
        elif op == "swap" and isinstance(parent, (dict, list)):
            parent[key] = draw(st.sampled_from([[], {}, "x", 0, None, [1, 2]]))
    text = yaml.safe_dump(d, allow_unicode=True, sort_keys=False)
    text_op = draw(st.sampled_from(["none"] * 6 + ["truncate", "tab", "duplicate", "unicode", "alias"]))
    if text_op == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif text_op == "tab":
        lines = text.splitlines()
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if lines:
            lines[i] = "\t" + lines[i]
        text = "\n".join(lines)
    elif text_op == "duplicate":
        lines = text.splitlines()
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        if lines:
            lines.insert(i, lines[i])
        text = "\n".join(lines)
    elif text_op == "unicode":
        pos = draw(st.integers(0, len(text)))
        text = text[:pos] + draw(st.text(max_size=6)) + text[pos:]
    elif text_op == "alias":
        text = "base: &b {x: 1}\n" + text.replace("version: 1", "version: 1\nextra: *b", 1)
    return text


@settings(max_examples=N, deadline=None, suppress_health_check=list(HealthCheck))
@given(mutated_text())
def test_fuzzed_scenarios_solve_or_fail_cleanly(tmp_path_factory, text):
    f = tmp_path_factory.mktemp("fz") / "s.yaml"
    f.write_text(text, encoding="utf-8", errors="surrogatepass") if "\ud800" not in text else f.write_bytes(
        text.encode("utf-8", "surrogatepass"))
    try:
        sc = landopt.load(f)
    except InputError as e:
        event("input error: " + e.issues[0].code)
        assert e.issues, "an InputError must carry at least one issue"
        for issue in e.issues:
            line = issue.format()
            assert line and "Traceback" not in line
            issue.format("zh")
        return
    try:
        res = sc.solve()
    except LandoptError as e:  # a solver failure must be a clean LandoptError (checker failures are bugs)
        assert type(e).__name__ != "CheckerError", str(e)
        return
    event("solved: " + res.status)
    assert res.status in ("optimal", "infeasible", "unbounded", "numerical_error", "error")
    if res.status in ("numerical_error", "error"):
        assert res.x is None and res.message  # no allocation is reported when the numerics failed
    if res.x is not None and res.status in ("optimal", "infeasible"):
        assert res.checker["passed"] is True
    res.to_json()
