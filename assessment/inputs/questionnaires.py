"""The fillable workbook (:mod:`assessment.questionnaire.workbook`) read back as answers.

The workbook is recognised by its hidden sheet :data:`~assessment.questionnaire.workbook.
META_SHEET`; its cover gives the client, assessment, respondent, role and date, and each row of
the questions sheet one answer (by the indicator id in its hidden column), its evidence and
notes.  Values are read as any survey export's are (:func:`~assessment.inputs.surveys.
map_value`), and problems name the sheet and cell.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from assessment.files import FORMULA_START
from assessment.inputs.dates import parse_dates
from assessment.inputs.surveys import LONG_COLUMNS, column_letter, map_value, suggest_option
from assessment.inputs.tables import Reason, _Errors, _workbook_too_large
from assessment.questionnaire import catalogue
from assessment.questionnaire.workbook import COVER_CELLS, META_SHEET

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = ["is_questionnaire_workbook", "read_questionnaire_workbook"]


def is_questionnaire_workbook(path: str | Path) -> bool:
    """Whether ``path`` is an XLSX file holding our questionnaire's hidden sheet."""
    p = Path(path)
    if p.suffix.lower() not in (".xlsx", ".xlsm") or not p.is_file():
        return False
    try:
        with zipfile.ZipFile(p) as archive:
            book = archive.read("xl/workbook.xml")[: 1 << 20]
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    return f'name="{META_SHEET}"'.encode() in book


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    # The apostrophe that marks text looking like a formula (assessment.files.safe_cell).
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_START else text


def read_questionnaire_workbook(
    path: str | Path, rubric: Rubric, name: str, errs: _Errors
) -> pd.DataFrame | None:
    """The answers of one filled-in workbook as long answers (see :data:`LONG_COLUMNS`)."""
    from openpyxl import load_workbook  # local: slow to import

    data = Path(path).read_bytes()
    problem = _workbook_too_large(data)
    if problem:
        errs.add(name, Reason.TOO_LARGE, problem)
        return None
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
        meta = {str(r[0].value): _text(r[1].value) for r in wb[META_SHEET].iter_rows(max_col=2)}
        cover = wb[meta["cover_sheet"]]
        sheet = wb[meta["questions_sheet"]]
    except Exception as exc:  # a damaged or hand-edited workbook: one clear problem
        errs.add(name, Reason.NOT_A_TABLE, f"not a readable questionnaire workbook ({exc})")
        return None
    if meta.get("rubric_id") != rubric.id:
        errs.add(
            name,
            Reason.UNKNOWN_INDICATOR,
            f"this questionnaire was written for rubric {meta.get('rubric_id')!r}; "
            f"score it with --rubric {meta.get('rubric_id')}",
        )
        return None
    ids = _cover(cover, name, errs)
    rows = _answers(sheet, rubric, name, errs)
    if ids is None or rows is None:
        return None
    if rows.empty:
        errs.add(name, Reason.EMPTY_FILE, f"sheet {sheet.title!r}: no question is answered")
        return None
    for field, value in ids.items():
        rows[field] = value
    long = rows[LONG_COLUMNS].reset_index(drop=True)
    long.attrs["source_columns"] = {f: f"{cover.title}!{COVER_CELLS[f]}" for f in ids}
    long.attrs["warnings"] = []
    return long


def _cover(ws: Any, name: str, errs: _Errors) -> dict[str, str] | None:
    values = {field: _text(ws[ref].value) for field, ref in COVER_CELLS.items()}
    ok = True
    for field in ("client_id", "respondent", "date"):
        if not values[field]:
            errs.add(
                name,
                Reason.MISSING_VALUE,
                f"sheet {ws.title!r}, cell {COVER_CELLS[field]}: the {field} is empty",
                column=field,
            )
            ok = False
    day, _ = parse_dates(pd.Series([values["date"]]))
    if values["date"] and day.iloc[0] is None:
        errs.add(
            name,
            Reason.BAD_DATE,
            f"sheet {ws.title!r}, cell {COVER_CELLS['date']}: expected a date",
            column="date",
            value=values["date"],
        )
        ok = False
    if not ok:
        return None
    values["date"] = day.iloc[0]
    values.pop("rubric")
    return values


def _answers(ws: Any, rubric: Rubric, name: str, errs: _Errors) -> pd.DataFrame | None:
    questions = {q.id: q for q in catalogue(rubric)}
    header = [_text(c.value) for c in ws[1]]
    try:
        id_col = header.index("indicator_id")
    except ValueError:
        errs.add(
            name, Reason.MISSING_COLUMN, f"sheet {ws.title!r}: the indicator_id column is gone"
        )
        return None
    answer_col = id_col - 3  # answer, evidence, notes, then the hidden id
    out = []
    for row in ws.iter_rows(min_row=2):
        cells = [_text(c.value) for c in row]
        if len(cells) <= id_col or not cells[answer_col]:
            continue
        q = questions.get(cells[id_col])
        where = f"sheet {ws.title!r}, cell {column_letter(answer_col)}{row[0].row}"
        if q is None:
            errs.add(
                name,
                Reason.UNKNOWN_INDICATOR,
                f"{where}: row for {cells[id_col]!r}, no question of rubric {rubric.id!r}",
                row=row[0].row,
            )
            continue
        value = map_value(q, cells[answer_col], rubric.n_levels)
        if value is None:
            errs.add(
                name,
                Reason.NOT_YES_NO if q.kind == "boolean" else Reason.NOT_A_LEVEL,
                f"{where}: {cells[answer_col]!r} is no option of question {q.code} ({q.id})"
                + suggest_option(q, cells[answer_col]),
                row=row[0].row,
                column=header[answer_col],
                value=cells[answer_col],
            )
            continue
        out.append(
            {
                "indicator_id": q.id,
                "value": value,
                "evidence": cells[answer_col + 1],
                "comment": cells[answer_col + 2],
                "_row": row[0].row,
                "_col": header[answer_col],
                "_cell": where,
            }
        )
    return pd.DataFrame(
        out, columns=["indicator_id", "value", "evidence", "comment", "_row", "_col", "_cell"]
    )
