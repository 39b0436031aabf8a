"""The indicator heatmap and respondent agreement (:mod:`assessment.charts.indicators`)."""

from __future__ import annotations

import matplotlib.colors
import numpy as np
import pytest
from helpers.charts import draw
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar

from assessment import charts, text
from assessment.charts import indicators
from assessment.rubric import translate
from assessment.text.numbers import format_compact

# -- heatmap -------------------------------------------------------------------------------------


def test_heatmap_is_the_level_matrix(first, small_rubric):
    ax = charts.indicator_heatmap(first)
    ind = first.indicators
    want = (
        ind.pivot(index="indicator_id", columns="client_id", values="level")
        .reindex(index=small_rubric.indicator_table.index, columns=["acme", "beta", "gamma"])
        .to_numpy(dtype=float)
    )
    got = ax.images[0].get_array()
    np.testing.assert_array_equal(np.ma.filled(got.astype(float), np.nan), want)
    status = ind.set_index(["indicator_id", "client_id"])["status"]
    assert status[("dq_incidents_per_month", "acme")] == "na"
    assert status[("catalogue_coverage_pct", "beta")] == "missing"
    gids = [p.get_gid() for p in ax.patches]
    assert gids.count("na") == int((status == "na").sum())
    assert gids.count("missing") == int((status == "missing").sum())
    hatches = {p.get_gid(): p.get_hatch() for p in ax.patches}
    assert hatches["na"] != hatches["missing"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["acme", "beta", "gamma"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        translate(i.name) for _, i in small_rubric.iter_indicators()
    ]
    cells = {t.get_text() for t in ax.texts}
    assert {"N/A", "?"} <= cells


def test_heatmap_columns_name_dates_when_a_client_has_several(result):
    ax = charts.indicator_heatmap(result, annotate=False)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels == ["acme\n2025-01-15", "acme\n2025-07-15", "beta", "gamma"]
    assert ax.images[0].get_array().shape == (4, 4)
    assert not [t for t in ax.texts if t.get_text() in {"N/A", "?"}]


def test_heatmap_by_respondent(first, small_rubric):
    ax = charts.indicator_heatmap(first, by="respondent", client_id="acme")
    got = np.ma.filled(ax.images[0].get_array().astype(float), np.nan)
    # Columns ann, bob, cat; rows in rubric order.
    want = np.array(
        [
            [1, 3, 4],
            [np.nan, np.nan, np.nan],  # ann: NA; bob, cat: not asked (measured)
            [4, 4, 4],
            [3, np.nan, np.nan],  # 70 % -> level 3
        ]
    )
    np.testing.assert_array_equal(got, want)
    gids = [p.get_gid() for p in ax.patches]
    assert gids.count("na") == 1
    assert gids.count("missing") == 4
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ann", "bob", "cat"]
    with pytest.raises(ValueError, match="by must be"):
        charts.indicator_heatmap(first, by="nonsense")  # type: ignore[arg-type]


def test_heatmap_data_is_levels_and_states_in_rubric_order(first, small_rubric):
    levels, states = indicators.heatmap_data(first, by="respondent", client_id="acme")
    assert list(levels.index) == list(small_rubric.indicator_table.index)
    assert list(levels.columns) == list(states.columns) == ["ann", "bob", "cat"]
    assert states.loc["dq_incidents_per_month"].tolist() == ["na", "missing", "missing"]
    assert states.loc["dq_checks"].tolist() == ["", "", ""]
    assert levels.loc["dq_checks"].tolist() == [1.0, 3.0, 4.0]
    levels, states = indicators.heatmap_data(first)
    assert list(levels.columns) == ["acme", "beta", "gamma"]
    assert states.at["catalogue_coverage_pct", "beta"] == "missing"
    assert np.isnan(levels.at["catalogue_coverage_pct", "beta"])


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        (["a", "a", "b", "b", "b", "c"], [0, 2, 5, 6]),
        (["a"], [0, 1]),
        ([], [0, 0]),
    ],
    ids=["three-dimensions", "one-row", "none"],
)
def test_dimension_bounds(groups, expected):
    assert expected == indicators.dimension_bounds(groups)


# -- agreement -----------------------------------------------------------------------------------


def collection(ax: Axes, gid: str):
    (found,) = [c for c in ax.collections if c.get_gid() == gid]
    return found


def test_agreement_marks_hotspots(first):
    ind = first.indicators.set_index(["client_id", "indicator_id"]).loc["acme"]
    assert bool(ind.at["dq_checks", "hotspot"])
    ax = charts.agreement(first, client_id="acme")
    shown = ["dq_checks", "owner_named", "catalogue_coverage_pct"]  # the N/A one has no dots
    assert len(ax.get_yticklabels()) == len(shown)
    hot = collection(ax, "hotspots").get_offsets()
    assert len(hot) == int(ind.loc[shown, "hotspot"].sum()) == 1
    assert hot[0][1] == 0  # the first row: dq_checks
    medians = collection(ax, "indicator_level").get_offsets()
    np.testing.assert_allclose(medians[:, 0], ind.loc[shown, "level"])
    dots = collection(ax, "respondents").get_offsets()
    assert sorted(map(tuple, dots.tolist())) == [(1, 0), (3, 0), (3, 2), (4, 0), (4, 1)]
    rwg = [t.get_text() for t in ax.texts if t.get_gid() == "rwg"]
    assert rwg[0] == format_compact(ind.at["dq_checks", "rwg"])
    assert rwg[2] == "–"  # one respondent: r_wg undefined


@pytest.mark.parametrize("hotspots_only", [False, True])
def test_agreement_rwg_column_has_one_header_and_a_number_per_row(first, hotspots_only):
    ax = charts.agreement(first, client_id="acme", hotspots_only=hotspots_only)
    (header,) = [t for t in ax.texts if t.get_gid() == "rwg_header"]
    assert header.get_text() == r"$r_{wg}$"
    values = [t for t in ax.texts if t.get_gid() == "rwg"]
    assert len(values) == len(ax.get_yticklabels())
    # one number per row, top down, plain text: the header is the only mathtext
    assert [t.get_position()[1] for t in values] == list(range(len(values)))
    assert all("$" not in t.get_text() for t in values)
    # the header sits above the first row, in the same column
    assert header.get_position() == (values[0].get_position()[0], -0.5)


def test_agreement_without_hotspots(first):
    ax = charts.agreement(first, client_id="beta")
    assert len(collection(ax, "hotspots").get_offsets()) == 0
    ax = charts.agreement(first, client_id="acme", hotspots_only=True)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Automated quality checks"]


def test_agreement_data_chooses_rows_counts_and_spread(first):
    data = indicators.agreement_data(first, client_id="acme")
    rows = data.rows
    assert list(rows.index) == ["dq_checks", "owner_named", "catalogue_coverage_pct"]
    assert rows["row"].tolist() == [0, 1, 2]
    assert rows["hotspot"].tolist() == [True, False, False]
    assert np.isnan(rows.at["catalogue_coverage_pct", "rwg"])  # one respondent
    counts = data.counts.set_index(["indicator_id", "level"])["count"]
    assert counts.to_dict() == {
        ("catalogue_coverage_pct", 3.0): 1,
        ("dq_checks", 1.0): 1,
        ("dq_checks", 3.0): 1,
        ("dq_checks", 4.0): 1,
        ("owner_named", 4.0): 3,
    }
    assert data.spread.loc["dq_checks", ["min", "max", "row"]].tolist() == [1.0, 4.0, 0]
    hot = indicators.agreement_data(first, client_id="acme", hotspots_only=True)
    assert list(hot.rows.index) == ["dq_checks"]
    assert set(hot.counts["indicator_id"]) == {"dq_checks"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_agreement_has_a_colorbar_of_the_level_colours(first, lang):
    ax = charts.agreement(first, client_id="acme", lang=lang)
    (cax,) = [a for a in ax.child_axes if a.get_gid() == "level_colorbar"]
    n = first.rubric.n_levels
    bar = cax._colorbar
    assert isinstance(bar, Colorbar)
    assert cax.get_ylabel() == charts.shape_text(text.label("chart.agreement.colorbar", lang), lang)
    # One cell per level, in the colours the dots are drawn in, and a tick on each.
    assert [int(t) for t in bar.get_ticks()] == list(range(1, n + 1))
    cells = [matplotlib.colors.to_hex(bar.cmap(bar.norm(k))) for k in range(1, n + 1)]
    assert cells == list(charts.level_colors(n))
    dots = collection(ax, "respondents").get_facecolors()
    assert {matplotlib.colors.to_hex(c) for c in dots} <= set(cells)
    # An inset, not a second figure Axes: the one-Axes layout still places the figure, and the
    # colorbar and its label stay on the page.
    assert ax.figure.axes == [ax]
    draw(ax)
    fig_box = ax.figure.bbox
    for box in (cax.get_tightbbox(), cax.yaxis.label.get_window_extent()):
        assert box.x1 <= fig_box.x1 + 1
