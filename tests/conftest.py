"""Shared fixtures: rubrics, sample files and a helper to build answers in memory."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from assessment.responses import answers_from_frame
from assessment.rubric import Rubric, load_rubric

ROOT = Path(__file__).resolve().parent.parent
TEST_DATA = Path(__file__).resolve().parent / "data"
SAMPLES = ROOT / "data" / "samples"
#: Seconds a notebook cell may take in tests: a kernel that never answers then fails its test
#: instead of stalling the whole suite.
CELL_TIMEOUT = 120
SMALL_RUBRIC = TEST_DATA / "rubrics" / "data-stewardship.yaml"

# Playwright fixtures (browser, artifacts, watched_page) for the browser tests.
pytest_plugins = ["conftest_browser"]


@pytest.fixture(name="small_rubric", scope="session")
def fixture_small_rubric() -> Rubric:
    """A 4-level rubric from another domain (data stewardship)."""
    return load_rubric(SMALL_RUBRIC)


@pytest.fixture(name="rubric", scope="session")
def fixture_rubric() -> Rubric:
    """The packaged social-media rubric."""
    return load_rubric("social-media")


@pytest.fixture(name="make_answers")
def fixture_make_answers() -> Callable[..., pd.DataFrame]:
    """Build validated answers from ``(client, respondent, indicator, value)`` tuples."""

    def make(rubric: Rubric, rows: list[tuple], date: str = "2025-01-01") -> pd.DataFrame:
        frame = pd.DataFrame(
            [(c, date, r, "role", i, v) for c, r, i, v in rows],
            columns=["client_id", "date", "respondent", "role", "indicator_id", "value"],
        )
        return answers_from_frame(frame, rubric)

    return make


def run_cli(*args: str, cwd: Path | None = None, input_text: str | None = None):
    """Run ``python -m assessment ARGS`` in a subprocess, as a user would."""
    import subprocess

    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "assessment", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=env,
        input=input_text,
        timeout=300,
        check=False,
    )


def execute_notebook(path: str | Path, out: str | Path, **kwargs: object) -> object:
    """``papermill.execute_notebook`` as the tests run it: private sockets, a cell timeout.

    The kernel talks over its own Unix sockets, as batch kernels do
    (``assessment.batch._kernel_manager``), not loopback TCP: with kernels starting in both
    test workers and in the batches they run, two kernels could pick the same free port, and
    a client talking to the wrong kernel waits forever.  Its stderr goes to
    ``<out>.kernel.log``.
    """
    import papermill as pm

    from assessment.batch import _kernel_manager

    kwargs.setdefault("kernel_name", "python3")
    kwargs.setdefault("progress_bar", False)
    kwargs.setdefault("execution_timeout", CELL_TIMEOUT)
    log = Path(out).with_suffix(".kernel.log")
    return pm.execute_notebook(
        str(path), str(out), kernel_manager_class=_kernel_manager(log), **kwargs
    )
