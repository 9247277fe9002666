"""Putting one scenario together: `extends`, variants and ``--set``, in that order.

Priority, lowest first: the files named by `extends` (in list order) < the file
itself < the selected `variants` (in the order given) < ``--set`` options.

Merging (``merge``): mappings merge key by key; any other value replaces; a
`null` value deletes the key; a mapping that sets `name` without `name_en` drops the base's
`name_en` (it named the old name). One addition to the contract: when the base value
is a list of mappings that carry `id` (the `rules` list) and the override is a
mapping, the override's keys are rule ids and each entry merges into the rule
with that id (a new id appends a rule, `null` deletes one). That lets a variant
write ``rules: {tilt-land: {min: 0.8}}`` instead of repeating the whole list.

Every value keeps the file, line and column it came from, so messages point at
the file that set the value, even through `extends`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from landopt.errors import InputError, Issue, Mark
from landopt.i18n.messages import closest
from landopt.i18n.text import Bi
from landopt.input import tables
from landopt.input.reader import (MAX_EXPANDED_NODES, VALUE_ISSUES, LMap, LNode, LScalar, LSeq, TreeMarks,
                            load_file, parse_scalar_text, to_plain)


@dataclass
class Composed:
    """A scenario's merged content with the position of every value."""

    tree: LMap
    path: Path
    variants: tuple[str, ...] = ()
    sets: tuple[str, ...] = ()
    files: list[str] = field(default_factory=list)
    nulls: list[tuple[tuple, Mark | None]] = field(default_factory=list)
    """(path, key mark) of every `null` that deleted nothing; `landopt.input.validate` checks them (an unknown
    key left empty, an id deleted that is not there)."""
    issues: list[Issue] = field(default_factory=list)
    """Problems with single values found while reading (NaN, overflow, duplicate keys).
    The value is left out and loading goes on, so that the rest of the file is checked in the same run;
    `scenario.load` reports these with the others and never uses the tree when there are any."""
    notes: list[Issue] = field(default_factory=list)
    """Warnings found while reading (a table's hidden rows, formulas read by their saved values): shown with
    the scenario's warnings (`landopt.scenario.load`)."""
    expect_dropped: tuple[str, ...] = ()
    """The selected variants that each set `expect` (two or more): their combination has no `expect`."""
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    """What the checks of the tree remember of its unchanged parts (`landopt.input.slips.check_tree`); shared with
    the scenarios composed from this one by `with_sets`, whose trees keep its untouched subtrees."""

    def plain(self) -> dict:
        """The merged content as plain Python data (nulls removed)."""
        return to_plain(self.tree)

    def marks(self) -> TreeMarks:
        """path tuple -> (value mark, key mark), looked up on demand (`TreeMarks`)."""
        return TreeMarks(self.tree)


def is_null(node: LNode) -> bool:
    """True for a scalar null (the deletion marker)."""
    return isinstance(node, LScalar) and node.value is None


Nulls = list[tuple[tuple, Mark | None]]
"""Where `null` values were dropped without deleting anything: (path, key mark)."""


def strip_nulls(node: LNode, nulls: Nulls | None = None, path: tuple = (), keep: tuple[str, ...] = ()) -> LNode:
    """Remove null-valued keys from every mapping (null deletes a key), noting them in `nulls`.

    Top-level keys named in `keep` are left as they are (variants keep their nulls until applied).
    """
    if isinstance(node, LMap):
        items = {}
        for k, v in node.items.items():
            if is_null(v):
                if nulls is not None:
                    nulls.append((path + (k,), node.key_marks.get(k) or v.mark))
            elif k in keep:
                items[k] = v
            else:
                items[k] = strip_nulls(v, nulls, path + (k,))
        return LMap(items, node.mark, {k: node.key_marks.get(k) for k in items})
    if isinstance(node, LSeq):
        return LSeq([strip_nulls(v, nulls, path + (i,)) for i, v in enumerate(node.items)], node.mark)
    return node


def _id_list(node: LNode) -> bool:
    return isinstance(node, LSeq) and all(
        isinstance(it, LMap) and isinstance(it.items.get("id"), LScalar) for it in node.items)


def _drop_old_english_name(items: dict, key_marks: dict) -> None:
    """A mapping given a new `name` loses its `name_en`, which named the old one (`merge`, ``--set``)."""
    items.pop("name_en", None)
    key_marks.pop("name_en", None)


def merge(base: LNode, over: LNode, nulls: Nulls | None = None, path: tuple = ()) -> LNode:
    """Deep-merge `over` onto `base` (see module docstring). Inputs are not modified.

    A null that deletes nothing is noted in `nulls` (it may be a misspelt key).
    """
    if isinstance(base, LMap) and isinstance(over, LMap):
        items = dict(base.items)
        kms = dict(base.key_marks)
        if "name" in over.items and "name_en" not in over.items:
            _drop_old_english_name(items, kms)
        for k, v in over.items.items():
            if is_null(v):
                if items.pop(k, None) is None and nulls is not None:
                    nulls.append((path + (k,), over.key_marks.get(k) or v.mark))
                kms.pop(k, None)
            elif k in items:
                items[k] = merge(items[k], v, nulls, path + (k,))
                kms[k] = over.key_marks.get(k, kms.get(k))
            else:
                items[k] = v
                kms[k] = over.key_marks.get(k)
        return LMap(items, base.mark, kms)
    if _id_list(base) and isinstance(over, LMap):
        assert isinstance(base, LSeq)
        out: list[LNode] = []
        seen = set()
        for it in base.items:
            assert isinstance(it, LMap)
            rid = it.items["id"].value  # type: ignore[union-attr]
            seen.add(rid)
            if rid in over.items:
                ov = over.items[rid]
                if is_null(ov):
                    continue
                out.append(merge(it, ov, nulls, path + (len(out),)))
            else:
                out.append(it)
        for rid, ov in over.items.items():
            if rid not in seen and is_null(ov) and nulls is not None:
                nulls.append((path + (rid,), over.key_marks.get(rid) or ov.mark))
            if rid not in seen and not is_null(ov):
                if isinstance(ov, LMap) and "id" not in ov.items:
                    ov = LMap({"id": LScalar(rid, over.key_marks.get(rid) or ov.mark), **ov.items},
                              ov.mark, {"id": over.key_marks.get(rid), **ov.key_marks})
                out.append(ov)
        return LSeq(out, base.mark)
    return over


# ------------------------------------------------------------------ extends
def load_composed(path: str | Path, variants: tuple[str, ...] = (), sets: tuple[str, ...] = ()) -> Composed:
    """Load `path` with its `extends` chain, then apply variants and ``--set`` values.

    Raises InputError with every issue found.
    """
    p = Path(path)
    issues: list[Issue] = []
    files: list[str] = []
    nulls: Nulls = []
    values: list[Issue] = []
    notes: list[Issue] = []
    tree = _load_with_extends(p, (), issues, files, nulls, [0], values, notes)
    if tree is None or issues:
        raise InputError(values + issues or [Issue("file_empty", {}, file=str(p))])
    tree = strip_nulls(tree, nulls, keep=("variants",))
    assert isinstance(tree, LMap)
    expect_dropped: list[str] = []
    if variants:
        tree = apply_variants(tree, variants, issues, nulls, expect_dropped)
    if sets:
        tree = apply_sets(tree, sets, issues)
    if issues:
        raise InputError(values + issues)
    return Composed(tree=tree, path=p, variants=tuple(variants), sets=tuple(sets), files=files, nulls=nulls,
                    issues=values, notes=notes, expect_dropped=tuple(expect_dropped))


TOP_LEVEL_KEYS = frozenset({"version", "scenario", "units", "resources", "metrics", "sectors", "areas", "projects",
                            "rules", "objective", "expect", "variants", "solve", "sweep", "extends"})
"""The keys a scenario file may have at its top level (tests/test_hostile.py keeps it equal to the schema's)."""
MAX_EXTENDS_DEPTH = 32
"""Longest chain of `extends` followed (a file extending a file extending ... )."""


def _real(p: Path) -> Path | None:
    """The absolute path with every link resolved, or None for a loop of links."""
    try:
        return p.resolve()
    except (RuntimeError, OSError):  # Python 3.11 raises RuntimeError for a symlink loop
        return None


def _display(p: Path) -> str:
    real = _real(p)
    try:
        return str(real.relative_to(Path.cwd().resolve())) if real else str(p)
    except ValueError:
        return str(p)


def _inside(target: Path, folders: tuple[Path, ...]) -> bool:
    return any(target == f or f in target.parents for f in folders)


def _load_with_extends(p: Path, chain: tuple[Path, ...], issues: list[Issue], files: list[str],
                       nulls: Nulls, nodes: list[int], values: list[Issue], notes: list[Issue]) -> LMap | None:
    """Load `p` and the files it extends; `nodes[0]` counts expanded nodes over the whole chain.

    Problems with single values go to `values` and loading goes on (see `Composed.issues`); warnings to
    `notes`. The tables a file names (`landopt.input.tables`) are read as part of that file.
    """
    disp = _display(p)
    root, file_issues = load_file(p, disp, nodes)  # the alias cap applies to the whole chain
    if chain and (file_issues and any(i.code == "top_not_mapping" for i in file_issues)
                  or isinstance(root, LMap) and not set(map(str, root.items)) <= TOP_LEVEL_KEYS):
        # a file named by `extends` that is not a scenario: say so, and echo nothing of it
        issues.append(Issue("extends_not_scenario", {"path": disp}, file=disp))
        return None
    if file_issues and (not isinstance(root, LMap) or any(i.code not in VALUE_ISSUES for i in file_issues)):
        issues.extend(file_issues)
        return None
    values.extend(file_issues)
    assert isinstance(root, LMap)
    files.append(disp)
    ext = root.items.get("extends")
    me = _real(p) or p.absolute()
    allowed = (chain[0].parent if chain else me.parent, Path.cwd().resolve())
    if ext is None:
        return _with_tables(root, None, p, allowed, issues, values, notes, nulls)
    own = LMap({k: v for k, v in root.items.items() if k != "extends"}, root.mark,
               {k: v for k, v in root.key_marks.items() if k != "extends"})
    targets: list[LScalar] = []
    if isinstance(ext, LScalar) and isinstance(ext.value, str):
        targets = [ext]
    elif isinstance(ext, LSeq) and all(isinstance(t, LScalar) and isinstance(t.value, str) for t in ext.items):
        targets = list(ext.items)  # type: ignore[arg-type]
    elif is_null(ext):
        return _with_tables(own, None, p, allowed, issues, values, notes, nulls)
    else:
        issues.append(Issue("extends_type", {}, path="extends", mark=ext.mark))
        return None
    base: LNode | None = None
    if len(chain) + 1 >= MAX_EXTENDS_DEPTH:
        issues.append(Issue("extends_too_deep", {"limit": MAX_EXTENDS_DEPTH}, path="extends", mark=ext.mark))
        return None
    for t in targets:
        target = _real(p.parent / t.value)
        if target is None:
            issues.append(Issue("extends_link_loop", {"target": t.value}, path="extends", mark=t.mark))
            continue
        if target == me or target in chain:
            cycle = " -> ".join(_display(c) for c in (*chain, me, target))
            issues.append(Issue("extends_cycle", {"cycle": cycle}, path="extends", mark=t.mark))
            return None
        if not target.exists():
            issues.append(Issue("extends_missing", {"target": t.value, "path": _display(target)},
                                path="extends", mark=t.mark))
            continue
        if target.is_dir():
            issues.append(Issue("extends_directory", {"target": t.value}, path="extends", mark=t.mark))
            continue
        if not target.is_file():  # a device or a pipe: named, never read
            issues.append(Issue("file_not_regular", {"path": t.value}, path="extends", mark=t.mark))
            continue
        if not _inside(target, allowed):
            issues.append(Issue("extends_outside", {"target": t.value, "folder": _display(allowed[0])},
                                path="extends", mark=t.mark))
            continue

        if nodes[0] > MAX_EXPANDED_NODES:  # the chain is refused already: read no more of it
            break
        sub = _load_with_extends(target, (*chain, me), issues, files, nulls, nodes, values, notes)
        if sub is None:
            continue
        base = sub if base is None else merge(base, sub, nulls)
    if base is None:
        return None
    assert isinstance(base, LMap)
    out = merge(base, _with_tables(own, base, p, allowed, issues, values, notes, nulls), nulls)
    assert isinstance(out, LMap)
    return out


def _with_tables(layer: LMap, base: LMap | None, p: Path, allowed: tuple[Path, ...], issues: list[Issue],
                 values: list[Issue], notes: list[Issue], nulls: Nulls) -> LMap:
    """`layer` (one file's own content) with the tables it names read in: each section's table, with the
    file's own entries of that section merged over it (the YAML wins, as a file over what it extends)."""
    if not any(tables.is_table_ref(layer.items.get(s)) for s in tables.SECTIONS):
        return layer
    read = tables.expand(layer, base, p, _display, allowed, issues, values, notes)
    items = dict(layer.items)
    for section, (table, own) in read.items():
        merged = merge(table, own, nulls, (section,))
        assert isinstance(merged, LMap)
        items[section] = LMap(merged.items, layer.items[section].mark, merged.key_marks)
    return LMap(items, layer.mark, dict(layer.key_marks), layer.merged)


# ----------------------------------------------------------------- variants
def _leaf_paths(node: LNode, prefix: tuple = ()) -> list[tuple]:
    if isinstance(node, LMap) and node.items:
        out: list[tuple] = []
        for k, v in node.items.items():
            out.extend(_leaf_paths(v, prefix + (k,)))
        return out
    return [prefix]


def variant_names(tree: LMap) -> list[str]:
    """Names of the variants a scenario defines."""
    v = tree.items.get("variants")
    return [str(k) for k in v.items] if isinstance(v, LMap) else []


EXPECT = "expect"
"""The one key two selected variants may both set: expectations describe one variant alone, so a
combination of variants that carry their own `expect` has none (see `apply_variants`)."""


def apply_variants(tree: LMap, names: tuple[str, ...], issues: list[Issue], nulls: Nulls | None = None,
                   expect_dropped: list[str] | None = None) -> LMap:
    """Merge the named variants over `tree`; two variants setting one key is an error, except `expect`.

    `expect` is what one variant alone should give (`landopt check`), not a setting of the model:
    when two or more selected variants set it (a null counts), the combined scenario carries no
    `expect` at all, and their names are appended to `expect_dropped` (so `landopt check` can say why
    the combination is not checked). `solve` never reads `expect`, so such variants combine freely.
    """
    vnode = tree.items.get("variants")
    defined = vnode.items if isinstance(vnode, LMap) else {}
    owner: dict[tuple, str] = {}
    with_expect: list[str] = []
    out: LNode = tree
    for name in names:
        if name == "base":
            continue
        if name not in defined:
            issues.append(Issue("variant_unknown", {
                "got": name, "known": ", ".join(map(str, defined)) or Bi("(none: the file has no variants:)",
                                                                          "(无: 文件没有 variants:)")},
                path="variants", mark=vnode.mark if isinstance(vnode, LMap) else None,
                file=None if vnode else "--variant", suggest=closest(name, map(str, defined))))
            continue
        v = defined[name]
        if not isinstance(v, LMap):
            continue  # the schema reports it
        if "variants" in v.items or "extends" in v.items:
            issues.append(Issue("variant_nested", {}, path=f"variants.{name}", mark=vnode.key_marks.get(name, v.mark)))
            continue
        if EXPECT in v.items and name not in with_expect:
            with_expect.append(name)
        for lp in _leaf_paths(v):
            if lp[:1] == (EXPECT,):
                continue  # expectations never conflict: see the docstring
            for other_path, other in owner.items():
                if other != name and (lp[: len(other_path)] == other_path or other_path[: len(lp)] == lp):
                    issues.append(Issue("variant_conflict", {"a": other, "b": name, "key": ".".join(map(str, lp))},
                                        path=f"variants.{name}", mark=vnode.key_marks.get(name, v.mark)))
                    break
            owner.setdefault(lp, name)
        out = merge(out, v, nulls)
    out = strip_nulls(out, nulls, keep=("variants",))
    assert isinstance(out, LMap)
    if len(with_expect) >= 2:
        out.items.pop(EXPECT, None)
        out.key_marks.pop(EXPECT, None)
        if expect_dropped is not None:
            expect_dropped.extend(with_expect)
    return out


# ---------------------------------------------------------------------- --set
_KINDS = {"boolean": Bi("boolean", "布尔值"), "number": Bi("number", "数值"), "text": Bi("text", "文本"),
          "list": Bi("list", "列表"), "mapping": Bi("mapping", "映射"), "null": Bi("null", "空值")}
"""The kinds of value ``--set`` tells apart, in words."""


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "text"
    if isinstance(v, list):
        return "list"
    if isinstance(v, dict):
        return "mapping"
    return "null"


SETTABLE_HEADER = ("prepared_by", "prepared_on")
"""Keys of `scenario:` that ``--set`` may add when the file lacks them: who prepared the report and when
(编制单位, 编制日期) are known at run time, not when the scenario is written."""


def apply_sets(tree: LMap, sets: tuple[str, ...], issues: list[Issue]) -> LMap:
    """Apply ``--set a.b.c=value`` options; the path must exist (except `SETTABLE_HEADER` under `scenario`)
    and the type must fit."""
    for opt in sets:
        if "=" not in opt:
            issues.append(Issue("set_syntax", {"got": opt}, file="--set"))
            continue
        key, text = opt.split("=", 1)
        if not text.strip():  # `key=` with nothing after it: not an empty YAML document
            issues.append(Issue("set_syntax", {"got": opt}, file="--set"))
            continue
        parts = [p for p in key.strip().split(".")]
        value, vis = parse_scalar_text(text, f"--set {key}")
        if vis:
            issues.extend(vis)
            continue
        node: LNode = tree
        parent_path: list[str] = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if isinstance(node, LMap):
                k = _match_key(node, part)
                if k is _MISSING and last and parent_path == ["scenario"] and part in SETTABLE_HEADER:
                    mark = Mark("--set", 1, len(key) + 2)  # the report's header fields may be added at run time
                    node.items[part] = _to_located(value if isinstance(value, str) else text.strip(), mark)
                    node.key_marks[part] = mark
                    break
                if k is _MISSING:
                    issues.append(_set_missing(key, part, parent_path, [str(x) for x in node.items]))
                    break
                if last:
                    old = node.items[k]
                    new = _set_value(old, value, key, text, issues)
                    if new is not None:
                        node.items[k] = new
                        if k == "name":
                            _drop_old_english_name(node.items, node.key_marks)
                else:
                    node = node.items[k]
            elif isinstance(node, LSeq):
                idx = _seq_index(node, part)
                if idx is None:
                    ids = [str(it.items["id"].value) for it in node.items
                           if isinstance(it, LMap) and isinstance(it.items.get("id"), LScalar)]
                    issues.append(_set_missing(key, part, parent_path, ids or [str(j) for j in range(len(node.items))]))
                    break
                if last:
                    new = _set_value(node.items[idx], value, key, text, issues)
                    if new is not None:
                        node.items[idx] = new
                else:
                    node = node.items[idx]
            else:
                issues.append(_set_missing(key, part, parent_path, []))
                break
            parent_path.append(part)
    return tree


_MISSING = object()


def path_copy(tree: LMap, key: str) -> LMap:
    """`tree` with every mapping and sequence on ``--set`` path `key` copied (shallowly: their items are shared
    otherwise), so that `apply_sets` of that one path changes the copy and never `tree` itself: a path checked
    against a large scenario without copying all of it (`copy.deepcopy` of a 1e5-nonzero scenario takes about
    half a second). Walks the path as `apply_sets` does, as far as it exists."""
    root = LMap(dict(tree.items), tree.mark, dict(tree.key_marks), set(tree.merged))
    node: LNode = root
    for part in key.split("=", 1)[0].strip().split("."):
        if isinstance(node, LMap):
            k = _match_key(node, part)
            if k is _MISSING:
                break
            child = node.items[k]
        elif isinstance(node, LSeq):
            idx = _seq_index(node, part)
            if idx is None:
                break
            k, child = idx, node.items[idx]
        else:
            break
        if isinstance(child, LMap):
            child = LMap(dict(child.items), child.mark, dict(child.key_marks), set(child.merged))
        elif isinstance(child, LSeq):
            child = LSeq(list(child.items), child.mark)
        else:
            break
        node.items[k] = child
        node = child
    return root


def with_sets(base: Composed, sets: tuple[str, ...]) -> Composed:
    """`base` with more ``--set`` values applied after its own, as `load_composed` with ``base.sets + sets``
    would give, without reading the file again; `base` is left as it is (each path is copied first,
    `path_copy`). Raises InputError with every issue found. A sweep's worker composes its file once and each
    point from it (`landopt.explore.sweep`)."""
    tree = base.tree
    for opt in sets:
        tree = path_copy(tree, opt)
    issues: list[Issue] = []
    tree = apply_sets(tree, sets, issues)
    if issues:
        raise InputError(list(base.issues) + issues)
    return replace(base, tree=tree, sets=base.sets + tuple(sets))


def _match_key(node: LMap, part: str) -> Any:
    if part in node.items:
        return part
    for k in node.items:
        if str(k) == part:
            return k
    return _MISSING


def _seq_index(node: LSeq, part: str) -> int | None:
    for j, it in enumerate(node.items):
        if isinstance(it, LMap) and isinstance(it.items.get("id"), LScalar) and str(it.items["id"].value) == part:
            return j
    if part.isdigit() and int(part) < len(node.items):
        return int(part)
    return None


def _set_missing(path: str, part: str, parent: list[str], known: list[str]) -> Issue:
    return Issue("set_path_missing", {
        "path": path, "missing": part, "parent": ".".join(parent) or Bi("(top level)", "(顶层)"),
        "known": ", ".join(known) or Bi("(nothing)", "(无)")}, file="--set", suggest=closest(part, known))


def _set_value(old: LNode, value: Any, key: str, text: str, issues: list[Issue]) -> LNode | None:
    old_kind = _kind(to_plain(old))
    new_kind = _kind(value)
    compatible = old_kind == new_kind or {old_kind, new_kind} <= {"number", "text"} and (
        old_kind == "text" or isinstance(value, str))
    if old_kind == "number" and new_kind == "text":
        compatible = True  # a quantity string such as '25000 tce' replacing a number
    if not compatible:
        issues.append(Issue("set_type", {"path": key, "value": text, "old": _KINDS[old_kind], "new": _KINDS[new_kind]},
                            file="--set"))
        return None
    return _to_located(value, Mark("--set", 1, len(key) + 2))


def _to_located(value: Any, mark: Mark) -> LNode:
    if isinstance(value, dict):
        return LMap({k: _to_located(v, mark) for k, v in value.items()}, mark, {k: mark for k in value})
    if isinstance(value, list):
        return LSeq([_to_located(v, mark) for v in value], mark)
    return LScalar(value, mark, str(value))
