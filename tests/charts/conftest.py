"""Fixtures of the chart tests: scored results of the data-stewardship scenario, a staffing
table, and the sample portfolio's weight sensitivity.

The scenario itself (answers, clients, peers) and plain helpers are in :mod:`helpers.charts`.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
from helpers import SAMPLES
from helpers.charts import CLIENTS, ROWS, ROWS_LATER, arabic_variant, make_peers

from assessment.inputs import load_answers, load_clients, load_targets
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult, score
from assessment.scoring.staffing import staffing_table
from assessment.weights.sensitivity import (
    Portfolio,
    SensitivityResult,
    one_at_a_time,
    simulate,
)


def _two_rounds(rubric: Rubric, make_answers: Callable[..., pd.DataFrame]) -> ScoreResult:
    answers = pd.concat(
        [
            make_answers(rubric, ROWS, date="2025-01-15"),
            make_answers(rubric, ROWS_LATER, date="2025-07-15"),
        ],
        ignore_index=True,
    )
    return score(rubric, answers, clients=CLIENTS, peers=make_peers(40))


@pytest.fixture(name="result")
def fixture_result(small_rubric: Rubric, make_answers: Callable[..., pd.DataFrame]) -> ScoreResult:
    """Both rounds (acme assessed twice), with clients and 40 peers."""
    return _two_rounds(small_rubric, make_answers)


@pytest.fixture(name="first")
def fixture_first(small_rubric: Rubric, make_answers: Callable[..., pd.DataFrame]) -> ScoreResult:
    """Only the first round (one assessment per client), with peers."""
    answers = make_answers(small_rubric, ROWS, date="2025-01-15")
    return score(small_rubric, answers, clients=CLIENTS, peers=make_peers(40))


@pytest.fixture(name="arabic_result")
def fixture_arabic_result(
    small_rubric: Rubric, make_answers: Callable[..., pd.DataFrame]
) -> ScoreResult:
    """Both rounds, scored on the rubric with Arabic names (:func:`arabic_variant`)."""
    return _two_rounds(arabic_variant(small_rubric), make_answers)


@pytest.fixture(name="staffing", scope="module")
def fixture_staffing() -> pd.DataFrame:
    """Staffing of 20 messages an hour for every coverage option, 3 FTE today."""
    return staffing_table(
        messages_per_hour=20,
        aht_minutes=6,
        answer_within_minutes=30,
        service_level=0.8,
        current_fte=3,
    )


@pytest.fixture(name="sample_portfolio", scope="module")
def fixture_sample_portfolio() -> Portfolio:
    """The sample clients, scored with the packaged rubric, as a sensitivity portfolio."""
    from assessment.rubric import load_rubric

    rubric = load_rubric("social-media")
    targets = load_targets(SAMPLES / "targets.csv", rubric)
    clients = load_clients(SAMPLES / "clients.csv", rubric, targets=targets)
    answers = load_answers(
        [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"], rubric, clients=clients
    )
    return Portfolio.from_result(score(rubric, answers, clients=clients, targets=targets))


@pytest.fixture(name="sensitivity", scope="module")
def fixture_sensitivity(sample_portfolio: Portfolio) -> SensitivityResult:
    """400 Dirichlet draws of weights around the sample portfolio's, seeded."""
    return simulate(sample_portfolio, draws=400, concentration=40, seed=7)


@pytest.fixture(name="oat", scope="module")
def fixture_oat(sample_portfolio: Portfolio) -> pd.DataFrame:
    """One-at-a-time changes of the sample portfolio's index, weights moved by 20 %."""
    return one_at_a_time(sample_portfolio, step=0.2)
