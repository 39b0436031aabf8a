"""Clients among others: the peer benchmark histogram and the portfolio overview.

:func:`benchmark_data`, :func:`peer_pool` and :func:`portfolio_rows` choose what is drawn
(which peers, which value, which clients in what order); :func:`benchmark_distribution` and
:func:`portfolio` draw it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.patches import Patch

from assessment import text
from assessment.charts.layout import axes_for, keyword_ax, legend_below, level_label, rubric_text
from assessment.charts.selection import assessment_rows, select_assessment
from assessment.charts.theme import OKABE_ITO, PEER_COLOR, level_color, shape_text, style
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult, peer_index
from assessment.text.controls import strip_controls
from assessment.text.numbers import format_compact, format_number, format_ordinal

__all__ = [
    "BenchmarkData",
    "benchmark_data",
    "benchmark_distribution",
    "peer_pool",
    "portfolio",
    "portfolio_rows",
]

# -- benchmark ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenchmarkData:
    """What :func:`benchmark_distribution` draws for one assessment and measure."""

    #: The client drawn.
    client_id: str
    #: The client's value of the measure (NaN when not scored).
    value: float
    #: Its percentile among the peer group (NaN when not computed or suppressed).
    percentile: float
    #: The peer group's median (NaN when not computed).
    peer_median: float
    #: The size of the peer group the percentile was computed in.
    n_peers: int
    #: That peer group: ``"all"``, ``"sector"`` or ``"sector+size"``.
    peer_group: str
    #: The group the histogram shows: the same, or ``"all"`` without the clients table.
    group_shown: str
    #: The finite values of the measure among the peers shown.
    values: np.ndarray
    #: The measure's full range: 0-100 for the index, ``1..n`` for a dimension.
    limits: tuple[float, float]
    #: Whether the anonymity floor suppressed the percentile (then no histogram is drawn).
    suppressed: bool
    #: The client's name from the clients table (the legend shows it; the id without one).
    name: str = ""


def benchmark_data(
    result: ScoreResult,
    *,
    client_id: str | None = None,
    date: str | None = None,
    measure: str = "index",
    clients: pd.DataFrame | None = None,
) -> BenchmarkData:
    """The values :func:`benchmark_distribution` draws; the parameters are its.

    Raises
    ------
    ValueError
        If the result has no peer benchmark, ``measure`` is unknown, or the assessment is
        ambiguous or unknown.
    """
    rubric = result.rubric
    if result.peers is None or result.peers.empty or result.benchmark.empty:
        raise ValueError("the result has no peer benchmark; score it with peers=")
    measures = ["index", *rubric.dimension_table.index]
    if measure not in measures:
        raise ValueError(f"measure must be one of {measures}; got {measure!r}")
    cid, when = select_assessment(result, client_id, date)
    bench = assessment_rows(result.benchmark, cid, when)
    row = bench.loc[bench["measure"] == measure].iloc[0]
    group = str(row["peer_group"])
    pool = peer_pool(result.peers, group, cid, clients)
    if measure == "index":
        values = peer_index(pool, rubric).to_numpy(dtype=float)
        limits = (0.0, 100.0)
    else:
        values = pool[measure].to_numpy(dtype=float)
        limits = (1.0, float(rubric.n_levels))
    pct = float(row["percentile"])
    name = ""
    if clients is not None and "name" in clients:
        match = clients.loc[clients["client_id"] == cid, "name"]
        name = (
            strip_controls(str(match.iloc[0]))
            if not match.empty and pd.notna(match.iloc[0])
            else ""
        )
    return BenchmarkData(
        name=name,
        client_id=cid,
        value=float(row["value"]),
        percentile=pct,
        peer_median=float(row["peer_median"]) if pd.notna(row["peer_median"]) else np.nan,
        n_peers=int(row["n_peers"]),
        peer_group=group,
        # Without the clients table the histogram can only show everyone; the legend says so.
        group_shown="all" if pool is result.peers else group,
        values=values[np.isfinite(values)],
        limits=limits,
        suppressed=bool(np.isnan(pct) and int(row["n_peers"]) < result.options.anonymity_floor),
    )


def peer_pool(
    peers: pd.DataFrame, group: str, client_id: str, clients: pd.DataFrame | None
) -> pd.DataFrame:
    """The peers the scoring engine compared ``client_id`` with.

    Parameters
    ----------
    peers
        The peer population (``result.peers``).
    group
        The benchmark's ``peer_group``: ``"all"``, ``"sector"`` or ``"sector+size"``.
    client_id
        The client.
    clients
        The clients table (``sector``, ``size_band``); without it, or without the client in
        it, all of ``peers`` (the same object, so callers can tell).
    """
    if group == "all" or clients is None or "client_id" not in clients:
        return peers
    info = clients.set_index("client_id")
    if client_id not in info.index:
        return peers
    sector = info.at[client_id, "sector"] if "sector" in info else ""
    mask = peers["sector"] == sector
    if group == "sector+size" and "size_band" in info:
        mask &= peers["size_band"] == info.at[client_id, "size_band"]
    return peers.loc[mask]


def benchmark_distribution(
    result: ScoreResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    client_id: str | None = None,
    date: str | None = None,
    measure: str = "index",
    clients: pd.DataFrame | None = None,
    bins: int = 20,
) -> Axes:
    """Histogram of the peer group with the client's position and percentile.

    Parameters
    ----------
    result
        A result scored with ``peers=``.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    client_id, date
        The assessment; defaults to the only client and its latest date.
    measure
        ``"index"`` (0-100) or a dimension id (score ``1..n``).
    clients
        The clients table passed to :func:`~assessment.scoring.score` (``sector``,
        ``size_band``).  With it the histogram shows the same peer group the percentile was
        computed in; without it, all peers (the legend says which).
    bins
        Number of histogram bins over the measure's full range.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; the vertical line with gid ``"client"`` sits at the client's value and is
        labelled with its percentile.  When the percentile was suppressed by the anonymity floor
        the peer histogram is *not* drawn (it would expose the few peers) and a note says why.

    Raises
    ------
    ValueError
        If the result has no peer benchmark or ``measure`` is unknown.
    """
    data = benchmark_data(result, client_id=client_id, date=date, measure=measure, clients=clients)
    with style(lang):
        own_figure = ax is None
        ax = axes_for(ax, 3.0)
        if not data.suppressed and len(data.values):
            _draw_peers(ax, data, bins, lang)
        if data.suppressed:
            note = text.label(
                "chart.benchmark.suppressed",
                lang,
                n=data.n_peers,
                floor=result.options.anonymity_floor,
            )
            ax.text(
                0.5,
                0.55,
                shape_text(note, lang),
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize=8,
                wrap=True,
                color="#444444",
            )
        _draw_client(ax, data, lang)
        ax.set_xlim(*data.limits)
        ax.set_xlabel(shape_text(_measure_label(result.rubric, measure, lang), lang))
        ax.set_ylabel(shape_text(text.label("chart.benchmark.n_peers", lang), lang))
        ax.yaxis.get_major_locator().set_params(integer=True)
        legend_below(ax, own_figure, *ax.get_legend_handles_labels(), -0.22, ncol=1)
    return ax


def _measure_label(rubric: Rubric, measure: str, lang: str) -> str:
    """The x axis label: the index, or "<dimension> – Dimension score"."""
    if measure == "index":
        return text.label("chart.index", lang)
    name = rubric_text(rubric.dimension(measure).name, lang)
    return f"{name} – {text.label('chart.score', lang)}"


def _draw_peers(ax: Axes, data: BenchmarkData, bins: int, lang: str) -> None:
    """The peer histogram and, where there is one, the peer median's line."""
    peers = text.label(f"chart.benchmark.peers.{data.group_shown}", lang, n=len(data.values))
    ax.hist(
        data.values,
        bins=np.linspace(*data.limits, bins + 1),
        color=OKABE_ITO["sky_blue"],
        edgecolor="white",
        linewidth=0.6,
        label=shape_text(peers, lang),
    )
    if not np.isnan(data.peer_median):
        median = f"{text.label('peer_median', lang)}: {format_compact(data.peer_median, 1)}"
        ax.axvline(
            data.peer_median,
            color=PEER_COLOR,
            linestyle=":",
            linewidth=1.4,
            label=shape_text(median, lang),
            gid="peer_median",
        )


def _draw_client(ax: Axes, data: BenchmarkData, lang: str) -> None:
    """The client's line, labelled with its value and percentile, or a "not scored" note."""
    if not np.isfinite(data.value):
        ax.text(
            0.02,
            0.92,
            shape_text(text.label("chart.benchmark.no_value", lang, client=data.client_id), lang),
            transform=ax.transAxes,
        )
        return
    ax.axvline(
        data.value,
        color=OKABE_ITO["vermillion"],
        linewidth=2.2,
        label=shape_text(_client_label(data, lang), lang),
        gid="client",
    )


def _client_label(data: BenchmarkData, lang: str) -> str:
    """``"Acme: 55 (72nd percentile, sector peers)"``, or without a percentile.

    The client's name (its id without one), and the index rounded as the report rounds it
    (issue 15: 54 on the one-pager, 54.5 in this legend); a dimension keeps two decimals.
    """
    value = format_number(data.value, 0) if data.limits[1] > 10 else format_compact(data.value, 2)
    who = data.name or data.client_id
    if np.isnan(data.percentile):
        return f"{who}: {value}"
    # English says "72nd"; Arabic writes the number inside a sentence that names it.
    pct = format_ordinal(data.percentile) if lang == "en" else format_number(data.percentile, 0)
    return text.label(
        f"chart.benchmark.percentile.{data.peer_group}",
        lang,
        client=who,
        value=value,
        pct=pct,
    )


# -- portfolio ---------------------------------------------------------------------------------


def portfolio_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """The clients of :func:`portfolio` top down: highest index first, then by client id.

    Parameters
    ----------
    summary
        :meth:`ScoreResult.summary` output (``client_id``, ``index``, ``level``,
        ``count_2007``).

    Returns
    -------
    pandas.DataFrame
        ``summary`` sorted; unscored clients (no index) last.

    Raises
    ------
    ValueError
        If a needed column is missing.
    """
    need = {"client_id", "index", "level", "count_2007"} - set(summary.columns)
    if need:
        raise ValueError(f"summary lacks columns {sorted(need)}; use ScoreResult.summary()")
    return summary.sort_values(["index", "client_id"], ascending=[False, True], na_position="last")


@keyword_ax
def portfolio(
    summary: pd.DataFrame | ScoreResult,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    rubric: Rubric | None = None,
) -> Axes:
    """All clients at a glance: index bars, highest first, coloured by staged level.

    Parameters
    ----------
    summary
        :meth:`ScoreResult.summary` output (``client_id``, ``index``, ``level``,
        ``count_2007``) or a result, whose summary (latest assessments) is used.
    ax
        Axes to draw on; a new figure is created (height grows with the client count).
    lang
        Label language.
    rubric
        For level names and the scale size; taken from a result.  Without it levels are
        labelled by number and the scale is assumed to end at the highest level present
        (at least 3), so pass it for colours that match the other charts.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; ``ax.containers[0]`` has one bar per client (width = index), top down in
        decreasing index.  Each bar is annotated with the index and the number of dimensions
        still at level 1 (the "2007 count").

    Raises
    ------
    ValueError
        If the summary lacks a needed column.
    """
    if isinstance(summary, ScoreResult):
        rubric = summary.rubric
        summary = summary.summary()
    data = portfolio_rows(summary)
    n, name_level, first = _portfolio_scale(data, rubric, lang)

    with style(lang):
        own_figure = ax is None
        ax = axes_for(ax, 0.24 * len(data) + 1.6)
        y = np.arange(len(data))
        index = data["index"].to_numpy(dtype=float)
        colors = [level_color(v if pd.notna(v) else np.nan, n) for v in data["level"]]
        bars = ax.barh(y, index, color=colors, height=0.7)
        # The client's name where the summary has one (a partner reads names, not ids).
        names = (
            data["name"].where(data["name"].astype(str).str.strip() != "", data["client_id"])
            if "name" in data
            else data["client_id"]
        ).fillna(data["client_id"])
        # Names are user text: control characters (an ESC in a hostile name) are not drawn.
        ax.set_yticks(y, [shape_text(strip_controls(str(c)), lang) for c in names])
        ax.invert_yaxis()
        counts = data["count_2007"].fillna(0)
        ax.bar_label(
            bars,
            labels=[_bar_label(i, c, lang) for i, c in zip(index, counts, strict=True)],
            padding=3,
            fontsize=7,
        )
        # Room right of 100 for the annotation; ticks stay on the 0-100 scale.
        ax.set_xlim(0, 125)
        ax.set_xticks(range(0, 101, 20))
        note = text.label("chart.portfolio.count_note", lang, name=first)
        ax.set_xlabel(shape_text(f"{text.label('chart.index', lang)}\n{note}", lang))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        handles = [
            Patch(facecolor=level_color(lvl, n), label=name_level(lvl)) for lvl in range(1, n + 1)
        ]
        legend_below(
            ax,
            own_figure,
            handles,
            [h.get_label() for h in handles],
            -0.15,
            title=shape_text(text.label("level", lang), lang),
        )
    return ax


def _portfolio_scale(
    data: pd.DataFrame, rubric: Rubric | None, lang: str
) -> tuple[int, Callable[[int], str], str]:
    """The scale size, a level's legend label, and the name of level 1.

    Without a rubric the scale ends at the highest level present (at least 3) and levels
    are named by number.
    """
    if rubric is not None:
        return (
            rubric.n_levels,
            lambda lvl: level_label(rubric, lvl, lang),
            rubric.level_name(1, lang),
        )
    present = pd.to_numeric(data["level"], errors="coerce").max()
    n = max(3, int(present) if pd.notna(present) else 3)
    return (
        n,
        lambda lvl: shape_text(f"{text.label('level', lang)} {lvl}", lang),
        "1",
    )


def _bar_label(index: float, count: float, lang: str) -> str:
    """``"54  (3 at L1)"`` beside a client's bar, or "not scored"."""
    if pd.isna(index):
        return shape_text(text.label("chart.not_scored", lang), lang)
    count_at = text.label("chart.portfolio.count_at", lang, count=int(count))
    return shape_text(f"{format_number(index, 0)}  ({count_at})", lang)
