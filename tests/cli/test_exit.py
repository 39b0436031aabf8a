"""``maturity`` ends its process without tearing the heap down, and loses nothing (issue 19).

:func:`assessment.cli.exit_now` skips the interpreter's finalisation; everything a user or a
caller can observe of a normal exit must still happen: threads finish, ``atexit`` handlers run,
buffered output reaches the pipe, the exit status is the one ``SystemExit`` carried.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from helpers import COMMAND_TIMEOUT, run_cli

_SCRIPT = """
import atexit, concurrent.futures, sys, threading, time
from pathlib import Path
from assessment.cli import exit_now

out = Path(sys.argv[1])
def late(name):
    time.sleep(0.3)
    (out / name).write_text("done")
threading.Thread(target=late, args=("thread",)).start()
pool = concurrent.futures.ThreadPoolExecutor(1)
pool.submit(late, "pool")
atexit.register(lambda: (out / "atexit").write_text(str((out / "thread").exists())))
sys.stdout.write("x" * 200_000)  # more than any pipe buffer: flushed at the end
exit_now(eval(sys.argv[2]))
"""


def _run(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(_SCRIPT), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script), str(tmp_path), code],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


@pytest.mark.parametrize(("code", "status"), [("None", 0), ("0", 0), ("3", 3), ("'bad'", 1)])
def test_exit_now_keeps_what_a_normal_exit_does(tmp_path: Path, code: str, status: int) -> None:
    result = _run(tmp_path, code)
    assert result.returncode == status, result.stderr
    assert len(result.stdout) == 200_000  # the whole buffered output reached the pipe
    assert (tmp_path / "thread").read_text() == "done"  # a non-daemon thread was waited for
    assert (tmp_path / "pool").read_text() == "done"  # so was a concurrent.futures pool
    # atexit handlers ran, after the threads had finished (as the interpreter orders them)
    assert (tmp_path / "atexit").read_text() == "True"
    assert result.stderr == ("bad\n" if code == "'bad'" else "")


def test_the_command_line_ends_with_its_output_and_status(tmp_path: Path) -> None:
    """Through the real entry point: output complete, exit status kept, no traceback."""
    full = run_cli("score", "--samples", "--format", "csv")
    assert full.returncode == 0, full.stderr
    rows = full.stdout.strip().splitlines()
    assert len(rows) > 1
    assert rows[0].startswith("client_id")
    wrong = run_cli("score", "--samples", "--rubric", str(tmp_path / "missing.yaml"))
    assert wrong.returncode == 2
    assert "missing.yaml" in wrong.stderr
    assert "Traceback" not in wrong.stderr
