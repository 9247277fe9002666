"""The report's totals reconcile with the engine's JSON, and Σ allocation x coefficient = objective."""

from __future__ import annotations

import json

import pytest

from landopt.report import solve_report
from landopt.report.model import Cell
from report_helpers import EXAMPLE, MULTIYEAR, solved

REL = 1e-9


def _raw(v):
    return v.value if isinstance(v, Cell) else v


def _objective_from_json(d: dict, res) -> float:
    """Σ land x per-mu coefficient of the objective metric, each year counted in every later year's level."""
    spec = res.spec
    ((metric, weight),) = spec.stages[0].weights.items()
    years = list(spec.years)
    total = 0.0
    for a in d["allocation"]:
        counted = len(years) - years.index(a["year"])  # the yearly levels from that year on
        total += a["land"] * spec.coef(a["area"], a["sector"], metric) * weight * counted
    return total


@pytest.mark.parametrize("path", [EXAMPLE, MULTIYEAR], ids=["single-year", "multi-year"])
def test_allocation_times_coefficient_is_the_objective(path):
    res = solved(path)
    d = json.loads(res.to_json())
    assert _objective_from_json(d, res) == pytest.approx(d["objective"], rel=1e-8)


@pytest.mark.parametrize("path", [EXAMPLE, MULTIYEAR], ids=["single-year", "multi-year"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_totals_equal_the_json(path, lang):
    res = solved(path)
    d = json.loads(res.to_json())
    rep = solve_report(res, lang)
    spec = res.spec
    # land and every resource: the allocation table's total row against the JSON's budget rows
    alloc = rep.table("allocation")
    total = alloc.footer[0]
    used = {}
    for r in d["resources"]:
        acc = spec.resources[r["resource"]].accounting
        # flow: the years add up; level: the final year's level is all new land
        used[r["resource"]] = used.get(r["resource"], 0.0) + r["used"] if acc == "flow" else r["used"]
    assert total[alloc.column("land")] == pytest.approx(used["land"], rel=REL)
    for rid in spec.resources:
        if rid != "land":
            assert total[alloc.column(rid)] == pytest.approx(used[rid], rel=REL), rid
    # the summary's resource table says the same
    resources = rep.table("resources")
    for row in resources.rows:
        rid = list(spec.resources)[row[0] - 1]
        assert _raw(row[resources.column("used")]) == pytest.approx(used[rid], rel=REL)
    # tax: the new tax (after - before) of the performance table is the final year's level
    perf = rep.table("perf_totals")
    new_tax = perf.footer[0][perf.column("tax_after")] - perf.footer[0][perf.column("tax_before")]
    final = spec.years[-1]
    tax_json = sum(a["land"] * spec.coef(a["area"], a["sector"], "tax") for a in d["allocation"]
                   if final is None or a["year"] <= final)
    assert new_tax == pytest.approx(tax_json, rel=1e-8)
    if not spec.multi_year:
        assert new_tax == pytest.approx(d["objective"], rel=1e-8)
    # the objective in the overview is the JSON's
    overview = rep.table("overview")
    values = [_raw(r[overview.column("value")]) for r in overview.rows]
    assert d["objective"] in values
    # the matrix adds up to the same land
    matrix = rep.table("matrix")
    assert matrix.footer[0][-1] == pytest.approx(used["land"], rel=REL)


def test_shown_total_is_the_json_rounded(run_cli):
    """The text report shows the JSON's numbers, rounded as documented (亩 to 0.1, 万元 to 1)."""
    out = run_cli("solve", str(EXAMPLE), "--solver", "highs", "--lang", "zh").out
    d = json.loads(run_cli("solve", str(EXAMPLE), "--solver", "highs", "--format", "json").out)
    land = next(r["used"] for r in d["resources"] if r["resource"] == "land")
    line = next(ln for ln in out.splitlines() if "| 合计 " in ln and "100.0%" in ln)
    assert f"{land:,.1f}" in line
    assert f"{d['objective']:,.0f}" in out
