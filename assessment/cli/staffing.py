"""``maturity staffing``: how many people a social care desk needs (Erlang C), and the FTE."""

from __future__ import annotations

import json

import click

from assessment.cli.common import echo, records

__all__ = ["staffing"]


@click.command()
@click.option(
    "--messages-per-hour", type=float, help="Inbound actionable messages per covered hour."
)
@click.option(
    "--messages-per-day",
    type=float,
    help="Inbound messages per day, spread over the coverage hours (instead of "
    "--messages-per-hour).",
)
@click.option("--aht-minutes", type=float, required=True, help="Average handle time per message.")
@click.option(
    "--answer-within-minutes", type=float, required=True, help="Target time to first response."
)
@click.option(
    "--service-level",
    type=float,
    required=True,
    help="Share answered within the target time, e.g. 0.8.",
)
@click.option(
    "--shrinkage",
    type=float,
    default=0.3,
    show_default=True,
    help="Share of paid time not available (breaks, training, leave).",
)
@click.option(
    "--coverage",
    type=click.Choice(["business", "extended", "24x7"]),
    default="business",
    show_default=True,
    help="business = 9 h x 5 days, extended = 12 h x 7 days, 24x7 = 168 h a week.",
)
@click.option(
    "--hours-per-fte-week",
    type=float,
    default=40.0,
    show_default=True,
    help="Contracted hours of one full-time person.",
)
@click.option("--current-fte", type=float, help="Social FTE the organisation has today.")
@click.option(
    "--compare/--no-compare", default=False, help="Also compare the three coverage options."
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def staffing(
    messages_per_hour: float | None,
    messages_per_day: float | None,
    aht_minutes: float,
    answer_within_minutes: float,
    service_level: float,
    shrinkage: float,
    coverage: str,
    hours_per_fte_week: float,
    current_fte: float | None,
    compare: bool,
    fmt: str,
) -> None:
    """How many people a social customer-care desk needs (Erlang C) and the FTE it implies."""
    if (messages_per_hour is None) == (messages_per_day is None):
        raise click.UsageError("give exactly one of --messages-per-hour and --messages-per-day")
    from assessment.scoring.staffing import plan_staffing, staffing_table  # local: fast --help

    common = {
        "messages_per_hour": messages_per_hour,
        "messages_per_day": messages_per_day,
        "aht_minutes": aht_minutes,
        "answer_within_minutes": answer_within_minutes,
        "service_level": service_level,
        "shrinkage": shrinkage,
        "hours_per_fte_week": hours_per_fte_week,
        "current_fte": current_fte,
    }
    result = plan_staffing(coverage=coverage, **common)
    table = staffing_table(**common) if compare else None
    if fmt == "json":
        payload = result.to_dict()
        if table is not None:
            payload["coverage_options"] = records(table.reset_index())
        echo(json.dumps(payload, indent=2))
        return
    echo(result.to_text())
    if table is not None:
        echo("")
        echo(table.round(2).to_string())
