"""Plain-text tables (`--format table`, the default) with CJK-aware column widths.

Widths are display widths (`wcwidth.wcswidth`: a Chinese character counts 2), so
every line of a table has the same width in a terminal. Tables are drawn with
ASCII only ('+', '-', '|'); the disallowed-cell marker is ASCII 'x' here,
because '×' is East-Asian ambiguous and misaligns in some terminals.

Names come from the scenario file, so a report can carry whatever its author typed. Every
renderer first passes the report through `visible_report`: control characters (C0 such as
ESC and BEL, DEL, C1 such as the 8-bit CSI \\x9b) and bidirectional overrides (U+202A-U+202E,
U+2066-U+2069), and line and paragraph separators are shown as escapes (``\\x1b``,
``\\u202e``), so no terminal escape sequence (an OSC title change, a cursor move) reaches
a terminal through a report and no text is reordered on screen.
"""

from __future__ import annotations

import re
from dataclasses import replace

from wcwidth import wcswidth

from landopt.report.model import (
    DISALLOWED_ASCII, DISALLOWED_MARK, Chart, Column, Report, Series, Table, Value, cell_text, is_number,
)

_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters a report never shows as they are: control characters, line and paragraph separators,
bidirectional embeddings, overrides and isolates."""


def _escape_char(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """`text` with every control character, line or paragraph separator and bidi control shown as an
    escape: ESC as ``\\x1b``, U+202E as ``\\u202e`` (the text is otherwise unchanged)."""
    return _UNSEEN.sub(_escape_char, text)


def _value(v: Value) -> Value:
    return visible(v) if isinstance(v, str) else v


def _table(t: Table) -> Table:
    return replace(t, key=visible(t.key), title=visible(t.title),
                   columns=[replace(c, key=visible(c.key), header=visible(c.header)) for c in t.columns],
                   rows=[[_value(v) for v in r] for r in t.rows], footer=[[_value(v) for v in r] for r in t.footer],
                   notes=[visible(n) for n in t.notes])


def _chart(ch: Chart) -> Chart:
    return replace(ch, key=visible(ch.key), title=visible(ch.title), categories=[visible(c) for c in ch.categories],
                   series=[Series(visible(s.name), s.values) for s in ch.series], unit=visible(ch.unit),
                   target_label=visible(ch.target_label))


def visible_report(report: Report) -> Report:
    """A copy of `report` with every text passed through `visible` (titles, headers, paragraphs, table
    cells, notes, chart labels); numbers are untouched. Every renderer starts with this."""
    return replace(report, title=visible(report.title), header=[visible(h) for h in report.header],
                   sections=[replace(s, key=visible(s.key), title=visible(s.title),
                                     paragraphs=[visible(p) for p in s.paragraphs],
                                     tables=[_table(t) for t in s.tables], charts=[_chart(c) for c in s.charts],
                                     figures=[replace(f, title=visible(f.title)) for f in s.figures])
                             for s in report.sections])


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
    report = visible_report(report)
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
    return "\n".join(grid([visible(str(h)) for h in head], [[(visible(str(c)), False) for c in r] for r in rows]))
