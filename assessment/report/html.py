"""Small HTML building blocks of the report: escaping, tables, sections, badges, figures.

Every user-supplied string passes through :func:`esc` (:func:`assessment.text.esc`, kept here
under its old name); charts are embedded as base64 PNG so the
exported file loads nothing from the network.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from assessment.charts import figure_to_png_bytes
from assessment.text import esc

__all__ = ["PNG_COMPRESS_LEVEL", "Html", "esc", "figure_html", "html_table"]


class Html:
    """A minimal rich-display object: renders as ``text/html`` in Jupyter.

    Used instead of :class:`IPython.display.HTML` so this module does not import IPython, and
    so the HTML is kept verbatim (no sanitising or warnings about iframes).
    """

    def __init__(self, markup: str) -> None:
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __repr__(self) -> str:  # plain-text fallback stays short: the report is HTML
        return f"<Html section, {len(self.markup)} characters>"


# -- small HTML helpers ------------------------------------------------------------------------


#: zlib level of the report's PNGs.  On the sample clients' charts level 4 is the knee:
#: lower levels save under a millisecond a chart but grow the files by a sixth; higher
#: ones save 1-2% of the size for a quarter more encoding time.
PNG_COMPRESS_LEVEL = 4


def figure_html(ax: Any, alt: str, *, dpi: int = 120) -> str:
    """The Axes' figure as an inline base64 PNG ``<img>`` (no files, no network).

    The charts lay themselves out (:class:`~assessment.charts.FitLayout` or fixed margins),
    so no "tight" bounding box is requested: that would draw every figure twice.  The PNG is
    ``dpi`` x the figure size in inches, in pixels.
    """
    png = figure_to_png_bytes(ax.figure, dpi=dpi, compress_level=PNG_COMPRESS_LEVEL)
    data = base64.b64encode(png).decode("ascii")
    return f'<figure><img alt="{esc(alt)}" src="data:image/png;base64,{data}"></figure>'


def html_table(headers: Iterable[str], rows: Iterable[Iterable[str]], cls: str = "") -> str:
    """An HTML table; cells must already be escaped."""
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
