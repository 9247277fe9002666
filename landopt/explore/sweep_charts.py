"""The charts of a sweep (`landopt sweep ... --out DIR`), PNG and SVG, the same bytes every run (the helpers of
`landopt.explore.front_chart`): drawn from the points' summaries once the sweep ends, only its optimal points.

* ``objective.png/.svg``: the objective against each varied path, one panel per path. In a grid, the points
  that share the other paths' values are one line (a line per value of the other path when two paths vary);
  with ``--zip`` one line per panel; with ``--samples`` the points alone.
* ``prices.png/.svg``: the shadow prices the manifest carries (each point's `TOP_PRICES` largest) against each
  varied path: the `PRICE_ROWS` rows most often among them, each in its colour; a point where a row is not
  among the largest leaves a gap (its price there is not known), not a zero.
* ``tornado.png/.svg`` (``--samples`` only): for each varied path, a bar from the mean objective of the points
  at its low values to the mean at its high values (`tornado_ranges`), the widest bar on top. The low and high
  values: with at most three distinct values drawn (a short list), the points at the lowest and at the highest;
  otherwise the third of the points with the lowest values and the third with the highest (a number with a
  unit counts by its number; a value that is not a number counts by its place in the ``--vary`` list).

Chinese labels need a font that draws them (`front_chart.CJK_FONTS`); without one the labels are English and
`Charts.english` says so, never boxes in place of characters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from landopt.explore.front_chart import AXIS_LABEL_WIDTH, chart_font, matplotlib_parts, plain_numbers, rc, save, wrapped
from landopt.explore.sweep import Point, Sweep, Vary
from landopt.i18n.text import Bi
from landopt.input.vary import value_number

PRICE_ROWS = 5
"""At most this many rows in the prices chart."""
LEGEND_LINES = 8
"""A panel names its lines in a legend when there are at most this many (and more than one)."""
COLOURS = ("#1f4e79", "#c0504d", "#4f8f3a", "#8064a2", "#f79646", "#4bacc6", "#7f7f7f", "#9b7a3a")
STYLES = ("-", "--", ":", "-.")
"""Line styles of the groups in the prices chart (the colour is the row's)."""

WORDS = {
    "objective": Bi("objective", "目标值"),
    "objective_title": Bi("Objective against each varied value", "目标值随参数取值的变化"),
    "prices_title": Bi("Shadow prices against each varied value", "影子价格随参数取值的变化"),
    "price": Bi("shadow price (objective per unit of the row)", "影子价格 (限额每增加一个单位的目标值增量)"),
    "tornado_title": Bi("Objective from the low to the high values of each path ({n} samples)",
                        "各参数由低值到高值时的目标值区间 (随机抽样 {n} 个点)"),
    "tornado_axis": Bi("objective (mean over the points at the low and at the high values)",
                       "目标值 (低值点与高值点各自的平均)"),
    "mean": Bi("mean of all samples", "全部样本平均"),
    "rises": Bi("higher values raise the objective", "取值越高目标值越大"),
    "falls": Bi("higher values lower the objective", "取值越高目标值越小"),
    "english": Bi("no font here draws Chinese (Noto Sans CJK SC, for one): the charts' labels are in English",
                  "本机没有可显示中文的字体 (如 Noto Sans CJK SC): 图中标注改用英文"),
}


@dataclass(frozen=True)
class Range:
    """One bar of the tornado: a varied path, the mean objective at its low and at its high values."""

    path: str
    low: float
    high: float
    n_low: int
    n_high: int

    @property
    def width(self) -> float:
        return abs(self.high - self.low)


@dataclass
class Charts:
    """The charts drawn: file name -> bytes; `english` when Chinese labels were asked and no font draws them."""

    files: dict[str, bytes] = field(default_factory=dict)
    english: bool = False
    titles: dict[str, Bi] = field(default_factory=dict)
    """Each chart's title by its name (`objective`, `prices`, `tornado`), for the report's captions."""


def _keys(vary: Vary, values: Sequence[str]) -> list[float]:
    """Where each of `values` (of `vary`'s path) lies on an axis: its number when every value is one, else its
    place among the values (as listed in the --vary option, then as met)."""
    numbers = [value_number(v) for v in values]
    if all(n is not None for n in numbers):
        return [float(n) for n in numbers if n is not None]
    order = list(dict.fromkeys([*vary.values, *values]))
    return [float(order.index(v)) for v in values]


def _optimal(sweep: Sweep, done: dict[str, dict[str, Any]]) -> list[tuple[Point, float, dict[str, Any]]]:
    """The optimal points in grid order, with their objective and summary."""
    out = []
    for p in sweep.points:
        s = done.get(p.id)
        if s is not None and s.get("status") == "optimal" and s.get("objective") is not None:
            out.append((p, float(s["objective"]), s))
    return out


def tornado_ranges(sweep: Sweep, done: dict[str, dict[str, Any]]) -> list[Range]:
    """Each varied path's bar of the tornado (see the module docstring), widest first (then by path)."""
    rows = _optimal(sweep, done)
    out = []
    for k, v in enumerate(sweep.varies):
        if not rows:
            continue
        keys = _keys(v, [p.values[k][1] for p, _, _ in rows])
        order = sorted(range(len(rows)), key=lambda i: (keys[i], i))
        distinct = sorted(set(keys))
        if len(distinct) <= 3:
            low = [i for i in order if keys[i] == distinct[0]]
            high = [i for i in order if keys[i] == distinct[-1]]
        else:
            third = max(1, len(order) // 3)
            low, high = order[:third], order[-third:]
        mean_low = math.fsum(rows[i][1] for i in low) / len(low)
        mean_high = math.fsum(rows[i][1] for i in high) / len(high)
        out.append(Range(v.path, mean_low, mean_high, len(low), len(high)))
    out.sort(key=lambda r: (-r.width, r.path))
    return out


def _groups(sweep: Sweep, rows: list[tuple[Point, float, dict[str, Any]]], k: int) -> list[tuple[str, list[int]]]:
    """The lines of panel `k` (path k across): the rows that share the other paths' values, each group named by
    them; one group with --zip, one group per point with --samples."""
    if sweep.samples is not None:
        return [("", [i]) for i in range(len(rows))]
    if sweep.zip or len(sweep.varies) == 1:
        return [("", list(range(len(rows))))]
    groups: dict[str, list[int]] = {}
    for i, (p, _, _) in enumerate(rows):
        name = ", ".join(f"{path}={value}" for j, (path, value) in enumerate(p.values) if j != k)
        groups.setdefault(name, []).append(i)
    return list(groups.items())


def _panels(fig: Any, n: int) -> list[Any]:
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    return [fig.add_subplot(rows, cols, i + 1) for i in range(n)]


def _axis(ax: Any, vary: Vary, values: list[str]) -> list[float]:
    """The x positions of `values` on panel `ax`; a path whose values are not numbers gets them as tick labels."""
    xs = _keys(vary, values)
    if any(value_number(v) is None for v in values):
        ticks = sorted(set(xs))
        names = dict(zip(xs, values, strict=True))
        ax.set_xticks(ticks, [names[t] for t in ticks])
    ax.set_xlabel(vary.path)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    return xs


def _series(ax: Any, xs: list[float], ys: list[float], groups: list[tuple[str, list[int]]], colour: str | None,
            samples: bool, label: str | None = None) -> None:
    """One series on `ax`: lines through each group (sorted across), or points alone for samples."""
    if samples:
        ax.scatter(xs, ys, s=14, color=colour or COLOURS[0], label=label, zorder=2)
        return
    named = 1 < len(groups) <= LEGEND_LINES and colour is None
    for g, (name, idx) in enumerate(groups):
        idx = sorted(idx, key=lambda i: (xs[i], i))
        ax.plot([xs[i] for i in idx], [ys[i] for i in idx], marker="o", markersize=3.5, linewidth=1.2,
                color=colour or COLOURS[g % len(COLOURS)], linestyle=STYLES[g % len(STYLES)] if colour else "-",
                label=name if named else (label if g == 0 else None), zorder=2)


def _objective(fig: Any, sweep: Sweep, rows: list[tuple[Point, float, dict[str, Any]]], lang: str,
               objective: str) -> None:
    ys = [obj for _, obj, _ in rows]
    for k, ax in enumerate(_panels(fig, len(sweep.varies))):
        xs = _axis(ax, sweep.varies[k], [p.values[k][1] for p, _, _ in rows])
        groups = _groups(sweep, rows, k)
        _series(ax, xs, ys, groups, None, sweep.samples is not None)
        ax.set_ylabel(wrapped(objective, AXIS_LABEL_WIDTH))
        plain_numbers(ax.yaxis)
        if 1 < len(groups) <= LEGEND_LINES and sweep.samples is None:
            ax.legend(fontsize=7)
    fig.suptitle(WORDS["objective_title"].pick(lang))


def price_rows(rows: list[tuple[Point, float, dict[str, Any]]]) -> list[str]:
    """The rows of the prices chart: those most often among the points' largest prices, then the largest in
    size, then by name; at most `PRICE_ROWS`."""
    count: dict[str, int] = {}
    size: dict[str, float] = {}
    for _, _, s in rows:
        for name, value in s.get("prices") or []:
            count[name] = count.get(name, 0) + 1
            size[name] = max(size.get(name, 0.0), abs(float(value)))
    return sorted(count, key=lambda n: (-count[n], -size[n], n))[:PRICE_ROWS]


def _prices(fig: Any, sweep: Sweep, rows: list[tuple[Point, float, dict[str, Any]]], lang: str) -> None:
    names = price_rows(rows)
    for k, ax in enumerate(_panels(fig, len(sweep.varies))):
        xs = _axis(ax, sweep.varies[k], [p.values[k][1] for p, _, _ in rows])
        groups = _groups(sweep, rows, k)
        for c, name in enumerate(names):
            ys = [float(dict(s.get("prices") or []).get(name, math.nan)) for _, _, s in rows]
            _series(ax, xs, ys, groups, COLOURS[c % len(COLOURS)], sweep.samples is not None, name)
        ax.set_ylabel(wrapped(WORDS["price"].pick(lang), AXIS_LABEL_WIDTH))
        plain_numbers(ax.yaxis)
        if names:
            ax.legend(fontsize=7)
    fig.suptitle(WORDS["prices_title"].pick(lang))


def _tornado(fig: Any, ranges: list[Range], mean: float, n: int, lang: str) -> None:
    ax = fig.add_subplot()
    for y, r in enumerate(ranges):
        rises = r.high >= r.low
        bars = ax.barh(y, r.width, left=min(r.low, r.high), height=0.6, color=COLOURS[0 if rises else 1],
                      label=WORDS["rises" if rises else "falls"].pick(lang))
        bars.patches[0].set_gid(f"tornado:{r.path}")
    ax.set_yticks(range(len(ranges)), [r.path for r in ranges])
    ax.invert_yaxis()  # the widest on top
    ax.axvline(mean, color="#7f7f7f", linewidth=1.0, linestyle="--", label=WORDS["mean"].pick(lang))
    handles, labels = ax.get_legend_handles_labels()
    seen = dict(zip(labels, handles, strict=True))  # one entry per kind of bar
    ax.legend(list(seen.values()), list(seen), fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.22),
              ncol=3, frameon=False)
    ax.set_xlabel(wrapped(WORDS["tornado_axis"].pick(lang), 2 * AXIS_LABEL_WIDTH))
    plain_numbers(ax.xaxis)
    ax.grid(True, axis="x", color="#dddddd", linewidth=0.6)
    ax.set_title(WORDS["tornado_title"].pick(lang, n=n))


def draw_sweep(sweep: Sweep, done: dict[str, dict[str, Any]], lang: str = "en", objective: Bi | None = None,
               objective_ascii: str | None = None) -> Charts:
    """The charts of `sweep` from its points' summaries `done` (module docstring). `objective` names the
    objective's axis ('税收 (万元)'), `objective_ascii` is that name in ASCII for when no font draws Chinese.
    Raises `front_chart.ChartUnavailable` without matplotlib."""
    rc_context, FigureCanvasAgg, Figure = matplotlib_parts()
    rows = _optimal(sweep, done)
    label = (objective or WORDS["objective"]).pick(lang)
    names = price_rows(rows)
    texts = [label, *(w.pick(lang) for w in WORDS.values()), *names, *sweep.paths,
             *(value for p, _, _ in rows for _, value in p.values)]
    font, drawable = chart_font(texts)
    out = Charts()
    if not drawable:
        lang, label, out.english = "en", objective_ascii or WORDS["objective"].en, True
    n = len(sweep.varies)
    cols, lines = min(n, 3), math.ceil(n / 3)
    with rc_context(rc(font)):
        drawings: list[tuple[str, Any, tuple[float, float]]] = [
            ("objective", lambda f: _objective(f, sweep, rows, lang, label), (4.6 * cols, 3.6 * lines + 0.6)),
            ("prices", lambda f: _prices(f, sweep, rows, lang), (4.6 * cols, 3.6 * lines + 0.6))]
        if sweep.samples is not None:
            ranges = tornado_ranges(sweep, done)
            mean = math.fsum(obj for _, obj, _ in rows) / len(rows) if rows else 0.0
            drawings.append(("tornado", lambda f: _tornado(f, ranges, mean, len(rows), lang),
                             (7.2, 1.8 + 0.5 * max(n, 2))))
        for name, draw, size in drawings:
            fig = Figure(figsize=size, dpi=100)
            FigureCanvasAgg(fig)
            draw(fig)
            fig.tight_layout()
            png, svg = save(fig)
            out.files[f"{name}.png"], out.files[f"{name}.svg"] = png, svg
    out.titles = {"objective": WORDS["objective_title"], "prices": WORDS["prices_title"]}
    if sweep.samples is not None:
        out.titles["tornado"] = Bi(*(t.format(n=len(rows)) for t in WORDS["tornado_title"]))
    return out
