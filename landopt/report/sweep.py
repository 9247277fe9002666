"""The html report of a sweep (`landopt sweep ... --out DIR` writes DIR/report.html): what was varied, how
the objective and the binding limits moved, every point that is not optimal with its reason, and the charts.

It is built from the points' summaries (plain dicts, as `landopt.explore.sweep` writes them to
``points/ID.json``), never from models, so it can be written again from a finished folder; the charts
arrive as SVG text drawn by `landopt.explore.sweep_charts`. The report model is the solve report's
(`landopt.report.model`), so the html renderer, its print layout and its fonts are the same.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from landopt.i18n.text import Bi
from landopt.report.model import Column, Figure, Num, Report, Section, Table, Value, format_number

WORDS = {
    "title": Bi("Sweep of {name}", "参数扫描: {name}"),
    "file": Bi("Scenario file: {file}", "情景文件: {file}"),
    "options": Bi("Applied to every point: {options}", "各点均采用: {options}"),
    "overview": Bi("Overview", "概况"),
    "points_line": Bi("{total} points: {ok} optimal, {bad} not optimal.",
                      "共 {total} 个点: {ok} 个得到最优解, {bad} 个未得最优解。"),
    "missing": Bi("{n} points of the sweep have not run yet (run again with --resume).",
                  "尚有 {n} 个点未计算 (加 --resume 重新运行即可续算)。"),
    "varied": Bi("{path} takes {n} values: {values}.", "{path} 取 {n} 个值: {values}。"),
    "range": Bi("The objective ({objective}) runs from {lo} ({lo_at}) to {hi} ({hi_at}).",
                "目标值 ({objective}) 介于 {lo} ({lo_at}) 与 {hi} ({hi_at}) 之间。"),
    "same": Bi("The objective ({objective}) is {value} at every optimal point.",
               "各最优点的目标值 ({objective}) 均为 {value}。"),
    "top": Bi("The limit whose shadow price is largest: {rows}.", "影子价格最大的限额: {rows}。"),
    "top_row": Bi("{name} at {n} points", "{name} ({n} 个点)"),
    "points": Bi("Points", "各点结果"),
    "points_title": Bi("The points in the order of the grid", "各点 (按参数网格顺序)"),
    "point": Bi("point", "点编号"),
    "status": Bi("status", "求解状态"),
    "price_row": Bi("limit with the largest shadow price", "影子价格最大的限额"),
    "price": Bi("its shadow price (objective per unit of the limit)", "其影子价格 (限额每增加一个单位的目标值增量)"),
    "decisions": Bi("yes/no decisions changed from the point before", "与上一点相比改变的是/否决策"),
    "seconds": Bi("time (s)", "用时 (秒)"),
    "failed": Bi("Points not optimal", "未得最优解的点"),
    "failed_title": Bi("Why each of these points has no optimal plan", "各点未得最优解的原因"),
    "reason": Bi("reason", "原因"),
    "none_failed": Bi("Every point has an optimal plan.", "各点均得到最优解。"),
    "charts": Bi("Charts", "图"),
    "allocation_note": Bi("Each point's allocation is in points/ID.parquet; the numbers in full are in manifest.csv.",
                          "各点的配置结果见 points/点编号.parquet; 完整数字见 manifest.csv。"),
    "year": Bi(" {year}", " {year}年"),
}

OBJECTIVE = Num(2)
PRICE = Num(2, significant=True)
SECONDS = Num(2)
_LABEL = re.compile(r"^(?P<id>[^\[]*?)(?P<group>(?:\[[^\]]*\])*)(?:\.(?P<year>\d{4}))?$")


@dataclass
class SweepFacts:
    """What the report shows, in the terms of the scenario.

    `points` are (id, [(path, value), ...]) in grid order, `done` the summaries by id (the finished points),
    `row_names` the readable name of each row id a summary names (a resource, a rule), `objective` the
    objective's name with its unit, `figures` (key, title, SVG text) the charts drawn, `changes` a MILP point's
    yes/no decisions changed from the point before (by id, as the manifest has them)."""

    name: Bi
    file: str
    options: Sequence[str]
    paths: Sequence[str]
    points: Sequence[tuple[str, Sequence[Sequence[str]]]]
    done: Mapping[str, Mapping[str, Any]]
    objective: Bi
    row_names: Mapping[str, Bi] = field(default_factory=dict)
    figures: Sequence[tuple[str, Bi, str]] = ()
    changes: Mapping[str, str] = field(default_factory=dict)


def row_name(label: str, names: Mapping[str, Bi], lang: str) -> str:
    """A summary's row label (``energy.2022``, ``pj4[a01].2025``) in the reader's words (the row's name, its
    group, its year)."""
    m = _LABEL.match(label)
    if m is None:
        return label
    name = names.get(m["id"])
    text = (name.pick(lang) if name is not None else m["id"]) + (m["group"] or "")
    return text + (WORDS["year"].pick(lang, year=m["year"]) if m["year"] else "")


def _at(values: Sequence[Sequence[str]]) -> str:
    return ", ".join(f"{p}={v}" for p, v in values)


def sweep_report(facts: SweepFacts, lang: str) -> Report:
    """The report model of a sweep (see the module docstring)."""
    w = {k: v.pick(lang) for k, v in WORDS.items() if "{" not in v.en}
    rows = [(pid, values, facts.done[pid]) for pid, values in facts.points if pid in facts.done]
    ok = [(pid, values, s) for pid, values, s in rows if s.get("status") == "optimal"]
    objective = facts.objective.pick(lang)
    header = [WORDS["file"].pick(lang, file=facts.file)]
    if facts.options:
        header.append(WORDS["options"].pick(lang, options=" ".join(facts.options)))

    # overview
    para = [WORDS["points_line"].pick(lang, total=len(rows), ok=len(ok), bad=len(rows) - len(ok))]
    if len(rows) < len(facts.points):
        para.append(WORDS["missing"].pick(lang, n=len(facts.points) - len(rows)))
    for path in facts.paths:
        seen = list(dict.fromkeys(dict(map(tuple, values)).get(path, "") for _, values in facts.points))
        para.append(WORDS["varied"].pick(lang, path=path, n=len(seen), values=", ".join(seen)))
    valued = [(pid, values, s) for pid, values, s in ok if s.get("objective") is not None]
    if valued:
        lo = min(valued, key=lambda r: r[2]["objective"])
        hi = max(valued, key=lambda r: r[2]["objective"])
        def fmt(v: float) -> str:
            return format_number(v, OBJECTIVE)
        if fmt(lo[2]["objective"]) == fmt(hi[2]["objective"]):
            para.append(WORDS["same"].pick(lang, objective=objective, value=fmt(lo[2]["objective"])))
        else:
            para.append(WORDS["range"].pick(lang, objective=objective, lo=fmt(lo[2]["objective"]), lo_at=_at(lo[1]),
                                            hi=fmt(hi[2]["objective"]), hi_at=_at(hi[1])))
    tops = Counter(s["prices"][0][0] for _, _, s in ok if s.get("prices"))
    if tops:
        listed = [WORDS["top_row"].pick(lang, name=row_name(k, facts.row_names, lang), n=n)
                  for k, n in sorted(tops.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]
        para.append(WORDS["top"].pick(lang, rows="; ".join(listed)))
    para.append(w["allocation_note"])
    sections = [Section("overview", w["overview"], paragraphs=para)]

    # every point
    mip = any(s.get("decisions") is not None for _, _, s in rows)
    cols = [Column("point", w["point"]), *(Column(f"path{i}", p) for i, p in enumerate(facts.paths)),
            Column("status", w["status"]), Column("objective", objective, OBJECTIVE),
            Column("price_row", w["price_row"]), Column("price", w["price"], PRICE)]
    if mip:
        cols.append(Column("decisions", w["decisions"], max_width=40))
    cols.append(Column("seconds", w["seconds"], SECONDS))
    body: list[list[Value]] = []
    for pid, values, s in rows:
        got = dict(map(tuple, values))
        prices = s.get("prices") or []
        line: list[Value] = [pid, *(got.get(p, "") for p in facts.paths), Bi.status(s["status"]).pick(lang),
                             s.get("objective") if s.get("status") == "optimal" else None,
                             row_name(prices[0][0], facts.row_names, lang) if prices else "",
                             prices[0][1] if prices else None]
        if mip:
            line.append(facts.changes.get(pid, ""))
        line.append(s.get("seconds"))
        body.append(line)
    sections.append(Section("points", w["points"], tables=[Table("points", w["points_title"], cols, body)]))

    # the points that are not optimal
    bad = [(pid, values, s) for pid, values, s in rows if s.get("status") != "optimal"]
    failed = Section("failed", w["failed"])
    if bad:
        fcols = [Column("point", w["point"]), *(Column(f"path{i}", p) for i, p in enumerate(facts.paths)),
                 Column("status", w["status"]), Column("reason", w["reason"], max_width=60)]
        fbody: list[list[Value]] = []
        for pid, values, s in bad:
            got = dict(map(tuple, values))
            reason = s.get("reason") or {}
            text = reason.get(lang, reason.get("en", "")) if isinstance(reason, dict) else str(reason)
            fbody.append([pid, *(got.get(p, "") for p in facts.paths), Bi.status(s["status"]).pick(lang), text])
        failed.tables.append(Table("failed", w["failed_title"], fcols, fbody))
    else:
        failed.paragraphs.append(w["none_failed"])
    sections.append(failed)

    if facts.figures:
        sections.append(Section("charts", w["charts"],
                                figures=[Figure(key, title.pick(lang), svg) for key, title, svg in facts.figures]))
    return Report(WORDS["title"].pick(lang, name=facts.name.pick(lang)), lang, header, sections)

