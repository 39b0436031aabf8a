"""The portfolio as arrays (:mod:`assessment.weights.portfolio`): agreement with the engine."""

from __future__ import annotations

import numpy as np
import pytest

from assessment.exceptions import ParameterError
from assessment.rubric import Rubric
from assessment.scoring import score
from assessment.weights.sensitivity import (
    Portfolio,
    compare_weights,
    dirichlet_weights,
    one_at_a_time,
    simulate,
)

# -- the linear shortcut agrees with the engine ------------------------------------------------


def test_baseline_reproduces_the_scoring_engine(sample_result, portfolio: Portfolio):
    summary = sample_result[0].summary().set_index("client_id").loc[portfolio.client_ids]
    np.testing.assert_allclose(portfolio.index(), summary["index"], rtol=1e-12)
    assert (portfolio.level() == summary["level"].to_numpy()).all()


def test_other_weights_match_rescoring_with_a_variant(sample_result, portfolio: Portfolio):
    result, answers, clients, targets = sample_result
    rubric = result.rubric
    rng = np.random.default_rng(3)
    ids = [d.id for d in rubric.dimensions]
    weights = [dict(zip(ids, rng.dirichlet(np.full(len(ids), 2.0)), strict=True)) for _ in range(4)]
    matrix = np.array([[w[d] for d in ids] for w in weights])
    index, level = portfolio.index(matrix), portfolio.level(matrix)
    for k, w in enumerate(weights):
        variant = rubric.with_weights(w)
        expected = score(variant, answers, clients=clients, targets=targets).summary()
        expected = expected.set_index("client_id").loc[portfolio.client_ids]
        np.testing.assert_allclose(index[:, k], expected["index"], rtol=1e-10)
        assert (level[:, k] == expected["level"].to_numpy()).all()


def test_unscored_dimensions_are_renormalised_away(small_rubric: Rubric, make_answers):
    # "delta" answers only the quality dimension: its ownership score is NaN.
    answers = make_answers(
        small_rubric,
        [
            ("acme", "ann", "dq_checks", 3),
            ("acme", "ann", "owner_named", "no"),
            ("acme", "ann", "catalogue_coverage_pct", 95),
            ("delta", "dan", "dq_checks", 4),
            ("delta", "dan", "dq_incidents_per_month", 0.5),
        ],
    )
    result = score(small_rubric, answers)
    p = Portfolio.from_result(result)
    assert np.isnan(p.scores).sum() == 1
    for w in ({"quality": 0.9, "ownership": 0.1}, {"quality": 0.2, "ownership": 0.8}):
        expected = score(small_rubric.with_weights(w), answers).summary().set_index("client_id")
        np.testing.assert_allclose(p.index(w), expected.loc[p.client_ids, "index"])
        assert (p.level(w) == expected.loc[p.client_ids, "level"].to_numpy()).all()


def test_weight_inputs_are_checked(portfolio: Portfolio):
    with pytest.raises(ParameterError, match="unknown dimension"):
        portfolio.index({"vibes": 1.0})
    with pytest.raises(ParameterError, match="one column per dimension"):
        portfolio.index(np.ones(3))
    with pytest.raises(ParameterError, match="non-negative"):
        portfolio.index(-np.ones(len(portfolio.dimension_ids)))
    with pytest.raises(ParameterError, match="concentration"):
        dirichlet_weights(portfolio.weights, 10, 0.0)
    with pytest.raises(ParameterError, match="draws"):
        simulate(portfolio, draws=0)
    with pytest.raises(ParameterError, match="step"):
        one_at_a_time(portfolio, step=1.5)


# -- one weight vector against the baseline ----------------------------------------------------


def test_compare_weights_table(portfolio: Portfolio):
    same = compare_weights(portfolio, portfolio.weights)
    assert not same["changed"].any()
    assert (same["delta"].abs() < 1e-9).all()
    assert list(same["rank"]) == sorted(same["rank"])
    shifted = compare_weights(portfolio, {"care": 0.6})
    assert shifted["changed"].any()
    moved = shifted.loc[shifted["rank_change"] != 0]
    assert (moved["rank_baseline"] - moved["rank"] == moved["rank_change"]).all()
