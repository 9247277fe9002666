"""LP/MPS writers: exact text for a small problem, legal names, and round trips through CBC."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest
from backend_checks import assert_close, needs
from hypothesis import given, settings
from hypothesis import strategies as st
from reference_problems import BY_NAME, REFERENCES, Reference

from solvers import LinearProblem, Status, legal_names, make_problem, solve, to_lp, to_mps
from solvers.lpfile import format_number

INF = np.inf


def golden_problem() -> LinearProblem:
    """Every feature once: ranges, equality, free/bounded/integer columns, constant, bad names."""
    return make_problem(
        [3, 5, -1.5, 0], [[1, 0, 0, 0], [0, 2, 0.1, 0], [1, 1, 0, 1], [1, -1, 0, 0]],
        [-INF, 1, 2, 0], [4, 12, INF, 0], [0, -INF, -2, 0], [INF, 6, 2.5, 10],
        sense="max", c0=7.25, integer=[False, False, False, True],
        row_names=["cap", "land use", "cap", "e1"], col_names=["x", "y", "z", "k"], name="golden",
    )


GOLDEN_LP = r"""\ Problem: golden
\ 4 rows, 4 columns, 8 nonzeros, sense max
\ Renamed (legal name <- original name):
\   row land_use <- land use
\   row cap_2 <- cap
\   row _e1 <- e1
Maximize
 obj: 3 x + 5 y - 1.5 z + 7.25
Subject To
 cap: 1 x <= 4
 land_use_lo: 2 y + 0.1 z >= 1
 land_use_hi: 2 y + 0.1 z <= 12
 cap_2: 1 x + 1 y + 1 k >= 2
 _e1: 1 x - 1 y = 0
Bounds
 -inf <= y <= 6
 -2 <= z <= 2.5
 0 <= k <= 10
General
 k
End
"""

GOLDEN_MPS = """* Problem: golden
* 4 rows, 4 columns, 8 nonzeros, sense max
* Renamed (legal name <- original name):
*   row land_use <- land use
*   row cap_2 <- cap
*   row _e1 <- e1
NAME golden
OBJSENSE
    MAX
ROWS
 N  obj
 L  cap
 L  land_use
 G  cap_2
 E  _e1
COLUMNS
    x         obj       3
    x         cap       1
    x         cap_2     1
    x         _e1       1
    y         obj       5
    y         land_use  2
    y         cap_2     1
    y         _e1       -1
    z         obj       -1.5
    z         land_use  0.1
    MARKER    'MARKER'                 'INTORG'
    k         cap_2     1
    MARKER    'MARKER'                 'INTEND'
RHS
    RHS       obj       -7.25
    RHS       cap       4
    RHS       land_use  12
    RHS       cap_2     2
RANGES
    RNG       land_use  11
BOUNDS
 MI BND       y
 UP BND       y         6
 LO BND       z         -2
 UP BND       z         2.5
 LO BND       k         0
 UP BND       k         10
ENDATA
"""


def test_lp_text_is_exactly_as_expected() -> None:
    assert to_lp(golden_problem()) == GOLDEN_LP


def test_mps_text_is_exactly_as_expected() -> None:
    assert to_mps(golden_problem()) == GOLDEN_MPS


def test_writers_are_deterministic() -> None:
    assert to_lp(golden_problem()) == to_lp(golden_problem())
    assert to_mps(golden_problem()) == to_mps(golden_problem())


def test_legal_names() -> None:
    names = ["a b", "a_b", "1x", "é", "", "e12", "free", "x" * 300, "a b", "x.y", ".dot", "Ex", "E"]
    assert legal_names(names) == [
        "a_b", "a_b_2", "_1x", "_", "__2", "_e12", "_free", "x" * 255, "a_b_3", "x.y", "_.dot", "Ex", "_E",
    ]
    assert legal_names(["obj", "obj"], taken=["obj"]) == ["obj_2", "obj_3"]
    assert legal_names(["x" * 300, "x" * 256]) == ["x" * 255, "x" * 253 + "_2"]


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0"), (-0.0, "0"), (3.0, "3"), (-1.5, "-1.5"), (0.1, "0.1"), (1e-7, "1e-07"),
    (1e16, "1e+16"), (1 / 3, "0.3333333333333333"), (123456789012.0, "123456789012"),
])
def test_numbers_round_trip_exactly(value: float, text: str) -> None:
    assert format_number(value) == text
    assert float(text) == value


def test_comments_never_break_lines() -> None:
    problem = make_problem([1], [[1]], [-INF], [1], row_names=["two\nlines"], name="x\ny")
    text = to_lp(problem)
    assert "\\ Problem: x y" in text
    assert "two lines" in text and "two\nlines" not in text


def test_long_rows_are_wrapped() -> None:
    n = 200
    problem = make_problem(np.ones(n), np.ones((1, n)), [-INF], [1.0],
                           col_names=[f"column_with_a_long_name_{j}" for j in range(n)])
    lines = to_lp(problem).splitlines()
    assert max(len(line) for line in lines) <= 255


# ------------------------------------------------------------------------ round trips
def cbc_binary() -> str:
    """Path of PuLP's bundled CBC (the test skips without PuLP)."""
    pulp = pytest.importorskip("pulp")
    return pulp.PULP_CBC_CMD(msg=False).path


def cbc_objective(path: Path, problem: LinearProblem, tmp_path: Path) -> tuple[str, float]:
    """Solve a written LP/MPS file with PuLP's CBC binary; return its status word and objective.

    The objective is recomputed from the column values CBC reports (matched by their
    legal names) in the original problem: CBC 2.10's LP reader drops the objective
    constant of a minimisation, so its own objective value cannot be compared.
    """
    solution = tmp_path / "out.sol"
    args = [cbc_binary(), str(path)]
    if problem.maximize and path.suffix == ".mps":
        args.append("-max")  # CBC 2.10 ignores OBJSENSE
    args += ["-solve", "-printingOptions", "all", "-solution", str(solution)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    headline, *rows = solution.read_text().splitlines()
    values = {}
    for row in rows:
        fields = row.replace("**", " ").split()
        values[fields[1]] = float(fields[2])
    names = legal_names(problem.col_name(j) for j in range(problem.n))
    x = np.array([values.get(name, 0.0) for name in names])
    return headline.split()[0], problem.objective_value(x)


@pytest.mark.parametrize("suffix", [".mps", ".lp"])
@pytest.mark.parametrize("ref", [r for r in REFERENCES if r.status is Status.OPTIMAL], ids=lambda r: r.name)
def test_round_trip_through_cbc(ref: Reference, suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"model{suffix}"
    path.write_text(to_mps(ref.problem) if suffix == ".mps" else to_lp(ref.problem))
    word, objective = cbc_objective(path, ref.problem, tmp_path)
    assert word == "Optimal"
    assert_close(objective, ref.objective, 1e-7, "objective")


@pytest.mark.parametrize("ref", [BY_NAME["lp_free_columns_with_constant"], BY_NAME["lp_empty"]],
                         ids=lambda r: r.name)
def test_mps_objective_constant_is_read_back(ref: Reference, tmp_path: Path) -> None:
    path = tmp_path / "model.mps"
    path.write_text(to_mps(ref.problem))
    solution = tmp_path / "out.sol"
    args = [cbc_binary(), str(path), *(["-max"] if ref.problem.maximize else []),
            "-solve", "-solution", str(solution)]
    subprocess.run(args, check=True, capture_output=True, timeout=60)
    headline = solution.read_text().splitlines()[0]
    assert headline.startswith("Optimal")
    assert float(headline.split()[-1]) == pytest.approx(ref.objective, rel=1e-9)


@needs("cbc")
@pytest.mark.parametrize("suffix", [".mps", ".lp"])
def test_round_trip_of_the_golden_problem(suffix: str, tmp_path: Path) -> None:
    problem = golden_problem()
    path = tmp_path / f"golden{suffix}"
    path.write_text(to_mps(problem) if suffix == ".mps" else to_lp(problem))
    word, objective = cbc_objective(path, problem, tmp_path)
    assert word == "Optimal"
    assert_close(objective, solve(problem, "auto").objective, 1e-7, "objective")


NAME_CHARS = st.sampled_from(["a", "B", "x", "1", " ", "é", "土", "[", "]", ",", ":", "+", "-", ".", "_", "e"])


@st.composite
def named_lps(draw: st.DrawFn) -> LinearProblem:
    """Feasible bounded LPs (x in [0, 4]) whose row and column names are hostile."""
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    A = np.array(draw(st.lists(st.sampled_from([-2.0, -1.0, 0.0, 0.5, 1.0, 3.0]), min_size=m * n, max_size=m * n)))
    A = A.reshape(m, n)
    activity = A @ np.full(n, 1.0)
    lo = activity - np.array(draw(st.lists(st.sampled_from([0.0, 1.0, INF]), min_size=m, max_size=m)))
    hi = activity + np.array(draw(st.lists(st.sampled_from([0.0, 2.0, INF]), min_size=m, max_size=m)))
    name = st.text(NAME_CHARS, max_size=6)
    return make_problem(draw(st.lists(st.sampled_from([-1.0, 0.0, 2.0]), min_size=n, max_size=n)), A, lo, hi,
                        np.zeros(n), np.full(n, 4.0), sense=draw(st.sampled_from(["max", "min"])),
                        row_names=draw(st.lists(name, min_size=m, max_size=m)),
                        col_names=draw(st.lists(name, min_size=n, max_size=n)),
                        c0=draw(st.sampled_from([0.0, -3.5])))


@needs("cbc")
@settings(max_examples=15, deadline=None)
@given(problem=named_lps())
def test_random_round_trip_matches_a_direct_solve(problem: LinearProblem) -> None:
    direct = solve(problem, "auto")
    assert direct.status is Status.OPTIMAL
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, text in ((".mps", to_mps(problem)), (".lp", to_lp(problem))):
            path = Path(tmp) / f"model{suffix}"
            path.write_text(text)
            word, objective = cbc_objective(path, problem, Path(tmp))
            assert word == "Optimal"
            assert_close(objective, direct.objective, 1e-7, f"{suffix} objective")
