"""`--lang zh`: every line landopt writes is Chinese, apart from identifiers (keys, ids, units, file names).

A message leaks English when a word of its English rendering survives in the Chinese one and is not
an identifier the user writes or types (a schema key, a value, a unit, a solver, a file name). The
checks run on every catalogue template, on every bilingual text the input stage writes into a message
(schema descriptions, placeholders, the words of the YAML messages), on every bad-input case of
tests/data/bad/, on files the YAML parser refuses and on the command line's usage errors and `landopt
check` diffs.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import landopt
import solvers
from landopt.input import schema
from landopt.cli import cli
from landopt.i18n.messages import CATALOGUE, DID_YOU_MEAN, NO_HINT, NO_SUGGESTION, WHAT
from landopt.i18n.text import Bi
from landopt.model.units import UNITS
from support import BAD, REPO, SCENARIOS

INDEX = json.loads((BAD / "index.json").read_text(encoding="utf-8"))
EXAMPLE = str(SCENARIOS / "format_example.yaml")
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]{2,}(?![A-Za-z0-9_])")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _schema_words() -> set[str]:
    """Every key of the schema and every word a key allows."""
    out: set[str] = set()

    def words(t) -> None:
        if isinstance(t, schema.Word):
            out.update(str(w) for w in t.words)
        for inner in (getattr(t, "value", None), getattr(t, "item", None), *getattr(t, "options", ())):
            if inner is not None:
                words(inner)

    for section in schema.sections().values():
        for name, key in section.keys.items():
            out.add(name)
            words(key.type)
    return out


IDENTIFIERS = _schema_words() | set(UNITS) | set(solvers.BACKENDS) | {
    # what a user types or sees as a name, in either language
    "auto", "true", "false", "extends", "set", "KEY", "VALUE", "yaml", "YAML", "UTF", "GBK", "Windows", "Excel",
    "NUL", "NaN", "Tab", "str", "int", "float", "bool", "null", "landopt", "defaults", "scenarios",
    "format_example", "Python", "iconv", "OPTIONS", "FILE", "FILES", "rel_tol",
    "vary", "samples", "out", "resume", "scheduler", "dask", "tcp",  # landopt sweep's options, dask's scheduler
}


def _words(text: str) -> set[str]:
    """ASCII words of `text` outside quotes, backticks, file paths and the location heads of messages."""
    out: set[str] = set()
    for line in text.splitlines():
        line = re.sub(r"'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|\{[^{}\n]*\}", " ", line)
        line = re.sub(r"\S*[/\\]\S*|\S+\.yaml\b", " ", line)  # paths
        line = re.sub(r"\w+(?:-\w+)+|--[\w-]+", " ", line)  # ids such as per-mu-tax, check-2; options
        line = re.sub(r"^\S+:\d+:\d+ \S+: |^--[\w-]+: ", "", line)  # file:line:col key.path:  /  --set:
        out |= set(WORD.findall(line))
    return out


def _leaks(zh: str, en: str, source: str = "") -> set[str]:
    """English words of the English text that the Chinese text still shows (identifiers excepted)."""
    return (_words(zh) & _words(en)) - IDENTIFIERS - set(WORD.findall(source))


def _run(*args: str, lang: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, ["--lang", lang, *args], prog_name="landopt")
    return r.exit_code, r.output


# ------------------------------------------------------------------ templates
@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_chinese_templates_have_no_english_words(code):
    en, zh = CATALOGUE[code]

    def words(t: str) -> set[str]:
        return set(WORD.findall(re.sub(r"\{[^{}]*\}|'[^']*'|`[^`]*`", " ", t)))

    assert not (words(zh) & words(en)) - IDENTIFIERS, zh
    assert CJK.search(zh)


def _bilingual_texts() -> list[Bi]:
    """Every text of the input stage given in both languages: the schema's descriptions and what leaving a key
    unset means, every `Bi("...", "...")` written in the input stage's code (placeholders, the words of the
    YAML messages, value kinds), and the message pieces of the catalogue's module."""
    texts: list[Bi] = []
    for section in schema.sections().values():
        for key in section.keys.values():
            texts += [key.expected] + ([key.unset] if key.unset else [])
        if section.extra is not None:
            texts.append(section.extra.expected)
    texts += [t.expected for t in vars(schema).values() if isinstance(t, schema.Scalar)]
    files = [*(REPO / "landopt" / "input").glob("*.py"), REPO / "landopt" / "scenario.py"]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Bi" and len(node.args) == 2 \
                    and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args):
                texts.append(Bi(node.args[0].value, node.args[1].value))
    texts += [DID_YOU_MEAN, *WHAT.values(), *NO_SUGGESTION.values(), *NO_HINT.values()]
    return sorted({t for t in texts if t.en}, key=lambda t: t.en)


def test_the_input_stage_has_bilingual_texts_to_check():
    texts = _bilingual_texts()
    assert len(texts) > 100, len(texts)
    assert Bi("a mapping id -> area", "映射 id -> 片区") in texts  # from the schema
    assert Bi("(top level)", "(顶层)") in texts  # a placeholder written in landopt.input.compose


@pytest.mark.parametrize("text", _bilingual_texts(), ids=lambda t: t.en[:60])
def test_every_bilingual_text_is_chinese_in_chinese(text):
    """Schema descriptions ("expected ..."), placeholders, the words of the YAML messages: each is a `Bi` written
    where it is used; its Chinese must be Chinese (no English word but identifiers)."""
    if _words(text.en) <= IDENTIFIERS:
        return  # nothing to translate ('1', 'final')
    assert text.zh != text.en and CJK.search(text.zh), text
    assert not (_words(text.zh) & _words(text.en)) - IDENTIFIERS, text.zh


# ------------------------------------------------------------- bad-input files
@pytest.mark.parametrize("name", sorted(INDEX))
def test_bad_input_in_chinese(name):
    case = INDEX[name]
    args = ["validate", str(BAD / name), *case.get("args", [])]
    code_en, en = _run(*args, lang="en")
    code_zh, zh = _run(*args, lang="zh")
    assert code_en == code_zh == case["exit"]
    source = (BAD / name).read_text(encoding="utf-8", errors="replace") + " ".join(case.get("args", []))
    assert not _leaks(zh, en, source), zh
    for line in zh.splitlines():
        assert CJK.search(line), line


def test_dimension_names_are_chinese(tmp_path):
    f = tmp_path / "d.yaml"
    f.write_text(Path(EXAMPLE).read_text(encoding="utf-8").replace("tax: 45, energy: 18,", 'tax: 45, energy: "18 万元",'),
                 encoding="utf-8")
    _, en = _run("validate", str(f), lang="en")
    _, zh = _run("validate", str(f), lang="zh")
    assert "'18 万元' is money; expected energy per area" in en
    assert "'18 万元' 的量纲是 金额; 应为 能源/面积" in zh
    _, zh = _run("validate", str(BAD / "wrong_dimension.yaml"), lang="zh")
    assert "的量纲是 金额; 应为 面积 (如 '1200 亩'" in zh
    _, zh = _run("validate", str(BAD / "unknown_unit.yaml"), lang="zh")
    assert "面积: m2" in zh and "金额: 元" in zh and "area:" not in zh


BROKEN_YAML = {
    "did not find expected key": "a:\n  b: 1\n c: 2\n",
    "mapping values": "a: b: c\n",
    "flow mapping": "a: {b: 1, c\n",
    "flow sequence": "a: [1, 2\nb: 3\n",
    "block end": "a:\n  - 1\n  b: 2\n",
    "unclosed quote": "a: 'x\nb: 2\n",
    "undefined alias": "a: *nowhere\n",
    "escape": 'a: "\\q"\n',
    "bad anchor": "a: & x\n",
    "unclosed flow": "a: [1, 2\n",
    "value after a value": "a: b\n  c: d\n",
    "sequence in a mapping": "a: 1\n- b\n",
    "stray token": "a: @x\n",
    "control character": "a: \x07\n",
    "bad hex escape": 'a: "\\x4"\n',
    "stray bracket": "a: ]\n",
    "extra closing brace": "{a: 1}}\n",
    "verbatim tag": "a: !<x\n",
    "duplicate directive": "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
}


@pytest.mark.parametrize("name", sorted(BROKEN_YAML))
def test_yaml_syntax_errors_in_chinese(tmp_path, name):
    """The parser's problem reaches the user as one of landopt's own messages, in either language."""
    f = tmp_path / "y.yaml"
    f.write_text(BROKEN_YAML[name], encoding="utf-8")
    code, en = _run("validate", str(f), lang="en")
    _, zh = _run("validate", str(f), lang="zh")
    assert code == 2, en
    assert not _leaks(zh, en, BROKEN_YAML[name]), (en, zh)
    assert "YAML 语法错误" in zh or "别名" in zh or "Tab" in zh, zh


# -------------------------------------------------------------- command line
CLI_CASES = {
    "unknown solver": ("solve", EXAMPLE, "--solver", "gurobi"),
    "negative time limit": ("solve", EXAMPLE, "--time-limit", "-1"),
    "time limit not a number": ("compare", EXAMPLE, "--time-limit", "soon"),
    "binary format without --out": ("solve", EXAMPLE, "--format", "xlsx"),
    "--variants with one name": ("compare", EXAMPLE, "--variants", "strict_tilt"),
    "export without output": ("export", EXAMPLE),
    "unknown variant": ("validate", EXAMPLE, "--variant", "strict_tlt"),
    "misspelt --set path": ("validate", EXAMPLE, "--set", "resources.enrgy.budget=1"),
    "unknown builtin scenario": ("validate", "builtin:format_exmple"),
}


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_command_line_errors_in_chinese(name):
    args = CLI_CASES[name]
    code_en, en = _run(*args, lang="en")
    code_zh, zh = _run(*args, lang="zh")
    assert code_en == code_zh == 2, en
    source = " ".join(args + tuple(landopt.builtin_scenarios())) + Path(EXAMPLE).read_text(encoding="utf-8")
    assert not _leaks(zh, en, source), (en, zh)
    assert CJK.search(zh)


def test_check_diff_in_chinese(tmp_path):
    """`landopt check`'s diff (objective, status, diagnosis, checks) and its summary."""
    text = Path(EXAMPLE).read_text(encoding="utf-8")
    cases = {
        "objective.yaml": text.replace("objective: {value: 30600.0", "objective: {value: 31000.0"),
        "checks.yaml": text.replace("value: 257.142857, abs_tol", "value: 250, abs_tol"),
        "binding.yaml": text.replace("expect:\n  status: optimal", "expect:\n  binding: [per-mu-tax]\n  status: optimal"),
        "status.yaml": text.replace("status: optimal", "status: infeasible"),
    }
    infeasible = (SCENARIOS / "teaching" / "t10_infeasible.yaml").read_text(encoding="utf-8")
    cases["diagnosis.yaml"] = infeasible.replace("relaxed: 30,", "relaxed: 29,")
    (tmp_path / "_fragments").mkdir()
    (tmp_path / "_fragments" / "base.yaml").write_bytes(
        (SCENARIOS / "teaching" / "_fragments" / "base.yaml").read_bytes())
    for name, body in cases.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    code_en, en = _run("check", str(tmp_path), "--no-variants", lang="en")
    code_zh, zh = _run("check", str(tmp_path), "--no-variants", lang="zh")
    assert code_en == code_zh == 3
    for word in ("expected:", "got:", "objective", "check ", "binding", "status", "passed", "FAIL", "where",
                 "diagnosis rule", "relaxed to"):
        assert word in en
    assert not _leaks(zh, en, text + infeasible), zh
    for term in ("不符", "目标函数值", "应为:", "实际:", "核查 check-2: land 范围", "取紧 per-mu-tax", "未取紧",
                 "求解状态", "不可行", "最优", "诊断 规则 per-mu-tax", "放宽至 29", "失败 5 个"):
        assert term in zh, (term, zh)
