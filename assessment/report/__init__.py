"""The client report: sections of HTML built from a score, the page, the PDF, the portfolio.

What lives here
---------------
* :mod:`~assessment.report.context`: :func:`prepare` loads, scores and keeps what one client's
  report needs (:class:`ReportContext`);
* :mod:`~assessment.report.summary` (cover, contents), :mod:`~assessment.report.onepager`
  (the executive one-pager, the roadmap), :mod:`~assessment.report.details`,
  :mod:`~assessment.report.methodology` (the internal appendix): one function per section,
  each returning :class:`Html` (empty when it has nothing to say); :data:`SECTIONS` lists
  them in page order;
* :mod:`~assessment.report.figures`: the headline figures and the roadmap, rounded once;
* :mod:`~assessment.report.html`: escaping (:func:`esc`), tables, badges, figures as inline PNG;
* :mod:`~assessment.report.page`: the self-contained page and the notebook-to-HTML export;
* :mod:`~assessment.report.portfolio`: the portfolio index page;
* :mod:`~assessment.report.pdf`: printing to PDF with headless Chromium.

The report notebook (``notebooks/client_report.ipynb``) is a thin script over this package:
it calls :func:`prepare` once, then one section function per cell.  Every user-supplied string
passes through :func:`esc`; the page loads nothing from the network.

May import: :mod:`assessment.charts`, :mod:`assessment.scoring`, :mod:`assessment.inputs`,
:mod:`assessment.rubric`, :mod:`assessment.text`, :mod:`assessment.files`,
:mod:`assessment.exceptions`.
"""

from __future__ import annotations

from collections.abc import Callable

from assessment.report.context import ReportContext, prepare
from assessment.report.details import (
    agreement_section,
    benchmark_section,
    dimension_sections,
    resourcing_section,
    trend_section,
)
from assessment.report.html import Html, esc, figure_html
from assessment.report.methodology import appendix, methodology
from assessment.report.onepager import executive_summary, roadmap_section
from assessment.report.page import CSS, notebook_to_html, page
from assessment.report.portfolio import portfolio_page, portfolio_parts
from assessment.report.summary import (
    contents,
    header,
    priorities_section,
    radar_chart,
    radar_section,
)

__all__ = [
    "CSS",
    "SECTIONS",
    "Html",
    "ReportContext",
    "agreement_section",
    "appendix",
    "benchmark_section",
    "contents",
    "dimension_sections",
    "esc",
    "executive_summary",
    "figure_html",
    "header",
    "methodology",
    "notebook_to_html",
    "page",
    "portfolio_page",
    "portfolio_parts",
    "prepare",
    "priorities_section",
    "radar_chart",
    "radar_section",
    "resourcing_section",
    "roadmap_section",
    "trend_section",
]

#: The report's sections in page order, as ``notebooks/client_report.ipynb`` calls them (one
#: cell each); a test keeps the two in step.
SECTIONS: tuple[Callable[[ReportContext], Html], ...] = (
    header,
    contents,
    executive_summary,
    roadmap_section,
    radar_section,
    priorities_section,
    dimension_sections,
    agreement_section,
    benchmark_section,
    trend_section,
    resourcing_section,
    appendix,
)
