"""Comparing a result with a scenario's `expect` block.

Checks are measured with the independent checker's plain-Python `Recompute`
(never the LP matrix). In a multi-year scenario a check measures the final
year's level unless its `where` names years (then each named year is checked)
or `flow: true` is set.
"""

from __future__ import annotations

from dataclasses import dataclass

from landopt.verify.independent import Recompute, allocation_dict, exits_of, placements_of, renewal_of
from landopt.i18n.text import Bi
from landopt.model.spec import Check, Spec

DEFAULT_REL_TOL = 1e-6
DEFAULT_DIAG_REL_TOL = 1e-3
FIRST_ORDER_REL_TOL = 1e-4
"""First-order backends (PDLP) answer to about 1e-6 relative in the objective but only to about
1e-5..1e-4 in individual allocations at a degenerate optimum: no expectation is checked tighter."""


@dataclass
class Mismatch:
    """One way a result differs from `expect`: what, what was expected, what came out (each text or `Bi`)."""

    what: str | Bi
    expected: str | Bi
    got: str | Bi

    def line(self, lang: str = "en") -> str:
        """The diff lines `landopt check` prints, in `lang`."""
        what, expected, got = (v.pick(lang) if isinstance(v, Bi) else str(v)
                               for v in (self.what, self.expected, self.got))
        if lang == "zh":
            return f"  {what}\n    应为: {expected}\n    实际: {got}"
        return f"  {what}\n    expected: {expected}\n    got:      {got}"


_NONE = Bi("none", "无")


def _entries(entries) -> Bi:
    """Diagnosis entries as text ('per-mu-tax @ east: min 32 → 30 万元/亩; ...') in both languages."""
    return Bi("; ".join(g.text("en") for g in entries), "; ".join(g.text("zh") for g in entries))


def _where(c: Check) -> Bi:
    d = c.where.describe()
    return Bi(d, "全部" if d == "all" else d)


def _close(got: float, want: float, rel: float | None, ab: float | None, floor: float = 0.0) -> bool:
    rel = DEFAULT_REL_TOL if rel is None and ab is None else (rel or 0.0)
    ab = ab or 0.0
    scale = max(abs(want), abs(got))
    return abs(got - want) <= max(ab, rel * scale, floor * max(1.0, scale), 1e-12)


def measure_check(spec: Spec, rc: Recompute, c: Check) -> list[tuple[object, float | None]]:
    """[(year, value)] of a check: metric (or metric/per) over its selection."""
    years = list(c.where.years) if c.where.years is not None else [spec.years[-1]]
    out = []
    for y in years:
        stock = c.include_existing and not c.flow
        num = rc.metric(c.metric, [c.where], y, c.flow, stock)
        if c.per is None:
            out.append((y, num))
        else:
            den = rc.metric(c.per, [c.where], y, c.flow, stock)
            out.append((y, num / den if den else None))
    return out


def compare(result, spec: Spec | None = None) -> list[Mismatch]:
    """Every way the result differs from the scenario's expectations."""
    spec = spec or result.spec
    e = spec.expect
    if e is None:
        return []
    floor = FIRST_ORDER_REL_TOL if getattr(result.info, "approximate", False) else 0.0
    out: list[Mismatch] = []
    if e.status is not None and result.status != e.status:
        msg = _entries(result.diagnosis) if result.diagnosis else Bi(result.message or "", result.message or "")
        got = Bi.status(result.status)
        out.append(Mismatch(Bi("status", "求解状态"), Bi.status(e.status),
                            Bi(*(f"{g} ({m})" if m else g for g, m in zip(got, msg)))))
        return out
    if e.objective is not None:
        got = result.objective
        if got is None or not _close(got, e.objective, e.rel_tol, e.abs_tol, floor):
            tol = f"rel_tol {e.rel_tol}" if e.rel_tol is not None else (
                f"abs_tol {e.abs_tol}" if e.abs_tol is not None else f"rel_tol {DEFAULT_REL_TOL}")
            out.append(Mismatch(Bi("objective", "目标函数值"), f"{e.objective:.10g} ({tol})",
                                _NONE if got is None else f"{got:.10g}"))
    if result.x is not None and (e.placed is not None or e.not_placed is not None):
        placed = {d["project"] for d in result.project_records() if d["placed"]}
        for pid in e.placed or []:
            if pid not in placed:
                out.append(Mismatch(Bi(f"project {pid}", f"项目 {pid}"), Bi("placed", "落地"),
                                    Bi("not placed", "未落地")))
        for pid in e.not_placed or []:
            if pid in placed:
                out.append(Mismatch(Bi(f"project {pid}", f"项目 {pid}"), Bi("not placed", "未落地"),
                                    Bi("placed", "落地")))
    if result.x is not None and (e.exits is not None or e.stays is not None):
        gone = set(result.model.exited(result.x))
        for a in e.exits or []:
            if a not in gone:
                out.append(Mismatch(Bi(f"area {a}", f"片区 {a}"), Bi("exits", "退出"), Bi("stays", "保留")))
        for a in e.stays or []:
            if a in gone:
                out.append(Mismatch(Bi(f"area {a}", f"片区 {a}"), Bi("stays", "保留"), Bi("exits", "退出")))
    if result.x is not None and e.checks:
        rc = Recompute(spec, allocation_dict(result), placements_of(result)[0], exits_of(result)[0],
                       renewal_of(result))
        for c in e.checks:
            unit = spec.unit_of(c.metric) if c.per is None else ""
            for y, v in measure_check(spec, rc, c):
                measured = f"{c.metric}" + (f"/{c.per}" if c.per else "")
                where = _where(c)
                label = Bi(f"check {c.name_en or c.name}: {measured} where {where.en}"
                           + (f" in {y}" if y is not None else ""),
                           f"核查 {c.name}: {measured} 范围 {where.zh}" + (f" {y} 年" if y is not None else ""))
                if v is None:
                    out.append(Mismatch(label, Bi("a value", "一个数值"), Bi("undefined (division by zero)",
                                                                          "无定义 (除数为零)")))
                    continue
                if c.value is not None:
                    tol_abs = c.abs_tol if c.abs_tol is not None else (None if c.rel_tol is not None else 1e-6)
                    if not _close(v, c.value, c.rel_tol, tol_abs, floor):
                        out.append(Mismatch(label, f"{c.value:.10g} {unit}".rstrip(), f"{v:.10g} {unit}".rstrip()))
                slack = max(c.abs_tol if c.abs_tol is not None else 1e-6 * max(1.0, abs(v)),
                            floor * max(1.0, abs(v)))
                if c.lo is not None and v < c.lo - slack:
                    out.append(Mismatch(label, f">= {c.lo:.10g} {unit}".rstrip(), f"{v:.10g} {unit}".rstrip()))
                if c.hi is not None and v > c.hi + slack:
                    out.append(Mismatch(label, f"<= {c.hi:.10g} {unit}".rstrip(), f"{v:.10g} {unit}".rstrip()))
    if e.diagnosis is not None:
        got = result.diagnosis or []
        for d in e.diagnosis:
            match = [g for g in got if g.target == d.target and g.id == d.id
                     and (d.group is None or g.group == d.group) and (d.year is None or g.year == d.year)
                     and (d.bound is None or g.bound == d.bound)]
            tail = (f" {d.group}" if d.group else "") + (f" {d.year}" if d.year is not None else "")
            target_zh = {"rule": "规则", "budget": "预算"}.get(d.target, d.target)
            label = Bi(f"diagnosis {d.target} {d.id}{tail}", f"诊断 {target_zh} {d.id}{tail}")
            if not match:
                shown = _entries(got) if got else Bi("empty", "空")
                out.append(Mismatch(label, Bi("an entry", "一条诊断"),
                                    Bi(f"none; diagnosis is: {shown.en}", f"无; 实际诊断为: {shown.zh}")))
                continue
            if d.relaxed is not None:
                rel = d.rel_tol if d.rel_tol is not None else DEFAULT_DIAG_REL_TOL
                if not any(_close(g.relaxed, d.relaxed, rel, None) for g in match):
                    out.append(Mismatch(label, Bi(f"relaxed to {d.relaxed:.6g} (rel_tol {rel})",
                                                  f"放宽至 {d.relaxed:.6g} (rel_tol {rel})"),
                                        _entries(match)))
        extra = [g for g in got if not any(g.target == d.target and g.id == d.id for d in e.diagnosis)]
        if extra:
            out.append(Mismatch(Bi("diagnosis", "诊断"), Bi("only the entries listed in expect.diagnosis",
                                                            "只有 expect.diagnosis 所列的条目"),
                                Bi(f"also {_entries(extra).en}", f"另有 {_entries(extra).zh}")))
    if e.binding is not None and result.status == "optimal":
        for bid in e.binding:
            rows = [r for r in result.rows if r.id == bid and r.kind in ("rule", "budget")]
            label = Bi(f"binding {bid}", f"取紧 {bid}")
            if not rows:  # resolve rejects unknown ids; a rule whose rows were all dropped lands here
                out.append(Mismatch(label, Bi("a rule or resource with that id", "具有该 id 的规则或资源"), _NONE))
            elif not any(r.binding for r in rows):
                out.append(Mismatch(label, Bi("binding", "取紧"), Bi("not binding", "未取紧")))
    return out
