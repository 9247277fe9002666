"""The Python API: load -> solve -> a result with pandas DataFrames."""

from __future__ import annotations

import pandas as pd
import pytest

import landopt
from support import SCENARIOS


def test_load_solve_dataframes():
    sc = landopt.load(SCENARIOS / "format_example.yaml")
    assert sc.name == "格式示例 (示例数据, 非浦江县实际数据)" and sc.variants == ["strict_tilt", "tight_energy"]
    res = sc.solve(solver="highs")
    assert res.status == "optimal" and res.objective == pytest.approx(30600.0)
    alloc = res.allocation
    assert isinstance(alloc, pd.DataFrame) and list(alloc.columns) == ["area", "sector", "year", "land"]
    assert alloc["land"].sum() == pytest.approx(6000 / 7)
    budgets = res.resources
    assert set(budgets["resource"]) == {"land", "energy", "cod", "nox"}
    assert {"used", "budget", "shadow_price", "binding"} <= set(budgets.columns)
    rules = res.rules
    assert {"id", "group", "year", "lhs", "bound", "sense", "binding", "shadow_price", "violation"} <= set(rules.columns)
    tilt = rules[rules["id"] == "tilt-land"].iloc[0]
    assert bool(tilt["binding"]) and tilt["shadow_price"] == pytest.approx(14 * 600 / 0.49)


def test_variants_sets_and_overrides_through_the_api():
    sc = landopt.load(SCENARIOS / "format_example.yaml", variants="strict_tilt", sets=("resources.land.budget=2000",))
    assert sc.spec.resources["land"].budget[None] == 2000.0
    loosened = sc.with_overrides({("rule", "tilt-land", (), None, "min"): 0.7})
    assert loosened.solve(solver="clp").objective == pytest.approx(30600.0)


def test_from_dict_matches_load():
    import yaml

    d = yaml.safe_load((SCENARIOS / "teaching" / "t06_multiyear.yaml").read_text(encoding="utf-8"))
    base = yaml.safe_load((SCENARIOS / "teaching" / "_fragments" / "base.yaml").read_text(encoding="utf-8"))
    del d["extends"]
    merged = {**base, **{k: v for k, v in d.items() if k not in ("resources", "scenario")}}
    merged["scenario"] = {**base["scenario"], **d["scenario"]}
    merged["resources"] = {k: {**base["resources"][k], **d["resources"].get(k, {})} for k in base["resources"]}
    a = landopt.from_dict(merged).solve(solver="clp")
    b = landopt.load(SCENARIOS / "teaching" / "t06_multiyear.yaml").solve(solver="clp")
    assert a.objective == pytest.approx(b.objective) == pytest.approx(5167.5)
