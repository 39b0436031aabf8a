"""Figures, Axes, legends and label wrapping shared by every chart.

* The matplotlib object-oriented API only.  When a chart gets no ``ax``, :func:`axes_for`
  creates a :class:`matplotlib.figure.Figure` directly, never through ``pyplot``: no GUI
  backend is selected, no global figure registry fills up, and a figure is freed as soon as
  the caller drops it.
* A figure created here is laid out by :class:`FitLayout` (constrained layout's result for a
  one-Axes chart, measured once), the radar by fixed margins.
* Legends: on a figure created here, a figure legend that the layout keeps below the plot (it
  never covers data or overflows the page); on a caller's Axes, an Axes legend just below it,
  which the caller can move with ``set_bbox_to_anchor`` (:func:`legend_below`).
"""

from __future__ import annotations

import functools
import textwrap
import warnings
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine, LayoutEngine
from matplotlib.projections.polar import PolarAxes
from matplotlib.transforms import Bbox

from assessment.charts.theme import REPORT_WIDTH, shape_text
from assessment.rubric import Rubric, translate

__all__ = [
    "FitLayout",
    "axes_for",
    "keyword_ax",
    "legend_below",
    "legend_columns",
    "level_label",
    "new_axes",
    "rubric_text",
    "wrap_text",
]

# -- wrapping ----------------------------------------------------------------------------------


def wrap_text(text: str, wrap: int | None) -> str:
    """``text`` wrapped onto lines of at most ``wrap`` characters (words kept whole).

    Examples
    --------
    >>> wrap_text("Community management and care", 12)
    'Community\\nmanagement\\nand care'
    >>> wrap_text("Community management", None)
    'Community management'
    """
    return textwrap.fill(text, wrap, break_long_words=False) if wrap else text


def rubric_text(text: Mapping[str, str] | None, lang: str, wrap: int | None = None) -> str:
    """A rubric text in ``lang``, optionally wrapped onto several lines (logical order).

    Examples
    --------
    >>> rubric_text({"en": "Data quality", "ar": "جودة البيانات"}, "en", 5)
    'Data\\nquality'
    """
    return wrap_text(translate(text, lang), wrap)


def level_label(rubric: Rubric, level: int, lang: str, wrap: int | None = None) -> str:
    """``"3 Defined"``: a level's number and name, shaped for drawing (optionally wrapped)."""
    return shape_text(wrap_text(f"{level} {rubric.level_name(level, lang)}", wrap), lang)


# -- legends -----------------------------------------------------------------------------------

#: Figure legends placed along the bottom by :func:`legend_below`; :class:`FitLayout`
#: reserves room for these and leaves a figure with any other legend to constrained layout.
_BOTTOM_LEGENDS: weakref.WeakSet[Any] = weakref.WeakSet()


def legend_columns(labels: Sequence[str], budget: int = 100) -> int:
    """Legend columns that fit a report-width figure: about ``budget`` characters a row.

    Examples
    --------
    >>> legend_columns(["Current", "Target", "Peer median"])
    3
    >>> legend_columns(["x" * 60, "y"])
    1
    """
    longest = max((max(map(len, str(t).split("\n"))) for t in labels), default=1)
    return max(1, min(len(labels), budget // (longest + 6)))


def legend_below(
    ax: Axes,
    own_figure: bool,
    handles: Sequence[Any],
    labels: Sequence[str],
    offset: float,
    **kwargs: Any,
) -> None:
    """A legend under the plot.

    On a figure this package created, a figure legend that :class:`FitLayout` keeps below
    everything (tick labels, axis label), whatever the figure height.  On a caller's Axes, an
    Axes legend ``offset`` (axes fraction) below it, which the caller may move.
    """
    kwargs.setdefault("ncol", legend_columns(labels))
    if own_figure:
        legend = ax.figure.legend(handles, labels, loc="outside lower center", **kwargs)
        _BOTTOM_LEGENDS.add(legend)
    else:
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, offset), **kwargs)


# -- layout ------------------------------------------------------------------------------------


class FitLayout(LayoutEngine):
    """Constrained layout's result for a one-Axes chart, from one measurement.

    Every chart of this package created without ``ax`` is one Axes (inset children such as the
    agreement chart's colorbar included; twins are laid out too) with an optional figure legend
    along the bottom.  For that shape the margins follow directly from what sticks out of the Axes
    box: tick labels, axis labels, the title, texts such as the ``r_wg`` column, and the legend's
    height.  This engine measures those once (the text metrics it computes are cached and reused by
    the draw that follows) and sets the Axes position.  Constrained layout reaches the same result
    but measures everything twice and, because it runs inside ``savefig``, adds a third,
    non-rendering draw of the whole figure; for the report's charts that was about a third of the
    time spent saving them.

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


# -- figures and Axes --------------------------------------------------------------------------


def new_axes(height: float, *, polar: bool = False, width: float = REPORT_WIDTH) -> Axes:
    """A fresh Figure (no pyplot) with one Axes, sized for a report page.

    Parameters
    ----------
    height
        Figure height in inches, kept between 2 and 20.
    polar
        A polar Axes with fixed margins (the radar) instead of a :class:`FitLayout` figure.
    width
        Figure width in inches.
    """
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


def axes_for(ax: Axes | None, height: float, *, polar: bool = False) -> Axes:
    """The caller's ``ax``, or a new report-width figure's Axes ``height`` inches tall.

    Raises
    ------
    ValueError
        If ``polar`` is asked for and the caller's ``ax`` is not a polar Axes.
    """
    if ax is None:
        return new_axes(height, polar=polar)
    if polar and not isinstance(ax, PolarAxes):
        raise ValueError(
            "radar() draws on a polar Axes; create one with "
            "fig.add_subplot(projection='polar') or pass ax=None"
        )
    return ax


_Chart = TypeVar("_Chart", bound=Callable[..., Axes])


def keyword_ax(chart: _Chart) -> _Chart:
    """Let ``chart(data, ax)`` keep working, with a :class:`DeprecationWarning`.

    Every chart takes ``ax`` keyword-only (``chart(data, *, ax=None, lang="en", ...)``); a few
    took it as their second positional parameter before that, and a call written then still
    draws on the Axes it passes.
    """

    @functools.wraps(chart)
    def wrapper(*args: Any, **kwargs: Any) -> Axes:
        if len(args) < 2:
            return chart(*args, **kwargs)
        name = chart.__name__
        if len(args) > 2 or "ax" in kwargs:
            raise TypeError(f"{name}() takes one positional argument; pass the others by keyword")
        warnings.warn(
            f"{name}(data, ax) is deprecated: pass the Axes by keyword, {name}(data, ax=ax)",
            DeprecationWarning,
            stacklevel=2,
        )
        return chart(args[0], ax=args[1], **kwargs)

    return cast(_Chart, wrapper)
