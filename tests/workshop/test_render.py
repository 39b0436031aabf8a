"""The client report of a finalised workshop, rendered by the batch runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.workshop import CLIENT, DATE

from assessment import workshop as ws
from assessment.exceptions import InputError
from assessment.rubric import Rubric
from assessment.workshop.store import Store


@pytest.mark.slow
def test_finalised_workshop_renders_the_client_report(
    app: ws.FacilitatorApp, store: Store, rubric: Rubric
) -> None:
    with pytest.raises(InputError, match="not finalised"):
        ws.render_report(store, app.workshop_id, out_dir=Path(store.path).parent / "r")
    # Agree every indicator the room answers, so the report scores every dimension (a
    # computed indicator is derived from facts: nobody is asked it).
    for _, ind in rubric.iter_indicators():
        if ind.kind == "computed":
            continue
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
