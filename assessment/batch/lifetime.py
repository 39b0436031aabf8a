"""Nothing a batch starts or writes in the temporary folder outlives it.

A batch's helpers are not all in its process group: the fork engine's job runners and kernels
start their own sessions (so that a terminal's Ctrl-C reaches only the batch, which stops them
in order).  When the batch is killed outright (``kill -9`` on its process group, an OOM kill, a
CI runner cancelling the job), nothing stops them in order, so (issue 18):

* **every helper dies with its parent** (:func:`die_with_parent`): on Linux the kernel sends it
  SIGKILL when its parent exits (``prctl(PR_SET_PDEATHSIG)``); elsewhere a watchdog thread
  notices that its parent is gone.  The fork server already exits when the batch does, so
  runners and kernels go with it;
* **every temporary file of a batch lives in one private folder** (:func:`private_folder`,
  ``$TMPDIR/assessment-<pid>-*``, mode 0700): the fork server's socket, and each kernel's
  connection file (which holds the kernel's HMAC key) and sockets.  The batch removes it when
  it exits; a folder left by a killed batch is removed by the next one, once its process is
  gone (:func:`remove_stale_folders`).

May import: the standard library only (the fork server imports it before anything heavy).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

__all__ = ["ENV", "die_with_parent", "private_folder", "remove_stale_folders"]

#: The environment variable that hands a batch's private folder to the processes it starts.
ENV = "ASSESSMENT_PRIVATE_TMP"
#: ``assessment-<pid>-<random>``: the pid says whose folder it is.
_NAME = re.compile(r"assessment-(\d+)-[A-Za-z0-9_]+")
#: ``prctl`` option: the signal a process gets when its parent dies (linux/prctl.h).
_PR_SET_PDEATHSIG = 1

_folder: Path | None = None


def die_with_parent(parent: int) -> None:
    """Make this process die as soon as ``parent`` (its parent's pid) is gone.

    Call it first thing in a forked or spawned helper.  When the parent has already exited
    (between the fork and this call) the process exits at once.
    """
    if not _parent_death_signal():
        threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _parent_death_signal() -> bool:
    """Ask Linux for SIGKILL when the parent exits; ``False`` where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def private_folder() -> Path:
    """The batch's private temporary folder, made (and stale ones removed) on first use.

    A process started by the batch gets the batch's folder through :data:`ENV`; the batch
    itself makes it, exports it to the processes it starts, and removes it when it exits.
    """
    global _folder
    inherited = os.environ.get(ENV)
    if inherited and Path(inherited).is_dir():
        return Path(inherited)
    if _folder is None or not _folder.is_dir():
        remove_stale_folders()
        _folder = Path(tempfile.mkdtemp(prefix=f"assessment-{os.getpid()}-"))
        os.environ[ENV] = str(_folder)
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    return _folder


def remove_stale_folders(root: str | Path | None = None) -> list[Path]:
    """Remove the private folders of batches that are no longer running; the folders removed.

    Only folders named like :func:`private_folder`'s, owned by this user, whose process does
    not exist.  A process id reused by another program keeps its folder until a later run.
    """
    removed: list[Path] = []
    if os.name != "posix":  # pragma: no cover - os.kill(pid, 0) is not a probe on Windows
        return removed
    base = Path(root or tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            found = _NAME.fullmatch(entry.name)
            if not found or not entry.is_dir(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            if _alive(int(found.group(1))):
                continue
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
