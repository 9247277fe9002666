"""LP/MPS writers: exact text for a small problem, legal names, and round trips.

Round trips: CBC (PuLP's binary) reads both formats; OR-Tools' own MPS reader
(`model_builder.Model.import_from_mps_string`) reads every MPS file back into the same
problem, bit for bit, and HiGHS (through OR-Tools) solves it to the same optimum. OR-Tools'
LP reader is not used: it reads lp_solve's format (``min: x + y;``), not CPLEX LP, and
rejects every file written here (and OR-Tools' own LP exports too).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backend_checks import assert_close, needs
from reference_problems import BY_NAME, REFERENCES, Reference
from solvers import LinearProblem, Status, legal_names, make_problem, solve, to_lp, to_mps
from solvers.lpfile import LINE_WIDTH, format_number

INF = np.inf
ROOT = Path(__file__).resolve().parents[2]


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


def greedy_wrap(prefix: str, tokens: list[str]) -> list[str]:
    """The wrapping rule, token by token: a token that would make the line longer than
    LINE_WIDTH starts a new line, unless the line is still blank."""
    lines, line = [], prefix
    for token in tokens:
        if len(line) + 1 + len(token) > LINE_WIDTH and line.strip():
            lines.append(line)
            line = ""
        line = f"{line} {token}"
    lines.append(line)
    return lines


def lp_terms(coefs: np.ndarray, names: list[str]) -> list[str]:
    """'3 x', '- 2 y', ... for the nonzero coefficients (the first carries its own sign)."""
    terms: list[str] = []
    for coef, name in zip(coefs, names, strict=True):
        if coef != 0:
            number = format_number(coef) if not terms else (
                f"- {format_number(-coef)}" if coef < 0 else f"+ {format_number(coef)}")
            terms.append(f"{number} {name}")
    return terms


def test_long_expressions_wrap_greedily() -> None:
    """Objective and rows of varied lengths (one label too long for any term) wrap as the rule says."""
    rng = np.random.default_rng(5)
    n = 150
    names = [f"c{j}_" + "x" * int(k) for j, k in enumerate(rng.integers(0, 60, n))]
    A = rng.choice([0, 0, 1, -2.5, 1 / 3, 7e-9], size=(3, n))
    c = rng.choice([0, 1, -1 / 7], n)
    problem = make_problem(c, A, [-INF, 1, -2], [5, INF, 9], col_names=names, row_names=["r" * 245, "s", "t"],
                           sense="max", c0=-2.5)
    text = to_lp(problem)
    expected = ["Maximize", *greedy_wrap(" obj:", [*lp_terms(c, names), "- 2.5"]), "Subject To",
                *greedy_wrap(f" {'r' * 245}:", [*lp_terms(A[0], names), "<=", "5"]),
                *greedy_wrap(" s:", [*lp_terms(A[1], names), ">=", "1"]),
                *greedy_wrap(" t_lo:", [*lp_terms(A[2], names), ">=", "-2"]),
                *greedy_wrap(" t_hi:", [*lp_terms(A[2], names), "<=", "9"]), "Bounds"]
    lines = text.splitlines()
    start = lines.index("Maximize")
    assert lines[start:lines.index("Bounds") + 1] == expected
    assert f" {'r' * 245}:" in expected  # the label that no term fits after stands alone
    assert len(expected) > 40  # and the expressions did wrap, many times


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
    # CBC 2.10 dies (SIGFPE) reading an LP file whose every row is free (no constraint left to write): a
    # defect of its LP reader, not of the file; the MPS file of the same problem reads fine
    no_rows = not bool(np.any(np.isfinite(problem.row_lo) | np.isfinite(problem.row_hi)))
    with tempfile.TemporaryDirectory() as tmp:
        for suffix, text in ((".mps", to_mps(problem)), (".lp", to_lp(problem))):
            if suffix == ".lp" and no_rows:
                continue
            path = Path(tmp) / f"model{suffix}"
            path.write_text(text)
            word, objective = cbc_objective(path, problem, Path(tmp))
            assert word == "Optimal"
            assert_close(objective, direct.objective, 1e-7, f"{suffix} objective")


# ------------------------------------------------- read-back through OR-Tools' MPS reader
def read_mps_with_ortools(text: str):
    """The model OR-Tools' MPS reader finds in `text` (skips without OR-Tools)."""
    mb = pytest.importorskip("ortools.linear_solver.python.model_builder")
    model = mb.Model()
    assert model.import_from_mps_string(text), "OR-Tools could not read the MPS file"
    return model


def assert_same_problem(model, problem: LinearProblem) -> None:
    """The model read back is `problem`: same names, sense, constant, bounds, integrality, matrix.

    Columns are matched by name (a writer may list them in another order, e.g. integer
    columns first). Everything is compared exactly, bit for bit, except the lower end of a
    range row: MPS stores a range as its upper end and a width, so it reads back as
    hi - (hi - lo), which may differ from lo by one rounding.
    """
    h = model.helper
    n, m = problem.n, problem.m
    assert (h.num_variables(), h.num_constraints()) == (n, m)
    cols = legal_names(problem.col_name(j) for j in range(n))
    where = {h.var_name(k): k for k in range(n)}
    assert sorted(where) == sorted(cols)
    order = [where[name] for name in cols]
    assert [h.constraint_name(i) for i in range(m)] == legal_names((problem.row_name(i) for i in range(m)),
                                                                   taken=["obj"])
    assert h.maximize() == problem.maximize
    assert h.objective_offset() == problem.c0
    np.testing.assert_array_equal([h.var_objective_coefficient(k) for k in order], problem.c)
    np.testing.assert_array_equal([h.var_lower_bound(k) for k in order], problem.col_lo)
    np.testing.assert_array_equal([h.var_upper_bound(k) for k in order], problem.col_hi)
    integer = problem.integer if problem.integer is not None else np.zeros(n, dtype=bool)
    np.testing.assert_array_equal([h.var_is_integral(k) for k in order], integer)
    lo = np.array([h.constraint_lower_bound(i) for i in range(m)], dtype=float)
    hi = np.array([h.constraint_upper_bound(i) for i in range(m)], dtype=float)
    np.testing.assert_array_equal(hi, problem.row_hi)
    ranged = np.isfinite(problem.row_lo) & np.isfinite(problem.row_hi) & (problem.row_lo != problem.row_hi)
    np.testing.assert_array_equal(lo[~ranged], problem.row_lo[~ranged])
    slack = 4 * np.finfo(float).eps * np.maximum(np.abs(problem.row_lo), np.abs(problem.row_hi))
    assert np.all(np.abs(lo[ranged] - problem.row_lo[ranged]) <= slack[ranged])
    read = np.zeros((m, n))
    for i in range(m):
        read[i, h.constraint_var_indices(i)] = h.constraint_coefficients(i)
    np.testing.assert_array_equal(read[:, order], problem.A.toarray())


def hostile_numbers() -> LinearProblem:
    """Values that a short number format loses: 1/3, 12 and 17 significant digits, extremes."""
    third, big, tiny, huge = 1 / 3, 123456789012.34567, 5e-324, 1.7976931348623157e308
    return make_problem(
        [third, -2 / 7, 0.1, 1e-7], [[third, 1.0000000000000002, 0, 1e16], [0.1, 0, 2 / 3, tiny]],
        [-INF, -big], [big, third], [-third, -INF, 0, 1e-300], [huge, 12345.678901234567, 1e22, 1],
        sense="max", c0=0.30000000000000004, integer=[False, False, True, False], name="hostile")


@pytest.mark.parametrize("problem", [golden_problem(), hostile_numbers(), *(r.problem for r in REFERENCES)],
                         ids=["golden", "hostile_numbers", *(r.name for r in REFERENCES)])
def test_mps_reads_back_as_the_same_problem(problem: LinearProblem) -> None:
    assert_same_problem(read_mps_with_ortools(to_mps(problem)), problem)


@pytest.mark.parametrize("ref", [r for r in REFERENCES if r.status is Status.OPTIMAL], ids=lambda r: r.name)
def test_mps_read_by_ortools_solves_to_the_same_optimum_with_highs(ref: Reference) -> None:
    mb = pytest.importorskip("ortools.linear_solver.python.model_builder")
    solver = mb.Solver("highs")
    if not solver.solver_is_supported():
        pytest.skip("this OR-Tools has no HiGHS")
    model = read_mps_with_ortools(to_mps(ref.problem))
    assert solver.solve(model) == mb.SolveStatus.OPTIMAL
    assert_close(solver.objective_value, ref.objective, 1e-9, "objective")


FINITE = st.floats(allow_nan=False, allow_infinity=False)
BOUND = st.floats(-1e300, 1e300)
"""Row bounds stay below 1e300 so that a range's width hi - lo cannot overflow (MPS has no way to
write a range wider than the largest double)."""


@st.composite
def hostile_lps(draw: st.DrawFn) -> LinearProblem:
    """Small problems whose every number is an arbitrary double (feasibility not needed)."""
    n, m = draw(st.integers(1, 3)), draw(st.integers(0, 3))
    A = np.array(draw(st.lists(st.one_of(st.just(0.0), FINITE), min_size=m * n, max_size=m * n))).reshape(m, n)

    def bounds(size: int) -> tuple[np.ndarray, np.ndarray]:
        pairs = [sorted([draw(st.one_of(BOUND, st.just(-INF))), draw(st.one_of(BOUND, st.just(INF)))])
                 for _ in range(size)]
        return np.array([lo for lo, _ in pairs]).reshape(size), np.array([hi for _, hi in pairs]).reshape(size)

    row_lo, row_hi = bounds(m)
    col_lo, col_hi = bounds(n)
    integer = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return make_problem(draw(st.lists(FINITE, min_size=n, max_size=n)), A, row_lo, row_hi, col_lo, col_hi,
                        sense=draw(st.sampled_from(["max", "min"])), c0=draw(FINITE), integer=integer,
                        row_names=draw(st.lists(st.text(NAME_CHARS, max_size=4), min_size=m, max_size=m)),
                        col_names=draw(st.lists(st.text(NAME_CHARS, max_size=4), min_size=n, max_size=n)))


@settings(max_examples=60, deadline=None)
@given(problem=hostile_lps())
def test_random_mps_reads_back_exactly(problem: LinearProblem) -> None:
    assert_same_problem(read_mps_with_ortools(to_mps(problem)), problem)


@needs("cbc")
def test_lp_column_without_lower_bound_reads_back(tmp_path: Path) -> None:
    """-inf <= y <= 5 must not read back as 0 <= y <= 5 (a bare 'y <= 5' keeps the default 0)."""
    problem = make_problem([1], [[1]], [-10], [INF], [-INF], [5], sense="min", col_names=["y"])
    path = tmp_path / "model.lp"
    path.write_text(to_lp(problem))
    word, objective = cbc_objective(path, problem, tmp_path)
    assert (word, objective) == ("Optimal", -10.0)


_FRESH_PROCESS = """
import hashlib
from solvers import make_problem, to_lp, to_mps
inf = float("inf")
p = make_problem([1, 2, 3], [[1, 0, 2], [0, 1, 1]], [-inf, 1], [4, 6], [0, -inf, 0], [inf, 3, 9],
                 integer=[False, False, True], c0=1.5,
                 row_names=["a b", "a b"], col_names=["x", "x", "x y"], name="fresh")
print(hashlib.sha256((to_lp(p) + to_mps(p)).encode()).hexdigest())
"""


def test_output_is_the_same_in_fresh_processes() -> None:
    """Same bytes in processes with different string hashing (no set or dict order leaks out)."""
    inf = INF
    p = make_problem([1, 2, 3], [[1, 0, 2], [0, 1, 1]], [-inf, 1], [4, 6], [0, -inf, 0], [inf, 3, 9],
                     integer=[False, False, True], c0=1.5,
                     row_names=["a b", "a b"], col_names=["x", "x", "x y"], name="fresh")
    here = hashlib.sha256((to_lp(p) + to_mps(p)).encode()).hexdigest()
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", _FRESH_PROCESS], cwd=ROOT, capture_output=True, text=True,
                             check=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
        assert out.stdout.strip() == here
