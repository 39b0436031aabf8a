"""Reading and validating the data files: answers, clients, peers and target profiles.

Every loader reads the whole file, checks it against the rubric, and collects **every** problem
before raising one :class:`~assessment.exceptions.DataValidationError` whose ``errors`` table has
the columns :data:`ERROR_COLUMNS` (like pandera's lazy validation).  Row numbers are the ones a
person sees in Excel: the header is row 1, the first data row is row 2.

Formats
-------
Answers come in two shapes:

* **long** (tidy): ``client_id, date, respondent, role, indicator_id, value, comment`` — one row
  per answer;
* **wide** (survey export, as Google / Microsoft Forms produce it): ``client_id, date,
  respondent, role`` then one column per indicator id, one row per respondent; an empty cell is
  "not answered".

``value`` is a level (``1``..``n``) for anchored indicators, a number for measured ones,
``yes``/``no`` for boolean ones, or ``NA`` (not applicable) where the rubric allows it.
Files may be CSV (UTF-8 with or without BOM, UTF-16 with BOM; ``,`` ``;`` tab or ``|``
delimited) or XLSX (first sheet).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from assessment.exceptions import DataValidationError, InputError, UnsafeIdentifierError

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = [
    "ANSWER_COLUMNS",
    "ERROR_COLUMNS",
    "Inputs",
    "Reason",
    "answers_from_frame",
    "check_safe_id",
    "load_answers",
    "load_clients",
    "load_inputs",
    "load_peers",
    "load_targets",
    "read_table",
]

#: Columns of the long answers format, in order.
ANSWER_COLUMNS = ["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"]
#: Identifying columns of the wide (survey export) format.
WIDE_ID_COLUMNS = ["client_id", "date", "respondent", "role"]
#: Columns of every validation error table.
ERROR_COLUMNS = ["file", "row", "column", "value", "reason", "message"]
#: Columns of the clients table; only the first two are required.
CLIENT_COLUMNS = ["client_id", "name", "sector", "size_band", "region", "target_profile", "lang"]
#: Optional numeric columns of the clients table (the report's resourcing section uses them).
CLIENT_NUMBER_COLUMNS = ["messages_per_day", "social_fte"]
#: Columns that survey tools add to exports and that carry no answer.
FORM_METADATA_COLUMNS = frozenset(
    {
        "timestamp",
        "start time",
        "completion time",
        "email",
        "email address",
        "id",
        "last modified time",
    }
)

#: Spellings accepted for "not applicable" (compared case-insensitively).
NA_TOKENS = frozenset({"na", "n/a", "n.a.", "not applicable", "غير منطبق", "لا ينطبق"})
YES_TOKENS = frozenset({"yes", "y", "true", "1", "نعم"})
NO_TOKENS = frozenset({"no", "n", "false", "0", "لا"})

#: Client ids become folder names of reports: letters, digits, ``_ . -``; no leading dot.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


class Reason(StrEnum):
    """Reason codes of validation errors; stable, so reports can group and count them."""

    FILE_NOT_FOUND = "file_not_found"
    NOT_A_TABLE = "not_a_table"
    BAD_ENCODING = "bad_encoding"
    EMPTY_FILE = "empty_file"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    UNKNOWN_COLUMN = "unknown_column"
    MISSING_VALUE = "missing_value"
    UNKNOWN_INDICATOR = "unknown_indicator"
    NOT_A_LEVEL = "not_a_level"
    LEVEL_OUT_OF_RANGE = "level_out_of_range"
    NOT_A_NUMBER = "not_a_number"
    NOT_YES_NO = "not_yes_no"
    NA_NOT_ALLOWED = "na_not_allowed"
    BAD_DATE = "bad_date"
    DUPLICATE_ANSWER = "duplicate_answer"
    DUPLICATE_ID = "duplicate_id"
    UNKNOWN_CLIENT = "unknown_client"
    UNSAFE_ID = "unsafe_id"
    UNKNOWN_TARGET_PROFILE = "unknown_target_profile"
    UNKNOWN_DIMENSION = "unknown_dimension"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    UNKNOWN_LANGUAGE = "unknown_language"


class _Errors:
    """Accumulates error rows; vectorised helpers add many at once."""

    def __init__(self) -> None:
        self._frames: list[pd.DataFrame] = []

    def add(
        self,
        file: str,
        reason: Reason,
        message: str,
        *,
        row: int | None = None,
        column: str = "",
        value: str = "",
    ) -> None:
        self._frames.append(
            pd.DataFrame([[file, row, column, value, reason.value, message]], columns=ERROR_COLUMNS)
        )

    def add_mask(
        self,
        file: str,
        df: pd.DataFrame,
        mask: pd.Series,
        reason: Reason,
        column: str,
        message: str | pd.Series | Callable[[pd.DataFrame], pd.Series],
    ) -> None:
        """Add one error per row of ``df`` where ``mask`` is true.

        ``message`` may be a callable taking the failing rows, so that costly messages
        (suggestions, per-row wording) are only built for rows that actually fail.
        """
        if not mask.any():
            return
        sub = df.loc[mask]
        if callable(message):
            message = pd.Series(list(message(sub)), index=sub.index)
        msg = message.loc[mask] if isinstance(message, pd.Series) else message
        self._frames.append(
            pd.DataFrame(
                {
                    "file": file,
                    "row": sub["_row"].to_numpy(),
                    "column": column,
                    "value": sub[column].astype(str).to_numpy() if column in sub else "",
                    "reason": reason.value,
                    "message": np.asarray(msg, dtype=object) if isinstance(msg, pd.Series) else msg,
                }
            )
        )

    def __bool__(self) -> bool:
        return bool(self._frames)

    def frame(self) -> pd.DataFrame:
        if not self._frames:
            return pd.DataFrame(columns=ERROR_COLUMNS)
        out = pd.concat(self._frames, ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        return out.sort_values(["file", "row"], kind="stable", na_position="first").reset_index(
            drop=True
        )

    def raise_if_any(self, what: str) -> None:
        if self:
            errors = self.frame()
            files = ", ".join(dict.fromkeys(errors["file"]))
            raise DataValidationError(f"{len(errors)} problem(s) in {what} ({files}):", errors)


# -- reading tables -------------------------------------------------------------------------


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes (for provenance and ``--resume``)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_table(path: str | Path, errors: _Errors | None = None) -> pd.DataFrame | None:
    """Read a CSV or XLSX file into a DataFrame of stripped strings.

    Column names are stripped and lower-cased; a ``_row`` column holds the spreadsheet row
    number of each record.  Problems are added to ``errors`` (and ``None`` returned) rather than
    raised, so that callers can report every file's problems together; without ``errors`` a
    :class:`DataValidationError` is raised.

    Parameters
    ----------
    path
        A ``.csv``/``.txt``/``.tsv`` or ``.xlsx``/``.xlsm`` file.
    errors
        Collector for problems (internal use).
    """
    own = errors is None
    errs = errors if errors is not None else _Errors()
    name = str(path)
    records = _read_raw(Path(path), name, errs)
    df = _tidy(records, name, errs) if records is not None else None
    if own:
        errs.raise_if_any(name)
    return df


def _read_raw(path: Path, name: str, errs: _Errors) -> list[list[str]] | None:
    """The file's records as lists of strings, header first (``None`` after an error)."""
    if path.is_dir():
        errs.add(name, Reason.NOT_A_TABLE, "is a folder; expected a CSV file or an .xlsx workbook")
        return None
    if not path.is_file():
        errs.add(name, Reason.FILE_NOT_FOUND, "no such file")
        return None
    data = path.read_bytes()
    if not data.strip():
        errs.add(name, Reason.EMPTY_FILE, "the file is empty; expected a header row and data")
        return None
    if path.suffix.lower() in {".xlsx", ".xlsm"} or data[:4] == b"PK\x03\x04":
        try:
            # header=None keeps the header as row 1 so row numbers match Excel's; dtype=str
            # keeps "NA" and leading zeros as typed; dates arrive as ISO text.
            sheet = pd.read_excel(
                io.BytesIO(data), sheet_name=0, header=None, dtype=str, keep_default_na=False
            )
        except Exception as exc:  # openpyxl raises many types for corrupt files
            errs.add(
                name,
                Reason.NOT_A_TABLE,
                f"not a readable XLSX workbook ({type(exc).__name__}: {exc}); "
                "expected a CSV file or an Excel .xlsx workbook",
            )
            return None
        return sheet.to_numpy(dtype=str).tolist()
    text = _decode(data, name, errs)
    if text is None:
        return None
    if "\x00" in text:
        errs.add(
            name, Reason.NOT_A_TABLE, "binary content; expected a CSV file or an .xlsx workbook"
        )
        return None
    first = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    try:
        sep = csv.Sniffer().sniff(first, delimiters=",;\t|").delimiter
    except csv.Error:
        sep = ","
    try:
        # The csv module (not pandas) so that blank lines keep their row numbers and rows
        # with too many values are reported instead of silently becoming an index.
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error as exc:
        errs.add(name, Reason.NOT_A_TABLE, f"not a readable CSV table ({exc})")
        return None


def _decode(data: bytes, name: str, errs: _Errors) -> str | None:
    try:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        encoding = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "UTF-8"
        errs.add(
            name,
            Reason.BAD_ENCODING,
            f"not {encoding} text (byte {data[exc.start]:#04x} at offset {exc.start}); in Excel "
            "use 'Save As' > 'CSV UTF-8', or save as .xlsx",
        )
        return None


def _tidy(records: list[list[str]], name: str, errs: _Errors) -> pd.DataFrame | None:
    """Build the string table: normalised headers, ``_row`` numbers, blank rows dropped."""
    while records and not any(str(c).strip() for c in records[0]):
        records = records[1:]  # blank lines above the header
    if not records:
        errs.add(name, Reason.EMPTY_FILE, "the file is empty; expected a header row and data")
        return None
    header = [str(c).strip().lower() for c in records[0]]
    width = len(header)
    keep: list[int] = []
    seen: set[str] = set()
    for pos, col in enumerate(header):
        if col in seen:
            errs.add(
                name,
                Reason.DUPLICATE_COLUMN,
                f"column {col!r} appears more than once",
                row=1,
                column=col,
            )
            continue
        seen.add(col)
        keep.append(pos)
    rows, numbers = [], []
    for offset, rec in enumerate(records[1:]):
        cells = [str(c).strip() for c in rec]
        row_no = offset + 2  # the header is row 1, as in Excel
        if len(cells) > width and any(cells[width:]):
            errs.add(
                name,
                Reason.NOT_A_TABLE,
                f"row has {len(cells)} values but the header has {width} columns",
                row=row_no,
            )
        cells = (cells + [""] * width)[:width]
        if any(cells):  # spreadsheets often carry blank rows; they are not data
            rows.append([cells[p] for p in keep])
            numbers.append(row_no)
    cols = [header[p] for p in keep]
    df = pd.DataFrame(rows, columns=cols, dtype="str")
    unnamed = [c for c in cols if c == ""]
    if unnamed:
        if (df.loc[:, [c == "" for c in df.columns]] != "").to_numpy().any():
            errs.add(name, Reason.MISSING_COLUMN, "a column has values but no header", row=1)
        df = df.loc[:, [c != "" for c in df.columns]]
    df["_row"] = np.asarray(numbers, dtype="int64")
    if df.empty:
        errs.add(name, Reason.EMPTY_FILE, "the file has a header but no data rows")
        return None
    return df


def _require(df: pd.DataFrame, columns: Sequence[str], name: str, errs: _Errors) -> bool:
    missing = [c for c in columns if c not in df.columns]
    for c in missing:
        found = ", ".join(c for c in df.columns if c != "_row")
        errs.add(
            name,
            Reason.MISSING_COLUMN,
            f"missing column {c!r}; found columns: {found}",
            row=1,
            column=c,
        )
    return not missing


def _per_unique(s: pd.Series, fn: Callable[[pd.Series], pd.Series | pd.DataFrame]) -> Any:
    """Apply a string function to the distinct values of ``s`` only, then spread it back.

    Answer files repeat the same few values (ids, dates, levels) across millions of rows, so
    this turns row-wise string work into work proportional to the distinct values.
    """
    codes, uniques = pd.factorize(s)
    result = fn(pd.Series(uniques, dtype="str"))
    if isinstance(result, pd.DataFrame):
        out = result.iloc[codes].reset_index(drop=True)
        out.index = s.index
        return out
    return pd.Series(np.asarray(result)[codes], index=s.index)


def _safe_id_mask(s: pd.Series) -> pd.Series:
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


# -- answers ----------------------------------------------------------------------------------


def load_answers(
    paths: str | Path | Iterable[str | Path],
    rubric: Rubric,
    *,
    clients: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load, validate and normalise answer files (long or wide, CSV or XLSX).

    Parameters
    ----------
    paths
        One or more files; their answers are concatenated.
    rubric
        The rubric the answers refer to.
    clients
        Optional clients table (from :func:`load_clients`); when given, unknown client ids are
        errors.

    Returns
    -------
    pandas.DataFrame
        One row per answer with ``client_id, date, respondent, role, indicator_id, value,
        comment`` plus ``dimension_id``, ``kind``, ``number`` (the level for anchored and
        boolean answers, the measured value for measured ones, NaN for N/A), ``is_na``,
        ``file`` and ``row``.  ``attrs["sources"]`` maps each file to its SHA-256.

    Raises
    ------
    DataValidationError
        Listing every problem in every file.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths)
    errs = _Errors()
    frames = []
    sources: dict[str, str] = {}
    for path in paths:
        name = str(path)
        df = read_table(path, errs)
        if df is None:
            continue
        sources[name] = file_sha256(path)
        long = _to_long(df, rubric, name, errs)
        if long is not None:
            frames.append(_validate_answers(long, rubric, name, errs, clients))
    if not paths:
        errs.add("<answers>", Reason.FILE_NOT_FOUND, "no answer files given")
    if not frames:
        errs.raise_if_any("the answers")
    out = pd.concat(frames, ignore_index=True)
    _check_duplicates(out, errs)
    errs.raise_if_any("the answers")
    out.attrs["sources"] = sources
    return out


def _check_duplicates(out: pd.DataFrame, errs: _Errors) -> None:
    """Flag repeated answers (same assessment, respondent and indicator), across files too."""
    dup = out.duplicated(["client_id", "date", "respondent", "indicator_id"], keep="first")
    if dup.any():
        # Across files, too: the same answer given twice is ambiguous, not a vote.
        first = out.loc[~dup].set_index(["client_id", "date", "respondent", "indicator_id"])
        keys = pd.MultiIndex.from_frame(
            out.loc[dup, ["client_id", "date", "respondent", "indicator_id"]]
        )
        where = first.loc[keys, ["file", "row"]]
        msg = pd.Series(
            [
                f"duplicate answer for respondent {r!r} on {i!r} (first given in {f}, row {w})"
                for r, i, f, w in zip(
                    out.loc[dup, "respondent"],
                    out.loc[dup, "indicator_id"],
                    where["file"],
                    where["row"],
                    strict=True,
                )
            ],
            index=out.index[dup],
        )
        for fname, grp in out.loc[dup].groupby("file", sort=False):
            sub = grp.rename(columns={"row": "_row"})
            errs.add_mask(
                str(fname),
                sub,
                pd.Series(True, index=sub.index),
                Reason.DUPLICATE_ANSWER,
                "indicator_id",
                msg.loc[sub.index],
            )


def answers_from_frame(
    frame: pd.DataFrame,
    rubric: Rubric,
    *,
    clients: pd.DataFrame | None = None,
    source: str = "<frame>",
) -> pd.DataFrame:
    """Validate and normalise answers already in memory (long or wide shape).

    The same checks as :func:`load_answers`, for answers that come from a workshop store,
    a widget or a test rather than a file.  ``source`` names the origin in error messages.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    df = frame.copy()
    df.columns = [str(c).strip().lower() for c in df.columns]
    # pandas 3 keeps missing values missing through astype(str); make them empty strings.
    df = df.astype(object).where(df.notna(), "").astype(str)
    df = df.apply(lambda col: _per_unique(col, lambda u: u.str.strip()).astype("str"))
    df["_row"] = range(2, len(df) + 2)
    long = _to_long(df, rubric, source, errs) if len(df) else None
    if long is None:
        if not errs:
            errs.add(source, Reason.EMPTY_FILE, "no answers")
        errs.raise_if_any("the answers")
    out = _validate_answers(long, rubric, source, errs, clients)
    _check_duplicates(out, errs)
    errs.raise_if_any("the answers")
    out.attrs["sources"] = {}
    return out


def _to_long(df: pd.DataFrame, rubric: Rubric, name: str, errs: _Errors) -> pd.DataFrame | None:
    """Detect the shape; turn a wide survey export into long form."""
    if "indicator_id" in df.columns or "value" in df.columns:
        if not _require(df, ANSWER_COLUMNS[:-1], name, errs):
            return None
        if "comment" not in df.columns:
            df = df.assign(comment="")
        return df[[*ANSWER_COLUMNS, "_row"]]
    if not _require(df, WIDE_ID_COLUMNS, name, errs):
        return None
    known = set(rubric.indicator_table.index)
    candidates = [c for c in df.columns if c not in {*WIDE_ID_COLUMNS, "_row"}]
    unknown = [c for c in candidates if c not in known and c not in FORM_METADATA_COLUMNS]
    for c in unknown:
        errs.add(
            name,
            Reason.UNKNOWN_INDICATOR,
            f"column {c!r} is not an indicator of rubric {rubric.id!r}{_suggest(c, known)}",
            row=1,
            column=c,
        )
    answer_cols = [c for c in candidates if c in known]
    if not answer_cols:
        errs.add(
            name,
            Reason.MISSING_COLUMN,
            "no indicator columns found; expected the long format (indicator_id, value) "
            "or one column per indicator id",
            row=1,
        )
        return None
    long = df.melt(
        id_vars=[*WIDE_ID_COLUMNS, "_row"],
        value_vars=answer_cols,
        var_name="indicator_id",
        value_name="value",
    )
    long = long.loc[long["value"] != ""]  # an empty cell in a form export = not answered
    long["comment"] = ""
    return long[[*ANSWER_COLUMNS, "_row"]].reset_index(drop=True)


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _validate_answers(
    df: pd.DataFrame, rubric: Rubric, name: str, errs: _Errors, clients: pd.DataFrame | None
) -> pd.DataFrame:
    n = rubric.n_levels
    table = rubric.indicator_table
    df = df.copy()
    for col in ("client_id", "date", "respondent"):
        errs.add_mask(name, df, df[col] == "", Reason.MISSING_VALUE, col, f"{col} is empty")

    has_id = df["client_id"] != ""
    errs.add_mask(
        name,
        df,
        has_id & ~_safe_id_mask(df["client_id"]),
        Reason.UNSAFE_ID,
        "client_id",
        "client id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
    )
    if clients is not None:
        unknown = has_id & ~df["client_id"].isin(clients["client_id"])
        errs.add_mask(
            name,
            df,
            unknown,
            Reason.UNKNOWN_CLIENT,
            "client_id",
            "client id is not in the clients table",
        )

    # Accept a date, or a date-time as Excel writes it; the day is what identifies an
    # assessment, so any time or time zone is dropped rather than converted.
    def parse_dates(u: pd.Series) -> pd.Series:
        day = u.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$", expand=False)
        parsed = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
        return parsed.dt.strftime("%Y-%m-%d").astype(object).where(parsed.notna(), None)

    day = _per_unique(df["date"], parse_dates)
    bad_date = (df["date"] != "") & day.isna()
    errs.add_mask(name, df, bad_date, Reason.BAD_DATE, "date", "expected a date as YYYY-MM-DD")
    df["date"] = day.where(day.notna(), df["date"]).astype("str")

    known = df["indicator_id"].isin(table.index)

    def msg(rows: pd.DataFrame) -> list[str]:
        return [
            f"unknown indicator {i!r} for rubric {rubric.id!r}{_suggest(i, table.index)}"
            for i in rows["indicator_id"]
        ]

    errs.add_mask(name, df, ~known, Reason.UNKNOWN_INDICATOR, "indicator_id", msg)

    meta = table.reindex(df["indicator_id"])
    kind = pd.Series(meta["kind"].to_numpy(), index=df.index)
    allow_na = pd.Series(meta["allow_na"].fillna(False).to_numpy(dtype=bool), index=df.index)
    value = df["value"]

    def parse_values(u: pd.Series) -> pd.DataFrame:
        low = u.str.lower()
        # "2,5" is how comma-decimal locales write 2.5; "1,000" could be a thousand or one, so
        # it is refused as ambiguous rather than guessed.
        ambiguous = u.str.fullmatch(r"-?\d{1,3}(,\d{3})+").astype(bool)
        decimal_comma = u.str.fullmatch(r"-?\d+,\d+").astype(bool) & ~ambiguous
        number = pd.to_numeric(
            u.where(~decimal_comma, u.str.replace(",", ".", regex=False)), errors="coerce"
        )
        return pd.DataFrame(
            {
                "is_na": low.isin(NA_TOKENS),
                "yes": low.isin(YES_TOKENS),
                "no": low.isin(NO_TOKENS),
                "ambiguous": ambiguous,
                "number": number.where(~ambiguous).astype("float64"),
            }
        )

    parsed = _per_unique(value, parse_values)
    is_na, ambiguous, number = parsed["is_na"], parsed["ambiguous"], parsed["number"]

    empty = value == ""
    errs.add_mask(
        name,
        df,
        known & empty,
        Reason.MISSING_VALUE,
        "value",
        "value is empty; give a level, a number, yes/no, or NA",
    )
    errs.add_mask(
        name,
        df,
        known & is_na & ~allow_na,
        Reason.NA_NOT_ALLOWED,
        "value",
        lambda rows: [f"indicator {i!r} does not allow NA" for i in rows["indicator_id"]],
    )
    answered = known & ~empty & ~is_na

    anchored = answered & (kind == "anchored")
    errs.add_mask(
        name,
        df,
        anchored & number.isna(),
        Reason.NOT_A_LEVEL,
        "value",
        f"expected a level from 1 to {n}",
    )
    out_of_range = anchored & number.notna() & ~(number.between(1, n) & (number % 1 == 0))
    errs.add_mask(
        name,
        df,
        out_of_range,
        Reason.LEVEL_OUT_OF_RANGE,
        "value",
        f"expected a whole level from 1 to {n}",
    )

    measured = answered & (kind == "measured")
    errs.add_mask(
        name,
        df,
        measured & ambiguous,
        Reason.NOT_A_NUMBER,
        "value",
        "ambiguous number: write it without a thousands separator (1000) or with a decimal "
        "point (1.5)",
    )
    bad_num = measured & ~ambiguous & (number.isna() | ~np.isfinite(number.fillna(0)))
    errs.add_mask(
        name,
        df,
        bad_num,
        Reason.NOT_A_NUMBER,
        "value",
        lambda rows: [
            f"indicator {i!r} is measured: expected a number"
            + (f" in {rubric.indicator(i).unit}" if rubric.indicator(i).unit else "")
            for i in rows["indicator_id"]
        ],
    )

    boolean = answered & (kind == "boolean")
    yes, no = parsed["yes"], parsed["no"]
    errs.add_mask(name, df, boolean & ~(yes | no), Reason.NOT_YES_NO, "value", "expected yes or no")
    bool_level = np.where(yes, meta["yes_level"].to_numpy(), meta["no_level"].to_numpy())
    number = number.where(~boolean, pd.Series(bool_level, index=df.index))
    number = number.where(~is_na)

    out = pd.DataFrame(
        {
            "client_id": df["client_id"],
            "date": df["date"],
            "respondent": df["respondent"],
            "role": df["role"],
            "indicator_id": df["indicator_id"],
            "value": df["value"],
            "comment": df["comment"],
            "dimension_id": pd.Series(meta["dimension_id"].to_numpy(), index=df.index),
            "kind": kind,
            "number": number.astype("float64"),
            "is_na": is_na.to_numpy(dtype=bool),
            "file": name,
            "row": df["_row"].astype("int64"),
        }
    )
    # Categorical ids: the scoring engine reuses their integer codes instead of hashing
    # millions of strings again.
    for col in ("client_id", "date", "indicator_id"):
        out[col] = out[col].astype("category")
    return out


# -- clients, peers, targets -------------------------------------------------------------------


def load_clients(
    path: str | Path,
    rubric: Rubric | None = None,
    *,
    targets: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Load and validate the clients table.

    Columns: ``client_id`` and ``name`` (required), ``sector``, ``size_band``, ``region``,
    ``target_profile`` (a rubric target id, or one from the targets file; empty = the rubric's
    first target), ``lang`` (report language, e.g. ``en`` or ``ar``), and the numbers
    ``messages_per_day`` (social messages that need an answer on a covered day) and
    ``social_fte`` (people working on social media today), which the report's resourcing
    section needs; empty when unknown.  Other columns are ignored.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    name = str(path)
    df = read_table(path, errs)
    if df is None or not _require(df, ["client_id", "name"], name, errs):
        errs.raise_if_any("the clients table")
        raise AssertionError("unreachable")  # pragma: no cover
    for col in CLIENT_COLUMNS:
        if col not in df.columns:
            df[col] = ""
    errs.add_mask(
        name, df, df["client_id"] == "", Reason.MISSING_VALUE, "client_id", "client_id is empty"
    )
    errs.add_mask(
        name,
        df,
        (df["client_id"] != "") & ~_safe_id_mask(df["client_id"]),
        Reason.UNSAFE_ID,
        "client_id",
        "client id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
    )
    dup = df["client_id"].duplicated() & (df["client_id"] != "")
    errs.add_mask(
        name, df, dup, Reason.DUPLICATE_ID, "client_id", "client id appears more than once"
    )
    errs.add_mask(name, df, df["name"] == "", Reason.MISSING_VALUE, "name", "name is empty")
    errs.add_mask(
        name,
        df,
        (df["lang"] != "") & ~df["lang"].str.fullmatch(r"[a-z]{2,3}"),
        Reason.UNKNOWN_LANGUAGE,
        "lang",
        "expected a language code such as en or ar",
    )
    if rubric is not None:
        profiles = {t.id for t in rubric.targets}
        if targets is not None:
            profiles |= set(targets["profile_id"])
        unknown = (df["target_profile"] != "") & ~df["target_profile"].isin(profiles)
        errs.add_mask(
            name,
            df,
            unknown,
            Reason.UNKNOWN_TARGET_PROFILE,
            "target_profile",
            f"unknown target profile; known: {', '.join(sorted(profiles)) or 'none'}",
        )
    numbers = [c for c in CLIENT_NUMBER_COLUMNS if c in df.columns]
    for col in numbers:
        value = pd.to_numeric(df[col].str.strip(), errors="coerce")
        errs.add_mask(
            name,
            df,
            (df[col].str.strip() != "") & ~(value >= 0),
            Reason.NOT_A_NUMBER,
            col,
            "expected a number of at least 0 (or empty when unknown)",
        )
    errs.raise_if_any("the clients table")
    out = df[CLIENT_COLUMNS + numbers].reset_index(drop=True)
    for col in numbers:
        out[col] = pd.to_numeric(out[col].str.strip(), errors="coerce")
    out.attrs["sources"] = {name: file_sha256(path)}
    return out


def load_peers(path: str | Path, rubric: Rubric) -> pd.DataFrame:
    """Load the peer benchmark population.

    Columns: ``peer_id, sector, size_band, region`` then one column per dimension id of
    ``rubric`` with a dimension score between 1 and the top level.  Peers are stored as
    dimension scores (not raw answers) so that the index of every peer is recomputed with the
    weights of the rubric in use.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    name = str(path)
    df = read_table(path, errs)
    dims = list(rubric.dimension_table.index)
    if df is None or not _require(df, ["peer_id", "sector", "size_band", *dims], name, errs):
        errs.raise_if_any("the peers table")
        raise AssertionError("unreachable")  # pragma: no cover
    if "region" not in df.columns:
        df["region"] = ""
    n = rubric.n_levels
    out = df[["peer_id", "sector", "size_band", "region"]].copy()
    for d in dims:
        num = pd.to_numeric(df[d], errors="coerce")
        errs.add_mask(
            name,
            df,
            (df[d] != "") & num.isna(),
            Reason.NOT_A_NUMBER,
            d,
            "expected a dimension score (a number)",
        )
        errs.add_mask(
            name,
            df,
            num.notna() & ~num.between(1, n),
            Reason.SCORE_OUT_OF_RANGE,
            d,
            f"expected a score from 1 to {n}",
        )
        out[d] = num
    errs.add_mask(
        name,
        df,
        df["peer_id"].duplicated(),
        Reason.DUPLICATE_ID,
        "peer_id",
        "peer id appears more than once",
    )
    errs.raise_if_any("the peers table")
    return out


def load_targets(path: str | Path, rubric: Rubric) -> pd.DataFrame:
    """Load custom target profiles: ``profile_id, dimension_id, target``.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    name = str(path)
    df = read_table(path, errs)
    if df is None or not _require(df, ["profile_id", "dimension_id", "target"], name, errs):
        errs.raise_if_any("the targets table")
        raise AssertionError("unreachable")  # pragma: no cover
    n = rubric.n_levels
    dims = set(rubric.dimension_table.index)
    errs.add_mask(
        name,
        df,
        ~_safe_id_mask(df["profile_id"]),
        Reason.UNSAFE_ID,
        "profile_id",
        "profile id must be 1-64 letters, digits, '_', '.' or '-'",
    )
    errs.add_mask(
        name,
        df,
        ~df["dimension_id"].isin(dims),
        Reason.UNKNOWN_DIMENSION,
        "dimension_id",
        f"unknown dimension; known: {', '.join(sorted(dims))}",
    )
    target = pd.to_numeric(df["target"], errors="coerce")
    errs.add_mask(
        name, df, target.isna(), Reason.NOT_A_NUMBER, "target", "expected a target level (a number)"
    )
    errs.add_mask(
        name,
        df,
        target.notna() & ~target.between(1, n),
        Reason.LEVEL_OUT_OF_RANGE,
        "target",
        f"expected a target from 1 to {n}",
    )
    dup = df.duplicated(["profile_id", "dimension_id"])
    errs.add_mask(
        name,
        df,
        dup,
        Reason.DUPLICATE_ID,
        "dimension_id",
        "this profile already has a target for this dimension",
    )
    errs.raise_if_any("the targets table")
    return pd.DataFrame(
        {"profile_id": df["profile_id"], "dimension_id": df["dimension_id"], "target": target}
    )


def resolve_files(
    answers: str | Path | Iterable[str | Path],
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
) -> tuple[list[str | Path], str | Path | None, str | Path | None, str | Path | None]:
    """A run's files with ``sample:NAME`` resolved to the packaged samples (see
    :func:`assessment.samples.resolve`); ``answers`` becomes a list."""
    from assessment.samples import resolve

    files = [answers] if isinstance(answers, str | Path) else list(answers)
    return (
        [resolve(f) for f in files],
        *(None if f is None else resolve(f) for f in (clients, peers, targets)),
    )


@dataclass(frozen=True)
class Inputs:
    """The validated data files of one run (``None`` for a table that was not given)."""

    answers: pd.DataFrame
    clients: pd.DataFrame | None = None
    peers: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None

    def copy(self) -> Inputs:
        """Copies of the frames (shallow: pandas copy-on-write copies data on first write)."""
        frames = (getattr(self, f.name) for f in fields(self))
        return Inputs(*(None if df is None else df.copy(deep=False) for df in frames))


def load_inputs(
    answers: str | Path | Iterable[str | Path],
    rubric: Rubric,
    *,
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
) -> Inputs:
    """Load every data file of a run, in dependency order, reporting all problems at once.

    Targets come first (clients may name their profiles), then clients (answers must name known
    clients), peers and answers.  A bad file does not stop the others from being checked.

    Raises
    ------
    InputError
        The one file's :class:`DataValidationError`, or every failing file's problems together.
    """
    answers, clients, peers, targets = resolve_files(answers, clients, peers, targets)
    key = _inputs_key(answers, rubric, clients, peers, targets) if _REMEMBERED else None
    if key is not None and key in _REMEMBERED:
        return _REMEMBERED[key].copy()
    problems: list[InputError] = []

    def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            problems.append(exc)
            return None

    target_df = attempt(load_targets, targets, rubric) if targets else None
    client_df = attempt(load_clients, clients, rubric, targets=target_df) if clients else None
    peer_df = attempt(load_peers, peers, rubric) if peers else None
    answer_df = attempt(load_answers, answers, rubric, clients=client_df)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise InputError("\n".join(str(p) for p in problems))
    return Inputs(answers=answer_df, clients=client_df, peers=peer_df, targets=target_df)


#: Inputs parsed ahead of time by :func:`remember_inputs` (in a batch's fork server only).
_REMEMBERED: dict[tuple[Any, ...], Inputs] = {}


def _file_key(path: str | Path | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    resolved = Path(path).resolve()
    stat = resolved.stat()
    return (str(resolved), stat.st_size, stat.st_mtime_ns)


def _inputs_key(
    answers: str | Path | Iterable[str | Path],
    rubric: Rubric,
    clients: str | Path | None,
    peers: str | Path | None,
    targets: str | Path | None,
) -> tuple[Any, ...] | None:
    """What identifies one :func:`load_inputs` call: the rubric and each file's path, size and
    modification time (``None`` when a file cannot be read: it is then loaded, and reported)."""
    files = [answers] if isinstance(answers, str | Path) else list(answers)
    try:
        return (
            rubric.content_hash,
            tuple(_file_key(f) for f in files),
            _file_key(clients),
            _file_key(peers),
            _file_key(targets),
        )
    except OSError:
        return None


def remember_inputs(
    answers: str | Path | Iterable[str | Path],
    rubric: Rubric,
    *,
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
) -> Inputs:
    """Load the files like :func:`load_inputs` and keep them for later identical calls.

    The batch's fork server calls this once before forking the reports of a batch, so that
    every report's :func:`load_inputs` returns a copy instead of parsing the same files again.
    A file that changed since (size or modification time) is loaded afresh.  Copies are
    shallow: with pandas' copy-on-write a report that modifies its frames changes only its own.
    """
    files = answers if isinstance(answers, str | Path) else list(answers)
    data = load_inputs(files, rubric, clients=clients, peers=peers, targets=targets)
    key = _inputs_key(files, rubric, clients, peers, targets)
    if key is not None:
        _REMEMBERED[key] = data
    return data.copy()
