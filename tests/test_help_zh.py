"""`landopt --help` and every command's `--help` in Chinese when the language is Chinese (--lang zh before or
after --help, $LANDOPT_LANG=zh, a zh locale), in English otherwise: no English sentence left in the Chinese
pages, the option and command columns aligned in display columns (a Chinese character takes two), click's
own words and its usage errors in Chinese too (exit code 2, no traceback)."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from landopt.cli import cli
from landopt.i18n.help import CLICK_ZH, HELP, SHORT_ZH, width, wrap
from support import REPO

COMMANDS = sorted(cli.commands)
PAGES = [[], *([c] for c in COMMANDS)]
CJK = re.compile(r"[\u4e00-\u9fff]")
WORD = re.compile(r"(?<![\w.$/-])[A-Za-z][a-z]{2,}(?![\w/-])")
"""An English word: what is left of a line once option names, metavars, ids and paths are taken out."""

NAMES = {
    # what a user types or reads as a name, in either language: values of options, programs, formats
    "landopt", "auto", "highs", "clp", "glop", "pdlp", "cbc", "scip", "table", "markdown", "csv", "json", "xlsx",
    "html", "htm", "txt", "base", "variants", "expect", "extends", "Python", "Ctrl", "JUnit", "XML", "CPLEX",
    "MPS", "JSON", "BOM", "UTF", "SIGTERM", *COMMANDS,
}


def _help(args: list[str], lang: str | None = None, env: dict | None = None, columns: int = 80) -> str:
    """The help page of `landopt ARGS --help` (with --lang LANG when given), run in this process."""
    argv = [*args, "--help"] + (["--lang", lang] if lang else [])
    e = {"LANDOPT_LANG": None, "LC_ALL": "C.UTF-8", "LC_MESSAGES": None, "LANG": "C.UTF-8", **(env or {})}
    r = CliRunner().invoke(cli, argv, prog_name="landopt", env=e, terminal_width=columns)
    assert r.exit_code == 0, r.output
    return r.output


def _english_words(text: str) -> set[str]:
    """English words of a help page outside option names, metavars, quotes, backticks, paths and [choices]."""
    out: set[str] = set()
    for line in text.splitlines():
        line = re.sub(r"'[^'\n]*'|`[^`\n]*`|\[[^\]\n]*\]", " ", line)
        line = re.sub(r"--?[\w-]+|\$?[A-Z_]{2,}\S*|\S*[/.=]\S*", " ", line)
        out |= set(WORD.findall(line))
    return out - NAMES


def _section(page: str, heading: str) -> list[str]:
    """The lines of a section of a help page (its heading excluded), up to the next blank line."""
    lines = page.splitlines()
    start = lines.index(heading) + 1
    end = next((k for k in range(start, len(lines)) if not lines[k].strip()), len(lines))
    return lines[start:end]


def _columns(rows: list[str]) -> set[int]:
    """The display columns at which the descriptions of a definition list start: after a term and two spaces or
    more, or after the indent of a continuation line (a term alone on its line has none)."""
    cols = set()
    for line in rows:
        term = re.match(r"  \S.*?\s{2,}(?=\S)", line)
        if term:
            cols.add(width(term.group(0)))
        elif re.match(r"\s{3,}\S", line):
            cols.add(width(line) - width(line.lstrip()))
    return cols


# ---------------------------------------------------------------- the pages


@pytest.mark.parametrize("args", PAGES, ids=lambda a: " ".join(a) or "landopt")
def test_chinese_help_has_no_english_sentence(args):
    zh = _help(args, "zh")
    assert zh.startswith(f"用法: landopt {' '.join(args)}".rstrip() + " [选项]"), zh
    assert "选项:" in zh and "显示本帮助后退出。" in zh
    assert CJK.search(zh.split("选项:")[0].split("\n", 1)[1]), "the description is not in Chinese"
    assert not _english_words(zh), (_english_words(zh), zh)
    en = _help(args, "en")
    assert _english_words(en) - _english_words(zh), "the check finds no English in the English page"


@pytest.mark.parametrize("args", PAGES, ids=lambda a: " ".join(a) or "landopt")
def test_english_help_stays_english(args):
    en = _help(args, "en")
    assert en.startswith("Usage: landopt") and "Options:" in en and "Show this message and exit." in en
    assert not CJK.search(en), en
    first = HELP[args[0] if args else "landopt"].en.split(".")[0].split(":")[0]
    assert " ".join(first.split()[:5]) in " ".join(en.split()), first
    assert _help(args) == en, "English is the default language"


def test_group_lists_commands_in_chinese():
    zh = _help([], "zh")
    rows = _section(zh, "命令:")
    assert [r.split()[0] for r in rows] == COMMANDS
    for row in rows:
        assert row.split(None, 1)[1] == SHORT_ZH[row.split()[0]]
    assert "用法: landopt [选项] 命令 [参数]..." in zh


def test_check_shows_its_default_in_chinese():
    zh = _help(["check"], "zh")
    assert "[默认:" in zh and "variants]" in zh and "[default" not in zh


@pytest.mark.parametrize("columns", [80, 60, 100])
@pytest.mark.parametrize("args", PAGES, ids=lambda a: " ".join(a) or "landopt")
def test_chinese_columns_align_in_display_width(args, columns):
    """Every description in the option list (and the command list) starts at one display column, continuation
    lines too, and no line is wider than the terminal."""
    zh = _help(args, "zh", columns=columns)
    assert all(width(line) <= columns for line in zh.splitlines()), \
        [line for line in zh.splitlines() if width(line) > columns]
    for heading in ("选项:", "命令:") if not args else ("选项:",):
        rows = _section(zh, heading)
        assert len(_columns(rows)) == 1, (heading, rows)


def test_option_long_enough_for_its_own_line_keeps_the_column():
    """`--format [table|markdown|...]` is wider than the first column: its description starts on the next line,
    at the column of the others."""
    zh = _help(["solve"], "zh")
    rows = _section(zh, "选项:")
    k = next(i for i, r in enumerate(rows) if r.strip().startswith("--format"))
    assert rows[k].strip().endswith("]")
    assert _columns([rows[k + 1]]) == _columns([r for r in rows if r.strip().startswith("--solver")])


# ---------------------------------------------------------------- which language


@pytest.mark.parametrize("argv", [
    ["--lang", "zh", "solve", "--help"],
    ["solve", "--lang", "zh", "--help"],
    ["solve", "--help", "--lang", "zh"],
    ["solve", "--help", "--lang=zh"],
    ["--lang", "en", "solve", "--help", "--lang", "zh"],  # the command's own --lang wins, as for its report
], ids=" ".join)
def test_lang_on_the_command_line_selects_chinese(argv):
    r = CliRunner().invoke(cli, argv, prog_name="landopt", env={"LANDOPT_LANG": "en", "LC_ALL": None,
                                                                "LC_MESSAGES": None, "LANG": None})
    assert r.exit_code == 0 and r.output.startswith("用法: landopt solve [选项] FILE"), r.output


@pytest.mark.parametrize("env", [
    {"LANDOPT_LANG": "zh"},
    {"LANG": "zh_CN.UTF-8"},
    {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"},
    {"LC_ALL": "zh_TW.UTF-8"},
], ids=lambda e: " ".join(f"{k}={v}" for k, v in e.items()))
def test_environment_selects_chinese(env):
    blank = {"LANDOPT_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
    r = CliRunner().invoke(cli, ["export", "--help"], prog_name="landopt", env={**blank, **env})
    assert r.exit_code == 0 and r.output.startswith("用法: landopt export [选项] FILE"), r.output
    r = CliRunner().invoke(cli, ["export", "--help", "--lang", "en"], prog_name="landopt", env={**blank, **env})
    assert r.exit_code == 0 and r.output.startswith("Usage: landopt export [OPTIONS] FILE"), r.output


def test_landopt_lang_en_wins_over_a_chinese_locale():
    r = CliRunner().invoke(cli, ["--help"], prog_name="landopt",
                           env={"LANDOPT_LANG": "en", "LC_ALL": None, "LANG": "zh_CN.UTF-8"})
    assert r.output.startswith("Usage: landopt"), r.output


@pytest.mark.parametrize("env", [{"LANDOPT_LANG": "zh"}, {"LANG": "zh_CN.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""}],
                         ids=lambda e: next(iter(e)))
def test_help_in_chinese_from_the_environment_in_a_process(run_cli, env):
    r = run_cli("solve", "--help", env={**env, "COLUMNS": "80"})
    assert r.code == 0 and r.out.startswith("用法: landopt solve [选项] FILE"), r.out + r.err
    assert not _english_words(r.out), r.out


def test_help_in_chinese_imports_nothing_heavy():
    """`--help` in Chinese (the help texts, click's words, the width-aware layout) loads no heavy library."""
    from test_cli import HEAVY

    code = (
        "import sys\nfrom landopt.cli import cli\n"
        f"for args in {[[*p, '--help'] for p in PAGES]!r}:\n"
        "    try:\n        cli.main(args, prog_name='landopt', standalone_mode=False)\n"
        "    except SystemExit:\n        pass\n"
        f"print(sorted(set({sorted(HEAVY)!r}) & {{m.split('.')[0] for m in sys.modules}}))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "LANDOPT_LANG": "zh", "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().endswith("[]"), proc.stdout + proc.stderr
    assert proc.stdout.count("用法: landopt") == len(PAGES)


# ---------------------------------------------------------------- click's words and usage errors


ERRORS = {
    "missing file": (["solve"], r"缺少参数 'FILE'。"),
    "bad choice": (["solve", "x.yaml", "--format", "docx"], r"'--format' 的取值无效: 'docx' 不可用，可选 'table'"),
    "bad --lang": (["validate", "x.yaml", "--lang", "fr"], r"'--lang' 的取值无效: 'fr' 不可用，可选 'en', 'zh'。"),
    "unknown command": (["solv"], r"没有 'solv' 这个命令。"),
    "unknown option": (["validate", "x.yaml", "--detial"], r"没有 '?--detial'? 这个选项。"),  # quoted from click 8.3
    "option without its value": (["solve", "x.yaml", "--solver"], r"选项 '--solver' 后面要写一个值。"),
    "extra argument": (["validate", "a.yaml", "b.yaml"], r"多出了参数 b\.yaml。"),
    "a folder for a file": (["compare", str(REPO / "scenarios")], r"scenarios' 是文件夹，这里应为文件。"),
}
"""A usage error's arguments, and what its Chinese says (a regular expression)."""


@pytest.mark.parametrize("name", sorted(ERRORS))
def test_usage_errors_in_chinese(name):
    args, said = ERRORS[name]
    zh = CliRunner().invoke(cli, ["--lang", "zh", *args], prog_name="landopt", env={"LANDOPT_LANG": None})
    en = CliRunner().invoke(cli, ["--lang", "en", *args], prog_name="landopt", env={"LANDOPT_LANG": None})
    assert zh.exit_code == en.exit_code == 2, zh.output
    assert "错误: " in zh.output and "Error: " in en.output
    assert re.search(said, zh.output), zh.output
    assert not _english_words(zh.output) - _english_words(" ".join(args)), zh.output
    assert not CJK.search(en.output), en.output


def test_missing_file_in_a_process_exits_2_without_a_traceback(run_cli):
    r = run_cli("solve", env={"LANDOPT_LANG": "zh"})
    assert r.code == 2 and "Traceback" not in r.err and r.out == ""
    assert re.fullmatch("用法: landopt solve \\[选项\\] FILE\n运行 'landopt solve (--help|-h)' 查看帮助。\n\n"
                        "错误: 缺少参数 'FILE'。\n", r.err), r.err  # click 8.2 suggests -h


def test_click_speaks_english_outside_landopt():
    """The Chinese words are landopt's: another click program in the same process keeps click's English."""

    @click.command()
    @click.argument("name")
    def other(name):
        pass  # pragma: no cover - never reached: NAME is missing

    CliRunner().invoke(cli, ["--lang", "zh", "--help"], prog_name="landopt")
    r = CliRunner().invoke(other, [], prog_name="other")
    assert r.exit_code == 2 and "Usage: other [OPTIONS] NAME" in r.output and "Missing argument 'NAME'." in r.output


# ---------------------------------------------------------------- the texts


def _help_ids() -> set[str]:
    ids = {getattr(cli, "help_id", "")}
    ids |= {p.help_id for p in cli.params if hasattr(p, "help_id")}
    for cmd in cli.commands.values():
        ids.add(getattr(cmd, "help_id", ""))
        ids |= {p.help_id for p in cmd.params if hasattr(p, "help_id")}
    return ids | {"opt.help"}


def test_every_help_text_is_used_and_every_command_has_one():
    assert _help_ids() == set(HELP), set(HELP) ^ _help_ids()
    assert set(SHORT_ZH) == set(cli.commands)
    for key, text in HELP.items():
        assert CJK.search(text.zh) and not CJK.search(text.en), key


def test_every_click_word_has_its_fields():
    """A Chinese word of click's fills only fields its English offers (it may leave one out)."""
    for en, zh in CLICK_ZH.items():
        assert set(re.findall(r"\{(\w+)", zh)) <= set(re.findall(r"\{(\w+)", en)), en


# ---------------------------------------------------------------- width and wrapping


def test_width_counts_chinese_as_two_columns():
    assert width("abc") == 3 and width("情景文件") == 8 and width("（）：") == 6 and width("e\u0301") == 1


def test_wrap_keeps_within_the_width_and_breaks_between_chinese_characters():
    text = "求解情景文件 FILE 并出具报告：概要、各片区配置、分区分行业用地、效益指标、各项规则达标情况、边际效益。"
    for columns in (10, 17, 24, 40, 80):
        lines = wrap(text, columns, "  ", "    ")
        assert all(width(line) <= columns for line in lines), (columns, lines)
        assert "".join(line.strip() for line in lines).replace(" ", "") == text.replace(" ", "")
        assert not any(line.strip()[0] in "，。、；：）" for line in lines), lines
        assert not any(line.rstrip()[-1] in "（" for line in lines), lines
        assert all(line.startswith("    ") for line in lines[1:]) and lines[0].startswith("  ")


def test_wrap_keeps_words_whole_and_cuts_only_what_cannot_fit():
    lines = wrap("改写一个值，如 --set resources.energy.budget=25000（可重复使用）。", 20)
    assert "--set" in lines[0] or lines[1].startswith("--set")
    assert any(line.startswith("resources.energy.bud") for line in lines), lines  # 34 columns: cut at 20
    assert all(width(line) <= 20 for line in lines)
    assert wrap("a b", 80) == ["a b"] and wrap("", 80) == [""]
    assert wrap("[选项] FILE", 9, cjk=False) == ["[选项]", "FILE"]
