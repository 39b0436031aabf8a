r"""The Analytic Hierarchy Process: dimension weights from pairwise judgements.

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
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from assessment.exceptions import InputError, ParameterError
from assessment.weights.matrices import validate_matrix

__all__ = [
    "CR_THRESHOLD",
    "RANDOM_INDEX",
    "SAATY_VALUES",
    "AHPResult",
    "HierarchyResult",
    "ahp",
    "ahp_group",
    "ahp_hierarchy",
    "combine_judgements",
    "random_index",
    "row_geometric_mean",
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
        """The consistency of every matrix of the hierarchy, one row each.

        Columns ``matrix`` (``"clusters"`` or the cluster id), ``n``, ``lambda_max``, ``ci``,
        ``cr`` and ``consistent``.
        """
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


def row_geometric_mean(
    matrix: pd.DataFrame | np.ndarray | Sequence[Sequence[Any]],
    ids: Sequence[str] | None = None,
    *,
    known_ids: Sequence[str] | None = None,
    source: str = "comparison matrix",
) -> pd.Series:
    """Weights by the row geometric mean (RGMM, logarithmic least squares).

    The toolkit's weights are the principal eigenvector (:func:`ahp`); the row geometric mean
    is the other prioritisation in common use (Crawford & Williams 1985), and the one much of
    the group-AHP literature prints.  It is offered to check a result against such a source:
    the two agree exactly for 3 x 3 matrices and for consistent ones, and closely otherwise.
    Under it, AIJ and AIP give the same group weights (Barzilai & Golany 1994).

    Parameters
    ----------
    matrix, ids, known_ids, source
        As for :func:`validate_matrix`.

    Returns
    -------
    pandas.Series
        ``w_i`` proportional to the geometric mean of row ``i``, summing to 1.
    """
    a = validate_matrix(matrix, ids, known_ids=known_ids, source=source)
    g = np.exp(np.log(a.to_numpy()).mean(axis=1))
    return pd.Series(g / g.sum(), index=a.index, name="weight")


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
