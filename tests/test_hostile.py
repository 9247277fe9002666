"""Hostile and unlucky input (issue 8 §5): floods, links, long chains, foreign files. Each ends in a
located message and exit code 2, in bounded time and memory, never an internal error or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import landopt
from landopt.cli import cli
from landopt.input.compose import MAX_EXTENDS_DEPTH, TOP_LEVEL_KEYS
from landopt.errors import MAX_SHOWN, InputError
from landopt.input.reader import MAX_EXPANDED_NODES
from support import REPO, SCENARIOS

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow


def _cli(*args: str, cwd: Path | None = None) -> tuple[int, str]:
    if cwd is None:
        r = CliRunner().invoke(cli, list(args))
        return r.exit_code, r.output
    p = subprocess.run([sys.executable, "-m", "landopt", *args], cwd=cwd, capture_output=True, text=True,
                       timeout=300, env={**os.environ, "PYTHONPATH": str(REPO)})
    return p.returncode, p.stdout + p.stderr


def _codes(path: Path) -> list[str]:
    with pytest.raises(InputError) as e:
        landopt.load(path)
    return [i.code for i in e.value.issues]


HEAD = "version: 1\nresources:\n  land: {budget: 100}\nsectors:\n  pv: {}\nareas:\n  core:\n    role: main\n"


def test_a_flood_of_misspelt_keys_is_one_screen_and_a_count(tmp_path):
    """100,000 misspelt keys (2.4 MB): the first 100 problems are listed, the rest counted (before: no answer
    in 300 s, every error compared with every other)."""
    f = tmp_path / "flood.yaml"
    f.write_text(HEAD + "".join(f"    capcity{i}: {i}\n" for i in range(100_000)) +
                 "objective: {maximize: land}\n", encoding="utf-8")
    code, out = _cli("validate", str(f), cwd=tmp_path)  # a fresh process: timeout=300 guards a hang
    lines = out.strip().splitlines()
    assert code == 2 and len(lines) == MAX_SHOWN + 1, lines[-3:]
    assert "did you mean 'capacity'?" in lines[0]
    assert lines[-1] == "... and 99,900 more problems not listed (100,000 errors in all)"


def test_a_huge_flat_list_is_refused_while_reading_as_too_many_values(tmp_path):
    """A 20 MiB list of numbers is refused once the count passes the limit, and not called an alias bomb."""
    f = tmp_path / "flat.yaml"
    with f.open("w") as fh:
        fh.write("version: 1\nx:\n")
        fh.write("- 1\n" * (MAX_EXPANDED_NODES + 10))
    assert _codes(f) == ["yaml_too_many_nodes"]
    code, out = _cli("--lang", "zh", "validate", str(f))
    assert code == 2 and "2,000,000" in out and "别名" not in out


def test_a_loop_of_links_as_the_file(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    assert _codes(tmp_path / "a.yaml") == ["file_link_loop"]
    code, out = _cli("validate", str(tmp_path / "a.yaml"))
    assert code == 2 and "loop of symbolic links" in out


def test_a_loop_of_links_named_by_extends(tmp_path):
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    s = tmp_path / "s.yaml"
    s.write_text("extends: a.yaml\nversion: 1\n", encoding="utf-8")
    assert _codes(s) == ["extends_link_loop"]
    code, out = _cli("validate", str(s))
    assert code == 2 and "s.yaml:1:10 extends:" in out


def test_an_extends_chain_of_1200_files_stops_at_the_limit(tmp_path):
    for i in range(1200):
        (tmp_path / f"f{i}.yaml").write_text(f"extends: f{i + 1}.yaml\n" if i < 1199 else HEAD, encoding="utf-8")
    assert _codes(tmp_path / "f0.yaml") == ["extends_too_deep"]
    code, out = _cli("validate", str(tmp_path / "f0.yaml"))
    assert code == 2 and f"longer than {MAX_EXTENDS_DEPTH} files" in out and "internal error" not in out


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="no /proc here")
def test_a_process_memory_file(tmp_path):
    assert _codes(Path("/proc/self/mem")) == ["file_unreadable"]
    s = tmp_path / "s.yaml"
    s.write_text("extends: /proc/self/mem\nversion: 1\n", encoding="utf-8")
    assert _codes(s) == ["extends_outside"]


def test_extends_outside_the_scenario_folder_and_the_current_folder_is_refused(tmp_path):
    base = tmp_path / "elsewhere" / "base.yaml"
    base.parent.mkdir()
    base.write_text((SCENARIOS / "format_example.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    s = tmp_path / "project" / "s.yaml"
    s.parent.mkdir()
    s.write_text("extends: ../elsewhere/base.yaml\n", encoding="utf-8")
    code, out = _cli("validate", "s.yaml", cwd=s.parent)
    assert code == 2 and "leads outside" in out and "s.yaml:1:10" in out
    code, out = _cli("validate", "project/s.yaml", cwd=tmp_path)  # from a folder that holds both: fine
    assert code == 0, out


def test_a_foreign_yaml_file_is_named_and_never_echoed(tmp_path):
    secret = tmp_path / "credentials.yml"
    secret.write_text("aws_access_key_id: AKIAIOSFODNN7EXAMPLE\naws_secret: wJalrXUtnFEMI/K7MDENG\n",
                      encoding="utf-8")
    s = tmp_path / "s.yaml"
    s.write_text("extends: credentials.yml\nversion: 1\n", encoding="utf-8")
    code, out = _cli("validate", str(s))
    assert code == 2 and "is not a scenario file" in out
    assert "AKIA" not in out and "aws" not in out and "wJalr" not in out


def test_top_level_keys_are_the_schema_keys():
    from landopt.input.schema import SCENARIO_FILE

    assert TOP_LEVEL_KEYS == set(SCENARIO_FILE.keys) | {"extends"}
