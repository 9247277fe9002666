"""The `landopt compare` run shown in README.md is real: its output is what the command prints.

`LANDOPT_UPDATE_GOLDEN=1` rewrites the README's block with the current output, like the goldens.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from support import REPO


def test_readme_compare_example_is_current(run_cli):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- compare-example:begin -->\n```\n(.*?)```\n<!-- compare-example:end -->", text, re.S)
    assert block, "README.md lost its compare example"
    first, _, shown = block.group(1).partition("\n")
    assert first.startswith("$ landopt compare ")
    args = shlex.split(first[len("$ landopt "):])
    r = run_cli(*args)
    assert r.code == 0, r.err
    if os.environ.get("LANDOPT_UPDATE_GOLDEN"):
        start, end = block.span(1)
        (REPO / "README.md").write_text(text[:start] + first + "\n" + r.out + text[end:], encoding="utf-8")
        shown = r.out
    assert r.out == shown, "README's compare output is stale: paste the command's current output"


def test_readme_keeps_the_quick_start_block():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert ("## Quick start\n\n```\npip install . && landopt solve scenarios/format_example.yaml\n"
            "pip install \".[test]\" && python -m pytest -q\n```\n") in text


def _first_table_block(out: str, head: str) -> str:
    """From `head` to the end of the first table after it, with the notes under that table."""
    start = out.index(head)
    end = out.find("\n\n", out.index("\n+", start))
    return out[start:end + 1]


def test_readme_diagnosis_example_is_current(run_cli):
    """The Pujiang diagnosis shown in README.md is the diagnosis section the command prints."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- diagnosis-example:begin -->\n```\n(.*?)```\n<!-- diagnosis-example:end -->", text, re.S)
    assert block, "README.md lost its diagnosis example"
    first, _, rest = block.group(1).partition("\n")
    assert first.startswith("$ landopt solve ") and rest.startswith("...\n")
    shown = rest[len("...\n"):]
    r = run_cli(*shlex.split(first[len("$ landopt "):]))
    assert r.code == 1, r.err
    current = _first_table_block(r.out, "Diagnosis:")
    if os.environ.get("LANDOPT_UPDATE_GOLDEN"):
        a, b = block.span(1)
        (REPO / "README.md").write_text(text[:a] + first + "\n...\n" + current + text[b:], encoding="utf-8")
        shown = current
    assert current == shown, "README's diagnosis example is stale: paste the command's current output"


def test_readme_renewal_example_is_current(run_cli):
    """The Pujiang renewal answer shown in README.md (the diagnosis, then the renewal table) is what the command
    prints."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- renewal-example:begin -->\n```\n(.*?)```\n<!-- renewal-example:end -->", text, re.S)
    assert block, "README.md lost its renewal example"
    first, _, rest = block.group(1).partition("\n")
    assert first.startswith("$ landopt solve ") and rest.startswith("...\n")
    shown = rest[len("...\n"):]
    r = run_cli(*shlex.split(first[len("$ landopt "):]))
    assert r.code == 1, r.err
    parts = [_first_table_block(r.out, head) for head in ("Diagnosis:", "Stock renewal: from one sector to another")]
    current = "...\n".join(parts)
    if os.environ.get("LANDOPT_UPDATE_GOLDEN"):
        a, b = block.span(1)
        (REPO / "README.md").write_text(text[:a] + first + "\n...\n" + current + text[b:], encoding="utf-8")
        shown = current
    assert current == shown, "README's renewal example is stale: paste the command's current output"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_readme_charts_are_drawn_by_the_commands_shown(run_cli, tmp_path):
    """Each chart README.md shows (`<!-- chart: FILE -->` then the command in a code block) is what that command
    draws: the command runs, and its chart has the picture's size, to a pixel or two (the bytes and the rounding of
    the canvas depend on matplotlib's version).
    `LANDOPT_UPDATE_GOLDEN=1` copies the charts drawn into docs/img."""
    pytest.importorskip("matplotlib")
    pytest.importorskip("pyarrow")
    text = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"<!-- chart: (\S+) -->\n```\n\$ landopt (.*?)\n```", text)
    assert {f for f, _ in shown} == {"docs/img/sweep_objective.png", "docs/img/front.png"}
    for picture, command in shown:
        args = shlex.split(command)
        out = args.index("--out")
        args[out + 1] = str(tmp_path / args[out + 1])
        r = run_cli(*args, "--lang", "en")
        assert r.code == 0, r.err
        drawn = tmp_path / Path(args[out + 1]).name / ("objective.png" if args[0] == "sweep" else "front.png")
        if os.environ.get("LANDOPT_UPDATE_GOLDEN"):
            (REPO / picture).parent.mkdir(parents=True, exist_ok=True)
            (REPO / picture).write_bytes(drawn.read_bytes())
        assert f"]({picture})" in text
        got, kept = _png_size(drawn.read_bytes()), _png_size((REPO / picture).read_bytes())
        # matplotlib 3.9 rounds a 4.6-inch canvas at 100 dpi to 459 pixels, later versions to 460
        assert all(abs(a - b) <= 2 for a, b in zip(got, kept, strict=True)), (picture, got, kept)
