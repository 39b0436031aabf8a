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

from assessment import __version__
from assessment.exceptions import AssessmentError, InputError
from assessment.files import atomic_path, atomic_write_text
from assessment.rubric import Rubric, dump_rubric, load_rubric, rubric_json_schema, translate

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
    from assessment.inputs import load_inputs

    rubric = load_rubric(rubric_ref)
    data = load_inputs(answers, rubric, clients=clients, peers=peers, targets=targets)
    return rubric, data.answers, data.clients, data.targets, data.peers


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
    from assessment.scoring import score as run_score

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
    from assessment.scoring.staffing import plan_staffing, staffing_table

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
            help="Reports rendered at once (default: CPU count; fast engine: CPU count + 1).",
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
        click.option(
            "--engine",
            type=click.Choice(["fast", "fresh"]),
            help="fast: kernels forked from a pre-warmed server (default on Linux/"
            "macOS); fresh: a new kernel process per report.",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _stop_on_sigterm() -> None:
    """Treat SIGTERM (kill, a CI timeout, a service manager) like Ctrl-C: stop cleanly."""
    import signal

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _run_reports(
    answers: Sequence[str], only: Sequence[str] | None, *, portfolio: bool = True, **kw: Any
) -> None:
    from assessment.batch.forkserver import skip_slow_optional_imports

    # This process imports papermill (for the notebook's parameters) but never validates IRIs.
    skip_slow_optional_imports()
    from assessment.batch import plan, run_batch, start_engine

    _stop_on_sigterm()
    # The fast engine's server warms up on another core while the inputs are checked here.
    server = start_engine(kw["engine"], kw["scheduler"])
    try:
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
    except BaseException:
        if server is not None:
            server.stop()
        raise
    for warning in batch.warnings:
        click.echo(f"warning: {warning}", err=True)
    try:
        outcomes = run_batch(
            batch,
            engine=kw["engine"],
            jobs=kw["jobs"],
            resume=kw["resume"],
            scheduler=kw["scheduler"],
            quiet=kw["quiet"],
            portfolio=portfolio,
            forkserver=server,
        )
    except KeyboardInterrupt:
        click.echo("interrupted: finished reports are kept; run again with --resume", err=True)
        sys.exit(130)
    failed = [o for o in outcomes if o.status == "failed"]
    done = sum(o.status == "ok" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    out = Path(kw["out_dir"])
    where = (
        f"portfolio: {out / 'index.html'}"
        if portfolio
        else "report: " + ", ".join(str(out / c / "report.html") for c in only or [])
    )
    click.echo(f"{done} rendered, {skipped} up to date, {len(failed)} failed; {where}")
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
    """Render one client's report: reports/CLIENT/report.{ipynb,html[,pdf]}.

    The portfolio files of an earlier batch in the same folder (index.html, scores.csv,
    manifest.json) are left as they are.
    """
    _run_reports(answers, [client], portfolio=False, **kw)


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


# -- rubric diff -------------------------------------------------------------------------------


@rubric.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def rubric_diff(old: str, new: str, fmt: str) -> None:
    """Show what changed from rubric OLD to rubric NEW (built-in names or YAML paths).

    Weight changes come first; each line is "~ path: old -> new", "+ path: added" or
    "- path: removed", with list items named by their ids.
    """
    from assessment.weights import diff_rubrics

    a, b = load_rubric(old), load_rubric(new)
    changes = diff_rubrics(a, b)
    if fmt == "json":
        payload = {
            "old": {"id": a.id, "version": a.version, "hash": a.content_hash},
            "new": {"id": b.id, "version": b.version, "hash": b.content_hash},
            "changes": [
                {"path": c.path, "kind": c.kind, "old": c.old, "new": c.new} for c in changes
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(f"--- {old}: {a.id} {a.version} ({a.content_hash[:12]})")
    click.echo(f"+++ {new}: {b.id} {b.version} ({b.content_hash[:12]})")
    if not changes:
        click.echo("no differences")
        return
    for change in changes:
        click.echo(str(change))


# -- weights -----------------------------------------------------------------------------------


@main.group()
def weights() -> None:
    """Derive dimension weights (AHP) and test how much results depend on them."""


@weights.command("ahp")
@click.argument("matrices", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--rubric",
    "rubric_ref",
    default="social-media",
    show_default=True,
    help=RUBRIC_HELP + " The matrix ids must be its dimension ids (unless --any-ids).",
)
@click.option("--any-ids", is_flag=True, help="Accept any ids, e.g. a matrix comparing clusters.")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--save",
    "save_path",
    type=click.Path(dir_okay=False),
    help="Also save the rubric with these weights as a variant (YAML).",
)
@click.option("--note", help="Analyst's note recorded in the saved variant's provenance.")
def weights_ahp(
    matrices: tuple[str, ...],
    rubric_ref: str,
    any_ids: bool,
    fmt: str,
    save_path: str | None,
    note: str | None,
) -> None:
    """Weights, lambda_max, CI and CR from pairwise comparison matrices (AHP).

    Each MATRIX.csv has a header row of ids and the same ids as its first column; cells are
    Saaty judgements (1-9 or fractions such as 1/3; the lower triangle may be blank).
    Several files are several experts, combined by the geometric mean of their judgements.
    A consistency ratio of 0.10 or more is flagged.
    """
    from assessment.weights import ahp_group, read_matrix, save_variant

    rub = load_rubric(rubric_ref) if (save_path or not any_ids) else None
    known = [d.id for d in rub.dimensions] if rub is not None and not any_ids else None
    mats = [read_matrix(m, known_ids=known) for m in matrices]
    result = ahp_group(mats, sources=list(matrices))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
    else:
        click.echo(result.to_text())
    if save_path:
        variant = save_variant(rub, result.weights.to_dict(), save_path, note=note)  # type: ignore[arg-type]
        click.echo(f"wrote {save_path} ({variant.id} {variant.version})", err=True)


@weights.command("sensitivity")
@_rubric_option
@click.option(
    "--answers",
    "answers",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Answer file (repeat for several).  Default: the packaged sample portfolio.",
)
@_clients_option
@_targets_option
@click.option(
    "--draws",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Number of Dirichlet weight draws.",
)
@click.option(
    "--concentration",
    type=click.FloatRange(min=0, min_open=True),
    default=100.0,
    show_default=True,
    help="Dirichlet concentration: larger = weights closer to the rubric's.",
)
@click.option("--seed", type=int, default=12345, show_default=True, help="Random seed.")
@click.option(
    "--step",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.2,
    show_default=True,
    help="One-at-a-time weight change (0.2 = +/-20%).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def weights_sensitivity(
    rubric_ref: str,
    answers: tuple[str, ...],
    clients: str | None,
    targets: str | None,
    draws: int,
    concentration: float,
    seed: int,
    step: float,
    fmt: str,
) -> None:
    """How stable are indices, levels, ranks and priorities when the weights are uncertain?

    Draws weight vectors from a Dirichlet distribution around the rubric's weights and
    prints, per client, the index range, the probability of a level change and the rank
    range, plus Kendall's tau of the rankings against today's and how often each top-three
    priority stays in the top three.  json adds the one-at-a-time (tornado) table.
    """
    from assessment.scoring import score as run_score
    from assessment.weights.sensitivity import Portfolio, one_at_a_time, simulate

    if not answers:
        from assessment import samples

        sample = samples.portfolio()
        answers = tuple(str(p) for p in sample["answers"])
        clients = clients or str(sample["clients"])
        targets = targets or str(sample["targets"])
    rub, df, client_df, target_df, _ = _load_inputs(rubric_ref, answers, clients, targets)
    result = run_score(rub, df, clients=client_df, targets=target_df)
    portfolio = Portfolio.from_result(result)
    sens = simulate(portfolio, draws=draws, concentration=concentration, seed=seed)
    if fmt == "json":
        records = lambda frame: [  # noqa: E731 - a local shorthand
            {k: _jsonable(v) for k, v in rec.items()} for rec in frame.to_dict(orient="records")
        ]
        payload = {
            "rubric": {"id": rub.id, "version": rub.version, "hash": rub.content_hash},
            "weights": {d.id: d.weight for d in rub.dimensions},
            "summary": sens.summary(),
            "clients": records(sens.clients),
            "priorities": records(sens.priorities),
            "one_at_a_time": records(one_at_a_time(portfolio, step=step)),
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    click.echo(f"rubric {rub.id} {rub.version} ({rub.content_hash[:12]})")
    click.echo(sens.to_text())


# -- workshop ----------------------------------------------------------------------------------

#: Addresses that only this machine can reach.
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


@main.command()
@click.option("--client", "client_id", required=True, help="Client id of the workshop.")
@click.option(
    "--store",
    "store_path",
    default="workshops.sqlite",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="Workshop store (SQLite file); created when missing.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8866,
    show_default=True,
    help="Port of the workshop server (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on.  0.0.0.0 lets phones and laptops on the network join; "
    "there is no password, so use it only on a network you trust.",
)
@_rubric_option
@click.option(
    "--date",
    "workshop_date",
    help="Workshop date YYYY-MM-DD (default: the client's latest workshop, else today).",
)
@_clients_option
@_targets_option
@click.option(
    "--peers",
    type=click.Path(dir_okay=False),
    help="Peer benchmark population (CSV/XLSX) for the report.",
)
@click.option(
    "--out",
    "out_dir",
    default="reports",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Folder the workshop's report is written to.",
)
@click.option("--lang", type=click.Choice(["en", "ar"]), default="en", show_default=True)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.2),
    default=2.0,
    show_default=True,
    help="Seconds between the facilitator view's checks for new votes.",
)
def workshop(
    client_id: str,
    store_path: str,
    port: int,
    host: str,
    rubric_ref: str,
    workshop_date: str | None,
    clients: str | None,
    targets: str | None,
    peers: str | None,
    out_dir: str,
    lang: str,
    poll: float,
) -> None:
    """Run a live workshop: a facilitator view and a voting page, served by Voilà.

    Prints the facilitator's and the participants' addresses and serves until Ctrl-C.  Every
    vote is saved in the store the moment it is cast; stopping the server loses nothing, and
    running the command again resumes the workshop.  Needs the [workshop] extra (Voilà).
    """
    import importlib.util
    import os

    from assessment.exceptions import MissingDependencyError
    from assessment.inputs import check_safe_id, load_clients, load_peers, load_targets
    from assessment.workshop import ENV
    from assessment.workshop.store import open_store

    if importlib.util.find_spec("voila") is None:
        raise MissingDependencyError("voila", "workshop")
    check_safe_id(client_id)
    store_file = Path(store_path).resolve()
    # Check every file now: a typo should fail here, not in the middle of the workshop.
    with open_store(store_file) as store:
        found = store.find_workshop(client_id, workshop_date)
        if found is None:
            found = store.create_workshop(client_id, load_rubric(rubric_ref), date=workshop_date)
            click.echo(f"created workshop #{found.id} for {client_id} on {found.date}", err=True)
        rubric = store.rubric(found.id)
    target_df = load_targets(targets, rubric) if targets else None
    if clients:
        load_clients(clients, rubric, targets=target_df)
    if peers:
        load_peers(peers, rubric)
    port = _free_port(host, port)
    if host not in _LOOPBACK:
        click.echo(
            f"warning: listening on {host}: anyone who can reach this machine on port {port} "
            "can open the workshop and vote; there is no password. Use a network you trust.",
            err=True,
        )
    absolute = lambda p: str(Path(p).resolve()) if p else ""  # noqa: E731
    env = {
        **os.environ,
        ENV["store"]: str(store_file),
        ENV["client_id"]: client_id,
        ENV["workshop_id"]: str(found.id),
        ENV["rubric"]: absolute(rubric_ref) if Path(rubric_ref).is_file() else rubric_ref,
        ENV["clients"]: absolute(clients),
        ENV["targets"]: absolute(targets),
        ENV["peers"]: absolute(peers),
        ENV["reports"]: absolute(out_dir),
        ENV["lang"]: lang,
        ENV["poll_seconds"]: str(poll),
    }
    _serve_workshop(found, store_file, host=host, port=port, env=env)


def _free_port(host: str, port: int) -> int:
    """``port`` if it can be bound on ``host`` (any free port for 0); else a clear error."""
    import errno
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(
                f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port"
                + ("" if exc.errno == errno.EADDRINUSE else " or --host")
            ) from None
        return int(probe.getsockname()[1])


def _lan_address() -> str:
    """This machine's address on the local network (for the participants' link)."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            # Connecting a UDP socket sends nothing; it only picks the outgoing interface.
            s.connect(("10.255.255.255", 1))
            return str(s.getsockname()[0])
        except OSError:
            return socket.gethostname()


def _serve_workshop(
    found: Any, store_file: Path, *, host: str, port: int, env: dict[str, str]
) -> None:
    """Run Voilà on a private copy of the two notebooks until Ctrl-C (or SIGTERM)."""
    import shutil
    import signal
    import socket
    import subprocess
    import tempfile
    import time

    from assessment.batch import default_notebook

    source = default_notebook().parent
    missing = [n for n in ("workshop.ipynb", "vote.ipynb") if not (source / n).is_file()]
    if missing:
        raise InputError(f"workshop notebooks not found in {source}: {', '.join(missing)}")
    # Serve a copy holding only the two apps: Voilà would otherwise offer every notebook of
    # the folder (the report notebook too) as a runnable page.
    folder = Path(tempfile.mkdtemp(prefix="maturity-workshop-"))
    for name in ("workshop.ipynb", "vote.ipynb"):
        shutil.copy2(source / name, folder / name)
    log_path = folder / "voila.log"
    command = [
        sys.executable,
        "-m",
        "voila",
        str(folder),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--Voila.port_retries=0",
        # Voilà's shutdown request on tab close is refused for want of an XSRF token
        # (voila-dashboards/voila#1458), so kernels of closed tabs are culled once idle;
        # pages still open stay connected and are never culled.
        "--MappingKernelManager.cull_idle_timeout=900",
        "--MappingKernelManager.cull_interval=60",
    ]
    shown = _lan_address() if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    base = f"http://{'[' + shown + ']' if ':' in shown else shown}:{port}/voila/render"
    stopping = False

    def on_stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    # Ctrl-C, SIGTERM and a closed terminal all stop the workshop the same clean way; SIGINT
    # is set explicitly because a shell starting us in the background leaves it ignored.
    stop_signals = [
        signal.SIGINT,
        signal.SIGTERM,
        *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else []),
    ]
    previous = {sig: signal.signal(sig, on_stop) for sig in stop_signals}
    with log_path.open("wb") as log:
        # A session of its own: Ctrl-C reaches only us, and we stop Voilà exactly once.
        proc = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 90
        wildcard = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}  # noqa: S104
        probe_host = wildcard.get(host, host)
        while True:
            if proc.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise AssessmentError(f"the workshop server did not start:\n{tail}")
            try:
                socket.create_connection((probe_host, port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssessmentError("the workshop server did not start in 90 s") from None
                time.sleep(0.2)
        click.echo(
            f"Workshop #{found.id}: {found.client_id} on {found.date} (store {store_file})\n"
            f"Facilitator:  {base}/workshop.ipynb\n"
            f"Participants: {base}/vote.ipynb?workshop={found.id}\n"
            "  (a personal link can add &name=...&role=..., e.g. &name=Layla&role=CMO)\n"
            "Press Ctrl-C to stop; every vote is already saved."
        )
        code = proc.wait()
        if code:
            tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise AssessmentError(f"the workshop server stopped with exit code {code}:\n{tail}")
    except KeyboardInterrupt:
        stopping = True
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if proc.poll() is None:
            # Voilà stops its event loop on SIGTERM and shuts its kernels down before exiting
            # (SIGINT may be ignored in it, inherited from a background shell).
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(folder, ignore_errors=True)
    if stopping:
        click.echo(f"stopped; the workshop is saved in {store_file}", err=True)
