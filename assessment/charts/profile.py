"""One assessment's dimension profile: the radar and the priority (gap) bars.

:func:`radar_data` and :func:`gap_rows` choose what is drawn (which assessment, which
polygons, what order); :func:`radar` and :func:`gap_bars` draw it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.projections.polar import PolarAxes

from assessment import text
from assessment.charts.layout import axes_for, legend_columns, rubric_text
from assessment.charts.selection import assessment_rows, dimension_rows, select_assessment
from assessment.charts.theme import CATEGORICAL, OKABE_ITO, PEER_COLOR, shape_text, style
from assessment.rubric import Rubric, translate
from assessment.scoring import ScoreResult
from assessment.text.numbers import format_compact

__all__ = ["RadarData", "gap_bars", "gap_rows", "radar", "radar_data", "spoke_wrap"]

# -- radar -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RadarData:
    """What :func:`radar` draws: polygons with one value per dimension, in rubric order."""

    #: The rubric: spokes, their names and the scale.
    rubric: Rubric
    #: Legend label of the current scores (logical order, not yet shaped).
    label: str
    #: The current scores.
    current: np.ndarray
    #: ``(legend label, targets)`` per target polygon, in drawing order.
    targets: tuple[tuple[str, np.ndarray], ...]
    #: The peer median, or ``None`` when none is drawn.
    peer_median: np.ndarray | None


def radar_data(
    data: ScoreResult | pd.DataFrame | Mapping[str, float],
    rubric: Rubric | None = None,
    *,
    client_id: str | None = None,
    date: str | None = None,
    targets: Mapping[str, Mapping[str, float]] | None = None,
    peer_median: Mapping[str, float] | None = None,
    label: str | None = None,
    lang: str = "en",
) -> RadarData:
    """Choose the polygons of a radar; the parameters are :func:`radar`'s.

    Returns
    -------
    RadarData
        Each polygon as one value per dimension of the rubric, in rubric order (NaN where a
        mapping has no value for a dimension).

    Raises
    ------
    ValueError
        If ``rubric`` is missing for a table or mapping, or the assessment is ambiguous or
        unknown.
    """
    if isinstance(data, pd.DataFrame):
        if rubric is None:
            raise ValueError("radar() needs rubric= when given a table of dimension scores")
        dims = dimension_rows(data, client_id, date).set_index("dimension_id")
        if targets is None and "target" in dims:
            targets = {text.label("target", lang): dims["target"].to_dict()}
        scores: Mapping[str, float] = dims["score"].to_dict()
    elif isinstance(data, ScoreResult):
        rubric = data.rubric
        cid, when = select_assessment(data, client_id, date)
        dims = assessment_rows(data.dimensions, cid, when).set_index("dimension_id")
        scores = dims["score"].to_dict()
        if targets is None:
            profile = str(assessment_rows(data.overall, cid, when)["target_profile"].iloc[0])
            targets = {_profile_name(rubric, profile, lang): dims["target"].to_dict()}
        if peer_median is None:
            peer_median = _benchmark_median(data, cid, when)
        label = label if label is not None else cid
    else:
        if rubric is None:
            raise ValueError("radar() needs rubric= when given a mapping of scores")
        scores = data
    ids = list(rubric.dimension_table.index)
    return RadarData(
        rubric=rubric,
        label=label if label is not None else text.label("current", lang),
        current=_by_dimension(scores, ids),
        targets=tuple((str(name), _by_dimension(v, ids)) for name, v in (targets or {}).items()),
        # An empty mapping (or no benchmark) means no polygon.
        peer_median=_by_dimension(peer_median, ids) if peer_median else None,
    )


def _by_dimension(values: Mapping[str, float], ids: list[str]) -> np.ndarray:
    return np.array([float(values.get(d, np.nan)) for d in ids])


def _benchmark_median(result: ScoreResult, client_id: str, date: str) -> dict[str, float] | None:
    """The peer median per measure, when the benchmark (and its anonymity floor) gives one."""
    if result.benchmark.empty:
        return None
    bench = assessment_rows(result.benchmark, client_id, date)
    if not bench["peer_median"].notna().any():
        return None
    return cast(dict[str, float], bench.set_index("measure")["peer_median"].to_dict())


def _profile_name(rubric: Rubric, profile_id: str, lang: str) -> str:
    """``"Target: Growth"``: the legend label of a target profile (its id when unnamed)."""
    try:
        name = rubric.target_profile(profile_id).name
    except KeyError:
        name = None
    label = translate(name, lang) if name else profile_id
    return f"{text.label('target', lang)}: {label}"


def spoke_wrap(wrap: int | None, angle: float) -> int | None:
    """Characters per line for a radar label at ``angle`` (radians from twelve o'clock).

    A label at the side grows towards the page edge, so it wraps at ``wrap``; one near the top
    or bottom grows along the circle, where there is room for up to 1.6 times as much.  A long
    name at six o'clock (``wrap`` everywhere) took five lines and ran into the legend.

    Examples
    --------
    >>> import math
    >>> spoke_wrap(16, 0.0), spoke_wrap(16, math.pi / 2), spoke_wrap(None, 0.0)
    (26, 16, None)
    """
    if wrap is None:
        return None
    return round(wrap * (1 + 0.6 * abs(math.cos(angle))))


def radar(
    data: ScoreResult | pd.DataFrame | Mapping[str, float],
    rubric: Rubric | None = None,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    client_id: str | None = None,
    date: str | None = None,
    targets: Mapping[str, Mapping[str, float]] | None = None,
    peer_median: Mapping[str, float] | None = None,
    label: str | None = None,
    wrap: int | None = 16,
) -> PolarAxes:
    """Dimension scores on a radar: current vs named targets vs the peer median.

    Parameters
    ----------
    data
        A :class:`ScoreResult` (one assessment is drawn, see ``client_id``/``date``), rows of
        ``result.dimensions`` (``dimension_id``, ``score``, optionally ``target``) for one
        assessment, or a mapping dimension id -> score.  The last two need ``rubric``.
    rubric
        The rubric; taken from ``data`` when it is a result.
    ax
        A polar Axes to draw on; a new figure is created when omitted.
    lang
        Language of the dimension, level and legend labels.
    client_id, date
        The assessment to draw; defaults to the only client and its latest date.
    targets
        Named target profiles ``{name: {dimension_id: target}}``, one dashed polygon each.
        ``None`` draws the assessment's own target profile for a result or a table with a
        ``target`` column (none for a mapping); ``{}`` draws none.
    peer_median
        Peer median per dimension id.  ``None`` takes it from ``result.benchmark`` when there
        is one (and the anonymity floor allows it); ``{}`` draws none.
    label
        Legend label of the current scores (default: the client id, or "Current").
    wrap
        Wrap dimension names at the sides of the chart to this many characters per line;
        names towards the top and bottom, which have more room across, wrap up to 1.6 times
        wider (``None``: no wrapping).

    Returns
    -------
    matplotlib.projections.polar.PolarAxes
        The Axes.  ``ax.lines`` holds the current polygon first, then one per target, then the
        peer median; each polygon is closed (its first point repeated at the end).  On a new
        figure the legend is a figure legend along the bottom; on a given ``ax`` it is an
        Axes legend to its right.

    Raises
    ------
    ValueError
        If ``ax`` is not polar, ``rubric`` is missing for a table or mapping, or the assessment
        is ambiguous or unknown.
    """
    profile = radar_data(
        data,
        rubric,
        client_id=client_id,
        date=date,
        targets=targets,
        peer_median=peer_median,
        label=label,
        lang=lang,
    )
    with style(lang):
        own_figure = ax is None
        polar = cast(PolarAxes, axes_for(ax, 5.5, polar=True))
        theta = np.linspace(0.0, 2 * np.pi, len(profile.current), endpoint=False)
        # Start at twelve o'clock and go clockwise: the order readers scan a clock face.
        polar.set_theta_zero_location("N")
        polar.set_theta_direction(-1)
        _plot_polygons(polar, profile, theta, lang)
        _label_spokes(polar, profile.rubric, theta, lang, wrap)
        if own_figure:
            # Along the bottom of the page, clear of the spoke labels (see layout.new_axes).
            handles, labels = polar.get_legend_handles_labels()
            polar.figure.legend(
                handles, labels, loc="lower center", ncol=legend_columns(labels), borderaxespad=0.3
            )
        else:
            polar.legend(loc="upper left", bbox_to_anchor=(1.08, 1.05))
    return polar


def _closed(values: np.ndarray) -> np.ndarray:
    """``values`` with the first repeated at the end, so that a polygon closes."""
    return np.append(values, values[:1])


def _plot_polygons(ax: Axes, profile: RadarData, theta: np.ndarray, lang: str) -> None:
    """The current polygon (filled when complete), the targets, then the peer median."""
    theta_closed = _closed(theta)
    current = _closed(profile.current)
    ax.plot(
        theta_closed,
        current,
        color=OKABE_ITO["blue"],
        marker="o",
        label=shape_text(profile.label, lang),
        zorder=4,
    )
    if np.isfinite(current).all():
        # The fill makes the profile's shape readable; skipped when a dimension is unscored
        # because a polygon through zero would misstate it.
        ax.fill(theta_closed, current, color=OKABE_ITO["blue"], alpha=0.12, zorder=3)
    styles = ["--", "-.", (0, (5, 1.5, 1, 1.5)), (0, (8, 2))]
    target_colors = [c for c in CATEGORICAL if c != OKABE_ITO["blue"]]
    for j, (name, values) in enumerate(profile.targets):
        ax.plot(
            theta_closed,
            _closed(values),
            color=target_colors[j % len(target_colors)],
            linestyle=styles[j % len(styles)],
            label=shape_text(name, lang),
            zorder=3,
        )
    if profile.peer_median is not None:
        ax.plot(
            theta_closed,
            _closed(profile.peer_median),
            color=PEER_COLOR,
            linestyle=":",
            linewidth=1.8,
            label=shape_text(text.label("peer_median", lang), lang),
            zorder=2,
        )


def _label_spokes(
    ax: PolarAxes, rubric: Rubric, theta: np.ndarray, lang: str, wrap: int | None
) -> None:
    """Dimension names at the spokes, level numbers on the rings."""
    n = rubric.n_levels
    ax.set_xticks(
        theta,
        [
            shape_text(rubric_text(d.name, lang, spoke_wrap(wrap, angle)), lang)
            for d, angle in zip(rubric.dimensions, theta, strict=True)
        ],
    )
    ax.tick_params(axis="x", pad=6)
    ax.set_ylim(0, n)
    # Put the ring labels between the first two spokes so they do not sit on a line.
    ax.set_rgrids(
        range(1, n + 1),
        # Numbers only: level names are sentences that would cross the spokes.
        labels=[str(lvl) for lvl in range(1, n + 1)],
        angle=180.0 / len(theta),
        fontsize=7,
        color="#555555",
    )
    ax.grid(True, color="#CCCCCC", linewidth=0.6)
    # Align each name away from the circle so multi-line names clear the outer ring.
    for tick, angle in zip(ax.get_xticklabels(), theta, strict=True):
        east, north = np.sin(angle), np.cos(angle)  # clockwise from twelve o'clock
        tick.set_horizontalalignment("left" if east > 0.1 else "right" if east < -0.1 else "center")
        tick.set_verticalalignment("bottom" if north > 0.1 else "top" if north < -0.1 else "center")
        if lang in text.RTL_LANGUAGES:
            tick.set_multialignment("right")  # right-to-left paragraphs align right


# -- gaps --------------------------------------------------------------------------------------


def gap_rows(
    result: ScoreResult | pd.DataFrame,
    rubric: Rubric,
    *,
    client_id: str | None = None,
    date: str | None = None,
    profile: str | Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """The dimensions of one assessment in the order :func:`gap_bars` draws them.

    Parameters
    ----------
    result, client_id, date, profile
        As for :func:`gap_bars`.
    rubric
        The rubric (``result.rubric`` for a result).

    Returns
    -------
    pandas.DataFrame
        The assessment's rows of ``result.dimensions`` (or of ``result.gaps_against(profile)``)
        plus the rubric ``order``, by decreasing ``priority``, ties in rubric order, unscored
        dimensions last.

    Raises
    ------
    ValueError
        If ``profile`` is given with a table, or the assessment is ambiguous or unknown.
    """
    if isinstance(result, pd.DataFrame):
        if profile is not None:
            raise ValueError("profile= needs a ScoreResult (gaps are recomputed from scores)")
        dims = dimension_rows(result, client_id, date)
    else:
        cid, when = select_assessment(result, client_id, date)
        table = result.dimensions if profile is None else result.gaps_against(profile)
        dims = assessment_rows(table, cid, when)
    order = rubric.dimension_table["order"]
    dims = dims.assign(order=dims["dimension_id"].map(order).to_numpy())
    # Unscored dimensions have no priority; they go last rather than vanish.
    return dims.sort_values(["priority", "order"], ascending=[False, True], na_position="last")


def gap_bars(
    result: ScoreResult | pd.DataFrame,
    rubric: Rubric | None = None,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    client_id: str | None = None,
    date: str | None = None,
    profile: str | Mapping[str, float] | None = None,
    wrap: int | None = 28,
) -> Axes:
    """Horizontal bars of dimension priority (weight x gap), largest first, gap annotated.

    Parameters
    ----------
    result
        A scored result, or rows of ``result.dimensions`` (``dimension_id``, ``gap``,
        ``priority``) for one assessment.
    rubric
        The rubric; required for a table, taken from a result.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    client_id, date
        The assessment; defaults to the only client and its latest date.
    profile
        Measure gaps against this target profile id or ``{dimension_id: target}`` instead of
        the assessment's own profile (results only).
    wrap
        Wrap dimension names to this many characters per line.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; ``ax.containers[0]`` holds one bar per dimension from the top down in
        decreasing priority (ties in rubric order), bar width = priority.

    Raises
    ------
    ValueError
        If ``rubric`` is missing for a table, ``profile`` is given with one, or the
        assessment is ambiguous or unknown.
    """
    if isinstance(result, ScoreResult):
        rubric = result.rubric
    elif rubric is None:
        raise ValueError("gap_bars() needs rubric= when given a table of dimensions")
    dims = gap_rows(result, rubric, client_id=client_id, date=date, profile=profile)
    names = {d.id: shape_text(rubric_text(d.name, lang, wrap), lang) for d in rubric.dimensions}

    with style(lang):
        ax = axes_for(ax, 0.38 * len(dims) + 1.2)
        y = np.arange(len(dims))
        priority = dims["priority"].to_numpy(dtype=float)
        bars = ax.barh(y, priority, color=OKABE_ITO["vermillion"], height=0.65, label="priority")
        ax.set_yticks(y, [names[d] for d in dims["dimension_id"]])
        ax.invert_yaxis()  # highest priority on top
        top = np.nanmax(priority) if np.isfinite(priority).any() else 0.0
        ax.set_xlim(0, top * 1.3 if top > 0 else 1.0)
        ax.bar_label(bars, labels=[_gap_label(g, lang) for g in dims["gap"]], padding=3, fontsize=8)
        ax.set_xlabel(shape_text(text.label("chart.gap_bars.priority", lang), lang))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
    return ax


def _gap_label(gap: float, lang: str) -> str:
    """``"gap 1.5"`` beside a bar, or "not scored"."""
    if pd.isna(gap):
        return shape_text(text.label("chart.not_scored", lang), lang)
    return shape_text(text.label("chart.gap_bars.gap", lang, gap=format_compact(gap)), lang)
