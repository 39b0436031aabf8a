"""Weighting methods besides AHP (:mod:`assessment.weights.methods`).

Reference values:

* Rezaei (2015), *Best-worst multi-criteria decision-making method*, Omega 53, 49-57: the
  three-criteria example (best-to-others 8, 2, 1; others-to-worst 1, 5, 8) has
  ``xi* = 0.26`` and weights 0.071, 0.338, 0.589 (as JMcDM's test suite checks it too), and
  the consistency index of table 2 (0.00, 0.44, 1.00, 1.63, 2.30, 3.00, 3.73, 4.47, 5.23 for
  a_BW = 1..9);
* Barron & Barrett (1996), *Decision quality using ranked attribute weights*, Management
  Science 42(11): rank-order centroid weights for four attributes 0.5208, 0.2708, 0.1458,
  0.0625.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.exceptions import InputError
from assessment.weights.methods import (
    bwm,
    bwm_consistency_index,
    direct_rating,
    points,
    rank_order_centroid,
    read_table,
    swing,
)


def test_bwm_reproduces_rezaei_2015():
    r = bwm({"c1": 8, "c2": 2, "c3": 1}, {"c1": 1, "c2": 5, "c3": 8})
    assert r.consistency["xi"] == pytest.approx(0.26, abs=0.005)
    assert r.weights.round(3).to_dict() == {"c1": 0.071, "c2": 0.339, "c3": 0.59}
    assert r.weights.to_numpy() == pytest.approx([0.071, 0.338, 0.589], abs=0.0015)
    assert r.inputs["best"] == "c3"
    assert r.inputs["worst"] == "c1"
    assert r.consistency["cr"] == pytest.approx(r.consistency["xi"] / 4.47, rel=1e-3)


def test_bwm_consistency_index_is_rezaeis_table():
    table = [0.00, 0.44, 1.00, 1.63, 2.30, 3.00, 3.73, 4.47, 5.23]
    assert [round(bwm_consistency_index(a), 2) for a in range(1, 10)] == table


def test_bwm_of_consistent_judgements_is_exact():
    # w = (0.5, 0.25, 0.125, 0.125): a_Bj = w_B / w_j and a_jW = w_j / w_W exactly.
    r = bwm({"a": 1, "b": 2, "c": 4, "d": 4}, {"a": 4, "b": 2, "c": 1, "d": 1})
    assert r.consistency["xi"] == pytest.approx(0, abs=1e-9)
    assert r.weights.to_numpy() == pytest.approx([0.5, 0.25, 0.125, 0.125], abs=1e-6)


def test_bwm_needs_19_judgements_for_11_dimensions():
    ids = [f"d{k}" for k in range(11)]
    best = {i: 1 if i == "d0" else 2 + k % 7 for k, i in enumerate(ids)}
    best["d10"] = 9
    worst = {i: 9 if i == "d0" else 1 + k % 7 for k, i in enumerate(ids)}
    worst["d10"] = 1
    # Two vectors of 11, less the two self-comparisons and the one they share (a_BW = a_BW).
    assert len(best) + len(worst) - 3 == 19
    r = bwm(best, worst)
    assert r.weights.idxmax() == "d0"
    assert r.weights.idxmin() == "d10"


def test_bwm_refuses_bad_judgements():
    with pytest.raises(InputError, match="off the scale"):
        bwm({"a": 1, "b": 12}, {"a": 12, "b": 1})
    with pytest.raises(InputError, match="one best item"):
        bwm({"a": 2, "b": 2}, {"a": 2, "b": 2})
    with pytest.raises(InputError, match="differ"):
        bwm({"a": 1, "b": 2}, {"a": 2, "c": 1})


def test_rank_order_centroid_is_barron_and_barrett():
    r = rank_order_centroid(["w", "x", "y", "z"])
    assert r.weights.round(4).tolist() == [0.5208, 0.2708, 0.1458, 0.0625]
    with pytest.raises(InputError, match="more than once"):
        rank_order_centroid(["a", "a"])


def test_ratings_points_and_swing():
    assert direct_rating({"a": 8, "b": 2}).weights.tolist() == [0.8, 0.2]
    assert points({"a": 60, "b": 40}).weights.tolist() == [0.6, 0.4]
    with pytest.raises(InputError, match="must add up to 100; found 90 \\(add 10\\)"):
        points({"a": 50, "b": 40})
    s = swing({"a": 100, "b": 50, "c": 50})
    assert s.weights.tolist() == [0.5, 0.25, 0.25]
    assert s.inputs == {"swings": {"a": 100.0, "b": 50.0, "c": 50.0}}
    with pytest.raises(InputError, match="most important swing 100"):
        swing({"a": 80, "b": 50})
    with pytest.raises(InputError, match="rating for 'b': expected a number 0 or more"):
        direct_rating({"a": 1, "b": -1})


def test_read_table_names_the_row_and_column(tmp_path: Path):
    path = tmp_path / "r.csv"
    path.write_text("id,value\ncare,3\ncrisis,lots\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"r.csv, row 3, column 'value': expected a number; found 'lots'"
    ):
        read_table(path, ["value"])
    path.write_text("id,value\ncare,3\ncare,1/2\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 3, column 'id': 'care' is listed twice"):
        read_table(path, ["value"])
    path.write_text("id,value\ncare,1/2\n", encoding="utf-8")
    assert read_table(path, ["value"]).loc["care", "value"] == 0.5
    with pytest.raises(InputError, match="unknown id 'care'"):
        read_table(path, ["value"], known_ids=["crisis"])
    with pytest.raises(InputError, match="missing \\['score'\\]"):
        read_table(path, ["score"])
