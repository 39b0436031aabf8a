"""Step 10 of the method: where each client stands among its peers.

The percentile of a value ``x`` is ``100 (#{peers < x} + 0.5 #{peers = x}) / N`` within the peer
group: the same sector and size band, widening to the sector, then to all peers, and never from
fewer than ``anonymity_floor`` peers.  Peers are stored as dimension scores, so their index is
recomputed with the weights of the rubric in use (:func:`peer_index`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from assessment.rubric import Rubric
from assessment.scoring.options import ScoringOptions
from assessment.scoring.result import ASSESSMENT

__all__ = ["peer_index"]

# The columns of ScoreResult.benchmark, in order.
_COLUMNS = [
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
    """Peer percentiles of every assessment's index and dimension scores (long format)."""
    cols = _COLUMNS
    if peers is None or peers.empty:
        return pd.DataFrame(columns=cols)
    peers = peers.assign(index=peer_index(peers, rubric))
    measures = ["index", *rubric.dimension_table.index]
    client_values = _client_values(overall, capped, clients, rubric)
    client_values["peer_group"] = _peer_groups(client_values, peers, options.anonymity_floor)
    out = _percentiles(client_values, peers, measures, options.anonymity_floor)
    for c in ("client_id", "date", "measure", "peer_group"):
        out[c] = out[c].astype("str")
    out["measure"] = pd.Categorical(out["measure"], categories=measures, ordered=True)
    out = out.sort_values([*ASSESSMENT, "measure"]).reset_index(drop=True)
    out["measure"] = out["measure"].astype(str)
    return out[cols]


def _client_values(
    overall: pd.DataFrame, capped: np.ndarray, clients: pd.DataFrame | None, rubric: Rubric
) -> pd.DataFrame:
    """Each assessment's measures (index and dimension scores) with its sector and size band."""
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
    return client_values


def _peer_groups(client_values: pd.DataFrame, peers: pd.DataFrame, floor: int) -> np.ndarray:
    """Each assessment's peer group: ``sector+size``, ``sector`` or ``all``."""
    # Widen the peer group until it clears the anonymity floor: sector+size, sector, everyone.
    by_both = peers.groupby(["sector", "size_band"]).size()
    by_sector = peers.groupby("sector").size()
    both_n = pd.MultiIndex.from_frame(client_values[["sector", "size_band"]]).map(
        lambda k: by_both.get(k, 0)
    )
    sector_n = client_values["sector"].map(by_sector).fillna(0)
    return np.select(
        [np.asarray(both_n) >= floor, sector_n.to_numpy() >= floor],
        ["sector+size", "sector"],
        default="all",
    )


def _percentiles(
    client_values: pd.DataFrame, peers: pd.DataFrame, measures: list[str], floor: int
) -> pd.DataFrame:
    """One row per assessment and measure: value, percentile and peer quartiles."""
    # Columns gathered as arrays and framed once: a DataFrame per (group, measure) cost more
    # than the percentiles themselves.
    parts: dict[str, list[np.ndarray]] = {c: [] for c in _COLUMNS}
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
    return pd.DataFrame({c: np.concatenate(v) for c, v in parts.items()})
