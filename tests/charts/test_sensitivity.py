"""Weight-sensitivity charts (:mod:`assessment.charts.sensitivity`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers.charts import draw
from matplotlib.axes import Axes

from assessment import charts
from assessment.charts import sensitivity as sensitivity_charts
from assessment.rubric import Rubric
from assessment.weights.influence import influence
from assessment.weights.sensitivity import Portfolio, one_at_a_time


def test_tornado_chart(sample_portfolio: Portfolio, rubric: Rubric):
    oat = one_at_a_time(sample_portfolio, step=0.2)
    ax = charts.tornado(oat, rubric=rubric)
    assert isinstance(ax, Axes)
    low = [p for p in ax.patches if p.get_gid() == "low"]
    high = [p for p in ax.patches if p.get_gid() == "high"]
    assert len(low) == len(high) == len(sample_portfolio.dimension_ids)
    rows = sensitivity_charts.tornado_rows(oat)
    # Top bar = most influential (y axis inverted: the first bar is at the top).
    assert high[0].get_width() == pytest.approx(rows["mean_abs_high"].iloc[0])
    assert "absolute" in ax.get_xlabel()
    assert "+20%" in ax.figure.legends[0].get_texts()[1].get_text()
    one = charts.tornado(oat, client_id="c01-fanous-souq")
    assert one.get_title(loc="left") == "c01-fanous-souq"
    with pytest.raises(ValueError, match="not in the one-at-a-time table"):
        charts.tornado(oat, client_id="nobody")


def test_level_probability_chart(sensitivity, rubric: Rubric):
    ax = charts.level_probability(sensitivity, rubric=rubric)
    probs = sensitivity.level_probabilities()
    for lvl in range(1, sensitivity.n_levels + 1):
        widths = [p.get_width() for p in ax.containers[lvl - 1]]
        np.testing.assert_allclose(widths, probs[lvl])
    (marker,) = [line for line in ax.lines if line.get_gid() == "baseline"]
    assert len(marker.get_xdata()) == len(probs)


def test_rank_stability_chart(sensitivity):
    ax = charts.rank_stability(sensitivity)
    (ranges,) = [c for c in ax.collections if c.get_gid() == "range"]
    segs = ranges.get_segments()
    np.testing.assert_allclose([s[0][0] for s in segs], sensitivity.clients["rank_p05"])
    np.testing.assert_allclose([s[1][0] for s in segs], sensitivity.clients["rank_p95"])
    assert "Kendall" in ax.get_title(loc="left")


def test_tornado_rows_most_influential_first(oat: pd.DataFrame):
    rows = sensitivity_charts.tornado_rows(oat)
    assert list(rows.columns) == ["mean_abs_low", "mean_abs_high", "mean_abs"]
    assert rows["mean_abs"].is_monotonic_decreasing
    assert list(rows.index) == list(influence(oat).index)  # the same order as the influence table
    one = sensitivity_charts.tornado_rows(oat, client_id="c01-fanous-souq")
    assert list(one.columns) == ["delta_low", "delta_high", "swing"]
    assert one["swing"].is_monotonic_decreasing
    np.testing.assert_allclose(one["swing"], (one["delta_high"] - one["delta_low"]).abs())
    mine = oat.loc[oat["client_id"] == "c01-fanous-souq"].set_index("dimension_id")
    np.testing.assert_allclose(one["delta_low"], mine.loc[one.index, "delta_low"])
    with pytest.raises(ValueError, match="lacks columns"):
        sensitivity_charts.tornado_rows(oat.drop(columns="weight"))


def _cancelling_oat() -> pd.DataFrame:
    """Two clients: x moves each by 2 points, in opposite directions; y moves both by 0.5."""
    rows = [
        ("a", "x", -2.0, 2.0),
        ("b", "x", 2.0, -2.0),
        ("a", "y", -0.5, 0.5),
        ("b", "y", -0.5, 0.5),
    ]
    oat = pd.DataFrame(rows, columns=["client_id", "dimension_id", "delta_low", "delta_high"])
    return oat.assign(weight=0.5)


def test_portfolio_tornado_ranks_by_mean_absolute_change_not_the_signed_mean():
    """Issue 17: averaged signed, x's rise and fall cancel and x would be drawn last, at 0."""
    oat = _cancelling_oat()
    signed = oat.groupby("dimension_id")[["delta_low", "delta_high"]].mean()
    assert signed.loc["x"].abs().max() == 0  # the premise: the signed mean hides x
    ax = charts.tornado(oat, lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x", "y"]
    low = [p.get_width() for p in ax.patches if p.get_gid() == "low"]
    high = [p.get_width() for p in ax.patches if p.get_gid() == "high"]
    assert low == pytest.approx([2.0, 0.5])
    assert high == pytest.approx([2.0, 0.5])
    assert "Mean absolute change" in ax.get_xlabel()
    assert "2 clients" in ax.get_xlabel()
    # One client keeps the signed view: its index falls when x's weight rises.
    one = charts.tornado(oat, client_id="b")
    assert [p.get_width() for p in one.patches if p.get_gid() == "high"] == pytest.approx(
        [-2.0, 0.5]
    )
    assert "absolute" not in one.get_xlabel()
    arabic = charts.tornado(oat, lang="ar")
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic.get_xlabel())


def test_baseline_marker_sits_in_the_current_level_segment(sensitivity):
    probs = sensitivity.level_probabilities()
    levels = sensitivity.clients.set_index("client_id").loc[probs.index, "level"].to_numpy(int)
    mid = sensitivity_charts.baseline_midpoints(probs, levels)
    cum = np.cumsum(probs.to_numpy(), axis=1)
    rows = np.arange(len(levels))
    start = np.where(levels > 1, cum[rows, np.maximum(levels - 2, 0)], 0.0)
    assert ((start <= mid) & (mid <= cum[rows, levels - 1])).all()


def test_without_a_rubric_levels_and_dimensions_are_numbers_and_ids(sensitivity, oat):
    ax = charts.level_probability(sensitivity)
    texts = [t.get_text() for t in ax.figure.legends[0].get_texts()]
    assert [f"L{k}" for k in range(1, sensitivity.n_levels + 1)] == [
        t for t in texts if t.startswith("L") and t[1:].isdigit()
    ]
    ax = charts.tornado(oat)
    assert {t.get_text() for t in ax.get_yticklabels()} == set(oat["dimension_id"])


@pytest.mark.parametrize("chart", ["tornado", "level_probability", "rank_stability"])
def test_sensitivity_charts_speak_arabic(chart, sensitivity, oat, rubric):
    draws = {
        "tornado": lambda: charts.tornado(oat, rubric=rubric, lang="ar"),
        "level_probability": lambda: charts.level_probability(sensitivity, lang="ar"),
        "rank_stability": lambda: charts.rank_stability(sensitivity, lang="ar"),
    }
    ax = draws[chart]()
    draw(ax)
    legend = ax.figure.legends[0].get_texts()
    for text in [ax.xaxis.label, *legend]:
        assert any("\u0600" <= ch <= "\u06ff" for ch in text.get_text()), text.get_text()
