"""Reading tables (:mod:`assessment.inputs.tables`): delimiters, encodings, XLSX, Excel rows.

Uses the small data-stewardship rubric (4 levels): quality (dq_checks anchored;
dq_incidents_per_month measured, lower is better, NA allowed); ownership (owner_named boolean
yes=4/no=1; catalogue_coverage_pct measured, higher is better, NA not allowed).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from helpers.inputs import answer, errors_of, long_csv, reasons, write

from assessment.exceptions import DataValidationError
from assessment.inputs import ANSWER_COLUMNS, ERROR_COLUMNS, Reason, load_answers, read_table
from assessment.rubric import Rubric


def test_tab_delimited(tmp_path: Path, small_rubric: Rubric) -> None:
    text = "\t".join(ANSWER_COLUMNS) + "\nacme\t2025-01-01\tann\tcdo\tdq_checks\t4\tall tables\n"
    df = load_answers(write(tmp_path / "answers.tsv", text), small_rubric)
    assert (df.loc[0, "number"], df.loc[0, "comment"]) == (4.0, "all tables")


def test_pipe_delimited(tmp_path: Path, small_rubric: Rubric) -> None:
    text = "|".join(ANSWER_COLUMNS) + "\nacme|2025-01-01|ann|cdo|owner_named|y|\n"
    df = load_answers(write(tmp_path / "answers.txt", text), small_rubric)
    assert df.loc[0, "number"] == 4.0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"], ids=["utf16-le-bom", "utf16-be-bom"])
def test_utf16_with_bom(tmp_path: Path, small_rubric: Rubric, encoding: str) -> None:
    text = long_csv("acme,2025-01-01,سارة,مدير,dq_checks,3,ملاحظة")
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "answers.csv"
    path.write_bytes(data)
    df = load_answers(path, small_rubric)
    assert (df.loc[0, "respondent"], df.loc[0, "comment"]) == ("سارة", "ملاحظة")


def test_truncated_utf16_is_reported_not_raised(tmp_path: Path, small_rubric: Rubric) -> None:
    path = tmp_path / "answers.csv"
    path.write_bytes(
        b"\xff\xfe" + long_csv("acme,2025-01-01,ann,cdo,dq_checks,3,").encode("utf-16-le") + b"\x00"
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_answers(path, small_rubric)
    assert list(errors_of(excinfo)["reason"]) == [Reason.BAD_ENCODING]


def test_xlsx_with_date_cells_and_blank_rows(xlsx_file: Path, small_rubric: Rubric) -> None:
    df = load_answers(xlsx_file, small_rubric)
    assert len(df) == 4, "blank and formatted-only rows are not data"
    assert set(df["date"]) == {"2025-01-01"}, "date cells become ISO dates"
    assert list(df["row"]) == [2, 3, 5, 6], "rows are numbered as Excel shows them"
    assert answer(df, "ann", "dq_checks")["number"] == 3.0
    assert answer(df, "ann", "dq_incidents_per_month")["number"] == pytest.approx(2.5)
    assert answer(df, "bob", "owner_named")["number"] == 4.0
    assert answer(df, "bob", "catalogue_coverage_pct")["number"] == 95.0


def test_xlsx_errors_use_excel_row_numbers(tmp_path: Path, small_rubric: Rubric) -> None:
    frame = pd.DataFrame(
        [
            ["acme", "2025-01-01", "ann", "cdo", "dq_checks", "3", ""],
            ["acme", "2025-01-01", "bob", "cdo", "dq_checks", "9", ""],
        ],
        columns=ANSWER_COLUMNS,
    )
    path = tmp_path / "answers.xlsx"
    frame.to_excel(path, index=False)
    with pytest.raises(DataValidationError) as excinfo:
        load_answers(path, small_rubric)
    assert reasons(errors_of(excinfo)) == [(3, "value", Reason.LEVEL_OUT_OF_RANGE)]


def test_csv_trailing_blank_rows_from_excel(tmp_path: Path, small_rubric: Rubric) -> None:
    text = long_csv("acme,2025-01-01,ann,cdo,dq_checks,3,", ",,,,,,", ",,,,,,", " , ,,,,,")
    df = load_answers(write(tmp_path / "answers.csv", text), small_rubric)
    assert len(df) == 1


def test_headers_are_case_and_space_insensitive(tmp_path: Path, small_rubric: Rubric) -> None:
    header = " Client_ID , Date ,Respondent,ROLE,Indicator_Id,Value,Comment"
    text = f"{header}\n acme , 2025-01-01 , ann ,cdo, dq_checks , 2 ,\n"
    df = load_answers(write(tmp_path / "answers.csv", text), small_rubric)
    assert (df.loc[0, "client_id"], df.loc[0, "indicator_id"], df.loc[0, "number"]) == (
        "acme",
        "dq_checks",
        2.0,
    )


def test_file_level_errors_have_no_row(tmp_path: Path, small_rubric: Rubric) -> None:
    with pytest.raises(DataValidationError) as excinfo:
        load_answers([tmp_path / "nope.csv", write(tmp_path / "empty.csv", "")], small_rubric)
    errors = errors_of(excinfo)
    assert list(errors.columns) == ERROR_COLUMNS
    assert errors["row"].isna().all()
    assert sorted(errors["reason"]) == [Reason.EMPTY_FILE, Reason.FILE_NOT_FOUND]


def test_read_table_raises_on_its_own(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as excinfo:
        read_table(tmp_path / "missing.csv")
    assert list(errors_of(excinfo)["reason"]) == [Reason.FILE_NOT_FOUND]


def test_read_table_detects_duplicate_columns(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as excinfo:
        read_table(write(tmp_path / "t.csv", "a,b,a\n1,2,3\n"))
    assert reasons(errors_of(excinfo)) == [(1, "a", Reason.DUPLICATE_COLUMN)]


def test_read_table_gives_stripped_strings_and_rows(tmp_path: Path) -> None:
    df = read_table(write(tmp_path / "t.csv", "A , B\n 007 , NA\n,\nx,y\n"))
    assert df is not None
    assert list(df.columns) == ["a", "b", "_row"]
    assert df.to_dict("records") == [
        {"a": "007", "b": "NA", "_row": 2},
        {"a": "x", "b": "y", "_row": 4},
    ], "leading zeros and NA stay as typed; the blank row 3 is dropped but still counted"
