"""The ``maturity`` command line (also ``python -m assessment``).

Exit codes: 0 success; 2 invalid input or usage (one clear message per problem on stderr, no
traceback); 1 anything else.  Each :class:`~assessment.exceptions.AssessmentError` subclass
carries its own exit code.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import pandas as pd

from . import __version__
from .exceptions import AssessmentError, InputError
from .files import atomic_path, atomic_write_text
from .rubric import Rubric, dump_rubric, load_rubric, rubric_json_schema, translate

RUBRIC_HELP = "Built-in rubric name (social-media) or path to a rubric YAML file."


def _fail(exc: AssessmentError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(exc.exit_code)


class _Group(click.Group):
    """A click group that turns our exceptions into messages and exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AssessmentError as exc:
            _fail(exc)
        except OSError as exc:
            # Files the user named that cannot be written (permissions, full disk...).
            click.echo(f"error: {exc.filename or ''}: {exc.strerror}", err=True)
            sys.exit(2 if isinstance(exc, PermissionError | FileNotFoundError) else 1)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="maturity")
def main() -> None:
    """Score organisations' social-media maturity from "2007" to "modern"."""


# -- shared loading ----------------------------------------------------------------------------


def _load_inputs(
    rubric_ref: str,
    answers: Sequence[str],
    clients: str | None,
    targets: str | None,
    peers: str | None = None,
) -> tuple[Rubric, pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None, pd.DataFrame | None]:
    from .responses import load_answers, load_clients, load_peers, load_targets

    rubric = load_rubric(rubric_ref)
    problems: list[AssessmentError] = []

    def attempt(fn: Any, *args: Any, **kwargs: Any) -> Any:
        # Keep going after a bad file so one run reports the problems of every file.
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            problems.append(exc)
            return None

    target_df = attempt(load_targets, targets, rubric) if targets else None
    client_df = attempt(load_clients, clients, rubric, targets=target_df) if clients else None
    peer_df = attempt(load_peers, peers, rubric) if peers else None
    answer_df = attempt(load_answers, answers, rubric, clients=client_df)
    if problems:
        if len(problems) == 1:
            raise problems[0]
        raise InputError("\n".join(str(p) for p in problems))
    return rubric, answer_df, client_df, target_df, peer_df


def _rubric_option(f: Any) -> Any:
    return click.option(
        "--rubric", "rubric_ref", default="social-media", show_default=True, help=RUBRIC_HELP
    )(f)


def _clients_option(f: Any) -> Any:
    return click.option(
        "--clients",
        type=click.Path(dir_okay=False),
        help="Clients table (CSV/XLSX): client_id, name, sector, size_band, "
        "region, target_profile.",
    )(f)


def _targets_option(f: Any) -> Any:
    return click.option(
        "--targets",
        type=click.Path(dir_okay=False),
        help="Custom target profiles (CSV/XLSX): profile_id, dimension_id, target.",
    )(f)


# -- validate ----------------------------------------------------------------------------------


@main.command()
@_rubric_option
@_clients_option
@_targets_option
@click.argument("answers", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(
    rubric_ref: str, clients: str | None, targets: str | None, answers: tuple[str, ...]
) -> None:
    """Check answer files (and clients/targets) against the rubric; report every problem."""
    rubric, df, client_df, _, _ = _load_inputs(rubric_ref, answers, clients, targets)
    n_assess = df[["client_id", "date"]].drop_duplicates().shape[0]
    click.echo(
        f"ok: {len(df)} answers from {df['respondent'].nunique()} respondents, "
        f"{df['client_id'].nunique()} clients, {n_assess} assessments "
        f"(rubric {rubric.id} {rubric.version})"
    )
    if client_df is not None:
        missing = sorted(set(client_df["client_id"]) - set(df["client_id"]))
        if missing:
            click.echo(f"note: clients without answers: {', '.join(missing)}")


# -- score -------------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is None:
        return None
    if hasattr(value, "item"):
        return _jsonable(value.item())
    return value


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
            "count_2007",
            "weakest_link",
            "top_gap",
            "coverage",
        ]
        if c in view
    ]
    return view[cols].rename(columns={"count_2007": "2007 count"}).to_string(index=False)


@main.command()
@_rubric_option
@_clients_option
@_targets_option
@click.option(
    "--peers",
    type=click.Path(dir_okay=False),
    help="Peer benchmark population (CSV/XLSX) for percentiles.",
)
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
@click.argument("answers", nargs=-1, required=True, type=click.Path(dir_okay=False))
def score(
    rubric_ref: str,
    clients: str | None,
    targets: str | None,
    peers: str | None,
    fmt: str,
    out: str | None,
    aggregate: str,
    missing: str,
    answers: tuple[str, ...],
) -> None:
    """Score every client (latest assessment) and print or save the results.

    csv and json hold one record per client with client_id, index (0-100), level,
    count_2007 and one column per dimension id (its 1-5 score).  xlsx adds sheets with
    dimensions, indicators, recommendations and the peer benchmark.
    """
    from .scoring import score as run_score

    if fmt == "xlsx" and not out:
        raise click.UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
    rubric, df, client_df, target_df, peer_df = _load_inputs(
        rubric_ref, answers, clients, targets, peers
    )
    result = run_score(
        rubric,
        df,
        clients=client_df,
        peers=peer_df,
        targets=target_df,
        aggregate=aggregate,
        missing=missing,
    )
    summary = result.summary()
    if fmt == "xlsx":
        _write_xlsx(Path(out), result)  # type: ignore[arg-type]
        click.echo(f"wrote {out}", err=True)
        return
    if fmt == "table":
        text = _table_text(summary, client_df) + "\n"
    elif fmt == "csv":
        text = summary.to_csv(index=False)
    else:
        records = [
            {k: _jsonable(v) for k, v in rec.items()} for rec in summary.to_dict(orient="records")
        ]
        text = json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if out:
        atomic_write_text(out, text)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


def _write_xlsx(path: Path, result: Any) -> None:
    sheets = {
        "summary": result.summary(),
        "dimensions": result.dimensions,
        "indicators": result.indicators,
        "recommendations": result.recommendations,
        "benchmark": result.benchmark,
    }
    with atomic_path(path) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name, index=False)


# -- rubric ------------------------------------------------------------------------------------


@main.group()
def rubric() -> None:
    """Inspect a rubric: show it, print its JSON Schema, export it for Excel."""


@rubric.command("show")
@_rubric_option
@click.option("--lang", default="en", show_default=True, help="Language of the texts (en, ar).")
@click.option("--levels/--no-levels", default=False, help="Also print every level descriptor.")
def rubric_show(rubric_ref: str, lang: str, levels: bool) -> None:
    """Print a readable outline of the rubric."""
    r = load_rubric(rubric_ref)
    t = lambda x: translate(x, lang)  # noqa: E731 - a local shorthand keeps the layout readable
    lines = [
        f"{t(r.name)}  (id {r.id}, version {r.version}, weights: {r.weights_status})",
        f"hash {r.content_hash}",
        "",
        "Levels: " + "; ".join(f"L{s.level} {t(s.name)}" for s in r.scale),
        "",
    ]
    for d in r.dimensions:
        lines.append(f"{d.id}  {t(d.name)}  weight {d.weight:.3f}")
        for i in d.indicators:
            extra = ""
            if i.kind == "measured":
                arrow = "<=" if i.direction == "lower_is_better" else ">="
                extra = f" [{i.unit or ''}; L2..L{r.n_levels} at {arrow} {i.thresholds}]"
            flags = (" NA-allowed" if i.allow_na else "") + (" (proposal)" if i.proposal else "")
            lines.append(f"  - {i.id}: {t(i.name)} ({i.kind}{extra}){flags}")
            if levels:
                for lvl in sorted(i.levels):
                    lines.append(f"      L{lvl}: {i.level_text(lvl, lang)}")
        for g in d.gates:
            lines.append(
                f"  gate: {g.indicator} below L{g.min_level} caps {d.id} below L{g.caps_below}"
            )
        lines.append("")
    if r.targets:
        lines.append("Target profiles: " + ", ".join(t_.id for t_ in r.targets))
    click.echo("\n".join(lines))


@rubric.command("schema")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to a file.")
def rubric_schema(out: str | None) -> None:
    """Print the JSON Schema of the rubric format (for editor validation)."""
    text = json.dumps(rubric_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if out:
        atomic_write_text(out, text)
    else:
        click.echo(text, nl=False)


def rubric_table(r: Rubric, lang: str = "en") -> pd.DataFrame:
    """One row per indicator level: the rubric as people read it in a spreadsheet."""
    refs = {ref.id: ref for ref in r.references}
    rows = []
    for d, i in r.iter_indicators():
        for lvl in sorted(i.levels):
            threshold = ""
            if i.thresholds and lvl >= 2:
                arrow = "<=" if i.direction == "lower_is_better" else ">="
                threshold = f"{arrow} {i.thresholds[lvl - 2]:g} {i.unit or ''}".strip()
            rows.append(
                {
                    "dimension_id": d.id,
                    "dimension": translate(d.name, lang),
                    "dimension_weight": d.weight,
                    "indicator_id": i.id,
                    "indicator": translate(i.name, lang),
                    "question": translate(i.question, lang),
                    "kind": i.kind,
                    "indicator_weight": i.weight,
                    "allow_na": i.allow_na,
                    "level": lvl,
                    "level_name": r.level_name(lvl, lang),
                    "threshold": threshold,
                    "descriptor": i.level_text(lvl, lang),
                    "next_step": i.next_step(lvl, lang),
                    "evidence_hint": translate(i.evidence_hint, lang),
                    "sources": "; ".join(
                        f"{refs[s].citation} ({refs[s].year})" if s in refs else s
                        for s in i.sources
                    ),
                    "proposal": i.proposal,
                }
            )
    return pd.DataFrame(rows)


@rubric.command("export")
@_rubric_option
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xlsx", "yaml"]), default="csv", show_default=True
)
@click.option("--lang", default="en", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="Output file (required for xlsx; csv and yaml print otherwise).",
)
def rubric_export(rubric_ref: str, fmt: str, lang: str, out: str | None) -> None:
    """Export the rubric as a flat table (CSV/XLSX) or canonical YAML."""
    r = load_rubric(rubric_ref)
    if fmt == "xlsx":
        if not out:
            raise click.UsageError("--format xlsx writes a workbook: give --out FILE.xlsx")
        refs = pd.DataFrame([ref.model_dump() for ref in r.references])
        targets = pd.DataFrame(
            [
                {
                    "profile_id": t.id,
                    "dimension_id": d.id,
                    "target": t.dimensions.get(d.id, t.default),
                }
                for t in r.targets
                for d in r.dimensions
            ]
        )
        with atomic_path(out) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xl:
            rubric_table(r, lang).to_excel(xl, sheet_name="rubric", index=False)
            refs.to_excel(xl, sheet_name="references", index=False)
            targets.to_excel(xl, sheet_name="targets", index=False)
        click.echo(f"wrote {out}", err=True)
        return
    text = dump_rubric(r) if fmt == "yaml" else rubric_table(r, lang).to_csv(index=False)
    if out:
        atomic_write_text(out, text)
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)


# -- staffing ----------------------------------------------------------------------------------


@main.command()
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
    from .staffing import plan_staffing, staffing_table

    if (messages_per_hour is None) == (messages_per_day is None):
        raise click.UsageError("give exactly one of --messages-per-hour and --messages-per-day")
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
            payload["coverage_options"] = [
                {k: _jsonable(v) for k, v in rec.items()}
                for rec in table.reset_index().to_dict(orient="records")
            ]
        click.echo(json.dumps(payload, indent=2))
        return
    click.echo(result.to_text())
    if table is not None:
        click.echo("")
        click.echo(table.round(2).to_string())


# -- reports -----------------------------------------------------------------------------------


def _batch_options(f: Any) -> Any:
    options = [
        _rubric_option,
        _clients_option,
        _targets_option,
        click.option(
            "--peers", type=click.Path(dir_okay=False), help="Peer benchmark population (CSV/XLSX)."
        ),
        click.option(
            "--out",
            "out_dir",
            default="reports",
            show_default=True,
            type=click.Path(file_okay=False),
            help="Output folder.",
        ),
        click.option(
            "--lang",
            type=click.Choice(["en", "ar"]),
            help="Report language (default: the clients table's lang column, else en).",
        ),
        click.option(
            "--numerals",
            type=click.Choice(["western", "arabic-indic"]),
            default="western",
            show_default=True,
            help="Digits used in reports.",
        ),
        click.option("--pdf", is_flag=True, help="Also print each report to PDF (Chromium)."),
        click.option(
            "--notebook",
            type=click.Path(dir_okay=False),
            help="Report notebook (default: notebooks/client_report.ipynb).",
        ),
        click.option(
            "--jobs",
            type=click.IntRange(min=1),
            help="Parallel worker processes (default: CPU count).",
        ),
        click.option(
            "--resume",
            is_flag=True,
            help="Skip clients whose report is up to date with its inputs.",
        ),
        click.option(
            "--scheduler",
            metavar="ADDRESS",
            help="Run on a dask.distributed scheduler (e.g. tcp://127.0.0.1:8786).",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No progress bar."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _run_reports(answers: Sequence[str], only: Sequence[str] | None, **kw: Any) -> None:
    from .batch import plan, run_batch

    batch = plan(
        answers,
        rubric=kw["rubric_ref"],
        clients=kw["clients"],
        peers=kw["peers"],
        targets=kw["targets"],
        out_dir=kw["out_dir"],
        notebook=kw["notebook"],
        lang=kw["lang"],
        pdf=kw["pdf"],
        only=only,
        numerals=kw["numerals"],
    )
    for warning in batch.warnings:
        click.echo(f"warning: {warning}", err=True)
    try:
        outcomes = run_batch(
            batch,
            jobs=kw["jobs"],
            resume=kw["resume"],
            scheduler=kw["scheduler"],
            quiet=kw["quiet"],
        )
    except KeyboardInterrupt:
        click.echo("interrupted: finished reports are kept; run again with --resume", err=True)
        sys.exit(130)
    failed = [o for o in outcomes if o.status == "failed"]
    done = sum(o.status == "ok" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    index = Path(kw["out_dir"]) / "index.html"
    click.echo(f"{done} rendered, {skipped} up to date, {len(failed)} failed; portfolio: {index}")
    for o in failed:
        where = f" (cell {o.failed_cell})" if o.failed_cell is not None else ""
        click.echo(f"failed: {o.client_id}{where}: {o.error}", err=True)
    if failed:
        sys.exit(1)


@main.command()
@_batch_options
@click.option(
    "--answers",
    "answers",
    multiple=True,
    required=True,
    type=click.Path(dir_okay=False),
    help="Answer file (repeat for several).",
)
@click.argument("client")
def report(client: str, answers: tuple[str, ...], **kw: Any) -> None:
    """Render one client's report: reports/CLIENT/report.{ipynb,html[,pdf]}."""
    _run_reports(answers, [client], **kw)


@main.command()
@_batch_options
@click.argument("answers", nargs=-1, required=True, type=click.Path(dir_okay=False))
def batch(answers: tuple[str, ...], **kw: Any) -> None:
    """Render every client's report in parallel, plus the portfolio index.

    Writes reports/<client>/report.{ipynb,html[,pdf]}, reports/index.html,
    reports/scores.csv, reports/scores.xlsx and reports/manifest.json.  Exit 1 when any
    report failed (the others are still written).
    """
    _run_reports(answers, None, **kw)
