"""An engine kept warm across batches, for a long-lived process such as a workshop.

A batch normally starts its engine and stops it at the end: for ``maturity batch`` the warm-up
is paid once per batch, which is what a batch of many reports wants.  A long-lived process
that renders one report now and then (the workshop's facilitator page renders a report each
time a workshop is finalised) would pay that warm-up on every report.  :class:`KeptEngine`
wraps an engine so that :func:`~assessment.batch.run_batch` cannot stop it: the engine warms up
once, in the background, and every later report starts from it (issue 19).  The process stops
it with :meth:`KeptEngine.close` (a fork server also goes when its process exits).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from assessment.batch.engines.base import Engine, Pool

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.batch.planning import BatchPlan

__all__ = ["KeptEngine"]


class KeptEngine(Engine):
    """An engine that batches use but do not stop; :meth:`close` stops it.

    Parameters
    ----------
    make
        Builds the engine to keep (called again when the kept one stopped working, for
        instance a fork server that was killed).

    Examples
    --------
    >>> from assessment.batch.engines import FreshEngine, KeptEngine
    >>> kept = KeptEngine(lambda: FreshEngine(explicit=False))
    >>> kept.start()
    >>> kept.stop()  # what a batch calls at its end: the engine stays
    >>> kept.started
    True
    >>> kept.close()
    """

    name = "kept"

    def __init__(self, make: Callable[[], Engine]) -> None:
        super().__init__(explicit=False)
        self._make = make
        self._engine: Engine | None = None
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine | None:
        """The engine kept now (``None`` before :meth:`start` and after :meth:`close`)."""
        return self._engine

    @property
    def started(self) -> bool:
        """Whether an engine is kept (started and not closed)."""
        return self._engine is not None

    def start(self) -> None:
        """Start the kept engine unless it runs already; it warms up in the background."""
        with self._lock:
            if self._engine is None:
                self._engine = self._make()
                self._engine.start()

    def prepare(self, batch: BatchPlan) -> Engine:
        """Get the kept engine ready for ``batch`` (starting it first when needed).

        When it cannot serve the batch it hands back a fallback engine, as any engine may:
        that one is the batch's to stop, and the next batch gets a newly made engine.
        """
        self.start()
        with self._lock:
            engine = self._engine
        assert engine is not None
        ready = engine.prepare(batch)
        if ready is not engine:
            with self._lock:
                if self._engine is engine:
                    self._engine = None  # broken: the next batch makes a new one
            engine.stop()
            self.warnings.extend(ready.warnings)
            return ready
        return self

    def default_jobs(self) -> int:
        """The kept engine's default."""
        self.start()
        assert self._engine is not None
        return self._engine.default_jobs()

    def pool(self, workers: int) -> Pool:
        """A pool of the kept engine."""
        self.start()
        assert self._engine is not None
        return self._engine.pool(workers)

    def stop(self) -> None:
        """Nothing: a batch ends, the engine stays warm for the next (see :meth:`close`)."""

    def close(self) -> None:
        """Stop the kept engine (a later batch starts a new one)."""
        with self._lock:
            engine, self._engine = self._engine, None
        if engine is not None:
            engine.stop()
