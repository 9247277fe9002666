"""Charts, PNG and SVG, byte for byte the same every run: matplotlib's Agg canvas (no window, no pyplot
state), no dates or versions in the files' metadata, a fixed `svg.hashsalt` for the SVG's ids, text drawn as
paths. The helpers (`matplotlib_parts`, `chart_font`, `rc`, `save`) serve the Pareto front (`draw_front`)
and the sweep's charts (`landopt.explore.sweep_charts`). matplotlib is optional (the `explore` extra): they
raise `ChartUnavailable` without it."""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from landopt.errors import LandoptError

CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "SimHei", "Microsoft YaHei", "PingFang SC")
"""Fonts that draw Chinese labels, in the order tried; without one, labels are the metrics' ids."""


class ChartUnavailable(LandoptError):
    """matplotlib is not installed."""

    def __init__(self) -> None:
        super().__init__("charts need matplotlib: pip install 'landopt[explore]'")

    def render(self, lang: str = "en") -> str:
        if lang == "zh":
            return "绘图需要 matplotlib: 请安装 pip install 'landopt[explore]'"
        return str(self)


@contextmanager
def _quiet() -> Iterator[None]:
    """Third-party deprecation warnings silenced while matplotlib is imported and draws: matplotlib 3.9 (the lowest
    release built for NumPy 2) builds its font-pattern grammar with pyparsing names that pyparsing 3.3 deprecates,
    and a user running with ``-W error`` must still get a chart, not a traceback."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        yield


def cjk_font() -> str | None:
    """The first of `CJK_FONTS` matplotlib knows here, or None (then Chinese would be drawn as empty boxes)."""
    with _quiet():
        from matplotlib import font_manager  # lazy: matplotlib is optional

        have = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in have), None)


def matplotlib_parts() -> tuple[Any, Any, Any]:
    """matplotlib's `rc_context` (which also silences third-party deprecation warnings while a chart is drawn:
    `_quiet`), the Agg canvas and `Figure` (no pyplot: no window, no global state); `ChartUnavailable` when
    matplotlib is not installed."""
    try:
        with _quiet():
            from matplotlib import rc_context  # lazy: matplotlib is optional (the `explore` extra)
            from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: as above
            from matplotlib.figure import Figure  # lazy: as above
    except ImportError:
        raise ChartUnavailable() from None

    @contextmanager
    def quiet_rc(settings: dict[str, Any]) -> Iterator[None]:
        with _quiet(), rc_context(settings):
            yield

    return quiet_rc, FigureCanvasAgg, Figure


def chart_font(texts: Sequence[str]) -> tuple[str | None, bool]:
    """(the font to draw `texts` with, whether they can be drawn): texts all in ASCII need no CJK font (None,
    True); others need one (its name, True) and without one (None, False) the caller draws its English
    labels instead."""
    if all(t.isascii() for t in texts):
        return None, True
    font = cjk_font()
    return font, font is not None


def rc(font: str | None) -> dict[str, Any]:
    """The settings that make a chart's bytes the same every run (text as paths, a fixed SVG id salt), and
    `font` first when one is needed."""
    out: dict[str, Any] = {"svg.hashsalt": "landopt", "svg.fonttype": "path", "path.simplify": False}
    if font is not None:
        out["font.family"] = [font, "DejaVu Sans"]
    return out


def save(fig: Any) -> tuple[bytes, bytes]:
    """(PNG, SVG) of `fig`, without dates or versions in their metadata; call inside `rc_context(rc(...))`."""
    png, svg = io.BytesIO(), io.BytesIO()
    fig.savefig(png, format="png", metadata={"Software": None})
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


def draw_front(values: Sequence[Sequence[float]], labels: Sequence[str], fallback: Sequence[str],
               title: str, lines: bool = True) -> tuple[bytes, bytes]:
    """(PNG, SVG) of the front: objective 2 across, objective 1 up, points joined in order when `lines` (a
    MILP's front is points only: no plan lies between two of them), a third objective as each point's colour.
    `labels` may hold Chinese; `fallback` (ASCII) is used when no font here draws it."""
    rc_context, FigureCanvasAgg, Figure = matplotlib_parts()
    font, drawable = chart_font([*labels, title])
    if not drawable:
        labels, title = fallback, "Pareto front"
    with rc_context(rc(font)):
        fig = Figure(figsize=(6.4, 4.4), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        xs = [v[1] for v in values]
        ys = [v[0] for v in values]
        if lines:
            ax.plot(xs, ys, color="#1f4e79", linewidth=1.2, zorder=1, gid="front-line")
        if len(labels) > 2:
            dots = ax.scatter(xs, ys, c=[v[2] for v in values], cmap="viridis", s=28, zorder=2)
            fig.colorbar(dots, ax=ax, label=labels[2])
        else:
            ax.scatter(xs, ys, color="#1f4e79", s=28, zorder=2)
        ax.set_xlabel(wrapped(labels[1], 2 * AXIS_LABEL_WIDTH))
        ax.set_ylabel(wrapped(labels[0], AXIS_LABEL_WIDTH))
        plain_numbers(ax.xaxis)
        plain_numbers(ax.yaxis)
        ax.set_title(title)
        ax.grid(True, color="#dddddd", linewidth=0.6)
        fig.tight_layout()
        return save(fig)


AXIS_LABEL_WIDTH = 34
"""An axis label longer than this (display width: a Chinese character counts two) is wrapped."""


def wrapped(text: str, width: int) -> str:
    """`text` in lines of at most `width` (display width), broken at spaces, or anywhere in Chinese."""
    import textwrap  # lazy: only the charts wrap labels
    import unicodedata  # lazy: as above

    def cols(ch: str) -> int:
        return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1

    if sum(map(cols, text)) <= width:
        return text
    if text.isascii():
        return textwrap.fill(text, width)
    lines, line, used = [], "", 0
    for ch in text:
        if used + cols(ch) > width:
            lines.append(line.rstrip())
            line, used = ("" if ch == " " else ch), (0 if ch == " " else cols(ch))
        else:
            line, used = line + ch, used + cols(ch)
    return "\n".join([*lines, line])


def plain_numbers(axis: Any) -> None:
    """Tick labels as the report writes numbers (4,340,000; 0.25), never an offset or a '1e6' above the axis."""
    from matplotlib.ticker import FuncFormatter  # lazy: matplotlib is optional (the explore extra)

    def label(v: float, _pos: int) -> str:
        return f"{v:,.0f}" if abs(v) >= 100 or float(v).is_integer() else f"{v:,.6g}"

    axis.set_major_formatter(FuncFormatter(label))
