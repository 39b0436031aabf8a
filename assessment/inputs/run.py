"""The data files of one run, loaded together, and kept for a batch's forked reports.

:func:`load_inputs` loads every table of a run in dependency order and reports the problems of
every file at once; :func:`remember_inputs` parses them once in a batch's fork server so that
each forked report gets a copy instead of parsing the same files again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from assessment.exceptions import DataValidationError, InputError
from assessment.inputs.answers import load_answers
from assessment.inputs.engagement import WINDOW_DAYS
from assessment.inputs.reference import load_clients, load_peers, load_targets
from assessment.inputs.surveys import SurveyDefaults
from assessment.samples import resolve

if TYPE_CHECKING:  # pragma: no cover
    from assessment.rubric import Rubric

__all__ = [
    "Inputs",
    "adopt_inputs",
    "inputs_key",
    "load_inputs",
    "remember_inputs",
    "resolve_files",
]


def resolve_files(
    answers: str | Path | Iterable[str | Path],
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
) -> tuple[list[str | Path], str | Path | None, str | Path | None, str | Path | None]:
    """A run's files, with ``sample:NAME`` resolved to the packaged sample's path.

    Parameters
    ----------
    answers
        One answer file or several; ``sample:`` names are resolved by
        :func:`assessment.samples.resolve`.
    clients, peers, targets
        The other tables, or ``None`` when not given.

    Returns
    -------
    tuple
        ``(answers, clients, peers, targets)`` with ``answers`` always a list.
    """
    files = [answers] if isinstance(answers, str | Path) else list(answers)
    return (
        [resolve(f) for f in files],
        *(None if f is None else resolve(f) for f in (clients, peers, targets)),
    )


@dataclass(frozen=True)
class Inputs:
    """The validated data files of one run (``None`` for a table that was not given)."""

    answers: pd.DataFrame
    clients: pd.DataFrame | None = None
    peers: pd.DataFrame | None = None
    targets: pd.DataFrame | None = None

    def copy(self) -> Inputs:
        """Copies of the frames (shallow: pandas copy-on-write copies data on first write)."""
        frames = (getattr(self, f.name) for f in fields(self))
        return Inputs(*(None if df is None else df.copy(deep=False) for df in frames))


def load_inputs(
    answers: str | Path | Iterable[str | Path],
    rubric: Rubric,
    *,
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
    survey: SurveyDefaults | None = None,
    window: int = WINDOW_DAYS,
) -> Inputs:
    """Load every data file of a run, in dependency order, reporting all problems at once.

    Targets come first (clients may name their profiles), then clients (answers must name known
    clients), peers and answers.  A bad file does not stop the others from being checked.

    Raises
    ------
    InputError
        The one file's :class:`DataValidationError`, or every failing file's problems together.
    """
    answers, clients, peers, targets = resolve_files(answers, clients, peers, targets)
    # Preloaded copies are the batch's, read with the defaults: other options read afresh.
    plain = survey is None and window == WINDOW_DAYS
    key = _inputs_key(answers, rubric, clients, peers, targets) if _REMEMBERED and plain else None
    if key is not None and key in _REMEMBERED:
        return _REMEMBERED[key].copy()
    problems: list[InputError] = []

    def attempt(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            problems.append(exc)
            return None

    target_df = attempt(load_targets, targets, rubric) if targets else None
    client_df = attempt(load_clients, clients, rubric, targets=target_df) if clients else None
    peer_df = attempt(load_peers, peers, rubric) if peers else None
    answer_df = attempt(
        load_answers, answers, rubric, clients=client_df, defaults=survey, window=window
    )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise _together(problems)
    return Inputs(answers=answer_df, clients=client_df, peers=peer_df, targets=target_df)


def _together(problems: list[InputError]) -> InputError:
    """The problems of several files as one error: one table when every one has a table.

    One table keeps ``--errors-out`` complete and the printed list capped per reason.
    """
    if all(isinstance(p, DataValidationError) for p in problems):
        tables = [p.errors for p in problems]  # type: ignore[attr-defined]
        errors = pd.concat(tables, ignore_index=True).astype({"row": "Int64"})
        files = ", ".join(dict.fromkeys(errors["file"]))
        shown = problems[0].shown  # type: ignore[attr-defined]
        return DataValidationError(f"{len(errors)} problem(s) in {files}:", errors, shown)
    return InputError("\n".join(str(p) for p in problems))


#: Inputs parsed ahead of time by :func:`remember_inputs` (in a batch's fork server only).
_REMEMBERED: dict[tuple[Any, ...], Inputs] = {}


def _file_key(path: str | Path | None) -> tuple[str, int, int] | None:
    if path is None:
        return None
    resolved = Path(path).resolve()
    stat = resolved.stat()
    return (str(resolved), stat.st_size, stat.st_mtime_ns)


def _inputs_key(
    answers: str | Path | Iterable[str | Path],
    rubric: Rubric,
    clients: str | Path | None,
    peers: str | Path | None,
    targets: str | Path | None,
) -> tuple[Any, ...] | None:
    """What identifies one :func:`load_inputs` call: the rubric and each file's path, size and
    modification time (``None`` when a file cannot be read: it is then loaded, and reported)."""
    files = [answers] if isinstance(answers, str | Path) else list(answers)
    try:
        return (
            rubric.content_hash,
            tuple(_file_key(f) for f in files),
            _file_key(clients),
            _file_key(peers),
            _file_key(targets),
        )
    except OSError:
        return None


def remember_inputs(
    answers: str | Path | Iterable[str | Path],
    rubric: Rubric,
    *,
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
) -> Inputs:
    """Load the files like :func:`load_inputs` and keep them for later identical calls.

    The batch's fork server calls this once before forking the reports of a batch, so that
    every report's :func:`load_inputs` returns a copy instead of parsing the same files again.
    A file that changed since (size or modification time) is loaded afresh.  Copies are
    shallow: with pandas' copy-on-write a report that modifies its frames changes only its own.
    """
    files = answers if isinstance(answers, str | Path) else list(answers)
    data = load_inputs(files, rubric, clients=clients, peers=peers, targets=targets)
    key = _inputs_key(files, rubric, clients, peers, targets)
    if key is not None:
        _REMEMBERED[key] = data
    return data.copy()


def inputs_key(
    answers: str | Path | Iterable[str | Path],
    rubric: Rubric,
    *,
    clients: str | Path | None = None,
    peers: str | Path | None = None,
    targets: str | Path | None = None,
) -> tuple[Any, ...] | None:
    """What identifies a :func:`load_inputs` call now: the rubric and each file's resolved
    path, size and modification time; ``None`` when a file cannot be read.

    Take it *before* parsing the files, and pass both to :func:`adopt_inputs`: a file that
    changes during or after the parse then no longer matches, and is read afresh.
    """
    files, clients, peers, targets = resolve_files(answers, clients, peers, targets)
    return _inputs_key(files, rubric, clients, peers, targets)


def adopt_inputs(key: tuple[Any, ...] | None, data: Inputs) -> None:
    """Keep ``data``, parsed by :func:`load_inputs` in another process, as :func:`remember_inputs`
    keeps what it parses: later identical calls (same :func:`inputs_key`) return a copy.

    A batch plans in its own process and then sends what it parsed to its fork server, which
    no longer parses the same files again before forking the reports (issue 19: 0.3 s of the
    server's start-up at 100 clients, against 12 ms to send them).
    """
    if key is not None:
        _REMEMBERED[key] = data
