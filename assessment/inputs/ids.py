"""Safe identifiers: client and profile ids become folder and file names of reports."""

from __future__ import annotations

import re

import pandas as pd

from assessment.exceptions import UnsafeIdentifierError
from assessment.inputs.tables import _per_unique

__all__ = ["SAFE_ID", "check_safe_id"]

#: Client ids become folder names of reports: letters, digits, ``_ . -``; no leading dot.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


def _safe_id_mask(s: pd.Series) -> pd.Series:
    """True where ``s`` holds a safe id: :func:`check_safe_id` for a whole column."""
    return _per_unique(
        s, lambda u: u.str.fullmatch(SAFE_ID.pattern) & ~u.str.contains("..", regex=False)
    ).astype(bool)


def check_safe_id(value: str, what: str = "client id") -> str:
    """Return ``value`` if it is safe as a file or folder name, else raise.

    Safe means: 1-64 characters from letters, digits, ``_``, ``.`` and ``-``, starting with a
    letter or digit, and no ``..``.  This rules out path separators, absolute paths, empty
    strings and control characters.

    Raises
    ------
    UnsafeIdentifierError
        With the offending value shown escaped.
    """
    if not isinstance(value, str) or not SAFE_ID.fullmatch(value) or ".." in value:
        raise UnsafeIdentifierError(
            f"{what} {value!r} is not safe as a file name: use 1-64 letters, digits, '_', '.' "
            "or '-', starting with a letter or digit"
        )
    return value
