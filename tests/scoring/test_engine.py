"""The scoring engine (:mod:`assessment.scoring.engine`): hand-computed cases, every documented
formula, and invariants.

Uses the data-stewardship rubric: quality (w .6): dq_checks (anchored, gate >=2 else cap <3),
dq_incidents_per_month (measured, lower is better, [10, 3, 1], NA allowed); ownership (w .4):
owner_named (boolean yes=4 no=1), catalogue_coverage_pct (measured, higher is better,
[25, 60, 90]).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric, load_rubric
from assessment.scoring import score


def dim(result, client: str, dimension: str, column: str = "score") -> float:
    d = result.dimensions
    return float(
        d.loc[(d["client_id"] == client) & (d["dimension_id"] == dimension), column].iloc[0]
    )


def test_hand_computed_example(small_rubric, make_answers):
    answers = make_answers(
        small_rubric,
        [
            ("acme", "ann", "dq_checks", 3),
            ("acme", "bob", "dq_checks", 1),
            ("acme", "cat", "dq_checks", 2),
            ("acme", "ann", "dq_incidents_per_month", 2.5),
            ("acme", "ann", "owner_named", "yes"),
            ("acme", "bob", "owner_named", "yes"),
            ("acme", "ann", "catalogue_coverage_pct", 70),
        ],
    )
    r = score(small_rubric, answers)
    # quality = mean(median(3,1,2)=2, level(2.5 incidents)=3) = 2.5
    assert dim(r, "acme", "quality") == pytest.approx(2.5)
    # ownership = mean(yes -> 4, 70% -> 3) = 3.5
    assert dim(r, "acme", "ownership") == pytest.approx(3.5)
    o = r.overall.iloc[0]
    assert o["index_1_n"] == pytest.approx(0.6 * 2.5 + 0.4 * 3.5)
    assert o["index"] == pytest.approx(100 * (2.9 - 1) / 3)
    assert o["weakest_link"] == 2
    assert o["count_2007"] == 0
    # staged: L3 needs every dim >= 2 (yes) and >= 70% weight at >= 3 (only .4) -> L2
    assert o["level"] == 2
    # r_wg for dq_checks: var(3,1,2)=1, sigma_EU^2 for 4 levels = (16-1)/12 = 1.25
    ind = r.indicators.set_index("indicator_id")
    assert ind.loc["dq_checks", "rwg"] == pytest.approx(1 - 1 / 1.25)
    assert ind.loc["dq_checks", "iqr"] == pytest.approx(1.0)
    assert bool(ind.loc["dq_checks", "hotspot"]) is True  # range 2 levels
    assert np.isnan(ind.loc["catalogue_coverage_pct", "rwg"])  # one answer: no agreement stat


def test_gate_caps_dimension_and_names_the_gate(small_rubric, make_answers):
    answers = make_answers(
        small_rubric,
        [("g", "a", "dq_checks", 1), ("g", "a", "dq_incidents_per_month", 0.5)],
    )
    r = score(small_rubric, answers)
    # raw = (1 + 4) / 2 = 2.5 < cap 2.99: not lowered
    assert dim(r, "g", "quality", "raw_score") == pytest.approx(2.5)
    assert dim(r, "g", "quality") == pytest.approx(2.5)
    answers = make_answers(
        small_rubric,
        [
            ("g", "a", "dq_checks", 1),
            ("g", "a", "dq_incidents_per_month", 0.5),
            ("h", "a", "dq_checks", 2),
            ("h", "a", "dq_incidents_per_month", 0.5),
        ],
    )
    # make the gate bite: quality raw for g is 2.5, so use a single very good measured value
    r = score(small_rubric, answers)
    assert dim(r, "h", "quality") == pytest.approx(3.0)  # gate met (2 >= 2)
    assert r.dimensions.loc[r.dimensions["client_id"] == "h", "capped_by"].eq("").all()


def test_gate_lowers_a_high_score(small_rubric):
    # Weight the measured indicator heavily so that a failed gate visibly caps the score.
    data = small_rubric.model_dump(mode="json")
    data["dimensions"][0]["indicators"][1]["weight"] = 9.0
    heavy = load_rubric(data)
    frame = pd.DataFrame(
        {
            "client_id": ["g", "g"],
            "date": ["2025-01-01"] * 2,
            "respondent": ["a", "a"],
            "role": ["", ""],
            "indicator_id": ["dq_checks", "dq_incidents_per_month"],
            "value": ["1", "0.5"],
        }
    )
    r = score(heavy, answers_from_frame(frame, heavy))
    assert dim(r, "g", "quality", "raw_score") == pytest.approx((1 + 9 * 4) / 10)
    assert dim(r, "g", "quality") == pytest.approx(2.99)
    assert dim(r, "g", "quality", "level") == 2
    d = r.dimensions.set_index("dimension_id")
    assert d.loc["quality", "capped_by"] == "dq_checks"


def test_unanswered_gate_caps_but_na_does_not(small_rubric, make_answers):
    # dq_checks unanswered: the necessary condition is not shown, so quality is capped.
    r = score(small_rubric, make_answers(small_rubric, [("m", "a", "dq_incidents_per_month", 0)]))
    assert dim(r, "m", "quality") == pytest.approx(2.99)


def test_na_is_excluded_and_weights_renormalise(small_rubric, make_answers):
    answers = make_answers(
        small_rubric,
        [("n", "a", "dq_checks", 3), ("n", "a", "dq_incidents_per_month", "NA")],
    )
    r = score(small_rubric, answers)
    assert dim(r, "n", "quality") == pytest.approx(3.0)
    assert dim(r, "n", "quality", "coverage") == pytest.approx(1.0)
    status = r.indicators.set_index("indicator_id")["status"]
    assert status["dq_incidents_per_month"] == "na"
    assert status["owner_named"] == "missing"
    # ownership unanswered entirely: no score, the index renormalises over quality only
    assert np.isnan(dim(r, "n", "ownership"))
    assert r.overall["index_1_n"].iloc[0] == pytest.approx(3.0)
    assert r.overall["coverage"].iloc[0] == pytest.approx(0.6)


def test_missing_lowest_scores_unanswered_as_level_one(small_rubric, make_answers):
    answers = make_answers(small_rubric, [("n", "a", "dq_checks", 3)])
    r = score(small_rubric, answers, missing="lowest")
    assert dim(r, "n", "quality") == pytest.approx(2.0)
    assert dim(r, "n", "ownership") == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [("median", 2.0), ("mean", 2.6), ("trimmed", 7 / 3)],
)
def test_aggregation_methods(small_rubric, make_answers, aggregate, expected):
    rows = [("x", f"r{i}", "dq_checks", v) for i, v in enumerate([1, 2, 2, 4, 4])]
    rows[3] = ("x", "r3", "dq_checks", 3)  # levels 1, 2, 2, 3, 4
    rows[4] = ("x", "r4", "dq_checks", 5 - 1)
    # levels are 1,2,2,3,4: median 2, mean 2.4; use trim 0.2 -> drop 1 and 4 -> mean(2,2,3)
    r = score(small_rubric, make_answers(small_rubric, rows), aggregate=aggregate)
    level = r.indicators.set_index("indicator_id").loc["dq_checks", "level"]
    assert level == pytest.approx({"median": 2.0, "mean": 2.4, "trimmed": 7 / 3}[aggregate])
    del expected


def test_boolean_majority_and_tie_is_no(small_rubric, make_answers):
    rows = [("b", "a", "owner_named", "yes"), ("b", "c", "owner_named", "no")]
    r = score(small_rubric, make_answers(small_rubric, rows))
    assert r.indicators.set_index("indicator_id").loc["owner_named", "level"] == 1
    rows.append(("b", "d", "owner_named", "yes"))
    r = score(small_rubric, make_answers(small_rubric, rows))
    assert r.indicators.set_index("indicator_id").loc["owner_named", "level"] == 4


def test_measured_values_aggregate_before_conversion(small_rubric, make_answers):
    # median of 2, 4, 20 incidents = 4 -> level 2 (<= 10, not <= 3)
    rows = [("m", r, "dq_incidents_per_month", v) for r, v in [("a", 2), ("b", 4), ("c", 20)]]
    r = score(small_rubric, make_answers(small_rubric, rows))
    ind = r.indicators.set_index("indicator_id")
    assert ind.loc["dq_incidents_per_month", "value"] == 4
    assert ind.loc["dq_incidents_per_month", "level"] == 2


def test_staged_level_and_2007_count(small_rubric, make_answers):
    rows = [
        ("s", "a", "dq_checks", 4),
        ("s", "a", "dq_incidents_per_month", 0.5),
        ("s", "a", "owner_named", "no"),
        ("s", "a", "catalogue_coverage_pct", 10),
    ]
    r = score(small_rubric, make_answers(small_rubric, rows))
    o = r.overall.iloc[0]
    assert o["count_2007"] == 1  # ownership at 1
    assert o["weakest_link"] == 1
    # L2 needs every dim >= 1 (yes) and >= 70% weight at >= 2: quality is .6 -> stays L1
    assert o["level"] == 1
    r = score(small_rubric, make_answers(small_rubric, rows), staged_share=0.6)
    assert r.overall.iloc[0]["level"] == 2


IND = ["dq_checks", "dq_incidents_per_month", "owner_named", "catalogue_coverage_pct"]


def _value(indicator: str, level_draw: int, draw: float) -> str:
    if indicator == "dq_checks":
        return str(level_draw)
    if indicator == "owner_named":
        return "yes" if level_draw >= 3 else "no"
    if indicator == "dq_incidents_per_month":
        return f"{draw * 20:.2f}"
    return f"{draw * 100:.1f}"


answer_sets = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2"]),
        st.sampled_from(["r1", "r2", "r3", "r4"]),
        st.sampled_from(IND),
        st.integers(1, 4),
        st.floats(0, 1),
        st.booleans(),
    ),
    min_size=1,
    max_size=30,
    unique_by=lambda t: (t[0], t[1], t[2]),
)


def _frame(rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (
                c,
                "2025-01-01",
                r,
                "",
                i,
                "NA" if (na and i == "dq_incidents_per_month") else _value(i, lvl, x),
            )
            for c, r, i, lvl, x, na in rows
        ],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value"],
    )


PROPS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPS
@given(rows=answer_sets)
def test_scores_stay_in_bounds(small_rubric: Rubric, rows):
    r = score(small_rubric, answers_from_frame(_frame(rows), small_rubric))
    s = r.dimensions["score"].dropna()
    assert ((s >= 1) & (s <= 4)).all()
    idx = r.overall["index"].dropna()
    assert ((idx >= 0) & (idx <= 100)).all()
    assert r.overall["level"].dropna().between(1, 4).all()
    assert (r.dimensions["gap"].dropna() >= 0).all()


def _improve(value: str, indicator: str) -> str:
    if value == "NA":
        return value
    if indicator == "dq_checks":
        return str(min(4, int(value) + 1))
    if indicator == "owner_named":
        return "yes"
    if indicator == "dq_incidents_per_month":
        return f"{float(value) / 2:.3f}"
    return f"{min(100.0, float(value) * 1.5 + 1):.1f}"


@PROPS
@given(rows=answer_sets, which=st.integers(0, 29))
def test_raising_an_answer_never_lowers_any_score(small_rubric: Rubric, rows, which):
    base = _frame(rows)
    k = which % len(base)
    better = base.copy()
    better.loc[k, "value"] = _improve(base.loc[k, "value"], base.loc[k, "indicator_id"])
    r0 = score(small_rubric, answers_from_frame(base, small_rubric))
    r1 = score(small_rubric, answers_from_frame(better, small_rubric))
    key = ["client_id", "dimension_id"]
    d0 = r0.dimensions.set_index(key)["score"]
    d1 = r1.dimensions.set_index(key)["score"]
    both = d0.notna() & d1.notna()
    assert (d1[both] >= d0[both] - 1e-9).all()
    o0 = r0.overall.set_index("client_id")
    o1 = r1.overall.set_index("client_id")
    scored = o0["index"].notna() & o1["index"].notna()  # an unscored client has no index
    assert (o1.loc[scored, "index"] >= o0.loc[scored, "index"] - 1e-9).all()
    assert (o1.loc[scored, "level"] >= o0.loc[scored, "level"]).all()
    assert not (o0["index"].notna() & o1["index"].isna()).any()  # improving never unscores


@PROPS
@given(rows=answer_sets, factor=st.floats(0.1, 10))
def test_scaling_all_weights_changes_nothing(small_rubric: Rubric, rows, factor):
    data = small_rubric.model_dump(mode="json")
    for d in data["dimensions"]:
        for i in d["indicators"]:
            i["weight"] *= factor
    scaled = load_rubric(data).with_weights(
        {d.id: d.weight * factor for d in small_rubric.dimensions}
    )
    answers = _frame(rows)
    r0 = score(small_rubric, answers_from_frame(answers, small_rubric))
    r1 = score(scaled, answers_from_frame(answers, scaled))
    pd.testing.assert_series_equal(r0.dimensions["score"], r1.dimensions["score"])
    np.testing.assert_allclose(r0.overall["index"], r1.overall["index"], rtol=1e-12)


@PROPS
@given(rows=answer_sets, seed=st.integers(0, 10_000))
def test_respondent_order_changes_nothing(small_rubric: Rubric, rows, seed):
    base = _frame(rows)
    shuffled = base.sample(frac=1, random_state=seed).reset_index(drop=True)
    r0 = score(small_rubric, answers_from_frame(base, small_rubric))
    r1 = score(small_rubric, answers_from_frame(shuffled, small_rubric))
    pd.testing.assert_frame_equal(r0.dimensions, r1.dimensions)
    pd.testing.assert_frame_equal(r0.overall, r1.overall)


@PROPS
@given(rows=answer_sets)
def test_na_renormalises_to_the_remaining_indicators(small_rubric: Rubric, rows):
    frame = _frame(rows)
    r = score(small_rubric, answers_from_frame(frame, small_rubric))
    ind = r.indicators.loc[r.indicators["dimension_id"] == "quality"]
    for client, grp in ind.groupby("client_id"):
        usable = grp.loc[grp["status"] == "answered"]
        if usable.empty:
            continue
        expected = np.average(usable["level"], weights=usable["indicator_weight"])
        got = dim(r, client, "quality", "raw_score")
        assert got == pytest.approx(expected)


def test_a_dimension_with_no_answers_stays_unscored_despite_its_gate(small_rubric, make_answers):
    # Only ownership is answered; quality's gate indicator is missing too, which must not turn
    # "no score" into the gate's cap.
    r = score(small_rubric, make_answers(small_rubric, [("u", "a", "owner_named", "yes")]))
    assert np.isnan(dim(r, "u", "quality"))
    assert r.overall["n_dimensions"].iloc[0] == 1
