"""The weight-tuning widgets, driven programmatically, and the notebook under papermill."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import ROOT, SAMPLES, execute_notebook, run_cli

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


def test_tuner_starts_at_the_rubric_weights_on_a_scale_that_fits_them(tuner, session):
    w = tuner.weights
    assert w.to_dict() == pytest.approx(session.rubric.dimension_table["weight"].to_dict())
    assert not tuner.last_table["changed"].any()
    assert "Sum of the sliders: 1.000" in tuner.total.value
    # Issue 17: weights of 0.06-0.12 on a 0-1 slider; now 0-0.40 (3 x the largest, rounded).
    assert {s.max for s in tuner.sliders.values()} == {0.4}
    assert tuning.slider_max(pd.Series([0.06, 0.12])) == pytest.approx(0.4)
    assert tuning.slider_max(pd.Series([0.5, 0.5])) == 1.0
    assert tuner.effective["care"].value == "<b>0.120</b>"


def test_moving_a_slider_shows_effective_weights_and_the_table(tuner, session):
    before = tuner.last_table.copy()
    tuner.sliders["care"].value = 0.4  # the observer fires: refresh
    assert "Sum of the sliders: 1.280" in tuner.total.value
    assert tuner.weights["care"] == pytest.approx(0.4 / 1.28)
    assert tuner.effective["care"].value == f"<b>{0.4 / 1.28:.3f}</b>"
    table = tuner.last_table
    assert not table.equals(before)
    assert table.equals(compare_weights(session.portfolio, tuner.weights.to_dict()))
    assert table["changed"].any()
    html = tuner.table_html.value
    # Names and level names, not ids; one decimal for indices, no six-decimal cells.
    assert "Fanous Souq Retail" in html
    assert "c01-fanous-souq" not in html
    assert "Present and reactive" in html
    assert not re.search(r">-?\d+\.\d{3,}<", html)
    selectors = re.findall(r"([^{}]+)\{\s*background-color: #FFF4CC", html)
    rows = {int(r) for block in selectors for r in re.findall(r"_row(\d+)_col", block)}
    assert rows == set(np.flatnonzero(table["changed"].to_numpy()))


def test_undo_and_redo(tuner, session):
    start = tuner.weights.copy()
    assert tuner.undo_button.disabled
    tuner.sliders["care"].value = 0.3
    moved = tuner.weights.copy()
    tuner.set_weights(dict.fromkeys(tuner.sliders, 1.0))
    tuner.undo()
    pd.testing.assert_series_equal(tuner.weights, moved)
    tuner.undo()
    pd.testing.assert_series_equal(tuner.weights, start)
    assert tuner.undo_button.disabled
    tuner.redo()
    pd.testing.assert_series_equal(tuner.weights, moved)
    tuner.sliders["crisis"].value = 0.2  # a new change drops the redo branch
    assert tuner.redo_button.disabled
    tuner.on_reset()
    assert tuner.weights["crisis"] == pytest.approx(session.rubric.dimension("crisis").weight)
    tuner.undo()
    assert tuner.raw["crisis"] == pytest.approx(0.2)


def test_all_zero_sliders_report_in_the_page(tuner):
    for slider in tuner.sliders.values():
        slider.value = 0.0
    assert "at least one weight must be positive" in tuner.total.value


def test_save_button_writes_the_variant_with_its_source(tuner, session, tmp_path: Path):
    tuner.sliders["care"].value = 0.3
    tuner.note.value = "care matters more"
    tuner.analyst.value = "Lina"
    tuner.on_save()
    assert "Saved social-media-manual-" in tuner.status.value
    variant = load_rubric(tmp_path / "variant.yaml")
    assert variant.provenance.note == "care matters more"
    assert variant.provenance.analyst == "Lina"
    assert variant.provenance.method == "manual"
    assert variant.provenance.parent_hash == session.rubric.content_hash
    assert variant.dimension("care").weight == pytest.approx(tuner.weights["care"])
    tuner.on_save()  # the same file again: refused in the page, not overwritten
    assert "exists" in tuner.status.value
    tuner.path.value = ""
    tuner.on_save()
    assert "Give a file name" in tuner.status.value


def test_ahp_grid_starts_at_the_current_weights(tuner, session):
    """Issue 17: the grid started at all 1s, so "Use" unedited set every weight to 1/11."""
    tuner.sliders["care"].value = 0.3
    grid = tuning.AHPGrid.for_rubric(session.rubric, tuner=tuner)
    assert grid.last.cr == pytest.approx(0, abs=1e-9)
    before = tuner.weights.copy()
    grid.on_apply()
    np.testing.assert_allclose(tuner.weights, before, atol=1e-9)
    assert "Analytic Hierarchy Process" in tuner.source_line.value


def test_ahp_grid_live_cr_exact_values_and_errors_in_the_page(tuner, session):
    grid = tuning.AHPGrid.for_rubric(session.rubric, tuner=tuner)
    grid.set("care", "crisis", 9)
    grid.set("crisis", "strategy", 9)
    grid.set("care", "strategy", 1 / 9)  # contradicts the two above
    assert grid.last.cr >= 0.1
    assert "#C00000" in grid.consistency.value
    assert "Most inconsistent" in grid.consistency.value
    assert grid.matrix.loc["strategy", "care"] == pytest.approx(9)
    grid.cells[("strategy", "team")].value = "1.7"  # off the scale: kept as typed
    assert grid.matrix.loc["strategy", "team"] == 1.7
    grid.cells[("strategy", "team")].value = "lots"
    assert "expected a number or a fraction" in grid.status.value
    assert grid.matrix.loc["strategy", "team"] == 1.7
    grid.on_apply()
    assert tuner.weights.to_dict() == pytest.approx(grid.result().weights.to_dict())


def _panel_files(tmp_path: Path, session) -> list[Path]:
    ids = [d.id for d in session.rubric.dimensions]
    paths = []
    for k, name in enumerate(("ann", "bob", "cy")):
        w = {d: 1 + (j + k) % 3 for j, d in enumerate(ids)}
        m = consistent_matrix(w)
        if name == "cy":  # six judgements reversed to the far end of the scale: CR about 0.2
            pairs = "care/tooling care/advocacy strategy/tooling team/advocacy crisis/budget"
            for a, b in (p.split("/") for p in (pairs + " insight/governance").split()):
                m.loc[a, b], m.loc[b, a] = 1 / 9, 9.0
        path = tmp_path / f"{name}.csv"
        m.to_csv(path, index_label="id")
        paths.append(path)
    return paths


def test_grid_and_cli_give_the_same_numbers_from_the_same_files(tmp_path: Path, session):
    """Issue 17: the grid rounded the geometric means to Saaty's scale (0.0825 vs 0.0886)."""
    paths = _panel_files(tmp_path, session)
    grid = tuning.AHPGrid.for_rubric(session.rubric, matrices=paths)
    cli = run_cli("weights", "ahp", "--format", "json", *map(str, paths))
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)["weights"]
    assert grid.result().weights.to_dict() == pytest.approx(expected, abs=1e-12)
    # Every expert's CR is shown and the inconsistent one flagged.
    assert "cy.csv" in grid.experts_html.value
    assert "Inconsistent: cy.csv" in grid.experts_html.value
    # "Use" then "Save": the variant records the panel; its CR needs the box ticked.
    tuner = tuning.WeightTuner(session, variant_path=tmp_path / "panel.yaml")
    grid.tuner = tuner
    grid.on_apply()
    assert tuner.weights.to_dict() == pytest.approx(expected, abs=1e-12)
    tuner.on_save()
    assert "--accept-inconsistent" in tuner.status.value
    tuner.accept.value = True
    tuner.on_save()
    saved = load_rubric(tmp_path / "panel.yaml")
    assert [e.name for e in saved.provenance.experts] == ["ann.csv", "bob.csv", "cy.csv"]
    assert saved.provenance.accepted_inconsistent is True


def test_judgements_save_and_load(tmp_path: Path, session):
    grid = tuning.AHPGrid.for_rubric(session.rubric)
    grid.set("care", "crisis", 3)
    grid.set("strategy", "tooling", 1.8)
    grid.file.value = str(tmp_path / "judgements.csv")
    grid.on_export()
    assert "Judgements saved" in grid.status.value
    other = tuning.AHPGrid.for_rubric(session.rubric)
    other.file.value = grid.file.value
    other.on_import()
    assert "loaded" in other.status.value
    pd.testing.assert_frame_equal(other.matrix, grid.matrix, atol=1e-12)
    # The CLI reads the same file and agrees.
    cli = run_cli("weights", "ahp", "--format", "json", grid.file.value)
    assert json.loads(cli.stdout)["weights"] == pytest.approx(
        grid.result().weights.to_dict(), abs=1e-12
    )
    other.file.value = str(tmp_path / "missing.csv")
    other.on_import()
    assert "no such file" in other.status.value


def test_sensitivity_panel_states_its_centre_and_goes_stale(tuner, session, tmp_path: Path):
    panel = tuning.SensitivityPanel(session, tuner=tuner, draws=100, seed=1)
    assert not panel.is_stale
    assert panel.stale.value == ""
    assert "Centred on these weights" in panel.centred.value
    assert "Strategy and leadership alignment</bdi> 0.120" in panel.centred.value
    tuner.sliders["care"].value = 0.3
    assert panel.is_stale
    assert "Out of date" in panel.stale.value
    panel.on_run()
    assert not panel.is_stale
    assert panel.stale.value == ""
    np.testing.assert_allclose(panel.portfolio().weights, tuner.weights.to_numpy())
    assert f"</bdi> {tuner.weights['care']:.3f}" in panel.centred.value
    # Influence by mean absolute change, names not ids.
    assert "Mean |change|" in panel.tables.value
    assert list(panel.influence["mean_abs"]) == sorted(panel.influence["mean_abs"], reverse=True)
    # A slider at 0 (issue 17: it stopped the analysis): the analysis runs, says that
    # dimension is held at 0, and that dimension has no influence.
    tuner.sliders["care"].value = 0.0
    panel.on_run()
    assert panel.error.value == ""
    assert not panel.is_stale
    assert "held at 0 in every one: Community management and social customer care." in (
        panel.summary.value
    )
    assert panel.influence.loc["care", "mean_abs"] == 0
    tuner.sliders["care"].value = 0.1
    assert panel.is_stale
    written = panel.export(tmp_path / "sens.xlsx")
    assert written[0].exists()
    panel.export_file.value = ""
    panel.on_export()
    assert "Give a file name" in panel.export_status.value
    assert "level" in panel.be_output.value


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
    outputs = [o for c in executed["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o["output_type"] == "error"]
    # No CLI text in the page: every output is a widget (Voilà shows outputs as they are).
    assert not [o for o in outputs if o["output_type"] == "stream"]
    widgets_shown = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
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
    assert session.client_name("c01-fanous-souq") == "Fanous Souq Retail"
    with pytest.raises(ParameterError, match="no answer file matches"):
        tuning.prepare(answers=[str(tmp_path / "none*.csv")])


def test_arabic_panels_read_right_to_left(session):
    tuner = tuning.WeightTuner(session, lang="ar")
    grid = tuning.AHPGrid.for_rubric(session.rubric, tuner=tuner, lang="ar")
    panel = tuning.SensitivityPanel(session, tuner=tuner, draws=50, lang="ar")
    for w in (tuner.widget, grid.widget, panel.widget):
        assert "tuning-rtl" in w._dom_classes
        assert tuning.session.RTL_STYLE in w.children[0].value
    assert "مجموع قيم أشرطة التمرير" in tuner.total.value
    assert "التحليل متمركز حول هذه الأوزان" in panel.centred.value
    assert "الاستراتيجية ومواءمة القيادة" in panel.centred.value
    tuner.sliders["care"].value = 0.3
    assert "لم تعد النتائج محدّثة" in panel.stale.value
    assert "tuning-rtl" not in tuning.WeightTuner(session).widget._dom_classes


def test_arabic_slider_rows_read_right_to_left_with_the_name_on_the_right(session):
    """Issue 17: each row is [name, slider, effective weight]; in Arabic, reversed."""
    arabic = tuning.WeightTuner(session, lang="ar")
    english = tuning.WeightTuner(session)
    for tuner, flow in ((arabic, "row-reverse"), (english, "row")):
        rows = [r for r in _slider_rows(tuner.widget) if tuner.sliders["care"] in r.children]
        assert len(rows) == 1
        (care,) = rows
        assert care.layout.flex_flow == flow
        assert care.children[1] is tuner.sliders["care"]
        assert "<bdi>" in care.children[0].value  # the name: first child, so on the right
    for tuner in (arabic, english):
        rows = list(_slider_rows(tuner.widget))
        assert len(rows) >= len(tuner.sliders)
        expected = "row-reverse" if tuner is arabic else "row"
        assert {r.layout.flex_flow for r in rows} == {expected}
    grid = tuning.AHPGrid.for_rubric(session.rubric, lang="ar")
    assert {r.layout.flex_flow for r in _slider_rows(grid.widget)} == {"row-reverse"}
    assert ".widget-gridbox {direction: rtl}" in tuning.session.RTL_STYLE


def _slider_rows(widget):
    """Every HBox under ``widget``."""
    import ipywidgets as widgets

    for child in getattr(widget, "children", ()):
        if isinstance(child, widgets.HBox):
            yield child
        yield from _slider_rows(child)
