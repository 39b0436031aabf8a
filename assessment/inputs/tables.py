"""Reading tables: CSV and XLSX files into string frames, and collecting every problem.

Every loader reads the whole file and adds each problem it finds to an error collector
(:class:`_Errors`) instead of raising at the first one; the collector raises one
:class:`~assessment.exceptions.DataValidationError` whose ``errors`` table has the columns
:data:`ERROR_COLUMNS` (like pandera's lazy validation), each row with a :class:`Reason` code.
Row numbers are the ones a person sees in Excel: the header is row 1, the first data row is
row 2.  CSV files may be UTF-8 (with or without BOM) or UTF-16 with BOM, delimited by ``,``
``;`` tab or ``|``; XLSX workbooks are read from their first sheet.

Files are untrusted (``docs/security.md``): only regular files are read (a named pipe would
block forever), a workbook's unzipped size and cell count are checked before it is parsed
(:data:`~assessment.limits.XLSX_CELLS`, :data:`~assessment.limits.XLSX_BYTES`), and messages
quote a file's header only when the file is a data file by its name (``.csv``, ``.xlsx``...),
so that a path to some other file never has its first line echoed.  A cell that starts with an
apostrophe before ``=``, ``+``, ``-``, ``@``, tab or CR loses the apostrophe: that is how
:func:`assessment.files.spreadsheet_safe` (and Excel) mark text that looks like a formula.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import stat
import zipfile
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assessment.exceptions import DataValidationError
from assessment.files import FORMULA_START
from assessment.limits import PROBLEMS_SHOWN, XLSX_BYTES, XLSX_CELLS

__all__ = ["DATA_SUFFIXES", "ERROR_COLUMNS", "Reason", "file_sha256", "read_table"]

#: Columns of every validation error table.
ERROR_COLUMNS = ["file", "row", "column", "value", "reason", "message"]


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
    RESERVED_ID = "reserved_id"
    TOO_LARGE = "too_large"


#: Columns of a long frame made from a wide file, whose problems are in one cell per answer.
_PER_CELL = frozenset({"value", "indicator_id"})


class _Errors:
    """Accumulates error rows; vectorised helpers add many at once."""

    def __init__(self) -> None:
        self._frames: list[pd.DataFrame] = []
        # Single problems as plain rows: a DataFrame each cost ~1 ms (100,000 bad columns
        # took 89 s and 1.4 GB before; issue 18).
        self._rows: list[list[Any]] = []

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
        """Add one problem (a file-level one when ``row`` is ``None``)."""
        self._rows.append([file, row, column, value, reason.value, message])

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
        shown: Any = column
        if column in _PER_CELL and "_col" in sub:
            # Answers that came from a wide file or a survey export: the problem is in the
            # cell under the question's header, not in a "value" column that file lacks.
            shown = sub["_col"].to_numpy()
            cell = sub["_cell"].astype(str).to_numpy() if "_cell" in sub else None
            if cell is not None:
                msg = pd.Series(msg, index=sub.index) if not isinstance(msg, pd.Series) else msg
                msg = pd.Series(cell, index=sub.index) + ": " + msg.astype(str)
        elif column in df.attrs.get("source_columns", {}):
            shown = df.attrs["source_columns"][column]
        self._frames.append(
            pd.DataFrame(
                {
                    "file": file,
                    "row": sub["_row"].to_numpy(),
                    "column": shown,
                    "value": sub[column].astype(str).to_numpy() if column in sub else "",
                    "reason": reason.value,
                    "message": np.asarray(msg, dtype=object) if isinstance(msg, pd.Series) else msg,
                }
            )
        )

    def __bool__(self) -> bool:
        return bool(self._frames or self._rows)

    def frame(self) -> pd.DataFrame:
        """Every problem as one table (:data:`ERROR_COLUMNS`), by file and row."""
        frames = list(self._frames)
        if self._rows:
            single = pd.DataFrame(self._rows, columns=ERROR_COLUMNS)
            frames.insert(0, single.astype({"row": "object"}))
        if not frames:
            return pd.DataFrame(columns=ERROR_COLUMNS)
        out = pd.concat(frames, ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        return out.sort_values(["file", "row"], kind="stable", na_position="first").reset_index(
            drop=True
        )

    def raise_if_any(self, what: str) -> None:
        """Raise one :class:`DataValidationError` with every problem, if there is any."""
        if self:
            errors = self.frame()
            files = ", ".join(dict.fromkeys(errors["file"]))
            raise DataValidationError(
                f"{len(errors)} problem(s) in {what} ({files}):", errors, PROBLEMS_SHOWN.value
            )


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
    info: dict[str, str] = {}
    records = _read_raw(Path(path), name, errs, info)
    df = _tidy(records, name, errs) if records is not None else None
    if df is not None:
        df.attrs["sheet"] = info.get("sheet", "")
        # Quote the header back in messages only for a data file by name: a path to another
        # file (a link to a key file...) must never have its first line echoed.
        df.attrs["header_shown"] = _is_data_file(Path(path))
    if own:
        errs.raise_if_any(name)
    return df


#: Suffixes of data files: only their header is ever quoted back in a message.
DATA_SUFFIXES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xlsm"})


def _regular_file(path: Path, name: str, errs: _Errors) -> bool:
    """Whether ``path`` is a regular file (after links); the problem is added when not."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        detail = " (a link to a file that does not exist)" if path.is_symlink() else ""
        errs.add(name, Reason.FILE_NOT_FOUND, f"no such file{detail}")
        return False
    except OSError as exc:
        errs.add(name, Reason.FILE_NOT_FOUND, f"cannot be read ({exc.strerror})")
        return False
    if stat.S_ISDIR(mode):
        errs.add(name, Reason.NOT_A_TABLE, "is a folder; expected a CSV file or an .xlsx workbook")
        return False
    if not stat.S_ISREG(mode):
        # Reading a named pipe blocks until someone writes to it; a device may never end.
        kind = "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
        errs.add(
            name,
            Reason.NOT_A_TABLE,
            f"is {kind}, not a regular file; expected a CSV file or an .xlsx workbook",
        )
        return False
    return True


def _read_raw(
    path: Path, name: str, errs: _Errors, info: dict[str, str] | None = None
) -> list[list[str]] | None:
    """The file's records as lists of strings, header first (``None`` after an error)."""
    if not _regular_file(path, name, errs):
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        errs.add(name, Reason.FILE_NOT_FOUND, f"cannot be read ({exc.strerror})")
        return None
    if not data.strip():
        errs.add(name, Reason.EMPTY_FILE, "the file is empty; expected a header row and data")
        return None
    if path.suffix.lower() in {".xlsx", ".xlsm"} or data[:4] == b"PK\x03\x04":
        return _read_workbook(data, name, errs, info)
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
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True))
    except csv.Error as exc:
        errs.add(name, Reason.NOT_A_TABLE, f"not a readable CSV table ({exc})")
        return None
    return _unquoted(records) if "'" in text else records


def _unquoted(records: list[list[str]]) -> list[list[str]]:
    """The records without the apostrophe that marks text looking like a formula.

    :func:`assessment.files.spreadsheet_safe` (and Excel) write ``=SUM(1)`` typed as text as
    ``'=SUM(1)``: read back, it is the text the person typed.
    """
    return [
        [c[1:] if c[:1] == "'" and c[1:2] in FORMULA_START else c for c in map(str.strip, rec)]
        for rec in records
    ]


def _read_workbook(
    data: bytes, name: str, errs: _Errors, info: dict[str, str] | None = None
) -> list[list[str]] | None:
    """The first sheet of an XLSX workbook as records, once its size is known to be bounded."""
    problem = _workbook_too_large(data)
    if problem:
        errs.add(name, Reason.TOO_LARGE, f"{problem}; save the table as CSV, which has no limit")
        return None
    try:
        # header=None keeps the header as row 1 so row numbers match Excel's; dtype=str
        # keeps "NA" and leading zeros as typed; dates arrive as ISO text.
        book = pd.ExcelFile(io.BytesIO(data))
        sheet = pd.read_excel(book, sheet_name=0, header=None, dtype=str, keep_default_na=False)
        if info is not None:  # messages name the sheet with the cell: 'Form1'!F7
            info["sheet"] = str(book.sheet_names[0])
    except Exception as exc:  # openpyxl raises many types for corrupt files
        errs.add(
            name,
            Reason.NOT_A_TABLE,
            f"not a readable XLSX workbook ({type(exc).__name__}: {exc}); "
            "expected a CSV file or an Excel .xlsx workbook",
        )
        return None
    return _unquoted(sheet.to_numpy(dtype=str).tolist())


#: A cell element of a sheet's XML (``<c r="A1">``, ``<c/>``, ``<x:c ...>``).
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,30}:)?c[\s/>]")
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]{0,30}:)?dimension\s+ref="([A-Z0-9:]{1,32})"')


def _workbook_too_large(data: bytes) -> str:
    """Why the workbook is too large to read (an empty string when it is not).

    A zipped sheet of a million identical cells is a hundred kilobytes, and parsing it takes
    half a minute (issue 18).  Before pandas parses anything, the archive's unzipped size is
    compared with :data:`~assessment.limits.XLSX_BYTES` and the cells of the first sheet are
    counted in its XML, a stream read at most once and stopped at
    :data:`~assessment.limits.XLSX_CELLS`; the sheet's declared dimension is only quoted.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        expanded = sum(info.file_size for info in archive.infolist())
        if expanded > XLSX_BYTES.value:
            return f"the workbook unzips to {expanded:,} bytes; {XLSX_BYTES.hint()}"
        sheet = _first_sheet(archive)
        if sheet is None:
            return ""  # not a workbook pandas can read either: it reports that
        cells, declared = _count_cells(archive, sheet, XLSX_CELLS.value)
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, RuntimeError):
        return ""  # corrupt: pandas reports it as unreadable
    if cells > XLSX_CELLS.value:
        shown = f" (it declares {declared})" if declared else ""
        return (
            f"its first sheet has more than {XLSX_CELLS.value:,} cells{shown}; {XLSX_CELLS.hint()}"
        )
    return ""


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The archive path of the workbook's first sheet (the one pandas reads)."""
    names = set(archive.namelist())
    try:
        book = _bounded_read(archive, "xl/workbook.xml")
        rels = _bounded_read(archive, "xl/_rels/workbook.xml.rels")
    except KeyError:
        book = rels = b""
    found = re.search(rb"<(?:\w+:)?sheet\b[^>]*?\b(?:\w+:)?id=\"([^\"]+)\"", book)
    if found:
        for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
            if re.search(rb'\bId="' + re.escape(found.group(1)) + rb'"', tag):
                target = re.search(rb'\bTarget="([^"]+)"', tag)
                if target:
                    path = target.group(1).decode("utf-8", "replace").lstrip("/")
                    path = path if path.startswith("xl/") else f"xl/{path}"
                    if path in names:
                        return path
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


def _bounded_read(archive: zipfile.ZipFile, member: str, limit: int = 1 << 24) -> bytes:
    """At most ``limit`` bytes of a small part of the archive (workbook.xml, its links)."""
    with archive.open(member) as fh:
        return fh.read(limit)


def _count_cells(archive: zipfile.ZipFile, sheet: str, limit: int) -> tuple[int, str]:
    """Cells in ``sheet``'s XML, counted until past ``limit``; and its declared dimension."""
    cells, declared, tail = 0, "", b""
    with archive.open(sheet) as fh:
        while cells <= limit:
            chunk = fh.read(1 << 20)
            buf = tail + chunk
            if not declared:
                dim = _DIMENSION.search(buf)
                declared = dim.group(1).decode("ascii") if dim else ""
            # A match is shorter than 40 bytes: the last 64 wait for the next chunk.
            cut = len(buf) if not chunk else max(0, len(buf) - 64)
            cells += sum(1 for m in _CELL.finditer(buf) if m.start() < cut)
            tail = buf[cut:]
            if not chunk:
                break
    return cells, declared


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
    skipped = 0
    while records and not any(str(c).strip() for c in records[0]):
        records = records[1:]  # blank lines above the header
        skipped += 1
    if not records:
        errs.add(name, Reason.EMPTY_FILE, "the file is empty; expected a header row and data")
        return None
    original = [str(c).strip() for c in records[0]]
    header = [c.lower() for c in original]
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
        row_no = offset + 2 + skipped  # the row Excel shows (the header is row 1 after blanks)
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
    # Where each column is (0-based) and its header as written: survey exports are reported by
    # Excel cell (F7) and header text.
    df.attrs["positions"] = {header[p]: p for p in keep if header[p]}
    df.attrs["headers"] = {header[p]: original[p] for p in keep if header[p]}
    df.attrs["header_row"] = 1 + skipped
    if df.empty:
        errs.add(name, Reason.EMPTY_FILE, "the file has a header but no data rows")
        return None
    return df


def _is_data_file(path: Path) -> bool:
    """Whether ``path``, and the file it links to, are named like data files."""
    try:
        target = path.resolve()
    except OSError:
        return False
    return path.suffix.lower() in DATA_SUFFIXES and target.suffix.lower() in DATA_SUFFIXES


#: Column names quoted in one message (the rest are counted), and their longest shown form.
COLUMNS_SHOWN = 10
_NAME_SHOWN = 40


def shown_columns(columns: Sequence[str]) -> str:
    """``a, b, c and 97 more``: the first few of ``columns``, each cut to a readable length."""
    names = [c if len(c) <= _NAME_SHOWN else c[: _NAME_SHOWN - 1] + "…" for c in columns]
    more = len(names) - COLUMNS_SHOWN
    return ", ".join(names[:COLUMNS_SHOWN]) + (f" and {more} more" if more > 0 else "")


def _require(df: pd.DataFrame, columns: Sequence[str], name: str, errs: _Errors) -> bool:
    """Report each of ``columns`` missing from ``df``; True when none is missing."""
    missing = [c for c in columns if c not in df.columns]
    present = [c for c in df.columns if c != "_row"]
    if df.attrs.get("header_shown", True):
        found = f"found columns: {shown_columns(present)}"
    else:
        found = (
            f"its first row has {len(present)} value(s), not shown: the file is not named "
            f"like a data file ({', '.join(sorted(DATA_SUFFIXES))})"
        )
    for c in missing:
        errs.add(name, Reason.MISSING_COLUMN, f"missing column {c!r}; {found}", row=1, column=c)
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
