"""What the engine derives beside the respondents' levels: facts, computed indicators, who was
asked, and evidence.

* **Facts** (rubric ``facts``) are numbers about the client: each assessment's value of a fact
  is the median of the respondents who gave it.
* **Computed indicators** take their value from a registered formula of those facts
  (:mod:`assessment.scoring.formulas`) and their level from their thresholds.
* **Asked**: an indicator was asked in an assessment when some respondent's role is among the
  indicator's ``asked_of`` (or it names no role, or the respondent's role matches none of the
  rubric's).  An indicator nobody was asked is ``not_asked``, not ``missing``.
* **Evidence**: an indicator is evidenced in an assessment when some answer to it carries an
  ``evidence`` reference.  Under ``evidence="cap"`` an unevidenced indicator cannot sit at a
  level whose evidence the rubric requires: it counts just below the first such level.

Every function returns ``(assessments, indicators)`` arrays in rubric order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.exceptions import RubricError
from assessment.rubric import Rubric
from assessment.scoring.aggregate import _Codes
from assessment.scoring.formulas import registry
from assessment.scoring.levels import levels_from_values

__all__ = ["asked_matrix", "computed_values", "evidence_floor", "evidenced", "fact_values"]


def fact_values(
    answers: pd.DataFrame, assessment: np.ndarray, rubric: Rubric, n_assessments: int
) -> dict[str, np.ndarray]:
    """Each fact's value per assessment: the median of its respondents' numbers (NaN if none).

    Parameters
    ----------
    answers
        The fact answers only (``kind == "fact"``).
    assessment
        Each of those answers' assessment code.
    """
    out = {f.id: np.full(n_assessments, np.nan) for f in rubric.facts}
    if answers.empty:
        return out
    frame = pd.DataFrame(
        {
            "a": assessment,
            "fact": answers["indicator_id"].astype(str).to_numpy(),
            "number": answers["number"].to_numpy(dtype=float),
        }
    ).dropna(subset=["number"])
    medians = frame.groupby(["fact", "a"])["number"].median()
    for (fact, a), value in medians.items():
        if fact in out:
            out[fact][a] = value
    return out


def computed_values(
    rubric: Rubric, facts: dict[str, np.ndarray], n_assessments: int
) -> tuple[np.ndarray, np.ndarray]:
    """The value and level of every computed indicator, ``(A, I)`` (NaN elsewhere).

    Raises
    ------
    RubricError
        When a formula is unknown or called with inputs it does not take.
    """
    table = rubric.indicator_table
    value = np.full((n_assessments, len(table)), np.nan)
    level = value.copy()
    n_t = rubric.n_levels - 1
    for pos, (_, ind) in enumerate(rubric.iter_indicators()):
        if ind.formula is None:
            continue
        problems = registry.check(ind.formula.function, ind.formula.inputs)
        if problems:
            raise RubricError(f"indicator {ind.id!r}: " + "; ".join(problems))
        inputs = {
            name: facts[src] if isinstance(src, str) else np.full(n_assessments, float(src))
            for name, src in ind.formula.inputs.items()
        }
        col = np.asarray(registry.get(ind.formula.function)(**inputs), dtype=float)
        value[:, pos] = col
        thresholds = np.tile(np.asarray(ind.thresholds, dtype=float), (n_assessments, 1))
        lower = np.full(n_assessments, ind.direction == "lower_is_better")
        level[:, pos] = np.where(
            np.isnan(col), np.nan, levels_from_values(col, thresholds.reshape(-1, n_t), lower)
        )
    return value, level


def asked_matrix(answers: pd.DataFrame, codes: _Codes, rubric: Rubric) -> np.ndarray:
    """``(A, I)``: whether some respondent of each assessment was asked each indicator."""
    table = rubric.indicator_table
    n_a, n_i = len(codes.keys), len(table)
    if not rubric.roles:
        return np.ones((n_a, n_i), dtype=bool)
    role_ids = sorted({r.id for r in rubric.roles})
    # (A, R + 1): which roles the assessment's respondents hold; the last column is "a role
    # that matches none of the rubric's", whose holder is asked everything.
    present = np.zeros((n_a, len(role_ids) + 1), dtype=bool)
    role_pos = {r: k for k, r in enumerate(role_ids)}
    held = answers["role_id"].astype(str).map(lambda r: role_pos.get(r, len(role_ids)))
    present[codes.assessment, held.to_numpy(dtype=np.int64)] = True
    # (R + 1, I): which roles each indicator is asked of (everyone when it names none).
    asks = np.zeros((len(role_ids) + 1, n_i), dtype=bool)
    asks[len(role_ids), :] = True
    for i, roles in enumerate(table["asked_of"]):
        if not roles:
            asks[:, i] = True
        for r in roles:
            asks[role_pos[r], i] = True
    return (present.astype(np.int64) @ asks.astype(np.int64)) > 0


def evidenced(answers: pd.DataFrame, codes: _Codes, n_indicators: int) -> np.ndarray:
    """``(A, I)``: whether some answer of each assessment to each indicator carries evidence."""
    out = np.zeros((len(codes.keys), n_indicators), dtype=bool)
    if "evidence" not in answers:
        return out
    has = answers["evidence"].astype(str).str.strip().to_numpy() != ""
    out[codes.assessment[has], codes.indicator[has]] = True
    return out


def evidence_floor(rubric: Rubric) -> np.ndarray:
    """``(I,)``: the lowest level whose evidence each indicator requires (NaN: none)."""
    return np.array(
        [
            min((lvl for lvl, spec in ind.levels.items() if spec.evidence), default=np.nan)
            for _, ind in rubric.iter_indicators()
        ],
        dtype=float,
    )
