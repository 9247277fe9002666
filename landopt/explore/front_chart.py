"""The Pareto front as a chart, PNG and SVG, byte for byte the same every run: matplotlib's Agg canvas (no
window, no pyplot state), no dates or versions in the files' metadata, a fixed `svg.hashsalt` for the SVG's
ids. matplotlib is optional (the `explore` extra): `draw_front` raises `ChartUnavailable` without it."""

from __future__ import annotations

import io
from collections.abc import Sequence

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


def _cjk_font() -> str | None:
    from matplotlib import font_manager  # lazy: matplotlib is optional

    have = {f.name for f in font_manager.fontManager.ttflist}
    return next((f for f in CJK_FONTS if f in have), None)


def draw_front(values: Sequence[Sequence[float]], labels: Sequence[str], fallback: Sequence[str],
               title: str) -> tuple[bytes, bytes]:
    """(PNG, SVG) of the front: objective 2 across, objective 1 up, points joined in order (a third objective
    is each point's colour). `labels` may hold Chinese; `fallback` (ASCII) is used when no font here draws it."""
    try:
        from matplotlib import rc_context  # lazy: matplotlib is optional (the `explore` extra)
        from matplotlib.backends.backend_agg import FigureCanvasAgg  # lazy: as above
        from matplotlib.figure import Figure  # lazy: as above
    except ImportError:
        raise ChartUnavailable() from None
    text = list(labels) + [title]
    ascii_only = all(t.isascii() for t in text)
    font = None if ascii_only else _cjk_font()
    if not ascii_only and font is None:
        labels, title = fallback, "Pareto front"
    rc = {"svg.hashsalt": "landopt", "svg.fonttype": "path", "path.simplify": False}
    if font is not None:
        rc["font.family"] = [font, "DejaVu Sans"]
    with rc_context(rc):
        fig = Figure(figsize=(6.4, 4.4), dpi=100)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        xs = [v[1] for v in values]
        ys = [v[0] for v in values]
        ax.plot(xs, ys, color="#1f4e79", linewidth=1.2, zorder=1)
        if len(labels) > 2:
            dots = ax.scatter(xs, ys, c=[v[2] for v in values], cmap="viridis", s=28, zorder=2)
            fig.colorbar(dots, ax=ax, label=labels[2])
        else:
            ax.scatter(xs, ys, color="#1f4e79", s=28, zorder=2)
        ax.set_xlabel(labels[1])
        ax.set_ylabel(labels[0])
        ax.set_title(title)
        ax.grid(True, color="#dddddd", linewidth=0.6)
        fig.tight_layout()
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png", metadata={"Software": None})
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()
