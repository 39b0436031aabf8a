"""Tests for :mod:`assessment.scoring.erlang`: published Erlang B/C figures and properties."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from helpers.staffing import FAST, aht_values, ratio_values, target_values
from hypothesis import given
from hypothesis import strategies as st

from assessment.scoring.erlang import (
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    occupancy,
    required_agents,
    service_level,
    traffic_intensity,
)


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


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------


traffic_values = st.floats(min_value=0.01, max_value=400.0)


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
