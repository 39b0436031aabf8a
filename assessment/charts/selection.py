"""Which assessment a chart draws: resolving ``client_id``/``date`` and picking its rows.

Pure functions of a :class:`~assessment.scoring.ScoreResult` (or its tables) returning
DataFrames; the chart modules build their data from these and only then draw.
"""

from __future__ import annotations

import pandas as pd

from assessment.scoring import ScoreResult, respondent_levels

__all__ = ["assessment_rows", "dimension_rows", "respondent_table", "select_assessment"]


def select_assessment(
    result: ScoreResult, client_id: str | None, date: str | None
) -> tuple[str, str]:
    """Resolve one assessment: the only client when there is one, its latest date by default.

    Parameters
    ----------
    result
        A scored result.
    client_id, date
        The assessment asked for; ``None`` for the default.

    Returns
    -------
    tuple of str
        ``(client_id, date)`` of an assessment in ``result.overall``.

    Raises
    ------
    ValueError
        If ``client_id`` is omitted for a result of several clients, or the client or date
        has no scored assessment; the message lists the choices.
    """
    overall = result.overall
    if client_id is None:
        clients = sorted(overall["client_id"].unique())
        if len(clients) != 1:
            shown = ", ".join(map(str, clients[:8])) + (" ..." if len(clients) > 8 else "")
            raise ValueError(
                f"the result holds {len(clients)} clients; pass client_id= (one of {shown})"
            )
        client_id = str(clients[0])
    sub = overall.loc[overall["client_id"] == client_id]
    if sub.empty:
        raise ValueError(f"client {client_id!r} has no scored assessment in this result")
    if date is None:
        date = str(sub["date"].max())
    elif not (sub["date"] == date).any():
        dates = ", ".join(sorted(map(str, sub["date"])))
        raise ValueError(f"client {client_id!r} has no assessment on {date!r} (dates: {dates})")
    return client_id, date


def assessment_rows(table: pd.DataFrame, client_id: str, date: str) -> pd.DataFrame:
    """The rows of ``table`` (any result table) that belong to one assessment."""
    return table.loc[(table["client_id"] == client_id) & (table["date"] == date)]


def dimension_rows(table: pd.DataFrame, client_id: str | None, date: str | None) -> pd.DataFrame:
    """The rows of one assessment from a ``dimensions``-like table.

    Parameters
    ----------
    table
        Rows of ``result.dimensions``, for one or several assessments.
    client_id, date
        Narrow ``table`` to this client and date where it has those columns.

    Raises
    ------
    ValueError
        If ``table`` has no ``dimension_id`` column or still holds several assessments.
    """
    if "dimension_id" not in table:
        raise ValueError("the table needs a 'dimension_id' column (rows of result.dimensions)")
    if client_id is not None and "client_id" in table:
        table = table.loc[table["client_id"] == client_id]
    if date is not None and "date" in table:
        table = table.loc[table["date"] == date]
    if table["dimension_id"].duplicated().any():
        raise ValueError(
            "the table holds several assessments; pass client_id= and date= to pick one"
        )
    return table


def respondent_table(result: ScoreResult, client_id: str, date: str) -> pd.DataFrame:
    """Each respondent's level per indicator in one assessment (NaN for an ``NA`` answer).

    Step 1 of the scoring method, from :func:`~assessment.scoring.respondent_levels`.

    Returns
    -------
    pandas.DataFrame
        One row per answer, in answer order: ``respondent``, ``indicator_id``, ``is_na``,
        ``level``.
    """
    answers = assessment_rows(result.answers, client_id, date)
    level = respondent_levels(answers, result.rubric)
    return pd.DataFrame(
        {
            "respondent": answers["respondent"].astype(str).to_numpy(),
            "indicator_id": answers["indicator_id"].astype(str).to_numpy(),
            "is_na": answers["is_na"].to_numpy(dtype=bool),
            "level": level,
        }
    )
