"""The engine interface: how a batch gets the processes its reports run in.

An :class:`Engine` is chosen once per batch (by name, from
:data:`assessment.batch.engines.registry`)
and owns everything that differs between ways of running reports: warming up, how many reports
run at once, and the :class:`Pool` that runs them.  The batch itself (:func:`~assessment.batch.
run_batch`) never asks which engine it has.  The pattern is papermill's engine registry: a small
base class, implementations registered by name.
"""

from __future__ import annotations

import abc
import concurrent.futures as cf
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar, Protocol

from assessment.batch.jobs import Job

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.batch.planning import BatchPlan

__all__ = ["Engine", "Pool", "StoppedError"]


class StoppedError(Exception):
    """A report that was stopped because the batch was interrupted (not a failure)."""


class Pool(Protocol):
    """What runs a batch's jobs: submit them, stop on Ctrl-C, wait for the end."""

    def submit(self, job: Job) -> cf.Future:
        """Start rendering ``job``; the future's result is its :class:`~.jobs.Outcome`."""

    def stop(self, futures: Iterable[cf.Future]) -> None:
        """Cancel what has not started and ask running reports to stop cleanly."""

    def close(self) -> None:
        """Wait until every running report has finished or stopped, then release resources."""


class Engine(abc.ABC):
    """Where a batch's reports run.  Subclasses implement :meth:`pool`.

    The lifecycle: :meth:`start` (as early as possible, so warm-up overlaps the caller's
    planning), :meth:`prepare` (once the batch is planned; may hand back a fallback engine),
    :meth:`pool` (as many times as needed), :meth:`stop` (always; also via ``with engine:``).

    Parameters
    ----------
    scheduler
        Address of a dask.distributed scheduler, for engines that can use one.
    explicit
        Whether the user chose this engine.  An engine chosen by default may fall back to
        another one with a warning when it cannot start; a chosen one fails instead.
    reports
        How many reports the caller will render, when it knows before planning (``maturity
        report``: one); ``None`` when it does not.  An engine may warm up accordingly.
    """

    #: The name the engine is registered under (``--engine NAME``).
    name: ClassVar[str] = ""

    def __init__(
        self, *, scheduler: str | None = None, explicit: bool = True, reports: int | None = None
    ) -> None:
        self.scheduler = scheduler
        self.explicit = explicit
        self.reports = reports
        #: Warnings for the user (a fallback, for instance), collected by the batch.
        self.warnings: list[str] = []

    def start(self) -> None:  # noqa: B027 - optional hook, nothing to do by default
        """Begin warming up without waiting for it.  By default there is nothing to warm."""

    def prepare(self, batch: BatchPlan) -> Engine:
        """Get ready for ``batch`` and return the engine to render it with (``self``)."""
        del batch
        return self

    def default_jobs(self) -> int:
        """Reports rendered at once when the user does not say: one per CPU."""
        return os.cpu_count() or 1

    @abc.abstractmethod
    def pool(self, workers: int) -> Pool:
        """A pool running up to ``workers`` reports at once."""

    def stop(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release what :meth:`start` acquired (idempotent)."""

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
