"""What a result that is not optimal means, in the user's words and both languages (a `Bi` each):
which limit is missing when the objective is unbounded, what a time limit left, what a failed later
objective stage means for the plan shown."""

from __future__ import annotations

import solvers
from landopt.i18n.text import Bi
from landopt.model.build import Model
from landopt.model.spec import stage_name


def unbounded_hint(model: Model) -> Bi:
    """Which areas have no limit on their land, in words (a `messages.Bi`)."""
    spec = model.spec
    free = [a.id for a in spec.areas.values() if a.allowed and a.capacity is None and a.max_land is None]
    has_land_budget = "land" in spec.resources
    if free and not has_land_budget:
        names = ", ".join(free)
        return Bi(f"the objective can grow without limit; areas without capacity or max_land: {names}, and no land "
                  "budget; add `capacity:` to those areas or a `land` resource with a budget",
                  f"目标值可无限增大；以下区域没有 capacity 或 max_land：{names}，且没有用地预算；"
                  "请为这些区域加上 `capacity:`，或加一项有预算的 `land` 资源")
    return Bi("the objective can grow without limit; some metric in the objective is not limited by any budget or "
              "rule; check signs of per_mu coefficients and that every resource the objective rewards has a budget",
              "目标值可无限增大；目标中的某个指标不受任何预算或规则限制；请检查 per_mu 系数的正负，"
              "以及目标所奖励的每种资源是否都有预算")


def explain(status: str, has_point: bool, model: Model, solver: str) -> Bi:
    """What a status that is not optimal means for the user, and what to do (a `messages.Bi`)."""
    if status == "unbounded":
        return unbounded_hint(model)
    others = _other_solvers(model, solver)
    try_en = f"try another solver: --solver {' | '.join(others)}" if others else "no other solver is installed"
    try_zh = f"请换用其他求解器：--solver {' | '.join(others)}" if others else "未安装其他求解器"
    limit = {"time_limit": ("the time limit", "时间限制"), "iteration_limit": ("the iteration limit", "迭代次数限制"),
             "interrupted": ("the interruption", "中断")}
    if status in limit:
        en, zh = limit[status]
        if has_point:
            return Bi(f"stopped at {en}: the allocation shown is the best found by then, feasible but perhaps not "
                      "optimal; allow more time (--time-limit) for the optimum",
                      f"因{zh}而停止：以下配置是停止时找到的最好配置，可行但未必最优；放宽 --time-limit 可求得最优解")
        return Bi(f"stopped at {en} before any allocation was found; allow more time (--time-limit) or {try_en}",
                  f"因{zh}而停止，尚未找到任何配置；请放宽 --time-limit，或{try_zh.removeprefix('请')}")
    if status == "numerical_error":
        return Bi(f"the solver's answer failed the accuracy checks and is not used; {try_en}",
                  f"求解器的结果未通过精度校核，未予采用；{try_zh}")
    return Bi(f"the solver failed ({status}); {try_en}", f"求解器出错 ({status})；{try_zh}")


def stage_explain(model: Model, k: int, solver: str) -> Bi:
    """What a plan means whose objective stage k (0-based, k >= 1) could not be solved (a `messages.Bi`):
    every earlier stage was, so the scenario is feasible and the plan keeps their optimum."""
    spec = model.spec
    names_en = ", ".join(stage_name(spec, i, "en") for i in range(k))
    names_zh = "、".join(stage_name(spec, i, "zh") for i in range(k))
    failed_en, failed_zh = stage_name(spec, k, "en"), stage_name(spec, k, "zh")
    others = _other_solvers(model, solver)
    try_en = f"try another solver: --solver {' | '.join(others)}" if others else "no other solver is installed"
    try_zh = f"请换用其他求解器：--solver {' | '.join(others)}" if others else "未安装其他求解器"
    return Bi(f"the scenario is feasible and the plan shown is optimal for the first {k} objective stage(s) "
              f"({names_en}), but the solver failed on stage {k + 1} ({failed_en}), so the plan is not "
              f"optimised for {failed_en}; {try_en}",
              f"情景可行，以下配置对前 {k} 级目标（{names_zh}）为最优；求解器未能完成第 {k + 1} 级目标"
              f"（{failed_zh}）的优化，以下配置未按“{failed_zh}”优化；{try_zh}")


def _other_solvers(model: Model, solver: str) -> list[str]:
    """Installed backends other than `solver` that can solve this model."""
    return [b for b in solvers.fitting_backends(model.problem) if b != solver]


def explain_mip(model: Model, mip: object, solver: str) -> Bi:
    """What a MILP stopped at a limit left: the best plan found, how far from proven optimal."""
    gap = getattr(mip, "gap", None)
    bound = getattr(mip, "bound", None)
    gap_en = f"{gap:.2%}" if gap is not None else "unknown"
    bound_en = f"{bound:,.6g}" if bound is not None else "unknown"
    return Bi(f"stopped at the time limit: the plan shown is the best found by then, feasible but not proven "
              f"optimal (gap {gap_en}; no plan is better than {bound_en}); allow more time (--time-limit) "
              "or accept a gap (solve.mip_gap)",
              f"因时间限制而停止：以下方案是停止时找到的最好方案，可行但未证明最优 (差距 {gap_en}；任何方案都不优于 "
              f"{bound_en})；放宽 --time-limit，或接受一定差距 (solve.mip_gap)")
