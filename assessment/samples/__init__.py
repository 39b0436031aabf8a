"""The sample portfolio that ships with the package, and a synthetic-data generator.

What lives here
---------------
* :func:`path` and :func:`portfolio`: the packaged sample files (the repository's
  ``data/samples/``, which the package links in as ``assessment/samples/data`` so that an
  installed wheel carries them).  Every sample is **synthetic**: generated, not collected.
* :func:`resolve`: turns ``sample:NAME`` (how notebooks and commands name a packaged sample)
  into that file's path; any other value is returned unchanged.
* :mod:`assessment.samples.synthetic`: answers, peers and profiles for *any* rubric, with
  :mod:`~assessment.samples.who` (who is asked what, who reports a measurement) and
  :mod:`~assessment.samples.values` (levels turned into values, notes and evidence).

May import: :mod:`assessment.rubric`, :mod:`assessment.exceptions`.  Nothing here is imported
by the scoring engine; the loaders call :func:`resolve`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from assessment.exceptions import InputError

__all__ = ["PREFIX", "SAMPLE_FILES", "path", "portfolio", "resolve"]

#: How a parameter or option names a packaged sample file: ``sample:answers.csv``.
PREFIX = "sample:"

#: The packaged sample files, by name.  Only these names resolve: a ``sample:`` value is never
#: turned into an arbitrary path.
SAMPLE_FILES = (
    "answers.csv",
    "answers_forms_export.csv",
    "clients.csv",
    "peers.csv",
    "targets.csv",
)


def path(name: str) -> Path:
    """Path of the packaged sample file ``name`` (one of :data:`SAMPLE_FILES`).

    Raises
    ------
    InputError
        For a name that is not a packaged sample.
    """
    if name not in SAMPLE_FILES:
        raise InputError(
            f"{PREFIX}{name}: not a packaged sample; the samples are {', '.join(SAMPLE_FILES)}"
        )
    return Path(str(resources.files("assessment.samples") / "data" / name))


def resolve(value: str | Path) -> str | Path:
    """``sample:NAME`` -> the packaged file's path; anything else unchanged."""
    if isinstance(value, str) and value.startswith(PREFIX):
        return path(value.removeprefix(PREFIX))
    return value


def portfolio() -> dict[str, list[Path] | Path]:
    """The sample portfolio's files, as ``maturity batch --samples`` passes them.

    Keys ``answers`` (two files: long format and a survey-tool export), ``clients``,
    ``peers`` and ``targets``.
    """
    return {
        "answers": [path("answers.csv"), path("answers_forms_export.csv")],
        "clients": path("clients.csv"),
        "peers": path("peers.csv"),
        "targets": path("targets.csv"),
    }
