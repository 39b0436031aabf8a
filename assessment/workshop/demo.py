"""The demo store: a workshop store to try the apps with, seeded once from the sample answers.

An empty ``store`` setting means this store: a file in the temporary folder, seeded from the
sample answers (``data/samples``; synthetic answers when the samples are not there).  Both
notebooks share it, so they can be tried together in JupyterLab without any setup.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import tempfile
from pathlib import Path

import pandas as pd

from assessment import samples
from assessment.inputs import load_answers
from assessment.rubric import Rubric, load_rubric
from assessment.samples.synthetic import random_profiles, synthetic_answers
from assessment.workshop.store import open_store

__all__ = ["demo_answers", "demo_store", "demo_store_path"]


def demo_store_path() -> Path:
    """Where the demo store lives: the temporary folder, one file per user."""
    user = "".join(c for c in getpass.getuser() if c.isalnum()) or "user"
    return Path(tempfile.gettempdir()) / f"assessment-workshop-demo-{user}.sqlite"


def demo_answers(rubric: Rubric) -> pd.DataFrame:
    """Answers to seed the demo store with: the samples, or synthetic ones without them.

    Parameters
    ----------
    rubric
        The rubric of the demo workshops; the samples only fit the packaged ``social-media``.

    Returns
    -------
    pandas.DataFrame
        Long answers (``client_id, date, respondent, role, indicator_id, value``).
    """

    files = samples.portfolio()["answers"]
    if all(f.is_file() for f in files) and rubric.id == "social-media":
        loaded = load_answers(files, rubric)
        return loaded[["client_id", "date", "respondent", "role", "indicator_id", "value"]]

    profiles = random_profiles(rubric, 1, seed=7)
    profiles.index = pd.Index(["demo-client"], name="client_id")
    return synthetic_answers(rubric, profiles, respondents=5, seed=7)


def demo_store(path: str | Path | None = None, *, rubric: str = "social-media") -> Path:
    """Create the demo store (once) and return its path.

    The store is seeded in a private temporary file that is then linked into place, so two
    kernels starting at the same moment never see a half-seeded store.

    Parameters
    ----------
    path
        Where the store goes (default: :func:`demo_store_path`).
    rubric
        Rubric (name or path) of the seeded workshops.

    Returns
    -------
    pathlib.Path
        The store file.
    """
    target = Path(path) if path else demo_store_path()
    if target.exists():
        return target
    rub = load_rubric(rubric)
    fd, tmp_name = tempfile.mkstemp(prefix=".seeding-", suffix=".sqlite", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        with open_store(tmp) as store:
            store.import_answers(demo_answers(rub), rub)
        with contextlib.suppress(FileExistsError):  # another kernel won the race: use its store
            os.link(tmp, target)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
    return target
