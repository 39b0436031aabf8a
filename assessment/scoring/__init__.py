r"""The scoring engine: answers in, tidy score tables out.  Vectorised throughout.

An *assessment* is one ``(client_id, date)``.  With ``n`` levels on the rubric's scale
(5 for the packaged rubric):

1. **Respondent level** of an answer: anchored answers are the level; boolean answers map to the
   rubric's ``yes_level``/``no_level``; a measured value ``x`` becomes
   ``1 + #{k : x <= t_k}`` (``lower_is_better``) or ``1 + #{k : x >= t_k}`` (``higher_is_better``)
   over the thresholds ``t_2 .. t_n``.
2. **Indicator level** ``l_i``: the median (default), mean or trimmed mean of the respondents'
   levels.  Measured indicators aggregate the raw values first and convert once, so the level
   reflects "the median first-response time", not a median of levels.  ``NA`` answers are set
   aside; an indicator whose every answer is ``NA`` is *not applicable*.
3. **Dimension score** ``s_d = sum(v_i l_i) / sum(v_i)`` over the applicable, answered
   indicators of ``d`` (``v_i`` = indicator weights, renormalised over what is there).
   ``coverage_d = sum(v_i, answered) / sum(v_i, applicable)``.
4. **Gates** (ISO/IEC 33020 style necessary conditions): if a gate indicator is below its
   ``min_level`` — or was not answered, since an unevidenced condition is not met — then
   ``s_d <- min(s_d, caps_below - 0.01)``.  A gate indicator that is ``NA`` does not cap.
5. **Dimension level** ``floor(s_d)``.
6. **Overall views** (each answers its own question):

   * weighted index ``S = sum(w_d s_d) / sum(w_d)`` over scored dimensions (1..n) and
     ``index = 100 (S - 1) / (n - 1)`` (0..100);
   * staged level: the largest ``L`` such that every dimension is at level ``>= L - 1`` and the
     dimensions at ``>= L`` carry at least ``staged_share`` (default 70 %) of the weight;
   * weakest link: ``min_d level_d``;
   * the "2007 count": the number of dimensions still at level 1.

7. **Targets and gaps**: ``gap_d = max(0, T_d - s_d)``; ``priority_d = w_d gap_d``.  Indicator
   recommendations rank ``priority_i = w_d (v_i / sum v) max(0, T_d - l_i)`` and quote the
   rubric's next step for the indicator's current level.
8. **Agreement** per indicator: IQR, range and ``r_wg = 1 - s^2 / sigma_EU^2`` with
   ``sigma_EU^2 = (n^2 - 1) / 12`` (uniform "no agreement" null), clipped to [0, 1]; an
   indicator is a *hotspot* when ``r_wg < 0.70`` or the range is ``>= 2`` levels.
9. **Bootstrap CIs** for dimension scores resample respondents (paired across indicators) and
   recompute steps 2-5 for every resample at once.
10. **Peer benchmark**: percentile ``100 (#{peers < x} + 0.5 #{peers = x}) / N`` within the peer
    group (same sector and size band, widening to sector, then to all), never from fewer than
    ``anonymity_floor`` peers.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from assessment.exceptions import ParameterError
from assessment.rubric import Rubric, translate

__all__ = ["ScoreResult", "ScoringOptions", "levels_from_values", "respondent_levels", "score"]

ASSESSMENT = ["client_id", "date"]


@dataclass(frozen=True)
class ScoringOptions:
    """Knobs of the scoring engine; the defaults are the documented method."""

    aggregate: Literal["median", "mean", "trimmed"] = "median"  #: respondent aggregation
    trim: float = 0.2  #: share cut from each end by the trimmed mean
    missing: Literal["exclude", "lowest"] = "exclude"  #: unanswered indicators: skip or level 1
    staged_share: float = 0.7  #: weight share needed at a level for the staged level
    rwg_threshold: float = 0.7  #: r_wg below this flags a disagreement hotspot
    spread_threshold: float = 2.0  #: a level range at least this wide flags a hotspot
    anonymity_floor: int = 10  #: fewest peers a percentile may be computed from
    bootstrap: int = 0  #: number of bootstrap resamples for CIs (0 = no CIs)
    confidence: float = 0.9  #: confidence level of the bootstrap intervals
    seed: int = 12345  #: seed of the bootstrap resampling

    def __post_init__(self) -> None:
        if self.aggregate not in ("median", "mean", "trimmed"):
            raise ParameterError(
                f"aggregate must be 'median', 'mean' or 'trimmed'; found {self.aggregate!r}"
            )
        if self.missing not in ("exclude", "lowest"):
            raise ParameterError(f"missing must be 'exclude' or 'lowest'; found {self.missing!r}")
        if not 0 <= self.trim < 0.5:
            raise ParameterError(f"trim must be in [0, 0.5); found {self.trim}")
        if not 0 < self.staged_share <= 1:
            raise ParameterError(f"staged_share must be in (0, 1]; found {self.staged_share}")
        if not 0 < self.confidence < 1:
            raise ParameterError(f"confidence must be in (0, 1); found {self.confidence}")
        if self.bootstrap < 0 or self.anonymity_floor < 1:
            raise ParameterError("bootstrap must be >= 0 and anonymity_floor >= 1")


@dataclass
class ScoreResult:
    """Everything the engine computed, as tidy DataFrames.

    Attributes
    ----------
    indicators
        One row per assessment x indicator: ``level``, ``status`` (answered / na / missing),
        ``value`` (aggregated raw value), respondent statistics (``n``, ``iqr``, ``range``,
        ``rwg``, ``hotspot``), ``target``, ``gap``.
    dimensions
        One row per assessment x dimension: ``score`` (after gates), ``raw_score``, ``level``,
        ``capped_by``, ``coverage``, ``weight``, ``target``, ``gap``, ``priority``, ``ci_low``,
        ``ci_high``.
    overall
        One row per assessment: ``index_1_n``, ``index`` (0-100), ``level`` (staged),
        ``weakest_link``, ``count_2007``, ``n_dimensions``, ``coverage``, ``target_profile``.
    recommendations
        Ranked next steps per assessment.
    benchmark
        Peer percentiles (long: one row per assessment x measure), or empty without peers.
    """

    rubric: Rubric
    options: ScoringOptions
    answers: pd.DataFrame
    indicators: pd.DataFrame
    dimensions: pd.DataFrame
    overall: pd.DataFrame
    recommendations: pd.DataFrame
    benchmark: pd.DataFrame
    targets: pd.DataFrame = field(repr=False)
    peers: pd.DataFrame | None = field(default=None, repr=False)

    def latest(self) -> pd.DataFrame:
        """``overall`` restricted to each client's most recent assessment."""
        return _latest(self.overall)

    def summary(self) -> pd.DataFrame:
        """One record per client (latest assessment) for CSV/JSON/XLSX export.

        Columns: ``client_id, date, index, index_1_n, level, level_name, weakest_link,
        count_2007, coverage, target_profile, top_gap`` then one column per dimension id
        holding its score.
        """
        latest = self.latest()
        dims = _latest(self.dimensions).pivot(
            index=ASSESSMENT, columns="dimension_id", values="score"
        )[list(self.rubric.dimension_table.index)]
        top = (
            _latest(self.dimensions)
            .sort_values(["priority", "order"], ascending=[False, True])
            .drop_duplicates(ASSESSMENT)
            .set_index(ASSESSMENT)
        )
        out = latest.set_index(ASSESSMENT)
        out["top_gap"] = top["dimension_id"].where(top["priority"] > 0, "")
        out = out.join(dims.round(3))
        cols = [
            "index",
            "index_1_n",
            "level",
            "level_name",
            "weakest_link",
            "count_2007",
            "coverage",
            "target_profile",
            "top_gap",
        ]
        return out[cols + list(dims.columns)].reset_index()

    def client(self, client_id: str, date: str | None = None) -> ScoreResult:
        """The result restricted to one client (and one assessment date if given)."""

        def pick(df: pd.DataFrame) -> pd.DataFrame:
            if df is None or df.empty or "client_id" not in df:
                return df
            mask = df["client_id"] == client_id
            if date is not None and "date" in df:
                mask &= df["date"] == date
            return df.loc[mask].reset_index(drop=True)

        if not (self.overall["client_id"] == client_id).any():
            raise ParameterError(f"client {client_id!r} has no scored assessment")
        return replace(
            self,
            answers=pick(self.answers),
            indicators=pick(self.indicators),
            dimensions=pick(self.dimensions),
            overall=pick(self.overall),
            recommendations=pick(self.recommendations),
            benchmark=pick(self.benchmark),
        )

    def gaps_against(self, profile: str | Mapping[str, float]) -> pd.DataFrame:
        """Dimension gaps of every assessment against another target profile.

        Parameters
        ----------
        profile
            A target profile id (rubric or targets file) or a mapping dimension id -> target.
        """
        target = _profile_targets(self.rubric, self.targets, profile)
        dims = self.dimensions[[*ASSESSMENT, "dimension_id", "score", "weight"]].copy()
        dims["target"] = dims["dimension_id"].map(target)
        dims["gap"] = (dims["target"] - dims["score"]).clip(lower=0)
        dims["priority"] = dims["weight"] * dims["gap"]
        return dims


def _latest(df: pd.DataFrame) -> pd.DataFrame:
    last = df.groupby("client_id")["date"].transform("max")
    return df.loc[df["date"] == last].reset_index(drop=True)


# -- level conversion --------------------------------------------------------------------------


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
        Validated answers (:func:`assessment.responses.load_answers`).
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


# -- aggregation -------------------------------------------------------------------------------

# -- segment statistics ------------------------------------------------------------------------
#
# Every per-(assessment, indicator) statistic is computed on one integer key per answer,
# ``key = assessment_code * n_indicators + indicator_position``.  Sorting once by (key, value)
# turns each group into a contiguous segment, so medians, quantiles, trimmed means, minima and
# maxima are plain array indexing: no per-group Python, and no repeated hashing of string keys
# (which dominated the first version of this engine).


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
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.bincount(self.keys, self.values, len(self.counts)) / self.counts

    def trimmed_mean(self, trim: float) -> np.ndarray:
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
        out = np.full(len(self.counts), np.nan)
        has = self.counts > 0
        idx = self.starts[has] + (self.counts[has] - 1 if last else 0)
        out[has] = self.values[idx]
        return out


def _aggregate(seg: _Segments, options: ScoringOptions) -> np.ndarray:
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


@dataclass
class _Dense:
    """Indicator results as (assessments x indicators) arrays."""

    level: np.ndarray
    applicable: np.ndarray  # False where the indicator is N/A for the assessment
    status: np.ndarray  # "answered" / "na" / "missing"


def _indicator_table(
    answers: pd.DataFrame, codes: _Codes, rubric: Rubric, options: ScoringOptions
) -> tuple[pd.DataFrame, _Dense]:
    n = rubric.n_levels
    table = rubric.indicator_table
    n_a, n_i = len(codes.keys), len(table)
    size = n_a * n_i
    key = codes.assessment * n_i + codes.indicator
    is_na = answers["is_na"].to_numpy(dtype=bool)
    number = answers["number"].to_numpy(dtype=float)
    tcols = [f"t{k}" for k in range(2, n + 1)]
    thresholds = table[tcols].to_numpy(dtype=float)
    lower = (table["direction"] == "lower_is_better").to_numpy()
    kind = table["kind"].to_numpy()
    measured_i, boolean_i = kind == "measured", kind == "boolean"

    given = ~is_na
    gkey, gnum, gind = key[given], number[given], codes.indicator[given]
    # One sort serves both the raw values and the respondent levels: sorting
    # lower-is-better measurements by their negative makes their levels non-decreasing within
    # each segment too, and the raw aggregates (median, mean, trimmed mean) are symmetric, so
    # a reversed segment gives the same result.
    order = np.lexsort((np.where(lower[gind], -gnum, gnum), gkey))
    gkey, gnum, gind = gkey[order], gnum[order], gind[order]
    counts_all = np.bincount(gkey, minlength=size)
    starts = np.concatenate([[0], np.cumsum(counts_all)[:-1]])
    resp_level = np.where(
        measured_i[gind], levels_from_values(gnum, thresholds[gind], lower[gind]), gnum
    )
    raw = _Segments(gnum, gkey, counts_all, starts)
    lev = _Segments(resp_level, gkey, counts_all, starts)
    n_given = raw.counts
    n_na = np.bincount(key[is_na], minlength=size)

    value = _aggregate(raw, options).reshape(n_a, n_i)
    # Boolean indicators take the majority answer; a tie is "no" because a necessary condition
    # the respondents do not agree on has not been shown.
    yes_level = table["yes_level"].to_numpy(dtype=float)
    no_level = table["no_level"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        yes_share = (
            np.bincount(gkey, (gnum == yes_level[gind]).astype(float), size) / n_given
        ).reshape(n_a, n_i)
    majority = np.where(yes_share > 0.5, yes_level, no_level)
    value = np.where(boolean_i, np.where(np.isnan(yes_share), np.nan, majority), value)
    converted = levels_from_values(
        value.ravel(), np.tile(thresholds, (n_a, 1)), np.tile(lower, n_a)
    ).reshape(n_a, n_i)
    level = np.where(measured_i, converted, value)

    counts = n_given.reshape(n_a, n_i)
    nas = n_na.reshape(n_a, n_i)
    status = np.select([counts > 0, nas > 0], ["answered", "na"], default="missing")
    if options.missing == "lowest":
        level = np.where(status == "missing", 1.0, level)

    sigma_eu = (n**2 - 1) / 12.0
    single = counts.ravel() < 2
    iqr = np.where(single, np.nan, lev.quantile(0.75) - lev.quantile(0.25))
    spread = np.where(single, np.nan, lev.extreme(last=True) - lev.extreme(last=False))
    rwg = np.where(single, np.nan, np.clip(1.0 - lev.var() / sigma_eu, 0.0, 1.0))

    out = pd.DataFrame(
        {
            "client_id": np.repeat(codes.keys["client_id"].to_numpy(), n_i),
            "date": np.repeat(codes.keys["date"].to_numpy(), n_i),
            "indicator_id": np.tile(table.index.to_numpy(), n_a),
            # A raw value only means something for measurements.
            "value": np.where(measured_i, value, np.nan).ravel(),
            "n": n_given,
            "n_na": n_na,
            "dimension_id": np.tile(table["dimension_id"].to_numpy(), n_a),
            "kind": np.tile(kind, n_a),
            "indicator_weight": np.tile(table["indicator_weight"].to_numpy(), n_a),
            "dimension_weight": np.tile(table["dimension_weight"].to_numpy(), n_a),
            "order": np.tile(table["order"].to_numpy(), n_a),
            "level": level.ravel(),
            "status": status.ravel(),
            "iqr": iqr,
            "range": spread,
            "rwg": rwg,
        }
    )
    for col in ("client_id", "date", "indicator_id", "dimension_id", "kind", "status"):
        out[col] = out[col].astype("str")
    out["hotspot"] = (out["rwg"] < options.rwg_threshold) | (
        out["range"] >= options.spread_threshold
    )
    return out, _Dense(level=level, applicable=status != "na", status=status)


# -- dimensions on dense arrays ----------------------------------------------------------------


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
    levels: np.ndarray, applicable: np.ndarray, s: _Structure
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Dimension scores from indicator levels; works on any leading shape ``(..., I)``.

    Returns raw score, capped score, coverage and the (..., G) gate failure mask.
    """
    answered = ~np.isnan(levels)
    num = np.where(answered, levels, 0.0) @ s.weights
    den = answered.astype(float) @ s.weights
    app = applicable.astype(float) @ s.weights
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)
        coverage = np.where(app > 0, den / np.where(app > 0, app, 1.0), np.nan)
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


def _dimension_table(
    keys: pd.DataFrame, dense: _Dense, rubric: Rubric, structure: _Structure
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    raw, capped, coverage, failed = _dimension_scores(dense.level, dense.applicable, structure)
    dims = rubric.dimension_table
    n_a, n_d = capped.shape
    out = pd.DataFrame(
        {
            "client_id": np.repeat(keys["client_id"].to_numpy(), n_d),
            "date": np.repeat(keys["date"].to_numpy(), n_d),
            "dimension_id": np.tile(dims.index.to_numpy(), n_a),
            "order": np.tile(dims["order"].to_numpy(), n_a),
            "weight": np.tile(dims["weight"].to_numpy(), n_a),
            "raw_score": raw.ravel(),
            "score": capped.ravel(),
            "coverage": coverage.ravel(),
        }
    )
    for col in ("client_id", "date", "dimension_id"):
        out[col] = out[col].astype("str")
    out["level"] = np.floor(out["score"])
    # Name the gates that actually lowered the score, e.g. "crisis_plan".
    gates = rubric.gate_table
    capped_by = np.full((n_a, n_d), "", dtype=object)
    lowered = failed & (raw[:, structure.gate_dimension] > structure.gate_cap)
    for g in range(len(gates)):
        d = structure.gate_dimension[g]
        name = gates["indicator_id"].iloc[g]
        capped_by[:, d] = np.where(
            lowered[:, g],
            np.where(capped_by[:, d] == "", name, capped_by[:, d] + "," + name),
            capped_by[:, d],
        )
    out["capped_by"] = pd.array(capped_by.ravel(), dtype="str")
    return out, capped, coverage


# -- overall -----------------------------------------------------------------------------------


def _overall(
    keys: pd.DataFrame,
    capped: np.ndarray,
    coverage: np.ndarray,
    rubric: Rubric,
    options: ScoringOptions,
) -> pd.DataFrame:
    n = rubric.n_levels
    w = rubric.dimension_table["weight"].to_numpy()
    level = np.floor(capped)
    scored = ~np.isnan(capped)
    w_scored = scored @ w
    with np.errstate(invalid="ignore", divide="ignore"):
        index_1_n = np.where(w_scored > 0, np.where(scored, capped, 0.0) @ w / w_scored, np.nan)
    weakest = np.where(scored.any(axis=1), np.fmin.reduce(level, axis=1), np.nan)

    # Staged level: the highest L with every dimension >= L-1 and >= staged_share of the
    # (scored) weight at >= L.  A loop over the scale's few levels, vectorised over assessments.
    staged = np.ones(len(keys), dtype=np.int64)
    for lvl in range(2, n + 1):
        with np.errstate(invalid="ignore", divide="ignore"):
            share = ((level >= lvl) @ w) / w_scored
        ok = (weakest >= lvl - 1) & (share >= options.staged_share - 1e-12)
        staged = np.where(ok, lvl, staged)
    out = keys.copy()
    out["weakest_link"] = pd.array(np.where(np.isnan(weakest), None, weakest), dtype="Int64")
    out["count_2007"] = (level == 1).sum(axis=1).astype(np.int64)
    out["n_dimensions"] = scored.sum(axis=1).astype(np.int64)
    out["coverage"] = np.nan_to_num(coverage) @ w / w.sum()
    out["index_1_n"] = index_1_n
    out["index"] = 100.0 * (index_1_n - 1.0) / (n - 1)
    out["level"] = pd.array(np.where(np.isnan(index_1_n), None, staged), dtype="Int64")
    names = np.array([""] + [rubric.level_name(k) for k in range(1, n + 1)], dtype=object)
    out["level_name"] = pd.array(names[np.where(np.isnan(index_1_n), 0, staged)], dtype="str")
    return out


# -- targets, gaps, recommendations ------------------------------------------------------------


def _target_frame(rubric: Rubric, targets: pd.DataFrame | None) -> pd.DataFrame:
    """All target profiles as ``profile_id, dimension_id, target`` (file overrides rubric)."""
    dims = list(rubric.dimension_table.index)
    rows = [
        (t.id, d, t.dimensions.get(d, t.default))
        for t in rubric.targets
        for d in dims
        if t.dimensions.get(d, t.default) is not None
    ]
    frame = pd.DataFrame(rows, columns=["profile_id", "dimension_id", "target"])
    if targets is not None and not targets.empty:
        frame = pd.concat([frame, targets[["profile_id", "dimension_id", "target"]]])
        frame = frame.drop_duplicates(["profile_id", "dimension_id"], keep="last")
    return frame.reset_index(drop=True)


def _profile_targets(
    rubric: Rubric, targets: pd.DataFrame, profile: str | Mapping[str, float]
) -> pd.Series:
    dims = rubric.dimension_table.index
    if isinstance(profile, Mapping):
        return pd.Series({d: float(profile.get(d, np.nan)) for d in dims})
    sub = targets.loc[targets["profile_id"] == profile]
    if sub.empty:
        known = sorted(set(targets["profile_id"]))
        raise ParameterError(f"unknown target profile {profile!r}; known: {known}")
    # A custom profile may list only some dimensions; the rest fall back to the top level.
    return sub.set_index("dimension_id")["target"].reindex(dims).fillna(float(rubric.n_levels))


def default_profile(rubric: Rubric) -> str:
    """The profile used when a client names none: ``modern`` if declared, else the first."""
    ids = [t.id for t in rubric.targets]
    return "modern" if "modern" in ids else (ids[0] if ids else "")


def _assign_targets(
    overall: pd.DataFrame,
    dims: pd.DataFrame,
    ind: pd.DataFrame,
    capped: np.ndarray,
    dense: _Dense,
    rubric: Rubric,
    structure: _Structure,
    targets: pd.DataFrame,
    clients: pd.DataFrame | None,
) -> np.ndarray:
    """Add target, gap and priority columns; return the (A, I) indicator gaps."""
    fallback = default_profile(rubric)
    profile = pd.Series(fallback, index=overall.index, dtype="str")
    if clients is not None and "target_profile" in clients:
        chosen = overall["client_id"].map(clients.set_index("client_id")["target_profile"])
        profile = chosen.where(chosen.notna() & (chosen != ""), fallback).astype("str")
    overall["target_profile"] = profile
    # One (profiles x dimensions) matrix; each assessment picks its row.
    matrix = targets.pivot(index="profile_id", columns="dimension_id", values="target").reindex(
        columns=rubric.dimension_table.index
    )
    rows = matrix.index.get_indexer(profile)
    values = matrix.to_numpy(dtype=float)
    top = float(rubric.n_levels)
    target = np.where(rows[:, None] >= 0, values[np.maximum(rows, 0)] if len(values) else top, top)
    # Without any declared profile, or for dimensions a profile leaves out, aim for the top.
    target = np.where(np.isnan(target), top, target)
    gap = np.clip(target - capped, 0, None)
    w = rubric.dimension_table["weight"].to_numpy()
    dims["target"] = target.ravel()
    dims["gap"] = gap.ravel()
    dims["priority"] = (gap * w).ravel()
    ind_target = target[:, structure.dim_of]
    ind_gap = np.clip(ind_target - dense.level, 0, None)
    ind["target"] = ind_target.ravel()
    ind["gap"] = ind_gap.ravel()
    return ind_gap


def _recommendations(
    keys: pd.DataFrame,
    dense: _Dense,
    ind_gap: np.ndarray,
    target: np.ndarray,
    rubric: Rubric,
    structure: _Structure,
) -> pd.DataFrame:
    table = rubric.indicator_table
    w_i = table["indicator_weight"].to_numpy()
    share = w_i / (structure.weights.sum(axis=0)[structure.dim_of])
    priority = table["dimension_weight"].to_numpy() * share * ind_gap
    a_idx, i_idx = np.nonzero((dense.status == "answered") & (ind_gap > 0))
    prio = priority[a_idx, i_idx]
    order_i = table["order"].to_numpy()[i_idx]
    sort = np.lexsort((order_i, -prio, a_idx))
    a_idx, i_idx, prio = a_idx[sort], i_idx[sort], prio[sort]
    first = np.r_[True, a_idx[1:] != a_idx[:-1]] if len(a_idx) else np.array([], bool)
    starts = np.flatnonzero(first)
    rank = np.arange(len(a_idx)) - np.repeat(starts, np.diff(np.r_[starts, len(a_idx)])) + 1
    level = dense.level[a_idx, i_idx]
    from_level = np.floor(level).astype(np.int64)
    # Next steps as an (indicator x level) lookup table, filled once from the rubric.
    steps = np.full((len(table), rubric.n_levels + 1), "", dtype=object)
    for pos, (_, indicator) in enumerate(rubric.iter_indicators()):
        for lvl in indicator.levels:
            steps[pos, lvl] = indicator.next_step(lvl)
    names = np.array([translate(i.name) for _, i in rubric.iter_indicators()], dtype=object)
    out = pd.DataFrame(
        {
            "client_id": keys["client_id"].to_numpy()[a_idx],
            "date": keys["date"].to_numpy()[a_idx],
            "rank": rank.astype(np.int64),
            "dimension_id": table["dimension_id"].to_numpy()[i_idx],
            "indicator_id": table.index.to_numpy()[i_idx],
            "indicator": names[i_idx],
            "level": level,
            "from_level": from_level,
            "target": target[a_idx, structure.dim_of[i_idx]],
            "gap": ind_gap[a_idx, i_idx],
            "priority": prio,
            "next_step": steps[i_idx, np.clip(from_level, 0, rubric.n_levels)],
        }
    )
    for col in ("client_id", "date", "dimension_id", "indicator_id", "indicator", "next_step"):
        out[col] = out[col].astype("str")
    return out


# -- bootstrap ---------------------------------------------------------------------------------


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


# -- peers -------------------------------------------------------------------------------------


def _percentile(sorted_peers: np.ndarray, x: np.ndarray) -> np.ndarray:
    below = np.searchsorted(sorted_peers, x, side="left")
    upto = np.searchsorted(sorted_peers, x, side="right")
    return 100.0 * (below + 0.5 * (upto - below)) / len(sorted_peers)


def peer_index(peers: pd.DataFrame, rubric: Rubric) -> pd.Series:
    """Weighted index (0-100) of each peer with this rubric's weights (NaN-aware)."""
    dims = rubric.dimension_table
    scores = peers[list(dims.index)].to_numpy(dtype=float)
    w = dims["weight"].to_numpy()
    have = ~np.isnan(scores)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.where(have, scores, 0) @ w / (have @ w)
    return pd.Series(100.0 * (s - 1) / (rubric.n_levels - 1), index=peers.index)


def _benchmark(
    overall: pd.DataFrame,
    capped: np.ndarray,
    peers: pd.DataFrame | None,
    clients: pd.DataFrame | None,
    rubric: Rubric,
    options: ScoringOptions,
) -> pd.DataFrame:
    cols = [
        *ASSESSMENT,
        "measure",
        "value",
        "percentile",
        "peer_median",
        "peer_p25",
        "peer_p75",
        "n_peers",
        "peer_group",
    ]
    if peers is None or peers.empty:
        return pd.DataFrame(columns=cols)
    peers = peers.assign(index=peer_index(peers, rubric))
    measures = ["index", *rubric.dimension_table.index]
    client_values = pd.concat(
        [
            overall[[*ASSESSMENT, "index"]],
            pd.DataFrame(capped, columns=rubric.dimension_table.index, index=overall.index),
        ],
        axis=1,
    )
    info = (
        clients.set_index("client_id")[["sector", "size_band"]]
        if clients is not None
        else pd.DataFrame(columns=["sector", "size_band"])
    )
    for col in ("sector", "size_band"):
        mapped = client_values["client_id"].map(info[col].astype(str))
        client_values[col] = mapped.astype(object).where(mapped.notna(), "").astype(str)

    # Widen the peer group until it clears the anonymity floor: sector+size, sector, everyone.
    floor = options.anonymity_floor
    by_both = peers.groupby(["sector", "size_band"]).size()
    by_sector = peers.groupby("sector").size()
    both_n = pd.MultiIndex.from_frame(client_values[["sector", "size_band"]]).map(
        lambda k: by_both.get(k, 0)
    )
    sector_n = client_values["sector"].map(by_sector).fillna(0)
    group = np.select(
        [np.asarray(both_n) >= floor, sector_n.to_numpy() >= floor],
        ["sector+size", "sector"],
        default="all",
    )
    client_values["peer_group"] = group

    # Columns gathered as arrays and framed once: a DataFrame per (group, measure) cost more
    # than the percentiles themselves.
    parts: dict[str, list[np.ndarray]] = {c: [] for c in cols}
    for (grp, sector, size), sub in client_values.groupby(
        ["peer_group", "sector", "size_band"], sort=False
    ):
        if grp == "sector+size":
            pool = peers.loc[(peers["sector"] == sector) & (peers["size_band"] == size)]
        elif grp == "sector":
            pool = peers.loc[peers["sector"] == sector]
        else:
            pool = peers
        ids, dates, k = sub["client_id"].to_numpy(), sub["date"].to_numpy(), len(sub)
        for m in measures:  # one vectorised percentile per measure and peer group
            ref = np.sort(pool[m].dropna().to_numpy(dtype=float))
            x = sub[m].to_numpy(dtype=float)
            enough = len(ref) >= floor
            pct = _percentile(ref, x) if enough else np.full(k, np.nan)
            q = np.quantile(ref, [0.25, 0.5, 0.75]) if enough else [np.nan] * 3
            columns = {
                "client_id": ids,
                "date": dates,
                "measure": np.full(k, m, dtype=object),
                "value": x,
                "percentile": np.where(np.isnan(x), np.nan, pct),
                "peer_median": np.full(k, q[1]),
                "peer_p25": np.full(k, q[0]),
                "peer_p75": np.full(k, q[2]),
                "n_peers": np.full(k, len(ref)),
                "peer_group": np.full(k, grp, dtype=object),
            }
            for c, values in columns.items():
                parts[c].append(values)
    out = pd.DataFrame({c: np.concatenate(v) for c, v in parts.items()})
    for c in ("client_id", "date", "measure", "peer_group"):
        out[c] = out[c].astype("str")
    out["measure"] = pd.Categorical(out["measure"], categories=measures, ordered=True)
    out = out.sort_values([*ASSESSMENT, "measure"]).reset_index(drop=True)
    out["measure"] = out["measure"].astype(str)
    return out[cols]


# -- entry point -------------------------------------------------------------------------------


def score(
    rubric: Rubric,
    answers: pd.DataFrame,
    *,
    clients: pd.DataFrame | None = None,
    peers: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
    options: ScoringOptions | None = None,
    **kwargs: object,
) -> ScoreResult:
    """Score every assessment in ``answers``.

    Parameters
    ----------
    rubric
        From :func:`assessment.rubric.load_rubric`.
    answers
        From :func:`assessment.responses.load_answers`.
    clients, peers, targets
        Optional tables from :mod:`assessment.inputs` (target profiles, peer benchmark).
    options
        A :class:`ScoringOptions`; keyword arguments override individual fields, e.g.
        ``score(r, a, aggregate="mean", bootstrap=1000)``.

    Returns
    -------
    ScoreResult
        Tidy tables; see the module docstring for every formula.

    Examples
    --------
    >>> from assessment import load_rubric, load_answers, score
    >>> rubric = load_rubric("social-media")
    >>> result = score(rubric, load_answers("data/samples/answers.csv", rubric))
    >>> result.summary()[["client_id", "index", "level", "count_2007"]]  # doctest: +SKIP
    """
    opts = replace(options or ScoringOptions(), **kwargs)  # type: ignore[arg-type]
    if answers.empty:
        raise ParameterError("no answers to score")
    structure = _Structure.of(rubric)
    codes = _Codes.of(answers, rubric)
    ind, dense = _indicator_table(answers, codes, rubric, opts)
    dims, capped, coverage = _dimension_table(codes.keys, dense, rubric, structure)
    if opts.bootstrap:
        lo, hi = _bootstrap(
            answers, codes.keys, dense.level, dense.applicable, rubric, structure, opts
        )
        dims["ci_low"], dims["ci_high"] = lo.ravel(), hi.ravel()
    else:
        dims["ci_low"] = dims["ci_high"] = np.nan
    overall = _overall(codes.keys, capped, coverage, rubric, opts)
    target_frame = _target_frame(rubric, targets)
    ind_gap = _assign_targets(
        overall, dims, ind, capped, dense, rubric, structure, target_frame, clients
    )
    target = dims["target"].to_numpy().reshape(capped.shape)
    rec = _recommendations(codes.keys, dense, ind_gap, target, rubric, structure)
    bench = _benchmark(overall, capped, peers, clients, rubric, opts)
    return ScoreResult(
        rubric=rubric,
        options=opts,
        answers=answers,
        indicators=ind,
        dimensions=dims,
        overall=overall,
        recommendations=rec,
        benchmark=bench,
        targets=target_frame,
        peers=peers,
    )
