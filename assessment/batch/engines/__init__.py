"""Batch engines: the registry of ways to run a batch's reports, chosen once by name.

What lives here
---------------
* :mod:`~assessment.batch.engines.base`: the :class:`Engine` interface and the :class:`Pool`
  protocol;
* :mod:`~assessment.batch.engines.fresh`: ``fresh``, a new kernel process per report (local
  worker processes, or a dask cluster with ``--scheduler``);
* :mod:`~assessment.batch.engines.fork`: ``fork``, job runners and kernels forked from a warm
  fork server (POSIX; the default there).  ``fast`` is its former name and still accepted;
* :mod:`~assessment.batch.engines.kept`: :class:`KeptEngine`, an engine kept warm across
  batches by a long-lived process (the workshop), which batches do not stop.

:data:`registry` maps names to engine classes, like papermill's engine registry; another
engine registers itself with ``registry.register("name", MyEngine)``.  Nothing outside this package
compares engine names.

May import: :mod:`assessment.batch.job`, :mod:`assessment.batch.jobs`,
:mod:`assessment.batch.fork_client`, :mod:`assessment.batch.lifetime`,
:mod:`assessment.exceptions`.
"""

from __future__ import annotations

import os

from assessment.batch.engines.base import Engine, Pool, StoppedError
from assessment.batch.engines.fork import ForkEngine
from assessment.batch.engines.fresh import FreshEngine
from assessment.batch.engines.kept import KeptEngine
from assessment.exceptions import ParameterError

__all__ = [
    "Engine",
    "EngineRegistry",
    "ForkEngine",
    "FreshEngine",
    "KeptEngine",
    "Pool",
    "StoppedError",
    "create_engine",
    "default_engine_name",
    "registry",
]


class EngineRegistry:
    """Engine classes by name (and by former names)."""

    def __init__(self) -> None:
        self._engines: dict[str, type[Engine]] = {}
        self._aliases: dict[str, str] = {}

    def register(self, name: str, engine: type[Engine], *, aliases: tuple[str, ...] = ()) -> None:
        """Make ``engine`` available as ``name`` (and as each of ``aliases``)."""
        self._engines[name] = engine
        for alias in aliases:
            self._aliases[alias] = name

    def names(self) -> list[str]:
        """The registered names, without aliases."""
        return sorted(self._engines)

    def choices(self) -> list[str]:
        """Every name a user may type: names and aliases."""
        return sorted({*self._engines, *self._aliases})

    def get(self, name: str) -> type[Engine]:
        """The engine class registered as ``name``.

        Raises
        ------
        ParameterError
            For a name that is not registered.
        """
        key = self._aliases.get(name, name)
        if key not in self._engines:
            raise ParameterError(
                f"unknown engine {name!r}; the engines are {', '.join(self.names())}"
            )
        return self._engines[key]


#: The engines this package provides.
registry = EngineRegistry()
registry.register("fresh", FreshEngine)
registry.register("fork", ForkEngine, aliases=("fast",))


def default_engine_name(scheduler: str | None = None) -> str:
    """``fork`` on POSIX for local runs; ``fresh`` otherwise.

    A dask cluster's workers may be on other machines, where the local fork server's socket
    does not exist, so scheduler runs use fresh kernels.
    """
    return "fork" if os.name == "posix" and not scheduler else "fresh"


def create_engine(
    name: str | None = None, *, scheduler: str | None = None, reports: int | None = None
) -> Engine:
    """The engine ``name`` (the default engine when ``None``), not yet started.

    An engine chosen by default may fall back to another when it cannot start; one chosen by
    name fails instead.  ``reports`` is how many reports the caller will render, when known
    (see :class:`Engine`).
    """
    explicit = name is not None
    chosen = registry.get(name if name is not None else default_engine_name(scheduler))
    return chosen(scheduler=scheduler, explicit=explicit, reports=reports)
