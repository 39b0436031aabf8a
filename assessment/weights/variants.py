"""Rubric variants: the same rubric with tuned weights, saved with its provenance, and diffs.

Tuned weights are shipped as a *rubric variant* (:func:`save_variant`): the same rubric with
the new weights, a version bump and ``provenance`` naming the parent's id, version and content
hash and the analyst's note.  :func:`diff_rubrics` lists what differs between two rubrics.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from assessment.exceptions import (
    AssessmentError,
    InconsistentJudgementsError,
    OutputExistsError,
    ParameterError,
)
from assessment.files import atomic_write_text
from assessment.rubric import Rubric, dump_rubric, load_rubric
from assessment.text import format_number, label
from assessment.weights.ahp import CR_THRESHOLD, AHPResult, HierarchyResult
from assessment.weights.group import GroupResult
from assessment.weights.methods import METHODS, MethodResult

__all__ = ["RubricChange", "diff_rubrics", "save_variant", "variant_id"]


def variant_id(parent: Rubric, weights: Mapping[str, float], method: str) -> str:
    """A default id for a variant: ``<parent>-<method>-<6 hex digits of its weights>``.

    Two variants with different weights get different ids, and the same weights saved twice
    get the same one.
    """
    canonical = json.dumps({k: round(float(v), 12) for k, v in sorted(weights.items())})
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:6]
    return f"{parent.id}-{method}-{digest}"[:64]


def save_variant(
    rubric: Rubric,
    weights: Mapping[str, float] | pd.Series,
    path: str | Path,
    *,
    note: str | None = None,
    version: str | None = None,
    created: str | None = None,
    variant_id: str | None = None,
    analyst: str | None = None,
    method: str = "manual",
    source: GroupResult | MethodResult | AHPResult | HierarchyResult | None = None,
    accept_inconsistent: bool = False,
    overwrite: bool = False,
) -> Rubric:
    """Save ``rubric`` with new dimension weights as a new rubric file (a *variant*).

    The variant has its own id and version and a full audit trail in ``provenance``: the
    parent's id, version and hash, the method, its inputs (matrices, ratings, ranking), every
    expert's CR and weights, the analyst, the date and the note.  ``weights_status`` becomes
    ``derived`` (AHP, BWM) or ``agreed`` (direct rating, points, swing, ranking, manual) and the
    weights note is rewritten to say how the weights were made, in English and Arabic.

    Parameters
    ----------
    rubric
        The parent rubric.
    weights
        Dimension id -> weight, for every dimension (normalised to sum 1).
    path
        Where to write the YAML (written atomically).
    note
        The analyst's note: why these weights.
    version
        Version of the variant (default ``1.0.0``; when ``overwrite`` replaces a variant with
        the same id, its version bumped).
    created
        Creation date (default: today, ISO format).
    variant_id
        The variant's id (default :func:`variant_id`).
    analyst
        Who made the weights.
    method
        One of :data:`~assessment.weights.methods.METHODS` (taken from ``source`` when given).
    source
        The result the weights came from: its method, inputs and consistency are recorded.
    accept_inconsistent
        Save even when a consistency ratio is 0.10 or more (recorded in the provenance).
    overwrite
        Replace an existing file at ``path``.

    Returns
    -------
    Rubric
        The variant as written; ``load_rubric(path)`` gives an equal rubric.

    Raises
    ------
    ParameterError
        Weights missing for some dimensions, unknown ids, non-positive weights, an unknown
        method.
    InconsistentJudgementsError
        A CR of 0.10 or more (an expert's, the combined matrix's or BWM's) without
        ``accept_inconsistent``.
    OutputExistsError
        ``path`` exists and ``overwrite`` is false.
    """
    w = _checked_weights(rubric, weights)
    record = _provenance_of(source, method)
    flagged = record.pop("_flagged")
    if flagged and not accept_inconsistent:
        raise InconsistentJudgementsError(
            f"the judgements are inconsistent ({'; '.join(flagged)}; CR >= {CR_THRESHOLD:.2f}): "
            "revisit them, or save with --accept-inconsistent (recorded in the variant)"
        )
    target = Path(path)
    previous = _existing(target, overwrite)
    new_id = variant_id or _variant_id_default(rubric, w, record["method"])
    if version is None:
        version = (
            _bump(previous.version) if previous is not None and previous.id == new_id else "1.0.0"
        )
    variant = rubric.with_weights(w, version=version, note=note)
    data = variant.model_dump(mode="json")
    data["id"] = new_id
    when = created or date.today().isoformat()
    data["provenance"] = {
        **data["provenance"],
        **record,
        "created": when,
        "analyst": analyst,
        "accepted_inconsistent": bool(flagged),
    }
    data["weights_status"] = "derived" if record["method"] in _DERIVED else "agreed"
    data["weights_note"] = _weights_note(rubric, data["provenance"], note)
    variant = Rubric.model_validate(data)
    atomic_write_text(target, dump_rubric(variant))
    return variant


#: Methods that derive weights from judgements; the others record weights people set.
_DERIVED = frozenset({"ahp", "ahp-hierarchy", "bwm"})


def _variant_id_default(rubric: Rubric, w: Mapping[str, float], method: str) -> str:
    return variant_id(rubric, w, method)


def _checked_weights(rubric: Rubric, weights: Mapping[str, float] | pd.Series) -> dict[str, float]:
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
    return w


def _existing(target: Path, overwrite: bool) -> Rubric | None:
    """The rubric already at ``target`` (None when there is none); refuses unless overwriting."""
    if not target.exists():
        return None
    if not overwrite:
        raise OutputExistsError(
            f"{target} exists; choose another file name, or overwrite it with --force"
        )
    try:
        return load_rubric(target)
    except AssessmentError:
        return None


def _judgement(x: float) -> str:
    """A judgement as people write it (``3``, ``1/5``), else 6 significant digits."""
    for v in (x, 1 / x):
        if abs(v - round(v)) < 1e-9 and round(v) >= 1:
            return str(round(v)) if v is x else f"1/{round(v)}"
    return f"{x:.6g}"


def _matrix_record(m: pd.DataFrame) -> dict[str, Any]:
    """A matrix as ids and one comma-separated row of judgements per id (compact YAML)."""
    return {
        "ids": list(map(str, m.index)),
        "rows": [", ".join(_judgement(float(x)) for x in r) for r in m.to_numpy()],
    }


def _provenance_of(source: Any, method: str) -> dict[str, Any]:
    """Method, inputs and consistency of ``source``; ``_flagged`` lists each CR >= 0.10."""
    flagged: list[str] = []
    out: dict[str, Any] = {"method": method, "experts": [], "inputs": {}}
    if isinstance(source, GroupResult):
        out["method"] = "ahp"
        out["aggregation"] = source.aggregation
        out["cr"] = float(source.combined.cr)
        out["consensus"] = float(source.consensus)
        out["experts"] = [
            {
                "name": name,
                "cr": float(r.cr),
                "weights": {k: float(v) for k, v in r.weights.items()},
                "completed": len(source.completed.get(name, {})),
            }
            for name, r in source.experts.items()
        ]
        out["inputs"] = {
            "matrices": {name: _matrix_record(r.matrix) for name, r in source.experts.items()}
        }
        flagged += [
            f"{e['name']} CR {e['cr']:.3f}" for e in out["experts"] if e["cr"] >= CR_THRESHOLD
        ]
        if source.combined.cr >= CR_THRESHOLD:
            flagged.append(f"combined CR {source.combined.cr:.3f}")
    elif isinstance(source, HierarchyResult):
        out["method"] = "ahp-hierarchy"
        table = source.consistency()
        out["cr"] = float(table["cr"].max())
        out["inputs"] = {
            "matrices": {
                "clusters": _matrix_record(source.clusters.matrix),
                **{c: _matrix_record(r.matrix) for c, r in source.within.items()},
            }
        }
        flagged += [
            f"matrix {m} CR {cr:.3f}"
            for m, cr in zip(table["matrix"], table["cr"], strict=True)
            if cr >= CR_THRESHOLD
        ]
    elif isinstance(source, AHPResult):
        out["method"] = "ahp"
        out["cr"] = float(source.cr)
        out["inputs"] = {"matrices": {"grid": _matrix_record(source.matrix)}}
        if source.cr >= CR_THRESHOLD:
            flagged.append(f"CR {source.cr:.3f}")
    elif isinstance(source, MethodResult):
        out["method"] = source.method
        out["inputs"] = source.inputs
        if "cr" in source.consistency:
            out["cr"] = float(source.consistency["cr"])
            if out["cr"] >= CR_THRESHOLD:
                flagged.append(f"BWM CR {out['cr']:.3f}")
    if out["method"] not in METHODS:
        raise ParameterError(
            f"unknown weighting method {out['method']!r}; expected one of {list(METHODS)}"
        )
    out["_flagged"] = flagged
    return out


def _weights_note(parent: Rubric, prov: Mapping[str, Any], note: str | None) -> dict[str, str]:
    """The weights note, rewritten to say how these weights were made (English and Arabic)."""
    out = {}
    for lang in ("en", "ar"):
        method = label(f"tuning.method.{prov['method']}", lang)
        parts = [
            label(
                "tuning.note.made",
                lang,
                method=method,
                parent=f"{parent.id} {parent.version}",
                date=prov["created"],
            )
        ]
        if prov.get("experts"):
            worst = max((e["cr"] or 0.0) for e in prov["experts"])
            parts.append(
                label(
                    "tuning.note.experts",
                    lang,
                    n=len(prov["experts"]),
                    cr=format_number(worst, 3),
                )
            )
        elif prov.get("cr") is not None:
            parts.append(label("tuning.note.cr", lang, cr=format_number(prov["cr"], 3)))
        if prov.get("accepted_inconsistent"):
            parts.append(label("tuning.note.inconsistent", lang))
        if prov.get("analyst"):
            parts.append(label("tuning.note.analyst", lang, analyst=prov["analyst"]))
        if note:
            parts.append(label("tuning.note.note", lang, note=note))
        out[lang] = " ".join(parts)
    return out


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


def _bump(version: str) -> str:
    parts = version.split(".")
    if parts and parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return version + ".1"


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
