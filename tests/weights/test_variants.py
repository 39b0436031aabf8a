"""Rubric variants (:mod:`assessment.weights.variants`): saved weights, provenance, diffs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml
from helpers import SAMPLES, run_cli

from assessment import report
from assessment.batch import plan
from assessment.exceptions import ParameterError
from assessment.rubric import Rubric, load_rubric
from assessment.scoring import score
from assessment.weights import diff_rubrics, save_variant
from assessment.weights.sensitivity import Portfolio, compare_weights

TUNED = {"care": 0.2, "crisis": 0.15, "budget": 0.03}


def test_variant_round_trip_gives_the_scores_tuning_showed(tmp_path: Path, samples):
    rubric, answers, clients, targets = samples
    result = score(rubric, answers, clients=clients, targets=targets)
    shown = compare_weights(Portfolio.from_result(result), TUNED).set_index("client_id")

    path = tmp_path / "social-media-care.yaml"
    saved = save_variant(
        rubric,
        {**rubric.dimension_table["weight"].to_dict(), **TUNED},
        path,
        note="care first",
        created="2025-06-01",
    )
    loaded = load_rubric(path)
    assert loaded == saved
    # Issue 17: a variant has its own id and version, so two variants never look identical.
    assert loaded.id.startswith("social-media-manual-")
    assert loaded.id != rubric.id
    assert loaded.version == "1.0.0"
    assert loaded.weights_status == "agreed"  # set by hand, not derived from judgements
    assert loaded.provenance.method == "manual"
    assert loaded.provenance.parent_id == rubric.id
    assert loaded.provenance.parent_version == rubric.version
    assert loaded.provenance.parent_hash == rubric.content_hash
    assert loaded.provenance.note == "care first"
    assert loaded.provenance.created == "2025-06-01"
    assert sum(d.weight for d in loaded.dimensions) == pytest.approx(1)
    # Same content apart from the weights.
    assert [i.id for _, i in loaded.iter_indicators()] == [
        i.id for _, i in rubric.iter_indicators()
    ]

    again = (
        score(loaded, answers, clients=clients, targets=targets).summary().set_index("client_id")
    )
    np.testing.assert_allclose(again.loc[shown.index, "index"], shown["index"], rtol=1e-12)
    assert (again.loc[shown.index, "level"].to_numpy() == shown["level"].to_numpy()).all()


def test_variant_needs_every_dimension(tmp_path: Path, rubric: Rubric):
    with pytest.raises(ParameterError, match=r"missing \['strategy'"):
        save_variant(rubric, {"care": 1.0}, tmp_path / "v.yaml")
    with pytest.raises(ParameterError, match="unknown"):
        save_variant(
            rubric, {**rubric.dimension_table["weight"].to_dict(), "vibes": 1}, tmp_path / "v.yaml"
        )
    with pytest.raises(ParameterError, match="positive"):
        save_variant(
            rubric, {**rubric.dimension_table["weight"].to_dict(), "care": 0}, tmp_path / "v.yaml"
        )
    assert not (tmp_path / "v.yaml").exists()


def test_diff_lists_weight_changes_first(tmp_path: Path, rubric: Rubric):
    path = tmp_path / "v.yaml"
    save_variant(rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="n")
    variant = load_rubric(path)
    changes = diff_rubrics(rubric, variant)
    paths = [c.path for c in changes]
    weight_paths = [p for p in paths if p.endswith(".weight")]
    assert paths[: len(weight_paths)] == weight_paths
    assert "dimensions[care].weight" in weight_paths
    assert "version" in paths
    assert "weights_status" in paths
    assert "provenance" in paths  # None -> a mapping in the parent/variant comparison
    assert diff_rubrics(rubric, rubric) == []
    # Structural changes are named by id.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["dimensions"][0]["indicators"][0]["thresholds"] = None
    data["dimensions"][0]["indicators"][0]["weight"] = 2.0
    edited = load_rubric(data)
    lines = [str(c) for c in diff_rubrics(variant, edited)]
    first = rubric.dimensions[0]
    assert f"~ dimensions[{first.id}].indicators[{first.indicators[0].id}].weight: 1 -> 2" in lines


def test_cli_rubric_diff(tmp_path: Path, rubric: Rubric):
    path = tmp_path / "v.yaml"
    save_variant(rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="n")
    result = run_cli("rubric", "diff", "social-media", str(path))
    assert result.returncode == 0, result.stderr
    # Issue 17: a table of names (never cut), old, new, delta and percent.
    assert "Community management and social customer care" in result.stdout
    care = next(line for line in result.stdout.splitlines() if "social customer care" in line)
    assert care.split()[-4:] == ["0.120", "0.185", "+0.065", "+54.3%"]
    details = run_cli("rubric", "diff", "social-media", str(path), "--details").stdout
    assert "~ dimensions[care].weight: 0.12 ->" in details
    js = json.loads(run_cli("rubric", "diff", "social-media", str(path), "--format", "json").stdout)
    assert js["new"]["version"] == "1.0.0"
    assert any(c["path"] == "dimensions[care].weight" for c in js["changes"])
    same = run_cli("rubric", "diff", "social-media", "social-media")
    assert "no differences" in same.stdout
    missing = run_cli("rubric", "diff", "social-media", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 2
    assert "not found" in missing.stderr


def test_saved_variant_renders_through_batch_plan_and_cli_score(tmp_path: Path, samples):
    rubric, answers, clients, targets = samples
    path = tmp_path / "variant.yaml"
    variant = save_variant(
        rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="care first"
    )
    expected = score(variant, answers, clients=clients, targets=targets).summary()

    answer_files = [SAMPLES / "answers.csv", SAMPLES / "answers_forms_export.csv"]
    batch = plan(
        answer_files,
        rubric=path,
        clients=SAMPLES / "clients.csv",
        targets=SAMPLES / "targets.csv",
        out_dir=tmp_path / "reports",
    )
    assert batch.result.rubric == variant
    assert batch.rubric_label.startswith(f"{variant.id} 1.0.0 ({variant.content_hash[:12]})")
    assert all(job.parameters["rubric"] == str(path.resolve()) for job in batch.jobs)
    np.testing.assert_allclose(batch.summary["index"], expected["index"])

    result = run_cli(
        "score",
        "--rubric",
        str(path),
        "--clients",
        str(SAMPLES / "clients.csv"),
        "--targets",
        str(SAMPLES / "targets.csv"),
        "--format",
        "json",
        *map(str, answer_files),
    )
    assert result.returncode == 0, result.stderr
    records = {r["client_id"]: r for r in json.loads(result.stdout)}
    for rec in expected.itertuples():
        assert records[rec.client_id]["index"] == pytest.approx(rec.index)
        assert records[rec.client_id]["level"] == rec.level


def test_report_methodology_states_the_variant_and_its_weights(tmp_path: Path, rubric: Rubric):
    path = tmp_path / "variant.yaml"
    variant = save_variant(
        rubric, {**rubric.dimension_table["weight"].to_dict(), **TUNED}, path, note="care first"
    )
    ctx = report.prepare(
        "c05-nayzak-mobile",
        rubric=path,
        answers=[SAMPLES / "answers.csv"],
        clients=SAMPLES / "clients.csv",
        targets=SAMPLES / "targets.csv",
        bootstrap=0,
    )
    html = report.methodology(ctx)._repr_html_()
    assert variant.content_hash in html
    assert variant.id in html or variant.version in html
    assert rubric.content_hash[:12] in html  # the parent
    assert "care first" in html
    assert f"{variant.dimension('care').weight:.3f}" in html


# -- issue 17: the audit trail --------------------------------------------------------------


def _panel(rubric: Rubric, bad: bool = False):
    from assessment.weights.group import ahp_experts
    from assessment.weights.matrices import consistent_matrix

    good = consistent_matrix(rubric.dimension_table["weight"])
    mats = [good, good]
    if bad:
        worse = good.copy()
        # Four judgements reversed (care and team below tooling and advocacy): CR about 0.15.
        for a, b in [("care", "tooling"), ("care", "advocacy"), ("strategy", "tooling"),
                     ("team", "advocacy")]:  # fmt: skip
            worse.loc[a, b], worse.loc[b, a] = 1 / 7, 7.0
        mats.append(worse)
    return ahp_experts(mats, names=[f"expert{k}.csv" for k in range(len(mats))])


def test_variant_provenance_records_method_inputs_experts_and_analyst(
    tmp_path: Path, rubric: Rubric
):
    group = _panel(rubric)
    path = tmp_path / "panel.yaml"
    saved = save_variant(
        rubric,
        group.weights,
        path,
        source=group,
        analyst="Lina Haddad",
        note="panel of two",
        created="2026-01-15",
        variant_id="social-media-panel",
    )
    loaded = load_rubric(path)
    assert loaded == saved
    p = loaded.provenance
    assert (loaded.id, loaded.version) == ("social-media-panel", "1.0.0")
    assert (p.parent_id, p.parent_version, p.parent_hash) == (
        rubric.id,
        rubric.version,
        rubric.content_hash,
    )
    assert (p.method, p.aggregation, p.analyst, p.created) == (
        "ahp",
        "aij",
        "Lina Haddad",
        "2026-01-15",
    )
    assert p.cr == pytest.approx(group.combined.cr)
    assert p.consensus == pytest.approx(1.0)
    assert [e.name for e in p.experts] == ["expert0.csv", "expert1.csv"]
    assert all(e.cr == pytest.approx(0, abs=1e-9) for e in p.experts)
    assert p.experts[0].weights["care"] == pytest.approx(
        group.experts["expert0.csv"].weights["care"]
    )
    matrix = p.inputs["matrices"]["expert0.csv"]
    assert matrix["ids"] == [d.id for d in rubric.dimensions]
    assert len(matrix["rows"]) == len(rubric.dimensions)
    assert p.accepted_inconsistent is False
    # The weights note is rewritten: no "not derived from data" beside weights_status derived.
    assert loaded.weights_status == "derived"
    assert "not derived" not in loaded.weights_note["en"]
    assert "Analytic Hierarchy Process" in loaded.weights_note["en"]
    assert "Lina Haddad" in loaded.weights_note["en"]
    assert "عملية التحليل الهرمي" in loaded.weights_note["ar"]
    from assessment.text.glossary import violations

    assert list(violations(loaded.weights_note["ar"])) == []


def test_saving_inconsistent_judgements_needs_an_explicit_acceptance(
    tmp_path: Path, rubric: Rubric
):
    from assessment.exceptions import InconsistentJudgementsError

    group = _panel(rubric, bad=True)
    assert group.inconsistent_experts == ["expert2.csv"]
    path = tmp_path / "v.yaml"
    with pytest.raises(InconsistentJudgementsError, match=r"expert2\.csv CR"):
        save_variant(rubric, group.weights, path, source=group)
    assert not path.exists()
    saved = save_variant(rubric, group.weights, path, source=group, accept_inconsistent=True)
    assert saved.provenance.accepted_inconsistent is True
    assert "accepted explicitly" in saved.weights_note["en"]


def test_no_silent_overwrite_and_two_variants_never_look_identical(tmp_path: Path, rubric: Rubric):
    from assessment.exceptions import OutputExistsError

    base = rubric.dimension_table["weight"].to_dict()
    path = tmp_path / "v.yaml"
    first = save_variant(rubric, {**base, "care": 0.2}, path)
    with pytest.raises(OutputExistsError, match="--force"):
        save_variant(rubric, {**base, "care": 0.2}, path)
    again = save_variant(rubric, {**base, "care": 0.2}, path, overwrite=True)
    assert (again.id, again.version) == (first.id, "1.0.1")  # same weights, same id, bumped
    other = save_variant(rubric, {**base, "care": 0.3}, tmp_path / "w.yaml")
    assert other.id != first.id
    assert other.content_hash != first.content_hash
