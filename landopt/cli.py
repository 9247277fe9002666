"""The command line. Only click and pure-Python landopt modules are imported at start-up;
every heavy library (numpy, scipy, pandas, ortools, pulp, yaml, xlsxwriter) is imported
inside the command that needs it, so `landopt --help` stays fast.

Exit codes: 0 optimal; 1 infeasible, unbounded, time limit or failed (with diagnosis);
2 bad input; 3 an `expect` mismatch; 130 interrupted (Ctrl-C, SIGINT); 143 terminated (SIGTERM).

SIGTERM (`kill PID`, a job scheduler, a container stop) is handled like a Ctrl-C: a solve in
progress is stopped (a solver child process killed), a temporary output file is removed, the
bilingual "interrupted: nothing was written" line is printed and the exit code is 143
(128 + SIGTERM, as a shell reports a process killed by it); SIGHUP (the terminal closed) likewise,
with 129. A signal that arrives once the
report is being put in place (the atomic rename) is ignored: the run then ends as it would
have, its report complete.

Run from the console (`main`), a command other than sweep, pareto and alternatives runs with
garbage collection off and ends with `os._exit` once its output is flushed (see `main`).
"""

from __future__ import annotations

import atexit
import copy
import gc
import gettext
import json
import math
import os
import re
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

import click

from landopt.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, InputError, LandoptError
from landopt.i18n.help import CLICK_ZH, HELP, SHORT_ZH, paragraphs, width, wrap
from landopt.i18n.messages import render
from landopt.i18n.text import STATUS_ZH, pick
from landopt.report import BINARY_FORMATS, EXTENSIONS, FORMATS, SUFFIX

LANGS = ("en", "zh")


def _lang_default() -> str:
    """$LANDOPT_LANG (en, zh, or a locale such as zh_CN.UTF-8), else the locale's language as POSIX picks it
    (LC_ALL, then LC_MESSAGES, then LANG): Chinese for a zh locale, else English."""
    for var in ("LANDOPT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        v = os.environ.get(var, "").strip().lower()
        if v and (var != "LANDOPT_LANG" or v[:2] in LANGS):
            return "zh" if v.startswith("zh") else "en"
    return "en"


def _err(msg: str) -> None:
    click.echo(msg, err=True)


_TEXT = {
    # every line the command line itself writes, in English and Chinese
    "binary_needs_out": ("--format {fmt} writes a binary file: give --out PATH",
                         "--format {fmt} 输出二进制文件: 请用 --out 指定文件"),
    "variants_one_file": ("--variants compares variants of one FILE; give exactly one",
                          "--variants 比较同一文件的变体; 请只给一个文件"),
    "variants_two": ("--variants needs two or more names, e.g. --variants base,tight_energy "
                     "('base' is the file without variants)",
                     "--variants 至少需要两个名称, 如 --variants base,tight_energy ('base' 指不带变体的文件本身)"),
    "no_variants": ("{file} defines no variants: give two or more files, or --variants",
                    "{file} 没有定义变体: 请给两个以上文件, 或用 --variants"),
    "export_needs_out": ("give --lp OUT or --mps OUT", "请用 --lp 文件 或 --mps 文件 指定输出"),
    "export_same_file": ("--lp and --mps name the same file: the second would replace the first; give two files",
                         "--lp 和 --mps 指向同一个文件: 后写的会覆盖先写的; 请给两个不同的文件"),
    "exported": ("{n} columns, {m} rows, {nnz} nonzeros", "{n} 列, {m} 行, {nnz} 个非零元"),
    "valid": ("{file}: valid", "{file}: 有效"),
    "valid_variants": ("{file}: valid, with its {n} variants ({names})", "{file}: 有效，含全部 {n} 个变体 ({names})"),
    "interrupted": ("interrupted: nothing was written", "中断: 未写出任何文件"),
    "out_is_input": ("{option} {out}: this is {what} {file}, an input of this run; writing there would destroy it. "
                     "Give {option} another file, e.g. {option} {suggest}",
                     "{option} {out}: 这是本次运行的输入文件 ({what} {file}), 写入会覆盖它。"
                     "请为 {option} 指定另一个文件, 例如 {option} {suggest}"),
    "the_scenario": ("the scenario file", "情景文件"),
    "an_extended": ("a file the scenario extends (extends:)", "情景通过 extends: 引用的文件"),
    "a_compared": ("a scenario file being compared", "参与比较的情景文件"),
    "ext_vs_format": ("--out {out}: the extension {ext} means --format {implied}, but --format {fmt} was given; "
                      "drop --format (the extension decides), or name the file with {suffix}, e.g. --out {suggest}",
                      "--out {out}: 扩展名 {ext} 对应 --format {implied}, 但指定了 --format {fmt}; "
                      "请去掉 --format (由扩展名决定), 或改用 {suffix} 扩展名, 例如 --out {suggest}"),
    "io_error": ("cannot read or write a file: {error}", "无法读写文件: {error}"),
    "internal": ("internal error: {error} (at {where}); this is a bug in landopt: please report it with the "
                 "scenario file, or run with --debug",
                 "内部错误: {error} (位置 {where}); 这是 landopt 的缺陷: 请连同情景文件一起报告, 或加 --debug 运行"),
    "auto_picks": ("--solver auto picks for {what}: {name}", "--solver auto 对{what}选用: {name}"),
    "an_lp": ("an LP", "线性规划"),
    "a_milp": ("a MILP", "混合整数规划"),
    "yes": ("yes", "是"),
    "rules_inequality": ("constraint", "约束"),
    "rules_bounds": ("bounds", "界限"),
    "rules_keys": ("its own keys (* required)", "专有的键 (* 为必填)"),
    "rules_violation": ("violation (soft rules)", "违反量 (软约束)"),
    "rules_example": ("example", "示例"),
    "rules_common": ("Every rule also takes: {keys}; see docs/format.md.",
                     "每条规则还可写: {keys}; 详见 docs/format.md。"),
    "no": ("no", "否"),
    "template_not_xlsx": ("{out}: a template is an Excel workbook; name it with .xlsx, e.g. {suggest}",
                          "{out}: 模板是 Excel 工作簿, 文件名须以 .xlsx 结尾, 例如 {suggest}"),
    "template_yaml_suffix": ("--yaml {out}: the scenario file is YAML; name it with .yaml, e.g. --yaml {suggest}",
                             "--yaml {out}: 情景文件是 YAML 文件, 文件名须以 .yaml 结尾, 例如 --yaml {suggest}"),
    "template_variant_alone": ("--variant needs --from FILE: a blank template has no variants",
                               "--variant 须与 --from 同用: 空白模板没有变体"),
    "template_same_file": ("--yaml {out} is the workbook itself; give another file, e.g. --yaml {suggest}",
                           "--yaml {out} 就是工作簿本身; 请另给一个文件, 例如 --yaml {suggest}"),
    "template_out_is_input": (("{out}: this is {what} {file}, an input of this run; writing there would destroy "
                               "it. Give another file, e.g. {suggest}"),
                              ("{out}: 这是本次运行的输入文件 ({what} {file}), 写入会覆盖它。"
                               "请另给一个文件, 例如 {suggest}")),
    "a_table": ("a table the scenario reads (from:)", "情景通过 from: 读取的表格"),
    "template_rows": ("{sheet}: {n} rows", "{sheet} {n} 行"),
    "template_row": ("{sheet}: 1 row", "{sheet} 1 行"),
    "template_wrote": ("wrote {out} (sheets {sheets}) and {yaml}, which reads it",
                       "已写出 {out} (工作表 {sheets}) 和读取它的情景文件 {yaml}"),
    "template_wrote_stub": (("wrote {out} (sheets {sheets}); the scenario file that reads it is on stdout: save "
                             "it next to {name} (or give --yaml FILE)"),
                            ("已写出 {out} (工作表 {sheets}); 读取它的情景文件已输出到标准输出, 请保存在 {name} "
                             "所在的文件夹中 (或用 --yaml 指定文件)")),
}


def _t(key: str, lang: str, **params: object) -> str:
    """One of this module's own texts (`_TEXT`) in `lang`."""
    return pick(_TEXT, key, lang, **params)


class _UsageError(click.UsageError):
    """A usage error (exit code 2) whose whole text, click's frame included, is in the user's language."""

    def __init__(self, message: str, lang: str, ctx: click.Context | None = None):
        super().__init__(message, ctx)
        self.lang = lang

    def show(self, file=None) -> None:
        token = _SPEAKING.set(self.lang)
        try:
            super().show(file)
        finally:
            _SPEAKING.reset(token)


def _usage(ctx: click.Context, lang: str, key: str, **params: object) -> _UsageError:
    return _UsageError(_t(key, lang, **params), lang, ctx)


def _time_limit(ctx: click.Context, lang: str, text: str | None) -> float | None:
    """--time-limit S as seconds; anything but a positive finite number is a usage error (exit code 2)."""

    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value > 0):

        raise _UsageError(f"--time-limit: {render('bad_time_limit', {'value': text}, lang)}", lang, ctx)
    return value


def _solver_option(name: str | None) -> None:
    """An unknown --solver is bad input (exit code 2) naming the solvers; checked before any file is read."""
    if name is None:
        return
    from landopt.scenario import solve_option_issues  # lazy: --help imports no yaml or numpy (landopt.scenario loads the input stage)

    issues = solve_option_issues(name, None, option=True)
    if issues:
        raise InputError(issues)


def _lang(ctx: click.Context, lang: str | None) -> str:
    """The command's --lang, else the group's --lang, else $LANDOPT_LANG, else the locale's language."""
    if lang:
        return lang
    root = ctx.find_root()
    if root.obj and root.obj.get("lang"):
        return root.obj["lang"]
    return _lang_default()


class _Stop:
    """What the command's signal handlers saw: the signal that stopped it, and whether the output
    is being put in place (from then on a signal is ignored: the run completes)."""

    signal: int | None = None
    committing: bool = False


def _on_sigint(signum: int, frame: object) -> None:
    """SIGINT: a KeyboardInterrupt, unless the output is being put in place."""
    if _Stop.committing:
        return
    _Stop.signal = signum
    raise KeyboardInterrupt


def _on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM: what a Ctrl-C does at this moment. While a solver runs in this process, the SIGINT handler
    is the solver's own (`solvers._support.sigint_deferred`: stop the solver, then KeyboardInterrupt);
    otherwise a KeyboardInterrupt at once. The stopping signal is noted for the exit code."""
    if _Stop.committing:
        return
    _Stop.signal = signum
    current = signal.getsignal(signal.SIGINT)
    if callable(current) and current not in (_on_sigint, signal.default_int_handler):
        current(signal.SIGINT, frame)
        return
    raise KeyboardInterrupt


@contextmanager
def _signals() -> Iterator[None]:
    """SIGINT and SIGTERM handled as described in the module docstring, for the length of a command
    (main thread only; the previous handlers are restored)."""

    _Stop.signal, _Stop.committing = None, False
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    if before[signal.SIGINT] is not signal.SIG_IGN:  # started in the background with SIGINT ignored: keep it so
        signal.signal(signal.SIGINT, _on_sigint)
    signal.signal(signal.SIGTERM, _on_sigterm)
    if before[signal.SIGHUP] is not signal.SIG_IGN:  # the terminal closed (not under nohup): stop like SIGTERM
        signal.signal(signal.SIGHUP, _on_sigterm)
    try:
        yield
    finally:
        for s, h in before.items():
            signal.signal(s, h if h is not None else signal.SIG_DFL)


@contextmanager
def _guard(ctx: click.Context, lang: str) -> Iterator[None]:
    """Turn every landopt error into a message and an exit code; never a traceback (unless --debug).
    SIGINT and SIGTERM come out as "interrupted" with exit code 130 or 143 (see the module docstring)."""

    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        with _signals():
            yield
    except LandoptError as e:
        _err(e.render(lang))
        ctx.exit(e.exit_code)
    except KeyboardInterrupt:
        _err(_t("interrupted", lang))
        ctx.exit(128 + _Stop.signal if _Stop.signal in (signal.SIGTERM, signal.SIGHUP) else EXIT_INTERRUPTED)
    except (click.exceptions.Exit, click.ClickException):
        raise
    except OSError as e:
        if debug:
            raise
        _err(_t("io_error", lang, error=e))
        ctx.exit(EXIT_FAILED)
    except Exception as e:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            raise
        tb = traceback.extract_tb(e.__traceback__)[-1]
        _err(_t("internal", lang, error=f"{type(e).__name__}: {e}", where=f"{Path(tb.filename).name}:{tb.lineno}"))
        ctx.exit(EXIT_FAILED)


_PROGRESS = {
    "built": ("model built: {n:,} columns, {m:,} rows, {nnz:,} nonzeros ({seconds:.2f} s)",
              "模型已建立: {n:,} 列, {m:,} 行, {nnz:,} 个非零元 ({seconds:.2f} 秒)"),
    "solving": ("solving {step} with {solver} ...", "正在求解 {step} ({solver}) ..."),
    "solved": ("{step}: {status} ({seconds:.2f} s)", "{step}: {status} ({seconds:.2f} 秒)"),
    "checking": ("independent check of the allocation ...", "正在独立校核配置结果 ..."),
}


def _progress_printer(lang: str):
    """A progress callback writing one line per step to stderr (flushed, so pipes see it at once)."""


    t0 = time.perf_counter()

    steps_zh = {"canonical": "规范解", "elastic": "弹性模型", "elastic, re-weighted": "弹性模型 (重新加权)",
                "elastic, objective": "弹性模型 (目标)"}

    def show(event: str, **details: object) -> None:
        en, zh = _PROGRESS.get(event, (event, event))
        if lang == "zh":
            step = str(details.get("step", ""))
            details["step"] = f"第 {step.split()[1]} 阶段" if step.startswith("stage ") else steps_zh.get(step, step)
            details["status"] = STATUS_ZH.get(str(details.get("status", "")), details.get("status", ""))
        text = (zh if lang == "zh" else en).format(**details)
        click.echo(f"[{time.perf_counter() - t0:6.1f}s] {text}", err=True)
        sys.stderr.flush()

    return show


_FD_ALIAS = re.compile(r"/(dev/(stdout|stderr|fd/\d+)|proc/(self|\d+)/fd/\d+)")
"""Names of an open file descriptor (/dev/stdout, /dev/fd/1, /proc/self/fd/1)."""


def _write_into(path: str | Path) -> str | None:
    """The mode to write `path` in place ('ab' or 'wb'), or None to replace it atomically.

    A name of a file descriptor (/dev/stdout, which may be a pipe, a terminal or the file a shell
    redirected to), or a link to one, is appended to, as the descriptor itself would be; an existing
    file that is not a regular file (a device such as /dev/null, a FIFO) is written into. Neither is
    ever replaced.
    """
    hop = os.path.abspath(path)
    for _ in range(40):  # the symbolic links from `path` on (/dev/stdout -> /proc/self/fd/1 -> ...)
        if _FD_ALIAS.fullmatch(hop):
            return "ab"
        if not os.path.islink(hop):
            break
        hop = os.path.abspath(os.path.join(os.path.dirname(hop), os.readlink(hop)))
    try:
        mode = os.stat(path).st_mode  # follows symbolic links
    except OSError:
        return None

    return None if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "wb"


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write a whole file or nothing: a temporary file in the same folder, then an atomic rename.

    A symbolic link is followed (the file it names is replaced, not the link). A device, a FIFO or
    /dev/stdout is written into directly (see `_write_into`): a rename would replace the node itself.
    """

    raw = data.encode("utf-8") if isinstance(data, str) else data
    mode = _write_into(path)
    if mode is not None:
        with open(path, mode) as fh:  # a FIFO waits here for its reader, as a shell redirection does
            fh.write(raw)
        return
    p = Path(os.path.realpath(path))
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=str(p.parent))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # mkstemp makes the file private; give it the usual permissions
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        _Stop.committing = True  # from here on SIGINT and SIGTERM wait: the file is put in place whole
        os.replace(tmp, p)
    except BaseException:
        _Stop.committing = False
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _emit(data: str | bytes, out: str | None) -> None:
    """Write a report to `out` (atomically) or to stdout; text always ends with one newline."""
    if isinstance(data, str) and not data.endswith("\n"):
        data += "\n"
    if out:
        write_atomic(out, data)
    else:
        click.echo(data, nl=False)


def _out_format(ctx: click.Context, lang: str, fmt: str | None, out: str | None) -> str:
    """The report format: --format, else the one --out's extension names (`EXTENSIONS`), else table.

    An extension naming another format than an explicit --format is a usage error (exit code 2);
    .txt goes with any text format. A binary format needs --out (it is not written to a terminal).
    """
    suffix = Path(out).suffix.lower() if out else ""
    implied = EXTENSIONS.get(suffix)
    if fmt is None:
        fmt = implied or "table"
    elif implied and implied != fmt and not (suffix == ".txt" and fmt not in BINARY_FORMATS):
        raise _usage(ctx, lang, "ext_vs_format", out=out, ext=suffix, implied=implied, fmt=fmt,
                     suffix=SUFFIX[fmt], suggest=Path(out).with_suffix(SUFFIX[fmt]))  # type: ignore[arg-type]
    if fmt in BINARY_FORMATS and not out:
        raise _usage(ctx, lang, "binary_needs_out", fmt=fmt)
    return fmt


def _same_file(a: str | Path, b: str | Path) -> bool:
    """True when `a` and `b` are one file: the same real path (symbolic links followed), or hard links of one."""
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _not_an_input(ctx: click.Context, lang: str, option: str, out: str | None, scenarios: list,
                  what: str = "the_scenario", suffix: str = ".txt") -> None:
    """Refuse (usage error, exit code 2) an output `out` that is a file the run reads: the file of one of
    `scenarios` or any file of its `extends` chain (`Composed.files`, resolved from the working folder)."""
    if not out:
        return
    for sc in scenarios:
        for k, f in enumerate(sc.composed.files):
            if _same_file(out, f):
                p = Path(out)
                raise _usage(ctx, lang, "out_is_input", option=option, out=out, file=f,
                             what=_t(what if k == 0 else "an_extended", lang),
                             suggest=p.with_name(f"{p.stem}.report{suffix}" if option == "--out" else p.stem + suffix))


def _render(fmt: str, build, json_text) -> str | bytes:
    """`json_text()` for json, else the report `build()` returns, rendered as `fmt`."""
    if fmt == "json":
        return json_text()
    from landopt.report import render  # lazy: the renderers import numpy and xlsxwriter; --help must not

    return render(build(), fmt)


def _load(path: str, variants: tuple[str, ...], sets: tuple[str, ...]):
    from landopt.scenario import load  # lazy: --help imports no yaml or numpy (landopt.scenario loads the input stage)

    names: list[str] = []
    for v in variants:
        names.extend(x.strip() for x in v.split(",") if x.strip())
    return load(path, tuple(names), sets)


# ---------------------------------------------------------------- the parser, in the user's language
# The help texts are in `landopt.i18n.help` (`HELP`, by id); click's own words ("Usage:", "Options", "Missing
# argument") are gettext texts, which click asks for while it runs: `_click_word` gives them in Chinese
# (`CLICK_ZH`) while `_SPEAKING` is zh, which it is from the start of `landopt ...` to its end when the
# command line asks for Chinese (`_argv_lang`). Outside landopt's command line click is left as it was.

_SPEAKING: ContextVar[str] = ContextVar("landopt_cli_lang", default="en")
"""The language click speaks in: landopt's command line sets it for the length of a run."""


def _argv_lang(args: list[str]) -> str:
    """The language of a command line: its last valid --lang (the command's own comes after the group's, and wins
    as it does in `_lang`), else $LANDOPT_LANG or the locale's. Read before click parses anything, since --help
    and a usage error (an invalid --lang among them) stop the parsing before --lang has a value."""
    found = None
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            break
        value = next(rest, None) if arg == "--lang" else arg[len("--lang="):] if arg.startswith("--lang=") else None
        if value in LANGS:
            found = value
    return found or _lang_default()


def _click_word(message: str) -> str:
    """gettext for click: its words in Chinese while the command line speaks Chinese."""
    if _SPEAKING.get() == "zh":
        return CLICK_ZH.get(message, message)
    return gettext.gettext(message)


def _click_words(singular: str, plural: str, n: int) -> str:
    """ngettext for click (Chinese has one form for both)."""
    if _SPEAKING.get() == "zh" and singular in CLICK_ZH:
        return CLICK_ZH[singular if n == 1 else plural] if plural in CLICK_ZH else CLICK_ZH[singular]
    return gettext.ngettext(singular, plural, n)


for _module in [m for name, m in sys.modules.items() if name == "click" or name.startswith("click.")]:
    # each of click's modules binds gettext's functions as its own `_` and `ngettext` (`from gettext import ...`)
    if getattr(_module, "_", None) is gettext.gettext:
        _module._ = _click_word  # type: ignore[attr-defined]
    if getattr(_module, "ngettext", None) is gettext.ngettext:
        _module.ngettext = _click_words  # type: ignore[attr-defined]


class _WideFormatter(click.HelpFormatter):
    """click's help layout measured in display columns (a Chinese character takes two), wrapping Chinese
    between characters: a Chinese help page keeps within the terminal and its columns align."""

    def _fill(self, text: str, columns: int, indent: str = "") -> list[str]:
        lines: list[str] = []
        for extra, kept, para in paragraphs(text):
            if lines:
                lines.append("")
            lead = indent + " " * extra
            lines += [lead + ln for ln in para.splitlines()] if kept else wrap(para, columns, lead, lead)
        return lines

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:
            prefix = _click_word("Usage:") + " "
        head = " " * max(self.current_indent - width(prefix), 0) + f"{prefix}{prog} "
        columns = self.width - self.current_indent
        if not args:
            lines = [head.rstrip()]
        elif columns >= width(head) + 20:
            lines = wrap(args, columns, head, " " * width(head), cjk=False)
        else:
            indent = " " * (max(self.current_indent, width(prefix)) + 4)
            lines = [head.rstrip(), *wrap(args, columns, indent, indent, cjk=False)]
        self.write("\n".join(lines) + "\n")

    def write_text(self, text: str) -> None:
        self.write("\n".join(self._fill(text, self.width, " " * self.current_indent)) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, second) for first, second in rows]
        first_col = min(max((width(first) for first, _ in rows), default=0), col_max) + col_spacing
        margin = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + margin)
            lines = self._fill(second, max(self.width - first_col - 2, 10))
            self.write("\n".join([lines[0], *(margin + ln if ln else "" for ln in lines[1:])]) + "\n")


class _Context(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        if _SPEAKING.get() != "zh":
            return super().make_formatter()
        return _WideFormatter(width=self.terminal_width, max_width=self.max_content_width)


class _Option(click.Option):
    """An option whose help is `HELP[help_id]`, shown in the command line's language."""

    def __init__(self, *args, help_id: str, **kwargs):
        kwargs["help"] = HELP[help_id].en
        super().__init__(*args, **kwargs)
        self.help_id = help_id

    def get_help_record(self, ctx: click.Context):
        if _SPEAKING.get() != "zh":
            return super().get_help_record(ctx)
        twin = copy.copy(self)
        twin.help = HELP[self.help_id].zh
        return super(_Option, twin).get_help_record(ctx)


class _Speaks:
    """What landopt's group and commands add to click's: the language of the run, set from the command line
    (`_argv_lang`) for its length; help text from `HELP` by id (the command's name; the group's is
    'landopt'), and the zh one-line summary from `SHORT_ZH`; the usage line's words and the help option's
    text in that language."""

    context_class: type[click.Context] = _Context

    def __init__(self, name: str | None, *args, help_id: str | None = None, **kwargs):
        self.help_id = help_id or name or ""
        kwargs["help"] = HELP[self.help_id].en
        super().__init__(name, *args, **kwargs)  # type: ignore[call-arg]

    def main(self, args=None, *rest, **kwargs):
        token = _SPEAKING.set(_argv_lang(list(sys.argv[1:] if args is None else args)))
        try:
            return super().main(args, *rest, **kwargs)  # type: ignore[misc]
        finally:
            _SPEAKING.reset(token)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if _SPEAKING.get() != "zh":
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
            return
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(HELP[self.help_id].zh)

    def get_short_help_str(self, limit: int = 45) -> str:
        if _SPEAKING.get() == "zh":
            return SHORT_ZH[self.help_id]
        return super().get_short_help_str(limit)  # type: ignore[misc]

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)  # type: ignore[misc]
        return [CLICK_ZH.get(p, p) for p in pieces] if _SPEAKING.get() == "zh" else pieces

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc]
        except click.MissingParameter as e:
            if _SPEAKING.get() != "zh" or e.param is None:
                raise
            missing = _click_word(f"Missing {e.param.param_type_name}")  # "Missing argument" or "Missing option"
            hint = e.param.get_error_hint(ctx)
            raise click.UsageError(CLICK_ZH["{missing} {param_hint}."].format(missing=missing, param_hint=hint),
                                   ctx) from None

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:  # click makes it once, in whichever language it is asked first: say it afresh
            option.help = HELP["opt.help"].pick(_SPEAKING.get())
        return option


class _Command(_Speaks, click.Command):
    pass


class _Group(_Speaks, click.Group):
    command_class = _Command


set_option = click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", cls=_Option, help_id="opt.set")
variant_option = click.option("--variant", "variants", multiple=True, metavar="NAME", cls=_Option,
                              help_id="opt.variant")
lang_option = click.option("--lang", type=click.Choice(LANGS), default=None, cls=_Option, help_id="opt.lang")
solver_option = click.option("--solver", default=None, metavar="NAME", cls=_Option, help_id="opt.solver")
format_option = click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, cls=_Option,
                             help_id="opt.format")
out_option = click.option("--out", type=click.Path(dir_okay=False), default=None, cls=_Option, help_id="opt.out")
time_limit_option = click.option("--time-limit", default=None, metavar="S", cls=_Option, help_id="opt.time_limit")
explore_out_option = click.option("--out", required=True, type=click.Path(file_okay=False), metavar="DIR",
                                  cls=_Option, help_id="explore.out")  # pareto, alternatives


@click.group(cls=_Group, help_id="landopt", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="landopt", message="landopt %(version)s", cls=_Option, help_id="opt.version")
@click.option("--debug", is_flag=True, cls=_Option, help_id="landopt.debug")
@click.option("--lang", type=click.Choice(LANGS), default=None, cls=_Option, help_id="landopt.lang")
@click.pass_context
def cli(ctx: click.Context, debug: bool, lang: str | None) -> None:
    """The group: --debug and --lang for every command (its help: `HELP['landopt']`)."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["lang"] = lang
    _Entry.command = ctx.invoked_subcommand
    if _Entry.active and ctx.invoked_subcommand in _LONG_COMMANDS:
        gc.enable()  # a long run collects its cyclic garbage as usual (see `main`)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@solver_option
@format_option
@time_limit_option
@out_option
@click.option("--detail", is_flag=True, cls=_Option, help_id="solve.detail")
@click.option("--no-canonical", is_flag=True, cls=_Option, help_id="solve.no_canonical")
@click.option("--progress/--no-progress", default=None, cls=_Option, help_id="solve.progress")
@set_option
@variant_option
@lang_option
@click.pass_context
def solve(ctx, file, solver, fmt, time_limit, out, detail, no_canonical, progress, sets, variants, lang):
    """`landopt solve` (its help: `HELP['solve']`)."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        fmt = _out_format(ctx, lang, fmt, out)
        time_limit = _time_limit(ctx, lang, time_limit)
        _solver_option(solver)
        started = time.perf_counter()  # the time limit covers reading the file too
        sc = _load(file, variants, sets)  # its warnings come with the result's
        _not_an_input(ctx, lang, "--out", out, [sc], suffix=SUFFIX[fmt])
        show = sys.stderr.isatty() if progress is None else progress
        res = sc.solve(solver=solver, time_limit=time_limit, canonical=False if no_canonical else None,
                       progress=_progress_printer(lang) if show else None, started=started)
        for w in res.warnings:
            _err(w.format(lang))

        def build():
            from landopt.report import solve_report  # lazy: the report imports numpy; --help must not

            return solve_report(res, lang=lang, detail=detail)

        _emit(_render(fmt, build, res.to_json), out)
        ctx.exit(EXIT_OK if res.ok else EXIT_FAILED)


def _compare_cases(ctx: click.Context, lang: str, files: tuple[str, ...], variant_list: str | None,
                   sets: tuple[str, ...]) -> list:
    """(label, Scenario) for each plan of `landopt compare` (see its help)."""
    from landopt.scenario import load  # lazy: --help imports no yaml or numpy (landopt.scenario loads the input stage)

    if variant_list is not None:
        if len(files) != 1:
            raise _usage(ctx, lang, "variants_one_file")
        names = [v.strip() for v in variant_list.split(",") if v.strip()]
        if len(names) < 2:
            raise _usage(ctx, lang, "variants_two")
        return [(name, load(files[0], () if name == "base" else (name,), sets)) for name in names]
    if len(files) == 1:
        base = load(files[0], (), sets)
        if not base.variants:
            raise _usage(ctx, lang, "no_variants", file=files[0])
        return [("base", base)] + [(v, load(files[0], (v,), sets)) for v in base.variants]
    plans = [load(f, (), sets) for f in files]
    stems = [Path(f).stem for f in files]
    labels = stems if len(set(stems)) == len(stems) else list(files)
    return list(zip(labels, plans))


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--variants", "variant_list", default=None, metavar="A,B,...",
              cls=_Option, help_id="compare.variants")
@solver_option
@format_option
@time_limit_option
@out_option
@click.option("--detail", is_flag=True, cls=_Option, help_id="compare.detail")
@set_option
@lang_option
@click.pass_context
def compare(ctx, files, variant_list, solver, fmt, time_limit, out, detail, sets, lang):
    """`landopt compare` (its help: `HELP['compare']`): FILES as its help says, labelled by `_compare_cases`."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        fmt = _out_format(ctx, lang, fmt, out)
        time_limit = _time_limit(ctx, lang, time_limit)
        _solver_option(solver)
        plans = _compare_cases(ctx, lang, files, variant_list, sets)
        _not_an_input(ctx, lang, "--out", out, [sc for _, sc in plans], what="a_compared", suffix=SUFFIX[fmt])
        cases = []
        for label, sc in plans:
            res = sc.solve(solver=solver, time_limit=time_limit)
            for w in res.warnings:
                _err(f"{label}: {w.format(lang)}")
            cases.append((label, sc, res))

        def build():
            from landopt.report import compare_report  # lazy: the report imports numpy; --help must not

            return compare_report([(label, res) for label, _, res in cases], lang=lang, detail=detail)

        def json_text() -> str:

            plans_json = [{"label": label, "file": str(sc.path), "variants": list(sc.composed.variants),
                           "result": res.to_dict()} for label, sc, res in cases]
            return json.dumps({"plans": plans_json}, ensure_ascii=False, indent=2, allow_nan=False)

        _emit(_render(fmt, build, json_text), out)
        ctx.exit(EXIT_OK if all(res.ok for _, _, res in cases) else EXIT_FAILED)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@set_option
@variant_option
@lang_option
@click.pass_context
def validate(ctx, file, sets, variants, lang):
    """`landopt validate` (its help: `HELP['validate']`)."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        from landopt.scenario import validate_all_variants  # lazy: --help imports no yaml (the input stage)

        checked: list[str] = []
        if sets or variants:
            sc = _load(file, variants, sets)
            issues = sc.warnings
        else:
            issues, checked = validate_all_variants(file)
        errors = [i for i in issues if i.severity == "error"]
        if errors:
            raise InputError(issues)
        for w in issues:
            _err(w.format(lang))
        if checked:
            click.echo(_t("valid_variants", lang, file=file, n=len(checked), names=", ".join(checked)))
        else:
            click.echo(_t("valid", lang, file=file))


def _scenario_files(paths: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for p in paths or ("scenarios",):
        path = Path(p)
        if path.is_dir():
            out.extend(sorted(q for q in path.rglob("*.yaml") if not any(part.startswith("_") for part in
                                                                         q.relative_to(path).parts)))
        else:
            out.append(path)
    return out


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@solver_option
@click.option("--all-solvers", is_flag=True, cls=_Option, help_id="check.all_solvers")
@click.option("--variants/--no-variants", "with_variants", default=True, show_default=True, cls=_Option,
              help_id="check.variants")
@click.option("--junit", "junit_out", type=click.Path(dir_okay=False), default=None, metavar="FILE", cls=_Option,
              help_id="check.junit")
@click.option("--json", "json_out", type=click.Path(dir_okay=False), default=None, metavar="FILE", cls=_Option,
              help_id="check.json")
@click.option("--record", is_flag=True, cls=_Option, help_id="check.record")
@set_option
@variant_option
@lang_option
@click.pass_context
def check(ctx, paths, solver, all_solvers, with_variants, junit_out, json_out, record, sets, variants, lang):
    """`landopt check` (its help: `HELP['check']`)."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        from landopt.verify.regression import check_files, json_text, junit_xml, record_expect, text  # lazy: --help imports no solver or numpy

        _solver_option(solver)
        names = tuple(x.strip() for v in variants for x in v.split(",") if x.strip())
        if record:
            if junit_out or json_out or all_solvers:
                raise _UsageError(text("record_alone", lang), lang, ctx)
            if len(paths) != 1 or Path(paths[0]).is_dir():
                raise _UsageError(text("record_one_file", lang), lang, ctx)
            chosen = [n for n in names if n != "base"]
            if len(chosen) > 1:
                raise _UsageError(text("record_combination", lang), lang, ctx)
            yaml_text, code = record_expect(paths[0], solver=solver, with_variants=with_variants and not names,
                                            sets=sets, variant=chosen[0] if chosen else None, lang=lang,
                                            shown=paths[0])
            click.echo(yaml_text, nl=False)
            ctx.exit(code)
        run = check_files(_scenario_files(paths), solver=solver, all_solvers=all_solvers,
                          with_variants=with_variants and not names, sets=sets, variants=names, lang=lang,
                          echo=click.echo)
        if junit_out:
            write_atomic(junit_out, junit_xml(run, lang))
        if json_out:
            write_atomic(json_out, json_text(run, lang))
        ctx.exit(run.exit_code)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--lp", "lp_out", type=click.Path(dir_okay=False), default=None, cls=_Option, help_id="export.lp")
@click.option("--mps", "mps_out", type=click.Path(dir_okay=False), default=None, cls=_Option, help_id="export.mps")
@set_option
@variant_option
@lang_option
@click.pass_context
def export(ctx, file, lp_out, mps_out, sets, variants, lang):
    """`landopt export` (its help: `HELP['export']`)."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        if not lp_out and not mps_out:
            raise _usage(ctx, lang, "export_needs_out")
        if lp_out and mps_out and os.path.realpath(lp_out) == os.path.realpath(mps_out):
            raise _usage(ctx, lang, "export_same_file")
        from solvers.lpfile import to_lp, to_mps  # lazy: numpy and scipy are not for --help

        sc = _load(file, variants, sets)
        _not_an_input(ctx, lang, "--lp", lp_out, [sc], suffix=".lp")
        _not_an_input(ctx, lang, "--mps", mps_out, [sc], suffix=".mps")
        model = sc.build()
        texts = [(path, write(model.problem)) for path, write in ((lp_out, to_lp), (mps_out, to_mps)) if path]
        for path, text in texts:  # both made first: once a file is in place, a signal no longer stops the run
            write_atomic(path, text)
        p = model.problem
        click.echo(_t("exported", lang, n=p.n, m=p.m, nnz=p.nnz))


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--from", "source", type=click.Path(dir_okay=False), default=None, metavar="FILE", cls=_Option,
              help_id="template.from")
@click.option("--yaml", "yaml_out", type=click.Path(dir_okay=False), default=None, metavar="FILE", cls=_Option,
              help_id="template.yaml")
@variant_option
@lang_option
@click.pass_context
def template(ctx, out, source, yaml_out, variants, lang):
    """`landopt template` (its help: `HELP['template']`); the workbook is `landopt.input.template`'s."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        target = Path(out)
        if target.suffix.lower() != ".xlsx":
            raise _usage(ctx, lang, "template_not_xlsx", out=out, suggest=target.with_suffix(".xlsx"))
        if yaml_out and Path(yaml_out).suffix.lower() not in (".yaml", ".yml"):
            raise _usage(ctx, lang, "template_yaml_suffix", out=yaml_out, suggest=Path(yaml_out).with_suffix(".yaml"))
        if variants and not source:
            raise _usage(ctx, lang, "template_variant_alone")
        yaml_path = Path(yaml_out) if yaml_out else target.with_suffix(".yaml") if source else None
        if yaml_path is not None and _same_file(yaml_path, target):
            raise _usage(ctx, lang, "template_same_file", out=yaml_path, suggest=target.with_suffix(".yaml"))
        from landopt.input import template as T  # lazy: openpyxl and the input stage are not for --help

        T.needs_openpyxl(out)
        ref = T.reference(target, yaml_path)
        if source:
            sc = _load(source, variants, ())
            for path, option, suggest in ((target, None, target.with_name(target.stem + ".template.xlsx")),
                                          (yaml_path, "--yaml", yaml_path.with_name(yaml_path.stem + ".tables.yaml"))):
                taken = next(((f, what) for f, what in T.inputs(sc.composed) if _same_file(path, f)), None)
                if taken is None:
                    continue
                f, what = taken[0], _t({"scenario": "the_scenario", "extends": "an_extended"}.get(taken[1], "a_table"),
                                       lang)
                if option:
                    raise _usage(ctx, lang, "out_is_input", option=option, out=path, file=f, what=what, suggest=suggest)
                raise _usage(ctx, lang, "template_out_is_input", out=path, file=f, what=what, suggest=suggest)
            for w in sc.warnings:
                _err(w.format(lang))
            book = T.from_scenario(sc.composed, sc.spec, ref, source)
        else:
            book = T.blank(ref)
        write_atomic(target, book.xlsx)
        if yaml_path is not None:
            write_atomic(yaml_path, book.yaml)
        else:
            click.echo(book.yaml, nl=False)
        join = "、" if lang == "zh" else ", "
        sheets = join.join(_t("template_row" if len(s.rows) == 1 else "template_rows", lang, sheet=s.name,
                              n=len(s.rows)) for s in book.sheets)
        if yaml_path is not None:
            _err(_t("template_wrote", lang, out=out, sheets=sheets, yaml=yaml_path))
        else:
            _err(_t("template_wrote_stub", lang, out=out, sheets=sheets, name=target.name))


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--vary", "vary", multiple=True, metavar="PATH=V1,V2,...", cls=_Option, help_id="sweep.vary")
@click.option("--zip", "zip_", is_flag=True, cls=_Option, help_id="sweep.zip")
@click.option("--samples", default=None, metavar="N", cls=_Option, help_id="sweep.samples")
@click.option("--seed", default=None, metavar="S", cls=_Option, help_id="sweep.seed")
@set_option
@variant_option
@solver_option
@click.option("--time-limit", default=None, metavar="S", cls=_Option, help_id="sweep.time_limit")
@click.option("--workers", default=None, metavar="N", cls=_Option, help_id="sweep.workers")
@click.option("--scheduler", default=None, metavar="ADDR", envvar="DASK_SCHEDULER_ADDRESS", cls=_Option,
              help_id="sweep.scheduler")
@click.option("--out", required=True, type=click.Path(file_okay=False), cls=_Option, help_id="sweep.out")
@click.option("--resume", is_flag=True, cls=_Option, help_id="sweep.resume")
@click.option("--cold", is_flag=True, cls=_Option, help_id="sweep.cold")
@lang_option
@click.pass_context
def sweep(ctx, file, vary, zip_, samples, seed, sets, variants, solver, time_limit, workers, scheduler, out, resume,
          cold, lang):
    """`landopt sweep` (its help: `HELP['sweep']`); the work is `landopt.explore.sweep`'s."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        from landopt.explore import sweep as S  # lazy: --help imports no solver, numpy, pyarrow or dask

        n_samples = S.whole("--samples", samples, 1)
        n_seed = S.whole("--seed", seed, 0) or 0
        n_workers = S.whole("--workers", workers, 1) or len(os.sched_getaffinity(0))
        limit = _time_limit(ctx, lang, time_limit)
        _solver_option(solver)
        names = tuple(x.strip() for v in variants for x in v.split(",") if x.strip())
        plan = S.prepare(file, names, tuple(sets), vary, zip_, n_samples, n_seed, solver, limit, cold)
        done: dict = {}
        try:
            done = S.run_sweep(plan, out, workers=n_workers, scheduler=scheduler or None, resume=resume, lang=lang,
                               echo=_err)
        except KeyboardInterrupt:
            finished = len(S.SweepDir(Path(out)).done())
            _err(S.words("interrupted", lang, done=finished, total=len(plan.points), out=out))
            ctx.exit(128 + _Stop.signal if _Stop.signal in (signal.SIGTERM, signal.SIGHUP) else EXIT_INTERRUPTED)
        charts = _sweep_charts(plan, done, out, lang)
        _sweep_report(plan, done, out, lang, charts)
        ok = sum(1 for s in done.values() if s.get("status") == "optimal")
        _err(S.words("finished", lang, total=len(done), out=out, ok=ok, bad=len(done) - ok,
                     manifest=Path(out) / S.MANIFEST))
        ctx.exit(EXIT_OK if ok == len(done) else EXIT_FAILED)


def _sweep_charts(plan, done: dict, out: str, lang: str):
    """DIR/objective, DIR/prices (and for --samples DIR/tornado) as PNG and SVG, returned for the report;
    without matplotlib, a line naming the extra to install (the sweep itself is done) and None."""
    from landopt.explore.front_chart import ChartUnavailable  # lazy: --help imports no numpy
    from landopt.explore.sweep import write_atomic  # lazy: as above
    from landopt.explore.sweep_charts import WORDS, draw_sweep  # lazy: as above
    from landopt.i18n.text import Bi  # lazy: only the sweep's charts name the objective here
    from landopt.report.words import unit_label  # lazy: as above

    spec = plan.spec
    stage = spec.stages[0]
    (metric, weight), = stage.weights.items() if len(stage.weights) == 1 else ((None, None),)
    unit = spec.unit_of(metric) if metric is not None and weight == 1 else ""
    plain = stage.name_en if stage.name_en and stage.name_en.isascii() else (metric or "objective")
    plain += f" ({unit_label(unit, 'en')})" if unit and unit_label(unit, "en").isascii() else ""
    try:
        charts = draw_sweep(plan, done, lang, objective=Bi(_objective_name(spec, "en"), _objective_name(spec, "zh")),
                            objective_ascii=plain)
    except ChartUnavailable as e:
        _err(e.render(lang))
        return None
    for name, data in charts.files.items():
        write_atomic(Path(out) / name, data)
    if charts.english:
        _err(WORDS["english"].pick(lang))
    return charts


def _objective_name(spec, lang: str) -> str:
    """The first objective stage's name, with the unit when it is one metric ('税收 (万元)')."""
    from landopt.model.spec import stage_name  # lazy: only the exploring commands name the objective here
    from landopt.report.words import unit_label  # lazy: as above

    stage = spec.stages[0]
    (metric, weight), = stage.weights.items() if len(stage.weights) == 1 else ((None, None),)
    unit = spec.unit_of(metric) if metric is not None and weight == 1 else ""
    name = stage_name(spec, 0, lang)
    return f"{name} ({unit_label(unit, lang)})" if unit else name


def _sweep_report(plan, done: dict, out: str, lang: str, charts) -> None:
    """DIR/report.html: the sweep in the report's words and layout (`landopt.report.sweep`), with the charts."""
    from landopt.explore.sweep import decision_changes, write_atomic  # lazy: --help imports no numpy
    from landopt.i18n.text import Bi  # lazy: as above
    from landopt.model.spec import display_name  # lazy: as above
    from landopt.report.html import render_html  # lazy: as above
    from landopt.report.sweep import SweepFacts, sweep_report  # lazy: as above

    spec = plan.spec
    named = [*spec.resources.values(), *spec.rules]
    options = [f"--variant {v}" for v in plan.variants] + [f"--set {s}" for s in plan.sets]
    figures = []
    if charts is not None:
        for key, title in charts.titles.items():
            svg = charts.files.get(f"{key}.svg")
            if svg is not None:
                figures.append((key, title, svg.decode("utf-8")))
    facts = SweepFacts(
        name=Bi(display_name(spec, "en"), display_name(spec, "zh")), file=plan.file, options=options,
        paths=plan.paths, points=[(p.id, [list(v) for v in p.values]) for p in plan.points], done=done,
        objective=Bi(_objective_name(spec, "en"), _objective_name(spec, "zh")),
        row_names={o.id: Bi(display_name(o, "en"), display_name(o, "zh")) for o in named}, figures=figures,
        changes=decision_changes(plan.points, done))
    write_atomic(Path(out) / "report.html", render_html(sweep_report(facts, lang)).encode("utf-8"))


@cli.command(name="rules")
@lang_option
@click.pass_context
def rules_cmd(ctx, lang):
    """`landopt rules` (its help: `HELP['rules']`)."""
    from landopt.model.rules import COMMON_KEYS, KINDS  # lazy: keeps --help free of the model

    lang = _lang(ctx, lang)
    for kind in KINDS.values():
        own = ", ".join(k.name + (" *" if k.name in kind.required else "") for k in kind.keys)
        click.echo(f"{kind.name}: {kind.summary.pick(lang)}")
        click.echo(f"    {_t('rules_inequality', lang)}: {kind.inequality}")
        click.echo(f"    {_t('rules_bounds', lang)}: {', '.join(kind.bounds)} ({kind.bound_unit.pick(lang)})")
        if own:
            click.echo(f"    {_t('rules_keys', lang)}: {own}")
        click.echo(f"    {_t('rules_violation', lang)}: {kind.violation.pick(lang)}")
        click.echo(f"    {_t('rules_example', lang)}: {kind.example}")
    common = ", ".join(k for k in COMMON_KEYS if k not in ("min", "max"))
    click.echo(_t("rules_common", lang, keys=common))


@cli.command(name="solvers")
@lang_option
@click.pass_context
def solvers_cmd(ctx, lang):
    """`landopt solvers` (its help: `HELP['solvers']`)."""
    import solvers as S  # lazy: `landopt solvers` alone needs the backends' list; --help does not

    lang = _lang(ctx, lang)
    from landopt.report.text import simple_table  # lazy: keeps --help free of the report's tables

    rows = S.describe_backends()
    yes, no = _t("yes", lang), _t("no", lang)
    head = ["名称", "求解器", "库", "可用", "能力"] if lang == "zh" else \
        ["name", "solver", "library", "available", "capabilities"]
    body = [[r.name, r.display_name, r.library, yes if r.available else no, ", ".join(r.capabilities)]
            for r in rows]
    click.echo(simple_table(head, body))
    lp = S.make_problem([1.0], [[1.0]], [0.0], [1.0])
    mip = S.make_problem([1.0], [[1.0]], [0.0], [1.0], integer=[True])
    for what, prob in (("an_lp", lp), ("a_milp", mip)):
        try:
            name = S.choose_backend(prob, "auto").name
        except S.BackendUnavailable:
            name = "-"
        click.echo(_t("auto_picks", lang, what=_t(what, lang), name=name))


# ---------------------------------------------------------------- pareto, alternatives (landopt.explore)
_EXPLORE = {
    "point": ("point", "序号"),
    "plan": ("plan", "方案"),
    "source": ("found by", "来源"),
    "payoff": ("lexicographic optimum", "字典序最优"),
    "grid": ("grid", "网格点"),
    "optimum": ("optimum", "最优方案"),
    "hsj": ("avoids used pairs", "避开已用片区行业"),
    "random": ("random direction", "随机方向"),
    "objective": ("objective", "目标值"),
    "gap": ("below the optimum", "比最优值低"),
    "area": ("area", "片区"),
    "land_unit": ("new land ({unit})", "新增用地 ({unit})"),
    "total": ("total", "合计"),
    "distance": ("land moved", "用地变动"),
    "max": ("max", "最大"),
    "min": ("min", "最小"),
    "front_title": ("Pareto front: {name}", "帕累托前沿: {name}"),
    "front_done": ("{n} points on the front ({solved} grid points solved, {bypassed} skipped); written to {out}",
                   "前沿上共 {n} 个点 (求解 {solved} 个网格点, 跳过 {bypassed} 个); 已写入 {out}"),
    "front_stopped": ("the time limit ran out before the grid was done: the front is partial",
                      "网格未算完即到达时间上限: 前沿不完整"),
    "alt_done": ("{n} alternatives within {slack:g}% of the optimum ({tries} tries); written to {out}",
                 "在最优值 {slack:g}% 之内找到 {n} 个备选方案 (尝试 {tries} 次); 已写入 {out}"),
    "alt_fewer": ("only {n} of the {asked} alternatives asked were found: the others repeated plans already found",
                  "只找到所要求 {asked} 个中的 {n} 个备选方案: 其余尝试都与已有方案相同"),
}


def _ex(key: str, lang: str, **params: object) -> str:
    return pick(_EXPLORE, key, lang, **params)


def _num(v: float) -> str:
    """A figure for a table: thousands separated, at most two decimals, no -0."""
    text = f"{v:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _csv_text(head: list[str], rows: list[list[object]]) -> str:
    """CSV in UTF-8 with a BOM (Excel reads Chinese right), as the report's csv format is."""
    import csv  # lazy: only the exploration commands write these tables
    import io  # lazy: as above

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()


def _plan_csv(model, x) -> str:
    from landopt.explore.plans import plan_records  # lazy: numpy is not for --help

    records = plan_records(model, x)
    keys = ["area", "sector", "project", "year", "land"]
    return _csv_text(keys, [[r[k] for k in keys] for r in records])


def _plan_file(folder: Path, stem: str, model, x) -> tuple[Path, str | bytes]:
    """A plan's new land as `stem`.parquet (area, sector, project, year, land), as a sweep writes its points;
    as `stem`.csv when pyarrow (the `landopt[sweep]` extra) is not installed."""
    from landopt.explore.plans import plan_records  # lazy: numpy is not for --help
    from landopt.explore.sweep import PackageMissing, parquet_bytes  # lazy: as above

    try:
        return folder / f"{stem}.parquet", parquet_bytes(plan_records(model, x), project=True)
    except PackageMissing:
        return folder / f"{stem}.csv", _plan_csv(model, x)


def _explore_out(ctx: click.Context, lang: str, out: str, sc) -> Path:
    """DIR, made if missing; never a file the run reads."""
    folder = Path(out)
    for f in sc.composed.files:
        if _same_file(folder, f):
            raise _usage(ctx, lang, "out_is_input", option="--out", out=out, file=f, what=_t("the_scenario", lang),
                         suggest=folder.with_name(folder.stem + "_out"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--objectives", required=True, metavar="A,-B[,C]", cls=_Option, help_id="pareto.objectives")
@click.option("--points", type=int, default=21, show_default=True, metavar="N", cls=_Option, help_id="pareto.points")
@solver_option
@time_limit_option
@explore_out_option
@set_option
@variant_option
@lang_option
@click.pass_context
def pareto(ctx, file, objectives, points, solver, time_limit, out, sets, variants, lang):
    """`landopt pareto` (its help: `HELP['pareto']`)."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        from landopt.explore.front_chart import ChartUnavailable, chart_font, draw_front  # lazy: no numpy for --help
        from landopt.explore.pareto import check_points, pareto_front, parse_objectives  # lazy: as above
        from landopt.explore.sweep_charts import WORDS as CHART_WORDS  # lazy: as above
        from landopt.model.spec import display_name, metric_name  # lazy: as above
        from landopt.report.text import simple_table  # lazy: as above
        from landopt.report.words import unit_label  # lazy: as above

        check_points(points)
        time_limit = _time_limit(ctx, lang, time_limit)
        _solver_option(solver)
        sc = _load(file, variants, sets)
        objs = parse_objectives(sc.spec, objectives)
        folder = _explore_out(ctx, lang, out, sc)
        for w in sc.warnings:
            _err(w.format(lang))
        front = pareto_front(sc.spec, objs, points=points, solver=solver, time_limit=time_limit)
        spec = sc.spec

        def label(o, lang: str) -> str:
            unit = unit_label(spec.unit_of(o.metric), lang or "en")
            unit = unit if lang or unit.isascii() else ""  # the ASCII labels, for a chart without a Chinese font
            name = metric_name(spec, o.metric, lang) if lang else o.metric
            way = _ex(o.sense, lang or "en")
            return f"{name} ({unit}, {way})" if unit else f"{name} ({way})"

        files: list[tuple[Path, str | bytes]] = []
        rows = []
        for k, pt in enumerate(front.points, start=1):
            path, data = _plan_file(folder, f"point_{k:02d}", front.model, pt.x)
            files.append((path, data))
            rows.append([k, *(round(v, 9) for v in pt.values), pt.source, "optimal", path.name])
        files.append((folder / "front.csv", _csv_text(["point", *(o.text for o in objs), "source", "status",
                                                       "allocation"], rows)))
        try:
            labels, title = [label(o, lang) for o in objs], _ex("front_title", lang, name=display_name(spec, lang))
            png, svg = draw_front([pt.values for pt in front.points], labels, [label(o, "") for o in objs], title,
                                  lines=not front.model.problem.is_mip)
            files += [(folder / "front.png", png), (folder / "front.svg", svg)]
            if not chart_font([*labels, title])[1]:
                _err(CHART_WORDS["english"].pick(lang))
        except ChartUnavailable as e:
            _err(e.render(lang))
        for path, data in files:
            write_atomic(path, data)
        head = [_ex("point", lang), *(label(o, lang) for o in objs), _ex("source", lang)]
        click.echo(simple_table(head, [[k, *(_num(v) for v in pt.values), _ex(pt.source, lang)]
                                       for k, pt in enumerate(front.points, start=1)]))
        if front.status != "optimal":
            _err(_ex("front_stopped", lang))
        click.echo(_ex("front_done", lang, n=len(front.points), solved=front.solved, bypassed=front.bypassed,
                       out=folder))
        ctx.exit(EXIT_OK if front.status == "optimal" else EXIT_FAILED)


@cli.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--slack", type=float, default=0.05, show_default=True, metavar="S", cls=_Option,
              help_id="alternatives.slack")
@click.option("--n", "count", type=int, default=10, show_default=True, metavar="N", cls=_Option,
              help_id="alternatives.n")
@solver_option
@time_limit_option
@explore_out_option
@set_option
@variant_option
@lang_option
@click.pass_context
def alternatives(ctx, file, slack, count, solver, time_limit, out, sets, variants, lang):
    """`landopt alternatives` (its help: `HELP['alternatives']`)."""
    lang = _lang(ctx, lang)
    with _guard(ctx, lang):
        from landopt.explore.alternatives import alternatives as near  # lazy: --help imports no numpy
        from landopt.explore.alternatives import check_count, check_slack  # lazy: as above
        from landopt.model.spec import display_name  # lazy: --help imports no numpy
        from landopt.report.text import simple_table  # lazy: as above
        from landopt.report.words import unit_label  # lazy: as above

        check_slack(slack)
        check_count(count)
        time_limit = _time_limit(ctx, lang, time_limit)
        _solver_option(solver)
        sc = _load(file, variants, sets)
        folder = _explore_out(ctx, lang, out, sc)
        for w in sc.warnings:
            _err(w.format(lang))
        found = near(sc.spec, slack=slack, n=count, solver=solver, time_limit=time_limit)
        spec = sc.spec
        areas = list(dict.fromkeys(a for a, _ in found.pairs.keys))
        by_area = [found.pairs.by_area(p.x) for p in found.plans]
        moved = [float(abs(p.land - found.plans[0].land).sum()) for p in found.plans]
        files: list[tuple[Path, str | bytes]] = []
        rows = []
        for k, (p, land) in enumerate(zip(found.plans, by_area, strict=True)):
            files.append(_plan_file(folder, f"plan_{k:02d}", found.model, p.x))
            rows.append([k, p.how, round(p.objective, 9), round(found.gap(p), 12),
                         *(round(land.get(a, 0.0), 9) for a in areas), round(moved[k], 9), files[-1][0].name])
        files.append((folder / "alternatives.csv",
                       _csv_text(["plan", "found_by", "objective", "gap", *areas, "land_moved", "allocation"], rows)))
        for path, data in files:
            write_atomic(path, data)
        unit = unit_label(spec.unit_of("land"), lang)
        head = [_ex("area", lang) + f" ({unit})", *(_ex("optimum", lang) if k == 0 else f"{_ex('plan', lang)} {k}"
                                                    for k in range(len(found.plans)))]
        body = []
        for a in areas:
            cells = [display_name(spec.areas[a], lang)]
            for k, land in enumerate(by_area):
                v, base = land.get(a, 0.0), by_area[0].get(a, 0.0)
                cells.append(_num(v) if k == 0 or abs(v - base) < 5e-3 else f"{_num(v)} ({v - base:+,.2f})")
            body.append(cells)
        body.append([_ex("total", lang), *(_num(sum(land.values())) for land in by_area)])
        body.append([_ex("distance", lang), *(_num(m) for m in moved)])
        body.append([_ex("objective", lang), *(_num(p.objective) for p in found.plans)])
        body.append([_ex("gap", lang), *(f"{100 * found.gap(p):.2f}%" for p in found.plans)])
        click.echo(simple_table(head, body))
        found_n = len(found.plans) - 1
        if found_n < count:
            _err(_ex("alt_fewer", lang, n=found_n, asked=count))
        click.echo(_ex("alt_done", lang, n=found_n, slack=100 * slack, tries=found.tries, out=folder))


_LONG_COMMANDS = frozenset({"sweep", "pareto", "alternatives"})
"""Commands that may run for hours, through pools of worker processes or a dask client: `main` leaves their garbage
collection on and their exit to the interpreter."""


class _Entry:
    """What the console entry point (`main`) set up: never set by the library API or by click's CliRunner."""

    active: bool = False
    """`main` runs this process's command line."""
    command: str | None = None
    """The command the group dispatched to (None: --help, --version or a usage error of the group)."""


def _other_threads() -> bool:
    """A thread other than the main one is still running, and not a daemon: the usual exit would wait for it."""
    main_thread = threading.main_thread()
    return any(t is not main_thread and not t.daemon and t.is_alive() for t in threading.enumerate())


def main() -> None:
    """Console entry point (`landopt`, `python -m landopt`).

    A command line is a short process, and two costs of the interpreter are skipped for it (issue 14):

    * Garbage collection is off. A county run makes almost no cyclic garbage (about 900 objects, from the imports;
      `landopt check scenarios`, every scenario solved, no more), but the collector ran some 250 times over the
      objects of numpy's, scipy's and OR-Tools' modules: 0.07-0.10 s of a run of under a second.
    * Once the command has finished, the process ends with `os._exit` instead of the interpreter's teardown
      (finalising every module and object: about 0.1 s), which does nothing a finished run needs. What the usual
      exit does that matters is done first, in its order: the atexit handlers run (logging's and multiprocessing's
      are the ones a run registers), then stdout and stderr are flushed. Every output file is complete and closed
      by then: reports are written by `write_atomic` (written, flushed, fsync'ed, closed, renamed) before the
      command returns, and a solver's child process has been reaped (`solvers.watchdog`).

    Neither applies to sweep, pareto and alternatives (`_LONG_COMMANDS`: garbage collection is turned back on when
    the group dispatches to one, and they exit the usual way). The usual exit is kept too when a thread other than
    the main one is still running (the interpreter would wait for it), when the exit code is not a number
    (`sys.exit("text")`), when flushing a standard stream fails (the interpreter reports that, exit code 120), and
    for any exception other than SystemExit (a traceback under --debug). Exit codes are those the command gave
    (0, 1, 2, 3, 129, 130, 143). Nothing changes for the library API or a test's CliRunner: both call `cli`.
    """
    _Entry.active = True
    gc.disable()
    try:
        cli(prog_name="landopt")
    except SystemExit as stop:
        code = stop.code
        if _Entry.command in _LONG_COMMANDS or not (code is None or isinstance(code, int)) or _other_threads():
            raise
        atexit._run_exitfuncs()  # as the usual exit does first; it also clears them (a fallback below won't rerun them)
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):
            raise stop from None  # the usual exit: it tries again and reports the failure as it always has
        os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    main()
