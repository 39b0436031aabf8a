"""``maturity report`` and ``maturity batch``: render client reports and the portfolio."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from assessment.cli.common import (
    clients_option,
    echo,
    errors_out_option,
    peers_option,
    rubric_option,
    samples_option,
    targets_option,
    with_samples,
)

__all__ = ["batch", "report"]

F = TypeVar("F", bound=Callable[..., Any])


def _batch_options(f: F) -> F:
    """The options ``batch`` and ``report`` share: inputs and output, then how reports run."""
    for option in reversed([*_OUTPUT_OPTIONS, *_RUN_OPTIONS]):
        f = option(f)
    return f


#: What is rendered, from which inputs, and where to.
_OUTPUT_OPTIONS = [
    rubric_option,
    clients_option,
    targets_option,
    peers_option,
    click.option(
        "--out",
        "out_dir",
        default="reports",
        show_default=True,
        type=click.Path(file_okay=False),
        help="Output folder: new, empty, or one a batch wrote before (see --force).",
    ),
    click.option(
        "--force",
        is_flag=True,
        help="Write into an --out folder that holds files no batch wrote; its index.html, "
        "scores.csv... are overwritten.",
    ),
    click.option(
        "--wait",
        is_flag=True,
        help="When another batch is writing into --out, wait for it to finish instead of stopping.",
    ),
    click.option(
        "--timeout",
        type=click.IntRange(min=1),
        metavar="SECONDS",
        help="Seconds each report may run (default 300; ASSESSMENT_MAX_REPORT_SECONDS "
        "changes the default); a report past it fails and the others go on.",
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
        "--format",
        "formats",
        multiple=True,
        type=click.Choice(["html", "pdf", "pptx"]),
        help="Deliverables besides the HTML report (repeat): pdf (print-ready, as --pdf), "
        "pptx (an editable steering-committee deck, deck.pptx).",
    ),
    click.option(
        "--paper",
        type=click.Choice(["a4", "letter"], case_sensitive=False),
        default="a4",
        show_default=True,
        help="Paper of the PDF.",
    ),
    click.option(
        "--no-appendix",
        is_flag=True,
        help="Leave out the internal appendix (method caveats, hashes, proposals, provenance): "
        "the report the client receives as it is.",
    ),
]

#: How the reports are rendered.
_RUN_OPTIONS = [
    click.option(
        "--evidence",
        type=click.Choice(["trust", "cap"]),
        default="trust",
        show_default=True,
        help="cap: indicators without evidence count below the levels that require it.",
    ),
    click.option(
        "--notebook",
        type=click.Path(dir_okay=False),
        help="Report notebook (default: the packaged notebooks/client_report.ipynb). "
        "It is code and runs as you: use only notebooks you trust.",
    ),
    click.option(
        "--jobs",
        type=click.IntRange(min=1),
        help="Reports rendered at once (default: CPU count).",
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
    samples_option,
    errors_out_option,
    click.option(
        "--engine",
        # The registry's names, written out: listing them must not import the engines.
        type=click.Choice(["fork", "fresh", "fast"]),
        help="fork: report processes forked from a pre-warmed server (default on Linux/"
        "macOS; 'fast' is its former name); fresh: a new kernel process per report.",
    ),
]


def _stop_on_sigterm() -> None:
    """Treat SIGTERM (kill, a CI timeout, a service manager) like Ctrl-C: stop cleanly."""

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)


def _summary(
    outcomes: Sequence[Any], out: Path, only: Sequence[str] | None, portfolio: bool
) -> int:
    """Print what happened; the exit status (1 when any report failed)."""
    failed = [o for o in outcomes if o.status == "failed"]
    done = sum(o.status == "ok" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    where = (
        f"portfolio: {out / 'index.html'}"
        if portfolio
        else "report: " + ", ".join(str(out / c / "report.html") for c in only or [])
    )
    echo(f"{done} rendered, {skipped} up to date, {len(failed)} failed; {where}")
    for o in failed:
        cell = f" (cell {o.failed_cell})" if o.failed_cell is not None else ""
        echo(f"failed: {o.client_id}{cell}: {o.error}", err=True)
    return 1 if failed else 0


def _run_reports(
    answers: Sequence[str], only: Sequence[str] | None, *, portfolio: bool = True, **kw: Any
) -> None:
    # local: the batch machinery is imported only when a batch runs.
    from assessment.batch.engines import create_engine  # light: imports no pandas
    from assessment.batch.fork_client import skip_slow_optional_imports

    # This process imports papermill (for the notebook's parameters) but never validates IRIs.
    skip_slow_optional_imports()
    answers, files = with_samples(
        kw.pop("samples"), answers, clients=kw["clients"], peers=kw["peers"], targets=kw["targets"]
    )
    kw.update(files)
    _stop_on_sigterm()
    # `maturity report` knows it renders one report: the engine warms up for one.
    engine = create_engine(kw["engine"], scheduler=kw["scheduler"], reports=len(only or []) or None)
    # The engine warms up on another core while this process imports pandas and papermill and
    # checks the inputs: started first, before any heavy import (issue 19).
    engine.start()
    with engine:
        from assessment.batch import plan, run_batch  # local: heavy, while the engine warms up

        batch = plan(
            answers,
            rubric=kw["rubric_ref"],
            clients=kw["clients"],
            peers=kw["peers"],
            targets=kw["targets"],
            out_dir=kw["out_dir"],
            notebook=kw["notebook"],
            lang=kw["lang"],
            pdf=kw["pdf"] or "pdf" in kw["formats"],
            paper=kw["paper"].lower(),
            deck="pptx" in kw["formats"],
            only=only,
            numerals=kw["numerals"],
            # appendix is passed only when it is left out: a custom notebook without that
            # parameter still runs as before.
            extra_parameters={"evidence": kw["evidence"]}
            | ({"appendix": False} if kw["no_appendix"] else {}),
        )
        for warning in batch.warnings:
            echo(f"warning: {warning}", err=True)
        try:
            outcomes = run_batch(
                batch,
                engine=engine,
                jobs=kw["jobs"],
                resume=kw["resume"],
                quiet=kw["quiet"],
                portfolio=portfolio,
                timeout=kw["timeout"],
                force=kw["force"],
                wait=kw["wait"],
                on_wait=lambda message: echo(message, err=True),
                # One report: its PDF is printed here, by a browser that starts now (issue 19).
                print_here=not portfolio,
            )
        except KeyboardInterrupt:
            echo("interrupted: finished reports are kept; run again with --resume", err=True)
            sys.exit(130)
    if not portfolio:
        _keep_warm(quiet=kw["quiet"])
    sys.exit(_summary(outcomes, Path(kw["out_dir"]), only, portfolio))


def _keep_warm(*, quiet: bool) -> None:
    """Start a warm report server for the next ``maturity report`` unless one runs (issue 19:
    see :mod:`assessment.batch.daemon_client`)."""
    from assessment.batch import daemon_client  # light

    started = daemon_client.start_in_background(
        "assessment.cli:run_command", ("assessment.cli", "assessment.cli.reports")
    )
    if started and not quiet:
        minutes = daemon_client.idle_seconds() / 60
        echo(
            f"note: a warm report server now runs in the background (stops after {minutes:g} "
            "idle minutes; `maturity daemon stop` stops it, ASSESSMENT_DAEMON=0 turns it off) "
            "so that the next report starts at once",
            err=True,
        )


@click.command()
@_batch_options
@click.option(
    "--answers",
    "answers",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Answer file (repeat for several; or --samples).",
)
@click.argument("client")
def report(client: str, answers: tuple[str, ...], **kw: Any) -> None:
    """Render one client's report: reports/CLIENT/report.{ipynb,html[,pdf]}[, deck.pptx].

    The portfolio files of an earlier batch in the same folder (index.html, scores.csv,
    manifest.json) are left as they are.
    """
    _run_reports(answers, [client], portfolio=False, **kw)


@click.command()
@_batch_options
@click.argument("answers", nargs=-1, type=click.Path(dir_okay=False))
def batch(answers: tuple[str, ...], **kw: Any) -> None:
    """Render every client's report in parallel, plus the portfolio index.

    Writes reports/<client>/report.{ipynb,html[,pdf]} (and deck.pptx with --format pptx),
    reports/index.html, reports/scores.csv and scores.xlsx (rounded for people),
    reports/scores.json (full precision) and reports/manifest.json.  Exit 1 when any
    report failed (the others are still written).  With --samples and no ANSWERS it renders
    the packaged sample portfolio (synthetic), from any folder.
    """
    _run_reports(answers, None, **kw)
