r"""The portfolio as arrays: every client's index and staged level under any weights, at once.

The overall index of a client is linear in its dimension scores.  With ``S`` the
(clients x dimensions) matrix of scores after gates (NaN where a dimension is not scored),
``M`` its mask of scored cells and ``W`` a (draws x dimensions) matrix of weight vectors, every
client's 1..n index under every draw is one matrix product, renormalised over the scored
dimensions exactly as the scoring engine does::

    S_w = (S_filled @ W.T) / (M @ W.T)        index = 100 (S_w - 1) / (n - 1)

The staged level depends on the weights only through the weight share of the dimensions at or
above each level, which is again a matrix product per level (a loop over the scale's few
levels, never over draws or clients).  Dimension scores, gaps and the weakest link do not
depend on the weights, so no analysis here or in :mod:`assessment.weights.sensitivity` ever
re-scores answers.  :func:`compare_weights` puts one weight vector next to the baseline.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from assessment.exceptions import ParameterError
from assessment.rubric import Rubric
from assessment.scoring import ScoreResult

__all__ = ["Portfolio", "compare_weights", "normalise_weights", "rubric_weights"]


@dataclass(frozen=True)
class Portfolio:
    """Each client's latest dimension scores as dense arrays: the input of every analysis here.

    Build it with :meth:`from_result`.  Clients without any scored dimension are left out
    (they have no index to rank).

    Attributes
    ----------
    client_ids
        ``(C,)`` client ids.
    dimension_ids
        The rubric's dimension ids, in rubric order.
    scores
        ``(C, D)`` dimension scores after gates (1..n), NaN where not scored.
    gaps
        ``(C, D)`` gap to each client's target (``max(0, target - score)``; 0 where not scored).
    weights
        ``(D,)`` the baseline (rubric) weights.
    n_levels
        Levels on the scale.
    staged_share
        Weight share needed at a level for the staged level (the scoring option).
    """

    client_ids: np.ndarray
    dimension_ids: tuple[str, ...]
    scores: np.ndarray
    gaps: np.ndarray
    weights: np.ndarray
    n_levels: int
    staged_share: float = 0.7

    @classmethod
    def from_result(cls, result: ScoreResult) -> Portfolio:
        """The latest assessment of every client in ``result``."""
        dims = result.dimensions
        last = dims.groupby("client_id")["date"].transform("max")
        latest = dims.loc[dims["date"] == last]
        order = list(result.rubric.dimension_table.index)
        score = latest.pivot(index="client_id", columns="dimension_id", values="score")[order]
        gap = latest.pivot(index="client_id", columns="dimension_id", values="gap")[order]
        keep = score.notna().any(axis=1).to_numpy()
        return cls(
            client_ids=score.index.to_numpy(dtype=object)[keep],
            dimension_ids=tuple(order),
            scores=score.to_numpy(dtype=float)[keep],
            gaps=np.nan_to_num(gap.to_numpy(dtype=float)[keep]),
            weights=result.rubric.dimension_table["weight"].to_numpy(dtype=float),
            n_levels=result.rubric.n_levels,
            staged_share=result.options.staged_share,
        )

    @property
    def n_clients(self) -> int:
        """Number of clients."""
        return len(self.client_ids)

    def weight_matrix(self, weights: Any) -> np.ndarray:
        """``weights`` as a ``(K, D)`` array: a mapping id -> weight, a vector or a matrix."""
        return _weight_matrix(self, weights)

    def index(self, weights: Any = None) -> np.ndarray:
        """Index (0-100) of every client: ``(C,)`` for one weight vector, ``(C, K)`` for K.

        ``None`` means the baseline weights.
        """
        w = self.weights if weights is None else weights
        out = _indices(self, _weight_matrix(self, w))
        return out[:, 0] if _is_single(w) else out

    def level(self, weights: Any = None) -> np.ndarray:
        """Staged level of every client, shaped like :meth:`index`."""
        w = self.weights if weights is None else weights
        out = _staged(self, _weight_matrix(self, w))
        return out[:, 0] if _is_single(w) else out


def _is_single(weights: Any) -> bool:
    return isinstance(weights, Mapping | pd.Series) or np.ndim(weights) == 1


def _weight_matrix(p: Portfolio, weights: Any) -> np.ndarray:
    if isinstance(weights, Mapping | pd.Series):
        w = dict(weights)
        unknown = sorted(set(map(str, w)) - set(p.dimension_ids))
        if unknown:
            raise ParameterError(
                f"unknown dimension(s) {unknown} in weights; the rubric has {list(p.dimension_ids)}"
            )
        # Unlisted dimensions keep their baseline weight, as Rubric.with_weights does.
        arr = np.array(
            [float(w.get(d, p.weights[k])) for k, d in enumerate(p.dimension_ids)], dtype=float
        )[None, :]
    else:
        arr = np.atleast_2d(np.asarray(weights, dtype=float))
    if arr.ndim != 2 or arr.shape[1] != len(p.dimension_ids):
        raise ParameterError(
            f"weights must have one column per dimension ({len(p.dimension_ids)}); "
            f"found shape {np.shape(weights)}"
        )
    if not np.isfinite(arr).all() or (arr < 0).any() or (arr.sum(axis=1) <= 0).any():
        raise ParameterError("weights must be finite, non-negative and not all zero")
    return arr / arr.sum(axis=1, keepdims=True)


def _indices(p: Portfolio, w: np.ndarray) -> np.ndarray:
    """``(C, K)`` index 0-100 for the ``(K, D)`` weight matrix ``w`` (NaN-aware)."""
    scored = ~np.isnan(p.scores)
    out = np.where(scored, p.scores, 0.0) @ w.T
    partial = ~scored.all(axis=1)
    # Rows of normalised weights sum to 1, so only clients with unscored dimensions need the
    # renormalisation; the rest are done in place on the one (C, K) array.
    if partial.any():
        den = scored[partial].astype(float) @ w.T
        with np.errstate(invalid="ignore", divide="ignore"):
            out[partial] = np.where(den > 0, out[partial] / den, np.nan)
    full = ~partial
    if not np.allclose(w.sum(axis=1), 1.0):
        out[full] /= w.sum(axis=1)[None, :]
    out -= 1.0
    out *= 100.0 / (p.n_levels - 1)
    return out


def _level_matrices(p: Portfolio) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    level = np.floor(p.scores)
    scored = ~np.isnan(p.scores)
    with np.errstate(invalid="ignore"):
        weakest = np.where(scored.any(axis=1), np.fmin.reduce(level, axis=1), np.nan)
    return level, scored, weakest


def _staged_tests(p: Portfolio, w: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """For each level L = 2..n: the clients that may reach L and, for them, ``staged >= L``.

    Same rule as the scoring engine: every dimension at >= L - 1 and the dimensions at >= L
    carrying at least ``staged_share`` of the scored weight.  The condition only gets harder
    as L grows, so "staged >= L" is exactly this test at L.  The share test is linear in the
    weights, ``share >= s  <=>  (at_L - s scored) . w >= 0``: one matrix product per level,
    restricted to the clients whose weakest dimension allows the level at all.  (The
    engine's 1e-12 slack on the share becomes a 1e-12 slack on the product.)

    Yields
    ------
    tuple
        ``(L, rows, ok)``: client positions and their ``(len(rows), K)`` booleans.
    """
    level, scored, weakest = _level_matrices(p)
    with np.errstate(invalid="ignore"):
        eligible = weakest[None, :] >= np.arange(1, p.n_levels)[:, None]  # (n - 1, C)
    for lvl in range(2, p.n_levels + 1):  # the scale's few levels, vectorised over the rest
        rows = np.flatnonzero(eligible[lvl - 2])
        margin = (level[rows] >= lvl) - p.staged_share * scored[rows]
        yield lvl, rows, margin @ w.T >= -1e-12


def _staged(p: Portfolio, w: np.ndarray) -> np.ndarray:
    staged = np.ones((p.n_clients, len(w)), dtype=np.int64)
    for lvl, rows, ok in _staged_tests(p, w):
        staged[rows] = np.where(ok, lvl, staged[rows])
    return staged


def normalise_weights(weights: Mapping[str, float], ids: Sequence[str]) -> pd.Series:
    """Weights for ``ids`` scaled to sum 1 (missing ids are 0).

    Raises
    ------
    ParameterError
        If a weight is negative or all are zero.
    """
    w = pd.Series({i: float(weights.get(i, 0.0)) for i in ids}, dtype=float)
    if (w < 0).any() or not np.isfinite(w).all():
        raise ParameterError(f"weights must be non-negative numbers; found {w[w < 0].to_dict()}")
    total = w.sum()
    if total <= 0:
        raise ParameterError("at least one weight must be positive")
    return w / total


# -- comparing one weight vector with the baseline ---------------------------------------------


def _rank(index: np.ndarray) -> np.ndarray:
    """Competition rank (1 = highest index; ties share the best rank), per column."""
    x = np.where(np.isnan(index), -np.inf, index)
    s = np.sort(x, axis=0)
    # rank = 1 + number of clients strictly above = 1 + (C - number at or below).
    if x.ndim == 1:
        return 1 + len(x) - np.searchsorted(s, x, side="right")
    return (
        1
        + x.shape[0]
        - np.stack(
            [np.searchsorted(s[:, k], x[:, k], side="right") for k in range(x.shape[1])], axis=1
        )
    )


def compare_weights(
    portfolio: Portfolio, weights: Mapping[str, float] | Sequence[float] | np.ndarray
) -> pd.DataFrame:
    """Every client's index, level and rank under ``weights`` against the baseline weights.

    Parameters
    ----------
    portfolio
        From :meth:`Portfolio.from_result`.
    weights
        New weights (mapping dimension id -> weight, or a vector in rubric order); normalised.

    Returns
    -------
    pandas.DataFrame
        One row per client, highest new index first: ``client_id, index_baseline, index,
        delta, level_baseline, level, rank_baseline, rank, rank_change`` (positive = moved
        up) and ``changed`` (level or rank differs from the baseline).
    """
    base_w = portfolio.weights[None, :]
    new_w = _weight_matrix(portfolio, weights)
    both = np.vstack([base_w / base_w.sum(), new_w])
    index = _indices(portfolio, both)
    level = _staged(portfolio, both)
    rank = _rank(index)
    out = pd.DataFrame(
        {
            "client_id": portfolio.client_ids.astype(str),
            "index_baseline": index[:, 0],
            "index": index[:, 1],
            "delta": index[:, 1] - index[:, 0],
            "level_baseline": level[:, 0],
            "level": level[:, 1],
            "rank_baseline": rank[:, 0],
            "rank": rank[:, 1],
            "rank_change": rank[:, 0] - rank[:, 1],
        }
    )
    out["changed"] = (out["level"] != out["level_baseline"]) | (out["rank_change"] != 0)
    return out.sort_values(["rank", "client_id"]).reset_index(drop=True)


def rubric_weights(rubric: Rubric) -> pd.Series:
    """The rubric's dimension weights as a Series (id -> weight)."""
    return rubric.dimension_table["weight"].rename("weight")
