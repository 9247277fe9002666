"""The contract's example solves to 30600 on every backend, and its JSON has the contract's shape."""

from __future__ import annotations

import json

import pytest

import landopt
from support import LP_BACKENDS, SCENARIOS

EXAMPLE = SCENARIOS / "format_example.yaml"


@pytest.mark.parametrize("backend", LP_BACKENDS)
def test_example_solves_to_30600(backend):
    res = landopt.load(EXAMPLE).solve(solver=backend)
    assert res.status == "optimal"
    rel = 1e-5 if res.info.approximate else 1e-6
    assert res.objective == pytest.approx(30600.0, rel=rel)
    alloc = {(a["area"], a["sector"]): a["land"] for a in res.allocation_records()}
    assert alloc[("core", "pv")] == pytest.approx(600.0, rel=rel)
    assert alloc[("zhengjiawu", "crystal")] == pytest.approx(1800 / 7, rel=rel)
    assert res.checker["passed"] is True


def test_json_matches_the_contract_shape(run_cli):
    r = run_cli("solve", str(EXAMPLE), "--format", "json")
    assert r.code == 0, r.err
    d = json.loads(r.out)
    assert d["status"] == "optimal"
    assert d["objective"] == pytest.approx(30600.0)
    assert isinstance(d["solver"], str) and d["solver"]
    for a in d["allocation"]:
        assert set(a) >= {"area", "sector", "year", "land"}
        assert a["year"] is None and a["land"] > 0
    assert {r["resource"] for r in d["resources"]} == {"land", "energy", "cod", "nox"}
    for r_ in d["resources"]:
        assert set(r_) >= {"resource", "year", "used", "budget", "shadow_price"}
    land = next(x for x in d["resources"] if x["resource"] == "land")
    assert land["used"] == pytest.approx(6000 / 7) and land["budget"] == 1200.0
    for r_ in d["rules"]:
        assert set(r_) >= {"id", "group", "year", "lhs", "bound", "sense", "binding", "shadow_price", "violation"}
    core = next(x for x in d["rules"] if x["id"] == "per-mu-tax" and x["group"] == {"area": "core"})
    # (5.3e5 + 45*600) / (17000 + 600) = 31.648 万元/亩
    assert core["lhs"] == pytest.approx(557000 / 17600, rel=1e-9)
    assert core["bound"] == 30.0 and core["sense"] == ">=" and core["binding"] is False
    tilt = next(x for x in d["rules"] if x["id"] == "tilt-land")
    assert tilt["binding"] is True and tilt["lhs"] == pytest.approx(0.7)
    # lowering the share from 0.7 gains 14 * 600 / 0.7**2 万元 per unit of share
    assert tilt["shadow_price"] == pytest.approx(14 * 600 / 0.49, rel=1e-6)
    assert d["checker"]["passed"] is True
