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

from assessment.deck.slides import build_deck, write_deck

__all__ = ["build_deck", "write_deck"]
