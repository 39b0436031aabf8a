"""Words and numbers people read: the one label table, the number formatter, text direction.

What lives here
---------------
* :mod:`~assessment.text.labels`: every user-facing label of reports, charts, the workshop
  and the CLI, in English and Arabic (:func:`label`);
* :mod:`~assessment.text.numbers`: the one number formatter (:func:`format_number`) and
  Arabic-Indic digits;
* :mod:`~assessment.text.bidi`: right-to-left languages (:func:`direction`);
* :mod:`~assessment.text.controls`: control characters and bidi overrides in user text,
  removed from HTML (:func:`strip_controls`; :func:`esc`, the one HTML escaping) or escaped
  on a terminal (:func:`visible_controls`).

May import: the standard library only.  Everything that shows text imports this package.
"""

from assessment.text.bidi import RTL_LANGUAGES, direction
from assessment.text.controls import esc, strip_controls, visible_controls
from assessment.text.counting import counted
from assessment.text.labels import ENTRIES, LABELS, LANGUAGES, label
from assessment.text.numbers import (
    MISSING,
    format_compact,
    format_digits,
    format_number,
    format_ordinal,
    round_half_up,
)

__all__ = [
    "ENTRIES",
    "LABELS",
    "LANGUAGES",
    "MISSING",
    "RTL_LANGUAGES",
    "counted",
    "direction",
    "esc",
    "format_compact",
    "format_digits",
    "format_number",
    "format_ordinal",
    "label",
    "round_half_up",
    "strip_controls",
    "visible_controls",
]
