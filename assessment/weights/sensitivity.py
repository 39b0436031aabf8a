r"""How much do the results depend on the weights?  Monte Carlo and one-at-a-time analysis.

Every analysis here works on a :class:`~assessment.weights.portfolio.Portfolio`: each client's
index and staged level under thousands of weight vectors are matrix products over its
dimension scores (the formulas are in :mod:`assessment.weights.portfolio`), so the answers are
never re-scored.

Monte Carlo (:func:`simulate`)
    Weight vectors are drawn from a Dirichlet distribution centred on the current weights:
    ``w ~ Dirichlet(kappa w0)``.  Its mean is ``w0`` and ``sd(w_d) = sqrt(w0_d (1 - w0_d) /
    (kappa + 1))``, so the concentration ``kappa`` says how sure we are of the weights
    (kappa = 100 moves a 0.10 weight by about +/- 0.03).  A dimension weighted 0 stays at 0
    in every draw (it is left out of the Dirichlet).  Reported per client: the index
    distribution (mean, sd, 5/50/95 % quantiles), the probability of each staged level and of a
    level other than today's, and the 5-95 % range of the client's rank (from the first
    ``rank_draws`` draws, default 2,000); per baseline top-three
    priority (weight x gap), how often it stays in the top three; and per draw, Kendall's tau-b
    between the draw's ranking of the clients and the baseline ranking.

Kendall's tau
    Exact tau needs every pair of clients: fine for a portfolio of dozens or hundreds, but
    10,000 draws x 500,000 pairs (1,000 clients) is too much work.  Up to ``max_pairs`` pairs
    (default 10,000, i.e. every pair of up to 141 clients) tau is exact; beyond, it is computed
    on one fixed, seeded, uniform random sample of ``max_pairs`` distinct pairs, used for every
    draw.  Each sampled pair's concordance is a random draw from all pairs', so the estimate
    is unbiased for tau-a's numerator with a standard error of about
    ``sqrt((1 - tau^2) / max_pairs)`` (0.004 for tau near 0.9 at the default); because the
    same pairs serve every draw, comparisons between draws are not blurred by it.
    :attr:`SensitivityResult.tau_method` says which was used.

One at a time (:func:`one_at_a_time`)
    Each dimension's weight is multiplied by ``1 - step`` and ``1 + step`` (default 20 %) and
    all weights renormalised to sum 1; the change of every client's index is the data of a
    tornado chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from assessment.exceptions import ParameterError
from assessment.scoring.targets import PRIORITY_DECIMALS

# Portfolio, compare_weights, normalise_weights and rubric_weights are re-exported: callers
# (the tuning notebook, the CLI, benchmarks) import the whole analysis from this module.
from assessment.weights.portfolio import (
    Portfolio,
    _indices,
    _rank,
    _staged,
    _staged_tests,
    compare_weights,
    normalise_weights,
)
from assessment.weights.portfolio import rubric_weights as rubric_weights

__all__ = [
    "Portfolio",
    "SensitivityResult",
    "compare_weights",
    "dirichlet_weights",
    "kendall_tau",
    "normalise_weights",
    "one_at_a_time",
    "simulate",
]

# -- Monte Carlo -------------------------------------------------------------------------------


def dirichlet_weights(
    weights: np.ndarray | Sequence[float],
    draws: int,
    concentration: float,
    rng: np.random.Generator | int | None = None,
) -> np.ndarray:
    """``(draws, D)`` weight vectors from ``Dirichlet(concentration * weights)``.

    The mean of each draw is ``weights`` (normalised); larger concentrations stay closer.
    A dimension weighted 0 is left out of the draw and stays at 0 in every row: a Dirichlet
    needs positive parameters, and a weight the user set to 0 should not come back as noise
    (issue 17: a slider at 0 stopped the analysis).

    Raises
    ------
    ParameterError
        ``draws < 1``, a non-positive concentration, a negative weight or no positive one.
    """
    w = np.asarray(weights, dtype=float)
    if draws < 1:
        raise ParameterError(f"draws must be at least 1; found {draws}")
    if not concentration > 0:
        raise ParameterError(f"concentration must be positive; found {concentration}")
    if not np.isfinite(w).all() or (w < 0).any() or not (w > 0).any():
        raise ParameterError(
            "baseline weights must be 0 or positive, at least one positive, for Dirichlet draws"
        )
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    live = w > 0
    drawn = gen.dirichlet(concentration * w[live] / w.sum(), size=draws)
    # Tiny alphas can underflow a component to 0 and a whole row to 0/0; floor and renormalise.
    drawn = np.maximum(np.nan_to_num(drawn), 1e-300)
    out = np.zeros((draws, w.size))
    out[:, live] = drawn / drawn.sum(axis=1, keepdims=True)
    return out


def _pairs(n: int, max_pairs: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, bool]:
    """All pairs ``i < j`` of ``n`` items, or a uniform sample of ``max_pairs`` distinct ones."""
    total = n * (n - 1) // 2
    if total <= max_pairs:
        i, j = np.triu_indices(n, k=1)
        return i, j, True
    flat = np.sort(rng.choice(total, size=max_pairs, replace=False))
    # Row i of the upper triangle starts at flat position i*n - i(i+1)/2.
    rows = np.arange(n)
    starts = rows * n - rows * (rows + 1) // 2
    i = np.searchsorted(starts, flat, side="right") - 1
    j = flat - starts[i] + i + 1
    return i, j, False


def kendall_tau(
    values: np.ndarray,
    baseline: np.ndarray,
    *,
    max_pairs: int | None = None,
    seed: int = 0,
    chunk: int = 256,
) -> tuple[np.ndarray, bool]:
    """Kendall's tau-b of each column of ``values`` against ``baseline`` (vectorised).

    Parameters
    ----------
    values
        ``(n,)`` or ``(n, K)``: K rankings of n items (NaN items are left out).
    baseline
        ``(n,)`` the reference values.
    max_pairs
        Use every pair up to this many; beyond, a fixed uniform random sample of this many
        pairs (see the module docstring).  ``None``: always exact.
    seed
        Seed of the pair sample.
    chunk
        Pairs processed at once (bounds memory at ``chunk x K`` values).

    Returns
    -------
    tuple
        ``(tau, exact)``: tau of each column (``scipy.stats.kendalltau`` with the default
        ``variant="b"`` gives the same on every pair), and whether every pair was used.
    """
    x = np.asarray(values, dtype=float)
    single = x.ndim == 1
    x = x[:, None] if single else x
    b = np.asarray(baseline, dtype=float)
    keep = ~np.isnan(b) & ~np.isnan(x).any(axis=1)
    x, b = x[keep], b[keep]
    n = len(b)
    limit = max_pairs if max_pairs is not None else n * (n - 1) // 2
    i, j, exact = _pairs(n, max(limit, 1), np.random.default_rng(seed))
    if not exact:
        # An estimate anyway: single precision halves the memory traffic of the pair loop
        # (it can only merge values closer than about 1e-5 index points into a tie).
        x = x.astype(np.float32)
    db = b[i] - b[j]
    # Orient every pair so the baseline says "i above j", and put the pairs tied in the
    # baseline last: they count in the denominator only, so the main loop needs no mask.
    flip = db < 0
    i, j = np.where(flip, j, i), np.where(flip, i, j)
    tied_b = db == 0
    sort = np.argsort(tied_b, kind="stable")
    i, j = i[sort], j[sort]
    n_untied_b = int((~tied_b).sum())
    k = x.shape[1]
    score = np.zeros(k)  # concordant - discordant
    untied_x = np.zeros(k)
    for s in range(0, len(i), chunk):
        d = x[i[s : s + chunk]] - x[j[s : s + chunk]]
        above = (d > 0).sum(axis=0)
        below = (d < 0).sum(axis=0)
        untied_x += above + below
        m = min(max(n_untied_b - s, 0), len(d))  # rows of this chunk untied in the baseline
        if m == len(d):
            score += above - below
        elif m > 0:
            score += (d[:m] > 0).sum(axis=0) - (d[:m] < 0).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        tau = score / np.sqrt(untied_x * n_untied_b)
    return (tau[0] if single else tau), exact


@dataclass
class SensitivityResult:
    """What the Monte Carlo over weights found.  Build it with :func:`simulate`.

    Attributes
    ----------
    clients
        One row per client: ``client_id``, baseline ``index``, ``level`` and ``rank``; the
        index distribution ``index_mean, index_sd, index_p05, index_p50, index_p95``; the
        probability of each staged level ``p_level_1 .. p_level_n`` and ``p_level_change``
        (a level other than the baseline's); rank range ``rank_p05, rank_p50, rank_p95``.
    priorities
        One row per baseline top-three priority: ``client_id, position`` (1-3),
        ``dimension_id``, baseline ``priority`` (weight x gap) and ``p_top3`` (share of draws
        in which it stays in the client's top three).
    tau
        ``(draws,)`` Kendall's tau-b of each draw's ranking against the baseline.
    tau_method
        ``"exact (all N pairs)"`` or ``"sampled (M of N pairs)"``.
    draws, concentration, seed
        The parameters of the run.
    dimension_ids, n_levels
        The rubric's dimensions and scale size.
    """

    clients: pd.DataFrame
    priorities: pd.DataFrame
    tau: np.ndarray
    tau_method: str
    draws: int
    concentration: float
    seed: int | None
    dimension_ids: tuple[str, ...]
    n_levels: int

    def summary(self) -> dict[str, Any]:
        """Headline stability figures, JSON-ready."""
        tau = self.tau[~np.isnan(self.tau)]
        c = self.clients
        q = np.quantile(tau, [0.05, 0.5]) if len(tau) else [np.nan, np.nan]
        return {
            "clients": len(c),
            "draws": self.draws,
            "concentration": self.concentration,
            "seed": self.seed,
            "kendall_tau_mean": float(tau.mean()) if len(tau) else None,
            "kendall_tau_p05": float(q[0]) if len(tau) else None,
            "kendall_tau_median": float(q[1]) if len(tau) else None,
            "share_draws_tau_ge_0_9": float((tau >= 0.9).mean()) if len(tau) else None,
            "tau_method": self.tau_method,
            "mean_p_level_unchanged": float(1 - c["p_level_change"].mean()),
            "clients_level_change_ge_20pct": int((c["p_level_change"] >= 0.2).sum()),
            "mean_p_top3_kept": float(self.priorities["p_top3"].mean())
            if len(self.priorities)
            else None,
            "max_index_spread_p05_p95": float((c["index_p95"] - c["index_p05"]).max()),
        }

    def to_text(self) -> str:
        """A plain-text stability report: headline figures, then one line per client."""
        s = self.summary()
        lines = [
            f"Weight sensitivity: {s['draws']} Dirichlet draws around the rubric weights "
            f"(concentration {s['concentration']:g}, seed {s['seed']}), {s['clients']} clients",
            "",
            f"Rank stability (Kendall's tau-b vs baseline, {s['tau_method']}): "
            f"mean {s['kendall_tau_mean']:.3f}, median {s['kendall_tau_median']:.3f}, "
            f"5th percentile {s['kendall_tau_p05']:.3f}; "
            f"{100 * s['share_draws_tau_ge_0_9']:.0f}% of draws have tau >= 0.9",
            f"Staged level unchanged: {100 * s['mean_p_level_unchanged']:.1f}% of draws on "
            f"average; {s['clients_level_change_ge_20pct']} client(s) change level in >= 20% "
            "of draws",
        ]
        if s["mean_p_top3_kept"] is not None:
            lines.append(
                f"Top-three priorities kept: {100 * s['mean_p_top3_kept']:.1f}% on average"
            )
        lines.append("")
        view = self.clients.copy()
        view["index 90% range"] = [
            f"{lo:.1f}-{hi:.1f}"
            for lo, hi in zip(view["index_p05"], view["index_p95"], strict=True)
        ]
        view["rank range"] = [
            f"{lo:.0f}-{hi:.0f}" for lo, hi in zip(view["rank_p05"], view["rank_p95"], strict=True)
        ]
        view["P(level change)"] = (100 * view["p_level_change"]).round(1).astype(str) + "%"
        top = self.priorities.loc[self.priorities["position"] == 1].set_index("client_id")
        view["top priority kept"] = (
            view["client_id"]
            .map((100 * top["p_top3"]).round(0))
            .map(lambda v: "" if pd.isna(v) else f"{v:.0f}%")
        )
        cols = [
            "client_id",
            "index",
            "index 90% range",
            "level",
            "P(level change)",
            "rank",
            "rank range",
            "top priority kept",
        ]
        view["index"] = view["index"].round(1)
        lines.append(view[cols].to_string(index=False))
        return "\n".join(lines)

    def level_probabilities(self) -> pd.DataFrame:
        """``(clients x levels)`` probability of each staged level, indexed by client id."""
        cols = [f"p_level_{k}" for k in range(1, self.n_levels + 1)]
        out = self.clients.set_index("client_id")[cols]
        out.columns = pd.Index(range(1, self.n_levels + 1), name="level")
        return out


def simulate(
    portfolio: Portfolio,
    *,
    draws: int = 10_000,
    concentration: float = 100.0,
    seed: int | None = 12345,
    max_pairs: int = 10_000,
    rank_draws: int = 2_000,
    chunk: int = 256,
) -> SensitivityResult:
    """Monte Carlo over weights: Dirichlet draws around the baseline weights.

    Parameters
    ----------
    portfolio
        From :meth:`Portfolio.from_result`.
    draws
        Number of weight vectors.
    concentration
        Dirichlet concentration ``kappa``: ``w ~ Dirichlet(kappa w0)``; larger = closer to the
        baseline weights.
    seed
        Seed of the weight draws (and of the pair sample for Kendall's tau): the same seed
        gives the same result.
    max_pairs
        Kendall's tau is exact up to this many client pairs, else estimated on a fixed sample
        of this many pairs.
    rank_draws
        The clients' rank quantiles come from the first this many draws (all when there are
        fewer).  Ranking needs a sort per draw, the most expensive step; the draws are
        independent, so the first 2,000 are a random sample of them and pin the 5-95 % rank
        range down to about one position.
    chunk
        Draws processed at once for the priority analysis (bounds memory at
        ``chunk x clients`` values per array).

    Returns
    -------
    SensitivityResult
        Per-client distributions, priorities' top-three persistence and per-draw tau.
    """
    p = portfolio
    if p.n_clients == 0:
        raise ParameterError("no scored clients to analyse")
    rng = np.random.default_rng(seed)
    w = dirichlet_weights(p.weights, draws, concentration, rng)
    base_w = p.weights / p.weights.sum()
    c, n = p.n_clients, p.n_levels

    # Index: one matrix product for every client and draw; quantiles along the draws.
    index = _indices(p, w)  # (C, N)
    base_index = _indices(p, base_w[None, :])[:, 0]
    quant = _row_quantiles(index, [0.05, 0.5, 0.95])

    # Levels: P(staged >= L) for each L, then differences give P(staged == L).
    at_least = np.ones((c, n + 1))
    at_least[:, n] = 0.0  # P(staged >= n + 1) = 0
    for lvl, rows, ok in _staged_tests(p, w):
        at_least[:, lvl - 1] = 0.0
        at_least[rows, lvl - 1] = ok.mean(axis=1)

    p_level = at_least[:, :n] - at_least[:, 1:]
    base_level = _staged(p, base_w[None, :])[:, 0]
    p_change = 1.0 - p_level[np.arange(c), base_level - 1]

    # Ranks: competition rank per draw = 1 + number of clients strictly above.
    base_rank = _rank(base_index)
    rank_q = _rank_quantiles(index[:, : max(rank_draws, 1)], [0.05, 0.5, 0.95])

    tau, exact = kendall_tau(
        index, base_index, max_pairs=max_pairs, seed=0 if seed is None else seed
    )
    total = c * (c - 1) // 2
    method = (
        f"exact (all {total:,} pairs)" if exact else f"sampled ({max_pairs:,} of {total:,} pairs)"
    )

    # Unnormalised weights: the same floating-point priorities (and tie order) as the engine.
    priorities = _top3_persistence(p, p.weights, w, chunk)

    clients = pd.DataFrame(
        {
            "client_id": p.client_ids.astype(str),
            "index": base_index,
            "level": base_level,
            "rank": base_rank,
            "index_mean": index.mean(axis=1),
            "index_sd": index.std(axis=1, ddof=1) if draws > 1 else np.zeros(c),
            "index_p05": quant[0],
            "index_p50": quant[1],
            "index_p95": quant[2],
            **{f"p_level_{k}": p_level[:, k - 1] for k in range(1, n + 1)},
            "p_level_change": p_change,
            "rank_p05": rank_q[0],
            "rank_p50": rank_q[1],
            "rank_p95": rank_q[2],
        }
    )
    clients = clients.sort_values(["rank", "client_id"]).reset_index(drop=True)
    return SensitivityResult(
        clients=clients,
        priorities=priorities,
        tau=tau,
        tau_method=method,
        draws=draws,
        concentration=float(concentration),
        seed=seed,
        dimension_ids=p.dimension_ids,
        n_levels=n,
    )


def _row_quantiles(x: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """``np.quantile(x, qs, axis=1)`` (linear interpolation) via one row sort.

    numpy's quantile selects each quantile by partitioning; for many long rows a single sort
    (vectorised over rows) is several times faster and gives the same numbers.
    """
    s = np.sort(x, axis=1)
    pos = np.asarray(qs) * (x.shape[1] - 1)
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, x.shape[1] - 1)
    frac = pos - lo
    return (s[:, lo] + (s[:, hi] - s[:, lo]) * frac).T


def _rank_quantiles(index: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles of each client's competition rank over the draws, ``(len(qs), C)``.

    One sort per draw gives the ranks; their distribution per client is a (clients x ranks)
    histogram from a single ``bincount``, so the quantiles are a cumulative-sum lookup rather
    than a second sort of a (clients x draws) rank matrix.
    """
    c, n_draws = index.shape
    x = -np.where(np.isnan(index), -np.inf, index).T  # (N, C), ascending = best first
    order = np.argsort(x, axis=1)
    sx = np.take_along_axis(x, order, axis=1)
    # Ties share the best rank: the rank at a sorted position is the start of its run.
    new_run = np.ones(sx.shape, dtype=bool)
    new_run[:, 1:] = sx[:, 1:] != sx[:, :-1]
    start = np.maximum.accumulate(np.where(new_run, np.arange(c), 0), axis=1)
    rank = np.empty((n_draws, c), dtype=np.int64)
    np.put_along_axis(rank, order, start, axis=1)  # 0-based competition rank
    hist = np.bincount((np.arange(c)[None, :] * c + rank).ravel(), minlength=c * c)
    cdf = np.cumsum(hist.reshape(c, c), axis=1) / n_draws
    return np.stack([1 + (cdf < q - 1e-12).sum(axis=1) for q in qs]).astype(float)


def _top3_persistence(p: Portfolio, base_w: np.ndarray, w: np.ndarray, chunk: int) -> pd.DataFrame:
    """How often each baseline top-three priority (weight x gap) stays in the top three."""
    c, d = p.gaps.shape
    base = p.gaps * base_w[None, :]
    # Baseline order as ScoreResult.summary has it: priority rounded as people read it,
    # descending, then the heavier dimension, then rubric order.
    rounded = np.round(base, PRIORITY_DECIMALS)
    heavier = np.broadcast_to(-base_w[None, :], base.shape)
    rubric_order = np.broadcast_to(np.arange(d), base.shape)
    order = np.lexsort((rubric_order, heavier, -rounded), axis=1)
    top = order[:, : min(3, d)]
    valid = np.take_along_axis(base, top, axis=1) > 0
    kept = np.zeros((c, top.shape[1]))
    cols = np.arange(c)
    gaps = p.gaps.astype(np.float32)
    mine_gap = gaps[cols[:, None], top]  # (C, 3) gap of each baseline top dimension
    n_top = top.shape[1]
    # Preallocated buffers: fresh multi-megabyte temporaries per operation cost more in page
    # faults than the arithmetic.
    pr = np.empty((chunk, c), dtype=np.float32)
    above = np.empty((chunk, c), dtype=bool)
    mine = np.empty((n_top, chunk, c), dtype=np.float32)
    beaten = np.empty((n_top, chunk, c), dtype=np.int8)
    for s in range(0, len(w), chunk):
        wc = w[s : s + chunk].astype(np.float32)  # (n, D)
        n = len(wc)
        for k in range(n_top):
            np.multiply(wc[:, top[:, k]], mine_gap[:, k], out=mine[k, :n])
        beaten[:, :n] = 0
        # A loop over the rubric's dimensions (not the data): each dimension's priorities in
        # every draw are one (n, C) product, compared with the baseline top three's.
        for e in range(d):
            np.multiply(wc[:, e : e + 1], gaps[:, e][None, :], out=pr[:n])
            for k in range(n_top):
                np.greater(pr[:n], mine[k, :n], out=above[:n])
                np.add(beaten[k, :n], above[:n], out=beaten[k, :n], casting="unsafe")
        kept += (beaten[:, :n] < 3).sum(axis=1).T
    kept /= len(w)
    r, k = np.nonzero(valid)
    return pd.DataFrame(
        {
            "client_id": p.client_ids.astype(str)[r],
            "position": k + 1,
            "dimension_id": np.array(p.dimension_ids, dtype=object)[top[r, k]],
            "priority": base[r, top[r, k]],
            "p_top3": kept[r, k],
        }
    )


# -- one at a time -----------------------------------------------------------------------------


def one_at_a_time(portfolio: Portfolio, step: float = 0.2) -> pd.DataFrame:
    """Tornado data: each dimension's weight times ``1 - step`` and ``1 + step``.

    All weights are renormalised to sum 1 after the change, so raising one dimension lowers
    the others in proportion.

    Returns
    -------
    pandas.DataFrame
        One row per client x dimension: ``client_id, dimension_id, weight`` (baseline),
        ``index`` (baseline), ``index_low, index_high`` (weight x (1 - step), x (1 + step)),
        ``delta_low, delta_high`` and ``level``, ``level_low``, ``level_high``.
    """
    if not 0 < step < 1:
        raise ParameterError(f"step must be in (0, 1); found {step}")
    p = portfolio
    d = len(p.dimension_ids)
    base = p.weights / p.weights.sum()
    factors = np.ones((2 * d, d))
    factors[np.arange(d), np.arange(d)] = 1 - step
    factors[d + np.arange(d), np.arange(d)] = 1 + step
    w = np.vstack([base, base[None, :] * factors])
    w = w / w.sum(axis=1, keepdims=True)
    index = _indices(p, w)  # (C, 1 + 2D)
    level = _staged(p, w)
    c = p.n_clients
    out = pd.DataFrame(
        {
            "client_id": np.repeat(p.client_ids.astype(str), d),
            "dimension_id": np.tile(np.array(p.dimension_ids, dtype=object), c),
            "weight": np.tile(base, c),
            "index": np.repeat(index[:, 0], d),
            "index_low": index[:, 1 : d + 1].ravel(),
            "index_high": index[:, d + 1 :].ravel(),
            "level": np.repeat(level[:, 0], d),
            "level_low": level[:, 1 : d + 1].ravel(),
            "level_high": level[:, d + 1 :].ravel(),
        }
    )
    out["delta_low"] = out["index_low"] - out["index"]
    out["delta_high"] = out["index_high"] - out["index"]
    out["dimension_id"] = out["dimension_id"].astype(str)
    out.attrs["step"] = step  # for the tornado's legend
    return out
