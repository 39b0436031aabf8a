"""The one number formatter: digits, decimals and the dash for a missing value.

Reports, charts, the workshop and the CLI format numbers through :func:`format_number`, so a
figure reads the same everywhere (``54`` on the summary, ``54`` in the chart's legend).
"""

from __future__ import annotations

import math

__all__ = ["MISSING", "format_digits", "format_number"]

#: What a missing number shows as.
MISSING = "–"

_ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# In a number, the decimal point becomes the Arabic decimal separator as well.
_ARABIC_INDIC_NUMBER = str.maketrans("0123456789.-", "٠١٢٣٤٥٦٧٨٩٫-")


def format_digits(text: str, numerals: str = "western") -> str:
    """``text`` with Western digits replaced by Arabic-Indic ones when asked."""
    return text.translate(_ARABIC_INDIC_DIGITS) if numerals == "arabic-indic" else text


def format_number(value: float | None, digits: int = 1, *, numerals: str = "western") -> str:
    """Format a number for people; :data:`MISSING` for ``None`` and NaN.

    Parameters
    ----------
    value
        The number.
    digits
        Decimal places.
    numerals
        ``"western"`` (0-9) or ``"arabic-indic"`` (٠-٩).

    Examples
    --------
    >>> format_number(54.4999, 0), format_number(None)
    ('54', '–')
    >>> format_number(2.5, 1, numerals="arabic-indic")
    '٢٫٥'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    text = f"{value:.{digits}f}"
    return text.translate(_ARABIC_INDIC_NUMBER) if numerals == "arabic-indic" else text
