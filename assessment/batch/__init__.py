"""Render the report notebook for many clients: in parallel, resumable, isolated.

The shape, in order:

1. :func:`plan` loads and validates every input **once** in the parent (so a bad file fails
   before any kernel starts), checks the parameters against the notebook's ``parameters`` cell,
   scores the whole portfolio and builds one :class:`Job` per client.
2. :func:`run_job` runs in a worker process: papermill executes the notebook in a fresh
   ``python3`` kernel, nbconvert exports self-contained HTML in process, headless Chromium prints
   the PDF when asked.  Every file goes to a temporary name and is renamed into place.
3. :func:`run_batch` fans the jobs out over a process pool (or a dask cluster through its
   ``concurrent.futures`` executor), shows progress with tqdm, and writes the portfolio index,
   ``scores.csv``/``scores.xlsx`` and ``manifest.json``.

One client's failure never stops the others: its executed notebook is kept with the error, and
the index names the failing cell.  Infrastructure failures (kernel did not start, died, or a
port race) are retried once on a fresh kernel.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import hashlib
import json
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from assessment import __version__
from assessment.exceptions import EngineError, InputError, ParameterError
from assessment.files import atomic_path, atomic_write_text
from assessment.inputs import check_safe_id, file_sha256
from assessment.report.pdf import find_chromium, html_to_pdf

__all__ = ["BatchPlan", "Job", "Outcome", "default_notebook", "plan", "run_batch", "run_job"]

#: Exceptions that mean "the kernel or its plumbing failed", not "the report's code failed".
_INFRA_ERRORS = (
    "DeadKernelError",
    "KernelDiedError",
    "TimeoutError",
    "ZMQError",
    "RuntimeError",
    "CellTimeoutError",
    "ConnectionResetError",
)


def packaged_notebook(name: str = "client_report.ipynb") -> Path:
    """A notebook shipped inside the package (the repository's ``notebooks/`` folder)."""
    from importlib import resources

    return Path(str(resources.files("assessment") / "notebooks" / name))


def default_notebook() -> Path:
    """The packaged report notebook (``notebooks/client_report.ipynb``)."""
    return packaged_notebook("client_report.ipynb")


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to render one client's report (picklable)."""

    client_id: str
    name: str
    notebook: str
    out_dir: str
    parameters: Mapping[str, Any]
    input_hash: str
    lang: str = "en"
    pdf: bool = False
    kernel_name: str = "python3"
    cell_timeout: int = 600
    retries: int = 1
    engine: str = "fresh"  # "fast": kernel forked from a warm fork server; "fresh": new process
    forkserver: tuple[str, bytes] | None = None  # (socket address, authkey) for "fast"


@dataclass
class Outcome:
    """What happened to one job."""

    client_id: str
    status: str  # "ok", "failed", "skipped"
    seconds: float = 0.0
    attempts: int = 0
    error: str = ""
    failed_cell: int | None = None
    failed_source: str = ""
    files: list[str] = field(default_factory=list)
    #: Seconds in the notebook's cells (papermill's per-cell durations) and in the export.
    cells_seconds: float = 0.0
    export_seconds: float = 0.0


@dataclass
class BatchPlan:
    """Validated inputs, the portfolio's scores and one job per client."""

    jobs: list[Job]
    summary: pd.DataFrame
    clients: pd.DataFrame | None
    out_dir: Path
    rubric_label: str
    inputs: dict[str, str]
    result: Any = None
    lang: str = "en"  # language of the portfolio index
    warnings: list[str] = field(default_factory=list)
    #: The run's rubric and data files (absolute paths), as every report loads them.
    data_files: dict[str, Any] = field(default_factory=dict)


# -- planning ----------------------------------------------------------------------------------


def _notebook_parameters(notebook: Path) -> dict[str, dict[str, Any]]:
    import papermill as pm

    try:
        return pm.inspect_notebook(str(notebook))
    except Exception as exc:  # papermill raises plain exceptions for unreadable notebooks
        raise InputError(f"{notebook}: cannot read the report notebook ({exc})") from None


_TYPE_CHECKS: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "list": (list, tuple),
    "dict": (dict,),
}


def validate_parameters(
    notebook: Path,
    parameters: Mapping[str, Any],
    declared: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    """Check ``parameters`` against the notebook's ``parameters`` cell before any kernel starts.

    ``declared`` is the notebook's parameters as papermill inspects them (read from
    ``notebook`` when omitted), so that checking many clients reads the notebook once.

    Raises
    ------
    ParameterError
        Naming every unknown parameter and every value of the wrong type.
    """
    if declared is None:
        declared = _notebook_parameters(notebook)
    if not declared:
        raise ParameterError(f"{notebook}: no cell tagged 'parameters'")
    problems = []
    for name, value in parameters.items():
        if name not in declared:
            problems.append(
                f"unknown parameter {name!r}; the notebook declares {', '.join(sorted(declared))}"
            )
            continue
        want = declared[name].get("inferred_type_name", "None")
        types = _TYPE_CHECKS.get(want)
        ok = types is None or (
            isinstance(value, types) and not (want in ("int", "float") and isinstance(value, bool))
        )
        if not ok:
            problems.append(
                f"parameter {name!r} expects {want}; found {type(value).__name__} {value!r}"
            )
    if problems:
        raise ParameterError(f"{notebook}: " + "; ".join(problems))


def _hash_inputs(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def plan(
    answers: Sequence[str | Path],
    *,
    rubric: str | Path = "social-media",
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
    out_dir: str | Path = "reports",
    notebook: str | Path | None = None,
    lang: str | None = None,
    pdf: bool = False,
    only: Sequence[str] | None = None,
    extra_parameters: Mapping[str, Any] | None = None,
    numerals: str = "western",
) -> BatchPlan:
    """Validate the inputs and build one job per client.

    Parameters
    ----------
    answers
        Answer files (long or wide).
    rubric, clients, peers, targets
        As for ``maturity score``.
    out_dir
        Where ``<client>/report.html`` and the index go.
    notebook
        The report notebook (default: :func:`default_notebook`).
    lang
        Report language for every client; ``None`` uses the clients table's ``lang`` column
        (English where empty).
    pdf
        Also print each report to PDF with headless Chromium.
    only
        Restrict the batch to these client ids.
    extra_parameters
        Further notebook parameters (validated against the notebook).
    numerals
        ``western`` (0-9) or ``arabic-indic`` digits in the reports.

    Raises
    ------
    InputError
        For invalid files, unknown clients, unsafe ids or parameters the notebook rejects.
    """
    from assessment.inputs import load_inputs, resolve_files
    from assessment.rubric import load_rubric, missing_translations, resolve_rubric_path
    from assessment.scoring import score

    nb_path = Path(notebook) if notebook else default_notebook()
    if numerals not in ("western", "arabic-indic"):
        raise ParameterError(f"numerals must be 'western' or 'arabic-indic'; found {numerals!r}")
    if not nb_path.is_file():
        raise InputError(f"report notebook {nb_path} not found; pass --notebook PATH")
    rub = load_rubric(rubric)
    rubric_path = resolve_rubric_path(rubric)
    answers, clients, peers, targets = resolve_files(answers, clients, peers, targets)
    data = load_inputs(list(answers), rub, clients=clients, peers=peers, targets=targets)
    answer_df, client_df = data.answers, data.clients
    result = score(rub, answer_df, clients=client_df, peers=data.peers, targets=data.targets)

    ids = sorted(set(answer_df["client_id"].astype(str)))
    if only:
        unknown = sorted(set(only) - set(ids))
        if unknown:
            raise ParameterError(f"no answers for client(s) {', '.join(map(repr, unknown))}")
        ids = [c for c in ids if c in set(only)]
    for cid in ids:
        check_safe_id(cid)

    absolute = lambda p: str(Path(p).resolve()) if p else ""  # noqa: E731
    base = {
        "rubric": str(rubric_path.resolve()),
        "answers": [absolute(a) for a in answers],
        "clients": absolute(clients),
        "peers": absolute(peers),
        "targets": absolute(targets),
        "numerals": numerals,
        **(extra_parameters or {}),
    }
    inputs = {str(p): file_sha256(p) for p in [*answers, clients, peers, targets] if p}
    nb_hash = file_sha256(nb_path)
    names = client_df.set_index("client_id")["name"].to_dict() if client_df is not None else {}
    langs = client_df.set_index("client_id")["lang"].to_dict() if client_df is not None else {}
    out = Path(out_dir)
    jobs = []
    declared = _notebook_parameters(nb_path)
    for cid in ids:
        job_lang = lang or langs.get(cid) or "en"
        params = {**base, "client_id": cid, "lang": job_lang}
        validate_parameters(nb_path, params, declared)
        digest = _hash_inputs(
            [
                __version__,
                nb_hash,
                rub.content_hash,
                json.dumps(params, sort_keys=True),
                *(f"{k}={v}" for k, v in sorted(inputs.items())),
                f"pdf={pdf}",
            ]
        )
        jobs.append(
            Job(
                client_id=cid,
                name=str(names.get(cid) or cid),
                notebook=str(nb_path.resolve()),
                out_dir=str((out / cid).resolve()),
                parameters=params,
                input_hash=digest,
                lang=job_lang,
                pdf=pdf,
            )
        )
    warnings = []
    for job_lang in sorted({j.lang for j in jobs} - {"en"}):
        missing = missing_translations(rub, job_lang)
        if missing:
            shown = ", ".join(missing[:5]) + (
                f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            )
            warnings.append(
                f"rubric {rub.id!r} has no {job_lang!r} text for {len(missing)} field(s); "
                f"English is shown for: {shown}"
            )
    summary = result.summary()
    # The index, scores.csv and the manifest describe this batch: only the clients rendered.
    summary = summary.loc[summary["client_id"].isin(ids)].reset_index(drop=True)
    if client_df is not None:
        summary.insert(1, "name", summary["client_id"].map(names))
    return BatchPlan(
        jobs=jobs,
        summary=summary,
        clients=client_df,
        out_dir=out,
        rubric_label=f"{rub.id} {rub.version} ({rub.content_hash[:12]})",
        inputs=inputs,
        result=result,
        lang=lang or "en",
        warnings=warnings,
        data_files={k: base[k] for k in ("rubric", "answers", "clients", "peers", "targets")},
    )


# -- one job -----------------------------------------------------------------------------------


def _sidecar(job: Job) -> Path:
    return Path(job.out_dir) / "report.json"


def is_up_to_date(job: Job) -> bool:
    """True when the job's outputs exist and were made from the same inputs."""
    side = _sidecar(job)
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = ["report.ipynb", "report.html"] + (["report.pdf"] if job.pdf else [])
    return (
        meta.get("input_hash") == job.input_hash
        and meta.get("status") == "ok"
        and all((Path(job.out_dir) / f).is_file() for f in wanted)
    )


def _kernel_env() -> None:
    # The worker's kernels inherit this environment: no GUI backend, no stray warnings about
    # frozen modules, and the same interpreter as the batch (python3 resolves to sys.executable).
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def kernel_manager_class(log_path: Path, forkserver: tuple[str, bytes] | None = None) -> type:
    """A kernel manager for batch kernels: private sockets, stderr kept in a log file.

    On POSIX the kernel talks over Unix sockets instead of loopback TCP: no ports, so parallel
    kernels cannot race for one, and nothing listens on the network.  The kernel's own stderr
    (start-up warnings, shutdown chatter, crash messages) goes to ``kernel.log`` next to the
    report instead of the user's terminal.
    """
    from jupyter_client.manager import AsyncKernelManager

    class BatchKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            if os.name == "posix":
                self.transport = "ipc"
                # A unique socket prefix per kernel: the default ("kernel-ipc" in the working
                # directory) is shared by parallel kernels, which then read each other's
                # messages.
                self.ip = os.path.join(tempfile.gettempdir(), f"assessment-{uuid.uuid4().hex}")

        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            if forkserver is None:
                if "stderr" in kw:
                    await super()._async_launch_kernel(kernel_cmd, **kw)
                    return
                # The started kernel has its own copy of the descriptor: ours is closed at
                # once (a pool worker renders many reports and would leak one per kernel).
                with open(log_path, "ab") as log:
                    await super()._async_launch_kernel(kernel_cmd, stderr=log, **kw)
                return
            # Fast engine: the warm fork server forks a child that becomes this kernel, on
            # the connection file jupyter_client has just written.
            import asyncio

            from assessment.batch.forkserver import PidProcess, fork_kernel

            request = {
                "connection_file": self.connection_file,
                "cwd": str(kw.get("cwd") or Path.cwd()),
                "env": dict(kw.get("env") or os.environ),
                "log": str(log_path),
            }
            pid = await asyncio.to_thread(fork_kernel, *forkserver, request)
            prov = self.provisioner
            prov.process = PidProcess(pid)  # type: ignore[union-attr]
            prov.pid = pid  # type: ignore[union-attr]
            prov.pgid = pid  # type: ignore[union-attr] - the child called setsid()
            prov.cwd = request["cwd"]  # type: ignore[union-attr]
            self._reconcile_connection_info(prov.connection_info)  # type: ignore[union-attr]

    return BatchKernelManager


def _execute(job: Job, target: Path) -> Any:
    """Execute the notebook into ``target``; returns the executed notebook."""
    import papermill as pm

    _kernel_env()
    log = Path(job.out_dir) / "kernel.log"
    extra: dict[str, Any] = {
        "kernel_manager_class": kernel_manager_class(
            log, job.forkserver if job.engine == "fast" else None
        )
    }
    return pm.execute_notebook(
        job.notebook,
        str(target),
        parameters=dict(job.parameters),
        kernel_name=job.kernel_name,
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        cwd=str(Path(job.notebook).parent),
        execution_timeout=job.cell_timeout,
        start_timeout=120,
        **extra,
    )


def run_job(job: Job) -> Outcome:
    """Render one client's report; never raises for the report's own errors.

    Returns
    -------
    Outcome
        ``ok`` with the files written, or ``failed`` with the failing cell and error.
    """
    import nbformat
    from papermill.exceptions import PapermillExecutionError

    from assessment.report import notebook_to_html

    start = time.perf_counter()
    out = Path(job.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    outcome = Outcome(client_id=job.client_id, status="ok")
    final_nb = out / "report.ipynb"
    executed = None  # the notebook papermill returns; read back from disk when it raised
    for attempt in range(1, job.retries + 2):
        outcome.attempts = attempt
        try:
            with atomic_path(final_nb) as tmp:
                try:
                    executed = _execute(job, tmp)
                except PapermillExecutionError as exc:
                    # The report's code failed: keep the executed notebook with its error
                    # (papermill wrote it with a banner), then report the failing cell.
                    outcome.status = "failed"
                    outcome.error = f"{exc.ename}: {exc.evalue}"
                    outcome.failed_cell = int(exc.exec_count or exc.cell_index)
                    outcome.failed_source = str(exc.source)[:500]
            break
        except KeyboardInterrupt:
            raise
        except Exception as exc:
            infra = type(exc).__name__ in _INFRA_ERRORS
            outcome.status = "failed"
            outcome.error = f"{type(exc).__name__}: {exc}"
            if not infra or attempt > job.retries:
                outcome.seconds = time.perf_counter() - start
                _write_sidecar(job, outcome)
                return outcome
            outcome.status = "ok"  # retry once on a fresh kernel
            outcome.error = ""
    _tidy_kernel_log(out / "kernel.log")
    exported = time.perf_counter()
    nb = executed if executed is not None else nbformat.read(final_nb, as_version=4)
    outcome.cells_seconds = sum(
        float(cell.metadata.get("papermill", {}).get("duration") or 0) for cell in nb.cells
    )
    title = f"{job.name} – social-media maturity"
    html = notebook_to_html(nb, title=title, lang=job.lang)
    atomic_write_text(out / "report.html", html)
    outcome.export_seconds = time.perf_counter() - exported
    outcome.files = ["report.ipynb", "report.html"]
    if job.pdf and outcome.status == "ok":
        html_to_pdf(out / "report.html", out / "report.pdf")
        outcome.files.append("report.pdf")
    outcome.seconds = time.perf_counter() - start
    _write_sidecar(job, outcome)
    return outcome


#: What a kernel prints on a normal shutdown (jupyter_client interrupts it first).
_SHUTDOWN_CHATTER = "KeyboardInterrupt caught in kernel"


def _tidy_kernel_log(log: Path) -> None:
    """Keep ``kernel.log`` only when it says something beyond normal shutdown chatter."""
    try:
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    if all(not line.strip() or _SHUTDOWN_CHATTER in line for line in lines):
        log.unlink(missing_ok=True)


def _write_sidecar(job: Job, outcome: Outcome) -> None:
    meta = {"input_hash": job.input_hash, **asdict(outcome)}
    atomic_write_text(_sidecar(job), json.dumps(meta, indent=2) + "\n")


# -- the batch ---------------------------------------------------------------------------------


def _worker_init(pids: Any = None) -> None:
    """Set up a pool worker: Ctrl-C is the parent's business, SIGTERM means "stop cleanly".

    A terminal's Ctrl-C reaches every process in the foreground group.  Workers ignore it, and
    the parent, which owns the decision, asks running workers to stop with SIGTERM; the handler
    raises KeyboardInterrupt so papermill shuts its kernel down and every temporary file is
    removed on the way out.  The worker announces its pid on ``pids`` (a queue), because
    ``concurrent.futures`` has no public way to reach a pool's processes.
    """
    import logging
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if pids is not None:
        pids.put(os.getpid())

    def stop(signum: int, frame: Any) -> None:
        global _STOPPING
        _STOPPING = True  # jobs already queued to this worker must not start
        if _IN_JOB:
            raise KeyboardInterrupt  # unwinds papermill: kernel shut down, temp files removed

    signal.signal(signal.SIGTERM, stop)
    # nbclient's background tasks report a kernel stopped on purpose as "never retrieved".
    logging.getLogger("asyncio").setLevel(logging.CRITICAL)


_IN_JOB = False
_STOPPING = False


def _pooled_job(job: Job) -> Outcome:
    """:func:`run_job` as run by a pool worker (marks the worker busy for the SIGTERM handler)."""
    global _IN_JOB
    if _STOPPING:
        raise KeyboardInterrupt  # the batch was interrupted: skip what was queued
    _IN_JOB = True
    try:
        return run_job(job)
    finally:
        _IN_JOB = False


class _Pool:
    """A process pool (or dask executor) with a clean way to stop on Ctrl-C."""

    def __init__(self, jobs: int, scheduler: str | None) -> None:
        self._client = None
        if scheduler:
            try:
                from distributed import Client
            except ImportError:
                from assessment.exceptions import MissingDependencyError

                raise MissingDependencyError("dask.distributed", "dask") from None
            self._client = Client(scheduler)
            self.executor: cf.Executor = self._client.get_executor(pure=False)
        else:
            import multiprocessing as mp

            # spawn: a worker must not inherit the parent's threads (tqdm, zmq) through fork.
            ctx = mp.get_context("spawn")
            self._pids = ctx.SimpleQueue()  # each worker's pid, sent as it starts
            self._workers: set[int] = set()
            self.executor = cf.ProcessPoolExecutor(
                max_workers=jobs, mp_context=ctx, initializer=_worker_init, initargs=(self._pids,)
            )

    def submit(self, job: Job) -> cf.Future:
        # On dask, run_job as is: its workers are not set up by _worker_init.
        return self.executor.submit(_pooled_job if self._client is None else run_job, job)

    def stop(self, futures: Iterable[cf.Future]) -> None:
        """Cancel what has not started and ask running workers to stop."""
        import signal

        for fut in futures:
            fut.cancel()
        if self._client is None:
            # concurrent.futures cannot stop running tasks: signal the workers themselves,
            # which announced their pids as they started (see _worker_init).
            while not self._pids.empty():
                self._workers.add(self._pids.get())
            for pid in self._workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)

    def close(self) -> None:
        """Wait for the workers to finish (or stop) and release them."""
        if self._client is not None:
            self._client.close()
        else:
            self.executor.shutdown(wait=True, cancel_futures=True)


class _ForkedPool:
    """Reports rendered by job runners that the fork server forks; threads here only wait.

    Each report is one forked job runner (papermill + nbconvert) and one forked kernel, both
    from the warm server, so no worker process pays for imports.  The threads of this pool
    just wait for the runners' answers.
    """

    def __init__(self, server: Any, jobs: int) -> None:
        import threading

        self.server = server
        self.executor = cf.ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="report")
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}  # client id -> job runner pid
        self._stopping = threading.Event()

    def submit(self, job: Job) -> cf.Future:
        return self.executor.submit(self._run, job)

    def _started(self, job: Job, pid: int) -> None:
        import signal

        with self._lock:
            self._running[job.client_id] = pid
        if self._stopping.is_set():  # stopped while this runner was being forked
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _run(self, job: Job) -> Outcome:
        from assessment.batch.forkserver import fork_job

        if self._stopping.is_set():
            raise _StoppedError
        status, outcome = fork_job(
            self.server.address,
            self.server.authkey,
            job,
            on_start=lambda pid: self._started(job, pid),
        )
        with self._lock:
            self._running.pop(job.client_id, None)
        if status == "outcome":
            return outcome
        if status == "interrupted" or self._stopping.is_set():
            raise _StoppedError
        outcome = Outcome(
            job.client_id, "failed", error="the report's process died without an answer"
        )
        _write_sidecar(job, outcome)
        return outcome

    def stop(self, futures: Iterable[cf.Future]) -> None:
        """Cancel what has not started and ask running job runners to stop (SIGTERM)."""
        import signal

        self._stopping.set()
        for fut in futures:
            fut.cancel()
        with self._lock:
            pids = list(self._running.values())
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def close(self) -> None:
        """Wait until every runner has answered (or stopped)."""
        self.executor.shutdown(wait=True, cancel_futures=True)


class _StoppedError(Exception):
    """A report that was stopped because the batch was interrupted."""


def default_engine(scheduler: str | None = None) -> str:
    """``fast`` (forked warm kernels) on POSIX for local runs; ``fresh`` otherwise.

    A dask cluster's workers may be on other machines, where the local fork server's socket
    does not exist, so scheduler runs use fresh kernels.
    """
    return "fast" if os.name == "posix" and not scheduler else "fresh"


def default_jobs(engine: str) -> int:
    """Reports rendered at once: one per CPU, plus one with the fast engine.

    A fast-engine report's processes briefly wait on each other (kernel start-up, message
    round trips); one report more than there are CPUs keeps every CPU busy meanwhile (24
    reports on 2 CPUs: 20.7 s with 3 at once against 24.6 s with 2).
    """
    cpus = os.cpu_count() or 1
    return cpus + 1 if engine == "fast" else cpus


def start_engine(engine: str | None, scheduler: str | None = None) -> Any:
    """Start the fast engine's fork server without waiting for it to warm up.

    Call it before :func:`plan` and pass the result to :func:`run_batch`: the server imports
    and rehearses on one core while the caller validates and scores the inputs on the other.
    Returns ``None`` when the batch will not use the fast engine.
    """
    engine = engine or default_engine(scheduler)
    if engine != "fast" or scheduler:
        return None
    from assessment.batch.forkserver import ForkServer

    return ForkServer.start(wait=False)


def run_batch(
    batch: BatchPlan,
    *,
    jobs: int | None = None,
    resume: bool = False,
    scheduler: str | None = None,
    quiet: bool = False,
    progress_file: Any = None,
    engine: str | None = None,
    portfolio: bool = True,
    forkserver: Any = None,
) -> list[Outcome]:
    """Render every job of ``batch`` and write the portfolio outputs.

    ``portfolio=False`` renders the reports only, leaving any existing ``index.html``,
    ``scores.csv`` and manifest of a previous full batch in the output folder untouched.

    ``engine`` is ``"fast"`` (each report rendered by processes forked from a pre-warmed fork
    server) or ``"fresh"`` (each report in a newly started kernel process, in a pool of worker
    processes or on a dask cluster); both run every report in its own processes.  The default
    is :func:`default_engine`.  ``forkserver`` is a server from :func:`start_engine` (it is
    stopped here); without one the fast engine starts its own.

    Returns
    -------
    list of Outcome
        One per client, in client order.
    """
    from tqdm import tqdm

    explicit = engine is not None
    engine = engine or default_engine(scheduler)
    try:
        if engine not in ("fast", "fresh"):
            raise ParameterError(f"engine must be 'fast' or 'fresh'; found {engine!r}")
        if engine == "fast" and scheduler:
            raise ParameterError(
                "--engine fast forks reports on this machine; use --engine fresh with --scheduler"
            )
        if batch.jobs and any(j.pdf for j in batch.jobs):
            find_chromium()  # fail before any kernel starts
    except BaseException:
        if forkserver is not None:
            forkserver.stop()
        raise
    batch.out_dir.mkdir(parents=True, exist_ok=True)
    todo, outcomes = [], {}
    for job in batch.jobs:
        if resume and is_up_to_date(job):
            outcomes[job.client_id] = Outcome(
                job.client_id, "skipped", files=["report.ipynb", "report.html"]
            )
        else:
            todo.append(job)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    server = forkserver
    bar = None
    interrupted = False
    futures: dict[cf.Future, Job] = {}
    pool: Any = None
    try:
        if portfolio:
            # The scores do not depend on the reports: written now, while the fast engine's
            # server is still warming up on the other core.
            write_scores(batch)
        if engine == "fast" and todo:
            # While the server warms up: load what the index page needs at the end (the
            # report module imports matplotlib), so that the last report is not followed by
            # a second of imports.
            from assessment import report  # noqa: F401

            server, engine = _warm_server(server, batch, explicit)
        timings["before_rendering"] = time.perf_counter() - started
        n_workers = jobs or default_jobs(engine)
        if server is not None and engine == "fast":
            from dataclasses import replace

            todo = [
                replace(j, engine="fast", forkserver=(server.address, server.authkey)) for j in todo
            ]
        bar = tqdm(
            total=len(todo),
            unit="report",
            disable=quiet or not todo,
            file=progress_file or sys.stderr,
            desc="rendering",
        )
        if todo:
            workers = min(n_workers, len(todo))
            pool = _ForkedPool(server, workers) if engine == "fast" else _Pool(workers, scheduler)
            futures = {pool.submit(job): job for job in todo}
            for fut in cf.as_completed(futures):
                job = futures[fut]
                try:
                    outcome = fut.result()
                except Exception as exc:  # the worker itself died
                    outcome = Outcome(job.client_id, "failed", error=f"{type(exc).__name__}: {exc}")
                outcomes[job.client_id] = outcome
                bar.update(1)
                if outcome.status == "failed":
                    bar.write(f"failed: {job.client_id}: {outcome.error}")
        timings["rendering"] = time.perf_counter() - started - timings["before_rendering"]
    except KeyboardInterrupt:
        interrupted = True
        if pool is not None:
            pool.stop(futures)
    finally:
        if bar is not None:
            bar.close()
        if pool is not None:
            pool.close()
        if server is not None:
            server.stop()
    if interrupted:
        # Keep what finished before Ctrl-C (resume picks up from there).
        for fut, job in futures.items():
            if fut.done() and not fut.cancelled() and fut.exception() is None:
                outcome = fut.result()
                if outcome.status != "failed":
                    outcomes[job.client_id] = outcome
    ordered = [outcomes[j.client_id] for j in batch.jobs if j.client_id in outcomes]
    if portfolio:
        write_portfolio(
            batch,
            ordered,
            seconds=time.perf_counter() - started,
            interrupted=interrupted,
            scores=False,
            timings=timings,
        )
    if interrupted:
        raise KeyboardInterrupt
    return ordered


def _warm_server(server: Any, batch: BatchPlan, explicit: bool) -> tuple[Any, str]:
    """The warm fork server with the batch's files preloaded, and the engine to use.

    When the fast engine was only the default and its server cannot start, the batch falls
    back to fresh kernels with a warning instead of failing.
    """
    from assessment.batch.forkserver import ForkServer

    try:
        if server is None:
            server = ForkServer.start(wait=False)
        server.preload(**batch.data_files)  # waits until the server is warm
    except (OSError, RuntimeError, TimeoutError, EOFError) as exc:
        if server is not None:
            server.stop()
        if explicit:
            raise EngineError(
                f"the fast engine could not start ({exc}); run with --engine fresh"
            ) from None
        batch.warnings.append(f"fast engine unavailable ({exc}); using fresh kernels")
        print(f"warning: {batch.warnings[-1]}", file=sys.stderr)
        return None, "fresh"
    return server, "fast"


def write_scores(batch: BatchPlan) -> None:
    """Write ``scores.csv`` and ``scores.xlsx``: the portfolio's scores, known before rendering."""
    out = batch.out_dir
    summary = batch.summary
    atomic_write_text(out / "scores.csv", summary.to_csv(index=False))
    with atomic_path(out / "scores.xlsx") as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        summary.to_excel(xl, sheet_name="scores", index=False)
        if batch.result is not None:
            batch.result.dimensions.to_excel(xl, sheet_name="dimensions", index=False)
            batch.result.recommendations.to_excel(xl, sheet_name="recommendations", index=False)


def write_portfolio(
    batch: BatchPlan,
    outcomes: Sequence[Outcome],
    *,
    seconds: float,
    interrupted: bool = False,
    scores: bool = True,
    timings: Mapping[str, float] | None = None,
) -> None:
    """Write ``index.html`` and ``manifest.json`` (and, with ``scores``, :func:`write_scores`)."""
    from assessment.report import portfolio_page

    out = batch.out_dir
    if scores:
        write_scores(batch)
    by_id = {o.client_id: o for o in outcomes}
    atomic_write_text(out / "index.html", portfolio_page(batch, by_id, lang=batch.lang))
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
