"""Near-optimal alternatives: plans within a slack of the best objective that put the land in other places
(modelling to generate alternatives, MGA: Brill, Chang and Hopkins 1982, "Modeling to generate alternatives:
the HSJ approach and an illustration using a problem in land use planning", Management Science 28: 221-235).

The scenario is solved as `landopt solve` solves it (plan 0, the optimum, with its canonical tie-break); then
its first objective stage is held within ``slack`` of that optimum (a row, `stages.stage_row`; soft-rule
penalties included, as in the stage), and, over the new land of each (area, sector) pair (`PairLand`):

1. **Hop-skip-jump**: minimise the land of the pairs any plan found so far uses, as long as that finds a plan
   not found yet;
2. then **random directions**: minimise a weighted sum of the pairs' land with weights drawn uniformly from
   [-1, 1] (a fixed seed: the same alternatives every run), until ``n`` plans are found or ``4 n + 4`` tries.

Plans closer than a millionth of the optimum's land (summed over the pairs) count as one. Each plan is checked
by the independent checker and its objective recomputed against the slack. A MILP works the same way: the
held row is added to the MILP.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from landopt.engine import stages
from landopt.engine.outline import prepare, solve_model
from landopt.engine.readback import Result
from landopt.engine.run import Clock, call
from landopt.explore.plans import ExploreError, OptionError, PairLand, checked_plan, scenario_failed
from landopt.i18n.text import Bi
from landopt.model.build import Model, build
from landopt.model.spec import Spec
from solvers import Status

SEED = 13
"""The random directions' seed."""
SAME = 1e-6
"""Plans whose land by pair differs by less than this times the optimum's land (at least 1 亩's worth) are one."""


def check_slack(slack: float, option: str = "--slack") -> None:
    """A slack in [0, 1), else an `OptionError`."""
    if not (0.0 <= slack < 1.0):
        raise OptionError(option, Bi(f"{slack:g} is not in [0, 1); expected a share of the best objective, such as "
                                     "0.05 for plans within 5% of it",
                                     f"{slack:g} 不在 [0, 1) 之内; 应为相对最优目标值的比例, "
                                     "如 0.05 表示与最优值相差不超过 5%"))


def check_count(n: int, option: str = "--n") -> None:
    """At least one alternative, else an `OptionError`."""
    if n < 1:
        raise OptionError(option, Bi(f"{n} alternatives asked; expected at least 1, such as 10",
                                     f"要求 {n} 个备选方案; 至少应为 1, 如 10"))


@dataclass
class Plan:
    """One plan: its objective (the first stage, penalties included), its land by pair, how it was found."""

    x: np.ndarray
    objective: float
    land: np.ndarray
    result: Result
    how: str
    """'optimum', 'hsj' (hop-skip-jump) or 'random'."""


@dataclass
class Alternatives:
    """The optimum (plan 0) and the alternatives found (see the module docstring)."""

    plans: list[Plan]
    pairs: PairLand
    sense: str
    optimum: float
    bound: float
    """The worst objective a plan may have: the optimum less (for a minimised one: plus) the slack."""
    slack: float
    model: Model
    tries: int = 0
    unsolved: list[str] = field(default_factory=list)

    def gap(self, plan: Plan) -> float:
        """How much worse than the optimum `plan` is, relative to it (0 for the optimum)."""
        worse = (self.optimum - plan.objective) if self.sense == "max" else (plan.objective - self.optimum)
        return worse / abs(self.optimum) if self.optimum else worse


def alternatives(spec: Spec, slack: float = 0.05, n: int = 10, solver: str | None = None,
                 time_limit: float | None = None, seed: int = SEED) -> Alternatives:
    """Up to `n` plans within `slack` of the optimum that differ in where the land goes (module docstring)."""
    check_slack(slack)
    check_count(n)
    clock = Clock(time_limit if time_limit is not None else spec.time_limit)
    model = build(spec)
    best = solve_model(model, solver, clock.remaining(), exact=False)
    if best.status != "optimal" or best.x is None:
        raise scenario_failed(best.status)
    run = prepare(model, solver, canonical=False)
    info = run.info
    stage = spec.stages[0]
    c = model.stage_objective(0)
    optimum = float(c @ best.x)
    held = stages.hold_slack(c, best.x, optimum, slack, info.accuracy)
    row, lo, hi = stages.stage_row(c, stage.sense, optimum, held)
    base = model.problem.with_rows(row, lo, hi, [f"near({stage.name})"])
    pairs = PairLand.of(model)
    found = Alternatives([Plan(best.x, optimum, pairs(best.x), best, "optimum")], pairs, stage.sense, optimum,
                         optimum - held if stage.sense == "max" else optimum + held, slack, model)
    same = SAME * max(1.0, float(np.abs(found.plans[0].land).sum()))
    rng = np.random.default_rng(seed)
    hsj = True
    while len(found.plans) < n + 1 and found.tries < 4 * n + 4 and not clock.expired():
        found.tries += 1
        if hsj:
            used = np.zeros(len(pairs.keys))
            for p in found.plans:
                used[p.land > same] = 1.0
            weights = used
        else:
            weights = rng.uniform(-1.0, 1.0, len(pairs.keys))
        res = call(base.with_objective(pairs.W.T @ weights, "min"), run.backend, clock, info,
                   label=f"alternative {found.tries}")
        if res.status != Status.OPTIMAL or res.x is None:
            found.unsolved.append(res.status.value)
            hsj = False
            continue
        land = pairs(res.x)
        if any(float(np.abs(land - p.land).sum()) <= same for p in found.plans):
            hsj = False  # hop-skip-jump found nothing new: random directions from here on
            continue
        value = float(c @ res.x)
        if (value < found.bound - held) if stage.sense == "max" else (value > found.bound + held):
            raise ExploreError(Bi(f"an alternative's objective {value:.10g} is outside the slack (bound "
                                  f"{found.bound:.10g}); this is a bug in landopt: please report it",
                                  f"备选方案的目标值 {value:.10g} 超出允许范围 (界限 {found.bound:.10g}); "
                                  "这是 landopt 的缺陷: 请报告"))
        found.plans.append(Plan(res.x, value, land, checked_plan(model, res.x, res, info),
                                "hsj" if hsj else "random"))
    info.note("alternatives", plans=len(found.plans) - 1, tries=found.tries,
              seconds=time.perf_counter() - clock.t0)
    return found
