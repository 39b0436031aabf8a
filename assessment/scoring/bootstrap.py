"""Step 9 of the method: bootstrap confidence intervals of dimension scores.

Respondents are resampled (paired across indicators that were asked of the same people) and
steps 2-5 recomputed for every resample at once.
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


def _asked_cube(resp: pd.DataFrame, cube: pd.DataFrame, rubric: Rubric) -> np.ndarray:
    """``cube``-shaped: whether each respondent was asked each indicator (or answered it).

    A respondent is asked an indicator when its role is among the indicator's ``asked_of``,
    the indicator names no role, or the respondent's role is none of the rubric's.
    """
    answered = cube.notna().to_numpy()
    if not rubric.roles:
        return np.ones(answered.shape, dtype=bool)
    role = (
        resp.drop_duplicates([*ASSESSMENT, "respondent"])
        .set_index([*ASSESSMENT, "respondent"])["role_id"]
        .reindex(cube.index)
        .fillna("")
        .astype(str)
        .to_numpy()
    )
    asked_of = rubric.indicator_table["asked_of"].tolist()
    asked = np.array(
        [[r == "" or not roles or r in roles for roles in asked_of] for r in role], dtype=bool
    ).reshape(answered.shape)
    return asked | answered


def _resample(
    arr: np.ndarray, asked: np.ndarray, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """``(draws, n, r, I)`` resamples of ``(n, r, I)`` answers, each indicator from the
    respondents who were asked it.

    Respondents asked an indicator come first (stable), and slot ``j`` of a resample draws
    position ``floor(u_j k)`` among the ``k`` asked; slots ``j >= k`` stay empty.  The same
    ``u`` serves every indicator, so indicators asked of the same people stay paired.
    """
    n, r, _ = arr.shape
    order = np.argsort(~asked, axis=1, kind="stable")
    ranked = np.take_along_axis(arr, order, axis=1)
    k = asked.sum(axis=1)  # (n, I)
    u = rng.random((draws, n, r))
    pick = np.floor(u[..., None] * k[None, :, None, :]).astype(np.int64)  # (draws, n, r, I)
    pick = np.minimum(pick, np.maximum(k[None, :, None, :] - 1, 0))
    sample = np.take_along_axis(np.broadcast_to(ranked[None], pick.shape), pick, axis=2)
    slot = np.arange(r)[None, None, :, None]
    return np.where(slot < k[None, :, None, :], sample, np.nan)


def _bootstrap(
    answers: pd.DataFrame,
    keys: pd.DataFrame,
    levels: np.ndarray,
    applicable: np.ndarray,
    rubric: Rubric,
    structure: _Structure,
    options: ScoringOptions,
    ceiling: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap CIs of dimension scores, resampling respondents.

    ``ceiling`` (``(A, I)``, ``inf`` where none) caps resampled levels as the point estimate
    was capped (``evidence="cap"``).

    Assessments are grouped by their number of respondents so each group is one dense
    ``(assessments, respondents, indicators)`` array; all resamples of a group are computed in
    one shot.  Each indicator is resampled among the respondents asked it (with a roles-aware
    rubric, the care lead alone answers the care figures: a resample never drops the only
    person who could answer).  Measured and computed indicators are facts, not opinions, and
    are held fixed.
    """
    rng = np.random.default_rng(options.seed)
    order = list(rubric.indicator_table.index)
    n_i = len(order)
    lo = np.full((len(keys), structure.weights.shape[1]), np.nan)
    hi = lo.copy()
    kind = rubric.indicator_table["kind"].to_numpy()
    resp = answers.loc[answers["kind"].isin(["anchored", "boolean"])].assign(
        resp_level=lambda a: respondent_levels(a, rubric)
    )
    resp.loc[resp["is_na"], "resp_level"] = np.nan
    if "role_id" not in resp:
        resp = resp.assign(role_id="")
    # Answers are unique per respondent and indicator (validated), so unstack is safe.
    cube = (
        resp.set_index([*ASSESSMENT, "respondent", "indicator_id"])["resp_level"]
        .unstack("indicator_id")
        .reindex(columns=order)
    )
    asked_all = _asked_cube(resp, cube, rubric)
    fixed_i = (kind == "measured") | (kind == "computed")
    counts = cube.groupby(level=[0, 1]).size()
    pos = pd.Series(np.arange(len(keys)), index=pd.MultiIndex.from_frame(keys))
    alpha = (1 - options.confidence) / 2
    for r, group in counts.groupby(counts):
        if r < 2:
            continue
        idx = pos.reindex(group.index).to_numpy()
        rows = cube.index.droplevel(2).isin(group.index)
        arr = cube.loc[rows].to_numpy(dtype=float).reshape(len(idx), r, n_i)
        asked = asked_all[rows].reshape(len(idx), r, n_i)
        sample = _resample(arr, asked, options.bootstrap, rng)
        agg = _aggregate_sample(sample, rubric, options)
        if ceiling is not None:
            agg = np.minimum(agg, ceiling[idx][None])
        agg = np.where(fixed_i, levels[idx][None], agg)
        # Keep the point estimate's N/A pattern: resampling must not change applicability.
        app = applicable[idx]
        agg = np.where(app[None], agg, np.nan)
        _, capped, _, _ = _dimension_scores(agg, np.broadcast_to(app, agg.shape), structure)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            lo[idx] = np.nanquantile(capped, alpha, axis=0)
            hi[idx] = np.nanquantile(capped, 1 - alpha, axis=0)
    return lo, hi


def _aggregate_sample(sample: np.ndarray, rubric: Rubric, options: ScoringOptions) -> np.ndarray:
    """Step 2 on resamples: each indicator's level from a resample's respondents."""
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
    return agg
