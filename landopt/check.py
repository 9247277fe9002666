"""`landopt check`: run scenario files as regression cases."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from landopt.errors import EXIT_EXPECT, EXIT_FAILED, EXIT_INPUT, EXIT_OK, InputError, LandoptError


def _backends_for(sc, solver: str | None, all_solvers: bool) -> list[str | None]:
    if not all_solvers:
        return [solver]
    import solvers

    model = sc.build()
    names = []
    for row in solvers.describe_backends():
        if row.available and solvers.BACKENDS[row.name].can_solve(model.problem):
            names.append(row.name)
    return names


def run_checks(files: list[Path], solver: str | None = None, all_solvers: bool = False, with_variants: bool = True,
               sets: tuple[str, ...] = (), variants: tuple[str, ...] = (), lang: str = "en",
               echo: Callable[[str], None] = print) -> int:
    """Solve every file (and variant) and compare with its `expect`; return the exit code."""
    from landopt.expect import compare
    from landopt.scenario import load

    worst = EXIT_OK
    n_ok = n_bad = n_skip = 0
    for f in files:
        try:
            base = load(f, variants, sets)
        except InputError as e:
            echo(f"ERROR {f}\n" + e.render(lang))
            worst = max(worst, EXIT_INPUT)
            n_bad += 1
            continue
        cases = [(base, variants)]
        if with_variants:
            for v in base.variants:
                try:
                    cases.append((load(f, (v,), sets), (v,)))
                except InputError as e:
                    echo(f"ERROR {f}[{v}]\n" + e.render(lang))
                    worst = max(worst, EXIT_INPUT)
                    n_bad += 1
        for sc, vs in cases:
            label = f"{f}" + (f"[{','.join(vs)}]" if vs else "")
            if sc.spec.expect is None:
                echo(f"SKIP  {label}: no expect block")
                n_skip += 1
                continue
            for name in _backends_for(sc, solver, all_solvers):
                tag = f"{label} ({name})" if all_solvers else label
                try:
                    res = sc.solve(solver=name)
                except LandoptError as e:
                    echo(f"FAIL  {tag}\n  {e.render(lang)}")
                    worst = max(worst, e.exit_code if e.exit_code != EXIT_INPUT else EXIT_FAILED)
                    n_bad += 1
                    continue
                mism = compare(res)
                if mism:
                    echo(f"FAIL  {tag} [{res.solver}]\n" + "\n".join(m.line() for m in mism))
                    worst = max(worst, EXIT_EXPECT)
                    n_bad += 1
                else:
                    obj = "" if res.objective is None else f" objective {res.objective:.10g}"
                    echo(f"ok    {tag} [{res.solver}] {res.status}{obj}")
                    n_ok += 1
    echo(f"{n_ok} passed, {n_bad} failed, {n_skip} skipped")
    return worst
