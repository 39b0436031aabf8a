"""The fork engine: every report's processes forked from one pre-warmed fork server.

The server (:mod:`assessment.batch.fork_server`) imports the report machinery and rehearses a
report once; each report is then a forked *job runner* (papermill + nbconvert) that executes
the notebook's cells itself (:mod:`assessment.batch.inprocess`; issue 19: no kernel process,
no sockets, no message round trips).  Isolation is that of fresh processes (one process per
report, forked from the untouched warm server); start-up is paid once per batch instead of
once per report.  A runner that dies (its cells killed it) is a dead kernel: retried once; a
runner past its time limit by :data:`RUNNER_GRACE` seconds is killed.  POSIX only; the
default engine there.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import os
import signal
import sys
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from assessment.batch.engines.base import Engine, Pool, StoppedError
from assessment.batch.engines.fresh import FreshEngine
from assessment.batch.fork_client import ForkServer, fork_job
from assessment.batch.jobs import ForkedKernels, Job, Outcome, write_sidecar
from assessment.exceptions import EngineError, ParameterError
from assessment.files import remove_leftovers

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.batch.planning import BatchPlan

__all__ = ["ForkEngine", "ForkedPool"]

#: What a failed start raises: the server cannot be started, died, or did not get warm in time.
_START_ERRORS = (OSError, RuntimeError, TimeoutError, EOFError)

#: Batches of at least this many reports wait for the server's whole rehearsal before their
#: reports are forked; smaller ones take what it has rehearsed so far (issue 19: a rehearsal
#: costs about one report, and saves each report only part of that).
REHEARSE_FROM = 2

#: Seconds a job runner may take beyond its report's time limit (``--timeout``) before the
#: pool kills it: the runner stops a report at its limit itself, unless a cell is stuck where
#: no signal reaches (inside C code); this is the backstop.
RUNNER_GRACE = 30


class ForkedPool:
    """Reports rendered by job runners that the fork server forks; threads here only wait."""

    def __init__(self, server: ForkServer, workers: int) -> None:
        self.server = server
        self.kernels = ForkedKernels(server.address, server.authkey)
        self.executor = cf.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report")
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}  # client id -> job runner pid
        self._stopping = threading.Event()

    def submit(self, job: Job) -> cf.Future:
        return self.executor.submit(self._run, dataclasses.replace(job, forked=self.kernels))

    def _started(self, job: Job, pid: int) -> None:
        with self._lock:
            self._running[job.client_id] = pid
        if self._stopping.is_set():  # stopped while this runner was being forked
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def _run(self, job: Job) -> Outcome:
        # A runner that executes the cells itself is the report's kernel: when it dies, the
        # kernel died, and that is retried once on a new one (as a dead forked kernel was).
        tries = 1 + (job.retries if self.kernels.in_runner else 0)
        for attempt in range(1, tries + 1):
            if self._stopping.is_set():
                raise StoppedError
            status, outcome = self._fork(job, job.timeout + RUNNER_GRACE)
            with self._lock:
                pid = self._running.pop(job.client_id, None)
            if status == "outcome":
                outcome.attempts = max(outcome.attempts, 1) + attempt - 1
                return outcome
            if status == "interrupted" or self._stopping.is_set():
                raise StoppedError
            if pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)  # past its time: stuck where no signal reaches
            remove_leftovers(job.out_dir)
        error = "the report's process died without an answer"
        if status == "late":
            error = (
                f"TimeoutError: the report ran longer than {job.timeout} s (--timeout) and "
                "did not stop; its process was killed"
            )
        outcome = Outcome(job.client_id, "failed", attempts=attempt, error=error)
        write_sidecar(job, outcome)
        return outcome

    def _fork(self, job: Job, seconds: float) -> tuple[str, Outcome | None]:
        """Fork ``job``'s runner from the server (or from this process, in a warm server's
        command child) and wait for its answer."""
        on_start = lambda pid: self._started(job, pid)  # noqa: E731
        local = getattr(self.server, "fork_job", None)
        if local is not None:
            return local(job, on_start=on_start, seconds=seconds)
        return fork_job(
            self.server.address, self.server.authkey, job, on_start=on_start, seconds=seconds
        )

    def stop(self, futures: Iterable[cf.Future]) -> None:
        """Cancel what has not started and ask running job runners to stop (SIGTERM)."""
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


class ForkEngine(Engine):
    """Job runners and kernels forked from a warm fork server (POSIX)."""

    name = "fork"

    #: Whether the server finishes its rehearsal before a batch is forked; ``None``: when the
    #: batch has :data:`REHEARSE_FROM` reports or more.
    rehearse: bool | None = None
    #: Set in a warm report server's command child (:mod:`assessment.batch.daemon`): reports
    #: are forked from that already warm process instead of a new fork server.
    local: Any = None

    def __init__(
        self, *, scheduler: str | None = None, explicit: bool = True, reports: int | None = None
    ) -> None:
        if scheduler:
            raise ParameterError(
                "--engine fork forks reports on this machine; use --engine fresh with --scheduler"
            )
        super().__init__(scheduler=scheduler, explicit=explicit, reports=reports)
        self.server: ForkServer | None = None
        self._failure: BaseException | None = None

    def start(self) -> None:
        """Start the server; it imports and rehearses while the caller plans the batch.

        For fewer than :data:`REHEARSE_FROM` reports (``reports``) it does not rehearse: the
        one report would wait for it.
        """
        if self.server is None and self._failure is None and ForkEngine.local is not None:
            self.server = ForkEngine.local
        if self.server is None and self._failure is None:
            few = self.reports is not None and self.reports < REHEARSE_FROM
            try:
                self.server = ForkServer.start(wait=False, rehearse=not few)
            except _START_ERRORS as exc:
                self._failure = exc

    def prepare(self, batch: BatchPlan) -> Engine:
        """Wait until the server is warm with the batch's files preloaded.

        When the engine was only the default and the server cannot start, the batch falls
        back to the fresh engine with a warning instead of failing.
        """
        self.start()
        try:
            if self._failure is not None:
                raise self._failure
            assert self.server is not None
            # Waits until the server has imported (and rehearsed, for a batch of several).
            self.server.preload(
                rehearse=self._rehearse_for(batch),
                langs={job.lang for job in batch.jobs},
                # Decks are written with python-pptx, which only a batch with decks needs.
                modules=["assessment.deck.slides"] if any(j.deck for j in batch.jobs) else [],
                parsed=batch.parsed,
                **batch.data_files,
            )
        except _START_ERRORS as exc:
            self.stop()
            if self.explicit:
                raise EngineError(
                    f"the fork engine could not start ({exc}); run with --engine fresh"
                ) from None
            fallback = FreshEngine(explicit=False)
            fallback.warnings.append(f"fork engine unavailable ({exc}); using fresh kernels")
            print(f"warning: {fallback.warnings[-1]}", file=sys.stderr)
            return fallback
        return self

    def _rehearse_for(self, batch: BatchPlan) -> bool:
        """Whether ``batch`` should wait for the server's whole rehearsal."""
        if self.rehearse is not None:
            return self.rehearse
        return len(batch.jobs) >= REHEARSE_FROM

    def default_jobs(self) -> int:
        """One report per CPU.

        A job runner executes its cells itself and never waits on a kernel, so a report more
        than there are CPUs only makes them share (24 reports on 2 CPUs: rendering 10.8-10.9 s
        with 2 at once against 11.5-14.9 s with 3).  With kernel processes (``in_runner``
        false) one more kept every CPU busy while a runner waited on its kernel.
        """
        return os.cpu_count() or 1

    def pool(self, workers: int) -> Pool:
        if self.server is None:
            raise EngineError("the fork engine was not prepared: call prepare(batch) first")
        return ForkedPool(self.server, workers)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None
