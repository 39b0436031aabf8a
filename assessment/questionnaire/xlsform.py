"""The XLSForm questionnaire for KoboToolbox, ODK Collect and Enketo.

One ``survey`` row per question, named by its indicator id (so KoboToolbox's export, by names
or by labels, maps back exactly), a choice list per question (its levels with their
descriptors, "don't know", N/A where allowed), labels in English and Arabic
(``label::English (en)``, ``label::Arabic (ar)``), questions shown only to the roles they are
asked of (``relevant``), the client and assessment as read-only fields, and an optional
evidence field after each question (``<id>_evidence``).  The submission's ``end`` time dates
the answers.  ``pyxform`` (the converter KoboToolbox and ODK use) validates it in the tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from assessment.files import atomic_path, safe_cell
from assessment.questionnaire.catalogue import Question, catalogue
from assessment.rubric.model import translate
from assessment.text import label

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = ["LANGUAGE_COLUMNS", "write_xlsform"]

#: The XLSForm name of each language, as KoboToolbox lists them.
LANGUAGE_COLUMNS = {"en": "English (en)", "ar": "Arabic (ar)"}
_SURVEY = ["type", "name", "required", "relevant", "constraint", "default", "read_only"]


def _labelled(prefix: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{prefix}::{LANGUAGE_COLUMNS[lang]}": texts[lang] for lang in LANGUAGE_COLUMNS}


def _both(key: str, **values: object) -> dict[str, str]:
    return {lang: label(key, lang, **values) for lang in LANGUAGE_COLUMNS}


def _relevant(q: Question, roles: set[str], role: str | None) -> str:
    if role or not q.asked_of or not roles:
        return ""
    return " or ".join(f"selected(${{role}}, '{r}')" for r in q.asked_of if r in roles)


def _survey_rows(
    rubric: Rubric, questions: list[Question], client: str, assessment: str, role: str | None
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {
            "type": "text",
            "name": "client_id",
            "default": client,
            "read_only": "yes",
            **_labelled("label", _both("questionnaire.client")),
        },
        {
            "type": "text",
            "name": "assessment",
            "default": assessment,
            "read_only": "yes",
            **_labelled("label", _both("questionnaire.assessment")),
        },
        {
            "type": "text",
            "name": "respondent",
            "required": "yes",
            **_labelled("label", _both("questionnaire.respondent")),
        },
    ]
    if rubric.roles:
        rows.append(
            {
                "type": "select_one roles",
                "name": "role",
                "required": "yes",
                "default": role or "",
                "read_only": "yes" if role else "",
                **_labelled("label", _both("questionnaire.role")),
            }
        )
    roles = {r.id for r in rubric.roles}
    section = None
    for q in questions:
        group = q.dimension_id or "facts"
        if group != section:
            if section is not None:
                rows.append({"type": "end_group", "name": section})
            rows.append({"type": "begin_group", "name": group, **_labelled("label", q.section)})
            section = group
        rows += _question_rows(q, _relevant(q, roles, role))
    if section is not None:
        rows.append({"type": "end_group", "name": section})
    return rows


def _question_rows(q: Question, relevant: str) -> list[dict[str, str]]:
    titles = {lang: q.title(lang) for lang in LANGUAGE_COLUMNS}
    row = {"name": q.id, "relevant": relevant, **_labelled("label", titles)}
    if q.options:
        row["type"] = f"select_one l_{q.id}"
    else:
        row["type"] = "decimal"
        row |= _labelled("hint", _both("questionnaire.number_help", unit=q.unit))
        bounds = []
        if q.minimum is not None:
            bounds.append(f". >= {q.minimum:g}")
        if q.maximum is not None:
            bounds.append(f". <= {q.maximum:g}")
        row["constraint"] = " and ".join(bounds)
    evidence = {
        "type": "text",
        "name": f"{q.id}_evidence",
        "relevant": relevant,
        **_labelled(
            "label",
            {
                lang: f"[{q.code}] {label('questionnaire.evidence', lang)}"
                for lang in LANGUAGE_COLUMNS
            },
        ),
    }
    return [row, evidence]


def _choice_rows(rubric: Rubric, questions: list[Question]) -> list[dict[str, str]]:
    rows = [
        {
            "list_name": "roles",
            "name": r.id,
            **_labelled("label", {x: translate(r.name, x) for x in LANGUAGE_COLUMNS}),
        }
        for r in rubric.roles
    ]
    for q in questions:
        for o in q.options:
            rows.append({"list_name": f"l_{q.id}", "name": o.name, **_labelled("label", o.labels)})
    return rows


def write_xlsform(
    rubric: Rubric,
    target: str | Path,
    *,
    client: str,
    assessment: str = "",
    role: str | None = None,
    lang: str = "en",
) -> Path:
    """Write the XLSForm for ``client`` (optionally only ``role``'s questions) to ``target``.

    ``lang`` is the form's default language; both languages are always in the form.
    """
    from openpyxl import Workbook  # local: slow to import

    questions = catalogue(rubric, role)
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    langs = [f"{p}::{LANGUAGE_COLUMNS[x]}" for p in ("label", "hint") for x in LANGUAGE_COLUMNS]
    _sheet(survey, [*_SURVEY, *langs], _survey_rows(rubric, questions, client, assessment, role))
    choice_cols = ["list_name", "name", *(f"label::{v}" for v in LANGUAGE_COLUMNS.values())]
    _sheet(wb.create_sheet("choices"), choice_cols, _choice_rows(rubric, questions))
    form_id = re.sub(r"[^A-Za-z0-9_]", "_", f"maturity_{client}_{role or 'all'}")[:60]
    settings = {
        "form_title": f"{translate(rubric.name, lang)} – {client}",
        "form_id": form_id,
        "version": f"{rubric.id} {rubric.version}",
        "default_language": LANGUAGE_COLUMNS[lang],
        "style": "pages",
    }
    _sheet(wb.create_sheet("settings"), list(settings), [settings])
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return Path(target)


def _sheet(ws: object, columns: list[str], rows: list[dict[str, str]]) -> None:
    ws.append(columns)  # type: ignore[attr-defined]
    for row in rows:
        ws.append([safe_cell(row.get(c, "")) or None for c in columns])  # type: ignore[attr-defined]
