"""The authoring sheet for Google Forms and Microsoft Forms.

Neither tool imports a questionnaire, so the sheet lists what to paste, question by question:
the title (code first: ``[Q3] How ...``), the question type, whether it is required and the
options one per line.  Their exports name each column by the question's title and each answer
by the option's label, which :mod:`assessment.inputs.surveys` maps back exactly (the code alone
is enough: a title shortened or reworded in the form still maps).  The client and the
assessment are the form's own (``--client`` and ``--assessment`` when importing).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assessment.files import write_xlsx
from assessment.questionnaire.catalogue import catalogue
from assessment.rubric.model import translate
from assessment.text import label

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from assessment.rubric import Rubric

__all__ = ["forms_rows", "write_forms_sheet"]


def forms_rows(
    rubric: Rubric, *, role: str | None = None, lang: str = "en"
) -> list[dict[str, str]]:
    """The rows of the authoring sheet: the identity questions, then every question."""
    keys = ("section", "question", "type", "required", "options")
    t = {k: label(f"questionnaire.{k}", lang) for k in keys}
    yes, no = label("questionnaire.yes", lang), label("questionnaire.no", lang)
    choice = label("questionnaire.type.choice", lang)
    roles = [translate(r.name, lang) for r in rubric.roles if role is None or r.id == role]
    rows = [
        {
            t["section"]: "",
            t["question"]: f"[NAME] {label('questionnaire.respondent', lang)}",
            t["type"]: label("questionnaire.type.text", lang),
            t["required"]: yes,
            t["options"]: "",
        }
    ]
    if roles:
        rows.append(
            {
                t["section"]: "",
                t["question"]: f"[ROLE] {label('questionnaire.role', lang)}",
                t["type"]: choice,
                t["required"]: yes,
                t["options"]: "\n".join(roles),
            }
        )
    for q in catalogue(rubric, role):
        rows.append(
            {
                t["section"]: q.section[lang],
                t["question"]: q.title(lang),
                t["type"]: choice if q.options else label("questionnaire.type.number", lang),
                # A choice always offers "Don't know", so it can be required; a number cannot.
                t["required"]: yes if q.options else no,
                t["options"]: "\n".join(o.labels[lang] for o in q.options),
            }
        )
    return rows


def _for_role(rubric: Rubric, role: str | None, lang: str) -> str:
    """``For: Finance`` (or everyone): whom this questionnaire asks."""
    name = next((translate(r.name, lang) for r in rubric.roles if r.id == role), None)
    return label("questionnaire.for_role", lang, role=name or label("questionnaire.everyone", lang))


def write_forms_sheet(
    rubric: Rubric,
    target: str | Path,
    *,
    client: str,
    role: str | None = None,
    lang: str = "en",
) -> Path:
    """Write the authoring sheet (a "read me" and the questions) as an XLSX workbook."""
    import pandas as pd  # local: keeps the package import light

    readme: pd.DataFrame = pd.DataFrame(
        {
            label("questionnaire.title", lang, rubric=translate(rubric.name, lang)): [
                label("questionnaire.forms_help", lang, client=client),
                _for_role(rubric, role, lang),
                label("questionnaire.intro", lang),
                f"{rubric.id} {rubric.version}",
            ]
        }
    )
    sheets = {
        "read me": readme,
        label("questionnaire.questions", lang): pd.DataFrame(
            forms_rows(rubric, role=role, lang=lang)
        ),
    }
    return write_xlsx(target, sheets)
