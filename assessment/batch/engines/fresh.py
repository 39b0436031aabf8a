"""The fresh engine: a new kernel process per report, in a pool of worker processes.

This is what papermill does by default.  Each worker renders reports one after another, each
with a newly started kernel; with ``--scheduler`` the same jobs go to a dask.distributed
cluster instead of local workers.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import logging
import multiprocessing as mp
import os
import signal
from collections.abc import Iterable
from typing import Any

from assessment.batch.engines.base import Engine, Pool
from assessment.batch.jobs import Job, Outcome
from assessment.batch.lifetime import die_with_parent, private_folder
from assessment.exceptions import MissingDependencyError

__all__ = ["FreshEngine", "ProcessPool"]

# Set in each pool worker by _worker_init's SIGTERM handler and by _pooled_job.
_IN_JOB = False
_STOPPING = False


def _worker_init(pids: Any = None, parent: int | None = None) -> None:
    """Set up a pool worker: Ctrl-C is the parent's business, SIGTERM means "stop cleanly".

    A terminal's Ctrl-C reaches every process in the foreground group.  Workers ignore it, and
    the parent, which owns the decision, asks running workers to stop with SIGTERM; the handler
    raises KeyboardInterrupt so papermill shuts its kernel down and every temporary file is
    removed on the way out.  The worker announces its pid on ``pids`` (a queue), because
    ``concurrent.futures`` has no public way to reach a pool's processes.  It dies with the
    batch (``parent``), even when the batch is killed outright.
    """
    if parent is not None:
        die_with_parent(parent)
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


def _pooled_job(job: Job) -> Outcome:
    """:func:`run_job` as run by a pool worker (marks the worker busy for the SIGTERM handler)."""
    global _IN_JOB
    if _STOPPING:
        raise KeyboardInterrupt  # the batch was interrupted: skip what was queued
    # local: the job machinery (papermill, the report) is imported where reports run, never
    # by a process that only picks an engine (issue 19: the fork server starts first).
    from assessment.batch.job import run_job

    _IN_JOB = True
    try:
        return run_job(job)
    finally:
        _IN_JOB = False


class ProcessPool:
    """Local worker processes with a clean way to stop on Ctrl-C."""

    def __init__(self, workers: int) -> None:
        # spawn: a worker must not inherit the parent's threads (tqdm, zmq) through fork.
        ctx = mp.get_context("spawn")
        self._pids = ctx.SimpleQueue()  # each worker's pid, sent as it starts
        self._workers: set[int] = set()
        private_folder()  # made now, so that the workers inherit it (kernel files go there)
        self.executor = cf.ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(self._pids, os.getpid()),
        )

    def submit(self, job: Job) -> cf.Future:
        return self.executor.submit(_pooled_job, job)

    def worker_pids(self) -> set[int]:
        """The pids of the workers started so far (they announce themselves as they start)."""
        while not self._pids.empty():
            self._workers.add(self._pids.get())
        return set(self._workers)

    def stop(self, futures: Iterable[cf.Future]) -> None:
        """Cancel what has not started and ask running workers to stop (SIGTERM)."""
        for fut in futures:
            fut.cancel()
        # concurrent.futures cannot stop running tasks: signal the workers themselves.
        for pid in self.worker_pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def close(self) -> None:
        """Wait for the workers to finish (or stop) and release them."""
        self.executor.shutdown(wait=True, cancel_futures=True)


class DaskPool:
    """Jobs sent to a dask.distributed cluster through its ``concurrent.futures`` executor."""

    def __init__(self, scheduler: str) -> None:
        try:
            from distributed import Client  # local: an optional extra ([dask])
        except ImportError:
            raise MissingDependencyError("dask.distributed", "dask") from None
        self._client = Client(scheduler)
        self.executor: cf.Executor = self._client.get_executor(pure=False)

    def submit(self, job: Job) -> cf.Future:
        from assessment.batch.job import run_job  # local: see _pooled_job

        # run_job as is: dask's workers are not set up by _worker_init.
        return self.executor.submit(run_job, job)

    def stop(self, futures: Iterable[cf.Future]) -> None:
        """Cancel what has not started (running tasks finish on the cluster)."""
        for fut in futures:
            fut.cancel()

    def close(self) -> None:
        self._client.close()


class FreshEngine(Engine):
    """A newly started kernel process per report; local workers or a dask cluster."""

    name = "fresh"

    def pool(self, workers: int) -> Pool:
        return DaskPool(self.scheduler) if self.scheduler else ProcessPool(workers)
