"""What the command line writes and prints from hostile data (issue 18, findings 7, 8, 18).

Client names that are formulas or terminal commands stay inert in every CSV and XLSX the
commands write and in what they print; file errors name the file the user asked for.
"""

from __future__ import annotations

import csv
import errno
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from helpers import SMALL_RUBRIC, run_cli

from assessment.cli import main

SMALL = str(SMALL_RUBRIC)
FORMULA = '=HYPERLINK("http://x","click")'
TITLE = "Acme\x1b]0;owned\x07"
REVERSED = "\u202egnp.exe"
ANSWERS = """client_id,date,respondent,role,indicator_id,value,comment
acme,2025-01-01,ann,cdo,dq_checks,3,
beta,2025-02-01,cat,cdo,dq_checks,1,
gamma,2025-03-01,dan,cdo,dq_checks,4,
"""


@pytest.fixture(name="rubric_file")
def fixture_rubric_file(tmp_path: Path) -> Path:
    """The small rubric with level names and a next step that are formulas (rubrics are data)."""
    text = SMALL_RUBRIC.read_text(encoding="utf-8")
    text = text.replace("name: Initial}", 'name: "=1+1"}')
    text = text.replace("name: Optimised}", 'name: "@SUM(A1)"}')
    text = text.replace("next_step: Write the first checks}", 'next_step: "+cmd|x"}')
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(name="inputs")
def fixture_inputs(tmp_path: Path, rubric_file: Path) -> list[str]:
    """Three clients named a formula, a terminal command and a reversed file name."""
    (tmp_path / "a.csv").write_text(ANSWERS, encoding="utf-8")
    with (tmp_path / "c.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["client_id", "name"])
        writer.writerows([["acme", FORMULA], ["beta", TITLE], ["gamma", REVERSED]])
    return [
        "--rubric",
        str(rubric_file),
        "--clients",
        str(tmp_path / "c.csv"),
        str(tmp_path / "a.csv"),
    ]


def test_score_xlsx_has_no_formula_in_any_sheet(tmp_path: Path, inputs: list[str]) -> None:
    out = tmp_path / "scores.xlsx"
    proc = run_cli("score", "--format", "xlsx", "--out", str(out), *inputs)
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(out)
    assert len(book.worksheets) == 5
    texts = []
    for sheet in book.worksheets:
        cells = [c for row in sheet.iter_rows() for c in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == [], sheet.title
        texts += [c.value for c in cells if isinstance(c.value, str)]
    assert {"'=1+1", "'@SUM(A1)", "'+cmd|x"} <= set(texts)


def test_score_csv_neutralises_formulas_and_keeps_negative_numbers(
    tmp_path: Path, inputs: list[str]
) -> None:
    out = tmp_path / "scores.csv"
    proc = run_cli("score", "--format", "csv", "--out", str(out), *inputs)
    assert proc.returncode == 0, proc.stderr
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["level_name"] for r in rows} >= {"'=1+1", "'@SUM(A1)"}
    for row in rows:
        for column, value in row.items():
            if value[:1] in ("=", "+", "@", "\t", "\r"):
                pytest.fail(f"{column}={value!r} would run in a spreadsheet")
            if value[:1] == "-":
                float(value)  # a negative number, not a formula


def test_printed_output_escapes_terminal_commands_and_bidi_overrides(inputs: list[str]) -> None:
    proc = run_cli("score", "--format", "table", *inputs)
    assert proc.returncode == 0, proc.stderr
    for character in ("\x1b", "\x07", "\u202e"):
        assert character not in proc.stdout
    assert "Acme\\u001b]0;owned\\u0007" in proc.stdout
    assert "\\u202egnp.exe" in proc.stdout


def test_error_messages_escape_file_content(tmp_path: Path) -> None:
    bad = tmp_path / "a.csv"
    bad.write_text(
        "client_id,date,respondent,role,indicator_id,value\n"
        f"acme,2025-01-01,ann,cdo,dq_checks,{TITLE}\n",
        encoding="utf-8",
    )
    proc = run_cli("validate", "--rubric", SMALL, str(bad))
    assert proc.returncode == 2
    assert "\x1b" not in proc.stderr


def test_rubric_export_neutralises_rubric_texts(tmp_path: Path, rubric_file: Path) -> None:
    xlsx = tmp_path / "r.xlsx"
    export = ["rubric", "export", "--rubric", str(rubric_file)]
    assert run_cli(*export, "--format", "xlsx", "--out", str(xlsx)).returncode == 0
    book = openpyxl.load_workbook(xlsx)
    assert [c for s in book for row in s.iter_rows() for c in row if c.data_type == "f"] == []
    proc = run_cli(*export, "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    assert ",'+cmd|x," in proc.stdout
    assert ",+cmd|x," not in proc.stdout


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        pytest.param(
            lambda tmp: OSError(errno.EROFS, "Read-only file system", str(tmp)),
            "Read-only file system",
            id="read-only",
        ),
        pytest.param(
            lambda tmp: OSError(errno.ENOSPC, "No space left on device"),
            "No space left on device",
            id="disk-full",
        ),
    ],
)
def test_a_failed_write_names_the_file_asked_for(
    tmp_path: Path, inputs: list[str], monkeypatch: pytest.MonkeyPatch, error, shown: str
) -> None:
    def fail(src: str, dst: str) -> None:
        raise error(src)

    monkeypatch.setattr(os, "replace", fail)
    out = tmp_path / "scores.csv"
    result = CliRunner().invoke(main, ["score", "--format", "csv", "--out", str(out), *inputs])
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1] == f"error: {out}: {shown}"
    assert not [p for p in tmp_path.iterdir() if ".tmp" in p.name]
