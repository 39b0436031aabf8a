"""Step 7 of the method: target profiles, gaps, priorities and recommended next steps.

``gap_d = max(0, T_d - s_d)`` and ``priority_d = w_d gap_d``; indicator recommendations rank
``priority_i = w_d (v_i / sum v) max(0, T_d - l_i)`` and quote the rubric's next step for the
indicator's current level.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from assessment.exceptions import ParameterError
from assessment.rubric import Rubric, translate
from assessment.scoring.aggregate import _Dense, _Structure

__all__ = ["PRIORITY_DECIMALS", "default_profile", "priority_order"]


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
    """Target of every dimension under ``profile`` (an id, or a mapping dimension -> target)."""
    dims = rubric.dimension_table.index
    if isinstance(profile, Mapping):
        return pd.Series({d: float(profile.get(d, np.nan)) for d in dims})
    sub = targets.loc[targets["profile_id"] == profile]
    if sub.empty:
        known = sorted(set(targets["profile_id"]))
        raise ParameterError(f"unknown target profile {profile!r}; known: {known}")
    # A custom profile may list only some dimensions; the rest fall back to the top level.
    return sub.set_index("dimension_id")["target"].reindex(dims).fillna(float(rubric.n_levels))


#: Priorities are compared at the precision people read them (the report shows 3 decimals):
#: 0.33 and 0.32999999999999996 are a tie, not an order decided by float noise.
PRIORITY_DECIMALS = 3


def default_profile(rubric: Rubric, sector: str | None = None) -> str:
    """The profile of a client that names none: its sector's default, else the rubric's first."""
    return rubric.default_profile(sector) if rubric.targets else ""


def priority_order(frame: pd.DataFrame, *, weight: str = "weight") -> pd.DataFrame:
    """``frame`` sorted by priority the documented way, with ``priority_rank`` (ties shared).

    Priorities are rounded to :data:`PRIORITY_DECIMALS` first; equal ones share a rank and are
    listed by weight (heavier first), then in rubric order.
    """
    rounded = frame["priority"].round(PRIORITY_DECIMALS)
    out = frame.assign(_rounded=rounded).sort_values(
        ["client_id", "date", "_rounded", weight, "order"],
        ascending=[True, True, False, False, True],
        kind="stable",
    )
    out["priority_rank"] = (
        out.groupby(["client_id", "date"], sort=False)["_rounded"]
        .rank(method="min", ascending=False)
        .astype("Int64")  # an unscored dimension has no priority and no rank
    )
    return out.drop(columns="_rounded")


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
    profile = pd.Series(default_profile(rubric), index=overall.index, dtype="str")
    if clients is not None and "target_profile" in clients:
        table = clients.set_index("client_id")
        # A client that names no profile gets its sector's default (rubric target `sectors`).
        sector = overall["client_id"].map(table["sector"]) if "sector" in table else None
        fallback = (
            sector.map(lambda s: default_profile(rubric, s if isinstance(s, str) else None))
            if sector is not None
            else profile
        )
        chosen = overall["client_id"].map(table["target_profile"])
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
    dims["priority_rank"] = priority_order(dims)["priority_rank"].reindex(dims.index)
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
    """Ranked next steps: answered indicators below their target, highest priority first."""
    table = rubric.indicator_table
    w_i = table["indicator_weight"].to_numpy()
    share = w_i / (structure.weights.sum(axis=0)[structure.dim_of])
    priority = table["dimension_weight"].to_numpy() * share * ind_gap
    a_idx, i_idx = np.nonzero((dense.status == "answered") & (ind_gap > 0))
    prio = priority[a_idx, i_idx]
    # Rounded as people read them, then the documented tie-break: the dimension's weight,
    # then rubric order.  Equal rounded priorities share a rank.
    rounded = np.round(prio, PRIORITY_DECIMALS + 1)
    order_i = table["order"].to_numpy()[i_idx]
    dim_w = table["dimension_weight"].to_numpy()[i_idx]
    sort = np.lexsort((order_i, -dim_w, -rounded, a_idx))
    a_idx, i_idx, prio, rounded = a_idx[sort], i_idx[sort], prio[sort], rounded[sort]
    first = np.r_[True, a_idx[1:] != a_idx[:-1]] if len(a_idx) else np.array([], bool)
    starts = np.flatnonzero(first)
    position = np.arange(len(a_idx)) - np.repeat(starts, np.diff(np.r_[starts, len(a_idx)])) + 1
    # A tie takes the rank of the first of its run (1, 2, 2, 4 ...).
    run_start = np.r_[True, (rounded[1:] != rounded[:-1]) | first[1:]] if len(a_idx) else first
    start_of = np.maximum.accumulate(np.where(run_start, np.arange(len(a_idx)), 0))
    rank = position[start_of] if len(a_idx) else position
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
