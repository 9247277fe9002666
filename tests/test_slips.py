"""Typing slips that YAML would turn into a different valid value: each is an error with a fix (exit 2),
or a warning where the input may be deliberate; none changes the plan silently (issue 8 §2 and §5).

The exact inputs of the issue are in tests/data/bad/ (checked line, column, text and fix by
test_bad_input.py in both languages); here: that each would have changed the plan, the warnings, and a
Hypothesis test that mutates valid scenarios with these slips.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import landopt
from landopt.cli import cli
from landopt.errors import InputError
from support import BAD, SCENARIOS


def _cli(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.output


def _objective(path: Path | str) -> float:
    return landopt.load(path).solve(solver="highs").objective


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


# -------------------------------------------------- each slip would have changed the plan
@pytest.mark.parametrize("bad,good", [
    ("enrgy: 15", "energy: 15"),
])
def test_a_per_mu_typo_would_have_lifted_the_energy_limit(tmp_path, bad, good):
    text = (BAD / "per_mu_key_typo.yaml").read_text(encoding="utf-8")
    fixed = _write(tmp_path, text.replace(bad, good).replace("budget: 30000", "budget: 3000"))
    assert _objective(fixed) == pytest.approx(200 * 45)  # energy binds: 3000 tce / 15 = 200 mu
    code, out = _cli("validate", str(BAD / "per_mu_key_typo.yaml"))
    assert code == 2 and "did you mean 'energy'?" in out


def test_a_separator_in_braces_would_have_given_one_mu(tmp_path):
    code, out = _cli("validate", str(BAD / "flow_thousands.yaml"))
    assert code == 2 and "write 1200" in out and "'200'" not in out and "unknown key" not in out
    fixed = _write(tmp_path, (BAD / "flow_thousands.yaml").read_text(encoding="utf-8").replace("1,200", "1200"))
    assert _objective(fixed) == pytest.approx(900 * 45)


def test_separators_in_a_year_map_are_not_a_duplicate_key():
    code, out = _cli("validate", str(BAD / "year_map_thousands.yaml"))
    assert code == 2 and "duplicate" not in out and out.count("thousands separator") == 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_full_width_comma_in_tags_would_have_lifted_the_ban(tmp_path, lang):
    code, out = _cli("--lang", lang, "validate", str(BAD / "fullwidth_tag.yaml"))
    assert code == 2 and "'，'" in out and "[industrial, high_energy]" in out
    assert "fullwidth_tag.yaml:10:27" in out
    fixed = _write(tmp_path, (BAD / "fullwidth_tag.yaml").read_text(encoding="utf-8").replace("，", ", "))
    res = landopt.load(fixed).solve(solver="highs")
    assert res.objective == pytest.approx(900 * 45)  # the ban holds: only pv in the main platform
    assert {(r["sector"]) for r in res.to_dict()["allocation"]} == {"pv"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_full_width_colon_gets_a_line_of_its_own(lang):
    code, out = _cli("--lang", lang, "validate", str(BAD / "fullwidth_colon.yaml"))
    lines = out.splitlines()
    assert code == 2
    first = next(line for line in lines if "fullwidth_colon.yaml:10:" in line)
    assert "'：'" in first and "'name: 水晶'" in first


def test_a_full_width_colon_that_parses_is_named_too(tmp_path):
    f = _write(tmp_path, (SCENARIOS / "format_example.yaml").read_text(encoding="utf-8").replace(
        "scenario:\n", "scenario:\n  name：试验\n", 1).replace("  name: 格式示例", "  title: x", 1))
    code, out = _cli("validate", str(f))
    assert code == 2 and "'：'" in out


def test_a_right_to_left_override_is_refused_and_never_printed_raw():
    code, out = _cli("validate", str(BAD / "bidi_id.yaml"))
    assert code == 2 and "\u202e" not in out and "U+202E" in out


@pytest.mark.parametrize("text", ["tags: [industrial、high_tech]", "tags: industrial; high_tech",
                                  "tags: [industrial；high_tech]"])
def test_other_list_separators(tmp_path, text):
    src = (BAD / "tags_without_brackets.yaml").read_text(encoding="utf-8").replace(
        "tags: industrial, high_tech", text)
    code, out = _cli("validate", str(_write(tmp_path, src)))
    assert code == 2 and "[industrial, high_tech]" in out


def test_punctuation_in_free_text_is_fine(tmp_path):
    src = (SCENARIOS / "format_example.yaml").read_text(encoding="utf-8")
    src = re.sub(r"name: 浦江开发区核心区", "name: 浦江开发区核心区（一区），含：光伏；水晶、绗缝", src)
    assert landopt.load(_write(tmp_path, src)).spec.areas["core"].name.endswith("绗缝")


def test_numbers_with_a_space_or_a_colon_are_not_units(tmp_path):
    for v in ("1 200", "1:30"):
        src = (SCENARIOS / "format_example.yaml").read_text(encoding="utf-8").replace(
            "budget: 1200}", f"budget: '{v}'}}")
        code, out = _cli("validate", str(_write(tmp_path, src)))
        assert code == 2 and "thousands separators" in out and "unknown unit" not in out, out


# ------------------------------------------------------------------------------ warnings
def _warnings(tmp_path: Path, text: str) -> list:
    return [w for w in landopt.load(_write(tmp_path, text)).warnings]


EXAMPLE = (SCENARIOS / "format_example.yaml").read_text(encoding="utf-8")


def test_an_empty_value_is_a_warning_that_says_what_unset_means(tmp_path):
    text = EXAMPLE.replace("    capacity: 900             # developable new land, mu\n", "    capacity:\n")
    assert text != EXAMPLE
    (w,) = [w for w in _warnings(tmp_path, text) if w.code == "empty_value"]
    assert w.path == "areas.core.capacity" and "no upper limit" in w.format()
    res = landopt.load(tmp_path / "s.yaml").solve()
    assert any(x.code == "empty_value" for x in res.warnings)
    assert any("empty" in t or "no value" in t for t in res.to_dict()["warnings"])


def test_a_main_platform_without_sectors_warns(tmp_path):
    text = EXAMPLE.replace("sectors: [pv]             # sectors allowed here; all when absent", "sectors: []")
    assert text != EXAMPLE
    codes = [w.code for w in _warnings(tmp_path, text)]
    assert "area_no_sectors" in codes


def test_a_share_whose_part_is_empty_warns(tmp_path):
    text = EXAMPLE.replace("sectors: [pv]             # sectors allowed here; all when absent", "sectors: []")
    ws = _warnings(tmp_path, text)
    assert "share_part_empty" in [w.code for w in ws]  # tilt-land: 70% to a main platform that takes nothing
    res = landopt.load(tmp_path / "s.yaml").solve()
    assert res.objective == 0.0 and "share_part_empty" in [w.code for w in res.warnings]
    assert any("tilt-land" in t for t in res.to_dict()["warnings"])


def test_a_rule_that_selects_nothing_warns(tmp_path):
    text = EXAMPLE.replace("part: {role: main}", "part: {role: main}\n    of: {role: linked}")
    assert "rule_selects_nothing" in [w.code for w in _warnings(tmp_path, text)]


def test_a_cap_on_a_metric_nothing_has_warns(tmp_path):
    text = EXAMPLE.replace("metrics:                      # optional: names and units of other quantities\n",
                           "metrics:\n  jobs: {name: 就业, unit: 人}\n") + \
        "\n".join(["", "variants: {}"]) * 0
    text = text.replace("rules:\n", "rules:\n  - {id: jobs-cap, kind: cap, metric: jobs, max: 100}\n", 1)
    assert "metric_zero_in_rule" in [w.code for w in _warnings(tmp_path, text)]


def test_warnings_reach_the_json_and_the_report(tmp_path):
    text = EXAMPLE.replace("    capacity: 900             # developable new land, mu\n", "    capacity:\n")
    f = _write(tmp_path, text)
    code, out = _cli("solve", str(f), "--format", "json")
    data = json.loads(out[out.index("{"):])
    assert any("capacity" in w for w in data["warnings"])
    code, out = _cli("--lang", "zh", "solve", str(f))
    assert "没有值" in out


# --------------------------------------------------------------- Hypothesis: slip mutants
def _flow_numbers(text: str) -> list[re.Match]:
    """Numbers of 4+ digits written as values inside { } (where a separator is a slip)."""
    return [m for m in re.finditer(r"(?<=: )(\d{4,})(?=[,}])", text) if text.rfind("{", 0, m.start()) >
            text.rfind("}", 0, m.start())]


def _keys(text: str) -> list[re.Match]:
    """Keys of single-line per_mu and existing tables (a typo there is a new metric) and other keys."""
    spans = [m.span(1) for m in re.finditer(r"(?:per_mu|existing|by_sector): (\{[^\n]*\})", text)]
    inside = [m for m in re.finditer(r"(?<=[{ ,])([a-z_]{3,})(?=: )", text)
              if any(a <= m.start() < b for a, b in spans)]
    return inside or list(re.finditer(r"(?<=[{ ,])([a-z_]{3,})(?=: )", text))


def _lists(text: str) -> list[re.Match]:
    """Two neighbouring ids in a tags, sectors or selector list."""
    return list(re.finditer(r"(?:(?<=\[)|(?<=, ))([a-z_][a-z0-9_]*), ([a-z_][a-z0-9_]*)(?=[],])", text))


SOURCES = {name: (SCENARIOS / name).read_text(encoding="utf-8")
           for name in ("format_example.yaml", "reform_compilation.yaml", "hangzhou_17_platforms.yaml",
                        "teaching/t03_share.yaml", "teaching/t06_multiyear.yaml")}
BASELINE: dict[str, float] = {}


def _plan(path: Path) -> tuple:
    res = landopt.load(path).solve(solver="highs")
    return res.status, None if res.objective is None else round(res.objective, 6)


@st.composite
def mutants(draw):
    name = draw(st.sampled_from(sorted(SOURCES)))
    text = SOURCES[name]
    kind = draw(st.sampled_from(["separator", "fullwidth", "typo", "colon"]))
    if kind == "separator":
        found = _flow_numbers(text)
        if not found:
            return name, text, kind
        m = draw(st.sampled_from(found))
        digits = m.group(1)
        return name, text[:m.start()] + f"{int(digits):,}" + text[m.end():], kind
    if kind == "fullwidth":
        found = _lists(text)
        if not found:
            return name, text, kind
        m = draw(st.sampled_from(found))
        ch = draw(st.sampled_from(["，", "、", "；", "，\u3000"]))
        return name, text[:m.start()] + f"{m.group(1)}{ch}{m.group(2)}" + text[m.end():], kind
    found = _keys(text)
    m = draw(st.sampled_from(found))
    key = m.group(1)
    if kind == "colon":  # `key:value`: drop the space after the colon
        end = m.end() + 1
        return name, text[:end] + text[end + 1:], kind
    i = draw(st.integers(0, len(key) - 1))
    op = draw(st.sampled_from(["drop", "double", "swap", "change"]))
    if op == "drop":
        typo = key[:i] + key[i + 1:]
    elif op == "double":
        typo = key[:i] + key[i] + key[i:]
    elif op == "swap" and i + 1 < len(key):
        typo = key[:i] + key[i + 1] + key[i] + key[i + 2:]
    else:
        typo = key[:i] + draw(st.sampled_from("abcdefghijklmnopqrstuvwxyz")) + key[i + 1:]
    return name, text[:m.start()] + typo + text[m.end():], kind


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutants())
def test_every_slip_is_refused_or_changes_nothing(tmp_path, case):
    """A valid scenario mutated with one slip of issue 8 §2 (thousands separators in { }, full-width
    punctuation in lists, one-letter typos in keys, a colon without its space) is either rejected with a
    located message (exit 2) or solves to the same plan as the original."""
    name, text, kind = case
    folder = tmp_path / name.replace("/", "_")
    folder.mkdir(exist_ok=True)
    src = SCENARIOS / name
    if "extends" in text:  # keep relative extends working
        text = re.sub(r"extends: (\S+)", lambda m: f"extends: {(src.parent / m.group(1)).resolve()}", text)
    mutant = _write(folder, text, "m.yaml")
    if name not in BASELINE:
        BASELINE[name] = _plan(src)
    try:
        got = _plan(mutant)
    except InputError as e:
        assert all(i.mark is not None or i.file for i in e.issues), e.render()
        return
    assert got == BASELINE[name], (kind, got, BASELINE[name])


def test_from_dict_checks_slips_too():
    import yaml

    data = yaml.safe_load(EXAMPLE)
    data["sectors"]["pv"]["tags"] = ["industrial，high_tech"]
    with pytest.raises(InputError) as e:
        landopt.from_dict(data)
    (issue,) = [i for i in e.value.issues if i.code == "one_id_for_a_list"]
    assert issue.path == "sectors.pv.tags.0" and "[industrial, high_tech]" in issue.format()


def test_a_misspelt_resource_in_an_extending_file_is_refused(tmp_path):
    """`enrgy: {budget: ...}` over a base that has `energy`: a new resource that limits nothing, and the
    base's energy budget left in force (found by the mutation test above on t06_multiyear)."""
    src = (SCENARIOS / "teaching" / "t06_multiyear.yaml").read_text(encoding="utf-8")
    src = src.replace("  energy: {budget:", "  enrgy: {budget:").replace(
        "extends: _fragments/base.yaml", f"extends: {SCENARIOS / 'teaching' / '_fragments' / 'base.yaml'}")
    code, out = _cli("validate", str(_write(tmp_path, src)))
    assert code == 2 and "did you mean 'energy'?" in out


def test_an_unused_resource_with_its_own_name_is_a_warning(tmp_path):
    line = next(x for x in EXAMPLE.splitlines(keepends=True) if x.startswith("  nox:"))
    text = EXAMPLE.replace(line, line + "  water: {name: 用水指标, budget: 5}\n")
    assert text != EXAMPLE
    assert "resource_unused" in [w.code for w in _warnings(tmp_path, text)]
