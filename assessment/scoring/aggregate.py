"""The numeric kernels: answers as integer codes, sorted segments, the rubric as arrays.

Every per-(assessment, indicator) statistic is computed on one integer key per answer,
``key = assessment_code * n_indicators + indicator_position``.  Sorting once by (key, value)
turns each group into a contiguous segment, so medians, quantiles, trimmed means, minima and
maxima are plain array indexing: no per-group Python, and no repeated hashing of string keys
(which dominated the first version of this engine).  Dimension scores are then matrix products
of the (assessments x indicators) levels with the rubric's weights, for the point estimate and
for every bootstrap resample alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from assessment.rubric import Rubric
from assessment.scoring.options import ScoringOptions


@dataclass(frozen=True)
class _Segments:
    """Values sorted within groups: ``values[starts[g] : starts[g] + counts[g]]`` is group g."""

    values: np.ndarray
    keys: np.ndarray
    counts: np.ndarray
    starts: np.ndarray

    def quantile(self, q: float) -> np.ndarray:
        """Per-group quantile with linear interpolation (numpy's and pandas' default)."""
        out = np.full(len(self.counts), np.nan)
        has = self.counts > 0
        c = self.counts[has]
        pos = q * (c - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, c - 1)
        base = self.starts[has]
        a, b = self.values[base + lo], self.values[base + hi]
        out[has] = a + (pos - lo) * (b - a)
        return out

    def mean(self) -> np.ndarray:
        """Per-group mean (NaN for an empty group)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(self.keys, self.values, len(self.counts)) / self.counts

    def trimmed_mean(self, trim: float) -> np.ndarray:
        """Per-group mean after cutting ``floor(trim * count)`` values from each end."""
        rank = np.arange(len(self.values)) - np.repeat(self.starts, self.counts)
        count = np.repeat(self.counts, self.counts)
        cut = np.floor(trim * count)
        keep = (rank >= cut) & (rank < count - cut)
        size = len(self.counts)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(self.keys[keep], self.values[keep], size) / np.bincount(
                self.keys[keep], minlength=size
            )

    def var(self) -> np.ndarray:
        """Sample variance (ddof=1), two-pass for accuracy."""
        dev = self.values - self.mean()[self.keys]
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(self.keys, dev * dev, len(self.counts)) / (self.counts - 1)

    def extreme(self, last: bool) -> np.ndarray:
        """Per-group maximum (``last``) or minimum: the segments are sorted."""
        out = np.full(len(self.counts), np.nan)
        has = self.counts > 0
        idx = self.starts[has] + (self.counts[has] - 1 if last else 0)
        out[has] = self.values[idx]
        return out


def _aggregate(seg: _Segments, options: ScoringOptions) -> np.ndarray:
    """Each segment's aggregate as the options ask: median, mean or trimmed mean."""
    if options.aggregate == "median":
        return seg.quantile(0.5)
    if options.aggregate == "mean":
        return seg.mean()
    return seg.trimmed_mean(options.trim)


def _factorize_sorted(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and sorted uniques; reuses categorical codes (validated answers carry them)."""
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        order = np.argsort(cats.to_numpy(dtype=object))
        remap = np.empty(len(cats), dtype=np.int64)
        remap[order] = np.arange(len(cats))
        codes = s.cat.codes.to_numpy()
        # Keep only categories in use so that unused ones do not become assessments.
        used = np.unique(remap[codes])
        dense = np.full(len(cats), -1, dtype=np.int64)
        dense[used] = np.arange(len(used))
        return dense[remap[codes]], cats.to_numpy(dtype=object)[order][used]
    codes, uniques = pd.factorize(s, sort=True)
    return codes, np.asarray(uniques, dtype=object)


@dataclass(frozen=True)
class _Codes:
    """Integer codes of the answers: which assessment, which indicator."""

    keys: pd.DataFrame  # one row per assessment: client_id, date (sorted)
    assessment: np.ndarray  # per answer
    indicator: np.ndarray  # per answer: position in the rubric

    @classmethod
    def of(cls, answers: pd.DataFrame, rubric: Rubric) -> _Codes:
        """The codes of validated answers (categorical ids are reused, not hashed again)."""
        c_code, c_uniq = _factorize_sorted(answers["client_id"])
        d_code, d_uniq = _factorize_sorted(answers["date"])
        combo = c_code.astype(np.int64) * len(d_uniq) + d_code
        uniq, assessment = np.unique(combo, return_inverse=True)
        keys = pd.DataFrame(
            {
                "client_id": np.asarray(c_uniq, dtype=object)[uniq // len(d_uniq)],
                "date": np.asarray(d_uniq, dtype=object)[uniq % len(d_uniq)],
            }
        ).astype("str")
        i_code, i_uniq = _factorize_sorted(answers["indicator_id"])
        indicator = rubric.indicator_table.index.get_indexer(i_uniq)[i_code]
        return cls(keys, assessment.astype(np.int64), indicator.astype(np.int64))


#: Decimals dimension scores are rounded to (float noise only; reports show 2).
SCORE_DECIMALS = 10


@dataclass
class _Dense:
    """Indicator results as (assessments x indicators) arrays."""

    level: np.ndarray
    applicable: np.ndarray  # False where the indicator is N/A for the assessment
    status: np.ndarray  # "answered" / "na" / "missing" / "not_asked"
    asked: np.ndarray  # False where no respondent of the assessment was asked the indicator


@dataclass(frozen=True)
class _Structure:
    """The rubric as arrays: indicator -> dimension weights and gates."""

    weights: np.ndarray  # (I, D) indicator weight where the indicator belongs to the dimension
    dim_of: np.ndarray  # (I,) dimension position of each indicator
    gate_indicator: np.ndarray  # (G,) indicator positions
    gate_dimension: np.ndarray  # (G,) dimension positions
    gate_min: np.ndarray  # (G,)
    gate_cap: np.ndarray  # (G,) score cap = caps_below - 0.01

    @classmethod
    def of(cls, rubric: Rubric) -> _Structure:
        """The arrays of ``rubric``."""
        ind = rubric.indicator_table
        dims = rubric.dimension_table
        d_pos = dims["order"]
        i_pos = ind["order"]
        dim_of = d_pos.reindex(ind["dimension_id"]).to_numpy()
        w = np.zeros((len(ind), len(dims)))
        w[ind["order"].to_numpy(), dim_of] = ind["indicator_weight"].to_numpy()
        gates = rubric.gate_table
        return cls(
            weights=w,
            dim_of=dim_of,
            gate_indicator=i_pos.reindex(gates["indicator_id"]).to_numpy(dtype=int),
            gate_dimension=d_pos.reindex(gates["dimension_id"]).to_numpy(dtype=int),
            gate_min=gates["min_level"].to_numpy(dtype=float),
            gate_cap=gates["caps_below"].to_numpy(dtype=float) - 0.01,
        )


def _dimension_scores(
    levels: np.ndarray, applicable: np.ndarray, s: _Structure, asked: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dimension scores from indicator levels; works on any leading shape ``(..., I)``.

    Returns raw score, capped score, coverage and the (..., G) gate failure mask.  Coverage is
    the answered share of what was asked and applicable: an indicator nobody was asked is a
    gap in the questionnaire, not in the answers.  A gate nobody was asked still caps: its
    condition has not been shown.
    """
    answered = ~np.isnan(levels)
    num = np.where(answered, levels, 0.0) @ s.weights
    den = answered.astype(float) @ s.weights
    counted = applicable if asked is None else applicable & (asked | answered)
    app = counted.astype(float) @ s.weights
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        # A weighted mean of equal levels must be that level: 0.3 / 0.1 is 2.9999999999999996 in
        # floating point, whose floor would drop a whole level.  Rounding far below any displayed
        # precision removes the noise and nothing else.
        coverage = np.where(app > 0, den / np.where(app > 0, app, 1.0), np.nan)
    raw = np.round(raw, SCORE_DECIMALS)
    gl = levels[..., s.gate_indicator]
    gapp = applicable[..., s.gate_indicator]
    # Below the minimum, or applicable but unanswered: the necessary condition is not shown.
    failed = gapp & (np.isnan(gl) | (gl < s.gate_min))
    capped = raw.copy()
    for g in range(len(s.gate_indicator)):  # loops over the rubric's few gates, not the data
        d = s.gate_dimension[g]
        # np.minimum, not fmin: a dimension with no answers stays unscored (NaN), not "cap".
        capped[..., d] = np.where(
            failed[..., g], np.minimum(capped[..., d], s.gate_cap[g]), capped[..., d]
        )
    return raw, capped, coverage, failed
