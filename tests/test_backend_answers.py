"""Backends' answers judged with each backend's declared accuracy (issue 8, sections 3 and 4).

* lexicographic scenarios with ``tolerance: 0``: CBC used to read stage 1 back ~1e-8 above its
  optimum (8-digit solution file), so holding it exactly made stage 2 infeasible and the scenario
  came back "infeasible";
* PDLP's answers (good to ~4e-7) were judged with 1e-7: a degenerate optimum was reported with
  unique shadow prices;
* PDLP on an infeasible scenario with soft rules ended in "internal error: the independent
  checker rejected the solution" (phase 1 leaves soft violations free);
* at a degenerate optimum the report worded duals of limits it had not re-solved as exact changes;
* budgets did not say in words what they limit (flow or level), and level read "存量".
"""

from __future__ import annotations

import json
import random
import re
from fractions import Fraction

import pytest
from support import LP_BACKENDS, REPO

import landopt
import solvers
from landopt.model.build import MAX
from landopt.report import solve_report
from landopt.report.sections import _SolveReport
from landopt.engine.sensitivity import one_sided

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not {"cbc", "highs", "clp", "glop", "scip", "pdlp"} <= set(LP_BACKENDS),
                                reason="needs ortools and pulp")]

# seeds 7, 8, 11 and 13 came back "infeasible" from CBC before (with exact holds of 8-digit values)
LEX_SEEDS = [0, 3, 7, 8, 11, 13]
TEXT_FAILS = 7
"""A seed whose stage 2 is infeasible under an exact hold of CBC's 8-digit stage-1 value."""


def lexicographic(seed: int) -> dict:
    """A small random scenario: tax, then value added (both held with tolerance 0), then least energy.

    Coefficients are sevenths and thirds, so optima are not short decimals: an answer printed with
    8 significant digits misses them.
    """
    rng = random.Random(seed)
    n_areas, n_sectors = rng.randint(2, 3), rng.randint(2, 4)
    sectors = {f"s{j}": {"name": f"行业{j}", "per_mu": {
        "tax": float(Fraction(rng.randint(10, 90), 7)), "value_added": float(Fraction(rng.randint(50, 400), 3)),
        "energy": float(Fraction(rng.randint(5, 40), 7))}} for j in range(n_sectors)}
    areas = {f"a{i}": {"name": f"区{i}", "role": "main" if i == 0 else "sub", "capacity": rng.randint(20, 90)}
             for i in range(n_areas)}
    return {
        "version": 1, "scenario": {"name": f"lexicographic {seed}"},
        "units": {"area": "mu", "money": "万元", "energy": "tce"},
        "resources": {"land": {"name": "用地", "unit": "mu", "budget": rng.randint(60, 150)},
                      "energy": {"name": "用能", "unit": "tce", "budget": rng.randint(200, 900)}},
        "metrics": {"tax": {"name": "税收", "unit": "万元"}, "value_added": {"name": "增加值", "unit": "万元"}},
        "sectors": sectors, "areas": areas,
        "rules": [{"id": "tilt", "name": "倾斜", "kind": "share", "metric": "land", "part": {"role": "main"},
                   "min": float(Fraction(rng.randint(3, 6), 7))}],
        "objective": [{"maximize": "tax", "tolerance": 0}, {"maximize": "value_added", "tolerance": 0},
                      {"minimize": "energy"}],
    }


def _stages(result) -> list[float]:
    return [s["value"] for s in result.stages]


@pytest.mark.parametrize("seed", LEX_SEEDS)
def test_cbc_solves_exact_lexicographic_stages_like_highs_and_clp(seed):
    sc = landopt.from_dict(lexicographic(seed))
    res = sc.solve(solver="cbc")
    assert res.status == "optimal", (res.status, res.message)
    assert res.diagnosis is None and res.checker["passed"]
    for other in ("highs", "clp"):
        ref = sc.solve(solver=other)
        assert ref.status == "optimal"
        assert _stages(res) == pytest.approx(_stages(ref), rel=1e-6, abs=1e-6), other


def _text_precision(monkeypatch, accuracy: float) -> None:
    """CBC as it was: column values from its 8-digit text file, with this declared accuracy."""
    from solvers import pulp_backend

    monkeypatch.setattr(pulp_backend, "_full_precision", lambda binary, sol, model, x_text: x_text)
    monkeypatch.setattr(pulp_backend.CbcBackend, "accuracy", accuracy)


def test_held_stages_allow_the_declared_accuracy(monkeypatch):
    """8-digit answers declared good to 1e-7: every held stage leaves that much, so stage 2 is feasible."""
    _text_precision(monkeypatch, 1e-7)
    sc = landopt.from_dict(lexicographic(TEXT_FAILS))
    res = sc.solve(solver="cbc")
    assert res.status == "optimal", (res.status, res.message)
    ref = sc.solve(solver="highs")
    assert _stages(res)[0] == pytest.approx(_stages(ref)[0], rel=1e-6)


def test_a_failing_later_stage_keeps_the_earlier_plan_and_is_not_infeasible(monkeypatch):
    """Declared exact, the 8-digit stage-1 value cannot be held: stage 2 fails, the scenario is still feasible."""
    _text_precision(monkeypatch, 0.0)
    sc = landopt.from_dict(lexicographic(TEXT_FAILS))
    res = sc.solve(solver="cbc")
    assert res.status == "numerical_error"
    assert res.diagnosis is None and res.x is not None and res.checker["passed"]
    ref = sc.solve(solver="highs")
    assert _stages(res)[0] == pytest.approx(_stages(ref)[0], rel=1e-6)  # the stage-1 optimum, kept
    k = next(i for i, (a, b) in enumerate(zip(_stages(res), _stages(ref))) if abs(a - b) > 1e-6 * abs(b)) \
        if _stages(res) != pytest.approx(_stages(ref), rel=1e-6) else len(res.stages)
    assert k >= 1  # stage 1 is kept; a later one is not optimised
    assert res.explain.en.startswith("the scenario is feasible and the plan shown is optimal for the first")
    assert "but the solver failed on stage" in res.explain.en and "税收" in res.explain.zh
    assert "情景可行" in res.explain.zh and "级目标" in res.explain.zh
    assert res.to_dict()["status"] == "numerical_error"
    text = solve_report(res, "zh").section("summary").paragraphs
    assert any("情景可行" in p for p in text)


def test_backends_declare_their_measured_accuracy():
    assert solvers.accuracy("pdlp") == 1e-6
    assert all(solvers.accuracy(b) == 1e-9 for b in ("clp", "highs", "glop", "cbc", "scip"))


@pytest.mark.parametrize("stem,variants", [("teaching/t01_cap", ()), ("jinhua_city", ("lp_lists",))])
def test_pdlp_does_not_claim_unique_duals_at_a_degenerate_optimum(stem, variants):
    sc = landopt.load(REPO / "scenarios" / f"{stem}.yaml", variants)
    exact = sc.solve(solver="clp")
    assert exact.degenerate  # primal degenerate: several dual solutions
    res = sc.solve(solver="pdlp")
    assert res.status == "optimal"
    assert res.to_dict()["duals_unique"] is False


SOFT_INFEASIBLE = """\
version: 1
scenario: {name: 软约束与不可行}
units: {area: mu, money: 万元, energy: tce}
resources:
  land:   {name: 新增建设用地指标, unit: mu, budget: 100}
  energy: {name: 新增用能指标, unit: tce, budget: 1000}
metrics:
  tax: {name: 税收, unit: 万元}
sectors:
  chip:    {name: 芯片, per_mu: {tax: 50, energy: 20}}
  textile: {name: 纺织, per_mu: {tax: 10, energy: 5}}
areas:
  core: {name: 核心区, role: main, capacity: 80}
  east: {name: 东片区, role: sub, capacity: 60, existing: {land: 100, tax: 2000}}
rules:
  - {id: textile-soft, name: 纺织力争不少于30亩, kind: floor, metric: land, where: {sector: textile}, min: 30,
     soft: {penalty: 2}}
  - {id: per-mu-tax, name: 东片区亩均税收不低于32万元, kind: intensity, metric: tax, per: land,
     where: {area: east}, each: area, include_existing: true, min: 32}
objective: {maximize: tax}
"""


@pytest.mark.parametrize("backend", ["clp", "highs", "glop", "cbc", "scip", "pdlp"])
def test_infeasible_scenario_with_soft_rules_gets_a_diagnosis_on_every_backend(run_cli, tmp_path, backend):
    path = tmp_path / "soft_infeasible.yaml"
    path.write_text(SOFT_INFEASIBLE, encoding="utf-8")
    r = run_cli("solve", str(path), "--solver", backend, "--format", "json")
    assert r.code == 1, r.err
    assert "internal error" not in r.err
    d = json.loads(r.out)
    assert d["status"] == "infeasible"
    assert [(e["id"], e["bound"]) for e in d["diagnosis"]] == [("per-mu-tax", "min")]
    assert d["diagnosis"][0]["relaxed"] == pytest.approx(30.0, rel=1e-4)
    assert d["checker"]["passed"] is True
    soft = next(x for x in d["rules"] if x["id"] == "textile-soft")
    assert soft["violation"] == pytest.approx(30.0, rel=1e-4)  # what the allocation misses, not phase 1's slack


# ------------------------------------------------------------------ report sentences (issue 8, 4)
NUMBER = re.compile(r"→ (?:at most )?([+-])([\d,]+\.\d+)")


def _finite_difference(sc, result, row, direction: float, base: float) -> float | None:
    """Change of the first stage's optimum per unit of `row`'s bound, re-solved with HiGHS on a model
    rebuilt with the bound moved (loosening: direction +1, improvement per unit; tightening: -1,
    the loss per unit)."""
    model = result.model
    side = int(model.row_side[row.row])
    key = model.instances[int(model.row_inst[row.row])].key(side)
    h = 1e-5 * max(abs(row.bound), 1.0)
    out = 1.0 if side == MAX else -1.0
    moved = sc.with_overrides({key: row.bound + direction * out * h}).solve(solver="highs", canonical=False)
    if moved.status != "optimal":
        return None
    return direction * (moved.objective - base) / h


def test_every_exact_sentence_matches_a_finite_difference_and_bounds_hold():
    """jinhua_city is degenerate with more binding limits than re-solves: every sentence that quotes a
    change as exact must match moving that bound and solving again; the others say "at most" and must
    bound the change."""
    sc = landopt.load(REPO / "scenarios" / "jinhua_city.yaml", ("lp_lists",))  # an LP (no JH-7 count)
    res = sc.solve()  # the default path
    assert res.degenerate and res.spec.stages[0].sense == "max"
    sens = one_sided(res)
    assert sens.skipped > 0  # some binding limits are not re-solved
    report = _SolveReport(res, "en", sens)
    paragraphs = report.shadow().paragraphs
    base = sc.solve(solver="highs", canonical=False).objective
    kinds = {"exact": 0, "bound": 0, "price": 0}
    strict = 0  # bounds that are not the exact change (the old report printed them as exact)
    for row, kind, text in report.worded:
        assert text in paragraphs
        # degenerate: no sentence quotes a dual as it stands, except a violated soft rule's (its penalty:
        # moving its bound moves the violation one for one), checked below like an exact one
        assert kind in ("exact", "bound") or (kind == "price" and row.violation > 0), (kind, text)
        kinds[kind] += 1
        step = report.units.row(row).step
        quoted = [(-1 if sign == "-" else 1) * float(v.replace(",", "")) for sign, v in NUMBER.findall(text)]
        if text.split(". Tightening")[0].endswith("unchanged"):  # worth nothing that way: no number
            quoted.insert(0, 0.0)
        loosen = _finite_difference(sc, res, row, 1.0, base) * step
        tol = 0.006 + 1e-4 * abs(loosen)
        if kind == "bound":
            assert "at most" in text and "Not re-solved" in text
            assert loosen <= quoted[0] + tol, (text, loosen)
            strict += loosen < quoted[0] - tol
            continue
        assert "at most" not in text
        assert quoted[0] == pytest.approx(loosen, abs=tol), (text, loosen)
        if len(quoted) > 1:  # "Tightening by ... → -X"
            tighten = _finite_difference(sc, res, row, -1.0, base)
            assert tighten is not None
            assert -quoted[1] == pytest.approx(tighten * step, abs=0.006 + 1e-4 * abs(tighten * step)), text
    assert kinds["exact"] >= 8 and kinds["bound"] >= 1
    assert strict >= 1  # e.g. raising 义乌市用地指标 by 1 mu: its dual says +35.83, solving again gives 0


def test_sentences_after_the_cap_are_not_worded_as_exact_in_chinese():
    sc = landopt.load(REPO / "scenarios" / "jinhua_city.yaml")
    res = sc.solve()
    paragraphs = solve_report(res, "zh").section("shadow").paragraphs
    bounded = [p for p in paragraphs if "→ 至多" in p]
    assert bounded and all("未重新求解，实际变化可能更小。" in p for p in bounded)
    assert not any("对偶" in p or "影子价格" in p for p in bounded)


# ------------------------------------------------------------------ budgets in words (issue 8, 3)
def test_budgets_say_what_they_limit_in_both_languages():
    res = landopt.load(REPO / "scenarios" / "teaching" / "t06_multiyear.yaml").solve(solver="highs")
    words = {"zh": ("当年新增", "年用量上限 (累计至当年的全部新增用地)"),
             "en": ("given in that year", "yearly use by all land given so far")}
    for lang, (flow, level) in words.items():
        rep = solve_report(res, lang)
        for key in ("resources", "budget_years"):
            table = rep.table(key)
            col = table.column("accounting")
            by_resource = {row[1]: row[col] for row in table.rows}
            assert by_resource == {"新增建设用地指标": flow, "新增用能指标": level}, (lang, key)
        if lang == "zh":
            text = "\n".join(p for s in rep.sections for t in s.tables for p in t.notes)
            assert "存量" not in text and all("存量" not in str(c) for t in (rep.table("resources"),)
                                              for row in t.rows for c in row)
