"""The facilitator's app, driven through its widgets and handlers, without a browser."""

from __future__ import annotations

import asyncio
import math
import threading
from pathlib import Path

import pandas as pd
import pytest
from helpers import SAMPLES
from helpers.workshop import CLIENT, DATE

from assessment import workshop as ws
from assessment.exceptions import InputError, ParameterError
from assessment.rubric import Rubric
from assessment.workshop.records import CONSENSUS_RESPONDENT
from assessment.workshop.store import Store


def test_facilitator_shows_votes_radar_and_agenda(app: ws.FacilitatorApp) -> None:
    assert "data-votes='10'" in app.status.value
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
    store.vote(dana, "team_development", 4)
    assert app.refresh() is True
    assert app.state.scores["team"] == 4.0
    assert "data-votes='11'" in app.status.value
    assert "4 participants" in app.status.value
    assert bytes(app.radar_image.value) != before_png
    summary = app._cards["team_development"].summary.value
    assert "1 vote ·" in summary  # issue 16: "1 votes" on the projector
    assert "r_wg" not in summary.split("title=")[0]  # jargon only in the tooltip


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
    app._cards["strategy_exec_sponsor"].agree.value = "4"
    app._cards["care_first_response_hours"].agree.value = "3,5"
    app._cards["strategy_documented"].note.value = "Draft strategy exists; not approved."
    assert store.agreed(app.workshop_id) == {
        "strategy_documented": "2",
        "strategy_exec_sponsor": "4",
        "care_first_response_hours": "3.5",
    }
    assert store.notes(app.workshop_id) == {
        "strategy_documented": "Draft strategy exists; not approved."
    }
    app._cards["strategy_exec_sponsor"].agree.value = None
    assert "strategy_exec_sponsor" not in store.agreed(app.workshop_id)


def test_a_yes_no_card_agrees_yes_or_no(store: Store, small_rubric: Rubric) -> None:
    # Rubric 2.0 has no yes/no indicator; the 4-level test rubric's owner_named is one.
    w = store.create_workshop("c20-test", small_rubric, date=DATE)
    store.vote(store.join(w.id, "Ann"), "owner_named", "no")
    app = ws.FacilitatorApp(store, w.id, reports_dir=str(Path(store.path).parent / "reports"))
    app._cards["owner_named"].agree.value = "yes"
    assert store.agreed(w.id) == {"owner_named": "yes"}
    app._cards["owner_named"].agree.value = None
    assert store.agreed(w.id) == {}


def test_a_bad_value_shows_one_message_and_changes_nothing(
    app: ws.FacilitatorApp, store: Store
) -> None:
    app._cards["care_first_response_hours"].agree.value = "fast"
    assert "expected a number in hours" in app.messages.last
    assert "ws-error" in app.messages.last
    assert store.agreed(app.workshop_id) == {}
    app.set_target("care", 3.0)
    with pytest.raises(ParameterError):
        app.set_target("care", 9.0)  # direct calls raise; the widgets route through guard()


def test_finalise_then_reopen(app: ws.FacilitatorApp, store: Store) -> None:
    app._target_sliders["care"].value = 3.5
    app._cards["strategy_documented"].agree.value = "2"
    app.finalise_button.click()
    w = store.workshop(app.workshop_id)
    assert w.finalised
    agreed = store.agreed(app.workshop_id)
    assert agreed["strategy_documented"] == "2"  # the room's answer, not the votes' median
    assert agreed["strategy_exec_sponsor"] == "3"
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
    # The client picker names the client; a workshop is its date and number (issue 16: a
    # projector shows names, not ids).
    options = [label for label, _ in app.workshop_picker.options]
    assert options[-1] == f"2025-07-01 (#{created.id})"
    assert not any(CLIENT in option for option in options)
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
        store.vote(store.join(app.workshop_id, "Eli"), "team_development", 2)
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


def test_facilitator_app_from_the_environment(
    store: Store, voted_wid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_STORE", store.path)
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_CLIENT", CLIENT)
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_CLIENTS", str(SAMPLES / "clients.csv"))
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_TARGETS", str(SAMPLES / "targets.csv"))
    monkeypatch.setenv("ASSESSMENT_WORKSHOP_POLL", "2")
    app = ws.facilitator_app()
    assert app.workshop_id == voted_wid
    assert app.clients is not None
    # consumer_brand, the client's profile, starts the sliders.
    profile = app.rubric.target_profile("consumer_brand")
    assert app.state.targets["content"] == float(profile.dimensions.get("content", 5.0))
    with pytest.raises(InputError, match="not 'c99'"):
        ws.facilitator_app(client_id="c99", workshop_id=voted_wid)


# -- the report renders in the background (issue 19) --------------------------------------------

#: Seconds a test waits for a background render to reach a point (it never takes that long).
WAIT = 60


class BlockedRender:
    """Stands in for :func:`assessment.workshop.render.render_report`: it reports its steps,
    then waits until the test releases it (or raises ``error``)."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error = error
        self.rendering = threading.Event()
        self.release = threading.Event()
        self.thread: threading.Thread | None = None

    def __call__(self, store: Store, workshop_id: int, *, out_dir: str, progress, **kw) -> Path:
        self.thread = threading.current_thread()
        for step in ("inputs", "checking", "rendering"):
            progress(step)
        self.rendering.set()
        assert self.release.wait(WAIT), "the test never released the render"
        if self.error is not None:
            raise self.error
        progress("done")
        path = Path(out_dir) / "report.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("<html>report</html>", encoding="utf-8")
        return path


@pytest.fixture(name="finalised_app")
def fixture_finalised_app(app: ws.FacilitatorApp) -> ws.FacilitatorApp:
    """The app on its workshop, finalised (the report button is enabled)."""
    app.finalise()
    assert not app.report_button.disabled
    return app


def test_rendering_in_the_background_leaves_the_page_responsive(
    finalised_app: ws.FacilitatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = finalised_app
    render = BlockedRender()
    monkeypatch.setattr("assessment.workshop.facilitator._render_report", render)
    app.report_button.click()  # returns at once: the render runs in another thread
    assert render.rendering.wait(WAIT)
    assert render.thread is not threading.current_thread()
    assert app.rendering
    assert app.report_button.disabled  # one render at a time
    assert app.report_progress.layout.visibility == "visible"
    assert 0.2 <= app.report_progress.value < 1.0
    assert "Running the report notebook" in app.report_status.value

    # Another widget is clicked while the report renders: its handler runs, here and now.
    refreshed = []
    real_refresh = app.refresh
    monkeypatch.setattr(app, "refresh", lambda force=False: refreshed.append(real_refresh(force)))
    app.refresh_button.click()
    assert refreshed == [True]
    assert app.rendering  # the render is still waiting for the test
    assert app.report_button.disabled  # a refresh does not re-enable the busy button
    app.report_button.click()  # a second click while it renders: said, not started twice
    assert "being rendered" in app.messages.last

    render.release.set()
    assert app.render_task is not None
    assert app.render_task.join(WAIT)
    assert not app.rendering
    assert not app.report_button.disabled
    assert app.report_progress.layout.visibility == "hidden"
    assert app.report_status.value == ""
    assert "ws-download" in app.report_link.value
    assert "Report written" in app.messages.last


def test_a_failing_background_render_shows_its_error_in_the_page(
    finalised_app: ws.FacilitatorApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = finalised_app
    render = BlockedRender(error=InputError("the report for c01 failed: boom"))
    monkeypatch.setattr("assessment.workshop.facilitator._render_report", render)
    task = app.start_render()
    assert render.rendering.wait(WAIT)
    render.release.set()
    assert task.join(WAIT)
    assert "the report for c01 failed: boom" in app.messages.last
    assert "ws-error" in app.messages.last
    assert app.report_link.value == ""
    assert app.report_progress.layout.visibility == "hidden"
    assert not app.report_button.disabled  # try again


def test_the_notebook_app_keeps_a_warm_engine(store: Store, voted_wid: int, kept_engine) -> None:
    app = ws.facilitator_app(store=store.path, workshop_id=voted_wid)
    assert app.engine is kept_engine
    assert kept_engine.starts == 1  # warming up while the facilitator works


def test_the_page_names_the_client_mirrors_in_arabic_and_shows_the_room(
    store: Store, voted_wid: int
) -> None:
    app = ws.FacilitatorApp(
        store,
        voted_wid,
        lang="ar",
        client_name="فانوس <سوق>",
        join_url="http://192.168.1.20:8866/j/ABC234",
        projector_url="http://127.0.0.1:8866/host?token=t",
    )
    assert "ws-rtl" in app.widget._dom_classes
    assert "<bdi>فانوس &lt;سوق&gt;</bdi>" in app.title.value
    assert "فانوس &lt;سوق&gt;" in app.status.value
    room = app.room_panel.value
    assert "<svg" in room  # the QR code, drawn here
    assert "ABC 234" in room
    assert "token=t" in room
    assert "class='ws-finished' data-finished=" in room
    assert all(not getattr(b, "icon", "") for b in (app.finalise_button, app.report_button))


def test_an_arabic_page_says_a_refusal_in_arabic(store: Store, voted_wid: int) -> None:
    from assessment.workshop.widgets import guard

    app = ws.FacilitatorApp(store, voted_wid, lang="ar")
    guard(app.messages, app.set_agreed)("strategy_documented", 9)  # as a widget calls it
    assert "غير مقبولة" in app.messages.last
    assert "dir='rtl'" in app.messages.last
    english = ws.FacilitatorApp(store, voted_wid)
    guard(english.messages, english.set_agreed)("strategy_documented", 9)
    assert "strategy_documented" in english.messages.last  # names the question, as before


def test_the_workshop_picker_says_finalised_in_the_page_s_language(
    app: ws.FacilitatorApp, store: Store
) -> None:
    app.finalise()
    app._fill_pickers()
    (option,) = [label for label, _ in app.workshop_picker.options]
    assert option == f"{DATE} (#{app.workshop_id}), finalised"
    app.lang = "ar"
    app._fill_pickers()
    (option,) = [label for label, _ in app.workshop_picker.options]
    assert option == f"{DATE} (رقم {app.workshop_id})، معتمدة"
