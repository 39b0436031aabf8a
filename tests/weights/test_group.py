"""Group AHP (:mod:`assessment.weights.group`) and incomplete matrices (:mod:`.incomplete`).

Reference values come from published examples, recomputed here:

* Saaty (2008), *Decision making with the analytic hierarchy process*, Int. J. Services
  Sciences 1(1), 83-98: the drinks-consumption matrix, weights and CR 0.022 (the figures ahpy's
  test suite checks too);
* Bozóki, Fülöp & Rónyai (2010), *On optimal completion of incomplete pairwise comparison
  matrices*, Mathematical and Computer Modelling 52, 318-333: a 4 x 4 matrix with one pair
  missing and an 8 x 8 matrix with twelve, with the completed values ahpy reports;
* Forman & Peniwati (1998), *Aggregating individual judgments and priorities with the AHP*,
  EJOR 108, 165-169: AIJ (geometric mean of judgements) and AIP (geometric mean of
  priorities) agree when every expert is consistent, and may differ otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.exceptions import InputError, ParameterError
from assessment.weights import ahp, consistent_matrix, matrix_from_judgements
from assessment.weights.group import ahp_experts, consensus_index
from assessment.weights.incomplete import complete_matrix
from assessment.weights.matrices import validate_matrix

# Saaty 2008, table 2: relative consumption of drinks in the United States.
DRINKS_IDS = ["coffee", "wine", "tea", "beer", "soda", "milk", "water"]
DRINKS = {
    ("coffee", "wine"): 9, ("coffee", "tea"): 5, ("coffee", "beer"): 2, ("coffee", "soda"): 1,
    ("coffee", "milk"): 1, ("water", "coffee"): 2, ("water", "wine"): 9, ("water", "tea"): 9,
    ("water", "beer"): 3, ("water", "soda"): 2, ("water", "milk"): 3, ("tea", "wine"): 3,
    ("beer", "wine"): 9, ("beer", "tea"): 3, ("beer", "milk"): 1, ("soda", "wine"): 9,
    ("soda", "tea"): 4, ("soda", "beer"): 2, ("soda", "milk"): 2, ("milk", "wine"): 9,
    ("milk", "tea"): 3,
}  # fmt: skip
DRINKS_WEIGHTS = {
    "beer": 0.116, "coffee": 0.177, "milk": 0.129, "soda": 0.190, "tea": 0.042,
    "water": 0.327, "wine": 0.019,
}  # fmt: skip


def _incomplete(ids: list[str], pairs: dict[tuple[str, str], float]) -> pd.DataFrame:
    a = pd.DataFrame(np.nan, index=ids, columns=ids)
    for (i, j), v in pairs.items():
        a.loc[i, j] = v
    return a


def test_per_expert_cr_matches_saatys_drinks_example():
    drinks = matrix_from_judgements(DRINKS_IDS, DRINKS)
    group = ahp_experts([drinks, drinks], names=["ann", "bob"])
    for name in ("ann", "bob"):
        expert = group.experts[name]
        assert round(expert.cr, 3) == 0.022  # Saaty 2008 (RI 1.32 for n = 7)
        assert expert.weights.round(3).to_dict() == DRINKS_WEIGHTS
    assert group.consensus == pytest.approx(1.0)


def test_an_inconsistent_expert_is_flagged_even_when_the_group_looks_fine():
    """Issue 17: an expert at CR 0.15 combined with two others gave "CR 0.02 ok"."""
    w = pd.Series({"care": 0.4, "crisis": 0.3, "strategy": 0.2, "team": 0.1})
    good = consistent_matrix(w)
    bad = good.copy()
    bad.loc["care", "team"], bad.loc["team", "care"] = 1 / 2, 2.0  # reversed: care < team
    group = ahp_experts([good, good, bad], names=["a.csv", "b.csv", "c.csv"])
    assert group.experts["c.csv"].cr >= 0.10
    assert group.combined.cr < 0.10  # the premise: the combined matrix hides it
    assert group.inconsistent_experts == ["c.csv"]
    assert not group.consistent
    text = group.to_text()
    assert "INCONSISTENT: c.csv has CR" in text
    assert "most inconsistent: care vs team" in text
    assert set(group.table().columns) == {"a.csv", "b.csv", "c.csv", "group"}
    assert group.to_dict()["experts"]["c.csv"]["consistent"] is False


def test_aij_and_aip_agree_for_consistent_experts_and_may_differ_otherwise():
    # Forman & Peniwati 1998: for consistent experts both give the geometric mean of weights.
    w1 = pd.Series({"a": 0.4, "b": 0.3, "c": 0.2, "d": 0.1})
    w2 = pd.Series({"a": 0.1, "b": 0.2, "c": 0.3, "d": 0.4})
    mats = [consistent_matrix(w1), consistent_matrix(w2)]
    aij = ahp_experts(mats, aggregation="aij").weights
    aip = ahp_experts(mats, aggregation="aip").weights
    geo = np.sqrt(w1 * w2)
    np.testing.assert_allclose(aij, geo / geo.sum(), atol=1e-12)
    np.testing.assert_allclose(aip, geo / geo.sum(), atol=1e-12)
    # Inconsistent 4 x 4 experts: the two aggregations are different procedures.
    x = validate_matrix([[1, 3, 1 / 5, 7], ["", 1, 5, 1 / 3], ["", "", 1, 9], ["", "", "", 1]])
    y = validate_matrix([[1, 1 / 2, 4, 1], ["", 1, 1 / 7, 3], ["", "", 1, 1 / 2], ["", "", "", 1]])
    aij, aip = (ahp_experts([x, y], aggregation=k).weights for k in ("aij", "aip"))
    assert np.abs(aij - aip).max() > 1e-3
    assert aip.sum() == pytest.approx(1)
    # AIP is the normalised geometric mean of the experts' own weights.
    g = np.sqrt(ahp(x).weights * ahp(y).weights)
    np.testing.assert_allclose(aip, g / g.sum(), atol=1e-12)


def test_consensus_falls_as_experts_diverge():
    same = consensus_index([[0.5, 0.3, 0.2], [0.5, 0.3, 0.2]])
    near = consensus_index([[0.5, 0.3, 0.2], [0.45, 0.33, 0.22]])
    far = consensus_index([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8]])
    assert same == pytest.approx(1.0)
    assert 1.0 > near > far >= 0.0
    with pytest.raises(ParameterError):
        consensus_index([[1.0]])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(0.01, 1.0), min_size=4, max_size=4), min_size=1, max_size=6))
def test_consensus_is_a_share(vectors: list[list[float]]):
    assert 0.0 <= consensus_index(vectors) <= 1.0


def test_optimal_completion_reproduces_bozoki_2010_4x4():
    u = _incomplete(
        list("abcd"),
        {("a", "b"): 1, ("a", "c"): 5, ("a", "d"): 2, ("b", "c"): 3, ("b", "d"): 4},
    )
    full, filled = complete_matrix(validate_matrix(u, allow_missing=True))
    assert list(filled) == [("c", "d")]
    assert filled[("c", "d")] == pytest.approx(0.730297106886979, rel=1e-5)
    assert full.loc["d", "c"] == pytest.approx(1 / filled[("c", "d")])
    result = ahp_experts([u])
    assert result.weights.round(4).to_dict() == {"a": 0.3738, "b": 0.392, "c": 0.0985, "d": 0.1357}
    assert result.completed["expert 1"] == filled


def test_optimal_completion_reproduces_bozoki_2010_8x8():
    given_pairs = {
        ("a", "b"): 5, ("a", "c"): 3, ("a", "d"): 7, ("a", "e"): 6, ("a", "f"): 6,
        ("b", "d"): 5, ("b", "f"): 3, ("c", "e"): 3, ("c", "g"): 6, ("f", "d"): 4,
        ("g", "a"): 3, ("g", "e"): 5, ("h", "a"): 4, ("h", "b"): 7, ("h", "d"): 8,
        ("h", "f"): 6,
    }  # fmt: skip
    expected = {
        ("b", "c"): 0.3300187496240363, ("b", "e"): 1.7197409185349517,
        ("b", "g"): 0.4663515002203321, ("c", "d"): 9.920512661898753,
        ("c", "f"): 4.852486449214693, ("c", "h"): 0.5696073301509899,
        ("d", "e"): 0.5252768142894285, ("d", "g"): 0.1424438146531802,
        ("e", "f"): 0.9311973564754218, ("e", "h"): 0.10930828182051665,
        ("f", "g"): 0.2912120796181874, ("g", "h"): 0.4030898885178746,
    }  # fmt: skip
    m = _incomplete(list("abcdefgh"), given_pairs)
    _, filled = complete_matrix(validate_matrix(m, allow_missing=True))
    assert set(filled) == set(expected)
    for pair, value in expected.items():
        assert filled[pair] == pytest.approx(value, rel=1e-4), pair


def test_completion_is_the_least_inconsistent_matrix():
    u = _incomplete(list("abcd"), {("a", "b"): 2, ("a", "c"): 5, ("b", "c"): 3, ("b", "d"): 4})
    full, filled = complete_matrix(validate_matrix(u, allow_missing=True))
    best = ahp(full).lambda_max
    for pair in filled:
        for factor in (0.9, 1.1):
            other = full.copy()
            other.loc[pair] *= factor
            other.loc[pair[::-1]] = 1 / other.loc[pair]
            assert ahp(other).lambda_max > best - 1e-9


def test_a_disconnected_matrix_is_refused_with_the_groups_named():
    u = _incomplete(list("abcd"), {("a", "b"): 2, ("c", "d"): 3})
    with pytest.raises(InputError, match=r"\['c', 'd'\] are never compared"):
        ahp_experts([u], names=["ann.csv"])


def test_a_blank_pair_is_still_an_error_where_completeness_is_required():
    u = _incomplete(list("abc"), {("a", "b"): 2, ("a", "c"): 3})
    with pytest.raises(InputError, match="no judgement"):
        validate_matrix(u)
    assert ahp_experts([u]).completed["expert 1"]  # the group path completes it


def test_experts_must_compare_the_same_items():
    a = consistent_matrix({"x": 1, "y": 2})
    b = consistent_matrix({"x": 1, "z": 2})
    with pytest.raises(InputError, match="every expert must compare the same ids"):
        ahp_experts([a, b], names=["a.csv", "b.csv"])
    with pytest.raises(ParameterError, match="aggregation"):
        ahp_experts([a], aggregation="mean")  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0.2, 1.0), min_size=4, max_size=7),  # ratios within 1/5 .. 5
    st.data(),
)
def test_completion_of_a_consistent_matrix_recovers_the_missing_ratios(weights, data):
    """Blanks in a consistent matrix have one perfect completion: w_i / w_j (lambda_max = n)."""
    ids = [f"i{k}" for k in range(len(weights))]
    full = consistent_matrix(dict(zip(ids, weights, strict=True)))
    n = len(ids)
    # Keep a spanning chain (i0-i1, i1-i2, ...) so the comparisons stay connected.
    chain = {(ids[k], ids[k + 1]) for k in range(n - 1)}
    others = [(ids[a], ids[b]) for a in range(n) for b in range(a + 2, n)]
    blank = data.draw(st.sets(st.sampled_from(others), max_size=len(others))) if others else set()
    m = full.copy()
    for a, b in blank:
        m.loc[a, b] = m.loc[b, a] = np.nan
    assert not chain & blank
    completed, filled = complete_matrix(validate_matrix(m, allow_missing=True))
    assert set(filled) == blank
    np.testing.assert_allclose(completed.to_numpy(), full.to_numpy(), rtol=1e-5)
