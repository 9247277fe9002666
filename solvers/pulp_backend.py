"""CBC, the binary bundled with PuLP, run as a child process.

PuLP builds the model (one `LpVariable` per column, one `LpAffineExpression` per row),
writes the MPS file and parses CBC's solution file; this module runs the CBC process
itself instead of `PULP_CBC_CMD.actualSolve`, because PuLP's own runner leaves the child
running and its temporary files behind when the wait is interrupted or fails. Here every
file lives in a private temporary directory that is always removed, and the child (in its
own session, so a terminal Ctrl-C reaches only Python) is killed on KeyboardInterrupt,
on any error, and if it overruns its time limit by more than a grace period.

Facts this module relies on (checked against pulp 3.3.2 and its CBC 2.10.3):

* CBC's row duals and reduced costs (PuLP's `.pi` / `.dj`) already follow our
  convention for both senses and for <=, >= and = rows (PuLP's HiGHS interface does
  not: its signs flip for max problems).
* CBC ignores OBJSENSE in MPS files; a maximisation needs `-max` on the command line.
* PuLP has no range rows, so a range row is sent as a `>=` and a `<=` row and its dual is
  the sum of the two (at most one is nonzero). Free rows are not sent; rows without
  coefficients are checked here and not sent either.
* PuLP's status for "Stopped on time - objective value ..." is *Optimal* with
  sol_status *IntegerFeasible*; the first line of the solution file tells which limit
  stopped CBC, and `sol_status` whether a solution came with it.
* `-sec` counts CPU time unless `-timeMode elapsed` is given.
* PuLP writes MPS numbers with 13 significant digits, so CBC sees coefficients rounded
  to about 5e-13 relative.
* The solution file prints every value with 8 significant digits (``%15.8g``), so a point read
  from it misses row bounds by up to 2e-8 and its objective the optimum by up to 7e-9 (relative;
  measured), which made an exact hold of a lexicographic stage's optimum infeasible. For an LP,
  CBC also writes its answer in binary (``-saveSolution``: int rows, int columns, double
  objective, row activities, row duals, column values, column reduced costs, in MPS order); the
  column values are taken from there, in full precision, matched to names through the text
  file's column indices. Duals stay the text file's (they are only reported, to 6 digits).

`SolveOptions.passthrough` entries become CBC command-line options: {"presolve": "off"}
adds ``-presolve off`` before the solve command.
"""

from __future__ import annotations

import math
import os
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import IO, TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from solvers._support import canonical_csr, interrupt_pending, is_feasible, sigint_calls, sigint_deferred
from solvers.base import Backend, BackendUnavailable, Capability
from solvers.problem import LinearProblem
from solvers.result import SolveOptions, SolveResult, Status

if TYPE_CHECKING:
    from pulp import PULP_CBC_CMD, LpProblem, LpVariable

EMPTY_ROW_TOL = 1e-9
"""An empty row is infeasible when 0 misses its bounds by more than this (relative)."""
KILL_GRACE = 10.0
"""Seconds (plus a quarter of the limit) CBC may overrun its time limit before it is killed."""


@dataclass
class _Model:
    """The PuLP model, how its rows map back to ours, and the names PuLP wrote to MPS."""

    lp: LpProblem
    variables: list[LpVariable]
    row_of: dict[str, int]
    """Row index for every PuLP constraint name."""
    var_names: dict[str, str] = field(default_factory=dict)
    con_names: dict[str, str] = field(default_factory=dict)

    def write_mps(self, path: str) -> None:
        """Write the MPS file with PuLP's normalised names and remember the name maps."""
        _, self.var_names, self.con_names, _ = self.lp.writeMPS(path, rename=1)


class CbcBackend(Backend):
    """CBC (bundled with PuLP) on an MPS file written by PuLP."""

    name = "cbc"
    display_name = "CBC (PuLP, bundled binary)"
    branch_on_choices = False
    """Measured on benchmarks/bench_milp.py's county (first MILP, seconds, without -> with the aggregate
    columns): 20 projects 0.2 -> 0.3, 40: 2.6 -> 5.0, 50: 1.9 -> 7.7, 30: 194 -> 282 (CBC's own strong
    branching already picks useful variables); HiGHS and SCIP gain (30 projects: 41.6 -> 1.3 s, 39.4 -> 24.6 s)."""
    library = "pulp"
    required_modules = ("pulp",)
    description = "COIN-OR CBC run as a child process through PuLP's MPS writer; LP duals, MILP."
    capabilities = frozenset({Capability.LP, Capability.MILP, Capability.DUALS, Capability.TIME_LIMIT,
                              Capability.MIP_GAP, Capability.INTERRUPT})
    accuracy = 1e-9
    """Measured on 93 LPs (the scenarios and their variants, 60 random lexicographic ones with
    coefficients in sevenths and thirds, gen.py's 1e3 and 1e4): with the column values read from the
    binary solution, points miss row bounds by up to 2.2e-13 and objectives the optimum by up to
    2.2e-13 (relative), as exact as the other simplex codes. Read from the 8-digit text file they
    missed by up to 2.2e-8 and 6.8e-9 (so 1e-7 would be needed if the binary file ever went missing)."""

    def solve(self, problem: LinearProblem, options: SolveOptions) -> SolveResult:
        """Build with PuLP, run CBC in a child process and read its solution file."""
        # lazy: importing solvers imports no solver library
        import pulp

        started = time.perf_counter()
        nonzeros = _nonzeros_per_row(problem)
        violated = _violated_empty_row(problem, nonzeros)
        if violated is not None:
            return SolveResult(Status.INFEASIBLE, self.name, native_status="empty row",
                               message=f"row {problem.row_name(violated)} has no coefficients and "
                                       f"0 is outside its bounds", runtime=time.perf_counter() - started)
        cbc = pulp.PULP_CBC_CMD(msg=False)
        if not cbc.available():
            msg = f"PuLP's bundled CBC binary is missing or not executable: {cbc.path}"
            raise BackendUnavailable(msg)
        model = _build(pulp, problem, nonzeros)
        with tempfile.TemporaryDirectory(prefix="solvers-cbc-") as workdir:
            mps, sol = os.path.join(workdir, "model.mps"), os.path.join(workdir, "model.sol")
            model.write_mps(mps)
            log = os.path.join(workdir, "cbc.log")
            returncode, overran = _run(_command(cbc.path, mps, sol, problem, options, _binary(sol)), options, log)
            if overran:
                result = SolveResult(Status.TIME_LIMIT, self.name, native_status="killed",
                                     message="CBC overran its time limit and was stopped")
            elif returncode != 0 or not os.path.exists(sol):
                result = SolveResult(Status.ERROR, self.name, native_status=f"exit code {returncode}",
                                     message=f"CBC exited with code {returncode} and no solution file")
            else:
                result = _read_solution(cbc, sol, model, problem, options)
                if problem.is_mip and result.x is not None:
                    result.bound = _mip_bound(log, result)
        result.runtime = time.perf_counter() - started
        return result


def _nonzeros_per_row(problem: LinearProblem) -> NDArray[np.int64]:
    """How many nonzero coefficients each row has (explicit zeros do not count)."""
    A = canonical_csr(problem.A)
    return np.bincount(np.repeat(np.arange(problem.m), np.diff(A.indptr)), weights=(A.data != 0).astype(float),
                       minlength=problem.m).astype(np.int64)


def _violated_empty_row(problem: LinearProblem, nonzeros: NDArray[np.int64]) -> int | None:
    """Index of the first row without coefficients whose bounds exclude 0, if any."""
    lo, hi = problem.row_lo, problem.row_hi
    bad = (nonzeros == 0) & ((lo > EMPTY_ROW_TOL * (1.0 + np.abs(lo))) | (hi < -EMPTY_ROW_TOL * (1.0 + np.abs(hi))))
    hits = np.flatnonzero(bad)
    return int(hits[0]) if hits.size else None


def _build(pulp: ModuleType, problem: LinearProblem, nonzeros: NDArray[np.int64]) -> _Model:
    """The PuLP model: columns x0.., constraints l<i>/g<i>/e<i> for the bounded rows with coefficients."""
    lp = pulp.LpProblem("solvers", pulp.LpMaximize if problem.maximize else pulp.LpMinimize)
    integer = problem.integer if problem.integer is not None else np.zeros(problem.n, dtype=bool)
    variables = [
        pulp.LpVariable(f"x{j}", lowBound=None if lo == -math.inf else lo, upBound=None if hi == math.inf else hi,
                        cat=pulp.LpInteger if is_int else pulp.LpContinuous)
        for j, (lo, hi, is_int) in enumerate(zip(problem.col_lo.tolist(), problem.col_hi.tolist(),
                                                 integer.tolist(), strict=True))
    ]
    lp.setObjective(pulp.LpAffineExpression(zip(variables, problem.c.tolist(), strict=True)))
    A = canonical_csr(problem.A)
    indptr, indices, data = A.indptr, A.indices.tolist(), A.data.tolist()
    row_of: dict[str, int] = {}
    for i, (lo, hi) in enumerate(zip(problem.row_lo.tolist(), problem.row_hi.tolist(), strict=True)):
        if nonzeros[i] == 0 or (lo == -math.inf and hi == math.inf):
            continue
        start, end = int(indptr[i]), int(indptr[i + 1])
        expr = pulp.LpAffineExpression(zip((variables[j] for j in indices[start:end]), data[start:end], strict=True))
        for name, sense, rhs in _sides(i, lo, hi, pulp):
            lp.addConstraint(pulp.LpConstraint(expr, sense, name, rhs))
            row_of[name] = i
    return _Model(lp, variables, row_of)


def _sides(i: int, lo: float, hi: float, pulp: ModuleType) -> list[tuple[str, int, float]]:
    """(name, PuLP sense, rhs) of the constraints that stand for row i."""
    if lo == hi:
        return [(f"e{i}", pulp.LpConstraintEQ, lo)]
    sides = []
    if lo != -math.inf:
        sides.append((f"g{i}", pulp.LpConstraintGE, lo))
    if hi != math.inf:
        sides.append((f"l{i}", pulp.LpConstraintLE, hi))
    return sides


def _binary(sol: str) -> str:
    """Where CBC writes its binary solution beside the text one."""
    return sol + ".bin"


def _command(path: str, mps: str, sol: str, problem: LinearProblem, options: SolveOptions,
             binary: str | None = None) -> list[str]:
    """The CBC command line (for an LP, also writing the binary solution to `binary`)."""
    args = [path, mps]
    if problem.maximize:
        args.append("-max")
    if options.time_limit is not None:
        args += ["-timeMode", "elapsed", "-sec", repr(max(0.0, options.time_limit))]
    if problem.is_mip:
        args += ["-ratioGap", repr(options.mip_rel_gap)]
        if options.threads is not None:
            args += ["-threads", str(options.threads)]
    for option, value in options.passthrough.items():
        args += [f"-{option}", str(value)]
    args.append("-solve" if problem.is_mip else "-initialSolve")
    if binary is not None and not problem.is_mip:
        args += ["-saveSolution", binary]
    return [*args, "-printingOptions", "all", "-solution", sol]


def _mip_bound(log: str, result: SolveResult) -> float | None:
    """The best bound of a MILP from CBC's log: its `Upper bound:` (maximising) or `Lower bound:` line when it
    stopped early; the objective itself when it proved optimality (within the asked gap, where CBC prints no
    bound); None when the log says nothing."""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        head, _, value = line.partition(":")
        if head.strip() in ("Upper bound", "Lower bound"):
            try:
                return float(value)
            except ValueError:
                return None
    if result.status is Status.OPTIMAL:
        return result.objective
    return None


def _run(args: list[str], options: SolveOptions, log: str | None = None) -> tuple[int, bool]:
    """Run CBC; return (exit code, whether it had to be killed for overrunning its time limit).

    The child is killed, and waited for, if anything (a KeyboardInterrupt included)
    interrupts the wait. A SIGINT that arrives while the child is being started is held
    until `Popen` has returned, because an exception inside `Popen()` leaves the already
    forked child running with nothing to kill it.
    """
    sink = open(log, "wb") if log is not None and not options.verbose else None  # noqa: SIM115 (closed below)
    output: int | IO[bytes] = 2 if options.verbose else (sink if sink is not None else subprocess.DEVNULL)
    try:
        return _wait(args, options, output)
    finally:
        if sink is not None:
            sink.close()


def _wait(args: list[str], options: SolveOptions, output: int | IO[bytes]) -> tuple[int, bool]:
    """Start CBC with its output to `output` and wait for it (see `_run`)."""
    deadline = None if options.time_limit is None else 1.25 * max(0.0, options.time_limit) + KILL_GRACE
    with sigint_deferred() as early:  # a Ctrl-C inside Popen() would orphan the child
        child = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=output, stderr=output,
                                 start_new_session=True, preexec_fn=_die_with_parent)
    with child:
        try:
            if early.is_set() or interrupt_pending():
                raise KeyboardInterrupt
            with sigint_calls(child.kill):  # a Ctrl-C kills CBC at once, then comes out as KeyboardInterrupt
                return child.wait(timeout=deadline), False
        except subprocess.TimeoutExpired:
            _kill(child)
            return child.returncode, True
        except BaseException:
            _kill(child)
            raise


def _die_with_parent() -> None:
    """In the CBC child (Linux): get SIGKILL when the parent dies, even if it is killed outright.

    Without this, a landopt process killed with SIGKILL (a CI timeout, an OOM kill) would leave
    CBC running on its own, since it runs in a session of its own.
    """
    try:
        import ctypes  # lazy: only on Linux, in the child (prctl)

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass


def _kill(child: subprocess.Popen[bytes]) -> None:
    """Kill the CBC child and reap it."""
    child.kill()
    child.wait()


def _read_solution(cbc: PULP_CBC_CMD, sol: str, model: _Model, problem: LinearProblem,
                   options: SolveOptions) -> SolveResult:
    """Parse CBC's solution file with PuLP and map status, primal and duals back."""
    with open(sol) as f:
        headline = f.readline().strip()
    pulp_status, values, reduced, shadow, _, sol_status = cbc.readsol_MPS(
        sol, model.lp, model.variables, model.var_names, model.con_names)
    status, has_solution = _status(pulp_status, sol_status, headline, timed=options.time_limit is not None)
    result = SolveResult(status, "cbc", native_status=f"{pulp_status}/{sol_status}",
                         message=headline.split(" - objective value")[0])
    if not has_solution:
        return result
    x = np.array([values[v.name] for v in model.variables], dtype=float)
    if not problem.is_mip:
        x = _full_precision(_binary(sol), sol, model, x)
    if status is not Status.OPTIMAL and not is_feasible(problem, x):
        result.message += " (the point CBC stopped at is not feasible; no solution returned)"
        return result
    result.x = x
    result.objective = problem.objective_value(result.x)
    if status is Status.OPTIMAL and not problem.is_mip and options.duals:
        result.reduced_costs = np.array([reduced[v.name] for v in model.variables], dtype=float)
        result.duals = np.zeros(problem.m)
        for name, i in model.row_of.items():
            result.duals[i] += shadow.get(name, 0.0)
    return result


BINARY_AGREEMENT = 1e-7
"""The binary column values must match the text file's 8-digit ones this closely (relative), or the text is used."""


def _full_precision(binary: str, sol: str, model: _Model, x_text: NDArray[np.float64]) -> NDArray[np.float64]:
    """The column values of CBC's binary solution, in our column order; `x_text` when it is missing or
    does not match the text file (an unexpected layout)."""
    try:
        with open(binary, "rb") as f:
            raw = f.read()
    except OSError:
        return x_text
    if len(raw) < 16:
        return x_text
    m, n = np.frombuffer(raw[:8], dtype=np.int32).tolist()
    if m < 0 or n < 0 or len(raw) != 16 + 16 * (m + n):
        return x_text
    values = np.frombuffer(raw[16:], dtype=np.float64)
    columns = values[2 * m: 2 * m + n]
    index = _column_indices(sol, model)
    x = x_text.copy()
    for j, v in enumerate(model.variables):
        k = index.get(v.name)
        if k is None:
            continue  # a column in no row and not in the objective is not written: it stays as read (0)
        if k >= n or abs(columns[k] - x_text[j]) > BINARY_AGREEMENT * (1.0 + abs(x_text[j])):
            return x_text
        x[j] = columns[k]
    return x


def _column_indices(sol: str, model: _Model) -> dict[str, int]:
    """{our column name: its index in CBC's column order}, from the text solution's column lines."""
    ours = {renamed: name for name, renamed in model.var_names.items()}
    out: dict[str, int] = {}
    with open(sol) as f:
        f.readline()  # the headline
        for line in f:
            words = line.split()
            if words and words[0] == "**":  # CBC marks an infeasible value
                words = words[1:]
            if len(words) >= 2 and words[1] in ours and words[0].isdigit():
                out[ours[words[1]]] = int(words[0])
    return out


_WITH_SOLUTION = frozenset({Status.OPTIMAL, Status.TIME_LIMIT, Status.ITERATION_LIMIT, Status.INTERRUPTED})
"""Statuses for which the point in the solution file is returned (if it is feasible)."""
_STOP_REASONS = {
    "time": Status.TIME_LIMIT,
    "iterations": Status.ITERATION_LIMIT,
    "nodes": Status.ITERATION_LIMIT,
    "solutions": Status.ITERATION_LIMIT,
    "gap": Status.OPTIMAL,
    "ctrl-c": Status.INTERRUPTED,
    "difficulties": Status.NUMERICAL_ERROR,
}


def _status(pulp_status: int, sol_status: int, headline: str, *, timed: bool) -> tuple[Status, bool]:
    """Map PuLP's (status, sol_status) and CBC's headline to (Status, whether x may be read).

    PuLP's table: Optimal/Optimal = "Optimal"; Optimal/IntegerFeasible = "Stopped on
    <reason> - objective value" (a limit, with a point); NotSolved/NoSolutionFound =
    "Stopped ..." without one; Infeasible/* = "Infeasible" or "Integer infeasible";
    Unbounded/Unbounded; Undefined = anything else. No iteration limit is ever set, and
    CBC's LP path reports its time limit as "Stopped on iterations", so with a time limit
    that reason counts as the time limit.
    """
    # lazy: importing solvers imports no solver library
    import pulp

    words = headline.split()
    reason = _STOP_REASONS.get(words[2], Status.ERROR) if len(words) > 2 and words[0] == "Stopped" else Status.ERROR
    if reason is Status.ITERATION_LIMIT and timed:
        reason = Status.TIME_LIMIT
    if pulp_status == pulp.LpStatusOptimal and sol_status == pulp.LpSolutionOptimal:
        return Status.OPTIMAL, True
    if pulp_status == pulp.LpStatusOptimal and sol_status == pulp.LpSolutionIntegerFeasible:
        return reason, reason in _WITH_SOLUTION
    if pulp_status == pulp.LpStatusNotSolved:
        return reason, False
    if pulp_status == pulp.LpStatusInfeasible:
        return Status.INFEASIBLE, False
    if pulp_status == pulp.LpStatusUnbounded:
        return Status.UNBOUNDED, False
    return Status.ERROR, False
