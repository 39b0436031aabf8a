"""The batch's output folder: written only by one batch at a time, and only if it is ours.

Two rules keep a batch from destroying what it did not make (issue 18):

* **One writer.**  A batch holds :func:`assessment.files.folder_lock` on its ``--out`` folder
  from before its first file until its last; a second batch into the same folder stops at once
  with a message, or waits its turn with ``--wait``.  Two batches used to interleave, leaving
  English and Arabic reports under one index and manifest.
* **Only our folders.**  A batch writes into a folder that is missing or empty, or that a batch
  wrote before, which it recognises by its marker file (:data:`MARKER`) or, for folders made
  before markers existed, by a batch's ``manifest.json``.  Anything else (a home folder, a
  project, ``/``) is refused unless ``--force``, because ``index.html`` or ``scores.csv`` there
  may be someone's own files.  The file-system root is refused even with ``--force``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

from assessment import __version__
from assessment.exceptions import OutputFolderError
from assessment.files import LOCK_NAME, atomic_write_text, folder_lock

__all__ = ["MARKER", "claim_output"]

#: The file that marks a folder as written by a batch (hidden; JSON: toolkit and version).
MARKER = ".maturity-batch"
#: Entries shown when a folder is refused.
_SHOWN = 5


def _is_ours(folder: Path) -> bool:
    """Whether a batch wrote ``folder`` before: its marker, or an older batch's manifest."""
    if (folder / MARKER).is_file():
        return True
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and {"toolkit_version", "reports"} <= manifest.keys()


def _check_folder(folder: Path, force: bool) -> None:
    """Refuse a folder the batch must not write into (see the module docstring)."""
    resolved = folder.resolve()
    if resolved == Path(resolved.anchor):
        raise OutputFolderError(
            f"--out {folder} is the root of the file system; choose a folder of its own"
        )
    if resolved.exists() and not resolved.is_dir():
        raise OutputFolderError(f"--out {folder} is a file; expected a folder")
    if force or not resolved.exists() or _is_ours(resolved):
        return
    entries = sorted(p.name for p in resolved.iterdir() if p.name != LOCK_NAME)
    if entries:
        shown = ", ".join(entries[:_SHOWN]) + (
            f" and {len(entries) - _SHOWN} more" if len(entries) > _SHOWN else ""
        )
        raise OutputFolderError(
            f"--out {folder} already holds files that no batch wrote ({shown}); a batch writes "
            "only into a new or empty folder, or one it wrote before. Choose another folder, "
            "or pass --force to write into this one anyway"
        )


@contextlib.contextmanager
def claim_output(
    folder: str | Path,
    *,
    force: bool = False,
    wait: bool = False,
    on_wait: Callable[[str], object] | None = None,
) -> Iterator[Path]:
    """Check that a batch may write into ``folder``, then hold it for the ``with`` block.

    Parameters
    ----------
    folder
        The batch's output folder (created when missing).
    force
        Write into a folder that holds other files.
    wait, on_wait
        Wait for another batch writing there (see :func:`~assessment.files.folder_lock`).

    Raises
    ------
    OutputFolderError
        When the folder holds files no batch wrote (and not ``force``), or is the root.
    FolderBusyError
        When another batch is writing there (and not ``wait``).
    """
    path = Path(folder)
    _check_folder(path, force)  # before creating anything in it
    with folder_lock(path, wait=wait, on_wait=on_wait):
        _check_folder(path, force)  # again: the batch we waited for may have changed it
        if not (path / MARKER).is_file():
            marker = {"written_by": "assessment", "version": __version__}
            marker["created"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            atomic_write_text(path / MARKER, json.dumps(marker) + "\n")
        yield path
