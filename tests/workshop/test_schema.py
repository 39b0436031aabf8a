"""The store's file: WAL SQLite at the current layout; anything else is refused clearly."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assessment.exceptions import InputError
from assessment.workshop.schema import SCHEMA_VERSION
from assessment.workshop.store import Store, open_store


def test_store_is_a_wal_sqlite_file(store: Store, wid: int) -> None:
    con = sqlite3.connect(store.path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()


def test_opening_something_else_is_a_clear_input_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(InputError, match="not a workshop database"):
        open_store(junk)
    with pytest.raises(InputError, match="does not exist"):
        open_store(tmp_path / "missing" / "ws.sqlite")
    with pytest.raises(InputError, match="is a folder"):
        open_store(tmp_path)
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE customers (id INTEGER)")
    con.commit()
    con.close()
    with pytest.raises(InputError, match="other tables"):
        open_store(other)
    newer = tmp_path / "newer.sqlite"
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.close()
    with pytest.raises(InputError, match="newer version"):
        open_store(newer)


def test_a_new_file_gets_the_current_layout_once(tmp_path: Path) -> None:
    from assessment.workshop.schema import create_tables, is_current

    con = sqlite3.connect(tmp_path / "new.sqlite", isolation_level=None)
    try:
        assert is_current(con) is False
        create_tables(con)
        assert is_current(con) is True
        create_tables(con)  # a second kernel that waited for the lock: nothing to do
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"workshops", "participants", "votes", "targets", "notes", "agreed"} <= tables
    finally:
        con.close()
