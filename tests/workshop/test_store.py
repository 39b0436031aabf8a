"""The workshop store: workshops, votes, targets, notes, and many concurrent writers."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from helpers import ROOT
from helpers.workshop import EMPTY_DATE as DATE

from assessment.exceptions import InputError, ParameterError
from assessment.rubric import Rubric
from assessment.workshop.store import Store, StoreBusyError, open_store


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
    store.set_agreed(wid, "strategy_exec_sponsor", "4")
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


def test_memory_store_works_for_quick_use(rubric: Rubric) -> None:
    with open_store(":memory:") as store:
        w = store.create_workshop("c01", rubric, date=DATE)
        store.vote(store.join(w.id, "Ann"), "strategy_documented", 3)
        assert store.vote_count(w.id) == 1


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


PROCESSES = 20


VOTES_EACH = 50


INDICATORS = [
    "strategy_documented",
    "strategy_exec_sponsor",
    "team_development",
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


def test_add_votes_writes_all_or_nothing(store: Store, wid: int, rubric: Rubric) -> None:
    ann, bob = store.join(wid, "Ann"), store.join(wid, "Bob")
    store.add_votes(
        wid, [(ann, "strategy_documented", 2, ""), (bob, "content_paid_influencer", "n/a", "x")]
    )
    assert store.votes(wid)[["respondent", "value", "comment"]].values.tolist() == [
        ["Ann", "2", ""],
        ["Bob", "NA", "x"],
    ]
    revision = store.revision(wid)
    with pytest.raises(ParameterError, match="whole level"):
        store.add_votes(wid, [(ann, "strategy_exec_sponsor", 3, ""), (bob, "crisis_plan", 9, "")])
    other = store.create_workshop("c02-test", rubric, date=DATE)
    stranger = store.join(other.id, "Cy")
    with pytest.raises(ParameterError, match="joined workshop #"):
        store.add_votes(wid, [(stranger, "strategy_documented", 2, "")])
    assert store.vote_count(wid) == 2
    assert store.revision(wid) == revision
