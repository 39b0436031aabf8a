"""Hostile data files: bounded work, bounded output, clear messages (issue 18).

Findings 3 (ids that name reserved or batch files), 11 (zip-bomb workbooks), 12 (many unknown
columns), 13 (a suggestion per row), 14 (unbounded error output, ``--errors-out``) and 18
(pipes, links to other files, counting respondents).  Every hostile file is built here, small.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from helpers import SAMPLES, SMALL_RUBRIC, run_cli
from helpers.hostile import cells, workbook
from helpers.inputs import long_csv, write

from assessment.exceptions import DataValidationError, UnsafeIdentifierError
from assessment.inputs import answers as answers_module
from assessment.inputs import check_safe_id, load_answers, load_clients, read_table
from assessment.rubric import Rubric

RESERVED = [
    "CON",
    "aux",
    "NUL",
    "com1",
    "LPT1",
    "nul.txt",
    "index.html",
    "Manifest.json",
    "scores.csv",
    "SCORES.xlsx",
    "acme.",
]


def _reasons(exc: pytest.ExceptionInfo[DataValidationError]) -> list[str]:
    return exc.value.errors["reason"].tolist()


# -- finding 3: ids that cannot name a report folder -------------------------------------------


@pytest.mark.parametrize("cid", RESERVED)
def test_reserved_and_batch_names_are_not_client_ids(
    tmp_path: Path, small_rubric: Rubric, cid: str
) -> None:
    with pytest.raises(UnsafeIdentifierError, match="cannot name a folder"):
        check_safe_id(cid)
    clients = write(tmp_path / "clients.csv", f"client_id,name\n{cid},X\nok1,Y\n")
    with pytest.raises(DataValidationError) as info:
        load_clients(clients, small_rubric)
    assert _reasons(info) == ["reserved_id"]
    answers = write(tmp_path / "a.csv", long_csv(f"{cid},2025-01-01,ann,cdo,dq_checks,3,"))
    with pytest.raises(DataValidationError) as info:
        load_answers(answers, small_rubric)
    assert _reasons(info) == ["reserved_id"]


def test_ids_differing_only_in_case_are_one_folder(tmp_path: Path, small_rubric: Rubric) -> None:
    clients = write(tmp_path / "clients.csv", "client_id,name\nAcme,A\nbeta,B\nacme,C\n")
    with pytest.raises(DataValidationError) as info:
        load_clients(clients, small_rubric)
    assert _reasons(info) == ["duplicate_id"]
    assert "only in upper/lower case" in str(info.value)
    assert info.value.errors["row"].tolist() == [4]
    # Without a clients table, across answer files: one problem per spelling, not per row.
    one = write(tmp_path / "one.csv", long_csv("Acme,2025-01-01,ann,cdo,dq_checks,3,"))
    two = write(
        tmp_path / "two.csv",
        long_csv(*(f"acme,2025-01-01,r{k},cdo,dq_checks,3," for k in range(50))),
    )
    with pytest.raises(DataValidationError) as info:
        load_answers([one, two], small_rubric)
    assert _reasons(info) == ["duplicate_id"]
    assert info.value.errors[["file", "row"]].values.tolist() == [[str(two), 2]]


# -- finding 11: workbooks that expand -----------------------------------------------------------


def test_a_zip_bomb_workbook_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    bomb = workbook(tmp_path / "bomb.xlsx", cells(40_000, 10))  # 400,000 cells, ~20 KB
    assert bomb.stat().st_size < 100_000
    with pytest.raises(DataValidationError) as info:
        read_table(bomb)
    assert _reasons(info) == ["too_large"]
    assert "more than 300,000 cells" in str(info.value)
    assert "ASSESSMENT_MAX_XLSX_CELLS" in str(info.value)


def test_a_lying_dimension_does_not_hide_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_MAX_XLSX_CELLS", "1000")
    bomb = workbook(tmp_path / "bomb.xlsx", cells(500, 10), dimension="A1:A1")
    with pytest.raises(DataValidationError, match=r"more than 1,000 cells \(it declares A1:A1\)"):
        read_table(bomb)
    small = workbook(
        tmp_path / "ok.xlsx",
        '<row><c t="inlineStr"><is><t>client_id</t></is></c></row><row><c><v>7</v></c></row>',
    )
    assert read_table(small)["client_id"].tolist() == ["7"]


def test_a_workbook_that_unzips_too_large_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSESSMENT_MAX_XLSX_BYTES", "100000")
    bomb = workbook(tmp_path / "bomb.xlsx", cells(1_000, 10))
    with pytest.raises(DataValidationError, match=r"unzips to .* bytes; the limit is 100,000"):
        read_table(bomb)


# -- findings 12 and 13: work per distinct problem, not per column or row ----------------------


def test_many_unknown_columns_are_one_problem(tmp_path: Path, small_rubric: Rubric) -> None:
    n = 20_000
    header = ["client_id", "date", "respondent", "role", "dq_checks"]
    header += [f"junk_{k}" for k in range(n)]
    row = ["acme", "2025-01-01", "ann", "cdo", "3", *(["1"] * n)]
    wide = write(tmp_path / "wide.csv", ",".join(header) + "\n" + ",".join(row) + "\n")
    with pytest.raises(DataValidationError) as info:
        load_answers(wide, small_rubric)
    assert _reasons(info) == ["unknown_indicator"]
    message = info.value.errors["message"].iloc[0]
    assert message.startswith(f"{n} columns are not indicators of rubric 'data-stewardship': ")
    assert "junk_0, junk_1" in message
    assert f"and {n - 10} more" in message
    assert len(str(info.value)) < 1_000


def test_a_suggestion_is_made_once_per_distinct_value(
    tmp_path: Path, small_rubric: Rubric, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = answers_module._suggest
    monkeypatch.setattr(answers_module, "_suggest", lambda v, o: calls.append(v) or real(v, o))
    rows = [f"c{k},2025-01-01,r,cdo,{('dq_chekcs', 'owner_nmed')[k % 2]},3," for k in range(4000)]
    with pytest.raises(DataValidationError) as info:
        load_answers(write(tmp_path / "a.csv", long_csv(*rows)), small_rubric)
    assert sorted(calls) == ["dq_chekcs", "owner_nmed"]
    assert len(info.value.errors) == 4000
    assert "(did you mean 'dq_checks'?)" in info.value.errors["message"].iloc[0]
    # Past the limit, distinct values get no suggestion at all.
    calls.clear()
    monkeypatch.setenv("ASSESSMENT_MAX_SUGGESTIONS", "3")
    rows = [f"c1,2025-01-01,r,cdo,unknown_{k},3," for k in range(40)]
    with pytest.raises(DataValidationError):
        load_answers(write(tmp_path / "b.csv", long_csv(*rows)), small_rubric)
    assert len(calls) == 3


# -- finding 14: bounded output, every problem on request ----------------------------------------


def test_error_output_is_bounded_and_errors_out_keeps_everything(tmp_path: Path) -> None:
    rows = [f"acme,2025-01-01,r{k % 40},cdo,dq_checks,3," for k in range(3000)]  # 2,960 dups
    answers = write(tmp_path / "a.csv", long_csv(*rows))
    bad = write(tmp_path / "b.csv", long_csv("beta,2025-01-01,ann,cdo,dq_checks,9,"))
    table = tmp_path / "problems.csv"
    proc = run_cli(
        "validate",
        "--rubric",
        str(SMALL_RUBRIC),
        "--errors-out",
        str(table),
        str(answers),
        str(bad),
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) < 40, proc.stderr[:2000]
    assert "... and 2940 more (2940 duplicate_answer)" in proc.stderr
    assert f"wrote all 2961 problem(s) to {table}" in proc.stderr
    with table.open(encoding="utf-8", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert len(written) == 2961
    assert {r["reason"] for r in written} == {"duplicate_answer", "level_out_of_range"}
    assert list(written[0]) == ["file", "row", "column", "value", "reason", "message"]


# -- finding 18: pipes, links, counting people ----------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "answers.csv"
    os.mkfifo(fifo)
    proc = run_cli("validate", str(fifo))  # run_cli has a timeout: a blocked read would fail
    assert proc.returncode == 2
    assert "is a named pipe, not a regular file" in proc.stderr
    assert "no such file" not in proc.stderr
    rubric = run_cli("validate", "--rubric", str(fifo), str(SAMPLES / "answers.csv"))
    assert rubric.returncode == 2
    assert "not a regular file" in rubric.stderr


def test_a_link_to_another_file_never_echoes_its_content(tmp_path: Path) -> None:
    secret = write(tmp_path / "id_ed25519", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz\n")
    link = tmp_path / "answers.csv"
    link.symlink_to(secret)
    proc = run_cli("validate", str(link))
    assert proc.returncode == 2
    assert "PRIVATE KEY" not in proc.stderr
    assert "its first row has 1 value(s), not shown" in proc.stderr
    dangling = tmp_path / "gone.csv"
    dangling.symlink_to(tmp_path / "nowhere.csv")
    proc = run_cli("validate", str(dangling))
    assert "no such file (a link to a file that does not exist)" in proc.stderr


def test_validate_counts_people_not_names(tmp_path: Path) -> None:
    rows = [f"c{k},2025-01-01,CMO,cmo,dq_checks,3," for k in range(30)]
    answers = write(tmp_path / "a.csv", long_csv(*rows))
    proc = run_cli("validate", "--rubric", str(SMALL_RUBRIC), str(answers))
    assert proc.returncode == 0, proc.stderr
    assert "ok: 30 answers from 30 respondents, 30 clients" in proc.stdout


def test_an_apostrophe_marking_text_is_removed_on_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "client_id,name\nc1,'=HYPERLINK(1)\nc2,'Quoted\nc3,'-5\n")
    table = read_table(path)
    assert table["name"].tolist() == ["=HYPERLINK(1)", "'Quoted", "-5"]
