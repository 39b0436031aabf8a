"""Score how mature an organisation's social-media function is, from "2007" to "modern".

The public API a notebook author needs::

    from assessment import load_rubric, load_answers, score
    rubric = load_rubric("social-media")
    result = score(rubric, load_answers("data/samples/answers.csv", rubric))
    result.summary()

What lives where (``docs/architecture.md`` draws the layers)
-------------------------------------------------------------
==============================  ==============================================================
:mod:`assessment.rubric`        the rubric: a YAML declaration, validated; packaged rubrics
:mod:`assessment.inputs`        reading answers, clients, peers and targets; every problem
:mod:`assessment.samples`       the packaged sample portfolio; synthetic data for any rubric
:mod:`assessment.scoring`       the vectorised engine, agreement, bootstrap, peers, staffing
:mod:`assessment.weights`       AHP, rubric variants, sensitivity to the weights
:mod:`assessment.charts`        matplotlib charts: ``fn(data, *, ax=None, lang) -> Axes``
:mod:`assessment.report`        the client report's sections, page, PDF and portfolio page
:mod:`assessment.batch`         many reports with papermill: plan, engines, fork server
:mod:`assessment.workshop`      the live workshop: store, facilitator and voting apps
:mod:`assessment.tuning`        the analyst's weight-tuning widgets
:mod:`assessment.cli`           the ``maturity`` command
:mod:`assessment.text`          the one label table, number formatting, text direction
:mod:`assessment.exceptions`    every exception, in one tree
:mod:`assessment.files`         atomic writes, spreadsheet-safe CSV/XLSX, folder locks
:mod:`assessment.limits`        the limits on untrusted input (``docs/security.md``)
==============================  ==============================================================

Names below are imported on first use (PEP 562), so ``import assessment`` is instant and the
command line answers ``--help`` without loading pandas.

May import: its subpackages (re-exports only).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from assessment.exceptions import AssessmentError, DataValidationError, InputError, RubricError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.inputs import load_answers, load_clients, load_peers, load_targets
    from assessment.rubric import Rubric, load_rubric
    from assessment.scoring import ScoreResult, ScoringOptions, score

try:
    __version__ = version("assessment")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

#: Public name -> the subpackage that defines it.
_EXPORTS = {
    "load_answers": "inputs",
    "load_clients": "inputs",
    "load_peers": "inputs",
    "load_targets": "inputs",
    "Rubric": "rubric",
    "load_rubric": "rubric",
    "ScoreResult": "scoring",
    "ScoringOptions": "scoring",
    "score": "scoring",
}

__all__ = [
    "AssessmentError",
    "DataValidationError",
    "InputError",
    "Rubric",
    "RubricError",
    "ScoreResult",
    "ScoringOptions",
    "__version__",
    "load_answers",
    "load_clients",
    "load_peers",
    "load_rubric",
    "load_targets",
    "score",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
