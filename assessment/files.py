"""Writing files safely: atomic writes, spreadsheet cells that cannot run, folder locks.

* Every output goes to a temporary file that is renamed into place.  A rename within one
  directory is atomic on POSIX and Windows, so a reader (or a Ctrl-C) never sees a half-written
  report, CSV or workbook: either the old file or the complete new one.  An error while writing
  names the file being written, never its temporary name.
* Every CSV and XLSX file the toolkit writes goes through :func:`spreadsheet_safe`
  (:func:`write_csv`, :func:`write_xlsx`): a cell of text that a spreadsheet would read as a
  formula (``=``, ``+``, ``-``, ``@``, tab, carriage return) is written with a leading
  apostrophe, as OWASP's CSV-injection guidance recommends.  Numbers are left alone.
* :func:`folder_lock` keeps two programs from writing into one folder at the same time.

May import: :mod:`assessment.exceptions`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessment.exceptions import FolderBusyError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = [
    "FORMULA_START",
    "LOCK_NAME",
    "atomic_path",
    "atomic_write_bytes",
    "atomic_write_text",
    "csv_text",
    "folder_lock",
    "remove_leftovers",
    "safe_cell",
    "spreadsheet_safe",
    "write_csv",
    "write_xlsx",
]


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``target`` is left untouched.

    Examples
    --------
    >>> with atomic_path("scores.xlsx") as tmp:  # doctest: +SKIP
    ...     frame.to_excel(tmp)
    """
    target = Path(target)
    with _naming(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        # Keep the real suffix last: some writers (papermill, pandas) check the extension.
        fd, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent
        )
        os.close(fd)
    tmp = Path(name)
    try:
        with _naming(target, tmp):
            yield tmp
            # mkstemp creates 0600 files; give the result the mode a plain open() would (or
            # keep the mode of the file being replaced).
            os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
            os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _naming(target: Path, tmp: Path | None = None) -> Iterator[None]:
    """Re-raise an ``OSError`` about the temporary file (or about no file) as one about ``target``.

    The user named ``target``: "No space left on device" without a file name, or naming a
    hidden temporary file, does not tell them what could not be written.
    """
    try:
        yield
    except OSError as exc:
        # Only errors of writing a file: the block may run other code (a notebook's kernel),
        # whose timeouts and connection errors are OSErrors too, and must stay what they are.
        if exc.errno not in _WRITE_ERRORS or not _is_temporary(exc.filename, target, tmp):
            raise
        # OSError(errno, ...) gives back the errno's own subclass (PermissionError...).
        raise OSError(exc.errno, exc.strerror or str(exc), str(target)) from None


#: What writing a file can fail with.
_WRITE_ERRORS = frozenset(
    getattr(errno, name)
    for name in (
        "ENOSPC",
        "EDQUOT",
        "EROFS",
        "EACCES",
        "EPERM",
        "EFBIG",
        "EIO",
        "ENOENT",
        "EISDIR",
        "ENOTDIR",
        "ENAMETOOLONG",
        "EEXIST",
        "EXDEV",
        "EBUSY",
    )
    if hasattr(errno, name)
)


def _is_temporary(filename: Any, target: Path, tmp: Path | None) -> bool:
    """Whether an error's file name is none, or the temporary file written for ``target``."""
    if filename is None:
        return True
    path = Path(os.fsdecode(filename))
    if tmp is not None and path == tmp:
        return True
    return path.parent == target.parent and path.name.startswith(f".{target.stem}.")


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def remove_leftovers(folder: str | Path) -> list[Path]:
    """Remove the temporary files :func:`atomic_path` left in ``folder`` (not below it).

    A process killed while writing (``kill -9``, a crash) cannot remove its own; whoever
    notices the death calls this on the folder the process wrote to.  Returns what was removed.
    """
    removed = []
    for path in Path(folder).glob(".*.tmp*"):  # atomic_path's names: .<stem>.<random>.tmp<ext>
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def atomic_write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def atomic_write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically and return the path."""
    return atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_with(target: str | Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)


# -- spreadsheet cells -------------------------------------------------------------------------

#: What makes a spreadsheet read a text cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Text that is a plain number ("-3", "+1.5e3") is not a formula and is left as it is.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def _safe_cell(value: object) -> object:
    """One cell (or column name), neutralised when a spreadsheet would run it."""
    formula = isinstance(value, str) and value.startswith(FORMULA_START)
    return "'" + value if formula and not _PLAIN_NUMBER.fullmatch(value) else value  # type: ignore[operator]


#: pandas' text dtypes (``str`` is pandas 3's).
_TEXT_DTYPES = ("object", "str", "string", "category")


def safe_cell(value: object) -> object:
    """One value as a workbook cell may hold it: never a formula, no forbidden character.

    For workbooks written cell by cell (openpyxl stores any text starting with ``=`` as a
    formula); frames go through :func:`write_xlsx`.
    """
    return _xlsx_cell(_safe_cell(value))


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every text cell that a spreadsheet would run as a formula neutralised.

    A text cell (and a column name) starting with ``=``, ``+``, ``-``, ``@``, a tab or a
    carriage return gets a leading apostrophe, which spreadsheets read as "this is text"; a
    text that is a plain number is left alone, and so are numeric columns (a score of -0.5
    stays a number).  :func:`assessment.inputs.read_table` removes the apostrophe again, so a
    file the toolkit wrote reads back as it was.

    Examples
    --------
    >>> import pandas as pd
    >>> spreadsheet_safe(pd.DataFrame({"name": ["=1+1", "-2", "Acme"], "x": [-1, 0, 1]}))
        name  x
    0  '=1+1 -1
    1     -2  0
    2   Acme  1
    """
    out = frame.rename(columns=_safe_cell)
    for position, dtype in enumerate(out.dtypes):
        if str(dtype) in _TEXT_DTYPES:
            column = out.iloc[:, position]
            safe = column.map(_safe_cell)
            if not safe.equals(column):
                out.isetitem(position, safe)
    return out


def csv_text(frame: pd.DataFrame, *, line_end: str = "\r\n") -> str:
    """``frame`` as CSV text, formula cells neutralised, rows ended by CRLF (RFC 4180).

    CRLF in files, because Python's CSV writer quotes a cell holding a carriage return only
    when the line ending contains one: with ``\\n`` endings, a name with a CR split its row
    in two.  Text printed on a terminal uses ``line_end="\\n"`` (a CR in a cell is then shown
    escaped, see :func:`assessment.text.visible_controls`).
    """
    return spreadsheet_safe(frame).to_csv(index=False, lineterminator=line_end)


def write_csv(target: str | Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` as UTF-8 CSV to ``target`` atomically (see :func:`csv_text`)."""
    return atomic_write_text(target, csv_text(frame))


#: Characters an XLSX cell cannot hold (XML 1.0 forbids them; openpyxl refuses them).
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _xlsx_cell(value: object) -> object:
    if isinstance(value, str) and _NOT_IN_XLSX.search(value):
        return _NOT_IN_XLSX.sub(lambda m: f"\\u{ord(m.group()):04x}", value)
    return value


def write_xlsx(
    target: str | Path,
    sheets: Mapping[str, pd.DataFrame],
    number_formats: Mapping[str, str] | None = None,
) -> Path:
    """Write one sheet per frame to the workbook ``target`` atomically; no cell is a formula.

    openpyxl stores any text starting with ``=`` as a formula: :func:`spreadsheet_safe` runs
    first, so a client named ``=HYPERLINK(...)`` is stored as the text it is.  Control
    characters, which a workbook cannot hold (openpyxl raised ``IllegalCharacterError`` and the
    batch crashed), are written as visible ``\\u001b`` escapes.  ``number_formats`` maps a
    column name to an Excel number format (``"0.0"``), applied in every sheet that has it.
    Missing values are empty cells; the header row is bold, as pandas writes it.

    The workbook is streamed (openpyxl's write-only mode): a portfolio's 5,000-row
    recommendations sheet took 1.3 s through ``DataFrame.to_excel`` and its cell objects
    (issue 19).
    """
    # local: this module is imported by light commands
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    formats = number_formats or {}
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(title=name)
        safe = spreadsheet_safe(frame)
        header = [_xlsx_cell(str(column)) for column in safe.columns]
        sheet.append([_styled(WriteOnlyCell(sheet), value, font=bold) for value in header])
        columns = [_xlsx_values(safe.iloc[:, i]) for i in range(safe.shape[1])]
        styled = [
            (i, formats[str(column)])
            for i, column in enumerate(frame.columns)
            if str(column) in formats
        ]
        for values in zip(*columns, strict=True):
            row = list(values)
            for i, fmt in styled:
                if row[i] is not None:  # an empty cell stays empty
                    row[i] = _styled(WriteOnlyCell(sheet), row[i], number_format=fmt)
            sheet.append(row)
    with atomic_path(target) as tmp:
        book.save(tmp)
    return Path(target)


def _styled(cell: Any, value: object, **style: Any) -> Any:
    """``cell`` (a write-only cell) holding ``value``, with the ``style`` attributes set."""
    cell.value = value
    for attribute, setting in style.items():
        setattr(cell, attribute, setting)
    return cell


def _xlsx_values(column: pd.Series) -> list[object]:
    """A column's values as a workbook holds them: ``None`` where missing, text made safe."""
    values = column.astype(object).where(column.notna(), None).tolist()
    if str(column.dtype) in _TEXT_DTYPES:
        values = [_xlsx_cell(v) for v in values]
    return values


# -- one writer per folder ---------------------------------------------------------------------

#: The lock file :func:`folder_lock` keeps in a folder (empty; hidden).
LOCK_NAME = ".maturity.lock"


@contextlib.contextmanager
def folder_lock(
    folder: str | Path, *, wait: bool = False, on_wait: Callable[[str], object] | None = None
) -> Iterator[Path]:
    """Hold an exclusive lock on ``folder`` (created when missing) for the ``with`` block.

    The lock is the operating system's (``flock`` on POSIX), held on a hidden file in the
    folder: it is released when the holder exits, even on ``kill -9``, so a crashed batch
    never leaves a folder locked.

    Parameters
    ----------
    folder
        The folder written into.
    wait
        Wait for the lock instead of failing at once.
    on_wait
        Called once with a message before waiting (e.g. to tell the user).

    Raises
    ------
    FolderBusyError
        When another program holds the lock and ``wait`` is false.
    """
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    lock = path / LOCK_NAME
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            holder = _holder(fd)
            if not wait:
                raise FolderBusyError(
                    f"{path} is being written by another program{holder}; wait for it to "
                    "finish, choose another --out folder, or run with --wait",
                    str(path),
                )
            if on_wait is not None:
                on_wait(f"waiting for the other program writing to {path}{holder} to finish")
            while not _try_lock(fd):
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _try_lock(fd: int) -> bool:
    """Take the lock without blocking; ``False`` when another process holds it."""
    try:
        if os.name == "posix":
            import fcntl  # local: POSIX only

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            import msvcrt  # local: Windows only

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise
    return True


def _holder(fd: int) -> str:
    """`` (process N)`` from the lock file, when its holder wrote its pid there."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:  # pragma: no cover - Windows has no pread
        return ""
    return f" (process {text})" if text.isdigit() else ""
