"""Aggregates of one result's allocation, computed once with numpy.

Every total a report shows (land by area, by area and sector, by year; each
resource and metric by area) comes from here, so the solve report and the
comparison share one set of numbers. Sums use the allocation the engine
returned (``Result.x``, the relaxed one for an infeasible scenario) and the
per-mu coefficients of ``Spec.coef`` (realisation factor applied); a
resource's use counts its offset ratio, as the budget does.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from landopt.model.spec import Selector, Spec

if TYPE_CHECKING:  # pragma: no cover
    from landopt.engine.readback import Result

HIGH_TECH_TAG = "high_tech"
HIGH_TECH_WORDS = ("hitech", "high_tech", "hightech", "high-tech", "high tech", "高新", "高技术")
"""How a scenario names its metric of high-tech value added (`hitech_va`, 高新技术产业增加值)."""
MONEY_ORDER = ("output", "value_added", "tax")
"""The usual per-mu metrics, shown first in this order when the scenario has them."""


class Facts:
    """Numbers of one `landopt.engine.readback.Result` by area, sector and year."""

    def __init__(self, result: "Result") -> None:
        """Read the allocation of `result` (a zero allocation when it has none)."""
        self.result = result
        self.spec: Spec = result.spec
        model = result.model
        self.model = model
        self.area_ids: list[str] = list(model.area_ids)
        self.sector_ids: list[str] = list(model.sector_ids)
        self.years = model.years
        # "pairs" here are the model's contributors: the (area, sector) pairs of plain new land, then the
        # sites of candidate projects (a placed project is new land of its sector in its area)
        self.pair_area = model.c_area if model.c_area.size else model.pair_area
        self.pair_sector = model.c_sector if model.c_sector.size else model.pair_sector
        self.has_allocation = result.x is not None
        n_pairs = int(self.pair_area.size)
        self.X = (model.land(result.x) if result.x is not None
                  else np.zeros((n_pairs, model.T)))
        """Land given per (contributor, year), shape (contributors, years)."""
        self._coef: dict[str, np.ndarray] = {}
        self.exited: list[str] = model.exited(result.x) if result.x is not None else []
        """The areas that exit in this plan."""
        self.R = (model.renewal(result.x) if result.x is not None and model.renewal_keys
                  else np.zeros((len(model.renewal_keys), model.T)))
        """Renewal per (area, from, to) run (`Model.renewal_keys`) and year, in mu."""

    # ----------------------------------------------------------- coefficients
    def coef(self, metric: str) -> np.ndarray:
        """Per-pair coefficient of `metric` per mu of new land (the builder's when it has one)."""
        if metric not in self._coef:
            cached = self.model.per_mu(metric)
            if cached is not None:
                self._coef[metric] = cached
            elif metric == "land":
                self._coef[metric] = np.ones(self.pair_area.size)
            else:
                spec, a_ids, s_ids = self.spec, self.area_ids, self.sector_ids
                n_x = int(self.model.pair_area.size)
                sites = [(int(j), int(a)) for j, a in zip(self.model.site_project.tolist(),
                                                          self.model.site_area.tolist(), strict=True)]
                names = list(spec.projects)
                self._coef[metric] = np.fromiter(
                    [spec.coef(a_ids[a], s_ids[s], metric)
                     for a, s in zip(self.pair_area[:n_x].tolist(), self.pair_sector[:n_x].tolist(), strict=True)]
                    + [spec.project_coef(names[j], a_ids[a], metric) / spec.projects[names[j]].land
                       for j, a in sites],
                    dtype=float, count=self.pair_area.size)
        return self._coef[metric]

    def scale(self, metric: str) -> float:
        """Offset ratio of a resource (what its budget counts per unit of use), else 1."""
        r = self.spec.resources.get(metric)
        return r.offset if r is not None else 1.0

    # ------------------------------------------------------------------ sums
    @cached_property
    def land_by_pair(self) -> np.ndarray:
        """Land per pair over all years."""
        return self.X.sum(axis=1)

    def pair_year(self, metric: str) -> np.ndarray:
        """Flow of `metric` per (pair, year): what the land given that year adds (offset counted)."""
        return self.X * (self.coef(metric) * self.scale(metric))[:, None]

    def by_area_year(self, metric: str) -> np.ndarray:
        """Flow of `metric` per (area, year), shape (areas, years)."""
        flows = self.pair_year(metric)
        out = np.zeros((len(self.area_ids), len(self.years)))
        np.add.at(out, self.pair_area, flows)
        return out

    def level_by_area_year(self, metric: str) -> np.ndarray:
        """Level of `metric` of new land per (area, year), shape (areas, years): everything given so far, each
        year's grant at its ramp's share (达产; land itself is never ramped), offset counted."""
        m = self.model
        flows = self.X * (self.coef(metric) * self.scale(metric))[:, None]
        if metric == "land" or m.ramp_id.size != flows.shape[0]:
            lv = np.cumsum(flows, axis=1)
        else:
            lv = m.levels(flows, m.ramp_id)
        out = np.zeros((len(self.area_ids), len(self.years)))
        np.add.at(out, self.pair_area, lv)
        return out

    def by_area(self, metric: str) -> np.ndarray:
        """`metric` of all new land per area (the final year's level, ramped), offset counted."""
        if metric != "land" and self.model.ramp_tab.shape[0] > 1:
            return self.level_by_area_year(metric)[:, -1]
        w = self.land_by_pair * self.coef(metric) * self.scale(metric)
        return np.bincount(self.pair_area, weights=w, minlength=len(self.area_ids))

    # ------------------------------------------------------------ stock moves
    @property
    def moves_stock(self) -> bool:
        """True when the plan can change the stock (areas that may exit, renewal)."""
        return bool(self.model.exit_areas or self.model.renewal_keys)

    def avg_stock(self, area: str, sector: str, metric: str) -> float:
        """Sector `sector`'s average stock figure per mu in `area` (1 for land; 0 when not given)."""
        if metric == "land":
            return 1.0
        row = self.spec.areas[area].by_sector.get(sector, {})
        land = row.get("land", 0.0)
        return row.get(metric, 0.0) / land if land > 0 else 0.0

    def renewal_gain_year(self, metric: str) -> np.ndarray:
        """Level of `metric` that renewal adds per (area, year) (the targets' figures, ramped)."""
        m = self.model
        out = np.zeros((len(self.area_ids), len(self.years)))
        if not m.renewal_keys:
            return out
        a_index = {a: i for i, a in enumerate(self.area_ids)}
        s_index = {s: j for j, s in enumerate(self.sector_ids)}
        coef = np.array([self.spec.coef(a, s, metric) for a, _, s in m.renewal_keys])
        flows = self.R * coef[:, None]
        ramp = np.array([m.sector_ramp[s_index[s]] for _, _, s in m.renewal_keys], dtype=np.int64)
        lv = np.cumsum(flows, axis=1) if metric == "land" else m.levels(flows, ramp)
        np.add.at(out, [a_index[a] for a, _, _ in m.renewal_keys], lv)
        return out

    def renewal_loss_year(self, metric: str) -> np.ndarray:
        """Level of `metric` that renewal takes away per (area, year) (the sources' average stock figures)."""
        m = self.model
        out = np.zeros((len(self.area_ids), len(self.years)))
        if not m.renewal_keys:
            return out
        a_index = {a: i for i, a in enumerate(self.area_ids)}
        avg = np.array([self.avg_stock(a, f, metric) for a, f, _ in m.renewal_keys])
        np.add.at(out, [a_index[a] for a, _, _ in m.renewal_keys], np.cumsum(self.R, axis=1) * avg[:, None])
        return out

    def stock_change_year(self, area: str, metric: str) -> np.ndarray:
        """What the plan changes in the area's stock of `metric`, per year (a level): all of it gone when the
        area exits, else renewal's gain less its loss."""
        i = self.area_ids.index(area)
        if area in self.exited:
            return np.full(len(self.years), -(self.known_stock(area, metric) or 0.0))
        return self.renewal_gain_year(metric)[i] - self.renewal_loss_year(metric)[i]

    def stock_after(self, area: str, metric: str) -> float | None:
        """The area's stock of `metric` in the final year, after exits and renewal (None when unknown)."""
        v = self.known_stock(area, metric)
        if v is None:
            return None
        return v + float(self.stock_change_year(area, metric)[-1]) if self.moves_stock else v

    def by_area_tagged(self, metric: str, tag: str) -> np.ndarray:
        """`metric` of new land per area, counting only sectors that carry `tag`."""
        tagged = np.array([tag in self.spec.sectors[s].tags for s in self.sector_ids], dtype=bool)
        keep = tagged[self.pair_sector] if self.pair_sector.size else np.zeros(0, dtype=bool)
        w = np.where(keep, self.land_by_pair * self.coef(metric), 0.0)
        return np.bincount(self.pair_area, weights=w, minlength=len(self.area_ids))

    def total(self, metric: str) -> float:
        """`metric` of all new land, offset counted."""
        return float(self.by_area(metric).sum())

    @cached_property
    def land_matrix(self) -> np.ndarray:
        """Land per (area, sector) over all years, shape (areas, sectors)."""
        out = np.zeros((len(self.area_ids), len(self.sector_ids)))
        np.add.at(out, (self.pair_area, self.pair_sector), self.land_by_pair)
        return out

    @cached_property
    def allowed(self) -> np.ndarray:
        """Whether each (area, sector) may receive land, shape (areas, sectors) (by plain new land or projects)."""
        out = np.zeros((len(self.area_ids), len(self.sector_ids)), dtype=bool)
        out[self.pair_area, self.pair_sector] = True
        s_index = {s: j for j, s in enumerate(self.sector_ids)}
        for i, a in enumerate(self.area_ids):
            for s in self.spec.areas[a].allowed:
                out[i, s_index[s]] = True
        return out

    @cached_property
    def main_areas(self) -> np.ndarray:
        """Mask of the areas whose role is `main`."""
        return np.array([self.spec.areas[a].role == "main" for a in self.area_ids], dtype=bool)

    def main_share(self, metric: str) -> float | None:
        """Share of `metric` going to main-platform areas (None when nothing is given)."""
        by = self.by_area(metric)
        tot = float(by.sum())
        return float(by[self.main_areas].sum()) / tot if tot > 0 else None

    # ------------------------------------------------------------------ stock
    def stock(self, area: str, metric: str) -> float | None:
        """The area's existing total of `metric` (None when the scenario does not give it)."""
        return self.spec.areas[area].existing.get(metric)

    @cached_property
    def uses_stock(self) -> bool:
        """True when some area of the scenario gives its existing stock."""
        return any(a.existing or a.by_sector for a in self.spec.areas.values())

    def stock_given(self, area: str) -> bool:
        """False for an area that gives no `existing` in a scenario where others do: its stock is not
        provided (未提供), not zero. `existing: {land: 0}` says an area is new, with no stock."""
        a = self.spec.areas[area]
        return bool(a.existing or a.by_sector) or not self.uses_stock

    def known_stock(self, area: str, metric: str) -> float | None:
        """The area's existing `metric`: 0 for an area without stock land, None when unknown.

        An area that has stock land but no figure for `metric` has an unknown stock (None), and so has
        an area that gives no `existing` at all while other areas do (`stock_given`); an area whose stock
        land is 0 (a new area) has none of anything.
        """
        if not self.stock_given(area):
            return None
        v = self.stock(area, metric)
        if v is not None:
            return v
        if metric == "land" or not self.stock(area, "land"):
            return 0.0
        return None

    def stock_tagged(self, area: str, metric: str, tag: str) -> float | None:
        """Existing `metric` of the area's `by_sector` entries whose sector carries `tag`.

        0 for an area without stock of `metric`; None when the area has some but `by_sector` does
        not split it (the tagged part is unknown, not zero).
        """
        total = self.known_stock(area, metric)
        if total is None:
            return None
        a = self.spec.areas[area]
        split = [(s, row[metric]) for s, row in a.by_sector.items() if metric in row]
        if not split:
            return 0.0 if total == 0 else None
        return sum(v for s, v in split if tag in self.spec.sectors[s].tags)

    # ------------------------------------------------------------- selections
    def pair_mask(self, sel: Selector) -> np.ndarray:
        """Which pairs a selection (of areas and sectors) holds."""
        keep = np.ones(self.pair_area.size, dtype=bool)
        if sel.areas is not None:
            areas = np.array([a in sel.areas for a in self.area_ids], dtype=bool)
            keep &= areas[self.pair_area]
        if sel.sectors is not None:
            sectors = np.array([s in sel.sectors for s in self.sector_ids], dtype=bool)
            keep &= sectors[self.pair_sector]
        return keep

    def final_by_pair(self, metric: str) -> np.ndarray:
        """`metric` of each pair's new land in the final year's level (ramped), offset counted."""
        m = self.model
        if metric != "land" and m.ramp_tab.shape[0] > 1 and m.ramp_id.size == self.X.shape[0]:
            flows = self.X * (self.coef(metric) * self.scale(metric))[:, None]
            return m.levels(flows, m.ramp_id)[:, -1]
        return self.land_by_pair * self.coef(metric) * self.scale(metric)

    def selection_new(self, sel: Selector, metric: str) -> float:
        """`metric` of all new land in the selection (the final year's level), offset counted."""
        return float(self.final_by_pair(metric)[self.pair_mask(sel)].sum())

    def selection_stock(self, sel: Selector, metric: str) -> float | None:
        """Existing `metric` in the selection, as a rule counts it (by sector when the selection names
        sectors); None when an area of the selection has stock land but no figure for `metric`."""
        total = 0.0
        for a in self.area_ids:
            if not sel.has_area(a):
                continue
            if sel.filters_sectors:
                area = self.spec.areas[a]
                total += sum(row.get(metric, 0.0) for s, row in area.by_sector.items() if sel.has_sector(s))
                continue
            v = self.known_stock(a, metric)
            if v is None:
                return None
            total += v
        return total

    # ---------------------------------------------------------------- metrics
    def money_metrics(self) -> list[str]:
        """Money metrics other than resources (output, value added, tax first), for performance tables."""
        spec = self.spec
        ids = [m for m, met in spec.metrics.items()
               if met.dim is not None and met.dim.num == "money" and met.dim.den is None
               and m not in spec.resources]
        first = [m for m in MONEY_ORDER if m in ids]
        return first + [m for m in ids if m not in first]

    def energy_metric(self) -> str | None:
        """The metric measured in energy (the resource `energy` when there is one)."""
        spec = self.spec
        ids = [m for m, met in spec.metrics.items() if met.dim is not None and met.dim.num == "energy"
               and met.dim.den is None]
        if "energy" in ids:
            return "energy"
        return ids[0] if ids else None

    def has_high_tech(self) -> bool:
        """True when the scenario measures high tech: a high-tech metric, or a sector tagged `high_tech`."""
        return self.high_tech_metric is not None or any(HIGH_TECH_TAG in s.tags for s in self.spec.sectors.values())

    @cached_property
    def high_tech_metric(self) -> str | None:
        """The scenario's metric of high-tech value added (`hitech_va` in the seed scenarios), if any.

        A money metric named as high tech (id or name: hitech, high_tech, 高新, ...); one that a rule
        measures per value added (PJ-4, JX-4: ``hitech_va per value_added >= 45%``) comes first.
        When the scenario has one, the high-tech share is that metric over value added, as its rules
        measure it, rather than the value added of sectors tagged `high_tech`.
        """
        spec = self.spec
        named = [m for m in self.money_metrics() if m != "value_added"
                 and any(w in f"{m} {spec.metric_name(m)}".lower() for w in HIGH_TECH_WORDS)]
        ruled = {r.metric for r in spec.rules if r.kind == "intensity" and r.per == "value_added"}
        return next((m for m in named if m in ruled), named[0] if named else None)
