"""The rubric models: what a rubric declares, validated by pydantic on construction.

A rubric is data, not code.  The scoring engine (:mod:`assessment.scoring`) interprets any rubric
that validates against the models here, so a rubric for another domain (data maturity, security,
customer experience...) works without touching the package.  The authoring guide is
``docs/rubric-authoring.md``.

Structure (YAML)::

    schema_version: 1
    id: social-media            # stable id, used to name variants
    version: "1.0.0"
    name: {en: ..., ar: ...}    # every text field: a string (English) or {en: ..., ar: ...}
    scale:                      # the levels, lowest first (3 to 10 of them; ours has 5)
      - {level: 1, name: {en: "2007"}, summary: {en: ...}}
    weights_status: proposal    # proposal | derived | agreed
    dimensions:
      - id: care
        weight: 0.12            # dimension weights sum to 1
        indicators:
          - id: care_response_time
            kind: measured      # anchored | measured | boolean
            direction: lower_is_better
            thresholds: [24, 4, 1, 0.5]   # boundaries of level 2..5
            levels: {1: {descriptor: ..., next_step: ...}, ...}
        gates:
          - {indicator: care_coverage, min_level: 4, caps_below: 4}
    targets:  [{id: modern, default: 5}]
    references: [{id: sprout_2020, citation: ..., year: 2020}]
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterator, Mapping
from functools import cached_property
from typing import Annotated, Any, Literal

import pandas as pd
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from assessment.exceptions import RubricError

__all__ = [
    "Dimension",
    "Gate",
    "Identifier",
    "Indicator",
    "IndicatorLevel",
    "LanguageCode",
    "Provenance",
    "Reference",
    "Rubric",
    "ScaleLevel",
    "TargetProfile",
    "Text",
    "translate",
]

#: Identifiers double as CSV column names (wide survey exports) and file names, so they are
#: restricted to a conservative character set.
Identifier = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]{0,63}$", strip_whitespace=True)
]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]


def _text_from_plain(value: Any) -> Any:
    # A bare string is shorthand for English only; it keeps small rubrics readable.
    if isinstance(value, str):
        return {"en": value}
    return value


def _check_text(value: dict[str, str]) -> dict[str, str]:
    if "en" not in value:
        raise ValueError(f"an 'en' (English) text is required; found languages {sorted(value)}")
    for lang, text in value.items():
        if not text or not text.strip():
            raise ValueError(f"the {lang!r} text is empty")
    return value


#: A translatable text: ``{"en": "...", "ar": "..."}``.  English is required.
Text = Annotated[
    dict[LanguageCode, str],
    BeforeValidator(_text_from_plain),
    AfterValidator(_check_text),
    # The YAML may use the plain-string shorthand, so the editor schema must accept it too.
    WithJsonSchema(
        {
            "description": "A string (English) or a mapping language -> text; 'en' required",
            "anyOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {"en": {"type": "string", "minLength": 1}},
                    "required": ["en"],
                    "additionalProperties": {"type": "string", "minLength": 1},
                },
            ],
        }
    ),
]


def translate(text: Mapping[str, str] | None, lang: str = "en") -> str:
    """Return ``text`` in ``lang``, falling back to English.

    Parameters
    ----------
    text
        A translatable text as stored in the rubric (``None`` gives ``""``).
    lang
        Language code such as ``"en"`` or ``"ar"``.
    """
    if not text:
        return ""
    return text.get(lang) or text["en"]


class _Model(BaseModel):
    # Unknown keys are errors: a typo such as ``treshold`` must not be silently ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleLevel(_Model):
    """One level of the maturity scale."""

    level: int = Field(ge=1, description="Level number, 1 = lowest")
    name: Text
    summary: Text | None = None


class IndicatorLevel(_Model):
    """What an indicator looks like at one level, and how to reach the next."""

    descriptor: Text = Field(description="Observable behaviour at this level")
    next_step: Text | None = Field(
        default=None, description="What to do to reach the level above (required below the top)"
    )


class Indicator(_Model):
    """A single question or measurement within a dimension."""

    id: Identifier
    name: Text
    question: Text | None = Field(default=None, description="The question a respondent answers")
    kind: Literal["anchored", "measured", "boolean"] = "anchored"
    weight: float = Field(default=1.0, gt=0, description="Weight within its dimension")
    allow_na: bool = Field(default=False, description="Whether 'NA' (not applicable) is allowed")
    evidence_hint: Text | None = Field(default=None, description="What evidence supports an answer")
    levels: dict[int, IndicatorLevel]
    unit: str | None = Field(default=None, description="Unit of a measured value")
    direction: Literal["lower_is_better", "higher_is_better"] | None = None
    thresholds: list[float] | None = Field(
        default=None,
        description=(
            "Measured indicators: the boundary of each level above the first, in order "
            "(lower_is_better: value <= t reaches the level; higher_is_better: value >= t)"
        ),
    )
    yes_level: int | None = Field(default=None, description="Boolean: level for 'yes'")
    no_level: int | None = Field(default=None, description="Boolean: level for 'no'")
    sources: list[Identifier] = Field(
        default_factory=list, description="Reference ids supporting the thresholds"
    )
    proposal: bool = Field(
        default=False, description="True when the anchors are our proposal, not from a source"
    )

    @model_validator(mode="after")
    def _kind_fields(self) -> Indicator:
        if self.kind == "measured":
            if self.direction is None:
                raise ValueError("a measured indicator needs 'direction'")
            if not self.thresholds:
                raise ValueError("a measured indicator needs 'thresholds'")
            t = self.thresholds
            ordered = all(
                (a > b) if self.direction == "lower_is_better" else (a < b)
                for a, b in itertools.pairwise(t)
            )
            if not ordered:
                want = "decreasing" if self.direction == "lower_is_better" else "increasing"
                raise ValueError(
                    f"thresholds must be strictly {want} for {self.direction}; got {t}"
                )
            if not all(math.isfinite(x) for x in t):
                raise ValueError(f"thresholds must be finite numbers; got {t}")
        else:
            for name in ("direction", "thresholds", "unit"):
                if getattr(self, name) is not None:
                    raise ValueError(f"{name!r} is only allowed on measured indicators")
        if self.kind == "boolean":
            if self.yes_level is None or self.no_level is None:
                raise ValueError("a boolean indicator needs 'yes_level' and 'no_level'")
            if self.yes_level == self.no_level:
                raise ValueError("'yes_level' and 'no_level' must differ")
        elif self.yes_level is not None or self.no_level is not None:
            raise ValueError("'yes_level'/'no_level' are only allowed on boolean indicators")
        if not self.sources and not self.proposal:
            raise ValueError(
                "cite at least one reference in 'sources', or mark the anchors 'proposal: true'"
            )
        return self

    def level_text(self, level: int, lang: str = "en") -> str:
        """Descriptor of ``level`` in ``lang`` (empty when the level is not described)."""
        spec = self.levels.get(level)
        return translate(spec.descriptor, lang) if spec else ""

    def next_step(self, level: int, lang: str = "en") -> str:
        """The recommended step from ``level`` to the level above (empty at the top)."""
        spec = self.levels.get(level)
        return translate(spec.next_step, lang) if spec and spec.next_step else ""


class Gate(_Model):
    """A necessary condition (ISO/IEC 33020 style).

    If ``indicator`` is below ``min_level`` the dimension cannot reach ``caps_below``: its score
    is capped at ``caps_below - 0.01``.
    """

    indicator: Identifier
    min_level: int = Field(ge=2)
    caps_below: int = Field(ge=2)
    rationale: Text | None = None


class Dimension(_Model):
    """A group of indicators scored together, e.g. *crisis readiness*."""

    id: Identifier
    name: Text
    description: Text | None = None
    weight: float = Field(gt=0, description="Weight in the overall index; all dimensions sum to 1")
    levels: dict[int, Text] | None = Field(
        default=None, description="What the whole dimension looks like at each level"
    )
    indicators: list[Indicator] = Field(min_length=1)
    gates: list[Gate] = Field(default_factory=list)

    @model_validator(mode="after")
    def _gates_refer_to_own_indicators(self) -> Dimension:
        own = {i.id for i in self.indicators}
        for gate in self.gates:
            if gate.indicator not in own:
                raise ValueError(
                    f"gate refers to indicator {gate.indicator!r}, which is not in this "
                    f"dimension (its indicators: {sorted(own)})"
                )
        return self


class TargetProfile(_Model):
    """A named target: a level per dimension, e.g. ``modern`` or a sector preset."""

    id: Identifier
    name: Text | None = None
    description: Text | None = None
    default: float | None = Field(default=None, description="Target for unlisted dimensions")
    dimensions: dict[Identifier, float] = Field(default_factory=dict)


class Reference(_Model):
    """A source cited by indicators."""

    id: Identifier
    citation: str
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: str | None = None
    note: str | None = None


class Provenance(_Model):
    """Where a rubric variant came from (set by weight tuning)."""

    parent_id: str | None = None
    parent_version: str | None = None
    parent_hash: str | None = None
    note: str | None = None
    created: str | None = None


class Rubric(_Model):
    """A validated maturity rubric.  Build it with :func:`load_rubric`."""

    schema_version: Literal[1] = 1
    id: Identifier
    version: str = Field(min_length=1)
    name: Text
    description: Text | None = None
    scale: list[ScaleLevel] = Field(min_length=3, max_length=10)
    weights_status: Literal["proposal", "derived", "agreed"] = "proposal"
    weights_note: Text | None = None
    dimensions: list[Dimension] = Field(min_length=1)
    targets: list[TargetProfile] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    provenance: Provenance | None = None

    @field_validator("scale")
    @classmethod
    def _scale_is_consecutive(cls, scale: list[ScaleLevel]) -> list[ScaleLevel]:
        found = [s.level for s in scale]
        want = list(range(1, len(scale) + 1))
        if found != want:
            raise ValueError(f"scale levels must be {want} in order; found {found}")
        return scale

    @model_validator(mode="after")
    def _cross_checks(self) -> Rubric:
        # Every problem is collected, not just the first: one per line, in document order.
        problems = [
            *_weight_and_id_problems(self),
            *(p for d in self.dimensions for p in _dimension_problems(self, d)),
            *_target_problems(self),
        ]
        if problems:
            # One problem per line; _validate splits them so each is reported on its own.
            raise ValueError("\n".join(problems))
        return self

    # -- convenient views -------------------------------------------------------------------

    @property
    def n_levels(self) -> int:
        """Number of levels on the scale (5 for the packaged rubric)."""
        return len(self.scale)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the rubric's canonical JSON form (independent of YAML layout/comments)."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def iter_indicators(self) -> Iterator[tuple[Dimension, Indicator]]:
        """Yield ``(dimension, indicator)`` pairs in rubric order."""
        for d in self.dimensions:
            for i in d.indicators:
                yield d, i

    def dimension(self, dimension_id: str) -> Dimension:
        """Return the dimension with ``dimension_id`` (``KeyError`` if absent)."""
        for d in self.dimensions:
            if d.id == dimension_id:
                return d
        raise KeyError(dimension_id)

    def indicator(self, indicator_id: str) -> Indicator:
        """Return the indicator with ``indicator_id`` (``KeyError`` if absent)."""
        for _, i in self.iter_indicators():
            if i.id == indicator_id:
                return i
        raise KeyError(indicator_id)

    def target_profile(self, profile_id: str) -> TargetProfile:
        """Return the target profile ``profile_id`` (``KeyError`` if absent)."""
        for t in self.targets:
            if t.id == profile_id:
                return t
        raise KeyError(profile_id)

    def level_name(self, level: int, lang: str = "en") -> str:
        """Name of scale level ``level`` in ``lang``."""
        return translate(self.scale[level - 1].name, lang)

    @cached_property
    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator: ids, kind, weights and measured-value thresholds.

        This is the table the vectorised scoring engine joins against.  Threshold columns
        ``t2 .. tN`` hold the boundary of each level above the first (NaN for other kinds).
        """
        n = self.n_levels
        rows = []
        for order, (d, i) in enumerate(self.iter_indicators()):
            row: dict[str, Any] = {
                "indicator_id": i.id,
                "dimension_id": d.id,
                "order": order,
                "kind": i.kind,
                "indicator_weight": i.weight,
                "dimension_weight": d.weight,
                "allow_na": i.allow_na,
                "direction": i.direction or "",
                "yes_level": float(i.yes_level) if i.yes_level is not None else math.nan,
                "no_level": float(i.no_level) if i.no_level is not None else math.nan,
                "name": translate(i.name),
            }
            for k in range(2, n + 1):
                row[f"t{k}"] = i.thresholds[k - 2] if i.thresholds else math.nan
            rows.append(row)
        return pd.DataFrame(rows).set_index("indicator_id")

    @cached_property
    def dimension_table(self) -> pd.DataFrame:
        """One row per dimension: id, order, weight and English name."""
        return pd.DataFrame(
            {
                "dimension_id": [d.id for d in self.dimensions],
                "order": range(len(self.dimensions)),
                "weight": [d.weight for d in self.dimensions],
                "name": [translate(d.name) for d in self.dimensions],
            }
        ).set_index("dimension_id")

    @cached_property
    def gate_table(self) -> pd.DataFrame:
        """One row per gate: dimension, indicator, minimum level and the level it caps."""
        rows = [
            {
                "dimension_id": d.id,
                "indicator_id": g.indicator,
                "min_level": g.min_level,
                "caps_below": g.caps_below,
            }
            for d in self.dimensions
            for g in d.gates
        ]
        return pd.DataFrame(
            rows, columns=["dimension_id", "indicator_id", "min_level", "caps_below"]
        )

    def with_weights(
        self, weights: Mapping[str, float], *, version: str | None = None, note: str | None = None
    ) -> Rubric:
        """Return a variant of this rubric with new dimension weights (normalised to sum 1).

        The variant records this rubric's id, version and hash in ``provenance``.
        """
        unknown = sorted(set(weights) - {d.id for d in self.dimensions})
        if unknown:
            raise RubricError(f"unknown dimensions in weights: {unknown}")
        total = sum(weights.get(d.id, d.weight) for d in self.dimensions)
        if total <= 0:
            raise RubricError("weights must sum to a positive number")
        data = self.model_dump(mode="json")
        for d in data["dimensions"]:
            d["weight"] = weights.get(d["id"], d["weight"]) / total
        # Normalisation can leave a rounding residue; put it on the largest weight.
        residue = 1.0 - sum(d["weight"] for d in data["dimensions"])
        max(data["dimensions"], key=lambda d: d["weight"])["weight"] += residue
        data["version"] = version or _bump(self.version)
        data["weights_status"] = "derived"
        data["provenance"] = {
            "parent_id": self.id,
            "parent_version": self.version,
            "parent_hash": self.content_hash,
            "note": note,
        }
        return Rubric.model_validate(data)


# -- cross-checks: what no single field can check on its own --------------------------------


def _weight_and_id_problems(rubric: Rubric) -> list[str]:
    """Dimension weights that do not sum to 1; dimension, indicator or reference ids reused."""
    problems: list[str] = []
    total = sum(d.weight for d in rubric.dimensions)
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        problems.append(f"dimension weights must sum to 1; they sum to {total:.6g}")

    seen: dict[str, str] = {}
    for kind, ident in [("dimension", d.id) for d in rubric.dimensions] + [
        ("indicator", i.id) for d in rubric.dimensions for i in d.indicators
    ]:
        if ident in seen:
            problems.append(f"{kind} id {ident!r} is used twice (already an id of a {seen[ident]})")
        seen[ident] = kind

    ref_ids = [r.id for r in rubric.references]
    for dup in sorted({r for r in ref_ids if ref_ids.count(r) > 1}):
        problems.append(f"reference id {dup!r} is used twice")
    return problems


def _dimension_problems(rubric: Rubric, d: Dimension) -> list[str]:
    """One dimension against the scale: its levels, its indicators' levels, next steps,
    thresholds and sources, and its gates."""
    problems: list[str] = []
    n = len(rubric.scale)
    levels = set(range(1, n + 1))
    ref_ids = [r.id for r in rubric.references]
    if d.levels is not None and set(d.levels) != levels:
        problems.append(
            f"dimension {d.id!r}: 'levels' must describe exactly {sorted(levels)}; "
            f"found {sorted(d.levels)}"
        )
    for ind in d.indicators:
        where = f"indicator {ind.id!r}"
        if ind.kind == "boolean":
            need = {ind.yes_level, ind.no_level}
            if not need <= levels:
                problems.append(f"{where}: yes/no levels must be within 1..{n}")
        else:
            need = levels
        if set(ind.levels) != need:
            problems.append(
                f"{where}: 'levels' must describe exactly {sorted(need)}; "
                f"found {sorted(ind.levels)}"
            )
        top = max(need)
        for lvl, spec in ind.levels.items():
            if lvl < top and spec.next_step is None:
                problems.append(f"{where}: level {lvl} needs a 'next_step'")
        if ind.thresholds is not None and len(ind.thresholds) != n - 1:
            problems.append(
                f"{where}: a {n}-level scale needs {n - 1} thresholds; found {len(ind.thresholds)}"
            )
        for src in ind.sources:
            if src not in ref_ids:
                problems.append(f"{where}: source {src!r} is not in 'references'")
    for gate in d.gates:
        if gate.min_level > n or gate.caps_below > n:
            problems.append(f"dimension {d.id!r}: gate levels must be within 2..{n}")
    return problems


def _target_problems(rubric: Rubric) -> list[str]:
    """Target profiles: ids reused, unknown dimensions, dimensions left without a target, and
    targets off the scale."""
    problems: list[str] = []
    n = len(rubric.scale)
    dim_ids = {d.id for d in rubric.dimensions}
    target_ids = [t.id for t in rubric.targets]
    for dup in sorted({t for t in target_ids if target_ids.count(t) > 1}):
        problems.append(f"target profile id {dup!r} is used twice")
    for t in rubric.targets:
        unknown = sorted(set(t.dimensions) - dim_ids)
        if unknown:
            problems.append(f"target profile {t.id!r}: unknown dimensions {unknown}")
        if t.default is None and set(t.dimensions) != dim_ids:
            problems.append(
                f"target profile {t.id!r}: give a 'default' or a target for every dimension"
            )
        bad = [v for v in [t.default, *t.dimensions.values()] if v is not None]
        if any(not 1 <= v <= n for v in bad):
            problems.append(f"target profile {t.id!r}: targets must be within 1..{n}")
    return problems


def _bump(version: str) -> str:
    parts = version.split(".")
    if parts and parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return version + ".1"
