"""The pure logic: answer choices, levels, targets, consensus, the live state, proposals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from helpers import SAMPLES
from helpers.workshop import CLIENT, DATE

from assessment import workshop as ws
from assessment.exceptions import DataValidationError
from assessment.inputs import load_clients, load_targets
from assessment.rubric import Rubric
from assessment.scoring import score
from assessment.workshop.store import Store


def test_choices_follow_the_indicator_kind(rubric: Rubric, small_rubric: Rubric) -> None:
    anchored = ws.choices(rubric, "strategy_documented")
    assert [c.value for c in anchored] == ["1", "2", "3", "4", "5"]
    assert anchored[2].label.startswith("3 · ")
    assert anchored[2].descriptor == rubric.indicator("strategy_documented").level_text(3)
    assert [c.value for c in ws.choices(rubric, "content_paid_influencer")][-1] == "NA"
    assert ws.choices(rubric, "care_first_response_hours") == []
    assert [c.value for c in ws.choices(rubric, "advocacy_active_pct")] == ["NA"]
    # Rubric 2.0 has no yes/no indicator; the 4-level test rubric's owner_named is one.
    boolean = ws.choices(small_rubric, "owner_named")
    assert [(c.value, c.level) for c in boolean] == [("yes", 4), ("no", 1)]
    assert [c.label for c in ws.choices(small_rubric, "owner_named", "ar")] == ["نعم", "لا"]


def test_bands_describe_measured_levels(rubric: Rubric) -> None:
    care = ws.bands(rubric, "care_first_response_hours")
    assert [b[1] for b in care] == [
        "> 24 hours",
        "4–24 hours",
        "1–4 hours",
        "0.5–1 hours",
        "≤ 0.5 hours",
    ]
    higher = ws.bands(rubric, "care_response_rate_pct")
    assert higher[0][1] == "< 20 percent"
    assert higher[-1][1] == "≥ 95 percent"
    assert ws.bands(rubric, "strategy_documented") == []


def test_level_of_a_stored_vote(rubric: Rubric, small_rubric: Rubric) -> None:
    assert ws.level_of(rubric, "strategy_documented", "4") == 4.0
    assert ws.level_of(small_rubric, "owner_named", "yes") == 4.0
    assert ws.level_of(rubric, "care_first_response_hours", "3") == 3.0
    assert math.isnan(ws.level_of(rubric, "content_paid_influencer", "NA"))


def test_initial_targets_use_the_clients_profile(rubric: Rubric) -> None:
    assert set(ws.initial_targets(rubric).values()) == {5.0}
    targets = load_targets(SAMPLES / "targets.csv", rubric)
    clients = load_clients(SAMPLES / "clients.csv", rubric, targets=targets)
    brand = ws.initial_targets(rubric, client_id=CLIENT, clients=clients, targets=targets)
    profile = rubric.target_profile("consumer_brand")
    assert brand == {
        d.id: float(profile.dimensions.get(d.id, profile.default)) for d in rubric.dimensions
    }
    own = ws.initial_targets(
        rubric, client_id="c03-dalia-clinics", clients=clients, targets=targets
    )
    assert own["strategy"] == 3.5


def test_consensus_puts_disagreement_first(store: Store, voted_wid: int) -> None:
    state = ws.load_state(store, voted_wid, {})
    table = state.consensus
    first = table.iloc[0]
    assert first["indicator_id"] == "strategy_documented"
    assert bool(first["hotspot"])
    assert first["distribution"] == (2, 0, 0, 0, 1)
    assert first["level"] == 1.0
    assert first["range"] == 4.0
    same = table.set_index("indicator_id").loc["strategy_exec_sponsor"]
    assert same["distribution"] == (0, 0, 3, 0, 0)
    assert same["rwg"] == 1.0
    assert not same["hotspot"]
    care = table.set_index("indicator_id").loc["care_first_response_hours"]
    assert care["distribution"] == (0, 1, 2, 0, 0)  # 2 h and 4 h are level 3, 6 h level 2
    assert care["value"] == 4.0
    assert table.set_index("indicator_id").loc["content_paid_influencer", "status"] == "na"
    hot = table["hotspot"].to_numpy()
    assert not (np.diff(hot.astype(int)) > 0).any(), "hotspots must come first"
    assert len(table) == len(state.rubric.indicator_table)


def test_fast_answers_score_exactly_like_the_validated_ones(store: Store, rubric: Rubric) -> None:
    raw = pd.read_csv(SAMPLES / "answers.csv", dtype=str, keep_default_na=False)
    raw = raw.loc[(raw["client_id"] == CLIENT) & (raw["date"] == raw["date"].min())]
    (w,) = store.import_answers(raw, rubric)
    votes = store.votes(w.id)
    fast = ws.answers_from_votes(votes, rubric, w)
    slow = store.answers(w.id)
    cols = ["client_id", "date", "respondent", "role_id", "indicator_id", "number", "is_na", "kind"]
    cols += ["evidence", "dimension_id"]
    key = ["respondent", "indicator_id"]
    pd.testing.assert_frame_equal(
        fast[cols].astype(str).sort_values(key).reset_index(drop=True),
        slow[cols].astype(str).sort_values(key).reset_index(drop=True),
    )
    a, b = score(rubric, fast), score(rubric, slow)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions)
    pd.testing.assert_frame_equal(a.overall, b.overall)


def test_imported_facts_feed_the_computed_indicator_not_the_agenda(
    store: Store, rubric: Rubric
) -> None:
    raw = pd.read_csv(SAMPLES / "answers.csv", dtype=str, keep_default_na=False)
    raw = raw.loc[(raw["client_id"] == CLIENT) & (raw["date"] == raw["date"].min())]
    (w,) = store.import_answers(raw, rubric)
    state = ws.load_state(store, w.id, {})
    table = state.consensus.set_index("indicator_id")
    assert list(table.index.sort_values()) == sorted(rubric.indicator_table.index)
    # The care desk's facts give the capacity ratio; nobody votes on it.
    assert table.loc["team_capacity_ratio", "status"] == "answered"
    assert table.loc["team_capacity_ratio", "value"] > 0
    assert sum(table.loc["team_capacity_ratio", "distribution"]) == 0


def test_fast_answers_fall_back_to_full_validation(
    store: Store, voted_wid: int, rubric: Rubric
) -> None:
    votes = store.votes(voted_wid)
    votes.loc[0, "value"] = "seven"  # not what the store writes: e.g. a hand-edited file
    with pytest.raises(DataValidationError, match="problem"):
        ws.answers_from_votes(votes, rubric, store.workshop(voted_wid))
    state = ws.compute_state(store.workshop(voted_wid), rubric, votes, targets={})
    assert "expected a level" in state.error
    assert state.result is None


def test_state_without_votes_is_empty_but_complete(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c09", rubric, date=DATE)
    state = ws.load_state(store, w.id, ws.initial_targets(rubric))
    assert state.n_votes == 0
    assert state.result is None
    assert all(math.isnan(v) for v in state.scores.values())
    assert (state.consensus["n"] == 0).all()
    assert not state.consensus["hotspot"].any()
    assert ws.proposed_answers(state) == {}


def test_unvoted_gated_dimensions_are_not_drawn(store: Store, voted_wid: int) -> None:
    # care has gates; only one of its indicators has votes, crisis has none at all.
    scores = ws.load_state(store, voted_wid, {}).scores
    assert math.isnan(scores["crisis"])
    assert math.isnan(scores["measurement"])
    assert not math.isnan(scores["strategy"])


def test_proposed_answers_are_cautious_and_agreement_wins(store: Store, voted_wid: int) -> None:
    state = ws.load_state(store, voted_wid, {})
    proposed = ws.proposed_answers(state)
    assert proposed == {
        "strategy_documented": "1",
        "strategy_exec_sponsor": "3",
        "care_first_response_hours": "4",
        "content_paid_influencer": "NA",
    }
    store.set_agreed(voted_wid, "strategy_documented", 2)
    assert ws.proposed_answers(ws.load_state(store, voted_wid, {}))["strategy_documented"] == "2"


def test_yes_no_proposals_take_the_majority_and_a_tie_is_no(
    store: Store, small_rubric: Rubric
) -> None:
    # A necessary condition the room does not agree on has not been shown.
    w = store.create_workshop("c11", small_rubric, date=DATE)
    people = [store.join(w.id, name) for name in ("A", "B", "C", "D")]
    for person, vote in zip(people, ["yes", "no", "no", "yes"], strict=True):
        store.vote(person, "owner_named", vote)
    assert ws.proposed_answers(ws.load_state(store, w.id, {}))["owner_named"] == "no"
    store.vote(people[1], "owner_named", "yes")
    assert ws.proposed_answers(ws.load_state(store, w.id, {}))["owner_named"] == "yes"


def test_median_between_levels_rounds_down(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c10", rubric, date=DATE)
    for name, level in [("A", 3), ("B", 4)]:
        store.vote(store.join(w.id, name), "strategy_documented", level)
    state = ws.load_state(store, w.id, {})
    assert state.consensus.set_index("indicator_id").loc["strategy_documented", "level"] == 3.5
    assert ws.proposed_answers(state)["strategy_documented"] == "3"
