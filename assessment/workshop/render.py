"""The client report of a finalised workshop, rendered by the batch runner like any other.

A workshop's page lives for hours and renders a report now and then: it keeps one warm engine
for the whole process (:func:`kept_engine`), started when the facilitator's page opens, so that
a report does not wait for the engine to warm up (issue 19).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.batch import plan, run_batch
from assessment.batch.engines import Engine, KeptEngine, create_engine
from assessment.exceptions import InputError
from assessment.files import atomic_write_text, write_csv
from assessment.inputs import CLIENT_COLUMNS, load_clients, load_targets
from assessment.rubric import Rubric, dump_rubric
from assessment.workshop.model import initial_targets
from assessment.workshop.records import Workshop
from assessment.workshop.store import Store

__all__ = ["RENDER_STEPS", "kept_engine", "render_fraction", "render_report"]

#: What :func:`render_report` reports to its ``progress`` callback, in order.
RENDER_STEPS = ("inputs", "checking", "rendering", "done")

_KEPT: KeptEngine | None = None
_KEPT_LOCK = threading.Lock()


def render_fraction(step: str, seconds: float, expected: float = 3.0) -> float:
    """How far a render is, from 0 to 1, for a progress bar.

    By step, and within the long step (the notebook) by its seconds against ``expected``, the
    last report's; the bar stops short of the end until the report is there.

    Examples
    --------
    >>> render_fraction("checking", 0.4)
    0.1
    >>> render_fraction("rendering", 1.5, expected=3.0)
    0.575
    >>> render_fraction("rendering", 30.0, expected=3.0)
    0.95
    """
    start = {"inputs": 0.0, "checking": 0.1, "rendering": 0.2, "done": 1.0}[step]
    if step != "rendering":
        return start
    return round(start + 0.75 * min(1.0, seconds / max(expected, 0.1)), 3)


def kept_engine() -> KeptEngine:
    """The engine this process keeps for workshop reports (made on first call, not started).

    The default engine (the fork server on Linux and macOS), kept warm across reports; a
    process has one, shared by every app it shows.  Start it early with ``.start()``: it warms
    up in the background.
    """
    global _KEPT
    with _KEPT_LOCK:
        if _KEPT is None:
            _KEPT = KeptEngine(create_engine)
        return _KEPT


def render_report(
    store: Store,
    workshop_id: int,
    *,
    out_dir: str | Path,
    clients: str | Path | None = None,
    targets: str | Path | None = None,
    peers: str | Path | None = None,
    lang: str | None = None,
    notebook: str | Path | None = None,
    engine: Engine | None = None,
    progress: Callable[[str], object] | None = None,
) -> Path:
    """Render the client report of a finalised workshop; return the HTML file.

    The agreed answers of this workshop (and of the client's earlier finalised workshops, for
    the trend section) are written as an answers file, the agreed targets as the client's own
    target profile ``workshop-<id>``, and the report is rendered by the batch runner like any
    other, in a folder of its own so that a portfolio rendered into ``out_dir`` by
    ``maturity batch`` is never overwritten:
    ``out_dir/workshops/<client>-<date>/<client>/report.html`` (inputs alongside, in
    ``inputs/``).

    Parameters
    ----------
    store, workshop_id
        The finalised workshop.
    out_dir
        Folder the ``workshops/`` folder goes into.
    clients, targets, peers
        The clients table, custom target profiles and peer population (paths; optional).
    lang
        Report language (default: the batch runner's).
    notebook
        Report notebook (default: the packaged one).
    engine
        The engine to render with, typically :func:`kept_engine` (default: a new default
        engine for this report).
    progress
        Called with each step of :data:`RENDER_STEPS` as it starts (from the calling thread).

    Returns
    -------
    pathlib.Path
        The report's HTML file.

    Raises
    ------
    InputError
        When the workshop is not finalised or the rendering fails.
    """
    step = progress or (lambda _step: None)
    w = store.workshop(workshop_id)
    if not w.finalised:
        raise InputError(f"workshop #{w.id} is not finalised yet: finalise it, then render")
    step("inputs")
    rubric = store.rubric(w.id)
    out = Path(out_dir).resolve() / "workshops" / f"{w.client_id}-{w.date}"
    inputs = _write_inputs(store, w, rubric, out / "inputs", clients=clients, targets=targets)
    step("checking")
    batch = plan(
        [inputs / "answers.csv"],
        rubric=_rubric_file(rubric, inputs),
        clients=inputs / "clients.csv",
        targets=inputs / "targets.csv",
        peers=peers or None,
        out_dir=out,
        notebook=notebook,
        lang=lang,
        only=[w.client_id],
        extra_parameters={"bootstrap": 0},
    )
    step("rendering")
    # force: the folder is the workshop's own, and already holds the inputs written above.
    (outcome,) = run_batch(batch, engine=engine, jobs=1, quiet=True, force=True)
    if outcome.status != "ok":
        raise InputError(f"the report for {w.client_id} failed: {outcome.error}")
    step("done")
    return out / w.client_id / "report.html"


def _write_inputs(
    store: Store,
    w: Workshop,
    rubric: Rubric,
    inputs: Path,
    *,
    clients: str | Path | None,
    targets: str | Path | None,
) -> Path:
    """Write the report's ``answers.csv``, ``targets.csv`` and ``clients.csv`` into ``inputs``."""

    history = [
        x
        for x in store.workshops(w.client_id)
        if x.finalised and x.date <= w.date and x.rubric_hash == w.rubric_hash
    ]
    answers = pd.concat([store.export_answers(x.id, source="agreed") for x in history])
    profile = f"workshop-{w.id}"
    agreed_targets = _agreed_profile(store, w, rubric, profile)
    extra_targets = load_targets(targets, rubric) if targets else None
    client_row: dict[str, Any] = dict.fromkeys(CLIENT_COLUMNS, "") | {
        "client_id": w.client_id,
        "name": w.client_id,
    }
    if clients:
        table = load_clients(clients, rubric, targets=extra_targets)
        found = table.loc[table["client_id"] == w.client_id]
        if not found.empty:
            client_row.update({k: str(v) for k, v in found.iloc[0].items() if str(v)})
    client_row["target_profile"] = profile
    # Files a person may open in a spreadsheet: no note or name may run as a formula (the
    # loaders remove the neutralising apostrophe again when the report reads them).
    write_csv(inputs / "answers.csv", answers)
    write_csv(inputs / "targets.csv", agreed_targets)
    write_csv(inputs / "clients.csv", pd.DataFrame([client_row]))
    return inputs


def _agreed_profile(store: Store, w: Workshop, rubric: Rubric, profile: str) -> pd.DataFrame:
    """The agreed targets as target profile ``profile``; the rubric's default fills the rest."""
    agreed_targets = store.export_targets(w.id, profile)
    base = initial_targets(rubric)
    missing = [d for d in base if d not in set(agreed_targets["dimension_id"])]
    return pd.concat(
        [
            agreed_targets,
            pd.DataFrame(
                {
                    "profile_id": profile,
                    "dimension_id": missing,
                    "target": [base[d] for d in missing],
                }
            ),
        ]
    )


#: The YAML of each rubric this process has written, by content hash.
_RUBRIC_YAML: dict[str, str] = {}


def _rubric_file(rubric: Rubric, folder: Path) -> Path:
    """The workshop's rubric as a YAML file the report notebook can load.

    Written once: a render that finds the same text there leaves the file (and so its
    modification time, which keeps :func:`~assessment.rubric.load_rubric`'s cache valid) as it
    is.  Dumping and parsing the rubric are most of a render's own work in the page's process,
    where they would slow the page's answers to clicks meanwhile (issue 19).
    """
    text = _RUBRIC_YAML.get(rubric.content_hash)
    if text is None:
        text = _RUBRIC_YAML[rubric.content_hash] = dump_rubric(rubric)
    path = folder / "rubric.yaml"
    try:
        same = path.read_text(encoding="utf-8") == text
    except OSError:
        same = False
    if not same:
        atomic_write_text(path, text)
    return path
