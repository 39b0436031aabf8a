"""Writing files safely: every output goes to a temporary file that is renamed into place.

A rename within one directory is atomic on POSIX and Windows, so a reader (or a Ctrl-C) never
sees a half-written report, CSV or workbook: either the old file or the complete new one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text"]


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``target``; rename it onto ``target`` on success.

    On any exception (including ``KeyboardInterrupt``) the temporary file is removed and
    ``target`` is left untouched.

    Examples
    --------
    >>> with atomic_path("scores.xlsx") as tmp:  # doctest: +SKIP
    ...     frame.to_excel(tmp)
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Keep the real suffix last: some writers (papermill, pandas) check the extension.
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=f".tmp{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        # mkstemp creates 0600 files; give the result the mode a plain open() would (or keep
        # the mode of the file being replaced).
        os.chmod(tmp, target.stat().st_mode & 0o7777 if target.exists() else _default_mode())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def atomic_write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically and return the path."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def atomic_write_text(target: str | Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically and return the path."""
    return atomic_write_bytes(target, text.encode("utf-8"))


def atomic_write_with(target: str | Path, writer: Callable[[Path], object]) -> Path:
    """Call ``writer(tmp_path)`` and move the result onto ``target`` atomically."""
    with atomic_path(target) as tmp:
        writer(tmp)
    return Path(target)
