"""Answers: load, validate and normalise answer files, long or wide (survey exports).

Answers come in two shapes:

* **long** (tidy): ``client_id, date, respondent, role, indicator_id, value, comment`` — one row
  per answer;
* **wide**: one row per submission, one column per question: ``client_id, date, respondent,
  role`` and one column per indicator id, or any survey tool's export (Google Forms, Microsoft
  Forms, KoboToolbox, SurveyMonkey), mapped by :mod:`assessment.inputs.surveys`; an empty cell
  is "not answered";
* the fillable **questionnaire workbook** (:mod:`assessment.inputs.questionnaires`).

An optional ``assessment`` column names the engagement answers belong to; without it,
submissions close in time are one assessment (:mod:`assessment.inputs.engagement`).  "Don't
know" counts as not answered, and a warning says how many there were.

``value`` is a level (``1``..``n``) for anchored indicators, a number for measured ones and for
the rubric's facts (which computed indicators derive from), ``yes``/``no`` for boolean ones, or
``NA`` (not applicable) where the rubric allows it.  An optional ``evidence`` column holds a
reference to what backs an answer (a document, an export, a link); ``--evidence cap`` scores
unevidenced answers below the levels whose evidence the rubric requires.  The ``role`` column
is matched to the rubric's roles, which decide who is asked what.  The
checks run by families (who and when, which indicator, what value); every problem of every file
is collected before one :class:`~assessment.exceptions.DataValidationError` is raised.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from assessment.inputs.asked import not_asked_warnings
from assessment.inputs.engagement import WINDOW_DAYS, group_assessments
from assessment.inputs.ids import _reserved_messages, _safe_id_mask
from assessment.inputs.questionnaires import (
    is_questionnaire_workbook,
    read_questionnaire_workbook,
)
from assessment.inputs.surveys import METADATA, SurveyDefaults, survey_to_long
from assessment.inputs.tables import (
    Reason,
    _Errors,
    _per_unique,
    _require,
    file_sha256,
    read_table,
)
from assessment.inputs.tokens import NA_TOKENS, NO_TOKENS, YES_TOKENS
from assessment.limits import SUGGESTIONS
from assessment.questionnaire import DONT_KNOW_TOKENS, normalise_text

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = [
    "ANSWER_COLUMNS",
    "FORM_METADATA_COLUMNS",
    "NA_TOKENS",
    "NO_TOKENS",
    "WIDE_ID_COLUMNS",
    "YES_TOKENS",
    "answers_from_frame",
    "load_answers",
]

#: Columns of the long answers format, in order.
ANSWER_COLUMNS = ["client_id", "date", "respondent", "role", "indicator_id", "value", "comment"]
#: Identifying columns of the wide (survey export) format.
WIDE_ID_COLUMNS = ["client_id", "date", "respondent", "role"]
#: Columns that survey tools add to exports and that carry no answer.
FORM_METADATA_COLUMNS = METADATA


def load_answers(
    paths: str | Path | Iterable[str | Path],
    rubric: Rubric,
    *,
    clients: pd.DataFrame | None = None,
    defaults: SurveyDefaults | None = None,
    window: int = WINDOW_DAYS,
) -> pd.DataFrame:
    """Load, validate and normalise answer files (long, wide, survey exports, workbooks).

    Parameters
    ----------
    paths
        One or more files; their answers are concatenated.
    rubric
        The rubric the answers refer to.
    clients
        Optional clients table (from :func:`load_clients`); when given, unknown client ids are
        errors.
    defaults
        The client (and assessment) of files that do not name one: a form made for one client.
    window
        Days: submissions of one client at most this far apart are one assessment, when no
        ``assessment`` column says which.

    Returns
    -------
    pandas.DataFrame
        One row per answer with ``client_id, date, respondent, role, indicator_id, value,
        comment, evidence`` (``date``: the assessment's date, its last submission day),
        ``assessment`` and ``submitted`` (the answer's own day) plus ``role_id`` (the rubric
        role; empty when the role column names none), ``dimension_id`` (empty for facts),
        ``kind`` (``fact`` for facts), ``number``
        (the level for anchored and boolean answers, the value for measured ones and facts,
        NaN for N/A), ``is_na``, ``file`` and ``row``.  ``attrs["sources"]`` maps each file to
        its SHA-256; ``attrs["warnings"]`` lists what scores but deserves a look (an indicator
        nobody in an assessment was asked, for one).

    Raises
    ------
    DataValidationError
        Listing every problem in every file.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    paths = list(paths)
    errs = _Errors()
    frames = []
    sources: dict[str, str] = {}
    notes: list[str] = []
    for path in paths:
        name = str(path)
        if is_questionnaire_workbook(path):
            long = read_questionnaire_workbook(path, rubric, name, errs)
        else:
            df = read_table(path, errs)
            long = None if df is None else _to_long(df, rubric, name, errs, defaults)
        if long is None:
            continue
        sources[name] = file_sha256(path)
        notes += long.attrs.get("warnings", [])
        long, note = _without_dont_know(long, name)
        notes += note
        if len(long):
            frames.append(_validate_answers(long, rubric, name, errs, clients))
    if not paths:
        errs.add("<answers>", Reason.FILE_NOT_FOUND, "no answer files given")
    if not frames:
        if not errs:
            errs.add(", ".join(map(str, paths)), Reason.EMPTY_FILE, "no answers")
        errs.raise_if_any("the answers")
    return _finish(
        pd.concat(frames, ignore_index=True), rubric, errs, clients, window, notes, sources
    )


def _finish(
    out: pd.DataFrame,
    rubric: Rubric,
    errs: _Errors,
    clients: pd.DataFrame | None,
    window: int,
    notes: list[str],
    sources: dict[str, str],
) -> pd.DataFrame:
    """Checks across files, then the answers grouped into assessments, with every warning."""
    _check_duplicates(out, errs)
    if clients is None:  # with a clients table, ids must match it exactly
        _check_case_conflicts(out, errs)
    errs.raise_if_any("the answers")
    out, grouped = group_assessments(out, window)
    out = out.reset_index(drop=True)
    out.attrs["sources"] = sources
    out.attrs["warnings"] = [*notes, *grouped, *not_asked_warnings(out, rubric)]
    return out


def _without_dont_know(long: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Drop "don't know" answers (they count as not answered) and say how many there were."""
    dk = _per_unique(
        long["value"].astype(str), lambda u: u.map(normalise_text).isin(DONT_KNOW_TOKENS)
    ).astype(bool)
    if not dk.any():
        return long, []
    kept = long.loc[~dk].reset_index(drop=True)
    kept.attrs = dict(long.attrs)
    return kept, [
        f'{name}: {int(dk.sum())} answer(s) were "don\'t know"; they count as not answered '
        "(coverage shows them)"
    ]


def _check_case_conflicts(out: pd.DataFrame, errs: _Errors) -> None:
    """Flag client ids that differ only in case (one folder on a case-insensitive disk).

    One problem per distinct spelling, at the row where it first appears.
    """
    first = out.drop_duplicates("client_id")[["client_id", "file", "row"]]
    ids = first["client_id"].astype(str)
    low = ids.str.lower()
    clash = low.duplicated()
    if not clash.any():
        return
    spelled = dict(zip(low[~clash], ids[~clash], strict=True))
    for cid, lo, file, row in zip(
        ids[clash], low[clash], first.loc[clash, "file"], first.loc[clash, "row"], strict=True
    ):
        errs.add(
            str(file),
            Reason.DUPLICATE_ID,
            f"client id differs from {spelled[lo]!r} only in upper/lower case; on a "
            "case-insensitive disk both would be one report folder: spell it one way",
            row=int(row),
            column="client_id",
            value=cid,
        )


def _check_duplicates(out: pd.DataFrame, errs: _Errors) -> None:
    """Flag repeated answers (same assessment, respondent and indicator), across files too."""
    dup = out.duplicated(["client_id", "date", "respondent", "indicator_id"], keep="first")
    if dup.any():
        # Across files, too: the same answer given twice is ambiguous, not a vote.
        first = out.loc[~dup].set_index(["client_id", "date", "respondent", "indicator_id"])
        keys = pd.MultiIndex.from_frame(
            out.loc[dup, ["client_id", "date", "respondent", "indicator_id"]]
        )
        where = first.loc[keys, ["file", "row"]]
        msg = pd.Series(
            [
                f"duplicate answer for respondent {r!r} on {i!r} (first given in {f}, row {w})"
                for r, i, f, w in zip(
                    out.loc[dup, "respondent"],
                    out.loc[dup, "indicator_id"],
                    where["file"],
                    where["row"],
                    strict=True,
                )
            ],
            index=out.index[dup],
        )
        for fname, grp in out.loc[dup].groupby("file", sort=False):
            sub = grp.rename(columns={"row": "_row"})
            errs.add_mask(
                str(fname),
                sub,
                pd.Series(True, index=sub.index),
                Reason.DUPLICATE_ANSWER,
                "indicator_id",
                msg.loc[sub.index],
            )


def answers_from_frame(
    frame: pd.DataFrame,
    rubric: Rubric,
    *,
    clients: pd.DataFrame | None = None,
    source: str = "<frame>",
    window: int = WINDOW_DAYS,
) -> pd.DataFrame:
    """Validate and normalise answers already in memory (long or wide shape).

    The same checks as :func:`load_answers`, for answers that come from a workshop store,
    a widget or a test rather than a file.  ``source`` names the origin in error messages.

    Raises
    ------
    DataValidationError
        Listing every problem.
    """
    errs = _Errors()
    df = frame.copy()
    df.columns = [str(c).strip().lower() for c in df.columns]
    # pandas 3 keeps missing values missing through astype(str); make them empty strings.
    df = df.astype(object).where(df.notna(), "").astype(str)
    df = df.apply(lambda col: _per_unique(col, lambda u: u.str.strip()).astype("str"))
    df["_row"] = range(2, len(df) + 2)
    df.attrs["headers"] = {c: c for c in df.columns if c != "_row"}
    df.attrs["positions"] = {c: k for k, c in enumerate(df.columns) if c != "_row"}
    long = _to_long(df, rubric, source, errs) if len(df) else None
    notes: list[str] = []
    if long is not None:
        long, notes = _without_dont_know(long, source)
    if long is None or not len(long):
        if not errs:
            errs.add(source, Reason.EMPTY_FILE, "no answers")
        errs.raise_if_any("the answers")
    out = _validate_answers(long, rubric, source, errs, clients)
    return _finish(out, rubric, errs, clients, window, notes, {})


def _to_long(
    df: pd.DataFrame,
    rubric: Rubric,
    name: str,
    errs: _Errors,
    defaults: SurveyDefaults | None = None,
) -> pd.DataFrame | None:
    """Detect the shape; turn a wide file or a survey export into long form."""
    if "indicator_id" in df.columns or "value" in df.columns:
        if not _require(df, ANSWER_COLUMNS[:-1], name, errs):
            return None
        for optional in ("comment", "evidence", "assessment"):
            if optional not in df.columns:
                df = df.assign(**{optional: ""})
        return df[[*ANSWER_COLUMNS, "evidence", "assessment", "_row"]]
    return survey_to_long(df, rubric, name, errs, defaults)


def _suggest(value: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _suggestions(values: pd.Series, options: Iterable[str]) -> dict[str, str]:
    """:func:`_suggest` for each distinct value (the first ones only; see the limit).

    83,630 rows naming two misspelled ids took 101 s with a suggestion per row (issue 18):
    the suggestion depends on the value only.
    """
    choices = list(options)
    distinct = pd.unique(values.astype(str))
    limit = SUGGESTIONS.value
    return {v: _suggest(v, choices) if k < limit else "" for k, v in enumerate(distinct)}


def _validate_answers(
    df: pd.DataFrame, rubric: Rubric, name: str, errs: _Errors, clients: pd.DataFrame | None
) -> pd.DataFrame:
    """Check long-form answers, family by family, and return them normalised.

    The families run in a fixed order (who and when, which indicator, what value), so the
    problems of one row are always listed in the same order.  Booleans become their level and
    NA answers NaN in ``number`` (see :func:`load_answers`).
    """
    df = df.copy()
    _check_identity(df, name, errs, clients)
    _normalise_dates(df, name, errs)
    known = _check_indicator_ids(df, rubric, name, errs)

    meta = rubric.indicator_table.reindex(df["indicator_id"])
    kind = pd.Series(meta["kind"].to_numpy(), index=df.index)
    allow_na = pd.Series(meta["allow_na"].fillna(False).to_numpy(dtype=bool), index=df.index)
    parsed = _per_unique(df["value"], _parse_values)

    fact = df["indicator_id"].isin([f.id for f in rubric.facts])
    kind = kind.where(~fact, "fact")
    answered = _check_given(df, known, allow_na, parsed["is_na"], name, errs)
    _check_levels(df, answered & (kind == "anchored"), parsed["number"], rubric, name, errs)
    _check_measurements(df, answered & kind.isin(["measured", "fact"]), parsed, rubric, name, errs)
    _check_fact_ranges(df, answered & fact, parsed["number"], rubric, name, errs)
    boolean = answered & (kind == "boolean")
    yes, no = parsed["yes"], parsed["no"]
    errs.add_mask(name, df, boolean & ~(yes | no), Reason.NOT_YES_NO, "value", "expected yes or no")
    bool_level = np.where(yes, meta["yes_level"].to_numpy(), meta["no_level"].to_numpy())
    number = parsed["number"].where(~boolean, pd.Series(bool_level, index=df.index))
    number = number.where(~parsed["is_na"])
    return _normalised(df, meta, kind, number, parsed["is_na"], name, rubric)


def _check_identity(
    df: pd.DataFrame, name: str, errs: _Errors, clients: pd.DataFrame | None
) -> None:
    """Who and when: client id, date and respondent given; client ids safe and known."""
    for col in ("client_id", "date", "respondent"):
        errs.add_mask(name, df, df[col] == "", Reason.MISSING_VALUE, col, f"{col} is empty")

    has_id = df["client_id"] != ""
    errs.add_mask(
        name,
        df,
        has_id & ~_safe_id_mask(df["client_id"]),
        Reason.UNSAFE_ID,
        "client_id",
        "client id must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit",
    )
    reason = _reserved_messages(df["client_id"])
    errs.add_mask(
        name,
        df,
        has_id & _safe_id_mask(df["client_id"]) & (reason != ""),
        Reason.RESERVED_ID,
        "client_id",
        "client id cannot name a folder: " + reason,
    )
    if clients is not None:
        unknown = has_id & ~df["client_id"].isin(clients["client_id"])
        errs.add_mask(
            name,
            df,
            unknown,
            Reason.UNKNOWN_CLIENT,
            "client_id",
            "client id is not in the clients table",
        )


def _parse_dates(u: pd.Series) -> pd.Series:
    """``YYYY-MM-DD`` for each distinct date text, ``None`` where it is not a date."""
    day = u.str.extract(r"^(\d{4}-\d{2}-\d{2})(?:[ T].*)?$", expand=False)
    parsed = pd.to_datetime(day, format="%Y-%m-%d", errors="coerce")
    return parsed.dt.strftime("%Y-%m-%d").astype(object).where(parsed.notna(), None)


def _normalise_dates(df: pd.DataFrame, name: str, errs: _Errors) -> None:
    """Report dates that are not dates; rewrite the others as ``YYYY-MM-DD`` in place."""
    # Accept a date, or a date-time as Excel writes it; the day is what identifies an
    # assessment, so any time or time zone is dropped rather than converted.
    day = _per_unique(df["date"], _parse_dates)
    bad_date = (df["date"] != "") & day.isna()
    errs.add_mask(name, df, bad_date, Reason.BAD_DATE, "date", "expected a date as YYYY-MM-DD")
    df["date"] = day.where(day.notna(), df["date"]).astype("str")


def _answerable_ids(rubric: Rubric) -> list[str]:
    """Every id an answer may name: the indicators, then the facts."""
    return [*rubric.indicator_table.index, *(f.id for f in rubric.facts)]


def _check_indicator_ids(df: pd.DataFrame, rubric: Rubric, name: str, errs: _Errors) -> pd.Series:
    """Report indicator ids the rubric does not have; return the mask of known ones."""
    ids = _answerable_ids(rubric)
    known = df["indicator_id"].isin(ids)

    def msg(rows: pd.DataFrame) -> list[str]:
        hint = _suggestions(rows["indicator_id"], ids)
        return [
            f"unknown indicator {i!r} for rubric {rubric.id!r}{hint[i]}"
            for i in rows["indicator_id"]
        ]

    errs.add_mask(name, df, ~known, Reason.UNKNOWN_INDICATOR, "indicator_id", msg)
    return known


def _parse_values(u: pd.Series) -> pd.DataFrame:
    """What each distinct value text can mean: NA, yes, no, a number, or an ambiguous number."""
    low = u.str.lower()
    # "2,5" is how comma-decimal locales write 2.5; "1,000" could be a thousand or one, so
    # it is refused as ambiguous rather than guessed.
    ambiguous = u.str.fullmatch(r"-?\d{1,3}(,\d{3})+").astype(bool)
    decimal_comma = u.str.fullmatch(r"-?\d+,\d+").astype(bool) & ~ambiguous
    number = pd.to_numeric(
        u.where(~decimal_comma, u.str.replace(",", ".", regex=False)), errors="coerce"
    )
    return pd.DataFrame(
        {
            "is_na": low.isin(NA_TOKENS),
            "yes": low.isin(YES_TOKENS),
            "no": low.isin(NO_TOKENS),
            "ambiguous": ambiguous,
            "number": number.where(~ambiguous).astype("float64"),
        }
    )


def _check_given(
    df: pd.DataFrame,
    known: pd.Series,
    allow_na: pd.Series,
    is_na: pd.Series,
    name: str,
    errs: _Errors,
) -> pd.Series:
    """Report empty values and NA where it is not allowed; return the answers with a value.

    Only those are checked against their indicator's kind.
    """
    empty = df["value"] == ""
    errs.add_mask(
        name,
        df,
        known & empty,
        Reason.MISSING_VALUE,
        "value",
        "value is empty; give a level, a number, yes/no, or NA",
    )
    errs.add_mask(
        name,
        df,
        known & is_na & ~allow_na,
        Reason.NA_NOT_ALLOWED,
        "value",
        lambda rows: [f"indicator {i!r} does not allow NA" for i in rows["indicator_id"]],
    )
    return known & ~empty & ~is_na


def _check_levels(
    df: pd.DataFrame,
    anchored: pd.Series,
    number: pd.Series,
    rubric: Rubric,
    name: str,
    errs: _Errors,
) -> None:
    """Anchored answers: a whole level from 1 to the top of the scale."""
    n = rubric.n_levels
    errs.add_mask(
        name,
        df,
        anchored & number.isna(),
        Reason.NOT_A_LEVEL,
        "value",
        f"expected a level from 1 to {n}",
    )
    out_of_range = anchored & number.notna() & ~(number.between(1, n) & (number % 1 == 0))
    errs.add_mask(
        name,
        df,
        out_of_range,
        Reason.LEVEL_OUT_OF_RANGE,
        "value",
        f"expected a whole level from 1 to {n}",
    )


def _check_measurements(
    df: pd.DataFrame,
    measured: pd.Series,
    parsed: pd.DataFrame,
    rubric: Rubric,
    name: str,
    errs: _Errors,
) -> None:
    """Measured answers: a finite number, written unambiguously."""
    ambiguous, number = parsed["ambiguous"], parsed["number"]
    errs.add_mask(
        name,
        df,
        measured & ambiguous,
        Reason.NOT_A_NUMBER,
        "value",
        "ambiguous number: write it without a thousands separator (1000) or with a decimal "
        "point (1.5)",
    )
    bad_num = measured & ~ambiguous & (number.isna() | ~np.isfinite(number.fillna(0)))

    def msg(rows: pd.DataFrame) -> list[str]:
        # Once per distinct id: a file can repeat one bad measurement thousands of times.
        text = {i: _not_a_number(rubric, i) for i in pd.unique(rows["indicator_id"])}
        return [text[i] for i in rows["indicator_id"]]

    errs.add_mask(name, df, bad_num, Reason.NOT_A_NUMBER, "value", msg)


def _not_a_number(rubric: Rubric, indicator_id: str) -> str:
    """``indicator 'x' is measured: expected a number in hours`` (or ``fact 'y' ...``)."""
    try:
        unit, what = rubric.indicator(indicator_id).unit, f"indicator {indicator_id!r}"
    except KeyError:
        unit, what = rubric.fact(indicator_id).unit, f"fact {indicator_id!r}"
    return f"{what} is measured: expected a number" + (f" in {unit}" if unit else "")


def _check_fact_ranges(
    df: pd.DataFrame,
    facts: pd.Series,
    number: pd.Series,
    rubric: Rubric,
    name: str,
    errs: _Errors,
) -> None:
    """Facts: within the minimum and maximum the rubric declares (e.g. at most 168 hours)."""
    bounds = {f.id: (f.minimum, f.maximum, f.unit) for f in rubric.facts}
    low = df["indicator_id"].map(lambda i: (bounds.get(i) or (None,))[0]).astype("float64")
    high = df["indicator_id"].map(lambda i: (bounds.get(i) or (None, None))[1]).astype("float64")
    outside = facts & number.notna() & ((number < low) | (number > high))

    def msg(rows: pd.DataFrame) -> list[str]:
        out = []
        for i in rows["indicator_id"]:
            lo, hi, unit = bounds[i]
            span = f"{'' if lo is None else f'{lo:g}'} to {'' if hi is None else f'{hi:g}'}"
            out.append(
                f"fact {i!r} must be from {span.strip()} {unit}".replace("from  to", "up to")
            )
        return out

    errs.add_mask(name, df, outside, Reason.NOT_A_NUMBER, "value", msg)


def _normalised(
    df: pd.DataFrame,
    meta: pd.DataFrame,
    kind: pd.Series,
    number: pd.Series,
    is_na: pd.Series,
    name: str,
    rubric: Rubric,
) -> pd.DataFrame:
    """The checked answers in the normalised layout :func:`load_answers` documents."""
    out = pd.DataFrame(
        {
            "client_id": df["client_id"],
            "date": df["date"],
            "respondent": df["respondent"],
            "role": df["role"],
            "indicator_id": df["indicator_id"],
            "value": df["value"],
            "comment": df["comment"],
            "evidence": df["evidence"],
            # The rubric role the role column names ("" when it names none: asked everything).
            "role_id": _per_unique(df["role"], lambda u: u.map(lambda r: rubric.role_id(r) or "")),
            "dimension_id": pd.Series(meta["dimension_id"].fillna("").to_numpy(), index=df.index),
            "kind": kind,
            "number": number.astype("float64"),
            "is_na": is_na.to_numpy(dtype=bool),
            "file": name,
            "row": df["_row"].astype("int64"),
            "assessment": df["assessment"].astype(str),
        }
    )
    # Categorical ids: the scoring engine reuses their integer codes instead of hashing
    # millions of strings again.
    for col in ("client_id", "date", "indicator_id"):
        out[col] = out[col].astype("category")
    return out
