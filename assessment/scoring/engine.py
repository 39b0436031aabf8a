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

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from assessment.exceptions import ParameterError
from assessment.rubric import Rubric
from assessment.scoring.aggregate import (
    _aggregate,
    _Codes,
    _Dense,
    _dimension_scores,
    _Segments,
    _Structure,
)
from assessment.scoring.benchmark import _benchmark
from assessment.scoring.bootstrap import _bootstrap
from assessment.scoring.derived import (
    asked_matrix,
    computed_values,
    evidence_floor,
    evidenced,
    fact_values,
)
from assessment.scoring.levels import levels_from_values
from assessment.scoring.options import ScoringOptions
from assessment.scoring.result import ScoreResult
from assessment.scoring.targets import _assign_targets, _recommendations, _target_frame

__all__ = ["score"]


# -- indicators: steps 2 and 8 -----------------------------------------------------------------


def _thresholds(rubric: Rubric) -> tuple[np.ndarray, np.ndarray]:
    """The ``(I, n - 1)`` thresholds of every indicator and whether lower is better."""
    tcols = [f"t{k}" for k in range(2, rubric.n_levels + 1)]
    table = rubric.indicator_table
    return table[tcols].to_numpy(dtype=float), (table["direction"] == "lower_is_better").to_numpy()


def _respondent_segments(
    answers: pd.DataFrame, codes: _Codes, rubric: Rubric
) -> tuple[_Segments, _Segments, np.ndarray, np.ndarray]:
    """The given (not ``NA``) answers, one sorted segment per assessment and indicator.

    Returns the segments of raw values and of respondent levels, each sorted answer's indicator
    position, and the number of ``NA`` answers per segment.
    """
    n_i = len(rubric.indicator_table)
    size = len(codes.keys) * n_i
    key = codes.assessment * n_i + codes.indicator
    is_na = answers["is_na"].to_numpy(dtype=bool)
    number = answers["number"].to_numpy(dtype=float)
    thresholds, lower = _thresholds(rubric)
    measured_i = (rubric.indicator_table["kind"] == "measured").to_numpy()

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
    n_na = np.bincount(key[is_na], minlength=size)
    return raw, lev, gind, n_na


def _indicator_levels(
    raw: _Segments, gind: np.ndarray, n_na: np.ndarray, rubric: Rubric, options: ScoringOptions
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 2: each indicator's aggregated value, level and status, as ``(A, I)`` arrays."""
    table = rubric.indicator_table
    n_i = len(table)
    n_a = len(raw.counts) // n_i
    kind = table["kind"].to_numpy()
    measured_i, boolean_i = kind == "measured", kind == "boolean"
    thresholds, lower = _thresholds(rubric)
    n_given = raw.counts

    value = _aggregate(raw, options).reshape(n_a, n_i)
    # Boolean indicators take the majority answer; a tie is "no" because a necessary condition
    # the respondents do not agree on has not been shown.
    yes_level = table["yes_level"].to_numpy(dtype=float)
    no_level = table["no_level"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        yes_share = (
            np.bincount(raw.keys, (raw.values == yes_level[gind]).astype(float), len(n_given))
            / n_given
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
    return value, level, status


@dataclass(frozen=True)
class _Context:
    """What the indicator step needs beside the respondents' answers (see :mod:`.derived`)."""

    computed_value: np.ndarray  # (A, I) formula values of computed indicators, NaN elsewhere
    computed_level: np.ndarray
    asked: np.ndarray  # (A, I)
    evidenced: np.ndarray  # (A, I)


def _evidence_ceiling(ctx: _Context, rubric: Rubric, options: ScoringOptions) -> np.ndarray:
    """``(A, I)``: the highest level an indicator may reach without evidence (``inf``: any)."""
    if options.evidence != "cap":
        return np.full(ctx.asked.shape, np.inf)
    floor = evidence_floor(rubric)
    computed = (rubric.indicator_table["kind"] == "computed").to_numpy()
    limited = ~ctx.evidenced & ~computed & ~np.isnan(floor)
    return np.where(limited, np.maximum(floor - 1, 1), np.inf)


def _finish_levels(
    value: np.ndarray,
    level: np.ndarray,
    status: np.ndarray,
    ctx: _Context,
    rubric: Rubric,
    options: ScoringOptions,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Computed indicators, "not asked", the evidence cap and ``missing="lowest"``, in order.

    Returns value, level, status and whether the evidence cap lowered each level.
    """
    computed = (rubric.indicator_table["kind"] == "computed").to_numpy()
    given = computed & ~np.isnan(ctx.computed_value)
    value = np.where(computed, ctx.computed_value, value)
    level = np.where(computed, ctx.computed_level, level)
    status = np.where(given, "answered", np.where(computed, "missing", status))
    status = np.where((status == "missing") & ~ctx.asked, "not_asked", status)
    ceiling = _evidence_ceiling(ctx, rubric, options)
    capped = level > ceiling  # NaN levels and the infinite ceiling: never
    level = np.where(capped, ceiling, level)
    if options.missing == "lowest":
        level = np.where(status == "missing", 1.0, level)
    return value, level, status, capped


def _agreement(lev: _Segments, n_levels: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Step 8: IQR, range and ``r_wg`` of the respondents' levels (NaN below two answers)."""
    sigma_eu = (n_levels**2 - 1) / 12.0
    single = lev.counts < 2
    iqr = np.where(single, np.nan, lev.quantile(0.75) - lev.quantile(0.25))
    spread = np.where(single, np.nan, lev.extreme(last=True) - lev.extreme(last=False))
    rwg = np.where(single, np.nan, np.clip(1.0 - lev.var() / sigma_eu, 0.0, 1.0))
    return iqr, spread, rwg


def _indicator_table(
    answers: pd.DataFrame, codes: _Codes, rubric: Rubric, options: ScoringOptions, ctx: _Context
) -> tuple[pd.DataFrame, _Dense]:
    """One row per assessment x indicator (steps 2 and 8), and the same as dense arrays."""
    table = rubric.indicator_table
    n_a, n_i = len(codes.keys), len(table)
    kind = table["kind"].to_numpy()
    numeric_i = (kind == "measured") | (kind == "computed")
    raw, lev, gind, n_na = _respondent_segments(answers, codes, rubric)
    value, level, status = _indicator_levels(raw, gind, n_na, rubric, options)
    value, level, status, capped = _finish_levels(value, level, status, ctx, rubric, options)
    iqr, spread, rwg = _agreement(lev, rubric.n_levels)

    out = pd.DataFrame(
        {
            "client_id": np.repeat(codes.keys["client_id"].to_numpy(), n_i),
            "date": np.repeat(codes.keys["date"].to_numpy(), n_i),
            "indicator_id": np.tile(table.index.to_numpy(), n_a),
            # A raw value only means something for measurements and computed indicators.
            "value": np.where(numeric_i, value, np.nan).ravel(),
            "n": raw.counts,
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
            "evidenced": ctx.evidenced.ravel(),
            "evidence_capped": capped.ravel(),
        }
    )
    for col in ("client_id", "date", "indicator_id", "dimension_id", "kind", "status"):
        out[col] = out[col].astype("str")
    out["hotspot"] = (out["rwg"] < options.rwg_threshold) | (
        out["range"] >= options.spread_threshold
    )
    dense = _Dense(level=level, applicable=status != "na", status=status, asked=ctx.asked)
    return out, dense


def _context(
    answers: pd.DataFrame, every: _Codes, rubric: Rubric
) -> tuple[_Context, _Codes, pd.DataFrame]:
    """Split facts from indicator answers and derive what :class:`_Context` holds.

    Returns the context, and the codes and answers of the indicators only.
    """
    n_a = len(every.keys)
    is_indicator = every.indicator >= 0  # facts are not rubric indicators
    facts = fact_values(answers.loc[~is_indicator], every.assessment[~is_indicator], rubric, n_a)
    computed_value, computed_level = computed_values(rubric, facts, n_a)
    codes = _Codes(every.keys, every.assessment[is_indicator], every.indicator[is_indicator])
    own = answers if is_indicator.all() else answers.loc[is_indicator]
    ctx = _Context(
        computed_value=computed_value,
        computed_level=computed_level,
        asked=asked_matrix(answers, every, rubric),
        evidenced=evidenced(own, codes, len(rubric.indicator_table)),
    )
    return ctx, codes, own


# -- dimensions: steps 3-5 --------------------------------------------------------------------


def _dimension_table(
    keys: pd.DataFrame, dense: _Dense, rubric: Rubric, structure: _Structure
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """One row per assessment x dimension (steps 3-5); also the capped scores and coverage."""
    raw, capped, coverage, failed = _dimension_scores(
        dense.level, dense.applicable, structure, dense.asked
    )
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


# -- overall: step 6 ---------------------------------------------------------------------------


def _overall(
    keys: pd.DataFrame,
    capped: np.ndarray,
    coverage: np.ndarray,
    rubric: Rubric,
    options: ScoringOptions,
) -> pd.DataFrame:
    """One row per assessment (step 6): index, staged level, weakest link, 2007 count."""
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
        From :func:`assessment.inputs.load_answers`.
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
    every = _Codes.of(answers, rubric)
    ctx, codes, own = _context(answers, every, rubric)
    ind, dense = _indicator_table(own, codes, rubric, opts, ctx)
    dims, capped, coverage = _dimension_table(codes.keys, dense, rubric, structure)
    if opts.bootstrap:
        lo, hi = _bootstrap(
            own,
            codes.keys,
            dense.level,
            dense.applicable,
            rubric,
            structure,
            opts,
            _evidence_ceiling(ctx, rubric, opts),
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
