"""Reports a resource bureau can file, and side-by-side comparisons for planners.

The layers:

- `landopt.report.facts`: the numbers of one result by area, sector and year (numpy, computed once);
- `landopt.report.sections` (one solve) and `landopt.report.compare` (several plans) turn results
  into the format-neutral `landopt.report.model.Report`: sections of paragraphs, tables of raw
  numbers with a number format per column, and charts;
- one renderer per format reads that model: `text` (table), `markdown`, `csvfmt` (csv), `xlsx`,
  `html` (with `svg` charts). The `json` format is the engine's own `Result.to_json()`.

Usage::

    from landopt.report import render, solve_report
    data = render(solve_report(result, lang="zh"), "xlsx")   # bytes for csv/xlsx, str otherwise
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from landopt.report.model import Report
    from landopt.engine.readback import Result

FORMATS = ("table", "markdown", "csv", "json", "xlsx", "html")
"""Every `--format`; `json` is rendered by the engine, not from a `Report`."""
BINARY_FORMATS = ("xlsx",)
EXTENSIONS = {".txt": "table", ".md": "markdown", ".markdown": "markdown", ".csv": "csv", ".json": "json",
              ".xlsx": "xlsx", ".html": "html", ".htm": "html"}
"""The format an output file's extension (lower-cased) names; the command line takes `--format` from it."""
SUFFIX = {"table": ".txt", "markdown": ".md", "csv": ".csv", "json": ".json", "xlsx": ".xlsx", "html": ".html"}
"""The usual extension of each format."""


def render(report: "Report", fmt: str) -> str | bytes:
    """Render `report` as `fmt` (any of `FORMATS` but json): text, or bytes for csv and xlsx."""
    if fmt == "table":
        from landopt.report.text import render_table  # lazy: each renderer on its own (--help and json load none)

        return render_table(report)
    if fmt == "markdown":
        from landopt.report.markdown import render_markdown  # lazy: each renderer on its own (--help and json load none)

        return render_markdown(report)
    if fmt == "csv":
        from landopt.report.csvfmt import render_csv  # lazy: each renderer on its own (--help and json load none)

        return render_csv(report)
    if fmt == "xlsx":
        from landopt.report.xlsx import render_xlsx  # lazy: each renderer on its own (--help and json load none)

        return render_xlsx(report)
    if fmt == "html":
        from landopt.report.html import render_html  # lazy: each renderer on its own (--help and json load none)

        return render_html(report)
    raise ValueError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")


def solve_report(result: "Result", lang: str = "en", detail: bool = False) -> "Report":
    """The report of one result (see `landopt.report.sections`)."""
    from landopt.report.sections import solve_report as build  # lazy: the report imports numpy; --help must not

    return build(result, lang=lang, detail=detail)


def compare_report(cases: list[tuple[str, "Result"]], lang: str = "en", detail: bool = False) -> "Report":
    """The side-by-side report of several (label, result) pairs (see `landopt.report.compare`)."""
    from landopt.report.compare import compare_report as build  # lazy: the report imports numpy; --help must not

    return build(cases, lang=lang, detail=detail)
