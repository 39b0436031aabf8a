"""Fixtures of the :mod:`assessment.inputs` tests: answer files as people make them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from helpers.inputs import long_csv, write

from assessment.inputs import ANSWER_COLUMNS


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
