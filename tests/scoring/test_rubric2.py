"""Rubric 2.0 in the engine: who was asked, evidence, facts and computed indicators, ties,
sector presets, and the two unreachable levels of rubric 1.0 (a finding each)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from assessment.exceptions import DataValidationError, RubricError
from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric, load_rubric
from assessment.scoring import score
from assessment.scoring.formulas import care_capacity_ratio, registry
from assessment.scoring.staffing import plan_staffing

COLUMNS = ["client_id", "date", "respondent", "role", "indicator_id", "value", "evidence"]


def _levels(k: int, n: int = 5, evidence_from: int | None = None) -> dict:
    out = {}
    for lvl in range(1, n + 1):
        spec: dict = {"descriptor": f"L{lvl}"}
        if lvl < n:
            spec["next_step"] = "up"
        if evidence_from is not None and lvl >= evidence_from:
            spec["evidence"] = "a document"
        out[lvl] = spec
    return out


def roles_rubric(**changes: object) -> Rubric:
    """Two dimensions; care asked of the care lead only, strategy of everyone; a gate on care."""
    data: dict = {
        "schema_version": 2,
        "id": "roles-test",
        "version": "1.0.0",
        "name": "Roles",
        "scale": [{"level": k, "name": f"L{k}"} for k in range(1, 6)],
        "roles": [
            {"id": "care_lead", "name": "Care lead", "aliases": ["Customer care lead"]},
            {"id": "leadership", "name": "Leadership", "aliases": ["CEO"]},
        ],
        "dimensions": [
            {
                "id": "strategy",
                "name": "Strategy",
                "weight": 0.5,
                "indicators": [
                    {
                        "id": "plan",
                        "name": "Plan",
                        "proposal": True,
                        "levels": _levels(5, evidence_from=4),
                    }
                ],
            },
            {
                "id": "care",
                "name": "Care",
                "weight": 0.5,
                "indicators": [
                    {
                        "id": "coverage",
                        "name": "Coverage",
                        "proposal": True,
                        "asked_of": ["care_lead"],
                        "levels": _levels(5),
                    },
                    {"id": "tone", "name": "Tone", "proposal": True, "levels": _levels(5)},
                ],
                "gates": [{"indicator": "coverage", "min_level": 3, "caps_below": 4}],
            },
        ],
        "targets": [
            {"id": "modern", "default": 5},
            {"id": "public", "default": 3, "sectors": ["government"]},
        ],
    }
    data.update(changes)
    return load_rubric(data)


def answers(rubric: Rubric, rows: list[tuple], date: str = "2025-01-01") -> pd.DataFrame:
    """Validated answers from ``(respondent, role, indicator, value[, evidence])`` rows."""
    frame = pd.DataFrame(
        [("acme", date, *r, *([""] if len(r) == 4 else [])) for r in rows], columns=COLUMNS
    )
    return answers_from_frame(frame, rubric)


# -- who was asked ------------------------------------------------------------------------------


def test_an_indicator_nobody_was_asked_is_not_asked_and_leaves_coverage_alone():
    rubric = roles_rubric()
    ans = answers(rubric, [("Omar", "CEO", "plan", 4), ("Omar", "CEO", "tone", 4)])
    result = score(rubric, ans)
    status = result.indicators.set_index("indicator_id")["status"]
    assert status["coverage"] == "not_asked"
    dims = result.dimensions.set_index("dimension_id")
    # Coverage counts what was asked: tone was asked and answered.
    assert dims.loc["care", "coverage"] == pytest.approx(1.0)
    # The gate still caps: nobody showed the condition.
    assert dims.loc["care", "score"] == pytest.approx(3.99)
    assert dims.loc["care", "capped_by"] == "coverage"


def test_the_loader_warns_when_nobody_was_asked_an_indicator():
    rubric = roles_rubric()
    ans = answers(rubric, [("Omar", "CEO", "plan", 4)])
    (warning,) = ans.attrs["warnings"]
    assert warning.startswith("acme on 2025-01-01: nobody was asked coverage (asked of care_lead)")
    ok = answers(rubric, [("Omar", "CEO", "plan", 4), ("Sami", "Customer care lead", "tone", 3)])
    assert ok.attrs["warnings"] == []


def test_a_role_outside_the_rubric_is_asked_everything():
    rubric = roles_rubric()
    ans = answers(rubric, [("Omar", "Board member", "plan", 4)])
    assert ans.attrs["warnings"] == []
    status = score(rubric, ans).indicators.set_index("indicator_id")["status"]
    assert status["coverage"] == "missing"


def test_the_bootstrap_resamples_only_the_respondents_asked_each_question():
    # The care lead alone answers coverage (a gate).  Resampling every respondent would drop
    # them in about half of the resamples, leave the gate unanswered, and pull the interval's
    # lower bound down to the cap; resampling those asked keeps them in every resample.
    rubric = roles_rubric()
    rows = [("Sami", "care_lead", "coverage", 5), ("Sami", "care_lead", "tone", 5)]
    rows += [(f"Exec {k}", "CEO", "tone", 5) for k in range(3)]
    rows += [(f"Exec {k}", "CEO", "plan", 4) for k in range(3)]
    result = score(rubric, answers(rubric, rows), bootstrap=400)
    care = result.dimensions.set_index("dimension_id").loc["care"]
    assert care["score"] == pytest.approx(5.0)
    assert care["ci_low"] == pytest.approx(5.0)


# -- evidence ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "option", "level", "capped"),
    [
        ("", "trust", 5.0, False),
        ("", "cap", 3.0, True),
        ("strategy-2025.pdf", "cap", 5.0, False),
    ],
    ids=["trusted", "capped-without-evidence", "evidenced"],
)
def test_evidence_cap(evidence: str, option: str, level: float, capped: bool):
    rubric = roles_rubric()
    ans = answers(rubric, [("Omar", "CEO", "plan", 5, evidence)])
    ind = score(rubric, ans, evidence=option).indicators.set_index("indicator_id").loc["plan"]
    assert ind["level"] == level
    assert bool(ind["evidence_capped"]) is capped
    assert bool(ind["evidenced"]) is bool(evidence)


def test_the_evidence_cap_only_lowers_levels_above_it():
    rubric = roles_rubric()
    ans = answers(rubric, [("Omar", "CEO", "plan", 2)])
    assert score(rubric, ans, evidence="cap").indicators["level"].iloc[0] == 2.0


# -- facts and computed indicators ---------------------------------------------------------------


def capacity_rubric() -> Rubric:
    facts = [
        {"id": "msgs", "name": "Messages", "unit": "messages", "minimum": 0, "proposal": True},
        {"id": "hours", "name": "Hours a week", "unit": "hours", "minimum": 1, "maximum": 168,
         "proposal": True},
        {"id": "langs", "name": "Languages", "unit": "languages", "minimum": 1, "proposal": True},
        {"id": "within", "name": "Promise", "unit": "minutes", "minimum": 1, "proposal": True},
        {"id": "fte", "name": "FTE today", "unit": "FTE", "minimum": 0, "proposal": True},
    ]  # fmt: skip
    ratio = {
        "id": "capacity",
        "name": "Capacity",
        "kind": "computed",
        "direction": "higher_is_better",
        "thresholds": [0.25, 0.5, 0.8, 1.0],
        "unit": "ratio",
        "proposal": True,
        "formula": {
            "function": "care_capacity_ratio",
            "inputs": {
                "messages_per_day": "msgs",
                "coverage_hours_per_week": "hours",
                "languages": "langs",
                "answer_within_minutes": "within",
                "current_fte": "fte",
                "aht_minutes": 6,
            },
        },
        "levels": _levels(5),
    }
    return roles_rubric(
        facts=facts,
        dimensions=[
            {"id": "team", "name": "Team", "weight": 1.0, "indicators": [ratio]},
        ],
    )


def test_a_computed_indicator_is_the_formula_of_the_facts():
    rubric = capacity_rubric()
    facts = {"msgs": 620, "hours": 84, "langs": 2, "within": 60, "fte": 4}
    ans = answers(rubric, [("Sami", "care_lead", k, v) for k, v in facts.items()])
    ind = score(rubric, ans).indicators.set_index("indicator_id").loc["capacity"]
    expected = care_capacity_ratio([620.0], [84.0], [2.0], [60.0], [4.0])[0]
    assert ind["value"] == pytest.approx(expected)
    assert ind["status"] == "answered"
    assert ind["level"] == 1.0  # 4 people where about 18 are needed
    enough = answers(rubric, [("Sami", "care_lead", k, v) for k, v in {**facts, "fte": 40}.items()])
    assert score(rubric, enough).indicators["level"].iloc[0] == 5.0


def test_the_ratio_follows_the_staffing_model():
    # One language, the whole week: the need is exactly plan_staffing's FTE.
    plan = plan_staffing(
        messages_per_day=240,
        aht_minutes=6,
        answer_within_minutes=30,
        service_level=0.8,
        coverage="24x7",
    )
    ratio = care_capacity_ratio([240.0], [168.0], [1.0], [30.0], [3.0])[0]
    assert ratio == pytest.approx(3.0 / plan.fte)


def test_a_computed_indicator_without_its_facts_is_missing():
    rubric = capacity_rubric()
    ans = answers(rubric, [("Sami", "care_lead", "msgs", 620)])
    ind = score(rubric, ans).indicators.iloc[0]
    assert ind["status"] == "missing"
    assert np.isnan(ind["level"])


def test_facts_are_checked_like_measurements_and_against_their_range():
    rubric = capacity_rubric()
    frame = pd.DataFrame(
        [
            ("acme", "2025-01-01", "Sami", "care_lead", "hours", "200", ""),
            ("acme", "2025-01-01", "Sami", "care_lead", "msgs", "lots", ""),
        ],
        columns=COLUMNS,
    )
    with pytest.raises(DataValidationError) as caught:
        answers_from_frame(frame, rubric)
    text = str(caught.value)
    assert "fact 'hours' must be from 1 to 168 hours" in text
    assert "fact 'msgs' is measured: expected a number in messages" in text


def test_an_unknown_formula_is_a_rubric_error():
    assert "care_capacity_ratio" in registry.names()
    data = capacity_rubric().model_dump(mode="json")
    data["dimensions"][0]["indicators"][0]["formula"]["function"] = "warp_drive"
    rubric = load_rubric(data)
    ans = answers(rubric, [("Sami", "care_lead", "msgs", 620)])
    with pytest.raises(RubricError, match="unknown formula 'warp_drive'"):
        score(rubric, ans)


# -- ties ------------------------------------------------------------------------------------------


def tie_rubric() -> Rubric:
    """Two dimensions whose priorities tie but for float noise: 0.12 x 2.75 vs 0.11 x 3."""
    inds = lambda p: [{"id": f"{p}1", "name": p, "proposal": True, "levels": _levels(5)}]  # noqa: E731
    return load_rubric(
        {
            "schema_version": 2,
            "id": "ties",
            "version": "1",
            "name": "Ties",
            "scale": [{"level": k, "name": f"L{k}"} for k in range(1, 6)],
            "dimensions": [
                {"id": "light", "name": "Light", "weight": 0.11, "indicators": inds("light")},
                {"id": "heavy", "name": "Heavy", "weight": 0.12, "indicators": inds("heavy")},
                {"id": "rest", "name": "Rest", "weight": 0.77, "indicators": inds("rest")},
            ],
            "targets": [{"id": "modern", "default": 5}],
        }
    )


def test_priorities_that_differ_by_float_noise_are_a_tie_broken_by_weight():
    rubric = tie_rubric()
    frame = pd.DataFrame(
        [
            ("acme", "2025-01-01", "a", "", "light1", "2"),
            *(("acme", "2025-01-01", r, "", "heavy1", "2") for r in "abc"),
            ("acme", "2025-01-01", "d", "", "heavy1", "3"),
            ("acme", "2025-01-01", "a", "", "rest1", "5"),
        ],
        columns=COLUMNS[:-1],
    )
    # Means: light 2 (gap 3 x 0.11 = 0.33), heavy 2.25 (gap 2.75 x 0.12 = 0.32999999999999996).
    result = score(rubric, answers_from_frame(frame, rubric), aggregate="mean")
    dims = result.dimensions.set_index("dimension_id")
    assert dims.loc["light", "priority"] != dims.loc["heavy", "priority"]  # 0.33 vs 0.33000...4
    assert round(dims.loc["light", "priority"], 3) == round(dims.loc["heavy", "priority"], 3)
    assert dims.loc["light", "priority_rank"] == dims.loc["heavy", "priority_rank"] == 1
    summary = result.summary().iloc[0]
    assert summary["top_gap"] == "heavy"  # the tie goes to the heavier dimension
    assert summary["top_gap_ties"] == "light"
    ranks = result.recommendations.set_index("indicator_id")["rank"]
    assert ranks["heavy1"] == ranks["light1"] == 1


# -- targets ---------------------------------------------------------------------------------------


def test_a_client_without_a_profile_gets_its_sectors_default():
    rubric = roles_rubric()
    clients = pd.DataFrame(
        {
            "client_id": ["acme"],
            "name": ["Acme"],
            "sector": ["government"],
            "target_profile": [""],
        }
    )
    ans = answers(rubric, [("Omar", "CEO", "plan", 2)])
    result = score(rubric, ans, clients=clients)
    assert result.overall["target_profile"].iloc[0] == "public"
    assert (result.dimensions["target"] == 3.0).all()
    other = score(rubric, ans, clients=clients.assign(sector="retail"))
    assert other.overall["target_profile"].iloc[0] == "modern"  # the first profile


# -- rubric 1.0's unreachable level 5 --------------------------------------------------------------


def _perfect(rubric: Rubric) -> pd.DataFrame:
    rows = []
    for _, ind in rubric.iter_indicators():
        if ind.kind == "boolean":
            value = "yes" if ind.yes_level > ind.no_level else "no"
        elif ind.kind == "measured":
            value = str(ind.thresholds[-1])
        else:
            value = str(rubric.n_levels)
        rows.append(("acme", "2025-01-01", "a", "", ind.id, value))
    frame = pd.DataFrame(rows, columns=COLUMNS[:-1])
    return answers_from_frame(frame, rubric)


def test_a_perfect_organisation_reaches_5_everywhere_under_2_0_and_not_under_1_0():
    old = load_rubric("social-media@1.0.0")
    dims = score(old, _perfect(old)).dimensions.set_index("dimension_id")["score"]
    assert dims["strategy"] == pytest.approx(4.75)  # the finding, reproduced
    assert dims["crisis"] == pytest.approx(4.75)
    new = load_rubric("social-media")
    answers_new = _perfect(new)
    answers_new = answers_new.loc[answers_new["kind"] != "fact"]
    result = score(new, answers_new)
    scored = result.dimensions.set_index("dimension_id")["score"].dropna()
    assert (scored == 5.0).all()
