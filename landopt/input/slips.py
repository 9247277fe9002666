"""Typing slips that YAML would accept as a different, valid value.

A scenario is typed by hand, often with a Chinese input method switched on. Some slips do not
break the YAML: they change what it says, and the plan changes with it, silently.

* ``tags: [industrial，high_energy]`` (a full-width comma) is one tag named
  ``industrial，high_energy``: a ban on `high_energy` sectors stops applying;
* ``tags: industrial, high_tech`` (no brackets) is one tag too;
* ``per_mu: {tax:45}`` (no space after the colon) is a key ``tax:45`` with no value, which YAML
  reads as null and landopt's merge takes for "delete the key";
* ``name：水晶`` (a full-width colon) is not a key at all: it is text, or a syntax error a few
  lines further on;
* a right-to-left override or a zero-width space makes ``land`` and ``land`` two different ids.

`check_tree` walks the composed tree (every file of an `extends` chain, the variants and
``--set`` values) and reports each slip with its position, the character, and the corrected
text. Free text (names, notes, sources) may hold any punctuation; only invisible controls are
refused there. (A file YAML cannot parse is searched for full-width colons in key position by
`landopt.input.reader.fullwidth_colon_lines`.)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from landopt.errors import Issue, Mark
from landopt.i18n.text import Bi
from landopt.input.reader import LMap, LNode, LScalar, LSeq

FULL_WIDTH: dict[str, tuple[str, Bi]] = {
    # character: (its ASCII counterpart, its name)
    "，": (",", Bi("full-width comma", "全角逗号")),
    "、": (",", Bi("enumeration comma", "顿号")),
    "；": (";", Bi("full-width semicolon", "全角分号")),
    "：": (":", Bi("full-width colon", "全角冒号")),
    "（": ("(", Bi("full-width parenthesis", "全角括号")),
    "）": (")", Bi("full-width parenthesis", "全角括号")),
    "\u3000": (" ", Bi("full-width space", "全角空格")),
}
"""Punctuation a Chinese input method types in place of ASCII."""

_ASCII_NAMES = {",": Bi("comma", "逗号"), ";": Bi("semicolon", "分号")}
LIST_SPLIT = "，、；,;"
"""Characters that separate items where a writer meant a list."""

FREE_TEXT = frozenset({"name", "name_en", "description", "note", "source", "region", "data_year"})
"""Keys whose values are free text: any punctuation is fine there."""

LIST_KEYS = frozenset({"tags", "sectors", "each", "area", "role", "area_tag", "sector", "sector_tag", "year",
                       "binding", "project", "extends"})
"""Keys whose value is one id or a list of ids."""

_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)}
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}


def check_tree(tree: LNode | dict, nulls: list[tuple[tuple, Mark | None]] = (),
               memo: dict[Any, tuple[LNode, list[Issue]]] | None = None) -> list[Issue]:
    """Every slip in a composed tree (or in plain data, without marks: `landopt.from_dict`); `nulls` are the
    keys whose null value deleted nothing.

    With `memo` (kept with a composed scenario and shared by the points composed from it, `Composed.memo`), the
    slips under each top-level key are remembered with that key's subtree, and a tree that holds the very same
    subtree (a sweep's point changes a few values: the other sections are the base's own objects) takes them
    from there. The slips and their order are those of the walk without it."""
    if memo is None or not isinstance(tree, LMap):
        return _slips(_strings(tree) if isinstance(tree, LMap) else _plain_strings(tree)) + _null_slips(nulls)
    # the walk's order: the top-level keys first, then each key's subtree, the last key's first
    issues = _slips(((k,), k, tree.key_marks.get(k) or tree.mark, False, False, None)
                    for k in tree.items if isinstance(k, str))
    for k in reversed(list(tree.items)):
        node = tree.items[k]
        hit = memo.get(k)
        if hit is None or hit[0] is not node:
            text_key = isinstance(k, str)
            hit = memo[k] = (node, _slips(_strings(node, ((k,), text_key and k in LIST_KEYS,
                                                             text_key and k in FREE_TEXT))))
        issues.extend(hit[1])
    return issues + _null_slips(nulls)


def _slips(strings: Iterable[tuple[tuple, str, Mark | None, bool, bool, list | None]]) -> list[Issue]:
    issues: list[Issue] = []
    for path, text, mark, in_list, free, siblings in strings:
        issue = _control(text, path, mark) or (None if free else _punctuation(text, path, mark, in_list, siblings))
        if issue is not None:
            issues.append(issue)
    return issues


def _null_slips(nulls: Iterable[tuple[tuple, Mark | None]]) -> list[Issue]:
    issues: list[Issue] = []
    for path, mark in nulls:
        key = path[-1]
        m = re.fullmatch(r"(.*?)([:：])(\S.*)", key, flags=re.S) if isinstance(key, str) else None
        if m:
            issues.append(Issue("missing_space_after_colon", {"got": key, "fixed": f"{m.group(1)}: {m.group(3)}"},
                                path=_dotted(path), mark=mark, loc=path))
    return issues


def _strings(node: LNode, at: tuple[tuple, bool, bool] = ((), False, False)
             ) -> Iterator[tuple[tuple, str, Mark, bool, bool, list | None]]:
    """(path, text, mark, whether it is an id-list item, whether it is free text, the items of the list it
    is in) of every key and string value; `at`: the node's path, whether it is under an id-list key and under
    a free-text key."""
    stack: list[tuple[LNode, tuple, bool, bool, list | None]] = [(node, *at, None)]
    while stack:
        n, p, lst, fr, sib = stack.pop()
        if isinstance(n, LMap):
            for k, v in n.items.items():
                km = n.key_marks.get(k) or n.mark
                if isinstance(k, str):
                    yield p + (k,), k, km, False, False, None
                stack.append((v, p + (k,), isinstance(k, str) and k in LIST_KEYS,
                              isinstance(k, str) and k in FREE_TEXT, None))
        elif isinstance(n, LSeq):
            items = [str(it.value) if isinstance(it, LScalar) else "…" for it in n.items]
            for i, v in enumerate(n.items):
                stack.append((v, p + (i,), lst, fr, items))
        elif isinstance(n.value, str):
            yield p, n.value, n.mark, lst, fr, sib


def _plain_strings(node: object) -> Iterator[tuple[tuple, str, None, bool, bool, list | None]]:
    """`_strings` of plain data (dicts, lists, scalars): the same walk, with no marks."""
    stack: list[tuple[object, tuple, bool, bool, list | None]] = [(node, (), False, False, None)]
    while stack:
        n, p, lst, fr, sib = stack.pop()
        if isinstance(n, dict):
            for k, v in n.items():
                if isinstance(k, str):
                    yield p + (k,), k, None, False, False, None
                    stack.append((v, p + (k,), k in LIST_KEYS, k in FREE_TEXT, None))
                else:
                    stack.append((v, p + (k,), False, False, None))
        elif isinstance(n, list):
            items = [str(it) if not isinstance(it, (dict, list)) else "…" for it in n]
            for i, v in enumerate(n):
                stack.append((v, p + (i,), lst, fr, items))
        elif isinstance(n, str):
            yield p, n, None, lst, fr, sib


def _control(text: str, path: tuple, mark: Mark | None) -> Issue | None:
    if text.isprintable():  # no control, bidi or zero-width character (all of them are unprintable)
        return None
    for ch in text:
        if ch in _BIDI or (unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"):
            name = unicodedata.name(ch, "") or {"\x1b": "ESCAPE", "\x07": "BELL"}.get(ch, "CONTROL")
            return Issue("control_char", {"got": text, "code": f"U+{ord(ch):04X}", "name": name},
                         path=_dotted(path), mark=mark, loc=path)
    return None


def _punctuation(text: str, path: tuple, mark: Mark | None, in_list: bool, siblings: list | None) -> Issue | None:
    if text[:1].isdigit() or text[:1] in "+-.":  # a quantity: the unit reader names what is wrong
        return None
    if text.isascii() and not (in_list and ("," in text or ";" in text)):  # nothing full-width, no list
        return None
    for ch in text:
        if ch in _INVISIBLE:
            return Issue("control_char", {"got": text, "code": f"U+{ord(ch):04X}",
                                          "name": unicodedata.name(ch, "FORMAT")},
                         path=_dotted(path), mark=mark, loc=path)
    if "：" in text and not in_list:
        head, _, tail = text.partition("：")
        return Issue("fullwidth_colon", {"got": text, "fixed": f"{head.strip()}: {tail.strip()}".rstrip()},
                     path=_dotted(path), mark=mark, loc=path)
    wide = next((ch for ch in text if ch in FULL_WIDTH), None)
    if in_list and ((wide is not None and wide in LIST_SPLIT) or (wide is None and any(c in ",;" for c in text))):
        items = [t.strip() for item in (siblings or [text]) for t in re.split(f"[{LIST_SPLIT}]", item) if t.strip()]
        ch = wide or next(c for c in text if c in ",;")
        name = FULL_WIDTH[ch][1] if ch in FULL_WIDTH else _ASCII_NAMES[ch]
        return Issue("one_id_for_a_list", {"got": text, "char": ch, "name": name, "fixed": f"[{', '.join(items)}]"},
                     path=_dotted(path), mark=mark, loc=path)
    if wide is not None:
        fixed = "".join(FULL_WIDTH[c][0] if c in FULL_WIDTH else c for c in text).strip()
        return Issue("fullwidth_punctuation", {"got": text, "char": wide, "code": f"U+{ord(wide):04X}",
                                               "name": FULL_WIDTH[wide][1], "fixed": fixed},
                     path=_dotted(path), mark=mark, loc=path)
    return None


def _dotted(path: tuple) -> str:
    return ".".join(str(p) for p in path)
