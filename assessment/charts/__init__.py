"""Report charts: one function per view of a :class:`~assessment.scoring.ScoreResult`.

What lives here
---------------
* :mod:`~assessment.charts.profile`: one assessment's dimensions (:func:`radar`,
  :func:`gap_bars`);
* :mod:`~assessment.charts.indicators`: indicator levels and respondent agreement
  (:func:`indicator_heatmap`, :func:`agreement`);
* :mod:`~assessment.charts.benchmark`: clients among others (:func:`benchmark_distribution`,
  :func:`portfolio`);
* :mod:`~assessment.charts.progress`: a client over time (:func:`trend`);
* :mod:`~assessment.charts.staffing`: resourcing (:func:`staffing_chart`);
* :mod:`~assessment.charts.sensitivity`: weight sensitivity (:func:`tornado`,
  :func:`level_probability`, :func:`rank_stability`);
* shared: :mod:`~assessment.charts.theme` (palette, rcParams, fonts, Arabic shaping),
  :mod:`~assessment.charts.layout` (figures, :class:`FitLayout`, legends, wrapping),
  :mod:`~assessment.charts.selection` (which assessment's rows), and
  :mod:`~assessment.charts.output` (PNG, SVG, files).

Every chart is ``chart(data..., *, ax=None, lang="en", ...) -> Axes``: it draws on ``ax`` (a
new figure without pyplot when omitted) and returns the Axes; ``lang`` picks the language of
rubric names (:func:`~assessment.rubric.translate`) and of chart labels
(:func:`assessment.text.label`).  A chart module first *chooses* the data with pure functions
(``radar_data``, ``heatmap_data``, ``agreement_data``, ...), then draws it.  Charts are generic
over the rubric: names come from it and the level count from ``rubric.n_levels``.  Artists that
carry the numbers have a ``gid`` (``"client"``, ``"hotspots"``, ``"na"`` ...) so tests and
callers can find them; see each function's *Returns*.

May import: assessment.rubric, assessment.scoring, assessment.text (and
assessment.weights for type hints only).

Example
-------
>>> from assessment import load_rubric, load_answers, score
>>> from assessment import charts
>>> result = score(load_rubric(), load_answers("data/samples/answers.csv", load_rubric()))
>>> ax = charts.radar(result, client_id="org00001")  # doctest: +SKIP
>>> png = charts.figure_to_png_bytes(ax.figure)  # doctest: +SKIP
"""

from assessment.charts.benchmark import benchmark_distribution, portfolio
from assessment.charts.indicators import agreement, indicator_heatmap
from assessment.charts.layout import FitLayout
from assessment.charts.output import figure_to_png_bytes, figure_to_svg, save_figure
from assessment.charts.profile import gap_bars, radar
from assessment.charts.progress import TREND_LEGEND_WRAP, TREND_LEVEL_WRAP, trend
from assessment.charts.sensitivity import level_probability, rank_stability, tornado
from assessment.charts.staffing import staffing_chart
from assessment.charts.theme import (
    CATEGORICAL,
    LEVEL_CMAP,
    LEVEL_COLORS,
    MISSING_COLOR,
    NA_COLOR,
    OKABE_ITO,
    REPORT_WIDTH,
    level_color,
    level_colors,
    rc_params,
    shape_text,
    style,
)

__all__ = [
    "CATEGORICAL",
    "LEVEL_CMAP",
    "LEVEL_COLORS",
    "MISSING_COLOR",
    "NA_COLOR",
    "OKABE_ITO",
    "REPORT_WIDTH",
    "TREND_LEGEND_WRAP",
    "TREND_LEVEL_WRAP",
    "FitLayout",
    "agreement",
    "benchmark_distribution",
    "figure_to_png_bytes",
    "figure_to_svg",
    "gap_bars",
    "indicator_heatmap",
    "level_color",
    "level_colors",
    "level_probability",
    "portfolio",
    "radar",
    "rank_stability",
    "rc_params",
    "save_figure",
    "shape_text",
    "staffing_chart",
    "style",
    "tornado",
    "trend",
]
