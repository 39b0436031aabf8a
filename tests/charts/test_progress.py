"""A client over time (:mod:`assessment.charts.progress`)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers.charts import draw

from assessment import charts
from assessment.charts import progress
from assessment.charts.layout import level_label
from assessment.scoring import score
from assessment.text.numbers import format_number


def test_trend_index_across_dates(result, small_rubric):
    ax = charts.trend(result, client_id="acme")
    (line,) = [ln for ln in ax.lines if ln.get_gid() == "index"]
    want = result.overall.loc[result.overall["client_id"] == "acme"].sort_values("date")
    np.testing.assert_allclose(line.get_ydata(), want["index"])
    assert list(line.get_xdata()) == list(pd.to_datetime(want["date"]).to_numpy())
    ax = charts.trend(result, client_id="acme", show="both")
    # One y axis: no twin, the index drawn on the dimensions' level scale.
    assert ax.figure.axes == [ax]
    lines = {ln.get_gid(): ln for ln in ax.lines}
    assert set(lines) == {"index"} | {f"dimension:{d}" for d in small_rubric.dimension_table.index}
    quality = result.dimensions.query("client_id == 'acme' and dimension_id == 'quality'")
    np.testing.assert_allclose(
        lines["dimension:quality"].get_ydata(), quality.sort_values("date")["score"]
    )
    n = small_rubric.n_levels
    np.testing.assert_allclose(lines["index"].get_ydata(), 1 + (n - 1) * want["index"] / 100)
    assert ax.get_ylim() == (0.8, n + 0.2)
    # The index line and its value labels (still 0-100) sit above the dimension lines, and
    # each label has a box that keeps it readable.
    assert all(
        lines["index"].get_zorder() > ln.get_zorder() for g, ln in lines.items() if g != "index"
    )
    labels = [t for t in ax.texts if t.get_text()]
    assert [t.get_text() for t in labels] == [format_number(v, 0) for v in want["index"]]
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
    assert ax.figure.axes == [ax]  # one y axis
    for tick in ax.get_yticklabels():
        for line in tick.get_text().split("\n"):
            assert len(line) <= charts.TREND_LEVEL_WRAP or " " not in line, line
    # Everything still fits on the figure.
    fig_box = ax.figure.bbox
    for artist in [legend, *ax.get_yticklabels()]:
        box = artist.get_window_extent()
        assert box.x0 >= fig_box.x0 - 1
        assert box.x1 <= fig_box.x1 + 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_dimension_line_is_told_apart(lang):
    from assessment.inputs import answers_from_frame
    from assessment.rubric import load_rubric
    from assessment.samples import synthetic

    rubric = load_rubric("social-media")
    assert len(rubric.dimensions) >= 11  # the rubric six colours could not tell apart
    raw = synthetic.synthetic_answers(
        rubric, synthetic.random_profiles(rubric, 1, seed=5), date="2025-03-01", seed=2
    )
    ax = charts.trend(score(rubric, answers_from_frame(raw, rubric)), show="dimensions", lang=lang)
    lines = [ln for ln in ax.lines if str(ln.get_gid()).startswith("dimension:")]
    assert len(lines) == len(rubric.dimensions)
    looks = {(ln.get_color(), ln.get_marker(), ln.get_linestyle()) for ln in lines}
    assert len(looks) == len(lines)
    assert ax.figure.axes == [ax]
    # The legend shows each line's marker and line style, not just its colour.
    (legend,) = ax.figure.legends
    handles = legend.legend_handles
    assert {(h.get_color(), h.get_marker(), h.get_linestyle()) for h in handles} == looks
    # Level names on the one y axis, through the rubric's translations.
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        level_label(rubric, k, lang, charts.TREND_LEVEL_WRAP) for k in range(1, rubric.n_levels + 1)
    ]


def test_dimension_styles_are_distinct_for_any_rubric():
    looks = [tuple(progress.dimension_style(k).values()) for k in range(168)]
    assert len(set(looks)) == len(looks)
    # Colour and marker alone (a greyscale print keeps the marker) for the first 42.
    assert len({(c, m) for c, m, _ in looks[:42]}) == 42
    assert "#000000" not in {c for c, _, _ in looks}  # black is the index's
