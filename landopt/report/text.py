"""Plain-text tables (`--format table`, the default) with CJK-aware column widths.

Widths are display widths (`wcwidth.wcswidth`: a Chinese character counts 2), so
every line of a table has the same width in a terminal. Tables are drawn with
ASCII only ('+', '-', '|'); the disallowed-cell marker is ASCII 'x' here,
because '×' is East-Asian ambiguous and misaligns in some terminals.
"""

from __future__ import annotations

from wcwidth import wcswidth

from landopt.report.model import DISALLOWED_ASCII, DISALLOWED_MARK, Column, Report, Table, Value, cell_text, is_number


def width(text: str) -> int:
    """Display width of `text` (a wide character counts 2; an unprintable one 0)."""
    w = wcswidth(text)
    return w if w >= 0 else sum(max(0, wcswidth(ch)) for ch in text)


def _pad(text: str, w: int, right: bool) -> str:
    gap = " " * (w - width(text))
    return gap + text if right else text + gap


Text = tuple[str, bool]
"""A cell's text and whether it is right-aligned."""


def grid(heads: list[str], body: list[list[Text]], footer: list[list[Text]] = ()) -> list[str]:
    """Lines of a bordered table; every line has one display width."""
    widths = [max([width(h)] + [width(r[i][0]) for r in (*body, *footer)]) for i, h in enumerate(heads)]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def line(cells: list[Text]) -> str:
        return "| " + " | ".join(_pad(text, w, right) for (text, right), w in zip(cells, widths)) + " |"

    out = [rule, line([(h, False) for h in heads]), rule]
    out += [line(r) for r in body]
    if footer:
        out.append(rule)
        out += [line(r) for r in footer]
    out.append(rule)
    return out


def clip(text: str, max_width: int | None) -> str:
    """`text` cut to `max_width` display columns, ending in '...' (ASCII: '…' is ambiguous-width)."""
    if max_width is None or width(text) <= max_width:
        return text
    out, w = [], 0
    for ch in text:
        cw = max(0, wcswidth(ch))
        if w + cw > max_width - 3:
            break
        out.append(ch)
        w += cw
    return "".join(out) + "..."


def _texts(rows: list[list[Value]], columns: list[Column]) -> list[list[Text]]:
    """Cell texts; numbers (and the disallowed marker) right-aligned, text left-aligned."""
    return [[(clip(cell_text(v, c, DISALLOWED_ASCII), c.max_width), is_number(v, c)) for v, c in zip(row, columns)]
            for row in rows]


def table_lines(table: Table) -> list[str]:
    """The lines of one table (without its title and notes)."""
    return grid([c.header for c in table.columns], _texts(table.rows, table.columns),
                _texts(table.footer, table.columns))


def _underline(text: str, ch: str) -> str:
    return ch * max(4, width(text))


def render_table(report: Report) -> str:
    """The whole report as plain text: title, header lines, then each section's paragraphs and tables."""
    out = [report.title, _underline(report.title, "="), *report.header]
    for sec in report.sections:
        out += ["", sec.title, _underline(sec.title, "-")]
        out += sec.paragraphs
        for t in sec.tables:
            out += ["", t.title, *table_lines(t)]
            # the marker's legend ('× = ...') names the ASCII marker of these tables; other notes keep '×'
            out += [n.replace(f"{DISALLOWED_MARK} =", f"{DISALLOWED_ASCII} =") for n in t.notes]
    return "\n".join(out) + "\n"


def simple_table(head: list[str], rows: list[list[object]]) -> str:
    """A small bordered text table of plain cells (used by `landopt solvers`)."""
    return "\n".join(grid([str(h) for h in head], [[(str(c), False) for c in r] for r in rows]))
