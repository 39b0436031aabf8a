"""What changed between two rubrics, as a person reads it: a migration note.

``maturity rubric diff OLD NEW`` prints it: weights as a table (names, old, new, Δ, %), then
dimensions and indicators removed, added and changed (kind, thresholds, direction, gates,
proposal or sourced, who is asked, NA), target profiles, and a count of reworded texts.  The
line-by-line list of every changed field stays available (``--details``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from assessment.rubric.model import Indicator, Rubric, translate

__all__ = ["Migration", "WeightChange", "migration"]

#: Indicator fields compared one by one; every other difference is a text.
_FIELDS = (
    "kind",
    "direction",
    "thresholds",
    "unit",
    "yes_level",
    "no_level",
    "weight",
    "allow_na",
    "proposal",
    "asked_of",
)


@dataclass(frozen=True)
class WeightChange:
    """One dimension's weight under both rubrics (0 where it does not exist)."""

    dimension_id: str
    name: str
    old: float
    new: float

    @property
    def delta(self) -> float:
        """``new - old``."""
        return self.new - self.old

    @property
    def percent(self) -> float | None:
        """The change as a percentage of the old weight (``None`` for a new dimension)."""
        return 100 * self.delta / self.old if self.old else None


@dataclass
class Migration:
    """The changes from one rubric to another, grouped as a migration note presents them."""

    old: Rubric
    new: Rubric
    weights: list[WeightChange] = field(default_factory=list)
    removed: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, id, name)
    added: list[tuple[str, str, str]] = field(default_factory=list)
    changed: list[tuple[str, list[str]]] = field(default_factory=list)  # (indicator, changes)
    other: list[str] = field(default_factory=list)
    texts: int = 0

    @property
    def empty(self) -> bool:
        """Whether the two rubrics are the same."""
        return not (
            any(abs(w.delta) > 1e-12 for w in self.weights)
            or self.removed
            or self.added
            or self.changed
            or self.other
            or self.texts
        )

    def lines(self) -> Iterator[str]:
        """The note as text lines."""
        yield from _weight_lines(self)
        for title, items, sign in (("Removed", self.removed, "-"), ("Added", self.added, "+")):
            if items:
                yield f"{title} ({len(items)})"
                yield from (f"  {sign} {kind} {i}: {name}" for kind, i, name in items)
        if self.changed:
            yield f"Indicators changed ({len(self.changed)})"
            for ident, changes in self.changed:
                yield f"  ~ {ident}: " + "; ".join(changes)
        yield from self.other
        if self.texts:
            yield f"Texts reworded: {self.texts} (names, questions, descriptors, next steps...)"


def _weight_lines(m: Migration) -> Iterator[str]:
    moved = [w for w in m.weights if abs(w.delta) > 1e-12]
    if not moved:
        return
    # Names are never cut (issue 17: "measurem..." read as a different dimension): the column
    # is as wide as the longest name.
    width = max(len("dimension"), *(len(w.name) for w in moved)) + 2
    yield "Weights"
    yield f"  {'dimension':<{width}}{'old':>8}{'new':>8}{'Δ':>9}{'%':>9}"
    for w in moved:
        pct = f"{w.percent:+.1f}%" if w.percent is not None else "new"
        yield f"  {w.name:<{width}}{w.old:>8.3f}{w.new:>8.3f}{w.delta:>+9.3f}{pct:>9}"


def _indicator_changes(a: Indicator, b: Indicator) -> list[str]:
    changes = []
    for name in _FIELDS:
        old, new = getattr(a, name), getattr(b, name)
        if old != new:
            changes.append(f"{name} {old!r} -> {new!r}")
    if [str(s) for s in a.sources] != [str(s) for s in b.sources]:
        changes.append("sources changed")
    if a.formula != b.formula:
        changes.append("formula changed")
    return changes


def _texts(a: object, b: object) -> int:
    """How many translatable texts differ between two dumped models."""
    if isinstance(a, dict) and isinstance(b, dict):
        if set(a) <= {"en", "ar", "fr"} and all(isinstance(v, str) for v in a.values()):
            return int(a != b)
        return sum(_texts(a.get(k), b.get(k)) for k in set(a) | set(b))
    if isinstance(a, list) and isinstance(b, list):
        return sum(_texts(x, y) for x, y in zip(a, b, strict=False))
    return 0


def migration(a: Rubric, b: Rubric) -> Migration:
    """The migration note from rubric ``a`` to rubric ``b``."""
    m = Migration(a, b)
    dims_a = {d.id: d for d in a.dimensions}
    dims_b = {d.id: d for d in b.dimensions}
    for d_id in [*dims_a, *(d for d in dims_b if d not in dims_a)]:
        name = translate((dims_b.get(d_id) or dims_a[d_id]).name)
        old = dims_a[d_id].weight if d_id in dims_a else 0.0
        new = dims_b[d_id].weight if d_id in dims_b else 0.0
        m.weights.append(WeightChange(d_id, name, old, new))
    m.removed += [("dimension", d, translate(dims_a[d].name)) for d in dims_a if d not in dims_b]
    m.added += [("dimension", d, translate(dims_b[d].name)) for d in dims_b if d not in dims_a]
    inds_a = {i.id: (d.id, i) for d, i in a.iter_indicators()}
    inds_b = {i.id: (d.id, i) for d, i in b.iter_indicators()}
    m.removed += [
        ("indicator", i, f"{translate(ind.name)} ({d})")
        for i, (d, ind) in inds_a.items()
        if i not in inds_b
    ]
    m.added += [
        ("indicator", i, f"{translate(ind.name)} ({d}, {ind.kind})")
        for i, (d, ind) in inds_b.items()
        if i not in inds_a
    ]
    for i, (d, ind) in inds_b.items():
        if i in inds_a:
            changes = _indicator_changes(inds_a[i][1], ind)
            if inds_a[i][0] != d:
                changes.insert(0, f"moved {inds_a[i][0]} -> {d}")
            if changes:
                m.changed.append((i, changes))
    m.other = list(_other_changes(a, b))
    m.texts = _texts(a.model_dump(mode="json"), b.model_dump(mode="json"))
    return m


def _other_changes(a: Rubric, b: Rubric) -> Iterator[str]:
    if a.schema_version != b.schema_version:
        yield f"Schema version {a.schema_version} -> {b.schema_version}"
    for what, old, new in (
        ("Roles", [r.id for r in a.roles], [r.id for r in b.roles]),
        ("Facts", [f.id for f in a.facts], [f.id for f in b.facts]),
        ("Target profiles", [t.id for t in a.targets], [t.id for t in b.targets]),
    ):
        gone = [x for x in old if x not in new]
        came = [x for x in new if x not in old]
        if gone or came:
            parts = ([f"added {', '.join(came)}"] if came else []) + (
                [f"removed {', '.join(gone)}"] if gone else []
            )
            yield f"{what}: {'; '.join(parts)}"
    gates_a = {
        (d.id, g.indicator, g.min_level, g.caps_below) for d in a.dimensions for g in d.gates
    }
    gates_b = {
        (d.id, g.indicator, g.min_level, g.caps_below) for d in b.dimensions for g in d.gates
    }
    for d, i, lo, cap in sorted(gates_b - gates_a):
        yield f"Gate added: {i} below L{lo} caps {d} below L{cap}"
    for d, i, lo, cap in sorted(gates_a - gates_b):
        yield f"Gate removed: {i} below L{lo} capped {d} below L{cap}"
