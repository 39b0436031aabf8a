"""Two rubrics side by side: every client's index, level and rank under each.

A variant changes weights; what a consultant needs to know is which clients it moves.
:func:`compare_results` puts two scorings of the same answers next to each other, one row per
client, with the changes flagged, so "c01 moves from level 2 to level 3 under the variant" is
read off a table instead of found by hand.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.scoring import ScoreResult

__all__ = ["compare_results", "competition_rank", "rubric_label"]


def competition_rank(index: pd.Series) -> pd.Series:
    """Rank 1 = highest index; ties share the best rank (1, 2, 2, 4); no index, no rank."""
    return index.rank(method="min", ascending=False).astype("Int64")


def rubric_label(rubric: object) -> str:
    """``id version (hash12)``: how every output names the rubric it was scored with."""
    return f"{rubric.id} {rubric.version} ({rubric.content_hash[:12]})"  # type: ignore[attr-defined]


def compare_results(a: ScoreResult, b: ScoreResult) -> pd.DataFrame:
    """Each client's latest index, level and rank under rubric A and rubric B.

    Returns
    -------
    pandas.DataFrame
        One row per client (rank under B first): ``client_id, index_a, index_b, delta,
        level_a, level_b, level_name_a, level_name_b, rank_a, rank_b, rank_change``
        (positive = moved up) and ``changed`` (level or rank differs).
    """
    sa = a.summary().set_index("client_id")
    sb = b.summary().set_index("client_id")
    ids = list(dict.fromkeys([*sa.index, *sb.index]))
    sa, sb = sa.reindex(ids), sb.reindex(ids)
    out = pd.DataFrame(
        {
            "client_id": ids,
            "index_a": sa["index"].to_numpy(dtype=float),
            "index_b": sb["index"].to_numpy(dtype=float),
        }
    )
    out["delta"] = out["index_b"] - out["index_a"]
    out["level_a"] = sa["level"].to_numpy()
    out["level_b"] = sb["level"].to_numpy()
    if "level_name" in sa and "level_name" in sb:
        out["level_name_a"] = sa["level_name"].to_numpy()
        out["level_name_b"] = sb["level_name"].to_numpy()
    out["rank_a"] = competition_rank(out["index_a"]).to_numpy()
    out["rank_b"] = competition_rank(out["index_b"]).to_numpy()
    out["rank_change"] = (out["rank_a"] - out["rank_b"]).astype("Int64")
    level_moved = out["level_a"].astype("float") != out["level_b"].astype("float")
    out["changed"] = np.asarray(level_moved | (out["rank_change"].fillna(0) != 0), dtype=bool)
    return out.sort_values(["rank_b", "client_id"], na_position="last").reset_index(drop=True)
