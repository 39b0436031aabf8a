"""Weight sensitivity (:mod:`assessment.weights.sensitivity`): brute force, reproducibility."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
import scipy.stats
from helpers import SAMPLES, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.exceptions import ParameterError
from assessment.weights.sensitivity import (
    Portfolio,
    _pairs,
    compare_weights,
    dirichlet_weights,
    kendall_tau,
    one_at_a_time,
    simulate,
)

# -- Kendall's tau -----------------------------------------------------------------------------


def test_kendall_tau_matches_scipy_with_ties():
    rng = np.random.default_rng(0)
    base = rng.integers(0, 8, 60).astype(float)  # many ties in the baseline
    values = np.column_stack([base + rng.integers(-2, 3, 60) for _ in range(25)]).astype(float)
    values[:, 0] = base  # identical ranking: tau = 1
    values[:, 1] = -base  # reversed: tau = -1
    tau, exact = kendall_tau(values, base, chunk=97)
    assert exact
    expected = [scipy.stats.kendalltau(values[:, k], base).statistic for k in range(25)]
    np.testing.assert_allclose(tau, expected, rtol=1e-12)
    assert tau[0] == pytest.approx(1)
    assert tau[1] == pytest.approx(-1)
    single, _ = kendall_tau(values[:, 3], base)
    assert single == pytest.approx(expected[3])


def test_kendall_tau_on_sampled_pairs_is_close():
    rng = np.random.default_rng(1)
    base = rng.normal(size=600)
    values = base[:, None] + rng.normal(scale=0.4, size=(600, 5))
    tau, exact = kendall_tau(values, base, max_pairs=20_000, seed=3)
    assert not exact
    expected = [scipy.stats.kendalltau(values[:, k], base).statistic for k in range(5)]
    # Standard error about sqrt((1 - tau^2) / 20,000) < 0.006: allow four of them.
    np.testing.assert_allclose(tau, expected, atol=0.02)


def test_sampled_pairs_are_distinct_upper_triangle_pairs():
    i, j, exact = _pairs(50, 300, np.random.default_rng(0))
    assert not exact
    assert len(i) == 300
    assert (i < j).all()
    assert (j < 50).all()
    assert len(set(zip(i.tolist(), j.tolist(), strict=True))) == 300
    i, j, exact = _pairs(10, 300, np.random.default_rng(0))
    assert exact
    assert len(i) == 45


# -- Monte Carlo -------------------------------------------------------------------------------


def test_simulation_is_reproducible_with_a_seed(portfolio: Portfolio, sens):
    again = simulate(portfolio, draws=400, concentration=40, seed=7)
    pd.testing.assert_frame_equal(again.clients, sens.clients)
    pd.testing.assert_frame_equal(again.priorities, sens.priorities)
    np.testing.assert_array_equal(again.tau, sens.tau)
    other = simulate(portfolio, draws=400, concentration=40, seed=8)
    assert not np.array_equal(other.tau, sens.tau)


def test_level_probabilities_match_brute_force(portfolio: Portfolio, sens):
    w = dirichlet_weights(portfolio.weights, 400, 40, np.random.default_rng(7))
    levels = portfolio.level(w)  # (C, draws)
    probs = sens.level_probabilities().loc[portfolio.client_ids]
    for lvl in range(1, portfolio.n_levels + 1):
        np.testing.assert_allclose(probs[lvl], (levels == lvl).mean(axis=1))
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    c = sens.clients.set_index("client_id").loc[portfolio.client_ids]
    base = portfolio.level()
    np.testing.assert_allclose(c["p_level_change"], (levels != base[:, None]).mean(axis=1))

    index = portfolio.index(w)
    np.testing.assert_allclose(c["index_mean"], index.mean(axis=1))
    np.testing.assert_allclose(c["index_p05"], np.quantile(index, 0.05, axis=1))
    np.testing.assert_allclose(c["index_p95"], np.quantile(index, 0.95, axis=1))
    # Ranks: 1 + number of clients strictly above, in every draw.
    ranks = 1 + (index[None, :, :] > index[:, None, :]).sum(axis=1)
    for q, col in ((0.05, "rank_p05"), (0.5, "rank_p50"), (0.95, "rank_p95")):
        expected = np.quantile(ranks, q, axis=1, method="inverted_cdf")
        np.testing.assert_array_equal(c[col], expected)
    tau = [scipy.stats.kendalltau(index[:, k], portfolio.index()).statistic for k in range(400)]
    np.testing.assert_allclose(sens.tau, tau, rtol=1e-12)


def test_top_three_persistence_matches_brute_force(portfolio: Portfolio, sens):
    w = dirichlet_weights(portfolio.weights, 400, 40, np.random.default_rng(7))
    pr = sens.priorities
    baseline = portfolio.gaps * portfolio.weights
    for rec in pr.itertuples():
        c = list(portfolio.client_ids).index(rec.client_id)
        d = portfolio.dimension_ids.index(rec.dimension_id)
        assert rec.priority == pytest.approx(baseline[c, d])
        draws = w * portfolio.gaps[c]  # (draws, D) priorities of this client
        kept = ((draws > draws[:, [d]]).sum(axis=1) < 3).mean()
        assert rec.p_top3 == pytest.approx(kept, abs=1e-12)
    # The baseline top three: highest priority first, the summary's top gap at position 1.
    top = pr.loc[pr["position"] == 1].set_index("client_id")["dimension_id"]
    summary = sens_summary_top_gap(portfolio)
    assert top.to_dict() == {k: v for k, v in summary.items() if v}


def sens_summary_top_gap(portfolio: Portfolio) -> dict[str, str]:
    base = np.round(portfolio.gaps * portfolio.weights, 3)  # as people read them
    out = {}
    for c, cid in enumerate(portfolio.client_ids):
        # Highest rounded priority; ties go to the heavier dimension, then rubric order.
        k = min(range(len(base[c])), key=lambda j: (-base[c, j], -portfolio.weights[j], j))
        out[str(cid)] = portfolio.dimension_ids[k] if base[c, k] > 0 else ""
    return out


def test_top_gap_agrees_with_the_summary(sample_result, portfolio: Portfolio):
    summary = sample_result[0].summary().set_index("client_id")["top_gap"]
    assert sens_summary_top_gap(portfolio) == summary.loc[portfolio.client_ids].to_dict()


def test_near_certain_weights_change_nothing(portfolio: Portfolio):
    s = simulate(portfolio, draws=200, concentration=1e9, seed=1)
    assert s.tau == pytest.approx(np.ones(200))
    assert (s.clients["p_level_change"] == 0).all()
    assert (s.clients["rank_p05"] == s.clients["rank"]).all()
    assert (s.clients["rank_p95"] == s.clients["rank"]).all()
    summary = s.summary()
    assert summary["share_draws_tau_ge_0_9"] == 1.0
    assert summary["tau_method"] == "exact (all 66 pairs)"
    # Ties in the baseline priorities can swap; elsewhere the top three stay.
    assert s.priorities["p_top3"].min() >= 0.4


def test_summary_and_text(sens):
    s = sens.summary()
    assert s["clients"] == 12
    assert s["draws"] == 400
    assert -1 <= s["kendall_tau_p05"] <= s["kendall_tau_median"] <= 1
    json.dumps(s)  # JSON-ready
    text = sens.to_text()
    assert "Kendall's tau-b" in text
    assert "c05-nayzak-mobile" in text


def test_large_portfolio_is_vectorised():
    rng = np.random.default_rng(5)
    c, d = 400, 11
    scores = np.clip(rng.uniform(1, 4, (c, 1)) + rng.normal(0, 0.7, (c, d)), 1, 5)
    scores[rng.random((c, d)) < 0.05] = np.nan
    p = Portfolio(
        client_ids=np.array([f"c{k:04d}" for k in range(c)], dtype=object),
        dimension_ids=tuple(f"d{k}" for k in range(d)),
        scores=scores,
        gaps=np.clip(4 - np.nan_to_num(scores, nan=4), 0, None),
        weights=np.full(d, 1 / d),
        n_levels=5,
    )
    s = simulate(p, draws=2_000, concentration=80, seed=2, max_pairs=5_000)
    assert s.tau_method == "sampled (5,000 of 79,800 pairs)"
    assert len(s.clients) == c
    assert s.tau.shape == (2_000,)
    np.testing.assert_allclose(s.level_probabilities().sum(axis=1), 1.0)


# -- one at a time -----------------------------------------------------------------------------


def test_one_at_a_time_is_the_renormalised_change(portfolio: Portfolio):
    oat = one_at_a_time(portfolio, step=0.2)
    assert len(oat) == portfolio.n_clients * len(portfolio.dimension_ids)
    w = dict(zip(portfolio.dimension_ids, portfolio.weights, strict=True))
    up = compare_weights(portfolio, {**w, "care": w["care"] * 1.2}).set_index("client_id")
    rows = oat.loc[oat["dimension_id"] == "care"].set_index("client_id")
    np.testing.assert_allclose(rows["index_high"], up.loc[rows.index, "index"])
    np.testing.assert_allclose(rows["delta_high"], up.loc[rows.index, "delta"])
    assert (rows["level_high"] == up.loc[rows.index, "level"]).all()
    down = compare_weights(portfolio, {**w, "care": w["care"] * 0.8}).set_index("client_id")
    np.testing.assert_allclose(rows["index_low"], down.loc[rows.index, "index"])


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_sensitivity_on_the_sample_portfolio():
    result = run_cli("weights", "sensitivity", "--draws", "300", "--seed", "3")
    assert result.returncode == 0, result.stderr
    assert "Weight sensitivity: 300 Dirichlet draws" in result.stdout
    assert "c05-nayzak-mobile" in result.stdout
    js = run_cli("weights", "sensitivity", "--draws", "300", "--seed", "3", "--format", "json")
    payload = json.loads(js.stdout)
    assert payload["summary"]["draws"] == 300
    assert payload["rubric"]["id"] == "social-media"
    assert len(payload["clients"]) == 12
    assert {"client_id", "dimension_id", "delta_low", "delta_high"} <= set(
        payload["one_at_a_time"][0]
    )
    again = json.loads(
        run_cli(
            "weights", "sensitivity", "--draws", "300", "--seed", "3", "--format", "json"
        ).stdout
    )
    assert again["summary"] == payload["summary"]


def test_cli_sensitivity_with_explicit_files(tmp_path):
    result = run_cli(
        "weights",
        "sensitivity",
        "--answers",
        str(SAMPLES / "answers.csv"),
        "--clients",
        str(SAMPLES / "clients.csv"),
        "--targets",
        str(SAMPLES / "targets.csv"),
        "--draws",
        "200",
        "--concentration",
        "-1",
    )
    assert result.returncode == 2
    assert "concentration" in result.stderr
    # Without --answers it analyses the packaged sample portfolio, from any folder.
    packaged = run_cli("weights", "sensitivity", "--draws", "50", cwd=tmp_path)
    assert packaged.returncode == 0, packaged.stderr
    assert "c01" in packaged.stdout


# -- other baselines ---------------------------------------------------------------------------


def test_portfolio_with_other_baseline_weights(portfolio: Portfolio):
    w = portfolio.weights.copy()
    w[0] *= 3
    shifted = replace(portfolio, weights=w)
    s = simulate(shifted, draws=50, seed=1)
    np.testing.assert_allclose(
        s.clients.set_index("client_id").loc[portfolio.client_ids, "index"],
        portfolio.index(w),
    )


# -- a weight at 0 (issue 17) ------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.one_of(st.just(0.0), st.floats(0.01, 10.0)), min_size=2, max_size=12).filter(
        lambda w: any(v > 0 for v in w)
    ),
    st.floats(1.0, 1e4),
)
def test_dirichlet_draws_keep_zero_weights_at_zero(weights: list[float], kappa: float):
    w = np.asarray(weights)
    draws = dirichlet_weights(w, 20, kappa, rng=0)
    assert (draws[:, w == 0] == 0).all()
    assert (draws[:, w > 0] > 0).all()
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)


def test_dirichlet_draws_refuse_negative_or_all_zero_weights():
    for bad in ([0.0, 0.0], [0.5, -0.1, 0.6], [np.nan, 1.0]):
        with pytest.raises(ParameterError, match="at least one positive"):
            dirichlet_weights(bad, 5, 100.0, rng=0)


def test_a_dimension_at_zero_weight_has_no_influence(portfolio: Portfolio):
    """Issue 17: a slider at 0 stopped the analysis; now it runs and that dimension is inert."""
    w = portfolio.weights.copy()
    w[0] = 0.0
    zero = replace(portfolio, weights=w)
    s = simulate(zero, draws=300, seed=3)
    assert len(s.clients) == zero.n_clients
    assert np.isfinite(s.tau).all()
    # The zero dimension's scores and gaps can be anything: the index, ranks, tau and
    # priorities stay the same.  (Its score still counts in the staged level's weakest-link
    # rule, which does not depend on weights; the top score keeps the weakest link unchanged
    # wherever that dimension was not below all the others.)
    scores, gaps = zero.scores.copy(), zero.gaps.copy()
    scores[:, 0] = np.where(np.isnan(scores[:, 0]), np.nan, float(zero.n_levels))
    gaps[:, 0] = np.where(np.isnan(scores[:, 0]), 0.0, zero.n_levels - 1.0)
    other = simulate(replace(zero, scores=scores, gaps=gaps), draws=300, seed=3)
    weighted = ["client_id", "index", "index_mean", "index_sd", "index_p05", "index_p95"]
    weighted += ["rank", "rank_p05", "rank_p50", "rank_p95"]
    pd.testing.assert_frame_equal(s.clients[weighted], other.clients[weighted])
    np.testing.assert_array_equal(s.tau, other.tau)
    pd.testing.assert_frame_equal(s.priorities, other.priorities)
    same_weakest = ~(zero.scores[:, 0] < np.nanmin(zero.scores[:, 1:], axis=1))
    keep = s.clients["client_id"].isin(zero.client_ids[same_weakest].astype(str))
    assert keep.sum() >= 6
    levels = [c for c in s.clients.columns if c.startswith(("level", "p_level"))]
    pd.testing.assert_frame_equal(
        s.clients.loc[keep, levels], other.clients.set_index(s.clients.index).loc[keep, levels]
    )
    assert zero.dimension_ids[0] not in set(s.priorities["dimension_id"])
    oat = one_at_a_time(zero)
    moved = oat.loc[oat["dimension_id"] == zero.dimension_ids[0]]
    assert (moved[["delta_low", "delta_high"]].abs().to_numpy() == 0).all()
