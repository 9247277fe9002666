"""Issue 8: a killed or terminated `landopt solve` leaves no solver child and no temporary file;
`--out` never destroys an input or a device node; `--out`'s extension chooses the format; names
from the scenario cannot inject formulas, HTML or terminal escapes into a report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from support import REPO, synthetic_scenario

pytestmark = pytest.mark.slow  # subprocesses, every backend or many scenarios: run with -m slow

EXAMPLE = REPO / "scenarios" / "format_example.yaml"
LINUX = sys.platform.startswith("linux")


# ------------------------------------------------------------------ signals
def _state(pid: int) -> str | None:
    """The /proc state letter of `pid` ('R', 'S', 'Z', ...), None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return None


def _alive(pid: int) -> bool:
    return _state(pid) not in (None, "Z", "X")


def _children(pid: int) -> list[int]:
    """Processes whose parent is `pid`."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry))
    return found


def _wait_for(pred, seconds: float, step: float = 0.05):
    """Poll `pred()` until it is truthy or `seconds` have passed; return its last value (no timing asserted)."""
    deadline = time.monotonic() + seconds
    value = pred()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = pred()
    return value


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    f = tmp_path_factory.mktemp("big") / "big.yaml"
    f.write_text(yaml.safe_dump(synthetic_scenario(150, 50, 8), allow_unicode=True), encoding="utf-8")
    return f


def _start_timed_solve(big_file: Path, out_dir: Path) -> tuple[subprocess.Popen, int]:
    """`landopt solve big.yaml --time-limit 60 --out ...` in its own session; returns it and its solver child."""
    out_dir.mkdir()
    with open(out_dir.parent / "stderr", "w") as err:  # a file, not a pipe: an orphan would hold a pipe open
        proc = subprocess.Popen([sys.executable, "-m", "landopt", "solve", str(big_file), "--solver", "glop",
                                 "--format", "json", "--out", str(out_dir / "report.json"), "--time-limit", "60"],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    kids = _wait_for(lambda: proc.poll() is not None or _children(proc.pid), 240)
    if proc.poll() is not None:
        pytest.fail(f"landopt ended before its solver child started (exit {proc.returncode}): "
                    f"{(out_dir.parent / 'stderr').read_text()}")
    assert kids, "the solver child never started"
    return proc, kids[0]


def _reap(proc: subprocess.Popen, child: int) -> None:
    """Leave nothing running, whatever the test found (the old code left the child behind)."""
    for pid in (child, proc.pid):
        for kill in (os.killpg, os.kill):
            try:
                kill(pid, signal.SIGKILL)
            except OSError:
                pass
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass


@pytest.mark.slow
@pytest.mark.skipif(not LINUX, reason="PR_SET_PDEATHSIG and /proc are Linux-only")
@pytest.mark.parametrize("how", ["sigkill-pid", "sigterm-pid", "sigterm-group"])
def test_a_killed_or_terminated_timed_solve_leaves_no_child_and_no_tmp(big_file, tmp_path, how):
    out_dir = tmp_path / "out"
    proc, child = _start_timed_solve(big_file, out_dir)
    try:
        assert _alive(child)
        sig = signal.SIGKILL if how == "sigkill-pid" else signal.SIGTERM
        if how == "sigterm-group":
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
        proc.wait(timeout=120)
        err = (tmp_path / "stderr").read_text()
        gone = _wait_for(lambda: not _alive(child), 30)
        assert gone, f"the solver child {child} outlived its parent ({how})"
        assert list(out_dir.iterdir()) == []
        if sig == signal.SIGTERM:
            assert proc.returncode == 143, err
            assert "interrupted: nothing was written" in err and "Traceback" not in err
        else:
            assert proc.returncode == -signal.SIGKILL
    finally:
        _reap(proc, child)


@pytest.mark.skipif(not LINUX, reason="PR_SET_PDEATHSIG is Linux-only")
def test_the_watchdog_child_dies_with_its_parent_and_holds_no_read_end(tmp_path):
    """In-library: the child of `solvers.watchdog.call` holds only the write end of its answer pipe (else,
    its parent gone, it would block forever writing a large answer), and dies when its parent is SIGKILLed."""
    script = (
        "import os, sys, time\nfrom solvers import watchdog\n"
        "def work():\n"
        "    pipes = []\n"
        "    for fd in os.listdir('/proc/self/fd'):\n"
        "        try:\n"
        "            link = os.readlink(f'/proc/self/fd/{fd}')\n"
        "        except OSError:\n"
        "            continue\n"
        "        if int(fd) > 2 and link.startswith('pipe:'):\n"
        "            pipes.append(link)\n"
        "    with open(sys.argv[1] + '.tmp', 'w') as f:\n"
        "        f.write(repr(pipes))\n"
        "    os.rename(sys.argv[1] + '.tmp', sys.argv[1])\n"
        "    time.sleep(600)\n"
        "watchdog.call(work, 600)\n"
    )
    report = tmp_path / "pipes"
    proc = subprocess.Popen([sys.executable, "-c", script, str(report)], cwd=REPO, start_new_session=True)
    child = None
    try:
        assert _wait_for(lambda: report.exists() or proc.poll() is not None, 120) and report.exists(), \
            "the watchdog child never started"
        child = _children(proc.pid)[0]
        pipes = eval(report.read_text())  # noqa: S307 - a list of strings written above
        assert len(pipes) == len(set(pipes)), f"the child holds both ends of a pipe: {pipes}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        assert _wait_for(lambda: not _alive(child), 30), "the watchdog child outlived its parent"
    finally:
        _reap(proc, child or proc.pid)


def _run_patched(tmp_path: Path, patch: str, *args: str) -> subprocess.CompletedProcess:
    """`landopt ARGS` in a fresh interpreter after running `patch` (which may replace an os function)."""
    script = (f"import os, signal, sys\n{patch}\nfrom landopt.cli import main\n"
              "sys.argv = ['landopt', *sys.argv[1:]]\nmain()\n")
    return subprocess.run([sys.executable, "-c", script, *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300)


def test_sigterm_during_the_write_removes_the_temporary_file(tmp_path):
    """SIGTERM lands while the report is being written (after the data, before the rename)."""
    out_dir = tmp_path / "out"
    patch = ("real = os.fsync\ndef fsync(fd):\n    real(fd)\n    os.kill(os.getpid(), signal.SIGTERM)\n"
             "os.fsync = fsync\n")
    p = _run_patched(tmp_path, patch, "solve", str(EXAMPLE), "--format", "json", "--out", str(out_dir / "r.json"))
    assert p.returncode == 143, p.stderr
    assert "interrupted: nothing was written" in p.stderr and "Traceback" not in p.stderr
    assert list(out_dir.iterdir()) == []


def test_sigterm_once_the_report_is_being_put_in_place_lets_the_run_finish(tmp_path):
    """SIGTERM at the rename: the report is complete, so the run ends normally (no 'nothing was written')."""
    out = tmp_path / "r.json"
    patch = ("real = os.replace\ndef replace(a, b):\n    os.kill(os.getpid(), signal.SIGTERM)\n    real(a, b)\n"
             "os.replace = replace\n")
    p = _run_patched(tmp_path, patch, "solve", str(EXAMPLE), "--format", "json", "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert "interrupted" not in p.stderr
    assert [f.name for f in tmp_path.iterdir()] == ["r.json"]
    assert '"objective": 30600.0' in out.read_text(encoding="utf-8")


def test_sighup_is_handled_like_sigterm(tmp_path):
    """The terminal closing (SIGHUP) stops the run like SIGTERM: nothing left behind, exit 129. (SIGHUP starts at
    its default, as in a terminal, whoever runs the suite: under nohup it is ignored, and so is it by landopt.)"""
    out_dir = tmp_path / "out"
    patch = ("signal.signal(signal.SIGHUP, signal.SIG_DFL)\n"
             "real = os.fsync\ndef fsync(fd):\n    real(fd)\n    os.kill(os.getpid(), signal.SIGHUP)\n"
             "os.fsync = fsync\n")
    p = _run_patched(tmp_path, patch, "solve", str(EXAMPLE), "--format", "json", "--out", str(out_dir / "r.json"))
    assert p.returncode == 129, p.stderr
    assert "interrupted: nothing was written" in p.stderr and list(out_dir.iterdir()) == []


# ------------------------------------------------------------------ the console entry's exit (landopt.cli.main)
_EXIT_PROBE = """
import atexit, gc, threading, time
real_exit = os._exit
def _exit(code):
    sys.stderr.write(f"os._exit {code}\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = _exit
atexit.register(lambda: sys.stderr.write(f"atexit ran, gc {'on' if gc.isenabled() else 'off'}\\n"))
"""


@pytest.mark.parametrize(("args", "code"), [
    (("solve", str(EXAMPLE), "--format", "json"), 0),
    (("solve", str(REPO / "scenarios" / "teaching" / "t10_infeasible.yaml")), 1),
    (("solve", "no_such_file.yaml"), 2),
    (("--version",), 0),
], ids=["optimal", "infeasible", "bad-input", "version"])
def test_a_short_command_ends_with_os_exit_after_atexit_and_with_its_exit_code(tmp_path, args, code):
    """A short command runs with garbage collection off and ends with os._exit (no interpreter teardown) once the
    atexit handlers have run and the output is flushed; its exit code is the command's."""
    p = _run_patched(tmp_path, _EXIT_PROBE, *args)
    assert p.returncode == code, p.stderr
    assert p.stderr.endswith(f"atexit ran, gc off\nos._exit {code}\n"), p.stderr
    if args[-1] == "json":
        assert json.loads(p.stdout)["objective"] == 30600.0  # the whole report, flushed before the exit


def test_the_report_file_is_complete_when_the_process_has_exited(tmp_path):
    out = tmp_path / "r.json"
    p = _run_patched(tmp_path, _EXIT_PROBE, "solve", str(EXAMPLE), "--out", str(out))
    assert p.returncode == 0 and "os._exit 0" in p.stderr, p.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["objective"] == 30600.0
    assert [f.name for f in tmp_path.iterdir()] == ["r.json"]


def test_a_long_command_keeps_garbage_collection_and_the_usual_exit(tmp_path):
    """sweep (like pareto and alternatives) collects garbage and exits the usual way, even on bad input."""
    p = _run_patched(tmp_path, _EXIT_PROBE, "sweep", str(EXAMPLE), "--vary", "x", "--out", str(tmp_path / "s"))
    assert p.returncode == 2, p.stderr
    assert "atexit ran, gc on" in p.stderr and "os._exit" not in p.stderr


def test_a_running_thread_keeps_the_usual_exit(tmp_path):
    """A non-daemon thread still running when the command ends: the interpreter waits for it, as it always has."""
    patch = _EXIT_PROBE + (
        "def wait():\n"
        "    while threading.main_thread().is_alive():\n"
        "        time.sleep(0.01)\n"
        "    sys.stderr.write('thread done\\n')\n"
        "threading.Thread(target=wait).start()\n")
    p = _run_patched(tmp_path, patch, "solve", str(EXAMPLE), "--format", "json")
    assert p.returncode == 0, p.stderr
    assert p.stderr.endswith("thread done\natexit ran, gc off\n"), p.stderr


def test_export_refuses_one_file_for_both_formats(tmp_path):
    code, out, err = _invoke("export", str(EXAMPLE), "--lp", str(tmp_path / "m.txt"), "--mps", str(tmp_path / "m.txt"))
    assert code == 2 and "--lp" in err and "--mps" in err and list(tmp_path.iterdir()) == []


def test_sigterm_in_chinese(tmp_path):
    patch = ("real = os.fsync\ndef fsync(fd):\n    real(fd)\n    os.kill(os.getpid(), signal.SIGTERM)\n"
             "os.fsync = fsync\n")
    p = _run_patched(tmp_path, patch, "--lang", "zh", "solve", str(EXAMPLE), "--out", str(tmp_path / "r.txt"))
    assert p.returncode == 143 and "中断: 未写出任何文件" in p.stderr, p.stderr
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------- --out safety
def _invoke(*args: str):
    """`landopt ARGS` in this process (click's runner): exit code, stdout, stderr."""
    from click.testing import CliRunner

    from landopt.cli import cli

    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def plans(tmp_path, monkeypatch):
    """plan.yaml (a copy of the contract example), child.yaml extending it, and link.yaml -> plan.yaml."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.yaml").write_bytes(EXAMPLE.read_bytes())
    (tmp_path / "child.yaml").write_text("extends: plan.yaml\nscenario:\n  name: child\n", encoding="utf-8")
    (tmp_path / "link.yaml").symlink_to("plan.yaml")
    return tmp_path


@pytest.mark.parametrize("args, option, named", [
    (["solve", "plan.yaml", "--out", "plan.yaml"], "--out", "plan.yaml"),
    (["solve", "plan.yaml", "--format", "json", "--out", "./sub/../plan.yaml"], "--out", "plan.yaml"),
    (["solve", "plan.yaml", "--out", "link.yaml"], "--out", "plan.yaml"),
    (["solve", "link.yaml", "--out", "plan.yaml"], "--out", "plan.yaml"),
    (["solve", "child.yaml", "--out", "plan.yaml"], "--out", "plan.yaml"),
    (["solve", "child.yaml", "--out", "child.yaml"], "--out", "child.yaml"),
    (["compare", "plan.yaml", "child.yaml", "--out", "child.yaml"], "--out", "child.yaml"),
    (["compare", "plan.yaml", "--variants", "base,strict_tilt", "--out", "plan.yaml"], "--out", "plan.yaml"),
    (["export", "plan.yaml", "--lp", "plan.yaml"], "--lp", "plan.yaml"),
    (["export", "child.yaml", "--mps", "plan.yaml"], "--mps", "plan.yaml"),
    (["export", "plan.yaml", "--lp", "x.lp", "--mps", "link.yaml"], "--mps", "plan.yaml"),
], ids=["solve-self", "solve-self-dotted", "solve-symlink-out", "solve-symlink-in", "solve-extended",
        "solve-child", "compare-second", "compare-variants", "export-lp", "export-mps-extended", "export-mps-link"])
def test_an_output_onto_an_input_is_refused(plans, args, option, named):
    before = {p.name: p.read_bytes() for p in plans.iterdir() if p.suffix == ".yaml" and not p.is_symlink()}
    code, out, err = _invoke(*args)
    assert code == 2, err
    assert f"{option} " in err and named in err and "input of this run" in err and "another file" in err, err
    assert {p.name: p.read_bytes() for p in plans.iterdir() if p.suffix == ".yaml" and not p.is_symlink()} == before
    assert (plans / "link.yaml").is_symlink()
    assert sorted(p.name for p in plans.iterdir()) == ["child.yaml", "link.yaml", "plan.yaml"]
    code, _, err = _invoke("--lang", "zh", *args)
    assert code == 2 and "本次运行的输入文件" in err and option in err, err


def test_a_hard_link_to_the_scenario_is_refused(plans):
    os.link(plans / "plan.yaml", plans / "hard.yaml")
    code, _, err = _invoke("solve", "plan.yaml", "--out", "hard.yaml")
    assert code == 2 and "input of this run" in err, err
    assert (plans / "hard.yaml").read_bytes() == EXAMPLE.read_bytes()


def test_out_into_a_fifo_writes_into_it_and_keeps_the_fifo(tmp_path):
    import stat
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as f:  # blocks until landopt opens the FIFO for writing
            got.append(f.read())

    t = threading.Thread(target=reader, daemon=True)
    t.start()
    p = subprocess.run([sys.executable, "-m", "landopt", "solve", str(EXAMPLE), "--format", "json", "--out",
                        str(fifo)], cwd=REPO, capture_output=True, text=True, timeout=300)
    if t.is_alive():  # the old code renamed a regular file over the FIFO: nobody ever opened it for writing
        with open(os.open(str(fifo), os.O_WRONLY | os.O_NONBLOCK), "wb"):
            pass
    t.join(timeout=60)
    assert p.returncode == 0, p.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert got and b'"objective": 30600.0' in got[0]
    assert sorted(x.name for x in tmp_path.iterdir()) == ["pipe"]


def test_out_onto_a_character_device_writes_into_it(tmp_path):
    """A copy of /dev/null (made with mknod: the real one is shared by every process here) stays a device."""
    import stat

    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot make a device node here: {e}")
    code, _, err = _invoke("solve", str(EXAMPLE), "--format", "csv", "--out", str(null))
    assert code == 0, err
    assert stat.S_ISCHR(os.lstat(null).st_mode), "the device node was replaced by a regular file"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["null"]


def test_out_through_a_link_to_stdout_writes_to_stdout(tmp_path):
    """--out naming the process's stdout (here a link to /proc/self/fd/1, as /dev/stdout is) writes the
    report there; the link is neither replaced nor followed to a new file."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    p = subprocess.run([sys.executable, "-m", "landopt", "solve", str(EXAMPLE), "--format", "json", "--out",
                        str(link)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert '"objective": 30600.0' in p.stdout
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["stdout"]


def test_stdout_redirected_to_a_file_is_appended_to(tmp_path):
    """`landopt solve ... --out /dev/stdout >> log`: the report goes after what the log held, and the log
    is not replaced. (The link here stands for /dev/stdout: the real one is shared by every process.)"""
    log = tmp_path / "log"
    log.write_text("before\n", encoding="utf-8")
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    inode = log.stat().st_ino
    with open(log, "a") as f:
        p = subprocess.run([sys.executable, "-m", "landopt", "solve", str(EXAMPLE), "--format", "json", "--out",
                            str(link)], cwd=REPO, stdout=f, stderr=subprocess.PIPE, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("before\n{") and '"objective": 30600.0' in text
    assert log.stat().st_ino == inode and link.is_symlink()


def test_out_through_a_symlink_writes_the_file_it_names(tmp_path):
    (tmp_path / "reports").mkdir()
    link = tmp_path / "latest.json"
    link.symlink_to("reports/r.json")
    code, _, err = _invoke("solve", str(EXAMPLE), "--out", str(link))
    assert code == 0, err
    assert link.is_symlink() and '"objective": 30600.0' in (tmp_path / "reports" / "r.json").read_text("utf-8")


# ------------------------------------------------------- format from --out
def _kind(data: bytes) -> str:
    """Which format `data` is, by its content."""
    import json

    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xef\xbb\xbf"):
        return "csv"
    if data.startswith(b"<!DOCTYPE html>"):
        return "html"
    if data.startswith(b"# "):
        return "markdown"
    try:
        json.loads(data)
        return "json"
    except ValueError:
        pass
    return "table" if b"\n=====" in data else "?"


@pytest.mark.parametrize("name, fmt", [
    ("r.txt", "table"), ("r.md", "markdown"), ("r.markdown", "markdown"), ("r.csv", "csv"), ("r.json", "json"),
    ("r.xlsx", "xlsx"), ("R.XLSX", "xlsx"), ("r.html", "html"), ("r.htm", "html"), ("r.log", "table"),
    ("report", "table"),
])
@pytest.mark.parametrize("command", ["solve", "compare"])
def test_the_out_extension_chooses_the_format(tmp_path, command, name, fmt):
    out = tmp_path / name
    args = [str(EXAMPLE)] + (["--variants", "base,strict_tilt"] if command == "compare" else [])
    code, _, err = _invoke(command, *args, "--out", str(out))
    assert code == 0, err
    assert _kind(out.read_bytes()) == fmt


@pytest.mark.parametrize("name, fmt", [("r.xlsx", "csv"), ("r.csv", "xlsx"), ("r.html", "markdown"),
                                       ("r.json", "table"), ("r.txt", "xlsx"), ("r.md", "html")])
@pytest.mark.parametrize("command", ["solve", "compare"])
def test_an_extension_that_contradicts_format_is_refused(tmp_path, command, name, fmt):
    out = tmp_path / name
    args = [str(EXAMPLE)] + (["--variants", "base,strict_tilt"] if command == "compare" else [])
    code, _, err = _invoke(command, *args, "--format", fmt, "--out", str(out))
    assert code == 2, err
    assert f"--format {fmt}" in err and Path(name).suffix in err and "--out" in err, err
    assert not out.exists() and list(tmp_path.iterdir()) == []
    code, _, err = _invoke("--lang", "zh", command, *args, "--format", fmt, "--out", str(out))
    assert code == 2 and "扩展名" in err, err


@pytest.mark.parametrize("name, fmt", [("r.txt", "csv"), ("r.txt", "json"), ("r.log", "markdown"),
                                       ("r.XLSX", "xlsx"), ("r.htm", "html")])
def test_an_extension_that_agrees_with_format_is_kept(tmp_path, name, fmt):
    out = tmp_path / name
    code, _, err = _invoke("solve", str(EXAMPLE), "--format", fmt, "--out", str(out))
    assert code == 0, err
    assert _kind(out.read_bytes()) == fmt


# ------------------------------------------------------- injections in names
FORMULA = '=HYPERLINK("http://x","y")'
HTML = "<img src=x onerror=alert(1)>"
OSC = "\x1b]0;pwned\x07"
SNEAKY = "@SUM(1)\u202egpj.exe\x9b[2J"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")
"""Characters that must never reach a report as they are."""


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    """The contract example with hostile names (English names: the reports below are in English)."""
    d = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    d["areas"]["core"]["name_en"] = FORMULA
    d["areas"]["zhengjiawu"]["name_en"] = SNEAKY
    d["sectors"]["pv"]["name_en"] = HTML
    d["rules"][0]["name_en"] = OSC
    d["rules"][1]["name_en"] = "-2+3 " + HTML
    f = tmp_path_factory.mktemp("evil") / "evil.yaml"
    f.write_text(yaml.safe_dump(d, allow_unicode=True), encoding="utf-8")
    return f


@pytest.fixture(scope="module")
def evil_reports(evil, tmp_path_factory):
    """Every renderer's output for the solve and the comparison of the hostile scenario.

    The input refuses control and bidi characters (tests/test_slips.py); here that check is switched
    off, so that the names reach the reports: the renderers must neutralise them on their own (defence
    in depth, and names may come from the Python API)."""
    import landopt.input.slips

    out = tmp_path_factory.mktemp("evil-out")
    got = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(landopt.input.slips, "_control", lambda *args: None)
        for fmt in ("table", "markdown", "csv", "html", "xlsx"):
            for command, extra in (("solve", ["--detail"]), ("compare", ["--variants", "base,strict_tilt"])):
                path = out / f"{command}.{fmt}"
                code, _, err = _invoke(command, str(evil), *extra, "--format", fmt, "--out", str(path))
                assert code == 0, err
                got[(command, fmt)] = path.read_bytes()
    return got


def _text(data: bytes) -> str:
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "html"])
@pytest.mark.parametrize("command", ["solve", "compare"])
def test_no_control_or_bidi_character_reaches_a_text_report(evil_reports, command, fmt):
    text = _text(evil_reports[(command, fmt)])
    assert not [c for c in RAW if c in text]
    if fmt == "markdown":  # Markdown's own escapes on top: a backslash doubled, '[' and ']' escaped
        assert "\\\\x1b\\]0;pwned\\\\x07" in text and "\\\\u202egpj.exe\\\\x9b\\[2J" in text
    else:
        assert "\\x1b]0;pwned\\x07" in text and "\\u202egpj.exe\\x9b[2J" in text


@pytest.mark.parametrize("command", ["solve", "compare"])
def test_csv_text_cells_never_start_a_formula_and_numbers_stay_numbers(evil_reports, command):
    import csv
    import io
    import re

    rows = list(csv.reader(io.StringIO(_text(evil_reports[(command, "csv")]))))
    cells = [c for r in rows for c in r]
    number = re.compile(r"-?\d+(\.\d+)?%?")
    starts = [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r") and not number.fullmatch(c)]
    assert starts == []
    assert "'" + FORMULA in cells
    assert "'" + SNEAKY.replace("\u202e", "\\u202e").replace("\x9b", "\\x9b") in cells


def test_csv_keeps_negative_numbers_and_neutralises_text_that_looks_like_a_formula():
    import csv
    import io

    from landopt.report.csvfmt import render_csv
    from landopt.report.model import Column, Num, Report, Section, Table

    t = Table("t", "=1+1", [Column("name", "-name"), Column("v", "change", Num(0))],
              [[FORMULA, -573.0], ["-573", 12.0], ["+1", None], ["@x", 1.0], ["\tTAB", 2.0], ["ok", -0.4]])
    rep = Report("+title", "en", ["@header"], [Section("s", "-section", ["=para"], [t])])
    rows = [r for r in csv.reader(io.StringIO(render_csv(rep).decode("utf-8-sig"))) if r]
    assert rows[:4] == [["'+title"], ["'@header"], ["'-section"], ["'=para"]]
    assert rows[4:7] == [["'=1+1"], ["'-name", "change"], ["'" + FORMULA, "-573"]]
    assert rows[7:] == [["'-573", "12"], ["'+1", ""], ["'@x", "1"], ["\\x09TAB", "2"], ["ok", "0"]]


@pytest.mark.parametrize("command", ["solve", "compare"])
def test_markdown_escapes_html_and_pipes_in_names(evil_reports, command):
    text = _text(evil_reports[(command, "markdown")])
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    for line in text.splitlines():
        if line.startswith("|") and "HYPERLINK" in line:
            assert '=HYPERLINK("http://x","y")' in line


def test_markdown_escapes_pipes_brackets_and_ampersands():
    from landopt.report.markdown import render_markdown
    from landopt.report.model import Column, Report, Section, Table

    t = Table("t", "T", [Column("a", "a|b")], [["x | y & [link](javascript:alert(1)) <b>"]])
    text = render_markdown(Report("R", "en", [], [Section("s", "S", ["a <script>alert(1)</script> | b"], [t])]))
    assert "| a\\|b |" in text
    assert "| x \\| y &amp; \\[link\\](javascript:alert(1)) &lt;b&gt; |" in text
    assert "a &lt;script&gt;alert(1)&lt;/script&gt; \\| b" in text and "<script>" not in text


@pytest.mark.parametrize("command", ["solve", "compare"])
def test_html_escapes_every_name(evil_reports, command):
    text = _text(evil_reports[(command, "html")])
    assert "<img" not in text and "onerror=alert(1)&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "<script" not in text


@pytest.mark.parametrize("command", ["solve", "compare"])
def test_xlsx_writes_names_as_strings_never_formulas(evil_reports, command, tmp_path):
    import zipfile

    openpyxl = pytest.importorskip("openpyxl")
    data = evil_reports[(command, "xlsx")]
    with zipfile.ZipFile(io_bytes(data)) as z:
        xml = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
    assert not [n for n, x in xml.items() if n.startswith("xl/worksheets/") and "<f>" in x]
    assert not [n for n, x in xml.items() if "_x001B_" in x or "_x0007_" in x]
    path = tmp_path / "r.xlsx"
    path.write_bytes(data)
    wb = openpyxl.load_workbook(path)
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert FORMULA in values
    assert not [v for v in values if isinstance(v, str) and any(c in v for c in RAW)]


def io_bytes(data: bytes):
    import io

    return io.BytesIO(data)


def test_names_on_stdout_carry_no_terminal_escape(evil):
    """The input refuses the names (exit 2), and the message that quotes them carries no raw escape."""
    p = subprocess.run([sys.executable, "-m", "landopt", "solve", str(evil)], cwd=REPO, capture_output=True,
                       timeout=300)
    assert p.returncode == 2, p.stderr
    for stream in (p.stdout, p.stderr):
        assert b"\x1b" not in stream and b"\x07" not in stream and "\u202e".encode() not in stream
        assert "\x9b".encode() not in stream
    assert b"U+202E" in p.stderr and b"U+001B" in p.stderr
