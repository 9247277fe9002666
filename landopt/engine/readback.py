"""The result of a solve, in the scenario's own terms.

`Result.to_dict()` is the JSON of the contract (SCENARIO_FORMAT.md, "The JSON
result"), with extra keys documented in docs/format.md. Numbers are rounded
to 10 significant digits and -0.0 is written as 0.0, so output is
byte-identical from run to run. The DataFrame properties import pandas lazily.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from landopt.engine.explain import explain, stage_explain, unbounded_hint
from landopt.errors import Issue
from landopt.model.build import MAX, Model
from landopt.model.limits import Limit, LimitKey
from landopt.model.spec import Area, Resource, Sector, Spec, Year
from solvers import SolveResult, Status

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

ZERO = 1e-9
BINDING_TOL = 1e-6
"""A row within this (relative to its bound) of its bound binds; never less than the backend's accuracy."""
DEFAULT_ACCURACY = 1e-9
"""The accuracy assumed of an answer whose backend declared none (exact simplex)."""
RANK_MAX_ENTRIES = 4_000_000
"""Largest active submatrix whose rank `_degenerate` computes (dense); beyond it duals are not claimed unique."""
DEGENERATE_ABS_TOL = 1e-7
"""A bound counts as active in `_degenerate` within this, or the backend's accuracy relative to the row's terms."""


def clean(v: float | None, digits: int = 10) -> float | None:
    """Round to `digits` significant digits; -0.0 and tiny values become 0.0; NaN becomes None."""
    if v is None:
        return None
    v = float(v)
    if math.isnan(v) or math.isinf(v):
        return None
    if abs(v) < 1e-11:
        return 0.0
    r = float(f"{v:.{digits}g}")
    return 0.0 if r == 0 else r


@dataclass
class RowOut:
    """One LP row read back: a budget, a limit or a rule, one group, one year, one side."""

    kind: str
    id: str
    name: str
    """The rule's name, or the name of the resource, area or sector the limit belongs to."""
    group: dict[str, str]
    year: Year
    side: str  # min | max
    bound: float
    value: float | None
    """The achieved quantity in the bound's units (a ratio for share/intensity rules)."""
    slack: float | None
    binding: bool
    shadow_price: float | None
    violation: float
    unit: str
    soft: bool
    relaxed: float | None = None
    rule_kind: str | None = None
    row: int = -1
    name_en: str | None = None
    """The English name of what `name` names, when the scenario gives one."""
    placed: bool | None = None
    """For a row of one project (`each: project`): whether that project is placed (anywhere); else None."""


@dataclass
class DiagnosisEntry:
    """How far one bound had to move to make the scenario feasible."""

    target: str
    id: str
    name: str
    group: dict[str, str]
    year: Year
    bound: str
    value: float
    relaxed: float
    unit: str
    key: LimitKey | tuple[Any, ...] = field(repr=False, default=())
    name_en: str | None = None
    """The English name of the rule or resource, when the scenario gives one."""

    def text(self, lang: str = "en") -> str:
        """'per-mu-tax @ zhengjiawu: min 30 → 24.3 万元/亩'."""
        if self.target == "rule":
            head = self.id
        elif self.target == "budget":
            head = f"{'预算' if lang == 'zh' else 'budget'} {self.id}"
        else:
            head = f"{self.target} {self.id}"
        at = ",".join(self.group.values())
        if at:
            head += f" @ {at}"
        if self.year is not None:
            head += f" ({self.year})"
        side = "" if self.target == "budget" else f"{self.bound} "
        return f"{head}: {side}{_fmt(self.value)} → {_fmt(self.relaxed)} {self.unit}".rstrip()

    def to_dict(self) -> dict[str, Any]:
        return {"target": self.target, "id": self.id, "name": self.name, **_name_en(self), "group": self.group,
                "year": self.year, "bound": self.bound, "value": clean(self.value), "relaxed": clean(self.relaxed),
                "unit": self.unit, "text": self.text()}


def _name_en(named: Any) -> dict[str, str]:
    """``{"name_en": ...}`` for a JSON entry when the scenario gives its thing an English name, else nothing."""
    return {"name_en": named.name_en} if named.name_en else {}


def _fmt(v: float) -> str:
    r = clean(v, 6)
    if r is None:
        return "?"
    return f"{r:,.0f}" if abs(r) >= 1e5 else f"{r:g}"


@dataclass(frozen=True)
class OneSided:
    """The exact change of the objective per unit of a bound, each way.

    Attributes:
        loosen: Improvement per unit when the bound is loosened (>= 0).
        tighten: Worsening per unit when it is tightened (>= 0); None when the
            tightened plan is infeasible.
        step: The step the bound was moved by, in the bound's units.
    """

    loosen: float | None
    tighten: float | None
    step: float


    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{"loosen", "tighten", "step"}`` (None where the tightened plan is infeasible)."""
        return {"loosen": self.loosen, "tighten": self.tighten, "step": self.step}


@dataclass
class Sensitivity:
    """One-sided changes of the limits that were re-solved, keyed by LP row index."""

    changes: dict[int, OneSided]
    skipped: int
    """Binding limits left out because of `MAX_ROWS` or the time limit."""
    tightened: bool = True
    """False when only the loosening side was measured (a sweep's point: its summary quotes that side alone);
    every `OneSided.tighten` is then None without meaning an infeasible tightening."""


@dataclass
class MipInfo:
    """How the MILP that decided the yes/no decisions ended."""

    status: str
    """'optimal' (proven to the gap asked for), 'time_limit', ..."""
    objective: float | None
    bound: float | None
    """The best proven bound on the first stage's optimum, when the solver gives one."""
    gap: float | None
    """Relative gap |objective - bound| / max(|objective|, 1), when both are known."""
    gap_asked: float
    native_status: str

    @classmethod
    def of(cls, res: SolveResult, status: Status, gap_asked: float) -> MipInfo:
        """From the MILP solve of the last stage that was solved."""
        gap = None
        if res.objective is not None and res.bound is not None:
            gap = abs(res.objective - res.bound) / max(abs(res.objective), 1.0)
        return cls("optimal" if status == Status.OPTIMAL else status.value, res.objective, res.bound, gap,
                   gap_asked, res.native_status or res.message)

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "gap": clean(self.gap), "bound": clean(self.bound),
                "gap_asked": self.gap_asked, "solver_status": self.native_status}


@dataclass
class Diagnosis:
    """The elastic solve's answer for an infeasible scenario."""

    entries: list[DiagnosisEntry]
    x: np.ndarray | None
    status: Status
    message: str = ""


@dataclass
class Result:
    """A solved (or diagnosed) scenario."""

    model: Model
    status: str
    solver: str
    x: np.ndarray | None
    objective: float | None
    stages: list[dict[str, Any]]
    rows: list[RowOut]
    diagnosis: list[DiagnosisEntry] | None
    message: str
    info: Any
    checker: dict[str, Any] = field(default_factory=dict)
    warnings: list[Issue] = field(default_factory=list)
    """`landopt.errors.Issue` warnings about the solve (no duals, wide coefficient range)."""
    degenerate: bool = False
    mip: MipInfo | None = None
    """How the MILP ended, for a scenario with yes/no decisions (its prices are then those of the LP with
    every decision fixed: JSON ``"duals": "fixed"``)."""
    sensitivity: Sensitivity | None = None
    """Exact one-sided changes of the limits re-solved (`landopt.engine.sensitivity`), measured by the
    engine when the duals cannot be quoted alone; None otherwise."""
    explain: Any = None
    """landopt's own account of a result that is not optimal, in both languages (a `messages.Bi`),
    for reports; `message` keeps the solver's words (and is what the JSON carries)."""

    # ------------------------------------------------------------ factories
    @classmethod
    def solved(cls, model: Model, x: np.ndarray, first_duals: np.ndarray | None, status: Status,
               first: SolveResult, info: Any, failed: tuple[int, SolveResult] | None = None) -> Result:
        """An allocation `x` (the last stage's, or the one before `failed`: (stage index, its solve))."""
        st = "optimal" if status == Status.OPTIMAL else status.value
        accuracy = getattr(info, "accuracy", DEFAULT_ACCURACY)
        prices = shadow_prices(model, first.x if first.x is not None else x, first_duals)
        rows = read_rows(model, x, prices, accuracy)
        stages = stage_values(model, x)
        degenerate = _degenerate(model, first.x, accuracy) if first.x is not None else False
        message = first.message if st != "optimal" else ""
        why = None if st == "optimal" else explain(st, True, model, info.backend)
        if failed is not None:
            k, res = failed
            message = f"stage {k + 1}: {res.message or res.status.value}"  # the solver's words; `why` explains
            why = stage_explain(model, k, info.backend)
        return cls(model=model, status=st, solver=info.backend, x=x, objective=stages[0]["value"],
                   stages=stages, rows=rows, diagnosis=None, message=message,
                   info=info, degenerate=degenerate, warnings=list(info.warnings), explain=why)

    @classmethod
    def from_diagnosis(cls, model: Model, diag: Diagnosis, first: SolveResult, info: Any) -> Result:
        if not diag.entries and diag.status == Status.OPTIMAL:
            return cls.failed(model, first, info, status="unbounded")
        x = diag.x
        rows = read_rows(model, x, np.full(model.row_inst.size, np.nan),
                         getattr(info, "accuracy", DEFAULT_ACCURACY)) if x is not None else []
        for e in diag.entries:
            for r in rows:
                if r.row >= 0 and model.instances[model.row_inst[r.row]].key(
                        MAX if r.side == "max" else -1) == e.key:
                    r.relaxed = e.relaxed + (model.reclaimed(x).get((r.id, r.year), 0.0)
                                             if r.kind == "budget" and x is not None else 0.0)
        stages = stage_values(model, x) if x is not None else []
        return cls(model=model, status="infeasible", solver=info.backend, x=x, objective=None, stages=stages,
                   rows=rows, diagnosis=diag.entries, message=diag.message, info=info, warnings=list(info.warnings))

    @classmethod
    def failed(cls, model: Model, first: SolveResult, info: Any, status: str) -> Result:
        msg = first.message
        if status == "unbounded":
            msg = unbounded_hint(model).en
        x = first.x if first.x is not None and status in ("time_limit", "iteration_limit", "interrupted") else None
        rows = read_rows(model, x, np.full(model.row_inst.size, np.nan),
                         getattr(info, "accuracy", DEFAULT_ACCURACY)) if x is not None else []
        stages = stage_values(model, x) if x is not None else []
        return cls(model=model, status=status, solver=info.backend, x=x,
                   objective=stages[0]["value"] if stages else None, stages=stages, rows=rows, diagnosis=None,
                   message=msg, info=info, explain=explain(status, x is not None, model, info.backend))

    # ------------------------------------------------------------- queries
    @property
    def spec(self) -> Spec:
        return self.model.spec

    @property
    def ok(self) -> bool:
        """True for an optimal result."""
        return self.status == "optimal"

    def allocation_records(self) -> list[dict[str, Any]]:
        """Every nonzero x: area, sector, year, land."""
        if self.x is None:
            return []
        m = self.model
        X = m.allocation(self.x)
        cut = ZERO * max(1.0, float(np.abs(X).max(initial=0.0)))  # the same for every entry: computed once
        rows = X.tolist()
        out = []
        for p, (ai, si) in enumerate(zip(m.pair_area.tolist(), m.pair_sector.tolist(), strict=True)):
            a = m.area_ids[ai]
            s = m.sector_ids[si]
            row = rows[p]
            for t, y in enumerate(m.years):
                v = row[t]
                if abs(v) > cut:
                    out.append({"area": a, "sector": s, "year": y, "land": clean(v)})
        return out

    def _one_sided(self, r: RowOut) -> dict[str, Any]:
        """``{"one_sided": {...}}`` for a row the engine re-solved (see `sensitivity`), else nothing."""
        one = self.sensitivity.changes.get(r.row) if self.sensitivity is not None else None
        return {"one_sided": one.to_dict()} if one is not None else {}

    def resource_records(self) -> list[dict[str, Any]]:
        out = []
        for r in self.rows:
            if r.kind != "budget":
                continue
            res = self.spec.resources[r.id]
            out.append({"resource": r.id, "name": res.name, **_name_en(res), "year": r.year,
                        "used": clean(r.value), "budget": clean(r.bound), "unit": r.unit,
                        "shadow_price": clean(r.shadow_price), "binding": r.binding, "accounting": res.accounting,
                        "relaxed": clean(r.relaxed), **self._one_sided(r)})
        return out

    def rule_records(self) -> list[dict[str, Any]]:
        out = []
        for r in self.rows:
            if r.kind != "rule":
                continue
            out.append({"id": r.id, "name": r.name, **_name_en(r), "kind": r.rule_kind, "group": r.group,
                        "year": r.year, "lhs": clean(r.value), "bound": clean(r.bound),
                        "sense": ">=" if r.side == "min" else "<=", "unit": r.unit, "binding": r.binding,
                        "shadow_price": clean(r.shadow_price), "violation": clean(r.violation),
                        "slack": clean(r.slack), "soft": r.soft, "relaxed": clean(r.relaxed), **self._one_sided(r)})
        return out

    def limit_records(self) -> list[dict[str, Any]]:
        out = []
        for r in self.rows:
            if r.kind in ("budget", "rule"):
                continue
            out.append({"limit": r.kind, "id": r.id, **({"group": r.group} if r.group else {}),
                        "used": clean(r.value), "bound": clean(r.bound),
                        "sense": ">=" if r.side == "min" else "<=", "unit": r.unit, "binding": r.binding,
                        "shadow_price": clean(r.shadow_price), "relaxed": clean(r.relaxed), **self._one_sided(r)})
        return out

    def project_records(self) -> list[dict[str, Any]]:
        """Every candidate project: placed or not, where and from which year."""
        spec, m = self.spec, self.model
        if not spec.projects:
            return []
        where: dict[int, tuple[str, Year]] = {}
        z = m.cols.block("z")
        if self.x is not None and z.size:
            Z = z.of(self.x).reshape(-1, m.T)
            for q, t in zip(*np.nonzero(Z > 0.5), strict=True):
                where[int(m.site_project[q])] = (m.area_ids[m.site_area[q]], m.years[t])
        out = []
        for j, p in enumerate(spec.projects.values()):
            area, year = where.get(j, (None, None))
            out.append({"project": p.id, "name": p.name, **_name_en(p), "placed": j in where, "area": area,
                        "year": year, "land": clean(p.land), "sector": p.sector})
        return out

    def exit_records(self) -> list[dict[str, Any]]:
        """Every area that may exit: whether it does."""
        m = self.model
        gone = set(m.exited(self.x)) if self.x is not None else set()
        return [{"area": a, "exit": a in gone} for a in m.exit_areas]

    def renewal_records(self) -> list[dict[str, Any]]:
        """Every nonzero renewal: area, from sector, to sector, year, land (mu)."""
        m = self.model
        if self.x is None or not m.renewal_keys:
            return []
        R = m.renewal(self.x)
        cut = ZERO * max(1.0, float(np.abs(R).max(initial=0.0)))
        out = []
        for q, (a, f, s) in enumerate(m.renewal_keys):
            for t, y in enumerate(m.years):
                v = float(R[q, t])
                if abs(v) > cut:
                    out.append({"area": a, "from": f, "to": s, "year": y, "land": clean(v)})
        return out

    def to_dict(self) -> dict[str, Any]:
        """The JSON result (see the module docstring)."""
        spec = self.spec
        d: dict[str, Any] = {
            "status": self.status,
            "objective": clean(self.objective),
            "solver": self.solver,
            "scenario": {"name": spec.name, **_name_en(spec), "region": spec.region,
                         "years": [y for y in spec.years if y is not None] or None},
            "units": dict(spec.units.names),
            "objective_unit": _objective_unit(spec),
            "stages": [{**s, "value": clean(s["value"])} for s in self.stages],
            "allocation": self.allocation_records(),
            "resources": self.resource_records(),
            "limits": self.limit_records(),
            "rules": self.rule_records(),
        }
        if self.spec.projects:
            d["projects"] = self.project_records()
        if self.model.exit_areas:
            d["exits"] = self.exit_records()
        if self.model.renewal_keys:
            d["renewal"] = self.renewal_records()
        if self.mip is not None:
            d["mip"] = self.mip.to_dict()
            d["duals"] = "fixed"
        if self.diagnosis is not None:
            d["diagnosis"] = [e.to_dict() for e in self.diagnosis]
        if self.message:
            d["message"] = self.message
        if self.explain is not None:
            d["explain"] = self.explain.en
        d["duals_unique"] = not self.degenerate if self.status == "optimal" else None
        if self.sensitivity is not None:
            d["one_sided_skipped"] = self.sensitivity.skipped
        d["checker"] = self.checker
        if self.warnings:
            d["warnings"] = [w.format("en") for w in self.warnings]
        return d

    def to_json(self, indent: int | None = 2) -> str:
        """The JSON text (UTF-8, Chinese kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, allow_nan=False)

    # ----------------------------------------------------------- DataFrames
    @property
    def allocation(self) -> pd.DataFrame:
        """pandas DataFrame: area, sector, year, land."""
        import pandas as pd  # lazy: pandas (0.13 s) only for the DataFrame properties

        return pd.DataFrame(self.allocation_records(), columns=["area", "sector", "year", "land"])

    @property
    def resources(self) -> pd.DataFrame:
        """pandas DataFrame of budgets: resource, year, used, budget, shadow_price, ..."""
        import pandas as pd  # lazy: pandas (0.13 s) only for the DataFrame properties

        return pd.DataFrame(self.resource_records())

    @property
    def rules(self) -> pd.DataFrame:
        """pandas DataFrame of rule rows: id, group, year, lhs, bound, sense, binding, shadow_price, violation."""
        import pandas as pd  # lazy: pandas (0.13 s) only for the DataFrame properties

        recs = self.rule_records()
        for r in recs:
            r["group"] = ",".join(f"{k}={v}" for k, v in r["group"].items())
        return pd.DataFrame(recs)


def _objective_unit(spec: Spec) -> str:
    st = spec.stages[0]
    units = {spec.unit_of(m) for m in st.weights}
    return units.pop() if len(units) == 1 else ""


def read_rows(model: Model, x: np.ndarray, prices: np.ndarray, accuracy: float = DEFAULT_ACCURACY) -> list[RowOut]:
    """Every LP row read back at x in its own units.

    A row binds (and a violation counts) beyond ``max(BINDING_TOL, accuracy)`` relative to its bound, so
    a first-order backend's answer, good to its declared `accuracy`, is read as it is meant.
    """
    spec = model.spec
    tol = max(BINDING_TOL, accuracy)
    num, den = model.measured(x)
    back = model.reclaimed(x)  # a budget shows its use, against the budget plus what exits return to it
    placed_projects = _placed_projects(model, x)
    out = []
    # plain Python numbers: the loop reads each one a few times, and a numpy scalar is slow to read and to add
    row_inst, row_side, row_bound = model.row_inst.tolist(), model.row_side.tolist(), model.row_bound.tolist()
    row_slack, price_of = model.row_slack.tolist(), np.asarray(prices, dtype=float).tolist()
    num, den, xs = np.asarray(num, dtype=float).tolist(), np.asarray(den, dtype=float).tolist(), x.tolist()
    for r in range(len(row_inst)):
        k = row_inst[r]
        inst = model.instances[k]
        if inst.kind.internal:  # a project placed once, a yes/no's link: they hold the model together
            continue
        group = inst.group_dict
        side = "max" if row_side[r] == MAX else "min"
        bound = row_bound[r]
        value = (num[k] / den[k] if den[k] > ZERO else None) if inst.ratio else num[k]
        # slack on the linear form, then in the bound's units
        lin = num[k] - bound * den[k] if inst.ratio else num[k] - bound
        lin_slack = -lin if side == "max" else lin
        violation = max(0.0, -lin_slack)
        scale = max(1.0, abs(bound) * (abs(den[k]) if inst.ratio else 1.0))
        binding = abs(lin_slack) <= tol * scale
        price = price_of[r] if r < len(price_of) else math.nan
        if inst.ratio and abs(den[k]) <= ZERO and abs(num[k]) <= ZERO:
            # a ratio over an empty group (no land there) holds as 0 >= 0: it binds only if it is
            # what keeps land out (a 标准地 floor a sector fails), i.e. when its shadow price is not 0
            binding = bool(not math.isnan(price) and abs(price) > 1e-9)
        slack = None if value is None else ((bound - value) if side == "max" else (value - bound))
        slack_col = row_slack[r]
        if slack_col >= 0:
            violation = max(violation, xs[slack_col])
        if violation <= tol * scale:
            violation = 0.0
        rule = inst.rule
        if rule is not None and rule.kind == "count":
            # a count holds yes/no decisions only; with them fixed its row has no price (a re-solve of the
            # MILP with the bound moved by one item measures its worth: `sensitivity.count_changes`)
            price = math.nan
        if "project" in group:
            # a 标准地 screen of one project (`each: project`) holds that project's yes/no decisions only: with
            # them fixed its row is a constant, and a price on it would mean nothing
            price = math.nan
            binding = binding and abs(den[k] if inst.ratio else 1.0) > ZERO
        named = rule if rule is not None else _limit_owner(spec, inst.kind, inst.id)
        plus = back.get((inst.id, inst.year), 0.0) if inst.kind is Limit.BUDGET else 0.0
        if plus:
            value, bound = (None if value is None else value + plus), bound + plus
            slack = None if value is None else ((bound - value) if side == "max" else (value - bound))
        out.append(RowOut(
            kind=inst.kind, id=inst.id, name=named.name, group=group, year=inst.year, side=side, bound=bound,
            value=value, slack=slack, binding=bool(binding), shadow_price=None if math.isnan(price) else price,
            violation=violation, unit=inst.unit, soft=rule is not None and rule.soft,
            rule_kind=rule.kind if rule is not None else None, row=r, name_en=named.name_en,
            placed=(group["project"] in placed_projects) if "project" in group else None,
        ))
    return out


def _placed_projects(model: Model, x: np.ndarray) -> set[str]:
    """The ids of the projects placed in a solution `x` (every column)."""
    z = model.cols.block("z")
    if not z.size:
        return set()
    Z = z.of(x).reshape(-1, model.T)
    names = list(model.spec.projects)
    return {names[int(model.site_project[q])] for q in np.flatnonzero((Z > 0.5).any(axis=1))}


def _limit_owner(spec: Spec, kind: Limit, id_: str) -> Resource | Area | Sector:
    """What a built-in limit belongs to: the resource of a budget, the area or the sector of a land limit."""
    owner = Limit(kind).owner
    if owner == "resource":
        return spec.resources[id_]
    return spec.areas[id_] if owner == "area" else spec.sectors[id_]


def stage_values(model: Model, x: np.ndarray) -> list[dict[str, Any]]:
    """Each stage's value at x (stage 1 includes soft-rule penalties)."""
    out = []
    for k, st in enumerate(model.spec.stages):
        c = model.stage_objective(k)
        out.append({"name": st.name, **_name_en(st), "sense": st.sense, "value": float(c @ x)})
    return out


def _degenerate(model: Model, x: np.ndarray, accuracy: float = DEFAULT_ACCURACY) -> bool:
    """A basic solution is primal degenerate when more bounds are active than there are columns.

    A bound is active within ``DEGENERATE_ABS_TOL`` (plus 1e-9 of the bound), or within the backend's
    `accuracy` relative to the size of the row's terms (``1 + |bound| + sum |a_ij x_j|``, the measure
    `solvers` uses): a first-order answer good to 4e-7 stops 4e-7 short of bounds that bind.
    """
    p = model.problem
    ax = p.A @ x
    size = abs(p.A) @ np.abs(x)
    tol = DEGENERATE_ABS_TOL

    def near(v: np.ndarray, b: np.ndarray, extra: np.ndarray | float) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            gap = np.abs(v - b)
            near: np.ndarray = np.isfinite(b) & ((gap <= tol + 1e-9 * np.abs(b))
                                                 | (gap <= accuracy * (1.0 + np.abs(b) + extra)))
            return near

    rows = near(ax, p.row_lo, size) | near(ax, p.row_hi, size)
    cols = near(x, p.col_lo, 0.0) | near(x, p.col_hi, 0.0)
    active_rows, active_cols = int(rows.sum()), int(cols.sum())
    if active_rows + active_cols >= p.n:  # a vertex (a simplex answer): degenerate when over-determined
        return active_rows + active_cols > p.n
    # fewer active bounds than columns: not a vertex, but a point inside the optimal face (a first-order
    # answer). The duals live on the bounds active there; they are unique only if those bounds are
    # linearly independent: each active column bound is a unit vector, so the active rows must be
    # independent on the other columns.
    if active_rows == 0:
        return False
    sub = p.A[np.flatnonzero(rows)][:, np.flatnonzero(~cols)]
    if sub.shape[0] * sub.shape[1] > RANK_MAX_ENTRIES:
        return True  # too large to test: uniqueness is not claimed
    return int(np.linalg.matrix_rank(sub.toarray())) < active_rows


def snap_slacks(model: Model, x: np.ndarray) -> np.ndarray:
    """Zero soft-rule violations within the solver's tolerance.

    A violation of 1e-13 is noise, but times a penalty of 1e14 it would move the objective;
    any violation below 1e-9 of the row's size is set to 0 (the checker uses the same rule).
    """
    cols = model.row_slack[model.row_slack >= 0]
    if cols.size == 0:
        return x
    rows = np.flatnonzero(model.row_slack >= 0)
    scale = np.maximum(1.0, np.abs(model.problem.row_lo[rows]), where=np.isfinite(model.problem.row_lo[rows]),
                       out=np.ones(rows.size))
    scale = np.maximum(scale, np.abs(np.where(np.isfinite(model.problem.row_hi[rows]), model.problem.row_hi[rows], 0)))
    x = x.copy()
    tiny = x[cols] <= 1e-9 * scale
    x[cols[tiny]] = 0.0
    return x


def least_soft_slacks(model: Model, x: np.ndarray) -> np.ndarray:
    """`x` with every soft rule's violation column set to the least its allocation needs.

    A soft row reads ``a x + s >= lo`` (or ``a x - s <= hi``): for a given allocation the violation
    is ``max(0, lo - a x)`` (or ``max(0, a x - hi)``). A solve that prices the violation returns
    that anyway; the diagnosis' first phase does not (its objective is the relaxation alone), so
    its violations may be anything above it, and a report must not show 71 亩 short where the
    allocation is 30 short.
    """
    rows = np.flatnonzero(model.row_slack >= 0)
    if rows.size == 0:
        return x
    cols = model.row_slack[rows]
    p = model.problem
    x = x.copy()
    x[cols] = 0.0
    ax = p.A[rows] @ x
    need = np.where(model.row_side[rows] == MAX, ax - p.row_hi[rows], p.row_lo[rows] - ax)
    x[cols] = np.maximum(need, 0.0)
    return x


def shadow_prices(model: Model, x: np.ndarray, duals: np.ndarray | None) -> np.ndarray:
    """Per-row shadow price per unit of the row's own bound, positive when loosening helps.

    ``duals[r] = dv/d rhs_r``. For a ratio row ``N x + s_num >= b (D x + s_den)`` the bound
    ``b`` moves the row by ``P = D x + s_den``, so ``dv/db = dual * P``; otherwise
    ``dv/db = dual``. Loosening a max-side bound raises it, a min-side bound lowers
    it; for a minimisation, improving means lowering the objective.
    """
    m = model.row_inst.size
    if duals is None or m == 0:
        return np.full(m, np.nan)
    _, den = model.measured(x)
    ratio = np.array([model.instances[k].ratio for k in model.row_inst.tolist()], dtype=bool)
    dvdb = duals[:m] * np.where(ratio, den[model.row_inst], 1.0)
    sense = 1.0 if model.problem.sense == "max" else -1.0
    side = np.where(model.row_side == MAX, 1.0, -1.0)
    out: np.ndarray = sense * side * dvdb
    out[np.abs(out) < 1e-12] = 0.0
    return out
