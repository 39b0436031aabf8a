"""AHP weights (:mod:`assessment.weights.ahp`): published examples, exact recovery, properties."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.exceptions import InputError, ParameterError
from assessment.rubric import Rubric, load_rubric
from assessment.weights import (
    RANDOM_INDEX,
    SAATY_VALUES,
    ahp,
    ahp_group,
    ahp_hierarchy,
    combine_judgements,
    consistent_matrix,
    matrix_from_judgements,
    read_matrix,
    row_geometric_mean,
)

# -- published worked example ------------------------------------------------------------------


HOUSE_IDS = [
    "size",
    "transportation",
    "neighborhood",
    "age",
    "yard",
    "modern_facilities",
    "general_condition",
    "financing",
]


HOUSE = [
    ["1", "5", "3", "7", "6", "6", "1/3", "1/4"],
    ["1/5", "1", "1/3", "5", "3", "3", "1/5", "1/7"],
    ["1/3", "3", "1", "6", "3", "4", "6", "1/5"],
    ["1/7", "1/5", "1/6", "1", "1/3", "1/4", "1/7", "1/8"],
    ["1/6", "1/3", "1/3", "3", "1", "1/2", "1/5", "1/6"],
    ["1/6", "1/3", "1/4", "4", "2", "1", "1/5", "1/6"],
    ["3", "5", "1/6", "7", "5", "5", "1", "1/2"],
    ["4", "7", "5", "8", "6", "6", "2", "1"],
]


def test_saaty_1990_house_example():
    """Saaty's house-buying example: criteria matrix, priorities, lambda_max, CI and CR.

    T. L. Saaty (1990), "How to make a decision: The Analytic Hierarchy Process", European
    Journal of Operational Research 48(1), 9-26, doi:10.1016/0377-2217(90)90057-I, table 2
    (reprinted as chapter 1 of Saaty & Vargas, *Models, Methods, Concepts & Applications of
    the Analytic Hierarchy Process*, 2001,
    https://ebin.pub/models-methods-concepts-amp-applications-of-the-analytic-hierarchy-process-1nbsped-978-1-4613-5667-7-978-1-4615-1665-1.html).
    Published: priorities .173 .054 .188 .018 .031 .036 .167 .333, lambda_max = 9.669,
    C.I. = .238, C.R. = .169.
    """
    r = ahp(HOUSE, ids=HOUSE_IDS)
    published = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    np.testing.assert_allclose(r.weights.to_numpy(), published, atol=5e-4)
    assert r.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert r.ci == pytest.approx(0.238, abs=5e-4)
    assert r.cr == pytest.approx(0.169, abs=5e-4)
    assert r.ri == 1.41
    assert not r.consistent  # Saaty's own example is above the 10 % rule
    # Neighbourhood judged 6 times as important as general condition, while the weights make
    # them nearly equal: the judgement the analyst should revisit first.
    row, column, judgement, implied = r.most_inconsistent
    assert (row, column, judgement) == ("neighborhood", "general_condition", 6.0)
    assert implied == pytest.approx(0.188 / 0.167, rel=0.01)
    assert r.judgements().iloc[0]["suggestion"] == 1.0
    assert "most inconsistent judgement: neighborhood vs general_condition = 6" in r.to_text()


def test_random_index_table_is_saatys():
    assert [RANDOM_INDEX[n] for n in range(1, 11)] == [
        0,
        0,
        0.58,
        0.90,
        1.12,
        1.24,
        1.32,
        1.41,
        1.45,
        1.49,
    ]


@pytest.mark.parametrize("n", [1, 2])
def test_one_or_two_items_are_always_consistent(n):
    m = [[1]] if n == 1 else [[1, 7], ["1/7", 1]]
    r = ahp(m)
    assert r.cr == 0
    assert r.ci == 0
    assert r.lambda_max == pytest.approx(n)
    assert r.consistent
    if n == 2:
        assert r.weights.tolist() == pytest.approx([7 / 8, 1 / 8])


def test_exact_recovery_from_a_consistent_matrix(rubric: Rubric):
    w = rubric.dimension_table["weight"]
    r = ahp(consistent_matrix(w))
    np.testing.assert_allclose(r.weights.to_numpy(), w.to_numpy(), rtol=1e-12)
    assert r.lambda_max == pytest.approx(len(w), abs=1e-9)
    assert r.cr == pytest.approx(0, abs=1e-9)
    assert r.ri == 1.51  # 11 dimensions: Saaty's extended table


def test_more_than_fifteen_items_need_clusters():
    with pytest.raises(ParameterError, match="clusters"):
        ahp(np.ones((16, 16)))


# -- properties --------------------------------------------------------------------------------


@st.composite
def reciprocal_matrices(draw, min_n=1, max_n=9):
    n = draw(st.integers(min_n, max_n))
    upper = draw(
        st.lists(
            st.sampled_from(SAATY_VALUES), min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2
        )
    )
    a = np.ones((n, n))
    a[np.triu_indices(n, 1)] = upper
    a[np.tril_indices(n, -1)] = 1 / a.T[np.tril_indices(n, -1)]
    return a


@settings(max_examples=60, deadline=None)
@given(reciprocal_matrices())
def test_weights_are_a_distribution(a):
    r = ahp(a)
    assert r.weights.sum() == pytest.approx(1.0)
    assert (r.weights > 0).all()
    assert r.lambda_max >= len(a) - 1e-9
    assert r.cr >= 0


@settings(max_examples=60, deadline=None)
@given(reciprocal_matrices(min_n=2), st.randoms(use_true_random=False))
def test_permuting_items_permutes_weights(a, rnd):
    n = len(a)
    ids = [f"d{k}" for k in range(n)]
    perm = list(range(n))
    rnd.shuffle(perm)
    r = ahp(a, ids=ids)
    p = ahp(a[np.ix_(perm, perm)], ids=[ids[k] for k in perm])
    pd.testing.assert_series_equal(p.weights[ids], r.weights[ids], rtol=1e-9, atol=1e-12)
    assert p.cr == pytest.approx(r.cr, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0.12, 1.0), min_size=1, max_size=12))
def test_consistent_matrices_recover_their_weights(raw):
    # Weights within a factor 9 of each other, so every ratio is on Saaty's scale.
    w = np.array(raw) / sum(raw)
    r = ahp(consistent_matrix(pd.Series(w, index=[f"x{k}" for k in range(len(w))])))
    np.testing.assert_allclose(r.weights.to_numpy(), w, rtol=1e-9, atol=1e-12)
    assert r.cr == pytest.approx(0, abs=1e-9)


# -- several experts and hierarchies -----------------------------------------------------------


def test_geometric_mean_of_consistent_experts():
    ids = ["a", "b", "c"]
    w1 = pd.Series([0.5, 0.3, 0.2], index=ids)
    w2 = pd.Series([0.2, 0.3, 0.5], index=ids)
    combined = combine_judgements([consistent_matrix(w1), consistent_matrix(w2)[::-1]])
    # A geometric mean of consistent matrices is consistent, with geometric-mean weights.
    r = ahp(combined)
    expected = np.sqrt(w1 * w2) / np.sqrt(w1 * w2).sum()
    np.testing.assert_allclose(r.weights[ids].to_numpy(), expected.to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(combined.to_numpy() * combined.to_numpy().T, 1.0)
    group = ahp_group([consistent_matrix(w1), consistent_matrix(w2)])
    assert group.n_experts == 2
    assert group.weights.sum() == pytest.approx(1)


def test_one_expert_group_is_plain_ahp():
    g = ahp_group([pd.DataFrame(HOUSE, index=HOUSE_IDS, columns=HOUSE_IDS)])
    r = ahp(HOUSE, ids=HOUSE_IDS)
    pd.testing.assert_series_equal(g.weights, r.weights)


def test_experts_must_compare_the_same_items():
    a = consistent_matrix({"a": 1, "b": 2})
    b = consistent_matrix({"a": 1, "c": 2})
    with pytest.raises(InputError, match="same ids"):
        combine_judgements([a, b], sources=["ann.csv", "bob.csv"])
    with pytest.raises(InputError, match="at least one"):
        combine_judgements([])


def test_hierarchy_multiplies_cluster_and_local_weights(rubric: Rubric):
    members = {
        "foundations": ["strategy", "team", "budget"],
        "engagement": ["insight", "content", "care", "advocacy"],
        "control": ["crisis", "governance"],
        "evidence": ["tooling", "measurement"],
    }
    clusters = consistent_matrix({"foundations": 4, "engagement": 3, "control": 2, "evidence": 1})
    within = {
        "foundations": consistent_matrix({"strategy": 3, "team": 2, "budget": 1}),
        "engagement": consistent_matrix({"insight": 1, "content": 1, "care": 2, "advocacy": 1}),
        "control": [
            matrix_from_judgements(["crisis", "governance"], {("crisis", "governance"): 3})
        ],
        "evidence": consistent_matrix({"tooling": 1, "measurement": 1}),
    }
    dims = [d.id for d in rubric.dimensions]
    h = ahp_hierarchy(clusters, members, within, known_ids=dims)
    assert h.weights.sum() == pytest.approx(1)
    assert h.weights["strategy"] == pytest.approx(0.4 * 0.5)
    assert h.weights["care"] == pytest.approx(0.3 * 0.4)
    assert h.weights["crisis"] == pytest.approx(0.2 * 0.75)
    assert h.consistent
    table = h.consistency()
    assert list(table["matrix"]) == ["clusters", "foundations", "engagement", "control", "evidence"]
    # The result feeds a variant directly.
    variant = rubric.with_weights(h.weights.to_dict())
    assert variant.dimension("strategy").weight == pytest.approx(0.2)


def test_hierarchy_single_item_cluster_and_errors():
    clusters = consistent_matrix({"x": 1, "y": 1})
    h = ahp_hierarchy(
        clusters, {"x": ["a"], "y": ["b", "c"]}, {"y": consistent_matrix({"b": 1, "c": 3})}
    )
    assert h.weights.to_dict() == pytest.approx({"a": 0.5, "b": 0.125, "c": 0.375})
    with pytest.raises(InputError, match="no comparison matrix"):
        ahp_hierarchy(clusters, {"x": ["a"], "y": ["b", "c"]}, {})
    with pytest.raises(InputError, match="more than one cluster"):
        ahp_hierarchy(clusters, {"x": ["a"], "y": ["a"]}, {})
    with pytest.raises(InputError, match="in no cluster"):
        ahp_hierarchy(
            clusters,
            {"x": ["a"], "y": ["b", "c"]},
            {"y": consistent_matrix({"b": 1, "c": 3})},
            known_ids=["a", "b", "c", "d"],
        )
    with pytest.raises(InputError, match="unknown id"):
        ahp_hierarchy(clusters, {"x": ["a"], "z": ["b"]}, {})


# -- CLI ---------------------------------------------------------------------------------------


def test_cli_ahp_json_and_text(expert_files: list[Path]):
    result = run_cli("weights", "ahp", str(expert_files[0]), "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    expected = ahp(read_matrix(expert_files[0]))
    assert payload["weights"] == pytest.approx(expected.weights.to_dict())
    assert {"weights", "lambda_max", "ci", "cr"} <= set(payload)
    assert payload["cr"] == pytest.approx(expected.cr)

    text = run_cli("weights", "ahp", *map(str, expert_files))
    assert text.returncode == 0, text.stderr
    group = ahp_group([read_matrix(p) for p in expert_files])
    care = next(line for line in text.stdout.splitlines() if line.startswith("care "))
    # Issue 17: one column per expert, then the group's (geometric mean of the judgements).
    assert care.split()[-1] == f"{group.weights['care']:.4f}"
    assert len(care.split()) == 1 + 2 + 1
    assert "2 expert(s), group = geometric mean of their judgements (AIJ)" in text.stdout
    assert f"CR of the combined matrix = {group.cr:.4f}" in text.stdout


def test_cli_ahp_saves_a_variant(tmp_path: Path, rubric: Rubric):
    dims = [d.id for d in rubric.dimensions]
    m = consistent_matrix({d: 1 + k % 5 for k, d in enumerate(dims)})  # ratios within 1/9..9
    path = tmp_path / "full.csv"
    m.to_csv(path, index_label="id")
    out = tmp_path / "variant.yaml"
    result = run_cli("weights", "ahp", str(path), "--save", str(out), "--note", "workshop 2025")
    assert result.returncode == 0, result.stderr
    variant = load_rubric(out)
    assert variant.dimension("measurement").weight == pytest.approx(1 / 31)
    assert variant.dimension("care").weight == pytest.approx(1 / 31)
    assert variant.dimension("budget").weight == pytest.approx(3 / 31)
    assert variant.provenance.note == "workshop 2025"
    assert variant.provenance.parent_hash == rubric.content_hash


_SAATY = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1 / 2, 1, 2, 3, 5, 7, 9])


@settings(max_examples=60, deadline=None)
@given(a12=_SAATY, a13=_SAATY, a23=_SAATY)
def test_row_geometric_mean_is_the_eigenvector_for_any_3x3_matrix(a12, a13, a23):
    """Crawford & Williams (1985): for n = 3 the two prioritisations coincide."""
    m = [[1, a12, a13], [1 / a12, 1, a23], [1 / a13, 1 / a23, 1]]
    np.testing.assert_allclose(row_geometric_mean(m), ahp(m).weights, atol=1e-9)


def test_row_geometric_mean_recovers_a_consistent_matrix_and_checks_its_input():
    w = pd.Series({"care": 0.4, "crisis": 0.3, "strategy": 0.2, "team": 0.1})
    rgm = row_geometric_mean(consistent_matrix(w))
    assert rgm.to_dict() == pytest.approx(w.to_dict())
    assert rgm.name == "weight"
    with pytest.raises(InputError, match="square"):
        row_geometric_mean([[1, 2, 3]])
