"""The peer benchmark and the portfolio (:mod:`assessment.charts.benchmark`)."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from helpers.charts import CLIENTS, ROWS, dims_of, make_peers
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from assessment import charts
from assessment.charts import benchmark
from assessment.scoring import peer_index, score
from assessment.text.numbers import format_number, format_ordinal

# -- benchmark -----------------------------------------------------------------------------------


def client_line(ax: Axes):
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "client"]
    return line


def test_benchmark_line_at_the_client_index(first, small_rubric):
    ax = charts.benchmark_distribution(first, client_id="acme", clients=CLIENTS)
    value = float(first.overall.set_index("client_id").at["acme", "index"])
    np.testing.assert_allclose(client_line(ax).get_xdata(), [value, value])
    row = first.benchmark.set_index(["client_id", "measure"]).loc[("acme", "index")]
    assert row["peer_group"] == "sector+size"
    assert format_ordinal(row["percentile"]) in client_line(ax).get_label()
    # The histogram shows the same peer group the percentile came from.
    peers = make_peers(40)
    pool = peers.loc[(peers["sector"] == "retail") & (peers["size_band"] == "small")]
    assert sum(p.get_height() for p in ax.patches) == len(pool) == row["n_peers"]
    assert ax.get_xlim() == (0, 100)
    ax = charts.benchmark_distribution(first, client_id="acme")  # without the clients table
    assert sum(p.get_height() for p in ax.patches) == 40
    ax = charts.benchmark_distribution(first, client_id="gamma", measure="quality")
    q = dims_of(first, "gamma", "2025-01-15").at["quality", "score"]
    np.testing.assert_allclose(client_line(ax).get_xdata(), [q, q])
    assert ax.get_xlim() == (1, small_rubric.n_levels)


def test_benchmark_suppressed_by_the_anonymity_floor(small_rubric, make_answers):
    answers = make_answers(small_rubric, ROWS)
    r = score(small_rubric, answers, clients=CLIENTS, peers=make_peers(8), anonymity_floor=10)
    ax = charts.benchmark_distribution(r, client_id="acme")
    assert not ax.patches  # no histogram: it would expose the few peers
    assert any("suppressed" in t.get_text() for t in ax.texts)
    index = float(r.overall.set_index("client_id").at["acme", "index"])
    np.testing.assert_allclose(client_line(ax).get_xdata(), [index, index])
    assert "percentile" not in client_line(ax).get_label()
    data = benchmark.benchmark_data(r, client_id="acme")
    assert data.suppressed
    assert data.n_peers < r.options.anonymity_floor


def test_benchmark_needs_peers(small_rubric, make_answers):
    r = score(small_rubric, make_answers(small_rubric, ROWS))
    with pytest.raises(ValueError, match="peers="):
        charts.benchmark_distribution(r, client_id="acme")


def test_benchmark_needs_a_known_measure(first):
    with pytest.raises(ValueError, match="measure must be one of"):
        charts.benchmark_distribution(first, client_id="acme", measure="nope")


def test_peer_index_matches_histogram_data(first, small_rubric):
    # Sanity check of the helper the histogram relies on.
    idx = peer_index(make_peers(40), small_rubric)
    assert idx.between(0, 100).all()


def test_benchmark_data_is_the_peer_group_of_the_percentile(first):
    data = benchmark.benchmark_data(first, client_id="acme", clients=CLIENTS)
    assert (data.client_id, data.peer_group, data.group_shown) == ("acme", *["sector+size"] * 2)
    assert data.limits == (0.0, 100.0)
    assert len(data.values) == data.n_peers
    assert np.isfinite(data.values).all()
    assert not data.suppressed
    everyone = benchmark.benchmark_data(first, client_id="acme")
    assert (everyone.peer_group, everyone.group_shown) == ("sector+size", "all")
    assert len(everyone.values) == 40
    quality = benchmark.benchmark_data(first, client_id="gamma", measure="quality")
    assert quality.limits == (1.0, 4.0)


@pytest.mark.parametrize(
    ("group", "client", "expected"),
    [
        ("all", "acme", 40),
        ("sector", "acme", 26),  # retail: two in three
        ("sector+size", "acme", 13),  # retail and small
        ("sector", "gamma", 14),  # bank
        ("sector", "unknown", 40),  # a client the table does not know: everyone
    ],
    ids=["all", "sector", "sector-size", "bank", "unknown-client"],
)
def test_peer_pool(group, client, expected):
    peers = make_peers(40)
    assert expected == len(benchmark.peer_pool(peers, group, client, CLIENTS))
    assert benchmark.peer_pool(peers, group, client, None) is peers


# -- portfolio -----------------------------------------------------------------------------------


def test_portfolio_one_bar_per_client(result, small_rubric):
    summary = result.summary()
    ax = charts.portfolio(summary, rubric=small_rubric)
    bars_ = ax.containers[0]
    assert len(bars_) == len(summary) == 3
    ordered = summary.sort_values("index", ascending=False)
    np.testing.assert_allclose([b.get_width() for b in bars_], ordered["index"])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(ordered["client_id"])
    want = [charts.level_color(v, small_rubric.n_levels) for v in ordered["level"]]
    assert [mpl.colors.to_hex(b.get_facecolor()) for b in bars_] == want
    texts = [t.get_text() for t in ax.texts]
    assert texts == [
        f"{format_number(i, 0)}  ({c} at L1)"
        for i, c in zip(ordered["index"], ordered["count_2007"], strict=True)
    ]
    # A result works as well, and a summary without a rubric still draws.
    assert len(charts.portfolio(result).containers[0]) == 3
    assert len(charts.portfolio(summary).containers[0]) == 3
    with pytest.raises(ValueError, match="summary"):
        charts.portfolio(summary.drop(columns="count_2007"))


def test_portfolio_rows_highest_index_first_ties_by_client(result):
    summary = result.summary()
    index = summary["client_id"].map({"acme": 50.0, "beta": 50.0, "gamma": np.nan})
    summary = summary.assign(index=index)
    rows = benchmark.portfolio_rows(summary.iloc[::-1])
    assert list(rows["client_id"]) == ["acme", "beta", "gamma"]  # unscored last
    with pytest.raises(ValueError, match="lacks columns"):
        benchmark.portfolio_rows(summary.drop(columns="level"))


def test_portfolio_still_accepts_a_positional_ax(result):
    ax = Figure().add_subplot()
    with pytest.warns(DeprecationWarning, match="ax=ax"):
        assert charts.portfolio(result, ax) is ax
