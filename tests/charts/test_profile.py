"""The radar and the priority bars (:mod:`assessment.charts.profile`)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from helpers.charts import dims_of, draw
from matplotlib.figure import Figure
from matplotlib.projections.polar import PolarAxes

from assessment import charts
from assessment.charts import profile
from assessment.rubric import load_rubric, translate
from assessment.text.numbers import format_compact

# -- radar ---------------------------------------------------------------------------------------


def test_radar_lines_are_the_scores_closed(result, small_rubric):
    targets = {"baseline": {"quality": 3.0, "ownership": 3.0}, "stretch": {"quality": 4.0}}
    peer = {"quality": 2.2, "ownership": 2.9}
    ax = charts.radar(result, client_id="acme", targets=targets, peer_median=peer)
    assert isinstance(ax, PolarAxes)
    assert len(ax.lines) == 1 + len(targets) + 1
    dims = dims_of(result, "acme", "2025-07-15")  # latest assessment by default
    ids = list(small_rubric.dimension_table.index)
    want = [dims.at[d, "score"] for d in ids]
    current = ax.lines[0]
    np.testing.assert_allclose(current.get_ydata(), [*want, want[0]])
    theta = current.get_xdata()
    assert len(theta) == len(ids) + 1
    assert theta[0] == theta[-1]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [3.0, 3.0, 3.0])
    np.testing.assert_allclose(ax.lines[2].get_ydata(), [4.0, np.nan, 4.0])  # unlisted: gap
    np.testing.assert_allclose(ax.lines[3].get_ydata(), [2.2, 2.9, 2.2])
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == [translate(d.name) for d in small_rubric.dimensions]
    assert ax.get_ylim() == (0, small_rubric.n_levels)
    assert [t.get_text() for t in ax.yaxis.get_ticklabels()] == ["1", "2", "3", "4"]


def test_radar_defaults_to_own_target_and_benchmark_median(first):
    ax = charts.radar(first, client_id="beta", date="2025-01-15")
    assert len(ax.lines) == 3  # current, the assessment's profile, peer median
    dims = dims_of(first, "beta", "2025-01-15")
    np.testing.assert_allclose(ax.lines[1].get_ydata()[:-1], dims["target"])
    bench = first.benchmark
    median = bench.loc[bench["client_id"] == "beta"].set_index("measure")["peer_median"]
    np.testing.assert_allclose(ax.lines[2].get_ydata()[:-1], median[["quality", "ownership"]])
    labels = ax.figure.legends[0].get_texts()
    assert "Baseline" in labels[1].get_text() or "baseline" in labels[1].get_text()
    assert len(charts.radar(first, client_id="beta", targets={}, peer_median={}).lines) == 1


def test_radar_and_gap_bars_from_a_dimensions_table(result, small_rubric):
    dims = result.dimensions
    with pytest.raises(ValueError, match="several assessments"):
        charts.radar(dims, small_rubric)
    ax = charts.radar(dims, small_rubric, client_id="acme", date="2025-01-15")
    want = dims_of(result, "acme", "2025-01-15")
    assert len(ax.lines) == 2  # current and the table's own target
    np.testing.assert_allclose(ax.lines[0].get_ydata()[:-1], want["score"])
    np.testing.assert_allclose(ax.lines[1].get_ydata()[:-1], want["target"])
    one = dims.loc[(dims["client_id"] == "beta")]
    ax = charts.gap_bars(one, small_rubric)
    expected = one.sort_values(["priority", "order"], ascending=[False, True])["priority"]
    np.testing.assert_allclose([b.get_width() for b in ax.containers[0]], expected)
    with pytest.raises(ValueError, match="rubric="):
        charts.gap_bars(one)


def test_radar_from_a_mapping_and_bad_axes(small_rubric):
    ax = charts.radar({"quality": 2.5, "ownership": 1.0}, small_rubric)
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [2.5, 1.0, 2.5])
    assert len(ax.lines) == 1
    with pytest.raises(ValueError, match="rubric="):
        charts.radar({"quality": 2.5})
    with pytest.raises(ValueError, match="polar"):
        charts.radar({"quality": 2.5}, small_rubric, ax=Figure().add_subplot())


def test_radar_data_chooses_the_polygons(first, small_rubric):
    data = profile.radar_data(first, client_id="beta", date="2025-01-15")
    dims = dims_of(first, "beta", "2025-01-15")
    assert data.rubric is first.rubric
    assert data.label == "beta"
    np.testing.assert_allclose(data.current, dims["score"])
    ((name, target),) = data.targets
    assert name.startswith("Target: ")
    np.testing.assert_allclose(target, dims["target"])
    assert data.peer_median is not None
    assert len(data.peer_median) == len(small_rubric.dimension_table)
    plain = profile.radar_data({"ownership": 2.0}, small_rubric, lang="ar")
    assert plain.label == "الوضع الحالي"  # "Current" from the label table
    np.testing.assert_allclose(plain.current, [np.nan, 2.0])  # rubric order, NaN if absent
    assert plain.targets == ()
    assert plain.peer_median is None
    assert profile.radar_data(first, client_id="beta", peer_median={}).peer_median is None


@pytest.mark.parametrize(
    ("angle", "expected"),
    [(0.0, 26), (math.pi, 26), (math.pi / 2, 16), (math.pi / 3, 21)],
    ids=["top", "bottom", "side", "between"],
)
def test_spoke_labels_wrap_wider_towards_top_and_bottom(angle, expected):
    assert expected == profile.spoke_wrap(16, angle)
    assert profile.spoke_wrap(None, angle) is None


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_radar_labels_wrap_wider_at_top_and_bottom(lang):
    rubric = load_rubric("social-media")
    scores = {d.id: 3.0 for d in rubric.dimensions}
    ax = charts.radar(scores, rubric=rubric, lang=lang, wrap=16)
    draw(ax)
    labels = ax.get_xticklabels()
    # The longest name (community care) sits near six o'clock: three lines, not five.
    assert max(t.get_text().count("\n") + 1 for t in labels) <= 3
    for text, angle in zip(labels, ax.get_xticks(), strict=True):
        # At the sides (|cos| ~ 0) names keep the narrow wrap; at the top and bottom, 1.6x.
        limit = 16 * (1 + 0.6 * abs(np.cos(angle))) + 0.5
        assert all(len(line) <= limit or " " not in line for line in text.get_text().split("\n"))
    page = ax.figure.bbox
    for text in labels:
        box = text.get_window_extent()
        assert page.x0 - 1 <= box.x0
        assert box.x1 <= page.x1 + 1


# -- gaps ----------------------------------------------------------------------------------------


def test_gap_bars_sorted_by_priority(first, small_rubric):
    ax = charts.gap_bars(first, client_id="beta")
    dims = dims_of(first, "beta", "2025-01-15")
    order = dims.assign(o=dims["order"]).sort_values(["priority", "o"], ascending=[False, True])
    bars = ax.containers[0]
    np.testing.assert_allclose([b.get_width() for b in bars], order["priority"])
    names = {d.id: translate(d.name) for d in small_rubric.dimensions}
    assert [t.get_text() for t in ax.get_yticklabels()] == [names[d] for d in order.index]
    texts = [t.get_text() for t in ax.texts]
    assert texts == [f"gap {format_compact(g)}" for g in order["gap"]]
    assert ax.yaxis_inverted()  # highest priority on top


def test_gap_bars_against_another_profile(first):
    ax = charts.gap_bars(first, client_id="gamma", profile={"quality": 4, "ownership": 4})
    want = first.gaps_against({"quality": 4, "ownership": 4})
    want = want.loc[want["client_id"] == "gamma"].sort_values("priority", ascending=False)
    np.testing.assert_allclose([b.get_width() for b in ax.containers[0]], want["priority"])


def test_gap_rows_put_unscored_dimensions_last(first, small_rubric):
    dims = dims_of(first, "beta", "2025-01-15").reset_index()
    dims.loc[dims["dimension_id"] == "quality", ["priority", "gap"]] = np.nan
    rows = profile.gap_rows(dims, small_rubric)
    assert list(rows["dimension_id"]) == ["ownership", "quality"]
    assert list(rows["order"]) == [1, 0]
    with pytest.raises(ValueError, match="profile= needs a ScoreResult"):
        profile.gap_rows(dims, small_rubric, profile={"quality": 4})
    ax = charts.gap_bars(dims, small_rubric)
    names = [t.get_text() for t in ax.get_yticklabels()]
    assert names[-1] == translate(small_rubric.dimension("quality").name)
    assert np.isnan(ax.containers[0][-1].get_width())


def test_gap_rows_break_ties_in_rubric_order(first, small_rubric):
    dims = dims_of(first, "gamma", "2025-01-15").reset_index().assign(priority=1.0)
    rows = profile.gap_rows(dims.iloc[::-1], small_rubric)
    assert list(rows["dimension_id"]) == list(small_rubric.dimension_table.index)
