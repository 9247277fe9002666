"""The html report in headless Chromium: the DOM holds the tables, the console shows no error.

Run locally without Chromium, the test is skipped with a reason; in CI (`LANDOPT_CI` set,
as `.ci/run` does after installing Debian's `chromium` and `fonts-noto-cjk`) a missing
Chromium fails it. The screenshot is saved as an artefact under `artifacts/` (ignored by git)
and its path is printed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from support import REPO

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow

ARTIFACTS = REPO / "artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--virtual-time-budget=5000",
         "--enable-logging=stderr", "--v=0"]
CONSOLE_ERROR = re.compile(r"CONSOLE.*(Uncaught|error)", re.IGNORECASE)


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    if os.environ.get("LANDOPT_CI"):
        pytest.fail("Chromium is missing in CI (LANDOPT_CI is set): .ci/run installs it with apt")
    pytest.skip("Chromium is not installed here (apt-get install chromium fonts-noto-cjk); CI runs this test")


def _run(exe: str, profile, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.chromium
@pytest.mark.parametrize("case,args", [
    ("report", ["solve", "scenarios/format_example.yaml", "--lang", "zh"]),
    ("compare", ["compare", "scenarios/format_example.yaml", "--variants", "base,strict_tilt,tight_energy",
                 "--lang", "zh"]),
])
def test_html_report_renders_in_headless_chromium(run_cli, tmp_path, case, args):
    exe = _chromium()
    page = tmp_path / f"{case}.html"
    r = run_cli(*args, "--solver", "highs", "--format", "html", "--out", str(page))
    assert r.code == 0, r.err
    dom = _run(exe, tmp_path / "profile-dom", "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert html.count("<table") >= 4
    assert "浦江开发区核心区" in html and "郑家坞片区" in html
    assert "<svg" in html
    errors = [ln for ln in dom.stderr.splitlines() if CONSOLE_ERROR.search(ln)]
    assert not errors, errors
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{case}.png"
    if shot.exists():
        shot.unlink()
    pic = _run(exe, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1280,2400", page.as_uri())
    assert pic.returncode == 0, pic.stderr[-2000:]
    assert shot.stat().st_size > 10_000
    print(f"\nscreenshot of the {case} html: {shot}")
