"""The warm report server (:mod:`assessment.batch.daemon`, issue 19): a second ``maturity
report`` runs in it and gives the same report; the notebook is still executed; errors, exit
codes and Ctrl-C are the command's own; it stays private, stops when idle or asked.

Each test uses a short private folder of its own (Unix socket paths are limited to 108 bytes)
and stops its server afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from helpers import ROOT, run_cli

from assessment.batch import daemon_client, default_notebook

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix", reason="the warm server needs fork() and AF_UNIX"),
]

CLIENT = "c04-sawsan-bank"


@pytest.fixture(name="env")
def fixture_env() -> Iterator[dict[str, str]]:
    """The environment of commands that may use (and start) a warm server, and its cleanup."""
    folder = Path(tempfile.mkdtemp(prefix="ad-")) / "d"
    env = {
        "ASSESSMENT_DAEMON": "1",
        "ASSESSMENT_DAEMON_DIR": str(folder),
        "ASSESSMENT_DAEMON_IDLE": "120",
    }
    yield env
    run_cli("daemon", "stop", **env)
    for pid in _pids(folder):  # whatever did not answer the stop
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(folder.parent, ignore_errors=True)


def _pids(folder: Path) -> set[int]:
    """Processes whose command line starts a warm server and whose environment names ``folder``."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"assessment.batch.daemon" in cmdline and str(folder).encode() in environ:
            found.add(int(entry.name))
    return found


def wait_for_server(env: dict[str, str], timeout: float = 120) -> dict:
    """Wait until a warm server answers in ``env``'s folder; its status."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc = run_cli("daemon", "status", **env)
        if proc.returncode == 0:
            return {"text": proc.stdout}
        time.sleep(0.5)
    raise AssertionError("no warm report server answered in time")


def served(env: dict[str, str]) -> int:
    text = run_cli("daemon", "status", **env).stdout
    match = re.search(r"(\d+) command\(s\) served", text)
    assert match, text
    return int(match.group(1))


def report(out: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return run_cli("report", CLIENT, "--samples", "--out", str(out), *extra, **env)


def normalise(html: str) -> str:
    return re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC", "<when>", html)


def test_the_next_report_runs_in_the_warm_server_and_is_the_same(tmp_path, env):
    first = report(tmp_path / "a", env)
    assert first.returncode == 0, first.stderr
    assert "note: a warm report server now runs in the background" in first.stderr
    wait_for_server(env)
    folder = Path(env["ASSESSMENT_DAEMON_DIR"])
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    (sock,) = folder.glob("*.sock")
    assert oct(sock.stat().st_mode & 0o777) == "0o600"
    second = report(tmp_path / "b", env)
    assert second.returncode == 0, second.stderr
    assert served(env) == 1
    assert "note:" not in second.stderr  # it ran in the server: nothing new was started
    assert "1 rendered" in second.stdout
    html = {
        name: normalise((tmp_path / name / CLIENT / "report.html").read_text(encoding="utf-8"))
        for name in ("a", "b")
    }
    assert html["a"] == html["b"]
    sidecar = json.loads((tmp_path / "b" / CLIENT / "report.json").read_text(encoding="utf-8"))
    assert sidecar["status"] == "ok"
    assert sidecar["cells_seconds"] > 0  # the notebook's cells were executed


def test_an_edited_notebook_errors_and_exit_codes_are_the_commands_own(tmp_path, env):
    assert report(tmp_path / "a", env).returncode == 0
    wait_for_server(env)
    nb = nbformat.read(default_notebook(), as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "from IPython.display import HTML\nHTML(\"<p id='edited'>edited template</p>\")"
        )
    )
    edited = tmp_path / "edited.ipynb"
    nbformat.write(nb, edited)
    proc = report(tmp_path / "b", env, "--notebook", str(edited))
    assert proc.returncode == 0, proc.stderr
    html = (tmp_path / "b" / CLIENT / "report.html").read_text(encoding="utf-8")
    assert re.search(r"<p id=.edited.>edited template</p>", html)
    bad = run_cli("report", "no-such-client", "--samples", "--out", str(tmp_path / "c"), **env)
    direct = run_cli(
        "report",
        "no-such-client",
        "--samples",
        "--out",
        str(tmp_path / "d"),
        **{**env, "ASSESSMENT_DAEMON": "0"},
    )
    assert served(env) == 2
    assert bad.returncode == direct.returncode == 2
    assert bad.stderr == direct.stderr
    assert "Traceback" not in bad.stderr


def test_ctrl_c_reaches_the_command_in_the_warm_server(tmp_path, env):
    assert report(tmp_path / "a", env).returncode == 0
    wait_for_server(env)
    started = tmp_path / "started"
    nb = nbformat.read(default_notebook(), as_version=4)
    wait = f"import pathlib, time\npathlib.Path({str(started)!r}).touch()\ntime.sleep(120)"
    nb.cells.insert(3, nbformat.v4.new_code_cell(wait))
    slow = tmp_path / "slow.ipynb"
    nbformat.write(nb, slow)
    command = [sys.executable, "-m", "assessment", "report", CLIENT, "--samples"]
    proc = subprocess.Popen(
        [*command, "--out", str(tmp_path / "b"), "--notebook", str(slow)],
        env={**os.environ, **env, "PYTHONIOENCODING": "utf-8"},
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and time.monotonic() < deadline:
            assert proc.poll() is None, proc.communicate()
            time.sleep(0.2)
        assert started.exists()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(30)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert served(env) == 1
    assert not (tmp_path / "b" / CLIENT / "report.html").exists()
    assert not list((tmp_path / "b").rglob("*.tmp*"))


def test_the_server_stops_when_idle_or_asked(tmp_path, env):
    env = {**env, "ASSESSMENT_DAEMON_IDLE": "3"}
    assert report(tmp_path / "a", env).returncode == 0
    folder = Path(env["ASSESSMENT_DAEMON_DIR"])
    deadline = time.monotonic() + 120
    while not list(folder.glob("*.sock")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(folder.glob("*.sock")), "no server started"
    while list(folder.glob("*.sock")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not list(folder.glob("*.sock")), "the server outlived its idle time"
    deadline = time.monotonic() + 30
    while _pids(folder) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _pids(folder)
    none = run_cli("daemon", "status", **env)
    assert none.returncode == 1
    assert "no warm report server is running" in none.stdout
    # and when asked
    env = {**env, "ASSESSMENT_DAEMON_IDLE": "120"}
    assert report(tmp_path / "b", env).returncode == 0
    wait_for_server(env)
    stop = run_cli("daemon", "stop", **env)
    assert "stopped 1 warm report server(s)" in stop.stdout
    deadline = time.monotonic() + 30
    while _pids(folder) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _pids(folder)


def test_a_folder_others_can_enter_is_never_used(tmp_path, env):
    folder = Path(env["ASSESSMENT_DAEMON_DIR"])
    folder.mkdir(mode=0o700)
    folder.chmod(0o777)
    proc = report(tmp_path / "a", env)
    assert proc.returncode == 0, proc.stderr  # the report itself is rendered all the same
    assert "note:" not in proc.stderr
    time.sleep(1)
    assert not list(folder.iterdir())
    assert not _pids(folder)


def test_the_fingerprint_follows_every_file_of_the_package(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "a.py").write_text("x = 1\n", encoding="utf-8")
    (package / "sub" / "rubric.yaml").write_text("id: x\n", encoding="utf-8")
    monkeypatch.setattr(daemon_client, "_PACKAGE", package)
    fingerprint = daemon_client.fingerprint.__wrapped__  # uncached: the files change here
    before = fingerprint()
    assert fingerprint() == before
    stamp = (package / "sub" / "rubric.yaml").stat().st_mtime_ns
    os.utime(package / "sub" / "rubric.yaml", ns=(stamp + 10**9, stamp + 10**9))
    assert fingerprint() != before
    os.utime(package / "sub" / "rubric.yaml", ns=(stamp, stamp))
    assert fingerprint() == before
    (package / "b.py").write_text("", encoding="utf-8")
    assert fingerprint() != before


def test_the_warm_server_is_off_when_asked(monkeypatch):
    for value in ("0", "off", "no", "false", "OFF"):
        monkeypatch.setenv("ASSESSMENT_DAEMON", value)
        assert not daemon_client.enabled()
        assert daemon_client.run(["report", "x"]) is None
        assert daemon_client.start_in_background("assessment.cli:run_command") is False
    monkeypatch.setenv("ASSESSMENT_DAEMON", "1")
    assert daemon_client.enabled()
