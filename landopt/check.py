"""`landopt check`: run scenario files as regression cases."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from landopt.errors import EXIT_EXPECT, EXIT_FAILED, EXIT_INPUT, EXIT_OK, InputError, LandoptError
from landopt.messages import Bi, pick

_TEXT = {
    "error": ("ERROR {label}", "错误  {label}"),
    "skip": ("SKIP  {label}: no expect block", "跳过  {label}: 没有 expect 块"),
    "fail": ("FAIL  {label}", "不符  {label}"),
    "ok": ("ok    {label} [{solver}] {status}{objective}", "通过  {label} [{solver}] {status}{objective}"),
    "objective": (" objective {value}", " 目标函数值 {value}"),
    "summary": ("{ok} passed, {bad} failed, {skip} skipped", "通过 {ok} 个, 失败 {bad} 个, 跳过 {skip} 个"),
}


def _t(key: str, lang: str, **params: object) -> str:
    """One of this module's own texts (`_TEXT`) in `lang`."""
    return pick(_TEXT, key, lang, **params)


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
            echo(_t("error", lang, label=f) + "\n" + e.render(lang))
            worst = max(worst, EXIT_INPUT)
            n_bad += 1
            continue
        cases = [(base, variants)]
        if with_variants:
            for v in base.variants:
                try:
                    cases.append((load(f, (v,), sets), (v,)))
                except InputError as e:
                    echo(_t("error", lang, label=f"{f}[{v}]") + "\n" + e.render(lang))
                    worst = max(worst, EXIT_INPUT)
                    n_bad += 1
        for sc, vs in cases:
            label = f"{f}" + (f"[{','.join(vs)}]" if vs else "")
            if sc.spec.expect is None:
                echo(_t("skip", lang, label=label))
                n_skip += 1
                continue
            for name in _backends_for(sc, solver, all_solvers):
                tag = f"{label} ({name})" if all_solvers else label
                try:
                    res = sc.solve(solver=name)
                except LandoptError as e:
                    echo(_t("fail", lang, label=tag) + f"\n  {e.render(lang)}")
                    worst = max(worst, e.exit_code if e.exit_code != EXIT_INPUT else EXIT_FAILED)
                    n_bad += 1
                    continue
                mism = compare(res)
                if mism:
                    echo(_t("fail", lang, label=f"{tag} [{res.solver}]") + "\n" + "\n".join(m.line(lang) for m in mism))
                    worst = max(worst, EXIT_EXPECT)
                    n_bad += 1
                else:
                    obj = "" if res.objective is None else _t("objective", lang, value=f"{res.objective:.10g}")
                    echo(_t("ok", lang, label=tag, solver=res.solver, status=Bi.status(res.status).pick(lang),
                            objective=obj))
                    n_ok += 1
    echo(_t("summary", lang, ok=n_ok, bad=n_bad, skip=n_skip))
    return worst
