"""``maturity rubric diff 1.0 2.0`` reads as a migration note."""

from __future__ import annotations

from helpers import run_cli

from assessment.rubric import load_rubric
from assessment.rubric.migration import migration


def test_the_migration_from_1_0_to_2_0():
    note = migration(load_rubric("social-media@1.0.0"), load_rubric("social-media"))
    team = next(w for w in note.weights if w.dimension_id == "team")
    assert (team.old, team.new) == (0.10, 0.12)
    assert round(team.percent, 1) == 20.0
    removed = {i for kind, i, _ in note.removed if kind == "indicator"}
    assert {"strategy_exec_review", "budget_trend", "team_dedicated_fte"} <= removed
    added = {i for kind, i, _ in note.added if kind == "indicator"}
    assert {"team_capacity_ratio", "care_messaging_apps", "governance_ai_policy"} <= added
    changed = dict(note.changed)
    assert "kind 'boolean' -> 'anchored'" in changed["strategy_exec_sponsor"]
    assert "proposal False -> True" in changed["budget_share_pct"]
    assert note.texts > 100
    assert not note.empty


def test_the_diff_command_prints_the_note_and_details_on_request():
    out = run_cli("rubric", "diff", "social-media@1.0.0", "social-media")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[2] == "Weights"
    assert any(line.strip().startswith("Team") and "+20.0%" in line for line in lines)
    assert "  - indicator budget_trend: Budget trend (budget)" in lines
    assert "Schema version 1 -> 2" in lines
    assert "Every change" not in out.stdout
    detailed = run_cli("rubric", "diff", "social-media@1.0.0", "social-media", "--details")
    assert "Every change" in detailed.stdout
    assert "~ dimensions[team].weight: 0.1 -> 0.12" in detailed.stdout


def test_a_rubric_against_itself_has_no_differences():
    same = run_cli("rubric", "diff", "social-media", "social-media")
    assert same.stdout.splitlines()[-1] == "no differences"
