"""The batch under faults and hostile input (issue 18).

Findings 1 and 2 (one batch per folder, and only its own folders), 7 and 8 (hostile client
names in every output), 15 (a hanging report) and 17 (``kill -9`` of the batch's process
group).  Inputs are one or two sample clients, so each batch renders in seconds.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from helpers import COMMAND_TIMEOUT, SAMPLES, processes_marked, run_cli
from helpers.hostile import report_notebook

from assessment.batch import lifetime
from assessment.batch.lifetime import remove_stale_folders
from assessment.files import folder_lock

pytestmark = pytest.mark.slow

FIRST, SECOND = "c01-fanous-souq", "c05-nayzak-mobile"
FORMULA = '=HYPERLINK("http://x","click")'
REVERSED = "\u202egnp.exe\x1b]0;owned\x07"


def tiny_inputs(folder: Path, names: dict[str, str]) -> list[str]:
    """``--clients``, ``--peers``, ``--targets`` and an answers file for the clients ``names``."""
    folder.mkdir(parents=True, exist_ok=True)
    answers = pd.read_csv(SAMPLES / "answers.csv", dtype=str, keep_default_na=False)
    answers.loc[answers["client_id"].isin(names)].to_csv(folder / "answers.csv", index=False)
    clients = pd.read_csv(SAMPLES / "clients.csv", dtype=str, keep_default_na=False)
    clients = clients.loc[clients["client_id"].isin(names)].copy()
    clients["name"] = clients["client_id"].map(names)
    clients.to_csv(folder / "clients.csv", index=False)
    return [
        "--clients",
        str(folder / "clients.csv"),
        "--peers",
        str(SAMPLES / "peers.csv"),
        "--targets",
        str(SAMPLES / "targets.csv"),
        str(folder / "answers.csv"),
    ]


# -- findings 7 and 8: hostile names in every output --------------------------------------------


def test_hostile_client_names_are_inert_in_every_output(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    inputs = tiny_inputs(tmp_path / "in", {FIRST: FORMULA, SECOND: REVERSED})
    proc = run_cli("batch", "-q", "--jobs", "2", "--out", str(out), *inputs)
    assert proc.returncode == 0, proc.stderr
    assert "\x1b" not in proc.stdout + proc.stderr
    scores = (out / "scores.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in scores
    assert ",=HYPERLINK" not in scores
    assert '"=HYPERLINK' not in scores
    book = openpyxl.load_workbook(out / "scores.xlsx")
    assert [s.title for s in book.worksheets] == ["scores", "dimensions", "recommendations"]
    for sheet in book.worksheets:
        formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
        assert formulas == [], sheet.title
    assert book["scores"]["B2"].value == "'" + FORMULA
    for page in [out / "index.html", out / FIRST / "report.html", out / SECOND / "report.html"]:
        html = page.read_text(encoding="utf-8")
        for character in ("\u202e", "\x1b", "\x07"):
            assert character not in html, (page, character)
    assert "gnp.exe]0;owned" in (out / SECOND / "report.html").read_text(encoding="utf-8")


# -- findings 1 and 2: the output folder ---------------------------------------------------------


def test_a_folder_no_batch_wrote_is_refused_unless_forced(tmp_path: Path) -> None:
    inputs = tiny_inputs(tmp_path / "in", {FIRST: "First"})
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "index.html").write_text("my own page", encoding="utf-8")
    proc = run_cli("batch", "-q", "--out", str(mine), *inputs)
    assert proc.returncode == 2
    assert "already holds files that no batch wrote (index.html)" in proc.stderr
    assert "--force" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(os.listdir(mine)) == ["index.html"]  # nothing written, not even a lock
    assert (mine / "index.html").read_text(encoding="utf-8") == "my own page"
    root = run_cli("batch", "-q", "--force", "--out", "/", *inputs)
    assert root.returncode == 2
    assert "root of the file system" in root.stderr
    forced = run_cli("batch", "-q", "--force", "--out", str(mine), *inputs)
    assert forced.returncode == 0, forced.stderr
    # Now it is a batch's folder: the next batch needs no --force.
    again = run_cli("batch", "-q", "--resume", "--out", str(mine), *inputs)
    assert again.returncode == 0, again.stderr
    assert "1 up to date" in again.stdout


def test_a_second_batch_into_the_same_folder_stops_or_waits(tmp_path: Path) -> None:
    inputs = tiny_inputs(tmp_path / "in", {FIRST: "First"})
    out = tmp_path / "reports"
    with folder_lock(out):  # another batch, as far as the command can tell
        busy = run_cli("batch", "-q", "--out", str(out), *inputs)
        assert busy.returncode == 1
        assert f"is being written by another program (process {os.getpid()})" in busy.stderr
        assert "--wait" in busy.stderr
        assert not (out / "index.html").exists()
        command = ["batch", "-q", "--wait", "--out", str(out), *inputs]
        waiting = subprocess.Popen(
            [sys.executable, "-m", "assessment", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert waiting.stderr is not None
            line = waiting.stderr.readline()  # printed once, when it starts to wait
            assert "waiting for the other program writing to" in line
            assert waiting.poll() is None
        except BaseException:
            waiting.kill()
            raise
    _, stderr = waiting.communicate(timeout=COMMAND_TIMEOUT)
    assert waiting.returncode == 0, stderr
    assert (out / "index.html").is_file()
    assert json.loads((out / "manifest.json").read_text())["reports"][0]["status"] == "ok"


# -- finding 15: a report that hangs ---------------------------------------------------------------


def test_a_hanging_report_fails_alone_at_its_timeout(tmp_path: Path) -> None:
    notebook = report_notebook(
        tmp_path / "hangs.ipynb",
        f"import time\nif client_id == {FIRST!r}:\n    time.sleep(3600)",
    )
    out = tmp_path / "reports"
    inputs = tiny_inputs(tmp_path / "in", {FIRST: "First", SECOND: "Second"})
    proc = run_cli(
        "batch",
        "-q",
        "--jobs",
        "2",
        "--timeout",
        "5",
        "--notebook",
        str(notebook),
        "--out",
        str(out),
        *inputs,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"failed: {FIRST} (cell 3): TimeoutError: the report ran longer than 5 s" in proc.stderr
    reports = {
        r["client_id"]: r for r in json.loads((out / "manifest.json").read_text())["reports"]
    }
    assert reports[SECOND]["status"] == "ok"
    assert reports[FIRST]["status"] == "failed"
    assert reports[FIRST]["attempts"] == 1  # a timeout is not retried
    assert "time.sleep(3600)" in reports[FIRST]["failed_source"]
    assert not list(out.rglob("*.tmp*"))  # nothing half-written
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "ran longer than 5 s" in index


# -- finding 17: kill -9 of the batch's process group ---------------------------------------------


@pytest.fixture(name="mark")
def fixture_mark() -> Iterator[str]:
    """A marker for the environment of a test's batch; its processes are killed afterwards."""
    mark = f"ASSESSMENT_TEST_MARK={uuid.uuid4().hex}"
    yield mark
    for pid in processes_marked(mark) - {os.getpid()}:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("engine", ["fork", "fresh"])
def test_kill_9_of_the_batch_leaves_no_process_and_no_key(
    tmp_path: Path, mark: str, engine: str
) -> None:
    started = tmp_path / "started"
    started.mkdir()
    notebook = report_notebook(
        tmp_path / "slow.ipynb",
        f"import pathlib, time\npathlib.Path({str(started)!r}, client_id).touch()\ntime.sleep(600)",
    )
    name, value = mark.split("=")
    env = {**os.environ, name: value, "PYTHONIOENCODING": "utf-8"}
    # A batch started by a process that has a private folder uses it: this one must make its own.
    env.pop(lifetime.ENV, None)
    inputs = tiny_inputs(tmp_path / "in", {FIRST: "First", SECOND: "Second"})
    command = ["batch", "-q", "--engine", engine, "--jobs", "2", "--notebook", str(notebook)]
    batch = subprocess.Popen(
        [sys.executable, "-m", "assessment", *command, "--out", str(tmp_path / "reports"), *inputs],
        env=env,
        start_new_session=True,  # its own process group, as a shell job has
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 180
        while len(list(started.iterdir())) < 2 and time.monotonic() < deadline:
            assert batch.poll() is None, "the batch ended before its reports started"
            time.sleep(0.5)
        assert len(list(started.iterdir())) == 2, "the reports did not start in time"
        running = processes_marked(mark)
        private = list(Path(tempfile.gettempdir()).glob(f"assessment-{batch.pid}-*"))
        assert len(private) == 1
        if engine == "fork":
            # the batch, its fork server and two job runners that run the cells themselves
            assert len(running) >= 4
        else:
            assert len(running) >= 5  # the batch, two workers and their kernels
            assert list(private[0].rglob("*.json"))  # the kernels' connection files (HMAC keys)
        os.killpg(batch.pid, signal.SIGKILL)
        batch.wait(30)
        deadline = time.monotonic() + 30
        while processes_marked(mark) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert processes_marked(mark) == set(), "processes outlived the batch"
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
            batch.wait(30)
    # The next batch removes the dead one's private folder, connection files and all.
    assert private[0] in remove_stale_folders()
    assert not private[0].exists()
