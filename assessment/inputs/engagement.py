"""An assessment is an engagement, not a calendar day (issue 14).

Six respondents answer over a week or two; their submissions are one assessment.  Answers are
grouped per client:

* by the ``assessment`` column where it is given (an id the consultant chooses, such as
  ``2025-spring``): all answers with that id are one assessment, whatever their dates;
* otherwise by a window: submission days of one client that follow each other by at most
  :data:`WINDOW_DAYS` days are one assessment (so a yearly re-assessment stays apart).

An assessment is dated by its last submission day: ``date`` in the answers becomes that day
(the scoring engine keys assessments by client and date), and ``submitted`` keeps each
answer's own day.  When one respondent answered the same question twice within an assessment
(a form submitted again), the later answer counts and a warning names the earlier one.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["WINDOW_DAYS", "group_assessments"]

#: Submission days at most this many days apart belong to one assessment (without an id).
WINDOW_DAYS = 45
#: Examples named in one warning.
_SHOWN = 3


def _assessment_days(pairs: pd.DataFrame, window: int) -> pd.Series:
    """For distinct ``(client, day, assessment)`` rows: the day their assessment is dated by.

    Works on the distinct rows only (a client has a few submission days, not a row per
    answer), sorted once: a new assessment starts where a client changes or the gap to the
    previous day exceeds ``window``.
    """
    by_id = pairs["assessment"] != ""
    out = pd.Series("", index=pairs.index, dtype=object)
    if by_id.any():
        ided = pairs.loc[by_id]
        out[by_id] = ided.groupby(["client_id", "assessment"])["day"].transform("max")
    rest = pairs.loc[~by_id].sort_values(["client_id", "day"])
    if len(rest):
        when = pd.to_datetime(rest["day"], format="%Y-%m-%d", errors="coerce")
        gap = when.diff().dt.days
        new = (rest["client_id"] != rest["client_id"].shift()) | ~(gap <= window)
        group = new.cumsum()
        out[rest.index] = rest["day"].groupby(group).transform("max")
    return out


def group_assessments(
    answers: pd.DataFrame, window: int = WINDOW_DAYS
) -> tuple[pd.DataFrame, list[str]]:
    """``answers`` with ``date`` the assessment's date and ``submitted`` each answer's day.

    Returns the answers (resubmitted answers replaced by the later one) and the warnings.
    """
    out = answers.reset_index(drop=True)  # positions: a frame may repeat index labels
    keys = pd.DataFrame(
        {
            "client_id": out["client_id"].astype(str),
            "day": out["date"].astype(str),
            "assessment": out["assessment"].astype(str),
        }
    )
    pairs = keys.drop_duplicates().reset_index(drop=True)
    pairs["dated"] = _assessment_days(pairs, window)
    dated = keys.merge(pairs, on=["client_id", "day", "assessment"], how="left")["dated"]
    out["submitted"] = keys["day"].to_numpy()
    # Ordered (ISO days sort as dates): "the latest assessment" is a max, also per group.
    days = dated.to_numpy()
    out["date"] = pd.Categorical(days, categories=sorted(pd.unique(days)), ordered=True)
    warnings = _spread_warnings(out, window) + _merged_ids(pairs)
    out, replaced = _latest_answers(out)
    return out, warnings + replaced


def _spread_warnings(out: pd.DataFrame, window: int) -> list[str]:
    """A note per assessment whose answers were submitted on several days."""
    notes = []
    keys = out[["client_id", "date", "submitted", "assessment"]].astype(str).drop_duplicates()
    for (client, date), group in keys.groupby(["client_id", "date"], sort=True):
        days = sorted(group["submitted"].unique())
        if len(days) < 2:
            continue
        how = (
            f"assessment {group['assessment'].iloc[0]!r}"
            if (group["assessment"] != "").all()
            else f"submissions at most {window} days apart"
        )
        notes.append(
            f"{client}: answers submitted on {len(days)} days ({days[0]} to {days[-1]}) are one "
            f"assessment, dated {date} ({how}); none is dropped"
        )
    return notes


def _merged_ids(pairs: pd.DataFrame) -> list[str]:
    """Two assessment ids of one client whose last days coincide are scored as one: say so."""
    ided = pairs.loc[pairs["assessment"] != ""]
    ids = ided.groupby(["client_id", "dated"])["assessment"].unique()
    return [
        f"{client}: assessments {', '.join(map(repr, sorted(names)))} both end on {day} and are "
        "scored as one; an assessment is keyed by its client and last day"
        for (client, day), names in ids.items()
        if len(names) > 1
    ]


def _latest_answers(out: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Keep each respondent's latest answer to a question within an assessment; say which."""
    key = ["client_id", "date", "respondent", "indicator_id"]
    ordered = out.sort_values("submitted", kind="stable")
    dup = ordered.duplicated(key, keep="last")
    if not dup.any():
        return out, []
    dropped = ordered.loc[dup]
    shown = ", ".join(
        f"{r.respondent!r} on {r.indicator_id} ({r.submitted}, {r.file} row {r.row})"
        for r in dropped.head(_SHOWN).itertuples()
    )
    more = f" and {len(dropped) - _SHOWN} more" if len(dropped) > _SHOWN else ""
    warning = (
        f"{len(dropped)} answer(s) were given again later in the same assessment; the later "
        f"answer counts, not the earlier: {shown}{more}"
    )
    kept = out.loc[~out.index.isin(dropped.index)]
    return kept, [warning]
