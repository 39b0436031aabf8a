"""Interchange: the store as the long answers format, and answers imported as votes."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import SAMPLES
from helpers.workshop import EMPTY_DATE as DATE

from assessment.exceptions import DataValidationError, InputError, ParameterError
from assessment.inputs import answers_from_frame
from assessment.rubric import Rubric
from assessment.scoring import score
from assessment.workshop.records import CONSENSUS_RESPONDENT
from assessment.workshop.store import Store


def test_export_is_the_long_answers_format_and_scores(
    store: Store, wid: int, rubric: Rubric
) -> None:
    ann, bob = store.join(wid, "Ann", "CMO"), store.join(wid, "Bob", "CFO")
    for person, level in ((ann, 2), (bob, 4)):
        store.vote(person, "strategy_documented", level)
        store.vote(person, "strategy_exec_sponsor", level + 1)
    store.vote(ann, "care_first_response_hours", 3.5)
    store.vote(ann, "content_paid_influencer", "NA")
    frame = store.export_answers(wid)
    assert list(frame.columns) == [
        "client_id",
        "date",
        "respondent",
        "role",
        "indicator_id",
        "value",
        "comment",
    ]
    assert set(frame["client_id"]) == {"c01-test"}
    assert set(frame["date"]) == {DATE}
    result = score(rubric, store.answers(wid))
    ind = result.indicators.set_index("indicator_id")
    assert ind.loc["strategy_documented", "level"] == 3.0  # median of 2 and 4
    assert ind.loc["strategy_documented", "n"] == 2
    assert ind.loc["content_paid_influencer", "status"] == "na"
    assert ind.loc["care_first_response_hours", "value"] == 3.5

    store.finalise(wid, {"strategy_documented": 3})
    agreed = store.export_answers(wid, source="agreed")
    assert agreed[["respondent", "indicator_id", "value"]].values.tolist() == [
        [CONSENSUS_RESPONDENT, "strategy_documented", "3"]
    ]
    answers_from_frame(agreed, rubric)
    with pytest.raises(ParameterError, match="source"):
        store.export_answers(wid, source="other")


def test_import_then_export_round_trips_the_samples(store: Store, rubric: Rubric) -> None:
    raw = pd.read_csv(SAMPLES / "answers.csv", dtype=str, keep_default_na=False)
    raw = raw.loc[raw["client_id"].isin(["c01-fanous-souq", "c03-dalia-clinics"])]
    workshops = store.import_answers(raw, rubric)
    assert [(w.client_id, w.date) for w in workshops] == sorted(
        raw[["client_id", "date"]].drop_duplicates().itertuples(index=False, name=None)
    )
    keys = ["client_id", "date", "respondent", "indicator_id"]
    back = pd.concat([store.export_answers(w.id) for w in workshops])
    original = answers_from_frame(raw, rubric).sort_values(keys).reset_index(drop=True)
    again = answers_from_frame(back, rubric).sort_values(keys).reset_index(drop=True)
    assert len(again) == len(raw) == sum(store.vote_count(w.id) for w in workshops)
    for col in [*keys, "role", "comment", "is_na"]:
        assert again[col].astype(str).tolist() == original[col].astype(str).tolist(), col
    pd.testing.assert_series_equal(again["number"], original["number"])


def test_import_validates_everything_before_writing(store: Store, rubric: Rubric) -> None:
    bad = pd.DataFrame(
        [
            ["c01", DATE, "Ann", "CMO", "strategy_documented", "9", ""],
            ["c01", DATE, "Ann", "CMO", "no_such_indicator", "3", ""],
        ],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"],
    )
    with pytest.raises(DataValidationError) as info:
        store.import_answers(bad, rubric)
    assert len(info.value.errors) == 2
    assert store.workshops() == []


def test_import_refuses_a_workshop_with_another_rubric(
    store: Store, rubric: Rubric, small_rubric: Rubric
) -> None:
    store.create_workshop("c01", small_rubric, date=DATE)
    frame = pd.DataFrame(
        [["c01", DATE, "Ann", "CMO", "strategy_documented", "3", ""]],
        columns=["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"],
    )
    with pytest.raises(InputError, match="uses rubric"):
        store.import_answers(frame, rubric)


COLUMNS = ["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"]


@pytest.mark.parametrize(
    ("second", "reason"),
    [
        pytest.param("layla", "duplicate_id", id="same-name-other-case"),
        pytest.param("Lay\x01la", "unsafe_id", id="control-character"),
        pytest.param("\x01", "missing_value", id="only-a-control-character"),
    ],
)
def test_import_refuses_names_that_would_merge_people_and_writes_nothing(
    store: Store, rubric: Rubric, second: str, reason: str
) -> None:
    """Issue 18, finding 5: Layla and layla were one participant, after rows were written."""
    frame = pd.DataFrame(
        [
            ["c00", DATE, "Ann", "CMO", "strategy_documented", "3", ""],  # written first before
            ["c01", DATE, "Layla", "CMO", "strategy_documented", "3", ""],
            ["c01", DATE, second, "CFO", "strategy_documented", "1", ""],
        ],
        columns=COLUMNS,
    )
    with pytest.raises(DataValidationError) as info:
        store.import_answers(frame, rubric)
    assert info.value.errors["reason"].tolist() == [reason]
    assert info.value.errors["row"].tolist() == [4]
    assert "nothing was imported" in str(info.value)
    assert store.workshops() == []


def test_import_is_one_transaction(store: Store, rubric: Rubric, small_rubric: Rubric) -> None:
    """A failure in the second assessment leaves the first unwritten too (finding 5)."""
    store.create_workshop("c02", small_rubric, date=DATE)  # the second assessment fails on it
    frame = pd.DataFrame(
        [
            ["c01", DATE, "Ann", "CMO", "strategy_documented", "3", ""],
            ["c02", DATE, "Bob", "CMO", "strategy_documented", "3", ""],
        ],
        columns=COLUMNS,
    )
    with pytest.raises(InputError, match="uses rubric"):
        store.import_answers(frame, rubric)
    assert [w.client_id for w in store.workshops()] == ["c02"]
    assert store.participants(store.workshops()[0].id) == []
    # The store still works, and its rubric cache forgot the rolled-back workshop.
    (w,) = store.import_answers(frame.iloc[:1], rubric)
    assert (w.client_id, store.vote_count(w.id)) == ("c01", 1)
