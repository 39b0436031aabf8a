"""The one number formatter: digits, decimals and the dash for a missing value.

Reports, charts, the workshop and the CLI format numbers through :func:`format_number`, so a
figure reads the same everywhere (``54`` on the summary, ``54`` in the chart's legend).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "MISSING",
    "format_compact",
    "format_digits",
    "format_number",
    "format_ordinal",
    "round_half_up",
]

#: What a missing number shows as.
MISSING = "–"

_ARABIC_INDIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# In a number, the decimal point becomes the Arabic decimal separator as well.
_ARABIC_INDIC_NUMBER = str.maketrans("0123456789.-", "٠١٢٣٤٥٦٧٨٩٫-")


def format_digits(text: str, numerals: str = "western") -> str:
    """``text`` with Western digits replaced by Arabic-Indic ones when asked."""
    return text.translate(_ARABIC_INDIC_DIGITS) if numerals == "arabic-indic" else text


def round_half_up(value: float, digits: int = 0) -> float:
    """``value`` rounded as people round: halves away from zero, on the decimal written.

    Python's :func:`round` and ``f"{x:.0f}"`` round halves to even and work on the binary
    value, so 54.5 became 54 on one page and 55 on another (issue 15).  This is the rounding
    of every figure people read: :func:`format_number`, the reports' headline figures and the
    batch's ``scores.csv``.

    Examples
    --------
    >>> round_half_up(54.5), round_half_up(2.675, 2), round_half_up(-0.5)
    (55.0, 2.68, -1.0)
    """
    if math.isnan(value) or math.isinf(value):
        return value
    step = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(step, rounding=ROUND_HALF_UP))


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
    try:
        value = round_half_up(float(value), digits)
    except (TypeError, ValueError):
        return MISSING
    text = f"{value:.{digits}f}"
    return text.translate(_ARABIC_INDIC_NUMBER) if numerals == "arabic-indic" else text


def format_compact(value: float | None, digits: int = 2, *, numerals: str = "western") -> str:
    """Format a number to at most ``digits`` decimals, without trailing zeros.

    For values read on a scale where ``3`` and ``2.5`` are the usual case and a fixed number
    of decimals would only add noise (levels, scores, gaps, agreement coefficients): ``3``,
    ``2.5``, ``2.25``.

    Parameters
    ----------
    value
        The number; :data:`MISSING` for ``None`` and NaN.
    digits
        The most decimal places shown.
    numerals
        ``"western"`` (0-9) or ``"arabic-indic"`` (٠-٩).

    Examples
    --------
    >>> format_compact(3.0), format_compact(2.5), format_compact(2.254), format_compact(None)
    ('3', '2.5', '2.25', '–')
    >>> format_compact(54.04, 1), format_compact(54.0, 0)
    ('54', '54')
    >>> format_compact(2.50, 1, numerals="arabic-indic")
    '٢٫٥'
    """
    text = format_number(value, digits)
    if text == MISSING:
        return text
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.translate(_ARABIC_INDIC_NUMBER) if numerals == "arabic-indic" else text


def format_ordinal(value: float) -> str:
    """An English ordinal of ``value`` rounded to a whole number: ``1st``, ``22nd``, ``13th``.

    English only: Arabic shows the plain number (``format_number(value, 0)``) inside a
    sentence that says what it counts.

    Parameters
    ----------
    value
        The number, e.g. a percentile; rounded half to even, like :func:`round`.

    Examples
    --------
    >>> [format_ordinal(v) for v in (1, 2, 3, 4, 11, 12, 13, 21, 22.4, 111, 112)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '111th', '112th']
    """
    n = round(value)
    # 11th, 12th, 13th (and 111th ...) break the last-digit rule.
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
