"""Fixtures of the workshop tests: a store, an empty and a voted workshop, the facilitator's app.

Plain values and helpers (the workshops' client and date, widget finders) are in
:mod:`helpers.workshop`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers.workshop import CLIENT, DATE, EMPTY_CLIENT, EMPTY_DATE

from assessment import workshop as ws
from assessment.rubric import Rubric
from assessment.workshop.store import Store, open_store


@pytest.fixture(name="store")
def fixture_store(tmp_path: Path) -> Iterator[Store]:
    """A store in a fresh file, closed after the test."""
    with open_store(tmp_path / "ws.sqlite") as store:
        yield store


@pytest.fixture(name="wid")
def fixture_wid(store: Store, rubric: Rubric) -> int:
    """An empty workshop (no participant yet) of ``EMPTY_CLIENT`` on ``EMPTY_DATE``."""
    return store.create_workshop(EMPTY_CLIENT, rubric, date=EMPTY_DATE).id


@pytest.fixture(name="voted_wid")
def fixture_voted_wid(store: Store, rubric: Rubric) -> int:
    """A workshop where three people voted on a few indicators (two of them disagree)."""
    w = store.create_workshop(CLIENT, rubric, date=DATE)
    ann, bob, cy = (store.join(w.id, n, r) for n, r in [("Ann", "CMO"), ("Bob", "CFO"), ("Cy", "")])
    for person, split, same, hours in [(ann, 1, 3, 2), (bob, 5, 3, 6), (cy, 1, 3, 4)]:
        store.vote(person, "strategy_documented", split)
        store.vote(person, "strategy_exec_sponsor", same)
        store.vote(person, "care_first_response_hours", hours)
    store.vote(ann, "content_paid_influencer", "NA")
    return w.id


@pytest.fixture(name="app")
def fixture_app(store: Store, voted_wid: int) -> ws.FacilitatorApp:
    """The facilitator's app on the voted workshop, writing reports next to the store."""
    return ws.FacilitatorApp(store, voted_wid, reports_dir=str(Path(store.path).parent / "reports"))


class StandInEngine:
    """Stands in for the process's kept engine (:func:`assessment.workshop.render.kept_engine`)."""

    def __init__(self) -> None:
        self.starts = 0

    def start(self) -> None:
        self.starts += 1

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a test rendered with the stand-in engine ({name})")


@pytest.fixture(name="kept_engine", autouse=True)
def fixture_kept_engine(monkeypatch: pytest.MonkeyPatch) -> StandInEngine:
    """The kept engine the notebook's app gets: a stand-in, so that no test leaves a warm fork
    server running for the rest of the session (the real one is tested in ``test_render``)."""
    engine = StandInEngine()
    monkeypatch.setattr("assessment.workshop.render._KEPT", engine)
    return engine
