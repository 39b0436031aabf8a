"""The workshop store: one SQLite file that many participants write to at the same time.

A workshop is one assessment (``client_id``, ``date``) run live: participants vote on the
rubric's indicators from their own devices, the facilitator keeps notes and agrees targets, and
the agreed answers are written at the end.  Everything lives in one SQLite database (standard
library, WAL journal).  While a session runs, recent votes are in its write-ahead log
(``<store>-wal``), not yet in the ``.sqlite`` file: copy a store with :meth:`Store.backup`
(``maturity workshop backup``), never by copying the file (:mod:`.store_file`).  A store is
checked when opened (an empty or damaged file is refused) and its log is folded in on close.

Tables
------
(:mod:`assessment.workshop.schema` holds their definitions and the layout version.)

``workshops``
    ``client_id``, ``date``, the rubric (id, version, SHA-256 and its full definition as JSON, so
    the file is self-contained), ``revision`` (bumped by every write; pollers compare it) and
    ``finalised_at``.
``participants``
    ``name`` (as typed; two people may share one), ``role`` and ``token``, the secret that
    is the participant (:mod:`.room`).
``room``
    The join code, the facilitator's token and what the projector shows (:mod:`.room`).
``votes``
    Append-only: a vote is never updated or deleted.  The **latest vote of a participant on an
    indicator counts**; "latest" is the highest ``id``, which SQLite assigns in commit order
    under its write lock (wall-clock timestamps from many processes may tie or run backwards).
    ``token`` is an optional idempotency key: a client that retries a vote after an error
    cannot record it twice.
``targets``, ``notes``, ``agreed``
    The agreed target per dimension, the facilitator's note per indicator and the agreed
    answer per indicator (one row each, last write wins).

Concurrency
-----------
Every Voilà page runs its own kernel, so a workshop has one writer process per participant.
SQLite serialises writers; in WAL mode readers never block writers or each other.  Each write
is one short ``BEGIN IMMEDIATE`` transaction (the write lock is taken up front, so two writers
can never deadlock upgrading a read lock), SQLite's busy handler waits up to
``busy_timeout`` seconds for the lock, and on top of that a busy error is retried with jittered
exponential back-off.  A failed ``BEGIN`` or ``COMMIT`` leaves nothing written, so a retry
cannot duplicate a vote; ``synchronous=FULL`` makes a committed vote survive a power cut.

Interchange
-----------
:meth:`Store.export_answers` returns the long answers format (``client_id, date, respondent,
role, indicator_id, value, comment``), so scores, charts and reports work on workshop data
unchanged; :meth:`Store.import_answers` reads that format back in as votes.  Both are
implemented in :mod:`assessment.workshop.store_io` on top of this module's public methods;
the records (:class:`Workshop`, :class:`Participant`) and the rules a vote must pass are in
:mod:`assessment.workshop.records`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import random
import re
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from assessment.exceptions import InputError, ParameterError, StoreBusyError
from assessment.inputs import check_safe_id
from assessment.rubric import load_rubric
from assessment.workshop import schema, store_file, store_io
from assessment.workshop.records import (
    CONSENSUS_RESPONDENT,
    CONSENSUS_ROLE,
    MAX_NAME,
    MAX_TEXT,
    Participant,
    Workshop,
    clean_text,
    normalise_value,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

    from assessment.rubric import Rubric

__all__ = [
    "CONSENSUS_RESPONDENT",
    "CONSENSUS_ROLE",
    "Participant",
    "Store",
    "StoreBusyError",
    "Workshop",
    "normalise_value",
    "open_store",
]

_T = TypeVar("_T")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    text = str(exc).lower()
    return "locked" in text or "busy" in text


class Store:
    """A workshop database.  Open it with :func:`open_store`; close it (or use ``with``).

    One instance holds one connection and may be shared by the threads of a kernel; separate
    processes each open their own.

    Parameters
    ----------
    path
        The SQLite file (created with its folder's existing parent when missing), or
        ``":memory:"`` for a private in-memory store (tests).
    busy_timeout
        Seconds SQLite waits for the write lock before reporting "busy".
    retries
        How many times a busy read or write is attempted in all.
    """

    def __init__(self, path: str | Path, *, busy_timeout: float = 10.0, retries: int = 8) -> None:
        self.path = str(path)
        self.retries = max(1, retries)
        self._lock = threading.RLock()
        self._rubrics: dict[int, Rubric] = {}
        self._transaction: int | None = None  # the thread inside transaction(), if any
        memory = self.path == ":memory:"
        if not memory:
            p = Path(self.path)
            if p.is_dir():
                raise InputError(f"workshop store {p} is a folder; expected a .sqlite file")
            if not p.parent.is_dir():
                raise InputError(f"workshop store {p}: folder {p.parent} does not exist")
            store_file.check_file(p)
        try:
            self._con = sqlite3.connect(
                self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise InputError(f"workshop store {self.path}: cannot be opened ({exc})") from None
        try:
            self._setup(memory)
        except sqlite3.DatabaseError as exc:
            self._con.close()
            if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
                raise StoreBusyError(f"workshop store {self.path} is locked: {exc}") from None
            raise InputError(
                f"workshop store {self.path}: not a workshop database ({exc})"
            ) from None

    def _setup(self, memory: bool) -> None:
        con = self._con
        # FULL: a vote the participant saw as saved survives a power cut, not only a crash.
        con.execute("PRAGMA synchronous = FULL")
        if not memory:
            store_file.check_integrity(con, self.path)  # a damaged store fails now, not later
        if not schema.is_current(con):
            if not memory:
                # WAL is persistent in the file: set once, then every connection reads at once.
                self._retry(lambda: con.execute("PRAGMA journal_mode = WAL").fetchone())
            self._write(schema.create_tables)  # foreign keys still off: a migration rebuilds
        con.execute("PRAGMA foreign_keys = ON")

    # -- plumbing ------------------------------------------------------------------------------

    def close(self) -> None:
        """Fold the write-ahead log into the file as far as possible, and close (idempotent)."""
        with self._lock, contextlib.suppress(sqlite3.ProgrammingError):  # already closed
            store_file.checkpoint(self._con)
            self._con.close()

    def backup(self, target: str | Path) -> int:
        """Copy the store (its log too) into one file; see :func:`.store_file.backup`."""
        return store_file.backup(self.path, target)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every write in the ``with`` block one transaction: all of them, or none."""
        with self._lock:
            if self._transaction is not None:  # nested: the outer block decides
                yield
                return
            self._retry(lambda: self._con.execute("BEGIN IMMEDIATE"))
            self._transaction, cached = threading.get_ident(), set(self._rubrics)
            try:
                yield
                self._con.execute("COMMIT")
            except BaseException:
                if self._con.in_transaction:
                    self._con.execute("ROLLBACK")
                for gone in set(self._rubrics) - cached:  # workshops that were rolled back
                    del self._rubrics[gone]
                raise
            finally:
                self._transaction = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.path!r})"

    def _backoff(self, attempt: int) -> None:
        # Jitter keeps twenty kernels that collided once from colliding again in lock-step.
        time.sleep(min(0.5, 0.01 * 2**attempt) * (0.5 + random.random()))  # noqa: S311

    def _retry(self, fn: Callable[[], _T]) -> _T:
        for attempt in range(self.retries):
            try:
                with self._lock:
                    return fn()
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc) or attempt == self.retries - 1:
                    if _is_busy(exc):
                        raise StoreBusyError(
                            f"workshop store {self.path} stayed locked after {self.retries} "
                            f"attempts ({exc}); is another program holding it open?"
                        ) from None
                    raise
            self._backoff(attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, fn: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``fn`` in one ``BEGIN IMMEDIATE`` transaction, retrying while the store is busy."""

        if self._transaction == threading.get_ident():  # inside transaction(): one write
            return fn(self._con)

        def once() -> _T:
            con = self._con
            con.execute("BEGIN IMMEDIATE")
            try:
                out = fn(con)
                con.execute("COMMIT")
            except BaseException:
                # A failed COMMIT leaves the transaction open; roll back so a retry starts clean
                # and nothing of the failed attempt is kept.
                if con.in_transaction:
                    con.execute("ROLLBACK")
                raise
            return out

        return self._retry(once)

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self._retry(lambda: self._con.execute(sql, params).fetchall())

    @staticmethod
    def _bump(con: sqlite3.Connection, workshop_id: int) -> None:
        con.execute("UPDATE workshops SET revision = revision + 1 WHERE id = ?", (workshop_id,))

    # -- workshops -----------------------------------------------------------------------------

    _WORKSHOP_COLUMNS = (
        "id, client_id, date, title, rubric_id, rubric_version, rubric_hash, revision, "
        "created_at, finalised_at"
    )

    def create_workshop(
        self,
        client_id: str,
        rubric: Rubric,
        *,
        date: str | None = None,
        title: str = "",
    ) -> Workshop:
        """Create a workshop for ``client_id`` on ``date`` (default: today).

        Raises
        ------
        InputError
            When the client id is unsafe, the date is not ``YYYY-MM-DD`` or the client already
            has a workshop on that date.
        """

        check_safe_id(client_id)
        day = date or dt.date.today().isoformat()
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise ParameterError(f"workshop date {day!r} is not a date (YYYY-MM-DD)") from None
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise ParameterError(f"workshop date {day!r} is not a date (YYYY-MM-DD)")
        title = clean_text(title, "workshop title", limit=MAX_NAME)
        # JSON, not YAML: the pure-Python YAML emitter takes half a second for a rubric.
        definition = json.dumps(rubric.model_dump(mode="json"), ensure_ascii=False)

        def insert(con: sqlite3.Connection) -> int:
            found = con.execute(
                "SELECT id FROM workshops WHERE client_id = ? AND date = ?", (client_id, day)
            ).fetchone()
            if found:
                raise InputError(
                    f"client {client_id!r} already has a workshop on {day} (#{found[0]}); "
                    "open it, or choose another date"
                )
            cur = con.execute(
                "INSERT INTO workshops (client_id, date, title, rubric_id, rubric_version, "
                "rubric_hash, rubric_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    client_id,
                    day,
                    title,
                    rubric.id,
                    rubric.version,
                    rubric.content_hash,
                    definition,
                    _now(),
                ),
            )
            return int(cur.lastrowid)  # type: ignore[arg-type]

        workshop_id = self._write(insert)
        self._rubrics[workshop_id] = rubric
        return self.workshop(workshop_id)

    def workshop(self, workshop_id: int) -> Workshop:
        """The workshop with ``workshop_id``.

        Raises
        ------
        InputError
            When there is none.
        """
        rows = self._read(
            f"SELECT {self._WORKSHOP_COLUMNS} FROM workshops WHERE id = ?",  # noqa: S608 - constant
            (int(workshop_id),),
        )
        if not rows:
            raise InputError(f"no workshop #{workshop_id} in {self.path}")
        return Workshop(*rows[0])

    def workshops(self, client_id: str | None = None) -> list[Workshop]:
        """Every workshop (of one client), oldest date first."""
        where, params = ("WHERE client_id = ?", (client_id,)) if client_id else ("", ())
        rows = self._read(
            # Only constant fragments are interpolated; values go through placeholders.
            f"SELECT {self._WORKSHOP_COLUMNS} FROM workshops {where} ORDER BY date, id",  # noqa: S608
            params,
        )
        return [Workshop(*r) for r in rows]

    def find_workshop(self, client_id: str, date: str | None = None) -> Workshop | None:
        """The client's workshop on ``date``, or its latest one; ``None`` when it has none."""
        found = [w for w in self.workshops(client_id) if date is None or w.date == date]
        return found[-1] if found else None

    def clients(self) -> list[str]:
        """Client ids that have at least one workshop, sorted."""
        return [r[0] for r in self._read("SELECT DISTINCT client_id FROM workshops ORDER BY 1")]

    def revision(self, workshop_id: int) -> int:
        """A number that changes whenever anything of the workshop changes (for polling)."""
        rows = self._read("SELECT revision FROM workshops WHERE id = ?", (int(workshop_id),))
        return int(rows[0][0]) if rows else -1

    def rubric(self, workshop_id: int) -> Rubric:
        """The rubric the workshop was created with, rebuilt from the copy in the store."""
        if workshop_id not in self._rubrics:
            rows = self._read(
                "SELECT rubric_json, rubric_hash FROM workshops WHERE id = ?", (int(workshop_id),)
            )
            if not rows:
                raise InputError(f"no workshop #{workshop_id} in {self.path}")
            rubric = load_rubric(json.loads(rows[0][0]))
            if rubric.content_hash != rows[0][1]:
                raise InputError(
                    f"workshop #{workshop_id}: its stored rubric does not match its hash; "
                    "the store was edited by hand"
                )
            self._rubrics[workshop_id] = rubric
        return self._rubrics[workshop_id]

    def _open_for_changes(self, con: sqlite3.Connection, workshop_id: int) -> None:
        row = con.execute(
            "SELECT finalised_at FROM workshops WHERE id = ?", (workshop_id,)
        ).fetchone()
        if row is None:
            raise InputError(f"no workshop #{workshop_id} in {self.path}")
        if row[0] is not None:
            raise InputError(
                f"workshop #{workshop_id} was finalised at {row[0]}; reopen it to change it"
            )

    # -- participants and votes ----------------------------------------------------------------

    def join(
        self, workshop_id: int, name: str, role: str = "", *, new: bool = False
    ) -> Participant:
        """Add a participant; without ``new``, return the first one with that name instead.

        The participant app passes ``new=True`` (a person is their token, :mod:`.room`); imports
        look a name up (case-insensitive).  A non-empty ``role`` replaces the stored one.
        """
        clean_name = clean_text(name, "participant name", limit=MAX_NAME, required=True)
        clean_role = clean_text(role, "participant role", limit=MAX_NAME)
        columns = "SELECT id, workshop_id, name, role FROM participants "

        def upsert(con: sqlite3.Connection) -> tuple[Any, ...]:
            if (
                con.execute("SELECT 1 FROM workshops WHERE id = ?", (workshop_id,)).fetchone()
                is None
            ):
                raise InputError(f"no workshop #{workshop_id} in {self.path}")
            found = (
                None
                if new
                else con.execute(
                    columns + "WHERE workshop_id = ? AND name = ? ORDER BY id",
                    (workshop_id, clean_name),
                ).fetchone()
            )
            if found is None:
                cur = con.execute(
                    "INSERT INTO participants (workshop_id, name, role, created_at, token) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (workshop_id, clean_name, clean_role, _now(), secrets.token_urlsafe(24)),
                )
                pid = cur.lastrowid
            else:
                pid = found[0]
                if clean_role:
                    con.execute("UPDATE participants SET role = ? WHERE id = ?", (clean_role, pid))
            self._bump(con, workshop_id)
            return con.execute(columns + "WHERE id = ?", (pid,)).fetchone()

        return Participant(*self._write(upsert))

    def participants(self, workshop_id: int) -> list[Participant]:
        """The workshop's participants in order of joining."""
        rows = self._read(
            "SELECT id, workshop_id, name, role FROM participants WHERE workshop_id = ? "
            "ORDER BY id",
            (int(workshop_id),),
        )
        return [Participant(*r) for r in rows]

    def vote(
        self,
        participant: Participant,
        indicator_id: str,
        value: object,
        *,
        comment: str = "",
        token: str | None = None,
    ) -> int:
        """Record a vote; the participant's latest vote on an indicator is the one that counts.

        Parameters
        ----------
        participant
            From :meth:`join`.
        indicator_id, value
            Checked against the workshop's rubric (see :func:`normalise_value`).
        comment
            Optional evidence or remark.
        token
            Idempotency key (e.g. a UUID made when the button was pressed): recording the same
            token again returns the first vote's id instead of adding a vote.

        Returns
        -------
        int
            The vote id (increasing in commit order).

        Raises
        ------
        ParameterError
            For a value the rubric does not accept.
        InputError
            When the workshop is finalised.
        """
        text = normalise_value(self.rubric(participant.workshop_id), indicator_id, value)
        note = clean_text(comment, "comment", limit=MAX_TEXT)
        wid = participant.workshop_id

        def insert(con: sqlite3.Connection) -> int:
            if token is not None:
                seen = con.execute("SELECT id FROM votes WHERE token = ?", (token,)).fetchone()
                if seen:
                    return int(seen[0])
            self._open_for_changes(con, wid)
            cur = con.execute(
                "INSERT INTO votes (workshop_id, participant_id, indicator_id, value, comment, "
                "created_at, token) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (wid, participant.id, indicator_id, text, note, _now(), token),
            )
            self._bump(con, wid)
            return int(cur.lastrowid)  # type: ignore[arg-type]

        return self._write(insert)

    def votes(self, workshop_id: int, *, latest: bool = True) -> pd.DataFrame:
        """The workshop's votes as a table.

        Parameters
        ----------
        latest
            Only each participant's latest vote per indicator (the ones that count); ``False``
            gives the full append-only history.

        Returns
        -------
        pandas.DataFrame
            ``vote_id, participant_id, respondent, role, indicator_id, value, comment,
            created_at``, ordered by ``vote_id``.
        """

        # The latest vote of each participant on each indicator is the one with the highest id.
        latest_only = (
            "AND v.id IN (SELECT max(id) FROM votes WHERE workshop_id = :w "
            "GROUP BY participant_id, indicator_id) "
        )
        sql = (
            "SELECT v.id, v.participant_id, p.name, p.role, v.indicator_id, v.value, v.comment, "
            "v.created_at FROM votes v JOIN participants p ON p.id = v.participant_id "
            "WHERE v.workshop_id = :w "
        )
        query = sql + (latest_only if latest else "") + "ORDER BY v.id"
        rows = self._retry(lambda: self._con.execute(query, {"w": int(workshop_id)}).fetchall())
        columns = "vote_id participant_id respondent role indicator_id value comment created_at"
        frame = pd.DataFrame(rows, columns=columns.split())
        return frame.astype({"vote_id": "int64", "participant_id": "int64"})

    def vote_count(self, workshop_id: int) -> int:
        """Number of votes ever recorded (history included)."""
        rows = self._read("SELECT count(*) FROM votes WHERE workshop_id = ?", (int(workshop_id),))
        return int(rows[0][0])

    def my_votes(self, participant: Participant) -> dict[str, str]:
        """``indicator_id -> value`` of a participant's latest votes (to resume a session)."""
        rows = self._read(
            "SELECT indicator_id, value FROM votes WHERE id IN (SELECT max(id) FROM votes "
            "WHERE participant_id = ? GROUP BY indicator_id)",
            (participant.id,),
        )
        return dict(rows)

    def add_votes(
        self, workshop_id: int, votes: Iterable[tuple[Participant, str, object, str]]
    ) -> None:
        """Record many votes in one transaction (an import); all of them or none.

        Parameters
        ----------
        workshop_id
            The workshop voted in.
        votes
            ``(participant, indicator_id, value, comment)`` per vote; values are checked like
            :meth:`vote` checks them, every one before anything is written.

        Raises
        ------
        ParameterError
            For a value the rubric does not accept, or a participant of another workshop.
        InputError
            When the workshop is finalised.
        """
        rubric = self.rubric(workshop_id)
        stamp = _now()
        rows = []
        for person, indicator_id, value, comment in votes:
            if person.workshop_id != workshop_id:
                raise ParameterError(
                    f"{person.name!r} joined workshop #{person.workshop_id}, not #{workshop_id}"
                )
            text = normalise_value(rubric, indicator_id, value)
            note = clean_text(comment, "comment", limit=MAX_TEXT)
            rows.append((workshop_id, person.id, indicator_id, text, note, stamp))

        def insert(con: sqlite3.Connection) -> None:
            self._open_for_changes(con, workshop_id)
            con.executemany(
                "INSERT INTO votes (workshop_id, participant_id, indicator_id, value, "
                "comment, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            self._bump(con, workshop_id)

        self._write(insert)

    # -- facilitator's records -----------------------------------------------------------------

    def set_target(self, workshop_id: int, dimension_id: str, target: float) -> None:
        """Record the agreed target of a dimension (a level between 1 and the top)."""
        rubric = self.rubric(workshop_id)
        try:
            rubric.dimension(dimension_id)
        except KeyError:
            raise ParameterError(f"unknown dimension {dimension_id!r}") from None
        value = float(target)
        if not (math.isfinite(value) and 1 <= value <= rubric.n_levels):
            raise ParameterError(
                f"target of {dimension_id!r} must be from 1 to {rubric.n_levels}; found {target!r}"
            )

        def upsert(con: sqlite3.Connection) -> None:
            self._open_for_changes(con, workshop_id)
            con.execute(
                "INSERT INTO targets VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id, dimension_id) "
                "DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at",
                (workshop_id, dimension_id, value, _now()),
            )
            self._bump(con, workshop_id)

        self._write(upsert)

    def targets(self, workshop_id: int) -> dict[str, float]:
        """``dimension_id -> agreed target`` for the dimensions that have one."""
        rows = self._read(
            "SELECT dimension_id, target FROM targets WHERE workshop_id = ?", (int(workshop_id),)
        )
        return {d: float(t) for d, t in rows}

    def set_note(self, workshop_id: int, indicator_id: str, text: str) -> None:
        """Record the facilitator's note on an indicator (an empty text removes it)."""
        note = clean_text(text, "note", limit=MAX_TEXT)
        self._check_indicator(workshop_id, indicator_id)

        def upsert(con: sqlite3.Connection) -> None:
            self._open_for_changes(con, workshop_id)
            if note:
                con.execute(
                    "INSERT INTO notes VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id, indicator_id) "
                    "DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                    (workshop_id, indicator_id, note, _now()),
                )
            else:
                con.execute(
                    "DELETE FROM notes WHERE workshop_id = ? AND indicator_id = ?",
                    (workshop_id, indicator_id),
                )
            self._bump(con, workshop_id)

        self._write(upsert)

    def notes(self, workshop_id: int) -> dict[str, str]:
        """``indicator_id -> note``."""
        return dict(
            self._read(
                "SELECT indicator_id, text FROM notes WHERE workshop_id = ?", (int(workshop_id),)
            )
        )

    def _check_indicator(self, workshop_id: int, indicator_id: str) -> None:
        try:
            self.rubric(workshop_id).indicator(indicator_id)
        except KeyError:
            raise ParameterError(f"unknown indicator {indicator_id!r}") from None

    def set_agreed(self, workshop_id: int, indicator_id: str, value: object | None) -> None:
        """Record the answer the room agreed on an indicator (``None`` clears it)."""
        text = (
            None
            if value is None
            else normalise_value(self.rubric(workshop_id), indicator_id, value)
        )
        self._check_indicator(workshop_id, indicator_id)

        def upsert(con: sqlite3.Connection) -> None:
            self._open_for_changes(con, workshop_id)
            if text is None:
                con.execute(
                    "DELETE FROM agreed WHERE workshop_id = ? AND indicator_id = ?",
                    (workshop_id, indicator_id),
                )
            else:
                con.execute(
                    "INSERT INTO agreed VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id, "
                    "indicator_id) DO UPDATE SET value = excluded.value, "
                    "updated_at = excluded.updated_at",
                    (workshop_id, indicator_id, text, _now()),
                )
            self._bump(con, workshop_id)

        self._write(upsert)

    def agreed(self, workshop_id: int) -> dict[str, str]:
        """``indicator_id -> agreed value`` recorded so far."""
        return dict(
            self._read(
                "SELECT indicator_id, value FROM agreed WHERE workshop_id = ?", (int(workshop_id),)
            )
        )

    def finalise(
        self,
        workshop_id: int,
        answers: Mapping[str, object],
        targets: Mapping[str, float] | None = None,
    ) -> Workshop:
        """Write the agreed answers (and targets) and close the workshop, in one transaction.

        Parameters
        ----------
        answers
            ``indicator_id -> value`` for every indicator the room agreed on; replaces the
            agreed answers recorded so far.
        targets
            ``dimension_id -> target``; merged into the recorded targets.
        """
        rubric = self.rubric(workshop_id)
        clean = {i: normalise_value(rubric, i, v) for i, v in answers.items()}
        if not clean:
            raise ParameterError("nothing to finalise: no indicator has votes or an agreed answer")
        goals = {}
        for d, t in (targets or {}).items():
            try:
                rubric.dimension(d)
            except KeyError:
                raise ParameterError(f"unknown dimension {d!r}") from None
            if not 1 <= float(t) <= rubric.n_levels:
                raise ParameterError(f"target of {d!r} must be from 1 to {rubric.n_levels}")
            goals[d] = float(t)
        stamp = _now()

        def write(con: sqlite3.Connection) -> None:
            self._open_for_changes(con, workshop_id)
            con.execute("DELETE FROM agreed WHERE workshop_id = ?", (workshop_id,))
            con.executemany(
                "INSERT INTO agreed VALUES (?, ?, ?, ?)",
                [(workshop_id, i, v, stamp) for i, v in clean.items()],
            )
            con.executemany(
                "INSERT INTO targets VALUES (?, ?, ?, ?) ON CONFLICT (workshop_id, dimension_id) "
                "DO UPDATE SET target = excluded.target, updated_at = excluded.updated_at",
                [(workshop_id, d, t, stamp) for d, t in goals.items()],
            )
            con.execute("UPDATE workshops SET finalised_at = ? WHERE id = ?", (stamp, workshop_id))
            self._bump(con, workshop_id)

        self._write(write)
        return self.workshop(workshop_id)

    def reopen(self, workshop_id: int) -> Workshop:
        """Allow votes and changes again after :meth:`finalise` (the agreed answers stay)."""

        def write(con: sqlite3.Connection) -> None:
            con.execute("UPDATE workshops SET finalised_at = NULL WHERE id = ?", (workshop_id,))
            self._bump(con, workshop_id)

        self._write(write)
        return self.workshop(workshop_id)

    # -- interchange (see :mod:`assessment.workshop.store_io`) --------------------------------

    def export_answers(self, workshop_id: int, *, source: str = "votes") -> pd.DataFrame:
        """The workshop in the long answers format; see :func:`.store_io.export_answers`."""
        return store_io.export_answers(self, workshop_id, source=source)

    def answers(self, workshop_id: int, *, source: str = "votes") -> pd.DataFrame:
        """:meth:`export_answers`, validated; see :func:`.store_io.answers`."""
        return store_io.answers(self, workshop_id, source=source)

    def export_targets(self, workshop_id: int, profile_id: str) -> pd.DataFrame:
        """Agreed targets as a target-profile table; see :func:`.store_io.export_targets`."""
        return store_io.export_targets(self, workshop_id, profile_id)

    def import_answers(self, frame: pd.DataFrame, rubric: Rubric) -> list[Workshop]:
        """Load answers as votes, one workshop each; see :func:`.store_io.import_answers`."""
        return store_io.import_answers(self, frame, rubric)


def open_store(path: str | Path, **kwargs: Any) -> Store:
    """Open (and create when missing) the workshop store at ``path``.

    Raises
    ------
    InputError
        When the file is not a workshop store or its folder does not exist.
    """
    return Store(path, **kwargs)


@contextlib.contextmanager
def opened(path: str | Path, **kwargs: Any) -> Iterator[Store]:
    """``with opened(path) as store:`` -- open, yield, close."""
    store = open_store(path, **kwargs)
    try:
        yield store
    finally:
        store.close()
