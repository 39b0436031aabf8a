"""Running a planned batch: fan the jobs out over an engine, then write the portfolio files.

One client's failure never stops the others: its executed notebook is kept with the error and
the index names the failing cell, and a report that runs past its time limit (``--timeout``)
fails the same way.  Ctrl-C (or SIGTERM) stops cleanly: reports that finished are kept and
listed, the rest leave no partial files, and ``--resume`` picks up from there.  The output
folder is held for the whole batch (:func:`~assessment.batch.output.claim_output`): one batch
at a time, and only in a folder that is new, empty or a batch's own.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import datetime as dt
import json
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any

import pandas as pd
from tqdm import tqdm

from assessment import __version__
from assessment.batch.engines import Engine, Pool, create_engine
from assessment.batch.jobs import Job, Outcome, is_up_to_date, write_sidecar
from assessment.batch.output import claim_output
from assessment.batch.planning import BatchPlan
from assessment.exceptions import AssessmentError
from assessment.files import atomic_write_text, write_csv, write_xlsx
from assessment.limits import REPORT_SECONDS
from assessment.text import round_half_up

__all__ = ["run_batch", "write_portfolio", "write_scores"]


def _to_render(batch: BatchPlan, resume: bool) -> tuple[list[Job], dict[str, Outcome]]:
    """The jobs to run, and the outcomes of those skipped as up to date (``resume``)."""
    todo, done = [], {}
    for job in batch.jobs:
        if resume and is_up_to_date(job):
            names = ["report.ipynb", "report.html", "report.pdf", "deck.pptx"]
            files = [n for n in names if (Path(job.out_dir) / n).is_file()]
            done[job.client_id] = Outcome(job.client_id, "skipped", files=files)
        else:
            todo.append(job)
    return todo, done


def _render(pool: Pool, todo: list[Job], bar: Any, printer: Any = None) -> dict[str, Outcome]:
    """Submit every job to ``pool`` and collect the outcomes as they complete.

    With ``printer`` (a :class:`~assessment.report.pdf.Printer`), the PDFs of jobs marked
    :attr:`~assessment.batch.jobs.Job.pdf_by_caller` are printed here as their reports finish.

    Raises
    ------
    _Interrupted
        On Ctrl-C, after stopping the pool, with the outcomes of the reports that finished.
    """
    outcomes: dict[str, Outcome] = {}
    futures = {pool.submit(job): job for job in todo}
    try:
        for fut in cf.as_completed(futures):
            job = futures[fut]
            try:
                outcome = fut.result()
            except Exception as exc:  # the worker itself died
                outcome = Outcome(job.client_id, "failed", error=f"{type(exc).__name__}: {exc}")
            if printer is not None and job.pdf_by_caller and outcome.status == "ok":
                _print_pdf(printer, job, outcome)
            outcomes[job.client_id] = outcome
            bar.update(1)
            if outcome.status == "failed":
                bar.write(f"failed: {job.client_id}: {outcome.error}")
    except KeyboardInterrupt:
        pool.stop(futures)
        pool.close()
        # Keep what finished before Ctrl-C (resume picks up from there).
        for fut, job in futures.items():
            finished = fut.done() and not fut.cancelled() and fut.exception() is None
            if finished and fut.result().status != "failed":
                outcomes[job.client_id] = fut.result()
        raise _Interrupted(outcomes) from None
    pool.close()
    return outcomes


def _print_pdf(printer: Any, job: Job, outcome: Outcome) -> None:
    """Print a finished report's HTML to ``report.pdf`` and record it in its sidecar.

    Until then the sidecar lists no PDF, so ``--resume`` renders a report again whose PDF an
    interrupted batch never printed.  A report that cannot be printed fails, as it does when
    its runner prints it.
    """
    out = Path(job.out_dir)
    started = time.perf_counter()
    try:
        printer.print(
            out / "report.html", out / "report.pdf", client=job.name, lang=job.lang, paper=job.paper
        )
    except (AssessmentError, OSError) as exc:  # the browser failed, or the disk
        outcome.status = "failed"
        outcome.error = f"{type(exc).__name__}: {exc}"
    else:
        outcome.files.append("report.pdf")
    outcome.seconds += time.perf_counter() - started
    write_sidecar(job, outcome)


class _Interrupted(KeyboardInterrupt):
    """Ctrl-C during rendering, carrying the outcomes of the reports that finished."""

    def __init__(self, outcomes: dict[str, Outcome]) -> None:
        super().__init__()
        self.outcomes = outcomes


def run_batch(
    batch: BatchPlan,
    *,
    engine: Engine | str | None = None,
    jobs: int | None = None,
    resume: bool = False,
    scheduler: str | None = None,
    quiet: bool = False,
    progress_file: IO[str] | None = None,
    portfolio: bool = True,
    timeout: float | None = None,
    force: bool = False,
    wait: bool = False,
    on_wait: Callable[[str], object] | None = None,
    print_here: bool = False,
) -> list[Outcome]:
    """Render every job of ``batch`` and write the portfolio outputs.

    Parameters
    ----------
    batch
        From :func:`~assessment.batch.plan`.
    engine
        An :class:`~assessment.batch.engines.Engine` (typically started before planning, so
        that it warms up meanwhile), or an engine name, or ``None`` for the default engine.
        The engine is stopped when the batch ends.
    jobs
        Reports rendered at once (default: the engine's :meth:`~Engine.default_jobs`).
    resume
        Skip reports that are up to date with their inputs.
    scheduler
        A dask.distributed scheduler address (with an engine given by name or by default).
    quiet, progress_file
        No progress bar; where the progress bar goes (default stderr).
    portfolio
        ``False`` renders the reports only, leaving any ``index.html``, ``scores.csv`` and
        manifest of a previous full batch in the output folder untouched.
    timeout
        Seconds each report's notebook may run in all (default
        :data:`~assessment.limits.REPORT_SECONDS`); a report past it fails, and the others go
        on.
    force, wait, on_wait
        Write into a folder that holds files no batch wrote; wait for another batch writing
        into the same folder instead of failing (``on_wait(message)`` is called first).  See
        :func:`~assessment.batch.output.claim_output`.
    print_here
        Print the PDFs (``batch`` planned with ``pdf``) in this process, one browser for the
        batch started as soon as there is something to render, instead of one browser started
        by each report's runner while its cells run.  ``maturity report`` does, for its one
        report: the browser is up by the time the HTML is written and takes no core from the
        report's cells (issue 19).  The PDFs are then printed one after the other.

    Returns
    -------
    list of Outcome
        One per client, in client order.

    Raises
    ------
    OutputFolderError, FolderBusyError
        When the output folder is not the batch's to write, or another batch is writing there.
    """
    if not isinstance(engine, Engine):
        engine = create_engine(engine, scheduler=scheduler)
    limit = int(timeout) if timeout is not None else REPORT_SECONDS.value
    batch = dataclasses.replace(
        batch, jobs=[dataclasses.replace(j, timeout=limit) for j in batch.jobs]
    )
    with engine, claim_output(batch.out_dir, force=force, wait=wait, on_wait=on_wait):
        return _run(batch, engine, jobs, resume, quiet, progress_file, portfolio, print_here)


def _run(
    batch: BatchPlan,
    engine: Engine,
    jobs: int | None,
    resume: bool,
    quiet: bool,
    progress_file: IO[str] | None,
    portfolio: bool,
    print_here: bool = False,
) -> list[Outcome]:
    """:func:`run_batch` once the output folder is held."""
    printer = None
    with engine:
        if any(j.pdf for j in batch.jobs):
            from assessment.report.pdf import find_chromium  # local: see write_portfolio

            find_chromium()  # fail before any kernel starts
        batch.out_dir.mkdir(parents=True, exist_ok=True)
        todo, outcomes = _to_render(batch, resume)
        started = time.perf_counter()
        timings: dict[str, float] = {}
        interrupted = False
        bar = tqdm(
            total=len(todo),
            unit="report",
            disable=quiet or not todo,
            file=progress_file or sys.stderr,
            desc="rendering",
        )
        # The scores and the index's figures do not depend on the reports: written and
        # computed in a thread while the engine warms up and the reports render (this process
        # only waits meanwhile; the first reports no longer wait for scores.xlsx).
        parts = _Background(_scores_and_parts, batch, bool(todo)) if portfolio else None
        try:
            if print_here and any(j.pdf for j in todo):
                from assessment.report.pdf import Printer  # local: see write_portfolio

                printer = Printer()  # starts now, in its own thread
                todo = [dataclasses.replace(j, pdf_by_caller=j.pdf) for j in todo]
            if todo:
                engine = engine.prepare(batch)  # may be a fallback engine
                batch.warnings.extend(engine.warnings)
            timings["before_rendering"] = time.perf_counter() - started
            if todo:
                pool = engine.pool(min(jobs or engine.default_jobs(), len(todo)))
                outcomes.update(_render(pool, todo, bar, printer))
            timings["rendering"] = time.perf_counter() - started - timings["before_rendering"]
        except _Interrupted as stop:
            interrupted = True
            outcomes.update(stop.outcomes)
        except KeyboardInterrupt:  # while the engine was warming up
            interrupted = True
        finally:
            bar.close()
            engine.stop()
            if printer is not None:
                printer.close(wait=False)  # the PDFs are written; see Printer.close
    ordered = [outcomes[j.client_id] for j in batch.jobs if j.client_id in outcomes]
    if portfolio:
        write_portfolio(
            batch,
            ordered,
            seconds=time.perf_counter() - started,
            interrupted=interrupted,
            scores=False,
            timings=timings,
            parts=parts.result() if parts is not None else None,
        )
    if interrupted:
        raise KeyboardInterrupt
    return ordered


def _scores_and_parts(batch: BatchPlan, index: bool) -> Any:
    """Write the scores; with ``index``, return the portfolio index's figures and chart."""
    write_scores(batch)
    if not index:
        return None
    from assessment.report import portfolio_parts  # local: see write_portfolio

    return portfolio_parts(batch, lang=batch.lang)


class _Background:
    """``fn(*args)`` in a daemon thread (a Ctrl-C never waits for it); :meth:`result` joins it
    and returns its value or raises its exception."""

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(fn, *args), daemon=True)
        self._thread.start()

    def _run(self, fn: Callable[..., Any], *args: Any) -> None:
        try:
            self._value = fn(*args)
        except BaseException as exc:  # re-raised in the caller's thread by result()
            self._error = exc

    def result(self) -> Any:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


#: Decimals people read, by column (issue 15: ``49.958333333333336`` was in scores.csv): the
#: index as the reports round it, levels and scores on the 1-5 scale to two decimals.
#: Dimension-score columns (named by dimension id) take :data:`_SCORE_DECIMALS`.
SCORE_DECIMALS = {
    "index": 0,
    "index_1_n": 2,
    "coverage": 2,
    "score": 2,
    "raw_score": 2,
    "level": 2,
    "target": 2,
    "gap": 2,
    "weight": 3,
    "priority": 3,
    "ci_low": 2,
    "ci_high": 2,
}
_SCORE_DECIMALS = 2


def _rounded(frame: pd.DataFrame, dimension_ids: Sequence[str]) -> pd.DataFrame:
    """``frame`` with its float columns rounded for people (see :data:`SCORE_DECIMALS`)."""
    out = frame.copy()
    for column in out.columns:
        digits = SCORE_DECIMALS.get(column, _SCORE_DECIMALS if column in dimension_ids else None)
        if digits is not None and pd.api.types.is_float_dtype(out[column]):
            # Halves up, on the decimal written, as the reports round (one rounding rule).
            out[column] = out[column].map(lambda v, d=digits: round_half_up(v, d))
    return out


def _formats(dimension_ids: Sequence[str]) -> dict[str, str]:
    """Excel number formats matching the rounding, so a cell shows what the CSV holds."""
    decimals = {**dict.fromkeys(dimension_ids, _SCORE_DECIMALS), **SCORE_DECIMALS}
    return {c: "0" if n == 0 else "0." + "0" * n for c, n in decimals.items()}


def write_scores(batch: BatchPlan) -> None:
    """Write the portfolio's scores, known before rendering, for people and for programs.

    ``scores.csv`` and ``scores.xlsx`` are rounded as the reports round (the workbook with
    matching number formats); ``scores.json`` keeps full precision.  Client names come from
    the user's files: no text cell may become a formula (finding 7 of issue 18), so the
    tables go through :func:`~assessment.files.write_csv` / ``write_xlsx``.
    """
    out = batch.out_dir
    summary = batch.summary
    dims = list(batch.result.rubric.dimension_table.index) if batch.result is not None else []
    write_csv(out / "scores.csv", _rounded(summary, dims))
    sheets = {"scores": _rounded(summary, dims)}
    full = {"scores": summary}
    if batch.result is not None:
        sheets["dimensions"] = _rounded(batch.result.dimensions, dims)
        sheets["recommendations"] = _rounded(batch.result.recommendations, dims)
        full["dimensions"] = batch.result.dimensions
    write_xlsx(out / "scores.xlsx", sheets, number_formats=_formats(dims))
    atomic_write_text(
        out / "scores.json",
        json.dumps(
            {
                name: json.loads(f.to_json(orient="records", double_precision=15))
                for name, f in full.items()
            },
            ensure_ascii=False,
        )
        + "\n",
    )


def write_portfolio(
    batch: BatchPlan,
    outcomes: Sequence[Outcome],
    *,
    seconds: float,
    interrupted: bool = False,
    scores: bool = True,
    timings: Mapping[str, float] | None = None,
    parts: Any = None,
) -> None:
    """Write ``index.html`` and ``manifest.json`` (and, with ``scores``, :func:`write_scores`).

    ``parts`` is :func:`~assessment.report.portfolio_parts` when computed already.
    """
    # local: the report package (matplotlib, scipy) is needed for the index only; a single
    # report (`maturity report`) never imports it in the calling process (issue 19).
    from assessment.report import portfolio_page

    out = batch.out_dir
    if scores:
        write_scores(batch)
    by_id = {o.client_id: o for o in outcomes}
    index = portfolio_page(batch, by_id, lang=batch.lang, parts=parts)
    atomic_write_text(out / "index.html", index)
    manifest = {
        "toolkit_version": __version__,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "rubric": batch.rubric_label,
        "inputs": batch.inputs,
        "seconds": round(seconds, 3),
        # Where the batch's wall time went (seconds): scores and engine warm-up before the
        # first report, then rendering; the rest is the portfolio and shutting down.
        "timings": {k: round(v, 3) for k, v in (timings or {}).items()},
        "interrupted": interrupted,
        "reports": [asdict(o) for o in outcomes],
    }
    atomic_write_text(out / "manifest.json", json.dumps(manifest, indent=2) + "\n")
