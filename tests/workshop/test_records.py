"""What a vote must be before the store keeps it: the rules of the answers format."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers.workshop import EMPTY_DATE as DATE

from assessment.exceptions import ParameterError
from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric
from assessment.workshop.records import normalise_value


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("strategy_documented", "3", "3"),
        ("strategy_documented", 4, "4"),
        ("strategy_documented", " 5.0 ", "5"),
        ("care_first_response_hours", "2,5", "2.5"),
        ("care_first_response_hours", 0.25, "0.25"),
        ("care_first_response_hours", "12", "12"),
        ("content_paid_influencer", "n/a", "NA"),
        ("advocacy_active_pct", "NA", "NA"),
        ("care_messages_per_day", 620, "620"),  # a fact: a number about the client
        ("care_fte_current", "3,5", "3.5"),
    ],
)
def test_normalise_value_accepts_what_the_answers_format_accepts(
    rubric: Rubric, indicator: str, value: object, expected: str
) -> None:
    assert normalise_value(rubric, indicator, value) == expected
    frame = pd.DataFrame(
        [["c", DATE, "r", "x", indicator, expected]],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value"],
    )
    answers_from_frame(frame, rubric)  # what the store keeps exports cleanly


# The packaged rubric 2.0 has no yes/no indicator; the 4-level test rubric's owner_named is one.
@pytest.mark.parametrize(
    ("value", "expected"), [(True, "yes"), ("No", "no"), ("نعم", "yes"), ("FALSE", "no")]
)
def test_normalise_value_accepts_yes_and_no_for_boolean_indicators(
    small_rubric: Rubric, value: object, expected: str
) -> None:
    assert normalise_value(small_rubric, "owner_named", value) == expected
    frame = pd.DataFrame(
        [["c", DATE, "r", "x", "owner_named", expected]],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value"],
    )
    answers_from_frame(frame, small_rubric)  # what the store keeps exports cleanly


@pytest.mark.parametrize(
    ("indicator", "value", "fragment"),
    [
        ("strategy_documented", "6", "whole level from 1 to 5"),
        ("strategy_documented", "2.5", "whole level"),
        ("strategy_documented", "", "empty"),
        ("strategy_documented", "NA", "does not allow NA"),
        ("care_first_response_hours", "fast", "expected a number in hours"),
        ("care_first_response_hours", "1,000", "ambiguous"),
        ("care_first_response_hours", float("inf"), "expected a number"),
        ("no_such_indicator", "3", "unknown indicator"),
        ("care_coverage_hours_per_week", "200", "from 1 to 168"),  # a week has 168 hours
        ("care_fte_current", "many", "expects a number in FTE"),
        ("care_messages_per_day", "1,000", "expects a number"),
    ],
)
def test_normalise_value_rejects_with_a_clear_message(
    rubric: Rubric, indicator: str, value: object, fragment: str
) -> None:
    with pytest.raises(ParameterError, match=fragment):
        normalise_value(rubric, indicator, value)


def test_normalise_value_rejects_what_is_not_yes_or_no(small_rubric: Rubric) -> None:
    with pytest.raises(ParameterError, match="yes or no"):
        normalise_value(small_rubric, "owner_named", "maybe")
