"""Score how mature an organisation's social-media function is, from "2007" to "modern".

The public API a notebook author needs::

    from assessment import load_rubric, load_answers, score
    rubric = load_rubric("social-media")
    result = score(rubric, load_answers("data/samples/answers.csv", rubric))
    result.summary()
"""

from importlib.metadata import PackageNotFoundError, version

from assessment.exceptions import AssessmentError, DataValidationError, InputError, RubricError
from assessment.inputs import load_answers, load_clients, load_peers, load_targets
from assessment.rubric import Rubric, load_rubric
from assessment.scoring import ScoreResult, ScoringOptions, score

try:
    __version__ = version("assessment")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

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
