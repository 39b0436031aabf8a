"""Rubric variants: the same rubric with tuned weights, saved with its provenance, and diffs.

Tuned weights are shipped as a *rubric variant* (:func:`save_variant`): the same rubric with
the new weights, a version bump and ``provenance`` naming the parent's id, version and content
hash and the analyst's note.  :func:`diff_rubrics` lists what differs between two rubrics.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.exceptions import ParameterError
from assessment.files import atomic_write_text
from assessment.rubric import Rubric, dump_rubric

__all__ = ["RubricChange", "diff_rubrics", "save_variant"]


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
