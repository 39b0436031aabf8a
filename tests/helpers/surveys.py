"""Survey exports built as each tool writes them, from one set of submissions (issue 14).

``tests/inputs/fixtures/README.md`` lists what each builder assumes about its tool.  Every
builder takes the same :class:`Submission` list, so a test can check that each export scores
exactly as the same answers in the long format (:func:`long_frame`).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pandas as pd

from assessment.questionnaire import DONT_KNOW, Question, catalogue

__all__ = ["CLIENT", "Submission", "catalogue", "dt", "submissions"]
from assessment.questionnaire.workbook import COVER_CELLS, write_workbook
from assessment.rubric import Rubric
from assessment.rubric.model import translate

CLIENT = "c01-acme"
_AR_DIGITS = str.maketrans("0123456789.", "٠١٢٣٤٥٦٧٨٩٫")


@dataclass
class Submission:
    """One respondent's submission: who, when, and answers by question id (long values)."""

    name: str
    role: str  # a role id
    when: dt.datetime
    answers: dict[str, str] = field(default_factory=dict)


def submissions(rubric: Rubric, days: tuple[int, ...] = (10, 14, 17)) -> list[Submission]:
    """Six respondents in six roles, on three days of March 2025, answering what they are asked.

    Levels vary by respondent and question; a few answers are "don't know", N/A where allowed,
    and measured values have decimals.
    """
    roles = [r.id for r in rubric.roles][:6] or ["", "", ""]
    names = ["Layla H.", "Omar K.", "Rania S.", "Sami T.", "Huda M.", "Karim B."]
    out = []
    for k, (name, role) in enumerate(zip(names, roles, strict=False)):
        when = dt.datetime(2025, 3, days[k % len(days)], 9 + k, 5, 33)
        sub = Submission(name, role, when)
        for n, q in enumerate(catalogue(rubric, role or None)):
            sub.answers[q.id] = _value(q, k, n)
        out.append(sub)
    return out


def _value(q: Question, k: int, n: int) -> str:
    if (k + n) % 11 == 5:
        return DONT_KNOW
    if q.allow_na and (k + n) % 7 == 3:
        return "NA"
    if q.kind == "anchored":
        return str(1 + (k * 3 + n) % 5)
    if q.kind == "boolean":
        return "yes" if (k + n) % 2 else "no"
    low = q.minimum if q.minimum is not None else 0.0
    high = q.maximum if q.maximum is not None else 100.0
    return f"{low + (high - low) * ((k + 2 * n) % 9 + 0.5) / 10:g}"


def long_frame(rubric: Rubric, subs: list[Submission], lang: str = "en") -> pd.DataFrame:
    """The same answers in the long format ("don't know" left out: it is not an answer)."""
    roles = {r.id: translate(r.name, lang) for r in rubric.roles}
    rows = [
        [CLIENT, s.when.strftime("%Y-%m-%d"), s.name, roles.get(s.role, ""), i, v, "", ""]
        for s in subs
        for i, v in s.answers.items()
        if v != DONT_KNOW
    ]
    cols = ["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"]
    return pd.DataFrame(rows, columns=[*cols, "evidence"])


def _shown(q: Question, value: str, lang: str, *, names: bool = False) -> str:
    """A value as the tool shows it: the option's label (or choice name), or the number."""
    if not q.options:
        return value.translate(_AR_DIGITS) if lang == "ar" else value
    option = next(o for o in q.options if o.value == value)
    return option.name if names else option.labels[lang]


def _role(rubric: Rubric, role: str, lang: str) -> str:
    return next((translate(r.name, lang) for r in rubric.roles if r.id == role), "")


def _write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> Path:
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def _identity_titles(lang: str) -> list[str]:
    return (
        ["[NAME] Your name", "[ROLE] Your role"] if lang == "en" else ["[NAME] اسمك", "[ROLE] دورك"]
    )


def google_forms_csv(rubric: Rubric, subs: list[Submission], path: Path, lang: str = "en") -> Path:
    """Google Forms' "Download responses (.csv)": Timestamp, e-mail, then one column per title."""
    qs = catalogue(rubric)
    head = ["Timestamp", "Email Address"] if lang == "en" else ["الطابع الزمني"]
    rows = [[*head, *_identity_titles(lang), *(q.title(lang) for q in qs)]]
    for s in subs:
        if lang == "en":  # US locale: month/day/year, no leading zeros
            stamp = [f"{s.when.month}/{s.when.day}/{s.when.year} {s.when:%H:%M:%S}", ""]
        else:  # Arabic locale: day/month/year in Arabic-Indic digits
            stamp = [f"{s.when:%d/%m/%Y %H:%M:%S}".translate(_AR_DIGITS)]
        cells = [_shown(q, s.answers[q.id], lang) if q.id in s.answers else "" for q in qs]
        rows.append([*stamp, s.name, _role(rubric, s.role, lang), *cells])
    return _write_csv(path, rows)


def ms_forms_xlsx(rubric: Rubric, subs: list[Submission], path: Path, lang: str = "en") -> Path:
    """Microsoft Forms' "Open in Excel": ID, times as date cells, Email, Name, then titles."""
    qs = catalogue(rubric)
    head = (
        ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
        if lang == "en"
        else ["المعرّف", "وقت البدء", "وقت الإكمال", "البريد الإلكتروني", "الاسم", "وقت آخر تعديل"]
    )
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append([*head, *_identity_titles(lang), *(q.title(lang) for q in qs)])
    for k, s in enumerate(subs, start=1):
        # English: an anonymous form (the name is asked); Arabic: respondents signed in.
        email, name = ("anonymous", "") if lang == "en" else (f"r{k}@example.org", s.name)
        cells = [_shown(q, s.answers[q.id], lang) if q.id in s.answers else None for q in qs]
        start = s.when - dt.timedelta(minutes=12)
        asked = s.name if lang == "en" else ""
        ws.append([k, start, s.when, email, name, None, asked, _role(rubric, s.role, lang), *cells])
    wb.save(path)
    return path


_KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status"]
_KOBO_META += ["_submitted_by", "__version__", "_tags", "_index"]


def kobo_csv(
    rubric: Rubric, subs: list[Submission], path: Path, *, labels: bool = False, lang: str = "en"
) -> Path:
    """KoboToolbox's CSV export of our XLSForm: ``;``-separated, group prefixes (``/``).

    By XML names (choice names as values) or by labels in ``lang`` (labels as values).
    """
    qs = catalogue(rubric)

    def head(q: Question, evidence: bool = False) -> str:
        if labels:
            title = f"[{q.code}] " + ("Evidence (document, link)" if evidence else q.text[lang])
            if evidence and lang == "ar":
                title = f"[{q.code}] الدليل (وثيقة أو رابط)"
            return f"{q.section[lang]}/{title}"
        return f"{q.dimension_id or 'facts'}/{q.id}" + ("_evidence" if evidence else "")

    ident = ["client_id", "assessment", "respondent", "role"]
    if labels:
        ident = (
            ["Client", "Assessment", "Your name", "Your role"]
            if lang == "en"
            else ["العميل", "التقييم", "اسمك", "دورك"]
        )
    header = ["start", "end", *ident]
    for q in qs:
        header += [head(q), head(q, evidence=True)]
    rows = [[*header, *_KOBO_META]]
    for k, s in enumerate(subs, start=1):
        end = s.when.strftime("%Y-%m-%dT%H:%M:%S.000+03:00")
        role = _role(rubric, s.role, lang) if labels else s.role
        cells = []
        for q in qs:
            value = s.answers.get(q.id)
            cells += ["" if value is None else _shown(q, value, lang, names=not labels), ""]
        meta = [
            str(1000 + k),
            f"uuid-{k}",
            end[:19],
            "",
            "",
            "submitted_via_web",
            "",
            "v1",
            "",
            str(k),
        ]
        rows.append([end, end, CLIENT, "", s.name, role, *cells, *meta])
    return _write_csv(path, rows, delimiter=";")


def surveymonkey_csv(rubric: Rubric, subs: list[Submission], path: Path, lang: str = "en") -> Path:
    """SurveyMonkey's "All responses, expanded" CSV: two header rows, US dates with AM/PM."""
    qs = catalogue(rubric)
    meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
    meta += ["Email Address", "First Name", "Last Name", "Custom Data 1"]
    titles = [*_identity_titles(lang), *(q.title(lang) for q in qs)]
    second = [""] * len(meta) + ["Open-Ended Response", "Response"]
    second += ["Response" if q.options else "Open-Ended Response" for q in qs]
    rows = [[*meta, *titles], second]
    for k, s in enumerate(subs, start=1):
        stamp = s.when.strftime("%m/%d/%Y %I:%M:%S %p")
        ids = [str(11800000 + k), "4321", stamp, stamp, "192.0.2.1", "", "", "", ""]
        cells = [_shown(q, s.answers[q.id], lang) if q.id in s.answers else "" for q in qs]
        rows.append([*ids, s.name, _role(rubric, s.role, lang), *cells])
    return _write_csv(path, rows, bom=True)


def filled_workbooks(
    rubric: Rubric, subs: list[Submission], folder: Path, lang: str = "en", per_role: bool = False
) -> list[Path]:
    """Our workbook, one per respondent, filled in as a person does in Excel."""
    paths = []
    for k, s in enumerate(subs):
        path = folder / f"{CLIENT}-{k}.{lang}.questionnaire.xlsx"
        role = s.role if per_role else None
        write_workbook(rubric, path, client=CLIENT, role=role, lang=lang, date=s.when.date())
        wb = openpyxl.load_workbook(path)
        cover, sheet = wb.worksheets[0], wb.worksheets[1]
        cover[COVER_CELLS["respondent"]] = s.name
        if not per_role:
            cover[COVER_CELLS["role"]] = _role(rubric, s.role, lang)
        header = [c.value for c in sheet[1]]
        answer = header.index("indicator_id") - 3
        for row in sheet.iter_rows(min_row=2):
            value = s.answers.get(row[answer + 3].value)
            if value is None:
                continue
            q = next(q for q in catalogue(rubric) if q.id == row[answer + 3].value)
            if q.numeric and value != DONT_KNOW:
                row[answer].value = float(value)  # a number typed in a number cell
            elif value.isdigit() and k % 2:
                row[answer].value = int(value)  # typed rather than picked
            else:
                row[answer].value = value if value.isdigit() else _shown(q, value, lang)
            row[answer + 1].value = "board minutes" if k == 0 else None
        wb.save(path)
        paths.append(path)
    return paths


def kobo_xlsx(rubric: Rubric, subs: list[Submission], path: Path, lang: str = "en") -> Path:
    """KoboToolbox's XLSX export (by XML names): the CSV's cells in one sheet."""
    text = kobo_csv(rubric, subs, path.with_suffix(".csv"), lang=lang)
    with open(text, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "maturity_c01_all"
    for row in rows:
        ws.append([cell or None for cell in row])
    wb.save(path)
    return path
