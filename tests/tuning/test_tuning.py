"""The weight-tuning widgets, driven programmatically, and the notebook under papermill."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from helpers import ROOT, SAMPLES, execute_notebook

from assessment import tuning
from assessment.exceptions import ParameterError
from assessment.rubric import load_rubric
from assessment.weights import consistent_matrix
from assessment.weights.sensitivity import compare_weights

NOTEBOOK = ROOT / "notebooks" / "weight_tuning.ipynb"


@pytest.fixture(name="session", scope="module")
def fixture_session() -> tuning.TuningSession:
    return tuning.prepare(
        answers=[SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"],
        clients=SAMPLES / "clients.csv",
        targets=SAMPLES / "targets.csv",
    )


@pytest.fixture(name="tuner")
def fixture_tuner(session, tmp_path: Path) -> tuning.WeightTuner:
    return tuning.WeightTuner(session, variant_path=tmp_path / "variant.yaml", note="test")


def test_tuner_starts_at_the_rubric_weights(tuner, session):
    w = tuner.weights
    assert w.to_dict() == pytest.approx(session.rubric.dimension_table["weight"].to_dict())
    assert not tuner.last_table["changed"].any()
    assert "Sum of the sliders: <b>1.000</b>" in tuner.total.value


def test_moving_a_slider_updates_weights_sum_and_table(tuner, session):
    before = tuner.last_table.copy()
    tuner.sliders["care"].value = 0.5  # the observer fires: refresh
    assert "Sum of the sliders: <b>1.380</b>" in tuner.total.value
    assert tuner.weights.sum() == pytest.approx(1)
    assert tuner.weights["care"] == pytest.approx(0.5 / 1.38)
    assert f"care: <b>{0.5 / 1.38:.3f}</b>" in tuner.normalised.value
    table = tuner.last_table
    assert not table.equals(before)
    expected = compare_weights(session.portfolio, tuner.weights.to_dict())
    assert table.equals(expected)
    assert table["changed"].any()
    # Changed rows, and only those, are highlighted in the rendered HTML.
    html = tuning.styled_table(table)
    selectors = re.findall(r"([^{}]+)\{\s*background-color: #FFF4CC", html)
    rows = {int(r) for block in selectors for r in re.findall(r"_row(\d+)_col", block)}
    assert rows == set(np.flatnonzero(table["changed"].to_numpy()))


def test_set_weights_refreshes_once_and_reset(tuner, session):
    calls = []
    tuner.observe(lambda t: calls.append(t.weights["crisis"]))
    tuner.set_weights(dict.fromkeys(tuner.sliders, 1.0))
    assert len(calls) == 1
    assert calls[0] == pytest.approx(1 / 11)
    tuner.on_reset()
    assert tuner.weights["crisis"] == pytest.approx(session.rubric.dimension("crisis").weight)


def test_all_zero_sliders_report_instead_of_failing(tuner):
    tuner.set_weights(dict.fromkeys(tuner.sliders, 1.0))
    for slider in tuner.sliders.values():
        slider.value = 0.0
    assert "at least one weight must be positive" in tuner.total.value


def test_save_button_writes_the_variant(tuner, session, tmp_path: Path):
    tuner.sliders["care"].value = 0.3
    tuner.note.value = "care matters more"
    tuner.on_save()
    assert "Saved social-media-manual-" in tuner.status.value
    variant = load_rubric(tmp_path / "variant.yaml")
    assert variant.provenance.note == "care matters more"
    assert variant.provenance.parent_hash == session.rubric.content_hash
    assert variant.dimension("care").weight == pytest.approx(tuner.weights["care"])
    tuner.path.value = ""
    tuner.on_save()
    assert "give a file name" in tuner.status.value


def test_ahp_grid_live_cr_and_apply(tuner, session):
    grid = tuning.AHPGrid.for_rubric(session.rubric, tuner=tuner)
    assert grid.last.cr == pytest.approx(0)
    assert "#007A52" in grid.consistency.value  # all ones: consistent, green
    grid.set("care", "crisis", 9)
    grid.set("crisis", "strategy", 9)
    grid.set("care", "strategy", 1 / 9)  # contradicts the two above
    assert grid.last.cr >= 0.1
    assert "#C00000" in grid.consistency.value  # red
    assert "most inconsistent" in grid.consistency.value
    assert grid.matrix.loc["strategy", "care"] == pytest.approx(9)
    grid.on_apply()
    assert tuner.weights.to_dict() == pytest.approx(grid.result().weights.to_dict())


def test_ahp_grid_prefilled_from_expert_files(tmp_path: Path, session):
    ids = [d.id for d in session.rubric.dimensions]
    m = consistent_matrix({d: 1 + k % 3 for k, d in enumerate(ids)})
    paths = []
    for name in ("ann", "bob"):
        path = tmp_path / f"{name}.csv"
        m.to_csv(path, index_label="id")
        paths.append(path)
    grid = tuning.AHPGrid.for_rubric(session.rubric, matrices=paths)
    # Judgements snap to the scale (3/2 -> 2, 2/3 -> 1/2), so CR is small but not zero.
    assert grid.cells[("strategy", "team")].value == 1 / 2
    assert grid.cells[("strategy", "budget")].value == 1 / 3
    assert grid.last.cr < 0.1


def test_sensitivity_panel_follows_the_tuner(tuner, session):
    panel = tuning.SensitivityPanel(session, tuner=tuner, draws=100, seed=1)
    first = panel.result
    assert first.draws == 100
    tuner.sliders["care"].value = 0.4
    panel.on_run()
    p = panel.portfolio()
    np.testing.assert_allclose(p.weights, tuner.weights.to_numpy())
    shown = panel.result.clients.set_index("client_id")["index"]
    np.testing.assert_allclose(shown.loc[p.client_ids], p.index())
    assert not panel.result.clients.equals(first.clients)
    assert set(panel.oat["dimension_id"]) == set(p.dimension_ids)


@pytest.mark.slow
def test_notebook_runs_with_defaults(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    source = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    # Committed without outputs, with a tagged parameters cell.
    assert all(not c.get("outputs") for c in source["cells"] if c["cell_type"] == "code")
    tagged = [c for c in source["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    assert "draws: int = 500" in "".join(tagged[0]["source"])
    out = tmp_path / "weight_tuning.ipynb"
    variant = tmp_path / "variant.yaml"
    execute_notebook(
        str(NOTEBOOK),
        str(out),
        parameters={"variant_path": str(variant), "draws": 200},
        cwd=str(NOTEBOOK.parent),
    )
    executed = json.loads(out.read_text(encoding="utf-8"))
    errors = [
        o for c in executed["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert not errors
    widgets_shown = [
        o
        for c in executed["cells"]
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets_shown) == 3  # tuner, AHP grid, sensitivity panel
    assert not variant.exists()  # only the button saves


def test_prepare_expands_glob_patterns_and_reports_no_match(tmp_path: Path):
    session = tuning.prepare(
        answers=[str(SAMPLES / "answers*.csv")],
        clients=SAMPLES / "clients.csv",
        targets=SAMPLES / "targets.csv",
    )
    assert session.portfolio.n_clients == 12  # c12 comes from the forms export
    with pytest.raises(ParameterError, match="no answer file matches"):
        tuning.prepare(answers=[str(tmp_path / "none*.csv")])
