"""What the exploration commands share: a command-line value that is wrong (`OptionError`), a plan read
back and checked like a solve's (`checked_plan`), and the new land of a plan by (area, sector) pair
(`PairLand`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from landopt.engine.readback import Result
from landopt.engine.run import RunInfo
from landopt.errors import EXIT_INPUT, LandoptError
from landopt.i18n.text import Bi
from landopt.model.build import Model
from landopt.verify.independent import check_result
from solvers import SolveResult, Status


class OptionError(LandoptError):
    """A command-line value that is wrong (exit code 2), located by its option: ``--slack: ...``."""

    exit_code = EXIT_INPUT

    def __init__(self, option: str, text: Bi):
        self.option = option
        self.text = text
        super().__init__(self.render("en"))

    def render(self, lang: str = "en") -> str:
        return f"{self.option}: {self.text.pick(lang)}"


class ExploreError(LandoptError):
    """The scenario itself cannot be explored (its own optimum is not found: infeasible, unbounded, a limit);
    exit code 1, in both languages."""

    def __init__(self, text: Bi):
        self.text = text
        super().__init__(text.en)

    def render(self, lang: str = "en") -> str:
        return self.text.pick(lang)


def scenario_failed(what: str) -> ExploreError:
    """The scenario's own optimum was not found (`what`: a result status): nothing to explore."""
    return ExploreError(Bi(f"the scenario's own optimum was not found ({what}); solve it with `landopt solve` to "
                           "see why, and explore it once it solves",
                           f"未求得情景本身的最优方案 ({Bi.status(what).zh}); 请先用 `landopt solve` 求解查明原因, "
                           "求得最优方案后再作分析"))


def checked_plan(model: Model, x: np.ndarray, res: SolveResult, info: RunInfo) -> Result:
    """The plan `x` of `model` as a `Result` (rows, stages, allocation), checked by the independent checker,
    which raises `CheckerError` when the plan breaks the scenario. No prices: the point was not solved as
    the scenario's own objective."""
    result = Result.solved(model, x, None, Status.OPTIMAL, res, info)
    check_result(result)
    return result


@dataclass
class PairLand:
    """New land over all years by (area, sector) pair, as rows over every column of a model: plain new land
    (block ``x``) and the land of projects placed (block ``z``)."""

    keys: list[tuple[str, str]]
    W: sp.csr_matrix

    @classmethod
    def of(cls, model: Model) -> PairLand:
        T = model.T
        n_x = model.pair_area.size
        contributors = list(zip(model.c_area.tolist(), model.c_sector.tolist(), strict=True))
        order = sorted(set(contributors))
        index = {k: i for i, k in enumerate(order)}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        x0, z0 = model.x.start, model.cols.block("z").start
        for c, key in enumerate(contributors):
            start, weight = (x0 + c * T, 1.0) if c < n_x else (z0 + (c - n_x) * T, float(model.site_land[c - n_x]))
            for t in range(T):
                rows.append(index[key])
                cols.append(start + t)
                vals.append(weight)
        W = sp.csr_matrix((vals, (rows, cols)), shape=(len(order), model.problem.n))
        keys = [(model.area_ids[a], model.sector_ids[s]) for a, s in order]
        return cls(keys, W)

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """The land of each pair in plan `x`."""
        out: np.ndarray = self.W @ x
        return out

    def by_area(self, x: np.ndarray) -> dict[str, float]:
        """The land of each area in plan `x` (areas in the order of `keys`)."""
        out: dict[str, float] = {}
        for (a, _), v in zip(self.keys, self(x).tolist(), strict=True):
            out[a] = out.get(a, 0.0) + v
        return out


def plan_records(model: Model, x: np.ndarray) -> list[dict[str, object]]:
    """Every nonzero piece of new land of plan `x`: area, sector, project ('' for plain new land), year, land."""
    land = model.land(x)
    n_x = model.pair_area.size
    names = list(model.spec.projects)
    cut = 1e-9 * max(1.0, float(np.abs(land).max(initial=0.0)))
    out: list[dict[str, object]] = []
    for c in range(land.shape[0]):
        project = "" if c < n_x else names[int(model.site_project[c - n_x])]
        for t, y in enumerate(model.years):
            v = float(land[c, t])
            if abs(v) > cut:
                out.append({"area": model.area_ids[int(model.c_area[c])],
                            "sector": model.sector_ids[int(model.c_sector[c])], "project": project,
                            "year": "" if y is None else y, "land": round(v, 9)})
    return out
