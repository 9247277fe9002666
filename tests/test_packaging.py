"""The wheel ships every module and the scenario library (as `landopt.scenarios` package data)."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

import landopt
from support import REPO, scenario_files


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                        str(out), str(REPO)], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:  # no setuptools in this environment: build in isolation (needs the index)
        p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                           capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    (whl,) = out.glob("landopt-*.whl")
    return set(zipfile.ZipFile(whl).namelist())


def test_wheel_has_every_module(wheel_names):
    for pkg in ("landopt", "solvers"):
        for f in (REPO / pkg).rglob("*.py"):
            rel = f.relative_to(REPO).as_posix()
            assert rel in wheel_names, rel


def test_wheel_ships_the_scenario_library(wheel_names):
    for f in (REPO / "scenarios").rglob("*"):
        if f.suffix in (".yaml", ".csv") or f.name == "README.md":
            rel = "landopt/scenarios/" + f.relative_to(REPO / "scenarios").as_posix()
            assert rel in wheel_names, rel


def test_builtin_names_match_the_library():
    names = set(landopt.builtin_scenarios())
    expected = {f.relative_to(REPO / "scenarios").with_suffix("").as_posix() for f in scenario_files()}
    assert names == expected


def test_builtin_prefix_solves(run_cli):
    r = run_cli("solve", "builtin:format_example", "--format", "json")
    assert r.code == 0 and '"objective": 30600.0' in r.out


@pytest.mark.parametrize("name", ["../README", "../../pyproject", "format_exampel"])
def test_builtin_names_stay_inside_the_library(run_cli, name):
    r = run_cli("validate", f"builtin:{name}")
    text = r.out + r.err
    assert r.code == 2 and "file not found" in text and "format_example" in text and "Traceback" not in text
