"""The steering-committee slide deck: an editable PPTX per client (python-pptx; issue 15).

What lives here
---------------
* :mod:`~assessment.deck.slides`: :func:`build_deck` makes the deck from a report's
  :class:`~assessment.report.ReportContext`; :func:`write_deck` saves it atomically.

Slides: title, the one-pager, the radar, priorities and roadmap, the benchmark, people, the
next decisions.  Charts are pictures (PNG); tables are native PowerPoint tables, so the
consultant edits them; text frames in an Arabic deck are right to left.

May import: :mod:`assessment.report`, :mod:`assessment.charts`, :mod:`assessment.scoring`,
:mod:`assessment.rubric`, :mod:`assessment.text`, :mod:`assessment.files`,
:mod:`assessment.exceptions`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from pathlib import Path

    from assessment.report import ReportContext

__all__ = ["build_deck", "write_deck"]


def build_deck(ctx: ReportContext) -> Any:
    """The client's deck as a python-pptx ``Presentation`` (see :mod:`.slides`)."""
    from assessment.deck.slides import build_deck as build  # local: python-pptx, when used

    return build(ctx)


def write_deck(ctx: ReportContext, path: str | Path) -> Path | None:
    """Write the deck to ``path`` atomically; nothing when ``path`` is empty.

    Every report's last cell calls it: python-pptx is imported only when a deck is asked
    for, so that a report without one does not wait for it (issue 19).
    """
    if not path:
        return None
    from assessment.deck.slides import write_deck as write  # local: python-pptx

    return write(ctx, path)
