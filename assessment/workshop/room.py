"""The room: join codes, participants as tokens, the facilitator's token, pacing and reveal.

A workshop's room (table ``room``, layout 2 of :mod:`.schema`) holds:

* a short **join code** (six letters and digits without look-alikes such as ``0``/``O``),
  typed on a phone or read from the QR code on the projector;
* the **facilitator's token**, printed by ``maturity workshop`` and never part of a
  participant's link; the projector and its controls need it (:func:`is_host`);
* whether the room is **anonymous** (no names asked), **paced** (every phone shows the
  question the facilitator pushes: ``current``) and whether that question's results are
  **revealed** on the projector.

A participant *is* their token (:func:`participant_for_token`), issued by the server when they
join (:func:`new_participant`) and kept in a cookie or a personal link: typing a colleague's
name gives nothing of theirs, and two people with the same name stay two people.

Everything here is a function of an open :class:`~.store.Store`; the participant app
(:mod:`.web`) and the facilitator's page call them.
"""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
import sqlite3
from dataclasses import dataclass

from assessment.exceptions import InputError, ParameterError
from assessment.rubric import Rubric
from assessment.workshop.records import MAX_NAME, Participant, clean_text
from assessment.workshop.store import Store

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "Progress",
    "Room",
    "ballot",
    "clean_code",
    "get_room",
    "is_host",
    "my_answers",
    "new_participant",
    "open_room",
    "participant_for_token",
    "participant_token",
    "progress",
    "question_votes",
    "set_room",
    "workshop_for_code",
]

#: Letters and digits of a join code: no 0/O, 1/I/L, so a code read off a wall is typed right.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6

_ROOM_COLUMNS = "workshop_id, join_code, host_token, anonymous, paced, current, revealed"


@dataclass(frozen=True)
class Room:
    """A workshop's room (see the module docstring)."""

    workshop_id: int
    join_code: str
    host_token: str
    anonymous: bool
    paced: bool
    current: str | None
    revealed: bool


@dataclass(frozen=True)
class Progress:
    """How far one participant is: answers given out of their ballot."""

    participant_id: int
    name: str
    role: str
    answered: int
    total: int

    @property
    def finished(self) -> bool:
        """Every question of their ballot has an answer."""
        return self.total > 0 and self.answered >= self.total


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _room_row(store: Store, workshop_id: int) -> tuple[object, ...] | None:
    rows = store._read(
        f"SELECT {_ROOM_COLUMNS} FROM room WHERE workshop_id = ?",  # noqa: S608 - constant
        (int(workshop_id),),
    )
    return rows[0] if rows else None


def _room(row: tuple[object, ...]) -> Room:
    wid, code, token, anonymous, paced, current, revealed = row
    return Room(
        int(wid),  # type: ignore[call-overload]
        str(code),
        str(token),
        bool(anonymous),
        bool(paced),
        None if current is None else str(current),
        bool(revealed),
    )


def open_room(store: Store, workshop_id: int, *, anonymous: bool | None = None) -> Room:
    """The workshop's room, made with a fresh join code and facilitator token when missing.

    Parameters
    ----------
    store, workshop_id
        The workshop.
    anonymous
        Set the room's anonymous mode (``None``: keep it; a new room is named).

    Returns
    -------
    Room
        The room; the same code and token every time the workshop is served again, so a
        restart keeps every link, QR code and open page valid.
    """
    store.workshop(workshop_id)  # a clear error for an unknown workshop

    def make(con: sqlite3.Connection) -> None:
        if con.execute("SELECT 1 FROM room WHERE workshop_id = ?", (workshop_id,)).fetchone():
            if anonymous is not None:
                con.execute(
                    "UPDATE room SET anonymous = ? WHERE workshop_id = ?",
                    (int(anonymous), workshop_id),
                )
            return
        taken = {r[0] for r in con.execute("SELECT join_code FROM room")}
        code = _new_code(taken)
        con.execute(
            "INSERT INTO room (workshop_id, join_code, host_token, anonymous, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (workshop_id, code, secrets.token_urlsafe(24), int(bool(anonymous)), _now()),
        )

    store._write(make)
    row = _room_row(store, workshop_id)
    assert row is not None  # just written
    return _room(row)


def get_room(store: Store, workshop_id: int) -> Room:
    """The workshop's room, read only (:func:`open_room` makes it; every request reads it)."""
    row = _room_row(store, workshop_id)
    return _room(row) if row is not None else open_room(store, workshop_id)


def _new_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def clean_code(text: str) -> str:
    """A typed join code as stored: upper case, spaces and dashes dropped (``"ab3-x7k"``)."""
    return re.sub(r"[\s\-]", "", str(text)).upper()[: CODE_LENGTH * 2]


def workshop_for_code(store: Store, code: str) -> int | None:
    """The workshop whose join code is ``code`` (typed in any case, with spaces or a dash)."""
    rows = store._read("SELECT workshop_id FROM room WHERE join_code = ?", (clean_code(code),))
    return int(rows[0][0]) if rows else None


def is_host(room: Room, token: str | None) -> bool:
    """Whether ``token`` is the room's facilitator token (compared in constant time)."""
    return bool(token) and hmac.compare_digest(str(token).encode(), room.host_token.encode())


def set_room(
    store: Store,
    workshop_id: int,
    *,
    paced: bool | None = None,
    current: str | None = None,
    revealed: bool | None = None,
) -> Room:
    """Change what the projector and the phones show; ``None`` keeps a setting.

    Pushing another question (``current``) hides the results again until they are revealed.

    Raises
    ------
    ParameterError
        For a question that is not in the workshop's rubric.
    """
    rubric = store.rubric(workshop_id)
    if current is not None and current not in _question_ids(rubric):
        raise ParameterError(f"unknown question {current!r}")
    room = get_room(store, workshop_id)
    new_current = room.current if current is None else current
    new_revealed = room.revealed if revealed is None else revealed
    if current is not None and current != room.current and revealed is None:
        new_revealed = False
    new_paced = room.paced if paced is None else paced

    def write(con: sqlite3.Connection) -> None:
        con.execute(
            "UPDATE room SET paced = ?, current = ?, revealed = ?, updated_at = ? "
            "WHERE workshop_id = ?",
            (int(new_paced), new_current, int(new_revealed), _now(), workshop_id),
        )
        store._bump(con, workshop_id)

    store._write(write)
    return open_room(store, workshop_id)


def new_participant(store: Store, workshop_id: int, name: str, role: str = "") -> Participant:
    """A new participant with a token of their own, even when the name is already taken.

    Parameters
    ----------
    store, workshop_id
        The workshop joined.
    name
        As typed (kept as typed; shown escaped).  Empty in an anonymous room: the
        participant is called "#<their number>" on the finished list.
    role
        The role they chose (a role id of the rubric, or free text), may be empty.

    Raises
    ------
    ParameterError
        For a name or role that is too long, or a missing name in a named room.
    InputError
        When the workshop is finalised.
    """
    room = get_room(store, workshop_id)
    if store.workshop(workshop_id).finalised:
        raise InputError(f"workshop #{workshop_id} is finalised; votes are closed")
    text = clean_text(name, "name", limit=MAX_NAME, required=not room.anonymous)
    if not text:
        text = f"#{len(store.participants(workshop_id)) + 1}"
    return store.join(workshop_id, text, role, new=True)


def participant_for_token(store: Store, token: str | None) -> Participant | None:
    """The participant whose token is ``token``; ``None`` for no token or an unknown one."""
    if not token or len(token) > 100:
        return None
    rows = store._read(
        "SELECT id, workshop_id, name, role FROM participants WHERE token = ?", (str(token),)
    )
    return Participant(*rows[0]) if rows else None


def participant_token(store: Store, participant: Participant) -> str:
    """The participant's token: their personal link, or "this is me on a new device"."""
    rows = store._read("SELECT token FROM participants WHERE id = ?", (participant.id,))
    if not rows:
        raise InputError(f"no participant #{participant.id}")
    return str(rows[0][0])


def _question_ids(rubric: Rubric) -> list[str]:
    return ballot(rubric, "")


def ballot(rubric: Rubric, role: str) -> list[str]:
    """The questions a participant of ``role`` answers, in the rubric's order.

    Indicators and facts asked of that role (``asked_of``; an empty list asks everyone); a role
    the rubric does not know, or none, is asked everything.  Computed indicators are derived
    from facts, never asked.
    """
    rid = rubric.role_id(role) if role else None

    def asked(of: list[str]) -> bool:
        return rid is None or not of or rid in of

    out = [i.id for _, i in rubric.iter_indicators() if i.kind != "computed" and asked(i.asked_of)]
    return out + [f.id for f in rubric.facts if asked(f.asked_of)]


def progress(store: Store, workshop_id: int) -> list[Progress]:
    """Every participant's answers given out of their ballot, in order of joining."""
    rubric = store.rubric(workshop_id)
    counts = dict(
        store._read(
            "SELECT participant_id, count(DISTINCT indicator_id) FROM votes "
            "WHERE workshop_id = ? GROUP BY participant_id",
            (int(workshop_id),),
        )
    )
    sizes: dict[str, int] = {}
    out = []
    for p in store.participants(workshop_id):
        if p.role not in sizes:
            sizes[p.role] = len(ballot(rubric, p.role))
        out.append(Progress(p.id, p.name, p.role, int(counts.get(p.id, 0)), sizes[p.role]))
    return out


def my_answers(store: Store, participant: Participant) -> dict[str, tuple[str, str]]:
    """``question id -> (value, comment)`` of a participant's latest votes (to resume)."""
    rows = store._read(
        "SELECT indicator_id, value, comment FROM votes WHERE id IN (SELECT max(id) FROM votes "
        "WHERE participant_id = ? GROUP BY indicator_id)",
        (participant.id,),
    )
    return {q: (v, c) for q, v, c in rows}


def question_votes(store: Store, workshop_id: int, question: str) -> list[str]:
    """The values that count (each participant's latest) on one question, for the projector."""
    rows = store._read(
        "SELECT value FROM votes WHERE id IN (SELECT max(id) FROM votes WHERE workshop_id = ? "
        "AND indicator_id = ? GROUP BY participant_id)",
        (int(workshop_id), question),
    )
    return [r[0] for r in rows]
