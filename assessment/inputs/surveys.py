"""Survey exports in: Google Forms, Microsoft Forms, KoboToolbox, SurveyMonkey, our workbook.

Each tool writes one row per submission and one column per question, with its own metadata
columns, its own header (question text, ``group/name``, a code) and its own option labels.
:func:`survey_to_long` maps every header and every value back through the rubric's
questionnaire catalogue (:func:`assessment.questionnaire.catalogue`):

* a header is a question when it is the indicator id (``strategy/strategy_documented`` too:
  KoboToolbox's group prefix), starts with its code (``[Q3] ...``: the Forms authoring sheet),
  or is its text in English or Arabic (spacing, case, quotes and a required ``*`` aside);
* a header is the client, assessment, respondent, role or date when it says so in either
  language (``Your name``, ``اسمك``...), or the tool's submission time (``Timestamp``,
  ``الطابع الزمني``, ``Completion time``, ``_submission_time``, ``End Date``...);
* every other column a tool adds (``Email Address``, ``ID``, ``_uuid``, ``IP Address``...) is
  metadata and ignored; any other header is one problem naming its cell and the closest
  question;
* a value is a level (``4``, ``Level 4 - ...``, ``المستوى ٤``, the option's label in either
  language), yes/no, not applicable, "don't know" (not answered) or a number (Arabic-Indic
  digits too); any other value is one problem naming its cell and the closest option.

SurveyMonkey's second header row (``Response``, ``Open-Ended Response``) is skipped.  A file
without a client column takes the client (and the assessment) from the defaults the command
line gives (``--client``, ``--assessment``).  The fillable workbook
(:mod:`assessment.questionnaire.workbook`) is read by :func:`read_questionnaire_workbook`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from assessment.inputs.dates import parse_dates
from assessment.inputs.tables import DATA_SUFFIXES, Reason, _Errors, _per_unique, shown_columns
from assessment.inputs.tokens import NA_TOKENS, NO_TOKENS, YES_TOKENS
from assessment.questionnaire import (
    DONT_KNOW,
    DONT_KNOW_TOKENS,
    Question,
    catalogue,
    normalise_digits,
    normalise_text,
)
from assessment.text import LANGUAGES, label

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = [
    "LONG_COLUMNS",
    "METADATA",
    "SurveyDefaults",
    "column_letter",
    "map_value",
    "survey_to_long",
]

#: Columns of the long frame every reader returns (before validation).
LONG_COLUMNS = [
    "client_id",
    "date",
    "respondent",
    "role",
    "indicator_id",
    "value",
    "comment",
    "evidence",
    "assessment",
    "_row",
    "_col",
    "_cell",
]


@dataclass(frozen=True)
class SurveyDefaults:
    """What a file may leave out: one form per client names neither client nor assessment."""

    client: str = ""
    assessment: str = ""


def _spellings(*keys: str) -> set[str]:
    return {normalise_text(label(k, lang)) for k in keys for lang in LANGUAGES}


#: Headers naming who answered, for whom and when (normalised, both languages).
IDENTITY: dict[str, set[str]] = {
    "client_id": {"client_id", "client", "client id", *_spellings("questionnaire.client")},
    "assessment": {"assessment", "assessment_id", "assessment id"}
    | _spellings("questionnaire.assessment"),
    "respondent": {"respondent", "name", "full name", "الاسم", "الاسم الكامل"}
    | _spellings("questionnaire.respondent"),
    "role": {"role", "job title", "الدور", "المسمى الوظيفي"} | _spellings("questionnaire.role"),
    "date": {"date"} | _spellings("questionnaire.date"),
}
#: Codes of the identity questions on the Forms sheet (``[NAME] Your name``).
IDENTITY_CODES = {
    "client": "client_id",
    "assessment": "assessment",
    "name": "respondent",
    "role": "role",
    "date": "date",
}
#: Submission times, best first: the date of a row when no column is the date itself.
SUBMITTED = (
    "completion time",
    "وقت الإكمال",
    "وقت الاكتمال",
    "_submission_time",
    "end",
    "end date",
    "timestamp",
    "الطابع الزمني",
    "submitted at",
    "submission time",
    "start time",
    "وقت البدء",
    "start",
    "start date",
    "today",
)
#: A respondent's e-mail, and a response id: who answered, when no name is asked.
EMAIL = ("email address", "email", "البريد الإلكتروني", "عنوان البريد الإلكتروني")
RESPONSE_ID = ("id", "المعرف", "المعرّف", "_id", "_uuid", "respondent id", "meta/instanceid")
#: The other columns tools add (normalised); any header starting with ``_`` is Kobo's too.
METADATA = frozenset(
    {
        *SUBMITTED,
        *EMAIL,
        *RESPONSE_ID,
        "last modified time",
        "وقت آخر تعديل",
        "collector id",
        "ip address",
        "first name",
        "last name",
        "custom data 1",
        "deviceid",
        "instanceid",
        "formhub/uuid",
        "total score",
        "score",
        "points",
        "النتيجة",
    }
)
#: SurveyMonkey's second header row says what each column holds.
_SUBHEADER = frozenset({"response", "open-ended response", ""})
_CODE = re.compile(r"^\[([a-z]{1,12}\d{0,4})\]\s*(.*)$")
_LEVEL = re.compile(r"^(?:level|المستوى|مستوى)?\s*(\d{1,2})(?:\s*[-–:.)]|\s|$)")


def column_letter(position: int) -> str:
    """``0`` -> ``A``, ``26`` -> ``AA``: the column as Excel names it."""
    out = ""
    n = position + 1
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(65 + rest) + out
    return out


class _Index:
    """Every way a header may name a question, an identity field, or metadata."""

    def __init__(self, rubric: Rubric) -> None:
        self.rubric = rubric
        self.questions = catalogue(rubric)
        self.by_code = {q.code.lower(): q for q in self.questions}
        self.by_text: dict[str, tuple[str, Any]] = {}
        evidence = _spellings("questionnaire.evidence")
        notes = _spellings("questionnaire.notes")
        self.extra = {"evidence": evidence, "notes": notes}
        for q in self.questions:
            for text in (q.id, *q.text.values()):
                self.by_text.setdefault(normalise_text(text), ("question", q))
            self.by_text[f"{q.id}_evidence"] = ("evidence", q)
            self.by_text[f"{q.id}_notes"] = ("notes", q)
        for field, names in IDENTITY.items():
            for n in names:
                self.by_text[n] = ("identity", field)

    def classify(self, header: str) -> tuple[str, Any]:
        """``(kind, target)``: question/evidence/notes + Question, identity + field, meta, or
        ``("unknown", None)``."""
        text = normalise_text(header)
        # KoboToolbox's group prefix: "strategy/strategy_documented", or a group's label
        # before a title that may hold a "/" itself: every tail after a "/" is tried.
        tries = [text] + [text[k + 1 :].strip() for k, ch in enumerate(text) if ch == "/"]
        for t in tries:
            found = self._one(t)
            if found[0] != "unknown":
                return found
        if text in METADATA or text.startswith("_") or text.startswith(("meta/", "formhub/")):
            return "meta", None
        return "unknown", None

    def _one(self, text: str) -> tuple[str, Any]:
        code = _CODE.match(text)
        if code:
            tag, rest = code.groups()
            if tag in IDENTITY_CODES:
                return "identity", IDENTITY_CODES[tag]
            q = self.by_code.get(tag)
            if q is not None:
                for kind, spellings in self.extra.items():
                    if rest in spellings:
                        return kind, q
                return "question", q
        return self.by_text.get(text, ("unknown", None))

    @cached_property
    def titles(self) -> dict[str, str]:
        """Shown suggestion by normalised candidate text."""
        out = {}
        for q in self.questions:
            for lang in LANGUAGES:
                out[normalise_text(q.title(lang))] = f"{q.title(lang)!r} ({q.id})"
                out[normalise_text(q.text[lang])] = f"{q.title(lang)!r} ({q.id})"
            out[q.id] = f"{q.title('en')!r} ({q.id})"
        return out

    def suggest(self, header: str) -> str:
        """`` (did you mean ...?)``: the closest id for an id, else the closest question."""
        text = normalise_text(header).rsplit("/", 1)[-1].strip()
        if re.fullmatch(r"[\w.-]+", text):
            ids = [q.id for q in self.questions]
            close = difflib.get_close_matches(text, ids, n=1, cutoff=0.6)
            if close:
                return f" (did you mean {close[0]!r}?)"
        close = difflib.get_close_matches(text, list(self.titles), n=1, cutoff=0.5)
        return f" (did you mean {self.titles[close[0]]}?)" if close else ""


def _value_map(q: Question) -> dict[str, str]:
    """Every accepted spelling of each option of ``q`` (normalised) -> the long value."""
    out: dict[str, str] = {}
    for o in q.options:
        for text in (o.value, o.name, *o.labels.values()):
            out[normalise_text(text)] = o.value
    if q.kind == "boolean":
        out.update(dict.fromkeys(YES_TOKENS, "yes") | dict.fromkeys(NO_TOKENS, "no"))
    if q.allow_na:
        out.update(dict.fromkeys(NA_TOKENS, "NA"))
    out.update(dict.fromkeys(DONT_KNOW_TOKENS, DONT_KNOW))
    return out


def map_value(q: Question, text: str, n_levels: int) -> str | None:
    """The long-format value of one cell's text, ``None`` when it is no option of ``q``.

    Numeric questions keep their number (Arabic-Indic digits made ASCII) for the validator to
    check; "don't know" is :data:`DONT_KNOW` for every kind.
    """
    norm = normalise_text(text)
    if norm in DONT_KNOW_TOKENS:
        return DONT_KNOW
    if q.numeric:
        return normalise_digits(text).strip()
    found = _value_map(q).get(norm)
    if found is not None:
        return found
    if q.kind == "anchored":
        m = _LEVEL.match(norm)
        if m and 1 <= int(m.group(1)) <= n_levels:
            return m.group(1)
    return None


def suggest_option(q: Question, text: str, lang_hint: str = "en") -> str:
    """`` (did you mean '4 – ...'?)``: the closest option label, or nothing."""
    labels = [o.labels[lang] for o in q.options for lang in LANGUAGES]
    if not labels:
        return ""
    close = difflib.get_close_matches(normalise_text(text), [normalise_text(x) for x in labels], 1)
    if not close:
        return ""
    shown = next(x for x in labels if normalise_text(x) == close[0])
    return f" (did you mean {shown!r}?)"


@dataclass
class _Layout:
    """What each column of an export is."""

    questions: dict[str, Question]  # column -> question
    evidence: dict[str, str]  # question id -> column
    notes: dict[str, str]
    identity: dict[str, str]  # field -> column
    meta: list[str]
    names: list[str]  # every column naming the respondent, best first


def _layout(df: pd.DataFrame, index: _Index, name: str, errs: _Errors) -> _Layout:
    """Classify every column; report the unknown ones and questions named twice."""
    headers = df.attrs.get("headers", {})
    positions = df.attrs.get("positions", {})
    where = _where(df)
    out = _Layout({}, {}, {}, {}, [], [])
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for col in (c for c in df.columns if c != "_row"):
        kind, target = index.classify(headers.get(col, col))
        if kind == "identity":
            out.identity.setdefault(target, col)
            if target == "respondent":
                out.names.append(col)
        elif kind == "meta":
            out.meta.append(col)
        elif kind in ("evidence", "notes"):
            getattr(out, kind)[target.id] = col
        elif kind == "question":
            if target.id in seen:
                errs.add(
                    name,
                    Reason.DUPLICATE_COLUMN,
                    f"{where}cell {column_letter(positions.get(col, 0))}"
                    f"{df.attrs.get('header_row', 1)}: question {target.code} ({target.id}) "
                    f"is also the column {headers.get(seen[target.id], seen[target.id])!r}",
                    row=df.attrs.get("header_row", 1),
                    column=headers.get(col, col),
                )
                continue
            seen[target.id] = col
            out.questions[col] = target
        else:
            unknown.append(col)
    _report_unknown(df, unknown, index, name, errs)
    return out


def _where(df: pd.DataFrame) -> str:
    sheet = df.attrs.get("sheet", "")
    return f"sheet {sheet!r}, " if sheet else ""


#: Unknown headers reported one by one (with a suggestion); more are one problem.
_ONE_BY_ONE = 5


def _report_unknown(
    df: pd.DataFrame, unknown: list[str], index: _Index, name: str, errs: _Errors
) -> None:
    """One problem per unknown header (cell, text, closest question), or one for them all.

    A file with 100,000 unknown columns is one mistake (the wrong file, or the wrong rubric),
    not 100,000.  A file not named like a data file never has its header quoted.
    """
    headers, positions = df.attrs.get("headers", {}), df.attrs.get("positions", {})
    row = df.attrs.get("header_row", 1)
    rubric_id = index.rubric.id
    if not unknown:
        return
    if not df.attrs.get("header_shown", True):
        errs.add(
            name,
            Reason.UNKNOWN_INDICATOR,
            f"no question of rubric {rubric_id!r} found: its first row has {len(headers)} "
            "value(s), not shown: the file is not named like a data file "
            f"({', '.join(sorted(DATA_SUFFIXES))})",
            row=row,
        )
        return
    if len(unknown) > _ONE_BY_ONE:
        errs.add(
            name,
            Reason.UNKNOWN_INDICATOR,
            f"{len(unknown)} columns are not indicators of rubric {rubric_id!r}: "
            f"{shown_columns([headers.get(c, c) for c in unknown])}; is this the right file, "
            "and the right --rubric?",
            row=row,
        )
        return
    for col in unknown:
        text = headers.get(col, col)
        errs.add(
            name,
            Reason.UNKNOWN_INDICATOR,
            f"{_where(df)}cell {column_letter(positions.get(col, 0))}{row}: column {text!r} is "
            f"not an indicator of rubric {rubric_id!r}{index.suggest(text)}",
            row=row,
            column=text,
        )


def _drop_subheader(df: pd.DataFrame, layout: _Layout) -> pd.DataFrame:
    """SurveyMonkey's second header row (``Response``...) is not a submission."""
    if df.empty or not layout.questions:
        return df
    first = df.iloc[0]
    cells = {normalise_text(first[c]) for c in layout.questions}
    if cells <= _SUBHEADER and cells != {""}:
        return df.iloc[1:]
    return df


def _identity(
    df: pd.DataFrame, layout: _Layout, defaults: SurveyDefaults, name: str, errs: _Errors
) -> pd.DataFrame | None:
    """Client, assessment, respondent, role and date of each row."""
    ids = pd.DataFrame(index=df.index)
    cols = layout.identity
    source: dict[str, str] = {}
    headers = df.attrs.get("headers", {})
    if "client_id" in cols:
        ids["client_id"] = df[cols["client_id"]].where(df[cols["client_id"]] != "", defaults.client)
        source["client_id"] = headers.get(cols["client_id"], cols["client_id"])
    elif defaults.client:
        ids["client_id"] = defaults.client
    else:
        errs.add(
            name,
            Reason.MISSING_COLUMN,
            "no client column; a form made for one client: give the client id "
            "(maturity import FILE --client ID, or the same option of validate and score)",
            row=df.attrs.get("header_row", 1),
            column="client_id",
        )
        return None
    given = cols.get("assessment")
    ids["assessment"] = df[given].where(df[given] != "", defaults.assessment) if given else ""
    if not given:
        ids["assessment"] = defaults.assessment
    ids["respondent"] = _respondents(df, layout)
    ids["role"] = df[cols["role"]] if "role" in cols else ""
    date_col = cols.get("date") or next(
        (c for s in SUBMITTED for c in layout.meta if normalise_text(c) == s), None
    )
    if date_col is None:
        errs.add(
            name,
            Reason.MISSING_COLUMN,
            "no date column: expected 'date' or the tool's submission time "
            "('Timestamp', 'Completion time', '_submission_time', 'End Date')",
            row=df.attrs.get("header_row", 1),
            column="date",
        )
        return None
    day, warning = parse_dates(df[date_col])
    ids["date"] = day.where(day.notna(), df[date_col])
    source["date"] = headers.get(date_col, date_col)
    if "respondent" in cols:
        source["respondent"] = headers.get(cols["respondent"], cols["respondent"])
    ids.attrs["source_columns"] = source
    ids.attrs["warnings"] = [f"{name}: {warning}"] if warning else []
    return ids


#: What tools write for a respondent who did not sign in.
_ANONYMOUS = frozenset({"", "anonymous", "مجهول", "مجهول الهوية"})


def _respondents(df: pd.DataFrame, layout: _Layout) -> pd.Series:
    """Who answered: the name asked, else the e-mail, else the tool's response id, else row."""
    out = pd.Series("", index=df.index, dtype=object)
    for col in layout.names:  # Microsoft Forms' "Name" is empty for anonymous forms
        name = df[col].where(~df[col].str.casefold().isin(_ANONYMOUS), "")
        out = out.where(out != "", name.astype(object))
    fallbacks = [c for s in (*EMAIL, *RESPONSE_ID) for c in layout.meta if normalise_text(c) == s]
    for col in fallbacks:
        value = df[col].where(~df[col].str.casefold().isin(_ANONYMOUS), "")
        prefix = "" if normalise_text(col) in EMAIL else "respondent "
        out = out.where(out != "", (prefix + value).where(value != "", ""))
    return out.where(out != "", "respondent row " + df["_row"].astype(str))


def survey_to_long(
    df: pd.DataFrame,
    rubric: Rubric,
    name: str,
    errs: _Errors,
    defaults: SurveyDefaults | None = None,
) -> pd.DataFrame | None:
    """A wide file (our wide format or any tool's export) as long answers (:data:`LONG_COLUMNS`).

    Empty cells are not answered; "don't know" answers are kept as :data:`DONT_KNOW` (the
    loader counts and drops them).  ``attrs["warnings"]`` holds what deserves a look (an
    ambiguous date order).  Returns ``None`` when the file cannot be mapped (the problems are
    in ``errs``).
    """
    index = _Index(rubric)
    layout = _layout(df, index, name, errs)
    if not layout.questions:
        errs.add(
            name,
            Reason.MISSING_COLUMN,
            "no question columns found; expected the long format (indicator_id, value), one "
            "column per indicator id, or a survey export whose headers are the questions",
            row=df.attrs.get("header_row", 1),
        )
        return None
    df = _drop_subheader(df, layout)
    ids = _identity(df, layout, defaults or SurveyDefaults(), name, errs)
    if ids is None or df.empty:
        return None
    # pandas deep-copies ``attrs`` into every frame an operation returns: with the file's
    # header maps in them, that was 157,000 copies and a third of a second per export of 47
    # questions.  The columns are mapped on a frame without them (issue 19).
    meta = dict(df.attrs)
    bare = df.copy(deep=False)
    bare.attrs = {}
    frames = [
        _column_answers(bare, ids, col, q, layout, meta, rubric, name, errs)
        for col, q in layout.questions.items()
    ]
    long, resubmitted = _resubmissions(pd.concat(frames, ignore_index=True), name)
    long.attrs["source_columns"] = ids.attrs["source_columns"]
    long.attrs["warnings"] = ids.attrs["warnings"] + resubmitted
    return long


def _resubmissions(long: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[str]]:
    """A respondent who submitted the form again on the same day: the later answer counts.

    Survey tools list submissions in the order they arrived, so the lower row is the later
    one.  (Across days, :mod:`assessment.inputs.engagement` does the same.)
    """
    key = ["client_id", "date", "respondent", "indicator_id"]
    ordered = long.sort_values("_row", kind="stable")
    earlier = ordered.duplicated(key, keep="last")
    if not earlier.any():
        return long, []
    rows = sorted(pd.unique(ordered.loc[earlier, "_row"]))
    who = sorted(pd.unique(ordered.loc[earlier, "respondent"].astype(str)))
    shown = ", ".join(map(str, rows[:5])) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
    note = (
        f"{name}: {int(earlier.sum())} answer(s) of {', '.join(map(repr, who[:5]))} were "
        f"submitted again the same day; the later submission counts (earlier rows {shown})"
    )
    kept = ordered.loc[~earlier].sort_index().reset_index(drop=True)
    return kept, [note]


def _column_answers(
    df: pd.DataFrame,
    ids: pd.DataFrame,
    col: str,
    q: Question,
    layout: _Layout,
    meta: dict[str, Any],
    rubric: Rubric,
    name: str,
    errs: _Errors,
) -> pd.DataFrame:
    """The answers of one question's column, values mapped; unmappable ones reported.

    ``meta`` is the file's ``attrs`` (sheet, header maps), kept apart from ``df``.
    """
    given = df[col] != ""
    sub = df.loc[given]
    header = meta.get("headers", {}).get(col, col)
    letter = column_letter(meta.get("positions", {}).get(col, 0))
    sheet = meta.get("sheet", "")
    where = f"sheet {sheet!r}, " if sheet else ""
    cells = where + "cell " + letter + sub["_row"].astype(str)
    mapped = _per_unique(sub[col], lambda u: u.map(lambda v: map_value(q, v, rubric.n_levels)))
    bad = mapped.isna()
    if bad.any():
        reason = Reason.NOT_YES_NO if q.kind == "boolean" else Reason.NOT_A_LEVEL
        hints = {v: suggest_option(q, v) for v in pd.unique(sub.loc[bad, col])}
        for row, cell, value in zip(
            sub.loc[bad, "_row"], cells[bad], sub.loc[bad, col], strict=True
        ):
            errs.add(
                name,
                reason,
                f"{cell}: {value!r} is no option of question {q.code} ({q.id}){hints[value]}",
                row=int(row),
                column=header,
                value=value,
            )
    keep = ~bad
    out = ids.loc[sub.index[keep]].copy()
    out["indicator_id"] = q.id
    out["value"] = mapped[keep].astype(str).to_numpy()
    out["evidence"] = _side(df, layout.evidence.get(q.id), out.index)
    out["comment"] = _side(df, layout.notes.get(q.id), out.index)
    out["_row"] = sub.loc[keep, "_row"].to_numpy()
    out["_col"] = header
    out["_cell"] = cells[keep].to_numpy()
    return out[LONG_COLUMNS].reset_index(drop=True)


def _side(df: pd.DataFrame, col: str | None, rows: pd.Index) -> Any:
    return df.loc[rows, col].to_numpy() if col else ""
