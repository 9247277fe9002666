"""Markdown (`--format markdown`): headings, paragraphs and pipe tables.

Footer rows (合计 / Total) follow the body in bold; notes are italic lines
under the table. A `|` inside a cell is escaped.
"""

from __future__ import annotations

from landopt.report.model import Report, Table, cell_text


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


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
    out = [f"# {_esc(report.title)}", ""]
    out += [f"- {_esc(h)}" for h in report.header]
    for sec in report.sections:
        out += ["", f"## {_esc(sec.title)}"]
        for p in sec.paragraphs:
            out += ["", p]
        for t in sec.tables:
            out += ["", *table_markdown(t)]
    return "\n".join(out) + "\n"
