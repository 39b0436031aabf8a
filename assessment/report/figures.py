"""The figures a client's deliverable leads with, computed once: the one-pager, the roadmap.

The one-pager (:mod:`~assessment.report.onepager`), the deck (:mod:`assessment.deck`) and the
portfolio page all read these, so a figure is rounded once (:func:`rounded`) and reads the same
everywhere: an index of 54 and a change of +9 from 45, never 54.5 in one place and +10 in
another (issue 15).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from assessment.report.context import ReportContext
from assessment.rubric import HORIZONS
from assessment.scoring.staffing import staffing_table
from assessment.text import round_half_up

__all__ = [
    "Headline",
    "Move",
    "Roadmap",
    "headline",
    "roadmap",
    "rounded",
    "staffing",
]

#: Moves listed per horizon on the roadmap (the rest are counted, not listed).
MOVES_PER_HORIZON = 5


def rounded(value: float | None) -> int | None:
    """A headline figure as people read it: a whole number, halves rounded up.

    Python's :func:`round` rounds halves to even (54.5 -> 54, 55.5 -> 56); a reader expects 55.
    Changes are differences of rounded figures, so the page's arithmetic adds up.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return None
    return int(round_half_up(float(value), 0))


@dataclass(frozen=True)
class Move:
    """One step of the roadmap: an indicator's next step, when, how hard and who owns it."""

    indicator_id: str
    dimension_id: str
    from_level: int
    step: str
    priority: float
    rank: int
    effort: str = ""
    horizon: str = ""
    owner_role: str = ""
    #: Index points the move adds if it raises its indicator one level (gates not re-applied).
    gain: float = 0.0

    @property
    def quick_win(self) -> bool:
        """Low effort: a move to start at once."""
        return self.effort == "low"


@dataclass(frozen=True)
class Headline:
    """What a CEO reads in 60 seconds: where the client is, should be, compares and moved."""

    index: int | None
    level: int | None
    weakest_id: str | None
    weakest_level: int | None
    target_index: int | None
    percentile: int | None
    peer_group: str
    n_peers: int
    previous_index: int | None
    previous_date: str
    fte_now: float | None
    fte_needed: tuple[float, float] | None
    count_2007: int
    n_dimensions: int
    moves: list[Move] = field(default_factory=list)

    @property
    def change(self) -> int | None:
        """Index change since the last assessment, as the difference of the rounded figures."""
        if self.index is None or self.previous_index is None:
            return None
        return self.index - self.previous_index


def _index_of(weights: np.ndarray, scores: np.ndarray, n_levels: int) -> float | None:
    """``100 (S - 1) / (n - 1)`` with ``S`` the weighted mean (as the engine computes it)."""
    ok = ~np.isnan(scores)
    if not ok.any() or weights[ok].sum() <= 0:
        return None
    s = float((weights[ok] * scores[ok]).sum() / weights[ok].sum())
    return 100 * (s - 1) / (n_levels - 1)


def staffing(ctx: ReportContext) -> pd.DataFrame | None:
    """The care-desk staffing table for the client (``None`` without a message volume)."""
    volume = pd.to_numeric(pd.Series([ctx.client.get("messages_per_day")]), errors="coerce")[0]
    if pd.isna(volume) or volume <= 0:
        return None
    fte = pd.to_numeric(pd.Series([ctx.client.get("social_fte")]), errors="coerce")[0]
    return staffing_table(
        messages_per_day=float(volume),
        aht_minutes=ctx.staffing["aht_minutes"],
        answer_within_minutes=ctx.staffing["answer_within_minutes"],
        service_level=ctx.staffing["service_level"],
        current_fte=None if pd.isna(fte) else float(fte),
    )


def headline(ctx: ReportContext) -> Headline:
    """The one-pager's figures for the client's latest assessment (computed once per context)."""
    if "headline" not in ctx.cache:
        ctx.cache["headline"] = _headline(ctx)
    return ctx.cache["headline"]


def _headline(ctx: ReportContext) -> Headline:
    o = ctx.latest(ctx.result.overall).iloc[0]
    dims = ctx.latest(ctx.result.dimensions)
    scored = dims.dropna(subset=["score"])
    weakest = scored.sort_values(["level", "score", "order"]).iloc[0] if not scored.empty else None
    target = _index_of(
        dims["weight"].to_numpy(float), dims["target"].to_numpy(float), ctx.rubric.n_levels
    )
    bench = ctx.latest(ctx.result.benchmark)
    idx = bench.loc[bench["measure"] == "index"]
    pct = rounded(idx["percentile"].iloc[0]) if not idx.empty else None
    history = ctx.result.overall.sort_values("date")
    prev = history.iloc[-2] if len(history) > 1 else None
    table = staffing(ctx)
    fte_now = None if table is None else table["current_fte"].iloc[0]
    plan = roadmap(ctx)
    return Headline(
        index=rounded(o["index"]),
        level=None if pd.isna(o["level"]) else int(o["level"]),
        weakest_id=None if weakest is None else str(weakest["dimension_id"]),
        weakest_level=None if weakest is None else int(weakest["level"]),
        target_index=rounded(target),
        percentile=pct,
        peer_group="" if idx.empty or pct is None else str(idx["peer_group"].iloc[0]),
        n_peers=0 if idx.empty or pct is None else int(idx["n_peers"].iloc[0]),
        previous_index=None if prev is None else rounded(prev["index"]),
        previous_date="" if prev is None else str(prev["date"]),
        fte_now=None if fte_now is None or pd.isna(fte_now) else float(fte_now),
        fte_needed=None
        if table is None
        else (float(table["fte"].min()), float(table["fte"].max())),
        count_2007=int(o["count_2007"]),
        n_dimensions=int(o["n_dimensions"]),
        moves=plan.first_moves(3),
    )


@dataclass(frozen=True)
class Roadmap:
    """The client's moves grouped by horizon, with the index projected after each."""

    index: int | None
    #: Horizon -> its moves, highest priority first; ``""`` holds unscheduled moves.
    by_horizon: dict[str, list[Move]]
    #: Horizon -> the index once every move up to and including it is made.
    projected: dict[str, int | None]

    @property
    def scheduled(self) -> bool:
        """Whether the rubric gives any move a horizon."""
        return any(self.by_horizon.get(h) for h in HORIZONS)

    def first_moves(self, n: int) -> list[Move]:
        """The first ``n`` moves: quick wins of the earliest horizon first, then by priority."""
        ordered = [
            m
            for h in (*HORIZONS, "")
            for m in sorted(self.by_horizon.get(h, []), key=lambda m: (not m.quick_win, m.rank))
        ]
        return ordered[:n]


def _gains(ctx: ReportContext, rec: pd.DataFrame) -> np.ndarray:
    """Index points each recommended move adds by raising its indicator one level.

    ``Δindex = 100 / (n - 1) · w_d / Σw · v_i / Σv_d · Δl`` with ``Δl`` the step to the next
    whole level, capped at the target; the weights are those of the scored dimensions and the
    answered indicators, as the engine renormalises them.
    """
    inds = ctx.latest(ctx.result.indicators)
    dims = ctx.latest(ctx.result.dimensions)
    scored = dims.dropna(subset=["score"])
    total_w = float(scored["weight"].sum()) or 1.0
    weight_of = dict(zip(scored["dimension_id"], scored["weight"], strict=True))
    table = ctx.rubric.indicator_table
    answered = (
        inds.loc[inds["status"] == "answered"]
        if "status" in inds
        else inds.dropna(subset=["level"])
    )
    v = table["indicator_weight"].reindex(answered["indicator_id"]).to_numpy(float)
    per_dim = pd.Series(v, index=answered["dimension_id"].to_numpy()).groupby(level=0).sum()
    iw = table["indicator_weight"].reindex(rec["indicator_id"]).to_numpy(float)
    dw = rec["dimension_id"].map(weight_of).fillna(0).to_numpy(float)
    share = iw / rec["dimension_id"].map(per_dim).replace(0, np.nan).to_numpy(float)
    step = np.minimum(rec["from_level"].to_numpy(float) + 1, rec["target"].to_numpy(float))
    delta = np.clip(step - rec["level"].to_numpy(float), 0, None)
    scale = 100 / (ctx.rubric.n_levels - 1)
    return np.nan_to_num(scale * dw / total_w * share * delta)


def roadmap(ctx: ReportContext) -> Roadmap:
    """Group the client's moves by the horizon the rubric declares (computed once per context)."""
    if "roadmap" not in ctx.cache:
        ctx.cache["roadmap"] = _roadmap(ctx)
    return ctx.cache["roadmap"]


def _roadmap(ctx: ReportContext) -> Roadmap:
    rec = ctx.latest(ctx.result.recommendations)
    rec = rec.loc[rec["next_step"] != ""].reset_index(drop=True)
    gains = _gains(ctx, rec) if not rec.empty else np.array([])
    by: dict[str, list[Move]] = {h: [] for h in (*HORIZONS, "")}
    for r, gain in zip(rec.itertuples(), gains, strict=True):
        ind = ctx.indicator(r.indicator_id)
        plan = ind.roadmap(int(r.from_level))
        by[plan.horizon if plan else ""].append(
            Move(
                indicator_id=r.indicator_id,
                dimension_id=r.dimension_id,
                from_level=int(r.from_level),
                step=ind.next_step(int(r.from_level), ctx.lang),
                priority=float(r.priority),
                rank=int(r.rank),
                effort=plan.effort if plan else "",
                horizon=plan.horizon if plan else "",
                owner_role=(plan.owner_role or "") if plan else "",
                gain=float(gain),
            )
        )
    o = ctx.latest(ctx.result.overall).iloc[0]
    current = None if pd.isna(o["index"]) else float(o["index"])
    projected: dict[str, int | None] = {}
    total = current
    for h in HORIZONS:
        if total is not None:
            total = min(100.0, total + sum(m.gain for m in by[h]))
        projected[h] = rounded(total)
    return Roadmap(index=rounded(current), by_horizon=by, projected=projected)
