"""The rules of rubric 2.0 (checks.py) and ``maturity rubric lint``, on both packaged versions."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import SMALL_RUBRIC, run_cli

from assessment.exceptions import RubricError
from assessment.rubric import dump_rubric, lint, load_rubric
from assessment.rubric.checks import load_notes


def test_lint_of_rubric_1_0_names_what_the_review_found():
    findings = {(p.where, p.code) for p in lint(load_rubric("social-media@1.0.0"))}
    # Level 5 unreachable in two dimensions.
    assert ("indicator 'strategy_exec_sponsor'", "unreachable") in findings
    assert ("indicator 'crisis_account_security'", "unreachable") in findings
    # Proposals shown as sourced.
    for name in (
        "budget_share_pct",
        "care_first_response_hours",
        "care_response_rate_pct",
        "crisis_holding_response_hours",
    ):
        assert (f"indicator {name!r}", "unsourced") in findings
    # The NA loophole on the crisis drill.
    assert ("indicator 'crisis_holding_response_hours'", "na_loophole") in findings
    # And the glossary (محور for dimension, among others).
    assert any(code == "glossary" for _, code in findings)


def test_the_packaged_rubric_is_clean():
    assert lint(load_rubric("social-media")) == []


def test_a_variant_of_1_0_still_loads_with_a_clear_note(tmp_path: Path):
    variant = load_rubric("social-media@1.0.0").with_weights({"care": 0.2}, note="more care")
    path = tmp_path / "variant.yaml"
    path.write_text(dump_rubric(variant), encoding="utf-8")
    again = load_rubric(path)
    assert again.schema_version == 1
    notes = load_notes(again)
    assert any("a variant of social-media 1.0.0" in n and "now version 2.x" in n for n in notes)
    # The CLI says it on every command that loads it, and still scores (answers in 1.0's ids).
    answers = tmp_path / "answers.csv"
    answers.write_text(
        "client_id,date,respondent,role,indicator_id,value\n"
        "acme,2025-01-01,ann,marketing,strategy_documented,3\n"
        "acme,2025-01-01,ann,marketing,team_dedicated_fte,2\n",
        encoding="utf-8",
    )
    result = run_cli("score", "--rubric", str(path), str(answers), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "warning: rubric social-media 1.0.1: a variant of social-media 1.0.0" in result.stderr
    assert result.stdout.startswith("client_id,")


def test_rubric_lint_command_exit_codes(tmp_path: Path):
    clean = run_cli("rubric", "lint", "--rubric", "social-media")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "social-media 2.0.0 (schema 2): clean" in clean.stderr
    old = run_cli("rubric", "lint", "--rubric", "social-media@1.0.0")
    assert old.returncode == 1
    assert "indicator 'strategy_exec_sponsor': yes/no map to levels [1, 4]" in old.stdout
    assert "[unreachable]" in old.stdout
    assert old.stderr.strip().endswith("finding(s)")
    broken = tmp_path / "broken.yaml"
    broken.write_text(SMALL_RUBRIC.read_text().replace("weight: 0.6", "weight: 0.7"))
    invalid = run_cli("rubric", "lint", "--rubric", str(broken))
    assert invalid.returncode == 2
    assert "dimension weights must sum to 1" in invalid.stderr
    assert "Traceback" not in invalid.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"allow_na": True},
            "allows NA without 'na_when'",
        ),
        ({"proposal": False, "sources": ["internal_2024"]}, "no source says what it supports"),
    ],
    ids=["na-without-na_when", "unsourced"],
)
def test_schema_2_rejects_quality_problems(change: dict, message: str):
    data = load_rubric(SMALL_RUBRIC).model_dump(mode="json")
    data["dimensions"][0]["indicators"][0].update(change)
    with pytest.raises(RubricError, match=message):
        load_rubric(data)


def test_a_gate_may_not_allow_na():
    data = load_rubric(SMALL_RUBRIC).model_dump(mode="json")
    gate = data["dimensions"][0]["gates"][0]["indicator"]
    ind = next(i for i in data["dimensions"][0]["indicators"] if i["id"] == gate)
    ind.update(allow_na=True, na_when="never")
    with pytest.raises(RubricError, match="is a gate and allows NA"):
        load_rubric(data)


def test_roles_facts_and_sectors_are_checked():
    data = load_rubric(SMALL_RUBRIC).model_dump(mode="json")
    data["dimensions"][0]["indicators"][0]["asked_of"] = ["cfo"]
    data["targets"].append({"id": "other", "default": 2, "sectors": ["Retail"]})
    data["targets"][0]["sectors"] = ["retail"]
    with pytest.raises(RubricError) as caught:
        load_rubric(data)
    text = str(caught.value)
    assert "asked of role 'cfo', which is not in 'roles'" in text
    assert "sector 'Retail' is already the default of 'baseline'" in text
