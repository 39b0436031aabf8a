"""Every exception :mod:`assessment` raises on purpose, in one tree.

::

    AssessmentError                  exit 1  anything that is not the user's fault
    ├── InputError                   exit 2  the user gave us something we cannot use
    │   ├── RubricError                      a rubric file is missing, not YAML, invalid, or
    │   │                                    past a size limit (:mod:`assessment.limits`)
    │   ├── DataValidationError              answers / clients / peers / targets files have
    │   │                                    errors; carries every problem as a table
    │   ├── UnsafeIdentifierError            an id that is not safe as a file name
    │   ├── ParameterError                   a notebook or command parameter is invalid
    │   │   └── InconsistentJudgementsError  weights from judgements at CR >= 0.10 saved
    │   │                                    without --accept-inconsistent
    │   ├── OutputExistsError                a file would be overwritten without --force
    │   └── OutputFolderError                an output folder holds files we did not write
    ├── MissingDependencyError       exit 2  an optional Python extra is not installed
    ├── MissingChromiumError         exit 2  PDF output needs a Chromium browser
    ├── EngineError                  exit 1  a batch engine could not start
    ├── StoreBusyError               exit 1  the workshop store stayed locked by another program
    └── FolderBusyError              exit 1  another program is writing into the output folder

Every class owns its exit code (``exit_code``), the way :mod:`click` exceptions do, so the
command line maps an exception to an exit status without a lookup table.  Messages are written
for the person at the keyboard: they name the file, the row or field, what was expected and what
was found.  All exceptions keep their constructor arguments in ``args`` so they survive pickling
across worker processes (``tests/test_exceptions.py`` checks every class).

This module imports nothing from the package: every layer may raise these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    import pandas as pd


class AssessmentError(Exception):
    """Root of every error this package raises on purpose."""

    exit_code: int = 1

    def __init__(self, message: str, *args: Any) -> None:
        super().__init__(message, *args)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InputError(AssessmentError):
    """The user supplied input that cannot be used (file, option or value)."""

    exit_code = 2


class RubricError(InputError):
    """A rubric could not be found, parsed or validated.

    Parameters
    ----------
    message
        Summary line.
    problems
        One human-readable line per problem, each naming the path inside the file.
    shown
        How many problems ``str()`` lists (the rest are counted); ``None``: all.
    """

    def __init__(
        self, message: str, problems: list[str] | None = None, shown: int | None = None
    ) -> None:
        super().__init__(message, problems or [], shown)
        self.problems: list[str] = list(problems or [])
        self.shown = shown

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        listed = self.problems if self.shown is None else self.problems[: self.shown]
        more = len(self.problems) - len(listed)
        tail = [f"  ... and {more} more problem(s)"] if more else []
        return "\n".join([self.message, *(f"  - {p}" for p in listed), *tail])


class DataValidationError(InputError):
    """A data file has one or more problems; all of them are collected.

    ``errors`` is a DataFrame with the columns of
    :data:`assessment.inputs.ERROR_COLUMNS` (file, row, column, value, reason, message),
    in the style of pandera's lazy ``SchemaErrors``.  ``str()`` lists the first ``shown``
    problems of each reason and counts the rest (``None``: all of them), so that a file with a
    million problems prints a screenful, not a million lines; ``errors`` keeps every one.
    """

    def __init__(self, message: str, errors: pd.DataFrame, shown: int | None = None) -> None:
        super().__init__(message, errors, shown)
        self.errors = errors
        self.shown = shown

    def __str__(self) -> str:
        import pandas as pd  # local: keep this module importable without pandas loaded

        errors = self.errors
        listed = (
            errors if self.shown is None else errors.groupby("reason", sort=False).head(self.shown)
        )
        lines = [self.message]
        for rec in listed.itertuples(index=False):
            where = f"{rec.file}"
            if pd.notna(rec.row):
                where += f", row {int(rec.row)}"
            if rec.column:
                where += f", column {rec.column!r}"
            found = f"; found {rec.value!r}" if rec.value not in ("", None) else ""
            lines.append(f"  - {where}: {rec.message}{found} [{rec.reason}]")
        if len(listed) < len(errors):
            counts = errors["reason"].value_counts(sort=False)
            hidden = counts - listed["reason"].value_counts(sort=False).reindex(
                counts.index, fill_value=0
            )
            more = ", ".join(f"{n} {reason}" for reason, n in hidden.items() if n)
            lines.append(
                f"  ... and {len(errors) - len(listed)} more ({more}); the first {self.shown} "
                "of each reason are listed (--errors-out FILE writes them all)"
            )
        return "\n".join(lines)


class UnsafeIdentifierError(InputError):
    """An identifier would be unsafe to use in a file path or URL."""


class ParameterError(InputError):
    """A parameter passed to a notebook, command or function is invalid."""


class InconsistentJudgementsError(ParameterError):
    """Weights from judgements with a consistency ratio of 0.10 or more were to be saved.

    Saving them needs an explicit acceptance (``--accept-inconsistent``), which the variant's
    provenance records.
    """


class OutputExistsError(InputError):
    """A file exists where the toolkit would write one, and overwriting was not asked for."""


class OutputFolderError(InputError):
    """An output folder holds files the toolkit did not write there (or is unsafe to write to)."""


class MissingDependencyError(AssessmentError):
    """An optional dependency is not installed; the message says what to install."""

    exit_code = 2

    def __init__(self, package: str, extra: str) -> None:
        super().__init__(
            f"The optional dependency {package!r} is not installed. "
            f"Install it with: pip install 'assessment[{extra}]'",
            package,
            extra,
        )
        self.package = package
        self.extra = extra

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.package, self.extra))


class MissingChromiumError(AssessmentError):
    """PDF output needs a Chromium browser and none was found."""

    exit_code = 2

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "PDF output needs headless Chromium and none was found. On Debian/Ubuntu: "
            "sudo apt-get install -y chromium  (or set ASSESSMENT_CHROMIUM=/path/to/chrome)"
        )


class EngineError(AssessmentError):
    """A batch engine was asked for and could not start (or is unknown)."""


class StoreBusyError(AssessmentError):
    """The workshop store stayed locked by another program for longer than the retry budget."""


class FolderBusyError(AssessmentError):
    """Another program (a second batch) is writing into the same output folder.

    Parameters
    ----------
    message
        What is busy and what to do.
    folder
        The folder.
    """

    def __init__(self, message: str, folder: str = "") -> None:
        super().__init__(message, folder)
        self.folder = folder
