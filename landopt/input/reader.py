"""Safe YAML reading into a located tree.

Scenario files come from bureaus, are typed by hand and are sometimes received
from outside, so this reader trusts nothing:

* it reads bytes, enforces a size limit (`MAX_FILE_BYTES`), accepts a UTF-8 BOM,
  and names GBK/GB18030 and UTF-16 files instead of failing on a decode error;
* it drives libyaml's event parser (`CSafeLoader`'s C parser) and composes the
  tree itself, iteratively, so that every value keeps its file, line and
  column, deep nesting is refused at `MAX_DEPTH` without recursion, and nothing
  is ever constructed from a tag: any tag other than the core
  ``!!str !!int !!float !!bool !!null !!map !!seq`` is refused;
* duplicate keys are errors, and the expanded size of the document (aliases
  counted as copies) is computed with memoisation and capped at
  `MAX_EXPANDED_NODES`, so an alias bomb is refused in milliseconds;
* plain scalars are resolved with YAML 1.2 core rules: ``1e5`` and ``6.8e6`` are
  numbers, ``yes``/``no``/``on``/``off`` stay strings, dates stay strings;
  ``.nan``, ``.inf`` and overflowing numbers (``1e400``) are errors;
* a file the parser cannot read is reported in landopt's own words: the parser's
  problem is classified into a few codes (`yaml_indent`, `yaml_unclosed`,
  `yaml_missing_colon`, `yaml_bad_char`, `yaml_stray_bracket`, `yaml_bad_escape`,
  `yaml_bad_anchor`, `yaml_undefined_alias`, `yaml_tab`; `yaml_syntax` when none
  fits), each with its own message in both languages (`PARSER_PROBLEMS`). The
  parser's text decides the code and is never shown.
"""

from __future__ import annotations

import math
import errno
import os
import stat
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Union

import yaml

from landopt.errors import Issue, Mark
from landopt.i18n.text import Bi
from landopt.model import units

MAX_FILE_BYTES = 20 * 1024 * 1024
"""Largest scenario file accepted (20 MiB)."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences accepted."""
MAX_EXPANDED_NODES = 2_000_000
"""Largest document size accepted, counting every alias as a full copy."""
LEFT_OUT = frozenset({"number_nan", "number_inf", "number_overflow"})
"""Problems with a number: the value is left out of the tree (it reads as null)."""
VALUE_ISSUES = LEFT_OUT | {"yaml_duplicate_key", "thousands_separator"}
"""Problems confined to one value (a duplicate key keeps its first value): the rest of the document
is still composed, so a caller may check it too (it must not use the tree). Refused tags are not
among them: a file carrying one goes no further than the reader."""
MAX_ABS_NUMBER = units.MAX_ABS_NUMBER
"""Largest magnitude of a number accepted."""

_Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}
_MAP_TAGS = {None, "!", _CORE + "map"}
_SEQ_TAGS = {None, "!", _CORE + "seq"}

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_INT_OCT = re.compile(r"0o[0-7]+\Z")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


# --------------------------------------------------------------------- tree
@dataclass(eq=False)
class LScalar:
    """A scalar with its position. `raw` is the text as written."""

    value: Any
    mark: Mark
    raw: str = ""
    quoted: bool = False


@dataclass(eq=False)
class LMap:
    """A mapping. `items` keeps file order; `key_marks` gives each key's position."""

    items: dict[Any, "LNode"]
    mark: Mark
    key_marks: dict[Any, Mark] = field(default_factory=dict)
    merged: set = field(default_factory=set)
    """Keys copied in by a ``<<`` merge key; explicit keys may override them."""


@dataclass(eq=False)
class LSeq:
    """A sequence."""

    items: list["LNode"]
    mark: Mark


LNode = Union[LScalar, LMap, LSeq]


def to_plain(node: LNode) -> Any:
    """The plain Python value (dict/list/scalars) of a located tree."""
    if isinstance(node, LScalar):
        return node.value
    if isinstance(node, LMap):
        return {k: to_plain(v) for k, v in node.items.items()}
    return [to_plain(v) for v in node.items]


class TreeMarks(Mapping[tuple, tuple[Mark, "Mark | None"]]):
    """path tuple -> (value mark, key mark) of a located tree, as `walk_marks` yields them, found on demand: a
    lookup follows the path down the tree (marks are asked for only where a problem is located, so a large
    file is not walked once more to index every value). A key mark is None for the root and a list item."""

    def __init__(self, tree: LNode) -> None:
        self.tree = tree

    def _find(self, path: tuple) -> tuple[Mark, Mark | None] | None:
        node, km = self.tree, None
        for part in path:
            if isinstance(node, LMap):
                if part not in node.items:
                    return None
                km = node.key_marks.get(part)
                node = node.items[part]
            elif isinstance(node, LSeq) and hasattr(part, "__index__") and 0 <= part < len(node.items):
                km, node = None, node.items[part.__index__()]
            else:
                return None
        return node.mark, km

    def __getitem__(self, path: tuple) -> tuple[Mark, Mark | None]:
        found = self._find(path) if isinstance(path, tuple) else None
        if found is None:
            raise KeyError(path)
        return found

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self._find(path) is not None

    def __iter__(self) -> Iterator[tuple]:
        return (p for p, _, _ in walk_marks(self.tree))

    def __len__(self) -> int:
        return sum(1 for _ in walk_marks(self.tree))


def walk_marks(node: LNode, path: tuple = ()) -> Iterator[tuple[tuple, Mark, Mark | None]]:
    """Yield (path, value mark, key mark) for every node, depth first."""
    stack: list[tuple[tuple, LNode, Mark | None]] = [(path, node, None)]
    while stack:
        p, n, km = stack.pop()
        yield p, n.mark, km
        if isinstance(n, LMap):
            for k in reversed(list(n.items)):
                stack.append((p + (k,), n.items[k], n.key_marks.get(k)))
        elif isinstance(n, LSeq):
            for i in range(len(n.items) - 1, -1, -1):
                stack.append((p + (i,), n.items[i], None))


# ------------------------------------------------------------------ reading
def read_text(path: Path, display: str) -> tuple[str | None, list[Issue]]:
    """Read a file as text, with the checks described in the module docstring."""
    try:
        mode = os.stat(path).st_mode  # follows links; a loop of links raises ELOOP
    except FileNotFoundError:
        return None, [Issue("file_missing", {"path": display}, file=display)]
    except OSError as e:
        return None, [_unreadable(e, display)]
    if stat.S_ISDIR(mode):
        return None, [Issue("file_is_directory", {"path": display}, file=display)]
    if not stat.S_ISREG(mode):  # /dev/zero, a FIFO: stat gives no size and reading may never end
        return None, [Issue("file_not_regular", {"path": display}, file=display)]
    try:
        with path.open("rb") as fh:  # the size is checked on what is read, not on stat (a file may grow)
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as e:  # a process's memory file (/proc/self/mem), a permission problem
        return None, [_unreadable(e, display)]
    if len(data) > MAX_FILE_BYTES:
        size = max(path.stat().st_size, len(data))
        return None, [Issue("file_too_large", {"size": size, "limit": MAX_FILE_BYTES}, file=display)]
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):  # before UTF-16: the same first two bytes
        return None, [Issue("encoding_utf16", {"encoding": "UTF-32"}, file=display)]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Issue("encoding_utf16", {"encoding": "UTF-16"}, file=display)]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        mark = Mark(display, line, col)
        try:
            data.decode("gb18030")
            return None, [Issue("encoding_gbk", {}, mark=mark)]
        except UnicodeDecodeError:
            return None, [Issue("encoding_not_utf8", {"byte": f"0x{data[e.start]:02x}"}, mark=mark)]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [Issue("encoding_binary", {}, mark=Mark(display, line, 1))]
    return text, []


def _unreadable(e: OSError, display: str) -> Issue:
    if e.errno == errno.ELOOP:
        return Issue("file_link_loop", {"path": display}, file=display)
    return Issue("file_unreadable", {"path": display, "error": e.strerror or type(e).__name__}, file=display)


def parse_text(text: str, display: str, nodes: list[int] | None = None) -> tuple[LNode | None, list[Issue]]:
    """Compose `text` into a located tree; return (tree, issues).

    `nodes`, when given, is a running count of expanded nodes shared by several documents (an
    `extends` chain): the alias cap applies to their sum.
    """
    composer = _Composer(display, nodes[0] if nodes else 0)
    try:
        root = composer.run(text)
    except yaml.MarkedYAMLError as e:
        deep = composer.too_deep(text, e)
        return None, composer.issues + fullwidth_colon_lines(text, display) + [deep or _syntax_issue(e, display, text)]
    except yaml.reader.ReaderError as e:  # a character YAML does not allow anywhere (a control character)
        return None, composer.issues + [_reader_issue(e, display, text)]
    except yaml.YAMLError:  # unmarked libyaml errors (rare)
        return None, composer.issues + [Issue("yaml_syntax", {}, file=display)]
    except _Abort:
        return None, composer.issues
    issues = composer.issues
    if root is None:
        return None, issues + [Issue("file_empty", {}, file=display)]
    if nodes is not None:
        nodes[0] += composer.count
    return root, issues


def load_file(path: str | Path, display: str | None = None,
              nodes: list[int] | None = None) -> tuple[LNode | None, list[Issue]]:
    """Read and compose one file (`nodes`: see `parse_text`). Any issue means the tree must not be used."""
    p = Path(path)
    disp = display or str(path)
    text, issues = read_text(p, disp)
    if text is None:
        return None, issues
    root, issues = parse_text(text, disp, nodes)
    if root is not None and not issues and not isinstance(root, LMap):
        if isinstance(root, LSeq):
            kind = Bi("a list", "列表")
        else:  # shortened: the file may be any local file named by `extends`
            value = str(root.raw or root.value)
            shown = repr(value[:30] + "…" if len(value) > 30 else value)
            kind = Bi(f"the value {shown}", f"值 {shown}")
        issues.append(Issue("top_not_mapping", {"got": kind}, mark=root.mark))
    return root, issues


def parse_scalar_text(text: str, display: str = "<value>") -> tuple[Any, list[Issue]]:
    """Resolve one plain scalar written on the command line (``--set k=v``)."""
    root, issues = parse_text(text, display)
    if issues or root is None:
        return None, issues
    return to_plain(root), []


# ----------------------------------------------------------------- internals
class _Abort(Exception):
    """Stop composing (the issue is already recorded)."""


def _mark(m: Any, file: str) -> Mark:
    return Mark(file, m.line + 1, m.column + 1)


PARSER_PROBLEMS: tuple[tuple[str, str, str], ...] = (
    # (text in the parser's problem, text in its context or '', landopt's code), most specific first. The
    # parser's words choose the code only; the message is landopt's (landopt.i18n.messages).
    ("found unexpected end of stream", "quoted scalar", "yaml_unclosed"),
    ("did not find expected ',' or ']'", "", "yaml_unclosed"),
    ("did not find expected ',' or '}'", "", "yaml_unclosed"),
    ("mapping values are not allowed", "", "yaml_indent"),
    ("did not find expected key", "", "yaml_indent"),
    ("expected <block end>", "", "yaml_indent"),
    ("did not find expected '-' indicator", "", "yaml_indent"),
    ("could not find expected ':'", "", "yaml_missing_colon"),
    ("found character that cannot start any token", "", "yaml_bad_char"),
    ("found unknown escape character", "", "yaml_bad_escape"),
    ("expected hexdecimal number", "", "yaml_bad_escape"),
    ("found invalid Unicode character escape code", "", "yaml_bad_escape"),
    ("did not find expected alphabetic or numeric character", "anchor", "yaml_bad_anchor"),
    ("did not find expected alphabetic or numeric character", "alias", "yaml_bad_anchor"),
    ("did not find expected node content", "", "yaml_stray_bracket"),
    ("did not find expected <document start>", "", "yaml_stray_bracket"),
)
"""How the parser's problems map to landopt's codes (libyaml's words; PyYAML's Python parser uses the same)."""

_OPENERS = {"'": ("'", Bi("quote", "引号")), '"': ('"', Bi("quote", "引号")), "[": ("]", Bi("bracket", "方括号")),
            "{": ("}", Bi("brace", "花括号"))}


def _syntax_issue(e: yaml.MarkedYAMLError, display: str, text: str) -> Issue:
    """The parser's error as one of landopt's `yaml_*` issues (see `PARSER_PROBLEMS`)."""
    m = e.problem_mark or e.context_mark
    mark = _mark(m, display) if m is not None else None
    problem, context = e.problem or "", e.context or ""
    at = _char_at(text, m)
    code = next((c for needle, where, c in PARSER_PROBLEMS if needle in problem and where in context), "yaml_syntax")
    if at in ("]", "}") and code in ("yaml_indent", "yaml_syntax"):  # `{a: 1}}`: the parser stops at the extra one
        code = "yaml_stray_bracket"
    if code not in ("yaml_indent", "yaml_missing_colon") and mark is not None \
            and 0 < mark.line <= text.count("\n") + 1:  # a tab in the indentation is named as such
        line = text.split("\n")[mark.line - 1]
        if "\t" in line[: max(mark.col, 1)]:
            return Issue("yaml_tab", {}, mark=Mark(display, mark.line, line.index("\t") + 1))
    if code == "yaml_unclosed":
        opened = e.context_mark
        closer, what = _OPENERS.get(_char_at(text, opened), (None, None))
        if opened is None or closer is None:
            return Issue("yaml_syntax", {}, mark=mark)
        return Issue(code, {"opener": what, "char": _char_at(text, opened), "closer": closer, "line": opened.line + 1},
                     mark=mark)
    if code == "yaml_bad_char":
        return Issue(code, {"char": repr(at)}, mark=mark)
    if code == "yaml_stray_bracket":
        return Issue(code, {"char": at}, mark=mark) if at in ("]", "}") else Issue("yaml_syntax", {}, mark=mark)
    if code == "yaml_bad_escape":
        end = getattr(m, "index", None)
        start = text.rfind("\\", 0, end + 1) if end is not None else -1
        escape = text[start: min(max(end + 1, start + 2), start + 10)] if start >= 0 else "\\"
        return Issue(code, {"escape": escape}, mark=mark)
    if code == "yaml_bad_anchor":
        return Issue(code, {"char": "&" if "anchor" in context else "*"}, mark=mark)
    return Issue(code, {}, mark=mark)


def _char_at(text: str, m: Any) -> str:
    """The character at a parser mark ('' past the end, or without a mark)."""
    index = getattr(m, "index", None)
    return text[index] if index is not None and 0 <= index < len(text) else ""


def _reader_issue(e: yaml.reader.ReaderError, display: str, text: str) -> Issue:
    """A character YAML refuses wherever it stands (a control character): `yaml_bad_char` at its place."""
    at = max(0, min(e.position, len(text)))
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    char = chr(e.character) if isinstance(e.character, int) else str(e.character)
    return Issue("yaml_bad_char", {"char": repr(char)}, mark=Mark(display, line, col))


_KEY_COLON = re.compile(r"^(\s*(?:-\s+)?)([^\s#'\"{}\[\],:：][^#:：]*?)：")


def fullwidth_colon_lines(text: str, display: str) -> list[Issue]:
    """A `fullwidth_colon` issue for every line whose key ends in '：' (a full-width colon from a Chinese
    input method): YAML reads ``name：水晶`` as text, and the next key then breaks the file. Used when a
    file does not parse, so the user reads the cause on its own line, not only the parser's complaint."""
    out = []
    for n, line in enumerate(text.split("\n"), start=1):
        m = _KEY_COLON.match(line)
        if m:
            key = m.group(2).strip()
            rest = line[m.end():].split(" #")[0].strip()
            out.append(Issue("fullwidth_colon", {"got": f"{key}：{rest}", "fixed": f"{key}: {rest}".rstrip()},
                             mark=Mark(display, n, m.end())))
    return out


def _resolve_plain(raw: str) -> Any:
    """YAML 1.2 core-schema resolution of a plain scalar (raises ValueError when not finite)."""
    if raw in _NULL:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    if _INT.match(raw):
        return int(raw)
    if _INT_OCT.match(raw):
        return int(raw[2:], 8)
    if _INT_HEX.match(raw):
        return int(raw[2:], 16)
    if _FLOAT.match(raw):
        return float(raw)
    if _INF.match(raw) or _NAN.match(raw):
        return float("nan") if _NAN.match(raw) else float(raw.replace(".", "", 1))
    return raw


def _resolve_tagged(tag: str, raw: str) -> Any:
    kind = tag[len(_CORE):]
    if kind == "str":
        return raw
    value = _resolve_plain(raw)
    if kind == "null":
        if value is not None:
            raise TypeError("null")
        return None
    if kind == "bool":
        if not isinstance(value, bool):
            raise TypeError("bool")
        return value
    if kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("int")
        return value
    if kind == "float":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError("float")
        return float(value)
    raise TypeError(kind)  # pragma: no cover - guarded by _SCALAR_TAGS


class _Composer:
    """Builds the located tree from libyaml events, iteratively."""

    def __init__(self, display: str, before: int = 0):
        self.file = display
        self.before = before
        """Nodes read already from other documents of the same `extends` chain."""
        self.count = 0
        """Nodes of this document so far, every alias counted as a full copy (see `_grow`)."""
        self.anchor_size: dict[str, int] = {}
        self.aliased = False
        self.issues: list[Issue] = []
        self.anchors: dict[str, LNode] = {}
        self.stack: list[list[Any]] = []
        self.last_index = 0
        self.stray_keys: list[int] = []
        """Start indices of the keys a thousands separator split off (see `_separated`)."""
        self.skip_empty_value = False
        """Character index just past the last event received (see `too_deep`)."""

    def too_deep(self, text: str, error: yaml.MarkedYAMLError) -> Issue | None:
        """`yaml_too_deep` when the parser stopped inside nesting deeper than `MAX_DEPTH`, else None.

        libyaml scans a flow collection ahead of the events it gives (to find simple keys), and
        newer releases stop at their own nesting limit there, before this composer sees the
        levels. So the depth is measured here, by what the text is, not by the parser's message:
        the open levels the composer holds, plus the flow brackets opened between the last event
        it received and the place the parser stopped.
        """
        mark = error.problem_mark or error.context_mark
        end = getattr(mark, "index", None)
        if end is None:
            return None
        at = flow_depth_crossing(text, self.last_index, min(end + 1, len(text)), len(self.stack), MAX_DEPTH)
        if at is None:
            return None
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        return Issue("yaml_too_deep", {"limit": MAX_DEPTH}, mark=Mark(self.file, line, col))

    def _where(self, *more: Any) -> str:
        """The dotted key path of the node being composed (for messages), plus `more`."""
        out: list[Any] = []
        for container, _anchor, key, _mark, _quoted, _flow, _start in self.stack:
            if isinstance(container, LSeq):
                out.append(len(container.items))
            elif key is not _NO_KEY and key is not _BAD_KEY:
                out.append(key)
        return ".".join(str(k) for k in (*out, *more))

    def run(self, text: str) -> LNode | None:
        root: LNode | None = None
        # stack entries: [container, anchor, pending key, its mark, whether it was quoted]
        stack: list[list[Any]] = self.stack
        docs = 0
        for ev in yaml.parse(text, Loader=_Parser):
            self.last_index = ev.end_mark.index
            if isinstance(ev, yaml.DocumentStartEvent):
                docs += 1
                if docs > 1:
                    self.issues.append(Issue("yaml_multiple_documents", {}, mark=_mark(ev.start_mark, self.file)))
                    raise _Abort
                continue
            if isinstance(ev, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(ev, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    self.issues.append(Issue("yaml_too_deep", {"limit": MAX_DEPTH}, mark=_mark(ev.start_mark, self.file)))
                    raise _Abort
                mark = _mark(ev.start_mark, self.file)
                is_map = isinstance(ev, yaml.MappingStartEvent)
                allowed = _MAP_TAGS if is_map else _SEQ_TAGS
                if ev.tag not in allowed:
                    self._tag_refused(ev.tag, mark)
                node: LNode = LMap({}, mark) if is_map else LSeq([], mark)
                stack.append([node, ev.anchor, _NO_KEY, None, False, bool(ev.flow_style), self.count])
                self._grow(1)
                continue
            if isinstance(ev, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                entry = stack.pop()
                node, anchor = entry[:2]
                if anchor:
                    self.anchors[anchor] = node
                    self.anchor_size[anchor] = self.count - entry[6]
                root = self._attach(stack, node, root)
                continue
            if isinstance(ev, yaml.AliasEvent):
                mark = _mark(ev.start_mark, self.file)
                target = self.anchors.get(ev.anchor)
                if target is None:
                    self.issues.append(Issue("yaml_undefined_alias", {"name": ev.anchor}, mark=mark))
                    raise _Abort
                self.aliased = True
                self._grow(self.anchor_size.get(ev.anchor, 1))
                root = self._attach(stack, target, root)
                continue
            if isinstance(ev, yaml.ScalarEvent):
                if self._swallowed(ev):
                    continue
                scalar = self._separated(ev, text) or self._scalar(ev)
                self._grow(1)
                if ev.anchor:
                    self.anchors[ev.anchor] = scalar
                root = self._attach(stack, scalar, root)
        return root

    def _grow(self, n: int) -> None:
        """Count `n` more nodes; stop reading once the document (with the files before it in an `extends`
        chain) holds more than `MAX_EXPANDED_NODES`, every alias counted as a copy: an alias bomb, or a
        file far larger than any scenario, is refused as soon as the limit is passed, not after it has
        been read whole."""
        self.count += n
        total = self.count + self.before
        if total > MAX_EXPANDED_NODES:
            code = "yaml_alias_bomb" if self.aliased else "yaml_too_many_nodes"
            self.issues.append(Issue(code, {"nodes": total, "limit": MAX_EXPANDED_NODES}, file=self.file))
            raise _Abort

    def _swallowed(self, ev: yaml.ScalarEvent) -> bool:
        """True for the stray keys (and their empty values) that a thousands separator made (`_separated`)."""
        if self.skip_empty_value:
            self.skip_empty_value = False
            if ev.value == "" and ev.start_mark.index == ev.end_mark.index:
                return True
        if self.stray_keys and ev.start_mark.index == self.stray_keys[0]:
            self.stray_keys.pop(0)
            self.skip_empty_value = True
            return True
        return False

    def _separated(self, ev: yaml.ScalarEvent, text: str) -> LScalar | None:
        """A number written with thousands separators inside ``{ }`` (`budget: 1,200`), or None.

        In a flow mapping the comma ends the value: YAML reads ``{budget: 1,200}`` as `budget: 1` plus
        a key `200` with no value, and ``{2024: 8,000, 2025: 16,000}`` as keys `000` twice. Here the
        value is read as the writer meant it (so later checks see 1200), the stray keys are dropped,
        and the problem is reported: the file is refused until it is written without separators.
        """
        if not self.stack:
            return None
        top = self.stack[-1]
        if not (isinstance(top[0], LMap) and top[5] and top[2] is not _NO_KEY) or ev.style not in (None, ""):
            return None
        if ev.tag not in (None, "!") or not _SEPARATED_HEAD.fullmatch(ev.value):
            return None
        m = _SEPARATED_TAIL.match(text, ev.end_mark.index)
        if m is None:
            return None
        groups, rest = m.group(1), m.group(2) or ""
        self.stray_keys = [ev.end_mark.index + i + 1 for i, c in enumerate(groups) if c == ","]
        written = ev.value + groups + rest.rstrip()
        meant = (ev.value + groups.replace(",", "") + rest).strip()
        mark = _mark(ev.start_mark, self.file)
        self.issues.append(Issue("thousands_separator", {"raw": written, "fixed": meant, "head": ev.value}, mark=mark,
                                 path=self._where()))
        try:
            value: Any = _resolve_plain(meant)
        except ValueError:
            value = meant
        return LScalar(value, mark, meant, False)

    def _tag_refused(self, tag: str, mark: Mark) -> None:
        self.issues.append(Issue("yaml_tag_refused", {"tag": tag.replace(_CORE, "!!")}, mark=mark, path=self._where()))

    def _scalar(self, ev: yaml.ScalarEvent) -> LScalar:
        mark = _mark(ev.start_mark, self.file)
        raw = ev.value
        quoted = ev.style not in (None, "")
        tag = ev.tag
        if tag not in (None, "!") and tag not in _SCALAR_TAGS:
            self._tag_refused(tag, mark)
            return LScalar(None, mark, raw, quoted)
        if tag in _SCALAR_TAGS:
            try:
                value = _resolve_tagged(tag, raw)
            except (TypeError, ValueError):
                self.issues.append(Issue("yaml_bad_tagged_value", {"tag": tag.replace(_CORE, "!!"), "raw": raw}, mark=mark,
                                         path=self._where()))
                return LScalar(None, mark, raw, quoted)
        elif quoted or tag == "!":
            value = raw
        else:
            try:
                value = _resolve_plain(raw)
            except ValueError:  # an integer with more than 4300 digits
                self.issues.append(Issue("number_overflow", {"raw": raw[:40] + "…"}, mark=mark, path=self._where()))
                return LScalar(None, mark, raw, quoted)
        if isinstance(value, float) and not math.isfinite(value):
            code = "number_nan" if math.isnan(value) else ("number_overflow" if _FLOAT.match(raw) else "number_inf")
            self.issues.append(Issue(code, {"raw": raw}, mark=mark, path=self._where()))
            return LScalar(None, mark, raw, quoted)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > MAX_ABS_NUMBER:
            self.issues.append(Issue("number_overflow", {"raw": raw[:40]}, mark=mark, path=self._where()))
            return LScalar(None, mark, raw, quoted)
        return LScalar(value, mark, raw, quoted)

    def _attach(self, stack: list[list[Any]], node: LNode, root: LNode | None) -> LNode | None:
        if not stack:
            return node
        top = stack[-1]
        container = top[0]
        if isinstance(container, LSeq):
            container.items.append(node)
            return root
        if top[2] is _NO_KEY:  # this node is a key
            if not isinstance(node, LScalar):
                self.issues.append(Issue("yaml_complex_key", {}, mark=node.mark, path=self._where()))
                top[2], top[3] = _BAD_KEY, node.mark
                return root
            top[2], top[3], top[4] = node.value, node.mark, node.quoted
            return root
        key, kmark, kquoted = top[2], top[3], top[4]
        top[2], top[3], top[4] = _NO_KEY, None, False
        if key is _BAD_KEY:
            return root
        if key == "<<" and not kquoted:
            self._merge_key(container, node, kmark)
            return root
        if key in container.items and key not in container.merged:
            first = container.key_marks.get(key)
            self.issues.append(Issue("yaml_duplicate_key", {"key": key, "first": first.line if first else "?"},
                                     mark=kmark, path=self._where(key)))
            return root
        container.items[key] = node
        container.key_marks[key] = kmark
        container.merged.discard(key)
        return root

    def _merge_key(self, container: LMap, node: LNode, kmark: Mark) -> None:
        """`<<: *defaults` (or a list of them): copy keys that are not set yet."""
        sources = node.items if isinstance(node, LSeq) else [node]
        for src in sources:
            if not isinstance(src, LMap):
                self.issues.append(Issue("yaml_bad_merge", {}, mark=src.mark, path=self._where("<<")))
                continue
            for k, v in src.items.items():
                if k not in container.items:
                    container.items[k] = v
                    container.key_marks[k] = src.key_marks.get(k, kmark)
                    container.merged.add(k)


_NO_KEY = object()
_BAD_KEY = object()
_SEPARATED_HEAD = re.compile(r"[-+]?[0-9]{1,3}")
_SEPARATED_TAIL = re.compile(r"((?:,[0-9]{3})+)(\.[0-9]+)?([ \t]*[^\s,{}\[\]#:]+)?(?=[ \t]*(?:[,}#]|$))", re.M)


def flow_depth_crossing(text: str, start: int, end: int, depth: int, limit: int) -> int | None:
    """The index in `text[start:end]` where flow nesting, starting at `depth` open levels, first
    exceeds `limit`; None when it does not.

    Counts the flow indicators ``[ {`` and ``] }`` outside quoted scalars and comments: the
    region is one that libyaml was scanning in flow context.
    """
    i = start
    quote = ""
    prev = " "
    while i < end:
        c = text[i]
        if quote:
            if c == "\\" and quote == '"':
                i += 2
                continue
            if c == quote:
                if quote == "'" and i + 1 < end and text[i + 1] == "'":
                    i += 2
                    continue
                quote = ""
        elif c in "'\"":
            quote = c
        elif c == "#" and prev in " \t\n":
            nl = text.find("\n", i, end)
            if nl < 0:
                return None
            i = nl
            c = "\n"
        elif c in "[{":
            depth += 1
            if depth > limit:
                return i
        elif c in "]}":
            depth -= 1
        prev = c
        i += 1
    return None
