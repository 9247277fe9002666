"""Validation in one pass: the schema's tables (`landopt.input.schema`) walked once over the data.

Design
------
`validate(data, marks, empties)` walks the plain data that the file, its `extends` chain, the selected
variants and ``--set`` made (`data`), along the schema's tables, item by item, and reports each
problem where it finds it, located by `marks` (path -> the value's and the key's place in a file).
It reads each value once and never repairs one: a wrong value reads as absent (its key's default), a
list item that is not what the list holds stays in its place as None (so the positions of the others,
which messages name, do not move), an item missing a required key is kept without it; the rest of the
file is read on regardless. What it read comes back as `Fields` (one attribute per key), which
`landopt.input.resolve` turns into a `Spec`, checking what needs the whole scenario (ids, units,
bounds) and reporting its problems in the same run. The one case where nothing can be resolved is a
file without usable `sectors` or `areas` (ids everywhere refer to them): then `validate` returns None
and its problems are all there is to say.

Three things need an item as a whole, and are decided here:

* **A misspelt required key is one problem.** An unknown key whose closest allowed key is a required
  key the item lacks (`rol:` for `role:`) stands for that key: one `misspelt_required_key` message,
  and its value is read as the required key's (so `rol: subb` is also told that 'subb' is not a role,
  at its own line). The suggestion is data (`Issue.suggest`), never text to be parsed.
* **Keys written with no value.** YAML's null deletes a key when scenarios are merged, so a key left
  empty (`capacty:`, or the fragment ``E)`` that an unquoted comma in ``{name: 金义新区 (金东, E)}``
  leaves) is gone from `data`; the composer hands every such key over as `empties`. At a section the
  walk asks the table whether it knows the key: an unknown one is `unknown_key_empty` (or a misspelt
  required key), a known one an `empty_value` warning that says what leaving it unset means
  (`Key.unset`). An id deleted from `areas`, `sectors`, `resources`, `metrics` or `rules` that is not
  there is `unknown_id`.
* **Rule kinds.** A rule's `kind` (`landopt.model.rules.KINDS`) decides which of the rule keys apply
  (`rule_key_not_for_kind`), which bounds it takes (`rule_bound_wrong`, `rule_bound_missing`) and which
  keys it requires (a share's `part`). A rule whose kind is wrong or missing is checked for what does
  not depend on the kind only.

`skipped` (on the returned `Fields`) holds every path at or above a problem found here, so that
`resolve` does not report a consequence of a problem as a problem of its own (a misspelt `budjet` also
leaves `land` without a budget: that is one message, not two).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Callable, Iterable

from landopt.errors import Issue, Mark
from landopt.i18n.messages import closest
from landopt.i18n.text import Bi
from landopt.input.schema import (FILLED, ID_MAPS, ROOT, Fields, Key, ListOf, MapOf, Record, Scalar, Section, Type,
                                  Word)
from landopt.model.rules import KINDS

Marks = Mapping[tuple, tuple[Mark, Mark | None]]

EMPTY_KEY_PROBLEMS = frozenset({"unknown_key_empty", "unknown_id"})
"""What the walk says about keys written with no value (an unknown key, an id deleted that is not there): such a
key holds nothing, so nothing around it is taken to be incomplete (see `skipped`)."""

SUGGEST_LIMIT = 1000
"""Problems that get a did-you-mean; past them (a flood of misspelt keys) only the message is built."""

FREE_TEXT = frozenset({"name", "name_en", "description", "note", "source", "region", "data_year"})
"""Keys whose empty value needs no warning: leaving free text out changes no plan."""


class _Bad:
    """What a reader returns for a value it refused (the problem is reported already)."""

    def __repr__(self) -> str:
        return "BAD"


BAD: Any = _Bad()

# ------------------------------------------------------------------ plain values
_TRUE = frozenset({"1", "on", "t", "true", "y", "yes"})
_FALSE = frozenset({"0", "off", "f", "false", "n", "no"})


def _text(v: Any) -> Any:
    if isinstance(v, str):
        return v
    return str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else BAD


def _number(v: Any) -> Any:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else BAD


def _quantity(v: Any) -> Any:
    return v if isinstance(v, (int, float, str)) and not isinstance(v, bool) else BAD


def _year_quantity(v: Any) -> Any:
    if not isinstance(v, dict):
        return _quantity(v)
    out = {}
    for k, x in v.items():
        if isinstance(k, bool) or not isinstance(k, (int, str)) or not str(k).lstrip("-").isdigit() \
                or _quantity(x) is BAD:
            return BAD
        out[int(k)] = x
    return out


def _ids(v: Any) -> Any:
    items = v if isinstance(v, list) else [v]
    for x in items:
        if isinstance(x, bool) or not isinstance(x, (str, int)):
            return BAD
    return list(items)


def _flag(v: Any) -> Any:
    """true/false, and what YAML 1.2 leaves as text or numbers but a writer means as yes or no (1, 'yes', 'off')."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return bool(v)
    if isinstance(v, str):
        low = v.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    return BAD


def _year(v: Any) -> Any:
    if isinstance(v, bool):
        return BAD
    if isinstance(v, int):
        return v
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        try:
            return int(v.strip())
        except ValueError:
            return BAD
    return BAD


_SCALARS: dict[str, Callable[[Any], Any]] = {
    "text": _text, "number": _number, "quantity": _quantity, "year_quantity": _year_quantity, "ids": _ids,
    "flag": _flag, "year": _year, "any": lambda v: v,
}


def describe(v: Any) -> str | Bi:
    """A value as a message shows it: a mapping, a list or nothing in words, anything else as written."""
    if isinstance(v, dict):
        return Bi("a mapping", "映射")
    if isinstance(v, list):
        return Bi("a list", "列表")
    if v is None:
        return Bi("an empty value", "空值")
    s = repr(v)
    return s if len(s) <= 40 else s[:37] + "..."


def dotted(path: Iterable[Any]) -> str:
    """A key path as messages show it: ``areas.core.capacity``."""
    return ".".join(str(p) for p in path)


def locate(marks: Marks, path: tuple, key: bool = False) -> Mark | None:
    """The place of `path` in a file (of its key when `key`, where it has one), or of the nearest item above it."""
    p = path
    while True:
        if p in marks:
            vm, km = marks[p]
            return (km or vm) if key else vm
        if not p:
            return None
        p = p[:-1]


# ------------------------------------------------------------------------ the walk
def validate(data: Any, marks: Marks, empties: Iterable[tuple[tuple, Mark | None]] = ()
             ) -> tuple[Fields | None, list[Issue]]:
    """Walk `data` once along the schema; return (what was read, every problem found).

    What was read is None when nothing can be resolved (no usable `sectors` or `areas`); otherwise its
    `skipped` attribute holds the paths at and above every problem (see the module docstring).
    `empties` are the keys whose null deleted nothing: (path, the key's place).
    """
    walk = _Walk(marks, empties)
    f = walk.read(ROOT.type, data, (), (), ROOT.expected)
    walk.leftover_empties(data)
    issues = walk.issues
    if f is BAD or f.sectors is None or f.areas is None:
        return None, issues
    f.skipped = frozenset(path[:n] for i in issues if i.severity == "error"
                          and i.code != "misspelt_required_key" and i.code not in EMPTY_KEY_PROBLEMS
                          for path in (i.loc,) for n in range(len(path) + 1))
    return f, issues


class _Walk:
    """One walk over the data: the issues found so far, and the empty keys still to look at."""

    def __init__(self, marks: Marks, empties: Iterable[tuple[tuple, Mark | None]]):
        self.marks = marks
        self.issues: list[Issue] = []
        self.empties: dict[tuple, list[tuple[Any, Mark | None]]] = {}
        for path, mark in empties:
            self.empties.setdefault(tuple(path[:-1]), []).append((path[-1], mark))

    # ---- reporting
    def add(self, code: str, path: tuple, mark: Mark | None, severity: str = "error", suggest: str | None = None,
            **params: Any) -> Issue:
        issue = Issue(code, params, path=dotted(path), mark=mark, severity=severity, loc=path, suggest=suggest)
        self.issues.append(issue)
        return issue

    def wrong(self, value: Any, path: tuple, mpath: tuple, expected: Bi) -> None:
        self.add("wrong_type", path, locate(self.marks, mpath), got=describe(value), expected=expected)

    def suggest_for(self, word: Any, choices: Iterable[Any], synonyms: Any = None) -> str | None:
        """The closest choice to `word` (a did-you-mean), while problems are few enough to look for one."""
        if len(self.issues) >= SUGGEST_LIMIT:
            return None
        return closest(str(word), [str(c) for c in choices], synonyms)

    # ---- types
    def read(self, t: Type, v: Any, path: tuple, mpath: tuple, expected: Bi) -> Any:
        """The value `v` at `path` read as type `t` (BAD when refused; `expected` says what a message expects)."""
        if isinstance(t, Scalar):
            out = _SCALARS[t.how](v)
            if out is BAD:
                self.wrong(v, path, mpath, expected)
            return out
        if isinstance(t, Word):
            return self.word(t, v, path, mpath, expected)
        if isinstance(t, Record):
            if not isinstance(v, dict):
                self.wrong(v, path, mpath, expected)
                return BAD
            return self.record(t.section, v, path, mpath)
        if isinstance(t, MapOf):
            return self.mapping(t, v, path, mpath, expected)
        if isinstance(t, ListOf):
            return self.list(t, v, path, mpath, expected)
        for option in t.options:  # OneOf: the first option of the value's shape
            if isinstance(v, dict) == isinstance(option, (Record, MapOf)) and \
                    isinstance(v, list) == isinstance(option, ListOf):
                return self.read(option, v, path, mpath, expected)
        self.wrong(v, path, mpath, expected)
        return BAD

    def word(self, t: Word, v: Any, path: tuple, mpath: tuple, expected: Bi) -> Any:
        if not isinstance(v, (bool, dict, list)) and v in t.words:
            return v
        if t.code is None:
            self.wrong(v, path, mpath, expected)
        else:
            suggest = self.suggest_for(v, t.words, t.synonyms) if t.suggest else None
            self.add(t.code, path, locate(self.marks, mpath), suggest=suggest, got=v)
        return BAD

    def mapping(self, t: MapOf, v: Any, path: tuple, mpath: tuple, expected: Bi) -> Any:
        if not isinstance(v, dict):
            self.wrong(v, path, mpath, expected)
            return BAD
        out = {}
        scalar = _SCALARS[t.value.how] if isinstance(t.value, Scalar) else None
        for k, x in v.items():
            if not isinstance(k, str):
                self.wrong(k, path + (k,), mpath + (k,), expected)
                continue
            r = scalar(x) if scalar is not None else self.read(t.value, x, path + (k,), mpath + (k,), expected)
            if r is BAD:
                if scalar is not None:
                    self.wrong(x, path + (k,), mpath + (k,), expected)
                continue
            out[k] = r
        if mpath in self.empties:
            self.empty_entries(v, path, mpath)
        return out

    def list(self, t: ListOf, v: Any, path: tuple, mpath: tuple, expected: Bi) -> Any:
        if not isinstance(v, list):
            self.wrong(v, path, mpath, expected)
            return BAD
        out = []
        for i, x in enumerate(v):
            r = self.read(t.item, x, path + (i,), mpath + (i,), expected)
            out.append(None if r is BAD else r)
        if mpath == ("rules",) and mpath in self.empties:  # a rule deleted by id that is not there
            known = [str(r.get("id")) for r in v if isinstance(r, dict)]
            for key, mark in self.empties.pop(mpath):
                if isinstance(key, str):
                    self.add("unknown_id", path + (key,), mark, suggest=self.suggest_for(key, known), what="rule",
                             got=key, known=", ".join(known))
        return out

    # ---- sections
    def record(self, sec: Section, v: dict, path: tuple, mpath: tuple) -> Any:
        """Read one section: its keys in table order, a misspelt required key standing for the key it names."""
        start = len(self.issues)
        keys = sec.keys
        allowed = sec.allowed
        unknown = [k for k in v if k not in keys] if sec.extra is None else []
        empty_unknown: list[tuple[Any, Mark | None]] = []
        empty_known: list[tuple[Any, Mark | None]] = []
        for k, mark in self.empties.pop(mpath, ()):
            if k in v:
                continue
            (empty_known if k in keys or sec.extra is not None else empty_unknown).append((k, mark))
        suggestions: dict[Any, str | None] = {}

        def suggestion(k: Any) -> str | None:
            if k not in suggestions:
                suggestions[k] = self.suggest_for(k, allowed)
            return suggestions[k]

        stands: dict[Any, str] = {}  # misspelt key -> the required key it stands for
        values: dict[str, Any] = {}
        required_by_kind: tuple[str, ...] = ()
        for name, key in keys.items():
            if name in v and not (v[name] is None and key.default is None and not key.required):
                # (None, which only data given from Python can hold here, is "not given" where that is the default)
                r = self.read(key.type, v[name], path + (name,), mpath + (name,), key.expected)
                values[name] = _default(key, self, path + (name,), mpath + (name,)) if r is BAD else r
            elif key.required or name in required_by_kind:
                values[name] = self.stand_in(name, key, v, unknown, empty_unknown, stands, suggestion, allowed, path,
                                             mpath)
            else:
                values[name] = _default(key, self, path + (name,), mpath + (name,))
            if sec.kinds and name == "kind" and values[name] in KINDS:
                required_by_kind = KINDS[values[name]].required
        for k in unknown:
            if k not in stands:
                self.add("unknown_key", path + (k,), locate(self.marks, mpath + (k,), key=True),
                         suggest=suggestion(k), key=str(k), allowed=", ".join(allowed))
        for k, mark in empty_unknown:
            if k not in stands:
                self.add("unknown_key_empty", path + (k,), mark, suggest=suggestion(k), key=str(k),
                         allowed=", ".join(allowed))
        for k, mark in empty_known:
            key_ = keys.get(k)
            self.empty_value(k, path + (k,), mark, key_.unset if key_ is not None else None)
        extra = None
        if sec.extra is not None:
            extra = {}
            for k, x in v.items():
                if k in keys:
                    continue
                if not isinstance(k, str):
                    self.wrong(k, path + (k,), mpath + (k,), sec.extra.expected)
                    continue
                r = self.read(sec.extra, x, path + (k,), mpath + (k,), sec.extra.expected)
                if r is not BAD:
                    extra[k] = r
        if sec.kinds and values.get("kind") in KINDS:
            self.rule_kind(values, path, mpath, start)
        return Fields(values, extra)

    def stand_in(self, name: str, key: Key, v: dict, unknown: list, empty_unknown: list, stands: dict[Any, str],
                 suggestion: Callable[[Any], str | None], allowed: list[str], path: tuple, mpath: tuple) -> Any:
        """The value of a required key the section lacks: that of an unknown key misspelling it (one message
        for both), or none (`missing_key`)."""
        expected = key.expected
        for k in unknown:
            if k not in stands and suggestion(k) == name:
                stands[k] = name
                self.misspelt(k, name, expected, allowed, path, locate(self.marks, mpath + (k,), key=True))
                r = self.read(key.type, v[k], path + (name,), mpath + (k,), expected)
                return None if r is BAD else r
        for k, mark in empty_unknown:
            if k not in stands and suggestion(k) == name:
                stands[k] = name
                self.misspelt(k, name, expected, allowed, path, mark)
                return None
        self.add("missing_key", path + (name,), locate(self.marks, mpath, key=True), key=name, expected=expected)
        return None

    def misspelt(self, k: Any, name: str, expected: Bi, allowed: list[str], path: tuple, mark: Mark | None) -> None:
        self.add("misspelt_required_key", path + (k,), mark, suggest=name, key=str(k), required=name,
                 allowed=", ".join(allowed), expected=expected)

    def empty_value(self, k: Any, path: tuple, mark: Mark | None, unset: Bi | None) -> None:
        """A known key written with no value: say what leaving it unset means (a key such as ``tax:45``
        that lacks the space after its colon is `landopt.input.slips`'s to report)."""
        if k in FREE_TEXT or re.search(r"[:：]\S", str(k)):
            return
        self.add("empty_value", path, mark, severity="warning", key=str(k), meaning=unset or Bi("", ""))

    def empty_entries(self, v: dict, path: tuple, mpath: tuple) -> None:
        """Empty keys of a mapping from ids or metric names: an id deleted from `areas` (...) that is not there
        is an unknown id; elsewhere (a per_mu entry) the key is left unset."""
        for k, mark in self.empties.pop(mpath, ()):
            if k in v:
                continue
            if len(path) == 1 and path[0] in ID_MAPS:
                known = [str(x) for x in v]
                self.add("unknown_id", path + (k,), mark, suggest=self.suggest_for(k, known), what=ID_MAPS[path[0]],
                         got=k, known=", ".join(known))
            else:
                self.empty_value(k, path + (k,), mark, None)

    def leftover_empties(self, data: Any) -> None:
        """Empty keys under values the walk did not read as sections (free values, wrong ones): left unset."""
        for parent, entries in self.empties.items():
            node = data
            for k in parent:
                if isinstance(node, dict):
                    node = node.get(k)
                elif isinstance(node, list) and isinstance(k, int) and 0 <= k < len(node):
                    node = node[k]
                else:
                    node = None
            if isinstance(node, dict):
                for k, mark in entries:
                    if k not in node:
                        self.empty_value(k, parent + (k,), mark, None)
        self.empties = {}

    # ---- rules
    def rule_kind(self, values: dict[str, Any], path: tuple, mpath: tuple, start: int) -> None:
        """What a rule's kind says about its keys: keys of other kinds, bounds it does not take, no bound."""
        kind = KINDS[values["kind"]]
        own = {k.name for k in kind.keys}
        for key, owners in KEY_OWNERS.items():  # a key of another kind: say whose it is
            if key not in own and values.get(key) is not None:
                self.add("rule_key_not_for_kind", path + (key,), locate(self.marks, mpath + (key,), key=True),
                         got=key, kind=kind.name, hint=Bi(f"; `{key}` belongs to {' and '.join(owners)} rules",
                                                          f"; `{key}` 属于 {' 和 '.join(owners)} 规则"))
        for side in ("min", "max"):
            if values[side] is not None and side not in kind.bounds:
                other = next(k.name for k in KINDS.values() if side in k.bounds and len(k.bounds) == 1)
                hint = Bi(f"; write {' or '.join(kind.bounds)} instead, or did you mean kind: {other}?",
                          f"; 请改为 {' 或 '.join(kind.bounds)}, 或是否想写 kind: {other}?")
                self.add("rule_bound_wrong", path + (side,), locate(self.marks, mpath + (side,), key=True),
                         kind=kind.name, allowed=either(kind.bounds), got=side, hint=hint)
        problems = [i for i in self.issues[start:] if i.severity == "error"
                    and i.code != "misspelt_required_key" and i.code not in EMPTY_KEY_PROBLEMS]
        bound_keys = (*kind.bounds, *kind.other_bounds)
        if all(values.get(k) is None for k in bound_keys) and not problems:  # a wrong bound is reported already
            rid = values["id"] if values["id"] is not None else f"{kind.name}-{path[-1] + 1}"
            self.add("rule_bound_missing", path, locate(self.marks, mpath, key=True), rule=rid, kind=kind.name,
                     expected=either(bound_keys))


KEY_OWNERS = {key.name: tuple(k.name for k in KINDS.values() if k.key(key.name) is not None)
              for kind in KINDS.values() for key in kind.keys}
"""Every kind-specific key and the kinds that take it (`per`: intensity; `part`, `of`: share)."""


def either(words: tuple[str, ...] | list[str]) -> Bi:
    """'min or max' / 'min 或 max'."""
    return Bi(" or ".join(words), " 或 ".join(words))


def _default(key: Key, walk: _Walk, path: tuple, mpath: tuple) -> Any:
    d = key.default
    if d is FILLED:
        assert isinstance(key.type, Record)
        return walk.record(key.type.section, {}, path, mpath)
    return d() if callable(d) else d

