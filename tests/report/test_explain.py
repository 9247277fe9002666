"""A result that is not optimal is explained in the report's language, apart from the solver's own words."""

from __future__ import annotations

import landopt
import solvers
from landopt.report import render, solve_report
from solvers import SolveResult, Status
from support import SCENARIOS

UNBOUNDED = {"version": 1, "resources": {"energy": {"unit": "tce", "budget": 10}}, "metrics": {"tax": {"unit": "万元"}},
             "sectors": {"a": {"per_mu": {"tax": 5}}}, "areas": {"x": {"role": "main"}},
             "objective": {"maximize": "tax"}}


def test_unbounded_is_explained_in_chinese_and_english():
    res = landopt.from_dict(UNBOUNDED).solve(solver="clp")
    assert res.status == "unbounded"
    zh, en = render(solve_report(res, "zh"), "table"), render(solve_report(res, "en"), "table")
    assert "目标值可无限增大" in zh and "capacity" in zh and "grow without limit" not in zh
    assert "grow without limit" in en and "add `capacity:`" in en
    assert res.to_dict()["explain"] == res.explain.en


def test_a_time_limit_without_a_point_says_what_to_do(monkeypatch):
    def stopped(problem, solver="auto", options=None):
        return SolveResult(Status.TIME_LIMIT, solver, message="CLP stopped at its time limit")

    monkeypatch.setattr(solvers, "solve", stopped)
    res = landopt.load(SCENARIOS / "format_example.yaml").solve(solver="clp", time_limit=5)
    assert res.status == "time_limit" and res.x is None
    zh = render(solve_report(res, "zh"), "table")
    assert "因时间限制而停止，尚未找到任何配置" in zh and "--time-limit" in zh
    assert "求解器信息：CLP stopped at its time limit" in zh  # the solver's words, labelled as such
    en = render(solve_report(res, "en"), "table")
    assert "stopped at the time limit before any allocation was found" in en and "try another solver" in en
