"""Interchange between the workshop store and the long answers format.

:func:`export_answers` gives a workshop as the long answers format (``client_id, date,
respondent, role, indicator_id, value, comment``), so scores, charts and reports work on
workshop data unchanged; :func:`import_answers` reads that format back in as votes.  Both use
only the :class:`~assessment.workshop.store.Store`'s public methods; the store offers them as
methods of the same names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from assessment.exceptions import DataValidationError, InputError, ParameterError
from assessment.inputs import ANSWER_COLUMNS, ERROR_COLUMNS, Reason, answers_from_frame
from assessment.limits import PROBLEMS_SHOWN
from assessment.text import strip_controls
from assessment.workshop.records import (
    CONSENSUS_RESPONDENT,
    CONSENSUS_ROLE,
    MAX_NAME,
    clean_text,
)

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.rubric import Rubric
    from assessment.workshop.records import Workshop
    from assessment.workshop.store import Store

__all__ = ["answers", "export_answers", "export_targets", "import_answers"]

#: Columns of one workshop's answers before ``client_id`` and ``date`` are added.
_PERSON_COLUMNS = ["respondent", "role", "indicator_id", "value", "comment"]


def export_answers(store: Store, workshop_id: int, *, source: str = "votes") -> pd.DataFrame:
    """The workshop in the long answers format (all text, ready for ``answers_from_frame``).

    Parameters
    ----------
    store, workshop_id
        The workshop.
    source
        ``"votes"``: each participant's latest vote per indicator (NA votes included);
        ``"agreed"``: the agreed answers, one respondent (:data:`CONSENSUS_RESPONDENT`),
        with the facilitator's note as the comment.

    Returns
    -------
    pandas.DataFrame
        Columns ``client_id, date, respondent, role, indicator_id, value, comment``.

    Raises
    ------
    ParameterError
        For another ``source``.
    """

    w = store.workshop(workshop_id)
    if source == "votes":
        votes = store.votes(workshop_id)
        frame = votes[_PERSON_COLUMNS].copy()
    elif source == "agreed":
        notes = store.notes(workshop_id)
        frame = pd.DataFrame(
            [
                (CONSENSUS_RESPONDENT, CONSENSUS_ROLE, i, v, notes.get(i, ""))
                for i, v in store.agreed(workshop_id).items()
            ],
            columns=_PERSON_COLUMNS,
        )
    else:
        raise ParameterError(f"source must be 'votes' or 'agreed'; found {source!r}")
    frame.insert(0, "client_id", w.client_id)
    frame.insert(1, "date", w.date)
    order = {ind.id: k for k, (_, ind) in enumerate(store.rubric(workshop_id).iter_indicators())}
    frame = frame.assign(_order=frame["indicator_id"].map(order))
    frame = frame.sort_values(["respondent", "_order"], kind="stable")
    return frame[ANSWER_COLUMNS].reset_index(drop=True).astype("str")


def answers(store: Store, workshop_id: int, *, source: str = "votes") -> pd.DataFrame:
    """:func:`export_answers`, validated by :func:`~assessment.inputs.answers_from_frame`.

    Parameters
    ----------
    store, workshop_id
        The workshop.
    source
        ``"votes"`` or ``"agreed"`` (see :func:`export_answers`).

    Returns
    -------
    pandas.DataFrame
        Validated answers, ready for :func:`assessment.scoring.score`.
    """

    return answers_from_frame(
        export_answers(store, workshop_id, source=source),
        store.rubric(workshop_id),
        source=f"workshop #{workshop_id} ({source})",
    )


def export_targets(store: Store, workshop_id: int, profile_id: str) -> pd.DataFrame:
    """Agreed targets as a target-profile table (``profile_id, dimension_id, target``).

    Parameters
    ----------
    store, workshop_id
        The workshop.
    profile_id
        The id the profile gets.

    Returns
    -------
    pandas.DataFrame
        One row per dimension with an agreed target.
    """
    targets = store.targets(workshop_id)
    return pd.DataFrame(
        {
            "profile_id": profile_id,
            "dimension_id": list(targets),
            "target": list(targets.values()),
        },
        columns=["profile_id", "dimension_id", "target"],
    )


def import_answers(store: Store, frame: pd.DataFrame, rubric: Rubric) -> list[Workshop]:
    """Load answers in the long (or wide) format as votes, one workshop per assessment.

    The answers and the respondents' names are validated first (every problem is reported),
    and everything is written in one transaction: on any error nothing is written.  Names are
    a workshop's participants, which are unique case-insensitively: ``Layla`` and ``layla`` in
    one assessment are refused rather than merged into one person, and so are names with
    control characters.  An assessment that already has a workshop gets the votes added to
    it; the workshop's rubric must be the same rubric.

    Parameters
    ----------
    store
        The store written to.
    frame
        Answers, as :func:`~assessment.inputs.answers_from_frame` accepts them.
    rubric
        The rubric they answer.

    Returns
    -------
    list of Workshop
        The workshops written to, in ``(client_id, date)`` order.

    Raises
    ------
    DataValidationError
        When the answers or the respondents' names have problems (all of them are listed).
    InputError
        When an existing workshop of an assessment uses another rubric.
    """

    checked = answers_from_frame(frame, rubric, source="import")
    _check_respondents(checked)
    keys = checked[["client_id", "date"]].astype(str).drop_duplicates()
    keys = keys.sort_values(["client_id", "date"])
    with store.transaction():  # all assessments, or none (issue 18)
        return [_import_one(store, checked, rubric, c, d) for c, d in keys.itertuples(index=False)]


def _import_one(
    store: Store, checked: pd.DataFrame, rubric: Rubric, client_id: str, day: str
) -> Workshop:
    """Write one assessment's answers as votes (inside the import's transaction)."""
    w = _workshop_for(store, client_id, day, rubric)
    mine = checked.loc[
        (checked["client_id"].astype(str) == client_id) & (checked["date"].astype(str) == day)
    ]
    people = mine[["respondent", "role"]].drop_duplicates("respondent")
    joined = {r: store.join(w.id, r, role) for r, role in people.itertuples(index=False)}
    votes = [
        (joined[r], str(i), v, str(c))
        for r, i, v, c in mine[["respondent", "indicator_id", "value", "comment"]].itertuples(
            index=False
        )
    ]
    store.add_votes(w.id, votes)
    return store.workshop(w.id)


def _check_respondents(checked: pd.DataFrame) -> None:
    """Refuse names that are not a participant's name as they stand, with every problem.

    Checked per assessment: empty or too long once cleaned, control characters, and two
    spellings of one participant (the store compares names case-insensitively).
    """
    problems = []
    people = checked[["client_id", "date", "respondent", "row"]].astype(str)
    people = people.drop_duplicates(["client_id", "date", "respondent"])
    for (_, _), group in people.groupby(["client_id", "date"], sort=False):
        seen: dict[str, str] = {}
        for name, row in zip(group["respondent"], group["row"], strict=True):
            try:
                clean = clean_text(name, "respondent name", limit=MAX_NAME, required=True)
            except ParameterError as exc:
                problems.append([row, name, Reason.MISSING_VALUE, str(exc)])
                continue
            if strip_controls(name) != name:
                problems.append(
                    [
                        row,
                        name,
                        Reason.UNSAFE_ID,
                        "respondent name has control characters; type the name as it should appear",
                    ]
                )
                continue
            other = seen.setdefault(clean.casefold(), name)
            if other != name:
                problems.append(
                    [
                        row,
                        name,
                        Reason.DUPLICATE_ID,
                        f"respondent {name!r} and "
                        f"{other!r} would be one participant (names are compared "
                        "without case): spell each person one way",
                    ]
                )
    if problems:
        errors = pd.DataFrame(
            [["import", int(r), "respondent", v, str(k), m] for r, v, k, m in problems],
            columns=ERROR_COLUMNS,
        ).astype({"row": "Int64"})
        raise DataValidationError(
            f"{len(errors)} problem(s) with respondents' names; nothing was imported:",
            errors,
            PROBLEMS_SHOWN.value,
        )


def _workshop_for(store: Store, client_id: str, day: str, rubric: Rubric) -> Workshop:
    """The workshop of ``(client_id, day)``, created when missing; it must use ``rubric``."""
    w = store.find_workshop(client_id, day)
    if w is None:
        return store.create_workshop(client_id, rubric, date=day)
    if w.rubric_hash != rubric.content_hash:
        raise InputError(
            f"workshop #{w.id} ({client_id} {day}) uses rubric {w.rubric_id} "
            f"{w.rubric_version} ({w.rubric_hash[:12]}); the answers were checked "
            f"against {rubric.id} {rubric.version} ({rubric.content_hash[:12]})"
        )
    return w
