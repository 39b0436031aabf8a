"""What tests share besides fixtures: paths, running the CLI, running notebooks.

Fixtures live in ``tests/conftest.py`` (and the browser fixtures in :mod:`helpers.browser`);
plain helpers live here and are imported as ``from helpers import run_cli``
(``pyproject.toml`` puts ``tests/`` on the test path).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

#: The repository root.
ROOT = Path(__file__).resolve().parents[2]
#: Test data files (rubrics from other domains, hostile files are built by the tests).
TEST_DATA = ROOT / "tests" / "data"
#: The sample portfolio as the repository holds it (the package links it in).
SAMPLES = ROOT / "data" / "samples"
#: The sample portfolio's client, peer and target tables, as ``plan(..., **SAMPLE_INPUTS)``.
SAMPLE_INPUTS = {
    "clients": SAMPLES / "clients.csv",
    "peers": SAMPLES / "peers.csv",
    "targets": SAMPLES / "targets.csv",
}
#: The sample portfolio's answer files (a long table and a survey-tool export).
SAMPLE_ANSWERS = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]
#: A 4-level rubric from another domain (data stewardship).
SMALL_RUBRIC = TEST_DATA / "rubrics" / "data-stewardship.yaml"
#: Seconds a notebook cell may take in tests: a kernel that never answers then fails its test
#: instead of stalling the whole suite.
CELL_TIMEOUT = 120
#: Seconds any command run by the tests may take.
COMMAND_TIMEOUT = 300


def run_cli(
    *args: str, cwd: Path | None = None, input_text: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m assessment ARGS`` in a subprocess, as a user would."""
    environ = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", **env}
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=environ,
        input=input_text,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def cli_commands(group: Any = None, prefix: tuple[str, ...] = ()) -> list[list[str]]:
    """Every command path of the ``maturity`` click group (or ``group``), the group first."""
    import click

    from assessment.cli import main

    group = main if group is None else group
    paths = [list(prefix)]
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            paths += cli_commands(command, (*prefix, name))
        else:
            paths.append([*prefix, name])
    return paths


def execute_notebook(path: str | Path, out: str | Path, **kwargs: Any) -> Any:
    """``papermill.execute_notebook`` as the tests run it: private sockets, a cell timeout.

    The kernel talks over its own Unix sockets, as batch kernels do, not loopback TCP: with
    kernels starting in both test workers and in the batches they run, two kernels could pick
    the same free port, and a client talking to the wrong kernel waits forever.  Its stderr
    goes to ``<out>.kernel.log``.
    """
    import papermill as pm

    from assessment.batch import kernel_manager_class

    kwargs.setdefault("kernel_name", "python3")
    kwargs.setdefault("progress_bar", False)
    kwargs.setdefault("execution_timeout", CELL_TIMEOUT)
    kwargs.setdefault("start_timeout", CELL_TIMEOUT)
    log = Path(out).with_suffix(".kernel.log")
    return pm.execute_notebook(
        str(path), str(out), kernel_manager_class=kernel_manager_class(log), **kwargs
    )


def modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded once it has run ``code``."""
    script = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=True,
    )
    return set(result.stdout.split())


def processes_marked(mark: str) -> set[int]:
    """Live processes whose environment carries ``mark`` (a process and all it started).

    A zombie's environment reads as empty, so processes that have ended are never counted.
    """
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if mark.encode() in (entry / "environ").read_bytes():
                found.add(int(entry.name))
        except OSError:
            continue
    return found
