"""The room: join codes, participants as tokens, the facilitator's token, pacing, progress."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.exceptions import InputError, ParameterError
from assessment.rubric import Rubric, load_rubric
from assessment.workshop import room
from assessment.workshop.schema import SCHEMA_VERSION
from assessment.workshop.store import Store, open_store


@pytest.fixture(name="rubric", scope="module")
def fixture_rubric() -> Rubric:
    return load_rubric("social-media")


@pytest.fixture(name="store")
def fixture_store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "ws.sqlite")


@pytest.fixture(name="wid")
def fixture_wid(store: Store, rubric: Rubric) -> int:
    return store.create_workshop("c01-test", rubric, date="2025-06-01").id


def test_a_room_keeps_its_code_and_token_across_openings(store: Store, wid: int) -> None:
    first = room.open_room(store, wid)
    assert len(first.join_code) == room.CODE_LENGTH
    assert set(first.join_code) <= set(room.CODE_ALPHABET)
    assert len(first.host_token) >= 32
    again = room.open_room(store, wid)
    assert (again.join_code, again.host_token) == (first.join_code, first.host_token)
    assert room.workshop_for_code(store, first.join_code.lower()) == wid
    spaced = f" {first.join_code[:3]}-{first.join_code[3:]} "
    assert room.workshop_for_code(store, spaced) == wid
    assert room.workshop_for_code(store, "ZZZZZZ") is None


def test_the_same_name_twice_is_two_people(store: Store, wid: int) -> None:
    sara = room.new_participant(store, wid, "Sara Mansour", "social_lead")
    other = room.new_participant(store, wid, "sara mansour", "")
    assert sara.id != other.id
    store.vote(sara, "strategy_documented", 2)
    store.vote(other, "strategy_documented", 4)
    assert room.my_answers(store, sara) == {"strategy_documented": ("2", "")}
    assert room.my_answers(store, other) == {"strategy_documented": ("4", "")}
    tokens = {room.participant_token(store, p) for p in (sara, other)}
    assert len(tokens) == 2
    for p in (sara, other):
        assert room.participant_for_token(store, room.participant_token(store, p)) == p


def test_a_name_is_not_a_way_in(store: Store, wid: int) -> None:
    sara = room.new_participant(store, wid, "Sara", "")
    assert room.participant_for_token(store, "Sara") is None
    assert room.participant_for_token(store, "") is None
    assert room.participant_for_token(store, None) is None
    assert room.participant_for_token(store, "x" * 500) is None
    assert room.participant_for_token(store, room.participant_token(store, sara)) == sara


def test_facilitator_token_is_compared_exactly(store: Store, wid: int) -> None:
    r = room.open_room(store, wid)
    assert room.is_host(r, r.host_token)
    assert not room.is_host(r, r.host_token[:-1])
    assert not room.is_host(r, "")
    assert not room.is_host(r, None)


def test_anonymous_room_names_people_by_number(store: Store, wid: int) -> None:
    room.open_room(store, wid, anonymous=True)
    first = room.new_participant(store, wid, "", "")
    second = room.new_participant(store, wid, "  ", "")
    assert (first.name, second.name) == ("#1", "#2")
    room.open_room(store, wid, anonymous=False)
    with pytest.raises(ParameterError, match="name is empty"):
        room.new_participant(store, wid, "", "")


def test_a_finalised_workshop_takes_no_new_participant(store: Store, wid: int) -> None:
    p = room.new_participant(store, wid, "Ann", "")
    store.vote(p, "strategy_documented", 3)
    store.finalise(wid, {"strategy_documented": 3})
    with pytest.raises(InputError, match="finalised"):
        room.new_participant(store, wid, "Bob", "")


def test_a_ballot_holds_the_questions_of_the_role(rubric: Rubric) -> None:
    every = room.ballot(rubric, "")
    finance = room.ballot(rubric, "finance")
    assert "team_capacity_ratio" not in every  # computed: derived, never asked
    assert set(finance) < set(every)
    assert "budget_governance" in finance
    assert "care_coverage" not in finance
    assert room.ballot(rubric, "Astronaut") == every  # an unknown role is asked everything
    assert [f.id for f in rubric.facts if f.id in every] == [f.id for f in rubric.facts]


def test_pushing_a_question_hides_its_results_until_revealed(store: Store, wid: int) -> None:
    r = room.set_room(store, wid, paced=True, current="crisis_plan")
    assert (r.paced, r.current, r.revealed) == (True, "crisis_plan", False)
    r = room.set_room(store, wid, revealed=True)
    assert r.revealed
    r = room.set_room(store, wid, current="care_coverage")
    assert (r.current, r.revealed) == ("care_coverage", False)
    with pytest.raises(ParameterError, match="unknown question"):
        room.set_room(store, wid, current="nope")


def test_progress_counts_each_persons_ballot(store: Store, wid: int, rubric: Rubric) -> None:
    ann = room.new_participant(store, wid, "Ann", "finance")
    bob = room.new_participant(store, wid, "Bob", "")
    kinds = rubric.indicator_table["kind"]
    answer = {"anchored": 2, "boolean": "yes"}
    for q in room.ballot(rubric, "finance"):
        store.vote(ann, q, answer.get(kinds.get(q, "fact"), 5))
    store.vote(bob, "strategy_documented", 2)
    rows = {p.name: p for p in room.progress(store, wid)}
    assert rows["Ann"].finished
    assert rows["Ann"].total == len(room.ballot(rubric, "finance"))
    assert not rows["Bob"].finished
    assert rows["Bob"].answered == 1


@given(st.text(max_size=20))
def test_clean_code_never_grows_past_twice_a_code(text: str) -> None:
    cleaned = room.clean_code(text)
    assert len(cleaned) <= 2 * room.CODE_LENGTH
    assert " " not in cleaned
    assert "-" not in cleaned


def test_a_layout_1_store_is_migrated_keeping_people_and_votes(
    tmp_path: Path, rubric: Rubric
) -> None:
    path = tmp_path / "old.sqlite"
    with open_store(path) as store:
        wid = store.create_workshop("c01-test", rubric, date="2025-06-01").id
        ann = store.join(wid, "Ann", "CFO")
        store.vote(ann, "strategy_documented", 3)
    # Turn the file back into layout 1: the participants table with its UNIQUE name, no room.
    con = sqlite3.connect(path)
    con.executescript(
        "PRAGMA foreign_keys=OFF; DROP TABLE room; CREATE TABLE p1 (id INTEGER PRIMARY KEY, "
        "workshop_id INTEGER NOT NULL REFERENCES workshops(id), name TEXT NOT NULL COLLATE "
        "NOCASE, role TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, "
        "UNIQUE (workshop_id, name)); INSERT INTO p1 SELECT id, workshop_id, name, role, "
        "created_at FROM participants; DROP TABLE participants; "
        "ALTER TABLE p1 RENAME TO participants; DROP INDEX IF EXISTS participants_name; "
        "PRAGMA user_version = 1;"
    )
    con.close()
    with open_store(path) as store:
        version = store._con.execute("PRAGMA user_version").fetchone()[0]
        assert version == SCHEMA_VERSION
        (ann,) = store.participants(wid)
        assert ann.name == "Ann"
        assert room.participant_for_token(store, room.participant_token(store, ann)) == ann
        assert store.votes(wid)["value"].tolist() == ["3"]
        twin = room.new_participant(store, wid, "Ann", "")
        assert twin.id != ann.id
