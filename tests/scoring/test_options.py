"""The engine's options (:mod:`assessment.scoring.options`)."""

from __future__ import annotations

import pytest

from assessment.exceptions import ParameterError
from assessment.scoring import ScoringOptions


def test_options_are_validated():
    with pytest.raises(ParameterError, match="aggregate"):
        ScoringOptions(aggregate="mode")  # type: ignore[arg-type]
    with pytest.raises(ParameterError, match="trim"):
        ScoringOptions(trim=0.7)
