"""The fillable XLSX questionnaire: a cover sheet, one row per question, dropdown answers.

The workbook reads back unchanged with ``maturity validate`` and ``maturity score``
(:mod:`assessment.inputs.surveys` recognises it by its hidden sheet :data:`META_SHEET`, which
names the rubric, the client, the assessment and where each answer is).  Structure is
protected (no password: protection guards against slips, not against people); only the cells a
respondent fills are unlocked: the name, role and date on the cover, and the answer, evidence
and notes of each question.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assessment.files import atomic_path, safe_cell
from assessment.questionnaire.catalogue import Question, catalogue
from assessment.rubric.model import translate
from assessment.text import label

if TYPE_CHECKING:  # pragma: no cover
    from openpyxl.worksheet.worksheet import Worksheet

    from assessment.rubric import Rubric

__all__ = ["COVER_CELLS", "META_SHEET", "QUESTION_COLUMNS", "write_workbook"]

#: The hidden sheet that marks a workbook as one of ours and says where the answers are.
META_SHEET = "_questionnaire"
#: Cover cells by field: value cells in column B.
COVER_CELLS = {
    "client_id": "B3",
    "assessment": "B4",
    "respondent": "B5",
    "role": "B6",
    "date": "B7",
    "rubric": "B8",
}
#: Columns of the questions sheet (after the level descriptors): by field.
QUESTION_COLUMNS = ("answer", "evidence", "notes", "indicator_id")
_FILL = "FFF2CC"  # the cells a respondent fills: pale yellow, as forms usually mark them


def write_workbook(
    rubric: Rubric,
    target: str | Path,
    *,
    client: str,
    assessment: str = "",
    role: str | None = None,
    lang: str = "en",
    date: dt.date | None = None,
) -> Path:
    """Write the fillable questionnaire for ``client`` (optionally one role's) to ``target``.

    Parameters
    ----------
    rubric
        Any rubric; its questions, levels and roles are written.
    target
        The ``.xlsx`` file (written atomically).
    client, assessment
        Written on the cover (locked): every answer of the workbook carries them.
    role
        A role id: only its questions, the role filled in on the cover.
    lang
        ``en`` or ``ar`` (right to left).
    date
        Pre-filled on the cover (default today); the respondent may change it.
    """
    from openpyxl import Workbook  # local: openpyxl is slow to import

    questions = catalogue(rubric, role)
    wb = Workbook()
    cover = wb.active
    cover.title = label("questionnaire.cover", lang)
    sheet = wb.create_sheet(label("questionnaire.questions", lang))
    _write_cover(cover, rubric, client, assessment, role, lang, date or dt.date.today())
    _write_questions(sheet, rubric, questions, lang)
    meta = wb.create_sheet(META_SHEET)
    _write_meta(meta, rubric, lang, cover.title, sheet.title)
    meta.sheet_state = "veryHidden"
    for ws in (cover, sheet):
        ws.sheet_view.rightToLeft = lang == "ar"
        ws.protection.sheet = True
        ws.protection.formatRows = False  # row heights may change: long answers wrap
        ws.protection.formatColumns = False
    wb.security.lockStructure = True
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return Path(target)


def _set(ws: Worksheet, ref: str, value: Any, *, bold: bool = False, fill: bool = False) -> Any:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    cell = ws[ref]
    cell.value = safe_cell(value)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold:
        cell.font = Font(bold=True)
    if fill:
        cell.fill = PatternFill("solid", fgColor=_FILL)
        cell.protection = Protection(locked=False)
    return cell


def _write_cover(
    ws: Worksheet,
    rubric: Rubric,
    client: str,
    assessment: str,
    role: str | None,
    lang: str,
    date: dt.date,
) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    _set(
        ws, "A1", label("questionnaire.title", lang, rubric=translate(rubric.name, lang)), bold=True
    )
    keys = {
        "client_id": "client",
        "assessment": "assessment",
        "respondent": "respondent",
        "role": "role",
        "date": "date",
        "rubric": "rubric",
    }
    roles = {r.id: r for r in rubric.roles}
    role_name = translate(roles[role].name, lang) if role else ""
    values = {
        "client_id": client,
        "assessment": assessment,
        "respondent": "",
        "role": role_name,
        "date": date,
        "rubric": f"{rubric.id} {rubric.version}",
    }
    for field, ref in COVER_CELLS.items():
        _set(ws, f"A{ref[1:]}", label(f"questionnaire.{keys[field]}", lang), bold=True)
        fillable = field in ("respondent", "date") or (field == "role" and not role)
        cell = _set(ws, ref, values[field], fill=fillable)
        if field == "date":
            cell.number_format = "yyyy-mm-dd"
    if rubric.roles and not role:
        names = ",".join(translate(r.name, lang).replace(",", " ") for r in rubric.roles)
        if len(names) <= 255:  # Excel's limit on a list written in the rule itself
            dv = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True)
            dv.add(COVER_CELLS["role"])
            ws.add_data_validation(dv)
    dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    dv.add(COVER_CELLS["date"])
    ws.add_data_validation(dv)
    _set(ws, "A10", label("questionnaire.cover_help", lang))
    _set(ws, "A11", label("questionnaire.intro", lang))
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 60


def _write_questions(ws: Worksheet, rubric: Rubric, questions: list[Question], lang: str) -> None:
    from openpyxl.utils import get_column_letter

    n = rubric.n_levels
    header = [
        label("questionnaire.code", lang),
        label("questionnaire.section", lang),
        label("questionnaire.question", lang),
        *(label("questionnaire.level_n", lang, level=k) for k in range(1, n + 1)),
        label("questionnaire.unit", lang),
        label("questionnaire.answer", lang),
        label("questionnaire.evidence", lang),
        label("questionnaire.notes", lang),
        "indicator_id",
    ]
    for col, text in enumerate(header, start=1):
        _set(ws, f"{get_column_letter(col)}1", text, bold=True)
    answer_col = 3 + n + 2
    for row, q in enumerate(questions, start=2):
        _set(ws, f"A{row}", q.code)
        _set(ws, f"B{row}", q.section[lang])
        _set(ws, f"C{row}", q.text[lang])
        for k in range(1, n + 1):
            _set(ws, f"{get_column_letter(3 + k)}{row}", q.descriptors.get(k, {}).get(lang, ""))
        _set(ws, f"{get_column_letter(3 + n + 1)}{row}", q.unit)
        for offset in range(3):  # answer, evidence, notes: the respondent's cells
            _set(ws, f"{get_column_letter(answer_col + offset)}{row}", None, fill=True)
        _set(ws, f"{get_column_letter(answer_col + 3)}{row}", q.id)
        _validation(ws, f"{get_column_letter(answer_col)}{row}", q, lang)
    widths = {1: 6, 2: 18, 3: 48, answer_col: 16, answer_col + 1: 28, answer_col + 2: 28}
    for col in range(1, answer_col + 4):
        ws.column_dimensions[get_column_letter(col)].width = widths.get(col, 30)
    ws.column_dimensions[get_column_letter(answer_col + 3)].hidden = True
    ws.freeze_panes = "D2"


def _validation(ws: Worksheet, ref: str, q: Question, lang: str) -> None:
    """The answer cell's rule: a dropdown of the options, or a number (a warning if not)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if q.options:
        shown = [o.value if o.value.isdigit() else o.labels[lang] for o in q.options]
        dv = DataValidation(type="list", formula1='"' + ",".join(shown) + '"', allow_blank=True)
        dv.prompt = label("questionnaire.answer_help", lang)
    else:
        rule: dict[str, Any] = {"operator": "greaterThanOrEqual", "formula1": "0"}
        if q.minimum is not None and q.maximum is not None:
            rule = {
                "operator": "between",
                "formula1": f"{q.minimum:g}",
                "formula2": f"{q.maximum:g}",
            }
        # A warning, not a stop: "don't know" typed as words is read as not answered.
        dv = DataValidation(type="decimal", allow_blank=True, errorStyle="warning", **rule)
        dv.prompt = label("questionnaire.number_help", lang, unit=q.unit)
    dv.showInputMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


def _write_meta(ws: Worksheet, rubric: Rubric, lang: str, cover: str, questions: str) -> None:
    rows = [
        ("format", "assessment-questionnaire 1"),
        ("rubric_id", rubric.id),
        ("rubric_version", rubric.version),
        ("lang", lang),
        ("cover_sheet", cover),
        ("questions_sheet", questions),
        ("levels", str(rubric.n_levels)),
    ]
    for r, (key, value) in enumerate(rows, start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, safe_cell(value))
