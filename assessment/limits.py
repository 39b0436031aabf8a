"""The limits that keep hostile or runaway input from taking unbounded time or memory.

Rubrics and data files are untrusted data (``docs/security.md``): a few kilobytes of YAML
aliases or a zipped workbook can expand into gigabytes, and a file with a million problems
would print a million lines.  Each limit below is enforced where the input is read, before the
expensive work, and stops with a message that names the limit and how to raise it.

A legitimate user can reach some of them (a very large rubric or workbook): every limit can be
changed for one run with an environment variable, ``ASSESSMENT_MAX_<NAME>`` (for example
``ASSESSMENT_MAX_XLSX_CELLS=5000000``).

=======================  ==========  ===========================================================
name                     default     what it bounds
=======================  ==========  ===========================================================
``RUBRIC_BYTES``         16 MiB      size of a rubric YAML file
``RUBRIC_NODES``         1,000,000   YAML nodes of a rubric once aliases are expanded
``YAML_ALIAS_GROWTH``    10          how many times aliases may multiply a rubric's nodes
``XLSX_CELLS``           300,000     cells of the sheet read from a workbook (CSV has no limit)
``XLSX_BYTES``           256 MiB     a workbook's size once unzipped
``PROBLEMS_SHOWN``       20          problems printed per reason (the rest are counted; the
                                     full table goes to ``--errors-out FILE``)
``SUGGESTIONS``          50          distinct unknown ids given a "did you mean" (each costs a
                                     comparison with every id of the rubric)
``REPORT_SECONDS``       300         default of ``--timeout``: seconds one report may take
``REPORT_ROWS``          60          indicators listed one per row in a report's agreement
                                     chart and hotspot table (larger rubrics show the hotspots,
                                     worst first, and count the rest)
``WORKSHOP_NAMES``       500         names in one list of personal workshop links (the
                                     projector's form or ``maturity workshop links``)
``WEIGHTS_FILE_BYTES``   1 MiB       size of one weights input file (a comparison matrix, or
                                     ratings, points, swings or Best-Worst judgements)
=======================  ==========  ===========================================================

May import: :mod:`assessment.exceptions` (the one layer below it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from assessment.exceptions import ParameterError

__all__ = [
    "LIMITS",
    "PROBLEMS_SHOWN",
    "REPORT_ROWS",
    "REPORT_SECONDS",
    "RUBRIC_BYTES",
    "RUBRIC_NODES",
    "SUGGESTIONS",
    "WEIGHTS_FILE_BYTES",
    "WORKSHOP_NAMES",
    "XLSX_BYTES",
    "XLSX_CELLS",
    "YAML_ALIAS_GROWTH",
    "Limit",
]


@dataclass(frozen=True)
class Limit:
    """One limit: its default and the environment variable that overrides it."""

    name: str
    default: int
    #: What it bounds, for messages ("cells of a workbook's sheet").
    what: str

    @property
    def variable(self) -> str:
        """The environment variable that overrides the default (``ASSESSMENT_MAX_<NAME>``)."""
        return f"ASSESSMENT_MAX_{self.name}"

    @property
    def value(self) -> int:
        """The limit in force: the environment's override, else the default.

        Raises
        ------
        ParameterError
            When the override is not a whole number above 0.
        """
        text = os.environ.get(self.variable, "").strip().replace("_", "")
        if not text:
            return self.default
        try:
            number = int(text)
        except ValueError:
            number = 0
        if number < 1:
            raise ParameterError(
                f"{self.variable} must be a whole number above 0; found {text!r}"
            ) from None
        return number

    def hint(self) -> str:
        """How to raise it, for the end of a message."""
        return f"the limit is {self.value:,} ({self.variable} raises it)"


RUBRIC_BYTES = Limit("RUBRIC_BYTES", 16 * 2**20, "bytes of a rubric file")
RUBRIC_NODES = Limit("RUBRIC_NODES", 1_000_000, "YAML nodes of a rubric, aliases expanded")
YAML_ALIAS_GROWTH = Limit("YAML_ALIAS_GROWTH", 10, "growth of a rubric by its YAML aliases")
XLSX_CELLS = Limit("XLSX_CELLS", 300_000, "cells of a workbook's sheet")
XLSX_BYTES = Limit("XLSX_BYTES", 256 * 2**20, "bytes of a workbook once unzipped")
PROBLEMS_SHOWN = Limit("PROBLEMS_SHOWN", 20, "problems printed per reason")
SUGGESTIONS = Limit("SUGGESTIONS", 50, "distinct unknown ids given a suggestion")
REPORT_SECONDS = Limit("REPORT_SECONDS", 300, "seconds one report may take")
REPORT_ROWS = Limit("REPORT_ROWS", 60, "indicators listed one per row in a report")
WORKSHOP_NAMES = Limit("WORKSHOP_NAMES", 500, "names in one list of personal workshop links")
WEIGHTS_FILE_BYTES = Limit("WEIGHTS_FILE_BYTES", 2**20, "bytes of a weights input file")

#: Every limit, for the documentation and the tests.
LIMITS = (
    RUBRIC_BYTES,
    RUBRIC_NODES,
    YAML_ALIAS_GROWTH,
    XLSX_CELLS,
    XLSX_BYTES,
    PROBLEMS_SHOWN,
    SUGGESTIONS,
    REPORT_SECONDS,
    REPORT_ROWS,
    WORKSHOP_NAMES,
    WEIGHTS_FILE_BYTES,
)
