"""The public entry point: load a scenario, solve it.

    >>> import landopt
    >>> sc = landopt.load("scenarios/format_example.yaml")
    >>> res = sc.solve()                # solver="auto"
    >>> res.objective, res.allocation   # a float and a pandas DataFrame
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import solvers

from landopt.errors import InputError, Issue, Mark, SolveError
from landopt.i18n.messages import closest
from landopt.i18n.text import Bi
from landopt.input.compose import Composed, load_composed, variant_names
from landopt.input.reader import LEFT_OUT, LMap
from landopt.input.resolve import resolve
from landopt.input.slips import check_tree
from landopt.input.validate import EMPTY_KEY_PROBLEMS, validate
from landopt.model.spec import Spec


@dataclass
class Scenario:
    """A loaded, validated and resolved scenario."""

    spec: Spec
    composed: Composed
    warnings: list[Issue] = field(default_factory=list)

    @property
    def path(self) -> Path:
        """The file it was loaded from."""
        return self.composed.path

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.spec.name

    @property
    def variants(self) -> list[str]:
        """Names of the variants the file defines."""
        return variant_names(self.composed.tree)

    @property
    def is_mip(self) -> bool:
        """True when the scenario makes yes/no decisions (projects, counts): a mixed-integer program."""
        return self.spec.has_decisions

    @property
    def label(self) -> str:
        """File name plus selected variants, e.g. 'pujiang.yaml[tight_energy]'."""
        v = ",".join(self.composed.variants)
        return f"{self.path.name}[{v}]" if v else self.path.name

    def build(self):
        """The `landopt.model.build.Model` (LP plus read-back tables)."""
        from landopt.model.build import build  # lazy: loading and validating a file needs no numpy or scipy

        return build(self.spec)

    def solve(self, solver: str | None = None, time_limit: float | None = None, canonical: bool | None = None,
              progress=None, started: float | None = None, kept=None, exact: bool | str = True,
              ranges: bool = True):
        """Solve and check; returns a `landopt.engine.readback.Result` (its `warnings` start with the input's).

        `progress`, if given, is called as progress(event, **details) around each step
        (events: built, solving, solved, checking). The time limit (the argument, or the file's
        `solve.time_limit`) runs from `started` (a `time.perf_counter()` value) if given, else from now.
        `kept` (`landopt.engine.run.Kept`): the backend's models kept from earlier solves (a sweep's worker);
        `exact`: which exact one-sided prices to measure (`landopt.engine.outline.solve_model`); `ranges`: whether
        to measure the range of the preferred land over the equally good plans (`landopt.engine.outline.prepare`).
        """
        from landopt.engine.outline import solve_spec  # lazy: loading and validating a file needs no solver

        problems = solve_option_issues(solver, time_limit)
        if problems:
            raise InputError(problems)
        check_solver_usable(solver or self.spec.solver)
        result = solve_spec(self.spec, solver=solver, time_limit=time_limit, canonical=canonical, progress=progress,
                            started=started, kept=kept, exact=exact, ranges=ranges)
        result.warnings[:0] = self.warnings  # the input's warnings belong in the JSON and the report too
        return result

    def with_overrides(self, overrides: dict) -> "Scenario":
        """A copy whose bounds are moved as `overrides` say ({bound key: value})."""
        spec = copy.copy(self.spec)
        spec.overrides = {**self.spec.overrides, **overrides}
        return Scenario(spec, self.composed, self.warnings)

    def apply_diagnosis(self, entries) -> "Scenario":
        """A copy with every diagnosis entry applied (DiagnosisEntry objects or their JSON dicts)."""
        from landopt.engine.diagnose import entry_key  # lazy: loading and validating a file needs no solver

        ov = {}
        for e in entries:
            if isinstance(e, dict):
                ov[entry_key(e)] = float(e["relaxed"])
            else:
                ov[e.key] = e.relaxed
        return self.with_overrides(ov)


class SolverUnavailable(SolveError):
    """A known solver whose library is not installed here (exit code 1); names the usable ones."""

    def __init__(self, issue: Issue):
        self.issue = issue
        super().__init__(issue.format("en"))

    def render(self, lang: str = "en") -> str:
        return self.issue.format(lang)


def solve_option_issues(solver: str | None, time_limit: float | None, *, option: bool = False) -> list[Issue]:
    """Problems with a solver name and a time limit given to `Scenario.solve` (or, with `option`, on the
    command line as --solver and --time-limit): an unknown solver, a limit that is not a positive number."""
    out = []
    if solver is not None:
        issue = solver_issue(solver)
        if issue is not None:
            issue.file = "--solver" if option else None
            issue.path = "" if option else "solver"
            out.append(issue)
    if time_limit is not None and not (isinstance(time_limit, (int, float)) and math.isfinite(time_limit)
                                       and time_limit > 0):
        shown = f"{time_limit:g}" if isinstance(time_limit, (int, float)) else repr(time_limit)
        out.append(Issue("bad_time_limit", {"value": shown}, file="--time-limit" if option else None,
                         path="" if option else "time_limit"))
    return out


def check_solver_usable(name: str | None) -> None:
    """Raise `SolverUnavailable` when `name` is a known backend whose library is not installed here."""
    key = (name or "auto").strip().lower()
    cls = solvers.BACKENDS.get(key)
    if cls is None or cls.is_available():
        return
    others = [n for n in solvers.fitting_backends() if n != key]
    if others:
        alternatives = Bi(f"use another one: --solver {' | '.join(others)} (or --solver auto)",
                          f"请改用其他求解器: --solver {' | '.join(others)} (或 --solver auto)")
    else:
        libraries = ", ".join(sorted({c.library for c in solvers.BACKENDS.values()}))
        alternatives = Bi(f"no solver is usable here: install one of the packages {libraries}",
                          f"本机没有可用的求解器: 请安装以下包之一: {libraries}")
    raise SolverUnavailable(Issue("solver_unavailable", {"solver": key, "library": cls.library,
                                                         "alternatives": alternatives}))


def solver_issue(name: str) -> Issue | None:
    """An `unknown_solver` issue (no location) when `name` is neither 'auto' nor a backend, else None."""
    key = str(name).strip().lower()
    if key == "auto" or key in solvers.BACKENDS:
        return None
    known = list(solvers.BACKENDS)
    here = solvers.available_backends()
    return Issue("unknown_solver", {"got": str(name), "known": ", ".join(known),
                                    "here": ", ".join(here) or Bi("none", "无")},
                 suggest=closest(key, known + ["auto"]))


BUILTIN = "builtin:"


def builtin_scenarios() -> list[str]:
    """Names of the scenarios shipped with landopt (usable as ``builtin:NAME``)."""
    root = _builtin_root()
    return sorted(str(p.relative_to(root).with_suffix("")) for p in root.rglob("*.yaml")
                  if not any(part.startswith("_") for part in p.relative_to(root).parts))


def _builtin_root() -> Path:
    """Where the shipped scenarios are: the installed package's `scenarios/` data folder, or a
    source checkout's `scenarios/` (beside the `landopt` package) when running from one.

    (Not `importlib.resources.files`: `landopt.scenarios` has no `__init__.py`, so it returns a
    `MultiplexedPath`, whose `str()` is not a path.)"""
    here = Path(__file__).resolve().parent
    installed = here / "scenarios"
    return installed if installed.is_dir() else here.parent / "scenarios"


def resolve_path(path: str | Path) -> Path:
    """A scenario path; ``builtin:NAME`` names a scenario shipped with landopt (see `builtin_scenarios`)."""
    text = str(path)
    if text.startswith(BUILTIN):
        name = text[len(BUILTIN):].removesuffix(".yaml")
        if name not in builtin_scenarios():  # also keeps `builtin:../x` inside the library
            known = builtin_scenarios()
            raise InputError([Issue("file_missing", {"path": f"{text} ({', '.join(known)})"}, file=text,
                                    suggest=closest(name, known))])
        return _builtin_root() / (name + ".yaml")
    return Path(path)


def load(path: str | Path, variants: tuple[str, ...] | list[str] | str = (), sets: tuple[str, ...] | list[str] = (),
         ) -> Scenario:
    """Load, validate and resolve a scenario file.

    `variants` selects named variants (a name, a comma-separated string or a list);
    `sets` are ``key.path=value`` overrides. Raises `InputError` listing every problem.
    """
    if isinstance(variants, str):
        variants = tuple(v.strip() for v in variants.split(",") if v.strip())
    return from_composed(load_composed(resolve_path(path), tuple(variants), tuple(sets)))


def from_composed(composed: Composed) -> Scenario:
    """Validate and resolve a composed scenario (`load` after reading; a sweep's points, `with_sets`)."""
    # the values the reader left out (NaN, ...) and the typing slips, then the walk and the resolution
    early = composed.issues + check_tree(composed.tree, composed.nulls, composed.memo)
    spec, issues = _check(composed.plain(), composed.marks(), str(composed.path), composed.nulls)
    if spec is None:
        raise InputError(early + _not_under(issues, composed.issues))
    if early:
        raise InputError(early)
    return Scenario(spec, composed, composed.notes + issues)


_EMPTY_KEYS = frozenset({"unknown_key_empty", "misspelt_required_key"})
"""Problems of keys written with no value: a value the reader left out (NaN) may be one of them."""


def _not_under(issues: list[Issue], values: list[Issue]) -> list[Issue]:
    """`issues` less those at or below a value the reader left out (one message per problem: a NaN `capacity`
    is not also an empty one). A misspelt key with such a value is still named."""
    left_out = {v.path for v in values if v.path and v.code in LEFT_OUT}
    if not left_out:
        return issues

    def under(path: str) -> bool:
        parts = path.split(".")
        return any(".".join(parts[:k]) in left_out for k in range(1, len(parts) + 1))

    return [i for i in issues if i.code in _EMPTY_KEYS or not under(i.path)]


def _check(data: dict, marks: Mapping, source: str, empties: list[tuple[tuple, Mark | None]] | tuple = ()
           ) -> tuple[Spec | None, list[Issue]]:
    """Validate and resolve in one pass (`landopt.input.validate`, then `landopt.input.resolve` on what the walk
    read): (spec, its warnings) for a valid scenario, else (None, every problem: the walk's and resolution's
    errors, with resolution's warnings when the walk found the file's shape right)."""
    f, issues = validate(data, marks, empties)
    shape_ok = not any(i.severity == "error" and i.code not in EMPTY_KEY_PROBLEMS for i in issues)
    spec, more = resolve(f, marks, source=source, solver_issue=solver_issue) if f is not None else (None, [])
    if spec is not None and not any(i.severity == "error" for i in issues):
        return spec, issues + more
    return None, [i for i in issues if i.severity == "error"] + [i for i in more if shape_ok or i.severity == "error"]


def from_dict(data: dict, name: str = "<dict>") -> Scenario:
    """A scenario from plain data (as a YAML file would give), without a file.

    `extends`, `variants` and ``--set`` do not apply; messages carry key paths but no lines.
    """
    slips = check_tree(data) if isinstance(data, dict) else []
    for i in slips:  # the data carry no lines: the key path says where
        i.mark, i.file = None, name
    spec, warnings = _check(data, {}, name)
    if spec is None:
        raise InputError(slips + warnings)
    if slips:
        raise InputError(slips)
    composed = Composed(tree=LMap({}, Mark(name, 0, 0)), path=Path(name))
    return Scenario(spec, composed, warnings)


def validate_all_variants(path: str | Path) -> tuple[list[Issue], list[str]]:
    """Validate the file alone and with each of its variants; return every issue (warnings too)
    and the names of the variants checked (none when the file itself does not load)."""
    issues: list[Issue] = []
    try:
        sc = load(path)
        issues.extend(sc.warnings)
        names = list(sc.variants)
    except InputError as e:
        return e.issues, []
    for v in names:
        try:
            issues.extend(load(path, (v,)).warnings)
        except InputError as e:
            issues.extend(e.issues)
    seen = set()
    out = []
    for i in issues:
        key = (i.code, i.path, str(i.mark), repr(i.params))
        if key not in seen:
            seen.add(key)
            out.append(i)
    return out, names
