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


def test_deleting_an_area_sector_resource_or_metric_that_does_not_exist_is_an_error(tmp_path):
    f = _write(tmp_path, "areas: {zhengjiawuu: null}\nsectors: {pvv: null}\nresources: {so22: null}\n"
                         "metrics: {taxx: null}\n")
    with pytest.raises(InputError) as e:
        landopt.load(f)
    got = [(i.code, i.path, i.params["what"]) for i in e.value.issues]
    assert got == [("unknown_id", "areas.zhengjiawuu", "area"), ("unknown_id", "sectors.pvv", "sector"),
                   ("unknown_id", "resources.so22", "resource"), ("unknown_id", "metrics.taxx", "metric")]
    assert "did you mean 'zhengjiawu'" in e.value.issues[0].format()


def test_a_guessed_rule_kind_hides_only_what_depends_on_the_kind(tmp_path):
    f = _write(tmp_path, "rules:\n  per-mu-tax: {kind: bogus, metric: landd}\nareas:\n  core: {role: null, capacity: -5}\n")
    with pytest.raises(InputError) as e:
        landopt.load(f)
    codes = {(i.code, i.path) for i in e.value.issues}
    assert {("unknown_rule_kind", "rules.1.kind"), ("unknown_metric", "rules.1.metric"),
            ("missing_key", "areas.core.role"), ("negative", "areas.core.capacity")} <= codes


def test_set_with_an_empty_value_says_so():
    with pytest.raises(InputError) as e:
        landopt.load(EXAMPLE, sets=("resources.energy.budget=",))
    (issue,) = e.value.issues
    assert issue.code == "set_syntax" and "is not KEY=VALUE" in issue.format()


def test_a_new_name_drops_the_old_english_name(tmp_path):
    f = _write(tmp_path, "rules: {tilt-land: {name: 新名称}}\nvariants:\n  v: {areas: {core: {name: 核心}}}\n")
    base = landopt.load(EXAMPLE).spec
    assert next(r for r in base.rules if r.id == "tilt-land").name_en and base.areas["core"].name_en
    spec = landopt.load(f, ["v"]).spec
    assert next(r for r in spec.rules if r.id == "tilt-land").name_en in (None, "")
    assert spec.areas["core"].name_en in (None, "")
    assert landopt.load(EXAMPLE, sets=("areas.core.name=核心",)).spec.areas["core"].name_en in (None, "")
    kept = landopt.load(EXAMPLE, sets=("areas.core.capacity=5000",)).spec.areas["core"]
    assert kept.name_en == base.areas["core"].name_en


@pytest.mark.parametrize("key", ["resources.land.budget=900", "rules.pj10-tilt-land.min=0.7", "scenario.region=X",
                                 "areas.nosuch.capacity=3", "resources.energy.budget.2025=20"])
def test_a_path_copy_takes_a_set_as_a_whole_copy_does_and_leaves_the_tree(key):
    """`path_copy` copies only the mappings on the path: `apply_sets` on it gives what it gives on a deep copy
    (the same tree, the same problems), and the original is untouched (the sweep checks each value this way)."""
    import copy

    from landopt.input.compose import apply_sets, load_composed, path_copy
    from landopt.input.reader import to_plain

    tree = load_composed(SCENARIOS / "pujiang_2021_2025_new_land.yaml").tree
    before = to_plain(tree)
    deep, cheap = copy.deepcopy(tree), path_copy(tree, key)
    issues_deep: list = []
    issues_cheap: list = []
    apply_sets(deep, (key,), issues_deep)
    apply_sets(cheap, (key,), issues_cheap)
    assert to_plain(cheap) == to_plain(deep)
    assert [(i.code, i.params) for i in issues_cheap] == [(i.code, i.params) for i in issues_deep]
    assert to_plain(tree) == before
    if not issues_deep:
        assert to_plain(cheap) != before


def test_more_sets_on_a_composed_scenario_equal_composing_it_with_them():
    # a sweep's worker composes its file once and each point from that (`with_sets`): the same tree, positions
    # and scenario as composing the file with all the values, and the composed base is left as it was
    from landopt.input.compose import load_composed, with_sets
    from landopt.scenario import from_composed

    path = SCENARIOS / "pujiang_2021_2025_new_land.yaml"
    base = load_composed(path, (), ("resources.energy.budget.2025=31",))
    before = base.plain()
    point = ("resources.land.budget=1200", "scenario.prepared_by=测试局")
    got = with_sets(base, point)
    want = load_composed(path, (), ("resources.energy.budget.2025=31", *point))
    assert got.plain() == want.plain() and got.marks() == want.marks() and got.sets == want.sets
    assert base.plain() == before and base.sets == ("resources.energy.budget.2025=31",)
    a, b = from_composed(got).solve(solver="clp"), landopt.load(path, (), want.sets).solve(solver="clp")
    assert a.objective == b.objective and a.status == b.status == "optimal"
    with pytest.raises(InputError) as err:
        with_sets(base, ("resources.lnad.budget=1",))
    assert [i.code for i in err.value.issues] == ["set_path_missing"]
    assert base.plain() == before


BAD = SCENARIOS.parent / "tests" / "data" / "bad"


def _scenario_files() -> list:
    return sorted(p for p in SCENARIOS.rglob("*.yaml") if "_fragments" not in p.parts) + sorted(BAD.glob("*.yaml"))


@pytest.mark.parametrize("path", _scenario_files(), ids=lambda p: p.name)
def test_marks_looked_up_on_demand_are_the_walks(path):
    """`Composed.marks()` finds a path's marks by following it down the tree: every path the walk yields has the
    walk's (value mark, key mark), and a path not in the tree is not found."""
    from landopt.input.compose import load_composed
    from landopt.input.reader import walk_marks

    try:
        composed = load_composed(path, (), ())
    except InputError:
        pytest.skip("does not compose")
    marks = composed.marks()
    walked = {p: (m, k) for p, m, k in walk_marks(composed.tree)}
    assert len(marks) == len(walked)
    for p, want in walked.items():
        assert p in marks and marks[p] == want
    for missing in [("no such key",), ("areas", "no such area", "capacity"), ("rules", 10_000), ("scenario", 0, 1)]:
        assert missing not in marks and marks.get(missing) is None
    assert "areas" not in marks  # a path is a tuple


def test_slips_remembered_for_unchanged_sections_are_the_walks():
    """A sweep's points share the composed base's untouched sections: the slips found there once are reused, and
    the slips of every point, in order, are those of a walk of its tree from scratch; a slip in a point's own
    value is found."""
    from landopt.input.compose import load_composed, with_sets
    from landopt.input.slips import check_tree

    path = BAD / "fullwidth_id.yaml"
    base = load_composed(path, (), ())
    memo: dict = {}
    for point in [(), ("scenario.name=甲",), ("scenario.name=甲，乙",), ()]:
        tree = with_sets(base, point).tree if point else base.tree
        want = check_tree(tree, base.nulls)
        got = check_tree(tree, base.nulls, memo)
        assert [(i.code, i.path, i.params) for i in got] == [(i.code, i.path, i.params) for i in want]
        assert want  # the file's own slip, at every point
    assert memo  # sections remembered
    sections = {k: v[0] for k, v in memo.items()}
    check_tree(with_sets(base, ("scenario.name=丙",)).tree, base.nulls, memo)
    changed = [k for k, v in memo.items() if v[0] is not sections[k]]
    assert changed == ["scenario"]  # only the section the point changed was walked again
