"""Writing files safely: formula cells neutralised, errors that name the file, one writer.

Issue 18, findings 1, 7 and 18 (the parts that live in :mod:`assessment.files`).
"""

from __future__ import annotations

import csv
import errno
import multiprocessing as mp
import os
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from assessment.exceptions import FolderBusyError
from assessment.files import (
    atomic_path,
    atomic_write_text,
    folder_lock,
    spreadsheet_safe,
    write_csv,
    write_xlsx,
)
from assessment.inputs import read_table

#: Text a spreadsheet would run, by OWASP's list of first characters.
HOSTILE = [
    '=HYPERLINK("http://x","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


def test_text_that_starts_a_formula_gets_an_apostrophe() -> None:
    frame = pd.DataFrame(
        {
            "name": [*HOSTILE, "-3", "+1.5e3", "Acme", None],
            "score": [-0.5, 1, 2, 3, 4, 5, -6, 7, 8, 9],
            "=header": ["a"] * 10,
        }
    )
    safe = spreadsheet_safe(frame)
    assert safe["name"].tolist()[: len(HOSTILE)] == ["'" + h for h in HOSTILE]
    # Numbers, as numbers or as text, are not formulas.
    assert safe["name"].tolist()[len(HOSTILE) : -1] == ["-3", "+1.5e3", "Acme"]
    assert pd.isna(safe["name"].iloc[-1])
    assert safe["score"].tolist() == frame["score"].tolist()
    assert list(safe.columns) == ["name", "score", "'=header"]
    assert frame["name"].iloc[0] == HOSTILE[0]  # the caller's frame is untouched


def test_xlsx_has_no_formula_cell_and_csv_reads_back_as_written(tmp_path: Path) -> None:
    frame = pd.DataFrame({"client_id": [f"c{k}" for k in range(len(HOSTILE))], "name": HOSTILE})
    frame["index"] = [-1.5 * k for k in range(len(HOSTILE))]
    write_xlsx(tmp_path / "out.xlsx", {"scores": frame, "more": frame})
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    for sheet in book.worksheets:
        cells = [c for row in sheet.iter_rows() for c in row]
        assert [c.coordinate for c in cells if c.data_type == "f"] == []
        assert sorted(c.value for c in cells if c.column == 3 and c.row > 1) == sorted(
            frame["index"]
        )  # negative numbers stay numbers
    write_csv(tmp_path / "out.csv", frame)
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == ["'" + h for h in HOSTILE]
    assert [float(r["index"]) for r in rows] == frame["index"].tolist()
    # The loaders take the apostrophe off again: the toolkit's own files round-trip.
    back = read_table(tmp_path / "out.csv")
    assert back["name"].tolist() == [h.strip() for h in HOSTILE]


def test_a_workbook_holds_control_characters_as_visible_escapes(tmp_path: Path) -> None:
    """openpyxl refuses them: a client named with an ESC crashed the batch's scores.xlsx."""
    frame = pd.DataFrame({"name": ["Acme\x1b]0;owned\x07", "\u202egnp.exe"]})
    write_xlsx(tmp_path / "out.xlsx", {"scores": frame})
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["scores"]
    assert [sheet["A2"].value, sheet["A3"].value] == ["Acme\\u001b]0;owned\\u0007", "\u202egnp.exe"]


def test_a_workbook_keeps_types_missing_values_and_number_formats(tmp_path: Path) -> None:
    """The streamed workbook holds what ``DataFrame.to_excel`` wrote: numbers as numbers,
    dates as dates, missing values as empty cells, a bold header, and each column's number
    format (on the cells that hold a value)."""
    frame = pd.DataFrame(
        {
            "client_id": pd.array(["a", None, "c"], dtype="string"),
            "index": [49.96, float("nan"), 71.0],
            "date": pd.to_datetime(["2025-03-01", None, "2024-01-31"]),
            "n": pd.array([1, None, 3], dtype="Int64"),
            "flag": [True, False, True],
            "level": pd.Categorical(["low", "high", None]),
        }
    )
    write_xlsx(tmp_path / "out.xlsx", {"s": frame}, number_formats={"index": "0", "n": "0.0"})
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["s"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == list(frame.columns)
    assert all(c.font.b for c in sheet[1])
    assert rows[1][:2] == ["a", 49.96]
    assert rows[1][3:] == [1, True, "low"]
    assert rows[2] == [None, None, None, None, False, "high"]
    assert rows[3][5] is None
    assert rows[1][2].date().isoformat() == "2025-03-01"
    assert sheet["B2"].number_format == "0"
    assert sheet["D4"].number_format == "0.0"
    assert sheet["B3"].value is None  # a missing value is an empty cell, not "nan"
    back = pd.read_excel(tmp_path / "out.xlsx")
    assert back["index"].tolist()[::2] == [49.96, 71.0]


def test_an_error_names_the_file_not_its_temporary_name(tmp_path: Path) -> None:
    target = tmp_path / "scores.csv"

    def full(path: Path) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")  # no file name, as write() does

    with pytest.raises(OSError, match="No space left") as info, atomic_path(target) as tmp:
        full(tmp)
    assert info.value.filename == str(target)
    assert info.value.errno == errno.ENOSPC

    def read_only(path: Path) -> None:
        raise OSError(errno.EROFS, "Read-only file system", str(path))

    with pytest.raises(OSError, match="Read-only") as info, atomic_path(target) as tmp:
        read_only(tmp)
    assert info.value.filename == str(target)
    assert ".tmp" not in str(info.value)
    assert list(tmp_path.iterdir()) == []  # and nothing half-written is left


def test_creating_the_temporary_file_fails_with_the_target_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".x.abc.tmp.csv"))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    with pytest.raises(PermissionError) as info:
        atomic_write_text(tmp_path / "x.csv", "a")
    assert info.value.filename == str(tmp_path / "x.csv")


def _hold(folder: str, ready: mp.synchronize.Event, release: mp.synchronize.Event) -> None:
    with folder_lock(folder):
        ready.set()
        release.wait(30)


def test_a_locked_folder_refuses_a_second_writer_or_makes_it_wait(tmp_path: Path) -> None:
    ctx = mp.get_context("spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(tmp_path), ready, release))
    holder.start()
    try:
        assert ready.wait(60)
        busy = pytest.raises(FolderBusyError, match=rf"process {holder.pid}\).*--wait")
        with busy, folder_lock(tmp_path):
            pass
        told: list[str] = []

        def tell(message: str) -> None:
            told.append(message)
            release.set()  # the other writer finishes while we wait

        with folder_lock(tmp_path, wait=True, on_wait=tell):
            assert len(told) == 1
            assert "waiting for the other program" in told[0]
    finally:
        release.set()
        holder.join(30)
        if holder.is_alive():
            holder.kill()
    # The lock went with its holder: a killed holder never leaves the folder locked.
    with folder_lock(tmp_path):
        pass
    assert os.listdir(tmp_path) == [".maturity.lock"]


def test_remove_leftovers_removes_only_what_atomic_path_left(tmp_path):
    from assessment.files import atomic_path, remove_leftovers

    keep = tmp_path / "report.html"
    keep.write_text("done", encoding="utf-8")
    (tmp_path / "notes.tmp.txt").write_text("not ours", encoding="utf-8")  # no leading dot
    sub = tmp_path / "sub"
    sub.mkdir()
    manager = atomic_path(tmp_path / "report.ipynb")
    left = manager.__enter__()  # a writer killed here never reaches __exit__
    inner = atomic_path(sub / "x.json")  # kept: a collected generator would clean up
    nested = inner.__enter__()
    assert left.exists()
    assert remove_leftovers(tmp_path) == [left]
    assert not left.exists()
    assert keep.read_text(encoding="utf-8") == "done"
    assert (tmp_path / "notes.tmp.txt").exists()
    assert nested.exists()  # only the folder itself, not below it
