"""The wheel ships every module and the scenario library (as `landopt.scenarios` package data), and
the installed wheel works away from the checkout (`builtin:` names, the CLI, the API)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

import landopt
from support import REPO, scenario_files

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                        str(out), str(REPO)], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:  # no setuptools in this environment: build in isolation (needs the index)
        p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(REPO)],
                           capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    (whl,) = out.glob("landopt-*.whl")
    return whl


@pytest.fixture(scope="module")
def wheel_names(wheel):
    return set(zipfile.ZipFile(wheel).namelist())


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """The wheel installed into a folder of its own (dependencies from this environment), and a runner
    that starts Python in an empty folder with only that install ahead of site-packages: the checkout is
    not on the path, so what runs is what `pip install .` gives a user."""
    target = tmp_path_factory.mktemp("site")
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target",
                        str(target), str(wheel)], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    away = tmp_path_factory.mktemp("elsewhere")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "LANDOPT_LANG")}
    env["PYTHONPATH"] = str(target)

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, *args], cwd=away, env=env, capture_output=True, text=True,
                              timeout=300)

    where = run("-c", "import landopt, solvers; print(landopt.__file__); print(solvers.__file__)")
    assert where.returncode == 0, where.stderr
    for line in where.stdout.split():
        assert line.startswith(str(target)), (line, "the checkout, not the installed wheel, was imported")
    return run


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


def test_installed_wheel_runs_builtin_scenarios(installed):
    cli = ("-c", "from landopt.cli import main; main()")
    r = installed(*cli, "validate", "builtin:format_example")
    assert r.returncode == 0 and "valid" in r.stdout, r.stdout + r.stderr
    r = installed(*cli, "solve", "builtin:teaching/t06_multiyear", "--format", "json")
    assert r.returncode == 0 and '"status": "optimal"' in r.stdout, r.stderr
    r = installed(*cli, "check", "builtin:format_example")
    assert r.returncode == 0, r.stdout + r.stderr
    r = installed("-c", "import landopt; print(len(landopt.builtin_scenarios()))")
    assert r.returncode == 0 and int(r.stdout) == len(scenario_files()), r.stderr


def test_installed_wheel_names_a_missing_builtin(installed):
    r = installed("-c", "from landopt.cli import main; main()", "validate", "builtin:format_exampel")
    assert r.returncode == 2 and "format_example" in r.stderr and "Traceback" not in r.stderr
