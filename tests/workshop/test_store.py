"""The workshop store: votes, targets, notes, interchange, and many concurrent writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest
from helpers import ROOT, SAMPLES

from assessment.exceptions import DataValidationError, InputError, ParameterError
from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric
from assessment.scoring import score
from assessment.workshop.store import (
    CONSENSUS_RESPONDENT,
    SCHEMA_VERSION,
    Store,
    StoreBusyError,
    normalise_value,
    open_store,
)

DATE = "2025-05-01"


@pytest.fixture(name="store")
def fixture_store(tmp_path: Path) -> Store:
    with open_store(tmp_path / "ws.sqlite") as store:
        yield store


@pytest.fixture(name="wid")
def fixture_wid(store: Store, rubric: Rubric) -> int:
    return store.create_workshop("c01-test", rubric, date=DATE).id


# -- values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("strategy_documented", "3", "3"),
        ("strategy_documented", 4, "4"),
        ("strategy_documented", " 5.0 ", "5"),
        ("strategy_exec_sponsor", True, "yes"),
        ("strategy_exec_sponsor", "No", "no"),
        ("strategy_exec_sponsor", "نعم", "yes"),
        ("care_first_response_hours", "2,5", "2.5"),
        ("care_first_response_hours", 0.25, "0.25"),
        ("care_first_response_hours", "12", "12"),
        ("budget_trend", "n/a", "NA"),
    ],
)
def test_normalise_value_accepts_what_the_answers_format_accepts(
    rubric: Rubric, indicator: str, value: object, expected: str
) -> None:
    assert normalise_value(rubric, indicator, value) == expected
    frame = pd.DataFrame(
        [["c", DATE, "r", "x", indicator, expected]],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value"],
    )
    answers_from_frame(frame, rubric)  # what the store keeps exports cleanly


@pytest.mark.parametrize(
    ("indicator", "value", "fragment"),
    [
        ("strategy_documented", "6", "whole level from 1 to 5"),
        ("strategy_documented", "2.5", "whole level"),
        ("strategy_documented", "", "empty"),
        ("strategy_documented", "NA", "does not allow NA"),
        ("strategy_exec_sponsor", "maybe", "yes or no"),
        ("care_first_response_hours", "fast", "expected a number in hours"),
        ("care_first_response_hours", "1,000", "ambiguous"),
        ("care_first_response_hours", float("inf"), "expected a number"),
        ("no_such_indicator", "3", "unknown indicator"),
    ],
)
def test_normalise_value_rejects_with_a_clear_message(
    rubric: Rubric, indicator: str, value: object, fragment: str
) -> None:
    with pytest.raises(ParameterError, match=fragment):
        normalise_value(rubric, indicator, value)


# -- workshops, participants, votes --------------------------------------------------------


def test_store_is_a_wal_sqlite_file(store: Store, wid: int) -> None:
    con = sqlite3.connect(store.path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        con.close()


def test_workshop_records_client_date_and_rubric(store: Store, wid: int, rubric: Rubric) -> None:
    w = store.workshop(wid)
    assert (w.client_id, w.date, w.rubric_id, w.rubric_version) == (
        "c01-test",
        DATE,
        rubric.id,
        rubric.version,
    )
    assert w.rubric_hash == rubric.content_hash
    assert not w.finalised
    assert store.clients() == ["c01-test"]
    assert store.find_workshop("c01-test") == w
    # The rubric is rebuilt from the store's own copy, identical to the original.
    with open_store(store.path) as other:
        assert other.rubric(wid).content_hash == rubric.content_hash


def test_one_workshop_per_client_and_date(store: Store, wid: int, rubric: Rubric) -> None:
    with pytest.raises(InputError, match="already has a workshop on 2025-05-01"):
        store.create_workshop("c01-test", rubric, date=DATE)
    with pytest.raises(ParameterError, match="not a date"):
        store.create_workshop("c01-test", rubric, date="01/05/2025")
    with pytest.raises(InputError, match="not safe"):
        store.create_workshop("../etc", rubric, date=DATE)


def test_join_is_idempotent_and_case_insensitive(store: Store, wid: int) -> None:
    ann = store.join(wid, "  Ann Lee ", "CMO")
    again = store.join(wid, "ann lee")
    assert again == ann  # same person, role kept when none is given
    assert store.join(wid, "ANN LEE", "CEO").role == "CEO"
    assert [p.name for p in store.participants(wid)] == ["Ann Lee"]
    with pytest.raises(ParameterError, match="participant name is empty"):
        store.join(wid, " \x00 ")
    with pytest.raises(ParameterError, match="too long"):
        store.join(wid, "x" * 200)
    with pytest.raises(InputError, match="no workshop #999"):
        store.join(999, "Bob")


def test_latest_vote_counts_and_history_is_kept(store: Store, wid: int) -> None:
    ann = store.join(wid, "Ann", "CMO")
    bob = store.join(wid, "Bob", "CFO")
    first = store.vote(ann, "strategy_documented", 2)
    store.vote(bob, "strategy_documented", 4)
    last = store.vote(ann, "strategy_documented", "3", comment="after discussion")
    assert last > first
    latest = store.votes(wid)
    assert latest.set_index("respondent")["value"].to_dict() == {"Ann": "3", "Bob": "4"}
    assert latest.set_index("respondent").loc["Ann", "comment"] == "after discussion"
    assert len(store.votes(wid, latest=False)) == store.vote_count(wid) == 3
    assert store.my_votes(ann) == {"strategy_documented": "3"}


def test_a_retried_token_is_recorded_once(store: Store, wid: int) -> None:
    ann = store.join(wid, "Ann")
    one = store.vote(ann, "strategy_documented", 2, token="t-1")
    assert store.vote(ann, "strategy_documented", 2, token="t-1") == one
    assert store.vote_count(wid) == 1


def test_revision_changes_with_every_write(store: Store, wid: int) -> None:
    seen = [store.revision(wid)]
    ann = store.join(wid, "Ann")
    seen.append(store.revision(wid))
    store.vote(ann, "strategy_documented", 2)
    seen.append(store.revision(wid))
    store.set_target(wid, "strategy", 4)
    seen.append(store.revision(wid))
    store.set_note(wid, "strategy_documented", "a draft exists")
    seen.append(store.revision(wid))
    assert seen == sorted(set(seen))


def test_targets_notes_and_agreed_answers(store: Store, wid: int) -> None:
    store.set_target(wid, "strategy", 4)
    store.set_target(wid, "strategy", 3.5)
    assert store.targets(wid) == {"strategy": 3.5}
    with pytest.raises(ParameterError, match="from 1 to 5"):
        store.set_target(wid, "strategy", 7)
    with pytest.raises(ParameterError, match="unknown dimension"):
        store.set_target(wid, "nope", 3)
    store.set_note(wid, "care_coverage", "weekends uncovered <b>!</b>")
    assert store.notes(wid) == {"care_coverage": "weekends uncovered <b>!</b>"}
    store.set_note(wid, "care_coverage", "")
    assert store.notes(wid) == {}
    store.set_agreed(wid, "strategy_documented", 3)
    store.set_agreed(wid, "strategy_exec_sponsor", "yes")
    store.set_agreed(wid, "strategy_exec_sponsor", None)
    assert store.agreed(wid) == {"strategy_documented": "3"}


def test_finalise_closes_the_workshop_until_reopened(store: Store, wid: int) -> None:
    ann = store.join(wid, "Ann")
    store.vote(ann, "strategy_documented", 2)
    store.set_note(wid, "strategy_documented", "owned by marketing")
    w = store.finalise(wid, {"strategy_documented": 3, "care_coverage": "4"}, {"care": 4})
    assert w.finalised
    assert store.agreed(wid) == {"strategy_documented": "3", "care_coverage": "4"}
    assert store.targets(wid) == {"care": 4.0}
    with pytest.raises(InputError, match="finalised"):
        store.vote(ann, "strategy_documented", 5)
    with pytest.raises(InputError, match="finalised"):
        store.set_target(wid, "care", 3)
    store.reopen(wid)
    store.vote(ann, "strategy_documented", 5)
    with pytest.raises(ParameterError, match="nothing to finalise"):
        store.finalise(wid, {})


# -- interchange ---------------------------------------------------------------------------


def test_export_is_the_long_answers_format_and_scores(
    store: Store, wid: int, rubric: Rubric
) -> None:
    ann, bob = store.join(wid, "Ann", "CMO"), store.join(wid, "Bob", "CFO")
    for person, level in ((ann, 2), (bob, 4)):
        store.vote(person, "strategy_documented", level)
        store.vote(person, "strategy_exec_sponsor", level > 3)
    store.vote(ann, "care_first_response_hours", 3.5)
    store.vote(ann, "budget_trend", "NA")
    frame = store.export_answers(wid)
    assert list(frame.columns) == [
        "client_id",
        "date",
        "respondent",
        "role",
        "indicator_id",
        "value",
        "comment",
    ]
    assert set(frame["client_id"]) == {"c01-test"}
    assert set(frame["date"]) == {DATE}
    result = score(rubric, store.answers(wid))
    ind = result.indicators.set_index("indicator_id")
    assert ind.loc["strategy_documented", "level"] == 3.0  # median of 2 and 4
    assert ind.loc["strategy_documented", "n"] == 2
    assert ind.loc["budget_trend", "status"] == "na"
    assert ind.loc["care_first_response_hours", "value"] == 3.5

    store.finalise(wid, {"strategy_documented": 3})
    agreed = store.export_answers(wid, source="agreed")
    assert agreed[["respondent", "indicator_id", "value"]].values.tolist() == [
        [CONSENSUS_RESPONDENT, "strategy_documented", "3"]
    ]
    answers_from_frame(agreed, rubric)
    with pytest.raises(ParameterError, match="source"):
        store.export_answers(wid, source="other")


def test_import_then_export_round_trips_the_samples(store: Store, rubric: Rubric) -> None:
    raw = pd.read_csv(SAMPLES / "answers.csv", dtype=str, keep_default_na=False)
    raw = raw.loc[raw["client_id"].isin(["c01-fanous-souq", "c03-dalia-clinics"])]
    workshops = store.import_answers(raw, rubric)
    assert [(w.client_id, w.date) for w in workshops] == sorted(
        raw[["client_id", "date"]].drop_duplicates().itertuples(index=False, name=None)
    )
    keys = ["client_id", "date", "respondent", "indicator_id"]
    back = pd.concat([store.export_answers(w.id) for w in workshops])
    original = answers_from_frame(raw, rubric).sort_values(keys).reset_index(drop=True)
    again = answers_from_frame(back, rubric).sort_values(keys).reset_index(drop=True)
    assert len(again) == len(raw) == sum(store.vote_count(w.id) for w in workshops)
    for col in [*keys, "role", "comment", "is_na"]:
        assert again[col].astype(str).tolist() == original[col].astype(str).tolist(), col
    pd.testing.assert_series_equal(again["number"], original["number"])


def test_import_validates_everything_before_writing(store: Store, rubric: Rubric) -> None:
    bad = pd.DataFrame(
        [
            ["c01", DATE, "Ann", "CMO", "strategy_documented", "9", ""],
            ["c01", DATE, "Ann", "CMO", "no_such_indicator", "3", ""],
        ],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"],
    )
    with pytest.raises(DataValidationError) as info:
        store.import_answers(bad, rubric)
    assert len(info.value.errors) == 2
    assert store.workshops() == []


def test_import_refuses_a_workshop_with_another_rubric(
    store: Store, rubric: Rubric, small_rubric: Rubric
) -> None:
    store.create_workshop("c01", small_rubric, date=DATE)
    frame = pd.DataFrame(
        [["c01", DATE, "Ann", "CMO", "strategy_documented", "3", ""]],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"],
    )
    with pytest.raises(InputError, match="uses rubric"):
        store.import_answers(frame, rubric)


# -- opening -------------------------------------------------------------------------------


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


def test_memory_store_works_for_quick_use(rubric: Rubric) -> None:
    with open_store(":memory:") as store:
        w = store.create_workshop("c01", rubric, date=DATE)
        store.vote(store.join(w.id, "Ann"), "strategy_documented", 3)
        assert store.vote_count(w.id) == 1


# -- locking -------------------------------------------------------------------------------


def _hold_write_lock(path: str, seconds: float, started: threading.Event) -> None:
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN IMMEDIATE")
    started.set()
    time.sleep(seconds)
    con.execute("COMMIT")
    con.close()


def test_a_busy_store_is_retried_until_the_lock_is_free(tmp_path: Path, rubric: Rubric) -> None:
    path = str(tmp_path / "ws.sqlite")
    with open_store(path) as setup:
        wid = setup.create_workshop("c01", rubric, date=DATE).id
        ann = setup.join(wid, "Ann")
    # A tiny busy timeout forces the retry loop (not only SQLite's busy handler) to do the work.
    with open_store(path, busy_timeout=0.01, retries=12) as store:
        started = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(path, 0.4, started))
        holder.start()
        started.wait(5)
        store.vote(ann, "strategy_documented", 3)
        holder.join()
        assert store.vote_count(wid) == 1


def test_a_store_locked_for_too_long_raises_store_busy(tmp_path: Path, rubric: Rubric) -> None:
    path = str(tmp_path / "ws.sqlite")
    with open_store(path) as setup:
        wid = setup.create_workshop("c01", rubric, date=DATE).id
        ann = setup.join(wid, "Ann")
    with open_store(path, busy_timeout=0.01, retries=2) as store:
        started = threading.Event()
        holder = threading.Thread(target=_hold_write_lock, args=(path, 1.0, started))
        holder.start()
        started.wait(5)
        with pytest.raises(StoreBusyError, match="stayed locked"):
            store.vote(ann, "strategy_documented", 3)
        holder.join()
        assert store.vote_count(wid) == 0


# -- many processes ------------------------------------------------------------------------

PROCESSES = 20
VOTES_EACH = 50
#: Ten anchored indicators: vote j of a participant goes to INDICATORS[j % 10].
INDICATORS = [
    "strategy_documented",
    "strategy_exec_review",
    "team_dedicated_fte",
    "budget_governance",
    "insight_listening_coverage",
    "insight_competitor_tracking",
    "content_channel_map",
    "content_planning",
    "care_coverage",
    "crisis_plan",
]

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from assessment.workshop.store import open_store

    path, wid, p, go = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    indicators = sys.argv[5].split(",")
    store = open_store(path)
    me = store.join(wid, f"participant {p:02d}", "role")
    store.rubric(wid)  # load before the start line so every process starts voting together
    while not go.exists():
        time.sleep(0.005)
    for j in range(int(sys.argv[6])):
        value = (p + j) % 5 + 1
        store.vote(me, indicators[j % len(indicators)], value, token=f"{p}-{j}")
        if j % 10 == 0:
            # A client retrying after a timeout: the token makes the repeat a no-op.
            store.vote(me, indicators[j % len(indicators)], value, token=f"{p}-{j}")
    store.close()
    """
)


@pytest.mark.slow
def test_twenty_processes_fifty_votes_each_lose_and_duplicate_nothing(
    tmp_path: Path, rubric: Rubric
) -> None:
    path = tmp_path / "ws.sqlite"
    with open_store(path) as store:
        wid = store.create_workshop("c01-concurrency", rubric, date=DATE).id
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                str(path),
                str(wid),
                str(p),
                str(go),
                ",".join(INDICATORS),
                str(VOTES_EACH),
            ],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in range(PROCESSES)
    ]
    # Release every process at once once they have all joined, so the writes collide.
    deadline = time.monotonic() + 60
    with open_store(path) as store:
        while len(store.participants(wid)) < PROCESSES and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        go.touch()
        errors = []
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            if proc.returncode:
                errors.append(err[-2000:])
        assert not errors, errors

        history = store.votes(wid, latest=False)
        assert len(history) == store.vote_count(wid) == PROCESSES * VOTES_EACH
        per_person = history.groupby("respondent").size()
        assert (per_person == VOTES_EACH).all()
        assert len(per_person) == PROCESSES

        # Every process's votes are in the store in the order it cast them...
        for p in range(PROCESSES):
            mine = history.loc[history["respondent"] == f"participant {p:02d}"]
            assert mine["vote_id"].is_monotonic_increasing
            cast = [str((p + j) % 5 + 1) for j in range(VOTES_EACH)]
            assert mine["value"].tolist() == cast

        # ...and the latest vote of each participant on each indicator is the one that counts.
        latest = store.votes(wid)
        assert len(latest) == PROCESSES * len(INDICATORS)
        for p in range(PROCESSES):
            mine = latest.loc[latest["respondent"] == f"participant {p:02d}"]
            got = mine.set_index("indicator_id")["value"].to_dict()
            want = {
                INDICATORS[k]: str((p + j) % 5 + 1)
                for k in range(len(INDICATORS))
                for j in [max(j for j in range(VOTES_EACH) if j % len(INDICATORS) == k)]
            }
            assert got == want
        answers = store.answers(wid)
        assert len(answers) == PROCESSES * len(INDICATORS)
