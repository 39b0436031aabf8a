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

from .exceptions import ParameterError
from .rubric import Rubric, translate

__all__ = ["ScoreResult", "ScoringOptions", "levels_from_values", "score"]

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


def _respondent_levels(answers: pd.DataFrame, rubric: Rubric) -> np.ndarray:
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
    return np.where(measured, converted, number)


# -- aggregation -------------------------------------------------------------------------------

_KEY = [*ASSESSMENT, "indicator_id"]


def _aggregate(df: pd.DataFrame, column: str, options: ScoringOptions) -> pd.Series:
    """Aggregate ``column`` per assessment x indicator without per-group Python calls."""
    grouped = df.groupby(_KEY, sort=False)[column]
    if options.aggregate == "median":
        return grouped.median()
    if options.aggregate == "mean":
        return grouped.mean()
    # Trimmed mean: rank within group, drop floor(trim * n) from each end, then mean.
    ordered = df.sort_values([*_KEY, column], kind="stable")
    g = ordered.groupby(_KEY, sort=False)[column]
    rank = g.cumcount()
    count = g.transform("size")
    cut = np.floor(options.trim * count)
    keep = (rank >= cut) & (rank < count - cut)
    return ordered.loc[keep].groupby(_KEY, sort=False)[column].mean()


def _indicator_table(
    answers: pd.DataFrame, rubric: Rubric, options: ScoringOptions
) -> pd.DataFrame:
    n = rubric.n_levels
    table = rubric.indicator_table
    answers = answers.assign(resp_level=_respondent_levels(answers, rubric))
    given = answers.loc[~answers["is_na"]]

    agg_value = _aggregate(given, "number", options).rename("value")
    g = given.groupby(_KEY, sort=False)["resp_level"]
    stats = pd.DataFrame(
        {
            "n": g.size(),
            "q1": g.quantile(0.25),
            "q3": g.quantile(0.75),
            "lo": g.min(),
            "hi": g.max(),
            "var": g.var(ddof=1),
        }
    )
    n_na = answers.loc[answers["is_na"]].groupby(_KEY, sort=False).size().rename("n_na")

    assessments = answers[ASSESSMENT].drop_duplicates().sort_values(ASSESSMENT)
    grid = assessments.merge(pd.DataFrame({"indicator_id": table.index}), how="cross").set_index(
        _KEY
    )
    out = grid.join(agg_value).join(stats).join(n_na)
    out["n"] = out["n"].fillna(0).astype("int64")
    out["n_na"] = out["n_na"].fillna(0).astype("int64")
    out = out.reset_index()
    meta = table.reindex(out["indicator_id"])
    for col in ("dimension_id", "kind", "indicator_weight", "dimension_weight", "order"):
        out[col] = meta[col].to_numpy()

    # Boolean indicators take the majority answer; a tie is "no" because a necessary condition
    # the respondents do not agree on has not been shown.
    yes_share = (
        given.assign(is_yes=given["number"] == given["indicator_id"].map(table["yes_level"]))
        .groupby(_KEY, sort=False)["is_yes"]
        .mean()
    )
    out = out.set_index(_KEY).join(yes_share.rename("yes_share")).reset_index()
    meta = table.reindex(out["indicator_id"])
    boolean = (meta["kind"] == "boolean").to_numpy()
    share = out["yes_share"].to_numpy(dtype=float)
    majority = np.where(share > 0.5, meta["yes_level"].to_numpy(), meta["no_level"].to_numpy())
    out["value"] = np.where(boolean, np.where(np.isnan(share), np.nan, majority), out["value"])
    out = out.drop(columns="yes_share")

    value = out["value"].to_numpy(dtype=float)
    measured = out["kind"].to_numpy() == "measured"
    tcols = [f"t{k}" for k in range(2, n + 1)]
    level = np.where(
        measured,
        levels_from_values(
            value,
            meta[tcols].to_numpy(dtype=float),
            (meta["direction"] == "lower_is_better").to_numpy(),
        ),
        value,
    )
    status = np.select([out["n"] > 0, out["n_na"] > 0], ["answered", "na"], default="missing")
    if options.missing == "lowest":
        level = np.where(status == "missing", 1.0, level)
    out["level"] = level
    out["status"] = status
    out.loc[~measured, "value"] = np.nan  # a raw value only means something for measurements

    sigma_eu = (n**2 - 1) / 12.0
    out["iqr"] = out.pop("q3") - out.pop("q1")
    out["range"] = out.pop("hi") - out.pop("lo")
    out["rwg"] = (1.0 - out.pop("var") / sigma_eu).clip(0.0, 1.0)
    out.loc[out["n"] < 2, ["rwg", "iqr", "range"]] = np.nan
    out["hotspot"] = (out["rwg"] < options.rwg_threshold) | (
        out["range"] >= options.spread_threshold
    )
    return out.sort_values([*ASSESSMENT, "order"]).reset_index(drop=True)


# -- dimensions on dense arrays ----------------------------------------------------------------


@dataclass(frozen=True)
class _Structure:
    """The rubric as arrays: indicator -> dimension weights and gates."""

    weights: np.ndarray  # (I, D) indicator weight where the indicator belongs to the dimension
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
        w = np.zeros((len(ind), len(dims)))
        w[ind["order"].to_numpy(), d_pos.reindex(ind["dimension_id"]).to_numpy()] = ind[
            "indicator_weight"
        ].to_numpy()
        gates = rubric.gate_table
        return cls(
            weights=w,
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
        capped[..., d] = np.where(
            failed[..., g], np.fmin(capped[..., d], s.gate_cap[g]), capped[..., d]
        )
    return raw, capped, coverage, failed


def _dense(ind: pd.DataFrame, rubric: Rubric) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Pivot the indicator table to (assessments x indicators) arrays."""
    order = list(rubric.indicator_table.index)
    levels = ind.pivot(index=ASSESSMENT, columns="indicator_id", values="level")[order]
    status = ind.pivot(index=ASSESSMENT, columns="indicator_id", values="status")[order]
    keys = levels.index.to_frame(index=False)
    return keys, levels.to_numpy(dtype=float), (status != "na").to_numpy()


def _dimension_table(
    ind: pd.DataFrame, rubric: Rubric, structure: _Structure
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, pd.DataFrame]:
    keys, levels, applicable = _dense(ind, rubric)
    raw, capped, coverage, failed = _dimension_scores(levels, applicable, structure)
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
    out["capped_by"] = capped_by.ravel()
    return out, levels, applicable, keys


# -- overall -----------------------------------------------------------------------------------


def _overall(dims: pd.DataFrame, rubric: Rubric, options: ScoringOptions) -> pd.DataFrame:
    n = rubric.n_levels
    d = dims.assign(
        scored=dims["score"].notna(),
        ws=dims["weight"] * dims["score"].fillna(0.0),
        w_scored=dims["weight"].where(dims["score"].notna(), 0.0),
        w_cov=dims["weight"] * dims["coverage"].fillna(0.0),
        is_2007=dims["level"] == 1,
    )
    g = d.groupby(ASSESSMENT, sort=True)
    out = pd.DataFrame(
        {
            "weighted": g["ws"].sum(),
            "w_scored": g["w_scored"].sum(),
            "weakest_link": g["level"].min(),
            "count_2007": g["is_2007"].sum().astype("int64"),
            "n_dimensions": g["scored"].sum().astype("int64"),
            "coverage": g["w_cov"].sum() / g["weight"].sum(),
        }
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        out["index_1_n"] = out.pop("weighted") / out.pop("w_scored").replace(0, np.nan)
    out["index"] = 100.0 * (out["index_1_n"] - 1.0) / (n - 1)

    # Staged level: the highest L with every dimension >= L-1 and >= staged_share of the
    # (scored) weight at >= L.  A loop over the scale's few levels, vectorised over assessments.
    staged = pd.Series(1, index=out.index, dtype="int64")
    scored_weight = g["w_scored"].sum().replace(0, np.nan)
    for lvl in range(2, n + 1):
        at_level = d["weight"].where(d["level"] >= lvl, 0.0)
        share = at_level.groupby([d["client_id"], d["date"]]).sum() / scored_weight
        ok = (out["weakest_link"] >= lvl - 1) & (share >= options.staged_share - 1e-12)
        staged = staged.where(~ok, lvl)
    out["level"] = staged.where(out["index_1_n"].notna())
    out["level"] = out["level"].astype("Int64")
    out["weakest_link"] = out["weakest_link"].astype("Int64")
    out = out.reset_index()
    out["level_name"] = out["level"].map(lambda v: rubric.level_name(int(v)) if pd.notna(v) else "")
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
    rubric: Rubric,
    targets: pd.DataFrame,
    clients: pd.DataFrame | None,
) -> None:
    fallback = default_profile(rubric)
    profile = pd.Series(fallback, index=overall.index, dtype=object)
    if clients is not None and "target_profile" in clients:
        chosen = overall["client_id"].map(clients.set_index("client_id")["target_profile"])
        profile = chosen.where(chosen.notna() & (chosen != ""), fallback)
    overall["target_profile"] = profile.astype(str)
    per_assessment = overall[[*ASSESSMENT, "target_profile"]]
    tgt = targets.rename(columns={"profile_id": "target_profile"})
    merged = dims.merge(per_assessment, on=ASSESSMENT, how="left").merge(
        tgt, on=["target_profile", "dimension_id"], how="left"
    )
    # Without any declared profile the top of the scale is the target.
    dims["target"] = merged["target"].fillna(float(rubric.n_levels)).to_numpy()
    dims["gap"] = (dims["target"] - dims["score"]).clip(lower=0)
    dims["priority"] = dims["weight"] * dims["gap"]
    by_dim = dims.set_index([*ASSESSMENT, "dimension_id"])["target"]
    ind["target"] = by_dim.reindex(
        pd.MultiIndex.from_frame(ind[[*ASSESSMENT, "dimension_id"]])
    ).to_numpy()
    ind["gap"] = (ind["target"] - ind["level"]).clip(lower=0)


def _recommendations(ind: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    share = ind["indicator_weight"] / ind.groupby([*ASSESSMENT, "dimension_id"])[
        "indicator_weight"
    ].transform("sum")
    rec = ind.assign(priority=ind["dimension_weight"] * share * ind["gap"])
    rec = rec.loc[(rec["status"] == "answered") & (rec["gap"] > 0)].copy()
    rec["from_level"] = np.floor(rec["level"]).astype("int64")
    steps = {(i.id, lvl): i.next_step(lvl) for _, i in rubric.iter_indicators() for lvl in i.levels}
    names = {i.id: translate(i.name) for _, i in rubric.iter_indicators()}
    keys = list(zip(rec["indicator_id"], rec["from_level"], strict=True))
    rec["next_step"] = [steps.get(k, "") for k in keys]
    rec["indicator"] = rec["indicator_id"].map(names)
    rec = rec.sort_values([*ASSESSMENT, "priority", "order"], ascending=[True, True, False, True])
    rec["rank"] = rec.groupby(ASSESSMENT).cumcount() + 1
    cols = [
        *ASSESSMENT,
        "rank",
        "dimension_id",
        "indicator_id",
        "indicator",
        "level",
        "from_level",
        "target",
        "gap",
        "priority",
        "next_step",
    ]
    return rec[cols].reset_index(drop=True)


# -- bootstrap ---------------------------------------------------------------------------------


def _bootstrap(
    answers: pd.DataFrame,
    ind: pd.DataFrame,
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
        resp_level=lambda a: _respondent_levels(a, rubric)
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
                agg = np.nanmedian(sample, axis=2)
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
    dims: pd.DataFrame,
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
    client_values = overall[[*ASSESSMENT, "index"]].merge(
        dims.pivot(index=ASSESSMENT, columns="dimension_id", values="score").reset_index(),
        on=ASSESSMENT,
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

    frames = []
    for (grp, sector, size), sub in client_values.groupby(
        ["peer_group", "sector", "size_band"], sort=False
    ):
        if grp == "sector+size":
            pool = peers.loc[(peers["sector"] == sector) & (peers["size_band"] == size)]
        elif grp == "sector":
            pool = peers.loc[peers["sector"] == sector]
        else:
            pool = peers
        for m in measures:  # one vectorised percentile per measure and peer group
            ref = np.sort(pool[m].dropna().to_numpy(dtype=float))
            x = sub[m].to_numpy(dtype=float)
            enough = len(ref) >= floor
            pct = _percentile(ref, x) if enough else np.full(len(x), np.nan)
            q = np.quantile(ref, [0.25, 0.5, 0.75]) if len(ref) else [np.nan] * 3
            frames.append(
                pd.DataFrame(
                    {
                        "client_id": sub["client_id"].to_numpy(),
                        "date": sub["date"].to_numpy(),
                        "measure": m,
                        "value": x,
                        "percentile": np.where(np.isnan(x), np.nan, pct),
                        "peer_median": q[1] if enough else np.nan,
                        "peer_p25": q[0] if enough else np.nan,
                        "peer_p75": q[2] if enough else np.nan,
                        "n_peers": len(ref),
                        "peer_group": grp,
                    }
                )
            )
    out = pd.concat(frames, ignore_index=True)
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
        Optional tables from :mod:`assessment.responses` (target profiles, peer benchmark).
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
    ind = _indicator_table(answers, rubric, opts)
    dims, levels, applicable, keys = _dimension_table(ind, rubric, structure)
    if opts.bootstrap:
        lo, hi = _bootstrap(answers, ind, keys, levels, applicable, rubric, structure, opts)
        dims["ci_low"], dims["ci_high"] = lo.ravel(), hi.ravel()
    else:
        dims["ci_low"] = dims["ci_high"] = np.nan
    overall = _overall(dims, rubric, opts)
    target_frame = _target_frame(rubric, targets)
    _assign_targets(overall, dims, ind, rubric, target_frame, clients)
    rec = _recommendations(ind, rubric)
    bench = _benchmark(overall, dims, peers, clients, rubric, opts)
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
