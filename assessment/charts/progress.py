"""A client over time: the index and dimension scores across assessment dates.

:func:`trend_data` chooses what is drawn (the client, its dates in order, the dimensions);
:func:`trend` draws it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from assessment import text
from assessment.charts.layout import (
    axes_for,
    legend_below,
    legend_columns,
    level_label,
    rubric_text,
)
from assessment.charts.selection import select_assessment
from assessment.charts.theme import CATEGORICAL, OKABE_ITO, shape_text, style
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult
from assessment.text.numbers import format_number

__all__ = ["TREND_LEGEND_WRAP", "TREND_LEVEL_WRAP", "TrendData", "trend", "trend_data"]

#: Characters per line of a dimension name in the trend chart's legend.
TREND_LEGEND_WRAP = 28
#: Characters per line of a level name on the trend chart's right axis.
TREND_LEVEL_WRAP = 20


@dataclass(frozen=True)
class TrendData:
    """What :func:`trend` draws for one client, one entry per assessment date in order."""

    #: The client.
    client_id: str
    #: Assessment dates (``datetime64``), earliest first.
    dates: np.ndarray
    #: The index (0-100) at each date.
    index: np.ndarray
    #: Dimension scores: one row per date, one column per dimension asked for (NaN where a
    #: dimension was not scored).
    scores: pd.DataFrame


def trend_data(
    result: ScoreResult,
    *,
    client_id: str | None = None,
    dimensions: Sequence[str] | None = None,
) -> TrendData:
    """The series :func:`trend` draws; the parameters are its.

    Raises
    ------
    ValueError
        If the client is ambiguous or unknown, or a dimension id is not in the rubric.
    """
    rubric = result.rubric
    cid, _ = select_assessment(result, client_id, None)
    wanted = list(dimensions) if dimensions is not None else list(rubric.dimension_table.index)
    unknown = sorted(set(wanted) - set(rubric.dimension_table.index))
    if unknown:
        raise ValueError(f"unknown dimensions {unknown}")
    overall = result.overall.loc[result.overall["client_id"] == cid].sort_values("date")
    dims = result.dimensions.loc[result.dimensions["client_id"] == cid]
    wide = dims.pivot(index="date", columns="dimension_id", values="score")
    return TrendData(
        client_id=cid,
        dates=pd.to_datetime(overall["date"]).to_numpy(),
        index=overall["index"].to_numpy(dtype=float),
        scores=wide.reindex(index=overall["date"], columns=wanted),
    )


def trend(
    result: ScoreResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    client_id: str | None = None,
    show: Literal["index", "dimensions", "both"] = "index",
    dimensions: Sequence[str] | None = None,
) -> Axes:
    """A client's index and/or dimension scores across its assessment dates.

    Parameters
    ----------
    result
        A scored result with one or more assessments of the client.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    client_id
        The client; defaults to the only one.
    show
        ``"index"`` (0-100), ``"dimensions"`` (scores on ``1..n``), or ``"both"`` (dimension
        scores on a twin y axis at the right).
    dimensions
        Dimension ids to draw (default all).

    Returns
    -------
    matplotlib.axes.Axes
        The main Axes.  The index line has gid ``"index"``; a dimension line has gid
        ``"dimension:<id>"`` (on the twin Axes when ``show="both"``).  Points are in date order.

    Raises
    ------
    ValueError
        If ``show`` is unknown, the client is ambiguous or unknown, or a dimension id is not
        in the rubric.
    """
    if show not in ("index", "dimensions", "both"):
        raise ValueError(f"show must be 'index', 'dimensions' or 'both'; got {show!r}")
    data = trend_data(result, client_id=client_id, dimensions=dimensions)
    rubric = result.rubric

    with style(lang):
        own_figure = ax is None
        index_label = shape_text(text.label("chart.index", lang), lang)
        # Wrapped, so that a rubric's dimensions share the legend's rows in two or three
        # columns instead of one long column under the plot.
        dim_labels = {
            d: shape_text(rubric_text(rubric.dimension(d).name, lang, TREND_LEGEND_WRAP), lang)
            for d in data.scores.columns
        }
        entries = ([index_label] if show != "dimensions" else []) + (
            list(dim_labels.values()) if show != "index" else []
        )
        # The legend can list every dimension: the figure grows by its rows, not the plot.
        rows = math.ceil(len(entries) / legend_columns(entries))
        ax = axes_for(ax, 2.6 + 0.18 * rows)
        dim_ax = ax
        if show in ("index", "both"):
            _plot_index(ax, data, index_label)
            if show == "both":
                dim_ax = ax.twinx()
                dim_ax.spines["right"].set_visible(True)
        if show in ("dimensions", "both"):
            _plot_dimensions(dim_ax, rubric, data, dim_labels, lang)
            if dim_ax is not ax:
                # A twin is drawn over its parent: lift the index line and its labels above
                # the dimension lines (with a transparent background, so they stay visible).
                ax.set_zorder(dim_ax.get_zorder() + 1)
                ax.patch.set_visible(False)
        locator = mdates.AutoDateLocator(minticks=2, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel(shape_text(text.label("assessment_date", lang), lang))
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        handles, labels = ax.get_legend_handles_labels()
        if dim_ax is not ax:
            more = dim_ax.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        legend_below(ax, own_figure, handles, labels, -0.2)
    return ax


def _plot_index(ax: Axes, data: TrendData, label: str) -> None:
    """The index line on a 0-100 axis, each point labelled with its value."""
    x, idx = data.dates, data.index
    ax.plot(x, idx, color="black", marker="o", linewidth=2.4, label=label, gid="index")
    for xi, yi in zip(x, idx, strict=True):
        if np.isfinite(yi):
            ax.annotate(
                format_number(yi, 0),
                (xi, yi),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
                # readable over the dimension lines it may sit on
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
            )
    ax.set_ylim(0, 100)
    ax.set_ylabel(label)


def _plot_dimensions(
    ax: Axes, rubric: Rubric, data: TrendData, labels: Mapping[str, str], lang: str
) -> None:
    """One line per dimension on the level scale, level names on the y axis."""
    n = rubric.n_levels
    markers = ["o", "s", "^", "D", "v", "P"]
    # Black is the index's colour; a dimension keeps its colour across clients because it
    # follows the rubric order, with a new marker once the colours run out.
    palette = [c for c in CATEGORICAL if c != OKABE_ITO["black"]]
    for d in data.scores.columns:
        pos = int(rubric.dimension_table.at[d, "order"])
        ax.plot(
            data.dates,
            data.scores[d].to_numpy(dtype=float),
            color=palette[pos % len(palette)],
            marker=markers[(pos // len(palette)) % len(markers)],
            linewidth=1.2,
            alpha=0.9,
            label=labels[d],
            gid=f"dimension:{d}",
        )
    ax.set_ylim(0.8, n + 0.2)
    ax.set_yticks(
        range(1, n + 1),
        # Wrapped: unwrapped, long level names took a third of the figure's width.
        [level_label(rubric, lvl, lang, TREND_LEVEL_WRAP) for lvl in range(1, n + 1)],
    )
    ax.set_ylabel(shape_text(text.label("chart.score", lang), lang))
