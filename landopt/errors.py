"""Errors and the issue list every input problem is reported through.

An `Issue` is one problem with a location (file, line, column, key path), what
was wrong, what was expected and how to fix it. Loading collects every issue
of a file and raises one `InputError` carrying them all, so a user sees every
problem in one run. Messages are built from the bilingual catalogue in
`landopt.i18n.messages`, keyed by a stable code, so each can be tested; a
suggestion ("did you mean ...?") is data of the issue (`Issue.suggest`), which
the message shows in either language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from landopt.i18n.messages import render
from landopt.i18n.text import printable

# Exit codes of the command line (also in README.md).
EXIT_OK = 0
EXIT_FAILED = 1  # infeasible, unbounded, time limit, solver failure, checker failure
EXIT_INPUT = 2  # bad input
EXIT_EXPECT = 3  # an `expect` block did not hold
EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM: stopped by a termination signal, nothing written
MAX_SHOWN = 100
"""Most input problems listed in one message; the rest are counted."""


@dataclass(frozen=True)
class Mark:
    """A position in a file, 1-based line and column (columns count code points)."""

    file: str
    line: int
    col: int
    label: str = ""
    """How the place is written when it is not `file:line:col`: a table's cell (`parks.csv:17:D`,
    `parks.xlsx:园区!D17`, `landopt.input.tables`), where `line` is the row and `col` the column."""

    def __str__(self) -> str:
        return self.label or f"{self.file}:{self.line}:{self.col}"


@dataclass
class Issue:
    """One problem found in the input.

    `code` selects the message template in `landopt.i18n.messages`; `params` fill it; `suggest` is the
    word the writer most likely meant (an id, a key, a kind), if any: the message offers it.
    """

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    mark: Mark | None = None
    file: str | None = None
    severity: str = "error"
    loc: tuple = ()
    """The key path as a tuple (`path` is its display form)."""
    suggest: str | None = None
    """The word the writer most likely meant (shown as "did you mean ...?"), or None."""

    def __post_init__(self) -> None:
        self.path = printable(self.path)

    def format(self, lang: str = "en") -> str:
        """`file:line:col key.path: what is wrong; expected ...; fix`."""
        text = render(self.code, self.params, lang, self.suggest)
        where = str(self.mark) if self.mark else (self.file or "")
        head = " ".join(p for p in (where, self.path) if p)
        prefix = ""
        if self.severity == "warning":
            prefix = "警告: " if lang == "zh" else "warning: "
        return f"{head}: {prefix}{text}" if head else f"{prefix}{text}"

    def sort_key(self) -> tuple:
        """Order issues by file, line, column."""
        m = self.mark
        return (m.file if m else (self.file or ""), m.line if m else 0, m.col if m else 0, self.path, self.code)


class LandoptError(Exception):
    """Base class of landopt's own errors; the CLI turns them into messages and exit codes."""

    exit_code = EXIT_FAILED

    def render(self, lang: str = "en") -> str:
        """The message shown to a user."""
        return str(self)


class InputError(LandoptError):
    """The scenario (or a command-line value) is invalid; carries every issue found."""

    exit_code = EXIT_INPUT

    def __init__(self, issues: list[Issue]):
        self.issues = sorted(issues, key=Issue.sort_key)
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        """Every problem, one per line, in file order; past `MAX_SHOWN` the rest are counted, not listed
        (a flood of 100,000 misspelt keys is one screenful and a count)."""
        shown = self.issues[:MAX_SHOWN]
        lines = [i.format(lang) for i in shown]
        n = sum(1 for i in self.issues if i.severity == "error")
        rest = len(self.issues) - len(shown)
        if rest:
            lines.append(f"…另有 {rest:,} 个问题未列出 (共 {n:,} 个错误)" if lang == "zh"
                         else f"... and {rest:,} more problems not listed ({n:,} errors in all)")
        elif n > 1:
            lines.append(f"{n} 个错误" if lang == "zh" else f"{n} errors")
        return "\n".join(lines)


class SolveError(LandoptError):
    """A solver is missing, unknown or failed."""

    exit_code = EXIT_FAILED


class CheckerError(LandoptError):
    """The independent checker found that a solution violates the scenario: a bug, not a result."""

    exit_code = EXIT_FAILED
