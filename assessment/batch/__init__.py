"""Render the report notebook for many clients: in parallel, resumable, isolated.

What lives here
---------------
* :mod:`~assessment.batch.planning`: :func:`plan` checks every input once, scores the
  portfolio and makes one job per client; the packaged notebooks (:func:`packaged_notebook`);
* :mod:`~assessment.batch.jobs`: :class:`Job` and :class:`Outcome` records, the sidecar
  ``report.json`` behind ``--resume``;
* :mod:`~assessment.batch.job`: :func:`run_job`, one report (papermill, nbconvert, PDF);
* :mod:`~assessment.batch.kernel`: the kernel a report runs in (private sockets, a log);
* :mod:`~assessment.batch.run`: :func:`run_batch` and the portfolio files;
* :mod:`~assessment.batch.output`: the output folder, one batch at a time and only a batch's
  own (:func:`~assessment.batch.output.claim_output`);
* :mod:`~assessment.batch.lifetime`: helpers die with the batch, temporary files live in its
  private folder (:func:`~assessment.batch.lifetime.private_folder`);
* :mod:`~assessment.batch.engines`: the registry of engines (``fresh``, ``fork``);
* :mod:`~assessment.batch.fork_client` and :mod:`~assessment.batch.fork_server`: the fork
  engine's warm server, the caller's side and the server process;
* :mod:`~assessment.batch.inprocess`: the papermill engine that executes a notebook's cells in
  the forked job runner itself (the runner is the report's kernel);
* :mod:`~assessment.batch.daemon_client` and :mod:`~assessment.batch.daemon`: the warm report
  server kept between ``maturity report`` commands, the caller's side (standard library
  only) and the server process.

The path of one batch: ``plan`` → ``create_engine(...).start()`` (warms up meanwhile) →
``run_batch`` → the engine's pool runs ``run_job`` per client → ``index.html``,
``scores.csv``/``.xlsx``, ``manifest.json``.

Names are imported on first use (PEP 562), so ``import assessment.batch.fork_client``
stays light: the fork server starts before the heavy modules are imported.

May import: :mod:`assessment.report` (sections, page, PDF), :mod:`assessment.scoring`,
:mod:`assessment.inputs`, :mod:`assessment.samples`, :mod:`assessment.rubric`,
:mod:`assessment.files`, :mod:`assessment.exceptions`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.batch.engines import Engine, create_engine
    from assessment.batch.job import run_job
    from assessment.batch.jobs import ForkedKernels, Job, Outcome, is_up_to_date
    from assessment.batch.kernel import kernel_manager_class
    from assessment.batch.planning import (
        BatchPlan,
        default_notebook,
        packaged_notebook,
        plan,
        validate_parameters,
    )
    from assessment.batch.run import run_batch, write_portfolio, write_scores

#: Public name -> the module that defines it.
_EXPORTS = {
    "BatchPlan": "planning",
    "default_notebook": "planning",
    "packaged_notebook": "planning",
    "plan": "planning",
    "validate_parameters": "planning",
    "ForkedKernels": "jobs",
    "Job": "jobs",
    "Outcome": "jobs",
    "is_up_to_date": "jobs",
    "run_job": "job",
    "kernel_manager_class": "kernel",
    "run_batch": "run",
    "write_portfolio": "run",
    "write_scores": "run",
    "Engine": "engines",
    "create_engine": "engines",
}

__all__ = [
    "BatchPlan",
    "Engine",
    "ForkedKernels",
    "Job",
    "Outcome",
    "create_engine",
    "default_notebook",
    "is_up_to_date",
    "kernel_manager_class",
    "packaged_notebook",
    "plan",
    "run_batch",
    "run_job",
    "validate_parameters",
    "write_portfolio",
    "write_scores",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
