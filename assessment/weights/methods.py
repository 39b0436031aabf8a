r"""Weighting methods besides AHP: Best-Worst, direct rating, points, swing, rank-order centroid.

Each returns a :class:`MethodResult`: the weights (sum 1) plus what the method needs recorded
in a variant's provenance (its inputs and, for BWM, its consistency).

Best-Worst Method (Rezaei 2015, *Best-worst multi-criteria decision-making method*, Omega 53,
49-57)
    The analyst names the best (most important) and the worst item, rates the best against
    every other ``a_Bj`` and every other against the worst ``a_jW`` on 1-9: ``2n - 3``
    judgements (19 for 11 dimensions, against AHP's 55).  The weights minimise the largest
    departure ``xi`` with ``|w_B / w_j - a_Bj| <= xi`` and ``|w_j / w_W - a_jW| <= xi`` (the
    original, non-linear model).  For a fixed ``xi`` every constraint is linear in ``w``
    (``|w_B - a_Bj w_j| <= xi w_j``), so the least ``xi`` is found by bisection over linear
    feasibility problems: the global optimum, not a local one.  The consistency ratio is
    ``xi* / CI(a_BW)`` with Rezaei's consistency index, the root of
    ``xi^2 - (1 + 2 a_BW) xi + (a_BW^2 - a_BW) = 0``.
Direct rating
    Each item rated on any positive scale (e.g. 0-10); weights are the ratings normalised.
Points (100-point allocation)
    The same, but the points must add up to the stated total.
Swing weighting (von Winterfeldt & Edwards 1986)
    The swing from worst to best on the most important item gets 100 points; every other
    swing is rated against it (0-100); weights are the points normalised.
Rank-order centroid (Barron & Barrett 1996)
    Only a ranking: the item ranked ``k`` of ``n`` gets ``(1/n) sum_{i=k..n} 1/i``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assessment.exceptions import InputError, ParameterError
from assessment.weights.matrices import check_file_size

__all__ = [
    "METHODS",
    "MethodResult",
    "bwm",
    "bwm_consistency_index",
    "direct_rating",
    "points",
    "rank_order_centroid",
    "read_table",
    "swing",
]

#: Every weighting method a variant can record (AHP's group variants included).
METHODS = ("ahp", "ahp-hierarchy", "bwm", "direct", "points", "swing", "roc", "manual")


@dataclass(frozen=True)
class MethodResult:
    """Weights from one method, with the inputs a variant records.

    Attributes
    ----------
    method
        One of :data:`METHODS`.
    weights
        Item -> weight, summing to 1.
    inputs
        The judgements as given (JSON-ready), recorded in the variant's provenance.
    consistency
        BWM: ``{"xi": ..., "cr": ...}``; empty for methods without one.
    """

    method: str
    weights: pd.Series
    inputs: dict[str, Any]
    consistency: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: method, weights, inputs, consistency."""
        return {
            "method": self.method,
            "weights": {k: float(v) for k, v in self.weights.items()},
            "inputs": self.inputs,
            "consistency": self.consistency,
        }

    def to_text(self) -> str:
        """The weights, one per line, and the consistency when the method has one."""
        width = max(len(str(k)) for k in self.weights.index)
        lines = [f"{k:<{width}}  {v:.4f}" for k, v in self.weights.items()]
        if self.consistency:
            lines.append("")
            lines += [f"{k} = {v:.4f}" for k, v in self.consistency.items()]
        return "\n".join(lines)


def _ratings(values: Mapping[str, float], what: str, *, allow_zero: bool) -> pd.Series:
    if not values:
        raise InputError(f"no {what} given; expected one per item")
    out = {}
    for k, v in values.items():
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise InputError(f"{what} for {k!r}: expected a number; found {v!r}") from None
        if not math.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
            low = "0 or more" if allow_zero else "more than 0"
            raise InputError(f"{what} for {k!r}: expected a number {low}; found {v!r}")
        out[str(k)] = x
    s = pd.Series(out, dtype=float, name="weight")
    if s.sum() <= 0:
        raise InputError(f"every {what} is 0; at least one must be positive")
    return s


def direct_rating(ratings: Mapping[str, float]) -> MethodResult:
    """Weights proportional to ratings on any positive scale (0 drops an item to weight 0)."""
    s = _ratings(ratings, "rating", allow_zero=True)
    return MethodResult("direct", s / s.sum(), {"ratings": s.to_dict()})


def points(allocation: Mapping[str, float], total: float = 100.0) -> MethodResult:
    """Weights from a points allocation that must add up to ``total`` (100 by default)."""
    s = _ratings(allocation, "points", allow_zero=True)
    if not math.isclose(s.sum(), total, rel_tol=0, abs_tol=1e-6):
        raise InputError(
            f"points must add up to {total:g}; found {s.sum():g} "
            f"({'add' if s.sum() < total else 'remove'} {abs(total - s.sum()):g})"
        )
    return MethodResult("points", s / s.sum(), {"points": s.to_dict(), "total": total})


def swing(swings: Mapping[str, float]) -> MethodResult:
    """Swing weights: the most important swing is 100, the others 0-100 against it."""
    s = _ratings(swings, "swing", allow_zero=True)
    if s.max() != 100 or (s > 100).any():
        raise InputError(
            f"swing weighting gives the most important swing 100 and the others 0-100; found "
            f"a largest value of {s.max():g}"
        )
    return MethodResult("swing", s / s.sum(), {"swings": s.to_dict()})


def rank_order_centroid(ranking: Sequence[str]) -> MethodResult:
    """Rank-order centroid weights from a ranking, most important first."""
    items = [str(i) for i in ranking]
    if not items:
        raise InputError("no ranking given; list the items, most important first")
    dupes = sorted({i for i in items if items.count(i) > 1})
    if dupes:
        raise InputError(f"the ranking lists {dupes} more than once; each item needs one place")
    n = len(items)
    w = [sum(1 / i for i in range(k, n + 1)) / n for k in range(1, n + 1)]
    return MethodResult("roc", pd.Series(w, index=items, name="weight"), {"ranking": items})


def bwm_consistency_index(a_bw: float) -> float:
    """Rezaei's (2015) consistency index: the largest ``xi*`` for a best-over-worst ``a_BW``."""
    if a_bw < 1:
        raise ParameterError(f"a_BW must be at least 1; found {a_bw}")
    return ((1 + 2 * a_bw) - math.sqrt(1 + 8 * a_bw)) / 2


def _feasible(b: int, wst: int, a_b: np.ndarray, a_w: np.ndarray, xi: float) -> np.ndarray | None:
    """Weights meeting every BWM constraint within ``xi``, or None (one linear programme)."""
    from scipy.optimize import linprog  # local: scipy is heavy

    n = len(a_b)
    rows = []
    for j in range(n):
        if j != b:  # |w_B - a_Bj w_j| <= xi w_j
            r = np.zeros(n)
            r[b], r[j] = 1, -a_b[j] - xi
            rows.append(r)
            r = np.zeros(n)
            r[b], r[j] = -1, a_b[j] - xi
            rows.append(r)
        if j != wst:  # |w_j - a_jW w_W| <= xi w_W
            r = np.zeros(n)
            r[j], r[wst] = 1, -a_w[j] - xi
            rows.append(r)
            r = np.zeros(n)
            r[j], r[wst] = -1, a_w[j] - xi
            rows.append(r)
    res = linprog(
        np.zeros(n),
        A_ub=np.array(rows),
        b_ub=np.zeros(len(rows)),
        A_eq=np.ones((1, n)),
        b_eq=[1.0],
        bounds=[(1e-9, 1)] * n,
        method="highs",
    )
    return res.x if res.status == 0 else None


def bwm(
    best_to_others: Mapping[str, float],
    others_to_worst: Mapping[str, float],
    *,
    tolerance: float = 1e-9,
) -> MethodResult:
    """Best-Worst Method weights (Rezaei 2015, non-linear model, solved exactly).

    Parameters
    ----------
    best_to_others
        ``a_Bj``: how much more important the best item is than each item (1 for itself).
    others_to_worst
        ``a_jW``: how much more important each item is than the worst (1 for itself).
    tolerance
        Bisection stops when ``xi`` is known to this precision.

    Returns
    -------
    MethodResult
        ``consistency`` holds ``xi`` (the optimum), ``ci`` and ``cr = xi / CI(a_BW)``.

    Raises
    ------
    InputError
        Items that differ between the two vectors, values off the 1-9 scale, or not exactly
        one best (``a_Bj = 1`` only for itself) and one worst.
    """
    a = _ratings(best_to_others, "best-to-others judgement", allow_zero=False)
    b = _ratings(others_to_worst, "others-to-worst judgement", allow_zero=False)
    if set(a.index) != set(b.index):
        raise InputError(
            f"the best-to-others items {sorted(a.index)} differ from the others-to-worst items "
            f"{sorted(b.index)}; both must list every item"
        )
    b = b[a.index]
    off = [k for k, v in {**a.to_dict(), **b.to_dict()}.items() if not 1 <= v <= 9]
    if off:
        raise InputError(f"BWM judgements lie on 1-9; {off} are off the scale")
    best_ids = [k for k in a.index if a[k] == 1 and b[k] == b.max()]
    worst_ids = [k for k in a.index if b[k] == 1 and a[k] == a.max()]
    if not best_ids or not worst_ids:
        raise InputError(
            "BWM needs one best item (1 in best-to-others, the highest others-to-worst) and one "
            "worst item (1 in others-to-worst, the highest best-to-others)"
        )
    ids = list(a.index)
    ib, iw = ids.index(best_ids[0]), ids.index(worst_ids[0])
    av, bv = a.to_numpy(), b.to_numpy()
    lo, hi = 0.0, max(av.max(), bv.max())
    w = _feasible(ib, iw, av, bv, hi)
    if w is None:  # pragma: no cover - xi = the largest judgement is always feasible
        raise InputError("the BWM judgements have no solution")
    if (found := _feasible(ib, iw, av, bv, 0.0)) is not None:
        w, hi = found, 0.0
    while hi - lo > tolerance:
        mid = (lo + hi) / 2
        found = _feasible(ib, iw, av, bv, mid)
        if found is None:
            lo = mid
        else:
            w, hi = found, mid
    ci = bwm_consistency_index(float(av[iw]))
    weights = pd.Series(w / w.sum(), index=ids, name="weight")
    return MethodResult(
        "bwm",
        weights,
        {
            "best": ids[ib],
            "worst": ids[iw],
            "best_to_others": a.to_dict(),
            "others_to_worst": b.to_dict(),
        },
        {"xi": float(hi), "ci": ci, "cr": float(hi / ci) if ci > 0 else 0.0},
    )


def read_table(
    path: str | Path,
    columns: Sequence[str],
    *,
    known_ids: Sequence[str] | None = None,
    numeric: bool = True,
) -> pd.DataFrame:
    """Read a small CSV of per-item values: an ``id`` column and ``columns`` of numbers.

    With ``numeric=False`` the columns hold non-empty text (a cluster name) instead.

    Raises
    ------
    InputError
        Unreadable file, a missing column, a duplicate or unknown id, or a cell that is not
        a number (or fraction such as ``1/3``), naming the row and column.
    """
    from fractions import Fraction

    source = Path(path)
    check_file_size(source)
    try:
        frame = pd.read_csv(source, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    except FileNotFoundError:
        raise InputError(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{source}: cannot be read as a CSV ({exc})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    need = ["id", *columns]
    missing = [c for c in need if c not in frame.columns]
    if missing:
        raise InputError(
            f"{source}: expected columns {need}; missing {missing} (found {list(frame.columns)})"
        )
    out = {}
    for row, rec in enumerate(frame.to_dict(orient="records"), start=2):
        ident = str(rec["id"]).strip()
        if not ident:
            raise InputError(f"{source}, row {row}, column 'id': expected an id; found blank")
        if ident in out:
            raise InputError(f"{source}, row {row}, column 'id': {ident!r} is listed twice")
        if known_ids is not None and ident not in set(known_ids):
            raise InputError(
                f"{source}, row {row}, column 'id': unknown id {ident!r}; expected one of "
                f"{list(known_ids)}"
            )
        values = []
        for col in columns:
            cell = str(rec[col]).strip()
            if not numeric:
                if not cell:
                    raise InputError(f"{source}, row {row}, column {col!r}: expected a value")
                values.append(cell)
                continue
            try:
                values.append(float(Fraction(cell)))
            except (ValueError, ZeroDivisionError):
                raise InputError(
                    f"{source}, row {row}, column {col!r}: expected a number; found {cell!r}"
                ) from None
        out[ident] = values
    return pd.DataFrame.from_dict(out, orient="index", columns=list(columns))
