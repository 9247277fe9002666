"""The html report's charts: per-mu new land against the rules' targets, an axis that shows the difference,
sized for A4, by year in a plan of several years, and the same bytes for the same input."""

from __future__ import annotations

import copy
import re
from html import escape

import pytest
from report_helpers import MULTIYEAR, solved

from landopt.report import solve_report
from landopt.report.html import PORTRAIT_PX
from landopt.report.model import Chart, Series
from landopt.report.svg import LABEL_MAX, PAGE_W, PLOT_H, axis_ticks, render_svg
from landopt.report.text import clip, width
from support import SCENARIOS

JIAXING = SCENARIOS / "jiaxing_major_platform.yaml"
HANGZHOU = SCENARIOS / "hangzhou_17_platforms.yaml"
PUJIANG_NEW = SCENARIOS / "pujiang_2021_2025_new_land.yaml"


def _per_mu(values: list[float], targets: list[float | None], lang: str = "zh") -> tuple[Chart, str]:
    cats = [f"区域{i}" for i in range(len(values))]
    chart = Chart("per_mu_output", "grouped", "亩均工业总产值 (万元/亩)", cats, [Series("新增用地", values)],
                  unit="万元/亩", targets=targets, target_label="目标")
    return chart, render_svg(chart, lang)


def _rects(svg: str) -> list[tuple[float, float, float]]:
    """(x, y, height) of every bar."""
    bars = re.findall(r'<rect class="bar" x="([\d.]+)" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"', svg)
    return [(float(x), float(y), float(h)) for x, y, h in bars]


def _targets(svg: str) -> list[tuple[float, float, float]]:
    """(x1, x2, y) of every target line."""
    return [(float(a), float(b), float(y)) for a, y, b, _ in
            re.findall(r'<line class="target" x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)"', svg)]


# ------------------------------------------------------------- per mu against the target
def test_per_mu_chart_shows_new_land_against_the_rule_target():
    rep = solve_report(solved(JIAXING), "zh")
    table = rep.table("per_mu_output")
    chart = next(c for s in rep.sections for c in s.charts if c.key == "per_mu_output")
    assert [s.name for s in chart.series] == ["新增用地", "配置后"]
    # areas given land, then the blend the 500 万元/亩 rule measures over main platform and sub-areas
    given = [r[1] for r in table.rows if r[3] is not None]
    assert chart.categories[:len(given)] == given and len(chart.categories) == len(given) + 1
    blend = table.footer[1]
    assert chart.categories[-1] in blend[1] and chart.targets[-1] == blend[5] == 500
    assert chart.series[0].values[-1] == blend[3] and chart.series[1].values[-1] == blend[4]
    assert all(t is None for t in chart.targets[:-1])  # no area has a target of its own
    # an area that exits or gets no land is left out of the chart (it stays in the table)
    assert all(r[1] not in chart.categories for r in table.rows if r[3] is None)
    svg = render_svg(chart, "zh")
    assert len(_targets(svg)) == 1 and "目标" in svg


def test_a_target_shared_by_every_group_is_one_line_across_the_plot_with_its_value():
    _, svg = _per_mu([620.0, 380.0, 910.0], [500.0, 500.0, 500.0])
    (x1, x2, _), = _targets(svg)
    bars = _rects(svg)
    assert x1 < min(x for x, _, _ in bars) and x2 > max(x for x, _, _ in bars)
    assert ">目标 500</text>" in svg
    _, svg = _per_mu([620.0, 380.0, 910.0], [500.0, 300.0, None])
    lines = _targets(svg)
    assert len(lines) == 2 and lines[0][2] != lines[1][2] and ">目标 500</text>" not in svg


def test_a_bar_meeting_its_target_reaches_the_target_line():
    _, svg = _per_mu([500.0, 520.0], [500.0, 500.0])
    (_, _, ty), = _targets(svg)
    (_, y0, _), (_, y1, _) = _rects(svg)
    assert y0 == ty and y1 < ty


# ------------------------------------------------------------------------------- the axis
def test_axis_starts_above_zero_when_zero_would_hide_the_difference_and_says_so():
    ticks = axis_ticks([478.0, 512.0, 536.0, 500.0], truncate=True)
    assert 0 < ticks[0] < 478 and ticks[-1] >= 536
    chart, svg = _per_mu([478.0, 512.0, 536.0], [500.0, 500.0, 500.0])
    assert 'class="axis-break"' in svg and f"纵轴自 {ticks[0]:,.0f} 起 (未从 0 开始)" in svg
    assert f"axis starts at {ticks[0]:,.0f}, not 0" in render_svg(chart, "en")
    # the 22 万元/亩 between 478 and the target: a tenth of the plot's height or more (on a 0-600 axis: 8 px)
    (_, ty), = {(round(a), y) for a, _, y in _targets(svg)}
    (_, y478, _) = _rects(svg)[0]
    assert y478 - ty >= PLOT_H / 10
    # a bar's height is its value above the axis' foot
    (_, _, h478), (_, _, h536) = _rects(svg)[0], _rects(svg)[2]
    assert h536 / h478 == pytest.approx((536 - ticks[0]) / (478 - ticks[0]), abs=0.01)


@pytest.mark.parametrize(("values", "targets"), [
    ([130.0, 536.0], [500.0, 500.0]),  # spread out: from zero the difference shows
    ([478.0, 512.0], [None, None]),     # no target to compare with: lengths stay proportional to values
])
def test_axis_starts_at_zero_otherwise(values, targets):
    _, svg = _per_mu(values, targets)
    assert 'class="axis-break"' not in svg and "纵轴自" not in svg
    assert '>0</text>' in svg


def test_stacked_charts_start_at_zero():
    assert axis_ticks([480.0, 500.0], truncate=False)[0] == 0


# ---------------------------------------------------------------------------- A4 width
@pytest.mark.parametrize("path", [HANGZHOU, JIAXING, PUJIANG_NEW], ids=["hangzhou", "jiaxing", "pujiang"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_charts_fit_the_a4_text_width(path, lang):
    charts = [c for s in solve_report(solved(path), lang).sections for c in s.charts if c.has_data]
    assert charts
    for chart in charts:
        svg = render_svg(chart, lang)
        w = float(re.match(r'<svg [^>]*width="([\d.]+)"', svg).group(1))
        assert w <= PAGE_W < PORTRAIT_PX, (chart.key, w)
        xs = [float(x) for x in re.findall(r' x2?="([\d.]+)"', svg)]
        assert max(xs) <= w, chart.key  # nothing drawn beyond the right edge
        texts = set(re.findall(r"<text [^>]*>(?:<title>[^<]*</title>)?([^<]*)</text>", svg))
        for cat in chart.categories:  # every group labelled, within LABEL_MAX display columns
            shown = escape(clip(cat, LABEL_MAX), quote=True)
            assert shown in texts and width(clip(cat, LABEL_MAX)) <= LABEL_MAX, (chart.key, cat)


def test_a_long_area_name_is_cut_on_the_chart_and_whole_in_its_tooltip():
    name = "县域其他区域 (中余制锁、虞宅水晶、分散绗缝)"
    chart = Chart("c", "grouped", "t", [name, "黄宅片区"], [Series("新增用地", [1.0, 2.0])])
    svg = render_svg(chart)
    assert f"<title>{name}</title>" in svg and "</title>县域其他区域 (中余制...</text>" in svg


def test_seventeen_areas_fit_a_page():
    rep = solve_report(solved(HANGZHOU), "zh")
    chart = next(c for s in rep.sections for c in s.charts if c.key == "land_by_area")
    assert len(chart.categories) == 17
    svg = render_svg(chart)
    assert float(re.match(r'<svg [^>]*width="([\d.]+)"', svg).group(1)) <= PAGE_W
    assert 'rotate(-60' in svg  # narrow groups: steeper labels


# ------------------------------------------------------------------------- by year
def test_a_plan_of_several_years_is_charted_by_year():
    res = solved(MULTIYEAR)
    rep = solve_report(res, "zh")
    years = [str(y) for y in res.spec.years]
    charts = {c.key: c for s in rep.sections for c in s.charts}
    land = charts["land_by_area"]
    assert [s.name for s in land.series] == years and len(years) >= 3 and land.ordered == len(years)
    # each area's bars by year add up to its new land in the area x sector table
    matrix = rep.table("matrix")
    total = matrix.column("total")
    for i, row in enumerate(matrix.rows):
        assert sum(s.values[i] for s in land.series) == pytest.approx(row[total])
    per_mu = [c for k, c in charts.items() if k.startswith("per_mu_")]
    assert per_mu
    for chart in per_mu:
        assert [s.name for s in chart.series[:len(years)]] == [f"新增用地 {y}" for y in years]
        assert chart.ordered == len(years)
    path = charts["path"]
    assert path.categories == years
    # the years in shades of one blue, light to dark; a following series (after) in another colour
    svg = render_svg(per_mu[0])
    fills = list(dict.fromkeys(re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="12" height="12" fill="(#[0-9A-F]{6})"',
                                          svg)))
    shades = fills[:len(years)]
    assert len(set(shades)) == len(years)
    lightness = [sum(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in shades]
    assert lightness == sorted(lightness, reverse=True)


def test_a_plan_of_one_year_keeps_land_by_sector():
    rep = solve_report(solved(JIAXING), "zh")
    land = next(c for s in rep.sections for c in s.charts if c.key == "land_by_area")
    assert land.ordered == 0 and all(not s.name.isdigit() for s in land.series)


# --------------------------------------------------------------------------- bytes
def test_same_chart_same_bytes_and_fixed_precision():
    chart, svg = _per_mu([0.1 + 0.2, 478.123456789, 1e-9], [500.0, 500.0, 500.0])
    assert render_svg(copy.deepcopy(chart), "zh") == svg
    numbers = re.findall(r'(?:x|y|x1|x2|y1|y2|width|height)="(-?[\d.]+)"', svg)
    assert numbers and all(len(n.partition(".")[2]) <= 2 for n in numbers)
    rep = solve_report(solved(PUJIANG_NEW), "en")
    again = solve_report(solved(PUJIANG_NEW), "en")
    assert [render_svg(c, "en") for s in rep.sections for c in s.charts] == \
        [render_svg(c, "en") for s in again.sections for c in s.charts]
