"""What no single field can check: the rubric as a whole, and the rules of rubric 2.0.

Two kinds of problem:

* **structural** problems make a rubric unusable (weights that do not sum to 1, an id used
  twice, a gate on another dimension's indicator, a level without a descriptor, a role or fact
  that does not exist...).  They are errors in every schema version.
* **quality** problems make results a consultant could not sign (rubric 2.0): a dimension
  whose top or bottom level cannot be reached, a threshold or anchor presented as sourced that
  no reference note supports, an "NA" that lets a respondent skip a level 1.  They are errors in
  ``schema_version: 2`` and warnings in schema 1, so that rubrics written before 2.0 (and the
  variants saved from them) still load and say what to fix.

:func:`lint` adds the glossary check on Arabic texts and the note for variants of a rubric
that has a newer major version; ``maturity rubric lint`` prints its result.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from assessment.text.glossary import violations

if TYPE_CHECKING:  # pragma: no cover - typing only
    from assessment.rubric.model import Dimension, Indicator, Rubric

__all__ = [
    "Problem",
    "errors",
    "lint",
    "load_notes",
    "quality_problems",
    "structural_problems",
]

#: Packaged rubrics by id, and their current major version: a variant of an older major
#: version loads, with a note naming what changed.
CURRENT_MAJOR = {"social-media": 2}


@dataclass(frozen=True)
class Problem:
    """One problem of a rubric: where it is, what is wrong, and how serious it is."""

    severity: Literal["error", "warning"]
    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message} [{self.code}]"


def errors(rubric: Rubric) -> list[str]:
    """Every problem that stops ``rubric`` from validating, one line each, in document order."""
    quality = [str(p) for p in quality_problems(rubric) if p.severity == "error"]
    return [*structural_problems(rubric), *quality]


# -- structural --------------------------------------------------------------------------------


def structural_problems(rubric: Rubric) -> list[str]:
    """Problems that make a rubric unusable, whatever its schema version."""
    return [
        *_weight_and_id_problems(rubric),
        *(p for d in rubric.dimensions for p in _dimension_problems(rubric, d)),
        *_target_problems(rubric),
        *_role_and_fact_problems(rubric),
    ]


def _weight_and_id_problems(rubric: Rubric) -> list[str]:
    """Dimension weights that do not sum to 1; ids of dimensions, indicators, facts, roles or
    references used twice."""
    problems: list[str] = []
    total = sum(d.weight for d in rubric.dimensions)
    if not math.isclose(total, 1.0, abs_tol=1e-6):
        problems.append(f"dimension weights must sum to 1; they sum to {total:.6g}")

    seen: dict[str, str] = {}
    named = [
        *(("dimension", d.id) for d in rubric.dimensions),
        *(("indicator", i.id) for d in rubric.dimensions for i in d.indicators),
        # Facts and indicators share the answers' indicator_id column.
        *(("fact", f.id) for f in rubric.facts),
    ]
    for kind, ident in named:
        if ident in seen:
            problems.append(f"{kind} id {ident!r} is used twice (already an id of a {seen[ident]})")
        seen[ident] = kind
    for what, ids in (
        ("reference", [r.id for r in rubric.references]),
        ("role", [r.id for r in rubric.roles]),
    ):
        for dup in sorted({r for r in ids if ids.count(r) > 1}):
            problems.append(f"{what} id {dup!r} is used twice")
    return problems


def _indicator_level_problems(rubric: Rubric, ind: Indicator) -> Iterator[str]:
    n = len(rubric.scale)
    levels = set(range(1, n + 1))
    where = f"indicator {ind.id!r}"
    if ind.kind == "boolean":
        need = {ind.yes_level, ind.no_level}
        if not need <= levels:
            yield f"{where}: yes/no levels must be within 1..{n}"
    else:
        need = levels
    if set(ind.levels) != need:
        yield f"{where}: 'levels' must describe exactly {sorted(need)}; found {sorted(ind.levels)}"
    top = max(lvl for lvl in need if lvl is not None)
    roles = {r.id for r in rubric.roles}
    for lvl, spec in ind.levels.items():
        if lvl < top and spec.next_step is None:
            yield f"{where}: level {lvl} needs a 'next_step'"
        owner = spec.roadmap.owner_role if spec.roadmap is not None else None
        if owner is not None and owner not in roles:
            yield f"{where}: level {lvl}'s roadmap owner {owner!r} is not in 'roles'"
        if spec.roadmap is not None and spec.next_step is None:
            yield f"{where}: level {lvl} has a 'roadmap' but no 'next_step' to schedule"
    if ind.thresholds is not None and len(ind.thresholds) != n - 1:
        yield f"{where}: a {n}-level scale needs {n - 1} thresholds; found {len(ind.thresholds)}"


def _source_id(source: object) -> str:
    # A bare reference id, or a SourceRef (read by attribute: this module does not import the
    # models, which call it from their validator).
    return str(getattr(source, "ref", source))


def _source_problems(rubric: Rubric, where: str, sources: list) -> Iterator[str]:
    ref_ids = {r.id for r in rubric.references}
    for src in sources:
        if _source_id(src) not in ref_ids:
            yield f"{where}: source {_source_id(src)!r} is not in 'references'"


def _dimension_problems(rubric: Rubric, d: Dimension) -> list[str]:
    """One dimension against the scale: its levels, its indicators' levels, next steps,
    thresholds, sources, roles and formulas, and its gates."""
    problems: list[str] = []
    n = len(rubric.scale)
    if d.levels is not None and set(d.levels) != set(range(1, n + 1)):
        problems.append(
            f"dimension {d.id!r}: 'levels' must describe exactly {list(range(1, n + 1))}; "
            f"found {sorted(d.levels)}"
        )
    roles = {r.id for r in rubric.roles}
    facts = {f.id for f in rubric.facts}
    for ind in d.indicators:
        where = f"indicator {ind.id!r}"
        problems.extend(_indicator_level_problems(rubric, ind))
        problems.extend(_source_problems(rubric, where, ind.sources))
        problems.extend(
            f"{where}: asked of role {r!r}, which is not in 'roles'"
            for r in ind.asked_of
            if r not in roles
        )
        if ind.formula is not None:
            problems.extend(
                f"{where}: formula input {name!r} names fact {value!r}, which is not in 'facts'"
                for name, value in ind.formula.inputs.items()
                if isinstance(value, str) and value not in facts
            )
    for gate in d.gates:
        if gate.min_level > n or gate.caps_below > n:
            problems.append(f"dimension {d.id!r}: gate levels must be within 2..{n}")
    return problems


def _target_problems(rubric: Rubric) -> list[str]:
    """Target profiles: ids reused, unknown dimensions, dimensions left without a target,
    targets off the scale, and a sector claimed by two profiles."""
    problems: list[str] = []
    n = len(rubric.scale)
    dim_ids = {d.id for d in rubric.dimensions}
    target_ids = [t.id for t in rubric.targets]
    for dup in sorted({t for t in target_ids if target_ids.count(t) > 1}):
        problems.append(f"target profile id {dup!r} is used twice")
    owner: dict[str, str] = {}
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
        for sector in t.sectors:
            key = sector.strip().lower()
            if key in owner:
                problems.append(
                    f"target profile {t.id!r}: sector {sector!r} is already the default of "
                    f"{owner[key]!r}; a sector has one default profile"
                )
            owner.setdefault(key, t.id)
    return problems


def _role_and_fact_problems(rubric: Rubric) -> list[str]:
    """Facts asked of unknown roles, facts citing unknown references, impossible ranges."""
    problems: list[str] = []
    roles = {r.id for r in rubric.roles}
    for fact in rubric.facts:
        where = f"fact {fact.id!r}"
        problems.extend(
            f"{where}: asked of role {r!r}, which is not in 'roles'"
            for r in fact.asked_of
            if r not in roles
        )
        problems.extend(_source_problems(rubric, where, fact.sources))
        if fact.minimum is not None and fact.maximum is not None and fact.minimum > fact.maximum:
            problems.append(f"{where}: minimum {fact.minimum} is above maximum {fact.maximum}")
    return problems


# -- quality: the rules of rubric 2.0 ----------------------------------------------------------


def quality_problems(rubric: Rubric) -> list[Problem]:
    """Unreachable levels, unsourced anchors, NA loopholes: errors in schema 2, else warnings."""
    severity: Literal["error", "warning"] = "error" if rubric.schema_version >= 2 else "warning"
    gated = {g.indicator for d in rubric.dimensions for g in d.gates}
    found: list[Problem] = []
    for d in rubric.dimensions:
        for ind in d.indicators:
            for code, message in _indicator_quality(rubric, ind, ind.id in gated):
                found.append(Problem(severity, code, f"indicator {ind.id!r}", message))
    for fact in rubric.facts:
        if not fact.proposal and not _supported(fact.sources):
            found.append(Problem(severity, "unsourced", f"fact {fact.id!r}", _UNSOURCED))
    return found


_UNSOURCED = (
    "not marked 'proposal: true', yet no source says what it supports; cite "
    "{ref: ..., supports: '<figure, year, sample>'} or mark it as a proposal"
)


def _supported(sources: list) -> bool:
    return any(str(getattr(s, "supports", "")).strip() for s in sources)


def _indicator_quality(rubric: Rubric, ind: Indicator, gated: bool) -> Iterator[tuple[str, str]]:
    n = len(rubric.scale)
    if ind.kind == "boolean" and {ind.yes_level, ind.no_level} != {1, n}:
        yield (
            "unreachable",
            f"yes/no map to levels {sorted({ind.yes_level, ind.no_level})}: with every answer "
            f"at its best its dimension cannot reach {n} (or at its worst, 1); map them to 1 and "
            f"{n}, or describe the levels between as an anchored indicator",
        )
    if not ind.proposal and not _supported(ind.sources):
        yield "unsourced", _UNSOURCED
    if ind.allow_na and ind.na_when is None:
        yield (
            "na_loophole",
            "allows NA without 'na_when': say when it is not applicable, so that NA cannot "
            "stand in for 'we never did it' (which is level 1)",
        )
    if ind.allow_na and gated:
        yield "na_loophole", "is a gate and allows NA: answering NA would lift the gate"


# -- lint ----------------------------------------------------------------------------------------


def lint(rubric: Rubric) -> list[Problem]:
    """Every quality problem, glossary use in the Arabic texts, and legacy-variant notes.

    Structural problems never reach here: such a rubric does not load.
    """
    found = list(quality_problems(rubric))
    for where, term, avoid in _glossary_problems(rubric):
        found.append(
            Problem(
                "warning",
                "glossary",
                where,
                f"Arabic text uses {avoid!r}; the glossary's term for {term!r} is "
                f"{_preferred(term)!r} (docs/glossary.md)",
            )
        )
    found.extend(_legacy_notes(rubric))
    return found


def _preferred(term: str) -> str:
    from assessment.text.glossary import GLOSSARY  # local: only lint needs the whole table

    return GLOSSARY[term].ar


def _glossary_problems(rubric: Rubric) -> Iterator[tuple[str, str, str]]:
    data = rubric.model_dump(mode="json", exclude={"references", "provenance"})
    for path, text in _arabic_texts(data, ""):
        for term, avoided in violations(text):
            yield path, term, avoided


def _arabic_texts(node: object, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("ar"), str):
            yield path, node["ar"]
            return
        for key, value in node.items():
            yield from _arabic_texts(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _arabic_texts(value, f"{path}[{i}]")


def _legacy_notes(rubric: Rubric) -> Iterator[Problem]:
    prov = rubric.provenance
    parent = prov.parent_id if prov else None
    version = (prov.parent_version if prov else None) or ""
    current = CURRENT_MAJOR.get(parent or "")
    major = version.split(".")[0]
    if current is not None and major.isdigit() and int(major) < current:
        yield Problem(
            "warning",
            "legacy_variant",
            "provenance",
            f"a variant of {parent} {version}; the packaged {parent} is now version "
            f"{current}.x. It still scores, but with the older rubric's problems; see "
            f"`maturity rubric diff {parent}@{version} {parent}` and re-derive the variant",
        )


def load_notes(rubric: Rubric) -> list[str]:
    """What a command says when it loads ``rubric``: the note on an outdated variant, and a
    pointer to ``maturity rubric lint`` when a schema-1 rubric breaks the rules of 2.0."""
    notes = [f"rubric {rubric.id} {rubric.version}: {p.message}" for p in _legacy_notes(rubric)]
    quality = quality_problems(rubric)
    if quality and rubric.schema_version < 2:
        notes.append(
            f"rubric {rubric.id} {rubric.version} (schema 1) has {len(quality)} problem(s) that "
            "rubric schema 2 rejects (unreachable levels, unsourced anchors, NA loopholes); "
            "`maturity rubric lint --rubric <it>` lists them"
        )
    return notes
