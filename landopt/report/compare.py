"""Several plans side by side (`landopt compare`), as a format-neutral `Report`.

Sections: the plans (status, objective), resource totals, land by area (and by
area x sector with ``detail``), per-mu results after allocation, the rules and
limits whose status changed, and the shadow prices that moved. Every table
shows each plan's value, then for every plan after the first its absolute and
percentage change against the first plan. Areas, sectors, resources and rows are
matched by id (rows by kind, id, group, year and side); an item a plan lacks
is blank (status 'absent').
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from landopt.report.common import (
    INT, INTENSITY, PCT, PRICE, RowUnits, area_name, group_text, land_unit, metric_name, metric_num,
    num_for_unit, objective_label, resource_name, row_key, row_label, row_status, sector_name, source_notes,
    status_label,
)
from landopt.report.facts import Facts
from landopt.report.sections import tightness
from landopt.report.words import tr, unit_label, with_unit
from landopt.report.model import Cell, Chart, Column, Num, Report, Section, Series, Table, Value, rounded
from landopt.model.units import UnitError, parse_unit

if TYPE_CHECKING:  # pragma: no cover
    from landopt.engine.readback import Result, RowOut
    from landopt.model.spec import Spec

SUMMARY_LIMIT = 12
"""A rule with more changed rows than this is shown by its tightest one (unless ``detail``), as in `solve`."""
MOVED_REL = 1e-6
"""A shadow price 'moved' when it changed by more than this, relative to max(1, |first|)."""


def compare_report(cases: list[tuple[str, "Result"]], lang: str = "en", detail: bool = False) -> Report:
    """The comparison of `cases`, a list of (label, `landopt.engine.readback.Result`); deltas against the first.

    Args:
        cases: Two or more (label, result) pairs.
        lang: 'zh' or 'en'.
        detail: Add land by area x sector.
    """
    return _Compare(cases, lang).build(detail)


class _Compare:
    """Builds the comparison sections."""

    def __init__(self, cases: list[tuple[str, "Result"]], lang: str) -> None:
        self.labels = [label for label, _ in cases]
        self.results = [res for _, res in cases]
        self.facts = [Facts(res) for res in self.results]
        self.lang = lang
        self.spec = self.results[0].spec
        self.lu = land_unit(self.spec, lang)
        self.land_num = metric_num(self.spec, "land")
        self.notes = source_notes(self.spec, lang)
        self.multi_year = any(r.spec.multi_year for r in self.results)
        self.units = [RowUnits(r.spec, lang) for r in self.results]
        self.same_objective = len({_objective_key(r.spec) for r in self.results}) == 1

    # ------------------------------------------------------------- units
    def factor(self, k: int, metric: str) -> float:
        """Factor from plan `k`'s unit of `metric` to the first plan's (1e4 for 万tce shown in tce)."""
        spec = self.results[k].spec
        m = spec.metrics.get(metric)
        if m is None or m.dim is None:
            return 1.0
        return spec.units.scale(m.dim) / self.spec.units.scale(m.dim)

    def unit_of(self, metric: str) -> str:
        """Display unit of `metric` in the first plan's units (every value is converted into them)."""
        m = self.spec_with("metrics", metric).metrics[metric]
        return "" if m.dim is None else unit_label(self.spec.units.unit_name(m.dim), self.lang)

    def num_of(self, metric: str) -> Num:
        """Rounding of `metric` in the first plan's units."""
        m = self.spec_with("metrics", metric).metrics[metric]
        return num_for_unit("" if m.dim is None else self.spec.units.unit_name(m.dim))

    def objective_factor(self, k: int) -> float:
        """Factor from plan `k`'s objective unit to the first plan's (1 when it mixes units)."""
        st = self.results[k].spec.stages[0]
        factors = {self.factor(k, m) for m in st.weights}
        return factors.pop() if len(factors) == 1 else 1.0

    @staticmethod
    def row_factor(x: "RowOut", to: "RowOut") -> float:
        """Factor from row `x`'s unit to row `to`'s (the same rule in two plans whose units differ)."""
        if x.unit == to.unit:
            return 1.0
        try:
            (dx, fx), (dt, ft) = parse_unit(x.unit), parse_unit(to.unit)
        except UnitError:
            return 1.0
        return fx / ft if dx == dt else 1.0

    def objective_names(self) -> list[str]:
        """Each plan's objective in words, e.g. 'maximise tax revenue (万元)' (every stage, ' > ' between)."""
        out = []
        for r in self.results:
            parts = []
            for k, st in enumerate(r.spec.stages):
                name, unit = objective_label(r.spec, self.lang, k)
                sense = self.t("maximise" if st.sense == "max" else "minimise")
                parts.append(with_unit(self.t("obj_words", sense=sense, obj=name), unit))
            out.append(" > ".join(parts))
        return out

    def objective_note(self) -> list[str]:
        """The note naming each plan's objective when they differ (their values are not compared)."""
        if self.same_objective:
            return []
        names = self.objective_names()
        listed = ("；" if self.lang == "zh" else "; ").join(f"{label}: {n}" for label, n in zip(self.labels, names))
        return [self.t("note_objectives_differ", objectives=listed)]

    def t(self, key: str, **kw: object) -> str:
        """Shorthand for `tr` in this report's language."""
        return tr(key, self.lang, **kw)

    # ---------------------------------------------------------------- helpers
    def value_columns(self, num: Num | None) -> list[Column]:
        """One column per plan, then (change, change %) against the first for each later plan."""
        base = self.labels[0]
        cols = [Column(f"v{k}", label, num) for k, label in enumerate(self.labels)]
        for k, label in enumerate(self.labels[1:], 1):
            cols += [Column(f"d{k}", self.t("col_delta", label=label, base=base), num),
                     Column(f"p{k}", self.t("col_delta_pct", label=label, base=base), PCT)]
        return cols

    @staticmethod
    def deltas(values: list[float | None], num: Num | None = None, compare: bool = True) -> list[Value]:
        """The plans' values, then each later plan's change and relative change against the first
        (blank when `compare` is False: values that are not the same quantity)."""
        wrap = (lambda v: v) if num is None else (lambda v: Cell(v, num))
        out: list[Value] = [wrap(v) for v in values]
        base = values[0]
        for v in values[1:]:
            d = None if v is None or base is None or not compare else v - base
            out += [wrap(d), None if d is None or not base else d / abs(base)]
        return out

    def union(self, lists: list[list[str]]) -> list[str]:
        """Ids in order of first appearance over every plan."""
        return list(dict.fromkeys(i for ids in lists for i in ids))

    def spec_with(self, part: str, *ids: str) -> "Spec":
        """The spec of the first plan whose `part` ('areas', 'sectors', 'resources', 'metrics') has all `ids`."""
        return next(r.spec for r in self.results if all(i in getattr(r.spec, part) for i in ids))

    # ------------------------------------------------------------------ whole
    def build(self, detail: bool) -> Report:
        """Every comparison section, in order."""
        sections = [self.variants(), self.resources(), self.areas()]
        if detail:
            sections.append(self.matrix())
        sections += [self.per_mu(), self.rule_changes(detail), self.shadow_moves()]
        header = [self.t("hdr_plans", label=self.labels[0]), *self.notes]
        if any(r.spec.units.names != self.spec.units.names for r in self.results):
            header.append(self.t("note_units_converted"))
        return Report(self.t("compare_title"), self.lang, header, sections)

    def table(self, key: str, title: str, columns: list[Column], rows: list[list[Value]],
              footer: list[list[Value]] | None = None, notes: list[str] | None = None) -> Table:
        """A table (the source line is in the report's header, once)."""
        return Table(key, title, columns, rows, footer or [], notes or [])

    # ------------------------------------------------------------- sections
    def variants(self) -> Section:
        """Status, solver, objective, new land and main-platform share of each plan."""
        obj, unit = objective_label(self.spec, self.lang)
        num = num_for_unit(unit)
        cols = [Column("no", self.t("col_no"), INT), Column("plan", self.t("col_plan")),
                Column("status", self.t("col_status")), Column("solver", self.t("col_solver"))]
        if self.same_objective:
            cols.append(Column("objective", self.t("col_objective", obj=obj, unit=unit), num))
        else:  # each plan's own objective, named, with its value in its own unit and no change
            cols += [Column("objective_name", self.t("col_objective_name")),
                     Column("objective", self.t("col_objective_value"), Num(2))]
        cols += [Column("change", self.t("col_change"), num), Column("change_pct", self.t("col_change_pct"), PCT),
                 Column("land", self.t("col_land", unit=self.lu), self.land_num),
                 Column("main_share", self.t("col_main_share"), PCT)]
        values = [None if r.objective is None else r.objective * self.objective_factor(k)
                  for k, r in enumerate(self.results)]
        names = self.objective_names()
        base = values[0]
        rows: list[list[Value]] = []
        for k, (label, res, f) in enumerate(zip(self.labels, self.results, self.facts)):
            v = values[k]
            d = None if k == 0 or v is None or base is None or not self.same_objective else v - base
            row: list[Value] = [k + 1, label, status_label(res.status, self.lang), res.solver]
            if self.same_objective:
                row.append(v)
            else:
                _, own_unit = objective_label(res.spec, self.lang)
                row += [names[k], Cell(res.objective, num_for_unit(own_unit))]
            row += [d, None if d is None or not base else d / abs(base),
                    f.total("land") * self.factor(k, "land") if f.has_allocation else None,
                    f.main_share("land") if f.has_allocation else None]
            rows.append(row)
        return Section("variants", self.t("sec_variants"), [], [self.table("variants", self.t("tbl_variants"), cols,
                                                                          rows, notes=self.objective_note())])

    def resources(self) -> Section:
        """Each resource's total use in each plan."""
        ids = self.union([list(r.spec.resources) for r in self.results])
        cols = [Column("no", self.t("col_no"), INT), Column("resource", self.t("col_resource")),
                Column("unit", self.t("col_unit")), *self.value_columns(Num(2))]
        rows: list[list[Value]] = []
        for i, rid in enumerate(ids, 1):
            spec = self.spec_with("resources", rid)
            values = [f.total(rid) * self.factor(k, rid) if rid in f.spec.resources and f.has_allocation else None
                      for k, f in enumerate(self.facts)]
            rows.append([i, resource_name(spec, rid, self.lang), self.unit_of(rid),
                         *self.deltas(values, self.num_of(rid))])
        return Section("resources", self.t("sec_cmp_resources"), [],
                       [self.table("cmp_resources", self.t("tbl_cmp_resources"), cols, rows)])

    def areas(self) -> Section:
        """New land by area in each plan, with a total row and a grouped bar chart."""
        ids = self.union([list(r.spec.areas) for r in self.results])
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                *self.value_columns(self.land_num)]
        land = [dict(zip(f.area_ids, (f.by_area("land") * self.factor(k, "land")).tolist())) if f.has_allocation else {}
                for k, f in enumerate(self.facts)]
        names = [area_name(self.spec_with("areas", a), a, self.lang) for a in ids]
        rows: list[list[Value]] = [[i, name, *self.deltas([d.get(a) for d in land])]
                                   for i, (a, name) in enumerate(zip(ids, names), 1)]
        totals = [float(sum(d.values())) if d else None for d in land]
        footer = [["", self.t("col_total"), *self.deltas(totals)]]
        chart = Chart("cmp_land", "grouped", self.t("tbl_cmp_areas", unit=self.lu), names,
                      [Series(label, [d.get(a) for a in ids]) for label, d in zip(self.labels, land)], unit=self.lu)
        table = self.table("cmp_areas", self.t("tbl_cmp_areas", unit=self.lu), cols, rows, footer)
        return Section("areas", self.t("sec_cmp_areas"), [], [table], [chart])

    def matrix(self) -> Section:
        """New land by (area, sector) pairs that get land in any plan."""
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("sector", self.t("col_sector")), *self.value_columns(self.land_num)]
        cells: list[dict[tuple[str, str], float]] = []
        for k, f in enumerate(self.facts):
            mat = f.land_matrix
            scale = self.factor(k, "land")
            cells.append({(f.area_ids[i], f.sector_ids[j]): float(mat[i, j]) * scale
                          for i, j in zip(*np.nonzero(mat > 1e-9 * max(1.0, float(mat.max(initial=0.0)))))})
        keys = list(dict.fromkeys(k for c in cells for k in c))
        order = {a: i for i, a in enumerate(self.union([list(r.spec.areas) for r in self.results]))}
        sorder = {s: i for i, s in enumerate(self.union([list(r.spec.sectors) for r in self.results]))}
        keys.sort(key=lambda k: (order[k[0]], sorder[k[1]]))
        rows: list[list[Value]] = []
        for n, (a, s) in enumerate(keys, 1):
            values = [c.get((a, s), 0.0) if f.has_allocation else None for c, f in zip(cells, self.facts)]
            rows.append([n, area_name(self.spec_with("areas", a), a, self.lang),
                         sector_name(self.spec_with("sectors", s), s, self.lang), *self.deltas(values)])
        table = self.table("cmp_matrix", self.t("tbl_cmp_matrix", unit=self.lu), cols, rows)
        return Section("matrix", self.t("sec_cmp_matrix"), [], [table])

    def per_mu(self) -> Section:
        """Per-mu value of every money metric after allocation (stock + new), by area and for the zone."""
        metrics = self.union([f.money_metrics() for f in self.facts])
        areas = self.union([list(r.spec.areas) for r in self.results])
        cols = [Column("no", self.t("col_no"), INT), Column("area", self.t("col_area")),
                Column("metric", self.t("col_metric")), *self.value_columns(INTENSITY)]
        per_mu = [{key: v * self.factor(k, key[1]) / self.factor(k, "land") for key, v in self.after_per_mu(f, metrics).items()}
                  for k, f in enumerate(self.facts)]
        rows: list[list[Value]] = []
        n = 0
        for a in [*areas, None]:
            for m in metrics:
                spec = self.spec_with("metrics", m)
                unit = f"{self.unit_of(m)}/{self.lu}"
                values = [p.get((a, m)) for p in per_mu]
                if all(v is None for v in values):
                    continue
                n += 1
                where = self.t("all_areas") if a is None else area_name(self.spec_with("areas", a), a, self.lang)
                rows.append([n, where, with_unit(metric_name(spec, m, self.lang), unit), *self.deltas(values)])
        notes = [self.t("note_cmp_zone_unknown")] if any(
            f.known_stock(a, m) is None for f in self.facts for a in f.area_ids for m in metrics
            if m in f.spec.metrics) else []
        return Section("per_mu", self.t("sec_cmp_per_mu"), [],
                       [self.table("cmp_per_mu", self.t("tbl_cmp_per_mu"), cols, rows, notes=notes)])

    @staticmethod
    def after_per_mu(f: Facts, metrics: list[str]) -> dict[tuple[str | None, str], float]:
        """{(area or None for the zone, metric): (stock + new metric) / (stock + new land)} where known."""
        out: dict[tuple[str | None, str], float] = {}
        if not f.has_allocation:
            return out
        land = f.by_area("land")
        for m in metrics:
            if m not in f.spec.metrics:
                continue
            new = f.by_area(m)
            zone = np.zeros(2)
            unknown = False  # an area with stock land but no figure for m: the zone's stock is unknown
            for i, a in enumerate(f.area_ids):
                sm, sl = f.known_stock(a, m), f.known_stock(a, "land") or 0.0
                unknown = unknown or sm is None
                if sm is None or sl + land[i] <= 1e-12:
                    continue
                out[(a, m)] = (sm + float(new[i])) / (sl + float(land[i]))
                zone += (sm + float(new[i]), sl + float(land[i]))
            if zone[1] > 1e-12 and not unknown:
                out[(None, m)] = float(zone[0] / zone[1])
        return out

    def rows_by_key(self) -> tuple[list[tuple], list[dict[tuple, "RowOut"]]]:
        """Every LP row key in order of first appearance, and each plan's rows by key."""
        maps = [{row_key(x): x for x in r.rows} for r in self.results]
        keys = list(dict.fromkeys(k for m in maps for k in m))
        return keys, maps

    def row_columns(self) -> list[Column]:
        """No., limit, group (and year in a multi-year comparison): the columns naming a row."""
        cols = [Column("no", self.t("col_no"), INT), Column("limit", self.t("col_limit")),
                Column("group", self.t("col_group"))]
        return cols + [Column("year", self.t("col_year"))] if self.multi_year else cols

    def describe(self, key: tuple, maps: list[dict[tuple, "RowOut"]]) -> tuple["RowOut", list[Value]]:
        """(row, [limit, group (, year)] cells) of a row key, as the first plan that has the row names it.

        A variant that renames the rule with its new bound (不低于60% -> 不低于75%) is named too: the
        plans' distinct names, in plan order, joined by ' / '.
        """
        res, x = next((r, m[key]) for r, m in zip(self.results, maps) if key in m)
        names = list(dict.fromkeys(row_label(m[key], self.lang) for m in maps if key in m))
        cells: list[Value] = [" / ".join(names), group_text(res.spec, x.group, self.lang)]
        return x, cells + [x.year] if self.multi_year else cells

    def rule_changes(self, detail: bool = False) -> Section:
        """Rows (rules, budgets, limits) whose status or bound is not the same in every plan, with each
        plan's bound (in the rule's own units) and status.

        A rule with more than `SUMMARY_LIMIT` changed rows (标准地 floors per area, sector and year) is
        shown, as in the solve report, by its tightest changed instance with the counts of rows whose
        status and bound changed, unless `detail`.
        """
        keys, maps = self.rows_by_key()
        cols = [*self.row_columns(), Column("side", self.t("col_side")), Column("unit", self.t("col_unit"))]
        for k, label in enumerate(self.labels):
            cols += [Column(f"b{k}", self.t("col_plan_bound", label=label), Num(2)), Column(f"s{k}", label)]
        changed: list[tuple[tuple, bool, bool, list[Value]]] = []  # key, status changed, bound changed, row
        for key in keys:
            present = [m.get(key) for m in maps]
            statuses = [row_status(x) if x is not None else "absent" for x in present]
            k0 = next(k for k, x in enumerate(present) if x is not None)
            first = present[k0]
            shown = self.units[k0].row(first)  # type: ignore[arg-type]
            bounds = [None if x is None else shown(x.bound * self.row_factor(x, first))  # type: ignore[arg-type]
                      for x in present]
            shown_bounds = {rounded(b, shown.num) for b in bounds if b is not None}
            status_changed, bound_changed = len(set(statuses)) > 1, len(shown_bounds) > 1
            if not (status_changed or bound_changed):
                continue
            x, cells = self.describe(key, maps)
            row: list[Value] = [0, *cells, self.t(f"side_{x.side}"), shown.unit]
            for b, st in zip(bounds, statuses):
                row += [Cell(b, shown.num), self.t(f"rs_{st}")]
            changed.append((key, status_changed, bound_changed, row))
        rows = [c[3] for c in changed] if detail else self.condense(changed, maps)
        notes: list[str] = []
        if len(rows) < len(changed):
            notes.append(self.t("note_cmp_summarised", limit=SUMMARY_LIMIT))
        for n, r in enumerate(rows, 1):
            r[0] = n
        return self.section_or_none("rules", "sec_cmp_rules", "cmp_rules", "tbl_cmp_rules", cols, rows, notes)

    def condense(self, changed: list[tuple[tuple, bool, bool, list[Value]]],
                 maps: list[dict[tuple, "RowOut"]]) -> list[list[Value]]:
        """The changed rows, a rule with more than `SUMMARY_LIMIT` of them replaced by its tightest one
        (in any plan: the largest violation, then binding, then the smallest slack, as shown), whose
        'applies to' cell gives the counts."""
        by_rule: dict[tuple, list[int]] = {}
        for i, (key, *_rest) in enumerate(changed):
            by_rule.setdefault((key[0], key[1]) if key[0] == "rule" else key, []).append(i)
        group_col = 2
        out: list[list[Value]] = []
        for ids in by_rule.values():
            if len(ids) <= SUMMARY_LIMIT:
                out += [changed[i][3] for i in ids]
                continue
            def tight(i: int) -> tuple:
                present = [(k, m[changed[i][0]]) for k, m in enumerate(maps) if changed[i][0] in m]
                return min(tightness(x, self.units[k].row(x)) for k, x in present)
            best = min(ids, key=lambda i: (tight(i), i))
            row = list(changed[best][3])
            row[group_col] = self.t("grp_cmp_summary", n=len(ids), status=sum(changed[i][1] for i in ids),
                                    bound=sum(changed[i][2] for i in ids), group=row[group_col] or "-")
            out.append(row)
        return out

    def shadow_moves(self) -> Section:
        """Rows whose shadow price differs between a plan and the first (per shown unit of the bound:
        per percentage point for shares, per tce/万元 for an intensity written in tce/万元)."""
        keys, maps = self.rows_by_key()
        obj, unit = objective_label(self.spec, self.lang)
        cols = [*self.row_columns(), Column("step", self.t("col_step")), *self.value_columns(PRICE)]
        rows: list[list[Value]] = []
        for key in keys:
            present = [m.get(key) for m in maps]
            x, cells = self.describe(key, maps)
            k0 = next(k for k, p in enumerate(present) if p is not None)
            shown = self.units[k0].row(x)
            # a price is per unit of the bound in the objective's unit, both in the plan's own units
            prices = [None if p is None or p.shadow_price is None else
                      p.shadow_price * shown.step * self.objective_factor(k) / self.row_factor(p, x)
                      for k, p in enumerate(present)]
            if not _moved(prices):
                continue
            rows.append([len(rows) + 1, *cells, shown.step_text(self.lang),
                         *self.deltas(prices, compare=self.same_objective)])
        notes = [self.t("note_shadow_sign", obj=obj)] + self.objective_note()
        notes += [f"{label}: {self.t('sum_duals')} = {self.t('no')}" for label, r in zip(self.labels, self.results)
                  if r.status == "optimal" and r.degenerate]
        return self.section_or_none("shadow", "sec_cmp_shadow", "cmp_shadow", "tbl_cmp_shadow", cols, rows, notes,
                                    unit=unit)

    def section_or_none(self, key: str, title: str, table_key: str, table_title: str, cols: list[Column],
                        rows: list[list[Value]], notes: list[str] | None = None, **kw: object) -> Section:
        """A section with its table, or with the sentence 'No differences.' when there are no rows."""
        if not rows:
            return Section(key, self.t(title), [self.t("note_no_change")])
        return Section(key, self.t(title), [], [self.table(table_key, self.t(table_title, **kw), cols, rows,
                                                           notes=notes)])


def _objective_key(spec: "Spec") -> tuple:
    """What makes two plans' objectives the same: each stage's sense and metric weights."""
    return tuple((st.sense, tuple(sorted(st.weights.items()))) for st in spec.stages)


def _moved(prices: list[float | None]) -> bool:
    """True when some plan's price differs from the first plan's (or one has a price and another not)."""
    base = prices[0]
    for p in prices[1:]:
        if (p is None) != (base is None):
            return True
        if p is not None and base is not None and abs(p - base) > MOVED_REL * max(1.0, abs(base)):
            return True
    return False
