"""Tests for :mod:`assessment.scoring.staffing`: published Erlang C figures and properties."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.exceptions import ParameterError
from assessment.scoring.staffing import (
    COVERAGE_OPTIONS,
    MAX_AGENTS_ON_DUTY,
    TABLE_COLUMNS,
    StaffingResult,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    fte_required,
    occupancy,
    plan_staffing,
    required_agents,
    service_level,
    staffing_table,
    traffic_intensity,
)

# Hypothesis budgets are small on purpose: the whole file must run in well under 5 seconds.
FAST = settings(max_examples=60, deadline=None)

CALL_CENTRE_HELPER = {
    # Call Centre Helper worked example: 100 calls per 30 minutes = 200 per hour, AHT 180 s,
    # target 80% answered within 20 s.  Times in minutes, as plan_staffing takes them.
    "messages_per_hour": 200,
    "aht_minutes": 3,
    "answer_within_minutes": 20 / 60,
    "service_level": 0.8,
}


def _wikipedia_erlang_b(n: int, a: float) -> float:
    # The recursion printed on Wikipedia, "Erlang (unit)", section "Erlang B formula":
    # B(E, 0) = 1, B(E, m) = E·B(E, m−1) / (m + E·B(E, m−1)).  It stays within [0, 1] at every
    # step, so plain floats are an independent, overflow-free reference for large traffic.
    b = 1.0
    for m in range(1, n + 1):
        b = a * b / (m + a * b)
    return b


def _wikipedia_erlang_c_exact(n: int, a: Fraction) -> Fraction:
    # Closed form from Wikipedia, "Erlang (unit)", section "Erlang C formula", in exact
    # rational arithmetic:  P_W = (A^N/N!)·N/(N−A) / (Σ_{i<N} A^i/i! + (A^N/N!)·N/(N−A)).
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**i / math.factorial(i) for i in range(n)) + top)


# --------------------------------------------------------------------------------------------
# Published figures
# --------------------------------------------------------------------------------------------


def test_traffic_intensity_matches_wikipedia_erlang_unit_example() -> None:
    """Wikipedia, "Erlang (unit)", https://en.wikipedia.org/wiki/Erlang_(unit), lead section:
    "If one hundred six-minute calls are received on a group of such circuits, then the total
    traffic in that hour is six hundred minutes or 10 erlangs."

    Call Centre Helper's worked example (see below) gives the same: 200 calls an hour of
    3 minutes each = 600 call minutes / 60 = 10 Erlangs.
    """
    assert traffic_intensity(100, 6) == pytest.approx(10.0)
    assert traffic_intensity(200, 3) == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("agents", "p_wait", "achieved", "asa_seconds", "occ"),
    [
        (11, 0.6821182, 0.3896138, 122.78127684408, 0.9090909),
        (12, 0.4493882, 0.640158, 40.4449401868444, 0.8333333),
        (13, 0.2852705, 0.7955948, 17.1162271821896, 0.7692308),
        (14, 0.1741319, 0.88835, 7.83593701177724, 0.7142857),
    ],
)
def test_call_centre_helper_worked_example_per_agent_count(
    agents: int, p_wait: float, achieved: float, asa_seconds: float, occ: float
) -> None:
    """Call Centre Helper, "Erlang C Formula – Made Simple With an Easy Worked Example",
    https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm: 100 calls per
    30 minutes, AHT 180 s, target 80% answered in 20 s, A = 10 Erlangs, start at N = A + 1 = 11
    and add agents until the target is met.

    The per-agent figures are those published for that exact example by the CRAN package
    ErlangC 0.1.0 (README, "calculate_agents ... $process",
    https://stat.ethz.ch/CRAN/web/packages/ErlangC/readme/README.html; also
    https://cran.r-project.org/package=ErlangC), printed to 7 significant digits:

    ====  ===========  ========  ================  =========
    N     P(wait)      SL        ASA               occupancy
    ====  ===========  ========  ================  =========
    11    0.6821182    0.3896138 122.78127684408 s 0.9090909
    12    0.4493882    0.640158  40.4449401868444  0.8333333
    13    0.2852705    0.7955948 17.1162271821896  0.7692308
    14    0.1741319    0.88835   7.83593701177724  0.7142857
    ====  ===========  ========  ================  =========
    """
    a = traffic_intensity(200, 3)
    assert erlang_c(agents, a) == pytest.approx(p_wait, abs=5e-7)
    assert service_level(agents, a, 180, 20) == pytest.approx(achieved, abs=5e-7)
    assert average_speed_of_answer(agents, a, 180) == pytest.approx(asa_seconds, rel=1e-9)
    assert occupancy(agents, a) == pytest.approx(occ, abs=5e-8)


def test_call_centre_helper_needs_14_agents_and_20_after_shrinkage() -> None:
    """Same worked example (Call Centre Helper, URL above; figures from the CRAN ErlangC README):
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


@pytest.mark.parametrize("agents", [1, 2, 3, 5, 8, 13, 21, 40])
@pytest.mark.parametrize("traffic", [Fraction(1, 2), Fraction(5, 2), Fraction(10), Fraction(37, 2)])
def test_erlang_c_equals_wikipedia_closed_form(agents: int, traffic: Fraction) -> None:
    """Wikipedia, "Erlang (unit)", section "Erlang C formula",
    https://en.wikipedia.org/wiki/Erlang_(unit)#Erlang_C_formula, evaluated exactly with
    rational numbers; our stable Poisson-ratio evaluation must agree to 1e-12.
    """
    if agents <= traffic:
        assert erlang_c(agents, float(traffic)) == 1.0
        return
    expected = float(_wikipedia_erlang_c_exact(agents, traffic))
    assert erlang_c(agents, float(traffic)) == pytest.approx(expected, abs=1e-12)


def test_erlang_c_of_one_agent_is_the_utilisation() -> None:
    """Standard M/M/1 result: with one server, Poisson arrivals see the server busy with
    probability equal to the utilisation ρ = λ/μ (PASTA), so P(wait) = ρ."""
    for rho in (0.05, 0.3, 0.5, 0.9, 0.99):
        assert erlang_c(1, rho) == pytest.approx(rho, rel=1e-12)


@pytest.mark.parametrize(("agents", "traffic"), [(1, 5000.0), (100, 5000.0), (4900, 5000.0)])
def test_erlang_b_large_traffic_matches_wikipedia_recursion(agents: int, traffic: float) -> None:
    """Erlang B for thousands of Erlangs, including deep overload where the Poisson CDF
    underflows, against the Wikipedia recursion (see ``_wikipedia_erlang_b``)."""
    assert erlang_b(agents, traffic) == pytest.approx(
        _wikipedia_erlang_b(agents, traffic), rel=1e-9
    )


def test_large_traffic_is_stable_and_fast() -> None:
    """5000 Erlangs (A^N/N! alone would overflow a double many times over) must give finite,
    sensible results that agree with the Wikipedia Erlang B recursion."""
    a = 5000.0
    agents = np.arange(5001, 5200)
    b = np.asarray(erlang_b(agents, a))
    reference = np.array([_wikipedia_erlang_b(int(n), a) for n in agents[:3]])
    np.testing.assert_allclose(b[:3], reference, rtol=1e-9)
    c = np.asarray(erlang_c(agents, a))
    assert np.all(np.isfinite(c))
    assert np.all((c >= 0) & (c <= 1))
    assert np.all(np.diff(c) <= 0)
    n = required_agents(a, 5.0, 0.5, 0.9)
    assert a < n < a + 10 * math.sqrt(a)


# --------------------------------------------------------------------------------------------
# Vectorised functions and edge cases
# --------------------------------------------------------------------------------------------


def test_vectorised_functions_match_scalar_calls() -> None:
    agents = np.arange(1, 30)
    a = 7.3
    vector = {
        "b": erlang_b(agents, a),
        "c": erlang_c(agents, a),
        "sl": service_level(agents, a, 4.0, 1.0),
        "asa": average_speed_of_answer(agents, a, 4.0),
        "occ": occupancy(agents, a),
    }
    for i, n in enumerate(agents):
        n = int(n)
        assert vector["b"][i] == pytest.approx(erlang_b(n, a))
        assert vector["c"][i] == pytest.approx(erlang_c(n, a))
        assert vector["sl"][i] == pytest.approx(service_level(n, a, 4.0, 1.0))
        assert vector["asa"][i] == pytest.approx(average_speed_of_answer(n, a, 4.0))
        assert vector["occ"][i] == pytest.approx(occupancy(n, a))
    assert isinstance(erlang_c(3, 1.0), float)


def test_overloaded_and_empty_queues() -> None:
    # N <= A: everybody waits, nobody is answered in time, the wait is unbounded.
    assert erlang_c(5, 5.0) == 1.0
    assert service_level(5, 5.0, 3, 1) == 0.0
    assert average_speed_of_answer(4, 5.0, 3) == math.inf
    assert occupancy(4, 5.0) == 1.0
    # No traffic: nobody waits.
    assert erlang_c(1, 0.0) == 0.0
    assert service_level(1, 0.0, 3, 0) == 1.0
    assert average_speed_of_answer(0, 0.0, 3) == 0.0
    assert occupancy(0, 0.0) == 0.0
    # T = 0: the service level is the share answered immediately, 1 − C.
    assert service_level(14, 10.0, 3, 0) == pytest.approx(1 - erlang_c(14, 10.0))


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

traffic_values = st.floats(min_value=0.01, max_value=400.0)
aht_values = st.floats(min_value=0.5, max_value=60.0)
ratio_values = st.floats(min_value=0.0, max_value=5.0)  # answer_within / aht
target_values = st.floats(min_value=0.05, max_value=0.99)


@FAST
@given(traffic_values, aht_values, ratio_values)
def test_service_level_increases_with_agents(a: float, aht: float, ratio: float) -> None:
    agents = np.arange(0, math.floor(a) + 80)
    sl = np.asarray(service_level(agents, a, aht, ratio * aht))
    assert np.all((sl >= 0) & (sl <= 1))
    assert np.all(np.diff(sl) >= -1e-12)
    c = np.asarray(erlang_c(agents, a))
    assert np.all(np.diff(c) <= 1e-12)


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
@given(traffic_values, aht_values, ratio_values, target_values)
def test_agents_exceed_traffic_meet_target_and_are_minimal(
    a: float, aht: float, ratio: float, target: float
) -> None:
    t = ratio * aht
    n = required_agents(a, aht, t, target)
    assert n > a
    assert service_level(n, a, aht, t) >= target - 1e-12
    if n - 1 > a:
        assert service_level(n - 1, a, aht, t) < target


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
