"""The HTML snippets: every rubric and participant text escaped, in the panels and the app."""

from __future__ import annotations

from pathlib import Path

from helpers.workshop import DATE, walk

from assessment import workshop as ws
from assessment.rubric import Rubric, load_rubric
from assessment.workshop import views
from assessment.workshop.store import open_store


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
            getattr(x, "value", "") for x in walk(app.widget) if type(x).__name__ == "HTML"
        )
        assert evil not in markup


def test_participant_snippets(rubric: Rubric, small_rubric: Rubric) -> None:
    progress = views.progress_html(3, 38, 4)
    assert "data-done='3'" in progress
    assert "3 of 38 answered · Indicator 5 of 38" in progress
    assert "ws-done" not in progress
    assert "ws-done" in views.progress_html(38, 38, 0)
    assert "dir='rtl'" in views.progress_html(1, 2, 0, "ar")
    question = views.question_html(rubric, "care_first_response_hours", "2.5")
    assert "Your answer: 2.5" in question
    assert "ws-mine" not in views.question_html(rubric, "care_first_response_hours", None)
    assert "4–24 hours" in views.bands_html(rubric, "care_first_response_hours")
    yes, no = ws.choices(small_rubric, "owner_named")  # rubric 2.0 has no yes/no indicator
    assert views.choice_caption(yes, "yes") == f"✓ Yes: {yes.descriptor}"
    assert views.choice_caption(no, "yes") == f"No: {no.descriptor}"


def test_indicator_card_lists_levels_or_value_ranges(rubric: Rubric, small_rubric: Rubric) -> None:
    anchored = views.indicator_card_html(rubric, "strategy_documented")
    assert anchored.count("<li>") == rubric.n_levels
    boolean = views.indicator_card_html(small_rubric, "owner_named")  # yes/no: the test rubric
    assert "<li><b>Yes</b>:" in boolean
    assert "<li><b>No</b>:" in boolean
    measured = views.indicator_card_html(rubric, "care_first_response_hours")
    assert "<li><b>1</b> (&gt; 24 hours):" in measured
