"""Report charts: one function per view of a :class:`~assessment.scoring.ScoreResult`.

Every chart is generic over the rubric: dimension and level names come from the rubric (in the
requested language through :func:`~assessment.rubric.translate`) and the level count from
``rubric.n_levels``, so a 4-level rubric from another domain draws as well as the packaged
5-level one.

Conventions shared by every function:

* the matplotlib object-oriented API only.  When no ``ax`` is given a new
  :class:`matplotlib.figure.Figure` is created directly, never through ``pyplot``: no GUI backend
  is selected, no global figure registry fills up, and a figure is freed as soon as the caller
  drops it.  Each function returns the Axes it drew on (``ax.figure`` is the figure);
* styling through :func:`style`, a :func:`matplotlib.rc_context`, so the caller's global
  ``rcParams`` are never changed;
* colours from one colour-blind-safe scheme: ordered maturity levels on *viridis*
  (:func:`level_color`), categorical series (current, targets, peers) on Okabe-Ito
  (:data:`OKABE_ITO`), "not applicable" and "missing" in greys with distinct hatching;
* ``lang`` selects the language of rubric names and chart labels (English fallback);
* layout: a figure created here is laid out by :class:`FitLayout` (constrained layout's
  result for a one-Axes chart, measured once), the radar by fixed margins;
* legends: on a figure created here, a figure legend that the layout keeps below the plot
  (it never covers data or overflows the page); on a caller's Axes, an Axes legend just
  below (or, for the radar, beside) it, which the caller can move with ``set_bbox_to_anchor``;
* artists that carry the numbers have a ``gid`` (``"client"``, ``"hotspots"``, ``"na"`` ...)
  so tests and callers can find them; see each function's *Returns*.

Arabic
    Matplotlib 3.11 and later lay text out through libraqm, which shapes Arabic letters and
    orders right-to-left runs itself.  :func:`shape_text` therefore leaves text alone when libraqm
    is present; only on an older matplotlib does it apply ``arabic_reshaper`` and
    ``python-bidi`` (when they are importable), because applying them on top of libraqm would
    reverse every label a second time.  All text uses the bundled DejaVu Sans, which has Arabic
    glyphs.

Example
-------
>>> from assessment import load_rubric, load_answers, score
>>> from assessment import charts
>>> result = score(load_rubric(), load_answers("data/samples/answers.csv", load_rubric()))
>>> ax = charts.radar(result, client_id="org00001")  # doctest: +SKIP
>>> png = charts.figure_to_png_bytes(ax.figure)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import io
import itertools
import math
import struct
import textwrap
import weakref
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

import matplotlib as mpl
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib import colors as mcolors
from matplotlib import ft2font
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine
from matplotlib.patches import Patch, Rectangle
from matplotlib.projections.polar import PolarAxes
from matplotlib.transforms import Bbox, blended_transform_factory

from assessment.rubric import Rubric, translate
from assessment.scoring import ScoreResult, peer_index, respondent_levels

__all__ = [
    "CATEGORICAL",
    "LEVEL_CMAP",
    "LEVEL_COLORS",
    "MISSING_COLOR",
    "NA_COLOR",
    "OKABE_ITO",
    "REPORT_WIDTH",
    "FitLayout",
    "agreement",
    "benchmark_distribution",
    "figure_to_png_bytes",
    "figure_to_svg",
    "gap_bars",
    "indicator_heatmap",
    "level_color",
    "level_colors",
    "portfolio",
    "radar",
    "rc_params",
    "save_figure",
    "shape_text",
    "staffing_chart",
    "style",
    "trend",
]

# -- palette -----------------------------------------------------------------------------------

#: Okabe & Ito (2008) "Color Universal Design" palette: distinguishable under the common
#: colour-vision deficiencies and in greyscale print.  Used for categorical series.
OKABE_ITO: Mapping[str, str] = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)

#: Order in which categorical series take colours.  Yellow is last: thin lines in it vanish on
#: white paper.
CATEGORICAL: tuple[str, ...] = tuple(
    OKABE_ITO[k]
    for k in (
        "blue",
        "vermillion",
        "bluish_green",
        "orange",
        "reddish_purple",
        "sky_blue",
        "black",
        "yellow",
    )
)

#: Colormap of ordered maturity levels.  Viridis is perceptually uniform, monotonic in
#: lightness (so it survives greyscale) and readable with colour-vision deficiencies.
LEVEL_CMAP = "viridis"

#: "Not applicable" cells: a mid-light grey (plus hatching where drawn as a cell).
NA_COLOR = "#BDBDBD"
#: "Missing" (unanswered) cells: near-white, told apart from N/A by a different hatch.
MISSING_COLOR = "#F4F4F4"
_NA_HATCH = "///"
_MISSING_HATCH = "..."
_HATCH_EDGE = "#7F7F7F"
_PEER_COLOR = "#7F7F7F"

#: Width of a report figure in inches (a portrait A4/Letter page minus margins).
REPORT_WIDTH = 6.5


def level_colors(n_levels: int) -> tuple[str, ...]:
    """The colours of levels ``1 .. n_levels``, lowest first, as hex strings.

    Parameters
    ----------
    n_levels
        Number of levels on the rubric's scale (``rubric.n_levels``).

    Returns
    -------
    tuple of str
        Evenly spaced samples of :data:`LEVEL_CMAP` from its dark end (level 1) to its light
        end (the top level).  The same samples :func:`level_color` and the heatmap use, so a
        level has one colour in every chart.
    """
    if n_levels < 2:
        raise ValueError(f"a scale needs at least 2 levels; got {n_levels}")
    cmap = mpl.colormaps[LEVEL_CMAP]
    return tuple(mcolors.to_hex(cmap(x)) for x in np.linspace(0.0, 1.0, n_levels))


#: Level colours of every scale size a rubric may declare (3 to 10 levels).
LEVEL_COLORS: Mapping[int, tuple[str, ...]] = MappingProxyType(
    {n: level_colors(n) for n in range(3, 11)}
)


def level_color(level: float, n_levels: int) -> str:
    """The colour of a (possibly fractional) level on an ``n_levels`` scale.

    Parameters
    ----------
    level
        A level in ``1 .. n_levels``; fractional levels (a median of 2 and 3) interpolate
        along :data:`LEVEL_CMAP`.  NaN gives :data:`NA_COLOR`.
    n_levels
        Number of levels on the scale.

    Returns
    -------
    str
        A hex colour.
    """
    if level is None or pd.isna(level):
        return NA_COLOR
    return _level_hex(min(max(float(level), 1.0), float(n_levels)), n_levels)


@functools.lru_cache(maxsize=1024)
def _level_hex(level: float, n_levels: int) -> str:
    # Cached: ``mpl.colormaps[...]`` copies the colormap on every lookup, and a chart asks for
    # the same few levels dozens of times.
    return mcolors.to_hex(mpl.colormaps[LEVEL_CMAP]((level - 1.0) / (n_levels - 1)))


# -- style -------------------------------------------------------------------------------------


def rc_params(lang: str = "en") -> dict[str, Any]:
    """The rcParams every chart is drawn with.

    Sizes target a figure printed at about 6-7 inches wide: 9 pt body text, 8 pt ticks and
    legends, 10 pt titles.

    Parameters
    ----------
    lang
        Label language; ``"ar"`` also tells libraqm the text is Arabic (where supported).

    Returns
    -------
    dict
        Suitable for :func:`matplotlib.rc_context`.
    """
    rc: dict[str, Any] = {
        # A concrete family rather than the generic "sans-serif": the family is resolved again
        # at draw time, and a caller's global sans-serif list (Arial, Helvetica ...) has no
        # Arabic glyphs.  DejaVu Sans ships with matplotlib, so it is always there.
        "font.family": _families(lang),
        "mathtext.fontset": "dejavusans",
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "legend.fontsize": 8,
        "legend.title_fontsize": 8,
        "legend.frameon": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.prop_cycle": cycler(color=list(CATEGORICAL)),
        "axes.titlelocation": "left",
        "grid.color": "#D9D9D9",
        "grid.linewidth": 0.6,
        "lines.linewidth": 1.6,
        "lines.markersize": 4.5,
        "hatch.linewidth": 0.6,
        "image.cmap": LEVEL_CMAP,
        # Unhinted glyphs, as browsers and macOS draw screen text: at report sizes they read
        # the same (hinting only snaps stems to pixels), and FreeType skips the font's hinting
        # program for every glyph it lays out and rasterises, which makes drawing text, most
        # of a chart's rendering time, about a third faster.
        "text.hinting": "no_hinting",
        "savefig.dpi": 200,
        # Embed TrueType fonts in PDF/PS (editable, and Arabic survives copy-paste); draw SVG
        # text as paths so the shaped glyphs do not depend on the viewer's fonts.
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "path",
    }
    if lang == "ar" and "text.language" in mpl.rcParams:  # matplotlib >= 3.11
        rc["text.language"] = "ar"
    return rc


@contextlib.contextmanager
def style(lang: str = "en") -> Iterator[None]:
    """Context manager applying :func:`rc_params` without touching global rcParams.

    Examples
    --------
    >>> with style():
    ...     fig = Figure()
    """
    with mpl.rc_context(rc_params(lang)):
        yield


# -- text --------------------------------------------------------------------------------------

_RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur"})


# libraqm-based layout (matplotlib >= 3.11) shapes and reorders RTL text by itself.
@functools.cache
def _installed(family: str) -> bool:
    from matplotlib import font_manager

    try:
        font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
    except ValueError:
        return False
    return True


def _families(lang: str) -> list[str]:
    """Font families for ``lang``: a Naskh face for Arabic where installed, else DejaVu Sans.

    Matplotlib falls back glyph by glyph along the list, so Latin text and digits that the
    Arabic face lacks still come from DejaVu Sans; nothing is downloaded.
    """
    if lang == "ar" and _installed("Noto Naskh Arabic"):
        return ["Noto Naskh Arabic", "DejaVu Sans"]
    return ["DejaVu Sans"]


_NATIVE_SHAPING = bool(getattr(ft2font, "__libraqm_version__", ""))


def _load_shapers() -> tuple[Any, Any] | None:
    try:
        reshaper = importlib.import_module("arabic_reshaper")
        bidi = importlib.import_module("bidi.algorithm")
    except ImportError:
        return None
    return reshaper.reshape, bidi.get_display


_SHAPERS = None if _NATIVE_SHAPING else _load_shapers()


def shape_text(text: str, lang: str = "en") -> str:
    """Prepare a label for drawing in ``lang``.

    Parameters
    ----------
    text
        Logical-order text (as stored in the rubric).
    lang
        Language code.

    Returns
    -------
    str
        ``text`` unchanged unless the language is right-to-left *and* matplotlib cannot shape
        it (no libraqm, i.e. matplotlib < 3.11) *and* ``arabic_reshaper`` and ``python-bidi``
        are importable; then the reshaped, visually ordered text, line by line.
    """
    if lang not in _RTL_LANGUAGES or _SHAPERS is None or not text:
        return text
    reshape, get_display = _SHAPERS
    return "\n".join(get_display(reshape(line)) for line in text.split("\n"))


_TEXT: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "en": {
            "current": "Current",
            "peer_median": "Peer median",
            "target": "Target",
            "priority": "Priority (weight × gap)",
            "gap": "gap {gap}",
            "not_scored": "not scored",
            "na": "Not applicable",
            "na_cell": "N/A",
            "missing": "No answer",
            "respondent": "Respondents (dot area = count)",
            "indicator_level": "Indicator level ({how})",
            "median": "median",
            "mean": "mean",
            "trimmed": "trimmed mean",
            "hotspot": "Disagreement hotspot",
            "level": "Level",
            "index": "Index (0–100)",
            "score": "Dimension score",
            "peers": "Peers ({group}, n={n})",
            "percentile": "{client}: {value} ({pct} percentile, {group} peers)",
            "suppressed": "Percentile suppressed: {n} peers, fewer than the anonymity floor of "
            "{floor}",
            "no_value": "{client}: not scored",
            "group_all": "all",
            "group_sector": "sector",
            "group_sector+size": "sector and size",
            "required_fte": "Required FTE",
            "current_fte": "Current FTE",
            "fte": "Full-time equivalents (FTE)",
            "fte_short": "gap +{gap}",
            "fte_spare": "gap −{gap}",
            "h_week": "{h} h/week",
            "cov_business": "Business hours",
            "cov_extended": "Extended hours",
            "cov_24x7": "24×7",
            "count_at": "{count} at L1",
            "count_note": "in brackets: dimensions still at level 1, “{name}”",
            "date": "Assessment date",
            "n_peers": "Number of peers",
        },
        "ar": {
            "current": "الوضع الحالي",
            "peer_median": "وسيط النظراء",
            "target": "المستهدف",
            "priority": "الأولوية (الوزن × الفجوة)",
            "gap": "الفجوة {gap}",
            "not_scored": "غير مقيَّم",
            "na": "لا ينطبق",
            "na_cell": "غ/م",
            "missing": "لا إجابة",
            "respondent": "إجابات المشاركين (المساحة = العدد)",
            "indicator_level": "مستوى المؤشر ({how})",
            "median": "الوسيط",
            "mean": "المتوسط",
            "trimmed": "المتوسط المشذَّب",
            "hotspot": "نقطة خلاف",
            "level": "المستوى",
            "index": "المؤشر (من 0 إلى 100)",
            "score": "درجة البُعد",
            "peers": "النظراء ({group}، العدد {n})",
            # Arabic first: the first strong letter sets the paragraph direction.
            "percentile": "المئين {pct} بين نظراء {group}: {client} ({value})",
            "suppressed": "المئين محجوب: {n} من النظراء فقط، أقل من الحد الأدنى للسرية {floor}",
            "no_value": "غير مقيَّم: {client}",
            "group_all": "الكل",
            "group_sector": "القطاع",
            "group_sector+size": "القطاع والحجم",
            "required_fte": "الموظفون المطلوبون (دوام كامل)",
            "current_fte": "الموظفون الحاليون (دوام كامل)",
            "fte": "مكافئ الدوام الكامل",
            # No signed numbers: bidi moves a leading "+" to the far side of the number.
            "fte_short": "نقص {gap}",
            "fte_spare": "فائض {gap}",
            "h_week": "{h} ساعة/أسبوع",
            "cov_business": "ساعات العمل",
            "cov_extended": "ساعات ممتدة",
            "cov_24x7": "على مدار الساعة",
            "count_at": "{count} في المستوى 1",
            "count_note": "بين القوسين: الأبعاد التي ما زالت في المستوى 1، «{name}»",
            "date": "تاريخ التقييم",
            "n_peers": "عدد النظراء",
        },
    }
)


def _t(key: str, lang: str, **values: Any) -> str:
    """A chart label in ``lang`` (English fallback), formatted, in logical order.

    Callers compose labels from pieces first and pass the finished string through
    :func:`shape_text` once: shaping pieces separately would misorder them when a fallback
    shaper reorders right-to-left text.
    """
    table = _TEXT.get(lang, _TEXT["en"])
    template = table.get(key) or _TEXT["en"].get(key, key)
    return template.format(**values)


def _wrap(text: str, wrap: int | None) -> str:
    """``text`` wrapped onto lines of at most ``wrap`` characters (words kept whole)."""
    return textwrap.fill(text, wrap, break_long_words=False) if wrap else text


def _name(text: Mapping[str, str] | None, lang: str, wrap: int | None = None) -> str:
    """A rubric text in ``lang``, optionally wrapped onto several lines (logical order)."""
    return _wrap(translate(text, lang), wrap)


def _fmt(x: float, digits: int = 2) -> str:
    """A level or score without trailing zeros: 3, 2.5, 2.25."""
    if x is None or pd.isna(x):
        return ""
    text = f"{float(x):.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ordinal(p: float) -> str:
    n = round(p)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _legend_columns(labels: Sequence[str], budget: int = 100) -> int:
    """Legend columns that fit a report-width figure: about ``budget`` characters a row."""
    longest = max((max(map(len, str(t).split("\n"))) for t in labels), default=1)
    return max(1, min(len(labels), budget // (longest + 6)))


def _legend_below(
    ax: Axes,
    own_figure: bool,
    handles: Sequence[Any],
    labels: Sequence[str],
    offset: float,
    **kwargs: Any,
) -> None:
    """A legend under the plot.

    On a figure this module created, a figure legend that :class:`FitLayout` keeps below
    everything (tick labels, axis label), whatever the figure height.  On a caller's Axes, an
    Axes legend ``offset`` (axes fraction) below it, which the caller may move.
    """
    kwargs.setdefault("ncol", _legend_columns(labels))
    if own_figure:
        legend = ax.figure.legend(handles, labels, loc="outside lower center", **kwargs)
        _BOTTOM_LEGENDS.add(legend)
    else:
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, offset), **kwargs)


def _text_color(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    linear = [
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in mcolors.to_rgb(background)
    ]
    r, g, b = linear
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.18 else "white"


# -- figures and selections --------------------------------------------------------------------


#: Figure legends placed along the bottom by :func:`_legend_below`; :class:`FitLayout`
#: reserves room for these and leaves a figure with any other legend to constrained layout.
_BOTTOM_LEGENDS: weakref.WeakSet[Any] = weakref.WeakSet()


class FitLayout(LayoutEngine):
    """Constrained layout's result for a one-Axes chart, from one measurement.

    Every chart of this module created without ``ax`` is one Axes (plus, for
    :func:`trend`, its twin) with an optional figure legend along the bottom.  For that shape
    the margins follow directly from what sticks out of the Axes box: tick labels, axis
    labels, the title, texts such as the ``r_wg`` column, and the legend's height.  This
    engine measures those once (the text metrics it computes are cached and reused by the
    draw that follows) and sets the Axes position.  Constrained layout reaches the same
    result but measures everything twice and, because it runs inside ``savefig``, adds a
    third, non-rendering draw of the whole figure; for the report's charts that was about a
    third of the time spent saving them.

    Any other figure shape (several Axes, colorbars, sub-figures, a super-title, legends
    elsewhere) or a renderer without text metrics is handed to
    :class:`~matplotlib.layout_engine.ConstrainedLayoutEngine`, so adding to a chart's
    figure stays safe.

    Parameters
    ----------
    pad
        Space in inches kept between the figure edge, the decorations and the legend (as
        constrained layout's default ``w_pad``/``h_pad``).
    """

    _adjust_compatible = False
    _colorbar_gridspec = False

    def __init__(self, *, pad: float = 3 / 72) -> None:
        super().__init__()
        self._params = {"pad": pad}
        self._fallback = ConstrainedLayoutEngine(h_pad=pad, w_pad=pad)

    def set(self, *, pad: float | None = None) -> None:
        """Set the padding in inches (``None`` leaves it unchanged)."""
        if pad is not None:
            self._params["pad"] = pad
            self._fallback.set(h_pad=pad, w_pad=pad)

    def execute(self, fig: Figure) -> None:
        """Place the Axes so that its decorations and the bottom legend fit the figure."""
        get_renderer = getattr(fig.canvas, "get_renderer", None)
        if get_renderer is None or not _one_axes_figure(fig):
            # Vector backends during savefig, or a figure a caller extended.
            self._fallback.execute(fig)
            return
        renderer = get_renderer()
        pad = self._params["pad"] * fig.dpi
        width, height = fig.bbox.width, fig.bbox.height
        # The legend sits at the bottom edge whatever the Axes do: measure it once.
        legend_top = max(
            (leg.get_window_extent(renderer).y1 for leg in fig.legends if leg.get_visible()),
            default=None,
        )
        floor = pad if legend_top is None else legend_top + pad
        # Measure from the grid's own cell every time, not from the last result: the same
        # figure then always gets the same layout (and the same PNG bytes).
        _place(fig.axes, fig.axes[0].get_subplotspec().get_position(fig))
        # A second pass only when the first moved the Axes enough to change a tick
        # locator's choice: then tick labels (and so the margins) may differ.  Labels that
        # stay put (categorical axes, fixed ticks) are exact after one pass.
        for _ in range(2):
            ticks = _tick_locations(fig.axes)
            box = fig.axes[0].get_position(original=True).transformed(fig.transFigure)
            tight = Bbox.union(
                [ax.get_tightbbox(renderer, for_layout_only=True) for ax in fig.axes]
            )
            left = pad + max(box.x0 - tight.x0, 0.0)
            right = width - pad - max(tight.x1 - box.x1, 0.0)
            bottom = floor + max(box.y0 - tight.y0, 0.0)
            top = height - pad - max(tight.y1 - box.y1, 0.0)
            # Never a degenerate Axes: labels too long for the page squeeze it, as they do
            # under constrained layout, but it keeps a sliver to draw in.
            right = max(right, left + 0.1 * width)
            top = max(top, bottom + 0.1 * height)
            _place(
                fig.axes,
                Bbox.from_extents(left / width, bottom / height, right / width, top / height),
            )
            if _tick_locations(fig.axes) == ticks:
                break


def _place(axes: Sequence[Axes], rect: Bbox) -> None:
    for ax in axes:
        ax.set_position(rect)
        ax.set_in_layout(True)  # set_position opts an Axes out of layouts; keep it in


def _one_axes_figure(fig: Figure) -> bool:
    """Whether ``fig`` has the shape :class:`FitLayout` lays out (one Axes and its twins)."""
    if not fig.axes or fig.subfigs:
        return False
    spec = fig.axes[0].get_subplotspec()
    if spec is None or spec.get_gridspec().get_geometry() != (1, 1):
        return False
    if any(ax.get_subplotspec() != spec for ax in fig.axes[1:]):
        return False
    if any(getattr(fig, f"get_{name}", str)() for name in ("suptitle", "supxlabel", "supylabel")):
        return False
    return all(leg in _BOTTOM_LEGENDS for leg in fig.legends)


def _tick_locations(axes: Sequence[Axes]) -> list[list[float]]:
    return [list(axis.get_majorticklocs()) for ax in axes for axis in (ax.xaxis, ax.yaxis)]


def _new_axes(height: float, *, polar: bool = False, width: float = REPORT_WIDTH) -> Axes:
    """A fresh Figure (no pyplot) with one Axes, sized for a report page."""
    size = (width, min(max(height, 2.0), 20.0))
    if polar:
        # Fixed margins instead of a layout engine: constrained layout measures the polar
        # Axes before its equal aspect shrinks it and lets long spoke labels hang off the page.
        # The margins leave room for wrapped names on every side and a legend below.
        fig = Figure(figsize=size)
        fig.subplots_adjust(left=0.2, right=0.8, top=0.86, bottom=0.2)
    else:
        fig = Figure(figsize=size, layout=FitLayout())
    # An Agg canvas makes ``fig.canvas.draw()`` and text extents work without any backend
    # switch; savefig still picks the right canvas for other formats.
    FigureCanvasAgg(fig)
    return fig.add_subplot(projection="polar" if polar else None)


def _axes(ax: Axes | None, height: float, *, polar: bool = False) -> Axes:
    if ax is None:
        return _new_axes(height, polar=polar)
    if polar and not isinstance(ax, PolarAxes):
        raise ValueError(
            "radar() draws on a polar Axes; create one with "
            "fig.add_subplot(projection='polar') or pass ax=None"
        )
    return ax


def _select(result: ScoreResult, client_id: str | None, date: str | None) -> tuple[str, str]:
    """Resolve one assessment: the only client when there is one, its latest date by default."""
    overall = result.overall
    if client_id is None:
        clients = sorted(overall["client_id"].unique())
        if len(clients) != 1:
            shown = ", ".join(map(str, clients[:8])) + (" ..." if len(clients) > 8 else "")
            raise ValueError(
                f"the result holds {len(clients)} clients; pass client_id= (one of {shown})"
            )
        client_id = str(clients[0])
    sub = overall.loc[overall["client_id"] == client_id]
    if sub.empty:
        raise ValueError(f"client {client_id!r} has no scored assessment in this result")
    if date is None:
        date = str(sub["date"].max())
    elif not (sub["date"] == date).any():
        dates = ", ".join(sorted(map(str, sub["date"])))
        raise ValueError(f"client {client_id!r} has no assessment on {date!r} (dates: {dates})")
    return client_id, date


def _one(df: pd.DataFrame, client_id: str, date: str) -> pd.DataFrame:
    return df.loc[(df["client_id"] == client_id) & (df["date"] == date)]


def _spoke_wrap(wrap: int | None, angle: float) -> int | None:
    """Characters per line for a radar label at ``angle`` (radians from twelve o'clock).

    A label at the side grows towards the page edge, so it wraps at ``wrap``; one near the top
    or bottom grows along the circle, where there is room for up to 1.6 times as much.  A long
    name at six o'clock (``wrap`` everywhere) took five lines and ran into the legend.
    """
    if wrap is None:
        return None
    return round(wrap * (1 + 0.6 * abs(math.cos(angle))))


def _dimension_rows(table: pd.DataFrame, client_id: str | None, date: str | None) -> pd.DataFrame:
    """The rows of one assessment from a ``dimensions``-like table."""
    if "dimension_id" not in table:
        raise ValueError("the table needs a 'dimension_id' column (rows of result.dimensions)")
    if client_id is not None and "client_id" in table:
        table = table.loc[table["client_id"] == client_id]
    if date is not None and "date" in table:
        table = table.loc[table["date"] == date]
    if table["dimension_id"].duplicated().any():
        raise ValueError(
            "the table holds several assessments; pass client_id= and date= to pick one"
        )
    return table


def _respondent_levels(result: ScoreResult, client_id: str, date: str) -> pd.DataFrame:
    """Each respondent's level per indicator (NaN for an ``NA`` answer).

    Step 1 of the scoring method, from :func:`~assessment.scoring.respondent_levels`.
    """
    answers = _one(result.answers, client_id, date)
    level = respondent_levels(answers, result.rubric)
    return pd.DataFrame(
        {
            "respondent": answers["respondent"].astype(str).to_numpy(),
            "indicator_id": answers["indicator_id"].astype(str).to_numpy(),
            "is_na": answers["is_na"].to_numpy(dtype=bool),
            "level": level,
        }
    )


# -- radar -------------------------------------------------------------------------------------


def radar(
    data: ScoreResult | pd.DataFrame | Mapping[str, float],
    rubric: Rubric | None = None,
    *,
    client_id: str | None = None,
    date: str | None = None,
    targets: Mapping[str, Mapping[str, float]] | None = None,
    peer_median: Mapping[str, float] | None = None,
    label: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
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
    ax
        A polar Axes to draw on; a new figure is created when omitted.
    lang
        Language of the dimension, level and legend labels.
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
    if isinstance(data, pd.DataFrame):
        if rubric is None:
            raise ValueError("radar() needs rubric= when given a table of dimension scores")
        dims = _dimension_rows(data, client_id, date).set_index("dimension_id")
        if targets is None and "target" in dims:
            targets = {_t("target", lang): dims["target"].to_dict()}
        data = dims["score"].to_dict()
    if isinstance(data, ScoreResult):
        rubric = data.rubric
        cid, when = _select(data, client_id, date)
        dims = _one(data.dimensions, cid, when).set_index("dimension_id")
        scores: Mapping[str, float] = dims["score"].to_dict()
        if targets is None:
            profile = str(_one(data.overall, cid, when)["target_profile"].iloc[0])
            targets = {_profile_name(rubric, profile, lang): dims["target"].to_dict()}
        if peer_median is None:
            bench = _one(data.benchmark, cid, when) if not data.benchmark.empty else None
            if bench is not None and bench["peer_median"].notna().any():
                peer_median = bench.set_index("measure")["peer_median"].to_dict()
        label = label if label is not None else cid
    else:
        if rubric is None:
            raise ValueError("radar() needs rubric= when given a mapping of scores")
        scores = data
    targets = targets or {}
    n = rubric.n_levels
    ids = list(rubric.dimension_table.index)
    k = len(ids)

    def closed(values: Mapping[str, float]) -> np.ndarray:
        r = np.array([float(values.get(d, np.nan)) for d in ids])
        return np.append(r, r[:1])

    with style(lang):
        own_figure = ax is None
        ax = _axes(ax, 5.5, polar=True)
        theta = np.linspace(0.0, 2 * np.pi, k, endpoint=False)
        theta_closed = np.append(theta, theta[:1])
        # Start at twelve o'clock and go clockwise: the order readers scan a clock face.
        ax.set_theta_zero_location("N")
        ax.set_theta_direction(-1)

        current = closed(scores)
        ax.plot(
            theta_closed,
            current,
            color=OKABE_ITO["blue"],
            marker="o",
            label=shape_text(label if label is not None else _t("current", lang), lang),
            zorder=4,
        )
        if np.isfinite(current).all():
            # The fill makes the profile's shape readable; skipped when a dimension is unscored
            # because a polygon through zero would misstate it.
            ax.fill(theta_closed, current, color=OKABE_ITO["blue"], alpha=0.12, zorder=3)
        styles = ["--", "-.", (0, (5, 1.5, 1, 1.5)), (0, (8, 2))]
        target_colors = [c for c in CATEGORICAL if c != OKABE_ITO["blue"]]
        for j, (name, values) in enumerate(targets.items()):
            ax.plot(
                theta_closed,
                closed(values),
                color=target_colors[j % len(target_colors)],
                linestyle=styles[j % len(styles)],
                label=shape_text(str(name), lang),
                zorder=3,
            )
        if peer_median:
            ax.plot(
                theta_closed,
                closed(peer_median),
                color=_PEER_COLOR,
                linestyle=":",
                linewidth=1.8,
                label=shape_text(_t("peer_median", lang), lang),
                zorder=2,
            )

        ax.set_xticks(
            theta,
            [
                shape_text(_name(d.name, lang, _spoke_wrap(wrap, angle)), lang)
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
            angle=180.0 / k,
            fontsize=7,
            color="#555555",
        )
        ax.grid(True, color="#CCCCCC", linewidth=0.6)
        # Align each name away from the circle so multi-line names clear the outer ring.
        for text, angle in zip(ax.get_xticklabels(), theta, strict=True):
            east, north = np.sin(angle), np.cos(angle)  # clockwise from twelve o'clock
            text.set_horizontalalignment(
                "left" if east > 0.1 else "right" if east < -0.1 else "center"
            )
            text.set_verticalalignment(
                "bottom" if north > 0.1 else "top" if north < -0.1 else "center"
            )
            if lang in _RTL_LANGUAGES:
                text.set_multialignment("right")  # right-to-left paragraphs align right
        if own_figure:
            # Along the bottom of the page, clear of the spoke labels (see _new_axes).
            handles, labels = ax.get_legend_handles_labels()
            ax.figure.legend(
                handles, labels, loc="lower center", ncol=_legend_columns(labels), borderaxespad=0.3
            )
        else:
            ax.legend(loc="upper left", bbox_to_anchor=(1.08, 1.05))
    return ax


def _level_label(rubric: Rubric, level: int, lang: str, wrap: int | None = None) -> str:
    """``"3 Defined"``: a level's number and name, shaped for drawing (optionally wrapped)."""
    return shape_text(_wrap(f"{level} {rubric.level_name(level, lang)}", wrap), lang)


def _profile_name(rubric: Rubric, profile_id: str, lang: str) -> str:
    try:
        name = rubric.target_profile(profile_id).name
    except KeyError:
        name = None
    label = translate(name, lang) if name else profile_id
    return f"{_t('target', lang)}: {label}"


# -- gaps --------------------------------------------------------------------------------------


def gap_bars(
    result: ScoreResult | pd.DataFrame,
    rubric: Rubric | None = None,
    *,
    client_id: str | None = None,
    date: str | None = None,
    profile: str | Mapping[str, float] | None = None,
    ax: Axes | None = None,
    lang: str = "en",
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
    client_id, date
        The assessment; defaults to the only client and its latest date.
    profile
        Measure gaps against this target profile id or ``{dimension_id: target}`` instead of
        the assessment's own profile (results only).
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    wrap
        Wrap dimension names to this many characters per line.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; ``ax.containers[0]`` holds one bar per dimension from the top down in
        decreasing priority (ties in rubric order), bar width = priority.
    """
    if isinstance(result, pd.DataFrame):
        if rubric is None:
            raise ValueError("gap_bars() needs rubric= when given a table of dimensions")
        if profile is not None:
            raise ValueError("profile= needs a ScoreResult (gaps are recomputed from scores)")
        dims = _dimension_rows(result, client_id, date)
    else:
        rubric = result.rubric
        cid, when = _select(result, client_id, date)
        if profile is None:
            dims = _one(result.dimensions, cid, when)
        else:
            dims = _one(result.gaps_against(profile), cid, when)
    order = rubric.dimension_table["order"]
    dims = dims.assign(order=dims["dimension_id"].map(order).to_numpy())
    # Unscored dimensions have no priority; they go last rather than vanish.
    dims = dims.sort_values(["priority", "order"], ascending=[False, True], na_position="last")
    names = {d.id: shape_text(_name(d.name, lang, wrap), lang) for d in rubric.dimensions}

    with style(lang):
        ax = _axes(ax, 0.38 * len(dims) + 1.2)
        y = np.arange(len(dims))
        priority = dims["priority"].to_numpy(dtype=float)
        bars = ax.barh(y, priority, color=OKABE_ITO["vermillion"], height=0.65, label="priority")
        ax.set_yticks(y, [names[d] for d in dims["dimension_id"]])
        ax.invert_yaxis()  # highest priority on top
        top = np.nanmax(priority) if np.isfinite(priority).any() else 0.0
        ax.set_xlim(0, top * 1.3 if top > 0 else 1.0)
        ax.bar_label(
            bars,
            labels=[
                shape_text(
                    _t("gap", lang, gap=_fmt(g)) if pd.notna(g) else _t("not_scored", lang), lang
                )
                for g in dims["gap"]
            ],
            padding=3,
            fontsize=8,
        )
        ax.set_xlabel(shape_text(_t("priority", lang), lang))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
    return ax


# -- heatmap -----------------------------------------------------------------------------------


def indicator_heatmap(
    result: ScoreResult,
    *,
    by: Literal["assessment", "respondent"] = "assessment",
    client_id: str | None = None,
    date: str | None = None,
    ax: Axes | None = None,
    lang: str = "en",
    annotate: bool | None = None,
    wrap: int | None = 38,
) -> Axes:
    """Indicator levels as a grid: indicators (rows, grouped by dimension) by columns.

    Parameters
    ----------
    result
        A scored result.
    by
        ``"assessment"``: one column per assessment in ``result`` (client id, plus the date
        when a client has several), cells = indicator levels.  ``"respondent"``: one column per
        respondent of one assessment (``client_id``/``date``), cells = that respondent's level.
    client_id, date
        The assessment for ``by="respondent"``.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
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
    """
    rubric = result.rubric
    n = rubric.n_levels
    order = list(rubric.indicator_table.index)
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
        cid, when = _select(result, client_id, date)
        resp = _respondent_levels(result, cid, when)
        people = list(dict.fromkeys(resp["respondent"]))  # in answer order
        wide = resp.pivot(index="indicator_id", columns="respondent", values="level")
        na = resp.pivot(index="indicator_id", columns="respondent", values="is_na")
        matrix = wide.reindex(index=order, columns=people).to_numpy(dtype=float)
        na = na.reindex(index=order, columns=people)
        state = np.where(
            na.isna().to_numpy(), "missing", np.where(na.fillna(False).to_numpy(bool), "na", "")
        )
        columns = people
    else:
        raise ValueError(f"by must be 'assessment' or 'respondent'; got {by!r}")

    n_rows, n_cols = matrix.shape
    if annotate is None:
        annotate = n_rows * n_cols <= 600
    table = rubric.indicator_table
    row_names = [shape_text(_name(rubric.indicator(i).name, lang, wrap), lang) for i in order]

    with style(lang):
        ax = _axes(ax, 0.3 * n_rows + 1.8)
        image = ax.imshow(
            np.ma.masked_invalid(matrix),
            cmap=LEVEL_CMAP,
            vmin=1,
            vmax=n,
            aspect="auto",
            interpolation="nearest",
        )
        for r in range(n_rows):
            for c in range(n_cols):
                value, what = matrix[r, c], state[r, c]
                if np.isnan(value) and what in ("na", "missing"):
                    is_na = what == "na"
                    cell = Rectangle(
                        (c - 0.5, r - 0.5),
                        1,
                        1,
                        facecolor=NA_COLOR if is_na else MISSING_COLOR,
                        edgecolor=_HATCH_EDGE,
                        hatch=_NA_HATCH if is_na else _MISSING_HATCH,
                        linewidth=0,
                    )
                    cell.set_gid(what)
                    ax.add_patch(cell)
                if not annotate:
                    continue
                if np.isnan(value):
                    text = shape_text(_t("na_cell", lang), lang) if what == "na" else "?"
                    ax.text(c, r, text, ha="center", va="center", fontsize=7, color="black")
                else:
                    ax.text(
                        c,
                        r,
                        _fmt(value, 1),
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=_text_color(level_color(value, n)),
                    )

        # Group rows by dimension: white rules between groups, dimension names on the right.
        groups = table["dimension_id"].to_numpy()
        bounds = [0, *[i for i in range(1, n_rows) if groups[i] != groups[i - 1]], n_rows]
        right = blended_transform_factory(ax.transAxes, ax.transData)
        for lo, hi in itertools.pairwise(bounds):
            if lo > 0:
                ax.axhline(lo - 0.5, color="white", linewidth=2.5)
            dim = rubric.dimension(str(groups[lo]))
            ax.text(
                1.01,
                (lo + hi - 1) / 2,
                shape_text(_name(dim.name, lang, 16), lang),
                transform=right,
                ha="left",
                va="center",
                fontsize=8,
                fontweight="bold",
            )
        ax.set_yticks(range(n_rows), row_names, fontsize=7)
        ax.set_xticks(range(n_cols), [shape_text(str(c), lang) for c in columns])
        # Column labels on top leave the bottom free for the legend, as in a printed table.
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", rotation=90 if n_cols > 8 else 0, length=0)
        ax.tick_params(axis="y", length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_xlim(-0.5, n_cols - 0.5)
        ax.set_ylim(n_rows - 0.5, -0.5)
        handles = [
            Patch(facecolor=level_color(lvl, n), label=_level_label(rubric, lvl, lang))
            for lvl in range(1, n + 1)
        ]
        handles += [
            Patch(
                facecolor=NA_COLOR,
                edgecolor=_HATCH_EDGE,
                hatch=_NA_HATCH,
                label=shape_text(_t("na", lang), lang),
            ),
            Patch(
                facecolor=MISSING_COLOR,
                edgecolor=_HATCH_EDGE,
                hatch=_MISSING_HATCH,
                label=shape_text(_t("missing", lang), lang),
            ),
        ]
        ax.legend(
            handles=handles,
            loc="upper center",
            bbox_to_anchor=(0.5, -0.01),
            ncol=_legend_columns([h.get_label() for h in handles]),
            handlelength=1.2,
        )
        image.set_gid("levels")
    return ax


# -- agreement ---------------------------------------------------------------------------------


def agreement(
    result: ScoreResult,
    *,
    client_id: str | None = None,
    date: str | None = None,
    hotspots_only: bool = False,
    ax: Axes | None = None,
    lang: str = "en",
    wrap: int | None = 38,
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
    client_id, date
        The assessment; defaults to the only client and its latest date.
    hotspots_only
        Show only hotspot indicators.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    wrap
        Wrap indicator names to this many characters per line.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; the collection with gid ``"hotspots"`` has one marker per hotspot shown,
        ``"respondents"`` one dot per (indicator, level) given, ``"indicator_level"`` one
        marker per indicator.  The ``r_wg`` column is the text with gid ``"rwg_header"``
        and one text with gid ``"rwg"`` per row, top down ("–" where undefined).
    """
    rubric = result.rubric
    n = rubric.n_levels
    cid, when = _select(result, client_id, date)
    resp = _respondent_levels(result, cid, when).dropna(subset=["level"])
    ind = _one(result.indicators, cid, when).set_index("indicator_id")
    # Plain dicts: one lookup per row and column below, and ``.at`` costs ~50x a dict get.
    is_hotspot = {i: bool(h) for i, h in ind["hotspot"].items()}
    rwgs = ind["rwg"].to_dict()
    answered = set(resp["indicator_id"])
    shown = [i for i in rubric.indicator_table.index if i in answered]
    if hotspots_only:
        shown = [i for i in shown if is_hotspot[i]]
    row = {i: k for k, i in enumerate(shown)}
    resp = resp.loc[resp["indicator_id"].isin(row)]
    counts = resp.groupby(["indicator_id", "level"]).size().reset_index(name="count")
    how = _t(result.options.aggregate, lang)

    with style(lang):
        own_figure = ax is None
        ax = _axes(ax, 0.32 * max(len(shown), 1) + 1.6)
        hot = [row[i] for i in shown if is_hotspot[i]]
        for r in hot:
            # Shading before the data so the dots stay on top.
            ax.axhspan(r - 0.5, r + 0.5, color=OKABE_ITO["vermillion"], alpha=0.10, lw=0)
        spread = resp.groupby("indicator_id")["level"].agg(["min", "max"])
        ys = [row[i] for i in spread.index]
        ax.hlines(ys, spread["min"], spread["max"], color="#9E9E9E", linewidth=1.0, zorder=1)
        dots = ax.scatter(
            counts["level"],
            counts["indicator_id"].map(row),
            s=28 * counts["count"].to_numpy(),
            c=[level_color(v, n) for v in counts["level"]],
            edgecolors="#333333",
            linewidths=0.5,
            zorder=3,
            label=shape_text(_t("respondent", lang), lang),
        )
        dots.set_gid("respondents")
        levels = ind["level"].reindex(shown).to_numpy(dtype=float)
        median = ax.scatter(
            levels,
            range(len(shown)),
            marker="|",
            s=220,
            linewidths=2.2,
            color="black",
            zorder=4,
            label=shape_text(_t("indicator_level", lang, how=how), lang),
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
            label=shape_text(_t("hotspot", lang), lang),
        )
        flags.set_gid("hotspots")
        right = blended_transform_factory(ax.transAxes, ax.transData)
        # One r_wg column: the symbol once as its header (the only mathtext, which costs as
        # much to lay out as a dozen plain labels), then a plain number per row.
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
        for i in shown:
            rwg = rwgs[i]
            is_hot = is_hotspot[i]
            ax.text(
                1.01,
                row[i],
                _fmt(rwg) if pd.notna(rwg) else "–",
                transform=right,
                ha="left",
                va="center",
                fontsize=7,
                color=OKABE_ITO["vermillion"] if is_hot else "#333333",
                fontweight="bold" if is_hot else "normal",
                gid="rwg",
            )
        ax.set_yticks(
            range(len(shown)),
            [shape_text(_name(rubric.indicator(i).name, lang, wrap), lang) for i in shown],
        )
        ax.set_ylim(len(shown) - 0.5, -0.5)
        ax.set_xlim(0.5, n + 0.8)
        ax.set_xticks(
            range(1, n + 1),
            [
                shape_text(f"{lvl}\n{_name(rubric.scale[lvl - 1].name, lang, 10)}", lang)
                for lvl in range(1, n + 1)
            ],
            # A level's column is about an inch wide: smaller, narrower-wrapped names keep
            # neighbours such as "2007: ad hoc" and "Present and reactive" from touching.
            fontsize=8,
        )
        ax.set_xlabel(shape_text(_t("level", lang), lang))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        handles = [dots, median] + ([flags] if hot else [])
        _legend_below(
            ax, own_figure, handles, [h.get_label() for h in handles], -0.2, markerscale=0.6
        )
    return ax


# -- benchmark ---------------------------------------------------------------------------------


def benchmark_distribution(
    result: ScoreResult,
    *,
    client_id: str | None = None,
    date: str | None = None,
    measure: str = "index",
    clients: pd.DataFrame | None = None,
    bins: int = 20,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """Histogram of the peer group with the client's position and percentile.

    Parameters
    ----------
    result
        A result scored with ``peers=``.
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
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.

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
    rubric = result.rubric
    n = rubric.n_levels
    if result.peers is None or result.peers.empty or result.benchmark.empty:
        raise ValueError("the result has no peer benchmark; score it with peers=")
    measures = ["index", *rubric.dimension_table.index]
    if measure not in measures:
        raise ValueError(f"measure must be one of {measures}; got {measure!r}")
    cid, when = _select(result, client_id, date)
    bench = _one(result.benchmark, cid, when)
    row = bench.loc[bench["measure"] == measure].iloc[0]
    group = str(row["peer_group"])
    pool = _peer_pool(result.peers, group, cid, clients)
    # Without the clients table the histogram can only show everyone; say so in the legend.
    group_shown = "all" if pool is result.peers else group
    if measure == "index":
        values = peer_index(pool, rubric).to_numpy(dtype=float)
        lo, hi, xlabel = 0.0, 100.0, shape_text(_t("index", lang), lang)
    else:
        values = pool[measure].to_numpy(dtype=float)
        lo, hi = 1.0, float(n)
        xlabel = shape_text(
            f"{_name(rubric.dimension(measure).name, lang)} – {_t('score', lang)}", lang
        )
    values = values[np.isfinite(values)]
    value = float(row["value"])
    pct = float(row["percentile"])
    suppressed = np.isnan(pct) and int(row["n_peers"]) < result.options.anonymity_floor

    with style(lang):
        own_figure = ax is None
        ax = _axes(ax, 3.0)
        if not suppressed and len(values):
            ax.hist(
                values,
                bins=np.linspace(lo, hi, bins + 1),
                color=OKABE_ITO["sky_blue"],
                edgecolor="white",
                linewidth=0.6,
                label=shape_text(
                    _t("peers", lang, group=_t(f"group_{group_shown}", lang), n=len(values)),
                    lang,
                ),
            )
            if pd.notna(row["peer_median"]):
                ax.axvline(
                    float(row["peer_median"]),
                    color=_PEER_COLOR,
                    linestyle=":",
                    linewidth=1.4,
                    label=shape_text(
                        f"{_t('peer_median', lang)}: {_fmt(row['peer_median'], 1)}", lang
                    ),
                    gid="peer_median",
                )
        if suppressed:
            ax.text(
                0.5,
                0.55,
                shape_text(
                    _t(
                        "suppressed",
                        lang,
                        n=int(row["n_peers"]),
                        floor=result.options.anonymity_floor,
                    ),
                    lang,
                ),
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize=8,
                wrap=True,
                color="#444444",
            )
        if np.isfinite(value):
            if np.isnan(pct):
                text = f"{cid}: {_fmt(value, 1)}"
            else:
                pct_text = _ordinal(pct) if lang == "en" else f"{pct:.0f}"
                text = _t(
                    "percentile",
                    lang,
                    client=cid,
                    value=_fmt(value, 1),
                    pct=pct_text,
                    group=_t(f"group_{group}", lang),
                )
            ax.axvline(
                value,
                color=OKABE_ITO["vermillion"],
                linewidth=2.2,
                label=shape_text(text, lang),
                gid="client",
            )
        else:
            ax.text(
                0.02,
                0.92,
                shape_text(_t("no_value", lang, client=cid), lang),
                transform=ax.transAxes,
            )
        ax.set_xlim(lo, hi)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(shape_text(_t("n_peers", lang), lang))
        ax.yaxis.get_major_locator().set_params(integer=True)
        _legend_below(ax, own_figure, *ax.get_legend_handles_labels(), -0.22, ncol=1)
    return ax


def _peer_pool(
    peers: pd.DataFrame, group: str, client_id: str, clients: pd.DataFrame | None
) -> pd.DataFrame:
    """The peers the engine compared ``client_id`` with (all peers without client info)."""
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


# -- trend -------------------------------------------------------------------------------------

#: Characters per line of a dimension name in the trend chart's legend.
TREND_LEGEND_WRAP = 28
#: Characters per line of a level name on the trend chart's right axis.
TREND_LEVEL_WRAP = 20


def trend(
    result: ScoreResult,
    *,
    client_id: str | None = None,
    show: Literal["index", "dimensions", "both"] = "index",
    dimensions: Sequence[str] | None = None,
    ax: Axes | None = None,
    lang: str = "en",
) -> Axes:
    """A client's index and/or dimension scores across its assessment dates.

    Parameters
    ----------
    result
        A scored result with one or more assessments of the client.
    client_id
        The client; defaults to the only one.
    show
        ``"index"`` (0-100), ``"dimensions"`` (scores on ``1..n``), or ``"both"`` (dimension
        scores on a twin y axis at the right).
    dimensions
        Dimension ids to draw (default all).
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        The main Axes.  The index line has gid ``"index"``; a dimension line has gid
        ``"dimension:<id>"`` (on the twin Axes when ``show="both"``).  Points are in date order.
    """
    if show not in ("index", "dimensions", "both"):
        raise ValueError(f"show must be 'index', 'dimensions' or 'both'; got {show!r}")
    rubric = result.rubric
    n = rubric.n_levels
    cid, _ = _select(result, client_id, None)
    overall = result.overall.loc[result.overall["client_id"] == cid].sort_values("date")
    x = pd.to_datetime(overall["date"]).to_numpy()
    dims = result.dimensions.loc[result.dimensions["client_id"] == cid]
    wanted = list(dimensions) if dimensions is not None else list(rubric.dimension_table.index)
    unknown = sorted(set(wanted) - set(rubric.dimension_table.index))
    if unknown:
        raise ValueError(f"unknown dimensions {unknown}")

    with style(lang):
        own_figure = ax is None
        index_label = shape_text(_t("index", lang), lang)
        # Wrapped, so that a rubric's dimensions share the legend's rows in two or three
        # columns instead of one long column under the plot.
        dim_labels = {
            d: shape_text(_name(rubric.dimension(d).name, lang, TREND_LEGEND_WRAP), lang)
            for d in wanted
        }
        entries = ([index_label] if show != "dimensions" else []) + (
            list(dim_labels.values()) if show != "index" else []
        )
        # The legend can list every dimension: the figure grows by its rows, not the plot.
        rows = math.ceil(len(entries) / _legend_columns(entries))
        ax = _axes(ax, 2.6 + 0.18 * rows)
        dim_ax = ax
        if show in ("index", "both"):
            idx = overall["index"].to_numpy(dtype=float)
            ax.plot(
                x, idx, color="black", marker="o", linewidth=2.4, label=index_label, gid="index"
            )
            for xi, yi in zip(x, idx, strict=True):
                if np.isfinite(yi):
                    ax.annotate(
                        _fmt(yi, 0),
                        (xi, yi),
                        textcoords="offset points",
                        xytext=(0, 6),
                        ha="center",
                        fontsize=7,
                        # readable over the dimension lines it may sit on
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
                    )
            ax.set_ylim(0, 100)
            ax.set_ylabel(index_label)
            if show == "both":
                dim_ax = ax.twinx()
                dim_ax.spines["right"].set_visible(True)
        if show in ("dimensions", "both"):
            wide = dims.pivot(index="date", columns="dimension_id", values="score")
            wide = wide.reindex(index=overall["date"])
            markers = ["o", "s", "^", "D", "v", "P"]
            # Black is the index's colour; a dimension keeps its colour across clients because
            # it follows the rubric order, with a new marker once the colours run out.
            palette = [c for c in CATEGORICAL if c != OKABE_ITO["black"]]
            for d in wanted:
                pos = int(rubric.dimension_table.at[d, "order"])
                dim_ax.plot(
                    x,
                    wide[d].to_numpy(dtype=float) if d in wide else np.full(len(x), np.nan),
                    color=palette[pos % len(palette)],
                    marker=markers[(pos // len(palette)) % len(markers)],
                    linewidth=1.2,
                    alpha=0.9,
                    label=dim_labels[d],
                    gid=f"dimension:{d}",
                )
            dim_ax.set_ylim(0.8, n + 0.2)
            dim_ax.set_yticks(
                range(1, n + 1),
                # Wrapped: unwrapped, long level names took a third of the figure's width.
                [_level_label(rubric, lvl, lang, TREND_LEVEL_WRAP) for lvl in range(1, n + 1)],
            )
            dim_ax.set_ylabel(shape_text(_t("score", lang), lang))
            if dim_ax is not ax:
                # A twin is drawn over its parent: lift the index line and its labels above
                # the dimension lines (with a transparent background, so they stay visible).
                ax.set_zorder(dim_ax.get_zorder() + 1)
                ax.patch.set_visible(False)
        locator = mdates.AutoDateLocator(minticks=2, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        ax.set_xlabel(shape_text(_t("date", lang), lang))
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        handles, labels = ax.get_legend_handles_labels()
        if dim_ax is not ax:
            more = dim_ax.get_legend_handles_labels()
            handles, labels = handles + more[0], labels + more[1]
        _legend_below(ax, own_figure, handles, labels, -0.2)
    return ax


# -- staffing ----------------------------------------------------------------------------------


def staffing_chart(
    table: pd.DataFrame,
    ax: Axes | None = None,
    *,
    lang: str = "en",
    annotate: bool = True,
) -> Axes:
    """Required vs current FTE for each coverage option, as grouped bars.

    Parameters
    ----------
    table
        Output of :func:`assessment.staffing.staffing_table`: indexed by coverage, with at
        least ``coverage_hours_per_week``, ``fte`` and ``current_fte``.
    ax
        Axes to draw on; a new figure is created when omitted.
    lang
        Label language.
    annotate
        Write the FTE values over the bars and the gap (required minus current).

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; the bars with gid ``"required"`` (one per row of ``table``, in order) have
        height ``fte``; those with gid ``"current"`` (drawn only when ``current_fte`` is
        known) have height ``current_fte``.
    """
    missing = {"coverage_hours_per_week", "fte", "current_fte"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks columns {sorted(missing)}; use staffing_table()")
    required = table["fte"].to_numpy(dtype=float)
    current = table["current_fte"].to_numpy(dtype=float)
    has_current = bool(np.isfinite(current).any())
    x = np.arange(len(table))
    width = 0.38 if has_current else 0.6
    labels = []
    for key, hours in zip(table.index, table["coverage_hours_per_week"], strict=True):
        name = _t(f"cov_{key}", lang) if f"cov_{key}" in _TEXT["en"] else str(key)
        labels.append(shape_text(f"{name}\n{_t('h_week', lang, h=_fmt(hours, 0))}", lang))

    with style(lang):
        ax = _axes(ax, 3.0)
        offset = width / 2 if has_current else 0.0
        if has_current:
            cur = ax.bar(
                x - offset,
                current,
                width,
                color=OKABE_ITO["orange"],
                label=shape_text(_t("current_fte", lang), lang),
                gid="current",
            )
            if annotate:
                ax.bar_label(cur, labels=[_fmt(v, 1) for v in current], padding=2, fontsize=7)
        req = ax.bar(
            x + offset,
            required,
            width,
            color=OKABE_ITO["blue"],
            label=shape_text(_t("required_fte", lang), lang),
            gid="required",
        )
        if annotate:
            if has_current:
                gaps = table["fte_gap"] if "fte_gap" in table else table["fte"] - current
                texts = [
                    shape_text(f"{_fmt(v, 1)}\n{_gap_text(g, lang)}", lang)
                    for v, g in zip(required, gaps, strict=True)
                ]
            else:
                texts = [_fmt(v, 1) for v in required]
            ax.bar_label(req, labels=texts, padding=2, fontsize=7)
        ax.set_xticks(x, labels)
        top = np.nanmax(np.concatenate([required, current[np.isfinite(current)]]))
        ax.set_ylim(0, top * 1.25 if top > 0 else 1.0)
        ax.set_ylabel(shape_text(_t("fte", lang), lang))
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        ax.legend(loc="upper left")
    return ax


def _gap_text(gap: float, lang: str) -> str:
    if pd.isna(gap):
        return ""
    key = "fte_spare" if gap < 0 else "fte_short"
    return _t(key, lang, gap=f"{abs(gap):.1f}")


# -- portfolio ---------------------------------------------------------------------------------


def portfolio(
    summary: pd.DataFrame | ScoreResult,
    ax: Axes | None = None,
    *,
    rubric: Rubric | None = None,
    lang: str = "en",
) -> Axes:
    """All clients at a glance: index bars, highest first, coloured by staged level.

    Parameters
    ----------
    summary
        :meth:`ScoreResult.summary` output (``client_id``, ``index``, ``level``,
        ``count_2007``) or a result, whose summary (latest assessments) is used.
    ax
        Axes to draw on; a new figure is created (height grows with the client count).
    rubric
        For level names and the scale size; taken from a result.  Without it levels are
        labelled by number and the scale is assumed to end at the highest level present
        (at least 3), so pass it for colours that match the other charts.
    lang
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; ``ax.containers[0]`` has one bar per client (width = index), top down in
        decreasing index.  Each bar is annotated with the index and the number of dimensions
        still at level 1 (the "2007 count").
    """
    if isinstance(summary, ScoreResult):
        rubric = summary.rubric
        summary = summary.summary()
    need = {"client_id", "index", "level", "count_2007"} - set(summary.columns)
    if need:
        raise ValueError(f"summary lacks columns {sorted(need)}; use ScoreResult.summary()")
    data = summary.sort_values(["index", "client_id"], ascending=[False, True], na_position="last")
    if rubric is not None:
        n = rubric.n_levels

        def level_label(lvl: int) -> str:
            return _level_label(rubric, lvl, lang)

        first = rubric.level_name(1, lang)
    else:
        present = pd.to_numeric(data["level"], errors="coerce").max()
        n = max(3, int(present) if pd.notna(present) else 3)

        def level_label(lvl: int) -> str:
            return shape_text(f"{_t('level', lang)} {lvl}", lang)

        first = "1"

    with style(lang):
        own_figure = ax is None
        ax = _axes(ax, 0.24 * len(data) + 1.6)
        y = np.arange(len(data))
        index = data["index"].to_numpy(dtype=float)
        colors = [level_color(v if pd.notna(v) else np.nan, n) for v in data["level"]]
        bars = ax.barh(y, index, color=colors, height=0.7)
        ax.set_yticks(y, [shape_text(str(c), lang) for c in data["client_id"]])
        ax.invert_yaxis()
        ax.bar_label(
            bars,
            labels=[
                shape_text(f"{_fmt(i, 0)}  ({_t('count_at', lang, count=int(c))})", lang)
                if pd.notna(i)
                else shape_text(_t("not_scored", lang), lang)
                for i, c in zip(index, data["count_2007"].fillna(0), strict=True)
            ],
            padding=3,
            fontsize=7,
        )
        # Room right of 100 for the annotation; ticks stay on the 0-100 scale.
        ax.set_xlim(0, 125)
        ax.set_xticks(range(0, 101, 20))
        xlabel = f"{_t('index', lang)}\n{_t('count_note', lang, name=first)}"
        ax.set_xlabel(shape_text(xlabel, lang))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        handles = [
            Patch(facecolor=level_color(lvl, n), label=level_label(lvl)) for lvl in range(1, n + 1)
        ]
        _legend_below(
            ax,
            own_figure,
            handles,
            [h.get_label() for h in handles],
            -0.15,
            title=shape_text(_t("level", lang), lang),
        )
    return ax


# -- output ------------------------------------------------------------------------------------


def figure_to_png_bytes(fig: Figure, dpi: float = 200, *, compress_level: int = 6) -> bytes:
    """Render ``fig`` to PNG bytes (for HTML reports, ``data:`` URIs, XLSX images).

    Parameters
    ----------
    fig
        The figure, e.g. ``ax.figure`` of a chart.
    dpi
        Resolution; 200 dpi keeps 8 pt text crisp in print.
    compress_level
        zlib level 0-9 (see :func:`_png`): lower is faster and larger.

    Returns
    -------
    bytes
        The PNG file, ``dpi`` x the figure size in inches, in pixels, 8-bit RGBA, lossless;
        the same figure gives the same bytes (no timestamp or software metadata).
    """
    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    raw = _Chunks()
    with style(), _at_dpi(fig, dpi):
        # The Agg buffer as is ("rgba"), through savefig so its face colour and dpi handling
        # apply, then encoded here: see _png for why not through Pillow.
        fig.savefig(raw, format="rgba", dpi=dpi)
        width, height = fig.canvas.get_width_height(physical=True)
    rgba = np.frombuffer(raw.value(), dtype=np.uint8).reshape(height, width, 4)
    return _png(rgba, dpi=dpi, compress_level=compress_level)


class _Chunks(io.BytesIO):
    """A file that keeps the buffers written to it instead of copying them.

    ``savefig(format="rgba")`` writes the renderer's whole buffer (megabytes) in one call; a
    plain ``BytesIO`` would copy it.  Every copy costs more than its memcpy in a freshly
    forked report process: each new page is a page fault there.  (A ``BytesIO`` subclass
    because matplotlib takes any object with ``seek`` as a file; only ``write`` is used.)
    """

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[memoryview] = []

    def write(self, data: Any) -> int:  # type: ignore[override]
        view = memoryview(data)
        self._chunks.append(view)
        return view.nbytes

    def value(self) -> Any:
        """The bytes written: the written buffer itself when there was one write."""
        if len(self._chunks) == 1:
            return self._chunks[0]
        return b"".join(self._chunks)


@contextlib.contextmanager
def _at_dpi(fig: Figure, dpi: float) -> Iterator[None]:
    """Set ``fig`` to ``dpi`` and, for :class:`FitLayout`, lay it out once at that dpi.

    With a layout engine attached, ``savefig`` first draws the whole figure without rendering
    just to run the engine.  Running :class:`FitLayout` here instead, with the renderer the
    save will reuse (same size and dpi, so its cached text metrics serve the real draw),
    saves that pass.  The figure gets its engine and dpi back afterwards.
    """
    engine = fig.get_layout_engine()
    original_dpi = fig.dpi
    try:
        fig.dpi = dpi
        if isinstance(engine, FitLayout):
            engine.execute(fig)
            # None, not "none": "none" leaves a placeholder engine, which savefig still
            # pre-draws for.  The rc values make None mean "no engine" whatever the caller's
            # rcParams say.
            with mpl.rc_context(
                {"figure.autolayout": False, "figure.constrained_layout.use": False}
            ):
                fig.set_layout_engine(None)
        yield
    finally:
        if isinstance(engine, FitLayout):
            fig.set_layout_engine(engine)
        fig.dpi = original_dpi


def _png(rgba: np.ndarray, *, dpi: float, compress_level: int) -> bytes:
    """Encode an 8-bit RGBA image as a PNG file, rows unfiltered.

    Pillow (behind ``savefig``) picks a prediction filter per row, which helps photographs
    but not charts: their flat fills and runs of white compress better unfiltered, and
    choosing the filter was most of the encoding time.  Unfiltered at zlib level 4, the
    report's charts encode about twice as fast as through Pillow at its default level, in
    files about a fifth smaller.

    Parameters
    ----------
    rgba
        ``(height, width, 4)`` uint8 array, top row first.
    dpi
        Recorded in the ``pHYs`` chunk, so the image prints at the figure's size.
    compress_level
        zlib level 0-9.

    Returns
    -------
    bytes
        A PNG file (signature, ``IHDR``, ``pHYs``, one ``IDAT``, ``IEND``).
    """
    height, width, _ = rgba.shape
    rows = np.empty((height, 1 + 4 * width), dtype=np.uint8)  # each row: filter type 0, pixels
    rows[:, 0] = 0
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    per_metre = round(dpi / 0.0254)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            # 8 bits a channel, colour type 6 (RGBA), compression and filter method 0 (the
            # only ones defined; each row names its filter type), no interlacing
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
            chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),  # unit: metre
            # zlib reads the array's buffer: no bytes copy of the whole image
            chunk(b"IDAT", zlib.compress(rows, compress_level)),
            chunk(b"IEND", b""),
        ]
    )


def figure_to_svg(fig: Figure) -> str:
    """Render ``fig`` to an SVG document (text as paths, so Arabic needs no viewer fonts).

    Returns
    -------
    str
        The SVG markup; deterministic for a given figure (no date, fixed id salt).
    """
    buffer = io.StringIO()
    with style(), mpl.rc_context({"svg.hashsalt": "assessment"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def save_figure(fig: Figure, path: str | Path, dpi: float = 200) -> Path:
    """Save ``fig`` in the format named by the file suffix (``.png``, ``.svg``, ``.pdf``).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    path = Path(path)
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "svg":
        path.write_text(figure_to_svg(fig), encoding="utf-8")
    elif suffix == "png":
        path.write_bytes(figure_to_png_bytes(fig, dpi=dpi))
    else:
        with style():
            fig.savefig(path, dpi=dpi)
    return path


# -- weight sensitivity ------------------------------------------------------------------------
#
# Views of :mod:`assessment.weights.sensitivity`: the one-at-a-time tornado, each client's
# probability of every staged level under weight uncertainty, and the stability of the
# client ranking.

_SENSITIVITY_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "weight_down": "weight −{pct}%",
        "weight_up": "weight +{pct}%",
        "index_change": "Change of the index (points, 0–100 scale)",
        "index_change_mean": "Mean change of the index over {n} clients (points)",
        "probability": "Probability under weight uncertainty",
        "baseline_level": "Level with the current weights",
        "rank": "Rank (1 = highest index)",
        "rank_range": "Rank, 5th–95th percentile of draws",
        "baseline_rank": "Rank with the current weights",
        "tau": "Kendall’s τ vs current ranking: median {median}, 5th percentile {p05}",
    }
)


def _st(key: str, **values: Any) -> str:
    """A sensitivity chart label (English; the rubric's names are still translated)."""
    return _SENSITIVITY_TEXT[key].format(**values)


def _dimension_name(rubric: Rubric | None, dimension_id: str, lang: str) -> str:
    if rubric is None:
        return dimension_id
    try:
        return _name(rubric.dimension(dimension_id).name, lang, wrap=28)
    except KeyError:
        return dimension_id


def tornado(
    oat: pd.DataFrame,
    ax: Axes | None = None,
    *,
    client_id: str | None = None,
    rubric: Rubric | None = None,
    lang: str = "en",
) -> Axes:
    """One-at-a-time weight sensitivity as a tornado: the widest swing on top.

    Parameters
    ----------
    oat
        :func:`assessment.sensitivity.one_at_a_time` output.
    ax
        Axes to draw on; a new figure is created when omitted.
    client_id
        Draw this client's index changes; ``None`` draws the mean change over all clients.
    rubric
        For dimension names (ids are used without it).
    lang
        Language of the dimension names.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; bars with gid ``"low"`` (weight lowered) and ``"high"`` (weight raised), one
        per dimension, top down by decreasing swing ``|delta_high - delta_low|``.
    """
    need = {"client_id", "dimension_id", "delta_low", "delta_high", "weight"} - set(oat.columns)
    if need:
        raise ValueError(f"oat lacks columns {sorted(need)}; use sensitivity.one_at_a_time()")
    if client_id is not None:
        data = oat.loc[oat["client_id"] == client_id]
        if data.empty:
            raise ValueError(f"client {client_id!r} is not in the one-at-a-time table")
        xlabel = _st("index_change")
    else:
        data = oat
        xlabel = _st("index_change_mean", n=oat["client_id"].nunique())
    table = data.groupby("dimension_id", sort=False)[["delta_low", "delta_high"]].mean()
    table = table.assign(swing=(table["delta_high"] - table["delta_low"]).abs())
    table = table.sort_values("swing", ascending=False, kind="stable")
    # The step is recoverable from any row: index_low used weight x (1 - step).
    step = _oat_step(oat)
    with style(lang):
        own_figure = ax is None
        ax = _axes(ax, 0.3 * len(table) + 1.4)
        y = np.arange(len(table))
        ax.barh(
            y,
            table["delta_low"],
            height=0.6,
            color=OKABE_ITO["vermillion"],
            label=_st("weight_down", pct=_fmt(100 * step, 0)),
            gid="low",
        )
        ax.barh(
            y,
            table["delta_high"],
            height=0.6,
            color=OKABE_ITO["blue"],
            label=_st("weight_up", pct=_fmt(100 * step, 0)),
            gid="high",
        )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, [shape_text(_dimension_name(rubric, d, lang), lang) for d in table.index])
        ax.invert_yaxis()
        ax.set_xlabel(xlabel)
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        if client_id is not None:
            ax.set_title(shape_text(str(client_id), lang))
        handles, labels = ax.get_legend_handles_labels()
        _legend_below(ax, own_figure, handles, labels, -0.18)
    return ax


def _oat_step(oat: pd.DataFrame) -> float:
    if "step" in oat.attrs:
        return float(oat.attrs["step"])
    return 0.2


def level_probability(
    sensitivity: Any,
    ax: Axes | None = None,
    *,
    rubric: Rubric | None = None,
    lang: str = "en",
) -> Axes:
    """Each client's probability of every staged level when the weights are uncertain.

    Parameters
    ----------
    sensitivity
        A :class:`assessment.sensitivity.SensitivityResult`.
    ax
        Axes to draw on; a new figure is created (height grows with the client count).
    rubric
        For level names (numbers are used without it).
    lang
        Label language.

    Returns
    -------
    matplotlib.axes.Axes
        The Axes; one stacked horizontal bar per client (top down in baseline rank order),
        ``ax.containers[k]`` the segments of level ``k + 1`` (width = probability); the
        markers with gid ``"baseline"`` sit on each client's current level segment.
    """
    from matplotlib.ticker import PercentFormatter

    probs = sensitivity.level_probabilities()
    clients = sensitivity.clients.set_index("client_id")
    n = sensitivity.n_levels
    with style(lang):
        own_figure = ax is None
        ax = _axes(ax, 0.26 * len(probs) + 1.6)
        y = np.arange(len(probs))
        left = np.zeros(len(probs))
        for lvl in range(1, n + 1):
            width = probs[lvl].to_numpy(dtype=float)
            label = _level_label(rubric, lvl, lang) if rubric is not None else f"L{lvl}"
            ax.barh(y, width, left=left, height=0.7, color=level_color(lvl, n), label=label)
            left = left + width
        # Mark where the current level's segment is, at its middle.
        base = clients.loc[probs.index, "level"].to_numpy(dtype=int)
        cum = np.cumsum(probs.to_numpy(dtype=float), axis=1)
        start = np.where(base > 1, cum[np.arange(len(base)), np.maximum(base - 2, 0)], 0.0)
        mid = (start + cum[np.arange(len(base)), base - 1]) / 2
        ax.plot(
            mid,
            y,
            linestyle="none",
            marker="D",
            markersize=4,
            markerfacecolor="white",
            markeredgecolor="black",
            label=_st("baseline_level"),
            gid="baseline",
        )
        ax.set_yticks(y, [shape_text(str(c), lang) for c in probs.index])
        ax.invert_yaxis()
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel(_st("probability"))
        handles, labels = ax.get_legend_handles_labels()
        _legend_below(ax, own_figure, handles, labels, -0.12)
    return ax


def rank_stability(
    sensitivity: Any,
    ax: Axes | None = None,
    *,
    lang: str = "en",
) -> Axes:
    """How far each client's rank moves when the weights are uncertain.

    Parameters
    ----------
    sensitivity
        A :class:`assessment.sensitivity.SensitivityResult`.
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
        ax = _axes(ax, 0.26 * len(c) + 1.6)
        y = np.arange(len(c))
        ax.hlines(
            y,
            c["rank_p05"],
            c["rank_p95"],
            color=OKABE_ITO["sky_blue"],
            linewidth=4,
            label=_st("rank_range"),
            gid="range",
        )
        ax.plot(
            c["rank"],
            y,
            linestyle="none",
            marker="o",
            color=OKABE_ITO["blue"],
            label=_st("baseline_rank"),
            gid="baseline",
        )
        ax.set_yticks(y, [shape_text(str(k), lang) for k in c["client_id"]])
        ax.invert_yaxis()
        ax.set_xlim(0.5, len(c) + 0.5)
        ax.set_xlabel(_st("rank"))
        ax.grid(axis="x")
        ax.set_axisbelow(True)
        if len(tau):
            ax.set_title(
                _st(
                    "tau",
                    median=_fmt(float(np.median(tau)), 3),
                    p05=_fmt(float(np.quantile(tau, 0.05)), 3),
                )
            )
        handles, labels = ax.get_legend_handles_labels()
        _legend_below(ax, own_figure, handles, labels, -0.12)
    return ax


__all__ += ["level_probability", "rank_stability", "tornado"]
