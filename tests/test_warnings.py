"""Warnings: located, in both languages, never fatal."""

from __future__ import annotations

import json

import landopt
from support import SCENARIOS

EXAMPLE = SCENARIOS / "format_example.yaml"


def test_stock_metric_missing_warns(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("      tax: 1.0e5\n", "")
    f = tmp_path / "s.yaml"
    f.write_text(text, encoding="utf-8")
    sc = landopt.load(f)
    (w,) = sc.warnings
    assert w.code == "stock_metric_missing" and w.severity == "warning"
    assert "zhengjiawu" in w.format() and "existing.tax" in w.format()
    assert w.mark is not None and w.mark.line > 1
    assert "警告" in w.format("zh")


def test_solver_without_duals_warns(run_cli):
    r = run_cli("solve", str(EXAMPLE), "--solver", "scip", "--format", "json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert all(x["shadow_price"] is None for x in d["rules"])
    assert any("returns no LP duals" in w for w in d["warnings"])
    assert "returns no LP duals" in r.err


def test_wide_coefficient_range_warns_naming_the_keys(tmp_path):
    from landopt.solve import SCALING_WARN_RATIO, scaling_warning

    sc = landopt.load(EXAMPLE)
    model = sc.build()

    class Report:  # what solvers.coefficient_stats gives, with a range beyond the threshold
        scaled_ratio = SCALING_WARN_RATIO * 10
        largest = (type("E", (), {"row": 0, "col": 0})(),)
        smallest = (type("E", (), {"row": model.problem.m - 1, "col": 1})(),)

    w = scaling_warning(model, Report())
    assert w is not None and w.code == "scaling_range"
    text = w.format()
    assert "budget land" in text and "core/pv" in text
