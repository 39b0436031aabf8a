"""Figures, FitLayout, legends and wrapping (:mod:`assessment.charts.layout`)."""

from __future__ import annotations

from typing import Any

import matplotlib as mpl
import numpy as np
import pytest
from helpers.charts import CLIENTS, all_charts
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from assessment import charts
from assessment.charts import layout

LAID_OUT = ["gap_bars", "heatmap", "agreement", "benchmark", "trend", "staffing", "portfolio"]


def laid_out(fig: Figure, engine: Any, dpi: float = 100) -> Any:
    """Run ``engine`` on ``fig`` at ``dpi`` and return the renderer it measured with."""
    fig.dpi = dpi
    with charts.style():
        engine.execute(fig)
    return fig.canvas.get_renderer()


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize("name", LAID_OUT)
def test_fit_layout_keeps_every_label_and_the_legend_on_the_page(name, lang, staffing, request):
    data = request.getfixturevalue("result" if lang == "en" else "arabic_result")
    fig = all_charts(data, staffing)[name](lang=lang).figure
    engine = fig.get_layout_engine()
    assert isinstance(engine, charts.FitLayout)
    renderer = laid_out(fig, engine)
    page = fig.bbox.padded(0.5)  # half a pixel of rounding
    decorations = [ax.get_tightbbox(renderer) for ax in fig.axes]
    for box in [*decorations, *(legend.get_window_extent(renderer) for legend in fig.legends)]:
        assert page.x0 <= box.x0, "a label sticks out on the left"
        assert box.x1 <= page.x1, "a label sticks out on the right"
        assert page.y0 <= box.y0, "a label sticks out at the bottom"
        assert box.y1 <= page.y1, "a label sticks out at the top"
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        # below everything the Axes draw (tick labels, axis label), not over it
        assert all(box.y1 <= d.y0 + 0.5 for d in decorations)
    # The same room as constrained layout would give (within a few pixels).
    mine = fig.axes[0].get_position().transformed(fig.transFigure)
    laid_out(fig, ConstrainedLayoutEngine(h_pad=3 / 72, w_pad=3 / 72))
    theirs = fig.axes[0].get_position().transformed(fig.transFigure)
    np.testing.assert_allclose(mine.extents, theirs.extents, atol=12)


def test_fit_layout_hands_other_figures_to_constrained_layout(first, monkeypatch):
    handed: list[Figure] = []
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda self, fig: handed.append(fig))
    ax = charts.gap_bars(first, client_id="acme")
    fig = ax.figure
    laid_out(fig, fig.get_layout_engine())
    assert handed == []
    fig.colorbar(mpl.cm.ScalarMappable(), ax=ax)  # a caller adds a colorbar
    laid_out(fig, fig.get_layout_engine())
    assert handed == [fig]
    other = charts.benchmark_distribution(first, client_id="acme", clients=CLIENTS).figure
    other.legend(loc="upper right")  # a legend the engine does not know where to keep
    laid_out(other, other.get_layout_engine())
    assert handed == [fig, other]


def test_new_axes_sizes_a_report_figure_without_pyplot():
    ax = layout.new_axes(1.0)
    assert tuple(ax.figure.get_size_inches()) == (charts.REPORT_WIDTH, 2.0)  # at least 2 in
    assert isinstance(ax.figure.get_layout_engine(), charts.FitLayout)
    assert tuple(layout.new_axes(50.0).figure.get_size_inches()) == (charts.REPORT_WIDTH, 20.0)
    polar = layout.new_axes(5.5, polar=True)
    assert polar.name == "polar"
    assert polar.figure.get_layout_engine() is None  # fixed margins


def test_axes_for_keeps_a_callers_axes_and_checks_polar():
    ax = Figure().add_subplot()
    assert layout.axes_for(ax, 3.0) is ax
    with pytest.raises(ValueError, match="polar"):
        layout.axes_for(ax, 3.0, polar=True)


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["Current", "Target", "Peer median"], 3),
        (["x" * 60, "y"], 1),
        (["a\n" + "x" * 60], 1),  # the longest line counts, not the whole label
        ([], 1),
    ],
    ids=["short", "long", "multi-line", "empty"],
)
def test_legend_columns_fit_the_page(labels, expected):
    assert expected == layout.legend_columns(labels)


def test_legend_below_a_callers_axes_is_an_axes_legend():
    ax = Figure().add_subplot()
    (line,) = ax.plot([0, 1], label="a")
    layout.legend_below(ax, False, [line], ["a"], -0.2)
    assert ax.get_legend() is not None
    assert not ax.figure.legends


def test_wrapping_keeps_words_whole():
    assert layout.wrap_text("Community management", None) == "Community management"
    assert layout.wrap_text("Community management", 5) == "Community\nmanagement"
    assert layout.rubric_text({"en": "Data quality", "ar": "جودة البيانات"}, "ar") == (
        "جودة البيانات"
    )


def test_level_label_is_number_and_name(small_rubric):
    assert layout.level_label(small_rubric, 1, "en") == f"1 {small_rubric.level_name(1, 'en')}"


def test_keyword_ax_still_accepts_a_positional_ax_with_a_warning():
    def chart(data: Any, *, ax: Axes | None = None, lang: str = "en") -> Axes:
        assert ax is not None
        ax.set_title(f"{data} {lang}")
        return ax

    wrapped = layout.keyword_ax(chart)
    ax = Figure().add_subplot()
    assert wrapped("d", ax=ax, lang="ar").get_title() == "d ar"
    with pytest.warns(DeprecationWarning, match=r"chart\(data, ax=ax\)"):
        assert wrapped("d", ax) is ax
    with pytest.raises(TypeError, match="one positional argument"):
        wrapped("d", ax, "en")
    with pytest.raises(TypeError, match="one positional argument"):
        wrapped("d", ax, ax=ax)
