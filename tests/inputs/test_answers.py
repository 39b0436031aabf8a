"""Answers (:mod:`assessment.inputs.answers`): long and wide files, values, every problem.

Uses the small data-stewardship rubric (4 levels): quality (dq_checks anchored;
dq_incidents_per_month measured, lower is better, NA allowed); ownership (owner_named boolean
yes=4/no=1; catalogue_coverage_pct measured, higher is better, NA not allowed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from helpers.inputs import answer, errors_of, long_csv, reasons, sha256, write

from assessment.exceptions import DataValidationError
from assessment.inputs import (
    ANSWER_COLUMNS,
    ERROR_COLUMNS,
    Reason,
    answers_from_frame,
    load_answers,
    load_clients,
)
from assessment.rubric import Rubric

#: Columns of a normalised answers table, in order.
NORMALISED_COLUMNS = [
    *ANSWER_COLUMNS,
    "evidence",
    "role_id",
    "dimension_id",
    "kind",
    "number",
    "is_na",
    "file",
    "row",
    "assessment",
    "submitted",
]


WIDE_HEADER = [
    "client_id",
    "date",
    "respondent",
    "role",
    "dq_checks",
    "dq_incidents_per_month",
    "owner_named",
    "catalogue_coverage_pct",
]


def test_long_csv_is_normalised(long_file: Path, small_rubric: Rubric) -> None:
    df = load_answers(long_file, small_rubric)
    assert list(df.columns) == NORMALISED_COLUMNS
    assert len(df) == 8
    assert list(df["row"]) == list(range(2, 10)), "rows are numbered as Excel shows them"
    assert set(df["file"]) == {str(long_file)}
    a = answer(df, "ann", "dq_checks")
    assert (a["number"], a["kind"], a["dimension_id"], a["comment"]) == (
        3.0,
        "anchored",
        "quality",
        "good",
    )
    assert answer(df, "ann", "dq_incidents_per_month")["number"] == pytest.approx(2.5)
    assert answer(df, "ann", "owner_named")["number"] == 4.0, "yes maps to yes_level"
    assert answer(df, "cat", "owner_named")["number"] == 1.0, "no maps to no_level"
    na = answer(df, "cat", "dq_incidents_per_month")
    assert na["is_na"], "NA is flagged"
    assert np.isnan(na["number"]), "NA has no number"
    assert df["is_na"].sum() == 1


def test_long_csv_without_comment_column(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "a.csv",
        "client_id,date,respondent,role,indicator_id,value\nacme,2025-01-01,ann,cdo,dq_checks,2\n",
    )
    df = load_answers(path, small_rubric)
    assert list(df["comment"]) == [""]


def test_wide_survey_export_with_bom_and_semicolons(tmp_path: Path, small_rubric: Rubric) -> None:
    """A European Excel / Microsoft Forms export: UTF-8 BOM, ``;`` separator, comma decimals."""
    header = ["Timestamp", "Email address", *WIDE_HEADER]
    rows = [
        ["2025/01/01 10:00:00", "ann@example.org", "acme", "2025-01-01", "ann", "cdo"],
        ["2025/01/01 11:00:00", "bob@example.org", "acme", "2025-01-01", "bob", "analyst"],
    ]
    rows[0] += ["3", "2,5", "نعم", "70"]
    rows[1] += ["2", "غير منطبق", "لا", ""]  # bob left the catalogue question empty
    text = "\r\n".join(";".join(r) for r in [header, *rows]) + "\r\n"
    path = write(tmp_path / "survey.csv", text, "utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")

    df = load_answers(path, small_rubric)

    assert len(df) == 7, "bob's empty catalogue cell is 'not answered', not an answer"
    assert set(df["indicator_id"]) == set(WIDE_HEADER[4:])
    assert "timestamp" not in set(df["indicator_id"]), "form metadata is not an answer"
    assert answer(df, "ann", "dq_incidents_per_month")["number"] == pytest.approx(2.5)
    assert answer(df, "ann", "owner_named")["number"] == 4.0
    assert answer(df, "bob", "owner_named")["number"] == 1.0
    assert answer(df, "bob", "dq_incidents_per_month")["is_na"]
    assert set(df.loc[df["respondent"] == "bob", "row"]) == {3}
    assert set(df["client_id"]) == {"acme"}, "the BOM must not stick to the first header"


def test_wide_form_metadata_columns_are_ignored(tmp_path: Path, small_rubric: Rubric) -> None:
    header = ["ID", "Start time", "Completion time", "Email", "Last modified time", *WIDE_HEADER]
    row = ["1", "1/1/25 9:00", "1/1/25 9:05", "a@x.org", "", "acme", "2025-01-01", "ann", "cdo"]
    row += ["2", "", "", ""]
    text = ",".join(header) + "\n" + ",".join(row) + "\n"
    df = load_answers(write(tmp_path / "forms.csv", text), small_rubric)
    assert list(df["indicator_id"]) == ["dq_checks"]


@pytest.mark.parametrize(
    "token",
    [
        "NA",
        "na",
        "n/a",
        "N.A.",
        "Not applicable",
        pytest.param("غير منطبق", id="arabic-not-applicable"),
        pytest.param("لا ينطبق", id="arabic-does-not-apply"),
    ],
)
def test_na_tokens_where_allowed(small_rubric: Rubric, token: str) -> None:
    frame = pd.DataFrame(
        [["acme", "2025-01-01", "ann", "cdo", "dq_incidents_per_month", token]],
        columns=ANSWER_COLUMNS[:-1],
    )
    df = answers_from_frame(frame, small_rubric)
    assert bool(df.loc[0, "is_na"]), f"{token!r} should mean not applicable"
    assert np.isnan(df.loc[0, "number"])


@pytest.mark.parametrize(
    "token", ["NA", "n/a", pytest.param("غير منطبق", id="arabic-not-applicable")]
)
def test_na_tokens_where_not_allowed(small_rubric: Rubric, token: str) -> None:
    frame = pd.DataFrame(
        [["acme", "2025-01-01", "ann", "cdo", "catalogue_coverage_pct", token]],
        columns=ANSWER_COLUMNS[:-1],
    )
    with pytest.raises(DataValidationError) as excinfo:
        answers_from_frame(frame, small_rubric)
    assert reasons(errors_of(excinfo)) == [(2, "value", Reason.NA_NOT_ALLOWED)]


@pytest.mark.parametrize(
    ("token", "level"),
    [
        ("yes", 4),
        ("YES", 4),
        ("y", 4),
        ("true", 4),
        ("1", 4),
        pytest.param("نعم", 4, id="arabic-yes"),
        ("no", 1),
        ("N", 1),
        ("False", 1),
        ("0", 1),
        pytest.param("لا", 1, id="arabic-no"),
    ],
)
def test_yes_no_tokens(small_rubric: Rubric, token: str, level: int) -> None:
    frame = pd.DataFrame(
        [["acme", "2025-01-01", "ann", "cdo", "owner_named", token]], columns=ANSWER_COLUMNS[:-1]
    )
    df = answers_from_frame(frame, small_rubric)
    assert df.loc[0, "number"] == level, f"{token!r} should map to level {level}"


@pytest.mark.parametrize(("text", "number"), [("2,5", 2.5), ("0,75", 0.75), ("12", 12.0)])
def test_comma_decimal_for_measured_values(small_rubric: Rubric, text: str, number: float) -> None:
    frame = pd.DataFrame(
        [["acme", "2025-01-01", "ann", "cdo", "dq_incidents_per_month", text]],
        columns=ANSWER_COLUMNS[:-1],
    )
    assert answers_from_frame(frame, small_rubric).loc[0, "number"] == pytest.approx(number)


def test_every_problem_is_collected_with_excel_rows(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "answers.csv",
        long_csv(
            "acme,2025-01-01,ann,cdo,dq_checks,3,",  # row 2 fine
            "acme,2025-01-01,ann,cdo,dq_chekcs,3,",  # 3
            "acme,2025-01-01,bob,cdo,dq_checks,0,",  # 4
            "acme,2025-01-01,bob,cdo,dq_incidents_per_month,lots,",  # 5
            "acme,2025-01-01,bob,cdo,owner_named,2,",  # 6
            "acme,yesterday,cat,cdo,dq_checks,2,",  # 7
            "acme,2025-01-01,ann,cdo,dq_checks,1,",  # 8
            "a/b,2025-01-01,dan,cdo,dq_checks,1,",  # 9
            "acme,2025-01-01,,cdo,dq_checks,1,",  # 10
        ),
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_answers(path, small_rubric)
    errors = errors_of(excinfo)
    assert list(errors.columns) == ERROR_COLUMNS
    assert str(errors["row"].dtype) == "Int64"
    assert reasons(errors) == [
        (3, "indicator_id", Reason.UNKNOWN_INDICATOR),
        (4, "value", Reason.LEVEL_OUT_OF_RANGE),
        (5, "value", Reason.NOT_A_NUMBER),
        (6, "value", Reason.NOT_YES_NO),
        (7, "date", Reason.BAD_DATE),
        (8, "indicator_id", Reason.DUPLICATE_ANSWER),
        (9, "client_id", Reason.UNSAFE_ID),
        (10, "respondent", Reason.MISSING_VALUE),
    ]
    assert set(errors["file"]) == {str(path)}
    unknown = errors.iloc[0]
    assert unknown["value"] == "dq_chekcs"
    assert "did you mean 'dq_checks'?" in unknown["message"]
    text = str(excinfo.value)
    assert text.startswith(f"8 problem(s) in the answers ({path}):")
    assert f"{path}, row 5, column 'value':" in text
    assert "[not_a_number]" in text


def test_no_files_is_an_error(small_rubric: Rubric) -> None:
    with pytest.raises(DataValidationError, match="no answer files given"):
        load_answers([], small_rubric)


def test_several_files_are_combined_with_sources(
    tmp_path: Path, long_file: Path, small_rubric: Rubric
) -> None:
    wide = write(
        tmp_path / "wide.csv",
        ",".join(WIDE_HEADER) + "\ngamma,2025-03-01,dan,cdo,4,0,yes,95\n",
    )
    df = load_answers([long_file, wide], small_rubric)
    assert len(df) == 8 + 4
    assert set(df["client_id"]) == {"acme", "beta", "gamma"}
    assert df.groupby("file")["row"].min().to_dict() == {str(long_file): 2, str(wide): 2}
    sources = df.attrs["sources"]
    assert sources == {str(long_file): sha256(long_file), str(wide): sha256(wide)}
    assert all(len(h) == 64 and int(h, 16) >= 0 for h in sources.values())


def test_duplicate_answer_across_files(tmp_path: Path, small_rubric: Rubric) -> None:
    row = "acme,2025-01-01,ann,cdo,dq_checks,3,"
    first = write(tmp_path / "first.csv", long_csv(row))
    second = write(tmp_path / "second.csv", long_csv("acme,2025-01-01,bob,cdo,dq_checks,3,", row))
    with pytest.raises(DataValidationError) as excinfo:
        load_answers([first, second], small_rubric)
    errors = errors_of(excinfo)
    assert reasons(errors) == [(3, "indicator_id", Reason.DUPLICATE_ANSWER)]
    assert errors.loc[0, "file"] == str(second)
    assert f"first given in {first}, row 2" in errors.loc[0, "message"]


def test_problems_of_every_file_are_collected(tmp_path: Path, small_rubric: Rubric) -> None:
    bad_a = write(tmp_path / "a.csv", long_csv("acme,2025-01-01,ann,cdo,dq_checks,5,"))
    bad_b = write(tmp_path / "b.csv", "client_id,date\nacme,2025-01-01\n")
    good = write(tmp_path / "c.csv", long_csv("acme,2025-01-01,bob,cdo,dq_checks,2,"))
    with pytest.raises(DataValidationError) as excinfo:
        load_answers([bad_a, bad_b, good], small_rubric)
    by_file = errors_of(excinfo).groupby("file")["reason"].agg(set).to_dict()
    assert by_file == {str(bad_a): {Reason.LEVEL_OUT_OF_RANGE}, str(bad_b): {Reason.MISSING_COLUMN}}


def test_unknown_client_when_clients_given(tmp_path: Path, small_rubric: Rubric) -> None:
    clients = load_clients(write(tmp_path / "clients.csv", "client_id,name\nacme,Acme\n"))
    path = write(
        tmp_path / "a.csv",
        long_csv("acme,2025-01-01,ann,cdo,dq_checks,2,", "zeta,2025-01-01,ann,cdo,dq_checks,2,"),
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_answers(path, small_rubric, clients=clients)
    assert reasons(errors_of(excinfo)) == [(3, "client_id", Reason.UNKNOWN_CLIENT)]


def test_answers_from_frame_long(small_rubric: Rubric) -> None:
    frame = pd.DataFrame(
        {
            "Client_ID": ["acme", "acme"],
            "date": [pd.Timestamp("2025-01-01"), pd.Timestamp("2025-01-01")],
            "respondent": ["ann", "ann"],
            "role": ["cdo", "cdo"],
            "indicator_id": ["dq_checks", "catalogue_coverage_pct"],
            "value": [3, 55.5],
        }
    )
    df = answers_from_frame(frame, small_rubric, source="workshop")
    assert list(df.columns) == NORMALISED_COLUMNS
    assert df["number"].tolist() == [3.0, 55.5]
    assert set(df["date"]) == {"2025-01-01"}
    assert set(df["file"]) == {"workshop"}
    assert df["row"].tolist() == [2, 3]
    assert df.attrs["sources"] == {}


def test_answers_from_frame_wide(small_rubric: Rubric) -> None:
    frame = pd.DataFrame(
        [["acme", "2025-01-01", "ann", "cdo", "2", "NA", "no", "10"]], columns=WIDE_HEADER
    )
    df = answers_from_frame(frame, small_rubric)
    assert sorted(df["indicator_id"]) == sorted(WIDE_HEADER[4:])
    assert answer(df, "ann", "owner_named")["number"] == 1.0


def test_answers_from_frame_reports_with_source(small_rubric: Rubric) -> None:
    frame = pd.DataFrame(
        [["acme", "2025-01-01", "ann", "cdo", "dq_checks", "5"]], columns=ANSWER_COLUMNS[:-1]
    )
    with pytest.raises(DataValidationError) as excinfo:
        answers_from_frame(frame, small_rubric, source="widget")
    errors = errors_of(excinfo)
    assert list(errors.columns) == ERROR_COLUMNS
    assert errors.loc[0, "file"] == "widget"
    assert reasons(errors) == [(2, "value", Reason.LEVEL_OUT_OF_RANGE)]


def test_answers_from_frame_empty(small_rubric: Rubric) -> None:
    with pytest.raises(DataValidationError) as excinfo:
        answers_from_frame(pd.DataFrame(columns=ANSWER_COLUMNS), small_rubric)
    assert list(errors_of(excinfo)["reason"]) == [Reason.EMPTY_FILE]


@pytest.mark.parametrize("missing", [None, np.nan], ids=["none", "nan"])
def test_answers_from_frame_missing_cell_is_not_answered(small_rubric: Rubric, missing) -> None:
    frame = pd.DataFrame(
        {
            "client_id": ["acme", "acme"],
            "date": ["2025-01-01", "2025-01-01"],
            "respondent": ["ann", "bob"],
            "role": ["cdo", "cdo"],
            "dq_checks": [3, missing],
        }
    )
    df = answers_from_frame(frame, small_rubric)
    assert df["respondent"].tolist() == ["ann"]
