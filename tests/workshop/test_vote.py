"""The participant's app: sign in, one indicator at a time, resume, closed after finalising."""

from __future__ import annotations

from helpers.workshop import DATE, find

from assessment import workshop as ws
from assessment.rubric import Rubric
from assessment.workshop.store import Store


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
    find(app.body, "ws-choice-3")[0].click()
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
    app.go_to_dimension("content")
    app.go(3)
    assert app.current == "content_paid_influencer"
    find(app.body, "ws-choice-NA")[0].click()
    assert store.my_votes(app.participant)["content_paid_influencer"] == "NA"
    app.go(-100)
    assert app.position == 0
    app.go(100)
    assert app.position == len(app.indicators) - 1


def test_a_participant_resumes_after_closing_the_tab(store: Store, rubric: Rubric) -> None:
    w = store.create_workshop("c07", rubric, date=DATE)
    first = ws.VoteApp(store, w.id)
    first.start("Cy")
    for _ in range(2):  # two anchored questions, then a measured one
        find(first.body, "ws-choice")[0].click()
    find(first.body, "ws-number")[0].value = "3"
    find(first.body, "ws-save")[0].click()
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


def test_vote_app_reads_name_and_workshop_from_the_url(store: Store, voted_wid: int) -> None:
    app = ws.vote_app(store=store.path, query=f"name=Fay%20Z&role=CEO&workshop={voted_wid}")
    assert app.workshop_id == voted_wid
    assert app.participant is not None
    assert (app.participant.name, app.participant.role) == ("Fay Z", "CEO")
    # Without a name: the sign-in screen, pre-filled from whatever the URL had.
    blank = ws.vote_app(store=store.path, query="role=CTO")
    assert blank.participant is None
    assert blank.role_box.value == "CTO"
