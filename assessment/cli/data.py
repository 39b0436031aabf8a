"""``maturity validate`` and ``maturity score``: check the data files, score every client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from assessment.cli.common import (
    clients_option,
    echo,
    errors_out_option,
    load_run,
    peers_option,
    records,
    rubric_option,
    samples_option,
    survey_options,
    targets_option,
    with_samples,
)
from assessment.cli.ranking import ranked, rubric_header

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd

__all__ = ["history_notes", "score", "validate"]

_ANSWERS = click.argument("answers", nargs=-1, type=click.Path(dir_okay=False))


@click.command()
@rubric_option
@clients_option
@targets_option
@samples_option
@errors_out_option
@survey_options
@_ANSWERS
def validate(
    rubric_ref: str,
    clients: str | None,
    targets: str | None,
    samples: bool,
    answers: tuple[str, ...],
    survey: dict[str, Any],
) -> None:
    """Check answer files (and clients/targets) against the rubric; report every problem."""
    answers, files = with_samples(samples, answers, clients=clients, targets=targets)
    rubric, data = load_run(rubric_ref, answers, files["clients"], files["targets"], survey=survey)
    df = data.answers
    n_assess = df[["client_id", "date"]].drop_duplicates().shape[0]
    # People, not names: "CMO" answering for 8,000 clients is 8,000 respondents.
    people = df[["client_id", "respondent"]].drop_duplicates().shape[0]
    echo(
        f"ok: {len(df)} answers from {people} respondents, "
        f"{df['client_id'].nunique()} clients, {n_assess} assessments "
        f"(rubric {rubric.id} {rubric.version})"
    )
    if data.clients is not None:
        missing = sorted(set(data.clients["client_id"]) - set(df["client_id"]))
        if missing:
            echo(f"note: clients without answers: {', '.join(missing)}")


def history_notes(answers: pd.DataFrame) -> list[str]:
    """What the score (each client's latest assessment) leaves out: earlier assessments.

    Never silent (issue 14): the answers of a client's earlier assessments are its history
    (the report's progress section), not this table; one line says how many and which.
    """
    days = answers["date"].astype(str).groupby(answers["client_id"], observed=True).transform("max")
    earlier = answers.loc[answers["date"].astype(str) != days.astype(str)]
    if earlier.empty:
        return []
    which = earlier[["client_id", "date"]].astype(str).drop_duplicates().sort_values("client_id")
    named = ", ".join(f"{c} {d}" for c, d in which.head(5).itertuples(index=False))
    more = f" and {len(which) - 5} more" if len(which) > 5 else ""
    return [
        f"{len(earlier)} answer(s) of {len(which)} earlier assessment(s) are not in this score, "
        f"which is each client's latest assessment: {named}{more} (reports show them as "
        "progress)"
    ]


def _table_text(summary: pd.DataFrame, client_df: pd.DataFrame | None) -> str:
    view = summary.copy()
    if client_df is not None:
        view.insert(1, "name", view["client_id"].map(client_df.set_index("client_id")["name"]))
    view["index"] = view["index"].round(1)
    view["coverage"] = (100 * view["coverage"]).round(0).astype("Int64").astype(str) + "%"
    cols = [
        c
        for c in [
            "client_id",
            "name",
            "date",
            "index",
            "level",
            "level_name",
            "rank",
            "count_2007",
            "weakest_link",
            "top_gap",
            "coverage",
        ]
        if c in view
    ]
    return view[cols].rename(columns={"count_2007": "2007 count"}).to_string(index=False)


def _write_xlsx(path: Path, result: Any, summary: pd.DataFrame | None = None) -> None:
    from assessment.files import write_xlsx  # local: keeps --help fast

    sheets = {
        "summary": result.summary() if summary is None else summary,
        "dimensions": result.dimensions,
        "indicators": result.indicators,
        "recommendations": result.recommendations,
        "benchmark": result.benchmark,
    }
    write_xlsx(path, sheets)  # no text cell can become a formula


@click.command()
@rubric_option
@clients_option
@targets_option
@peers_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "xlsx"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Write to this file instead of standard output (required for xlsx).",
)
@click.option(
    "--aggregate",
    type=click.Choice(["median", "mean", "trimmed"]),
    default="median",
    show_default=True,
    help="How respondents' answers are combined per indicator.",
)
@click.option(
    "--missing",
    type=click.Choice(["exclude", "lowest"]),
    default="exclude",
    show_default=True,
    help="Unanswered indicators: leave out, or score as level 1.",
)
@click.option(
    "--evidence",
    type=click.Choice(["trust", "cap"]),
    default="trust",
    show_default=True,
    help="cap: an indicator whose answers carry no evidence counts below the first level "
    "whose evidence the rubric requires.",
)
@samples_option
@errors_out_option
@survey_options
@_ANSWERS
def score(
    rubric_ref: str,
    clients: str | None,
    targets: str | None,
    peers: str | None,
    fmt: str,
    out: str | None,
    aggregate: str,
    missing: str,
    evidence: str,
    samples: bool,
    answers: tuple[str, ...],
    survey: dict[str, Any],
) -> None:
    """Score every client (latest assessment) and print or save the results.

    csv and json hold one record per client with client_id, index (0-100), level,
    count_2007 and one column per dimension id (its 1-5 score).  xlsx adds sheets with
    dimensions, indicators, recommendations and the peer benchmark.
    """
    if fmt == "xlsx" and not out:
        raise click.UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
    answers, files = with_samples(samples, answers, clients=clients, targets=targets, peers=peers)
    # local: usage errors come first, at once
    from assessment.files import atomic_write_text, csv_text
    from assessment.scoring import score as run_score

    rubric, data = load_run(rubric_ref, answers, survey=survey, **files)
    for note in history_notes(data.answers):
        echo(f"warning: {note}", err=True)
    result = run_score(
        rubric,
        data.answers,
        clients=data.clients,
        peers=data.peers,
        targets=data.targets,
        aggregate=aggregate,
        missing=missing,
        evidence=evidence,
    )
    summary = ranked(result.summary(), rubric)  # names the rubric, ranks the clients
    if fmt == "xlsx":
        _write_xlsx(Path(out), result, summary)  # type: ignore[arg-type]
        echo(f"wrote {out}", err=True)
        return
    if fmt == "table":
        text = rubric_header(rubric) + "\n" + _table_text(summary, data.clients) + "\n"
    elif fmt == "csv":
        text = csv_text(summary, line_end="\r\n" if out else "\n")  # no cell is a formula
    else:
        text = json.dumps(records(summary), ensure_ascii=False, indent=2) + "\n"
    if out:
        atomic_write_text(out, text)
        echo(f"wrote {out}", err=True)
    else:
        echo(text, nl=False)
