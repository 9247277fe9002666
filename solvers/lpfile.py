"""Deterministic CPLEX LP and free MPS writers for a LinearProblem.

Both writers produce the same text for the same problem on every run and platform:

* Names are made legal (see `legal_names`): characters outside ``[A-Za-z0-9_.]`` become
  ``_``; a name that starts with a digit or ``.``, could be read as a number
  (``e1``, ``E5x``), or is an LP keyword, gets a ``_`` prefix; names are cut to 255
  characters; duplicates get ``_2``, ``_3``, ... in order of appearance. The objective row
  is always called ``obj``. Renamed rows and columns are listed with their original names
  in comments at the top of the file.
* Numbers are written with ``repr`` (the shortest text that reads back to the same
  double), ``-0.0`` as ``0`` and a trailing ``.0`` dropped.

LP format specifics: a range row ``lo <= a x <= hi`` becomes two rows ``NAME_lo`` and
``NAME_hi`` (CPLEX LP has no portable range syntax); a free row is kept as a comment;
the objective constant is written as a constant term. MPS specifics: ``OBJSENSE`` says
MAX for a maximisation (some readers, e.g. CBC 2.10, ignore it and need ``-max``); the
objective constant is the RHS of ``obj`` with its sign flipped (the usual convention); a
range is an ``L`` row at ``hi`` with a RANGES entry ``hi - lo`` (so ``lo`` reads back as
``hi - (hi - lo)``, exact up to one rounding); integer columns always get explicit bounds.

Speed: the matrix is written with whole-array operations, not one Python call per entry:
each distinct number, row and column name is formatted once and the lines are assembled
by numpy object-array concatenation (gen.py's 1e6 instance, 1.14e6 nonzeros: LP 2.1 s -> 1.0 s,
MPS 2.8 s -> 0.9 s; `benchmarks/bench_lpfile.py`).

Why not OR-Tools' exporter (``model_builder`` ``export_to_lp_string`` /
``export_to_mps_string``, the same C++ ``MPModelProtoExporter`` as pywraplp and MathOpt's
``model_proto_to_mps``): it is faster still (same instance, model build included: LP 0.36 s,
MPS 0.64 s), but in OR-Tools 9.15 it is not correct, in either format, and no
``MPModelExportOptions`` field (``obfuscate``, ``log_invalid_names``,
``show_unused_variables``, ``max_line_length``) changes that:

* every number is written with six significant digits (``1/3`` -> ``0.333333``,
  ``123456789012`` -> ``1.23457e+11``), so the file is a different problem (gen.py's 1e6 instance: 987,398 of its
  1,326,029 numbers read back changed, by up to 5e-6 relative; on the 1e5 instance the
  optimum moves by 2.5e-8 relative, on ``max x/3, x <= 123456789`` by 7e-7);
* LP: a column ``-inf <= y <= 5`` is written ``y <= 5``, which CPLEX-format readers (CBC)
  read as ``0 <= y <= 5``; the objective constant is a variable named ``Constant`` fixed at 1,
  which clashes with a column of that name (CBC rejects the file); names are only partly
  sanitised (``e1``, ``st``, ``free``, ``x[1]``, ``é`` are kept), duplicates get ``_1``, ``_2``,
  and names over 251 characters are replaced by ``V<index>``; unused columns are dropped
  unless ``show_unused_variables``; free rows are dropped silently;
* MPS: the objective row is ``COST`` and a row of that name is written twice (CBC rejects
  the file; OR-Tools reads it back infeasible); a column without entries is listed under
  BOUNDS but not COLUMNS (CBC rejects the file); integer columns are moved first.

`tests/solvers/test_lpfile.py` pins these: its read-back tests fail on such an export.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from solvers._support import canonical_csr
from solvers.problem import LinearProblem

MAX_NAME_LENGTH = 255
LINE_WIDTH = 250
"""LP expressions are wrapped before this many characters (CPLEX truncates at 510)."""
OBJECTIVE_NAME = "obj"
MARKER_QUOTED = "'MARKER'"
_ILLEGAL = re.compile(r"[^A-Za-z0-9_.]")
_NUMBER_LIKE = re.compile(r"^[eE]([0-9eE]|$)")
_LP_KEYWORDS = frozenset({
    "max", "maximize", "maximise", "maximum", "min", "minimize", "minimise", "minimum",
    "subject", "to", "st", "s.t.", "such", "that", "bound", "bounds", "free", "inf", "infinity",
    "general", "generals", "gen", "integer", "integers", "binary", "binaries", "bin", "end",
    "semi", "semis", "semi-continuous", "sos",
})


def legal_names(names: Iterable[str], *, taken: Iterable[str] = ()) -> list[str]:
    """Legal, unique LP/MPS names for `names`, in order (see the module docstring).

    Args:
        names: the original names.
        taken: names already in use that the result must avoid.
    """
    used = set(taken)
    out = []
    for name in names:
        base = _legal(name)
        candidate, k = base, 1
        while candidate in used:
            k += 1
            suffix = f"_{k}"
            candidate = base[: MAX_NAME_LENGTH - len(suffix)] + suffix
        used.add(candidate)
        out.append(candidate)
    return out


def format_number(value: float) -> str:
    """Shortest exact text for a double: repr without '.0', and 0 for -0.0."""
    if value == 0:
        return "0"
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def to_lp(problem: LinearProblem) -> str:
    """The problem in CPLEX LP format (see the module docstring)."""
    names = _Names.of(problem)
    lines = _header("\\", problem, names)
    lines.append("Maximize" if problem.maximize else "Minimize")
    objective = _Terms.of(np.array([0, problem.n]), np.arange(problem.n), problem.c, names.cols)
    extra = [_signed(problem.c0)] if problem.c0 != 0 else []
    if objective.count(0) == 0 and not extra:
        extra = [f"0 {names.cols[0]}"] if problem.n else ["0"]
    lines.extend(objective.wrap(f" {OBJECTIVE_NAME}:", 0, extra))
    lines.append("Subject To")
    A = canonical_csr(problem.A)
    terms = _Terms.of(A.indptr, A.indices, A.data, names.cols)
    sides = [side for i in range(problem.m) for side in _lp_row_sides(problem, terms, i, names)]
    labels = iter(legal_names([label for label, _, _ in sides if label], taken=[OBJECTIVE_NAME]))
    for label, i, extra in sides:
        lines.extend(terms.wrap(f" {next(labels)}:", i, extra) if label else extra)
    lines.append("Bounds")
    lo, hi = problem.col_lo, problem.col_hi
    lines.extend(_lp_bound(names.cols[j], lo[j], hi[j]) for j in np.flatnonzero(~((lo == 0) & (hi == math.inf))))
    if problem.integer is not None and problem.is_mip:
        lines.append("General")
        lines.extend(_wrap("", [names.cols[j] for j in np.flatnonzero(problem.integer)]))
    lines.append("End")
    return "\n".join(lines) + "\n"


def to_mps(problem: LinearProblem) -> str:
    """The problem in free MPS format (see the module docstring)."""
    names = _Names.of(problem)
    lines = _header("*", problem, names)
    lines.append(f"NAME {names.problem}")
    if problem.maximize:
        lines.extend(["OBJSENSE", "    MAX"])
    lines.append("ROWS")
    lines.append(_card("N", OBJECTIVE_NAME))
    lines.extend(_card(_mps_row_type(lo, hi), name)
                 for name, lo, hi in zip(names.rows, problem.row_lo, problem.row_hi, strict=True))
    lines.append("COLUMNS")
    lines.extend(_mps_columns(problem, names))
    lines.append("RHS")
    if problem.c0 != 0:
        lines.append(_card("", "RHS", OBJECTIVE_NAME, format_number(-problem.c0)))
    lines.extend(_mps_rhs(problem, names))
    ranges = [_card("", "RNG", names.rows[i], format_number(problem.row_hi[i] - problem.row_lo[i]))
              for i in range(problem.m) if _is_range(problem.row_lo[i], problem.row_hi[i])]
    if ranges:
        lines.append("RANGES")
        lines.extend(ranges)
    lines.append("BOUNDS")
    integer = _integer_flags(problem)
    for j in np.flatnonzero(integer | ~((problem.col_lo == 0) & (problem.col_hi == math.inf))):
        lines.extend(_mps_bounds(names.cols[j], problem.col_lo[j], problem.col_hi[j], bool(integer[j])))
    lines.append("ENDATA")
    return "\n".join(lines) + "\n"


def _integer_flags(problem: LinearProblem) -> NDArray[np.bool_]:
    """integer[j] as a bool array (all False for an LP)."""
    if problem.integer is None:
        return np.zeros(problem.n, dtype=bool)
    return np.asarray(problem.integer, dtype=bool)


def _number_texts(values: NDArray[np.float64]) -> tuple[list[str], NDArray[np.intp]]:
    """`format_number` of every distinct value, and each value's index into that list.

    Formatting each distinct value once is what makes the writers fast: a model has far fewer
    distinct coefficients than nonzeros (165,003 of 1,140,000 in gen.py's 1e6 instance).
    """
    if values.size == 0:
        return [], np.zeros(0, dtype=np.intp)
    distinct, inverse = np.unique(values, return_inverse=True)
    texts = [text[:-2] if text.endswith(".0") else text for text in map(repr, distinct.tolist())]
    for k in np.flatnonzero(distinct == 0).tolist():  # 0.0 and -0.0 (np.unique keeps one of them)
        texts[k] = "0"
    return texts, inverse.reshape(-1)


# ---------------------------------------------------------------------------- names
class _Names:
    """Legal names for the problem, its rows and its columns, with the originals."""

    def __init__(self, problem: str, rows: list[str], cols: list[str],
                 original_rows: list[str], original_cols: list[str]) -> None:
        self.problem = problem
        self.rows = rows
        self.cols = cols
        self.original_rows = original_rows
        self.original_cols = original_cols

    @classmethod
    def of(cls, problem: LinearProblem) -> _Names:
        original_rows = [problem.row_name(i) for i in range(problem.m)]
        original_cols = [problem.col_name(j) for j in range(problem.n)]
        return cls(
            _legal(problem.name),
            legal_names(original_rows, taken=[OBJECTIVE_NAME]),
            legal_names(original_cols),
            original_rows,
            original_cols,
        )

    def renamed(self) -> Iterator[tuple[str, str, str]]:
        """(kind, legal name, original name) for every row and column whose name changed."""
        for kind, legal, original in (("row", self.rows, self.original_rows),
                                      ("column", self.cols, self.original_cols)):
            for new, old in zip(legal, original, strict=True):
                if new != old:
                    yield kind, new, old


def _legal(name: str) -> str:
    """One name made legal, without de-duplication."""
    text = _ILLEGAL.sub("_", name)[:MAX_NAME_LENGTH]
    if not text or text[0].isdigit() or text[0] == "." or _NUMBER_LIKE.match(text) \
            or text.lower() in _LP_KEYWORDS:
        text = ("_" + text)[:MAX_NAME_LENGTH]
    return text


def _comment_text(text: str) -> str:
    """Text safe inside a one-line comment (control characters become spaces)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else " " for ch in text)


def _header(mark: str, problem: LinearProblem, names: _Names) -> list[str]:
    """Comment lines naming the problem and listing every renamed row and column."""
    lines = [f"{mark} Problem: {_comment_text(problem.name)}",
             f"{mark} {problem.m} rows, {problem.n} columns, {problem.nnz} nonzeros, sense {problem.sense}"]
    renamed = list(names.renamed())
    if renamed:
        lines.append(f"{mark} Renamed (legal name <- original name):")
        lines.extend(f"{mark}   {kind} {new} <- {_comment_text(old)}" for kind, new, old in renamed)
    return lines


# ------------------------------------------------------------------------------- LP
def _signed(value: float) -> str:
    """A number with an explicit '+' or '-' separated by a space ('+ 7.25', '- 3')."""
    return f"- {format_number(-value)}" if value < 0 else f"+ {format_number(value)}"


class _Terms:
    """The LP texts '3 x', '- 2 y', ... of the nonzero terms of a list of expressions.

    Expression r (a CSR row) owns `texts[start[r]:start[r + 1]]`; its first term carries its
    own sign ('-1.5 z'), the others a separate one ('- 1.5 z'), as `_signed` writes them.
    `cum[k]` is the length of the texts before k, each counted with the space before it, so
    that a line's length is known without building it.
    """

    def __init__(self, texts: list[str], cum: list[int], start: list[int]) -> None:
        self.texts = texts
        self.cum = cum
        self.start = start

    @classmethod
    def of(cls, indptr: NDArray[np.integer[Any]], indices: NDArray[np.integer[Any]], data: NDArray[np.float64],
           col_names: list[str]) -> _Terms:
        data = np.asarray(data, dtype=float)
        keep = data != 0
        rows = len(indptr) - 1
        counts = np.bincount(np.repeat(np.arange(rows), np.diff(indptr))[keep], minlength=rows)
        start = np.concatenate([[0], np.cumsum(counts)])
        first = np.zeros(int(start[-1]), dtype=bool)
        first[start[:-1][counts > 0]] = True
        numbers, inverse = _number_texts(data[keep])
        signed = [f"- {text[1:]}" if text.startswith("-") else f"+ {text}" for text in numbers]
        table = np.array(numbers + signed, dtype=object)
        pick = inverse + len(numbers) * ~first
        spaced = np.array([f" {name}" for name in col_names], dtype=object)
        cols = indices[keep]
        texts = table[pick] + spaced[cols]
        widths = (np.array([len(text) for text in table], dtype=np.int64)[pick]
                  + np.array([len(name) for name in spaced], dtype=np.int64)[cols] + 1)
        cum = np.concatenate([[0], np.cumsum(widths)])
        return cls(texts.tolist(), cum.tolist(), start.tolist())

    def count(self, r: int) -> int:
        """Number of nonzero terms of expression r."""
        return self.start[r + 1] - self.start[r]

    def wrap(self, prefix: str, r: int, extra: Sequence[str]) -> list[str]:
        """`_wrap(prefix, [*terms of expression r, *extra])`, without rebuilding the texts."""
        a, b = self.start[r], self.start[r + 1]
        width = len(prefix) + self.cum[b] - self.cum[a] + sum(1 + len(token) for token in extra)
        tokens = self.texts[a:b]
        tokens.extend(extra)
        if width <= LINE_WIDTH:
            return [f"{prefix} {' '.join(tokens)}"]
        tail = itertools.accumulate((1 + len(token) for token in extra), initial=self.cum[b])
        next(tail)  # cum[b] itself, already the last entry of the slice
        return _wrap(prefix, tokens, [*self.cum[a:b + 1], *tail])


def _wrap(prefix: str, tokens: Sequence[str], cum: list[int] | None = None) -> list[str]:
    """Tokens joined by spaces after `prefix`, wrapped into lines of at most LINE_WIDTH characters.

    Greedy: a token that would make the line longer than LINE_WIDTH starts a new line, unless
    the line is still blank (then it takes the token whatever its length). `cum[k]` is the
    length of the tokens before k, each with its leading space (computed when not given).
    """
    if cum is None:
        cum = list(itertools.accumulate((1 + len(token) for token in tokens), initial=0))
    if len(prefix) + cum[-1] - cum[0] <= LINE_WIDTH:
        return [f"{prefix} {' '.join(tokens)}"] if tokens else [prefix]
    text, origin = " ".join(tokens), cum[0]  # token k is text[cum[k] - origin:cum[k + 1] - origin - 1]
    lines, head, k = [], prefix, 0
    while k < len(tokens):
        end = max(k, bisect.bisect_right(cum, LINE_WIDTH - len(head) + cum[k], k) - 1)
        if end == k and not head.strip():
            end = k + 1
        lines.append(f"{head} {text[cum[k] - origin:cum[end] - origin - 1]}" if end > k else head)
        head, k = "", end
    return lines


def _lp_row_sides(problem: LinearProblem, terms: _Terms, i: int,
                  names: _Names) -> list[tuple[str, int, list[str]]]:
    """(label, i, extra tokens) for each LP constraint of row i: two for a range, one otherwise.

    A constraint is the row's terms followed by its extra tokens (the relation and the
    bound). A free row, and a row of a problem without columns, becomes a comment line:
    label '' and the comment as its only extra token. An empty row is kept as '0 x0 <op> rhs'.
    """
    lo, hi, name = problem.row_lo[i], problem.row_hi[i], names.rows[i]
    empty = terms.count(i) == 0
    zero = [f"0 {names.cols[0]}"] if empty and problem.n else []
    if lo == -math.inf and hi == math.inf:
        return [("", i, [f"\\ free row {name} omitted (no finite bound)"])]
    if empty and not problem.n:
        return [("", i, [f"\\ row {name} without columns, bounds [{format_number(lo)}, {format_number(hi)}]"])]
    if lo == hi:
        return [(name, i, [*zero, "=", format_number(lo)])]
    if lo == -math.inf:
        return [(name, i, [*zero, "<=", format_number(hi)])]
    if hi == math.inf:
        return [(name, i, [*zero, ">=", format_number(lo)])]
    return [(f"{name}_lo", i, [*zero, ">=", format_number(lo)]),
            (f"{name}_hi", i, [*zero, "<=", format_number(hi)])]


def _lp_bound(name: str, lo: float, hi: float) -> str:
    """The Bounds line for one column whose bounds are not the default [0, inf)."""
    if lo == hi:
        return f" {name} = {format_number(lo)}"
    if lo == -math.inf and hi == math.inf:
        return f" {name} free"
    low = "-inf" if lo == -math.inf else format_number(lo)
    if hi == math.inf:
        return f" {name} >= {low}"
    return f" {low} <= {name} <= {format_number(hi)}"


# ------------------------------------------------------------------------------ MPS
def _is_range(lo: float, hi: float) -> bool:
    """True for a row with two different finite bounds."""
    return lo != hi and math.isfinite(lo) and math.isfinite(hi)


def _mps_row_type(lo: float, hi: float) -> str:
    """N (free), E, G or L; a range is an L row widened by RANGES."""
    if lo == hi:
        return "E"
    if lo == -math.inf and hi == math.inf:
        return "N"
    return "G" if hi == math.inf else "L"


def _mps_rhs(problem: LinearProblem, names: _Names) -> Iterator[str]:
    """RHS lines for every bounded row with a nonzero right-hand side."""
    for name, lo, hi in zip(names.rows, problem.row_lo, problem.row_hi, strict=True):
        rhs = lo if hi == math.inf else hi
        if math.isfinite(rhs) and rhs != 0:
            yield _card("", "RHS", name, format_number(rhs))


def _mps_columns(problem: LinearProblem, names: _Names) -> list[str]:
    """COLUMNS lines, column by column, with integer columns inside MARKER blocks.

    A column's lines are its objective entry (when nonzero, or when the column has no other
    entry, so that every column is listed) and then its stored matrix entries by row.
    Built for all entries at once: each line is a column head, a row field and a number
    text, all three formatted once per column, row or distinct value.
    """
    n = problem.n
    A = canonical_csr(problem.A).tocsc()
    A.sort_indices()
    counts = np.diff(A.indptr)
    with_objective = (problem.c != 0) | (counts == 0)
    per_column = counts + with_objective
    first_line = np.concatenate([[0], np.cumsum(per_column)])
    row = np.empty(int(first_line[-1]), dtype=np.intp)
    value = np.empty(row.size)
    at = first_line[:-1][with_objective]
    row[at] = problem.m  # the objective, after the rows in `fields`
    value[at] = problem.c[with_objective]
    at = np.arange(A.nnz) + np.repeat(first_line[:-1] + with_objective - A.indptr[:-1], counts)
    row[at] = A.indices
    value[at] = A.data
    heads = np.array([f"    {name:<8}  " for name in names.cols], dtype=object)
    fields = np.array([f"{name:<8}  " for name in [*names.rows, OBJECTIVE_NAME]], dtype=object)
    numbers, inverse = _number_texts(value)
    texts = np.array(numbers, dtype=object)[inverse]
    lines: list[str] = (heads[np.repeat(np.arange(n), per_column)] + fields[row] + texts).tolist()
    integer = _integer_flags(problem)
    changes = np.flatnonzero(integer != np.concatenate([[False], integer[:-1]]))
    if not changes.size:
        return lines
    out, done = [], 0
    for j in changes.tolist():
        out.extend(lines[done:first_line[j]])
        out.append(_marker("'INTORG'" if integer[j] else "'INTEND'"))
        done = int(first_line[j])
    out.extend(lines[done:])
    if integer[-1]:
        out.append(_marker("'INTEND'"))
    return out


def _mps_bounds(name: str, lo: float, hi: float, integer: bool) -> list[str]:
    """BOUNDS lines for one column (nothing for a continuous column in [0, inf))."""
    if lo == hi:
        return [_card("FX", "BND", name, format_number(lo))]
    if lo == -math.inf and hi == math.inf:
        return [_card("FR", "BND", name)]
    lines = []
    if lo == -math.inf:
        lines.append(_card("MI", "BND", name))
    elif lo != 0 or integer:
        lines.append(_card("LO", "BND", name, format_number(lo)))
    if math.isfinite(hi):
        lines.append(_card("UP", "BND", name, format_number(hi)))
    elif integer:
        lines.append(_card("PL", "BND", name))
    return lines


def _card(code: str, name: str, name2: str = "", number: str = "") -> str:
    """One MPS data line, laid out in the fixed-format columns (2, 5, 15, 25).

    Whitespace-separated, so it is free MPS too; the fixed layout matters to readers that
    try fixed format first (CBC's CoinMpsIO rejects short names that are not in place).
    Longer names simply push the later fields right.
    """
    line = f" {code:<2} {name:<8}"
    if name2:
        line += f"  {name2:<8}"
    if number:
        line += f"  {number}"
    return line.rstrip()


def _marker(kind: str) -> str:
    """An integer MARKER line ('INTORG' or 'INTEND' in field 5, column 40)."""
    return f"{_card('', 'MARKER', MARKER_QUOTED):<39}{kind}"
