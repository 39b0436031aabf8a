"""What a batch passes around: one :class:`Job` per report and the :class:`Outcome` it has.

Both are plain, picklable records: a job crosses into a worker process, a forked job runner or
a dask worker, and its outcome comes back.  The sidecar ``<client>/report.json`` keeps a job's
input hash and outcome next to its report, which is how ``--resume`` knows what is up to date.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assessment.files import atomic_write_text

__all__ = ["ForkedKernels", "Job", "Outcome", "is_up_to_date", "write_sidecar"]


@dataclass(frozen=True)
class ForkedKernels:
    """Where a job's kernel comes from when the fork engine runs it: the fork server's socket.

    ``None`` in :attr:`Job.forked` means a freshly started kernel process.  With
    ``in_runner`` (the default) the forked job runner executes the cells itself
    (:mod:`assessment.batch.inprocess`) and asks the server for no kernel; without it the
    server forks a kernel process for the runner to drive, as a fresh kernel is driven.
    """

    address: str
    authkey: bytes
    in_runner: bool = True


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
    #: The caller prints the PDF (:func:`~assessment.batch.run_batch` with ``print_here``): the
    #: report's runner writes the HTML and starts no browser of its own.
    pdf_by_caller: bool = False
    #: Paper of the PDF: ``a4`` or ``letter``.
    paper: str = "a4"
    #: Also write the steering-committee deck (``deck.pptx``; the notebook writes it).
    deck: bool = False
    kernel_name: str = "python3"
    #: Seconds the notebook's cells may take in all (``--timeout``); past it the report fails
    #: (:func:`~assessment.batch.run_batch` sets it from :data:`~assessment.limits.REPORT_SECONDS`).
    timeout: int = 300
    #: Attempts after a failure of the kernel's plumbing (never after the report's own error).
    retries: int = 1
    #: Set by the fork engine when it submits the job; ``None``: a fresh kernel process.
    forked: ForkedKernels | None = None


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


def _sidecar(job: Job) -> Path:
    return Path(job.out_dir) / "report.json"


def is_up_to_date(job: Job) -> bool:
    """True when the job's outputs exist and were made from the same inputs."""
    try:
        meta = json.loads(_sidecar(job).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = (
        ["report.ipynb", "report.html"]
        + (["report.pdf"] if job.pdf else [])
        + (["deck.pptx"] if job.deck else [])
    )
    return (
        meta.get("input_hash") == job.input_hash
        and meta.get("status") == "ok"
        and all((Path(job.out_dir) / f).is_file() for f in wanted)
    )


def write_sidecar(job: Job, outcome: Outcome) -> None:
    """Record ``outcome`` and the job's input hash in ``<client>/report.json``."""
    meta = {"input_hash": job.input_hash, **asdict(outcome)}
    atomic_write_text(_sidecar(job), json.dumps(meta, indent=2) + "\n")
