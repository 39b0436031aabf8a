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
        ("strategy_exec_sponsor", True, "yes"),
        ("strategy_exec_sponsor", "No", "no"),
        ("strategy_exec_sponsor", "نعم", "yes"),
        ("care_first_response_hours", "2,5", "2.5"),
        ("care_first_response_hours", 0.25, "0.25"),
        ("care_first_response_hours", "12", "12"),
        ("budget_trend", "n/a", "NA"),
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


@pytest.mark.parametrize(
    ("indicator", "value", "fragment"),
    [
        ("strategy_documented", "6", "whole level from 1 to 5"),
        ("strategy_documented", "2.5", "whole level"),
        ("strategy_documented", "", "empty"),
        ("strategy_documented", "NA", "does not allow NA"),
        ("strategy_exec_sponsor", "maybe", "yes or no"),
        ("care_first_response_hours", "fast", "expected a number in hours"),
        ("care_first_response_hours", "1,000", "ambiguous"),
        ("care_first_response_hours", float("inf"), "expected a number"),
        ("no_such_indicator", "3", "unknown indicator"),
    ],
)
def test_normalise_value_rejects_with_a_clear_message(
    rubric: Rubric, indicator: str, value: object, fragment: str
) -> None:
    with pytest.raises(ParameterError, match=fragment):
        normalise_value(rubric, indicator, value)
