"""`landopt check`: run scenario files as regression cases, and record an `expect` block.

Every case is one file x variant x solver. Its outcome is one of:

- `passed`: the file has an `expect` block and the result matches it;
- `failed`: the result differs from `expect` (the diff lists each difference);
- `error`: the file or variant is bad input, or the solve failed;
- `not_checked`: there is nothing to compare with: no `expect` block, an `expect` block that
  expects nothing, or a combination of variants that each carry their own `expect` (expectations
  describe one variant alone; `landopt.input.compose.apply_variants` drops them). Such a case is never
  counted as passed, and never makes the exit code non-zero.

`check_files` runs the cases and returns a `CheckRun`; the text lines, the JUnit XML (`junit_xml`)
and the JSON (`json_text`) are all made from its `cases`. `record_expect` solves a file and writes
the `expect:` block that its current result would pass, for the user to paste (it never edits the
file).
"""

from __future__ import annotations

import json
import re
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import solvers

from landopt.engine.readback import clean
from landopt.errors import EXIT_EXPECT, EXIT_FAILED, EXIT_INPUT, EXIT_OK, InputError, LandoptError
from landopt.i18n.text import Bi, pick
from landopt.scenario import load
from landopt.verify.expectations import compare

_TEXT = {
    "error": ("ERROR {label}", "错误  {label}"),
    "not_checked": ("NOT CHECKED {label}: {reason}", "未核查 {label}: {reason}"),
    "fail": ("FAIL  {label}", "不符  {label}"),
    "ok": ("ok    {label} [{solver}] {status}{objective}", "通过  {label} [{solver}] {status}{objective}"),
    "objective": (" objective {value}", " 目标函数值 {value}"),
    "summary": ("{ok} passed, {bad} failed, {skip} not checked", "通过 {ok} 个, 失败 {bad} 个, 未核查 {skip} 个"),
    "no_expect": ("no expect block (`landopt check FILE --record` prints one to paste)",
                  "没有 expect 块 (`landopt check 文件 --record` 可生成一个供粘贴)"),
    "empty_expect": ("its expect block expects nothing", "其 expect 块没有任何预期项"),
    "combined": ("variants {names} each carry their own expect, which describes that variant alone; "
                 "their combination has none", "变体 {names} 各有自己的 expect, 只描述该变体本身; 其组合没有 expect"),
    # JUnit texts
    "junit_failure": ("expect did not hold: {n} difference(s)", "expect 不符: {n} 处差异"),
    "junit_input": ("bad input", "输入有误"),
    "junit_solve": ("the solve failed", "求解失败"),
    "junit_skipped": ("not checked: {reason}", "未核查: {reason}"),
    "junit_out": ("solver {solver}, status {status}{objective}", "求解器 {solver}, 状态 {status}{objective}"),
    # --record
    "record_head": ("landopt check --record {file}: the expectations its current result meets (solver {solver}).",
                    "landopt check --record {file}: 当前结果满足的预期 (求解器 {solver})。"),
    "record_paste": ("Paste `expect:` at the top level of the file and each variant's `expect:` under "
                     "`variants.<name>:`; landopt never edits the file.",
                     "请将 `expect:` 粘贴到文件顶层, 各变体的 `expect:` 粘贴到 `variants.<名称>:` 之下; "
                     "landopt 不会修改文件。"),
    "record_sets": ("Recorded with {sets}: the file alone may give another result.",
                    "记录时使用了 {sets}: 文件本身的结果可能不同。"),
    "record_binding": ("optional: the rules and budgets that bind at this optimum",
                       "可选: 在此最优解处取紧的规则和预算"),
    "record_alone": ("--record prints an expect block and compares nothing: it does not go with --junit, --json "
                     "or --all-solvers",
                     "--record 只打印 expect 块, 不作比较: 不能与 --junit、--json 或 --all-solvers 同用"),
    "record_one_file": ("--record records one scenario file: give exactly one FILE (not a folder)",
                        "--record 只记录一个情景文件: 请只给一个文件 (不能是文件夹)"),
    "record_combination": ("--record records one variant at a time: give at most one --variant (a combination of "
                           "variants that carry their own expect has none)",
                           "--record 每次只记录一个变体: --variant 至多给一个 (各带 expect 的变体组合没有 expect)"),
    "record_not": ("{label}: not recorded: the solve ended with status {status}; {explain}",
                   "{label}: 未记录: 求解结束状态为 {status}; {explain}"),
}

RECORDABLE = ("optimal", "infeasible", "unbounded")
"""The statuses an `expect` block can name (`expect.status`)."""

RECORD_REL_TOL = "1.0e-6"
"""The `rel_tol` `--record` writes beside the objective (the default of `expect.objective`)."""


def _t(key: str, lang: str, **params: object) -> str:
    """One of this module's own texts (`_TEXT`) in `lang`."""
    return pick(_TEXT, key, lang, **params)


def text(key: str, lang: str, **params: object) -> str:
    """A text of `landopt check` (its usage errors, for the command line) in `lang`."""
    return _t(key, lang, **params)


def _bi(key: str, **params: object) -> Bi:
    """One of this module's texts in both languages."""
    return Bi(_t(key, "en", **params), _t(key, "zh", **params))


@dataclass
class Case:
    """One file x variant x solver of `landopt check` and what came of it."""

    file: str
    variants: tuple[str, ...]
    solver: str
    """The solver asked for: a backend name, or 'auto'."""
    outcome: str = "not_checked"
    """passed | failed | error | not_checked"""
    solved_by: str | None = None
    """The backend that solved it (when a solve ran)."""
    status: str | None = None
    objective: float | None = None
    differences: list = field(default_factory=list)
    """`landopt.verify.expectations.Mismatch` entries of a failed case."""
    detail: Bi | None = None
    """What went wrong (an error) or why the case is not checked, in both languages."""
    error_kind: str | None = None
    """bad_input | solve_error, for an error."""
    seconds: float = 0.0
    all_solvers: bool = False

    @property
    def label(self) -> str:
        """'FILE', 'FILE[a,b]', with ' (solver)' under --all-solvers: the label of the text lines."""
        label = self.file + (f"[{','.join(self.variants)}]" if self.variants else "")
        per_solver = self.all_solvers and self.error_kind != "bad_input"  # bad input comes before any solver
        return f"{label} ({self.solver})" if per_solver else label

    @property
    def name(self) -> str:
        """The JUnit test case name: 'base [auto]', 'strict_tilt [highs]'."""
        return f"{','.join(self.variants) or 'base'} [{self.solver}]"

    def diff(self, lang: str) -> str:
        """The diff lines of a failed case."""
        return "\n".join(m.line(lang) for m in self.differences)


@dataclass
class CheckRun:
    """Every case of one `landopt check` run, in the order they ran."""

    cases: list[Case] = field(default_factory=list)

    def count(self, *outcomes: str) -> int:
        """How many cases had one of `outcomes`."""
        return sum(1 for c in self.cases if c.outcome in outcomes)

    @property
    def exit_code(self) -> int:
        """0 when nothing failed (cases not checked included); 2 for bad input; 3 for a difference; else 1."""
        worst = EXIT_OK
        for c in self.cases:
            if c.outcome == "failed":
                worst = max(worst, EXIT_EXPECT)
            elif c.outcome == "error":
                worst = max(worst, EXIT_INPUT if c.error_kind == "bad_input" else EXIT_FAILED)
        return worst

    def summary(self, lang: str) -> str:
        """'3 passed, 1 failed, 2 not checked' (errors count as failed)."""
        return _t("summary", lang, ok=self.count("passed"), bad=self.count("failed", "error"),
                  skip=self.count("not_checked"))


def _backends_for(sc, solver: str | None, all_solvers: bool) -> list[str | None]:
    if not all_solvers:
        return [solver]
    model = sc.build()
    names = []
    for row in solvers.describe_backends():
        if row.available and solvers.BACKENDS[row.name].can_solve(model.problem):
            names.append(row.name)
    return names


def _expects_something(e) -> bool:
    """True when an `expect` block names anything to compare."""
    return any(v is not None for v in (e.status, e.objective, e.diagnosis, e.binding)) or bool(e.checks)


def _not_checked_reason(sc) -> Bi | None:
    """Why a scenario has nothing to check (None when it has)."""
    e = sc.spec.expect
    if e is not None:
        return None if _expects_something(e) else _bi("empty_expect")
    dropped = sc.composed.expect_dropped
    if dropped:
        return _bi("combined", names=", ".join(dropped))
    return _bi("no_expect")


def _line(case: Case, lang: str) -> str:
    """The text `landopt check` prints for a case."""
    if case.outcome == "passed":
        obj = "" if case.objective is None else _t("objective", lang, value=f"{case.objective:.10g}")
        return _t("ok", lang, label=case.label, solver=case.solved_by, status=Bi.status(case.status or "").pick(lang),
                  objective=obj)
    if case.outcome == "failed":
        return _t("fail", lang, label=f"{case.label} [{case.solved_by}]") + "\n" + case.diff(lang)
    if case.outcome == "error":
        assert case.detail is not None
        head = _t("error" if case.error_kind == "bad_input" else "fail", lang, label=case.label)
        body = case.detail.pick(lang)
        return head + "\n" + (body if case.error_kind == "bad_input" else f"  {body}")
    assert case.detail is not None
    return _t("not_checked", lang, label=case.label, reason=case.detail.pick(lang))


def _rendered(e: LandoptError) -> Bi:
    return Bi(e.render("en"), e.render("zh"))


def check_files(files: list[Path], solver: str | None = None, all_solvers: bool = False, with_variants: bool = True,
                sets: tuple[str, ...] = (), variants: tuple[str, ...] = (), lang: str = "en",
                echo: Callable[[str], None] | None = print) -> CheckRun:
    """Solve every file (and each variant it defines, when `with_variants`) and compare with its `expect`.

    Each case's line is passed to `echo` as soon as the case is done (None: print nothing).
    """
    run = CheckRun()
    asked = solver or "auto"

    def done(case: Case) -> None:
        run.cases.append(case)
        if echo is not None:
            echo(_line(case, lang))

    for f in files:
        shown = str(f)
        try:
            base = load(f, variants, sets)
        except InputError as e:
            done(Case(shown, tuple(variants), asked, "error", detail=_rendered(e), error_kind="bad_input",
                      all_solvers=all_solvers))
            continue
        cases = [(base, tuple(variants))]
        if with_variants:
            for v in base.variants:
                try:
                    cases.append((load(f, (v,), sets), (v,)))
                except InputError as e:
                    done(Case(shown, (v,), asked, "error", detail=_rendered(e), error_kind="bad_input",
                              all_solvers=all_solvers))
        for sc, vs in cases:
            reason = _not_checked_reason(sc)
            for name in _backends_for(sc, solver, all_solvers):
                case = Case(shown, vs, name or "auto", all_solvers=all_solvers)
                if reason is not None:
                    case.detail = reason
                    done(case)
                    continue
                t0 = time.perf_counter()
                try:
                    res = sc.solve(solver=name)
                except LandoptError as e:
                    case.outcome, case.detail, case.error_kind = "error", _rendered(e), "solve_error"
                    case.seconds = time.perf_counter() - t0
                    done(case)
                    continue
                case.seconds = time.perf_counter() - t0
                case.solved_by, case.status, case.objective = res.solver, res.status, res.objective
                case.differences = compare(res)
                case.outcome = "failed" if case.differences else "passed"
                done(case)
    if echo is not None:
        echo(run.summary(lang))
    return run


def run_checks(files: list[Path], solver: str | None = None, all_solvers: bool = False, with_variants: bool = True,
               sets: tuple[str, ...] = (), variants: tuple[str, ...] = (), lang: str = "en",
               echo: Callable[[str], None] = print) -> int:
    """`check_files`, returning the exit code only."""
    return check_files(files, solver, all_solvers, with_variants, sets, variants, lang, echo).exit_code


# -------------------------------------------------------------------- JUnit
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    """Text XML 1.0 can carry (control characters such as terminal escapes dropped)."""
    return _XML_BAD.sub("", text)


def junit_xml(run: CheckRun, lang: str = "en") -> str:
    """The run as JUnit XML: one <testsuite> per file, one <testcase> per file x variant x solver.

    A difference is a <failure> carrying the diff; bad input and a failed solve are an <error>; a
    case with nothing to check is <skipped> (never a pass). Texts are in `lang`.
    """
    def counts(cases: list[Case]) -> dict[str, str]:
        return {"tests": str(len(cases)), "failures": str(sum(c.outcome == "failed" for c in cases)),
                "errors": str(sum(c.outcome == "error" for c in cases)),
                "skipped": str(sum(c.outcome == "not_checked" for c in cases)),
                "time": f"{sum(c.seconds for c in cases):.3f}"}

    root = ET.Element("testsuites", {"name": "landopt check", **counts(run.cases)})
    files: dict[str, list[Case]] = {}
    for c in run.cases:
        files.setdefault(c.file, []).append(c)
    for file, cases in files.items():
        suite = ET.SubElement(root, "testsuite", {"name": _xml_text(file), **counts(cases)})
        classname = _xml_text(re.sub(r"\.ya?ml$", "", file))
        for c in cases:
            tc = ET.SubElement(suite, "testcase", {"classname": classname, "name": _xml_text(c.name),
                                                   "file": _xml_text(file), "time": f"{c.seconds:.3f}"})
            if c.outcome == "failed":
                el = ET.SubElement(tc, "failure", {"type": "expect_mismatch",
                                                   "message": _t("junit_failure", lang, n=len(c.differences))})
                el.text = _xml_text(c.diff(lang))
            elif c.outcome == "error":
                assert c.detail is not None
                key = "junit_input" if c.error_kind == "bad_input" else "junit_solve"
                el = ET.SubElement(tc, "error", {"type": c.error_kind or "error", "message": _t(key, lang)})
                el.text = _xml_text(c.detail.pick(lang))
            elif c.outcome == "not_checked":
                assert c.detail is not None
                ET.SubElement(tc, "skipped", {"message": _xml_text(_t("junit_skipped", lang,
                                                                      reason=c.detail.pick(lang)))})
            if c.solved_by is not None:
                obj = "" if c.objective is None else _t("objective", lang, value=f"{c.objective:.10g}")
                out = ET.SubElement(tc, "system-out")
                out.text = _t("junit_out", lang, solver=c.solved_by, status=Bi.status(c.status or "").pick(lang),
                              objective=obj)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --------------------------------------------------------------------- JSON
def json_text(run: CheckRun, lang: str = "en") -> str:
    """The run as JSON: the summary counts, the exit code and every case (texts in `lang`; no timings,
    so the same run gives the same bytes)."""
    def case(c: Case) -> dict:
        return {
            "file": c.file, "variants": list(c.variants), "solver": c.solver, "solved_by": c.solved_by,
            "outcome": c.outcome, "status": c.status, "objective": clean(c.objective),
            "differences": [{"what": _pick(m.what, lang), "expected": _pick(m.expected, lang),
                             "got": _pick(m.got, lang)} for m in c.differences],
            "error": c.detail.pick(lang) if c.outcome == "error" and c.detail else None,
            "reason": c.detail.pick(lang) if c.outcome == "not_checked" and c.detail else None,
        }

    data = {"passed": run.count("passed"), "failed": run.count("failed", "error"),
            "not_checked": run.count("not_checked"), "exit_code": run.exit_code,
            "cases": [case(c) for c in run.cases]}
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _pick(v: str | Bi, lang: str) -> str:
    return v.pick(lang) if isinstance(v, Bi) else str(v)


# ------------------------------------------------------------------- record
_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "none", "nan", "inf"}


def _scalar(v: object) -> str:
    """A value as a YAML scalar landopt reads back as the same value."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return f"{clean(v):.10g}"
    s = str(v)
    if _PLAIN.match(s) and s.lower() not in _YAML_WORDS:
        return s
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _flow(d: dict) -> str:
    return "{" + ", ".join(f"{_scalar(k)}: {_flow(v) if isinstance(v, dict) else _scalar(v)}"
                           for k, v in d.items()) + "}"


def expect_lines(res, lang: str = "en") -> list[str]:
    """The lines of an `expect:` block (unindented) that `res` meets: its status; for an optimum the
    objective (rel_tol 1e-6) and, as a comment, the ids that bind; for an infeasible result every
    diagnosis entry with its relaxed bound."""
    lines = ["expect:", f"  status: {res.status}"]
    if res.status == "optimal" and res.objective is not None:
        lines.append(f"  objective: {{value: {_scalar(float(res.objective))}, rel_tol: {RECORD_REL_TOL}}}")
        binding = list(dict.fromkeys(r.id for r in res.rows if r.kind in ("rule", "budget") and r.binding))
        if binding:
            ids = ", ".join(_scalar(b) for b in binding)
            lines.append(f"  # binding: [{ids}]   # {_t('record_binding', lang)}")
    if res.status == "infeasible" and res.diagnosis:
        lines.append("  diagnosis:")
        for d in res.diagnosis:
            entry: dict = {"target": d.target, "id": d.id}
            if d.group:
                entry["group"] = dict(d.group)
            if d.year is not None:
                entry["year"] = d.year
            entry["bound"] = d.bound
            entry["relaxed"] = float(d.relaxed)
            lines.append(f"    - {_flow(entry)}")
    return lines


def record_expect(path: str | Path, solver: str | None = None, with_variants: bool = True,
                  sets: tuple[str, ...] = (), variant: str | None = None, lang: str = "en",
                  shown: str | None = None) -> tuple[str, int]:
    """Solve `path` (with `variant`, else the file and, when `with_variants`, each variant it defines) and
    return (YAML text, exit code): an `expect:` block per case that its current result meets, to paste
    into the file. Exit code 1 when a case ended with a status `expect` cannot name (it is left out, with
    a comment saying why). Raises `InputError` when the file or a variant does not load."""
    base = load(path, (variant,) if variant else (), sets)
    cases = [(variant, base)]
    if variant is None and with_variants:
        cases += [(v, load(path, (v,), sets)) for v in base.variants]
    blocks: list[tuple[str | None, list[str]]] = []
    notes: list[str] = []
    used: list[str] = []
    code = EXIT_OK
    for name, sc in cases:
        res = sc.solve(solver=solver)
        if res.solver not in used:
            used.append(res.solver)
        if res.status not in RECORDABLE:
            label = f"{shown or path}" + (f"[{name}]" if name else "")
            explain = res.explain.pick(lang) if res.explain is not None else (res.message or "")
            notes.append(_t("record_not", lang, label=label, status=Bi.status(res.status).pick(lang),
                            explain=explain))
            code = EXIT_FAILED
            continue
        blocks.append((name, expect_lines(res, lang)))
    out = [f"# {_t('record_head', lang, file=shown or path, solver=', '.join(used))}",
           f"# {_t('record_paste', lang)}"]
    if sets:
        out.append(f"# {_t('record_sets', lang, sets=' '.join('--set ' + s for s in sets))}")
    out += [f"# {n}" for n in notes]
    top = [lines for name, lines in blocks if name is None]
    for lines in top:
        out += lines
    named = [(name, lines) for name, lines in blocks if name is not None]
    if named:
        out.append("variants:")
        for name, lines in named:
            out.append(f"  {_scalar(name)}:")
            out += ["    " + line for line in lines]
    return "\n".join(out) + "\n", code
