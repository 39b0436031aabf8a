"""Step 1 of the method: each answer's level, measured values through the thresholds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.rubric import Rubric

__all__ = ["levels_from_values", "respondent_levels"]


def levels_from_values(
    values: np.ndarray, thresholds: np.ndarray, lower_is_better: np.ndarray
) -> np.ndarray:
    """Convert measured values to levels through thresholds (vectorised).

    Parameters
    ----------
    values
        Shape ``(m,)`` measured values (NaN stays NaN).
    thresholds
        Shape ``(m, n - 1)``: the boundary of each level above the first, per value.
    lower_is_better
        Shape ``(m,)`` booleans: the direction of each value's indicator.

    Returns
    -------
    numpy.ndarray
        Levels ``1 + number of thresholds reached`` as floats.
    """
    v = values[:, None]
    reached = np.where(lower_is_better[:, None], v <= thresholds, v >= thresholds)
    return np.where(np.isnan(values), np.nan, 1.0 + reached.sum(axis=1))


def respondent_levels(answers: pd.DataFrame, rubric: Rubric) -> np.ndarray:
    """Each answer's level: step 1 of the method (measured values through the thresholds).

    Parameters
    ----------
    answers
        Validated answers (:func:`assessment.inputs.load_answers`).
    rubric
        The rubric they answer.

    Returns
    -------
    numpy.ndarray
        One level per answer row; NaN for ``NA`` answers.
    """
    table = rubric.indicator_table
    tcols = [f"t{k}" for k in range(2, rubric.n_levels + 1)]
    meta = table.reindex(answers["indicator_id"])
    number = answers["number"].to_numpy(dtype=float)
    measured = (meta["kind"] == "measured").to_numpy()
    converted = levels_from_values(
        number,
        meta[tcols].to_numpy(dtype=float),
        (meta["direction"] == "lower_is_better").to_numpy(),
    )
    level = np.where(measured, converted, number)
    return np.where(answers["is_na"].to_numpy(dtype=bool), np.nan, level)
