"""Workshop logic and widgets, driven programmatically; the notebooks under papermill; the CLI."""

from __future__ import annotations

import asyncio
import math
import socket
import threading
from pathlib import Path
from typing import Any

import nbformat
import numpy as np
import pandas as pd
import papermill as pm
import pytest
from click.testing import CliRunner
from helpers import ROOT, SAMPLES, execute_notebook

from assessment import cli
from assessment import workshop as ws
from assessment.exceptions import DataValidationError, InputError, ParameterError
from assessment.inputs import load_clients, load_targets
from assessment.rubric import Rubric, load_rubric
from assessment.scoring import score
from assessment.workshop.store import CONSENSUS_RESPONDENT, Store, open_store

DATE = "2025-06-01"
CLIENT = "c01-fanous-souq"


@pytest.fixture(name="store")
def fixture_store(tmp_path: Path) -> Store:
    with open_store(tmp_path / "ws.sqlite") as store:
        yield store


@pytest.fixture(name="wid")
def fixture_wid(store: Store, rubric: Rubric) -> int:
    """A workshop where three people voted on a few indicators (two of them disagree)."""
    w = store.create_workshop(CLIENT, rubric, date=DATE)
    ann, bob, cy = (store.join(w.id, n, r) for n, r in [("Ann", "CMO"), ("Bob", "CFO"), ("Cy", "")])
    for person, split, same, sponsor, hours in [
        (ann, 1, 3, "yes", 2),
        (bob, 5, 3, "no", 6),
        (cy, 1, 3, "no", 4),
    ]:
        store.vote(person, "strategy_documented", split)
        store.vote(person, "strategy_exec_review", same)
        store.vote(person, "strategy_exec_sponsor", sponsor)
        store.vote(person, "care_first_response_hours", hours)
    store.vote(ann, "budget_trend", "NA")
    return w.id


def find(widget: Any, cls: str) -> list[Any]:
    """Every widget below ``widget`` carrying the DOM class ``cls``."""
    out = []
    if cls in getattr(widget, "_dom_classes", ()):
        out.append(widget)
    for child in getattr(widget, "children", ()):
        out.extend(find(child, cls))
    return out


# -- settings ------------------------------------------------------------------------------


def test_settings_take_unset_parameters_from_the_environment() -> None:
    env = {
        "ASSESSMENT_WORKSHOP_STORE": "/data/ws.sqlite",
        "ASSESSMENT_WORKSHOP_ID": "7",
        "ASSESSMENT_WORKSHOP_POLL": "1.5",
        "ASSESSMENT_WORKSHOP_LANG": "ar",
    }
    cfg = ws.settings(env, client_id="c02")
    assert cfg.store == "/data/ws.sqlite"
    assert cfg.workshop_id == 7
    assert cfg.poll_seconds == 1.5
    assert cfg.lang == "ar"
    assert cfg.client_id == "c02"
    # A parameter given explicitly wins over the environment.
    assert ws.settings(env, store="/elsewhere.sqlite").store == "/elsewhere.sqlite"
    assert ws.settings({}) == ws.Settings()


@pytest.mark.parametrize(
    ("env", "params", "fragment"),
    [
        ({"ASSESSMENT_WORKSHOP_ID": "seven"}, {}, "expected int"),
        ({}, {"lang": "fr"}, "lang must be one of"),
        ({}, {"poll_seconds": -1.0}, "poll_seconds"),
        ({}, {"workshop_id": -2}, "workshop_id"),
        ({}, {"colour": "red"}, "unknown workshop setting"),
    ],
)
def test_bad_settings_are_parameter_errors(
    env: dict[str, str], params: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ParameterError, match=fragment):
        ws.settings(env, **params)


def test_query_parameters_come_from_voilas_query_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "name=Layla%20H.&role=Head+of+social&workshop=3&x=1")
    assert ws.query_parameters() == {"name": "Layla H.", "role": "Head of social", "workshop": "3"}
    assert ws.query_parameters("?name=") == {"name": ""}
    assert ws.query_parameters("") == {}


# -- choices, bands, levels ----------------------------------------------------------------


def test_choices_follow_the_indicator_kind(rubric: Rubric) -> None:
    anchored = ws.choices(rubric, "strategy_documented")
    assert [c.value for c in anchored] == ["1", "2", "3", "4", "5"]
    assert anchored[2].label.startswith("3 · ")
    assert anchored[2].descriptor == rubric.indicator("strategy_documented").level_text(3)
    boolean = ws.choices(rubric, "strategy_exec_sponsor")
    assert [(c.value, c.level) for c in boolean] == [("yes", 4), ("no", 1)]
    assert [c.value for c in ws.choices(rubric, "budget_trend")][-1] == "NA"
    assert ws.choices(rubric, "care_first_response_hours") == []
    assert [c.value for c in ws.choices(rubric, "crisis_holding_response_hours")] == ["NA"]
    assert [c.label for c in ws.choices(rubric, "strategy_exec_sponsor", "ar")] == ["نعم", "لا"]


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


def test_level_of_a_stored_vote(rubric: Rubric) -> None:
    assert ws.level_of(rubric, "strategy_documented", "4") == 4.0
    assert ws.level_of(rubric, "strategy_exec_sponsor", "yes") == 4.0
    assert ws.level_of(rubric, "care_first_response_hours", "3") == 3.0
    assert math.isnan(ws.level_of(rubric, "budget_trend", "NA"))


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


# -- consensus and state -------------------------------------------------------------------


def test_consensus_puts_disagreement_first(store: Store, wid: int) -> None:
    state = ws.load_state(store, wid, {})
    table = state.consensus
    first = table.iloc[0]
    assert first["indicator_id"] == "strategy_documented"
    assert bool(first["hotspot"])
    assert first["distribution"] == (2, 0, 0, 0, 1)
    assert first["level"] == 1.0
    assert first["range"] == 4.0
    same = table.set_index("indicator_id").loc["strategy_exec_review"]
    assert same["distribution"] == (0, 0, 3, 0, 0)
    assert same["rwg"] == 1.0
    assert not same["hotspot"]
    care = table.set_index("indicator_id").loc["care_first_response_hours"]
    assert care["distribution"] == (0, 1, 2, 0, 0)  # 2 h and 4 h are level 3, 6 h level 2
    assert care["value"] == 4.0
    assert table.set_index("indicator_id").loc["budget_trend", "status"] == "na"
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
    cols = ["client_id", "date", "respondent", "indicator_id", "number", "is_na", "kind"]
    key = ["respondent", "indicator_id"]
    pd.testing.assert_frame_equal(
        fast[cols].astype(str).sort_values(key).reset_index(drop=True),
        slow[cols].astype(str).sort_values(key).reset_index(drop=True),
    )
    a, b = score(rubric, fast), score(rubric, slow)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    pd.testing.assert_frame_equal(a.dimensions, b.dimensions)
    pd.testing.assert_frame_equal(a.overall, b.overall)


def test_fast_answers_fall_back_to_full_validation(store: Store, wid: int, rubric: Rubric) -> None:
    votes = store.votes(wid)
    votes.loc[0, "value"] = "seven"  # not what the store writes: e.g. a hand-edited file
    with pytest.raises(DataValidationError, match="problem"):
        ws.answers_from_votes(votes, rubric, store.workshop(wid))
    state = ws.compute_state(store.workshop(wid), rubric, votes, targets={})
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


def test_unvoted_gated_dimensions_are_not_drawn(store: Store, wid: int) -> None:
    # care has gates; only one of its indicators has votes, crisis has none at all.
    scores = ws.load_state(store, wid, {}).scores
    assert math.isnan(scores["crisis"])
    assert math.isnan(scores["measurement"])
    assert not math.isnan(scores["strategy"])


def test_proposed_answers_are_cautious_and_agreement_wins(store: Store, wid: int) -> None:
    state = ws.load_state(store, wid, {})
    proposed = ws.proposed_answers(state)
    assert proposed == {
        "strategy_documented": "1",
        "strategy_exec_sponsor": "no",
        "strategy_exec_review": "3",
        "care_first_response_hours": "4",
        "budget_trend": "NA",
    }
    store.set_agreed(wid, "strategy_documented", 2)
    assert ws.proposed_answers(ws.load_state(store, wid, {}))["strategy_documented"] == "2"


def test_median_between_levels_rounds_down(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c10", rubric, date=DATE)
    for name, level in [("A", 3), ("B", 4)]:
        store.vote(store.join(w.id, name), "strategy_documented", level)
    state = ws.load_state(store, w.id, {})
    assert state.consensus.set_index("indicator_id").loc["strategy_documented", "level"] == 3.5
    assert ws.proposed_answers(state)["strategy_documented"] == "3"


def test_html_fragments_escape_rubric_texts(small_rubric: Rubric, tmp_path: Path) -> None:
    data = small_rubric.model_dump(mode="json")
    evil = "<img src=x onerror=alert(1)>"
    data["dimensions"][0]["indicators"][0]["name"] = {"en": evil}
    data["dimensions"][0]["name"] = {"en": evil}
    rubric = load_rubric(data)
    first = rubric.dimensions[0].indicators[0]
    with open_store(tmp_path / "x.sqlite") as store:
        w = store.create_workshop("c01", rubric, date=DATE)
        store.vote(store.join(w.id, "<b>Eve</b>"), first.id, 1)
        state = ws.load_state(store, w.id, ws.initial_targets(rubric))
        html = ws.consensus_html(state) + ws.status_html(state)
        assert evil not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        app = ws.FacilitatorApp(store, w.id)
        markup = "".join(
            getattr(x, "value", "") for x in _walk(app.widget) if type(x).__name__ == "HTML"
        )
        assert evil not in markup


def _walk(widget: Any) -> list[Any]:
    out = [widget]
    for child in getattr(widget, "children", ()):
        out.extend(_walk(child))
    return out


# -- the radar -----------------------------------------------------------------------------


def test_live_radar_draws_scores_and_targets(rubric: Rubric) -> None:
    radar = ws.LiveRadar(rubric)
    ids = [d.id for d in rubric.dimensions]
    nan = dict.fromkeys(ids, math.nan)
    empty = radar.png(nan, dict.fromkeys(ids, 4.0))
    assert empty.startswith(b"\x89PNG")
    assert not radar.fill.get_visible()
    scores = {d: 1.0 + k % 4 for k, d in enumerate(ids)}
    full = radar.png(scores, dict.fromkeys(ids, 4.0))
    assert full != empty
    assert radar.fill.get_visible()
    assert list(radar.current.get_ydata()) == [*scores.values(), scores[ids[0]]]
    assert list(radar.target.get_ydata()) == [4.0] * (len(ids) + 1)
    # The same data gives the same picture: only the polygons are redrawn.
    assert radar.png(nan, dict.fromkeys(ids, 4.0)) == empty


# -- the facilitator app -------------------------------------------------------------------


@pytest.fixture(name="app")
def fixture_app(store: Store, wid: int) -> ws.FacilitatorApp:
    return ws.FacilitatorApp(store, wid, reports_dir=str(Path(store.path).parent / "reports"))


def test_facilitator_shows_votes_radar_and_agenda(app: ws.FacilitatorApp) -> None:
    assert "data-votes='13'" in app.status.value
    assert "3 participants" in app.status.value
    assert bytes(app.radar_image.value).startswith(b"\x89PNG")
    assert app.tabs.titles[0] == "Agenda"
    assert len(app.tabs.children) == 1 + len(app.rubric.dimensions)
    first_row = app.consensus_panel.value.index("data-indicator=")
    assert "strategy_documented" in app.consensus_panel.value[first_row : first_row + 60]
    summary = app._cards["strategy_documented"].summary.value
    assert "3 votes" in summary
    assert "Hotspot" in summary


def test_a_new_vote_reaches_the_facilitator(app: ws.FacilitatorApp, store: Store) -> None:
    before_png = bytes(app.radar_image.value)
    before = app.state.scores["team"]
    assert math.isnan(before)
    assert app.refresh() is False  # nothing changed in the store
    dana = store.join(app.workshop_id, "Dana", "COO")
    store.vote(dana, "team_dedicated_fte", 4)
    assert app.refresh() is True
    assert app.state.scores["team"] == 4.0
    assert "data-votes='14'" in app.status.value
    assert "4 participants" in app.status.value
    assert bytes(app.radar_image.value) != before_png
    assert "1 votes" in app._cards["team_dedicated_fte"].summary.value


def test_target_slider_writes_the_store_and_moves_the_radar(
    app: ws.FacilitatorApp, store: Store
) -> None:
    before = bytes(app.radar_image.value)
    app._target_sliders["care"].value = 3.0  # as if the facilitator dragged it
    assert store.targets(app.workshop_id) == {"care": 3.0}
    assert app.state.targets["care"] == 3.0
    assert bytes(app.radar_image.value) != before
    assert app._radar.target.get_ydata()[[d.id for d in app.rubric.dimensions].index("care")] == 3


def test_agreeing_answers_and_notes_from_the_cards(app: ws.FacilitatorApp, store: Store) -> None:
    app._cards["strategy_documented"].agree.value = "2"
    app._cards["strategy_exec_sponsor"].agree.value = "yes"
    app._cards["care_first_response_hours"].agree.value = "3,5"
    app._cards["strategy_documented"].note.value = "Draft strategy exists; not approved."
    assert store.agreed(app.workshop_id) == {
        "strategy_documented": "2",
        "strategy_exec_sponsor": "yes",
        "care_first_response_hours": "3.5",
    }
    assert store.notes(app.workshop_id) == {
        "strategy_documented": "Draft strategy exists; not approved."
    }
    app._cards["strategy_exec_sponsor"].agree.value = None
    assert "strategy_exec_sponsor" not in store.agreed(app.workshop_id)


def test_a_bad_value_shows_one_message_and_changes_nothing(
    app: ws.FacilitatorApp, store: Store
) -> None:
    app._cards["care_first_response_hours"].agree.value = "fast"
    assert "expected a number in hours" in app.messages.last
    assert "ws-error" in app.messages.last
    assert store.agreed(app.workshop_id) == {}
    app.set_target("care", 3.0)
    with pytest.raises(ParameterError):
        app.set_target("care", 9.0)  # direct calls raise; the widgets route through _guard


def test_finalise_then_reopen(app: ws.FacilitatorApp, store: Store) -> None:
    app._target_sliders["care"].value = 3.5
    app._cards["strategy_documented"].agree.value = "2"
    app.finalise_button.click()
    w = store.workshop(app.workshop_id)
    assert w.finalised
    agreed = store.agreed(app.workshop_id)
    assert agreed["strategy_documented"] == "2"  # the room's answer, not the votes' median
    assert agreed["strategy_exec_review"] == "3"
    assert store.targets(app.workshop_id)["care"] == 3.5
    assert len(store.targets(app.workshop_id)) == len(app.rubric.dimensions)
    assert app.finalise_button.disabled
    assert not app.report_button.disabled
    assert app._target_sliders["care"].disabled
    assert "Finalised" in app.messages.last
    frame = store.export_answers(app.workshop_id, source="agreed")
    assert set(frame["respondent"]) == {CONSENSUS_RESPONDENT}
    app.reopen_button.click()
    assert not store.workshop(app.workshop_id).finalised
    assert not app.finalise_button.disabled


def test_switching_and_creating_workshops(app: ws.FacilitatorApp, store: Store) -> None:
    other = store.create_workshop("c05-nayzak-mobile", app.rubric, date=DATE)
    app._fill_pickers()
    app.client_picker.value = "c05-nayzak-mobile"
    assert app.workshop_id == other.id
    assert "data-votes='0'" in app.status.value
    app.client_picker.value = CLIENT
    created = app.new_workshop(date="2025-07-01")
    assert app.workshop_id == created.id
    assert [label for label, _ in app.workshop_picker.options][-1].startswith(f"{CLIENT} 2025-07")
    app.workshop_picker.value = next(i for _, i in app.workshop_picker.options)
    assert app.workshop_id != created.id
    app.new_button.click()  # today's workshop
    assert store.workshop(app.workshop_id).date == pd.Timestamp.today().strftime("%Y-%m-%d")
    app.new_button.click()  # again: one clear message, no exception
    assert "already has a workshop" in app.messages.last


def test_polling_picks_up_votes_in_a_running_loop(app: ws.FacilitatorApp, store: Store) -> None:
    # No running loop (plain Python): nothing to poll from.  Checked in a fresh thread, since
    # earlier tests in this process may leave the main thread's loop marked as running.
    outside: list = []
    worker = threading.Thread(target=lambda: outside.append(app.start_polling(0.05)))
    worker.start()
    worker.join()
    assert outside == [None]

    async def scenario() -> None:
        task = app.start_polling(0.05)
        assert task is not None
        store.vote(store.join(app.workshop_id, "Eli"), "team_dedicated_fte", 2)
        for _ in range(100):
            await asyncio.sleep(0.02)
            if app.state.scores["team"] == 2.0:
                break
        app.stop_polling()
        await asyncio.sleep(0)
        assert task.cancelled()

    # In a fresh thread with its own loop: earlier tests in this process (nbclient) may leave
    # the main thread's loop running, where asyncio.run() refuses to start.
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as exc:
            errors.append(exc)

    runner = threading.Thread(target=run)
    runner.start()
    runner.join()
    if errors:
        raise errors[0]
    assert app.state.scores["team"] == 2.0
    assert app.start_polling(0) is None


# -- the participant app -------------------------------------------------------------------


def test_participant_votes_one_indicator_at_a_time(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c07", rubric, date=DATE)
    app = ws.VoteApp(store, w.id)
    assert app.participant is None
    assert find(app.widget, "ws-start")
    app.start_button.click()  # no name yet
    assert "participant name is empty" in app.messages.last
    app.name_box.value, app.role_box.value = "Ann", "CMO"
    app.start_button.click()
    assert app.participant is not None
    assert app.participant.role == "CMO"
    assert app.current == "strategy_documented"
    find(app.body, "ws-choice-4")[0].click()
    assert store.my_votes(app.participant) == {"strategy_documented": "4"}
    assert "Saved" in app.messages.last
    assert app.current == "strategy_exec_sponsor"  # moved on
    assert "data-done='1'" in app.progress_text.value
    assert app.progress.value == 1
    find(app.body, "ws-choice-yes")[0].click()
    app.go(-2)
    assert app.current == "strategy_documented"
    chosen = find(app.body, "ws-choice-4")[0]
    assert chosen.button_style == "primary"
    assert chosen.description.startswith("✓")
    find(app.body, "ws-choice-5")[0].click()  # a change of mind: the latest vote counts
    assert store.my_votes(app.participant)["strategy_documented"] == "5"
    assert store.vote_count(w.id) == 3


def test_participant_measured_na_and_navigation(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c07", rubric, date=DATE)
    app = ws.VoteApp(store, w.id)
    app.start("Bo")
    app.go_to_dimension("care")
    assert app.current == "care_first_response_hours"
    number = find(app.body, "ws-number")[0]
    number.value = "soon"
    find(app.body, "ws-save")[0].click()
    assert "expected a number in hours" in app.messages.last
    assert app.current == "care_first_response_hours"
    number.value = "2,5"
    find(app.body, "ws-save")[0].click()
    assert store.my_votes(app.participant) == {"care_first_response_hours": "2.5"}
    app.go_to_dimension("budget")
    app.go(2)
    assert app.current == "budget_trend"
    find(app.body, "ws-choice-NA")[0].click()
    assert store.my_votes(app.participant)["budget_trend"] == "NA"
    app.go(-100)
    assert app.position == 0
    app.go(100)
    assert app.position == len(app.indicators) - 1


def test_a_participant_resumes_after_closing_the_tab(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c07", rubric, date=DATE)
    first = ws.VoteApp(store, w.id)
    first.start("Cy")
    for _ in range(3):
        find(first.body, "ws-choice")[0].click()
    again = ws.VoteApp(store, w.id)
    again.start("cy")  # same person, another device or a reopened tab
    assert again.answers == first.answers
    assert again.position == 3
    assert "data-done='3'" in again.progress_text.value


def test_votes_are_refused_after_finalisation(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c07", rubric, date=DATE)
    app = ws.VoteApp(store, w.id)
    app.start("Di")
    store.finalise(w.id, {"strategy_documented": 3})
    find(app.body, "ws-choice-2")[0].click()
    assert "finalised" in app.messages.last
    assert store.vote_count(w.id) == 0


def test_vote_app_reads_name_and_workshop_from_the_url(store: Store, wid: int) -> None:
    app = ws.vote_app(store=store.path, query=f"name=Fay%20Z&role=CEO&workshop={wid}")
    assert app.workshop_id == wid
    assert app.participant is not None
    assert (app.participant.name, app.participant.role) == ("Fay Z", "CEO")
    # Without a name: the sign-in screen, pre-filled from whatever the URL had.
    blank = ws.vote_app(store=store.path, query="role=CTO")
    assert blank.participant is None
    assert blank.role_box.value == "CTO"


def test_facilitator_app_from_the_environment(
    store: Store, wid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_STORE", store.path)
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_CLIENT", CLIENT)
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_CLIENTS", str(SAMPLES / "clients.csv"))
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_TARGETS", str(SAMPLES / "targets.csv"))
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_POLL", "2")
    app = ws.facilitator_app()
    assert app.workshop_id == wid
    assert app.clients is not None
    # consumer_brand, the client's profile, starts the sliders.
    profile = app.rubric.target_profile("consumer_brand")
    assert app.state.targets["content"] == float(profile.dimensions.get("content", 5.0))
    with pytest.raises(InputError, match="not 'c99'"):
        ws.facilitator_app(client_id="c99", workshop_id=wid)


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


def test_resolve_workshop_creates_or_refuses(store: Store, rubric: Rubric) -> None:
    with pytest.raises(InputError, match="holds no workshop"):
        ws.resolve_workshop(store)
    with pytest.raises(InputError, match="has no workshop"):
        ws.resolve_workshop(store, client_id="c01", create=False)
    w = ws.resolve_workshop(store, client_id="c01")
    assert ws.resolve_workshop(store) == w
    assert ws.resolve_workshop(store, workshop_id=w.id) == w


# -- the report ----------------------------------------------------------------------------


@pytest.mark.slow
def test_finalised_workshop_renders_the_client_report(
    app: ws.FacilitatorApp, store: Store, rubric: Rubric
) -> None:
    with pytest.raises(InputError, match="not finalised"):
        ws.render_report(store, app.workshop_id, out_dir=Path(store.path).parent / "r")
    # Agree every indicator so the report scores every dimension.
    for _, ind in rubric.iter_indicators():
        value = "3" if ind.kind == "anchored" else ("yes" if ind.kind == "boolean" else "1")
        app.set_agreed(ind.id, value)
    app.set_note("strategy_documented", "Board <approved> the plan")
    app.finalise()
    path = app.render_report()
    folder = Path(app.reports_dir).resolve() / "workshops" / f"{CLIENT}-{DATE}"
    assert path == folder / CLIENT / "report.html"
    # Only the workshop's own folder is written: a batch portfolio next to it stays intact.
    assert sorted(p.name for p in Path(app.reports_dir).iterdir()) == ["workshops"]
    html = path.read_text(encoding="utf-8")
    assert CLIENT in html
    assert "Board &lt;approved&gt; the plan" in html
    assert "<approved>" not in html
    assert "ws-download" in app.report_link.value
    assert "data:text/html;base64," in app.report_link.value


# -- notebooks -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["workshop.ipynb", "vote.ipynb"])
def test_notebooks_run_headless_with_their_defaults(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = ROOT / "notebooks" / name
    committed = nbformat.read(source, as_version=4)
    for cell in committed.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{name} is committed with outputs"
            assert cell.execution_count is None
    declared = pm.inspect_notebook(str(source))
    fields = set(ws.Settings.__dataclass_fields__) | {"name", "role"}
    assert set(declared) <= fields
    # The demo store goes to the kernel's temporary folder: keep it inside this test.
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    for var in ws.ENV.values():
        monkeypatch.delenv(var, raising=False)
    out = tmp_path / name
    execute_notebook(
        str(source),
        str(out),
        cwd=str(source.parent),
    )
    ran = nbformat.read(out, as_version=4)
    errors = [o for c in ran.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors
    assert list(tmp_path.glob("assessment-workshop-demo-*.sqlite"))


@pytest.mark.slow
def test_vote_notebook_joins_with_a_name_parameter(tmp_path: Path, store: Store, wid: int) -> None:
    out = tmp_path / "vote.ipynb"
    execute_notebook(
        str(ROOT / "notebooks" / "vote.ipynb"),
        str(out),
        parameters={"store": store.path, "workshop_id": wid, "name": "Papermill"},
    )
    assert "Papermill" in [p.name for p in store.participants(wid)]


# -- the command ---------------------------------------------------------------------------


def test_workshop_command_without_voila_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "voila" else real(name, *a)
    )
    result = CliRunner().invoke(
        cli.main, ["workshop", "--client", "c01", "--store", str(tmp_path / "w.sqlite")]
    )
    assert result.exit_code == 2
    assert "pip install 'assessment[workshop]'" in result.output
    assert "Traceback" not in result.output


def test_workshop_command_sets_the_environment_and_warns_off_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def fake_serve(found: Any, store_file: Path, *, host: str, port: int, env: dict) -> None:
        seen.update(found=found, store=store_file, host=host, port=port, env=env)

    monkeypatch.setattr(cli, "_serve_workshop", fake_serve)
    args = ["workshop", "--client", "c01", "--store", str(tmp_path / "w.sqlite"), "--port", "0"]
    files = ["--clients", str(SAMPLES / "clients.csv"), "--targets", str(SAMPLES / "targets.csv")]
    ok = CliRunner().invoke(cli.main, [*args, *files])
    assert ok.exit_code == 0, ok.output
    assert "created workshop #1" in ok.output
    assert "warning" not in ok.output
    env = seen["env"]
    assert env["ASSESSMENT_WORKSHOP_STORE"] == str((tmp_path / "w.sqlite").resolve())
    assert env["ASSESSMENT_WORKSHOP_ID"] == "1"
    assert env["ASSESSMENT_WORKSHOP_POLL"] == "2.0"
    assert env["ASSESSMENT_WORKSHOP_CLIENTS"] == str((SAMPLES / "clients.csv").resolve())
    assert seen["host"] == "127.0.0.1"
    assert seen["port"] > 0
    # Opening the same client again resumes its workshop; 0.0.0.0 only with a warning.
    again = CliRunner().invoke(cli.main, [*args, "--host", "0.0.0.0"])
    assert again.exit_code == 0
    assert "created" not in again.output
    assert "warning: listening on 0.0.0.0" in again.output
    assert seen["host"] == "0.0.0.0"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--client", "../x"], "not safe"),
        (["--client", "c01", "--date", "tomorrow"], "not a date"),
        (["--client", "c01", "--clients", "missing.csv"], "no such file"),
    ],
)
def test_workshop_command_input_errors_exit_2(
    tmp_path: Path, extra: list[str], fragment: str
) -> None:
    result = CliRunner().invoke(
        cli.main, ["workshop", "--store", str(tmp_path / "w.sqlite"), "--port", "0", *extra]
    )
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


def test_workshop_command_refuses_a_busy_port(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(
            cli.main,
            [
                "workshop",
                "--client",
                "c01",
                "--store",
                str(tmp_path / "w.sqlite"),
                "--port",
                str(port),
            ],
        )
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
