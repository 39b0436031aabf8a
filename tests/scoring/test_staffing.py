"""Tests for :mod:`assessment.scoring.staffing`: the staffing plan, its table and checks."""

from __future__ import annotations

import dataclasses
import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from helpers.staffing import FAST, aht_values, ratio_values, target_values
from hypothesis import given
from hypothesis import strategies as st

from assessment.exceptions import ParameterError
from assessment.scoring.erlang import (
    MAX_AGENTS_ON_DUTY,
    erlang_b,
    erlang_c,
    required_agents,
    service_level,
)
from assessment.scoring.staffing import (
    COVERAGE_OPTIONS,
    TABLE_COLUMNS,
    StaffingResult,
    fte_required,
    plan_staffing,
    staffing_table,
)

CALL_CENTRE_HELPER = {
    # Call Centre Helper worked example: 100 calls per 30 minutes = 200 per hour, AHT 180 s,
    # target 80% answered within 20 s.  Times in minutes, as plan_staffing takes them.
    "messages_per_hour": 200,
    "aht_minutes": 3,
    "answer_within_minutes": 20 / 60,
    "service_level": 0.8,
}


# --------------------------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------------------------


def test_call_centre_helper_needs_14_agents_and_20_after_shrinkage() -> None:
    """Call Centre Helper's example (URL in test_erlang.py; figures from the CRAN ErlangC README):
    the target of 80% in 20 s needs 14 agents (13 reach only 79.56%), achieving a service level
    of 0.88835 with P(wait) 0.1741319; with 30% shrinkage that is 14 / 0.7 = 20 agents
    ("$agents_shrinked [1] 20").

    Our FTE equals that "agents after shrinkage" figure when an FTE's contracted hours equal
    the covered hours (45 h for business coverage).
    """
    result = plan_staffing(**CALL_CENTRE_HELPER, shrinkage=0.3, hours_per_fte_week=45)
    assert result.agents == 14
    assert result.traffic_erlangs == pytest.approx(10.0)
    assert result.service_level == pytest.approx(0.88835, abs=5e-7)
    assert result.probability_of_waiting == pytest.approx(0.1741319, abs=5e-7)
    assert result.asa_minutes * 60 == pytest.approx(7.83593701177724, rel=1e-9)
    assert result.fte == pytest.approx(20.0)
    assert service_level(13, 10.0, 3, 20 / 60) < 0.8 <= result.service_level


# --------------------------------------------------------------------------------------------
# Coverage, minimum staff and FTE
# --------------------------------------------------------------------------------------------


def test_zero_messages_still_needs_someone_on_duty() -> None:
    result = plan_staffing(
        messages_per_hour=0, aht_minutes=5, answer_within_minutes=60, service_level=0.9
    )
    assert result.traffic_erlangs == 0
    assert result.agents_for_service_level == 0
    assert result.agents == 1
    assert result.service_level == 1.0
    assert result.fte == pytest.approx(45 / (40 * 0.7))
    assert "minimum" in result.to_text()

    bare = plan_staffing(
        messages_per_hour=0,
        aht_minutes=5,
        answer_within_minutes=60,
        service_level=0.9,
        min_agents=0,
        current_fte=1,
    )
    assert bare.agents == 0
    assert bare.fte == 0.0
    assert bare.fte_gap == -1.0
    assert bare.staffed_fraction is None
    assert "no additional staff" in bare.to_text()


def test_min_agents_floor_applies_when_traffic_is_light() -> None:
    result = plan_staffing(
        messages_per_hour=1,
        aht_minutes=5,
        answer_within_minutes=60,
        service_level=0.8,
        min_agents=2,
    )
    assert result.agents_for_service_level == 1
    assert result.agents == 2
    assert "minimum kept on duty" in result.to_text()


def test_messages_per_day_are_spread_over_covered_hours() -> None:
    kwargs = {"aht_minutes": 6, "answer_within_minutes": 60, "service_level": 0.8}
    business = plan_staffing(messages_per_day=90, coverage="business", **kwargs)
    always = plan_staffing(messages_per_day=96, coverage="24x7", **kwargs)
    assert business.messages_per_hour == pytest.approx(10.0)
    assert business.messages_per_day == 90
    assert always.messages_per_hour == pytest.approx(4.0)
    hourly = plan_staffing(messages_per_hour=10, coverage="business", **kwargs)
    assert hourly.messages_per_day is None
    assert hourly.agents == business.agents


def test_fte_and_gap() -> None:
    result = plan_staffing(**CALL_CENTRE_HELPER, coverage="24x7", current_fte=10)
    expected = 14 * 168 / (40 * (1 - 0.3))
    assert result.coverage_hours_per_week == 168
    assert result.fte == pytest.approx(expected)
    assert result.fte_gap == pytest.approx(expected - 10)
    assert result.staffed_fraction == pytest.approx(10 / expected)
    assert fte_required(14, 168) == pytest.approx(expected)
    assert fte_required(3, 45, hours_per_fte_week=37.5, shrinkage=0) == pytest.approx(3.6)


def test_coverage_options_are_documented_data() -> None:
    hours = {key: option.hours_per_week for key, option in COVERAGE_OPTIONS.items()}
    assert hours == {"business": 45, "extended": 84, "24x7": 168}
    assert COVERAGE_OPTIONS["business"].days_per_week == 5
    with pytest.raises(TypeError):
        COVERAGE_OPTIONS["weekend"] = COVERAGE_OPTIONS["business"]  # type: ignore[index]


# --------------------------------------------------------------------------------------------
# Result object and table
# --------------------------------------------------------------------------------------------


def test_result_is_frozen_and_serialises_to_json() -> None:
    result = plan_staffing(**CALL_CENTRE_HELPER, current_fte=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.agents = 3  # type: ignore[misc]
    data = result.to_dict()
    assert {"agents", "service_level", "fte", "current_fte", "fte_gap"} <= data.keys()
    assert data["agents"] == 14
    assert isinstance(data["agents"], int)
    assert data["fte"] == result.fte  # unrounded
    assert json.loads(json.dumps(data, allow_nan=False)) == data
    assert StaffingResult(**data) == result


def test_to_text_says_what_the_numbers_mean() -> None:
    result = plan_staffing(
        messages_per_day=150,
        aht_minutes=6,
        answer_within_minutes=60,
        service_level=0.9,
        coverage="extended",
        current_fte=1.0,
    )
    text = result.to_text()
    assert len(text.splitlines()) >= 5
    assert "84 h/week" in text
    assert f"{result.fte:.2f}" in text
    share = round(1.0 / result.fte * 100)
    assert re.search(rf"With 1 FTE today you cover {share}% of what this service level needs", text)
    enough = plan_staffing(**CALL_CENTRE_HELPER, current_fte=100).to_text()
    assert "meet this service level" in enough


def test_staffing_table_compares_coverage_options() -> None:
    table = staffing_table(**CALL_CENTRE_HELPER, current_fte=1.0)
    assert isinstance(table, pd.DataFrame)
    assert list(table.index) == ["business", "extended", "24x7"]
    assert table.index.name == "coverage"
    assert list(table.columns[:6]) == [
        "coverage_hours_per_week",
        "agents",
        "service_level",
        "fte",
        "current_fte",
        "fte_gap",
    ]
    assert tuple(table.columns) == TABLE_COLUMNS
    assert table["agents"].dtype == np.int64
    assert (table["agents"] == 14).all()  # same hourly rate in every row
    assert table.loc["24x7", "fte"] == pytest.approx(
        plan_staffing(**CALL_CENTRE_HELPER, coverage="24x7").fte
    )
    assert (table["fte_gap"] == table["fte"] - 1.0).all()

    no_current = staffing_table(**CALL_CENTRE_HELPER)
    assert no_current["current_fte"].isna().all()
    assert no_current["fte_gap"].isna().all()


def test_staffing_table_per_day_rate_differs_by_coverage() -> None:
    table = staffing_table(
        messages_per_day=240, aht_minutes=10, answer_within_minutes=30, service_level=0.8
    )
    rates = table["messages_per_hour"]
    assert rates["business"] == pytest.approx(240 / 9)
    assert rates["extended"] == pytest.approx(240 / 12)
    assert rates["24x7"] == pytest.approx(240 / 24)
    assert table["agents"].is_monotonic_decreasing
    assert table["fte"].is_monotonic_increasing
    subset = staffing_table(
        messages_per_day=240,
        aht_minutes=10,
        answer_within_minutes=30,
        service_level=0.8,
        coverages=["24x7"],
    )
    assert list(subset.index) == ["24x7"]


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


VALID = {
    "messages_per_hour": 20,
    "aht_minutes": 5,
    "answer_within_minutes": 60,
    "service_level": 0.8,
}


@pytest.mark.parametrize(
    ("override", "pattern"),
    [
        (
            {"messages_per_day": 100},
            r"exactly one of messages_per_hour or messages_per_day; got both",
        ),
        ({"messages_per_hour": None}, r"exactly one of .*got neither"),
        ({"messages_per_hour": -1}, r"messages_per_hour must be a number >= 0.*got -1"),
        ({"messages_per_hour": math.nan}, r"messages_per_hour must be .*got nan"),
        ({"messages_per_hour": "20"}, r"messages_per_hour must be .*got '20'"),
        ({"messages_per_hour": True}, r"messages_per_hour must be .*got True"),
        ({"aht_minutes": 0}, r"aht_minutes must be a number > 0.*got 0"),
        ({"answer_within_minutes": -5}, r"answer_within_minutes must be a number >= 0.*got -5"),
        ({"service_level": 0}, r"service_level must be a fraction strictly between 0 and 1.*got 0"),
        ({"service_level": 1}, r"service_level must be .*got 1"),
        ({"service_level": 80}, r"service_level must be .*got 80 \(did you mean 0.8\?\)"),
        ({"shrinkage": 1}, r"shrinkage must be a fraction >= 0 and < 1.*got 1"),
        ({"shrinkage": -0.1}, r"shrinkage must be .*got -0.1"),
        (
            {"coverage": "weekends"},
            r"coverage must be one of 'business', 'extended', '24x7'; got 'weekends'",
        ),
        ({"hours_per_fte_week": 0}, r"hours_per_fte_week must be a number > 0.*got 0"),
        ({"hours_per_fte_week": 200}, r"hours_per_fte_week must be .*<= 168.*got 200"),
        ({"current_fte": -1}, r"current_fte must be a number >= 0.*got -1"),
        ({"min_agents": -1}, r"min_agents must be a whole number >= 0; got -1"),
        ({"min_agents": 1.5}, r"min_agents must be a whole number >= 0; got 1.5"),
    ],
)
def test_invalid_inputs_raise_parameter_error(override: dict[str, object], pattern: str) -> None:
    kwargs = {**VALID, **override}
    with pytest.raises(ParameterError, match=pattern):
        plan_staffing(**kwargs)  # type: ignore[arg-type]


def test_absurd_load_raises_a_clear_error() -> None:
    with pytest.raises(ParameterError, match=r"Check the units"):
        plan_staffing(
            messages_per_hour=1_000_000, aht_minutes=30, answer_within_minutes=1, service_level=0.8
        )
    with pytest.raises(ParameterError, match=r"more than 50 agents"):
        required_agents(45.0, 5, 1, 0.99, max_agents=50)
    assert MAX_AGENTS_ON_DUTY >= 5000  # big enough for several thousand Erlangs


@pytest.mark.parametrize(
    ("call", "pattern"),
    [
        (lambda: erlang_c(-1, 2.0), r"agents must be whole numbers >= 0"),
        (lambda: erlang_c(2.5, 2.0), r"agents must be whole numbers >= 0"),
        (lambda: erlang_b(3, -1.0), r"traffic must be a number of Erlangs >= 0"),
        (lambda: service_level(3, 1.0, 0, 1), r"aht must be a number > 0"),
        (lambda: fte_required(3, 0), r"coverage_hours_per_week must be a number > 0"),
        (lambda: staffing_table(**VALID, coverages=[]), r"coverages must name at least one"),
    ],
)
def test_low_level_functions_validate(call: object, pattern: str) -> None:
    with pytest.raises(ParameterError, match=pattern):
        call()  # type: ignore[operator]


@FAST
@given(st.one_of(st.floats(max_value=0.0), st.floats(min_value=1.0), st.just(math.inf)))
def test_any_target_outside_the_open_unit_interval_is_rejected(target: float) -> None:
    with pytest.raises(ParameterError, match="service_level"):
        plan_staffing(**{**VALID, "service_level": target})


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


@FAST
@given(
    st.floats(min_value=0.0, max_value=2000.0),
    st.floats(min_value=0.0, max_value=2000.0),
    aht_values,
    ratio_values,
    target_values,
)
def test_agents_non_decreasing_in_message_rate(
    rate1: float, rate2: float, aht: float, ratio: float, target: float
) -> None:
    low, high = sorted((rate1, rate2))
    common = {"aht_minutes": aht, "answer_within_minutes": ratio * aht, "service_level": target}
    assert (
        plan_staffing(messages_per_hour=low, **common).agents
        <= plan_staffing(messages_per_hour=high, **common).agents
    )


@FAST
@given(
    st.floats(min_value=0.0, max_value=1000.0),
    aht_values,
    ratio_values,
    target_values,
    st.floats(min_value=0.0, max_value=0.9),
    st.floats(min_value=10.0, max_value=60.0),
)
def test_fte_scales_with_coverage_hours(
    rate: float, aht: float, ratio: float, target: float, shrinkage: float, hours: float
) -> None:
    table = staffing_table(
        messages_per_hour=rate,
        aht_minutes=aht,
        answer_within_minutes=ratio * aht,
        service_level=target,
        shrinkage=shrinkage,
        hours_per_fte_week=hours,
    )
    # Same hourly rate everywhere, so the same agents on duty; FTE is proportional to hours.
    assert table["agents"].nunique() == 1
    per_hour = table["fte"] / table["coverage_hours_per_week"]
    np.testing.assert_allclose(per_hour, per_hour.iloc[0], rtol=1e-12)
    assert table.loc["24x7", "fte"] == pytest.approx(table.loc["business", "fte"] * 168 / 45)
