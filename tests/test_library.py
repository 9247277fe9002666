"""The scenario library (issue 4): the five seed plans as runnable, self-checking scenarios.

(a) every seed is cited by a scenario's header comment; (b) every coefficient carries a source or an
E/R flag; (c) the numbers make sense for a bureau: per-mu results in DOMAIN.md's ranges, positive
shadow prices where a quota binds; (d) the seed scenarios are part of `landopt check scenarios/`
(tests/test_scenarios.py runs each of them, and each variant, on every backend). Plus a few
seed-specific facts the expect blocks cannot state (units, the live JX-2 rule, the README table).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import landopt
from landopt.verify.independent import Recompute, allocation_dict
from landopt.model.spec import Selector
from support import REPO, SCENARIOS, scenario_files

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow

SEEDS = {
    "000_f0b9a62f5a90117f.txt": "Pujiang county",
    "001_58e18d8ae0096152.txt": "Jinhua city",
    "002_90fc39003501b12e.txt": "Hangzhou city",
    "003_c6b88b28893612d4.txt": "reform compilation",
    "004_736a3c4bc8902ef8.txt": "Jiaxing city",
}
SEED_DIR = REPO.parent / "shared" / "seeds"

SEED_SCENARIOS = [
    "pujiang_2021_2025.yaml",
    "pujiang_2021_2025_new_land.yaml",
    "jiaxing_major_platform.yaml",
    "jinhua_city.yaml",
    "hangzhou_17_platforms.yaml",
    "reform_compilation.yaml",
]
FRAGMENTS = ["_fragments/sectors_demo.yaml"]

# DOMAIN.md ranges (万元/亩/yr).
# New land at full production, §3.6: output 200 (crystal, low) .. 4,000 (new-material outliers);
# VA 60 .. 500 (mid values 77 .. 450); tax 3 (crystal, low) .. 400 (biotech, high).
NEW_LAND_RANGE = {"output": (200.0, 4000.0), "value_added": (60.0, 500.0), "tax": (3.0, 400.0)}
# Blend of stock and new land: §4.2 stock 130 .. 330 output, 23 .. 73 VA, 3 .. 15 tax; the targets
# and benchmarks it is pushed towards (§3.1 Huangyan 136 VA / 26 tax, Zhejiang ETDZs 102.6 VA,
# Wenzhou 32 tax, Jiaxing 500 output / 30 tax) bound it from above.
BLEND_RANGE = {"output": (130.0, 1000.0), "value_added": (20.0, 200.0), "tax": (3.0, 60.0)}


def _header(path: Path) -> str:
    """The leading comment block of a file."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            out.append(line)
        else:
            break
    return "\n".join(out)


def _cases(status: str = "optimal") -> list:
    out = []
    for name in SEED_SCENARIOS:
        sc = landopt.load(SCENARIOS / name)
        for v in [None, *sc.variants]:
            exp = landopt.load(SCENARIOS / name, (v,) if v else ()).spec.expect
            if exp is not None and exp.status == status:
                out.append(pytest.param(name, v, id=f"{name}[{v}]" if v else name))
    return out


# ------------------------------------------------------------------ (a) seeds are cited
def test_every_seed_is_cited_by_a_scenario_header():
    headers = {f.relative_to(SCENARIOS).as_posix(): _header(f) for f in SCENARIOS.rglob("*.yaml")}
    for seed, what in SEEDS.items():
        citing = [name for name, h in headers.items() if seed in h]
        assert citing, f"no scenario header cites {seed} ({what})"


def test_seed_names_match_the_seed_folder():
    if not SEED_DIR.is_dir():
        pytest.skip("the shared seed folder is not next to this checkout")
    assert sorted(p.name for p in SEED_DIR.glob("*.txt")) == sorted(SEEDS)


@pytest.mark.parametrize("name", SEED_SCENARIOS)
def test_seed_scenario_header_names_its_seed_and_clauses(name):
    h = _header(SCENARIOS / name)
    assert any(seed in h for seed in SEEDS), f"{name}: the header names no seed file"
    assert re.search(r"\b(PJ|JH|HZ|JX|CX)-\d+", h), f"{name}: the header names no clause id"


@pytest.mark.parametrize("name", SEED_SCENARIOS)
def test_every_rule_cites_its_clause(name):
    spec = landopt.load(SCENARIOS / name).spec
    for r in spec.rules:
        assert r.source and (re.search(r"\b(PJ|JH|HZ|JX|CX)-\d+", r.source) or re.search(r"\b00[0-4]\b", r.source)), \
            f"{name}: rule {r.id} has no source naming its seed clause"


# ---------------------------------------------------------- (b) coefficients are sourced
_TAG = re.compile(r"(\bE\b|\bR\b|§\s*\d|DOMAIN)")


@pytest.mark.parametrize("name", SEED_SCENARIOS + FRAGMENTS)
def test_every_per_mu_line_carries_a_source_or_flag(name):
    lines = (SCENARIOS / name).read_text(encoding="utf-8").splitlines()
    per_mu = [(i + 1, line) for i, line in enumerate(lines) if re.match(r"\s*per_mu:", line)]
    for no, line in per_mu:
        assert "{" in line, f"{name}:{no}: write per_mu on one line so its comment can carry the source"
        assert "#" in line and _TAG.search(line.split("#", 1)[1]), \
            f"{name}:{no}: per_mu without a trailing source / E / R comment"


@pytest.mark.parametrize("name", SEED_SCENARIOS)
def test_every_sector_names_its_source(name):
    spec = landopt.load(SCENARIOS / name).spec
    used = {s for a in spec.areas.values() for s in a.allowed}
    for s in used:
        src = spec.sectors[s].source or ""
        assert _TAG.search(src), f"{name}: sector {s} has no source or E/R flag"
    for a in spec.areas.values():
        assert not a.per_mu, f"{name}: area {a.id} overrides per_mu; give its source there and extend this test"


# ------------------------------------------------------------ (c) numbers make sense
_MILP_FOR = {"clp": "cbc", "highs": "highs"}
"""For a scenario with yes/no decisions, the MILP backend that stands in for an LP one (both give prices)."""


def _solver(sc, lp: str) -> str:
    """`lp`, or its MILP stand-in when the scenario has yes/no decisions."""
    return _MILP_FOR[lp] if sc.is_mip else lp


def _per_mu(res, sel: Selector, stock: bool) -> dict[str, float]:
    spec = res.spec
    rc = Recompute(spec, allocation_dict(res))
    y = spec.years[-1]
    land = rc.metric("land", [sel], y, False, stock)
    return {m: rc.metric(m, [sel], y, False, stock) / land for m in NEW_LAND_RANGE} if land > 0 else {}


@pytest.mark.parametrize("name,variant", _cases())
def test_per_mu_results_sit_in_domain_ranges(name, variant):
    sc = landopt.load(SCENARIOS / name, (variant,) if variant else ())
    res = sc.solve(solver=_solver(sc, "clp"))
    assert res.status == "optimal"
    new = _per_mu(res, Selector(), stock=False)
    assert new, "no new land given"
    for m, (lo, hi) in NEW_LAND_RANGE.items():
        assert lo <= new[m] <= hi, f"new land {m}/亩 = {new[m]:.2f} outside DOMAIN's {lo}..{hi}"
    spec = res.spec
    platform = frozenset(a for a, ar in spec.areas.items() if ar.role != "outside" and ar.existing.get("land"))
    if platform:
        blend = _per_mu(res, Selector(areas=platform), stock=True)
        for m, (lo, hi) in BLEND_RANGE.items():
            if all(m in spec.areas[a].existing for a in platform):
                assert lo <= blend[m] <= hi, f"blend {m}/亩 = {blend[m]:.2f} outside {lo}..{hi}"


@pytest.mark.parametrize("name,variant", _cases())
@pytest.mark.parametrize("backend", ["clp", "highs"])
def test_binding_quotas_have_positive_shadow_prices(name, variant, backend):
    sc = landopt.load(SCENARIOS / name, (variant,) if variant else ())
    res = sc.solve(solver=_solver(sc, backend))
    binding = [r for r in res.resource_records() if r["binding"]]
    assert binding or name.startswith(("hangzhou", "reform")), "expected at least one binding quota"
    for r in binding:
        assert r["shadow_price"] is not None and r["shadow_price"] > 0, \
            f"budget {r['resource']} {r['year']} binds with shadow price {r['shadow_price']}"


@pytest.mark.parametrize("name,variant", _cases())
def test_loosening_a_binding_quota_helps(name, variant):
    """The sign is real: 1% more of each binding quota raises the optimum (a re-solve, not a dual)."""
    sc = landopt.load(SCENARIOS / name, (variant,) if variant else ())
    base = sc.solve(solver=_solver(sc, "clp"))
    for r in base.resource_records():
        if not r["binding"]:
            continue
        more = sc.with_overrides({("budget", r["resource"], (), r["year"], "max"): r["budget"] * 1.01})
        res = more.solve(solver=_solver(sc, "clp"))
        assert res.objective > base.objective * (1 + 1e-9), \
            f"1% more {r['resource']} ({r['year']}) does not raise the objective"


# ------------------------------------------------------------------------ (d) the check
def test_seed_scenarios_run_in_the_scenario_suite():
    """`landopt check scenarios/` itself runs in tests/test_scenarios.py (CLI, exit 0) and per backend."""
    runnable = {f.relative_to(SCENARIOS).as_posix() for f in scenario_files()}
    for name in SEED_SCENARIOS:
        assert name in runnable, f"{name} is not picked up by tests/test_scenarios.py"
        assert landopt.load(SCENARIOS / name).spec.expect is not None



# ----------------------------------------------------------------- seed-specific facts
def test_pujiang_areas_are_the_seed_table_in_km2():
    spec = landopt.load(SCENARIOS / "pujiang_2021_2025.yaml").spec
    km2 = {"core": 17.24, "huangzhai": 5.73, "baima": 2.23, "zhengzhai": 2.36, "gaotie": 1.13,
           "zhengjiawu": 2.11, "crystal_town": 2.24, "jiangnan": 9.16}
    for a, v in km2.items():
        assert spec.areas[a].planned_area == pytest.approx(v * 1500), a
    bz = [a for a in spec.areas.values() if "baima_zhengzhai" in a.tags]
    assert sum(a.planned_area for a in bz) == pytest.approx(5.72 * 1500)
    assert sum(a.planned_area for a in spec.areas.values() if a.planned_area) == pytest.approx(42.20 * 1500)
    assert [a.id for a in spec.areas.values() if a.role == "outside"] == ["outside"]
    assert spec.years == (2021, 2022, 2023, 2024, 2025)
    seed_industries = {"pv_parts", "pv", "led_light", "cnc", "newmat", "chip", "smart_hw", "biotech",
                       "crystal", "quilting", "locks", "crafts", "garments", "textiles"}
    assert seed_industries <= {s for a in spec.areas.values() for s in a.allowed}
    # 000 三(四): the core's 「太阳能光伏配件」 are accessories, not cell and module plants; the seed names no LED
    # epitaxy for the core or 黄宅 (黄宅's 「LED」 and 「灯具」 are LED lighting), and 黄宅 has 「工艺品、灯具」.
    core, huangzhai = spec.areas["core"].allowed, spec.areas["huangzhai"].allowed
    assert "pv_parts" in core and "pv" not in core
    assert not any("led_chip" in a.allowed for a in spec.areas.values())
    assert {"pv", "led_light", "crafts"} <= set(huangzhai)


def test_pujiang_full_plan_diagnosis_names_the_targets():
    res = landopt.load(SCENARIOS / "pujiang_2021_2025.yaml").solve(solver="clp")
    assert res.status == "infeasible"
    ids = {d.id for d in res.diagnosis}
    assert ids == {"pj6-va-per-mu", "pj6-tax-per-mu"}  # PJ-9 (力争) is soft: a violation, not a relaxation
    assert {d.year for d in res.diagnosis} == {2025}  # PJ-6 is an average rate: the 2025 endpoint
    va25 = next(d for d in res.diagnosis if d.id == "pj6-va-per-mu" and d.year == 2025)
    assert va25.value == pytest.approx(59.927 * 1.15 ** 5, rel=1e-3)  # the +15%/yr path from 2020
    assert va25.relaxed < va25.value


def test_pujiang_variants_exist():
    sc = landopt.load(SCENARIOS / "pujiang_2021_2025_new_land.yaml")
    assert set(sc.variants) >= {"tight_energy", "stricter_tilt", "nox_2to1", "realisation_0_7", "realisation_0_7_review"}
    v = landopt.load(SCENARIOS / "pujiang_2021_2025_new_land.yaml", ("nox_2to1",)).spec
    assert v.resources["nox"].offset == 2
    r = landopt.load(SCENARIOS / "pujiang_2021_2025_new_land.yaml", ("realisation_0_7",)).spec
    assert all(r.metrics[m].factor == 0.7 for m in ("output", "value_added", "tax"))


def test_realisation_with_signed_admission_changes_no_decision():
    """Scaling the claims and the 标准地 tax/energy floors by the same 0.7 leaves every decision as it was."""
    f = SCENARIOS / "pujiang_2021_2025_new_land.yaml"
    base, real = (landopt.load(f, v).solve(solver="clp") for v in ((), ("realisation_0_7",)))
    assert real.objective == pytest.approx(0.7 * base.objective, rel=1e-9)
    key = ["area", "sector", "year"]
    a = base.allocation.set_index(key)["land"]
    b = real.allocation.set_index(key)["land"].reindex(a.index)
    assert (a - b).abs().max() < 1e-6


def test_jiaxing_developable_space_rule_is_live():
    """JX-2 is a real constraint: a platform with less than 1万亩 of developable space fails it."""
    sc = landopt.load(SCENARIOS / "jiaxing_major_platform.yaml", sets=("areas.park_b.existing.dev_space=500",))
    res = sc.solve(solver=_solver(sc, "clp"))
    assert res.status == "infeasible"
    d = next(d for d in res.diagnosis if d.id == "jx2-dev-space")
    assert d.relaxed == pytest.approx(9000, rel=1e-4)


def test_hangzhou_has_the_17_platforms_with_at_most_3_industries():
    spec = landopt.load(SCENARIOS / "hangzhou_17_platforms.yaml").spec
    assert len(spec.areas) == 17
    names = " ".join(a.name for a in spec.areas.values())
    for n in ("钱塘新区", "城西科创大走廊", "余杭经开区", "未来科技城", "钱江经开区", "萧山经开区", "临空经济示范区",
              "国家高新区", "富阳经开区", "建德经开区", "建德高新区", "紫金港科技城", "青山湖科技城", "桐庐经开区",
              "淳安经开区", "智慧网谷高新区", "钱塘智慧城高新区"):
        assert n in names, n
    assert all(1 <= len(a.allowed) <= 3 for a in spec.areas.values())
    assert sum("strategic" in a.tags for a in spec.areas.values()) == 6


def test_jinhua_has_14_main_platforms_tagged_by_county():
    spec = landopt.load(SCENARIOS / "jinhua_city.yaml").spec
    mains = [a for a in spec.areas.values() if a.role == "main"]
    assert len(mains) == 14
    assert all(a.tags and 2 <= len(a.allowed) <= 3 for a in mains)
    assert len({a.tags[0] for a in mains}) == 10  # the seed's 10 regions


def test_readme_table_lists_every_runnable_scenario():
    text = (SCENARIOS / "README.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    for f in scenario_files():
        rel = f.relative_to(SCENARIOS).as_posix()
        assert any(f"`{rel}`" in row for row in rows), f"{rel} is missing from the scenarios/README.md table"

