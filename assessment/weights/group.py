r"""Group AHP as practitioners run it: every expert's weights and CR, then the group's.

A panel's judgements are combined in one of two ways (Forman & Peniwati 1998, *Aggregating
individual judgments and priorities with the Analytic Hierarchy Process*, EJOR 108):

* **AIJ**, aggregation of individual judgements: the element-wise geometric mean of the
  experts' matrices, then its principal eigenvector.  For a panel that acts as one unit.
* **AIP**, aggregation of individual priorities: each expert's own eigenvector weights, then
  their (normalised) geometric mean.  For independent stakeholders.

Both keep every expert visible: :class:`GroupResult` carries each expert's
:class:`~assessment.weights.ahp.AHPResult` (weights, CR) and flags every expert at or above
:data:`~assessment.weights.ahp.CR_THRESHOLD`, so a combined "CR 0.021 ok" can no longer hide an
expert at 0.151.  (The geometric mean of matrices is always *more* consistent than the worst of
them; that is why the per-expert figures matter.)

Consensus is Goepel's AHP consensus indicator ``S*`` (Goepel 2013, *Implementing the AHP in
business*, ISAHP; the same formula as his BPMSG AHP online system), built on Shannon entropy
of the experts' priority vectors ``w_k`` (``H(w) = -sum w ln w``):

* ``H_alpha`` the mean of the experts' entropies, ``H_gamma`` the entropy of the mean vector,
  ``H_beta = H_gamma - H_alpha``, and the homogeneity ``M = 1 / exp(H_beta)`` (1 when every
  expert has the same weights, ``1 / K`` for ``K`` experts with disjoint preferences);
* ``S* = (M - M_min) / (1 - M_min)`` with ``M_min = exp(H_alpha,min) / exp(H_gamma,max)``
  the homogeneity of the most extreme disagreement on Saaty's scale: ``H_gamma,max = ln n``
  and ``H_alpha,min`` the entropy of a vector that puts 9 on one item against 1 elsewhere.

Goepel reads ``S*`` below 0.5 as very low consensus, 0.65-0.75 as moderate, above 0.85 as
high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from assessment.exceptions import InputError, ParameterError
from assessment.weights.ahp import CR_THRESHOLD, AHPResult, _ahp_of
from assessment.weights.incomplete import complete_matrix
from assessment.weights.matrices import validate_matrix

__all__ = ["AGGREGATIONS", "GroupResult", "ahp_experts", "consensus_index"]

#: The two ways of combining experts (Forman & Peniwati 1998).
AGGREGATIONS = ("aij", "aip")

Aggregation = Literal["aij", "aip"]


@dataclass(frozen=True)
class GroupResult:
    """A panel's AHP: every expert's result, the group's weights and its consensus.

    Attributes
    ----------
    experts
        Expert name -> that expert's :class:`AHPResult` (a completed matrix when the expert
        left comparisons blank).
    weights
        The group's weights (sum 1), by ``aggregation``.
    aggregation
        ``"aij"`` or ``"aip"``.
    combined
        AIJ: the AHP of the geometric-mean matrix (its CR is the combined matrix's).  AIP: the
        same matrix, kept for reference; the weights are the experts' geometric mean.
    consensus
        Goepel's ``S*`` (0..1, 1 = every expert gave the same weights).
    completed
        Expert name -> the comparisons that expert left blank, as ``{(row, column): value}``
        filled by optimal completion (:func:`~assessment.weights.incomplete.complete_matrix`).
    """

    experts: dict[str, AHPResult]
    weights: pd.Series
    aggregation: str
    combined: AHPResult
    consensus: float
    completed: dict[str, dict[tuple[str, str], float]]

    @property
    def inconsistent_experts(self) -> list[str]:
        """Experts whose CR is at or above 0.10."""
        return [k for k, r in self.experts.items() if not r.consistent]

    @property
    def max_cr(self) -> float:
        """The highest CR of any expert (and of the combined matrix)."""
        return max([r.cr for r in self.experts.values()] + [self.combined.cr])

    @property
    def consistent(self) -> bool:
        """True when every expert and the combined matrix have CR below 0.10."""
        return self.max_cr < CR_THRESHOLD

    def table(self) -> pd.DataFrame:
        """Weights per item: one column per expert, then ``group``; CR as the last row."""
        cols = {k: r.weights for k, r in self.experts.items()}
        out = pd.DataFrame({**cols, "group": self.weights})
        cr = {k: r.cr for k, r in self.experts.items()} | {"group": self.combined.cr}
        out.loc["CR"] = pd.Series(cr)
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready record: group weights, aggregation, consensus, every expert's figures."""
        combined = self.combined.to_dict()  # lambda_max, ci, cr ... of the combined matrix
        return {
            **{k: v for k, v in combined.items() if k != "weights"},
            "aggregation": self.aggregation,
            "weights": {k: float(v) for k, v in self.weights.items()},
            "cr_combined": float(self.combined.cr),
            "consistent": self.consistent,
            "consensus": float(self.consensus),
            "inconsistent_experts": self.inconsistent_experts,
            "experts": {
                k: {
                    "weights": {i: float(v) for i, v in r.weights.items()},
                    "cr": float(r.cr),
                    "consistent": r.consistent,
                    "completed": [
                        {"row": a, "column": b, "value": float(v)}
                        for (a, b), v in self.completed.get(k, {}).items()
                    ],
                }
                for k, r in self.experts.items()
            },
        }

    def to_text(self) -> str:
        """Per-expert weights and CRs, the group's, the consensus and every flag."""
        table = self.table()
        width = max(len(str(i)) for i in table.index)
        names = list(table.columns)
        # Columns as wide as the expert's name: a cut name could be another expert's.
        sizes = [max(10, len(str(n))) for n in names]
        head = " " * width + "".join(f"  {n:>{k}}" for n, k in zip(names, sizes, strict=True))
        lines = [head]
        for item, row in table.iterrows():
            cells = "".join(f"  {v:>{k}.4f}" for v, k in zip(row, sizes, strict=True))
            lines.append(f"{item!s:<{width}}" + cells)
        label = {"aij": "judgements (AIJ)", "aip": "priorities (AIP)"}[self.aggregation]
        lines += [
            "",
            f"{len(self.experts)} expert(s), group = geometric mean of their {label}",
            f"CR of the combined matrix = {self.combined.cr:.4f}; highest expert CR = "
            f"{max(r.cr for r in self.experts.values()):.4f}",
            f"consensus S* = {self.consensus:.3f} ({consensus_reading(self.consensus)})",
        ]
        for name in self.inconsistent_experts:
            r = self.experts[name]
            worst = r.most_inconsistent
            where = f"; most inconsistent: {worst[0]} vs {worst[1]}" if worst else ""
            lines.append(
                f"INCONSISTENT: {name} has CR {r.cr:.3f} (>= {CR_THRESHOLD:.2f}){where}; "
                "revisit these judgements before using the group's weights"
            )
        for name, filled in self.completed.items():
            if filled:
                pairs = ", ".join(f"{a} vs {b} = {v:.3g}" for (a, b), v in filled.items())
                lines.append(f"completed for {name} (blank comparisons): {pairs}")
        return "\n".join(lines)


def consensus_reading(s: float) -> str:
    """Goepel's reading of ``S*``: very low / low / moderate / high / very high."""
    if s < 0.5:
        return "very low"
    if s < 0.65:
        return "low"
    if s < 0.75:
        return "moderate"
    if s < 0.85:
        return "high"
    return "very high"


def _entropy(w: np.ndarray) -> np.ndarray:
    w = np.clip(w, 1e-300, None)
    return -(w * np.log(w)).sum(axis=-1)


def consensus_index(weights: np.ndarray | Sequence[Sequence[float]], scale: float = 9.0) -> float:
    """Goepel's AHP consensus indicator ``S*`` of several experts' priority vectors.

    Parameters
    ----------
    weights
        ``(K, n)``: one priority vector per expert (each is normalised to sum 1).
    scale
        The top of the judgement scale (9 for Saaty's), which sets the most extreme vector.

    Returns
    -------
    float
        1 when every expert has the same weights; lower as they diverge (0 at the most
        extreme disagreement the scale allows).  One expert gives 1.
    """
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    if w.ndim != 2 or w.shape[1] < 2 or (w <= 0).any():
        raise ParameterError("consensus needs positive priority vectors over at least 2 items")
    w = w / w.sum(axis=1, keepdims=True)
    n = w.shape[1]
    h_alpha = float(_entropy(w).mean())
    h_gamma = float(_entropy(w.mean(axis=0)))
    m = 1.0 / np.exp(h_gamma - h_alpha)
    extreme = np.full(n, 1.0 / (scale + n - 1))
    extreme[0] = scale / (scale + n - 1)
    m_min = np.exp(float(_entropy(extreme))) / n
    return float(np.clip((m - m_min) / (1 - m_min), 0.0, 1.0))


def ahp_experts(
    matrices: Sequence[pd.DataFrame | np.ndarray],
    *,
    names: Sequence[str] | None = None,
    aggregation: Aggregation = "aij",
    ids: Sequence[str] | None = None,
    known_ids: Sequence[str] | None = None,
) -> GroupResult:
    """Every expert's AHP, then the group's by AIJ or AIP, with consensus.

    Parameters
    ----------
    matrices
        One comparison matrix per expert over the same ids (order may differ).  Blank pairs
        (both cells NaN) are completed optimally for that expert
        (:func:`~assessment.weights.incomplete.complete_matrix`), and reported.
    names
        Expert names (file names), for the table and for error messages.
    aggregation
        ``"aij"`` (geometric mean of judgements) or ``"aip"`` (geometric mean of priorities).
    ids, known_ids
        As for :func:`~assessment.weights.matrices.validate_matrix`.

    Raises
    ------
    InputError
        No matrices, an invalid matrix, or matrices over different ids.
    ParameterError
        An unknown aggregation.
    """
    if aggregation not in AGGREGATIONS:
        raise ParameterError(
            f"aggregation must be one of {list(AGGREGATIONS)}; found {aggregation!r}"
        )
    if not matrices:
        raise InputError("no comparison matrices given; expected at least one")
    labels = list(names) if names else [f"expert {k + 1}" for k in range(len(matrices))]
    if len(set(labels)) != len(labels):
        labels = [f"{n} ({k + 1})" for k, n in enumerate(labels)]
    checked: list[pd.DataFrame] = []
    completed: dict[str, dict[tuple[str, str], float]] = {}
    for m, name in zip(matrices, labels, strict=True):
        a = validate_matrix(m, ids, known_ids=known_ids, source=name, allow_missing=True)
        full, filled = complete_matrix(a)
        checked.append(full)
        completed[name] = filled
    first = list(checked[0].index)
    for m, name in zip(checked[1:], labels[1:], strict=True):
        if set(m.index) != set(first):
            raise InputError(
                f"{name}: compares {sorted(m.index)} but {labels[0]} compares {sorted(first)}; "
                "every expert must compare the same ids"
            )
    aligned = [m.loc[first, first] for m in checked]
    experts = {n: _ahp_of(m, n_experts=1) for n, m in zip(labels, aligned, strict=True)}
    logs = np.stack([np.log(m.to_numpy()) for m in aligned])
    geo = pd.DataFrame(np.exp(logs.mean(axis=0)), index=first, columns=first)
    combined = _ahp_of(geo, n_experts=len(aligned))
    vectors = np.stack([r.weights.to_numpy() for r in experts.values()])
    if aggregation == "aij":
        weights = combined.weights
    else:
        g = np.exp(np.log(vectors).mean(axis=0))
        weights = pd.Series(g / g.sum(), index=first, name="weight")
    consensus = consensus_index(vectors) if len(first) > 1 else 1.0
    return GroupResult(
        experts=experts,
        weights=weights,
        aggregation=aggregation,
        combined=combined,
        consensus=consensus,
        completed=completed,
    )
