"""Shared fixtures: rubrics and a builder of answers in memory.

Plain helpers (paths, ``run_cli``, ``execute_notebook``) are in the ``helpers`` package; the
browser fixtures in :mod:`helpers.browser`.
"""

from __future__ import annotations

import os
from collections.abc import Callable

import pandas as pd
import pytest
from helpers import SMALL_RUBRIC

from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric, load_rubric

# No test may leave a warm report server behind: commands run here never start one (the
# daemon's own tests turn it on in a folder of their own and stop it).
os.environ["ASSESSMENT_DAEMON"] = "0"

# Playwright fixtures (browser, artifacts, watched_page) for the browser tests.
pytest_plugins = ["helpers.browser"]


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
