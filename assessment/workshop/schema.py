"""The store's database layout: its tables, its version, and creating them.

The version lives in ``PRAGMA user_version``.  A file with no tables gets the current layout; a
file of an older layout is migrated here in one transaction (:func:`migrate`); a file made by a
newer toolkit, or holding other tables, is refused rather than changed.

Layout 2 (issue 16): a participant is a server-issued ``token``, not a name, so two people may
share a name (the ``UNIQUE (workshop_id, name)`` of layout 1 is gone); the ``room`` table holds
a workshop's join code, its facilitator token and what the projector shows.
"""

from __future__ import annotations

import sqlite3

__all__ = ["SCHEMA", "SCHEMA_VERSION", "create_tables", "is_current", "migrate"]

#: Version of the database layout, kept in ``PRAGMA user_version``.
SCHEMA_VERSION = 2

#: The tables and index of layout :data:`SCHEMA_VERSION` (see the store's docstring).
SCHEMA = """
CREATE TABLE IF NOT EXISTS workshops (
    id INTEGER PRIMARY KEY,
    client_id TEXT NOT NULL,
    date TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    rubric_id TEXT NOT NULL,
    rubric_version TEXT NOT NULL,
    rubric_hash TEXT NOT NULL,
    rubric_json TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    finalised_at TEXT,
    UNIQUE (client_id, date)
);
CREATE TABLE IF NOT EXISTS participants (
    id INTEGER PRIMARY KEY,
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    name TEXT NOT NULL COLLATE NOCASE,
    role TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    token TEXT NOT NULL UNIQUE
);
CREATE INDEX IF NOT EXISTS participants_name ON participants (workshop_id, name);
CREATE TABLE IF NOT EXISTS votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    indicator_id TEXT NOT NULL,
    value TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    token TEXT UNIQUE
);
CREATE INDEX IF NOT EXISTS votes_latest
    ON votes (workshop_id, participant_id, indicator_id, id);
CREATE TABLE IF NOT EXISTS targets (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    dimension_id TEXT NOT NULL,
    target REAL NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workshop_id, dimension_id)
);
CREATE TABLE IF NOT EXISTS notes (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    indicator_id TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workshop_id, indicator_id)
);
CREATE TABLE IF NOT EXISTS room (
    workshop_id INTEGER PRIMARY KEY REFERENCES workshops(id),
    join_code TEXT NOT NULL UNIQUE,
    host_token TEXT NOT NULL,
    anonymous INTEGER NOT NULL DEFAULT 0,
    paced INTEGER NOT NULL DEFAULT 0,
    current TEXT,
    revealed INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agreed (
    workshop_id INTEGER NOT NULL REFERENCES workshops(id),
    indicator_id TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (workshop_id, indicator_id)
);
"""


def is_current(con: sqlite3.Connection) -> bool:
    """Whether the file behind ``con`` has the current layout (``False``: it has no tables yet).

    Parameters
    ----------
    con
        An open connection.

    Returns
    -------
    bool
        ``True`` when nothing needs creating.

    Raises
    ------
    sqlite3.DatabaseError
        When the file was made by a newer version of this toolkit or holds other tables; the
        store turns it into an :class:`~assessment.exceptions.InputError`.
    """
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise sqlite3.DatabaseError(
            f"made by a newer version of this toolkit (layout {version}; this one reads "
            f"up to {SCHEMA_VERSION})"
        )
    if version == SCHEMA_VERSION:
        return True
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and "workshops" not in tables:
        raise sqlite3.DatabaseError("it holds other tables")
    return False


def create_tables(con: sqlite3.Connection) -> None:
    """Create the tables inside the caller's write transaction (a no-op when they exist).

    Parameters
    ----------
    con
        A connection holding the write lock (``BEGIN IMMEDIATE``).
    """
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return  # another process created it while we waited for the lock
    if version == 1:
        migrate(con)
        return
    for statement in SCHEMA.split(";"):
        if statement.strip():
            con.execute(statement)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def migrate(con: sqlite3.Connection) -> None:
    """Bring a layout-1 file to layout 2 inside the caller's write transaction.

    SQLite cannot drop a ``UNIQUE`` constraint, so the participants table is rebuilt (SQLite's
    documented twelve steps; the store turns foreign keys off around it): every participant
    keeps their id and votes and is given a token of their own.

    Parameters
    ----------
    con
        A connection holding the write lock, with foreign keys off.
    """
    con.execute(
        "CREATE TABLE participants_v2 (id INTEGER PRIMARY KEY, "
        "workshop_id INTEGER NOT NULL REFERENCES workshops(id), "
        "name TEXT NOT NULL COLLATE NOCASE, role TEXT NOT NULL DEFAULT '', "
        "created_at TEXT NOT NULL, token TEXT NOT NULL UNIQUE)"
    )
    con.execute(
        "INSERT INTO participants_v2 SELECT id, workshop_id, name, role, created_at, "
        "lower(hex(randomblob(24))) FROM participants"
    )
    con.execute("DROP TABLE participants")
    con.execute("ALTER TABLE participants_v2 RENAME TO participants")
    for statement in SCHEMA.split(";"):  # the new table and index; the others exist
        if statement.strip():
            con.execute(statement)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
