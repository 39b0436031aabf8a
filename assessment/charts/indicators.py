"""Indicator-level views: the level heatmap and the respondents' agreement.

:func:`heatmap_data`, :func:`dimension_bounds` and :func:`agreement_data` choose what is drawn
(which cells, which rows, in what order); :func:`indicator_heatmap` and :func:`agreement`
draw it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from matplotlib import colors as mcolors
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import ScaledTranslation, blended_transform_factory

from assessment import text
from assessment.charts.layout import (
    axes_for,
    legend_below,
    legend_columns,
    level_label,
    rubric_text,
)
from assessment.charts.selection import assessment_rows, respondent_table, select_assessment
from assessment.charts.theme import (
    HATCH_EDGE,
    MISSING_COLOR,
    MISSING_HATCH,
    NA_COLOR,
    NA_HATCH,
    OKABE_ITO,
    level_cmap,
    level_color,
    level_colors,
    shape_text,
    style,
    text_color,
)
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult
from assessment.text.numbers import format_compact

__all__ = [
    "AgreementData",
    "agreement",
    "agreement_data",
    "dimension_bounds",
    "heatmap_data",
    "indicator_heatmap",
]

# -- heatmap -----------------------------------------------------------------------------------


def heatmap_data(
    result: ScoreResult,
    *,
    by: Literal["assessment", "respondent"] = "assessment",
    client_id: str | None = None,
    date: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The cells of :func:`indicator_heatmap`; the parameters are its.

    Returns
    -------
    levels : pandas.DataFrame
        Indicator levels: one row per indicator of the rubric, in rubric order, one column per
        assessment (sorted by client and date) or respondent (in answer order), labelled as the
        chart labels them.  NaN where there is no level.
    states : pandas.DataFrame
        The same shape: ``"na"`` for a not-applicable cell and ``"missing"`` for an unanswered
        one (by assessment, the indicator's ``status``).

    Raises
    ------
    ValueError
        If ``by`` is unknown, or (``by="respondent"``) the assessment is ambiguous or unknown.
    """
    order = pd.Index(result.rubric.indicator_table.index, name="indicator_id")
    if by == "assessment":
        ind = result.indicators
        keys = ind[["client_id", "date"]].drop_duplicates().sort_values(["client_id", "date"])
        several = keys["client_id"].duplicated(keep=False)
        # Two lines read best upright; rotated labels (many columns) stay on one line.
        sep = " " if len(keys) > 8 else "\n"
        columns = [
            f"{c}{sep}{d}" if many else str(c)
            for c, d, many in zip(keys["client_id"], keys["date"], several, strict=True)
        ]
        levels = ind.pivot(index=["client_id", "date"], columns="indicator_id", values="level")
        status = ind.pivot(index=["client_id", "date"], columns="indicator_id", values="status")
        idx = pd.MultiIndex.from_frame(keys)
        matrix = levels.reindex(index=idx, columns=order).to_numpy(dtype=float).T
        state = status.reindex(index=idx, columns=order).to_numpy(dtype=object).T
    elif by == "respondent":
        cid, when = select_assessment(result, client_id, date)
        resp = respondent_table(result, cid, when)
        columns = list(dict.fromkeys(resp["respondent"]))  # in answer order
        wide = resp.pivot(index="indicator_id", columns="respondent", values="level")
        na = resp.pivot(index="indicator_id", columns="respondent", values="is_na")
        matrix = wide.reindex(index=order, columns=columns).to_numpy(dtype=float)
        na = na.reindex(index=order, columns=columns)
        state = np.where(
            na.isna().to_numpy(), "missing", np.where(na.fillna(False).to_numpy(bool), "na", "")
        )
    else:
        raise ValueError(f"by must be 'assessment' or 'respondent'; got {by!r}")
    return (
        pd.DataFrame(matrix, index=order, columns=columns),
        pd.DataFrame(state, index=order, columns=columns, dtype=object),
    )


def dimension_bounds(dimension_ids: Sequence[Any]) -> list[int]:
    """Where each run of indicators of one dimension starts, plus the end.

    Examples
    --------
    >>> dimension_bounds(["quality", "quality", "ownership"])
    [0, 2, 3]
    """
    n = len(dimension_ids)
    changes = [i for i in range(1, n) if dimension_ids[i] != dimension_ids[i - 1]]
    return [0, *changes, n]


def indicator_heatmap(
    result: ScoreResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    by: Literal["assessment", "respondent"] = "assessment",
    client_id: str | None = None,
    date: str | None = None,
    annotate: bool | None = None,
    wrap: int | None = 38,
) -> Axes:
    """Indicator levels as a grid: indicators (rows, grouped by dimension) by columns.

    Parameters
    ----------
    result
        A scored result.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    by
        ``"assessment"``: one column per assessment in ``result`` (client id, plus the date
        when a client has several), cells = indicator levels.  ``"respondent"``: one column per
        respondent of one assessment (``client_id``/``date``), cells = that respondent's level.
    client_id, date
        The assessment for ``by="respondent"``.
    annotate
        Write the level in every cell; by default only when there are at most 600 cells.
    wrap
        Wrap indicator names to this many characters per line.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; ``ax.images[0].get_array()`` is the (indicators x columns) level matrix,
        masked where the level is NaN.  Not-applicable cells are grey with ``///`` hatching
        (patches with gid ``"na"``); missing answers are near-white with dotted hatching
        (gid ``"missing"``).

    Raises
    ------
    ValueError
        If ``by`` is unknown, or (``by="respondent"``) the assessment is ambiguous or unknown.
    """
    levels, states = heatmap_data(result, by=by, client_id=client_id, date=date)
    rubric = result.rubric
    matrix = levels.to_numpy(dtype=float)
    n_rows, n_cols = matrix.shape
    if annotate is None:
        annotate = n_rows * n_cols <= 600
    row_names = [
        shape_text(rubric_text(rubric.indicator(i).name, lang, wrap), lang) for i in levels.index
    ]

    with style(lang):
        ax = axes_for(ax, 0.3 * n_rows + 1.8)
        image = ax.imshow(
            np.ma.masked_invalid(matrix),
            cmap=level_cmap(),
            vmin=1,
            vmax=rubric.n_levels,
            aspect="auto",
            interpolation="nearest",
        )
        _draw_cells(ax, matrix, states.to_numpy(dtype=object), rubric.n_levels, annotate, lang)
        _label_dimensions(ax, rubric, lang)
        ax.set_yticks(range(n_rows), row_names, fontsize=7)
        ax.set_xticks(range(n_cols), [shape_text(str(c), lang) for c in levels.columns])
        # Column labels on top leave the bottom free for the legend, as in a printed table.
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", rotation=90 if n_cols > 8 else 0, length=0)
        ax.tick_params(axis="y", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlim(-0.5, n_cols - 0.5)
        ax.set_ylim(n_rows - 0.5, -0.5)
        _heatmap_legend(ax, rubric, lang)
        image.set_gid("levels")
    return ax


def _draw_cells(
    ax: Axes, matrix: np.ndarray, state: np.ndarray, n: int, annotate: bool, lang: str
) -> None:
    """Hatched patches over N/A and missing cells; the level (or N/A, ?) written in each."""
    n_rows, n_cols = matrix.shape
    for r in range(n_rows):
        for c in range(n_cols):
            value, what = matrix[r, c], state[r, c]
            if np.isnan(value) and what in ("na", "missing"):
                ax.add_patch(_blank_cell(r, c, what))
            if not annotate:
                continue
            if np.isnan(value):
                # "?" is a symbol, not a word: the same in every language, so not a label.
                label = shape_text(text.label("chart.heatmap.na_cell", lang), lang)
                mark = label if what == "na" else "?"
                ax.text(c, r, mark, ha="center", va="center", fontsize=7, color="black")
            else:
                ax.text(
                    c,
                    r,
                    format_compact(value, 1),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=text_color(level_color(value, n)),
                )


def _blank_cell(row: int, column: int, what: str) -> Rectangle:
    """The patch over a cell without a level: ``what`` is ``"na"`` or ``"missing"``."""
    is_na = what == "na"
    cell = Rectangle(
        (column - 0.5, row - 0.5),
        1,
        1,
        facecolor=NA_COLOR if is_na else MISSING_COLOR,
        edgecolor=HATCH_EDGE,
        hatch=NA_HATCH if is_na else MISSING_HATCH,
        linewidth=0,
    )
    cell.set_gid(what)
    return cell


def _label_dimensions(ax: Axes, rubric: Rubric, lang: str) -> None:
    """Group rows by dimension: white rules between groups, dimension names on the right."""
    groups = rubric.indicator_table["dimension_id"].to_numpy()
    right = blended_transform_factory(ax.transAxes, ax.transData)
    for lo, hi in itertools.pairwise(dimension_bounds(groups)):
        if lo > 0:
            ax.axhline(lo - 0.5, color="white", linewidth=2.5)
        dim = rubric.dimension(str(groups[lo]))
        ax.text(
            1.01,
            (lo + hi - 1) / 2,
            shape_text(rubric_text(dim.name, lang, 16), lang),
            transform=right,
            ha="left",
            va="center",
            fontsize=8,
            fontweight="bold",
        )


def _heatmap_legend(ax: Axes, rubric: Rubric, lang: str) -> None:
    """One patch per level, then N/A and missing, under the grid."""
    n = rubric.n_levels
    handles = [
        Patch(facecolor=level_color(lvl, n), label=level_label(rubric, lvl, lang))
        for lvl in range(1, n + 1)
    ]
    handles += [
        Patch(
            facecolor=NA_COLOR,
            edgecolor=HATCH_EDGE,
            hatch=NA_HATCH,
            label=shape_text(text.label("chart.heatmap.na", lang), lang),
        ),
        Patch(
            facecolor=MISSING_COLOR,
            edgecolor=HATCH_EDGE,
            hatch=MISSING_HATCH,
            label=shape_text(text.label("chart.heatmap.missing", lang), lang),
        ),
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.01),
        ncol=legend_columns([h.get_label() for h in handles]),
        handlelength=1.2,
    )


# -- agreement ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementData:
    """What :func:`agreement` draws for one assessment."""

    #: One row per indicator shown, top down (index ``indicator_id``): ``row`` (0 at the
    #: top), ``level`` (the indicator level), ``rwg``, ``hotspot`` (bool).
    rows: pd.DataFrame
    #: Respondents per (indicator, level) given: ``indicator_id``, ``level``, ``count``,
    #: ``row``.
    counts: pd.DataFrame
    #: Lowest and highest level given per indicator (index ``indicator_id``): ``min``,
    #: ``max``, ``row``.
    spread: pd.DataFrame


def agreement_data(
    result: ScoreResult,
    *,
    client_id: str | None = None,
    date: str | None = None,
    hotspots_only: bool = False,
    indicators: Sequence[str] | None = None,
) -> AgreementData:
    """The rows of :func:`agreement`; the parameters are its.

    Indicators that no respondent gave a level (all N/A or unanswered) are left out; the
    rest keep the rubric's order.

    Raises
    ------
    ValueError
        If the assessment is ambiguous or unknown.
    """
    cid, when = select_assessment(result, client_id, date)
    resp = respondent_table(result, cid, when).dropna(subset=["level"])
    ind = assessment_rows(result.indicators, cid, when).set_index("indicator_id")
    # A plain dict: one lookup per indicator, and ``.at`` costs ~50x a dict get.
    is_hotspot = {i: bool(h) for i, h in ind["hotspot"].items()}
    answered = set(resp["indicator_id"])
    shown = [i for i in result.rubric.indicator_table.index if i in answered]
    if hotspots_only:
        shown = [i for i in shown if is_hotspot[i]]
    if indicators is not None:
        wanted = set(indicators)
        shown = [i for i in shown if i in wanted]
    row = {i: k for k, i in enumerate(shown)}
    resp = resp.loc[resp["indicator_id"].isin(row)]
    counts = resp.groupby(["indicator_id", "level"]).size().reset_index(name="count")
    spread = resp.groupby("indicator_id")["level"].agg(["min", "max"])
    rows = pd.DataFrame(
        {
            "row": np.arange(len(shown)),
            "level": ind["level"].reindex(shown).to_numpy(dtype=float),
            "rwg": ind["rwg"].reindex(shown).to_numpy(dtype=float),
            "hotspot": np.array([is_hotspot[i] for i in shown], dtype=bool),
        },
        index=pd.Index(shown, name="indicator_id", dtype=object),
    )
    return AgreementData(
        rows=rows,
        counts=counts.assign(row=counts["indicator_id"].map(row)),
        spread=spread.assign(row=[row[i] for i in spread.index]),
    )


def agreement(
    result: ScoreResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    client_id: str | None = None,
    date: str | None = None,
    hotspots_only: bool = False,
    wrap: int | None = 38,
    indicators: Sequence[str] | None = None,
) -> Axes:
    """Respondent spread per indicator, with disagreement hotspots highlighted.

    Each row is an indicator; dots mark the levels respondents gave (dot area = number of
    respondents), a thin line spans min to max, a black bar marks the indicator level (the
    median by default), and a column in the right margin, headed ``r_wg``, gives its value.
    Hotspots (``r_wg`` below the threshold or a range of at least two levels) get a shaded
    row and a diamond marker.

    Parameters
    ----------
    result
        A scored result.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    client_id, date
        The assessment; defaults to the only client and its latest date.
    hotspots_only
        Show only hotspot indicators.
    wrap
        Wrap indicator names to this many characters per line.
    indicators
        Show only these indicators (in the rubric's order); a report passes the worst
        hotspots of a large rubric, whose every indicator would not fit on a page.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; the collection with gid ``"hotspots"`` has one marker per hotspot shown,
        ``"respondents"`` one dot per (indicator, level) given, ``"indicator_level"`` one
        marker per indicator.  The ``r_wg`` column is the text with gid ``"rwg_header"``
        and one text with gid ``"rwg"`` per row, top down ("–" where undefined).  The
        colorbar explaining the dots' colours is the child Axes with gid ``"level_colorbar"``
        (``ax.child_axes``).

    Raises
    ------
    ValueError
        If the assessment is ambiguous or unknown.
    """
    data = agreement_data(
        result,
        client_id=client_id,
        date=date,
        hotspots_only=hotspots_only,
        indicators=indicators,
    )
    rubric = result.rubric
    # The indicator level's legend entry names how respondents were aggregated.
    aggregate = result.options.aggregate
    levels_label = text.label(f"chart.agreement.indicator_level.{aggregate}", lang)

    with style(lang):
        own_figure = ax is None
        ax = axes_for(ax, 0.32 * max(len(data.rows), 1) + 1.6)
        handles = _draw_responses(ax, data, rubric.n_levels, levels_label, lang)
        _draw_rwg_column(ax, data.rows)
        _agreement_axes(ax, rubric, list(data.rows.index), lang, wrap)
        _level_colorbar(ax, rubric.n_levels, len(data.rows), lang)
        labels = [h.get_label() for h in handles]
        legend_below(ax, own_figure, handles, labels, -0.2, markerscale=0.6)
    return ax


def _draw_responses(
    ax: Axes, data: AgreementData, n: int, levels_label: str, lang: str
) -> list[Any]:
    """Hotspot shading, spread lines, respondent dots, indicator levels, hotspot markers.

    Returns the legend handles: dots, levels and (when there are hotspots) the markers.
    """
    rows, counts, spread = data.rows, data.counts, data.spread
    hot = rows.loc[rows["hotspot"], "row"].tolist()
    for r in hot:
        # Shading before the data so the dots stay on top.
        ax.axhspan(r - 0.5, r + 0.5, color=OKABE_ITO["vermillion"], alpha=0.10, lw=0)
    ys = spread["row"].tolist()
    ax.hlines(ys, spread["min"], spread["max"], color="#9E9E9E", linewidth=1.0, zorder=1)
    dots = ax.scatter(
        counts["level"],
        counts["row"],
        s=28 * counts["count"].to_numpy(),
        c=[level_color(v, n) for v in counts["level"]],
        edgecolors="#333333",
        linewidths=0.5,
        zorder=3,
        label=shape_text(text.label("chart.agreement.respondents", lang), lang),
    )
    dots.set_gid("respondents")
    median = ax.scatter(
        rows["level"].to_numpy(dtype=float),
        range(len(rows)),
        marker="|",
        s=220,
        linewidths=2.2,
        color="black",
        zorder=4,
        label=shape_text(levels_label, lang),
    )
    median.set_gid("indicator_level")
    # Hotspot markers in the right margin, inside the axes so they survive clipping.
    flags = ax.scatter(
        np.full(len(hot), n + 0.55),
        hot,
        marker="D",
        s=30,
        color=OKABE_ITO["vermillion"],
        zorder=4,
        label=shape_text(text.label("chart.agreement.hotspot", lang), lang),
    )
    flags.set_gid("hotspots")
    return [dots, median] + ([flags] if hot else [])


def _draw_rwg_column(ax: Axes, rows: pd.DataFrame) -> None:
    """The ``r_wg`` column right of the plot: a header, then one number per row."""
    right = blended_transform_factory(ax.transAxes, ax.transData)
    # The symbol once as the header (the only mathtext, which costs as much to lay out as a
    # dozen plain labels), then a plain number per row.
    ax.text(
        1.01,
        -0.5,
        r"$r_{wg}$",
        transform=right,
        ha="left",
        va="bottom",
        fontsize=8,
        color="#333333",
        gid="rwg_header",
    )
    for r, rwg, is_hot in zip(rows["row"].tolist(), rows["rwg"], rows["hotspot"], strict=True):
        ax.text(
            1.01,
            r,
            format_compact(rwg),  # "–" where r_wg is undefined (one respondent)
            transform=right,
            ha="left",
            va="center",
            fontsize=7,
            color=OKABE_ITO["vermillion"] if is_hot else "#333333",
            fontweight="bold" if is_hot else "normal",
            gid="rwg",
        )


def _level_colorbar(ax: Axes, n: int, n_rows: int, lang: str) -> None:
    """A discrete colorbar right of the ``r_wg`` column: what a respondent dot's colour means.

    An inset (child) Axes rather than ``figure.colorbar``: it moves with ``ax`` and is part of
    its tight bbox, so the one-Axes :class:`~assessment.charts.layout.FitLayout` still places
    the figure, and a caller's Axes keeps its size.
    """
    # One cell per level, boundaries half-way between levels, so a tick sits in each cell.
    norm = mcolors.BoundaryNorm(np.arange(0.5, n + 1.5), n)
    mappable = ScalarMappable(norm=norm, cmap=mcolors.ListedColormap(level_colors(n)))
    # About a row (0.32 in) per level: over a short chart the full height, over a long one
    # the top rows only, so the bar does not stretch down a whole page.
    height = min(1.0, (n + 1) / max(n_rows, 1))
    # A fixed 0.4 in right of the Axes edge (past the r_wg numbers), not a fraction of the
    # Axes width: FitLayout measures the overhang once, before it narrows the Axes, and an
    # overhang that shrank with the Axes would leave the plot narrower than it need be.
    beside = ax.transAxes + ScaledTranslation(0.4, 0.0, ax.figure.dpi_scale_trans)
    cax = ax.inset_axes((1.0, 1.0 - height, 0.025, height), transform=beside)
    cax.set_gid("level_colorbar")
    bar = ax.figure.colorbar(mappable, cax=cax, ticks=range(1, n + 1))
    bar.ax.invert_yaxis()  # level 1 at the top, as the eye reads the x axis left to right
    bar.minorticks_off()
    bar.ax.tick_params(labelsize=7, length=0)
    bar.outline.set_linewidth(0.5)
    bar.set_label(shape_text(text.label("chart.agreement.colorbar", lang), lang), fontsize=8)


def _agreement_axes(
    ax: Axes, rubric: Rubric, shown: list[str], lang: str, wrap: int | None
) -> None:
    """Indicator names down the side, levels (number and name) along the bottom."""
    n = rubric.n_levels
    ax.set_yticks(
        range(len(shown)),
        [shape_text(rubric_text(rubric.indicator(i).name, lang, wrap), lang) for i in shown],
    )
    ax.set_ylim(len(shown) - 0.5, -0.5)
    ax.set_xlim(0.5, n + 0.8)
    ax.set_xticks(
        range(1, n + 1),
        [
            shape_text(f"{lvl}\n{rubric_text(rubric.scale[lvl - 1].name, lang, 10)}", lang)
            for lvl in range(1, n + 1)
        ],
        # A level's column is about an inch wide: smaller, narrower-wrapped names keep
        # neighbours such as "2007: ad hoc" and "Present and reactive" from touching.
        fontsize=8,
    )
    ax.set_xlabel(shape_text(text.label("level", lang), lang))
    ax.grid(axis="x")
    ax.set_axisbelow(True)
