"""Markdown (`--format markdown`): headings, paragraphs and pipe tables.

Footer rows (合计 / Total) follow the body in bold; notes are italic lines
under the table. Every text (names come from the scenario file) is escaped: ``\\``, ``|``,
``[`` and ``]`` with a backslash, ``&``, ``<`` and ``>`` as HTML entities, so a name can
neither break a table nor put raw HTML (``<script>``, ``<img onerror=...>``) or a link into
a page rendered from the Markdown; control characters are shown as escapes
(`landopt.report.text.visible_report`).
"""

from __future__ import annotations

from landopt.report.model import Report, Table, cell_text
from landopt.report.text import visible_report

_ESCAPES = str.maketrans({"\\": "\\\\", "|": "\\|", "[": "\\[", "]": "\\]", "&": "&amp;", "<": "&lt;",
                          ">": "&gt;", "\n": " "})


def _esc(text: str) -> str:
    return text.translate(_ESCAPES)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_esc(c) for c in cells) + " |"


def table_markdown(table: Table) -> list[str]:
    """Lines of one pipe table with its title and notes."""
    cols = table.columns
    out = [f"### {_esc(table.title)}", "", _row([c.header for c in cols]),
           "|" + "|".join("---:" if c.numeric else "---" for c in cols) + "|"]
    out += [_row([cell_text(v, c) for v, c in zip(r, cols)]) for r in table.rows]
    for r in table.footer:
        out.append(_row([f"**{t}**" if t else "" for t in (cell_text(v, c) for v, c in zip(r, cols))]))
    if table.notes:
        out.append("")
        out += [f"*{_esc(n)}*" for n in table.notes]
    return out


def render_markdown(report: Report) -> str:
    """The whole report as Markdown."""
    report = visible_report(report)
    out = [f"# {_esc(report.title)}", ""]
    out += [f"- {_esc(h)}" for h in report.header]
    for sec in report.sections:
        out += ["", f"## {_esc(sec.title)}"]
        for p in sec.paragraphs:
            out += ["", _esc(p)]
        for t in sec.tables:
            out += ["", *table_markdown(t)]
    return "\n".join(out) + "\n"
