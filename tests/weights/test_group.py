"""Group AHP (:mod:`assessment.weights.group`) and incomplete matrices (:mod:`.incomplete`).

Reference values come from published examples, recomputed here:

* Saaty (2008), *Decision making with the analytic hierarchy process*, Int. J. Services
  Sciences 1(1), 83-98: the drinks-consumption matrix, weights and CR 0.022 (the figures ahpy's
  test suite checks too);
* Bozóki, Fülöp & Rónyai (2010), *On optimal completion of incomplete pairwise comparison
  matrices*, Mathematical and Computer Modelling 52, 318-333: a 4 x 4 matrix with one pair
  missing and an 8 x 8 matrix with twelve, with the completed values ahpy reports;
* Dong, Zhang, Hong & Xu (2010), *Consensus models for AHP group decision making under row
  geometric mean prioritization method*, Decision Support Systems 49(3), 281-289, section 5
  ("Numerical examples"): five experts' 4 x 4 matrices, their priorities, the weighted AIJ
  matrix and the group weights, all printed to four decimals (row geometric mean);
* Dargahi, *Prize* (Bioconductor R package, 1.2.0): the unweighted AIJ matrix of its four
  example experts and their row-geometric-mean priorities, as its help pages print them;
* Forman & Peniwati (1998), *Aggregating individual judgments and priorities with the AHP*,
  EJOR 108, 165-169: AIJ (geometric mean of judgements) and AIP (geometric mean of
  priorities) agree when every expert is consistent, and may differ otherwise.

AIJ's combined matrix is checked against Dong et al.'s and Prize's printed ones, and the
experts' and group's weights against theirs through the row geometric mean both use
(:func:`row_geometric_mean`).  Eigenvector AIJ, AIP and Goepel's consensus ``S*`` on panels
whose experts disagree are checked against values COMPUTED, not published (worked by hand in
closed form and recomputed independently with numpy.linalg.eig): no published example
printing both a panel's matrices and its EIGENVECTOR group weights was found and verified
(both sources above print row-geometric-mean weights, which differ from the eigenvector's for
an inconsistent 4 x 4 matrix).
``S*`` is also checked, for any panel, against BPMSG AHP-OS's own formula transcribed from
its source (bpmsg/ahp-os, ``classes/AhpGroup.php``, commit 93e44554).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.exceptions import InputError, ParameterError
from assessment.weights import (
    ahp,
    combine_judgements,
    consistent_matrix,
    matrix_from_judgements,
    row_geometric_mean,
)
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
    # The completion minimises lambda_max numerically (BFGS, numeric gradients); lambda_max is
    # flat at its minimum, so the ratios come out to about 1e-5 (hypothesis found 2e-5).
    np.testing.assert_allclose(completed.to_numpy(), full.to_numpy(), rtol=1e-4)


# -- AIJ against a published example: Dong, Zhang, Hong & Xu (2010) ---------------------------
#
# Decision Support Systems 49(3), 281-289, section 5: five decision makers compare four
# alternatives (A1-A4 first published in Xu 2000, EJOR 126, 683-687), weighted
# lambda = (0.1, 0.3, 0.1, 0.2, 0.3); the priorities are by the row geometric mean (RGMM).
# The text we read prints A5's third row as (1, 1/2, 1, 4), which is not reciprocal to its
# a23 = 1/2; the paper's own w5, A(c) and w(c) are reproduced, to every printed digit, only
# with a32 = 2, so the slip is in the printing and a32 = 2 is used.
DONG_IDS = ["x1", "x2", "x3", "x4"]
DONG = [
    [[1, 4, 6, 7], [1 / 4, 1, 3, 4], [1 / 6, 1 / 3, 1, 2], [1 / 7, 1 / 4, 1 / 2, 1]],
    [[1, 5, 7, 9], [1 / 5, 1, 4, 6], [1 / 7, 1 / 4, 1, 2], [1 / 9, 1 / 6, 1 / 2, 1]],
    [[1, 3, 5, 8], [1 / 3, 1, 4, 5], [1 / 5, 1 / 4, 1, 2], [1 / 8, 1 / 5, 1 / 2, 1]],
    [[1, 4, 5, 6], [1 / 4, 1, 3, 3], [1 / 5, 1 / 3, 1, 2], [1 / 6, 1 / 3, 1 / 2, 1]],
    [[1, 1 / 2, 1, 2], [2, 1, 1 / 2, 3], [1, 2, 1, 4], [1 / 2, 1 / 3, 1 / 4, 1]],
]
DONG_W = [  # w(k), section 5, as printed (w2 and w5 have a trailing zero dropped)
    [0.6145, 0.2246, 0.0985, 0.0624],
    [0.6461, 0.227, 0.0793, 0.0476],
    [0.5693, 0.2764, 0.0967, 0.0575],
    [0.5967, 0.2208, 0.1089, 0.0736],
    [0.2247, 0.2958, 0.378, 0.1015],
]
DONG_AC = [  # A(c), the AIJ matrix, as printed
    [1, 2.227, 3.4756, 5.0937],
    [0.4490, 1, 1.9663, 4.0005],
    [0.2877, 0.5086, 1, 2.4623],
    [0.1963, 0.2500, 0.4061, 1],
]
DONG_WC = [0.4984, 0.2727, 0.1541, 0.0747]  # w(c), as printed
# lambda = (1, 3, 1, 2, 3) / 10: the unweighted geometric mean of this multiset of ten matrices
# IS the weighted one, so the package's (unweighted) AIJ is checked without a weights argument.
DONG_PANEL = [DONG[0]] + [DONG[1]] * 3 + [DONG[2]] + [DONG[3]] * 2 + [DONG[4]] * 3


def _frame(m: list[list[float]]) -> pd.DataFrame:
    return pd.DataFrame(np.array(m, dtype=float), index=DONG_IDS, columns=DONG_IDS)


def test_each_experts_priorities_match_dong_et_al_2010():
    for matrix, printed in zip(DONG, DONG_W, strict=True):
        w = row_geometric_mean(_frame(matrix))
        assert w.round(4).tolist() == printed


def test_aij_matrix_matches_dong_et_al_2010():
    combined = combine_judgements([_frame(m) for m in DONG_PANEL])
    np.testing.assert_array_equal(combined.round(4).to_numpy(), np.array(DONG_AC))
    group = ahp_experts([_frame(m) for m in DONG_PANEL], aggregation="aij")
    np.testing.assert_array_equal(group.combined.matrix.round(4).to_numpy(), np.array(DONG_AC))


def test_group_weights_match_dong_et_al_2010_by_the_row_geometric_mean():
    """w(c) printed; under the RGMM, AIJ and AIP agree (Barzilai & Golany 1994, their Lemma 1)."""
    combined = combine_judgements([_frame(m) for m in DONG_PANEL])
    assert row_geometric_mean(combined).round(4).tolist() == DONG_WC
    aip = np.exp(np.mean([np.log(row_geometric_mean(_frame(m))) for m in DONG_PANEL], axis=0))
    assert (aip / aip.sum()).round(4).tolist() == DONG_WC
    # The toolkit's eigenvector weights for the same panel rank the alternatives the same way
    # and lie within 0.01 of the printed RGMM weights (not a published figure: a sanity bound).
    group = ahp_experts([_frame(m) for m in DONG_PANEL], aggregation="aij")
    np.testing.assert_allclose(group.weights.to_numpy(), DONG_WC, atol=0.01)
    assert list(group.weights.sort_values(ascending=False).index) == DONG_IDS


# -- AIJ against a second published example: the Prize package's documentation -----------------
#
# Dargahi, *Prize: an R package for prioritization estimation based on analytic hierarchy
# process*, Bioconductor, version 1.2.0 (documentation built 28 April 2020): the "Example
# output" of the help pages ``AIJ`` (the unweighted AIJ matrix of four experts) and ``IP``
# (each expert's priorities, by the row geometric mean, R/ahp.R).  The experts' matrices are
# the package's example files inst/extdata/ind1.tsv .. ind4.tsv (upper triangles below).
# Values are kept as printed (7 significant digits) and compared to the digits shown.
PRIZE_IDS = ["tumor_expression", "normal_expression", "frequency", "epitopes"]
PRIZE_UPPER = [  # a12 a13 a14 a23 a24 a34 of ind1 .. ind4
    (2, 4, 5, 3, 4, 2),
    (0.8, 2, 4, 5, 7, 2),
    (2, 3, 5, 3, 5, 2),
    (5, 6, 7, 4, 6, 1),
]
PRIZE_AIJ = [  # help page AIJ, example output
    ["1.0000000", "2.0000000", "3.4641016", "5.143687"],
    ["0.5000000", "1.0000000", "3.6628415", "5.383563"],
    ["0.2886751", "0.2730121", "1.0000000", "1.681793"],
    ["0.1944131", "0.1857506", "0.5946036", "1.000000"],
]
PRIZE_IP = [  # help page IP, example output, rows ind1 .. ind3 (ind4's is cut in our copy)
    ["0.4915181", "0.3058879", "0.12487821", "0.07771583"],
    ["0.3060687", "0.4949012", "0.12868606", "0.07034399"],
    ["0.4627138", "0.3271881", "0.13574662", "0.07435149"],
]


def _prize(upper: tuple[float, ...]) -> pd.DataFrame:
    a = np.ones((4, 4))
    for (i, j), v in zip([(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)], upper, strict=True):
        a[i, j], a[j, i] = v, 1 / v
    return pd.DataFrame(a, index=PRIZE_IDS, columns=PRIZE_IDS)


def _as_printed(value: float, printed: str) -> bool:
    """``value`` shows as ``printed`` at the printed number of decimals."""
    decimals = len(printed.split(".")[1])
    return f"{value:.{decimals}f}" == printed


def test_aij_matrix_and_priorities_match_the_prize_documentation():
    experts = [_prize(u) for u in PRIZE_UPPER]
    group = ahp_experts(experts, names=["ind1", "ind2", "ind3", "ind4"], aggregation="aij")
    matrix = group.combined.matrix.to_numpy()
    for i, row in enumerate(PRIZE_AIJ):
        for j, printed in enumerate(row):
            assert _as_printed(matrix[i, j], printed), (i, j, matrix[i, j], printed)
    for expert, row in zip(experts, PRIZE_IP, strict=False):
        w = row_geometric_mean(expert).to_numpy()
        assert all(_as_printed(x, p) for x, p in zip(w, row, strict=True)), (w, row)


# -- AIJ, AIP and S* against values worked out by hand -----------------------------------------
#
# No published group-AHP example printing a panel's matrices AND its eigenvector group weights
# was found (Dong et al. and Prize above print row-geometric-mean weights), so these are
# reference values COMPUTED, not published: small matrices whose results follow in closed form,
# written as literals after checking them by hand, and recomputed independently here
# (numpy.linalg.eig, plain-Python entropies).

# Expert A is consistent, weights (4, 2, 1) / 7; expert C is a 3-cycle (x > y > z > x, each by
# 3), whose principal eigenvector is (1/3, 1/3, 1/3) by symmetry, lambda_max = 1 + 3 + 1/3.
HAND_A = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
HAND_C = np.array([[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]])


def _principal(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal eigenvector (sum 1) and eigenvalue, independently of the package's code."""
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    v = np.abs(vectors[:, k].real)
    return v / v.sum(), float(values.real[k])


def test_aij_and_aip_reproduce_a_3x3_panel_worked_by_hand():
    """AIP = normalised sqrt((4, 2, 1) / 7 * (1, 1, 1) / 3) = (2, sqrt 2, 1) / (3 + sqrt 2).

    For a 3 x 3 reciprocal matrix the principal eigenvector is the row geometric mean and
    ``lambda_max = 1 + r + 1 / r`` with ``r = (a12 a23 / a13) ** (1 / 3)`` (Crawford &
    Williams 1985), so AIJ gives the same weights; the combined matrix has ``r = sqrt 3``:
    lambda_max = 1 + sqrt 3 + 1 / sqrt 3 = 3.30940, CI 0.15470, CR 0.15470 / 0.58 = 0.2667.
    """
    hand = [0.45308, 0.32038, 0.22654]  # (2, 1.41421, 1) / 4.41421
    for how in ("aij", "aip"):
        group = ahp_experts([HAND_A, HAND_C], names=["A", "C"], aggregation=how)
        assert group.weights.round(5).tolist() == hand
        assert group.combined.lambda_max == pytest.approx(1 + 3**0.5 + 3**-0.5, abs=1e-9)
        assert round(group.combined.cr, 4) == 0.2667
        assert group.experts["A"].cr == pytest.approx(0, abs=1e-9)
        assert round(group.experts["C"].cr, 4) == 1.1494  # (13/3 - 3) / 2 / 0.58
    geo = np.sqrt(HAND_A * HAND_C)
    w, lam = _principal(geo)
    np.testing.assert_allclose(w, hand, atol=5e-6)
    assert lam == pytest.approx(3.30940, abs=5e-6)


def test_aij_and_aip_differ_on_a_4x4_panel_as_computed_independently():
    """Computed, not published: AIJ by numpy.linalg.eig of the element-wise geometric mean,
    AIP as the normalised geometric mean of the experts' eig vectors."""
    w = np.array([8.0, 4.0, 2.0, 1.0])
    a = w[:, None] / w[None, :]  # consistent: weights (8, 4, 2, 1) / 15
    b = np.array([[1, 1 / 3, 5, 1], [3, 1, 1 / 2, 4], [1 / 5, 2, 1, 1 / 3], [1, 1 / 4, 3, 1]])
    aij = ahp_experts([a, b], aggregation="aij")
    aip = ahp_experts([a, b], aggregation="aip")
    assert aij.weights.round(4).tolist() == [0.3897, 0.3334, 0.1548, 0.1222]
    assert aip.weights.round(4).tolist() == [0.3934, 0.3245, 0.1629, 0.1193]
    assert round(aij.combined.cr, 4) == 0.1339  # (4.36155 - 4) / 3 / 0.90
    geo_w, geo_lam = _principal(np.sqrt(a * b))
    np.testing.assert_allclose(aij.weights, geo_w, atol=1e-9)
    assert aij.combined.lambda_max == pytest.approx(geo_lam, abs=1e-9)
    wb, _ = _principal(b)
    g = np.sqrt(w / w.sum() * wb)
    np.testing.assert_allclose(aip.weights, g / g.sum(), atol=1e-9)


def test_consensus_of_the_3x3_panel_worked_by_hand():
    """Goepel's S* for (4, 2, 1) / 7 and (1, 1, 1) / 3, written out (BPMSG eq. 1.4-1.10).

    H_alpha = 1.027156 (mean of the two entropies), H_gamma = 1.063514 (entropy of the mean
    vector), M = exp(H_alpha - H_gamma) = 0.964295; M_min = exp(H(9, 1, 1) / 11) / 3 =
    0.607474; S* = (M - M_min) / (1 - M_min) = 0.9090.  Computed, not published.
    """

    def entropy(p: list[float]) -> float:
        return -sum(x * math.log(x) for x in p)

    w1, w2 = [4 / 7, 2 / 7, 1 / 7], [1 / 3, 1 / 3, 1 / 3]
    h_alpha = (entropy(w1) + entropy(w2)) / 2
    h_gamma = entropy([(x + y) / 2 for x, y in zip(w1, w2, strict=True)])
    m = math.exp(h_alpha - h_gamma)
    m_min = math.exp(entropy([9 / 11, 1 / 11, 1 / 11])) / 3
    assert (round(h_alpha, 6), round(h_gamma, 6)) == (1.027156, 1.063514)
    assert (round(m, 6), round(m_min, 6)) == (0.964295, 0.607474)
    s = consensus_index([w1, w2])
    assert s == pytest.approx((m - m_min) / (1 - m_min), abs=1e-12)
    assert round(s, 4) == 0.9090
    assert _ahp_os_consensus([w1, w2]) == pytest.approx(s, abs=1e-12)  # AHP-OS, below
    assert ahp_experts([HAND_A, HAND_C]).consensus == pytest.approx(s, abs=1e-9)


SAATY = [1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(*[st.sampled_from(SAATY)] * 3), min_size=1, max_size=5))
def test_aij_equals_aip_for_any_3x3_panel(judgements: list[tuple[float, float, float]]):
    """At n = 3 the eigenvector is the row geometric mean, which commutes with the geometric
    mean over experts: AIJ and AIP agree for every panel, consistent or not."""
    mats = [np.array([[1, x, y], [1 / x, 1, z], [1 / y, 1 / z, 1]]) for x, y, z in judgements]
    aij = ahp_experts(mats, aggregation="aij").weights
    aip = ahp_experts(mats, aggregation="aip").weights
    np.testing.assert_allclose(aij, aip, atol=1e-9)


def _ahp_os_consensus(vectors: list[list[float]], scale: float = 9.0) -> float:
    """Goepel's AHP-OS consensus, transcribed from its source (not run): bpmsg/ahp-os,
    ``classes/AhpGroup.php`` at commit 93e445545a95c8ec0980cd69b5ffd319397affaf ($Rev 139,
    2022-02-16), ``getShannonBeta``, ``ahpShannonCor`` and ``getConsensus``.

    ``H_beta = H_gamma - H_alpha``; ``cor = exp(ln n - H_alpha,min)`` with ``H_alpha,min`` the
    entropy of ``(M, 1, ..., 1) / (n + M - 1)``; consensus ``(1 / exp(H_beta) - 1 / cor) /
    (1 - 1 / cor)``.  (AHP-OS computes an ``H_gamma,max`` from the number of participants, then
    overwrites it with ``ln n``, Goepel's simplified eq. 1.8.)
    """
    k, n = len(vectors), len(vectors[0])
    h_alpha = sum(-sum(p * math.log(p) for p in v) for v in vectors) / k
    mean = [sum(v[i] for v in vectors) / k for i in range(n)]
    h_gamma = -sum(p * math.log(p) for p in mean)
    top, rest = scale / (n + scale - 1), 1 / (n + scale - 1)
    h_alpha_min = -top * math.log(top) - (n - 1) * rest * math.log(rest)
    cor = math.exp(math.log(n) - h_alpha_min)
    return (1 / math.exp(h_gamma - h_alpha) - 1 / cor) / (1 - 1 / cor)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 7).flatmap(
        lambda n: st.lists(
            st.lists(st.floats(0.02, 1.0), min_size=n, max_size=n), min_size=2, max_size=6
        )
    )
)
def test_consensus_is_the_one_ahp_os_computes(raw: list[list[float]]):
    """Any panel of positive priority vectors: S* as BPMSG's AHP-OS computes it (clipped to
    0..1 here, where AHP-OS would show a value below 0 for a panel more divided than its
    reference extreme)."""
    vectors = [[x / sum(v) for x in v] for v in raw]
    expected = min(max(_ahp_os_consensus(vectors), 0.0), 1.0)
    assert consensus_index(vectors) == pytest.approx(expected, abs=1e-9)
