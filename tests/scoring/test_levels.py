"""Respondent levels (:mod:`assessment.scoring.levels`): measured values through thresholds."""

from __future__ import annotations

import numpy as np

from assessment.scoring import levels_from_values


def test_levels_from_values_both_directions():
    t = np.array([[10, 3, 1], [25, 60, 90], [25, 60, 90]], dtype=float)
    values = np.array([3.0, 59.9, np.nan])
    lower = np.array([True, False, False])
    out = levels_from_values(values, t, lower)
    assert out[0] == 3  # <= 10 and <= 3 reached, not <= 1
    assert out[1] == 2  # >= 25 only
    assert np.isnan(out[2])
