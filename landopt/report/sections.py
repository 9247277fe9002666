"""The solve report as a format-neutral `Report` (see `landopt.report.model`).

Sections, in this order (DOMAIN.md §5 and issue 3):

1. for an infeasible scenario, the diagnosis first;
2. 摘要 / Summary: status, solver, objective, resources used against available,
   share to the main platform, binding and violated rules;
3. 分区域要素配置 / Allocation by area, with a 合计 row, budget and utilisation;
4. 分区分行业用地 / Area x sector land matrix, disallowed cells marked;
5. 效益测算 / Performance by area, before and after, per-mu against targets;
6. 政策约束核查 / Rule compliance, in each rule's own units;
7. 边际效益 / Shadow prices in plain words (exact one-sided changes at a
   degenerate optimum);
8. multi-year scenarios: the year-by-year path;
9. with ``detail``: every nonzero allocation.

Every number is computed here (through `Facts`) and stored raw; renderers only format.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from landopt.report.common import (
    ENERGY_PER_MONEY, INT, INTENSITY, PCT, PRICE, RowUnits, Shown, area_name, display_name, group_text, land_unit,
    metric_label, metric_name, metric_num, metric_unit, num_for_unit, objective_label, resource_name, role_label,
    row_label, row_status, sector_name, source_notes, status_label, years_text,
)
from landopt.report.facts import HIGH_TECH_TAG, Facts
from landopt.report.words import spaced, tr, unit_label, with_unit
from landopt.report.model import (
    DISALLOWED, DISALLOWED_MARK, Cell, Chart, Column, Num, Report, Section, Series, Table, Value, format_number,
    rounded,
)
from landopt.model.rules import KINDS
from landopt.model.spec import Selector
from landopt.model.units import Dim, parse_unit

if TYPE_CHECKING:  # pragma: no cover
    from landopt.engine.readback import Result, RowOut, Sensitivity

MAX_SENTENCES = 20
"""Plain-word shadow-price sentences beyond this many are left to the table."""
PLANNED_AREA = Num(2)
"""Planned areas in km2, to 0.01 as plans give them (17.24 km2)."""


def solve_report(result: "Result", lang: str = "en", detail: bool = False, exact: Sensitivity | None = None) -> Report:
    """The report of one solved (or diagnosed) scenario.

    Args:
        result: A `landopt.engine.readback.Result`.
        lang: 'zh' or 'en'.
        detail: Add the list of every nonzero allocation.
        exact: One-sided changes to word instead of the engine's (`result.sensitivity`, measured when
            the optimum is degenerate or the backend gives no duals). The report never solves.
    """
    return _SolveReport(result, lang, exact if exact is not None else result.sensitivity).build(detail)


class _SolveReport:
    """Builds the sections of one result."""

    def __init__(self, result: "Result", lang: str, exact: Sensitivity | None) -> None:
        self.r = result
        self.spec = result.spec
        self.lang = lang
        self.f = Facts(result)
        self.exact = exact
        self.notes = source_notes(self.spec, lang)
        self.lu = land_unit(self.spec, lang)
        self.land_num = metric_num(self.spec, "land")
        self.obj_name, self.obj_unit = objective_label(self.spec, lang)
        self.units = RowUnits(self.spec, lang)

    def t(self, key: str, **kw: object) -> str:
        """Shorthand for `tr` in this report's language."""
        return tr(key, self.lang, **kw)

    def listing(self, items) -> str:
        """`items` as a list in the report's language: 甲、乙 (zh), A, B (en)."""
        return ("、" if self.lang == "zh" else ", ").join(items)

    def table(self, key: str, title: str, columns: list[Column], rows: list[list[Value]],
              footer: list[list[Value]] | None = None, notes: list[str] | None = None) -> Table:
        """A table (the source line is in the report's header, once)."""
        return Table(key, title, columns, rows, footer or [], notes or [])

    # ------------------------------------------------------------------ whole
    def build(self, detail: bool) -> Report:
        """Every section that applies to this result, in order."""
        r, spec = self.r, self.spec
        header = [h for h in (spec.region and self.t("hdr_region", region=spec.region),
                              spec.prepared_by and self.t("hdr_prepared_by", by=spec.prepared_by),
                              spec.prepared_on and self.t("hdr_prepared_on", on=spec.prepared_on), spec.description,
                              spec.multi_year and self.t("hdr_years", years=years_text(spec))) if h]
        header += self.notes  # source and data year, once per report
        sections: list[Section] = []
        if r.diagnosis is not None:
            sections.append(self.diagnosis())
        sections.append(self.summary())
        if self.f.has_allocation:
            sections += [self.allocation(), self.matrix(), self.performance()]
        if spec.projects and self.f.has_allocation:
            sections.append(self.projects())
        if self.f.moves_stock and self.f.has_allocation:
            sections.append(self.stock())
        if r.rows:
            sections.append(self.compliance(detail))
        if r.status == "optimal":
            sections.append(self.shadow())
        if self.f.has_allocation and spec.multi_year:
            sections.append(self.path())
        if detail and self.f.has_allocation:
            sections.append(self.detail())
        return Report(self.t("report_title", name=display_name(spec, self.lang)), self.lang, header, sections)

    # -------------------------------------------------------------- diagnosis
    def diagnosis(self) -> Section:
        """The smallest relaxation, in each limit's own units."""
        spec = self.spec
        cols = [Column("no", self.t("col_no"), INT), Column("target", self.t("col_target_kind")),
                Column("id", self.t("col_id")), Column("name", self.t("col_name")),
                Column("group", self.t("col_group"))]
        if spec.multi_year:
            cols.append(Column("year", self.t("col_year")))
        cols += [Column("side", self.t("col_side")), Column("value", self.t("col_bound"), INTENSITY),
                 Column("relaxed", self.t("col_relaxed"), INTENSITY), Column("change", self.t("col_change"), INTENSITY),
                 Column("change_pct", self.t("col_change_pct"), PCT), Column("unit", self.t("col_unit"))]
        rows: list[list[Value]] = []
        for i, d in enumerate(self.r.diagnosis or [], 1):
            shown = self.units.entry(d)
            num = shown.num
            kind = "lk_rule" if d.target == "rule" else f"lk_{d.target}"
            row: list[Value] = [i, self.t(kind), d.id, display_name(d, self.lang),
                                group_text(spec, d.group, self.lang)]
            if spec.multi_year:
                row.append(d.year)
            value, relaxed = shown(d.value), shown(d.relaxed)
            change = relaxed - value  # type: ignore[operator]
            row += [self.t(f"side_{d.bound}"), Cell(value, num), Cell(relaxed, num), Cell(change, num),
                    change / abs(value) if value else None, shown.unit]
            rows.append(row)
        paras = [self.t("note_infeasible")]
        if self.r.message:
            paras.append(self.t("solver_said", message=self.r.message))
        if self.f.has_allocation:
            paras.append(self.t("note_relaxed_alloc"))
        else:
            paras.append(self.t("note_no_allocation"))
        return Section("diagnosis", self.t("sec_diagnosis"), paras,
                       [self.table("diagnosis", self.t("tbl_diagnosis"), cols, rows)])

    # ---------------------------------------------------------------- summary
    def summary(self) -> Section:
        """Status, objective, totals and the rules that bind or are violated."""
        tables = [self.overview()]
        if self.f.has_allocation and self.spec.resources:
            tables.append(self.resources_table())
        paras = []
        if self.r.diagnosis is None:
            explain = self.r.explain.pick(self.lang) if self.r.explain is not None else ""
            if explain:
                paras.append(explain)
            if self.r.message and (self.r.explain is None or self.r.message != self.r.explain.en):
                paras.append(self.t("solver_said", message=self.r.message))
        span = self.equally_good() if self.f.has_allocation and self.r.diagnosis is None else None
        if span is not None:
            fixed = self.t("alt_fixed") if self.r.mip is not None else ""
            paras.append(self.t("alt_share" if span[2] else "alt_land", lo=span[0], hi=span[1], unit=self.lu,
                                fixed=fixed, group=self.preferred()))
        # the warnings the CLI prints on stderr belong in the report a bureau files too
        paras += [w.format(self.lang) for w in self.r.warnings]
        return Section("summary", self.t("sec_summary"), paras, tables)

    def limiting(self) -> list[str]:
        """The budgets and rules that limit the plan, by name, the most valuable first: binding rows whose value
        (what one more unit gains: the exact one-sided change where the engine measured it, else the shadow
        price, which a degenerate optimum does not make unique and so is not used) is not zero, ordered by
        |value x bound| (what the whole limit is worth, in the objective's units), each named once. A rule at
        its bound with no value does not limit the plan. Without any value (no duals), every binding budget and
        rule, in the report's order."""
        exact = self.exact.changes if self.exact else {}
        rows = [x for x in self.r.rows if x.kind in ("budget", "rule") and x.binding and not x.soft]
        if not exact and all(x.shadow_price is None for x in rows):
            return list(dict.fromkeys(display_name(x, self.lang) for x in rows))
        values: list[tuple[RowOut, float]] = []
        for x in rows:
            one = exact.get(x.row)
            if one is not None:
                if one.loosen is not None:
                    values.append((x, one.loosen))
            elif x.shadow_price is not None and not self.r.degenerate:
                values.append((x, x.shadow_price))
        scale = max((abs(v) for _, v in values), default=0.0)
        worth: dict[str, float] = {}
        for x, v in values:
            if abs(v) > 1e-9 * scale and abs(v) > 1e-12:
                name = display_name(x, self.lang)
                worth[name] = max(worth.get(name, 0.0), abs(v * x.bound))
        return sorted(worth, key=lambda k: -worth[k])

    def overview(self) -> Table:
        """The one-page overview: item, value, unit."""
        r, spec, f = self.r, self.spec, self.f
        rows: list[list[Value]] = [
            [self.t("sum_scenario"), display_name(spec, self.lang) + (f" ({spec.region})" if spec.region else ""),
             ""],
        ]
        if spec.multi_year:
            rows.append([self.t("sum_years"), years_text(spec), ""])
        rows += [[self.t("sum_status"), status_label(r.status, self.lang), ""],
                 [self.t("sum_solver"), r.solver, ""]]
        stages = r.stages if r.objective is not None else []  # no objective to quote for a diagnosed plan
        penalty = self.penalty_total() if stages else None
        for k, (st, val) in enumerate(zip(spec.stages, stages)):
            sense = self.t("maximise" if st.sense == "max" else "minimise")
            name, unit = objective_label(spec, self.lang, k)
            item = self.t("sum_objective", sense=sense, obj=name) if k == 0 else \
                self.t("sum_stage", k=k + 1, sense=sense, obj=name)
            if k == 0 and penalty is not None:  # the first stage carries the soft-rule penalties
                item += self.t("sum_net_of_penalties")
            final = self.final_year_value(k)
            if final is not None and years_text(spec) not in item:
                item += self.t("sum_over_years", years=years_text(spec))
            rows.append([item, Cell(val["value"], num_for_unit(unit)), unit])
            if final is not None:
                rows.append([self.t("sum_final_year", year=spec.years[-1], obj=self.final_year_name(k)),
                             Cell(final, num_for_unit(unit)), unit])
            if k == 0 and penalty is not None:
                rows.append([self.t("sum_penalties"), Cell(penalty, num_for_unit(unit)), unit])
        if f.has_allocation:
            rows.append([self.t("sum_new_land"), Cell(f.total("land"), self.land_num), self.lu])
            if not f.main_areas.all():  # every area a main platform: its share says nothing
                rows.append([self.t("sum_main_share"), Cell(f.main_share("land"), PCT), ""])
            rows += self.tilt_shares()
            span = self.equally_good()
            if span is not None:
                rows.append([self.t("sum_equally_good" if span[2] else "sum_equally_good_land",
                                    group=self.preferred(short=True)),
                             span[0] + "–" + span[1], "" if span[2] else self.lu])
            year = self.t("in_year", year=spec.years[-1]) if spec.multi_year else ""
            for m in f.money_metrics():
                rows.append([self.t("sum_new_metric", name=metric_label(spec, m, self.lang)) + year,
                             Cell(f.total(m), metric_num(spec, m)), metric_unit(spec, m, self.lang)])
        rule_rows = [x for x in r.rows if x.kind == "rule"]
        lists = [("sum_binding", self.limiting()),
                 ("sum_violated", [display_name(x, self.lang) for x in rule_rows if row_status(x) == "violated"])]
        if r.diagnosis is not None:
            lists.append(("sum_relaxed", [display_name(d, self.lang) for d in r.diagnosis]))
        for key, ids in lists:
            text = self.listing(dict.fromkeys(ids)) or self.t("none")
            if key == "sum_binding":
                text += self.estimated_mark(ids)
            rows.append([self.t(key), text, ""])
        if r.checker:
            ok = r.checker.get("passed")
            rows.append([self.t("sum_checker"), self.t("passed", n=r.checker.get("checked", 0)) if ok
                         else self.t("failed"), ""])
        if r.mip is not None:
            if spec.projects and f.has_allocation:
                placed = sum(1 for d in r.project_records() if d["placed"])
                rows.append([self.t("sum_placed"), self.t("n_of", k=placed, n=len(spec.projects)), ""])
            rows.append([self.t("sum_mip_gap"), self.mip_gap_text(), ""])
        if r.status == "optimal":
            key = "sum_duals_fixed" if r.mip is not None else "sum_duals"
            rows.append([self.t(key), self.t("no" if r.degenerate else "yes"), ""])
        cols = [Column("no", self.t("col_no"), INT), Column("item", self.t("col_item")),
                Column("value", self.t("col_value"), Num(2)), Column("unit", self.t("col_unit"))]
        return self.table("overview", self.t("tbl_overview"), cols, [[i, *row] for i, row in enumerate(rows, 1)])

    def equally_good(self) -> tuple[str, str, bool] | None:
        """The range of the main platforms' share of new land over every plan as good as this one (measured by
        the engine on the optimal face: `stages.Alternatives`), as (low, high, True) in percent; as the land
        itself (low, high, False) when the plans differ in their total new land too; None when it was not
        measured or every equally good plan gives the main platforms the same land."""
        alt = getattr(self.r.info, "alternatives", None)
        if alt is None or self.r.status != "optimal":
            return None
        (lo, hi), (t_lo, t_hi) = alt.main_land, alt.land
        if hi - lo <= 1e-6 * max(1.0, abs(hi)):
            return None
        if t_hi - t_lo <= 1e-6 * max(1.0, abs(t_hi)) and t_hi > 0:
            return (format_number(100 * lo / t_hi, Num(1)) + "%", format_number(100 * hi / t_hi, Num(1)) + "%", True)
        return (format_number(lo, self.land_num), format_number(hi, self.land_num), False)

    def preferred(self, short: bool = False) -> str:
        """The areas the canonical plan prefers among equally good ones, in words: the main platform, or the
        group a land tilt rule favours when every area is a main platform (`Model.preferred`)."""
        rid = getattr(self.r.model, "policy_rule", None)
        rule = next((x for x in self.spec.rules if x.id == rid), None) if rid else None
        if rule is None:
            return self.t("group_main")
        return self.t("group_favoured") if short else self.t("group_of_rule", name=display_name(rule, self.lang))

    def tilt_shares(self) -> list[list[Value]]:
        """The share each tilt rule (a `share` of new use, not per group) achieves in the plan, under the rule's
        own name: the group it tilts to is the plan's (Hangzhou's six strategic platforms), not the main role."""
        out: list[list[Value]] = []
        seen: set[str] = set()
        for rule in self.spec.rules:
            if rule.kind != "share" or rule.each or rule.include_existing or rule.part is None or rule.id in seen:
                continue
            if rule.metric not in self.spec.resources or rule.what is not None:
                continue
            seen.add(rule.id)
            f = self.f
            main = f.main_areas[f.pair_area]
            if np.array_equal(f.pair_mask(rule.part), main) and f.pair_mask(rule.where).all() and not main.all():
                continue  # the tilt to the main platform: the main-share row and column say it
            whole = self.f.selection_new(rule.where, rule.metric)
            part = self.f.selection_new(rule.part, rule.metric)
            out.append([self.t("sum_tilt", name=display_name(rule, self.lang)),
                        Cell(part / whole if whole > 0 else None, PCT), ""])
        return out

    def final_year_value(self, k: int) -> float | None:
        """Stage `k`'s objective counted in the final year alone, when the stage sums every year's level of a
        multi-year plan ("目标 2,670,644" is five years of value added; the plan's 2025 figure sits beside it)."""
        model, x = self.r.model, self.r.x
        if x is None or model is None or len(model.final_c) <= k or model.final_c[k] is None:
            return None
        return float(model.final_c[k] @ model.cols.own(x))

    def final_year_name(self, k: int) -> str:
        """The name of what stage `k` counts: its metric's name when it weighs one metric by 1, else its name."""
        st = self.spec.stages[k]
        if len(st.weights) == 1 and next(iter(st.weights.values())) == 1.0:
            return metric_label(self.spec, next(iter(st.weights)), self.lang)
        return objective_label(self.spec, self.lang, k)[0]

    def mip_gap_text(self) -> str:
        """'proven optimal' or 'within 0.12% of the best bound (asked: 1%)' for a MILP's result."""
        mip = self.r.mip
        gap = mip.gap
        if mip.status == "optimal" and (gap is None or gap <= max(mip.gap_asked, 1e-9)) and mip.gap_asked <= 1e-9:
            return self.t("mip_proven")
        shown = "?" if gap is None else format_number(100 * gap, Num(4)) + "%"
        if mip.status == "optimal":
            return self.t("mip_within_asked", gap=shown, asked=format_number(100 * mip.gap_asked, Num(4)) + "%")
        return self.t("mip_stopped", gap=shown)

    def penalty_total(self) -> float | None:
        """The soft-rule penalties the first objective stage is net of (penalty x violation, in the
        objective's units; >= 0 is a cost); None when the scenario has no soft rule."""
        r = self.r
        if r.x is None or not any(rule.soft for rule in self.spec.rules):
            return None
        model = r.model
        gross = float(model.stage_c[0] @ model.cols.own(r.x))
        net = float(r.stages[0]["value"])
        return gross - net if self.spec.stages[0].sense == "max" else net - gross

    def resource_totals(self, rid: str) -> tuple[float, float | None]:
        """(used, available) of a resource over the plan (see `note_levels`)."""
        res = self.spec.resources[rid]
        bounds = [x.bound for x in self.r.rows if x.kind == "budget" and x.id == rid]
        if not bounds:
            return self.f.total(rid), None
        available = sum(bounds) if res.accounting == "flow" else bounds[-1]
        return self.f.total(rid), available

    def resources_table(self) -> Table:
        """Every resource: used, available, utilisation, remaining, share to the main platform."""
        spec, f = self.spec, self.f
        cols = [Column("no", self.t("col_no"), INT), Column("resource", self.t("col_resource")),
                Column("unit", self.t("col_unit"))]
        if spec.multi_year:
            cols.append(Column("accounting", self.t("col_accounting")))
        cols += [Column("used", self.t("col_used"), Num(2)), Column("available", self.t("col_available"), Num(2)),
                 Column("utilisation", self.t("col_utilisation"), PCT),
                 Column("remaining", self.t("col_remaining"), Num(2))]
        main_col = not f.main_areas.all()  # every area a main platform: the column would read 100% throughout
        if main_col:
            cols.append(Column("main_share", self.t("col_main_share"), PCT))
        rows: list[list[Value]] = []
        notes = [self.t("note_levels")] if spec.multi_year else []
        for i, (rid, res) in enumerate(spec.resources.items(), 1):
            used, avail = self.resource_totals(rid)
            num = metric_num(spec, rid)
            row: list[Value] = [i, display_name(res, self.lang), metric_unit(spec, rid, self.lang)]
            if spec.multi_year:
                row.append(self.t(res.accounting))
            row += [Cell(used, num), Cell(avail, num), used / avail if avail else None,
                    Cell(None if avail is None else avail - used, num)]
            if main_col:
                row.append(f.main_share(rid))
            rows.append(row)
            if res.offset != 1.0:
                notes.append(self.t("note_offset", name=display_name(res, self.lang), offset=res.offset))
        return self.table("resources", self.t("tbl_resources"), cols, rows, notes=notes)

    # ------------------------------------------------------------- allocation
    def allocation(self) -> Section:
        """Land, share, capacity, every other resource and quota cost by area; total, budget, utilisation."""
        spec, f = self.spec, self.f
        areas = f.area_ids
        land = f.by_area("land")
        total_land = float(land.sum())
        caps = [spec.areas[a].capacity for a in areas]
        has_cap = any(c is not None for c in caps)
        others = [rid for rid in spec.resources if rid != "land"]
        priced = [rid for rid, res in spec.resources.items() if res.price is not None]
        planned = self.planned_km2()
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("role", self.t("col_role"))]
        if planned is not None:
            cols.append(Column("planned_area", self.t("col_planned_area", unit=unit_label("km2", self.lang)),
                               PLANNED_AREA))
        cols += [Column("land", self.t("col_land", unit=self.lu), self.land_num),
                 Column("land_share", self.t("col_land_share"), PCT)]
        if has_cap:
            cols += [Column("capacity", self.t("col_capacity", unit=self.lu), self.land_num),
                     Column("capacity_use", self.t("col_capacity_use"), PCT)]
        use = {rid: f.by_area(rid) for rid in others}
        for rid in others:
            name = with_unit(resource_name(spec, rid, self.lang), metric_unit(spec, rid, self.lang))
            cols.append(Column(rid, name, metric_num(spec, rid)))
        money = unit_label(spec.units.names.get("money", ""), self.lang)
        costs = self.costs(priced)
        for basis in costs:
            unit = money if basis != "annual" else self.t("per_year_total", unit=money)
            cols.append(Column(f"cost_{basis}", self.t(f"col_cost_{basis}", unit=unit), num_for_unit(money)))
        rows: list[list[Value]] = []
        for i, a in enumerate(areas):
            row: list[Value] = [i + 1, area_name(spec, a, self.lang), role_label(spec.areas[a].role, self.lang)]
            if planned is not None:
                row.append(planned[i])
            row += [land[i], land[i] / total_land if total_land > 0 else None]
            if has_cap:
                row += [caps[i], land[i] / caps[i] if caps[i] else None]
            row += [use[rid][i] for rid in others]
            row += [c[i] for c in costs.values()]
            rows.append(row)
        footer = self.allocation_footer(land, caps, has_cap, others, use, list(costs.values()))
        if planned is not None:  # the total planned area; no budget or utilisation
            for line, v in zip(footer, (sum(p for p in planned if p is not None), None, None)):
                line.insert(3, v)
        platform = self.platform_row(cols, rows)
        if platform is not None:
            footer.insert(1, platform)
        notes = [self.t("note_cost")] if priced else []
        for rid in priced:  # each resource's price as given, in the scenario's money per the resource's unit
            res = spec.resources[rid]
            price_unit = unit_label(f"{spec.units.names.get('money', '')}/{spec.unit_of(rid)}", self.lang)
            if res.price_basis == "annual":
                price_unit = self.t("per_year_unit", unit=price_unit)
            notes.append(self.t("note_price", name=resource_name(spec, rid, self.lang), unit=price_unit,
                                price=f"{res.price:,.6g}", basis=self.t(f"basis_{res.price_basis or 'unstated'}")))
        notes += [self.t("note_offset", name=resource_name(spec, rid, self.lang), offset=spec.resources[rid].offset)
                  for rid in others if spec.resources[rid].offset != 1.0]
        if spec.multi_year:
            notes.append(self.t("note_levels"))
        table = self.table("allocation", self.t("tbl_allocation"), cols, rows, footer, notes)
        return Section("allocation", self.t("sec_allocation"), [], [table], self.allocation_charts())

    def platform_row(self, cols: list[Column], rows: list[list[Value]]) -> list[Value] | None:
        """平台合计 / Platform total: the sums over the platform's areas (main, sub-areas, linked areas: every
        role but `outside`, the plan's own 一区N片), when some area lies outside it, over the figures that are
        given (as the table's own total); shares recomputed on the platform's sums, capacity use only when
        every platform area has a capacity."""
        inside = [self.spec.areas[a].role != "outside" for a in self.f.area_ids]
        if all(inside) or not any(inside):
            return None
        keys = [c.key for c in cols]

        def column(key: str, among: list[bool] | None = None) -> list[Value]:
            j = keys.index(key)
            return [r[j] for r, m in zip(rows, among or [True] * len(rows), strict=True) if m]

        def total(vals: list[Value]) -> float | None:
            known = [float(v) for v in vals if v is not None]  # type: ignore[arg-type]
            return float(sum(known)) if known else None

        land_p = total(column("land", inside)) if "land" in keys else None
        out: list[Value] = ["", self.t("platform_total"), ""]
        for c in cols[3:]:
            if c.key == "land_share":
                land_all = total(column("land"))
                out.append(land_p / land_all if land_p is not None and land_all else None)
            elif c.key == "capacity_use":
                caps = column("capacity", inside)
                cap = total(caps)
                out.append(land_p / cap if None not in caps and cap and land_p is not None else None)
            elif c.num is None:
                out.append("")
            else:
                out.append(total(column(c.key, inside)))
        return out

    def costs(self, priced: list[str]) -> dict[str, np.ndarray]:
        """Quota cost by area (use x price), one column per way of paying: one-off (a land price), annual
        (emission rights, 元/吨·年) and, for prices whose file does not say, a third column: sums of one-off and
        annual money would mean nothing. In that order, only the bases some priced resource has."""
        out: dict[str, np.ndarray] = {}
        for basis in ("one_off", "annual", "unstated"):
            rids = [rid for rid in priced if (self.spec.resources[rid].price_basis or "unstated") == basis]
            if rids:
                out[basis] = sum(self.f.by_area(rid) * self.spec.resources[rid].price for rid in rids)
        return out

    def planned_km2(self) -> list[float | None] | None:
        """Each area's planned area after integration (`planned_area`) in km2, the unit plans give it in
        (Pujiang's 附件1: 17.24 km2); None when no area has one."""
        areas = [self.spec.areas[a].planned_area for a in self.f.area_ids]
        if all(p is None for p in areas):
            return None
        km2 = self.spec.units.scale(Dim("area")) / parse_unit("km2")[1]
        return [None if p is None else p * km2 for p in areas]

    def allocation_footer(self, land: np.ndarray, caps: list, has_cap: bool, others: list[str],
                          use: dict[str, np.ndarray], costs: list[np.ndarray]) -> list[list[Value]]:
        """合计 / Total, 预算 / Budget and 利用率 / Utilisation rows of the allocation table."""
        total_land = float(land.sum())
        total: list[Value] = ["", self.t("col_total"), "", total_land, 1.0 if total_land > 0 else None]
        budget: list[Value] = ["", self.t("budget_row"), ""]
        util: list[Value] = ["", self.t("utilisation_row"), ""]
        land_avail = self.resource_totals("land")[1] if "land" in self.spec.resources else None
        budget += [land_avail, None]
        util += [Cell(total_land / land_avail if land_avail else None, PCT), None]
        if has_cap:
            cap_sum = sum(c for c in caps if c is not None)
            all_capped = all(c is not None for c in caps)
            total += [cap_sum, total_land / cap_sum if all_capped and cap_sum else None]
            budget += [None, None]
            util += [None, None]
        for rid in others:
            used, avail = self.resource_totals(rid)
            total.append(float(use[rid].sum()))
            budget.append(avail)
            util.append(Cell(used / avail if avail else None, PCT))
        for cost in costs:
            total.append(float(cost.sum()))
            budget.append(None)
            util.append(None)
        return [total, budget, util]

    def allocation_charts(self) -> list[Chart]:
        """Land by area stacked by sector; resource utilisation."""
        spec, f = self.spec, self.f
        mat = f.land_matrix
        used_sectors = [j for j in range(len(f.sector_ids)) if mat[:, j].any()]
        if spec.multi_year:  # by year: the land each area is given in each year, one series per year
            land = f.by_area_year("land")
            stacked = Chart("land_by_area", "stacked", self.t("tbl_path"),
                            [area_name(spec, a, self.lang) for a in f.area_ids],
                            [Series(str(y), land[:, t].tolist()) for t, y in enumerate(f.years)],
                            unit=self.lu, ordered=len(f.years))
        else:
            stacked = Chart("land_by_area", "stacked", self.t("tbl_matrix", unit=self.lu),
                            [area_name(spec, a, self.lang) for a in f.area_ids],
                            [Series(sector_name(spec, f.sector_ids[j], self.lang), mat[:, j].tolist())
                             for j in used_sectors],
                            unit=self.lu)
        names, values = [], []
        for rid, res in spec.resources.items():
            used, avail = self.resource_totals(rid)
            names.append(display_name(res, self.lang))
            values.append(used / avail if avail else None)
        util = Chart("utilisation", "hbar", self.t("tbl_resources"), names,
                     [Series(self.t("col_utilisation"), values)], unit="%")
        return [stacked, util]

    # ----------------------------------------------------------------- matrix
    def matrix(self) -> Section:
        """Land by area and sector; a disallowed cell shows the marker, not 0."""
        spec, f = self.spec, self.f
        mat, allowed = f.land_matrix, f.allowed
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area"))]
        cols += [Column(s, sector_name(spec, s, self.lang), self.land_num) for s in f.sector_ids]
        cols.append(Column("total", self.t("col_total"), self.land_num))
        rows: list[list[Value]] = []
        for i, a in enumerate(f.area_ids):
            cells: list[Value] = [float(v) if ok else DISALLOWED for v, ok in zip(mat[i].tolist(), allowed[i].tolist())]
            rows.append([i + 1, area_name(spec, a, self.lang), *cells, float(mat[i].sum())])
        footer = [["", self.t("col_total"), *mat.sum(axis=0).tolist(), float(mat.sum())]]
        notes = [self.t("note_disallowed", mark=DISALLOWED_MARK)] if not allowed.all() else []
        table = self.table("matrix", self.t("tbl_matrix", unit=self.lu), cols, rows, footer, notes)
        return Section("matrix", self.t("sec_matrix"), [], [table])

    # ------------------------------------------------------------ performance
    def performance(self) -> Section:
        """Totals before and after, per-mu against targets, high-tech share and energy intensity."""
        tables = [self.perf_totals()]
        charts: list[Chart] = []
        for m in self.f.money_metrics():
            table, chart = self.per_mu(m)
            tables.append(table)
            charts.append(chart)
        structure = self.structure()
        if structure is not None:
            tables.append(structure)
        return Section("performance", self.t("sec_performance"), [], tables, charts)

    def perf_totals(self) -> Table:
        """Land and every money metric per area, before (stock) and after (stock + new)."""
        spec, f = self.spec, self.f
        metrics = ["land", *f.money_metrics()]
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("role", self.t("col_role"))]
        for m in metrics:
            num, unit = metric_num(spec, m), metric_unit(spec, m, self.lang)
            if m == "land":
                cols += [Column("land_before", self.t("col_land_before", unit=unit), num),
                         Column("land_after", self.t("col_land_after", unit=unit), num)]
            else:
                name = metric_name(spec, m, self.lang)
                cols += [Column(f"{m}_before", self.t("col_before", name=name, unit=unit), num),
                         Column(f"{m}_after", self.t("col_after", name=name, unit=unit), num)]
        new = {m: f.by_area(m) for m in metrics}
        rows: list[list[Value]] = []
        for i, a in enumerate(f.area_ids):
            row: list[Value] = [i + 1, area_name(spec, a, self.lang), role_label(spec.areas[a].role, self.lang)]
            for m in metrics:
                before = f.known_stock(a, m)
                kept = f.stock_after(a, m)  # after exits and renewal
                row += [before, None if kept is None else kept + float(new[m][i])]
            rows.append(row)
        # totals over the areas whose figures are given: a stock not provided is neither 0 nor in the total
        footer: list[Value] = ["", self.t("col_total"), ""]
        for j in range(3, len(cols)):
            column = [r[j] for r in rows if r[j] is not None]
            footer.append(float(sum(column)) if column else None)  # type: ignore[arg-type]
        footers = [footer]
        platform = self.platform_row(cols, rows)
        if platform is not None:
            footers.append(platform)
        notes = []
        missing = [area_name(spec, a, self.lang) for a in f.area_ids if not f.stock_given(a)]
        if missing:
            notes.append(self.t("note_stock_not_given", areas=self.listing(missing)))
        gaps = {a: [metric_name(spec, m, self.lang) for m in metrics if f.known_stock(a, m) is None]
                for a in f.area_ids if f.stock_given(a)}
        partial = [f"{area_name(spec, a, self.lang)} ({self.listing(names)})" for a, names in gaps.items() if names]
        if partial:
            notes.append(self.t("note_stock_partial", areas=self.listing(partial)))
        return self.table("perf_totals", self.t("tbl_perf_totals"), cols, rows, footers, notes)

    def per_mu(self, metric: str) -> tuple[Table, Chart]:
        """Per-mu `metric` by area: before, new land, after, target (from the rules), status.

        After the whole zone come the selections that per-mu rules measure as one blend (Jiaxing's
        500 万元/亩 over main platform and sub-areas, Pujiang's PJ-6 path over the platform), each
        named by its rule, with the rule's target and status.
        """
        spec, f = self.spec, self.f
        unit = unit_label(f"{spec.unit_of(metric)}/{spec.unit_of('land')}", self.lang)
        name = metric_name(spec, metric, self.lang)
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("before", self.t("col_pm_before"), INTENSITY), Column("new", self.t("col_pm_new"), INTENSITY),
                Column("after", self.t("col_pm_after"), INTENSITY), Column("target", self.t("col_target"), INTENSITY),
                Column("basis", self.t("col_basis")), Column("status", self.t("col_status"))]
        targets, selections = self.targets(metric)
        land_new, m_new = f.by_area("land"), f.by_area(metric)
        rows: list[list[Value]] = []
        sums = np.zeros(4)  # stock metric, stock land, after metric, after land (areas with known stock)
        for i, a in enumerate(f.area_ids):
            sl, sm = f.known_stock(a, "land") or 0.0, f.known_stock(a, metric)
            kl, km = f.stock_after(a, "land") or 0.0, f.stock_after(a, metric)  # after exits and renewal
            nl, nm = float(land_new[i]), float(m_new[i])
            before = None if sm is None else _ratio(sm, sl)
            after = None if km is None else _ratio(km + nm, kl + nl)
            target_row = targets.get(a)
            rows.append([i + 1, area_name(spec, a, self.lang), before, _ratio(nm, nl), after,
                         *self.target_cells(target_row)])
            if sm is not None and km is not None:
                sums += (sm, sl, km + nm, kl + nl)
        # the whole zone's stock is unknown when an area with stock land has no figure for the metric
        unknown = [area_name(spec, a, self.lang) for a in f.area_ids if f.known_stock(a, metric) is None]
        zone_before = None if unknown else _ratio(sums[0], sums[1])
        zone_after = None if unknown else _ratio(sums[2], sums[3])
        footer = [["", self.t("all_areas"), zone_before, _ratio(f.total(metric), f.total("land")), zone_after,
                   None, "", ""]]
        for row in selections:
            footer.append(self.selection_row(row, metric))
        title = self.t("tbl_per_mu", metric=name, area_unit=self.lu, unit=unit)
        notes = [self.t("note_per_mu_rules" if selections else "note_per_mu_zone")]
        if unknown:
            notes.append(self.t("note_zone_unknown", areas=self.listing(unknown), metric=name))
        table = self.table(f"per_mu_{metric}", title, cols, rows, footer, notes)
        chart = self.per_mu_chart(metric, table, unit, selections)
        return table, chart

    def per_mu_chart(self, metric: str, table: Table, unit: str, selections: list["RowOut"]) -> Chart:
        """The per-mu `metric` of new land against the rules' targets, from the per-mu table: one group per area
        that is given land or has a target, then one per rule measuring a blend over a selection (its footer
        rows after the zone's, named by the rule); bars of new land (in a plan of several years one per year:
        the land given that year) and, where the stock is known, after (stock + new); each group's target."""
        spec, f = self.spec, self.f
        col = {k: table.column(k) for k in ("area", "before", "new", "after", "target")}

        def num(row: list[Value], key: str) -> float | None:
            v = row[col[key]]
            return float(v) if isinstance(v, (int, float)) else None

        keep = [i for i, r in enumerate(table.rows) if num(r, "new") is not None or num(r, "target") is not None]
        groups = [table.rows[i] for i in keep] + table.footer[1:]
        cats = [str(table.rows[i][col["area"]]) for i in keep]
        cats += [display_name(self.units.rules[s.id], self.lang) for s in selections]
        series: list[Series] = []
        if spec.multi_year:
            land, m = f.by_area_year("land"), f.by_area_year(metric)
            for t, y in enumerate(f.years):
                values = [_ratio(float(m[i, t]), float(land[i, t])) for i in keep]
                series.append(Series(f"{self.t('col_pm_new')} {y}", values + [None] * (len(groups) - len(keep))))
        else:
            series.append(Series(self.t("col_pm_new"), [num(r, "new") for r in groups]))
        if any(num(r, "before") is not None for r in groups):  # stock known somewhere: after = stock + new
            series.append(Series(self.t("col_pm_after"), [num(r, "after") for r in groups]))
        return Chart(f"per_mu_{metric}", "grouped", table.title, cats, series, unit=unit,
                     targets=[num(r, "target") for r in groups], target_label=self.t("col_target"),
                     ordered=len(f.years) if spec.multi_year else 0)

    def target_cells(self, row: "RowOut | None") -> list[Value]:
        """Target, basis (stock + new or new land only) and status of a per-mu floor's row ('' without one)."""
        if row is None:
            return [None, "", ""]
        rule = self.units.rules[row.id]
        counts_stock = rule.include_existing and not rule.flow
        return [row.bound, self.t("with_stock" if counts_stock else "new_only"), tr(f"rs_{row_status(row)}", self.lang)]

    def selection_row(self, row: "RowOut", metric: str) -> list[Value]:
        """A footer row of the per-mu table for a rule that measures one blend over a selection of areas:
        before (stock), on new land, after (stock + new), and the rule's target, basis and status."""
        spec, f = self.spec, self.f
        rule = self.units.rules[row.id]
        sel = rule.where
        for k, v in row.group.items():
            if k == "sector":
                sel = sel.intersect(Selector(sectors=frozenset([v])))
            elif k == "area_tag":  # each: area_tag: the areas carrying the tag
                sel = sel.intersect(Selector(areas=frozenset(a for a, ar in spec.areas.items() if v in ar.tags)))
            else:
                sel = sel.intersect(Selector(areas=frozenset([v])))
        sl, sm = f.selection_stock(sel, "land"), f.selection_stock(sel, metric)
        nl, nm = f.selection_new(sel, "land"), f.selection_new(sel, metric)
        before = None if sm is None or sl is None else _ratio(sm, sl)
        after = None if sm is None or sl is None else _ratio(sm + nm, sl + nl)
        if f.moves_stock and rule.include_existing and not rule.flow:
            after = row.value  # the blend as the rule measures it, after exits and renewal
        label = f"{display_name(rule, self.lang)} ({rule.id})"
        group = group_text(spec, row.group, self.lang)
        if group:
            label += f" @ {group}" if self.lang != "zh" else f" ({group})"
        return ["", label, before, _ratio(nm, nl), after, *self.target_cells(row)]

    def targets(self, metric: str) -> tuple[dict[str, "RowOut"], list["RowOut"]]:
        """The per-mu floors on `metric` from intensity rules of `metric` per land, in the final year each
        rule applies: per area, the row of the tightest floor with one group per area; and the rows of
        floors that measure one blend over a selection (no group by area), in rule order."""
        rules = self.units.rules
        per_area: dict[str, "RowOut"] = {}
        latest: dict[tuple, "RowOut"] = {}
        for row in self.r.rows:
            rule = rules.get(row.id) if row.kind == "rule" else None
            if (rule is None or rule.kind != "intensity" or rule.metric != metric or (rule.per or "land") != "land"
                    or row.side != "min"):
                continue
            key = (row.id, tuple(row.group.items()))
            if key not in latest or (row.year or 0) > (latest[key].year or 0):
                latest[key] = row
        selections: list["RowOut"] = []
        for row in latest.values():
            if set(row.group) == {"area"}:
                a = row.group["area"]
                if a not in per_area or row.bound > per_area[a].bound:
                    per_area[a] = row
            elif "area" not in row.group and "project" not in row.group:  # screens: in the project section
                selections.append(row)
        return per_area, selections

    def high_tech(self) -> tuple[np.ndarray, list[float | None]]:
        """(high-tech value added of new land per area, existing high-tech value added per area, None
        where the stock has no high-tech split): from the scenario's high-tech metric when it has one
        (as its 45% rules measure it), else from the sectors tagged `high_tech`."""
        f = self.f
        metric = f.high_tech_metric
        if metric is not None:
            return f.by_area(metric), [f.known_stock(a, metric) for a in f.area_ids]
        return f.by_area_tagged("value_added", HIGH_TECH_TAG), [f.stock_tagged(a, "value_added", HIGH_TECH_TAG)
                                                                 for a in f.area_ids]

    def energy_intensity_unit(self, energy: str, va: str) -> Shown:
        """How energy per value added is shown: in the unit an energy-per-VA rule writes its bound in
        (0.6 tce/万元), else in tce per the money unit; never 万tce/万元 (0.000060)."""
        spec = self.spec
        for rule in spec.rules:
            if rule.kind == "intensity" and rule.metric == energy and rule.per == va and rule.written_unit:
                shown = self.units.of("rule", rule.id, rule.unit)
                if not shown.percent:
                    return Shown(shown.factor, shown.unit, ENERGY_PER_MONEY, shown.step)
        dim = Dim(spec.metrics[energy].dim.num, spec.metrics[va].dim.num)  # type: ignore[union-attr]
        readable = f"tce/{spec.unit_of(va)}"
        factor = spec.units.scale(dim) / parse_unit(readable)[1]
        return Shown(factor, unit_label(readable, self.lang), ENERGY_PER_MONEY, 1.0 / factor)

    def structure(self) -> Table | None:
        """High-tech share of value added (new, and after with stock) and energy per unit of value added."""
        spec, f = self.spec, self.f
        va = "value_added" if "value_added" in spec.metrics else None
        energy = f.energy_metric()
        if va is None or not (f.has_high_tech() or energy):
            return None
        va_name = spaced(metric_name(spec, va, self.lang), self.lang)
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area"))]
        if f.has_high_tech():
            cols += [Column("ht_new", self.t("col_ht_new", va=va_name), PCT),
                     Column("ht_after", self.t("col_ht_after"), PCT)]
        e_shown = None
        if energy:
            e_shown = self.energy_intensity_unit(energy, va)
            cols.append(Column("energy_va", self.t("col_energy_va", va=va_name, unit=e_shown.unit), e_shown.num))
        va_new = f.by_area(va)
        ht_new, ht_stock = self.high_tech() if f.has_high_tech() else (None, [])
        e_new = f.by_area(energy) / f.scale(energy) if energy else None
        rows: list[list[Value]] = []
        after_sums: list[float] | None = [0.0, 0.0]
        for i, a in enumerate(f.area_ids):
            row: list[Value] = [i + 1, area_name(spec, a, self.lang)]
            if ht_new is not None:
                stock_va, stock_ht = f.known_stock(a, va), ht_stock[i]
                after = None
                if stock_va is not None and stock_ht is not None:
                    after = _ratio(stock_ht + ht_new[i], stock_va + va_new[i])
                    if after_sums is not None:
                        after_sums[0] += stock_ht + ht_new[i]
                        after_sums[1] += stock_va + va_new[i]
                else:
                    after_sums = None
                row += [_ratio(ht_new[i], va_new[i]), after]
            if e_new is not None:
                row.append(e_shown(_ratio(e_new[i], va_new[i])))  # type: ignore[misc]
            rows.append(row)
        footer: list[Value] = ["", self.t("all_areas")]
        if ht_new is not None:
            footer += [_ratio(ht_new.sum(), va_new.sum()), None if after_sums is None else _ratio(*after_sums)]
        if e_new is not None:
            footer.append(e_shown(_ratio(e_new.sum(), va_new.sum())))  # type: ignore[misc]
        return self.table("structure", self.t("tbl_structure"), cols, rows, [footer])

    # ------------------------------------------------------------- compliance
    SUMMARY_LIMIT = 12
    """A rule with more rows than this is shown by its tightest instance per side (unless --detail)."""

    def compliance(self, detail: bool = False) -> Section:
        """Every rule row and every budget or built-in limit: required, achieved, slack, status.

        A rule with many instances (标准地 floors per area and sector make hundreds) is summarised
        by its tightest instance per side, with the count of binding and violated ones.
        """
        rules = [x for x in self.r.rows if x.kind == "rule"]
        limits = [x for x in self.r.rows if x.kind != "rule"]
        tables = []
        if rules:
            summary: dict[int, tuple[int, int, int]] = {}
            shown = rules
            if not detail:
                shown, summary = self.summarise(rules)
            notes = [self.t("note_summarised", limit=self.SUMMARY_LIMIT)] if summary else []
            tables.append(self.rows_table("rules", self.t("tbl_rules"), shown, with_id=True, summary=summary,
                                          notes=notes))
        if limits:
            tables.append(self.rows_table("limits", self.t("tbl_limits"), limits, with_id=False))
        return Section("compliance", self.t("sec_compliance"), [], tables)

    def summarise(self, rules: list["RowOut"]) -> tuple[list["RowOut"], dict[int, tuple[int, int, int]]]:
        """Rows to show, and for each summarised row (by `row`) its (instances, binding, violated)."""
        by_rule: dict[tuple[str, str], list["RowOut"]] = {}
        for x in rules:
            by_rule.setdefault((x.id, x.side), []).append(x)
        counts = {rid: sum(len(v) for (r, _), v in by_rule.items() if r == rid) for rid, _ in by_rule}
        shown: list["RowOut"] = []
        summary: dict[int, tuple[int, int, int]] = {}
        for (rid, _), rows in by_rule.items():
            if counts[rid] <= self.SUMMARY_LIMIT:
                shown.extend(rows)
                continue
            worst = min(enumerate(rows), key=lambda ix: (self.tightness(ix[1]), ix[0]))[1]
            summary[worst.row] = (len(rows), sum(row_status(x) == "binding" for x in rows),
                                  sum(row_status(x) in ("violated", "relaxed") for x in rows))
            shown.append(worst)
        return shown, summary

    def tightness(self, x: "RowOut") -> tuple[float, bool, float]:
        """Sort key of a rule row, tightest first (see `tightness`)."""
        return tightness(x, self.units.row(x))

    def rows_table(self, key: str, title: str, rows_in: list["RowOut"], with_id: bool,
                   summary: dict[int, tuple[int, int, int]] | None = None, notes: list[str] | None = None) -> Table:
        """One compliance table over LP rows, in each row's own units (summarised rows say so)."""
        summary = summary or {}
        spec, lang = self.spec, self.lang
        sources = {rule.id: rule.source for rule in spec.rules if rule.source}
        any_viol = any(x.violation > 0 or x.soft for x in rows_in)
        any_relaxed = any(x.relaxed is not None for x in rows_in)
        cols = [Column("no", self.t("col_no"), INT)]
        cols += [Column("id", self.t("col_id")), Column("name", self.t("col_name"))] if with_id else \
            [Column("limit", self.t("col_limit")), Column("name", self.t("col_name"))]
        cols.append(Column("group", self.t("col_group")))
        if spec.multi_year:
            cols.append(Column("year", self.t("col_year")))
        if with_id and sources:
            cols.append(Column("source", self.t("col_source"), max_width=40))
        cols += [Column("sense", self.t("col_sense")), Column("required", self.t("col_required"), Num(2)),
                 Column("achieved", self.t("col_achieved"), Num(2)), Column("slack", self.t("col_slack"), Num(2)),
                 Column("unit", self.t("col_unit")), Column("status", self.t("col_status"))]
        if any_viol:
            cols.append(Column("violation", self.t("col_violation"), Num(2)))
        if any_relaxed:
            cols.append(Column("relaxed", self.t("col_relaxed"), Num(2)))
        out: list[list[Value]] = []
        for i, x in enumerate(rows_in, 1):
            shown = self.units.row(x)
            num = shown.num
            row: list[Value] = [i]
            row += [x.id, display_name(x, lang)] if with_id else [tr(f"lk_{x.kind}", lang), display_name(x, lang)]
            group = group_text(spec, x.group, lang)
            if x.row in summary:
                group = self.t("grp_summary", n=summary[x.row][0], group=group or "-")
            row.append(group)
            if spec.multi_year:
                row.append(x.year)
            if with_id and sources:
                row.append(sources.get(x.id, ""))
            status = tr(f"rs_{row_status(x)}", lang)
            if x.row in summary:
                n, binding, violated = summary[x.row]
                status = self.t("st_counts", status=status, n=n, binding=binding, violated=violated)
            row += [">=" if x.side == "min" else "<=", Cell(shown(x.bound), num), Cell(shown(x.value), num),
                    Cell(shown(x.slack), num), shown.unit, status]
            if any_viol:
                row.append(Cell(shown(_violation(x)), num))
            if any_relaxed:
                row.append(Cell(shown(x.relaxed), num))
            out.append(row)
        return self.table(key, title, cols, out, notes=notes)

    # ----------------------------------------------------------------- shadow
    def shadow_rows(self) -> list["RowOut"]:
        """Budgets (every one), then limits and rules whose price is nonzero or that were re-solved."""
        exact = self.exact.changes if self.exact else {}
        out = []
        for x in self.r.rows:
            price = x.shadow_price
            if x.kind == "budget" or x.row in exact or (price is not None and abs(price) > 1e-9):
                out.append(x)
        return out

    def shadow(self) -> Section:
        """The value of one more unit of each limit: a table and the same in plain words.

        The table lists every budget and every limit with a price; the sentences leave out the limits
        worth nothing either way (a price that shows as 0.00) and never tighten a cap at 0 (a
        quantity that cannot go below 0: 'tightening → infeasible' says nothing).
        """
        spec, lang = self.spec, self.lang
        exact = self.exact.changes if self.exact else {}
        rows_in = self.shadow_rows()
        cols = [Column("no", self.t("col_no"), INT), Column("limit", self.t("col_limit")),
                Column("group", self.t("col_group"))]
        if spec.multi_year:
            cols.append(Column("year", self.t("col_year")))
        cols += [Column("bound", self.t("col_bound"), Num(2)), Column("step", self.t("col_step")),
                 Column("price", self.t("col_shadow", obj=spaced(self.obj_name, self.lang), unit=self.obj_unit),
                        PRICE)]
        if exact:
            cols += [Column("loosen", self.t("col_exact_loosen"), PRICE),
                     Column("tighten", self.t("col_exact_tighten"), PRICE)]
        rows: list[list[Value]] = []
        sentences: list[str] = []
        self.worded = []
        quiet = 0
        for i, x in enumerate(rows_in, 1):
            shown = self.units.row(x)
            price = None if x.shadow_price is None else x.shadow_price * shown.step
            if price is None and self.exact is not None and not x.binding:
                price = 0.0  # a limit with slack is worth nothing at the margin (convexity), duals or not
            row: list[Value] = [i, row_label(x, lang), group_text(spec, x.group, lang)]
            if spec.multi_year:
                row.append(x.year)
            row += [Cell(shown(x.bound), shown.num), shown.step_text(lang), price]
            one = exact.get(x.row)
            loosen, tighten = price, None
            if one is not None:
                loosen = None if one.loosen is None else one.loosen * shown.step
                tighten = None if one.tighten is None else -one.tighten * shown.step
            if exact:
                row += [loosen if one is not None else None, tighten]
            rows.append(row)
            if one is None and self.exact is not None and x.binding:
                # a degenerate optimum (or no duals) and a limit not re-solved: its dual is one of several,
                # and only bounds the change (loosening gains at most the price); nothing is said without
                # one, or when it is 0 (loosening gains nothing, what tightening costs is unknown): the
                # note on the limits not re-solved covers those
                sentence = None if price is None or _shows_zero(price) else \
                    self.sentence(x, shown, price, None, False, at_most=True)
                if sentence is not None:
                    sentences.append(sentence)
                    self.worded.append((x, "bound", sentence))
                continue
            if price is not None and (not self.r.degenerate or _agrees(price, loosen, tighten)):
                # unique duals, or re-solves that agree with this dual to the solver's precision: the
                # sentence quotes the table's price, not a re-solve differing in the last digit
                loosen, tighten = price, (None if tighten is None else -price)
            sentence = self.sentence(x, shown, loosen, tighten, one is not None)
            if sentence is None:
                quiet += 1
            else:
                sentences.append(sentence)
                self.worded.append((x, "exact" if one is not None else "price", sentence))
        paras = []
        if self.r.mip is not None:
            paras.append(self.t("note_duals_fixed"))
        if self.exact is not None and (exact or self.exact.skipped):
            note = "note_degenerate" if self.r.degenerate else "note_no_duals"
            paras.append(self.t(note, n=len(exact)))
            if self.exact.skipped:
                paras.append(self.t("note_capped", n=self.exact.skipped, max=len(exact)))
        paras += sentences[:MAX_SENTENCES]
        if len(sentences) > MAX_SENTENCES:
            paras.append(self.t("sent_more", n=len(sentences) - MAX_SENTENCES))
        if quiet:
            paras.append(self.t("sent_quiet", n=quiet))
        notes = [self.t("note_shadow_sign", obj=self.obj_name)]
        estimated = self.estimated([x for x in rows_in if x.kind == "budget"])
        if estimated:
            notes.append(self.t("note_estimated", names=self.listing(estimated)))
        table = self.table("shadow", self.t("tbl_shadow"), cols, rows, notes=notes)
        return Section("shadow", self.t("sec_shadow"), paras, [table])

    def estimated(self, rows: list["RowOut"]) -> list[str]:
        """The names of the budgets among `rows` that the scenario marks as its own estimate (`estimate: true`),
        once each: what one more unit of them is worth rests on that estimate."""
        return list(dict.fromkeys(resource_name(self.spec, x.id, self.lang) for x in rows
                                  if x.kind == "budget" and x.id in self.spec.resources
                                  and self.spec.resources[x.id].estimate))

    def estimated_mark(self, names: list[str]) -> str:
        """' (预算均为估计值)' when every budget named in `names` is estimated, ' (其中 A、B 的预算为估计值)' when
        some are, '' when none: said once, after the list of what limits the plan."""
        budgets = {display_name(x, self.lang): x for x in self.r.rows if x.kind == "budget"}
        named = [budgets[n] for n in names if n in budgets]
        est = self.estimated(named)
        if not est:
            return ""
        if len(est) == len(names):
            return self.t("mark_all_estimated")
        return self.t("mark_some_estimated", names=self.listing(est))

    def change_text(self, v: float | None) -> str:
        """'+51.00 万元 税收' (zh: '税收 +51.00 万元'); for a minimised objective an improvement is a fall ('-').

        None reads 'infeasible' (a tightened limit the plan cannot meet) or, without duals, '?'.
        """
        if v is None:
            return self.t("sent_infeasible") if self.exact is not None else "?"
        if _shows_zero(v):  # worth nothing this way (the other way may be worth something): no '+0.00'
            return self.t("sent_unchanged", obj=self.obj_name)
        sense_max = self.spec.stages[0].sense == "max"
        sign = ("+" if v >= 0 else "-") if sense_max else ("-" if v >= 0 else "+")
        return self.t("sent_change", sign=sign, value=format_number(abs(v), PRICE), unit=self.obj_unit,
                      obj=self.obj_name).strip()

    def sentence(self, x: "RowOut", shown: Shown, loosen: float | None, tighten: float | None,
                 resolved: bool, at_most: bool = False) -> str | None:
        """The plain-word reading of one limit's value: loosening it by one shown unit, and tightening it
        when it was re-solved (`resolved`). None when it says nothing: worth 0.00 both ways (or
        loosening worth 0.00 and the limit a cap at 0, which cannot be tightened). With `at_most`,
        `loosen` is a dual of a degenerate optimum, not re-solved: the sentence says "at most"."""
        spec, lang = self.spec, self.lang
        cap_at_zero = x.side == "max" and abs(x.bound) <= 1e-12
        if _shows_zero(loosen) and (not resolved or cap_at_zero or _shows_zero(tighten)):
            return None
        year = "" if x.year is None else (f"({x.year}年)" if lang == "zh" else f" ({x.year})")
        change = self.change_text(loosen)
        if at_most:
            change = self.t("sent_at_most", change=change)
        step = shown.step_text(lang)
        if x.kind == "budget":
            head = self.t("sent_budget", unit=shown.unit, name=display_name(x, lang), year=year, change=change)
        else:
            group = group_text(spec, x.group, lang)
            group = (f" @ {group}" if lang != "zh" else f" ({group})") if group else ""
            bound = format_number(shown(x.bound), shown.num) + ("" if shown.percent else f" {shown.unit}".rstrip())
            key = "sent_max" if x.side == "max" else "sent_min"
            head = self.t(key, name=row_label(x, lang), group=group, year=year, bound=bound, step=step,
                          change=change)
        if at_most:
            return self.t("sent_bound", head=head)
        if not resolved or cap_at_zero:
            return head
        return self.t("sent_exact", head=head, step=step, tighten=self.change_text(tighten))

    # ------------------------------------------------------------------- path
    def path(self) -> Section:
        """Per area and year: land given, cumulative land, resource and money-metric levels; budgets by year."""
        spec, f = self.spec, self.f
        metrics = [m for m in spec.resources if m != "land"] + f.money_metrics()
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("year", self.t("col_year")), Column("land", self.t("col_land", unit=self.lu), self.land_num),
                Column("cum_land", self.t("col_cum_land", unit=self.lu), self.land_num)]
        for m in metrics:
            cols.append(Column(m, self.t("col_level", name=spaced(metric_label(spec, m, self.lang), self.lang),
                                         unit=metric_unit(spec, m, self.lang)), metric_num(spec, m)))
        land = f.by_area_year("land")
        levels = {m: np.cumsum(f.by_area_year(m), axis=1) for m in metrics}
        rows: list[list[Value]] = []
        n = 0
        for i, a in enumerate(f.area_ids):
            cum = np.cumsum(land[i])
            for t, y in enumerate(f.years):
                n += 1
                rows.append([n, area_name(spec, a, self.lang), y, float(land[i, t]), float(cum[t]),
                             *(float(levels[m][i, t]) for m in metrics)])
        footer: list[list[Value]] = []
        land_all = land.sum(axis=0)
        cum_all = np.cumsum(land_all)
        for t, y in enumerate(f.years):
            footer.append(["", self.t("all_areas"), y, float(land_all[t]), float(cum_all[t]),
                           *(float(levels[m][:, t].sum()) for m in metrics)])
        path = self.table("path", self.t("tbl_path"), cols, rows, footer)
        chart = Chart("path", "stacked", self.t("tbl_path"), [str(y) for y in f.years],
                      [Series(area_name(spec, a, self.lang), land[i].tolist()) for i, a in enumerate(f.area_ids)
                       if land[i].any()], unit=self.lu)
        return Section("path", self.t("sec_path"), [], [path, self.budget_years()], [chart])

    def budget_years(self) -> Table:
        """Every budget row by year: used, budget, utilisation, shadow price."""
        spec = self.spec
        cols = [Column("no", self.t("col_no"), INT), Column("resource", self.t("col_resource")),
                Column("year", self.t("col_year")), Column("accounting", self.t("col_accounting")),
                Column("used", self.t("col_used"), Num(2)), Column("available", self.t("col_available"), Num(2)),
                Column("utilisation", self.t("col_utilisation"), PCT), Column("unit", self.t("col_unit")),
                Column("price", self.t("col_shadow", obj=spaced(self.obj_name, self.lang), unit=self.obj_unit),
                       PRICE)]
        rows: list[list[Value]] = []
        for i, x in enumerate((x for x in self.r.rows if x.kind == "budget"), 1):
            num = num_for_unit(x.unit)
            rows.append([i, display_name(x, self.lang), x.year, self.t(spec.resources[x.id].accounting),
                         Cell(x.value, num), Cell(x.bound, num), _ratio(x.value, x.bound),
                         unit_label(x.unit, self.lang), x.shadow_price])
        return self.table("budget_years", self.t("tbl_budget_years"), cols, rows)

    # ----------------------------------------------------------------- detail
    def count_holds(self, x: "RowOut", p: Any) -> bool:
        """True when the count of projects behind row `x` (one group) selects project `p` at a site it may use."""
        rule = next(r for r in self.spec.rules if r.id == x.id)
        where = rule.where
        if not (where.has_project(p.id) and where.has_sector(p.sector)):
            return False
        if "sector" in x.group and x.group["sector"] != p.sector:
            return False
        sites = [a for a, area in self.spec.areas.items() if p.sites.has_area(a) and p.sector in area.allowed
                 and where.has_area(a)]
        if "area" in x.group:
            sites = [a for a in sites if a == x.group["area"]]
        if "area_tag" in x.group:
            sites = [a for a in sites if x.group["area_tag"] in self.spec.areas[a].tags]
        return bool(sites)

    def projects(self) -> Section:
        """项目安排 / Project siting: every candidate project, placed or not, where and when, what it brings per
        mu against the 标准地 screens, and why an unplaced one was left out when a screen or a count did it;
        then every (project, site) pair a screen kept out, with the rule, the project's figure and the bound."""
        spec, lang = self.spec, self.lang
        records = {d["project"]: d for d in self.r.project_records()}
        screened = self.r.model.screened
        screen_rules = {x.rule for x in screened}
        ratio_metrics = [(r.metric, r.per or "land", r) for r in spec.rules if r.id in screen_rules]
        cols = [Column("no", self.t("col_no"), INT), Column("project", self.t("col_project")),
                Column("sector", self.t("col_sector")), Column("land", self.t("col_land", unit=self.lu),
                                                               self.land_num),
                Column("placed", self.t("col_placed")), Column("area", self.t("col_area"))]
        if spec.multi_year:
            cols.append(Column("year", self.t("col_start_year")))
        for metric, per, rule in ratio_metrics:
            unit = self.units.rule_unit(rule)
            label = (self.t("col_project_per_mu", metric=metric_name(spec, metric, lang), area_unit=self.lu) if per == "land" else
                     metric_label(spec, metric, lang) + self.t("per_word") + metric_label(spec, per, lang))
            cols.append(Column(f"fig_{rule.id}", with_unit(label, unit), INTENSITY))
        cols.append(Column("why", self.t("col_why")))
        rows: list[list[Value]] = []
        rules_by_id = {r.id: r for r in spec.rules}
        binding_counts = [x for x in self.r.rows if x.rule_kind == "count" and x.binding and x.side == "max"
                          and rules_by_id[x.id].what == "projects"]
        for i, p in enumerate(spec.projects.values(), 1):
            d = records[p.id]
            placed = bool(d["placed"])
            row: list[Value] = [i, display_name(p, lang), sector_name(spec, p.sector, lang), p.land,
                                self.t("yes" if placed else "no"),
                                area_name(spec, d["area"], lang) if placed else ""]
            if spec.multi_year:
                row.append(d["year"] if placed else "")
            for metric, per, rule in ratio_metrics:
                site = d["area"] if placed else next((a for a in spec.areas if p.sites.has_area(a)
                                                      and p.sector in spec.areas[a].allowed), None)
                num = spec.project_coef(p.id, site, metric) if site else None
                den = spec.project_coef(p.id, site, per) if site else None
                row.append(None if not num or not den else self.units.rule_value(rule, num / den))
            why = ""
            if not placed:
                mine = [x for x in screened if x.project == p.id]
                sites = sum(1 for a in spec.areas if p.sites.has_area(a) and p.sector in spec.areas[a].allowed)
                if mine and len({x.area for x in mine}) >= sites:
                    why = self.t("why_screened", rules=", ".join(dict.fromkeys(x.rule for x in mine)))
                elif holding := [x for x in binding_counts if self.count_holds(x, p)]:
                    why = self.t("why_count", rules=", ".join(dict.fromkeys(x.id for x in holding)))
                else:
                    why = self.t("why_not_worth")
            row.append(why)
            rows.append(row)
        tables = [self.table("projects", self.t("tbl_projects"), cols, rows)]
        if screened:
            scols = [Column("no", self.t("col_no"), INT), Column("rule", self.t("col_id")),
                     Column("project", self.t("col_project")), Column("area", self.t("col_area"))]
            if spec.multi_year:
                scols.append(Column("years", self.t("col_years")))
            scols += [Column("figure", self.t("col_figure"), INTENSITY), Column("side", self.t("col_side")),
                      Column("bound", self.t("col_bound"), INTENSITY), Column("unit", self.t("col_unit"))]
            srows: list[list[Value]] = []
            rules = {r.id: r for r in spec.rules}
            for n, x in enumerate(screened, 1):
                rule = rules[x.rule]
                srow: list[Value] = [n, x.rule, display_name(spec.projects[x.project], lang),
                                     area_name(spec, x.area, lang)]
                if spec.multi_year:
                    srow.append(", ".join(str(y) for y in x.years))
                srow += [self.units.rule_value(rule, x.figure), self.t("side_" + x.side),
                         self.units.rule_value(rule, x.bound), self.units.rule_unit(rule)]
                srows.append(srow)
            tables.append(self.table("screened", self.t("tbl_screened"), scols, srows))
        return Section("projects", self.t("sec_projects"), [], tables)

    # ------------------------------------------------------------------ stock
    def use_name(self, r: str) -> str:
        """What a resource's metric is called on the stock: 用能 for 新增用能指标, 化学需氧量排放 for 化学需氧量
        排污权 (the quota's name without the quota words)."""
        name = metric_name(self.spec, r, self.lang)
        if self.lang == "zh":
            name = name.removeprefix("新增")
            if name.endswith("排污权"):
                return name[:-3] + "排放"
            return name.removesuffix("指标") or name
        low = name.lower()
        for word in ("new ",):
            if low.startswith(word):
                name = name[len(word):]
        for word in (" quota", " rights", " right"):
            if name.lower().endswith(word):
                name = name[: -len(word)]
        return name

    def stock_metrics(self) -> tuple[list[str], list[str]]:
        """(money metrics, resources other than land) the stock tables show."""
        f, spec = self.f, self.spec
        return f.money_metrics()[:3], [r for r in spec.resources if r != "land"]

    def stock(self) -> Section:
        """存量盘活 / The existing stock: the areas that exit and what they free (with the quota `reclaim`
        returns), renewal by area and sector (亩 from -> to, year, yield before and after, resources freed
        and used), and each area's per-mu path by year with the stock (after exits and renewal) apart from
        new land; a chart of the per-mu path against the per-mu targets."""
        tables: list[Table] = []
        charts: list[Chart] = []
        paras: list[str] = []
        if self.r.model.exit_areas:
            tables.append(self.exit_table())
            gone = [area_name(self.spec, a, self.lang) for a in self.f.exited]
            paras.append(self.t("stock_exits", n=len(gone), areas=self.listing(gone) or self.t("none")))
        if self.r.model.renewal_keys:
            tables.append(self.renewal_table())
            done = float(self.f.R.sum())
            paras.append(self.t("stock_renewal", land=format_number(done, self.land_num), unit=self.lu))
        path, chart_list = self.stock_path()
        if path is not None:
            tables.append(path)
            charts += chart_list
        return Section("stock", self.t("sec_stock"), paras, tables, charts)

    def exit_table(self) -> Table:
        """Every area that may exit: whether it does, its stock, and the quota `reclaim` returns."""
        spec, f, lang = self.spec, self.f, self.lang
        money, res = self.stock_metrics()
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("role", self.t("col_role")), Column("exit", self.t("col_exit")),
                Column("land", self.t("col_stock_land", unit=self.lu), self.land_num)]
        for m in money + res:
            name = self.use_name(m) if m in spec.resources else metric_name(spec, m, lang)
            cols.append(Column(m, self.t("col_stock_of", name=name, unit=metric_unit(spec, m, lang)),
                               metric_num(spec, m)))
        back = [r for r in spec.resources if spec.reclaim.get(r)]
        for r in back:
            cols.append(Column(f"back_{r}", self.t("col_reclaimed", name=metric_name(spec, r, lang),
                                                   unit=metric_unit(spec, r, lang)), metric_num(spec, r)))
        rows: list[list[Value]] = []
        for i, a in enumerate(self.r.model.exit_areas, 1):
            area = spec.areas[a]
            out = a in f.exited
            word = "exit_required" if area.exit == "required" else ("exit_yes" if out else "exit_no")
            row: list[Value] = [i, area_name(spec, a, lang), role_label(area.role, lang), self.t(word),
                                f.known_stock(a, "land")]
            row += [f.known_stock(a, m) for m in money + res]
            row += [spec.reclaim[r] * area.existing.get(r, 0.0) if out else None for r in back]
            rows.append(row)
        return self.table("exits", self.t("tbl_exits"), cols, rows)

    def renewal_table(self) -> Table:
        """Every nonzero renewal: area, from -> to, year, 亩, the main yield per 亩 before and after, and the
        resources it frees (the old use) and takes (the new use)."""
        spec, f, lang = self.spec, self.f, self.lang
        money = [m for m in ("value_added", "tax") if m in spec.metrics] or f.money_metrics()[:2]
        keys = [k for q, k in enumerate(self.r.model.renewal_keys) if f.R[q].any()]
        # a resource whose use the stock rows give: what renewal frees and what it takes
        res = [r for r in spec.resources if r != "land" and any(
            r in spec.areas[a].by_sector.get(fr, {}) for a, fr, _ in keys)]
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("from", self.t("col_from")), Column("to", self.t("col_to"))]
        if spec.multi_year:
            cols.append(Column("year", self.t("col_year")))
        cols.append(Column("land", self.t("col_renewed", unit=self.lu), self.land_num))
        for m in money:
            unit = f"{metric_unit(spec, m, lang)}/{self.lu}"
            name = _first_up(metric_name(spec, m, lang))
            cols += [Column(f"{m}_before", self.t("col_yield_before", name=name, unit=unit), INTENSITY),
                     Column(f"{m}_after", self.t("col_yield_after", name=name, unit=unit), INTENSITY)]
        for r in res:
            unit = metric_unit(spec, r, lang)
            name = _first_up(self.use_name(r))
            cols += [Column(f"{r}_freed", self.t("col_freed", name=name, unit=unit), metric_num(spec, r)),
                     Column(f"{r}_used", self.t("col_used_new", name=name, unit=unit), metric_num(spec, r))]
        rows: list[list[Value]] = []
        n = 0
        cut = 1e-9 * max(1.0, float(np.abs(f.R).max(initial=0.0)))
        for q, (a, fr, to) in enumerate(self.r.model.renewal_keys):
            for t, y in enumerate(f.years):
                v = float(f.R[q, t])
                if v <= cut:
                    continue
                n += 1
                row: list[Value] = [n, area_name(spec, a, lang), sector_name(spec, fr, lang), sector_name(spec, to, lang)]
                if spec.multi_year:
                    row.append(y)
                row.append(v)
                known = spec.areas[a].by_sector.get(fr, {})
                for m in money:
                    row += [f.avg_stock(a, fr, m) if m in known else None, spec.coef(a, to, m)]
                for r in res:
                    row += [v * f.avg_stock(a, fr, r) if r in known else None, v * spec.coef(a, to, r)]
                rows.append(row)
        return self.table("renewal", self.t("tbl_renewal"), cols, rows)

    def stock_path(self) -> tuple[Table | None, list[Chart]]:
        """Per area with stock and year: stock land kept, renewed land so far, new land so far, and the per-mu
        value added and tax of the whole (levels, ramped), with the stock's own share apart."""
        spec, f, lang = self.spec, self.f, self.lang
        money = [m for m in ("value_added", "tax") if m in spec.metrics] or f.money_metrics()[:2]
        areas = [a for a in f.area_ids if f.known_stock(a, "land")]
        if not areas or not money:
            return None, []
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area"))]
        if spec.multi_year:
            cols.append(Column("year", self.t("col_year")))
        cols += [Column("stock_land", self.t("col_stock_kept", unit=self.lu), self.land_num),
                 Column("renewed", self.t("col_renewed_so_far", unit=self.lu), self.land_num),
                 Column("new_land", self.t("col_new_so_far", unit=self.lu), self.land_num)]
        for m in money:
            unit = f"{metric_unit(spec, m, lang)}/{self.lu}"
            name = metric_name(spec, m, lang)
            cols += [Column(f"{m}_stock", self.t("col_pm_stock_part", name=name, unit=unit), INTENSITY),
                     Column(f"{m}_all", self.t("col_pm_all", name=name, unit=unit), INTENSITY)]
        new_land = f.level_by_area_year("land")
        new_m = {m: f.level_by_area_year(m) for m in money}
        renewed = np.zeros((len(f.area_ids), len(f.years)))
        if self.r.model.renewal_keys:
            idx = {a: i for i, a in enumerate(f.area_ids)}
            np.add.at(renewed, [idx[a] for a, _, _ in self.r.model.renewal_keys], np.cumsum(f.R, axis=1))
        rows: list[list[Value]] = []
        series: dict[str, list[Series]] = {m: [] for m in money}
        n = 0
        for a in areas:
            i = f.area_ids.index(a)
            sl = f.known_stock(a, "land") or 0.0
            land_change = f.stock_change_year(a, "land")
            vals: dict[str, list[float | None]] = {m: [] for m in money}
            for t, y in enumerate(f.years):
                n += 1
                kept_land = sl + float(land_change[t])
                row: list[Value] = [n, area_name(spec, a, lang)]
                if spec.multi_year:
                    row.append(y)
                row += [kept_land, float(renewed[i, t]), float(new_land[i, t])]
                for m in money:
                    sm = f.known_stock(a, m)
                    kept = None if sm is None else sm + float(f.stock_change_year(a, m)[t])
                    whole = None if kept is None else _ratio(kept + float(new_m[m][i, t]),
                                                             kept_land + float(new_land[i, t]))
                    row += [None if kept is None else _ratio(kept, kept_land), whole]
                    vals[m].append(whole)
                rows.append(row)
            for m in money:
                series[m].append(Series(area_name(spec, a, lang), vals[m]))
        table = self.table("stock_path", self.t("tbl_stock_path"), cols, rows,
                           notes=[self.t("note_stock_path")])
        charts = []
        if spec.multi_year:
            for m in money:
                target = self.path_target(m)
                blend = self.path_blend(m)
                if blend is not None:  # the blend the target measures, year by year
                    series[m].append(blend)
                unit = f"{metric_unit(spec, m, lang)}/{self.lu}"
                charts.append(Chart(f"stock_path_{m}", "grouped",
                                    self.t("chart_stock_path", name=metric_name(spec, m, lang), unit=unit),
                                    [str(y) for y in f.years], series[m], unit=unit, targets=target,
                                    target_label=self.t("col_target")))
        return table, charts

    def path_blend(self, metric: str) -> Series | None:
        """The per-mu blend of `metric` that the first per-mu floor counting stock measures, by year (its rows'
        achieved values), named by the rule; None without such a rule."""
        for rule in self.spec.rules:
            if (rule.kind == "intensity" and rule.metric == metric and (rule.per or "land") == "land"
                    and rule.include_existing and not rule.flow and rule.lo):
                got = {x.year: x.value for x in self.r.rows if x.kind == "rule" and x.id == rule.id and not x.group}
                if not got:
                    return None
                return Series(display_name(rule, self.lang), [got.get(y) for y in self.f.years])
        return None

    def path_target(self, metric: str) -> list[float | None] | None:
        """The year-by-year bound of the first per-mu floor on `metric` that counts stock (PJ-6's path)."""
        for rule in self.spec.rules:
            if (rule.kind == "intensity" and rule.metric == metric and (rule.per or "land") == "land"
                    and rule.include_existing and not rule.flow and rule.lo):
                return [rule.lo.get(y) for y in self.f.years]
        return None

    def detail(self) -> Section:
        """Every nonzero allocation with what it uses and yields."""
        spec, f = self.spec, self.f
        metrics = [m for m in spec.resources if m != "land"] + f.money_metrics()
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("sector", self.t("col_sector"))]
        if spec.multi_year:
            cols.append(Column("year", self.t("col_year")))
        cols.append(Column("land", self.t("col_land", unit=self.lu), self.land_num))
        cols += [Column(m, with_unit(metric_label(spec, m, self.lang), metric_unit(spec, m, self.lang)),
                        metric_num(spec, m)) for m in metrics]
        X = f.X
        cut = 1e-9 * max(1.0, float(np.abs(X).max(initial=0.0)))
        pairs, years = np.nonzero(np.abs(X) > cut)
        coefs = {m: f.coef(m) * f.scale(m) for m in metrics}
        rows: list[list[Value]] = []
        for n, (p, t) in enumerate(zip(pairs.tolist(), years.tolist()), 1):
            land = float(X[p, t])
            row: list[Value] = [n, area_name(spec, f.area_ids[f.pair_area[p]], self.lang),
                                sector_name(spec, f.sector_ids[f.pair_sector[p]], self.lang)]
            if spec.multi_year:
                row.append(f.years[t])
            row.append(land)
            row += [land * float(coefs[m][p]) for m in metrics]
            rows.append(row)
        return Section("detail", self.t("sec_detail"), [], [self.table("detail", self.t("tbl_detail"), cols, rows)])


def tightness(x: "RowOut", shown: Shown) -> tuple[float, bool, float]:
    """Sort key of a rule row shown as `shown`, tightest first: the larger violation, then binding, then
    the smaller slack, each as the report shows it (rounded), so that rows equal to the shown precision
    tie whatever noise the backend left; ties go to the first row (group, then year, in file order)."""
    violation = shown(_violation(x))
    slack = shown(x.slack)
    return (-(rounded(violation, shown.num) if violation is not None else 0.0), not x.binding,
            rounded(slack, shown.num) if slack is not None else float("inf"))


AGREE_REL = 1e-5
"""Re-solved one-sided changes within this (relative to max(1, |dual|)) of the dual agree with it."""


def _agrees(price: float, loosen: float | None, tighten: float | None) -> bool:
    """True when the re-solved changes of a limit (`tighten` as a loss, <= 0) equal its dual `price` up to
    the re-solve's precision: the limit's price is the same both ways."""
    tol = AGREE_REL * max(1.0, abs(price))
    return (loosen is not None and abs(loosen - price) <= tol
            and (tighten is None or abs(-tighten - price) <= tol))


def _shows_zero(v: float | None) -> bool:
    """True when a price reads 0.00 in the report (None, unknown or infeasible, is not zero)."""
    return v is not None and format_number(abs(v), PRICE) == format_number(0.0, PRICE)


def _violation(x: "RowOut") -> float | None:
    """How far the row misses its bound, in the bound's own units (>= 0; None when not measurable).

    The engine measures a ratio rule's violation on its linear form (``min x P - M``, in the metric's
    units: 万元 of value added short); in the rule's units it is the gap between bound and value
    (万元/亩 short), the units of the required, achieved and slack columns.
    """
    if x.violation <= 0:
        return 0.0
    if x.rule_kind is None or not KINDS[x.rule_kind].ratio:
        return x.violation
    if x.value is None:
        return None
    return max(0.0, x.bound - x.value if x.side == "min" else x.value - x.bound)


def _first_up(text: str) -> str:
    """The text with its first letter in upper case (a column header that starts with a metric's name)."""
    return text[:1].upper() + text[1:]


def _ratio(a: float | None, b: float | None) -> float | None:
    """a / b, or None when b is zero or either is missing."""
    if a is None or b is None or abs(b) < 1e-12:
        return None
    return float(a) / float(b)
