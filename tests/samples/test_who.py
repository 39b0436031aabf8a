"""Who answers what in synthetic data (:mod:`assessment.samples.who`).

The rules are the rubric's: a respondent answers what is asked of their role (everything when
the role is not the rubric's, or the rubric has no roles), the role listed first in an item's
``asked_of`` reports a measurement or a fact, and nobody answers a computed indicator.
"""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import SMALL_RUBRIC

from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric, load_rubric
from assessment.samples.synthetic import random_profiles, synthetic_answers
from assessment.samples.who import ROLES, default_roles, items_of

CARE_DESK = {
    "care_messages_per_day": 100.0,
    "care_coverage_hours_per_week": 84.0,
    "care_languages_answered": 2.0,
    "care_target_response_minutes": 60.0,
    "care_fte_current": 3.0,
}


def _roster(client: str, *people: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(client, who, role) for who, role in people], columns=["client_id", "respondent", "role"]
    )


def _one_client(rubric: Rubric) -> pd.DataFrame:
    return random_profiles(rubric, 1, seed=4).set_axis(pd.Index(["acme"], name="client_id"))


def test_default_roles_ask_every_item_between_the_first_few(rubric: Rubric) -> None:
    names, fixed = default_roles(rubric)
    assert sorted(rubric.role_id(n) for n in names) == sorted(r.id for r in rubric.roles)
    held = {rubric.role_id(n) for n in names[:fixed]}
    items = items_of(rubric)
    assert all(not of or held & set(of) for of in items.asked_of)
    # The lead is the role asked most; fewer fixed roles would leave something unasked.
    assert rubric.role_id(names[0]) == "social_lead"
    fewer = {rubric.role_id(n) for n in names[: fixed - 1]}
    assert not all(not of or fewer & set(of) for of in items.asked_of)
    assert default_roles(load_rubric(SMALL_RUBRIC)) == (ROLES, 1)


def test_each_respondent_answers_only_what_their_role_is_asked(rubric: Rubric) -> None:
    roster = _roster(
        "acme",
        ("Hala", "Head of social media"),
        ("Reem", "Customer care lead"),
        ("Omar", "Finance manager"),
        ("Sara", "Marketing director"),
        ("Nour", "Data protection officer"),
    )
    facts = pd.DataFrame([CARE_DESK], index=["acme"])
    answers = synthetic_answers(rubric, _one_client(rubric), roster=roster, facts=facts, seed=1)
    for who, group in answers.groupby("respondent"):
        role_id = rubric.role_id(group["role"].iloc[0])
        for item_id in group["indicator_id"]:
            try:
                asked_of = rubric.indicator(item_id).asked_of
            except KeyError:
                asked_of = rubric.fact(item_id).asked_of
            assert role_id in asked_of, f"{who} ({role_id}) answered {item_id}"
    finance = set(answers.loc[answers["respondent"] == "Omar", "indicator_id"])
    assert finance == {"budget_share_pct", "budget_governance", "budget_adequacy"}
    # The loader sees nobody unasked: the roster covers every indicator.
    assert answers_from_frame(answers, rubric).attrs["warnings"] == []


def test_the_responsible_role_reports_measurements_and_facts(rubric: Rubric) -> None:
    # Marketing and the social-media lead are listed before finance and the care lead in the
    # roster, but the rubric names finance and the care lead first: they report.
    roster = _roster(
        "acme",
        ("Sara", "Marketing director"),
        ("Hala", "Head of social media"),
        ("Omar", "Finance manager"),
        ("Reem", "Customer care lead"),
        ("Rami", "Customer care lead"),
    )
    facts = pd.DataFrame([CARE_DESK], index=["acme"])
    answers = synthetic_answers(rubric, _one_client(rubric), roster=roster, facts=facts, seed=1)
    by_item = answers.groupby("indicator_id")["respondent"].agg(list)
    assert by_item["budget_share_pct"] == ["Omar"]
    assert by_item["care_first_response_hours"] == ["Reem"]  # the first of two care leads
    for fact_id, value in CARE_DESK.items():
        assert by_item[fact_id] == ["Reem"]
        row = answers.loc[answers["indicator_id"] == fact_id]
        assert float(row["value"].iloc[0]) == value
        assert row["evidence"].iloc[0] == ""  # facts carry no evidence level
    assert "team_capacity_ratio" not in set(answers["indicator_id"])  # computed, not asked
    # Anchored questions go to everyone asked them.
    assert sorted(by_item["care_coverage"]) == ["Hala", "Rami", "Reem"]


def test_a_role_the_rubric_does_not_know_is_asked_everything(rubric: Rubric) -> None:
    roster = _roster("acme", ("Hala", "Head of social media"), ("Joe", "Volunteer"))
    answers = synthetic_answers(rubric, _one_client(rubric), roster=roster, seed=1)
    table = rubric.indicator_table
    joe = set(answers.loc[answers["respondent"] == "Joe", "indicator_id"])
    hala = set(answers.loc[answers["respondent"] == "Hala", "indicator_id"])
    # Joe is asked everything (the engine's rule), so he, not the social-media lead, reports
    # the budget share, which the rubric does not ask of her.
    assert "budget_share_pct" in joe
    assert "budget_share_pct" not in hala
    anchored = set(table.index[table["kind"] == "anchored"])
    assert anchored <= joe


@pytest.mark.parametrize("roles", [None, ["Head of social media", "Social media analyst"]])
def test_generated_rosters_use_spellings_the_rubric_recognises(
    rubric: Rubric, roles: list[str] | None
) -> None:
    profiles = random_profiles(rubric, 30, seed=2)
    answers = synthetic_answers(rubric, profiles, respondents=4, roles=roles, seed=2)
    assert all(rubric.role_id(role) for role in set(answers["role"]))
    loaded = answers_from_frame(answers, rubric)
    assert (loaded["role_id"] != "").all()
    if roles is None:  # the default roster asks every question
        assert loaded.attrs["warnings"] == []
