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
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence

import numpy as np
import scipy.sparse as sp

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
    A = canonical_csr(problem.A)
    lines = _header("\\", problem, names)
    lines.append("Maximize" if problem.maximize else "Minimize")
    objective = _lp_terms(problem.c, np.arange(problem.n), names.cols)
    if problem.c0 != 0:
        objective.append(_signed(problem.c0))
    if not objective:
        objective = [f"0 {names.cols[0]}"] if problem.n else ["0"]
    lines.extend(_wrap(f" {OBJECTIVE_NAME}:", objective))
    lines.append("Subject To")
    rows = [side for i in range(problem.m) for side in _lp_row_sides(problem, A, i, names)]
    labels = iter(legal_names([label for label, _ in rows if label], taken=[OBJECTIVE_NAME]))
    for label, tokens in rows:
        lines.extend(_wrap(f" {next(labels)}:", tokens) if label else tokens)
    lines.append("Bounds")
    lines.extend(_lp_bound(names.cols[j], problem.col_lo[j], problem.col_hi[j]) for j in range(problem.n)
                 if not (problem.col_lo[j] == 0 and problem.col_hi[j] == math.inf))
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
    for j in range(problem.n):
        integer = problem.integer is not None and bool(problem.integer[j])
        lines.extend(_mps_bounds(names.cols[j], problem.col_lo[j], problem.col_hi[j], integer))
    lines.append("ENDATA")
    return "\n".join(lines) + "\n"


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
def _signed(value: float, *, first: bool = False) -> str:
    """A number with an explicit '+' or '-' separated by a space, or bare when first."""
    if first:
        return format_number(value)
    return f"- {format_number(-value)}" if value < 0 else f"+ {format_number(value)}"


def _lp_terms(coefs: np.ndarray, cols: np.ndarray, col_names: list[str]) -> list[str]:
    """'3 x', '- 2 y', ... for the nonzero terms of an expression (the first carries its own sign)."""
    terms: list[str] = []
    for coef, j in zip(coefs, cols, strict=True):
        if coef != 0:
            terms.append(f"{_signed(coef, first=not terms)} {col_names[j]}")
    return terms


def _wrap(prefix: str, tokens: Sequence[str]) -> list[str]:
    """Tokens joined by spaces after `prefix`, wrapped into lines shorter than LINE_WIDTH."""
    lines, line = [], prefix
    for token in tokens:
        if len(line) + 1 + len(token) > LINE_WIDTH and line.strip():
            lines.append(line)
            line = ""
        line = f"{line} {token}"
    lines.append(line)
    return lines


def _lp_row_sides(problem: LinearProblem, A: sp.csr_matrix, i: int,
                  names: _Names) -> list[tuple[str, list[str]]]:
    """(label, tokens) for each LP constraint of row i: two for a range, one otherwise.

    A free row, and a row of a problem without columns, becomes a comment line: label ''
    and the comment as its only token. An empty row is kept as '0 x0 <op> rhs'.
    """
    start, end = A.indptr[i], A.indptr[i + 1]
    terms = _lp_terms(A.data[start:end], A.indices[start:end], names.cols)
    lo, hi, name = problem.row_lo[i], problem.row_hi[i], names.rows[i]
    if not terms and problem.n:
        terms = [f"0 {names.cols[0]}"]
    if lo == -math.inf and hi == math.inf:
        return [("", [f"\\ free row {name} omitted (no finite bound)"])]
    if not terms:
        return [("", [f"\\ row {name} without columns, bounds [{format_number(lo)}, {format_number(hi)}]"])]
    if lo == hi:
        return [(name, [*terms, "=", format_number(lo)])]
    if lo == -math.inf:
        return [(name, [*terms, "<=", format_number(hi)])]
    if hi == math.inf:
        return [(name, [*terms, ">=", format_number(lo)])]
    return [(f"{name}_lo", [*terms, ">=", format_number(lo)]),
            (f"{name}_hi", [*terms, "<=", format_number(hi)])]


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


def _mps_columns(problem: LinearProblem, names: _Names) -> Iterator[str]:
    """COLUMNS lines, column by column, with integer columns inside MARKER blocks."""
    A = canonical_csr(problem.A).tocsc()
    A.sort_indices()
    in_integer_block = False
    for j in range(problem.n):
        integer = problem.integer is not None and bool(problem.integer[j])
        if integer != in_integer_block:
            yield _marker("'INTORG'" if integer else "'INTEND'")
            in_integer_block = integer
        start, end = A.indptr[j], A.indptr[j + 1]
        col = names.cols[j]
        if problem.c[j] != 0 or start == end:
            yield _card("", col, OBJECTIVE_NAME, format_number(problem.c[j]))
        for i, value in zip(A.indices[start:end], A.data[start:end], strict=True):
            yield _card("", col, names.rows[i], format_number(value))
    if in_integer_block:
        yield _marker("'INTEND'")


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
