"""Views of weight sensitivity (:mod:`assessment.weights.sensitivity`).

The one-at-a-time tornado, each client's probability of every staged level under weight
uncertainty, and the stability of the client ranking.  :func:`tornado_rows` and
:func:`baseline_midpoints` choose what is drawn; :func:`tornado`, :func:`level_probability`
and :func:`rank_stability` draw it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from assessment import text
from assessment.charts.layout import axes_for, keyword_ax, legend_below, level_label, rubric_text
from assessment.charts.theme import OKABE_ITO, level_color, shape_text, style
from assessment.rubric import Rubric
from assessment.text.numbers import format_compact, format_number

if TYPE_CHECKING:  # type hints only: drawing needs none of the simulation code
    from assessment.weights.sensitivity import SensitivityResult

__all__ = [
    "baseline_midpoints",
    "level_probability",
    "rank_stability",
    "tornado",
    "tornado_rows",
]

# -- tornado -----------------------------------------------------------------------------------


def tornado_rows(oat: pd.DataFrame, *, client_id: str | None = None) -> pd.DataFrame:
    """The bars of :func:`tornado`: how much each dimension's weight moves the index.

    One client's changes are signed (its index rises or falls).  Over the portfolio they are
    averaged as ABSOLUTE changes: a signed mean lets one client's rise cancel another's fall
    and hides the dimension that moves clients most (issue 17); the order is then
    :func:`assessment.weights.influence.influence`'s.

    Parameters
    ----------
    oat
        :func:`assessment.weights.sensitivity.one_at_a_time` output.
    client_id
        This client's changes; ``None`` for the mean absolute change over all clients.

    Returns
    -------
    pandas.DataFrame
        Indexed by dimension id.  For one client: ``delta_low``, ``delta_high`` and
        ``swing = |delta_high - delta_low|``, by decreasing swing.  For the portfolio:
        ``mean_abs_low``, ``mean_abs_high`` (mean ``|delta|`` with the weight lowered, raised)
        and ``mean_abs`` (mean over clients of ``max(|delta_low|, |delta_high|)``), by
        decreasing ``mean_abs``.  Ties keep table order.

    Raises
    ------
    ValueError
        If ``oat`` lacks a needed column or ``client_id`` is not in it.
    """
    need = {"client_id", "dimension_id", "delta_low", "delta_high", "weight"} - set(oat.columns)
    if need:
        raise ValueError(f"oat lacks columns {sorted(need)}; use sensitivity.one_at_a_time()")
    if client_id is None:
        low, high = oat["delta_low"].abs(), oat["delta_high"].abs()
        frame = pd.DataFrame(
            {
                "dimension_id": oat["dimension_id"],
                "mean_abs_low": low,
                "mean_abs_high": high,
                "mean_abs": np.maximum(low, high),
            }
        )
        table = frame.groupby("dimension_id", sort=False).mean()
        return table.sort_values("mean_abs", ascending=False, kind="stable")
    oat = oat.loc[oat["client_id"] == client_id]
    if oat.empty:
        raise ValueError(f"client {client_id!r} is not in the one-at-a-time table")
    table = oat.groupby("dimension_id", sort=False)[["delta_low", "delta_high"]].mean()
    table = table.assign(swing=(table["delta_high"] - table["delta_low"]).abs())
    return table.sort_values("swing", ascending=False, kind="stable")


@keyword_ax
def tornado(
    oat: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    client_id: str | None = None,
    rubric: Rubric | None = None,
) -> Axes:
    """One-at-a-time weight sensitivity as a tornado: the most influential dimension on top.

    Parameters
    ----------
    oat
        :func:`assessment.weights.sensitivity.one_at_a_time` output.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    client_id
        Draw this client's signed index changes; ``None`` draws the mean ABSOLUTE change over
        all clients (rises and falls do not cancel; the axis label says so).
    rubric
        For dimension names (ids are used without it).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; bars with gid ``"low"`` (weight lowered) and ``"high"`` (weight raised), one
        per dimension, top down in :func:`tornado_rows` order.  One client's bars extend
        left or right from zero by the signed change; the portfolio's are paired bars of mean
        ``|change|``, both from zero to the right.

    Raises
    ------
    ValueError
        If ``oat`` lacks a needed column or ``client_id`` is not in it.
    """
    table = tornado_rows(oat, client_id=client_id)
    if client_id is not None:
        xlabel = text.label("chart.sensitivity.index_change", lang)
        columns, offset, height = ("delta_low", "delta_high"), 0.0, 0.6
    else:
        n = oat["client_id"].nunique()
        xlabel = text.label("chart.sensitivity.index_change_mean_abs", lang, n=n)
        # Both means are positive: side by side, not on top of each other.
        columns, offset, height = ("mean_abs_low", "mean_abs_high"), 0.19, 0.36
    pct = format_number(100 * _oat_step(oat), 0)
    with style(lang):
        own_figure = ax is None
        ax = axes_for(ax, 0.3 * len(table) + 1.4)
        y = np.arange(len(table))
        for column, shift, key, color, gid in (
            (columns[0], -offset, "chart.sensitivity.weight_down", OKABE_ITO["vermillion"], "low"),
            (columns[1], offset, "chart.sensitivity.weight_up", OKABE_ITO["blue"], "high"),
        ):
            label = shape_text(text.label(key, lang, pct=pct), lang)
            ax.barh(y + shift, table[column], height=height, color=color, label=label, gid=gid)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, [shape_text(_dimension_name(rubric, d, lang), lang) for d in table.index])
        ax.invert_yaxis()
        ax.set_xlabel(shape_text(xlabel, lang))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        if client_id is not None:
            ax.set_title(shape_text(str(client_id), lang))
        handles, labels = ax.get_legend_handles_labels()
        legend_below(ax, own_figure, handles, labels, -0.18)
    return ax


def _oat_step(oat: pd.DataFrame) -> float:
    """The relative weight step of a one-at-a-time table (0.2, its default, when unrecorded)."""
    if "step" in oat.attrs:
        return float(oat.attrs["step"])
    return 0.2


def _dimension_name(rubric: Rubric | None, dimension_id: str, lang: str) -> str:
    """A dimension's name, wrapped for the tornado's axis; its id without a rubric."""
    if rubric is None:
        return dimension_id
    try:
        return rubric_text(rubric.dimension(dimension_id).name, lang, wrap=28)
    except KeyError:
        return dimension_id


# -- level probability -------------------------------------------------------------------------


def baseline_midpoints(probabilities: pd.DataFrame, levels: np.ndarray) -> np.ndarray:
    """Where each client's current level sits on its stacked probability bar.

    Parameters
    ----------
    probabilities
        One row per client, one column per level ``1..n`` (probabilities summing to 1).
    levels
        Each client's current level (integers ``1..n``), row for row.

    Returns
    -------
    numpy.ndarray
        The middle of each client's segment of its current level.

    Examples
    --------
    >>> probs = pd.DataFrame([[0.25, 0.5, 0.25]] * 2 + [[0.0, 0.0, 1.0]], columns=[1, 2, 3])
    >>> baseline_midpoints(probs, np.array([1, 2, 3])).tolist()
    [0.125, 0.5, 0.5]
    """
    cum = np.cumsum(probabilities.to_numpy(dtype=float), axis=1)
    rows = np.arange(len(levels))
    start = np.where(levels > 1, cum[rows, np.maximum(levels - 2, 0)], 0.0)
    return (start + cum[rows, levels - 1]) / 2


@keyword_ax
def level_probability(
    sensitivity: SensitivityResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    rubric: Rubric | None = None,
) -> Axes:
    """Each client's probability of every staged level when the weights are uncertain.

    Parameters
    ----------
    sensitivity
        A :class:`assessment.weights.sensitivity.SensitivityResult`.
    ax
        Axes to draw on; a new figure is created (height grows with the client count).
    lang
        Label language.
    rubric
        For level names (numbers are used without it).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; one stacked horizontal bar per client (top down in baseline rank order),
        ``ax.containers[k]`` the segments of level ``k + 1`` (width = probability); the
        markers with gid ``"baseline"`` sit on each client's current level segment.
    """
    probs = sensitivity.level_probabilities()
    clients = sensitivity.clients.set_index("client_id")
    n = sensitivity.n_levels
    with style(lang):
        own_figure = ax is None
        ax = axes_for(ax, 0.26 * len(probs) + 1.6)
        y = np.arange(len(probs))
        left = np.zeros(len(probs))
        for lvl in range(1, n + 1):
            width = probs[lvl].to_numpy(dtype=float)
            if rubric is not None:
                label = level_label(rubric, lvl, lang)
            else:
                label = shape_text(text.label("chart.sensitivity.level", lang, level=lvl), lang)
            ax.barh(y, width, left=left, height=0.7, color=level_color(lvl, n), label=label)
            left = left + width
        base = clients.loc[probs.index, "level"].to_numpy(dtype=int)
        ax.plot(
            baseline_midpoints(probs, base),
            y,
            linestyle="none",
            marker="D",
            markersize=4,
            markerfacecolor="white",
            markeredgecolor="black",
            label=shape_text(text.label("chart.sensitivity.baseline_level", lang), lang),
            gid="baseline",
        )
        ax.set_yticks(y, [shape_text(str(c), lang) for c in probs.index])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(shape_text(text.label("chart.sensitivity.probability", lang), lang))
        handles, labels = ax.get_legend_handles_labels()
        legend_below(ax, own_figure, handles, labels, -0.12)
    return ax


# -- rank stability ----------------------------------------------------------------------------


@keyword_ax
def rank_stability(
    sensitivity: SensitivityResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """How far each client's rank moves when the weights are uncertain.

    Parameters
    ----------
    sensitivity
        A :class:`assessment.weights.sensitivity.SensitivityResult`.
    ax
        Axes to draw on; a new figure is created (height grows with the client count).
    lang
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; the line collection with gid ``"range"`` spans each client's 5th-95th
        percentile rank, the markers with gid ``"baseline"`` are the current ranks.  The
        title gives Kendall's tau of the draws' rankings against the current one.
    """
    c = sensitivity.clients
    tau = np.asarray(sensitivity.tau, dtype=float)
    tau = tau[~np.isnan(tau)]
    with style(lang):
        own_figure = ax is None
        ax = axes_for(ax, 0.26 * len(c) + 1.6)
        y = np.arange(len(c))
        ax.hlines(
            y,
            c["rank_p05"],
            c["rank_p95"],
            color=OKABE_ITO["sky_blue"],
            linewidth=4,
            label=shape_text(text.label("chart.sensitivity.rank_range", lang), lang),
            gid="range",
        )
        ax.plot(
            c["rank"],
            y,
            linestyle="none",
            marker="o",
            color=OKABE_ITO["blue"],
            label=shape_text(text.label("chart.sensitivity.baseline_rank", lang), lang),
            gid="baseline",
        )
        ax.set_yticks(y, [shape_text(str(k), lang) for k in c["client_id"]])
        ax.invert_yaxis()
        ax.set_xlim(0.5, len(c) + 0.5)
        ax.set_xlabel(shape_text(text.label("chart.sensitivity.rank", lang), lang))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        if len(tau):
            median = format_compact(float(np.median(tau)), 3)
            p05 = format_compact(float(np.quantile(tau, 0.05)), 3)
            title = text.label("chart.sensitivity.tau", lang, median=median, p05=p05)
            ax.set_title(shape_text(title, lang))
        handles, labels = ax.get_legend_handles_labels()
        legend_below(ax, own_figure, handles, labels, -0.12)
    return ax
