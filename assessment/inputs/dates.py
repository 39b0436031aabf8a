"""Dates as survey tools write them: ISO, ``3/12/2025 14:05:33``, ``12.03.2025``, ``م``/``ص``.

Google Forms writes its timestamp in the spreadsheet's locale (``3/12/2025 14:05:33`` in the
US, ``12/03/2025 14:05:33`` in most others), Microsoft Forms and SurveyMonkey write
``03/12/2025 02:05:33 PM``, KoboToolbox ISO 8601 with a time zone, and an Arabic locale may
write Arabic-Indic digits and ``م`` (p.m.) or ``ص`` (a.m.).  Only the day matters (an
assessment is an engagement, see :mod:`assessment.inputs.engagement`): any time and zone are
dropped, never converted.

Whether ``3/12/2025`` is the 3rd of December or the 12th of March is decided once per column:
a first number above 12 anywhere in the column makes it day-first, a second one above 12
month-first; when nothing decides, month-first (the US default of Google and Microsoft Forms)
and a warning says so.
"""

from __future__ import annotations

import re

import pandas as pd

from assessment.questionnaire import normalise_digits

__all__ = ["parse_dates"]

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:\s.*)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})(?:[\s,T].*)?$")


def _day(year: str, month: str, day: str) -> str | None:
    y = int(year) + (2000 if len(year) == 2 else 0)
    try:
        return pd.Timestamp(year=y, month=int(month), day=int(day)).strftime("%Y-%m-%d")
    except ValueError:
        return None


def parse_dates(values: pd.Series) -> tuple[pd.Series, str]:
    """Each distinct date text as ``YYYY-MM-DD`` (``None`` where it is not a date).

    Returns
    -------
    (pandas.Series, str)
        The days, aligned with ``values``; and a warning (empty when none) when the order of
        day and month could not be told from the column.
    """
    text = values.astype(str).map(lambda v: normalise_digits(v).strip())
    slashed = text.str.extract(_SLASHED)
    first = pd.to_numeric(slashed[0], errors="coerce")
    second = pd.to_numeric(slashed[1], errors="coerce")
    day_first = bool((first > 12).any())
    month_first = bool((second > 12).any())
    warning = ""
    if slashed[0].notna().any() and not day_first and not month_first:
        sample = text[slashed[0].notna()].iloc[0]
        warning = (
            f"dates such as {sample!r} could be day/month or month/day; read as month/day "
            "(the Forms default in the US); write dates as YYYY-MM-DD to be sure"
        )

    def one(v: str) -> str | None:
        m = _ISO.match(v) or _YMD.match(v)
        if m:
            return _day(m.group(1), m.group(2), m.group(3))
        m = _SLASHED.match(v)
        if m:
            a, b, y = m.groups()
            return _day(y, a, b) if (month_first or not day_first) else _day(y, b, a)
        return None

    return text.map(one).astype(object), warning
