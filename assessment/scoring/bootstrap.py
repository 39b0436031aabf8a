"""Step 9 of the method: bootstrap confidence intervals of dimension scores.

Respondents are resampled (paired across indicators) and steps 2-5 recomputed for every
resample at once.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from assessment.rubric import Rubric
from assessment.scoring.aggregate import _dimension_scores, _Structure
from assessment.scoring.levels import respondent_levels
from assessment.scoring.options import ScoringOptions
from assessment.scoring.result import ASSESSMENT


def _nanmedian(values: np.ndarray, axis: int) -> np.ndarray:
    """``np.nanmedian(values, axis)``, for the bootstrap's many short slices.

    numpy takes a masked-array path for small slices and emits a warning object for every
    all-NaN one (thousands per report); sorting once, which puts NaN last, and picking the
    middle of each slice's ``n`` valid values gives the same numbers several times faster.
    """
    ordered = np.sort(values, axis=axis)
    n = np.count_nonzero(~np.isnan(values), axis=axis, keepdims=True)
    low = np.take_along_axis(ordered, np.maximum((n - 1) // 2, 0), axis=axis)
    high = np.take_along_axis(ordered, n // 2, axis=axis)
    # n == 0 picks position 0, which is NaN for an all-NaN slice, as np.nanmedian gives.
    middle = np.where(n > 0, (low + high) / 2, np.nan)
    return np.squeeze(middle, axis=axis)


def _bootstrap(
    answers: pd.DataFrame,
    keys: pd.DataFrame,
    levels: np.ndarray,
    applicable: np.ndarray,
    rubric: Rubric,
    structure: _Structure,
    options: ScoringOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap CIs of dimension scores, resampling respondents.

    Assessments are grouped by their number of respondents so each group is one dense
    ``(assessments, respondents, indicators)`` array; all resamples of a group are computed in
    one shot.  Measured indicators are facts, not opinions, and are held fixed.
    """
    rng = np.random.default_rng(options.seed)
    order = list(rubric.indicator_table.index)
    n_i = len(order)
    lo = np.full((len(keys), structure.weights.shape[1]), np.nan)
    hi = lo.copy()
    resp = answers.loc[(answers["kind"] != "measured")].assign(
        resp_level=lambda a: respondent_levels(a, rubric)
    )
    resp.loc[resp["is_na"], "resp_level"] = np.nan
    # Answers are unique per respondent and indicator (validated), so unstack is safe.
    cube = (
        resp.set_index([*ASSESSMENT, "respondent", "indicator_id"])["resp_level"]
        .unstack("indicator_id")
        .reindex(columns=order)
    )
    measured = (rubric.indicator_table["kind"] == "measured").to_numpy()
    counts = cube.groupby(level=[0, 1]).size()
    pos = pd.Series(np.arange(len(keys)), index=pd.MultiIndex.from_frame(keys))
    alpha = (1 - options.confidence) / 2
    for r, group in counts.groupby(counts):
        if r < 2:
            continue
        idx = pos.reindex(group.index).to_numpy()
        sub = cube.loc[cube.index.droplevel(2).isin(group.index)]
        arr = sub.to_numpy(dtype=float).reshape(len(idx), r, n_i)
        draws = rng.integers(0, r, size=(options.bootstrap, len(idx), r))
        sample = np.take_along_axis(arr[None, :, :, :], draws[..., None], axis=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices are expected
            if options.aggregate == "median":
                agg = _nanmedian(sample, axis=2)
            else:
                agg = np.nanmean(sample, axis=2)
        booleans = (rubric.indicator_table["kind"] == "boolean").to_numpy()
        if booleans.any():
            yes = rubric.indicator_table["yes_level"].to_numpy()
            no = rubric.indicator_table["no_level"].to_numpy()
            is_yes = np.where(np.isnan(sample), np.nan, sample == yes)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                share = np.nanmean(is_yes, axis=2)
            snapped = np.where(np.isnan(share), np.nan, np.where(share > 0.5, yes, no))
            agg = np.where(booleans, snapped, agg)
        fixed = levels[idx]
        agg = np.where(measured, fixed[None], agg)
        # Keep the point estimate's N/A pattern: resampling must not change applicability.
        app = applicable[idx]
        agg = np.where(app[None], agg, np.nan)
        _, capped, _, _ = _dimension_scores(agg, np.broadcast_to(app, agg.shape), structure)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo[idx] = np.nanquantile(capped, alpha, axis=0)
            hi[idx] = np.nanquantile(capped, 1 - alpha, axis=0)
    return lo, hi
