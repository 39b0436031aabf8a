"""A client over time (:mod:`assessment.charts.progress`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers.charts import draw

from assessment import charts
from assessment.charts import progress
from assessment.scoring import score


def test_trend_index_across_dates(result, small_rubric):
    ax = charts.trend(result, client_id="acme")
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "index"]
    want = result.overall.loc[result.overall["client_id"] == "acme"].sort_values("date")
    np.testing.assert_allclose(line.get_ydata(), want["index"])
    assert list(line.get_xdata()) == list(pd.to_datetime(want["date"]).to_numpy())
    ax = charts.trend(result, client_id="acme", show="both")
    twin = [a for a in ax.figure.axes if a is not ax]
    assert len(twin) == 1
    dim_lines = {ln.get_gid(): ln for ln in twin[0].lines}
    assert set(dim_lines) == {f"dimension:{d}" for d in small_rubric.dimension_table.index}
    quality = result.dimensions.query("client_id == 'acme' and dimension_id == 'quality'")
    np.testing.assert_allclose(
        dim_lines["dimension:quality"].get_ydata(), quality.sort_values("date")["score"]
    )
    # The index line and its value labels are drawn above the twin's dimension lines, on a
    # transparent background, and each label has a box that keeps it readable.
    assert ax.get_zorder() > twin[0].get_zorder()
    assert not ax.patch.get_visible()
    labels = [t for t in ax.texts if t.get_text()]
    assert len(labels) == len(want)
    assert all(t.get_bbox_patch() is not None for t in labels)
    ax = charts.trend(result, client_id="acme", show="dimensions", dimensions=["ownership"])
    assert [ln.get_gid() for ln in ax.lines] == ["dimension:ownership"]
    with pytest.raises(ValueError, match="show must be"):
        charts.trend(result, client_id="acme", show="all")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown dimensions"):
        charts.trend(result, client_id="acme", dimensions=["nope"])


def test_trend_data_is_in_date_order(result):
    data = progress.trend_data(result, client_id="acme", dimensions=["ownership"])
    assert data.client_id == "acme"
    assert list(data.dates) == list(pd.to_datetime(["2025-01-15", "2025-07-15"]).to_numpy())
    want = result.overall.loc[result.overall["client_id"] == "acme"].sort_values("date")
    np.testing.assert_allclose(data.index, want["index"])
    assert list(data.scores.columns) == ["ownership"]
    assert list(data.scores.index) == ["2025-01-15", "2025-07-15"]
    with pytest.raises(ValueError, match="unknown dimensions"):
        progress.trend_data(result, client_id="acme", dimensions=["nope"])
    with pytest.raises(ValueError, match="client_id="):
        progress.trend_data(result)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_trend_legend_shares_rows_and_level_names_wrap(lang):
    from assessment.inputs import answers_from_frame
    from assessment.rubric import load_rubric
    from assessment.samples import synthetic

    rubric = load_rubric("social-media")
    profiles = synthetic.random_profiles(rubric, 1, seed=3)
    raw = pd.concat(
        [
            synthetic.synthetic_answers(rubric, profiles, date=date, seed=k)
            for k, date in enumerate(("2024-03-01", "2025-03-01"))
        ]
    )
    ax = charts.trend(score(rubric, answers_from_frame(raw, rubric)), show="both", lang=lang)
    draw(ax)
    (legend,) = ax.figure.legends
    assert len(legend.get_texts()) == len(rubric.dimensions) + 1  # the index and each dimension
    columns = {round(t.get_window_extent().x0) for t in legend.get_texts()}
    assert len(columns) >= 2  # 12 entries in one column made the figure twice as tall
    twin = next(a for a in ax.figure.axes if a is not ax)
    for tick in twin.get_yticklabels():
        for line in tick.get_text().split("\n"):
            assert len(line) <= charts.TREND_LEVEL_WRAP or " " not in line, line
    # Everything still fits on the figure.
    fig_box = ax.figure.bbox
    for artist in [legend, *twin.get_yticklabels()]:
        box = artist.get_window_extent()
        assert box.x0 >= fig_box.x0 - 1
        assert box.x1 <= fig_box.x1 + 1
