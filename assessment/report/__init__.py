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

The names below are imported from their modules when first used (:pep:`562`), so that a
process that only prints PDFs (:mod:`~assessment.report.pdf`) or escapes text does not import
matplotlib and scipy with the charts (issue 19).  A process that forks reports imports
:data:`MODULES` ahead.

May import: :mod:`assessment.charts`, :mod:`assessment.scoring`, :mod:`assessment.inputs`,
:mod:`assessment.rubric`, :mod:`assessment.text`, :mod:`assessment.files`,
:mod:`assessment.exceptions`.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assessment.text import esc  # the one escaping rule (light: the standard library only)

if TYPE_CHECKING:  # the names :func:`__getattr__` imports on first use
    from assessment.report.context import ReportContext, prepare
    from assessment.report.details import (
        agreement_section,
        benchmark_section,
        dimension_sections,
        resourcing_section,
        trend_section,
    )
    from assessment.report.html import Html, figure_html
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
    "MODULES",
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

#: Where each public name lives.
_NAMES = {
    "ReportContext": "context",
    "prepare": "context",
    "agreement_section": "details",
    "benchmark_section": "details",
    "dimension_sections": "details",
    "resourcing_section": "details",
    "trend_section": "details",
    "Html": "html",
    "figure_html": "html",
    "appendix": "methodology",
    "methodology": "methodology",
    "executive_summary": "onepager",
    "roadmap_section": "onepager",
    "CSS": "page",
    "notebook_to_html": "page",
    "page": "page",
    "portfolio_page": "portfolio",
    "portfolio_parts": "portfolio",
    "contents": "summary",
    "header": "summary",
    "priorities_section": "summary",
    "radar_chart": "summary",
    "radar_section": "summary",
}

#: Every module a report uses, for a process that forks reports to import ahead.
MODULES = tuple(sorted({f"{__name__}.{module}" for module in _NAMES.values()}))

#: The report's sections in page order, as ``notebooks/client_report.ipynb`` calls them (one
#: cell each); a test keeps the two in step.
_SECTION_NAMES = (
    "header",
    "contents",
    "executive_summary",
    "roadmap_section",
    "radar_section",
    "priorities_section",
    "dimension_sections",
    "agreement_section",
    "benchmark_section",
    "trend_section",
    "resourcing_section",
    "appendix",
)

if TYPE_CHECKING:
    SECTIONS: tuple[Callable[[ReportContext], Html], ...]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use (and keep it here)."""
    if name == "SECTIONS":
        value: Any = tuple(__getattr__(n) for n in _SECTION_NAMES)
    elif name in _NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """This package, where ``page`` and ``methodology`` stay the functions of those names.

    Importing a submodule binds it on its package; two submodules share their name with the
    function they define, and the function is the public name (as it was when this package
    imported everything at once).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, types.ModuleType) and name in _NAMES:
            return  # reached through __getattr__, as the function
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
