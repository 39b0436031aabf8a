"""The command line answers at once: help and usage errors import no heavy library (issue 19).

A time would be flaky on a shared machine, so the tests look at what a command imports instead:
``PYTHONPROFILEIMPORTTIME`` makes Python list every module it imports on stderr.  The times
themselves are measured by ``benchmarks/latency.py``.
"""

from __future__ import annotations

import re
import subprocess

import pytest
from helpers import cli_commands, run_cli

#: Every command path (``[]`` is ``maturity`` itself).
COMMANDS = cli_commands()

#: Libraries that take a noticeable fraction of a second to import: none of them may be imported
#: to print help or to reject a command line.
HEAVY = ("pandas", "numpy", "matplotlib", "scipy", "papermill", "nbformat", "jupyter_client")

#: Command lines that are wrong, with what the message must say.
USAGE_ERRORS = [
    (["report"], "Missing argument 'CLIENT'"),
    (["report", "c01"], "--samples"),
    (["batch", "--engine", "warp"], "'warp' is not one of"),
    (["score", "--no-such-option"], "No such option"),
    (["rubric", "nosuch"], "No such command 'nosuch'"),
    (["reprot"], "Did you mean"),
    (["weights", "ahp"], "Missing"),
    (["staffing", "--messages-per-hour", "many"], "is not a valid float"),
]


def imported(result: subprocess.CompletedProcess[str]) -> set[str]:
    """The top-level packages a command imported (from ``PYTHONPROFILEIMPORTTIME``'s lines)."""
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)$", result.stderr, re.M)
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "maturity")
def test_help_imports_no_heavy_library(command: list[str]) -> None:
    result = run_cli(*command, "--help", PYTHONPROFILEIMPORTTIME="1")
    assert result.returncode == 0, result.stderr
    modules = imported(result)
    assert "click" in modules  # the profile was taken
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))


@pytest.mark.parametrize(
    ("command", "message"), USAGE_ERRORS, ids=[" ".join(c) for c, _ in USAGE_ERRORS]
)
def test_usage_errors_come_before_any_heavy_import(command: list[str], message: str) -> None:
    result = run_cli(*command, PYTHONPROFILEIMPORTTIME="1")
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    modules = imported(result)
    assert "click" in modules
    assert modules.isdisjoint(HEAVY), sorted(modules & set(HEAVY))
