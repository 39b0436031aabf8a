r"""Deriving dimension weights: the Analytic Hierarchy Process, and saving rubric variants.

AHP (Saaty 1977, 1980) turns pairwise judgements "how much more does ``i`` matter than ``j``?"
on the 1-9 scale into weights:

* a comparison matrix ``A`` is square, positive and reciprocal (``a_ji = 1 / a_ij``,
  ``a_ii = 1``);
* the weights ``w`` are its principal (Perron) eigenvector, normalised to sum 1:
  ``A w = lambda_max w``;
* ``lambda_max >= n`` with equality exactly when the judgements are consistent
  (``a_ij = w_i / w_j`` for all pairs), so the consistency index is
  ``CI = (lambda_max - n) / (n - 1)`` and the consistency ratio ``CR = CI / RI_n`` compares it
  with Saaty's random index ``RI_n`` (the mean CI of random reciprocal matrices).  A CR of 0.10
  or more is flagged: the judgements should be revisited;
* the *most inconsistent judgement* is the pair ``(i, j)`` whose judgement departs most from
  the ratio the weights imply: ``argmax |log(a_ij w_j / w_i)|``;
* several experts are combined by the element-wise geometric mean of their matrices
  (aggregation of individual judgements, Forman & Peniwati 1998), which keeps the result
  reciprocal;
* a hierarchy (clusters of dimensions, then dimensions within each cluster) gives each
  dimension ``w_cluster x w_within``.  It keeps each matrix small (Saaty's 7 +/- 2), which makes
  consistent judgements far easier than one 11 x 11 matrix.

Tuned weights are shipped as a *rubric variant* (:func:`save_variant`): the same rubric with
the new weights, a version bump and ``provenance`` naming the parent's id, version and content
hash and the analyst's note.  :func:`diff_rubrics` lists what differs between two rubrics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from assessment.exceptions import InputError, ParameterError
from assessment.files import atomic_write_text
from assessment.rubric import Rubric, dump_rubric

__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "SAATY_VALUES",
    "AHPResult",
    "HierarchyResult",
    "RubricChange",
    "ahp",
    "ahp_group",
    "ahp_hierarchy",
    "combine_judgements",
    "consistent_matrix",
    "diff_rubrics",
    "matrix_from_judgements",
    "read_matrix",
    "save_variant",
]

#: Saaty's random consistency index RI_n: the mean CI of random reciprocal matrices of order n
#: (Saaty 1980, *The Analytic Hierarchy Process*, table 1.7; n = 11..15 from the extended
#: table).  n <= 2 matrices are always consistent.
RANDOM_INDEX: Mapping[int, float] = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
    11: 1.51,
    12: 1.48,
    13: 1.56,
    14: 1.57,
    15: 1.59,
}

#: A consistency ratio at or above this is flagged (Saaty's 10 % rule).
CR_THRESHOLD = 0.10

#: The values of Saaty's fundamental scale and their reciprocals, lowest first.
SAATY_VALUES: tuple[float, ...] = tuple([1 / k for k in range(9, 1, -1)] + list(range(1, 10)))

# Judgements typed as decimals (0.33 for 1/3, 0.14 for 1/7) are reciprocal only roughly; 5 %
# accepts two-decimal rounding but still catches a 3 entered where 1/3 was meant.
_RECIPROCAL_TOLERANCE = math.log(1.05)
_SCALE_SLACK = 1.05


# -- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AHPResult:
    """Weights and consistency of one comparison matrix.

    Attributes
    ----------
    matrix
        The (validated, exactly reciprocal) comparison matrix, ids as index and columns.
    weights
        The principal eigenvector, normalised to sum 1, indexed by id.
    lambda_max, ci, cr, ri
        Principal eigenvalue, consistency index, consistency ratio and the random index used.
    n_experts
        How many matrices were combined (geometric mean) into ``matrix``.
    """

    matrix: pd.DataFrame
    weights: pd.Series
    lambda_max: float
    ci: float
    cr: float
    ri: float
    n_experts: int = 1

    @property
    def ids(self) -> list[str]:
        """The compared items, in matrix order."""
        return list(self.matrix.index)

    @property
    def consistent(self) -> bool:
        """True when ``cr`` is below :data:`CR_THRESHOLD` (0.10)."""
        return self.cr < CR_THRESHOLD

    def judgements(self) -> pd.DataFrame:
        """Every judgement above the diagonal with its departure from the weights.

        Returns
        -------
        pandas.DataFrame
            Columns ``row, column, judgement, implied, error, suggestion``: the judgement
            ``a_ij``, the ratio ``w_i / w_j`` the weights imply, ``error = |log(a_ij w_j/w_i)|``
            and the Saaty value closest (on a log scale) to the implied ratio.  Sorted by
            decreasing error, so the first row is the most inconsistent judgement.
        """
        a = self.matrix.to_numpy()
        w = self.weights.to_numpy()
        i, j = np.triu_indices(len(w), k=1)
        implied = w[i] / w[j]
        error = np.abs(np.log(a[i, j] / implied))
        scale = np.array(SAATY_VALUES)
        nearest = scale[np.abs(np.log(implied)[:, None] - np.log(scale)[None, :]).argmin(axis=1)]
        ids = np.array(self.ids, dtype=object)
        out = pd.DataFrame(
            {
                "row": ids[i],
                "column": ids[j],
                "judgement": a[i, j],
                "implied": implied,
                "error": error,
                "suggestion": nearest,
            }
        )
        return out.sort_values("error", ascending=False, kind="stable").reset_index(drop=True)

    @property
    def most_inconsistent(self) -> tuple[str, str, float, float] | None:
        """``(row, column, judgement, implied ratio)`` of the worst judgement (None if n < 2)."""
        table = self.judgements()
        if table.empty:
            return None
        top = table.iloc[0]
        return str(top["row"]), str(top["column"]), float(top["judgement"]), float(top["implied"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: ``weights`` (id -> weight), ``lambda_max``, ``ci``, ``cr`` ..."""
        worst = self.most_inconsistent
        return {
            "weights": {k: float(v) for k, v in self.weights.items()},
            "lambda_max": float(self.lambda_max),
            "ci": float(self.ci),
            "cr": float(self.cr),
            "ri": float(self.ri),
            "consistent": self.consistent,
            "n_experts": self.n_experts,
            "most_inconsistent": None
            if worst is None
            else {"row": worst[0], "column": worst[1], "judgement": worst[2], "implied": worst[3]},
        }

    def to_text(self) -> str:
        """A short plain-text report: weights, lambda_max, CI, CR and the worst judgement."""
        width = max(len(i) for i in self.ids)
        lines = [f"{k:<{width}}  {v:.4f}" for k, v in self.weights.items()]
        flag = "ok" if self.consistent else f"INCONSISTENT (>= {CR_THRESHOLD:.2f})"
        experts = f", {self.n_experts} experts (geometric mean)" if self.n_experts > 1 else ""
        lines += [
            "",
            f"n = {len(self.ids)}{experts}",
            f"lambda_max = {self.lambda_max:.4f}",
            f"CI = {self.ci:.4f}",
            f"CR = {self.cr:.4f}  {flag}",
        ]
        worst = self.most_inconsistent
        if worst is not None and not self.consistent:
            table = self.judgements().iloc[0]
            lines.append(
                f"most inconsistent judgement: {worst[0]} vs {worst[1]} = {_fmt(worst[2])}; "
                f"the weights imply {worst[3]:.2f} (nearest scale value "
                f"{_fmt(float(table['suggestion']))})"
            )
        return "\n".join(lines)


@dataclass(frozen=True)
class HierarchyResult:
    """Weights from a two-level hierarchy: clusters, then items within each cluster.

    Attributes
    ----------
    weights
        Global weight of every item: cluster weight x weight within the cluster (sums to 1).
    clusters
        The AHP of the cluster matrix.
    within
        The AHP of each cluster's matrix (clusters of one item have none).
    """

    weights: pd.Series
    clusters: AHPResult
    within: Mapping[str, AHPResult] = field(default_factory=dict)

    @property
    def consistent(self) -> bool:
        """True when every matrix of the hierarchy has CR < 0.10."""
        return self.clusters.consistent and all(r.consistent for r in self.within.values())

    def consistency(self) -> pd.DataFrame:
        """One row per matrix: ``matrix`` (``"clusters"`` or the cluster id), n, lambda_max, CI,
        CR, consistent."""
        rows = [("clusters", self.clusters), *self.within.items()]
        return pd.DataFrame(
            [
                {
                    "matrix": name,
                    "n": len(r.ids),
                    "lambda_max": r.lambda_max,
                    "ci": r.ci,
                    "cr": r.cr,
                    "consistent": r.consistent,
                }
                for name, r in rows
            ]
        )


def _fmt(x: float) -> str:
    """A judgement as people write it: ``3``, ``1/5``, ``2.5``."""
    if x >= 1:
        return f"{x:g}" if abs(x - round(x)) > 1e-9 else str(round(x))
    inv = 1 / x
    return f"1/{round(inv)}" if abs(inv - round(inv)) < 1e-9 else f"{x:.3g}"


# -- validation --------------------------------------------------------------------------------


def _parse_cell(value: Any) -> float:
    """A judgement from a cell: a number, or a fraction such as ``1/3``; blank is NaN."""
    if value is None:
        return math.nan
    if isinstance(value, int | float | np.number):
        return float(value)
    text = str(value).strip()
    if not text:
        return math.nan
    try:
        return float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        if text.lower() in {"nan", "na"}:
            return math.nan
        raise ValueError(text) from None


def _check_ids(ids: Sequence[Any], source: str, known: Sequence[str] | None) -> list[str]:
    out = [str(i).strip() for i in ids]
    dupes = sorted({i for i in out if out.count(i) > 1})
    if dupes:
        raise InputError(f"{source}: ids must be unique; found {dupes} more than once")
    if any(not i for i in out):
        raise InputError(f"{source}: an id is empty; every row and column needs an id")
    if known is not None:
        unknown = [i for i in out if i not in set(known)]
        if unknown:
            raise InputError(f"{source}: unknown id(s) {unknown}; expected ids among {list(known)}")
    return out


def validate_matrix(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    ids: Sequence[str] | None = None,
    *,
    known_ids: Sequence[str] | None = None,
    source: str = "comparison matrix",
) -> pd.DataFrame:
    """Check a pairwise comparison matrix and return it exactly reciprocal.

    Parameters
    ----------
    matrix
        A square table of judgements ``a_ij`` (how much more ``i`` matters than ``j``).  A
        DataFrame carries its ids (index and columns must list the same ids, in any order);
        otherwise give ``ids``.  Cells may be numbers or fraction strings (``"1/3"``).  A blank
        (NaN) cell is filled with the reciprocal of its mirror, so the upper triangle alone is
        enough; a blank diagonal is 1.
    ids
        Item ids for an array input (default ``item1 .. itemN``).
    known_ids
        When given, every id must be one of these (e.g. the rubric's dimension ids).
    source
        How to name the matrix in error messages (a file name).

    Returns
    -------
    pandas.DataFrame
        Float matrix indexed by id.  Judgements typed as rounded decimals (0.33 for 1/3) are
        made exactly reciprocal by the geometric mean ``sqrt(a_ij / a_ji)``.

    Raises
    ------
    InputError
        Not square, ids that differ between rows and columns, duplicate or unknown ids,
        non-numeric, non-positive or off-scale values (outside 1/9 .. 9), a diagonal other than
        1, or judgements that are not reciprocal (``a_ij a_ji`` off 1 by more than 5 %).
    """
    if isinstance(matrix, pd.DataFrame):
        rows = _check_ids(list(matrix.index), f"{source} (first column)", known_ids)
        cols = _check_ids(list(matrix.columns), f"{source} (header row)", known_ids)
        if len(rows) != len(cols):
            raise InputError(
                f"{source}: a comparison matrix must be square; found {len(rows)} rows and "
                f"{len(cols)} columns"
            )
        if set(rows) != set(cols):
            raise InputError(
                f"{source}: the first column must list the same ids as the header row; "
                f"header has {cols}, first column has {rows}"
            )
        raw = matrix.to_numpy(dtype=object)
        order = [rows.index(c) for c in cols]
        raw = raw[order]
        labels = cols
    else:
        raw = np.asarray(matrix, dtype=object)
        if raw.ndim != 2 or raw.shape[0] != raw.shape[1]:
            raise InputError(
                f"{source}: a comparison matrix must be square; found shape {raw.shape}"
            )
        labels = list(ids) if ids is not None else [f"item{k + 1}" for k in range(raw.shape[0])]
        labels = _check_ids(labels, source, known_ids)
        if len(labels) != raw.shape[0]:
            raise InputError(
                f"{source}: {len(labels)} ids for a {raw.shape[0]} x {raw.shape[0]} matrix"
            )
    n = len(labels)
    if n == 0:
        raise InputError(f"{source}: the matrix is empty; expected at least one item")
    a = np.empty((n, n))
    for r in range(n):  # cells are parsed one by one: n <= 15, and each may be "1/3" text
        for c in range(n):
            try:
                a[r, c] = _parse_cell(raw[r, c])
            except ValueError:
                raise InputError(
                    f"{source}: row {labels[r]!r}, column {labels[c]!r}: expected a number or a "
                    f"fraction such as 1/3; found {raw[r, c]!r}"
                ) from None
    diag = np.diag(a).copy()
    bad_diag = [labels[k] for k in range(n) if not (np.isnan(diag[k]) or abs(diag[k] - 1) < 1e-9)]
    if bad_diag:
        k = labels.index(bad_diag[0])
        raise InputError(
            f"{source}: row {bad_diag[0]!r}, column {bad_diag[0]!r}: an item compared with "
            f"itself must be 1; found {_fmt_found(a[k, k])}"
        )
    np.fill_diagonal(a, 1.0)
    with np.errstate(invalid="ignore"):
        bad = np.argwhere(~np.isnan(a) & ~(a > 0))
    if len(bad):
        r, c = bad[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r}: judgements must be positive "
            f"(1/9 .. 9 on Saaty's scale); found {_fmt_found(a[r, c])}"
        )
    off = np.argwhere((a > 9 * _SCALE_SLACK) | (a < 1 / (9 * _SCALE_SLACK)))
    if len(off):
        r, c = off[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r}: judgements must lie on "
            f"Saaty's scale, 1/9 .. 9; found {_fmt_found(a[r, c])}"
        )
    missing = np.isnan(a)
    both = missing & missing.T
    if both.any():
        r, c = np.argwhere(both)[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r}: no judgement (the cell and its "
            f"mirror, row {labels[c]!r}, column {labels[r]!r}, are both blank)"
        )
    a = np.where(missing, 1.0 / a.T, a)
    mismatch = np.abs(np.log(a * a.T)) > _RECIPROCAL_TOLERANCE
    if mismatch.any():
        r, c = np.argwhere(np.triu(mismatch, 1))[0]
        raise InputError(
            f"{source}: row {labels[r]!r}, column {labels[c]!r} is {_fmt_found(a[r, c])} but "
            f"row {labels[c]!r}, column {labels[r]!r} is {_fmt_found(a[c, r])}; expected "
            f"reciprocals (a_ji = 1/a_ij, here {_fmt_found(1 / a[r, c])})"
        )
    exact = np.sqrt(a / a.T)
    return pd.DataFrame(exact, index=labels, columns=labels)


def _fmt_found(x: float) -> str:
    return "blank" if np.isnan(x) else f"{x:.4g}"


# -- AHP ---------------------------------------------------------------------------------------


def random_index(n: int) -> float:
    """Saaty's random index for an ``n x n`` matrix (:data:`RANDOM_INDEX`).

    Raises
    ------
    ParameterError
        For ``n > 15``, where no published index exists (split the items into clusters).
    """
    if n not in RANDOM_INDEX:
        raise ParameterError(
            f"no random index for {n} items (Saaty's table covers 1-15); compare the items in "
            "clusters instead (ahp_hierarchy)"
        )
    return RANDOM_INDEX[n]


def _principal(a: np.ndarray) -> tuple[np.ndarray, float]:
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    # Perron-Frobenius: the principal eigenvector of a positive matrix has one sign.
    w = np.abs(vectors[:, k].real)
    return w / w.sum(), float(values[k].real)


def ahp(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    ids: Sequence[str] | None = None,
    *,
    known_ids: Sequence[str] | None = None,
    source: str = "comparison matrix",
) -> AHPResult:
    """Weights, lambda_max, CI and CR of one pairwise comparison matrix.

    Parameters
    ----------
    matrix, ids, known_ids, source
        As for :func:`validate_matrix`.

    Returns
    -------
    AHPResult
        ``weights`` sum to 1; ``cr >= 0.10`` means the judgements should be revisited
        (``result.most_inconsistent`` names the pair to look at first).

    Examples
    --------
    >>> r = ahp([[1, 3], ["1/3", 1]], ids=["care", "crisis"])
    >>> r.weights.round(2).to_dict()
    {'care': 0.75, 'crisis': 0.25}
    """
    a = validate_matrix(matrix, ids, known_ids=known_ids, source=source)
    return _ahp_of(a, n_experts=1)


def _ahp_of(a: pd.DataFrame, n_experts: int) -> AHPResult:
    n = len(a)
    w, lam = _principal(a.to_numpy())
    # lambda_max >= n in exact arithmetic; clip the rounding residue of consistent matrices.
    lam = max(lam, float(n))
    ci = (lam - n) / (n - 1) if n > 1 else 0.0
    ri = random_index(n)
    cr = ci / ri if ri > 0 else 0.0
    return AHPResult(
        matrix=a,
        weights=pd.Series(w, index=a.index, name="weight"),
        lambda_max=lam,
        ci=ci,
        cr=cr,
        ri=ri,
        n_experts=n_experts,
    )


def combine_judgements(
    matrices: Sequence[pd.DataFrame | np.ndarray],
    *,
    ids: Sequence[str] | None = None,
    known_ids: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Combine several experts' matrices by the element-wise geometric mean.

    The geometric mean of reciprocal matrices is reciprocal, and it is the only averaging of
    judgements that respects that symmetry (Aczél & Saaty 1983).

    Parameters
    ----------
    matrices
        One comparison matrix per expert; they must compare the same ids (order may differ).
    ids, known_ids
        As for :func:`validate_matrix`.
    sources
        Names of the matrices for error messages (file names).

    Raises
    ------
    InputError
        No matrices, an invalid matrix, or matrices over different ids.
    """
    if not matrices:
        raise InputError("no comparison matrices given; expected at least one")
    names = list(sources) if sources else [f"matrix {k + 1}" for k in range(len(matrices))]
    checked = [
        validate_matrix(m, ids, known_ids=known_ids, source=s)
        for m, s in zip(matrices, names, strict=True)
    ]
    first = list(checked[0].index)
    for m, s in zip(checked[1:], names[1:], strict=True):
        if set(m.index) != set(first):
            raise InputError(
                f"{s}: compares {sorted(m.index)} but {names[0]} compares {sorted(first)}; "
                "every expert must compare the same ids"
            )
    logs = np.stack([np.log(m.loc[first, first].to_numpy()) for m in checked])
    return pd.DataFrame(np.exp(logs.mean(axis=0)), index=first, columns=first)


def ahp_group(
    matrices: Sequence[pd.DataFrame | np.ndarray],
    *,
    ids: Sequence[str] | None = None,
    known_ids: Sequence[str] | None = None,
    sources: Sequence[str] | None = None,
) -> AHPResult:
    """AHP of several experts' judgements combined by geometric mean (:func:`combine_judgements`).

    One matrix gives the same result as :func:`ahp`.
    """
    combined = combine_judgements(matrices, ids=ids, known_ids=known_ids, sources=sources)
    return _ahp_of(combined, n_experts=len(matrices))


def ahp_hierarchy(
    cluster_matrix: pd.DataFrame,
    members: Mapping[str, Sequence[str]],
    within: Mapping[str, pd.DataFrame | Sequence[pd.DataFrame]],
    *,
    known_ids: Sequence[str] | None = None,
) -> HierarchyResult:
    """Weights from clusters of items, then items within each cluster.

    Parameters
    ----------
    cluster_matrix
        Comparison of the clusters (ids = cluster ids).
    members
        Cluster id -> the item ids it contains; every item in exactly one cluster.
    within
        Cluster id -> the comparison matrix of its members, or a list of matrices (several
        experts, combined by geometric mean).  A cluster of one item needs none.
    known_ids
        When given, every item must be one of these, and all of them must be covered
        (e.g. the rubric's dimension ids).

    Returns
    -------
    HierarchyResult
        Global weights ``w_cluster x w_within`` in the order of ``members``.

    Raises
    ------
    InputError
        Mismatched clusters, items in two clusters, missing matrices, or invalid matrices.
    """
    top = ahp(cluster_matrix, known_ids=list(members), source="cluster matrix")
    missing_clusters = sorted(set(members) - set(top.ids))
    if missing_clusters:
        raise InputError(f"cluster matrix: clusters {missing_clusters} are not compared")
    items = [i for c in members for i in members[c]]
    dupes = sorted({i for i in items if items.count(i) > 1})
    if dupes:
        raise InputError(f"items {dupes} are in more than one cluster; each belongs to one")
    if known_ids is not None:
        unknown = sorted(set(items) - set(known_ids))
        if unknown:
            raise InputError(f"unknown item(s) {unknown}; expected ids among {list(known_ids)}")
        uncovered = [k for k in known_ids if k not in set(items)]
        if uncovered:
            raise InputError(f"items {uncovered} are in no cluster; every item needs one")
    extra = sorted(set(within) - set(members))
    if extra:
        raise InputError(f"matrices given for unknown cluster(s) {extra}")
    local: dict[str, AHPResult] = {}
    weights: dict[str, float] = {}
    for cluster, ids in members.items():
        if not ids:
            raise InputError(f"cluster {cluster!r} has no items")
        if len(ids) == 1 and cluster not in within:
            weights[ids[0]] = float(top.weights[cluster])
            continue
        if cluster not in within:
            raise InputError(
                f"cluster {cluster!r} has {len(ids)} items {list(ids)} but no comparison matrix"
            )
        given = within[cluster]
        mats = list(given) if isinstance(given, list | tuple) else [given]
        res = ahp_group(mats, known_ids=list(ids), sources=[f"cluster {cluster!r}"] * len(mats))
        if set(res.ids) != set(ids):
            raise InputError(
                f"cluster {cluster!r}: the matrix compares {sorted(res.ids)}; expected its "
                f"members {sorted(ids)}"
            )
        local[cluster] = res
        for item in ids:
            weights[item] = float(top.weights[cluster] * res.weights[item])
    series = pd.Series(weights, name="weight")[items]
    return HierarchyResult(weights=series / series.sum(), clusters=top, within=local)


def consistent_matrix(weights: Mapping[str, float] | pd.Series) -> pd.DataFrame:
    """The perfectly consistent matrix ``a_ij = w_i / w_j`` of some weights.

    Its AHP weights are ``weights`` (normalised), lambda_max = n and CR = 0; a starting point
    for judgements that agree with the current rubric.
    """
    w = pd.Series(weights, dtype=float)
    if (w <= 0).any() or w.empty:
        raise ParameterError("weights must be positive to form a comparison matrix")
    v = w.to_numpy()
    return pd.DataFrame(v[:, None] / v[None, :], index=w.index, columns=w.index)


def matrix_from_judgements(
    ids: Sequence[str], judgements: Mapping[tuple[str, str], float]
) -> pd.DataFrame:
    """A full matrix from judgements on pairs ``{(i, j): a_ij}`` (unlisted pairs are 1).

    Each pair needs giving once; its mirror is the reciprocal.  This is what the notebook's
    entry grid (upper triangle) produces.
    """
    index = {k: n for n, k in enumerate(ids)}
    a = np.ones((len(ids), len(ids)))
    for (i, j), value in judgements.items():
        if i not in index or j not in index:
            raise ParameterError(f"judgement on unknown pair ({i!r}, {j!r}); ids are {list(ids)}")
        if not value > 0:
            raise ParameterError(f"judgement {i!r} vs {j!r} must be positive; found {value!r}")
        a[index[i], index[j]] = value
        a[index[j], index[i]] = 1.0 / value
    return pd.DataFrame(a, index=list(ids), columns=list(ids))


def read_matrix(path: str | Path, *, known_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Read a comparison matrix CSV: a header row of ids and the same ids as first column.

    Cells hold numbers or fractions (``1/3``); the lower triangle may be left blank.

    Raises
    ------
    InputError
        Unreadable file or an invalid matrix (see :func:`validate_matrix`).
    """
    path = Path(path)
    try:
        frame = pd.read_csv(
            path, dtype=str, index_col=0, encoding="utf-8-sig", keep_default_na=False
        )
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: cannot be read as a CSV comparison matrix ({exc})") from None
    return validate_matrix(frame, known_ids=known_ids, source=str(path))


# -- rubric variants ---------------------------------------------------------------------------


def save_variant(
    rubric: Rubric,
    weights: Mapping[str, float] | pd.Series,
    path: str | Path,
    *,
    note: str | None = None,
    version: str | None = None,
    created: str | None = None,
) -> Rubric:
    """Save ``rubric`` with new dimension weights as a new rubric file (a *variant*).

    Parameters
    ----------
    rubric
        The parent rubric.
    weights
        Dimension id -> weight, for every dimension (normalised to sum 1).
    path
        Where to write the YAML (written atomically).
    note
        The analyst's note: why these weights (recorded in ``provenance.note``).
    version
        Version of the variant (default: the parent's, last number bumped: 1.0.0 -> 1.0.1).
    created
        Creation date recorded in ``provenance.created`` (default: today, ISO format).

    Returns
    -------
    Rubric
        The variant as written; ``load_rubric(path)`` gives an equal rubric.

    Raises
    ------
    ParameterError
        Weights missing for some dimensions, unknown ids, or non-positive weights.
    """
    w = {str(k): float(v) for k, v in dict(weights).items()}
    ids = [d.id for d in rubric.dimensions]
    unknown = sorted(set(w) - set(ids))
    missing = [d for d in ids if d not in w]
    if unknown or missing:
        raise ParameterError(
            f"a variant needs a weight for every dimension: unknown {unknown}, missing {missing}"
        )
    bad = {k: v for k, v in w.items() if not (math.isfinite(v) and v > 0)}
    if bad:
        raise ParameterError(f"weights must be positive numbers; found {bad}")
    variant = rubric.with_weights(w, version=version, note=note)
    data = variant.model_dump(mode="json")
    data["provenance"]["created"] = created or date.today().isoformat()
    variant = Rubric.model_validate(data)
    atomic_write_text(path, dump_rubric(variant))
    return variant


@dataclass(frozen=True)
class RubricChange:
    """One difference between two rubrics: ``path`` (ids in brackets), old and new values."""

    path: str
    kind: str  # "changed" | "added" | "removed"
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        if self.kind == "added":
            return f"+ {self.path}: {_short(self.new)}"
        if self.kind == "removed":
            return f"- {self.path}: {_short(self.old)}"
        return f"~ {self.path}: {_short(self.old)} -> {_short(self.new)}"


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value) if not isinstance(value, float) else f"{value:.6g}"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    # Lists of items with ids are keyed by id, so inserting a dimension is one "added" line
    # rather than every later position "changed".
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(v, f"{prefix}.{k}" if prefix else str(k), out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        key = "id" if all("id" in v for v in value) else None
        key = key or ("level" if all("level" in v for v in value) else None)
        for pos, v in enumerate(value):
            label = f"{v[key]}" if key else str(pos)
            _flatten(v, f"{prefix}[{label}]", out)
    else:
        out[prefix] = value


def diff_rubrics(a: Rubric, b: Rubric) -> list[RubricChange]:
    """What changed from rubric ``a`` to rubric ``b``.

    Returns
    -------
    list of RubricChange
        Weight changes first (the usual reason for a variant), then every other difference in
        document order; empty when the rubrics are equal.
    """
    fa: dict[str, Any] = {}
    fb: dict[str, Any] = {}
    _flatten(a.model_dump(mode="json"), "", fa)
    _flatten(b.model_dump(mode="json"), "", fb)
    changes = []
    for key in list(fa) + [k for k in fb if k not in fa]:
        if key not in fb:
            changes.append(RubricChange(key, "removed", old=fa[key]))
        elif key not in fa:
            changes.append(RubricChange(key, "added", new=fb[key]))
        elif fa[key] != fb[key] and not (
            isinstance(fa[key], float)
            and isinstance(fb[key], float)
            and math.isclose(fa[key], fb[key], rel_tol=0, abs_tol=1e-12)
        ):
            changes.append(RubricChange(key, "changed", old=fa[key], new=fb[key]))
    return sorted(changes, key=lambda c: 0 if c.path.endswith(".weight") else 1)
