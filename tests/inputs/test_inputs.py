"""Reading and validating data files: :mod:`assessment.inputs`, in process.

Uses the small data-stewardship rubric (4 levels): quality (dq_checks anchored;
dq_incidents_per_month measured, lower is better, NA allowed); ownership (owner_named boolean
yes=4/no=1; catalogue_coverage_pct measured, higher is better, NA not allowed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from assessment.exceptions import (
    DataValidationError,
    UnsafeIdentifierError,
)
from assessment.inputs import (
    ANSWER_COLUMNS,
    ERROR_COLUMNS,
    Reason,
    answers_from_frame,
    check_safe_id,
    load_answers,
    load_clients,
    load_peers,
    load_targets,
    read_table,
)
from assessment.rubric import Rubric

HEADER = ",".join(ANSWER_COLUMNS)
#: Columns of a normalised answers table, in order.
NORMALISED_COLUMNS = [
    *ANSWER_COLUMNS,
    "dimension_id",
    "kind",
    "number",
    "is_na",
    "file",
    "row",
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


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` in ``encoding`` (newlines as given) and return the path."""
    path.write_bytes(text.encode(encoding))
    return path


def long_csv(*rows: str) -> str:
    """A long-format answers CSV with the standard header."""
    return "\n".join([HEADER, *rows]) + "\n"


def sha256(path: Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def errors_of(excinfo: pytest.ExceptionInfo[DataValidationError]) -> pd.DataFrame:
    """The errors table of a raised :class:`DataValidationError`."""
    return excinfo.value.errors


def reasons(errors: pd.DataFrame) -> list[tuple[int | None, str, str]]:
    """``(row, column, reason)`` of every error, in reported order."""
    return [
        (None if pd.isna(r) else int(r), c, why)
        for r, c, why in zip(errors["row"], errors["column"], errors["reason"], strict=True)
    ]


def answer(df: pd.DataFrame, respondent: str, indicator: str) -> pd.Series:
    """The single normalised answer of ``respondent`` on ``indicator``."""
    hit = df.loc[(df["respondent"] == respondent) & (df["indicator_id"] == indicator)]
    assert len(hit) == 1, f"expected one answer of {respondent} on {indicator}, got {len(hit)}"
    return hit.iloc[0]


@pytest.fixture(name="long_file")
def fixture_long_file(tmp_path: Path) -> Path:
    """A valid long answers CSV: two clients, every kind of indicator."""
    return write(
        tmp_path / "answers.csv",
        long_csv(
            "acme,2025-01-01,ann,cdo,dq_checks,3,good",
            "acme,2025-01-01,bob,analyst,dq_checks,2,",
            "acme,2025-01-01,ann,cdo,dq_incidents_per_month,2.5,",
            "acme,2025-01-01,ann,cdo,owner_named,yes,",
            "acme,2025-01-01,ann,cdo,catalogue_coverage_pct,70,",
            "beta,2025-02-01,cat,cdo,dq_checks,1,",
            "beta,2025-02-01,cat,cdo,dq_incidents_per_month,NA,",
            "beta,2025-02-01,cat,cdo,owner_named,no,",
        ),
    )


# -- formats -------------------------------------------------------------------------------------


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


@pytest.fixture(name="xlsx_file")
def fixture_xlsx_file(tmp_path: Path) -> Path:
    """A workbook as people make them: real date cells, numbers, a blank row and trailing rows
    that are formatted or hold only spaces."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(ANSWER_COLUMNS)
    ws.append(["acme", dt.datetime(2025, 1, 1), "ann", "cdo", "dq_checks", 3, None])  # row 2
    ws.append(["acme", dt.date(2025, 1, 1), "ann", "cdo", "dq_incidents_per_month", 2.5, "x"])
    ws.append([None] * 7)  # row 4: blank in the middle
    ws.append(["acme", "2025-01-01", "bob", "cdo", "owner_named", "Yes", None])  # row 5
    ws.append(["acme", "2025-01-01", "bob", "cdo", "catalogue_coverage_pct", 95, None])  # row 6
    fill = openpyxl.styles.PatternFill("solid", fgColor="FFFF00")
    for row in range(7, 12):  # formatted but empty trailing rows
        ws.cell(row=row, column=1).fill = fill
    ws.cell(row=12, column=3).value = "   "  # a stray space far below the data
    path = tmp_path / "answers.xlsx"
    wb.save(path)
    return path


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


def test_wide_form_metadata_columns_are_ignored(tmp_path: Path, small_rubric: Rubric) -> None:
    header = ["ID", "Start time", "Completion time", "Email", "Last modified time", *WIDE_HEADER]
    row = ["1", "1/1/25 9:00", "1/1/25 9:05", "a@x.org", "", "acme", "2025-01-01", "ann", "cdo"]
    row += ["2", "", "", ""]
    text = ",".join(header) + "\n" + ",".join(row) + "\n"
    df = load_answers(write(tmp_path / "forms.csv", text), small_rubric)
    assert list(df["indicator_id"]) == ["dq_checks"]


# -- values --------------------------------------------------------------------------------------


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


def test_file_level_errors_have_no_row(tmp_path: Path, small_rubric: Rubric) -> None:
    with pytest.raises(DataValidationError) as excinfo:
        load_answers([tmp_path / "nope.csv", write(tmp_path / "empty.csv", "")], small_rubric)
    errors = errors_of(excinfo)
    assert list(errors.columns) == ERROR_COLUMNS
    assert errors["row"].isna().all()
    assert sorted(errors["reason"]) == [Reason.EMPTY_FILE, Reason.FILE_NOT_FOUND]


def test_no_files_is_an_error(small_rubric: Rubric) -> None:
    with pytest.raises(DataValidationError, match="no answer files given"):
        load_answers([], small_rubric)


# -- several files ---------------------------------------------------------------------------------


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


# -- read_table ------------------------------------------------------------------------------------


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


# -- check_safe_id ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["acme", "ACME-2025", "client_01", "a.b", "7eleven", "x" * 64],
    ids=lambda v: v if len(v) < 20 else f"{len(v)}-chars",
)
def test_check_safe_id_accepts(value: str) -> None:
    assert check_safe_id(value) == value


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("../x", id="parent-dir"),
        pytest.param("/etc/passwd", id="absolute-path"),
        pytest.param("", id="empty"),
        pytest.param("a\x00b", id="nul-byte"),
        pytest.param("a\nb", id="newline"),
        pytest.param(".hidden", id="leading-dot"),
        pytest.param("x" * 65, id="65-chars"),
        pytest.param("a..b", id="double-dot"),
        pytest.param("a/b", id="slash"),
        pytest.param("a\\b", id="backslash"),
        pytest.param("a b", id="space"),
        pytest.param("-rf", id="leading-dash"),
        pytest.param(None, id="not-a-string"),
    ],
)
def test_check_safe_id_rejects(value: str) -> None:
    with pytest.raises(UnsafeIdentifierError) as excinfo:
        check_safe_id(value, what="report folder")
    assert excinfo.value.exit_code == 2
    assert str(excinfo.value).startswith(f"report folder {value!r} is not safe as a file name")


@pytest.mark.parametrize("value", ["acme\n", "a\n"], ids=["acme-newline", "a-newline"])
def test_check_safe_id_rejects_trailing_newline(value: str) -> None:
    with pytest.raises(UnsafeIdentifierError):
        check_safe_id(value)


# -- clients, peers, targets -----------------------------------------------------------------------


def test_load_clients_fills_optional_columns(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "clients.csv",
        "client_id,name,target_profile,lang\nacme,Acme Ltd,baseline,ar\nbeta,Beta plc,,\n",
    )
    df = load_clients(path, small_rubric)
    assert list(df.columns) == [
        "client_id",
        "name",
        "sector",
        "size_band",
        "region",
        "target_profile",
        "lang",
    ]
    assert df.to_dict("records")[0]["lang"] == "ar"
    assert df.loc[1, "sector"] == ""
    assert df.attrs["sources"] == {str(path): sha256(path)}


def test_load_clients_collects_every_problem(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "clients.csv",
        "client_id,name,target_profile,lang\n"
        "acme,Acme,baseline,en\n"  # 2 fine
        "acme,Acme again,,\n"  # 3 duplicate
        "beta,,,\n"  # 4 empty name
        "../x,Evil,,\n"  # 5 unsafe
        "gamma,Gamma,ambitious,\n"  # 6 unknown profile
        "delta,Delta,,English\n"  # 7 bad language
        ",Nobody,,\n",  # 8 empty id
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_clients(path, small_rubric)
    assert sorted(reasons(errors_of(excinfo))) == [
        (3, "client_id", Reason.DUPLICATE_ID),
        (4, "name", Reason.MISSING_VALUE),
        (5, "client_id", Reason.UNSAFE_ID),
        (6, "target_profile", Reason.UNKNOWN_TARGET_PROFILE),
        (7, "lang", Reason.UNKNOWN_LANGUAGE),
        (8, "client_id", Reason.MISSING_VALUE),
    ]


def test_load_clients_accepts_profiles_from_targets_file(
    tmp_path: Path, small_rubric: Rubric
) -> None:
    targets = load_targets(
        write(tmp_path / "t.csv", "profile_id,dimension_id,target\nstretch,quality,4\n"),
        small_rubric,
    )
    path = write(tmp_path / "c.csv", "client_id,name,target_profile\nacme,Acme,stretch\n")
    assert load_clients(path, small_rubric, targets=targets).loc[0, "target_profile"] == "stretch"


def test_load_clients_missing_required_column(tmp_path: Path) -> None:
    with pytest.raises(DataValidationError) as excinfo:
        load_clients(write(tmp_path / "c.csv", "client_id,sector\nacme,gov\n"))
    assert reasons(errors_of(excinfo)) == [(1, "name", Reason.MISSING_COLUMN)]


def test_load_peers(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "peers.csv",
        "peer_id,sector,size_band,quality,ownership\np1,gov,large,2.5,4\np2,gov,small,1,3.25\n",
    )
    df = load_peers(path, small_rubric)
    assert list(df.columns) == ["peer_id", "sector", "size_band", "region", "quality", "ownership"]
    assert df["quality"].tolist() == [2.5, 1.0]
    assert df["ownership"].dtype == np.float64


def test_load_peers_scores_out_of_range(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "peers.csv",
        "peer_id,sector,size_band,quality,ownership\n"
        "p1,gov,large,0.5,4\n"  # 2: below 1
        "p2,gov,large,3,4.01\n"  # 3: above the top level (4)
        "p3,gov,large,high,2\n"  # 4: not a number
        "p1,gov,large,2,2\n",  # 5: duplicate peer
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_peers(path, small_rubric)
    assert sorted(reasons(errors_of(excinfo))) == [
        (2, "quality", Reason.SCORE_OUT_OF_RANGE),
        (3, "ownership", Reason.SCORE_OUT_OF_RANGE),
        (4, "quality", Reason.NOT_A_NUMBER),
        (5, "peer_id", Reason.DUPLICATE_ID),
    ]


def test_load_peers_missing_dimension_column(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(tmp_path / "peers.csv", "peer_id,sector,size_band,quality\np1,gov,large,2\n")
    with pytest.raises(DataValidationError) as excinfo:
        load_peers(path, small_rubric)
    errors = errors_of(excinfo)
    assert reasons(errors) == [(1, "ownership", Reason.MISSING_COLUMN)]
    assert "found columns: peer_id, sector, size_band, quality" in errors.loc[0, "message"]


def test_load_targets(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "targets.csv",
        "profile_id,dimension_id,target\nstretch,quality,4\nstretch,ownership,3.5\n",
    )
    df = load_targets(path, small_rubric)
    assert list(df.columns) == ["profile_id", "dimension_id", "target"]
    assert df["target"].tolist() == [4.0, 3.5]


def test_load_targets_collects_every_problem(tmp_path: Path, small_rubric: Rubric) -> None:
    path = write(
        tmp_path / "targets.csv",
        "profile_id,dimension_id,target\n"
        "stretch,quality,4\n"  # 2 fine
        "stretch,ownershp,3\n"  # 3 unknown dimension
        "stretch,ownership,5\n"  # 4 out of range
        "stretch,quality,3\n"  # 5 duplicate
        "../p,ownership,2\n"  # 6 unsafe profile id
        "other,ownership,high\n",  # 7 not a number
    )
    with pytest.raises(DataValidationError) as excinfo:
        load_targets(path, small_rubric)
    assert sorted(reasons(errors_of(excinfo))) == [
        (3, "dimension_id", Reason.UNKNOWN_DIMENSION),
        (4, "target", Reason.LEVEL_OUT_OF_RANGE),
        (5, "dimension_id", Reason.DUPLICATE_ID),
        (6, "profile_id", Reason.UNSAFE_ID),
        (7, "target", Reason.NOT_A_NUMBER),
    ]


# -- answers_from_frame ----------------------------------------------------------------------------


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


def test_remembered_inputs_are_private_copies_and_follow_file_changes(tmp_path, monkeypatch):
    import shutil

    from helpers import SAMPLES

    from assessment import inputs as responses
    from assessment.inputs import load_inputs, remember_inputs
    from assessment.rubric import load_rubric

    monkeypatch.setattr(responses, "_REMEMBERED", {})
    answers = tmp_path / "answers.csv"
    shutil.copy(SAMPLES / "answers.csv", answers)
    rub = load_rubric("social-media")
    first = remember_inputs([answers], rub)
    again = load_inputs([answers], rub)
    pd.testing.assert_frame_equal(first.answers, again.answers)
    again.answers.loc[:, "comment"] = "changed by one report"
    assert not (load_inputs([answers], rub).answers["comment"] == "changed by one report").any()
    # A file edited after it was remembered is read again.
    lines = answers.read_text(encoding="utf-8").splitlines(keepends=True)
    answers.write_text("".join(lines[:-5]), encoding="utf-8")
    assert len(load_inputs([answers], rub).answers) == len(first.answers) - 5
