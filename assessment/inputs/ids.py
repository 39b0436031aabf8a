"""Safe identifiers: client and profile ids become folder and file names of reports.

A client id names the folder ``<out>/<client_id>/`` of its report, next to the batch's own
files.  So besides its characters (:data:`SAFE_ID`), a client id must not be a name the
operating system reserves (``CON``, ``NUL``, ``COM1``... on Windows, with or without an
extension, in any case), one of the batch's own files (``index.html``...), or end with a dot
(Windows drops it); and two ids of one run must not differ only in case, since ``Acme`` and
``acme`` are one folder on a case-insensitive disk (macOS, Windows).
"""

from __future__ import annotations

import re

import pandas as pd

from assessment.exceptions import UnsafeIdentifierError
from assessment.inputs.tables import _per_unique

__all__ = ["BATCH_FILES", "RESERVED_NAMES", "SAFE_ID", "check_safe_id", "reserved_reason"]

#: Client ids become folder names of reports: letters, digits, ``_ . -``; no leading dot.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")

#: Device names Windows reserves in every folder, with any extension (compared in lower case).
RESERVED_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{d}" for d in range(10)} | {f"lpt{d}" for d in range(10)}
)
#: Files a batch writes next to the client folders (compared in lower case).
BATCH_FILES = frozenset({"index.html", "manifest.json", "scores.csv", "scores.xlsx"})


def _safe_id_mask(s: pd.Series) -> pd.Series:
    """True where ``s`` holds a safe id: :func:`check_safe_id` for a whole column."""
    return _per_unique(
        s, lambda u: u.str.fullmatch(SAFE_ID.pattern) & ~u.str.contains("..", regex=False)
    ).astype(bool)


def reserved_reason(value: str) -> str:
    """Why ``value`` cannot name a client's folder although its characters are safe ("": it can).

    Examples
    --------
    >>> reserved_reason("aux.csv")
    "'aux' is a device name Windows reserves"
    >>> reserved_reason("c01-acme")
    ''
    """
    low = value.lower()
    if low in BATCH_FILES:
        return f"{value!r} is one of the batch's own files ({', '.join(sorted(BATCH_FILES))})"
    stem = low.split(".", 1)[0]
    if stem in RESERVED_NAMES:
        return f"{value.split('.', 1)[0]!r} is a device name Windows reserves"
    if low.endswith("."):
        return f"{value!r} ends with a dot, which Windows drops from folder names"
    return ""


def _reserved_messages(s: pd.Series) -> pd.Series:
    """:func:`reserved_reason` for a whole column (computed once per distinct value)."""
    return _per_unique(s, lambda u: u.map(reserved_reason).astype(object))


def check_safe_id(value: str, what: str = "client id") -> str:
    """Return ``value`` if it is safe as a file or folder name, else raise.

    Safe means: 1-64 characters from letters, digits, ``_``, ``.`` and ``-``, starting with a
    letter or digit, no ``..``, not ending with ``.``, and not a reserved name (see the module
    docstring).  This rules out path separators, absolute paths, empty strings and control
    characters.

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
    reason = reserved_reason(value)
    if reason:
        raise UnsafeIdentifierError(f"{what} {value!r} cannot name a folder: {reason}")
    return value
