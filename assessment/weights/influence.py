r"""Which weights matter, how far they can move, and which clients swap places.

The signed *mean* index change over clients is a poor measure of a weight's influence: when a
weight goes up, clients strong in that dimension rise and the others fall, and the two cancel.
A dimension that moves single clients by half a point can average to +/- 0.001 and rank last.
Here influence is always *absolute*:

:func:`influence`
    Per dimension, from :func:`~assessment.weights.sensitivity.one_at_a_time`: the mean over
    clients of ``|delta|`` (the larger of the lowered and raised weight's changes), the largest
    ``|delta|`` and whose it is, the signed means (for reference only), how many clients change
    level and how many client pairs swap order.  Sorted by mean ``|delta|``: the tornado's
    order.
:func:`rank_reversals`
    The client pairs whose order flips when one weight moves by ``step``.
:func:`break_even`
    For one client and one dimension: how far the weight can move (the others rescaled in
    proportion, so the weights still sum to 1) before the client changes level, and before it
    overtakes or is overtaken by each other client.  Indices are linear (or, with unscored
    dimensions, a ratio of linear functions) in the moved weight, so the crossings are found
    on a fine grid and refined by bisection to 1e-6.
:func:`break_even_table`
    The same for every dimension (and every client).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from assessment.exceptions import ParameterError
from assessment.files import write_csv, write_xlsx
from assessment.weights.portfolio import Portfolio, _indices, _staged

__all__ = [
    "break_even",
    "break_even_table",
    "export_tables",
    "influence",
    "rank_reversals",
]

_GRID = 401  # weight values tried between 0 and 1 before bisection


def influence(oat: pd.DataFrame, *, client_id: str | None = None) -> pd.DataFrame:
    """Each dimension's influence on the index, by mean absolute change (the tornado's order).

    Parameters
    ----------
    oat
        :func:`~assessment.weights.sensitivity.one_at_a_time` output.
    client_id
        Only this client (its ``mean_abs`` is then its own ``|delta|``).

    Returns
    -------
    pandas.DataFrame
        Indexed by dimension id, by decreasing ``mean_abs`` (ties: larger ``max_abs``, then
        rubric order): ``weight``, ``mean_abs`` (mean over clients of ``max(|delta_low|,
        |delta_high|)``), ``mean_abs_low``, ``mean_abs_high``, ``max_abs``, ``max_client``,
        ``mean_low``, ``mean_high`` (signed means: they cancel, shown for reference),
        ``level_changes`` (clients whose level changes either way).
    """
    need = {"client_id", "dimension_id", "delta_low", "delta_high", "level"} - set(oat.columns)
    if need:
        raise ParameterError(f"oat lacks columns {sorted(need)}; use one_at_a_time()")
    if client_id is not None:
        oat = oat.loc[oat["client_id"] == client_id]
        if oat.empty:
            raise ParameterError(f"client {client_id!r} is not in the one-at-a-time table")
    frame = oat.assign(
        abs_low=oat["delta_low"].abs(),
        abs_high=oat["delta_high"].abs(),
        level_change=(oat["level_low"] != oat["level"]) | (oat["level_high"] != oat["level"]),
    )
    frame["abs"] = frame[["abs_low", "abs_high"]].max(axis=1)
    order = list(dict.fromkeys(frame["dimension_id"]))
    g = frame.groupby("dimension_id", sort=False)
    worst = frame.loc[g["abs"].idxmax()].set_index("dimension_id")
    out = pd.DataFrame(
        {
            "weight": g["weight"].first(),
            "mean_abs": g["abs"].mean(),
            "mean_abs_low": g["abs_low"].mean(),
            "mean_abs_high": g["abs_high"].mean(),
            "max_abs": g["abs"].max(),
            "max_client": worst["client_id"],
            "mean_low": g["delta_low"].mean(),
            "mean_high": g["delta_high"].mean(),
            "level_changes": g["level_change"].sum().astype(int),
        }
    ).loc[order]
    out["_pos"] = np.arange(len(out))
    out = out.sort_values(["mean_abs", "max_abs", "_pos"], ascending=[False, False, True])
    out.index.name = "dimension_id"
    return out.drop(columns="_pos")


def _moved(base: np.ndarray, k: int, values: np.ndarray) -> np.ndarray:
    """``(len(values), D)`` weights with dimension ``k`` set to each value, the rest rescaled."""
    rest = 1.0 - base[k]
    w = np.repeat(base[None, :], len(values), axis=0)
    scale = (1.0 - values) / rest if rest > 0 else np.zeros_like(values)
    w *= scale[:, None]
    w[:, k] = values
    return w


def rank_reversals(portfolio: Portfolio, step: float = 0.2) -> pd.DataFrame:
    """Client pairs whose order flips when one weight is multiplied by ``1 -/+ step``.

    Returns
    -------
    pandas.DataFrame
        One row per flip: ``dimension_id``, ``direction`` (``"down"``/``"up"``), ``client_up``
        (the client that rises past the other), ``client_down``, and both clients' baseline
        and new indices.
    """
    if not 0 < step < 1:
        raise ParameterError(f"step must be in (0, 1); found {step}")
    p = portfolio
    base = p.weights / p.weights.sum()
    ids = p.client_ids.astype(str)
    base_index = _indices(p, base[None, :])[:, 0]
    rows = []
    for k, dim in enumerate(p.dimension_ids):
        for direction, factor in (("down", 1 - step), ("up", 1 + step)):
            w = base.copy()
            w[k] *= factor
            new = _indices(p, (w / w.sum())[None, :])[:, 0]
            before = base_index[:, None] > base_index[None, :]
            after = new[:, None] < new[None, :]
            for a, b in np.argwhere(before & after):  # a was above b, is now below
                rows.append(
                    {
                        "dimension_id": dim,
                        "direction": direction,
                        "client_up": ids[b],
                        "client_down": ids[a],
                        "index_up_baseline": base_index[b],
                        "index_up": new[b],
                        "index_down_baseline": base_index[a],
                        "index_down": new[a],
                    }
                )
    cols = [
        "dimension_id",
        "direction",
        "client_up",
        "client_down",
        "index_up_baseline",
        "index_up",
        "index_down_baseline",
        "index_down",
    ]
    return pd.DataFrame(rows, columns=cols)


def _crossing(f, lo: float, hi: float) -> float:
    """Bisection between ``lo`` (either side) and ``hi``: where ``f`` first differs from f(lo)."""
    start = f(lo)
    for _ in range(60):
        mid = (lo + hi) / 2
        if f(mid) == start:
            lo = mid
        else:
            hi = mid
        if abs(hi - lo) < 1e-9:
            break
    return hi


def _nearest_change(
    values: np.ndarray, changed: np.ndarray, at: int
) -> tuple[int | None, int | None]:
    """Grid positions of the first change below and above position ``at``."""
    below = np.flatnonzero(changed[:at])
    above = np.flatnonzero(changed[at + 1 :])
    return (int(below[-1]) if len(below) else None), (
        int(above[0]) + at + 1 if len(above) else None
    )


def break_even(portfolio: Portfolio, dimension_id: str, client_id: str) -> dict[str, object]:
    """How far can ``dimension_id``'s weight move before ``client_id`` changes level or place?

    The moved weight ``w`` runs over 0..1; the other weights keep their proportions and sum to
    ``1 - w``.

    Returns
    -------
    dict
        ``weight`` (today's, normalised), ``level``; ``level_change_below`` /
        ``level_change_above``: the nearest weights at which the level changes (None if it
        never does in 0..1) and ``level_below`` / ``level_above`` the level beyond them;
        ``overtakes``: one row per other client whose order with this client flips somewhere
        in 0..1, with the nearest crossing weight ``at`` and ``change`` (the weight difference
        from today's) and ``direction`` (``"passes"``: this client moves above it;
        ``"passed by"``: below).
    """
    p = portfolio
    ids = list(p.client_ids.astype(str))
    if dimension_id not in p.dimension_ids:
        raise ParameterError(
            f"unknown dimension {dimension_id!r}; the rubric has {list(p.dimension_ids)}"
        )
    if client_id not in ids:
        raise ParameterError(f"client {client_id!r} is not in the portfolio")
    k = p.dimension_ids.index(dimension_id)
    c = ids.index(client_id)
    base = p.weights / p.weights.sum()
    w0 = float(base[k])
    grid = np.unique(np.concatenate([np.linspace(0, 1, _GRID), [w0]]))
    at = int(np.searchsorted(grid, w0))
    w = _moved(base, k, grid)
    index = _indices(p, w)  # (C, G)
    level = _staged(p, w)[c]

    def level_at(x: float) -> int:
        return int(_staged(p, _moved(base, k, np.array([x])))[c, 0])

    out: dict[str, object] = {
        "client_id": client_id,
        "dimension_id": dimension_id,
        "weight": w0,
        "level": int(level[at]),
    }
    lo, hi = _nearest_change(grid, level != level[at], at)
    for name, pos, bound in (("below", lo, 0), ("above", hi, 1)):
        if pos is None:
            out[f"level_change_{name}"] = None
            out[f"level_{name}"] = None
            continue
        # The level first differs at grid[pos]; refine between it and its neighbour on w0's side.
        near = grid[pos + 1] if bound == 0 else grid[pos - 1]
        x = _crossing(lambda t: level_at(t) == level[at], near, grid[pos])
        out[f"level_change_{name}"] = x
        out[f"level_{name}"] = level_at(x)
    rows = []
    mine = index[c]
    for o, other in enumerate(ids):
        if o == c:
            continue
        diff = mine - index[o]
        sign = np.sign(np.round(diff, 12))
        if sign[at] == 0:
            continue
        flips = sign == -sign[at]  # strictly the other way: a tie is not a pass
        lo, hi = _nearest_change(grid, flips, at)
        best = None
        for pos in (lo, hi):
            if pos is None:
                continue
            near = grid[pos + 1] if pos < at else grid[pos - 1]

            def above(t: float, o: int = o) -> bool:
                v = _indices(p, _moved(base, k, np.array([t])))[:, 0]
                return bool(v[c] > v[o])

            x = _crossing(above, near, grid[pos])
            if best is None or abs(x - w0) < abs(best - w0):
                best = x
        if best is not None:
            rows.append(
                {
                    "other": other,
                    "at": best,
                    "change": best - w0,
                    "direction": "passes" if sign[at] < 0 else "passed by",
                }
            )
    table = pd.DataFrame(rows, columns=["other", "at", "change", "direction"])
    out["overtakes"] = table.assign(_d=table["change"].abs()).sort_values("_d").drop(columns="_d")
    return out


def break_even_table(portfolio: Portfolio, client_id: str | None = None) -> pd.DataFrame:
    """:func:`break_even` for every dimension (and every client unless one is named).

    Returns
    -------
    pandas.DataFrame
        One row per client x dimension: ``client_id, dimension_id, weight, level``,
        ``level_change_below, level_below, level_change_above, level_above``, and the nearest
        place change: ``rank_change_at``, ``rank_change_other``, ``rank_change_direction``.
    """
    clients = [client_id] if client_id is not None else list(portfolio.client_ids.astype(str))
    rows = []
    for cid in clients:
        for dim in portfolio.dimension_ids:
            r = break_even(portfolio, dim, cid)
            over: pd.DataFrame = r.pop("overtakes")  # type: ignore[assignment]
            first = over.iloc[0] if len(over) else None
            rows.append(
                {
                    **r,
                    "rank_change_at": None if first is None else float(first["at"]),
                    "rank_change_other": None if first is None else str(first["other"]),
                    "rank_change_direction": None if first is None else str(first["direction"]),
                }
            )
    return pd.DataFrame(rows)


def export_tables(path: str | Path, tables: Mapping[str, pd.DataFrame]) -> list[Path]:
    """Write sensitivity tables: one XLSX workbook (a sheet each) or one CSV per table.

    Parameters
    ----------
    path
        ``something.xlsx`` for a workbook; otherwise a CSV path, and every table after the
        first is written beside it as ``<stem>-<table name>.csv``.
    tables
        Sheet name -> table (the index is written when named).

    Returns
    -------
    list of Path
        The files written (through :mod:`assessment.files`: atomic, formula-injection safe).
    """
    target = Path(path)
    frames = {k: (v.reset_index() if v.index.name else v) for k, v in tables.items()}
    if target.suffix.lower() == ".xlsx":
        return [write_xlsx(target, {k[:31]: v for k, v in frames.items()})]
    written = []
    for n, (name, frame) in enumerate(frames.items()):
        out = (
            target if n == 0 else target.with_name(f"{target.stem}-{name}{target.suffix or '.csv'}")
        )
        written.append(write_csv(out, frame))
    return written
