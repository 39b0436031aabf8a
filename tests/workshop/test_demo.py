"""The demo store: seeded once from the samples, safely when kernels start together."""

from __future__ import annotations

from pathlib import Path

from helpers.workshop import CLIENT

from assessment import workshop as ws
from assessment.workshop.store import open_store


def test_demo_store_is_seeded_once_from_the_samples(tmp_path: Path) -> None:
    path = ws.demo_store(tmp_path / "demo.sqlite")
    with open_store(path) as store:
        clients = store.clients()
        assert CLIENT in clients
        assert "c12-jasmine-bridges" in clients  # the forms export is imported too
        n = sum(store.vote_count(w.id) for w in store.workshops())
    assert ws.demo_store(path) == path
    with open_store(path) as store:
        assert sum(store.vote_count(w.id) for w in store.workshops()) == n
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".seeding-")]
