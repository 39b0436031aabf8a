"""One report: execute the notebook with papermill, export the HTML, print the PDF.

:func:`run_job` runs wherever the engine puts it (a pool worker, a forked job runner, a dask
worker) and never raises for the report's own errors: a failing cell becomes an
:class:`~assessment.batch.jobs.Outcome` with the cell and its error, and the executed notebook
is kept with papermill's error banner.  A report whose cells run past ``job.timeout`` seconds
in all fails too, naming the cell that was running (papermill saves no notebook then); it is
not retried (a hanging cell would hang again).  Every file goes to a temporary name first and
is renamed into place, so an interrupted report never leaves half a file.
"""

from __future__ import annotations

import math
import threading
import time
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
from papermill.exceptions import PapermillExecutionError

from assessment.batch import inprocess
from assessment.batch.jobs import Job, Outcome, write_sidecar
from assessment.batch.kernel import kernel_environment, kernel_manager_class
from assessment.files import atomic_path
from assessment.report import notebook_to_html
from assessment.report.page import warm_up_export
from assessment.report.pdf import Printer
from assessment.text import label

__all__ = ["INFRA_ERRORS", "run_job"]

#: Exceptions that mean "the kernel or its plumbing failed", not "the report's code failed";
#: a job that fails with one of them is retried on a new kernel.  nbclient's
#: ``CellTimeoutError`` is not one of them: a cell past the report's time limit would only
#: hang again (issue 18: a hanging cell held a batch for 2 x 600 s).
INFRA_ERRORS = frozenset(
    {
        "DeadKernelError",
        "KernelDiedError",
        "TimeoutError",
        "ZMQError",
        "RuntimeError",
        "ConnectionResetError",
    }
)

#: What a kernel prints on a normal shutdown (jupyter_client interrupts it first).
_SHUTDOWN_CHATTER = "KeyboardInterrupt caught in kernel"


def _execute(job: Job, target: Path, running: dict[str, Any]) -> Any:
    """Execute the notebook into ``target``; returns the executed notebook.

    The time limit is the report's, not each cell's: every cell may take what is left of
    ``job.timeout`` (nbclient asks ``timeout_func`` as each cell starts, which also tells
    ``running`` which cell that is).
    """
    kernel_environment()
    deadline = time.monotonic() + job.timeout

    def time_left(cell: Any) -> int:
        running["cell"] = cell
        return max(1, math.ceil(deadline - time.monotonic()))

    if job.forked is not None and job.forked.in_runner:
        # This process was forked for this one report: it is the report's kernel.
        inprocess.register()
        engine: dict[str, Any] = {"engine_name": inprocess.ENGINE_NAME}
    else:
        manager = kernel_manager_class(Path(job.out_dir) / "kernel.log", job.forked)
        engine = {"start_timeout": 120, "kernel_manager_class": manager}
    return pm.execute_notebook(
        job.notebook,
        str(target),
        parameters=dict(job.parameters),
        kernel_name=job.kernel_name,
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        cwd=str(Path(job.notebook).parent),
        execution_timeout=job.timeout,
        timeout_func=time_left,
        **engine,
    )


def _execute_with_retries(job: Job, outcome: Outcome, started: float) -> tuple[Any, bool]:
    """Run the notebook into ``report.ipynb``, retrying infrastructure failures.

    Returns the executed notebook (``None`` when papermill raised) and whether
    ``report.ipynb`` was written: a failing cell keeps the notebook with its error, a kernel
    failure or a report past its time limit leaves none (``outcome`` says what failed).
    """
    final_nb = Path(job.out_dir) / "report.ipynb"
    for attempt in range(1, job.retries + 2):
        outcome.attempts = attempt
        running: dict[str, Any] = {}
        try:
            with atomic_path(final_nb) as tmp:
                try:
                    return _execute(job, tmp, running), True
                except PapermillExecutionError as exc:
                    # The report's code failed: keep the executed notebook with its error
                    # (papermill wrote it with a banner), then report the failing cell.
                    outcome.status = "failed"
                    outcome.error = f"{exc.ename}: {exc.evalue}"
                    outcome.failed_cell = int(exc.exec_count or exc.cell_index)
                    outcome.failed_source = str(exc.source)[:500]
            return None, True
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            outcome.status = "failed"
            outcome.error = f"{type(exc).__name__}: {exc}"
            timed_out = type(exc).__name__ == "CellTimeoutError"
            if timed_out:
                _timed_out(job, outcome, running.get("cell"))
            if timed_out or type(exc).__name__ not in INFRA_ERRORS or attempt > job.retries:
                outcome.seconds = time.perf_counter() - started
                return None, False
            outcome.status = "ok"  # retry once on a fresh kernel
            outcome.error = ""
    return None, False  # pragma: no cover - the loop always returns


def _timed_out(job: Job, outcome: Outcome, cell: Any) -> None:
    """Fill ``outcome`` for a report that ran past its time limit, naming the running cell.

    papermill saves the notebook only at the end, so a stopped report has none; the cell is
    the one nbclient was running (its execution count, as a failing cell is numbered).
    """
    outcome.error = (
        f"TimeoutError: the report ran longer than {job.timeout} s (--timeout); it was stopped"
    )
    if cell is not None:
        outcome.failed_cell = int(cell.get("execution_count") or 0) or None
        outcome.failed_source = str(cell.get("source", ""))[:500]


def run_job(job: Job) -> Outcome:
    """Render one client's report; never raises for the report's own errors.

    Returns
    -------
    Outcome
        ``ok`` with the files written, or ``failed`` with the failing cell and error.
    """
    started = time.perf_counter()
    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if job.forked is None or not job.forked.in_runner:
        _warm_up_export_meanwhile()  # while another process runs the cells
    # With --pdf, the browser starts on another core while the cells run (issue 19), unless
    # the caller prints (its browser started while this report was being planned).
    printer = Printer() if job.pdf and not job.pdf_by_caller else None
    try:
        return _render(job, started, printer)
    finally:
        if printer is not None:
            printer.close(wait=False)  # the PDF is written: the outcome need not wait


def _render(job: Job, started: float, printer: Printer | None) -> Outcome:
    """:func:`run_job` once its printer (with ``job.pdf``) is starting."""
    out = Path(job.out_dir)
    outcome = Outcome(client_id=job.client_id, status="ok")
    executed, kept = _execute_with_retries(job, outcome, started)
    if not kept:
        write_sidecar(job, outcome)  # the kernel failed, or the time ran out: nothing to export
        return outcome
    _tidy_kernel_log(out / "kernel.log")
    exported = time.perf_counter()
    nb = executed if executed is not None else nbformat.read(out / "report.ipynb", as_version=4)
    outcome.cells_seconds = sum(
        float(cell.metadata.get("papermill", {}).get("duration") or 0) for cell in nb.cells
    )
    title = label("report_file_title", job.lang, client=job.name)
    html = notebook_to_html(nb, title=title, lang=job.lang)
    # The sidecar is written before report.html is renamed into place: a report that exists
    # always has the sidecar that lets --resume skip it, whenever the batch is interrupted.
    with atomic_path(out / "report.html") as tmp:
        tmp.write_text(html, encoding="utf-8")
        outcome.export_seconds = time.perf_counter() - exported
        outcome.files = ["report.ipynb", "report.html"]
        if job.deck and outcome.status == "ok" and (out / "deck.pptx").is_file():
            outcome.files.append("deck.pptx")  # written by the notebook's last cell
        if printer is not None and outcome.status == "ok":
            pdf = out / "report.pdf"
            printer.print(tmp, pdf, client=job.name, lang=job.lang, paper=job.paper)
            outcome.files.append("report.pdf")
        outcome.seconds = time.perf_counter() - started
        write_sidecar(job, outcome)
    return outcome


def _warm_up_export_meanwhile() -> None:
    """Compile the HTML export's templates in a thread while the kernel runs the cells.

    This process waits for its kernel meanwhile, and a report's first export would otherwise
    compile them on the report's critical path (a single report without rehearsal, or the
    first report of a fresh worker); see :func:`~assessment.report.page.warm_up_export`.
    """
    thread = threading.Thread(target=warm_up_export, name="export-warm-up", daemon=True)
    thread.start()


def _tidy_kernel_log(log: Path) -> None:
    """Keep ``kernel.log`` only when it says something beyond normal shutdown chatter."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    if all(not line.strip() or _SHUTDOWN_CHATTER in line for line in lines):
        log.unlink(missing_ok=True)
