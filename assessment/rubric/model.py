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
    "HORIZONS",
    "Dimension",
    "ExpertRecord",
    "Fact",
    "Formula",
    "Gate",
    "Identifier",
    "Indicator",
    "IndicatorLevel",
    "LanguageCode",
    "Provenance",
    "Reference",
    "Roadmap",
    "Role",
    "Rubric",
    "ScaleLevel",
    "Source",
    "SourceRef",
    "TargetProfile",
    "Text",
    "source_id",
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


#: When a roadmap move is due: within the first 90 days, 6 months or 12 months.
HORIZONS = ("90d", "6m", "12m")


class Roadmap(_Model):
    """How a next step fits a roadmap: its effort, when it is due and who owns it (issue 15).

    Optional on every level's ``next_step``.  The report groups a client's moves by
    ``horizon``, marks low-effort moves as quick wins and names the ``owner_role``.
    """

    effort: Literal["low", "medium", "high"] = Field(
        description="Work the step takes: low (days, one owner), medium (weeks, a small team), "
        "high (months, budget or several teams)"
    )
    horizon: Literal["90d", "6m", "12m"] = Field(
        description="When the step is due: within the first 90 days, 6 months or 12 months"
    )
    owner_role: Identifier | None = Field(
        default=None, description="The role (an id in 'roles') that owns the step"
    )
    proposal: bool = Field(
        default=False,
        description="True when no source supports the effort and horizon: our proposal",
    )


class IndicatorLevel(_Model):
    """What an indicator looks like at one level, and how to reach the next."""

    descriptor: Text = Field(description="Observable behaviour at this level")
    next_step: Text | None = Field(
        default=None, description="What to do to reach the level above (required below the top)"
    )
    evidence: Text | None = Field(
        default=None,
        description="The evidence an answer at this level needs (document, export, record); "
        "with `--evidence cap` an answer without evidence counts one level lower",
    )
    roadmap: Roadmap | None = Field(
        default=None,
        description="The next step's effort, horizon (90d, 6m, 12m) and owner role, for the "
        "report's roadmap",
    )


class Role(_Model):
    """Who answers: a role that indicators (and facts) are asked of."""

    id: Identifier
    name: Text
    description: Text | None = None
    aliases: list[str] = Field(
        default_factory=list,
        description="Other ways respondents write this role in the answers' role column "
        "(matched case-insensitively, like the id and the names)",
    )


class SourceRef(_Model):
    """A reference cited for a threshold or an anchor, with what exactly it supports."""

    ref: Identifier = Field(description="The id of an entry in the rubric's references")
    supports: str = Field(
        min_length=1,
        description="What the source supports: the figure, its year and its sample",
    )


#: A source: a bare reference id (it informed the anchors) or a reference with what it supports.
Source = Identifier | SourceRef


def source_id(source: Source) -> str:
    """The reference id of a source, bare or with its note."""
    return source.ref if isinstance(source, SourceRef) else source


class Fact(_Model):
    """A measured fact about the client (message volume, coverage hours...), not scored itself.

    Respondents give facts like measured answers; computed indicators derive their value from
    them through a registered formula (:class:`Formula`).
    """

    id: Identifier
    name: Text
    question: Text | None = None
    unit: str = Field(min_length=1)
    minimum: float | None = Field(default=None, description="Smallest valid value")
    maximum: float | None = Field(default=None, description="Largest valid value")
    asked_of: list[Identifier] = Field(default_factory=list, description="Role ids; [] = everyone")
    sources: list[Source] = Field(default_factory=list)
    proposal: bool = False


class Formula(_Model):
    """How a computed indicator's value is derived: a registered function of facts.

    The function is looked up by name in :data:`assessment.scoring.formulas.registry`; each
    input is a fact id (the assessment's value of that fact) or a constant.
    """

    function: Identifier
    inputs: dict[Identifier, Identifier | float] = Field(default_factory=dict)


class Indicator(_Model):
    """A single question or measurement within a dimension."""

    id: Identifier
    name: Text
    question: Text | None = Field(default=None, description="The question a respondent answers")
    kind: Literal["anchored", "measured", "boolean", "computed"] = "anchored"
    weight: float = Field(default=1.0, gt=0, description="Weight within its dimension")
    allow_na: bool = Field(default=False, description="Whether 'NA' (not applicable) is allowed")
    na_when: Text | None = Field(
        default=None,
        description="When 'NA' is legitimate (schema 2: required with allow_na), so that not "
        "applicable never stands in for 'we never did it'",
    )
    asked_of: list[Identifier] = Field(
        default_factory=list, description="Role ids who answer this indicator; [] = everyone"
    )
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
    formula: Formula | None = Field(
        default=None, description="Computed indicators: how the value derives from facts"
    )
    sources: list[Source] = Field(
        default_factory=list,
        description="References behind the thresholds or anchors: an id, or {ref, supports}",
    )
    proposal: bool = Field(
        default=False, description="True when the anchors are our proposal, not from a source"
    )

    @property
    def numeric(self) -> bool:
        """Whether the level comes from a number through thresholds (measured or computed)."""
        return self.kind in ("measured", "computed")

    @model_validator(mode="after")
    def _kind_fields(self) -> Indicator:
        if (self.kind == "computed") != (self.formula is not None):
            raise ValueError("a computed indicator needs a 'formula', and only it may have one")
        if self.numeric:
            if self.direction is None:
                raise ValueError(f"a {self.kind} indicator needs 'direction'")
            if not self.thresholds:
                raise ValueError(f"a {self.kind} indicator needs 'thresholds'")
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
                    raise ValueError(f"{name!r} is only allowed on measured or computed indicators")
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

    def roadmap(self, level: int) -> Roadmap | None:
        """The roadmap declaration of the step from ``level`` (``None`` when not declared)."""
        spec = self.levels.get(level)
        return spec.roadmap if spec and spec.next_step else None


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
    sectors: list[str] = Field(
        default_factory=list,
        description="Client sectors (as in the clients table) for which this profile is the "
        "default target when the client names none",
    )
    default: float | None = Field(default=None, description="Target for unlisted dimensions")
    dimensions: dict[Identifier, float] = Field(default_factory=dict)


class Reference(_Model):
    """A source cited by indicators."""

    id: Identifier
    citation: str
    year: int | None = Field(default=None, ge=1900, le=2100)
    url: str | None = None
    note: str | None = None


class ExpertRecord(_Model):
    """One expert's contribution to a variant's weights: name, consistency ratio, weights."""

    name: str
    cr: float | None = None
    weights: dict[str, float] = Field(default_factory=dict)
    completed: int = Field(
        default=0, ge=0, description="Blank comparisons filled (optimal completion)"
    )


class Provenance(_Model):
    """Where a rubric variant came from (set by weight tuning): its audit trail."""

    parent_id: str | None = None
    parent_version: str | None = None
    parent_hash: str | None = None
    note: str | None = None
    created: str | None = None
    analyst: str | None = None
    method: str | None = Field(
        default=None, description="ahp, ahp-hierarchy, bwm, direct, points, swing, roc, manual"
    )
    aggregation: Literal["aij", "aip"] | None = None
    cr: float | None = Field(
        default=None, description="Consistency ratio of the combined judgements"
    )
    consensus: float | None = Field(default=None, description="Goepel's S* over the experts")
    accepted_inconsistent: bool = False
    experts: list[ExpertRecord] = Field(default_factory=list)
    inputs: dict[str, Any] = Field(
        default_factory=dict, description="The judgements as given: matrices, ratings, ranking"
    )


class Rubric(_Model):
    """A validated maturity rubric.  Build it with :func:`load_rubric`."""

    schema_version: Literal[1, 2] = 1
    id: Identifier
    version: str = Field(min_length=1)
    name: Text
    description: Text | None = None
    scale: list[ScaleLevel] = Field(min_length=3, max_length=10)
    weights_status: Literal["proposal", "derived", "agreed"] = "proposal"
    weights_note: Text | None = None
    roles: list[Role] = Field(default_factory=list, description="Who answers (schema 2)")
    facts: list[Fact] = Field(
        default_factory=list, description="Measured facts computed indicators derive from"
    )
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
        # local: checks.py reads these models; importing it at the top would be circular
        from assessment.rubric.checks import errors

        problems = errors(self)
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

    def fact(self, fact_id: str) -> Fact:
        """Return the fact with ``fact_id`` (``KeyError`` if absent)."""
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)

    @cached_property
    def _role_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for role in self.roles:
            for spelling in (role.id, *role.name.values(), *role.aliases):
                names.setdefault(" ".join(spelling.casefold().split()), role.id)
        return names

    def role_id(self, text: str) -> str | None:
        """The id of the role that a respondent's role column names, or ``None``.

        Matches the role's id, its name in any language and its aliases, ignoring case and
        repeated spaces.  A respondent whose role matches none is asked every question.
        """
        return self._role_names.get(" ".join(str(text).casefold().split()))

    def default_profile(self, sector: str | None = None) -> str:
        """The target profile for a client that names none: its sector's, else the first.

        Raises
        ------
        RubricError
            When the rubric has no target profiles.
        """
        if not self.targets:
            raise RubricError(f"rubric {self.id!r} has no target profiles")
        key = (sector or "").strip().lower()
        for t in self.targets:
            if key and key in (s.strip().lower() for s in t.sectors):
                return t.id
        return self.targets[0].id

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
                # Who is asked (empty: everyone); the engine uses it for "not asked".
                "asked_of": tuple(i.asked_of),
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


def _bump(version: str) -> str:
    parts = version.split(".")
    if parts and parts[-1].isdigit():
        parts[-1] = str(int(parts[-1]) + 1)
        return ".".join(parts)
    return version + ".1"
