"""Every exception class: in the tree, picklable (batch workers), with its own exit code."""

from __future__ import annotations

import inspect
import pickle

import pandas as pd
import pytest

from assessment import exceptions
from assessment.exceptions import (
    AssessmentError,
    DataValidationError,
    EngineError,
    FolderBusyError,
    InconsistentJudgementsError,
    InputError,
    MissingChromiumError,
    MissingDependencyError,
    OutputExistsError,
    OutputFolderError,
    ParameterError,
    RubricError,
    StoreBusyError,
    UnsafeIdentifierError,
)
from assessment.inputs import ERROR_COLUMNS

EXCEPTION_SAMPLES = [
    pytest.param(AssessmentError("boom", 1, "two"), id="AssessmentError"),
    pytest.param(InputError("bad input"), id="InputError"),
    pytest.param(RubricError("bad rubric", ["a.b (line 3): oops", "c: nope"]), id="RubricError"),
    pytest.param(RubricError("no details"), id="RubricError-no-problems"),
    pytest.param(RubricError("capped", ["a", "b", "c"], 2), id="RubricError-capped"),
    pytest.param(
        DataValidationError(
            "1 problem(s) in the answers (a.csv):",
            pd.DataFrame(
                [["a.csv", 3, "value", "9", "level_out_of_range", "expected a level"]],
                columns=ERROR_COLUMNS,
            ).astype({"row": "Int64"}),
        ),
        id="DataValidationError",
    ),
    pytest.param(
        DataValidationError(
            "3 problem(s) in the answers (a.csv):",
            pd.DataFrame(
                [
                    ["a.csv", k, "value", "9", "level_out_of_range", "expected a level"]
                    for k in (2, 3, 4)
                ],
                columns=ERROR_COLUMNS,
            ).astype({"row": "Int64"}),
            shown=1,
        ),
        id="DataValidationError-capped",
    ),
    pytest.param(UnsafeIdentifierError("client id '../x' is not safe"), id="UnsafeIdentifierError"),
    pytest.param(ParameterError("service_level must be a fraction"), id="ParameterError"),
    pytest.param(
        InconsistentJudgementsError("expert b.csv has CR 0.151"), id="InconsistentJudgementsError"
    ),
    pytest.param(OutputExistsError("v.yaml exists; use --force"), id="OutputExistsError"),
    pytest.param(OutputFolderError("--out x holds files no batch wrote"), id="OutputFolderError"),
    pytest.param(MissingDependencyError("dask", "dask"), id="MissingDependencyError"),
    pytest.param(MissingChromiumError(), id="MissingChromiumError"),
    pytest.param(EngineError("the fork engine could not start"), id="EngineError"),
    pytest.param(StoreBusyError("workshop store w.sqlite is locked"), id="StoreBusyError"),
    pytest.param(FolderBusyError("reports is being written", "reports"), id="FolderBusyError"),
]


def test_exception_samples_cover_every_class() -> None:
    defined = {
        name
        for name, cls in inspect.getmembers(exceptions, inspect.isclass)
        if issubclass(cls, BaseException) and cls.__module__ == exceptions.__name__
    }
    sampled = {type(p.values[0]).__name__ for p in EXCEPTION_SAMPLES}
    assert defined == sampled, f"exceptions without a pickle test: {defined - sampled}"


@pytest.mark.parametrize("exc", EXCEPTION_SAMPLES)
def test_exceptions_survive_pickling(exc: AssessmentError) -> None:
    clone = pickle.loads(pickle.dumps(exc))
    assert type(clone) is type(exc)
    assert str(clone) == str(exc)
    assert clone.message == exc.message
    assert clone.exit_code == exc.exit_code
    if isinstance(exc, DataValidationError):
        pd.testing.assert_frame_equal(clone.errors, exc.errors)
    else:
        assert clone.args == exc.args
    for attribute in ("problems", "package", "extra", "shown", "folder"):
        assert getattr(clone, attribute, None) == getattr(exc, attribute, None)


def test_exit_codes() -> None:
    assert AssessmentError("x").exit_code == 1
    for cls in (InputError, RubricError, DataValidationError, UnsafeIdentifierError):
        assert issubclass(cls, InputError)
        assert cls.exit_code == 2, cls.__name__
    assert MissingDependencyError("dask", "dask").exit_code == 2
    assert "pip install 'assessment[dask]'" in str(MissingDependencyError("dask", "dask"))
    assert MissingChromiumError().exit_code == 2
    assert "apt-get install -y chromium" in str(MissingChromiumError())
    assert EngineError("x").exit_code == 1
    assert StoreBusyError("x").exit_code == 1
    assert OutputFolderError("x").exit_code == 2
    assert OutputExistsError("x").exit_code == 2
    assert issubclass(InconsistentJudgementsError, ParameterError)
    assert InconsistentJudgementsError("x").exit_code == 2
    assert FolderBusyError("x").exit_code == 1


def test_long_problem_lists_are_capped_per_reason_and_counted() -> None:
    """Issue 18, finding 14: a million problems print a screenful, and say how many more."""
    rows = [
        ["a.csv", k, "value", "9", "level_out_of_range", "expected a level"] for k in range(2, 1002)
    ]
    rows += [["a.csv", k, "indicator_id", "x", "unknown_indicator", "unknown"] for k in range(2, 7)]
    errors = pd.DataFrame(rows, columns=ERROR_COLUMNS).astype({"row": "Int64"})
    text = str(DataValidationError("1005 problem(s):", errors, shown=3))
    lines = text.splitlines()
    assert len(lines) == 1 + 3 + 3 + 1
    assert lines[-1].startswith("  ... and 999 more (997 level_out_of_range, 2 unknown_indicator)")
    assert "--errors-out" in lines[-1]
    assert len(str(DataValidationError("all", errors)).splitlines()) == 1 + len(errors)
    rubric = str(RubricError("bad", [f"p{k}" for k in range(100)], 5)).splitlines()
    assert rubric[1:6] == [f"  - p{k}" for k in range(5)]
    assert rubric[-1] == "  ... and 95 more problem(s)"


def test_the_module_docstring_draws_every_class() -> None:
    tree = exceptions.__doc__ or ""
    defined = [
        name
        for name, cls in inspect.getmembers(exceptions, inspect.isclass)
        if issubclass(cls, BaseException) and cls.__module__ == exceptions.__name__
    ]
    assert [name for name in defined if f" {name} " not in tree.replace("\n", " ")] == []
    # And the drawing agrees with the code: each class is drawn under its base.
    for name in defined:
        cls = getattr(exceptions, name)
        if cls is AssessmentError:
            continue
        parent = cls.__mro__[1].__name__
        lines = tree.splitlines()
        row = next(i for i, line in enumerate(lines) if f" {name} " in f"{line} ")
        depth = lines[row].index(name)
        owner = next(
            line for line in reversed(lines[:row]) if line.strip() and _depth(line) < depth
        )
        assert parent in owner, f"{name} is drawn under {owner.strip()!r}, not {parent}"


def _depth(line: str) -> int:
    stripped = line.lstrip(" │├└─")
    return len(line) - len(stripped)
