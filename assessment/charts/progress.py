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

__all__ = [
    "TREND_LEGEND_WRAP",
    "TREND_LEVEL_WRAP",
    "TrendData",
    "dimension_style",
    "trend",
    "trend_data",
]

#: Characters per line of a dimension name in the trend chart's legend.
TREND_LEGEND_WRAP = 28
#: Characters per line of a level name on the trend chart's y axis.
TREND_LEVEL_WRAP = 20

# Dimension lines: black is the index's colour and Okabe-Ito yellow vanishes as a thin line on
# white, so six colours; seven markers (coprime with six, so colour and marker together
# repeat only after 42 dimensions) and four line styles (changing every six dimensions, so the
# triple repeats only after 168).
_DIMENSION_COLORS = tuple(
    c for c in CATEGORICAL if c not in (OKABE_ITO["black"], OKABE_ITO["yellow"])
)
_DIMENSION_MARKERS = ("o", "s", "^", "D", "v", "P", "X")
_DIMENSION_LINESTYLES = ("-", "--", ":", "-.")


def dimension_style(position: int) -> dict[str, str]:
    """The colour, marker and line style of the dimension at ``position`` in the rubric order.

    Parameters
    ----------
    position
        The dimension's ``order`` in the rubric (0 for the first).

    Returns
    -------
    dict
        ``color``, ``marker`` and ``linestyle`` keyword arguments for ``Axes.plot``.  No two
        of the first 168 positions share all three, and no two of the first 42 share colour
        and marker, so every dimension of a rubric is told apart even in greyscale; a
        dimension keeps its style for every client, because it follows the rubric order.

    Examples
    --------
    >>> dimension_style(0) == dimension_style(6)
    False
    """
    k = len(_DIMENSION_COLORS)
    return {
        "color": _DIMENSION_COLORS[position % k],
        "marker": _DIMENSION_MARKERS[position % len(_DIMENSION_MARKERS)],
        "linestyle": _DIMENSION_LINESTYLES[(position // k) % len(_DIMENSION_LINESTYLES)],
    }


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
        ``"index"`` (0-100), ``"dimensions"`` (scores on ``1..n``), or ``"both"`` (both on
        the one ``1..n`` level axis: the index is ``100 (S - 1) / (n - 1)`` of the weighted
        score ``S``, so its line is drawn at ``S`` and its points are labelled 0-100).
    dimensions
        Dimension ids to draw (default all).

    Returns
    -------
    matplotlib.axes.Axes
        The only Axes (no twin).  The index line has gid ``"index"``; a dimension line has gid
        ``"dimension:<id>"`` and the style of :func:`dimension_style`.  Points are in date
        order.

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
        if show in ("dimensions", "both"):
            _plot_dimensions(ax, rubric, data, dim_labels, lang)
        if show in ("index", "both"):
            # One y axis, not a twin: two scales on one plot invite reading a crossing of
            # lines as meaningful.  With the dimensions, the index goes on their level scale
            # (the scale the level names describe, where it is exactly the weighted score),
            # keeping its 0-100 value in the point labels; alone, it keeps its own 0-100 axis.
            _plot_index(ax, data, index_label, rubric.n_levels if show == "both" else None)
        locator = mdates.AutoDateLocator(minticks=2, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel(shape_text(text.label("assessment_date", lang), lang))
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        handles, labels = ax.get_legend_handles_labels()
        if show == "both":
            # The index first in the legend, as it was drawn last (on top of the dimensions).
            handles, labels = handles[-1:] + handles[:-1], labels[-1:] + labels[:-1]
        legend_below(ax, own_figure, handles, labels, -0.2)
    return ax


def _plot_index(ax: Axes, data: TrendData, label: str, n_levels: int | None) -> None:
    """The index line, each point labelled with its 0-100 value.

    On a 0-100 axis of its own when ``n_levels`` is None, else at the weighted score
    ``1 + (n_levels - 1) index / 100`` on the dimensions' level axis.
    """
    x, idx = data.dates, data.index
    y = idx if n_levels is None else 1.0 + (n_levels - 1) * idx / 100.0
    ax.plot(x, y, color="black", marker="o", linewidth=2.4, label=label, gid="index", zorder=3)
    for xi, yi, value in zip(x, y, idx, strict=True):
        if np.isfinite(yi):
            ax.annotate(
                format_number(value, 0),
                (xi, yi),
                textcoords="offset points",
                xytext=(0, 6),
                ha="center",
                fontsize=7,
                # readable over the dimension lines it may sit on
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                zorder=4,
            )
    if n_levels is None:
        ax.set_ylim(0, 100)
        ax.set_ylabel(label)


def _plot_dimensions(
    ax: Axes, rubric: Rubric, data: TrendData, labels: Mapping[str, str], lang: str
) -> None:
    """One line per dimension on the level scale, level names on the y axis."""
    n = rubric.n_levels
    for d in data.scores.columns:
        pos = int(rubric.dimension_table.at[d, "order"])
        ax.plot(
            data.dates,
            data.scores[d].to_numpy(dtype=float),
            **dimension_style(pos),
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
