"""Warnings: located, in both languages, never fatal."""

from __future__ import annotations

import json

import pytest

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
    from landopt.engine.outline import SCALING_WARN_RATIO, scaling_warning

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


def _units_mixup(chemical_tax: float, chemical_nh3n: float) -> dict:
    """A scenario counting money in 元 and mass in t, with the chemical sector's coefficients as given.

    The data centre is right: 1e6 元/亩 of tax (100 万元) and 1e-5 t/亩 of NH3-N. Written as
    ``_units_mixup(0.002, 50)``, the chemical sector's tax is in 亿元 (0.002 亿元 = 20 万元) and its
    NH3-N in kg (50 kg = 0.05 t): no row or column factor can bring 1e-5 and 50 (the NH3-N budget
    row) and 1e6 and 0.002 (the tax floor row) together at once.
    Optimum: at least 10 亩 of chemicals, the other 90 亩 of land to data centres:
    tax 90 x 1e6 + 10 x chemical_tax 元.
    """
    return {
        "version": 1,
        "scenario": {"name": "单位混用"},
        "units": {"area": "mu", "money": "元", "mass": "t"},
        "resources": {"land": {"unit": "mu", "budget": 100},
                      "nh3n": {"name": "氨氮排污权", "unit": "t", "budget": 600}},
        "metrics": {"tax": {"name": "税收", "unit": "元"}},
        "sectors": {"datacenter": {"per_mu": {"tax": 1.0e6, "nh3n": 1.0e-5}},
                    "chemical": {"per_mu": {"tax": chemical_tax, "nh3n": chemical_nh3n}}},
        "areas": {"core": {"role": "main", "capacity": 80}, "east": {"role": "sub", "capacity": 60}},
        "rules": [{"id": "tax-floor", "kind": "floor", "metric": "tax", "min": 1.0e6},
                  {"id": "chemical-min", "kind": "floor", "metric": "land", "where": {"sector": "chemical"}, "min": 10}],
        "objective": {"maximize": "tax"},
    }


def test_wide_coefficient_range_warns_end_to_end_and_the_answer_passes_the_checker():
    from landopt.engine.outline import SCALING_WARN_RATIO

    res = landopt.from_dict(_units_mixup(0.002, 50)).solve(solver="highs")
    assert res.status == "optimal"
    assert res.objective == pytest.approx(90 * 1.0e6 + 10 * 0.002, rel=1e-9)
    assert res.checker["passed"] is True
    assert res.info.scaling.scaled_ratio > SCALING_WARN_RATIO
    (w,) = [w for w in res.warnings if w.code == "scaling_range"]
    assert w.severity == "warning" and w.params["ratio"] > SCALING_WARN_RATIO
    text = w.format()
    assert "budget nh3n" in text and "rule tax-floor" in text  # the rows holding the extremes
    assert "/datacenter" in text or "/chemical" in text  # and their (area, sector) pairs
    assert any("budget nh3n" in s for s in res.to_dict()["warnings"])
    assert "最大和最小系数来自" in w.format("zh")


def test_the_same_magnitudes_in_consistent_units_do_not_warn():
    """The raw range is as wide (1e-5 .. 1e6 before scaling), but scaling brings it down: no warning."""
    from landopt.engine.outline import SCALING_WARN_RATIO

    res = landopt.from_dict(_units_mixup(2.0e5, 0.05)).solve(solver="highs")
    assert res.status == "optimal" and res.checker["passed"] is True
    assert res.objective == pytest.approx(90 * 1.0e6 + 10 * 2.0e5, rel=1e-9)
    assert res.info.scaling.ratio >= 1.0e6 / 1.0e-5 * (1 - 1e-12)
    assert res.info.scaling.scaled_ratio <= SCALING_WARN_RATIO
    assert not [w for w in res.warnings if w.code == "scaling_range"]


def test_a_skipped_canonical_choice_is_said(monkeypatch):
    """When no time is left for the tie-break, the optimum is kept and a warning says it may not be canonical."""
    import landopt.engine.run as run

    monkeypatch.setattr(run.Clock, "expired", lambda self: True)
    res = landopt.load(SCENARIOS / "format_example.yaml").solve(solver="clp", time_limit=60)
    assert res.status == "optimal" and res.objective == pytest.approx(30600.0)
    (w,) = [w for w in res.warnings if w.code == "canonical_skipped"]
    assert "--time-limit" in w.format("en") and "规范解" in w.format("zh") and "放宽时间限制" in w.format("zh")
    assert any("canonical choice" in t for t in res.to_dict()["warnings"])
    monkeypatch.undo()
    assert not [w for w in landopt.load(SCENARIOS / "format_example.yaml").solve(solver="clp").warnings
                if w.code == "canonical_skipped"]
