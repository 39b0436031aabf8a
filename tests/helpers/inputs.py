"""What the tests of :mod:`assessment.inputs` share: writing data files, reading the errors.

Imported as ``from helpers.inputs import write`` (plain helpers live in the ``helpers``
package, fixtures in ``conftest.py``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from assessment.exceptions import DataValidationError
from assessment.inputs import ANSWER_COLUMNS

#: The header row of a long-format answers CSV.
HEADER = ",".join(ANSWER_COLUMNS)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` in ``encoding`` (newlines as given) and return the path."""
    path.write_bytes(text.encode(encoding))
    return path


def long_csv(*rows: str) -> str:
    """A long-format answers CSV with the standard header."""
    return "\n".join([HEADER, *rows]) + "\n"


def sha256(path: Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def errors_of(excinfo: pytest.ExceptionInfo[DataValidationError]) -> pd.DataFrame:
    """The errors table of a raised :class:`DataValidationError`."""
    return excinfo.value.errors


def reasons(errors: pd.DataFrame) -> list[tuple[int | None, str, str]]:
    """``(row, column, reason)`` of every error, in reported order."""
    return [
        (None if pd.isna(r) else int(r), c, why)
        for r, c, why in zip(errors["row"], errors["column"], errors["reason"], strict=True)
    ]


def answer(df: pd.DataFrame, respondent: str, indicator: str) -> pd.Series:
    """The single normalised answer of ``respondent`` on ``indicator``."""
    hit = df.loc[(df["respondent"] == respondent) & (df["indicator_id"] == indicator)]
    assert len(hit) == 1, f"expected one answer of {respondent} on {indicator}, got {len(hit)}"
    return hit.iloc[0]
