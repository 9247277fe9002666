"""Issue 12: one Pujiang data set in every scenario that names Pujiang, plausible Jinhua stock, and a
format example that does not claim to be Pujiang's plan.

Pujiang's figures come from pujiang_2021_2025.yaml (the county plan, seed 000; DOMAIN §4): the quota
over 2021-2025, the developable land of 一区三片, the 2020 stock of the platform and of the rest of the
county, and the pools as 2025 levels (yearly use of everything given by then). jinhua_city.yaml
(seed 001) must carry the same figures for its Pujiang areas, and the city pools must give Pujiang the
same, plausible share of every pool.
"""

from __future__ import annotations

import pytest
import yaml

import landopt
from support import SCENARIOS

PLATFORM = ("main", "sub", "linked")  # 一区三片: the main platform, its sub-areas and linked areas
STOCK = ("land", "output", "value_added", "tax")
POOLS = ("land", "energy", "cod", "nh3n", "so2", "nox")


@pytest.fixture(scope="module")
def pujiang():
    return landopt.load(SCENARIOS / "pujiang_2021_2025.yaml").spec


@pytest.fixture(scope="module")
def jinhua():
    return landopt.load(SCENARIOS / "jinhua_city.yaml").spec


def _total(spec, metric: str, roles=PLATFORM) -> float:
    return sum(a.existing.get(metric, 0.0) for a in spec.areas.values() if a.role in roles)


def _level_2025(spec, resource: str) -> float:
    """What a resource allows over 2021-2025: the sum of a flow's yearly budgets, a level's 2025 budget
    (a single-period scenario: its one budget)."""
    r = spec.resources[resource]
    budget = r.budget if isinstance(r.budget, dict) else {None: r.budget}
    if set(budget) == {None}:  # the same every year
        budget = dict.fromkeys(spec.years, budget[None]) if any(spec.years) else {0: budget[None]}
    return sum(budget.values()) if r.accounting == "flow" else budget[max(budget)]


def _cap(spec, rule_id: str) -> float:
    (rule,) = [r for r in spec.rules if r.id == rule_id]
    return rule.hi[None] if isinstance(rule.hi, dict) else rule.hi


def test_pujiang_quota_capacity_and_stock_agree_between_the_county_and_the_city_file(pujiang, jinhua):
    quota = _level_2025(pujiang, "land")
    assert quota == pytest.approx(3250.0)  # 5 x 650 亩 (DOMAIN §4.3: 1,000 + 300 per two years)
    assert _cap(jinhua, "quota-pujiang") == pytest.approx(quota)
    developable = sum(a.capacity for a in pujiang.areas.values() if a.role in PLATFORM)
    assert jinhua.areas["pujiang"].capacity == pytest.approx(developable)  # 6,700 亩
    for metric in STOCK:
        assert jinhua.areas["pujiang"].existing[metric] == pytest.approx(_total(pujiang, metric)), metric
        assert jinhua.areas["pujiang_out"].existing[metric] == pytest.approx(
            _total(pujiang, metric, roles=("outside",))), metric


def test_pujiang_holds_the_same_plausible_share_of_every_city_pool(pujiang, jinhua):
    units = [yaml.safe_load((SCENARIOS / n).read_text(encoding="utf-8"))["units"]
             for n in ("jinhua_city.yaml", "pujiang_2021_2025.yaml")]
    assert units[0] == units[1]  # the same energy unit (万tce) on both sides
    shares = {r: _level_2025(pujiang, r) / _level_2025(jinhua, r) for r in POOLS}
    land = shares["land"]
    assert 0.03 <= land <= 0.15, shares  # one of ten regions, a small one
    for r, share in shares.items():
        assert share == pytest.approx(land, rel=1e-9), (r, shares)


def test_every_estimated_pool_says_so(pujiang, jinhua):
    for name in ("jinhua_city.yaml", "pujiang_2021_2025.yaml"):
        raw = yaml.safe_load((SCENARIOS / name).read_text(encoding="utf-8"))
        for rid, r in raw["resources"].items():
            assert "E" in str(r.get("note", "")).replace("E:", "E "), (name, rid)


def test_jinhua_platforms_all_have_plausible_stock(jinhua):
    mains = [a for a in jinhua.areas.values() if a.role == "main"]
    given = [a for a in mains if a.existing]
    assert len(given) in (0, len(mains)), [a.id for a in given]
    for a in given:
        ex = a.existing
        assert 0.15 <= ex["tax"] / ex["value_added"] <= 0.25, (a.id, ex)
        assert 0.15 <= ex["value_added"] / ex["output"] <= 0.30, (a.id, ex)
        assert 150.0 <= ex["output"] / ex["land"] <= 600.0, (a.id, ex)  # 万元/亩 (DOMAIN §3.1, §4.2)


def test_the_format_example_does_not_claim_to_be_pujiangs_plan():
    spec = landopt.load(SCENARIOS / "format_example.yaml").spec
    assert "非浦江县实际数据" in spec.name and "not Pujiang" in spec.name_en
    assert "示例" in spec.description
