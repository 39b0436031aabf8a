"""The scoring engine: answers in, tidy score tables out.  Vectorised throughout.

What lives here
---------------
* :mod:`~assessment.scoring.engine`: :func:`score`, and the method's reference (every formula,
  steps 1-10) in its module docstring; the indicator, dimension and overall tables;
* :mod:`~assessment.scoring.options` and :mod:`~assessment.scoring.result`:
  :class:`ScoringOptions` in, :class:`ScoreResult` out;
* :mod:`~assessment.scoring.levels`: respondent levels (step 1);
* :mod:`~assessment.scoring.aggregate`: the numeric kernels (sorted segments, dimension
  scores as matrix products);
* :mod:`~assessment.scoring.targets`, :mod:`~assessment.scoring.bootstrap` and
  :mod:`~assessment.scoring.benchmark`: targets and recommendations, bootstrap intervals, peer
  percentiles (steps 7, 9 and 10);
* :mod:`~assessment.scoring.erlang` and :mod:`~assessment.scoring.staffing`: the resourcing
  model (Erlang C, FTE by coverage option).  Import them by module: they need
  :mod:`scipy.special`, which the engine does not.

May import: :mod:`assessment.rubric`, :mod:`assessment.exceptions`.
"""

from assessment.scoring.benchmark import peer_index
from assessment.scoring.engine import score
from assessment.scoring.levels import levels_from_values, respondent_levels
from assessment.scoring.options import ScoringOptions
from assessment.scoring.result import ASSESSMENT, ScoreResult
from assessment.scoring.targets import default_profile

__all__ = [
    "ASSESSMENT",
    "ScoreResult",
    "ScoringOptions",
    "default_profile",
    "levels_from_values",
    "peer_index",
    "respondent_levels",
    "score",
]
