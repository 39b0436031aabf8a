"""Fixtures of the :mod:`assessment.weights` tests: experts' matrices and the sample portfolio."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SAMPLES

from assessment.inputs import load_answers, load_clients, load_targets
from assessment.rubric import load_rubric
from assessment.scoring import score
from assessment.weights.sensitivity import Portfolio, simulate


@pytest.fixture(name="expert_files")
def fixture_expert_files(tmp_path: Path) -> list[Path]:
    """Two experts' matrices over care, crisis and strategy, lower triangles left blank."""
    ann, bob = tmp_path / "ann.csv", tmp_path / "bob.csv"
    ann.write_text("id,care,crisis,strategy\ncare,1,3,1/2\ncrisis,,1,1/5\nstrategy,,,1\n", "utf-8")
    bob.write_text("id,strategy,care,crisis\nstrategy,1,3,5\ncare,,1,2\ncrisis,,,1\n", "utf-8")
    return [ann, bob]


@pytest.fixture(name="samples", scope="module")
def fixture_samples():
    """The sample portfolio's rubric, answers, clients and targets."""
    rubric = load_rubric("social-media")
    targets = load_targets(SAMPLES / "targets.csv", rubric)
    clients = load_clients(SAMPLES / "clients.csv", rubric, targets=targets)
    answers = load_answers(
        [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"], rubric, clients=clients
    )
    return rubric, answers, clients, targets


@pytest.fixture(name="sample_result", scope="module")
def fixture_sample_result():
    """The sample portfolio scored, with its answers, clients and targets."""
    rubric = load_rubric("social-media")
    targets = load_targets(SAMPLES / "targets.csv", rubric)
    clients = load_clients(SAMPLES / "clients.csv", rubric, targets=targets)
    answers = load_answers(
        [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"], rubric, clients=clients
    )
    return score(rubric, answers, clients=clients, targets=targets), answers, clients, targets


@pytest.fixture(name="portfolio", scope="module")
def fixture_portfolio(sample_result) -> Portfolio:
    """The sample portfolio's latest dimension scores as arrays."""
    return Portfolio.from_result(sample_result[0])


@pytest.fixture(name="sens", scope="module")
def fixture_sens(portfolio: Portfolio):
    """A 400-draw simulation around the sample portfolio's weights (seed 7)."""
    return simulate(portfolio, draws=400, concentration=40, seed=7)
