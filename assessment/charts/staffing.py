"""Resourcing: required vs current FTE for each coverage option.

:func:`staffing_rows` chooses what is drawn from a staffing table; :func:`staffing_chart`
draws it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from assessment import text
from assessment.charts.layout import axes_for, keyword_ax
from assessment.charts.theme import OKABE_ITO, shape_text, style
from assessment.text.numbers import format_compact, format_number

__all__ = ["staffing_chart", "staffing_rows"]


def staffing_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The bars of :func:`staffing_chart`, one row per coverage option in table order.

    Parameters
    ----------
    table
        Output of :func:`assessment.scoring.staffing.staffing_table`.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``table``: ``hours`` (coverage hours per week), ``required`` and
        ``current`` FTE (floats, NaN where unknown) and ``gap`` (``fte_gap`` where the table
        has it, else required minus current).

    Raises
    ------
    ValueError
        If ``table`` lacks ``coverage_hours_per_week``, ``fte`` or ``current_fte``.
    """
    missing = {"coverage_hours_per_week", "fte", "current_fte"} - set(table.columns)
    if missing:
        raise ValueError(f"table lacks columns {sorted(missing)}; use staffing_table()")
    required = table["fte"].to_numpy(dtype=float)
    current = table["current_fte"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "hours": table["coverage_hours_per_week"].to_numpy(),
            "required": required,
            "current": current,
            "gap": (table["fte_gap"] if "fte_gap" in table else table["fte"] - current).to_numpy(
                dtype=float
            ),
        },
        index=table.index,
    )


@keyword_ax
def staffing_chart(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    lang: str = "en",
    annotate: bool = True,
) -> Axes:
    """Required vs current FTE for each coverage option, as grouped bars.

    Parameters
    ----------
    table
        Output of :func:`assessment.scoring.staffing.staffing_table`: indexed by coverage, with
        at least ``coverage_hours_per_week``, ``fte`` and ``current_fte``.
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

    Raises
    ------
    ValueError
        If ``table`` lacks a needed column.
    """
    rows = staffing_rows(table)
    required = rows["required"].to_numpy()
    current = rows["current"].to_numpy()
    has_current = bool(np.isfinite(current).any())
    x = np.arange(len(rows))
    width = 0.38 if has_current else 0.6
    labels = [_coverage_label(key, hours, lang) for key, hours in rows["hours"].items()]

    with style(lang):
        ax = axes_for(ax, 3.0)
        offset = width / 2 if has_current else 0.0
        if has_current:
            cur = ax.bar(
                x - offset,
                current,
                width,
                color=OKABE_ITO["orange"],
                label=shape_text(text.label("chart.staffing.current_fte", lang), lang),
                gid="current",
            )
            if annotate:
                ax.bar_label(cur, labels=[_fte(v) for v in current], padding=2, fontsize=7)
        req = ax.bar(
            x + offset,
            required,
            width,
            color=OKABE_ITO["blue"],
            label=shape_text(text.label("chart.staffing.required_fte", lang), lang),
            gid="required",
        )
        if annotate:
            if has_current:
                texts = [
                    shape_text(f"{_fte(v)}\n{_gap_text(g, lang)}", lang)
                    for v, g in zip(required, rows["gap"], strict=True)
                ]
            else:
                texts = [_fte(v) for v in required]
            ax.bar_label(req, labels=texts, padding=2, fontsize=7)
        ax.set_xticks(x, labels)
        top = np.nanmax(np.concatenate([required, current[np.isfinite(current)]]))
        ax.set_ylim(0, top * 1.25 if top > 0 else 1.0)
        ax.set_ylabel(shape_text(text.label("chart.staffing.fte", lang), lang))
        ax.grid(axis="y")
        ax.set_axisbelow(True)
        ax.legend(loc="upper left")
    return ax


def _coverage_label(key: object, hours: float, lang: str) -> str:
    """``"Business hours\\n45 h/week"``; a coverage without a label keeps its key."""
    entry = f"chart.staffing.coverage.{key}"
    name = text.label(entry, lang) if entry in text.ENTRIES else str(key)
    per_week = text.label("chart.staffing.hours_per_week", lang, h=format_number(hours, 0))
    return shape_text(f"{name}\n{per_week}", lang)


def _fte(value: float) -> str:
    """An FTE figure over a bar, blank where unknown."""
    return "" if pd.isna(value) else format_compact(value, 1)


def _gap_text(gap: float, lang: str) -> str:
    """``"gap +1.8"`` (short of staff) or ``"gap −0.5"`` (spare), blank where unknown."""
    if pd.isna(gap):
        return ""
    key = "chart.staffing.gap_spare" if gap < 0 else "chart.staffing.gap_short"
    return text.label(key, lang, gap=format_number(abs(gap), 1))
