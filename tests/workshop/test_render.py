"""The client report of a finalised workshop, rendered by the batch runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.workshop import CLIENT, DATE

from assessment import workshop as ws
from assessment.exceptions import InputError
from assessment.rubric import Rubric
from assessment.workshop.store import Store


def _agree_every_answered_indicator(app: ws.FacilitatorApp, rubric: Rubric) -> None:
    """Agree every indicator the room answers, so the report scores every dimension.

    A computed indicator is derived from facts: nobody is asked it.
    """
    for _, ind in rubric.iter_indicators():
        if ind.kind == "computed":
            continue
        value = "3" if ind.kind == "anchored" else ("yes" if ind.kind == "boolean" else "1")
        app.set_agreed(ind.id, value)


@pytest.mark.slow
def test_finalised_workshop_renders_the_client_report(
    app: ws.FacilitatorApp, store: Store, rubric: Rubric
) -> None:
    with pytest.raises(InputError, match="not finalised"):
        ws.render_report(store, app.workshop_id, out_dir=Path(store.path).parent / "r")
    _agree_every_answered_indicator(app, rubric)
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


@pytest.mark.slow
def test_a_kept_engine_renders_one_report_after_another(
    app: ws.FacilitatorApp, store: Store, rubric: Rubric
) -> None:
    from helpers.compare_reports import normalise

    from assessment.batch.engines import KeptEngine, create_engine
    from assessment.workshop.render import RENDER_STEPS

    _agree_every_answered_indicator(app, rubric)
    app.finalise()
    out = Path(store.path).parent
    engine = KeptEngine(create_engine)
    engine.start()  # warms up while nothing waits for it, as on the facilitator's page
    try:
        steps: list[str] = []
        first = ws.render_report(
            store, app.workshop_id, out_dir=out / "a", engine=engine, progress=steps.append
        )
        kept = engine.engine
        second = ws.render_report(store, app.workshop_id, out_dir=out / "b", engine=engine)
        assert engine.engine is kept  # not stopped by the first report: still warm
        assert steps == list(RENDER_STEPS)
    finally:
        engine.close()
    assert engine.engine is None
    own = ws.render_report(store, app.workshop_id, out_dir=out / "c")  # an engine of its own
    pages = [normalise(p.read_text(encoding="utf-8")) for p in (first, second, own)]
    assert pages[0] == pages[1] == pages[2]
