"""Bootstrap intervals (:mod:`assessment.scoring.bootstrap`), checked against scipy and numpy.

Uses the data-stewardship rubric: quality (w .6): dq_checks (anchored, gate >=2 else cap <3),
dq_incidents_per_month (measured, lower is better, [10, 3, 1], NA allowed); ownership (w .4):
owner_named (boolean yes=4 no=1), catalogue_coverage_pct (measured, higher is better,
[25, 60, 90]).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from assessment.scoring import score
from assessment.scoring.bootstrap import _nanmedian


def test_bootstrap_matches_scipy_for_one_indicator(small_rubric, make_answers):
    levels = [1, 2, 2, 3, 3, 3, 4, 2]
    rows = [("c", f"r{i}", "dq_checks", v) for i, v in enumerate(levels)]
    r = score(small_rubric, make_answers(small_rubric, rows), bootstrap=4000, confidence=0.9)
    d = r.dimensions.set_index("dimension_id")
    ref = stats.bootstrap(
        (np.array(levels, float),),
        np.median,
        n_resamples=4000,
        confidence_level=0.9,
        method="percentile",
        random_state=np.random.default_rng(0),
    )
    # quality has only dq_checks answered (incidents missing), so its score is the median
    assert d.loc["quality", "ci_low"] == pytest.approx(ref.confidence_interval.low, abs=0.5)
    assert d.loc["quality", "ci_high"] == pytest.approx(ref.confidence_interval.high, abs=0.5)
    assert d.loc["quality", "ci_low"] <= d.loc["quality", "score"] <= d.loc["quality", "ci_high"]


@settings(max_examples=200, deadline=None)
@given(
    hnp.arrays(
        np.float64,
        hnp.array_shapes(min_dims=3, max_dims=4, min_side=1, max_side=6),
        elements=st.one_of(st.just(np.nan), st.integers(1, 5).map(float), st.floats(0, 100)),
    )
)
def test_bootstrap_median_equals_numpy_nanmedian(values):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy warns on all-NaN slices
        expected = np.nanmedian(values, axis=2)
    np.testing.assert_array_equal(_nanmedian(values, axis=2), expected)
