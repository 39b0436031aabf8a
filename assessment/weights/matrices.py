"""Pairwise comparison matrices: building, reading and checking them.

A comparison matrix ``A`` is square, positive and reciprocal (``a_ji = 1 / a_ij``,
``a_ii = 1``), its judgements on Saaty's 1-9 scale.  :func:`validate_matrix` accepts what
people type (fractions such as ``1/3``, a blank lower triangle, two-decimal reciprocals) and
returns the matrix exactly reciprocal, or raises an :class:`~assessment.exceptions.InputError`
naming the cell.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assessment.exceptions import InputError, ParameterError
from assessment.limits import WEIGHTS_FILE_BYTES

__all__ = [
    "check_file_size",
    "consistent_matrix",
    "matrix_from_judgements",
    "read_matrix",
    "validate_matrix",
]

# Judgements typed as decimals (0.33 for 1/3, 0.14 for 1/7) are reciprocal only roughly; 5 %
# accepts two-decimal rounding but still catches a 3 entered where 1/3 was meant.
_RECIPROCAL_TOLERANCE = math.log(1.05)
_SCALE_SLACK = 1.05


def _parse_cell(value: Any) -> float:
    """A judgement from a cell: a number, or a fraction such as ``1/3``; blank is NaN."""
    if value is None:
        return math.nan
    if isinstance(value, int | float | np.number):
        return float(value)
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        return float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        if text.lower() in {"nan", "na"}:
            return math.nan
        raise ValueError(text) from None


def _check_ids(ids: Sequence[Any], source: str, known: Sequence[str] | None) -> list[str]:
    """The ids as stripped strings: unique, not empty and, if ``known`` is given, among it."""
    out = [str(i).strip() for i in ids]
    dupes = sorted({i for i in out if out.count(i) > 1})
    if dupes:
        raise InputError(f"{source}: ids must be unique; found {dupes} more than once")
    if any(not i for i in out):
        raise InputError(f"{source}: an id is empty; every row and column needs an id")
    if known is not None:
        unknown = [i for i in out if i not in set(known)]
        if unknown:
            raise InputError(f"{source}: unknown id(s) {unknown}; expected ids among {list(known)}")
    return out


def validate_matrix(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    ids: Sequence[str] | None = None,
    *,
    known_ids: Sequence[str] | None = None,
    source: str = "comparison matrix",
    allow_missing: bool = False,
) -> pd.DataFrame:
    """Check a pairwise comparison matrix and return it exactly reciprocal.

    Parameters
    ----------
    matrix
        A square table of judgements ``a_ij`` (how much more ``i`` matters than ``j``).  A
        DataFrame carries its ids (index and columns must list the same ids, in any order);
        otherwise give ``ids``.  Cells may be numbers or fraction strings (``"1/3"``).  A blank
        (NaN) cell is filled with the reciprocal of its mirror, so the upper triangle alone is
        enough; a blank diagonal is 1.
    ids
        Item ids for an array input (default ``item1 .. itemN``).
    known_ids
        When given, every id must be one of these (e.g. the rubric's dimension ids).
    source
        How to name the matrix in error messages (a file name).
    allow_missing
        Keep a pair whose two cells are both blank as NaN (an incomplete matrix, completed by
        :func:`assessment.weights.incomplete.complete_matrix`) instead of refusing it.

    Returns
    -------
    pandas.DataFrame
        Float matrix indexed by id.  Judgements typed as rounded decimals (0.33 for 1/3) are
        made exactly reciprocal by the geometric mean ``sqrt(a_ij / a_ji)``.

    Raises
    ------
    InputError
        Not square, ids that differ between rows and columns, duplicate or unknown ids,
        non-numeric, non-positive or off-scale values (outside 1/9 .. 9), a diagonal other than
        1, or judgements that are not reciprocal (``a_ij a_ji`` off 1 by more than 5 %).
    """
    raw, labels = _cells_and_ids(matrix, ids, known_ids, source)
    a = _parse_cells(raw, labels, source)
    _check_judgements(a, labels, source)
    a = _fill_reciprocals(a, labels, source, allow_missing)
    exact = np.sqrt(a / a.T)
    return pd.DataFrame(exact, index=labels, columns=labels)


def _cells_and_ids(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    ids: Sequence[str] | None,
    known_ids: Sequence[str] | None,
    source: str,
) -> tuple[np.ndarray, list[str]]:
    """The square table of raw cells, rows in the order of the ids, and the checked ids."""
    if isinstance(matrix, pd.DataFrame):
        rows = _check_ids(list(matrix.index), f"{source} (first column)", known_ids)
        cols = _check_ids(list(matrix.columns), f"{source} (header row)", known_ids)
        if len(rows) != len(cols):
            raise InputError(
                f"{source}: a comparison matrix must be square; found {len(rows)} rows and "
                f"{len(cols)} columns"
            )
        if set(rows) != set(cols):
            raise InputError(
                f"{source}: the first column must list the same ids as the header row; "
                f"header has {cols}, first column has {rows}"
            )
        raw = matrix.to_numpy(dtype=object)
        order = [rows.index(c) for c in cols]
        raw = raw[order]
        labels = cols
    else:
        raw = np.asarray(matrix, dtype=object)
        if raw.ndim != 2 or raw.shape[0] != raw.shape[1]:
            raise InputError(
                f"{source}: a comparison matrix must be square; found shape {raw.shape}"
            )
        labels = list(ids) if ids is not None else [f"item{k + 1}" for k in range(raw.shape[0])]
        labels = _check_ids(labels, source, known_ids)
        if len(labels) != raw.shape[0]:
            raise InputError(
                f"{source}: {len(labels)} ids for a {raw.shape[0]} x {raw.shape[0]} matrix"
            )
    if not labels:
        raise InputError(f"{source}: the matrix is empty; expected at least one item")
    return raw, labels


def _parse_cells(raw: np.ndarray, labels: list[str], source: str) -> np.ndarray:
    """Every cell as a float (NaN where blank), or an error naming the first unreadable one."""
    n = len(labels)
    a = np.empty((n, n))
    for r in range(n):  # cells are parsed one by one: n <= 15, and each may be "1/3" text
        for c in range(n):
            try:
                a[r, c] = _parse_cell(raw[r, c])
            except ValueError:
                raise InputError(
                    f"{source}: row {labels[r]!r}, column {labels[c]!r}: expected a number or a "
                    f"fraction such as 1/3; found {raw[r, c]!r}"
                ) from None
    return a


def _check_judgements(a: np.ndarray, labels: list[str], source: str) -> None:
    """A diagonal of ones (set in place where blank); every judgement positive, on the scale."""
    n = len(labels)
    diag = np.diag(a).copy()
    bad_diag = [labels[k] for k in range(n) if not (np.isnan(diag[k]) or abs(diag[k] - 1) < 1e-9)]
    if bad_diag:
        k = labels.index(bad_diag[0])
        raise InputError(
            f"{source}: row {bad_diag[0]!r}, column {bad_diag[0]!r}: an item compared with "
            f"itself must be 1; found {_fmt_found(a[k, k])}"
        )
    np.fill_diagonal(a, 1.0)
    with np.errstate(invalid="ignore"):
        bad = np.argwhere(~np.isnan(a) & ~(a > 0))
    if len(bad):
        r, c = bad[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r}: judgements must be positive "
            f"(1/9 .. 9 on Saaty's scale); found {_fmt_found(a[r, c])}"
        )
    off = np.argwhere((a > 9 * _SCALE_SLACK) | (a < 1 / (9 * _SCALE_SLACK)))
    if len(off):
        r, c = off[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r}: judgements must lie on "
            f"Saaty's scale, 1/9 .. 9; found {_fmt_found(a[r, c])}"
        )


def _fill_reciprocals(
    a: np.ndarray, labels: list[str], source: str, allow_missing: bool = False
) -> np.ndarray:
    """Blank cells filled from their mirror; the judgements must then be reciprocal."""
    missing = np.isnan(a)
    both = missing & missing.T
    if both.any() and not allow_missing:
        r, c = np.argwhere(both)[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r}: no judgement (the cell and its "
            f"mirror, row {labels[c]!r}, column {labels[r]!r}, are both blank)"
        )
    a = np.where(missing, 1.0 / a.T, a)
    with np.errstate(invalid="ignore"):
        mismatch = np.abs(np.log(a * a.T)) > _RECIPROCAL_TOLERANCE
    if mismatch.any():
        r, c = np.argwhere(np.triu(mismatch, 1))[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r} is {_fmt_found(a[r, c])} but "
            f"row {labels[c]!r}, column {labels[r]!r} is {_fmt_found(a[c, r])}; expected "
            f"reciprocals (a_ji = 1/a_ij, here {_fmt_found(1 / a[r, c])})"
        )
    return a


def _fmt_found(x: float) -> str:
    """A cell value as the messages show it: ``blank`` or 4 significant digits."""
    return "blank" if np.isnan(x) else f"{x:.4g}"


def consistent_matrix(weights: Mapping[str, float] | pd.Series) -> pd.DataFrame:
    """The perfectly consistent matrix ``a_ij = w_i / w_j`` of some weights.

    Its AHP weights are ``weights`` (normalised), lambda_max = n and CR = 0; a starting point
    for judgements that agree with the current rubric.
    """
    w = pd.Series(weights, dtype=float)
    if (w <= 0).any() or w.empty:
        raise ParameterError("weights must be positive to form a comparison matrix")
    v = w.to_numpy()
    return pd.DataFrame(v[:, None] / v[None, :], index=w.index, columns=w.index)


def matrix_from_judgements(
    ids: Sequence[str], judgements: Mapping[tuple[str, str], float]
) -> pd.DataFrame:
    """A full matrix from judgements on pairs ``{(i, j): a_ij}`` (unlisted pairs are 1).

    Each pair needs giving once; its mirror is the reciprocal.  This is what the notebook's
    entry grid (upper triangle) produces.
    """
    index = {k: n for n, k in enumerate(ids)}
    a = np.ones((len(ids), len(ids)))
    for (i, j), value in judgements.items():
        if i not in index or j not in index:
            raise ParameterError(f"judgement on unknown pair ({i!r}, {j!r}); ids are {list(ids)}")
        if not value > 0:
            raise ParameterError(f"judgement {i!r} vs {j!r} must be positive; found {value!r}")
        a[index[i], index[j]] = value
        a[index[j], index[i]] = 1.0 / value
    return pd.DataFrame(a, index=list(ids), columns=list(ids))


def check_file_size(path: Path) -> None:
    """Refuse a weights input file over :data:`~assessment.limits.WEIGHTS_FILE_BYTES`.

    Checked before parsing, like every other input's size limit (``docs/security.md``): a
    comparison matrix or a ratings table is a few kilobytes, so a huge file is a mistake (the
    wrong file) or hostile, and pandas would otherwise read all of it first.

    Raises
    ------
    InputError
        The file does not exist, or is over the limit (the message names the limit and the
        environment variable that raises it).
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if size > WEIGHTS_FILE_BYTES.value:
        raise InputError(
            f"{path}: the file has {size:,} bytes, too large for a weights input file; "
            f"{WEIGHTS_FILE_BYTES.hint()}"
        )


def read_matrix(
    path: str | Path, *, known_ids: Sequence[str] | None = None, allow_missing: bool = False
) -> pd.DataFrame:
    """Read a comparison matrix CSV: a header row of ids and the same ids as first column.

    Cells hold numbers or fractions (``1/3``); the lower triangle may be left blank.  With
    ``allow_missing``, a pair blank in both triangles stays NaN (an incomplete matrix).

    Raises
    ------
    InputError
        Unreadable file or an invalid matrix (see :func:`validate_matrix`).
    """
    path = Path(path)
    check_file_size(path)
    try:
        frame = pd.read_csv(
            path, dtype=str, index_col=0, encoding="utf-8-sig", keep_default_na=False
        )
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as a CSV comparison matrix ({exc})") from None
    return validate_matrix(
        frame, known_ids=known_ids, source=str(path), allow_missing=allow_missing
    )
