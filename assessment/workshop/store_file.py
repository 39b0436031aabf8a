"""The workshop store as a file: checked when opened, copied safely, folded on close.

A store in use is **not one file**: SQLite's write-ahead log (``<store>-wal``) holds the votes
committed since the last checkpoint, so copying the ``.sqlite`` file alone during a session
loses them (154 of 200 acknowledged votes in issue 18).  Hence:

* :func:`backup` copies a store with SQLite's online backup API, a consistent snapshot that
  includes the log, into a single self-contained file (journal mode ``DELETE``), written to a
  temporary name and renamed into place; ``maturity workshop backup STORE COPY`` runs it, and
  it is safe while participants vote;
* :func:`checkpoint` folds the log into the main file when a store is closed (passively: it
  never waits for other participants), so a store whose sessions are all closed is one file;
* :func:`check_file` and :func:`check_integrity` refuse a store that is empty (a zero-byte file
  used to become a new workshop silently) or damaged (it used to open, then fail mid-session
  with ``sqlite3.DatabaseError``).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from assessment.exceptions import InputError
from assessment.files import atomic_path

__all__ = ["backup", "check_file", "check_integrity", "checkpoint"]

#: Lines of ``PRAGMA quick_check`` quoted when a store is damaged.
_SHOWN = 3
_RESTORE = "restore it from a backup (maturity workshop backup STORE COPY makes one)"


def check_file(path: Path) -> None:
    """Refuse an existing store file that is empty (zero bytes).

    Raises
    ------
    InputError
        Naming the file and what to do.
    """
    try:
        empty = path.is_file() and path.stat().st_size == 0
    except OSError as exc:
        raise InputError(f"workshop store {path}: cannot be read ({exc.strerror})") from None
    if empty:
        raise InputError(
            f"workshop store {path} is an empty file (0 bytes), not a workshop store; "
            f"{_RESTORE}, or delete the empty file to start a new store"
        )


def check_integrity(con: sqlite3.Connection, path: str) -> None:
    """Run SQLite's ``quick_check`` and refuse a damaged store.

    ``quick_check`` reads every page once (milliseconds for a workshop's store) and finds
    damaged pages, b-trees and free lists, everything but index contents.

    Raises
    ------
    InputError
        With the first problems SQLite reports.
    """
    try:
        rows = con.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        rows = [(str(exc),)]
    lines = [line for (text,) in rows for line in str(text).splitlines() if line.strip()]
    if lines != ["ok"]:
        shown = "; ".join(lines[:_SHOWN]) + (
            f" (and {len(lines) - _SHOWN} more)" if len(lines) > _SHOWN else ""
        )
        raise InputError(f"workshop store {path} is damaged ({shown}); {_RESTORE}")


def checkpoint(con: sqlite3.Connection) -> None:
    """Fold the write-ahead log into the main file as far as no other reader needs it."""
    with contextlib.suppress(sqlite3.Error):
        con.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def backup(source: str | Path, target: str | Path) -> int:
    """Copy the workshop store ``source`` into the single file ``target``, safely while in use.

    Parameters
    ----------
    source
        An existing workshop store (opened read-only; never changed).
    target
        The copy; replaced atomically if it exists.  It must not be ``source``.

    Returns
    -------
    int
        The number of votes in the copy.

    Raises
    ------
    InputError
        When ``source`` is missing, empty, damaged or not a workshop store, or ``target`` is
        ``source``.
    """
    src, dest = Path(source), Path(target)
    if not src.is_file():
        raise InputError(f"workshop store {src}: no such file")
    check_file(src)
    if dest.exists() and dest.resolve() == src.resolve():
        raise InputError(f"the backup {dest} would replace the store itself; choose another file")
    try:
        con = sqlite3.connect(f"{src.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise InputError(f"workshop store {src}: cannot be opened ({exc})") from None
    try:
        check_integrity(con, str(src))
        _require_workshop_tables(con, src)
        with atomic_path(dest) as tmp:
            copy = sqlite3.connect(tmp)
            try:
                con.backup(copy)
                # One self-contained file: no -wal or -shm next to the copy.
                copy.execute("PRAGMA journal_mode = DELETE").fetchall()
                check_integrity(copy, str(dest))
                votes = int(copy.execute("SELECT count(*) FROM votes").fetchone()[0])
            finally:
                copy.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(f"workshop store {src} cannot be copied ({exc}); {_RESTORE}") from None
    finally:
        con.close()
    return votes


def _require_workshop_tables(con: sqlite3.Connection, path: Path) -> None:
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    missing = {"workshops", "participants", "votes"} - names
    if missing:
        raise InputError(
            f"{path} is an SQLite file but not a workshop store (no table {sorted(missing)[0]})"
        )
